"""The public API of :mod:`nernst`, listed once.

One table, :data:`API`, names every public object: the module it lives in and, for a
function, its units specification. ``nernst.__all__``, the lazy loader (PEP 562
``nernst.__getattr__``) and the pint layer (:mod:`nernst.units`) are all built from it, so a
new public function is added here and nowhere else (``tests/test_package.py`` checks that the
type-checking imports in ``nernst/__init__.py`` agree with it).

An entry is ``name: (module, spec)``. ``module`` is one dotted string (when a name moves to
another module only that string changes). ``spec`` is one of

- :class:`Units`: a physics function that accepts pint Quantities; the public name is the
  function wrapped by :func:`nernst.units.quantity_aware`;
- :data:`UNITLESS`: a function that takes no physical quantity (a name, a table lookup);
- :data:`CLASS`: a class (result objects, exceptions; classes that accept Quantities, such as
  :class:`~nernst.Cell`, are decorated where they are defined and also carry a :class:`Units`
  entry, see :data:`QUANTITY_CLASSES`);
- :data:`DATA`: a constant or table.

Argument units are looked up by argument name in :data:`ARGUMENT_UNITS` (the package's
conventions: ``v_m`` is mV everywhere, ``c_in`` mM, ``celsius`` degC ...), overridden per
function by ``Units.args`` where one name means another unit (``i_max`` of the deprecated
``nak_pump_current`` is uA/cm^2). Arguments that are not quantities (ion names, model names,
tolerances of solvers) are listed in :data:`PLAIN_ARGUMENTS`; a test checks that every
argument of every wrapped function is in one table or the other.

This module imports nothing: reading the table costs nothing at ``import nernst``.

>>> API["equilibrium_potential"]
('nernst.nernst', Units(returns='mV', args={}, legacy_positional=(), mappings_screened=()))
>>> ARGUMENT_UNITS["c_in"], ARGUMENT_UNITS["celsius"]
('mM', 'degC')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, NamedTuple

#: A unit (a pint unit string; "" is dimensionless), or several accepted alternatives (the
#: first compatible one is used): ``("cm/s", "")`` is an absolute or a relative permeability.
UnitSpec = str | tuple[str, ...]


class Units(NamedTuple):
    """Units specification of a public function (or class constructor).

    Attributes
    ----------
    returns : str, tuple of str, callable or None
        Unit of the result (a float or array becomes a Quantity in it); a tuple for a tuple
        result; a callable ``(arguments) -> unit`` when the unit depends on an argument; a
        mapping result gets the unit on each value; None: the result is returned as it is
        (booleans, signs, verdicts, result objects whose fields carry documented units).
    args : mapping of str to unit
        Units of arguments that differ from :data:`ARGUMENT_UNITS` for this function.
    legacy_positional : tuple of str
        Names of the positional arguments of a deprecated calling form (``ghk_current(v, ion)``),
        used for positional Quantities that the current signature has no place for.
    mappings_screened : tuple of str
        Mapping arguments whose values the function itself screens for Quantities (its
        validation raises :class:`nernst.units.QuantityInputError` on one that it reads):
        the wrapper then passes a plain dict on without looking at its values and converts
        only when that error comes back. ``tests/test_units.py`` checks each one.
    """

    returns: UnitSpec | Callable[[Mapping[str, Any]], Any] | None
    args: Mapping[str, UnitSpec] = {}
    legacy_positional: tuple[str, ...] = ()
    mappings_screened: tuple[str, ...] = ()


UNITLESS: Final = "unitless"
CLASS: Final = "class"
DATA: Final = "data"

Spec = Units | str

#: The units of argument names, as the package's conventions define them (plain numbers are
#: read in these units; Quantities are converted to them).
ARGUMENT_UNITS: Final[dict[str, UnitSpec]] = {
    # potentials [mV]
    "v_m": "mV",
    "v": "mV",  # deprecated spelling of v_m
    "delta_psi": "mV",  # deprecated spelling of v_m (bioenergetics)
    "v_rev": "mV",
    "delta_v": "mV",
    "v_from": "mV",
    "v_to": "mV",
    "v0": "mV",
    "target": "mV",
    "tolerance": "mV",
    "pmf": "mV",
    # concentrations [mM] (= mol/m^3)
    "c_in": "mM",
    "c_out": "mM",
    "inside": "mM",  # deprecated spelling of c_in
    "outside": "mM",  # deprecated spelling of c_out
    "c_from": "mM",
    "c_to": "mM",
    "c_x_in": "mM",
    "c_x_out": "mM",
    "c_ref_in": "mM",
    "c_ref_out": "mM",
    "na_in": "mM",
    "na_out": "mM",
    "k_in": "mM",
    "k_out": "mM",
    "km_na": "mM",
    "km_k": "mM",
    "atp": "mM",
    "adp": "mM",
    "pi": "mM",
    "pipette": "mM",
    "bath": "mM",
    "concentrations": "mM",
    "salts": "mM",
    "fixed_charge": "mM",
    "fixed_charge_mM": "mM",  # deprecated spelling of fixed_charge
    "osmolytes_out": "mM",  # osmolarity [mOsm/L], a concentration of osmoles
    "outside_osmolytes_mM": "mM",  # deprecated spelling of osmolytes_out
    "osmolarity_out": "mM",
    "ionic_strength": "mol/L",
    "molality": "mol/kg",
    "ligands_total": "mM",
    "metals_total": "mM",
    "spectators": "mM",
    "ph": "",
    "pco2": "atm",
    # temperature [degC]; absolute temperatures (K, degF) are converted with their offset
    "celsius": "degC",
    # membrane properties
    "permeability": ("cm/s", ""),  # absolute [cm/s] or relative (dimensionless)
    "p_reference": "cm/s",
    "capacitance": "uF/cm^2",
    "i_max": "mA/cm^2",
    "conductance": ("S/cm^2", ""),  # absolute [S/cm^2] or relative (chord_potential)
    "g_cl": "S/cm^2",
    "rate": "mol/(cm^2*s)",
    "kcc2": "mol/(cm^2*s)",
    "nkcc1": "mol/(cm^2*s)",
    "E": "mV",
    "levels": "mV",
    "hold": "mV",
    "spike_level": "mV",
    "start": "s",
    "duration": "s",
    "dt": "s",
    # energies [J/mol]
    "dg_atp": "J/mol",
    "delta_g_atp": "J/mol",  # deprecated spelling of dg_atp
    "delta_g0_prime": "J/mol",
    # geometry and time
    "ion_size": "nm",
    "radius": "um",
    "area": "um^2",
    "volume": "um^3",
    "until": "s",
    "t_eval": "s",
    # dimensionless numbers (a dimensionless Quantity, e.g. in percent, is accepted)
    "gamma_in": "",
    "gamma_out": "",
    "delta_ph": "",
    "fixed_valence": "",
    "fixed": "",
    "hill": "",
    # physical constants (overrides to reproduce a textbook's rounding)
    "R": "J/(mol*K)",
    "F": "C/mol",
}

#: Arguments that are not physical quantities: names, choices, switches, solver settings.
#: A Quantity given to one of them is an error.
PLAIN_ARGUMENTS: Final[frozenset[str]] = frozenset(
    {
        "ion",
        "_old_ion",  # ghk_current/ghk_flux: the ion of the deprecated f(v, ion) call
        "ion_or_z",
        "ions",
        "ion_x",
        "ion_ref",
        "cation",
        "anion",
        "reference",
        "z",
        "axis",
        "model",
        "method",
        "scale",
        "permeant",
        "volume_constraint",
        "voltage_dependent",
        "cell",
        "perturb",
        "start",
        "pump",
        "impermeant_valence",
        "stop_at_target",
        "rtol",
        "atol",
        "progress",
        "activity",
        "name",
        "title",
        "description",
        "sources",
        "kind",
        "membrane",
        "stimulus",
        "cotransport",
        "mobility_model",
        "custom_ions",
        "unknown_mobility",
        "activity_model",
        "ligand",
        "metal",
        "salt",
        "step",
        "titrant_ion",
        "old_positional",
    }
)


def _debye_huckel_units(arguments: Mapping[str, Any]) -> tuple[str, str]:
    per = "kg/mol" if arguments.get("scale", "molal") == "molal" else "L/mol"
    return (f"({per})**0.5", f"({per})**0.5/nm")


_T = "nernst.constants"
_N = "nernst.nernst"
_G = "nernst.ghk"
_E = "nernst.energetics"
_BIO = "nernst.bioenergetics"
_PUMP = "nernst.pump"
_D = "nernst.dynamics"
_A = "nernst.activity"
_J = "nernst.junction"

#: name -> (module, spec): every public name of nernst, once.
API: Final[dict[str, tuple[str, Spec]]] = {
    # equilibrium potentials, temperature, ions
    "equilibrium_potential": (_N, Units("mV")),
    "kelvin": (_T, Units("K")),
    "thermal_voltage": (_T, Units("mV")),
    "valence": ("nernst.ions", UNITLESS),
    "Ion": ("nernst.ions", CLASS),
    "ions": ("nernst.ions", DATA),
    # Goldman-Hodgkin-Katz
    "ghk_voltage": (_G, Units("mV", mappings_screened=("permeability", "c_in", "c_out"))),
    "ghk_current": (_G, Units("mA/cm^2", legacy_positional=("v", "ion"))),
    "ghk_flux": (_G, Units("mol/(cm^2*s)", legacy_positional=("v", "ion"))),
    "ghk_slope_conductance": (_G, Units("S/cm^2")),
    "ghk_chord_conductance": (_G, Units("S/cm^2")),
    # cells
    "Cell": (
        "nernst.cell",
        Units(None, legacy_positional=("c_in", "c_out", "permeability", "celsius")),
    ),
    "CellReport": ("nernst.cell", CLASS),
    "IonReport": ("nernst.cell", CLASS),
    "presets": ("nernst.cell", UNITLESS),
    # energetics of gradients
    "driving_force": (_E, Units("mV")),
    "flux_direction": (_E, Units(None)),
    "needs_active_transport": (_E, Units(None)),
    "pumping_work": (_E, Units("J/mol")),
    "stored_energy": (_E, Units("J/mol")),
    "transport_free_energy": (_E, Units("J/mol")),
    "transport_verdict": (_E, Units(None)),
    "equilibrium_internal_concentration": (_E, Units("mM")),
    "transport_analysis": (_E, Units(None)),
    "TransportAnalysis": (_E, CLASS),
    "IonTransport": (_E, CLASS),
    # bioenergetics
    "proton_motive_force": (_BIO, Units("mV")),
    "proton_free_energy": (_BIO, Units("J/mol")),
    "atp_synthase_protons": (_BIO, Units("")),
    "atp_hydrolysis_free_energy": (_BIO, Units("J/mol")),
    # the Na+/K+-ATPase
    "sodium_pump_free_energy": (_PUMP, Units("J/mol")),
    "sodium_pump_reversal_potential": (_PUMP, Units("mV")),
    "sodium_pump_margin": (_PUMP, Units("J/mol")),
    "sodium_pump_is_possible": (_PUMP, Units(None)),
    "sodium_pump_current": (_PUMP, Units("mA/cm^2")),
    "nak_pump_current": (
        _PUMP,
        Units("uA/cm^2", args={"i_max": "uA/cm^2"}, legacy_positional=("v",)),
    ),
    "NaKPump": (_PUMP, CLASS),
    "NA_PER_CYCLE": (_PUMP, DATA),
    "K_PER_CYCLE": (_PUMP, DATA),
    # Donnan equilibrium, permeability ratios
    "donnan_equilibrium": ("nernst.donnan", Units(None, legacy_positional=("c_out",))),
    "DonnanResult": ("nernst.donnan", CLASS),
    "ElectroneutralityWarning": ("nernst.donnan", CLASS),
    "permeability_ratio_biionic": (
        "nernst.permeability",
        Units("", legacy_positional=("v_rev",)),
    ),
    "fit_permeabilities": ("nernst.permeability", Units(None, legacy_positional=("v_rev",))),
    "PermeabilityFit": ("nernst.permeability", CLASS),
    "explain_permeability_ratio_biionic": (
        "nernst.permeability",
        Units(None, legacy_positional=("v_rev",)),
    ),
    # activities
    "ionic_strength": (_A, Units("mol/L")),
    "activity_coefficient": (_A, Units("")),
    "mean_activity_coefficient": (_A, Units("")),
    "debye_huckel_constants": (_A, Units(_debye_huckel_units)),
    "ACTIVITY_MODELS": (_A, DATA),
    "ActivityRangeWarning": (_A, CLASS),
    # sweeps and dynamics
    "sweep": ("nernst.sweeps", UNITLESS),
    "simulate": (_D, Units(None)),
    "pump_leak_steady_state": (_D, Units(None)),
    "Simulation": (_D, CLASS),
    "PumpLeakSteadyState": (_D, CLASS),
    "Perturbation": (_D, CLASS),
    "membrane_time_constant": (_D, Units("ms")),
    "ions_for_potential": (_D, Units("mol/cm^2", legacy_positional=("delta_v", "ion"))),
    # neuronal communication: chord conductance, Hodgkin-Huxley, chloride
    "chord_potential": ("nernst.conductance", Units("mV")),
    "chord_weights": ("nernst.conductance", Units("")),
    "conductance_from_permeability": ("nernst.conductance", Units("S/cm^2")),
    "permeability_from_conductance": ("nernst.conductance", Units("cm/s")),
    "HHMembrane": ("nernst.hh", CLASS),
    "Stimulus": ("nernst.hh", CLASS),
    "ActionPotential": ("nernst.hh", CLASS),
    "VoltageClampFamily": ("nernst.hh", CLASS),
    "hh_rates": ("nernst.hh", Units("1/ms")),
    "hh_gates": ("nernst.hh", Units(None)),
    "simulate_hh": ("nernst.hh", Units(None)),
    "voltage_clamp_hh": ("nernst.hh", Units(None)),
    "kcc2_flux": ("nernst.cotransport", Units("mol/(cm^2*s)")),
    "nkcc1_flux": ("nernst.cotransport", Units("mol/(cm^2*s)")),
    "chloride_steady_state": ("nernst.cotransport", Units("mV")),
    "Cotransporters": ("nernst.cotransport", CLASS),
    # liquid junction potentials and recording solutions
    "liquid_junction_potential": (_J, Units("mV")),
    "junction_report": (_J, Units(None)),
    "JunctionReport": (_J, CLASS),
    "solution_from_salts": (_J, Units("mM")),
    "recording_solutions": (_J, UNITLESS),
    "recording_solution": (_J, UNITLESS),
    "JunctionConvergenceError": (_J, CLASS),
    # recording solutions: speciation of buffers and chelators
    "Solution": ("nernst.solution", CLASS),
    "SolutionWarning": ("nernst.solution", CLASS),
    "Speciation": ("nernst.speciation", CLASS),
    "speciate": ("nernst.speciation", Units(None)),
    "apparent_pka": ("nernst.speciation", Units("")),
    "apparent_dissociation_constant": ("nernst.speciation", Units("mM")),
    "osmotic_coefficient": ("nernst.speciation", Units("")),
}

#: Classes whose constructor accepts Quantities (decorated with
#: :func:`nernst.units.accepts_quantities` where they are defined).
QUANTITY_CLASSES: Final = frozenset(
    name for name, (_, spec) in API.items() if isinstance(spec, Units) and name[0].isupper()
)
