"""Permeability-ratio commands: ``nernst perm-ratio`` and ``nernst fit``.

Thin by design: parse the options (and, for ``fit``, the CSV file), call
:mod:`nernst.permeability` for every number and render text, ``--explain`` or ``--json``.

The CSV format of ``nernst fit`` (one row per condition, a header row first):

- ``v_rev``: the measured reversal potential V_in - V_out (mV) (``v_rev_mV`` also accepted);
- ``<ion>_in`` and ``<ion>_out`` for every ion of the model, e.g. ``K+_in,K+_out`` (mM);
  ion names as in the ion table (``K+``, ``Na+``, ``Cl-``, ``Ca2+``; aliases such as ``K``
  work);
- optionally ``celsius``: a temperature per row (degC) (overrides ``--celsius``).

Other columns are ignored; blank lines and lines starting with ``#`` are skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from nernst.commands._shared import (
    CelsiusOpt,
    ExplainOpt,
    JsonOpt,
    fail,
    finite,
    guarded,
    parse_pairs,
    print_json,
)

_V_COLUMNS = ("v_rev", "v_rev_mv", "vrev")


def perm_ratio_command(
    v_rev: Annotated[
        float,
        typer.Option("--vrev", help="Measured reversal potential V_in - V_out (mV)."),
    ],
    ion: Annotated[str, typer.Option("--ion", help="Test ion X, outside (e.g. Na+, Ca2+).")],
    ref: Annotated[str, typer.Option("--ref", help="Reference ion, inside (e.g. K+).")],
    x_out: Annotated[float, typer.Option("--x-out", help="Concentration of X outside (mM).")],
    ref_in: Annotated[
        float, typer.Option("--ref-in", help="Concentration of the reference ion inside (mM).")
    ],
    x_in: Annotated[
        float,
        typer.Option("--x-in", help="Concentration of X inside, mM (0: bi-ionic)."),
    ] = 0.0,
    ref_out: Annotated[
        float,
        typer.Option(
            "--ref-out", help="Concentration of the reference ion outside, mM (0: bi-ionic)."
        ),
    ] = 0.0,
    celsius: CelsiusOpt = 37.0,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Permeability ratio P_X/P_ref from a bi-ionic reversal potential (GHK, exact)."""
    from nernst.ions import ions
    from nernst.permeability import (
        explain_permeability_ratio_biionic,
        permeability_ratio_biionic,
    )

    kw: dict[str, Any] = {
        "ion_x": ion,
        "ion_ref": ref,
        "c_x_out": x_out,
        "c_ref_in": ref_in,
        "c_x_in": x_in,
        "c_ref_out": ref_out,
        "celsius": celsius,
    }
    ratio = permeability_ratio_biionic(v_rev=v_rev, **kw)
    finite({"ratio": ratio}, "--vrev/--x-out/--ref-in")
    lx, lr = ions[ion].symbol, ions[ref].symbol
    if as_json:
        data: dict[str, Any] = {
            "ratio": ratio,
            "ion": lx,
            "reference": lr,
            "v_rev_mV": v_rev,
            "c_x_out": x_out,
            "c_x_in": x_in,
            "c_ref_in": ref_in,
            "c_ref_out": ref_out,
            "celsius": celsius,
            "convention": "ratio = P_ion / P_reference; V = V_in - V_out",
            "units": {"v_rev": "mV", "c": "mM", "T": "degC", "ratio": "unitless"},
        }
        if explain:
            data["explanation"] = explain_permeability_ratio_biionic(v_rev=v_rev, **kw)
        print_json(data)
    elif explain:
        typer.echo("\n".join(explain_permeability_ratio_biionic(v_rev=v_rev, **kw)))
    else:
        typer.echo(f"P({lx})/P({lr}) = {ratio:.4g}")


