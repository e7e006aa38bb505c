"""nernst.plotting: figures render (Agg) to files, and the axes hold the result's numbers.

The figures carry no physics of their own: every check compares a line's data with the
simulation it came from, or a file with its format's signature.
"""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import nernst  # noqa: E402
from nernst.dynamics import simulate  # noqa: E402
from nernst.plotting import plot_time_course, time_unit  # noqa: E402

NEURON = nernst.Cell.preset("mammalian-neuron")
# CODATA 2018 exact; seed chapter GHK example, "about -67.3 mV".
VT_37 = 1.380649e-23 * 310.15 / 1.602176634e-19 * 1e3
V_GHK_SEED = VT_37 * math.log(15.3 / 189.9)


@pytest.fixture(scope="module")
def approach():
    return simulate(NEURON, until=0.1)


@pytest.fixture(scope="module")
def pump_block():
    return simulate(NEURON, model="pump-leak", until=2 * 3600, perturb=["pump-block@10min"])


def _line(ax, label):
    for line in ax.get_lines():
        if line.get_label() == label:
            return line
    raise AssertionError(f"no line labelled {label!r} in {[x.get_label() for x in ax.lines]}")


def test_png_file_and_axes_data(approach, tmp_path):
    fig = plot_time_course(approach)
    path = tmp_path / "approach.png"
    fig.savefig(path, dpi=80)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
    assert len(fig.axes) == 2  # fixed volume: no volume panel
    ax_v, ax_c = fig.axes
    v = _line(ax_v, "V")
    # 0.1 s is shown in ms.
    assert np.allclose(v.get_xdata(), approach.t * 1e3)
    assert np.array_equal(v.get_ydata(), approach.V)
    assert ax_v.get_xlabel() == "" and ax_c.get_xlabel() == "time (ms)"
    target = _line(ax_v, "target")
    assert target.get_ydata()[0] == pytest.approx(V_GHK_SEED, abs=1e-9)
    for ion in approach.ions:
        assert np.array_equal(_line(ax_c, ion).get_ydata(), approach.c_in[ion])
    assert ax_c.get_yscale() == "log"
    # The Nernst potential of K+ at the end: 26.7267 mV ln(5/140) = -89.06 mV (K+_in has
    # moved by ~0.005 mM after 0.1 s).
    E_K = _line(ax_v, "E(K+)").get_ydata()[0]
    assert E_K == pytest.approx(VT_37 * math.log(5 / 140), abs=0.01)


def test_pump_leak_figure_has_a_volume_panel_and_marks_the_step(pump_block, tmp_path):
    fig = plot_time_course(pump_block)
    assert len(fig.axes) == 3
    vol = _line(fig.axes[2], "volume")
    assert np.allclose(vol.get_ydata(), pump_block.volume / pump_block.volume[0])
    assert np.allclose(vol.get_xdata(), pump_block.t / 3600.0)  # 2 h shown in hours
    # A vertical line at the perturbation time (10 min = 1/6 h) in every panel.
    for ax in fig.axes:
        xs = [ln.get_xdata()[0] for ln in ax.get_lines() if len(set(ln.get_xdata())) == 1]
        assert any(x == pytest.approx(1 / 6) for x in xs)
    assert "pump-block@10min" in fig.texts[0].get_text()
    path = tmp_path / "block.svg"
    fig.savefig(path)
    assert path.read_text()[:200].lstrip().startswith("<?xml")


def test_options_log_time_unit_ions_title(approach):
    fig = plot_time_course(approach, log_time=True, ions=["potassium"], title="X", unit=None)
    ax_v, ax_c = fig.axes
    assert ax_v.get_xscale() == "log"
    v = _line(ax_v, "V")
    assert np.all(v.get_xdata() > 0)  # t = 0 dropped on a log axis
    assert len(v.get_xdata()) == np.count_nonzero(approach.t > 0)
    assert [ln.get_label() for ln in ax_c.get_lines()] == ["K+"]
    assert fig.texts[0].get_text() == "X"
    fig = plot_time_course(approach, unit="s", show_nernst=False)
    assert np.allclose(_line(fig.axes[0], "V").get_xdata(), approach.t)
    assert not [ln for ln in fig.axes[0].get_lines() if ln.get_label().startswith("E(")]


def test_bad_options(approach):
    with pytest.raises(ValueError, match="unit"):
        plot_time_course(approach, unit="fortnight")
    with pytest.raises(ValueError, match="not in this simulation"):
        plot_time_course(approach, ions=["Mg2+"])


def test_time_unit():
    assert time_unit(5e-6) == ("us", 1e-6)
    assert time_unit(0.01) == ("ms", 1e-3)
    assert time_unit(30.0) == ("s", 1.0)
    assert time_unit(600.0) == ("min", 60.0)
    assert time_unit(86400.0) == ("h", 3600.0)


def test_import_nernst_does_not_load_matplotlib():
    code = "import sys, nernst, nernst.dynamics; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
