"""The bad-input catalogue: every input a careless or hostile user gives gets a clear answer.

One row per input, across the command line (run in-process through the real entry point,
``nernst.cli.main``), input files (:mod:`nernst.files`) and the public API. Each row states
the outcome class and the words the message must contain (the culprit: the option, file,
key or ion, and what would be right):

- ``error``: exit status 2, nothing on stdout, exactly one line ``error: ...`` on stderr;
- ``env``: exit status 1 (an environment problem: an optional extra missing), one line;
- ``ok``: exit status 0 (stdout, if JSON, is strictly valid JSON: no NaN/Infinity);
- ``raises``: the function raises ``ValueError`` (``InputFileError``/``OutputFileError``
  included) whose message contains the needles;
- ``value``: the function returns normally.

Every example of the hardening issue is a row (marked ``# issue``). The catalogue's size and
outcome counts are printed by ``test_catalogue_size`` (run with ``-s``).
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nernst
from nernst import files
from nernst.cli import main

# -- the files the rows refer to (written once per module into a temporary folder) ----------
CELL = (
    'title = "test neuron"\ncelsius = 37\n[inside]\n"K+" = 140\n"Na+" = 10\n[outside]\n'
    '"K+" = 5\n"Na+" = 145\n[permeability]\n"K+" = 1\n"Na+" = 0.04\n'
)


def _cell(**replace: str) -> str:
    text = CELL
    for old, new in replace.items():
        text = text.replace(old.replace("_", " "), new)
    return text


TEXT_FILES: dict[str, str] = {
    "ok.toml": CELL,
    "deep-arrays.toml": "x = " + "[" * 5000 + "]" * 5000 + "\n" + CELL,  # issue
    "deep-tables.toml": "x = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n" + CELL,
    "deep-20.toml": "x = " + "[" * 20 + "1" + "]" * 20 + "\n" + CELL,
    "string-vm.toml": 'v_measured_mV = "abc"\n' + CELL,  # issue
    "date-celsius.toml": CELL.replace("celsius = 37", "celsius = 1979-05-27"),  # issue
    "bool-celsius.toml": CELL.replace("celsius = 37", "celsius = true"),  # issue
    "bool-conc.toml": CELL.replace('"K+" = 140', '"K+" = true'),  # issue
    "string-conc.toml": CELL.replace('"K+" = 140', '"K+" = "140"'),
    "array-conc.toml": CELL.replace('"K+" = 140', '"K+" = [140]'),
    "time-celsius.toml": CELL.replace("celsius = 37", "celsius = 07:32:00"),
    "alias-twice.toml": CELL.replace('"Na+" = 10', '"potassium" = 10'),
    "typo-key.toml": CELL.replace("celsius = 37", "celcius = 37"),
    "typo-section.toml": CELL.replace("[permeability]", "[permeabilty]"),
    "kelvin.toml": CELL.replace("celsius = 37", "celsius = 310"),
    "dup-key.toml": CELL + '"K+" = 3\n',
    "no-outside.toml": CELL.split("[outside]")[0],
    "inside-only-ion.toml": CELL.replace('"Na+" = 10', '"Na+" = 10\n"Cl-" = 10'),
    "bad-syntax.toml": "celsius = = 37\n" + CELL.replace("celsius = 37\n", ""),
    "perm-unknown.toml": CELL + '"Cl-" = 0.45\n',
    "unknown-ion.toml": CELL.replace('"Na+" = 10', '"Kx" = 10'),
    "title-number.toml": CELL.replace('title = "test neuron"', "title = 5"),
    "two-cells.toml": "[cell.a]\n[cell.b]\n",
    "negative.toml": CELL.replace('"K+" = 140', '"K+" = -140'),
    "inf-conc.toml": CELL.replace('"K+" = 140', '"K+" = inf'),
    "huge-conc.toml": CELL.replace('"K+" = 140', '"K+" = 1e8'),
    "activity-typo.toml": CELL.replace("celsius = 37", 'celsius = 37\nactivity = "davis"'),
    "sol-ok.toml": 'title = "pip"\n[salts]\nKCl = 140\nNaCl = 10\n',
    "sol-bool.toml": "[salts]\nKCl = true\n",
    "sol-string.toml": '[salts]\nKCl = "140"\n',
    "sol-alias.toml": '[ions]\n"K+" = 140\npotassium = 10\n"Cl-" = 150\n',
    "sol-typo.toml": '[ion]\n"K+" = 140\n',
    "sol-empty.toml": 'title = "nothing"\n',
    "fit-dup.csv": "K+_in,K+_out,K_in,Na+_in,Na+_out,v_rev\n140,5,140,10,145,-60\n"
    "140,10,140,10,145,-50\n140,20,140,10,145,-40\n",  # issue
    "fit-no-vrev.csv": "K+_in,K+_out,Na+_in,Na+_out\n140,5,10,145\n",
    "fit-text.csv": "K+_in,K+_out,Na+_in,Na+_out,v_rev\n140,5,10,145,abc\n",
    "fit-header-only.csv": "K+_in,K+_out,Na+_in,Na+_out,v_rev\n",
    "fit-two-vrev.csv": "K+_in,K+_out,Na+_in,Na+_out,v_rev,vrev\n140,5,10,145,-60,-60\n",
    "fit-same-col.csv": "K+_in,K+_out,K+_out,Na+_in,Na+_out,v_rev\n140,5,5,10,145,-60\n",
}
BYTE_FILES: dict[str, bytes] = {
    "bom.toml": b"\xef\xbb\xbf" + CELL.encode(),  # issue: a BOM is fine
    "latin1.toml": (
        'title = "temp\u00e9rature"\n' + CELL.replace('title = "test neuron"\n', "")
    ).encode("latin-1"),  # issue
    "cp1252.toml": b'title = "\x93quoted\x94"\n'
    + CELL.replace('title = "test neuron"\n', "").encode(),
    "utf16.toml": CELL.encode("utf-16"),
    "utf16-nobom.toml": CELL.encode("utf-16-le"),
    "utf32.toml": CELL.encode("utf-32"),
    "binary.toml": bytes(range(256)) * 4,
    "latin1.csv": "K+_in,K+_out,Na+_in,Na+_out,v_rev # \u00e9\n140,5,10,145,-60\n".encode(
        "latin-1"
    ),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("bad-input")
    for name, text in TEXT_FILES.items():
        (d / name).write_text(text, encoding="utf-8")
    for name, data in BYTE_FILES.items():
        (d / name).write_bytes(data)
    (d / "big.toml").write_text("# " + "x" * (files.MAX_FILE_BYTES + 10) + "\n" + CELL)
    (d / "folder.toml").mkdir()
    (d / "existing.csv").write_text("keep me\n")
    (d / "a-folder").mkdir()
    store = d / "store.zarr"
    store.mkdir()
    (store / "zarr.json").write_text("{}")
    (d / "not-a-store.zarr").mkdir()
    (d / "not-a-store.zarr" / "precious.txt").write_text("precious\n")
    return d


# -- running the command line ----------------------------------------------------------------
def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``nernst ARGV`` in-process through the entry point; (status, stdout, stderr)."""
    capsys.readouterr()
    try:
        main(argv)
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    out, err = capsys.readouterr()
    return code, out, err


