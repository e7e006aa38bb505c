"""nernst benchmarks: every figure against a baseline measured in the same run.

Usage::

    python benchmarks/run.py [--quick]

``--quick`` divides every problem size by 10 (a smoke run). See benchmarks/README.md for
what each line of the table means. The script only measures and prints; it asserts nothing
and always exits 0 unless something crashes.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import platform
import sys
import time
import timeit
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import scipy
from scipy.optimize import brentq

import nernst
from nernst.constants import FARADAY, GAS_CONSTANT, ZERO_CELSIUS

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from core import main as core_main  # the sibling script, benchmarks/core.py

CELSIUS = 37.0
T_K = CELSIUS + ZERO_CELSIUS
VT_MV = GAS_CONSTANT * T_K / FARADAY * 1e3  # RT/F in mV
Z_GHK = (1, 1, -1, 2)  # K+, Na+, Cl-, Ca2+
SEED = 20240601

ROWS: list[tuple[str, str, str, str, str, str]] = []
NOTES: list[str] = []


# --------------------------------------------------------------------------- helpers


def best_of(fn: Callable[[], Any], repeats: int, warmup: int = 1) -> float:
    """Best wall time (s) of ``repeats`` calls of ``fn`` after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    best = math.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def per_call(stmt: Callable[[], Any], repeats: int = 7, min_time: float = 0.05) -> float:
    """Best per-call time (s) with timeit: autoranged loop count, best of ``repeats``."""
    timer = timeit.Timer(stmt)
    number, _ = timer.autorange()
    number = max(number, int(number * min_time / 0.2))
    return min(timer.repeat(repeat=repeats, number=number)) / number


def fmt_time(seconds: float) -> str:
    if seconds < 1e-6:
        return f"{seconds * 1e9:.1f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} us"
    if seconds < 1.0:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def row(name: str, measured: str, baseline: str, ratio: str, target: str, ok: bool | None) -> None:
    status = "info" if ok is None else ("PASS" if ok else "MISS")
    ROWS.append((name, measured, baseline, ratio, target, status))


@contextlib.contextmanager
def quiet_fds() -> Iterator[None]:
    """Silence C-level stdout/stderr (NEURON prints a DISPLAY warning on import)."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), 1)
        os.dup2(null.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)


def machine() -> None:
    cpu = platform.processor() or "unknown"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    print(f"platform : {platform.platform()}")
    print(f"python   : {platform.python_version()} ({platform.python_implementation()})")
    print(f"cpu      : {cpu}, {os.cpu_count()} logical cores")
    print(f"numpy    : {np.__version__}   scipy: {scipy.__version__}")
    print(f"nernst   : {nernst.__version__}")


# --------------------------------------------------------------------------- 1. Nernst arrays


def bench_nernst_array(n: int, repeats: int) -> tuple[float, float]:
    """Best times (nernst, bare numpy) on n elements (reused by the NEURON comparison)."""
    rng = np.random.default_rng(SEED)
    ci = rng.uniform(1.0, 200.0, n)
    co = rng.uniform(1.0, 200.0, n)
    z = 1
    R, F, T = GAS_CONSTANT, FARADAY, T_K

    def bare() -> np.ndarray:
        return R * T / (z * F) * np.log(co / ci) * 1e3

    def ours() -> Any:
        return nernst.equilibrium_potential(z, c_in=ci, c_out=co, celsius=CELSIUS)

    diff = float(np.max(np.abs(ours() - bare())))
    t_bare = best_of(bare, repeats)
    t_ours = best_of(ours, repeats)
    ratio = t_bare / t_ours
    row(
        f"1 equilibrium_potential, {n:.0e} elem",
        f"{fmt_time(t_ours)} ({t_ours / n * 1e9:.2f} ns/el)",
        f"{fmt_time(t_bare)} numpy expr",
        f"{ratio:.2f}x",
        ">= 0.8x",
        ratio >= 0.8,
    )
    NOTES.append(f"1: max |nernst - numpy expr| = {diff:.1e} mV")
    return t_ours, t_bare


# --------------------------------------------------------------------------- 2. GHK voltage


def ghk_conditions(n: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Random conditions, ions on the last axis (K+, Na+, Cl-, Ca2+), log-uniform.

    c_in/c_out of K+, Na+, Cl- in [0.1, 500] mM; Ca2+ c_in in [1e-5, 1e-2] mM and c_out in
    [0.1, 10] mM; relative permeabilities in [1e-3, 1].
    """

    def logu(lo: float, hi: float) -> np.ndarray:
        return np.exp(rng.uniform(math.log(lo), math.log(hi), n))

    ci = np.stack([logu(0.1, 500), logu(0.1, 500), logu(0.1, 500), logu(1e-5, 1e-2)], axis=-1)
    co = np.stack([logu(0.1, 500), logu(0.1, 500), logu(0.1, 500), logu(0.1, 10)], axis=-1)
    P = np.stack([logu(1e-3, 1.0) for _ in range(4)], axis=-1)
    return P, ci, co


