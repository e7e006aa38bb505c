"""pint Quantities through the public API (nernst.units, built from nernst._api.API).

Every wrapped public function is called once with plain numbers in the package's units and
once with Quantities in other units (uM, mol/L, V, K, m/s, kJ/mol ...); the Quantity result,
converted back, must equal the plain one. The expected conversions are exact SI definitions
(1 mM = 1 mol/m^3 = 1000 uM, 0 degC = 273.15 K, degF = 9/5 degC + 32: BIPM SI Brochure,
9th ed., 2019, tables 8 and 9), not values computed by nernst.
"""

from __future__ import annotations

import importlib
import inspect
import math
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nernst
from nernst import _api, units
from nernst import ghk as raw_ghk
from nernst import nernst as raw_nernst
from nernst.units import QuantityInputError

pint = pytest.importorskip("pint")
ureg = pint.UnitRegistry()
Q_ = ureg.Quantity

KIN = {"K+": 140.0, "Na+": 10.0, "Cl-": 10.0}
KOUT = {"K+": 5.0, "Na+": 145.0, "Cl-": 110.0}
PERM = {"K+": 1e-6, "Na+": 4e-8, "Cl-": 4.5e-7}


def q_map(values: dict[str, float], unit: str, factor: float) -> dict[str, Any]:
    """The same mapping as Quantities in ``unit`` (``factor`` = package unit / ``unit``)."""
    return {ion: Q_(value * factor, unit) for ion, value in values.items()}


