"""Physics-core benchmarks (issue 10): every target against a baseline timed in the same run.

Usage::

    python benchmarks/core.py [--quick]

Each line times nernst and its baseline alternately (baseline, nernst, baseline, nernst, ...)
so that a loaded machine slows both alike; the ratio is the median of the per-pair ratios
and the spread is their min-max. ``--quick`` divides the large sizes by 10. The script only
measures and prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import statistics
import sys
import time
import timeit
import tracemalloc
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

import nernst
from nernst.constants import FARADAY, GAS_CONSTANT, ZERO_CELSIUS
from nernst.ions import valence

CELSIUS = 37.0
VT_MV = GAS_CONSTANT * (CELSIUS + ZERO_CELSIUS) / FARADAY * 1e3  # RT/F in mV
SEED = 20240601
REPEATS = 7  # pairs per line (>= 5)

ROWS: list[tuple[str, str, str, str, str, str]] = []
NOTES: list[str] = []


# --------------------------------------------------------------------------- timing


def paired(ours: Callable[[], Any], base: Callable[[], Any], repeats: int = REPEATS) -> dict:
    """Alternate wall times of ``base`` and ``ours`` (one call each per pair, after a warm-up)."""
    base()
    ours()
    t_b, t_o = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        base()
        t1 = time.perf_counter()
        ours()
        t2 = time.perf_counter()
        t_b.append(t1 - t0)
        t_o.append(t2 - t1)
    return _summary(t_o, t_b)


def paired_per_call(
    ours: Callable[[], Any], base: Callable[[], Any], repeats: int = REPEATS
) -> dict:
    """As :func:`paired` for fast calls: each sample is timeit's per-call time of a loop."""
    number = max(timeit.Timer(base).autorange()[0], timeit.Timer(ours).autorange()[0])
    t_b, t_o = [], []
    for _ in range(repeats):
        t_b.append(timeit.timeit(base, number=number) / number)
        t_o.append(timeit.timeit(ours, number=number) / number)
    return _summary(t_o, t_b)


def _summary(t_o: list[float], t_b: list[float]) -> dict:
    ratios = [o / b for o, b in zip(t_o, t_b, strict=True)]
    return {
        "ours": statistics.median(t_o),
        "base": statistics.median(t_b),
        "ratio": statistics.median(ratios),
        "lo": min(ratios),
        "hi": max(ratios),
    }


def fmt(seconds: float) -> str:
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} us"
    if seconds < 1.0:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def row(name: str, m: dict, baseline: str, limit: float) -> None:
    """A line: nernst time, baseline time, ratio nernst/baseline (spread) and the target."""
    ratio = m["ratio"]
    ROWS.append(
        (
            name,
            fmt(m["ours"]),
            f"{fmt(m['base'])} {baseline}",
            f"{ratio:.2f}x ({m['lo']:.2f}-{m['hi']:.2f})",
            f"<= {limit:g}x",
            "PASS" if ratio <= limit else "MISS",
        )
    )


def info(name: str, measured: str, baseline: str, target: str, ok: bool | None) -> None:
    status = "info" if ok is None else ("PASS" if ok else "MISS")
    ROWS.append((name, measured, baseline, "-", target, status))


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


# --------------------------------------------------------------------------- A. Nernst


def bench_nernst(n_large: int) -> None:
    rng = np.random.default_rng(SEED)
    for n, limit, kind in ((n_large, 1.2, "in-place"), (1000, 3.0, "bare")):
        ci = rng.uniform(1.0, 200.0, n)
        co = rng.uniform(1.0, 200.0, n)

        def in_place(ci: np.ndarray = ci, co: np.ndarray = co) -> np.ndarray:
            E = np.divide(co, ci)
            np.log(E, out=E)
            np.multiply(E, VT_MV, out=E)  # z = 1
            return E

        def bare(ci: np.ndarray = ci, co: np.ndarray = co) -> np.ndarray:
            return VT_MV * np.log(co / ci)

        def ours(ci: np.ndarray = ci, co: np.ndarray = co) -> Any:
            return nernst.equilibrium_potential(1, c_in=ci, c_out=co, celsius=CELSIUS)

        base = in_place if kind == "in-place" else bare
        d = float(np.max(np.abs(ours() - base())))
        m = paired(ours, base) if n > 1e5 else paired_per_call(ours, base)
        label = "np.log(co/ci, out=)" if kind == "in-place" else "k*np.log(co/ci)"
        row(f"A equilibrium_potential {n:.0e} el", m, label, limit)
        NOTES.append(f"A {n:.0e}: max |nernst - numpy| = {d:.1e} mV")


