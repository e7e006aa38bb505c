"""The membrane view in a real Chromium: the picture follows the controls and the library.

Checked on the drawn SVG: one channel per ion whose width orders as the permeabilities (closed
at 0), net-flux arrows in the directions :meth:`nernst.Cell.report` gives, shares of V_rest
that obey the chord-conductance law V_rest = sum w_i E_i (Hodgkin & Horowicz 1959, J Physiol
148:127, doi:10.1113/jphysiol.1959.sp006278, eq. 3), a pause control that stops the moving
ions, and a Nernst-tab picture whose flux at V = 0 runs down the concentration gradient.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import nernst

NEURON = nernst.Cell.preset("mammalian-neuron")


def gid(kind: str, ion: str) -> str:
    return "[id='" + json.dumps({"ion": ion, "type": f"ghk-{kind}"}, separators=(",", ":")) + "']"


def drawn(page: Any, box: str) -> dict[str, Any]:
    return page.evaluate(
        "(box) => { const root = document.querySelector('#' + box + ' svg');"
        " if (!root) { return null; }"
        " const out = {channels: {}, arrows: {}, shares: {}, E: {}, dots: 0};"
        " root.querySelectorAll('.channel').forEach(c =>"
        "   out.channels[c.dataset.ion] = parseFloat(c.dataset.width));"
        " root.querySelectorAll('.flux-arrow').forEach(a =>"
        "   out.arrows[a.dataset.ion] = a.dataset.flux);"
        " root.querySelectorAll('text[data-share]').forEach(t => {"
        "   out.E[t.dataset.ion] = parseFloat(t.getAttribute('data-e'));"
        "   if (t.dataset.share) { out.shares[t.dataset.ion] = parseFloat(t.dataset.share); } });"
        " out.dots = root.querySelectorAll('.ion-dot').length;"
        " out.desc = root.querySelector('desc').textContent; return out; }",
        box,
    )


def test_ghk_membrane_view_follows_the_library(app_server, page):
    page.goto(app_server.url + "?tab=ghk")
    page.wait_for_selector("#ghk-membrane svg .channel", state="attached")
    view = drawn(page, "ghk-membrane")
    report = NEURON.report()
    # Channels: widest for K+ (P = 1), then Cl- (0.45), Na+ (0.04); Ca2+ (P = 0) closed.
    w = view["channels"]
    assert w["K+"] > w["Cl-"] > w["Na+"] > 0 and w["Ca2+"] == 0
    # Arrows: the library's net passive flux of each permeant ion at V_rest.
    assert view["arrows"] == {r.ion: r.flux for r in report.ions if r.permeability > 0}
    assert view["dots"] == 3 * len(view["arrows"])
    # Shares: sum to 1 and weight the E's to V_rest (the chord-conductance equation).
    V = NEURON.resting_potential()
    assert sum(view["shares"].values()) == pytest.approx(1.0, rel=1e-12)
    assert sum(view["shares"][i] * view["E"][i] for i in view["shares"]) == pytest.approx(
        V, abs=1e-9
    )
    assert "K+: 140 mM inside, 5 mM outside" in view["desc"]

    # The picture follows the controls: P(Na+) = 1 gives Na+ as wide a channel as K+.
    page.locator(gid("p", "Na+")).fill("1")
    page.wait_for_function(
        "() => { const c = document.querySelector('#ghk-membrane .channel[data-ion=\"Na+\"]');"
        " const k = document.querySelector('#ghk-membrane .channel[data-ion=\"K+\"]');"
        " return c && k && c.dataset.width === k.dataset.width; }"
    )


def test_pause_stops_the_moving_ions(app_server, page):
    page.goto(app_server.url + "?tab=ghk")
    page.wait_for_selector("#ghk-membrane svg .ion-dot", state="attached")
    state = (
        "() => getComputedStyle(document.querySelector('#ghk-membrane .ion-dot'))"
        ".animationPlayState"
    )
    assert page.evaluate(state) == "running"
    button = page.locator("#ghk-membrane-pause")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(state + " === 'paused'")
    assert button.get_attribute("aria-pressed") == "true"
    assert button.inner_text() == "Play animation"
    button.click()
    page.wait_for_function(state + " === 'running'")


def test_nernst_membrane_view_flux_runs_down_the_gradient(app_server, page):
    page.goto(app_server.url)
    page.wait_for_selector("#nernst-membrane svg .flux-arrow", state="attached")
    assert drawn(page, "nernst-membrane")["arrows"] == {"K+": "out"}  # 140 mM in, 5 out
    page.locator("#nernst-cout").fill("400")
    page.wait_for_function(
        "() => { const a = document.querySelector('#nernst-membrane .flux-arrow');"
        " return a && a.dataset.flux === 'in'; }"
    )
    E = drawn(page, "nernst-membrane")["E"]["K+"]
    assert E == nernst.equilibrium_potential("K+", c_in=140.0, c_out=400.0)
    # A bad input clears the picture with the rest.
    page.locator("#nernst-cout").fill("")
    page.wait_for_function("() => document.querySelector('#nernst-membrane svg') === null")
