"""The Action potential tab: its callbacks against the nernst library, and a real browser.

The callbacks are called directly and every number they show is compared with
:func:`nernst.simulate_hh`, :func:`nernst.voltage_clamp_hh`,
:func:`nernst.chloride_steady_state` and :func:`nernst.ghk_voltage` called here with the same
inputs. Reference values: NEURON 9.0.2's own default ion concentrations and the reversal
potentials it computes from them (``h.ion_style(..., 1, 2, 1, 0, 1)`` then
``h.finitialize(-65)``, run on this machine), and the exact arithmetic of the Nernst equation
with CODATA 2018 constants. The browser tests open the tab in Debian's Chromium, move a
slider, type values, reload a shared link and switch to voltage clamp; the time from the
user's input to the new number on screen is printed in the terminal summary.
"""

from __future__ import annotations

import math
import statistics
import time
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
from dash import no_update
from hypothesis import given, settings
from hypothesis import strategies as st

import nernst
from app._probe import changed, value
from nernst.app import action_potential_tab as apt
from nernst.app.layout import discover_tabs

# CODATA 2018 exact: R = k_B N_A, F = e N_A, so RT/F = (k_B/e) T.
K_OVER_E = 1.380649e-23 / 1.602176634e-19  # V/K


def rt_f_mV(celsius: float) -> float:
    return 1e3 * K_OVER_E * (celsius + 273.15)


def controls(**changes: Any) -> list[Any]:
    """The controls' values in callback order: the defaults with ``changes``."""
    values = {**apt.DEFAULTS, "train": [], **changes}
    return [values[k] for k, *_ in apt.CONTROLS]


def run(**changes: Any) -> dict[str, Any]:
    return dict(zip(apt.OUTPUTS, apt.compute_ap(*controls(**changes)), strict=True))


def spans(component: Any) -> dict[str, float]:
    """Every ``data-value`` number under a component, keyed by the id of its wrapper."""
    found: dict[str, float] = {}

    def walk(node: Any, owner: str | None) -> None:
        if isinstance(node, (list, tuple)):
            for item in node:
                walk(item, owner)
        elif hasattr(node, "to_plotly_json"):
            props = node.to_plotly_json()["props"]
            if "data-value" in props and owner:
                found[owner] = float(props["data-value"])
            walk(props.get("children"), props.get("id") or owner)

    walk(component, None)
    return found


def text_of(component: Any) -> str:
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, (list, tuple)):
            for item in node:
                walk(item)
        elif hasattr(node, "to_plotly_json"):
            walk(node.to_plotly_json()["props"].get("children"))
        elif node is not None:
            parts.append(str(node))

    walk(component)
    return "".join(parts)


def cell(inside: dict, outside: dict, celsius: float) -> Any:
    return nernst.HHMembrane.from_cell(nernst.Cell(inside, outside, celsius=celsius))


def library_run(membrane: Any, stimulus: str, until_ms: float) -> Any:
    return nernst.simulate_hh(
        membrane, stimulus=stimulus, until=until_ms * 1e-3, dt="20us", rtol=1e-6, atol=1e-6
    )


SQUID_IN = {"Na+": 50.0, "K+": 400.0}  # the squid-axon preset (Kuffler et al. 1984, p. 119)
HH_IN = {"Na+": 10.0, "K+": 54.4}  # NEURON's nai0_na_ion, ki0_k_ion


# -- the membrane ------------------------------------------------------------------------------
def test_tab_is_discovered():
    tabs = {t.id: t for t in discover_tabs()}
    assert tabs["ap"].label == "Action potential"
    assert tabs["ap"].state_id == "ap-state"


