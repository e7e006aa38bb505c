"""The Na+/K+-ATPase: thermodynamics of its cycle and its kinetics (current density).

One cycle hydrolyses one ATP and moves :data:`NA_PER_CYCLE` = 3 Na+ out and
:data:`K_PER_CYCLE` = 2 K+ in: one net elementary charge out, so the pump is electrogenic
(outward current). Thermodynamics: :func:`sodium_pump_free_energy`,
:func:`sodium_pump_reversal_potential`, :func:`sodium_pump_margin`,
:func:`sodium_pump_is_possible`. Kinetics (Luo & Rudy 1994): :func:`sodium_pump_current`
[mA/cm^2] and the parameters :class:`NaKPump` of the pump-leak model
(:mod:`nernst.dynamics`).

Conventions: V = V_in - V_out in mV; concentrations in mM; energies in J/mol; currents
outward positive; temperature in degC (keyword ``celsius``, default 37).

Other array libraries: the four thermodynamic functions accept arrays of any Array API
library and return arrays of that library (see :mod:`nernst._validate`); the current
(:func:`sodium_pump_current`) works on NumPy input.

References
----------
.. [1] Post R.L., Jolly P.C. (1957) The linkage of sodium, potassium, and ammonium active
   transport across the human erythrocyte membrane. Biochim. Biophys. Acta 25:118-128.
.. [2] Garrahan P.J., Glynn I.M. (1967) The stoicheiometry of the sodium pump.
   J. Physiol. 192:217-235. https://doi.org/10.1113/jphysiol.1967.sp008297
.. [3] Luo C.H., Rudy Y. (1994) A dynamic model of the cardiac ventricular action potential.
   I. Simulations of ionic currents and concentration changes. Circ. Res. 74:1071-1096.
   https://doi.org/10.1161/01.RES.74.6.1071
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nernst._deprecate import warn_deprecated
from nernst._validate import (
    SCALAR,
    broadcast_shape,
    finite,
    is_foreign,
    non_negative,
    scalar_body,
    scalar_or_array,
    xp_finite,
    xp_float,
    xp_positive,
)
from nernst.constants import BODY_TEMPERATURE_C, FARADAY, MV_PER_V, UA_PER_MA, thermal_voltage
from nernst.energetics import _as_xp, _namespace, _result, transport_free_energy

__all__ = [
    "K_PER_CYCLE",
    "NA_PER_CYCLE",
    "NaKPump",
    "nak_pump_current",
    "sodium_pump_current",
    "sodium_pump_free_energy",
    "sodium_pump_is_possible",
    "sodium_pump_margin",
    "sodium_pump_reversal_potential",
]

#: Na+/K+-ATPase stoichiometry: Na+ moved out and K+ moved in per ATP hydrolysed (Post &
#: Jolly 1957; Garrahan & Glynn 1967). Net one elementary charge out per cycle.
NA_PER_CYCLE = 3
K_PER_CYCLE = 2


def _atp_free_energy(dg_atp: ArrayLike) -> np.ndarray:
    dG = finite("dg_atp", dg_atp, unit="J/mol")
    if np.any(dG > 0):
        bad = float(dG.max())
        raise ValueError(
            f"dg_atp={bad:g} J/mol: the free energy of ATP hydrolysis is negative in cells "
            f"(about -50e3 to -60e3 J/mol); did you mean dg_atp={-bad:g}?"
        )
    return dG


def _xp_atp_free_energy(xp: Any, dtype: Any, dg_atp: Any) -> Any:
    """:func:`_atp_free_energy` for any array library (see :mod:`nernst._validate`)."""
    return xp_float(xp, dtype, dg_atp, _atp_free_energy, lambda a: xp.isfinite(a) & (a <= 0))


def sodium_pump_free_energy(
    *,
    v_m: ArrayLike,
    na_in: ArrayLike,
    na_out: ArrayLike,
    k_in: ArrayLike,
    k_out: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""Free energy needed by one Na+/K+-ATPase cycle: 3 Na+ out and 2 K+ in at V_m.

    The sum of :func:`transport_free_energy` of each ion moved, against its concentration
    gradient and the membrane potential:

    .. math::

        \Delta G_{transport}
          &= 3\left[RT\ln\frac{[Na^+]_{out}}{[Na^+]_{in}} - F V_m\right]
           + 2\left[RT\ln\frac{[K^+]_{in}}{[K^+]_{out}} + F V_m\right] \\
          &= 3RT\ln\frac{[Na^+]_{out}}{[Na^+]_{in}} + 2RT\ln\frac{[K^+]_{in}}{[K^+]_{out}}
           - F V_m

    The single :math:`-F V_m` is the one net positive charge carried out per cycle: at a
    negative V_m it costs energy. The cycle can run forward only while ATP hydrolysis
    provides more, :math:`\Delta G_{transport} + \Delta G_{ATP} < 0`
    (:func:`sodium_pump_margin`).

    Parameters
    ----------
    v_m : array_like
        Membrane potential V_in - V_out. [mV]
    na_in, na_out : array_like
        Na+ concentrations inside and outside. [mM]
    k_in, k_out : array_like
        K+ concentrations inside and outside. [mM]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    dG : float or ndarray
        Free energy per mole of pump cycles (per mole of ATP). [J/mol]

    See Also
    --------
    nernst.transport_free_energy : the free energy of each ion moved.
    sodium_pump_reversal_potential : the V_m at which ATP just pays for the cycle.
    sodium_pump_margin : what is left over at V_m.

    Notes
    -----
    The stoichiometry is :data:`NA_PER_CYCLE` and :data:`K_PER_CYCLE`, the one place it is
    written in nernst.

    Examples
    --------
    A neuron at -70 mV (Na+ 10/145, K+ 140/5 mM): 3 x 13.65 + 2 x 1.84 = 44.6 kJ/mol:

    >>> round(sodium_pump_free_energy(v_m=-70, na_in=10, na_out=145, k_in=140, k_out=5) / 1e3, 1)
    44.6

    References
    ----------
    .. [1] Nicholls D.G., Ferguson S.J. (2013) Bioenergetics, 4th ed., ch. 3 (ion gradients
       and the free energy of transport).
    .. [2] Läuger P. (1991) Electrogenic Ion Pumps. Sinauer, Sunderland MA.
    .. [3] Garrahan P.J., Glynn I.M. (1967) The stoicheiometry of the sodium pump.
       J. Physiol. 192:217-235.
       https://doi.org/10.1113/jphysiol.1967.sp008297
    """
    xp, dt = _namespace(v_m, na_in, na_out, k_in, k_out, celsius)
    broadcast_shape(v_m=v_m, na_in=na_in, na_out=na_out, k_in=k_in, k_out=k_out, celsius=celsius)
    c_na_in = xp_positive(xp, dt, "na_in", na_in)
    c_na_out = xp_positive(xp, dt, "na_out", na_out)
    c_k_in = xp_positive(xp, dt, "k_in", k_in)
    c_k_out = xp_positive(xp, dt, "k_out", k_out)
    V = xp_finite(xp, dt, "v_m", v_m, unit="mV")
    sodium_out = transport_free_energy(
        "Na+", c_from=c_na_in, c_to=c_na_out, v_from=V, v_to=0.0, celsius=celsius
    )
    potassium_in = transport_free_energy(
        "K+", c_from=c_k_out, c_to=c_k_in, v_from=0.0, v_to=V, celsius=celsius
    )
    return _result(
        xp,
        NA_PER_CYCLE * _as_xp(xp, dt, sodium_out) + K_PER_CYCLE * _as_xp(xp, dt, potassium_in),
    )


