"""The beginner view in a real Chromium: a switch kept in the link, few controls, same physics.

On: the GHK tab shows only permeability sliders for K+, Na+ and Cl-, V_rest, the membrane view
and one plot; the slider moves the ion's permeability and V_rest is the library's for it. The
switch is part of the shared link (``view=beginner``) and restores from it.
"""

from __future__ import annotations

import json

import nernst

NEURON = nernst.Cell.preset("mammalian-neuron")


def pid(kind: str, ion: str) -> str:
    return "[id='" + json.dumps({"ion": ion, "type": f"ghk-{kind}"}, separators=(",", ":")) + "']"


def test_beginner_view_hides_the_rest_and_keeps_the_physics(app_server, page):
    page.goto(app_server.url + "?tab=ghk&view=beginner")
    page.wait_for_selector("#ghk-vrest [data-value]")
    page.wait_for_selector("#ghk-beginner-Naplus [role=slider]")
    assert page.locator("#beginner input").is_checked()
    for hidden in ("#ghk-celsius", "#ghk-iv", "#ghk-energetics", "#ghk-equation", "#tab-dynamics"):
        assert not page.locator(hidden).is_visible(), hidden
    for shown in ("#ghk-vrest", "#ghk-membrane", "#ghk-axis", "#ghk-beginner-Kplus"):
        assert page.locator(shown).is_visible(), shown
    # The slider starts at the cell's P(Na+) = 0.04 and End opens Na+ channels to P = 10.
    thumb = page.locator("#ghk-beginner-Naplus [role=slider]")
    page.wait_for_function(
        "() => { const t = document.querySelector('#ghk-beginner-Naplus [role=slider]');"
        " return t && Math.abs(parseFloat(t.getAttribute('aria-valuenow')) - Math.log10(0.04))"
        " < 1e-9; }"
    )
    thumb.focus()
    page.keyboard.press("End")
    page.wait_for_function(
        "(sel) => document.querySelector(sel).value === '10'", arg=pid("p", "Na+")
    )
    page.wait_for_function(
        "(v) => document.querySelector('#ghk-vrest [data-value]').getAttribute('data-value') === v",
        arg=repr(
            float(
                nernst.ghk_voltage(
                    {**NEURON.permeability, "Na+": 10.0}, c_in=NEURON.inside, c_out=NEURON.outside
                )
            )
        ),
    )
    assert "view=beginner" in page.url
    # Off: everything is back, and the link no longer asks for the beginner view.
    page.locator("#beginner input").uncheck()
    page.wait_for_function("() => !window.location.search.includes('view=beginner')")
    assert page.locator("#ghk-celsius").is_visible() and page.locator("#ghk-iv").is_visible()
    assert not page.locator("#ghk-beginner-Kplus").is_visible()
