"""Chord-conductance model and the conversions between GHK permeability and conductance."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nernst

F = 96485.33212331001
R = 8.31446261815324

potentials = st.floats(-150, 150)
conductances = st.floats(1e-9, 1.0)


@given(g=conductances, E=potentials)
def test_one_ion_gives_its_own_E(g: float, E: float) -> None:
    # Hille (2001) ch. 1, eq. 1-9: with one conductance the chord potential is that ion's E.
    assert nernst.chord_potential({"K+": g}, E={"K+": E}) == pytest.approx(E, abs=1e-12)


@given(g=conductances, E=st.lists(potentials, min_size=2, max_size=6))
def test_equal_conductances_give_the_mean(g: float, E: list[float]) -> None:
    V = nernst.chord_potential(np.full(len(E), g), E=np.array(E))
    assert V == pytest.approx(sum(E) / len(E), abs=1e-9)


@given(
    g=st.lists(conductances, min_size=1, max_size=5),
    E=st.lists(potentials, min_size=5, max_size=5),
    scale=st.floats(1e-6, 1e6),
)
def test_only_conductance_ratios_matter(g: list[float], E: list[float], scale: float) -> None:
    g_arr, E_arr = np.array(g), np.array(E[: len(g)])
    V1 = nernst.chord_potential(g_arr, E=E_arr)
    V2 = nernst.chord_potential(g_arr * scale, E=E_arr)
    assert V1 == pytest.approx(V2, abs=1e-9)
    assert min(E_arr) - 1e-9 <= V1 <= max(E_arr) + 1e-9


def test_hodgkin_huxley_1952_leak_reversal_balances_rest() -> None:
    # Hodgkin & Huxley (1952) J. Physiol. 117:500-544, p. 520 and Table 3: with the resting
    # conductances g_Na = 120 m^3 h, g_K = 36 n^4 mS/cm^2 and g_l = 0.3 mS/cm^2, E_Na = 115 mV
    # and E_K = -12 mV above rest, the leak reversal V_l = 10.613 mV above rest makes the
    # total current zero at rest. With rest at -65 mV (NEURON's hh.mod): E_Na = 50,
    # E_K = -77, E_l = -54.387 mV, and the chord potential of those conductances is -65 mV
    # to the precision of HH's rounded resting gate values (n0 0.31768, m0 0.05293, h0
    # 0.59612 balance at V_l = 10.60 mV, so 10.613 leaves 0.006 mV).
    gates = nernst.hh_gates(-65.0, celsius=6.3)
    g = {
        "Na+": 0.12 * gates["m_inf"] ** 3 * gates["h_inf"],
        "K+": 0.036 * gates["n_inf"] ** 4,
        "leak": 0.0003,
    }
    V = nernst.chord_potential(g, E={"Na+": 50.0, "K+": -77.0, "leak": -65.0 + 10.613})
    assert V == pytest.approx(-65.0, abs=0.01)


def test_weights_sum_to_one_and_follow_conductance() -> None:
    w = nernst.chord_weights({"K+": 3.0, "Na+": 1.0, "Cl-": 0.0})
    assert w == {"K+": 0.75, "Na+": 0.25, "Cl-": 0.0}
    arr = nernst.chord_weights(np.array([[1.0, 1.0], [1.0, 3.0]]))
    np.testing.assert_allclose(arr, [[0.5, 0.5], [0.25, 0.75]])


def test_one_ion_limit_of_the_ghk_conductance_at_E() -> None:
    # Hille (2001) ch. 14: at V = E the chord and slope conductances of a GHK ion both equal
    # P z^2 F^2/(RT) c_in c_out ln(c_out/c_in)/(c_out - c_in). By hand for K+ 140/5 mM at
    # 37 degC and P = 1e-6 cm/s (mM -> mol/cm^3: 1e-6).
    T = 310.15
    expected = 1e-6 * F**2 / (R * T) * (140 * 5 * math.log(5 / 140) / (5 - 140)) * 1e-6
    E = nernst.equilibrium_potential("K+", c_in=140, c_out=5, celsius=37)
    for kind in ("chord", "slope"):
        g = nernst.conductance_from_permeability(
            "K+", permeability=1e-6, v_m=E, c_in=140, c_out=5, celsius=37, kind=kind
        )
        assert g == pytest.approx(expected, rel=1e-6)


def test_chord_conductance_by_hand_away_from_E() -> None:
    # g = I/(V - E) with I = P z^2 F^2 V/(RT) (c_in - c_out e^-w)/(1 - e^-w), worked by hand
    # for K+ 400/10 mM, P = 1 cm/s, V = -65 mV, 6.3 degC (the squid axon's K+ gradient).
    T = 279.45
    V = -0.065
    w = F * V / (R * T)
    I = F * w * (400e-6 - 10e-6 * math.exp(-w)) / (1 - math.exp(-w))  # A/cm^2
    E = R * T / F * math.log(10 / 400)
    g = nernst.conductance_from_permeability(
        "K+", permeability=1.0, v_m=-65.0, c_in=400, c_out=10, celsius=6.3
    )
    assert g == pytest.approx(I / (V - E), rel=1e-9)


@given(
    P=st.floats(1e-9, 1e-3),
    V=st.floats(-120, 60),
    ci=st.floats(0.01, 500),
    co=st.floats(0.01, 500),
    ion=st.sampled_from(["K+", "Na+", "Cl-", "Ca2+"]),
    kind=st.sampled_from(["chord", "slope"]),
)
def test_permeability_round_trip(
    P: float, V: float, ci: float, co: float, ion: str, kind: str
) -> None:
    kw = {"v_m": V, "c_in": ci, "c_out": co, "celsius": 20.0, "kind": kind}
    g = nernst.conductance_from_permeability(ion, permeability=P, **kw)
    assert g > 0
    assert nernst.permeability_from_conductance(ion, conductance=g, **kw) == pytest.approx(
        P, rel=1e-9
    )


def test_chord_and_ghk_models_agree_to_first_order_near_rest() -> None:
    # Linearising each GHK current about the GHK resting potential V0 (slope conductances
    # G_i) predicts dV = -dI/G for a small change of P_Na; the GHK equation's own answer
    # differs from it only at second order: halving the change quarters the difference.
    c_in = {"K+": 140.0, "Na+": 10.0, "Cl-": 10.0}
    c_out = {"K+": 5.0, "Na+": 145.0, "Cl-": 110.0}
    P = {"K+": 1e-6, "Na+": 0.04e-6, "Cl-": 0.45e-6}
    V0 = nernst.ghk_voltage(P, c_in=c_in, c_out=c_out)
    G = sum(
        nernst.ghk_slope_conductance(
            ion, v_m=V0, permeability=P[ion], c_in=c_in[ion], c_out=c_out[ion]
        )
        for ion in P
    )
    g_na = nernst.conductance_from_permeability(
        "Na+", permeability=P["Na+"], v_m=V0, c_in=10.0, c_out=145.0
    )
    E_na = nernst.equilibrium_potential("Na+", c_in=10.0, c_out=145.0)
    i_na = g_na * (V0 - E_na)  # the GHK Na+ current at V0, written through its chord

    def error(eps: float) -> float:
        V1 = nernst.ghk_voltage({**P, "Na+": P["Na+"] * (1 + eps)}, c_in=c_in, c_out=c_out)
        return abs((V1 - V0) - (-eps * i_na / G))

    assert error(1e-3) < 1e-3 * abs(eps_dv := 1e-3 * i_na / G) + 1e-12
    assert error(2e-3) / error(1e-3) == pytest.approx(4.0, rel=0.05)
    assert eps_dv != 0


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: nernst.chord_potential({"K+": -1.0}, E={"K+": -90}), "conductance"),
        (lambda: nernst.chord_potential({"K+": 0.0}, E={"K+": -90}), "every conductance is zero"),
        (
            lambda: nernst.chord_potential({"K+": 1.0}, E={"Na+": 50}),
            "E has no potential for 'K\\+'",
        ),
        (lambda: nernst.chord_potential({"K+": 1.0}, E={"K+": math.nan}), "E\\['K\\+'\\]"),
        (lambda: nernst.chord_potential(1.0, E=-90), "one conductance per ion"),
        (lambda: nernst.chord_potential({}, E={}), "at least one ion"),
        (
            lambda: nernst.conductance_from_permeability(
                "K+", permeability=1, v_m=0, c_in=1, c_out=1, kind="ohmic"
            ),
            "kind='ohmic'",
        ),
        (
            lambda: nernst.permeability_from_conductance(
                "K+", conductance=-1, v_m=0, c_in=1, c_out=1
            ),
            "conductance=-1",
        ),
    ],
)
def test_bad_input(call, match) -> None:
    with pytest.raises(ValueError, match=match):
        call()
