"""Bioenergetics commands: ``nernst pmf``, ``nernst pump``, ``nernst transport``.

Thin by design: each command parses its options, calls :mod:`nernst.energetics` for every
number and renders text, a Rich table or ``--json``.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from nernst.commands._shared import (
    CelsiusOpt,
    ExplainOpt,
    JsonOpt,
    WideOpt,
    fail,
    finite,
    guarded,
    load_cell,
    parse_pairs,
    print_json,
    print_table,
)

_PMF_CONVENTION = (
    "pmf = delta_psi - (ln10 RT/F) delta_pH; delta_psi = psi_in - psi_out, "
    "delta_pH = pH_in - pH_out; in = N side (mitochondrial matrix, bacterial cytoplasm, "
    "chloroplast stroma, plant cytosol), out = P side"
)


def pmf_command(
    delta_psi: Annotated[
        float,
        typer.Option(
            "--delta-psi",
            help="psi_in - psi_out, N side (matrix, cytoplasm, stroma, cytosol) relative to the "
            "P side; V_m for a plasma membrane (mV).",
        ),
    ],
    delta_ph: Annotated[
        float, typer.Option("--delta-ph", help="pH_in - pH_out, N side minus P side.")
    ],
    dg_atp: Annotated[
        float | None,
        typer.Option(
            "--dg-atp",
            help="Free energy of ATP hydrolysis (J/mol), e.g. -55000: adds the minimum H+ per ATP.",
        ),
    ] = None,
    celsius: CelsiusOpt = 37.0,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Proton-motive force (mV) and the free energy per H+ moved in (N side)."""
    from nernst.bioenergetics import atp_synthase_protons, proton_free_energy, proton_motive_force

    pmf = float(proton_motive_force(v_m=delta_psi, delta_ph=delta_ph, celsius=celsius))
    ph_term = float(proton_motive_force(v_m=0.0, delta_ph=delta_ph, celsius=celsius))
    dG = float(proton_free_energy(v_m=delta_psi, delta_ph=delta_ph, celsius=celsius))
    finite({"pmf": pmf, "free energy": dG}, "--delta-psi/--delta-ph")
    n_min = None if dg_atp is None else float(atp_synthase_protons(dg_atp=dg_atp, pmf=pmf))
    lines = _explain_pmf(delta_psi, delta_ph, celsius, dg_atp) if explain else None
    if as_json:
        data: dict[str, Any] = {
            "pmf_mV": pmf,
            "delta_psi_mV": delta_psi,
            "delta_pH": delta_ph,
            "pH_term_mV": ph_term,
            "celsius": celsius,
            "proton_free_energy_J_per_mol": dG,
            "convention": _PMF_CONVENTION,
            "units": {"pmf": "mV", "delta_psi": "mV", "energy": "J/mol", "T": "degC"},
        }
        if dg_atp is not None:
            data["dg_atp_J_per_mol"] = dg_atp
            data["min_protons_per_atp"] = n_min
        if lines is not None:
            data["explanation"] = lines
        print_json(data)
    elif lines is not None:
        typer.echo("\n".join(lines))
    else:
        typer.echo(
            f"pmf = {pmf:+.1f} mV (delta_psi {delta_psi:+.1f} mV, pH term {ph_term:+.1f} mV; "
            "in = N side)"
        )
        typer.echo(f"free energy per H+ moved in: {dG / 1e3:+.2f} kJ/mol")
        if n_min is not None and dg_atp is not None:
            typer.echo(f"minimum H+ per ATP at dG_ATP = {dg_atp / 1e3:+.1f} kJ/mol: {n_min:.2f}")


def _explain_pmf(
    delta_psi: float, delta_ph: float, celsius: float, dg_atp: float | None
) -> list[str]:
    """The pmf equation with the numbers substituted (:mod:`nernst.explain`)."""
    from nernst.explain import explain_proton_motive_force

    return explain_proton_motive_force(
        v_m=delta_psi, delta_ph=delta_ph, celsius=celsius, dg_atp=dg_atp
    )


