"""Physical constants (CODATA 2018 exact SI values) and temperature handling.

Every constant in nernst comes from this module. The gas constant and the Faraday constant
are derived from the exact SI defining constants (R = k_B N_A, F = e N_A), never copied as
rounded numbers.

References
----------
.. [1] Tiesinga E., Mohr P.J., Newell D.B., Taylor B.N. (2021) CODATA recommended values of
   the fundamental physical constants: 2018. Rev. Mod. Phys. 93:025010.
   https://doi.org/10.1103/RevModPhys.93.025010
.. [2] BIPM (2019) The International System of Units (SI), 9th ed.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nernst._validate import SCALAR, as_float, is_foreign, namespace, result, show, xp_float

__all__ = [
    "AVOGADRO",
    "BODY_TEMPERATURE_C",
    "BOLTZMANN",
    "ELEMENTARY_CHARGE",
    "FARADAY",
    "GAS_CONSTANT",
    "LN10",
    "MAX_CELSIUS",
    "MA_PER_A",
    "MOLAR_PER_MM",
    "MOL_PER_CM3_PER_MM",
    "MS_PER_S",
    "MV_PER_V",
    "M_PER_NM",
    "SOLUTION_TEMPERATURE_C",
    "STANDARD_TEMPERATURE_K",
    "S_PER_HOUR",
    "S_PER_MIN",
    "S_PER_MS",
    "UA_PER_MA",
    "VACUUM_PERMITTIVITY",
    "ZERO_CELSIUS",
    "kelvin",
    "thermal_voltage",
]

#: Elementary charge e, exact (SI 2019). [C]
ELEMENTARY_CHARGE = 1.602176634e-19
#: Avogadro constant N_A, exact (SI 2019). [1/mol]
AVOGADRO = 6.02214076e23
#: Boltzmann constant k_B, exact (SI 2019). [J/K]
BOLTZMANN = 1.380649e-23
#: Molar gas constant R = k_B N_A. [J/(mol K)]
GAS_CONSTANT = BOLTZMANN * AVOGADRO
#: Faraday constant F = e N_A. [C/mol]
FARADAY = ELEMENTARY_CHARGE * AVOGADRO
#: 0 degC in kelvin, exact by definition. [K]
ZERO_CELSIUS = 273.15
#: Default temperature of every function: mammalian body temperature. [degC]
BODY_TEMPERATURE_C = 37.0
#: Default temperature of solution chemistry (activity coefficients, junction potentials,
#: speciation): the temperature of the tabulated data they rest on. [degC]
SOLUTION_TEMPERATURE_C = 25.0
#: Thermodynamic standard temperature, 25 degC. [K]
STANDARD_TEMPERATURE_K = 298.15
#: Vacuum electric permittivity epsilon_0, CODATA 2018 recommended value (measured since the
#: 2019 SI; relative standard uncertainty 1.5e-10). [F/m]
VACUUM_PERMITTIVITY = 8.8541878128e-12

# Unit factors (exact).
#: Millivolts per volt. [mV/V]
MV_PER_V = 1e3
#: Milliamperes per ampere. [mA/A]
MA_PER_A = 1e3
#: Natural logarithm of 10 (log10 x = ln x / LN10). [unitless]
LN10 = math.log(10.0)
#: 1 mM = 1 mol/m^3 = 1e-6 mol/cm^3, so (mM * cm/s) * MOL_PER_CM3_PER_MM = mol/(cm^2 s).
MOL_PER_CM3_PER_MM = 1e-6
#: Microamperes per milliampere (uA/cm^2 per mA/cm^2). [uA/mA]
UA_PER_MA = 1e3
#: 1 mM in mol/L (the 1 M standard state of chemical free energies). [M/mM]
MOLAR_PER_MM = 1e-3
#: Metres per nanometre. [m/nm]
M_PER_NM = 1e-9
#: Milliseconds per second. [ms/s]
MS_PER_S = 1e3
#: Seconds per millisecond. [s/ms]
S_PER_MS = 1e-3
#: Seconds per minute. [s/min]
S_PER_MIN = 60.0
#: Seconds per hour. [s/h]
S_PER_HOUR = 3600.0

#: Highest accepted temperature. No cell lives above it, and 273-373 "degC" is almost surely
#: a Kelvin value passed by mistake. [degC]
MAX_CELSIUS = 150.0


def kelvin(celsius: ArrayLike) -> np.ndarray:
    """Absolute temperature from a Celsius temperature, validated.

    .. math:: T = \\theta + 273.15

    Parameters
    ----------
    celsius : array_like
        Temperature. [degC]

    Returns
    -------
    T : ndarray
        Absolute temperature; an array of the input's library for a non-NumPy array (see
        :mod:`nernst._validate` for how errors surface on lazy arrays). [K]

    Raises
    ------
    ValueError
        Temperature not a real number or not finite, at or below absolute zero, or above
        150 degC (likely Kelvin passed as Celsius; the message suggests
        ``celsius=T - 273.15``).

    See Also
    --------
    thermal_voltage : RT/F at a Celsius temperature.

    Examples
    --------
    >>> float(kelvin(37.0))
    310.15
    >>> kelvin([0, 25]).round(2)
    array([273.15, 298.15])
    """
    xp, dtype = namespace(celsius)
    T = absolute_temperature(xp, dtype, celsius)
    return np.asarray(T) if xp is SCALAR else T


def xp_kelvin(xp: Any, dtype: Any, celsius: Any) -> Any:
    """:func:`kelvin` in namespace ``xp``, as an ``xp`` array of dtype ``dtype``."""
    return absolute_temperature(xp, dtype, celsius)


def absolute_temperature(xp: Any, dtype: Any, celsius: Any) -> Any:
    """Validated T = celsius + 273.15 [K] in namespace ``xp``
    (:func:`nernst._validate.namespace`); the one body of :func:`kelvin`."""
    if type(celsius) in (float, int) and -ZERO_CELSIUS < celsius <= MAX_CELSIUS:
        return celsius + ZERO_CELSIUS  # a Python float mixes with any namespace
    if xp is np or xp is SCALAR or not is_foreign(celsius):
        return _validated_celsius(celsius) + ZERO_CELSIUS
    theta = xp_float(
        xp,
        dtype,
        celsius,
        _validated_celsius,
        lambda t: xp.isfinite(t) & (t > -ZERO_CELSIUS) & (t <= MAX_CELSIUS),
    )
    return theta + ZERO_CELSIUS


def _validated_celsius(celsius: ArrayLike) -> np.ndarray:
    """Celsius as a float array, or the specific ValueError."""
    theta = as_float("celsius", celsius, what="temperature", unit="degC")
    if theta.size and theta.min() > -ZERO_CELSIUS and theta.max() <= MAX_CELSIUS:
        return theta  # fast path; NaN fails the comparisons
    if not np.all(np.isfinite(theta)):
        raise ValueError(f"celsius must be finite, got {show(theta)}")
    if np.any(theta <= -ZERO_CELSIUS):
        raise ValueError(
            f"celsius={show(theta.min())} is at or below absolute zero (-273.15 degC); "
            "a temperature must be above it"
        )
    if np.any(theta > MAX_CELSIUS):
        hot = float(theta.max())
        raise ValueError(
            f"celsius={hot:g} is above {MAX_CELSIUS:g} degC; if this is a Kelvin temperature "
            f"pass celsius={hot:g} - 273.15 = {hot - ZERO_CELSIUS:g}"
        )
    return theta


def rt_over_f(xp: Any, dtype: Any, celsius: Any) -> Any:
    """RT/F [mV] at a validated temperature, in namespace ``xp``: the one place the
    physics modules build the thermal voltage (:func:`thermal_voltage` is its public form).

    A Python-number temperature is converted once and remembered (:data:`_RT_OVER_F`): the
    scalar calls of the physics functions mostly repeat one or two temperatures."""
    if type(celsius) is float or type(celsius) is int:
        vt = _RT_OVER_F.get(celsius)
        if vt is not None:
            return vt
        vt = GAS_CONSTANT * absolute_temperature(xp, dtype, celsius) / FARADAY * MV_PER_V
        if len(_RT_OVER_F) >= _RT_OVER_F_SIZE:
            _RT_OVER_F.clear()
        _RT_OVER_F[celsius] = vt  # only reached for a valid temperature (it would raise)
        return vt
    return GAS_CONSTANT * absolute_temperature(xp, dtype, celsius) / FARADAY * MV_PER_V


#: RT/F [mV] of the Python-number temperatures seen so far (celsius -> float). Keys are
#: floats and ints only (never bool: 1 and True hash alike, so bool is kept out by the
#: caller's exact type test); 37 and 37.0 share an entry, as they give the same float.
_RT_OVER_F: dict[float, float] = {}
_RT_OVER_F_SIZE = 4096


def thermal_voltage(
    *,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
    R: float = GAS_CONSTANT,
    F: float = FARADAY,
) -> float | np.ndarray:
    r"""Thermal voltage RT/F.

    .. math:: V_T = \frac{R T}{F}

    Parameters
    ----------
    celsius : array_like, default 37.0
        Temperature. [degC]
    R : float, optional
        Gas constant, CODATA 2018 by default. Override only to reproduce a textbook's
        rounding (the seed chapter's 26.71 mV at 37 degC uses R = 8.31). [J/(mol K)]
    F : float, optional
        Faraday constant, CODATA 2018 by default. [C/mol]

    Returns
    -------
    V_T : float or ndarray
        Thermal voltage; an array of the input's library for a non-NumPy array. [mV]

    See Also
    --------
    kelvin : the absolute temperature it is built from.
    nernst.equilibrium_potential : (RT/zF) ln(c_out/c_in).

    Examples
    --------
    >>> round(thermal_voltage(celsius=37.0), 4)
    26.7267
    >>> round(thermal_voltage(celsius=37.0, R=8.31, F=96485), 2)
    26.71

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14.
    """
    xp, dtype = namespace(celsius)
    if R == GAS_CONSTANT and F == FARADAY:
        return result(xp, rt_over_f(xp, dtype, celsius))
    return result(xp, R * absolute_temperature(xp, dtype, celsius) / F * MV_PER_V)
