"""The ``nernst`` command line, used the way a user uses it.

A handful of end-to-end checks run the installed ``nernst`` console script in a subprocess
(the entry point, its import order, its exit status and what reaches the terminal); the rest
use Typer's in-process ``CliRunner``, which is faster.

Expected numbers come from the seed chapter (../shared/seed/000_ba38d2a88dc762dc.txt) or
from arithmetic written next to them, with CODATA 2018 exact constants:
R = 8.314462618 J/(mol K), F = 96485.33212 C/mol, so RT/F = 26.7267 mV at 37 C (310.15 K)
and 25.2617 mV at 20 C (293.15 K).
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

import nernst
from nernst.cli import app

# CODATA 2018 exact: R = k_B N_A, F = e N_A.
R = 1.380649e-23 * 6.02214076e23
F = 1.602176634e-19 * 6.02214076e23
VT_37 = R * 310.15 / F * 1e3  # 26.7267 mV
VT_20 = R * 293.15 / F * 1e3  # 25.2617 mV

# The seed chapter's GHK example ("Permeability to Multiple Ions"), in/out mM at 37 C.
SEED_IN = "K+=140,Na+=10,Cl-=10"
SEED_OUT = "K+=5,Na+=145,Cl-=110"
SEED_PERM = "K+=1,Na+=0.04,Cl-=0.45"
# numerator   = P_K K_out + P_Na Na_out + P_Cl Cl_in = 5 + 5.8 + 4.5 = 15.3
# denominator = P_K K_in + P_Na Na_in + P_Cl Cl_out = 140 + 0.4 + 49.5 = 189.9
# V = 26.7267 mV x ln(15.3 / 189.9) = 26.7267 x (-2.518644) = -67.31 mV (seed: "about -67.3")
SEED_V = VT_37 * math.log(15.3 / 189.9)

runner = CliRunner()


def invoke(*args: str):
    """Run the CLI in-process; any exception other than SystemExit is a crash."""
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"nernst {' '.join(args)} crashed: {result.exception!r}\n{result.output}"
    )
    return result


def ok(*args: str) -> str:
    result = invoke(*args)
    assert result.exit_code == 0, f"nernst {' '.join(args)} -> {result.exit_code}\n{result.output}"
    return result.stdout


def assert_one_line_error(code: int, stdout: str, stderr: str, *needles: str) -> str:
    """Exit 2, nothing on stdout, exactly one 'error: ...' line on stderr naming the problem."""
    assert code == 2, (code, stdout, stderr)
    assert "Traceback" not in stdout + stderr
    assert stdout == ""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error:"), stderr
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"
    return lines[0]


def bad(*args: str, needles: tuple[str, ...] = ()) -> str:
    result = invoke(*args)
    return assert_one_line_error(result.exit_code, result.stdout, result.stderr, *needles)


def number_after(pattern: str, text: str) -> float:
    match = re.search(pattern + r"\s*([-+]?\d+(?:\.\d+)?)", text)
    assert match, f"{pattern!r} not found in:\n{text}"
    return float(match.group(1))


# -- fixtures -----------------------------------------------------------------------------
@pytest.fixture(scope="session")
def entry_point() -> str:
    exe = shutil.which("nernst")
    if exe is None:
        pytest.fail(
            "the `nernst` console script is not on PATH: install the package "
            "(pip install -e '.[cli,test]') so the entry point exists"
        )
    return exe


def run(entry_point: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [entry_point, *args], capture_output=True, text=True, timeout=60, check=False
    )


CELL_TOML = """\
title = "Test neuron at room temperature"
celsius = 20.0
v_measured_mV = -70.0

[inside]
"K+" = 140.0
"Na+" = 10.0
"Cl-" = 10.0

[outside]
"K+" = 5.0
"Na+" = 145.0
"Cl-" = 110.0