def test_hh_preset_is_neuron_with_its_default_concentrations():
    # NEURON 9.0.2: nai0 10, nao0 140, ki0 54.4, ko0 2.5 mM at h.celsius 6.3; with ion_style
    # computing E at finitialize it gives ena 63.55150321937486, ek -74.1716725122837 mV.
    m = apt.membrane_for("hh", k_out=2.5, na_out=140.0, celsius=6.3)
    assert m.ena == pytest.approx(63.55150321937486, abs=1e-6)
    assert m.ek == pytest.approx(-74.1716725122837, abs=1e-6)
    # ... and the Nernst equation by hand: RT/F at 279.45 K = 24.0812 mV.
    assert m.ena == pytest.approx(rt_f_mV(6.3) * math.log(14.0), rel=1e-9)
    assert m.ek == pytest.approx(rt_f_mV(6.3) * math.log(2.5 / 54.4), rel=1e-9)
    assert apt.preset_cell("hh")["celsius"] == 6.3
    # the squid preset: E_Na = 25.26 ln(9.2) = 56.1 mV at 20 degC (nernst.HHMembrane docs).
    squid = apt.membrane_for("squid-axon", k_out=10.0, na_out=460.0, celsius=20.0)
    assert squid.ena == pytest.approx(rt_f_mV(20.0) * math.log(460 / 50), rel=1e-9)


def test_the_shown_spike_is_the_library_spike():
    out = run(preset="squid-axon", k_out=10.0, na_out=460.0, celsius=20.0, amplitude=20.0)
    assert out["error"] == ""
    ap = library_run(cell(SQUID_IN, {"Na+": 460.0, "K+": 10.0}, 20.0), "20uA/cm2@5ms:1ms", 30)
    shown = spans(out["numbers"])
    assert ap.n_spikes == 1 and shown["ap-spikes"] == 1
    assert shown["ap-peak"] == ap.peak and out["state"]["results"]["peak_mV"] == ap.peak
    assert shown["ap-ahp"] == ap.ahp and shown["ap-vrest"] == ap.v_rest
    assert shown["ap-ena"] == ap.membrane.ena and shown["ap-ek"] == ap.membrane.ek
    assert shown["ap-na-entry"] == pytest.approx(ap.na_entry * 1e12, rel=1e-12)
    assert shown["ap-hrest"] == nernst.hh_gates(ap.v_rest, celsius=20.0)["h_inf"]
    # At rest: each conductance's weight and their chord-conductance potential, which is the
    # HH resting potential (Hille 2001, eq. 1-9; the user guide checks -64.97 mV for hh).
    g = ap.membrane.conductances(ap.v_rest)
    weights = nernst.chord_weights(g)
    assert out["state"]["results"]["chord_weights"] == {k: float(w) for k, w in weights.items()}
    assert sum(weights.values()) == pytest.approx(1.0, abs=1e-12)
    assert shown["ap-chord"] == pytest.approx(ap.v_rest, abs=1e-6)
    assert "chord-conductance potential" in text_of(out["numbers"])
    # The peak lies between E_K and E_Na, as the words say.
    assert ap.membrane.ek < ap.ahp < ap.v_rest < ap.peak < ap.membrane.ena
    assert "below E_Na" in text_of(out["numbers"])
    # The plot: V(t) is the library's trace, with E_Na, E_K and V_rest drawn and labelled.
    fig = out["v_figure"]
    assert fig["data"][0]["y"] == ap.V.tolist()
    names = [d["name"] for d in fig["data"][1:]]
    assert names == [
        f"E_Na = {ap.membrane.ena:+.1f} mV",
        f"E_K = {ap.membrane.ek:+.1f} mV",
        f"V_rest = {ap.v_rest:+.1f} mV",
    ]
    assert [a["text"].split()[0] for a in fig["layout"]["annotations"]] == [
        "E_Na",
        "E_K",
        "V_rest",
    ]
    assert fig["data"][1]["y"] == [ap.membrane.ena] * 2
    second = out["second_figure"]
    assert [d["name"] for d in second["data"]][:2] == ["I_Na", "I_K"]
    assert second["data"][0]["y"] == ap.currents["Na+"].tolist()
    gates = run(
        preset="squid-axon", amplitude=20.0, k_out=10.0, na_out=460.0, celsius=20.0, second="gates"
    )["second_figure"]
    assert [d["name"] for d in gates["data"]] == ["m", "h", "n"]
    assert gates["data"][1]["y"] == ap.gates["h"].tolist()


