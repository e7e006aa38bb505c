"""The Dynamics tab: its callbacks against nernst.dynamics, and a real browser watching V build up.

The callbacks are called directly and every number they put on the page is compared with
:func:`nernst.dynamics.simulate` (and :func:`nernst.dynamics.pump_leak_steady_state`) run here
with the same arguments; textbook numbers are also checked with arithmetic written here (CODATA
2018 exact constants). The browser test opens the tab in headless Chromium, runs the approach
to equilibrium, reads the final V and plays the animation.
"""

from __future__ import annotations

import math
import re
import time

import numpy as np
import pytest
from dash.exceptions import PreventUpdate

import nernst
from nernst.app import dynamics_tab as dyn
from nernst.app import ghk_tab
from nernst.app.layout import discover_tabs
from nernst.dynamics import pump_leak_steady_state, simulate

# CODATA 2018 exact: R = k_B N_A, F = e N_A; RT/F at 37 degC (310.15 K) = 26.7267 mV.
R = 1.380649e-23 * 6.02214076e23
F = 1.602176634e-19 * 6.02214076e23
VT_37 = R * 310.15 / F * 1e3

NEURON = nernst.Cell.preset("mammalian-neuron")
K_ONLY = nernst.Cell(
    NEURON.inside,
    NEURON.outside,
    {ion: (1.0 if ion == "K+" else 0.0) for ion in NEURON.inside},
    NEURON.celsius,
)
#: The app's solver tolerances, written out (rtol, atol in mV).
TOLERANCES = {"rtol": 1e-7, "atol": 1e-5}


def linear_grid(until: float) -> np.ndarray:
    return np.linspace(0.0, until, 401)


def spans(component) -> dict[str, float]:
    """Every value span under a component: the id of its nearest parent (or the ion of its
    table row) -> the full-precision number in ``data-value``."""
    found: dict[str, float] = {}

    def walk(node, owner):
        if isinstance(node, (list, tuple)):
            for item in node:
                walk(item, owner)
        elif hasattr(node, "to_plotly_json"):
            props = node.to_plotly_json()["props"]
            owner = props.get("id") or props.get("data-ion") or owner
            if "data-value" in props:
                found[owner] = float(props["data-value"])
            walk(props.get("children"), owner)

    walk(component, None)
    return found


def text_of(component) -> str:
    parts: list[str] = []

    def walk(node):
        if isinstance(node, (list, tuple)):
            for item in node:
                walk(item)
        elif hasattr(node, "to_plotly_json"):
            walk(node.to_plotly_json()["props"].get("children"))
        elif node is not None:
            parts.append(str(node))

    walk(component)
    return " ".join(parts)


def run(*args, **kwargs) -> dict:
    return dict(zip(dyn.OUTPUTS, dyn.compute_dynamics(*args, **kwargs), strict=True))


# -- callbacks called directly -----------------------------------------------------------------
def test_k_only_approach_is_the_library_time_course(timings):
    t0 = time.perf_counter()
    out = run("mammalian-neuron", "approach-k", "200ms", 4, 10, "linear")
    timings["dynamics run callback (neuron, K+ only, 200 ms)"] = (
        f"{time.perf_counter() - t0:.3f} s (first call, with imports)"
    )
    assert out["error"] == ""
    expected = simulate(K_ONLY, model="approach", until=0.2, t_eval=linear_grid(0.2), **TOLERANCES)
    # The plotted time course is the library's, point for point (ms on the axis).
    trace = out["v_figure"]["data"][0]
    assert trace["y"] == expected.V.tolist()
    assert trace["x"] == (expected.t / 1e-3).tolist()
    assert out["series"]["V"] == expected.V.tolist() and out["series"]["unit"] == "ms"
    assert out["frame_max"] == out["frame"] == len(expected.t) - 1 == 400
    assert out["timer_disabled"] is True
    # Concentration panel: the change of each inside concentration in uM.
    k_trace = next(tr for tr in out["c_figure"]["data"] if tr["name"] == "K+")
    assert k_trace["y"] == ((expected.c_in["K+"] - expected.c_in["K+"][0]) * 1e3).tolist()

    numbers = spans(out["summary"])
    assert numbers["dyn-final"] == expected.V_final
    assert numbers["dyn-target"] == expected.target
    assert numbers["dyn-tau"] == expected.tau_membrane
    for ion in NEURON.inside:
        assert numbers[ion] == expected.fraction_crossed[ion]
    assert "E_K (Nernst)" in text_of(out["summary"])

    # Textbook numbers, by independent arithmetic: E_K = RT/F ln(5/140) = -89.06 mV; the
    # K+ that left charges 1 uF/cm^2 of a 10 um sphere to E_K: a fraction 3 C |E| / (F c r)
    # = 3 * 1e-6 F/cm^2 * 0.08906 V / (F * 140e-6 mol/cm^3 * 1e-3 cm) = 1.98e-5.
    E_K = VT_37 * math.log(5 / 140)
    assert expected.target == pytest.approx(E_K, abs=1e-9)
    assert numbers["dyn-final"] == pytest.approx(E_K, abs=0.01)
    assert numbers["K+"] == pytest.approx(
        3 * 1e-6 * abs(E_K) * 1e-3 / (F * 140e-6 * 1e-3), rel=1e-3
    )
    assert numbers["Na+"] == 0.0  # impermeant in this scenario


