"""KCC2 and NKCC1 in the pump-leak model: where chloride settles (issue 16)."""

from __future__ import annotations

import pytest

import nernst

NEURON = nernst.Cell.preset("mammalian-neuron")
# The seed chapter's neuron without a Cl- leak: only the cotransporters move Cl-.
NO_CL_LEAK = nernst.Cell(
    c_in=NEURON.c_in, c_out=NEURON.c_out, permeability={"K+": 1, "Na+": 0.04}, celsius=37
)


def _E(ss, ion: str) -> float:
    return nernst.equilibrium_potential(ion, c_in=ss.c_in[ion], c_out=ss.c_out[ion])


@pytest.mark.parametrize("method", ["root", "integrate"])
def test_kcc2_alone_brings_E_Cl_to_E_K(method: str) -> None:
    # Payne et al. (2003) Trends Neurosci. 26:199; Doyon et al. (2016) Neuron 89:1157: with
    # KCC2 and no other Cl- path, [K+]i[Cl-]i = [K+]o[Cl-]o at steady state, so E_Cl = E_K.
    ss = nernst.pump_leak_steady_state(
        NO_CL_LEAK, cotransport=nernst.Cotransporters(kcc2=1e-12), method=method
    )
    assert _E(ss, "Cl-") == pytest.approx(_E(ss, "K+"), abs=1e-6)


@pytest.mark.parametrize("method", ["root", "integrate"])
def test_nkcc1_alone_brings_E_Cl_halfway_between_E_Na_and_E_K(method: str) -> None:
    ss = nernst.pump_leak_steady_state(
        NO_CL_LEAK, cotransport=nernst.Cotransporters(nkcc1=1e-12), method=method
    )
    assert _E(ss, "Cl-") == pytest.approx((_E(ss, "Na+") + _E(ss, "K+")) / 2, abs=1e-5)


def test_with_a_leak_E_Cl_lies_between_its_bounds_and_the_two_solvers_agree() -> None:
    ct = nernst.Cotransporters(kcc2=1e-12, nkcc1=2e-13)
    root = nernst.pump_leak_steady_state(NEURON, cotransport=ct)
    run = nernst.pump_leak_steady_state(NEURON, cotransport=ct, method="integrate")
    E_cl, E_k = _E(root, "Cl-"), _E(root, "K+")
    upper = max(root.V, (_E(root, "Na+") + E_k) / 2)
    assert E_k < E_cl < upper
    assert E_cl != pytest.approx(root.V, abs=0.1)  # no longer passive
    assert run.V == pytest.approx(root.V, abs=1e-6)
    assert _E(run, "Cl-") == pytest.approx(E_cl, abs=1e-5)


def test_switching_on_kcc2_extrudes_chloride_and_hyperpolarises() -> None:
    # KCC2 is electroneutral; switched on in the preset neuron (Cl- passive at rest) it
    # lowers [Cl-]i, and the Cl- leak then carries the potential down (Rivera et al. 1999).
    run = nernst.simulate(
        NEURON,
        model="pump-leak",
        until=600.0,
        start="cell",
        cotransport=nernst.Cotransporters(kcc2=1e-12),
    )
    assert run.V[-1] < run.V[0]  # KCC2 lowers [Cl-]i: the Cl- leak hyperpolarises
    assert run.c_in["Cl-"][-1] < run.c_in["Cl-"][0]


def test_missing_ions_and_bad_rates_are_errors() -> None:
    k_only = nernst.Cell(
        c_in={"K+": 140, "Na+": 10}, c_out={"K+": 5, "Na+": 145}, permeability={"K+": 1}
    )
    with pytest.raises(ValueError, match="need K\\+, Na\\+ and Cl-"):
        nernst.simulate(k_only, model="pump-leak", cotransport=nernst.Cotransporters(kcc2=1e-12))
    with pytest.raises(ValueError, match="kcc2=-1"):
        nernst.Cotransporters(kcc2=-1)
    with pytest.raises(ValueError, match="nkcc1=True"):
        nernst.Cotransporters(nkcc1=True)
