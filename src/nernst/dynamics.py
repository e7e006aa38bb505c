r"""Ion dynamics of one cell: the approach to equilibrium and the pump-leak model.

A single well-stirred compartment (the cell) sits in an infinite bath whose concentrations do
not change. Ions cross the membrane by GHK electrodiffusion (:func:`nernst.ghk_flux`) and, in
the pump-leak model, by the Na+/K+-ATPase. The membrane potential follows from the charge the
ions have carried (the *charge-difference* formulation of Fraser & Huang 2004):

.. math::

    V(t) = V_0 + \frac{F}{C_m A} \sum_i z_i \left(n_i(t) - n_i(0)\right)

with :math:`n_i` the amount of ion i inside [mol], :math:`C_m` the specific membrane
capacitance and :math:`A` the membrane area. Each amount changes by the flux through the
membrane, :math:`dn_i/dt = -A\,\Phi_i` (outward flux positive). Only the permeant ions move;
an ion with zero permeability keeps its amount.

Two models (``model=``):

========== =================================================================================
approach   fixed volume, passive GHK fluxes only; from ``v0`` (default 0 mV) the potential
           settles at the GHK potential within milliseconds, then drifts over hours toward
           the Donnan equilibrium at which every permeant ion sits at its Nernst potential.
pump-leak  Na+/K+-ATPase (3 Na+ out : 2 K+ in per cycle, electrogenic; Luo & Rudy 1994
           kinetics), GHK leaks, impermeant anions of mean valence z_X, and water that keeps
           the cell in osmotic equilibrium with the bath at every instant (Tosteson &
           Hoffman 1960; Keener & Sneyd 2009; Kay 2017).
========== =================================================================================

Units: V in mV, concentrations in mM (1 mM = 1e-6 mol/cm^3), permeability in cm/s, flux in
mol cm^-2 s^-1 (outward positive), capacitance in uF/cm^2, lengths in um, areas in um^2,
volumes in um^3 (1 um^3 = 1 fL), pump current in uA/cm^2 (outward positive), time in s.

Preset cells carry *relative* permeabilities. The dynamics needs absolute ones:
``P_abs = permeability * p_reference`` with ``p_reference = 1e-6 cm/s`` by default (a round
value of the order of resting K+ permeabilities, 1e-7 to 1e-6 cm/s; a choice, not a measured
constant). Pass ``p_reference=1`` when a cell's permeabilities are already in cm/s.

References
----------
.. [1] Fraser J.A., Huang C.L.-H. (2004) A quantitative analysis of cell volume and resting
   potential determination and regulation in excitable cells. J. Physiol. 559:459-478.
.. [2] Tosteson D.C., Hoffman J.F. (1960) Regulation of cell volume by active cation transport
   in high and low potassium sheep red cells. J. Gen. Physiol. 44:169-194.
.. [3] Keener J., Sneyd J. (2009) Mathematical Physiology I: Cellular Physiology, 2nd ed.,
   Springer, ch. 2 (the membrane potential; osmosis; control of cell volume, the pump-leak
   model).
.. [4] Kay A.R. (2017) How cells can control their size by pumping ions. Front. Cell Dev.
   Biol. 5:41.
.. [5] Luo C.H., Rudy Y. (1994) A dynamic model of the cardiac ventricular action potential.
   I. Simulations of ionic currents and concentration changes. Circ. Res. 74:1071-1096.
.. [6] Mori Y. (2012) Mathematical properties of pump-leak models of cell volume control and
   electrolyte balance. J. Math. Biol. 65:875-918.
"""

from __future__ import annotations

import csv
import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import ArrayLike

from nernst._validate import finite, non_negative, positive, scalar_or_array
from nernst.constants import (
    AVOGADRO,
    BODY_TEMPERATURE_C,
    FARADAY,
    GAS_CONSTANT,
    kelvin,
)
from nernst.ghk import _flux, ghk_flux, ghk_slope_conductance, ghk_voltage, ion_axis_inputs
from nernst.ions import ions

__all__ = [
    "MODELS",
    "NaKPump",
    "Perturbation",
    "PumpLeakSteadyState",
    "Simulation",
    "ions_for_potential",
    "membrane_time_constant",
    "nak_pump_current",
    "parse_duration",
    "parse_perturbation",
    "pump_leak_steady_state",
    "simulate",
]

#: The models :func:`simulate` accepts, with what each one contains.
MODELS = {
    "approach": "fixed volume, passive GHK fluxes, no pump (approach to equilibrium)",
    "pump-leak": "Na+/K+ pump, GHK leaks, impermeant anions, osmotic water balance",
}

#: Default reference permeability: the absolute permeability of an ion whose relative
#: permeability is 1. A round physiological order of magnitude (resting P_K is 1e-7 to
#: 1e-6 cm/s), a modelling choice. [cm/s]
P_REFERENCE = 1e-6
#: Specific membrane capacitance of biological membranes, about 1 uF/cm^2 (Hille B. (2001)
#: Ion Channels of Excitable Membranes, 3rd ed., ch. 1; Gentet L.J., Stuart G.J., Clements
#: J.D. (2000) Biophys. J. 79:314-320 measured 0.9 uF/cm^2). [uF/cm^2]
CAPACITANCE = 1.0
#: Default cell radius (a small neuron soma). [um]
RADIUS = 10.0

_MM = 1e-6  # 1 mM in mol/cm^3
_UM2 = 1e-8  # 1 um^2 in cm^2
_UM3 = 1e-12  # 1 um^3 in cm^3

#: Default solver settings. The system is stiff (V relaxes in milliseconds, concentrations
#: over hours), so the default method is BDF (variable-order backward differentiation);
#: LSODA crawls at the stability limit of its non-stiff mode near a steady state. The state
#: is each ion's carried charge in mV of membrane potential (one component is V - V0
#: itself), so ``atol`` is an absolute tolerance in mV.
METHOD = "BDF"
RTOL = 1e-9
ATOL = 1e-7


class CellLike(Protocol):
    """What the dynamics reads from a cell (a :class:`nernst.Cell` has it)."""

    @property
    def inside(self) -> Mapping[str, float]: ...

    @property
    def outside(self) -> Mapping[str, float]: ...

    @property
    def permeability(self) -> Mapping[str, float]: ...

    @property
    def celsius(self) -> float: ...


# ------------------------------------------------------------------------- physics pieces


