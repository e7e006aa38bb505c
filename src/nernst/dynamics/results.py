"""Results of the dynamics: a simulated time course and a pump-leak steady state."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from nernst._deprecate import REMOVED_IN, warn_deprecated
from nernst.constants import AVOGADRO, UA_PER_MA
from nernst.results import ResultMixin

__all__ = ["PumpLeakSteadyState", "Simulation"]

#: Export keys kept for one release next to their replacements (currents in one unit family,
#: mA/cm^2, as nernst.ghk_current and nernst.sodium_pump_current).
_DEPRECATED_KEYS = {
    "pump_current_uA_cm2": f"use pump_current_mA_cm2 (x 1e-3); removed in nernst {REMOVED_IN}",
    "pump_max_uA_cm2": f"use pump_max_mA_cm2 (x 1e-3); removed in nernst {REMOVED_IN}",
}


@dataclass(frozen=True)
class Simulation(ResultMixin):
    """Time course of a simulated cell (from :func:`simulate`).

    Arrays run over the output times ``t``; dictionaries are keyed by ion symbol. At a
    perturbation time the output has two rows with the same t (before and after the step).

    Attributes
    ----------
    model : str
        "approach" or "pump-leak".
    t : ndarray
        Time. [s]
    V : ndarray
        Membrane potential V_in - V_out. [mV]
    c_in, c_out : dict of str to ndarray
        Concentrations inside and outside. [mM]
    flux : dict of str to ndarray
        Passive (GHK) flux of each ion, positive outward. [mol cm^-2 s^-1]
    pump_current_mA_cm2 : ndarray
        Na+/K+ pump current density, positive outward (zero in the approach model); the unit
        of :func:`nernst.sodium_pump_current` and :func:`nernst.ghk_current`. [mA/cm^2]
    volume : ndarray
        Cell volume. [um^3]
    amount : dict of str to ndarray
        Amount of each ion inside. [mol]
    crossed : dict of str to ndarray
        Net amount of each ion that has left the cell since t = 0 (negative: entered). [mol]
    permeability : dict of str to float
        Absolute permeabilities before any perturbation. [cm/s]
    target : float or None
        Potential the run was watched for: the GHK potential of the initial concentrations in
        the approach model, or the ``target`` given. [mV]
    t_target : float or None
        First time at which ``|V - target|`` < tolerance, None if never. [s]
    tau_membrane : float
        Membrane time constant at the initial concentrations (:func:`membrane_time_constant`).
        [ms]
    pump_max_mA_cm2 : float
        Maximal pump current density before any perturbation (0 in the approach model).
        [mA/cm^2]
    solver : dict
        Method, tolerances, ``nfev`` and ``njev`` (every call of the right-hand side and of
        its Jacobian), whether the run stopped at the target, the starting state.

    Notes
    -----
    Deprecated for one release (a :class:`~nernst._deprecate.NernstDeprecationWarning`):
    ``pump_current`` and ``pump_max``, the same quantities in uA/cm^2; the exports
    (:meth:`to_dict`, :meth:`final`) also keep the keys ``pump_current_uA_cm2`` and
    ``pump_max_uA_cm2`` next to the ``_mA_cm2`` ones until nernst 0.3.

    See Also
    --------
    nernst.simulate : builds it.
    nernst.plotting.plot_time_course : plots it.

    Examples
    --------
    >>> import nernst
    >>> cell = nernst.Cell(c_in={"K+": 140}, c_out={"K+": 5}, permeability={"K+": 1})
    >>> run = nernst.simulate(cell, until=0.2)
    >>> round(run.V_final, 2), run.ions, sorted(run.final())[:2]
    (-89.06, ('K+',), ['V_mV', 'c_in_mM'])
    """

    model: str
    t: np.ndarray
    V: np.ndarray
    ions: tuple[str, ...]
    charges: tuple[int, ...]
    c_in: dict[str, np.ndarray]
    c_out: dict[str, np.ndarray]
    flux: dict[str, np.ndarray]
    pump_current_mA_cm2: np.ndarray
    volume: np.ndarray
    amount: dict[str, np.ndarray]
    crossed: dict[str, np.ndarray]
    permeability: dict[str, float]
    area: float
    capacitance: float
    celsius: float
    v0: float
    target: float | None
    tolerance: float
    t_target: float | None
    tau_membrane: float
    pump_max_mA_cm2: float
    impermeant_valence: float
    impermeant_amount: float
    perturbations: tuple[str, ...] = ()
    solver: dict[str, Any] = field(default_factory=dict)

    @property
    def pump_current(self) -> np.ndarray:
        """Deprecated: the pump current in uA/cm^2; use :attr:`pump_current_mA_cm2`."""
        warn_deprecated(
            "Simulation.pump_current [uA/cm^2]", "Simulation.pump_current_mA_cm2 [mA/cm^2]"
        )
        return self.pump_current_mA_cm2 * UA_PER_MA

    @property
    def pump_max(self) -> float:
        """Deprecated: the maximal pump current in uA/cm^2; use :attr:`pump_max_mA_cm2`."""
        warn_deprecated("Simulation.pump_max [uA/cm^2]", "Simulation.pump_max_mA_cm2 [mA/cm^2]")
        return self.pump_max_mA_cm2 * UA_PER_MA

    @property
    def V_final(self) -> float:
        """Membrane potential at the last output time. [mV]"""
        return float(self.V[-1])

    @property
    def crossed_number(self) -> dict[str, float]:
        """Number of ions (not moles) of each kind that left the cell by the end."""
        return {ion: float(v[-1] * AVOGADRO) for ion, v in self.crossed.items()}

    @property
    def fraction_crossed(self) -> dict[str, float]:
        """Net amount that left by the end over the initial content, per ion."""
        return {ion: float(self.crossed[ion][-1] / self.amount[ion][0]) for ion in self.ions}

    def final(self) -> dict[str, Any]:
        """The last state: V [mV], c_in [mM], volume [um^3], pump current [mA/cm^2].

        ``pump_current_uA_cm2`` (the same current in uA/cm^2) is kept until nernst 0.3.
        """
        current = float(self.pump_current_mA_cm2[-1])
        return {
            "t_s": float(self.t[-1]),
            "V_mV": self.V_final,
            "c_in_mM": {ion: float(v[-1]) for ion, v in self.c_in.items()},
            "volume_um3": float(self.volume[-1]),
            "pump_current_mA_cm2": current,
            "pump_current_uA_cm2": current * UA_PER_MA,  # deprecated key
        }

    def to_dict(self, *, series: bool = False) -> dict[str, Any]:
        """Summary (and with ``series=True`` the time course) as plain JSON-ready Python."""
        out: dict[str, Any] = {
            "model": self.model,
            "perturbations": list(self.perturbations),
            "celsius": self.celsius,
            "area_um2": self.area,
            "capacitance_uF_cm2": self.capacitance,
            "permeability_cm_s": dict(self.permeability),
            "v0_mV": self.v0,
            "initial": {
                "V_mV": float(self.V[0]),
                "c_in_mM": {ion: float(v[0]) for ion, v in self.c_in.items()},
                "volume_um3": float(self.volume[0]),
            },
            "final": self.final(),
            "target_mV": self.target,
            "tolerance_mV": self.tolerance,
            "t_target_s": self.t_target,
            "tau_membrane_ms": self.tau_membrane,
            "crossed_mol": {ion: float(v[-1]) for ion, v in self.crossed.items()},
            "crossed_number": self.crossed_number,
            "fraction_crossed": self.fraction_crossed,
            "pump_max_mA_cm2": self.pump_max_mA_cm2,
            "pump_max_uA_cm2": self.pump_max_mA_cm2 * UA_PER_MA,  # deprecated key
            "impermeant": {
                "mM_initial": self.impermeant_amount,
                "valence": self.impermeant_valence,
            },
            "solver": dict(self.solver),
            "n_points": len(self.t),
            "units": {
                "t": "s",
                "V": "mV",
                "c": "mM",
                "flux": "mol/(cm^2 s), outward positive",
                "pump_current": "mA/cm^2, outward positive",
                "volume": "um^3",
                "crossed": "mol, outward positive",
            },
            "deprecated_keys": dict(_DEPRECATED_KEYS),
        }
        if series:
            out["series"] = {k: v.tolist() for k, v in self.columns().items()}
        return out

    def columns(self) -> dict[str, np.ndarray]:
        """The time course as named columns (units in the names)."""
        cols: dict[str, np.ndarray] = {"t_s": self.t, "V_mV": self.V}
        for ion in self.ions:
            cols[f"{ion}_in_mM"] = self.c_in[ion]
        for ion in self.ions:
            cols[f"{ion}_out_mM"] = self.c_out[ion]
        for ion in self.ions:
            cols[f"{ion}_flux_mol_cm2_s"] = self.flux[ion]
        for ion in self.ions:
            cols[f"{ion}_crossed_mol"] = self.crossed[ion]
        cols["pump_current_mA_cm2"] = self.pump_current_mA_cm2
        cols["volume_um3"] = self.volume
        return cols

    def to_dataframe(self) -> Any:
        """The time course as a pandas DataFrame (needs ``nernst[frame]``)."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError("to_dataframe needs pandas: pip install 'nernst[frame]'") from None
        return pd.DataFrame(self.columns())

    def to_csv(self, path: str | Path) -> Path:
        """Write the time course as CSV (one header row, full float precision)."""
        path = Path(path)
        cols = self.columns()
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(cols)
            for row in zip(*(c.tolist() for c in cols.values()), strict=True):
                writer.writerow([repr(x) for x in row])
        return path

    def to_parquet(self, path: str | Path) -> Path:
        """Write the time course as Parquet (needs pyarrow: ``nernst[parquet]``)."""
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError("to_parquet needs pyarrow: pip install 'nernst[parquet]'") from None
        table = pa.table({k: pa.array(v) for k, v in self.columns().items()})
        pq.write_table(table, path)
        return Path(path)

    def save(self, path: str | Path) -> Path:
        """Write CSV or Parquet, chosen by the file suffix (.csv, .parquet or .pq)."""
        suffix = Path(path).suffix.lower()
        if suffix == ".csv":
            return self.to_csv(path)
        if suffix in (".parquet", ".pq"):
            return self.to_parquet(path)
        raise ValueError(f"output {str(path)!r}: the suffix must be .csv or .parquet")


