"""The pump-leak / approach ODE model of one cell: its parameters, building and right-hand side.

See :mod:`nernst.dynamics` for the equations and units. Also the two small physics pieces
the model rests on: :func:`membrane_time_constant` and :func:`ions_for_potential`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Protocol

import numpy as np
from numpy.typing import ArrayLike

from nernst._deprecate import warn_deprecated
from nernst._validate import SCALAR, finite, positive, scalar_or_array
from nernst.constants import (
    BODY_TEMPERATURE_C,
    FARADAY,
    MOL_PER_CM3_PER_MM,
    MV_PER_V,
    kelvin,
    thermal_voltage,
)
from nernst.cotransport import Cotransporters, kcc2_drive, nkcc1_drive
from nernst.dynamics.perturbations import Perturbation
from nernst.ghk import ghk_flux_kernel, ghk_slope_conductance, ghk_voltage, scalar_flux_body
from nernst.ions import ions, valence
from nernst.pump import (
    K_PER_CYCLE,
    NA_PER_CYCLE,
    NaKPump,
    _luo_rudy,
    _luo_rudy_float,
    _luo_rudy_float_derivatives,
)

__all__ = [
    "CAPACITANCE",
    "MODELS",
    "P_REFERENCE",
    "RADIUS",
    "CellLike",
    "ions_for_potential",
    "membrane_time_constant",
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

_MM = MOL_PER_CM3_PER_MM  # 1 mM in mol/cm^3
_UM2 = 1e-8  # 1 um^2 in cm^2
_UM3 = 1e-12  # 1 um^3 in cm^3
#: Amperes per unit of the model's pump current (pump_imax, Ip): mA/cm^2.
_AMP_PER_PUMP_UNIT = 1e-3


class CellLike(Protocol):
    """What the dynamics reads from a cell (a :class:`nernst.Cell` has it)."""

    @property
    def c_in(self) -> Mapping[str, float]: ...

    @property
    def c_out(self) -> Mapping[str, float]: ...

    @property
    def permeability(self) -> Mapping[str, float]: ...

    @property
    def celsius(self) -> float: ...


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

    See Also
    --------
    nernst.ghk_slope_conductance : the conductance of each ion, summed here.
    nernst.ghk_voltage : the resting potential at which it is evaluated.
    nernst.simulate : the full relaxation, whose late tail has this time constant.

    Notes
    -----
    The slope (not chord) conductance governs small deviations from rest. Returned in ms
    (C [F/cm^2] / G [S/cm^2] is in s).

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
    V = np.asarray(ghk_voltage(permeability, c_in=c_in, c_out=c_out, celsius=celsius))
    inside = _by_symbol(c_in, "c_in")
    outside = _by_symbol(c_out, "c_out")
    G = sum(
        np.asarray(
            ghk_slope_conductance(
                symbol,
                v_m=V,
                permeability=P,
                c_in=inside[symbol],
                c_out=outside[symbol],
                celsius=celsius,
            )
        )
        for symbol, P in _by_symbol(permeability, "permeability").items()
    )  # S/cm^2
    return scalar_or_array(Cm * 1e-6 / G * 1e3)


def ions_for_potential(
    ion: str | int | ArrayLike,
    /,
    *old_positional: Any,
    delta_v: ArrayLike | None = None,
    capacitance: ArrayLike = CAPACITANCE,
) -> float | np.ndarray:
    r"""Amount of an ion that must cross a unit area of membrane to change V by delta_v.

    The membrane is a capacitor: a potential change :math:`\Delta V` needs the charge
    :math:`Q = C_m \Delta V` per unit area, carried by :math:`Q/(zF)` moles of the ion.
    Positive when the ion must enter the cell (a cation to depolarise).

    .. math:: n = \frac{C_m \, \Delta V}{z F}

    Parameters
    ----------
    ion : str, int or array of int
        Ion name or valence (non-zero).
    delta_v : array_like
        Change of V_in - V_out. [mV]
    capacitance : array_like, default 1.0
        Specific membrane capacitance. [uF/cm^2]

    Returns
    -------
    n : float or ndarray
        Amount per unit membrane area, positive into the cell. [mol/cm^2]

    Raises
    ------
    ValueError
        Non-finite delta_v, a non-positive capacitance, a zero or fractional valence.
    TypeError
        delta_v missing.

    See Also
    --------
    membrane_time_constant : how fast that charge arrives.
    nernst.simulate : the same charge bookkeeping over time.

    Notes
    -----
    The old call ``ions_for_potential(delta_v, ion)`` (two positional arguments) still works
    for one release, with a :class:`~nernst._deprecate.NernstDeprecationWarning`. For a
    sphere of radius r the amount moved over the amount inside is
    :math:`3 C_m |\Delta V| / (z F c r)`: about 2e-5 for K+ charging a 10 um neuron to
    -89 mV, which is why ion concentrations barely change when a potential is set up.

    Examples
    --------
    K+ leaving to charge a 1 uF/cm^2 membrane to -89 mV:

    >>> f"{ions_for_potential('K+', delta_v=-89.06):.3e}"
    '-9.230e-13'

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 1 (few
       ions need to move to charge the membrane).
    """
    if old_positional:
        if len(old_positional) != 1 or delta_v is not None:
            raise TypeError(
                "ions_for_potential() takes the ion positionally and delta_v= as a keyword: "
                "ions_for_potential(ion, delta_v=...)"
            )
        warn_deprecated("ions_for_potential(delta_v, ion)", "ions_for_potential(ion, delta_v=...)")
        ion, delta_v = old_positional[0], ion
    if delta_v is None:
        raise TypeError("ions_for_potential() is missing the keyword argument delta_v= [mV]")
    z = np.asarray(valence(ion), dtype=float)
    dV = finite("delta_v", delta_v, unit="mV")
    Cm = positive("capacitance", capacitance, what="capacitance", unit="uF/cm^2")
    # uF/cm^2 -> F/cm^2 and mV -> V
    return scalar_or_array(Cm * 1e-6 * (dV / MV_PER_V) / (z * FARADAY))


_NO_COTRANSPORT = Cotransporters()


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
    pump_imax: float  # mA/cm^2 (0 without a pump)
    pump: NaKPump
    pump_factor: float
    i_na: int
    i_k: int
    q_unit: float  # mol of unit charge per mV: Cm A / (1e3 F)
    pivot: int  # index of the ion whose charge state is replaced by V - V0
    cotransport: Cotransporters = _NO_COTRANSPORT  # KCC2 and NKCC1 rate coefficients
    i_cl: int = -1

    # The solver state u is y_i = Delta n_i / q_unit (the amount of ion i moved in, in mV of
    # membrane charge per unit valence), except that u[pivot] = V - V0 = sum_i z_i y_i.
    # V is then a state variable (its error is controlled directly, no cancellation of large
    # charges in long runs) and the pivot ion's amount follows exactly from the charge
    # balance, so C_m A (V - V0) = F sum z_i Delta n_i holds to rounding.

    @property
    def mobile(self) -> np.ndarray:
        """Which ions cross the membrane: permeant ones and those a cotransporter carries."""
        moving = self.P > 0
        if self.cotransport.active:
            moving = moving.copy()
            moving[[self.i_k, self.i_cl]] = True
            if self.cotransport.nkcc1 > 0:
                moving[self.i_na] = True
        return moving

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
        """Net outward flux of each ion [mol cm^-2 s^-1] and pump current [mA/cm^2]."""
        zz = self.z if c.ndim == 1 else self.z[:, None]
        w = zz * V / self.VT
        P = self.P if c.ndim == 1 else self.P[:, None]
        co = self.c_out if c.ndim == 1 else self.c_out[:, None]
        phi = ghk_flux_kernel(w, P, c, co) * _MM  # trusted: solver states are not re-validated
        if self.pump_imax > 0 and self.pump_factor > 0:
            Ip = self.pump_factor * _luo_rudy(
                V / self.VT,
                c[self.i_na],
                self.c_out[self.i_k],
                self.c_out[self.i_na],
                self.pump_imax,
                self.pump.km_na,
                self.pump.km_k,
                self.pump.hill,
                self.pump.voltage_dependent,
            )
            J = Ip * _AMP_PER_PUMP_UNIT / FARADAY  # cycles, mol cm^-2 s^-1
            phi[self.i_na] = phi[self.i_na] + NA_PER_CYCLE * J
            phi[self.i_k] = phi[self.i_k] - K_PER_CYCLE * J
        else:
            Ip = np.zeros(np.shape(V)) if np.ndim(V) else 0.0
        if self.cotransport.active:
            na, k, cl = self.i_na, self.i_k, self.i_cl
            co = self.c_out
            # Electroneutral cycles (nernst.cotransport): KCC2 1 K+ + 1 Cl- out, NKCC1
            # 1 Na+ + 1 K+ + 2 Cl- in, each linear in its driving free energy.
            j_kcc2 = self.cotransport.kcc2 * kcc2_drive(c[k], c[cl], co[k], co[cl])
            j_nkcc1 = self.cotransport.nkcc1 * nkcc1_drive(
                c[na], c[k], c[cl], co[na], co[k], co[cl]
            )
            phi[k] = phi[k] + j_kcc2 - j_nkcc1
            phi[cl] = phi[cl] + j_kcc2 - 2 * j_nkcc1
            phi[na] = phi[na] - j_nkcc1
        return phi, Ip

    def rhs_numpy(self, t: float, u: np.ndarray) -> np.ndarray:
        """du/dt through the vectorised :meth:`state` and :meth:`fluxes` (the reference form).

        The solvers use :attr:`kernel` (plain floats, the same equations, property-tested
        against this one); this form also takes a state of shape (n_ions, K).
        """
        _, _, c, V = self.state(u)
        phi, _ = self.fluxes(V, c)
        du = -self.A * phi / self.q_unit
        du[self.pivot] = self.z @ du
        return du

    @cached_property
    def kernel(self) -> _Kernel:
        """The right-hand side and its analytic Jacobian, compiled for this model."""
        return _Kernel(self)

    def rhs(self, t: float, u: np.ndarray) -> list[float]:
        """du/dt at the state u (a 1-D array): the fast kernel, as a list of floats."""
        return self.kernel.fun(t, u)

    def jac(self, t: float, u: np.ndarray) -> np.ndarray:
        """The analytic Jacobian d(du/dt)/du at the state u, shape (n_ions, n_ions)."""
        return self.kernel.jac(t, u)


def _by_symbol(values: Mapping[str, ArrayLike], label: str) -> dict[str, ArrayLike]:
    """A mapping keyed by ion symbol (ghk_voltage has validated it: no ion twice)."""
    return {ions.resolve(str(key)): value for key, value in values.items()}


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
        inside = dict(cell.c_in)
        outside = dict(cell.c_out)
        dict(cell.permeability)
        float(cell.celsius)
    except AttributeError as err:
        raise ValueError(
            f"cell must be a nernst.Cell (with c_in, c_out, permeability, celsius), "
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
    cotransport: Cotransporters | None = None,
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
    VT = float(thermal_voltage(celsius=cell.celsius))
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
    cotransport = cotransport or Cotransporters()
    i_cl = names.index("Cl-") if "Cl-" in names else -1
    if cotransport.active and (i_na < 0 or i_k < 0 or i_cl < 0):
        raise ValueError(
            "KCC2 and NKCC1 need K+, Na+ and Cl- in the cell (inside and outside); add the "
            "missing ions or set cotransport=None"
        )
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
        cotransport=cotransport,
        i_cl=i_cl,
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
    given = pump.i_max_mA_cm2
    if isinstance(given, str):
        if given != "balance":
            raise ValueError(f"pump i_max_mA_cm2={given!r}: give a current in mA/cm^2 or 'balance'")
    else:
        try:
            imax = float(given)
        except (TypeError, ValueError):
            raise ValueError(
                f"pump i_max_mA_cm2={given!r}: give a current in mA/cm^2 or 'balance'"
            ) from None
        if isinstance(given, bool) or not (math.isfinite(imax) and imax >= 0):
            raise ValueError(f"pump i_max_mA_cm2={given!r} must be zero or positive [mA/cm^2]")
        return imax
    # Balance: zero net Na+ flux and zero total current at the given concentrations:
    # Phi_Na(V) + 3J = 0 and sum z Phi(V) + J = 0  =>  sum z Phi(V) - Phi_Na(V)/3 = 0.
    from scipy.optimize import brentq

    passive = replace(m, pump_imax=0.0)
    c = m.n0 / m.W0 / _MM
    if m.P[m.i_na] <= 0:
        raise ValueError(
            "pump i_max_mA_cm2='balance' needs a Na+ leak (P_Na > 0); give i_max_mA_cm2 in mA/cm^2"
        )

    def f(V: float) -> float:
        phi, _ = passive.fluxes(V, c)
        return float(np.dot(m.z, phi) - phi[m.i_na] / NA_PER_CYCLE)

    lo, hi = -150.0, 150.0
    while f(lo) > 0:
        lo -= 150.0
    while f(hi) < 0:
        hi += 150.0
    V = brentq(f, lo, hi, xtol=1e-13)
    phi, _ = passive.fluxes(V, c)
    J = -phi[m.i_na] / NA_PER_CYCLE  # mol cm^-2 s^-1
    unit = _luo_rudy(
        V / m.VT,
        c[m.i_na],
        m.c_out[m.i_k],
        m.c_out[m.i_na],
        1.0,
        pump.km_na,
        pump.km_k,
        pump.hill,
        pump.voltage_dependent,
    )
    if J <= 0:
        raise ValueError(
            "pump i_max_mA_cm2='balance': Na+ does not leak into this cell at rest, so no pump "
            "rate balances it; give i_max_mA_cm2 in mA/cm^2"
        )
    return float(J * FARADAY / _AMP_PER_PUMP_UNIT / unit)


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


# -- the fast right-hand side and its Jacobian ------------------------------------------------


def _scalar_flux_kernel() -> tuple[Callable[..., float], Any]:
    """The scalar GHK flux body and its namespace, as :func:`ghk_flux_kernel` runs them on
    floats (looked up once per compiled right-hand side, so each ion costs one call)."""
    return scalar_flux_body(), SCALAR


#: Below this |w| = |zFV/RT| the GHK flux is its series (the switch of nernst.ghk's body).
_SERIES_W = 1e-3


def _ghk_flux_float(w: float, ci: float, co: float) -> float:
    """GHK flux per unit permeability, g(w) (ci - co e^-w) [mM], on plain floats.

    :func:`nernst.ghk.ghk_flux_kernel` on floats: the scalar form generated from the one
    body (no copy of the equation here).
    """
    return ghk_flux_kernel(w, 1.0, ci, co)


def _ghk_flux_float_derivatives(w: float, ci: float, co: float) -> tuple[float, float]:
    """(dF/dw, dF/dci) of :func:`_ghk_flux_float`, analytic.

    With g(a) = a/(1 - e^-a), g'(a) = (1 - e^-a - a e^-a)/(1 - e^-a)^2 and a = |w|:
    for w >= 0, F = g(a)(ci - co e^-a) and dF/dw = g'(a)(ci - co e^-a) + g(a) co e^-a;
    for w < 0, F = g(a)(ci e^-a - co) and dF/dw = g(a) ci e^-a - g'(a)(ci e^-a - co).
    Below |w| = 1e-3 the derivatives of the series.
    """
    a = abs(w)
    if a < _SERIES_W:
        return (ci + co) / 2 + w * (ci - co) / 6, 1.0 + w * (0.5 + w / 12)
    e = math.exp(-a)
    om = -math.expm1(-a)
    g = a / om
    dg = (om - a * e) / (om * om)
    if w >= 0.0:
        return dg * (ci - co * e) + g * co * e, g
    return g * ci * e - dg * (ci * e - co), g * e


class _Kernel:
    """du/dt and its Jacobian for one :class:`_Model`, on plain Python floats.

    Same equations as :meth:`_Model.rhs_numpy` (tested against it): the state u holds the
    charge moved of each ion in mV (u[pivot] = V - V0); the amounts, the volume and the
    concentrations follow from it (:meth:`_Model.state`), then the GHK leaks, the pump and
    the cotransporters (:meth:`_Model.fluxes`). All constants are unpacked once here so a
    call of :meth:`fun` costs a few microseconds for four ions.

    The Jacobian is analytic: with y = M u the amounts moved (M the identity except the
    pivot row), c(y) the concentrations and V = V0 + u[pivot],
    d(du'/dt)/du = -(A/q) (dPhi/dV e_p^T + dPhi/dc dc/dy M), and the pivot row is z^T times
    that (du_p/dt = sum z_i du_i/dt).
    """

    def __init__(self, m: _Model) -> None:
        n = len(m.ions)
        self.n = n
        #: Calls of :meth:`fun` and :meth:`jac` so far (the solvers report them).
        self.nfev = 0
        self.njev = 0
        self.m = m
        z = [float(v) for v in m.z]
        p = m.pivot
        self.z, self.p = z, p
        # y = M u: the identity, except y_p = (u_p - sum_{j != p} z_j u_j) / z_p.
        M = np.eye(n)
        M[p, :] = -np.asarray(z) / z[p]
        M[p, p] = 1.0 / z[p]
        self.M = M
        self.z_arr = np.asarray(z)
        self.others = [(j, z[j]) for j in range(n) if j != p]
        self.ka = -m.A / m.q_unit  # d(u_i)/dt per unit outward flux [mol cm^-2 s^-1]
        VT = float(m.VT)
        # (index, A-scaled permeability, z/VT, c_out) of each leaking ion.
        self.leaks = [
            (i, self.ka * float(m.P[i]) * _MM, z[i] / VT, float(m.c_out[i]))
            for i in range(n)
            if m.P[i] > 0
        ]
        self.n0 = [float(v) for v in m.n0]
        self.q = float(m.q_unit)
        self.inv_w0 = 1.0 / (float(m.W0) * _MM)
        self.osmotic = bool(m.osmotic)
        self.osm = float(m.osm_out)
        self.n_x = float(m.n_x)
        self.V0 = float(m.V0)
        self.VT = VT
        drive = m.pump_imax * m.pump_factor
        self.pumped = bool(drive > 0 and m.pump_factor > 0)
        if self.pumped:
            k_o = float(m.c_out[m.i_k])
            # Pump current [unit of pump_imax] -> cycles [mol cm^-2 s^-1] -> du/dt.
            self.pump_scale = (
                drive * k_o / (k_o + m.pump.km_k) * _AMP_PER_PUMP_UNIT / FARADAY * self.ka
            )
            self.pump_sigma = math.expm1(float(m.c_out[m.i_na]) / 67.3) / 7.0
        self.cot = m.cotransport.active
        if self.cot:
            co = m.c_out
            self.kcc2 = self.ka * m.cotransport.kcc2
            self.nkcc1 = self.ka * m.cotransport.nkcc1
            self.ln_kcl_o = math.log(float(co[m.i_k]) * float(co[m.i_cl]))
            self.ln_nkcl_o = math.log(float(co[m.i_na]) * float(co[m.i_k]) * float(co[m.i_cl]) ** 2)
        #: du/dt at u, the solver's right-hand side: fun(t, u) -> list of floats.
        self.fun: Callable[[float, np.ndarray], list[float]] = self._compile()

    def concentrations(self, u: np.ndarray) -> tuple[list[float], float, list[float]]:
        """(c [mM], V [mV], y [mV of charge per unit valence]) from the state u."""
        y = u.tolist()
        p = self.p
        up = y[p]
        s = up
        for j, zj in self.others:
            s -= zj * y[j]
        y[p] = s / self.z[p]
        n0, q = self.n0, self.q
        if self.osmotic:
            amounts = [a + b * q for a, b in zip(n0, y, strict=True)]
            scale = self.osm / (sum(amounts) + self.n_x)
            c = [a * scale for a in amounts]
        else:
            inv = self.inv_w0
            c = [(a + b * q) * inv for a, b in zip(n0, y, strict=True)]
        return c, self.V0 + up, y

    def _compile(self) -> Callable[[float, np.ndarray], list[float]]:
        """:attr:`fun`, a closure over local constants (the hot path of every run)."""
        log = math.log
        n, p, zp = self.n, self.p, self.z[self.p]
        z, others, leaks = self.z, self.others, self.leaks
        n0, q, inv, osm, n_x = self.n0, self.q, self.inv_w0, self.osm, self.n_x
        osmotic, V0, VT = self.osmotic, self.V0, self.VT
        m = self.m
        na, k, cl = m.i_na, m.i_k, m.i_cl
        pumped, cot = self.pumped, self.cot
        if pumped:
            p_scale, p_sigma = self.pump_scale, self.pump_sigma
            km_na, hill, vdep = m.pump.km_na, m.pump.hill, m.pump.voltage_dependent
        if cot:
            kcc2, nkcc1, ln_kcl_o, ln_nkcl_o = self.kcc2, self.nkcc1, self.ln_kcl_o, self.ln_nkcl_o
        flux, S = _scalar_flux_kernel()
        counter = self

        def fun(t: float, u: np.ndarray) -> list[float]:
            counter.nfev += 1
            y = u.tolist()
            up = y[p]
            s = up
            for j, zj in others:
                s -= zj * y[j]
            y[p] = s / zp
            if osmotic:
                amounts = [a + b * q for a, b in zip(n0, y, strict=True)]
                scale = osm / (sum(amounts) + n_x)
                c = [a * scale for a in amounts]
            else:
                c = [(a + b * q) * inv for a, b in zip(n0, y, strict=True)]
            V = V0 + up
            du = [0.0] * n
            for i, kp, zv, co in leaks:
                w = zv * V
                ci = c[i]
                du[i] = flux(S, w, kp, ci, co)  # the GHK flux body's generated scalar form
            if pumped:
                J = _luo_rudy_float(V / VT, c[na], p_scale, p_sigma, km_na, hill, vdep)
                du[na] += NA_PER_CYCLE * J
                du[k] -= K_PER_CYCLE * J
            if cot:
                j2 = kcc2 * (log(c[k] * c[cl]) - ln_kcl_o)
                j1 = nkcc1 * (ln_nkcl_o - log(c[na] * c[k] * c[cl] ** 2))
                du[k] += j2 - j1
                du[cl] += j2 - 2 * j1
                du[na] -= j1
            total = 0.0
            for zi, d in zip(z, du, strict=True):
                total += zi * d
            du[p] = total
            return du

        return fun

    def jac(self, t: float, u: np.ndarray) -> np.ndarray:
        """d(du/dt)/du at u, analytic (dense, n_ions x n_ions)."""
        self.njev += 1
        c, V, y = self.concentrations(u)
        n, m = self.n, self.m
        dV = np.zeros(n)  # d(du'_i/dt)/dV
        H = np.zeros((n, n))  # d(du'_i/dt)/dc_j
        for i, kp, zv, co in self.leaks:
            dw, dci = _ghk_flux_float_derivatives(zv * V, c[i], co)
            dV[i] = kp * dw * zv
            H[i, i] = kp * dci
        if self.pumped:
            na, k = m.i_na, m.i_k
            dJ_du, dJ_dna = _luo_rudy_float_derivatives(
                V / self.VT,
                c[na],
                self.pump_scale,
                self.pump_sigma,
                m.pump.km_na,
                m.pump.hill,
                m.pump.voltage_dependent,
            )
            dV[na] += NA_PER_CYCLE * dJ_du / self.VT
            dV[k] -= K_PER_CYCLE * dJ_du / self.VT
            H[na, na] += NA_PER_CYCLE * dJ_dna
            H[k, na] -= K_PER_CYCLE * dJ_dna
        if self.cot:
            na, k, cl = m.i_na, m.i_k, m.i_cl
            # d ln(...)/dc of the two drives, times the rate coefficients.
            k2, k1 = self.kcc2, self.nkcc1
            d2 = {k: k2 / c[k], cl: k2 / c[cl]}
            d1 = {na: -k1 / c[na], k: -k1 / c[k], cl: -2 * k1 / c[cl]}
            for j in (na, k, cl):
                a2, a1 = d2.get(j, 0.0), d1.get(j, 0.0)
                H[k, j] += a2 - a1
                H[cl, j] += a2 - 2 * a1
                H[na, j] -= a1
        # dc/dy: q/W diagonal at fixed volume; with osmotic water also -(q/S) c_i per column.
        if self.osmotic:
            q = self.q
            S = sum(a + b * q for a, b in zip(self.n0, y, strict=True)) + self.n_x
            HC = H * (q * self.osm / S) - np.outer(H @ np.asarray(c), np.full(n, q / S))
        else:
            HC = H * (self.q * self.inv_w0)
        D = HC @ self.M
        D[:, self.p] += dV
        D[self.p, :] = self.z_arr @ D
        return D
