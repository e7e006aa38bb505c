"""Equilibrium (Nernst) potentials.

Conventions: potentials are V_in - V_out in mV, concentrations in mM, temperature in degC
(keyword ``celsius``, default 37).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nernst._validate import (
    broadcast_shape,
    foreign_namespace,
    positive,
    scalar_or_array,
    xp_positive,
)
from nernst.constants import (
    BODY_TEMPERATURE_C,
    FARADAY,
    GAS_CONSTANT,
    MAX_CELSIUS,
    ZERO_CELSIUS,
    kelvin,
    xp_kelvin,
)
from nernst.ions import valence

__all__ = ["equilibrium_potential"]

_MV_PER_V = 1e3


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
        Non-positive or non-finite concentration or activity coefficient, z = 0 or not an
        integer, unknown ion name, temperature below absolute zero or above 150 degC
        (probably Kelvin), shapes that do not broadcast.

    Examples
    --------
    >>> round(equilibrium_potential("K+", c_in=140, c_out=5, celsius=37), 2)
    -89.06
    >>> equilibrium_potential(2, c_in=[1e-4, 1e-3], c_out=2).round(1)
    array([132.3, 101.6])

    References
    ----------
    .. [1] Nernst W. (1889) Die elektromotorische Wirksamkeit der Ionen. Z. Phys. Chem.
       4:129-181.
    .. [2] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14.
    """
    z = valence(ion)  # concrete: a foreign array of valences is converted by np.asarray
    if (
        type(z) is int
        and type(c_in) in _SCALARS
        and type(c_out) in _SCALARS
        and type(celsius) in _SCALARS
        and type(gamma_in) in _SCALARS
        and type(gamma_out) in _SCALARS
    ):
        return _scalar_nernst(z, c_in, c_out, celsius, gamma_in, gamma_out)  # type: ignore[arg-type]
    ns = foreign_namespace(c_in, c_out, celsius, gamma_in, gamma_out)
    if ns is not None:
        return _xp_nernst(*ns, z, c_in, c_out, celsius, gamma_in, gamma_out)
    T = kelvin(celsius)
    a_in = positive("c_in", c_in)
    a_out = positive("c_out", c_out)
    z_arr = np.asarray(z, float)
    shape = broadcast_shape(
        z=z_arr, celsius=T, c_in=a_in, c_out=a_out, gamma_in=gamma_in, gamma_out=gamma_out
    )
    g_in: ArrayLike = 1.0
    g_out: ArrayLike = 1.0
    if not _is_one(gamma_in):
        g_in = positive("gamma_in", gamma_in, what="activity coefficient", unit="1")
        a_in = a_in * g_in
    if not _is_one(gamma_out):
        g_out = positive("gamma_out", gamma_out, what="activity coefficient", unit="1")
        a_out = a_out * g_out
    # Few passes over large arrays: one divide, an in-place log, an in-place scale.
    prefactor = GAS_CONSTANT * T / (z_arr * FARADAY) * _MV_PER_V
    with np.errstate(over="ignore", under="ignore", divide="ignore"):
        E = np.divide(a_out, a_in)
        if E.ndim and E.shape == shape:
            np.log(E, out=E)
            np.multiply(E, prefactor, out=E)
        else:
            E = np.log(E) * prefactor
    if not np.all(np.isfinite(E)):
        # A ratio beyond the float range (e.g. 1e300 / 1e-300): sum the logarithms instead.
        log_ratio = np.log(c_out) + np.log(g_out) - np.log(c_in) - np.log(g_in)
        E = np.broadcast_to(log_ratio * prefactor, shape).copy() if shape else log_ratio * prefactor
    return scalar_or_array(E)


def _xp_nernst(
    xp: Any,
    dtype: Any,
    z: int | np.ndarray,
    c_in: Any,
    c_out: Any,
    celsius: Any,
    gamma_in: Any,
    gamma_out: Any,
) -> Any:
    """The array path in namespace ``xp`` (Array API standard functions only)."""
    broadcast_shape(
        z=np.asarray(z),
        celsius=celsius,
        c_in=c_in,
        c_out=c_out,
        gamma_in=gamma_in,
        gamma_out=gamma_out,
    )
    T = xp_kelvin(xp, dtype, celsius)
    c_i = xp_positive(xp, dtype, "c_in", c_in)
    c_o = xp_positive(xp, dtype, "c_out", c_out)
    g_i = xp_positive(xp, dtype, "gamma_in", gamma_in, what="activity coefficient", unit="1")
    g_o = xp_positive(xp, dtype, "gamma_out", gamma_out, what="activity coefficient", unit="1")
    z_x = float(z) if np.ndim(z) == 0 else xp.asarray(z, dtype=dtype)
    prefactor = GAS_CONSTANT * T / (z_x * FARADAY) * _MV_PER_V
    with np.errstate(over="ignore", under="ignore"):  # NumPy-backed libraries only
        ratio = (c_o * g_o) / (c_i * g_i)
        in_range = (ratio > 0) & (ratio < np.inf)
        # Beyond the float range (1e300 / 1e-300) sum the logarithms instead; both branches
        # are finite for valid input, so gradients through the unused one stay finite too.
        log_ratio = xp.where(
            in_range,
            xp.log(xp.where(in_range, ratio, xp.ones_like(ratio))),
            xp.log(c_o) + xp.log(g_o) - xp.log(c_i) - xp.log(g_i),
        )
    E = log_ratio * prefactor
    shape = broadcast_shape(E=E, celsius=T, z=np.asarray(z))
    return E if E.shape == shape else xp.broadcast_to(E, shape)


def _is_one(gamma: ArrayLike) -> bool:
    return type(gamma) in _SCALARS and gamma == 1


_SCALARS = (float, int)


def _scalar_nernst(
    z: int, c_in: float, c_out: float, celsius: float, gamma_in: float, gamma_out: float
) -> float:
    """The same equation on Python scalars, validated with plain comparisons (fast path)."""
    if (
        not (0 < c_in < math.inf)
        or not (0 < c_out < math.inf)
        or not (0 < gamma_in < math.inf and 0 < gamma_out < math.inf)
        or not (-ZERO_CELSIUS < celsius <= MAX_CELSIUS)
    ):
        # Slow path raises the full, specific error message.
        kelvin(celsius)
        positive("c_in", c_in)
        positive("c_out", c_out)
        positive("gamma_in", gamma_in, what="activity coefficient", unit="1")
        positive("gamma_out", gamma_out, what="activity coefficient", unit="1")
    T = celsius + ZERO_CELSIUS
    # Same operation order as the array path, so scalars and arrays agree to the last bit.
    prefactor = GAS_CONSTANT * T / (z * FARADAY) * _MV_PER_V
    ratio = (c_out * gamma_out) / (c_in * gamma_in)
    if not (0.0 < ratio < math.inf):  # beyond the float range: sum the logarithms instead
        return (
            math.log(c_out) + math.log(gamma_out) - math.log(c_in) - math.log(gamma_in)
        ) * prefactor
    return math.log(ratio) * prefactor
