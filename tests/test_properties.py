"""Hypothesis property tests of the physical laws behind nernst's physics functions.

Every law is checked over two explicit ranges of conditions:

- physiological: concentrations 1e-4..1e3 mM, 0..45 degC, permeabilities 1e-4..1e2 cm/s,
  membrane potentials -200..200 mV;
- extreme: concentrations 1e-9..1e4 mM, -20..150 degC, permeabilities 1e-4..1e2 cm/s,
  membrane potentials -1000..1000 mV.

Tolerances are stated per test. Where a law is a cancellation (a current that should vanish),
the tolerance is relative to the unidirectional currents, the scale that double precision
can resolve.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nernst
from nernst.constants import FARADAY, GAS_CONSTANT, ZERO_CELSIUS

# --------------------------------------------------------------------------------------------
# Strategies


def log_uniform(lo: float, hi: float) -> st.SearchStrategy[float]:
    """Floats in [lo, hi], spread over the decades as well as drawn uniformly."""
    decades = st.floats(math.log10(lo), math.log10(hi)).map(lambda e: min(max(10.0**e, lo), hi))
    return st.one_of(decades, st.floats(lo, hi))


@dataclass(frozen=True)
class Range:
    """The strategies of one range of conditions."""

    name: str
    conc: st.SearchStrategy[float]  # [mM]
    celsius: st.SearchStrategy[float]  # [degC]
    perm: st.SearchStrategy[float]  # [cm/s]
    volt: st.SearchStrategy[float]  # [mV]


PHYSIOLOGICAL = Range(
    name="physiological",
    conc=log_uniform(1e-4, 1e3),
    celsius=st.floats(0.0, 45.0),
    perm=log_uniform(1e-4, 1e2),
    volt=st.floats(-200.0, 200.0),
)
EXTREME = Range(
    name="extreme",
    conc=log_uniform(1e-9, 1e4),
    celsius=st.floats(-20.0, 150.0),
    perm=log_uniform(1e-4, 1e2),
    volt=st.floats(-1000.0, 1000.0),
)
both_ranges = pytest.mark.parametrize("r", [PHYSIOLOGICAL, EXTREME], ids=lambda r: r.name)

VALENCES = st.sampled_from([1, -1, 2, -2, 3, -3])
GAMMAS = log_uniform(1e-3, 10.0)  # activity coefficients [unitless]
ION_NAMES = {"K+": 1, "Na+": 1, "Cl-": -1, "Ca2+": 2}


class IonSet(NamedTuple):
    """Permeant ions along the last axis: permeability [cm/s], c_in, c_out [mM], valence."""

    P: np.ndarray
    ci: np.ndarray
    co: np.ndarray
    z: np.ndarray


@st.composite
def ion_sets(draw: Any, r: Range, min_ions: int = 1, max_ions: int = 5) -> IonSet:
    n = draw(st.integers(min_ions, max_ions))

    def column(strategy: st.SearchStrategy[Any]) -> np.ndarray:
        return np.array(draw(st.lists(strategy, min_size=n, max_size=n)))

    return IonSet(column(r.perm), column(r.conc), column(r.conc), column(VALENCES))


# --------------------------------------------------------------------------------------------
# Independent helpers (plain NumPy, not the code under test)


def rt_over_f(celsius: Any) -> np.ndarray:
    """RT/F. [mV]"""
    return GAS_CONSTANT * (np.asarray(celsius, float) + ZERO_CELSIUS) / FARADAY * 1e3


def bernoulli(w: Any) -> np.ndarray:
    """w / (1 - e^-w), equal to 1 at w = 0."""
    w = np.asarray(w, float)
    safe = np.where(w == 0, 1.0, w)
    return np.where(w == 0, 1.0, safe / -np.expm1(-safe))


def unidirectional_current(v: Any, z: Any, P: Any, ci: Any, co: Any, celsius: Any) -> np.ndarray:
    """|efflux| + |influx| of the GHK current, the scale of its rounding error. [mA/cm^2]"""
    w = np.asarray(z) * np.asarray(v) / rt_over_f(celsius)
    one_way = ci * bernoulli(w) + co * bernoulli(-w)
    return np.asarray(P) * np.abs(z) * FARADAY * one_way * 1e-3


def ghk_voltage_of(ions: IonSet, celsius: float) -> float:
    return nernst.ghk_voltage(ions.P, c_in=ions.ci, c_out=ions.co, z=ions.z, celsius=celsius)


# --------------------------------------------------------------------------------------------
# Nernst potential


@both_ranges
@given(data=st.data())
def test_nernst_swap_inside_outside_negates(r: Range, data: st.DataObject) -> None:
    # E(c_in, c_out) = -E(c_out, c_in): the log of the ratio changes sign.
    z, a, b, t = data.draw(st.tuples(VALENCES, r.conc, r.conc, r.celsius))
    E = nernst.equilibrium_potential(z, c_in=a, c_out=b, celsius=t)
    E_swapped = nernst.equilibrium_potential(z, c_in=b, c_out=a, celsius=t)
    assert E_swapped == pytest.approx(-E, rel=1e-13, abs=1e-13)


@both_ranges
@given(data=st.data())
def test_nernst_opposite_valence_opposite_potential(r: Range, data: st.DataObject) -> None:
    # E(z) = -E(-z): RT/(zF) is odd in z.
    z, a, b, t = data.draw(st.tuples(VALENCES, r.conc, r.conc, r.celsius))
    E = nernst.equilibrium_potential(z, c_in=a, c_out=b, celsius=t)
    assert nernst.equilibrium_potential(-z, c_in=a, c_out=b, celsius=t) == pytest.approx(
        -E, rel=1e-14, abs=0
    )


@both_ranges
@given(data=st.data())
def test_nernst_scales_as_inverse_valence(r: Range, data: st.DataObject) -> None:
    # z * E(z) is the same for every valence: E = RT/(zF) ln(c_out/c_in).
    z, a, b, t = data.draw(st.tuples(VALENCES, r.conc, r.conc, r.celsius))
    E1 = nernst.equilibrium_potential(1, c_in=a, c_out=b, celsius=t)
    Ez = nernst.equilibrium_potential(z, c_in=a, c_out=b, celsius=t)
    assert z * Ez == pytest.approx(E1, rel=1e-13, abs=0)


@both_ranges
@given(data=st.data())
def test_nernst_zero_for_equal_concentrations(r: Range, data: st.DataObject) -> None:
    # No gradient, no equilibrium potential: E = 0 exactly when c_in = c_out.
    z, c, t = data.draw(st.tuples(VALENCES, r.conc, r.celsius))
    assert nernst.equilibrium_potential(z, c_in=c, c_out=c, celsius=t) == 0.0
    assert nernst.equilibrium_potential(z, c_in=[c], c_out=c, celsius=t)[0] == 0.0


@both_ranges
@given(data=st.data())
def test_nernst_activity_coefficients_shift(r: Range, data: st.DataObject) -> None:
    # E(gamma) - E(1) = RT/(zF) ln(gamma_out/gamma_in): activities replace concentrations.
    z, a, b, t = data.draw(st.tuples(VALENCES, r.conc, r.conc, r.celsius))
    g_in, g_out = data.draw(st.tuples(GAMMAS, GAMMAS))
    E = nernst.equilibrium_potential(z, c_in=a, c_out=b, celsius=t)
    E_gamma = nernst.equilibrium_potential(
        z, c_in=a, c_out=b, celsius=t, gamma_in=g_in, gamma_out=g_out
    )
    shift = float(rt_over_f(t)) / z * math.log(g_out / g_in)
    # Rounding: a few ulp of each log argument (RT/F * 1e-15) and of E itself.
    tol = 1e-12 * (abs(E) + abs(E_gamma)) + 1e-15 * float(rt_over_f(t))
    assert E_gamma - E == pytest.approx(shift, rel=1e-12, abs=tol)


def test_nernst_named_ions_use_their_valence() -> None:
    # "K+", "Na+", "Cl-", "Ca2+" resolve to z = 1, 1, -1, 2 in the ion table.
    for name, z in ION_NAMES.items():
        assert nernst.equilibrium_potential(name, c_in=12.0, c_out=3.0) == (
            nernst.equilibrium_potential(z, c_in=12.0, c_out=3.0)
        )


# --------------------------------------------------------------------------------------------
# GHK voltage


@both_ranges
@given(data=st.data())
def test_ghk_voltage_one_permeant_ion_is_nernst(r: Range, data: st.DataObject) -> None:
    # With one permeant ion the zero-current potential is that ion's Nernst potential.
    z, P, a, b, t = data.draw(st.tuples(VALENCES, r.perm, r.conc, r.conc, r.celsius))
    V = nernst.ghk_voltage([P], c_in=[a], c_out=[b], z=[z], celsius=t)
    E = nernst.equilibrium_potential(z, c_in=a, c_out=b, celsius=t)
    assert V == pytest.approx(E, rel=1e-12, abs=1e-9)


@given(name=st.sampled_from(sorted(ION_NAMES)), P=PHYSIOLOGICAL.perm)
def test_ghk_voltage_one_named_ion_is_nernst(name: str, P: float) -> None:
    # The mapping form with one named ion gives the Nernst potential too.
    V = nernst.ghk_voltage({name: P}, c_in={name: 140.0}, c_out={name: 5.0})
    assert V == pytest.approx(nernst.equilibrium_potential(name, c_in=140.0, c_out=5.0), abs=1e-9)


@both_ranges
@given(data=st.data())
def test_ghk_voltage_between_nernst_potentials(r: Range, data: st.DataObject) -> None:
    # The GHK voltage is a weighted compromise: min(E_ion) <= V <= max(E_ion).
    ions = data.draw(ion_sets(r, min_ions=2), label="ions")
    t = data.draw(r.celsius, label="celsius")
    V = ghk_voltage_of(ions, t)
    E = nernst.equilibrium_potential(ions.z, c_in=ions.ci, c_out=ions.co, celsius=t)
    assert E.min() - 1e-9 <= V <= E.max() + 1e-9


@both_ranges
@given(data=st.data())
def test_ghk_voltage_invariant_to_permeability_scale(r: Range, data: st.DataObject) -> None:
    # Only permeability ratios matter: scaling every P by k > 0 leaves V unchanged.
    ions = data.draw(ion_sets(r), label="ions")
    t = data.draw(r.celsius, label="celsius")
    k = data.draw(log_uniform(1e-6, 1e6), label="k")
    V = ghk_voltage_of(ions, t)
    V_scaled = ghk_voltage_of(ions._replace(P=ions.P * k), t)
    assert V_scaled == pytest.approx(V, rel=1e-12, abs=1e-9)


@both_ranges
@given(data=st.data())
def test_ghk_voltage_swap_inside_outside_negates(r: Range, data: st.DataObject) -> None:
    # Exchanging the inside and outside solutions of every ion mirrors V.
    ions = data.draw(ion_sets(r), label="ions")
    t = data.draw(r.celsius, label="celsius")
    V = ghk_voltage_of(ions, t)
    V_swapped = ghk_voltage_of(ions._replace(ci=ions.co, co=ions.ci), t)
    assert V_swapped == pytest.approx(-V, rel=1e-12, abs=1e-9)


@both_ranges
@given(data=st.data())
def test_ghk_voltage_ignores_impermeant_ions(r: Range, data: st.DataObject) -> None:
    # An ion with P = 0 carries no current, whatever its valence or concentration (even 0).
    ions = data.draw(ion_sets(r), label="ions")
    t = data.draw(r.celsius, label="celsius")
    z0 = data.draw(VALENCES, label="z of the impermeant ion")
    ci0, co0 = data.draw(st.tuples(r.conc | st.just(0.0), r.conc | st.just(0.0)))
    at = data.draw(st.integers(0, len(ions.z)), label="position")
    with_extra = IonSet(
        *(np.insert(col, at, extra) for col, extra in zip(ions, (0.0, ci0, co0, z0), strict=True))
    )
    assert ghk_voltage_of(with_extra, t) == pytest.approx(ghk_voltage_of(ions, t), abs=1e-9)


def test_ghk_voltage_mapping_matches_array_form() -> None:
    # Named ions take their valences from the ion table: K+, Na+, Cl-, Ca2+ are 1, 1, -1, 2.
    P = {"K+": 1.0, "Na+": 0.04, "Cl-": 0.45, "Ca2+": 0.01}
    c_in = {"K+": 140.0, "Na+": 10.0, "Cl-": 10.0, "Ca2+": 1e-4}
    c_out = {"K+": 5.0, "Na+": 145.0, "Cl-": 110.0, "Ca2+": 2.0}
    V_named = nernst.ghk_voltage(P, c_in=c_in, c_out=c_out)
    V_array = nernst.ghk_voltage(
        list(P.values()), c_in=list(c_in.values()), c_out=list(c_out.values()), z=[1, 1, -1, 2]
    )
    assert V_named == pytest.approx(V_array, abs=1e-12)


# --------------------------------------------------------------------------------------------
# GHK current and flux


@both_ranges
@given(data=st.data())
def test_ghk_current_zero_at_nernst_potential(r: Range, data: st.DataObject) -> None:
    # At its own Nernst potential an ion's efflux and influx balance (GHK -> Nernst).
    z, P, a, b, t = data.draw(st.tuples(VALENCES, r.perm, r.conc, r.conc, r.celsius))
    E = nernst.equilibrium_potential(z, c_in=a, c_out=b, celsius=t)
    I = nernst.ghk_current(z, v_m=E, permeability=P, c_in=a, c_out=b, celsius=t)
    assert abs(I) <= 1e-10 * unidirectional_current(E, z, P, a, b, t)


@both_ranges
@given(data=st.data())
def test_ghk_total_current_zero_at_ghk_voltage(r: Range, data: st.DataObject) -> None:
    # The GHK voltage is where the summed GHK currents of all permeant ions vanish.
    ions = data.draw(ion_sets(r), label="ions")
    t = data.draw(r.celsius, label="celsius")
    V = ghk_voltage_of(ions, t)
    I = nernst.ghk_current(
        ions.z, v_m=V, permeability=ions.P, c_in=ions.ci, c_out=ions.co, celsius=t
    )
    scale = unidirectional_current(V, ions.z, ions.P, ions.ci, ions.co, t).sum()
    assert abs(I.sum()) <= 1e-10 * scale


@both_ranges
@given(data=st.data())
def test_ghk_current_increases_with_voltage(r: Range, data: st.DataObject) -> None:
    # dI/dV = P z^2 F^2/(RT) (c_in B'(w) + c_out B'(-w)) > 0: the current rises monotonically.
    z, P, a, b, t = data.draw(st.tuples(VALENCES, r.perm, r.conc, r.conc, r.celsius))
    v = np.sort(data.draw(st.lists(r.volt, min_size=2, max_size=20), label="v"))
    I = nernst.ghk_current(z, v_m=v, permeability=P, c_in=a, c_out=b, celsius=t)
    slack = 1e-13 * unidirectional_current(v, z, P, a, b, t)
    assert np.all(np.diff(I) >= -(slack[1:] + slack[:-1]))


@both_ranges
@given(data=st.data())
def test_ghk_current_exact_and_continuous_at_zero(r: Range, data: st.DataObject) -> None:
    # Removable singularity at 0 mV: I(0) = P z F (c_in - c_out) * 1e-3, I(+-1e-12 mV) ~ I(0).
    z, P, a, b, t = data.draw(st.tuples(VALENCES, r.perm, r.conc, r.conc, r.celsius))
    I0 = nernst.ghk_current(z, v_m=0.0, permeability=P, c_in=a, c_out=b, celsius=t)
    # mM * cm/s * C/mol = 1e-6 A/cm^2 = 1e-3 mA/cm^2.
    assert I0 == pytest.approx(P * z * FARADAY * (a - b) * 1e-3, rel=1e-14, abs=0)
    scale = P * abs(z) * FARADAY * (a + b) * 1e-3
    for v in (-1e-12, 1e-12):
        I = nernst.ghk_current(z, v_m=v, permeability=P, c_in=a, c_out=b, celsius=t)
        assert abs(I - I0) <= 1e-12 * scale


@given(data=st.data())
def test_ghk_current_and_flux_finite_at_extremes(data: st.DataObject) -> None:
    # No overflow: |V| <= 1000 mV, |z| <= 3, 1e-9..1e4 mM (or 0), -20..150 degC stay finite.
    r = EXTREME
    z, P, t = data.draw(st.tuples(VALENCES, r.perm, r.celsius))
    a, b = data.draw(st.tuples(r.conc | st.just(0.0), r.conc | st.just(0.0)))
    v = np.array([*data.draw(st.lists(r.volt, min_size=1, max_size=10)), -1000.0, 1000.0])
    for f in (nernst.ghk_current, nernst.ghk_flux):
        out = f(z, v_m=v, permeability=P, c_in=a, c_out=b, celsius=t)
        assert np.all(np.isfinite(out)), (f.__name__, out)


@both_ranges
@given(data=st.data())
def test_ghk_current_is_charge_times_flux(r: Range, data: st.DataObject) -> None:
    # I = z F Phi: mol/(cm^2 s) * C/mol = A/cm^2, * 1e3 -> mA/cm^2.
    z, P, a, b, t, v = data.draw(st.tuples(VALENCES, r.perm, r.conc, r.conc, r.celsius, r.volt))
    I = nernst.ghk_current(z, v_m=v, permeability=P, c_in=a, c_out=b, celsius=t)
    flux = nernst.ghk_flux(z, v_m=v, permeability=P, c_in=a, c_out=b, celsius=t)
    # abs=1e-300: a current of a subnormal voltage (2.2e-309 mV) is itself subnormal and
    # carries only a few significant digits whatever the order of the products.
    assert I == pytest.approx(z * FARADAY * flux * 1e3, rel=1e-14, abs=1e-300)


# --------------------------------------------------------------------------------------------
# Energetics


@both_ranges
@given(data=st.data())
def test_transport_free_energy_antisymmetric(r: Range, data: st.DataObject) -> None:
    # Delta G(A -> B) = -Delta G(B -> A): free energy is a state function.
    z, a, b, t = data.draw(st.tuples(VALENCES, r.conc, r.conc, r.celsius))
    va, vb = data.draw(st.tuples(r.volt, r.volt))
    there = nernst.transport_free_energy(z, c_from=a, c_to=b, v_from=va, v_to=vb, celsius=t)
    back = nernst.transport_free_energy(z, c_from=b, c_to=a, v_from=vb, v_to=va, celsius=t)
    assert back == pytest.approx(-there, rel=1e-12, abs=1e-9)


@both_ranges
@given(data=st.data())
def test_transport_free_energy_zero_without_gradient(r: Range, data: st.DataObject) -> None:
    # Same concentration and same potential on both sides: Delta G = 0 exactly.
    z, c, t, v = data.draw(st.tuples(VALENCES, r.conc, r.celsius, r.volt))
    dG = nernst.transport_free_energy(z, c_from=c, c_to=c, v_from=v, v_to=v, celsius=t)
    assert dG == 0.0


@both_ranges
@given(data=st.data())
def test_transport_free_energy_into_cell_is_zF_driving_force(r: Range, data: st.DataObject) -> None:
    # Outside (0 mV, c_out) -> inside (V, c_in): Delta G = z F (V - E) [mV * 1e-3 -> J/mol].
    z, ci, co, t, v = data.draw(st.tuples(VALENCES, r.conc, r.conc, r.celsius, r.volt))
    dG = nernst.transport_free_energy(z, c_from=co, c_to=ci, v_from=0.0, v_to=v, celsius=t)
    E = nernst.equilibrium_potential(z, c_in=ci, c_out=co, celsius=t)
    expected = z * FARADAY * (v - E) * 1e-3
    scale = FARADAY * abs(z) * (abs(v) + abs(E)) * 1e-3  # the two terms that may cancel
    assert dG == pytest.approx(expected, rel=1e-12, abs=1e-12 * scale + 1e-12)


@both_ranges
@given(data=st.data())
def test_stored_energy_is_zFE_and_RT_log_ratio(r: Range, data: st.DataObject) -> None:
    # |z F E| * 1e-3 = R T |ln(c_out/c_in)|: a gradient's energy does not depend on z.
    z, ci, co, t = data.draw(st.tuples(VALENCES, r.conc, r.conc, r.celsius))
    W = nernst.stored_energy(z, c_in=ci, c_out=co, celsius=t)
    E = nernst.equilibrium_potential(z, c_in=ci, c_out=co, celsius=t)
    assert W == pytest.approx(abs(z * FARADAY * E) * 1e-3, rel=1e-13, abs=0)
    rt_log = GAS_CONSTANT * (t + ZERO_CELSIUS) * abs(math.log(co / ci))
    assert W == pytest.approx(rt_log, rel=1e-12, abs=0)


@given(data=st.data())
def test_energetics_finite_at_extremes(data: st.DataObject) -> None:
    # Never a NaN or inf over the extreme range of valid input.
    r = EXTREME
    z, ci, co, t, v = data.draw(st.tuples(VALENCES, r.conc, r.conc, r.celsius, r.volt))
    values = [
        nernst.equilibrium_potential(z, c_in=ci, c_out=co, celsius=t),
        nernst.driving_force(z, v_m=v, c_in=ci, c_out=co, celsius=t),
        nernst.transport_free_energy(z, c_from=co, c_to=ci, v_to=v, celsius=t),
        nernst.stored_energy(z, c_in=ci, c_out=co, celsius=t),
        nernst.pumping_work(z, v_m=v, c_in=ci, c_out=co, celsius=t),
    ]
    assert all(math.isfinite(x) for x in values), values


# --------------------------------------------------------------------------------------------
# Broadcasting and return types


@dataclass(frozen=True)
class Elementwise:
    """A public function with its argument names and a strategy for each argument's elements."""

    name: str
    call: Callable[..., Any]
    args: dict[str, st.SearchStrategy[Any]]


