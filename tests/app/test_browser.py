"""The web app in a real headless Chromium, used the way a student or a teacher uses it.

``nernst app`` runs in a subprocess; the page is opened, controls are moved or typed into,
and the numbers read back from the page (from the ``data-value`` attribute, the full-precision
number behind the rounded text) are compared with the nernst library called here directly.
Shared links, TOML upload and CSV/TOML downloads are checked the same way. Screenshots of each
tab go to the test's tmp dir; with NERNST_UPDATE_SCREENSHOT=1 the GHK one also replaces
docs/images/app-ghk.png (the README's picture).

Start-up time and the time from a key press or a typed value to the new number on screen are
measured and printed in the terminal summary (not asserted: speed is a benchmark).
"""

from __future__ import annotations

import csv
import json
import math
import os
import shutil
import statistics
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest

import nernst
from app._probe import changed, value

REPO = Path(__file__).resolve().parents[2]
SCREENSHOT = REPO / "docs" / "images" / "app-ghk.png"

NEURON = nernst.Cell.preset("mammalian-neuron")


def pid(kind: str, ion: str) -> str:
    """CSS selector of a GHK row input (Dash writes dict ids as sorted-key JSON)."""
    return "[id='" + json.dumps({"ion": ion, "type": f"ghk-{kind}"}, separators=(",", ":")) + "']"


def wait_drawn(page: Any, graph_id: str) -> None:
    page.wait_for_selector(f"#{graph_id} .js-plotly-plot .main-svg")


def trace(page: Any, graph_id: str, index: int) -> dict[str, Any]:
    """Plotly's copy of one trace of a graph (``gd.data[index]``)."""
    return page.evaluate(
        "([id, i]) => { const d = document.querySelector('#' + id + ' .js-plotly-plot').data[i];"
        " return {x: Array.from(d.x || []), y: Array.from(d.y || [])}; }",
        [graph_id, index],
    )


def ms(seconds: list[float]) -> str:
    return (
        f"median {1e3 * statistics.median(seconds):.0f} ms, max {1e3 * max(seconds):.0f} ms "
        f"over {len(seconds)}"
    )


