"""Accessibility of the web app in a real Chromium: axe-core, the keyboard, screen readers.

axe-core (the npm package, installed into tests/app/node_modules from tests/app/package.json;
the session runs ``npm install`` there once if it is missing) is injected into each tab and
must report no critical or serious violation. The keyboard tests use only key presses: tabs
are switched with the arrow keys, sliders moved with arrows, the link copied with Enter.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import nernst

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
TABS = ("nernst", "ghk", "junction", "dynamics")
READY = {
    "nernst": "#nernst-E [data-value]",
    "ghk": "#ghk-vrest [data-value]",
    "junction": "#junction-ljp [data-value]",
    "dynamics": "#dyn-final [data-value]",
}


@pytest.fixture(scope="session")
def axe_path() -> Path:
    """axe.min.js from npm, installed with ``npm install`` in tests/app if missing."""
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail(
                "the accessibility tests need axe-core from npm: install Node.js/npm, then "
                f"run `npm install` in {HERE}",
                pytrace=False,
            )
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund"],
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0 or not AXE.exists():
            pytest.fail(f"`npm install` in {HERE} failed:\n{done.stderr[-2000:]}", pytrace=False)
    return AXE


def axe_violations(page: Any, axe_path: Path) -> list[dict[str, Any]]:
    """axe-core's critical and serious violations on the page as it is now."""
    # Through the DevTools protocol, not a <script> tag: the app's CSP (rightly) refuses
    # inline scripts it does not know.
    page.evaluate(axe_path.read_text(encoding="utf-8") + "\n;true")
    found = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ': '"
        " + (n.failureSummary || '').slice(0, 200))})); }"
    )
    return [v for v in found if v["impact"] in ("critical", "serious")]


#: Every tab the app has (discovered from app/*_tab.py), not only the four above.
ALL_TABS = ("nernst", "ghk", "junction", "dynamics", "solution", "ap", "recording")


def test_all_tabs_lists_every_tab():
    from nernst.app.layout import discover_tabs

    assert {t.id for t in discover_tabs()} == set(ALL_TABS)


@pytest.mark.parametrize("tab", ALL_TABS)
def test_axe_finds_no_serious_violation(app_server, page, axe_path, tab):
    page.goto(app_server.url + f"?tab={tab}")
    if tab in READY:
        page.wait_for_selector(READY[tab])
    else:
        page.wait_for_selector(f"#tab-{tab}[aria-selected='true']")
        page.wait_for_load_state("networkidle")
    page.wait_for_timeout(800)
    bad = axe_violations(page, axe_path)
    assert not bad, "\n".join(f"{v['impact']} {v['id']}: {v['help']} {v['nodes']}" for v in bad)


def test_page_declares_its_language(app_server, page):
    page.goto(app_server.url)
    assert page.locator("html").get_attribute("lang") == "en"


def test_tabs_switch_with_the_keyboard(app_server, page):
    page.goto(app_server.url)
    page.wait_for_selector(READY["nernst"])
    page.wait_for_selector("#tab-nernst[role='tab']")
    tab = page.locator("#tab-nernst")
    tab.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_selector(READY["ghk"])
    assert page.evaluate("() => document.activeElement.id") == "tab-ghk"
    assert page.locator("#tab-ghk").get_attribute("aria-selected") == "true"
    page.keyboard.press("End")  # the last tab, whichever it is
    from nernst.app.layout import discover_tabs

    last = discover_tabs()[-1].id
    page.wait_for_selector(f"#tab-{last}[aria-selected='true']")
    assert page.evaluate("() => document.activeElement.id") == f"tab-{last}"
    page.keyboard.press("Home")
    page.wait_for_selector(READY["nernst"])
    assert page.locator("#tab-nernst").get_attribute("aria-selected") == "true"


def test_slider_moves_with_the_keyboard_and_speaks_mm(app_server, page):
    page.goto(app_server.url)
    page.wait_for_selector(READY["nernst"])
    handle = page.locator("#nernst-cout-slider [role=slider]")
    page.wait_for_function(
        "() => { const t = document.querySelector('#nernst-cout-slider [role=slider]');"
        " return t !== null && t.getAttribute('aria-valuetext') !== null; }"
    )
    assert handle.get_attribute("aria-label") == "Outside concentration"
    assert handle.get_attribute("aria-valuetext") == "5 mM"
    before = page.locator("#nernst-E [data-value]").get_attribute("data-value")
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => { const t = document.querySelector('#nernst-cout-slider [role=slider]');"
        " return t !== null && t.getAttribute('aria-valuetext') === '5.129 mM'; }"
    )
    # the input follows the slider at once; the result only when its callback has answered
    # (on a loaded machine the old 5 mM value can still be shown): wait for it to change
    page.wait_for_function(
        "before => { const e = document.querySelector('#nernst-E [data-value]');"
        " return e !== null && e.getAttribute('data-value') !== null"
        " && e.getAttribute('data-value') !== before"
        " && document.querySelector('#nernst-cout').value === '5.129'; }",
        arg=before,
    )
    E = float(page.locator("#nernst-E [data-value]").get_attribute("data-value"))
    assert E == nernst.equilibrium_potential("K+", c_in=140.0, c_out=5.129)


