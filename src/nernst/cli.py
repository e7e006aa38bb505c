"""The ``nernst`` command line: one-line answers, ``--explain`` and ``--json``.

Thin by design: it parses, calls the public API and renders. Bad input prints one line,
``error: ...``, on stderr and exits with status 2 (no traceback).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from nernst.commands._shared import (
    CelsiusOpt,
    ExplainOpt,
    JsonOpt,
    guarded,
    parse_pairs,
    print_json,
    terminal_width,
)

app = typer.Typer(
    name="nernst",
    help="Membrane electrochemistry: equilibrium (Nernst) and GHK potentials, energetics, "
    "preset cells. Potentials are V_in - V_out in mV, concentrations in mM, temperature in degC.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Help texts carry units in square brackets ("[mM]"); no Rich markup, so they show as is.
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from nernst import __version__

        typer.echo(f"nernst {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Membrane electrochemistry from the command line."""


@app.command(context_settings={"ignore_unknown_options": True})
@guarded
def potential(
    ion: Annotated[str, typer.Argument(help="Ion name ('K+', 'Ca2+', 'Cl-') or valence.")],
    c_in: Annotated[float, typer.Option("--in", help="Concentration inside [mM].")],
    c_out: Annotated[float, typer.Option("--out", help="Concentration outside [mM].")],
    celsius: CelsiusOpt = 37.0,
    gamma_in: Annotated[float, typer.Option(help="Activity coefficient inside.")] = 1.0,
    gamma_out: Annotated[float, typer.Option(help="Activity coefficient outside.")] = 1.0,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Equilibrium (Nernst) potential of one ion, E = V_in - V_out at equilibrium."""
    import nernst
    from nernst.explain import explain_equilibrium_potential

    target: str | int = int(ion) if ion.lstrip("+-").isdigit() else ion
    kw = {
        "c_in": c_in,
        "c_out": c_out,
        "celsius": celsius,
        "gamma_in": gamma_in,
        "gamma_out": gamma_out,
    }
    E = nernst.equilibrium_potential(target, **kw)
    label = nernst.ions[target].symbol if isinstance(target, str) else f"z={target:+d}"
    if as_json:
        data: dict[str, Any] = {
            "ion": label,
            "z": int(nernst.valence(target)),
            **kw,
            "E_mV": E,
            "convention": "E = V_in - V_out",
            "units": {"E": "mV", "c": "mM", "T": "degC"},
        }
        if explain:
            data["explanation"] = explain_equilibrium_potential(target, **kw)
        print_json(data)
    elif explain:
        typer.echo("\n".join(explain_equilibrium_potential(target, **kw)))
    else:
        typer.echo(f"E({label}) = {E:+.1f} mV")


@app.command()
@guarded
def ghk(
    c_in: Annotated[
        str, typer.Option("--in", help="Inside concentrations, e.g. K+=140,Na+=10 [mM].")
    ],
    c_out: Annotated[str, typer.Option("--out", help="Outside concentrations [mM].")],
    perm: Annotated[
        str, typer.Option("--perm", help="Permeabilities, e.g. K+=1,Na+=0.04 (relative or cm/s).")
    ],
    celsius: CelsiusOpt = 37.0,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Goldman-Hodgkin-Katz resting (reversal) potential for several permeant ions."""
    import nernst
    from nernst.explain import explain_ghk_voltage

    inside = parse_pairs(c_in, "--in")
    outside = parse_pairs(c_out, "--out")
    permeability = parse_pairs(perm, "--perm")
    V = nernst.ghk_voltage(permeability, c_in=inside, c_out=outside, celsius=celsius)
    if as_json:
        data: dict[str, Any] = {
            "V_mV": V,
            "celsius": celsius,
            "permeability": {nernst.ions.resolve(k): v for k, v in permeability.items()},
            "c_in": {nernst.ions.resolve(k): v for k, v in inside.items()},
            "c_out": {nernst.ions.resolve(k): v for k, v in outside.items()},
            "convention": "V = V_in - V_out",
            "units": {"V": "mV", "c": "mM", "T": "degC"},
        }
        if explain:
            data["explanation"] = explain_ghk_voltage(
                permeability, c_in=inside, c_out=outside, celsius=celsius
            )
        print_json(data)
    elif explain:
        typer.echo(
            "\n".join(
                explain_ghk_voltage(permeability, c_in=inside, c_out=outside, celsius=celsius)
            )
        )
    else:
        typer.echo(f"V_rest = {V:+.1f} mV")


@app.command()
@guarded
def cell(
    preset: Annotated[
        str | None,
        typer.Argument(
            help="Preset name (see `nernst presets`) or a .toml file; default: mammalian-neuron."
        ),
    ] = None,
    activity: Annotated[
        str | None,
        typer.Option(
            "--activity",
            help="Activity model for both compartments (davies, extended-debye-huckel, "
            "truesdell-jones, debye-huckel, ideal; 'none' to switch off a file's model): the "
            "report adds activity-based E and V_rest and their shift.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Full report of a cell: per-ion E, driving force, flux, energy, verdict; resting potential."""
    import nernst

    if preset is not None and (preset.endswith(".toml") or Path(preset).is_file()):
        the_cell = nernst.Cell.from_toml(preset)
    else:
        the_cell = nernst.Cell.preset(preset)
    if activity is not None:
        the_cell = the_cell.with_activity(activity)
    report = the_cell.report()
    if as_json:
        print_json(report.to_dict())
        return
    from rich.console import Console

    # The activity columns need more room; numbers must not be truncated.
    width = 165 if report.activity is not None else 120
    Console(width=max(width, terminal_width())).print(report)


@app.command()
@guarded
def presets(as_json: JsonOpt = False) -> None:
    """List the embedded preset cells with their sources."""
    import nernst

    data = nernst.presets()
    if as_json:
        print_json(data)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Preset cells (nernst cell NAME)", title_justify="left", show_lines=True)
    for column in ("name", "title", "degC", "sources"):
        table.add_column(column)
    for key, info in data.items():
        sources = "\n".join(f"{k}: {v}" for k, v in info["sources"].items())
        name = key + (" (default)" if info["default"] else "")
        table.add_row(name, info["title"], f"{info['celsius']:g}", sources)
    Console(width=max(120, terminal_width())).print(table)


@app.command("ions")
@guarded
def ions_command(as_json: JsonOpt = False) -> None:
    """List the ion table: charge, conductivity, diffusion coefficient, size."""
    import nernst

    rows: list[dict[str, Any]] = [
        {
            "symbol": ion.symbol,
            "name": ion.name,
            "charge": ion.charge,
            "aliases": list(ion.aliases),
            "equivalent_conductivity_S_cm2_per_mol": ion.equivalent_conductivity,
            "diffusion_coefficient_1e-9_m2_per_s": ion.diffusion_coefficient,
            "ion_size_nm": ion.ion_size,
            "sources": ion.sources,
        }
        for ion in nernst.ions.values()
    ]
    if as_json:
        print_json(rows)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Ion table ({len(rows)} ions; values at 25 degC)", title_justify="left")
    for column in (
        "ion",
        "name",
        "z",
        "lambda (S cm2/mol/eq)",
        "D (1e-9 m2/s)",
        "a (nm)",
        "aliases",
    ):
        table.add_column(column)
    for r in rows:
        table.add_row(
            r["symbol"],
            r["name"],
            f"{r['charge']:+d}",
            *(
                "-" if r[k] is None else f"{r[k]:g}"
                for k in (
                    "equivalent_conductivity_S_cm2_per_mol",
                    "diffusion_coefficient_1e-9_m2_per_s",
                    "ion_size_nm",
                )
            ),
            ", ".join(r["aliases"]),
        )
    Console(width=max(120, terminal_width())).print(table)


def _register_topic_commands() -> None:
    from nernst.commands import register_all

    register_all(app)


_register_topic_commands()


def main() -> None:
    """Entry point of the ``nernst`` script."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