def ghk_total_current(v: float, P: tuple, ci: tuple, co: tuple) -> float:
    """Total GHK current (outward positive, arbitrary units) at v mV, plain Python/math.

    Sum over ions of z P w (ci - co e^-w) / (1 - e^-w), w = z v / VT (the GHK current over
    F); the w -> 0 limit is z P (ci - co).
    """
    total = 0.0
    for z, p, i, o in zip(Z_GHK, P, ci, co, strict=True):
        w = z * v / VT_MV
        if w == 0.0:
            total += z * p * (i - o)
        else:
            em = math.expm1(-w)  # e^-w - 1
            total += z * p * w * (i - o * (em + 1.0)) / (-em)
    return total


def brentq_ghk(P: np.ndarray, ci: np.ndarray, co: np.ndarray, xtol: float) -> np.ndarray:
    """Per-condition brentq between the lowest and highest Nernst potential."""
    out = np.empty(len(P))
    for k, (p, i, o) in enumerate(zip(P.tolist(), ci.tolist(), co.tolist(), strict=True)):
        e = [VT_MV / z * math.log(ok / ik) for z, ik, ok in zip(Z_GHK, i, o, strict=True)]
        out[k] = brentq(ghk_total_current, min(e), max(e), args=(p, i, o), xtol=xtol)
    return out


def mp_reference(P: np.ndarray, ci: np.ndarray, co: np.ndarray) -> list[float]:
    """GHK voltage by bisection at 40 digits on the total-current sum (independent of the
    closed form used by nernst). Constants are the exact SI values."""
    import mpmath as mp

    mp.mp.dps = 40
    R = mp.mpf("1.380649e-23") * mp.mpf("6.02214076e23")
    F = mp.mpf("1.602176634e-19") * mp.mpf("6.02214076e23")
    vt = R * (mp.mpf(37) + mp.mpf("273.15")) / F * 1000
    zs = [mp.mpf(z) for z in Z_GHK]
    out = []
    for p, i, o in zip(P.tolist(), ci.tolist(), co.tolist(), strict=True):
        p, i, o = [list(map(mp.mpf, x)) for x in (p, i, o)]

        def f(v: Any, p: list = p, i: list = i, o: list = o) -> Any:
            s = mp.mpf(0)
            for z, pk, ik, ok in zip(zs, p, i, o, strict=True):
                w = z * v / vt
                if w == 0:
                    s += z * pk * (ik - ok)
                else:
                    s += z * pk * w * (ik - ok * mp.exp(-w)) / (-mp.expm1(-w))
            return s

        e = [vt / z * mp.log(ok / ik) for z, ik, ok in zip(zs, i, o, strict=True)]
        lo, hi = min(e), max(e)
        flo = f(lo)
        tol = mp.mpf("1e-30")
        while hi - lo > tol:
            mid = (lo + hi) / 2
            fm = f(mid)
            if fm == 0:
                lo = hi = mid
                break
            if (fm < 0) == (flo < 0):
                lo, flo = mid, fm
            else:
                hi = mid
        out.append(float((lo + hi) / 2))
    return out