R = EXTREME
ELEMENTWISE = [
    Elementwise(
        "equilibrium_potential",
        lambda z, **kw: nernst.equilibrium_potential(z, **kw),
        {"z": VALENCES, "c_in": R.conc, "c_out": R.conc, "celsius": R.celsius},
    ),
    Elementwise(
        "equilibrium_potential(gamma)",
        lambda z, **kw: nernst.equilibrium_potential(z, **kw),
        {"z": VALENCES, "c_in": R.conc, "c_out": R.conc, "gamma_in": GAMMAS, "gamma_out": GAMMAS},
    ),
    Elementwise(
        "ghk_current",
        lambda v, z, **kw: nernst.ghk_current(z, v_m=v, **kw),
        {
            "v": R.volt,
            "z": VALENCES,
            "permeability": R.perm,
            "c_in": R.conc,
            "c_out": R.conc,
            "celsius": R.celsius,
        },
    ),
    Elementwise(
        "ghk_flux",
        lambda v, z, **kw: nernst.ghk_flux(z, v_m=v, **kw),
        {
            "v": R.volt,
            "z": VALENCES,
            "permeability": R.perm,
            "c_in": R.conc,
            "c_out": R.conc,
            "celsius": R.celsius,
        },
    ),
    Elementwise(
        "transport_free_energy",
        lambda z, **kw: nernst.transport_free_energy(z, **kw),
        {
            "z": VALENCES,
            "c_from": R.conc,
            "c_to": R.conc,
            "v_from": R.volt,
            "v_to": R.volt,
            "celsius": R.celsius,
        },
    ),
    Elementwise(
        "stored_energy",
        lambda z, **kw: nernst.stored_energy(z, **kw),
        {"z": VALENCES, "c_in": R.conc, "c_out": R.conc, "celsius": R.celsius},
    ),
    Elementwise(
        "driving_force",
        lambda z, **kw: nernst.driving_force(z, **kw),
        {"z": VALENCES, "v_m": R.volt, "c_in": R.conc, "c_out": R.conc, "celsius": R.celsius},
    ),
    Elementwise(
        "pumping_work",
        lambda z, **kw: nernst.pumping_work(z, **kw),
        {"z": VALENCES, "v_m": R.volt, "c_in": R.conc, "c_out": R.conc, "celsius": R.celsius},
    ),
]


