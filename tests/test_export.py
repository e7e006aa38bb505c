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