# --------------------------------------------------------------------------- B. GHK voltage

Z4 = (1, 1, -1, 2)  # K+, Na+, Cl-, Ca2+


def ghk_conditions(
    n: int, rng: np.random.Generator, trivalent: bool = False
) -> tuple[np.ndarray, ...]:
    """Log-uniform conditions, ions on the last axis: K+, Na+, Cl- 0.1-500 mM in and out;
    the fourth ion (Ca2+, or a trivalent cation) 1e-5-1e-2 mM in, 0.1-10 mM out; relative
    permeabilities 1e-3-1."""

    def logu(lo: float, hi: float) -> np.ndarray:
        return np.exp(rng.uniform(math.log(lo), math.log(hi), n))

    ci = np.stack([logu(0.1, 500), logu(0.1, 500), logu(0.1, 500), logu(1e-5, 1e-2)], axis=-1)
    co = np.stack([logu(0.1, 500), logu(0.1, 500), logu(0.1, 500), logu(0.1, 10)], axis=-1)
    P = np.stack([logu(1e-3, 1.0) for _ in range(4)], axis=-1)
    return P, ci, co


def closed_form_chunked(
    P: np.ndarray, ci: np.ndarray, co: np.ndarray, chunk: int = 16384
) -> np.ndarray:
    """A careful NumPy closed form for valences (1, 1, -1, 2), no validation: blocks of
    ``chunk`` conditions, the coefficients A, B, C, D by two small matrix products, the
    cancellation-free quadratic root."""
    w_in = np.array([[1, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 4, 0]], float)
    w_out = np.array([[0, 1, 0, 0], [0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 4]], float)
    out = np.empty(P.shape[0])
    for i in range(0, P.shape[0], chunk):
        p = P[i : i + chunk]
        coef = (p * ci[i : i + chunk]) @ w_in + (p * co[i : i + chunk]) @ w_out
        A, B, C, D = coef.T
        a, b, c = B + D, B - A, A + C
        s = np.sqrt(b * b + 4.0 * a * c) + np.abs(b)
        up = b >= 0
        ratio = np.where(up, s, 2.0 * a) / np.where(up, 2.0 * c, s)
        out[i : i + chunk] = VT_MV * np.log(ratio)
    return out


def bench_ghk_voltage(n_large: int) -> None:
    rng = np.random.default_rng(SEED + 1)
    for n, limit in ((n_large, 1.3), (1000, 3.0)):
        P, ci, co = ghk_conditions(n, rng)

        def base(P: np.ndarray = P, ci: np.ndarray = ci, co: np.ndarray = co) -> np.ndarray:
            return closed_form_chunked(P, ci, co)

        def ours(P: np.ndarray = P, ci: np.ndarray = ci, co: np.ndarray = co) -> Any:
            return nernst.ghk_voltage(P, c_in=ci, c_out=co, z=list(Z4), celsius=CELSIUS)

        d = float(np.max(np.abs(ours() - base())))
        m = paired(ours, base) if n > 1e5 else paired_per_call(ours, base)
        row(f"B ghk_voltage K/Na/Cl/Ca {n:.0e} cond", m, "chunked closed form", limit)
        NOTES.append(f"B {n:.0e}: max |nernst - closed form| = {d:.1e} mV")


# --------------------------------------------------------------------------- C. Newton

Z_TRI = (1, 1, -1, 3)  # K+, Na+, Cl-, a trivalent cation: the zero-current cubic


