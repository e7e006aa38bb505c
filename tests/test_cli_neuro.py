"""``nernst chord`` and ``nernst spike`` through the installed entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REF = json.loads((Path(__file__).parent / "published" / "data" / "neuron_hh.json").read_text())


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "nernst.cli", *args], capture_output=True, text=True, env=env
    )


def test_chord_from_conductances() -> None:
    # NEURON's hh at -65 mV: g_Na 1.06e-5, g_K 3.67e-4, g_L 3e-4 S/cm^2 with E 50/-77/-54.3.
    out = run(
        "chord", "--g", "Na+=1.0609e-5,K+=3.6664e-4,leak=3e-4", "--E", "Na+=50,K+=-77,leak=-54.3"
    )
    assert out.returncode == 0, out.stderr
    V = (1.0609e-5 * 50 + 3.6664e-4 * -77 + 3e-4 * -54.3) / (1.0609e-5 + 3.6664e-4 + 3e-4)
    assert out.stdout.strip() == f"V_chord = {V:.2f} mV"


def test_chord_of_a_cell_equals_its_ghk_potential() -> None:
    # Chord conductances taken at the GHK potential reproduce it (the seed chapter's -67.3 mV).
    out = run("chord", "mammalian-neuron", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert round(data["V_chord_mV"], 1) == -67.3
    assert sum(ion["weight"] for ion in data["ions"].values()) == pytest.approx(1.0)


def test_spike_default_is_neurons_hh(tmp_path: Path) -> None:
    out = run("spike", "--json", "--plot", str(tmp_path / "ap.png"), "-o", str(tmp_path / "ap.csv"))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    # The default stimulus is the reference pulse; nernst starts at its exact rest, NEURON
    # at -65 mV, so the peak agrees to 0.02 mV here (to 1e-4 mV from the same start).
    assert data["spikes"] == 1
    assert data["peak_mV"] == pytest.approx(REF["pulse"]["6.3"]["peak_mV"], abs=0.02)
    assert (tmp_path / "ap.png").stat().st_size > 10_000
    assert (tmp_path / "ap.csv").read_text().startswith("t_ms,V_mV")


def test_spike_text_and_explain() -> None:
    out = run("spike", "squid-axon", "--stim", "20uA/cm2@2ms:1ms", "--until", "20ms", "--explain")
    assert out.returncode == 0, out.stderr
    first = out.stdout.splitlines()[0]
    assert (
        first.startswith("1 spike(s): peak ") and "(E_Na 56.1)" in first and "(E_K -93.2)" in first
    )
    assert "below E_Na" in out.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("spike", "--stim", "10uA"), "stimulus '10uA' is not understood"),
        (("spike", "--ghk"), "--ghk needs a cell"),
        (("spike", "--plot", "x.gif"), "--plot x.gif"),
        (("chord",), "give a cell"),
        (("chord", "--g", "K+=1,X=1", "--E", "K+=-90"), "no reversal potential for X"),
    ],
)
def test_bad_input_is_one_line(args: tuple[str, ...], message: str) -> None:
    out = run(*args)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr
