"""Recording commands: ``nernst iv`` (I-V and reversal potential) and ``nernst memtest``.

Thin by design: the file is read and analysed by :mod:`nernst.recordings`; here the options
are parsed (a time window ``2.5:3.0s``, a potential range ``-120:-80``, the junction potential
as a number or from the pipette and bath solutions) and the answer is printed as text or
``--json``, with the I-V table and a plot written on request.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Annotated, Any

import typer

from nernst.commands._shared import JsonOpt, fail, guarded, parse_pairs, print_json

_WINDOW = re.compile(r"^\s*([-+0-9.eE]+)\s*:\s*([-+0-9.eE]+)\s*(s|ms)?\s*$")


def _window(text: str | None) -> tuple[float, float] | None:
    """'2.5:3.0s' or '950:1050ms' -> (start, end) in s."""
    if text is None:
        return None
    m = _WINDOW.match(text)
    if not m:
        fail(f"--window: expected START:END in s or ms (e.g. 2.5:3.0s or 950:1050ms), got {text!r}")
    scale = 1e-3 if m.group(3) == "ms" else 1.0
    try:
        return float(m.group(1)) * scale, float(m.group(2)) * scale
    except ValueError:
        fail(f"--window: {text!r} holds a value that is not a number")


def _range(text: str | None, option: str) -> tuple[float, float] | None:
    """'-120:-80' -> (-120.0, -80.0) [mV]."""
    if text is None:
        return None
    lo, sep, hi = text.replace("mV", "").partition(":")
    try:
        if not sep:
            raise ValueError
        return float(lo), float(hi)
    except ValueError:
        fail(f"{option}: expected LOW:HIGH in mV (e.g. -120:-80), got {text!r}")


def _solution(text: str, option: str) -> Any:
    """A preset name (str) or ION/SALT=mM pairs as an ion mapping."""
    import nernst

    if "=" in text:
        return nernst.solution_from_salts(parse_pairs(text, option))
    return text.strip()


def _read(path: Path, channel: int) -> Any:
    from nernst.recordings import read_recording

    try:
        return read_recording(path, channel=channel)
    except ImportError as err:
        fail(str(err))


def _write_table(iv: Any, out: Path) -> None:
    suffix = out.suffix.lower()
    if suffix == ".json":
        out.write_text(iv.to_json() + "\n", encoding="utf-8")
    elif suffix in (".csv", ".tsv", ".txt"):
        sep = "\t" if suffix == ".tsv" else ","
        rows = iv.table()
        lines = [sep.join(rows[0])] + [sep.join(f"{v:.10g}" for v in r.values()) for r in rows]
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        fail(f"--out: {out.name!r}: give a .csv, .tsv or .json file")


def iv_command(
    file: Annotated[
        Path, typer.Argument(help="Recording: .abf, .csv/.tsv, or a format neo reads.")
    ],
    window: Annotated[
        str | None,
        typer.Option(
            "--window",
            help="Measurement window START:END in s or ms (2.5:3.0s); default: the last 20 % of "
            "the step that changes between sweeps, or the whole ramp.",
        ),
    ] = None,
    measure: Annotated[
        str, typer.Option("--measure", help="mean (steady state) or peak.")
    ] = "mean",
    epoch: Annotated[
        int | None,
        typer.Option("--epoch", help="Without --window: measure in this epoch (0, 1, ...)."),
    ] = None,
    part: Annotated[
        str,
        typer.Option(
            "--part",
            help="Without --window: 'end' (last 20 %, steady state) or 'start' (first 5 % "
            "after --skip, instantaneous I-V).",
        ),
    ] = "end",
    skip: Annotated[
        float, typer.Option("--skip", help="Transient skipped with --part start [ms].")
    ] = 2.0,
    bin_mv: Annotated[
        float | None, typer.Option("--bin", help="Ramps: average the points in bins of [mV].")
    ] = None,
    ljp: Annotated[
        float | None,
        typer.Option("--ljp", help="Liquid junction potential V_bath - V_pipette [mV]."),
    ] = None,
    pipette: Annotated[
        str | None,
        typer.Option("--pipette", help="Pipette solution (preset or ION/SALT=mM) for the LJP."),
    ] = None,
    bath: Annotated[
        str | None,
        typer.Option("--bath", help="Bath solution (preset or ION/SALT=mM) for the LJP."),
    ] = None,
    rs: Annotated[float, typer.Option("--rs", help="Series resistance [MOhm].")] = 0.0,
    rs_comp: Annotated[
        float, typer.Option("--rs-comp", help="Compensated fraction of R_s, 0 to 1.")
    ] = 0.0,
    leak: Annotated[
        str | None,
        typer.Option("--leak", help="Subtract a line fitted over LOW:HIGH [mV], e.g. -120:-90."),
    ] = None,
    method: Annotated[
        str, typer.Option("--method", help="linear, polynomial or ghk (needs --ions...).")
    ] = "linear",
    degree: Annotated[int, typer.Option("--degree", help="Polynomial degree.")] = 2,
    v_range: Annotated[
        str | None, typer.Option("--fit-range", help="Fit the points in LOW:HIGH [mV].")
    ] = None,
    no_extrapolate: Annotated[
        bool,
        typer.Option("--no-extrapolate", help="Report no V_rev when the I-V does not cross 0."),
    ] = False,
    ions: Annotated[
        str | None, typer.Option("--ions", help="GHK fit: permeant ions, e.g. K+,Na+.")
    ] = None,
    c_in: Annotated[
        str | None, typer.Option("--in", help="GHK fit: inside, K+=140,Na+=10 [mM].")
    ] = None,
    c_out: Annotated[
        str | None, typer.Option("--out-conc", help="GHK fit: outside, K+=5,Na+=145 [mM].")
    ] = None,
    celsius: Annotated[
        float, typer.Option("--celsius", "-t", help="Temperature (GHK fit, LJP) [degC].")
    ] = 22.0,
    channel: Annotated[int, typer.Option("--channel", help="Recorded channel.")] = 0,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the I-V table (.csv, .tsv or .json).")
    ] = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write a figure (.png, .svg, .pdf).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """I-V curve and reversal potential (V_rev +- SE) of a voltage-clamp recording."""
    import nernst
    from nernst.recordings import iv_curve, reversal_potential

    if ljp is not None and (pipette or bath):
        fail("--ljp: give either --ljp or --pipette with --bath, not both")
    if (pipette is None) != (bath is None):
        fail("--pipette and --bath go together (the LJP needs both solutions)")
    ljp_value = 0.0 if ljp is None else float(ljp)
    if pipette is not None and bath is not None:
        ljp_value = float(
            nernst.liquid_junction_potential(
                _solution(pipette, "--pipette"), _solution(bath, "--bath"), celsius=celsius
            )
        )
    rec = _read(file, channel)
    ghk_kw: dict[str, Any] = {}
    if method == "ghk":
        if not (ions and c_in and c_out):
            fail("--method ghk needs --ions, --in and --out-conc")
        ghk_kw = {
            "permeant": [s.strip() for s in ions.split(",") if s.strip()],
            "c_in": parse_pairs(c_in, "--in"),
            "c_out": parse_pairs(c_out, "--out-conc"),
            "celsius": celsius,
        }
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        iv = iv_curve(
            rec,
            window=_window(window),
            measure=measure,
            epoch=epoch,
            part=part,
            skip_ms=skip,
            bin_mV=bin_mv,
            ljp=ljp_value,
            r_s=rs,
            compensation=rs_comp,
            leak_range=_range(leak, "--leak"),
        )
        rv = reversal_potential(
            iv,
            method=method,
            degree=degree,
            v_range=_range(v_range, "--fit-range"),
            extrapolate=not no_extrapolate,
            **ghk_kw,
        )
    del caught  # the warnings are in rv.warnings, printed below
    if out is not None:
        _write_table(iv, out)
    if plot is not None:
        from nernst.recordings import plot_iv

        plot_iv(rec, iv, rv).savefig(plot, dpi=150)
    if as_json:
        print_json(
            {
                "recording": rec.summary(),
                "iv": iv.to_dict(),
                "reversal": rv.to_dict(),
                "ljp_mV": ljp_value,
                "files": {"table": str(out) if out else None, "plot": str(plot) if plot else None},
            }
        )
        return
    typer.echo(f"{file.name}: {rec.n_sweeps} sweeps, protocol {rec.protocol or '?'!r}, {rec.mode}")
    typer.echo("\n".join(iv.explain()))
    typer.echo(f"{'V_m [mV]':>10} {'I [pA]':>12} {'SE [pA]':>10} {'V_cmd [mV]':>11}")
    for row in iv.table()[:200]:
        typer.echo(
            f"{row['v_mV']:>10.2f} {row['i_pA']:>12.3f} {row['i_se_pA']:>10.3f} "
            f"{row['v_command_mV']:>11.2f}"
        )
    if len(iv.v) > 200:
        typer.echo(f"... {len(iv.v) - 200} more points (use --out FILE.csv)")
    typer.echo("\n".join(rv.explain()))


def memtest_command(
    file: Annotated[Path, typer.Argument(help="Recording with a membrane-test step (.abf, .csv).")],
    channel: Annotated[int, typer.Option("--channel", help="Recorded channel.")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """Membrane test: series resistance, membrane resistance, capacitance, holding current."""
    from nernst.recordings import membrane_test

    rec = _read(file, channel)
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        mt = membrane_test(rec)
    if as_json:
        print_json({"recording": rec.summary(), **json.loads(mt.to_json())})
        return
    typer.echo("\n".join(mt.explain()))


def register(app: typer.Typer) -> None:
    """Add ``iv`` and ``memtest`` to the ``nernst`` app."""
    app.command("iv")(guarded(iv_command))
    app.command("memtest")(guarded(memtest_command))
