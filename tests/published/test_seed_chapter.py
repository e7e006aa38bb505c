"""Every worked result of the seed chapter (../shared/seed/000_ba38d2a88dc762dc.txt).

Each test states which constants and rounding the text used. nernst uses CODATA 2018 exact
constants (R = 8.314462618 J/(mol K), F = 96485.33212 C/mol); the text rounds R to 8.314 or
8.31 and F to 96,485, so tolerances match the number of digits the text prints.
"""

import pytest

import nernst


def test_extremophile_cation_109_mV():
    # "The Concentration Ratio": Z+ 7.5 mM in, 450 mM out, 37 C -> "approximately +109 mV".
    E = nernst.equilibrium_potential(1, c_in=7.5, c_out=450, celsius=37)
    assert E == pytest.approx(109, abs=0.5)


def test_equal_concentrations_give_zero():
    # "... [ion]_out = [ion]_in, the ratio is 1 ... the equilibrium potential is exactly 0 mV".
    assert nernst.equilibrium_potential("K+", c_in=42.0, c_out=42.0) == 0.0


# The chapter prints energies to three significant figures ("approximately 8.59 x 10^3",
# "approximately 9.25 x 10^3 J/mol"): a correctly rounded value lies within half a unit of the
# last printed digit, +-5 J/mol. The chapter's R = 8.314 and nernst's CODATA R = 8.314462618
# differ by 5.6e-5 relative (0.5 J/mol here), well inside that.
PRINTED_ROUNDING_J = 5.0


def test_liposome_work_8_59e3_J_per_mol():
    # "Equilibrium Potentials and Bioenergetics": K+ from 5.0 mM outside into a liposome at
    # 140.0 mM, 37 C, no electrical field: "approximately 8.59 x 10^3 J/mol".
    dG = nernst.transport_free_energy("K+", c_from=5.0, c_to=140.0, celsius=37)
    assert dG == pytest.approx(8.59e3, abs=PRINTED_ROUNDING_J)
    # Moving K+ uphill into the liposome (no field) is the same work as the energy stored in
    # the finished 140/5 gradient, and as the pumping work against it at V = 0.
    assert nernst.stored_energy("K+", c_in=140.0, c_out=5.0, celsius=37) == pytest.approx(
        8.59e3, abs=PRINTED_ROUNDING_J
    )
    assert nernst.pumping_work("K+", v_m=0.0, c_in=140.0, c_out=5.0, celsius=37) == pytest.approx(
        8.59e3, abs=PRINTED_ROUNDING_J
    )


def test_neuronal_potassium_stored_energy_9_25e3_J_per_mol():
    # K+ 145 mM in, 4.0 mM out at 310 K (= 36.85 C): "approximately 9.25 x 10^3 J/mol".
    W = nernst.stored_energy("K+", c_in=145, c_out=4.0, celsius=310 - 273.15)
    assert W == pytest.approx(9.25e3, abs=PRINTED_ROUNDING_J)


def test_electrical_form_zFE_gives_the_printed_9_25e3_J_per_mol():
    # The chapter's "|zFE_ion| = RT |ln([ion]_out/[ion]_in)|": the electrical form, F times
    # the Nernst potential of the same gradient (145/4.0 mM, 310 K), must also print as
    # 9.25 x 10^3 J/mol. E is nernst's equilibrium_potential, F the CODATA constant; the
    # expected value is the chapter's printed number, not a nernst result.
    E = nernst.equilibrium_potential("K+", c_in=145, c_out=4.0, celsius=310 - 273.15)
    assert abs(1 * nernst.constants.FARADAY * E * 1e-3) == pytest.approx(
        9.25e3, abs=PRINTED_ROUNDING_J
    )
    # The same for the liposome's 140/5 gradient at 37 C, printed as 8.59 x 10^3 J/mol.
    E = nernst.equilibrium_potential("K+", c_in=140.0, c_out=5.0, celsius=37)
    assert abs(nernst.constants.FARADAY * E * 1e-3) == pytest.approx(8.59e3, abs=PRINTED_ROUNDING_J)


