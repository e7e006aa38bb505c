"""The Cell model, presets, TOML files and the report's renderings."""

import json

import pytest

import nernst
from nernst._deprecate import NernstDeprecationWarning

NEURON_TOML = """
title = "my neuron"
celsius = 37
[inside]
"K+" = 140
"Na+" = 10
"Cl-" = 10
[outside]
"K+" = 5
"Na+" = 145
"Cl-" = 110
[permeability]
"K+" = 1
"Na+" = 0.04
"Cl-" = 0.45
"""


def test_constructor_matches_physics_functions():
    cell = nernst.Cell(
        c_in={"K": 140, "sodium": 10},
        c_out={"K+": 5, "Na+": 145},
        permeability={"K+": 1, "Na+": 0.04},
        celsius=20,
    )
    assert set(cell.c_in) == {"K+", "Na+"}  # aliases resolved
    assert cell.equilibrium_potentials()["K+"] == nernst.equilibrium_potential(
        "K+", c_in=140, c_out=5, celsius=20
    )
    assert cell.resting_potential() == nernst.ghk_voltage(
        {"K+": 1, "Na+": 0.04},
        c_in={"K+": 140, "Na+": 10},
        c_out={"K+": 5, "Na+": 145},
        celsius=20,
    )


def test_from_toml_reproduces_seed_example(tmp_path):
    path = tmp_path / "my_cell.toml"
    path.write_text(NEURON_TOML)
    cell = nernst.Cell.from_toml(path)
    assert cell.title == "my neuron"
    assert cell.resting_potential() == pytest.approx(-67.3, abs=0.05)  # seed chapter GHK example


def test_round_trip_through_to_dict():
    cell = nernst.Cell.preset("squid-axon")
    again = nernst.Cell.from_dict(cell.to_dict())
    assert again.resting_potential() == cell.resting_potential()
    assert again.v_m == cell.v_m


def test_every_preset_loads_reports_and_cites_its_sources():
    listed = nernst.presets()
    assert len(listed) >= 7
    for key in (
        "mammalian-neuron",
        "squid-axon",
        "frog-muscle",
        "red-blood-cell",
        "e-coli",
        "plant-root-cell",
        "mitochondrion",
    ):
        assert key in listed
    for key, info in listed.items():
        assert info["sources"], key
        report = nernst.Cell.preset(key).report()
        assert report.ions
        assert set(info["sources"]) >= {"concentrations", "celsius"}, key


def test_preset_measured_potentials_are_published_ballpark():
    # Measured resting potentials: squid axon about -60 to -70 mV (Hodgkin & Katz 1949;
    # Moore & Cole 1960); frog muscle about -90 mV (Hodgkin & Horowicz 1959); human red cell
    # about -8 to -12 mV (Jay & Burton 1969); E. coli about -140 mV (Lo et al. 2007).
    expected = {
        "squid-axon": (-70, -55),
        "frog-muscle": (-100, -85),
        "red-blood-cell": (-14, -6),
        "e-coli": (-160, -120),
    }
    for key, (lo, hi) in expected.items():
        v = nernst.Cell.preset(key).v_m
        assert v is not None and lo <= v <= hi, key


def test_frog_muscle_ghk_near_measured():
    # Hodgkin & Horowicz (1959): with P_Na/P_K = 0.01 and P_Cl/P_K = 2 the GHK equation
    # accounts for the ~-90 mV resting potential of frog muscle.
    cell = nernst.Cell.preset("frog-muscle")
    assert cell.resting_potential() == pytest.approx(cell.v_m, abs=5)


def test_report_contents_and_verdicts():
    report = nernst.Cell.preset().report()
    rows = {r.ion: r for r in report.ions}
    assert report.v_rest_ghk == pytest.approx(-67.3, abs=0.05)
    assert report.v_m == report.v_rest_ghk
    assert rows["Na+"].flux == "in" and rows["Na+"].verdict == "active extrusion"
    assert rows["K+"].flux == "out" and rows["K+"].verdict == "active uptake"
    assert rows["Ca2+"].permeability == 0.0
    # V_rest is near, not at, E_K (seed chapter): 21.7 mV above it.
    assert rows["K+"].rest_minus_E == pytest.approx(21.7, abs=0.1)


