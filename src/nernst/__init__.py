"""nernst: membrane electrochemistry.

Equilibrium (Nernst) potentials, Goldman-Hodgkin-Katz voltage, current and flux, the
energetics of ion gradients, a cited ion table and preset cells.

Conventions: V = V_in - V_out in mV; concentrations in mM; temperature keyword-only
``celsius=`` (default 37); positive current and flux are outward; energies in J/mol;
constants are CODATA 2018 exact values (:mod:`nernst.constants`).

The public names are listed once, in :data:`nernst._api.API` (module and units of each);
``__all__`` and the loader below are built from it. A name loads its module on first use
(PEP 562), so ``import nernst`` and the command line's ``--help`` stay fast. Physics
functions accept pint Quantities in any compatible unit and then return Quantities
(:mod:`nernst.units`); plain numbers keep meaning mV, mM, degC, cm/s.

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
        ActivityRangeWarning,
        activity_coefficient,
        debye_huckel_constants,
        ionic_strength,
        mean_activity_coefficient,
    )
    from nernst.bioenergetics import (
        atp_hydrolysis_free_energy,
        atp_synthase_protons,
        proton_free_energy,
        proton_motive_force,
    )
    from nernst.cell import Cell, CellReport, IonReport, presets
    from nernst.conductance import (
        chord_potential,
        chord_weights,
        conductance_from_permeability,
        permeability_from_conductance,
    )
    from nernst.constants import kelvin, thermal_voltage
    from nernst.cotransport import (
        Cotransporters,
        chloride_steady_state,
        kcc2_flux,
        nkcc1_flux,
    )
    from nernst.donnan import DonnanResult, ElectroneutralityWarning, donnan_equilibrium
    from nernst.dynamics import (
        Perturbation,
        PumpLeakSteadyState,
        Simulation,
        ions_for_potential,
        membrane_time_constant,
        pump_leak_steady_state,
        simulate,
    )
    from nernst.energetics import (
        IonTransport,
        TransportAnalysis,
        driving_force,
        equilibrium_internal_concentration,
        flux_direction,
        needs_active_transport,
        pumping_work,
        stored_energy,
        transport_analysis,
        transport_free_energy,
        transport_verdict,
    )
    from nernst.ghk import (
        ghk_chord_conductance,
        ghk_current,
        ghk_flux,
        ghk_slope_conductance,
        ghk_voltage,
    )
    from nernst.hh import (
        ActionPotential,
        HHMembrane,
        Stimulus,
        VoltageClampFamily,
        hh_gates,
        hh_rates,
        simulate_hh,
        voltage_clamp_hh,
    )
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
    from nernst.pump import (
        K_PER_CYCLE,
        NA_PER_CYCLE,
        NaKPump,
        nak_pump_current,
        sodium_pump_current,
        sodium_pump_free_energy,
        sodium_pump_is_possible,
        sodium_pump_margin,
        sodium_pump_reversal_potential,
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

from nernst._api import API, CLASS, DATA, UNITLESS

__all__ = sorted([*API, "__version__"])


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("nernst")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            value = "0.0.0+unknown"
    elif name in API:
        module, spec = API[name]
        value = getattr(importlib.import_module(module), name)
        if spec not in (UNITLESS, CLASS, DATA) and not isinstance(value, type):
            from nernst.units import quantity_aware

            value = quantity_aware(value, spec, name=name)  # type: ignore[arg-type]
    else:
        raise AttributeError(f"module 'nernst' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
