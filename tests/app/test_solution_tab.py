"""The Recording solution tab: its callbacks give the numbers of nernst.Solution.

The callbacks are called directly and every number they put on the page is compared with
:class:`nernst.Solution` and :func:`nernst.liquid_junction_potential` called here with the
same inputs; the physics is pinned by tests/test_speciation.py and tests/test_solution.py
(Tsien & Pozzan 1989, Goldberg et al. 2002, Robinson & Stokes 1959).
"""

from __future__ import annotations

import warnings
from urllib.parse import parse_qs

import pytest

from nernst.app import solution_tab as st
from nernst.app.layout import discover_tabs
from nernst.junction import liquid_junction_potential
from nernst.solution import Solution


def spans(component) -> dict[str, float]:
    """Every ``data-value`` number under a component, keyed by the text before it."""
    found: dict[str, float] = {}

    def walk(node, label):
        if isinstance(node, (list, tuple)):
            for item in node:
                label = walk(item, label)
        elif hasattr(node, "to_plotly_json"):
            props = node.to_plotly_json()["props"]
            if "data-value" in props:
                found[label.strip()] = float(props["data-value"])
            walk(props.get("children"), label)
        elif isinstance(node, str):
            return node
        return label

    walk(component, "")
    return found


def outputs(*args):
    return dict(zip(st.OUTPUTS, st.compute_solution(*args), strict=True))


def test_tab_is_discovered():
    assert "solution" in [t.id for t in discover_tabs()]


def test_numbers_are_those_of_the_api():
    recipe = dict(st.parse_recipe_text(st.DEFAULT_RECIPE))
    out = outputs(st.DEFAULT_RECIPE, 7.3, "KOH", 22, None, 32, "acsf")
    assert out["error"] == ""
    shown = spans(out["summary"])
    api = Solution.from_recipe(recipe, ph=7.3, titrant="KOH", celsius=22)
    assert shown["pH"] == api.ph
    assert shown["titrant"] == api.titrant_added
    assert shown["free Mg2+"] == api.free_mg
    assert shown["osmolality"] == api.osmolality
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ljp = liquid_junction_potential(
            api.at(celsius=32),
            "acsf",
            celsius=32,
            mobility_model="temperature",
            unknown_mobility="drop",
        )
    assert out["state"]["ljp"] == ljp
    assert "left out for want of a mobility" in str(out["ljp"])


def test_target_free_calcium():
    out = outputs("KCl 140\nHEPES 10\nEGTA 10", 7.2, "KOH", 22, 100, None, None)
    api = Solution.for_free_metal(
        {"KCl": 140, "HEPES": 10, "EGTA": 10}, 1e-4, ph=7.2, titrant="KOH", celsius=22
    )
    shown = spans(out["summary"])
    assert shown["CaCl2 to add"] == pytest.approx(api.recipe["CaCl2"], rel=1e-12)
    assert shown["free Ca2+"] == pytest.approx(100.0, rel=1e-8)
    assert out["ljp"] == ""


def test_errors_are_shown_not_raised():
    assert outputs("KCl lots", 7.3, "KOH", 22, None, None, None)["error"].startswith("Error:")
    assert (
        "neither an ion nor a salt"
        in outputs("Unobtainium 5", None, None, 22, None, None, None)["error"]
    )
    assert "temperature" in outputs("KCl 140", None, None, None, None, None, None)["error"]


def test_shared_link_round_trip():
    out = outputs("KCl 140\nHEPES 10", 7.4, "NaOH", 25, 50, 35, "tyrode")
    query = "?" + out["state"]["query"]
    params = parse_qs(query[1:])
    assert params["solution.titrant"] == ["NaOH"]
    assert st.load_solution(query) == ("KCl 140\nHEPES 10", 7.4, "NaOH", 25.0, 50.0, 35.0, "tyrode")
    assert st.load_solution(None)[0] == st.DEFAULT_RECIPE


# -- a real browser ----------------------------------------------------------------------------
def test_browser_recipe_target_calcium_and_link(browser, app_server, page, tmp_path):
    app_server.opened = True
    page.goto(app_server.url)
    page.locator("#tab-solution").click()
    page.wait_for_selector("#solution-summary [data-value]")

    def values() -> list[float]:
        return [
            float(v)
            for v in page.locator("#solution-summary [data-value]").evaluate_all(
                "els => els.map(e => e.getAttribute('data-value'))"
            )
        ]

    recipe = st.parse_recipe_text(st.DEFAULT_RECIPE)
    api = Solution.from_recipe(recipe, ph=7.3, titrant="KOH", celsius=22)
    assert values()[0] == api.ph and values()[1] == api.titrant_added
    # a target free Ca2+: the CaCl2 to add appears first
    page.locator("#solution-target").fill("100")
    page.wait_for_function(
        "() => (document.querySelector('#solution-summary') || {innerText: ''})"
        ".innerText.includes('CaCl2 to add')"
    )
    target = Solution.for_free_metal(recipe, 1e-4, ph=7.3, titrant="KOH", celsius=22)
    assert values()[0] == pytest.approx(target.recipe["CaCl2"], rel=1e-12)
    page.wait_for_function("() => window.location.search.includes('solution.ca_nM=100')")
    page.screenshot(path=str(tmp_path / "app-solution.png"), full_page=True)
    page.goto(page.url)
    page.wait_for_function(
        "() => (document.querySelector('#solution-summary') || {innerText: ''})"
        ".innerText.includes('CaCl2 to add')"
    )
    assert values()[0] == pytest.approx(target.recipe["CaCl2"], rel=1e-12)
