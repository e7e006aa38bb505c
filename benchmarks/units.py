"""Cost of the pint units layer: the public (wrapped) functions against the raw ones, same run.

Usage::

    python benchmarks/units.py [--quick]

``nernst.<function>`` is the physics function wrapped by :func:`nernst.units.quantity_aware`;
``nernst.<module>.<function>`` is the raw function, the baseline. Lines:

1. plain scalar calls through the wrapper against the raw function (what every user pays):
   ``equilibrium_potential``, ``ghk_current``, ``ghk_voltage`` with ion mappings (the wrapper
   scans mapping values for Quantities), and a no-op with the same signature (the wrapper's
   own cost, free of the physics). Overhead = wrapped - raw, in ns. Target: "near zero",
   read as < 0.5 us per call and < 1.5x on the scalar Nernst call.
2. the same scalar ``equilibrium_potential`` with pint Quantities (uM, mol/L, K) against the
   plain call: the price of conversion when Quantities are used (info).
3. a 1e6-element Quantity array against the plain array (info: conversion is one multiply
   per argument).

Raw and wrapped timings are interleaved round by round and the best of each is kept, so a
load spike on a shared machine hits both. Only measures and prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import platform
import sys
import timeit
from collections.abc import Callable
from typing import Any

import numpy as np

import nernst
from nernst import ghk as raw_ghk
from nernst import nernst as raw_nernst
from nernst._api import Units
from nernst.units import quantity_aware

TARGET_NS = 500.0
TARGET_RATIO = 1.5


def interleaved(fns: list[Callable[[], Any]], rounds: int, number: int = 0) -> list[float]:
    """Best per-call time (s) of each of ``fns``, timed alternately ``rounds`` times.

    ``number`` calls per timing; 0 picks it so that one timing of the first function takes
    about 10 ms (short timings, many rounds: a load spike spoils few of them).
    """
    best = [float("inf")] * len(fns)
    timers = [timeit.Timer(fn) for fn in fns]
    if number <= 0:
        loops, elapsed = timers[0].autorange()  # autorange aims at >= 0.2 s
        number = max(1, int(loops * 0.01 / max(elapsed, 1e-9)))
    for _ in range(rounds):
        for i, timer in enumerate(timers):
            best[i] = min(best[i], timer.timeit(number) / number)
    return best


def fmt(seconds: float) -> str:
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} us"
    return f"{seconds * 1e3:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, 1e5-element array")
    args = parser.parse_args()
    rounds = 11 if args.quick else 41
    n_array = 100_000 if args.quick else 1_000_000

    print(f"nernst {nernst.__version__}, Python {sys.version.split()[0]}, NumPy {np.__version__}")
    print(f"{platform.platform()}, {platform.processor() or platform.machine()}")
    print()

    def noop(ion: Any, /, *, c_in: Any, c_out: Any, celsius: float = 37.0) -> float:
        return 0.0

    wrapped_noop = quantity_aware(noop, Units("mV"))
    perm = {"K+": 1.0, "Na+": 0.04, "Cl-": 0.45}
    c_in = {"K+": 140.0, "Na+": 10.0, "Cl-": 10.0}
    c_out = {"K+": 5.0, "Na+": 145.0, "Cl-": 110.0}

    pairs: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        (
            "equilibrium_potential scalar",
            lambda: raw_nernst.equilibrium_potential("K+", c_in=140.0, c_out=5.0, celsius=37.0),
            lambda: nernst.equilibrium_potential("K+", c_in=140.0, c_out=5.0, celsius=37.0),
        ),
        (
            "ghk_current scalar",
            lambda: raw_ghk.ghk_current(-70.0, "K+", permeability=1e-6, c_in=140.0, c_out=5.0),
            lambda: nernst.ghk_current(-70.0, "K+", permeability=1e-6, c_in=140.0, c_out=5.0),
        ),
        (
            "ghk_voltage 3-ion mappings",
            lambda: raw_ghk.ghk_voltage(perm, c_in=c_in, c_out=c_out),
            lambda: nernst.ghk_voltage(perm, c_in=c_in, c_out=c_out),
        ),
        (
            "no-op, same signature (wrapper only)",
            lambda: noop("K+", c_in=140.0, c_out=5.0, celsius=37.0),
            lambda: wrapped_noop("K+", c_in=140.0, c_out=5.0, celsius=37.0),
        ),
    ]

    header = f"{'line':<44}{'wrapped':>10}{'raw':>10}{'overhead':>10}{'ratio':>8}  target   status"
    print(header)
    print("-" * len(header))
    for label, raw, wrapped in pairs:
        assert raw() == wrapped()
        t_raw, t_wrapped = interleaved([raw, wrapped], rounds)
        overhead = t_wrapped - t_raw
        ratio = t_wrapped / t_raw
        if label.startswith("equilibrium_potential"):
            target = f"<{TARGET_RATIO:g}x"
            ok = ratio < TARGET_RATIO and overhead * 1e9 < TARGET_NS
        else:
            target = f"<{TARGET_NS:.0f}ns"
            ok = overhead * 1e9 < TARGET_NS
        print(
            f"{'1 ' + label:<44}{fmt(t_wrapped):>10}{fmt(t_raw):>10}{overhead * 1e9:>8.0f}ns"
            f"{ratio:>7.2f}x  {target:<8} {'PASS' if ok else 'MISS'}"
        )

    try:
        import pint
    except ImportError:
        print("\npint is not installed: lines 2 and 3 skipped (pip install 'nernst[units]')")
        return
    Q_ = pint.UnitRegistry().Quantity
    ci, co, t = Q_(0.14, "mol/L"), Q_(5000.0, "uM"), Q_(310.15, "K")

    def plain_call() -> Any:
        return nernst.equilibrium_potential("K+", c_in=140.0, c_out=5.0, celsius=37.0)

    def quantity_call() -> Any:
        return nernst.equilibrium_potential("K+", c_in=ci, c_out=co, celsius=t)

    assert abs(quantity_call().to("mV").magnitude - plain_call()) < 1e-9
    t_q, t_plain = interleaved([quantity_call, plain_call], max(3, rounds // 3))
    print(
        f"{'2 equilibrium_potential with Quantities':<44}{fmt(t_q):>10}{fmt(t_plain):>10}"
        f"{(t_q - t_plain) * 1e6:>8.1f}us{t_q / t_plain:>7.1f}x  {'':<8} info"
    )

    rng = np.random.default_rng(20240601)
    arr = rng.uniform(1.0, 200.0, n_array)
    q_arr = Q_(arr, "mM")

    def plain_array() -> Any:
        return nernst.equilibrium_potential("K+", c_in=arr, c_out=5.0)

    def quantity_array() -> Any:
        return nernst.equilibrium_potential("K+", c_in=q_arr, c_out=co)

    t_pa, t_qa = interleaved([plain_array, quantity_array], 5, 1)
    print(
        f"{f'3 equilibrium_potential, {n_array:.0e} Quantity array':<44}{fmt(t_qa):>10}"
        f"{fmt(t_pa):>10}{(t_qa - t_pa) * 1e3:>8.2f}ms{t_qa / t_pa:>7.2f}x  {'':<8} info"
    )
    print()
    print(
        "Baseline: the raw function of the same run (nernst.<module>.<name>); the wrapper adds a"
        " type check per argument and, for mappings, per value. Lines 2-3: pint conversion."
    )


if __name__ == "__main__":
    main()
