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

Subnormal numbers (|x| < 2.2e-308): XLA (JAX) flushes them to zero, in inputs and in
intermediate results. The contract is that results on such a library agree with NumPy to an
absolute 1e-300 in the result's unit (a subnormal voltage gives the V = 0 current), and that
a subnormal value a check needs to be non-zero (a concentration of 5e-324 mM) is a
``ValueError`` that says so, never a wrong number (``tests/test_array_api.py`` tests both).
"""

from __future__ import annotations

import math
import sys
import types
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
    if type(value) is float:
        return value
    arr = np.asarray(value)
    return float(arr) if arr.ndim == 0 else arr


# --------------------------------------------------------------------------- real numbers

#: Python types taken as real numbers without inspection (bool is not one of them).
_REAL_SCALARS = (float, int)
#: The largest Python int taken as a float without inspection (larger ones may not fit).
_INT_LIMIT = int(sys.float_info.max)


def _where(index: tuple[int, ...], shape: tuple[int, ...]) -> str:
    """ " (index 1 of an array of shape (3,))", or "" for a scalar."""
    if not shape:
        return ""
    at = index[0] if len(index) == 1 else list(index)
    return f" (index {at} of an array of shape {shape})"


def _bad_element(value: Any) -> tuple[tuple[int, ...], tuple[int, ...], Any, str] | None:
    """(index, shape, element, reason) of the first element that is not a real number."""
    try:
        obj = np.asarray(value, dtype=object)
    except (TypeError, ValueError):  # pragma: no cover - ragged input fails below anyway
        return (), (), value, "not a number or a (rectangular) array of numbers"
    for index, el in np.ndenumerate(obj):
        if isinstance(el, (bool, np.bool_)):
            return index, obj.shape, el, "a boolean is not a number"
        if isinstance(el, (complex, np.complexfloating)):
            return index, obj.shape, el, "a complex number is not accepted (give the real value)"
        if el is None:
            return index, obj.shape, el, "None is not a number"
        if isinstance(el, (str, bytes)):
            return index, obj.shape, el, "a string is not a number"
        try:
            float(el)
        except OverflowError:
            return index, obj.shape, el, "beyond the float range (about 1.8e308)"
        except (TypeError, ValueError):
            return index, obj.shape, el, "not a real number"
    return None


def _has_bool(seq: Any) -> bool:
    """True if a (nested) list/tuple holds a bool (np.asarray would read it as 0 or 1)."""
    types = set(map(type, seq))
    if bool in types or np.bool_ in types:
        return True
    return any(_has_bool(el) for el in seq if isinstance(el, (list, tuple)))


def as_float(name: str, value: Any, *, what: str = "number", unit: str = "") -> np.ndarray:
    """``value`` as a float array, or a ValueError naming the first element that is not a real
    number (booleans, complex numbers, strings and None are rejected, not converted)."""
    t = type(value)
    if t is float:
        return np.asarray(value, dtype=float)
    if t is int and -_INT_LIMIT <= value <= _INT_LIMIT:
        return np.asarray(value, dtype=float)
    if t is np.ndarray and value.dtype.kind in "fiu":
        return value if value.dtype == np.float64 else value.astype(float)
    kind = None
    if t is not bool and value is not None and not isinstance(value, (str, bytes, complex)):
        try:
            arr = np.asarray(value)
            kind = arr.dtype.kind
        except (TypeError, ValueError):
            kind = None
        if (
            kind in ("f", "i", "u")
            and not (isinstance(value, (list, tuple)) and _has_bool(value))
            and not isinstance(value, np.bool_)
        ):
            return arr.astype(float, copy=False)
    bad = _bad_element(value)
    if bad is None:  # e.g. Fraction or Decimal elements: real numbers float() accepts
        try:
            return np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            bad = ((), (), value, "not a number or a (rectangular) array of numbers")
    index, shape, el, reason = bad
    units = f" [{unit}]" if unit else ""
    raise ValueError(
        f"{name}={_short(el)}{_where(index, shape)}: {reason}; {name} must be "
        f"{_article(what)} {what} or an array of them{units}"
    )


def _short(el: Any) -> str:
    """repr of a bad element, an int too long for a float as 1.23e+400."""
    if isinstance(el, int) and not isinstance(el, bool) and abs(el) > _INT_LIMIT:
        digits = str(abs(el))
        sign = "-" if el < 0 else ""
        return f"{sign}{digits[0]}.{digits[1:3]}e+{len(digits) - 1}"
    return repr(el)


def _first_bad(arr: np.ndarray, ok: np.ndarray) -> tuple[float, str]:
    """The first element of ``arr`` where ``ok`` is False, and where it is."""
    if arr.ndim == 0:
        return float(arr), ""
    index = tuple(int(i) for i in np.argwhere(~ok)[0])
    return float(arr[index]), _where(index, arr.shape)


def positive(
    name: str, value: ArrayLike, *, what: str = "concentration", unit: str = "mM"
) -> np.ndarray:
    """A float array of strictly positive, finite values, or a ValueError naming the culprit."""
    if type(value) in _REAL_SCALARS and 0 < value < np.inf:  # type: ignore[operator]
        return as_float(name, value, what=what, unit=unit)
    arr = as_float(name, value, what=what, unit=unit)
    if arr.size and arr.min() > 0 and arr.max() < np.inf:  # fast path; NaN fails min() > 0
        return arr
    ok = np.isfinite(arr) & (arr > 0)
    if not np.all(ok):
        bad, where = _first_bad(arr, ok)
        raise ValueError(
            f"{name}={bad:g}{where}: {_article(what)} {what} must be positive and finite [{unit}]"
        )
    return arr


def non_negative(name: str, value: ArrayLike, *, what: str, unit: str) -> np.ndarray:
    """A float array of finite values >= 0, or a ValueError naming the culprit."""
    if type(value) in _REAL_SCALARS and 0 <= value < np.inf:  # type: ignore[operator]
        return as_float(name, value, what=what, unit=unit)
    arr = as_float(name, value, what=what, unit=unit)
    if arr.size and arr.min() >= 0 and arr.max() < np.inf:  # fast path; NaN fails min() >= 0
        return arr
    ok = np.isfinite(arr) & (arr >= 0)
    if not np.all(ok):
        bad, where = _first_bad(arr, ok)
        raise ValueError(
            f"{name}={bad:g}{where}: {_article(what)} {what} must be zero or positive and "
            f"finite [{unit}]"
        )
    return arr


def finite(name: str, value: ArrayLike, *, unit: str, what: str = "value") -> np.ndarray:
    """A float array of finite values, or a ValueError naming the culprit."""
    if type(value) in _REAL_SCALARS and -np.inf < value < np.inf:  # type: ignore[operator]
        return as_float(name, value, what=what, unit=unit)
    arr = as_float(name, value, what=what, unit=unit)
    if arr.size and -np.inf < arr.min() and arr.max() < np.inf:  # fast path
        return arr
    ok = np.isfinite(arr)
    if not np.all(ok):
        bad, where = _first_bad(arr, ok)
        raise ValueError(f"{name}={bad:g} must be finite [{unit}]{where}")
    return arr


def valence_array(value: ArrayLike, name: str = "z") -> np.ndarray:
    """Valences as an integer-valued float array; zero or fractional valences are errors."""
    arr = as_float(name, value, what="valence", unit="unitless")
    ok = np.isfinite(arr) & (arr == np.round(arr))
    if not np.all(ok):
        bad, where = _first_bad(arr, ok)
        raise ValueError(
            f"{name}={bad:g}{where}: a valence must be a non-zero integer (e.g. 1, -1, 2)"
        )
    if np.any(arr == 0):
        _, where = _first_bad(arr, arr != 0)
        raise ValueError(
            f"{name}=0{where}: an uncharged species has no equilibrium potential; "
            "a valence must be a non-zero integer (e.g. 1 for K+, -1 for Cl-, 2 for Ca2+)"
        )
    return arr


def ion_mapping(name: str, mapping: Any) -> dict[str, Any]:
    """A mapping ion name -> value re-keyed by canonical ion symbol, in the given order.

    Raises
    ------
    ValueError
        ``mapping`` is not a mapping, a key is not a string or not a known ion, or two keys
        name the same ion (directly or through an alias, e.g. "K+" and "potassium"): the
        message names both spellings.

    Examples
    --------
    >>> ion_mapping("c_in", {"potassium": 140, "Na": 10})
    {'K+': 140, 'Na+': 10}
    """
    from nernst.ions import ions  # the ion table imports nothing from here at module level

    if not isinstance(mapping, Mapping):
        raise ValueError(
            f"{name} must be a mapping of ion name -> value (e.g. {{'K+': 140}}), "
            f"got {type(mapping).__name__}"
        )
    out: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    spellings = ions.symbols_by_key()
    for key, value in mapping.items():
        if not isinstance(key, str):
            raise ValueError(f"{name} has the key {key!r}: ion names are strings such as 'K+'")
        symbol = spellings.get(key) or ions.resolve(key)
        if symbol in out:
            raise ValueError(
                f"{name} names the ion {symbol} twice, as {spelled[symbol]!r} and {key!r}; "
                "give each ion once"
            )
        out[symbol] = value
        spelled[symbol] = key
    return out


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


class QuantityInputError(TypeError):
    """A pint Quantity reached a function that takes plain numbers in the package's units.

    The functions of the modules (``nernst.nernst.equilibrium_potential``, ...) read plain
    numbers as mV, mM, degC, cm/s; their top-level namesakes (``nernst.equilibrium_potential``)
    convert Quantities first. A Quantity is refused here rather than read by its magnitude:
    ``Quantity(0.14, "M")`` as 0.14 mM would be a silent factor of 1000. The top-level
    wrappers catch this error and convert.
    """


def is_quantity(value: Any) -> bool:
    """Whether ``value`` is a pint Quantity (recognised without importing pint).

    Parameters
    ----------
    value : object
        Anything.

    Returns
    -------
    bool
        True when the type of ``value`` comes from the ``pint`` package.

    Examples
    --------
    >>> is_quantity(1.0)
    False
    >>> import pint
    >>> is_quantity(pint.UnitRegistry().Quantity(1.0, "mM"))
    True
    """
    module = type(value).__module__
    return module == "pint" or module.startswith("pint.")


def refuse_quantities(*values: Any) -> None:
    """Raise :class:`QuantityInputError` when a value, a mapping value or the first element
    of a list or tuple is a pint Quantity (recognised without importing pint)."""
    for v in values:
        if type(v) in (float, int):
            continue
        if isinstance(v, Mapping):
            found = next((f"[{k!r}]" for k, x in v.items() if is_quantity(x)), None)
        elif type(v) in (list, tuple):
            # the first element decides, as in the units wrapper: a list of Quantities would
            # lose its units in np.asarray, and a list mixing them with numbers fails there
            found = "[0]" if v and is_quantity(v[0]) else None
        else:
            found = "" if is_quantity(v) else None
        if found is not None:
            raise QuantityInputError(
                f"a pint Quantity (value{found}) was passed to a function that takes plain "
                "numbers in the package's units (mV, mM, degC, cm/s): call the top-level "
                "function of the same name (nernst.<function>), which converts Quantities, "
                "or pass the magnitude in those units (quantity.m_as('mM'))"
            )


def foreign_namespace(*values: Any) -> tuple[Any, Any] | None:
    """(namespace, float dtype) of the foreign arrays among ``values``, or None if there are none.

    The dtype is the common real floating dtype of the foreign floating arrays (float32 stays
    float32), or the library's default floating dtype when none is floating. Mapping values
    are looked into (GHK inputs keyed by ion).
    """
    sequence = False
    for v in values:
        t = type(v)
        if t not in _NATIVE and not isinstance(v, (np.ndarray, np.generic)):
            break
        if t is list or t is tuple:
            sequence = True
    else:
        if sequence:  # a list of Quantities would otherwise lose its units in np.asarray
            refuse_quantities(*values)
        return None  # the common case, a handful of type checks
    refuse_quantities(*values)
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
        # NumPy accepts what the library rejected: a subnormal number the library flushes to
        # zero (XLA does), e.g. a concentration of 5e-324 mM that JAX sees as 0.
        raise ValueError(
            f"an input holds a subnormal number (|x| < {np.finfo(float).tiny:.3g}) that "
            f"{getattr(xp, '__name__', 'this array library')} flushes to zero, so it fails a "
            "check it passes in NumPy; rescale the inputs or pass NumPy arrays"
        )
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


# --------------------------------------------------------------------------- one body, any library


def _scalar_log(x: float) -> float:
    if x > 0:
        return math.log(x) if x < math.inf else math.inf
    return -math.inf if x == 0 else math.nan


def _scalar_log10(x: float) -> float:
    if x > 0:
        return math.log10(x) if x < math.inf else math.inf
    return -math.inf if x == 0 else math.nan


def _scalar_exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _scalar_expm1(x: float) -> float:
    try:
        return math.expm1(x)
    except OverflowError:
        return math.inf


def _scalar_sqrt(x: float) -> float:
    return math.sqrt(x) if x >= 0 else math.nan


def _scalar_where(cond: bool, a: float, b: float) -> float:
    return a if cond else b


def _scalar_maximum(a: float, b: float) -> float:
    return a if a >= b else b


def _scalar_minimum(a: float, b: float) -> float:
    return a if a <= b else b


def _scalar_all(x: Any) -> bool:
    return bool(x)


def _scalar_asarray(x: Any, dtype: Any = None) -> float:
    return float(x)


def _scalar_broadcast_to(x: float, shape: tuple[int, ...]) -> float:
    return x


def _scalar_namespace() -> Any:
    """The few Array API functions the physics bodies use, on Python floats (``math``).

    Every equation is written once against an array namespace ``xp``. For Python scalars the
    namespace is this one, so a scalar call runs the same body without NumPy's per-call
    overhead (about 1 us per ufunc on a 0-d array). Like NumPy it returns inf/NaN instead of
    raising for log(0), log(-1) or an overflowing exp; ``where`` selects between two values
    computed beforehand, as ``xp.where`` does. It is a module object because attribute
    look-ups on a module are the fastest Python has (the scalar ``ghk_current`` calls six).
    """
    ns = types.ModuleType("nernst._validate.SCALAR", _scalar_namespace.__doc__)
    ns.__dict__.update(
        float64=float,
        inf=math.inf,
        nan=math.nan,
        log=_scalar_log,
        log10=_scalar_log10,
        exp=_scalar_exp,
        expm1=_scalar_expm1,
        sqrt=_scalar_sqrt,
        abs=abs,
        hypot=math.hypot,
        isfinite=math.isfinite,
        where=_scalar_where,
        maximum=_scalar_maximum,
        minimum=_scalar_minimum,
        all=_scalar_all,
        asarray=_scalar_asarray,
        broadcast_to=_scalar_broadcast_to,
    )
    return ns


#: The scalar namespace (Python floats through ``math``; see :func:`_scalar_namespace`).
SCALAR: Any = _scalar_namespace()

#: :data:`SCALAR` with ``math``'s own functions, which raise (OverflowError, ValueError)
#: where :data:`SCALAR` returns inf or NaN, and are otherwise the same functions with the
#: same results. For fast paths only: one that meets an exception hands the call to the
#: general path (no Python wrapper per call: about 50 ns saved per function).
SCALAR_RAISING: Any = types.ModuleType("nernst._validate.SCALAR_RAISING", SCALAR.__doc__)
SCALAR_RAISING.__dict__.update(
    {k: v for k, v in SCALAR.__dict__.items() if not k.startswith("__")},
    log=math.log,
    log10=math.log10,
    exp=math.exp,
    expm1=math.expm1,
    sqrt=math.sqrt,
)


def scalar_body(body: Callable[..., Any]) -> Callable[..., Any]:
    """The scalar form of an equation's body, generated from its source.

    ``body(xp, ...)`` is written once against an array namespace. On :data:`SCALAR` every
    ``xp.where(c, a, b)`` merely picks ``a`` or ``b``; this returns ``body`` recompiled with
    each such call written as ``(a if c else b)``: the same arithmetic, in the same order,
    on the same values, without a function call per selection and without computing the
    branch not taken (about 20% of a scalar GHK flux). Nothing else changes; tracebacks
    point at the body's own lines. When the source cannot be read (a frozen build) or
    ``body`` is a closure, ``body`` itself is returned. Call the result with ``xp=SCALAR``
    only. Its exp/log are ``math``'s (libm), the NumPy run's are NumPy's own, and these
    differ in the last bit for some arguments (NumPy's AVX-512 loops); so
    ``tests/test_validate.py`` checks the scalar form against the NumPy run of the body to a
    few units in the last place, not bit for bit.
    """
    import ast
    import inspect
    import textwrap

    if body.__code__.co_freevars:  # a closure: recompiled alone it would lose its cells
        return body
    try:  # a few milliseconds, once per body
        lines, first = inspect.getsourcelines(body)
        filename = inspect.getsourcefile(body) or "<nernst scalar body>"
    except (OSError, TypeError):  # pragma: no cover - no source shipped
        return body
    source = textwrap.dedent("".join(lines))

    class _WhereToIfExp(ast.NodeTransformer):
        def visit_Call(self, node: ast.Call) -> Any:
            self.generic_visit(node)
            f = node.func
            if (
                isinstance(f, ast.Attribute)
                and f.attr == "where"
                and isinstance(f.value, ast.Name)
                and f.value.id == "xp"
                and len(node.args) == 3
                and not node.keywords
            ):
                return ast.copy_location(
                    ast.IfExp(test=node.args[0], body=node.args[1], orelse=node.args[2]), node
                )
            return node

    tree = ast.parse(source)
    ast.increment_lineno(tree, first - 1)
    function = tree.body[0]
    if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        function.decorator_list = []
    tree = ast.fix_missing_locations(_WhereToIfExp().visit(tree))
    scope: dict[str, Any] = {}
    exec(compile(tree, filename, "exec"), body.__globals__, scope)  # our own source, rewritten
    generated: Callable[..., Any] = scope[body.__name__]
    generated.__qualname__ = f"scalar_body({body.__qualname__})"
    return generated


def namespace(*values: Any) -> tuple[Any, Any]:
    """(xp, float dtype) for the inputs of one call.

    :data:`SCALAR` when every value is a Python int or float (not bool), NumPy itself
    (``numpy`` implements the Array API standard since 2.0) for NumPy or other Python input
    (lists, mappings of those), and the ``array_api_compat`` namespace of the foreign arrays
    otherwise (:func:`foreign_namespace`).
    """
    for v in values:
        t = type(v)
        if t is not float and t is not int:
            break
    else:
        return SCALAR, float
    ns = foreign_namespace(*values)
    return (np, np.float64) if ns is None else ns


def result(xp: Any, value: Any) -> Any:
    """What a public function returns: a float for scalar input, a NumPy array (0-d as a
    float) for NumPy input, the array of the input's library otherwise."""
    if xp is SCALAR:
        return float(value)
    if xp is np:
        return scalar_or_array(value)
    return value


def all_true(xp: Any, condition: Any) -> bool | None:
    """Whether an elementwise condition holds everywhere, or None when that cannot be known
    without computing (Dask) or at all (traced JAX values)."""
    if xp is SCALAR:
        return bool(condition)
    if xp is np:
        return bool(np.all(condition))
    from array_api_compat import is_lazy_array

    if is_lazy_array(condition):
        return None
    try:
        return bool(xp.all(condition))
    except TypeError:  # a traced value (jax.errors.ConcretizationTypeError)
        return None


def screened_positive(value: Any) -> bool:
    """A cheap screen for the NumPy fast path: True for a Python float/int or a non-empty
    float64 NumPy array whose minimum is > 0 (NaN fails). Infinity passes the screen, so a
    caller that uses it must check its result with :func:`all_finite` and validate in full
    (:func:`positive`, which names the culprit) when that fails."""
    t = type(value)
    if t is float or t is int:
        return value > 0
    if t is np.ndarray and value.dtype == np.float64 and value.size:
        if value.ndim == 1:  # argmin has a third of a ufunc reduction's fixed cost
            return bool(value[value.argmin()] > 0)  # argmin finds the first NaN, if any
        return bool(np.minimum.reduce(value, axis=None) > 0)
    return False


def all_finite(xp: Any, value: Any) -> bool | None:
    """Whether every element is finite (NumPy: one summation pass), or None if unknowable."""
    if xp is SCALAR:
        return math.isfinite(value)
    if xp is np:
        # One pass; a sum of finite values that overflows only costs the caller its slow
        # path. Call it under np.errstate(all="ignore") (inf - inf warns otherwise).
        return math.isfinite(np.add.reduce(value, axis=None))
    return all_true(xp, xp.isfinite(value))


_CHECKS: dict[str, Callable[..., np.ndarray]] = {
    "positive": positive,
    "non_negative": non_negative,
}


def real(
    xp: Any,
    dtype: Any,
    name: str,
    value: Any,
    check: str = "finite",
    *,
    what: str = "value",
    unit: str = "",
) -> Any:
    """``value`` validated as a real number or array in namespace ``xp``.

    ``check`` is "positive" (> 0 and finite), "non_negative" (>= 0 and finite) or "finite".
    Python scalars stay floats (:data:`SCALAR`), NumPy input gives float64 arrays, a foreign
    array keeps its library (errors surface as described in the module docstring).
    """

    def numpy_check(v: Any) -> np.ndarray:
        if check == "finite":
            return finite(name, v, unit=unit, what=what)
        return _CHECKS[check](name, v, what=what, unit=unit)

    if type(value) is float or (type(value) is int and -_INT_LIMIT <= value <= _INT_LIMIT):
        v = float(value)  # a Python float mixes with any namespace
        lo_ok = v > 0 if check == "positive" else (v >= 0 if check == "non_negative" else True)
        if lo_ok and -math.inf < v < math.inf:
            return v
        numpy_check(value)  # raises
    if xp is np or not is_foreign(value):
        arr = numpy_check(value)
        return arr if xp is np else xp.asarray(arr, dtype=dtype)
    if check == "positive":
        return xp_float(xp, dtype, value, numpy_check, lambda a: (a > 0) & (a < np.inf))
    if check == "non_negative":
        return xp_float(xp, dtype, value, numpy_check, lambda a: (a >= 0) & (a < np.inf))
    return xp_float(xp, dtype, value, numpy_check, xp.isfinite)
