"""nernst against NEURON's scalar built-ins, scalar call against scalar call, same run.

Usage::

    python benchmarks/vs_neuron.py [--quick] [--json FILE]

(Not ``neuron.py``: a file of that name in ``benchmarks/`` would shadow the NEURON package
for every script here, since a script's own directory comes first on ``sys.path``.)

Lines (topic ``vs_neuron``):

1. scalar ``h.nernst(ci, co, z)`` (NEURON's hoc built-in, ``h.celsius = 37``) against
   nernst's scalar ``equilibrium_potential(1, c_in=ci, c_out=co, celsius=37.0)``, and the
   same call with the ion named (``"K+"``), timed as interleaved per-call pairs
   (:func:`_harness.paired_per_call`). This replaces the old comparison of nernst's
   *vectorised* call against a Python loop over ``h.nernst``, which measured the loop, not
   either implementation. The issues state no ratio target for this line (issue 10's
   ``<= 3x`` is for ``ghk_current`` against ``h.ghk``, which ``benchmarks/core.py``
   measures), so it is an information line.
2. accuracy: max ``|h.nernst - equilibrium_potential|`` over valences -2..2, temperatures
   6.3, 25 and 37 degC (``h.celsius`` set to each) and concentrations from 1e-9 to 1e4 mM.
   Target <= 1e-9 mV (both use the CODATA 2018 exact constants).

Without NEURON (``pip install neuron``) the topic prints one info line and skips.
Only measures and prints; asserts nothing.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _harness import REPEATS, Row, harness_main, info_row, paired_per_call, quiet_fds, timed_row

import nernst

TOPIC = "vs_neuron"
CELSIUS = 37.0
ACCURACY_TARGET_MV = 1e-9

# (c_in, c_out, z) in mM: physiological values, then the DESIGN range 1e-9 .. 1e4 mM.
CASES = [
    (140.0, 5.0, 1),
    (10.0, 145.0, 1),
    (10.0, 110.0, -1),
    (1e-4, 2.0, 2),
    (0.5, 1.2, 2),
    (4.0, 120.0, -2),
    (1e-9, 1e4, 1),
    (1e4, 1e-9, 1),
    (1e-9, 1e4, -2),
]
TEMPERATURES = (6.3, 25.0, 37.0)


def collect(quick: bool = False) -> list[Row]:
    """The NEURON lines (``quick``: 5 pairs of 10 ms samples instead of 7 of 20 ms)."""
    try:
        with quiet_fds():  # NEURON prints a DISPLAY warning on import
            import neuron
            from neuron import h
    except ImportError:
        return [info_row(TOPIC, "NEURON comparison", "skipped (pip install neuron)")]

    repeats, budget = (5, 0.01) if quick else (REPEATS, 0.02)
    rows: list[Row] = []
    version = neuron.__version__
    h.celsius = CELSIUS
    h_nernst = h.nernst
    equilibrium_potential = nernst.equilibrium_potential

    def theirs() -> float:
        return h_nernst(140.0, 5.0, 1)

    def ours_z() -> float:
        return equilibrium_potential(1, c_in=140.0, c_out=5.0, celsius=37.0)

    def ours_name() -> float:
        return equilibrium_potential("K+", c_in=140.0, c_out=5.0, celsius=37.0)

    baseline = f"NEURON {version} h.nernst(140, 5, 1)"
    rows.append(
        timed_row(
            TOPIC,
            "scalar equilibrium_potential(1, ...)",
            paired_per_call(ours_z, theirs, repeats, budget),
            baseline,
            None,
        )
    )
    rows.append(
        timed_row(
            TOPIC,
            'scalar equilibrium_potential("K+", ...)',
            paired_per_call(ours_name, theirs, repeats, budget),
            baseline,
            None,
        )
    )

    worst = 0.0
    for celsius in TEMPERATURES:
        h.celsius = celsius
        for ci, co, z in CASES:
            ref = h_nernst(ci, co, z)
            got = equilibrium_potential(z, c_in=ci, c_out=co, celsius=celsius)
            worst = max(worst, abs(float(got) - ref))
    h.celsius = CELSIUS
    rows.append(
        info_row(
            TOPIC,
            f"|h.nernst - equilibrium_potential| max, {len(CASES) * len(TEMPERATURES)} values",
            f"{worst:.1e} mV",
            f"<= {ACCURACY_TARGET_MV:g} mV",
            worst <= ACCURACY_TARGET_MV,
        )
    )
    return rows


if __name__ == "__main__":
    harness_main(collect, __doc__)