def cubic_newton(P: np.ndarray, ci: np.ndarray, co: np.ndarray) -> np.ndarray:
    """A plain vectorised Newton on the cubic of valences (1, 1, -1, 3), written directly:
    F(x) = (A - B x)(1 + x + x^2) + C - D x^3 = 0 in x = exp(-u), iterated in u from
    ln(sum B / sum A) over the mean valence until every step is below 2e-14 (1 + |u|), a
    step that would leave the Nernst bracket replaced by bisection (without it, Newton
    from any fixed start fails for some of these conditions). Written for this one
    valence set: no validation, no general polynomial, no overflow handling."""
    A = P[:, 0] * ci[:, 0] + P[:, 1] * ci[:, 1] + P[:, 2] * co[:, 2]
    B = P[:, 0] * co[:, 0] + P[:, 1] * co[:, 1] + P[:, 2] * ci[:, 2]
    C = 9.0 * P[:, 3] * ci[:, 3]
    D = 9.0 * P[:, 3] * co[:, 3]
    c0, c1, c2, c3 = A + C, A - B, A - B, -(B + D)
    e = np.log(co / ci) / np.array(Z_TRI, float)
    lo, hi = e.min(axis=-1), e.max(axis=-1)
    # Start: ln(sum B / sum A) over the mean valence (the same start as nernst's solver).
    m_mean = ((A + B) + 3.0 * (C + D)) / (A + B + C + D)
    u = np.clip(np.log((B + D) / (A + C)) / m_mean, lo, hi)
    for _ in range(100):
        x = np.exp(-u)
        f = ((c3 * x + c2) * x + c1) * x + c0
        df = (3.0 * c3 * x + 2.0 * c2) * x + c1
        lo = np.where(f < 0, u, lo)  # F has the sign of the current, increasing in u
        hi = np.where(f > 0, u, hi)
        new = u - f / (-x * df)
        new = np.where((new > lo) & (new < hi), new, 0.5 * (lo + hi))  # bisect if outside
        converged = np.all(np.abs(new - u) <= 2e-14 * (1.0 + np.abs(u)))
        u = new
        if converged:
            break
    return u * VT_MV


def mp_reference(P: np.ndarray, ci: np.ndarray, co: np.ndarray, zs: tuple[int, ...]) -> list:
    """GHK voltage by bisection to 1e-30 mV at 40 digits on the total GHK current sum, exact SI
    constants; independent of nernst's polynomial and Newton."""
    import mpmath as mp

    mp.mp.dps = 40
    R = mp.mpf("1.380649e-23") * mp.mpf("6.02214076e23")
    F = mp.mpf("1.602176634e-19") * mp.mpf("6.02214076e23")
    vt = R * (mp.mpf(37) + mp.mpf("273.15")) / F * 1000
    out = []
    for p, i, o in zip(P.tolist(), ci.tolist(), co.tolist(), strict=True):
        p, i, o = ([mp.mpf(v) for v in x] for x in (p, i, o))

        def f(v: Any, p: list = p, i: list = i, o: list = o) -> Any:
            s = mp.mpf(0)
            for z, pk, ik, ok in zip(zs, p, i, o, strict=True):
                w = z * v / vt
                s += (
                    z * pk * (ik - ok)
                    if w == 0
                    else z * pk * w * (ik - ok * mp.exp(-w)) / (-mp.expm1(-w))
                )
            return s

        e = [vt / z * mp.log(ok / ik) for z, ik, ok in zip(zs, i, o, strict=True)]
        lo, hi = min(e), max(e)
        flo = f(lo)
        while hi - lo > mp.mpf("1e-30"):
            mid = (lo + hi) / 2
            fm = f(mid)
            if (fm < 0) == (flo < 0):
                lo, flo = mid, fm
            else:
                hi = mid
        out.append(float((lo + hi) / 2))
    return out


