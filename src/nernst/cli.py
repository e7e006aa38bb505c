"""The ``nernst`` command line: one-line answers, ``--explain`` and ``--json``.

Thin by design: it parses, calls the public API and renders. Bad input prints one line,
``error: ...``, on stderr and exits with status 2; a missing optional extra or another
environment problem exits with status 1; ``nernst --debug ...`` shows the traceback instead
(see :mod:`nernst.commands._shared`).
"""

from __future__ import annotations

import math
import re
import sys
from typing import Annotated, Any

import typer

from nernst.commands._shared import (
    DEBUG,
    EXIT_BAD_INPUT,
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
    terminal_width,
)

app = typer.Typer(
    name="nernst",
    help="Membrane electrochemistry: equilibrium (Nernst) and GHK potentials, energetics, "
    "preset cells. Potentials are V_in - V_out in mV, concentrations in mM, temperature in degC.",
    epilog="Exit status: 0 success, 2 bad input (one line 'error: ...'), 1 an environment "
    "problem (a missing extra: the line says what to pip install). Existing output files are "
    "replaced only with --force. nernst --debug COMMAND shows a traceback.",
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
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="Show the Python traceback of an error instead of the one-line message "
            "(also NERNST_DEBUG=1). Give it before the command: nernst --debug cell x.toml",
        ),
    ] = False,
) -> None:
    """Membrane electrochemistry from the command line."""
    DEBUG["on"] = debug


@app.command(context_settings={"ignore_unknown_options": True})
@guarded(spelling={"gamma_in": "--gamma-in", "gamma_out": "--gamma-out"})
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

    target: str | int = int(ion) if ion.lstrip("+-").isdigit() else ion
    kw = {
        "c_in": c_in,
        "c_out": c_out,
        "celsius": celsius,
        "gamma_in": gamma_in,
        "gamma_out": gamma_out,
    }
    E = nernst.equilibrium_potential(target, **kw)
    finite({"E": E}, "--in/--out")
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
            from nernst.explain import explain_equilibrium_potential

            data["explanation"] = explain_equilibrium_potential(target, **kw)
        print_json(data)
    elif explain:
        from nernst.explain import explain_equilibrium_potential

        typer.echo("\n".join(explain_equilibrium_potential(target, **kw)))
    else:
        typer.echo(f"E({label}) = {E:+.1f} mV")


