"""Sweep benchmarks: 1e8 points on a Dask LocalCluster (2 workers vs 1), peak memory, and a
1e6-point grid on NumPy vs Dask.

Usage::

    python benchmarks/sweep.py            # full size (1e8 points), a few minutes on 2 cores
    python benchmarks/sweep.py --quick    # 1e7 / 1e5 points, a smoke run

Every measurement runs in a fresh subprocess of this script (``--child TASK``), so its memory
figures start clean. The grid is the mammalian-neuron preset with [K+]out linear over 1-100 mM
and P_Na log-spaced over 1e-3-1 (relative), n x n points. The 1e8 sweep never holds the grid:
it reduces V_rest (min, max, mean) chunk by chunk, and writes it to zarr chunk by chunk.

Memory is the peak resident set size (RSS):

- ``ru_maxrss`` of the measured process (``resource.getrusage``) and of its descendants
  (``RUSAGE_CHILDREN``: the largest single descendant, e.g. one Dask worker);
- for the cluster runs, also the peak of the **sum** over the whole process tree (this
  process, which runs the scheduler, plus each nanny and worker process), sampled every
  0.1 s with psutil. Summed RSS counts shared library pages once per process, so it is an
  upper bound of what the cluster really takes; the summed PSS (proportional set size,
  shared pages split between the processes) is printed next to it.

Nothing is asserted; the script prints a table with each target and PASS/MISS and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

import numpy as np

CELL = "mammalian-neuron"
SPEEDUP_TARGET = 1.7
RSS_TARGET_MB = 1024.0


def grid(n: int) -> dict[str, np.ndarray]:
    return {"K+.out": np.linspace(1.0, 100.0, n), "perm.Na+": np.logspace(-3.0, 0.0, n)}


# --------------------------------------------------------------------------- children
class TreeSampler:
    """Peak summed RSS (and PSS) of this process and all its descendants, sampled."""

    def __init__(self, interval: float = 0.1) -> None:
        import psutil

        self.me = psutil.Process()
        self.interval = interval
        self.peak_rss = 0
        self.peak_pss = 0
        self.cpu: dict[int, float] = {}  # descendant pid -> last seen user+system CPU [s]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        tick = 0
        while not self._stop.is_set():
            procs = [self.me, *self.me.children(recursive=True)]
            rss = pss = 0
            for p in procs:
                try:
                    rss += p.memory_info().rss
                    if p.pid != self.me.pid:
                        t = p.cpu_times()
                        self.cpu[p.pid] = t.user + t.system
                    if tick % 3 == 0:
                        pss += getattr(p.memory_full_info(), "pss", 0)
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
            self.peak_rss = max(self.peak_rss, rss)
            if tick % 3 == 0:
                self.peak_pss = max(self.peak_pss, pss)
            tick += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def maxrss_mb(who: int) -> float:
    import resource

    kb = resource.getrusage(who).ru_maxrss  # kilobytes on Linux
    return kb / 1024.0


def reduce_v_rest(ds: Any, **compute_kw: Any) -> tuple[float, float, float]:
    import dask

    lo, hi, mean = dask.compute(ds.V_rest.min(), ds.V_rest.max(), ds.V_rest.mean(), **compute_kw)
    return float(lo), float(hi), float(mean)


def child_cluster(n: int, workers: int) -> dict[str, Any]:
    """n x n sweep reduced on a LocalCluster of ``workers`` processes, 1 thread each."""
    import resource

    from distributed import Client, LocalCluster

    from nernst.sweeps import sweep

    with TreeSampler() as sampler:
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            ) as cluster,
            Client(cluster) as client,
        ):
            # Warm-up: every worker imports nernst (not timed).
            sweep(CELL, grid(64), outputs="resting_potential", chunks=16, client=client)
            time.sleep(3 * sampler.interval)
            cpu0 = sum(sampler.cpu.values())
            t0 = time.perf_counter()
            ds = sweep(CELL, grid(n), outputs="resting_potential", compute=False)
            lo, hi, mean = reduce_v_rest(ds, scheduler=client)
            elapsed = time.perf_counter() - t0
            time.sleep(3 * sampler.interval)
            worker_cpu = sum(sampler.cpu.values()) - cpu0
            blocks = int(np.prod(ds.V_rest.data.numblocks))
    return {
        "seconds": elapsed,
        "min": lo,
        "max": hi,
        "mean": mean,
        "blocks": blocks,
        "worker_cores": worker_cpu / elapsed,
        "tree_rss_mb": sampler.peak_rss / 2**20,
        "tree_pss_mb": sampler.peak_pss / 2**20,
        "self_maxrss_mb": maxrss_mb(resource.RUSAGE_SELF),
        "children_maxrss_mb": maxrss_mb(resource.RUSAGE_CHILDREN),
    }


def child_threads(n: int, zarr_dir: str | None) -> dict[str, Any]:
    """n x n sweep in one process (Dask threads): reduce, and optionally write to zarr."""
    import resource
    import warnings

    from nernst.sweeps import sweep

    t0 = time.perf_counter()
    ds = sweep(CELL, grid(n), outputs="resting_potential", compute=False)
    lo, hi, mean = reduce_v_rest(ds, scheduler="threads")
    out: dict[str, Any] = {"seconds": time.perf_counter() - t0, "min": lo, "max": hi, "mean": mean}
    if zarr_dir is not None:
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*[Cc]onsolidated metadata.*")
            ds.to_zarr(os.path.join(zarr_dir, "sweep.zarr"), mode="w")
        out["zarr_seconds"] = time.perf_counter() - t0
        out["zarr_mb"] = du_mb(os.path.join(zarr_dir, "sweep.zarr"))
    out["self_maxrss_mb"] = maxrss_mb(resource.RUSAGE_SELF)
    return out


def child_small(n: int, backend: str, repeats: int) -> dict[str, Any]:
    """Best-of-``repeats`` time of an n x n sweep computed in memory on NumPy or Dask."""
    from nernst.sweeps import sweep

    use_dask = backend == "dask"
    sweep(CELL, grid(32), dask=use_dask)  # warm-up imports
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        ds = sweep(CELL, grid(n), dask=use_dask, compute=True if use_dask else None)
        best = min(best, time.perf_counter() - t0)
    return {"seconds": best, "mean": float(ds.V_rest.mean())}


def du_mb(path: str) -> float:
    total = 0
    for root, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total / 2**20


# --------------------------------------------------------------------------- parent
def run_child(*args: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    import dask
    import distributed
    import xarray

    return (
        f"{platform.system()} {platform.release()} | {cpu} | {os.cpu_count()} cores | "
        f"Python {platform.python_version()} | NumPy {np.__version__} | xarray "
        f"{xarray.__version__} | Dask {dask.__version__} | distributed {distributed.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1e7 and 1e5 points (smoke run)")
    parser.add_argument("--no-zarr", action="store_true", help="skip the zarr write")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        task, *rest = args.child
        if task == "cluster":
            result = child_cluster(int(rest[0]), int(rest[1]))
        elif task == "threads":
            result = child_threads(int(rest[0]), rest[1] if len(rest) > 1 else None)
        else:
            result = child_small(int(rest[0]), rest[1], int(rest[2]))
        print(json.dumps(result))
        return

    big = 3162 if args.quick else 10_000  # n x n points: 1e7 / 1e8
    small = 316 if args.quick else 1000  # 1e5 / 1e6
    print(f"machine: {machine()}")
    print(f"load average before: {os.getloadavg()}")
    rows: list[tuple[str, str, str, str, str, str]] = []

    def row(name: str, measured: str, baseline: str, ratio: str, target: str, ok: Any) -> None:
        status = "info" if ok is None else ("PASS" if ok else "MISS")
        rows.append((name, measured, baseline, ratio, target, status))

    # 1. NumPy vs Dask on a grid that fits in memory.
    np_run = run_child("small", str(small), "numpy", "3")
    dk_run = run_child("small", str(small), "dask", "3")
    row(
        f"{small * small:.0e} grid, Dask (threads) vs NumPy",
        f"{dk_run['seconds']:.3f} s",
        f"{np_run['seconds']:.3f} s",
        f"{np_run['seconds'] / dk_run['seconds']:.2f}x",
        "info",
        None,
    )

    # 2. The big grid on a LocalCluster, 1 worker then 2 (processes, 1 thread each).
    one = run_child("cluster", str(big), "1")
    two = run_child("cluster", str(big), "2")
    speedup = one["seconds"] / two["seconds"]
    label = f"{big * big:.0e} sweep, LocalCluster"
    row(
        f"{label} 2 workers vs 1",
        f"{two['seconds']:.2f} s",
        f"{one['seconds']:.2f} s",
        f"{speedup:.2f}x",
        f">= {SPEEDUP_TARGET}x",
        speedup >= SPEEDUP_TARGET,
    )
    row(
        f"{label}: CPU the workers got (1 / 2 workers)",
        f"{two['worker_cores']:.2f} cores",
        f"{one['worker_cores']:.2f} cores",
        "",
        "info: < 1.9 with 2 = CPU contention",
        None,
    )
    for name, run in (("1 worker", one), ("2 workers", two)):
        row(
            f"{label} {name}: peak RSS, summed tree",
            f"{run['tree_rss_mb']:.0f} MB",
            f"PSS {run['tree_pss_mb']:.0f} MB",
            "",
            f"< {RSS_TARGET_MB:.0f} MB",
            run["tree_rss_mb"] < RSS_TARGET_MB,
        )
        row(
            f"{label} {name}: largest process",
            f"{max(run['self_maxrss_mb'], run['children_maxrss_mb']):.0f} MB",
            f"client+scheduler {run['self_maxrss_mb']:.0f} MB",
            "",
            "info",
            None,
        )

    # 3. The big grid in one process (threaded scheduler): reduce, then write zarr.
    zarr_dir = None if args.no_zarr else tempfile.mkdtemp(prefix="nernst-sweep-")
    try:
        thr = run_child("threads", str(big), *([zarr_dir] if zarr_dir else []))
    finally:
        if zarr_dir:
            shutil.rmtree(zarr_dir, ignore_errors=True)
    row(
        f"{big * big:.0e} sweep, one process (threads): peak RSS",
        f"{thr['self_maxrss_mb']:.0f} MB",
        f"reduce {thr['seconds']:.2f} s"
        + (f", zarr {thr['zarr_seconds']:.2f} s ({thr['zarr_mb']:.0f} MB)" if zarr_dir else ""),
        "",
        f"< {RSS_TARGET_MB:.0f} MB",
        thr["self_maxrss_mb"] < RSS_TARGET_MB,
    )
    agree = max(abs(one[k] - two[k]) for k in ("min", "max", "mean"))
    agree = max(agree, *(abs(one[k] - thr[k]) for k in ("min", "max", "mean")))

    widths = [max(len(r[i]) for r in [*rows, HEADER]) for i in range(6)]
    for r in [HEADER, tuple("-" * w for w in widths), *rows]:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    print(
        f"\nV_rest over the {big * big:.0e} grid: min {one['min']:.4f}, max {one['max']:.4f}, "
        f"mean {one['mean']:.4f} mV ({one['blocks']} blocks); the three runs agree to "
        f"{agree:.1e} mV."
    )
    print(f"load average after: {os.getloadavg()}")


HEADER = ("benchmark", "measured", "baseline", "ratio", "target", "status")

if __name__ == "__main__":
    main()
