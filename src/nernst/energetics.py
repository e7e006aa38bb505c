"""Energetics of ion gradients: driving force, flux direction, free energy, stored energy.

Conventions: V = V_in - V_out in mV; concentrations in mM; energies in J/mol; temperature in
degC (keyword ``celsius``, default 37). A positive free energy of transport is uphill (it needs
work, i.e. active transport); a negative one can happen passively.

References
----------
.. [1] Nicholls D.G., Ferguson S.J. (2013) Bioenergetics, 4th ed., Academic Press, ch. 3.
.. [2] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14.
.. [3] Alberts B. et al. (2015) Molecular Biology of the Cell, 6th ed., ch. 11.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from nernst._validate import broadcast, finite, positive, scalar_or_array
from nernst.constants import BODY_TEMPERATURE_C, FARADAY, GAS_CONSTANT, kelvin
from nernst.ions import valence
from nernst.nernst import equilibrium_potential

__all__ = [
    "ACTIVE_TRANSPORT_TOLERANCE_MV",
    "driving_force",
    "flux_direction",
    "needs_active_transport",
    "pumping_work",
    "stored_energy",
    "transport_free_energy",
]

#: Default |V_m - E| below which an ion is called passively distributed: about the accuracy
#: of a sharp-electrode or patch-clamp resting potential. [mV]
ACTIVE_TRANSPORT_TOLERANCE_MV = 1.0


def driving_force(
    ion: str | int | ArrayLike,
    /,
    *,
    v_m: ArrayLike,
    c_in: ArrayLike,
    c_out: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
    gamma_in: ArrayLike = 1.0,
    gamma_out: ArrayLike = 1.0,
) -> float | np.ndarray:
    r"""Electrochemical driving force on an ion, V_m - E.

    .. math:: DF = V_m - E_{ion}

    A positive driving force pushes cations out and anions in (outward current).

    Parameters
    ----------
    ion : str, int or array of int
        Ion name or valence z.
    v_m : array_like
        Membrane potential V_in - V_out. [mV]
    c_in, c_out : array_like
        Concentrations inside and outside. [mM]
    celsius : array_like, default 37.0
        Temperature. [degC]
    gamma_in, gamma_out : array_like, default 1.0
        Activity coefficients. [unitless]

    Returns
    -------
    DF : float or ndarray
        V_m - E. [mV]

    Examples
    --------
    >>> round(driving_force("K+", v_m=-70, c_in=140, c_out=5), 2)
    19.06

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., ch. 1.
    """
    E = equilibrium_potential(
        ion, c_in=c_in, c_out=c_out, celsius=celsius, gamma_in=gamma_in, gamma_out=gamma_out
    )
    V = finite("v_m", v_m, unit="mV")
    return scalar_or_array(V - np.asarray(E))


def flux_direction(
    ion: str | int | ArrayLike,
    /,
    *,
    v_m: ArrayLike,
    c_in: ArrayLike,
    c_out: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
    gamma_in: ArrayLike = 1.0,
    gamma_out: ArrayLike = 1.0,
) -> int | np.ndarray:
    r"""Direction of the net passive flux of an ion: +1 out of the cell, -1 in, 0 none.

    .. math:: \mathrm{sign}\left(z (V_m - E)\right)

    Parameters
    ----------
    ion : str, int or array of int
        Ion name or valence z.
    v_m : array_like
        Membrane potential V_in - V_out. [mV]
    c_in, c_out : array_like
        Concentrations inside and outside. [mM]
    celsius : array_like, default 37.0
        Temperature. [degC]
    gamma_in, gamma_out : array_like, default 1.0
        Activity coefficients. [unitless]

    Returns
    -------
    direction : int or ndarray of int
        +1 efflux (ions leave the cell), -1 influx, 0 at equilibrium.

    Examples
    --------
    At -70 mV Na+ flows in, K+ flows out, and Cl- (E_Cl = -65 mV) flows out:

    >>> [flux_direction(ion, v_m=-70, c_in=ci, c_out=co)
    ...  for ion, ci, co in [("Na+", 10, 145), ("K+", 140, 5), ("Cl-", 10, 110)]]
    [-1, 1, 1]

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., ch. 1.
    """
    DF = driving_force(
        ion,
        v_m=v_m,
        c_in=c_in,
        c_out=c_out,
        celsius=celsius,
        gamma_in=gamma_in,
        gamma_out=gamma_out,
    )
    sign = np.sign(np.asarray(valence(ion), float) * np.asarray(DF)).astype(int)
    return int(sign) if sign.ndim == 0 else sign


def transport_free_energy(
    ion: str | int | ArrayLike,
    /,
    *,
    c_from: ArrayLike,
    c_to: ArrayLike,
    v_from: ArrayLike = 0.0,
    v_to: ArrayLike = 0.0,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""Gibbs free energy of moving one mole of an ion from one compartment to another.

    .. math:: \Delta G = RT \ln\frac{c_{to}}{c_{from}} + zF\,(V_{to} - V_{from})

    Positive means uphill: the move needs at least this much work (active transport).

    Parameters
    ----------
    ion : str, int or array of int
        Ion name or valence z.
    c_from, c_to : array_like
        Concentrations in the source and destination compartments. [mM]
    v_from, v_to : array_like, default 0.0
        Electrical potentials of the source and destination compartments (e.g. 0 outside and
        V_m inside). [mV]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    dG : float or ndarray
        Free energy change per mole moved. [J/mol]

    Examples
    --------
    The seed chapter: K+ from 5 mM outside into a liposome at 140 mM, 37 degC, no field:

    >>> round(transport_free_energy("K+", c_from=5, c_to=140, celsius=37), -1)
    8590.0

    References
    ----------
    .. [1] Nicholls D.G., Ferguson S.J. (2013) Bioenergetics, 4th ed., eq. 3.6.
    """
    z = np.asarray(valence(ion), float)
    T = kelvin(celsius)
    c0 = positive("c_from", c_from)
    c1 = positive("c_to", c_to)
    v0 = finite("v_from", v_from, unit="mV")
    v1 = finite("v_to", v_to, unit="mV")
    z, T, c0, c1, v0, v1 = broadcast(z=z, celsius=T, c_from=c0, c_to=c1, v_from=v0, v_to=v1)
    dG = GAS_CONSTANT * T * np.log(c1 / c0) + z * FARADAY * (v1 - v0) * 1e-3
    return scalar_or_array(dG)


