"""Pieces every command shares: common options, the one error path, JSON output, parsing,
reading input files, checking outputs and terminal-width tables.

The error contract of the whole command line (:func:`guarded`):

- bad input (the project's errors, ``ValueError``, ``KeyError``, ``TypeError``,
  ``OverflowError``, ``ZeroDivisionError``, ``UnicodeDecodeError``, ``RecursionError``, a
  ``RuntimeError`` of a solver, an unreadable or unwritable path the user gave) prints one
  line ``error: ...`` on stderr and exits with status 2;
- an environment problem (an optional extra not installed, a disk that is full, any other
  unexpected failure) prints one line and exits with status 1;
- ``nernst --debug COMMAND ...`` (or NERNST_DEBUG=1) shows the traceback instead.

Messages are rewritten into command-line spelling (``--celsius 36.85``, not
``celsius=310 - 273.15``) with each command's table of API argument -> option.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_ENVIRONMENT",
    "CelsiusOpt",
    "ExplainOpt",
    "ForceOpt",
    "JsonOpt",
    "WideOpt",
    "check_output",
    "cli_spelling",
    "fail",
    "guarded",
    "load_cell",
    "parse_pairs",
    "print_json",
    "print_table",
    "require",
    "terminal_width",
    "write_atomically",
]

EXIT_BAD_INPUT = 2
EXIT_ENVIRONMENT = 1

CelsiusOpt = Annotated[float, typer.Option("--celsius", "-t", help="Temperature [degC].")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
ExplainOpt = Annotated[
    bool, typer.Option("--explain", help="Show the equation, the numbers substituted, each step.")
]
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force",
        "--overwrite",
        help="Replace an existing output file (or zarr store); without it nernst refuses.",
    ),
]
WideOpt = Annotated[
    bool,
    typer.Option("--wide", help="The full table at its natural width, whatever the terminal."),
]

#: Set by ``nernst --debug`` (or NERNST_DEBUG=1): show tracebacks instead of one line.
DEBUG = {"on": False}

#: API argument -> command-line option, for every command (extended per command).
COMMON_SPELLING: dict[str, str] = {"celsius": "--celsius", "c_in": "--in", "c_out": "--out"}

#: Optional modules -> the extra that installs them.
EXTRAS: dict[str, str] = {
    "matplotlib": "plot",
    "pyarrow": "parquet",
    "fastparquet": "parquet",
    "pandas": "frame",
    "xarray": "scale",
    "dask": "scale",
    "distributed": "scale",
    "zarr": "scale",
    "dash": "app",
    "gunicorn": "app",
    "pint": "units",
    "pyabf": "abf",
    "typer": "cli",
    "rich": "cli",
}


class CliError(Exception):
    """A one-line error with its exit status (raised by :func:`fail`)."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Stop the command with ``error: message`` and exit status ``code`` (2: bad input)."""
    raise CliError(message, code)


def _debug() -> bool:
    return DEBUG["on"] or os.environ.get("NERNST_DEBUG", "") not in ("", "0")


_KELVIN = re.compile(r"pass celsius=([-+\d.eE]+) - 273\.15 = ([-+\d.eE]+)")


def cli_spelling(message: str, spelling: Mapping[str, str] | None = None) -> str:
    """Rewrite API spellings (``celsius=310``) into options (``--celsius 310``).

    Examples
    --------
    >>> cli_spelling("celsius=310 is above 150 degC; if this is a Kelvin temperature pass "
    ...              "celsius=310 - 273.15 = 36.85")
    '--celsius 310 is above 150 degC; if this is a Kelvin temperature give --celsius 36.85'
    """
    table = {**COMMON_SPELLING, **(spelling or {})}
    message = _KELVIN.sub(lambda m: f"give {table['celsius']} {m.group(2)}", message)
    for name, option in sorted(table.items(), key=lambda kv: -len(kv[0])):
        key = re.escape(name)
        # c_in[K+]=-140 and permeability['K+']=-1 -> --in K+=-140, --perm K+=-1
        message = re.sub(
            rf"(?<![\w\-.]){key}\[['\"]?([^\]'\"]+)['\"]?\]=", rf"{option} \1=", message
        )
        message = re.sub(rf"(?<![\w\-\[.]){key}=(?!=)", f"{option} ", message)
        # "celsius must be finite" -> "--celsius must be finite"
        message = re.sub(rf"^{key}(?= (must|is|has) )", option, message)
    return message