def _python_scalar(x: np.generic) -> int | float:
    return int(x) if np.issubdtype(x.dtype, np.integer) else float(x)


@pytest.mark.parametrize("f", ELEMENTWISE, ids=lambda f: f.name)
@given(data=st.data())
def test_broadcast_matches_elementwise_scalar_calls(f: Elementwise, data: st.DataObject) -> None:
    # Ufunc contract: n-d inputs broadcast, each element equals the scalar call on it.
    shapes = data.draw(
        hnp.mutually_broadcastable_shapes(
            num_shapes=len(f.args), min_dims=0, max_dims=3, max_side=3
        ),
        label="shapes",
    )
    arrays = {}
    for (arg, elements), shape in zip(f.args.items(), shapes.input_shapes, strict=True):
        dtype = int if arg == "z" else float
        arrays[arg] = data.draw(hnp.arrays(dtype, shape, elements=elements), label=arg)
    out = np.asarray(f.call(**arrays))
    assert out.shape == shapes.result_shape
    expanded = dict(zip(arrays, np.broadcast_arrays(*arrays.values()), strict=True))
    for idx in np.ndindex(shapes.result_shape):
        scalar = f.call(**{k: _python_scalar(a[idx]) for k, a in expanded.items()})
        assert type(scalar) is float
        assert out[idx] == pytest.approx(scalar, rel=1e-13, abs=0)


