"""nernst.dynamics: approach to equilibrium and the pump-leak model, and ``nernst simulate``.

Expected numbers come from the seed chapter (../shared/seed/000_ba38d2a88dc762dc.txt), from
published equations and behaviour (cited next to each test), or from arithmetic written in
the test with CODATA 2018 exact constants; never from running the code under test. Where a
test compares two solver routes (integration vs root solve), agreement is the claim.

Geometry used throughout unless stated: a sphere of radius 10 um (r = 1e-3 cm), area
A = 4 pi r^2 = 1.2566e-5 cm^2, volume W = 4/3 pi r^3 = 4.1888e-9 cm^3 (4188.8 um^3);
capacitance 1 uF/cm^2; absolute permeability = relative x 1e-6 cm/s.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import subprocess

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.integrate import trapezoid
from typer.testing import CliRunner

import nernst
from nernst._deprecate import NernstDeprecationWarning
from nernst.cli import app
from nernst.dynamics import (
    NaKPump,
    Perturbation,
    ions_for_potential,
    membrane_time_constant,
    nak_pump_current,
    parse_duration,
    parse_perturbation,
    pump_leak_steady_state,
    simulate,
)
from nernst.pump import sodium_pump_current

# CODATA 2018 exact.
R = 1.380649e-23 * 6.02214076e23
F = 1.602176634e-19 * 6.02214076e23
NA = 6.02214076e23
VT_37 = R * 310.15 / F * 1e3  # 26.7267 mV

R_CM = 10e-4
AREA = 4 * math.pi * R_CM**2  # cm^2
VOL = 4 / 3 * math.pi * R_CM**3  # cm^3
C_M = 1e-6  # F/cm^2
P_REF = 1e-6  # cm/s

# The seed's hypothetical neuron permeable only to a cation X+, more concentrated inside
# ("Consider a hypothetical neuron ..."); K+ 140 mM in, 5 mM out stands in for X+.
X_CELL = nernst.Cell(inside={"K+": 140}, outside={"K+": 5}, permeability={"K+": 1})
E_X = VT_37 * math.log(5 / 140)  # -89.059 mV

# Seed chapter GHK example: P_K:P_Na:P_Cl = 1:0.04:0.45, K 140/5, Na 10/145, Cl 10/110,
# "about -67.3 mV": numerator 5 + 5.8 + 4.5 = 15.3, denominator 140 + 0.4 + 49.5 = 189.9.
NEURON = nernst.Cell.preset("mammalian-neuron")
V_GHK_SEED = VT_37 * math.log(15.3 / 189.9)  # -67.315 mV


def ghk_flux_math(V, z, P, ci, co, vt=VT_37):
    """GHK flux [mol cm^-2 s^-1], outward positive, written out (Hille 2001 eq. 14-6)."""
    w = z * V / vt
    if w == 0:
        return P * (ci - co) * 1e-6
    return P * w * (ci - co * math.exp(-w)) / (1 - math.exp(-w)) * 1e-6


def lr_pump_math(V, na_i, k_o, na_o, i_max, vt=VT_37):
    """Luo & Rudy (1994) Circ. Res. 74:1071, I_NaK [unit of i_max], K_m,Nai 10, K_m,Ko 1.5 mM."""
    sigma = (math.exp(na_o / 67.3) - 1) / 7
    u = V / vt
    f = 1 / (1 + 0.1245 * math.exp(-0.1 * u) + 0.0365 * sigma * math.exp(-u))
    return i_max * f / (1 + (10 / na_i) ** 1.5) * k_o / (k_o + 1.5)


def tau_single_ion_ms(P, z, ci, co, vt=VT_37, cm=C_M):
    """C_m over the GHK slope conductance at E: P z^2 F^2/(RT) c_i c_o ln(c_o/c_i)/(c_o-c_i)."""
    ci, co = ci * 1e-6, co * 1e-6  # mol/cm^3
    g = P * z * z * F / (vt * 1e-3) * ci * co * math.log(co / ci) / (co - ci)  # S/cm^2
    return cm / g * 1e3


# ----------------------------------------------------------------- approach to equilibrium


def test_hypothetical_neuron_ends_at_E_X():
    run = simulate(X_CELL, until=0.5)
    # The ions that left lower K+_in by the fraction f (next test), moving E_X by VT*f.
    n_left = C_M * AREA * abs(E_X) * 1e-3 / F
    f = n_left / (140e-6 * VOL)
    E_final = VT_37 * math.log(5 / (140 * (1 - f)))
    assert run.V_final == pytest.approx(E_X, abs=0.01)
    assert run.V_final == pytest.approx(E_final, abs=1e-4)
    assert run.target == pytest.approx(E_X, abs=1e-9)
    assert run.t_target is not None and 0 < run.t_target < 0.5


def test_fraction_of_X_that_left_is_tiny():
    # Q = C V per area; moles = Q A / (z F); content = c W. For a sphere the fraction is
    # 3 C |E| / (z F c r) = 3e-6 * 0.089059 / (96485.33 * 140e-6 * 1e-3) = 1.978e-5.
    run = simulate(X_CELL, until=0.5)
    moles = C_M * abs(E_X) * 1e-3 * AREA / F
    fraction = 3 * C_M * abs(E_X) * 1e-3 / (F * 140e-6 * R_CM)
    assert fraction == pytest.approx(1.978e-5, rel=1e-3)
    assert run.crossed["K+"][-1] == pytest.approx(moles, rel=1e-3)
    assert run.fraction_crossed["K+"] == pytest.approx(fraction, rel=1e-3)
    assert run.crossed_number["K+"] == pytest.approx(moles * NA, rel=1e-3)  # ~7.0e6 ions
    # Per unit area, the public helper: n = C dV / (z F).
    assert ions_for_potential("K+", delta_v=E_X) == pytest.approx(C_M * E_X * 1e-3 / F, rel=1e-12)
    assert ions_for_potential("Ca2+", delta_v=10.0, capacitance=2.0) == pytest.approx(
        2e-6 * 10e-3 / (2 * F), rel=1e-12
    )


def test_ions_for_potential_old_positional_form_warns():
    # The old order (delta_v, ion): the same n = C dV / (z F) (Hille 2001, ch. 1), warned.
    with pytest.warns(NernstDeprecationWarning, match=r"ions_for_potential\(ion, delta_v"):
        old = ions_for_potential(-89.06, "K+")
    assert old == ions_for_potential("K+", delta_v=-89.06)
    assert old == pytest.approx(-9.230e-13, rel=1e-3)  # 1e-6 x 0.08906 / 96485.33
    with pytest.raises(TypeError, match="delta_v"):
        ions_for_potential("K+")
    with pytest.raises(TypeError, match="delta_v"):
        ions_for_potential(-89.06, "K+", delta_v=1.0)


def test_time_constant_is_C_over_slope_conductance():
    tau = tau_single_ion_ms(P_REF, 1, 140, 5)  # 16.03 ms
    assert membrane_time_constant(
        {"K+": P_REF}, c_in={"K+": 140}, c_out={"K+": 5}
    ) == pytest.approx(tau, rel=1e-9)
    # Fit the exponential tail of a small perturbation (v0 = E + 1 mV).
    s = tau * 1e-3
    run = simulate(X_CELL, until=12 * s, v0=E_X + 1.0, t_eval=np.linspace(0, 12 * s, 2401))
    window = (run.t > 0.5 * s) & (run.t < 4 * s)
    slope = np.polyfit(run.t[window], np.log(np.abs(run.V[window] - run.V_final)), 1)[0]
    assert -1 / slope * 1e3 == pytest.approx(tau, rel=2e-3)
    assert run.tau_membrane == pytest.approx(tau, rel=1e-9)


def test_time_scales_as_one_over_P_and_not_with_size():
    base = simulate(X_CELL, until=0.5)
    faster = simulate(X_CELL, until=0.5, p_reference=2 * P_REF)
    bigger = simulate(X_CELL, until=0.5, radius=20.0)
    assert faster.t_target == pytest.approx(base.t_target / 2, rel=1e-3)
    # C and the conductance both scale with area: the time to charge does not depend on
    # size (the tiny concentration change, ~2e-5 vs 1e-5, shifts E by 0.0003 mV).
    assert bigger.t_target == pytest.approx(base.t_target, rel=1e-2)
    assert bigger.tau_membrane == pytest.approx(base.tau_membrane, rel=1e-12)
    assert faster.tau_membrane == pytest.approx(base.tau_membrane / 2, rel=1e-12)


def _donnan_fixed_volume(v0=0.0):
    """K, Na, Cl at Donnan equilibrium in a fixed volume, from neutrality changes only by the
    capacitive charge: r (K_o + Na_o) - Cl_o / r = S with S = 140 + 10 - 10 + C A (V - V0)/(F W)."""
    V = 0.0
    for _ in range(4):
        S = 140.0 + C_M * AREA * (V - v0) * 1e-3 / (F * VOL) * 1e6  # mM
        r = (S + math.sqrt(S * S + 4 * 150 * 110)) / (2 * 150)
        V = -VT_37 * math.log(r)
    return V, r


def test_two_time_scales_ghk_in_ms_then_donnan_in_hours():
    t_eval = np.concatenate([[0.0], np.geomspace(1e-4, 1e6, 401)])
    run = simulate(NEURON, until=1e6, t_eval=t_eval)
    at = lambda t: float(np.interp(t, run.t, run.V))  # noqa: E731
    # Fast: the membrane charges to the GHK potential within ~0.1 s (tau ~ 7 ms).
    assert run.target == pytest.approx(V_GHK_SEED, abs=1e-9)
    assert run.t_target is not None and run.t_target < 0.1
    assert at(0.1) == pytest.approx(V_GHK_SEED, abs=0.01)
    # ... and stays there while the concentrations have hardly moved (seconds) ...
    assert at(10.0) == pytest.approx(V_GHK_SEED, abs=0.1)
    # ... tracking the GHK potential of the *current* concentrations as they drift.
    i = int(np.searchsorted(run.t, 300.0))
    c = {ion: run.c_in[ion][i] for ion in ("K+", "Na+", "Cl-")}
    num = 1 * 5 + 0.04 * 145 + 0.45 * c["Cl-"]
    den = 1 * c["K+"] + 0.04 * c["Na+"] + 0.45 * 110
    assert run.V[i] == pytest.approx(VT_37 * math.log(num / den), abs=0.01)
    # Slow: over hours V drifts far from GHK ...
    assert abs(at(3600.0) - V_GHK_SEED) > 10
    # ... to Donnan equilibrium, every permeant ion at its own Nernst potential.
    V_D, r = _donnan_fixed_volume()
    assert run.V_final == pytest.approx(V_D, abs=0.01)  # -9.781 mV
    for ion, z in (("K+", 1), ("Na+", 1), ("Cl-", -1)):
        E = VT_37 / z * math.log(run.c_out[ion][-1] / run.c_in[ion][-1])
        assert E == pytest.approx(run.V_final, abs=0.01), ion
    assert run.c_in["K+"][-1] == pytest.approx(5 * r, rel=1e-5)
    assert run.c_in["Cl-"][-1] == pytest.approx(110 / r, rel=1e-5)
    # Impermeant Ca2+ keeps its amount.
    assert np.all(run.crossed["Ca2+"] == 0)


def _crossing_time(cell, level, **kw):
    run = simulate(cell, until=1e5, t_eval=np.geomspace(1, 1e5, 2001), **kw)
    t, V = run.t[run.t >= 1], run.V[run.t >= 1]
    i = int(np.nonzero(V > level)[0][0])
    return float(np.interp(level, V[i - 1 : i + 1], t[i - 1 : i + 1]))


def test_donnan_drift_time_scales_with_radius_over_P():
    # The slow phase changes concentrations at the rate (A/W) Phi = (3/r) Phi: twice the
    # radius, twice the time; twice the permeability, half the time.
    t1 = _crossing_time(NEURON, -40.0)
    assert 1000 < t1 < 20000  # hours, not milliseconds
    assert _crossing_time(NEURON, -40.0, radius=20.0) == pytest.approx(2 * t1, rel=1e-3)
    assert _crossing_time(NEURON, -40.0, p_reference=2e-6) == pytest.approx(t1 / 2, rel=1e-3)


def test_charge_and_mass_conservation():
    t_eval = np.linspace(0.0, 0.2, 20001)
    run = simulate(NEURON, until=0.2, t_eval=t_eval)
    z = {"K+": 1, "Na+": 1, "Cl-": -1, "Ca2+": 2}
    # Charge: C A (V - V0) = F sum z (n - n0) at every output time.
    charge = sum(z[i] * (run.amount[i] - run.amount[i][0]) for i in run.ions)
    # In mV: rounding of the amounts (~1e-28 mol of ~6e-13) allows ~1e-6 mV.
    assert np.allclose(run.V - run.v0, F * charge / (C_M * AREA) * 1e3, rtol=0, atol=1e-6)
    # Mass: the amount that left equals the time integral of the (independently computed)
    # GHK flux times the area (trapezoid rule on the 10 us grid).
    for ion in ("K+", "Na+", "Cl-"):
        integral = trapezoid(run.flux[ion], run.t) * AREA
        assert integral == pytest.approx(run.crossed[ion][-1], rel=1e-4), ion


@given(
    ion=st.sampled_from(["K+", "Na+", "Cl-", "Ca2+"]),
    c_in=st.floats(1.0, 300.0),
    c_out=st.floats(1.0, 300.0),
    v0=st.floats(-100.0, 100.0),
)
def test_single_permeant_ion_always_ends_at_its_nernst_potential(ion, c_in, c_out, v0):
    # method="LSODA" is the default; spelled out because the property is about it.
    z = nernst.ions[ion].charge
    cell = nernst.Cell(inside={ion: c_in}, outside={ion: c_out}, permeability={ion: 1})
    if abs(c_in - c_out) < 1e-3 * c_in:
        tau = C_M / (P_REF * z * z * F / (VT_37 * 1e-3) * c_in * 1e-6)
    else:
        tau = tau_single_ion_ms(P_REF, z, c_in, c_out) * 1e-3
    run = simulate(cell, until=40 * tau, v0=v0, method="LSODA")
    E_end = VT_37 / z * math.log(c_out / run.c_in[ion][-1])
    assert run.V_final == pytest.approx(E_end, abs=0.01)
    # Charge: the amount that crossed is ~1e-7 of the content, so rounding of the amounts
    # (1e-16 relative) limits this check to ~1e-8.
    assert C_M * AREA * (run.V_final - v0) * 1e-3 == pytest.approx(
        -z * F * run.crossed[ion][-1], rel=1e-6
    )


@pytest.mark.parametrize("method", ["BDF", "Radau"])
def test_stiff_solvers_agree(method):
    default = simulate(X_CELL, until=0.5)  # LSODA
    run = simulate(X_CELL, until=0.5, method=method)
    assert run.V_final == pytest.approx(default.V_final, abs=1e-6)
    assert run.t_target == pytest.approx(default.t_target, rel=1e-4)


@pytest.mark.parametrize(
    ("kwargs", "until"),
    [
        ({}, 1e4),  # approach, far into the Donnan drift
        ({"model": "pump-leak", "perturb": ["pump-block"]}, 3600.0),
        ({"model": "pump-leak", "perturb": ["k-out=10@1s"]}, 60.0),
    ],
)
def test_default_lsoda_agrees_with_bdf_on_long_runs(kwargs, until):
    # The solver choice (issue 13): LSODA with the analytic Jacobian against solve_ivp's BDF
    # on the same equations; both with rtol 1e-9, atol 1e-7 mV.
    t_eval = np.linspace(0.0, until, 41)
    a = simulate(NEURON, until=until, t_eval=t_eval, **kwargs)
    b = simulate(NEURON, until=until, t_eval=t_eval, method="BDF", **kwargs)
    assert a.solver["method"] == "LSODA" and b.solver["method"] == "BDF"
    assert np.max(np.abs(a.V - b.V)) < 1e-5
    # Concentrations: the global error of rtol 1e-9 on the carried charge, accumulated over
    # thousands of steps, stays far below 1e-6 of the value.
    for ion in a.ions:
        assert np.allclose(a.c_in[ion], b.c_in[ion], rtol=1e-6, atol=0), ion
    # Honest counts: every right-hand side and Jacobian call of the run.
    assert a.solver["nfev"] > 0 and a.solver["njev"] > 0 and b.solver["njev"] > 0


def test_target_time_from_the_steps_equals_the_event_time():
    # Without t_eval the first arrival at the target is found while stepping (brentq on
    # LSODA's interpolant of the step where |V - E_X| - 0.01 mV changes sign); with t_eval or
    # stop_at_target, by solve_ivp's event on the same steps and the same interpolant: the
    # same time. BDF's arrival (its step re-integrated with the event) agrees within the
    # tolerance: near the target |dV/dt| ~ 0.01 mV / tau = 0.6 mV/s, so atol = 1e-7 mV is
    # worth ~2e-7 s of the ~0.14 s arrival time.
    a = simulate(X_CELL, until=0.5)
    b = simulate(X_CELL, until=0.5, t_eval=np.linspace(0, 0.5, 11))
    c = simulate(X_CELL, until=0.5, stop_at_target=True)
    d = simulate(X_CELL, until=0.5, method="BDF")
    assert a.t_target == pytest.approx(b.t_target, rel=1e-12)
    assert a.t_target == pytest.approx(c.t_target, rel=1e-12)
    assert a.t_target == pytest.approx(d.t_target, rel=1e-5)
    assert c.t[-1] == pytest.approx(c.t_target, rel=1e-12)
    assert abs(c.V_final - E_X) == pytest.approx(0.01, rel=1e-3)


# ------------------------------------------------------------------------------ pump-leak


def test_luo_rudy_pump_current_matches_the_published_equation():
    # Luo & Rudy (1994) Circ. Res. 74:1071, I_NaK with I_max = 1.5 uA/uF = 1.5e-3 mA/cm^2.
    for V, na_i, k_o, na_o in ((-80.0, 10.0, 5.4, 140.0), (0.0, 20.0, 2.0, 100.0)):
        expected = lr_pump_math(V, na_i, k_o, na_o, 1.5e-3)
        got = sodium_pump_current(v_m=V, na_in=na_i, k_out=k_o, na_out=na_o)
        assert got == pytest.approx(expected, rel=1e-12)
    # Saturation: half-maximal K+ activation at K_m,Ko = 1.5 mM (voltage factor off).
    a = sodium_pump_current(v_m=0, na_in=1e6, k_out=1.5, voltage_dependent=False)
    assert a == pytest.approx(0.75e-3, rel=1e-6)
    arr = sodium_pump_current(v_m=np.array([-80.0, 0.0]), na_in=10, k_out=5.4)
    assert arr.shape == (2,)


def test_pump_hill_coefficient_is_a_parameter():
    # Na+ saturation 1/(1 + (K_m/[Na]_i)^n_H): at [Na]_i = K_m/2 it is 1/(1 + 2^n_H), i.e.
    # 1/5 for n_H = 2 and 1/(1 + 2^1.5) = 0.26120 for Luo & Rudy's 1.5 (Circ. Res. 74:1071).
    kw = {"v_m": 0.0, "na_in": 5.0, "k_out": 1e9, "voltage_dependent": False, "i_max": 1.0}
    assert sodium_pump_current(hill=2.0, **kw) == pytest.approx(0.2, rel=1e-8)
    assert sodium_pump_current(**kw) == pytest.approx(0.26120, rel=1e-4)
    assert NaKPump().hill == 1.5
    with pytest.raises(ValueError, match="hill=0"):
        NaKPump(hill=0)
    with pytest.raises(ValueError, match="hill=-1"):
        sodium_pump_current(hill=-1.0, **kw)


@given(
    hill=st.floats(0.5, 4.0),
    km_na=st.floats(0.5, 50.0),
    v=st.floats(-150.0, 60.0),
)
def test_pump_is_half_saturated_at_km_for_any_hill_coefficient(hill, km_na, v):
    # Hill equation (Hill 1910; Luo & Rudy 1994's Na+ term): 1/(1 + (K_m/[Na]_i)^n) = 1/2 at
    # [Na]_i = K_m for every n; with the voltage factor off and K+ saturating, I = i_max/2.
    i = sodium_pump_current(
        v_m=v, na_in=km_na, k_out=1e12, km_na=km_na, hill=hill, i_max=2.0, voltage_dependent=False
    )
    assert i == pytest.approx(1.0, rel=1e-9)


@given(
    v=st.floats(-150.0, 60.0),
    na_in=st.floats(0.1, 100.0),
    k_out=st.floats(0.1, 50.0),
    i_max=st.floats(0.0, 10.0),
)
def test_deprecated_pump_current_is_1000_times_the_new_one(v, na_in, k_out, i_max):
    # uA/cm^2 = 1e3 mA/cm^2: the old function is the new one in its old unit.
    with pytest.warns(NernstDeprecationWarning):
        old = nak_pump_current(v, na_in=na_in, k_out=k_out, i_max=i_max)
    new = sodium_pump_current(v_m=v, na_in=na_in, k_out=k_out, i_max=i_max * 1e-3)
    assert old == pytest.approx(new * 1e3, rel=1e-12, abs=1e-300)


def test_pump_leak_steady_state_fluxes_follow_the_3_to_2_stoichiometry():
    # Post & Jolly (1957) BBA 25:118; Garrahan & Glynn (1967) J. Physiol. 192:217: 3 Na+ out
    # and 2 K+ in per cycle. At the steady state each passive leak balances the pump's flux of
    # that ion: Phi_Na = -3 J and Phi_K = +2 J with J = I_pump / F the cycle rate.
    assert (nernst.NA_PER_CYCLE, nernst.K_PER_CYCLE) == (3, 2)
    run = simulate(NEURON, model="pump-leak", until=1.0)  # starts at the steady state
    J = run.pump_current_mA_cm2[-1] * 1e-3 / F  # mA/cm^2 -> mol cycles cm^-2 s^-1
    assert run.flux["Na+"][-1] / J == pytest.approx(-3.0, rel=1e-6)
    assert run.flux["K+"][-1] / J == pytest.approx(2.0, rel=1e-6)


def test_nak_pump_current_is_deprecated_and_keeps_its_unit():
    # The old function returns uA/cm^2 (1000 x the mA/cm^2 of sodium_pump_current).
    expected = lr_pump_math(-80.0, 10.0, 5.4, 140.0, 1.5)  # uA/cm^2, Luo & Rudy (1994)
    with pytest.warns(NernstDeprecationWarning, match="sodium_pump_current"):
        old = nak_pump_current(-80, na_in=10, k_out=5.4, na_out=140)
    assert old == pytest.approx(expected, rel=1e-12)
    new = sodium_pump_current(v_m=-80, na_in=10, k_out=5.4, na_out=140)
    assert old == pytest.approx(new * 1e3, rel=1e-14)


def test_steady_state_root_and_integration_agree():
    a = pump_leak_steady_state(NEURON, method="root")
    b = pump_leak_steady_state(NEURON, method="integrate")
    assert a.V == pytest.approx(b.V, abs=1e-5)
    for ion in a.c_in:
        assert a.c_in[ion] == pytest.approx(b.c_in[ion], rel=1e-6), ion
    assert a.volume == pytest.approx(b.volume, rel=1e-6)
    assert b.detail["t_settled_s"] > 600  # settling takes hours
    # And the time course started from the cell settles there too.
    run = simulate(NEURON, model="pump-leak", start="cell", until=2e5)
    assert run.V_final == pytest.approx(a.V, abs=1e-3)
    assert run.volume[-1] == pytest.approx(a.volume, rel=1e-5)


def test_steady_state_balances_fluxes_charge_and_osmolarity():
    ss = pump_leak_steady_state(NEURON)
    c, V = ss.c_in, ss.V
    J = lr_pump_math(V, c["Na+"], 5.0, 145.0, ss.pump_max_mA_cm2) * 1e-3 / F  # mol/cm^2/s
    assert ss.pump_current_mA_cm2 == pytest.approx(J * F * 1e3, rel=1e-10)
    phi_na = ghk_flux_math(V, 1, 0.04 * P_REF, c["Na+"], 145)
    phi_k = ghk_flux_math(V, 1, P_REF, c["K+"], 5)
    phi_cl = ghk_flux_math(V, -1, 0.45 * P_REF, c["Cl-"], 110)
    # Na+ leaks in as fast as the pump extrudes it (3 per cycle); K+ leaks out as fast as it
    # is pumped in (2 per cycle); Cl- has no transporter, so it sits at E_Cl.
    assert phi_na == pytest.approx(-3 * J, rel=1e-8)
    assert phi_k == pytest.approx(2 * J, rel=1e-8)
    assert V == pytest.approx(-VT_37 * math.log(110 / c["Cl-"]), abs=1e-6)
    # Zero net current: leaks plus pump.
    assert phi_k + phi_na - phi_cl + J == pytest.approx(0, abs=1e-8 * J)
    # Osmotic balance with the bath: 262 mM listed + 44 mM neutralising anions = 306 mOsm.
    assert sum(c.values()) + ss.impermeant == pytest.approx(306.0, rel=1e-10)
    # Charge difference: the net charge inside is the membrane capacitor's, C A V / (F W)
    # (~ -2e-3 mM): electroneutral to 1 part in 1e5.
    net = c["K+"] + c["Na+"] - c["Cl-"] + 2 * c["Ca2+"] + ss.impermeant_valence * ss.impermeant
    W = ss.volume * 1e-12
    assert net == pytest.approx(C_M * AREA * V * 1e-3 / (F * W) * 1e6, abs=1e-6)
    # Impermeant solute from the starting cell: 306 - 160.0001 mM, valence -140.0002/x (up
    # to the starting capacitor charge, ~2e-3 mM).
    x0 = 306.0 - (140 + 10 + 10 + 0.0001)
    assert ss.impermeant_valence == pytest.approx(-(140 + 10 - 10 + 0.0002) / x0, rel=1e-4)


def test_pump_block_runs_down_gradients_and_swells_over_hours():
    # Tosteson & Hoffman (1960) J. Gen. Physiol. 44:169; Kay (2017) Front. Cell Dev. Biol.
    # 5:41: stopping the pump (ouabain) lets Na+ and water in and K+ out; the cell swells.
    t_eval = np.linspace(0, 6 * 3600, 61)
    run = simulate(NEURON, model="pump-leak", until=6 * 3600, perturb=["pump-block"], t_eval=t_eval)
    assert np.all(np.diff(run.volume) > 0)
    assert np.all(np.diff(run.c_in["Na+"]) > 0)
    assert np.all(np.diff(run.c_in["K+"]) < 0)
    assert np.all(run.pump_current_mA_cm2 == 0)
    # Slow: after a minute the volume has barely changed; after hours it has grown.
    assert run.volume[1] / run.volume[0] < 1.01  # t = 6 min
    assert run.volume[-1] / run.volume[0] > 1.3
    # The electrogenic pump current vanishes at once: a fast depolarisation, then run-down.
    fast = simulate(NEURON, model="pump-leak", until=1.0, perturb=["pump-block"])
    assert 0 < fast.V_final - fast.V[0] < 10
    assert run.V_final > -30


def test_without_pump_in_a_permeant_bath_the_volume_has_no_steady_state():
    # Mori (2012) J. Math. Biol. 65:875 (no steady state -> volume tends to infinity); Kay
    # (2017): impermeant anions in a bath of permeant ions alone make the Donnan effect
    # unstable without the pump. Bath K+ 5, Na+ 145, Cl- 150 mM (neutral, all permeant).
    cell = nernst.Cell(
        inside={"K+": 140, "Na+": 10, "Cl-": 10},
        outside={"K+": 5, "Na+": 145, "Cl-": 150},
        permeability={"K+": 1, "Na+": 0.04, "Cl-": 0.45},
    )
    ss = pump_leak_steady_state(cell)  # with the pump there is one
    assert ss.volume_ratio == pytest.approx(1.0, abs=0.05)
    with pytest.raises(ValueError, match="swells without bound"):
        pump_leak_steady_state(cell, perturb=["pump-block"])
    with pytest.raises(ValueError, match="swells without bound"):
        pump_leak_steady_state(cell, perturb=["pump-block"], method="integrate")
    t_eval = np.array([0, 1e4, 1e5, 1e6, 1e7])
    run = simulate(cell, model="pump-leak", until=1e7, perturb=["pump-block"], t_eval=t_eval)
    assert np.all(np.diff(run.volume) > 0)
    assert run.volume[-1] > 20 * run.volume[0]  # and still growing
    assert run.volume[-1] / run.volume[-2] > 1.5


def test_pump_block_with_impermeant_bath_anions_ends_in_a_double_donnan_state():
    # The preset's bath lacks 44 mM of anions (neutralised here by impermeant monovalent
    # anions, 306 mOsm). Without the pump the cell then reaches a Donnan equilibrium with
    # osmotic balance: K_i = 5r, Na_i = 145r, Cl_i = 110/r, impermeant X and Ca2+ diluted by
    # s = W0/W from X0 = 306 - 160.0001 = 145.9999 mM (z_X X0 = -140.0002) and Ca0 = 0.0001.
    # Neutrality: 150 r - 110/r + (2 Ca0 + z_X X0) s = 0, i.e. 150 r - 110/r = 140 s;
    # osmotic: 150 r + 110/r + (X0 + Ca0) s = 306, i.e. ... + 146 s = 306.
    # Eliminate s (k = 146/140): (150 + 150 k) r^2 - 306 r + (110 - 110 k) = 0.
    k = 146.0 / 140.0
    a, b, cc = 150 + k * 150, -306.0, 110 - k * 110
    r = (-b + math.sqrt(b * b - 4 * a * cc)) / (2 * a)
    s = (150 * r - 110 / r) / 140.0
    V = -VT_37 * math.log(r)  # -0.366 mV
    for method in ("root", "integrate"):
        ss = pump_leak_steady_state(NEURON, perturb=["pump-block"], method=method)
        assert ss.V == pytest.approx(V, abs=0.01), method
        assert ss.volume_ratio == pytest.approx(1 / s, rel=1e-3), method  # 3.21x
        assert ss.c_in["Na+"] == pytest.approx(145 * r, rel=1e-4), method


def test_k_out_step_depolarises_at_once_then_settles():
    ss = pump_leak_steady_state(NEURON)
    t_eval = np.concatenate([[0.0, 0.2], np.linspace(60, 5 * 3600, 300)])
    run = simulate(NEURON, model="pump-leak", until=5 * 3600, perturb=["k-out=10"], t_eval=t_eval)
    # Adding 5 mM K+ raises the bath from 306 to 311 mOsm: with instantaneous osmotic
    # equilibrium water leaves at once and every inside concentration rises by 311/306.
    # Within 0.2 s (30 membrane time constants) V then reaches the zero-current potential of
    # those concentrations with the new K_o (leaks plus pump), found here by bisection of the
    # written-out currents.
    from scipy.optimize import brentq

    c = {ion: value * 311 / 306 for ion, value in ss.c_in.items()}
    assert run.volume[0] == pytest.approx(ss.volume * 306 / 311, rel=1e-9)

    def current(V):
        J = lr_pump_math(V, c["Na+"], 10.0, 145.0, ss.pump_max_mA_cm2) * 1e-3 / F
        return (
            ghk_flux_math(V, 1, P_REF, c["K+"], 10)
            + ghk_flux_math(V, 1, 0.04 * P_REF, c["Na+"], 145)
            - ghk_flux_math(V, -1, 0.45 * P_REF, c["Cl-"], 110)
            + J
        )

    V_fast = brentq(current, -100, 0, xtol=1e-12)
    assert run.V[run.t == 0.2][0] == pytest.approx(V_fast, abs=0.01)
    assert V_fast - ss.V > 5  # depolarisation
    new = pump_leak_steady_state(NEURON, perturb=["k-out=10"])
    assert run.V_final == pytest.approx(new.V, abs=0.01)
    assert run.c_out["K+"][-1] == 10.0


def test_sodium_permeability_step_depolarises_and_loads_sodium():
    base = pump_leak_steady_state(NEURON)
    new = pump_leak_steady_state(NEURON, perturb=["perm:Na+=x2"])
    assert new.V > base.V + 5
    assert new.c_in["Na+"] > base.c_in["Na+"]
    assert new.pump_current_mA_cm2 > base.pump_current_mA_cm2
    run = simulate(NEURON, model="pump-leak", until=60, perturb=["perm:Na+=x2"])
    assert run.permeability["Na+"] == pytest.approx(0.04e-6, rel=1e-12)  # before the step
    assert run.V_final > base.V


def test_fraser_huang_proportional_scaling_and_chloride_leave_the_steady_state():
    # Fraser & Huang (2004) J. Physiol. 559:459: proportionate changes of P_Na, P_K and the
    # pump density, and changes of P_Cl, conserve the steady-state V and volume.
    base = pump_leak_steady_state(NEURON)
    pump = NaKPump(i_max_mA_cm2=3 * base.pump_max_mA_cm2)
    scaled = pump_leak_steady_state(NEURON, p_reference=3e-6, pump=pump)
    assert scaled.V == pytest.approx(base.V, abs=1e-8)
    assert scaled.volume == pytest.approx(base.volume, rel=1e-10)
    more_cl = pump_leak_steady_state(NEURON, perturb=["perm:Cl-=x5"])
    assert more_cl.V == pytest.approx(base.V, abs=1e-8)
    assert more_cl.volume == pytest.approx(base.volume, rel=1e-10)


def test_kay_volume_is_proportional_to_impermeant_content():
    # Kay (2017) Front. Cell Dev. Biol. 5:41: with the pump eliminating the osmotic gradient,
    # cell size is directly proportional to the amount of impermeant solute x. Same membrane
    # area, twice the starting volume (twice x): twice the steady volume, same V.
    area = 4 * math.pi * 10.0**2
    one = pump_leak_steady_state(NEURON, area=area, volume=4000.0)
    two = pump_leak_steady_state(NEURON, area=area, volume=8000.0)
    assert two.volume == pytest.approx(2 * one.volume, rel=1e-4)
    assert two.V == pytest.approx(one.V, abs=1e-3)


def test_volume_grows_as_the_pump_slows():
    # Keener & Sneyd (2009) Mathematical Physiology I, ch. 2 (pump-leak model) and Kay &
    # Blaustein (2019) J. Gen. Physiol. 151:407, Fig. 3: the steady volume falls as the pump
    # rate rises and grows without limit as it falls to zero (permeant bath, as above).
    cell = nernst.Cell(
        inside={"K+": 140, "Na+": 10, "Cl-": 10},
        outside={"K+": 5, "Na+": 145, "Cl-": 150},
        permeability={"K+": 1, "Na+": 0.04, "Cl-": 0.45},
    )
    volumes = [
        pump_leak_steady_state(cell, perturb=[f"pump=x{f}"]).volume
        for f in (4.0, 2.0, 1.0, 0.5, 0.2, 0.1)
    ]
    assert all(a < b for a, b in itertools.pairwise(volumes))
    assert volumes[-1] > 1.5 * volumes[2]


def test_perturbation_at_a_later_time():
    run = simulate(NEURON, model="pump-leak", until=20.0, perturb=["pump-block@10s"])
    before = run.t < 10.0
    assert np.allclose(run.V[before], run.V[0], atol=1e-6)
    assert np.count_nonzero(run.t == 10.0) == 2  # before and after the step
    assert run.pump_current_mA_cm2[-1] == 0 and run.pump_current_mA_cm2[0] > 0
    assert run.V_final > run.V[0] + 1


def test_progress_callback_reports_the_fraction_done():
    seen: list[float] = []
    simulate(NEURON, model="pump-leak", until=60.0, perturb=["k-out=10@30s"], progress=seen.append)
    assert seen[-1] == 1.0
    assert all(0.0 <= f <= 1.0 for f in seen)
    assert all(a <= b for a, b in itertools.pairwise(seen))
    assert len(seen) > 3


# ----------------------------------------------------------------------- parsing, export


def test_parse_duration():
    assert parse_duration("50ms") == pytest.approx(0.05)
    assert parse_duration("2s") == 2.0
    assert parse_duration("10 min") == 600.0
    assert parse_duration("3h") == 10800.0
    assert parse_duration("1.5e3us") == pytest.approx(1.5e-3)
    assert parse_duration(4) == 4.0
    for bad in ("fast", "10 parsecs", "-2s", "ms"):
        with pytest.raises(ValueError, match="duration"):
            parse_duration(bad)


def test_parse_perturbation():
    assert parse_perturbation("pump-block") == Perturbation(
        "pump", None, 0.0, True, 0.0, "pump-block"
    )
    p = parse_perturbation("k-out=10")
    assert (p.kind, p.ion, p.value, p.relative) == ("c_out", "K+", 10.0, False)
    p = parse_perturbation("out:Ca2+=x2@1.5h")
    assert (p.kind, p.ion, p.value, p.relative, p.at) == ("c_out", "Ca2+", 2.0, True, 5400.0)
    p = parse_perturbation("perm:sodium=0.08")
    assert (p.kind, p.ion, p.value, p.relative) == ("permeability", "Na+", 0.08, False)
    assert parse_perturbation("pump=x0.5").value == 0.5
    for bad in ("explode", "k-out=lots", "perm:Na+=-1"):
        with pytest.raises(ValueError, match="perturbation"):
            parse_perturbation(bad)
    with pytest.raises(ValueError):
        parse_perturbation("perm:Unobtainium=x2")


def test_exports_csv_parquet_dataframe_json(tmp_path):
    run = simulate(NEURON, until=0.05)
    cols = run.columns()
    assert list(cols)[:3] == ["t_s", "V_mV", "K+_in_mM"]
    path = run.save(tmp_path / "run.csv")
    with path.open() as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(cols)
    assert len(rows) == len(run.t) + 1
    assert [float(v) for v in rows[-1]] == [float(c[-1]) for c in cols.values()]
    pq = pytest.importorskip("pyarrow.parquet")
    table = pq.read_table(run.save(tmp_path / "run.parquet"))
    assert table.column_names == list(cols)
    assert np.array_equal(table.column("V_mV").to_numpy(), run.V)
    df = run.to_dataframe()
    assert df.shape == (len(run.t), len(cols))
    data = json.loads(json.dumps(run.to_dict(series=True)))
    assert data["final"]["V_mV"] == run.V_final
    assert data["series"]["t_s"] == run.t.tolist()
    with pytest.raises(ValueError, match="suffix"):
        run.save(tmp_path / "run.xlsx")


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="approach"):
        simulate(NEURON, model="hodgkin-huxley")
    with pytest.raises(ValueError, match="until"):
        simulate(NEURON, until=0)
    with pytest.raises(ValueError, match="radius"):
        simulate(NEURON, radius=-1)
    with pytest.raises(ValueError, match="p_reference"):
        simulate(NEURON, p_reference=0)
    with pytest.raises(ValueError, match="pump-leak"):
        simulate(NEURON, perturb=["pump-block"])
    with pytest.raises(ValueError, match="not in this cell"):
        simulate(NEURON, perturb=["perm:Mg2+=x2"])
    with pytest.raises(ValueError, match="not before until"):
        simulate(NEURON, until=1.0, perturb=["perm:Na+=x2@2s"])
    with pytest.raises(ValueError, match="t_eval"):
        simulate(NEURON, until=1.0, t_eval=[0, 2])
    with pytest.raises(ValueError, match="positive permeability"):
        simulate(nernst.Cell(inside={"K+": 140}, outside={"K+": 5}))
    with pytest.raises(ValueError, match="Na\\+ and K\\+"):
        simulate(X_CELL, model="pump-leak")
    with pytest.raises(ValueError, match=r"nernst\.Cell"):
        simulate({"K+": 1})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="method"):
        pump_leak_steady_state(NEURON, method="guess")
    with pytest.raises(ValueError, match="na_in"):
        sodium_pump_current(v_m=-80, na_in=-1, k_out=5)
    with pytest.raises(ValueError, match="capacitance"):
        membrane_time_constant({"K+": 1e-6}, c_in={"K+": 140}, c_out={"K+": 5}, capacitance=0)


# ------------------------------------------------------------------------------------ CLI

runner = CliRunner()


def test_cli_simulate_text_and_json():
    result = runner.invoke(app, ["simulate", "--until", "200ms"])
    assert result.exit_code == 0, result.output
    assert "approach model" in result.stdout
    assert f"target {V_GHK_SEED:+.3f} mV: reached within 0.01 mV" in result.stdout
    result = runner.invoke(app, ["simulate", "squid-axon", "-u", "0.1s", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # Squid axon at 20 C: same ratios, K 400/10, Na 50/460, Cl 100/540:
    # V = VT_20 ln((10 + 18.4 + 45)/(400 + 2 + 243)).
    vt20 = R * 293.15 / F * 1e3
    assert data["target_mV"] == pytest.approx(vt20 * math.log(73.4 / 645), abs=1e-6)
    assert data["final"]["V_mV"] == pytest.approx(data["target_mV"], abs=0.01)
    assert data["model"] == "approach"


def test_cli_simulate_pump_block_writes_files(tmp_path):
    csv_path, png_path = tmp_path / "t.csv", tmp_path / "t.png"
    result = runner.invoke(
        app,
        [
            "simulate",
            "--until",
            "1h",
            "-p",
            "pump-block",
            "-o",
            str(csv_path),
            "--plot",
            str(png_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "pump-leak model" in result.stdout and "pump-block" in result.stdout
    assert csv_path.read_text().startswith("t_s,V_mV,")
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pq_path = tmp_path / "t.parquet"
    result = runner.invoke(app, ["simulate", "-u", "10ms", "-o", str(pq_path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["files"]["output"] == str(pq_path)
    assert pq_path.read_bytes()[:4] == b"PAR1"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--until", "soon"], "duration"),
        (["-p", "explode"], "perturbation"),
        (["-m", "approach", "-p", "pump-block"], "pump-leak"),
        (["-o", "x.xlsx"], "suffix"),
        (["no-such-cell"], "unknown preset"),
        (["-m", "hh"], "model"),
    ],
)
def test_cli_simulate_bad_input(args, message):
    result = runner.invoke(app, ["simulate", *args])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert "Traceback" not in result.output


def test_cli_simulate_through_the_entry_point():
    proc = subprocess.run(
        ["nernst", "simulate", "--until", "0.5s", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["final"]["V_mV"] == pytest.approx(V_GHK_SEED, abs=0.01)
    assert proc.stderr == ""  # no progress bar when stderr is not a terminal
    bad = subprocess.run(
        ["nernst", "simulate", "--until", "-1s"], capture_output=True, text=True, timeout=60
    )
    assert bad.returncode == 2 and bad.stderr.startswith("error: ")


# ------------------------------------------- right-hand side and Jacobian (issue 13)
# The solvers run on a plain-float right-hand side with an analytic Jacobian
# (nernst.dynamics.model._Kernel). These internals are tested here because no public call
# exposes them: the fast path against the vectorised body it copies, the Jacobian against
# central finite differences of the right-hand side.

from nernst.dynamics.model import _build, _ghk_flux_float, _ghk_flux_float_derivatives  # noqa: E402
from nernst.ghk import ghk_flux_kernel  # noqa: E402
from nernst.pump import (  # noqa: E402
    _luo_rudy,
    _luo_rudy_body,
    _luo_rudy_float,
    _luo_rudy_float_derivatives,
)


def _model(kind):
    kw = dict(
        p_reference=1e-6,
        radius=None,
        area=None,
        volume=None,
        capacitance=1.0,
        v0=None,
        pump=NaKPump(),
        impermeant_valence=None,
        osmolarity_out=None,
    )
    if kind == "approach":
        return _build(NEURON, model="approach", **kw)
    if kind == "pump-leak":
        return _build(NEURON, model="pump-leak", **kw)
    return _build(
        NEURON,
        model="pump-leak",
        cotransport=nernst.Cotransporters(kcc2=2e-11, nkcc1=5e-12),
        **kw,
    )


MODELS_ = {kind: _model(kind) for kind in ("approach", "pump-leak", "cotransport")}


def _central_differences(f, u):
    n = len(u)
    J = np.empty((n, n))
    for j in range(n):
        h = 1e-5 * max(1.0, abs(u[j]))
        e = np.zeros(n)
        e[j] = h
        J[:, j] = (np.asarray(f(u + e)) - np.asarray(f(u - e))) / (2 * h)
    return J


states = st.lists(st.floats(-3e3, 3e3), min_size=4, max_size=4)


@given(kind=st.sampled_from(sorted(MODELS_)), u=states)
def test_analytic_jacobian_matches_finite_differences(kind, u):
    # u: charge moved per ion in mV (the solver state), up to 3 V of membrane charge, which
    # moves the concentrations by up to ~3 % (the model stays in its physical range).
    m = MODELS_[kind]
    u = np.asarray(u)
    J = m.jac(0.0, u)
    J_fd = _central_differences(lambda x: m.rhs(0.0, x), u)
    scale = np.max(np.abs(J_fd))
    assert np.max(np.abs(J - J_fd)) <= 1e-6 * scale


@given(kind=st.sampled_from(sorted(MODELS_)), u=states)
def test_fast_rhs_equals_the_vectorised_body(kind, u):
    # The plain-float kernel against _Model.rhs_numpy (state(), fluxes(): nernst.ghk's flux
    # body and nernst.pump's Luo-Rudy body on arrays): the same equations to rounding.
    m = MODELS_[kind]
    u = np.asarray(u)
    fast = np.asarray(m.rhs(0.0, u))
    body = m.rhs_numpy(0.0, u)
    assert np.allclose(fast, body, rtol=1e-12, atol=1e-12 * np.max(np.abs(body)))


@given(
    w=st.one_of(st.floats(-40, 40), st.floats(-2e-3, 2e-3)),
    ci=st.floats(1e-6, 1e3),
    co=st.floats(1e-6, 1e3),
)
def test_scalar_ghk_flux_is_the_ghk_body(w, ci, co):
    expected = float(ghk_flux_kernel(np.array(w), 1.0, ci, co))
    assert _ghk_flux_float(w, ci, co) == pytest.approx(expected, rel=1e-13, abs=1e-13 * (ci + co))
    # Derivatives against central differences of the body (h chosen for ~1e-8 accuracy).
    dw, dci = _ghk_flux_float_derivatives(w, ci, co)
    h = 1e-6
    fd_w = (
        float(ghk_flux_kernel(np.array(w + h), 1.0, ci, co))
        - float(ghk_flux_kernel(np.array(w - h), 1.0, ci, co))
    ) / (2 * h)
    assert dw == pytest.approx(fd_w, rel=1e-6, abs=1e-7 * (ci + co))
    # F is linear in ci: the difference quotient is exact but for rounding of F itself.
    hc = 1e-2 * ci
    fd_c = (
        float(ghk_flux_kernel(np.array(w), 1.0, ci + hc, co))
        - float(ghk_flux_kernel(np.array(w), 1.0, ci - hc, co))
    ) / (2 * hc)
    assert dci == pytest.approx(fd_c, rel=1e-9, abs=1e-14 * (ci + co) * (1 + abs(w)) / hc)


@given(
    u=st.floats(-8, 8),
    na_i=st.floats(0.1, 100),
    k_o=st.floats(0.1, 20),
    na_o=st.floats(10, 200),
    hill=st.floats(1.0, 3.0),
    vdep=st.booleans(),
)
def test_scalar_pump_current_is_the_luo_rudy_body(u, na_i, k_o, na_o, hill, vdep):
    args = (10.0, 1.5, hill, vdep)  # km_na, km_k
    expected = float(_luo_rudy(u, na_i, k_o, na_o, 2.0, *args))
    scale = 2.0 * k_o / (k_o + 1.5)
    sigma = math.expm1(na_o / 67.3) / 7.0
    assert _luo_rudy_float(u, na_i, scale, sigma, 10.0, hill, vdep) == pytest.approx(
        expected, rel=1e-13
    )
    # the scalar form is generated from the one body: its NumPy run to rounding (math's exp
    # against NumPy's, which differ in the last bit for some arguments on AVX-512 machines;
    # the pump rate has no cancelling difference, so a relative tolerance of a few ulp)
    body = _luo_rudy_body(
        np, np.float64(u), np.float64(na_i), np.float64(scale), np.float64(sigma), 10.0, hill, vdep
    )
    assert _luo_rudy_float(u, na_i, scale, sigma, 10.0, hill, vdep) == pytest.approx(
        float(body), rel=8 * np.finfo(float).eps, abs=0
    )
    d_u, d_na = _luo_rudy_float_derivatives(u, na_i, scale, sigma, 10.0, hill, vdep)
    h = 1e-6
    fd_u = (
        float(_luo_rudy(u + h, na_i, k_o, na_o, 2.0, *args))
        - float(_luo_rudy(u - h, na_i, k_o, na_o, 2.0, *args))
    ) / (2 * h)
    hn = 1e-6 * na_i
    fd_na = (
        float(_luo_rudy(u, na_i + hn, k_o, na_o, 2.0, *args))
        - float(_luo_rudy(u, na_i - hn, k_o, na_o, 2.0, *args))
    ) / (2 * hn)
    assert d_u == pytest.approx(fd_u, rel=1e-6, abs=1e-12)
    assert d_na == pytest.approx(fd_na, rel=1e-6, abs=1e-12)


# ------------------------------------- pump currents in mA/cm^2 (issue 10), old spellings


def test_pump_currents_are_in_mA_per_cm2_like_ghk_current():
    # The pump current of the model is sodium_pump_current (mA/cm^2) at the run's state.
    ss = pump_leak_steady_state(NEURON)
    expected = sodium_pump_current(
        v_m=ss.V, na_in=ss.c_in["Na+"], k_out=5.0, na_out=145.0, i_max=ss.pump_max_mA_cm2
    )
    assert ss.pump_current_mA_cm2 == pytest.approx(expected, rel=1e-10)
    # A mammalian neuron's pump current is of order 1e-4 mA/cm^2 (0.1 uA/cm^2).
    assert 1e-5 < ss.pump_current_mA_cm2 < 1e-2
    run = simulate(NEURON, model="pump-leak", until=1.0)
    assert run.pump_current_mA_cm2[0] == pytest.approx(expected, rel=1e-9)
    assert run.pump_max_mA_cm2 == pytest.approx(ss.pump_max_mA_cm2, rel=1e-12)
    d = run.to_dict()
    assert d["final"]["pump_current_mA_cm2"] == pytest.approx(expected, rel=1e-9)
    assert d["units"]["pump_current"].startswith("mA/cm^2")
    assert "pump_current_mA_cm2" in run.columns() and "pump_current_uA_cm2" not in run.columns()
    assert ss.to_dict()["pump_max_mA_cm2"] == ss.pump_max_mA_cm2


def test_old_pump_spellings_warn_and_keep_their_unit():
    ss = pump_leak_steady_state(NEURON)
    run = simulate(NEURON, model="pump-leak", until=1.0)
    with pytest.warns(NernstDeprecationWarning, match="pump_current_mA_cm2"):
        assert ss.pump_current == pytest.approx(1e3 * ss.pump_current_mA_cm2, rel=1e-15)
    with pytest.warns(NernstDeprecationWarning, match="pump_max_mA_cm2"):
        assert ss.pump_max == pytest.approx(1e3 * ss.pump_max_mA_cm2, rel=1e-15)
    with pytest.warns(NernstDeprecationWarning, match="pump_current_mA_cm2"):
        assert np.allclose(run.pump_current, 1e3 * run.pump_current_mA_cm2, rtol=1e-15)
    with pytest.warns(NernstDeprecationWarning, match="pump_max_mA_cm2"):
        assert run.pump_max == pytest.approx(1e3 * run.pump_max_mA_cm2, rel=1e-15)
    # The old export keys stay for one release, in their old unit, and say so.
    d = ss.to_dict()
    assert d["pump_current_uA_cm2"] == pytest.approx(1e3 * d["pump_current_mA_cm2"], rel=1e-15)
    assert "pump_current_mA_cm2" in d["deprecated_keys"]["pump_current_uA_cm2"]
    f = run.final()
    assert f["pump_current_uA_cm2"] == pytest.approx(1e3 * f["pump_current_mA_cm2"], rel=1e-15)
    # NaKPump(i_max=...) in uA/cm^2 is NaKPump(i_max_mA_cm2=... / 1000).
    uA = 1e3 * ss.pump_max_mA_cm2
    with pytest.warns(NernstDeprecationWarning, match="i_max_mA_cm2"):
        old = NaKPump(i_max=uA)
    assert old == NaKPump(i_max_mA_cm2=uA / 1e3)
    with pytest.warns(NernstDeprecationWarning, match="i_max_mA_cm2"):
        assert old.i_max == pytest.approx(uA, rel=1e-15)
    with pytest.warns(NernstDeprecationWarning, match="positional"):
        assert NaKPump(uA, 10.0) == old
    with pytest.raises(TypeError, match="i_max_mA_cm2"):
        NaKPump(i_max=1.0, i_max_mA_cm2=1e-3)
    new = pump_leak_steady_state(NEURON, pump=NaKPump(i_max_mA_cm2=ss.pump_max_mA_cm2))
    assert new.V == pytest.approx(ss.V, abs=1e-9)


def test_pump_perturbation_takes_a_current_with_its_unit():
    ma = parse_perturbation("pump=1.5e-3mA/cm2")
    ua = parse_perturbation("pump=1.5uA/cm^2")
    assert ma.value == pytest.approx(1.5e-3, rel=1e-15)
    assert ua.value == pytest.approx(1.5e-3, rel=1e-15)
    with pytest.warns(NernstDeprecationWarning, match="mA/cm2"):
        bare = parse_perturbation("pump=1.5")  # the old form, uA/cm^2
    assert bare.value == pytest.approx(1.5e-3, rel=1e-15)
    with pytest.raises(ValueError, match=r"pump=1\.5e-3mA/cm2"):
        parse_perturbation("pump=1.5A/m2")
    # Setting the steady-state pump maximum again leaves the steady state unchanged.
    ss = pump_leak_steady_state(NEURON)
    again = pump_leak_steady_state(NEURON, perturb=[f"pump={ss.pump_max_mA_cm2!r}mA/cm2"])
    assert again.V == pytest.approx(ss.V, abs=1e-9)


@pytest.mark.parametrize("kind", sorted(MODELS_))
def test_lean_lsoda_driver_takes_solve_ivps_steps_to_the_last_bit(kind):
    # simulate() drives LSODA step by step itself (solve_ivp's bookkeeping costs more than
    # the steps on four ions); the steps must be exactly those of solve_ivp(method="LSODA").
    from scipy.integrate import solve_ivp

    from nernst.dynamics.solvers import _lsoda_steps

    m = MODELS_[kind]
    y0 = np.zeros(len(m.ions))
    y0[m.pivot] = 3.0  # start 3 mV off the model's reference potential
    k = m.kernel
    t, y, _ = _lsoda_steps(k.fun, k.jac, 0.0, 50.0, y0, rtol=1e-9, atol=1e-7)
    ref = solve_ivp(k.fun, (0.0, 50.0), y0, method="LSODA", rtol=1e-9, atol=1e-7, jac=k.jac)
    assert np.array_equal(t, ref.t)
    assert np.array_equal(y, ref.y)


def test_direct_absolute_pump_perturbation_warns_of_its_new_unit():
    # The unit of an absolute pump value moved from uA/cm^2 to mA/cm^2 (issue 10): a
    # Perturbation built directly says so; the parser's text form (with its unit) does not.
    import warnings as _w

    from nernst._deprecate import NernstDeprecationWarning
    from nernst.dynamics import Perturbation, parse_perturbation

    with pytest.warns(NernstDeprecationWarning, match="mA/cm\\^2"):
        Perturbation("pump", None, 1.5e-3, False, at=1.0)
    with _w.catch_warnings():
        _w.simplefilter("error")
        p = parse_perturbation("pump=1.5uA/cm2@1s")
        Perturbation("pump", None, 0.5, True, at=1.0)
    assert p.value == pytest.approx(1.5e-3)