@app.command()
@guarded(spelling={"permeability": "--perm", "permeabilities": "--perm"})
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

    inside = parse_pairs(c_in, "--in")
    outside = parse_pairs(c_out, "--out")
    permeability = parse_pairs(perm, "--perm")
    try:
        V = nernst.ghk_voltage(permeability, c_in=inside, c_out=outside, celsius=celsius)
    except (RuntimeError, OverflowError, FloatingPointError, ZeroDivisionError) as err:
        fail(
            f"--in/--out/--perm: the GHK voltage cannot be computed for these values ({err}); "
            "the concentrations span too many orders of magnitude (keep them within "
            "1e-9 .. 1e4 mM)"
        )
    if not math.isfinite(V):
        fail(
            f"--in/--out/--perm: the GHK voltage is not finite ({V}) for these values; keep "
            "the concentrations within 1e-9 .. 1e4 mM"
        )
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
            from nernst.explain import explain_ghk_voltage

            data["explanation"] = explain_ghk_voltage(
                permeability, c_in=inside, c_out=outside, celsius=celsius
            )
        print_json(data)
    elif explain:
        from nernst.explain import explain_ghk_voltage

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
    wide: WideOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Full report of a cell: per-ion E, driving force, flux, energy, verdict; resting potential.

    The table fits the terminal: below its natural width (about 120 columns, 165 with
    --activity) each ion becomes a block of lines; --wide prints the full table.
    """
    the_cell = load_cell(preset)
    if activity is not None:
        from nernst.activity import ActivityOverflowError

        try:
            the_cell = the_cell.with_activity(activity)
        except (OverflowError, FloatingPointError, ActivityOverflowError):
            fail(
                f"--activity {activity}: the activity coefficients overflow for this cell's "
                "concentrations (ionic strength far beyond the model's range); use a lower "
                "concentration or --activity none"
            )
    try:
        report = the_cell.report()
    except (OverflowError, FloatingPointError) as err:
        fail(f"{preset or 'the cell'}: the report overflows for these values ({err})")
    if as_json:
        print_json(report.to_dict())
        return
    headers = [label for _, label, _ in report.columns()]
    right = tuple(i for i, (_, _, fmt) in enumerate(report.columns()) if fmt)
    rows = [report._cells(row) for row in report.ions]
    print_table(
        f"{report.title} ({report.celsius:g} degC)",
        headers,
        rows,
        notes=report.summary_lines(),
        right=right,
        wide=wide,
    )


@app.command()
@guarded
def presets(
    name: Annotated[
        str | None,
        typer.Argument(help="A preset's name: its full record with sources.", show_default=False),
    ] = None,
    long: Annotated[
        bool, typer.Option("--long", "-l", help="Every preset's full record with sources.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """List the embedded preset cells: one line each (name, degC, title); NAME or --long for
    the full record with sources."""
    import nernst
    from nernst.files import nearest

    data = nernst.presets()
    if name is not None:
        key = name.strip().lower()
        if key not in data:
            fail(
                f"unknown preset {name!r}{nearest(key, list(data))} (the presets are: "
                f"{', '.join(data)})"
            )
        data = {key: data[key]}
    if as_json:
        print_json(data)
        return
    if name is None and not long:
        width = terminal_width()
        pad = max(len(k) for k in data) + 2
        lines = [f"{len(data)} preset cells (nernst presets NAME: sources)"]
        for key, info in data.items():
            mark = " (default)" if info["default"] else ""
            head = f"{key:<{pad}}{info['celsius']:>4g} degC  "
            room = max(12, width - len(head) - len(mark))
            title = (
                info["title"] if len(info["title"]) <= room else info["title"][: room - 3] + "..."
            )
            lines.append(head + title + mark)
        typer.echo("\n".join(lines))
        return
    _records(
        [
            (
                key + (" (default)" if info["default"] else ""),
                [
                    ("title", info["title"]),
                    ("temperature", f"{info['celsius']:g} degC"),
                    ("description", info.get("description", "")),
                    *((f"source ({k})", str(v)) for k, v in info["sources"].items()),
                ],
            )
            for key, info in data.items()
        ]
    )


def _clip(line: str, width: int, *, keep: int) -> str:
    """``line`` cut to ``width`` with an ellipsis, never inside its first ``keep`` characters."""
    if len(line) <= width or width <= keep:
        return line
    return line[: max(keep, width - 3)].rstrip() + "..."


def _records(records: list[tuple[str, list[tuple[str, str]]]]) -> None:
    """Full records: the name on its own line, then ``field: text`` wrapped to the terminal."""
    import textwrap

    width = terminal_width()
    lines: list[str] = []
    for title, fields in records:
        if lines:
            lines.append("")
        lines.append(title)
        for label, text in fields:
            if not text:
                continue
            lines.extend(
                textwrap.wrap(
                    f"{label}: {text}",
                    width=width,
                    initial_indent="  ",
                    subsequent_indent="    ",
                    break_on_hyphens=False,
                )
            )
    typer.echo("\n".join(lines))


@app.command("ions")
@guarded
def ions_command(
    name: Annotated[
        str | None,
        typer.Argument(
            help="An ion (K+, potassium): its full record with sources.", show_default=False
        ),
    ] = None,
    long: Annotated[
        bool, typer.Option("--long", "-l", help="The full table: every value and its source.")
    ] = False,
    wide: WideOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """List the ion table: one line per ion (symbol, charge, name, aliases); NAME or --long
    for conductivity, diffusion coefficient, size and sources."""
    import nernst

    chosen = [nernst.ions[name]] if name is not None else list(nernst.ions.values())
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
        for ion in chosen
    ]
    if as_json:
        print_json(rows if name is None else rows[0])
        return
    numbers = (
        ("equivalent_conductivity_S_cm2_per_mol", "lambda (S cm2/mol/eq)"),
        ("diffusion_coefficient_1e-9_m2_per_s", "D (1e-9 m2/s)"),
        ("ion_size_nm", "a (nm)"),
    )
    if name is not None:
        r = rows[0]
        _records(
            [
                (
                    f"{r['symbol']} ({r['name']}, z = {r['charge']:+d})",
                    [
                        ("aliases", ", ".join(r["aliases"])),
                        *((label, "-" if r[k] is None else f"{r[k]:g}") for k, label in numbers),
                        *((f"source ({k})", str(v)) for k, v in (r["sources"] or {}).items()),
                    ],
                )
            ]
        )
        return
    if not long:
        width = terminal_width()
        pad = max(len(r["symbol"]) for r in rows) + 2
        lines = [f"{len(rows)} ions (nernst ions NAME or --long: values, sources)"]
        for r in rows:
            aliases = ", ".join(a for a in r["aliases"] if a != r["name"])
            line = f"{r['symbol']:<{pad}}{r['charge']:+d}  {r['name']}"
            if aliases:
                line += f"  ({aliases})"
            lines.append(_clip(line, width, keep=len(r["symbol"])))
        typer.echo("\n".join(lines))
        return
    print_table(
        f"Ion table ({len(rows)} ions; values at 25 degC)",
        ["ion", "name", "z", *(label for _, label in numbers), "aliases"],
        [
            [
                r["symbol"],
                r["name"],
                f"{r['charge']:+d}",
                *("-" if r[k] is None else f"{r[k]:g}" for k, _ in numbers),
                ", ".join(r["aliases"]),
            ]
            for r in rows
        ],
        wrap=(6,),
        right=(2, 3, 4, 5),
        wide=wide,
    )


def _register_topic_commands() -> None:
    from nernst.commands import register_all

    register_all(app)


_register_topic_commands()


#: Root options that come before the command name (all flags: none takes a value).
_ROOT_FLAGS = frozenset({"--debug"})

#: A number written plainly (the only spellings the light coercion accepts itself).
_PLAIN_FLOAT = re.compile(r"[+-]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_PLAIN_INT = re.compile(r"[+-]?(?:0|[1-9][0-9]*)")


def _invoked_command(args: list[str]) -> str | None:
    """The command name of a command line, or None when the root itself answers
    (``--help``, ``--version``, no command)."""
    for arg in args:
        if arg in _ROOT_FLAGS:
            continue
        return None if arg.startswith("-") else arg
    return None


def _click_command(args: list[str]) -> Any:
    """The Click command of the app, with only the invoked command built.

    Typer converts every registered command (signature, annotations) when it builds the
    group; a command line runs one, so only that one is converted (issue 13: start-up). An
    unknown name, ``--help`` or ``--version`` builds them all, so usage errors, suggestions
    and the command list are Typer's own.
    """
    name = _invoked_command(args)
    registered = app.registered_commands
    chosen = [
        info
        for info in registered
        if name is not None
        and (info.name or typer.main.get_command_name(info.callback.__name__)) == name  # type: ignore[union-attr]
    ]
    if not chosen:
        return typer.main.get_command(app)
    app.registered_commands = chosen
    try:
        command = typer.main.get_command(app)
    finally:
        app.registered_commands = registered
    for sub in [command, *getattr(command, "commands", {}).values()]:
        for param in sub.params:
            _light_coercion(param)
        _light_help_option(sub)
    return command


def _light_help_option(command: Any) -> None:
    """The light coercion for the ``--help`` option too (made on first use by Click)."""
    original = getattr(command, "get_help_option", None)
    if original is None:
        return

    def get_help_option(ctx: Any) -> Any:
        option = original(ctx)
        if option is not None:
            _light_coercion(option)
        return option

    command.get_help_option = get_help_option


class _LightCoercion:
    """Typer's value coercion of a plain ``str``, ``int``, ``float`` or ``bool`` parameter, without
    building its pydantic TypeAdapter (importing pydantic costs about as much as NumPy).

    Only what is certain is answered here: None, a value already of the type, and numbers
    written plainly (``140``, ``-1.5e-3``); anything else (``1_000``, ``inf``, a bad number)
    goes to Typer's own coercion, built then, so its results and error messages are
    unchanged.
    """

    def __init__(self, kind: type) -> None:
        self.kind = kind

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        kind = self.kind
        if value is None or type(value) is kind:
            return value
        if type(value) is str:
            if kind is float and _PLAIN_FLOAT.fullmatch(value):
                number = float(value)
                if math.isfinite(number):
                    return number
            elif kind is int and _PLAIN_INT.fullmatch(value):
                return int(value)
        param._runtime_param = None  # Typer builds its own coercion on the next call
        return param.get_runtime_param().coerce(value, param=param, ctx=ctx)


def _light_coercion(param: Any) -> None:
    """Give a Typer parameter of a plain type the light coercion (newer Typer only: older
    versions use Click's types and need nothing)."""
    descriptor = getattr(param, "type_descriptor", None)
    info = getattr(descriptor, "parameter_info", None)
    if (
        descriptor is None
        or info is None
        or getattr(param, "_runtime_param", 0) is not None
        or not hasattr(param, "get_runtime_param")
        or descriptor.annotation not in (str, int, float, bool)
        or param.multiple
        or param.nargs != 1
        or any(getattr(info, k, None) is not None for k in ("parser", "min", "max", "click_type"))
    ):
        return
    param._runtime_param = _LightCoercion(descriptor.annotation)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``nernst`` script: usage errors too become one ``error:`` line."""
    from nernst.commands._shared import click_exceptions

    click = click_exceptions()
    command = _click_command(sys.argv[1:] if argv is None else list(argv))
    try:
        code = command.main(args=argv, prog_name="nernst", standalone_mode=False)
    except getattr(click, "NoArgsIsHelpError", ()) as err:
        typer.echo(err.ctx.get_help() if err.ctx else err.format_message())
        sys.exit(EXIT_BAD_INPUT)
    except click.UsageError as err:
        where = f"; see `{err.ctx.command_path} --help`" if err.ctx else ""
        message = " ".join(err.format_message().split()).rstrip(".")
        typer.echo(f"error: {message}{where}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except click.ClickException as err:
        typer.echo(f"error: {' '.join(err.format_message().split())}", err=True)
        sys.exit(err.exit_code)
    except (typer.Abort, KeyboardInterrupt):  # pragma: no cover - interactive
        typer.echo("", err=True)
        sys.exit(130)
    except Exception as err:  # a command without @guarded: the same one-line answer
        from nernst.commands._shared import _debug, describe

        if _debug():
            raise
        status, message = describe(err)
        typer.echo(f"error: {message}", err=True)
        sys.exit(status)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
