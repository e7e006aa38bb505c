"""Liquid junction potential commands: ``nernst ljp`` and ``nernst solutions``.

Thin by design: the options are parsed here (ION=mM or SALT=mM pairs, a preset name or a TOML
file), every number comes from :mod:`nernst.junction`, and the answer is rendered as one line,
the ``--explain`` steps, a Rich table or ``--json``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Any

import typer

from nernst.commands._shared import (
    CelsiusOpt,
    ExplainOpt,
    JsonOpt,
    fail,
    guarded,
    parse_pairs,
    print_json,
    terminal_width,
)

_CONVENTION = "LJP = V_bath - V_pipette; correct with V_m = V_measured - LJP"

_SOLUTION_HELP = (
    "ION=mM or SALT=mM pairs (K+=145,gluconate-=145 or K-gluconate=145,NaCl=10), "
    "a preset name (`nernst solutions`) or a .toml file."
)


#: Text fields a solution file may carry besides concentrations.
_METADATA = ("title", "name", "description", "role", "source", "notes")


def _solution(text: str, option: str) -> Any:
    """A preset name (str), or the ion mapping of ION/SALT=mM pairs or of a TOML file."""
    from nernst.junction import solution_from_salts

    text = text.strip()
    if "=" in text:
        return solution_from_salts(parse_pairs(text, option))
    path = Path(text)
    if text.lower().endswith(".toml") or path.is_file():
        return solution_from_salts(_read_toml(path, option))
    return text


def _read_toml(path: Path, option: str) -> dict[str, float]:
    """NAME = mM at the top level, in [ions] and in [salts]; title/source/notes text ignored."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(f"{option}: no such file {str(path)!r}")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        fail(f"{option}: cannot read {str(path)!r}: {err}")
    out: dict[str, float] = {}
    tables = {"": data, **{k: v for k, v in data.items() if k in ("ions", "salts")}}
    for where, table in tables.items():
        if not isinstance(table, dict):
            fail(f"{option}: {path}: [{where}] must be a table of NAME = mM")
        for key, value in table.items():
            if where == "" and key in ("ions", "salts"):
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                if where == "" and key in _METADATA and isinstance(value, str):
                    continue
                fail(f"{option}: {path}: {key} = {value!r} is not a concentration in mM")
            if key in out:
                fail(f"{option}: {path}: {key!r} is given twice")
            out[key] = float(value)
    if not out:
        fail(f"{option}: {path} lists no ion or salt concentrations (NAME = mM)")
    return out


def ljp_command(
    pipette: Annotated[
        str, typer.Option("--pipette", "-p", help="Pipette solution: " + _SOLUTION_HELP)
    ],
    bath: Annotated[str, typer.Option("--bath", "-b", help="Bath solution: " + _SOLUTION_HELP)],
    method: Annotated[
        str, typer.Option("--method", "-m", help="nernst-planck (default) or henderson.")
    ] = "nernst-planck",
    celsius: CelsiusOpt = 25.0,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Liquid junction potential, bath relative to pipette: correct with V_m = V_measured - LJP."""
    import warnings

    from nernst.junction import JunctionConvergenceError, junction_report

    pip = _solution(pipette, "--pipette")
    bat = _solution(bath, "--bath")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            report = junction_report(pip, bat, method=method, celsius=celsius)
        except JunctionConvergenceError as err:
            fail(str(err))
    for w in caught:
        typer.echo(f"warning: {w.message}", err=True)
    if as_json:
        data = report.to_dict()
        data["pipette"] = pipette if isinstance(pip, str) else pip
        data["bath"] = bath if isinstance(bat, str) else bat
        if explain:
            data["explanation"] = report.lines()
        print_json(data)
    elif explain:
        typer.echo("\n".join(report.lines()))
    else:
        typer.echo(
            f"LJP = {report.ljp:+.1f} mV (bath relative to pipette; "
            "correct with V_m = V_measured - LJP)"
        )


def solutions_command(as_json: JsonOpt = False) -> None:
    """List the preset recording solutions (for `nernst ljp --pipette/--bath NAME`)."""
    from nernst.junction import recording_solutions

    data = recording_solutions()
    if as_json:
        print_json(data)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title="Recording solutions (nernst ljp --pipette NAME --bath NAME); ions in mM",
        title_justify="left",
        show_lines=True,
    )
    for column in ("name", "role", "title", "ions (mM)", "source"):
        table.add_column(column)
    for name, info in data.items():
        ions = ", ".join(f"{k} {v:g}" for k, v in info["ions"].items())
        table.add_row(name, info["role"], info["title"], ions, info["source"])
    Console(width=max(120, terminal_width())).print(table)


def register(app: typer.Typer) -> None:
    """Add ``ljp`` and ``solutions`` to the ``nernst`` app."""
    app.command("ljp")(guarded(ljp_command))
    app.command("solutions")(guarded(solutions_command))