# name -> (plain call, Quantity call). The Quantity call expresses the same inputs in other
# units; its result, converted to the plain call's unit, must agree.
CASES: dict[str, tuple[Callable[[], Any], Callable[[], Any]]] = {
    "ghk_chord_conductance": (
        lambda: nernst.ghk_chord_conductance("K+", v_m=-60, permeability=1e-6, c_in=140, c_out=5),
        lambda: nernst.ghk_chord_conductance(
            "K+", v_m=Q_(-0.06, "V"), permeability=Q_(1e-8, "m/s"), c_in=Q_(0.14, "M"), c_out=5
        ).to("S/cm^2"),
    ),
    "apparent_pka": (
        lambda: nernst.apparent_pka("HEPES", celsius=37, ionic_strength=0.1),
        lambda: nernst.apparent_pka(
            "HEPES", celsius=Q_(310.15, "K"), ionic_strength=Q_(100, "mmol/L")
        ),
    ),
    "apparent_dissociation_constant": (
        lambda: nernst.apparent_dissociation_constant("EGTA", ph=7.2, celsius=20),
        lambda: nernst.apparent_dissociation_constant(
            "EGTA", ph=7.2, celsius=Q_(293.15, "K"), ionic_strength=Q_(0.1, "mol/L")
        ).to("mM"),
    ),
    "osmotic_coefficient": (
        lambda: nernst.osmotic_coefficient("NaCl", 0.1),
        lambda: nernst.osmotic_coefficient("NaCl", Q_(100, "mmol/kg")),
    ),
    "speciate": (
        lambda: nernst.speciate(ligands_total={"HEPES": 10}, ph=7.3, titrant_ion="K+").species,
        lambda: (
            nernst.speciate(
                ligands_total={"HEPES": Q_(0.01, "mol/L")}, ph=7.3, titrant_ion="K+"
            ).species
        ),
    ),
    "chord_potential": (
        lambda: nernst.chord_potential({"K+": 3.67e-4, "Na+": 1.06e-5}, E={"K+": -77, "Na+": 50}),
        lambda: nernst.chord_potential(
            {"K+": Q_(0.367, "mS/cm^2"), "Na+": Q_(1.06e-5, "S/cm^2")},
            E={"K+": Q_(-0.077, "V"), "Na+": 50},
        ),
    ),
    "chord_weights": (
        lambda: nernst.chord_weights({"K+": 3.0, "Na+": 1.0}),
        lambda: nernst.chord_weights({"K+": Q_(3, "mS/cm^2"), "Na+": Q_(1e-3, "S/cm^2")}),
    ),
    "conductance_from_permeability": (
        lambda: nernst.conductance_from_permeability(
            "K+", permeability=1e-6, v_m=-60, c_in=140, c_out=5
        ),
        lambda: nernst.conductance_from_permeability(
            "K+", permeability=Q_(1e-8, "m/s"), v_m=Q_(-60, "mV"), c_in=Q_(0.14, "M"), c_out=5
        ),
    ),
    "permeability_from_conductance": (
        lambda: nernst.permeability_from_conductance(
            "K+", conductance=6e-5, v_m=-60, c_in=140, c_out=5
        ),
        lambda: nernst.permeability_from_conductance(
            "K+", conductance=Q_(0.06, "mS/cm^2"), v_m=-60, c_in=140, c_out=Q_(5, "mM")
        ),
    ),
    "hh_rates": (
        lambda: nernst.hh_rates(-65, celsius=6.3),
        lambda: nernst.hh_rates(Q_(-0.065, "V"), celsius=Q_(279.45, "K")),
    ),
    "hh_gates": (
        lambda: nernst.hh_gates(-65),
        lambda: nernst.hh_gates(Q_(-65, "mV")),
    ),
    "simulate_hh": (
        lambda: nernst.simulate_hh(stimulus="10uA/cm2@1ms:1ms", until=0.004, dt=2e-5).peak,
        lambda: (
            nernst.simulate_hh(stimulus="10uA/cm2@1ms:1ms", until=Q_(4, "ms"), dt=Q_(20, "us")).peak
        ),
    ),
    "voltage_clamp_hh": (
        lambda: nernst.voltage_clamp_hh(levels=[0.0], start=1e-3, duration=2e-3).steady_k[0],
        lambda: nernst.voltage_clamp_hh(
            levels=Q_([0.0], "mV"), start=Q_(1, "ms"), duration=Q_(2, "ms")
        ).steady_k[0],
    ),
    "kcc2_flux": (
        lambda: nernst.kcc2_flux(
            rate=1e-12, c_in={"K+": 140, "Cl-": 10}, c_out={"K+": 5, "Cl-": 130}
        ),
        lambda: nernst.kcc2_flux(
            rate=Q_(1e-8, "mol/(m^2*s)"),
            c_in={"K+": 140, "Cl-": Q_(10, "mM")},
            c_out={"K+": 5, "Cl-": 130},
        ),
    ),
    "nkcc1_flux": (
        lambda: nernst.nkcc1_flux(
            rate=1e-12,
            c_in={"K+": 140, "Na+": 10, "Cl-": 10},
            c_out={"K+": 5, "Na+": 145, "Cl-": 130},
        ),
        lambda: nernst.nkcc1_flux(
            rate=Q_(1e-12, "mol/(cm^2*s)"),
            c_in={"K+": 140, "Na+": Q_(1e4, "uM"), "Cl-": 10},
            c_out={"K+": 5, "Na+": 145, "Cl-": 130},
        ),
    ),
    "chloride_steady_state": (
        lambda: nernst.chloride_steady_state(
            v_m=-65, c_in={"K+": 140, "Na+": 10}, c_out={"K+": 5, "Na+": 145}, g_cl=1e-5, kcc2=1e-11
        ),
        lambda: nernst.chloride_steady_state(
            v_m=Q_(-65, "mV"),
            c_in={"K+": 140, "Na+": 10},
            c_out={"K+": 5, "Na+": 145},
            g_cl=Q_(0.01, "mS/cm^2"),
            kcc2=Q_(1e-11, "mol/(cm^2*s)"),
        ),
    ),
    "equilibrium_potential": (
        lambda: nernst.equilibrium_potential("K+", c_in=140, c_out=5, celsius=37),
        lambda: nernst.equilibrium_potential(
            "K+", c_in=Q_(0.14, "mol/L"), c_out=Q_(5000, "uM"), celsius=Q_(310.15, "K")
        ),
    ),
    "kelvin": (lambda: nernst.kelvin(37), lambda: nernst.kelvin(Q_(98.6, "degF"))),
    "thermal_voltage": (
        lambda: nernst.thermal_voltage(celsius=25),
        lambda: nernst.thermal_voltage(celsius=Q_(298.15, "K")),
    ),
    "ghk_voltage": (
        lambda: nernst.ghk_voltage(PERM, c_in=KIN, c_out=KOUT),
        lambda: nernst.ghk_voltage(
            q_map(PERM, "m/s", 1e-2), c_in=q_map(KIN, "uM", 1e3), c_out=q_map(KOUT, "mol/m^3", 1)
        ),
    ),
    "ghk_current": (
        lambda: nernst.ghk_current("K+", v_m=-70, permeability=1e-6, c_in=140, c_out=5),
        lambda: nernst.ghk_current(
            Q_(-0.07, "V"), "K+", permeability=Q_(1e-8, "m/s"), c_in=Q_(140, "mM"), c_out=5
        ),
    ),
    "ghk_flux": (
        lambda: nernst.ghk_flux("K+", v_m=-70, permeability=1e-6, c_in=140, c_out=5),
        lambda: nernst.ghk_flux(
            -70, "K+", permeability=1e-6, c_in=Q_(140e3, "uM"), c_out=Q_(5, "mM")
        ),
    ),
    "ghk_slope_conductance": (
        lambda: nernst.ghk_slope_conductance("K+", v_m=-70, permeability=1e-6, c_in=140, c_out=5),
        lambda: nernst.ghk_slope_conductance(
            "K+", v_m=Q_(-70e3, "uV"), permeability=Q_(1e-6, "cm/s"), c_in=140, c_out=5
        ),
    ),
    "driving_force": (
        lambda: nernst.driving_force("K+", v_m=-70, c_in=140, c_out=5),
        lambda: nernst.driving_force("K+", v_m=Q_(-0.07, "V"), c_in=140, c_out=5),
    ),
    "flux_direction": (
        lambda: nernst.flux_direction("Na+", v_m=-70, c_in=10, c_out=145),
        lambda: nernst.flux_direction("Na+", v_m=Q_(-0.07, "V"), c_in=10, c_out=145),
    ),
    "needs_active_transport": (
        lambda: nernst.needs_active_transport("Na+", v_m=-70, c_in=10, c_out=145),
        lambda: nernst.needs_active_transport("Na+", v_m=-70, c_in=Q_(0.01, "M"), c_out=145),
    ),
    "transport_verdict": (
        lambda: nernst.transport_verdict("Na+", v_m=-70, c_in=10, c_out=145),
        lambda: nernst.transport_verdict("Na+", v_m=-70, c_in=10, c_out=Q_(0.145, "M")),
    ),
    "pumping_work": (
        lambda: nernst.pumping_work("Na+", v_m=-70, c_in=10, c_out=145),
        lambda: nernst.pumping_work("Na+", v_m=Q_(-70, "mV"), c_in=10, c_out=145),
    ),
    "stored_energy": (
        lambda: nernst.stored_energy("K+", c_in=140, c_out=5),
        lambda: nernst.stored_energy("K+", c_in=Q_(140, "mM"), c_out=Q_(5, "mM")),
    ),
    "transport_free_energy": (
        lambda: nernst.transport_free_energy("Na+", c_from=145, c_to=10, v_from=0, v_to=-70),
        lambda: nernst.transport_free_energy(
            "Na+", c_from=Q_(145, "mM"), c_to=10, v_from=0, v_to=Q_(-0.07, "V")
        ),
    ),
    "equilibrium_internal_concentration": (
        lambda: nernst.equilibrium_internal_concentration("K+", v_m=-89, c_out=5),
        lambda: nernst.equilibrium_internal_concentration(
            "K+", v_m=Q_(-0.089, "V"), c_out=Q_(5000, "uM")
        ),
    ),
    "transport_analysis": (
        lambda: nernst.transport_analysis(v_m=-70, inside=KIN, outside=KOUT).to_dict(),
        lambda: nernst.transport_analysis(
            v_m=Q_(-0.07, "V"), inside=q_map(KIN, "M", 1e-3), outside=KOUT
        ).to_dict(),
    ),
    "proton_motive_force": (
        lambda: nernst.proton_motive_force(delta_psi=-150, delta_ph=0.5),
        lambda: nernst.proton_motive_force(delta_psi=Q_(-0.15, "V"), delta_ph=Q_(0.5, "")),
    ),
    "proton_free_energy": (
        lambda: nernst.proton_free_energy(delta_psi=-150, delta_ph=0.5),
        lambda: nernst.proton_free_energy(delta_psi=Q_(-150, "mV"), delta_ph=0.5),
    ),
    "atp_synthase_protons": (
        lambda: nernst.atp_synthase_protons(delta_g_atp=50e3, pmf=180),
        lambda: nernst.atp_synthase_protons(delta_g_atp=Q_(50, "kJ/mol"), pmf=Q_(0.18, "V")),
    ),
    "atp_hydrolysis_free_energy": (
        lambda: nernst.atp_hydrolysis_free_energy(atp=3, adp=0.1, pi=5),
        lambda: nernst.atp_hydrolysis_free_energy(
            atp=Q_(3e-3, "M"), adp=Q_(100, "uM"), pi=5, delta_g0_prime=Q_(-30.5, "kJ/mol")
        ),
    ),
    "sodium_pump_free_energy": (
        lambda: nernst.sodium_pump_free_energy(v_m=-70, na_in=10, na_out=145, k_in=140, k_out=5),
        lambda: nernst.sodium_pump_free_energy(
            v_m=Q_(-0.07, "V"), na_in=Q_(10, "mM"), na_out=145, k_in=140, k_out=Q_(5e3, "uM")
        ),
    ),
    "sodium_pump_reversal_potential": (
        lambda: nernst.sodium_pump_reversal_potential(
            dg_atp=-50e3, na_in=10, na_out=145, k_in=140, k_out=5
        ),
        lambda: nernst.sodium_pump_reversal_potential(
            dg_atp=Q_(-50, "kJ/mol"), na_in=10, na_out=145, k_in=140, k_out=5
        ),
    ),
    "sodium_pump_margin": (
        lambda: nernst.sodium_pump_margin(
            v_m=-70, dg_atp=-50e3, na_in=10, na_out=145, k_in=140, k_out=5
        ),
        lambda: nernst.sodium_pump_margin(
            v_m=-70, dg_atp=Q_(-50, "kJ/mol"), na_in=10, na_out=145, k_in=140, k_out=5
        ),
    ),
    "sodium_pump_is_possible": (
        lambda: nernst.sodium_pump_is_possible(
            v_m=-70, dg_atp=-50e3, na_in=10, na_out=145, k_in=140, k_out=5
        ),
        lambda: nernst.sodium_pump_is_possible(
            v_m=-70, dg_atp=Q_(-50, "kJ/mol"), na_in=10, na_out=145, k_in=140, k_out=5
        ),
    ),
    "sodium_pump_current": (
        lambda: nernst.sodium_pump_current(v_m=-70, na_in=10, k_out=5, i_max=1.5e-3),
        lambda: nernst.sodium_pump_current(
            v_m=Q_(-70, "mV"), na_in=Q_(10e3, "uM"), k_out=5, i_max=Q_(1.5, "uA/cm^2")
        ),
    ),
    "nak_pump_current": (
        lambda: nernst.nak_pump_current(-70, na_in=10, k_out=5, i_max=1.5),
        lambda: nernst.nak_pump_current(
            Q_(-0.07, "V"), na_in=10, k_out=Q_(5, "mM"), i_max=Q_(1.5e-3, "mA/cm^2")
        ),
    ),
    "donnan_equilibrium": (
        lambda: nernst.donnan_equilibrium({"K+": 100, "Cl-": 100}, fixed_charge_mM=50).to_dict(),
        lambda: nernst.donnan_equilibrium(
            {"K+": Q_(0.1, "M"), "Cl-": 100}, fixed_charge_mM=Q_(50, "mM")
        ).to_dict(),
    ),
    "permeability_ratio_biionic": (
        lambda: nernst.permeability_ratio_biionic(
            -20, ion_x="Na+", ion_ref="K+", c_x_out=150, c_ref_in=150
        ),
        lambda: nernst.permeability_ratio_biionic(
            Q_(-0.02, "V"), ion_x="Na+", ion_ref="K+", c_x_out=Q_(0.15, "M"), c_ref_in=150
        ),
    ),
    "explain_permeability_ratio_biionic": (
        lambda: nernst.explain_permeability_ratio_biionic(
            -20, ion_x="Na+", ion_ref="K+", c_x_out=150, c_ref_in=150
        ),
        lambda: nernst.explain_permeability_ratio_biionic(
            Q_(-20, "mV"), ion_x="Na+", ion_ref="K+", c_x_out=Q_(150, "mM"), c_ref_in=150
        ),
    ),
    "fit_permeabilities": (
        lambda: nernst.fit_permeabilities(
            np.array([-80.0, -50.0, -30.0]),
            c_in={"K+": 140, "Na+": 10},
            c_out={"K+": np.array([5.0, 20.0, 50.0]), "Na+": np.array([145.0, 130.0, 100.0])},
            ions=["K+", "Na+"],
        ).to_dict(),
        lambda: nernst.fit_permeabilities(
            Q_(np.array([-0.08, -0.05, -0.03]), "V"),
            c_in={"K+": Q_(0.14, "M"), "Na+": 10},
            c_out={
                "K+": Q_(np.array([5.0, 20.0, 50.0]), "mM"),
                "Na+": np.array([145.0, 130.0, 100.0]),
            },
            ions=["K+", "Na+"],
        ).to_dict(),
    ),
    "ionic_strength": (
        lambda: nernst.ionic_strength({"Na+": 150, "Cl-": 150}),
        lambda: nernst.ionic_strength({"Na+": Q_(0.15, "M"), "Cl-": Q_(150e3, "uM")}),
    ),
    "activity_coefficient": (
        lambda: nernst.activity_coefficient("K+", ionic_strength=0.15),
        lambda: nernst.activity_coefficient(
            "K+", ionic_strength=Q_(150, "mM"), celsius=Q_(298.15, "K")
        ),
    ),
    "mean_activity_coefficient": (
        lambda: nernst.mean_activity_coefficient("Na+", "Cl-", molality=0.1),
        lambda: nernst.mean_activity_coefficient("Na+", "Cl-", molality=Q_(100, "mmol/kg")),
    ),
    "debye_huckel_constants": (
        lambda: nernst.debye_huckel_constants(celsius=25),
        lambda: nernst.debye_huckel_constants(celsius=Q_(77, "degF")),
    ),
    "membrane_time_constant": (
        lambda: nernst.membrane_time_constant(PERM, c_in=KIN, c_out=KOUT, capacitance=1.0),
        lambda: nernst.membrane_time_constant(
            q_map(PERM, "m/s", 1e-2), c_in=KIN, c_out=KOUT, capacitance=Q_(1e-2, "F/m^2")
        ),
    ),
    "ions_for_potential": (
        lambda: nernst.ions_for_potential(10, "K+", capacitance=1.0),
        lambda: nernst.ions_for_potential(Q_(0.01, "V"), "K+", capacitance=Q_(1, "uF/cm^2")),
    ),
    "liquid_junction_potential": (
        lambda: nernst.liquid_junction_potential({"Na+": 50, "Cl-": 50}, {"K+": 50, "Cl-": 50}),
        lambda: nernst.liquid_junction_potential(
            {"Na+": Q_(0.05, "M"), "Cl-": 50},
            {"K+": 50, "Cl-": Q_(50, "mM")},
            celsius=Q_(25, "degC"),
        ),
    ),
    "junction_report": (
        lambda: nernst.junction_report({"Na+": 50, "Cl-": 50}, {"K+": 50, "Cl-": 50}).to_dict(),
        lambda: nernst.junction_report(
            {"Na+": Q_(0.05, "M"), "Cl-": 50}, {"K+": 50, "Cl-": 50}
        ).to_dict(),
    ),
    "solution_from_salts": (
        lambda: nernst.solution_from_salts({"NaCl": 150, "KCl": 5}),
        lambda: nernst.solution_from_salts({"NaCl": Q_(0.15, "M"), "KCl": 5}),
    ),
    "simulate": (
        lambda: nernst.simulate(nernst.Cell.preset(), until=0.01, capacitance=1.0).to_dict(),
        lambda: nernst.simulate(
            nernst.Cell.preset(), until=Q_(10, "ms"), capacitance=Q_(1e-2, "F/m^2")
        ).to_dict(),
    ),
    "pump_leak_steady_state": (
        lambda: nernst.pump_leak_steady_state(nernst.Cell.preset(), radius=10).V,
        lambda: nernst.pump_leak_steady_state(nernst.Cell.preset(), radius=Q_(1e-5, "m")).V,
    ),
}