def test_measured_v_m_drives_the_verdict():
    cell = nernst.Cell(
        c_in={"K+": 75}, c_out={"K+": 1}, permeability={"K+": 1}, celsius=25, v_m=-200
    )
    row = cell.report().ions[0]
    assert row.flux == "in" and row.verdict == "active extrusion"


def test_report_renderings():
    report = nernst.Cell.preset().report()
    data = json.loads(report.to_json())
    assert data["v_rest_ghk"] == pytest.approx(-67.3, abs=0.05)
    assert data["units"]["energy"] == "J/mol"
    assert [row["ion"] for row in data["ions"]] == ["K+", "Na+", "Cl-", "Ca2+"]
    html = report._repr_html_()
    assert "<table>" in html and "Na+" in html
    text = str(report)
    assert "-67.3" in text and "Ca2+" in text
    frame = report.to_dataframe()
    assert frame.loc["K+", "E"] == pytest.approx(-89.06, abs=0.01)
    from rich.console import Console

    console = Console(record=True, width=160)
    console.print(report)
    assert "active extrusion" in console.export_text()


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        (
            {"c_in": {"K+": 140}, "c_out": {}},
            r"K\+ has a concentration inside \(c_in\) but none outside \(c_out\)",
        ),
        ({"c_in": {"K+": 0}, "c_out": {"K+": 5}}, r"c_in\[K\+\]=0"),
        (
            {"c_in": {"K+": 1}, "c_out": {"K+": 5}, "permeability": {"Na+": 1}},
            r"Na\+ has a permeability but no concentrations",
        ),
        ({"c_in": {"K+": 1}, "c_out": {"K+": 5}, "permeability": {"K+": -1}}, "permeability"),
        ({"c_in": {"Kx": 1}, "c_out": {"K+": 5}}, "unknown ion"),
        ({"c_in": {"K+": 1}, "c_out": {"K+": 5}, "celsius": 300}, "Kelvin"),
    ],
)
def test_bad_cells(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        nernst.Cell(**kwargs)


def test_no_permeant_ion_and_no_measured_potential():
    cell = nernst.Cell(c_in={"K+": 1}, c_out={"K+": 5})
    with pytest.raises(ValueError, match="no ion has a positive permeability"):
        cell.resting_potential()
    with pytest.raises(ValueError, match="measured v_m"):
        cell.report()


def test_bad_files(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[inside\nK+ = 1")
    with pytest.raises(ValueError, match="not valid TOML"):
        nernst.Cell.from_toml(broken)
    half = tmp_path / "half.toml"
    half.write_text('[inside]\n"K+" = 1\n')
    with pytest.raises(ValueError, match=r"no \[outside\] table"):
        nernst.Cell.from_toml(half)
    with pytest.raises(ValueError, match="cannot read"):
        nernst.Cell.from_toml(tmp_path / "missing.toml")
    typo = tmp_path / "typo.toml"
    typo.write_text('[inside]\n"K+" = 1\n[outside]\n"K+" = 2\n[permeabilty]\n"K+" = 1\n')
    with pytest.raises(ValueError, match=r"unknown key.*permeabilty"):
        nernst.Cell.from_toml(typo)


def test_unknown_preset_lists_presets():
    with pytest.raises(ValueError, match="squid-axon"):
        nernst.Cell.preset("squid")


def test_cell_simulate_reaches_the_seed_ghk_potential():
    # Approach to equilibrium from 0 mV: the seed neuron settles at its GHK potential, -67.3 mV
    # (seed chapter), within milliseconds to a tenth of a second.
    run = nernst.Cell.preset().simulate(until=0.5)
    assert run.V_final == pytest.approx(-67.3, abs=0.05)
    assert run.t_target is not None and run.t_target < 0.5


def test_cell_steady_state_is_the_pump_leak_root():
    ss = nernst.Cell.preset().steady_state()
    # Pump-leak steady state: net current zero, so every ion's flux balances the pump.
    assert ss.method == "root"
    assert ss.detail["max_residual"] < 1e-9


# -- the renamed API (issue 10) ----------------------------------------------------------------
K_IN, K_OUT = {"K+": 140.0}, {"K+": 5.0}
# E_K = (RT/F) ln(5/140) at 37 degC, RT/F = 26.7267 mV (CODATA 2018): -89.06 mV.
E_K_37 = 1.380649e-23 * 6.02214076e23 * 310.15 / (1.602176634e-19 * 6.02214076e23) * 1e3


def test_old_positional_form_warns_and_works():
    import math

    with pytest.warns(NernstDeprecationWarning, match=r"Cell\(c_in=\.\.\., c_out="):
        cell = nernst.Cell(K_IN, K_OUT, {"K+": 1}, 37.0)
    assert cell.c_in == K_IN
    assert cell.resting_potential() == pytest.approx(E_K_37 * math.log(5 / 140), abs=1e-9)


def test_inside_outside_keywords_and_attributes_warn():
    with pytest.warns(NernstDeprecationWarning) as caught:
        cell = nernst.Cell(inside=K_IN, outside=K_OUT, permeability={"K+": 1})
    assert {str(w.message).split(" is ")[0] for w in caught} == {
        "Cell(inside=...)",
        "Cell(outside=...)",
    }
    with pytest.warns(NernstDeprecationWarning, match=r"use Cell\.c_in"):
        assert cell.inside == K_IN
    with pytest.warns(NernstDeprecationWarning, match=r"use Cell\.c_out"):
        assert cell.outside == K_OUT


def test_new_spelling_is_silent_and_old_mixed_with_new_is_an_error():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cell = nernst.Cell(c_in=K_IN, c_out=K_OUT, permeability={"K+": 1})
        cell.report()
        cell.with_activity("davies")
        nernst.Cell.preset("squid-axon").report()
    with pytest.raises(TypeError, match="pass only c_in="):
        nernst.Cell(c_in=K_IN, inside=K_IN, c_out=K_OUT)
    with pytest.raises(TypeError, match="needs c_in= and c_out="):
        nernst.Cell(c_in=K_IN)
    with pytest.raises(TypeError, match="unexpected keyword"):
        nernst.Cell(c_in=K_IN, c_out=K_OUT, inisde=K_IN)
    with pytest.raises(TypeError, match="at most 4 positional"):
        nernst.Cell(K_IN, K_OUT, {}, 37.0, None)


def test_report_explain_steps():
    import math

    rep = nernst.Cell(c_in=K_IN, c_out=K_OUT, permeability={"K+": 1}).report()
    ex = rep.explain()
    step = next(s for s in ex.steps if s.title == "E(K+)")
    assert step.result == pytest.approx(E_K_37 * math.log(5 / 140), abs=1e-9)
    assert step.unit == "mV"
    assert ex[-1] == f"V_m = {E_K_37 * math.log(5 / 140):+.1f} mV (GHK resting potential)"


@pytest.mark.parametrize(
    ("build", "pattern"),
    [
        (lambda: nernst.Cell(c_in={"K+": -1}, c_out={"K+": 5}), r"^c_in\[K\+\]=-1"),
        (lambda: nernst.Cell(inside={"K+": -1}, outside={"K+": 5}), r"^inside\[K\+\]=-1"),
        (
            lambda: nernst.Cell.from_dict({"inside": {"K+": 1}, "outside": {"K+": -5}}),
            r"^outside\[K\+\]=-5",
        ),
    ],
)
def test_errors_name_the_concentrations_as_the_caller_did(build, pattern):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NernstDeprecationWarning)
        with pytest.raises(ValueError, match=pattern):
            build()