@given(data=st.data())
def test_ghk_voltage_broadcasts_over_conditions(data: st.DataObject) -> None:
    # Ions on the last axis (or `axis`): each condition of an n-d input equals its own 1-d call.
    n = data.draw(st.integers(1, 4), label="n ions")
    z = data.draw(st.lists(VALENCES, min_size=n, max_size=n), label="z")
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=3, max_side=3), label="shape")
    P, ci, co = (
        data.draw(hnp.arrays(float, (*shape, n), elements=s), label=k)
        for k, s in (("P", R.perm), ("c_in", R.conc), ("c_out", R.conc))
    )
    T = data.draw(hnp.arrays(float, shape, elements=R.celsius), label="celsius")
    V = np.asarray(nernst.ghk_voltage(P, c_in=ci, c_out=co, z=z, celsius=T))
    assert V.shape == shape
    V_axis0 = nernst.ghk_voltage(
        np.moveaxis(P, -1, 0),
        c_in=np.moveaxis(ci, -1, 0),
        c_out=np.moveaxis(co, -1, 0),
        z=z,
        axis=0,
        celsius=T,
    )
    np.testing.assert_array_equal(V_axis0, V)
    for idx in np.ndindex(shape):
        one = nernst.ghk_voltage(P[idx], c_in=ci[idx], c_out=co[idx], z=z, celsius=float(T[idx]))
        assert type(one) is float
        assert V[idx] == pytest.approx(one, rel=1e-13, abs=1e-12)


