"""nernst.recordings on the real ABF files of /work/shared/data/abf (pyABF's test data), bad
files, CSV tables, and the ``nernst iv`` / ``nernst memtest`` commands through the entry point.

The directory is NERNST_ABF_DIR if set, else /work/shared/data/abf. CI runs where it exists:
a missing directory FAILS these tests (it is not skipped).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from nernst.recordings import (
    iv_curve,
    membrane_test,
    read_recording,
    reversal_potential,
)

ABF_DIR = Path(os.environ.get("NERNST_ABF_DIR", "/work/shared/data/abf"))
STEPS = "17o05024_vc_steps.abf"
PAIR = "14o16001_vc_pair_step.abf"
MODEL = "model_vc_step.abf"
CELL = "171116sh_0011.abf"


def abf(name: str) -> Path:
    path = ABF_DIR / name
    assert path.is_file(), f"real recording {path} is missing (set NERNST_ABF_DIR)"
    return path


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


# -- reading ----------------------------------------------------------------------------------
def test_steps_file_protocol():
    # README of the data: 7 sweeps stepping to -110 ... -50 mV (10 mV apart) from -70 mV,
    # 20 kHz, 3.5 s per sweep, one current channel in pA.
    rec = read_recording(abf(STEPS))
    assert rec.file_format == "abf2" and rec.protocol == "0202 IV dual"
    assert rec.mode == "voltage-clamp" and rec.units["signal"] == "pA"
    assert rec.n_sweeps == 7 and rec.sampling_rate == 20_000
    assert rec.n_samples / rec.sampling_rate == pytest.approx(3.5)
    assert rec.holding == -70.0
    assert rec.test_epoch.levels.tolist() == [-110.0, -100.0, -90.0, -80.0, -70.0, -60.0, -50.0]
    assert np.all(np.isfinite(rec.signal))


def test_pair_file_two_channels():
    # README: two channels (pA), memtest step to -80 mV, steps from -110 mV upward, 13 sweeps,
    # 10 kHz, 4 s per sweep.
    a, b = read_recording(abf(PAIR), channel=0), read_recording(abf(PAIR), channel=1)
    assert a.n_sweeps == b.n_sweeps == 13 and a.sampling_rate == 10_000
    assert a.n_samples / a.sampling_rate == pytest.approx(4.0)
    assert a.test_epoch.levels[0] == -110.0 and not np.array_equal(a.signal, b.signal)
    with pytest.raises(ValueError, match="channel=2"):
        read_recording(abf(PAIR), channel=2)


def test_memtest_files_protocol():
    for name in (MODEL, CELL):
        rec = read_recording(abf(name))
        assert rec.protocol == "0201 memtest" and rec.n_sweeps == 20
        assert [float(e.levels[0]) for e in rec.epochs] == [-70.0, -80.0, -70.0]


def test_reading_is_stable():
    one, two = read_recording(abf(STEPS)), read_recording(abf(STEPS))
    np.testing.assert_array_equal(one.signal, two.signal)
    np.testing.assert_array_equal(one.command, two.command)


def test_neo_reads_the_same_current():
    rec = read_recording(abf(MODEL))
    via_neo = read_recording(abf(MODEL), file_format="neo")
    assert via_neo.file_format.startswith("neo:") and via_neo.n_sweeps == rec.n_sweeps
    np.testing.assert_allclose(via_neo.signal, rec.signal, atol=1e-3)


# -- analyses ---------------------------------------------------------------------------------
def test_memtest_model_cell():
    # pyABF's tests call model_vc_step.abf "the 33pF model cell" (swharden/pyABF,
    # tests/test_addons: test_memtest_step_isolated; pyABF's own memtest gives Ih -139.31 pA
    # for it). R_m = 500 MOhm and R_s = 10 MOhm are the values usually quoted for the "CELL"
    # position of Axon's PATCH-1U model cell (Axopatch 200B / MultiClamp manuals); that page
    # was not at hand when this test was written, so those two bounds are the looser ones.
    mt = membrane_test(read_recording(abf(MODEL)))
    assert mt.c_m == pytest.approx(33, rel=0.15)
    assert mt.r_m == pytest.approx(500, rel=0.05)
    assert mt.r_s == pytest.approx(10, rel=0.2)
    assert mt.i_hold == pytest.approx(-139.3, abs=1.0)  # pyABF's Ih for this file: -139.31 pA


def test_memtest_real_cell_finite_and_stable():
    one = membrane_test(read_recording(abf(CELL)))
    two = membrane_test(read_recording(abf(CELL)))
    for v in (one.r_s, one.r_m, one.c_m, one.tau):
        assert np.isfinite(v) and v > 0
    assert one.to_dict() == two.to_dict()
    assert one.delta_v == -10 and one.n_sweeps == 20


def test_iv_of_the_steps_file():
    rec = read_recording(abf(STEPS))
    iv = iv_curve(rec)
    assert iv.v.tolist() == [-110.0, -100.0, -90.0, -80.0, -70.0, -60.0, -50.0]
    assert np.all(np.isfinite(iv.i)) and np.all(iv.i < 0)  # inward at every step
    assert np.all(np.diff(iv.i) > 0)
    rv = reversal_potential(iv)
    assert not rv.crosses and rv.extrapolated and rv.v_rev > -50
    assert any("does not cross zero" in w for w in rv.warnings)
    assert reversal_potential(iv, extrapolate=False).v_rev is None
    again = reversal_potential(iv_curve(read_recording(abf(STEPS))))
    assert again.v_rev == rv.v_rev


def test_iv_of_the_pair_file_crosses_zero():
    iv = iv_curve(read_recording(abf(PAIR)))
    rv = reversal_potential(iv)
    assert rv.crosses and not rv.extrapolated
    assert -70 < rv.v_rev < -55 and np.isfinite(rv.se)


# -- bad files --------------------------------------------------------------------------------
def test_truncated_abf(tmp_path):
    src = abf(STEPS).read_bytes()
    bad = tmp_path / "cut.abf"
    bad.write_bytes(src[: len(src) // 2])
    with pytest.raises(ValueError, match="truncated"):
        read_recording(bad)
    stub = tmp_path / "stub.abf"
    stub.write_bytes(src[:100])
    with pytest.raises(ValueError, match=r"stub\.abf"):
        read_recording(stub)


def test_not_an_abf(tmp_path):
    fake = tmp_path / "fake.abf"
    fake.write_bytes(b"hello world, not a recording")
    with pytest.raises(ValueError, match="not an Axon ABF file"):
        read_recording(fake)
    with pytest.raises(ValueError, match="no such recording file"):
        read_recording(tmp_path / "missing.abf")


def _write_abf1(path: Path, units: str) -> Path:
    from pyabf.abfWriter import writeABF1

    data = np.random.default_rng(0).standard_normal((3, 1000)).astype(np.float32)
    writeABF1(data, str(path), 10_000, units=units)
    return path


def test_current_clamp_abf1_given_to_iv(tmp_path):
    rec = read_recording(_write_abf1(tmp_path / "cc.abf", "mV"))
    assert rec.file_format == "abf1" and rec.mode == "current-clamp"
    with pytest.raises(ValueError, match="current-clamp recording"):
        iv_curve(rec)


def test_abf1_without_command_waveform(tmp_path):
    rec = read_recording(_write_abf1(tmp_path / "vc.abf", "pA"))
    assert rec.mode == "voltage-clamp"
    with pytest.raises(ValueError, match="no command waveform"):
        iv_curve(rec)


# -- CSV tables -------------------------------------------------------------------------------
def test_csv_round_trip_of_a_real_file(tmp_path):
    rec = read_recording(abf(STEPS))
    rows = ["sweep,time (ms),command (mV),current (nA)"]
    for k in range(rec.n_sweeps):
        for j in range(0, rec.n_samples, 20):  # 1 kHz
            rows.append(
                f"{k},{rec.time[j] * 1e3:.6f},{rec.command[k, j]:g},{rec.signal[k, j] / 1e3:.9g}"
            )
    path = tmp_path / "steps.csv"
    path.write_text("\n".join(rows))
    table = read_recording(path)
    assert table.n_sweeps == 7 and table.sampling_rate == pytest.approx(1000)
    ours, theirs = iv_curve(table), iv_curve(rec)
    np.testing.assert_array_equal(ours.v, theirs.v)
    np.testing.assert_allclose(ours.i, theirs.i, atol=0.5)


@pytest.mark.parametrize(
    ("header", "match"),
    [
        ("time (s),command (mV),current (mV)", "signal unit 'mV' is a voltage"),
        ("time (s),command (pA),current (pA)", "command unit 'pA' is a current"),
        ("time,command (mV),current (pA)", "has no unit"),
        ("time (h),command (mV),current (pA)", "time unit 'h'"),
        ("t (s),v (mV),i (pA)", "no 'time' column"),
    ],
)
def test_csv_mismatched_units(tmp_path, header, match):
    path = tmp_path / "bad.csv"
    path.write_text(header + "\n0,-70,1\n0.001,-70,1\n0.002,-80,2\n")
    with pytest.raises(ValueError, match=match):
        read_recording(path)


# -- the commands -----------------------------------------------------------------------------
def nernst_cli(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("nernst")
    cmd = [exe] if exe else [sys.executable, "-m", "nernst.cli"]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=120)


def test_cli_iv_text_and_files(tmp_path):
    table, fig = tmp_path / "iv.csv", tmp_path / "iv.png"
    r = nernst_cli(
        "iv",
        str(abf(STEPS)),
        "--window",
        "950:1050ms",
        "--pipette",
        "k-gluconate-internal",
        "--bath",
        "hepes-saline",
        "--celsius",
        "20",
        "--rs",
        "15",
        "--rs-comp",
        "0.7",
        "--out",
        str(table),
        "--plot",
        str(fig),
    )
    assert r.returncode == 0, r.stderr
    assert "V_rev = " in r.stdout and "EXTRAPOLATED" in r.stdout
    assert "LJP = 16.0" in r.stdout  # Figl et al. 2003: +16.05 mV at 20 degC (LJPcalc)
    lines = table.read_text().splitlines()
    assert lines[0] == "v_mV,i_pA,i_se_pA,v_command_mV,n" and len(lines) == 8
    assert fig.stat().st_size > 10_000


def test_cli_iv_json():
    r = nernst_cli("iv", str(abf(PAIR)), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["recording"]["sweeps"] == 13
    assert data["reversal"]["crosses_zero"] is True
    assert -70 < data["reversal"]["v_rev_mV"] < -55


def test_cli_memtest_text_and_json():
    text = nernst_cli("memtest", str(abf(MODEL)))
    assert text.returncode == 0 and "R_s =" in text.stdout and "C_m =" in text.stdout
    data = json.loads(nernst_cli("memtest", str(abf(CELL)), "--json").stdout)
    assert data["units"]["C"] == "pF" and data["C_m_pF"] > 0 and data["recording"]["sweeps"] == 20


def test_cli_errors_are_one_line(tmp_path):
    cc = _write_abf1(tmp_path / "cc.abf", "mV")
    for args, match in [
        (("iv", str(cc)), "current-clamp recording"),
        (("iv", str(abf(STEPS)), "--window", "5:6s"), "outside the sweep"),
        (("iv", str(abf(STEPS)), "--window", "late"), "--window"),
        (("iv", str(abf(STEPS)), "--ljp", "3", "--bath", "hepes-saline"), "--ljp"),
        (("memtest", str(tmp_path / "none.abf")), "no such recording file"),
    ]:
        r = nernst_cli(*args)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert r.stderr.startswith("error: ") and match in r.stderr
        assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_instantaneous_iv_of_the_steps_file():
    # The second varying epoch (index 5) follows a 0.5 s prepulse to -50 mV; its start,
    # 2 ms after the step (41093 samples at 20 kHz = 2.05465 s), is the instantaneous I-V.
    rec = read_recording(abf(STEPS))
    assert rec.epochs[5].start == 41093 and rec.epochs[4].levels[0] == -50.0
    iv = iv_curve(rec, epoch=5, part="start")
    assert iv.window == pytest.approx((41093 / 20000 + 0.002, 41093 / 20000 + 0.002 + 0.025))
    assert iv.v.tolist() == [-110.0, -100.0, -90.0, -80.0, -70.0, -60.0, -50.0]
    assert np.all(np.isfinite(iv.i)) and np.all(iv.i < 0)
    with pytest.raises(ValueError, match="epoch=9: the recording has 8 epochs"):
        iv_curve(rec, epoch=9)
    with pytest.raises(ValueError, match="part='middle'"):
        iv_curve(rec, part="middle")


def test_cli_ghk_fit_on_a_csv(tmp_path):
    import nernst
    from nernst.recordings import synthetic_iv_recording

    cin, cout = {"K+": 140.0, "Na+": 10.0}, {"K+": 5.0, "Na+": 145.0}
    rec = synthetic_iv_recording(
        permeability={"K+": 1e-6, "Na+": 5e-8},
        c_in=cin,
        c_out=cout,
        levels=np.arange(-120, 1, 20),
        noise=2.0,
        sampling_rate=2000.0,
    )
    rows = ["sweep\ttime (s)\tcommand (mV)\tcurrent (pA)"]
    for k in range(rec.n_sweeps):
        rows += [
            f"{k}\t{rec.time[j]:.6f}\t{rec.command[k, j]:g}\t{rec.signal[k, j]:.6f}"
            for j in range(rec.n_samples)
        ]
    path = tmp_path / "ghk.tsv"
    path.write_text("\n".join(rows) + "\n")
    r = nernst_cli(
        "iv",
        str(path),
        "--method",
        "ghk",
        "--ions",
        "K+,Na+",
        "--in",
        "K+=140,Na+=10",
        "--out-conc",
        "K+=5,Na+=145",
        "--json",
    )
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)["reversal"]
    truth = nernst.ghk_voltage({"K+": 1, "Na+": 0.05}, c_in=cin, c_out=cout, celsius=22)
    assert got["method"] == "ghk (K+, Na+)"
    assert abs(got["v_rev_mV"] - truth) < 3 * got["se_mV"]
    bad = nernst_cli("iv", str(path), "--method", "ghk")
    assert bad.returncode == 2 and "--method ghk needs --ions" in bad.stderr


def test_cli_ramp_csv_binned(tmp_path):
    from nernst.recordings import synthetic_iv_recording

    rec = synthetic_iv_recording(
        permeability={"K+": 1e-6},
        c_in={"K+": 140.0},
        c_out={"K+": 140.0},
        ramp=(-40.0, 40.0),
        n_sweeps=3,
        noise=1.0,
        sampling_rate=2000.0,
    )
    rows = ["sweep,time (s),command (mV),current (pA)"]
    for k in range(rec.n_sweeps):
        rows += [
            f"{k},{rec.time[j]:.6f},{rec.command[k, j]:.6f},{rec.signal[k, j]:.6f}"
            for j in range(rec.n_samples)
        ]
    path = tmp_path / "ramp.csv"
    path.write_text("\n".join(rows) + "\n")
    r = nernst_cli("iv", str(path), "--bin", "5", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["iv"]["kind"] == "ramp" and len(data["iv"]["v_mV"]) == 17
    # Symmetric K+ (140/140 mM): E_K = 0 mV (Nernst), the ramp I-V crosses there.
    assert abs(data["reversal"]["v_rev_mV"]) < 3 * data["reversal"]["se_mV"] + 0.1
