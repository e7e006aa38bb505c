"""Energetics of ion gradients and the machines that use them.

Driving force, flux direction, free energy of transport and stored energy of one ion; the
proton-motive force and ATP synthase; ATP hydrolysis; the Na+/K+-ATPase cycle; and the
plant/microbe transport analysis (Nernst-predicted against measured internal concentrations).

Conventions: V = V_in - V_out in mV; concentrations in mM; energies in J/mol; temperature in
degC (keyword ``celsius``, default 37). A positive free energy of transport is uphill (it needs
work, i.e. active transport); a negative one can happen passively. For proton pumps and ATP
synthase "in" is the N side of the membrane (mitochondrial matrix, bacterial cytoplasm,
chloroplast stroma, plant cytosol) and "out" the P side.

Other array libraries: driving_force, flux_direction, transport_free_energy, stored_energy,
pumping_work, proton_motive_force, proton_free_energy and atp_hydrolysis_free_energy accept
arrays of any Array API library (array_api_strict, Dask, JAX, ...) and return arrays of that
library (see :mod:`nernst._validate` for how invalid values surface on lazy arrays). The
other functions here work on NumPy input.

References
----------
.. [1] Nicholls D.G., Ferguson S.J. (2013) Bioenergetics, 4th ed., Academic Press, ch. 3-4.
.. [2] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14.
.. [3] Alberts B. et al. (2015) Molecular Biology of the Cell, 6th ed., ch. 11.
.. [4] Taiz L., Zeiger E. Plant Physiology, ch. 6 (Solute Transport), Table 6.1.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nernst._validate import (
    as_float,
    broadcast,
    broadcast_shape,
    finite,
    foreign_namespace,
    is_foreign,
    positive,
    scalar_or_array,
    show,
    to_numpy,
    xp_finite,
    xp_positive,
)
from nernst.constants import BODY_TEMPERATURE_C, FARADAY, GAS_CONSTANT, kelvin, xp_kelvin
from nernst.ions import ions, valence
from nernst.nernst import equilibrium_potential

__all__ = [
    "ACTIVE_TRANSPORT_TOLERANCE_MV",
    "ATP_HYDROLYSIS_DG0_PRIME",
    "IonTransport",
    "TransportAnalysis",
    "atp_hydrolysis_free_energy",
    "atp_synthase_protons",
    "driving_force",
    "equilibrium_internal_concentration",
    "flux_direction",
    "needs_active_transport",
    "proton_free_energy",
    "proton_motive_force",
    "pumping_work",
    "sodium_pump_free_energy",
    "sodium_pump_is_possible",
    "sodium_pump_margin",
    "sodium_pump_reversal_potential",
    "stored_energy",
    "transport_analysis",
    "transport_free_energy",
    "transport_verdict",
]

#: Default ``|V_m - E|`` below which an ion is called passively distributed: about the accuracy
#: of a sharp-electrode or patch-clamp resting potential. [mV]
ACTIVE_TRANSPORT_TOLERANCE_MV = 1.0

#: Standard transformed free energy of ATP hydrolysis, ATP + H2O -> ADP + Pi, at pH 7 and
#: 25 degC (Nelson & Cox, Lehninger Principles of Biochemistry, ch. 13; Berg, Tymoczko &
#: Stryer, Biochemistry, ch. 15; Alberts et al., Molecular Biology of the Cell, ch. 2). [J/mol]
ATP_HYDROLYSIS_DG0_PRIME = -30.5e3

#: Na+/K+-ATPase stoichiometry: Na+ out and K+ in per ATP hydrolysed (Post & Jolly 1957;
#: Garrahan & Glynn 1967, J. Physiol. 192:217). Net one elementary charge out per cycle.
_PUMP_NA = 3
_PUMP_K = 2

_MV_PER_V = 1e3
_LN10 = math.log(10.0)


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
    ns = foreign_namespace(v_m, c_in, c_out, celsius, gamma_in, gamma_out)
    if ns is not None:
        broadcast_shape(v_m=v_m, E=E)
        if not is_foreign(E):  # v_m is the only foreign argument
            E = ns[0].asarray(np.asarray(E), dtype=ns[1])
        return xp_finite(*ns, "v_m", v_m, unit="mV") - E
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
    if is_foreign(DF):
        xp, dt = _namespace_of(DF)
        sign = xp.sign(_xp_valence(xp, dt, ion) * DF)
        return xp.astype(sign, xp.asarray(0).dtype)
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
    ns = foreign_namespace(c_from, c_to, v_from, v_to, celsius)
    if ns is not None:
        xp, dt = ns
        z = _xp_valence(xp, dt, ion)
        broadcast_shape(z=z, celsius=celsius, c_from=c_from, c_to=c_to, v_from=v_from, v_to=v_to)
        T = xp_kelvin(xp, dt, celsius)
        c0 = xp_positive(xp, dt, "c_from", c_from)
        c1 = xp_positive(xp, dt, "c_to", c_to)
        v0 = xp_finite(xp, dt, "v_from", v_from, unit="mV")
        v1 = xp_finite(xp, dt, "v_to", v_to, unit="mV")
        return GAS_CONSTANT * T * xp.log(c1 / c0) + z * FARADAY * (v1 - v0) * 1e-3
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
    r"""Energy stored per mole in an ion's concentration gradient, ``|zFE|``.

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
    E = equilibrium_potential(ion, c_in=c_in, c_out=c_out, celsius=celsius)
    if is_foreign(E):
        xp, dt = _namespace_of(E)
        return xp.abs(_xp_valence(xp, dt, ion) * FARADAY * E * 1e-3)
    E = np.asarray(E)
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
    DF = driving_force(ion, v_m=v_m, c_in=c_in, c_out=c_out, celsius=celsius)
    if is_foreign(DF):
        xp, dt = _namespace_of(DF)
        return xp.abs(_xp_valence(xp, dt, ion) * FARADAY * DF * 1e-3)
    DF = np.asarray(DF)
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
    """Whether keeping an ion's gradient at V_m needs active transport: ``|V_m - E|`` > tolerance.

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
        ``|V_m - E|`` at or below which the ion counts as passively distributed. [mV]

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


def transport_verdict(
    ion: str | int | ArrayLike,
    /,
    *,
    v_m: ArrayLike,
    c_in: ArrayLike,
    c_out: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
    tolerance: float = ACTIVE_TRANSPORT_TOLERANCE_MV,
) -> str | np.ndarray:
    r"""What keeps an ion's gradient at V_m: "passive", "active uptake" or "active extrusion".

    The Nernst criterion of Higinbotham et al. [1]_: an ion with :math:`|V_m - E| \le`
    ``tolerance`` is passively distributed. Otherwise its net passive flux
    (:func:`flux_direction`, the sign of :math:`z (V_m - E)`) runs the gradient down, and the
    cell must move the ion the other way:

    .. math::

        \text{verdict} = \begin{cases}
            \text{passive} & |V_m - E| \le \text{tolerance} \\
            \text{active uptake} & z (V_m - E) > 0 \text{ (passive efflux)} \\
            \text{active extrusion} & z (V_m - E) < 0 \text{ (passive influx)}
        \end{cases}

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
        ``|V_m - E|`` at or below which the ion counts as passively distributed. [mV]

    Returns
    -------
    verdict : str or ndarray of str
        "passive", "active uptake" or "active extrusion", broadcast over the arguments.

    Examples
    --------
    A neuron at -70 mV must pump Na+ out and K+ in:

    >>> transport_verdict("Na+", v_m=-70, c_in=10, c_out=145)
    'active extrusion'
    >>> transport_verdict("K+", v_m=[-70, -89.06], c_in=140, c_out=5).tolist()
    ['active uptake', 'passive']

    References
    ----------
    .. [1] Higinbotham N., Etherton B., Foster R.J. (1967) Mineral ion contents and cell
       transmembrane electropotentials of pea and oat seedling tissue. Plant Physiol.
       42:37-46.
    """
    kw = {"v_m": v_m, "c_in": c_in, "c_out": c_out, "celsius": celsius}
    active = np.asarray(needs_active_transport(ion, tolerance=tolerance, **kw))
    direction = np.asarray(flux_direction(ion, **kw))
    verdict = np.where(
        active, np.where(direction > 0, "active uptake", "active extrusion"), "passive"
    )
    return str(verdict) if verdict.ndim == 0 else verdict


# -- proton-motive force and ATP synthase ---------------------------------------------------
def proton_motive_force(
    *,
    delta_psi: ArrayLike,
    delta_ph: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""Proton-motive force across an energy-transducing membrane, N side relative to P side.

    .. math:: \Delta p = \Delta\psi - \frac{RT \ln 10}{F}\,\Delta\mathrm{pH},
              \qquad \Delta\psi = \psi_{in} - \psi_{out},
              \quad \Delta\mathrm{pH} = \mathrm{pH}_{in} - \mathrm{pH}_{out}

    Sign convention (the same as V = V_in - V_out everywhere in nernst): "in" is the N side,
    where protons are pumped *from* and flow back *to* through ATP synthase: the
    mitochondrial matrix, the bacterial cytoplasm, the chloroplast stroma, the plant cytosol.
    "out" is the P side: intermembrane space, periplasm/medium, thylakoid lumen, apoplast.
    A negative :math:`\Delta p` means H+ entering the N side is downhill by
    :math:`F |\Delta p|` per mole (see :func:`proton_free_energy`). Texts that quote
    :math:`\Delta p` as a positive number (about 200 mV in mitochondria [1]_) give its
    magnitude, the P side relative to the N side.

    Typical values (ln(10) RT/F = 61.5 mV per pH unit at 37 degC, 59.2 at 25 degC):

    - mitochondria [1]_: :math:`\Delta\psi` = -150 to -180 mV (matrix negative),
      :math:`\Delta\mathrm{pH}` = +0.5 to +0.8 (matrix alkaline), so
      :math:`\Delta p` of about -180 to -230 mV, :math:`|\Delta p|` about 200 mV;
    - chloroplast thylakoids in the light [2]_: :math:`\Delta\mathrm{pH}` about +3
      (stroma pH 8 vs lumen pH 5), :math:`\Delta\psi` small (a few tens of mV), so
      :math:`\Delta p` of about -180 to -200 mV, almost all of it chemical;
    - plant plasma membrane [3]_: :math:`V_m` about -150 mV and cytosol pH 7.5 vs apoplast
      pH 5.5 (:math:`\Delta\mathrm{pH}` = +2), so :math:`\Delta p` of about -270 mV: the
      driving force of H+-coupled nutrient uptake.

    Parameters
    ----------
    delta_psi : array_like
        Electrical potential of the N side minus the P side, psi_in - psi_out; for a plasma
        membrane this is V_m. [mV]
    delta_ph : array_like
        pH of the N side minus the P side, pH_in - pH_out. [pH units]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    pmf : float or ndarray
        Proton-motive force, the electrochemical potential difference of H+ (in - out)
        divided by F. [mV]

    Raises
    ------
    ValueError
        Non-finite delta_psi or delta_ph, bad temperature, shapes that do not broadcast.

    Examples
    --------
    Respiring mitochondria, matrix at -160 mV and 0.7 pH units alkaline, 37 degC:

    >>> round(proton_motive_force(delta_psi=-160, delta_ph=0.7), 1)
    -203.1

    References
    ----------
    .. [1] Nicholls D.G., Ferguson S.J. (2013) Bioenergetics, 4th ed., Academic Press, ch. 4
       (the protonmotive force and its measurement).
    .. [2] Nicholls D.G., Ferguson S.J. (2013) Bioenergetics, 4th ed., ch. 6 (photosynthetic
       generators of protonmotive force).
    .. [3] Taiz L., Zeiger E. Plant Physiology, ch. 6 (the plasma-membrane H+-ATPase).
    .. [4] Mitchell P. (1966) Chemiosmotic coupling in oxidative and photosynthetic
       phosphorylation. Biol. Rev. 41:445-502.
    """
    ns = foreign_namespace(delta_psi, delta_ph, celsius)
    if ns is not None:
        broadcast_shape(celsius=celsius, delta_psi=delta_psi, delta_ph=delta_ph)
        T = xp_kelvin(*ns, celsius)
        psi = xp_finite(*ns, "delta_psi", delta_psi, unit="mV")
        dph = xp_finite(*ns, "delta_ph", delta_ph, unit="pH units")
        return psi - _LN10 * GAS_CONSTANT * T / FARADAY * _MV_PER_V * dph
    T = kelvin(celsius)
    psi = finite("delta_psi", delta_psi, unit="mV")
    dph = finite("delta_ph", delta_ph, unit="pH units")
    T, psi, dph = broadcast(celsius=T, delta_psi=psi, delta_ph=dph)
    return scalar_or_array(psi - _LN10 * GAS_CONSTANT * T / FARADAY * _MV_PER_V * dph)