def bench_ghk(n: int, n_sub: int, n_mp: int, repeats: int) -> None:
    rng = np.random.default_rng(SEED + 1)
    P, ci, co = ghk_conditions(n, rng)
    z = list(Z_GHK)

    def ours() -> Any:
        return nernst.ghk_voltage(P, c_in=ci, c_out=co, z=z, celsius=CELSIUS)

    t_ours = best_of(ours, repeats)
    V = ours()

    sub = slice(0, n_sub)
    brentq_ghk(P[:200], ci[:200], co[:200], xtol=1e-13)  # warm up
    t0 = time.perf_counter()
    V_bq = brentq_ghk(P[sub], ci[sub], co[sub], xtol=1e-13)
    t_sub = time.perf_counter() - t0
    t_bq = t_sub * n / n_sub
    ratio = t_bq / t_ours
    row(
        f"2 ghk_voltage 4 ions (z=1,1,-1,2), {n:.0e} cond",
        f"{fmt_time(t_ours)} ({t_ours / n * 1e9:.0f} ns/cond)",
        f"{fmt_time(t_bq)} brentq*",
        f"{ratio:.0f}x",
        ">= 600x",
        ratio >= 600,
    )
    NOTES.append(
        f"2*: brentq loop timed on {n_sub:.0e} conditions ({fmt_time(t_sub)}, "
        f"{t_sub / n_sub * 1e6:.1f} us/cond) and extrapolated linearly to {n:.0e}"
    )
    d_bq = float(np.max(np.abs(V[sub] - V_bq)))
    row(
        f"2 |nernst - brentq| max, {n_sub:.0e} cond",
        f"{d_bq:.1e} mV",
        "brentq xtol=1e-13",
        "-",
        "(report)",
        None,
    )

    t0 = time.perf_counter()
    ref = np.array(mp_reference(P[:n_mp], ci[:n_mp], co[:n_mp]))
    t_mp = time.perf_counter() - t0
    d_mp = float(np.max(np.abs(V[:n_mp] - ref)))
    d_bq_mp = float(np.max(np.abs(V_bq[:n_mp] - ref)))
    row(
        f"2 |nernst - mpmath| max, {n_mp} cond",
        f"{d_mp:.1e} mV",
        f"brentq {d_bq_mp:.1e} mV",
        "-",
        "<= 1e-9 mV",
        d_mp <= 1e-9,
    )
    NOTES.append(
        f"2: mpmath reference = bisection to 1e-30 mV at 40 digits on the GHK current sum "
        f"({fmt_time(t_mp)}); V range of the conditions {V.min():.1f}..{V.max():.1f} mV"
    )


# --------------------------------------------------------------------------- 3. scalar calls


def bench_scalar() -> None:
    RT_F = GAS_CONSTANT * T_K / FARADAY * 1e3
    ci, co = 140.0, 5.0
    log = math.log

    def bare() -> float:
        return RT_F * log(co / ci)

    eq = nernst.equilibrium_potential
    ghk = nernst.ghk_voltage
    perm = {"K+": 1, "Na+": 0.04, "Cl-": 0.45}
    c_in = {"K+": 140.0, "Na+": 10.0, "Cl-": 10.0}
    c_out = {"K+": 5.0, "Na+": 145.0, "Cl-": 110.0}

    def eq_call() -> Any:
        return eq("K+", c_in=140.0, c_out=5.0, celsius=37.0)

    def ghk_call() -> Any:
        return ghk(perm, c_in=c_in, c_out=c_out)

    t_bare = per_call(bare)
    for name, fn, target in (
        ("equilibrium_potential", eq_call, 2e-6),
        ("ghk_voltage K/Na/Cl dicts", ghk_call, 10e-6),
    ):
        fn()
        t = per_call(fn)
        row(
            f"3 scalar {name}",
            f"{fmt_time(t)}/call",
            f"{fmt_time(t_bare)} math expr",
            f"{t / t_bare:.0f}x slower",
            f"<= {target * 1e6:g} us",
            t <= target,
        )


# --------------------------------------------------------------------------- 4. NEURON


