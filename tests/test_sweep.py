"""nernst.sweep and ``nernst sweep``: grids of conditions on NumPy, Dask and a LocalCluster.

Expected numbers come from the seed chapter (../shared/seed/000_ba38d2a88dc762dc.txt, "Permeability
to Multiple Ions": P_K : P_Na : P_Cl = 1 : 0.04 : 0.45 gives about -67.3 mV, E_K about -89.1 mV)
or from the GHK and Nernst equations written out below with NumPy and CODATA 2018 exact
constants (independent of the code under test), or from direct scalar calls of
nernst.ghk_voltage / nernst.equilibrium_potential at single grid points.
"""

from __future__ import annotations

import importlib
import json
import math
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import nernst
from nernst.cli import app
from nernst.sweeps import sweep

xr = pytest.importorskip("xarray")
pytest.importorskip("dask.array")

sweep_module = importlib.import_module("nernst.sweeps")
cli_module = importlib.import_module("nernst.commands.sweep")

# CODATA 2018 exact: R = k_B N_A, F = e N_A.
R = 1.380649e-23 * 6.02214076e23
F = 1.602176634e-19 * 6.02214076e23


def vt(celsius: float | np.ndarray) -> np.ndarray:
    """RT/F in mV."""
    return R * (np.asarray(celsius) + 273.15) / F * 1e3


# The mammalian-neuron preset = the seed chapter's example (in / out mM, relative P, 37 C).
K_IN, NA_IN, CL_IN = 140.0, 10.0, 10.0
K_OUT, NA_OUT, CL_OUT = 5.0, 145.0, 110.0
P_K, P_NA, P_CL = 1.0, 0.04, 0.45


def ghk_monovalent(k_out, p_na, *, celsius=37.0, k_in=K_IN):
    """GHK voltage for K+, Na+, Cl- written out (the seed chapter's equation)."""
    num = P_K * k_out + p_na * NA_OUT + P_CL * CL_IN
    den = P_K * k_in + p_na * NA_IN + P_CL * CL_OUT
    return vt(celsius) * np.log(num / den)


def small_cell(**kw) -> nernst.Cell:
    return nernst.Cell(
        inside={"K+": K_IN, "Na+": NA_IN, "Cl-": CL_IN},
        outside={"K+": K_OUT, "Na+": NA_OUT, "Cl-": CL_OUT},
        permeability={"K+": P_K, "Na+": P_NA, "Cl-": P_CL},
        **kw,
    )


K_GRID = np.array([1.0, 2.5, 5.0, 10.0, 40.0, 100.0])
NA_GRID = np.array([0.001, 0.01, 0.04, 0.2, 1.0])


# -- values -----------------------------------------------------------------------------------
def test_seed_chapter_point_minus_67_3_mV():
    # Seed chapter: GHK "about -67.3 mV" and E_K "approximately -89.1 mV" for the neuron with
    # P_K : P_Na : P_Cl = 1 : 0.04 : 0.45 ([K+]out = 5 mM is a grid point here).
    ds = sweep("mammalian-neuron", {"K+.out": K_GRID, "perm.Na+": NA_GRID})
    point = ds.sel({"K+.out": 5.0, "perm.Na+": 0.04})
    assert float(point.V_rest) == pytest.approx(-67.3, abs=0.05)
    assert float(point["E_K+"]) == pytest.approx(-89.1, abs=0.05)


def test_grid_equals_the_ghk_equation_written_out():
    ds = sweep(small_cell(), {"K+.out": K_GRID, "perm.Na+": NA_GRID})
    expected = ghk_monovalent(K_GRID[:, None], NA_GRID[None, :])
    assert ds.V_rest.dims == ("K+.out", "perm.Na+")
    np.testing.assert_allclose(ds.V_rest.values, expected, rtol=1e-12, atol=1e-12)
    # Nernst for K+ along its own axis only: E = RT/F ln(out/in).
    np.testing.assert_allclose(ds["E_K+"].values, vt(37.0) * np.log(K_GRID / K_IN), rtol=1e-12)


@pytest.mark.parametrize(("i", "j"), [(0, 0), (2, 2), (5, 4), (3, 1)])
def test_grid_points_equal_scalar_ghk_voltage(i, j):
    ds = sweep("mammalian-neuron", {"K+.out": K_GRID, "perm.Na+": NA_GRID})
    direct = nernst.ghk_voltage(
        {"K+": 1.0, "Na+": float(NA_GRID[j]), "Cl-": 0.45},
        c_in={"K+": 140.0, "Na+": 10.0, "Cl-": 10.0},
        c_out={"K+": float(K_GRID[i]), "Na+": 145.0, "Cl-": 110.0},
    )
    assert float(ds.V_rest[i, j]) == pytest.approx(direct, rel=1e-13)


