"""How fast the command line refuses a sweep that is too large (hardening issue: < 1 s).

Runs ``nernst sweep --vary K+.out=1:100:1000000 --vary Na+.out=100:150:1000000`` (1e12
points) through the installed entry point, with ``nernst --version`` (interpreter and Typer
start-up, no physics) as the same-run baseline. Prints the best and the median of 7 runs of
each; nothing is asserted. Run: ``python benchmarks/cli_refusal.py``.
"""

from __future__ import annotations

import platform
import shutil
import statistics
import subprocess
import sys
import time

REPEATS = 7
SWEEP = ["sweep", "--vary", "K+.out=1:100:1000000", "--vary", "Na+.out=100:150:1000000"]


def wall(args: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    exe = shutil.which("nernst")
    command = [exe] if exe else [sys.executable, "-m", "nernst.cli"]
    start = time.perf_counter()
    done = subprocess.run([*command, *args], capture_output=True, text=True, check=False)
    return time.perf_counter() - start, done


def main() -> None:
    print(f"{platform.platform()}, Python {platform.python_version()}")
    rows = []
    for label, args in (
        ("nernst --version (baseline)", ["--version"]),
        ("1e12-point sweep", SWEEP),
    ):
        wall(args)  # warm the file cache
        times = []
        for _ in range(REPEATS):
            seconds, done = wall(args)
            times.append(seconds)
        rows.append((label, min(times), statistics.median(times), done))
    for label, best, median, _ in rows:
        print(f"{label:<30} best {best:6.3f} s  median {median:6.3f} s")
    refusal = rows[1][3]
    print(f"exit status {refusal.returncode}; {refusal.stderr.strip()[:160]}...")
    best = rows[1][1]
    print(
        f"target < 1 s: {'PASS' if best < 1.0 else 'MISS'} (best {best:.3f} s, "
        f"{best - rows[0][1]:+.3f} s over the start-up baseline)"
    )


if __name__ == "__main__":
    main()
