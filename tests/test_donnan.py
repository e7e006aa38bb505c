"""donnan_equilibrium: closed forms, Donnan's table, the laws (Hypothesis), bad input, CLI.

Expected numbers come from published sources (cited) or from closed-form arithmetic written in
the test, with CODATA 2018 exact constants: R = k_B N_A, F = e N_A.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import nernst
from nernst._deprecate import NernstDeprecationWarning
from nernst.cli import app
from nernst.donnan import DonnanResult, ElectroneutralityWarning, donnan_equilibrium

R = 1.380649e-23 * 6.02214076e23
F = 1.602176634e-19 * 6.02214076e23


def vt(celsius: float) -> float:
    """RT/F in mV."""
    return R * (celsius + 273.15) / F * 1e3


def quiet(*args, **kwargs) -> DonnanResult:
    """donnan_equilibrium, failing on any warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return donnan_equilibrium(*args, **kwargs)


# -- the analytic two-ion case ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("k_out", "cl_out", "a"),
    [(100.0, 100.0, 50.0), (150.0, 150.0, 100.0), (5.0, 5.0, 140.0), (1e-3, 1e-3, 1e3)],
)
def test_kcl_with_impermeant_anion_closed_form(k_out, cl_out, a):
    # [K]_in [Cl]_in = [K]_out [Cl]_out and [K]_in = [Cl]_in + [A] give
    # [Cl]_in = (-A + sqrt(A^2 + 4 K_o Cl_o)) / 2 (Keener & Sneyd 2009, Mathematical
    # Physiology I, ch. 2, Gibbs-Donnan equilibrium).
    cl_in = (-a + math.sqrt(a * a + 4 * k_out * cl_out)) / 2
    k_in = cl_in + a
    res = quiet(c_out={"K+": k_out, "Cl-": cl_out}, fixed_charge=a, fixed_valence=-1)
    assert res.c_in["Cl-"] == pytest.approx(cl_in, rel=1e-12)
    assert res.c_in["K+"] == pytest.approx(k_in, rel=1e-12)
    assert res.ratio == pytest.approx(k_in / k_out, rel=1e-12)
    # V_D = -(RT/F) ln r at 37 C
    assert res.potential == pytest.approx(-vt(37.0) * math.log(k_in / k_out), rel=1e-12)
    # osmotic imbalance = (K_in + Cl_in + A) - (K_out + Cl_out)
    assert res.osmotic_imbalance == pytest.approx(k_in + cl_in + a - k_out - cl_out, rel=1e-10)


def test_positive_fixed_charge_mirrors_negative():
    # Impermeant cation X+ (z_X = +1): [Cl]_in = [K]_in + [X], [K]_in [Cl]_in = K_o Cl_o, so
    # [K]_in = (-X + sqrt(X^2 + 4 K_o Cl_o)) / 2 and V_D > 0.
    k_in = (-30 + math.sqrt(30**2 + 4 * 120 * 120)) / 2
    res = quiet(c_out={"K+": 120, "Cl-": 120}, fixed_charge=30, fixed_valence=+1)
    assert res.c_in["K+"] == pytest.approx(k_in, rel=1e-12)
    assert res.c_in["Cl-"] == pytest.approx(k_in + 30, rel=1e-12)
    assert res.potential > 0


def test_mean_valence_fractional():
    # z_X = -2.5: the charge concentration is 2.5 [X]; 20 mM of X acts like 50 mM of A-.
    a = 2.5 * 20
    cl_in = (-a + math.sqrt(a * a + 4 * 100 * 100)) / 2
    res = quiet(c_out={"K+": 100, "Cl-": 100}, fixed_charge=20, fixed_valence=-2.5)
    assert res.c_in["Cl-"] == pytest.approx(cl_in, rel=1e-12)
    # ...but osmotically X counts once per molecule: in = K_in + Cl_in + 20.
    assert res.osmolarity_in == pytest.approx(2 * cl_in + a + 20, rel=1e-12)