def test_labels_units_and_the_dimensions_each_variable_depends_on():
    ds = sweep(small_cell(), {"potassium.in": [100.0, 140.0], "celsius": [20.0, 37.0]})
    assert list(ds.dims) == ["K+.in", "celsius"]
    assert ds["K+.in"].attrs["units"] == "mM"
    assert ds["celsius"].attrs["units"] == "degC"
    assert ds.V_rest.attrs["units"] == "mV"
    assert ds["E_K+"].dims == ("K+.in", "celsius")
    assert ds["E_Na+"].dims == ("celsius",)
    assert ds.attrs["permeability_units"] == "relative"
    assert json.loads(ds.attrs["cell_definition"])["inside"]["K+"] == K_IN
    ds2 = sweep(small_cell(), {"perm.Na+": NA_GRID})
    assert ds2["perm.Na+"].attrs["units"] == "relative"
    assert ds2["E_Na+"].dims == ()  # nothing it depends on varies
    assert float(ds2["E_Na+"]) == pytest.approx(vt(37.0) * math.log(NA_OUT / NA_IN), rel=1e-12)
    assert ds2.attrs["celsius"] == 37.0 and "celsius" not in ds.attrs  # varied there
    # Ca2+ is impermeant in the preset: V_rest does not depend on it (a 0-d variable).
    ds3 = sweep("mammalian-neuron", {"Ca2+.out": [1.0, 2.0]})
    assert ds3.V_rest.dims == () and ds3["E_Ca2+"].dims == ("Ca2+.out",)
    assert float(ds3.V_rest) == pytest.approx(float(ghk_monovalent(K_OUT, P_NA)), rel=1e-12)


def test_temperature_axis_scales_v_rest_with_absolute_temperature():
    # With fixed concentrations and monovalent ions V = (RT/F) ln(...): V / T is constant.
    celsius = np.array([0.0, 10.0, 25.0, 37.0, 45.0])
    ds = sweep(small_cell(), {"celsius": celsius})
    ratio = ds.V_rest.values / (celsius + 273.15)
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-12)
    np.testing.assert_allclose(ds.V_rest.values, ghk_monovalent(K_OUT, P_NA, celsius=celsius))


def test_permeability_of_an_impermeant_ion_can_be_varied():
    # Ca2+ is impermeant in the preset; with P_Ca > 0 the divalent (quadratic) GHK applies.
    ds = sweep("mammalian-neuron", {"perm.Ca2+": [0.0, 0.01, 1.0]})
    base = nernst.Cell.preset("mammalian-neuron")
    assert float(ds.V_rest[0]) == pytest.approx(base.resting_potential(), rel=1e-13)
    for k, p_ca in enumerate([0.01, 1.0]):
        direct = nernst.ghk_voltage(
            {**base.permeability, "Ca2+": p_ca}, c_in=base.inside, c_out=base.outside
        )
        assert float(ds.V_rest[k + 1]) == pytest.approx(direct, rel=1e-12)


def test_currents_at_v_rest_follow_ghk_and_sum_to_zero():
    # Absolute permeabilities (cm/s): I = P z F w/(1 - e^-w) (c_in - c_out e^-w), w = zFV/RT,
    # 1 mM = 1e-6 mol/cm^3, A -> mA x 1e3; positive outward.
    cell = nernst.Cell(
        inside={"K+": K_IN, "Na+": NA_IN, "Cl-": CL_IN},
        outside={"K+": K_OUT, "Na+": NA_OUT, "Cl-": CL_OUT},
        permeability={"K+": 1e-6, "Na+": 4e-8, "Cl-": 4.5e-7},
    )
    ds = sweep(cell, {"K+.out": K_GRID}, outputs=("resting_potential", "currents"))
    assert set(ds.data_vars) == {"V_rest", "I_K+", "I_Na+", "I_Cl-"}
    assert ds.attrs["permeability_units"] == "cm/s"
    V = ds.V_rest.values
    for ion, z, P, ci, co in (
        ("K+", 1, 1e-6, K_IN, K_GRID),
        ("Na+", 1, 4e-8, NA_IN, NA_OUT),
        ("Cl-", -1, 4.5e-7, CL_IN, CL_OUT),
    ):
        w = z * V * 1e-3 / vt(37.0) * 1e3
        expected = P * z * F * w / (-np.expm1(-w)) * (ci - co * np.exp(-w)) * 1e-6 * 1e3
        np.testing.assert_allclose(ds[f"I_{ion}"].values, expected, rtol=1e-9)
        assert ds[f"I_{ion}"].attrs["units"] == "mA/cm^2"
    total = sum(ds[f"I_{i}"] for i in ("K+", "Na+", "Cl-"))
    scale = abs(ds["I_K+"]).values
    assert np.all(np.abs(total.values) <= 1e-9 * scale)