def fit_command(
    data_file: Annotated[
        Path,
        typer.Argument(
            help="CSV file: columns v_rev (mV) and <ion>_in, <ion>_out (mM) for every ion "
            "(e.g. K+_in,K+_out,Na+_in,Na+_out,v_rev); optional celsius column.",
        ),
    ],
    ions_opt: Annotated[
        str | None,
        typer.Option(
            "--ions",
            help="Comma-separated ions of the model, e.g. K+,Na+,Cl- (default: every ion with "
            "both _in and _out columns).",
        ),
    ] = None,
    reference: Annotated[str, typer.Option("--reference", help="Reference ion (P = 1).")] = "K+",
    fixed: Annotated[
        str | None,
        typer.Option(
            "--fixed", help="Known ratios held fixed, e.g. Cl-=0.45 (relative to the reference)."
        ),
    ] = None,
    celsius: CelsiusOpt = 37.0,
    as_json: JsonOpt = False,
) -> None:
    """Fit relative permeabilities to reversal potentials (full GHK voltage equation)."""
    import warnings

    from nernst.permeability import fit_permeabilities

    names, v_rev, c_in, c_out, temps = _read_csv(data_file, ions_opt)
    fixed_map = parse_pairs(fixed, "--fixed") if fixed else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = fit_permeabilities(
            v_rev=v_rev,
            c_in=c_in,
            c_out=c_out,
            ions=names,
            reference=reference,
            fixed=fixed_map,
            celsius=temps if temps is not None else celsius,
        )
    notes = [str(w.message) for w in caught]
    for note in notes:
        typer.echo(f"warning: {note}", err=True)
    if as_json:
        data = fit.to_dict()
        data["file"] = str(data_file)
        if notes:
            data["warnings"] = notes
        print_json(data)
        return
    ref = fit.reference
    lines = [
        f"Relative permeabilities P/P({ref}), GHK fit to {fit.v_rev.size} reversal "
        f"potentials ({data_file.name}):",
        f"  {'ion':<8}{'P/P_ref':>12}{'SE':>12}",
    ]
    for name in fit.ions:
        if name == ref:
            note = "reference"
        elif name not in fit.fitted:
            note = "fixed"
        else:
            note = f"{fit.standard_errors[name]:.2g}"
        lines.append(f"  {name:<8}{fit.ratios[name]:12.4g}{note:>12}")
    lines.append(
        f"Residual SD {fit.residual_sd:.3g} mV ({fit.dof} degrees of freedom); largest "
        f"|residual| {max(abs(float(r)) for r in fit.residuals):.3g} mV"
    )
    if not fit.success:  # pragma: no cover - the optimiser converges on sane data
        lines.append(f"warning: the optimiser did not converge: {fit.message}")
    typer.echo("\n".join(lines))