SCALAR_CALLS: list[tuple[str, Callable[[Callable[[float], Any]], Any], type]] = [
    (
        "equilibrium_potential",
        lambda s: nernst.equilibrium_potential(1, c_in=s(140), c_out=s(5), celsius=s(37)),
        float,
    ),
    (
        "ghk_current",
        lambda s: nernst.ghk_current(2, v_m=s(-50), permeability=s(1e-3), c_in=s(1e-4), c_out=s(2)),
        float,
    ),
    (
        "ghk_flux",
        lambda s: nernst.ghk_flux(2, v_m=s(-50), permeability=s(1e-3), c_in=s(1e-4), c_out=s(2)),
        float,
    ),
    (
        "ghk_voltage",
        lambda s: nernst.ghk_voltage(
            [1, 0.04], c_in=[140, 10], c_out=[5, 145], z=[1, 1], celsius=s(37)
        ),
        float,
    ),
    (
        "transport_free_energy",
        lambda s: nernst.transport_free_energy(1, c_from=s(5), c_to=s(140), v_to=s(-70)),
        float,
    ),
    ("stored_energy", lambda s: nernst.stored_energy(-1, c_in=s(10), c_out=s(110)), float),
    (
        "driving_force",
        lambda s: nernst.driving_force(1, v_m=s(-70), c_in=s(140), c_out=s(5)),
        float,
    ),
    ("pumping_work", lambda s: nernst.pumping_work(1, v_m=s(-70), c_in=s(10), c_out=s(145)), float),
    (
        "flux_direction",
        lambda s: nernst.flux_direction(1, v_m=s(-70), c_in=s(10), c_out=s(145)),
        int,
    ),
    (
        "needs_active_transport",
        lambda s: nernst.needs_active_transport(1, v_m=s(-70), c_in=s(10), c_out=s(145)),
        bool,
    ),
]
SCALAR_KINDS = {"python": float, "numpy": np.float64, "0-d array": lambda x: np.array(float(x))}


