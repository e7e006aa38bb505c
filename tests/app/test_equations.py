"""Typeset equations in a real Chromium: MathJax from the app itself, ln and log10 forms.

The page must not ask any other host for anything (MathJax is Dash's bundled copy, served
locally); the numbers in the typeset equation are the library's: E from
:func:`nernst.equilibrium_potential`, RT/F from :func:`nernst.thermal_voltage` and the
log10 slope (61.54 mV per decade at 37 °C for z = +1, i.e. 2.303 RT/F; Hille 2001, Ion
Channels of Excitable Membranes, 3rd ed., ch. 1, p. 13 gives 61.5 mV at 37 °C).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import nernst


def tex_of(page: Any, box: str) -> str:
    """The TeX behind MathJax's rendering (its assistive MathML text), else the box text."""
    return page.evaluate(
        "(box) => { const e = document.querySelector(box); return e ? e.textContent : ''; }",
        box,
    )


def test_nernst_equation_is_typeset_locally_with_both_forms(app_server, page):
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    page.goto(app_server.url)
    page.wait_for_selector("#nernst-equation mjx-container")
    text = tex_of(page, "#nernst-equation")
    assert "26.73" in text and "-89.06" in text.replace("−", "-")
    page.locator("#nernst-eqform input[value='log10']").check()
    page.wait_for_function(
        "() => document.querySelector('#nernst-equation').textContent.includes('61.54')"
    )
    # The slope shown is the library's E per decade, 61.5 mV at 37 °C as published (Hille).
    slope = nernst.equilibrium_potential("K+", c_in=1.0, c_out=10.0)
    assert round(slope, 1) == 61.5 and f"{slope:.2f}" == "61.54"
    assert page.locator("#nernst-equation mjx-container").count() >= 2
    assert hosts == {urlsplit(app_server.url).netloc}, hosts


def test_ghk_equation_has_the_terms_and_never_overflows(app_server, page):
    page.goto(app_server.url + "?tab=ghk")
    page.wait_for_selector("#ghk-equation mjx-container")
    text = tex_of(page, "#ghk-equation")
    assert "-67.31" in text.replace("−", "-")  # V_rest of the neuron preset
    assert round(nernst.Cell.preset("mammalian-neuron").resting_potential(), 2) == -67.31
    widths = page.evaluate(
        "() => ['#ghk-explain', '.equation-panel'].map(s => {"
        " const e = document.querySelector(s); return [e.scrollWidth, e.clientWidth]; })"
    )
    for scroll, client in widths:
        assert scroll <= client + 1, widths
