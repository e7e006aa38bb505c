"""The README as a newcomer meets it: its shell and Python blocks, run as written.

Every command line of the README's code blocks is either run here (in a temporary folder,
through the installed ``nernst`` entry point) or on the short, explicit list of commands that
install packages, run the suite itself, build the docs or start a server (those are covered
by CI itself, ``tests/test_docs.py`` and the app's browser tests). Where the README shows a
command's output (the line after a ``$`` command) the output must contain it; where a
comment states a number (``# -4.4 mV``), the output must show it.

Placeholders are filled from shipped files: ``my_cell.toml`` is the README's own TOML block,
``examples/data.csv`` ships with the repository; in the Python blocks ``P, ci, co`` are the
seed chapter's neuron as arrays and ``...`` and ``{...}`` are that neuron's concentrations.
"""

from __future__ import annotations

import ast
import math
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nernst

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")

#: Commands the README gives that this test does not run, and where they are checked instead.
NOT_RUN = {
    'pip install ".[cli]"': "installs (the rest of the line, `nernst cell`, is run)",
    'pip install -e ".[test]"': "installs; CI runs it (.ci/run)",
    "python -m pytest": "the suite itself; CI runs it (.ci/run)",
    "python3 -m venv .venv": "creates a virtual environment",
    ". .venv/bin/activate": "activates it",
    'pip install -e ".[docs]"': "installs",
    "python -m sphinx -W -b html docs docs/_build/html": "tests/test_docs.py builds the docs",
    "python -m webbrowser docs/_build/html/index.html": "opens a browser",
    'pip install ".[app]"': "installs",
    "nernst app": "starts a server; tests/app drive it in Chromium",
    "nernst app --workers 4 --host 0.0.0.0": "starts a gunicorn server; tests/app",
    'pip install -e ".[bench]"': "installs",
    "python benchmarks/run.py --all": "benchmarks (minutes)",
    "nernst memtest model_vc_step.abf": "tests/test_recordings_files.py, on the real ABF files",
    "nernst iv 14o16001_vc_pair_step.abf --pipette k-gluconate-internal --bath hepes-saline "
    "--plot iv.png": "tests/test_recordings_files.py, on the real ABF files",
}


def blocks(language: str) -> list[str]:
    """The code blocks fenced as ```LANGUAGE (``""`` for a bare fence), in order."""
    found, current, open_as = [], [], None
    for line in README.splitlines():
        if line.startswith("```"):
            if open_as is None:
                open_as, current = line[3:].strip(), []
            else:
                if open_as == language:
                    found.append("\n".join(current) + "\n")
                open_as = None
        elif open_as is not None:
            current.append(line)
    return found


def shell_commands() -> list[tuple[str, str, list[str]]]:
    """(command, comment, the output lines the README shows after it)."""
    found: list[tuple[str, str, list[str]]] = []
    for block in blocks("bash") + blocks(""):
        lines = block.splitlines()
        for k, line in enumerate(lines):
            prompt = line.startswith("$ ")
            if not (prompt or re.match(r"(nernst|pip|python3?|\.) ", line)):
                continue
            text = line[2:] if prompt else line
            command, _, comment = text.partition("  #")
            shown = []
            if prompt:
                for following in lines[k + 1 :]:
                    if following.startswith("$ "):
                        break
                    shown.append(following)
            for part in command.split(" && "):
                found.append((part.strip(), comment.strip(), shown))
    return found


COMMANDS = shell_commands()
RUN = [c for c in COMMANDS if c[0] not in NOT_RUN]


def test_every_command_is_run_or_listed():
    assert len(RUN) >= 20
    for command, _, _ in COMMANDS:
        assert command in NOT_RUN or command.startswith("nernst "), command
    # the list holds nothing the README no longer says
    in_readme = {c for c, _, _ in COMMANDS}
    stale = [c for c in NOT_RUN if c not in in_readme and "bench" not in c]
    assert not stale, stale


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install -q -e ".[test]" && python -m pytest' in ci
    assert 'pip install -e ".[test]" && python -m pytest' in README


def test_the_extras_table_names_every_extra():
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    table = README[README.index("### Extras") :]
    for extra in extras:
        assert f"| `{extra}` |" in table, f"extra {extra!r} missing from the README's table"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("readme")
    (d / "my_cell.toml").write_text(blocks("toml")[0], encoding="utf-8")
    return d


