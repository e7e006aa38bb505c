"""Permeability ratios: bi-ionic formulas, the GHK fit with standard errors, the CLI.

Expected numbers come from published sources (cited) or from closed-form arithmetic written in
the test with CODATA 2018 exact constants (R = k_B N_A, F = e N_A); synthetic reversal
potentials are generated here with that arithmetic, never with the code under test.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from typer.testing import CliRunner

import nernst
from nernst._deprecate import NernstDeprecationWarning
from nernst.cli import app
from nernst.permeability import (
    PermeabilityFit,
    explain_permeability_ratio_biionic,
    fit_permeabilities,
    permeability_ratio_biionic,
)

R = 1.380649e-23 * 6.02214076e23
F = 1.602176634e-19 * 6.02214076e23


def vt(celsius: float) -> float:
    """RT/F in mV."""
    return R * (celsius + 273.15) / F * 1e3


# -- bi-ionic ratios -------------------------------------------------------------------------
def test_hille_1972_lithium_sodium_channel_bi_ionic_round_trip():
    # Hille B. (1972) J. Gen. Physiol. 59:637-658, Table I (frog node of Ranvier Na channel):
    # P_Li/P_Na = 0.93. Bi-ionic: Li+ 110 mM outside, Na+ 120 mM inside, 20 C; monovalent
    # GHK: V_rev = (RT/F) ln(P_Li [Li]_o / (P_Na [Na]_i)).
    v_rev = vt(20) * math.log(0.93 * 110 / 120)
    ratio = permeability_ratio_biionic(
        v_rev=v_rev, ion_x="Li+", ion_ref="Na+", c_x_out=110, c_ref_in=120, celsius=20
    )
    assert ratio == pytest.approx(0.93, rel=1e-12)


def test_monovalent_cation_formula():
    # P_X/P_ref = ([ref]_in / [X]_out) exp(F V_rev / RT) (Hille 2001, ch. 14), at -20 mV, 37 C.
    expected = 140 / 145 * math.exp(-20 / vt(37))
    ratio = permeability_ratio_biionic(
        v_rev=-20, ion_x="Na+", ion_ref="K+", c_x_out=145, c_ref_in=140
    )
    assert ratio == pytest.approx(expected, rel=1e-12)


def test_monovalent_anion_formula():
    # Anions: P_X/P_Cl = ([Cl]_in / [X]_out) exp(-F V_rev / RT); generate V_rev for a ratio of
    # 1.5: V_rev = -(RT/F) ln(1.5 [Br]_o / [Cl]_i).
    v_rev = -vt(22) * math.log(1.5 * 150 / 140)
    ratio = permeability_ratio_biionic(
        v_rev=v_rev, ion_x="Br-", ion_ref="Cl-", c_x_out=150, c_ref_in=140, celsius=22
    )
    assert ratio == pytest.approx(1.5, rel=1e-12)


def test_divalent_vs_monovalent_lewis_fatt_ginsborg_form():
    # Fatt & Ginsborg (1958) J. Physiol. 142:516; Lewis (1979) J. Physiol. 286:417:
    # P_Ca/P_Na = [Na]_i e^u (1 + e^u) / (4 [Ca]_o), u = F V_rev / RT. For a ratio rho the
    # reversal potential solves x^2 + x - 4 rho [Ca]_o/[Na]_i = 0, x = e^u > 0.
    rho, ca_o, na_i = 0.2, 20.0, 120.0
    q = 4 * rho * ca_o / na_i
    x = (-1 + math.sqrt(1 + 4 * q)) / 2
    v_rev = vt(15) * math.log(x)
    ratio = permeability_ratio_biionic(
        v_rev=v_rev, ion_x="Ca2+", ion_ref="Na+", c_x_out=ca_o, c_ref_in=na_i, celsius=15
    )
    assert ratio == pytest.approx(rho, rel=1e-12)
    # The printed form itself, evaluated at another potential (-30 mV):
    u = -30 / vt(15)
    printed = na_i * math.exp(u) * (1 + math.exp(u)) / (4 * ca_o)
    got = permeability_ratio_biionic(
        v_rev=-30, ion_x="Ca2+", ion_ref="Na+", c_x_out=ca_o, c_ref_in=na_i, celsius=15
    )
    assert got == pytest.approx(printed, rel=1e-12)


def test_monovalent_x_against_divalent_reference():
    # General bi-ionic form with z_X = 1, z_ref = 2:
    # P_X/P_ref = 4 c_ref,in (1 - e^{-u}) / (c_X,out e^{-u} (1 - e^{-2u}))
    #           = 4 c_ref,in e^u / (c_X,out (1 + e^-u)).
    u = 12 / vt(37)
    expected = 4 * 2.0 * math.exp(u) / (100.0 * (1 + math.exp(-u)))
    got = permeability_ratio_biionic(v_rev=12, ion_x="Na+", ion_ref="Ca2+", c_x_out=100, c_ref_in=2)
    assert got == pytest.approx(expected, rel=1e-12)


def test_zero_reversal_potential_exact():
    # At V = 0 the GHK current is I = P z F (c_in - c_out) (the w -> 0 limit of Hille 2001
    # eq. 14-6), so the bi-ionic ratio is z_ref c_ref,in / (z_X c_X,out): 140 / 145 for Na+
    # vs K+, and 140 / (2 x 10) = 7 for Ca2+ vs Na+ (= the Lewis form at u = 0:
    # 140 x 1 x 2 / (4 x 10)).
    assert permeability_ratio_biionic(
        v_rev=0.0, ion_x="Na+", ion_ref="K+", c_x_out=145, c_ref_in=140
    ) == pytest.approx(140 / 145, rel=1e-15)
    assert permeability_ratio_biionic(
        v_rev=0.0, ion_x="Ca2+", ion_ref="Na+", c_x_out=10, c_ref_in=140
    ) == pytest.approx(7.0, rel=1e-15)


def test_non_bi_ionic_matches_monovalent_ghk():
    # Both ions on both sides, monovalent: e^u (P_x x_i + r_i) = P_x x_o + r_o, so
    # P_x = (r_i e^u - r_o) / (x_o - x_i e^u).
    u = -30 / vt(37)
    expected = (140 * math.exp(u) - 5) / (145 - 10 * math.exp(u))
    got = permeability_ratio_biionic(
        v_rev=-30, ion_x="Na+", ion_ref="K+", c_x_out=145, c_x_in=10, c_ref_in=140, c_ref_out=5
    )
    assert got == pytest.approx(expected, rel=1e-12)


pairs = st.sampled_from(
    [("Na+", "K+"), ("Ca2+", "Na+"), ("K+", "Ba2+"), ("Ca2+", "Mg2+"), ("Br-", "Cl-"),
     ("SO4 2-", "Cl-"), ("Cl-", "HPO4 2-")]
)  # fmt: skip
conc = st.floats(min_value=1e-2, max_value=1e3)


@given(
    pair=pairs,
    ratio=st.floats(min_value=1e-3, max_value=1e3),
    c=st.tuples(conc, conc, conc, conc),
    celsius=st.floats(min_value=0, max_value=40),
)
def test_round_trip_through_ghk_voltage(pair, ratio, c, celsius):
    # Property: the ratio recovered from the GHK reversal potential of (ratio, 1) is ratio.
    ion_x, ion_ref = pair
    x_in, x_out, r_in, r_out = c
    e_x = nernst.equilibrium_potential(ion_x, c_in=x_in, c_out=x_out, celsius=celsius)
    e_r = nernst.equilibrium_potential(ion_ref, c_in=r_in, c_out=r_out, celsius=celsius)
    assume(abs(e_x - e_r) > 1.0)
    V = nernst.ghk_voltage(
        {ion_x: ratio, ion_ref: 1.0},
        c_in={ion_x: x_in, ion_ref: r_in},
        c_out={ion_x: x_out, ion_ref: r_out},
        celsius=celsius,
    )
    assume(min(abs(V - e_x), abs(V - e_r)) > 0.05)  # not pinned at one Nernst potential
    got = permeability_ratio_biionic(
        v_rev=V,
        ion_x=ion_x,
        ion_ref=ion_ref,
        c_x_out=x_out,
        c_x_in=x_in,
        c_ref_in=r_in,
        c_ref_out=r_out,
        celsius=celsius,
    )
    assert got == pytest.approx(ratio, rel=1e-6)


def test_broadcasts_and_scalar_float():
    v = np.array([[-40.0, -20.0, 0.0], [10.0, 20.0, 30.0]])
    got = permeability_ratio_biionic(v_rev=v, ion_x="Na+", ion_ref="K+", c_x_out=145, c_ref_in=140)
    assert got.shape == (2, 3)
    np.testing.assert_allclose(got, 140 / 145 * np.exp(v / vt(37)), rtol=1e-12)
    assert (
        type(permeability_ratio_biionic(v_rev=-20, ion_x=1, ion_ref=1, c_x_out=1, c_ref_in=1))
        is float
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"ion_x": "Na+", "ion_ref": "Cl-"}, "opposite charge signs"),
        ({"v_rev": float("nan")}, "v_rev=nan"),
        ({"c_x_out": 0.0}, "c_x_out=0"),
        ({"c_ref_in": -1.0}, "c_ref_in=-1"),
        ({"c_x_in": -1.0}, "c_x_in=-1"),
        ({"ion_x": "Kx"}, "unknown ion 'Kx'"),
        ({"celsius": 300.0}, "26.85"),
        # Non-bi-ionic, V outside [E_ref, E_x]: E_K = -89 mV, so -100 mV is impossible.
        ({"v_rev": -100.0, "c_x_in": 10.0, "c_ref_out": 5.0}, "no positive permeability"),
    ],
)
def test_bad_input(kwargs, match):
    args = {"ion_x": "Na+", "ion_ref": "K+", "c_x_out": 145.0, "c_ref_in": 140.0}
    v = kwargs.pop("v_rev", -20.0)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        permeability_ratio_biionic(v_rev=v, **args)


def test_explain_lines():
    lines = explain_permeability_ratio_biionic(
        v_rev=-20, ion_x="Na+", ion_ref="K+", c_x_out=145, c_ref_in=140
    )
    expected = 140 / 145 * math.exp(-20 / vt(37))
    assert lines[-1] == f"P(Na+)/P(K+) = {expected:.4g}"
    assert any("exp(+u)" in ln for ln in lines)
    ca = explain_permeability_ratio_biionic(
        v_rev=-20, ion_x="Ca2+", ion_ref="Na+", c_x_out=10, c_ref_in=140
    )
    assert any("Fatt & Ginsborg" in ln for ln in ca)


# -- the GHK fit -----------------------------------------------------------------------------
# Squid giant axon (Hille 2001, Table 1.1): inside K+ 400, Na+ 50, Cl- 40; outside (blood)
# K+ 20, Na+ 440, Cl- 560 mM. Resting permeability ratios P_K:P_Na:P_Cl = 1:0.04:0.45
# (Hodgkin & Katz 1949, J. Physiol. 108:37, as quoted in Hille 2001 ch. 14 and the seed
# chapter). The series raises external K+ at the expense of Na+ (K+ for Na+ substitution).
SQ_IN = {"K+": 400.0, "Na+": 50.0, "Cl-": 40.0}
K_OUT = np.array([10.0, 20.0, 50.0, 100.0, 200.0, 300.0, 450.0])
NA_OUT = 460.0 - K_OUT
CL_OUT = 560.0
HK = {"K+": 1.0, "Na+": 0.04, "Cl-": 0.45}


def squid_series(celsius: float = 20.0) -> np.ndarray:
    """Monovalent GHK written out, a = P_Na/P_K, b = P_Cl/P_K:
    V = (RT/F) ln((K_o + a Na_o + b Cl_i) / (K_i + a Na_i + b Cl_o))."""
    a, b = HK["Na+"], HK["Cl-"]
    num = K_OUT + a * NA_OUT + b * SQ_IN["Cl-"]
    den = SQ_IN["K+"] + a * SQ_IN["Na+"] + b * CL_OUT
    return vt(celsius) * np.log(num / den)


def fit_squid(v: np.ndarray, **kw) -> PermeabilityFit:
    return fit_permeabilities(
        v_rev=v,
        c_in=SQ_IN,
        c_out={"K+": K_OUT, "Na+": NA_OUT, "Cl-": CL_OUT},
        ions=["K+", "Na+", "Cl-"],
        celsius=20.0,
        **kw,
    )


def test_fit_recovers_hodgkin_katz_ratios_exactly_without_noise():
    fit = fit_squid(squid_series())
    assert fit.success
    assert fit.ratios["K+"] == 1.0
    assert fit.ratios["Na+"] == pytest.approx(0.04, rel=1e-7)
    assert fit.ratios["Cl-"] == pytest.approx(0.45, rel=1e-7)
    assert np.max(np.abs(fit.residuals)) < 1e-7
    assert fit.dof == K_OUT.size - 2


def test_fit_with_noise_within_three_standard_errors():
    rng = np.random.default_rng(20240611)
    v = squid_series() + rng.normal(0.0, 0.5, K_OUT.size)  # 0.5 mV measurement noise
    fit = fit_squid(v)
    for ion in ("Na+", "Cl-"):
        assert abs(fit.ratios[ion] - HK[ion]) < 3 * fit.standard_errors[ion], (ion, fit.ratios)
        assert fit.standard_errors[ion] > 0
    assert fit.residual_sd == pytest.approx(
        math.sqrt(np.sum(fit.residuals**2) / fit.dof), rel=1e-12
    )
    np.testing.assert_allclose(fit.residuals, v - fit.v_fit, rtol=0, atol=1e-12)


def test_fit_standard_errors_are_calibrated():
    # Coverage: over many noisy replicates, ln(estimate) lies within 1.96 SE of ln(truth)
    # about 95% of the time (t with 5 dof widens this slightly; accept 85-100%).
    rng = np.random.default_rng(7)
    clean = squid_series()
    hits, trials = 0, 80
    for _ in range(trials):
        fit = fit_squid(clean + rng.normal(0.0, 1.0, clean.size))
        hits += abs(math.log(fit.ratios["Na+"] / 0.04)) < 1.96 * fit.log_standard_errors["Na+"]
    assert 0.85 <= hits / trials <= 1.0


def test_fit_reproduces_seed_chapter_resting_potential():
    # Seed chapter, "Permeability to Multiple Ions": P_K:P_Na:P_Cl = 1:0.04:0.45 with
    # K 140/5, Na 10/145, Cl 10/110 mM (in/out) at 37 C gives "about -67.3 mV". Fit the
    # ratios from a K+-for-Na+ series of that neuron, then predict its resting potential.
    k_out = np.array([5.0, 10.0, 20.0, 40.0, 80.0])
    na_out = 150.0 - k_out
    v = vt(37) * np.log((k_out + 0.04 * na_out + 0.45 * 10) / (140 + 0.04 * 10 + 0.45 * 110))
    fit = fit_permeabilities(
        v_rev=v,
        c_in={"K+": 140, "Na+": 10, "Cl-": 10},
        c_out={"K+": k_out, "Na+": na_out, "Cl-": 110},
        ions=["K+", "Na+", "Cl-"],
    )
    V_rest = nernst.ghk_voltage(
        fit.ratios,
        c_in={"K+": 140, "Na+": 10, "Cl-": 10},
        c_out={"K+": 5, "Na+": 145, "Cl-": 110},
    )
    assert V_rest == pytest.approx(-67.3, abs=0.05)


def test_fit_divalent_calcium_series():
    # K+, Na+, Ca2+ with external Ca2+ raised; V from the GHK quadratic in x = e^{-u}:
    # (B + D) x^2 - (A - B) x - (A + C) = 0 with A = sum P c_in (z=+1), B = sum P c_out (z=+1),
    # C = 4 P_Ca Ca_in, D = 4 P_Ca Ca_out (Lewis 1979).
    p_na, p_ca = 0.05, 0.3
    ca_out = np.array([1.0, 2.0, 5.0, 10.0, 20.0, 50.0])
    A = 140 + p_na * 10
    B = 5 + p_na * 145
    C = 4 * p_ca * 1e-4
    D = 4 * p_ca * ca_out
    x = ((A - B) + np.sqrt((A - B) ** 2 + 4 * (B + D) * (A + C))) / (2 * (B + D))
    v = -vt(37) * np.log(x)
    fit = fit_permeabilities(
        v_rev=v,
        c_in={"K+": 140, "Na+": 10, "Ca2+": 1e-4},
        c_out={"K+": 5, "Na+": 145, "Ca2+": ca_out},
        ions=["K+", "Na+", "Ca2+"],
    )
    assert fit.ratios["Na+"] == pytest.approx(p_na, rel=1e-6)
    assert fit.ratios["Ca2+"] == pytest.approx(p_ca, rel=1e-6)


def test_fit_with_fixed_ratio_and_other_reference():
    # Hold P_Cl/P_K = 0.45 fixed; fit P_Na only, from two conditions; reference Na+ works too.
    v = squid_series()[:2]
    fit = fit_permeabilities(
        v_rev=v,
        c_in=SQ_IN,
        c_out={"K+": K_OUT[:2], "Na+": NA_OUT[:2], "Cl-": CL_OUT},
        ions=["K+", "Na+", "Cl-"],
        fixed={"Cl-": 0.45},
        celsius=20.0,
    )
    assert fit.fitted == ("Na+",)
    assert fit.ratios["Na+"] == pytest.approx(0.04, rel=1e-7)
    assert fit.standard_errors["Cl-"] == 0.0
    by_na = fit_squid(squid_series(), reference="Na+")
    assert by_na.ratios["K+"] == pytest.approx(1 / 0.04, rel=1e-6)
    assert by_na.ratios["Cl-"] == pytest.approx(0.45 / 0.04, rel=1e-6)


def test_fit_per_condition_temperatures():
    celsius = np.array([10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 37.0])
    num = K_OUT + 0.04 * NA_OUT + 0.45 * 40
    den = 400 + 0.04 * 50 + 0.45 * 560
    v = np.array([vt(t) for t in celsius]) * np.log(num / den)
    fit = fit_permeabilities(
        v_rev=v,
        c_in=SQ_IN,
        c_out={"K+": K_OUT, "Na+": NA_OUT, "Cl-": CL_OUT},
        ions=["K+", "Na+", "Cl-"],
        celsius=celsius,
    )
    assert fit.ratios["Na+"] == pytest.approx(0.04, rel=1e-7)


def test_fit_no_degrees_of_freedom_warns_inf_se():
    v = squid_series()[:2]
    with pytest.warns(RuntimeWarning, match="no degrees of freedom"):
        fit = fit_permeabilities(
            v_rev=v,
            c_in=SQ_IN,
            c_out={"K+": K_OUT[:2], "Na+": NA_OUT[:2], "Cl-": CL_OUT},
            ions=["K+", "Na+", "Cl-"],
            celsius=20.0,
        )
    assert fit.ratios["Na+"] == pytest.approx(0.04, rel=1e-6)
    assert math.isinf(fit.standard_errors["Na+"])
    assert json.loads(json.dumps(fit.to_dict()))["standard_errors"]["Na+"] is None


def test_fit_unidentifiable_warns():
    # The same condition repeated: two ratios, one equation's worth of information.
    v = np.full(4, squid_series()[0])
    with pytest.warns(RuntimeWarning, match="do not determine"):
        fit_permeabilities(
            v_rev=v,
            c_in=SQ_IN,
            c_out={"K+": K_OUT[0], "Na+": NA_OUT[0], "Cl-": CL_OUT},
            ions=["K+", "Na+", "Cl-"],
            celsius=20.0,
        )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"v_rev": [-60.0]}, "cannot determine 2"),
        ({"v_rev": [[-60.0, -50.0]]}, "1-d array"),
        ({"v_rev": [-60.0, float("nan"), -40.0]}, "v_rev=nan"),
        ({"reference": "Ca2+"}, "reference='Ca2\\+' is not among"),
        ({"ions": ["K+"]}, "at least two ions"),
        ({"fixed": {"Ca2+": 1.0}}, "fixed ion 'Ca2\\+'"),
        ({"fixed": {"K+": 1.0}}, "reference 'K\\+' is fixed"),
        ({"fixed": {"Na+": -1.0}}, "fixed\\['Na\\+'\\]=-1"),
        ({"fixed": {"Na+": 0.1, "Cl-": 0.4}}, "nothing to fit"),
        ({"c_in": {"K+": 400.0, "Na+": 50.0}}, "c_in has no concentration for ion 'Cl-'"),
        ({"c_out": {"K+": [1.0, 2.0], "Na+": 1.0, "Cl-": 1.0}}, "shape \\(2,\\)"),
        ({"c_in": {"K+": 400.0, "Na+": -1.0, "Cl-": 40.0}}, "c_in\\['Na\\+'\\]=-1"),
        ({"celsius": [20.0, 21.0]}, "celsius has shape"),
    ],
)
def test_fit_bad_input(kwargs, match):
    args = {
        "v_rev": [-60.0, -50.0, -40.0],
        "c_in": SQ_IN,
        "c_out": {"K+": [10.0, 20.0, 50.0], "Na+": 440.0, "Cl-": 560.0},
        "ions": ["K+", "Na+", "Cl-"],
    }
    args.update(kwargs)
    v = args.pop("v_rev")
    with pytest.raises(ValueError, match=match):
        fit_permeabilities(v_rev=v, **args)


def test_fit_to_dict_json_ready():
    fit = fit_squid(squid_series())
    data = json.loads(json.dumps(fit.to_dict()))
    assert data["ratios"]["Na+"] == pytest.approx(0.04, rel=1e-7)
    assert data["reference"] == "K+"
    assert len(data["residuals_mV"]) == K_OUT.size


# -- CLI -------------------------------------------------------------------------------------
runner = CliRunner()
PR_ARGS = ["perm-ratio", "--vrev", "-20", "--ion", "Na+", "--ref", "K+", "--x-out", "145",
           "--ref-in", "140"]  # fmt: skip
PR_EXPECTED = 140 / 145 * math.exp(-20 / vt(37))  # 0.4568


def test_cli_perm_ratio_text_json_explain():
    result = runner.invoke(app, PR_ARGS)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"P(Na+)/P(K+) = {PR_EXPECTED:.4g}"
    result = runner.invoke(app, [*PR_ARGS, "--json", "--explain"])
    data = json.loads(result.stdout)
    assert data["ratio"] == pytest.approx(PR_EXPECTED, rel=1e-12)
    assert data["explanation"][-1] == f"P(Na+)/P(K+) = {PR_EXPECTED:.4g}"
    result = runner.invoke(app, [*PR_ARGS, "--explain"])
    assert "exp(+u)" in result.stdout


def test_cli_perm_ratio_divalent():
    # Lewis / Fatt-Ginsborg form at -20 mV: 140 e^u (1 + e^u) / (4 x 10).
    u = -20 / vt(37)
    expected = 140 * math.exp(u) * (1 + math.exp(u)) / 40
    result = runner.invoke(
        app,
        ["perm-ratio", "--vrev=-20", "--ion", "Ca2+", "--ref", "Na+", "--x-out", "10",
         "--ref-in", "140", "--json"],
    )  # fmt: skip
    assert json.loads(result.stdout)["ratio"] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--ion", "Na+", "--ref", "Cl-"], "opposite charge signs"),
        (["--ion", "Nax", "--ref", "K+"], "unknown ion 'Nax'"),
    ],
)
def test_cli_perm_ratio_bad_input(args, needle):
    base = ["perm-ratio", "--vrev", "-20", "--x-out", "145", "--ref-in", "140"]
    result = runner.invoke(app, [*base, *args])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0]


def write_squid_csv(path: Path, *, header: str | None = None, celsius_col: bool = False) -> Path:
    v = squid_series()
    cols = header or "K+_in,K+_out,Na+_in,Na+_out,Cl-_in,Cl-_out,v_rev"
    lines = ["# squid axon, K+ for Na+ substitution (synthetic, HK 1949 ratios)", cols + (
        ",celsius" if celsius_col else "")]  # fmt: skip
    for k, na, vv in zip(K_OUT, NA_OUT, v, strict=True):
        row = f"400,{float(k)!r},50,{float(na)!r},40,560,{float(vv)!r}"
        lines.append(row + (",20" if celsius_col else ""))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_fit_text_and_json(tmp_path):
    csv_path = write_squid_csv(tmp_path / "squid.csv")
    result = runner.invoke(app, ["fit", str(csv_path), "--ions", "K+,Na+,Cl-", "-t", "20"])
    assert result.exit_code == 0, result.output
    assert "Na+" in result.stdout and "0.04" in result.stdout and "reference" in result.stdout
    result = runner.invoke(app, ["fit", str(csv_path), "-t", "20", "--json"])  # ions inferred
    data = json.loads(result.stdout)
    assert data["ratios"]["Na+"] == pytest.approx(0.04, rel=1e-6)
    assert data["ratios"]["Cl-"] == pytest.approx(0.45, rel=1e-6)
    assert data["ions"] == ["K+", "Na+", "Cl-"]


def test_cli_fit_celsius_column_and_aliases(tmp_path):
    csv_path = write_squid_csv(
        tmp_path / "alias.csv",
        header="K_in,K_out,Na_in,Na_out,Cl_in,Cl_out,v_rev",
        celsius_col=True,
    )
    result = runner.invoke(app, ["fit", str(csv_path), "--json"])  # celsius column: 20
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ratios"]["Na+"] == pytest.approx(0.04, rel=1e-6)


def test_cli_fit_fixed_option(tmp_path):
    csv_path = write_squid_csv(tmp_path / "squid.csv")
    result = runner.invoke(app, ["fit", str(csv_path), "-t", "20", "--fixed", "Cl-=0.45", "--json"])
    data = json.loads(result.stdout)
    assert data["fitted"] == ["Na+"]
    assert data["ratios"]["Na+"] == pytest.approx(0.04, rel=1e-6)


@pytest.mark.parametrize(
    ("content", "args", "needle"),
    [
        ("K+_in,K+_out,Na+_in,v_rev\n1,2,3,-50\n", ["--ions", "K+,Na+"], "no column 'Na+_out'"),
        ("K+_in,K+_out,Na+_in,Na+_out\n1,2,3,4\n", [], "no 'v_rev' column"),
        ("K+_in,K+_out,Na+_in,Na+_out,v_rev\n1,2,3,x,-50\n", [], "row 2, column 'Na+_out'"),
        ("K+_in,K+_out,v_rev\n1,2,-50\n", [], "at least two"),
        ("v_rev\n", [], "header row and at least one data row"),
    ],
)
def test_cli_fit_csv_errors(tmp_path, content, args, needle):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["fit", str(path), *args])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0], lines


def test_cli_fit_missing_file(tmp_path):
    result = runner.invoke(app, ["fit", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error:") and "nope.csv" in result.stderr


def test_entry_point_perm_ratio_and_fit(tmp_path):
    exe = shutil.which("nernst")
    assert exe is not None, "the nernst console script is not installed"
    proc = subprocess.run([exe, *PR_ARGS], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"P(Na+)/P(K+) = {PR_EXPECTED:.4g}"
    csv_path = write_squid_csv(tmp_path / "squid.csv")
    with warnings.catch_warnings():
        proc = subprocess.run(
            [exe, "fit", str(csv_path), "--celsius", "20", "--json"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["ratios"]["Cl-"] == pytest.approx(0.45, rel=1e-6)


# -- the renamed API (issue 10): keyword-only v_rev, old positional form deprecated ----------
def test_positional_v_rev_is_deprecated_but_works():
    # Hille 2001 ch. 14, monovalent cations: P_Na/P_K = ([K]_i / [Na]_o) exp(F V_rev / RT).
    expected = 140 / 145 * math.exp(-20 / vt(37))
    kw = {"ion_x": "Na+", "ion_ref": "K+", "c_x_out": 145, "c_ref_in": 140}
    with pytest.warns(NernstDeprecationWarning, match=r"use permeability_ratio_biionic\(v_rev="):
        old = permeability_ratio_biionic(-20, **kw)
    assert old == pytest.approx(expected, rel=1e-12)
    with pytest.warns(NernstDeprecationWarning, match="v_rev"):
        lines = explain_permeability_ratio_biionic(-20, **kw)
    assert lines[-1] == f"P(Na+)/P(K+) = {expected:.4g}"
    with pytest.raises(TypeError, match="positionally and as v_rev="):
        permeability_ratio_biionic(-20, v_rev=-20, **kw)


def test_new_spelling_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        permeability_ratio_biionic(v_rev=-20, ion_x="Na+", ion_ref="K+", c_x_out=145, c_ref_in=140)
        explain_permeability_ratio_biionic(
            v_rev=-20, ion_x="Ca2+", ion_ref="Na+", c_x_out=10, c_ref_in=140
        )
        fit_squid(squid_series())


def test_fit_positional_v_rev_is_deprecated_but_works():
    with pytest.warns(NernstDeprecationWarning, match=r"fit_permeabilities\(v_rev="):
        fit = fit_permeabilities(
            squid_series(), c_in=SQ_IN, c_out={"K+": K_OUT, "Na+": NA_OUT, "Cl-": CL_OUT},
            ions=["K+", "Na+", "Cl-"], celsius=20.0,
        )  # fmt: skip
    assert fit.ratios["Na+"] == pytest.approx(HK["Na+"], rel=1e-6)


def test_explanation_lives_in_explain_and_is_reexported():
    import nernst.explain

    assert explain_permeability_ratio_biionic is nernst.explain.explain_permeability_ratio_biionic


def test_explanation_steps_carry_equation_numbers_and_result():
    # Fatt & Ginsborg 1958 / Lewis 1979: P_Ca/P_Na = [Na]_i e^u (1 + e^u) / (4 [Ca]_o).
    u = -20 / vt(37)
    expected = 140 * math.exp(u) * (1 + math.exp(u)) / (4 * 10)
    ex = explain_permeability_ratio_biionic(
        v_rev=-20, ion_x="Ca2+", ion_ref="Na+", c_x_out=10, c_ref_in=140
    )
    last = ex.steps[-1]
    assert last.title == "permeability ratio"
    assert last.equation == "P_X/P_ref = [ref]_in e^u (1 + e^u) / (4 [X]_out)"
    assert last.substituted.startswith("140 x ")
    assert last.result == pytest.approx(expected, rel=1e-12)
    assert ex.value == pytest.approx(expected, rel=1e-12)
    reduced = next(s for s in ex.steps if s.title == "reduced potential")
    assert reduced.result == pytest.approx(u, rel=1e-12)
    assert str(ex) == "\n".join(ex)


def test_fit_explain_and_dataframe():
    fit = fit_squid(squid_series())
    ex = fit.explain()
    # Hodgkin & Katz 1949: P_K:P_Na:P_Cl = 1:0.04:0.45, recovered from noise-free data.
    assert ex[-1] == "P(Na+)/P(K+) = 0.04, P(Cl-)/P(K+) = 0.45"
    assert [s.title for s in ex.steps][-2:] == ["P(Na+)/P(K+)", "P(Cl-)/P(K+)"]
    frame = fit.to_dataframe()
    assert list(frame.index) == ["K+", "Na+", "Cl-"]
    assert frame.loc["Cl-", "ratio"] == pytest.approx(0.45, rel=1e-6)
    assert frame.loc["K+", "role"] == "reference"
