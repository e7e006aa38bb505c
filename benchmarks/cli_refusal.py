"""How fast the command line refuses a sweep that is too large (hardening issue: < 1 s).

Usage::

    python benchmarks/cli_refusal.py [--quick] [--json FILE]

Runs ``nernst sweep --vary K+.out=1:100:1000000 --vary Na+.out=100:150:1000000`` (1e12
points) through the installed entry point (the ``nernst`` script next to the running
interpreter, so no shell shim is timed), with ``nernst --version`` (interpreter and CLI
start-up, no physics) as the same-run baseline, the two runs alternated by the shared
harness (``_harness.paired``: median of >= 7 pairs, 5 with ``--quick``; spread min-max).
Target: the refusal's median wall time under 1 s. A second line checks that the refusal is
an error exit with a message, not a traceback. Only measures and prints; asserts nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _harness import REPEATS, Row, harness_main, info_row, paired, timed_row

TOPIC = "cli_refusal"
TARGET_S = 1.0
SWEEP = ["sweep", "--vary", "K+.out=1:100:1000000", "--vary", "Na+.out=100:150:1000000"]


def command() -> list[str]:
    """The ``nernst`` entry point of this interpreter (no pyenv/shell shim), else ``-m``."""
    beside = Path(sys.executable).parent / "nernst"
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("nernst")
    return [found] if found else [sys.executable, "-m", "nernst.cli"]


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*command(), *args], capture_output=True, text=True, check=False)


def collect(quick: bool = False) -> list[Row]:
    """The refusal line and its exit-status check."""
    last: list[subprocess.CompletedProcess[str]] = []

    def refuse() -> None:
        last[:] = [run(SWEEP)]

    t = paired(refuse, lambda: run(["--version"]), repeats=5 if quick else REPEATS)
    row = timed_row(TOPIC, "refuse a 1e12-point sweep", t, "nernst --version", None)
    row.target = f"< {TARGET_S:g} s"
    row.ok = t.ours < TARGET_S
    done = last[0]  # the last timed refusal
    message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    clean = done.returncode != 0 and message.startswith("error:") and "Traceback" not in done.stderr
    return [
        row,
        info_row(
            TOPIC,
            "refusal: exit status and message",
            f"exit {done.returncode}: {message[:60]}...",
            "error exit, no traceback",
            clean,
        ),
    ]


if __name__ == "__main__":
    harness_main(collect, __doc__)