# -- Donnan's classic table ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("c1", "c2", "printed_percent", "tol"),
    [
        (0.01, 1.0, 49.7, 0.1),
        (0.1, 1.0, 47.6, 0.05),
        (1.0, 1.0, 33.0, 0.5),
        (1.0, 0.1, 8.3, 0.05),
        (1.0, 0.01, 1.0, 0.05),
    ],
)
def test_donnan_1911_table_percent_salt_diffused(c1, c2, printed_percent, tol):
    # Donnan F.G. (1911) Z. Elektrochem. 17:572: equal volumes, NaR (c1) on one side, NaCl
    # (c2) on the other; the per cent of the NaCl that crosses into the NaR side is
    # 49.7, 47.6, 33, 8.3 and 1 for c1/c2 = 0.01, 0.1, 1, 10, 100. The same system is worked
    # in Shaw D.J. (1992) Introduction to Colloid and Surface Chemistry, 4th ed., ch. 2,
    # pp. 42-43: x = b^2 / (a + 2b) crosses, leaving b - x of Na+ and Cl- on the salt side.
    a, b = c1 * 1e3, c2 * 1e3  # M -> mM
    x = b * b / (a + 2 * b)
    res = quiet(c_out={"Na+": b - x, "Cl-": b - x}, fixed_charge=a, fixed_valence=-1)
    assert res.c_in["Cl-"] == pytest.approx(x, rel=1e-12)
    assert res.c_in["Na+"] == pytest.approx(a + x, rel=1e-12)
    assert 100 * res.c_in["Cl-"] / b == pytest.approx(printed_percent, abs=tol)


# -- divalent ions -------------------------------------------------------------------------
def test_divalent_cation_cubic():
    # CaCl2 bath (Ca 2, Cl 4 mM), 10 mM A- inside. With Ca_in = Ca_o r^2, Cl_in = Cl_o / r,
    # neutrality 2 Ca_in - Cl_in - A = 0 gives 2 Ca_o r^3 - A r - Cl_o = 0.
    roots = np.roots([2 * 2.0, 0.0, -10.0, -4.0])
    r = max(float(z.real) for z in roots if abs(z.imag) < 1e-12 and z.real > 0)
    res = quiet(c_out={"Ca2+": 2.0, "Cl-": 4.0}, fixed_charge=10.0, fixed_valence=-1)
    assert res.ratio == pytest.approx(r, rel=1e-12)
    assert res.c_in["Ca2+"] == pytest.approx(2.0 * r * r, rel=1e-12)
    assert res.c_in["Cl-"] == pytest.approx(4.0 / r, rel=1e-12)
    # Each ion at its Nernst potential, the divalent one included.
    for ion in ("Ca2+", "Cl-"):
        E = nernst.equilibrium_potential(ion, c_in=res.c_in[ion], c_out=res.c_out[ion])
        assert E == pytest.approx(res.potential, abs=1e-9)


def test_divalent_anion_and_divalent_fixed_charge():
    # Na2SO4 bath (Na 20, SO4 10 mM), X of valence -2 at 5 mM. Na_in = Na_o r,
    # SO4_in = SO4_o / r^2: Na_o r - 2 SO4_o / r^2 - 2 X = 0, i.e. Na_o r^3 - 2X r^2 - 2 SO4_o.
    roots = np.roots([20.0, -10.0, 0.0, -20.0])
    r = max(float(z.real) for z in roots if abs(z.imag) < 1e-12 and z.real > 0)
    res = quiet(c_out={"Na+": 20.0, "SO4 2-": 10.0}, fixed_charge=5.0, fixed_valence=-2)
    assert res.ratio == pytest.approx(r, rel=1e-12)
    assert res.c_in["SO4 2-"] == pytest.approx(10.0 / r**2, rel=1e-12)


