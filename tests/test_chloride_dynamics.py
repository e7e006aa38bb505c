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


@pytest.mark.parametrize("z_x", [-0.8, -1.0, -1.2, -1.5])
def test_with_kcc2_E_Cl_equals_E_K_at_any_impermeant_charge(z_x: float) -> None:
    # Delpire E., Staley K.J. (2014) Novel determinants of the neuronal Cl- concentration.
    # J. Physiol. 592:4099-4114, doi:10.1113/jphysiol.2014.275529 (abstract): without water
    # transport through KCC2, "at any value of these fixed charges, the reversal potential for
    # Cl- equates that of K+".
    ss = nernst.pump_leak_steady_state(
        NO_CL_LEAK, cotransport=nernst.Cotransporters(kcc2=1e-12), impermeant_valence=z_x
    )
    assert _E(ss, "Cl-") == pytest.approx(_E(ss, "K+"), abs=1e-6)


def test_impermeant_anions_set_chloride_but_hardly_its_driving_force() -> None:
    # Duesterwald K.M. et al. (2018) Biophysical models reveal the relative importance of
    # transporter proteins and impermeant anions in chloride homeostasis. eLife 7:e39575,
    # doi:10.7554/eLife.39575 (abstract): impermeant anions "can contribute to setting
    # [Cl-]i" but "have a negligible effect on the driving force for Cl-", while the
    # cation-chloride cotransporters set it.
    ct = nernst.Cotransporters(kcc2=1e-12)
    states = [
        nernst.pump_leak_steady_state(NEURON, cotransport=ct, impermeant_valence=z_x)
        for z_x in (-0.8, -1.5)
    ]
    cl = [ss.c_in["Cl-"] for ss in states]
    drive = [_E(ss, "Cl-") - ss.V for ss in states]
    assert abs(cl[0] - cl[1]) / cl[0] > 0.2  # [Cl-]i moves by more than 20 %
    assert abs(drive[0] - drive[1]) < 0.5  # E_Cl - V_m by less than 0.5 mV
    more_kcc2 = nernst.pump_leak_steady_state(NEURON, cotransport=nernst.Cotransporters(kcc2=1e-10))
    assert abs(_E(more_kcc2, "Cl-") - more_kcc2.V) > 3 * abs(drive[0])  # the CCC sets it
