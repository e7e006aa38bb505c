"""Physics-core benchmarks (issue 10): every target against a baseline timed in the same run.

Usage::

    python benchmarks/core.py [--quick] [--json FILE]

Lines (each times nernst and its baseline alternately with the shared harness,
``benchmarks/_harness.py``: the ratio is the median of the per-pair ratios, the spread their
min-max):

A. ``equilibrium_potential`` on 1e7 elements against in-place NumPy (``np.log(co/ci, out=)``,
   target 1.2x) and on 1e3 elements against the bare expression ``k*np.log(co/ci)`` (target
   3x); its peak extra memory at 1e6 elements; a scaling table (time and ratio to the bare
   expression for n = 1e2 ... 1e7).
B. ``ghk_voltage`` for K+/Na+/Cl-/Ca2+ against a careful chunked NumPy closed form at 1e7
   (1.3x) and 1e3 conditions (3x), and its peak extra memory at 1e6 conditions.
C. ``ghk_voltage`` with a trivalent ion (the Newton solve) against a vectorised cubic Newton
   written here (1x), its accuracy against a 40-digit mpmath bisection (1e-9 mV) and its
   peak memory (3x the output).
D. Scalar calls: ``valence(1)`` against ``valence("K+")`` (1x) and ``ghk_current`` against
   NEURON's ``h.ghk`` (3x).

``--quick`` drops 1e7 (the large lines run at 1e6) and shortens C; it stays under about 20 s
on an idle 2-core machine. Peak memory is the tracemalloc peak of one call less the output,
per byte of output. The script only measures and prints; it asserts nothing.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from _harness import (
    Row,
    harness_main,
    info_row,
    paired,
    paired_per_call,
    peak_bytes,
    quiet_fds,
    timed_row,
)

import nernst
from nernst.constants import FARADAY, GAS_CONSTANT, ZERO_CELSIUS
from nernst.ions import valence

TOPIC = "core"
CELSIUS = 37.0
VT_MV = GAS_CONSTANT * (CELSIUS + ZERO_CELSIUS) / FARADAY * 1e3  # RT/F in mV
SEED = 20240601
MEMORY_N = 1_000_000  # size of the memory lines (the 98x was measured there)


def _timing(ours: Callable[[], Any], base: Callable[[], Any], n: int) -> Any:
    """Whole-call pairs for large problems, timeit loops per sample for small ones."""
    return paired(ours, base) if n > 100_000 else paired_per_call(ours, base)


def _extra_memory(fn: Callable[[], Any]) -> tuple[float, int]:
    """(peak extra bytes per output byte, output bytes) of one call of ``fn``."""
    peak, out = peak_bytes(fn)
    nbytes = int(np.asarray(out).nbytes)
    return (peak - nbytes) / nbytes, nbytes


def _memory_row(name: str, ours: Callable[[], Any], base: Callable[[], Any], label: str) -> Row:
    extra, nbytes = _extra_memory(ours)
    base_extra, _ = _extra_memory(base)
    row = info_row(TOPIC, name, f"{extra:.2f} B/B")
    row.baseline = f"{base_extra:.2f} B/B {label}"
    row.extra = {"extra_bytes_per_output_byte": extra, "baseline": base_extra, "output": nbytes}
    return row


# --------------------------------------------------------------------------- A. Nernst


def _nernst_inputs(n: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(1.0, 200.0, n), rng.uniform(1.0, 200.0, n)


def _nernst_calls(
    ci: np.ndarray, co: np.ndarray
) -> tuple[Callable[[], Any], Callable[[], Any], Callable[[], Any]]:
    """(nernst, in-place NumPy, bare NumPy) on the same inputs, z = 1."""

    def ours() -> Any:
        return nernst.equilibrium_potential(1, c_in=ci, c_out=co, celsius=CELSIUS)

    def in_place() -> np.ndarray:
        E = np.divide(co, ci)
        np.log(E, out=E)
        np.multiply(E, VT_MV, out=E)
        return E

    def bare() -> np.ndarray:
        return VT_MV * np.log(co / ci)

    return ours, in_place, bare


def bench_nernst(n_large: int) -> list[Row]:
    rows = []
    diffs = []
    for n, limit, kind in ((n_large, 1.2, "in-place"), (1000, 3.0, "bare")):
        ours, in_place, bare = _nernst_calls(*_nernst_inputs(n))
        base = in_place if kind == "in-place" else bare
        diffs.append(float(np.max(np.abs(ours() - base()))))
        label = "np.log(co/ci, out=)" if kind == "in-place" else "k*np.log(co/ci)"
        rows.append(
            timed_row(
                TOPIC, f"A equilibrium_potential {n:.0e} el", _timing(ours, base, n), label, limit
            )
        )
    rows.append(info_row(TOPIC, "A |nernst - NumPy| max", f"{max(diffs):.1e} mV"))
    ours, in_place, _ = _nernst_calls(*_nernst_inputs(MEMORY_N))
    rows.append(
        _memory_row(f"A equilibrium_potential memory {MEMORY_N:.0e}", ours, in_place, "in-place")
    )
    return rows


def bench_nernst_scaling(quick: bool) -> list[Row]:
    """Time and ratio to the bare NumPy expression against n: the fixed overhead shows at
    small n, the per-element cost at large n."""
    rows = []
    for k in range(2, 7 if quick else 8):
        n = 10**k
        ours, _, bare = _nernst_calls(*_nernst_inputs(n, SEED + k))
        t = _timing(ours, bare, n)
        rows.append(timed_row(TOPIC, f"A scaling n={n:.0e}", t, "k*np.log(co/ci)", None))
    return rows


# --------------------------------------------------------------------------- B. GHK voltage

Z4 = (1, 1, -1, 2)  # K+, Na+, Cl-, Ca2+


def ghk_conditions(n: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
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


def _ghk_calls(n: int, seed: int) -> tuple[Callable[[], Any], Callable[[], Any]]:
    P, ci, co = ghk_conditions(n, np.random.default_rng(seed))

    def ours() -> Any:
        return nernst.ghk_voltage(P, c_in=ci, c_out=co, z=list(Z4), celsius=CELSIUS)

    def base() -> np.ndarray:
        return closed_form_chunked(P, ci, co)

    return ours, base


def bench_ghk_voltage(n_large: int) -> list[Row]:
    rows = []
    diffs = []
    for n, limit in ((n_large, 1.3), (1000, 3.0)):
        ours, base = _ghk_calls(n, SEED + 1)
        diffs.append(float(np.max(np.abs(ours() - base()))))
        rows.append(
            timed_row(
                TOPIC,
                f"B ghk_voltage K/Na/Cl/Ca {n:.0e} cond",
                _timing(ours, base, n),
                "chunked closed form",
                limit,
            )
        )
    rows.append(info_row(TOPIC, "B |nernst - closed form| max", f"{max(diffs):.1e} mV"))
    ours, base = _ghk_calls(MEMORY_N, SEED + 2)
    rows.append(
        _memory_row(f"B ghk_voltage memory {MEMORY_N:.0e}", ours, base, "chunked closed form")
    )
    return rows


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


def _quiet(f: Callable[[], Any]) -> Any:
    with np.errstate(all="ignore"):
        return f()


def bench_newton(n: int, n_mp: int) -> list[Row]:
    rows = []
    P, ci, co = ghk_conditions(n, np.random.default_rng(SEED + 3))

    def ours() -> Any:
        return nernst.ghk_voltage(P, c_in=ci, c_out=co, z=list(Z_TRI), celsius=CELSIUS)

    def base() -> np.ndarray:
        return _quiet(lambda: cubic_newton(P, ci, co))

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning leaking from the solver fails the line
        V = ours()
    V_base = base()
    rows.append(
        timed_row(
            TOPIC,
            f"C Newton z=(1,1,-1,3) {n:.0e} cond",
            paired(ours, base),
            "vectorised cubic Newton",
            1.0,
        )
    )
    rows.append(
        info_row(
            TOPIC, "C |nernst - cubic Newton| max", f"{float(np.nanmax(np.abs(V - V_base))):.1e} mV"
        )
    )
    try:
        ref = np.array(mp_reference(P[:n_mp], ci[:n_mp], co[:n_mp], Z_TRI))
    except ImportError:
        rows.append(info_row(TOPIC, "C |Newton - mpmath|", "skipped (pip install mpmath)"))
    else:
        err = float(np.max(np.abs(V[:n_mp] - ref)))
        row = info_row(
            TOPIC,
            f"C |Newton - mpmath| max, {n_mp} cond",
            f"{err:.1e} mV",
            "<= 1e-9 mV",
            err <= 1e-9,
        )
        row.baseline = "40-digit bisection"
        rows.append(row)

    P_m, ci_m, co_m = ghk_conditions(MEMORY_N, np.random.default_rng(SEED + 4))
    peak, out = peak_bytes(
        lambda: nernst.ghk_voltage(P_m, c_in=ci_m, c_out=co_m, z=list(Z_TRI), celsius=CELSIUS)
    )
    ratio = peak / out.nbytes
    row = info_row(
        TOPIC,
        f"C Newton peak memory, {MEMORY_N:.0e} cond",
        f"{ratio:.2f}x output",
        "<= 3x output",
        ratio <= 3.0,
    )
    row.baseline = f"output {out.nbytes / 2**20:.1f} MiB"
    row.extra = {"peak_bytes": peak, "output_bytes": int(out.nbytes)}
    rows.append(row)
    return rows


# --------------------------------------------------------------------------- D. scalar calls


def bench_scalars() -> list[Row]:
    rows = [
        timed_row(
            TOPIC,
            "D valence(1)",
            paired_per_call(lambda: valence(1), lambda: valence("K+")),
            'valence("K+")',
            1.0,
        )
    ]
    try:
        with quiet_fds():
            from neuron import h
    except ImportError:
        rows.append(
            info_row(TOPIC, "D scalar ghk_current vs NEURON h.ghk", "skipped (pip install neuron)")
        )
        return rows
    import neuron

    h.celsius = 6.3
    ghk = h.ghk
    current = nernst.ghk_current

    def theirs() -> float:
        return float(ghk(-50.0, 0.001, 10.0, 2.0))

    def ours() -> float:
        return current(2, v_m=-50.0, permeability=1.0, c_in=0.001, c_out=10.0, celsius=6.3)

    row = timed_row(
        TOPIC,
        "D scalar ghk_current",
        paired_per_call(ours, theirs),
        f"NEURON {neuron.__version__} h.ghk",
        3.0,
    )
    row.extra["abs_diff_mA_per_cm2"] = abs(ours() - theirs())
    rows.append(row)
    return rows


# --------------------------------------------------------------------------- collect


def collect(quick: bool = False) -> list[Row]:
    """Every core line; ``quick`` runs the 1e7 lines at 1e6 and shortens the Newton line."""
    n_large = 1_000_000 if quick else 10_000_000
    return [
        *bench_nernst(n_large),
        *bench_nernst_scaling(quick),
        *bench_ghk_voltage(n_large),
        *bench_newton(100_000 if quick else 1_000_000, 10 if quick else 100),
        *bench_scalars(),
    ]


if __name__ == "__main__":
    harness_main(collect, __doc__)