def test_approach_with_every_ion_ends_at_the_ghk_potential_after_auto_duration(timings):
    t0 = time.perf_counter()
    out = run("mammalian-neuron", "approach", "auto", 4, 10, "linear")
    timings["dynamics run callback (neuron, every ion, auto = 100 ms)"] = (
        f"{time.perf_counter() - t0:.3f} s"
    )
    # auto = 12 membrane time constants (12 x 6.61 ms = 79 ms) rounded up to 100 ms.
    expected = simulate(NEURON, model="approach", until=0.1, t_eval=linear_grid(0.1), **TOLERANCES)
    assert out["series"]["t"][-1] == 100.0
    assert out["v_figure"]["data"][0]["y"] == expected.V.tolist()
    numbers = spans(out["summary"])
    assert numbers["dyn-final"] == expected.V_final
    V_ghk = nernst.ghk_voltage(NEURON.permeability, c_in=NEURON.inside, c_out=NEURON.outside)
    assert numbers["dyn-target"] == V_ghk
    assert numbers["dyn-final"] == pytest.approx(V_ghk, abs=0.01)
    assert 12 * numbers["dyn-tau"] * 1e-3 <= 0.1
    # The app's tolerances change nothing visible: the library's default run agrees.
    default = simulate(NEURON, until=0.1)
    assert default.V_final == pytest.approx(expected.V_final, abs=1e-4)
    assert "V_rest (GHK)" in text_of(out["summary"])


def test_log_time_axis_samples_decades_and_drops_t0():
    out = run("mammalian-neuron", "approach", "1h", 4, 10, "log")
    grid = np.concatenate([[0.0], np.geomspace(3600e-6, 3600, 400)])
    expected = simulate(NEURON, model="approach", until=3600, t_eval=grid, **TOLERANCES)
    trace = out["v_figure"]["data"][0]
    assert trace["x"] == expected.t[1:].tolist()
    assert trace["y"] == expected.V[1:].tolist()
    assert out["v_figure"]["layout"]["xaxis"]["type"] == "log"
    assert out["series"]["unit"] == "s" and out["frame_max"] == 399
    # Over an hour the cell drifts from the GHK potential toward Donnan equilibrium; the
    # concentration changes are then shown in mM.
    assert abs(expected.V_final - expected.target) > 10
    k_trace = next(tr for tr in out["c_figure"]["data"] if tr["name"] == "K+")
    assert k_trace["y"] == (expected.c_in["K+"][1:] - expected.c_in["K+"][0]).tolist()
    assert out["c_figure"]["layout"]["yaxis"]["title"]["text"].endswith("(mM)")
    assert "toward Donnan equilibrium" in text_of(out["summary"])