def assert_same(plain: Any, quantity: Any) -> None:
    """``quantity`` (possibly nested) equals ``plain`` once converted to plain numbers."""
    if isinstance(plain, dict):
        assert set(plain) == set(quantity)
        for key in plain:
            assert_same(plain[key], quantity[key])
    elif isinstance(plain, list | tuple):
        assert len(plain) == len(quantity)
        for a, b in zip(plain, quantity, strict=True):
            assert_same(a, b)
    elif isinstance(plain, str | bool | np.bool_) or plain is None:
        assert plain == quantity
    else:
        np.testing.assert_allclose(quantity, plain, rtol=1e-9, atol=1e-12)


def wrapped_functions() -> list[str]:
    return [name for name, (_, spec) in _api.API.items() if isinstance(spec, _api.Units)]


@pytest.mark.parametrize("name", sorted(CASES))
def test_quantity_call_agrees_with_plain_call(name):
    plain_call, quantity_call = CASES[name]
    plain = plain_call()
    result = quantity_call()
    spec = _api.API[name][1]
    assert isinstance(spec, _api.Units)
    unit = spec.returns
    if callable(unit):
        unit = unit({})
    if unit is None:
        assert not units.is_quantity(result)
        assert_same(plain, result)
    elif isinstance(unit, tuple):
        assert_same(plain, tuple(r.to(u).magnitude for r, u in zip(result, unit, strict=True)))
    elif isinstance(plain, dict):
        assert_same(plain, {k: v.to(unit).magnitude for k, v in result.items()})
    else:
        assert units.is_quantity(result)
        assert_same(plain, result.to(unit).magnitude)
        assert not units.is_quantity(plain)


