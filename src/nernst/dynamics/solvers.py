"""Solvers of the dynamics: time integration (:func:`simulate`) and the pump-leak steady state."""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nernst.constants import ZERO_CELSIUS
from nernst.cotransport import Cotransporters
from nernst.dynamics.model import (
    _MM,
    _UM2,
    _UM3,
    CAPACITANCE,
    P_REFERENCE,
    CellLike,
    _apply,
    _build,
    _Model,
    membrane_time_constant,
)
from nernst.dynamics.perturbations import Perturbation, parse_perturbation
from nernst.dynamics.results import PumpLeakSteadyState, Simulation
from nernst.ghk import ghk_flux, ghk_voltage
from nernst.pump import NaKPump

__all__ = ["ATOL", "METHOD", "RTOL", "pump_leak_steady_state", "simulate"]

#: Default solver settings. The system is stiff (V relaxes in milliseconds, concentrations
#: over hours). The default method is LSODA (ODEPACK, switching between Adams and BDF as the
#: stiffness changes) with the analytic Jacobian of :class:`nernst.dynamics.model._Kernel`:
#: measured in ``benchmarks/dynamics.py`` it takes 3-10x less wall time than solve_ivp's
#: BDF (whose per-step Python bookkeeping dominates on four ions) for the same results
#: within the tolerances, from 0.1 s to 1e9 s simulated. The state is each ion's carried
#: charge in mV of membrane potential (one component is V - V0 itself), so ``atol`` is an
#: absolute tolerance in mV.
METHOD = "LSODA"
RTOL = 1e-9
ATOL = 1e-7
#: solve_ivp methods that use a Jacobian (they get the analytic one).
_IMPLICIT = ("BDF", "Radau", "LSODA")


