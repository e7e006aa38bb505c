"""The web app's callbacks called directly, as plain functions, against the nernst library.

Every number a callback puts on the page must be the library's number for the same inputs
(the app computes nothing itself); a few are also checked against arithmetic written here
with the CODATA 2018 exact constants. Also: the URL, TOML and CSV formats, the tab registry,
the WSGI factory, the command's argument errors, and that ``import nernst`` stays Dash-free.
"""

from __future__ import annotations

import base64
import csv
import json
import math
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
from dash import no_update
from dash.exceptions import PreventUpdate
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import nernst
from nernst.app import create_app, ghk_tab, layout, nernst_tab, scenario
from nernst.app.energetics import CSV_COLUMNS
from nernst.cli import app as cli
from nernst.explain import explain_equilibrium_potential, explain_ghk_voltage

# CODATA 2018 exact: R = k_B N_A, F = e N_A; RT/F at 37 degC (310.15 K) = 26.7267 mV.
R = 1.380649e-23 * 6.02214076e23
F = 1.602176634e-19 * 6.02214076e23
VT_37 = R * 310.15 / F * 1e3

NEURON = nernst.Cell.preset("mammalian-neuron")


def data_value(component) -> float:
    """The full-precision number carried by a value span (``data-value``)."""
    found = []

    def walk(node):
        if isinstance(node, (list, tuple)):
            for item in node:
                walk(item)
        elif hasattr(node, "to_plotly_json"):
            props = node.to_plotly_json()["props"]
            if "data-value" in props:
                found.append(float(props["data-value"]))
            walk(props.get("children"))

    walk(component)
    assert len(found) == 1, component
    return found[0]


def nernst_out(*args):
    return dict(zip(nernst_tab.OUTPUTS, nernst_tab.compute_nernst(*args), strict=True))


def ids(*ions):
    return [{"type": "ghk-cin", "ion": ion} for ion in ions]


def ghk_out(cell, *, v_m=None, p_abs=1e-6, sweep=None, meta=None):
    ions = list(cell.inside)
    args = (
        ids(*ions),
        [cell.inside[i] for i in ions],
        [cell.outside[i] for i in ions],
        [cell.permeability.get(i, 0.0) for i in ions],
        cell.celsius,
        v_m,
        p_abs,
        sweep,
        meta or {"title": cell.title, "preset": None},
    )
    return dict(zip(ghk_tab.OUTPUTS, ghk_tab.compute_ghk(*args), strict=True))


def ghk_args(rows, celsius=37.0, v_m=None, p_abs=1e-6, sweep=None):
    return (
        ids(*(r[0] for r in rows)),
        [r[1] for r in rows],
        [r[2] for r in rows],
        [r[3] for r in rows],
        celsius,
        v_m,
        p_abs,
        sweep,
        {"title": "t", "preset": None},
    )


# -- Nernst tab -------------------------------------------------------------------------------
def test_nernst_default_is_the_library_value():
    out = nernst_out("K+", 140, 5, 37, [], 1, 1)
    E = data_value(out["E"])
    assert E == nernst.equilibrium_potential("K+", c_in=140, c_out=5, celsius=37)
    # Independent arithmetic: 26.7267 mV x ln(5/140) = -89.06 mV (seed chapter: -89.1 mV).
    assert E == pytest.approx(VT_37 * math.log(5 / 140), rel=1e-12)
    assert out["error"] == ""
    assert out["explanation"] == "\n".join(
        explain_equilibrium_potential("K+", c_in=140, c_out=5, celsius=37)
    )
    state = out["state"]
    assert state["query"] == "nernst.ion=K%2B&nernst.in=140&nernst.out=5&nernst.T=37"
    # The slope per tenfold change is the library's E(c_out x 10) - E: RT ln(10)/F = 61.54 mV.
    assert state["slope_mV_per_decade"] == pytest.approx(VT_37 * math.log(10), rel=1e-12)


