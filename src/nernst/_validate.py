"""Input validation shared by the public physics functions.

Validation happens once, at the public boundary; inner helpers trust their inputs. Every
message names the argument, the offending value and what would be right.

Arrays of other libraries
-------------------------
Inputs that are neither Python scalars nor NumPy arrays (array_api_strict, Dask, JAX, ...;
"foreign" arrays) take a separate path written against the Array API standard, with the
namespace from :func:`array_api_compat.array_namespace`. The NumPy path is untouched. The
same checks run there, and a violation surfaces according to what the library can do:

- eager libraries (array_api_strict, JAX outside ``jit``): the same ``ValueError`` as for
  NumPy, raised at the call;
- Dask: nothing is computed at the call. The checks become tasks of the graph
  (``map_blocks`` over the inputs), and the same ``ValueError`` is raised when the result is
  computed; the shape in its message is that of the offending chunk;
- JAX under ``jax.jit`` (or any library whose arrays cannot be converted to ``bool``): no
  exception can depend on traced values, so offending elements become NaN in the result.
  Call the function outside ``jit`` (or check the inputs) to get the error message.

NumPy arrays and Python scalars mixed with foreign arrays are validated eagerly, as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike


def show(value: ArrayLike) -> str:
    """A short text of a (possibly array) value for error messages."""
    arr = np.asarray(value)
    if arr.ndim == 0:
        return f"{float(arr):g}" if arr.dtype.kind in "biuf" else repr(arr.item())
    return f"{float(arr.ravel()[0]):g} (in an array of shape {arr.shape})"


def scalar_or_array(value: Any) -> Any:
    """A 0-d result as a Python float, anything else unchanged (ufunc-like returns)."""
    arr = np.asarray(value)
    return float(arr) if arr.ndim == 0 else arr


def as_float(name: str, value: ArrayLike) -> np.ndarray:
    """``value`` as a float array; a clear error if it is not numeric."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers, got {value!r}") from None
    return arr


def positive(
    name: str, value: ArrayLike, *, what: str = "concentration", unit: str = "mM"
) -> np.ndarray:
    """A float array of strictly positive, finite values, or a ValueError naming the culprit."""
    arr = as_float(name, value)
    if arr.size and arr.min() > 0 and arr.max() < np.inf:  # fast path; NaN fails min() > 0
        return arr
    ok = np.isfinite(arr) & (arr > 0)
    if not np.all(ok):
        bad = arr[~ok].ravel()[0] if arr.ndim else arr
        where = "" if arr.ndim == 0 else f" (in an array of shape {arr.shape})"
        raise ValueError(
            f"{name}={float(bad):g}{where}: {_article(what)} {what} must be positive and finite "
            f"[{unit}]"
        )
    return arr


def non_negative(name: str, value: ArrayLike, *, what: str, unit: str) -> np.ndarray:
    """A float array of finite values >= 0, or a ValueError naming the culprit."""
    arr = as_float(name, value)
    if arr.size and arr.min() >= 0 and arr.max() < np.inf:  # fast path; NaN fails min() >= 0
        return arr
    ok = np.isfinite(arr) & (arr >= 0)
    if not np.all(ok):
        bad = arr[~ok].ravel()[0] if arr.ndim else arr
        where = "" if arr.ndim == 0 else f" (in an array of shape {arr.shape})"
        raise ValueError(
            f"{name}={float(bad):g}{where}: {_article(what)} {what} must be zero or positive and "
            f"finite [{unit}]"
        )
    return arr


def finite(name: str, value: ArrayLike, *, unit: str) -> np.ndarray:
    """A float array of finite values, or a ValueError naming the culprit."""
    arr = as_float(name, value)
    if arr.size and -np.inf < arr.min() and arr.max() < np.inf:  # fast path
        return arr
    if not np.all(np.isfinite(arr)):
        bad = arr[~np.isfinite(arr)].ravel()[0] if arr.ndim else arr
        raise ValueError(f"{name}={float(bad):g} must be finite [{unit}]")
    return arr


def valence_array(value: ArrayLike, name: str = "z") -> np.ndarray:
    """Valences as an integer-valued float array; zero or fractional valences are errors."""
    arr = as_float(name, value)
    if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
        raise ValueError(
            f"{name}={show(arr)}: a valence must be a non-zero integer (e.g. 1, -1, 2)"
        )
    if np.any(arr == 0):
        raise ValueError(
            f"{name}=0: an uncharged species has no equilibrium potential; "
            "a valence must be a non-zero integer (e.g. 1 for K+, -1 for Cl-, 2 for Ca2+)"
        )
    return arr