@pytest.mark.parametrize(
    ("scenario", "factors", "step"),
    [
        ("pump-block", (4, 10), "pump-block@360s"),
        ("k-step", (4, 10), "k-out=x4@360s"),
        ("na-step", (4, 10), "perm:Na+=x10@360s"),
        ("k-step", (2.5, 10), "k-out=x2.5@360s"),
    ],
)
def test_pump_leak_scenarios_are_the_library_time_course(scenario, factors, step):
    out = run("mammalian-neuron", scenario, "1h", *factors, "linear")
    assert out["error"] == ""
    expected = simulate(
        NEURON,
        model="pump-leak",
        until=3600,
        perturb=[step],
        t_eval=linear_grid(3600),
        **TOLERANCES,
    )
    assert out["v_figure"]["data"][0]["y"] == expected.V.tolist()
    volume = next(tr for tr in out["c_figure"]["data"] if tr["name"] == "volume / start")
    assert volume["y"] == (expected.volume / expected.volume[0]).tolist()
    na = next(tr for tr in out["c_figure"]["data"] if tr["name"] == "Na+")
    assert na["y"] == expected.c_in["Na+"].tolist()
    numbers = spans(out["summary"])
    assert numbers["dyn-final"] == expected.V_final
    assert numbers["dyn-tau"] == expected.tau_membrane
    steady = pump_leak_steady_state(NEURON, perturb=[step.split("@")[0]])
    assert numbers["dyn-steady"] == steady.V
    # The step is marked at t0 = 6 min on the time axis (minutes).
    assert out["series"]["unit"] == "min"
    assert {s["x0"] for s in out["v_figure"]["layout"]["shapes"] if s.get("yref") == "paper"} == {
        6.0
    }
    # Published behaviour: blocking the pump or raising K_o depolarises the cell (Tosteson
    # & Hoffman 1960; Hodgkin & Horowicz 1959); with the pump blocked it swells (Kay 2017).
    assert expected.V_final > expected.V[0]
    if scenario == "pump-block":
        assert volume["y"][-1] > 1.0


def test_cell_from_the_ghk_tab():
    squid = ghk_tab.preset_scenario("squid-axon")
    state = {**squid, "p_abs": 1e-6, "query": "ghk.title=squid"}
    out = run("ghk", "approach", "20ms", 4, 10, "linear", state)
    cell = nernst.Cell.preset("squid-axon")
    expected = simulate(cell, model="approach", until=0.02, t_eval=linear_grid(0.02), **TOLERANCES)
    assert out["v_figure"]["data"][0]["y"] == expected.V.tolist()
    # A changed GHK cell is a different run (the key includes the GHK tab's query).
    assert "ghk.title=squid" in out["series"]["key"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("mammalian-neuron", "approach", "2d", 4, 10, "linear"), "between 1 µs and 1 day"),
        (("mammalian-neuron", "approach", "soon", 4, 10, "linear"), "not understood"),
        (("mammalian-neuron", "approach", "0s", 4, 10, "linear"), "between 1 µs and 1 day"),
        (("mammalian-neuron", "k-step", "auto", -1, 10, "linear"), "K+ factor"),
        (("mammalian-neuron", "na-step", "auto", 4, None, "linear"), "P_Na factor"),
        (("e-coli", "pump-block", "auto", 4, 10, "linear"), "needs a Na+ leak"),
        (("mitochondrion", "k-step", "auto", 4, 10, "linear"), "needs Na+ and K+"),
        (("nowhere", "approach", "auto", 4, 10, "linear"), "Unknown cell"),
        (("mammalian-neuron", "bogus", "auto", 4, 10, "linear"), "Unknown scenario"),
        (("ghk", "approach", "auto", 4, 10, "linear"), "GHK tab has no valid cell"),
    ],
)
def test_bad_input_is_an_inline_message(args, message):
    out = run(*args)
    assert message in out["error"]
    assert out["v_figure"] == {} and out["series"] is None and out["summary"] == ""


def test_cell_without_k_cannot_run_k_only():
    state = {
        "title": "Na only",
        "celsius": 37.0,
        "ions": [{"ion": "Na+", "c_in": 10.0, "c_out": 145.0, "p": 1.0}],
    }
    assert "has no K+" in run("ghk", "approach-k", "auto", 4, 10, "linear", state)["error"]


def test_a_long_run_is_stopped_with_a_message(monkeypatch):
    monkeypatch.setattr(dyn, "RUN_BUDGET_S", 0.0)
    out = run("mammalian-neuron", "pump-block", "1d", 4, 10, "linear")
    assert "needs more than 0 s of computing" in out["error"]
    assert "shorter duration" in out["error"]