# -- Dask, schedulers, a cluster --------------------------------------------------------------
def test_dask_lazy_result_equals_numpy_block_by_block():
    ref = sweep("mammalian-neuron", {"K+.out": K_GRID, "perm.Na+": NA_GRID})
    lazy = sweep(
        "mammalian-neuron", {"K+.out": K_GRID, "perm.Na+": NA_GRID}, chunks=2, compute=False
    )
    import dask.array as da

    assert isinstance(lazy.V_rest.data, da.Array)
    assert lazy.V_rest.data.chunks == ((2, 2, 2), (2, 2, 1))
    assert isinstance(lazy["E_K+"].data, da.Array)
    np.testing.assert_array_equal(lazy.V_rest.values, ref.V_rest.values)
    np.testing.assert_array_equal(lazy["E_K+"].values, ref["E_K+"].values)
    assert float(lazy.V_rest.mean().compute(scheduler="synchronous")) == pytest.approx(
        float(ref.V_rest.mean()), rel=1e-14
    )


@pytest.mark.parametrize("scheduler", ["synchronous", "threads", "processes"])
def test_schedulers_compute_the_same_grid(scheduler):
    ref = ghk_monovalent(K_GRID[:, None], NA_GRID[None, :])
    ds = sweep(small_cell(), {"K+.out": K_GRID, "perm.Na+": NA_GRID}, chunks=3, scheduler=scheduler)
    assert isinstance(ds.V_rest.data, np.ndarray)  # computed by sweep
    np.testing.assert_allclose(ds.V_rest.values, ref, rtol=1e-12)


def test_auto_switch_to_lazy_dask_above_the_threshold(monkeypatch):
    monkeypatch.setattr(sweep_module, "DASK_THRESHOLD", 10)
    ds = sweep("mammalian-neuron", {"K+.out": K_GRID, "perm.Na+": NA_GRID})  # 30 points
    import dask.array as da

    assert isinstance(ds.V_rest.data, da.Array)
    small = sweep("mammalian-neuron", {"K+.out": K_GRID[:2]})  # 2 points: NumPy
    assert isinstance(small.V_rest.data, np.ndarray)
    with pytest.raises(ValueError, match="stays lazy"):
        sweep("mammalian-neuron", {"K+.out": K_GRID, "perm.Na+": NA_GRID}, scheduler="threads")


def test_local_cluster_on_127_0_0_1():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            protocol="tcp",
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        ds = sweep(
            "mammalian-neuron", {"K+.out": K_GRID, "perm.Na+": NA_GRID}, chunks=2, client=client
        )
        assert isinstance(ds.V_rest.data, np.ndarray)
        # The seed chapter's point, and the equation written out everywhere.
        assert float(ds.V_rest.sel({"K+.out": 5.0, "perm.Na+": 0.04})) == pytest.approx(
            -67.3, abs=0.05
        )
        np.testing.assert_allclose(
            ds.V_rest.values, ghk_monovalent(K_GRID[:, None], NA_GRID[None, :]), rtol=1e-12
        )
        # A lazy sweep reduced on the cluster (the Client is the default scheduler).
        lazy = sweep("mammalian-neuron", {"K+.out": K_GRID, "perm.Na+": NA_GRID}, compute=False)
        assert float(lazy.V_rest.max().compute()) == pytest.approx(float(ds.V_rest.max()))


# -- laws (Hypothesis) ------------------------------------------------------------------------
conc = st.floats(0.1, 500.0)
perm = st.floats(1e-3, 10.0)


@given(k_in=conc, na_in=conc, cl_in=conc, k_out=conc, na_out=conc, cl_out=conc, p_cl=perm)
def test_v_rest_lies_between_the_extreme_equilibrium_potentials(
    k_in, na_in, cl_in, k_out, na_out, cl_out, p_cl
):
    # GHK with monovalent ions is a weighted mean in exp(V F/RT): min E <= V_rest <= max E.
    cell = nernst.Cell(
        inside={"K+": k_in, "Na+": na_in, "Cl-": cl_in},
        outside={"K+": k_out, "Na+": na_out, "Cl-": cl_out},
        permeability={"K+": 1.0, "Cl-": p_cl},
    )
    ds = sweep(cell, {"perm.Na+": [0.0, 0.01, 1.0, 100.0], "celsius": [5.0, 37.0]})
    E = xr.concat([ds["E_K+"], ds["E_Na+"], ds["E_Cl-"]], "ion").broadcast_like(ds.V_rest)
    slack = 1e-9 * (1 + abs(E).max("ion"))
    assert bool((ds.V_rest >= E.min("ion") - slack).all())
    assert bool((ds.V_rest <= E.max("ion") + slack).all())