def test_nernst_activity_coefficients_and_bare_valence():
    out = nernst_out("Ca2+", 1e-4, 2, 25, ["on"], 0.9, 0.3)
    assert data_value(out["E"]) == nernst.equilibrium_potential(
        "Ca2+", c_in=1e-4, c_out=2, celsius=25, gamma_in=0.9, gamma_out=0.3
    )
    assert "nernst.gin=0.9&nernst.gout=0.3" in out["state"]["query"]
    # Unticked, the coefficients are ignored.
    plain = nernst_out("Ca2+", 1e-4, 2, 25, [], 0.9, 0.3)
    assert data_value(plain["E"]) == nernst.equilibrium_potential(
        "Ca2+", c_in=1e-4, c_out=2, celsius=25
    )
    z2 = nernst_out("z=+2", 1e-4, 2, 25, [], 1, 1)
    assert data_value(z2["E"]) == data_value(plain["E"])
    assert z2["state"]["ion"] == "z=+2"


def test_nernst_plot_is_the_library_curve_with_the_current_point():
    figure = nernst_out("Cl-", 10, 110, 37, [], 1, 1)["figure"]
    curve, point = figure["data"]
    x = np.array(curve["x"])
    assert x.min() <= 1e-4 and x.max() >= 1e4
    # The curve is drawn for c_in = 1 mM (E depends on the ratio only): equal to rounding.
    expected = nernst.equilibrium_potential("Cl-", c_in=10, c_out=10 * x)
    assert curve["y"] == pytest.approx(list(expected), rel=1e-13)
    assert point["x"] == [11.0]
    assert point["y"] == [nernst.equilibrium_potential("Cl-", c_in=10, c_out=110)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("K+", None, 5, 37, [], 1, 1), "Enter a number for the inside concentration"),
        (("K+", 140, "", 37, [], 1, 1), "Enter a number for the outside concentration"),
        (("K+", -5, 5, 37, [], 1, 1), "inside concentration must be above 0 mM; you typed -5"),
        (("K+", 0, 5, 37, [], 1, 1), "inside concentration must be above 0 mM; you typed 0"),
        (("K+", 140, 5, 310, [], 1, 1), "If you meant 310 K, type 36.85 °C"),
        (("K+", 140, 5, -300, [], 1, 1), "below absolute zero"),
        (("K+", 140, 5, True, [], 1, 1), "Enter a number for the temperature"),
        (("K+", 140, 5, 37, ["on"], None, 1), "inside activity coefficient"),
        (("K+", 140, 5, 37, ["on"], -1, 1), "inside activity coefficient must be above 0"),
        (("unobtainium", 140, 5, 37, [], 1, 1), "Unknown ion"),
        (({"ion": "K+"}, 140, 5, 37, [], 1, 1), "Unknown ion"),
        (("K+", [140], 5, 37, [], 1, 1), "must be a number"),
        (("K+", "1e999", 5, 37, [], 1, 1), "must be a number"),
    ],
)
def test_nernst_bad_input_is_an_inline_message(args, message):
    out = nernst_out(*args)
    assert message in out["error"]
    # Nothing of the previous scenario stays on the page: no number, plot or equation.
    assert out["figure"]["data"] == [] and out["explanation"] == ""
    assert out["state"] is no_update and out["warning"] == ""


def test_nernst_link_restores_the_controls():
    restored = nernst_tab.load_nernst(
        "?nernst.ion=calcium&nernst.in=0.0001&nernst.out=2&nernst.T=25&nernst.gin=0.9"
    )
    assert restored == ("Ca2+", 1e-4, 2.0, 25.0, ["on"], 0.9, no_update, "")
    assert nernst_tab.load_nernst("?tab=ghk") == (no_update,) * 8
    assert nernst_tab.load_nernst(None) == (no_update,) * 8
    bad = nernst_tab.load_nernst("?nernst.ion=Xx&nernst.in=nan&nernst.out=1e999")
    assert bad[:3] == (no_update, None, None)  # unknown ion kept, bad numbers emptied
    assert "'Xx'" in bad[-1] and "not in the ion table" in bad[-1]  # ... and said so


def test_parse_ion():
    assert nernst_tab.parse_ion("SO4 2-") == "SO4 2-"
    assert nernst_tab.parse_ion("z=-3") == -3
    assert nernst_tab.parse_ion("z=+7") is None
    assert nernst_tab.parse_ion("") is None


def test_nernst_csv():
    state = nernst_out("Na+", 10, 145, 37, [], 1, 1)["state"]
    payload = nernst_tab.nernst_csv(state)
    (row,) = list(csv.DictReader(payload["content"].splitlines()))
    assert row["ion"] == "Na+" and row["z"] == "1"
    assert float(row["E_mV"]) == nernst.equilibrium_potential("Na+", c_in=10, c_out=145)
    assert payload["filename"] == "nernst-potential.csv"