def sodium_pump_reversal_potential(
    *,
    dg_atp: ArrayLike,
    na_in: ArrayLike,
    na_out: ArrayLike,
    k_in: ArrayLike,
    k_out: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""Membrane potential at which the Na+/K+-ATPase cycle is at thermodynamic equilibrium.

    The whole cycle, ATP hydrolysis plus 3 Na+ out and 2 K+ in, has
    :math:`\Delta G_{cycle}(V) = \Delta G_{ATP} + \Delta G_{chem} - F V`
    (:func:`sodium_pump_free_energy`; one net charge out per cycle). It vanishes at

    .. math::

        V_{rev} = \frac{\Delta G_{ATP} + \Delta G_{chem}}{F}, \qquad
        \Delta G_{chem} = 3RT\ln\frac{[Na^+]_{out}}{[Na^+]_{in}}
                        + 2RT\ln\frac{[K^+]_{in}}{[K^+]_{out}}

    The pump can run forward (pumping) for :math:`V_m > V_{rev}` and would run backwards
    (synthesising ATP) below it. With typical gradients and
    :math:`\Delta G_{ATP}` = -55 kJ/mol, :math:`V_{rev}` is near -180 mV, far below any
    resting potential, so the pump always runs forward in a living cell.

    Parameters
    ----------
    dg_atp : array_like
        Free energy of ATP hydrolysis under cell conditions, negative (about -50e3 to
        -60e3). [J/mol]
    na_in, na_out : array_like
        Na+ concentrations inside and outside. [mM]
    k_in, k_out : array_like
        K+ concentrations inside and outside. [mM]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    V_rev : float or ndarray
        Reversal potential of the pump, V_in - V_out. [mV]

    Raises
    ------
    ValueError
        dg_atp positive or not finite (hydrolysis releases energy: a positive value is almost
        surely a sign slip), bad concentrations or temperature.

    See Also
    --------
    sodium_pump_free_energy : the transport cost at any V_m.
    sodium_pump_margin : F (V_m - V_rev).
    sodium_pump_current : the kinetics of the forward-running pump.

    Notes
    -----
    The charge number of the cycle is :data:`NA_PER_CYCLE` - :data:`K_PER_CYCLE` = 1, so
    the division is by F alone.

    Examples
    --------
    >>> round(sodium_pump_reversal_potential(dg_atp=-55e3, na_in=10, na_out=145,
    ...                                      k_in=140, k_out=5), 1)
    -177.5

    References
    ----------
    .. [1] De Weer P., Gadsby D.C., Rakowski R.F. (1988) Voltage dependence of the Na-K pump.
       Annu. Rev. Physiol. 50:225-241.
    .. [2] Läuger P. (1991) Electrogenic Ion Pumps. Sinauer, Sunderland MA.
    """
    xp, dt = _namespace(dg_atp, na_in, na_out, k_in, k_out, celsius)
    dG_chem = sodium_pump_free_energy(
        v_m=0.0, na_in=na_in, na_out=na_out, k_in=k_in, k_out=k_out, celsius=celsius
    )
    broadcast_shape(dg_atp=dg_atp, concentrations=dG_chem)
    dG_atp = _xp_atp_free_energy(xp, dt, dg_atp)
    # One net elementary charge leaves per cycle, so the charge number of the cycle is 1.
    return _result(xp, (dG_atp + _as_xp(xp, dt, dG_chem)) / FARADAY * MV_PER_V)


def sodium_pump_margin(
    *,
    v_m: ArrayLike,
    dg_atp: ArrayLike,
    na_in: ArrayLike,
    na_out: ArrayLike,
    k_in: ArrayLike,
    k_out: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""Free energy left over per Na+/K+-ATPase cycle: what ATP provides minus what it costs.

    .. math:: \text{margin} = -\left(\Delta G_{ATP} + \Delta G_{transport}\right)
              = F\,(V_m - V_{rev})

    Positive: the pump can run forward at these conditions; negative: it cannot (it would
    run backwards).

    Parameters
    ----------
    v_m : array_like
        Membrane potential V_in - V_out. [mV]
    dg_atp : array_like
        Free energy of ATP hydrolysis, negative. [J/mol]
    na_in, na_out, k_in, k_out : array_like
        Na+ and K+ concentrations inside and outside. [mM]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    margin : float or ndarray
        Free energy per mole of cycles not used by the transport. [J/mol]

    See Also
    --------
    sodium_pump_reversal_potential : the V_m at which the margin is zero.
    sodium_pump_is_possible : the sign of the margin.

    Notes
    -----
    Because one net charge leaves per cycle the margin is linear in V_m with slope F
    (96.5 J/mol per mV).

    Examples
    --------
    >>> round(sodium_pump_margin(v_m=-70, dg_atp=-55e3, na_in=10, na_out=145,
    ...                          k_in=140, k_out=5) / 1e3, 2)
    10.37

    References
    ----------
    .. [1] Nicholls D.G., Ferguson S.J. (2013) Bioenergetics, 4th ed., ch. 3.
    """
    xp, dt = _namespace(v_m, dg_atp, na_in, na_out, k_in, k_out, celsius)
    cost = sodium_pump_free_energy(
        v_m=v_m, na_in=na_in, na_out=na_out, k_in=k_in, k_out=k_out, celsius=celsius
    )
    broadcast_shape(dg_atp=dg_atp, transport=cost)
    dG_atp = _xp_atp_free_energy(xp, dt, dg_atp)
    return _result(xp, -(dG_atp + _as_xp(xp, dt, cost)))


def sodium_pump_is_possible(
    *,
    v_m: ArrayLike,
    dg_atp: ArrayLike,
    na_in: ArrayLike,
    na_out: ArrayLike,
    k_in: ArrayLike,
    k_out: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> bool | np.ndarray:
    r"""Whether ATP hydrolysis can drive the Na+/K+-ATPase forward at these conditions.

    .. math:: \Delta G_{ATP} + \Delta G_{transport} < 0 \iff V_m > V_{rev}

    Parameters
    ----------
    v_m : array_like
        Membrane potential V_in - V_out. [mV]
    dg_atp : array_like
        Free energy of ATP hydrolysis, negative. [J/mol]
    na_in, na_out, k_in, k_out : array_like
        Na+ and K+ concentrations inside and outside. [mM]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    possible : bool or ndarray of bool
        True where :func:`sodium_pump_margin` is positive.

    See Also
    --------
    sodium_pump_margin : how far from the limit.
    sodium_pump_reversal_potential : the limit as a potential.

    Notes
    -----
    Thermodynamics only: a pump that is possible may still run slowly
    (:func:`sodium_pump_current`).

    Examples
    --------
    >>> sodium_pump_is_possible(v_m=-70, dg_atp=-55e3, na_in=10, na_out=145, k_in=140, k_out=5)
    True
    >>> sodium_pump_is_possible(v_m=-200, dg_atp=-55e3, na_in=10, na_out=145, k_in=140, k_out=5)
    False

    References
    ----------
    .. [1] Nicholls D.G., Ferguson S.J. (2013) Bioenergetics, 4th ed., ch. 3.
    """
    margin = sodium_pump_margin(
        v_m=v_m, dg_atp=dg_atp, na_in=na_in, na_out=na_out, k_in=k_in, k_out=k_out, celsius=celsius
    )
    if is_foreign(margin):
        return margin > 0
    possible = np.asarray(margin) > 0
    return bool(possible) if possible.ndim == 0 else possible


# -- kinetics: the Luo-Rudy current ---------------------------------------------------------
#: Luo & Rudy (1994) parameters of the pump current.
I_MAX = 1.5e-3  # mA/cm^2 (1.5 uA/uF at 1 uF/cm^2)
KM_NA = 10.0  # mM
KM_K = 1.5  # mM
HILL = 1.5  # Hill coefficient of internal Na+


def sodium_pump_current(
    *,
    v_m: ArrayLike,
    na_in: ArrayLike,
    k_out: ArrayLike,
    na_out: ArrayLike = 140.0,
    i_max: ArrayLike = I_MAX,
    km_na: float = KM_NA,
    km_k: float = KM_K,
    hill: float = HILL,
    voltage_dependent: bool = True,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""Na+/K+-ATPase current density (Luo & Rudy 1994 form), outward positive.

    Each cycle moves :data:`NA_PER_CYCLE` = 3 Na+ out and :data:`K_PER_CYCLE` = 2 K+ in: one
    net positive charge out, so the current is outward and the cycle rate is I/F.

    .. math::

        I_{NaK} = \bar I \, f_{NaK}(V)\,
            \frac{1}{1 + (K_{m,Na}/[Na^+]_i)^{n_H}}\,
            \frac{[K^+]_o}{[K^+]_o + K_{m,K}},

        f_{NaK} = \left(1 + 0.1245\, e^{-0.1 FV/RT}
            + 0.0365\, \sigma\, e^{-FV/RT}\right)^{-1},
        \qquad \sigma = \frac{e^{[Na^+]_o/67.3\,\mathrm{mM}} - 1}{7}

    Parameters
    ----------
    v_m : array_like
        Membrane potential V_in - V_out. [mV]
    na_in, k_out : array_like
        Internal Na+ and external K+ concentrations (>= 0). [mM]
    na_out : array_like, default 140.0
        External Na+ (enters the voltage dependence through sigma). [mM]
    i_max : array_like, default 1.5e-3
        Maximal pump current density (Luo & Rudy 1994: 1.5 uA/uF, i.e. 1.5e-3 mA/cm^2 at
        1 uF/cm^2). [mA/cm^2]
    km_na, km_k : float, default 10.0 and 1.5
        Half-saturation constants for internal Na+ and external K+. [mM]
    hill : float, default 1.5
        Hill coefficient n_H of internal Na+. [unitless]
    voltage_dependent : bool, default True
        Include f_NaK(V); False sets f_NaK = 1.
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    I : float or ndarray
        Pump current density, positive outward. [mA/cm^2]

    Raises
    ------
    ValueError
        Non-finite v_m, negative or non-finite concentrations or i_max, a half-saturation
        constant or Hill coefficient that is not positive, bad temperature.

    See Also
    --------
    sodium_pump_reversal_potential : the potential below which the cycle cannot run forward.
    NaKPump : the same kinetics as parameters of the pump-leak model.
    nernst.ghk_current : the passive leak currents the pump balances (also mA/cm^2).

    Notes
    -----
    The Na+ saturation uses a Hill coefficient of 1.5 (Luo & Rudy 1994); the K+ saturation
    is Michaelis-Menten. :math:`f_{NaK}` is the voltage dependence of DiFrancesco & Noble
    (1985); sigma sets its dependence on external Na+. FV/RT is computed from
    :func:`nernst.thermal_voltage`. The kinetic rate does not fall to zero at the pump's
    thermodynamic reversal potential (:func:`sodium_pump_reversal_potential`), about
    -180 mV, far below any potential a living cell reaches.

    Examples
    --------
    At -80 mV with Na_i = 10 mM = K_m,Na and K_o = 5.4 mM: sigma = (e^(140/67.3) - 1)/7 =
    1.00097, f_NaK = 1/(1 + 0.1245 e^0.29933 + 0.0365 sigma e^2.99326) = 0.52717, so
    I = 1.5e-3 x 0.52717 x 0.5 x 5.4/6.9 = 3.094e-4 mA/cm^2:

    >>> f"{sodium_pump_current(v_m=-80, na_in=10, k_out=5.4, na_out=140):.3e}"
    '3.094e-04'

    References
    ----------
    .. [1] Luo C.H., Rudy Y. (1994) A dynamic model of the cardiac ventricular action
       potential. I. Simulations of ionic currents and concentration changes. Circ. Res.
       74:1071-1096 (I_NaK,max = 1.5 uA/uF, K_m,Nai = 10 mM, K_m,Ko = 1.5 mM).
       https://doi.org/10.1161/01.RES.74.6.1071
    .. [2] DiFrancesco D., Noble D. (1985) A model of cardiac electrical activity
       incorporating ionic pumps and concentration changes. Phil. Trans. R. Soc. Lond. B
       307:353-398. https://doi.org/10.1098/rstb.1985.0001
    """
    V = finite("v_m", v_m, unit="mV")
    na_i = _non_negative("na_in", na_in)
    k_o = _non_negative("k_out", k_out)
    na_o = _non_negative("na_out", na_out)
    imax = _non_negative("i_max", i_max, unit="mA/cm^2", what="maximal pump current")
    _check_kinetic_constants(km_na=km_na, km_k=km_k, hill=hill)
    VT = np.asarray(thermal_voltage(celsius=celsius))
    return scalar_or_array(
        _luo_rudy(V / VT, na_i, k_o, na_o, imax, km_na, km_k, hill, voltage_dependent)
    )


def nak_pump_current(
    v: ArrayLike,
    /,
    *,
    na_in: ArrayLike,
    k_out: ArrayLike,
    na_out: ArrayLike = 140.0,
    i_max: ArrayLike = 1.5,
    km_na: float = KM_NA,
    km_k: float = KM_K,
    voltage_dependent: bool = True,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""Deprecated: :func:`sodium_pump_current` in uA/cm^2 (``i_max`` in uA/cm^2).

    .. deprecated:: 0.2
       Use ``sodium_pump_current(v_m=..., i_max=... [mA/cm^2])``, which returns mA/cm^2 like
       :func:`nernst.ghk_current`. This function stays for one release and returns its old
       unit, uA/cm^2.

    .. math:: I_{NaK}\,[\mu A/cm^2] = 10^3\, I_{NaK}\,[mA/cm^2]

    Parameters
    ----------
    v : array_like
        Membrane potential V_in - V_out. [mV]
    na_in, k_out, na_out, km_na, km_k, voltage_dependent, celsius
        As :func:`sodium_pump_current`.
    i_max : array_like, default 1.5
        Maximal pump current density. [uA/cm^2]

    Returns
    -------
    I : float or ndarray
        Pump current density, positive outward. [uA/cm^2]

    See Also
    --------
    sodium_pump_current : the replacement, in mA/cm^2.

    Notes
    -----
    Calls :func:`sodium_pump_current` with ``i_max / 1000`` and multiplies the result by
    1000, so both spellings compute the same equation (Hill coefficient 1.5).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     round(nak_pump_current(-80, na_in=10, k_out=5.4, na_out=140), 4)
    0.3094

    References
    ----------
    .. [1] Luo C.H., Rudy Y. (1994) Circ. Res. 74:1071-1096.
       https://doi.org/10.1161/01.RES.74.6.1071
    """
    warn_deprecated(
        "nak_pump_current(v, ...) [uA/cm^2]",
        "sodium_pump_current(v_m=..., i_max=...) [mA/cm^2]",
    )
    imax = _non_negative("i_max", i_max, unit="uA/cm^2", what="maximal pump current")
    current = sodium_pump_current(
        v_m=finite("v", v, unit="mV"),
        na_in=na_in,
        k_out=k_out,
        na_out=na_out,
        i_max=imax / UA_PER_MA,
        km_na=km_na,
        km_k=km_k,
        hill=HILL,
        voltage_dependent=voltage_dependent,
        celsius=celsius,
    )
    return scalar_or_array(np.asarray(current) * UA_PER_MA)


def _non_negative(name: str, value: ArrayLike, *, unit: str = "mM", what: str = "") -> np.ndarray:
    return non_negative(name, value, what=what or "concentration", unit=unit)


def _check_kinetic_constants(**constants: float) -> None:
    for name, value in constants.items():
        if isinstance(value, bool) or not (
            isinstance(value, int | float | np.floating) and math.isfinite(value) and value > 0
        ):
            what = "a Hill coefficient" if name == "hill" else "a half-saturation constant [mM]"
            raise ValueError(f"{name}={value!r}: {what} must be positive and finite")


def _luo_rudy(
    u: Any,
    na_i: Any,
    k_o: Any,
    na_o: Any,
    imax: Any,
    km_na: float,
    km_k: float,
    hill: float,
    voltage_dependent: bool,
) -> Any:
    """Luo-Rudy pump current [unit of imax] at u = FV/RT (inputs trusted, NumPy).

    :func:`sodium_pump_current` validates and calls it, the pump-leak model
    (:mod:`nernst.dynamics`) calls it from its NumPy right-hand side; both run the one body
    :func:`_luo_rudy_body` (its scalar form, :func:`_luo_rudy_float`, is generated from it).
    """
    scale = imax * (k_o / (k_o + km_k))
    sigma = np.expm1(na_o / 67.3) / 7.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return _luo_rudy_body(np, u, na_i, scale, sigma, km_na, hill, voltage_dependent)


def _luo_rudy_body(
    xp: Any, u: Any, na_i: Any, scale: Any, sigma: Any, km_na: Any, hill: Any, vdep: bool
) -> Any:
    """The one body of the pump kinetics (Luo & Rudy 1994), written against a namespace.

    ``scale`` is imax [K+]o / ([K+]o + Km,K) and ``sigma`` is (e^([Na+]o/67.3 mM) - 1) / 7,
    both fixed by the bath; a non-positive [Na+]i saturates nothing (the factor is 0).
    """
    has_na = na_i > 0.0
    sat_na = xp.where(has_na, 1.0 / (1.0 + (km_na / xp.where(has_na, na_i, 1.0)) ** hill), 0.0)
    if vdep:
        return scale * sat_na / (1.0 + 0.1245 * xp.exp(-0.1 * u) + 0.0365 * sigma * xp.exp(-u))
    return scale * sat_na


_UNSET: Any = object()


@dataclass(frozen=True, init=False)
class NaKPump:
    """Parameters of the Na+/K+-ATPase in the pump-leak model (Luo & Rudy 1994 kinetics).

    The model's pump current is :func:`sodium_pump_current` with these parameters; each
    cycle moves :data:`NA_PER_CYCLE` Na+ out and :data:`K_PER_CYCLE` K+ in.

    Attributes
    ----------
    i_max_mA_cm2 : float or "balance"
        Maximal pump current density [mA/cm^2], the unit of :func:`sodium_pump_current`'s
        ``i_max`` and of :func:`nernst.ghk_current` (Luo & Rudy 1994: 1.5e-3 mA/cm^2).
        "balance" (the default) chooses it so that, at the cell's given concentrations and
        the zero-current potential, the pump extrudes exactly the Na+ that leaks in.
    km_na, km_k : float
        Half-saturation constants for internal Na+ and external K+. Luo & Rudy 1994: 10 and
        1.5 mM. [mM]
    voltage_dependent : bool
        Include the Luo-Rudy voltage factor f_NaK(V).
    hill : float
        Hill coefficient of internal Na+; Luo & Rudy 1994: 1.5. [unitless]

    Notes
    -----
    Deprecated for one release: ``NaKPump(i_max=...)`` and the attribute ``i_max``, in
    uA/cm^2 (1000 x the mA/cm^2 value), and positional arguments (read in the old order
    i_max [uA/cm^2], km_na, km_k, voltage_dependent, hill). Each warns with a
    :class:`~nernst._deprecate.NernstDeprecationWarning` naming ``i_max_mA_cm2``.

    Examples
    --------
    >>> NaKPump(hill=2.0)
    NaKPump(i_max_mA_cm2='balance', km_na=10.0, km_k=1.5, voltage_dependent=True, hill=2.0)
    >>> NaKPump(i_max_mA_cm2=1.5e-3).i_max_mA_cm2
    0.0015

    References
    ----------
    .. [1] Luo C.H., Rudy Y. (1994) Circ. Res. 74:1071-1096.
       https://doi.org/10.1161/01.RES.74.6.1071
    """

    i_max_mA_cm2: float | str
    km_na: float
    km_k: float
    voltage_dependent: bool
    hill: float

    def __init__(
        self,
        *old_positional: Any,
        i_max_mA_cm2: float | str = _UNSET,
        km_na: float = KM_NA,
        km_k: float = KM_K,
        voltage_dependent: bool = True,
        hill: float = HILL,
        i_max: float | str = _UNSET,
    ) -> None:
        if old_positional:
            names = ("i_max", "km_na", "km_k", "voltage_dependent", "hill")
            if len(old_positional) > len(names):
                raise TypeError(f"NaKPump() takes at most {len(names)} positional arguments")
            warn_deprecated(
                f"NaKPump({', '.join(names[: len(old_positional)])}) with positional arguments",
                "NaKPump(i_max_mA_cm2=..., km_na=..., ...) by keyword",
            )
            given = dict(zip(names, old_positional, strict=False))
            i_max = given.pop("i_max", i_max)
            km_na = given.get("km_na", km_na)
            km_k = given.get("km_k", km_k)
            voltage_dependent = given.get("voltage_dependent", voltage_dependent)
            hill = given.get("hill", hill)
        elif i_max is not _UNSET:
            warn_deprecated("NaKPump(i_max=...) [uA/cm^2]", "NaKPump(i_max_mA_cm2=...) [mA/cm^2]")
        if i_max is not _UNSET:
            if i_max_mA_cm2 is not _UNSET:
                raise TypeError(
                    "NaKPump() got both i_max= (deprecated, uA/cm^2) and i_max_mA_cm2=; "
                    "pass only i_max_mA_cm2= [mA/cm^2]"
                )
            i_max_mA_cm2 = _ua_to_ma(i_max)
        elif i_max_mA_cm2 is _UNSET:
            i_max_mA_cm2 = "balance"
        _check_kinetic_constants(km_na=km_na, km_k=km_k, hill=hill)
        for name, value in (
            ("i_max_mA_cm2", i_max_mA_cm2),
            ("km_na", km_na),
            ("km_k", km_k),
            ("voltage_dependent", voltage_dependent),
            ("hill", hill),
        ):
            object.__setattr__(self, name, value)

    @property
    def i_max(self) -> float | str:
        """Deprecated: the maximal pump current in uA/cm^2; use :attr:`i_max_mA_cm2`."""
        warn_deprecated("NaKPump.i_max [uA/cm^2]", "NaKPump.i_max_mA_cm2 [mA/cm^2]")
        value = self.i_max_mA_cm2
        return value if isinstance(value, str) else value * UA_PER_MA


def _ua_to_ma(value: Any) -> Any:
    """A deprecated uA/cm^2 pump current in mA/cm^2 ("balance" and bad values pass through
    unchanged, to be judged where they are used)."""
    if isinstance(value, str) or isinstance(value, bool):
        return value
    try:
        return float(value) / UA_PER_MA
    except (TypeError, ValueError):
        return value


def _luo_rudy_float(
    u: float, na_i: float, scale: float, sigma: float, km_na: float, hill: float, vdep: bool
) -> float:
    """:func:`_luo_rudy_body` on plain floats, for the right-hand side of the pump-leak model.

    The scalar form generated from the one body (:func:`nernst._validate.scalar_body`), run on
    :data:`nernst._validate.SCALAR`; made on the first call.
    """
    global _LUO_RUDY_SCALAR
    if _LUO_RUDY_SCALAR is None:
        _LUO_RUDY_SCALAR = scalar_body(_luo_rudy_body)
    return _LUO_RUDY_SCALAR(SCALAR, u, na_i, scale, sigma, km_na, hill, vdep)


_LUO_RUDY_SCALAR: Any = None


def _luo_rudy_float_derivatives(
    u: float, na_i: float, scale: float, sigma: float, km_na: float, hill: float, vdep: bool
) -> tuple[float, float]:
    """(dI/du, dI/dna_i) of :func:`_luo_rudy_float`, analytic.

    With f = 1/(1 + a e^(-0.1u) + b e^(-u)) and s = 1/(1 + r), r = (km_na/na_i)^n:
    df/du = f^2 (0.1 a e^(-0.1u) + b e^(-u)) and ds/dna_i = s^2 n r / na_i.
    """
    if na_i > 0.0:
        r = (km_na / na_i) ** hill
        sat_na = 1.0 / (1.0 + r)
        dsat = sat_na * sat_na * hill * r / na_i
    else:
        sat_na = dsat = 0.0
    if not vdep:
        return 0.0, scale * dsat
    e1 = 0.1245 * math.exp(-0.1 * u)
    e2 = 0.0365 * sigma * math.exp(-u)
    f = 1.0 / (1.0 + e1 + e2)
    return scale * sat_na * f * f * (0.1 * e1 + e2), scale * f * dsat
