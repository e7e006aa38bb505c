"""The Liquid junction tab: its callbacks against nernst.junction, and a real browser using it.

The callbacks are called directly and every number they put on the page is compared with
:func:`nernst.liquid_junction_potential` (and :func:`nernst.junction_report` for the
explanation) called here with the same solutions; published values (Figl et al. 2003 via
LJPcalc and JPCalc, Ng & Barry 1995) pin the physics. The browser test opens the tab in
headless Chromium, picks presets, reads the LJP and types a measured potential.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from dash.exceptions import PreventUpdate

from nernst.app import junction_tab as jt
from nernst.app.layout import discover_tabs
from nernst.app.messages import student_text
from nernst.junction import (
    junction_report,
    liquid_junction_potential,
    recording_solution,
    recording_solutions,
)

FIGL_PIPETTE = recording_solution("k-gluconate-internal")
FIGL_BATH = recording_solution("hepes-saline")
# CODATA 2018 exact: R = k_B N_A, F = e N_A, so RT/F is proportional to T [K].
R_OVER_F = 1.380649e-23 * 6.02214076e23 / (1.602176634e-19 * 6.02214076e23)


def spans(component) -> dict[str, float]:
    """Every ``data-value`` number under a component, keyed by its label text."""
    found: dict[str, float] = {}

    def walk(node, label):
        if isinstance(node, (list, tuple)):
            for item in node:
                label = walk(item, label)
        elif hasattr(node, "to_plotly_json"):
            props = node.to_plotly_json()["props"]
            if "data-value" in props:
                found[label.strip(" =")] = float(props["data-value"])
            walk(props.get("children"), label)
        elif isinstance(node, str):
            return node
        return label

    walk(component, "")
    return found


def number(component) -> float:
    (value,) = spans(component).values()
    return value


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
    return "".join(parts)


def table(pipette: dict, bath: dict) -> tuple[list, list]:
    """The ids and values of the concentration inputs, as Dash passes them."""
    ids, values = [], []
    for side, solution in (("pipette", pipette), ("bath", bath)):
        for ion, c in solution.items():
            ids.append({"type": "junction-c", "side": side, "ion": ion})
            values.append(c)
    return ids, values


def compute(pipette, bath, celsius=20, method="nernst-planck", v_measured=None, presets=None):
    ids, values = table(pipette, bath)
    p, b = presets or (None, None)
    out = jt.compute_junction(ids, values, celsius, method, v_measured, p, b)
    return dict(zip(jt.OUTPUTS, out, strict=True))


# -- callbacks called directly -----------------------------------------------------------------
def test_figl_example_equals_the_library_and_the_published_values():
    out = compute(
        FIGL_PIPETTE,
        FIGL_BATH,
        v_measured=-48.1,
        presets=("k-gluconate-internal", "hepes-saline"),
    )
    assert out["error"] == "" and out["warning"] == ""
    np_ljp = liquid_junction_potential(FIGL_PIPETTE, FIGL_BATH, celsius=20)
    h_ljp = liquid_junction_potential(FIGL_PIPETTE, FIGL_BATH, method="henderson", celsius=20)
    assert number(out["ljp"]) == np_ljp
    assert number(out["nernst_planck"]) == np_ljp
    assert number(out["henderson"]) == h_ljp
    # Figl, Lewis & Barry (2003) AxoBits 39 p. 8, K-gluconate internal vs HEPES saline at
    # 20 degC: stationary Nernst-Planck +16.05 mV (LJPcalc documentation), Henderson +15.6 mV
    # (JPCalc); the library's published-value tests check the same.
    assert number(out["ljp"]) == pytest.approx(16.05, abs=0.05)
    assert number(out["henderson"]) == pytest.approx(15.6, abs=0.05)
    # Corrected membrane potential: V_m = V_measured - LJP = -48.1 - 16.1 = -64.2 mV.
    assert number(out["v_m"]) == -48.1 - np_ljp
    assert number(out["v_m"]) == pytest.approx(-64.2, abs=0.05)
    # The explanation is the library's, line for line; the sign is spelled out on the page.
    report = junction_report(FIGL_PIPETTE, FIGL_BATH, celsius=20)
    assert out["explanation"] == "\n".join(report.lines())
    assert "LJP = V_bath - V_pipette" in out["explanation"]
    assert "nernst-planck" in out["state"]["query"]
    assert text_of(out["pipette_note"]).startswith("Preset: K-gluconate internal")
    assert not out["state"]["pipette"]["edited"] and not out["state"]["bath"]["edited"]


def test_henderson_method_drives_the_ljp_and_the_correction():
    out = compute(FIGL_PIPETTE, FIGL_BATH, celsius=25, method="henderson", v_measured=-70)
    h_ljp = liquid_junction_potential(FIGL_PIPETTE, FIGL_BATH, method="henderson", celsius=25)
    assert number(out["ljp"]) == h_ljp
    assert number(out["v_m"]) == -70 - h_ljp
    assert number(out["nernst_planck"]) == liquid_junction_potential(
        FIGL_PIPETTE, FIGL_BATH, celsius=25
    )
    assert out["explanation"] == "\n".join(
        junction_report(FIGL_PIPETTE, FIGL_BATH, method="henderson", celsius=25).lines()
    )
    assert "(Henderson, 25 °C)" in text_of(out["ljp"])


def test_custom_ion_tables_ng_barry_example():
    # Ng & Barry (1995) J. Neurosci. Methods 56:37-41: 50 mM NaCl pipette against 50 mM KCl
    # bath, published LJP -4.3 mV.
    pipette, bath = {"Na+": 50.0, "Cl-": 50.0}, {"K+": 50.0, "Cl-": 50.0}
    out = compute(pipette, bath, celsius=25)
    assert number(out["ljp"]) == liquid_junction_potential(pipette, bath, celsius=25)
    assert number(out["ljp"]) == pytest.approx(-4.3, abs=0.1)
    assert text_of(out["pipette_note"]) == "Custom pipette solution."
    assert "V_m = V_measured − LJP" in text_of(out["v_m"])  # no measured V typed yet
    # An edited preset is noted and goes to the URL as its ion table.
    edited = {**FIGL_PIPETTE, "K+": 140.0, "gluconate-": 140.0}
    out = compute(edited, FIGL_BATH, presets=("k-gluconate-internal", "hepes-saline"))
    assert number(out["ljp"]) == liquid_junction_potential(edited, FIGL_BATH, celsius=20)
    assert text_of(out["pipette_note"]).startswith("Edited from the preset")
    query = parse_qs(out["state"]["query"])
    assert "K+,140" in query["junction.pipette_ion"]
    assert query["junction.bath"] == ["hepes-saline"] and "junction.bath_ion" not in query


def test_temperature_enters_through_rt_over_f_only():
    # Mobilities are not temperature-corrected, so LJP scales with T [K] (RT/F).
    at_20 = number(compute(FIGL_PIPETTE, FIGL_BATH, celsius=20)["ljp"])
    at_37 = number(compute(FIGL_PIPETTE, FIGL_BATH, celsius=37)["ljp"])
    assert at_37 / at_20 == pytest.approx(310.15 / 293.15, rel=1e-9)
    assert at_20 / (R_OVER_F * 293.15 * 1e3) == pytest.approx(0.6357, abs=1e-3)


def test_small_imbalance_shows_the_library_warning():
    # 0.05 mEq/L short of anions in 150 mM: below 0.1 %, corrected with a warning.
    pipette = {"K+": 150.0, "Cl-": 149.95}
    with pytest.warns(UserWarning) as record:
        expected = liquid_junction_potential(pipette, FIGL_BATH, celsius=20)
    out = compute(pipette, FIGL_BATH)
    assert number(out["ljp"]) == expected
    assert out["error"] == ""
    assert student_text(str(record[0].message)) in out["warning"]
    assert out["warning"].lower().count("pipette is not exactly electroneutral") == 1


def test_large_imbalance_shows_the_library_error_inline():
    pipette = {"K+": 150.0, "Cl-": 140.0}
    with pytest.raises(ValueError) as err:
        liquid_junction_potential(pipette, FIGL_BATH, celsius=20)
    out = compute(pipette, FIGL_BATH, v_measured=-60)
    assert out["error"] == student_text(str(err.value))
    assert "nernst." not in out["error"] and "on the command line" not in out["error"]
    assert "imbalance +10 mEq/L" in out["error"]
    assert spans(out["ljp"]) == {} and text_of(out["ljp"]) == "LJP = —"
    # The address bar still follows what was typed.
    assert out["state"]["ljp"] is None and "junction.vm=-60" in out["state"]["query"]


@pytest.mark.parametrize(
    ("pipette", "celsius", "v_measured", "message"),
    [
        ({"K+": None, "Cl-": 140.0}, 20, None, "Enter a number for K+ in the pipette (mM)."),
        ({}, 20, None, "The pipette solution has no ions"),
        (FIGL_PIPETTE, None, None, "Enter a number for the temperature"),
        (FIGL_PIPETTE, 20, "abc", "The measured V must be a number"),
        (FIGL_PIPETTE, 400, None, "type 126.85 °C"),
        ({"K+": -1.0, "Cl-": 140.0}, 20, None, "zero or positive"),
    ],
)
def test_bad_input_gives_an_inline_message(pipette, celsius, v_measured, message):
    out = compute(pipette, FIGL_BATH, celsius=celsius, v_measured=v_measured)
    assert message in out["error"]
    assert out["explanation"] == "" and spans(out["ljp"]) == {}


def test_url_round_trip_and_editing():
    pipette = {"Cs+": 145.0, "F-": 125.0, "Cl-": 20.0}
    out = compute(
        pipette,
        FIGL_BATH,
        celsius=22.5,
        method="henderson",
        v_measured=-48.1,
        presets=(None, "hepes-saline"),
    )
    assert "junction.bath_ion" not in out["state"]["query"]  # the preset name is enough
    search = "?" + out["state"]["query"]
    assert all(k.startswith("junction.") for k in parse_qs(search[1:]))
    loaded = dict(
        zip(jt.LOAD_OUTPUTS, jt.load_junction("url", search, *[None] * 4, [], []), strict=True)
    )
    assert loaded["pipette_preset"] is None and loaded["bath_preset"] == "hepes-saline"
    assert (loaded["celsius"], loaded["method"], loaded["v_measured"]) == (
        22.5,
        "henderson",
        -48.1,
    )
    rows = {
        side: {r.children[1].id["ion"]: r.children[1].value for r in loaded[f"{side}_rows"]}
        for side in jt.SIDES
    }
    assert rows == {"pipette": pipette, "bath": FIGL_BATH}
    # A link without junction keys changes nothing.
    with pytest.raises(PreventUpdate):
        jt.load_junction("url", "?tab=ghk&ghk.T=37", *[None] * 4, [], [])

    # Choosing a preset replaces that side only.
    ids, values = table(pipette, FIGL_BATH)
    new = jt.load_junction("junction-bath-preset", "", None, "acsf", None, None, ids, values)
    new = dict(zip(jt.LOAD_OUTPUTS, new, strict=True))
    assert [r.children[0].children for r in new["bath_rows"]] == list(recording_solution("acsf"))
    assert new["pipette_rows"] is jt.no_update
    # Adding an ion appends it at 0 mM and takes it off the list; removing drops it.
    add = dict(
        zip(
            jt.LOAD_OUTPUTS,
            jt.load_junction("junction-pipette-add", "", None, None, "Na+", None, ids, values),
            strict=True,
        )
    )
    assert [r.children[0].children for r in add["pipette_rows"]] == ["Cs+", "F-", "Cl-", "Na+"]
    assert add["pipette_rows"][-1].children[1].value == 0.0
    assert "Na+" not in {o["value"] for o in add["pipette_add_options"]}
    with pytest.raises(PreventUpdate):  # already there
        jt.load_junction("junction-pipette-add", "", None, None, "F-", None, ids, values)
    trigger = {"type": "junction-remove", "side": "pipette", "ion": "F-"}
    removed = dict(
        zip(jt.LOAD_OUTPUTS, jt.load_junction(trigger, "", *[None] * 4, ids, values), strict=True)
    )
    assert [r.children[0].children for r in removed["pipette_rows"]] == ["Cs+", "Cl-"]


def test_tab_is_discovered_with_every_preset():
    assert "junction" in [t.id for t in discover_tabs()]
    assert jt.TAB.state_id == "junction-state"
    for side in jt.SIDES:
        values = [o["value"] for o in jt.preset_options(side)]
        assert sorted(values) == sorted(recording_solutions())
        assert recording_solutions()[values[0]]["role"] == side


# -- a real browser ----------------------------------------------------------------------------
def _choose(page, dropdown: str, label: str) -> None:
    page.locator(f"#{dropdown}").click()
    page.locator("[role=option]", has_text=label).first.click()


def test_browser_presets_ljp_and_correction(browser, app_server, page, tmp_path):
    app_server.opened = True
    page.goto(app_server.url)
    page.locator("#tab-junction").click()
    page.wait_for_selector("#junction-ljp [data-value]")

    def value(selector: str) -> float:
        return float(page.locator(f"{selector} [data-value]").get_attribute("data-value"))

    # The default pair is the published Figl et al. (2003) example at 20 degC.
    assert value("#junction-ljp") == liquid_junction_potential(
        "k-gluconate-internal", "hepes-saline", celsius=20
    )

    # Choose a Cs-methanesulfonate pipette and an ACSF bath from the presets.
    presets = recording_solutions()
    _choose(page, "junction-pipette-preset", presets["cs-methanesulfonate-internal"]["title"])
    _choose(page, "junction-bath-preset", presets["acsf"]["title"])
    for side, key in (("pipette", "cs-methanesulfonate-internal"), ("bath", "acsf")):
        page.wait_for_function(
            "([id, t]) => document.querySelector(id).innerText.includes(t)",
            arg=[f"#junction-{side}-note", f"Preset: {presets[key]['title']}"],
        )
    ljp = liquid_junction_potential("cs-methanesulfonate-internal", "acsf", celsius=20)
    assert value("#junction-ljp") == ljp
    assert value("#junction-henderson") == liquid_junction_potential(
        "cs-methanesulfonate-internal", "acsf", method="henderson", celsius=20
    )
    assert "LJP = V_bath − V_pipette" in page.locator("#junction-sign").inner_text()

    # Type a measured potential: the corrected V_m appears.
    page.locator("#junction-vmeas").fill("-48.1")
    page.wait_for_selector("#junction-vm [data-value]")
    assert value("#junction-vm") == -48.1 - ljp
    assert re.search(r"V_m = [+-]\d+\.\d\d mV", page.locator("#junction-vm").inner_text())
    page.wait_for_function("() => window.location.search.includes('junction.vm=-48.1')")
    query = parse_qs(urlsplit(page.url).query)
    assert query["junction.pipette"] == ["cs-methanesulfonate-internal"]
    assert query["junction.bath"] == ["acsf"] and query["junction.T"] == ["20"]
    page.screenshot(path=str(tmp_path / "app-junction.png"), full_page=True)
    assert page.locator("#junction-warning").inner_text() == ""  # neutral presets

    # The address bar is a link that reopens the same scenario.
    page.goto(page.url)
    page.wait_for_selector("#junction-vm [data-value]")
    assert value("#junction-ljp") == ljp and value("#junction-vm") == -48.1 - ljp


def test_implausible_values_get_a_plain_warning():
    out = compute(FIGL_PIPETTE, FIGL_BATH, celsius=20, v_measured=5000.0)
    assert out["error"] == ""
    assert "The measured V = +5000 mV is more than 300 mV from zero" in out["warning"]
