"""``nernst activity``: ionic strength and activity coefficients of ions.

Parses, calls :mod:`nernst.activity` and renders; no physics here.
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

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add ``nernst activity`` to the app."""
    app.command("activity", context_settings={"ignore_unknown_options": True})(
        guarded(activity, spelling=SPELLING)
    )


SPELLING = {
    "ionic_strength": "--ionic-strength",
    "ion_size": "--ion-size",
    "model": "--model",
}


def activity(
    ion: Annotated[
        list[str] | None,
        typer.Argument(
            help="Ion name(s) ('K+', 'Ca2+') or valence(s); default: every ion of --solution.",
            show_default=False,
        ),
    ] = None,
    ionic_strength: Annotated[
        float | None,
        typer.Option("--ionic-strength", "-I", help="Ionic strength of the solution, mol/L."),
    ] = None,
    solution: Annotated[
        str | None,
        typer.Option(
            "--solution",
            "-s",
            help="Every ion of the solution, e.g. K+=140,Cl-=140 (mM); its ionic strength is "
            "computed (counter-ions and impermeant ions count too).",
        ),
    ] = None,
    model: Annotated[
        str,
        typer.Option(
            "--model",
            "-m",
            help="ideal, debye-huckel, extended-debye-huckel, davies or truesdell-jones.",
        ),
    ] = "davies",
    celsius: CelsiusOpt = 25.0,
    ion_size: Annotated[
        float | None,
        typer.Option("--ion-size", help="Ion-size parameter a overriding the tables, nm."),
    ] = None,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Activity coefficient gamma of ions at an ionic strength (activity a = gamma c)."""
    import math

    import nernst
    from nernst import activity as act

    name = act.activity_model(model)
    info = act.ACTIVITY_MODELS[name]
    if ionic_strength is not None and solution is not None:
        fail("give --ionic-strength or --solution, not both")
    conc: dict[str, float] = {}
    if solution is not None:
        named = [item.partition("=")[0].strip() for item in solution.split(",") if item.strip()]
        raw = parse_pairs(solution, "--solution")
        symbols = [nernst.ions.resolve(key) for key in named]
        twice = sorted({s for s in symbols if symbols.count(s) > 1})
        if twice:
            fail(f"--solution names {', '.join(twice)} twice; give each ion once (total mM)")
        for key, value in raw.items():
            conc[nernst.ions.resolve(key)] = value
        I = float(act.ionic_strength(conc))
    elif ionic_strength is not None:
        I = ionic_strength
    else:
        fail(
            "give the ionic strength (--ionic-strength 0.15, mol/L) or the solution "
            "(--solution Na+=150,Cl-=150, mM)"
        )
    targets: list[str | int] = [_ion_or_valence(t) for t in ion] if ion else list(conc)
    if not targets:
        fail("name an ion (e.g. K+) or give --solution")
    A, B = act.debye_huckel_constants(celsius=celsius)
    rows: list[dict[str, Any]] = []
    source = f"--ionic-strength {I:g}" if not conc else f"--solution (I = {I:.4g} M)"
    for target in targets:
        try:
            gamma = float(
                act.activity_coefficient(
                    target, ionic_strength=I, model=name, celsius=celsius, ion_size=ion_size
                )
            )
        except (OverflowError, FloatingPointError, act.ActivityOverflowError):
            gamma = math.inf
        if not (math.isfinite(gamma) and gamma > 0):
            fail(
                f"{source}: the {name} model gives no finite activity coefficient there "
                f"(gamma = {gamma:g}); ionic strengths of real solutions stay below about "
                f"{info.valid_up_to or 2:g} M for this model"
            )
        label = nernst.ions[target].symbol if isinstance(target, str) else f"z={target:+d}"
        row: dict[str, Any] = {
            "ion": label,
            "z": int(nernst.valence(target)),
            "gamma": gamma,
            "log10_gamma": math.log10(gamma),
        }
        row.update(_parameters(target, name, ion_size))
        if label in conc:
            row["c_mM"] = conc[label]
            row["activity_mM"] = gamma * conc[label]
        rows.append(row)
    limit = info.valid_up_to
    warning = None
    if limit is not None and I > limit:
        warning = (
            f"I = {I:.4g} M is above the range of the {name} model (about {limit:g} M); "
            "its gamma is only approximate there"
        )
        if name != "truesdell-jones":
            warning += " (truesdell-jones holds to about 2 M for the ions it has parameters for)"
    lines = _explain_lines(name, info, I, conc, rows, celsius, A, B) if explain else []
    if as_json:
        data: dict[str, Any] = {
            "model": name,
            "equation": info.equation,
            "celsius": celsius,
            "ionic_strength_mol_per_L": I,
            "ionic_strength_from": "solution" if conc else "given",
            "A_kg_per_mol_sqrt": A,
            "B_per_nm": B,
            "valid_up_to_mol_per_L": limit,
            "within_validity": warning is None,
            "ions": rows,
            "units": {"I": "mol/L (used as mol/kg)", "c": "mM", "a": "mM", "ion_size": "nm"},
        }
        if conc:
            data["solution_mM"] = conc
        if warning:
            data["warning"] = warning
        if explain:
            data["explanation"] = lines
        print_json(data)
        return
    if warning:
        typer.echo(f"warning: {warning}", err=True)
    if explain:
        typer.echo("\n".join(lines))
        return
    if conc:
        typer.echo(f"I = {I:.4g} mol/L ({name}, {celsius:g} degC)")
    for row in rows:
        text = f"gamma({row['ion']}) = {row['gamma']:.4f}"
        if "activity_mM" in row:
            text += f"  a = {row['activity_mM']:.4g} mM"
        elif not conc:
            text += f"  ({name}, I = {I:g} M, {celsius:g} degC)"
        typer.echo(text)


def _ion_or_valence(text: str) -> str | int:
    return int(text) if text.lstrip("+-").isdigit() else text


def _parameters(target: str | int, model: str, ion_size: float | None) -> dict[str, Any]:
    """The ion-specific parameters the model used, for the output."""
    import nernst
    from nernst.activity import truesdell_jones_parameters

    if model == "extended-debye-huckel":
        a = ion_size if ion_size is not None else nernst.ions[str(target)].ion_size
        return {"ion_size_nm": a}
    if model == "truesdell-jones":
        a_tj, b_tj = truesdell_jones_parameters()[nernst.ions[str(target)].symbol]
        return {"ion_size_nm": ion_size if ion_size is not None else a_tj, "b_kg_per_mol": b_tj}
    return {}


def _explain_lines(
    name: str,
    info: Any,
    I: float,
    conc: dict[str, float],
    rows: list[dict[str, Any]],
    celsius: float,
    A: float,
    B: float,
) -> list[str]:
    """The model's equation with the numbers substituted (every number from the API)."""
    from nernst.activity import water_density, water_dielectric_constant

    lines = [f"Activity coefficient, {name} model ({info.reference}):", f"  {info.equation}"]
    if conc:
        terms = " + ".join(
            f"{c:g} x ({z:+d})^2" for c, z in ((c, int(_z(ion))) for ion, c in conc.items())
        )
        lines.append(f"  I = 1/2 sum c z^2 = 1/2 ({terms}) mM = {I:.6g} mol/L")
    else:
        lines.append(f"  I = {I:g} mol/L (given)")
    if name != "ideal":
        eps = water_dielectric_constant(celsius=celsius)
        rho = water_density(celsius=celsius)
        lines += [
            f"  water at {celsius:g} degC: eps_r = {eps:.3f} (Malmberg & Maryott 1956), "
            f"rho = {rho:.3f} kg/m^3 (Kell 1975)",
            f"  A = e^3 sqrt(2 N_A rho) / (ln 10 x 8 pi (eps_0 eps_r k_B T)^1.5) = {A:.5f} "
            "(kg/mol)^1/2",
            f"  B = sqrt(2 N_A e^2 rho / (eps_0 eps_r k_B T)) = {B:.5f} /nm (kg/mol)^1/2",
        ]
    for row in rows:
        z2 = f"({row['z']:+d})^2"
        sub = {
            "ideal": "0",
            "debye-huckel": f"-{A:.5f} x {z2} x sqrt({I:g})",
            "davies": f"-{A:.5f} x {z2} x (sqrt({I:g}) / (1 + sqrt({I:g})) - 0.3 x {I:g})",
            "extended-debye-huckel": f"-{A:.5f} x {z2} x sqrt({I:g}) / (1 + {B:.5f} x "
            f"{row.get('ion_size_nm', 0):g} x sqrt({I:g}))",
            "truesdell-jones": f"-{A:.5f} x {z2} x sqrt({I:g}) / (1 + {B:.5f} x "
            f"{row.get('ion_size_nm', 0):g} x sqrt({I:g})) + {row.get('b_kg_per_mol', 0):g} "
            f"x {I:g}",
        }[name]
        lines.append(
            f"  {row['ion']}: log10 gamma = {sub} = {row['log10_gamma']:+.5f}, "
            f"gamma = {row['gamma']:.4f}"
            + (f", a = gamma c = {row['activity_mM']:.4g} mM" if "activity_mM" in row else "")
        )
    if info.valid_up_to is not None:
        lines.append(f"  the {name} model is valid up to about I = {info.valid_up_to:g} M")
    for row in rows:
        lines.append(f"gamma({row['ion']}) = {row['gamma']:.4f}")
    return lines


def _z(ion: str) -> int:
    import nernst

    return int(nernst.valence(ion))
