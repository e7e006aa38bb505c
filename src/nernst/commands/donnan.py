"""Donnan equilibrium command: ``nernst donnan``.

Thin by design: parses the bath and the impermeant species, calls
:func:`nernst.donnan.donnan_equilibrium` and renders text, ``--explain`` or ``--json``.
"""

from __future__ import annotations

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
)


def donnan_command(
    c_out: Annotated[
        str,
        typer.Option(
            "--out",
            help="Bath (outside) concentrations, e.g. K+=5,Na+=145,Cl-=110 (mM). The bath is "
            "large: the equilibrium does not change it.",
        ),
    ],
    fixed: Annotated[
        float,
        typer.Option(
            "--fixed",
            help="Concentration of the impermeant species X inside, mM (with --volume: at the "
            "reference volume).",
        ),
    ],
    valence: Annotated[
        float,
        typer.Option(
            "--valence",
            help="Mean valence z_X of the impermeant species (non-zero, may be fractional).",
        ),
    ] = -1.0,
    permeant: Annotated[
        str | None,
        typer.Option(
            "--permeant",
            help="Comma-separated permeant ions, e.g. K+,Cl- (default: every ion of --out; "
            "the others stay outside).",
        ),
    ] = None,
    volume: Annotated[
        bool,
        typer.Option(
            "--volume",
            help="Osmotic (volume) constraint: solve for the cell volume at which the inside "
            "is isosmotic with the bath.",
        ),
    ] = False,
    osmolytes_out: Annotated[
        float,
        typer.Option(
            "--osmolytes-out",
            help="Uncharged impermeant solute in the bath (sucrose, mannitol) (mOsm/L).",
        ),
    ] = 0.0,
    celsius: CelsiusOpt = 37.0,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Gibbs-Donnan equilibrium: Donnan potential, ratio r and inside concentrations."""
    import warnings

    from nernst.donnan import donnan_equilibrium

    bath = parse_pairs(c_out, "--out")
    ions_permeant = None
    if permeant is not None:
        ions_permeant = [p.strip() for p in permeant.split(",") if p.strip()]
        if not ions_permeant:
            fail("--permeant: give at least one ion name, e.g. --permeant K+,Cl-")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = donnan_equilibrium(
            c_out=bath,
            fixed_charge=fixed,
            fixed_valence=valence,
            permeant=ions_permeant,
            celsius=celsius,
            volume_constraint=volume,
            osmolytes_out=osmolytes_out,
        )
    import math

    numbers = {
        "V_D": result.potential,
        "r": result.ratio,
        "osmolarity inside": result.osmolarity_in,
        "osmolarity outside": result.osmolarity_out,
        **{f"{ion} inside": c for ion, c in result.c_in.items()},
    }
    bad = [f"{k} = {v}" for k, v in numbers.items() if v is not None and not math.isfinite(v)]
    if bad:
        fail(
            f"--fixed {fixed:g} --valence {valence:g}: the equilibrium is not finite "
            f"({', '.join(bad[:3])}); give an impermeant concentration of at most about 1e4 mM"
        )
    notes = [str(w.message) for w in caught]
    for note in notes:
        typer.echo(f"warning: {note}", err=True)
    if as_json:
        data: dict[str, Any] = result.to_dict()
        data["potential_mV"] = data.pop("potential")
        if notes:
            data["warnings"] = notes
        if explain:
            data["explanation"] = result.explain()
        print_json(data)
    elif explain:
        typer.echo("\n".join(result.explain()))
    else:
        typer.echo("\n".join(_summary(result)))


def _summary(result: Any) -> list[str]:
    lines = [
        f"V_D = {result.potential:+.1f} mV (Donnan potential, V_in - V_out), "
        f"r = {result.ratio:.4g}",
        f"  {'ion':<8}{'out (mM)':>12}{'in (mM)':>12}",
    ]
    for name, c_out in result.c_out.items():
        c_in = result.c_in.get(name)
        inside = f"{c_in:12.4g}" if c_in is not None else f"{'impermeant':>12}"
        lines.append(f"  {name:<8}{c_out:12.4g}{inside}")
    label = f"X ({result.fixed_valence:+g})"
    lines.append(f"  {label:<8}{'-':>12}{result.fixed_concentration:12.4g}")
    if result.volume is not None:
        lines.append(
            f"Volume {result.volume:.4g} x the reference volume (isosmotic at "
            f"{result.osmolarity_out:.4g} mOsm/L)"
        )
    else:
        diff = result.osmotic_imbalance
        where = "water would flow in" if diff > 0 else "water would flow out" if diff < 0 else ""
        lines.append(
            f"Osmolarity in {result.osmolarity_in:.4g}, out {result.osmolarity_out:.4g} "
            f"mOsm/L: difference {diff:+.4g} mOsm/L" + (f" ({where})" if where else "")
        )
    return lines


def register(app: typer.Typer) -> None:
    """Add ``nernst donnan`` to the app."""
    app.command("donnan", help=_DONNAN_HELP)(
        guarded(
            donnan_command,
            spelling={
                "fixed_charge": "--fixed",
                "fixed_charge_mM": "--fixed",
                "fixed_valence": "--valence",
                "osmolytes_out": "--osmolytes-out",
                "outside_osmolytes_mM": "--osmolytes-out",
                "permeant": "--permeant",
                "c_out": "--out",
            },
        )
    )


_DONNAN_HELP = (
    "Gibbs-Donnan equilibrium: Donnan potential V_D, ratio r and inside concentrations.\n\n"
    "Every permeant ion is at its Nernst equilibrium at the same V_D = V_in - V_out "
    "(c_in = c_out r^z, r = exp(-F V_D/RT)) and the inside, holding the impermeant species X, "
    "is electroneutral. With --volume the cell volume also adjusts until the inside is "
    "isosmotic with the bath (ideal solutions); this needs impermeant bath solute "
    "(--osmolytes-out, or bath ions left out of --permeant). Example: nernst donnan "
    "--out K+=5,Na+=145,Cl-=110 --fixed 100 --valence -1"
)
