"""Shared timing harness of the benchmark suite (one copy of every helper).

Every topic script (``benchmarks/<topic>.py``) exposes::

    def collect(quick: bool = False) -> list[Row]: ...

and, when run on its own, ``harness_main(collect, __doc__)`` prints its table. ``run.py``
calls every topic's ``collect``, prints one table per topic and writes the JSON and the
Markdown table.

Method (what every figure means):

* :func:`paired` / :func:`paired_per_call` time nernst and its baseline **alternately**
  (baseline, nernst, baseline, nernst, ... after one untimed warm-up each), so a load spike
  slows both alike. The ratio is nernst / baseline per pair; the reported ratio is the median
  of the per-pair ratios and the spread their min-max. At least :data:`REPEATS` pairs.
* :func:`peak_bytes` is the tracemalloc peak of one call (NumPy reports its allocations to
  tracemalloc), to be divided by the output's bytes.
* Lower ratios are better; a target is ``<= limit``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import time
import timeit
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

REPEATS = 7  # pairs per line (the issue asks for a median of >= 5)


@dataclass
class Timing:
    """Median times (s) of nernst and the baseline, and the per-pair ratio statistics."""

    ours: float
    base: float
    ratio: float
    lo: float
    hi: float
    n: int


@dataclass
class Row:
    """One line of a benchmark table.

    ``ratio`` is nernst / baseline (median of pairs), ``lo``/``hi`` its spread, ``limit`` the
    target (``ratio <= limit``) or None for an information line. ``value`` carries a
    measured figure that is not a ratio (an error in mV, a peak in MB, a count), with
    ``target`` the wording of its target and ``ok`` whether it is met (None: info).
    """

    topic: str
    name: str
    ours: float | None = None
    base: float | None = None
    baseline: str = ""
    ratio: float | None = None
    lo: float | None = None
    hi: float | None = None
    limit: float | None = None
    value: str = ""
    target: str = ""
    ok: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> str:
        if self.ok is None and self.limit is None:
            return "info"
        if self.ok is not None:
            ok = self.ok
        else:
            ok = self.ratio is not None and self.limit is not None and self.ratio <= self.limit
        return "PASS" if ok else "MISS"

    def cells(self) -> tuple[str, str, str, str, str, str]:
        measured = fmt(self.ours) if self.ours is not None else self.value
        base = (fmt(self.base) + " " if self.base is not None else "") + self.baseline
        ratio = (
            f"{self.ratio:.2f}x ({self.lo:.2f}-{self.hi:.2f})"
            if self.ratio is not None and self.lo is not None and self.hi is not None
            else (f"{self.ratio:.2f}x" if self.ratio is not None else "-")
        )
        target = self.target or (f"<= {self.limit:g}x" if self.limit is not None else "")
        return (self.name, measured, base.strip(), ratio, target, self.status)


def timed_row(topic: str, name: str, t: Timing, baseline: str, limit: float | None) -> Row:
    """A ratio line from a :class:`Timing`."""
    return Row(
        topic=topic,
        name=name,
        ours=t.ours,
        base=t.base,
        baseline=baseline,
        ratio=t.ratio,
        lo=t.lo,
        hi=t.hi,
        limit=limit,
        extra={"pairs": t.n},
    )


def info_row(topic: str, name: str, value: str, target: str = "", ok: bool | None = None) -> Row:
    """A line with a measured value that is not a time ratio."""
    return Row(topic=topic, name=name, value=value, target=target, ok=ok)


# --------------------------------------------------------------------------- timing


def _summary(t_o: Sequence[float], t_b: Sequence[float]) -> Timing:
    ratios = [o / b for o, b in zip(t_o, t_b, strict=True)]
    return Timing(
        ours=statistics.median(t_o),
        base=statistics.median(t_b),
        ratio=statistics.median(ratios),
        lo=min(ratios),
        hi=max(ratios),
        n=len(ratios),
    )


def paired(ours: Callable[[], Any], base: Callable[[], Any], repeats: int = REPEATS) -> Timing:
    """Alternate wall times of ``base`` and ``ours`` (one call each per pair, after a warm-up)."""
    base()
    ours()
    t_b: list[float] = []
    t_o: list[float] = []
    for _ in range(max(repeats, 5)):
        t0 = time.perf_counter()
        base()
        t1 = time.perf_counter()
        ours()
        t2 = time.perf_counter()
        t_b.append(t1 - t0)
        t_o.append(t2 - t1)
    return _summary(t_o, t_b)


def paired_per_call(
    ours: Callable[[], Any], base: Callable[[], Any], repeats: int = REPEATS, budget: float = 0.02
) -> Timing:
    """As :func:`paired` for fast calls: each sample is the per-call time of a timeit loop.

    The loop count is chosen so one sample of the slower function takes about ``budget`` s.
    """
    t_base, t_ours = timeit.Timer(base), timeit.Timer(ours)
    loops_b, el_b = t_base.autorange()
    loops_o, el_o = t_ours.autorange()
    slower = max(el_b / loops_b, el_o / loops_o)
    number = max(1, int(budget / max(slower, 1e-9)))
    t_b: list[float] = []
    t_o: list[float] = []
    for _ in range(max(repeats, 5)):
        t_b.append(t_base.timeit(number) / number)
        t_o.append(t_ours.timeit(number) / number)
    return _summary(t_o, t_b)


def peak_bytes(fn: Callable[[], Any]) -> tuple[int, Any]:
    """tracemalloc peak (bytes) during one call of ``fn``, and its result."""
    fn()  # warm caches outside the measurement
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        out = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, out


def fmt(seconds: float) -> str:
    """A time with a unit that keeps three significant figures readable."""
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} us"
    if seconds < 1.0:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


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


# --------------------------------------------------------------------------- output


HEADERS = ("benchmark", "nernst", "baseline", "ratio (spread)", "target", "result")


def machine() -> dict[str, Any]:
    """The facts a reader needs to compare runs."""
    import numpy as np
    import scipy

    cpu = platform.processor() or "unknown"
    with contextlib.suppress(OSError):
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "loadavg_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


def table(rows: Sequence[Row]) -> str:
    """A plain-text table of ``rows``."""
    cells = [r.cells() for r in rows]
    widths = [max(len(c[i]) for c in [HEADERS, *cells]) for i in range(len(HEADERS))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(HEADERS, widths, strict=True))]
    lines.append("-" * len(lines[0]))
    lines += ["  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)) for cell in cells]
    return "\n".join(lines)


def markdown(rows: Sequence[Row]) -> str:
    """A Markdown table of ``rows`` (for the docs' performance page)."""
    out = ["| topic | " + " | ".join(HEADERS) + " |", "|" + " --- |" * (len(HEADERS) + 1)]
    for r in rows:
        out.append(f"| {r.topic} | " + " | ".join(c.replace("|", "\\|") for c in r.cells()) + " |")
    return "\n".join(out)


def to_json(rows: Sequence[Row], **meta: Any) -> str:
    """Rows and run facts as JSON."""
    return json.dumps(
        {"machine": machine(), **meta, "rows": [asdict(r) | {"status": r.status} for r in rows]},
        indent=1,
    )


def harness_main(collect: Callable[[bool], list[Row]], doc: str | None) -> None:
    """Command line of a topic script: ``[--quick] [--json FILE]``; prints the table."""
    ap = argparse.ArgumentParser(description=(doc or "").splitlines()[0] if doc else None)
    ap.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run)")
    ap.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    args = ap.parse_args()
    t0 = time.perf_counter()
    rows = collect(args.quick)
    print(table(rows))
    misses = sum(r.status == "MISS" for r in rows)
    print(f"\n{misses} MISS, {time.perf_counter() - t0:.1f} s")
    if args.json:
        with open(args.json, "w") as fh:
            fh.write(to_json(rows, quick=args.quick))
