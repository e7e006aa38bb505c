"""From the Recording solution tab to the Liquid junction tab: the CLI, API and app agree.

Issue 14 asks for a Solutions tab that feeds the junction tab, and for the CLI, the API and
the app to give the same numbers. The callbacks are called directly first (the junction tab
given a recipe against :func:`nernst.liquid_junction_potential` with :class:`nernst.Solution`
objects, and one published value through the recipe route: Ng & Barry 1995). Then a real
Chromium types a pipette and a bath recipe in the Recording solution tab, sends each to the
junction tab ("Use as pipette" with the mouse, "Use as bath" with the keyboard) and the LJP
it shows is compared with the API called here and with ``nernst ljp`` / ``nernst solution``
run as subprocesses.

Tolerances: the page carries every number in full precision (``data-value``, repr of the
float) and the CLI's ``--json`` prints full floats, so app, API and CLI must agree to
1e-9 mV (1e-12 relative for the solution report): the same library computes all three, and
the margin allows only for floating-point noise, no physics difference. The rounded texts
must match digit for digit: the app shows the LJP to 0.01 mV, the CLI's one-line answer to
0.1 mV.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from nernst import Solution, junction_report, liquid_junction_potential
from nernst.app import junction_tab as jt
from nernst.app import solution_tab as st

#: Agreement of the full-precision numbers of the app, the API and the CLI. [mV]
SAME_MV = 1e-9

PIPETTE = {
    "K-gluconate": 135.0,
    "KCl": 10.0,
    "HEPES": 10.0,
    "EGTA": 0.5,
    "Mg-ATP": 4.0,
    "Na2-phosphocreatine": 10.0,
}
BATH = {"NaCl": 140.0, "KCl": 5.0, "CaCl2": 2.0, "MgCl2": 1.0, "HEPES": 10.0, "glucose": 10.0}


def text(recipe: dict[str, float]) -> str:
    return "\n".join(f"{k} {v:g}" for k, v in recipe.items())


def pairs(recipe: dict[str, float], **settings: object) -> str:
    """The recipe as the CLI takes it: NAME=mM pairs and settings."""
    items = [f"{k}={v:g}" for k, v in recipe.items()]
    return ",".join(items + [f"{k}={v}" for k, v in settings.items()])


def api_ljp(pipette, bath, celsius, method="nernst-planck", model="temperature") -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the species left out for want of a mobility
        return float(
            liquid_junction_potential(
                pipette,
                bath,
                method=method,
                celsius=celsius,
                mobility_model=model,
                unknown_mobility="drop",
            )
        )


def cli(*args: str) -> str:
    """``nernst ARGS`` through the installed entry point (as conftest.py runs ``nernst app``)."""
    beside = Path(sys.executable).with_name("nernst")
    command = str(beside) if beside.exists() else shutil.which("nernst")
    assert command is not None, "the `nernst` command is not installed: pip install -e '.[test]'"
    done = subprocess.run(
        [command, *args], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def received(inbox: dict) -> dict:
    """What the junction tab's inputs become when the inbox arrives."""
    out = jt.load_junction(jt.INBOX_ID, None, None, None, None, None, [], [], inbox=inbox)
    return {k: v for k, v in zip(jt.LOAD_OUTPUTS, out, strict=True) if v is not jt.no_update}


def junction(
    celsius, mobility="temperature", method="nernst-planck", pipette=None, bath=None, **rows
):
    """compute_junction with each side a recipe dict (keys of RECIPE_FIELDS) or a preset."""
    from nernst.junction import recording_solution

    sources, recipes, ids, values, presets = {}, {}, [], [], {}
    for side, given in (("pipette", pipette), ("bath", bath)):
        if isinstance(given, dict):
            sources[side], recipes[side] = "recipe", given
        else:
            presets[side] = given
            for ion, c in recording_solution(given).items():
                ids.append({"type": "junction-c", "side": side, "ion": ion})
                values.append(c)
    out = jt.compute_junction(
        ids,
        values,
        celsius,
        method,
        None,
        presets.get("pipette"),
        presets.get("bath"),
        sources=sources,
        recipes=recipes,
        mobility_model=mobility,
    )
    return dict(zip(jt.OUTPUTS, out, strict=True))


def shown(component) -> float:
    """The data-value of the LJP line."""
    return float(component.children[1].to_plotly_json()["props"]["data-value"])


