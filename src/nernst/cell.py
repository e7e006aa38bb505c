"""The Cell model: two compartments, permeabilities, temperature, and its report.

A :class:`Cell` holds named ion concentrations inside and outside (mM), relative or absolute
permeabilities of the permeant ions, the temperature, and optionally a measured membrane
potential. It computes nothing itself: every number comes from the physics modules.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from nernst._deprecate import warn_deprecated
from nernst.activity import ACTIVITY_MODELS, activity_coefficient, activity_model, ionic_strength
from nernst.constants import BODY_TEMPERATURE_C, kelvin
from nernst.energetics import (
    ACTIVE_TRANSPORT_TOLERANCE_MV,
    driving_force,
    flux_direction,
    pumping_work,
    stored_energy,
    transport_verdict,
)
from nernst.ghk import ghk_voltage
from nernst.ions import ions
from nernst.nernst import equilibrium_potential
from nernst.results import ResultMixin
from nernst.units import accepts_quantities

__all__ = ["Cell", "CellReport", "IonReport", "presets"]


#: Keys of a cell definition (a TOML cell file, :meth:`Cell.from_dict`).
CELL_KEYS = (
    "inside",
    "outside",
    "permeability",
    "celsius",
    "v_measured_mV",
    "title",
    "description",
    "sources",
    "name",
    "activity",
    "gamma_in",
    "gamma_out",
)


@accepts_quantities
class Cell:
    """A cell: inside and outside solutions, membrane permeabilities and temperature.

    Parameters
    ----------
    c_in, c_out : mapping of str to float
        Concentrations inside and outside by ion name, each ion on both sides. [mM]
    permeability : mapping of str to float, optional
        Permeabilities of the permeant ions, absolute [cm/s] or relative (only ratios enter
        the GHK resting potential). Ions not listed are impermeant.
    celsius : float, default 37.0
        Temperature. [degC]
    v_m : float, optional
        Measured resting potential V_in - V_out. When given, the report's driving forces and
        verdicts use it (cells whose potential is set by pumps: plants, bacteria,
        mitochondria); the GHK prediction is still reported. [mV]
    activity : str, optional
        Activity-coefficient model ("davies", "extended-debye-huckel", "truesdell-jones",
        "debye-huckel", "ideal"; see :mod:`nernst.activity`; None or "none": no model).
        Each compartment's ionic strength, from every ion listed in it (impermeant ones
        included), gives each ion's gamma there; equilibrium and GHK potentials then use
        activities gamma * c, and the report shows the concentration-based and
        activity-based values side by side.
    gamma_in, gamma_out : mapping of str to float, optional
        Fixed activity coefficients by ion, inside and outside; they take precedence over
        ``activity`` for the ions they name (ions not named get the model's gamma, or 1
        without a model). [unitless]
    name, title, description : str, optional
        Identification for reports.
    sources : mapping of str to str, optional
        Citations of the values.

    Raises
    ------
    ValueError
        Unknown ion, an ion on one side only, a non-positive or non-finite concentration, a
        negative permeability, a permeant ion without concentrations, a bad temperature; an
        unknown activity model, an ion the model has no parameters for, a temperature
        outside 0-100 degC with a model, a fixed gamma that is not positive or names an ion
        the cell does not have.

    See Also
    --------
    Cell.report : the per-ion table (a :class:`CellReport`, with ``explain()``).
    nernst.ghk_voltage : the resting potential.
    nernst.simulate : the cell's time course.

    Notes
    -----
    Every argument is keyword-only. Deprecated in nernst 0.2 (warn, removed in 0.3): the
    positional form ``Cell(inside, outside, permeability, celsius)``, the keywords
    ``inside=``/``outside=`` and the attributes ``.inside``/``.outside`` (now ``c_in``/``c_out``).
    Cell files keep their ``[inside]`` and ``[outside]`` TOML tables (a file format).

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14.
    .. [2] Hodgkin A.L., Katz B. (1949) J. Physiol. 108:37-77.
       https://doi.org/10.1113/jphysiol.1949.sp004310

    Examples
    --------
    >>> cell = Cell(c_in={"K+": 140, "Na+": 10}, c_out={"K+": 5, "Na+": 145},
    ...             permeability={"K+": 1, "Na+": 0.04})
    >>> round(cell.resting_potential(), 1)
    -68.6

    The seed chapter's activity correction, gamma_in 0.75 and gamma_out 0.96 for K+ at 37 degC:

    >>> k = Cell(c_in={"K+": 140}, c_out={"K+": 5}, permeability={"K+": 1},
    ...          gamma_in={"K+": 0.75}, gamma_out={"K+": 0.96})
    >>> row = k.report().ions[0]
    >>> round(row.E, 2), round(row.E_activity, 2), round(row.E_activity_shift, 2)
    (-89.06, -82.46, 6.6)
    """

    def __init__(
        self,
        *args: Any,
        c_in: Mapping[str, float] | None = None,
        c_out: Mapping[str, float] | None = None,
        permeability: Mapping[str, float] | None = None,
        celsius: float = BODY_TEMPERATURE_C,
        v_m: float | None = None,
        activity: str | None = None,
        gamma_in: Mapping[str, float] | None = None,
        gamma_out: Mapping[str, float] | None = None,
        name: str | None = None,
        title: str | None = None,
        description: str | None = None,
        sources: Mapping[str, str] | None = None,
        **deprecated: Any,
    ) -> None:
        # Error messages name the concentrations as the caller did: c_in/c_out, the
        # deprecated inside=/outside= keywords, or a cell file's [inside]/[outside] tables.
        label_in, label_out = deprecated.pop("_labels", ("c_in", "c_out"))
        if args or deprecated:
            if "inside" in deprecated or "outside" in deprecated:
                label_in, label_out = "inside", "outside"
            c_in, c_out, permeability, celsius = _old_spellings(
                args, deprecated, c_in, c_out, permeability, celsius
            )
        if c_in is None or c_out is None:
            raise TypeError(
                "Cell() needs c_in= and c_out=, mappings of ion name -> concentration (mM), "
                "e.g. Cell(c_in={'K+': 140}, c_out={'K+': 5})"
            )
        self.c_in = _concentrations(c_in, label_in)
        self.c_out = _concentrations(c_out, label_out)
        only_in = set(self.c_in) - set(self.c_out)
        only_out = set(self.c_out) - set(self.c_in)
        if only_in or only_out:
            ion, side, other = (
                (sorted(only_in)[0], f"inside ({label_in})", f"outside ({label_out})")
                if only_in
                else (sorted(only_out)[0], f"outside ({label_out})", f"inside ({label_in})")
            )
            raise ValueError(
                f"{ion} has a concentration {side} but none {other}: give every ion on both sides"
            )
        self.permeability = _permeabilities(permeability or {}, self.c_in)
        kelvin(celsius)
        self.celsius = float(celsius)
        if v_m is not None and not math.isfinite(v_m):
            raise ValueError(f"v_m={v_m!r} must be a finite membrane potential [mV]")
        self.v_m = None if v_m is None else float(v_m)
        self.name = name
        self.title = title or name or "cell"
        self.description = description
        self.sources = dict(sources or {})
        if isinstance(activity, str) and activity.strip().lower() == "none":
            activity = None
        self.activity = None if activity is None else activity_model(activity)
        self.gamma_in = _fixed_gammas(gamma_in, "gamma_in", self.c_in)
        self.gamma_out = _fixed_gammas(gamma_out, "gamma_out", self.c_out)
        if self.has_activity:
            self.activity_coefficients()  # errors (missing ion parameters, temperature) now

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def preset(cls, name: str | None = None) -> Cell:
        """A preset cell from the embedded database (``nernst.presets()`` lists them).

        Parameters
        ----------
        name : str, optional
            Preset key, e.g. "squid-axon"; the default preset (mammalian-neuron) if omitted.

        See Also
        --------
        presets : the keys, titles and sources.
        from_toml : a cell from your own file.

        Examples
        --------
        >>> Cell.preset("squid-axon").c_in["K+"]
        400.0
        """
        data = _cells_toml()
        key = data["default"] if name is None else name.strip().lower()
        cells = data["cell"]
        if key not in cells:
            raise ValueError(
                f"unknown preset {name!r}; the presets are: {', '.join(cells)} "
                "(or give a path to a .toml file)"
            )
        return cls.from_dict(cells[key], name=key)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, name: str | None = None) -> Cell:
        """A cell from a mapping with ``inside``, ``outside`` and optional ``permeability``,
        ``celsius``, ``v_measured_mV``, ``activity`` (a model name), ``gamma_in`` and
        ``gamma_out`` (tables of fixed activity coefficients), ``title``, ``description`` and
        ``sources``.

        The ``inside``/``outside`` keys are the file format's names (the TOML tables); in
        Python they are ``c_in``/``c_out``.

        See Also
        --------
        from_toml, to_dict

        Examples
        --------
        >>> cell = Cell.from_dict({"inside": {"K+": 140}, "outside": {"K+": 5},
        ...                        "permeability": {"K+": 1}})
        >>> round(cell.resting_potential(), 2)
        -89.06
        """
        for section in ("inside", "outside"):
            if section not in data:
                raise ValueError(f"cell definition has no [{section}] table of concentrations (mM)")
            if not isinstance(data[section], Mapping):
                raise ValueError(f"[{section}] must be a table of ion = concentration (mM)")
        known = set(CELL_KEYS)
        unknown = set(data) - known
        if unknown:
            raise ValueError(
                f"unknown key(s) {', '.join(sorted(unknown))} in cell definition; "
                f"valid keys are {', '.join(sorted(known))}"
            )
        sources = data.get("sources", {})
        return cls(
            c_in=data["inside"],
            c_out=data["outside"],
            permeability=data.get("permeability"),
            celsius=data.get("celsius", BODY_TEMPERATURE_C),
            v_m=data.get("v_measured_mV"),
            activity=data.get("activity"),
            gamma_in=data.get("gamma_in"),
            gamma_out=data.get("gamma_out"),
            name=name or data.get("name"),
            title=data.get("title"),
            description=data.get("description"),
            sources=sources if isinstance(sources, Mapping) else {"source": str(sources)},
            _labels=("inside", "outside"),
        )

    @classmethod
    def from_toml(cls, path: str | Path) -> Cell:
        r"""A cell from a TOML file with ``[inside]``, ``[outside]``, ``[permeability]`` tables
        (and optional ``celsius``, ``v_measured_mV``, ``activity = "davies"``, ``[gamma_in]``,
        ``[gamma_out]``, ``title``).

        See Also
        --------
        from_dict, preset

        Examples
        --------
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "k.toml"
        >>> _ = path.write_text('[inside]\n"K+" = 140\n[outside]\n"K+" = 5\n')
        >>> Cell.from_toml(path).c_out
        {'K+': 5.0}
        """
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise ValueError(f"cannot read cell file {str(path)!r}: {err.strerror}") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise ValueError(f"{path.name} is not valid TOML: {err}") from None
        if "cell" in data and isinstance(data["cell"], Mapping) and len(data["cell"]) == 1:
            ((key, data),) = data["cell"].items()
            return cls.from_dict(data, name=key)
        return cls.from_dict(data, name=path.stem)

    def to_dict(self) -> dict[str, Any]:
        """The cell's definition in the same layout :meth:`from_dict` reads.

        See Also
        --------
        from_dict, report

        Examples
        --------
        >>> Cell(c_in={"K+": 140}, c_out={"K+": 5}).to_dict()["inside"]
        {'K+': 140.0}
        """
        out: dict[str, Any] = {
            "title": self.title,
            "celsius": self.celsius,
            "inside": dict(self.c_in),
            "outside": dict(self.c_out),
            "permeability": dict(self.permeability),
        }
        if self.v_m is not None:
            out["v_measured_mV"] = self.v_m
        if self.activity is not None:
            out["activity"] = self.activity
        if self.gamma_in:
            out["gamma_in"] = dict(self.gamma_in)
        if self.gamma_out:
            out["gamma_out"] = dict(self.gamma_out)
        if self.sources:
            out["sources"] = dict(self.sources)
        return out

    def with_activity(self, activity: str | None) -> Cell:
        """A copy of this cell with another activity model (None or "none": no model).

        Fixed ``gamma_in``/``gamma_out`` carry over.

        See Also
        --------
        nernst.activity_coefficient : the models.

        Examples
        --------
        >>> Cell.preset().with_activity("davies").activity
        'davies'
        """
        return Cell(
            c_in=self.c_in,
            c_out=self.c_out,
            permeability=self.permeability,
            celsius=self.celsius,
            v_m=self.v_m,
            activity=activity,
            gamma_in=self.gamma_in,
            gamma_out=self.gamma_out,
            name=self.name,
            title=self.title,
            description=self.description,
            sources=self.sources,
        )

    @property
    def inside(self) -> dict[str, float]:
        """Deprecated name of :attr:`c_in` (warns; removed in nernst 0.3).

        Examples
        --------
        >>> import warnings
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     Cell(c_in={"K+": 140}, c_out={"K+": 5}).inside
        {'K+': 140.0}
        """
        warn_deprecated("Cell.inside", "Cell.c_in")
        return self.c_in

    @property
    def outside(self) -> dict[str, float]:
        """Deprecated name of :attr:`c_out` (warns; removed in nernst 0.3).

        Examples
        --------
        >>> import warnings
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     Cell(c_in={"K+": 140}, c_out={"K+": 5}).outside
        {'K+': 5.0}
        """
        warn_deprecated("Cell.outside", "Cell.c_out")
        return self.c_out

    # -- physics (delegated) --------------------------------------------------------------
    @property
    def has_activity(self) -> bool:
        """True when an activity model or fixed activity coefficients are set.

        Examples
        --------
        >>> Cell.preset().has_activity, Cell.preset().with_activity("davies").has_activity
        (False, True)
        """
        return self.activity is not None or bool(self.gamma_in) or bool(self.gamma_out)

    def ionic_strengths(self) -> dict[str, float]:
        """Ionic strength of each compartment from every ion listed in it. [mol/L]

        Returns
        -------
        dict
            ``{"inside": I_in, "outside": I_out}``.

        See Also
        --------
        nernst.ionic_strength : I = 1/2 sum c z^2.

        Examples
        --------
        >>> Cell(c_in={"K+": 150, "Cl-": 150}, c_out={"K+": 5, "Cl-": 5}).ionic_strengths()
        {'inside': 0.15, 'outside': 0.005}
        """
        return {
            "inside": float(ionic_strength(self.c_in)),
            "outside": float(ionic_strength(self.c_out)),
        }

    def activity_coefficients(self) -> dict[str, dict[str, float]]:
        """Activity coefficient of every ion in each compartment. [unitless]

        The fixed ``gamma_in``/``gamma_out`` where given, else the ``activity`` model at the
        compartment's own ionic strength and the cell's temperature, else 1.

        Returns
        -------
        dict
            ``{"inside": {ion: gamma}, "outside": {ion: gamma}}``.

        See Also
        --------
        nernst.activity_coefficient, ionic_strengths

        Examples
        --------
        >>> cell = Cell(c_in={"K+": 140}, c_out={"K+": 5}, gamma_in={"K+": 0.75})
        >>> cell.activity_coefficients()
        {'inside': {'K+': 0.75}, 'outside': {'K+': 1.0}}
        """
        strengths = self.ionic_strengths() if self.activity is not None else {}
        out: dict[str, dict[str, float]] = {}
        for side, conc, fixed in (
            ("inside", self.c_in, self.gamma_in),
            ("outside", self.c_out, self.gamma_out),
        ):
            gammas: dict[str, float] = {}
            for ion in conc:
                if ion in fixed:
                    gammas[ion] = fixed[ion]
                elif self.activity is not None:
                    try:
                        gammas[ion] = float(
                            activity_coefficient(
                                ion,
                                ionic_strength=strengths[side],
                                model=self.activity,
                                celsius=self.celsius,
                            )
                        )
                    except ValueError as err:
                        raise ValueError(
                            f"{self.title}: activity={self.activity!r}: {err}"
                        ) from None
                else:
                    gammas[ion] = 1.0
            out[side] = gammas
        return out

    def _activities(self, ideal: bool) -> tuple[dict[str, float], dict[str, float]]:
        """Inside and outside activities gamma * c (the concentrations when ideal). [mM]"""
        if ideal or not self.has_activity:
            return self.c_in, self.c_out
        g = self.activity_coefficients()
        return (
            {ion: g["inside"][ion] * c for ion, c in self.c_in.items()},
            {ion: g["outside"][ion] * c for ion, c in self.c_out.items()},
        )

    def equilibrium_potentials(self, *, ideal: bool = False) -> dict[str, float]:
        """Nernst potential of every ion, V_in - V_out. [mV]

        Parameters
        ----------
        ideal : bool, default False
            Use concentrations even when the cell has activity coefficients.

        See Also
        --------
        nernst.equilibrium_potential : the equation.

        Examples
        --------
        >>> {k: round(v, 2) for k, v in Cell(c_in={"K+": 140}, c_out={"K+": 5})
        ...  .equilibrium_potentials().items()}
        {'K+': -89.06}
        """
        a_in, a_out = self._activities(ideal)
        return {
            ion: float(
                equilibrium_potential(ion, c_in=a_in[ion], c_out=a_out[ion], celsius=self.celsius)
            )
            for ion in self.c_in
        }

    def resting_potential(self, *, ideal: bool = False) -> float:
        """GHK resting potential from the permeant ions. [mV]

        With activity coefficients, the GHK voltage of the activities gamma * c.

        Parameters
        ----------
        ideal : bool, default False
            Use concentrations even when the cell has activity coefficients.

        Raises
        ------
        ValueError
            No permeant ion (every permeability zero or none given).

        See Also
        --------
        nernst.ghk_voltage : the equation.
        nernst.explain.explain_ghk_voltage : the numbers substituted.

        Examples
        --------
        >>> round(Cell.preset().resting_potential(), 1)
        -67.3
        """
        if not any(p > 0 for p in self.permeability.values()):
            raise ValueError(
                f"{self.title}: no ion has a positive permeability, so the GHK resting "
                "potential is undefined; give permeabilities"
            )
        a_in, a_out = self._activities(ideal)
        return float(ghk_voltage(self.permeability, c_in=a_in, c_out=a_out, celsius=self.celsius))

    @property
    def membrane_potential(self) -> float:
        """The V_m the report uses: the measured one if given, else the GHK prediction. [mV]

        Examples
        --------
        >>> Cell(c_in={"K+": 140}, c_out={"K+": 5}, v_m=-70).membrane_potential
        -70.0
        """
        return self.v_m if self.v_m is not None else self.resting_potential()

    def report(self, *, tolerance: float = ACTIVE_TRANSPORT_TOLERANCE_MV) -> CellReport:
        """Per-ion table (E, driving force, flux, energies, verdict) and the resting potential.

        With activity coefficients (``activity`` or ``gamma_in``/``gamma_out``), each row also
        has gamma inside and outside, the activity-based E and its shift from the
        concentration-based E, and the report the activity-based GHK V_rest and its shift.
        ``E``, ``v_rest_ghk`` and ``rest_minus_E`` stay concentration-based; the driving
        force, flux, energies and verdict then use activities, and V_m (unless measured) is
        the activity-based GHK V_rest.

        Parameters
        ----------
        tolerance : float, default 1.0
            |V_m - E| at or below which an ion counts as passively distributed. [mV]

        Returns
        -------
        CellReport
            With the result protocol: ``to_dict()``, ``to_json()``, ``to_dataframe()``,
            ``explain()``.

        See Also
        --------
        nernst.driving_force, nernst.stored_energy, nernst.pumping_work,
        nernst.transport_verdict : the quantities in each row.

        Examples
        --------
        >>> rep = Cell.preset().report()
        >>> [row.ion for row in rep.ions], round(rep.v_m, 1)
        (['K+', 'Na+', 'Cl-', 'Ca2+'], -67.3)
        """
        has_perm = any(p > 0 for p in self.permeability.values())
        v_ghk = self.resting_potential(ideal=True) if has_perm else None
        active = self.has_activity
        v_ghk_a = self.resting_potential() if has_perm and active else None
        if self.v_m is None and v_ghk is None:
            raise ValueError(
                f"{self.title}: give permeabilities (for the GHK resting potential) or a "
                "measured v_m, so the report has a membrane potential"
            )
        v_m = self.v_m if self.v_m is not None else (v_ghk_a if active else v_ghk)
        assert v_m is not None
        gammas = self.activity_coefficients() if active else None
        a_in, a_out = self._activities(ideal=False)
        rows = []
        for ion in self.c_in:
            E = float(
                equilibrium_potential(
                    ion, c_in=self.c_in[ion], c_out=self.c_out[ion], celsius=self.celsius
                )
            )
            # The thermodynamic quantities use activities when the cell has them.
            kw = {"c_in": a_in[ion], "c_out": a_out[ion], "celsius": self.celsius}
            E_a = float(equilibrium_potential(ion, **kw)) if active else None
            DF = float(driving_force(ion, v_m=v_m, **kw))
            direction = int(flux_direction(ion, v_m=v_m, **kw))
            verdict = str(transport_verdict(ion, v_m=v_m, tolerance=tolerance, **kw))
            passive = verdict == "passive"
            rows.append(
                IonReport(
                    ion=ion,
                    charge=ions[ion].charge,
                    c_in=self.c_in[ion],
                    c_out=self.c_out[ion],
                    permeability=self.permeability.get(ion, 0.0),
                    E=E,
                    driving_force=DF,
                    flux={1: "out", -1: "in", 0: "none"}[direction],
                    stored_energy=float(stored_energy(ion, **kw)),
                    verdict=verdict,
                    pumping_work=0.0 if passive else float(pumping_work(ion, v_m=v_m, **kw)),
                    rest_minus_E=None if v_ghk is None else v_ghk - E,
                    gamma_in=None if gammas is None else gammas["inside"][ion],
                    gamma_out=None if gammas is None else gammas["outside"][ion],
                    E_activity=E_a,
                    E_activity_shift=None if E_a is None else E_a - E,
                )
            )
        strengths = self.ionic_strengths() if self.activity is not None else None
        return CellReport(
            name=self.name,
            title=self.title,
            celsius=self.celsius,
            v_rest_ghk=v_ghk,
            v_measured=self.v_m,
            v_m=v_m,
            tolerance=tolerance,
            ions=rows,
            description=self.description,
            sources=dict(self.sources),
            activity=self._activity_label(),
            ionic_strength_in=None if strengths is None else strengths["inside"],
            ionic_strength_out=None if strengths is None else strengths["outside"],
            v_rest_ghk_activity=v_ghk_a,
            v_rest_activity_shift=(None if v_ghk_a is None or v_ghk is None else v_ghk_a - v_ghk),
            charge_imbalance_in=_charge_imbalance(self.c_in) if active else None,
            charge_imbalance_out=_charge_imbalance(self.c_out) if active else None,
        )

    def _activity_label(self) -> str | None:
        fixed = bool(self.gamma_in) or bool(self.gamma_out)
        if self.activity is None:
            return "fixed" if fixed else None
        return f"{self.activity} + fixed" if fixed else self.activity

    # -- dynamics (delegated) -------------------------------------------------------------
    def simulate(self, *, model: str = "approach", until: float = 0.2, **options: Any) -> Any:
        """Time course of this cell: approach to equilibrium or the pump-leak model.

        A thin call of :func:`nernst.dynamics.simulate`; ``until`` in seconds, other keyword
        arguments as documented there. Returns a :class:`nernst.dynamics.Simulation`.

        See Also
        --------
        nernst.simulate, steady_state

        Examples
        --------
        >>> cell = Cell(c_in={"K+": 140}, c_out={"K+": 5}, permeability={"K+": 1})
        >>> cell.simulate(until=0.01).model
        'approach'
        """
        from nernst.dynamics import simulate

        return simulate(self, model=model, until=until, **options)

    def steady_state(self, **options: Any) -> Any:
        """Steady state of the pump-leak model (:func:`nernst.dynamics.pump_leak_steady_state`).

        See Also
        --------
        nernst.pump_leak_steady_state, simulate

        Examples
        --------
        >>> Cell.preset().steady_state().method
        'root'
        """
        from nernst.dynamics import pump_leak_steady_state

        return pump_leak_steady_state(self, **options)

    def to_neuroml(self, path: Any = None, *, cell_id: str | None = None) -> Any:
        """This cell as a NeuroML 2 document (:func:`nernst.export.to_neuroml`): temperature,
        inside and outside concentrations of every ion and the resting potential; written to
        ``path`` when given. Needs ``pip install "nernst[neuroml]"``.

        Examples
        --------
        >>> Cell.preset("squid-axon").to_neuroml().networks[0].temperature
        '20.0 degC'
        """
        from nernst.export import to_neuroml

        return to_neuroml(self, path, cell_id=cell_id)

    def to_neuron(self, *, h: Any = None, sec: Any = None, section_name: str = "soma") -> str:
        """NEURON set-up for this cell's temperature and fixed ion concentrations.

        A Python snippet (and, with ``h``, the same applied to a live ``neuron.h``) that
        sets ``h.celsius``, the ``<ion>i0_<ion>_ion`` / ``<ion>o0_<ion>_ion`` defaults and
        ``ion_style`` so that NEURON computes every E by Nernst, as this cell does
        (:func:`nernst.export.to_neuron`).

        Examples
        --------
        >>> print(Cell.preset("squid-axon").to_neuron().splitlines()[1])
        h.celsius = 20.0
        """
        from nernst.export import to_neuron

        return to_neuron(self, h=h, sec=sec, section_name=section_name)

    def __repr__(self) -> str:
        return (
            f"Cell(title={self.title!r}, c_in={self.c_in}, c_out={self.c_out}, "
            f"permeability={self.permeability}, celsius={self.celsius}"
            + (f", v_m={self.v_m}" if self.v_m is not None else "")
            + (f", activity={self.activity!r}" if self.activity is not None else "")
            + (f", gamma_in={self.gamma_in}" if self.gamma_in else "")
            + (f", gamma_out={self.gamma_out}" if self.gamma_out else "")
            + ")"
        )


_POSITIONAL = ("c_in", "c_out", "permeability", "celsius")


def _old_spellings(
    args: tuple[Any, ...],
    deprecated: dict[str, Any],
    c_in: Any,
    c_out: Any,
    permeability: Any,
    celsius: Any,
) -> tuple[Any, Any, Any, Any]:
    """The deprecated ``Cell(inside, outside, permeability, celsius)`` and ``inside=`` /
    ``outside=`` spellings, mapped onto the keywords with a warning each."""
    given = {"c_in": c_in, "c_out": c_out, "permeability": permeability, "celsius": celsius}
    defaults = {"c_in": None, "c_out": None, "permeability": None, "celsius": BODY_TEMPERATURE_C}
    if len(args) > len(_POSITIONAL):
        raise TypeError(
            f"Cell() takes at most {len(_POSITIONAL)} positional arguments (deprecated); "
            "pass c_in=, c_out=, permeability=, celsius= by keyword"
        )
    if args:
        names = _POSITIONAL[: len(args)]
        warn_deprecated(
            f"Cell({', '.join(names)}) given positionally",
            f"Cell({'=..., '.join(names)}=...)",
            stacklevel=4,
        )
        for key, value in zip(names, args, strict=True):
            if given[key] is not defaults[key]:
                raise TypeError(f"Cell() got {key} positionally and as {key}=")
            given[key] = value
    for old, new in (("inside", "c_in"), ("outside", "c_out")):
        if old in deprecated:
            if given[new] is not None:
                raise TypeError(f"Cell() got both {old}= (deprecated) and {new}=; pass only {new}=")
            warn_deprecated(f"Cell({old}=...)", f"Cell({new}=...)", stacklevel=4)
            given[new] = deprecated.pop(old)
    if deprecated:
        raise TypeError(
            f"Cell() got unexpected keyword argument(s) {', '.join(sorted(deprecated))}"
        )
    return given["c_in"], given["c_out"], given["permeability"], given["celsius"]


def _concentrations(values: Mapping[str, Any], side: str) -> dict[str, float]:
    if not isinstance(values, Mapping):
        raise ValueError(f"{side} must be a mapping of ion name -> concentration (mM)")
    out: dict[str, float] = {}
    for key, value in values.items():
        ion = ions.resolve(str(key))
        if ion in out:
            raise ValueError(f"{side} names {ion} twice")
        try:
            c = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{side}[{ion}]={value!r} is not a number (mM)") from None
        if not (math.isfinite(c) and c > 0):
            raise ValueError(
                f"{side}[{ion}]={c:g}: a concentration must be positive and finite [mM] "
                "(use a small value such as 1e-4 for a trace ion)"
            )
        out[ion] = c
    return out


def _permeabilities(values: Mapping[str, Any], inside: Mapping[str, float]) -> dict[str, float]:
    if not isinstance(values, Mapping):
        raise ValueError("permeability must be a mapping of ion name -> permeability")
    out: dict[str, float] = {}
    for key, value in values.items():
        ion = ions.resolve(str(key))
        try:
            p = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"permeability[{ion}]={value!r} is not a number") from None
        if not (math.isfinite(p) and p >= 0):
            raise ValueError(f"permeability[{ion}]={p:g} must be zero or positive and finite")
        if ion not in inside:
            raise ValueError(f"{ion} has a permeability but no concentrations inside and outside")
        out[ion] = p
    return out


def _fixed_gammas(
    values: Mapping[str, Any] | None, label: str, side: Mapping[str, float]
) -> dict[str, float]:
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise ValueError(f"{label} must be a mapping of ion name -> activity coefficient")
    out: dict[str, float] = {}
    for key, value in values.items():
        ion = ions.resolve(str(key))
        try:
            g = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{label}[{ion}]={value!r} is not a number") from None
        if not (math.isfinite(g) and g > 0):
            raise ValueError(
                f"{label}[{ion}]={g:g}: an activity coefficient must be positive and finite"
            )
        if ion not in side:
            raise ValueError(f"{label} names {ion}, which the cell does not contain")
        out[ion] = g
    return out


def _charge_imbalance(conc: Mapping[str, float]) -> float:
    """Sum of z c over the listed ions: the charge carried by ions not listed. [mM]"""
    return math.fsum(ions[ion].charge * c for ion, c in conc.items())


@cache
def _cells_toml() -> dict[str, Any]:
    from nernst.data import load_toml

    return load_toml("cells.toml")


def presets() -> dict[str, dict[str, Any]]:
    """The embedded preset cells: key -> title, description, temperature and sources.

    See Also
    --------
    Cell.preset : one of them as a :class:`Cell`.

    Examples
    --------
    >>> "squid-axon" in presets()
    True
    """
    data = _cells_toml()
    return {
        key: {
            "title": cell.get("title", key),
            "description": cell.get("description", ""),
            "celsius": cell.get("celsius", BODY_TEMPERATURE_C),
            "default": key == data["default"],
            "sources": dict(cell.get("sources", {})),
        }
        for key, cell in data["cell"].items()
    }


# -- the report ---------------------------------------------------------------------------
@dataclass(frozen=True)
class IonReport:
    """One row of a :class:`CellReport` (potentials in mV, energies in J/mol).

    ``E`` and ``rest_minus_E`` (V_rest - E) are concentration-based. With activity
    coefficients, ``gamma_in``/``gamma_out`` are the ion's gammas, ``E_activity`` its Nernst
    potential from activities and ``E_activity_shift`` = E_activity - E; the driving force,
    flux, energies and verdict then use activities. Without, those four fields are None.

    See Also
    --------
    CellReport : the table these rows make.

    Examples
    --------
    >>> row = Cell(c_in={"K+": 140}, c_out={"K+": 5}, permeability={"K+": 1}).report().ions[0]
    >>> row.ion, round(row.E, 2), row.verdict
    ('K+', -89.06, 'passive')
    """

    ion: str
    charge: int
    c_in: float
    c_out: float
    permeability: float
    E: float
    driving_force: float
    flux: str
    stored_energy: float
    verdict: str
    pumping_work: float
    rest_minus_E: float | None
    gamma_in: float | None = None
    gamma_out: float | None = None
    E_activity: float | None = None
    E_activity_shift: float | None = None


@dataclass(frozen=True)
class CellReport(ResultMixin):
    """What a cell's numbers mean: per-ion table and resting potential.

    With activity coefficients: ``activity`` names the model ("davies", "fixed", ...),
    ``ionic_strength_in``/``_out`` are the compartments' ionic strengths [mol/L] (None with
    fixed gammas only), ``v_rest_ghk_activity`` the GHK V_rest from activities and
    ``v_rest_activity_shift`` its difference from the concentration-based ``v_rest_ghk``
    [mV]; ``charge_imbalance_in``/``_out`` (sum of z c, mM) show how much counter-ion charge
    the listed ions miss, i.e. what the ionic strength leaves out.

    Renders as a Rich table in the terminal (``rich.print(report)``), as HTML in Jupyter, as
    plain text with ``str()``; converts with :meth:`to_dict`, ``to_json()`` and
    ``to_dataframe()`` (pandas, optional; one row per ion); ``explain()`` gives the
    calculation step by step (:func:`nernst.explain.explain_cell_report`). The shared
    protocol is :class:`nernst.results.ResultMixin`.

    See Also
    --------
    Cell.report : makes it.
    nernst.explain.explain_cell_report : its explanation.

    Examples
    --------
    >>> rep = Cell(c_in={"K+": 140}, c_out={"K+": 5}, permeability={"K+": 1}).report()
    >>> round(rep.v_m, 1), rep.explain()[-1]
    (-89.1, 'V_m = -89.1 mV (GHK resting potential)')
    """

    name: str | None
    title: str
    celsius: float
    v_rest_ghk: float | None
    v_measured: float | None
    v_m: float
    tolerance: float
    ions: list[IonReport]
    description: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    activity: str | None = None
    ionic_strength_in: float | None = None
    ionic_strength_out: float | None = None
    v_rest_ghk_activity: float | None = None
    v_rest_activity_shift: float | None = None
    charge_imbalance_in: float | None = None
    charge_imbalance_out: float | None = None

    COLUMNS = (
        ("ion", "ion", ""),
        ("charge", "z", ""),
        ("c_in", "in (mM)", "{:.4g}"),
        ("c_out", "out (mM)", "{:.4g}"),
        ("permeability", "P (rel.)", "{:.3g}"),
        ("E", "E (mV)", "{:+.1f}"),
        ("driving_force", "V-E (mV)", "{:+.1f}"),
        ("flux", "net flux", ""),
        ("stored_energy", "|zFE| (kJ/mol)", "kJ"),
        ("verdict", "at V_m", ""),
        ("pumping_work", "work (kJ/mol)", "kJ"),
    )
    #: Columns added after "E (mV)" when the report has activity coefficients.
    ACTIVITY_COLUMNS = (
        ("gamma_in", "gamma in", "{:.3f}"),
        ("gamma_out", "gamma out", "{:.3f}"),
        ("E_activity", "E_a (mV)", "{:+.1f}"),
        ("E_activity_shift", "E_a-E (mV)", "{:+.2f}"),
    )

    @property
    def has_activity(self) -> bool:
        """True when the rows carry activity-based values."""
        return self.activity is not None

    def columns(self) -> tuple[tuple[str, str, str], ...]:
        """(attribute, label, format) of the table's columns, activity ones included."""
        if not self.has_activity:
            return self.COLUMNS
        cols = list(self.COLUMNS)
        at = [attr for attr, _, _ in cols].index("E") + 1
        cols[at:at] = self.ACTIVITY_COLUMNS
        return tuple(
            (attr, "V-E_a (mV)", fmt) if attr == "driving_force" else (attr, label, fmt)
            for attr, label, fmt in cols
        )

    def _fields_for_dict(self) -> dict[str, Any]:
        out = super()._fields_for_dict()  # rows stay dataclasses; to_plain converts them
        out["units"] = {
            "potential": "mV",
            "concentration": "mM",
            "energy": "J/mol",
            "temperature": "degC",
            "permeability": "as given (relative or cm/s)",
            "ionic_strength": "mol/L",
            "activity_coefficient": "unitless",
        }
        out["sign_convention"] = "V = V_in - V_out; flux 'out' = ions leave the cell"
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dict (JSON-ready). Potentials in mV, energies in J/mol.

        Examples
        --------
        >>> rep = Cell.preset("squid-axon").report()
        >>> rep.to_dict()["units"]["potential"], rep.to_dict()["ions"][0]["ion"]
        ('mV', 'K+')
        """
        return super().to_dict()

    def _summary_lines(self) -> list[str]:
        return self.summary_lines()

    def _cells(self, row: IonReport) -> list[str]:
        cells = []
        for attr, _, fmt in self.columns():
            value = getattr(row, attr)
            if fmt == "kJ":
                cells.append("-" if value == 0 and attr == "pumping_work" else f"{value / 1e3:.2f}")
            elif (attr == "permeability" and not value) or value is None:
                cells.append("-")
            else:
                cells.append(fmt.format(value) if fmt else str(value))
        return cells

    def summary_lines(self) -> list[str]:
        """The sentences under the table: V_m, where it comes from, nearest E."""
        lines = []
        if self.v_rest_ghk is not None:
            lines.append(
                f"GHK resting potential V_rest = {self.v_rest_ghk:+.1f} mV at {self.celsius:g} degC"
            )
        if self.v_measured is not None:
            lines.append(
                f"Measured V_m = {self.v_measured:+.1f} mV (used for driving forces and verdicts)"
            )
        permeant = [r for r in self.ions if r.permeability > 0 and r.rest_minus_E is not None]
        if len(permeant) == 1:
            lines.append(f"V_rest equals E({permeant[0].ion}): it is the only permeant ion")
        elif permeant:
            top = max(permeant, key=lambda r: r.permeability)
            gap = top.rest_minus_E or 0.0
            lines.append(
                f"V_rest is {abs(gap):.1f} mV {'above' if gap > 0 else 'below'} "
                f"E({top.ion}) = {top.E:+.1f} mV, the equilibrium potential of the most permeant "
                "ion: near it, not at it, because the other permeant ions pull V_rest toward "
                "their own E"
            )
        lines += self.activity_lines()
        lines.append(
            f"Verdict: 'passive' when |V_m - E{'_a' if self.has_activity else ''}| <= "
            f"{self.tolerance:g} mV; otherwise keeping the gradient needs active transport "
            "costing at least the work shown"
        )
        return lines

    def activity_lines(self) -> list[str]:
        """The sentences about activity coefficients (empty without them)."""
        if not self.has_activity:
            return []
        lines = []
        model = self.activity or ""
        if self.ionic_strength_in is not None and self.ionic_strength_out is not None:
            lines.append(
                f"Activities ({model}, {self.celsius:g} degC): ionic strength "
                f"I_in = {self.ionic_strength_in:.4g} M, I_out = {self.ionic_strength_out:.4g} M "
                "(from the ions listed in each compartment)"
            )
            name = model.split(" ")[0]
            limit = ACTIVITY_MODELS[name].valid_up_to
            high = max(self.ionic_strength_in, self.ionic_strength_out)
            if limit is not None and high > limit:
                lines.append(
                    f"Note: I = {high:.3g} M exceeds the range of the {name} model "
                    f"(about {limit:g} M); see nernst.activity for the models' validity"
                )
        else:
            lines.append(f"Activities: fixed activity coefficients at {self.celsius:g} degC")
        if self.v_rest_ghk_activity is not None and self.v_rest_ghk is not None:
            shift = self.v_rest_activity_shift or 0.0
            lines.append(
                f"GHK V_rest from activities = {self.v_rest_ghk_activity:+.1f} mV "
                f"({shift:+.2f} mV from the concentration-based {self.v_rest_ghk:+.1f} mV)"
            )
        lines.append(
            "E_a = (RT/zF) ln(gamma_out c_out / gamma_in c_in); driving force, flux, energies "
            "and verdicts use activities"
        )
        if self.ionic_strength_in is not None:
            for side, tag, imbalance in (
                ("inside", "in", self.charge_imbalance_in),
                ("outside", "out", self.charge_imbalance_out),
            ):
                if imbalance is not None and abs(imbalance) > 1.0:
                    more, missing = (
                        ("cation", "anions (e.g. impermeant organic anions)")
                        if imbalance > 0
                        else ("anion", "cations")
                    )
                    lines.append(
                        f"Note: the ions listed {side} carry {abs(imbalance):.3g} mM more {more} "
                        f"than {'anion' if more == 'cation' else 'cation'} charge; the unlisted "
                        f"counter-{missing} are missing from I_{tag}"
                    )
        return lines

    def __str__(self) -> str:
        header = [label for _, label, _ in self.columns()]
        body = [self._cells(r) for r in self.ions]
        widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(header)]
        fmt = "  ".join(f"{{:>{w}}}" for w in widths)
        text = [self.title, fmt.format(*header)] + [fmt.format(*b) for b in body]
        return "\n".join(text + self.summary_lines())

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        table = Table(title=f"{self.title} ({self.celsius:g} degC)", title_justify="left")
        for _, label, fmt in self.columns():
            table.add_column(label, justify="left" if not fmt else "right")
        for row in self.ions:
            table.add_row(*self._cells(row))
        return Group(table, *(Text(line) for line in self.summary_lines()))

    def _repr_html_(self) -> str:
        from html import escape

        head = "".join(f"<th>{escape(label)}</th>" for _, label, _ in self.columns())
        rows = "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in self._cells(r)) + "</tr>"
            for r in self.ions
        )
        notes = "".join(f"<p>{escape(line)}</p>" for line in self.summary_lines())
        return (
            f"<div><strong>{escape(self.title)}</strong> ({self.celsius:g} &deg;C)"
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{notes}</div>"
        )