def _root_steady_state(m: _Model, c_guess: np.ndarray, V_guess: float) -> tuple[Any, ...]:
    """Direct root solve of zero net flux for every permeant ion plus the charge relation.

    Unknowns are ln c of the mobile ions (permeant, or carried by a cotransporter) and V/VT.
    The other ions keep their amount; with osmotic water the volume follows from osmotic
    balance.
    """
    from scipy.optimize import root

    perm = m.mobile
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
    # Flux scale of each unknown: its leak, or for an ion only a cotransporter carries, the
    # transporter's rate coefficient.
    flux_scale = m.P[perm] * scale_c * _MM
    flux_scale = np.where(
        flux_scale > 0, flux_scale, max(m.cotransport.kcc2, m.cotransport.nkcc1, 1e-300)
    )
    charge_scale = float(np.sum(np.abs(m.z) * m.n0))

    def residual(x: np.ndarray) -> np.ndarray:
        st = unpack(x)
        if st is None:
            return np.full(x.shape, 1e6)
        n, _, c, V = st
        phi, _ = m.fluxes(V, c)
        r_flux = phi[perm] / flux_scale
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
        "solver did not converge); simulate the time course, or change the pump's i_max_mA_cm2"
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
        dn = m.amounts_moved(np.asarray(m.rhs(t, u))) * m.q_unit
        return float(np.max(np.abs(dn) / np.abs(n))) - rate

    def runaway(t: float, y: np.ndarray) -> float:
        _, W, _, _ = m.state(y)
        return float(W) / m.W0 - _RUNAWAY_VOLUME

    settled.terminal = True  # type: ignore[attr-defined]
    settled.direction = -1  # type: ignore[attr-defined]
    runaway.terminal = True  # type: ignore[attr-defined]
    runaway.direction = 1  # type: ignore[attr-defined]
    events = [settled, runaway] if m.osmotic else [settled]
    k = m.kernel
    calls = k.nfev
    sol = solve_ivp(
        k.fun, (0.0, t_max), y0, method=METHOD, rtol=rtol, atol=atol, events=events, jac=k.jac
    )
    done = sol.status == 1 and len(sol.t_events[0]) > 0
    return done, sol.y[:, -1], float(sol.t[-1]), k.nfev - calls


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
    cotransport: Cotransporters | None = None,
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
        cell's concentrations. "integrate": run the model (LSODA) until every amount changes
        by less than 1e-12 of itself per second.
    perturb : sequence of str or Perturbation, optional
        Changes applied before solving (times are ignored), e.g. ``["k-out=10"]``.
    p_reference, radius, area, volume, capacitance, pump, impermeant_valence, osmolarity_out
        As :func:`simulate`.
    cotransport : nernst.Cotransporters, optional
        KCC2 and NKCC1 (as :func:`simulate`); with them Cl- no longer sits at its Nernst
        potential but where the transporters and its leak balance.
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

    See Also
    --------
    simulate : the time course towards this state.
    nernst.donnan_equilibrium : the state without a pump (each permeant ion at its E).

    Notes
    -----
    ``method="root"`` solves the steady-state equations with :func:`scipy.optimize.root`
    (continued from an easier model when the direct solve fails); ``method="integrate"``
    runs :func:`scipy.integrate.solve_ivp` until nothing changes. The two agree (tested).

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
       https://doi.org/10.1085/jgp.44.1.169
    .. [2] Keener J., Sneyd J. (2009) Mathematical Physiology I, 2nd ed., ch. 2.
    .. [3] Kay A.R. (2017) Front. Cell Dev. Biol. 5:41.
       https://doi.org/10.3389/fcell.2017.00041
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
        cotransport=cotransport,
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
        pump_current_mA_cm2=float(Ip),
        pump_max_mA_cm2=m.pump_imax * m.pump_factor,
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
    cotransport: Cotransporters | None = None,
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

    integrated by LSODA with the model's analytic Jacobian (stiff-capable: the potential
    settles in milliseconds while concentrations drift for hours). The solver state is each
    ion's carried charge expressed in mV (one component is V - V0 itself), with
    ``rtol=1e-9`` and ``atol=1e-7`` mV by default. The first time ``|V - target|`` <
    ``tolerance`` is recorded (located on the solver's interpolant of that step).

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
        Pump parameters (pump-leak model); by default Luo & Rudy 1994 kinetics with the
        maximal current (``i_max_mA_cm2``) chosen to balance the Na+ leak at the cell's
        concentrations.
    impermeant_valence : float, optional
        Mean valence z_X of the impermeant intracellular solute (pump-leak). By default the
        amount of impermeant solute makes the cell isosmotic with the bath and z_X makes it
        electroneutral; given z_X, the amount follows from electroneutrality.
    osmolarity_out : float, optional
        Bath osmolarity; default: the listed outside ions plus monovalent counter-ions that
        make the bath neutral. [mOsm]
    cotransport : nernst.Cotransporters, optional
        KCC2 (1 K+ + 1 Cl- out) and NKCC1 (1 Na+ + 1 K+ + 2 Cl- in) with the given rate
        coefficients, electroneutral and driven by their free energies
        (:func:`nernst.kcc2_flux`, :func:`nernst.nkcc1_flux`); needs K+, Na+ and Cl-.
    target : float, optional
        Potential to watch for; default the GHK potential of the initial concentrations
        (approach model), none in the pump-leak model. [mV]
    tolerance : float, default 0.01
        ``|V - target|`` counted as arrived. [mV]
    stop_at_target : bool, default False
        End the run when the target is reached.
    t_eval : array_like, optional
        Output times [s]; default the solver's own steps (dense where things change).
    method : str, default "LSODA"
        solve_ivp method; "BDF" and "Radau" are the other stiff-capable choices (all three
        get the analytic Jacobian).
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

    See Also
    --------
    pump_leak_steady_state : the steady state the pump-leak model settles to.
    membrane_time_constant : the time scale of the fast relaxation of V.
    nernst.ghk_flux : the passive fluxes of the model.
    nernst.sodium_pump_current : the pump kinetics of the model.

    Notes
    -----
    With the default method and no ``t_eval`` or ``stop_at_target``, LSODA (ODEPACK,
    through :class:`scipy.integrate.ode`) is stepped directly: the same steps as
    ``solve_ivp(method="LSODA")`` to the last bit, without its per-step bookkeeping, which
    on a few ions costs more than the steps. Otherwise :func:`scipy.integrate.solve_ivp`
    runs ``method``. ``solver["nfev"]`` and ``solver["njev"]`` count every call of the
    right-hand side (a few microseconds on plain floats) and of its analytic Jacobian.

    The charge-difference formulation keeps V and the amounts consistent to rounding
    (V is itself a state variable); the pump moves :data:`nernst.NA_PER_CYCLE` Na+ out and
    :data:`nernst.K_PER_CYCLE` K+ in per cycle.

    Examples
    --------
    The seed chapter's neuron permeable only to a cation X+ (here K+, 140 mM in, 5 mM out)
    charges its membrane to E_X = 26.7267 mV x ln(5/140) = -89.06 mV:

    >>> import nernst
    >>> cell = nernst.Cell(c_in={"K+": 140}, c_out={"K+": 5}, permeability={"K+": 1})
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
       https://doi.org/10.3389/fcell.2017.00041
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
        cotransport=cotransport,
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
    nfev = njev = 0
    from scipy.integrate import solve_ivp

    for t_a, t_b in itertools.pairwise(bounds):
        while pending and pending[0].at <= t_a:
            current = _apply(current, pending.pop(0), p_reference)
        kernel = current.kernel
        calls, jacs = kernel.nfev, kernel.njev
        rhs = _with_progress(kernel.fun, progress, until)
        # The target is watched by solve_ivp's event machinery only when it must stop the
        # run or when the output is thinned to t_eval (solve_ivp's per-step event check costs
        # more than the right-hand side on a few ions); otherwise the first arrival is found
        # while stepping (LSODA) or afterwards from the solver's steps (other methods).
        watch = target is not None and t_target is None
        events = []
        if target is not None and watch and (stop_at_target or times is not None):
            events.append(_target_event(current, target, tolerance, stop_at_target))
        seg_eval = None
        if times is not None:
            inside = times[(times >= t_a) & (times <= t_b)]
            seg_eval = np.unique(np.concatenate([[t_a], inside, [t_b]]))
        steps = None
        if method == "LSODA" and seg_eval is None and not events:
            look = None
            if target is not None and watch:
                look = (current.pivot, float(current.V0), float(target), float(tolerance))
            steps = _lsoda_steps(rhs, kernel.jac, t_a, t_b, y, rtol=rtol, atol=atol, watch=look)
        if steps is None:
            sol = solve_ivp(
                rhs,
                (t_a, t_b),
                y,
                method=method,
                rtol=rtol,
                atol=atol,
                t_eval=seg_eval,
                events=events or None,
                **({"jac": kernel.jac} if method in _IMPLICIT else {}),
            )
            if sol.status < 0:
                raise RuntimeError(f"the ODE solver failed at t = {sol.t[-1]:g} s: {sol.message}")
            t_seg, y_seg, status = sol.t, sol.y, sol.status
        else:
            t_seg, y_seg, arrival = steps
            status = 0
            if arrival is not None:
                t_target = arrival
        if events and len(sol.t_events[0]):
            t_target = float(sol.t_events[0][0])
        elif steps is None and target is not None and watch and not events:
            t_target = _first_arrival(current, t_seg, y_seg, target, tolerance, method, rtol, atol)
        # Every call of the right-hand side and the Jacobian, counted where they run (the
        # solver's own nfev leaves out the calls of a finite-difference Jacobian).
        nfev += kernel.nfev - calls
        njev += kernel.njev - jacs
        if status == 1 and t_target is not None and stop_at_target:
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
            "njev": njev,
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
            celsius=m.T - ZERO_CELSIUS,
        )
    )