def proton_free_energy(
    *,
    delta_psi: ArrayLike,
    delta_ph: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""Free energy of moving one mole of H+ from the P side to the N side ("in").

    .. math:: \Delta G_{H^+} = RT \ln\frac{[H^+]_{in}}{[H^+]_{out}} + F\,\Delta\psi
              = F\,\Delta p

    This is :func:`transport_free_energy` of H+ from out to in, written with pH
    (:math:`\ln([H^+]_{in}/[H^+]_{out}) = -\ln 10\,\Delta\mathrm{pH}`). Negative: protons
    flowing in (through ATP synthase or an H+-coupled symporter) release this much free energy;
    a proton pump moving H+ out must spend at least its magnitude.

    Parameters
    ----------
    delta_psi : array_like
        psi_in - psi_out, N side relative to P side. [mV]
    delta_ph : array_like
        pH_in - pH_out. [pH units]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    dG : float or ndarray
        Free energy per mole of H+ moved in. [J/mol]

    Examples
    --------
    About -19.6 kJ/mol for respiring mitochondria (Delta p about -203 mV):

    >>> round(proton_free_energy(delta_psi=-160, delta_ph=0.7) / 1e3, 2)
    -19.59

    References
    ----------
    .. [1] Nicholls D.G., Ferguson S.J. (2013) Bioenergetics, 4th ed., ch. 3-4.
    """
    pmf = proton_motive_force(delta_psi=delta_psi, delta_ph=delta_ph, celsius=celsius)
    if is_foreign(pmf):
        return FARADAY * pmf / _MV_PER_V
    return scalar_or_array(FARADAY * np.asarray(pmf) / _MV_PER_V)


def atp_synthase_protons(*, delta_g_atp: ArrayLike, pmf: ArrayLike) -> float | np.ndarray:
    r"""Smallest number of H+ per ATP with which the proton-motive force can make ATP.

    Synthesis needs :math:`|\Delta G_{ATP}|` per mole of ATP; each mole of H+ flowing in
    provides :math:`F |\Delta p|`. Thermodynamics allows synthesis only when

    .. math:: n \ge n_{min} = \frac{|\Delta G_{ATP}|}{F\,|\Delta p|}

    Magnitudes are used, so either sign convention for :math:`\Delta G_{ATP}` (hydrolysis,
    negative) and :math:`\Delta p` gives the same number.

    For comparison, the real enzyme's H+/ATP is fixed by its rotor: c subunits per ring
    divided by 3 ATP per turn. Bovine (mammalian) mitochondria have a c8 ring, so 8/3 = 2.7
    H+/ATP (plus 1 H+ to import ADP and Pi) [1]_; yeast c10 gives 3.3, chloroplast c14 gives
    4.7.

    Parameters
    ----------
    delta_g_atp : array_like
        Free energy of ATP hydrolysis under cell conditions, about -50 to -60 kJ/mol
        (:func:`atp_hydrolysis_free_energy`). [J/mol]
    pmf : array_like
        Proton-motive force (:func:`proton_motive_force`); not zero. [mV]

    Returns
    -------
    n_min : float or ndarray
        Minimum H+ per ATP. [unitless]

    Raises
    ------
    ValueError
        Non-finite input or pmf = 0 (no number of protons can then make ATP).

    Examples
    --------
    With -55 kJ/mol at a proton-motive force of -200 mV, at least 2.85 H+ per ATP:

    >>> round(atp_synthase_protons(delta_g_atp=-55e3, pmf=-200), 2)
    2.85

    References
    ----------
    .. [1] Watt I.N., Montgomery M.G., Runswick M.J., Leslie A.G.W., Walker J.E. (2010)
       Bioenergetic cost of making an adenosine triphosphate molecule in animal mitochondria.
       Proc. Natl. Acad. Sci. USA 107:16823-16827.
    .. [2] Nicholls D.G., Ferguson S.J. (2013) Bioenergetics, 4th ed., ch. 4 and 7.
    """
    dG = finite("delta_g_atp", delta_g_atp, unit="J/mol")
    p = finite("pmf", pmf, unit="mV")
    if np.any(p == 0):
        raise ValueError(
            "pmf=0: with no proton-motive force no number of protons can drive ATP synthesis; "
            "give a non-zero pmf [mV]"
        )
    dG, p = broadcast(delta_g_atp=dG, pmf=p)
    return scalar_or_array(np.abs(dG) / (FARADAY * np.abs(p) / _MV_PER_V))


def atp_hydrolysis_free_energy(
    *,
    atp: ArrayLike,
    adp: ArrayLike,
    pi: ArrayLike,
    delta_g0_prime: ArrayLike = ATP_HYDROLYSIS_DG0_PRIME,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""Actual free energy of ATP hydrolysis (the phosphorylation potential) in a cell.

    .. math:: \Delta G_p = \Delta G'^\circ + RT \ln\frac{[ADP][P_i]}{[ATP]}

    with concentrations in mol/L (the 1 M standard state; the inputs in mM are divided by
    1000) and :math:`\Delta G'^\circ` = -30.5 kJ/mol at pH 7. As in the textbooks, the
    temperature enters only through RT; :math:`\Delta G'^\circ` is the 25 degC value.

    Parameters
    ----------
    atp, adp, pi : array_like
        Concentrations of ATP, ADP and inorganic phosphate. [mM]
    delta_g0_prime : array_like, default -30.5e3
        Standard transformed free energy of hydrolysis at pH 7. [J/mol]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    dG : float or ndarray
        Free energy released per mole of ATP hydrolysed; negative. [J/mol]

    Examples
    --------
    Human erythrocytes, ATP 2.25, ADP 0.25, Pi 1.65 mM at 37 degC (Lehninger's worked example,
    -52 kJ/mol):

    >>> round(atp_hydrolysis_free_energy(atp=2.25, adp=0.25, pi=1.65) / 1e3, 1)
    -52.7

    References
    ----------
    .. [1] Nelson D.L., Cox M.M. Lehninger Principles of Biochemistry, 5th ed. (2008), ch. 13:
       Table 13-5 (adenine nucleotide and Pi concentrations in some cells) and the worked
       example "Calculation of Delta G_p" for the erythrocyte.
    .. [2] Berg J.M., Tymoczko J.L., Stryer L. Biochemistry, ch. 15 (Delta G'0 of ATP
       hydrolysis = -30.5 kJ/mol).
    """
    ns = foreign_namespace(atp, adp, pi, delta_g0_prime, celsius)
    if ns is not None:
        xp = ns[0]
        broadcast_shape(celsius=celsius, atp=atp, adp=adp, pi=pi, delta_g0_prime=delta_g0_prime)
        T = xp_kelvin(*ns, celsius)
        x_atp, x_adp, x_pi = (
            xp_positive(*ns, k, c)
            for k, c in zip(("atp", "adp", "pi"), (atp, adp, pi), strict=True)
        )
        dG0_x = xp_finite(*ns, "delta_g0_prime", delta_g0_prime, unit="J/mol")
        q = (x_adp * 1e-3) * (x_pi * 1e-3) / (x_atp * 1e-3)
        return dG0_x + GAS_CONSTANT * T * xp.log(q)
    T = kelvin(celsius)
    c_atp = positive("atp", atp)
    c_adp = positive("adp", adp)
    c_pi = positive("pi", pi)
    dG0 = finite("delta_g0_prime", delta_g0_prime, unit="J/mol")
    T, c_atp, c_adp, c_pi, dG0 = broadcast(
        celsius=T, atp=c_atp, adp=c_adp, pi=c_pi, delta_g0_prime=dG0
    )
    # mM -> M for each of the three concentrations: one factor 1e-3 survives in the quotient.
    quotient = (c_adp * 1e-3) * (c_pi * 1e-3) / (c_atp * 1e-3)
    return scalar_or_array(dG0 + GAS_CONSTANT * T * np.log(quotient))


# -- the Na+/K+-ATPase ----------------------------------------------------------------------
def _pump_concentrations(
    na_in: ArrayLike, na_out: ArrayLike, k_in: ArrayLike, k_out: ArrayLike
) -> tuple[np.ndarray, ...]:
    return (
        positive("na_in", na_in),
        positive("na_out", na_out),
        positive("k_in", k_in),
        positive("k_out", k_out),
    )


def _atp_free_energy(dg_atp: ArrayLike) -> np.ndarray:
    dG = finite("dg_atp", dg_atp, unit="J/mol")
    if np.any(dG > 0):
        bad = float(dG.max())
        raise ValueError(
            f"dg_atp={bad:g} J/mol: the free energy of ATP hydrolysis is negative in cells "
            f"(about -50e3 to -60e3 J/mol); did you mean dg_atp={-bad:g}?"
        )
    return dG


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
    """
    c_na_in, c_na_out, c_k_in, c_k_out = _pump_concentrations(na_in, na_out, k_in, k_out)
    V = finite("v_m", v_m, unit="mV")
    sodium_out = transport_free_energy(
        "Na+", c_from=c_na_in, c_to=c_na_out, v_from=V, v_to=0.0, celsius=celsius
    )
    potassium_in = transport_free_energy(
        "K+", c_from=c_k_out, c_to=c_k_in, v_from=0.0, v_to=V, celsius=celsius
    )
    return scalar_or_array(_PUMP_NA * np.asarray(sodium_out) + _PUMP_K * np.asarray(potassium_in))


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
    dG_atp = _atp_free_energy(dg_atp)
    dG_chem = np.asarray(
        sodium_pump_free_energy(
            v_m=0.0, na_in=na_in, na_out=na_out, k_in=k_in, k_out=k_out, celsius=celsius
        )
    )
    dG_atp, dG_chem = broadcast(dg_atp=dG_atp, concentrations=dG_chem)
    # One net elementary charge leaves per cycle, so the charge number of the cycle is 1.
    return scalar_or_array((dG_atp + dG_chem) / FARADAY * _MV_PER_V)


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

    Examples
    --------
    >>> round(sodium_pump_margin(v_m=-70, dg_atp=-55e3, na_in=10, na_out=145,
    ...                          k_in=140, k_out=5) / 1e3, 2)
    10.37

    References
    ----------
    .. [1] Nicholls D.G., Ferguson S.J. (2013) Bioenergetics, 4th ed., ch. 3.
    """
    dG_atp = _atp_free_energy(dg_atp)
    cost = np.asarray(
        sodium_pump_free_energy(
            v_m=v_m, na_in=na_in, na_out=na_out, k_in=k_in, k_out=k_out, celsius=celsius
        )
    )
    dG_atp, cost = broadcast(dg_atp=dG_atp, transport=cost)
    return scalar_or_array(-(dG_atp + cost))


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
    margin = np.asarray(
        sodium_pump_margin(
            v_m=v_m,
            dg_atp=dg_atp,
            na_in=na_in,
            na_out=na_out,
            k_in=k_in,
            k_out=k_out,
            celsius=celsius,
        )
    )
    possible = margin > 0
    return bool(possible) if possible.ndim == 0 else possible


# -- plant and microbe transport analysis ---------------------------------------------------
def equilibrium_internal_concentration(
    ion: str | int | ArrayLike,
    /,
    *,
    v_m: ArrayLike,
    c_out: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""Internal concentration at which an ion would be in equilibrium at V_m (Nernst, solved
    for c_in).

    .. math:: c_{in} = c_{out} \exp\left(-\frac{z F V_m}{R T}\right)

    Comparing it with the measured internal concentration is the classic test for active
    transport in plant and microbial cells [1]_: a measured value above the prediction means
    active uptake, below it active extrusion.

    Parameters
    ----------
    ion : str, int or array of int
        Ion name or valence z.
    v_m : array_like
        Membrane potential V_in - V_out. [mV]
    c_out : array_like
        Concentration outside. [mM]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    c_in : float or ndarray
        Predicted internal concentration. [mM]

    Raises
    ------
    ValueError
        Bad concentration, valence or temperature, or a prediction beyond the range of a
        float (``|z V_m|`` of many volts).

    Examples
    --------
    Pea root at -110 mV and 25 degC in 1 mM K+: about 72 mM inside at equilibrium:

    >>> round(equilibrium_internal_concentration("K+", v_m=-110, c_out=1, celsius=25), 1)
    72.3

    References
    ----------
    .. [1] Higinbotham N., Etherton B., Foster R.J. (1967) Plant Physiol. 42:37-46.
    .. [2] Taiz L., Zeiger E. Plant Physiology, ch. 6, Table 6.1.
    """
    z = np.asarray(valence(ion), float)
    T = kelvin(celsius)
    c = positive("c_out", c_out)
    V = finite("v_m", v_m, unit="mV")
    z, T, c, V = broadcast(z=z, celsius=T, c_out=c, v_m=V)
    log_c_in = np.log(c) - z * FARADAY * (V / _MV_PER_V) / (GAS_CONSTANT * T)
    if not np.all(np.abs(log_c_in) < 700):
        raise ValueError(
            f"v_m={show(V)} mV: the equilibrium internal concentration is beyond the range of a "
            "float (|z V_m| too large)"
        )
    return scalar_or_array(np.exp(log_c_in))


@dataclass(frozen=True)
class IonTransport:
    """One ion of a :class:`TransportAnalysis` (potentials in mV, concentrations in mM)."""

    ion: str
    charge: int
    c_out: float
    c_in: float
    c_in_predicted: float
    ratio: float
    E: float
    driving_force: float
    verdict: str


@dataclass(frozen=True)
class TransportAnalysis:
    """Measured against Nernst-predicted internal concentrations, ion by ion, at one V_m.

    Index it by ion name (``analysis["K+"]``, aliases accepted); iterate over its rows;
    :meth:`to_dict` gives plain Python for JSON; ``str()`` gives a text table.
    """

    v_m: float
    celsius: float
    tolerance: float
    ions: tuple[IonTransport, ...]

    COLUMNS = (
        ("ion", "ion", ""),
        ("charge", "z", "{:+d}"),
        ("c_out", "out (mM)", "{:.4g}"),
        ("c_in", "in, measured (mM)", "{:.4g}"),
        ("c_in_predicted", "in, Nernst (mM)", "{:.3g}"),
        ("ratio", "measured/Nernst", "{:.3g}"),
        ("E", "E (mV)", "{:+.1f}"),
        ("driving_force", "V-E (mV)", "{:+.1f}"),
        ("verdict", "verdict", ""),
    )

    def __getitem__(self, ion: str) -> IonTransport:
        symbol = ions.resolve(ion)
        for row in self.ions:
            if row.ion == symbol:
                return row
        raise KeyError(f"{symbol} is not in this analysis; it has {', '.join(self.symbols)}")

    def __iter__(self) -> Iterator[IonTransport]:
        return iter(self.ions)

    def __len__(self) -> int:
        return len(self.ions)

    @property
    def symbols(self) -> list[str]:
        """The ions analysed, in input order."""
        return [row.ion for row in self.ions]

    def verdicts(self) -> dict[str, str]:
        """Ion -> "passive", "active uptake" or "active extrusion"."""
        return {row.ion: row.verdict for row in self.ions}

    def cells(self, row: IonTransport) -> list[str]:
        """The formatted table cells of one row, in :attr:`COLUMNS` order."""
        return [
            fmt.format(getattr(row, attr)) if fmt else str(getattr(row, attr))
            for attr, _, fmt in self.COLUMNS
        ]

    def summary_lines(self) -> list[str]:
        """The sentences under the table."""
        return [
            f"V_m = {self.v_m:+.1f} mV at {self.celsius:g} degC; Nernst prediction "
            "c_in = c_out exp(-z F V_m / RT)",
            f"Verdict: 'passive' when |V_m - E| <= {self.tolerance:g} mV; measured above the "
            "prediction = active uptake, below = active extrusion",
        ]

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dict (JSON-ready)."""
        return {
            "v_m": self.v_m,
            "celsius": self.celsius,
            "tolerance": self.tolerance,
            "ions": [dict(row.__dict__) for row in self.ions],
            "units": {
                "potential": "mV",
                "concentration": "mM",
                "temperature": "degC",
                "tolerance": "mV",
            },
            "sign_convention": "V = V_in - V_out; E = V_m at which the ion is in equilibrium",
        }

    def __str__(self) -> str:
        header = [label for _, label, _ in self.COLUMNS]
        body = [self.cells(row) for row in self.ions]
        widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(header)]
        fmt = "  ".join(f"{{:>{w}}}" for w in widths)
        return "\n".join(
            [fmt.format(*header), *(fmt.format(*b) for b in body), *self.summary_lines()]
        )


def transport_analysis(
    *,
    v_m: float,
    inside: Mapping[str, float],
    outside: Mapping[str, float],
    celsius: float = BODY_TEMPERATURE_C,
    tolerance: float = ACTIVE_TRANSPORT_TOLERANCE_MV,
) -> TransportAnalysis:
    r"""Which ions a cell accumulates or excludes actively: the pea-root analysis.

    For each ion: the internal concentration predicted by the Nernst equation at the measured
    V_m (:func:`equilibrium_internal_concentration`), the measured one, their ratio, the
    equilibrium potential E, the driving force V_m - E and the verdict
    (:func:`transport_verdict`):

    .. math:: c_{in}^{Nernst} = c_{out}\, e^{-z F V_m / RT}, \qquad
              \frac{c_{in}}{c_{in}^{Nernst}} = e^{z F (V_m - E) / RT}

    A ratio near 1 (``|V_m - E|`` within ``tolerance``) means passive distribution; well above 1
    active uptake; well below 1 active extrusion.

    Parameters
    ----------
    v_m : float
        Measured membrane potential V_in - V_out. [mV]
    inside, outside : mapping of str to float
        Measured internal and external concentrations by ion name, every ion on both sides.
        [mM]
    celsius : float, default 37.0
        Temperature. [degC]
    tolerance : float, default 1.0
        ``|V_m - E|`` at or below which an ion counts as passive. [mV]

    Returns
    -------
    analysis : TransportAnalysis
        One :class:`IonTransport` row per ion, in the order of ``inside``.

    Raises
    ------
    ValueError
        Unknown ion, an ion on one side only, the same ion named twice, a non-positive
        concentration, non-scalar or non-finite v_m, bad temperature or tolerance.

    Examples
    --------
    Pea root at -110 mV (Higinbotham et al. 1967): K+ near equilibrium, Na+ extruded,
    NO3- taken up:

    >>> a = transport_analysis(v_m=-110, celsius=25,
    ...                        inside={"K+": 75, "Na+": 8, "NO3-": 28},
    ...                        outside={"K+": 1, "Na+": 1, "NO3-": 2})
    >>> a.verdicts()
    {'K+': 'passive', 'Na+': 'active extrusion', 'NO3-': 'active uptake'}
    >>> round(a["Na+"].c_in_predicted, 1), round(a["Na+"].ratio, 3)
    (72.3, 0.111)

    References
    ----------
    .. [1] Higinbotham N., Etherton B., Foster R.J. (1967) Mineral ion contents and cell
       transmembrane electropotentials of pea and oat seedling tissue. Plant Physiol.
       42:37-46.
    .. [2] Taiz L., Zeiger E. Plant Physiology, ch. 6, Table 6.1 (comparison of observed and
       predicted ion concentrations in pea root tissue).
    """
    V = as_float("v_m", v_m)
    if V.ndim != 0 or not np.isfinite(V):
        raise ValueError(f"v_m={v_m!r} must be one finite membrane potential [mV]")
    T = as_float("celsius", celsius)
    if T.ndim != 0:
        raise ValueError(f"celsius={celsius!r} must be one temperature [degC]")
    kelvin(T)
    c_in_by_ion = _named_concentrations(inside, "inside")
    c_out_by_ion = _named_concentrations(outside, "outside")
    for ion in (*c_in_by_ion, *c_out_by_ion):
        if ion not in c_in_by_ion or ion not in c_out_by_ion:
            side, other = ("inside", "outside") if ion in c_in_by_ion else ("outside", "inside")
            raise ValueError(
                f"{ion} has a concentration {side} but none {other}: give every ion on both sides"
            )
    symbols = list(c_in_by_ion)
    z = np.array([ions[s].charge for s in symbols], dtype=float)
    c_in = np.array([c_in_by_ion[s] for s in symbols])
    c_out = np.array([c_out_by_ion[s] for s in symbols])
    v, t = float(V), float(T)
    kw: dict[str, Any] = {"c_in": c_in, "c_out": c_out, "celsius": t}
    E = np.asarray(equilibrium_potential(z, **kw))
    DF = np.asarray(driving_force(z, v_m=v, **kw))
    verdict = np.asarray(transport_verdict(z, v_m=v, tolerance=tolerance, **kw))
    predicted = np.asarray(equilibrium_internal_concentration(z, v_m=v, c_out=c_out, celsius=t))
    rows = tuple(
        IonTransport(
            ion=s,
            charge=int(z[i]),
            c_out=float(c_out[i]),
            c_in=float(c_in[i]),
            c_in_predicted=float(predicted[i]),
            ratio=float(c_in[i] / predicted[i]),
            E=float(E[i]),
            driving_force=float(DF[i]),
            verdict=str(verdict[i]),
        )
        for i, s in enumerate(symbols)
    )
    return TransportAnalysis(v_m=v, celsius=t, tolerance=float(tolerance), ions=rows)


def _namespace_of(value: Any) -> tuple[Any, Any]:
    """(namespace, float dtype) of a foreign array result."""
    ns = foreign_namespace(value)
    assert ns is not None
    return ns


def _xp_valence(xp: Any, dtype: Any, ion: Any) -> Any:
    """Valence(s) of ``ion`` as a Python float or an ``xp`` array (valences are concrete)."""
    z = valence(to_numpy(ion) if is_foreign(ion) else ion)
    return float(z) if np.ndim(z) == 0 else xp.asarray(z, dtype=dtype)


def _named_concentrations(values: Mapping[str, Any], side: str) -> dict[str, float]:
    """Ion name -> concentration with names resolved to symbols; errors name side and ion."""
    if not isinstance(values, Mapping) or not values:
        raise ValueError(f"{side} must be a non-empty mapping of ion name -> concentration (mM)")
    out: dict[str, float] = {}
    for key, value in values.items():
        symbol = ions.resolve(str(key))
        if symbol in out:
            raise ValueError(f"{side} names {symbol} twice")
        out[symbol] = float(positive(f"{side}[{symbol}]", value))
    return out
