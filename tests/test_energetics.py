"""Driving force, flux direction, free energy of transport, stored energy, verdicts."""

import numpy as np
import pytest

import nernst

R = 1.380649e-23 * 6.02214076e23  # CODATA 2018 exact
F = 1.602176634e-19 * 6.02214076e23


def test_driving_force_is_v_minus_E():
    # Purves et al., Neuroscience 6th ed., ch. 2: with E_K near -89 mV, a cell at -70 mV has
    # an outward K+ driving force of about +19 mV.
    assert nernst.driving_force("K+", v_m=-70, c_in=140, c_out=5) == pytest.approx(19.06, abs=0.01)


def test_flux_direction_cations_and_anions():
    # At -70 mV: Na+ enters (E_Na +71.5), K+ leaves (E_K -89.1); Cl- (E_Cl -64.1 mV) has
    # V - E = -5.9 mV, and z(V - E) > 0 means anions LEAVE the cell (inward current).
    assert nernst.flux_direction("Na+", v_m=-70, c_in=10, c_out=145) == -1
    assert nernst.flux_direction("K+", v_m=-70, c_in=140, c_out=5) == 1
    assert nernst.flux_direction("Cl-", v_m=-70, c_in=10, c_out=110) == 1
    assert nernst.flux_direction("K+", v_m=[-100, -50], c_in=140, c_out=5).tolist() == [-1, 1]


def test_flux_direction_agrees_with_ghk_flux_sign():
    v = np.linspace(-150, 50, 41)
    for ion, ci, co in [("K+", 140, 5), ("Na+", 10, 145), ("Cl-", 10, 110), ("Ca2+", 1e-4, 2)]:
        sign = np.sign(nernst.ghk_flux(ion, v_m=v, permeability=1, c_in=ci, c_out=co))
        direction = nernst.flux_direction(ion, v_m=v, c_in=ci, c_out=co)
        np.testing.assert_array_equal(sign, direction)


def test_transport_free_energy_with_membrane_potential():
    # Nicholls & Ferguson (2013) Bioenergetics 4, eq. 3.6: dG = RT ln(c_to/c_from) + zF dV.
    # Na+ from 145 mM outside (0 mV) to 10 mM inside (-70 mV), 37 C:
    # 2578.7 * ln(10/145) + 96485 * (-0.070) = -6895 - 6754 = -13649 J/mol (downhill).
    dG = nernst.transport_free_energy("Na+", c_from=145, c_to=10, v_from=0, v_to=-70)
    assert dG == pytest.approx(R * 310.15 * np.log(10 / 145) + F * -0.070, rel=1e-12)
    assert dG == pytest.approx(-13650, abs=2)


def test_pumping_work_is_minus_transport_free_energy_of_the_passive_move():
    # Moving Na+ back out costs what the passive entry releases.
    dG_in = nernst.transport_free_energy("Na+", c_from=145, c_to=10, v_from=0, v_to=-70)
    W = nernst.pumping_work("Na+", v_m=-70, c_in=10, c_out=145)
    assert W == pytest.approx(-dG_in, rel=1e-12)


def test_atp_budget_of_the_sodium_pump():
    # Nicholls & Ferguson (2013) ch. 3 / Alberts MBoC ch. 11: one Na+/K+-ATPase cycle moves
    # 3 Na+ out and 2 K+ in; at -70 mV that costs about 3 x 13.6 + 2 x 2.1 ~ 45 kJ/mol,
    # less than the ~50-60 kJ/mol available from ATP hydrolysis in cells.
    work = 3 * nernst.pumping_work("Na+", v_m=-70, c_in=10, c_out=145) + 2 * nernst.pumping_work(
        "K+", v_m=-70, c_in=140, c_out=5
    )
    assert 40e3 < work < 50e3


def test_needs_active_transport_tolerance():
    E_K = nernst.equilibrium_potential("K+", c_in=140, c_out=5)
    assert not nernst.needs_active_transport("K+", v_m=E_K + 0.5, c_in=140, c_out=5)
    assert nernst.needs_active_transport("K+", v_m=E_K + 1.5, c_in=140, c_out=5)
    assert not nernst.needs_active_transport("K+", v_m=E_K + 1.5, c_in=140, c_out=5, tolerance=2)
    with pytest.raises(ValueError, match="tolerance"):
        nernst.needs_active_transport("K+", v_m=-70, c_in=140, c_out=5, tolerance=-1)


def test_higinbotham_pea_root_k_is_passive_others_active():
    # Higinbotham, Etherton & Foster (1967) Plant Physiol 42:37, as summarised in Taiz &
    # Zeiger (Plant Physiology, Table 6.1): in pea root at -110 mV, K+ is near its Nernst
    # potential (passive); Na+, Ca2+, Mg2+ are actively extruded and anions actively taken up.
    report = nernst.Cell.preset("plant-root-cell").report(tolerance=5)
    verdict = {row.ion: row.verdict for row in report.ions}
    assert verdict["K+"] == "passive"
    for cation in ("Na+", "Ca2+", "Mg2+"):
        assert verdict[cation] == "active extrusion"
    for anion in ("Cl-", "NO3-", "H2PO4-", "SO4 2-"):
        assert verdict[anion] == "active uptake"


@pytest.mark.parametrize(
    ("func", "kwargs", "pattern"),
    [
        (nernst.transport_free_energy, {"c_from": 0, "c_to": 1}, "c_from"),
        (nernst.transport_free_energy, {"c_from": 1, "c_to": 1, "v_to": float("inf")}, "v_to"),
        (nernst.driving_force, {"v_m": float("nan"), "c_in": 1, "c_out": 2}, "v_m"),
        (nernst.stored_energy, {"c_in": -1, "c_out": 2}, "c_in"),
    ],
)
def test_bad_input(func, kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        func("K+", **kwargs)