def test_a_train_fires_once_per_pulse():
    out = run(train=["on"], number=3, interval=15.0, until=50.0)
    ap = library_run(cell(HH_IN, {"Na+": 140.0, "K+": 2.5}, 6.3), "10uA/cm2@5ms:1ms*3/15ms", 50)
    assert spans(out["numbers"])["ap-spikes"] == ap.n_spikes == 3
    table = text_of(out["table"])
    assert all(f"{1e3 * t:.3f}" in table for t in ap.spike_times)
    assert "ap.train=1" in out["state"]["query"] and "ap.n=3" in out["state"]["query"]


def test_raising_k_out_raises_the_shown_rest_then_blocks_the_spike():
    rests = []
    for k in (1.0, 2.5, 5.0, 10.0, 20.0):
        out = run(k_out=k)
        v = spans(out["numbers"])["ap-vrest"]
        assert v == cell(HH_IN, {"Na+": 140.0, "K+": k}, 6.3).resting_potential()
        rests.append(v)
    assert rests == sorted(rests) and len(set(rests)) == 5
    # Hyperkalaemia: rest near -33 mV inactivates the Na+ channels; no spike, said in words.
    out = run(k_out=10.0)
    shown = spans(out["numbers"])
    assert shown["ap-spikes"] == 0 and shown["ap-hrest"] < 0.05
    words = text_of(out["numbers"])
    assert "No spike" in words and "inactivated" in words and "hyperkalaemia" in words


def test_low_na_out_lowers_the_peak():
    peaks, ena = [], []
    for na in (460.0, 300.0, 230.0):
        shown = spans(
            run(preset="squid-axon", k_out=10.0, na_out=na, celsius=20.0, amplitude=20.0)["numbers"]
        )
        peaks.append(shown["ap-peak"])
        ena.append(shown["ap-ena"])
    assert peaks == sorted(peaks, reverse=True) and ena == sorted(ena, reverse=True)
    assert all(p < e for p, e in zip(peaks, ena, strict=True))


def test_warming_speeds_the_spike_and_heat_blocks_it():
    times = [run(celsius=T)["state"]["results"]["spike_times_ms"][0] for T in (6.3, 10.0, 15.0)]
    assert times == sorted(times, reverse=True)
    out = run(celsius=35.0)
    assert spans(out["numbers"])["ap-spikes"] == 0
    assert "Above about 30 °C" in text_of(out["numbers"])
    # Below threshold at a cool temperature: the message says so instead.
    cool = text_of(run(amplitude=1.0)["numbers"])
    assert "did not reach threshold" in cool


def test_voltage_clamp_draws_a_family_of_na_and_k_currents():
    out = run(mode="vc", v_from=-80.0, v_to=40.0, v_step=20.0, hold=-65.0, vc_duration=10.0)
    assert out["error"] == ""
    family = nernst.voltage_clamp_hh(
        cell(HH_IN, {"Na+": 140.0, "K+": 2.5}, 6.3),
        levels=[-80, -60, -40, -20, 0, 20, 40],
        hold=-65.0,
        start="1ms",
        duration="10ms",
        dt="20us",
    )
    na, k = out["v_figure"], out["second_figure"]
    assert len(na["data"]) == len(k["data"]) == 7
    assert [d["name"] for d in na["data"]] == [f"{v:+g} mV" if v else "0 mV" for v in family.levels]
    assert na["data"][4]["y"] == family.currents["Na+"][4].tolist()
    assert k["data"][6]["y"] == family.currents["K+"][6].tolist()
    shown = spans(out["numbers"])
    assert shown["ap-vc-count"] == 7
    assert shown["ap-vc-peak-na"] == float(family.peak_na.min()) < 0
    assert shown["ap-vc-steady-k"] == float(family.steady_k[-1]) > 0
    assert "ap.mode=vc" in out["state"]["query"] and "ap.amp" not in out["state"]["query"]
    # The same numbers as a table (for readers who cannot see the plot).
    table = text_of(out["table"])
    assert f"{family.peak_na[4]:+.4f}" in table and f"{family.steady_k[6]:+.4f}" in table


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amplitude": None}, "Enter a number for the step amplitude"),
        ({"k_out": "abc"}, "Enter a number for [K+]out"),
        ({"k_out": -5}, "[K+]out = -5 mM is out of range"),
        ({"celsius": 1e6}, "out of range"),
        ({"until": 5000}, "out of range: use 2 to 50 ms"),
        ({"onset": 40.0, "until": 30.0}, "must come before the end"),
        ({"train": ["on"], "interval": 0.5, "duration": 1.0}, "at least the step duration"),
        ({"train": ["on"], "number": 50}, "out of range"),
        ({"mode": "vc", "v_step": 1.0}, "too many"),
        ({"mode": "vc", "v_to": -100.0}, "must not be below"),
        ({"preset": "unobtainium"}, "Unknown membrane"),
    ],
)
def test_bad_input_gives_an_inline_message(changes, message):
    out = run(**changes)
    assert message in out["error"]
    assert out["v_figure"] is no_update and out["state"]["ok"] is False
    assert "query" in out["state"]


