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
    "ION=mM or SALT=mM pairs (K+=145,gluconate-=145 or K-gluconate=145,NaCl=10), a recipe "
    "with buffers solved by `nernst solution` (K-gluconate=135,HEPES=10,ph=7.3,titrant=KOH), "
    "a preset name (`nernst solutions`) or a .toml file (ions/salts, or a [solution] recipe)."
)


def _solution(text: str, option: str, celsius: float = 25.0) -> Any:
    """A preset name (str), the ion mapping of ION/SALT=mM pairs or of a TOML file, or a
    nernst.Solution for a recipe with buffers/chelators (or ph=/titrant=) or a [solution]
    TOML file."""
    from nernst.files import InputFileError, read_solution, read_text
    from nernst.junction import solution_from_salts

    text = text.strip()
    if "=" in text:
        if _is_recipe(text):
            from nernst.commands.solution import build_solution

            return build_solution(text, option, celsius=celsius)
        return solution_from_salts(parse_pairs(text, option))
    path = Path(text)
    if text.lower().endswith(".toml") or path.is_file():
        try:
            if path.is_file() and "[solution" in read_text(path, what="solution file"):
                from nernst.solution import Solution

                return Solution.from_toml(path)
            return solution_from_salts(read_solution(path))
        except InputFileError as err:
            fail(f"{option}: {err}")
    return text


def _is_recipe(text: str) -> bool:
    """True if the pairs name a buffer/chelator form or a ph=/titrant= setting."""
    from nernst.commands.solution import SETTINGS
    from nernst.solution import needs_speciation

    for item in text.split(","):
        name = item.partition("=")[0].strip()
        if name.lower() in SETTINGS or needs_speciation(name):
            return True
    return False


def _jsonable(text: str | None, value: Any) -> Any:
    if isinstance(value, str) or value is None:
        return text
    if isinstance(value, dict):
        return value
    return value.ions  # a nernst.Solution: its charged species [mM]


def ljp_command(
    pipette: Annotated[
        str | None, typer.Option("--pipette", "-p", help="Pipette solution: " + _SOLUTION_HELP)
    ] = None,
    bath: Annotated[
        str | None, typer.Option("--bath", "-b", help="Bath solution: " + _SOLUTION_HELP)
    ] = None,
    method: Annotated[
        str, typer.Option("--method", "-m", help="nernst-planck (default) or henderson.")
    ] = "nernst-planck",
    celsius: CelsiusOpt = 25.0,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    mobility_model: Annotated[
        str,
        typer.Option(
            "--mobility-model",
            help="25C (limiting mobilities at 25 degC, as JPCalc/LJPcalc) or temperature "
            "(each ion's D at --celsius: Boudreau 1997 / Stokes-Einstein).",
        ),
    ] = "25C",
    unknown_mobility: Annotated[
        str,
        typer.Option(
            "--unknown-mobility",
            help="For recipes: 'error' (default) or 'drop' species without a tabulated "
            "mobility (ATP, phosphocreatine, chelator complexes) with their counter-ion.",
        ),
    ] = "error",
    ion_set: Annotated[
        Path | None,
        typer.Option("--ion-set", help="An LJPcalc ion-set text file (pipette = C0, bath = CL)."),
    ] = None,
    export_ion_set: Annotated[
        bool, typer.Option("--export-ion-set", help="Print the junction as an LJPcalc ion set.")
    ] = False,
    activity: Annotated[
        str | None,
        typer.Option(
            "--activity-model",
            help="Add the activity term to the Nernst-Planck flux (davies or debye-huckel), "
            "as JLJP does; default: ideal.",
        ),
    ] = None,
    batch: Annotated[
        Path | None,
        typer.Option(
            "--batch", help="CSV of pipette,bath[,celsius] rows: writes one LJP per row as CSV."
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the --batch CSV to this file.")
    ] = None,
) -> None:
    """Liquid junction potential, bath relative to pipette: correct with V_m = V_measured - LJP."""
    import warnings

    if batch is not None:
        ljp_batch(batch, method, celsius, mobility_model, unknown_mobility, output)
        return

    from nernst.junction import (
        JunctionConvergenceError,
        junction_report,
        ljpcalc_ion_set,
        read_ljpcalc_ion_set,
    )

    custom = None
    if ion_set is not None:
        try:
            text = ion_set.read_text(encoding="utf-8")
        except OSError as err:
            fail(f"--ion-set: cannot read {str(ion_set)!r}: {err}")
        parsed = read_ljpcalc_ion_set(text)
        pip, bat, custom = parsed.pipette, parsed.bath, parsed.custom_ions
    else:
        if pipette is None or bath is None:
            fail("give --pipette and --bath (or --ion-set FILE, or --batch pairs.csv)")
        pip = _solution(pipette, "--pipette", celsius)
        bat = _solution(bath, "--bath", celsius)
    options: dict[str, Any] = {
        "custom_ions": custom,
        "unknown_mobility": unknown_mobility,
    }
    if export_ion_set:
        typer.echo(ljpcalc_ion_set(pip, bat, **options).to_text(), nl=False)
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            report = junction_report(
                pip,
                bat,
                method=method,
                celsius=celsius,
                mobility_model=mobility_model,
                activity_model=activity,
                **options,
            )
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
        data["pipette"] = _jsonable(pipette, pip)
        data["bath"] = _jsonable(bath, bat)
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


def ljp_batch(
    pairs: Path,
    method: str,
    celsius: float,
    mobility_model: str,
    unknown_mobility: str,
    output: Path | None,
) -> None:
    """Batch mode: a CSV of pipette,bath[,celsius] rows -> CSV with ljp_mV for each row."""
    import csv
    import io
    import warnings

    from nernst.junction import liquid_junction_potential

    try:
        text = pairs.read_text(encoding="utf-8")
    except OSError as err:
        fail(f"--batch: cannot read {str(pairs)!r}: {err}")
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or not {"pipette", "bath"} <= set(rows[0]):
        fail("--batch: the CSV needs a header with columns pipette,bath (and optionally celsius)")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["pipette", "bath", "celsius", "method", "mobility_model", "ljp_mV"])
    for number, row in enumerate(rows, start=2):
        t = float(row.get("celsius") or celsius)
        where = f"--batch line {number}"
        try:
            pip = _solution(row["pipette"], f"{where} pipette", t)
            bat = _solution(row["bath"], f"{where} bath", t)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                ljp = liquid_junction_potential(
                    pip,
                    bat,
                    method=method,
                    celsius=t,
                    mobility_model=mobility_model,
                    unknown_mobility=unknown_mobility,
                )
            for w in caught:
                typer.echo(f"warning: {where}: {w.message}", err=True)
        except ValueError as err:
            fail(f"{where}: {err}")
        writer.writerow(
            [row["pipette"], row["bath"], f"{t:g}", method, mobility_model, f"{ljp:.6f}"]
        )
    if output is None:
        typer.echo(out.getvalue(), nl=False)
    else:
        output.write_text(out.getvalue(), encoding="utf-8")
        typer.echo(f"wrote {len(rows)} junction potentials to {output}")


def register(app: typer.Typer) -> None:
    """Add ``ljp`` and ``solutions`` to the ``nernst`` app."""
    app.command("ljp")(guarded(ljp_command, spelling={"method": "--method"}))
    app.command("solutions")(guarded(solutions_command))
