"""``nernst simulate``: time course of a cell's potential and concentrations."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from nernst.commands._shared import (
    ForceOpt,
    JsonOpt,
    check_output,
    fail,
    guarded,
    load_cell,
    print_json,
    require,
    write_atomically,
)


def register(app: typer.Typer) -> None:
    app.command()(simulate)


@guarded(
    spelling={
        "radius": "--radius",
        "p_reference": "--p-ref",
        "capacitance": "--capacitance",
        "v0": "--v0",
        "until": "--until",
        "perturb": "--perturb",
        "model": "--model",
    }
)
def simulate(
    cell: Annotated[
        str | None,
        typer.Argument(
            help="Preset name (see `nernst presets`) or a .toml file; default: mammalian-neuron."
        ),
    ] = None,
    until: Annotated[
        str, typer.Option("--until", "-u", help="Simulated time: 50ms, 2s, 10min, 3h, 1d.")
    ] = "200ms",
    perturb: Annotated[
        list[str] | None,
        typer.Option(
            "--perturb",
            "-p",
            help="Step change, repeatable: pump-block, pump=x0.5, k-out=10, out:Na+=100, "
            "perm:Na+=x2; add @TIME to apply later (k-out=10@1s).",
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            "-m",
            help="approach (fixed volume, no pump) or pump-leak; default approach, or pump-leak "
            "when --perturb is given.",
        ),
    ] = None,
    radius: Annotated[float, typer.Option(help="Cell radius (sphere) [um].")] = 10.0,
    p_ref: Annotated[
        float,
        typer.Option("--p-ref", help="Absolute permeability of relative permeability 1 [cm/s]."),
    ] = 1e-6,
    capacitance: Annotated[
        float, typer.Option(help="Specific membrane capacitance [uF/cm^2].")
    ] = 1.0,
    v0: Annotated[
        float | None,
        typer.Option(help="Starting potential [mV] (approach: 0; pump-leak starts at rest)."),
    ] = None,
    celsius: Annotated[
        float | None,
        typer.Option("--celsius", "-t", help="Temperature [degC]; default the cell's."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the time course: .csv or .parquet.")
    ] = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Save a figure: .png, .svg or .pdf.")
    ] = None,
    log_time: Annotated[bool, typer.Option("--log-time", help="Logarithmic time axis.")] = False,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Simulate the membrane potential and ion concentrations of a cell over time.

    The approach model charges the membrane from --v0 (0 mV) by GHK fluxes: V settles at the
    GHK potential in milliseconds, then drifts over hours to Donnan equilibrium. The pump-leak
    model adds the Na+/K+ pump, impermeant anions and osmotic water flow, starts at its steady
    state and applies the --perturb steps.
    """
    import nernst
    from nernst.dynamics import parse_duration, parse_perturbation

    seconds = parse_duration(until)
    if seconds <= 0:
        fail(f"--until {until!r} must be longer than 0")
    steps = [parse_perturbation(p) for p in (perturb or [])]
    chosen = model or ("pump-leak" if steps else "approach")
    # Everything that could stop the writing is checked before the computation runs.
    check_output(output, "-o", force=force)
    check_output(plot, "--plot", force=force)
    for path, option, allowed in (
        (output, "-o", (".csv", ".parquet", ".pq")),
        (plot, "--plot", (".png", ".svg", ".pdf")),
    ):
        if path is not None and path.suffix.lower() not in allowed:
            fail(f"{option} {str(path)!r}: the suffix must be one of {', '.join(allowed)}")
    if output is not None and output.suffix.lower() in (".parquet", ".pq"):
        require("pyarrow", f"-o {output} (Parquet)")
    if plot is not None:
        require("matplotlib", f"--plot {plot}")
    the_cell = load_cell(cell)
    if celsius is not None:
        the_cell = nernst.Cell(
            c_in=the_cell.c_in,
            c_out=the_cell.c_out,
            permeability=the_cell.permeability,
            celsius=celsius,
            name=the_cell.name,
            title=the_cell.title,
        )
    run = _run(
        the_cell,
        model=chosen,
        until=seconds,
        perturb=steps,
        radius=radius,
        p_reference=p_ref,
        capacitance=capacitance,
        v0=v0,
    )
    written: dict[str, str] = {}
    if output is not None:
        write_atomically(output, run.save, force=force)
        written["output"] = str(output)
    if plot is not None:
        from nernst.plotting import plot_time_course

        steps_text = f": {', '.join(run.perturbations)}" if run.perturbations else ""
        title = f"{the_cell.title} ({chosen} model{steps_text})"
        fig = plot_time_course(run, log_time=log_time, title=title)
        fmt = plot.suffix.lower().lstrip(".")
        write_atomically(plot, lambda tmp: fig.savefig(tmp, dpi=150, format=fmt), force=force)
        written["plot"] = str(plot)
    if as_json:
        data = run.to_dict()
        data["cell"] = the_cell.title
        data["files"] = written
        print_json(data)
        return
    _render(run, the_cell.title, written)


def _run(cell: Any, **kwargs: Any) -> Any:
    """Run the simulation, with a Rich progress bar on an interactive stderr."""
    from nernst.dynamics import simulate

    if not sys.stderr.isatty():
        return simulate(cell, **kwargs)
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("simulating"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task("simulate", total=1.0)
        return simulate(cell, progress=lambda f: bar.update(task, completed=f), **kwargs)


def _fmt_time(seconds: float) -> str:
    for name, unit in (("h", 3600.0), ("min", 60.0), ("s", 1.0), ("ms", 1e-3)):
        if seconds >= unit:
            return f"{seconds / unit:.4g} {name}"
    return f"{seconds * 1e6:.3g} us"


def _render(run: Any, title: str, written: dict[str, str]) -> None:
    first, last = run.to_dict()["initial"], run.final()
    lines = [
        f"{title}: {run.model} model, {_fmt_time(float(run.t[-1]))}"
        + (f", perturbations: {', '.join(run.perturbations)}" if run.perturbations else ""),
        f"V: {first['V_mV']:+.3f} mV -> {last['V_mV']:+.3f} mV",
    ]
    if run.target is not None:
        reached = (
            f"reached within {run.tolerance:g} mV after {_fmt_time(run.t_target)}"
            if run.t_target is not None
            else f"not reached within {run.tolerance:g} mV"
        )
        lines.append(f"target {run.target:+.3f} mV: {reached}")
    lines.append(f"membrane time constant {run.tau_membrane:.3g} ms")
    lines.append(
        f"{'ion':<7}{'in start (mM)':>15}{'in end (mM)':>15}{'left cell':>14}{'fraction':>11}"
    )
    for ion in run.ions:
        lines.append(
            f"{ion:<7}{run.c_in[ion][0]:>15.6g}{run.c_in[ion][-1]:>15.6g}"
            f"{run.crossed_number[ion]:>14.4g}{run.fraction_crossed[ion]:>11.3g}"
        )
    if run.model == "pump-leak":
        lines.append(
            f"volume {first['volume_um3']:.5g} -> {last['volume_um3']:.5g} um^3; pump current "
            f"{run.pump_current_mA_cm2[0]:.4g} -> {last['pump_current_mA_cm2']:.4g} mA/cm^2"
        )
    for kind, path in written.items():
        lines.append(f"{kind}: {path}")
    typer.echo("\n".join(lines))