@pytest.mark.parametrize("kind", SCALAR_KINDS)
@pytest.mark.parametrize(
    ("name", "call", "kind_out"), SCALAR_CALLS, ids=[c[0] for c in SCALAR_CALLS]
)
def test_scalar_in_python_scalar_out(name: str, call: Any, kind_out: type, kind: str) -> None:
    # A float in gives a Python float (int, bool for verdicts) out, like a ufunc on scalars.
    assert type(call(SCALAR_KINDS[kind])) is kind_out


# --------------------------------------------------------------------------------------------
# Bad input


def _ghk_array(**kw: Any) -> Any:
    args = {"permeability": [1.0, 0.04], "c_in": [140.0, 10.0], "c_out": [5.0, 145.0]}
    args.update(kw)
    P = args.pop("permeability")
    return nernst.ghk_voltage(P, z=args.pop("z", [1, 1]), **args)


def _ghk_mapping(**kw: Any) -> Any:
    args: dict[str, Any] = {
        "permeability": {"K+": 1.0, "Na+": 0.04},
        "c_in": {"K+": 140.0, "Na+": 10.0},
        "c_out": {"K+": 5.0, "Na+": 145.0},
    }
    for k, v in kw.items():  # a bad value goes to Na+; celsius stays a plain keyword
        args[k] = {**args[k], "Na+": v} if k in ("permeability", "c_in", "c_out") else v
    P = args.pop("permeability")
    return nernst.ghk_voltage(P, **args)