def test_page_numbers_follow_the_controls(browser, app_server, page, tmp_path, timings):
    # `browser` first: Chromium is up before the server spawns, so the start-up figure is the
    # server's and the page's, not the browser's.
    first_visit = not app_server.opened
    app_server.opened = True
    t_open = time.perf_counter()
    page.goto(app_server.url)
    page.wait_for_selector("#nernst-E [data-value]")
    t_number = time.perf_counter()
    wait_drawn(page, "nernst-plot")
    t_drawn = time.perf_counter()
    timings["open the page -> first E / plot drawn"] = (
        f"{t_number - t_open:.2f} s / {t_drawn - t_open:.2f} s"
    )
    if first_visit:
        timings["server spawn -> HTTP 200"] = (
            f"{app_server.answered_at - app_server.spawned_at:.2f} s"
        )
        timings["server spawn -> first E on the page"] = f"{t_number - app_server.spawned_at:.2f} s"
        timings["server spawn -> plot drawn (page interactive)"] = (
            f"{t_drawn - app_server.spawned_at:.2f} s"
        )

    # The default scenario: K+ 140 mM in, 5 mM out, 37 degC. Independent arithmetic with the
    # CODATA 2018 exact constants: RT/F = 26.7267 mV, ln(5/140) = -3.332205 -> -89.06 mV.
    E = value(page, "#nernst-E")
    assert E == nernst.equilibrium_potential("K+", c_in=140, c_out=5, celsius=37)
    assert E == pytest.approx(26.72670 * math.log(5 / 140), abs=1e-3)
    assert page.locator("#nernst-E").inner_text() == f"E(K+) = {E:+.2f} mV"
    assert "ln(0.0357143) = -3.332205" in page.locator("#nernst-explain").inner_text()
    point = trace(page, "nernst-plot", 1)
    assert point["x"] == [pytest.approx(5 / 140)] and point["y"] == [E]
    # PNG download is Plotly's own toolbar button.
    page.locator("#nernst-plot .js-plotly-plot").hover()
    assert (
        page.locator("#nernst-plot .modebar-btn[data-title='Download plot as a PNG']").count() == 1
    )

    # Five key presses on the outside-concentration slider: each moves log10(c) one step of
    # 0.01, from 0.70 to 0.75, so the typed input shows 10**0.75 = 5.623 mM (4 digits).
    thumb = page.locator("#nernst-cout-slider [role=slider]")
    thumb.focus()
    latencies = []
    for _ in range(5):
        E, dt = changed(page, "#nernst-E", lambda: page.keyboard.press("ArrowRight"))
        latencies.append(dt)
    c_out = float(page.locator("#nernst-cout").input_value())
    assert c_out == float(f"{10**0.75:.4g}") == 5.623
    assert E == nernst.equilibrium_potential("K+", c_in=140, c_out=c_out, celsius=37)
    timings["slider key press -> new E on the page"] = ms(latencies)

    # Typing a concentration moves the slider to its log10 and updates E.
    typed = []
    for text in ("100", "20", "140"):
        E, dt = changed(page, "#nernst-E", lambda t=text: page.locator("#nernst-cin").fill(t))
        typed.append(dt)
        assert E == nernst.equilibrium_potential("K+", c_in=float(text), c_out=c_out, celsius=37)
    page.wait_for_function(
        "() => document.querySelector('#nernst-cin-slider [role=slider]')"
        ".getAttribute('aria-valuenow').startsWith('2.14')"
    )
    timings["typed value -> new E on the page"] = ms(typed)
    page.screenshot(path=str(tmp_path / "app-nernst.png"), full_page=True)

    # The GHK tab starts from the default preset, the seed chapter's neuron (-67.3 mV).
    page.locator("#tab-ghk").click()
    page.wait_for_selector("#ghk-vrest [data-value]")
    for graph_id in ("ghk-axis", "ghk-iv", "ghk-sweep-plot"):
        wait_drawn(page, graph_id)
    V = value(page, "#ghk-vrest")
    assert V == NEURON.resting_potential()
    assert V == pytest.approx(-67.3, abs=0.05)
    page.screenshot(path=str(tmp_path / "app-ghk.png"), full_page=True)
    if os.environ.get("NERNST_UPDATE_SCREENSHOT"):
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tmp_path / "app-ghk.png", SCREENSHOT)

    # Raise K+ outside from 5 to 10 mM: V_rest depolarises, as the library says.
    ghk_typed = []
    for text in ("10", "7.5", "10"):
        V, dt = changed(page, "#ghk-vrest", lambda t=text: page.locator(pid("cout", "K+")).fill(t))
        ghk_typed.append(dt)
    timings["typed GHK value -> new V_rest on the page"] = ms(ghk_typed)
    outside = {**NEURON.outside, "K+": 10.0}
    expected = nernst.ghk_voltage(
        NEURON.permeability, c_in=NEURON.inside, c_out=outside, celsius=NEURON.celsius
    )
    assert V == expected
    E_K = nernst.equilibrium_potential("K+", c_in=140, c_out=10, celsius=37)
    row = page.locator("#ghk-energetics tr[data-ion='K+'] td")
    page.wait_for_function(
        "(e) => document.querySelector(\"#ghk-energetics tr[data-ion='K+'] td:nth-child(2)\")"
        ".innerText === e",
        arg=f"{E_K:+.1f}",
    )
    assert row.nth(3).inner_text().strip() in ("⇧ out", "⇩ in")
    # I-V panel: the reversal marker sits at V_rest, where the library's total current is 0.
    page.wait_for_function(
        "(v) => { const d = document.querySelector('#ghk-iv .js-plotly-plot').data;"
        " return d[d.length - 1].x[0] === v; }",
        arg=V,
    )
    # The address bar carries the new scenario.
    assert "ghk.ion=K%2B,140,10,1" in page.url