def stored_energy(
    ion: str | int | ArrayLike,
    /,
    *,
    c_in: ArrayLike,
    c_out: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""Energy stored per mole in an ion's concentration gradient, |zFE|.

    .. math:: |zFE| = RT \left|\ln\frac{c_{out}}{c_{in}}\right|

    Parameters
    ----------
    ion : str, int or array of int
        Ion name or valence z.
    c_in, c_out : array_like
        Concentrations inside and outside. [mM]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    energy : float or ndarray
        Free energy released per mole moving down the gradient at V = 0. [J/mol]

    Examples
    --------
    The seed chapter's neuronal K+ gradient, 145 mM in and 4 mM out at 310 K:

    >>> round(stored_energy("K+", c_in=145, c_out=4, celsius=310 - 273.15), -1)
    9250.0

    References
    ----------
    .. [1] Nicholls D.G., Ferguson S.J. (2013) Bioenergetics, 4th ed., ch. 3.
    """
    E = np.asarray(equilibrium_potential(ion, c_in=c_in, c_out=c_out, celsius=celsius))
    z = np.asarray(valence(ion), float)
    return scalar_or_array(np.abs(z * FARADAY * E * 1e-3))


def pumping_work(
    ion: str | int | ArrayLike,
    /,
    *,
    v_m: ArrayLike,
    c_in: ArrayLike,
    c_out: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""Minimum work per mole to move an ion against its net passive flux at V_m.

    Keeping a gradient steady at V_m means returning every ion that leaks down its
    electrochemical gradient; each mole returned costs at least

    .. math:: W = |z F (V_m - E)|

    Parameters
    ----------
    ion : str, int or array of int
        Ion name or valence z.
    v_m : array_like
        Membrane potential V_in - V_out. [mV]
    c_in, c_out : array_like
        Concentrations inside and outside. [mM]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    W : float or ndarray
        Work per mole pumped against the passive flux; 0 at equilibrium. [J/mol]

    Examples
    --------
    Extruding Na+ (10 in, 145 out) from a cell at -70 mV costs about 13.6 kJ/mol:

    >>> round(pumping_work("Na+", v_m=-70, c_in=10, c_out=145) / 1000, 1)
    13.6

    References
    ----------
    .. [1] Nicholls D.G., Ferguson S.J. (2013) Bioenergetics, 4th ed., ch. 3.
    """
    DF = np.asarray(driving_force(ion, v_m=v_m, c_in=c_in, c_out=c_out, celsius=celsius))
    z = np.asarray(valence(ion), float)
    return scalar_or_array(np.abs(z * FARADAY * DF * 1e-3))


def needs_active_transport(
    ion: str | int | ArrayLike,
    /,
    *,
    v_m: ArrayLike,
    c_in: ArrayLike,
    c_out: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
    tolerance: float = ACTIVE_TRANSPORT_TOLERANCE_MV,
) -> bool | np.ndarray:
    """Whether keeping an ion's gradient at V_m needs active transport: |V_m - E| > tolerance.

    An ion whose equilibrium potential equals the membrane potential is passively
    distributed; any other gradient runs down through the ion's leak unless something
    (a pump, an exchanger, a co-transporter) spends free energy to restore it.

    Parameters
    ----------
    ion : str, int or array of int
        Ion name or valence z.
    v_m : array_like
        Membrane potential V_in - V_out. [mV]
    c_in, c_out : array_like
        Concentrations inside and outside. [mM]
    celsius : array_like, default 37.0
        Temperature. [degC]
    tolerance : float, default 1.0
        |V_m - E| at or below which the ion counts as passively distributed. [mV]

    Returns
    -------
    active : bool or ndarray of bool

    Examples
    --------
    >>> needs_active_transport("Na+", v_m=-70, c_in=10, c_out=145)
    True

    References
    ----------
    .. [1] Higinbotham N., Etherton B., Foster R.J. (1967) Mineral ion contents and cell
       transmembrane electropotentials of pea and oat seedling tissue. Plant Physiol.
       42:37-46 (the Nernst criterion for active uptake).
    """
    if not (np.isfinite(tolerance) and tolerance >= 0):
        raise ValueError(f"tolerance={tolerance!r} must be a finite, non-negative voltage [mV]")
    DF = np.asarray(driving_force(ion, v_m=v_m, c_in=c_in, c_out=c_out, celsius=celsius))
    active = np.abs(DF) > tolerance
    return bool(active) if active.ndim == 0 else active