# -- GHK tab ----------------------------------------------------------------------------------
def test_ghk_default_cell_is_the_library_value():
    out = ghk_out(NEURON)
    V = data_value(out["V_rest"])
    assert V == NEURON.resting_potential()
    # Seed chapter: P_K:P_Na:P_Cl = 1:0.04:0.45 -> V = RT/F ln(15.3/189.9) = -67.3 mV.
    assert V == pytest.approx(VT_37 * math.log(15.3 / 189.9), rel=1e-12)
    permeant = {k: v for k, v in NEURON.permeability.items() if v > 0}
    assert out["explanation"] == "\n".join(
        explain_ghk_voltage(permeant, c_in=NEURON.inside, c_out=NEURON.outside)
    )
    assert out["error"] == "" and out["vm_note"] == ""
    E = NEURON.equilibrium_potentials()
    assert out["axis"]["data"][0]["y"] == [E[ion] for ion in NEURON.inside]
    assert out["axis"]["layout"]["shapes"][0]["y0"] == V


def test_ghk_iv_panel_is_the_library_current():
    p_abs = 2e-6
    out = ghk_out(NEURON, p_abs=p_abs)
    traces = out["iv"]["data"]
    permeant = [ion for ion, p in NEURON.permeability.items() if p > 0]
    assert [t["name"] for t in traces] == [f"I({i})" for i in permeant] + [
        "total",
        "reversal (total = 0)",
    ]
    first = traces[0]
    V = first["x0"] + first["dx"] * np.arange(len(first["y"]))
    total = np.zeros_like(V)
    for ion, t in zip(permeant, traces, strict=False):
        expected = 1e3 * nernst.ghk_current(
            V,
            ion,
            permeability=NEURON.permeability[ion] * p_abs,
            c_in=NEURON.inside[ion],
            c_out=NEURON.outside[ion],
        )
        np.testing.assert_allclose(t["y"], expected, rtol=1e-13)
        total += expected
    np.testing.assert_allclose(traces[-2]["y"], total, rtol=1e-12, atol=1e-12)
    # The reversal marker is V_rest, where the library's total GHK current vanishes.
    v_rest = traces[-1]["x"][0]
    assert v_rest == NEURON.resting_potential()
    at_rest = sum(
        nernst.ghk_current(
            v_rest,
            ion,
            permeability=NEURON.permeability[ion],
            c_in=NEURON.inside[ion],
            c_out=NEURON.outside[ion],
        )
        for ion in permeant
    )
    assert abs(at_rest) < 1e-12


def test_ghk_sweep_is_the_library_resting_potential():
    out = ghk_out(NEURON, sweep="Na+")
    line, point = out["sweep"]["data"]
    P = np.array(line["x"])
    assert P.min() <= 1e-4 and P.max() >= 1e3
    # The app's cell lists impermeant Ca2+ with P = 0, as the library is given it here.
    expected = nernst.ghk_voltage(
        {**NEURON.permeability, "Ca2+": 0.0, "Na+": P}, c_in=NEURON.inside, c_out=NEURON.outside
    )
    np.testing.assert_array_equal(line["y"], expected)
    assert point["x"] == [0.04] and point["y"] == [NEURON.resting_potential()]
    E_Na = NEURON.equilibrium_potentials()["Na+"]
    assert out["sweep"]["layout"]["shapes"][0]["y0"] == E_Na


def test_ghk_energetics_is_the_report():
    out = ghk_out(NEURON)
    report = NEURON.report()
    rows = out["state"]["table"]
    assert [r["ion"] for r in rows] == [r.ion for r in report.ions]
    for row, ion in zip(rows, report.ions, strict=True):
        assert row["E_mV"] == ion.E and row["driving_force_mV"] == ion.driving_force
        assert row["stored_energy_J_per_mol"] == ion.stored_energy
        assert row["verdict"] == ion.verdict and row["net_flux"] == ion.flux
        assert row["dG_in_J_per_mol"] == nernst.transport_free_energy(
            ion.ion, c_from=ion.c_out, c_to=ion.c_in, v_from=0, v_to=report.v_m
        )
        assert row["dG_out_J_per_mol"] == nernst.transport_free_energy(
            ion.ion, c_from=ion.c_in, c_to=ion.c_out, v_from=report.v_m, v_to=0
        )
    # K+ into the cell at V_rest: dG = RT ln(140/5) + F V = F (V - E_K) (independent
    # arithmetic, Nicholls & Ferguson 2013 eq. 3.6) = F x 21.74 mV = +2.098 kJ/mol, uphill.
    k = rows[0]
    assert k["dG_in_J_per_mol"] == pytest.approx(
        F * (VT_37 * math.log(15.3 / 189.9) - VT_37 * math.log(5 / 140)) * 1e-3, rel=1e-9
    )
    html_text = json.dumps(out["energetics"].to_plotly_json(), default=lambda o: o.to_plotly_json())
    assert "Energetics at V_m = -67.3 mV (GHK resting potential)" in html_text


