"""Timings of nernst.dynamics: how long simulated cells take on this machine.

Usage::

    python benchmarks/dynamics.py [--repeats N]

Each line is the best wall time of N runs (time.perf_counter) after one warm-up run, so
imports and first-call costs are excluded (the cold first call is reported separately).
Target (issue 4): a 1 s simulated pump-leak run in under 0.5 s of wall time. The script only
measures and prints; it asserts nothing and exits 0.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy

TARGET_S = 0.5


def best_of(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    result = fn()  # warm-up
    best = math.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def fmt(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    t0 = time.perf_counter()
    import nernst
    from nernst.dynamics import pump_leak_steady_state, simulate

    neuron = nernst.Cell.preset("mammalian-neuron")
    simulate(neuron, model="pump-leak", until=1.0)
    cold = time.perf_counter() - t0

    x_cell = nernst.Cell(inside={"K+": 140}, outside={"K+": 5}, permeability={"K+": 1})
    cases: list[tuple[str, Callable[[], Any], bool]] = [
        (
            "pump-leak, 1 s at rest (from steady state)",
            lambda: simulate(neuron, model="pump-leak", until=1.0),
            True,
        ),
        (
            "pump-leak, 1 s after pump block",
            lambda: simulate(neuron, model="pump-leak", until=1.0, perturb=["pump-block"]),
            True,
        ),
        (
            "pump-leak, 1 s after K_o 5 -> 10 mM",
            lambda: simulate(neuron, model="pump-leak", until=1.0, perturb=["k-out=10"]),
            True,
        ),
        (
            "pump-leak, 6 h after pump block",
            lambda: simulate(neuron, model="pump-leak", until=6 * 3600, perturb=["pump-block"]),
            False,
        ),
        ("steady state, root solve", lambda: pump_leak_steady_state(neuron), False),
        (
            "steady state, integration",
            lambda: pump_leak_steady_state(neuron, method="integrate"),
            False,
        ),
        (
            "steady state after pump block (continuation)",
            lambda: pump_leak_steady_state(neuron, perturb=["pump-block"]),
            False,
        ),
        ("approach, X+ cell to E_X (0.5 s)", lambda: simulate(x_cell, until=0.5), False),
        ("approach, neuron to Donnan (1e6 s)", lambda: simulate(neuron, until=1e6), False),
    ]

    print(f"nernst {nernst.__version__} dynamics benchmark")
    print(
        f"{platform.platform()}; Python {platform.python_version()}; NumPy {np.__version__}; "
        f"SciPy {scipy.__version__}; {os.cpu_count()} cores; best of {args.repeats}"
    )
    print(f"cold start (import nernst + first 1 s pump-leak run): {fmt(cold)}")
    print()
    width = max(len(name) for name, _, _ in cases)
    print(f"{'case':<{width}}  {'wall':>9}  {'rhs evals':>9}  {'points':>7}  result")
    for name, fn, targeted in cases:
        seconds, result = best_of(fn, args.repeats)
        if hasattr(result, "solver"):
            nfev = result.solver["nfev"]
            points = len(result.t)
            what = f"V_end {result.V_final:+.3f} mV"
        else:
            nfev = result.detail.get("nfev", 0)
            points = 0
            what = f"V {result.V:+.3f} mV, volume x{result.volume_ratio:.4f}"
        status = ""
        if targeted:
            status = f"  [{'PASS' if seconds < TARGET_S else 'MISS'}: target < {TARGET_S} s]"
        print(f"{name:<{width}}  {fmt(seconds):>9}  {nfev:>9}  {points:>7}  {what}{status}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
