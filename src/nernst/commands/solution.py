"""``nernst solution RECIPE``: a recording solution's free ions, pH, osmolarity, free Ca2+.

Thin by design: the recipe is parsed here (NAME=mM pairs with optional ph=, titrant=, or a
solution TOML file), every number comes from :class:`nernst.Solution`, and the answer is
rendered as a Rich table, the ``--explain`` steps, ``--json`` or ``--toml``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer

from nernst.commands._shared import (
    ExplainOpt,
    JsonOpt,
    fail,
    guarded,
    print_json,
    terminal_width,
)

#: Powers of ten from each unit to mM. A value is divided by 10^k rather than multiplied by
#: 10^-k (not a float): 100 nM is then 1e-4 mM to the last bit, as typed in the API.
_UNITS = {"m": 0, "mm": 0, "um": -3, "µm": -3, "μm": -3, "nm": -6, "pm": -9, "M": 3}

#: Recipe keys that are settings, not components.
SETTINGS = ("ph", "titrant", "pco2", "celsius")


def parse_concentration(text: str, option: str) -> float:
    """'100nM' -> 1e-4 (mM); '0.1uM', '2 mM', '0.002' (mM) likewise."""
    m = re.fullmatch(r"\s*([0-9.eE+-]+)\s*([a-zA-Zµμ]*)\s*", text)
    if not m:
        fail(f"{option}: {text!r} is not a concentration such as 100nM, 0.1uM or 0.0001 (mM)")
    try:
        value = float(m[1])
    except ValueError:
        fail(f"{option}: {text!r} is not a concentration such as 100nM")
    unit = m[2] or "mM"
    key = unit if unit == "M" else unit.lower()
    if key not in _UNITS:
        fail(f"{option}: unit {unit!r} is not one of nM, uM, mM, M")
    power = _UNITS[key]
    return value * 10**power if power >= 0 else value / 10**-power


def split_recipe(text: str, option: str) -> tuple[dict[str, float], dict[str, Any]]:
    """'KCl=140,HEPES=10,ph=7.3,titrant=KOH' -> ({KCl: 140, HEPES: 10}, {ph: 7.3, titrant: KOH})."""
    recipe: dict[str, float] = {}
    settings: dict[str, Any] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name:
            fail(
                f"{option}: expected NAME=mM pairs separated by commas (e.g. "
                f"KCl=140,HEPES=10,ph=7.3,titrant=KOH), got {item!r}"
            )
        if name.lower() == "titrant":
            settings["titrant"] = value
            continue
        try:
            number = float(value)
        except ValueError:
            fail(f"{option}: {name}={value!r} is not a number")
        if name.lower() in SETTINGS:
            settings[name.lower()] = number
        else:
            recipe[name] = number
    if not recipe:
        fail(f"{option}: give at least one component, e.g. KCl=140")
    return recipe, settings


def build_solution(text: str, option: str, **defaults: Any) -> Any:
    """A nernst.Solution from a recipe string or a solution TOML file."""
    from nernst.solution import Solution

    text = text.strip()
    if "=" not in text and (text.lower().endswith(".toml") or Path(text).is_file()):
        path = Path(text)
        if not path.is_file():
            fail(f"{option}: no such file {text!r}")
        return Solution.from_toml(path)
    recipe, settings = split_recipe(text, option)
    kwargs = {**{k: v for k, v in defaults.items() if v is not None}, **settings}
    return Solution.from_recipe(recipe, **kwargs)


def solution_command(
    recipe: Annotated[
        str,
        typer.Argument(
            help="NAME=mM pairs (K-gluconate=135,KCl=10,HEPES=10,EGTA=0.5,Mg-ATP=4; settings "
            "ph=7.3,titrant=KOH may be included) or a solution .toml file."
        ),
    ],
    ph: Annotated[
        float | None, typer.Option("--ph", help="pH to titrate to (needs --titrant).")
    ] = None,
    titrant: Annotated[
        str | None, typer.Option("--titrant", help="KOH, NaOH, CsOH, NMDG or HCl.")
    ] = None,
    celsius: Annotated[
        float, typer.Option("--celsius", "-t", help="Temperature of pH and speciation [degC].")
    ] = 25.0,
    pco2: Annotated[
        float | None, typer.Option("--pco2", help="CO2 partial pressure [atm] (5% CO2: 0.05).")
    ] = None,
    target_free_ca: Annotated[
        str | None,
        typer.Option(
            "--target-free-ca", help="Find the CaCl2 giving this free Ca2+ (100nM, 1uM, 0.001)."
        ),
    ] = None,
    target_free_mg: Annotated[
        str | None,
        typer.Option("--target-free-mg", help="Find the MgCl2 giving this free Mg2+ (0.5mM)."),
    ] = None,
    at: Annotated[
        float | None,
        typer.Option("--at", help="Also re-equilibrate at this recording temperature [degC]."),
    ] = None,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    as_toml: Annotated[bool, typer.Option("--toml", help="Print the recipe as TOML.")] = False,
) -> None:
    """A recording solution: free ions, pH, ionic strength, osmolarity, free Ca2+ and Mg2+."""
    from nernst.solution import Solution

    sol = build_solution(recipe, "RECIPE", ph=ph, titrant=titrant, celsius=celsius, pco2=pco2)
    found: dict[str, Any] = {}
    for target, metal, salt, option in (
        (target_free_ca, "Ca2+", "CaCl2", "--target-free-ca"),
        (target_free_mg, "Mg2+", "MgCl2", "--target-free-mg"),
    ):
        if target is None:
            continue
        value = parse_concentration(target, option)
        sol = Solution.for_free_metal(
            sol.recipe,
            value,
            metal=metal,
            salt=salt,
            ph=sol.ph_set,
            titrant=sol.titrant,
            celsius=sol.celsius,
            pco2=sol.pco2,
            activity_model=sol.activity_model,
            name=sol.name,
        )
        found[metal] = {"salt": salt, "total_mM": sol.recipe[salt], "free_mM": value}
    warm = sol.at(celsius=at) if at is not None else None
    if as_toml:
        typer.echo(sol.to_toml(), nl=False)
        return
    if as_json:
        data = sol.to_dict()
        if found:
            data["target"] = found
        if warm is not None:
            data["at_recording_temperature"] = warm.to_dict()
        if explain:
            data["explanation"] = sol.explain()
        print_json(data)
        return
    lines: list[str] = []
    for metal, info in found.items():
        lines.append(
            f"{info['salt']} = {info['total_mM']:.4f} mM gives free {metal} = "
            f"{_show(info['free_mM'])}"
        )
    if explain:
        typer.echo("\n".join(lines + sol.explain()))
    else:
        _table(sol, lines)
    if warm is not None:
        typer.echo(
            f"At {at:g} degC (same totals, pH from the charge balance): pH {warm.ph:.3f}, "
            f"free Ca2+ {_show(warm.free_ca)}, free Mg2+ {_show(warm.free_mg)}"
        )


def _show(c_mM: float) -> str:
    from nernst.solution import format_concentration

    return format_concentration(c_mM)


def _table(sol: Any, lines: list[str]) -> None:
    from rich.console import Console

    console = Console(width=max(100, terminal_width()), highlight=False)
    for line in lines:
        console.print(line)
    console.print(sol)


def register(app: typer.Typer) -> None:
    """Add ``solution`` to the ``nernst`` app."""
    app.command("solution")(guarded(solution_command))