@pytest.mark.parametrize("ion, p", [("Ca2+", 0.02), ("La3+", 0.01)])
def test_ghk_with_divalent_and_trivalent_ions(ion, p):
    rows = [("K+", 140, 5, 1.0), ("Na+", 10, 145, 0.04), (ion, 1e-4, 2.0, p)]
    out = dict(zip(ghk_tab.OUTPUTS, ghk_tab.compute_ghk(*ghk_args(rows)), strict=True))
    assert data_value(out["V_rest"]) == nernst.ghk_voltage(
        {r[0]: r[3] for r in rows},
        c_in={r[0]: r[1] for r in rows},
        c_out={r[0]: r[2] for r in rows},
    )


def test_ghk_measured_potential_drives_the_energetics():
    squid = nernst.Cell.preset("squid-axon")
    out = ghk_out(squid, v_m=-63.0)
    assert data_value(out["V_rest"]) == squid.resting_potential()
    assert "Measured V_m = -63.0 mV" in out["vm_note"]
    assert {r["V_m_mV"] for r in out["state"]["table"]} == {-63.0}
    assert {r["V_m_source"] for r in out["state"]["table"]} == {"measured"}
    assert "ghk.vm=-63" in out["state"]["query"]


@pytest.mark.parametrize(
    ("rows", "extra", "message"),
    [
        ([], {}, "no ions"),
        ([("K+", None, 5, 1)], {}, "Enter a number for K+ inside"),
        ([("K+", 140, 5, 0)], {}, "No ion has a positive permeability"),
        ([("K+", -1, 5, 1)], {}, "K+ inside must be above 0 mM; you typed -1"),
        ([("K+", 140, 5, -2)], {}, "K+ permeability must be 0 or more; you typed -2"),
        ([("K+", 140, 5, 1)], {"celsius": 300}, "If you meant 300 K, type 26.85 °C"),
        ([("K+", 140, 5, 1)], {"p_abs": 0}, "positive number (cm/s)"),
        ([("K+", 140, 5, 1)], {"v_m": "abc"}, "measured V_m must be a number"),
    ],
)
def test_ghk_bad_input_is_an_inline_message(rows, extra, message):
    out = dict(zip(ghk_tab.OUTPUTS, ghk_tab.compute_ghk(*ghk_args(rows, **extra)), strict=True))
    assert message in out["error"]
    assert out["state"] is no_update


@pytest.mark.parametrize("key", list(nernst.presets()))
def test_every_preset_loads_and_computes(key):
    loaded = dict(
        zip(
            ghk_tab.LOAD_OUTPUTS,
            ghk_tab.load_ghk(
                "ghk-preset", None, key, None, None, None, [], [], [], [], 37, None, None, {}
            ),
            strict=True,
        )
    )
    cell = nernst.Cell.preset(key)
    rows = loaded["rows"]
    assert len(rows) == len(cell.inside)
    assert loaded["celsius"] == cell.celsius and loaded["v_m"] == cell.v_m
    assert loaded["meta"] == {"title": nernst.presets()[key]["title"], "preset": key}
    out = ghk_out(cell, v_m=cell.v_m)
    assert data_value(out["V_rest"]) == cell.resting_potential()


def _load(trigger, *, rows=(), add_ion=None, contents=None, filename=None, search=None):
    result = ghk_tab.load_ghk(
        trigger,
        search,
        None,
        add_ion,
        contents,
        filename,
        ids(*(r[0] for r in rows)),
        [r[1] for r in rows],
        [r[2] for r in rows],
        [r[3] for r in rows],
        30.0,
        None,
        "K+",
        {"title": "t", "preset": None},
    )
    return dict(zip(ghk_tab.LOAD_OUTPUTS, result, strict=True))


