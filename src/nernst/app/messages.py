"""What the app says to a student: input checks, the library's errors in app words, and
plausibility warnings.

The library's messages are written for a programmer (``c_in=-5: ...``, ``pass celsius=...``,
``nernst.solution_from_salts``); :func:`student_text` rewrites them for a page with labelled
inputs. The checks here only decide whether a typed value can be handed to the library at all
(a number, above 0, a temperature above absolute zero); the library decides everything else.
:func:`plausibility` flags values that are allowed but far outside physiology, in plain words
(a warning, never an error).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from nernst.app.scenario import parse_number

__all__ = [
    "C_MAX_MM",
    "C_MIN_MM",
    "V_MAX_MV",
    "amount",
    "plausibility",
    "positive",
    "student_text",
    "temperature",
]

#: Concentrations below 1 nM or above 2 M are far outside any cell or bath. [mM]
C_MIN_MM, C_MAX_MM = 1e-6, 2000.0
#: Membrane and equilibrium potentials beyond this size are far outside any cell. [mV]
V_MAX_MV = 300.0
#: Temperatures outside this range are far from any living cell. [degC]
T_RANGE_C = (-5.0, 60.0)
#: Largest temperature the library takes (above it, a Kelvin value is suspected). [degC]
T_MAX_C = 150.0


def _shown(raw: Any) -> str:
    text = str(raw).strip()
    return text if len(text) <= 24 else text[:21] + "..."


def amount(raw: Any, what: str, unit: str) -> tuple[float | None, str]:
    """A typed number and "" if it is one, else None and a sentence saying what to type.

    >>> amount("140", "the inside concentration", "mM")
    (140.0, '')
    >>> amount("", "the inside concentration", "mM")[1]
    'Enter a number for the inside concentration (mM).'
    >>> amount(True, "the temperature", "°C")[1]
    'Enter a number for the temperature (°C).'
    """
    value = parse_number(raw)
    if value is None:
        if raw in (None, "") or isinstance(raw, bool):
            return None, f"Enter a number for {what} ({unit})."
        return None, f"{what[0].upper()}{what[1:]} must be a number in {unit}, not {_shown(raw)!r}."
    return value, ""


def positive(raw: Any, what: str, unit: str, *, zero_ok: bool = False) -> tuple[float | None, str]:
    """Like :func:`amount`, and the number must be above 0 (or at least 0 with ``zero_ok``).

    >>> positive(-5, "the inside concentration", "mM")[1]
    'The inside concentration must be above 0 mM; you typed -5.'
    >>> positive(0, "the permeability of K+", "relative", zero_ok=True)
    (0.0, '')
    """
    value, message = amount(raw, what, unit)
    if value is None:
        return None, message
    if value < 0 or (value == 0 and not zero_ok):
        bound = "0 or more" if zero_ok else "above 0"
        unit_text = f" {unit}" if unit != "relative" else ""
        return (
            None,
            f"{what[0].upper()}{what[1:]} must be {bound}{unit_text}; you typed {_shown(raw)}.",
        )
    return value, ""


def temperature(raw: Any) -> tuple[float | None, str]:
    """A typed temperature in °C the library takes, or None and what to type instead.

    >>> temperature("310")[1]
    'The temperature is in °C: 310 °C is hotter than any cell. If you meant 310 K, type 36.85 °C.'
    >>> temperature("-300")[1]
    'The temperature -300 °C is below absolute zero (-273.15 °C): type a temperature above it.'
    """
    value, message = amount(raw, "the temperature", "°C")
    if value is None:
        return None, message
    if value <= -273.15:
        return None, (
            f"The temperature {value:g} °C is below absolute zero (-273.15 °C): "
            "type a temperature above it."
        )
    if value > T_MAX_C:
        kelvin = value - 273.15
        hint = f" If you meant {value:g} K, type {kelvin:.2f} °C." if kelvin > -273.15 else ""
        return None, f"The temperature is in °C: {value:g} °C is hotter than any cell.{hint}"
    return value, ""


# -- the library's messages, for the page -------------------------------------------------------
_ARGUMENT_NAMES = {
    "c_in": "the inside concentration",
    "c_out": "the outside concentration",
    "inside": "the inside concentrations",
    "outside": "the outside concentrations",
    "celsius": "the temperature",
    "gamma_in": "γ inside",
    "gamma_out": "γ outside",
    "permeability": "the permeabilities",
    "v_m": "V_m",
    "v": "V",
}


def student_text(message: str) -> str:
    """A library error message reworded for the page: no argument syntax, no Python names,
    no array shapes.

    >>> student_text("celsius=310 is above 150 degC; if this is a Kelvin temperature pass "
    ...              "celsius=310 - 273.15 = 36.85")
    'The temperature 310 is above 150 °C; if this is a Kelvin temperature type 36.85 °C'
    >>> student_text("c_out=inf (in an array of shape (241,)): a concentration must be "
    ...              "positive and finite [mM]")
    'The outside concentration is too large: a concentration must be positive and finite [mM]'
    >>> student_text("imbalance +5 mEq/L; add the missing counter-ions or give the recipe as "
    ...              "salts (nernst.solution_from_salts; on the command line NaCl=10)")
    'Imbalance +5 mEq/L; add the missing counter-ions in the table'
    """
    text = str(message)
    text = re.sub(r"\s*\(in an array of shape \([^)]*\)\)", "", text)
    text = re.sub(r"pass celsius=[-+0-9.eE]+ - 273\.15 = ([-+0-9.eE]+)", r"type \1 °C", text)
    text = re.sub(r"\s*\([^()]*nernst\.[a-z_]+[^()]*\)", "", text)
    text = re.sub(r"\s*\bor give the recipe as salts\b", " in the table", text)
    text = re.sub(r"\bnernst\.[a-z_]+(\(\))?", "the library", text)
    text = text.replace("degC", "°C")

    def argument(match: re.Match[str]) -> str:
        name, value = match.group(1), match.group(2)
        words = _ARGUMENT_NAMES.get(name, name)
        if value.lower() in ("inf", "-inf", "nan"):
            return f"{words} is too large"
        return f"{words} {value}"

    text = re.sub(r"\b([a-z_]+)=(-inf|inf|nan|[-+0-9.eE]+)\b", argument, text)
    return text[0].upper() + text[1:] if text else text


# -- plausibility ------------------------------------------------------------------------------
def _concentration_text(mM: float) -> str:
    return f"{mM:.3g} mM"


def plausibility(
    *,
    concentrations: Iterable[tuple[str, float]] = (),
    potentials: Iterable[tuple[str, float]] = (),
    celsius: float | None = None,
) -> list[str]:
    """Warnings, in a student's words, for allowed values far outside physiology.

    Parameters
    ----------
    concentrations : iterable of (label, value)
        For instance ``("[K+] inside", 1e-30)``. [mM]
    potentials : iterable of (label, value)
        Equilibrium or membrane potentials, for instance ``("E(K+)", 1889.0)``. [mV]
    celsius : float, optional
        The temperature. [degC]

    Returns
    -------
    warnings : list of str
        Empty when every value is within the ranges seen in cells.

    Examples
    --------
    >>> plausibility(concentrations=[("[K+] outside", 1e-30)], potentials=[("E(K+)", 1889.0)])
    ... # doctest: +NORMALIZE_WHITESPACE
    ['[K+] outside = 1e-30 mM is below 1 nM (0.000001 mM): less than one ion in a cell-sized
      volume, so no real solution is this dilute.',
     'E(K+) = +1889 mV is more than 300 mV from zero: real membranes break down long before
      (at a few hundred mV), so check the concentrations.']
    >>> plausibility(concentrations=[("[K+] inside", 140.0)], celsius=37.0)
    []
    """
    out: list[str] = []
    for label, c in concentrations:
        if not math.isfinite(c):
            continue
        if 0 < c < C_MIN_MM:
            out.append(
                f"{label} = {_concentration_text(c)} is below 1 nM (0.000001 mM): less than one "
                "ion in a cell-sized volume, so no real solution is this dilute."
            )
        elif c > C_MAX_MM:
            out.append(
                f"{label} = {_concentration_text(c)} is above 2 M (2000 mM): more concentrated "
                "than any cell or bath, and near the limit of what dissolves."
            )
    for label, v in potentials:
        if math.isfinite(v) and abs(v) > V_MAX_MV:
            out.append(
                f"{label} = {v:+.0f} mV is more than 300 mV from zero: real membranes break "
                "down long before (at a few hundred mV), so check the concentrations."
            )
    if celsius is not None and not T_RANGE_C[0] <= celsius <= T_RANGE_C[1]:
        out.append(
            f"{celsius:g} °C is outside the range of living cells (about 0 to 45 °C); the "
            "equations still hold, but no cell works there."
        )
    return out


def warning_view(warnings: Iterable[str]) -> Any:
    """The warnings as a list for the page ("" when there are none)."""
    from dash import html

    items = list(dict.fromkeys(warnings))
    if not items:
        return ""
    return html.Ul([html.Li(w) for w in items], className="warning-list")


def concentrations_of(rows: Iterable[Mapping[str, Any]]) -> list[tuple[str, float]]:
    """(label, value) pairs of a GHK-style table's concentrations, for :func:`plausibility`."""
    out: list[tuple[str, float]] = []
    for r in rows:
        for key, side in (("c_in", "inside"), ("c_out", "outside")):
            value = r.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                out.append((f"[{r['ion']}] {side}", float(value)))
    return out