# -- callbacks called directly -----------------------------------------------------------------
def test_sending_gives_the_solved_recipe_at_the_recording_temperature():
    inbox, tab, message = st.send_solution("pipette", text(PIPETTE), 7.3, "KOH", 22, 100, 32, 3)
    assert tab == "junction" and "pipette" in message
    # The CaCl2 found for 100 nM free Ca2+ is in the recipe sent, to the last bit.
    target = Solution.for_free_metal(PIPETTE, 1e-4, ph=7.3, titrant="KOH", celsius=22)
    assert st.parse_recipe_text(inbox["recipe"]) == target.recipe
    assert (inbox["ph"], inbox["titrant"], inbox["celsius"], inbox["recording"]) == (
        7.3,
        "KOH",
        22.0,
        32.0,
    )
    fields = received(inbox)
    assert fields["pipette_source"] == "recipe" and "bath_source" not in fields
    assert (fields["celsius"], fields["mobility"], fields["pipette_made"]) == (
        32.0,
        "temperature",
        22.0,
    )
    assert "made up at 22 °C, pH 7.3 with KOH" in fields["sent"]
    # No recording temperature: the junction is at the solution's own temperature.
    inbox, _, _ = st.send_solution("bath", text(BATH), None, "NaOH", 25, None, None)
    assert inbox["ph"] is None and inbox["titrant"] is None and inbox["recording"] == 25.0
    assert received(inbox)["celsius"] == 25.0
    # A recipe that gives no solution is not sent, and the tab says why.
    inbox, tab, message = st.send_solution("bath", "KCl lots", 7.3, "KOH", 22, None, 32)
    assert inbox is jt.no_update and tab is jt.no_update and message.startswith("Not sent:")


def test_received_recipe_gives_the_numbers_of_the_api():
    inbox, _, _ = st.send_solution("pipette", text(PIPETTE), 7.3, "KOH", 22, None, 32)
    fields = received(inbox)
    recipe = {k: fields[f"pipette_{k}"] for k in jt.RECIPE_FIELDS if k != "titrant"}
    recipe["titrant"] = fields["pipette_titrant"]
    out = junction(fields["celsius"], fields["mobility"], pipette=recipe, bath="hepes-saline")
    assert out["error"] == ""
    # Made up at 22 degC, recorded at 32 degC: the same totals re-equilibrated (Solution.at).
    warm = Solution.from_recipe(PIPETTE, ph=7.3, titrant="KOH", celsius=22).at(celsius=32)
    assert shown(out["ljp"]) == pytest.approx(api_ljp(warm, "hepes-saline", 32), abs=SAME_MV)
    assert float(
        out["henderson"].children[1].to_plotly_json()["props"]["data-value"]
    ) == pytest.approx(api_ljp(warm, "hepes-saline", 32, method="henderson"), abs=SAME_MV)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = junction_report(
            warm,
            "hepes-saline",
            celsius=32,
            mobility_model="temperature",
            unknown_mobility="drop",
        )
    assert out["explanation"] == "\n".join(report.lines())
    assert "left out for want of a mobility" in out["warning"]
    assert "7.300 at 22 °C" in str(out["pipette_recipe_note"])
    # The same pair in the Recording solution tab (bath acsf) shows the same LJP.
    solution_tab = dict(
        zip(
            st.OUTPUTS,
            st.compute_solution(text(PIPETTE), 7.3, "KOH", 22, None, 32, "acsf"),
            strict=True,
        )
    )
    out = junction(32, pipette=recipe, bath="acsf")
    assert shown(out["ljp"]) == solution_tab["state"]["ljp"]


def test_recipe_route_reproduces_a_published_junction():
    # Ng & Barry (1995) J. Neurosci. Methods 56:37-41: 50 mM NaCl pipette against 50 mM KCl
    # bath, published LJP -4.3 mV (25 degC, limiting mobilities). As recipes (no buffer, no
    # pH) the junction tab gives it too; water's own H+ and OH- (1.2e-4 mM) join the ions
    # there and move the LJP by about 4e-5 mV from the bare ion tables.
    nacl = {"recipe": "NaCl 50", "ph": None, "titrant": None, "made": 25.0}
    kcl = {"recipe": "KCl 50", "ph": None, "titrant": None, "made": 25.0}
    out = junction(25, mobility="25C", pipette=nacl, bath=kcl)
    assert out["error"] == ""
    assert shown(out["ljp"]) == pytest.approx(-4.3, abs=0.1)
    ions = liquid_junction_potential({"Na+": 50, "Cl-": 50}, {"K+": 50, "Cl-": 50}, celsius=25)
    assert shown(out["ljp"]) == pytest.approx(ions, abs=1e-3)