@given(scale=st.floats(1e-3, 1e3))
def test_v_rest_invariant_to_scaling_all_permeabilities(scale):
    # Only ratios enter the GHK voltage: the grid point (s P_K, s P_Na) with P_Cl = s P_Cl
    # equals the unscaled one.
    vary = {"perm.K+": [1.0, scale], "perm.Na+": [0.04, 0.04 * scale], "perm.Cl-": [0.45]}
    ds = sweep(small_cell(), vary)
    scaled = sweep(small_cell(), {**vary, "perm.Cl-": [0.45 * scale]})
    assert float(scaled.V_rest[1, 1, 0]) == pytest.approx(float(ds.V_rest[0, 0, 0]), abs=1e-10)


# -- bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("vary", "kwargs", "match"),
    [
        ({"K+.up": [1.0]}, {}, "unknown parameter path 'K\\+.up'.*K\\+.out"),
        ({"Kx.out": [1.0]}, {}, "unknown ion 'Kx'"),
        ({"Mg2+.out": [1.0]}, {}, "Mg2\\+ is not in the cell"),
        ({"K+.out": [1.0], "potassium.out": [2.0]}, {}, "both vary K\\+.out"),
        ({"K+.out": []}, {}, "non-empty 1-D"),
        ({"K+.out": [[1.0, 2.0]]}, {}, "non-empty 1-D"),
        ({"K+.out": 5.0}, {}, "single value"),
        ({"K+.out": [1.0, -2.0]}, {}, "K\\+.out.*=-2.*positive"),
        ({"K+.out": [1.0, np.nan]}, {}, "positive and finite"),
        ({"perm.Na+": [-1.0]}, {}, "perm.Na\\+.*zero or positive"),
        ({"celsius": [310.0]}, {}, "celsius - 273.15|310 - 273.15"),
        ({}, {}, "non-empty mapping"),
        ({"K+.out": [5.0]}, {"outputs": ("voltage",)}, "unknown output 'voltage'"),
        ({"K+.out": [5.0]}, {"scheduler": "gpu"}, "unknown scheduler 'gpu'"),
        ({"K+.out": [5.0]}, {"dask": False, "scheduler": "threads"}, "need Dask"),
        ({"K+.out": [5.0]}, {"dask": False, "compute": False}, "needs Dask"),
        ({"K+.out": [5.0]}, {"compute": False, "scheduler": "threads"}, "stays lazy"),
        ({"K+.out": [5.0]}, {"client": object()}, "dask.distributed Client"),
        ({"K+.out": [5.0]}, {"chunks": 0}, "positive integer"),
        ({"K+.out": [5.0]}, {"chunks": "big"}, "chunks='big'"),
        ({"K+.out": [5.0]}, {"chunks": {"Na+.out": 2}}, "not a varied parameter"),
        ({"K+.out": [5.0]}, {"chunks": (1, 2)}, "2 entries"),
    ],
)
def test_bad_input_is_a_clear_error(vary, kwargs, match):
    with pytest.raises(ValueError, match=match):
        sweep("mammalian-neuron", vary, **kwargs)


def test_no_permeant_ion_anywhere_is_an_error():
    cell = nernst.Cell(inside={"K+": 140.0}, outside={"K+": 5.0}, permeability={})
    with pytest.raises(ValueError, match="no ion is permeant"):
        sweep(cell, {"K+.out": [5.0]})
    # Only the equilibrium potentials are fine without permeabilities.
    ds = sweep(cell, {"K+.out": [5.0]}, outputs="equilibrium_potentials")
    assert float(ds["E_K+"][0]) == pytest.approx(vt(37.0) * math.log(5 / 140), rel=1e-12)
    # A grid point where every permeability is zero has no GHK voltage.
    with pytest.raises(ValueError, match=r"perm\.K\+=0"):
        sweep(cell, {"perm.K+": [0.0, 1.0]})


def test_unknown_preset_and_missing_file():
    with pytest.raises(ValueError, match="unknown preset"):
        sweep("no-such-cell", {"K+.out": [5.0]})
    with pytest.raises(ValueError, match="cannot read cell file"):
        sweep("missing.toml", {"K+.out": [5.0]})


# -- import weight and the module/function name ------------------------------------------------
def test_import_stays_light_and_sweep_is_the_function():
    code = (
        "import sys, nernst, nernst.sweeps\n"
        "assert 'xarray' not in sys.modules and 'dask' not in sys.modules, 'heavy import'\n"
        "ds = nernst.sweep('mammalian-neuron', {'K+.out': [5.0]})\n"
        "print(round(float(ds.V_rest[0]), 1))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "-67.3"


# -- the command line -------------------------------------------------------------------------
runner = CliRunner()


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"nernst {' '.join(args)} crashed: {result.exception!r}\n{result.output}"
    )
    return result


