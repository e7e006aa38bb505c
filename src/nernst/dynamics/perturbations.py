"""Perturbations of a simulation (step changes at given times) and their text form."""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass

from nernst._deprecate import NernstDeprecationWarning, warn_deprecated
from nernst.ions import ions

__all__ = ["Perturbation", "parse_duration", "parse_perturbation"]


@dataclass(frozen=True)
class Perturbation:
    """A step change applied at time ``at`` [s] during a simulation.

    ``kind`` is "pump" (``value`` multiplies the pump rate when ``relative``, else sets
    the maximal pump current in mA/cm^2), "c_out" (external concentration of ``ion`` [mM],
    or a factor), or "permeability" (relative permeability of ``ion`` in the cell's units,
    or a factor). Build them from text with :func:`parse_perturbation`.

    Examples
    --------
    >>> Perturbation("c_out", "K+", 10.0, False, at=1.0)
    Perturbation(kind='c_out', ion='K+', value=10.0, relative=False, at=1.0, text='')
    """

    kind: str
    ion: str | None
    value: float
    relative: bool
    at: float = 0.0
    text: str = ""

    def __post_init__(self) -> None:
        if self.kind == "pump" and not self.relative and not self.text and self.value != 0.0:
            # Built directly (the parser always records its text): the unit of an absolute
            # pump value changed from uA/cm^2 to mA/cm^2 in this release; say so once.
            warnings.warn(
                "an absolute Perturbation('pump', ..., relative=False) value is now read in "
                f"mA/cm^2 (it was uA/cm^2): {self.value!r} mA/cm^2 = {self.value * 1e3:g} "
                "uA/cm^2; pass the value in mA/cm^2, or write "
                "parse_perturbation('pump=1.5uA/cm2') to give another unit",
                NernstDeprecationWarning,
                stacklevel=3,
            )


_DURATION_UNITS = {
    "us": 1e-6,
    "µs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "sec": 1.0,
    "min": 60.0,
    "m": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "d": 86400.0,
}


def parse_duration(text: str | float) -> float:
    """A duration such as "50ms", "2 s", "1.5h", "10min" or a bare number (seconds) -> s.

    Units: us, ms, s, min (or m), h, d.

    See Also
    --------
    parse_perturbation : perturbation texts, whose ``@TIME`` part this parses.

    Notes
    -----
    A bare number is in seconds, the time unit of :func:`nernst.simulate`. Negative,
    infinite or unparsable durations raise a ValueError that lists the units.

    Examples
    --------
    >>> parse_duration("50ms"), parse_duration("3h"), parse_duration(2)
    (0.05, 10800.0, 2.0)
    """
    if isinstance(text, int | float):
        value = float(text)
        unit = "s"
    else:
        match = re.fullmatch(r"\s*([0-9.]+(?:[eE][-+]?[0-9]+)?)\s*([a-zµ]*)\s*", str(text))
        if not match or match.group(2) not in ("", *_DURATION_UNITS):
            raise ValueError(
                f"duration {text!r} is not understood; write a number and a unit, e.g. 50ms, "
                f"2s, 10min, 3h (units: {', '.join(u for u in _DURATION_UNITS if u != 'µs')})"
            )
        try:
            value = float(match.group(1))
        except ValueError:
            raise ValueError(f"duration {text!r}: {match.group(1)!r} is not a number") from None
        unit = match.group(2) or "s"
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"duration {text!r} must be a finite time >= 0")
    return value * _DURATION_UNITS[unit]