def pump_command(
    v_m: Annotated[float, typer.Option("--vm", help="Membrane potential V_in - V_out (mV).")],
    na_in: Annotated[float, typer.Option("--na-in", help="Na+ inside (mM).")] = 10.0,
    na_out: Annotated[float, typer.Option("--na-out", help="Na+ outside (mM).")] = 145.0,
    k_in: Annotated[float, typer.Option("--k-in", help="K+ inside (mM).")] = 140.0,
    k_out: Annotated[float, typer.Option("--k-out", help="K+ outside (mM).")] = 5.0,
    dg_atp: Annotated[
        float,
        typer.Option("--dg-atp", help="Free energy of ATP hydrolysis in the cell (J/mol)."),
    ] = -55000.0,
    celsius: CelsiusOpt = 37.0,
    as_json: JsonOpt = False,
) -> None:
    """Na+/K+-ATPase energetics: cost of 3 Na+ out + 2 K+ in vs ATP, margin, reversal potential.

    Default concentrations are those of the mammalian-neuron preset (Na+ 10/145, K+ 140/5 mM).
    """
    import nernst
    from nernst.pump import (
        K_PER_CYCLE,
        NA_PER_CYCLE,
        sodium_pump_free_energy,
        sodium_pump_is_possible,
        sodium_pump_margin,
        sodium_pump_reversal_potential,
    )

    conc = {"na_in": na_in, "na_out": na_out, "k_in": k_in, "k_out": k_out}
    cost = sodium_pump_free_energy(v_m=v_m, celsius=celsius, **conc)
    margin = sodium_pump_margin(v_m=v_m, dg_atp=dg_atp, celsius=celsius, **conc)
    possible = sodium_pump_is_possible(v_m=v_m, dg_atp=dg_atp, celsius=celsius, **conc)
    v_rev = sodium_pump_reversal_potential(dg_atp=dg_atp, celsius=celsius, **conc)
    na_each = nernst.transport_free_energy(
        "Na+", c_from=na_in, c_to=na_out, v_from=v_m, v_to=0.0, celsius=celsius
    )
    k_each = nernst.transport_free_energy(
        "K+", c_from=k_out, c_to=k_in, v_from=0.0, v_to=v_m, celsius=celsius
    )
    finite(
        {"cost": cost, "margin": margin, "reversal potential": v_rev},
        "--vm/--na-in/--na-out/--k-in/--k-out/--dg-atp",
    )
    if as_json:
        print_json(
            {
                "v_m_mV": v_m,
                "celsius": celsius,
                **{f"{k}_mM": v for k, v in conc.items()},
                "dg_atp_J_per_mol": dg_atp,
                "stoichiometry": {"Na+ out": 3, "K+ in": 2, "ATP": 1, "net charge out": 1},
                "dG_per_Na_out_J_per_mol": na_each,
                "dG_per_K_in_J_per_mol": k_each,
                "cost_per_cycle_J_per_mol": cost,
                "margin_J_per_mol": margin,
                "possible": possible,
                "reversal_potential_mV": v_rev,
                "convention": "V = V_in - V_out; cost > 0 is uphill; margin = -(dG_ATP + cost); "
                "the pump runs forward for V_m above its reversal potential",
                "units": {"energy": "J/mol", "potential": "mV", "c": "mM", "T": "degC"},
            }
        )
        return
    verdict = "can run forward" if possible else "CANNOT run forward (it would run backwards)"
    typer.echo(
        f"Na+/K+-ATPase at V_m = {v_m:+.1f} mV, {celsius:g} degC "
        f"({NA_PER_CYCLE} Na+ out, {K_PER_CYCLE} K+ in per ATP; one net charge out)"
    )
    na, k = NA_PER_CYCLE, K_PER_CYCLE
    typer.echo(f"  {na} Na+ out: {na} x {na_each / 1e3:+.2f} = {na * na_each / 1e3:+.2f} kJ/mol")
    typer.echo(f"  {k} K+ in:   {k} x {k_each / 1e3:+.2f} = {k * k_each / 1e3:+.2f} kJ/mol")
    typer.echo(
        f"  cost per cycle {cost / 1e3:+.2f} kJ/mol; ATP hydrolysis provides "
        f"{-dg_atp / 1e3:.2f} kJ/mol"
    )
    typer.echo(f"  margin {margin / 1e3:+.2f} kJ/mol: the pump {verdict}")
    typer.echo(f"pump reversal potential = {v_rev:+.1f} mV (forward pumping needs V_m above it)")