def check_cli(outcome: str, argv: list[str], needles: tuple[str, ...], capsys: Any) -> str:
    code, out, err = run(argv, capsys)
    where = f"nernst {' '.join(argv)} -> {code}\nstdout: {out[:500]}\nstderr: {err[:2000]}"
    assert "Traceback" not in out + err, where
    if outcome == "ok":
        assert code == 0, where
        if "--json" in argv:
            json.loads(out, parse_constant=lambda word: pytest.fail(f"{word} in JSON: {where}"))
        for needle in needles:
            assert needle in out + err, f"{needle!r} not in the output: {where}"
        return out
    assert code == {"error": 2, "env": 1}[outcome], where
    assert out == "", where
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), where
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"
    return lines[0]


SEED = ("--in", "K+=140,Na+=10,Cl-=10", "--out", "K+=5,Na+=145,Cl-=110")
PERM = ("--perm", "K+=1,Na+=0.04,Cl-=0.45")

# (id, outcome, argv with {d} for the folder, needles)
CLI_ROWS: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = [
    # potential
    (
        "potential-unknown-ion",
        "error",
        ("potential", "Kx", "--in", "1", "--out", "2"),
        ("Kx", "K+"),
    ),
    ("potential-z0", "error", ("potential", "0", "--in", "1", "--out", "2"), ("z",)),
    (
        "potential-negative",
        "error",
        ("potential", "K+", "--in", "-1", "--out", "5"),
        ("--in -1", "positive"),
    ),
    ("potential-zero", "error", ("potential", "K+", "--in", "0", "--out", "5"), ("--in 0",)),
    ("potential-nan", "error", ("potential", "K+", "--in", "nan", "--out", "5"), ("--in nan",)),
    ("potential-inf", "error", ("potential", "K+", "--in", "inf", "--out", "5"), ("--in",)),
    ("potential-1e400", "error", ("potential", "K+", "--in", "1e400", "--out", "5"), ("--in",)),
    (
        "potential-kelvin",
        "error",
        ("potential", "K+", "--in", "140", "--out", "5", "--celsius", "310"),
        ("--celsius 36.85",),
    ),  # issue
    (
        "potential-below-zero",
        "error",
        ("potential", "K+", "--in", "140", "--out", "5", "-t", "-300"),
        ("-300", "absolute zero"),
    ),
    (
        "potential-celsius-nan",
        "error",
        ("potential", "K+", "--in", "140", "--out", "5", "-t", "nan"),
        ("--celsius", "finite"),
    ),
    (
        "potential-text",
        "error",
        ("potential", "K+", "--in", "abc", "--out", "5"),
        ("--in", "number"),
    ),
    (
        "potential-missing-in",
        "error",
        ("potential", "K+", "--out", "5"),
        ("--in", "nernst potential --help"),
    ),
    ("potential-missing-ion", "error", ("potential",), ("ion",)),
    (
        "potential-extra-option",
        "error",
        ("potential", "K+", "--in", "1", "--out", "2", "--bogus", "3"),
        ("--bogus",),
    ),
    (
        "potential-gamma-zero",
        "error",
        ("potential", "K+", "--in", "140", "--out", "5", "--gamma-in", "0"),
        ("--gamma-in 0",),
    ),
    (
        "potential-gamma-negative",
        "error",
        ("potential", "K+", "--in", "140", "--out", "5", "--gamma-out", "-1"),
        ("--gamma-out -1",),
    ),
    (
        "potential-ok-json",
        "ok",
        ("potential", "K+", "--in", "140", "--out", "5", "--json"),
        ("-89.0",),
    ),
    # ghk
    (
        "ghk-dup-key",
        "error",
        ("ghk", "--in", "K+=140,K+=100", "--out", "K+=5", "--perm", "K+=1"),
        ("--in", "K+", "twice"),
    ),  # issue
    (
        "ghk-dup-alias",
        "error",
        ("ghk", "--in", "K+=140,potassium=100", "--out", "K+=5", "--perm", "K+=1"),
        ("--in", "potassium", "same ion"),
    ),
    ("ghk-dup-perm", "error", ("ghk", *SEED, "--perm", "K+=1,K=2"), ("--perm", "twice")),
    (
        "ghk-dup-out",
        "error",
        ("ghk", "--in", "K+=140", "--out", "K+=5,K+=6", "--perm", "K+=1"),
        ("--out", "twice"),
    ),
    (
        "ghk-no-equals",
        "error",
        ("ghk", "--in", "K+140", "--out", "K+=5", "--perm", "K+=1"),
        ("--in", "ION=VALUE", "K+140"),
    ),
    (
        "ghk-empty-name",
        "error",
        ("ghk", "--in", "=140", "--out", "K+=5", "--perm", "K+=1"),
        ("--in", "ION=VALUE"),
    ),
    (
        "ghk-text-value",
        "error",
        ("ghk", "--in", "K+=abc", "--out", "K+=5", "--perm", "K+=1"),
        ("--in", "K+", "'abc'", "not a number"),
    ),
    (
        "ghk-empty",
        "error",
        ("ghk", "--in", ",", "--out", "K+=5", "--perm", "K+=1"),
        ("--in", "at least one"),
    ),
    ("ghk-all-zero-perm", "error", ("ghk", *SEED, "--perm", "K+=0,Na+=0,Cl-=0"), ("perm",)),
    (
        "ghk-negative-perm",
        "error",
        ("ghk", *SEED, "--perm", "K+=-1,Na+=0.04,Cl-=0.45"),
        ("--perm K+=-1",),
    ),
    (
        "ghk-unknown-ion",
        "error",
        ("ghk", "--in", "Kx=140", "--out", "Kx=5", "--perm", "Kx=1"),
        ("Kx",),
    ),
    (
        "ghk-negative-conc",
        "error",
        ("ghk", "--in", "K+=-140", "--out", "K+=5", "--perm", "K+=1"),
        ("--in K+=-140",),
    ),
    ("ghk-kelvin", "error", ("ghk", *SEED, *PERM, "--celsius", "300"), ("--celsius 26.85",)),
    (
        "ghk-overflow",
        "error",
        (
            "ghk",
            "--in",
            "K+=1e-200,La3+=1e-200",
            "--out",
            "K+=1e200,La3+=1e200",
            "--perm",
            "K+=1,La3+=1",
        ),
        ("--in/--out/--perm", "1e-9 .. 1e4 mM"),
    ),  # issue
    ("ghk-ok-json", "ok", ("ghk", *SEED, *PERM, "--json"), ("-67.3",)),
    # cell: presets and files
    ("cell-unknown-preset", "error", ("cell", "squid"), ("squid", "presets")),
    ("cell-missing-file", "error", ("cell", "{d}/nope.toml"), ("nope.toml", "does not exist")),
    ("cell-folder", "error", ("cell", "{d}/folder.toml"), ("folder.toml", "folder")),
    (
        "cell-deep-arrays",
        "error",
        ("cell", "{d}/deep-arrays.toml"),
        ("deep-arrays.toml", "deep", "16"),
    ),  # issue
    ("cell-deep-tables", "error", ("cell", "{d}/deep-tables.toml"), ("deep-tables.toml", "deep")),
    ("cell-deep-20", "error", ("cell", "{d}/deep-20.toml"), ("deep-20.toml", "20 levels", "16")),
    (
        "cell-string-vm",
        "error",
        ("cell", "{d}/string-vm.toml"),
        ("string-vm.toml", "v_measured_mV", '"abc"', "string", "number"),
    ),  # issue
    (
        "cell-date-celsius",
        "error",
        ("cell", "{d}/date-celsius.toml"),
        ("celsius = 1979-05-27", "a date", "celsius = 37"),
    ),  # issue
    ("cell-time-celsius", "error", ("cell", "{d}/time-celsius.toml"), ("celsius", "time of day")),
    (
        "cell-bool-celsius",
        "error",
        ("cell", "{d}/bool-celsius.toml"),
        ("celsius = true", "boolean"),
    ),  # issue
    (
        "cell-bool-conc",
        "error",
        ("cell", "{d}/bool-conc.toml"),
        ("[inside].K+ = true", "boolean", "mM"),
    ),  # issue
    ("cell-string-conc", "error", ("cell", "{d}/string-conc.toml"), ("K+", '"140"', "string")),
    ("cell-array-conc", "error", ("cell", "{d}/array-conc.toml"), ("K+", "array")),
    ("cell-bom", "ok", ("cell", "{d}/bom.toml", "--json"), ("v_rest_ghk",)),  # issue
    (
        "cell-latin1",
        "error",
        ("cell", "{d}/latin1.toml"),
        ("latin1.toml", "not UTF-8", "Latin-1", "line 1"),
    ),  # issue
    ("cell-cp1252", "error", ("cell", "{d}/cp1252.toml"), ("cp1252.toml", "Windows-1252")),
    (
        "cell-utf16",
        "error",
        ("cell", "{d}/utf16.toml"),
        ("utf16.toml", "UTF-16", "save it as UTF-8"),
    ),
    ("cell-utf16-nobom", "error", ("cell", "{d}/utf16-nobom.toml"), ("UTF-16",)),
    ("cell-utf32", "error", ("cell", "{d}/utf32.toml"), ("UTF-32",)),
    ("cell-binary", "error", ("cell", "{d}/binary.toml"), ("binary",)),
    ("cell-big", "error", ("cell", "{d}/big.toml"), ("big.toml", "limit", "NERNST_MAX_FILE_BYTES")),
    (
        "cell-alias-twice",
        "error",
        ("cell", "{d}/alias-twice.toml"),
        ("[inside]", "K+ twice", "potassium"),
    ),  # issue
    (
        "cell-typo-key",
        "error",
        ("cell", "{d}/typo-key.toml"),
        ("celcius", "did you mean 'celsius'"),
    ),
    (
        "cell-typo-section",
        "error",
        ("cell", "{d}/typo-section.toml"),
        ("permeabilty", "did you mean 'permeability'"),
    ),
    (
        "cell-kelvin",
        "error",
        ("cell", "{d}/kelvin.toml"),
        ("kelvin.toml", "celsius = 310", "celsius = 36.85"),
    ),
    ("cell-dup-key", "error", ("cell", "{d}/dup-key.toml"), ("dup-key.toml", "twice", "line 12")),
    ("cell-no-outside", "error", ("cell", "{d}/no-outside.toml"), ("[outside]",)),
    ("cell-inside-only-ion", "error", ("cell", "{d}/inside-only-ion.toml"), ("Cl-", "both sides")),
    ("cell-bad-syntax", "error", ("cell", "{d}/bad-syntax.toml"), ("bad-syntax.toml", "TOML")),
    ("cell-perm-unknown", "error", ("cell", "{d}/perm-unknown.toml"), ("Cl-", "permeability")),
    ("cell-unknown-ion", "error", ("cell", "{d}/unknown-ion.toml"), ("Kx",)),
    ("cell-title-number", "error", ("cell", "{d}/title-number.toml"), ("title = 5 is a number",)),
    ("cell-two-cells", "error", ("cell", "{d}/two-cells.toml"), ("2 cells", "one")),
    ("cell-negative", "error", ("cell", "{d}/negative.toml"), ("K+", "-140", "positive")),
    ("cell-inf", "error", ("cell", "{d}/inf-conc.toml"), ("K+", "inf")),
    (
        "cell-activity-overflow",
        "error",
        ("cell", "{d}/huge-conc.toml", "--activity", "davies"),
        ("activity='davies'", "ionic_strength=50000 mol/L", "overflow"),
    ),  # issue
    ("cell-activity-unknown", "error", ("cell", "--activity", "davis"), ("davis", "davies")),
    ("cell-activity-in-file", "error", ("cell", "{d}/activity-typo.toml"), ("davis", "davies")),
    ("cell-ok-json", "ok", ("cell", "{d}/ok.toml", "--json"), ("v_rest_ghk",)),
    # activity
    (
        "activity-overflow",
        "error",
        ("activity", "K+", "-I", "3000"),
        ("--ionic-strength 3000", "davies"),
    ),  # issue
    ("activity-negative-I", "error", ("activity", "K+", "-I", "-1"), ("ionic", "-1")),
    (
        "activity-both",
        "error",
        ("activity", "K+", "-I", "0.1", "--solution", "K+=100"),
        ("--ionic-strength", "--solution"),
    ),
    ("activity-neither", "error", ("activity", "K+"), ("--ionic-strength", "--solution")),
    (
        "activity-unknown-model",
        "error",
        ("activity", "K+", "-I", "0.1", "-m", "davis"),
        ("davis", "davies"),
    ),
    (
        "activity-solution-alias",
        "error",
        ("activity", "--solution", "K+=100,potassium=50,Cl-=150"),
        ("--solution", "twice"),
    ),
    (
        "activity-solution-pair",
        "error",
        ("activity", "--solution", "K+100"),
        ("--solution", "ION=VALUE"),
    ),
    ("activity-z0", "error", ("activity", "0", "-I", "0.1"), ("z",)),
    ("activity-ok-json", "ok", ("activity", "K+", "-I", "0.15", "--json"), ("0.75",)),
    # donnan
    (
        "donnan-fixed-huge",
        "error",
        ("donnan", "--out", "K+=5,Na+=145,Cl-=150", "--fixed", "1e308"),
        ("--fixed 1e+308", "not finite"),
    ),  # issue
    (
        "donnan-dup-out",
        "error",
        ("donnan", "--out", "K+=5,K+=4,Cl-=10", "--fixed", "10"),
        ("--out", "twice"),
    ),  # issue
    (
        "donnan-dup-alias",
        "error",
        ("donnan", "--out", "K+=5,potassium=4,Cl-=10", "--fixed", "10"),
        ("--out", "same ion"),
    ),
    (
        "donnan-valence-zero",
        "error",
        ("donnan", "--out", "K+=5,Cl-=5", "--fixed", "10", "--valence", "0"),
        ("--valence 0",),
    ),
    (
        "donnan-permeant-empty",
        "error",
        ("donnan", "--out", "K+=5,Cl-=5", "--fixed", "10", "--permeant", ","),
        ("--permeant",),
    ),
    (
        "donnan-permeant-unknown",
        "error",
        ("donnan", "--out", "K+=5,Cl-=5", "--fixed", "10", "--permeant", "Na+"),
        ("Na+",),
    ),
    (
        "donnan-fixed-negative",
        "error",
        ("donnan", "--out", "K+=5,Cl-=5", "--fixed", "-5"),
        ("--fixed -5",),
    ),
    # perm-ratio
    (
        "perm-ratio-negative",
        "error",
        (
            "perm-ratio",
            "--vrev",
            "-20",
            "--ion",
            "Na+",
            "--ref",
            "K+",
            "--x-out",
            "-1",
            "--ref-in",
            "140",
        ),
        ("--x-out -1",),
    ),
    (
        "perm-ratio-unknown",
        "error",
        (
            "perm-ratio",
            "--vrev",
            "-20",
            "--ion",
            "Nx",
            "--ref",
            "K+",
            "--x-out",
            "145",
            "--ref-in",
            "140",
        ),
        ("Nx",),
    ),
    (
        "perm-ratio-mixed",
        "error",
        (
            "perm-ratio",
            "--vrev",
            "-20",
            "--ion",
            "Cl-",
            "--ref",
            "K+",
            "--x-out",
            "145",
            "--ref-in",
            "140",
        ),
        ("Cl-",),
    ),
    # fit
    (
        "fit-dup-alias-columns",
        "error",
        ("fit", "{d}/fit-dup.csv"),
        ("fit-dup.csv", "'K+_in'", "'K_in'", "keep one"),
    ),  # issue
    ("fit-missing", "error", ("fit", "{d}/nope.csv"), ("nope.csv", "does not exist")),
    ("fit-no-vrev", "error", ("fit", "{d}/fit-no-vrev.csv"), ("v_rev",)),
    ("fit-text", "error", ("fit", "{d}/fit-text.csv"), ("row 2", "v_rev", "'abc'")),
    ("fit-header-only", "error", ("fit", "{d}/fit-header-only.csv"), ("header row",)),
    ("fit-two-vrev", "error", ("fit", "{d}/fit-two-vrev.csv"), ("'v_rev'", "'vrev'")),
    ("fit-same-column", "error", ("fit", "{d}/fit-same-col.csv"), ("K+_out", "twice")),
    ("fit-latin1", "error", ("fit", "{d}/latin1.csv"), ("latin1.csv", "Latin-1")),
    ("fit-folder", "error", ("fit", "{d}/a-folder"), ("a-folder", "folder")),
    # ljp and solutions
    (
        "ljp-dup-salt",
        "error",
        ("ljp", "-p", "NaCl=50,NaCl=10", "-b", "KCl=50"),
        ("--pipette", "NaCl", "twice"),
    ),  # issue
    ("ljp-identical-json", "ok", ("ljp", "-p", "NaCl=50", "-b", "NaCl=50", "--json"), ()),  # issue
    ("ljp-unknown-salt", "error", ("ljp", "-p", "XyCl=50", "-b", "KCl=50"), ("Xy",)),
    (
        "ljp-unknown-preset",
        "error",
        ("ljp", "-p", "k-gluconat", "-b", "hepes-saline"),
        ("k-gluconat",),
    ),
    (
        "ljp-unknown-method",
        "error",
        ("ljp", "-p", "NaCl=50", "-b", "KCl=50", "-m", "goldman"),
        ("goldman",),
    ),
    (
        "ljp-deep-file",
        "error",
        ("ljp", "-p", "{d}/deep-arrays.toml", "-b", "hepes-saline"),
        ("--pipette", "deep"),
    ),  # issue
    (
        "ljp-latin1-file",
        "error",
        ("ljp", "-p", "{d}/latin1.toml", "-b", "hepes-saline"),
        ("--pipette", "Latin-1"),
    ),
    (
        "ljp-bool-file",
        "error",
        ("ljp", "-p", "{d}/sol-bool.toml", "-b", "hepes-saline"),
        ("--pipette", "KCl = true", "boolean"),
    ),
    (
        "ljp-string-file",
        "error",
        ("ljp", "-p", "{d}/sol-string.toml", "-b", "hepes-saline"),
        ("KCl", "string"),
    ),
    (
        "ljp-alias-file",
        "error",
        ("ljp", "-p", "{d}/sol-alias.toml", "-b", "hepes-saline"),
        ("K+", "twice"),
    ),
    (
        "ljp-typo-file",
        "error",
        ("ljp", "-p", "{d}/sol-typo.toml", "-b", "hepes-saline"),
        ("ion", "did you mean 'ions'"),
    ),
    (
        "ljp-empty-file",
        "error",
        ("ljp", "-p", "{d}/sol-empty.toml", "-b", "hepes-saline"),
        ("no ion or salt",),
    ),
    (
        "ljp-missing-file",
        "error",
        ("ljp", "-p", "{d}/nope.toml", "-b", "hepes-saline"),
        ("nope.toml",),
    ),
    (
        "ljp-file-ok",
        "ok",
        ("ljp", "-p", "{d}/sol-ok.toml", "-b", "hepes-saline", "--json"),
        ("ljp",),
    ),
    # pmf, pump, transport
    (
        "pmf-overflow",
        "error",
        ("pmf", "--delta-psi", "-160", "--delta-ph", "1e308"),
        ("--delta-psi/--delta-ph", "not finite"),
    ),
    (
        "pmf-kelvin",
        "error",
        ("pmf", "--delta-psi", "-160", "--delta-ph", "0.7", "-t", "310"),
        ("--celsius 36.85",),
    ),
    ("pmf-missing", "error", ("pmf", "--delta-psi", "-160"), ("--delta-ph",)),
    ("pump-negative", "error", ("pump", "--vm", "-70", "--na-in", "-1"), ("--na-in -1",)),
    (
        "transport-dup-alias",
        "error",
        ("transport", "--vm", "-70", "--in", "K+=1,K=2", "--out", "K+=1"),
        ("--in", "same ion"),
    ),  # issue
    ("transport-both", "error", ("transport", "plant-root-cell", "--in", "K+=1"), ("not both",)),
    ("transport-missing", "error", ("transport", "--in", "K+=1"), ("--vm", "--out")),
    ("transport-bad-file", "error", ("transport", "{d}/bool-conc.toml"), ("boolean",)),
    # simulate
    (
        "simulate-o-no-folder",
        "error",
        ("simulate", "--until", "1ms", "-o", "/nonexistent/dir/run.csv"),
        ("-o", "/nonexistent/dir", "does not exist"),
    ),  # issue
    (
        "simulate-o-folder",
        "error",
        ("simulate", "--until", "1ms", "-o", "{d}/a-folder"),
        ("-o", "a-folder", "is a folder"),
    ),  # issue
    (
        "simulate-o-folder-csv",
        "error",
        ("simulate", "--until", "1ms", "-o", "{d}"),
        ("-o",),
    ),  # issue
    (
        "simulate-plot-no-folder",
        "error",
        ("simulate", "--until", "1ms", "--plot", "/nonexistent/x.png"),
        ("--plot", "does not exist"),
    ),  # issue
    (
        "simulate-o-exists",
        "error",
        ("simulate", "--until", "1ms", "-o", "{d}/existing.csv"),
        ("existing.csv", "--force"),
    ),  # issue
    (
        "simulate-o-suffix",
        "error",
        ("simulate", "--until", "1ms", "-o", "{d}/run.txt"),
        ("-o", ".csv"),
    ),
    ("simulate-until-zero", "error", ("simulate", "--until", "0s"), ("--until",)),
    ("simulate-until-text", "error", ("simulate", "--until", "soon"), ("soon",)),
    ("simulate-bad-perturb", "error", ("simulate", "-p", "pump=banana"), ("pump=banana",)),
    (
        "simulate-radius",
        "error",
        ("simulate", "--until", "1ms", "--radius", "-1"),
        ("--radius -1",),
    ),
    ("simulate-bad-file", "error", ("simulate", "{d}/date-celsius.toml"), ("a date",)),
    # sweep
    (
        "sweep-1e12",
        "error",
        ("sweep", "--vary", "K+.out=1:100:1000000", "--vary", "Na+.out=100:150:1000000"),
        ("1e+12 points", "TB", "--max-points", "Dask"),
    ),  # issue
    (
        "sweep-1e10-axis",
        "error",
        ("sweep", "-v", "K+.out=1:100:1e10"),
        ("1e+10 points", "GB", "limit"),
    ),  # issue
    (
        "sweep-max-points",
        "error",
        ("sweep", "-v", "K+.out=1:100:100", "--max-points", "10"),
        ("100 points", "limit is 10"),
    ),
    (
        "sweep-max-points-zero",
        "error",
        ("sweep", "-v", "K+.out=1:100:10", "--max-points", "0"),
        ("--max-points 0",),
    ),
    (
        "sweep-zarr-not-store",
        "error",
        ("sweep", "-v", "K+.out=1:10:3", "-o", "{d}/not-a-store.zarr", "--force"),
        ("not a zarr store", "will not"),
    ),  # issue
    (
        "sweep-zarr-exists",
        "error",
        ("sweep", "-v", "K+.out=1:10:3", "-o", "{d}/store.zarr"),
        ("store.zarr", "--force"),
    ),  # issue
    (
        "sweep-csv-exists",
        "error",
        ("sweep", "-v", "K+.out=1:10:3", "-o", "{d}/existing.csv"),
        ("existing.csv", "--force"),
    ),  # issue
    (
        "sweep-o-no-folder",
        "error",
        ("sweep", "-v", "K+.out=1:10:3", "-o", "/nonexistent/out.csv"),
        ("does not exist",),
    ),
    ("sweep-vary-twice", "error", ("sweep", "-v", "K+.out=1:10:3", "-v", "K+.out=2,3"), ("twice",)),
    ("sweep-vary-form", "error", ("sweep", "-v", "K+.out=1:10"), ("START:STOP:NUM",)),
    ("sweep-vary-nan", "error", ("sweep", "-v", "K+.out=1:nan:3"), ("finite",)),
    ("sweep-unknown-path", "error", ("sweep", "-v", "Kx.out=1:10:3"), ("Kx",)),
    ("sweep-no-vary", "error", ("sweep",), ("--vary",)),
    (
        "sweep-plot-3d",
        "error",
        (
            "sweep",
            "-v",
            "K+.out=1,2",
            "-v",
            "Na+.out=1,2",
            "-v",
            "celsius=20,30",
            "--plot",
            "{d}/x.png",
        ),
        ("--plot", "3 dims"),
    ),
    (
        "sweep-scheduler",
        "error",
        ("sweep", "-v", "K+.out=1,2", "--scheduler", "gpu"),
        ("gpu", "threads"),
    ),
    ("sweep-bad-file", "error", ("sweep", "{d}/string-vm.toml", "-v", "K+.out=1,2"), ("string",)),
    # "error: math domain error" was the whole answer in several places (issue)
    (
        "ljp-math-domain",
        "error",
        ("ljp", "-p", "NaCl=1e-300", "-b", "KCl=1e300"),
        ("--pipette/--bath", "1e-9 .. 1e4 mM"),
    ),
    (
        "simulate-radius-overflow",
        "error",
        ("simulate", "--until", "1ms", "--radius", "1e308"),
        ("outside the range", "Numerical result out of range"),
    ),
    (
        "activity-solution-overflow",
        "error",
        ("activity", "--solution", "K+=1e308,Cl-=1e308"),
        ("outside the range",),
    ),
    (
        "transport-vm-huge",
        "error",
        ("transport", "--vm", "1e6", "--in", "K+=1", "--out", "K+=1"),
        ("--vm 1e+06",),
    ),
    (
        "perm-ratio-vrev-huge",
        "error",
        (
            "perm-ratio",
            "--vrev",
            "1e6",
            "--ion",
            "Na+",
            "--ref",
            "K+",
            "--x-out",
            "145",
            "--ref-in",
            "140",
        ),
        ("--vrev 1e+06",),
    ),
    # listings and the rest
    ("presets-unknown", "error", ("presets", "squid"), ("squid", "did you mean 'squid-axon'")),
    ("ions-unknown", "error", ("ions", "Kx"), ("Kx",)),
    ("no-such-command", "error", ("potental",), ("potental", "potential")),
    ("app-workers-zero", "error", ("app", "--workers", "0"), ("--workers 0",)),
]


