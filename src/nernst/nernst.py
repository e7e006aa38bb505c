"""Equilibrium (Nernst) potentials.

Conventions: potentials are V_in - V_out in mV, concentrations in mM, temperature in degC
(keyword ``celsius``, default 37).

The equation has one body, written against an array namespace: Python floats, NumPy arrays
and the arrays of other Array API libraries (array_api_strict, Dask, JAX, ...) all run it
(see :func:`nernst._validate.namespace`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nernst._validate import (
    SCALAR,
    all_finite,
    broadcast_shape,
    namespace,
    real,
    result,
    screened_positive,
)
from nernst.constants import (
    _RT_OVER_F,
    BODY_TEMPERATURE_C,
    MAX_CELSIUS,
    ZERO_CELSIUS,
    rt_over_f,
)
from nernst.ions import valence

__all__ = ["equilibrium_potential"]


def equilibrium_potential(
    ion: str | int | ArrayLike,
    /,
    *,
    c_in: ArrayLike,
    c_out: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
    gamma_in: ArrayLike = 1.0,
    gamma_out: ArrayLike = 1.0,
) -> float | np.ndarray:
    r"""Equilibrium (Nernst) potential of an ion, inside relative to outside.

    .. math:: E = \frac{RT}{zF} \ln\frac{\gamma_{out} c_{out}}{\gamma_{in} c_{in}}

    Parameters
    ----------
    ion : str, int or array of int
        Ion name from the ion table ("K+", "Ca2+") or its valence z (non-zero integer).
    c_in, c_out : array_like
        Concentrations inside and outside the cell. [mM]
    celsius : array_like, default 37.0
        Temperature. [degC]
    gamma_in, gamma_out : array_like, default 1.0
        Activity coefficients inside and outside; activities are gamma * c. [unitless]

    Returns
    -------
    E : float or ndarray
        V_in - V_out at which the ion is at electrochemical equilibrium, broadcast over all
        arguments; a float when every argument is a scalar. Arrays of another Array API
        library (array_api_strict, Dask, JAX, ...) give an array of that library (lazy for
        Dask; jit-able and differentiable for JAX); see :mod:`nernst._validate` for how
        invalid values surface there. [mV]

    Raises
    ------
    ValueError
        Non-positive or non-finite concentration or activity coefficient, a value that is
        not a real number (booleans, complex numbers, strings, None), z = 0 or not an
        integer, unknown ion name, temperature below absolute zero or above 150 degC
        (probably Kelvin), shapes that do not broadcast.

    See Also
    --------
    nernst.ghk_voltage : the potential at which several permeant ions carry no net current.
    nernst.ghk_current : the current an ion carries away from its equilibrium potential.
    nernst.constants.thermal_voltage : RT/F.

    Notes
    -----
    The ratio :math:`\gamma_{out} c_{out} / (\gamma_{in} c_{in})` is formed first (one
    division and one logarithm per element, in place for large NumPy arrays). Where it leaves
    the float range (e.g. 1e300 mM / 1e-300 mM) the logarithms are summed instead, so every
    positive finite input gives the exact finite potential. The result agrees with an mpmath
    reference to rounding (``tests/test_ghk_mpmath.py``).

    Examples
    --------
    >>> round(equilibrium_potential("K+", c_in=140, c_out=5, celsius=37), 2)
    -89.06
    >>> equilibrium_potential(2, c_in=[1e-4, 1e-3], c_out=2).round(1)
    array([132.3, 101.6])

    References
    ----------
    .. [1] Nernst W. (1889) Die elektromotorische Wirksamkeit der Ionen. Z. Phys. Chem.
       4:129-181. https://doi.org/10.1515/zpch-1889-0412
    .. [2] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14.
    """
    z = valence(ion)
    if (
        (type(c_in) is float or type(c_in) is int)
        and (type(c_out) is float or type(c_out) is int)
        and type(z) is int
        and _is_one(gamma_in)
        and _is_one(gamma_out)
    ):
        E_scalar = _scalar_body(z, c_in, c_out, celsius)
        if E_scalar is not None:
            return E_scalar
    if (
        type(c_in) is np.ndarray
        and type(c_out) is np.ndarray
        and type(z) is int
        and (type(celsius) is float or type(celsius) is int)
        and _is_one(gamma_in)
        and _is_one(gamma_out)
    ):
        # The common array call, with the fewest checks that cannot miss a bad value (see
        # _screened_body); anything it does not vouch for takes the general path below.
        E = _screened_body(rt_over_f(np, np.float64, celsius) / z, c_in, c_out)
        if E is not None:
            return E if E.ndim else float(E)
    xp, dtype = namespace(z, c_in, c_out, celsius, gamma_in, gamma_out)
    vt = rt_over_f(xp, dtype, celsius)
    if xp is np and _screened(c_in, c_out, gamma_in, gamma_out):
        # NumPy fast path: the same body on screened inputs (minimum > 0); an infinite input
        # shows as a non-finite result, and then the full validation below names it.
        zx = z if type(z) is int else np.asarray(z, dtype=float)
        with np.errstate(all="ignore"):
            try:
                E = _nernst_body(
                    np, vt / zx, c_in, c_out, _no_gamma(gamma_in), _no_gamma(gamma_out), False
                )
            except ValueError:
                E = None
        if E is not None:
            return result(np, E)
    ci = real(xp, dtype, "c_in", c_in, "positive", what="concentration", unit="mM")
    co = real(xp, dtype, "c_out", c_out, "positive", what="concentration", unit="mM")
    gi = None if _is_one(gamma_in) else _gamma(xp, dtype, "gamma_in", gamma_in)
    go = None if _is_one(gamma_out) else _gamma(xp, dtype, "gamma_out", gamma_out)
    zx = z if type(z) is int else xp.asarray(z, dtype=dtype)
    try:
        E = _nernst(xp, vt / zx, ci, co, gi, go)
    except (ValueError, TypeError):  # shapes that do not broadcast (JAX: TypeError): say which
        broadcast_shape(
            z=z, celsius=celsius, c_in=c_in, c_out=c_out, gamma_in=gamma_in, gamma_out=gamma_out
        )
        raise
    return result(xp, E)


def _scalar_body(z: int, c_in: float, c_out: float, celsius: Any) -> float | None:
    """The body on Python numbers with the cheapest checks (positive and finite), or None
    for anything else (then the general path names the problem or sums the logarithms).
    The same operations as the general path's scalar call, so the same result
    (``tests/test_validate.py`` checks it against the NumPy run of the body)."""
    if type(celsius) is not float and type(celsius) is not int:
        return None
    try:
        vt = _RT_OVER_F[celsius]  # RT/F of a temperature seen before (valid, so cached)
    except KeyError:
        if not -ZERO_CELSIUS < celsius <= MAX_CELSIUS:
            return None
        vt = rt_over_f(SCALAR, float, celsius)
    try:  # x * 1.0 is float(x), exactly, for a float or an int
        ci, co, prefactor = c_in * 1.0, c_out * 1.0, vt / z
    except OverflowError:  # an int beyond the float range
        return None
    if 0.0 < ci < math.inf and 0.0 < co < math.inf:
        E: float | None = _nernst_body(SCALAR, prefactor, ci, co, None, None, False)
        return E
    return None


@np.errstate(all="ignore")  # as a decorator: a third of the cost of the `with` form
def _screened_body(prefactor: float, c_in: np.ndarray, c_out: np.ndarray) -> np.ndarray | None:
    """The body on two float64 NumPy arrays, or None when their validity is not certain.

    One reduction suffices: with min(c_in) > 0 (NaN fails it), a c_out that is zero,
    negative, NaN or infinite, or an infinite c_in, makes some c_out/c_in zero, negative,
    infinite or NaN, so the potential is not finite there, and the body then returns None
    (as it does for a ratio beyond the float range). The general path then names the
    culprit or sums the logarithms.
    """
    if c_out.dtype != np.float64 or not screened_positive(c_in):
        return None
    try:
        return _nernst_body(np, prefactor, c_in, c_out, None, None, False)
    except ValueError:  # shapes that do not broadcast: the general path says which
        return None


def _nernst(xp: Any, prefactor: Any, c_in: Any, c_out: Any, g_in: Any, g_out: Any) -> Any:
    """E = prefactor ln(g_out c_out / (g_in c_in)) on validated inputs of namespace ``xp``."""
    if xp is SCALAR:
        return _nernst_body(xp, prefactor, c_in, c_out, g_in, g_out)
    with np.errstate(all="ignore"):  # NumPy-backed only; out-of-range ratios are handled
        return _nernst_body(xp, prefactor, c_in, c_out, g_in, g_out)


def _nernst_body(
    xp: Any,
    prefactor: Any,
    c_in: Any,
    c_out: Any,
    g_in: Any,
    g_out: Any,
    fallback: bool = True,
) -> Any:
    """The equation itself (see :func:`_nernst`); without ``fallback`` a result that is not
    finite everywhere gives None instead of the sum of logarithms."""
    a_out = c_out if g_out is None else c_out * g_out
    a_in = c_in if g_in is None else c_in * g_in
    ratio = a_out / a_in
    if type(ratio) is float and xp is not SCALAR and xp is not np:  # only celsius is an array
        ratio = xp.asarray(ratio, dtype=prefactor.dtype)
    E = _times(xp, _log(xp, ratio), prefactor)
    known = _finite(xp, E)
    if known:
        return E
    if not fallback:
        return None
    # A ratio beyond the float range: sum the logarithms instead. Both branches are
    # finite for valid input, so a gradient through the unused one stays finite too.
    ratio = a_out / a_in  # again: the in-place logarithm overwrote it
    if type(ratio) is float and xp is not SCALAR and xp is not np:
        ratio = xp.asarray(ratio, dtype=prefactor.dtype)
    in_range = (ratio > 0) & (ratio < math.inf)
    safe = xp.where(in_range, ratio, xp.asarray(1.0, dtype=_dtype(xp, ratio)))
    dt = _dtype(xp, ratio)

    def log(x: Any) -> Any:  # Python floats become arrays of the namespace first
        return xp.log(x if xp is SCALAR or type(x) is not float else xp.asarray(x, dtype=dt))

    logs = log(c_out) - log(c_in)
    if g_out is not None:
        logs = logs + log(g_out)
    if g_in is not None:
        logs = logs - log(g_in)
    return xp.where(in_range, xp.log(safe), logs) * prefactor


def _log(xp: Any, x: Any) -> Any:
    """xp.log(x), in place for a NumPy array the caller owns."""
    if xp is np and type(x) is np.ndarray and x.ndim:
        return np.log(x, out=x)
    return xp.log(x)


def _times(xp: Any, x: Any, y: Any) -> Any:
    """x * y, in place into x for a NumPy array the caller owns when the shapes allow."""
    if xp is np and type(x) is np.ndarray and x.ndim and type(y) is float:
        return np.multiply(x, y, out=x)
    if xp is np and type(x) is np.ndarray and x.ndim and np.ndim(y) <= x.ndim:
        if np.ndim(y) == 0 or np.broadcast_shapes(x.shape, np.shape(y)) == x.shape:
            return np.multiply(x, y, out=x)
    return x * y


def _finite(xp: Any, E: Any) -> bool | None:
    """Whether every potential is finite (None: unknowable); a False may be wrong only for
    potentials beyond 1e150 mV, and then merely costs the sum of logarithms."""
    if xp is np and type(E) is np.ndarray and E.ndim == 1 and E.size <= _DOT_SIZE:
        return math.isfinite(E.dot(E))  # BLAS: a third of np.add.reduce's overhead
    return all_finite(xp, E)


#: Up to this size a dot product is the cheaper finiteness test; beyond it, a sum.
_DOT_SIZE = 65536


def _dtype(xp: Any, x: Any) -> Any:
    return None if xp is SCALAR else x.dtype


def _screened(*values: Any) -> bool:
    return all(_is_one(v) or screened_positive(v) for v in values)


def _no_gamma(gamma: Any) -> Any:
    return None if _is_one(gamma) else gamma


def _gamma(xp: Any, dtype: Any, name: str, value: Any) -> Any:
    return real(xp, dtype, name, value, "positive", what="activity coefficient", unit="1")


def _is_one(gamma: ArrayLike) -> bool:
    return type(gamma) in (float, int) and gamma == 1
