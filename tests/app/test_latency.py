"""Update latency per control, measured in a real Chromium (printed, not asserted).

For each control: from the user's event (key press, typed value, click) to the next frame
showing the new number, measured inside the page (``performance.now()``) as in
test_browser.py. Repeated a few times per control; the terminal summary gives median and max.
Each new number is also checked against the library, so a fast wrong answer cannot pass.
"""

from __future__ import annotations

import json
import statistics

import nernst
from app._probe import changed as timed

REPEATS = 6


def record(timings: dict[str, str], name: str, seconds: list[float]) -> None:
    timings[f"latency: {name}"] = (
        f"median {1e3 * statistics.median(seconds):.0f} ms, max {1e3 * max(seconds):.0f} ms "
        f"over {len(seconds)}"
    )


def gid(kind: str, ion: str) -> str:
    return "[id='" + json.dumps({"ion": ion, "type": f"ghk-{kind}"}, separators=(",", ":")) + "']"


def test_latency_nernst_controls(app_server, page, timings):
    page.goto(app_server.url)
    page.wait_for_selector("#nernst-E [data-value]")
    page.wait_for_selector("#nernst-plot .js-plotly-plot .main-svg")
    # Slider, one arrow key per step.
    thumb = page.locator("#nernst-cout-slider [role=slider]")
    thumb.focus()
    seconds = []
    for _ in range(REPEATS):
        E, dt = timed(page, "#nernst-E", lambda: page.keyboard.press("ArrowRight"))
        c_out = float(page.locator("#nernst-cout").input_value())
        assert E == nernst.equilibrium_potential("K+", c_in=140.0, c_out=c_out)
        seconds.append(dt)
    record(timings, "Nernst c_out slider (arrow key)", seconds)
    # Typed concentration.
    seconds = []
    for k in range(REPEATS):
        value = f"{100 + 7 * k}"
        E, dt = timed(page, "#nernst-E", lambda v=value: page.locator("#nernst-cin").fill(v))
        assert E == nernst.equilibrium_potential("K+", c_in=float(value), c_out=c_out)
        seconds.append(dt)
    record(timings, "Nernst c_in typed", seconds)
    # Temperature typed.
    seconds = []
    for k in range(REPEATS):
        value = f"{20 + k}"
        _, dt = timed(page, "#nernst-E", lambda v=value: page.locator("#nernst-celsius").fill(v))
        seconds.append(dt)
    record(timings, "Nernst temperature typed", seconds)


def test_latency_ghk_controls(app_server, page, timings):
    page.goto(app_server.url + "?tab=ghk")
    page.wait_for_selector("#ghk-vrest [data-value]")
    page.wait_for_selector("#ghk-axis .js-plotly-plot .main-svg")
    neuron = nernst.Cell.preset("mammalian-neuron")
    seconds = []
    for k in range(REPEATS):
        value = f"{0.05 + 0.01 * k:.2f}"
        V, dt = timed(page, "#ghk-vrest", lambda v=value: page.locator(gid("p", "Na+")).fill(v))
        expected = nernst.ghk_voltage(
            {**neuron.permeability, "Na+": float(value)}, c_in=neuron.inside, c_out=neuron.outside
        )
        assert V == expected
        seconds.append(dt)
    record(timings, "GHK permeability typed", seconds)
    seconds = []
    for k in range(REPEATS):
        value = f"{6 + k}"
        _, dt = timed(page, "#ghk-vrest", lambda v=value: page.locator(gid("cout", "K+")).fill(v))
        seconds.append(dt)
    record(timings, "GHK concentration typed", seconds)
    # Presets (the rows are rebuilt, then recomputed).
    seconds = []
    for name in ["Squid", "Frog", "Mammalian", "Squid", "Frog", "Mammalian"]:

        def choose(n: str = name) -> None:
            page.locator("#ghk-preset").click()
            page.locator("[role=option]", has_text=n).first.click()

        _, dt = timed(page, "#ghk-vrest", choose)
        seconds.append(dt)
    record(timings, "GHK preset chosen", seconds)


def test_latency_beginner_slider(app_server, page, timings):
    page.goto(app_server.url + "?tab=ghk&view=beginner")
    page.wait_for_selector("#ghk-vrest [data-value]")
    page.wait_for_selector("#ghk-beginner-Naplus [role=slider]")
    page.locator("#ghk-beginner-Naplus [role=slider]").focus()
    seconds = []
    for _ in range(REPEATS):
        _, dt = timed(page, "#ghk-vrest", lambda: page.keyboard.press("ArrowRight"))
        seconds.append(dt)
    record(timings, "beginner P(Na+) slider (arrow key)", seconds)


def test_latency_junction_typed(app_server, page, timings):
    page.goto(app_server.url + "?tab=junction")
    page.wait_for_selector("#junction-ljp [data-value]")
    seconds = []
    for k in range(REPEATS):
        value = f"{21 + k}"
        _, dt = timed(
            page, "#junction-ljp", lambda v=value: page.locator("#junction-celsius").fill(v)
        )
        seconds.append(dt)
    record(timings, "junction temperature typed", seconds)