@dataclass(frozen=True)
class PumpLeakSteadyState(ResultMixin):
    """Steady state of the pump-leak model (from :func:`pump_leak_steady_state`).

    Attributes
    ----------
    V : float
        Membrane potential. [mV]
    c_in, c_out : dict of str to float
        Concentrations. [mM]
    volume : float
        Cell volume. [um^3]
    volume_ratio : float
        Volume over the volume of the cell as given (``radius`` or ``volume``). [1]
    pump_current_mA_cm2, pump_max_mA_cm2 : float
        Pump current density at the steady state and the maximal pump current density.
        [mA/cm^2]
    impermeant : float
        Impermeant solute concentration at the steady state. [mM]
    impermeant_valence : float
        Its mean valence. [1]
    method : str
        "root" or "integrate".
    detail : dict
        Solver information (function evaluations, time taken to settle, residual).

    Notes
    -----
    Deprecated for one release: ``pump_current`` and ``pump_max`` in uA/cm^2 (a
    :class:`~nernst._deprecate.NernstDeprecationWarning`), and the keys
    ``pump_current_uA_cm2`` / ``pump_max_uA_cm2`` of :meth:`to_dict`.

    See Also
    --------
    nernst.pump_leak_steady_state : builds it.

    Examples
    --------
    >>> import nernst
    >>> ss = nernst.pump_leak_steady_state(nernst.Cell.preset("mammalian-neuron"))
    >>> round(ss.V, 1), ss.method
    (-73.6, 'root')
    """

    V: float
    c_in: dict[str, float]
    c_out: dict[str, float]
    volume: float
    volume_ratio: float
    pump_current_mA_cm2: float
    pump_max_mA_cm2: float
    impermeant: float
    impermeant_valence: float
    method: str
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def pump_current(self) -> float:
        """Deprecated: the pump current in uA/cm^2; use :attr:`pump_current_mA_cm2`."""
        warn_deprecated(
            "PumpLeakSteadyState.pump_current [uA/cm^2]",
            "PumpLeakSteadyState.pump_current_mA_cm2 [mA/cm^2]",
        )
        return self.pump_current_mA_cm2 * UA_PER_MA

    @property
    def pump_max(self) -> float:
        """Deprecated: the maximal pump current in uA/cm^2; use :attr:`pump_max_mA_cm2`."""
        warn_deprecated(
            "PumpLeakSteadyState.pump_max [uA/cm^2]",
            "PumpLeakSteadyState.pump_max_mA_cm2 [mA/cm^2]",
        )
        return self.pump_max_mA_cm2 * UA_PER_MA

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict; V in mV, concentrations in mM, volume in um^3, currents in
        mA/cm^2 (the ``_uA_cm2`` keys are deprecated, kept until nernst 0.3)."""
        return {
            "V_mV": self.V,
            "c_in_mM": dict(self.c_in),
            "c_out_mM": dict(self.c_out),
            "volume_um3": self.volume,
            "volume_ratio": self.volume_ratio,
            "pump_current_mA_cm2": self.pump_current_mA_cm2,
            "pump_max_mA_cm2": self.pump_max_mA_cm2,
            "pump_current_uA_cm2": self.pump_current_mA_cm2 * UA_PER_MA,  # deprecated key
            "pump_max_uA_cm2": self.pump_max_mA_cm2 * UA_PER_MA,  # deprecated key
            "impermeant_mM": self.impermeant,
            "impermeant_valence": self.impermeant_valence,
            "method": self.method,
            "detail": dict(self.detail),
            "deprecated_keys": dict(_DEPRECATED_KEYS),
        }