@pytest.mark.parametrize(
    ("outcome", "argv", "needles"),
    [pytest.param(o, a, n, id=i) for i, o, a, n in CLI_ROWS],
)
def test_cli(outcome: str, argv: tuple[str, ...], needles: tuple[str, ...], folder: Path, capsys):
    args = [a.replace("{d}", str(folder)) for a in argv]
    check_cli(outcome, args, tuple(n.replace("{d}", str(folder)) for n in needles), capsys)


# -- environment problems: a missing optional extra is exit 1 with the install hint ----------
ENV_ROWS = [
    (
        "simulate-plot-no-matplotlib",
        "matplotlib",
        ("simulate", "--until", "1ms", "--plot", "{d}/x.png"),
        ("--plot", "matplotlib", "nernst[plot]"),
    ),  # issue
    (
        "simulate-parquet-no-pyarrow",
        "pyarrow",
        ("simulate", "--until", "1ms", "-o", "{d}/run.parquet"),
        ("pyarrow", "nernst[parquet]"),
    ),  # issue
    (
        "sweep-plot-no-matplotlib",
        "matplotlib",
        ("sweep", "-v", "K+.out=1,2", "--plot", "{d}/y.png"),
        ("matplotlib", "nernst[plot]"),
    ),
    ("sweep-no-xarray", "xarray", ("sweep", "-v", "K+.out=1,2"), ("xarray", "nernst[scale]")),
    ("app-no-dash", "dash", ("app",), ("Dash", "nernst[app]")),
]


