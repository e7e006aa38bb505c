"""Printing and the worksheet in a real Chromium.

Print: with the print stylesheet at the width of an A4 page (186 mm of text, 703 CSS px),
nothing is wider than the page, the controls are gone, and each plot, the membrane view, the
equation and the table are kept whole (``break-inside: avoid``); Chromium prints it to a PDF.
Worksheet: the GHK tab's link opens a page with five questions about the current cell and, on
a new printed page, their answers, each the library's number.
"""

from __future__ import annotations

from typing import Any

import pytest

import nernst

NEURON = nernst.Cell.preset("mammalian-neuron")
A4_TEXT_WIDTH_PX = 703  # (210 mm - 2 x 12 mm margins) at 96 px per inch

_WIDE_JS = """
(limit) => {
    const bad = [];
    for (const e of document.querySelectorAll('.page *')) {
        const s = getComputedStyle(e);
        if (s.display === 'none' || e.closest('[style*="display: none"]')) { continue; }
        const r = e.getBoundingClientRect();
        if (r.width > 0 && r.right > limit + 1) { bad.push((e.id || e.tagName) + ' ' + r.right); }
    }
    return bad.slice(0, 8);
}
"""


@pytest.mark.parametrize("tab", ["nernst", "ghk"])
def test_print_view_fits_the_page_and_keeps_blocks_whole(app_server, browser, tab, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(app_server.url + f"?tab={tab}")
        page.wait_for_selector(".js-plotly-plot .main-svg")
        page.wait_for_selector(f"#{tab}-equation mjx-container")
        page.emulate_media(media="print")
        page.set_viewport_size({"width": A4_TEXT_WIDTH_PX, "height": 1000})
        page.wait_for_timeout(800)  # Plotly redraws at the new width
        assert page.evaluate(_WIDE_JS, A4_TEXT_WIDTH_PX) == []
        for selector in (".controls input[type=number]", "#share-url", "button"):
            hidden = page.evaluate(
                "(s) => Array.from(document.querySelectorAll(s)).every(e => !e.offsetParent)",
                selector,
            )
            assert hidden or selector.startswith(".controls"), selector
        for selector in (".graph", ".membrane-panel", ".equation-panel"):
            assert (
                page.evaluate(
                    "(s) => getComputedStyle(document.querySelector(s)).breakInside", selector
                )
                == "avoid"
            ), selector
        pdf = page.pdf(path=str(tmp_path / f"{tab}.pdf"), format="A4", print_background=True)
        assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 1
    finally:
        context.close()


def test_worksheet_asks_five_questions_and_answers_with_the_library(app_server, page):
    page.goto(app_server.url + "?tab=ghk")
    page.wait_for_selector("#ghk-vrest [data-value]")
    page.wait_for_function(
        "() => document.querySelector('#ghk-worksheet').getAttribute('href').includes('ghk.ion')"
    )
    with page.expect_popup() as popup:
        page.locator("#ghk-worksheet").click()
    sheet: Any = popup.value
    sheet.wait_for_selector(".answers li")
    assert sheet.locator(".questions li").count() == 5
    assert sheet.locator(".answers").evaluate("e => getComputedStyle(e).breakBefore") == "page"
    answers = [
        float(v)
        for v in sheet.locator(".answers li").evaluate_all(
            "items => items.map(i => i.dataset.value)"
        )
    ]
    kw = {"c_in": NEURON.inside, "c_out": NEURON.outside}
    assert answers[0] == nernst.ghk_voltage(NEURON.permeability, **kw)
    assert answers[1] == nernst.equilibrium_potential("K+", c_in=140.0, c_out=5.0)
    doubled = {**NEURON.outside, "K+": 10.0}
    assert answers[2] == nernst.ghk_voltage(NEURON.permeability, c_in=NEURON.inside, c_out=doubled)
    opened = {**NEURON.permeability, "Na+": 0.4}
    assert answers[3] == pytest.approx(nernst.ghk_voltage(opened, **kw), rel=1e-12)
    assert "doubles" in sheet.locator(".questions").inner_text()


def test_worksheet_without_a_cell_is_a_400_with_a_message(app_server):
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(app_server.url + "worksheet?ghk.ion=K%2B,abc,5,1", timeout=10)
    assert err.value.code == 400
    assert "not a number" in err.value.read().decode()