# -- the laws (Hypothesis) -------------------------------------------------------------------
CATIONS = ["K+", "Na+", "Ca2+", "Mg2+", "La3+"]
ANIONS = ["Cl-", "HCO3-", "SO4 2-", "PO4 3-"]
conc = st.floats(min_value=1e-3, max_value=1e3)


@given(
    cations=st.lists(st.sampled_from(CATIONS), min_size=1, max_size=3, unique=True),
    anions=st.lists(st.sampled_from(ANIONS), min_size=1, max_size=3, unique=True),
    data=st.data(),
    fixed=st.floats(min_value=0.0, max_value=1e3),
    z_x=st.sampled_from([-3.0, -2.0, -1.0, -0.7, 0.5, 1.0, 2.0]),
    celsius=st.floats(min_value=0.0, max_value=45.0),
)
def test_laws_electroneutral_and_every_ion_at_its_nernst_potential(
    cations, anions, data, fixed, z_x, celsius
):
    outside = {ion: data.draw(conc, label=ion) for ion in cations + anions}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ElectroneutralityWarning)  # random baths are not
        res = donnan_equilibrium(
            c_out=outside, fixed_charge=fixed, fixed_valence=z_x, celsius=celsius
        )
    # Inside electroneutrality: sum z c_in + z_X [X] = 0, to rounding of the largest term.
    terms = [nernst.ions[i].charge * res.c_in[i] for i in res.permeant] + [z_x * fixed]
    assert abs(sum(terms)) <= 1e-10 * max(abs(t) for t in terms) + 1e-300
    # Every permeant ion at the Donnan potential (its own Nernst potential).
    for ion in res.permeant:
        E = nernst.equilibrium_potential(
            ion, c_in=res.c_in[ion], c_out=outside[ion], celsius=celsius
        )
        assert E == pytest.approx(res.potential, abs=1e-8)


@given(
    k=conc,
    extra=st.floats(min_value=1e-2, max_value=1e3),
    amount=st.floats(min_value=1e-2, max_value=1e3),
)
def test_volume_constraint_is_isosmotic_and_neutral(k, extra, amount):
    res = quiet(
        c_out={"K+": k, "Cl-": k},
        fixed_charge=amount,
        volume_constraint=True,
        osmolytes_out=extra,
    )
    assert res.osmolarity_in == pytest.approx(2 * k + extra, rel=1e-10)
    assert res.fixed_concentration * res.volume == pytest.approx(amount, rel=1e-10)
    assert res.c_in["K+"] - res.c_in["Cl-"] == pytest.approx(
        res.fixed_concentration, rel=1e-8, abs=1e-12 * k
    )


# -- volume constraint ----------------------------------------------------------------------
def test_volume_constraint_closed_form_with_bath_osmolyte():
    # KCl bath c = 100 mM plus S = 20 mOsm sucrose; X- inside (z = -1). Inside osmolarity
    # K_in + Cl_in + X = 2 K_in (neutrality K_in = Cl_in + X) must equal 2c + S, so
    # r = (2c + S)/(2c) = 1.1, Cl_in = c/r, X = c (r - 1/r), W = X0 / X.
    c, S, X0 = 100.0, 20.0, 50.0
    r = (2 * c + S) / (2 * c)
    X = c * (r - 1 / r)
    res = quiet(c_out={"K+": c, "Cl-": c}, fixed_charge=X0, volume_constraint=True,
                osmolytes_out=S)  # fmt: skip
    assert res.ratio == pytest.approx(r, rel=1e-12)
    assert res.fixed_concentration == pytest.approx(X, rel=1e-10)
    assert res.volume == pytest.approx(X0 / X, rel=1e-10)
    assert res.osmotic_imbalance == pytest.approx(0.0, abs=1e-9)