def test_recipe_sides_go_to_the_link_and_back():
    pip = {"recipe": text(PIPETTE), "ph": 7.3, "titrant": "KOH", "made": 22.0}
    bath = {"recipe": text(BATH), "ph": 7.4, "titrant": "NaOH", "made": 22.0}
    out = junction(32, pipette=pip, bath=bath)
    query = out["state"]["query"]
    params = parse_qs(query)
    assert params["junction.pipette_src"] == ["recipe"]
    assert params["junction.bath_titrant"] == ["NaOH"]
    assert params["junction.mobility"] == ["temperature"]
    loaded = dict(
        zip(
            jt.LOAD_OUTPUTS,
            jt.load_junction("url", "?" + query, *[None] * 4, [], []),
            strict=True,
        )
    )
    for side, given in (("pipette", pip), ("bath", bath)):
        assert loaded[f"{side}_source"] == "recipe"
        assert {k: loaded[f"{side}_{k}"] for k in jt.RECIPE_FIELDS} == given
    assert (loaded["celsius"], loaded["mobility"]) == (32.0, "temperature")


@pytest.mark.parametrize(
    ("recipe", "message"),
    [
        ({"recipe": "KCl lots", "ph": 7.3, "titrant": "KOH", "made": 22}, "The pipette recipe: "),
        ({"recipe": "Unobtainium 5", "ph": None, "titrant": None, "made": 22}, "neither an ion"),
        ({"recipe": "KCl 140", "ph": None, "titrant": None, "made": None}, "made up at (°C)"),
        # An overflow inside the speciation (today an OverflowError; a ValueError if the
        # library learns to refuse it first) is a message too, never a failed callback.
        ({"recipe": "KCl 1e300", "ph": None, "titrant": None, "made": 22}, "The pipette recipe: "),
    ],
)
def test_bad_recipes_give_an_inline_message(recipe, message):
    out = junction(32, pipette=recipe, bath="hepes-saline")
    assert message in out["error"]
    assert out["explanation"] == "" and out["pipette_recipe_note"] == ""
    # The Recording solution tab says it too, and sends nothing.
    solution_tab = st.compute_solution(recipe["recipe"], None, None, recipe["made"], None, 32, None)
    assert solution_tab[st.OUTPUTS.index("error")].startswith("Error: ")
    inbox, _, message = st.send_solution(
        "pipette", recipe["recipe"], None, None, recipe["made"], None, 32
    )
    assert inbox is jt.no_update and message.startswith("Not sent: ")


# -- a real browser ----------------------------------------------------------------------------
def _value(page, selector: str) -> float:
    return float(page.locator(f"{selector} [data-value]").first.get_attribute("data-value"))


def _solution_ready(page, celsius: float) -> None:
    page.wait_for_function(
        "(t) => { const s = document.querySelector('#solution-summary');"
        " return s !== null && s.innerText.includes('at ' + t + ' °C'); }",
        arg=f"{celsius:g}",
    )


