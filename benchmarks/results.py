"""Cost of the result protocol (nernst.results) against plain-dict baselines in the same run.

Usage::

    python benchmarks/results.py [--quick] [--json FILE]

For a CellReport (mammalian-neuron preset, 4 ions) and a scalar DonnanResult (topic
``results``): ``to_dict()`` against ``dataclasses.asdict`` of the same object (what a
hand-written ``to_dict`` costs at least), ``to_json()`` against ``json.dumps(asdict(...))``,
and, for scale, ``CellReport.to_dict()`` against building the report itself
(``Cell.report()``): the share of a result's cost that the protocol adds. No target (the
issues set none): information lines. Every line is an interleaved pair timed by the shared
harness (``_harness.paired_per_call``): median of >= 7 pairs, spread min-max.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _harness import REPEATS, Row, harness_main, paired_per_call, timed_row

import nernst

TOPIC = "results"


def collect(quick: bool = False) -> list[Row]:
    """The result-protocol lines (``quick``: 5 pairs of 10 ms samples, not 7 of 20 ms)."""
    repeats, budget = (5, 0.01) if quick else (REPEATS, 0.02)
    cell = nernst.Cell.preset()
    report = cell.report()
    donnan = nernst.donnan_equilibrium(c_out={"K+": 100, "Cl-": 100}, fixed_charge=50)
    cases = [
        ("CellReport.to_dict()", report.to_dict, lambda: dataclasses.asdict(report), "asdict"),
        (
            "CellReport.to_json()",
            report.to_json,
            lambda: json.dumps(dataclasses.asdict(report), indent=2),
            "json.dumps(asdict)",
        ),
        ("DonnanResult.to_dict()", donnan.to_dict, lambda: dataclasses.asdict(donnan), "asdict"),
        (
            "DonnanResult.to_json()",
            donnan.to_json,
            lambda: json.dumps(dataclasses.asdict(donnan), indent=2),
            "json.dumps(asdict)",
        ),
        ("CellReport.to_dict() vs building it", report.to_dict, cell.report, "Cell.report()"),
    ]
    return [
        timed_row(TOPIC, name, paired_per_call(ours, base, repeats, budget), baseline, None)
        for name, ours, base, baseline in cases
    ]


if __name__ == "__main__":
    harness_main(collect, __doc__)