def nak_pump_current(
    v: ArrayLike,
    /,
    *,
    na_in: ArrayLike,
    k_out: ArrayLike,
    na_out: ArrayLike = 140.0,
    i_max: ArrayLike = 1.5,
    km_na: float = 10.0,
    km_k: float = 1.5,
    voltage_dependent: bool = True,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""Na+/K+-ATPase current (Luo & Rudy 1994 form), outward positive.

    Each cycle moves 3 Na+ out and 2 K+ in: one net positive charge out, so the current is
    outward and the cycle rate is I/F.

    .. math::

        I_{NaK} = \bar I \, f_{NaK}(V)\,
            \frac{1}{1 + (K_{m,Na}/[Na^+]_i)^{1.5}}\,
            \frac{[K^+]_o}{[K^+]_o + K_{m,K}},

        f_{NaK} = \left(1 + 0.1245\, e^{-0.1 FV/RT}
            + 0.0365\, \sigma\, e^{-FV/RT}\right)^{-1},
        \qquad \sigma = \frac{e^{[Na^+]_o/67.3\,\mathrm{mM}} - 1}{7}

    Parameters
    ----------
    v : array_like
        Membrane potential V_in - V_out. [mV]
    na_in, k_out : array_like
        Internal Na+ and external K+ concentrations (>= 0). [mM]
    na_out : array_like, default 140.0
        External Na+ (enters the voltage dependence through sigma). [mM]
    i_max : array_like, default 1.5
        Maximal pump current density (Luo & Rudy 1994: 1.5 uA/uF, i.e. 1.5 uA/cm^2 at
        1 uF/cm^2). [uA/cm^2]
    km_na, km_k : float, default 10.0 and 1.5
        Half-saturation constants for internal Na+ and external K+. [mM]
    voltage_dependent : bool, default True
        Include f_NaK(V); False sets f_NaK = 1.
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    I : float or ndarray
        Pump current density, positive outward. [uA/cm^2]

    Examples
    --------
    At -80 mV with Na_i = 10 mM = K_m,Na and K_o = 5.4 mM: sigma = (e^(140/67.3) - 1)/7 =
    1.00097, f_NaK = 1/(1 + 0.1245 e^0.29933 + 0.0365 sigma e^2.99326) = 0.52717, so
    I = 1.5 x 0.52717 x 0.5 x 5.4/6.9 = 0.3094 uA/cm^2:

    >>> round(nak_pump_current(-80, na_in=10, k_out=5.4, na_out=140), 4)
    0.3094

    References
    ----------
    .. [1] Luo C.H., Rudy Y. (1994) Circ. Res. 74:1071-1096, eqs. for I_NaK (parameters
       I_NaK,max = 1.5 uA/uF, K_m,Nai = 10 mM, K_m,Ko = 1.5 mM).
    .. [2] DiFrancesco D., Noble D. (1985) A model of cardiac electrical activity
       incorporating ionic pumps and concentration changes. Phil. Trans. R. Soc. Lond. B
       307:353-398.
    """
    V = finite("v", v, unit="mV")
    na_i = _non_negative("na_in", na_in)
    k_o = _non_negative("k_out", k_out)
    na_o = _non_negative("na_out", na_out)
    imax = _non_negative("i_max", i_max, unit="uA/cm^2", what="maximal pump current")
    for name, value in (("km_na", km_na), ("km_k", km_k)):
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name}={value!r}: a half-saturation constant must be > 0 [mM]")
    VT = GAS_CONSTANT * kelvin(celsius) / FARADAY * 1e3
    return scalar_or_array(
        _pump(V / VT, na_i, k_o, na_o, imax, km_na, km_k, 1.5, voltage_dependent)
    )


def _pump(
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
    """Luo-Rudy pump current [uA/cm^2] at u = FV/RT (inputs trusted)."""
    na_i = np.maximum(na_i, 0.0)
    with np.errstate(divide="ignore"):
        sat_na = 1.0 / (1.0 + (km_na / na_i) ** hill)
    sat_k = k_o / (k_o + km_k)
    if voltage_dependent:
        sigma = np.expm1(na_o / 67.3) / 7.0
        f = 1.0 / (1.0 + 0.1245 * np.exp(-0.1 * u) + 0.0365 * sigma * np.exp(-u))
    else:
        f = 1.0
    return imax * f * sat_na * sat_k


def membrane_time_constant(
    permeability: Mapping[str, ArrayLike],
    /,
    *,
    c_in: Mapping[str, ArrayLike],
    c_out: Mapping[str, ArrayLike],
    capacitance: ArrayLike = CAPACITANCE,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""Membrane time constant at the GHK resting potential: C_m over the slope conductance.

    Near rest the potential relaxes exponentially with :math:`\tau = C_m / G`, where G is
    the sum of the GHK slope conductances :math:`dI_i/dV` at the reversal potential. Both C_m
    and G are per unit area, so tau does not depend on the size of the cell; it scales as
    1/P. For a single ion it reduces to

    .. math::

        \tau = C_m \Big/ \left(\frac{P z^2 F^2}{RT}\,
            \frac{c_{in} c_{out} \ln(c_{out}/c_{in})}{c_{out} - c_{in}}\right)

    Parameters
    ----------
    permeability : mapping of str to array_like
        Absolute permeabilities of the permeant ions. [cm/s]
    c_in, c_out : mapping of str to array_like
        Concentrations inside and outside. [mM]
    capacitance : array_like, default 1.0
        Specific membrane capacitance. [uF/cm^2]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    tau : float or ndarray
        Time constant. [ms]

    Raises
    ------
    ValueError
        As :func:`nernst.ghk_voltage`; non-positive capacitance.

    Examples
    --------
    >>> round(membrane_time_constant({"K+": 1e-6}, c_in={"K+": 140}, c_out={"K+": 5}), 2)
    16.03

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., ch. 14 (GHK
       current equation) and ch. 1 (membrane time constant).
    """
    Cm = positive("capacitance", capacitance, what="capacitance", unit="uF/cm^2")
    P, ci, co, z = ion_axis_inputs(permeability, c_in, c_out, None, -1)
    V = np.asarray(ghk_voltage(permeability, c_in=c_in, c_out=c_out, celsius=celsius))
    G = np.sum(
        ghk_slope_conductance(
            z,
            v_m=V[..., None],
            permeability=P,
            c_in=ci,
            c_out=co,
            celsius=np.asarray(celsius, dtype=float)[..., None],
        ),
        axis=-1,
    )  # S/cm^2
    return scalar_or_array(Cm * 1e-6 / G * 1e3)


def ions_for_potential(
    delta_v: ArrayLike,
    ion: str | int | ArrayLike,
    /,
    *,
    capacitance: ArrayLike = CAPACITANCE,
) -> float | np.ndarray:
    r"""Amount of an ion that must cross a unit area of membrane to change V by delta_v.

    The membrane is a capacitor: a potential change :math:`\Delta V` needs the charge
    :math:`Q = C_m \Delta V` per unit area, carried by :math:`Q/(zF)` moles of the ion.
    Positive when the ion must enter the cell (a cation to depolarise).

    .. math:: n = \frac{C_m \, \Delta V}{z F}

    Parameters
    ----------
    delta_v : array_like
        Change of V_in - V_out. [mV]
    ion : str, int or array of int
        Ion name or valence (non-zero).
    capacitance : array_like, default 1.0
        Specific membrane capacitance. [uF/cm^2]

    Returns
    -------
    n : float or ndarray
        Amount per unit membrane area, positive into the cell. [mol/cm^2]

    Examples
    --------
    K+ leaving to charge a 1 uF/cm^2 membrane to -89 mV:

    >>> f"{ions_for_potential(-89.06, 'K+'):.3e}"
    '-9.230e-13'

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., ch. 1 (few ions
       need to move to charge the membrane).
    """
    from nernst.ions import valence

    z = np.asarray(valence(ion), dtype=float)
    dV = finite("delta_v", delta_v, unit="mV")
    Cm = positive("capacitance", capacitance, what="capacitance", unit="uF/cm^2")
    return scalar_or_array(Cm * 1e-6 * dV * 1e-3 / (z * FARADAY))


# ----------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class NaKPump:
    """Parameters of the Na+/K+-ATPase in the pump-leak model (Luo & Rudy 1994 kinetics).

    Attributes
    ----------
    i_max : float or "balance"
        Maximal pump current density [uA/cm^2]. "balance" (the default) chooses it so that,
        at the cell's given concentrations and the zero-current potential, the pump extrudes
        exactly the Na+ that leaks in.
    km_na, km_k : float
        Half-saturation constants for internal Na+ (Hill coefficient 1.5) and external K+.
        Luo & Rudy 1994: 10 and 1.5 mM. [mM]
    voltage_dependent : bool
        Include the Luo-Rudy voltage factor f_NaK(V).
    """

    i_max: float | str = "balance"
    km_na: float = 10.0
    km_k: float = 1.5
    voltage_dependent: bool = True


@dataclass(frozen=True)
class _Model:
    """Everything the right-hand side needs, in internal units (mol, cm, cm^2, cm^3, mV)."""

    ions: tuple[str, ...]
    z: np.ndarray
    P: np.ndarray  # cm/s
    c_out: np.ndarray  # mM
    n0: np.ndarray  # mol inside at the reference state
    W0: float  # cm^3
    A: float  # cm^2
    Cm: float  # F/cm^2
    V0: float  # mV at the reference state
    T: float  # K
    VT: float  # mV
    osmotic: bool
    osm_out: float  # mM (mOsm/l)
    n_x: float  # mol of impermeant anion inside
    z_x: float
    pump_imax: float  # uA/cm^2 (0 without a pump)
    pump: NaKPump
    pump_factor: float
    i_na: int
    i_k: int
    q_unit: float  # mol of unit charge per mV: Cm A / (1e3 F)
    pivot: int  # index of the ion whose charge state is replaced by V - V0

    # The solver state u is y_i = Delta n_i / q_unit (the amount of ion i moved in, in mV of
    # membrane charge per unit valence), except that u[pivot] = V - V0 = sum_i z_i y_i.
    # V is then a state variable (its error is controlled directly, no cancellation of large
    # charges in long runs) and the pivot ion's amount follows exactly from the charge
    # balance, so C_m A (V - V0) = F sum z_i Delta n_i holds to rounding.

    def amounts_moved(self, u: np.ndarray) -> np.ndarray:
        """y [mV of charge per unit valence] from the solver state u (linear, any shape)."""
        y = np.array(u, dtype=float, copy=True)
        p = self.pivot
        y[p] = (u[p] - (self.z @ u - self.z[p] * u[p])) / self.z[p]
        return y

    def state(self, u: np.ndarray) -> tuple[np.ndarray, Any, np.ndarray, Any]:
        """(n [mol], W [cm^3], c [mM], V [mV]) from the solver state u; u may be (n, K)."""
        y = self.amounts_moved(u)
        n = (self.n0 + (y.T * self.q_unit)).T if y.ndim > 1 else self.n0 + y * self.q_unit
        if self.osmotic:
            W = (np.sum(n, axis=0) + self.n_x) / (self.osm_out * _MM)
        else:
            W = self.W0
        c = n / W / _MM
        V = self.V0 + u[self.pivot]
        return n, W, c, V

    def fluxes(self, V: Any, c: np.ndarray) -> tuple[np.ndarray, Any]:
        """Net outward flux of each ion [mol cm^-2 s^-1] and pump current [uA/cm^2]."""
        zz = self.z if c.ndim == 1 else self.z[:, None]
        w = zz * V / self.VT
        P = self.P if c.ndim == 1 else self.P[:, None]
        co = self.c_out if c.ndim == 1 else self.c_out[:, None]
        phi = _flux(w, P, c, co) * _MM
        if self.pump_imax > 0 and self.pump_factor > 0:
            Ip = self.pump_factor * _pump(
                V / self.VT,
                c[self.i_na],
                self.c_out[self.i_k],
                self.c_out[self.i_na],
                self.pump_imax,
                self.pump.km_na,
                self.pump.km_k,
                1.5,
                self.pump.voltage_dependent,
            )
            J = Ip * 1e-6 / FARADAY  # cycles, mol cm^-2 s^-1
            phi[self.i_na] = phi[self.i_na] + 3.0 * J
            phi[self.i_k] = phi[self.i_k] - 2.0 * J
        else:
            Ip = np.zeros(np.shape(V)) if np.ndim(V) else 0.0
        return phi, Ip

    def rhs(self, t: float, u: np.ndarray) -> np.ndarray:
        _, _, c, V = self.state(u)
        phi, _ = self.fluxes(V, c)
        du = -self.A * phi / self.q_unit
        du[self.pivot] = self.z @ du
        return du


def _non_negative(name: str, value: ArrayLike, *, unit: str = "mM", what: str = "") -> np.ndarray:
    return non_negative(name, value, what=what or "concentration", unit=unit)


def _geometry(
    radius: float | None, area: float | None, volume: float | None
) -> tuple[float, float]:
    """Membrane area [um^2] and volume [um^3] of a sphere of ``radius``, each overridable."""
    for name, value in (("radius", radius), ("area", area), ("volume", volume)):
        if value is not None and not (math.isfinite(value) and value > 0):
            unit = {"radius": "um", "area": "um^2", "volume": "um^3"}[name]
            raise ValueError(f"{name}={value!r} must be positive and finite [{unit}]")
    r = RADIUS if radius is None else radius
    A = 4.0 * math.pi * r**2 if area is None else area
    W = 4.0 / 3.0 * math.pi * r**3 if volume is None else volume
    return A, W


def _cell_arrays(cell: CellLike) -> tuple[tuple[str, ...], np.ndarray, np.ndarray, np.ndarray]:
    """Ion names, valences, inside and outside concentrations from a cell-like object."""
    try:
        inside = dict(cell.inside)
        outside = dict(cell.outside)
        dict(cell.permeability)
        float(cell.celsius)
    except AttributeError as err:
        raise ValueError(
            f"cell must be a nernst.Cell (with inside, outside, permeability, celsius), "
            f"got {type(cell).__name__}"
        ) from err
    names = tuple(ions.resolve(k) for k in inside)
    by_symbol_out = {ions.resolve(k): v for k, v in outside.items()}
    missing = [n for n in names if n not in by_symbol_out]
    if missing:
        raise ValueError(f"{missing[0]} has a concentration inside but none outside")
    z = np.array([ions[n].charge for n in names], dtype=float)
    c_in = np.array([float(inside[k]) for k in inside])
    c_out = np.array([float(by_symbol_out[n]) for n in names])
    for label, arr in (("inside", c_in), ("outside", c_out)):
        bad = ~(np.isfinite(arr) & (arr > 0))
        if np.any(bad):
            i = int(np.argmax(bad))
            raise ValueError(
                f"{label}[{names[i]}]={arr[i]:g}: a concentration must be positive and finite [mM]"
            )
    return names, z, c_in, c_out


def _build(
    cell: CellLike,
    *,
    model: str,
    p_reference: float,
    radius: float | None,
    area: float | None,
    volume: float | None,
    capacitance: float,
    v0: float | None,
    pump: NaKPump,
    impermeant_valence: float | None,
    osmolarity_out: float | None,
) -> _Model:
    if model not in MODELS:
        raise ValueError(
            f"model={model!r} is not a model; the models are: "
            + "; ".join(f"{k!r} ({v})" for k, v in MODELS.items())
        )
    if not (math.isfinite(p_reference) and p_reference > 0):
        raise ValueError(
            f"p_reference={p_reference!r} must be positive and finite [cm/s] (the absolute "
            "permeability of relative permeability 1; use 1 for permeabilities in cm/s)"
        )
    if not (math.isfinite(capacitance) and capacitance > 0):
        raise ValueError(f"capacitance={capacitance!r} must be positive and finite [uF/cm^2]")
    names, z, c_in, c_out = _cell_arrays(cell)
    perm = {ions.resolve(k): float(v) for k, v in cell.permeability.items()}
    P = np.array([perm.get(n, 0.0) for n in names]) * p_reference
    if not np.any(P > 0):
        raise ValueError("no ion has a positive permeability: nothing can cross the membrane")
    T = float(kelvin(cell.celsius))
    VT = GAS_CONSTANT * T / FARADAY * 1e3
    A_um2, W_um3 = _geometry(radius, area, volume)
    A = A_um2 * _UM2
    W0 = W_um3 * _UM3
    Cm = capacitance * 1e-6
    n0 = c_in * _MM * W0
    pumped = model == "pump-leak"
    i_na = names.index("Na+") if "Na+" in names else -1
    i_k = names.index("K+") if "K+" in names else -1
    if pumped and (i_na < 0 or i_k < 0):
        raise ValueError("the pump-leak model needs Na+ and K+ in the cell (inside and outside)")
    # Bath osmolarity: the listed ions plus monovalent counter-ions that make it neutral.
    if osmolarity_out is None:
        osm_out = float(np.sum(c_out) + abs(np.dot(z, c_out)))
    else:
        if not (math.isfinite(osmolarity_out) and osmolarity_out > 0):
            raise ValueError(f"osmolarity_out={osmolarity_out!r} must be positive [mOsm]")
        osm_out = float(osmolarity_out)
    m = _Model(
        ions=names,
        z=z,
        P=P,
        c_out=c_out,
        n0=n0,
        W0=W0,
        A=A,
        Cm=Cm,
        V0=0.0,
        T=T,
        VT=VT,
        osmotic=pumped,
        osm_out=osm_out,
        n_x=0.0,
        z_x=0.0,
        pump_imax=0.0,
        pump=pump,
        pump_factor=1.0 if pumped else 0.0,
        i_na=i_na,
        i_k=i_k,
        q_unit=Cm * A / (1e3 * FARADAY),
        pivot=int(np.argmax(P * c_in)),
    )
    if pumped:
        m = replace(m, pump_imax=_pump_imax(m, pump))
    if v0 is None:
        V0 = 0.0 if not pumped else _zero_current_potential(m)
    else:
        if not math.isfinite(v0):
            raise ValueError(f"v0={v0!r} must be a finite potential [mV]")
        V0 = float(v0)
    x, z_x = _impermeant(z, c_in, osm_out, V0 * m.q_unit / (W0 * _MM), impermeant_valence, pumped)
    return replace(m, V0=V0, n_x=x * _MM * W0, z_x=z_x)


def _impermeant(
    z: np.ndarray,
    c_in: np.ndarray,
    osm_out: float,
    q0: float,
    impermeant_valence: float | None,
    pumped: bool,
) -> tuple[float, float]:
    """Impermeant solute inside [mM] and its mean valence.

    The starting cell carries exactly the net charge of its membrane capacitor, q0 [mM of
    unit charge] = C_m A V0 / (F W), so that V = F (net charge) / (C_m A) at every instant.
    The amount x comes from osmotic balance with the bath and z_X from that charge, or, when
    the mean valence is given, x from the charge (the cell then shrinks or swells at once).
    """
    charge_in = float(np.dot(z, c_in)) - q0
    if impermeant_valence is None:
        x = osm_out - float(np.sum(c_in))
        neutral = abs(charge_in) <= 1e-9 * float(np.sum(c_in))
        if pumped and (x < -1e-9 * osm_out or (x <= 0 and not neutral)):
            raise ValueError(
                f"the listed inside ions alone ({np.sum(c_in):g} mM, net charge "
                f"{charge_in:+g} mM) leave no room in the bath osmolarity ({osm_out:g} mOsm) "
                "for the impermeant solute that would neutralise them; give osmolarity_out"
            )
        x = max(x, 0.0)
        return x, (-charge_in / x if x > 0 else 0.0)
    z_x = float(impermeant_valence)
    if not math.isfinite(z_x) or z_x == 0 or z_x * charge_in > 0:
        raise ValueError(
            f"impermeant_valence={impermeant_valence!r}: the mean valence of the impermeant "
            f"solute must be non-zero and opposite in sign to the listed ions' net charge "
            f"({charge_in:+g} mM)"
        )
    return -charge_in / z_x, z_x


def _zero_current_potential(m: _Model) -> float:
    """V at which the total membrane current (leaks + pump) is zero, at the start state."""
    from scipy.optimize import brentq

    c = m.n0 / m.W0 / _MM

    def current(V: float) -> float:
        phi, _ = m.fluxes(V, c)  # the pump's Na+ and K+ fluxes are included
        return float(np.dot(m.z, phi))

    lo, hi = -150.0, 150.0
    while current(lo) > 0:
        lo -= 150.0
    while current(hi) < 0:
        hi += 150.0
    return float(brentq(current, lo, hi, xtol=1e-13, rtol=4 * np.finfo(float).eps))


def _pump_imax(m: _Model, pump: NaKPump) -> float:
    if isinstance(pump.i_max, str):
        if pump.i_max != "balance":
            raise ValueError(f"pump i_max={pump.i_max!r}: give a current in uA/cm^2 or 'balance'")
    else:
        imax = float(pump.i_max)
        if not (math.isfinite(imax) and imax >= 0):
            raise ValueError(f"pump i_max={imax!r} must be zero or positive [uA/cm^2]")
        return imax
    # Balance: zero net Na+ flux and zero total current at the given concentrations:
    # Phi_Na(V) + 3J = 0 and sum z Phi(V) + J = 0  =>  sum z Phi(V) - Phi_Na(V)/3 = 0.
    from scipy.optimize import brentq

    passive = replace(m, pump_imax=0.0)
    c = m.n0 / m.W0 / _MM
    if m.P[m.i_na] <= 0:
        raise ValueError("pump i_max='balance' needs a Na+ leak (P_Na > 0); give i_max in uA/cm^2")

    def f(V: float) -> float:
        phi, _ = passive.fluxes(V, c)
        return float(np.dot(m.z, phi) - phi[m.i_na] / 3.0)

    lo, hi = -150.0, 150.0
    while f(lo) > 0:
        lo -= 150.0
    while f(hi) < 0:
        hi += 150.0
    V = brentq(f, lo, hi, xtol=1e-13)
    phi, _ = passive.fluxes(V, c)
    J = -phi[m.i_na] / 3.0  # mol cm^-2 s^-1
    unit = _pump(
        V / m.VT,
        c[m.i_na],
        m.c_out[m.i_k],
        m.c_out[m.i_na],
        1.0,
        pump.km_na,
        pump.km_k,
        1.5,
        pump.voltage_dependent,
    )
    if J <= 0:
        raise ValueError(
            "pump i_max='balance': Na+ does not leak into this cell at rest, so no pump rate "
            "balances it; give i_max in uA/cm^2"
        )
    return float(J * FARADAY * 1e6 / unit)


# ------------------------------------------------------------------------- perturbations


@dataclass(frozen=True)
class Perturbation:
    """A step change applied at time ``at`` [s] during a simulation.

    ``kind`` is "pump" (``value`` multiplies the pump rate when ``relative``, else sets
    i_max in uA/cm^2), "c_out" (external concentration of ``ion`` [mM], or a factor), or
    "permeability" (relative permeability of ``ion`` in the cell's units, or a factor).
    Build them from text with :func:`parse_perturbation`.
    """

    kind: str
    ion: str | None
    value: float
    relative: bool
    at: float = 0.0
    text: str = ""


_DURATION_UNITS = {
    "us": 1e-6,
    "µs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "sec": 1.0,
    "min": 60.0,
    "m": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "d": 86400.0,
}


def parse_duration(text: str | float) -> float:
    """A duration such as "50ms", "2 s", "1.5h", "10min" or a bare number (seconds) -> s.

    Units: us, ms, s, min (or m), h, d.

    Examples
    --------
    >>> parse_duration("50ms"), parse_duration("3h"), parse_duration(2)
    (0.05, 10800.0, 2.0)
    """
    if isinstance(text, int | float):
        value = float(text)
        unit = "s"
    else:
        match = re.fullmatch(r"\s*([0-9.]+(?:[eE][-+]?[0-9]+)?)\s*([a-zµ]*)\s*", str(text))
        if not match or match.group(2) not in ("", *_DURATION_UNITS):
            raise ValueError(
                f"duration {text!r} is not understood; write a number and a unit, e.g. 50ms, "
                f"2s, 10min, 3h (units: {', '.join(u for u in _DURATION_UNITS if u != 'µs')})"
            )
        try:
            value = float(match.group(1))
        except ValueError:
            raise ValueError(f"duration {text!r}: {match.group(1)!r} is not a number") from None
        unit = match.group(2) or "s"
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"duration {text!r} must be a finite time >= 0")
    return value * _DURATION_UNITS[unit]


