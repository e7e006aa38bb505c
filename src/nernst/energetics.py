"""Energetics of ion gradients: driving force, free energy of transport, stored energy.

Driving force, flux direction, free energy of transport, stored energy and pumping work of
one ion; whether its gradient needs active transport; and the plant/microbe transport
analysis (Nernst-predicted against measured internal concentrations). The proton-motive
force and ATP live in :mod:`nernst.bioenergetics`, the Na+/K+-ATPase in :mod:`nernst.pump`.

Conventions: V = V_in - V_out in mV; concentrations in mM; energies in J/mol; temperature in
degC (keyword ``celsius``, default 37). A positive free energy of transport is uphill (it needs
work, i.e. active transport); a negative one can happen passively.

Other array libraries: driving_force, flux_direction, transport_free_energy, stored_energy,
pumping_work, needs_active_transport and equilibrium_internal_concentration accept arrays of
any Array API library (array_api_strict, Dask, JAX, ...) and return arrays of that library
(see :mod:`nernst._validate` for how invalid values surface on lazy arrays); each is one
body for every namespace, NumPy included. transport_verdict (text verdicts) and
transport_analysis (a table of Python floats) work on NumPy input.

References
----------
.. [1] Nicholls D.G., Ferguson S.J. (2013) Bioenergetics, 4th ed., Academic Press, ch. 3.
.. [2] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 1 and 14.
.. [3] Higinbotham N., Etherton B., Foster R.J. (1967) Mineral ion contents and cell
   transmembrane electropotentials of pea and oat seedling tissue. Plant Physiol.
   42:37-46. https://doi.org/10.1104/pp.42.1.37
.. [4] Taiz L., Zeiger E. Plant Physiology, ch. 6 (Solute Transport), Table 6.1.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nernst._deprecate import renamed_arguments
from nernst._validate import (
    as_float,
    broadcast_shape,
    checked,
    foreign_namespace,
    is_foreign,
    positive,
    scalar_or_array,
    show,
    to_numpy,
    xp_finite,
    xp_positive,
)
from nernst.constants import BODY_TEMPERATURE_C, FARADAY, MV_PER_V, kelvin, thermal_voltage
from nernst.ions import ions, valence
from nernst.nernst import equilibrium_potential
from nernst.results import ResultMixin

__all__ = [
    "ACTIVE_TRANSPORT_TOLERANCE_MV",
    "IonTransport",
    "TransportAnalysis",
    "driving_force",
    "equilibrium_internal_concentration",
    "flux_direction",
    "needs_active_transport",
    "pumping_work",
    "stored_energy",
    "transport_analysis",
    "transport_free_energy",
    "transport_verdict",
]

#: Default ``|V_m - E|`` below which an ion is called passively distributed: about the accuracy
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

    See Also
    --------
    nernst.equilibrium_potential : E, the potential at which the driving force vanishes.
    nernst.ghk_voltage : the resting V_m at which the driving forces of all ions balance.
    transport_free_energy : the same quantity as an energy, zF (V_m - E) per mole.
    flux_direction : the sign of the passive flux it causes.

    Notes
    -----
    The driving force is the electrochemical potential difference of the ion per unit
    charge: :math:`\Delta\tilde\mu / (zF) = V_m - E`. It is in mV for every valence; the
    energy per mole is :math:`zF (V_m - E)` (:func:`pumping_work` is its magnitude). Activity
    coefficients enter through E only.

    Examples
    --------
    >>> round(driving_force("K+", v_m=-70, c_in=140, c_out=5), 2)
    19.06

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., ch. 1.
    .. [2] Hodgkin A.L., Huxley A.F. (1952) A quantitative description of membrane current
       and its application to conduction and excitation in nerve. J. Physiol. 117:500-544
       (ionic currents as g (V - E)). https://doi.org/10.1113/jphysiol.1952.sp004764
    """
    E = equilibrium_potential(
        ion, c_in=c_in, c_out=c_out, celsius=celsius, gamma_in=gamma_in, gamma_out=gamma_out
    )
    xp, dt = _namespace(v_m, c_in, c_out, celsius, gamma_in, gamma_out)
    broadcast_shape(v_m=v_m, E=E)
    V = xp_finite(xp, dt, "v_m", v_m, unit="mV")
    return _result(xp, V - _as_xp(xp, dt, E))


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

    See Also
    --------
    driving_force : V_m - E, whose sign (times z) this is.
    nernst.ghk_flux : the flux itself, which has the same sign.

    Notes
    -----
    A cation flows out when :math:`V_m > E` and an anion flows in; the product
    :math:`z (V_m - E)` covers both. At exact equilibrium the result is 0.

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
    xp, dt = _namespace(v_m, c_in, c_out, celsius, gamma_in, gamma_out)
    sign = xp.sign(_xp_valence(xp, dt, ion) * _as_xp(xp, dt, DF))
    sign = sign.astype(int) if xp is np else xp.astype(sign, xp.asarray(0).dtype)
    return int(sign) if xp is np and sign.ndim == 0 else sign


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

    See Also
    --------
    driving_force : V_m - E; moving an ion from out to in has dG = -zF (V_m - E).
    nernst.equilibrium_potential : where dG for crossing the membrane is zero.
    stored_energy : the chemical term alone, at V = 0.
    pumping_work : the magnitude for crossing the membrane at V_m.

    Notes
    -----
    The change of the electrochemical potential :math:`\tilde\mu = \mu^\circ + RT\ln c
    + zF\psi` between the two compartments; ideal solutions (concentrations for
    activities). RT/F comes from :func:`nernst.thermal_voltage`, so
    :math:`\Delta G = F\,[V_T \ln(c_{to}/c_{from}) + z (V_{to} - V_{from})]` with the
    potentials in volts.

    Examples
    --------
    The seed chapter: K+ from 5 mM outside into a liposome at 140 mM, 37 degC, no field:

    >>> round(transport_free_energy("K+", c_from=5, c_to=140, celsius=37), -1)
    8590.0

    References
    ----------
    .. [1] Nicholls D.G., Ferguson S.J. (2013) Bioenergetics, 4th ed., eq. 3.6.
    """
    xp, dt = _namespace(c_from, c_to, v_from, v_to, celsius)
    z = _xp_valence(xp, dt, ion)
    broadcast_shape(z=z, celsius=celsius, c_from=c_from, c_to=c_to, v_from=v_from, v_to=v_to)
    VT = _xp_thermal_voltage(xp, dt, celsius)
    c0 = xp_positive(xp, dt, "c_from", c_from)
    c1 = xp_positive(xp, dt, "c_to", c_to)
    v0 = xp_finite(xp, dt, "v_from", v_from, unit="mV")
    v1 = xp_finite(xp, dt, "v_to", v_to, unit="mV")
    # RT ln(c_to/c_from) + zF dV = F (V_T ln(c_to/c_from) + z dV), potentials in mV.
    dG = FARADAY / MV_PER_V * (VT * xp.log(c1 / c0) + z * (v1 - v0))
    return _result(xp, dG)


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

    See Also
    --------
    transport_free_energy : the free energy of a move between any two compartments.
    nernst.equilibrium_potential : E, of which this is the energy form zFE.
    pumping_work : the work at a membrane potential other than 0.

    Notes
    -----
    The seed chapter's identity

    .. math:: |zFE| = \left|zF \frac{RT}{zF}\ln\frac{c_{out}}{c_{in}}\right|
              = RT\left|\ln\frac{c_{out}}{c_{in}}\right|

    makes the equilibrium potential an electrical measure of the energy in the gradient.
    It does not depend on the sign of z.

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
    xp, dt = _namespace(c_in, c_out, celsius)
    z = _xp_valence(xp, dt, ion)
    return _result(xp, xp.abs(z * FARADAY / MV_PER_V * _as_xp(xp, dt, E)))


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

    See Also
    --------
    driving_force : V_m - E, of which this is the energy ``|zF (V_m - E)|``.
    transport_free_energy : the signed free energy of any move.
    nernst.sodium_pump_free_energy : the cost of a whole Na+/K+-ATPase cycle.

    Notes
    -----
    A lower bound: real pumps are coupled to ATP hydrolysis with a fixed stoichiometry
    and waste part of its free energy.

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
    xp, dt = _namespace(v_m, c_in, c_out, celsius)
    z = _xp_valence(xp, dt, ion)
    return _result(xp, xp.abs(z * FARADAY / MV_PER_V * _as_xp(xp, dt, DF)))


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

    See Also
    --------
    transport_verdict : which way the active transport must go.
    driving_force : V_m - E, compared with the tolerance.

    Notes
    -----
    The criterion is a potential difference, so the tolerance is the same for every ion;
    choose it from the accuracy of the measured V_m and concentrations.

    Examples
    --------
    >>> needs_active_transport("Na+", v_m=-70, c_in=10, c_out=145)
    True

    References
    ----------
    .. [1] Higinbotham N., Etherton B., Foster R.J. (1967) Mineral ion contents and cell
       transmembrane electropotentials of pea and oat seedling tissue. Plant Physiol.
       42:37-46 (the Nernst criterion for active uptake).
       https://doi.org/10.1104/pp.42.1.37
    """
    if not (np.isfinite(tolerance) and tolerance >= 0):
        raise ValueError(f"tolerance={tolerance!r} must be a finite, non-negative voltage [mV]")
    DF = driving_force(ion, v_m=v_m, c_in=c_in, c_out=c_out, celsius=celsius)
    xp, dt = _namespace(v_m, c_in, c_out, celsius)
    active = xp.abs(_as_xp(xp, dt, DF)) > tolerance
    if xp is np:
        return bool(active) if np.ndim(active) == 0 else active
    return active


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

    See Also
    --------
    needs_active_transport : the passive/active decision alone.
    flux_direction : the direction of the passive flux the cell works against.
    transport_analysis : the verdicts of several ions with the predicted concentrations.

    Notes
    -----
    The verdict is about what must happen for the gradient to be steady; it does not say
    which transporter does it.

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
       https://doi.org/10.1104/pp.42.1.37
    """
    kw = {"v_m": v_m, "c_in": c_in, "c_out": c_out, "celsius": celsius}
    active = np.asarray(needs_active_transport(ion, tolerance=tolerance, **kw))
    direction = np.asarray(flux_direction(ion, **kw))
    verdict = np.where(
        active, np.where(direction > 0, "active uptake", "active extrusion"), "passive"
    )
    return str(verdict) if verdict.ndim == 0 else verdict


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

    See Also
    --------
    nernst.equilibrium_potential : the same equation solved for E.
    transport_analysis : the comparison with measured concentrations, ion by ion.

    Notes
    -----
    Computed as :math:`\exp(\ln c_{out} - z V_m / V_T)` with :math:`V_T` from
    :func:`nernst.thermal_voltage`, and a ValueError (not an overflow to inf or an underflow
    to 0) when the logarithm is beyond +-700.

    Examples
    --------
    Pea root at -110 mV and 25 degC in 1 mM K+: about 72 mM inside at equilibrium:

    >>> round(equilibrium_internal_concentration("K+", v_m=-110, c_out=1, celsius=25), 1)
    72.3

    References
    ----------
    .. [1] Higinbotham N., Etherton B., Foster R.J. (1967) Plant Physiol. 42:37-46.
       https://doi.org/10.1104/pp.42.1.37
    .. [2] Taiz L., Zeiger E. Plant Physiology, ch. 6, Table 6.1.
    """
    xp, dt = _namespace(v_m, c_out, celsius)
    z = _xp_valence(xp, dt, ion)
    shape = broadcast_shape(z=z, celsius=celsius, c_out=c_out, v_m=v_m)
    VT = _xp_thermal_voltage(xp, dt, celsius)
    c = xp_positive(xp, dt, "c_out", c_out)
    V = xp.broadcast_to(xp_finite(xp, dt, "v_m", v_m, unit="mV"), shape)
    log_c_in = xp.broadcast_to(xp.log(c) - z * V / VT, shape)
    # exp() of a logarithm beyond +-700 overflows to inf or underflows to 0: an error instead.
    log_c_in = checked(xp, log_c_in, xp.abs(log_c_in) < 700, _check_log_range, log_c_in, V)
    return _result(xp, xp.exp(log_c_in))


