"""Liquid junction potential commands: ``nernst ljp`` and ``nernst solutions``.

Thin by design: the options are parsed here (ION=mM or SALT=mM pairs, a preset name or a TOML
file), every number comes from :mod:`nernst.junction`, and the answer is rendered as one line,
the ``--explain`` steps, a Rich table or ``--json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from nernst.commands._shared import (
    CelsiusOpt,
    ExplainOpt,
    JsonOpt,
    WideOpt,
    fail,
    guarded,
    parse_pairs,
    print_json,
    print_table,
)

_CONVENTION = "LJP = V_bath - V_pipette; correct with V_m = V_measured - LJP"

_SOLUTION_HELP = (
    "ION=mM or SALT=mM pairs (K+=145,gluconate-=145 or K-gluconate=145,NaCl=10), "
    "a preset name (`nernst solutions`) or a .toml file."
)


def _solution(text: str, option: str) -> Any:
    """A preset name (str), or the ion mapping of ION/SALT=mM pairs or of a TOML file."""
    from nernst.files import InputFileError, read_solution
    from nernst.junction import solution_from_salts

    text = text.strip()
    if "=" in text:
        return solution_from_salts(parse_pairs(text, option))
    path = Path(text)
    if text.lower().endswith(".toml") or path.is_file():
        try:
            return solution_from_salts(read_solution(path))
        except InputFileError as err:
            fail(f"{option}: {err}")
    return text


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
        except (ValueError, OverflowError, ZeroDivisionError) as err:
            text = str(err)
            if text not in ("math domain error", "math range error") and not isinstance(
                err, OverflowError | ZeroDivisionError
            ):
                raise
            fail(
                f"--pipette/--bath: the junction cannot be computed for these concentrations "
                f"({text}); keep them within 1e-9 .. 1e4 mM"
            )
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


def solutions_command(wide: WideOpt = False, as_json: JsonOpt = False) -> None:
    """List the preset recording solutions (for `nernst ljp --pipette/--bath NAME`)."""
    from nernst.junction import recording_solutions

    data = recording_solutions()
    if as_json:
        print_json(data)
        return
    print_table(
        "Recording solutions (nernst ljp --pipette NAME --bath NAME); ions in mM",
        ["name", "role", "title", "ions (mM)", "source"],
        [
            [
                name,
                info["role"],
                info["title"],
                ", ".join(f"{k} {v:g}" for k, v in info["ions"].items()),
                info["source"],
            ]
            for name, info in data.items()
        ],
        wrap=(2, 3, 4),
        wide=wide,
        show_lines=True,
    )


def register(app: typer.Typer) -> None:
    """Add ``ljp`` and ``solutions`` to the ``nernst`` app."""
    app.command("ljp")(guarded(ljp_command, spelling={"method": "--method"}))
    app.command("solutions")(guarded(solutions_command))
