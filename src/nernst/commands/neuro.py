"""Neuronal communication commands: ``nernst chord`` and ``nernst spike``.

Thin by design: parse, call :mod:`nernst.conductance` and :mod:`nernst.hh`, render.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from nernst.commands._shared import (
    ExplainOpt,
    JsonOpt,
    fail,
    guarded,
    parse_pairs,
    print_json,
)


def chord_command(
    cell: Annotated[
        str | None,
        typer.Argument(
            help="Preset name or cell TOML file: chord conductances of its ions at the GHK "
            "resting potential (omit with --g).",
        ),
    ] = None,
    g: Annotated[
        str | None,
        typer.Option(
            "--g",
            help="Conductances, relative or [S/cm^2], e.g. K+=0.367,Na+=0.0106,leak=0.3.",
        ),
    ] = None,
    e_rev: Annotated[
        str | None,
        typer.Option(
            "--E",
            help="Reversal potentials [mV], e.g. K+=-77,Na+=50,leak=-54.3 (default for ions "
            "of a cell: their Nernst potentials).",
        ),
    ] = None,
    as_json: JsonOpt = False,
    explain: ExplainOpt = False,
) -> None:
    """Chord-conductance (parallel-conductance) potential: sum(g E) / sum(g)."""
    import nernst

    if g is None and cell is None:
        fail(
            "give a cell (preset name or TOML file) or conductances with --g, "
            "e.g. --g K+=1,Na+=0.04"
        )
    conductances: dict[str, float]
    potentials: dict[str, float]
    note = ""
    if g is not None:
        conductances = parse_pairs(g, "--g")
        potentials = parse_pairs(e_rev, "--E") if e_rev else {}
        if cell is not None:
            c = _cell(cell)
            for ion, E in c.equilibrium_potentials().items():
                potentials.setdefault(ion, E)
        missing = [k for k in conductances if k not in potentials]
        if missing:
            fail(
                f"no reversal potential for {', '.join(missing)}: give --E {missing[0]}=VALUE "
                "(mV) or a cell with that ion"
            )
    else:
        c = _cell(str(cell))
        V = c.resting_potential()
        potentials = c.equilibrium_potentials()
        conductances = {}
        for ion, P in c.permeability.items():
            if P <= 0:
                continue
            conductances[ion] = float(
                nernst.conductance_from_permeability(
                    ion,
                    permeability=P,
                    v_m=V,
                    c_in=_side(c, "c_in", "inside")[ion],
                    c_out=_side(c, "c_out", "outside")[ion],
                    celsius=c.celsius,
                )
            )
        note = (
            f"chord conductances of {c.name or c.title} at its GHK resting potential "
            f"{V:.2f} mV (per unit of relative permeability x cm/s)"
        )
    V_chord = nernst.chord_potential(conductances, E=potentials)
    weights = nernst.chord_weights(conductances)
    if as_json:
        print_json(
            {
                "V_chord_mV": V_chord,
                "ions": {
                    k: {"g": conductances[k], "E_mV": potentials[k], "weight": weights[k]}
                    for k in conductances
                },
                "note": note or None,
            }
        )
        return
    typer.echo(f"V_chord = {V_chord:.2f} mV")
    if explain:
        typer.echo("V = sum(g_i E_i) / sum(g_i)   (Hille 2001, eq. 1-9)")
        if note:
            typer.echo(note)
        for k in conductances:
            typer.echo(
                f"  {k:<8} g = {conductances[k]:.4g}  E = {potentials[k]:8.2f} mV  "
                f"weight = {weights[k]:.4f}  contribution = {weights[k] * potentials[k]:8.2f} mV"
            )


def _cell(ref: str) -> Any:
    import nernst

    if Path(ref).suffix.lower() == ".toml" or Path(ref).is_file():
        return nernst.Cell.from_toml(ref)
    return nernst.Cell.preset(ref)


def _side(cell: Any, new: str, old: str) -> Any:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        value = getattr(cell, new, None)
        return value if value is not None else getattr(cell, old)


def spike_command(
    cell: Annotated[
        str | None,
        typer.Argument(
            help="Preset name or cell TOML file whose Na+ and K+ set E_Na and E_K (default: "
            "NEURON's hh, E_Na 50 and E_K -77 mV at 6.3 degC).",
        ),
    ] = None,
    stim: Annotated[
        list[str] | None,
        typer.Option(
            "--stim",
            "-s",
            help="Current-clamp stimulus AMP@START:DURATION, e.g. 10uA/cm2@5ms:1ms; a train "
            "10uA/cm2@5ms:1ms*5/20ms; a ramp ramp:20uA/cm2@5ms:100ms. Repeatable.",
        ),
    ] = None,
    until: Annotated[str, typer.Option("--until", help="Simulated time, e.g. 30ms.")] = "30ms",
    celsius: Annotated[
        float | None,
        typer.Option("--celsius", "-t", help="Temperature [degC] (default: the cell's, or 6.3)."),
    ] = None,
    ghk: Annotated[
        bool, typer.Option("--ghk", help="GHK form of the Na+ and K+ currents (needs a cell).")
    ] = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Save a figure: .png, .svg or .pdf.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the traces as CSV.")
    ] = None,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Hodgkin-Huxley action potential: spike peak below E_Na, AHP above E_K."""
    import nernst

    for path, option, suffixes in (
        (plot, "--plot", (".png", ".svg", ".pdf")),
        (output, "-o", (".csv",)),
    ):
        if path is not None:
            if path.suffix.lower() not in suffixes:
                fail(f"{option} {path}: use a file ending in {' or '.join(suffixes)}")
            if not path.parent.exists():
                fail(f"{option} {path}: the folder {path.parent} does not exist")
    overrides: dict[str, Any] = {}
    if celsius is not None:
        overrides["celsius"] = celsius
    if ghk:
        if cell is None:
            fail("--ghk needs a cell (its concentrations give the GHK currents), e.g. squid-axon")
        overrides["current_form"] = "ghk"
    if cell is None:
        membrane = nernst.HHMembrane(**overrides)
    else:
        membrane = nernst.HHMembrane.from_cell(_cell(cell), **overrides)
    stimuli = stim or ["10uA/cm2@5ms:1ms"]
    ap = nernst.simulate_hh(membrane, stimulus=stimuli, until=until)
    written: dict[str, str] = {}
    if output is not None:
        ap.to_dataframe().to_csv(output)
        written["output"] = str(output)
    if plot is not None:
        from nernst.plotting import plot_action_potential

        fig = plot_action_potential(ap)
        fig.savefig(plot, dpi=150)
        written["plot"] = str(plot)
    if as_json:
        print_json({**ap.summary(), "solver": ap.solver, "written": written})
        return
    if ap.n_spikes:
        typer.echo(
            f"{ap.n_spikes} spike(s): peak {ap.peak:.1f} mV (E_Na {membrane.ena:.1f}), "
            f"AHP {ap.ahp:.1f} mV (E_K {membrane.ek:.1f}), rest {ap.v_rest:.1f} mV"
        )
    else:
        typer.echo(
            f"no spike: rest {ap.v_rest:.1f} mV (E_Na {membrane.ena:.1f}, E_K {membrane.ek:.1f}); "
            "try a larger --stim"
        )
    if explain:
        typer.echo(ap.explain())


def register(app: typer.Typer) -> None:
    app.command("chord")(guarded(chord_command))
    app.command("spike")(guarded(spike_command))