def run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    args = shlex.split(command)
    exe = shutil.which("nernst")
    head = [exe] if exe else [sys.executable, "-m", "nernst.cli"]
    args = [a.replace("examples/", f"{ROOT}/examples/") for a in args[1:]]
    env = {**os.environ, "COLUMNS": "100"}
    return subprocess.run(
        [*head, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=600, check=False
    )


@pytest.mark.parametrize(("command", "comment", "shown"), RUN, ids=[c[0][:60] for c in RUN])
def test_readme_command(command, comment, shown, workdir):
    done = run(command, workdir)
    assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-2000:])
    assert "Traceback" not in done.stderr
    for line in shown:
        assert line.strip() in done.stdout, (command, line, done.stdout[:2000])
    number = re.match(r"([-+]?\d+\.\d+) mV", comment)
    if number:  # the stated value, to the digits stated, is among the output's mV values
        stated = float(number.group(1))
        digits = len(number.group(1).split(".")[1])
        values = [float(v) for v in re.findall(r"([-+]?\d+(?:\.\d+)?) mV", done.stdout)]
        assert any(round(v, digits) == stated for v in values), (command, stated, values)
    for written in re.findall(r"(?:-o|--plot) (\S+)", command):
        assert (workdir / written).exists(), written


def test_readme_cell_file_is_the_format_cell_reads(workdir):
    cell = nernst.Cell.from_toml(workdir / "my_cell.toml")
    assert cell.v_m == -70 and set(cell.inside) == {"K+", "Na+"}


# -- Python blocks ---------------------------------------------------------------------------
SEED_IN = {"K+": 140.0, "Na+": 10.0, "Cl-": 10.0}
SEED_OUT = {"K+": 5.0, "Na+": 145.0, "Cl-": 110.0}


def namespace() -> dict[str, object]:
    """The placeholders of the Python blocks."""
    import csv

    rows = [
        r
        for r in csv.DictReader(
            line
            for line in (ROOT / "examples" / "data.csv").read_text().splitlines()
            if not line.startswith("#")
        )
    ]
    ions = ["K+", "Na+", "Cl-"]
    root = nernst.Cell.preset("plant-root-cell")
    return {
        # the seed chapter's neuron, ions on the last axis (K+, Na+, Cl-, Ca2+)
        "P": np.array([[1.0, 0.04, 0.45, 0.0]]),
        "ci": np.array([[140.0, 10.0, 10.0, 1e-4]]),
        "co": np.array([[5.0, 145.0, 110.0, 2.0]]),
        "v_rev": np.array([float(r["v_rev"]) for r in rows]),
        "fit_c_in": {i: [float(r[f"{i}_in"]) for r in rows] for i in ions},
        "fit_c_out": {i: [float(r[f"{i}_out"]) for r in rows] for i in ions},
        "root_in": dict(root.c_in),
        "root_out": dict(root.c_out),
        "vary": {"K+.out": np.linspace(1, 100, 20)},
    }


FILL = {
    "c_in=..., c_out=...,": "c_in=fit_c_in, c_out=fit_c_out,",
    "inside={...}, outside={...}": "inside=root_in, outside=root_out",
    "c_in={...}, c_out={...}": "c_in=root_in, c_out=root_out",
    'Cell.from_toml("my_cell.toml")': 'Cell.from_toml(WORKDIR / "my_cell.toml")',
}


def python_statements() -> list[tuple[str, str]]:
    """(statement source with placeholders filled, the comment on its last line)."""
    out = []
    for block in blocks("python"):
        for old, new in FILL.items():
            block = block.replace(old, new)
        lines = block.splitlines()
        for node in ast.parse(block).body:
            source = "\n".join(lines[node.lineno - 1 : node.end_lineno])
            last = lines[node.end_lineno - 1]
            comment = last.split("#", 1)[1].strip() if "#" in last else ""
            out.append((source, comment))
    return out


def test_readme_python_blocks(workdir, tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.chdir(tmp_path)
    scope = {"WORKDIR": workdir, **namespace()}
    statements = python_statements()
    assert len(statements) >= 30
    client = None
    checked = 0
    try:
        for source, comment in statements:
            if "client=dask_client" in source:
                if client is None:
                    cluster = distributed.LocalCluster(
                        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
                    )
                    client = distributed.Client(cluster)
                scope["dask_client"] = client
                scope["cell"] = nernst.Cell.preset()
            tree = ast.parse(source)
            if isinstance(tree.body[-1], ast.Expr):
                value = eval(
                    compile(ast.Expression(tree.body[-1].value), "<README>", "eval"), scope
                )
            else:
                exec(compile(tree, "<README>", "exec"), scope)
                value = None
            number = re.match(r"([-+]?\d+\.\d+)\b", comment)
            if number and isinstance(value, float | np.floating):
                digits = len(number.group(1).split(".")[1])
                assert round(float(value), digits) == pytest.approx(float(number.group(1))), (
                    source,
                    value,
                )
                checked += 1
    finally:
        if client is not None:
            client.close()
    assert checked >= 5  # -89.06, -67.3, 16.1, 0.759, -203.1 mV ...
    assert math.isfinite(float(scope["cell"].resting_potential()))  # type: ignore[attr-defined]
