"""Liquid junction potential timings: stationary Nernst-Planck and Henderson.

Usage::

    python benchmarks/junction.py

Per-call latency of ``nernst.liquid_junction_potential`` (validation, mobilities, neutrality
check and the solve) for a 6-ion junction (target: stationary Nernst-Planck under 20 ms),
for the 7-ion K-gluconate / HEPES-saline example of Figl et al. (2003) and a 10-ion
K-gluconate / ACSF junction, with the Henderson equation for comparison. Timings are the best
of 7 repeats of an autoranged ``timeit`` loop after a warm-up call. The script only measures and
prints; it asserts nothing and exits 0.
"""

from __future__ import annotations

import math
import platform
import timeit
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy

import nernst
from nernst.junction import junction_report, liquid_junction_potential

TARGET_NP_S = 20e-3

# 6 ion species: K+, Na+, Mg2+, Ca2+, gluconate-, Cl- (a K-gluconate internal against a saline).
SIX_PIPETTE = {"K+": 140.0, "Na+": 10.0, "Mg2+": 2.0, "gluconate-": 140.0, "Cl-": 14.0}
SIX_BATH = {"K+": 3.0, "Na+": 145.0, "Mg2+": 1.0, "Ca2+": 2.0, "Cl-": 154.0}

# A trace of LiHCO3 against 0.93 M K3-citrate (ratio 3e4): single shooting from the Henderson
# estimate fails from both ends and the solve_bvp (collocation) fallback runs, then the polish.
EXTREME_PIPETTE = {"Li+": 0.08, "HCO3-": 0.08}
EXTREME_BATH = {"K+": 2784.091, "citrate 3-": 926.256, "gluconate-": 5.323}

CASES: list[tuple[str, Any, Any]] = [
    ("6 ions  (K-gluconate | saline)", SIX_PIPETTE, SIX_BATH),
    (
        "7 ions  (Figl 2003: k-gluconate-internal | hepes-saline)",
        "k-gluconate-internal",
        "hepes-saline",
    ),
    ("10 ions (k-gluconate-internal | acsf)", "k-gluconate-internal", "acsf"),
    ("8 ions  (cs-methanesulfonate-internal | tyrode)", "cs-methanesulfonate-internal", "tyrode"),
]


def per_call(stmt: Callable[[], Any], repeats: int = 7) -> float:
    """Best per-call time (s): autoranged timeit loop, best of ``repeats``."""
    stmt()
    timer = timeit.Timer(stmt)
    number, _ = timer.autorange()
    return min(timer.repeat(repeat=repeats, number=number)) / number


def fmt(seconds: float) -> str:
    return f"{seconds * 1e6:8.1f} us" if seconds < 1e-3 else f"{seconds * 1e3:8.2f} ms"


def main() -> None:
    print(
        f"nernst {nernst.__version__} | Python {platform.python_version()} | NumPy "
        f"{np.__version__} | SciPy {scipy.__version__} | {platform.machine()} "
        f"{platform.processor() or ''}".rstrip()
    )
    print(f"{'junction':<58}{'NP':>12}{'Henderson':>12}  {'LJP NP':>9} {'LJP H':>9}  solver")
    worst_np = math.nan
    for label, pip, bath in CASES:
        t_np = per_call(lambda p=pip, b=bath: liquid_junction_potential(p, b))
        t_h = per_call(lambda p=pip, b=bath: liquid_junction_potential(p, b, method="henderson"))
        report = junction_report(pip, bath)
        if label.startswith("6"):
            worst_np = t_np
        print(
            f"{label:<58}{fmt(t_np):>12}{fmt(t_h):>12}  "
            f"{report.ljp:+8.3f}  {report.henderson:+8.3f}"
            f"  {report.solver['solver']}, {report.solver['nfev']} evaluations, "
            f"|c(L) - c_bath| {report.solver['residual_mM']:.1e} mM"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_x = per_call(lambda: liquid_junction_potential(EXTREME_PIPETTE, EXTREME_BATH), repeats=3)
        rx = junction_report(EXTREME_PIPETTE, EXTREME_BATH)
    print(
        f"{'5 ions, extreme (ratio 3e4, citrate3-), info':<58}{fmt(t_x):>12}{'':>12}  "
        f"{rx.ljp:+8.3f}  {rx.henderson:+8.3f}  {rx.solver['solver']}"
    )
    status = "PASS" if worst_np < TARGET_NP_S else "MISS"
    print(
        f"\n6-ion stationary Nernst-Planck: {fmt(worst_np).strip()} per call "
        f"(target < {TARGET_NP_S * 1e3:g} ms): {status}"
    )


if __name__ == "__main__":
    main()