def test_every_wrapped_function_has_a_quantity_case():
    # Cell has its own tests below; every other function with a units spec is called here.
    assert set(wrapped_functions()) - {"Cell"} == set(CASES)


def test_seed_chapter_extremophile_in_si_units():
    # Seed chapter, "The Concentration Ratio": Z+ 7.5 mM in, 450 mM out, 37 C -> about +109 mV;
    # here 7.5 mM = 7.5 mol/m^3 and 450 mM = 0.45 mol/L, 37 degC = 310.15 K.
    E = nernst.equilibrium_potential(
        1, c_in=Q_(7.5, "mol/m^3"), c_out=Q_(0.45, "mol/L"), celsius=Q_(310.15, "K")
    )
    assert E.to("mV").magnitude == pytest.approx(109.4, abs=0.1)
    assert E.to("V").magnitude == pytest.approx(0.1094, abs=1e-4)


def test_micromolar_gives_the_same_potential_as_millimolar():
    # Hille, Ion Channels of Excitable Membranes, 3rd ed., ch. 14: Ca2+ 100 nM in, 2 mM out
    # gives about +130 mV at 37 degC (the usual textbook E_Ca). 0.1 uM = 1e-4 mM exactly.
    plain = nernst.equilibrium_potential("Ca2+", c_in=1e-4, c_out=2, celsius=37)
    q = nernst.equilibrium_potential("Ca2+", c_in=Q_(0.1, "uM"), c_out=Q_(2, "mM"), celsius=37)
    assert q.to("mV").magnitude == pytest.approx(plain, rel=1e-12)
    assert plain == pytest.approx(132.3, abs=1)