def parse_perturbation(text: str) -> Perturbation:
    """A perturbation from text, optionally at a time: ``WHAT[@TIME]``.

    ========================= ===========================================================
    ``pump-block``, ouabain   pump rate set to 0 (cardiac glycoside block)
    ``pump=x0.5``             pump rate times 0.5; ``pump=1.2`` sets i_max [uA/cm^2]
    ``k-out=10``              external K+ to 10 mM (also ``na-out=``, ``cl-out=``)
    ``out:Ca2+=x2``           external concentration of any ion, value or factor
    ``perm:Na+=x2``           permeability of an ion times 2; ``perm:Na+=0.08`` sets the
                              relative permeability (cell units, times p_reference)
    ``...@10s``               apply at t = 10 s instead of t = 0 (see :func:`parse_duration`)
    ========================= ===========================================================

    Examples
    --------
    >>> parse_perturbation("perm:Na+=x2@1s")
    Perturbation(kind='permeability', ion='Na+', value=2.0, relative=True, at=1.0, text='perm:Na+=x2@1s')
    """  # noqa: E501
    raw = str(text).strip()
    body, _, when = raw.partition("@")
    at = parse_duration(when) if when.strip() else 0.0
    body = body.strip()
    low = body.lower()
    if low in ("pump-block", "pump_block", "ouabain", "block-pump"):
        return Perturbation("pump", None, 0.0, True, at, raw)
    what, sep, value_text = body.partition("=")
    if not sep:
        raise ValueError(_perturbation_help(raw))
    value_text = value_text.strip()
    relative = value_text[:1].lower() in ("x", "*", "×")
    number = value_text[1:] if relative else value_text
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"perturbation {raw!r}: {value_text!r} is not a number") from None
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"perturbation {raw!r}: the value must be finite and >= 0")
    key = what.strip()
    if key.lower() == "pump":
        return Perturbation("pump", None, value, relative, at, raw)
    if key.lower().startswith(("perm:", "p:")):
        ion = ions.resolve(key.split(":", 1)[1].strip())
        return Perturbation("permeability", ion, value, relative, at, raw)
    if key.lower().startswith("out:"):
        ion = ions.resolve(key.split(":", 1)[1].strip())
        return Perturbation("c_out", ion, value, relative, at, raw)
    if key.lower().endswith("-out"):
        ion = ions.resolve(key[:-4].strip())
        return Perturbation("c_out", ion, value, relative, at, raw)
    raise ValueError(_perturbation_help(raw))