def _check_log_range(log_c_in: np.ndarray, V: np.ndarray) -> None:
    bad = ~(np.abs(log_c_in) < 700)
    if np.any(bad):
        raise ValueError(
            f"v_m={show(np.asarray(V)[bad].ravel()[0])} mV: the equilibrium internal "
            "concentration is beyond the range of a float (|z V_m| too large)"
        )


@dataclass(frozen=True)
class IonTransport:
    """One ion of a :class:`TransportAnalysis` (potentials in mV, concentrations in mM).

    Examples
    --------
    >>> row = transport_analysis(v_m=-110, c_in={"K+": 75}, c_out={"K+": 1}, celsius=25)["K+"]
    >>> row.verdict, round(row.E, 1), round(row.ratio, 2)
    ('passive', -110.9, 1.04)
    """

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
class TransportAnalysis(ResultMixin):
    """Measured against Nernst-predicted internal concentrations, ion by ion, at one V_m.

    Index it by ion name (``analysis["K+"]``, aliases accepted); iterate over its rows;
    :meth:`to_dict` gives plain Python for JSON; ``str()`` gives a text table.

    See Also
    --------
    transport_analysis : builds it.

    Examples
    --------
    >>> a = transport_analysis(v_m=-110, c_in={"K+": 75, "Na+": 8}, c_out={"K+": 1, "Na+": 1},
    ...                        celsius=25)
    >>> a.symbols, a["sodium"].verdict
    (['K+', 'Na+'], 'active extrusion')
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


@renamed_arguments(inside="c_in", outside="c_out")
def transport_analysis(
    *,
    v_m: float,
    c_in: Mapping[str, float],
    c_out: Mapping[str, float],
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
    c_in, c_out : mapping of str to float
        Measured internal and external concentrations by ion name, every ion on both sides.
        Formerly ``inside`` and ``outside`` (deprecated, still accepted with a warning). [mM]
    celsius : float, default 37.0
        Temperature. [degC]
    tolerance : float, default 1.0
        ``|V_m - E|`` at or below which an ion counts as passive. [mV]

    Returns
    -------
    analysis : TransportAnalysis
        One :class:`IonTransport` row per ion, in the order of ``c_in``.

    Raises
    ------
    ValueError
        Unknown ion, an ion on one side only, the same ion named twice, a non-positive
        concentration, non-scalar or non-finite v_m, bad temperature or tolerance.

    See Also
    --------
    equilibrium_internal_concentration : the prediction of one ion.
    transport_verdict : the verdict of one ion.
    nernst.Cell.report : the same verdicts for a cell, with more quantities.

    Notes
    -----
    The ratio of measured to predicted internal concentration is
    :math:`\exp(zF(V_m - E)/RT)`, so a ratio above 1 means the ion is accumulated beyond
    equilibrium. The old keywords ``inside``/``outside`` are deprecated (one release).

    Examples
    --------
    Pea root at -110 mV (Higinbotham et al. 1967): K+ near equilibrium, Na+ extruded,
    NO3- taken up:

    >>> a = transport_analysis(v_m=-110, celsius=25,
    ...                        c_in={"K+": 75, "Na+": 8, "NO3-": 28},
    ...                        c_out={"K+": 1, "Na+": 1, "NO3-": 2})
    >>> a.verdicts()
    {'K+': 'passive', 'Na+': 'active extrusion', 'NO3-': 'active uptake'}
    >>> round(a["Na+"].c_in_predicted, 1), round(a["Na+"].ratio, 3)
    (72.3, 0.111)

    References
    ----------
    .. [1] Higinbotham N., Etherton B., Foster R.J. (1967) Mineral ion contents and cell
       transmembrane electropotentials of pea and oat seedling tissue. Plant Physiol.
       42:37-46.
       https://doi.org/10.1104/pp.42.1.37
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
    c_in_by_ion = _named_concentrations(c_in, "c_in")
    c_out_by_ion = _named_concentrations(c_out, "c_out")
    for ion in (*c_in_by_ion, *c_out_by_ion):
        if ion not in c_in_by_ion or ion not in c_out_by_ion:
            side, other = ("c_in", "c_out") if ion in c_in_by_ion else ("c_out", "c_in")
            raise ValueError(
                f"{ion} has a concentration in {side} but none in {other}: give every ion's "
                "concentration on both sides [mM]"
            )
    symbols = list(c_in_by_ion)
    z = np.array([ions[s].charge for s in symbols], dtype=float)
    ci = np.array([c_in_by_ion[s] for s in symbols])
    co = np.array([c_out_by_ion[s] for s in symbols])
    v, t = float(V), float(T)
    kw: dict[str, Any] = {"c_in": ci, "c_out": co, "celsius": t}
    E = np.asarray(equilibrium_potential(z, **kw))
    DF = np.asarray(driving_force(z, v_m=v, **kw))
    verdict = np.asarray(transport_verdict(z, v_m=v, tolerance=tolerance, **kw))
    predicted = np.asarray(equilibrium_internal_concentration(z, v_m=v, c_out=co, celsius=t))
    rows = tuple(
        IonTransport(
            ion=s,
            charge=int(z[i]),
            c_out=float(co[i]),
            c_in=float(ci[i]),
            c_in_predicted=float(predicted[i]),
            ratio=float(ci[i] / predicted[i]),
            E=float(E[i]),
            driving_force=float(DF[i]),
            verdict=str(verdict[i]),
        )
        for i, s in enumerate(symbols)
    )
    return TransportAnalysis(v_m=v, celsius=t, tolerance=float(tolerance), ions=rows)


# -- one body for NumPy and the other array libraries ---------------------------------------
def _namespace(*values: Any) -> tuple[Any, Any]:
    """(namespace, float dtype) for a calculation: the foreign arrays' or NumPy's float64."""
    return foreign_namespace(*values) or (np, np.float64)


def _result(xp: Any, value: Any) -> Any:
    """A NumPy result as a float (0-d) or ndarray; a foreign one unchanged."""
    return scalar_or_array(value) if xp is np else value


def _as_xp(xp: Any, dtype: Any, value: Any) -> Any:
    """An already validated value (a float, ndarray or ``xp`` array) as an ``xp`` array."""
    if is_foreign(value):
        return value if value.dtype == dtype else xp.astype(value, dtype)
    return xp.asarray(np.asarray(value, dtype=float), dtype=dtype)


def _xp_valence(xp: Any, dtype: Any, ion: Any) -> Any:
    """Valence(s) of ``ion`` as a Python float or an ``xp`` array (valences are concrete)."""
    z = valence(to_numpy(ion) if is_foreign(ion) else ion)
    return float(z) if np.ndim(z) == 0 else xp.asarray(np.asarray(z, dtype=float), dtype=dtype)


def _xp_thermal_voltage(xp: Any, dtype: Any, celsius: Any) -> Any:
    """RT/F [mV] from :func:`nernst.thermal_voltage` (validated), as an ``xp`` array."""
    return _as_xp(xp, dtype, thermal_voltage(celsius=celsius))


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