def test_result_is_in_the_documented_unit_and_converts():
    I = nernst.ghk_current("K+", v_m=-70, permeability=Q_(1e-6, "cm/s"), c_in=140, c_out=5)
    assert I.units == ureg.Unit("mA/cm^2")
    assert I.to("A/m^2").magnitude == pytest.approx(I.magnitude * 10, rel=1e-12)


def test_results_use_the_registry_of_the_first_quantity():
    other = pint.UnitRegistry()
    E = nernst.equilibrium_potential("K+", c_in=other.Quantity(140, "mM"), c_out=5)
    assert E._REGISTRY is other


@pytest.mark.parametrize(
    ("temperature", "celsius"),
    [
        (Q_(310.15, "K"), 37.0),
        (Q_(37, "degC"), 37.0),
        (Q_(98.6, "degF"), 37.0),
        (Q_(273.15, "K"), 0.0),
    ],
)
def test_temperatures_are_converted_with_their_offset(temperature, celsius):
    # BIPM SI Brochure (2019), 2.3.1: t/degC = T/K - 273.15; degF: t_F = 9/5 t_C + 32.
    plain = nernst.thermal_voltage(celsius=celsius)
    assert nernst.thermal_voltage(celsius=temperature).to("mV").magnitude == pytest.approx(
        plain, rel=1e-12
    )