@pytest.mark.parametrize(
    ("module", "argv", "needles"), [pytest.param(m, a, n, id=i) for i, m, a, n in ENV_ROWS]
)
def test_missing_extra(module, argv, needles, folder, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, module, None)  # as if not installed
    args = [a.replace("{d}", str(folder)) for a in argv]
    check_cli("env", args, needles, capsys)
    assert not list(folder.glob("run.parquet")) and not (folder / "x.png").exists()


# -- input files through nernst.files --------------------------------------------------------
def _loads_cell(name: str) -> Any:
    return lambda d: files.read_cell(d / name)


FILE_ROWS: list[tuple[str, str, Any, tuple[str, ...]]] = [
    ("file-decode-bom", "value", lambda d: files.decode(b"\xef\xbb\xbfa = 1"), ()),
    (
        "file-decode-utf16le-bom",
        "raises",
        lambda d: files.decode(b"\xff\xfea\x00"),
        ("UTF-16 (little-endian)",),
    ),
    (
        "file-decode-utf16be-bom",
        "raises",
        lambda d: files.decode(b"\xfe\xff\x00a"),
        ("UTF-16 (big-endian)",),
    ),
    (
        "file-decode-utf16be-nobom",
        "raises",
        lambda d: files.decode("abc = 1".encode("utf-16-be")),
        ("UTF-16 (big-endian)",),
    ),
    ("file-decode-utf32-bom", "raises", lambda d: files.decode("a".encode("utf-32")), ("UTF-32",)),
    (
        "file-decode-latin1",
        "raises",
        lambda d: files.decode("caf\u00e9".encode("latin-1"), "x"),
        ("x is not UTF-8", "Latin-1", "column 4"),
    ),
    ("file-decode-cp1252", "raises", lambda d: files.decode(b"\x93hi\x94", "y"), ("Windows-1252",)),
    (
        "file-decode-unknown-8bit",
        "raises",
        lambda d: files.decode(b"\x81\x8d\x8f\x90", "z"),
        ("not one nernst recognises",),
    ),
    (
        "file-decode-binary",
        "raises",
        lambda d: files.decode(b"\x00\x01\x02\x03\xff" * 10, "b"),
        ("binary",),
    ),
    (
        "file-read-text-missing",
        "raises",
        lambda d: files.read_text(d / "nope.txt"),
        ("nope.txt", "does not exist"),
    ),
    (
        "file-read-text-folder",
        "raises",
        lambda d: files.read_text(d / "a-folder"),
        ("a-folder", "folder"),
    ),
    (
        "file-read-text-too-big",
        "raises",
        lambda d: files.read_text(d / "ok.toml", max_bytes=10),
        ("ok.toml", "limit of 10 bytes"),
    ),
    (
        "file-toml-deep-arrays",
        "raises",
        lambda d: files.loads_toml("x = " + "[" * 3000 + "]" * 3000, "t"),
        ("t nests", "16"),
    ),
    (
        "file-toml-deep-tables",
        "raises",
        lambda d: files.loads_toml("x = " + "{a = " * 2000 + "1" + "}" * 2000, "t"),
        ("deep",),
    ),
    (
        "file-toml-depth-17",
        "raises",
        lambda d: files.loads_toml("x = " + "[" * 17 + "]" * 17, "t"),
        ("17 levels",),
    ),
    (
        "file-toml-depth-16-ok",
        "value",
        lambda d: files.loads_toml("x = " + "[" * 15 + "]" * 15, "t"),
        (),
    ),
    (
        "file-toml-dup-key",
        "raises",
        lambda d: files.loads_toml("a = 1\na = 2\n", "t"),
        ("given twice",),
    ),
    (
        "file-toml-dup-table",
        "raises",
        lambda d: files.loads_toml("[x]\n[x]\n", "t"),
        ("given twice",),
    ),
    ("file-toml-invalid", "raises", lambda d: files.loads_toml("a = \n", "t"), ("not valid TOML",)),
    (
        "file-json-dup-key",
        "raises",
        lambda d: files.loads_json('{"K+": 1, "K+": 2}', "j"),
        ("'K+'", "twice"),
    ),
    ("file-json-nan", "raises", lambda d: files.loads_json('{"a": NaN}', "j"), ("NaN",)),
    ("file-json-infinity", "raises", lambda d: files.loads_json("[Infinity]", "j"), ("Infinity",)),
    (
        "file-json-minus-infinity",
        "raises",
        lambda d: files.loads_json("[-Infinity]", "j"),
        ("-Infinity",),
    ),
    (
        "file-json-deep",
        "raises",
        lambda d: files.loads_json("[" * 100000 + "]" * 100000, "j"),
        ("deep",),
    ),
    (
        "file-json-depth-17",
        "raises",
        lambda d: files.loads_json("[" * 17 + "]" * 17, "j"),
        ("17 levels",),
    ),
    (
        "file-json-invalid",
        "raises",
        lambda d: files.loads_json("{a: 1}", "j"),
        ("not valid JSON", "line 1"),
    ),
    ("file-json-ok", "value", lambda d: files.loads_json('{"a": [1, 2.5]}', "j"), ()),
    ("file-cell-ok", "value", _loads_cell("ok.toml"), ()),
    ("file-cell-bom-ok", "value", _loads_cell("bom.toml"), ()),
    (
        "file-cell-string-number",
        "raises",
        _loads_cell("string-vm.toml"),
        ("v_measured_mV", "string"),
    ),
    ("file-cell-date", "raises", _loads_cell("date-celsius.toml"), ("a date",)),
    (
        "file-cell-datetime",
        "raises",
        lambda d: files.loads_cell(
            "celsius = 1979-05-27T07:32:00Z\n[inside]\nK = 1\n[outside]\nK = 1\n"
        ),
        ("date and time",),
    ),
    ("file-cell-bool", "raises", _loads_cell("bool-celsius.toml"), ("boolean",)),
    (
        "file-cell-bool-false",
        "raises",
        lambda d: files.loads_cell("[inside]\nK = false\n[outside]\nK = 1\n", "f"),
        ("false", "boolean"),
    ),
    (
        "file-cell-inside-not-table",
        "raises",
        lambda d: files.loads_cell("inside = 5\n[outside]\nK = 1\n", "f"),
        ("inside", "table"),
    ),
    ("file-cell-alias-dup", "raises", _loads_cell("alias-twice.toml"), ("potassium", "same ion")),
    (
        "file-cell-aliases-K-and-Kplus",
        "raises",
        lambda d: files.loads_cell('[inside]\nK = 1\n"K+" = 2\n[outside]\nK = 1\n', "f"),
        ("K+ twice",),
    ),
    ("file-cell-unknown-key", "raises", _loads_cell("typo-key.toml"), ("did you mean 'celsius'",)),
    (
        "file-cell-unknown-key-case",
        "raises",
        lambda d: files.loads_cell("Celsius = 37\n[inside]\nK = 1\n[outside]\nK = 1\n", "f"),
        ("did you mean 'celsius'",),
    ),
    (
        "file-cell-unknown-key-vm",
        "raises",
        lambda d: files.loads_cell("v_measured = -70\n[inside]\nK = 1\n[outside]\nK = 1\n", "f"),
        ("did you mean 'v_measured_mV'",),
    ),
    (
        "file-cell-missing-inside",
        "raises",
        lambda d: files.loads_cell("[outside]\nK = 1\n", "f"),
        ("[inside]",),
    ),
    ("file-cell-two-cells", "raises", _loads_cell("two-cells.toml"), ("2 cells",)),
    (
        "file-cell-wrapper-ok",
        "value",
        lambda d: files.loads_cell(
            "[cell.x]\n[cell.x.inside]\nK = 1\n[cell.x.outside]\nK = 2\n", "w"
        ),
        (),
    ),
    (
        "file-cell-sources-number",
        "raises",
        lambda d: files.loads_cell("sources = 5\n[inside]\nK = 1\n[outside]\nK = 1\n", "f"),
        ("sources", "text"),
    ),
    (
        "file-cell-sources-table-number",
        "raises",
        lambda d: files.loads_cell("[sources]\na = 5\n[inside]\nK = 1\n[outside]\nK = 1\n", "f"),
        ("sources.a",),
    ),
    ("file-cell-unknown-ion", "raises", _loads_cell("unknown-ion.toml"), ("Kx",)),
    (
        "file-cell-not-a-table",
        "raises",
        lambda d: files.cell_fields([1, 2], "l"),
        ("must be a table",),
    ),
    ("file-solution-ok", "value", lambda d: files.read_solution(d / "sol-ok.toml"), ()),
    (
        "file-solution-bool",
        "raises",
        lambda d: files.read_solution(d / "sol-bool.toml"),
        ("boolean",),
    ),
    (
        "file-solution-string",
        "raises",
        lambda d: files.read_solution(d / "sol-string.toml"),
        ("string",),
    ),
    (
        "file-solution-alias",
        "raises",
        lambda d: files.read_solution(d / "sol-alias.toml"),
        ("K+", "twice", "potassium"),
    ),
    (
        "file-solution-typo-table",
        "raises",
        lambda d: files.read_solution(d / "sol-typo.toml"),
        ("did you mean 'ions'",),
    ),
    (
        "file-solution-empty",
        "raises",
        lambda d: files.read_solution(d / "sol-empty.toml"),
        ("no ion or salt",),
    ),
    (
        "file-solution-title-number",
        "raises",
        lambda d: files.loads_solution("title = 3\nKCl = 1\n", "s"),
        ("title", "text"),
    ),
    ("file-csv-latin1", "raises", lambda d: files.read_csv(d / "latin1.csv"), ("Latin-1",)),
    (
        "file-strict-number-date",
        "raises",
        lambda d: files.strict_number(__import__("datetime").date(2020, 1, 1), "x"),
        ("x = 2020-01-01", "a date"),
    ),
    ("file-strict-number-none", "raises", lambda d: files.strict_number(None, "x"), ("null",)),
    ("file-strict-number-int", "value", lambda d: files.strict_number(3, "x"), ()),
    (
        "file-output-folder",
        "raises",
        lambda d: files.check_output(d / "a-folder", "-o"),
        ("a-folder", "is a folder"),
    ),
    (
        "file-output-not-a-store",
        "raises",
        lambda d: files.check_output(d / "not-a-store.zarr", "-o", force=True),
        ("not a zarr store",),
    ),
    (
        "file-output-store-no-force",
        "raises",
        lambda d: files.check_output(d / "store.zarr", "-o"),
        ("--force",),
    ),
    (
        "file-output-store-force",
        "value",
        lambda d: files.check_output(d / "store.zarr", "-o", force=True),
        (),
    ),
    (
        "file-output-exists",
        "raises",
        lambda d: files.check_output(d / "existing.csv", "-o"),
        ("already exists", "--force"),
    ),
    (
        "file-output-exists-force",
        "value",
        lambda d: files.check_output(d / "existing.csv", "-o", force=True),
        (),
    ),
    (
        "file-output-file-as-zarr",
        "raises",
        lambda d: files.check_output(d / "existing.csv" / "x.zarr", "-o"),
        ("is not a folder",),
    ),
    (
        "file-output-no-parent",
        "raises",
        lambda d: files.check_output(d / "nope" / "x.csv", "--plot"),
        ("--plot", "does not exist", "mkdir -p"),
    ),
]