def _row_ions(children) -> list[str]:
    return [row.children[0].children for row in children]


def test_blank_add_and_remove_ions():
    blank = dict(
        zip(
            ghk_tab.LOAD_OUTPUTS,
            ghk_tab.load_ghk(
                "ghk-preset", None, "blank", None, None, None, [], [], [], [], 37, None, None, {}
            ),
            strict=True,
        )
    )
    assert blank["rows"] == [] and blank["meta"]["preset"] == "blank"
    rows = [("K+", 140, 5, 1), ("Na+", 10, 145, 0.04)]
    added = _load("ghk-add", rows=rows, add_ion="Mg2+")
    assert _row_ions(added["rows"]) == ["K+", "Na+", "Mg2+"]
    assert added["celsius"] == 30.0  # typed values survive
    assert "Mg2+" not in [o["value"] for o in added["add_options"]]
    removed = _load({"type": "ghk-remove", "ion": "K+"}, rows=rows)
    assert _row_ions(removed["rows"]) == ["Na+"]
    assert removed["sweep"] == "Na+"  # the swept ion was removed: pick another
    for ion in ("K+", "potassium", "unobtainium", None):
        with pytest.raises(PreventUpdate):
            _load("ghk-add", rows=rows, add_ion=ion)
    unknown = ghk_tab.load_ghk(
        "ghk-preset", None, "atlantis", None, None, None, [], [], [], [], 37, None, None, {}
    )
    assert "unknown preset 'atlantis'" in unknown[ghk_tab.LOAD_OUTPUTS.index("message")]


def _upload(text: str | bytes) -> str:
    raw = text.encode() if isinstance(text, str) else text
    return "data:application/octet-stream;base64," + base64.b64encode(raw).decode()


def test_upload_reads_the_cell_file_format():
    text = Path(__file__).with_name("test_browser.py").read_text(encoding="utf-8")
    toml_text = text.split('UPLOAD = """\\\n')[1].split('"""')[0]
    loaded = _load("ghk-upload", contents=_upload(toml_text), filename="c.toml")
    assert _row_ions(loaded["rows"]) == ["K+", "Na+", "Cl-", "Ca2+"]
    assert loaded["celsius"] == 22.0 and loaded["message"] == "Loaded c.toml."
    assert loaded["meta"]["title"] == "uploaded test cell"
    # The one-table form `[cell.NAME]` that cells.toml uses is read too.
    nested = '[cell.x]\ninside = {"K+" = 140}\noutside = {"K+" = 5}\npermeability = {"K+" = 1}\n'
    assert _row_ions(_load("ghk-upload", contents=_upload(nested))["rows"]) == ["K+"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("inside = [", "is not valid TOML"),
        ('[inside]\n"K+" = 140\n', "no [outside] table"),
        ('[inside]\n"K+" = 140\n[outside]\n"K+" = -5\n', "outside[K+]=-5"),
        ('bogus = 1\n[inside]\n"K+" = 1\n[outside]\n"K+" = 1\n', "unknown key 'bogus'"),
        ("#" * (70 * 1024), "larger than 64 kB"),
        (b"\xff\xfe\x00binary", "not UTF-8 text"),
    ],
)
def test_bad_uploads_are_inline_messages(raw, message):
    loaded = _load("ghk-upload", contents=_upload(raw), filename="bad.toml")
    assert message in loaded["message"]
    assert loaded["rows"] is no_update


def test_link_restores_the_cell():
    squid = nernst.Cell.preset("squid-axon")
    state = {
        "title": "shared",
        "preset": "squid-axon",
        "celsius": 20.0,
        "v_m": -63.0,
        "ions": [
            {"ion": i, "c_in": squid.inside[i], "c_out": squid.outside[i], "p": p}
            for i, p in (("K+", 1.0), ("Na+", 0.1), ("Cl-", 0.45), ("Ca2+", 0.0))
        ],
        "p_abs": 2e-6,
        "sweep": "K+",
    }
    search = "?" + scenario.encode_query(ghk_tab.to_query(state))
    loaded = _load("url", search=search)
    assert [r.children[3].value for r in loaded["rows"]] == [1.0, 0.1, 0.45, 0.0]
    assert (loaded["celsius"], loaded["v_m"], loaded["p_abs"], loaded["sweep"]) == (
        20.0,
        -63.0,
        2e-6,
        "K+",
    )
    assert loaded["preset"] == "squid-axon" and loaded["meta"]["title"] == "shared"
    with pytest.raises(PreventUpdate):
        _load("url", search="?tab=nernst&nernst.in=3")


