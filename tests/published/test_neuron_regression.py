"""NEURON's own regression values for nernst() and ghk() (Hines & Carnevale, NEURON 9).

NEURON uses the CODATA 2018 constants since version 8 (nrnunits_use_legacy = 0), so the
agreement is to round-off. Values quoted in the core issue from NEURON's test suite.
"""

import pytest

import nernst


def test_neuron_nernst_sodium_at_6_3_C():
    # NEURON: h.celsius = 6.3; h.nernst(10, 140, 1) for nai 10, nao 140 -> 63.551503219374858 mV.
    E = nernst.equilibrium_potential("Na+", c_in=10, c_out=140, celsius=6.3)
    assert E == pytest.approx(63.551503219374858, rel=1e-12)


def test_neuron_ghk_calcium_at_minus_50_mV():
    # NEURON: h.celsius = 6.3; h.ghk(-50, 0.001, 10, 2) -> -8141.3474521410844 (mA/cm^2 per
    # cm/s); nernst.ghk_current with P = 1 cm/s is the same quantity.
    I = nernst.ghk_current("Ca2+", v_m=-50, permeability=1.0, c_in=0.001, c_out=10, celsius=6.3)
    assert I == pytest.approx(-8141.3474521410844, rel=1e-12)


def test_ghk_current_scales_with_permeability():
    # NEURON's ghk() is per unit permeability: I = P * ghk(v, ci, co, z).
    I = nernst.ghk_current(2, v_m=-50, permeability=2.5e-4, c_in=0.001, c_out=10, celsius=6.3)
    assert I == pytest.approx(2.5e-4 * -8141.3474521410844, rel=1e-12)