def _perturbation_help(raw: str) -> str:
    return (
        f"perturbation {raw!r} is not understood; use pump-block, pump=x0.5, k-out=10, "
        "out:Na+=100, perm:Na+=x2 (optionally @TIME, e.g. pump-block@10s)"
    )


def _apply(m: _Model, p: Perturbation, p_reference: float) -> _Model:
    if p.kind == "pump":
        if m.pump_imax == 0 and not m.osmotic:
            raise ValueError(
                f"perturbation {p.text!r} acts on the pump: use model='pump-leak' "
                "(the approach model has no pump)"
            )
        if p.relative:
            return replace(m, pump_factor=m.pump_factor * p.value)
        return replace(m, pump_imax=p.value, pump_factor=1.0)
    assert p.ion is not None
    if p.ion not in m.ions:
        raise ValueError(
            f"perturbation {p.text!r}: {p.ion} is not in this cell (ions: {', '.join(m.ions)})"
        )
    i = m.ions.index(p.ion)
    if p.kind == "c_out":
        c_out = m.c_out.copy()
        new = c_out[i] * p.value if p.relative else p.value
        if not new > 0:
            raise ValueError(f"perturbation {p.text!r}: a concentration must stay > 0 [mM]")
        osm = m.osm_out + (new - c_out[i])
        c_out[i] = new
        return replace(m, c_out=c_out, osm_out=osm)
    P = m.P.copy()
    P[i] = P[i] * p.value if p.relative else p.value * p_reference
    return replace(m, P=P)


