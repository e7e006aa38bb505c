"""Pieces every command shares: common options, one-line errors, JSON output, parsing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, NoReturn

import typer

__all__ = [
    "EXIT_BAD_INPUT",
    "CelsiusOpt",
    "ExplainOpt",
    "JsonOpt",
    "fail",
    "guarded",
    "parse_pairs",
    "print_json",
    "terminal_width",
]

EXIT_BAD_INPUT = 2

CelsiusOpt = Annotated[float, typer.Option("--celsius", "-t", help="Temperature [degC].")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
ExplainOpt = Annotated[
    bool, typer.Option("--explain", help="Show the equation, the numbers substituted, each step.")
]


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the API's ValueError into a one-line error and exit status 2."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (ValueError, KeyError) as err:
            fail(str(err.args[0]) if err.args else str(err))

    return wrapper


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2))


def parse_pairs(text: str, option: str) -> dict[str, float]:
    """'K+=140,Na+=10' -> {'K+': 140.0, 'Na+': 10.0}."""
    out: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            fail(
                f"{option}: expected ION=VALUE pairs separated by commas (e.g. K+=140,Na+=10), "
                f"got {item!r}"
            )
        try:
            out[name.strip()] = float(value)
        except ValueError:
            fail(f"{option}: {name.strip()}={value!r} is not a number")
    if not out:
        fail(f"{option}: give at least one ION=VALUE pair")
    return out


def terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((120, 24)).columns