def _install_hint(err: ImportError) -> str:
    module = (err.name or "").split(".")[0]
    if not module:
        match = re.search(r"No module named '([\w.]+)'", str(err))
        module = match.group(1).split(".")[0] if match else ""
    extra = EXTRAS.get(module)
    text = str(err.args[0]) if err.args else str(err)
    if "pip install" in text:
        return text
    if extra:
        return f"this needs {module}, which is not installed: pip install 'nernst[{extra}]'"
    return f"a module is missing ({text}); reinstall nernst: pip install 'nernst[cli]'"


def guarded(
    func: Callable[..., Any] | None = None, *, spelling: Mapping[str, str] | None = None
) -> Any:
    """The one error path: any failure -> one line ``error: ...`` and an exit status.

    Usable as ``@guarded`` or ``guarded(func, spelling={"ionic_strength": "-I"})``.
    """
    import functools

    def decorate(inner: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(inner)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            import warnings

            try:
                with warnings.catch_warnings():
                    # NumPy's floating-point notes are not for the user: every command checks
                    # its results, and a non-finite one is an error naming the input.
                    warnings.filterwarnings(
                        "ignore",
                        message=r"(overflow|underflow|invalid value|divide by zero) encountered",
                        category=RuntimeWarning,
                    )
                    return inner(*args, **kwargs)
            except (typer.Exit, typer.Abort):
                raise
            except Exception as err:  # the whole point: nothing escapes as a traceback
                if _debug():
                    raise
                code, message = describe(err, spelling)
                typer.echo(f"error: {message}", err=True)
                raise typer.Exit(code) from None

        return wrapper

    return decorate(func) if func is not None else decorate


def click_exceptions() -> Any:
    """The exceptions module of the Click that Typer runs on (Typer >= 0.20 vendors one)."""
    import importlib

    try:
        return importlib.import_module("typer._click.exceptions")
    except ImportError:  # pragma: no cover - older Typer on the real Click
        return importlib.import_module("click.exceptions")


def describe(err: BaseException, spelling: Mapping[str, str] | None = None) -> tuple[int, str]:
    """(exit status, one-line message) for an exception reaching the command line."""
    if isinstance(err, CliError):
        return err.code, _one_line(err.message)
    if isinstance(err, click_exceptions().ClickException):
        return EXIT_BAD_INPUT, _one_line(err.format_message())
    args: tuple[Any, ...] = tuple(getattr(err, "args", ()))
    text = str(args[0]) if args else str(err)
    if len(args) == 2 and isinstance(args[0], int):  # (errno, "Numerical result out of range")
        text = str(args[1])
    if text in ("math domain error", "math range error"):
        return EXIT_BAD_INPUT, (
            f"the inputs are outside the range the equations can handle ({text}); check the "
            "magnitudes of the values given (concentrations within 1e-9 .. 1e4 mM, potentials "
            "within +-1000 mV)"
        )
    if isinstance(err, ImportError):
        return EXIT_ENVIRONMENT, _install_hint(err)
    if isinstance(err, RecursionError):
        return EXIT_BAD_INPUT, "the input nests too deeply to read (limit 16 levels)"
    if isinstance(err, UnicodeError):
        return EXIT_BAD_INPUT, f"the input is not UTF-8 text ({err}); save it as UTF-8"
    if isinstance(err, OSError):
        where = f" {str(err.filename)!r}" if err.filename else ""
        reason = err.strerror or text
        if isinstance(
            err, FileNotFoundError | IsADirectoryError | NotADirectoryError | PermissionError
        ):
            return EXIT_BAD_INPUT, f"cannot use{where}: {reason}"
        return EXIT_ENVIRONMENT, f"input/output failed{where}: {reason}"
    if isinstance(err, OverflowError | FloatingPointError | ZeroDivisionError):
        return EXIT_BAD_INPUT, (
            f"the inputs are outside the range the computation can handle ({text}); "
            "check the magnitudes of the values given"
        )
    if isinstance(err, KeyError):
        return EXIT_BAD_INPUT, cli_spelling(_one_line(text), spelling)
    if isinstance(err, ValueError | TypeError):
        return EXIT_BAD_INPUT, cli_spelling(_one_line(text), spelling)
    if isinstance(err, RuntimeError):
        return EXIT_BAD_INPUT, (
            f"the computation failed for these inputs ({_one_line(text)}); check for extreme values"
        )
    return EXIT_ENVIRONMENT, (
        f"unexpected {type(err).__name__}: {_one_line(text)} (run `nernst --debug ...` for "
        "the traceback and report it)"
    )


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def require(module: str, what: str) -> None:
    """Fail with the install hint (exit 1) now, before any computation, if ``module`` is
    not installed."""
    import sys
    from importlib.util import find_spec

    try:
        found = sys.modules.get(module, True) is not None and find_spec(module) is not None
    except (ImportError, ValueError, AttributeError):
        found = False
    if not found:
        extra = EXTRAS.get(module, "cli")
        fail(f"{what} needs {module}, which is not installed: pip install 'nernst[{extra}]'", 1)


def finite(values: Mapping[str, Any], inputs: str) -> None:
    """Fail (exit 2) naming ``inputs`` when any result is NaN or infinite."""
    bad = []
    for name, value in values.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if not math.isfinite(number):
            bad.append(f"{name} = {number}")
    if bad:
        fail(
            f"{inputs}: the result is not finite ({', '.join(bad)}); the values given are "
            "beyond the range of the equations (check their magnitudes)"
        )


# -- JSON ------------------------------------------------------------------------------------
def _finite(value: Any, path: str, reasons: dict[str, str]) -> Any:
    if isinstance(value, float | int) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            reasons[path or "value"] = "not a number" if math.isnan(value) else "infinite"
            return None
        return value
    if hasattr(value, "item") and hasattr(value, "dtype") and getattr(value, "ndim", 1) == 0:
        return _finite(value.item(), path, reasons)
    if hasattr(value, "tolist") and hasattr(value, "dtype"):
        return _finite(value.tolist(), path, reasons)
    if isinstance(value, Mapping):
        return {k: _finite(v, f"{path}.{k}" if path else str(k), reasons) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v, f"{path}[{i}]", reasons) for i, v in enumerate(value)]
    if isinstance(value, Path):
        return str(value)
    return value


