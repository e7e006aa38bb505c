"""Recording solutions: a recipe of salts, buffers and chelators, solved for its free ions.

:class:`Solution` is the model-layer object of a pipette or bath solution. Build it from a
recipe (what is weighed out, mM of each) with :meth:`Solution.from_recipe` or from free-ion
concentrations with :meth:`Solution.from_ions`; it holds the speciation
(:func:`nernst.speciation.speciate`) and reports free and bound species, ionic strength,
osmolarity, pH, free Ca2+ and Mg2+ and the warnings a lab would want. The inverse problem,
how much CaCl2 gives a target free Ca2+, is :meth:`Solution.for_free_metal`.

Recipe keys are read in this order:

1. a buffer or chelator (``"HEPES"``, ``"EGTA"``) or one of its commercial forms
   (``"Na2-ATP"``, ``"Mg-ATP"``, ``"K2-EGTA"``, ``"Na2-phosphocreatine"``, ``"NaHCO3"``,
   ``"NaH2PO4"``; ``data/stability.toml`` lists them); a bare name is the free acid (Tris:
   the base);
2. a neutral solute (glucose, sucrose, mannitol, sorbitol, glycerol), which counts in the
   osmolarity only;
3. a fully dissociated salt or an ion, as :func:`nernst.solution_from_salts` reads it
   (``"K-gluconate"``, ``"KCl"``, ``"CaCl2"``, ``"QX-314-Br"``); the H+ or OH- of a strong
   acid or base is left to the proton balance.

Units: concentrations in mM, osmolarity in mOsm/L (ideal) and mOsm/kg (estimated), ionic
strength in mol/L, temperature in degC.
"""

from __future__ import annotations

import json
import math
import tomllib
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nernst.speciation import (
    Speciation,
    apparent_pka,
    ligands,
    osmotic_coefficient,
    speciate,
)

__all__ = [
    "OSMOLALITY_RANGE",
    "Solution",
    "SolutionWarning",
    "format_concentration",
    "needs_speciation",
]

#: The osmolality range of physiological recording solutions; outside it a warning. [mOsm/kg]
OSMOLALITY_RANGE = (270.0, 330.0)

#: Charge imbalance (fraction of the cation equivalents) above which from_ions warns.
_IMBALANCE = 1e-3

#: The pH buffers (the other ligands are chelators); a pH farther than 1 from every pKa warns.
_BUFFERS = ("HEPES", "MOPS", "MES", "Tris", "phosphate", "carbonate")

#: Metals whose binding is modelled (the stability table has their complexes).
_BINDING_METALS = ("Ca2+", "Mg2+", "Zn2+", "Sr2+", "Ba2+")


class SolutionWarning(UserWarning):
    """A recording solution outside what a lab would normally use (osmolality, pH, charge)."""


def _key(name: str) -> str:
    return "".join(ch for ch in str(name) if ch not in " -_·").casefold()


def _ligand_forms() -> dict[str, tuple[str, int, dict[str, int]]]:
    """normalised form name -> (ligand key, protons as sold, counter-ions)."""
    out: dict[str, tuple[str, int, dict[str, int]]] = {}
    for key, lig in ligands().items():
        forms = lig.forms
        for form, spec in forms.items():
            out[_key(form)] = (key, int(spec.get("protons", 0)), dict(spec.get("counter", {})))
        # a bare name is the form without counter-ions (free acid; Tris: the base), if sold so
        bare = [spec for spec in forms.values() if not spec.get("counter")]
        if bare:
            default: tuple[str, int, dict[str, int]] = (key, int(bare[0].get("protons", 0)), {})
            for name in (lig.key, lig.name, *lig.aliases):
                out.setdefault(_key(name), default)
    return out


def _bare_ligand_names() -> dict[str, str]:
    """normalised ligand name -> its forms, for ligands sold only as salts (ATP, PCr)."""
    forms = _ligand_forms()
    out = {}
    for lig in ligands().values():
        for name in (lig.key, lig.name, *lig.aliases):
            if _key(name) not in forms and lig.forms:
                out[_key(name)] = ", ".join(lig.forms)
    return out


def _neutral_solutes() -> dict[str, str]:
    from nernst.speciation import _data

    return {_key(k): k for k in _data().get("neutral", {})}