def test_url_state_round_trips():
    state = dyn.dynamics_state("frog-muscle", "na-step", "10min", 4, 2.5, "log")
    assert state["query"] == (
        "dynamics.preset=frog-muscle&dynamics.scenario=na-step&dynamics.duration=10min"
        "&dynamics.nax=2.5&dynamics.axis=log"
    )
    assert dyn.load_dynamics("?tab=dynamics&" + state["query"]) == (
        "frog-muscle",
        "na-step",
        "10min",
        dyn.DEFAULT_K_FACTOR,
        2.5,
        "log",
    )
    # Junk falls back to the defaults; no dynamics parameter leaves the controls alone.
    assert dyn.load_dynamics("?dynamics.preset=<x>&dynamics.scenario=rm&dynamics.kx=nan") == (
        "mammalian-neuron",
        "approach-k",
        "auto",
        dyn.DEFAULT_K_FACTOR,
        dyn.DEFAULT_NA_FACTOR,
        "linear",
    )
    with pytest.raises(PreventUpdate):
        dyn.load_dynamics("?tab=ghk&ghk.T=20")


def test_tab_is_discovered_and_registered():
    from nernst.app import build_dash

    assert [t.id for t in discover_tabs()][:2] == ["nernst", "ghk"]
    assert "dynamics" in [t.id for t in discover_tabs()]
    app = build_dash()
    assert "dyn-state.data" in app.callback_map
    assert any("dyn-v-data.data" in key for key in app.callback_map)


# -- a real browser ------------------------------------------------------------------------------
def is_run_request(response) -> bool:
    """The browser's request for the tab's run callback."""
    body = response.request.post_data or ""
    return "_dash-update-component" in response.url and "dyn-summary" in body


def test_watch_the_potential_build_up(browser, app_server, page, tmp_path, timings):
    app_server.opened = True
    page.goto(app_server.url)
    page.locator("#tab-dynamics").click()
    # The default scenario (K+ only) runs when the tab opens.
    page.wait_for_selector("#dyn-final [data-value]")
    page.wait_for_function(
        "() => document.querySelector('#dyn-summary').innerText.includes('E_K (Nernst)')"
    )

    # Choose the approach with every permeant ion; it runs at once.
    t_choose = time.perf_counter()
    page.locator("#dyn-scenario input[value='approach']").check()
    page.wait_for_function(
        "() => document.querySelector('#dyn-summary').innerText.includes('V_rest (GHK)')"
    )
    timings["dynamics: choose a scenario -> new run on the page"] = (
        f"{time.perf_counter() - t_choose:.2f} s"
    )
    # The Run button runs it again (same answer); wait for that answer before playing.
    with page.expect_response(is_run_request) as answer:
        page.locator("#dyn-run").click()
    assert answer.value.ok
    for graph_id in ("dyn-v", "dyn-conc"):
        page.wait_for_selector(f"#{graph_id} .js-plotly-plot .main-svg")
    V_final = float(page.locator("#dyn-final [data-value]").get_attribute("data-value"))
    V_ghk = nernst.ghk_voltage(NEURON.permeability, c_in=NEURON.inside, c_out=NEURON.outside)
    assert V_final == pytest.approx(V_ghk, abs=0.01)  # the run's arrival tolerance
    assert "dynamics.scenario=approach" in page.url

    # The cursor starts at the end: the readout shows the final V.
    page.wait_for_function(
        "(v) => document.querySelector('#dyn-now-v').innerText === v",
        arg=f"V = {V_final:+.2f} mV",
    )
    t_end = page.locator("#dyn-now-t").inner_text()
    assert t_end == "t = 100 ms"

    # Play: the cursor restarts from t = 0 and moves on; the displayed V follows it.
    page.locator("#dyn-play").click()
    page.wait_for_function("() => document.querySelector('#dyn-play').innerText.includes('Pause')")
    seen_t, seen_v = set(), set()
    deadline = time.perf_counter() + 8
    while (len(seen_t) < 3 or len(seen_v) < 3) and time.perf_counter() < deadline:
        seen_t.add(page.locator("#dyn-now-t").inner_text())
        seen_v.add(page.locator("#dyn-now-v").inner_text())
        page.wait_for_timeout(60)
    assert len(seen_t) >= 3 and len(seen_v) >= 3, (seen_t, seen_v)
    shown = [float(re.search(r"[-+]?\d+\.\d+", v).group()) for v in seen_v]
    assert min(shown) > V_final - 0.01 and max(shown) <= 0.0  # from 0 mV down toward V_rest
    page.screenshot(path=str(tmp_path / "app-dynamics.png"), full_page=True)

    # Pause: the cursor stops.
    page.locator("#dyn-play").click()
    page.wait_for_function("() => document.querySelector('#dyn-play').innerText.includes('Play')")
    stopped = page.locator("#dyn-now-t").inner_text()
    page.wait_for_timeout(300)
    assert page.locator("#dyn-now-t").inner_text() == stopped