def test_cli_1d_json_has_the_seed_value():
    result = invoke("sweep", "mammalian-neuron", "--vary", "K+.out=2.5,5,10", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["dims"]["K+.out"] == {"size": 3, "min": 2.5, "max": 10.0, "units": "mM"}
    assert data["coords"]["K+.out"] == [2.5, 5.0, 10.0]
    assert data["variables"]["V_rest"]["values"][1] == pytest.approx(-67.3, abs=0.05)
    assert data["variables"]["V_rest"]["units"] == "mV"
    assert data["backend"] == "numpy"


def test_cli_text_summary_and_ranges():
    result = invoke("sweep", "--vary", "K+.out=1:100:100", "--vary", "perm.Na+=log:1e-3:1:7")
    assert result.exit_code == 0, result.output
    assert "100 x 7 = 700 points" in result.stdout
    assert "perm.Na+  0.001 .. 1 relative (7 values)" in result.stdout
    assert re.search(r"V_rest\s+min -9\d\.\d+", result.stdout)


def test_parse_vary_ranges():
    path, values = cli_module.parse_vary("K+.out=1:100:1000")
    assert path == "K+.out"
    np.testing.assert_array_equal(values, np.linspace(1, 100, 1000))
    path, values = cli_module.parse_vary("perm.Na+=log:1e-3:1:4")
    np.testing.assert_allclose(values, [1e-3, 1e-2, 1e-1, 1.0], rtol=1e-12)
    assert cli_module.parse_vary(" celsius = 20,37 ")[1].tolist() == [20.0, 37.0]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--vary", "K+.out=1:100"), "START:STOP:NUM"),
        (("--vary", "K+.out=1:100:2.5"), "whole number"),
        (("--vary", "K+.out=a:100:3"), "'a' is not a number"),
        (("--vary", "K+.out=log:0:1:3"), "START and STOP > 0"),
        (("--vary", "K+.out"), "PATH=RANGE"),
        (("--vary", "K+.out=1:inf:3"), "not a finite number"),
        (("--vary", "K+.side=1:2:3"), "unknown parameter path"),
        (("--vary", "K+.out=1:2:3", "--vary", "K+.out=3:4:2"), "given twice"),
        (("--vary", "K+.out=1:2:3", "-o", "out.txt"), "unknown format '.txt'"),
        (("--vary", "K+.out=1:2:3", "-o", "/no/such/dir/out.csv"), "does not exist"),
        (("--vary", "K+.out=1:2:3", "--plot", "p.jpg"), ".png"),
        (
            (
                "--vary",
                "K+.out=1:2:3",
                "--vary",
                "K+.in=1:2:3",
                "-v",
                "celsius=1,2",
                "--plot",
                "x.png",
            ),
            "1-D and 2-D",
        ),
        ((), "at least one --vary"),
        (("--vary", "K+.out=1:2:3", "--scheduler", "gpu"), "--scheduler 'gpu'"),
        (("no-such-cell", "--vary", "K+.out=1:2:3"), "unknown preset"),
    ],
)
def test_cli_bad_input_one_line_exit_2(args, needle):
    result = invoke("sweep", *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], lines


def _reference_2d():
    return sweep("mammalian-neuron", {"K+.out": [1.0, 5.0, 20.0], "perm.Na+": [0.01, 0.04]})


