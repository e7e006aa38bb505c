"""equilibrium_potential: the standard battery (published values, shapes, bad input)."""

import math

import numpy as np
import pytest

import nernst


def test_published_hille_potassium_frog_muscle():
    # Hille (2001) Ion Channels of Excitable Membranes, 3rd ed., Table 1.1: frog muscle
    # K+ 124 mM in, 2.25 mM out, 20 C -> E_K = -101 mV.
    assert nernst.equilibrium_potential("K+", c_in=124, c_out=2.25, celsius=20) == pytest.approx(
        -101, abs=0.5
    )


def test_published_hille_mammalian_muscle_sodium_potassium():
    # Hille (2001) Table 1.1, mammalian skeletal muscle at 37 C: Na+ 145 out / 12 in ->
    # E_Na = +67 mV; K+ 4 out / 155 in -> E_K = -98 mV (printed to the nearest mV).
    assert nernst.equilibrium_potential("Na+", c_in=12, c_out=145) == pytest.approx(67, abs=0.5)
    assert nernst.equilibrium_potential("K+", c_in=155, c_out=4) == pytest.approx(-98, abs=0.5)


def test_scalar_in_float_out():
    E = nernst.equilibrium_potential("K+", c_in=140, c_out=5)
    assert type(E) is float


def test_numpy_scalars_and_0d_arrays_give_float():
    E = nernst.equilibrium_potential(np.int64(1), c_in=np.float32(140), c_out=np.array(5.0))
    assert type(E) is float
    assert E == pytest.approx(nernst.equilibrium_potential(1, c_in=140, c_out=5), rel=1e-6)


def test_nd_input_matches_elementwise():
    rng = np.random.default_rng(1)
    ci = rng.uniform(1, 200, (3, 4, 5))
    co = rng.uniform(1, 200, (4, 5))
    E = nernst.equilibrium_potential(-1, c_in=ci, c_out=co, celsius=25)
    assert E.shape == (3, 4, 5)
    expected = [
        nernst.equilibrium_potential(-1, c_in=float(a), c_out=float(b), celsius=25)
        for a, b in zip(ci.ravel(), np.broadcast_to(co, ci.shape).ravel(), strict=True)
    ]
    np.testing.assert_allclose(E.ravel(), expected, rtol=1e-13)


def test_valence_array_broadcasts():
    E = nernst.equilibrium_potential(np.array([1, 2, -1]), c_in=10, c_out=100)
    vt = nernst.thermal_voltage() * math.log(10)
    np.testing.assert_allclose(E, [vt, vt / 2, -vt], rtol=1e-13)


def test_temperature_array_broadcasts():
    E = nernst.equilibrium_potential("K+", c_in=140, c_out=5, celsius=[0.0, 37.0])
    assert E[1] / E[0] == pytest.approx(310.15 / 273.15, rel=1e-13)


def test_ion_aliases_resolve():
    ref = nernst.equilibrium_potential("K+", c_in=140, c_out=5)
    for alias in ("K", "potassium", "k+", "Potassium"):
        assert nernst.equilibrium_potential(alias, c_in=140, c_out=5) == ref


def test_extreme_concentrations_are_finite_and_exact():
    # 1e-9 .. 1e4 mM: a 1e13 ratio; ln(1e13) = 29.933606 -> 800.04 mV at 37 C for z = 1.
    E = nernst.equilibrium_potential(1, c_in=1e-9, c_out=1e4)
    assert E == pytest.approx(nernst.thermal_voltage() * 13 * math.log(10), rel=1e-13)


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf")])
@pytest.mark.parametrize("which", ["c_in", "c_out"])
def test_bad_concentration_names_argument(bad, which):
    kwargs = {"c_in": 10.0, "c_out": 10.0, which: bad}
    with pytest.raises(ValueError, match=which):
        nernst.equilibrium_potential("K+", **kwargs)


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan")])
def test_bad_concentration_in_array_names_argument(bad):
    with pytest.raises(ValueError, match=r"c_out.*shape \(3,\)"):
        nernst.equilibrium_potential("K+", c_in=10, c_out=np.array([1.0, bad, 3.0]))


def test_bad_activity_coefficient():
    with pytest.raises(ValueError, match="gamma_in"):
        nernst.equilibrium_potential("K+", c_in=10, c_out=1, gamma_in=0)


@pytest.mark.parametrize("z", [0, 0.5, np.array([1, 0])])
def test_bad_valence(z):
    with pytest.raises(ValueError, match="valence"):
        nernst.equilibrium_potential(z, c_in=10, c_out=1)


def test_unknown_ion_suggests_close_names():
    with pytest.raises(ValueError, match=r"unknown ion 'Kx'.*'K\+'"):
        nernst.equilibrium_potential("Kx", c_in=10, c_out=1)


@pytest.mark.parametrize(
    ("celsius", "pattern"),
    [
        (-300.0, "absolute zero"),
        (310.15, r"celsius=310.15 - 273.15 = 37"),
        (float("nan"), "finite"),
    ],
)
def test_bad_temperature(celsius, pattern):
    with pytest.raises(ValueError, match=pattern):
        nernst.equilibrium_potential("K+", c_in=10, c_out=1, celsius=celsius)


def test_mismatched_shapes_name_arguments():
    with pytest.raises(ValueError, match=r"c_in \(2,\).*c_out \(3,\)"):
        nernst.equilibrium_potential("K+", c_in=[1.0, 2.0], c_out=[1.0, 2.0, 3.0])


def test_celsius_is_keyword_only():
    with pytest.raises(TypeError):
        nernst.equilibrium_potential("K+", 140, 5)  # type: ignore[misc]


def test_absolute_zero_itself_is_rejected():
    # T = 0 K makes RT/F zero and the GHK current 0/0: an error, never a NaN or inf.
    with pytest.raises(ValueError, match="absolute zero"):
        nernst.equilibrium_potential("K+", c_in=10, c_out=1, celsius=-273.15)
    with pytest.raises(ValueError, match="absolute zero"):
        nernst.ghk_current(1, v_m=0, permeability=1, c_in=1, c_out=2, celsius=-273.15)


def test_ratio_beyond_float_range_is_finite_and_exact():
    # 1e300 / 1e-300 overflows a double; E = RT/F * ln(1e-600) = 26.7267 mV * -1381.551 mV.
    vt = nernst.thermal_voltage()
    expected = vt * -600 * math.log(10)
    assert nernst.equilibrium_potential("K+", c_in=1e300, c_out=1e-300) == pytest.approx(
        expected, rel=1e-12
    )
    E = nernst.equilibrium_potential("K+", c_in=np.array([1e300, 1.0]), c_out=[1e-300, 2.0])
    np.testing.assert_allclose(E, [expected, vt * math.log(2)], rtol=1e-12)
    E_gamma = nernst.equilibrium_potential("K+", c_in=1, c_out=1, gamma_in=1e-300, gamma_out=1e300)
    assert E_gamma == pytest.approx(-expected, rel=1e-12)
