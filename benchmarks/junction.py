"""Liquid junction potentials: stationary Nernst-Planck time against the number of ions.

Usage::

    python benchmarks/junction.py [--quick] [--json FILE]

Per-call latency of ``nernst.liquid_junction_potential`` (validation, mobilities, neutrality,
the exact stationary Nernst-Planck solve) for junctions of 2, 4, 6, 8 and 12 ion species, as a
scaling table. Target (issue 13): the 6-ion junction under 0.5 ms (median).

Baseline, timed interleaved in the same run (median of >= 7 pairs, min-max spread of the
per-pair ratios): the generalised Henderson equation written out in NumPy on arrays prepared
in advance (z, D, c_pipette, c_bath of the same junction). It is the closed form a
physiologist would otherwise use (JPCalc), it answers the same question for the same ions,
and it is the floor of any per-junction NumPy call (a handful of reductions, no parsing, no
validation); the ratio says what the exact method costs over it. A bare ``np.linalg.solve``
of the same size was not chosen: it is not an answer to the problem, so a ratio against it
says nothing a user can act on.

Information lines: the Henderson method through the API (``method="henderson"``: the fixed
cost of parsing, validating and neutralising), the preset junctions of the published examples,
an extreme junction (citrate, ratio 3e4; MINPACK's hybrj fails on it, Newton solves it), and
the first call on a new ion set (null-space bases not yet cached). One more timed row sets the
solver (Newton with the exact Jacobian from block exponentials) against the previous one,
MINPACK's hybrj with a stacked forward-difference Jacobian (still the fallback), on the same
6-ion junction, in the same run.
"""

from __future__ import annotations

import math
import os
import time
import warnings
from typing import Any

import numpy as np
from _harness import Row, fmt, harness_main, info_row, paired_per_call, timed_row

from nernst.constants import FARADAY, GAS_CONSTANT
from nernst.junction import _prepare, junction_report, liquid_junction_potential

TOPIC = "junction"
TARGET_S = 0.5e-3
BASELINE = "Henderson in NumPy"

#: Junctions of n ion species: a K-gluconate-type pipette against a saline-type bath.
CATIONS = ["K+", "Na+", "Mg2+", "Ca2+", "Cs+", "Li+", "NH4+"]
ANIONS = ["Cl-", "gluconate-", "HCO3-", "methanesulfonate-", "H2PO4-"]
SETS: dict[int, tuple[list[str], list[str]]] = {
    2: (["K+"], ["Cl-"]),
    4: (["K+", "Na+"], ["Cl-", "gluconate-"]),
    6: (["K+", "Na+", "Mg2+", "Ca2+"], ["Cl-", "gluconate-"]),
    8: (["K+", "Na+", "Mg2+", "Ca2+", "Cs+"], ["Cl-", "gluconate-", "HCO3-"]),
    12: (CATIONS, ANIONS),
}

EXTREME_PIPETTE = {"Li+": 0.08, "HCO3-": 0.08}
EXTREME_BATH = {"K+": 2784.091, "citrate 3-": 926.256, "gluconate-": 5.323}


def junction(n: int) -> tuple[dict[str, float], dict[str, float]]:
    """A neutral pipette/bath pair of n species (Cl- balances each side)."""
    from nernst import ions

    cations, anions = SETS[n]
    pip: dict[str, float] = {}
    bath: dict[str, float] = {}
    for i, c in enumerate(cations):
        pip[c] = 140.0 if i == 0 else 10.0 / (i + 1)
        bath[c] = 145.0 if i == 1 else (3.0 if i == 0 else 2.0 / (i + 1))
    for i, a in enumerate(anions[1:], start=1):
        pip[a] = 120.0 if i == 1 else 5.0 / i
        bath[a] = 0.0 if i == 1 else 10.0 / i
    for side in (pip, bath):
        charge = math.fsum(ions[k].charge * v for k, v in side.items() if k != "Cl-")
        side["Cl-"] = charge
    if n == 2:
        bath = {"K+": 10.0, "Cl-": 10.0}
    return pip, bath


def henderson_numpy(z: np.ndarray, D: np.ndarray, ca: np.ndarray, cb: np.ndarray) -> float:
    """LJP = -(RT/F) S ln Q, the generalised Henderson equation on prepared arrays. [mV]"""
    vt = GAS_CONSTANT * 298.15 / FARADAY * 1e3
    zu = z * D
    dc = cb - ca
    zzu = z * zu
    S = np.dot(zu, dc) / np.dot(zzu, dc)
    return float(-vt * S * math.log(np.dot(zzu, cb) / np.dot(zzu, ca)))