def test_volume_constraint_pump_leak_style_impermeant_sodium():
    # Keener & Sneyd (2009) ch. 2, pump-leak model: with the pump, Na+ is effectively
    # impermeant. Bath K 5, Na 145, Cl 150 (300 mOsm); K+ and Cl- permeant. Isosmotic:
    # 2 K_in = 300, so K_in = 150, r = 30, Cl_in = 150/30 = 5, X = K_in - Cl_in = 145, W = X0 / 145.
    res = quiet(c_out={"K+": 5, "Na+": 145, "Cl-": 150}, permeant=["K+", "Cl-"],
                fixed_charge=50, volume_constraint=True)  # fmt: skip
    assert res.c_in == pytest.approx({"K+": 150.0, "Cl-": 5.0}, rel=1e-12)
    assert res.volume == pytest.approx(50 / 145, rel=1e-10)
    assert res.potential == pytest.approx(-vt(37) * math.log(30), rel=1e-12)
    assert "Na+" not in res.c_in


def test_volume_constraint_positive_fixed_charge():
    # z_X = +1 mirror of the closed form: r = 2c/(2c + S) < 1.
    c, S = 100.0, 20.0
    res = quiet(c_out={"K+": c, "Cl-": c}, fixed_charge=10, fixed_valence=1, volume_constraint=True,
                osmolytes_out=S)  # fmt: skip
    assert res.ratio == pytest.approx(2 * c / (2 * c + S), rel=1e-12)


def test_volume_constraint_only_cations_permeant():
    # K+ permeant, Cl- impermeant outside (K 100, Cl 100 -> 200 mOsm); inside K_in = X
    # (z_X = -1) and osmolarity 2 K_in = 200: K_in = 100 = X, r = 1.
    res = quiet(c_out={"K+": 100, "Cl-": 100}, permeant=["K+"], fixed_charge=30,
                volume_constraint=True)  # fmt: skip
    assert res.c_in["K+"] == pytest.approx(100.0, rel=1e-12)
    assert res.volume == pytest.approx(0.3, rel=1e-12)


def test_volume_constraint_without_impermeant_bath_solute_is_an_error():
    # All bath solutes permeant: the Donnan excess never vanishes, the cell swells forever.
    with pytest.raises(ValueError, match="no finite equilibrium volume"):
        donnan_equilibrium(c_out={"K+": 100, "Cl-": 100}, fixed_charge=50, volume_constraint=True)


def test_volume_constraint_needs_impermeant_amount():
    with pytest.raises(ValueError, match="fixed_charge=0"):
        donnan_equilibrium(c_out={"K+": 100, "Cl-": 100}, fixed_charge=0, volume_constraint=True,
                           osmolytes_out=10)  # fmt: skip


# -- shapes, temperature, edge cases ----------------------------------------------------------
def test_vectorised_over_fixed_charge_matches_scalar_calls():
    fixed = np.array([[0.0, 10.0, 50.0], [100.0, 200.0, 1e3]])
    bath = {"K+": 5.0, "Na+": 145.0, "Cl-": 150.0}
    res = quiet(c_out=bath, fixed_charge=fixed)
    assert res.potential.shape == (2, 3)
    assert res.c_in["Na+"].shape == (2, 3)
    for idx in np.ndindex(fixed.shape):
        one = quiet(c_out=bath, fixed_charge=float(fixed[idx]))
        assert res.potential[idx] == pytest.approx(one.potential, rel=1e-13, abs=1e-13)
        assert res.c_in["Cl-"][idx] == pytest.approx(one.c_in["Cl-"], rel=1e-13)


def test_vectorised_bath_and_volume():
    res = quiet(c_out={"K+": [50.0, 100.0], "Cl-": [50.0, 100.0]}, fixed_charge=10,
                volume_constraint=True, osmolytes_out=20)  # fmt: skip
    r = np.array([(100 + 20) / 100, (200 + 20) / 200])
    np.testing.assert_allclose(res.ratio, r, rtol=1e-12)


