"""ghk_voltage / ghk_current / ghk_flux: API forms, published values, bad input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nernst

# CODATA 2018 exact: R = k_B N_A, F = e N_A (written out, not taken from nernst.constants).
R = 1.380649e-23 * 6.02214076e23
F = 1.602176634e-19 * 6.02214076e23

SEED_P = {"K+": 1, "Na+": 0.04, "Cl-": 0.45}
SEED_IN = {"K+": 140, "Na+": 10, "Cl-": 10}
SEED_OUT = {"K+": 5, "Na+": 145, "Cl-": 110}


def test_mapping_and_array_forms_agree():
    # Seed chapter GHK example, -67.3 mV, through both input forms.
    V_map = nernst.ghk_voltage(SEED_P, c_in=SEED_IN, c_out=SEED_OUT, celsius=37)
    V_arr = nernst.ghk_voltage(
        [1, 0.04, 0.45], c_in=[140, 10, 10], c_out=[5, 145, 110], z=[1, 1, -1], celsius=37
    )
    assert type(V_map) is float
    assert V_map == pytest.approx(-67.3, abs=0.05)
    assert V_arr == pytest.approx(V_map, rel=1e-14)


def test_z_given_as_names():
    V = nernst.ghk_voltage(
        [1, 0.04, 0.45], c_in=[140, 10, 10], c_out=[5, 145, 110], z=["K+", "Na+", "Cl-"]
    )
    assert V == pytest.approx(-67.3, abs=0.05)


def test_hodgkin_katz_1949_squid_formula_by_hand():
    # Hodgkin & Katz (1949) eq. 4 with their resting ratio 1 : 0.04 : 0.45; check against the
    # monovalent GHK formula written out by hand for the squid preset's numbers.
    cell = nernst.Cell.preset("squid-axon")
    i, o, p = cell.inside, cell.outside, cell.permeability
    num = p["K+"] * o["K+"] + p["Na+"] * o["Na+"] + p["Cl-"] * i["Cl-"]
    den = p["K+"] * i["K+"] + p["Na+"] * i["Na+"] + p["Cl-"] * o["Cl-"]
    by_hand = R * (cell.celsius + 273.15) / F * 1e3 * math.log(num / den)
    assert cell.resting_potential() == pytest.approx(by_hand, rel=1e-12)


def test_ions_along_another_axis():
    rng = np.random.default_rng(2)
    P = rng.uniform(0.01, 1, (3, 7))
    ci = rng.uniform(1, 100, (3, 7))
    co = rng.uniform(1, 100, (3, 7))
    z = [1, -1, 2]
    V_axis0 = nernst.ghk_voltage(P, c_in=ci, c_out=co, z=z, axis=0)
    V_last = nernst.ghk_voltage(P.T, c_in=ci.T, c_out=co.T, z=z)
    assert V_axis0.shape == (7,)
    np.testing.assert_allclose(V_axis0, V_last, rtol=1e-14)


def test_dict_values_may_be_arrays():
    V = nernst.ghk_voltage(
        {"K+": 1, "Na+": np.array([0.01, 0.04, 0.1])},
        c_in={"K+": 140, "Na+": 10},
        c_out={"K+": 5, "Na+": 145},
    )
    assert V.shape == (3,)
    assert np.all(np.diff(V) > 0)  # more Na+ permeability, more depolarised


def test_zero_permeability_ion_is_ignored_even_with_zero_concentration():
    V = nernst.ghk_voltage(
        {"K+": 1, "Na+": 0.0}, c_in={"K+": 140, "Na+": 0.0}, c_out={"K+": 5, "Na+": 145}
    )
    assert V == pytest.approx(nernst.equilibrium_potential("K+", c_in=140, c_out=5), rel=1e-14)


def test_trivalent_ion_uses_root_finder_and_matches_one_ion_nernst():
    V = nernst.ghk_voltage([1.0], c_in=[1e-3], c_out=[2.0], z=[3])
    assert V == pytest.approx(nernst.equilibrium_potential(3, c_in=1e-3, c_out=2.0), abs=1e-9)


def test_calcium_permeable_channel_reversal_between_E_values():
    # A Ca2+-permeable cation channel (P_Ca/P_Na = 10): reversal lies between E_Na and E_Ca.
    V = nernst.ghk_voltage(
        {"Na+": 1, "K+": 1, "Ca2+": 10},
        c_in={"Na+": 10, "K+": 140, "Ca2+": 1e-4},
        c_out={"Na+": 145, "K+": 5, "Ca2+": 2},
    )
    E_K = nernst.equilibrium_potential("K+", c_in=140, c_out=5)
    E_Ca = nernst.equilibrium_potential("Ca2+", c_in=1e-4, c_out=2)
    assert E_K < V < E_Ca


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"permeability": {"K+": -1}}, "permeability"),
        ({"permeability": {"K+": 0, "Na+": 0}}, "all permeabilities are zero"),
        ({"permeability": {"K+": 1, "Ca2+": 1}}, r"c_in has no concentration .*Ca2\+"),
        ({"permeability": {"K+": float("nan")}}, "permeability"),
        ({"permeability": {}}, "empty"),
        ({"permeability": {"Kx": 1}}, "unknown ion"),
    ],
)
def test_bad_mapping_input(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        nernst.ghk_voltage(
            kwargs["permeability"], c_in={"K+": 140, "Na+": 10}, c_out={"K+": 5, "Na+": 145}
        )


def test_bad_permeant_concentration_named():
    with pytest.raises(ValueError, match=r"c_out\[Na\+\]=0"):
        nernst.ghk_voltage(
            {"K+": 1, "Na+": 0.1}, c_in={"K+": 140, "Na+": 10}, c_out={"K+": 5, "Na+": 0}
        )


def test_array_input_needs_z():
    with pytest.raises(ValueError, match="z is required"):
        nernst.ghk_voltage([1, 1], c_in=[1, 2], c_out=[2, 1])


def test_array_shape_mismatch():
    with pytest.raises(ValueError, match="broadcast"):
        nernst.ghk_voltage([1, 1], c_in=[1, 2, 3], c_out=[2, 1], z=[1, -1])


def test_current_is_exact_at_zero_and_continuous():
    # At V = 0: I = P z F (c_in - c_out) = 1e-6 cm/s * 96485.33212 * 135 mM * 1e-3 mA/cm^2.
    expected = 1e-6 * F * (140 - 5) * 1e-3
    for v in (0.0, 1e-12, -1e-12):
        I = nernst.ghk_current("K+", v_m=v, permeability=1e-6, c_in=140, c_out=5)
        assert I == pytest.approx(expected, rel=1e-12)


def test_current_finite_at_plus_minus_one_volt():
    I = nernst.ghk_current(3, v_m=np.array([-1000.0, 1000.0]), permeability=1, c_in=1e4, c_out=1e4)
    assert np.all(np.isfinite(I))
    # Far from E, the GHK current tends to the one-sided limit P z^2 F^2 V c / RT.
    w = 3 * 1.0 * F / (R * 310.15)
    assert I[1] == pytest.approx(3 * F * 1e4 * w * 1e-3, rel=1e-12)


def test_flux_units_and_sign():
    # 1e-6 cm/s * 100 mM (1e-4 mol/cm^3) at V = 0 with nothing outside: 1e-10 mol/(cm^2 s) out.
    assert nernst.ghk_flux("Cl-", v_m=0.0, permeability=1e-6, c_in=100, c_out=0) == pytest.approx(
        1e-10, rel=1e-14
    )
    # Anion flux outward carries inward (negative) current.
    assert nernst.ghk_current("Cl-", v_m=0.0, permeability=1e-6, c_in=100, c_out=0) < 0


def test_current_bad_input():
    with pytest.raises(ValueError, match="v_m="):
        nernst.ghk_current("K+", v_m=float("nan"), permeability=1, c_in=1, c_out=1)
    with pytest.raises(ValueError, match="c_in"):
        nernst.ghk_current("K+", v_m=0, permeability=1, c_in=-1, c_out=1)


@settings(max_examples=settings.default.max_examples * 10 // 3, deadline=None)  # 200 in dev
@given(
    p=st.lists(st.floats(0.0, 10.0), min_size=5, max_size=5),
    c=st.lists(st.floats(1e-6, 1e3), min_size=10, max_size=10),
    celsius=st.floats(-20.0, 100.0),
)
def test_scalar_mapping_fast_path_equals_array_path(p, c, celsius):
    # The pure-Python path for dicts of scalars and the NumPy path solve the same equation.
    names = ["K+", "Na+", "Cl-", "Ca2+", "SO4 2-"]
    if not any(p):
        p[0] = 1.0
    perm = dict(zip(names, p, strict=True))
    c_in = dict(zip(names, c[:5], strict=True))
    c_out = dict(zip(names, c[5:], strict=True))
    V_fast = nernst.ghk_voltage(perm, c_in=c_in, c_out=c_out, celsius=celsius)
    V_array = nernst.ghk_voltage(p, c_in=c[:5], c_out=c[5:], z=[1, 1, -1, 2, -2], celsius=celsius)
    assert type(V_fast) is float
    assert V_fast == pytest.approx(float(V_array), rel=1e-12, abs=1e-9)


@pytest.mark.parametrize("scale", [5e-324, 1e-300, 1e300])
def test_permeability_scale_at_the_float_limits(scale):
    # Only permeability ratios enter the GHK voltage: the seed example (-67.3 mV) must survive
    # permeabilities whose products with concentrations under- or overflow a double.
    ratios = [1, 0.04, 0.45] if scale != 5e-324 else [1, 1, 1]
    P = [r * scale for r in ratios]
    c_in, c_out = [140, 10, 10], [5, 145, 110]
    ref = nernst.ghk_voltage(ratios, c_in=c_in, c_out=c_out, z=[1, 1, -1])
    V_dict = nernst.ghk_voltage(
        dict(zip(["K+", "Na+", "Cl-"], P, strict=True)),
        c_in=dict(zip(["K+", "Na+", "Cl-"], c_in, strict=True)),
        c_out=dict(zip(["K+", "Na+", "Cl-"], c_out, strict=True)),
    )
    V_array = nernst.ghk_voltage(P, c_in=c_in, c_out=c_out, z=[1, 1, -1])
    assert V_dict == pytest.approx(ref, rel=1e-12)
    assert float(V_array) == pytest.approx(ref, rel=1e-12)


def test_subnormal_divalent_permeability_alone_gives_its_nernst_potential():
    # Found by Hypothesis: SO4 2- alone with P = 2.2e-311 (equal concentrations) must give its
    # Nernst potential, 0 mV, not -inf from an underflowing quadratic.
    P = [0.0, 0.0, 0.0, 0.0, 2.225073858507e-311]
    V = nernst.ghk_voltage(P, c_in=[1.0] * 5, c_out=[1.0] * 5, z=[1, 1, -1, 2, -2], celsius=0.0)
    assert V == 0.0
    V = nernst.ghk_voltage(P, c_in=[1.0] * 5, c_out=[1.0, 1.0, 1.0, 1.0, 10.0], z=[1, 1, -1, 2, -2])
    assert V == pytest.approx(nernst.equilibrium_potential(-2, c_in=1.0, c_out=10.0), rel=1e-12)


def test_voltage_is_solved_in_chunks_of_conditions_not_of_rows():
    # (2, 200000) conditions: cut into pieces of at most 16384 conditions, not into two rows
    # of 200000, so the extra memory beyond the result stays a small fraction of it (the
    # result is scaled by RT/F in place). tracemalloc counts NumPy's allocations.
    import tracemalloc

    rng = np.random.default_rng(11)
    shape = (2, 200_000, 3)
    P = rng.uniform(0.01, 1.0, shape)
    ci = rng.uniform(1.0, 150.0, shape)
    co = rng.uniform(1.0, 150.0, shape)
    nernst.ghk_voltage(P[:, :10], c_in=ci[:, :10], c_out=co[:, :10], z=[1, 1, -1])  # warm
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        V = nernst.ghk_voltage(P, c_in=ci, c_out=co, z=[1, 1, -1], celsius=25.0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert V.shape == shape[:-1]
    assert peak <= 1.5 * V.nbytes, f"peak {peak / V.nbytes:.2f}x the result"
    # The monovalent equation written out (K+, Na+ cations; Cl- anion), CODATA constants.
    vt = R * (25.0 + 273.15) / F * 1e3
    num = P[..., 0] * co[..., 0] + P[..., 1] * co[..., 1] + P[..., 2] * ci[..., 2]
    den = P[..., 0] * ci[..., 0] + P[..., 1] * ci[..., 1] + P[..., 2] * co[..., 2]
    np.testing.assert_allclose(V, vt * np.log(num / den), rtol=1e-13, atol=1e-12)


@pytest.mark.parametrize(
    "shape", [(5,), (3, 7), (2, 40_000), (40_000, 2), (3, 2, 20_000), (0, 5), (1, 16385)]
)
def test_chunked_solve_equals_one_condition_at_a_time(shape):
    # Chunking never changes a value: every condition equals its own call (divalent Ca2+, so
    # the quadratic path), whatever the cut of the conditions.
    rng = np.random.default_rng(3)
    full = (*shape, 4)
    P = rng.uniform(0.01, 1.0, full)
    ci = rng.uniform(1e-4, 150.0, full)
    co = rng.uniform(1e-2, 150.0, full)
    z = [1, 1, -1, 2]
    V = nernst.ghk_voltage(P, c_in=ci, c_out=co, z=z)
    assert np.shape(V) == shape
    flat = [i for i in np.ndindex(*shape)][:: max(1, math.prod(shape) // 50)]
    for idx in flat:
        one = nernst.ghk_voltage(P[idx][None], c_in=ci[idx][None], c_out=co[idx][None], z=z)
        assert V[idx] == one[0]


@settings(max_examples=300, deadline=None)
@given(
    w=st.floats(-700.0, 700.0),
    ci=st.floats(0.0, 1e4),
    co=st.floats(0.0, 1e4),
    P=st.floats(0.0, 10.0),
)
def test_flux_kernel_on_floats_is_the_numpy_body(w, P, ci, co):
    # The ODE right-hand side calls ghk_flux_kernel on floats: the scalar form generated from
    # the one body must give the NumPy run's result (the series branch below |w| = 1e-3 too)
    # to a few units in the last place of the larger term: the floats take math's exp/expm1,
    # the arrays NumPy's, and these differ in the last bit for some arguments (AVX-512).
    from nernst.ghk import ghk_flux_kernel

    scalar = ghk_flux_kernel(w, P, ci, co)
    array = float(ghk_flux_kernel(np.array(w), np.array(P), np.array(ci), np.array(co)))
    assert type(scalar) is float
    if math.isnan(scalar) or math.isnan(array):
        assert math.isnan(scalar) and math.isnan(array)
        return
    scale = abs(ghk_flux_kernel(w, P, ci + co, 0.0)) + abs(ghk_flux_kernel(w, P, 0.0, ci + co))
    assert abs(scalar - array) <= 8 * np.finfo(float).eps * scale
