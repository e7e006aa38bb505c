"""The Hodgkin-Huxley membrane against NEURON's ``hh`` and the physics it must obey.

Reference numbers: tests/published/data/neuron_hh.json, written by validation/neuron_hh.py
with the NEURON wheel (the file records the NEURON version): one compartment with NEURON's
``hh`` mechanism at its exact rates, CVODE at rtol = atol = 1e-10, sampled every 1 us,
started by ``finitialize(-65)`` (V = -65 mV, gates at steady state there), which nernst
reproduces with ``v0=-65``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import nernst

REF = json.loads((Path(__file__).parent / "published" / "data" / "neuron_hh.json").read_text())
PULSE = "10uA/cm2@5ms:1ms"
V0 = -65.0  # NEURON's finitialize(-65)


def test_reference_file_says_where_it_came_from() -> None:
    assert REF["neuron_version"].startswith("NEURON -- VERSION 9")
    assert "usetable_hh = 0" in REF["setup"]["rates"]


@pytest.mark.parametrize("celsius", ["6.3", "18.5"])
def test_resting_potential_matches_neuron(celsius: str) -> None:
    V = nernst.HHMembrane(celsius=float(celsius)).resting_potential()
    assert V == pytest.approx(REF["rest_mV"][celsius], abs=1e-6)


@pytest.mark.parametrize("celsius", ["6.3", "18.5"])
def test_single_spike_matches_neuron(celsius: str) -> None:
    ref = REF["pulse"][celsius]
    ap = nernst.simulate_hh(
        nernst.HHMembrane(celsius=float(celsius)), stimulus=PULSE, until="30ms", v0=V0
    )
    assert ap.n_spikes == len(ref["spike_times_ms"]) == 1
    assert ap.peak == pytest.approx(ref["peak_mV"], abs=1e-4)
    assert ap.ahp == pytest.approx(ref["ahp_mV"], abs=1e-4)
    assert ap.threshold == pytest.approx(ref["threshold_mV_at_10mV_per_ms"], abs=1e-3)
    assert ap.spike_times[0] * 1e3 == pytest.approx(ref["spike_times_ms"][0], abs=1e-4)
    assert ap.t[np.argmax(ap.V)] * 1e3 == pytest.approx(ref["t_peak_ms"], abs=1.5e-3)
    # The Na+ current itself: its charge over NEURON's record, as NEURON integrates ina.
    span = ap.t * 1e3 <= ref["na_charge_until_ms"] + 1e-9
    charge = -np.trapezoid(ap.currents["Na+"][span], ap.t[span] * 1e3)  # uC/cm^2
    assert charge == pytest.approx(ref["na_charge_uC_per_cm2"], rel=1e-5)


def test_repetitive_firing_matches_neuron() -> None:
    ref = REF["step_10uA_50ms_6.3"]["spike_times_ms"]
    ap = nernst.simulate_hh(stimulus="10uA/cm2@5ms:50ms", until="60ms", v0=V0)
    np.testing.assert_allclose(ap.spike_times * 1e3, ref, atol=1e-3)


@pytest.mark.parametrize("celsius", ["6.3", "18.5"])
def test_rheobase_matches_neuron(celsius: str) -> None:
    # NEURON's rheobase (a 200 ms step) to its bisection precision: 1 % above fires,
    # 1 % below does not.
    rheobase = REF["rheobase_uA_cm2"][celsius]
    membrane = nernst.HHMembrane(celsius=float(celsius))

    def fires(amp_uA: float) -> bool:
        stim = nernst.Stimulus.step(amp_uA * 1e-3, start=0.005, duration=0.2)
        ap = nernst.simulate_hh(membrane, stimulus=stim, until=0.21, dt="50us", v0=V0)
        return ap.n_spikes > 0

    assert fires(rheobase * 1.01)
    assert not fires(rheobase * 0.99)


@pytest.mark.parametrize("celsius", ["6.3", "18.5"])
def test_pulse_threshold_matches_neuron(celsius: str) -> None:
    threshold = REF["pulse_threshold_uA_cm2"][celsius]
    membrane = nernst.HHMembrane(celsius=float(celsius))

    def fires(amp_uA: float) -> bool:
        stim = nernst.Stimulus.step(amp_uA * 1e-3, start=0.005, duration=0.001)
        ap = nernst.simulate_hh(membrane, stimulus=stim, until=0.03, dt="10us", v0=V0)
        return ap.n_spikes > 0

    assert fires(threshold * 1.005)
    assert not fires(threshold * 0.995)


@pytest.mark.parametrize("preset", ["squid-axon", "frog-muscle"])
def test_spike_stays_between_E_K_and_E_Na(preset: str) -> None:
    # Hille (2001) ch. 2: the action potential rises toward E_Na but never reaches it and the
    # after-hyperpolarisation approaches E_K from above.
    membrane = nernst.HHMembrane.from_cell(preset)
    ap = nernst.simulate_hh(membrane, stimulus="20uA/cm2@2ms:1ms", until="25ms")
    assert ap.n_spikes >= 1
    assert membrane.ek < ap.ahp < ap.v_rest < ap.peak < membrane.ena


def test_reversal_potentials_come_from_the_cell() -> None:
    cell = nernst.Cell.preset("squid-axon")
    membrane = nernst.HHMembrane.from_cell(cell)
    assert membrane.ena == pytest.approx(
        nernst.equilibrium_potential("Na+", c_in=50, c_out=460, celsius=20), abs=1e-12
    )
    assert membrane.ek == pytest.approx(
        nernst.equilibrium_potential("K+", c_in=400, c_out=10, celsius=20), abs=1e-12
    )


def test_hyperkalaemia_depolarises_rest_and_low_sodium_lowers_the_peak() -> None:
    base = dict(na_in=50.0, na_out=460.0, k_in=400.0, k_out=10.0)

    def membrane(**conc: float) -> nernst.HHMembrane:
        c = {**base, **conc}
        return nernst.HHMembrane(
            ena=nernst.equilibrium_potential(
                "Na+", c_in=c["na_in"], c_out=c["na_out"], celsius=6.3
            ),
            ek=nernst.equilibrium_potential("K+", c_in=c["k_in"], c_out=c["k_out"], celsius=6.3),
            **c,
        )

    stim = "20uA/cm2@5ms:1ms"
    normal = nernst.simulate_hh(membrane(), stimulus=stim, until="25ms")
    high_k = nernst.simulate_hh(membrane(k_out=30.0), stimulus=stim, until="25ms")
    low_na = nernst.simulate_hh(membrane(na_out=230.0), stimulus=stim, until="25ms")
    assert high_k.v_rest > normal.v_rest + 5
    assert low_na.n_spikes == normal.n_spikes == 1
    assert low_na.peak < normal.peak - 5


def test_rest_is_the_chord_potential_of_the_resting_conductances() -> None:
    membrane = nernst.HHMembrane()
    V = membrane.resting_potential()
    g = membrane.conductances(V)
    assert nernst.chord_potential(g, E=membrane.reversal_potentials()) == pytest.approx(V, abs=1e-9)


def test_q10_scales_every_time_constant_by_three_per_ten_degrees() -> None:
    # Hodgkin & Huxley (1952) p. 519: rate constants multiplied by 3 per 10 degC.
    V = np.linspace(-100, 50, 31)
    cold = nernst.hh_gates(V, celsius=6.3)
    warm = nernst.hh_gates(V, celsius=16.3)
    for x in "mhn":
        np.testing.assert_allclose(warm[f"tau_{x}"], cold[f"tau_{x}"] / 3, rtol=1e-12)
        np.testing.assert_allclose(warm[f"{x}_inf"], cold[f"{x}_inf"], rtol=1e-12)


def test_resting_gate_values_of_hodgkin_huxley_1952() -> None:
    # Hodgkin & Huxley (1952) resting values (V = 0 in their convention, -65 mV here):
    # n0 = 0.31768, m0 = 0.05293, h0 = 0.59612.
    g = nernst.hh_gates(-65.0)
    assert g["n_inf"] == pytest.approx(0.31768, abs=1e-5)
    assert g["m_inf"] == pytest.approx(0.05293, abs=1e-5)
    assert g["h_inf"] == pytest.approx(0.59612, abs=1e-5)


def test_sodium_entry_exceeds_the_capacitive_minimum() -> None:
    # Hille (2001) ch. 1: charging 1 uF/cm^2 through the spike amplitude needs C dV / F of
    # Na+, a lower bound; overlapping Na+ and K+ currents make the entry several times larger
    # (about 4x for the HH squid axon near 18.5 degC, Alle, Roth & Geiger 2009, Science
    # 325:1405, doi:10.1126/science.1174331).
    ap = nernst.simulate_hh(nernst.HHMembrane(celsius=18.5), stimulus=PULSE, until="30ms")
    minimum = 1e-6 * (ap.peak - ap.v_rest) * 1e-3 / 96485.33212331001  # mol/cm^2
    assert 2 * minimum < ap.na_entry < 8 * minimum
    assert ap.na_ions_per_um2 == pytest.approx(ap.na_entry * 6.02214076e23 * 1e-8)


def test_sodium_entry_as_a_fraction_of_internal_sodium() -> None:
    membrane = nernst.HHMembrane.from_cell("squid-axon", radius=250.0)
    ap = nernst.simulate_hh(membrane, stimulus="20uA/cm2@2ms:1ms", until="20ms")
    # sphere: volume/area = r/3 -> internal Na+ per cm^2 = 50e-6 mol/cm^3 * 250e-4/3 cm.
    assert ap.na_fraction == pytest.approx(ap.na_entry / (50e-6 * 250e-4 / 3), rel=1e-12)
    assert 0 < ap.na_fraction < 1e-4


def test_voltage_clamp_currents_follow_the_gates() -> None:
    membrane = nernst.HHMembrane()
    fam = nernst.voltage_clamp_hh(membrane, levels=[-100, -40, 0, 40], duration="80ms")
    assert fam.currents["Na+"].shape == (4, fam.t.size)
    # After a long step K+ conductance is at its steady state gkbar n_inf^4.
    n_inf = nernst.hh_gates(fam.levels)["n_inf"]
    expected = 0.036 * n_inf**4 * (fam.levels - membrane.ek)
    np.testing.assert_allclose(fam.steady_k, expected, rtol=1e-4)
    assert fam.peak_na[2] < 0 and fam.steady_k[2] > 0  # inward Na+, outward K+ at 0 mV


def test_voltage_clamp_gates_solve_the_gate_equations() -> None:
    # The exact exponentials against solve_ivp of dx/dt = a(1 - x) - b x on the step.
    from scipy.integrate import solve_ivp

    fam = nernst.voltage_clamp_hh(levels=[0.0], start="1ms", duration="5ms", dt="10us")
    r = nernst.hh_rates(0.0)
    n0 = nernst.hh_gates(-65.0)["n_inf"]
    sol = solve_ivp(
        lambda t, y: r["alpha_n"] * (1 - y) - r["beta_n"] * y,
        (0, 5),
        [n0],
        rtol=1e-12,
        atol=1e-14,
        dense_output=True,
    )
    t_ms = fam.t * 1e3
    on = (t_ms >= 1) & (t_ms < 6)
    i_k = 0.036 * sol.sol(t_ms[on] - 1)[0] ** 4 * (0.0 + 77.0)
    np.testing.assert_allclose(fam.currents["K+"][0, on], i_k, rtol=1e-8)


def test_ghk_form_matches_ohmic_conductances_at_v_ref_and_still_fires() -> None:
    ohmic = nernst.HHMembrane.from_cell("squid-axon")
    ghk = nernst.HHMembrane.from_cell("squid-axon", current_form="ghk")
    ap = nernst.simulate_hh(ghk, stimulus="20uA/cm2@2ms:1ms", until="20ms")
    assert ap.n_spikes == 1
    assert ghk.ek < ap.ahp and ap.peak < ghk.ena
    assert ghk.resting_potential() == pytest.approx(ohmic.resting_potential(), abs=3.0)


def test_stimulus_text() -> None:
    s = nernst.Stimulus.parse("10uA/cm2@5ms:1ms*3/20ms")
    assert (s.kind, s.number) == ("train", 3)
    assert s.onsets() == pytest.approx([0.005, 0.025, 0.045])
    r = nernst.Stimulus.parse("ramp:20uA/cm2@5ms:100ms")
    assert r.current(0.055) == pytest.approx(0.01)


def test_result_protocol() -> None:
    ap = nernst.simulate_hh(stimulus=PULSE, until="15ms", dt="20us")
    data = json.loads(ap.to_json())
    assert data["spikes"] == 1 and data["E_Na_mV"] == 50.0
    assert "below E_Na" in ap.explain()
    pytest.importorskip("pandas")
    assert list(ap.to_dataframe().columns[:2]) == ["V_mV", "m"]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: nernst.Stimulus.parse("10uA@5ms"), "not understood"),
        (lambda: nernst.Stimulus.parse("10A/cm2@5ms:1ms"), "not a current density"),
        (lambda: nernst.HHMembrane(gnabar=-1), "gnabar=-1"),
        (lambda: nernst.HHMembrane(current_form="linear"), "current_form='linear'"),
        (lambda: nernst.HHMembrane(current_form="ghk"), "needs na_in"),
        (lambda: nernst.simulate_hh(until=0), "must be positive"),
        (lambda: nernst.simulate_hh(until="1s", dt="1ns"), "duration|samples"),
        (lambda: nernst.HHMembrane.from_cell(nernst.Cell({"K+": 140}, {"K+": 5})), "no Na\\+"),
    ],
)
def test_bad_input(call, match) -> None:
    with pytest.raises(ValueError, match=match):
        call()
