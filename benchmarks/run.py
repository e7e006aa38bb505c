"""nernst benchmark suite: every topic's figures against baselines timed in the same run.

Usage::

    python benchmarks/run.py [--quick] [--only TOPIC[,TOPIC...]] [--json FILE]
                             [--markdown FILE] [--rst FILE] [--list]

Prints the machine facts, then, for each topic in :data:`TOPICS` order, one table (each
topic module ``benchmarks/<topic>.py`` exposes ``collect(quick) -> list[Row]``; see
``benchmarks/_harness.py`` for what a line means). At the end it writes every row as JSON
(``benchmarks/results/latest.json``), as a Markdown table (``latest.md``) and as an RST
table (``latest.rst``, included by the docs' performance page).

* ``--quick``: the topics' smaller sizes (the whole run stays under 2 minutes on a 2-core
  machine).
* ``--only``: a comma-separated subset of the topics (``neuron`` is an alias of
  ``vs_neuron``).
* A topic whose module has no ``collect`` yet is run as a script in a subprocess and its
  output printed as a *legacy* section (one info row in the tables).
* A topic that fails prints its error line and the run goes on; its row is a MISS.

The run only measures and prints; it asserts nothing and exits 0 unless it is broken itself.
The built-in ``reference`` topic holds this script's own lines: accuracy of the GHK closed
form against a 40-digit mpmath reference and a float64 ``brentq`` root per condition, and
scalar calls against the bare ``math`` expression (the floor of a scalar call).
"""

from __future__ import annotations

import argparse
import importlib
import math
import os
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _harness as H  # noqa: E402  (the sibling module, benchmarks/_harness.py)
from _harness import Row, info_row, paired_per_call, timed_row  # noqa: E402

#: Topic modules (``benchmarks/<name>.py``) in the order they run; ``reference`` is built in.
TOPICS = (
    "core",
    "vs_neuron",
    "activity",
    "units",
    "results",
    "junction",
    "dynamics",
    "sweep",
    "cli_startup",
    "cli_refusal",
    "reference",
)
ALIASES = {"neuron": "vs_neuron"}
RESULTS = HERE / "results"


# --------------------------------------------------------------------------- the reference topic

CELSIUS = 37.0
Z_GHK = (1, 1, -1, 2)  # K+, Na+, Cl-, Ca2+: the zero-current condition is a quadratic
SEED = 20240601
ACCURACY_MV = 1e-9  # DESIGN.md: agreement with an mpmath reference to 1e-9 mV


def _vt_mv() -> float:
    from nernst.constants import FARADAY, GAS_CONSTANT, ZERO_CELSIUS

    return GAS_CONSTANT * (CELSIUS + ZERO_CELSIUS) / FARADAY * 1e3  # RT/F in mV


def ghk_conditions(n: int, seed: int) -> tuple[Any, Any, Any]:
    """Log-uniform conditions, ions on the last axis (K+, Na+, Cl-, Ca2+): K+, Na+, Cl-
    0.1-500 mM in and out; Ca2+ 1e-5-1e-2 mM in and 0.1-10 mM out; relative permeabilities
    1e-3-1."""
    import numpy as np

    rng = np.random.default_rng(seed)

    def logu(lo: float, hi: float) -> Any:
        return np.exp(rng.uniform(math.log(lo), math.log(hi), n))

    ci = np.stack([logu(0.1, 500), logu(0.1, 500), logu(0.1, 500), logu(1e-5, 1e-2)], axis=-1)
    co = np.stack([logu(0.1, 500), logu(0.1, 500), logu(0.1, 500), logu(0.1, 10)], axis=-1)
    P = np.stack([logu(1e-3, 1.0) for _ in range(4)], axis=-1)
    return P, ci, co