def _with_ion(f: Callable[..., Any], **defaults: Any) -> Callable[..., Any]:
    """A call of ``f(ion, **defaults)``; an ``ion=`` keyword replaces the valence 1."""

    def call(**kw: Any) -> Any:
        ion = kw.pop("ion", 1)
        return f(ion, **{**defaults, **kw})

    return call


def _with_v_ion(f: Callable[..., Any], **defaults: Any) -> Callable[..., Any]:
    def call(**kw: Any) -> Any:
        v, ion = kw.pop("v_m", -50.0), kw.pop("ion", 1)
        return f(ion, v_m=v, **{**defaults, **kw})

    return call


CONC = {"c_in": 140.0, "c_out": 5.0}
GHK1 = {"permeability": 1e-3, "c_in": 140.0, "c_out": 5.0}
FUNCS: dict[str, Callable[..., Any]] = {
    "equilibrium_potential": _with_ion(nernst.equilibrium_potential, **CONC),
    "driving_force": _with_ion(nernst.driving_force, v_m=-70.0, **CONC),
    "flux_direction": _with_ion(nernst.flux_direction, v_m=-70.0, **CONC),
    "pumping_work": _with_ion(nernst.pumping_work, v_m=-70.0, **CONC),
    "needs_active_transport": _with_ion(nernst.needs_active_transport, v_m=-70.0, **CONC),
    "stored_energy": _with_ion(nernst.stored_energy, **CONC),
    "transport_free_energy": _with_ion(nernst.transport_free_energy, c_from=5.0, c_to=140.0),
    "ghk_current": _with_v_ion(nernst.ghk_current, **GHK1),
    "ghk_flux": _with_v_ion(nernst.ghk_flux, **GHK1),
    "ghk_voltage(array)": _ghk_array,
    "ghk_voltage(mapping)": _ghk_mapping,
}
POSITIVE_ARGS = {  # arguments that must be positive and finite
    "equilibrium_potential": ["c_in", "c_out", "gamma_in", "gamma_out"],
    "driving_force": ["c_in", "c_out"],
    "flux_direction": ["c_in", "c_out"],
    "pumping_work": ["c_in", "c_out"],
    "needs_active_transport": ["c_in", "c_out"],
    "stored_energy": ["c_in", "c_out"],
    "transport_free_energy": ["c_from", "c_to"],
    "ghk_voltage(array)": ["c_in", "c_out"],
    "ghk_voltage(mapping)": ["c_in", "c_out"],
}
NON_NEGATIVE_ARGS = {  # zero allowed, negative or non-finite not
    "ghk_current": ["c_in", "c_out", "permeability"],
    "ghk_flux": ["c_in", "c_out", "permeability"],
    "ghk_voltage(array)": ["permeability"],
    "ghk_voltage(mapping)": ["permeability"],
}
FINITE_ARGS = {
    "driving_force": ["v_m"],
    "transport_free_energy": ["v_from", "v_to"],
    "ghk_current": ["v_m"],
    "ghk_flux": ["v_m"],
}