@pytest.mark.parametrize("lazy", [False, True], ids=["numpy", "dask"])
@pytest.mark.parametrize("suffix", [".csv", ".nc", ".zarr"])
def test_cli_writes_each_format(tmp_path, monkeypatch, suffix, lazy):
    if suffix == ".zarr":
        pytest.importorskip("zarr")
    if lazy:  # force the chunked Dask writer on a small grid
        monkeypatch.setattr(cli_module, "CLI_DASK_POINTS", 1)
    out = tmp_path / f"grid{suffix}"
    result = invoke(
        "sweep", "-v", "K+.out=1,5,20", "-v", "perm.Na+=0.01,0.04", "-o", str(out), "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["output"] == str(out) and data["backend"] == ("dask" if lazy else "numpy")
    ref = _reference_2d()
    assert data["variables"]["V_rest"]["min"] == pytest.approx(float(ref.V_rest.min()))
    if suffix == ".csv":
        import pandas as pd

        frame = pd.read_csv(out)
        assert list(frame.columns[:3]) == ["K+.out [mM]", "perm.Na+ [relative]", "V_rest [mV]"]
        assert len(frame) == 6  # long format: one row per grid point
        np.testing.assert_allclose(frame["V_rest [mV]"], ref.V_rest.values.ravel(), rtol=1e-12)
        assert frame["E_K+ [mV]"].tolist()[::2] == pytest.approx(ref["E_K+"].values.tolist())
    else:
        opened = xr.open_zarr(out) if suffix == ".zarr" else xr.open_dataset(out)
        with opened as back:
            np.testing.assert_allclose(back.V_rest.values, ref.V_rest.values, rtol=1e-14)
            assert back.V_rest.attrs["units"] == "mV"
            assert back["K+.out"].attrs["units"] == "mM"


@pytest.mark.parametrize("dims", [1, 2])
def test_cli_plot_line_and_heat_map(tmp_path, dims):
    pytest.importorskip("matplotlib")
    png = tmp_path / f"sweep{dims}.png"
    args = ["sweep", "-v", "K+.out=1:100:30"] + (["-v", "perm.Na+=log:1e-3:1:20"] * (dims == 2))
    result = invoke(*args, "--plot", str(png))
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_cli_progress_bar_follows_dask(capsys):
    import dask.array as da

    with cli_module._progress("test", enabled=True):
        total = da.ones((100,), chunks=10).sum().compute(scheduler="synchronous")
    assert total == 100


def test_cli_currents_and_cell_file(tmp_path):
    cell = tmp_path / "axon.toml"
    cell.write_text(
        'celsius = 20.0\n[inside]\n"K+" = 400.0\n"Na+" = 50.0\n'
        '[outside]\n"K+" = 20.0\n"Na+" = 440.0\n'
        '[permeability]\n"K+" = 1e-6\n"Na+" = 4e-8\n',
        encoding="utf-8",
    )
    result = invoke("sweep", str(cell), "-v", "K+.out=10,20", "--currents", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["permeability_units"] == "cm/s"
    # GHK at 20 C with [K+]out = 20: VT ln((1e-6*20 + 4e-8*440)/(1e-6*400 + 4e-8*50)).
    expected = float(vt(20.0)) * math.log((1e-6 * 20 + 4e-8 * 440) / (1e-6 * 400 + 4e-8 * 50))
    assert data["variables"]["V_rest"]["values"][1] == pytest.approx(expected, rel=1e-12)
    i_k, i_na = data["variables"]["I_K+"]["values"], data["variables"]["I_Na+"]["values"]
    assert i_k[1] + i_na[1] == pytest.approx(0.0, abs=1e-9 * abs(i_k[1]))


def test_entry_point_sweep(tmp_path):
    exe = shutil.which("nernst")
    if exe is None:
        pytest.fail("the `nernst` console script is not on PATH")
    ok = subprocess.run(
        [exe, "sweep", "-v", "K+.out=5", "-v", "perm.Na+=0.04", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["variables"]["V_rest"]["values"] == [
        [pytest.approx(-67.3, abs=0.05)]
    ]
    bad = subprocess.run(
        [exe, "sweep", "-v", "K+.out=1:2"], capture_output=True, text=True, timeout=60, check=False
    )
    assert (
        bad.returncode == 2 and bad.stderr.startswith("error: ") and "Traceback" not in bad.stderr
    )


def test_auto_chunks_never_cut_a_long_axis_into_single_values():
    # Issue 11: a long leading axis behind a long trailing one was cut into blocks of one
    # value (1e6 blocks for 1e6 values); "auto" now shares the block between the axes.
    ds = sweep(
        "mammalian-neuron",
        {"K+.out": np.linspace(1, 100, 4000), "Na+.out": np.linspace(100, 150, 300_000)},
        compute=False,
        max_points=2_000_000_000,
    )
    k_chunks, na_chunks = ds.V_rest.data.chunks
    assert min(k_chunks[:-1]) > 1 and min(na_chunks[:-1]) > 1
    assert max(k_chunks) * max(na_chunks) <= sweep_module.BLOCK_POINTS


# -- the block engine: the same bits as ghk_voltage on the stacked grid ----------------------
DIVALENT_VARY = {
    "K+.out": np.linspace(1.0, 100.0, 37),
    "perm.Ca2+": [0.0, 1e-3, 0.1, 2.0],  # P_Ca = 0 (monovalent) and > 0 (the quadratic)
    "Na+.in": [5.0, 12.0, 30.0],
    "celsius": [6.3, 20.0, 37.0],
}


def stacked_ghk_voltage(cell: nernst.Cell, vary: dict) -> np.ndarray:
    """V_rest over the grid the way the sweep used to compute it: every ion's P, c_in and
    c_out broadcast to the full grid and stacked on a last axis, then one call of the public
    ghk_voltage (ions with P > 0 somewhere on the grid; valences from the ion table)."""
    names = list(vary)
    shape = tuple(len(v) for v in vary.values())

    def axis(path: str, base: float) -> np.ndarray:
        if path not in vary:
            return np.full(shape, base)
        k = names.index(path)
        view = [1] * len(shape)
        view[k] = shape[k]
        return np.broadcast_to(np.asarray(vary[path], float).reshape(view), shape)

    permeant = [i for i in cell.c_in if cell.permeability.get(i, 0.0) > 0 or f"perm.{i}" in vary]
    P = np.stack([axis(f"perm.{i}", cell.permeability.get(i, 0.0)) for i in permeant], -1)
    ci = np.stack([axis(f"{i}.in", cell.c_in[i]) for i in permeant], -1)
    co = np.stack([axis(f"{i}.out", cell.c_out[i]) for i in permeant], -1)
    celsius = axis("celsius", cell.celsius) if "celsius" in vary else cell.celsius
    z = [nernst.ions[i].charge for i in permeant]
    return np.asarray(nernst.ghk_voltage(P, c_in=ci, c_out=co, z=z, celsius=celsius))


@pytest.mark.parametrize("how", ["numpy", "numpy-small-blocks", "dask"])
def test_blocks_equal_ghk_voltage_on_the_stacked_grid_to_the_last_bit(how):
    cell = nernst.Cell.preset("mammalian-neuron")
    kwargs = {
        "numpy": {},
        "numpy-small-blocks": {"chunks": {"K+.out": 5, "celsius": 2}},  # 48 blocks, threads
        "dask": {"chunks": 4, "scheduler": "threads"},
    }[how]
    ds = sweep(cell, DIVALENT_VARY, outputs="resting_potential", **kwargs)
    expected = stacked_ghk_voltage(cell, DIVALENT_VARY)
    assert ds.V_rest.dims == tuple(DIVALENT_VARY)
    np.testing.assert_array_equal(ds.V_rest.values, expected)
    # And the physics, independently: at P_Ca = 0 the monovalent equation written out.
    np.testing.assert_allclose(
        ds.V_rest.values[:, 0, :, :],
        vt(np.array([6.3, 20.0, 37.0]))[None, None, :]
        * np.log(
            (P_K * DIVALENT_VARY["K+.out"][:, None, None] + P_NA * NA_OUT + P_CL * CL_IN)
            / (P_K * K_IN + P_NA * np.array([5.0, 12.0, 30.0])[None, :, None] + P_CL * CL_OUT)
        ),
        rtol=1e-13,
        atol=1e-12,
    )


def test_divalent_grid_point_solves_the_zero_current_quadratic():
    # At P_Ca > 0 the root x = exp(-FV/RT) of (B + D) x^2 - (A - B) x - (A + C) = 0 (the
    # quadratic of ghk_voltage's docstring), here solved with numpy.roots.
    ds = sweep("mammalian-neuron", DIVALENT_VARY)
    t, k_out, na_in, p_ca = 20.0, DIVALENT_VARY["K+.out"][7], 12.0, 0.1
    A = P_K * K_IN + P_NA * na_in + P_CL * CL_OUT
    B = P_K * k_out + P_NA * NA_OUT + P_CL * CL_IN
    C, D = 4 * p_ca * 1e-4, 4 * p_ca * 2.0  # Ca2+ 0.0001 mM in, 2 mM out in the preset
    roots = np.roots([B + D, -(A - B), -(A + C)])
    x = float(roots[roots.real > 0].real[0])
    point = ds.V_rest.sel({"K+.out": k_out, "perm.Ca2+": p_ca, "Na+.in": na_in, "celsius": t})
    assert float(point) == pytest.approx(-float(vt(t)) * math.log(x), rel=1e-11)


def test_currents_on_blocks_equal_ghk_current_on_the_stacked_grid():
    cell = nernst.Cell(
        c_in={"K+": K_IN, "Na+": NA_IN, "Cl-": CL_IN},
        c_out={"K+": K_OUT, "Na+": NA_OUT, "Cl-": CL_OUT},
        permeability={"K+": 1e-6, "Na+": 4e-8, "Cl-": 4.5e-7},
    )
    vary = {"K+.out": K_GRID, "perm.Na+": [1e-9, 4e-8, 1e-6], "celsius": [20.0, 37.0]}
    ds = sweep(cell, vary, outputs=("resting_potential", "currents"), chunks=2)
    V = stacked_ghk_voltage(cell, vary)
    np.testing.assert_array_equal(ds.V_rest.values, V)
    p_na = np.asarray(vary["perm.Na+"])[None, :, None]
    celsius = np.asarray(vary["celsius"])[None, None, :]
    for ion, P, ci, co in (
        ("K+", 1e-6, K_IN, K_GRID[:, None, None]),
        ("Na+", p_na, NA_IN, NA_OUT),
        ("Cl-", 4.5e-7, CL_IN, CL_OUT),
    ):
        expected = nernst.ghk_current(
            ion,
            v_m=V,
            permeability=np.broadcast_to(P, V.shape),
            c_in=np.broadcast_to(ci, V.shape),
            c_out=np.broadcast_to(co, V.shape),
            celsius=np.broadcast_to(celsius, V.shape),
        )
        np.testing.assert_array_equal(ds[f"I_{ion}"].values, expected)


def test_in_memory_blocks_run_on_threads_and_agree_with_one_thread(monkeypatch):
    seen: set[str] = set()
    real_block = sweep_module._ghk_block

    def spy(*axes, spec, out=None):
        import threading

        seen.add(threading.current_thread().name)
        return real_block(*axes, spec=spec, out=out)

    vary = {"K+.out": np.linspace(1.0, 100.0, 200), "perm.Na+": np.logspace(-3, 0, 50)}
    monkeypatch.setattr(sweep_module, "_ghk_block", spy)
    monkeypatch.setattr(sweep_module, "_threads", lambda blocks: min(2, blocks))
    threaded = sweep(small_cell(), vary, chunks={"K+.out": 10}).V_rest.values
    assert seen and all(name.startswith("nernst-sweep") for name in seen)
    monkeypatch.setattr(sweep_module, "_threads", lambda blocks: 1)
    one = sweep(small_cell(), vary, chunks={"K+.out": 10}).V_rest.values
    np.testing.assert_array_equal(threaded, one)
    expected = ghk_monovalent(vary["K+.out"][:, None], vary["perm.Na+"][None, :])
    np.testing.assert_allclose(threaded, expected, rtol=1e-13, atol=1e-12)


def test_a_block_error_reaches_the_caller_from_a_thread(monkeypatch):
    def broken(*axes, spec, out=None):
        raise RuntimeError("block failed")

    monkeypatch.setattr(sweep_module, "_ghk_block", broken)
    monkeypatch.setattr(sweep_module, "_threads", lambda blocks: 2)
    with pytest.raises(RuntimeError, match="block failed"):
        sweep(small_cell(), {"K+.out": K_GRID}, chunks=2)


@pytest.mark.parametrize("perm_na", [NA_GRID, np.array([0.0, 0.04])])  # screened / not
def test_inputs_are_validated_once_per_sweep_not_per_block(monkeypatch, perm_na):
    ghk_module = importlib.import_module("nernst.ghk")
    calls = {"validated": 0, "check": 0}
    real_validated, real_check = ghk_module._validated, ghk_module._check_columns

    def count(name, real):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(ghk_module, "_validated", count("validated", real_validated))
    monkeypatch.setattr(ghk_module, "_check_columns", count("check", real_check))
    ds = sweep("mammalian-neuron", {"K+.out": K_GRID, "perm.Na+": perm_na}, chunks=1)
    assert ds.V_rest.shape == (len(K_GRID), len(perm_na))  # 6 x n blocks of one point
    assert calls == {"validated": 0, "check": 0}
    np.testing.assert_allclose(
        ds.V_rest.values, ghk_monovalent(K_GRID[:, None], perm_na[None, :]), rtol=1e-13
    )


def test_auto_blocks_of_an_in_memory_sweep_are_whole_trailing_rows():
    rows = sweep_module._row_blocks
    assert rows((3162, 3162), 1 << 18) == [82, 3162]
    assert rows((10, 20, 30), 1000) == [1, 20, 30]
    assert rows((4, 2_000_000), 1 << 18) == [1, 1 << 18]
    assert rows((5,), 1 << 18) == [5]


def test_compute_true_above_the_threshold_runs_in_memory_without_dask(monkeypatch):
    lazy = sweep("mammalian-neuron", {"K+.out": K_GRID, "perm.Na+": NA_GRID}, compute=False)
    monkeypatch.setattr(sweep_module, "DASK_THRESHOLD", 10)

    def no_dask(*args, **kwargs):
        raise AssertionError("compute=True without a scheduler must not build a Dask graph")

    monkeypatch.setattr(sweep_module, "_dask_grid", no_dask)
    ds = sweep("mammalian-neuron", {"K+.out": K_GRID, "perm.Na+": NA_GRID}, compute=True)
    assert isinstance(ds.V_rest.data, np.ndarray)
    np.testing.assert_array_equal(ds.V_rest.values, lazy.V_rest.values)
    np.testing.assert_array_equal(ds["E_K+"].values, lazy["E_K+"].values)