def test_download_toml_reads_back_as_the_same_cell(tmp_path):
    state = ghk_out(NEURON)["state"]
    payload = ghk_tab.download_toml(1, state)
    path = tmp_path / payload["filename"]
    path.write_text(payload["content"], encoding="utf-8")
    assert payload["filename"] == "mammalian-neuron--textbook-composite.toml"
    back = nernst.Cell.from_toml(path)
    assert back.inside == NEURON.inside and back.outside == NEURON.outside
    assert back.permeability == {**NEURON.permeability, "Ca2+": 0.0}
    assert back.resting_potential() == NEURON.resting_potential()
    assert ghk_tab.download_toml(None, state) is no_update


def test_download_csv_holds_the_table():
    state = ghk_out(NEURON)["state"]
    payload = ghk_tab.download_csv(1, state)
    rows = list(csv.DictReader(payload["content"].splitlines()))
    assert [r["ion"] for r in rows] == list(NEURON.inside)
    report = NEURON.report()
    assert [float(r["E_mV"]) for r in rows] == [i.E for i in report.ions]
    assert tuple(rows[0]) == CSV_COLUMNS


# -- formats ----------------------------------------------------------------------------------
finite = st.floats(allow_nan=False, allow_infinity=False)


@given(finite)
def test_numbers_round_trip_through_text(x):
    assert scenario.parse_number(scenario.number_text(x)) == x


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["K+", "Na+", "Cl-", "Ca2+", "SO4 2-", "H2PO4-", "La3+"]),
            st.floats(1e-9, 1e4),
            st.floats(1e-9, 1e4),
            st.floats(0, 1e3),
        ),
        min_size=1,
        max_size=7,
        unique_by=lambda r: r[0],
    ),
    st.floats(-20, 100),
    st.text(max_size=40),
)
def test_ghk_state_round_trips_through_the_url(rows, celsius, title):
    state = {
        "title": title,
        "preset": None,
        "celsius": celsius,
        "v_m": None,
        "ions": [{"ion": i, "c_in": a, "c_out": b, "p": p} for i, a, b, p in rows],
        "p_abs": 1e-6,
        "sweep": rows[0][0],
    }
    search = "?" + scenario.encode_query(ghk_tab.to_query(state))
    back = ghk_tab._url_scenario(scenario.parse_query(search))
    assert back["ions"] == state["ions"] and back["celsius"] == celsius
    assert back["title"] == (title.strip() or "shared cell")


@given(st.text(max_size=60))
def test_toml_strings_round_trip(title):
    text = scenario.cell_to_toml(
        {
            "title": title,
            "celsius": 37.0,
            "inside": {"K+": 1.0},
            "outside": {"K+": 2.0},
            "permeability": {"K+": 1.0},
            "sources": {"note": title},
        }
    )
    data = tomllib.loads(text)
    assert data.get("title", "") == title and data["sources"]["note"] == title


def test_query_limits():
    assert scenario.parse_query("?" + "a=1&" * 5000) == {}
    assert scenario.parse_query("?" + "a&" * 300) == {}
    assert scenario.parse_number("1" * 50) is None
    assert scenario.parse_number(True) is None


# -- the page, the server, the command ------------------------------------------------------
def test_tabs_are_discovered_in_order():
    assert [t.id for t in layout.discover_tabs()][:2] == ["nernst", "ghk"]
    assert layout.select_tab("?tab=ghk", ["nernst", "ghk"]) == "ghk"
    assert layout.select_tab("?tab=<script>", ["nernst"]) is None


DEMO_TAB = """
from dash import Input, Output, dcc, html
from nernst.app.layout import TabSpec

def layout():
    return html.Div([html.Div(id="demo-out"), dcc.Store(id="demo-state", data={"query": ""})])

def register(app):
    app.callback(Output("demo-out", "children"), Input("demo-state", "data"))(lambda d: "ok")

TAB = TabSpec(id="demo", label="Demo", order=99, layout=layout, register=register,
              state_id="demo-state")
"""


