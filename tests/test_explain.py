"""nernst.explain: every explanation's numbers against published values and the public API.

Expected values come from the cited sources or from arithmetic written here with CODATA 2018
exact constants (R = k_B N_A, F = e N_A); an explanation must never disagree with the
function whose answer it explains.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nernst
from nernst.explain import (
    Explanation,
    explain_equilibrium_potential,
    explain_ghk_voltage,
    explain_junction,
    explain_proton_motive_force,
    explain_transport_analysis,
)

K_B, E, N_A = 1.380649e-23, 1.602176634e-19, 6.02214076e23
F = E * N_A


def vt(celsius: float) -> float:
    """RT/F in mV."""
    return K_B * (celsius + 273.15) / E * 1e3


def step(ex: Explanation, title: str):
    return next(s for s in ex.steps if s.title == title)


def test_nernst_seed_chapter_potassium():
    # Seed chapter (and Hille 2001, ch. 14): K+ 140 mM in, 5 mM out, 37 degC -> -89.1 mV.
    ex = explain_equilibrium_potential("K+", c_in=140, c_out=5, celsius=37)
    assert ex[-1] == "E(K+) = -89.1 mV"
    assert step(ex, "thermal voltage").result == pytest.approx(vt(37), rel=1e-12)
    assert step(ex, "absolute temperature").result == pytest.approx(310.15, abs=1e-12)
    assert step(ex, "ratio out/in").result == pytest.approx(5 / 140, rel=1e-15)
    assert ex.value == pytest.approx(vt(37) * math.log(5 / 140), rel=1e-12)


def test_nernst_seed_chapter_activity_shift():
    # Seed chapter: gamma_in 0.75, gamma_out 0.96 move E_K by +6.60 mV at 37 degC.
    ex = explain_equilibrium_potential(
        "K+", c_in=140, c_out=5, celsius=37, gamma_in=0.75, gamma_out=0.96
    )
    assert step(ex, "outside activity").result == pytest.approx(4.8, rel=1e-15)
    assert step(ex, "inside activity").result == pytest.approx(105.0, rel=1e-15)
    assert ex.value - vt(37) * math.log(5 / 140) == pytest.approx(6.60, abs=0.005)


def test_ghk_seed_chapter_resting_potential():
    # Seed chapter: P_K:P_Na:P_Cl = 1:0.04:0.45, K 140/5, Na 10/145, Cl 10/110, 37 degC:
    # numerator 5 + 0.04 x 145 + 0.45 x 10 = 15.3, denominator 140 + 0.4 + 49.5 = 189.9,
    # V_rest = 26.7267 ln(15.3/189.9) = -67.3 mV.
    ex = explain_ghk_voltage(
        {"K+": 1, "Na+": 0.04, "Cl-": 0.45},
        c_in={"K+": 140, "Na+": 10, "Cl-": 10},
        c_out={"K+": 5, "Na+": 145, "Cl-": 110},
        celsius=37,
    )
    assert step(ex, "numerator").result == pytest.approx(15.3, rel=1e-12)
    assert step(ex, "denominator").result == pytest.approx(189.9, rel=1e-12)
    assert ex.value == pytest.approx(vt(37) * math.log(15.3 / 189.9), rel=1e-12)
    assert ex[-1] == "V_rest = -67.3 mV"


def test_pmf_mitochondrial_worked_example_and_atp_stoichiometry():
    # Nicholls & Ferguson (2013) Bioenergetics 4, ch. 4: delta_psi -160 mV, delta_pH +0.7,
    # 37 degC: pmf = -160 - 61.54 x 0.7 = -203.08 mV. Minimum H+ per ATP at
    # dG_ATP = -55 kJ/mol: 55000 / (F x 0.20308 V) = 2.807.
    ex = explain_proton_motive_force(v_m=-160, delta_ph=0.7, celsius=37, dg_atp=-55e3)
    per_ph = math.log(10) * vt(37)
    assert step(ex, "per pH unit").result == pytest.approx(per_ph, rel=1e-12)
    pmf = -160 - per_ph * 0.7
    assert ex.value == pytest.approx(pmf, rel=1e-12)
    assert pmf == pytest.approx(-203.08, abs=0.01)
    assert step(ex, "free energy per H+").result == pytest.approx(F * pmf / 1e3, rel=1e-12)
    n_min = 55e3 / (F * abs(pmf) / 1e3)
    assert step(ex, "minimum H+ per ATP").result == pytest.approx(n_min, rel=1e-12)
    assert n_min == pytest.approx(2.807, abs=0.001)
    assert ex[-1] == "pmf = -203.1 mV"


def test_junction_explanation_is_the_reports_text():
    # Ng & Barry (1995): NaCl 50 mM pipette against KCl 50 mM bath, about -4.4 mV.
    report = nernst.junction_report({"Na+": 50, "Cl-": 50}, {"K+": 50, "Cl-": 50})
    ex = explain_junction(report)
    assert list(ex) == report.lines()
    assert step(ex, "Henderson").result == report.henderson
    assert ex.value == pytest.approx(-4.4, abs=0.1)


def test_transport_analysis_explanation_predicts_nernst_concentrations():
    # c_in(Nernst) = c_out exp(-z F V_m / RT): K+ 1 mM outside at -110 mV, 37 degC.
    try:
        analysis = nernst.transport_analysis(v_m=-110, c_in={"K+": 75.0}, c_out={"K+": 1.0})
    except TypeError:  # before the c_in/c_out rename of transport_analysis lands
        analysis = nernst.transport_analysis(v_m=-110, inside={"K+": 75.0}, outside={"K+": 1.0})
    ex = explain_transport_analysis(analysis)
    predicted = step(ex, "K+ predicted inside").result
    assert predicted == pytest.approx(math.exp(110 / vt(37)), rel=1e-12)
    assert ex[-1] == "K+: active uptake"


@given(
    c_in=st.floats(min_value=1e-4, max_value=1e3),
    c_out=st.floats(min_value=1e-4, max_value=1e3),
    ion=st.sampled_from(["K+", "Na+", "Cl-", "Ca2+", "Mg2+"]),
    celsius=st.floats(min_value=0.0, max_value=45.0),
)
@settings(deadline=None)
def test_explanations_never_disagree_with_the_function(c_in, c_out, ion, celsius):
    ex = explain_equilibrium_potential(ion, c_in=c_in, c_out=c_out, celsius=celsius)
    assert ex.value == nernst.equilibrium_potential(ion, c_in=c_in, c_out=c_out, celsius=celsius)
    assert ex[-1] == f"E({ion}) = {ex.value:+.1f} mV"
    assert str(ex).splitlines() == list(ex)
    perm = {ion: 1.0, "K+" if ion != "K+" else "Na+": 0.1}
    other = next(k for k in perm if k != ion)
    ghk = explain_ghk_voltage(
        perm, c_in={ion: c_in, other: 10.0}, c_out={ion: c_out, other: 10.0}, celsius=celsius
    )
    assert ghk.value == nernst.ghk_voltage(
        perm, c_in={ion: c_in, other: 10.0}, c_out={ion: c_out, other: 10.0}, celsius=celsius
    )
