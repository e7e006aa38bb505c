"""KCC2 and NKCC1: thermodynamic consistency, the chloride steady state and the GABA switch."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nernst

C_IN = {"K+": 140.0, "Na+": 10.0}
C_OUT = {"K+": 5.0, "Na+": 145.0, "Cl-": 130.0}


def _cl_in(E_cl: float, celsius: float = 37.0) -> float:
    """[Cl-]_in from E_Cl by Nernst (z = -1): c_in = c_out exp(F E / RT)."""
    return C_OUT["Cl-"] * math.exp(E_cl / nernst.thermal_voltage(celsius=celsius))


def test_kcc2_stops_at_E_K_and_extrudes_above_it() -> None:
    # Payne et al. (2003) Trends Neurosci. 26:199: KCC2 is at equilibrium when
    # [K+]i[Cl-]i = [K+]o[Cl-]o, i.e. E_Cl = E_K, and extrudes Cl- when E_Cl > E_K.
    E_k = nernst.equilibrium_potential("K+", c_in=140, c_out=5)
    at = nernst.kcc2_flux(rate=1e-12, c_in={**C_IN, "Cl-": _cl_in(E_k)}, c_out=C_OUT)
    above = nernst.kcc2_flux(rate=1e-12, c_in={**C_IN, "Cl-": 10.0}, c_out=C_OUT)
    assert at == pytest.approx(0.0, abs=1e-24)
    assert above > 0
    # ln([K]i[Cl]i/([K]o[Cl]o)) by hand:
    assert above == pytest.approx(1e-12 * math.log(140 * 10 / (5 * 130)), rel=1e-12)


def test_nkcc1_stops_halfway_between_E_Na_and_E_K() -> None:
    E_k = nernst.equilibrium_potential("K+", c_in=140, c_out=5)
    E_na = nernst.equilibrium_potential("Na+", c_in=10, c_out=145)
    E_eq = (E_na + E_k) / 2
    at = nernst.nkcc1_flux(rate=1e-12, c_in={**C_IN, "Cl-": _cl_in(E_eq)}, c_out=C_OUT)
    assert at == pytest.approx(0.0, abs=1e-24)
    low = nernst.nkcc1_flux(rate=1e-12, c_in={**C_IN, "Cl-": 5.0}, c_out=C_OUT)
    assert low == pytest.approx(1e-12 * math.log(145 * 5 * 130**2 / (10 * 140 * 5.0**2)), rel=1e-12)


rates = st.floats(1e-15, 1e-9)


@given(v=st.floats(-90, -40), g=st.floats(1e-7, 1e-3))
def test_only_a_conductance_leaves_chloride_passive(v: float, g: float) -> None:
    E = nernst.chloride_steady_state(v_m=v, c_in=C_IN, c_out=C_OUT, g_cl=g)
    assert E == pytest.approx(v, abs=1e-9)


@given(v=st.floats(-90, -40), k=rates)
def test_only_kcc2_brings_E_Cl_to_E_K(v: float, k: float) -> None:
    E = nernst.chloride_steady_state(v_m=v, c_in=C_IN, c_out=C_OUT, g_cl=0, kcc2=k)
    assert E == pytest.approx(nernst.equilibrium_potential("K+", c_in=140, c_out=5), abs=1e-9)


@given(v=st.floats(-90, -40), k=rates)
def test_only_nkcc1_brings_E_Cl_halfway(v: float, k: float) -> None:
    E = nernst.chloride_steady_state(v_m=v, c_in=C_IN, c_out=C_OUT, g_cl=0, nkcc1=k)
    E_k = nernst.equilibrium_potential("K+", c_in=140, c_out=5)
    E_na = nernst.equilibrium_potential("Na+", c_in=10, c_out=145)
    assert E == pytest.approx((E_na + E_k) / 2, abs=1e-9)


@given(v=st.floats(-90, -40), g=st.floats(1e-7, 1e-3), kk=rates, kn=rates)
def test_steady_state_balances_the_chloride_fluxes(
    v: float, g: float, kk: float, kn: float
) -> None:
    # Mass conservation: at the steady E_Cl the Cl- influx through the conductance
    # (g (V - E_Cl) / F) and NKCC1 (2 per cycle) equals the KCC2 efflux (1 per cycle).
    E = nernst.chloride_steady_state(v_m=v, c_in=C_IN, c_out=C_OUT, g_cl=g, kcc2=kk, nkcc1=kn)
    c_in = {**C_IN, "Cl-": _cl_in(E)}
    leak_in = g * (v - E) * 1e-3 / 96485.33212331001
    nkcc1_in = 2 * nernst.nkcc1_flux(rate=kn, c_in=c_in, c_out=C_OUT)
    kcc2_out = nernst.kcc2_flux(rate=kk, c_in=c_in, c_out=C_OUT)
    scale = abs(leak_in) + abs(nkcc1_in) + abs(kcc2_out) + 1e-30
    assert (leak_in + nkcc1_in - kcc2_out) / scale == pytest.approx(0.0, abs=1e-9)


def test_gaba_switch_with_kcc2_expression() -> None:
    # Rivera et al. (1999) Nature 397:251 and Ben-Ari (2002) Nat. Rev. Neurosci. 3:728:
    # immature neurons (NKCC1, little KCC2) keep Cl- high and GABA depolarises; KCC2
    # up-regulation makes E_GABA negative of rest. E_GABA includes HCO3- (P_HCO3/P_Cl 0.2,
    # Kaila 1994) at 25 mM outside and 12.6 mM inside (pH 7.1 vs 7.4).
    v_rest = -65.0
    hco3 = {"in": 25.0 * 10 ** (7.1 - 7.4), "out": 25.0}

    def e_gaba(kcc2: float) -> float:
        E_cl = nernst.chloride_steady_state(
            v_m=v_rest, c_in=C_IN, c_out=C_OUT, g_cl=1e-5, kcc2=kcc2, nkcc1=1.5e-12
        )
        return nernst.ghk_voltage(
            {"Cl-": 1.0, "HCO3-": 0.2},
            c_in={"Cl-": _cl_in(E_cl), "HCO3-": hco3["in"]},
            c_out={"Cl-": C_OUT["Cl-"], "HCO3-": hco3["out"]},
        )

    immature, mature = e_gaba(0.0), e_gaba(2e-10)
    assert immature > v_rest  # depolarising GABA
    assert mature < v_rest  # hyperpolarising GABA
    assert -50 < immature < -10 and -85 < mature < -66


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: nernst.chloride_steady_state(v_m=-65, c_in=C_IN, c_out=C_OUT, g_cl=0),
            "all zero",
        ),
        (
            lambda: nernst.chloride_steady_state(v_m=-65, c_in=C_IN, c_out=C_OUT, g_cl=-1),
            "g_cl=-1",
        ),
        (lambda: nernst.kcc2_flux(rate=1, c_in={"K+": 1}, c_out=C_OUT), "c_in has no Cl-"),
        (lambda: nernst.nkcc1_flux(rate=-1, c_in=C_IN, c_out=C_OUT), "rate=-1"),
    ],
)
def test_bad_input(call, match) -> None:
    with pytest.raises(ValueError, match=match):
        call()