@pytest.mark.parametrize("hostile", [["x"], {"a": 1}, True, "", "1e999", 7])
def test_any_value_of_any_control_gives_an_answer_not_an_exception(hostile):
    # What a hand-made POST to the callback could send: never an exception (HTTP 500).
    for key, *_ in apt.CONTROLS:
        out = run(**{key: hostile})
        assert isinstance(out["error"], str) and "query" in out["state"]
    for i in range(6):
        args: list[Any] = ["squid-axon", 10.0, 460.0, 20.0, 1e-10, 1e-12]
        args[i] = hostile
        assert isinstance(apt.compute_chloride(*args)[1], str)
    assert load("", trigger="ap-preset", preset=hostile)["message"].startswith("Unknown")


# -- chloride ----------------------------------------------------------------------------------
def chloride(preset: str = "squid-axon", **changes: Any) -> dict[str, Any]:
    base = apt.preset_cell(preset)
    args = {
        "k_out": base["outside"]["K+"],
        "na_out": base["outside"]["Na+"],
        "celsius": base["celsius"],
        "kcc2": apt.DEFAULTS["kcc2"],
        "nkcc1": apt.DEFAULTS["nkcc1"],
        **changes,
    }
    out = apt.compute_chloride(
        preset, args["k_out"], args["na_out"], args["celsius"], args["kcc2"], args["nkcc1"]
    )
    return dict(zip(apt.CHLORIDE_OUTPUTS, out, strict=True))


def test_chloride_panel_switches_to_hyperpolarising_as_kcc2_rises():
    verdicts = [chloride(kcc2=k)["state"]["verdict"] for k in (1e-13, 1e-12, 1e-10, 1e-9)]
    assert verdicts == ["depolarising", "depolarising", "hyperpolarising", "hyperpolarising"]
    out = chloride(kcc2=1e-12)
    assert "GABA is depolarising" in text_of(out["numbers"])
    assert "hyperpolarising" in text_of(chloride(kcc2=1e-10)["numbers"])


def test_chloride_numbers_are_the_library_chain():
    # Squid axon, its own K+ and Na+, 20 degC, V = the HH rest.
    out = chloride(kcc2=3e-11, nkcc1=2e-12)
    v_rest = cell(SQUID_IN, {"Na+": 460.0, "K+": 10.0}, 20.0).resting_potential()
    e_cl = nernst.chloride_steady_state(
        v_m=v_rest,
        c_in=SQUID_IN,
        c_out={"Na+": 460.0, "K+": 10.0, "Cl-": 540.0},
        g_cl=1e-5,
        kcc2=3e-11,
        nkcc1=2e-12,
        celsius=20.0,
    )
    cl_in = nernst.equilibrium_internal_concentration("Cl-", v_m=e_cl, c_out=540.0, celsius=20)
    e_gaba = nernst.ghk_voltage(
        {"Cl-": 1.0, "HCO3-": 0.2},
        c_in={"Cl-": cl_in, "HCO3-": 15.0},
        c_out={"Cl-": 540.0, "HCO3-": 25.0},
        celsius=20.0,
    )
    shown = spans(out["numbers"])
    assert shown["ap-ecl"] == e_cl and shown["ap-egaba"] == e_gaba
    assert shown["ap-cl-vrest"] == v_rest and shown["ap-clin"] == cl_in
    # E_Cl = (RT/F) ln(Cl_in/Cl_out) for Cl- (z = -1 reads the ratio the other way).
    assert e_cl == pytest.approx(-rt_f_mV(20.0) * math.log(540.0 / cl_in), abs=1e-9)
    # HCO3- (E_HCO3 = -12.9 mV here) pulls E_GABA above E_Cl.
    assert e_cl < e_gaba < 0
    assert out["state"]["query"] == "ap.kcc2=3e-11&ap.nkcc1=2e-12"