@pytest.mark.parametrize(
    ("outcome", "call", "needles"), [pytest.param(o, c, n, id=i) for i, o, c, n in FILE_ROWS]
)
def test_file(outcome, call, needles, folder):
    if outcome == "value":
        call(folder)
        return
    with pytest.raises(ValueError) as info:
        call(folder)
    message = str(info.value)
    for needle in needles:
        assert needle in message, f"{needle!r} not in {message!r}"


# -- the public API: behaviour that holds today ----------------------------------------------
API_ROWS: list[tuple[str, str, Any, tuple[str, ...]]] = [
    ("api-eq-z0", "raises", lambda: nernst.equilibrium_potential(0, c_in=1, c_out=2), ("z",)),
    (
        "api-eq-negative",
        "raises",
        lambda: nernst.equilibrium_potential("K+", c_in=-1, c_out=5),
        ("c_in", "-1"),
    ),
    (
        "api-eq-nan",
        "raises",
        lambda: nernst.equilibrium_potential("K+", c_in=math.nan, c_out=5),
        ("c_in",),
    ),
    (
        "api-eq-kelvin",
        "raises",
        lambda: nernst.equilibrium_potential("K+", c_in=140, c_out=5, celsius=310),
        ("310", "273.15"),
    ),
    (
        "api-eq-unknown-ion",
        "raises",
        lambda: nernst.equilibrium_potential("Kx", c_in=140, c_out=5),
        ("Kx", "K+"),
    ),
    (
        "api-eq-complex",
        "raises",
        lambda: nernst.equilibrium_potential("K+", c_in=140 + 1j, c_out=5),
        ("c_in",),
    ),
    (
        "api-eq-inf-celsius",
        "raises",
        lambda: nernst.equilibrium_potential("K+", c_in=140, c_out=5, celsius=math.inf),
        ("celsius",),
    ),
    (
        "api-ghk-all-zero",
        "raises",
        lambda: nernst.ghk_voltage({"K+": 0}, c_in={"K+": 1}, c_out={"K+": 2}),
        ("perm",),
    ),
    (
        "api-ghk-missing-ion",
        "raises",
        lambda: nernst.ghk_voltage({"K+": 1}, c_in={"Na+": 1}, c_out={"K+": 2}),
        ("K+",),
    ),
    (
        "api-cell-unknown-key",
        "raises",
        lambda: nernst.Cell.from_dict({"inside": {"K+": 1}, "outside": {"K+": 1}, "x": 1}),
        ("x",),
    ),
    (
        "api-cell-one-side",
        "raises",
        lambda: nernst.Cell(inside={"K+": 1, "Na+": 1}, outside={"K+": 1}),
        ("Na+", "both sides"),
    ),
    (
        "api-cell-dup-alias",
        "raises",
        lambda: nernst.Cell(inside={"K+": 1, "potassium": 1}, outside={"K+": 1}),
        ("K+ twice",),
    ),
    ("api-preset-unknown", "raises", lambda: nernst.Cell.preset("nope"), ("nope", "presets")),
    (
        "api-activity-model",
        "raises",
        lambda: nernst.activity_coefficient("K+", ionic_strength=0.1, model="davis"),
        ("davis",),
    ),
    (
        "api-ljp-dup-alias",
        "raises",
        lambda: nernst.liquid_junction_potential(
            {"K+": 145, "potassium": 10, "Cl-": 155}, "hepes-saline"
        ),
        ("K+", "twice"),
    ),
    (
        "api-donnan-dup-alias",
        "raises",
        lambda: nernst.donnan_equilibrium(
            {"K+": 5, "potassium": 5, "Cl-": 10}, fixed_charge_mM=10, fixed_valence=-1
        ),
        ("twice",),
    ),
    (
        "api-sweep-too-large",
        "raises",
        lambda: nernst.sweep("mammalian-neuron", {"K+.out": [1.0, 2.0, 3.0]}, max_points=2),
        ("3 points", "limit is 2"),
    ),
    (
        "api-sweep-max-points-bool",
        "raises",
        lambda: nernst.sweep("mammalian-neuron", {"K+.out": [1.0]}, max_points=True),
        ("max_points",),
    ),
    (
        "api-sweep-estimate",
        "value",
        lambda: __import__("nernst.sweeps").sweeps.estimate_sweep((10, 10), ions=4),
        (),
    ),
    (
        "api-check-sweep-size-env",
        "raises",
        lambda: __import__("nernst.sweeps").sweeps.check_sweep_size(
            __import__("nernst.sweeps").sweeps.estimate_sweep((10, 10), ions=4), max_points=50
        ),
        ("100 points",),
    ),
]


