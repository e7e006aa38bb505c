"""The ion table: named ions with charge, conductivity, diffusion coefficient and size.

The table ships as ``nernst/data/ions.toml`` and is read lazily on first use. Ions are named
by formula with charge (``"K+"``, ``"Ca2+"``, ``"Cl-"``, ``"SO4 2-"``); aliases such as
``"K"`` or ``"potassium"`` resolve to the same entry, case-insensitively.

Examples
--------
>>> from nernst import ions
>>> ions["Ca2+"].charge
2
>>> ions["potassium"].symbol
'K+'
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import ArrayLike

__all__ = ["Ion", "IonTable", "ions", "valence"]


@dataclass(frozen=True)
class Ion:
    """One ion of the table.

    Attributes
    ----------
    symbol : str
        Formula with charge, the canonical name ("K+", "Ca2+").
    name : str
        Common name ("potassium").
    charge : int
        Signed valence z.
    aliases : tuple of str
        Other names that resolve to this ion.
    equivalent_conductivity : float or None
        Limiting equivalent conductivity lambda(1/``|z|`` X) at 25 degC. [S cm^2/mol]
    diffusion_coefficient : float or None
        Diffusion coefficient at infinite dilution, 25 degC. [1e-9 m^2/s]
    ion_size : float or None
        Kielland ion-size parameter of the extended Debye-Hueckel equation. [nm]
    sources : dict
        For each numeric field, the full citation of its value.
    """

    symbol: str
    name: str
    charge: int
    aliases: tuple[str, ...] = ()
    equivalent_conductivity: float | None = None
    diffusion_coefficient: float | None = None
    ion_size: float | None = None
    sources: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def limiting_molar_conductivity(self) -> float | None:
        """Limiting molar conductivity of the ion, ``|z|`` times the equivalent one. [S cm^2/mol]"""
        if self.equivalent_conductivity is None:
            return None
        return abs(self.charge) * self.equivalent_conductivity


class IonTable(Mapping[str, Ion]):
    """The ion table, a read-only mapping from symbol (or alias) to :class:`Ion`.

    Iterating yields the canonical symbols in table order; lookups accept aliases and are
    case-insensitive. An unknown name raises ``KeyError`` with the closest known names.
    """

    def __len__(self) -> int:
        return len(_table()[0])

    def __iter__(self) -> Iterator[str]:
        return iter(_table()[0])

    def __getitem__(self, name: str) -> Ion:
        by_symbol, by_key = _table()
        ion = by_symbol.get(name) if isinstance(name, str) else None
        if ion is not None:
            return ion
        if not isinstance(name, str):
            raise KeyError(f"ion names are strings such as 'K+', got {name!r}")
        ion = by_key.get(_key(name))
        if ion is None:
            raise KeyError(_unknown_message(name, by_key))
        return ion

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        by_symbol, by_key = _table()
        return name in by_symbol or _key(name) in by_key

    def resolve(self, name: str) -> str:
        """The canonical symbol of an ion name or alias; ValueError if unknown."""
        try:
            return self[name].symbol
        except KeyError as err:
            raise ValueError(err.args[0]) from None

    def symbols_by_key(self) -> Mapping[str, str]:
        """Every accepted spelling (symbol or alias, exactly as written, plus its
        case- and space-normalised form) -> canonical symbol; a fast lookup for hot paths."""
        return _spellings()

    def __repr__(self) -> str:
        return f"<IonTable of {len(self)} ions: {', '.join(list(self)[:6])}, ...>"


def _key(name: str) -> str:
    return "".join(name.split()).casefold()


def _unknown_message(name: str, by_key: Mapping[str, Ion]) -> str:
    close = difflib.get_close_matches(_key(name), list(by_key), n=4, cutoff=0.5)
    symbols = list(dict.fromkeys(by_key[c].symbol for c in close))
    hint = f"; did you mean {', '.join(repr(s) for s in symbols)}?" if symbols else ""
    return (
        f"unknown ion {name!r}{hint} Ions are named by formula with charge, e.g. 'K+', "
        "'Ca2+', 'Cl-' (`nernst ions` lists them all)"
    )


@cache
def _table() -> tuple[dict[str, Ion], dict[str, Ion]]:
    """Read ions.toml once: (symbol -> Ion, normalised symbol-or-alias -> Ion)."""
    from nernst.data import load_toml  # parsed once, snapshot beside the bytecode (issue 13)

    raw = load_toml("ions.toml")
    citations: dict[str, str] = raw.get("sources", {})
    by_symbol: dict[str, Ion] = {}
    by_key: dict[str, Ion] = {}
    for entry in raw["ion"]:
        ion = _ion_from_entry(entry, citations)
        by_symbol[ion.symbol] = ion
        for key in (ion.symbol, *ion.aliases):
            if _key(key) in by_key and by_key[_key(key)] is not ion:
                raise RuntimeError(f"ions.toml: {key!r} names two ions")
            by_key[_key(key)] = ion
    return by_symbol, by_key


def _ion_from_entry(entry: dict[str, Any], citations: Mapping[str, str]) -> Ion:
    sources = {k: citations[v] for k, v in entry.get("sources", {}).items()}
    return Ion(
        symbol=entry["symbol"],
        name=entry["name"],
        charge=int(entry["charge"]),
        aliases=tuple(entry.get("aliases", ())),
        equivalent_conductivity=entry.get("equivalent_conductivity"),
        diffusion_coefficient=entry.get("diffusion_coefficient"),
        ion_size=entry.get("ion_size"),
        sources=sources,
    )


@cache
def _spellings() -> dict[str, str]:
    by_symbol, by_key = _table()
    out = {key: ion.symbol for key, ion in by_key.items()}
    for ion in by_symbol.values():
        for spelling in (ion.symbol, *ion.aliases):
            out[spelling] = ion.symbol
    return out


@cache
def _charges() -> dict[str, int]:
    """Every spelling as written (symbol or alias) -> charge, for :func:`valence`."""
    by_symbol = _table()[0]
    return {spelling: by_symbol[symbol].charge for spelling, symbol in _spellings().items()}


#: Larger valences do not fit a float (the physics divides by z): a ValueError.
_INT_LIMIT = int(sys.float_info.max)

#: The embedded ion table.
ions = IonTable()


def valence(ion: str | int | ArrayLike) -> int | np.ndarray:
    """Valence z of an ion given by name, or validated if given as a number or array.

    Parameters
    ----------
    ion : str, int or array of int
        Ion name ("K+", "calcium") or valence.

    Returns
    -------
    z : int or ndarray
        Signed non-zero valence. [unitless]

    Raises
    ------
    ValueError
        Unknown ion name, or a valence that is zero, not an integer or not a number
        (booleans are rejected, not read as 1).

    See Also
    --------
    IonTable.resolve : the canonical symbol of a name or alias.
    nernst.equilibrium_potential : takes an ion name or a valence.

    Examples
    --------
    >>> valence("Ca2+"), valence("chloride"), valence(-2)
    (2, -1, -2)
    >>> valence([1, -1, 2])
    array([ 1., -1.,  2.])
    """
    if type(ion) is int and -(2**53) < ion < 2**53 and ion:  # literal bounds: the fast test
        return ion
    if type(ion) is str:
        charge = _charges().get(ion)
        if charge is not None:
            return charge
    if isinstance(ion, str):
        try:
            return ions[ion].charge
        except KeyError as err:
            raise ValueError(err.args[0]) from None
    import numpy as np  # lazy: `import nernst` (and `nernst --help`) must stay light

    from nernst._validate import valence_array

    if isinstance(ion, (int, np.integer)) and not isinstance(ion, bool):
        if ion == 0 or not -_INT_LIMIT <= ion <= _INT_LIMIT:
            valence_array(ion)  # raises: zero, or beyond the float range
        return int(ion)
    arr = valence_array(ion)
    return int(arr) if arr.ndim == 0 else arr