def parse_perturbation(text: str) -> Perturbation:
    """A perturbation from text, optionally at a time: ``WHAT[@TIME]``.

    ========================= ===========================================================
    ``pump-block``, ouabain   pump rate set to 0 (cardiac glycoside block)
    ``pump=x0.5``             pump rate times 0.5; ``pump=1.5e-3mA/cm2`` sets the
                              maximal pump current (also ``uA/cm2``; a bare number is
                              read in uA/cm^2, deprecated)
    ``k-out=10``              external K+ to 10 mM (also ``na-out=``, ``cl-out=``)
    ``out:Ca2+=x2``           external concentration of any ion, value or factor
    ``perm:Na+=x2``           permeability of an ion times 2; ``perm:Na+=0.08`` sets the
                              relative permeability (cell units, times p_reference)
    ``...@10s``               apply at t = 10 s instead of t = 0 (see :func:`parse_duration`)
    ========================= ===========================================================

    See Also
    --------
    parse_duration : the ``@TIME`` part.
    nernst.simulate : where perturbations are applied (``perturb=``).

    Notes
    -----
    Relative values (``x0.5``) multiply the value in force when the step is applied, so two
    ``pump=x0.5`` steps leave a quarter of the pump rate. A pump current is stored in
    mA/cm^2 (the unit of :func:`nernst.sodium_pump_current`); ``pump=1.2`` without a unit
    keeps its old meaning, 1.2 uA/cm^2, for one release, with a
    :class:`~nernst._deprecate.NernstDeprecationWarning`.

    Examples
    --------
    >>> parse_perturbation("perm:Na+=x2@1s")
    Perturbation(kind='permeability', ion='Na+', value=2.0, relative=True, at=1.0, text='perm:Na+=x2@1s')
    """  # noqa: E501
    raw = str(text).strip()
    body, _, when = raw.partition("@")
    at = parse_duration(when) if when.strip() else 0.0
    body = body.strip()
    low = body.lower()
    if low in ("pump-block", "pump_block", "ouabain", "block-pump"):
        return Perturbation("pump", None, 0.0, True, at, raw)
    what, sep, value_text = body.partition("=")
    if not sep:
        raise ValueError(_perturbation_help(raw))
    value_text = value_text.strip()
    relative = value_text[:1].lower() in ("x", "*", "×")
    number = value_text[1:] if relative else value_text
    key = what.strip()
    per_ma = None  # a pump current: the given unit in mA/cm^2
    if key.lower() == "pump" and not relative:
        number, per_ma = _pump_current_unit(raw, number)
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"perturbation {raw!r}: {value_text!r} is not a number") from None
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"perturbation {raw!r}: the value must be finite and >= 0")
    if key.lower() == "pump":
        if per_ma is not None:
            value *= per_ma
        return Perturbation("pump", None, value, relative, at, raw)
    if key.lower().startswith(("perm:", "p:")):
        ion = ions.resolve(key.split(":", 1)[1].strip())
        return Perturbation("permeability", ion, value, relative, at, raw)
    if key.lower().startswith("out:"):
        ion = ions.resolve(key.split(":", 1)[1].strip())
        return Perturbation("c_out", ion, value, relative, at, raw)
    if key.lower().endswith("-out"):
        ion = ions.resolve(key[:-4].strip())
        return Perturbation("c_out", ion, value, relative, at, raw)
    raise ValueError(_perturbation_help(raw))


_CURRENT_UNITS = {"ma/cm2": 1.0, "ma/cm^2": 1.0, "ua/cm2": 1e-3, "ua/cm^2": 1e-3, "µa/cm2": 1e-3}


def _pump_current_unit(raw: str, text: str) -> tuple[str, float]:
    """The number of ``pump=<number><unit>`` and its unit in mA/cm^2."""
    match = re.fullmatch(r"\s*([-+0-9.eE]+)\s*([a-zA-Zµ/^0-9]*)\s*", text)
    unit = match.group(2).lower() if match else ""
    if not match or (unit and unit not in _CURRENT_UNITS):
        raise ValueError(
            f"perturbation {raw!r}: a pump current is a number and a unit, e.g. "
            "pump=1.5e-3mA/cm2 or pump=1.5uA/cm2 (or pump=x0.5 for a factor)"
        )
    if not unit:
        warn_deprecated(
            f"perturbation {raw!r} (a bare pump current, read in uA/cm^2)",
            "a unit, e.g. pump=1.5e-3mA/cm2 or pump=1.5uA/cm2",
            stacklevel=4,
        )
        return match.group(1), 1e-3
    return match.group(1), _CURRENT_UNITS[unit]


def _perturbation_help(raw: str) -> str:
    return (
        f"perturbation {raw!r} is not understood; use pump-block, pump=x0.5, k-out=10, "
        "out:Na+=100, perm:Na+=x2 (optionally @TIME, e.g. pump-block@10s)"
    )