@pytest.mark.parametrize(
    ("outcome", "call", "needles"), [pytest.param(o, c, n, id=i) for i, o, c, n in API_ROWS]
)
def test_api(outcome, call, needles):
    if outcome == "value":
        call()
        return
    with pytest.raises(ValueError) as info:
        call()
    message = str(info.value)
    for needle in needles:
        assert needle in message, f"{needle!r} not in {message!r}"


# -- rows that need more than one assertion --------------------------------------------------
def test_sweep_refusal_builds_nothing(capsys, monkeypatch):
    # issue: a 1e12-point sweep grew past 9 GB; now it is refused from the sizes alone, with
    # the estimate, before any axis is built (how fast: benchmarks/cli_refusal.py).
    import numpy as np

    import nernst.sweeps

    def built(*args, **kwargs):
        raise AssertionError("an axis or the grid was built")

    monkeypatch.setattr(np, "linspace", built)
    monkeypatch.setattr(np, "geomspace", built)
    monkeypatch.setattr(nernst.sweeps, "sweep", built)
    line = check_cli(
        "error",
        ["sweep", "--vary", "K+.out=1:100:1000000", "--vary", "Na+.out=log:100:150:1000000"],
        ("1e+12 points",),
        capsys,
    )
    assert "memory" in line and "core" in line and "40 TB" in line