def _read_csv(
    path: Path, ions_opt: str | None
) -> tuple[list[str], list[float], dict[str, list[float]], dict[str, list[float]], Any]:
    """Columns of the fit CSV as lists, with errors that name the file, row and column."""
    from nernst.files import read_csv
    from nernst.ions import ions

    rows = read_csv(path)
    if len(rows) < 2:
        fail(f"{path}: expected a header row and at least one data row")
    header = [h.strip() for h in rows[0]]
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        fail(f"{path}: column {repeated[0]!r} appears twice in the header; give each column once")
    lower = {h.lower(): k for k, h in enumerate(header)}
    found = [lower[c] for c in _V_COLUMNS if c in lower]
    if len(found) > 1:
        fail(
            f"{path}: columns {', '.join(repr(header[k]) for k in found)} both give the reversal "
            "potential; keep one"
        )
    v_col = next((lower[c] for c in _V_COLUMNS if c in lower), None)
    if v_col is None:
        fail(
            f"{path}: no 'v_rev' column (the measured reversal potential, mV); columns found: "
            f"{', '.join(header)}"
        )
    t_col = lower.get("celsius")
    sides: dict[str, dict[str, int]] = {}
    for k, h in enumerate(header):
        stem, sep, side = h.rpartition("_")
        if sep and side.lower() in ("in", "out") and stem and stem in ions:
            entry = sides.setdefault(ions[stem].symbol, {})
            if side.lower() in entry:
                fail(
                    f"{path}: columns {header[entry[side.lower()]]!r} and {h!r} are the same "
                    f"concentration ({ions[stem].symbol} {side.lower()}side); keep one"
                )
            entry[side.lower()] = k
    if ions_opt is not None:
        names = [ions.resolve(n.strip()) for n in ions_opt.split(",") if n.strip()]
        if not names:
            fail("--ions: give at least two ion names, e.g. --ions K+,Na+")
        for name in names:
            for side in ("in", "out"):
                if side not in sides.get(name, {}):
                    fail(
                        f"{path}: no column '{name}_{side}' for ion {name} "
                        f"(concentration {side}side, mM); columns found: {', '.join(header)}"
                    )
    else:
        names = [n for n, s in sides.items() if "in" in s and "out" in s]
        if len(names) < 2:
            fail(
                f"{path}: found columns for {len(names)} ion(s) with both <ion>_in and "
                f"<ion>_out; the fit needs at least two (e.g. K+_in,K+_out,Na+_in,Na+_out); "
                f"columns found: {', '.join(header)}"
            )

    def number(row: list[str], col: int, line: int) -> float:
        try:
            return float(row[col])
        except (IndexError, ValueError):
            cell = row[col] if col < len(row) else ""
            fail(f"{path}: row {line}, column {header[col]!r}: {cell!r} is not a number")

    v_rev: list[float] = []
    c_in: dict[str, list[float]] = {n: [] for n in names}
    c_out: dict[str, list[float]] = {n: [] for n in names}
    temps: list[float] = []
    for line, row in enumerate(rows[1:], start=2):
        v_rev.append(number(row, v_col, line))
        for name in names:
            c_in[name].append(number(row, sides[name]["in"], line))
            c_out[name].append(number(row, sides[name]["out"], line))
        if t_col is not None:
            temps.append(number(row, t_col, line))
    return names, v_rev, c_in, c_out, temps if t_col is not None else None


def register(app: typer.Typer) -> None:
    """Add ``nernst perm-ratio`` and ``nernst fit`` to the app."""
    app.command("perm-ratio", help=_PERM_RATIO_HELP)(
        guarded(
            perm_ratio_command,
            spelling={
                "c_x_out": "--x-out",
                "c_ref_in": "--ref-in",
                "c_x_in": "--x-in",
                "c_ref_out": "--ref-out",
                "ion_x": "--ion",
                "ion_ref": "--ref",
                "v_rev": "--vrev",
            },
        )
    )
    app.command("fit", help=_FIT_HELP)(
        guarded(fit_command, spelling={"reference": "--reference", "fixed": "--fixed"})
    )


_PERM_RATIO_HELP = (
    "Permeability ratio P_X/P_ref from a bi-ionic reversal potential (GHK, exact).\n\n"
    "Test ion X outside (--x-out), reference ion inside (--ref-in); two cations or two "
    "anions of any valence. Monovalent: P_X/P_ref = (c_ref_in/c_X_out) exp(F V_rev/RT); "
    "divalent X vs a monovalent cation (Fatt & Ginsborg 1958, Lewis 1979): "
    "P_X/P_ref = c_ref_in e^u (1 + e^u) / (4 c_X_out), u = F V_rev/RT. Example: nernst "
    "perm-ratio --vrev -20 --ion Na+ --ref K+ --x-out 145 --ref-in 140"
)

_FIT_HELP = (
    "Fit relative permeabilities to reversal potentials (full GHK voltage equation).\n\n"
    "Least squares on ln(P/P_ref) (scipy.optimize.least_squares) with standard errors "
    "s^2 (J^T J)^-1 from the Jacobian. CSV format: a header row, then one row per "
    "condition; column v_rev (measured reversal potential V_in - V_out, mV), columns "
    "<ion>_in and <ion>_out (mM) for every ion of the model, e.g. "
    "K+_in,K+_out,Na+_in,Na+_out,Cl-_in,Cl-_out,v_rev; optional column celsius (degC, per "
    "row). Other columns are ignored; lines starting with # are comments."
)