@pytest.mark.parametrize("tab", TABS)
def test_results_are_announced(app_server, page, tab):
    page.goto(app_server.url + f"?tab={tab}")
    page.wait_for_selector(READY[tab])
    for selector in [READY[tab].split()[0]]:
        live = page.locator(selector).evaluate(
            "e => e.closest('[aria-live]') && e.closest('[aria-live]').getAttribute('aria-live')"
        )
        assert live == "polite", selector


def test_copy_link_is_a_focusable_button(app_server, page, browser):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(app_server.url + "?tab=ghk")
    page.wait_for_selector(READY["ghk"])
    copy = page.locator("#share-copy")
    assert copy.evaluate("e => e.tagName") == "BUTTON"
    copy.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#share-copied').innerText.includes('Copied')"
    )
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.locator("#share-url").input_value() and "tab=ghk" in copied


def test_equation_box_takes_keyboard_focus(app_server, page):
    page.goto(app_server.url)
    page.wait_for_selector(READY["nernst"])
    box = page.locator("#nernst-explain")
    assert box.get_attribute("tabindex") == "0"


def test_dropdown_search_with_the_keyboard(app_server, page):
    page.goto(app_server.url)
    page.wait_for_selector(READY["nernst"])
    # Tab from the tab header reaches the ion list; typing opens it with a search.
    page.wait_for_selector("#tab-nernst[tabindex='0']")
    page.locator("#tab-nernst").focus()
    page.wait_for_function("() => document.activeElement.id === 'tab-nernst'")
    page.keyboard.press("Tab")
    page.wait_for_function("() => document.activeElement.id === 'nernst-ion'")
    # On a loaded machine the list can still be filtering when the keys arrive: a second
    # keyboard attempt (focus, type, choose) is allowed before the test fails.
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(3):
        if attempt:
            page.keyboard.press("Escape")
            page.locator("#nernst-ion").focus()
        page.keyboard.type("sodium", delay=80)
        page.wait_for_function(
            "() => document.activeElement.classList.contains('dash-dropdown-search')"
            " && document.querySelectorAll('.dash-dropdown-content [role=option]').length < 5"
        )
        page.wait_for_timeout(300)
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        try:
            page.wait_for_function(
                "() => document.querySelector('#nernst-E').innerText.startsWith('E(Na+)')",
                timeout=8000,
            )
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    E = float(page.locator("#nernst-E [data-value]").get_attribute("data-value"))
    assert E == nernst.equilibrium_potential("Na+", c_in=140.0, c_out=5.0)


def test_junction_recipe_sides_pass_axe_and_switch_with_the_keyboard(app_server, page, axe_path):
    # Both sides given as recipes (the controls the Recording solution tab fills when it sends
    # a solution): every control labelled, nothing serious for axe-core.
    page.goto(app_server.url + "?tab=junction&junction.pipette_src=recipe&junction.bath_src=recipe")
    page.wait_for_selector("#junction-pipette-recipe-note [data-value]")
    page.wait_for_selector("#junction-bath-recipe-note [data-value]")
    page.wait_for_timeout(800)
    bad = axe_violations(page, axe_path)
    assert not bad, "\n".join(f"{v['impact']} {v['id']}: {v['help']} {v['nodes']}" for v in bad)
    group = page.locator("#junction-bath-source")
    page.wait_for_function(
        "() => document.querySelector('#junction-bath-source').getAttribute('role')"
        " === 'radiogroup'"
    )
    assert group.get_attribute("aria-label") == "Bath given as"
    # Back to the ion table with the keyboard alone: focus the radio, press Space.
    ions = group.locator("input[value='ions']")
    ions.focus()
    page.keyboard.press("Space")
    page.wait_for_selector("#junction-bath-rows", state="visible")
    assert page.locator("#junction-bath-recipe-block").is_hidden()
    page.wait_for_function("() => !window.location.search.includes('junction.bath_src=recipe')")
    # The send buttons of the Recording solution tab are buttons in the focus order.
    page.goto(app_server.url + "?tab=solution")
    page.wait_for_selector("#solution-summary [data-value]")
    for button in ("#solution-to-pipette", "#solution-to-bath"):
        assert page.locator(button).evaluate("e => e.tagName + ':' + e.tabIndex") == "BUTTON:0"