@settings(max_examples=25, deadline=None)
@given(
    k1=st.floats(min_value=-14, max_value=-8),
    k2=st.floats(min_value=-14, max_value=-8),
    n=st.floats(min_value=-14, max_value=-10),
)
def test_more_kcc2_never_raises_e_cl(k1, k2, n):
    lo, hi = sorted((10.0**k1, 10.0**k2))
    a = chloride(kcc2=lo, nkcc1=10.0**n)["state"]
    b = chloride(kcc2=hi, nkcc1=10.0**n)["state"]
    assert b["E_Cl_mV"] <= a["E_Cl_mV"] + 1e-9
    # E_Cl stays between E_K and the NKCC1 equilibrium (E_Na + E_K)/2, or V with the leak.
    m = cell(SQUID_IN, {"Na+": 460.0, "K+": 10.0}, 20.0)
    assert m.ek - 1e-9 <= b["E_Cl_mV"] <= (m.ena + m.ek) / 2 + 1e-9


def test_chloride_bad_input_is_inline():
    assert "Enter a number for KCC2" in chloride(kcc2=None)["error"]
    assert "out of range" in chloride(nkcc1=1.0)["error"]
    assert "Unknown membrane" in apt.compute_chloride("x", 1, 1, 1, 1e-10, 1e-12)[1]


# -- the URL -----------------------------------------------------------------------------------
def load(search: str, trigger: Any = None, preset: Any = "hh") -> dict[str, Any]:
    return dict(zip(apt.LOAD_OUTPUTS, apt.load_ap(trigger, search, preset), strict=True))


def test_a_link_restores_the_scenario_and_reports_malformed_values():
    state = {
        **apt.DEFAULTS,
        "preset": "squid-axon",
        "k_out": 20.0,
        "celsius": 18.5,
        "train": ["on"],
        "number": 3,
        "interval": 12.5,
        "second": "gates",
    }
    query = apt.state_query(apt.to_query(state))
    restored = load("?" + query + "&ap.kcc2=1e-11")
    for key in ("preset", "k_out", "celsius", "number", "interval", "second", "amplitude"):
        assert restored[key] == state[key], key
    assert restored["train"] == ["on"] and restored["kcc2"] == 1e-11
    assert restored["message"] == ""
    # Malformed and out-of-range values are named; the rest of the link still applies.
    bad = load("?ap.K=abc&ap.T=20&ap.mode=xx&ap.amp=1e9&ap.until=nan")
    assert bad["celsius"] == 20.0 and bad["k_out"] is no_update and bad["mode"] is no_update
    for part in ("ap.K='abc'", "ap.mode='xx'", "ap.amp='1e9'", "ap.until='nan'"):
        assert part in bad["message"]
    # No ap.* parameter: nothing changes.
    assert all(v is no_update for v in load("?tab=ghk&nernst.in=3").values())
    assert all(v is no_update for v in load("?" + "x" * 9000).values())


def test_choosing_a_preset_fills_its_concentrations_and_temperature():
    out = load("", trigger="ap-preset", preset="frog-muscle")
    frog = nernst.Cell.preset("frog-muscle")
    assert out["k_out"] == frog.outside["K+"] and out["na_out"] == frog.outside["Na+"]
    assert out["celsius"] == frog.celsius and out["amplitude"] is no_update
    assert "Unknown" in load("", trigger="ap-preset", preset="zzz")["message"]


