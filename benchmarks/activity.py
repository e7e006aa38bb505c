"""Activity-coefficient timings: nernst against a bare-math baseline measured in the same run.

Usage::

    python benchmarks/activity.py [--quick]

Lines:

1. scalar ``activity_coefficient("K+", ionic_strength=0.15, model=M, celsius=25.0)`` for
   M = davies, extended-debye-huckel, truesdell-jones: per-call latency (best of 7,
   ``timeit`` autoranged) against the bare ``math`` expression of the same model with A, B
   and the ion parameters already in local variables (what a hand-written, unvalidated
   one-off costs). Target: < 10 us per call (the issue; pyEQL takes about 14 ms).
2. ``mean_activity_coefficient("Na+", "Cl-", molality=0.1, model="truesdell-jones")``, info.
3. arrays: ``activity_coefficient("K+", ionic_strength=I, model="davies")`` on 1e6 random
   ionic strengths against the bare NumPy expression; throughput ratio, info.

Only measures and prints; asserts nothing, exits 0.
"""

from __future__ import annotations

import argparse
import math
import platform
import sys
import timeit
from collections.abc import Callable
from typing import Any

import numpy as np

import nernst
from nernst.activity import (
    activity_coefficient,
    debye_huckel_constants,
    mean_activity_coefficient,
    truesdell_jones_parameters,
)

TARGET_US = 10.0
SEED = 20240601


def per_call(stmt: Callable[[], Any], repeats: int = 7) -> float:
    """Best per-call time (s): timeit autoranged loop count, best of ``repeats``."""
    timer = timeit.Timer(stmt)
    number, _ = timer.autorange()
    return min(timer.repeat(repeat=repeats, number=number)) / number


def best_of(fn: Callable[[], Any], repeats: int) -> float:
    fn()
    return min(timeit.repeat(fn, number=1, repeat=repeats))


def fmt(seconds: float) -> str:
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} us"
    return f"{seconds * 1e3:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller array (1e5), 3 repeats")
    args = parser.parse_args()
    n_array = 100_000 if args.quick else 1_000_000
    repeats = 3 if args.quick else 7

    print(f"nernst {nernst.__version__}, Python {sys.version.split()[0]}, NumPy {np.__version__}")
    print(f"{platform.platform()}, {platform.processor() or platform.machine()}")
    print()

    A, B = debye_huckel_constants(celsius=25.0)
    a_k = nernst.ions["K+"].ion_size
    a_tj, b_tj = truesdell_jones_parameters()["K+"]
    I, z = 0.15, 1

    def bare_davies() -> float:
        s = math.sqrt(I)
        return 10.0 ** (-A * z * z * (s / (1.0 + s) - 0.3 * I))

    def bare_edh() -> float:
        s = math.sqrt(I)
        return 10.0 ** (-A * z * z * s / (1.0 + B * a_k * s))

    def bare_tj() -> float:
        s = math.sqrt(I)
        return 10.0 ** (-A * z * z * s / (1.0 + B * a_tj * s) + b_tj * I)

    header = f"{'line':<44}{'nernst':>11}{'baseline':>11}{'ratio':>9}  target     status"
    print(header)
    print("-" * len(header))
    for model, bare in (
        ("davies", bare_davies),
        ("extended-debye-huckel", bare_edh),
        ("truesdell-jones", bare_tj),
    ):

        def call(model: str = model) -> float:
            return activity_coefficient("K+", ionic_strength=0.15, model=model, celsius=25.0)

        assert math.isclose(call(), bare(), rel_tol=1e-12)
        t_nernst = per_call(call, repeats)
        t_bare = per_call(bare, repeats)
        status = "PASS" if t_nernst * 1e6 < TARGET_US else "MISS"
        print(
            f"{'1 scalar ' + model:<44}{fmt(t_nernst):>11}{fmt(t_bare):>11}"
            f"{t_nernst / t_bare:>8.1f}x  < {TARGET_US:g} us    {status}"
        )

    t_mean = per_call(
        lambda: mean_activity_coefficient("Na+", "Cl-", molality=0.1, model="truesdell-jones"),
        repeats,
    )
    print(
        f"{'2 scalar mean_activity_coefficient (T-J)':<44}{fmt(t_mean):>11}{'':>11}{'':>9}  "
        f"{'':<10} info"
    )

    rng = np.random.default_rng(SEED)
    strengths = 10.0 ** rng.uniform(-4, 0, n_array)
    t_arr = best_of(
        lambda: activity_coefficient("K+", ionic_strength=strengths, model="davies"), repeats
    )

    def bare_numpy() -> np.ndarray:
        s = np.sqrt(strengths)
        return 10.0 ** (-A * (s / (1.0 + s) - 0.3 * strengths))

    t_np = best_of(bare_numpy, repeats)
    np.testing.assert_allclose(
        activity_coefficient("K+", ionic_strength=strengths, model="davies"),
        bare_numpy(),
        rtol=1e-13,
    )
    print(
        f"{f'3 array davies, {n_array:.0e} elements':<44}{fmt(t_arr):>11}{fmt(t_np):>11}"
        f"{t_np / t_arr:>8.2f}x  {'':<10} info (throughput, bare/nernst)"
    )
    print()
    print(
        "Baseline: the bare math/NumPy expression with A, B and the ion parameters precomputed;"
        " nernst adds validation, name lookup and the temperature-dependent A and B (cached)."
    )


if __name__ == "__main__":
    main()