def needs_speciation(name: str) -> bool:
    """True if a recipe component is a buffer/chelator (or one of its forms) or a neutral
    solute, i.e. something :func:`nernst.solution_from_salts` cannot read.

    >>> needs_speciation("HEPES"), needs_speciation("Mg-ATP"), needs_speciation("KCl")
    (True, True, False)
    """
    k = _key(name)
    return k in _ligand_forms() or k in _neutral_solutes() or k in _bare_ligand_names()


def _titrant_ion(titrant: str) -> str:
    from nernst.ions import ions
    from nernst.junction import solution_from_salts

    if titrant in ions:
        return ions[titrant].symbol
    try:
        parts = solution_from_salts({titrant: 1.0})
    except ValueError:
        parts = {}
    left = [s for s in parts if s not in ("H+", "OH-")]
    if len(left) != 1:
        raise ValueError(
            f"titrant={titrant!r} is not a strong acid or base of one counter-ion; use e.g. "
            "'KOH', 'NaOH', 'CsOH', 'NMDG' or 'HCl'"
        )
    return left[0]


@dataclass(frozen=True)
class _Parsed:
    ligands: dict[str, float]
    metals: dict[str, float]
    spectators: dict[str, float]
    neutral: dict[str, float]


def _parse_recipe(recipe: Mapping[str, Any]) -> _Parsed:
    from nernst.ions import ions
    from nernst.junction import solution_from_salts

    if not isinstance(recipe, Mapping) or not recipe:
        raise ValueError(
            f"recipe must be a non-empty mapping of component -> concentration [mM] such as "
            f"{{'KCl': 140, 'HEPES': 10}}, got {recipe!r}"
        )
    forms, neutral_names = _ligand_forms(), _neutral_solutes()
    out = _Parsed({}, {}, {}, {})

    def add_ion(symbol: str, c: float) -> None:
        if symbol in ("H+", "OH-"):
            return  # a strong acid's H+ / a strong base's OH- joins the proton balance
        target = out.metals if symbol in _BINDING_METALS else out.spectators
        target[symbol] = target.get(symbol, 0.0) + c

    for name, value in recipe.items():
        try:
            c = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"recipe[{name!r}]={value!r} is not a number [mM]") from None
        if not (math.isfinite(c) and c >= 0):
            raise ValueError(
                f"recipe[{name!r}]={c:g}: a concentration must be zero or positive and finite [mM]"
            )
        k = _key(name)
        if k in forms:
            lig, protons, counter = forms[k]
            # the protons as sold enter through the charge balance: a form of charge
            # z_L + protons + counter-ions = 0 adds only its counter-ions as strong ions
            out.ligands[lig] = out.ligands.get(lig, 0.0) + c
            for ion, n in counter.items():
                add_ion(ions[ion].symbol, n * c)
            z = (
                ligands()[lig].charge
                + protons
                + sum(n * ions[i].charge for i, n in counter.items())
            )
            if z != 0:  # pragma: no cover - the data test checks every form
                raise RuntimeError(f"stability.toml: form {name!r} is not neutral")
        elif k in (bare := _bare_ligand_names()):
            raise ValueError(
                f"recipe[{name!r}]: give the form that was weighed out, one of: {bare[k]}"
            )
        elif k in neutral_names:
            key = neutral_names[k]
            out.neutral[key] = out.neutral.get(key, 0.0) + c
        else:
            for symbol, amount in solution_from_salts({name: c}).items():
                add_ion(symbol, amount)
    return out