def _target_event(m: _Model, target: float, tol: float, terminal: bool) -> Callable[..., float]:
    def event(t: float, u: np.ndarray) -> float:
        return abs(m.V0 + float(u[m.pivot]) - target) - tol

    event.terminal = terminal  # type: ignore[attr-defined]
    event.direction = -1  # type: ignore[attr-defined]
    return event


def _lsoda_steps(
    fun: Callable[[float, np.ndarray], list[float]],
    jac: Callable[[float, np.ndarray], np.ndarray],
    t_a: float,
    t_b: float,
    y0: np.ndarray,
    *,
    rtol: float,
    atol: float,
    watch: tuple[int, float, float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray, float | None] | None:
    """Every step of LSODA from ``t_a`` to ``t_b``: (t, y of shape (n, steps + 1), arrival).

    The same integrator, settings and calls as ``solve_ivp(method="LSODA")`` (one ODEPACK
    step per call with ``itask=5``, never past ``t_b``), so the steps are the same to the
    last bit (tested), without solve_ivp's per-step bookkeeping, which on four ions costs
    more than the steps themselves. ``watch = (pivot, V0, target, tol)``: the first time
    ``|V - target|`` falls below ``tol`` (``V = V0 + y[pivot]``) is located as solve_ivp
    locates an event with direction -1: on the step where ``|V - target| - tol`` changes
    sign, brentq on LSODA's own interpolant of that step (its Nordsieck history array).
    None when SciPy's ``ode`` object does not have the internals this relies on; the
    caller then uses solve_ivp.
    """
    from scipy.integrate import ode

    solver = ode(fun, jac)
    solver.set_integrator("lsoda", rtol=rtol, atol=atol, max_step=0.0, min_step=0.0)
    solver.set_initial_value(y0, t_a)
    try:
        integrator = solver._integrator
        rwork, iwork = integrator.rwork, integrator.iwork
        rwork[0] = t_b  # tcrit for itask=5
        integrator.call_args[4] = rwork
        integrator.call_args[2] = 5
        run = integrator.run
    except (AttributeError, IndexError, TypeError):  # pragma: no cover - another SciPy
        return None
    n = len(y0)
    ts = [t_a]
    ys = [np.array(y0, dtype=float)]
    y, t = solver._y, t_a
    arrival = None
    if watch is not None:
        pivot, V0, target, tol = watch
        g_old = abs(V0 + float(y0[pivot]) - target) - tol
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        while t < t_b:
            t_old = t
            y, t = run(solver.f, solver.jac, y, t, t_b, (), ())
            if not integrator.success:
                raise RuntimeError(
                    f"the ODE solver failed at t = {t:g} s: LSODA istate {integrator.istate}"
                )
            ts.append(t)
            ys.append(y.copy())  # the C code reuses its output array
            if watch is not None and arrival is None:
                g = abs(V0 + float(y[pivot]) - target) - tol
                if g_old >= 0 >= g:
                    arrival = _arrival_on_step(rwork, iwork, n, t_old, t, watch)
                g_old = g
    return np.array(ts), np.array(ys).T, arrival


def _arrival_on_step(
    rwork: np.ndarray,
    iwork: np.ndarray,
    n: int,
    t_old: float,
    t: float,
    watch: tuple[int, float, float, float],
) -> float:
    """Root of ``|V(s) - target| - tol`` on [t_old, t] of LSODA's interpolant of its last
    step (as :class:`scipy.integrate.LSODA`'s dense output builds it: the Nordsieck array
    ``yh`` up to the order of that step, ``y(s) = yh @ ((s - t)/h)^j``), by brentq with
    solve_ivp's event tolerances."""
    from scipy.optimize import brentq

    pivot, V0, target, tol = watch
    order = int(iwork[13])
    h = float(rwork[11])
    yh = np.array([rwork[20 + pivot + j * n] for j in range(order + 1)])
    if iwork[14] < order:
        yh[-1] *= (h / rwork[10]) ** order
    powers = np.arange(order + 1)

    def g(s: float) -> float:
        return abs(V0 + float(yh @ ((s - t) / h) ** powers) - target) - tol

    eps = 4 * np.finfo(float).eps
    if g(t_old) * g(t) > 0:  # pragma: no cover - the interpolant misses the step's ends
        return t
    return float(brentq(g, t_old, t, xtol=eps, rtol=eps))


def _first_arrival(
    m: _Model,
    t: np.ndarray,
    y: np.ndarray,
    target: float,
    tol: float,
    method: str,
    rtol: float,
    atol: float,
) -> float | None:
    """First time |V - target| falls below ``tol``, from the solver's steps ``t``, ``y``.

    The same rule as a solve_ivp event with direction -1 (a sign change of
    ``|V - target| - tol`` from one step to the next): the step where it happens is
    integrated again with that event, so the time is located on the solver's dense output.
    """
    from scipy.integrate import solve_ivp

    g = np.abs(m.V0 + y[m.pivot] - target) - tol
    down = np.flatnonzero((g[:-1] >= 0) & (g[1:] <= 0))
    if down.size == 0:
        return None
    i = int(down[0])
    k = m.kernel
    sol = solve_ivp(
        k.fun,
        (float(t[i]), float(t[i + 1])),
        y[:, i],
        method=method,
        rtol=rtol,
        atol=atol,
        events=[_target_event(m, target, tol, True)],
        **({"jac": k.jac} if method in _IMPLICIT else {}),
    )
    if len(sol.t_events[0]):
        return float(sol.t_events[0][0])
    # The refined run crossed within rounding of the step's end: interpolate g linearly.
    return float(t[i] + (t[i + 1] - t[i]) * g[i] / (g[i] - g[i + 1]))


def _with_progress(
    rhs: Callable[[float, np.ndarray], list[float]],
    progress: Callable[[float], None] | None,
    until: float,
) -> Callable[[float, np.ndarray], list[float]]:
    if progress is None:
        return rhs
    state = {"next": 0.0}
    step = until / 200.0

    def wrapped(t: float, y: np.ndarray) -> list[float]:
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
            mod.z[:, None],
            v_m=V[None, :],
            permeability=mod.P[:, None],
            c_in=np.maximum(c, 0.0),
            c_out=mod.c_out[:, None],
            celsius=mod.T - ZERO_CELSIUS,
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
        celsius=m0.T - ZERO_CELSIUS,
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
        pump_current_mA_cm2=np.concatenate(pump),
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
        pump_max_mA_cm2=m0.pump_imax,
        impermeant_valence=m0.z_x,
        impermeant_amount=m0.n_x / m0.W0 / _MM,
        perturbations=meta["perturbations"],
        solver=meta["solver"],
    )
