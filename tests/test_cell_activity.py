"""Activity-corrected potentials in the Cell model, its report and the `nernst cell` command.

Expected numbers come from the seed chapter (../shared/seed/000_ba38d2a88dc762dc.txt,
"Non-Ideal Solutions: Ionic Activity") or from arithmetic written in the test with CODATA 2018
exact constants: RT/F = 26.7267 mV at 37 C (310.15 K).
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

import nernst
from nernst.activity import activity_coefficient, ionic_strength
from nernst.cli import app

R = 1.380649e-23 * 6.02214076e23
F = 1.602176634e-19 * 6.02214076e23
VT_37 = R * 310.15 / F * 1e3  # 26.7267 mV

NEURON_IN = {"K+": 140.0, "Na+": 10.0, "Cl-": 10.0}
NEURON_OUT = {"K+": 5.0, "Na+": 145.0, "Cl-": 110.0}
NEURON_P = {"K+": 1.0, "Na+": 0.04, "Cl-": 0.45}


def seed_k_cell(**kwargs):
    return nernst.Cell(
        c_in={"K+": 140.0},
        c_out={"K+": 5.0},
        permeability={"K+": 1.0},
        gamma_in={"K+": 0.75},
        gamma_out={"K+": 0.96},
        **kwargs,
    )


# -- the seed chapter's point -----------------------------------------------------------------
def test_seed_activity_correction_is_plus_6_60_mV_through_the_cell():
    # Seed chapter: gamma_in = 0.75, gamma_out = 0.96 make the activity-based E "approximately
    # 6.60 mV more positive". By hand: (RT/F) ln(0.96/0.75) = 26.7267 x 0.246860 = 6.598 mV.
    by_hand = VT_37 * math.log(0.96 / 0.75)
    assert by_hand == pytest.approx(6.60, abs=0.005)
    cell = seed_k_cell()
    report = cell.report()
    (row,) = report.ions
    assert row.E_activity_shift == pytest.approx(by_hand, abs=1e-9)
    assert row.E_activity_shift == pytest.approx(6.60, abs=0.005)
    assert row.gamma_in == 0.75 and row.gamma_out == 0.96
    assert row.E == pytest.approx(VT_37 * math.log(5 / 140), abs=1e-9)  # unchanged meaning
    assert row.E_activity == pytest.approx(VT_37 * math.log(0.96 * 5 / (0.75 * 140)), abs=1e-9)
    # One permeant ion: GHK = Nernst, so V_rest shifts by the same 6.60 mV.
    assert report.v_rest_activity_shift == pytest.approx(by_hand, abs=1e-9)
    assert report.activity == "fixed"
    assert report.ionic_strength_in is None  # fixed gammas need no ionic strength
    assert cell.equilibrium_potentials()["K+"] == pytest.approx(row.E_activity, abs=1e-12)
    assert cell.equilibrium_potentials(ideal=True)["K+"] == pytest.approx(row.E, abs=1e-12)


def test_seed_value_in_every_rendering():
    report = seed_k_cell().report()
    data = json.loads(report.to_json())
    assert data["ions"][0]["E_activity_shift"] == pytest.approx(6.598, abs=0.001)
    assert data["v_rest_activity_shift"] == pytest.approx(6.598, abs=0.001)
    assert data["units"]["ionic_strength"] == "mol/L"
    text = str(report)
    assert "E_a-E (mV)" in text and "+6.60" in text and "gamma in" in text
    assert "+6.60 mV from the concentration-based -89.1 mV" in text
    html = report._repr_html_()
    assert "E_a (mV)" in html and "+6.60" in html
    from rich.console import Console

    console = Console(record=True, width=200)
    console.print(report)
    out = console.export_text()
    assert "+6.60" in out and "gamma out" in out
    frame = report.to_dataframe()
    assert frame.loc["K+", "E_activity_shift"] == pytest.approx(6.598, abs=0.001)


# -- a model: each compartment's own ionic strength ------------------------------------------
def test_davies_cell_uses_each_compartments_ionic_strength():
    cell = nernst.Cell(
        c_in=NEURON_IN, c_out=NEURON_OUT, permeability=NEURON_P, celsius=37, activity="davies"
    )
    # I = 1/2 sum c z^2: inside (140 + 10 + 10)/2 = 80 mM, outside (5 + 145 + 110)/2 = 130 mM.
    assert cell.ionic_strengths() == pytest.approx({"inside": 0.080, "outside": 0.130})
    gammas = cell.activity_coefficients()
    for ion in NEURON_IN:
        assert gammas["inside"][ion] == activity_coefficient(
            ion, ionic_strength=0.080, model="davies", celsius=37
        )
        assert gammas["outside"][ion] == activity_coefficient(
            ion, ionic_strength=0.130, model="davies", celsius=37
        )
    report = cell.report()
    rows = {r.ion: r for r in report.ions}
    for ion, row in rows.items():
        expected = nernst.equilibrium_potential(
            ion,
            c_in=NEURON_IN[ion],
            c_out=NEURON_OUT[ion],
            celsius=37,
            gamma_in=gammas["inside"][ion],
            gamma_out=gammas["outside"][ion],
        )
        assert row.E_activity == pytest.approx(expected, abs=1e-12)
        assert row.E_activity_shift == pytest.approx(row.E_activity - row.E, abs=1e-12)
    # GHK with activities = GHK of gamma * c.
    v_a = nernst.ghk_voltage(
        NEURON_P,
        c_in={k: gammas["inside"][k] * c for k, c in NEURON_IN.items()},
        c_out={k: gammas["outside"][k] * c for k, c in NEURON_OUT.items()},
        celsius=37,
    )
    assert report.v_rest_ghk_activity == pytest.approx(v_a, abs=1e-12)
    assert cell.resting_potential() == pytest.approx(v_a, abs=1e-12)
    # The concentration-based fields keep their meaning (seed GHK example, -67.3 mV).
    assert report.v_rest_ghk == pytest.approx(-67.3, abs=0.05)
    assert report.v_rest_activity_shift == pytest.approx(v_a - report.v_rest_ghk, abs=1e-12)
    assert report.v_m == report.v_rest_ghk_activity  # no measured V_m: activity-based GHK
    assert report.activity == "davies"
    assert rows["K+"].driving_force == pytest.approx(v_a - rows["K+"].E_activity, abs=1e-9)
    # Monovalent ions share one Davies gamma per side, so every E_a - E is
    # (RT/zF) ln(g_out / g_in): equal and opposite for cations and anions.
    shift = VT_37 * math.log(gammas["outside"]["K+"] / gammas["inside"]["K+"])
    assert rows["K+"].E_activity_shift == pytest.approx(shift, abs=1e-9)
    assert rows["Cl-"].E_activity_shift == pytest.approx(-shift, abs=1e-9)


def test_impermeant_ions_count_in_the_ionic_strength():
    inside = {**NEURON_IN, "gluconate-": 130.0}
    outside = {**NEURON_OUT, "gluconate-": 1.0}
    cell = nernst.Cell(c_in=inside, c_out=outside, permeability=NEURON_P, activity="davies")
    # Inside: (140 + 10 + 10 + 130)/2 = 145 mM; outside (5 + 145 + 110 + 1)/2 = 130.5 mM.
    assert cell.ionic_strengths()["inside"] == pytest.approx(0.145)
    assert cell.ionic_strengths()["outside"] == pytest.approx(0.1305)
    assert cell.activity_coefficients()["inside"]["K+"] == pytest.approx(
        activity_coefficient("K+", ionic_strength=ionic_strength(inside), celsius=37)
    )
    report = cell.report()
    assert report.charge_imbalance_in == pytest.approx(10.0)  # 140+10-10-130
    assert "missing from I_in" in str(report)


def test_fixed_gammas_override_the_model_for_the_ions_they_name():
    cell = nernst.Cell(
        c_in=NEURON_IN,
        c_out=NEURON_OUT,
        permeability=NEURON_P,
        activity="davies",
        gamma_in={"K+": 0.75},
    )
    g = cell.activity_coefficients()
    assert g["inside"]["K+"] == 0.75
    assert g["inside"]["Na+"] == activity_coefficient(
        "Na+", ionic_strength=0.08, model="davies", celsius=37
    )
    assert cell.report().activity == "davies + fixed"


def test_no_activity_report_is_unchanged():
    plain = nernst.Cell.preset().report()
    assert plain.activity is None and plain.v_rest_ghk_activity is None
    assert all(r.E_activity is None and r.gamma_in is None for r in plain.ions)
    assert plain.columns() == plain.COLUMNS
    assert "gamma" not in str(plain)
    ideal = nernst.Cell.preset().with_activity("ideal").report()
    assert ideal.v_rest_activity_shift == 0.0
    assert all(r.E_activity_shift == 0.0 for r in ideal.ions)


def test_model_outside_its_range_is_noted():
    # Squid axoplasm/sea water: I_out = (10 + 460 + 540 + 4 x 10)/2 mM = 0.525 M > 0.1 M.
    report = nernst.Cell.preset("squid-axon").with_activity("extended-debye-huckel").report()
    assert report.ionic_strength_out == pytest.approx(0.525)
    assert "exceeds the range of the extended-debye-huckel model" in str(report)


# -- files, dicts, copies ---------------------------------------------------------------------
def test_toml_and_dict_carry_activity(tmp_path):
    path = tmp_path / "cell.toml"
    path.write_text(
        'celsius = 37\nactivity = "Davies"\n'
        '[inside]\n"K+" = 140\n"Cl-" = 140\n[outside]\n"K+" = 5\n"Cl-" = 5\n'
        '[permeability]\n"K+" = 1\n[gamma_out]\n"Cl-" = 0.9\n',
        encoding="utf-8",
    )
    cell = nernst.Cell.from_toml(path)
    assert cell.activity == "davies"
    assert cell.gamma_out == {"Cl-": 0.9}
    data = cell.to_dict()
    assert data["activity"] == "davies" and data["gamma_out"] == {"Cl-": 0.9}
    again = nernst.Cell.from_dict(data)
    assert again.report().to_dict() == {
        **cell.report().to_dict(),
        "name": again.name,
    }
    assert cell.with_activity("none").activity is None
    assert cell.with_activity("none").gamma_out == {"Cl-": 0.9}
    assert nernst.Cell.preset().to_dict().get("activity") is None


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"activity": "pitzer"}, "davies"),
        ({"gamma_in": {"Ca2+": 0.3}}, "gamma_in names Ca2\\+"),
        ({"gamma_in": {"K+": 0}}, r"gamma_in\[K\+\]=0"),
        ({"gamma_out": {"K+": "x"}}, "not a number"),
        ({"gamma_out": [0.9]}, "mapping"),
        ({"activity": "davies", "celsius": -5}, "0 to 100 degC"),
    ],
)
def test_bad_activity_settings(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        nernst.Cell(c_in=NEURON_IN, c_out=NEURON_OUT, permeability=NEURON_P, **kwargs)


def test_model_without_parameters_names_the_ion():
    with pytest.raises(ValueError, match="'gluconate-'"):
        nernst.Cell(
            c_in={"K+": 140, "gluconate-": 130},
            c_out={"K+": 5, "gluconate-": 1},
            permeability={"K+": 1},
            activity="extended-debye-huckel",
        )


# -- nernst cell --activity ---------------------------------------------------------------------
runner = CliRunner()


def test_cli_cell_activity():
    result = runner.invoke(app, ["cell", "--activity", "davies", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    expected = nernst.Cell.preset().with_activity("davies").report()
    assert data["activity"] == "davies"
    assert data["v_rest_ghk"] == pytest.approx(-67.3, abs=0.05)  # seed chapter, unchanged
    assert data["v_rest_ghk_activity"] == pytest.approx(expected.v_rest_ghk_activity, abs=1e-12)
    assert data["ionic_strength_in"] == pytest.approx(expected.ionic_strength_in)
    text = runner.invoke(app, ["cell", "--activity", "davies"]).stdout
    assert "E_a (mV)" in text and "GHK V_rest from activities" in text and "-67.3" in text
    bad = runner.invoke(app, ["cell", "--activity", "pitzer"])
    assert bad.exit_code == 2 and bad.stderr.startswith("error: unknown activity model")


@pytest.mark.skipif(shutil.which("nernst") is None, reason="needs the installed entry point")
def test_cli_cell_activity_entry_point(tmp_path):
    path = tmp_path / "k.toml"
    path.write_text(
        'celsius = 37\n[inside]\n"K+" = 140\n[outside]\n"K+" = 5\n[permeability]\n"K+" = 1\n'
        '[gamma_in]\n"K+" = 0.75\n[gamma_out]\n"K+" = 0.96\n',
        encoding="utf-8",
    )
    out = subprocess.run(
        ["nernst", "cell", str(path), "--json"], capture_output=True, text=True, check=True
    )
    data = json.loads(out.stdout)
    assert data["v_rest_activity_shift"] == pytest.approx(6.60, abs=0.005)  # seed chapter