def test_existing_folder_survives_sweep_o(folder, capsys):
    # issue: `nernst sweep -o X.zarr` on an existing folder deleted everything in it.
    target = folder / "not-a-store.zarr"
    check_cli("error", ["sweep", "-v", "K+.out=1,2", "-o", str(target), "--force"], (), capsys)
    assert (target / "precious.txt").read_text() == "precious\n"
    assert sorted(p.name for p in target.iterdir()) == ["precious.txt"]


def test_force_replaces_a_zarr_store_and_a_csv(tmp_path, capsys):
    pytest.importorskip("zarr")
    store = tmp_path / "grid.zarr"
    check_cli("ok", ["sweep", "-v", "K+.out=1,2", "-o", str(store)], (), capsys)
    check_cli("error", ["sweep", "-v", "K+.out=1,2,3", "-o", str(store)], ("--force",), capsys)
    check_cli("ok", ["sweep", "-v", "K+.out=1,2,3", "-o", str(store), "--force"], (), capsys)
    import xarray as xr

    assert xr.open_zarr(store).sizes["K+.out"] == 3
    csv = tmp_path / "run.csv"
    csv.write_text("old\n")
    check_cli("ok", ["simulate", "--until", "1ms", "-o", str(csv), "--force"], (), capsys)
    assert csv.read_text().startswith("t_s,") or csv.read_text() != "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grid.zarr", "run.csv"]  # no temp


