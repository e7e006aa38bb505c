"""Command-line start-up: ``nernst cell`` against ``python -c "import numpy"`` (issue 13).

Usage::

    python benchmarks/cli_startup.py [--quick] [--json FILE]

Each figure is the wall time of a fresh interpreter running the command the way the console
script does (``from nernst.cli import main; main()``, with this tree's ``src`` first on the
path), timed **interleaved** with a fresh ``python -c "import numpy"`` (the floor of anything
that computes with NumPy): baseline, nernst, baseline, nernst, ... after one untimed warm-up
each; the ratio is the median of the per-pair ratios, the spread their min-max.

Target: ``nernst cell`` (the default preset's full report, a Rich table) within 2.5x of the
baseline. ``nernst potential K+ --in 140 --out 5``, ``nernst --help`` and ``nernst ljp`` on
two preset solutions (a 10-ion stationary Nernst-Planck junction) are information lines, and
so are, in a fresh interpreter, the import of ``nernst.cell`` and the first
``Cell.preset()`` after it (reading the cell and ion tables).

Bytecode: both sides run with compiled bytecode, as an installed package does (pip compiles
on install). The subprocesses drop ``PYTHONDONTWRITEBYTECODE`` and keep their ``.pyc`` files
under a temporary ``PYTHONPYCACHEPREFIX``, so the source tree is not touched and the warm-up
run compiles what the timed runs then load.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _harness import Row, harness_main, info_row, paired, timed_row

TOPIC = "cli start-up"
TARGET = 2.5
SRC = Path(__file__).resolve().parents[1] / "src"
BASELINE = 'python -c "import numpy"'
ENTRY = "import sys; from nernst.cli import main; sys.argv[0] = 'nernst'; main()"
FIRST_PRESET = (
    "import time; t0 = time.perf_counter(); from nernst.cell import Cell; "
    "t1 = time.perf_counter(); Cell.preset(); t2 = time.perf_counter(); print(t1 - t0, t2 - t1)"
)


def _env(cache: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), *filter(None, [env.get("PYTHONPATH")])])
    env["PYTHONPYCACHEPREFIX"] = cache
    env.setdefault("COLUMNS", "120")
    return env


def _runner(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes] | None:
    """Run once (raising if the command fails), then return a callable for the timer."""
    done = subprocess.run(args, env=env, capture_output=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {done.stderr.decode()[-400:]}")
    return done


def collect(quick: bool = False) -> list[Row]:
    repeats = 7 if quick else 11
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="nernst-bench-pyc-") as cache:
        env = _env(cache)
        base_cmd = [sys.executable, "-c", "import numpy"]

        def base() -> None:
            subprocess.run(base_cmd, env=env, capture_output=True, check=False)

        cases = [
            ("nernst cell (vs import numpy)", ["cell"], TARGET),
            ("nernst potential K+ --in 140 --out 5",
             ["potential", "K+", "--in", "140", "--out", "5"], None),
            ("nernst --help", ["--help"], None),
            ("nernst ljp -p k-gluconate-internal -b acsf",
             ["ljp", "-p", "k-gluconate-internal", "-b", "acsf"], None),
        ]  # fmt: skip
        for label, args, limit in cases:
            command = [sys.executable, "-c", ENTRY, *args]
            _runner(command, env)  # compiles the bytecode, checks the command works

            def ours(command: list[str] = command) -> None:
                subprocess.run(command, env=env, capture_output=True, check=False)

            t = paired(ours, base, repeats=repeats if limit is not None else max(5, repeats - 2))
            rows.append(timed_row(TOPIC, label, t, BASELINE, limit))
        first = _runner([sys.executable, "-c", FIRST_PRESET], env)
        assert first is not None
        imports, preset = (float(x) for x in first.stdout.decode().split()[-2:])
        rows.append(
            info_row(TOPIC, "import nernst.cell (NumPy, physics)", f"{imports * 1e3:.1f} ms")
        )
        rows.append(
            info_row(TOPIC, "first Cell.preset() after that (TOML, ions)", f"{preset * 1e3:.1f} ms")
        )
    with open("/proc/loadavg") if os.path.exists("/proc/loadavg") else open(os.devnull) as fh:
        load = fh.read().split()[:3]
    if load:
        rows.append(info_row(TOPIC, "load average (1, 5, 15 min)", " ".join(load)))
    return rows


if __name__ == "__main__":
    harness_main(collect, __doc__)