def test_callback_latency(timings):
    # Measured, not asserted: a first run (not cached) of each kind, then a cached repeat.
    apt._simulate.cache_clear()
    figures = {}
    for name, changes in (
        ("single spike, 30 ms", {"celsius": 12.0}),
        ("train of 3, 50 ms", {"train": ["on"], "number": 3, "interval": 15.0, "until": 50.0}),
        ("voltage clamp, 7 steps", {"mode": "vc"}),
    ):
        t0, c0 = time.perf_counter(), time.process_time()
        assert run(**changes)["error"] == ""
        figures[name] = time.perf_counter() - t0
        figures[f"{name} (CPU)"] = time.process_time() - c0
    t0 = time.perf_counter()
    run(celsius=12.0)
    figures["single spike again (cached)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    chloride(kcc2=1e-11)
    figures["chloride panel"] = time.perf_counter() - t0
    timings["ap callbacks (Python)"] = ", ".join(
        f"{k}: {1e3 * v:.0f} ms" for k, v in figures.items()
    )


# -- a real browser ----------------------------------------------------------------------------
def ms(seconds: list[float]) -> str:
    return (
        f"median {1e3 * statistics.median(seconds):.0f} ms, max {1e3 * max(seconds):.0f} ms "
        f"over {len(seconds)}"
    )


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c /= 255.0
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: tuple[float, ...], bg: tuple[float, ...]) -> float:
    """WCAG 2.1 contrast ratio (relative luminance, success criterion 1.4.3)."""
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_and_plot_colours():
    # WCAG 2.1 reference points: black on white 21:1, #767676 on white 4.54:1.
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast((118, 118, 118), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)
    for colour in (apt.C_V, apt.C_NA, apt.C_K, apt.C_REST, apt.C_LEAK, apt.C_STIM, *apt._FAMILY):
        rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert contrast(rgb, (255, 255, 255)) >= 4.5, colour


_COLOURS_JS = """
() => {
    const rgb = (s) => s.match(/[0-9.]+/g).slice(0, 4).map(Number);
    const background = (e) => {
        for (let n = e; n; n = n.parentElement) {
            const c = rgb(getComputedStyle(n).backgroundColor);
            if (c.length < 4 || c[3] > 0) { return c.slice(0, 3); }
        }
        return [255, 255, 255];
    };
    const out = [];
    document.querySelectorAll("#tab-ap-content *, .tab-body *").forEach((e) => {
        if (!e.closest(".tab-body") || !e.closest(".tab-body").querySelector("#ap-numbers")) {
            return;
        }
        const own = Array.from(e.childNodes).some(
            (n) => n.nodeType === 3 && n.textContent.trim());
        if (!own || e.offsetParent === null || e.closest(".js-plotly-plot")) { return; }
        out.push({text: e.textContent.trim().slice(0, 30), fg: rgb(getComputedStyle(e).color),
                  bg: background(e)});
    });
    return out;
}
"""


# Every control of the tab (inputs, sliders, the dropdown) has an accessible name: a <label>,
# an aria-label, or a wrapping label.
_UNNAMED_JS = """
() => {
    const body = document.querySelector("#ap-numbers").closest(".tab-body");
    const controls = body.querySelectorAll("input, [role=slider], [role=combobox], button");
    return Array.from(controls).filter((e) => {
        if ((e.offsetParent === null && e.type !== "radio" && e.type !== "checkbox")
            || e.getAttribute("aria-hidden") === "true") {
            return false;  // hidden, or hidden from assistive technology (Dash's own focus trap)
        }
        const labelled = (e.labels && e.labels.length > 0) || e.getAttribute("aria-label")
            || e.getAttribute("aria-labelledby") || e.closest("label")
            || (e.tagName === "BUTTON" && e.textContent.trim());
        return !labelled;
    }).map((e) => e.outerHTML.slice(0, 80));
}
"""


def check_contrast(page: Any) -> None:
    """Every visible text of the tab (outside the plots) has contrast >= 4.5:1."""
    items = page.evaluate(_COLOURS_JS)
    assert len(items) > 30
    low = [
        (i["text"], round(contrast(i["fg"], i["bg"]), 2))
        for i in items
        if contrast(i["fg"], i["bg"]) < 4.5
    ]
    assert low == []


