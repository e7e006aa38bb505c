"""Export to NEURON: the set-up reproduces the cell's Nernst potentials in NEURON itself."""

from __future__ import annotations

import pytest

import nernst
from nernst.export import neuron_ion_name, to_neuron

h = pytest.importorskip("neuron").h  # the test extra installs NEURON


@pytest.mark.parametrize("preset", ["squid-axon", "mammalian-neuron", "frog-muscle"])
def test_live_setup_gives_nernst_potentials_in_neuron(preset: str) -> None:
    cell = nernst.Cell.preset(preset)
    sec = h.Section(name=f"live_{preset.replace('-', '_')}")
    to_neuron(cell, h=h, sec=sec)
    h.finitialize(-65)
    assert h.celsius == cell.celsius
    for ion, E in cell.equilibrium_potentials().items():
        name = neuron_ion_name(ion)
        assert getattr(sec(0.5), f"e{name}") == pytest.approx(E, abs=1e-9), ion


def test_snippet_runs_and_matches() -> None:
    cell = nernst.Cell.preset("red-blood-cell")
    namespace: dict = {}
    exec(to_neuron(cell, section_name="rbc"), namespace)
    h.finitialize(-10)
    for ion, E in cell.equilibrium_potentials().items():
        assert getattr(namespace["rbc"](0.5), f"e{neuron_ion_name(ion)}") == pytest.approx(
            E, abs=1e-9
        )


def test_ion_names() -> None:
    assert [neuron_ion_name(i) for i in ("potassium", "Na+", "Ca2+", "Cl-", "HCO3-")] == [
        "k",
        "na",
        "ca",
        "cl",
        "hco3",
    ]


def test_neuroml_round_trip(tmp_path) -> None:
    pytest.importorskip("neuroml")  # the test extra installs libNeuroML
    from neuroml.loaders import read_neuroml2_file
    from neuroml.utils import validate_neuroml2

    cell = nernst.Cell.preset("mammalian-neuron")
    path = tmp_path / "neuron.nml"
    cell.to_neuroml(path)
    validate_neuroml2(str(path))  # raises if the file breaks the NeuroML 2 schema
    back = read_neuroml2_file(str(path))
    assert back.networks[0].temperature == "37.0 degC"
    species = {
        s.ion: s for s in back.cells[0].biophysical_properties.intracellular_properties.species
    }
    for ion in cell.c_in:
        name = neuron_ion_name(ion)
        assert float(species[name].initial_concentration.split()[0]) == cell.c_in[ion]
        assert float(species[name].initial_ext_concentration.split()[0]) == cell.c_out[ion]
    v = back.cells[0].biophysical_properties.membrane_properties.init_memb_potentials[0].value
    assert float(v.split()[0]) == pytest.approx(cell.resting_potential(), abs=1e-12)
