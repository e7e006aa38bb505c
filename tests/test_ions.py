"""The embedded ion table: coverage, sources, consistency, name resolution."""

import tomllib
from importlib import resources

import pytest

import nernst

R = 1.380649e-23 * 6.02214076e23
F = 1.602176634e-19 * 6.02214076e23

REQUIRED = [
    "Na+",
    "K+",
    "Cl-",
    "Ca2+",
    "Mg2+",
    "H+",
    "HCO3-",
    "Li+",
    "Cs+",
    "Rb+",
    "NH4+",
    "NMDG+",
    "TEA+",
    "choline+",
    "gluconate-",
    "methanesulfonate-",
    "HEPES-",
    "SO4 2-",
    "HPO4 2-",
    "H2PO4-",
    "F-",
    "Br-",
    "I-",
    "NO3-",
    "acetate-",
    "aspartate-",
    "glutamate-",
    "Ba2+",
    "Sr2+",
    "Zn2+",
    "Mn2+",
    "Co2+",
    "Cd2+",
    "La3+",
]


def test_table_has_the_ions_the_issue_names():
    assert len(nernst.ions) >= 40
    for name in REQUIRED:
        assert name in nernst.ions, name


def test_every_value_has_a_source():
    raw = tomllib.loads(resources.files("nernst.data").joinpath("ions.toml").read_text())
    for entry in raw["ion"]:
        for key in ("equivalent_conductivity", "diffusion_coefficient", "ion_size"):
            if key in entry:
                assert entry[key] > 0, (entry["symbol"], key)
                assert entry["sources"][key] in raw["sources"], (entry["symbol"], key)


def test_crc_values_of_the_physiological_ions():
    # CRC Handbook of Chemistry and Physics, "Ionic conductivity and diffusion at infinite
    # dilution" (25 C): lambda and D of Na+, K+, Cl-, 1/2 Ca2+.
    for name, lam, D in [
        ("Na+", 50.08, 1.334),
        ("K+", 73.48, 1.957),
        ("Cl-", 76.31, 2.032),
        ("Ca2+", 59.47, 0.792),
    ]:
        ion = nernst.ions[name]
        assert ion.equivalent_conductivity == lam
        assert ion.diffusion_coefficient == D
    assert nernst.ions["Ca2+"].limiting_molar_conductivity == pytest.approx(118.94)


def test_nernst_einstein_consistency():
    # D = R T lambda_eq / (|z| F^2) at 25 C (Robinson & Stokes, Electrolyte Solutions, ch. 2):
    # tabulated D and lambda agree within 2 %.
    for ion in nernst.ions.values():
        if ion.equivalent_conductivity and ion.diffusion_coefficient:
            D = R * 298.15 * ion.equivalent_conductivity * 1e-4 / (abs(ion.charge) * F**2) * 1e9
            assert ion.diffusion_coefficient == pytest.approx(D, rel=0.02), ion.symbol


def test_kielland_sizes():
    # Kielland (1937) Table I: K+ 3 A, Ca2+ 6 A, Mg2+ 8 A, H+ 9 A, Cl- 3 A.
    sizes = {"K+": 0.3, "Ca2+": 0.6, "Mg2+": 0.8, "H+": 0.9, "Cl-": 0.3}
    for name, a in sizes.items():
        assert nernst.ions[name].ion_size == pytest.approx(a)


def test_aliases_and_case():
    assert nernst.ions["potassium"] is nernst.ions["K+"]
    assert nernst.ions["k"] is nernst.ions["K+"]
    assert nernst.ions["calcium"].charge == 2
    assert "nonsense" not in nernst.ions
    with pytest.raises(KeyError, match="unknown ion"):
        nernst.ions["nonsense"]


def test_charges_are_nonzero_integers():
    for ion in nernst.ions.values():
        assert isinstance(ion.charge, int) and ion.charge != 0