# ------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Simulation:
    """Time course of a simulated cell (from :func:`simulate`).

    Arrays run over the output times ``t``; dictionaries are keyed by ion symbol. At a
    perturbation time the output has two rows with the same t (before and after the step).

    Attributes
    ----------
    model : str
        "approach" or "pump-leak".
    t : ndarray
        Time. [s]
    V : ndarray
        Membrane potential V_in - V_out. [mV]
    c_in, c_out : dict of str to ndarray
        Concentrations inside and outside. [mM]
    flux : dict of str to ndarray
        Passive (GHK) flux of each ion, positive outward. [mol cm^-2 s^-1]
    pump_current : ndarray
        Na+/K+ pump current, positive outward (zero in the approach model). [uA/cm^2]
    volume : ndarray
        Cell volume. [um^3]
    amount : dict of str to ndarray
        Amount of each ion inside. [mol]
    crossed : dict of str to ndarray
        Net amount of each ion that has left the cell since t = 0 (negative: entered). [mol]
    permeability : dict of str to float
        Absolute permeabilities before any perturbation. [cm/s]
    target : float or None
        Potential the run was watched for: the GHK potential of the initial concentrations in
        the approach model, or the ``target`` given. [mV]
    t_target : float or None
        First time at which ``|V - target|`` < tolerance, None if never. [s]
    tau_membrane : float
        Membrane time constant at the initial concentrations (:func:`membrane_time_constant`).
        [ms]
    """

    model: str
    t: np.ndarray
    V: np.ndarray
    ions: tuple[str, ...]
    charges: tuple[int, ...]
    c_in: dict[str, np.ndarray]
    c_out: dict[str, np.ndarray]
    flux: dict[str, np.ndarray]
    pump_current: np.ndarray
    volume: np.ndarray
    amount: dict[str, np.ndarray]
    crossed: dict[str, np.ndarray]
    permeability: dict[str, float]
    area: float
    capacitance: float
    celsius: float
    v0: float
    target: float | None
    tolerance: float
    t_target: float | None
    tau_membrane: float
    pump_max: float
    impermeant_valence: float
    impermeant_amount: float
    perturbations: tuple[str, ...] = ()
    solver: dict[str, Any] = field(default_factory=dict)

    @property
    def V_final(self) -> float:
        """Membrane potential at the last output time. [mV]"""
        return float(self.V[-1])

    @property
    def crossed_number(self) -> dict[str, float]:
        """Number of ions (not moles) of each kind that left the cell by the end."""
        return {ion: float(v[-1] * AVOGADRO) for ion, v in self.crossed.items()}

    @property
    def fraction_crossed(self) -> dict[str, float]:
        """Net amount that left by the end over the initial content, per ion."""
        return {ion: float(self.crossed[ion][-1] / self.amount[ion][0]) for ion in self.ions}

    def final(self) -> dict[str, Any]:
        """The last state: V [mV], c_in [mM], volume [um^3], pump current [uA/cm^2]."""
        return {
            "t_s": float(self.t[-1]),
            "V_mV": self.V_final,
            "c_in_mM": {ion: float(v[-1]) for ion, v in self.c_in.items()},
            "volume_um3": float(self.volume[-1]),
            "pump_current_uA_cm2": float(self.pump_current[-1]),
        }

    def to_dict(self, *, series: bool = False) -> dict[str, Any]:
        """Summary (and with ``series=True`` the time course) as plain JSON-ready Python."""
        out: dict[str, Any] = {
            "model": self.model,
            "perturbations": list(self.perturbations),
            "celsius": self.celsius,
            "area_um2": self.area,
            "capacitance_uF_cm2": self.capacitance,
            "permeability_cm_s": dict(self.permeability),
            "v0_mV": self.v0,
            "initial": {
                "V_mV": float(self.V[0]),
                "c_in_mM": {ion: float(v[0]) for ion, v in self.c_in.items()},
                "volume_um3": float(self.volume[0]),
            },
            "final": self.final(),
            "target_mV": self.target,
            "tolerance_mV": self.tolerance,
            "t_target_s": self.t_target,
            "tau_membrane_ms": self.tau_membrane,
            "crossed_mol": {ion: float(v[-1]) for ion, v in self.crossed.items()},
            "crossed_number": self.crossed_number,
            "fraction_crossed": self.fraction_crossed,
            "pump_max_uA_cm2": self.pump_max,
            "impermeant": {
                "mM_initial": self.impermeant_amount,
                "valence": self.impermeant_valence,
            },
            "solver": dict(self.solver),
            "n_points": len(self.t),
            "units": {
                "t": "s",
                "V": "mV",
                "c": "mM",
                "flux": "mol/(cm^2 s), outward positive",
                "pump_current": "uA/cm^2, outward positive",
                "volume": "um^3",
                "crossed": "mol, outward positive",
            },
        }
        if series:
            out["series"] = {k: v.tolist() for k, v in self.columns().items()}
        return out

    def columns(self) -> dict[str, np.ndarray]:
        """The time course as named columns (units in the names)."""
        cols: dict[str, np.ndarray] = {"t_s": self.t, "V_mV": self.V}
        for ion in self.ions:
            cols[f"{ion}_in_mM"] = self.c_in[ion]
        for ion in self.ions:
            cols[f"{ion}_out_mM"] = self.c_out[ion]
        for ion in self.ions:
            cols[f"{ion}_flux_mol_cm2_s"] = self.flux[ion]
        for ion in self.ions:
            cols[f"{ion}_crossed_mol"] = self.crossed[ion]
        cols["pump_current_uA_cm2"] = self.pump_current
        cols["volume_um3"] = self.volume
        return cols

    def to_dataframe(self) -> Any:
        """The time course as a pandas DataFrame (needs ``nernst[frame]``)."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError("to_dataframe needs pandas: pip install 'nernst[frame]'") from None
        return pd.DataFrame(self.columns())

    def to_csv(self, path: str | Path) -> Path:
        """Write the time course as CSV (one header row, full float precision)."""
        path = Path(path)
        cols = self.columns()
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(cols)
            for row in zip(*(c.tolist() for c in cols.values()), strict=True):
                writer.writerow([repr(x) for x in row])
        return path

    def to_parquet(self, path: str | Path) -> Path:
        """Write the time course as Parquet (needs pyarrow: ``nernst[parquet]``)."""
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError("to_parquet needs pyarrow: pip install 'nernst[parquet]'") from None
        table = pa.table({k: pa.array(v) for k, v in self.columns().items()})
        pq.write_table(table, path)
        return Path(path)

    def save(self, path: str | Path) -> Path:
        """Write CSV or Parquet, chosen by the file suffix (.csv, .parquet or .pq)."""
        suffix = Path(path).suffix.lower()
        if suffix == ".csv":
            return self.to_csv(path)
        if suffix in (".parquet", ".pq"):
            return self.to_parquet(path)
        raise ValueError(f"output {str(path)!r}: the suffix must be .csv or .parquet")


@dataclass(frozen=True)
class PumpLeakSteadyState:
    """Steady state of the pump-leak model (from :func:`pump_leak_steady_state`).

    Attributes
    ----------
    V : float
        Membrane potential. [mV]
    c_in, c_out : dict of str to float
        Concentrations. [mM]
    volume : float
        Cell volume. [um^3]
    volume_ratio : float
        Volume over the volume of the cell as given (``radius`` or ``volume``). [1]
    pump_current, pump_max : float
        Pump current at the steady state and the maximal pump current. [uA/cm^2]
    impermeant : float
        Impermeant solute concentration at the steady state. [mM]
    impermeant_valence : float
        Its mean valence. [1]
    method : str
        "root" or "integrate".
    detail : dict
        Solver information (function evaluations, time taken to settle, residual).
    """

    V: float
    c_in: dict[str, float]
    c_out: dict[str, float]
    volume: float
    volume_ratio: float
    pump_current: float
    pump_max: float
    impermeant: float
    impermeant_valence: float
    method: str
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict; V in mV, concentrations in mM, volume in um^3."""
        return {
            "V_mV": self.V,
            "c_in_mM": dict(self.c_in),
            "c_out_mM": dict(self.c_out),
            "volume_um3": self.volume,
            "volume_ratio": self.volume_ratio,
            "pump_current_uA_cm2": self.pump_current,
            "pump_max_uA_cm2": self.pump_max,
            "impermeant_mM": self.impermeant,
            "impermeant_valence": self.impermeant_valence,
            "method": self.method,
            "detail": dict(self.detail),
        }