def open_tab(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#ap-vrest [data-value], #ap-vc-count [data-value]", timeout=40_000)


def test_browser_tab_renders_and_follows_slider_and_typing(browser, app_server, page, timings):
    app_server.opened = True
    open_tab(page, app_server.url + "?tab=ap")
    page.wait_for_selector("#ap-v .js-plotly-plot .main-svg")
    ap = library_run(cell(HH_IN, {"Na+": 140.0, "K+": 2.5}, 6.3), "10uA/cm2@5ms:1ms", 30)
    assert value(page, "#ap-peak") == ap.peak and value(page, "#ap-spikes") == 1
    assert page.locator("#ap-numbers").get_attribute("aria-live") == "polite"
    names = page.evaluate(
        "() => document.querySelector('#ap-v .js-plotly-plot').data.map(d => d.name)"
    )
    assert names[1].startswith("E_Na = +63.6") and names[2].startswith("E_K = -74.2")
    assert "V_rest" in page.locator("#ap-v").inner_text()
    for label in ("[K+]out", "[Na+]out", "Temperature", "Step amplitude", "KCC2 level (rate)"):
        assert page.get_by_label(label, exact=True).count() == 1, label

    # Every slider thumb carries the name of its control.
    page.wait_for_function(
        "() => document.querySelector('#ap-k-slider [role=slider]').getAttribute('aria-label')"
        " === '[K+]out slider (log scale)'"
    )
    thumbs = page.locator(".ap-slider-group [role=slider]")
    assert thumbs.count() == 5
    assert all(thumbs.nth(i).get_attribute("aria-label") for i in range(5))
    check_contrast(page)
    assert page.evaluate(_UNNAMED_JS) == []

    # Five arrow-key presses on the [K+]out slider: log10 0.40 -> 0.45, 10**0.45 = 2.818 mM.
    page.locator("#ap-k-slider [role=slider]").focus()
    slider = []
    for _ in range(5):
        v, dt = changed(page, "#ap-vrest", lambda: page.keyboard.press("ArrowRight"))
        slider.append(dt)
    assert float(page.locator("#ap-k").input_value()) == 2.818
    assert v == cell(HH_IN, {"Na+": 140.0, "K+": 2.818}, 6.3).resting_potential()
    timings["ap slider key press -> new V_rest on the page"] = ms(slider)

    # Typing [K+]out = 10 mM: rest depolarises, the spike fails, and the words say why.
    typed = []
    for text in ("10", "5", "10"):
        v, dt = changed(page, "#ap-vrest", lambda t=text: page.locator("#ap-k").fill(t))
        typed.append(dt)
    assert v == cell(HH_IN, {"Na+": 140.0, "K+": 10.0}, 6.3).resting_potential()
    assert value(page, "#ap-spikes") == 0
    assert "No spike" in page.locator("#ap-words").inner_text()
    page.wait_for_function("() => window.location.search.includes('ap.K=10')")
    # Typed temperature above 30 degC: heat block in words.
    page.locator("#ap-k").fill("2.5")
    page.wait_for_function("() => window.location.search.includes('ap.K=2.5')")
    t_temp = changed(page, "#ap-ena", lambda: page.locator("#ap-celsius").fill("35"))[1]
    typed.append(t_temp)
    page.wait_for_function(
        "() => document.querySelector('#ap-words').innerText.includes('Above about 30')"
    )
    timings["ap typed value -> new number on the page"] = ms(typed)
    # Choosing the frog muscle fibre fills in its [K+]out, [Na+]out and temperature.
    page.locator("#ap-preset").click()
    page.locator("[role=option]", has_text="Frog skeletal muscle").first.click()
    page.wait_for_function("() => document.querySelector('#ap-k').value === '2.25'")
    frog = nernst.Cell.preset("frog-muscle")
    E_K = nernst.equilibrium_potential("K+", c_in=124.0, c_out=2.25, celsius=20.0)
    page.wait_for_function(
        "(v) => document.querySelector('#ap-ek [data-value]').getAttribute('data-value') == v",
        arg=repr(float(E_K)),
    )
    assert page.locator("#ap-na").input_value() == "109"
    assert page.locator("#ap-celsius").input_value() == "20" and frog.celsius == 20.0

    # A value out of range: an inline message, no traceback.
    page.locator("#ap-amp").fill("5000")
    page.wait_for_function(
        "() => document.querySelector('#ap-error').innerText.includes('out of range')"
    )


def test_browser_link_restores_scenario_and_voltage_clamp(browser, app_server, page, timings):
    app_server.opened = True
    pairs = [
        ("tab", "ap"),
        ("ap.cell", "squid-axon"),
        ("ap.K", "10"),
        ("ap.Na", "300"),
        ("ap.T", "18.5"),
        ("ap.amp", "20"),
        ("ap.train", "1"),
        ("ap.n", "3"),
        ("ap.every", "12"),
        ("ap.until", "45"),
        ("ap.kcc2", "1e-12"),
    ]
    open_tab(page, app_server.url + "?" + urlencode(pairs, quote_via=quote, safe=","))
    page.wait_for_function("() => document.querySelector('#ap-celsius').value === '18.5'")
    page.wait_for_selector("#ap-gaba-verdict")
    membrane = cell(SQUID_IN, {"Na+": 300.0, "K+": 10.0}, 18.5)
    ap = library_run(membrane, "20uA/cm2@5ms:1ms*3/12ms", 45)
    page.wait_for_function(
        "(v) => document.querySelector('#ap-ena [data-value]').getAttribute('data-value') == v",
        arg=repr(membrane.ena),
    )
    assert value(page, "#ap-spikes") == ap.n_spikes and value(page, "#ap-peak") == ap.peak
    assert page.locator("#ap-train input").is_checked()
    assert page.locator("#ap-gaba-verdict").inner_text() == "depolarising"
    query = parse_qs(urlsplit(page.url).query)
    assert query["ap.cell"] == ["squid-axon"] and query["ap.Na"] == ["300"]
    assert query["ap.n"] == ["3"] and query["ap.kcc2"] == ["1e-12"]

    # More KCC2 (typed): GABA becomes hyperpolarising.
    page.locator("#ap-kcc2").fill("1e-10")
    page.wait_for_function(
        "() => document.querySelector('#ap-gaba-verdict').innerText === 'hyperpolarising'"
    )

    # Voltage clamp, chosen from the keyboard: a family of 7 Na+ and K+ currents.
    page.get_by_label("current clamp (action potential)").focus()
    t0 = time.perf_counter()
    page.keyboard.press("ArrowDown")
    page.wait_for_selector("#ap-vc-count [data-value]")
    page.wait_for_function(
        "() => { const g = document.querySelector('#ap-second-plot .js-plotly-plot');"
        " return g && g.data && g.data.length === 7 && g.data[0].name === '-80 mV'; }"
    )
    timings["ap voltage-clamp switch -> family drawn"] = f"{time.perf_counter() - t0:.2f} s"
    assert value(page, "#ap-vc-count") == 7
    family = nernst.voltage_clamp_hh(
        membrane, levels=[-80, -60, -40, -20, 0, 20, 40], hold=-65, duration="10ms", dt="20us"
    )
    assert value(page, "#ap-vc-peak-na") == float(family.peak_na.min())
    assert page.locator("#ap-vc-controls").is_visible()
    assert not page.locator("#ap-cc-controls").is_visible()
    page.wait_for_function("() => window.location.search.includes('ap.mode=vc')")

    # The address bar reopens the voltage-clamp scenario.
    open_tab(page, page.url)
    page.wait_for_selector("#ap-vc-count [data-value]")
    assert value(page, "#ap-vc-peak-na") == float(family.peak_na.min())


def test_browser_malformed_link_gives_an_inline_message(browser, app_server, page):
    app_server.opened = True
    open_tab(page, app_server.url + "?tab=ap&ap.K=abc&ap.T=-400&ap.cell=%3Cscript%3E")
    page.wait_for_function(
        "() => document.querySelector('#ap-load-msg').innerText.includes(\"ap.K='abc'\")"
    )
    message = page.locator("#ap-load-msg").inner_text()
    assert "ap.T='-400'" in message and "ap.cell='<script>'" in message
    assert value(page, "#ap-spikes") == 1  # the defaults stay
    assert page.locator("#ap-error").inner_text() == ""