def brentq_ghk(P: Any, ci: Any, co: Any) -> list[float]:
    """Per-condition ``scipy.optimize.brentq`` (xtol 1e-13 mV) on the total GHK current (plain
    ``math``), bracketed by the lowest and highest Nernst potential: a float64 reference."""
    from scipy.optimize import brentq

    vt = _vt_mv()

    def current(v: float, p: list, i: list, o: list) -> float:
        total = 0.0
        for z, pk, ik, ok in zip(Z_GHK, p, i, o, strict=True):
            w = z * v / vt
            if w == 0.0:
                total += z * pk * (ik - ok)
            else:
                em = math.expm1(-w)
                total += z * pk * w * (ik - ok * (em + 1.0)) / (-em)
        return total

    out = []
    for p, i, o in zip(P.tolist(), ci.tolist(), co.tolist(), strict=True):
        e = [vt / z * math.log(ok / ik) for z, ik, ok in zip(Z_GHK, i, o, strict=True)]
        out.append(brentq(current, min(e), max(e), args=(p, i, o), xtol=1e-13))
    return out


def collect_reference(quick: bool = False) -> list[Row]:
    """run.py's own lines: accuracy references and scalar calls against bare ``math``."""
    import numpy as np

    import nernst

    topic = "reference"
    rows: list[Row] = []
    n_bq, n_mp = (2_000, 20) if quick else (20_000, 200)
    P, ci, co = ghk_conditions(n_bq, SEED + 1)
    V = nernst.ghk_voltage(P, c_in=ci, c_out=co, z=list(Z_GHK), celsius=CELSIUS)
    V_bq = np.array(brentq_ghk(P, ci, co))
    rows.append(
        info_row(
            topic,
            f"|ghk_voltage K/Na/Cl/Ca - brentq| max, {n_bq:.0e} cond",
            f"{float(np.max(np.abs(V - V_bq))):.1e} mV",
            "info (float64 root, xtol 1e-13)",
        )
    )
    try:
        from core import mp_reference  # the 40-digit bisection, written once (core.py)

        ref = np.array(mp_reference(P[:n_mp], ci[:n_mp], co[:n_mp], Z_GHK))
    except ImportError:
        rows.append(info_row(topic, "|ghk_voltage - mpmath|", "skipped (pip install mpmath)"))
    else:
        err = float(np.max(np.abs(V[:n_mp] - ref)))
        err_bq = float(np.max(np.abs(V_bq[:n_mp] - ref)))
        row = info_row(
            topic,
            f"|ghk_voltage K/Na/Cl/Ca - mpmath| max, {n_mp} cond",
            f"{err:.1e} mV (brentq {err_bq:.1e})",
            f"<= {ACCURACY_MV:g} mV",
            err <= ACCURACY_MV,
        )
        rows.append(row)

    vt = _vt_mv()
    log = math.log
    eq = nernst.equilibrium_potential
    ghk = nernst.ghk_voltage
    perm = {"K+": 1.0, "Na+": 0.04, "Cl-": 0.45}
    c_in = {"K+": 140.0, "Na+": 10.0, "Cl-": 10.0}
    c_out = {"K+": 5.0, "Na+": 145.0, "Cl-": 110.0}
    pk, pna, pcl = 1.0, 0.04, 0.45
    ki, nai, cli, ko, nao, clo = 140.0, 10.0, 10.0, 5.0, 145.0, 110.0
    scalar = [
        (
            'scalar equilibrium_potential("K+", ...)',
            lambda: eq("K+", c_in=140.0, c_out=5.0, celsius=37.0),
            lambda: vt * log(ko / ki),
            "math: RT/F*log(co/ci)",
        ),
        (
            "scalar ghk_voltage K/Na/Cl mappings",
            lambda: ghk(perm, c_in=c_in, c_out=c_out),
            lambda: vt * log((pk * ko + pna * nao + pcl * cli) / (pk * ki + pna * nai + pcl * clo)),
            "math: GHK log expression",
        ),
    ]
    for name, ours, base, label in scalar:
        t = paired_per_call(ours, base, repeats=7 if quick else 11)  # a short floor: more pairs
        rows.append(timed_row(topic, name, t, label, None))
    return rows


# --------------------------------------------------------------------------- running topics