# ----------------------------------------------------------------------------- solvers


def _root_steady_state(m: _Model, c_guess: np.ndarray, V_guess: float) -> tuple[Any, ...]:
    """Direct root solve of zero net flux for every permeant ion plus the charge relation.

    Unknowns are ln c of the permeant ions and V/VT. Ions with zero permeability keep their
    amount; with osmotic water the volume follows from osmotic balance.
    """
    from scipy.optimize import root

    perm = m.P > 0
    fixed_n = m.n0[~perm]
    n_solute = m.n_x + float(np.sum(fixed_n))

    def unpack(x: np.ndarray) -> tuple[np.ndarray, float, np.ndarray, float] | None:
        cp = np.exp(x[:-1])
        V = float(x[-1] * m.VT)
        if m.osmotic:
            free = (m.osm_out - float(np.sum(cp))) * _MM
            if free <= 0:
                return None
            W = n_solute / free
        else:
            W = m.W0
        n = m.n0.copy()
        n[perm] = cp * _MM * W
        return n, W, n / W / _MM, V

    scale_c = 0.5 * (c_guess[perm] + m.c_out[perm])
    charge_scale = float(np.sum(np.abs(m.z) * m.n0))

    def residual(x: np.ndarray) -> np.ndarray:
        st = unpack(x)
        if st is None:
            return np.full(x.shape, 1e6)
        n, _, c, V = st
        phi, _ = m.fluxes(V, c)
        r_flux = phi[perm] / (m.P[perm] * scale_c * _MM)
        r_charge = (float(np.dot(m.z, n - m.n0)) - m.q_unit * (V - m.V0)) / charge_scale
        return np.append(r_flux, r_charge * 1e3)

    x0 = np.append(np.log(c_guess[perm]), V_guess / m.VT)
    sol = root(residual, x0, method="hybr", options={"xtol": 1e-14, "maxfev": 4000})
    st = unpack(sol.x)
    worst = float(np.max(np.abs(sol.fun))) if st is not None else math.inf
    ok = bool(st is not None and worst < 1e-9)
    if not ok:
        return False, None, None, None, None, {"nfev": int(sol.nfev), "message": sol.message}
    assert st is not None
    n, W, c, V = st
    return True, n, W, c, V, {"nfev": int(sol.nfev), "max_residual": worst}


def _no_steady_state_message(m: _Model) -> str:
    if m.osmotic and (m.pump_imax * m.pump_factor == 0) and m.n_x > 0:
        return (
            "no steady state: without the pump, the impermeant anions inside draw in permeant "
            "ions and water (the Donnan effect) and the bath has too little impermeant solute "
            "to balance them, so the cell swells without bound (Tosteson & Hoffman 1960; "
            "Mori 2012); simulate the time course instead"
        )
    return (
        "no steady state found for this cell and pump (the volume grows without bound or the "
        "solver did not converge); simulate the time course, or change the pump i_max"
    )


#: Volume, relative to the starting one, beyond which method="integrate" declares that the
#: cell swells without bound.
_RUNAWAY_VOLUME = 100.0


def _integrate_to_steady(
    m: _Model, y0: np.ndarray, *, rtol: float, atol: float, rate: float, t_max: float
) -> tuple[bool, np.ndarray, float, int]:
    """Integrate until every amount changes by less than ``rate`` of itself per second.

    Stops early (not settled) if the volume exceeds 100 times the starting one.
    """
    from scipy.integrate import solve_ivp

    def settled(t: float, u: np.ndarray) -> float:
        n, _, _, _ = m.state(u)
        dn = m.amounts_moved(m.rhs(t, u)) * m.q_unit
        return float(np.max(np.abs(dn) / np.abs(n))) - rate

    def runaway(t: float, y: np.ndarray) -> float:
        _, W, _, _ = m.state(y)
        return float(W) / m.W0 - _RUNAWAY_VOLUME

    settled.terminal = True  # type: ignore[attr-defined]
    settled.direction = -1  # type: ignore[attr-defined]
    runaway.terminal = True  # type: ignore[attr-defined]
    runaway.direction = 1  # type: ignore[attr-defined]
    events = [settled, runaway] if m.osmotic else [settled]
    sol = solve_ivp(m.rhs, (0.0, t_max), y0, method=METHOD, rtol=rtol, atol=atol, events=events)
    done = sol.status == 1 and len(sol.t_events[0]) > 0
    return done, sol.y[:, -1], float(sol.t[-1]), int(sol.nfev)


def _blend(base: _Model, target: _Model, lam: float) -> _Model:
    """A model part-way (lam in [0, 1]) from ``base`` to ``target`` (for continuation)."""
    drive_b = base.pump_imax * base.pump_factor
    drive_t = target.pump_imax * target.pump_factor
    return replace(
        target,
        P=(1 - lam) * base.P + lam * target.P,
        c_out=base.c_out ** (1 - lam) * target.c_out**lam,
        osm_out=(1 - lam) * base.osm_out + lam * target.osm_out,
        pump_imax=(1 - lam) * drive_b + lam * drive_t,
        pump_factor=1.0,
    )


def _root_with_continuation(m: _Model, base: _Model | None) -> tuple[Any, ...]:
    """Root solve from the start state; if that fails, follow a path of models from
    ``base`` (whose steady state is easier to find) to ``m``, each solve starting from the
    previous solution."""
    c0 = m.n0 / m.W0 / _MM
    first = _root_steady_state(m, c0, m.V0)
    if first[0] or base is None:
        return first
    ok, _, _, c, V, _ = _root_steady_state(base, c0, m.V0)
    if not ok:
        return first
    lam, step, nfev = 0.0, 0.25, 0
    while lam < 1.0:
        trial = min(1.0, lam + step)
        res = _root_steady_state(_blend(base, m, trial), c, V)
        nfev += res[5]["nfev"]
        if res[0]:
            lam, c, V = trial, res[3], res[4]
            step = min(step * 2, 0.5)
        else:
            step /= 4
            if step < 1e-3:
                return first
    res = _root_steady_state(m, c, V)
    res[5]["nfev"] += nfev
    res[5]["continuation"] = True
    return res


def pump_leak_steady_state(
    cell: CellLike,
    /,
    *,
    method: str = "root",
    perturb: Sequence[str | Perturbation] = (),
    p_reference: float = P_REFERENCE,
    radius: float | None = None,
    area: float | None = None,
    volume: float | None = None,
    capacitance: float = CAPACITANCE,
    pump: NaKPump | None = None,
    impermeant_valence: float | None = None,
    osmolarity_out: float | None = None,
    rtol: float = 1e-10,
    atol: float = 1e-8,
) -> PumpLeakSteadyState:
    r"""Steady state of the pump-leak model: V_m, concentrations and volume.

    At the steady state every permeant ion's net flux (GHK leak plus pump) is zero, the
    total membrane current is zero, and the cell is in osmotic equilibrium with the bath:

    .. math::

        \Phi_{Na}^{leak} + 3J = 0, \quad \Phi_K^{leak} - 2J = 0, \quad \Phi_{i}^{leak} = 0
        \;(\text{other ions}), \quad \sum_i c_i + \frac{N_X}{W} = \mathrm{Osm}_{out}

    with the pump cycle rate :math:`J = I_{NaK}/F`. Chloride (no transporter) therefore sits
    exactly at its Nernst potential.

    Parameters
    ----------
    cell : nernst.Cell
        Starting composition, relative permeabilities and temperature.
    method : {"root", "integrate"}, default "root"
        "root": scipy.optimize.root (hybr) on the steady-state equations, starting from the
        cell's concentrations. "integrate": run the model (BDF) until every amount changes
        by less than 1e-12 of itself per second.
    perturb : sequence of str or Perturbation, optional
        Changes applied before solving (times are ignored), e.g. ``["k-out=10"]``.
    p_reference, radius, area, volume, capacitance, pump, impermeant_valence, osmolarity_out
        As :func:`simulate`.
    rtol, atol : float
        Solver tolerances for method="integrate" (atol in mV of charge state).

    Returns
    -------
    PumpLeakSteadyState

    Raises
    ------
    ValueError
        Bad input, or no steady state (the pump blocked with impermeant anions inside: the
        cell swells without bound).

    Examples
    --------
    Chloride, with no transporter, ends exactly at its Nernst potential:

    >>> import nernst
    >>> ss = pump_leak_steady_state(nernst.Cell.preset("mammalian-neuron"))
    >>> E_Cl = nernst.equilibrium_potential("Cl-", c_in=ss.c_in["Cl-"], c_out=110)
    >>> abs(ss.V - E_Cl) < 1e-6
    True

    References
    ----------
    .. [1] Tosteson D.C., Hoffman J.F. (1960) J. Gen. Physiol. 44:169-194.
    .. [2] Keener J., Sneyd J. (2009) Mathematical Physiology I, 2nd ed., ch. 2.
    .. [3] Kay A.R. (2017) Front. Cell Dev. Biol. 5:41.
    .. [4] Mori Y. (2012) J. Math. Biol. 65:875-918.
    """
    if method not in ("root", "integrate"):
        raise ValueError(f"method={method!r}: use 'root' or 'integrate'")
    m = _build(
        cell,
        model="pump-leak",
        p_reference=p_reference,
        radius=radius,
        area=area,
        volume=volume,
        capacitance=capacitance,
        v0=None,
        pump=pump or NaKPump(),
        impermeant_valence=impermeant_valence,
        osmolarity_out=osmolarity_out,
    )
    base = m
    for p in perturb:
        m = _apply(m, p if isinstance(p, Perturbation) else parse_perturbation(p), p_reference)
    return _steady(m, method, rtol=rtol, atol=atol, base=base)