def test_a_failed_write_leaves_no_half_file(tmp_path):
    target = tmp_path / "out.csv"
    with pytest.raises(RuntimeError), files.atomic_output(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("crash while writing")
    assert list(tmp_path.iterdir()) == []


def test_outputs_are_checked_before_computing(tmp_path, capsys, monkeypatch):
    # issue: -o /nonexistent/... failed only after the whole computation.
    import nernst.dynamics

    def boom(*args, **kwargs):
        raise AssertionError("the simulation ran")

    monkeypatch.setattr(nernst.dynamics, "simulate", boom)
    check_cli("error", ["simulate", "-o", "/nonexistent/dir/run.csv"], ("/nonexistent",), capsys)
    check_cli("error", ["simulate", "--plot", str(tmp_path)], ("--plot",), capsys)


def test_debug_shows_the_traceback(capsys):
    with pytest.raises(ValueError, match="absolute zero"):
        main(["--debug", "potential", "K+", "--in", "1", "--out", "2", "-t", "-300"])


def test_debug_environment_variable(capsys, monkeypatch):
    monkeypatch.setenv("NERNST_DEBUG", "1")
    with pytest.raises(ValueError):
        main(["potential", "Kx", "--in", "1", "--out", "2"])


def test_unexpected_failure_is_one_line_exit_1(capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise MemoryError("no room")

    monkeypatch.setattr(nernst, "equilibrium_potential", broken)
    check_cli(
        "env", ["potential", "K+", "--in", "1", "--out", "2"], ("MemoryError", "--debug"), capsys
    )


def test_json_output_is_strict_even_with_non_finite_values(capsys):
    from nernst.commands._shared import print_json

    print_json({"a": math.nan, "b": [1.0, math.inf], "c": {"d": -math.inf}})
    data = json.loads(capsys.readouterr().out)
    assert data["a"] is None and data["b"] == [1.0, None]
    assert data["null_values"] == {"a": "not a number", "b[1]": "infinite", "c.d": "infinite"}


def test_catalogue_size():
    rows = (
        [o for _, o, _, _ in CLI_ROWS]
        + ["env"] * len(ENV_ROWS)
        + [o for _, o, _, _ in FILE_ROWS]
        + [o for _, o, _, _ in API_ROWS]
    )
    counts = Counter(rows)
    print(f"\nbad-input catalogue: {len(rows)} rows: {dict(sorted(counts.items()))}")
    print(f"  CLI {len(CLI_ROWS) + len(ENV_ROWS)}, files {len(FILE_ROWS)}, API {len(API_ROWS)}")
    assert len(rows) >= 150
    ids = [r[0] for r in CLI_ROWS + ENV_ROWS + FILE_ROWS + API_ROWS]
    assert len(ids) == len(set(ids))


# -- properties ------------------------------------------------------------------------------


@given(st.text(), st.booleans())
def test_any_utf8_text_decodes_to_itself_with_or_without_bom(text, bom):
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    if "\x00" in text:
        with pytest.raises(files.InputFileError, match=r"UTF-16|binary"):
            files.decode(data)
    else:
        assert files.decode(data) == text


@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
        max_leaves=20,
    )
)
@settings(max_examples=200)
def test_print_json_is_always_strict_json(value):
    import contextlib
    import io

    from nernst.commands._shared import print_json

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        print_json({"value": value})
    json.loads(out.getvalue(), parse_constant=lambda word: pytest.fail(f"{word} in JSON"))


@given(
    st.dictionaries(
        st.sampled_from(["K+", "Na+", "Cl-", "Ca2+", "Mg2+"]),
        st.floats(min_value=1e-6, max_value=1e4),
        min_size=1,
    ),
    st.sampled_from(["potassium", "sodium", "chloride", "calcium", "magnesium"]),
)
def test_an_ion_under_a_second_spelling_is_always_rejected(table, alias):
    symbol = nernst.ions.resolve(alias)
    table = {**table, symbol: 1.0}
    lines = [f'"{k}" = {v!r}' for k, v in table.items()] + [f'"{alias}" = 2.0']
    text = "[inside]\n" + "\n".join(lines) + "\n[outside]\n" + "\n".join(lines[:1]) + "\n"
    with pytest.raises(files.InputFileError, match=f"names {re.escape(symbol)} twice"):
        files.loads_cell(text, "h.toml")


def test_a_command_without_the_guard_still_answers_in_one_line(capsys, monkeypatch):
    # Commands added later (other modules) get the same error path from the entry point.
    import typer

    from nernst import cli

    extra = typer.Typer()

    @extra.command("boom")
    def boom(value: float = 1.0) -> None:
        raise OverflowError("math range error")

    monkeypatch.setattr(cli, "app", extra)
    code, out, err = run(["--value", "2"], capsys)
    assert code == 2 and out == "" and err.startswith("error: ") and len(err.splitlines()) == 1
    assert "outside the range" in err
