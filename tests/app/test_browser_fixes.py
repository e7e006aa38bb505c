"""Second round of the web simulator in a real Chromium: the six faults found by using it.

Each test drives Debian's Chromium (see conftest.py) the way the fault was found and fails on
the code before the fix: (1) the junction tab's remove button, (2) a new duration on the
dynamics tab, (3) stale plots and numbers after a bad input, (4) the flat V_rest sweep of a
K+-only cell, (5) the page at phone width (390 x 844), (6) messages in student words.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

import pytest

import nernst
from app._probe import value

PHONE = {"width": 390, "height": 844}


def jid(kind: str, side: str, ion: str) -> str:
    """CSS selector of a junction row element (Dash writes dict ids as sorted-key JSON)."""
    key = json.dumps({"ion": ion, "side": side, "type": f"junction-{kind}"}, separators=(",", ":"))
    return "[id='" + key + "']"


def gid(kind: str, ion: str) -> str:
    """CSS selector of a GHK row element."""
    return "[id='" + json.dumps({"ion": ion, "type": f"ghk-{kind}"}, separators=(",", ":")) + "']"


def plotted(page: Any, graph_id: str) -> list[dict[str, Any]]:
    """Plotly's copy of a graph's traces (x and y as lists)."""
    return page.evaluate(
        "(id) => { const gd = document.querySelector('#' + id + ' .js-plotly-plot');"
        " if (!gd || !gd.data) { return []; }"
        " return gd.data.map(d => ({x: Array.from(d.x || []), y: Array.from(d.y || [])})); }",
        graph_id,
    )


def link(**groups: Any) -> str:
    pairs: list[tuple[str, str]] = []
    for key, values in groups.items():
        for v in values if isinstance(values, list) else [values]:
            pairs.append((key.replace("__", "."), str(v)))
    return "?" + urlencode(pairs, quote_via=quote, safe=",")


def no_server_errors(page: Any) -> list[int]:
    """Collect the status of every callback answer from now on (for a "never a 500" check)."""
    statuses: list[int] = []
    page.on(
        "response",
        lambda r: statuses.append(r.status) if "_dash-update-component" in r.url else None,
    )
    return statuses


# -- 1. the junction tab's remove button -------------------------------------------------------
def test_junction_remove_button_removes_the_ion(app_server, page):
    statuses = no_server_errors(page)
    page.goto(app_server.url + "?tab=junction")
    page.wait_for_selector("#junction-ljp [data-value]")
    names = page.locator("#junction-bath-rows .ion-name").all_inner_texts()
    assert "Cl-" in names
    before = value(page, "#junction-ljp")
    page.locator(jid("remove", "bath", "Cl-")).click()
    page.wait_for_function(
        "() => !Array.from(document.querySelectorAll('#junction-bath-rows .ion-name'))"
        ".some(e => e.innerText === 'Cl-')"
    )
    left = page.locator("#junction-bath-rows .ion-name").all_inner_texts()
    assert left == [n for n in names if n != "Cl-"]
    # Without its chloride the bath is no longer neutral: an inline message, no stale LJP.
    page.wait_for_function("() => document.querySelector('#junction-error').innerText !== ''")
    assert page.locator("#junction-ljp [data-value]").count() == 0 or (
        value(page, "#junction-ljp") != before
    )
    assert all(s < 500 for s in statuses), statuses


# -- 2. a new duration on the dynamics tab ----------------------------------------------------
def test_dynamics_new_duration_draws_the_new_run(app_server, page):
    page.goto(app_server.url + "?tab=dynamics")
    page.wait_for_selector("#dyn-final [data-value]")
    page.wait_for_selector("#dyn-v .js-plotly-plot .main-svg")
    page.wait_for_function(
        "() => { const gd = document.querySelector('#dyn-v .js-plotly-plot');"
        " return gd && gd.data && gd.data.length > 0; }"
    )
    first = plotted(page, "dyn-v")[0]
    page.locator("#dyn-duration").fill("5 min")
    page.locator("#dyn-duration").press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#dyn-v').innerText.includes('time (min)')"
    )
    page.wait_for_function(
        "(old) => { const gd = document.querySelector('#dyn-v .js-plotly-plot');"
        " const x = gd.data[0].x; return x[x.length - 1] !== old; }",
        arg=first["x"][-1],
        timeout=20_000,
    )
    now = plotted(page, "dyn-v")[0]
    assert now["x"][-1] == pytest.approx(5.0, rel=1e-9)
    # What Plotly drew (its computed data and axis), not only what it was handed: 5 min on a
    # minute axis, not the old 200 ms run stretched over 0-214 "min".
    page.wait_for_timeout(500)
    drawn = page.evaluate(
        "() => { const gd = document.querySelector('#dyn-v .js-plotly-plot');"
        " const cd = gd.calcdata[0];"
        " return {last: cd[cd.length - 1].x, range: gd._fullLayout.xaxis.range}; }"
    )
    assert drawn["last"] == pytest.approx(5.0, rel=1e-9)
    assert drawn["range"][1] == pytest.approx(5.0, abs=0.5), drawn


# -- 3. stale output after a bad input --------------------------------------------------------
def test_nernst_bad_input_clears_the_number_plot_and_equation(app_server, page):
    page.goto(app_server.url)
    page.wait_for_selector("#nernst-E [data-value]")
    page.wait_for_function(
        "() => { const gd = document.querySelector('#nernst-plot .js-plotly-plot');"
        " return gd && gd.data && gd.data.length > 0; }"
    )
    page.locator("#nernst-cin").fill("")
    page.wait_for_function("() => document.querySelector('#nernst-error').innerText !== ''")
    assert page.locator("#nernst-E [data-value]").count() == 0
    page.wait_for_function(
        "() => { const gd = document.querySelector('#nernst-plot .js-plotly-plot');"
        " return !gd || !gd.data || gd.data.length === 0; }"
    )
    assert page.locator("#nernst-explain").inner_text().strip() == ""


def test_ghk_without_ions_clears_every_result(app_server, page):
    page.goto(app_server.url + link(tab="ghk", ghk__ion=["K+,140,5,1", "Na+,10,145,0.05"]))
    page.wait_for_selector("#ghk-vrest [data-value]")
    page.wait_for_selector("#ghk-energetics table")
    for ion in ("K+", "Na+"):
        page.locator(gid("remove", ion)).click()
        page.wait_for_selector(gid("remove", ion), state="detached")
    page.wait_for_function("() => document.querySelector('#ghk-error').innerText !== ''")
    assert page.locator("#ghk-vrest [data-value]").count() == 0
    assert page.locator("#ghk-energetics table").count() == 0
    for graph_id in ("ghk-axis", "ghk-iv", "ghk-sweep-plot"):
        page.wait_for_function(
            "(id) => { const gd = document.querySelector('#' + id + ' .js-plotly-plot');"
            " return !gd || !gd.data || gd.data.length === 0; }",
            arg=graph_id,
        )
    assert page.locator("#ghk-explain").inner_text().strip() == ""


# -- 4. the flat sweep of a K+-only cell ------------------------------------------------------
def test_sweep_of_a_k_only_cell_is_a_readable_flat_line(app_server, page):
    cell = nernst.Cell.preset("cardiac-myocyte")
    rows = [
        f"{ion},{cell.inside[ion]!r},{cell.outside[ion]!r},{cell.permeability.get(ion, 0.0)!r}"
        for ion in cell.inside
    ]
    page.goto(app_server.url + link(tab="ghk", ghk__ion=rows, ghk__sweep="K+"))
    page.wait_for_selector("#ghk-sweep-plot .js-plotly-plot .main-svg")
    page.wait_for_function(
        "() => { const gd = document.querySelector('#ghk-sweep-plot .js-plotly-plot');"
        " return gd && gd._fullLayout && gd.data && gd.data.length > 0; }"
    )
    lo, hi = page.evaluate(
        "() => document.querySelector('#ghk-sweep-plot .js-plotly-plot')._fullLayout.yaxis.range"
    )
    assert hi - lo >= 1.0  # mV, not floating-point noise
    E_K = float(
        nernst.equilibrium_potential("K+", c_in=cell.inside["K+"], c_out=cell.outside["K+"])
    )
    assert lo < E_K < hi
    ticks = page.evaluate(
        "() => Array.from(document.querySelectorAll('#ghk-sweep-plot .ytick text'))"
        ".map(e => e.textContent)"
    )
    assert ticks and all(abs(float(t.replace("−", "-"))) < 1000 for t in ticks), ticks
    assert "only permeant" in page.locator("#ghk-sweep-note").inner_text()


# -- 5. the page on a phone -------------------------------------------------------------------
TABS = ("nernst", "ghk", "junction", "dynamics")


@pytest.fixture
def phone(browser: Any) -> Any:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, has_touch=True)
    context.set_default_timeout(20_000)
    try:
        yield context.new_page()
    finally:
        context.close()


_OVERFLOW_JS = """
() => {
    const width = document.documentElement.clientWidth;
    const bad = [];
    // Every element inside the page either fits the window or sits in a box that scrolls.
    for (const e of document.querySelectorAll('.page *')) {
        const r = e.getBoundingClientRect();
        if (r.width === 0 || r.right <= width + 1) { continue; }
        let p = e.parentElement, scrolls = false;
        while (p && p !== document.body) {
            const s = getComputedStyle(p);
            if ((s.overflowX === 'auto' || s.overflowX === 'scroll')
                && p.getBoundingClientRect().right <= width + 1) { scrolls = true; break; }
            p = p.parentElement;
        }
        if (!scrolls) {
            const name = e.id || (typeof e.className === 'string' ? e.className : '')
                || e.tagName;
            const where = e.closest('[id]');
            bad.push(name + ' in #' + (where ? where.id : '?') + ' ' + Math.round(r.right));
        }
    }
    const cut = [];
    for (const e of document.querySelectorAll('.page *')) {
        // MathJax's assistive MathML is clipped on purpose (read by screen readers only).
        if (e.closest('mjx-assistive-mml')) { continue; }
        if (getComputedStyle(e).overflowX === 'hidden' && e.scrollWidth > e.clientWidth + 1) {
            cut.push(e.id || e.className || e.tagName);
        }
    }
    return {scroll: document.documentElement.scrollWidth, width: width, bad: bad.slice(0, 10),
            cut: cut.slice(0, 10)};
}
"""


@pytest.mark.parametrize("tab", TABS)
def test_phone_layout_has_no_unreachable_content(app_server, phone, tab):
    phone.goto(app_server.url + f"?tab={tab}")
    if tab == "junction":
        phone.wait_for_selector("#junction-ljp [data-value]")
    else:
        phone.wait_for_selector(".js-plotly-plot .main-svg")
    phone.wait_for_timeout(800)  # plots resize to their box
    found = phone.evaluate(_OVERFLOW_JS)
    assert found["scroll"] <= found["width"], found
    assert not found["bad"], found
    assert not found["cut"], found


@pytest.mark.parametrize(("tab", "number"), [("nernst", "#nernst-E"), ("ghk", "#ghk-vrest")])
def test_phone_result_number_is_on_screen_while_editing(app_server, phone, tab, number):
    phone.goto(app_server.url + f"?tab={tab}")
    phone.wait_for_selector(f"{number} [data-value]")
    box = phone.locator(number).bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    # Editing the last control of the panel: the number is still in view.
    last = "#nernst-gamma-out" if tab == "nernst" else "#ghk-pabs"
    phone.locator(last).scroll_into_view_if_needed()
    box = phone.locator(number).bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box


def test_phone_tables_scroll_in_their_own_box(app_server, phone):
    phone.goto(app_server.url + "?tab=ghk")
    phone.wait_for_selector("#ghk-energetics table")
    box = phone.evaluate(
        "() => { const t = document.querySelector('#ghk-energetics table');"
        " const p = t.closest('.table-scroll'); if (!p) { return null; }"
        " return {overflow: getComputedStyle(p).overflowX, right: p.getBoundingClientRect().right,"
        " inner: t.getBoundingClientRect().width, outer: p.clientWidth}; }"
    )
    assert box is not None and box["overflow"] in ("auto", "scroll")
    assert box["right"] <= PHONE["width"] and box["inner"] > box["outer"]


# -- 6. messages in student words -------------------------------------------------------------
def error_text(page: Any, selector: str) -> str:
    page.wait_for_function(
        "(s) => { const e = document.querySelector(s); return e && e.innerText.trim() !== ''; }",
        arg=selector,
    )
    return page.locator(selector).inner_text()


def test_negative_concentration_is_named(app_server, page):
    page.goto(app_server.url)
    page.wait_for_selector("#nernst-E [data-value]")
    page.locator("#nernst-cin").fill("-5")
    text = error_text(page, "#nernst-error")
    assert "-5" in text and "above 0" in text and "Enter a number" not in text


def test_huge_concentration_gives_no_array_talk_but_a_warning(app_server, page):
    page.goto(app_server.url)
    page.wait_for_selector("#nernst-E [data-value]")
    page.locator("#nernst-cin").fill("1e308")
    page.wait_for_function(
        "() => document.querySelector('#nernst-warning').innerText.trim() !== ''"
    )
    shown = page.locator(".page").inner_text()
    assert "array" not in shown and "inf" not in page.locator("#nernst-error").inner_text()
    E = value(page, "#nernst-E")
    assert E == nernst.equilibrium_potential("K+", c_in=1e308, c_out=5.0)
    assert "2 M" in page.locator("#nernst-warning").inner_text()


def test_tiny_concentration_and_huge_v_m_are_flagged_in_plain_words(app_server, page):
    page.goto(app_server.url)
    page.wait_for_selector("#nernst-E [data-value]")
    page.locator("#nernst-cout").fill("1e-30")
    warning = error_text(page, "#nernst-warning")
    assert "1 nM" in warning and "300 mV" in warning
    page.goto(app_server.url + "?tab=ghk")
    page.wait_for_selector("#ghk-vrest [data-value]")
    page.locator("#ghk-vm").fill("1e6")
    warning = error_text(page, "#ghk-warning")
    assert "300 mV" in warning


def test_temperature_message_speaks_app_not_python(app_server, page):
    page.goto(app_server.url)
    page.wait_for_selector("#nernst-E [data-value]")
    page.locator("#nernst-celsius").fill("310")
    text = error_text(page, "#nernst-error")
    assert "pass celsius" not in text and "celsius=" not in text
    assert "36.85" in text and "°C" in text


def test_junction_neutrality_error_names_no_python_function(app_server, page):
    page.goto(app_server.url + "?tab=junction")
    page.wait_for_selector("#junction-ljp [data-value]")
    page.locator(jid("c", "pipette", "K+")).fill("400")
    text = error_text(page, "#junction-error")
    assert "neutral" in text
    assert "nernst." not in text and "solution_from_salts" not in text and "=145" not in text


def test_unknown_ion_in_a_link_is_reported(app_server, page):
    page.goto(app_server.url + link(nernst__ion="Xq+", nernst__in="140", nernst__out="5"))
    text = error_text(page, "#nernst-load-msg")
    assert "Xq+" in text
