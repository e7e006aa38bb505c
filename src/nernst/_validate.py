"""Input validation shared by the public physics functions.

Validation happens once, at the public boundary; inner helpers trust their inputs. Every
message names the argument, the offending value and what would be right.
"""

from __future__ import annotations

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


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"