[permeability]
"K+" = 1.0
"Na+" = 0.04
"Cl-" = 0.45
"""


@pytest.fixture
def cell_file(tmp_path: Path) -> Path:
    path = tmp_path / "my_neuron.toml"
    path.write_text(CELL_TOML, encoding="utf-8")
    return path


# -- end to end, through the installed entry point ------------------------------------------
def test_entry_point_potassium_seed_value(entry_point):
    # Seed chapter: E_K "approximately -89.1 mV" for 140 mM in, 5 mM out at 37 C; the classic
    # textbook value is -89 mV. 26.7267 mV x ln(5/140) = 26.7267 x (-3.332205) = -89.06 mV.
    proc = run(entry_point, "potential", "K+", "--in", "140", "--out", "5", "--celsius", "37")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "E(K+) = -89.1 mV"
    assert proc.stderr == ""


def test_entry_point_ghk_seed_value(entry_point):
    proc = run(entry_point, "ghk", "--in", SEED_IN, "--out", SEED_OUT, "--perm", SEED_PERM)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "V_rest = -67.3 mV"  # seed chapter: "about -67.3 mV"


def test_entry_point_json_explain(entry_point):
    proc = run(entry_point, "potential", "K+", "--in", "140", "--out", "5", "--json", "--explain")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["E_mV"] == pytest.approx(-89.06, abs=0.01)  # 26.7267 x ln(5/140)
    assert data["explanation"][-1] == "E(K+) = -89.1 mV"


def test_entry_point_cell_default(entry_point):
    proc = run(entry_point, "cell")
    assert proc.returncode == 0, proc.stderr
    assert "-67.3" in proc.stdout


def test_entry_point_version(entry_point):
    proc = run(entry_point, "--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"nernst {version('nernst')}"


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (("potential", "Kx", "--in", "140", "--out", "5"), ("Kx", "'K+'")),
        (("potential", "K+", "--in", "140", "--out", "5", "--celsius", "310"), ("36.85",)),
        (("ghk", "--in", "K+140", "--out", "K+=5", "--perm", "K+=1"), ("--in", "K+140")),
        (("potential", "K+", "--in", "nan", "--out", "5"), ("nan",)),
    ],
    ids=["unknown-ion", "kelvin-as-celsius", "malformed-pairs", "nan"],
)
def test_entry_point_bad_input_one_line_exit_2(entry_point, args, needles):
    proc = run(entry_point, *args)
    assert_one_line_error(proc.returncode, proc.stdout, proc.stderr, *needles)


def test_entry_point_malformed_toml_exit_2(entry_point, tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('[inside\n"K+" = 140\n', encoding="utf-8")
    proc = run(entry_point, "cell", str(path))
    assert_one_line_error(proc.returncode, proc.stdout, proc.stderr, "broken.toml", "TOML")


# -- potential -----------------------------------------------------------------------------
def test_potential_text_output():
    assert ok("potential", "K+", "--in", "140", "--out", "5", "--celsius", "37") == (
        "E(K+) = -89.1 mV\n"
    )


def test_potential_default_temperature_is_37():
    # Same numbers as above without --celsius: the default is body temperature.
    assert ok("potential", "K+", "--in", "140", "--out", "5").strip() == "E(K+) = -89.1 mV"


def test_potential_explain_calcium():
    # Ca2+ 0.0001 mM in, 2 mM out, 37 C: ratio 2/0.0001 = 20000, ln(20000) = 9.903488,
    # E = 26.7267/2 x 9.903488 = 13.36335 x 9.903488 = +132.34 mV.
    out = ok("potential", "Ca2+", "--in", "0.0001", "--out", "2", "--explain")
    assert "E = (RT / zF) ln([ion]_out / [ion]_in)" in out
    assert "T = 37 degC + 273.15 = 310.15 K" in out
    assert "z = +2" in out
    assert re.search(r"ratio out/in = .* = 20000\b", out)
    assert out.strip().splitlines()[-1] == "E(Ca2+) = +132.3 mV"


def test_potential_json():
    data = json.loads(ok("potential", "K+", "--in", "140", "--out", "5", "--json"))
    assert {"E_mV", "ion", "z", "convention"} <= set(data)
    assert data["ion"] == "K+"
    assert data["z"] == 1
    assert data["convention"] == "E = V_in - V_out"
    assert data["E_mV"] == pytest.approx(VT_37 * math.log(5 / 140), abs=1e-6)  # -89.06 mV
    assert "explanation" not in data


def test_potential_json_with_explain():
    data = json.loads(
        ok("potential", "Ca2+", "--in", "0.0001", "--out", "2", "--json", "--explain")
    )
    assert data["z"] == 2
    assert data["E_mV"] == pytest.approx(132.34, abs=0.01)  # 26.7267/2 x ln(20000)
    assert isinstance(data["explanation"], list)
    assert all(isinstance(line, str) for line in data["explanation"])
    assert data["explanation"][-1] == "E(Ca2+) = +132.3 mV"


def test_potential_valence_as_number_seed_extremophile():
    # Seed chapter, "The Concentration Ratio": Z+ 7.5 mM in, 450 mM out, 37 C -> "approximately
    # +109 mV"; 26.7267 mV x ln(450/7.5 = 60) = 26.7267 x 4.094345 = +109.43 mV.
    out = ok("potential", "1", "--in", "7.5", "--out", "450")
    assert "z=+1" in out
    assert number_after(r"E\(z=\+1\) =", out) == pytest.approx(109.4, abs=0.05)
    data = json.loads(ok("potential", "1", "--in", "7.5", "--out", "450", "--json"))
    assert data["z"] == 1
    assert data["E_mV"] == pytest.approx(109.43, abs=0.01)


def test_potential_negative_valence_after_double_dash():
    # A leading '-' reads as an option, so a negative valence goes after '--'.
    # z = -1, 1 mM in, 10 mM out: E = -26.7267 x ln(10) = -61.54 mV.
    data = json.loads(ok("potential", "--in", "1", "--out", "10", "--json", "--", "-1"))
    assert data["z"] == -1
    assert data["E_mV"] == pytest.approx(-61.54, abs=0.01)


def test_potential_activity_coefficients_seed_plus_6_60_mV():
    # Seed chapter, "Non-Ideal Solutions": gamma_in 0.75, gamma_out 0.96 make E_K about
    # 6.60 mV more positive: 26.7267 mV x ln(0.96/0.75) = 26.7267 x 0.246860 = +6.598 mV.
    base = ("potential", "K+", "--in", "140", "--out", "5")
    gammas = ("--gamma-in", "0.75", "--gamma-out", "0.96")
    plain = json.loads(ok(*base, "--json"))["E_mV"]
    active = json.loads(ok(*base, *gammas, "--json"))["E_mV"]
    assert active - plain == pytest.approx(6.60, abs=0.005)
    # -89.06 + 6.60 = -82.46 mV
    assert ok(*base, *gammas).strip() == "E(K+) = -82.5 mV"
    explained = ok(*base, *gammas, "--explain")
    assert "a_out = 0.96 x 5 mM = 4.8 mM" in explained  # 0.96 x 5 = 4.8
    assert "a_in  = 0.75 x 140 mM = 105 mM" in explained  # 0.75 x 140 = 105


# -- ghk -----------------------------------------------------------------------------------
def test_ghk_text_seed_example():
    out = ok("ghk", "--in", SEED_IN, "--out", SEED_OUT, "--perm", SEED_PERM)
    assert out == "V_rest = -67.3 mV\n"


def test_ghk_explain_shows_numerator_and_denominator():
    out = ok("ghk", "--in", SEED_IN, "--out", SEED_OUT, "--perm", SEED_PERM, "--explain")
    assert number_after(r"numerator\s*=.*=", out) == pytest.approx(15.3, abs=1e-9)
    assert number_after(r"denominator\s*=.*=", out) == pytest.approx(189.9, abs=1e-9)
    assert out.strip().splitlines()[-1] == "V_rest = -67.3 mV"


def test_ghk_json():
    data = json.loads(ok("ghk", "--in", SEED_IN, "--out", SEED_OUT, "--perm", SEED_PERM, "--json"))
    assert data["V_mV"] == pytest.approx(-67.31, abs=0.005)
    assert data["V_mV"] == pytest.approx(SEED_V, abs=1e-6)
    assert data["permeability"] == {"K+": 1.0, "Na+": 0.04, "Cl-": 0.45}
    assert data["c_in"] == {"K+": 140.0, "Na+": 10.0, "Cl-": 10.0}
    assert data["c_out"] == {"K+": 5.0, "Na+": 145.0, "Cl-": 110.0}
    assert "explanation" not in data
    explained = json.loads(
        ok("ghk", "--in", SEED_IN, "--out", SEED_OUT, "--perm", SEED_PERM, "--json", "--explain")
    )
    assert explained["explanation"][-1] == "V_rest = -67.3 mV"


def test_ghk_divalent_explain_shows_the_quadratic():
    # Add Ca2+ (0.0001 mM in, 2 mM out, P = 0.01). With x = exp(-FV/RT) the zero-current
    # condition is (B + D) x^2 - (A - B) x - (A + C) = 0 with
    #   A = 189.9, B = 15.3 (the monovalent sums above),
    #   C = 4 x 0.01 x 0.0001 = 4e-6, D = 4 x 0.01 x 2 = 0.08;
    # x = ((A - B) + sqrt((A - B)^2 + 4 (B + D)(A + C))) / (2 (B + D)), V = -RT/F ln x.
    A, B, C, D = 189.9, 15.3, 4e-6, 0.08
    x = ((A - B) + math.sqrt((A - B) ** 2 + 4 * (B + D) * (A + C))) / (2 * (B + D))
    expected = -VT_37 * math.log(x)  # about -67.19 mV: Ca2+ pulls V up from -67.31
    args = (
        "ghk",
        "--in",
        SEED_IN + ",Ca2+=0.0001",
        "--out",
        SEED_OUT + ",Ca2+=2",
        "--perm",
        SEED_PERM + ",Ca2+=0.01",
    )
    out = ok(*args, "--explain")
    assert "quadratic" in out
    assert "(B + D) x^2 - (A - B) x - (A + C) = 0" in out
    numbers = re.search(r"A = (\S+), B = (\S+), C = (\S+), D = (\S+)\n", out)
    assert numbers, out
    assert [float(n) for n in numbers.groups()] == pytest.approx([A, B, C, D])
    assert json.loads(ok(*args, "--json"))["V_mV"] == pytest.approx(expected, abs=1e-6)
    assert ok(*args).strip() == f"V_rest = {expected:.1f} mV"


# -- cell ----------------------------------------------------------------------------------
def test_cell_default_preset_is_the_seed_neuron():
    out = ok("cell")
    for ion in ("K+", "Na+", "Cl-", "Ca2+"):
        assert ion in out
    assert "-67.3" in out  # seed chapter GHK example
    assert "-89.1" in out  # seed chapter E_K


def test_cell_squid_axon():
    # Squid preset at 20 C: numerator 10 + 0.04 x 460 + 0.45 x 100 = 73.4,
    # denominator 400 + 0.04 x 50 + 0.45 x 540 = 645;
    # 25.2617 mV x ln(73.4/645) = 25.2617 x (-2.173370) = -54.90 mV; measured -63 mV.
    out = ok("cell", "squid-axon")
    assert "Squid" in out
    assert "-54.9" in out
    assert "-63.0" in out
    data = json.loads(ok("cell", "squid-axon", "--json"))
    assert data["name"] == "squid-axon"
    assert data["v_rest_ghk"] == pytest.approx(VT_20 * math.log(73.4 / 645), abs=1e-6)
    assert data["v_measured"] == -63.0


def test_cell_from_toml_file_json(cell_file):
    data = json.loads(ok("cell", str(cell_file), "--json"))
    same = nernst.ghk_voltage(
        {"K+": 1.0, "Na+": 0.04, "Cl-": 0.45},
        c_in={"K+": 140.0, "Na+": 10.0, "Cl-": 10.0},
        c_out={"K+": 5.0, "Na+": 145.0, "Cl-": 110.0},
        celsius=20.0,
    )
    assert data["v_rest_ghk"] == pytest.approx(same, rel=1e-12)
    # Independently: 25.2617 mV x ln(15.3/189.9) = 25.2617 x (-2.518644) = -63.63 mV.
    assert data["v_rest_ghk"] == pytest.approx(VT_20 * math.log(15.3 / 189.9), abs=1e-6)
    assert data["name"] == "my_neuron"
    assert data["title"] == "Test neuron at room temperature"
    assert data["celsius"] == 20.0
    assert data["v_measured"] == -70.0
    assert data["v_m"] == -70.0  # the measured potential drives the report
    assert [row["ion"] for row in data["ions"]] == ["K+", "Na+", "Cl-"]


def test_cell_from_toml_file_text(cell_file):
    out = ok("cell", str(cell_file))
    assert "Test neuron at room temperature" in out
    assert "-63.6" in out  # 25.2617 x ln(15.3/189.9)


def test_cell_from_toml_single_named_cell_table(tmp_path):
    path = tmp_path / "named.toml"
    path.write_text(
        "[cell.frog-like]\n"
        "celsius = 37.0\n"
        'inside = { "K+" = 140.0, "Na+" = 10.0, "Cl-" = 10.0 }\n'
        'outside = { "K+" = 5.0, "Na+" = 145.0, "Cl-" = 110.0 }\n'
        'permeability = { "K+" = 1.0, "Na+" = 0.04, "Cl-" = 0.45 }\n',
        encoding="utf-8",
    )
    data = json.loads(ok("cell", str(path), "--json"))
    assert data["name"] == "frog-like"
    assert data["v_rest_ghk"] == pytest.approx(SEED_V, abs=1e-6)  # -67.31 mV, seed numbers


# -- presets, ions, version, help ----------------------------------------------------------
def test_presets_text_lists_every_preset():
    out = ok("presets")
    for key in nernst.presets():
        assert key in out
    assert "(default)" in out


def test_presets_json():
    data = json.loads(ok("presets", "--json"))
    assert set(data) == set(nernst.presets())
    assert data["mammalian-neuron"]["default"] is True
    assert sum(info["default"] for info in data.values()) == 1
    for info in data.values():
        assert {"title", "celsius", "sources"} <= set(info)


def test_ions_text_lists_at_least_40():
    out = ok("ions")
    count = number_after(r"^", out)  # heading: "60 ions (...)", then one line per ion
    assert count >= 40
    for symbol in ("K+", "Na+", "Cl-", "Ca2+", "Mg2+", "H+"):
        assert symbol in out


def test_ions_json_rows():
    rows = json.loads(ok("ions", "--json"))
    assert len(rows) >= 40
    for row in rows:
        assert {"symbol", "charge", "sources"} <= set(row)
        assert isinstance(row["charge"], int) and row["charge"] != 0
    assert len({row["symbol"] for row in rows}) == len(rows)
    charges = {row["symbol"]: row["charge"] for row in rows}
    assert charges["K+"] == 1
    assert charges["Na+"] == 1
    assert charges["Cl-"] == -1
    assert charges["Ca2+"] == 2


def test_version():
    assert ok("--version").strip() == f"nernst {version('nernst')}"


def test_help_lists_the_commands():
    out = ok("--help")
    for command in ("potential", "ghk", "cell", "presets", "ions"):
        assert command in out
    assert "--version" in out


@pytest.mark.parametrize("command", ["potential", "ghk", "cell", "presets", "ions"])
def test_each_command_has_help(command):
    assert "Usage" in ok(command, "--help")


# -- bad input: exit 2, one line "error: ...", no traceback ----------------------------------
def test_unknown_ion_suggests_the_right_one():
    bad("potential", "Kx", "--in", "140", "--out", "5", needles=("Kx", "'K+'"))


@pytest.mark.parametrize(
    ("c_in", "needle"),
    [("-1", "--in -1"), ("0", "--in 0"), ("nan", "--in nan")],
    ids=["negative", "zero", "nan"],
)
def test_non_positive_or_nan_concentration(c_in, needle):
    # The API's "c_in=-1" is spelled as the option the user typed.
    line = bad("potential", "K+", "--in", c_in, "--out", "5", needles=(needle,))
    assert "c_in" not in line
    assert "positive" in line


def test_zero_valence():
    bad("potential", "0", "--in", "1", "--out", "2", needles=("z=0",))


def test_kelvin_passed_as_celsius():
    # 310 K - 273.15 = 36.85 degC: the message suggests it.
    bad("potential", "K+", "--in", "140", "--out", "5", "--celsius", "310", needles=("36.85",))


def test_malformed_toml_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('title = "unterminated\n', encoding="utf-8")
    bad("cell", str(path), needles=("broken.toml", "TOML"))


def test_toml_file_without_outside(tmp_path):
    path = tmp_path / "half.toml"
    path.write_text('[inside]\n"K+" = 140.0\n\n[permeability]\n"K+" = 1.0\n', encoding="utf-8")
    bad("cell", str(path), needles=("[outside]",))


def test_toml_file_ion_on_one_side_only(tmp_path):
    path = tmp_path / "lopsided.toml"
    path.write_text(
        '[inside]\n"K+" = 140.0\n"Na+" = 10.0\n\n[outside]\n"K+" = 5.0\n\n'
        '[permeability]\n"K+" = 1.0\n',
        encoding="utf-8",
    )
    bad("cell", str(path), needles=("Na+", "inside", "outside"))


def test_unknown_preset_lists_the_presets():
    line = bad("cell", "no-such-cell", needles=("no-such-cell",))
    for key in nernst.presets():
        assert key in line


def test_ghk_malformed_pairs():
    bad(
        "ghk",
        "--in",
        "K+140",
        "--out",
        "K+=5",
        "--perm",
        "K+=1",
        needles=("--in", "K+140", "ION=VALUE"),
    )


def test_ghk_non_numeric_value():
    bad("ghk", "--in", "K+=abc", "--out", "K+=5", "--perm", "K+=1", needles=("--in", "abc"))


def test_ghk_all_permeabilities_zero():
    bad(
        "ghk",
        "--in",
        SEED_IN,
        "--out",
        SEED_OUT,
        "--perm",
        "K+=0,Na+=0,Cl-=0",
        needles=("permeabilit", "zero"),
    )


def test_ghk_permeant_ion_missing_from_out():
    bad(
        "ghk",
        "--in",
        "K+=140,Na+=10",
        "--out",
        "K+=5",
        "--perm",
        "K+=1,Na+=0.04",
        needles=("Na+", "out"),
    )
