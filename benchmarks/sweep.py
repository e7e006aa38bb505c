"""Sweep timings: ``nernst.sweep`` of the GHK resting potential against a hand-written chunked
NumPy reduction, timed interleaved in the same run; peak RSS; scaling; LocalCluster vs threads.

Usage::

    python benchmarks/sweep.py            # 1e5..1e8 points, about a minute on 2 cores
    python benchmarks/sweep.py --quick    # 1e5..1e7 points, under ~20 s

The grid is the mammalian-neuron preset (K+, Na+, Cl- permeant; the seed chapter's neuron)
with [K+]out linear over 1-100 mM and P_Na log-spaced over 1e-3-1 (relative), n x n points.
Every line reduces V_rest over the whole grid to its minimum, maximum and mean.

- **nernst**: ``sweep(cell, grid, outputs="resting_potential")``; up to 1e7 points the result
  is computed in memory (NumPy blocks on threads) and reduced with NumPy's ``min``/``max``/
  ``mean`` of ``ds.V_rest.values``; above, the result is lazy (Dask) and reduced in one pass
  with ``dask.compute(v.min(skipna=False), v.max(skipna=False), v.mean(skipna=False))``
  (``v = ds.V_rest``; a sweep never returns NaN, so nothing needs skipping, and xarray's
  default NaN-skipping reductions would copy every block) on Dask's default threaded
  scheduler, so the grid is never held in memory.
- **baseline** (:func:`hand_reduction`): what an expert writes for this one cell: a loop over
  chunks of 2**16 grid points of the broadcast axes, the closed-form monovalent GHK root
  ``RT/F ln((P_K K_o + P_Na Na_o + P_Cl Cl_i) / (P_K K_i + P_Na Na_i + P_Cl Cl_o))`` with the
  constant parts of the sums folded outside the loop, in-place NumPy, running min/max/sum.
  One thread (NumPy has no threaded ufuncs); nernst uses every core, and the one-thread
  line shows what that is worth.

Ratios are nernst / baseline, the median of >= 7 interleaved pairs with the min-max spread
(``_harness.paired``); lower is better. Peak RSS is ``ru_maxrss`` of a fresh child process
that imports nernst, xarray and Dask and runs one sweep and reduction (the import alone is
given for scale). The LocalCluster line runs in a child too (2 worker processes, 1 thread
each, started before the clock). Only measures and prints; asserts nothing, exits 0.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import Row, Timing, harness_main, info_row, paired, timed_row

TOPIC = "sweep"
CELL = "mammalian-neuron"
RATIO_LIMIT = 3.0  # issue 13: within 3x of the hand-written reduction
RSS_LIMIT_MB = 300.0  # issue 13: peak RSS at 1e8 points
HAND_CHUNK = 1 << 16  # grid points per chunk of the baseline (512 kB temporaries)

# CODATA 2018 exact: R = k_B N_A, F = e N_A; the preset's values (cells.toml).
R = 1.380649e-23 * 6.02214076e23
F = 1.602176634e-19 * 6.02214076e23
VT_MV = R * (37.0 + 273.15) / F * 1e3
K_IN, NA_IN, CL_IN = 140.0, 10.0, 10.0
NA_OUT, CL_OUT = 145.0, 110.0
P_K, P_CL = 1.0, 0.45


def grid(n: int) -> dict[str, np.ndarray]:
    return {"K+.out": np.linspace(1.0, 100.0, n), "perm.Na+": np.logspace(-3.0, 0.0, n)}


def side(points: float) -> int:
    return round(math.sqrt(points))


# --------------------------------------------------------------------------- the two sides
def hand_reduction(n: int) -> tuple[float, float, float]:
    """(min, max, mean) of V_rest over the n x n grid: chunked NumPy closed form, by hand."""
    k_out = np.linspace(1.0, 100.0, n)
    p_na = np.logspace(-3.0, 0.0, n)
    top = p_na * NA_OUT + P_CL * CL_IN  # the numerator without P_K K_out, per P_Na
    bottom = p_na * NA_IN + (P_K * K_IN + P_CL * CL_OUT)  # the denominator, per P_Na
    rows = max(1, HAND_CHUNK // n)
    buf = np.empty((rows, n))
    lo, hi, total = math.inf, -math.inf, 0.0
    for i in range(0, n, rows):
        v = buf[: min(rows, n - i)]
        np.add((P_K * k_out[i : i + rows])[:, None], top[None, :], out=v)
        np.divide(v, bottom[None, :], out=v)
        np.log(v, out=v)
        lo = min(lo, float(v.min()))
        hi = max(hi, float(v.max()))
        total += float(v.sum())
    return lo * VT_MV, hi * VT_MV, total / (n * n) * VT_MV


def nernst_reduction(n: int) -> tuple[float, float, float]:
    """(min, max, mean) of V_rest over the n x n grid with nernst.sweep."""
    from nernst.sweeps import DASK_THRESHOLD, sweep

    if n * n <= DASK_THRESHOLD:
        v = sweep(CELL, grid(n), outputs="resting_potential").V_rest.values
        return float(v.min()), float(v.max()), float(v.mean())

    ds = sweep(CELL, grid(n), outputs="resting_potential")  # lazy above DASK_THRESHOLD
    return _reduce_lazy(ds)


def _reduce_lazy(ds: Any, **compute_kw: Any) -> tuple[float, float, float]:
    """min, max, mean of a lazy V_rest in one Dask pass (no NaN skipping: a sweep never
    returns NaN, and the baseline does not skip any either)."""
    import dask

    v = ds.V_rest
    lo, hi, mean = dask.compute(
        v.min(skipna=False), v.max(skipna=False), v.mean(skipna=False), **compute_kw
    )
    return float(lo), float(hi), float(mean)


def _agree(n: int) -> float:
    ours, base = nernst_reduction(n), hand_reduction(n)
    return max(abs(a - b) for a, b in zip(ours, base, strict=True))


# --------------------------------------------------------------------------- children
def peak_rss_mb() -> float:
    """Peak resident set size of this process so far [MB]: ``VmHWM`` of /proc/self/status
    on Linux, else ``ru_maxrss``.

    ``ru_maxrss`` (``resource.getrusage``) of a process started from a large one keeps the
    parent's figure (Linux carries the high-water mark across fork and exec), so a child of
    this benchmark would report the benchmark's own memory; ``VmHWM`` belongs to the new
    program alone."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:  # pragma: no cover - not Linux
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def child_rss(n: int, which: str) -> dict[str, Any]:
    """Peak RSS of a fresh process after the imports, then after the baseline or nernst's
    sweep and reduction of the n x n grid."""
    import resource

    import dask.array  # noqa: F401  (the same imports on every side)
    import xarray  # noqa: F401

    import nernst.sweeps  # noqa: F401

    imports = peak_rss_mb()
    t0 = time.perf_counter()
    out = hand_reduction(n) if which == "hand" else nernst_reduction(n)
    return {
        "seconds": time.perf_counter() - t0,
        "result": list(out),
        "imports_mb": imports,
        "peak_mb": peak_rss_mb(),
        "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }


def child_cluster(n: int, repeats: int) -> dict[str, Any]:
    """Lazy n x n sweep reduced on a 2-worker LocalCluster and on Dask threads, alternately."""
    from distributed import Client, LocalCluster

    from nernst.sweeps import sweep

    def reduce(scheduler: Any) -> float:
        ds = sweep(CELL, grid(n), outputs="resting_potential", compute=False)
        t0 = time.perf_counter()
        _reduce_lazy(ds, scheduler=scheduler)
        return time.perf_counter() - t0

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        reduce(client)  # warm-up: every worker imports nernst
        reduce("threads")
        t_cluster, t_threads = [], []
        for _ in range(repeats):
            t_threads.append(reduce("threads"))
            t_cluster.append(reduce(client))
    return {"cluster": t_cluster, "threads": t_threads}


def run_child(func: str, *args: Any) -> dict[str, Any]:
    """Run ``func(*args)`` of this script in a fresh interpreter; its JSON result."""
    here = Path(__file__).resolve().parent
    code = (
        f"import json, sys; sys.path.insert(0, {str(here)!r}); import sweep as b; "
        f"print(json.dumps(b.{func}(*{args!r})))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, env=os.environ
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {func}{args} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- collect
def _pair(n: int, repeats: int = 7) -> Timing:
    """nernst and the baseline on the n x n grid, interleaved."""
    return paired(lambda: nernst_reduction(n), lambda: hand_reduction(n), repeats=repeats)


def _path(n: int) -> str:
    from nernst.sweeps import DASK_THRESHOLD

    return "in memory, threads" if n * n <= DASK_THRESHOLD else "lazy, Dask threads"


def collect(quick: bool = False) -> list[Row]:
    import nernst.sweeps as sweeps

    rows: list[Row] = []
    load = os.getloadavg()[0]
    sizes = (1e5, 1e6, 1e7) if quick else (1e5, 1e6, 1e7, 1e8)
    targets = (1e7,) if quick else (1e7, 1e8)
    timings: dict[float, Timing] = {}
    pairs = 5 if quick else 7

    # Targets first (the figures the issue asks for), then the scaling table.
    for pts in targets:
        n = side(pts)
        t = _pair(n, pairs)
        timings[pts] = t
        row = timed_row(
            TOPIC,
            f"V_rest sweep {n * n:.0e} points ({_path(n)}), min/max/mean",
            t,
            "chunked NumPy closed form",
            RATIO_LIMIT,
        )
        row.extra["max_abs_diff_mV"] = _agree(n) if pts <= 1e7 else None
        rows.append(row)
    if quick:  # the lazy (Dask) path at the quick size too
        n = side(1e7)
        t = paired(lambda: _lazy(n), lambda: hand_reduction(n), repeats=pairs)
        rows.append(
            timed_row(
                TOPIC,
                f"V_rest sweep {n * n:.0e} points (lazy, Dask threads), min/max/mean",
                t,
                "chunked NumPy closed form",
                RATIO_LIMIT,
            )
        )

    # One thread: what nernst's own arithmetic costs against the same one-thread baseline.
    n = side(1e7)
    threads = sweeps._threads
    sweeps._threads = lambda blocks: 1  # type: ignore[assignment]
    try:
        t = _pair(n, repeats=5)
    finally:
        sweeps._threads = threads  # type: ignore[assignment]
    rows.append(
        timed_row(TOPIC, f"V_rest sweep {n * n:.0e} points, in memory, ONE thread", t, "same", None)
    )

    # Peak RSS in fresh processes.
    big = side(1e7 if quick else 1e8)
    hand = run_child("child_rss", big, "hand")
    ours = run_child("child_rss", big, "nernst")
    rows.append(
        info_row(
            TOPIC,
            f"peak RSS, V_rest sweep {big * big:.0e} points ({_path(big)}) + reduction",
            f"{ours['peak_mb']:.0f} MB (baseline {hand['peak_mb']:.0f} MB, "
            f"imports alone {ours['imports_mb']:.0f} MB)",
            f"< {RSS_LIMIT_MB:.0f} MB" + ("" if big * big > 5e7 else " (1e8: full mode)"),
            ours["peak_mb"] < RSS_LIMIT_MB,
        )
    )
    diff = max(abs(a - b) for a, b in zip(ours["result"], hand["result"], strict=True))
    rows.append(
        info_row(
            TOPIC,
            f"|nernst - baseline| of min/max/mean at {big * big:.0e} points",
            f"{diff:.1e} mV",
        )
    )

    # Scaling: time against the number of points.
    for pts in sizes:
        if pts in timings:
            t = timings[pts]
        else:
            n = side(pts)
            t = _pair(n, pairs)
        rows.append(
            timed_row(
                TOPIC,
                f"scaling: {side(pts) ** 2:.0e} points ({_path(side(pts))})",
                t,
                "chunked NumPy closed form",
                None,
            )
        )

    # LocalCluster (2 processes) against Dask threads, on the lazy path.
    n = side(1e6 if quick else 1e7)
    try:
        res = run_child("child_cluster", n, 2 if quick else 5)
    except (RuntimeError, ImportError) as err:  # distributed missing or failing
        rows.append(info_row(TOPIC, "LocalCluster vs threads", f"skipped ({str(err)[:60]})"))
    else:
        ratios = [c / t for c, t in zip(res["cluster"], res["threads"], strict=True)]
        med = sorted(ratios)[len(ratios) // 2]
        rows.append(
            info_row(
                TOPIC,
                f"LocalCluster (2 workers) vs Dask threads, lazy {n * n:.0e} points",
                f"{med:.2f}x slower ({min(ratios):.2f}-{max(ratios):.2f}; threads "
                f"{min(res['threads']) * 1e3:.0f} ms), so threads are the default",
            )
        )
    rows.append(
        info_row(
            TOPIC,
            "load average (1 min) before / after",
            f"{load:.2f} / {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores",
        )
    )
    return rows


def _lazy(n: int) -> tuple[float, float, float]:
    from nernst.sweeps import sweep

    return _reduce_lazy(sweep(CELL, grid(n), outputs="resting_potential", compute=False))


if __name__ == "__main__":
    harness_main(collect, __doc__)
