"""The Recording tab: its callbacks against nernst.recordings, and a real browser using it.

The callbacks are called directly with data URLs of synthetic CSV recordings (currents from
nernst.ghk_current) and of the real ABF files in /work/shared/data/abf (NERNST_ABF_DIR); every
number shown is compared with the library called here on the same file. The browser test
uploads files in headless Chromium and reads the numbers off the page.
"""

from __future__ import annotations

import base64
import os
import warnings
from pathlib import Path

import numpy as np
import pytest

import nernst
from nernst.app import recording_tab as rt
from nernst.recordings import (
    iv_curve,
    membrane_test,
    read_recording,
    reversal_potential,
    synthetic_iv_recording,
)

ABF_DIR = Path(os.environ.get("NERNST_ABF_DIR", "/work/shared/data/abf"))
IN, OUT = {"K+": 140.0, "Na+": 10.0}, {"K+": 5.0, "Na+": 145.0}


def abf(name: str) -> Path:
    path = ABF_DIR / name
    assert path.is_file(), f"real recording {path} is missing (set NERNST_ABF_DIR)"
    return path


def data_url(raw: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(raw).decode()


def synthetic_csv(path: Path, *, ljp: float = 0.0) -> Path:
    """A 7-level GHK step recording written as CSV (sweep, time (ms), command, current)."""
    rec = synthetic_iv_recording(
        permeability={"K+": 1e-6, "Na+": 5e-8},
        c_in=IN,
        c_out=OUT,
        levels=np.arange(-100, -39, 10),
        noise=2.0,
        sampling_rate=2000.0,
        ljp=ljp,
    )
    rows = ["sweep,time (ms),command (mV),current (pA)"]
    for k in range(rec.n_sweeps):
        rows += [
            f"{k},{rec.time[j] * 1e3:.4f},{rec.command[k, j]:g},{rec.signal[k, j]:.6f}"
            for j in range(rec.n_samples)
        ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def outputs(*args) -> dict:
    return dict(zip(rt.OUTPUTS, rt.compute_recording(*args), strict=True))


def data_value(component) -> float:
    found = []

    def walk(node):
        if isinstance(node, (list, tuple)):
            for item in node:
                walk(item)
        elif hasattr(node, "to_plotly_json"):
            props = node.to_plotly_json()["props"]
            if "data-value" in props:
                found.append(float(props["data-value"]))
            walk(props.get("children"))

    walk(component)
    return found[0]


def library(path: Path, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        iv = iv_curve(read_recording(path), **kw)
        return iv, reversal_potential(iv)


# -- callbacks --------------------------------------------------------------------------------
def test_csv_upload_shows_the_library_v_rev(tmp_path):
    path = synthetic_csv(tmp_path / "ghk.csv", ljp=10.0)
    out = outputs(data_url(path.read_bytes()), "ghk.csv", None, None, 10.0, 0, 0, "linear")
    assert out["error"] == ""
    iv, rv = library(path, ljp=10.0)
    assert data_value(out["vrev"]) == rv.v_rev
    truth = nernst.ghk_voltage({"K+": 1, "Na+": 0.05}, c_in=IN, c_out=OUT, celsius=22)
    assert abs(rv.v_rev - truth) < 3 * rv.se  # the LJP put in is taken out
    fig = out["figure"]
    assert fig["data"][-2]["x"] == iv.v.tolist() and fig["data"][-2]["y"] == iv.i.tolist()
    assert (
        out["state"]["query"]
        == "recording.ljp=10&recording.rs=0&recording.comp=0&recording.method=linear"
    )


def test_window_and_corrections_reach_the_library(tmp_path):
    path = synthetic_csv(tmp_path / "ghk.csv")
    out = outputs(data_url(path.read_bytes()), "ghk.csv", 0.1, 0.2, 3.0, 10.0, 50, "polynomial")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        iv = iv_curve(read_recording(path), window=(0.1, 0.2), ljp=3.0, r_s=10.0, compensation=0.5)
        rv = reversal_potential(iv, method="polynomial")
    assert data_value(out["vrev"]) == rv.v_rev


def test_memtest_file_shows_membrane_test_and_why_no_iv():
    path = abf("model_vc_step.abf")
    out = outputs(data_url(path.read_bytes()), path.name, None, None, 0, 0, 0, "linear")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mt = membrane_test(read_recording(path))
    assert data_value(out["memtest"]) == mt.r_s
    assert "no epoch changes between sweeps" in out["error"] and "set the window" in out["error"]
    assert "upload" not in out["error"]  # names the user's file, not the temporary copy
    assert path.name in out["error"]


def test_the_real_iv_file_is_over_the_upload_limit():
    path = abf("17o05024_vc_steps.abf")
    assert path.stat().st_size > rt.MAX_RECORDING_BYTES
    out = outputs(data_url(path.read_bytes()), path.name, None, None, 0, 0, 0, "linear")
    assert "larger than 700 kB" in out["error"] and out["figure"] is None


@pytest.mark.parametrize(
    ("raw", "name", "match"),
    [
        (b"x", "notes.docx", "upload an Axon .abf file"),
        (b"ABF2" + b"\0" * 100, "short.abf", "short.abf"),
        (b"time (s),command (mV),current (mV)\n0,1,2\n1,1,2\n2,1,2\n", "t.csv", "is a voltage"),
    ],
)
def test_bad_uploads_give_a_message(raw, name, match):
    out = outputs(data_url(raw), name, None, None, 0, 0, 0, "linear")
    assert match in out["error"] and out["vrev"] == "" and out["figure"] is None


def test_bad_settings_give_a_message(tmp_path):
    url = data_url(synthetic_csv(tmp_path / "g.csv").read_bytes())
    assert "compensation" in outputs(url, "g.csv", None, None, 0, 10, 150, "linear")["error"]
    assert "outside the sweep" in outputs(url, "g.csv", 0.1, 9.0, 0, 0, 0, "linear")["error"]


def test_browser_side_size_check_reaches_the_user():
    too_big = {"filename": "big.abf", "too_large": True, "bytes": 987_648}
    out = dict(
        zip(rt.OUTPUTS, rt.compute_from_store(too_big, None, None, 0, 0, 0, "linear"), strict=True)
    )
    assert "'big.abf' (964 kB) is larger than 700 kB" in out["error"]
    assert rt.compute_from_store(None, None, None, 0, 0, 0, "linear")[0].startswith("Upload")


def test_no_upload_yet():
    out = outputs(None, None, None, None, 0, 0, 0, "linear")
    assert out["vrev"].startswith("Upload") and out["error"] == ""


def test_load_from_link():
    got = rt.load_recording("?tab=recording&recording.ljp=16.1&recording.method=polynomial")
    assert got[2] == 16.1 and got[5] == "polynomial"


# -- a real browser ---------------------------------------------------------------------------
def test_upload_in_the_browser(app_server, page, tmp_path):
    app_server.opened = True
    page.goto(app_server.url + "?tab=recording")
    page.wait_for_selector("#recording-upload")
    file_input = page.locator("#recording-upload input[type=file]")

    path = synthetic_csv(tmp_path / "ghk_steps.csv")
    file_input.set_input_files(str(path))
    page.wait_for_selector("#recording-vrev [data-value]")
    shown = float(page.locator("#recording-vrev [data-value]").get_attribute("data-value"))
    _, rv = library(path)
    assert shown == rv.v_rev
    assert "ghk_steps.csv: 7 sweeps" in page.locator("#recording-info").inner_text()
    page.wait_for_selector("#recording-plot .js-plotly-plot .main-svg")

    # Typing a junction potential moves V_rev by exactly that much (the library's numbers).
    page.locator("#recording-ljp").fill("8")
    page.wait_for_function(
        "v => document.querySelector('#recording-vrev [data-value]') &&"
        " document.querySelector('#recording-vrev [data-value]').dataset.value != v",
        arg=repr(rv.v_rev),
    )
    moved = float(page.locator("#recording-vrev [data-value]").get_attribute("data-value"))
    assert moved == library(path, ljp=8.0)[1].v_rev

    # A memtest ABF: the membrane test appears, and the message says why there is no I-V.
    file_input.set_input_files(str(abf("model_vc_step.abf")))
    page.wait_for_selector("#recording-memtest-values [data-value]")
    r_s = float(page.locator("#recording-mt-0 [data-value]").get_attribute("data-value"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert r_s == membrane_test(read_recording(abf("model_vc_step.abf"))).r_s
    assert "no epoch changes" in page.locator("#recording-error").inner_text()

    # The real I-V file is over the upload limit: it never leaves the browser; a message says so.
    file_input.set_input_files(str(abf("17o05024_vc_steps.abf")))
    page.wait_for_function(
        "() => document.querySelector('#recording-error').innerText.includes('larger than 700')"
    )
    page.screenshot(path=str(tmp_path / "app-recording.png"), full_page=True)
