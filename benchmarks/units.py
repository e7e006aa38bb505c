"""Cost of the pint units layer: the public (wrapped) functions against the raw ones, same run.

Usage::

    python benchmarks/units.py [--quick] [--json FILE]

``--quick``: 5 pairs of 10 ms samples instead of 7 of 20 ms, and a 1e5-element array.

``nernst.<function>`` is the physics function wrapped by :func:`nernst.units.quantity_aware`;
``nernst.<module>.<function>`` is the raw function, the baseline. Lines (topic ``units``):

1. plain scalar calls through the wrapper against the raw function (what every user pays):
   ``equilibrium_potential``, ``ghk_current``, ``ghk_voltage`` with ion mappings (whose
   values ghk_voltage screens itself, so the wrapper passes them on unscanned), and no-ops
   with ``equilibrium_potential``'s and with ``ghk_voltage``'s signature and units spec (the
   wrapper's own cost, free of the physics). The overhead, raw median x (median ratio - 1),
   is shown next to the raw time. Target: "near zero", read as < 0.5 us per call, and
   < 1.5x on the scalar Nernst call. The real ghk_voltage line is information: its ~15 us
   call varies by more than the wrapper costs, so the no-op with its signature carries the
   target.
2. the same scalar ``equilibrium_potential`` with pint Quantities (uM, mol/L, K) against the
   plain call: the price of conversion when Quantities are used (info).
3. a 1e6-element (1e5 with ``--quick``) Quantity array against the plain array (info:
   conversion is one multiply per argument).

Every line is a pair timed alternately by the shared harness (``_harness.paired_per_call``
for the scalar lines, ``_harness.paired`` for the array line): median of >= 7 pairs, spread
min-max of the per-pair ratios. Only measures and prints; asserts nothing.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np
from _harness import REPEATS, Row, harness_main, info_row, paired, paired_per_call, timed_row

import nernst
from nernst import _api
from nernst import ghk as raw_ghk
from nernst import nernst as raw_nernst
from nernst._api import Units
from nernst.units import quantity_aware

TOPIC = "units"
TARGET_NS = 500.0
TARGET_RATIO = 1.5


def _noop(ion: Any, /, *, c_in: Any, c_out: Any, celsius: float = 37.0) -> float:
    return 0.0


def _noop_voltage(*args: Any, **kwargs: Any) -> float:
    """A no-op that presents ghk_voltage's signature (set below), so the wrapper built for it
    is the one built for ghk_voltage."""
    return 0.0


_noop_voltage.__signature__ = inspect.signature(raw_ghk.ghk_voltage)  # type: ignore[attr-defined]


def collect(quick: bool = False) -> list[Row]:
    """The units-layer lines; ``quick`` uses a 1e5-element array for line 3."""
    n_array = 100_000 if quick else 1_000_000
    repeats, budget = (5, 0.01) if quick else (REPEATS, 0.02)
    wrapped_noop = quantity_aware(_noop, Units("mV"))
    ghk_spec = _api.API["ghk_voltage"][1]
    assert isinstance(ghk_spec, Units)
    wrapped_noop_voltage = quantity_aware(_noop_voltage, ghk_spec)
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
            lambda: raw_ghk.ghk_current("K+", v_m=-70.0, permeability=1e-6, c_in=140.0, c_out=5.0),
            lambda: nernst.ghk_current("K+", v_m=-70.0, permeability=1e-6, c_in=140.0, c_out=5.0),
        ),
        (
            "ghk_voltage 3-ion mappings",
            lambda: raw_ghk.ghk_voltage(perm, c_in=c_in, c_out=c_out),
            lambda: nernst.ghk_voltage(perm, c_in=c_in, c_out=c_out),
        ),
        (
            "no-op, same signature (wrapper only)",
            lambda: _noop("K+", c_in=140.0, c_out=5.0, celsius=37.0),
            lambda: wrapped_noop("K+", c_in=140.0, c_out=5.0, celsius=37.0),
        ),
        (
            "no-op, ghk_voltage's signature and spec, 3 dicts",
            lambda: _noop_voltage(perm, c_in=c_in, c_out=c_out),
            lambda: wrapped_noop_voltage(perm, c_in=c_in, c_out=c_out),
        ),
    ]
    #: the real ghk_voltage call (~15 us) varies by more than the wrapper costs: its line is
    #: information; the no-op with its signature and units spec measures the wrapper alone
    info_only = {"ghk_voltage 3-ion mappings"}

    rows: list[Row] = []
    for label, raw, wrapped in pairs:
        same = raw() == wrapped()
        t = paired_per_call(wrapped, raw, repeats, budget)
        overhead_ns = t.base * (t.ratio - 1.0) * 1e9  # from the median ratio, as the ratio
        ratio_line = label.startswith("equilibrium_potential")
        row = timed_row(
            TOPIC,
            f"wrapper: {label}",
            t,
            f"raw, overhead {overhead_ns:+.0f} ns",
            None,
        )
        ok = overhead_ns < TARGET_NS and (t.ratio < TARGET_RATIO if ratio_line else True)
        row.target = (
            f"< {TARGET_RATIO:g}x, < {TARGET_NS:.0f} ns" if ratio_line else f"< {TARGET_NS:.0f} ns"
        )
        row.ok = ok and same
        if label in info_only:
            row.target, row.ok = "", None
        row.extra["overhead_ns"] = overhead_ns
        row.extra["same_result"] = same
        rows.append(row)

    try:
        import pint
    except ImportError:
        rows.append(info_row(TOPIC, "Quantity lines", "skipped (pip install 'nernst[units]')"))
        return rows
    Q_ = pint.UnitRegistry().Quantity
    ci, co, t_k = Q_(0.14, "mol/L"), Q_(5000.0, "uM"), Q_(310.15, "K")

    def plain_call() -> Any:
        return nernst.equilibrium_potential("K+", c_in=140.0, c_out=5.0, celsius=37.0)

    def quantity_call() -> Any:
        return nernst.equilibrium_potential("K+", c_in=ci, c_out=co, celsius=t_k)

    diff = abs(quantity_call().to("mV").magnitude - plain_call())
    t = paired_per_call(quantity_call, plain_call, repeats, budget)
    row = timed_row(TOPIC, "equilibrium_potential with Quantities", t, "plain floats", None)
    row.extra["abs_diff_mV"] = float(diff)
    rows.append(row)

    rng = np.random.default_rng(20240601)
    arr = rng.uniform(1.0, 200.0, n_array)
    q_arr = Q_(arr, "mM")

    def plain_array() -> Any:
        return nernst.equilibrium_potential("K+", c_in=arr, c_out=5.0)

    def quantity_array() -> Any:
        return nernst.equilibrium_potential("K+", c_in=q_arr, c_out=co)

    rows.append(
        timed_row(
            TOPIC,
            f"equilibrium_potential, {n_array:.0e} Quantity array",
            paired(quantity_array, plain_array),
            "plain array",
            None,
        )
    )
    return rows


if __name__ == "__main__":
    harness_main(collect, __doc__)