def transport_command(
    source: Annotated[
        str | None,
        typer.Argument(
            help="Preset name (e.g. plant-root-cell; see `nernst presets`) or a .toml cell "
            "file. Omit to give --vm, --in and --out."
        ),
    ] = None,
    v_m: Annotated[
        float | None,
        typer.Option(
            "--vm", help="Measured membrane potential V_in - V_out (mV); overrides the cell's."
        ),
    ] = None,
    c_in: Annotated[
        str | None,
        typer.Option("--in", help="Measured inside concentrations, e.g. K+=75,Na+=8 (mM)."),
    ] = None,
    c_out: Annotated[
        str | None, typer.Option("--out", help="Outside concentrations, e.g. K+=1,Na+=1 (mM).")
    ] = None,
    celsius: Annotated[
        float | None,
        typer.Option("--celsius", "-t", help="Temperature (degC); default the cell's, else 37."),
    ] = None,
    tolerance: Annotated[
        float, typer.Option("--tolerance", help="|V_m - E| still counted as passive (mV).")
    ] = 1.0,
    wide: WideOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Measured vs Nernst-predicted internal concentrations: passive, active uptake or extrusion."""
    from nernst.energetics import transport_analysis

    title: str
    if source is not None:
        if c_in is not None or c_out is not None:
            fail("give either a preset/.toml file or --in/--out, not both")
        cell = load_cell(source)
        inside, outside, title = dict(cell.c_in), dict(cell.c_out), cell.title
        temperature = cell.celsius if celsius is None else celsius
        if v_m is not None:
            voltage, v_source = v_m, "given"
        elif cell.v_m is not None:
            voltage, v_source = cell.v_m, "measured"
        else:
            voltage, v_source = cell.resting_potential(), "GHK prediction, no measured V_m"
    else:
        missing = [
            name
            for name, value in (("--vm", v_m), ("--in", c_in), ("--out", c_out))
            if value is None
        ]
        if missing:
            fail(
                f"give a preset or .toml file (e.g. `nernst transport plant-root-cell`), or all "
                f"of --vm, --in and --out (missing {', '.join(missing)})"
            )
        assert v_m is not None and c_in is not None and c_out is not None
        inside, outside = parse_pairs(c_in, "--in"), parse_pairs(c_out, "--out")
        temperature = 37.0 if celsius is None else celsius
        voltage, v_source, title = v_m, "given", "Transport analysis"
    analysis = transport_analysis(
        v_m=voltage, c_in=inside, c_out=outside, celsius=temperature, tolerance=tolerance
    )
    if as_json:
        print_json({"title": title, "v_m_source": v_source, **analysis.to_dict()})
        return
    print_table(
        f"{title}: V_m = {analysis.v_m:+.1f} mV ({v_source}), {analysis.celsius:g} degC",
        [label for _, label, _ in analysis.COLUMNS],
        [analysis.cells(row) for row in analysis],
        notes=analysis.summary_lines(),
        right=tuple(i for i, (_, _, fmt) in enumerate(analysis.COLUMNS) if fmt),
        wide=wide,
    )


def register(app: typer.Typer) -> None:
    """Add ``pmf``, ``pump`` and ``transport`` to the ``nernst`` app."""
    app.command("pmf")(
        guarded(
            pmf_command,
            spelling={
                "v_m": "--delta-psi",
                "delta_psi": "--delta-psi",
                "delta_ph": "--delta-ph",
                "dg_atp": "--dg-atp",
                "delta_g_atp": "--dg-atp",
            },
        )
    )
    app.command("pump")(
        guarded(
            pump_command,
            spelling={
                "v_m": "--vm",
                "na_in": "--na-in",
                "na_out": "--na-out",
                "k_in": "--k-in",
                "k_out": "--k-out",
                "dg_atp": "--dg-atp",
            },
        )
    )
    app.command("transport")(
        guarded(transport_command, spelling={"v_m": "--vm", "tolerance": "--tolerance"})
    )