def _names_argument(arg: str) -> str:
    """The message names the argument and gives its value: ``c_in=``, ``c_in['Na+']=``."""
    return rf"\b{re.escape(arg)}(\[[^\]]*\])?="


def _bad_cases() -> list[Any]:
    cases = []
    for table, bad_values in (
        (POSITIVE_ARGS, [math.nan, math.inf, -math.inf, 0.0, -1.0]),
        (NON_NEGATIVE_ARGS, [math.nan, math.inf, -math.inf, -1e-9]),
        (FINITE_ARGS, [math.nan, math.inf, -math.inf]),
    ):
        for func, args in table.items():
            for arg in args:
                for bad in bad_values:
                    cases.append(pytest.param(func, arg, bad, id=f"{func}-{arg}={bad}"))
    return cases


@pytest.mark.parametrize("as_array", [False, True], ids=["scalar", "in-array"])
@pytest.mark.parametrize(("func", "arg", "bad"), _bad_cases())
def test_bad_value_raises_naming_argument(func: str, arg: str, bad: float, as_array: bool) -> None:
    # NaN, inf, zero (where not allowed) and negative inputs are ValueErrors naming the argument.
    value: Any = np.array([[1.0], [bad], [2.0]]) if as_array else bad  # (3, 1): ghk ion axis ok
    with pytest.raises(ValueError, match=_names_argument(arg)):
        FUNCS[func](**{arg: value})


@pytest.mark.parametrize("func", [f for f in FUNCS if not f.startswith("ghk_voltage")])
@pytest.mark.parametrize("ion", [0, 0.0, 1.5, [1, 0]], ids=["0", "0.0", "1.5", "[1,0]"])
def test_bad_valence_raises(func: str, ion: Any) -> None:
    # z = 0 (no equilibrium potential) or a fractional valence is a ValueError naming z.
    with pytest.raises(ValueError, match=r"\bz="):
        FUNCS[func](ion=ion)


@pytest.mark.parametrize("z", [[1, 0], [0, 1], [1, 1.5]])
def test_ghk_voltage_bad_valence_raises(z: list[float]) -> None:
    # A zero or fractional valence in ghk_voltage's z= is a ValueError naming z.
    with pytest.raises(ValueError, match=r"\bz="):
        _ghk_array(z=z)


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize(
    "celsius", [-273.16, -300.0, 150.01, 310.15, math.nan, math.inf, -math.inf]
)
def test_bad_temperature_raises(func: str, celsius: float) -> None:
    # Below absolute zero, above 150 degC (Kelvin by mistake) or non-finite: ValueError.
    with pytest.raises(ValueError, match=r"\bcelsius\b") as err:
        FUNCS[func](celsius=celsius)
    if celsius in (150.01, 310.15):
        assert "273.15" in str(err.value)  # suggests celsius=T - 273.15


def test_ghk_voltage_all_impermeant_raises() -> None:
    # With every permeability zero the GHK voltage is undefined: ValueError, not NaN.
    with pytest.raises(ValueError, match="permeabilit"):
        _ghk_array(permeability=[0.0, 0.0])


BAD = st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -1.0])


@given(data=st.data())
def test_poisoned_array_raises_not_nan(data: st.DataObject) -> None:
    # One bad element anywhere in an n-d concentration array: a ValueError, never a NaN result.
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), label="shape")
    good = data.draw(hnp.arrays(float, shape, elements=R.conc), label="good")
    flat_index = data.draw(st.integers(0, good.size - 1), label="where")
    bad = data.draw(BAD, label="bad")
    poisoned = good.copy()
    poisoned.flat[flat_index] = bad
    name, call = data.draw(
        st.sampled_from(
            [
                ("c_in", lambda c: nernst.equilibrium_potential(2, c_in=c, c_out=1.0)),
                ("c_out", lambda c: nernst.driving_force(-1, v_m=-60.0, c_in=1.0, c_out=c)),
                ("c_to", lambda c: nernst.transport_free_energy(1, c_from=1.0, c_to=c)),
                ("c_in", lambda c: nernst.stored_energy(3, c_in=c, c_out=1.0)),
                (
                    "c_out",
                    lambda c: nernst.ghk_voltage(
                        np.ones_like(c), c_in=1.0, c_out=c, z=[1] * c.shape[-1]
                    ),
                ),
            ]
        ),
        label="function",
    )
    assert np.all(np.isfinite(call(good)))
    with pytest.raises(ValueError, match=_names_argument(name)):
        call(poisoned)
