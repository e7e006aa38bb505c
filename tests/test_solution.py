"""Solution: recipes to free ions, titration, free Ca2+ inverse, osmolarity, reports, TOML."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nernst
from nernst.solution import Solution
from nernst.speciation import apparent_dissociation_constant

INTERNAL = {
    "K-gluconate": 135,
    "KCl": 10,
    "HEPES": 10,
    "EGTA": 0.5,
    "Mg-ATP": 4,
    "Na2-phosphocreatine": 10,
}


def test_issue_recipe_is_titrated_and_neutral():
    s = Solution.from_recipe(INTERNAL, ph=7.3, titrant="KOH", celsius=32)
    assert s.ph == 7.3
    assert abs(s.charge_balance) < 1e-9
    # the KOH added goes in as K+: K+ = 135 + 10 + titrant
    assert s.speciation.species["K+"] == pytest.approx(145 + s.titrant_added, rel=1e-12)
    # ATP binds most of the Mg2+ (K_MgATP ~ 1e4 /M): free Mg2+ well below 1 mM
    assert 0.1 < s.free_mg < 1.0
    # Na2-phosphocreatine adds 20 mM Na+
    assert s.speciation.species["Na+"] == pytest.approx(20.0)


def test_tsien_pozzan_calcium_calibration_ratios():
    # Molecular Probes Calcium Calibration Buffer Kit (Tsien & Pozzan 1989): mixing 10 mM
    # K2EGTA and 10 mM CaEGTA in ratio r : (10 - r) gives [Ca2+] = Kd r / (10 - r) with
    # Kd = 150.5 nM at pH 7.20, 20 degC; r = 1, 5, 9 -> 17, 150, 1350 nM. The kit medium
    # (100 mM KCl, 30 mM MOPS) has I = 0.15 M, not the table's 0.1 M: the ratio law is
    # checked exactly at the solution's own Kd, and the free Ca2+ against the table within
    # 20 % (the Davies correction from I = 0.1 to 0.15 M alone raises Kd by 11-13 %; the
    # table itself is matched within 3 % at I = 0.1 in test_speciation.py).
    for r in (1.0, 5.0, 9.0):
        s = Solution.from_recipe(
            {"KCl": 100, "MOPS": 30, "K2-EGTA": 10, "CaCl2": r}, ph=7.2, titrant="KOH", celsius=20
        )
        kd = apparent_dissociation_constant(
            "EGTA", ph=7.2, celsius=20, ionic_strength=s.ionic_strength
        )
        bound = s.speciation.bound["EGTA"]
        ca_egta = bound["CaEGTA 2-"] + bound["CaHEGTA-"]
        assert s.free_ca == pytest.approx(kd * ca_egta / (10 - ca_egta), rel=1e-6)
        assert s.free_ca * 1e6 == pytest.approx(150.5 * r / (10 - r), rel=0.20)


def test_half_saturated_egta_free_calcium_against_harafuji_ogawa():
    # Harafuji & Ogawa (1980) J. Biochem. 87:1305-1312: Kapp(Ca-EGTA) = 1.0e6 /M at pH 6.80,
    # 20 degC, I = 0.114 M (100 mM KCl, 20 mM MOPS-KOH). With half of the EGTA carrying Ca2+,
    # free Ca2+ = 1 / Kapp = 1.0 uM. The recipe below is their medium with 2 mM EGTA and
    # 1 mM CaCl2 (its own ionic strength, 0.1143 M, is theirs); nernst gives 1.002 uM;
    # tolerance 5 %, their two significant figures.
    s = Solution.from_recipe(
        {"KCl": 100, "MOPS": 20, "EGTA": 2, "CaCl2": 1}, ph=6.80, titrant="KOH", celsius=20
    )
    assert s.ionic_strength == pytest.approx(0.114, abs=0.01)
    assert s.free_ca * 1e3 == pytest.approx(1.0, rel=0.05)


def test_target_free_calcium_inverse():
    s = Solution.for_free_metal(
        {"KCl": 140, "HEPES": 10, "EGTA": 10}, 1e-4, ph=7.2, titrant="KOH", celsius=22
    )
    assert s.free_ca == pytest.approx(1e-4, rel=1e-8)
    # closed form: Ca_T = free + L_T free / (Kd + free) at the solution's ionic strength
    kd = apparent_dissociation_constant("EGTA", ph=7.2, celsius=22, ionic_strength=s.ionic_strength)
    ca_t = 1e-4 + 10 * 1e-4 / (kd + 1e-4)
    assert s.recipe["CaCl2"] == pytest.approx(ca_t, rel=1e-6)


def test_target_free_magnesium_with_atp():
    s = Solution.for_free_metal(
        {"KCl": 140, "HEPES": 10, "Na2-ATP": 5},
        0.5,
        metal="Mg2+",
        ph=7.2,
        titrant="KOH",
        celsius=25,
    )
    assert s.free_mg == pytest.approx(0.5, rel=1e-8)
    assert 4.0 < s.recipe["MgCl2"] < 5.5


def test_inverse_errors():
    with pytest.raises(ValueError, match="target=-1"):
        Solution.for_free_metal({"KCl": 140, "EGTA": 1}, -1, ph=7.2, titrant="KOH")
    with pytest.raises(ValueError, match="metal='Cu2\\+'"):
        Solution.for_free_metal({"KCl": 140, "EGTA": 1}, 1e-4, metal="Cu2+", ph=7.2, titrant="KOH")
    with pytest.raises(ValueError, match="already has more free Ca2\\+"):
        Solution.for_free_metal({"KCl": 140, "CaSO4": 2, "EGTA": 1}, 1e-4, ph=7.2, titrant="KOH")


def test_saline_osmolality_robinson_stokes():
    # 0.9 % saline, 154 mM NaCl: osmotic coefficient 0.928 (Robinson & Stokes, Appendix 8.10,
    # between 0.9324 at 0.1 m and 0.9245 at 0.2 m) -> 2 x 154 x 0.928 = 286 mOsm/kg.
    s = Solution.from_recipe({"NaCl": 154})
    assert s.osmolarity == pytest.approx(308.0, rel=1e-6)
    assert s.osmolality == pytest.approx(286.0, abs=1.0)


def test_kcl_osmolality_and_neutral_solutes():
    # KCl 0.5 m: phi 0.900 (Robinson & Stokes) -> 900 mOsm/kg; glucose counts once.
    s = Solution.from_recipe({"KCl": 500, "glucose": 10})
    assert s.osmolality == pytest.approx(0.900 * 1000 + 10, abs=2.0)


def test_unbuffered_salt_is_neutral_water():
    s = Solution.from_recipe({"NaCl": 150})
    assert 6.9 < s.ph < 7.1


def test_tris_titrated_with_hcl():
    s = Solution.from_recipe({"NaCl": 140, "Tris": 10}, ph=7.4, titrant="HCl", celsius=25)
    assert s.speciation.species["Cl-"] > 140
    assert abs(s.charge_balance) < 1e-9


def test_bicarbonate_saline_at_5_percent_co2():
    # Henderson-Hasselbalch for plasma-like saline: 25 mM HCO3- with 5 % CO2 at 37 C gives
    # pH 7.4-7.5 (pK' 6.1, 0.03 mM/mmHg, Guyton & Hall, Textbook of Medical Physiology ch. 31).
    s = Solution.from_recipe(
        {"NaCl": 126, "KCl": 3, "NaHCO3": 25, "NaH2PO4": 1.25}, pco2=0.05, celsius=37
    )
    assert 7.3 < s.ph < 7.55


def test_temperature_shift_keeps_totals():
    s = Solution.from_recipe({"KCl": 140, "HEPES": 10}, ph=7.3, titrant="KOH", celsius=22)
    warm = s.at(celsius=32)
    assert warm.ph < s.ph  # HEPES pKa falls with temperature (dpKa/dT < 0)
    assert warm.speciation.species["K+"] == pytest.approx(s.speciation.species["K+"])
    assert abs(warm.charge_balance) < 1e-9


def test_warnings():
    hypo = Solution.from_recipe({"KCl": 100, "HEPES": 10}, ph=7.3, titrant="KOH")
    assert any("osmolality" in w for w in hypo.warnings())
    far = Solution.from_recipe({"KCl": 140, "MES": 10}, ph=8.0, titrant="KOH")
    assert any("more than 1 unit from the pKa of MES" in w for w in far.warnings())
    unbalanced = Solution.from_ions({"K+": 140, "Cl-": 100})
    assert any("charge imbalance" in w for w in unbalanced.warnings())


def test_reports():
    s = Solution.from_recipe(INTERNAL, ph=7.3, titrant="KOH", celsius=32, name="K-gluc")
    d = json.loads(s.to_json())
    assert d["ph"] == 7.3 and d["units"]["osmolality"] == "mOsm/kg"
    assert d["species_mM"]["K+"] == pytest.approx(s.speciation.species["K+"])
    assert "<table>" in s._repr_html_()
    text = "\n".join(s.explain())
    assert "pH held at 7.3" in text and "MgATP 2-" in text
    pd = pytest.importorskip("pandas")
    df = s.to_dataframe()
    assert isinstance(df, pd.DataFrame) and df.loc["K+", "charge"] == 1


def test_toml_round_trip(tmp_path):
    s = Solution.from_recipe(INTERNAL, ph=7.3, titrant="KOH", celsius=32, name="K-gluc")
    path = tmp_path / "internal.toml"
    path.write_text(s.to_toml())
    back = Solution.from_toml(path)
    assert back.recipe == s.recipe and back.name == "K-gluc"
    assert back.speciation.species == pytest.approx(s.speciation.species)
    ions_only = Solution.from_ions({"Na+": 150, "Cl-": 150}, name="saline")
    assert Solution.from_toml(ions_only.to_toml()).speciation.species == {
        "Na+": 150.0,
        "Cl-": 150.0,
    }


def test_bad_input():
    with pytest.raises(ValueError, match="recipe must be a non-empty mapping"):
        Solution.from_recipe({})
    with pytest.raises(ValueError, match="'unobtainium'"):
        Solution.from_recipe({"unobtainium": 1})
    with pytest.raises(ValueError, match=r"recipe\['KCl'\]=-5"):
        Solution.from_recipe({"KCl": -5})
    with pytest.raises(ValueError, match="titrant must be named"):
        Solution.from_recipe({"KCl": 140, "HEPES": 10}, ph=7.3)
    with pytest.raises(ValueError, match="titrant='glucose'"):
        Solution.from_recipe({"KCl": 140, "HEPES": 10}, ph=7.3, titrant="glucose")
    with pytest.raises(ValueError, match="unknown keys in \\[solution\\]: colour"):
        Solution.from_toml('[solution]\ncolour = "blue"\n')
    with pytest.raises(ValueError, match="not a valid solution TOML"):
        Solution.from_toml("[solution\n")


@settings(max_examples=10, deadline=None)
@given(kcl=st.floats(50, 200), hepes=st.floats(1, 20), ph=st.floats(6.9, 7.9))
def test_recipes_are_electroneutral_and_osmolality_below_ideal(kcl, hepes, ph):
    s = Solution.from_recipe({"KCl": kcl, "HEPES": hepes}, ph=ph, titrant="KOH")
    assert abs(s.charge_balance) < 1e-9 * kcl
    assert s.osmolality < s.osmolarity
    assert math.isfinite(s.osmolality)


def test_public_names():
    assert nernst.Solution is Solution


def test_cli_solution_matches_the_api():
    from typer.testing import CliRunner

    from nernst.cli import app

    runner = CliRunner()
    recipe = "KCl=140,HEPES=10,EGTA=10"
    result = runner.invoke(
        app,
        [
            "solution",
            recipe,
            "--ph",
            "7.2",
            "--titrant",
            "KOH",
            "-t",
            "22",
            "--target-free-ca",
            "100nM",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.stdout
    data = json.loads(result.stdout)
    api = Solution.for_free_metal(
        {"KCl": 140, "HEPES": 10, "EGTA": 10}, 1e-4, ph=7.2, titrant="KOH", celsius=22
    )
    # 100nM is 1e-4 mM to the last bit (divided by 10^6, not multiplied by 1e-6), so the CLI
    # finds the API's CaCl2 exactly; JSON floats round-trip
    assert data["target"]["Ca2+"]["total_mM"] == api.recipe["CaCl2"]
    for spelling in ("0.1uM", "1e-4", "0.0001mM"):
        again = runner.invoke(
            app,
            [
                "solution",
                recipe,
                *"--ph 7.2 --titrant KOH -t 22 --json --target-free-ca".split(),
                spelling,
            ],
        )
        assert json.loads(again.stdout)["target"]["Ca2+"]["total_mM"] == api.recipe["CaCl2"]
    assert data["free_ca_mM"] == pytest.approx(1e-4, rel=1e-8)
    text = runner.invoke(app, ["solution", recipe + ",ph=7.2,titrant=KOH", "--at", "32"])
    assert text.exit_code == 0 and "At 32 degC" in text.stdout
    toml = runner.invoke(app, ["solution", recipe, "--toml"])
    assert Solution.from_toml(toml.stdout).recipe == {"KCl": 140.0, "HEPES": 10.0, "EGTA": 10.0}
    bad = runner.invoke(app, ["solution", "KCl=140", "--target-free-ca", "100 parsecs"])
    assert bad.exit_code == 2 and "error:" in bad.stderr and "Traceback" not in bad.stderr


def test_salt_only_ligands_need_their_form():
    with pytest.raises(ValueError, match=r"recipe\['ATP'\]: give the form .*Na2-ATP"):
        Solution.from_recipe({"KCl": 140, "ATP": 2})


def test_saturated_calcium_egta_standard():
    # Molecular Probes Calcium Calibration Buffer Kit (Tsien & Pozzan 1989): the 10 mM CaEGTA
    # standard (100 mM KCl, 30 mM MOPS, pH 7.20, 20 C) has 39 uM free Ca2+, set by the
    # CaEGTA that dissociates. With the kit medium's own ionic strength (0.17 M, not the 0.1 M
    # of the constants) the model gives 41 uM: within 10 %.
    s = Solution.from_recipe(
        {"KCl": 100, "MOPS": 30, "K2-EGTA": 10, "CaCl2": 10}, ph=7.2, titrant="KOH", celsius=20
    )
    assert s.free_ca * 1e3 == pytest.approx(39.0, rel=0.10)


def test_rich_rendering():
    from rich.console import Console

    console = Console(width=100, record=True)
    console.print(
        Solution.from_recipe({"KCl": 140, "HEPES": 10}, ph=7.3, titrant="KOH", name="KCl")
    )
    text = console.export_text()
    assert "KCl, 25 degC (mM)" in text and "HEPES-" in text and "osmolality" in text


def test_target_free_zinc_inverse():
    # The inverse problem for an optional metal: free Zn2+ 1 nM (1e-6 mM) in a 1 mM EGTA
    # buffer; closed form Zn_T = free + L_T free / (Kd + free) at the solution's own I.
    s = Solution.for_free_metal(
        {"KCl": 140, "HEPES": 10, "K2-EGTA": 1},
        1e-6,
        metal="Zn2+",
        ph=7.2,
        titrant="KOH",
        celsius=25,
    )
    assert s.speciation.species["Zn2+"] == pytest.approx(1e-6, rel=1e-8)
    kd = apparent_dissociation_constant(
        "EGTA", "Zn2+", ph=7.2, celsius=25, ionic_strength=s.ionic_strength
    )
    assert s.recipe["ZnCl2"] == pytest.approx(1e-6 + 1 * 1e-6 / (kd + 1e-6), rel=1e-6)


def test_unverified_constants_are_reported():
    # phosphocreatine's constants have no readable source (stability.toml: verified = false);
    # HEPES's were checked against Vega & Bates (1976).
    with_pcr = Solution.from_recipe(
        {"KCl": 140, "HEPES": 10, "Na2-phosphocreatine": 10}, ph=7.3, titrant="KOH"
    )
    assert any("not verified" in w and "phosphocreatine" in w for w in with_pcr.warnings())
    plain = Solution.from_recipe({"KCl": 140, "HEPES": 10}, ph=7.3, titrant="KOH")
    assert not any("not verified" in w for w in plain.warnings())