def test_scalar_in_float_out():
    res = quiet(c_out={"K+": 100, "Cl-": 100}, fixed_charge=50)
    for value in (res.potential, res.ratio, res.c_in["K+"], res.osmotic_imbalance):
        assert type(value) is float
    assert res.volume is None


def test_temperature_scales_potential_only():
    cold = quiet(c_out={"K+": 100, "Cl-": 100}, fixed_charge=50, celsius=0.0)
    warm = quiet(c_out={"K+": 100, "Cl-": 100}, fixed_charge=50, celsius=37.0)
    assert cold.ratio == pytest.approx(warm.ratio, rel=1e-14)
    assert warm.potential / cold.potential == pytest.approx(310.15 / 273.15, rel=1e-13)


def test_no_fixed_charge_neutral_bath_gives_zero():
    res = quiet(c_out={"K+": 5, "Na+": 145, "Cl-": 150}, fixed_charge=0.0)
    assert res.potential == pytest.approx(0.0, abs=1e-12)
    assert res.c_in["Cl-"] == pytest.approx(150.0, rel=1e-14)


def test_impermeant_bath_ion_counts_osmotically_only():
    # Na+ impermeant: not inside; bath osmolarity 5 + 145 + 150 = 300.
    res = quiet(c_out={"K+": 5, "Na+": 145, "Cl-": 150}, permeant=["K+", "Cl-"], fixed_charge=10)
    assert set(res.c_in) == {"K+", "Cl-"}
    assert res.osmolarity_out == pytest.approx(300.0)


def test_aliases_resolve():
    res = quiet(c_out={"potassium": 100, "Cl": 100}, fixed_charge=50, permeant=["K", "chloride"])
    assert res.permeant == ("K+", "Cl-")


def test_extreme_concentrations_finite():
    res = quiet(c_out={"K+": 1e-6, "Cl-": 1e-6}, fixed_charge=1e4)
    # [Cl]_in = (-A + sqrt(A^2 + 4 K Cl))/2 ~ K Cl / A = 1e-16, computed without
    # cancellation as 2 K Cl / (A + sqrt(A^2 + 4 K Cl)).
    cl_in = 2e-12 / (1e4 + math.sqrt(1e8 + 4e-12))
    assert res.c_in["Cl-"] == pytest.approx(cl_in, rel=1e-9)
    assert math.isfinite(res.potential)


# -- bad input -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"fixed_charge": -1.0}, "fixed_charge=-1"),
        ({"fixed_charge": float("nan")}, "fixed_charge=nan"),
        ({"fixed_charge": 10, "fixed_valence": 0.0}, "fixed_valence=0"),
        ({"fixed_charge": 10, "fixed_valence": float("inf")}, "fixed_valence=inf"),
        ({"fixed_charge": 10, "permeant": ["Na+"]}, "'Na\\+' has no concentration"),
        ({"fixed_charge": 10, "permeant": ["Kx"]}, "unknown ion 'Kx'"),
        ({"fixed_charge": 10, "permeant": []}, "permeant is empty"),
        ({"fixed_charge": 10, "celsius": 310.0}, "36.85"),
        ({"fixed_charge": [1, 2, 3], "osmolytes_out": [1, 2]}, "broadcast"),
    ],
)
def test_bad_input_names_the_argument(kwargs, match):
    with pytest.raises(ValueError, match=match):
        donnan_equilibrium(c_out={"K+": 100, "Cl-": 100}, **kwargs)


def test_permeant_ion_needs_positive_bath_concentration():
    with pytest.raises(ValueError, match=r"c_out\['Cl-'\]=0"):
        donnan_equilibrium(c_out={"K+": 100, "Cl-": 0.0}, fixed_charge=10)


def test_no_counter_ion_is_an_error():
    with pytest.raises(ValueError, match="needs a permeant cation"):
        donnan_equilibrium(c_out={"Na+": 100, "Cl-": 100}, permeant=["Cl-"], fixed_charge=10)
    with pytest.raises(ValueError, match="needs a permeant anion"):
        donnan_equilibrium(c_out={"K+": 100, "Cl-": 100}, permeant=["K+"], fixed_charge=10,
                           fixed_valence=1)  # fmt: skip


