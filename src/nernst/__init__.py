"""nernst: membrane electrochemistry.

Equilibrium (Nernst) potentials, Goldman-Hodgkin-Katz voltage, current and flux, the
energetics of ion gradients, a cited ion table and preset cells.

Conventions: V = V_in - V_out in mV; concentrations in mM; temperature keyword-only
``celsius=`` (default 37); positive current and flux are outward; energies in J/mol;
constants are CODATA 2018 exact values (:mod:`nernst.constants`).

The public names below load their module on first use (PEP 562), so ``import nernst`` and
the command line's ``--help`` stay fast.

>>> import nernst
>>> round(nernst.equilibrium_potential("K+", c_in=140, c_out=5, celsius=37), 1)
-89.1
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The ion table is bound eagerly: otherwise importing the submodule nernst.ions would shadow
# it. nernst.ions imports nothing heavy and reads its TOML on first lookup.
from nernst.ions import ions

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from nernst.activity import (
        ACTIVITY_MODELS,
        activity_coefficient,
        debye_huckel_constants,
        ionic_strength,
        mean_activity_coefficient,
    )
    from nernst.cell import Cell, CellReport, IonReport, presets
    from nernst.constants import kelvin, thermal_voltage
    from nernst.donnan import DonnanResult, ElectroneutralityWarning, donnan_equilibrium
    from nernst.dynamics import (
        NaKPump,
        Perturbation,
        PumpLeakSteadyState,
        Simulation,
        ions_for_potential,
        membrane_time_constant,
        nak_pump_current,
        pump_leak_steady_state,
        simulate,
    )
    from nernst.energetics import (
        IonTransport,
        TransportAnalysis,
        atp_hydrolysis_free_energy,
        atp_synthase_protons,
        driving_force,
        equilibrium_internal_concentration,
        flux_direction,
        needs_active_transport,
        proton_free_energy,
        proton_motive_force,
        pumping_work,
        sodium_pump_free_energy,
        sodium_pump_is_possible,
        sodium_pump_margin,
        sodium_pump_reversal_potential,
        stored_energy,
        transport_analysis,
        transport_free_energy,
        transport_verdict,
    )
    from nernst.ghk import ghk_current, ghk_flux, ghk_voltage
    from nernst.ions import Ion, valence
    from nernst.junction import (
        JunctionConvergenceError,
        JunctionReport,
        junction_report,
        liquid_junction_potential,
        recording_solution,
        recording_solutions,
        solution_from_salts,
    )
    from nernst.nernst import equilibrium_potential
    from nernst.permeability import (
        PermeabilityFit,
        explain_permeability_ratio_biionic,
        fit_permeabilities,
        permeability_ratio_biionic,
    )
    from nernst.solution import Solution, SolutionWarning
    from nernst.speciation import (
        Speciation,
        apparent_dissociation_constant,
        apparent_pka,
        osmotic_coefficient,
        speciate,
    )
    from nernst.sweeps import sweep

_EXPORTS = {
    "Cell": "nernst.cell",
    "CellReport": "nernst.cell",
    "IonReport": "nernst.cell",
    "presets": "nernst.cell",
    "kelvin": "nernst.constants",
    "thermal_voltage": "nernst.constants",
    "driving_force": "nernst.energetics",
    "flux_direction": "nernst.energetics",
    "needs_active_transport": "nernst.energetics",
    "pumping_work": "nernst.energetics",
    "stored_energy": "nernst.energetics",
    "transport_free_energy": "nernst.energetics",
    "proton_motive_force": "nernst.energetics",
    "proton_free_energy": "nernst.energetics",
    "atp_synthase_protons": "nernst.energetics",
    "atp_hydrolysis_free_energy": "nernst.energetics",
    "sodium_pump_free_energy": "nernst.energetics",
    "sodium_pump_reversal_potential": "nernst.energetics",
    "sodium_pump_margin": "nernst.energetics",
    "sodium_pump_is_possible": "nernst.energetics",
    "equilibrium_internal_concentration": "nernst.energetics",
    "transport_verdict": "nernst.energetics",
    "transport_analysis": "nernst.energetics",
    "TransportAnalysis": "nernst.energetics",
    "IonTransport": "nernst.energetics",
    "ghk_current": "nernst.ghk",
    "ghk_flux": "nernst.ghk",
    "ghk_voltage": "nernst.ghk",
    "Ion": "nernst.ions",
    "valence": "nernst.ions",
    "equilibrium_potential": "nernst.nernst",
    "donnan_equilibrium": "nernst.donnan",
    "DonnanResult": "nernst.donnan",
    "ElectroneutralityWarning": "nernst.donnan",
    "permeability_ratio_biionic": "nernst.permeability",
    "fit_permeabilities": "nernst.permeability",
    "PermeabilityFit": "nernst.permeability",
    "explain_permeability_ratio_biionic": "nernst.permeability",
    "ionic_strength": "nernst.activity",
    "activity_coefficient": "nernst.activity",
    "mean_activity_coefficient": "nernst.activity",
    "debye_huckel_constants": "nernst.activity",
    "ACTIVITY_MODELS": "nernst.activity",
    "sweep": "nernst.sweeps",
    "simulate": "nernst.dynamics",
    "pump_leak_steady_state": "nernst.dynamics",
    "Simulation": "nernst.dynamics",
    "PumpLeakSteadyState": "nernst.dynamics",
    "NaKPump": "nernst.dynamics",
    "Perturbation": "nernst.dynamics",
    "membrane_time_constant": "nernst.dynamics",
    "nak_pump_current": "nernst.dynamics",
    "ions_for_potential": "nernst.dynamics",
    "liquid_junction_potential": "nernst.junction",
    "junction_report": "nernst.junction",
    "JunctionReport": "nernst.junction",
    "solution_from_salts": "nernst.junction",
    "recording_solutions": "nernst.junction",
    "recording_solution": "nernst.junction",
    "JunctionConvergenceError": "nernst.junction",
    "Solution": "nernst.solution",
    "SolutionWarning": "nernst.solution",
    "Speciation": "nernst.speciation",
    "speciate": "nernst.speciation",
    "apparent_pka": "nernst.speciation",
    "apparent_dissociation_constant": "nernst.speciation",
    "osmotic_coefficient": "nernst.speciation",
}

__all__ = [
    "ACTIVITY_MODELS",
    "Cell",
    "CellReport",
    "DonnanResult",
    "ElectroneutralityWarning",
    "Ion",
    "IonReport",
    "IonTransport",
    "JunctionConvergenceError",
    "JunctionReport",
    "NaKPump",
    "PermeabilityFit",
    "Perturbation",
    "PumpLeakSteadyState",
    "Simulation",
    "Solution",
    "SolutionWarning",
    "Speciation",
    "TransportAnalysis",
    "__version__",
    "activity_coefficient",
    "apparent_dissociation_constant",
    "apparent_pka",
    "atp_hydrolysis_free_energy",
    "atp_synthase_protons",
    "debye_huckel_constants",
    "donnan_equilibrium",
    "driving_force",
    "equilibrium_internal_concentration",
    "equilibrium_potential",
    "explain_permeability_ratio_biionic",
    "fit_permeabilities",
    "flux_direction",
    "ghk_current",
    "ghk_flux",
    "ghk_voltage",
    "ionic_strength",
    "ions",
    "ions_for_potential",
    "junction_report",
    "kelvin",
    "liquid_junction_potential",
    "mean_activity_coefficient",
    "membrane_time_constant",
    "nak_pump_current",
    "needs_active_transport",
    "osmotic_coefficient",
    "permeability_ratio_biionic",
    "presets",
    "proton_free_energy",
    "proton_motive_force",
    "pump_leak_steady_state",
    "pumping_work",
    "recording_solution",
    "recording_solutions",
    "simulate",
    "sodium_pump_free_energy",
    "sodium_pump_is_possible",
    "sodium_pump_margin",
    "sodium_pump_reversal_potential",
    "solution_from_salts",
    "speciate",
    "stored_energy",
    "sweep",
    "thermal_voltage",
    "transport_analysis",
    "transport_free_energy",
    "transport_verdict",
    "valence",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("nernst")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            value = "0.0.0+unknown"
    elif name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
    else:
        raise AttributeError(f"module 'nernst' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