def test_shared_link_restores_the_scenario(app_server, page):
    app_server.opened = True
    squid = nernst.Cell.preset("squid-axon")
    permeability = {**squid.permeability, "Na+": 0.1, "Ca2+": 0.0}
    pairs = [
        ("tab", "ghk"),
        ("nernst.ion", "Ca2+"),
        ("nernst.in", "0.0001"),
        ("nernst.out", "2"),
        ("nernst.T", "25"),
        ("nernst.gin", "0.9"),
        ("nernst.gout", "0.3"),
        ("ghk.title", "shared squid axon"),
        ("ghk.T", "20"),
        ("ghk.vm", "-63"),
        *(
            ("ghk.ion", f"{ion},{squid.inside[ion]:g},{squid.outside[ion]:g},{permeability[ion]:g}")
            for ion in squid.inside
        ),
        ("ghk.Pabs", "2e-06"),
        ("ghk.sweep", "K+"),
    ]
    page.goto(app_server.url + "?" + urlencode(pairs, quote_via=quote, safe=","))

    # The link opens the GHK tab with the squid axon as given.
    page.wait_for_selector("#ghk-vrest [data-value]")
    page.wait_for_function(
        "() => document.querySelector('#ghk-vm-note').innerText.includes('-63.0')"
    )
    V = value(page, "#ghk-vrest")
    assert V == nernst.ghk_voltage(permeability, c_in=squid.inside, c_out=squid.outside, celsius=20)
    assert page.locator(pid("p", "Na+")).input_value() == "0.1"
    assert (
        page.locator("#ghk-energetics h3")
        .inner_text()
        .startswith("Energetics at V_m = -63.0 mV (measured)")
    )
    wait_drawn(page, "ghk-sweep-plot")
    assert "P(K+)" in page.locator("#ghk-sweep-plot").inner_text()

    # ... and the Nernst tab with Ca2+ and activity coefficients.
    page.locator("#tab-nernst").click()
    page.wait_for_selector("#nernst-E [data-value]")
    E = value(page, "#nernst-E")
    assert E == nernst.equilibrium_potential(
        "Ca2+", c_in=1e-4, c_out=2, celsius=25, gamma_in=0.9, gamma_out=0.3
    )
    assert page.locator("#nernst-activity input").is_checked()

    # The address bar now describes the same scenario (a link copied from it is the same).
    query = parse_qs(urlsplit(page.url).query)
    assert query["nernst.ion"] == ["Ca2+"] and query["nernst.gout"] == ["0.3"]
    assert query["ghk.vm"] == ["-63"] and query["ghk.sweep"] == ["K+"]
    assert f"Na+,{squid.inside['Na+']:g},{squid.outside['Na+']:g},0.1" in query["ghk.ion"]
    assert page.locator("#share-url").input_value() == page.url


UPLOAD = """\
title = "uploaded test cell"
celsius = 22.0

[inside]
"K+" = 120.0
"Na+" = 15.0
"Cl-" = 8.0
"Ca2+" = 0.0001

[outside]
"K+" = 3.0
"Na+" = 120.0
"Cl-" = 130.0
"Ca2+" = 4.0

[permeability]
"K+" = 1.0
"Na+" = 0.05
"Cl-" = 0.3
"Ca2+" = 0.02
"""