def _steady(
    m: _Model, method: str, *, rtol: float, atol: float, base: _Model | None = None
) -> PumpLeakSteadyState:
    if method == "root":
        ok, _, W, c, V, detail = _root_with_continuation(m, base)
        if not ok:
            raise ValueError(_no_steady_state_message(m))
    else:
        done, y, t_end, nfev = _integrate_to_steady(
            m, np.zeros(len(m.ions)), rtol=rtol, atol=atol, rate=1e-12, t_max=1e9
        )
        if not done:
            raise ValueError(_no_steady_state_message(m))
        _, W, c, Vv = m.state(y)
        V = float(Vv)
        detail = {"nfev": nfev, "t_settled_s": t_end}
    _, Ip = m.fluxes(V, c)
    return PumpLeakSteadyState(
        V=float(V),
        c_in={ion: float(ci) for ion, ci in zip(m.ions, c, strict=True)},
        c_out={ion: float(co) for ion, co in zip(m.ions, m.c_out, strict=True)},
        volume=float(W) / _UM3,
        volume_ratio=float(W) / m.W0,
        pump_current=float(Ip),
        pump_max=m.pump_imax * m.pump_factor,
        impermeant=m.n_x / float(W) / _MM,
        impermeant_valence=m.z_x,
        method=method,
        detail=detail,
    )


def simulate(
    cell: CellLike,
    /,
    *,
    model: str = "approach",
    until: float = 0.2,
    perturb: Sequence[str | Perturbation] = (),
    p_reference: float = P_REFERENCE,
    radius: float | None = None,
    area: float | None = None,
    volume: float | None = None,
    capacitance: float = CAPACITANCE,
    v0: float | None = None,
    start: str | None = None,
    pump: NaKPump | None = None,
    impermeant_valence: float | None = None,
    osmolarity_out: float | None = None,
    target: float | None = None,
    tolerance: float = 0.01,
    stop_at_target: bool = False,
    t_eval: ArrayLike | None = None,
    method: str = METHOD,
    rtol: float = RTOL,
    atol: float = ATOL,
    progress: Callable[[float], None] | None = None,
) -> Simulation:
    r"""Simulate a cell's membrane potential and ion concentrations over time.

    Charge-difference model of one compartment in an infinite bath (see the module
    docstring): GHK fluxes :math:`\Phi_i` of the permeant ions (and, in the pump-leak model,
    the Na+/K+ pump) change the amounts inside, and

    .. math::

        \frac{dn_i}{dt} = -A \Phi_i, \qquad
        V = V_0 + \frac{F}{C_m A} \sum_i z_i (n_i - n_{i,0})

    integrated with :func:`scipy.integrate.solve_ivp` (BDF, a stiff method: the potential
    settles in milliseconds while concentrations drift for hours). The solver state is each
    ion's carried charge expressed in mV (one component is V - V0 itself), with
    ``rtol=1e-9`` and ``atol=1e-7`` mV by default. An event records the first time
    ``|V - target|`` < ``tolerance``.

    Parameters
    ----------
    cell : nernst.Cell
        Concentrations inside and outside [mM], relative permeabilities, temperature.
    model : {"approach", "pump-leak"}, default "approach"
        See :data:`MODELS`.
    until : float, default 0.2
        Simulated time. [s]
    perturb : sequence of str or Perturbation, optional
        Step changes, e.g. ``["pump-block"]``, ``["k-out=10@1s"]``, ``["perm:Na+=x2"]``
        (:func:`parse_perturbation`).
    p_reference : float, default 1e-6
        Absolute permeability of relative permeability 1 (``P = permeability *
        p_reference``); 1 when the cell's permeabilities are in cm/s. [cm/s]
    radius : float, default 10.0
        Radius of the spherical cell that sets area and volume. [um]
    area, volume : float, optional
        Membrane area [um^2] and volume [um^3], overriding the sphere.
    capacitance : float, default 1.0
        Specific membrane capacitance. [uF/cm^2]
    v0 : float, optional
        Potential at t = 0 for ``start="cell"``: 0 mV in the approach model, the zero-current
        potential (leaks + pump) in the pump-leak model. [mV]
    start : {"cell", "steady-state"}, optional
        Starting state: the cell's concentrations ("cell", default of the approach model)
        or the pump-leak steady state ("steady-state", default of the pump-leak model).
    pump : NaKPump, optional
        Pump parameters (pump-leak model); by default Luo & Rudy 1994 kinetics with i_max
        chosen to balance the Na+ leak at the cell's concentrations.
    impermeant_valence : float, optional
        Mean valence z_X of the impermeant intracellular solute (pump-leak). By default the
        amount of impermeant solute makes the cell isosmotic with the bath and z_X makes it
        electroneutral; given z_X, the amount follows from electroneutrality.
    osmolarity_out : float, optional
        Bath osmolarity; default: the listed outside ions plus monovalent counter-ions that
        make the bath neutral. [mOsm]
    target : float, optional
        Potential to watch for; default the GHK potential of the initial concentrations
        (approach model), none in the pump-leak model. [mV]
    tolerance : float, default 0.01
        ``|V - target|`` counted as arrived. [mV]
    stop_at_target : bool, default False
        End the run when the target is reached.
    t_eval : array_like, optional
        Output times [s]; default the solver's own steps (dense where things change).
    method : str, default "BDF"
        solve_ivp method; "Radau" and "LSODA" are the other stiff-capable choices.
    rtol, atol : float
        Solver tolerances (atol in mV of charge state).
    progress : callable, optional
        Called with the fraction of ``until`` done (0 to 1) as the run advances.

    Returns
    -------
    Simulation
        Time course, final state, ions crossed, time to target, exports.

    Raises
    ------
    ValueError
        Unknown model, bad geometry, no permeant ion, perturbation not understood, no pump
        steady state to start from.

    Examples
    --------
    The seed chapter's neuron permeable only to a cation X+ (here K+, 140 mM in, 5 mM out)
    charges its membrane to E_X = 26.7267 mV x ln(5/140) = -89.06 mV:

    >>> import nernst
    >>> cell = nernst.Cell(inside={"K+": 140}, outside={"K+": 5}, permeability={"K+": 1})
    >>> run = simulate(cell, until=0.5)
    >>> round(run.V_final, 2)
    -89.06

    Only 2 in 100,000 of the cell's K+ ions had to leave (3 C ``|E|`` / (F c r) for a sphere of
    radius r = 10 um):

    >>> round(run.fraction_crossed["K+"] * 1e5, 2)
    1.98

    References
    ----------
    .. [1] Fraser J.A., Huang C.L.-H. (2004) J. Physiol. 559:459-478 (charge difference).
    .. [2] Kay A.R. (2017) Front. Cell Dev. Biol. 5:41.
    .. [3] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., ch. 14.
    """
    if not (isinstance(until, int | float) and math.isfinite(until) and until > 0):
        raise ValueError(f"until={until!r} must be a positive, finite time [s]")
    if not (math.isfinite(tolerance) and tolerance > 0):
        raise ValueError(f"tolerance={tolerance!r} must be positive [mV]")
    if not (0 < rtol < 1 and atol > 0):
        raise ValueError(f"rtol={rtol!r} and atol={atol!r} must be positive (rtol < 1)")
    pump = pump or NaKPump()
    m = _build(
        cell,
        model=model,
        p_reference=p_reference,
        radius=radius,
        area=area,
        volume=volume,
        capacitance=capacitance,
        v0=v0,
        pump=pump,
        impermeant_valence=impermeant_valence,
        osmolarity_out=osmolarity_out,
    )
    start = start or ("steady-state" if model == "pump-leak" else "cell")
    if start not in ("cell", "steady-state"):
        raise ValueError(f"start={start!r}: use 'cell' or 'steady-state'")
    if start == "steady-state":
        if model != "pump-leak":
            raise ValueError("start='steady-state' is for model='pump-leak'")
        if v0 is not None:
            raise ValueError("give v0 only with start='cell'")
        ok, n_ss, W_ss, _, V_ss, _ = _root_steady_state(m, m.n0 / m.W0 / _MM, m.V0)
        if not ok:
            raise ValueError(_no_steady_state_message(m) + "; or use start='cell'")
        # Same charge bookkeeping, new reference state.
        m = replace(m, n0=n_ss, V0=float(V_ss), W0=float(W_ss))
    perturbations = [p if isinstance(p, Perturbation) else parse_perturbation(p) for p in perturb]
    for p in perturbations:
        if p.at >= until:
            raise ValueError(f"perturbation {p.text!r} at t = {p.at:g} s is not before until")
    if target is None and model == "approach":
        target = _ghk_target(m)
    elif target is not None and not math.isfinite(target):
        raise ValueError(f"target={target!r} must be a finite potential [mV]")
    times = None if t_eval is None else np.sort(np.asarray(t_eval, dtype=float))
    if times is not None and (times.size == 0 or times[0] < 0 or times[-1] > until):
        raise ValueError(f"t_eval must lie within [0, until={until:g}] s")

    # Piecewise integration between perturbation times.
    bounds = sorted({0.0, *(p.at for p in perturbations), float(until)})
    models: list[_Model] = []
    current = m
    pending = sorted(perturbations, key=lambda p: p.at)
    y = np.zeros(len(m.ions))
    pieces_t: list[np.ndarray] = []
    pieces_y: list[np.ndarray] = []
    t_target: float | None = None
    if target is not None:
        V_start = float(m.V0)
        if abs(V_start - target) < tolerance:
            t_target = 0.0
    stopped = False
    nfev = 0
    from scipy.integrate import solve_ivp

    for t_a, t_b in itertools.pairwise(bounds):
        while pending and pending[0].at <= t_a:
            current = _apply(current, pending.pop(0), p_reference)
        rhs = _with_progress(current.rhs, progress, until)
        events = []
        if target is not None and t_target is None:
            events.append(_target_event(current, target, tolerance, stop_at_target))
        seg_eval = None
        if times is not None:
            inside = times[(times >= t_a) & (times <= t_b)]
            seg_eval = np.unique(np.concatenate([[t_a], inside, [t_b]]))
        sol = solve_ivp(
            rhs,
            (t_a, t_b),
            y,
            method=method,
            rtol=rtol,
            atol=atol,
            t_eval=seg_eval,
            events=events or None,
        )
        nfev += int(sol.nfev)
        if sol.status < 0:
            raise RuntimeError(f"the ODE solver failed at t = {sol.t[-1]:g} s: {sol.message}")
        if events and len(sol.t_events[0]):
            t_target = float(sol.t_events[0][0])
        t_seg, y_seg = sol.t, sol.y
        if sol.status == 1 and t_target is not None and stop_at_target:
            stopped = True
            t_end = t_target
            y_end = sol.y_events[0][0]
            keep = t_seg < t_end
            t_seg = np.append(t_seg[keep], t_end)
            y_seg = np.column_stack([y_seg[:, keep], y_end])
        pieces_t.append(t_seg)
        pieces_y.append(y_seg)
        models.append(current)
        y = y_seg[:, -1]
        if stopped:
            break
    if progress is not None:
        progress(1.0)
    return _collect(
        m,
        models,
        pieces_t,
        pieces_y,
        model=model,
        celsius=float(cell.celsius),
        target=target,
        tolerance=tolerance,
        t_target=t_target,
        perturbations=tuple(p.text or repr(p) for p in perturbations),
        solver={
            "method": method,
            "rtol": rtol,
            "atol_mV": atol,
            "nfev": nfev,
            "stopped_at_target": stopped,
            "start": start,
        },
    )