def test_browser_recipe_to_junction_equals_api_and_cli(browser, app_server, page):
    app_server.opened = True
    page.goto(app_server.url + "?tab=solution")
    page.wait_for_selector("#solution-summary [data-value]")

    # The pipette, typed: made up and recorded at 32 degC.
    page.locator("#solution-recipe").fill(text(PIPETTE))
    page.locator("#solution-celsius").fill("32")
    page.locator("#solution-recording").fill("32")
    _solution_ready(page, 32)
    api_pip = Solution.from_recipe(PIPETTE, ph=7.3, titrant="KOH", celsius=32)
    report = json.loads(
        cli("solution", pairs(PIPETTE, ph=7.3, titrant="KOH"), "--celsius", "32", "--json")
    )
    values = [
        float(v)
        for v in page.locator("#solution-summary [data-value]").evaluate_all(
            "els => els.map(e => e.getAttribute('data-value'))"
        )
    ]
    # pH, titrant, free Ca2+ [nM], free Mg2+, ionic strength [mM], osmolarity, osmolality
    assert values[1] == pytest.approx(api_pip.titrant_added, rel=1e-12)
    assert values[1] == pytest.approx(report["titrant_mM"], rel=1e-12)
    assert values[3] == pytest.approx(report["free_mg_mM"], rel=1e-12)
    assert values[6] == pytest.approx(report["osmolality_mOsm_per_kg"], rel=1e-12)

    page.locator("#solution-to-pipette").click()
    page.wait_for_selector("#tab-junction[aria-selected='true']")
    page.wait_for_function(
        "() => document.querySelector('#junction-sent').innerText.startsWith('Pipette')"
    )
    page.wait_for_selector("#junction-pipette-recipe-note [data-value]")
    page.wait_for_function(
        "() => document.querySelector('#junction-ljp').innerText.includes('32 °C, mobilities')"
    )
    page.wait_for_function("() => document.activeElement.id === 'tab-junction'")
    assert page.locator("#junction-pipette-recipe").input_value() == text(PIPETTE)
    assert page.locator("#junction-celsius").input_value() == "32"
    assert page.locator("#junction-pipette-ions-block").is_hidden()

    app = _value(page, "#junction-ljp")
    api = api_ljp(api_pip, "hepes-saline", 32)
    pip_cli = pairs(PIPETTE, ph=7.3, titrant="KOH")
    common = ["--celsius", "32", "--mobility-model", "temperature", "--unknown-mobility", "drop"]
    data = json.loads(cli("ljp", "--pipette", pip_cli, "--bath", "hepes-saline", *common, "--json"))
    line = cli("ljp", "--pipette", pip_cli, "--bath", "hepes-saline", *common)
    assert app == pytest.approx(api, abs=SAME_MV)
    assert app == pytest.approx(data["ljp_mV"], abs=SAME_MV)
    assert page.locator("#junction-ljp .value").inner_text() == f"{data['ljp_mV']:+.2f}"
    assert line.startswith(f"LJP = {app:+.1f} mV")

    # The bath, typed in the Recording solution tab and sent with the keyboard.
    page.locator("#tab-solution").click()
    page.wait_for_selector("#solution-recipe")
    page.locator("#solution-recipe").fill(text(BATH))
    page.locator("#solution-ph").fill("7.4")
    page.locator("#solution-titrant").click()
    page.locator("[role=option]", has_text="NaOH").first.click()
    page.wait_for_function(
        "() => document.querySelector('#solution-summary').innerText.includes('mM NaOH')"
    )
    send = page.locator("#solution-to-bath")
    send.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#tab-junction[aria-selected='true']")
    page.wait_for_selector("#junction-bath-recipe-note [data-value]")
    page.wait_for_function(
        "() => document.querySelector('#junction-sent').innerText.startsWith('Bath')"
    )
    api_bath = Solution.from_recipe(BATH, ph=7.4, titrant="NaOH", celsius=32)
    api = api_ljp(api_pip, api_bath, 32)
    page.wait_for_function(
        "(v) => { const e = document.querySelector('#junction-ljp [data-value]');"
        " return e !== null && Math.abs(parseFloat(e.getAttribute('data-value')) - v) < 1e-6; }",
        arg=api,
    )
    app = _value(page, "#junction-ljp")
    bath_cli = pairs(BATH, ph=7.4, titrant="NaOH")
    data = json.loads(cli("ljp", "--pipette", pip_cli, "--bath", bath_cli, *common, "--json"))
    assert app == pytest.approx(api, abs=SAME_MV)
    assert app == pytest.approx(data["ljp_mV"], abs=SAME_MV)
    henderson = _value(page, "#junction-henderson")
    assert henderson == pytest.approx(api_ljp(api_pip, api_bath, 32, "henderson"), abs=SAME_MV)
    assert henderson == pytest.approx(data["henderson_mV"], abs=SAME_MV)

    # The address bar reopens both recipes.
    page.wait_for_function("() => window.location.search.includes('junction.bath_src=recipe')")
    page.goto(page.url)
    page.wait_for_selector("#junction-bath-recipe-note [data-value]")
    page.wait_for_selector("#junction-pipette-recipe-note [data-value]")
    assert _value(page, "#junction-ljp") == pytest.approx(api, abs=SAME_MV)