def test_empty_or_non_mapping_bath():
    with pytest.raises(ValueError, match="non-empty mapping"):
        donnan_equilibrium(c_out={}, fixed_charge=1)
    with pytest.raises(ValueError, match="non-empty mapping"):
        donnan_equilibrium(c_out=[("K+", 1)], fixed_charge=1)  # type: ignore[arg-type]


def test_non_neutral_bath_warns_with_the_imbalance():
    with pytest.warns(ElectroneutralityWarning, match=r"\+40 mM"):
        donnan_equilibrium(c_out={"K+": 5, "Na+": 145, "Cl-": 110}, fixed_charge=100)


# -- result object -------------------------------------------------------------------------
def test_to_dict_is_json_ready():
    res = quiet(c_out={"K+": [100.0, 50.0], "Cl-": [100.0, 50.0]}, fixed_charge=50)
    data = json.loads(json.dumps(res.to_dict()))
    assert data["c_in"]["K+"][0] == pytest.approx(res.c_in["K+"][0])
    assert data["units"]["potential"] == "mV"


def test_explain_shows_equal_nernst_potentials_and_result():
    res = quiet(c_out={"K+": 100, "Cl-": 100}, fixed_charge=50)
    lines = res.explain()
    assert lines[-1] == f"V_D = {res.potential:+.1f} mV, r = {res.ratio:.4g}"
    nernst_lines = [ln for ln in lines if "Nernst E" in ln]
    assert len(nernst_lines) == 2
    assert all(f"{res.potential:+.4f} mV" in ln for ln in nernst_lines)


def test_explain_needs_scalar():
    res = quiet(c_out={"K+": 100, "Cl-": 100}, fixed_charge=[10, 20])
    with pytest.raises(ValueError, match="scalar"):
        res.explain()


def test_public_names_importable_from_module():
    from nernst import donnan

    assert set(donnan.__all__) == {"DonnanResult", "ElectroneutralityWarning", "donnan_equilibrium"}


# -- CLI ------------------------------------------------------------------------------------
runner = CliRunner()
KCL = ["--out", "K+=100,Cl-=100", "--fixed", "50"]
# Closed form (above): Cl_in = (-50 + sqrt(2500 + 40000))/2 = 78.0776, K_in = 128.0776,
# V_D = -26.7267 mV x ln(1.280776) = -6.614 mV.
KCL_CL_IN = (-50 + math.sqrt(2500 + 40000)) / 2
KCL_V = -vt(37) * math.log((KCL_CL_IN + 50) / 100)


def test_cli_text():
    result = runner.invoke(app, ["donnan", *KCL])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith(f"V_D = {KCL_V:+.1f} mV")
    assert f"{KCL_CL_IN:.4g}" in result.stdout