def bench_newton(n: int, n_mp: int) -> None:
    rng = np.random.default_rng(SEED + 3)
    P, ci, co = ghk_conditions(n, rng)

    def ours() -> Any:
        return nernst.ghk_voltage(P, c_in=ci, c_out=co, z=list(Z_TRI), celsius=CELSIUS)

    def base() -> np.ndarray:
        return cubic_newton(P, ci, co)

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning leaking from the solver fails the line
        V = ours()
    with np.errstate(all="ignore"):
        V_base = base()
    m = paired(ours, lambda: _quiet(base))
    row(f"C Newton z=(1,1,-1,3) {n:.0e} cond", m, "vectorised cubic Newton", 1.0)
    NOTES.append(f"C: max |nernst - cubic Newton| = {float(np.nanmax(np.abs(V - V_base))):.1e} mV")

    try:
        ref = np.array(mp_reference(P[:n_mp], ci[:n_mp], co[:n_mp], Z_TRI))
    except ImportError:
        info("C |Newton - mpmath|", "skipped (pip install mpmath)", "-", "<= 1e-9 mV", None)
    else:
        err = float(np.max(np.abs(V[:n_mp] - ref)))
        info(
            f"C |Newton - mpmath| max, {n_mp} cond",
            f"{err:.1e} mV",
            "40-digit bisection",
            "<= 1e-9 mV",
            err <= 1e-9,
        )

    n_mem = max(n, 1_000_000)  # the size the 98x (SciPy path) was measured at
    P_m, ci_m, co_m = ghk_conditions(n_mem, np.random.default_rng(SEED + 4))
    tracemalloc.start()
    tracemalloc.reset_peak()
    out = nernst.ghk_voltage(P_m, c_in=ci_m, c_out=co_m, z=list(Z_TRI), celsius=CELSIUS)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    ratio = peak / out.nbytes
    info(
        f"C Newton peak memory, {n:.0e} cond",
        f"{peak / 2**20:.1f} MiB",
        f"output {out.nbytes / 2**20:.1f} MiB",
        "<= 3x output",
        ratio <= 3.0,
    )
    NOTES.append(f"C: tracemalloc peak during the call = {ratio:.2f}x the output (includes it)")


def _quiet(f: Callable[[], Any]) -> Any:
    with np.errstate(all="ignore"):
        return f()


# --------------------------------------------------------------------------- D. scalar calls


def bench_scalars() -> None:
    m = paired_per_call(lambda: valence(1), lambda: valence("K+"))
    row("D valence(1)", m, 'valence("K+")', 1.0)

    try:
        with quiet_fds():
            from neuron import h
    except ImportError:
        info(
            "D scalar ghk_current vs NEURON h.ghk",
            "skipped (pip install neuron)",
            "-",
            "<= 3x",
            None,
        )
        return
    import neuron

    h.celsius = 6.3
    ghk = h.ghk
    current = nernst.ghk_current

    def theirs() -> float:
        return ghk(-50.0, 0.001, 10.0, 2.0)

    def ours() -> float:
        return current(2, v_m=-50.0, permeability=1.0, c_in=0.001, c_out=10.0, celsius=6.3)

    m = paired_per_call(ours, theirs)
    row("D scalar ghk_current", m, f"NEURON {neuron.__version__} h.ghk", 3.0)
    NOTES.append(f"D: |ghk_current - h.ghk| = {abs(ours() - theirs()):.1e} mA/cm^2 per cm/s")


# --------------------------------------------------------------------------- main


def main(quick: bool = False) -> list[tuple[str, ...]]:
    k = 10 if quick else 1
    t0 = time.perf_counter()
    bench_nernst(10_000_000 // k)
    bench_ghk_voltage(10_000_000 // k)
    bench_newton(1_000_000 // k, 100 // k)
    bench_scalars()
    headers = ("benchmark", "nernst", "baseline", "ratio (spread)", "target", "result")
    widths = [max(len(r[c]) for r in [headers, *ROWS]) for c in range(len(headers))]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("-" * len(line))
    for r in ROWS:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    print()
    for note in NOTES:
        print(note)
    print(
        f"ratios: median of {REPEATS} alternating (baseline, nernst) pairs; spread = min-max; "
        f"{sum(r[5] == 'MISS' for r in ROWS)} MISS, {time.perf_counter() - t0:.1f} s"
    )
    return ROWS


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="10x smaller sizes (smoke run)")
    main(quick=ap.parse_args().quick)