def broadcast_shape(**arrays: ArrayLike) -> tuple[int, ...]:
    """The common broadcast shape of named arrays; a mismatch names the shapes."""
    try:
        return np.broadcast_shapes(*(np.shape(v) for v in arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())
        raise ValueError(f"shapes do not broadcast together: {shapes}") from None


def broadcast(**arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """Broadcast named arrays together; a mismatch names the shapes."""
    try:
        return tuple(np.broadcast_arrays(*arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())
        raise ValueError(f"shapes do not broadcast together: {shapes}") from None


# --------------------------------------------------------------------------- other array libraries

_NATIVE = (float, int, bool, str, list, tuple, type(None), np.ndarray)


def is_foreign(value: Any) -> bool:
    """True for an array of a library other than NumPy (array_api_strict, Dask, JAX, ...)."""
    if type(value) in _NATIVE or isinstance(value, (np.ndarray, np.generic)):
        return False
    if isinstance(value, Mapping):
        return any(is_foreign(v) for v in value.values())
    from array_api_compat import is_array_api_obj  # lazy: only foreign input pays for it

    return bool(is_array_api_obj(value))


def foreign_namespace(*values: Any) -> tuple[Any, Any] | None:
    """(namespace, float dtype) of the foreign arrays among ``values``, or None if there are none.

    The dtype is the common real floating dtype of the foreign floating arrays (float32 stays
    float32), or the library's default floating dtype when none is floating. Mapping values
    are looked into (GHK inputs keyed by ion).
    """
    for v in values:
        if type(v) not in _NATIVE and not isinstance(v, (np.ndarray, np.generic)):
            break
    else:
        return None  # the common case, a handful of type checks
    arrays = [
        a for v in values for a in (v.values() if isinstance(v, Mapping) else (v,)) if is_foreign(a)
    ]
    if not arrays:
        return None
    from array_api_compat import array_namespace

    xp = array_namespace(*arrays)
    floats = [a.dtype for a in arrays if xp.isdtype(a.dtype, "real floating")]
    dtype = xp.result_type(*floats) if floats else xp.asarray(0.0).dtype
    return xp, dtype


def to_numpy(value: Any) -> np.ndarray:
    """A NumPy copy of a concrete (eager) foreign array, for error messages and metadata."""
    try:
        return np.asarray(value)
    except (TypeError, ValueError, RuntimeError):
        return np.from_dlpack(value)


def checked(xp: Any, value: Any, ok: Any, numpy_check: Callable[..., Any], *args: Any) -> Any:
    """``value`` once the elementwise condition ``ok`` holds everywhere.

    ``numpy_check(*args)``, run on NumPy versions of ``args``, raises the specific error when
    the condition fails. Eager arrays: checked now. Dask: the check becomes a task of the
    graph (``value``'s chunks depend on it), raised on compute. Traced arrays (JAX ``jit``):
    offending elements of ``value`` become NaN. See the module docstring.
    """
    from array_api_compat import is_dask_array

    if is_dask_array(value):
        import dask.array as da
        from dask.array.core import unify_chunks

        # Same shape for all (callers broadcast first); one chunking for all, or map_blocks
        # would broadcast single-chunk arrays against multi-chunk ones block by block.
        ind = tuple(range(value.ndim))
        _, arrays = unify_chunks(*(x for a in (value, *args) for x in (a, ind)))
        return da.map_blocks(
            _checked_block, *arrays, check=numpy_check, dtype=value.dtype, meta=value._meta
        )
    try:
        good = bool(xp.all(ok))
    except TypeError:  # a traced value (jax.errors.ConcretizationTypeError): cannot raise
        return xp.where(ok, value, xp.asarray(xp.nan, dtype=value.dtype))
    if not good:
        numpy_check(*(to_numpy(a) if is_foreign(a) else a for a in args))
        raise AssertionError("numpy_check did not raise")  # pragma: no cover
    return value


def _checked_block(block: Any, *blocks: Any, check: Callable[..., Any]) -> Any:
    check(*blocks)
    return block


def xp_float(
    xp: Any,
    dtype: Any,
    value: Any,
    numpy_validator: Callable[[Any], np.ndarray],
    ok: Callable[[Any], Any],
) -> Any:
    """``value`` validated, as a float array of namespace ``xp`` and dtype ``dtype``.

    NumPy/Python input goes through ``numpy_validator`` (eager, as usual); a foreign array is
    cast to ``dtype`` and guarded with ``ok(arr)`` through :func:`checked`.
    """
    if not is_foreign(value):
        arr = numpy_validator(value)
        return xp.asarray(arr, dtype=dtype)
    arr = value if value.dtype == dtype else xp.astype(value, dtype)
    return checked(xp, arr, ok(arr), numpy_validator, arr)


def xp_positive(
    xp: Any, dtype: Any, name: str, value: Any, *, what: str = "concentration", unit: str = "mM"
) -> Any:
    """:func:`positive` for any array library."""
    return xp_float(
        xp,
        dtype,
        value,
        lambda v: positive(name, v, what=what, unit=unit),
        lambda a: (a > 0) & (a < np.inf),
    )


def xp_non_negative(xp: Any, dtype: Any, name: str, value: Any, *, what: str, unit: str) -> Any:
    """:func:`non_negative` for any array library."""
    return xp_float(
        xp,
        dtype,
        value,
        lambda v: non_negative(name, v, what=what, unit=unit),
        lambda a: (a >= 0) & (a < np.inf),
    )


def xp_finite(xp: Any, dtype: Any, name: str, value: Any, *, unit: str) -> Any:
    """:func:`finite` for any array library."""
    return xp_float(xp, dtype, value, lambda v: finite(name, v, unit=unit), xp.isfinite)


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"