def test_cli_json_and_explain():
    result = runner.invoke(app, ["donnan", *KCL, "--json", "--explain"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["potential_mV"] == pytest.approx(KCL_V, rel=1e-12)
    assert data["c_in"]["Cl-"] == pytest.approx(KCL_CL_IN, rel=1e-12)
    assert data["explanation"][-1].startswith(f"V_D = {KCL_V:+.1f} mV")


def test_cli_volume_and_permeant():
    result = runner.invoke(
        app,
        ["donnan", "--out", "K+=5,Na+=145,Cl-=150", "--permeant", "K+,Cl-", "--fixed", "50",
         "--volume", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["c_in"]["K+"] == pytest.approx(150.0, rel=1e-12)  # see pump-leak test
    assert data["volume"] == pytest.approx(50 / 145, rel=1e-10)


def test_cli_non_neutral_bath_warns_on_stderr():
    result = runner.invoke(app, ["donnan", "--out", "K+=5,Na+=145,Cl-=110", "--fixed", "100"])
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: the bath (c_out) is not electroneutral")
    assert result.stdout.startswith("V_D = ")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--out", "K+=100,Cl-=100", "--fixed", "-5"], "--fixed -5"),
        (["--out", "K+=100,Cl-=100", "--fixed", "5", "--valence", "0"], "--valence 0"),
        (["--out", "K+100", "--fixed", "5"], "--out"),
        (["--out", "K+=100,Cl-=100", "--fixed", "5", "--volume"], "no finite equilibrium"),
        (["--out", "K+=100,Cl-=100", "--fixed", "5", "--permeant", ","], "--permeant"),
    ],
)
def test_cli_bad_input_one_line_exit_2(args, needle):
    result = runner.invoke(app, ["donnan", *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0]


def test_entry_point_donnan():
    exe = shutil.which("nernst")
    assert exe is not None, "the nernst console script is not installed"
    proc = subprocess.run(
        [exe, "donnan", *KCL, "--json"], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["potential_mV"] == pytest.approx(KCL_V, rel=1e-12)
    bad = subprocess.run(
        [exe, "donnan", "--out", "Cl-=100", "--fixed", "5"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("error:") and "Traceback" not in bad.stderr


def test_donnan_help_documents_options():
    result = runner.invoke(app, ["donnan", "--help"])
    assert result.exit_code == 0
    for option in ("--out", "--fixed", "--valence", "--permeant", "--volume", "--osmolytes-out"):
        assert option in result.stdout


# -- the renamed API (issue 10) ----------------------------------------------------------------
def test_old_spellings_warn_and_give_the_same_result():
    # Closed form for KCl and a monovalent anion (Keener & Sneyd 2009, ch. 2):
    # [Cl]_in = (-A + sqrt(A^2 + 4 K Cl))/2 with A = 50, K = Cl = 100.
    cl_in = (-50 + math.sqrt(2500 + 40000)) / 2
    with pytest.warns(NernstDeprecationWarning) as caught:
        old = donnan_equilibrium(
            {"K+": 100, "Cl-": 100}, fixed_charge_mM=50, outside_osmolytes_mM=0.0
        )
    messages = " ".join(str(w.message) for w in caught)
    assert "fixed_charge=" in messages
    assert "osmolytes_out=" in messages
    assert "c_out=" in messages
    assert old.c_in["Cl-"] == pytest.approx(cl_in, rel=1e-12)
    with pytest.warns(NernstDeprecationWarning, match=r"DonnanResult\.c_in"):
        assert old.inside == old.c_in
    with pytest.warns(NernstDeprecationWarning, match=r"DonnanResult\.c_out"):
        assert old.outside == old.c_out
    with pytest.warns(NernstDeprecationWarning, match="osmolytes_out"):
        assert old.outside_osmolytes == 0.0
    with pytest.raises(TypeError, match="pass only fixed_charge="):
        donnan_equilibrium(c_out={"K+": 1, "Cl-": 1}, fixed_charge=1, fixed_charge_mM=1)


def test_result_protocol_rows_and_explanation_steps():
    res = quiet(c_out={"K+": 5, "Na+": 145, "Cl-": 150}, permeant=["K+", "Cl-"], fixed_charge=10)
    frame = res.to_dataframe()
    assert list(frame.index) == ["K+", "Na+", "Cl-"]
    assert bool(frame.loc["Na+", "permeant"]) is False
    assert frame.loc["K+", "c_in"] == pytest.approx(res.c_in["K+"])
    ex = res.explain()
    inside = {s.title: s for s in ex.steps if s.title.endswith(" inside")}
    assert set(inside) == {"K+ inside", "Cl- inside"}
    assert inside["K+ inside"].result == pytest.approx(res.c_in["K+"])
    assert inside["K+ inside"].unit == "mM"
    assert ex.value == pytest.approx(res.potential)