def print_json(data: Any) -> None:
    """Print strictly valid JSON: NaN and infinities become null, listed under
    ``"null_values"`` with the reason."""
    reasons: dict[str, str] = {}
    clean = _finite(data, "", reasons)
    if reasons and isinstance(clean, dict):
        clean["null_values"] = reasons
    typer.echo(json.dumps(clean, indent=2, allow_nan=False, default=str))


# -- parsing ---------------------------------------------------------------------------------
def parse_pairs(text: str, option: str, *, ions: bool = True) -> dict[str, float]:
    """'K+=140,Na+=10' -> {'K+': 140.0, 'Na+': 10.0}.

    A name given twice is an error; with ``ions`` so is an ion given under two spellings
    (``K+=140,potassium=100``). Names are kept as written.
    """
    out: dict[str, float] = {}
    seen: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            fail(
                f"{option}: expected ION=VALUE pairs separated by commas (e.g. K+=140,Na+=10), "
                f"got {item!r}"
            )
        try:
            number = float(value)
        except ValueError:
            fail(f"{option}: {name}={value.strip()!r} is not a number (e.g. {name}=10)")
        key = name
        if ions:
            from nernst.ions import ions as table

            if name in table:
                key = table.resolve(name)
        if key in seen:
            same = "" if seen[key] == name else f" ({seen[key]!r} and {name!r} are the same ion)"
            fail(f"{option} names {key} twice{same}; give each once")
        seen[key] = name
        out[name] = number
    if not out:
        fail(f"{option}: give at least one ION=VALUE pair (e.g. {option} K+=140)")
    return out


def is_file_argument(text: str | None) -> bool:
    """True when a CELL argument names a file (a .toml suffix or an existing path)."""
    return text is not None and (text.lower().endswith(".toml") or Path(text).is_file())


def load_cell(source: str | None, *, option: str = "CELL") -> Any:
    """A Cell from a preset name or a checked TOML file (:func:`nernst.files.read_cell`)."""
    import nernst
    from nernst.files import InputFileError, read_cell

    if is_file_argument(source):
        assert source is not None
        data = read_cell(source)
        try:
            return nernst.Cell.from_dict(data, name=data.get("name"))
        except InputFileError:
            raise
        except (ValueError, TypeError) as err:
            text = str(err.args[0]) if err.args else str(err)
            raise ValueError(f"{source}: {_file_spelling(text)}") from None
    return nernst.Cell.preset(source)


def _file_spelling(text: str) -> str:
    """API spellings -> the TOML keys of a cell file (``celsius=310`` -> ``celsius = 310``)."""
    text = _KELVIN.sub(lambda m: f"write celsius = {m.group(2)}", text)
    text = re.sub(r"\bcelsius=", "celsius = ", text)
    text = re.sub(r"\bv_m=", "v_measured_mV = ", text)
    return text