def test_a_temperature_difference_is_not_a_temperature():
    with pytest.raises(ValueError, match=r"celsius=5 .* temperature difference"):
        nernst.equilibrium_potential("K+", c_in=140, c_out=5, celsius=Q_(5, "delta_degC"))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: nernst.equilibrium_potential("K+", c_in=Q_(140, "mV"), c_out=5),
            r"^c_in=140 mV: expected a concentration \(mM, uM, mol/L",
        ),
        (
            lambda: nernst.driving_force("K+", v_m=Q_(-70, "mM"), c_in=140, c_out=5),
            r"^v_m=-70 mM: expected a potential \(mV, V, uV",
        ),
        (
            lambda: nernst.equilibrium_potential("K+", c_in=140, c_out=5, celsius=Q_(37, "s")),
            r"^celsius=37 s: expected a temperature \(degC, K, degF\)",
        ),
        (
            lambda: nernst.ghk_voltage({"K+": Q_(1, "S/cm^2")}, c_in={"K+": 140}, c_out={"K+": 5}),
            r"permeability\['K\+'\]=1 S/cm²: expected a permeability \(cm/s, m/s",
        ),
        (
            lambda: nernst.ghk_voltage({"K+": 1}, c_in={"K+": 140}, c_out={"K+": Q_(5, "mV")}),
            r"^c_out\['K\+'\]=5 mV: expected a concentration",
        ),
        (
            lambda: nernst.atp_hydrolysis_free_energy(
                atp=3, adp=0.1, pi=5, delta_g0_prime=Q_(-30.5, "kJ")
            ),
            r"^delta_g0_prime=-30.5 kJ: expected a molar energy \(J/mol, kJ/mol",
        ),
        (
            lambda: nernst.equilibrium_potential("K+", c_in=140, c_out=5, gamma_in=Q_(1, "mM")),
            r"^gamma_in=1 mM: expected a dimensionless number",
        ),
        (
            lambda: nernst.equilibrium_potential(Q_(1, "mV"), c_in=140, c_out=5),
            r"^ion=1 mV: equilibrium_potential\(\) takes no units for ion",
        ),
        (
            lambda: nernst.activity_coefficient(
                "K+",
                ionic_strength=0.1,
                model=Q_(1, "mM"),  # type: ignore[arg-type]
            ),
            r"^model=1 mM: activity_coefficient\(\) takes no units",
        ),
    ],
)
def test_wrong_dimension_names_argument_unit_and_expected_kind(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_quantity_arrays_broadcast_and_keep_their_shape():
    c_in = Q_(np.array([[140.0, 150.0], [100.0, 120.0]]), "mM")
    E = nernst.equilibrium_potential("K+", c_in=c_in, c_out=Q_(5000, "uM"))
    plain = nernst.equilibrium_potential("K+", c_in=c_in.magnitude, c_out=5)
    assert E.shape == (2, 2)
    np.testing.assert_allclose(E.to("mV").magnitude, plain, rtol=1e-12)


def test_list_of_quantities():
    E = nernst.equilibrium_potential("K+", c_in=[Q_(140, "mM"), Q_(0.15, "M")], c_out=5)
    np.testing.assert_allclose(
        E.to("mV").magnitude, nernst.equilibrium_potential("K+", c_in=[140, 150], c_out=5)
    )


def test_mixed_plain_and_quantity_mapping_values():
    # Plain values in a mapping keep their documented unit (mM) next to Quantities.
    V = nernst.ghk_voltage(PERM, c_in={**KIN, "K+": Q_(0.14, "M")}, c_out=KOUT)
    assert V.to("mV").magnitude == pytest.approx(
        nernst.ghk_voltage(PERM, c_in=KIN, c_out=KOUT), rel=1e-12
    )


def test_plain_calls_return_plain_numbers():
    E = nernst.equilibrium_potential("K+", c_in=140, c_out=5)
    assert type(E) is float
    assert not units.is_quantity(
        nernst.ghk_current("K+", v_m=-70, permeability=1e-6, c_in=140, c_out=5)
    )


# -- Cell ------------------------------------------------------------------------------------


def test_cell_accepts_quantity_mappings_and_temperature():
    plain = nernst.Cell(inside=KIN, outside=KOUT, permeability=PERM, celsius=37, v_m=-70)
    cell = nernst.Cell(
        inside=q_map(KIN, "mol/L", 1e-3),
        outside=q_map(KOUT, "uM", 1e3),
        permeability=q_map(PERM, "m/s", 1e-2),
        celsius=Q_(310.15, "K"),
        v_m=Q_(-0.07, "V"),
    )
    assert cell.inside == pytest.approx(plain.inside)
    assert cell.outside == pytest.approx(plain.outside)
    assert cell.celsius == pytest.approx(37.0)
    assert cell.v_m == pytest.approx(-70.0)
    assert cell.resting_potential() == pytest.approx(plain.resting_potential(), rel=1e-12)
    assert type(cell.resting_potential()) is float  # a cell's results stay plain numbers


def test_cell_with_quantities_is_the_same_class():
    cell = nernst.Cell(inside={"K+": Q_(140, "mM")}, outside={"K+": 5}, permeability={"K+": 1})
    assert nernst.Cell is nernst.cell.Cell
    assert isinstance(cell, nernst.cell.Cell)
    assert isinstance(nernst.cell.Cell.preset(), nernst.Cell)


def test_cell_positional_quantities():
    cell = nernst.Cell({"K+": Q_(140, "mM")}, {"K+": Q_(5, "mM")}, {"K+": 1}, Q_(300, "K"))
    assert cell.celsius == pytest.approx(26.85)


def test_cell_wrong_dimension():
    with pytest.raises(ValueError, match=r"^inside\['K\+'\]=140 mV: expected a concentration"):
        nernst.Cell(inside={"K+": Q_(140, "mV")}, outside={"K+": 5})


def test_cell_signature_and_doc_are_kept():
    assert "c_in" in inspect.signature(nernst.Cell).parameters
    assert nernst.Cell.__init__.__wrapped__  # the original constructor
    assert "c_in, c_out" in (nernst.Cell.__doc__ or "")


# -- the wrapper itself -----------------------------------------------------------------------


@pytest.mark.parametrize("name", wrapped_functions())
def test_wrapper_keeps_signature_docstring_and_pickles(name):
    import pickle

    obj = getattr(nernst, name)
    module, _ = _api.API[name]
    raw = getattr(__import__(module, fromlist=[name]), name)
    if isinstance(obj, type):
        return
    assert obj is not raw
    assert obj.__wrapped__ is raw
    assert inspect.signature(obj) == inspect.signature(raw)
    assert obj.__doc__ == raw.__doc__
    assert pickle.loads(pickle.dumps(obj)) is obj


def test_magnitudes_helper():
    assert units.magnitudes(Q_(1, "M"), "mM", name="c") == pytest.approx(1000)
    assert units.magnitudes(5.0, "mM", name="c") == 5.0
    assert units.magnitudes((Q_(1, "uM"), 2), "mM", name="c") == pytest.approx((1e-3, 2))
    assert units.magnitudes(Q_(50, "percent"), "", name="g") == pytest.approx(0.5)


def test_plain_calls_never_import_pint():
    code = (
        "import sys, nernst;"
        "nernst.equilibrium_potential('K+', c_in=140, c_out=5);"
        "nernst.ghk_voltage({'K+': 1, 'Na+': 0.04}, c_in={'K+': 140, 'Na+': 10},"
        " c_out={'K+': 5, 'Na+': 145});"
        "nernst.Cell(inside={'K+': 140}, outside={'K+': 5}, permeability={'K+': 1});"
        "print('pint' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- laws ------------------------------------------------------------------------------------

# (unit, number of that unit in 1 mM): exact SI prefixes (BIPM SI Brochure 2019, table 7).
CONCENTRATION_UNITS = [("mM", 1.0), ("uM", 1e3), ("nM", 1e6), ("mol/L", 1e-3), ("mol/m^3", 1.0)]
concentrations = st.floats(min_value=1e-6, max_value=1e4)


@given(
    c_in=concentrations,
    c_out=concentrations,
    unit_in=st.sampled_from(CONCENTRATION_UNITS),
    unit_out=st.sampled_from(CONCENTRATION_UNITS),
    celsius=st.floats(min_value=0.0, max_value=100.0),
)
def test_equilibrium_potential_does_not_depend_on_the_units_it_is_given(
    c_in, c_out, unit_in, unit_out, celsius
):
    plain = nernst.equilibrium_potential("K+", c_in=c_in, c_out=c_out, celsius=celsius)
    q = nernst.equilibrium_potential(
        "K+",
        c_in=Q_(c_in * unit_in[1], unit_in[0]),
        c_out=Q_(c_out * unit_out[1], unit_out[0]),
        celsius=Q_(celsius + 273.15, "K"),
    )
    assert q.to("mV").magnitude == pytest.approx(plain, rel=1e-9, abs=1e-9)
    # and back: the result in volts is the plain result / 1000
    assert q.to("V").magnitude == pytest.approx(plain / 1000, rel=1e-9, abs=1e-12)


@given(
    v=st.floats(min_value=-200.0, max_value=200.0),
    p=st.floats(min_value=1e-9, max_value=1e-3),
)
def test_ghk_current_units_round_trip(v, p):
    plain = nernst.ghk_current("Na+", v_m=v, permeability=p, c_in=10, c_out=145)
    q = nernst.ghk_current(
        Q_(v / 1000, "V"), "Na+", permeability=Q_(p / 100, "m/s"), c_in=10, c_out=145
    )
    # 1 mA/cm^2 = 10 A/m^2 (exact)
    assert q.to("A/m^2").magnitude == pytest.approx(plain * 10, rel=1e-9, abs=1e-15)


def test_renamed_argument_shims_keep_working_through_the_wrapper():
    # A function behind nernst._deprecate.renamed_arguments takes **kwargs: the generic
    # wrapper forwards old spellings to it, converted like the new ones.
    import warnings

    from nernst._deprecate import NernstDeprecationWarning, renamed_arguments

    @renamed_arguments(v="v_m")
    def shifted(*, v_m: float, c_in: float = 1.0) -> float:
        return v_m + c_in

    wrapped = units.quantity_aware(shifted, _api.Units("mV"), name="shifted")
    assert wrapped(v_m=-70.0) == -69.0
    assert wrapped(v_m=Q_(-0.07, "V"), c_in=Q_(1, "mM")).to("mV").magnitude == pytest.approx(-69)
    with warnings.catch_warnings():
        warnings.simplefilter("error", NernstDeprecationWarning)
        with pytest.raises(NernstDeprecationWarning):
            wrapped(v=Q_(-70, "mV"))
    with pytest.warns(NernstDeprecationWarning):
        assert wrapped(v=Q_(-70, "mV")).magnitude == pytest.approx(-69)
    assert inspect.signature(wrapped) == inspect.signature(shifted)


def test_plain_functions_get_the_generated_exact_signature_wrapper():
    code = nernst.equilibrium_potential.__code__
    assert code.co_filename == "<nernst.units wrapper of equilibrium_potential>"
    # positional-only stays positional-only, keyword-only stays keyword-only
    with pytest.raises(TypeError):
        nernst.equilibrium_potential(ion="K+", c_in=140, c_out=5)
    with pytest.raises(TypeError):
        nernst.equilibrium_potential("K+", 140, 5)
    # defaults are the function's own objects
    assert nernst.equilibrium_potential("K+", c_in=140, c_out=5) == (
        nernst.nernst.equilibrium_potential("K+", c_in=140, c_out=5)
    )


def test_legacy_positional_quantities_when_the_signature_has_no_place_for_them():
    # After a rename to keyword-only arguments, a deprecated positional form reaches the
    # function through *args; Units.legacy_positional names those positions.
    def new_style(*args: Any, c_in: Any = None, c_out: Any = None) -> Any:
        return args, c_in, c_out

    spec = _api.Units(None, legacy_positional=("c_in", "c_out"))
    wrapped = units.quantity_aware(new_style, spec, name="new_style")
    args, c_in, c_out = wrapped(Q_(0.14, "M"), Q_(5000, "uM"))
    assert args == pytest.approx((140.0, 5.0))
    assert c_in is None and c_out is None
    with pytest.raises(ValueError, match=r"^argument 3=1 mV: new_style\(\) takes no units"):
        wrapped(1, 2, Q_(1, "mV"))


# -- the module-level (raw) functions refuse Quantities instead of reading their magnitude ------

RAW_CALLS: list[tuple[str, Callable[[Any], Any]]] = [
    (
        "nernst.nernst.equilibrium_potential, scalar",
        lambda q: raw_nernst.equilibrium_potential("K+", c_in=q, c_out=5.0),
    ),
    (
        "nernst.nernst.equilibrium_potential, list",
        lambda q: raw_nernst.equilibrium_potential("K+", c_in=[q, q], c_out=5.0),
    ),
    (
        "nernst.ghk.ghk_voltage, mapping value",
        lambda q: raw_ghk.ghk_voltage({"K+": 1.0}, c_in={"K+": q}, c_out={"K+": 5.0}),
    ),
    (
        "nernst.ghk.ghk_current, scalar",
        lambda q: raw_ghk.ghk_current("K+", v_m=-60.0, permeability=1e-6, c_in=q, c_out=5.0),
    ),
]


@pytest.mark.parametrize(("label", "call"), RAW_CALLS, ids=[c[0] for c in RAW_CALLS])
def test_raw_functions_refuse_quantities(label, call):
    # 0.14 mol/L read by its magnitude would be 0.14 mM, a silent factor of 1000 (the
    # module functions did that before); they refuse and name the converting function.
    with pytest.raises(QuantityInputError, match=r"top-level function .*nernst\.<function>"):
        call(Q_(0.14, "mol/L"))
    assert issubclass(QuantityInputError, TypeError)


def test_top_level_converts_what_the_raw_function_refuses():
    # E_K = (RT/F) ln(5/140) at 37 degC: 8.314462618 * 310.15 / 96485.33212 (CODATA 2018)
    expected = 8.314462618 * 310.15 / 96485.33212 * 1e3 * math.log(5.0 / 140.0)
    got = nernst.equilibrium_potential("K+", c_in=Q_(0.14, "mol/L"), c_out=5.0)
    assert got.m_as("mV") == pytest.approx(expected, rel=1e-9)
    v = nernst.ghk_voltage({"K+": 1.0}, c_in={"K+": Q_(0.14, "mol/L")}, c_out={"K+": 5.0})
    assert v.m_as("mV") == pytest.approx(expected, rel=1e-9)


SCREENED = [
    (name, param)
    for name, (_, spec) in _api.API.items()
    if isinstance(spec, _api.Units)
    for param in spec.mappings_screened
]


def test_some_mappings_are_screened_by_the_function_itself():
    assert ("ghk_voltage", "c_in") in SCREENED


@pytest.mark.parametrize(("name", "param"), SCREENED)
def test_screened_mappings_convert_a_quantity_in_any_entry(name, param):
    # The wrapper passes these dicts on unscanned and relies on the function to refuse a
    # Quantity; so a Quantity in each entry of each screened mapping must still come out
    # converted: 1 mM = 1000 uM, 1 cm/s = 0.01 m/s (SI definitions).
    plain = {"permeability": PERM, "c_in": KIN, "c_out": KOUT}
    unit, factor = {"permeability": ("m/s", 0.01), "c_in": ("uM", 1e3), "c_out": ("uM", 1e3)}[param]
    expected = getattr(nernst, name)(plain["permeability"], c_in=KIN, c_out=KOUT)
    for ion in plain[param]:
        args = {k: dict(v) for k, v in plain.items()}
        args[param][ion] = Q_(plain[param][ion] * factor, unit)
        got = getattr(nernst, name)(args["permeability"], c_in=args["c_in"], c_out=args["c_out"])
        assert got.m_as("mV") == pytest.approx(expected, rel=1e-12)
        raw = getattr(importlib.import_module(_api.API[name][0]), name)
        with pytest.raises(QuantityInputError):
            raw(args["permeability"], c_in=args["c_in"], c_out=args["c_out"])