@dataclass
class Outcome:
    """What running one topic gave."""

    topic: str
    mode: str  # "collect", "legacy", "error" or "missing"
    seconds: float
    rows: list[Row] = field(default_factory=list)
    error: str = ""
    output: str = ""


def _error_line(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


def run_legacy(topic: str, quick: bool, timeout: float) -> Outcome:
    """Run ``benchmarks/<topic>.py`` (no ``collect`` yet) as a script; keep its output."""
    script = HERE / f"{topic}.py"
    args = [sys.executable, str(script)]
    if quick and '"--quick"' in script.read_text(encoding="utf-8"):
        args.append("--quick")
    t0 = time.perf_counter()
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        seconds = time.perf_counter() - t0
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        row = info_row(
            topic, "legacy script (no collect)", f"timed out after {timeout:g} s", "runs", False
        )
        return Outcome(topic, "legacy", seconds, [row], f"timed out after {timeout:g} s", out)
    seconds = time.perf_counter() - t0
    output = done.stdout + (("\n" + done.stderr) if done.stderr.strip() else "")
    ok = done.returncode == 0
    row = info_row(
        topic,
        "legacy script (no collect): see its printed output",
        f"exit {done.returncode}, {seconds:.1f} s",
        "runs" if not ok else "",
        None if ok else False,
    )
    return Outcome(topic, "legacy", seconds, [row], "" if ok else f"exit {done.returncode}", output)


def run_topic(topic: str, quick: bool, timeout: float) -> Outcome:
    """Import the topic and call its ``collect(quick)``; a legacy script runs in a subprocess.
    Any exception becomes an error row, so one topic's failure does not lose the rest."""
    t0 = time.perf_counter()
    try:
        if topic == "reference":
            collect: Callable[[bool], list[Row]] | None = collect_reference
        else:
            if not (HERE / f"{topic}.py").is_file():
                return Outcome(
                    topic,
                    "missing",
                    0.0,
                    [info_row(topic, "topic script", f"benchmarks/{topic}.py not found")],
                )
            module = importlib.import_module(topic)
            collect = getattr(module, "collect", None)
        if collect is None:
            return run_legacy(topic, quick, timeout)
        rows = list(collect(quick))
        bad = [r for r in rows if not isinstance(r, Row)]
        if bad:
            raise TypeError(f"collect() returned {type(bad[0]).__name__}, not Row")
        return Outcome(topic, "collect", time.perf_counter() - t0, rows)
    except Exception as exc:
        line = _error_line(exc)
        row = info_row(topic, "collect() failed", line[:200], "runs without error", False)
        return Outcome(topic, "error", time.perf_counter() - t0, [row], line)


# --------------------------------------------------------------------------- output


def _loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().strip()
    except OSError:
        return " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def _nernst_version() -> str:
    try:
        import nernst

        return str(nernst.__version__)
    except Exception as exc:  # the run still reports the machine
        return f"not importable ({exc})"


def _rst_escape(text: str) -> str:
    if text in ("", "-"):
        return "\\-" if text else ""
    for ch in "\\`*_|[]":
        text = text.replace(ch, "\\" + ch)
    return text


def rst_table(rows: Sequence[Row]) -> str:
    """An RST ``list-table`` of ``rows`` (for the docs' performance page)."""
    lines = [".. list-table::", "   :header-rows: 1", "", "   * - topic"]
    lines += [f"     - {h}" for h in H.HEADERS]
    for r in rows:
        lines.append(f"   * - {_rst_escape(r.topic)}")
        lines += [f"     - {_rst_escape(c)}".rstrip() for c in r.cells()]
    return "\n".join(lines) + "\n"


def facts_line(facts: dict[str, Any], quick: bool, when: str, load: str) -> str:
    return (
        f"Measured {when} ({'quick' if quick else 'full'} run): {facts['cpu']}, "
        f"{facts['cores']} logical cores, {facts['platform']}, Python {facts['python']}, "
        f"NumPy {facts['numpy']}, SciPy {facts['scipy']}, nernst {facts['nernst']}; "
        f"/proc/loadavg at the start: {load}."
    )


def select(only: str | None) -> list[str]:
    if not only:
        return list(TOPICS)
    chosen = [ALIASES.get(t.strip(), t.strip()) for t in only.split(",") if t.strip()]
    unknown = [t for t in chosen if t not in TOPICS]
    if unknown:
        raise SystemExit(
            f"--only: unknown topic {', '.join(unknown)}; the topics are {', '.join(TOPICS)}"
        )
    return [t for t in TOPICS if t in chosen]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes: under 2 minutes in all")
    ap.add_argument("--only", metavar="TOPIC[,TOPIC]", help="run only these topics")
    ap.add_argument("--json", metavar="FILE", default=str(RESULTS / "latest.json"))
    ap.add_argument("--markdown", metavar="FILE", default=str(RESULTS / "latest.md"))
    ap.add_argument("--rst", metavar="FILE", default=str(RESULTS / "latest.rst"))
    ap.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="limit (s) for a legacy topic script; default 180 with --quick, else 1800",
    )
    ap.add_argument("--list", action="store_true", help="print the topics and exit")
    ap.add_argument("--all", action="store_true", help=argparse.SUPPRESS)  # old flag: the default
    args = ap.parse_args(argv)
    if args.list:
        print("\n".join(TOPICS))
        return 0
    topics = select(args.only)
    timeout = args.timeout or (180.0 if args.quick else 1800.0)

    t_start = time.perf_counter()
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")  # noqa: UP017
    load_start = _loadavg()
    facts = H.machine() | {"nernst": _nernst_version()}
    for key, value in facts.items():
        print(f"{key:<13}: {value}")
    print(f"{'mode':<13}: {'quick' if args.quick else 'full'}; topics: {', '.join(topics)}")
    print(f"{'/proc/loadavg':<13}: {load_start}")

    outcomes: list[Outcome] = []
    for topic in topics:
        where = "built into run.py" if topic == "reference" else f"benchmarks/{topic}.py"
        print(f"\n=== {topic} ({where}) ===", flush=True)
        outcome = run_topic(topic, args.quick, timeout)
        outcomes.append(outcome)
        if outcome.mode == "legacy":
            print(outcome.output.rstrip())
            print(f"[legacy script, no collect(): {outcome.seconds:.1f} s]")
        if outcome.error:
            print(f"ERROR {topic}: {outcome.error}")
        if outcome.mode != "legacy":
            print(H.table(outcome.rows))
            print(f"[{outcome.seconds:.1f} s]", flush=True)

    rows = [r for o in outcomes for r in o.rows]
    total = time.perf_counter() - t_start
    load_end = _loadavg()
    print("\n=== summary ===")
    for o in outcomes:
        counts = {s: sum(r.status == s for r in o.rows) for s in ("PASS", "MISS", "info")}
        print(
            f"{o.topic:<12} {o.mode:<8} {o.seconds:7.1f} s  "
            f"{counts['PASS']} PASS, {counts['MISS']} MISS, {counts['info']} info"
        )
    misses = sum(r.status == "MISS" for r in rows)
    print(f"\n{misses} MISS of {len(rows)} lines; total {total:.1f} s")
    print(f"/proc/loadavg: start {load_start}; end {load_end}")

    meta = {
        "quick": args.quick,
        "date": when,
        "nernst": facts["nernst"],
        "total_seconds": round(total, 2),
        "loadavg_start": load_start,
        "loadavg_end": load_end,
        "topics": {
            o.topic: {"mode": o.mode, "seconds": round(o.seconds, 2), "error": o.error}
            | ({"output": o.output} if o.mode == "legacy" else {})
            for o in outcomes
        },
    }
    facts_text = facts_line(facts, args.quick, when, load_start)
    for path, text in (
        (args.json, H.to_json(rows, **meta) + "\n"),
        (args.markdown, facts_text + "\n\n" + H.markdown(rows) + "\n"),
        (args.rst, facts_text + "\n\n" + rst_table(rows)),
    ):
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
