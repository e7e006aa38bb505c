"""Equilibrium (Nernst) potentials.

Conventions: potentials are V_in - V_out in mV, concentrations in mM, temperature in degC
(keyword ``celsius``, default 37).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from nernst._validate import broadcast_shape, positive, scalar_or_array
from nernst.constants import (
    BODY_TEMPERATURE_C,
    FARADAY,
    GAS_CONSTANT,
    MAX_CELSIUS,
    ZERO_CELSIUS,
    kelvin,
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
        arguments; a float when every argument is a scalar. [mV]

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
    z = valence(ion)
    if (
        type(z) is int
        and type(c_in) in _SCALARS
        and type(c_out) in _SCALARS
        and type(celsius) in _SCALARS
        and type(gamma_in) in _SCALARS
        and type(gamma_out) in _SCALARS
    ):
        return _scalar_nernst(z, c_in, c_out, celsius, gamma_in, gamma_out)  # type: ignore[arg-type]
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