@dataclass(frozen=True)
class Solution:
    """A recording solution with its equilibrium speciation.

    Build it with :meth:`from_recipe` or :meth:`from_ions` rather than directly.

    Attributes
    ----------
    name : str
        Label.
    recipe : dict
        Component -> mM as given (empty for :meth:`from_ions`).
    speciation : Speciation
        Free concentration of every species, pH, ionic strength, titrant.
    ph_set : float or None
        The pH the recipe was titrated to (None: pH from the charge balance).
    titrant : str or None
        Titrant name ("KOH").
    pco2 : float or None
        CO2 partial pressure. [atm]
    neutral : dict
        Neutral solutes (glucose, ...). [mM]
    activity_model : str
        "davies" or "ideal".
    """

    name: str
    recipe: dict[str, float]
    speciation: Speciation
    ph_set: float | None = None
    titrant: str | None = None
    pco2: float | None = None
    neutral: dict[str, float] = field(default_factory=dict)
    activity_model: str = "davies"
    _parsed: _Parsed | None = field(default=None, repr=False, compare=False)

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_recipe(
        cls,
        recipe: Mapping[str, float],
        /,
        *,
        ph: float | None = None,
        titrant: str | None = None,
        celsius: float = 25.0,
        pco2: float | None = None,
        activity_model: str = "davies",
        name: str = "",
    ) -> Solution:
        """A solution from what is dissolved, titrated to ``ph`` with ``titrant``.

        Parameters
        ----------
        recipe : mapping
            Component -> concentration (see the module docstring for the names read). [mM]
        ph : float, optional
            pH the solution is titrated to at ``celsius`` (activity scale, as a pH meter
            reads). Without it the pH follows from the recipe.
        titrant : str, optional
            Strong base or acid used to titrate ("KOH", "NaOH", "CsOH", "NMDG", "HCl");
            required with ``ph``. Its counter-ion is added to the solution.
        celsius : float, default 25.0
            Temperature at which the pH is set and the speciation solved, 0-60. [degC]
        pco2 : float, optional
            CO2 partial pressure the solution is equilibrated with (0.05 for 5% CO2). [atm]
        activity_model : {"davies", "ideal"}, default "davies"
        name : str, optional

        Returns
        -------
        Solution

        Raises
        ------
        ValueError
            An unknown component, a negative or non-finite amount, ``ph`` without
            ``titrant``, a titrant of the wrong kind (acid where a base is needed: the
            message says which), a bad temperature.

        Examples
        --------
        >>> s = Solution.from_recipe({"KCl": 140, "HEPES": 10, "EGTA": 1}, ph=7.2,
        ...                          titrant="KOH", celsius=22)
        >>> round(s.titrant_added, 2), round(s.ionic_strength, 4)
        (5.45, 0.1465)
        """
        parsed = _parse_recipe(recipe)
        if ph is not None and titrant is None:
            raise ValueError(
                "ph is set, so titrant must be named too (e.g. titrant='KOH' or 'HCl')"
            )
        ion = _titrant_ion(titrant) if titrant is not None else None
        sp = speciate(
            ligands_total=parsed.ligands,
            metals_total=parsed.metals,
            spectators=parsed.spectators,
            ph=ph,
            titrant_ion=ion if ph is not None else None,
            pco2=pco2,
            celsius=celsius,
            activity_model=activity_model,
        )
        return cls(
            name=name,
            recipe={str(k): float(v) for k, v in recipe.items()},
            speciation=sp,
            ph_set=None if ph is None else float(ph),
            titrant=titrant,
            pco2=pco2,
            neutral=dict(parsed.neutral),
            activity_model=activity_model,
            _parsed=parsed,
        )

    @classmethod
    def from_ions(
        cls,
        free_ions: Mapping[str, float],
        /,
        *,
        celsius: float = 25.0,
        neutral: Mapping[str, float] | None = None,
        name: str = "",
    ) -> Solution:
        """A solution given by its free-ion concentrations (no equilibria solved).

        Parameters
        ----------
        free_ions : mapping
            Ion (name or alias) -> free concentration. [mM]
        celsius : float, default 25.0
            [degC]
        neutral : mapping, optional
            Neutral solutes -> mM (osmolarity only).
        name : str, optional

        Returns
        -------
        Solution
            pH is 7 (unknown; H+ and OH- are not part of the given ions).

        Raises
        ------
        ValueError
            An unknown ion, a negative or non-finite concentration.

        Examples
        --------
        >>> s = Solution.from_ions({"Na+": 150, "Cl-": 150})
        >>> round(s.osmolarity, 1), round(s.osmolality, 1)
        (300.0, 277.9)
        """
        from nernst.ions import ions

        species: dict[str, float] = {}
        charges: dict[str, int] = {}
        for k, v in free_ions.items():
            try:
                sym = ions[k].symbol
            except KeyError as err:
                raise ValueError(f"free_ions: {err.args[0]}") from None
            c = float(v)
            if not (math.isfinite(c) and c >= 0):
                raise ValueError(
                    f"free_ions[{k!r}]={v!r}: a concentration must be zero or positive and "
                    "finite [mM]"
                )
            species[sym] = species.get(sym, 0.0) + c
            charges[sym] = ions[sym].charge
        I = 0.5e-3 * math.fsum(c * charges[s] ** 2 for s, c in species.items())
        sp = Speciation(
            species=species,
            charges=charges,
            ph=7.0,
            ionic_strength=I,
            celsius=float(celsius),
            titrant=0.0,
            free_metal={m: species[m] for m in _BINDING_METALS if m in species},
            total_metal={m: species[m] for m in _BINDING_METALS if m in species},
            bound={},
        )
        return cls(name=name, recipe={}, speciation=sp, neutral=dict(neutral or {}))

    @classmethod
    def for_free_metal(
        cls,
        recipe: Mapping[str, float],
        /,
        target: float,
        *,
        metal: str = "Ca2+",
        salt: str | None = None,
        ph: float | None = None,
        titrant: str | None = None,
        celsius: float = 25.0,
        pco2: float | None = None,
        activity_model: str = "davies",
        name: str = "",
    ) -> Solution:
        """The recipe with the amount of ``salt`` that gives a free ``metal`` of ``target``.

        Solves the whole speciation (pH titration included) for each trial amount and finds
        the amount with ``scipy.optimize.brentq``: the free metal rises monotonically with
        the total, between 0 and ``target`` plus the binding capacity of the ligands.

        Parameters
        ----------
        recipe : mapping
            As :meth:`from_recipe`, without the salt (an amount given for it is replaced). [mM]
        target : float
            Free metal concentration wanted. [mM] (100 nM = 1e-4 mM)
        metal : {"Ca2+", "Mg2+", "Zn2+", "Sr2+", "Ba2+"}, default "Ca2+"
            A metal with binding constants in the stability table (Zn2+: EDTA and EGTA;
            Sr2+, Ba2+: EDTA).
        salt : str, optional
            The salt added, default its chloride ("CaCl2", "MgCl2", "ZnCl2", ...).
        ph, titrant, celsius, pco2, activity_model, name
            As :meth:`from_recipe`.

        Returns
        -------
        Solution
            ``recipe[salt]`` holds the amount found [mM].

        Raises
        ------
        ValueError
            A target that is not positive, a metal without binding constants, a salt that
            does not contain the metal, and the errors of :meth:`from_recipe`.

        References
        ----------
        .. [1] Bers D.M., Patton C.W., Nuccitelli R. (2010) Methods Cell Biol. 99:1-26,
           doi:10.1016/B978-0-12-374841-6.00001-3 (the calculation MaxChelator performs).

        Examples
        --------
        >>> s = Solution.for_free_metal({"KCl": 140, "HEPES": 10, "EGTA": 10}, 1e-4,
        ...                             ph=7.2, titrant="KOH", celsius=22)
        >>> round(s.recipe["CaCl2"], 2), round(s.free_ca * 1e6, 1)
        (3.62, 100.0)
        """
        from scipy.optimize import brentq

        from nernst.ions import ions
        from nernst.junction import solution_from_salts

        try:
            sym = ions[metal].symbol
        except KeyError:
            raise ValueError(f"metal={metal!r} is not an ion of the table") from None
        if sym not in _BINDING_METALS:
            raise ValueError(
                f"metal={metal!r}: binding constants are tabulated for {', '.join(_BINDING_METALS)}"
            )
        t = float(target)
        if not (math.isfinite(t) and t > 0):
            raise ValueError(
                f"target={target!r} must be a positive free concentration [mM] (100 nM = 1e-4)"
            )
        salt = salt or f"{sym[:-2]}Cl2"
        per = solution_from_salts({salt: 1.0}).get(sym, 0.0)
        if per <= 0:
            raise ValueError(f"salt={salt!r} contains no {sym}")
        base = {k: v for k, v in recipe.items() if _key(k) != _key(salt)}
        capacity = sum(_parse_recipe(base).ligands.values()) if base else 0.0

        def make(amount: float) -> Solution:
            r = dict(base)
            r[salt] = amount
            return cls.from_recipe(
                r,
                ph=ph,
                titrant=titrant,
                celsius=celsius,
                pco2=pco2,
                activity_model=activity_model,
                name=name,
            )

        def excess(amount: float) -> float:
            return math.log(max(make(amount).speciation.free_metal.get(sym, 0.0), 1e-300) / t)

        already = make(0.0).speciation.total_metal.get(sym, 0.0)
        hi = (t + capacity * 1.01 + 1e-9) / per
        if excess(hi) < 0:
            raise ValueError(
                f"target={t:g} mM of free {sym} cannot be reached (the recipe already holds "
                f"{already:g} mM bound elsewhere?)"
            )
        lo = 0.0
        if math.isfinite(excess(1e-15)) and excess(1e-15) > 0:
            raise ValueError(
                f"target={t:g} mM: the recipe without {salt} already has more free {sym} "
                f"({make(0.0).speciation.free_metal.get(sym, 0.0):.4g} mM) than the target"
            )
        amount = brentq(excess, lo + 1e-15, hi, xtol=1e-14, rtol=1e-12, maxiter=200)
        return make(float(amount))

    # -- quantities -------------------------------------------------------------------------
    @property
    def celsius(self) -> float:
        """Temperature of the speciation. [degC]"""
        return self.speciation.celsius

    @property
    def ph(self) -> float:
        """pH (set, or from the charge balance)."""
        return self.speciation.ph

    @property
    def ionic_strength(self) -> float:
        """Ionic strength of all species. [mol/L]"""
        return self.speciation.ionic_strength

    @property
    def titrant_added(self) -> float:
        """Titrant needed to reach the set pH. [mM]"""
        return self.speciation.titrant

    @property
    def free_ca(self) -> float:
        """Free Ca2+. [mM]"""
        return self.speciation.species.get("Ca2+", 0.0)

    @property
    def free_mg(self) -> float:
        """Free Mg2+. [mM]"""
        return self.speciation.species.get("Mg2+", 0.0)

    @property
    def ions(self) -> dict[str, float]:
        """Every charged species (free ions, H+ and OH-, charged complexes) -> mM."""
        sp = self.speciation
        return {s: c for s, c in sp.species.items() if sp.charges[s] != 0 and c > 0}

    @property
    def charge_balance(self) -> float:
        """sum z c over all species (0 for a solved recipe). [mEq/L]"""
        return self.speciation.net_charge

    @property
    def osmolarity(self) -> float:
        """Ideal osmolarity: every dissolved particle counted once. [mOsm/L]"""
        return math.fsum(self.speciation.species.values()) + math.fsum(self.neutral.values())

    @property
    def osmotic_coefficient(self) -> float:
        """Osmotic coefficient applied to the ions (see :attr:`osmolality`). [unitless]"""
        I = min(self.ionic_strength, 6.0)
        na = self.speciation.species.get("Na+", 0.0)
        k = sum(self.speciation.species.get(s, 0.0) for s in ("K+", "Cs+"))
        salt = "KCl" if k > na else "NaCl"
        return osmotic_coefficient(salt, I, celsius=self.celsius)

    @property
    def osmolality(self) -> float:
        """Estimated osmolality. [mOsm/kg]

        The ions count with the osmotic coefficient of NaCl (KCl when K+ and Cs+ exceed
        Na+) at a molality equal to the solution's ionic strength (Pitzer equations,
        :func:`nernst.speciation.osmotic_coefficient`), neutral species with 1. For the
        single salts this is exact to the Pitzer fit; for mixtures it is an estimate (a
        few mOsm; measure with an osmometer).
        """
        sp = self.speciation
        ionic = math.fsum(c for s, c in sp.species.items() if sp.charges[s] != 0)
        neutral = math.fsum(c for s, c in sp.species.items() if sp.charges[s] == 0)
        return self.osmotic_coefficient * ionic + neutral + math.fsum(self.neutral.values())

    def _pka(self, key: str, step: int) -> float:
        return apparent_pka(
            key,
            celsius=self.celsius,
            ionic_strength=self.ionic_strength,
            step=step,
            activity_model=self.activity_model,
        )

    def warnings(self) -> list[str]:
        """What a lab would want to know: osmolality, buffering, charge balance, constants."""
        out: list[str] = []
        lo, hi = OSMOLALITY_RANGE
        if not lo <= self.osmolality <= hi:
            out.append(
                f"osmolality {self.osmolality:.0f} mOsm/kg is outside {lo:.0f}-{hi:.0f} "
                "mOsm/kg (adjust with sucrose/mannitol or the main salt)"
            )
        present = [k for k in _BUFFERS if self._parsed and self._parsed.ligands.get(k, 0) > 0]
        if self.pco2 is not None and "carbonate" in present:
            present.remove("carbonate")  # open to CO2: buffers at any pH the gas sets
        for key in present:
            lig = ligands()[key]
            pkas = [
                apparent_pka(
                    key,
                    celsius=self.celsius,
                    ionic_strength=self.ionic_strength,
                    step=n,
                    activity_model=self.activity_model,
                )
                for n in range(1, len(lig.log_k) + 1)
            ]
            if min(abs(self.ph - p) for p in pkas) > 1:
                near = min(pkas, key=lambda p: abs(self.ph - p))
                out.append(
                    f"pH {self.ph:.2f} is more than 1 unit from the pKa of {lig.name} "
                    f"({near:.2f} at {self.celsius:g} degC): it buffers poorly here"
                )
        plus = math.fsum(
            c * z
            for s, c in self.speciation.species.items()
            if (z := self.speciation.charges[s]) > 0
        )
        if plus > 0 and abs(self.charge_balance) > _IMBALANCE * plus:
            out.append(
                f"charge imbalance {self.charge_balance:+.3g} mEq/L: counter-ions are missing"
            )
        if self.speciation.no_enthalpy:
            out.append(
                "no published reaction enthalpy for: "
                + ", ".join(self.speciation.no_enthalpy)
                + f"; these constants are used unchanged at {self.celsius:g} degC"
            )
        used = [k for k, c in (self._parsed.ligands if self._parsed else {}).items() if c > 0]
        unchecked = [ligands()[k].name for k in used if not ligands()[k].verified]
        if unchecked:
            out.append(
                "stability constants not verified against a readable source: "
                + ", ".join(unchecked)
                + " (see nernst/data/stability.toml, 'checked')"
            )
        return out

    def at(self, *, celsius: float) -> Solution:
        """The same solution (same totals, titrant included) re-equilibrated at ``celsius``.

        The pH is no longer held: it follows from the charge balance (e.g. a HEPES buffer
        set to 7.30 at 22 degC reads about 7.18 at 32 degC... see the docs).
        """
        if self._parsed is None:
            sp = self.speciation
            return Solution(
                name=self.name,
                recipe={},
                neutral=dict(self.neutral),
                speciation=Speciation(
                    species=dict(sp.species),
                    charges=dict(sp.charges),
                    ph=sp.ph,
                    ionic_strength=sp.ionic_strength,
                    celsius=float(celsius),
                    titrant=0.0,
                    free_metal=dict(sp.free_metal),
                    total_metal=dict(sp.total_metal),
                    bound={},
                ),
            )
        spect = dict(self._parsed.spectators)
        if self.titrant is not None and self.titrant_added > 0:
            ion = _titrant_ion(self.titrant)
            spect[ion] = spect.get(ion, 0.0) + self.titrant_added
        sp = speciate(
            ligands_total=self._parsed.ligands,
            metals_total=self._parsed.metals,
            spectators=spect,
            pco2=self.pco2,
            celsius=celsius,
            activity_model=self.activity_model,
        )
        return Solution(
            name=self.name,
            recipe=dict(self.recipe),
            speciation=sp,
            ph_set=None,
            titrant=self.titrant,
            pco2=self.pco2,
            neutral=dict(self.neutral),
            activity_model=self.activity_model,
            _parsed=_Parsed(
                dict(self._parsed.ligands),
                dict(self._parsed.metals),
                spect,
                dict(self._parsed.neutral),
            ),
        )

    # -- TOML -------------------------------------------------------------------------------
    def to_toml(self) -> str:
        """The recipe as TOML text (:meth:`from_toml` reads it back)."""
        if not self.recipe:
            lines = [
                "[solution]",
                f"name = {json.dumps(self.name)}",
                f"celsius = {self.celsius!r}",
                "",
                "[solution.ions]",
            ]
            lines += [f"{json.dumps(s)} = {c!r}" for s, c in self.speciation.species.items()]
            return "\n".join(lines) + "\n"
        lines = ["[solution]", f"name = {json.dumps(self.name)}", f"celsius = {self.celsius!r}"]
        if self.ph_set is not None:
            lines.append(f"ph = {self.ph_set!r}")
        if self.titrant is not None:
            lines.append(f"titrant = {json.dumps(self.titrant)}")
        if self.pco2 is not None:
            lines.append(f"pco2 = {self.pco2!r}")
        if self.activity_model != "davies":
            lines.append(f"activity_model = {json.dumps(self.activity_model)}")
        lines += ["", "[solution.recipe]"]
        lines += [f"{json.dumps(k)} = {v!r}" for k, v in self.recipe.items()]
        return "\n".join(lines) + "\n"

    @classmethod
    def from_toml(cls, source: str | Path, /) -> Solution:
        """A solution from TOML text or a ``.toml`` file (the format of :meth:`to_toml`).

        ``[solution]`` holds ``name``, ``celsius``, ``ph``, ``titrant``, ``pco2``,
        ``activity_model`` and either a ``[solution.recipe]`` or a ``[solution.ions]`` table
        (mM).

        Raises
        ------
        ValueError
            Not valid TOML, no ``[solution]`` table, neither recipe nor ions, unknown keys.
        """
        text = str(source)
        path = Path(text) if not isinstance(source, Path) else source
        if isinstance(source, Path) or (
            len(text) < 4096 and "\n" not in text and path.suffix == ".toml"
        ):
            text = path.read_text(encoding="utf-8")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise ValueError(f"not a valid solution TOML file: {err}") from None
        sol = data.get("solution")
        if not isinstance(sol, dict):
            raise ValueError("a solution TOML file needs a [solution] table")
        known = {"name", "celsius", "ph", "titrant", "pco2", "activity_model", "recipe", "ions"}
        unknown = set(sol) - known
        if unknown:
            raise ValueError(
                f"unknown keys in [solution]: {', '.join(sorted(unknown))}; "
                f"known: {', '.join(sorted(known))}"
            )
        if "recipe" in sol:
            return cls.from_recipe(
                sol["recipe"],
                ph=sol.get("ph"),
                titrant=sol.get("titrant"),
                celsius=sol.get("celsius", 25.0),
                pco2=sol.get("pco2"),
                activity_model=sol.get("activity_model", "davies"),
                name=sol.get("name", ""),
            )
        if "ions" in sol:
            return cls.from_ions(
                sol["ions"], celsius=sol.get("celsius", 25.0), name=sol.get("name", "")
            )
        raise ValueError("[solution] needs a [solution.recipe] or a [solution.ions] table")

    # -- report -----------------------------------------------------------------------------
    def rows(self) -> list[dict[str, Any]]:
        """One row per species: species, charge, mM, and the ligand it belongs to."""
        owner = {s: lig for lig, parts in self.speciation.bound.items() for s in parts}
        return [
            {
                "species": s,
                "charge": self.speciation.charges[s],
                "mM": c,
                "ligand": owner.get(s, ""),
            }
            for s, c in self.speciation.species.items()
        ]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary of the report."""
        return {
            "name": self.name,
            "recipe_mM": dict(self.recipe),
            "celsius": self.celsius,
            "ph": self.ph,
            "ph_set": self.ph_set,
            "titrant": self.titrant,
            "titrant_mM": self.titrant_added,
            "pco2_atm": self.pco2,
            "activity_model": self.activity_model,
            "ionic_strength_M": self.ionic_strength,
            "osmolarity_mOsm_per_L": self.osmolarity,
            "osmolality_mOsm_per_kg": self.osmolality,
            "osmotic_coefficient": self.osmotic_coefficient,
            "charge_balance_mEq_per_L": self.charge_balance,
            "free_ca_mM": self.free_ca,
            "free_mg_mM": self.free_mg,
            "species_mM": dict(self.speciation.species),
            "bound_mM": {k: dict(v) for k, v in self.speciation.bound.items()},
            "neutral_mM": dict(self.neutral),
            "warnings": self.warnings(),
            "units": {
                "concentration": "mM",
                "temperature": "degC",
                "ionic_strength": "mol/L",
                "osmolarity": "mOsm/L",
                "osmolality": "mOsm/kg",
            },
        }

    def to_json(self, **kwargs: Any) -> str:
        """The report as JSON text (keyword arguments go to :func:`json.dumps`)."""
        kwargs.setdefault("indent", 2)
        return json.dumps(self.to_dict(), **kwargs)

    def to_dataframe(self) -> Any:
        """The species table as a pandas DataFrame indexed by species (needs pandas)."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError("to_dataframe needs pandas: pip install 'nernst[frame]'") from None
        return pd.DataFrame(self.rows()).set_index("species")

    def summary_lines(self) -> list[str]:
        """The headline numbers, one per line."""
        lines = [
            f"pH {self.ph:.3f} at {self.celsius:g} degC"
            + (
                f" (titrated with {self.titrant_added:.3f} mM {self.titrant})"
                if self.titrant and self.titrant_added
                else ""
            ),
            f"free Ca2+ {_conc(self.free_ca)}, free Mg2+ {_conc(self.free_mg)}",
            f"ionic strength {self.ionic_strength * 1e3:.2f} mM",
            f"osmolarity {self.osmolarity:.1f} mOsm/L (ideal); osmolality ~{self.osmolality:.0f} "
            f"mOsm/kg (osmotic coefficient {self.osmotic_coefficient:.3f})",
            f"charge balance {self.charge_balance:+.2g} mEq/L",
        ]
        return lines + [f"warning: {w}" for w in self.warnings()]

    def explain(self) -> list[str]:
        """The calculation step by step, as plain-text lines."""
        out = [
            f"Solution {self.name or ''}".rstrip()
            + f" at {self.celsius:g} degC ({self.activity_model} activities)"
        ]
        if self.recipe:
            out.append("Recipe [mM]: " + ", ".join(f"{k} {v:g}" for k, v in self.recipe.items()))
        p = self._parsed
        if p is not None:
            out.append(
                "  strong ions: " + ", ".join(f"{k} {v:.4g}" for k, v in p.spectators.items())
            )
            if p.metals:
                out.append(
                    "  binding metals (total): "
                    + ", ".join(f"{k} {v:.4g}" for k, v in p.metals.items())
                )
            for key, tot in p.ligands.items():
                lig = ligands()[key]
                pkas = ", ".join(f"{self._pka(key, n):.3f}" for n in range(1, len(lig.log_k) + 1))
                out.append(
                    f"  {lig.name} {tot:g} mM: apparent pKa {pkas} "
                    f"(source: {lig.source.split(';')[0]})"
                )
        out.append(
            "Equilibria: protonation and metal binding, van 't Hoff to the temperature, Davies "
            "activities at the solution's ionic strength (nernst.speciation)"
        )
        if self.ph_set is not None:
            out.append(
                f"  pH held at {self.ph_set:g}: the charge balance needs "
                f"{self.titrant_added:.4f} mM "
                f"{self.titrant}"
            )
        else:
            out.append(f"  pH from the charge balance: {self.ph:.4f}")
        out.append("Species [mM]:")
        out += [f"  {r['species']:<14}{r['charge']:>+3d}  {r['mM']:.6g}" for r in self.rows()]
        return out + self.summary_lines()

    def __str__(self) -> str:
        return "\n".join(self.explain())

    def __rich__(self) -> Any:
        """A Rich table of the species (free > 1e-9 mM) with the summary lines under it."""
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        table = Table(
            title=f"{self.name or 'Solution'}, {self.celsius:g} degC (mM)",
            title_justify="left",
        )
        for column in ("species", "z", "free (mM)", "ligand"):
            table.add_column(column, justify="right" if column in ("z", "free (mM)") else "left")
        for row in self.rows():
            if row["mM"] < 1e-9 and row["species"] not in ("Ca2+", "Mg2+"):
                continue
            table.add_row(row["species"], f"{row['charge']:+d}", f"{row['mM']:.5g}", row["ligand"])
        return Group(table, *(Text(line) for line in self.summary_lines()))

    def _repr_html_(self) -> str:
        from html import escape

        rows = "".join(
            f"<tr><td>{escape(r['species'])}</td><td>{r['charge']:+d}</td><td>{r['mM']:.5g}</td>"
            f"<td>{escape(r['ligand'])}</td></tr>"
            for r in self.rows()
        )
        notes = "".join(f"<p>{escape(line)}</p>" for line in self.summary_lines())
        return (
            f"<div><strong>{escape(self.name or 'Solution')}</strong> ({self.celsius:g} &deg;C)"
            "<table><thead><tr><th>species</th><th>z</th><th>mM</th><th>ligand</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>{notes}</div>"
        )


def format_concentration(c_mM: float) -> str:
    """A concentration in mM as text in nM, uM or mM.

    >>> format_concentration(1e-4), format_concentration(0.5), format_concentration(140)
    ('100 nM', '500 uM', '140 mM')
    """
    return _conc(c_mM)


def _conc(c_mM: float) -> str:
    if c_mM == 0:
        return "0"
    if c_mM < 1e-3:
        return f"{c_mM * 1e6:.4g} nM"
    if c_mM < 1:
        return f"{c_mM * 1e3:.4g} uM"
    return f"{c_mM:.4g} mM"


def _warn(solution: Solution) -> None:
    for w in solution.warnings():
        warnings.warn(w, SolutionWarning, stacklevel=3)