def test_a_new_tab_is_one_module(tmp_path, monkeypatch):
    import nernst.app as package

    (tmp_path / "demo_tab.py").write_text(DEMO_TAB, encoding="utf-8")
    monkeypatch.setattr(package, "__path__", [*package.__path__, str(tmp_path)])
    try:
        dash_app = package.build_dash()
        assert [t.id for t in layout.discover_tabs()][-1] == "demo"
        assert "demo-out.children" in dash_app.callback_map
        tab_values = [t.value for t in dash_app.layout.children[2].children]
        assert tab_values[-1] == "demo"
    finally:
        sys.modules.pop("nernst.app.demo_tab", None)


def _callback_body(values: dict) -> dict:
    """The request the browser sends for the GHK tab's main callback."""
    rows = list(values["ions"])

    def group(kind, key):
        return [
            {"id": {"ion": r[0], "type": f"ghk-{kind}"}, "property": "value", "value": r[key]}
            for r in rows
        ]

    outputs = list(ghk_tab.OUTPUT_TARGETS)
    return {
        "output": "".join(f"..{i}.{p}." for i, p in outputs) + ".",
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": [
            group("cin", 1),
            group("cout", 2),
            group("p", 3),
            {"id": "ghk-celsius", "property": "value", "value": values["celsius"]},
            {"id": "ghk-vm", "property": "value", "value": None},
            {"id": "ghk-pabs", "property": "value", "value": 1e-6},
            {"id": "ghk-sweep", "property": "value", "value": "Na+"},
            {"id": "ghk-meta", "property": "data", "value": {"title": "t", "preset": None}},
        ],
        "changedPropIds": ['{"ion":"K+","type":"ghk-cout"}.value'],
        "state": [
            [
                {
                    "id": {"ion": r[0], "type": "ghk-cin"},
                    "property": "id",
                    "value": {"type": "ghk-cin", "ion": r[0]},
                }
                for r in rows
            ]
        ],
    }


def test_wsgi_factory_serves_the_page_and_callbacks():
    client = create_app().test_client()
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    rows = [("K+", 140, 7.5, 1), ("Na+", 10, 145, 0.04), ("Cl-", 10, 110, 0.45)]
    answer = client.post(
        "/_dash-update-component", json=_callback_body({"ions": rows, "celsius": 37})
    )
    assert answer.status_code == 200
    vrest = answer.get_json()["response"]["ghk-vrest"]["children"]["props"]["children"][1]
    assert float(vrest["props"]["data-value"]) == nernst.ghk_voltage(
        {r[0]: r[3] for r in rows},
        c_in={r[0]: r[1] for r in rows},
        c_out={r[0]: r[2] for r in rows},
    )
    too_big = client.post(
        "/_dash-update-component", data=b"x" * (2 * 1024 * 1024), content_type="application/json"
    )
    assert too_big.status_code == 413


def test_import_nernst_does_not_import_dash():
    code = (
        "import sys, nernst, nernst.cli; nernst.Cell.preset(); "
        "assert 'dash' not in sys.modules and 'flask' not in sys.modules, 'dash imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "0"], "a port is a number from 1 to 65535"),
        (["--workers", "0"], "give at least 1 worker"),
        (["--workers", "2", "--debug"], "--debug works with the development server only"),
        (["--host", "no-such-host.invalid"], "is not an address"),
    ],
)
def test_app_command_rejects_bad_options(args, message):
    result = runner.invoke(cli, ["app", *args])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1


def test_app_command_reports_a_busy_port():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(cli, ["app", "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_pictures_follow_the_state_and_clear_on_error():
    state = nernst_out("K+", 140, 5, 37, [], 1, 1)["state"]
    svg, tex = nernst_tab.nernst_picture(state, "", "log10")
    assert svg.startswith("<svg") and 'data-flux="out"' in svg  # K+ leaves at V = 0
    assert (
        "\\log_{10}" in tex
        and f"{nernst.equilibrium_potential('K+', c_in=140, c_out=5):.2f}" in tex
    )
    assert nernst_tab.nernst_picture(state, "Enter a number", "ln") == ("", "")
    assert nernst_tab.nernst_picture("junk", "", "ln") == ("", "")
    ghk_state = ghk_out(nernst.Cell.preset("mammalian-neuron"))["state"]
    svg, tex = ghk_tab.ghk_picture(ghk_state, "", "ln")
    assert svg.count('class="channel') == 4 and "\\ln" in tex
    assert ghk_tab.ghk_picture(ghk_state, "bad", "ln") == ("", "")
    assert ghk_tab.ghk_picture({"table": "x"}, "", "ln") == ("", "")