def _ghk_target(m: _Model) -> float:
    perm = m.P > 0
    c0 = m.n0 / m.W0 / _MM
    names = [n for n, p in zip(m.ions, perm, strict=True) if p]
    return float(
        ghk_voltage(
            {n: float(P) for n, P in zip(names, m.P[perm], strict=True)},
            c_in={n: float(c) for n, c in zip(names, c0[perm], strict=True)},
            c_out={n: float(c) for n, c in zip(names, m.c_out[perm], strict=True)},
            celsius=m.T - 273.15,
        )
    )


def _target_event(m: _Model, target: float, tol: float, terminal: bool) -> Callable[..., float]:
    def event(t: float, u: np.ndarray) -> float:
        return abs(m.V0 + float(u[m.pivot]) - target) - tol

    event.terminal = terminal  # type: ignore[attr-defined]
    event.direction = -1  # type: ignore[attr-defined]
    return event


def _with_progress(
    rhs: Callable[[float, np.ndarray], np.ndarray],
    progress: Callable[[float], None] | None,
    until: float,
) -> Callable[[float, np.ndarray], np.ndarray]:
    if progress is None:
        return rhs
    state = {"next": 0.0}
    step = until / 200.0

    def wrapped(t: float, y: np.ndarray) -> np.ndarray:
        if t >= state["next"]:
            state["next"] = t + step
            progress(min(t / until, 1.0))
        return rhs(t, y)

    return wrapped


def _collect(
    m0: _Model,
    models: list[_Model],
    pieces_t: list[np.ndarray],
    pieces_y: list[np.ndarray],
    **meta: Any,
) -> Simulation:
    ts, Vs, cs, cos, fl, pump, W, ns = [], [], [], [], [], [], [], []
    for mod, t, Y in zip(models, pieces_t, pieces_y, strict=True):
        n, Wk, c, V = mod.state(Y)
        _, Ip = mod.fluxes(V, c)
        # Passive fluxes from the public, validated GHK function.
        phi = ghk_flux(
            V[None, :],
            mod.z[:, None],
            permeability=mod.P[:, None],
            c_in=np.maximum(c, 0.0),
            c_out=mod.c_out[:, None],
            celsius=mod.T - 273.15,
        )
        ts.append(t)
        Vs.append(V)
        cs.append(c)
        cos.append(np.broadcast_to(mod.c_out[:, None], c.shape))
        fl.append(np.asarray(phi) + 0.0)  # no -0.0 for impermeant ions
        pump.append(np.broadcast_to(Ip, t.shape).astype(float))
        W.append(np.broadcast_to(Wk, t.shape).astype(float) / _UM3)
        ns.append(n)
    t_all = np.concatenate(ts)
    c_all = np.concatenate(cs, axis=1)
    co_all = np.concatenate(cos, axis=1)
    f_all = np.concatenate(fl, axis=1)
    n_all = np.concatenate(ns, axis=1)
    n_start = n_all[:, :1]
    names = m0.ions
    c_start = m0.n0 / m0.W0 / _MM
    tau = membrane_time_constant(
        {n: float(P) for n, P in zip(names, m0.P, strict=True) if P > 0},
        c_in={n: float(c) for n, c in zip(names, c_start, strict=True)},
        c_out={n: float(c) for n, c in zip(names, m0.c_out, strict=True)},
        capacitance=m0.Cm * 1e6,
        celsius=m0.T - 273.15,
    )
    return Simulation(
        model=meta["model"],
        t=t_all,
        V=np.concatenate(Vs),
        ions=names,
        charges=tuple(int(z) for z in m0.z),
        c_in={ion: c_all[i] for i, ion in enumerate(names)},
        c_out={ion: co_all[i].copy() for i, ion in enumerate(names)},
        flux={ion: f_all[i] for i, ion in enumerate(names)},
        pump_current=np.concatenate(pump),
        volume=np.concatenate(W),
        amount={ion: n_all[i] for i, ion in enumerate(names)},
        crossed={ion: n_start[i, 0] - n_all[i] for i, ion in enumerate(names)},
        permeability={ion: float(P) for ion, P in zip(names, m0.P, strict=True)},
        area=m0.A / _UM2,
        capacitance=m0.Cm * 1e6,
        celsius=meta["celsius"],
        v0=float(m0.V0),
        target=meta["target"],
        tolerance=meta["tolerance"],
        t_target=meta["t_target"],
        tau_membrane=float(tau),
        pump_max=m0.pump_imax,
        impermeant_valence=m0.z_x,
        impermeant_amount=m0.n_x / m0.W0 / _MM,
        perturbations=meta["perturbations"],
        solver=meta["solver"],
    )
