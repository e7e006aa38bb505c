"""Activity-coefficient timings: nernst against a bare-math baseline measured in the same run.

Usage::

    python benchmarks/activity.py [--quick] [--json FILE]

Lines (nernst and its baseline timed alternately with the shared harness,
``benchmarks/_harness.py``):

1. scalar ``activity_coefficient("K+", ionic_strength=0.1, model=M, celsius=25.0)`` for
   M = davies, extended-debye-huckel, truesdell-jones (I = 0.1 M: inside every model's
   documented range, so no ActivityRangeWarning is part of the cost), against the bare
   ``math`` expression of the same model with A, B and the ion parameters already in local
   variables (what a hand-written, unvalidated one-off costs). Target: a call under 10 us
   (the issue; pyEQL takes about 14 ms).
2. scalar ``mean_activity_coefficient("Na+", "Cl-", molality=0.1, model="truesdell-jones")``
   against the bare expression of both ions and their mean, info.
3. arrays: ``activity_coefficient("K+", ionic_strength=I, model="davies")`` on 1e6 random
   ionic strengths 1e-4-0.5 M (1e5 with ``--quick``) against the bare NumPy expression, info.

Only measures and prints; asserts nothing, exits 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from _harness import Row, harness_main, paired, paired_per_call, timed_row

import nernst
from nernst.activity import (
    activity_coefficient,
    debye_huckel_constants,
    mean_activity_coefficient,
    truesdell_jones_parameters,
)

TOPIC = "activity"
TARGET_S = 10e-6  # a scalar call under 10 us
SEED = 20240601


def _scalar_rows() -> list[Row]:
    A, B = debye_huckel_constants(celsius=25.0)
    a_k = nernst.ions["K+"].ion_size
    a_tj, b_tj = truesdell_jones_parameters()["K+"]
    I, z = 0.1, 1

    def bare_davies() -> float:
        s = math.sqrt(I)
        return 10.0 ** (-A * z * z * (s / (1.0 + s) - 0.3 * I))

    def bare_edh() -> float:
        s = math.sqrt(I)
        return 10.0 ** (-A * z * z * s / (1.0 + B * a_k * s))

    def bare_tj() -> float:
        s = math.sqrt(I)
        return 10.0 ** (-A * z * z * s / (1.0 + B * a_tj * s) + b_tj * I)

    rows = []
    bares: list[tuple[str, Callable[[], float]]] = [
        ("davies", bare_davies),
        ("extended-debye-huckel", bare_edh),
        ("truesdell-jones", bare_tj),
    ]
    for model, bare in bares:

        def call(model: str = model) -> float:
            return activity_coefficient("K+", ionic_strength=I, model=model, celsius=25.0)

        if not math.isclose(call(), bare(), rel_tol=1e-12):  # pragma: no cover - a broken baseline
            raise RuntimeError(f"the bare {model} expression disagrees with nernst")
        row = timed_row(TOPIC, f"1 scalar {model}", paired_per_call(call, bare), "bare math", None)
        row.target = f"< {TARGET_S * 1e6:g} us"
        row.ok = row.ours is not None and row.ours < TARGET_S
        rows.append(row)

    a_na, b_na = truesdell_jones_parameters()["Na+"]
    a_cl, b_cl = truesdell_jones_parameters()["Cl-"]
    m = 0.1  # NaCl: I = m

    def bare_mean() -> float:
        s = math.sqrt(m)
        lg_na = -A * s / (1.0 + B * a_na * s) + b_na * m
        lg_cl = -A * s / (1.0 + B * a_cl * s) + b_cl * m
        return 10.0 ** ((lg_na + lg_cl) / 2)

    def mean() -> float:
        return mean_activity_coefficient("Na+", "Cl-", molality=m, model="truesdell-jones")

    rows.append(
        timed_row(
            TOPIC,
            "2 scalar mean_activity_coefficient (T-J)",
            paired_per_call(mean, bare_mean),
            "bare math",
            None,
        )
    )
    return rows


def _array_row(n: int) -> Row:
    A, _ = debye_huckel_constants(celsius=25.0)
    strengths = 10.0 ** np.random.default_rng(SEED).uniform(-4, math.log10(0.5), n)

    def ours() -> Any:
        return activity_coefficient("K+", ionic_strength=strengths, model="davies")

    def bare() -> np.ndarray:
        s = np.sqrt(strengths)
        return 10.0 ** (-A * (s / (1.0 + s) - 0.3 * strengths))

    np.testing.assert_allclose(ours(), bare(), rtol=1e-13)
    t = paired(ours, bare) if n > 100_000 else paired_per_call(ours, bare)
    return timed_row(TOPIC, f"3 array davies, {n:.0e} el", t, "bare NumPy", None)


def collect(quick: bool = False) -> list[Row]:
    """The activity lines; ``quick`` times the array line on 1e5 elements."""
    return [*_scalar_rows(), _array_row(100_000 if quick else 1_000_000)]


if __name__ == "__main__":
    harness_main(collect, __doc__)