# -- outputs ---------------------------------------------------------------------------------
def check_output(path: Path | None, option: str, *, force: bool = False) -> None:
    """Fail now (exit 2), before computing, if ``path`` cannot be written."""
    if path is None:
        return
    from nernst.files import check_output as check

    check(path, option, force=force)


def write_atomically(path: Path, write: Callable[[Path], Any], *, force: bool = False) -> Path:
    """Call ``write(tmp)`` and rename the temporary file over ``path`` when it succeeds."""
    from nernst.files import atomic_output

    with atomic_output(path, force=force) as tmp:
        write(tmp)
    return path


# -- terminal-width output -------------------------------------------------------------------
def terminal_width() -> int:
    """Columns of the terminal (COLUMNS wins; 80 when not a terminal)."""
    import shutil

    return max(20, shutil.get_terminal_size((80, 24)).columns)


def _table_width(widths: list[int]) -> int:
    """Width of a Rich table (default box, padding 1) whose columns have these widths."""
    return sum(widths) + 3 * len(widths) + 1


def print_table(
    title: str,
    headers: list[str],
    rows: list[list[str]],
    *,
    notes: list[str] | None = None,
    wrap: tuple[int, ...] = (),
    right: tuple[int, ...] = (),
    wide: bool = False,
    show_lines: bool = False,
    stack_below: int = 100,
) -> None:
    """A table that fits the terminal; the first column is an identifier and is never cut.

    At the natural width when that fits (or with ``wide``); columns listed in ``wrap`` may
    wrap at word boundaries when the terminal is at least ``stack_below`` wide; otherwise a
    stacked layout, one block per row (identifier on its own line, then ``header: value``
    pairs wrapped to the width). Notes are wrapped to the width.
    """
    import textwrap

    from rich.console import Console
    from rich.table import Table

    width = terminal_width()
    cells = [
        max([1] + [max(map(len, r[i].split("\n"))) for r in rows]) for i in range(len(headers))
    ]
    natural = [max(len(h), c) for h, c in zip(headers, cells, strict=True)]
    words = [max(map(len, h.split() or [""])) for h in headers]
    minimum = [
        max(words[i], min(24, max([1] + [len(w) for r in rows for w in r[i].split()])))
        if i in wrap
        else max(words[i], cells[i])
        for i in range(len(headers))
    ]
    fits = _table_width(natural) <= width
    squeeze = not fits and width >= stack_below and _table_width(minimum) <= width
    if wide or fits or squeeze:
        use = list(natural)
        if squeeze:
            room = width - _table_width(minimum)
            slack = [natural[i] - minimum[i] for i in range(len(headers))]
            total_slack = sum(slack) or 1
            use = [minimum[i] + slack[i] * room // total_slack for i in range(len(headers))]
        table = Table(title=title, title_justify="left", show_lines=show_lines)
        for i, header in enumerate(headers):
            table.add_column(
                header,
                justify="right" if i in right else "left",
                width=use[i],
                overflow="fold",
            )
        for row in rows:
            table.add_row(*row)
        total = _table_width(natural)
        console = Console(width=max(total, width) if wide else width, soft_wrap=False)
        console.print(table)
        for note in notes or []:
            if wide:
                typer.echo(note)
            else:
                typer.echo(textwrap.fill(note, width=width, break_on_hyphens=False))
        return
    lines = [textwrap.fill(title, width=width, break_on_hyphens=False)] if title else []
    for row in rows:
        lines.append(row[0])
        pairs = [
            f"{headers[i]}: {' '.join(row[i].split())}"
            for i in range(1, len(headers))
            if row[i].strip() not in ("", "-")
        ]
        lines.extend(_wrap_pairs(pairs, width))
    for note in notes or []:
        lines.extend(textwrap.wrap(note, width=width, break_on_hyphens=False) or [""])
    typer.echo("\n".join(lines))


def _wrap_pairs(pairs: list[str], width: int, indent: str = "  ") -> list[str]:
    """Greedy lines of ``pairs`` joined by ``"; "``; a pair is split only when it alone is
    wider than the line."""
    import textwrap

    lines: list[str] = []
    current = ""
    for pair in pairs:
        candidate = f"{current}; {pair}" if current else pair
        if len(indent) + len(candidate) + 1 <= width:  # room for the ";" that may follow
            current = candidate
            continue
        if current:
            lines.append(indent + current + ";")
        if len(indent) + len(pair) + 1 <= width:
            current = pair
        else:
            parts = textwrap.wrap(pair, width=width - len(indent) - 1, break_on_hyphens=False)
            lines.extend(indent + p for p in parts[:-1])
            current = parts[-1]
    if current:
        lines.append(indent + current)
    return lines