def bench_neuron(n_loop: int, n_ours: int, t_ours: float, t_bare: float) -> None:
    try:
        with quiet_fds():
            from neuron import h
    except ImportError:
        row("4 NEURON h.nernst loop", "skipped (pip install neuron)", "-", "-", ">= 200x", None)
        return
    import neuron

    h.celsius = CELSIUS
    rng = np.random.default_rng(SEED + 2)
    ci = rng.uniform(1.0, 200.0, n_loop).tolist()
    co = rng.uniform(1.0, 200.0, n_loop).tolist()
    hn = h.nernst

    def loop() -> list[float]:
        return [hn(i, o, 1) for i, o in zip(ci, co, strict=True)]

    t_loop = best_of(loop, 3)
    per_neuron = t_loop / n_loop
    per_ours = t_ours / n_ours
    ratio = per_neuron / per_ours
    row(
        f"4 vs NEURON {neuron.__version__} h.nernst loop",
        f"{per_ours * 1e9:.2f} ns/el ({n_ours:.0e})",
        f"{per_neuron * 1e9:.0f} ns/el ({n_loop:.0e})",
        f"{ratio:.0f}x",
        ">= 200x",
        ratio >= 200,
    )
    NOTES.append(
        f"4: for scale, the bare numpy expression of line 1 ({t_bare / n_ours * 1e9:.2f} ns/el) "
        f"is {per_neuron / (t_bare / n_ours):.0f}x faster per element than the h.nernst loop"
    )
    pairs = [(140.0, 5.0, 1), (10.0, 145.0, 1), (1e-4, 2.0, 2), (10.0, 110.0, -1), (1e-9, 1e4, 1)]
    d = max(
        abs(hn(i, o, z) - nernst.equilibrium_potential(z, c_in=i, c_out=o, celsius=CELSIUS))
        for i, o, z in pairs
    )
    row(
        "4 |h.nernst - nernst| max, 5 values",
        f"{d:.1e} mV",
        "NEURON",
        "-",
        "<= 1e-9 mV",
        d <= 1e-9,
    )


# --------------------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="10x smaller sizes (smoke run)")
    ap.add_argument(
        "--all",
        action="store_true",
        help="then run the topic benchmarks (activity, junction, dynamics, sweep) in turn",
    )
    args = ap.parse_args()
    k = 10 if args.quick else 1
    t_start = time.perf_counter()

    machine()
    print(f"mode     : {'quick (sizes / 10)' if args.quick else 'full'}")
    print()
    print("=== physics core (benchmarks/core.py: issue-10 targets, same-run baselines) ===")
    core_main(quick=args.quick)
    print()
    print("=== nernst vs brentq, mpmath and NEURON loops ===")

    n1 = 10_000_000 // k
    t_ours, t_bare = bench_nernst_array(n1, repeats=5)
    bench_ghk(1_000_000 // k, 20_000 // k, 200 // k, repeats=5)
    bench_scalar()
    bench_neuron(100_000 // k, n1, t_ours, t_bare)

    headers = ("benchmark", "nernst", "baseline", "ratio", "target", "result")
    widths = [max(len(r[c]) for r in [headers, *ROWS]) for c in range(len(headers))]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("-" * len(line))
    for r in ROWS:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    print()
    for note in NOTES:
        print(note)
    misses = sum(r[5] == "MISS" for r in ROWS)
    print(f"\n{misses} MISS, total {time.perf_counter() - t_start:.1f} s")
    if args.all:
        run_topics(quick=args.quick)


TOPICS = ("activity", "junction", "dynamics", "sweep")


def run_topics(*, quick: bool) -> None:
    """Each topic's own benchmark script, in a fresh process, with its own table."""
    import subprocess
    import sys
    from pathlib import Path

    here = Path(__file__).resolve().parent
    for topic in TOPICS:
        script = here / f"{topic}.py"
        if not script.exists():
            continue
        print(f"\n=== benchmarks/{topic}.py ===", flush=True)
        extra = ["--quick"] if quick and topic != "dynamics" else []
        subprocess.run([sys.executable, str(script), *extra], check=False)


if __name__ == "__main__":
    main()