def test_upload_a_cell_and_download_the_table(app_server, page, tmp_path):
    app_server.opened = True
    page.goto(app_server.url + "?tab=ghk")
    page.wait_for_selector("#ghk-vrest [data-value]")
    before = value(page, "#ghk-vrest")
    file_input = page.locator("#ghk-upload input[type=file]")

    # A broken file and an oversized one: inline messages, the cell stays as it was.
    broken = tmp_path / "broken.toml"
    broken.write_text('title = "x"\n[inside\n', encoding="utf-8")
    file_input.set_input_files(str(broken))
    page.wait_for_function(
        "() => document.querySelector('#ghk-upload-msg').innerText.includes('not valid TOML')"
    )
    big = tmp_path / "big.toml"
    big.write_text(UPLOAD + "#" * (100 * 1024) + "\n", encoding="utf-8")
    file_input.set_input_files(str(big))
    page.wait_for_function(
        "() => document.querySelector('#ghk-upload-msg').innerText.includes('larger than 64 kB')"
    )
    assert value(page, "#ghk-vrest") == before

    # A good file, with a permeant divalent ion: V_rest is the library's for that file.
    good = tmp_path / "my_cell.toml"
    good.write_text(UPLOAD, encoding="utf-8")
    V, _ = changed(page, "#ghk-vrest", lambda: file_input.set_input_files(str(good)))
    cell = nernst.Cell.from_toml(good)
    assert V == cell.resting_potential()
    assert "Loaded my_cell.toml" in page.locator("#ghk-upload-msg").inner_text()
    assert page.locator(pid("p", "Ca2+")).input_value() == "0.02"

    # The table as CSV: one row per ion, the library's numbers in full precision.
    with page.expect_download() as download:
        page.locator("#ghk-csv-button").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "uploaded-test-cell-energetics.csv"
    rows = list(csv.DictReader(saved.read_text(encoding="utf-8").splitlines()))
    report = cell.report()
    assert [r["ion"] for r in rows] == ["K+", "Na+", "Cl-", "Ca2+"]
    for r, ion in zip(rows, report.ions, strict=True):
        assert float(r["E_mV"]) == ion.E
        assert float(r["V_m_mV"]) == V
        assert r["net_flux"] == ion.flux and r["verdict"] == ion.verdict
        assert float(r["dG_in_J_per_mol"]) == nernst.transport_free_energy(
            ion.ion, c_from=ion.c_out, c_to=ion.c_in, v_to=V, celsius=22
        )

    # The scenario as TOML reads back (the `nernst cell FILE` reader) to the same cell.
    with page.expect_download() as download:
        page.locator("#ghk-toml-button").click()
    toml_file = tmp_path / download.value.suggested_filename
    download.value.save_as(toml_file)
    assert nernst.Cell.from_toml(toml_file).to_dict() == cell.to_dict()


def test_add_and_remove_ions(app_server, page):
    app_server.opened = True
    page.goto(app_server.url + "?tab=ghk")
    page.wait_for_selector("#ghk-vrest [data-value]")

    # Add Mg2+ from the ion list, make it permeant: a divalent ion in the GHK voltage.
    page.locator("#ghk-add-ion").click()
    page.keyboard.type("Mg2+")
    page.locator("[role=option]", has_text="magnesium").click()
    page.wait_for_function(
        "() => document.querySelector('#ghk-add-ion').innerText.startsWith('Mg2+')"
    )
    page.locator("#ghk-add").click()
    page.wait_for_selector(pid("p", "Mg2+"))
    page.locator(pid("cout", "Mg2+")).fill("10")
    V, _ = changed(page, "#ghk-vrest", lambda: page.locator(pid("p", "Mg2+")).fill("0.5"))
    permeability = {**NEURON.permeability, "Ca2+": 0.0, "Mg2+": 0.5}
    inside = {**NEURON.inside, "Mg2+": 1.0}
    outside = {**NEURON.outside, "Mg2+": 10.0}
    assert V == nernst.ghk_voltage(permeability, c_in=inside, c_out=outside)

    # Remove Na+: V_rest moves toward E_K, as the library says for the remaining ions.
    V, _ = changed(page, "#ghk-vrest", lambda: page.locator(pid("remove", "Na+")).click())
    assert page.locator(".ion-row .ion-name").all_inner_texts() == ["K+", "Cl-", "Ca2+", "Mg2+"]
    del permeability["Na+"], inside["Na+"], outside["Na+"]
    assert V == nernst.ghk_voltage(permeability, c_in=inside, c_out=outside)