def test_a_wrong_stored_energy_would_fail_the_printed_tolerance():
    # The tolerance is tight enough to catch a plausible slip: 25 C instead of 310 K scales
    # RT by 298.15/310 and gives 9.25e3 x 298.15/310 = 8.90e3 J/mol, 350 J/mol off.
    at_25 = nernst.stored_energy("K+", c_in=145, c_out=4.0, celsius=25)
    assert abs(at_25 - 9.25e3) > 10 * PRINTED_ROUNDING_J


def test_activity_correction_plus_6_60_mV():
    # "Non-Ideal Solutions": gamma_in = 0.75, gamma_out = 0.96 make E_K "approximately 6.60 mV
    # more positive" than the concentration-based value (37 C; text uses RT/F ~ 26.7 mV).
    plain = nernst.equilibrium_potential("K+", c_in=140, c_out=5, celsius=37)
    active = nernst.equilibrium_potential(
        "K+", c_in=140, c_out=5, celsius=37, gamma_in=0.75, gamma_out=0.96
    )
    assert active - plain == pytest.approx(6.60, abs=0.005)


def test_chloride_is_minus_potassium_for_identical_ratio():
    # "The Ionic Valence": identical out/in ratios give E_Cl = -E_K; "-90 mV" for K+ gives
    # "+90 mV" for Cl-.
    E_K = nernst.equilibrium_potential("K+", c_in=145, c_out=4.5)
    E_Cl = nernst.equilibrium_potential("Cl-", c_in=145, c_out=4.5)
    assert E_K == pytest.approx(-92.8, abs=0.1)  # 26.7267 mV * ln(4.5/145)
    assert E_Cl == -E_K


def test_swapping_compartments_negates_E():
    # "The Definitional Convention": taking B as inside instead of A gives E2 = -E1.
    E1 = nernst.equilibrium_potential("Na+", c_in=12.0, c_out=120.0)
    E2 = nernst.equilibrium_potential("Na+", c_in=120.0, c_out=12.0)
    assert E2 == pytest.approx(-E1, rel=1e-14)


def test_thermal_voltage_26_71_mV_with_R_8_31():
    # "a value of 26.71 mV for RT/F implicitly uses ... R of approximately 8.31" at 37.0 C.
    assert nernst.thermal_voltage(celsius=37.0, R=8.31, F=96485) == pytest.approx(26.71, abs=0.005)
    # With CODATA 2018 the same quantity is 26.7267 mV
    # (8.314462618 * 310.15 / 96485.33212 = 0.0267267 V).
    assert nernst.thermal_voltage(celsius=37.0) == pytest.approx(26.7267, abs=5e-5)


def test_ghk_example_minus_67_3_mV_and_E_K_minus_89_1_mV():
    # "Permeability to Multiple Ions": P_K : P_Na : P_Cl = 1 : 0.04 : 0.45; Nernst for K+ alone
    # "approximately -89.1 mV", GHK "about -67.3 mV", error "more than 21 mV". The text gives
    # no concentrations; K+ 140/5, Na+ 10/145, Cl- 10/110 mM (in/out) at 37 C reproduce both.
    cell = nernst.Cell.preset("mammalian-neuron")
    V = cell.resting_potential()
    E_K = cell.equilibrium_potentials()["K+"]
    assert E_K == pytest.approx(-89.1, abs=0.05)
    assert V == pytest.approx(-67.3, abs=0.05)
    assert V - E_K > 21


def test_mammalian_neuron_is_the_default_preset_with_the_seed_numbers():
    # The issue fixes the default preset to the seed's GHK example.
    cell = nernst.Cell.preset()
    assert cell.name == "mammalian-neuron"
    assert cell.inside == {"K+": 140.0, "Na+": 10.0, "Cl-": 10.0, "Ca2+": 0.0001}
    assert cell.permeability == {"K+": 1.0, "Na+": 0.04, "Cl-": 0.45}


def test_hypothetical_cation_x_settles_inside_negative():
    # "The Balance of Forces": X+ higher inside than outside -> the inside becomes negative.
    assert nernst.equilibrium_potential(1, c_in=100, c_out=10) < 0
