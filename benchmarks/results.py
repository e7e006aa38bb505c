"""Cost of the result protocol (nernst.results) against plain-dict baselines in the same run.

Usage::

    python benchmarks/results.py

For a CellReport (mammalian-neuron preset, 4 ions) and a scalar DonnanResult: ``to_dict()``
against ``dataclasses.asdict`` (what a hand-written ``to_dict`` costs at least), ``to_json()``
against ``json.dumps(asdict(...))``, and the cost of building the result itself for scale.
Prints median microseconds per call over repeated timeit runs; asserts nothing.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
import timeit
from collections.abc import Callable

import nernst


def per_call_us(func: Callable[[], object], number: int = 2000, repeat: int = 7) -> float:
    times = timeit.repeat(func, number=number, repeat=repeat)
    return statistics.median(times) / number * 1e6


def main() -> None:
    cell = nernst.Cell.preset()
    report = cell.report()
    donnan = nernst.donnan_equilibrium(c_out={"K+": 100, "Cl-": 100}, fixed_charge=50)
    rows = [
        ("Cell.report() (building the result)", lambda: cell.report(), None),
        ("CellReport.to_dict()", report.to_dict, lambda: dataclasses.asdict(report)),
        (
            "CellReport.to_json()",
            report.to_json,
            lambda: json.dumps(dataclasses.asdict(report), indent=2),
        ),
        ("DonnanResult.to_dict()", donnan.to_dict, lambda: dataclasses.asdict(donnan)),
        (
            "DonnanResult.to_json()",
            donnan.to_json,
            lambda: json.dumps(dataclasses.asdict(donnan), indent=2),
        ),
    ]
    print(f"{'operation':<40}{'us/call':>10}{'baseline':>10}{'ratio':>8}")
    for label, func, baseline in rows:
        t = per_call_us(func, number=200 if baseline is None else 2000)
        if baseline is None:
            print(f"{label:<40}{t:>10.1f}")
            continue
        b = per_call_us(baseline)
        print(f"{label:<40}{t:>10.1f}{b:>10.1f}{t / b:>8.2f}")
    print("baseline: dataclasses.asdict (and json.dumps of it) of the same object, same run")


if __name__ == "__main__":
    main()
