"""Screenshots of every tab at a desktop (1440 px) and a phone (390 px) width.

Each is saved in the test's tmp dir; with NERNST_UPDATE_SCREENSHOT=1 they also replace
docs/images/app-<tab>-<width>.png (the pictures the docs and the README show). The test checks
that the page has its result and, on the phone, no horizontal scrolling.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
READY = {
    "nernst": "#nernst-E [data-value]",
    "ghk": "#ghk-vrest [data-value]",
    "junction": "#junction-ljp [data-value]",
    "dynamics": "#dyn-final [data-value]",
    "solution": "#solution-summary [data-value]",
    "ap": "#ap-peak [data-value]",
    "recording": "#recording-upload",
}
#: Tabs that draw a plot before any upload.
PLOTTED = ("nernst", "ghk", "dynamics", "ap")
WIDTHS = {1440: 900, 390: 844}


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("tab", list(READY))
def test_screenshot(app_server, browser, tmp_path, tab, width):
    context = browser.new_context(viewport={"width": width, "height": WIDTHS[width]})
    try:
        page = context.new_page()
        page.goto(app_server.url + f"?tab={tab}")
        page.wait_for_selector(READY[tab])
        if tab in PLOTTED:
            page.wait_for_selector(".js-plotly-plot .main-svg")
        if tab in ("nernst", "ghk"):
            page.wait_for_selector(f"#{tab}-equation mjx-container")
            page.wait_for_selector(f"#{tab}-membrane svg")
            page.locator(f"#{tab}-membrane-pause").click()  # a still picture
        page.wait_for_timeout(1000)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        shot = tmp_path / f"app-{tab}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        if os.environ.get("NERNST_UPDATE_SCREENSHOT") == "1":
            shutil.copyfile(shot, REPO / "docs" / "images" / shot.name)
    finally:
        context.close()


def test_every_tab_has_a_screenshot():
    from nernst.app.layout import discover_tabs

    assert {t.id for t in discover_tabs()} == set(READY)