def collect(quick: bool = False) -> list[Row]:
    repeats = 7
    budget = 0.01 if quick else 0.03
    rows: list[Row] = []
    for n in SETS:
        pip, bath = junction(n)
        j = _prepare(pip, bath)
        assert len(j.symbols) == n, (n, j.symbols)
        z, D, ca, cb = j.z, j.D, j.c_pipette, j.c_bath
        t = paired_per_call(
            lambda p=pip, b=bath: liquid_junction_potential(p, b),
            lambda z=z, D=D, ca=ca, cb=cb: henderson_numpy(z, D, ca, cb),
            repeats=repeats,
            budget=budget,
        )
        row = timed_row(TOPIC, f"{n:>2} ions, stationary Nernst-Planck", t, BASELINE, None)
        rows.append(row)
        if n == 6:
            target = timed_row(TOPIC, " 6 ions: target median < 0.5 ms", t, BASELINE, None)
            target.target = "< 0.5 ms"
            target.ok = t.ours < TARGET_S
            rows.append(target)
    # the solver against the previous one (hybrj, now the fallback), same junction, same run
    import nernst.junction as nj

    pip6, bath6 = junction(6)
    j6 = _prepare(pip6, bath6)
    newton = nj._newton

    def hybrj_only() -> float:
        nj._newton = lambda *args: None  # type: ignore[assignment]
        try:
            return nj._nernst_planck(j6.z, j6.D, j6.c_pipette, j6.c_bath).dphi
        finally:
            nj._newton = newton

    t = paired_per_call(
        lambda: nj._nernst_planck(j6.z, j6.D, j6.c_pipette, j6.c_bath),
        hybrj_only,
        repeats=repeats,
        budget=budget,
    )
    rows.append(timed_row(TOPIC, " 6 ions, solver alone (Newton)", t, "hybrj (previous)", None))
    # information: the API's fixed cost (Henderson through the API) and the published cases
    t = paired_per_call(
        lambda: liquid_junction_potential(pip6, bath6, method="henderson"),
        lambda: henderson_numpy(j6.z, j6.D, j6.c_pipette, j6.c_bath),
        repeats=repeats,
        budget=budget,
    )
    rows.append(timed_row(TOPIC, " 6 ions, method='henderson' (API)", t, BASELINE, None))
    cases: list[tuple[str, Any, Any]] = [
        ("Figl 2003: k-gluconate-internal | hepes-saline", "k-gluconate-internal", "hepes-saline"),
        ("k-gluconate-internal | acsf", "k-gluconate-internal", "acsf"),
        ("cs-methanesulfonate-internal | tyrode", "cs-methanesulfonate-internal", "tyrode"),
    ]
    if quick:
        cases = cases[:1]
    for label, pip, bath in cases:
        j = _prepare(pip, bath)
        t = paired_per_call(
            lambda p=pip, b=bath: liquid_junction_potential(p, b),
            lambda j=j: henderson_numpy(j.z, j.D, j.c_pipette, j.c_bath),
            repeats=repeats,
            budget=budget,
        )
        rows.append(timed_row(TOPIC, f"{len(j.symbols)} ions ({label})", t, BASELINE, None))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = junction_report(EXTREME_PIPETTE, EXTREME_BATH)
        t0 = time.perf_counter()
        runs = 1 if quick else 3
        for _ in range(runs):
            liquid_junction_potential(EXTREME_PIPETTE, EXTREME_BATH)
        extreme = (time.perf_counter() - t0) / runs
    rows.append(
        info_row(
            TOPIC,
            "5 ions, extreme (citrate, ratio 3e4)",
            f"{fmt(extreme)} ({report.solver['solver']})",
        )
    )
    # the first call on an ion set not seen before: the null-space bases are not cached yet
    from nernst.junction import _bases_cached

    _bases_cached.cache_clear()
    t0 = time.perf_counter()
    liquid_junction_potential(pip6, bath6)
    rows.append(
        info_row(TOPIC, " 6 ions, first call (bases not cached)", fmt(time.perf_counter() - t0))
    )
    if os.path.exists("/proc/loadavg"):
        with open("/proc/loadavg") as fh:
            rows.append(
                info_row(TOPIC, "load average (1, 5, 15 min)", " ".join(fh.read().split()[:3]))
            )
    return rows


if __name__ == "__main__":
    harness_main(collect, __doc__)
