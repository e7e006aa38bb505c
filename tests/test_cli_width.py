"""Output that fits the terminal: run through the installed entry point with ``COLUMNS=``.

At 60, 80 and 120 columns no line of a table or listing is wider than the terminal, and
every identifier a user has to type (ion symbols, preset and solution names) appears whole.
``--wide`` prints the full table whatever the terminal; ``presets``/``ions`` list one line
per item by default and the full record with ``--long`` or a NAME; ``--help`` texts say
what the commands offer.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

import nernst
from nernst.junction import recording_solutions

WIDTHS = (60, 80, 120)


def nernst_cli(*args: str, columns: int = 80) -> str:
    exe = shutil.which("nernst")
    command = [exe] if exe else [sys.executable, "-m", "nernst.cli"]
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "40"}
    env.pop("NO_COLOR", None)
    done = subprocess.run(
        [*command, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    return done.stdout


def assert_fits(text: str, columns: int) -> None:
    too_wide = [line for line in text.splitlines() if len(line.rstrip()) > columns]
    assert not too_wide, f"{len(too_wide)} lines wider than {columns}: {too_wide[:3]}"


def tokens(text: str) -> set[str]:
    """Every whitespace- or box-separated word of the output."""
    return set(re.split(r"[\s│┃|,;:()]+", text))


CELL_IONS = list(nernst.Cell.preset().inside)


@pytest.mark.parametrize("columns", WIDTHS)
def test_cell_fits_and_names_every_ion(columns):
    out = nernst_cli("cell", columns=columns)
    assert_fits(out, columns)
    words = tokens(out)
    for ion in CELL_IONS:
        assert ion in words
    assert "-67.3 mV" in out  # the seed chapter's GHK V_rest


@pytest.mark.parametrize("columns", WIDTHS)
def test_cell_with_activity_fits(columns):
    out = nernst_cli("cell", "--activity", "davies", columns=columns)
    assert_fits(out, columns)
    for ion in CELL_IONS:
        assert ion in tokens(out)
    assert "E_a" in out


@pytest.mark.parametrize("columns", WIDTHS)
def test_solutions_names_are_never_cut(columns):
    out = nernst_cli("solutions", columns=columns)
    assert_fits(out, columns)
    words = tokens(out)
    for name in recording_solutions():
        assert name in words, f"{name} cut at {columns} columns"


@pytest.mark.parametrize("columns", WIDTHS)
def test_transport_fits(columns):
    out = nernst_cli("transport", "plant-root-cell", columns=columns)
    assert_fits(out, columns)
    for ion in ("K+", "Na+", "NO3-", "H2PO4-"):
        assert ion in tokens(out)


@pytest.mark.parametrize("columns", WIDTHS)
def test_presets_one_line_each(columns):
    out = nernst_cli("presets", columns=columns)
    assert_fits(out, columns)
    presets = nernst.presets()
    lines = out.strip().splitlines()
    assert len(lines) == 1 + len(presets)  # a heading, then one line per preset
    for line, key in zip(lines[1:], presets, strict=True):
        assert line.split()[0] == key
    assert "(default)" in out


@pytest.mark.parametrize("columns", WIDTHS)
def test_ions_one_line_each(columns):
    out = nernst_cli("ions", columns=columns)
    assert_fits(out, columns)
    lines = out.strip().splitlines()
    assert len(lines) == 1 + len(nernst.ions)
    for line, ion in zip(lines[1:], nernst.ions.values(), strict=True):
        assert line.startswith(ion.symbol + " "), (line, ion.symbol)


@pytest.mark.parametrize("columns", (80, 120))
def test_long_listings_fit(columns):
    for args in (("presets", "--long"), ("ions", "--long"), ("presets", "squid-axon")):
        assert_fits(nernst_cli(*args, columns=columns), columns)


def test_presets_name_shows_the_sources():
    out = nernst_cli("presets", "squid-axon")
    info = nernst.presets()["squid-axon"]
    assert out.splitlines()[0] == "squid-axon"
    for key in info["sources"]:
        assert f"source ({key})" in out
    assert len(nernst_cli("presets", "--long").splitlines()) > len(nernst.presets()) * 3


def test_ions_name_shows_the_record():
    out = nernst_cli("ions", "potassium")
    assert out.startswith("K+ (potassium, z = +1)")
    assert "lambda" in out and "source" in out


def test_json_listings_unchanged():
    presets = json.loads(nernst_cli("presets", "--json"))
    assert set(presets) == set(nernst.presets())
    ions = json.loads(nernst_cli("ions", "--json"))
    assert [r["symbol"] for r in ions] == [ion.symbol for ion in nernst.ions.values()]
    assert json.loads(nernst_cli("ions", "K", "--json"))["symbol"] == "K+"


def test_wide_prints_the_full_table():
    out = nernst_cli("cell", "--wide", columns=80)
    header = next(line for line in out.splitlines() if "ion" in line and "E (mV)" in line)
    assert len(header) > 80  # the table at its natural width, not the stacked layout
    assert "|zFE| (kJ/mol)" in out and "work (kJ/mol)" in out


def test_stacked_layout_below_100_columns_keeps_every_value():
    narrow = nernst_cli("cell", columns=80)
    wide = nernst_cli("cell", "--json")
    report = json.loads(wide)
    for row in report["ions"]:
        assert f"E (mV): {row['E']:+.1f}" in narrow
    assert "┃" not in narrow  # stacked, not a squeezed table


def test_app_help_names_every_tab():
    pytest.importorskip("dash")
    from nernst.app.layout import discover_tabs

    text = " ".join(nernst_cli("app", "--help", columns=200).split())
    labels = [tab.label.split(":")[0] for tab in discover_tabs()]
    for label in labels:
        assert label in text, f"tab {label!r} missing from `nernst app --help`: {text[:300]}"
    words = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}
    assert f"{words[len(labels)]} tabs" in text


def test_every_explain_command_says_so_in_its_help():
    # The README lists the commands that take --explain; each one's --help must offer it.
    for command in ("potential", "ghk", "activity", "donnan", "pmf", "ljp", "perm-ratio"):
        assert "--explain" in nernst_cli(command, "--help", columns=120), command


def test_root_help_lists_debug_and_every_command():
    text = nernst_cli("--help", columns=120)
    assert "--debug" in text
    for command in ("potential", "ghk", "cell", "presets", "ions", "sweep", "simulate", "app"):
        assert command in text


def test_every_command_offers_json():
    # The README: "Every command takes --json".
    import typer

    from nernst.cli import app

    for name, command in typer.main.get_command(app).commands.items():  # type: ignore[attr-defined]
        options = {opt for param in command.params for opt in getattr(param, "opts", [])}
        assert "--json" in options, name
