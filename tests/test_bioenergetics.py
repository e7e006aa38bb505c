"""Bioenergetics: proton-motive force, ATP synthase, ATP hydrolysis, the Na+/K+-ATPase, and
the plant/microbe transport analysis (nernst.energetics), with the CLI commands pmf, pump and
transport.

Expected numbers come from a cited publication or from arithmetic written in the test with
CODATA 2018 exact constants: R = 8.314462618 J/(mol K), F = 96485.33212 C/mol, so
RT/F = 26.7267 mV at 37 C (310.15 K) and 25.6926 mV at 25 C (298.15 K); ln(10) RT/F is then
61.540 and 59.159 mV per decade (or per pH unit).
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import nernst
from nernst._deprecate import NernstDeprecationWarning
from nernst.bioenergetics import (
    ATP_HYDROLYSIS_DG0_PRIME,
    atp_hydrolysis_free_energy,
    atp_synthase_protons,
    proton_free_energy,
    proton_motive_force,
)
from nernst.cli import app
from nernst.energetics import (
    equilibrium_internal_concentration,
    transport_analysis,
    transport_verdict,
)
from nernst.pump import (
    sodium_pump_free_energy,
    sodium_pump_is_possible,
    sodium_pump_margin,
    sodium_pump_reversal_potential,
)

R = 1.380649e-23 * 6.02214076e23  # CODATA 2018 exact, J/(mol K)
F = 1.602176634e-19 * 6.02214076e23  # C/mol
LN10 = math.log(10)


def rt(celsius: float) -> float:
    return R * (celsius + 273.15)  # J/mol


def per_decade_mV(celsius: float) -> float:
    return LN10 * rt(celsius) / F * 1e3  # 61.540 mV at 37 C, 59.159 mV at 25 C


NEURON = {"na_in": 10.0, "na_out": 145.0, "k_in": 140.0, "k_out": 5.0}  # mammalian-neuron preset

# -- proton-motive force --------------------------------------------------------------------


def test_pmf_mitochondrial_worked_example():
    # delta_psi = -160 mV (matrix negative), delta_pH = +0.7 (matrix alkaline), 37 C:
    # pmf = -160 - 61.540 x 0.7 = -160 - 43.078 = -203.078 mV.
    expected = -160 - per_decade_mV(37) * 0.7
    assert proton_motive_force(v_m=-160, delta_ph=0.7) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(-203.08, abs=0.01)


def test_pmf_mitochondria_published_range():
    # Nicholls & Ferguson (2013) Bioenergetics 4, ch. 4: respiring mitochondria have
    # delta_psi of 150-180 mV (matrix negative) and delta_pH of 0.5-0.8 units (matrix
    # alkaline), so |delta p| is about 200 mV (roughly 180-230 mV over those ranges).
    psi = np.array([-150.0, -180.0])[:, None]
    dph = np.array([0.5, 0.8])[None, :]
    pmf = proton_motive_force(v_m=psi, delta_ph=dph)
    assert pmf.shape == (2, 2)
    assert np.all((pmf < -175) & (pmf > -235))
    mid = proton_motive_force(v_m=-165, delta_ph=0.65)
    assert abs(mid) == pytest.approx(200, abs=10)


def test_pmf_59_mV_per_pH_unit_at_25C():
    # Nicholls & Ferguson, Bioenergetics 4, ch. 4: delta p = delta psi - 59 delta pH (mV, 25 C).
    assert proton_motive_force(v_m=0, delta_ph=1, celsius=25) == pytest.approx(-59, abs=0.2)


def test_pmf_chloroplast_thylakoid():
    # Thylakoid in the light: stroma (N side, "in") pH 8, lumen (P side) pH 5, delta_pH = +3,
    # small delta_psi (here -10 mV, lumen positive), 25 C (Nicholls & Ferguson, ch. 6):
    # pmf = -10 - 59.159 x 3 = -187.48 mV, about 95 % of it from delta pH.
    pmf = proton_motive_force(v_m=-10, delta_ph=3, celsius=25)
    assert pmf == pytest.approx(-10 - 3 * per_decade_mV(25), rel=1e-12)
    assert pmf == pytest.approx(-187.5, abs=0.1)


def test_pmf_plant_plasma_membrane():
    # Plant plasma membrane (Taiz & Zeiger, Plant Physiology, ch. 6): V_m about -150 mV,
    # cytosol pH 7.5 vs apoplast pH 5.5 -> delta_pH = +2; at 25 C:
    # pmf = -150 - 2 x 59.159 = -268.32 mV.
    pmf = proton_motive_force(v_m=-150, delta_ph=7.5 - 5.5, celsius=25)
    assert pmf == pytest.approx(-150 - 2 * per_decade_mV(25), rel=1e-12)
    assert pmf == pytest.approx(-268.3, abs=0.1)


def test_proton_free_energy_is_F_times_pmf():
    # F x (-203.078 mV) = 96485.33 x -0.203078 = -19594 J/mol.
    dG = proton_free_energy(v_m=-160, delta_ph=0.7)
    assert dG == pytest.approx(F * (-160 - per_decade_mV(37) * 0.7) * 1e-3, rel=1e-12)
    assert dG == pytest.approx(-19594, abs=1)


@given(
    psi=st.floats(-300, 200),
    ph_in=st.floats(4.0, 9.0),
    ph_out=st.floats(4.0, 9.0),
    celsius=st.floats(0, 45),
)
def test_proton_free_energy_is_transport_free_energy_of_H(psi, ph_in, ph_out, celsius):
    # The same law as transport_free_energy for H+ moving out -> in, with [H+] = 1000 x 10^-pH.
    dG = proton_free_energy(v_m=psi, delta_ph=ph_in - ph_out, celsius=celsius)
    ref = nernst.transport_free_energy(
        "H+",
        c_from=1e3 * 10**-ph_out,
        c_to=1e3 * 10**-ph_in,
        v_from=0.0,
        v_to=psi,
        celsius=celsius,
    )
    assert dG == pytest.approx(ref, rel=1e-9, abs=1e-6)


@given(psi=st.floats(-300, 300), dph=st.floats(-5, 5), celsius=st.floats(0, 45))
def test_pmf_is_linear_and_antisymmetric(psi, dph, celsius):
    both = proton_motive_force(v_m=psi, delta_ph=dph, celsius=celsius)
    electrical = proton_motive_force(v_m=psi, delta_ph=0.0, celsius=celsius)
    chemical = proton_motive_force(v_m=0.0, delta_ph=dph, celsius=celsius)
    assert electrical == psi
    assert both == pytest.approx(electrical + chemical, abs=1e-9)
    # Swapping which side is "in" negates the pmf.
    swapped = proton_motive_force(v_m=-psi, delta_ph=-dph, celsius=celsius)
    assert swapped == pytest.approx(-both, abs=1e-9)


def test_pmf_scalar_and_array_shapes():
    assert isinstance(proton_motive_force(v_m=-150, delta_ph=0.5), float)
    psi = np.linspace(-180, -150, 6).reshape(2, 3)
    out = proton_motive_force(v_m=psi, delta_ph=0.5)
    assert out.shape == (2, 3)
    flat = [proton_motive_force(v_m=p, delta_ph=0.5) for p in psi.ravel()]
    np.testing.assert_allclose(out.ravel(), flat, rtol=1e-14)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"v_m": float("nan"), "delta_ph": 0.5}, "v_m=nan"),
        ({"v_m": -150, "delta_ph": float("inf")}, "delta_ph"),
        ({"v_m": -150, "delta_ph": 0.5, "celsius": 310.15}, "Kelvin"),
        ({"v_m": [-150, -160], "delta_ph": [0.5, 0.6, 0.7]}, "broadcast"),
    ],
)
def test_pmf_bad_input(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        proton_motive_force(**kwargs)


# -- ATP synthase ---------------------------------------------------------------------------


def test_atp_synthase_protons_at_200_mV():
    # n_min = |dG_ATP| / (F |pmf|): 55 kJ/mol / (96485.33 x 0.200 V = 19297 J/mol) = 2.850.
    n = atp_synthase_protons(dg_atp=-55e3, pmf=-200)
    assert n == pytest.approx(55e3 / (F * 0.200), rel=1e-12)
    assert n == pytest.approx(2.850, abs=1e-3)
    # Cells: dG_ATP -50 to -60 kJ/mol (Nicholls & Ferguson ch. 3) -> 2.59 to 3.11 H+/ATP.
    lo, hi = atp_synthase_protons(dg_atp=[-50e3, -60e3], pmf=-200)
    assert lo == pytest.approx(50e3 / (F * 0.2), rel=1e-12)
    assert hi == pytest.approx(60e3 / (F * 0.2), rel=1e-12)


def test_atp_synthase_c8_ring():
    # Watt et al. (2010) PNAS 107:16823: the bovine c8 ring gives 8/3 = 2.7 H+ per ATP. At
    # |pmf| = 200 mV that stoichiometry can sustain |dG_ATP| up to 8/3 x 19.297 = 51.46 kJ/mol.
    dG_max = 8 / 3 * F * 0.200
    assert dG_max == pytest.approx(51.46e3, abs=10)
    assert atp_synthase_protons(dg_atp=-dG_max, pmf=-200) == pytest.approx(8 / 3, rel=1e-12)


def test_atp_synthase_protons_sign_convention_free():
    a = atp_synthase_protons(dg_atp=-55e3, pmf=-200)
    assert atp_synthase_protons(dg_atp=55e3, pmf=200) == a
    assert atp_synthase_protons(dg_atp=-55e3, pmf=200) == a


@given(dG=st.floats(-80e3, -1e3), pmf=st.floats(-300, -10))
def test_atp_synthase_protons_balance_the_energy(dG, pmf):
    n = atp_synthase_protons(dg_atp=dG, pmf=pmf)
    assert n * F * abs(pmf) * 1e-3 == pytest.approx(abs(dG), rel=1e-12)


def test_atp_synthase_protons_bad_input():
    with pytest.raises(ValueError, match="pmf=0"):
        atp_synthase_protons(dg_atp=-55e3, pmf=0)
    with pytest.raises(ValueError, match="dg_atp=nan"):
        atp_synthase_protons(dg_atp=float("nan"), pmf=-200)


# -- the old spellings (deprecated for one release) -------------------------------------------


def test_old_keywords_warn_and_give_the_same_number():
    # Nicholls & Ferguson (2013) Bioenergetics 4, ch. 4: Delta psi = -160 mV, Delta pH = +0.7
    # at 37 C gives Delta p = -160 - 61.54 x 0.7 = -203.08 mV; F Delta p = -19.59 kJ/mol.
    with pytest.warns(NernstDeprecationWarning, match=r"delta_psi=.*v_m="):
        old = proton_motive_force(delta_psi=-160, delta_ph=0.7)
    assert old == proton_motive_force(v_m=-160, delta_ph=0.7)
    assert old == pytest.approx(-203.08, abs=0.01)
    with pytest.warns(NernstDeprecationWarning, match=r"delta_psi=.*v_m="):
        old = proton_free_energy(delta_psi=-160, delta_ph=0.7)
    assert old == proton_free_energy(v_m=-160, delta_ph=0.7)
    assert old == pytest.approx(-19.59e3, abs=10)
    # 55 kJ/mol at |pmf| = 200 mV: 55e3 / (96485.33 x 0.2) = 2.850 H+/ATP.
    with pytest.warns(NernstDeprecationWarning, match=r"delta_g_atp=.*dg_atp="):
        old = atp_synthase_protons(delta_g_atp=-55e3, pmf=-200)
    assert old == atp_synthase_protons(dg_atp=-55e3, pmf=-200)
    assert old == pytest.approx(2.850, abs=1e-3)
    with pytest.raises(TypeError, match="both"):
        proton_motive_force(delta_psi=-160, v_m=-160, delta_ph=0.7)


def test_transport_analysis_old_inside_outside_keywords_warn():
    # Higinbotham et al. (1967) / Taiz & Zeiger Table 6.1: pea root K+ 75 mM in, 1 mM out at
    # -110 mV: Nernst predicts 72.3 mM inside, so the measured/predicted ratio is 1.04.
    with pytest.warns(NernstDeprecationWarning, match=r"transport_analysis\((inside|outside)="):
        old = transport_analysis(v_m=-110, inside={"K+": 75}, outside={"K+": 1}, celsius=25)
    new = transport_analysis(v_m=-110, c_in={"K+": 75}, c_out={"K+": 1}, celsius=25)
    assert old == new
    assert old["K+"].c_in_predicted == pytest.approx(72.3, abs=0.05)


def test_atp_synthase_protons_on_other_array_libraries():
    # 55 kJ/mol at |pmf| = 200 mV: 55e3 / (96485.33 x 0.200) = 2.850 H+/ATP (as above).
    xp = pytest.importorskip("array_api_strict")
    n = atp_synthase_protons(dg_atp=xp.asarray([-55e3, -50e3]), pmf=-200)
    assert type(n).__module__.startswith("array_api_strict")
    np.testing.assert_allclose(np.asarray(n), [55e3 / (F * 0.2), 50e3 / (F * 0.2)], rtol=1e-13)
    with pytest.raises(ValueError, match="pmf=0"):
        atp_synthase_protons(dg_atp=-55e3, pmf=xp.asarray([-200.0, 0.0]))


# -- ATP hydrolysis -------------------------------------------------------------------------


def test_atp_hydrolysis_erythrocyte_lehninger():
    # Nelson & Cox, Lehninger Principles of Biochemistry (5th ed., 2008), ch. 13, worked
    # example "Calculation of Delta G_p": human erythrocyte ATP 2.25, ADP 0.25, Pi 1.65 mM
    # (Table 13-5), 37 C: -30.5 kJ/mol + (8.315)(310) ln(1.83e-4) = -30.5 - 22 = -52 kJ/mol.
    # Exact arithmetic: RT ln(0.25e-3 x 1.65e-3 / 2.25e-3) = 2578.8 x (-8.6044) = -22.188 kJ/mol.
    dG = atp_hydrolysis_free_energy(atp=2.25, adp=0.25, pi=1.65, celsius=37)
    assert dG == pytest.approx(-30.5e3 + rt(37) * math.log(0.25e-3 * 1.65e-3 / 2.25e-3), rel=1e-12)
    assert dG == pytest.approx(-52e3, abs=1e3)  # the book prints the rounded -52 kJ/mol


def test_atp_hydrolysis_standard_state_and_equilibrium():
    # All three at 1 M (1000 mM): the quotient is 1 and dG = dG0' = -30.5 kJ/mol.
    assert ATP_HYDROLYSIS_DG0_PRIME == -30.5e3
    assert atp_hydrolysis_free_energy(atp=1000, adp=1000, pi=1000) == pytest.approx(-30.5e3)
    # At equilibrium the quotient [ADP][Pi]/[ATP] (in M) equals K' = exp(-dG0'/RT) and dG = 0:
    # choose ATP = 1 mM, Pi = 1000 mM (1 M), ADP = K' x 1 mM (in M: K' x 1e-3 x 1 / 1e-3 = K').
    k_eq = math.exp(30.5e3 / rt(25))
    dG = atp_hydrolysis_free_energy(atp=1.0, adp=k_eq * 1.0, pi=1000.0, celsius=25)
    assert dG == pytest.approx(0.0, abs=1e-6)


def test_atp_hydrolysis_tenfold_atp_adp_ratio():
    # Raising [ATP]/[ADP] tenfold makes dG more negative by RT ln 10 = 5.937 kJ/mol at 37 C.
    a = atp_hydrolysis_free_energy(atp=[1.0, 10.0], adp=1.0, pi=5.0)
    assert a[0] - a[1] == pytest.approx(rt(37) * LN10, rel=1e-12)
    assert rt(37) * LN10 == pytest.approx(5937, abs=1)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"atp": 0, "adp": 1, "pi": 1}, "atp"),
        ({"atp": 1, "adp": -1, "pi": 1}, "adp"),
        ({"atp": 1, "adp": 1, "pi": float("nan")}, "pi"),
        ({"atp": 1, "adp": 1, "pi": 1, "delta_g0_prime": float("inf")}, "delta_g0_prime"),
    ],
)
def test_atp_hydrolysis_bad_input(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        atp_hydrolysis_free_energy(**kwargs)


# -- Na+/K+-ATPase --------------------------------------------------------------------------

# Neuron at -70 mV, 37 C, Na+ 10/145, K+ 140/5 mM:
#   per Na+ out: RT ln(145/10) + F x 0.070 = 2578.72 x 2.67415 + 6753.97 = 6895.93 + 6753.97
#              = 13649.9 J/mol
#   per K+ in:   RT ln(140/5) - F x 0.070 = 2578.72 x 3.33220 - 6753.97 = 8592.85 - 6753.97
#              = 1838.9 J/mol
#   per cycle:   3 x 13649.9 + 2 x 1838.9 = 40949.7 + 3677.7 = 44627.4 J/mol
NA_OUT_70 = rt(37) * math.log(145 / 10) + F * 0.070
K_IN_70 = rt(37) * math.log(140 / 5) - F * 0.070
CYCLE_70 = 3 * NA_OUT_70 + 2 * K_IN_70
# Chemical part (V = 0): 3 RT ln 14.5 + 2 RT ln 28 = 20687.8 + 17185.7 = 37873.4 J/mol, so with
# dG_ATP = -55 kJ/mol: V_rev = (-55000 + 37873.4) / 96485.33 = -0.177504 V = -177.50 mV.
CHEM = 3 * rt(37) * math.log(145 / 10) + 2 * rt(37) * math.log(140 / 5)
V_REV_55 = (-55e3 + CHEM) / F * 1e3


def test_sodium_pump_cost_neuron():
    assert NA_OUT_70 == pytest.approx(13650, abs=1)
    assert K_IN_70 == pytest.approx(1839, abs=1)
    cost = sodium_pump_free_energy(v_m=-70, **NEURON)
    assert cost == pytest.approx(CYCLE_70, rel=1e-12)
    assert cost == pytest.approx(44627, abs=1)


def test_sodium_pump_cost_equals_pumping_work_of_each_ion():
    # At -70 mV both ions are moved uphill, so the cycle costs 3 W_Na + 2 W_K (pumping_work).
    W = 3 * nernst.pumping_work("Na+", v_m=-70, c_in=10, c_out=145) + 2 * nernst.pumping_work(
        "K+", v_m=-70, c_in=140, c_out=5
    )
    assert sodium_pump_free_energy(v_m=-70, **NEURON) == pytest.approx(W, rel=1e-12)


def test_sodium_pump_one_net_charge_out():
    # d(cost)/dV = -F: each cycle carries one positive charge out (3 Na+ out, 2 K+ in).
    v = np.array([-100.0, -99.0])
    c = sodium_pump_free_energy(v_m=v, **NEURON)
    assert c[1] - c[0] == pytest.approx(-F * 1e-3, rel=1e-9)


def test_sodium_pump_reversal_potential():
    assert V_REV_55 == pytest.approx(-177.50, abs=0.01)
    v_rev = sodium_pump_reversal_potential(dg_atp=-55e3, **NEURON)
    assert v_rev == pytest.approx(V_REV_55, rel=1e-12)
    # At V_rev the whole cycle is at equilibrium: cost + dG_ATP = 0.
    cost = sodium_pump_free_energy(v_m=v_rev, **NEURON)
    assert cost - 55e3 == pytest.approx(0, abs=1e-6)
    # Far below any resting potential (-60 to -90 mV): the pump always runs forward in cells.
    assert v_rev < -150


def test_sodium_pump_margin_and_possibility():
    # Margin at -70 mV: 55000 - 44627.4 = 10372.6 J/mol = F (V_m - V_rev).
    m = sodium_pump_margin(v_m=-70, dg_atp=-55e3, **NEURON)
    assert m == pytest.approx(55e3 - CYCLE_70, rel=1e-12)
    assert m == pytest.approx(F * (-70 - V_REV_55) * 1e-3, rel=1e-9)
    assert sodium_pump_is_possible(v_m=-70, dg_atp=-55e3, **NEURON) is True
    ok = sodium_pump_is_possible(v_m=[V_REV_55 - 0.01, V_REV_55 + 0.01], dg_atp=-55e3, **NEURON)
    assert ok.tolist() == [False, True]
    # A run-down ATP supply (dG_ATP = -40 kJ/mol) cannot pay the 44.6 kJ/mol cost at -70 mV.
    assert not sodium_pump_is_possible(v_m=-70, dg_atp=-40e3, **NEURON)


@given(
    v=st.floats(-250, 50),
    dg=st.floats(-70e3, -30e3),
    na_in=st.floats(1, 50),
    k_out=st.floats(1, 20),
    celsius=st.floats(0, 40),
)
def test_sodium_pump_margin_is_F_times_distance_to_reversal(v, dg, na_in, k_out, celsius):
    conc = {"na_in": na_in, "na_out": 145.0, "k_in": 140.0, "k_out": k_out}
    m = sodium_pump_margin(v_m=v, dg_atp=dg, celsius=celsius, **conc)
    v_rev = sodium_pump_reversal_potential(dg_atp=dg, celsius=celsius, **conc)
    assert m == pytest.approx(F * (v - v_rev) * 1e-3, rel=1e-9, abs=1e-6)


def test_sodium_pump_thermodynamics_on_other_array_libraries():
    # The same bodies run on Array API arrays: the neuron at -70 mV with dG_ATP = -55 kJ/mol
    # (Na+ 10/145, K+ 140/5 mM): cost 3 x 13.65 + 2 x 1.84 = 44.6 kJ/mol (Nicholls &
    # Ferguson 2013, ch. 3), margin 10.4 kJ/mol, reversal near -177.5 mV.
    xp = pytest.importorskip("array_api_strict")
    v = xp.asarray([-70.0, -200.0])
    kw = {"na_in": xp.asarray([10.0, 10.0]), "na_out": 145.0, "k_in": 140.0, "k_out": 5.0}
    cost = sodium_pump_free_energy(v_m=v, **kw)
    margin = sodium_pump_margin(v_m=v, dg_atp=-55e3, **kw)
    possible = sodium_pump_is_possible(v_m=v, dg_atp=-55e3, **kw)
    v_rev = sodium_pump_reversal_potential(dg_atp=-55e3, **kw)
    for value in (cost, margin, possible, v_rev):
        assert type(value).__module__.startswith("array_api_strict")
    np.testing.assert_allclose(
        np.asarray(cost), sodium_pump_free_energy(v_m=[-70.0, -200.0], **NEURON), rtol=1e-13
    )
    assert np.asarray(cost)[0] / 1e3 == pytest.approx(44.6, abs=0.05)
    assert np.asarray(margin)[0] / 1e3 == pytest.approx(10.37, abs=0.01)
    assert np.asarray(possible).tolist() == [True, False]
    assert np.asarray(v_rev)[0] == pytest.approx(-177.5, abs=0.05)
    with pytest.raises(ValueError, match="did you mean dg_atp=-55000"):
        sodium_pump_margin(v_m=v, dg_atp=xp.asarray([55e3, -55e3]), **kw)
    with pytest.raises(ValueError, match=r"na_in=-1"):
        sodium_pump_free_energy(v_m=v, **{**kw, "na_in": xp.asarray([10.0, -1.0])})


def test_sodium_pump_temperature_enters_through_RT():
    # At 20 C: V_rev = (-55000 + 3 RT ln 14.5 + 2 RT ln 28) / F with T = 293.15 K.
    expected = (-55e3 + 3 * rt(20) * math.log(14.5) + 2 * rt(20) * math.log(28)) / F * 1e3
    v_rev = sodium_pump_reversal_potential(dg_atp=-55e3, celsius=20, **NEURON)
    assert v_rev == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"dg_atp": 55e3}, "did you mean dg_atp=-55000"),
        ({"dg_atp": float("nan")}, "dg_atp"),
        ({"dg_atp": -55e3, "na_in": 0}, "na_in"),
        ({"dg_atp": -55e3, "k_out": -5}, "k_out"),
    ],
)
def test_sodium_pump_bad_input(kwargs, pattern):
    args = {**NEURON, **kwargs}
    with pytest.raises(ValueError, match=pattern):
        sodium_pump_reversal_potential(**args)
    with pytest.raises(ValueError, match=pattern):
        sodium_pump_margin(v_m=-70, **args)


# -- plant / microbe transport analysis -----------------------------------------------------

# Higinbotham, Etherton & Foster (1967) Plant Physiol. 42:37-46, pea root at V_m = -110 mV in
# the 1x nutrient solution, as tabulated in Taiz & Zeiger, Plant Physiology, Table 6.1:
# ion: (z, external mM, Nernst-predicted internal mM, observed internal mM).
PEA_ROOT = {
    "K+": (1, 1.0, 74, 75),
    "Na+": (1, 1.0, 74, 8),
    "Mg2+": (2, 0.25, 1340, 3),
    "Ca2+": (2, 1.0, 5360, 2),
    "NO3-": (-1, 2.0, 0.0272, 28),
    "Cl-": (-1, 1.0, 0.0136, 7),
    "H2PO4-": (-1, 1.0, 0.0136, 21),
    "SO4 2-": (-2, 0.25, 0.00005, 19),
}
PEA_INSIDE = {ion: row[3] for ion, row in PEA_ROOT.items()}
PEA_OUTSIDE = {ion: row[1] for ion, row in PEA_ROOT.items()}

# Which temperature did the table use? The divalent entries pin it: 5360 = 10^(2 x 110 / s)
# gives s = 220 / log10(5360) = 59.00 mV per decade, the textbook's 25 C rounding of the
# Nernst slope (Taiz & Zeiger write E = 59 mV log(c_o/c_i)). With exact constants
# 59.00 mV/decade is T = 0.059 F / (R ln 10) = 297.35 K = 24.20 C. At that slope K+ (and Na+)
# comes out at 10^(110/59) = 73.2 mM where the table prints 74 (its monovalent anion entries,
# 2/0.0272 = 1/0.0136 = 73.5, show the same rounding of the factor to 73.5-74); at exactly
# 25 C (59.16 mV/decade) K+ would be 72.3 mM.
TABLE_CELSIUS = 0.059 * F / (R * LN10) - 273.15


def test_pea_root_table_temperature():
    assert 220 / math.log10(5360) == pytest.approx(59.00, abs=0.01)
    assert TABLE_CELSIUS == pytest.approx(24.20, abs=0.01)
    assert 10 ** (110 / 59) == pytest.approx(73.2, abs=0.05)


@pytest.mark.parametrize("ion", list(PEA_ROOT))
def test_pea_root_predicted_concentrations_taiz_zeiger(ion):
    z, c_out, printed, _ = PEA_ROOT[ion]
    pred = equilibrium_internal_concentration(ion, v_m=-110, c_out=c_out, celsius=TABLE_CELSIUS)
    # Independent arithmetic at 59 mV per decade: c_out x 10^(-z (-110) / 59).
    assert pred == pytest.approx(c_out * 10 ** (z * 110 / 59), rel=1e-9)
    if ion == "SO4 2-":
        assert 0.000045 <= pred < 0.000055  # printed to one significant figure, 0.00005
    else:
        # Within the table's rounding (74 vs 73.2 for the monovalent cations: 1.2 %).
        assert pred == pytest.approx(printed, rel=0.012)
    # At exactly 25 C every printed prediction is still within 3 %.
    at_25 = equilibrium_internal_concentration(ion, v_m=-110, c_out=c_out, celsius=25)
    if ion != "SO4 2-":
        assert at_25 == pytest.approx(printed, rel=0.03)


def test_pea_root_verdicts_only_potassium_passive():
    # Higinbotham et al. (1967): "Only K+ approached a reasonable fit to the Nernst equation"
    # (at the 1x concentration); cations other than K+ are below their Nernst prediction
    # (actively extruded), anions far above it (actively taken up).
    a = transport_analysis(v_m=-110, c_in=PEA_INSIDE, c_out=PEA_OUTSIDE, celsius=25)
    assert a.verdicts() == {
        "K+": "passive",
        "Na+": "active extrusion",
        "Mg2+": "active extrusion",
        "Ca2+": "active extrusion",
        "NO3-": "active uptake",
        "Cl-": "active uptake",
        "H2PO4-": "active uptake",
        "SO4 2-": "active uptake",
    }
    # K+: 75 measured vs 1 x exp(110 / 25.6926) = 72.34 predicted -> ratio 1.037, and
    # E_K = -25.6926 ln 75 = -110.93 mV, so V - E = +0.93 mV (within the 1 mV tolerance).
    k = a["K+"]
    vt = rt(25) / F * 1e3
    assert k.c_in_predicted == pytest.approx(math.exp(110 / vt), rel=1e-12)
    assert k.ratio == pytest.approx(75 / math.exp(110 / vt), rel=1e-12)
    assert k.E == pytest.approx(-vt * math.log(75), rel=1e-12)
    assert k.driving_force == pytest.approx(-110 + vt * math.log(75), rel=1e-9)
    # Na+: 8 / 72.34 = 0.111 of the passive prediction.
    assert a["sodium"].ratio == pytest.approx(8 / math.exp(110 / vt), rel=1e-12)


def test_pea_root_preset_matches_the_published_table():
    cell = nernst.Cell.preset("plant-root-cell")
    assert cell.v_m == -110
    assert cell.inside == pytest.approx(PEA_INSIDE)
    assert cell.outside == pytest.approx(PEA_OUTSIDE)
    a = transport_analysis(v_m=cell.v_m, c_in=cell.inside, c_out=cell.outside, celsius=cell.celsius)
    assert [ion for ion, v in a.verdicts().items() if v == "passive"] == ["K+"]


@pytest.mark.parametrize("name", sorted(nernst.presets()))
def test_transport_verdicts_agree_with_cell_report(name):
    # The same Nernst criterion as Cell.report (same V_m, same tolerance).
    cell = nernst.Cell.preset(name)
    report = cell.report()
    a = transport_analysis(
        v_m=report.v_m, c_in=cell.inside, c_out=cell.outside, celsius=cell.celsius
    )
    assert a.verdicts() == {row.ion: row.verdict for row in report.ions}


@given(
    z=st.sampled_from([-2, -1, 1, 2, 3]),
    v=st.floats(-250, 150),
    c_out=st.floats(1e-3, 1e3),
    celsius=st.floats(0, 45),
)
def test_equilibrium_internal_concentration_inverts_nernst(z, v, c_out, celsius):
    c_in = equilibrium_internal_concentration(z, v_m=v, c_out=c_out, celsius=celsius)
    E = nernst.equilibrium_potential(z, c_in=c_in, c_out=c_out, celsius=celsius)
    assert E == pytest.approx(v, abs=1e-9)


@given(c_in=st.floats(1e-3, 1e3), v=st.floats(-200, 100), celsius=st.floats(0, 45))
def test_ratio_is_exp_z_driving_force(c_in, v, celsius):
    a = transport_analysis(
        v_m=v,
        c_in={"Ca2+": c_in, "Cl-": c_in},
        c_out={"Ca2+": 2.0, "Cl-": 100.0},
        celsius=celsius,
    )
    vt = rt(celsius) / F * 1e3
    for row in a:
        assert row.ratio == pytest.approx(math.exp(row.charge * row.driving_force / vt), rel=1e-9)
        passive = abs(row.driving_force) <= 1.0
        assert (row.verdict == "passive") == passive
        if not passive:
            assert row.verdict == ("active uptake" if row.ratio > 1 else "active extrusion")


def test_nernst_prediction_and_active_criterion_on_other_array_libraries():
    # Pea root at -110 mV, 25 C, 1 mM K+ outside: 72.3 mM inside at equilibrium (Taiz &
    # Zeiger Table 6.1; Higinbotham et al. 1967); Na+ 10/145 at -70 mV is far from E_Na.
    xp = pytest.importorskip("array_api_strict")
    c = equilibrium_internal_concentration(
        "K+", v_m=xp.asarray([-110.0, 0.0]), c_out=1.0, celsius=25
    )
    assert type(c).__module__.startswith("array_api_strict")
    np.testing.assert_allclose(np.asarray(c), [72.34, 1.0], rtol=1e-3)
    with pytest.raises(ValueError, match="beyond the range of a float"):
        equilibrium_internal_concentration("K+", v_m=xp.asarray([-110.0, -1e6]), c_out=1.0)
    active = nernst.needs_active_transport(
        "Na+", v_m=xp.asarray([-70.0, 71.5]), c_in=10, c_out=145, tolerance=1.0
    )
    assert np.asarray(active).tolist() == [True, False]  # E_Na = +71.5 mV at 37 C


def test_transport_verdict_vectorised():
    v = np.array([[-100.0, -89.06], [-70.0, 0.0]])
    out = transport_verdict("K+", v_m=v, c_in=140, c_out=5)
    assert out.shape == (2, 2)
    # E_K = -89.06 mV: below it K+ leaks in (extrude), above it leaks out (take up).
    assert out.tolist() == [
        ["active extrusion", "passive"],
        ["active uptake", "active uptake"],
    ]
    assert transport_verdict("K+", v_m=-70, c_in=140, c_out=5, tolerance=20) == "passive"


def test_transport_analysis_outputs():
    a = transport_analysis(v_m=-110, c_in=PEA_INSIDE, c_out=PEA_OUTSIDE, celsius=25)
    assert len(a) == 8 and a.symbols[0] == "K+"
    data = json.loads(json.dumps(a.to_dict()))
    assert data["v_m"] == -110 and data["units"]["concentration"] == "mM"
    assert data["ions"][1]["ion"] == "Na+" and data["ions"][1]["verdict"] == "active extrusion"
    text = str(a)
    assert "active uptake" in text and "SO4 2-" in text
    with pytest.raises(KeyError, match="Li\\+"):
        a["Li+"]


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        (
            {"c_in": {"K+": 75, "Na+": 8}, "c_out": {"K+": 1}},
            "Na\\+ has a concentration in c_in but none in c_out",
        ),
        ({"c_in": {"K+": 75}, "c_out": {"K+": 1, "Cl-": 1}}, "Cl- has a concentration in c_out"),
        ({"c_in": {"K+": 75, "K": 70}, "c_out": {"K+": 1}}, "names K\\+ twice"),
        ({"c_in": {"K+": 0}, "c_out": {"K+": 1}}, "c_in\\[K\\+\\]"),
        ({"c_in": {"Xy+": 1}, "c_out": {"Xy+": 1}}, "unknown ion"),
        ({"c_in": {}, "c_out": {}}, "non-empty"),
        ({"v_m": [-110, -100]}, "one finite membrane potential"),
        ({"v_m": float("nan")}, "one finite membrane potential"),
        ({"celsius": 300}, "Kelvin"),
        ({"tolerance": -1}, "tolerance"),
    ],
)
def test_transport_analysis_bad_input(kwargs, pattern):
    args = {"v_m": -110, "c_in": {"K+": 75}, "c_out": {"K+": 1}, "celsius": 25, **kwargs}
    with pytest.raises(ValueError, match=pattern):
        transport_analysis(**args)


# -- CLI ------------------------------------------------------------------------------------

runner = CliRunner()


def run(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def bad(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_cli_pmf_text_json_explain():
    expected = -160 - per_decade_mV(37) * 0.7  # -203.08 mV
    text = ok("pmf", "--delta-psi", "-160", "--delta-ph", "0.7")
    assert "pmf = -203.1 mV" in text
    assert "-19.59 kJ/mol" in text
    data = json.loads(ok("pmf", "--delta-psi", "-160", "--delta-ph", "0.7", "--json"))
    assert data["pmf_mV"] == pytest.approx(expected, rel=1e-12)
    assert data["proton_free_energy_J_per_mol"] == pytest.approx(F * expected * 1e-3, rel=1e-12)
    assert "N side" in data["convention"]
    explained = ok(
        "pmf", "--delta-psi", "-160", "--delta-ph", "0.7", "--dg-atp", "-55000", "--explain"
    )
    assert "61.5404 mV per pH unit" in explained
    assert "= 2.807" in explained  # 55000 / 19594 = 2.807 H+ per ATP
    assert explained.strip().splitlines()[-1] == "pmf = -203.1 mV"
    data = json.loads(
        ok(
            "pmf",
            "--delta-psi=-150",
            "--delta-ph=2",
            "-t",
            "25",
            "--dg-atp=-55000",
            "--json",
            "--explain",
        )
    )
    assert data["pmf_mV"] == pytest.approx(-150 - 2 * per_decade_mV(25), rel=1e-12)
    assert data["min_protons_per_atp"] == pytest.approx(55e3 / (F * -data["pmf_mV"] * 1e-3))
    assert data["explanation"][-1].startswith("pmf = ")


def test_cli_pump():
    text = ok("pump", "--vm", "-70")
    assert "+44.63 kJ/mol" in text  # 44627 J/mol from the arithmetic above
    assert "+10.37 kJ/mol" in text  # 55000 - 44627
    assert "-177.5 mV" in text
    assert "can run forward" in text
    data = json.loads(ok("pump", "--vm", "-200", "--json"))
    assert data["possible"] is False
    assert data["reversal_potential_mV"] == pytest.approx(V_REV_55, rel=1e-12)
    assert data["cost_per_cycle_J_per_mol"] == pytest.approx(
        3 * (rt(37) * math.log(14.5) + F * 0.2) + 2 * (rt(37) * math.log(28) - F * 0.2),
        rel=1e-12,
    )
    data = json.loads(
        ok("pump", "--vm", "-80", "--na-in", "15", "--k-out", "4", "--dg-atp", "-60000", "--json")
    )
    assert data["reversal_potential_mV"] == pytest.approx(
        (-60e3 + 3 * rt(37) * math.log(145 / 15) + 2 * rt(37) * math.log(140 / 4)) / F * 1e3,
        rel=1e-12,
    )


def test_cli_pump_errors():
    # The CLI spells the API's arguments as its options (issue 11).
    assert "did you mean --dg-atp -55000" in bad("pump", "--vm", "-70", "--dg-atp", "55000")
    assert "--na-in 0" in bad("pump", "--vm", "-70", "--na-in", "0")


def test_cli_transport_preset_and_options(tmp_path):
    text = ok("transport", "plant-root-cell")
    assert "Pea root" in text and "-110.0 mV (measured)" in text
    assert text.count("passive") >= 1 and "active extrusion" in text
    data = json.loads(ok("transport", "plant-root-cell", "--json"))
    verdicts = {row["ion"]: row["verdict"] for row in data["ions"]}
    assert [ion for ion, v in verdicts.items() if v == "passive"] == ["K+"]
    assert data["celsius"] == 25 and data["v_m_source"] == "measured"
    # --vm overrides the preset's potential: at -50 mV K+ (E_K = -110.9 mV) is far from passive.
    data = json.loads(ok("transport", "plant-root-cell", "--vm", "-50", "--json"))
    assert data["v_m"] == -50 and data["ions"][0]["verdict"] == "active uptake"
    # Explicit concentrations.
    data = json.loads(
        ok(
            "transport",
            "--vm",
            "-110",
            "--in",
            "K+=75,Na+=8",
            "--out",
            "K+=1,Na+=1",
            "-t",
            "25",
            "--json",
        )
    )
    assert [r["verdict"] for r in data["ions"]] == ["passive", "active extrusion"]
    # A TOML cell file.
    path = tmp_path / "root.toml"
    path.write_text(
        'celsius = 25.0\nv_measured_mV = -110.0\n[inside]\n"K+" = 75.0\n"Cl-" = 7.0\n'
        '[outside]\n"K+" = 1.0\n"Cl-" = 1.0\n'
    )
    data = json.loads(ok("transport", str(path), "--json"))
    assert [r["verdict"] for r in data["ions"]] == ["passive", "active uptake"]


def test_cli_transport_errors():
    assert "missing --vm, --in, --out" in bad("transport")
    assert "not both" in bad("transport", "plant-root-cell", "--in", "K+=1")
    assert "unknown preset" in bad("transport", "no-such-cell")
    assert "missing --out" in bad("transport", "--vm", "-110", "--in", "K+=75")
    assert "Na+ has a concentration in c_in but none in c_out" in bad(
        "transport", "--vm", "-110", "--in", "K+=75,Na+=8", "--out", "K+=1"
    )


@pytest.mark.skipif(shutil.which("nernst") is None, reason="nernst entry point not installed")
def test_entry_point_pump_and_bad_input():
    done = subprocess.run(
        ["nernst", "pump", "--vm", "-70", "--json"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["reversal_potential_mV"] == pytest.approx(V_REV_55, rel=1e-9)
    done = subprocess.run(
        ["nernst", "pmf", "--delta-psi", "nan", "--delta-ph", "0.7"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().startswith("error:") and "--delta-psi" in done.stderr
    assert "Traceback" not in done.stderr
