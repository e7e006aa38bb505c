"""The core physics on every array library: NumPy, array_api_strict, Dask and JAX.

The same property checks run on each library (Nernst antisymmetry, GHK with one ion = Nernst,
zero total GHK current at the GHK voltage, agreement with the NumPy results), plus each
library's own contract: array_api_strict arrays in -> array_api_strict arrays out (the proof
that only the Array API standard is used); Dask stays lazy (validation computes nothing, and
errors surface at compute); JAX is jit-able and ``jax.grad`` of the GHK voltage with respect to
the permeabilities is correct (against central finite differences, and for monovalent ions
against the analytic derivative written out below).

A library that cannot be imported is skipped with the reason.
"""

from __future__ import annotations

import functools
import importlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nernst
from nernst import activity, bioenergetics, energetics
from nernst.constants import FARADAY, GAS_CONSTANT, ZERO_CELSIUS, kelvin, thermal_voltage

# --------------------------------------------------------------------------------------------
# The libraries


@dataclass(frozen=True)
class Lib:
    name: str
    asarray: Callable[[Any], Any]
    to_numpy: Callable[[Any], np.ndarray]
    is_native: Callable[[Any], bool]  # is this an array of the library (not NumPy)?


def _numpy() -> Lib:
    return Lib(
        "numpy",
        lambda a: np.asarray(a, dtype=float),
        np.asarray,
        lambda r: isinstance(r, (np.ndarray, float, int, np.generic)),
    )


def _strict() -> Lib:
    xp = importlib.import_module("array_api_strict")
    kind = type(xp.asarray(0.0))
    return Lib(
        "array_api_strict",
        lambda a: xp.asarray(np.asarray(a, dtype=float)),
        lambda r: np.from_dlpack(r),
        lambda r: type(r) is kind,
    )


def _dask() -> Lib:
    da = importlib.import_module("dask.array")

    def asarray(a: Any) -> Any:
        a = np.asarray(a, dtype=float)
        # Several chunks along the first axis, so checks and results span chunks.
        return da.from_array(a, chunks=(max(1, a.shape[0] // 3), *a.shape[1:]) if a.ndim else ())

    def to_numpy(r: Any) -> np.ndarray:
        return np.asarray(r.compute(scheduler="sync"))  # tiny graphs: threads only cost time

    return Lib("dask", asarray, to_numpy, lambda r: isinstance(r, da.Array))


def _jax() -> Lib:
    jax = importlib.import_module("jax")
    jax.config.update("jax_enable_x64", True)  # float64, to compare with NumPy to 1e-12
    jnp = importlib.import_module("jax.numpy")
    return Lib(
        "jax",
        lambda a: jnp.asarray(np.asarray(a, dtype=float)),
        np.asarray,
        lambda r: isinstance(r, jax.Array),
    )


_LIBS = {
    "numpy": (_numpy, None),
    "array_api_strict": (_strict, "array_api_strict"),
    "dask": (_dask, "dask.array"),
    "jax": (_jax, "jax"),
}


def _load(name: str) -> Lib:
    make, module = _LIBS[name]
    if module is not None:
        try:
            importlib.import_module(module)
        except ImportError as err:
            pytest.skip(f"{name} cannot be imported: {err}")
    return make()


@pytest.fixture(params=list(_LIBS), scope="module")
def lib(request: pytest.FixtureRequest) -> Lib:
    return _load(request.param)


def _get(lib: Lib, result: Any) -> np.ndarray:
    """The result as NumPy, after checking it is an array of ``lib``."""
    assert lib.is_native(result), f"{lib.name}: got {type(result)}"
    return lib.to_numpy(result)


# --------------------------------------------------------------------------------------------
# Strategies: vectors of conditions in the physiological range of tests/test_properties.py.
# Few examples and two vector lengths: JAX compiles each operation once per shape, Dask builds
# a graph per call; the exhaustive NumPy property suite is tests/test_properties.py.

N = st.sampled_from([1, 5])
# 10 examples under the dev profile (60), 100 under x10 (600): a sixth of the profile's count.
FEW = settings(max_examples=max(1, settings.default.max_examples // 6))


def _vectors(n: int, lo: float, hi: float, log: bool = True) -> st.SearchStrategy[np.ndarray]:
    if log:
        elems = st.floats(math.log10(lo), math.log10(hi))
        return hnp.arrays(float, n, elements=elems).map(lambda e: 10.0**e)
    return hnp.arrays(float, n, elements=st.floats(lo, hi))


@st.composite
def conditions(draw: st.DrawFn, n_ions: int = 0) -> dict[str, np.ndarray]:
    n = draw(N)
    shape = (n, n_ions) if n_ions else n
    conc = st.floats(-4.0, 3.0)  # log10 mM
    return {
        "c_in": 10.0 ** draw(hnp.arrays(float, shape, elements=conc)),
        "c_out": 10.0 ** draw(hnp.arrays(float, shape, elements=conc)),
        "perm": 10.0 ** draw(hnp.arrays(float, shape, elements=st.floats(-4.0, 2.0))),
        "celsius": draw(_vectors(n, 0.0, 45.0, log=False)),
        "v": draw(_vectors(n, -200.0, 200.0, log=False)),
    }


VALENCES = st.sampled_from([1, -1, 2, -2])

# --------------------------------------------------------------------------------------------
# Properties, on each library


@FEW
@given(cond=conditions(), z=VALENCES)
def test_nernst_antisymmetry(lib: Lib, cond: dict[str, np.ndarray], z: int) -> None:
    """E(c_in, c_out) = -E(c_out, c_in) and E(z) = -E(-z)."""
    ci, co, t = (lib.asarray(cond[k]) for k in ("c_in", "c_out", "celsius"))
    E = _get(lib, nernst.equilibrium_potential(z, c_in=ci, c_out=co, celsius=t))
    swapped = _get(lib, nernst.equilibrium_potential(z, c_in=co, c_out=ci, celsius=t))
    flipped = _get(lib, nernst.equilibrium_potential(-z, c_in=ci, c_out=co, celsius=t))
    np.testing.assert_allclose(E, -swapped, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(E, -flipped, rtol=1e-12, atol=1e-12)


@FEW
@given(cond=conditions(n_ions=1), z=VALENCES)
def test_ghk_one_ion_is_nernst(lib: Lib, cond: dict[str, np.ndarray], z: int) -> None:
    """With one permeant ion the GHK voltage is that ion's Nernst potential."""
    P, ci, co = (lib.asarray(cond[k]) for k in ("perm", "c_in", "c_out"))
    t = lib.asarray(cond["celsius"])
    V = _get(lib, nernst.ghk_voltage(P, c_in=ci, c_out=co, z=[z], celsius=t))
    ci1, co1 = (lib.asarray(cond[k][:, 0]) for k in ("c_in", "c_out"))
    E = _get(lib, nernst.equilibrium_potential(z, c_in=ci1, c_out=co1, celsius=t))
    np.testing.assert_allclose(V, E, rtol=1e-10, atol=1e-9)


Z4 = (1, 1, -1, 2)  # K+, Na+, Cl-, Ca2+: the closed-form quadratic


@pytest.mark.parametrize("z", [(1, 1, -1), Z4], ids=["monovalent", "with-Ca2+"])
@FEW
@given(cond=conditions(n_ions=4))
def test_zero_total_current_at_ghk_voltage(
    lib: Lib, z: tuple[int, ...], cond: dict[str, np.ndarray]
) -> None:
    """The GHK currents of all ions sum to zero at the GHK voltage (relative to the
    unidirectional currents)."""
    n = len(z)
    P, ci, co = (lib.asarray(cond[k][:, :n]) for k in ("perm", "c_in", "c_out"))
    t = lib.asarray(cond["celsius"])
    V = nernst.ghk_voltage(P, c_in=ci, c_out=co, z=list(z), celsius=t)
    currents = [
        _get(
            lib,
            nernst.ghk_current(
                zk,
                v_m=V,
                permeability=lib.asarray(cond["perm"][:, k]),
                c_in=lib.asarray(cond["c_in"][:, k]),
                c_out=lib.asarray(cond["c_out"][:, k]),
                celsius=t,
            ),
        )
        for k, zk in enumerate(z)
    ]
    total = np.sum(currents, axis=0)
    # The scale double precision can resolve: the sum of the unidirectional currents (each
    # ion's current with the other side's concentration set to zero), computed with NumPy.
    v_np = _get(lib, V)
    scale = sum(
        np.abs(nernst.ghk_current(zk, v_m=v_np, permeability=cond["perm"][:, k], **side))
        for k, zk in enumerate(z)
        for side in (
            {"c_in": cond["c_in"][:, k], "c_out": 0.0},
            {"c_in": 0.0, "c_out": cond["c_out"][:, k]},
        )
    )
    assert np.all(np.abs(total) <= 1e-9 * scale), (total, scale)


@FEW
@given(cond=conditions(n_ions=4))
def test_agrees_with_numpy(lib: Lib, cond: dict[str, np.ndarray]) -> None:
    """Every core function gives the NumPy result (to rounding) and an array of the library."""
    c = {k: lib.asarray(v) for k, v in cond.items()}
    ci1, co1, P1 = (cond[k][:, 0] for k in ("c_in", "c_out", "perm"))
    x_ci1, x_co1, x_P1 = (lib.asarray(a) for a in (ci1, co1, P1))
    t, v = cond["celsius"], cond["v"]
    cases: list[tuple[Any, Any]] = [
        (
            nernst.equilibrium_potential("K+", c_in=x_ci1, c_out=co1, celsius=c["celsius"]),
            nernst.equilibrium_potential("K+", c_in=ci1, c_out=co1, celsius=t),
        ),
        (
            nernst.equilibrium_potential(
                -1, c_in=x_ci1, c_out=x_co1, gamma_in=x_P1 / 100, gamma_out=0.7
            ),
            nernst.equilibrium_potential(-1, c_in=ci1, c_out=co1, gamma_in=P1 / 100, gamma_out=0.7),
        ),
        (
            nernst.ghk_voltage(c["perm"], c_in=c["c_in"], c_out=c["c_out"], z=list(Z4)),
            nernst.ghk_voltage(cond["perm"], c_in=cond["c_in"], c_out=cond["c_out"], z=list(Z4)),
        ),
        (
            nernst.ghk_voltage(
                {"K+": x_P1, "Na+": 0.04, "Cl-": 0.45},
                c_in={"K+": x_ci1, "Na+": 10, "Cl-": 10},
                c_out={"K+": 5, "Na+": x_co1, "Cl-": 110},
                celsius=c["celsius"],
            ),
            nernst.ghk_voltage(
                {"K+": P1, "Na+": 0.04, "Cl-": 0.45},
                c_in={"K+": ci1, "Na+": 10, "Cl-": 10},
                c_out={"K+": 5, "Na+": co1, "Cl-": 110},
                celsius=t,
            ),
        ),
        (
            nernst.ghk_current("Ca2+", v_m=c["v"], permeability=x_P1, c_in=x_ci1, c_out=2.0),
            nernst.ghk_current("Ca2+", v_m=v, permeability=P1, c_in=ci1, c_out=2.0),
        ),
        (
            nernst.ghk_flux("Cl-", v_m=c["v"], permeability=x_P1, c_in=x_ci1, c_out=x_co1),
            nernst.ghk_flux("Cl-", v_m=v, permeability=P1, c_in=ci1, c_out=co1),
        ),
        (thermal_voltage(celsius=c["celsius"]), thermal_voltage(celsius=t)),
        (kelvin(c["celsius"]), kelvin(t)),
        (
            energetics.driving_force("Na+", v_m=c["v"], c_in=x_ci1, c_out=145),
            energetics.driving_force("Na+", v_m=v, c_in=ci1, c_out=145),
        ),
        (
            energetics.transport_free_energy("K+", c_from=x_co1, c_to=x_ci1, v_to=c["v"]),
            energetics.transport_free_energy("K+", c_from=co1, c_to=ci1, v_to=v),
        ),
        (
            energetics.stored_energy("Ca2+", c_in=x_ci1, c_out=x_co1),
            energetics.stored_energy("Ca2+", c_in=ci1, c_out=co1),
        ),
        (
            energetics.pumping_work("Na+", v_m=c["v"], c_in=x_ci1, c_out=x_co1),
            energetics.pumping_work("Na+", v_m=v, c_in=ci1, c_out=co1),
        ),
        (
            bioenergetics.proton_free_energy(v_m=c["v"], delta_ph=0.7),
            bioenergetics.proton_free_energy(v_m=v, delta_ph=0.7),
        ),
        (
            bioenergetics.atp_hydrolysis_free_energy(atp=x_ci1, adp=0.25, pi=x_co1),
            bioenergetics.atp_hydrolysis_free_energy(atp=ci1, adp=0.25, pi=co1),
        ),
    ]
    for ours, reference in cases:
        np.testing.assert_allclose(_get(lib, ours), reference, rtol=1e-12, atol=1e-12)
    # The flux direction is a sign: compared where the driving force is not a rounding zero
    # (c_in = c_out at V = 0 gives +-1e-16 mV in one library and 0 in another).
    direction = _get(lib, energetics.flux_direction("Cl-", v_m=c["v"], c_in=x_ci1, c_out=x_co1))
    ref_direction = energetics.flux_direction("Cl-", v_m=v, c_in=ci1, c_out=co1)
    clear = np.abs(energetics.driving_force("Cl-", v_m=v, c_in=ci1, c_out=co1)) > 1e-9
    np.testing.assert_array_equal(np.asarray(direction)[clear], np.asarray(ref_direction)[clear])


def test_zero_d_inputs_give_zero_d_arrays(lib: Lib) -> None:
    """Scalars of the library stay arrays of the library (no float conversion, no compute)."""
    E = nernst.equilibrium_potential("K+", c_in=lib.asarray(140.0), c_out=5, celsius=37)
    # Published: E_K = -89.06 mV for 140/5 mM at 37 degC (seed chapter; Hille 2001, ch. 14);
    # independent arithmetic: (8.314462618 * 310.15 / 96485.33212) * ln(5/140) * 1e3.
    expected = GAS_CONSTANT * (37 + ZERO_CELSIUS) / FARADAY * math.log(5 / 140) * 1e3
    if lib.name != "numpy":
        assert np.shape(E) == ()
    np.testing.assert_allclose(_get(lib, E) if lib.name != "numpy" else E, expected, rtol=1e-13)


# --------------------------------------------------------------------------------------------
# Errors: eager libraries raise at the call with the NumPy message


EAGER = ["numpy", "array_api_strict", "jax"]


@pytest.mark.parametrize("name", EAGER)
def test_eager_errors_name_the_argument(name: str) -> None:
    lib = _load(name)
    with pytest.raises(ValueError, match=r"c_in=-1 .*must be positive and finite"):
        nernst.equilibrium_potential("K+", c_in=lib.asarray([140.0, -1.0]), c_out=5)
    with pytest.raises(ValueError, match=r"celsius=310.*Kelvin"):
        nernst.equilibrium_potential("K+", c_in=lib.asarray([140.0]), c_out=5, celsius=310.0)
    with pytest.raises(ValueError, match=r"c_in\[ion 1 along axis\]=0"):
        nernst.ghk_voltage(
            lib.asarray([1.0, 0.04]), c_in=lib.asarray([140.0, 0.0]), c_out=[5, 145], z=[1, 1]
        )
    with pytest.raises(ValueError, match="all permeabilities are zero"):
        nernst.ghk_voltage(lib.asarray([0.0, 0.0]), c_in=[140, 10], c_out=[5, 145], z=[1, 1])
    with pytest.raises(ValueError, match=r"v_m=nan must be finite"):
        nernst.ghk_current("K+", v_m=lib.asarray([math.nan]), permeability=1, c_in=1, c_out=1)
    with pytest.raises(ValueError, match="shapes do not broadcast"):
        nernst.equilibrium_potential("K+", c_in=lib.asarray([1.0, 2.0]), c_out=[1.0, 2.0, 3.0])


@pytest.mark.parametrize("name", ["array_api_strict", "dask", "jax"])
@pytest.mark.parametrize("z", [[1, 3], [3, -1, 2], [-3, 1]])
def test_valences_beyond_two_on_every_library(name: str, z: list[int]) -> None:
    """The safeguarded Newton solve (valences beyond +-2) runs in the library's namespace and
    gives the NumPy result; a trivalent ion alone gives its Nernst potential."""
    lib = _load(name)
    n = len(z)
    P = np.array([[1.0, 0.1, 0.3][:n], [0.2, 1.0, 0.05][:n]])
    ci = np.array([140.0, 1e-3, 10.0][:n])
    co = np.array([5.0, 2.0, 110.0][:n])
    ours = _get(lib, nernst.ghk_voltage(lib.asarray(P), c_in=ci, c_out=co, z=z))
    np.testing.assert_allclose(ours, nernst.ghk_voltage(P, c_in=ci, c_out=co, z=z), rtol=1e-13)
    alone = _get(lib, nernst.ghk_voltage(lib.asarray([[1.0]]), c_in=[1e-3], c_out=[2.0], z=[3]))
    # (RT/3F) ln(2/1e-3) at 37 degC, from the exact SI constants.
    expected = GAS_CONSTANT * (37 + ZERO_CELSIUS) / (3 * FARADAY) * math.log(2 / 1e-3) * 1e3
    np.testing.assert_allclose(alone, [expected], rtol=1e-13)


def test_subnormal_inputs_contract(lib: Lib) -> None:
    """Subnormal inputs (|x| < 2.2e-308; XLA flushes them to zero): results agree with NumPy
    to an absolute 1e-300, and a subnormal concentration that must be positive is either
    accepted (NumPy, array_api_strict, Dask) or a ValueError naming the flush (JAX)."""
    v = np.array([2.2e-313, -2.2e-313, 5e-324, 0.0])
    ours = _get(
        lib, nernst.ghk_current("K+", v_m=lib.asarray(v), permeability=1e-3, c_in=140.0, c_out=5.0)
    )
    ref = nernst.ghk_current("K+", v_m=v, permeability=1e-3, c_in=140.0, c_out=5.0)
    np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-300)
    c = lib.asarray([5e-324, 1.0])
    try:
        E = _get(lib, nernst.equilibrium_potential("K+", c_in=c, c_out=1.0))
    except ValueError as err:
        assert lib.name == "jax" and "subnormal" in str(err)
    else:
        # (RT/F) ln(1 / 5e-324) at 37 degC: 19.9 V, from the exact SI constants.
        vt = 1.380649e-23 * 6.02214076e23 * 310.15 / (1.602176634e-19 * 6.02214076e23) * 1e3
        np.testing.assert_allclose(E, [vt * -math.log(5e-324), 0.0], rtol=1e-12, atol=1e-12)


# --------------------------------------------------------------------------------------------
# Activity coefficients: the same body on every library

MODELS = ["ideal", "debye-huckel", "extended-debye-huckel", "davies", "truesdell-jones"]
SALT_IONS = ["Na+", "K+", "Cl-", "Ca2+"]  # all four have Kielland and Truesdell-Jones sizes


@pytest.mark.filterwarnings("ignore::nernst.activity.ActivityRangeWarning")  # dh beyond 5 mM
@FEW
@given(
    I=_vectors(4, 1e-4, 0.1),
    celsius=_vectors(4, 0.0, 100.0, log=False),
    m=_vectors(3, 1e-4, 0.03),
)
def test_activity_agrees_with_numpy(
    lib: Lib, I: np.ndarray, celsius: np.ndarray, m: np.ndarray
) -> None:
    """Every public activity function gives the NumPy result and an array of the library
    (ionic strengths inside every model's range, so no warning interferes)."""
    x_I, x_t, x_m = lib.asarray(I), lib.asarray(celsius), lib.asarray(m)
    cases: list[tuple[Any, Any]] = []
    for model in MODELS:
        cases += [
            (
                activity.activity_coefficient("Ca2+", ionic_strength=x_I, model=model),
                activity.activity_coefficient("Ca2+", ionic_strength=I, model=model),
            ),
            (
                activity.activity_coefficient(
                    SALT_IONS, ionic_strength=x_I, model=model, celsius=x_t
                ),
                activity.activity_coefficient(
                    SALT_IONS, ionic_strength=I, model=model, celsius=celsius
                ),
            ),
        ]
    cases += [
        (
            activity.activity_coefficient(
                [1, 2, -1, 3], ionic_strength=x_I, model="extended-debye-huckel", ion_size=0.45
            ),
            activity.activity_coefficient(
                [1, 2, -1, 3], ionic_strength=I, model="extended-debye-huckel", ion_size=0.45
            ),
        ),
        (
            activity.mean_activity_coefficient(
                "Ca2+", "Cl-", molality=x_m, model="truesdell-jones"
            ),
            activity.mean_activity_coefficient("Ca2+", "Cl-", molality=m, model="truesdell-jones"),
        ),
        (
            activity.mean_activity_coefficient("Na+", "Cl-", ionic_strength=x_I, celsius=x_t),
            activity.mean_activity_coefficient("Na+", "Cl-", ionic_strength=I, celsius=celsius),
        ),
        (
            activity.ionic_strength({"Ca2+": x_m, "Cl-": 2 * x_m, "Na+": 10.0}),
            activity.ionic_strength({"Ca2+": m, "Cl-": 2 * m, "Na+": 10.0}),
        ),
        (
            activity.ionic_strength(lib.asarray(np.stack([m, 2 * m], axis=-1)), z=[2, -1]),
            activity.ionic_strength(np.stack([m, 2 * m], axis=-1), z=[2, -1]),
        ),
        (
            activity.debye_huckel_constants(celsius=x_t)[0],
            activity.debye_huckel_constants(celsius=celsius)[0],
        ),
        (
            activity.debye_huckel_constants(celsius=x_t, scale="molar")[1],
            activity.debye_huckel_constants(celsius=celsius, scale="molar")[1],
        ),
        (activity.water_density(celsius=x_t), activity.water_density(celsius=celsius)),
        (
            activity.water_dielectric_constant(celsius=x_t),
            activity.water_dielectric_constant(celsius=celsius),
        ),
    ]
    for ours, reference in cases:
        np.testing.assert_allclose(_get(lib, ours), reference, rtol=1e-13, atol=0)


def test_activity_published_values_on_every_library(lib: Lib) -> None:
    # Debye-Hueckel limiting law with A = 0.5108 (kg/mol)^1/2 at 25 degC (Robinson & Stokes
    # 1959, Appendix 7.1): Ca2+ at I = 1 mmol/kg, log10 gamma = -0.5108 * 4 * sqrt(0.001).
    gamma = activity.activity_coefficient(
        "Ca2+", ionic_strength=lib.asarray([0.001]), model="debye-huckel"
    )
    np.testing.assert_allclose(_get(lib, gamma), [10 ** (-0.5108 * 4 * 0.001**0.5)], rtol=1e-4)
    # 1 mM CaCl2: I = (1 * 4 + 2 * 1) / 2 mM = 3 mM = 0.003 mol/L.
    I = activity.ionic_strength({"Ca2+": lib.asarray([1.0]), "Cl-": lib.asarray([2.0])})
    np.testing.assert_allclose(_get(lib, I), [0.003], rtol=1e-15)


@pytest.mark.parametrize("name", EAGER)
def test_eager_activity_errors_and_warnings(name: str) -> None:
    lib = _load(name)
    with pytest.raises(ValueError, match=r"ionic_strength=-1 \(index 1"):
        activity.activity_coefficient("K+", ionic_strength=lib.asarray([0.1, -1.0]))
    with pytest.raises(ValueError, match=r"celsius=120.*0 to 100 degC"):
        activity.activity_coefficient(
            "K+", ionic_strength=lib.asarray([0.1]), celsius=lib.asarray([120.0])
        )
    with pytest.raises(ValueError, match=r"molality=nan"):
        activity.mean_activity_coefficient("Na+", "Cl-", molality=lib.asarray([math.nan]))
    with pytest.raises(ValueError, match=r"concentrations\['Cl-'\]=-2"):
        activity.ionic_strength({"Na+": lib.asarray([1.0]), "Cl-": lib.asarray([-2.0])})
    with pytest.raises(ValueError, match="shapes do not broadcast"):
        activity.activity_coefficient(["K+", "Na+"], ionic_strength=lib.asarray([0.1, 0.2, 0.3]))
    # Davies (1962) is documented up to I = 0.5 M (ACTIVITY_MODELS): 3 M warns.
    with pytest.warns(activity.ActivityRangeWarning, match=r"'davies'.*I = 3 mol/L"):
        activity.activity_coefficient("K+", ionic_strength=lib.asarray([0.1, 3.0]))


def test_dask_activity_is_lazy_and_errs_at_compute(no_compute: Any) -> None:
    lib = _load("dask")
    with no_compute:
        gamma = activity.activity_coefficient(
            "Na+", ionic_strength=lib.asarray([0.1, -1.0, 0.2]), model="truesdell-jones"
        )
        ideal = activity.activity_coefficient(
            "Na+", ionic_strength=lib.asarray([0.1, -1.0, 0.2]), model="ideal"
        )
        A, _ = activity.debye_huckel_constants(celsius=lib.asarray([25.0, 120.0, 30.0]))
    assert lib.is_native(gamma) and lib.is_native(ideal) and lib.is_native(A)
    for lazy in (gamma, ideal):  # even the ideal model keeps the check of its input
        with pytest.raises(ValueError, match=r"ionic_strength=-1"):
            lazy.compute()
    with pytest.raises(ValueError, match=r"celsius=120"):
        A.compute()


def test_jax_jit_activity() -> None:
    jax, jnp = _jax_modules()
    f = jax.jit(
        lambda i: activity.activity_coefficient(
            SALT_IONS, ionic_strength=i, model="truesdell-jones"
        )
    )
    I = np.array([0.01, 0.1, 0.5, 1.0])
    np.testing.assert_allclose(
        np.asarray(f(jnp.asarray(I))),
        activity.activity_coefficient(SALT_IONS, ionic_strength=I, model="truesdell-jones"),
        rtol=1e-13,
    )
    bad = np.asarray(f(jnp.asarray([0.1, -1.0, 0.1, 0.1])))  # under jit: NaN, as documented
    assert np.isnan(bad[1]) and np.all(np.isfinite(bad[[0, 2, 3]]))


def test_strict_keeps_float32() -> None:
    lib = _load("array_api_strict")
    xp = importlib.import_module("array_api_strict")
    E = nernst.equilibrium_potential("K+", c_in=xp.asarray([140.0], dtype=xp.float32), c_out=5)
    assert E.dtype == xp.float32
    assert lib.is_native(E)


# --------------------------------------------------------------------------------------------
# Dask: lazy in, lazy out; nothing computed by validation; errors at compute


@pytest.fixture
def no_compute() -> Any:
    """Within the block any computation of a Dask graph fails the test."""
    dask = pytest.importorskip("dask", reason="dask cannot be imported")

    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a Dask graph was computed")

    return dask.config.set(scheduler=forbidden)


def test_dask_validation_computes_nothing(no_compute: Any) -> None:
    lib = _load("dask")
    bad = lib.asarray([140.0, -1.0, 10.0])
    P = lib.asarray([[1.0, 0.04, 0.45, 0.1]] * 3)
    with no_compute:
        E = nernst.equilibrium_potential("K+", c_in=bad, c_out=5)
        V = nernst.ghk_voltage(P, c_in=[140, 10, 10, 1e-4], c_out=[5, 145, 110, 2], z=list(Z4))
        W = energetics.pumping_work("Na+", v_m=lib.asarray([-70.0]), c_in=bad, c_out=145)
    assert lib.is_native(E) and lib.is_native(V) and lib.is_native(W)
    # The error surfaces when the result is computed, with the NumPy message (the shape in it
    # is that of the offending chunk).
    with pytest.raises(ValueError, match=r"c_in=-1 .*must be positive and finite"):
        E.compute()
    with pytest.raises(ValueError, match=r"c_in=-1 .*must be positive and finite"):
        W.compute()
    assert V.compute().shape == (3,)


def test_dask_ghk_errors_at_compute(no_compute: Any) -> None:
    lib = _load("dask")
    P = lib.asarray([[1.0, 0.04], [0.0, 0.0], [1.0, 0.0]])
    with no_compute:
        V = nernst.ghk_voltage(P, c_in=[140.0, 10.0], c_out=[5.0, 145.0], z=[1, 1])
        W = nernst.ghk_voltage(
            lib.asarray([[1.0, 0.04]] * 3),
            c_in=lib.asarray([[140.0, 10.0], [140.0, 0.0], [1.0, 1.0]]),
            c_out=[5.0, 145.0],
            z=[1, 1],
        )
    with pytest.raises(ValueError, match="all permeabilities are zero"):
        V.compute()
    with pytest.raises(ValueError, match=r"c_in\[ion 1 along axis\]=0"):
        W.compute()


# --------------------------------------------------------------------------------------------
# JAX: jit and grad

C_IN = np.array([140.0, 10.0, 10.0])  # K+, Na+, Cl- [mM] (seed chapter's neuron)
C_OUT = np.array([5.0, 145.0, 110.0])
Z3 = [1, 1, -1]


def _jax_modules() -> tuple[Any, Any]:
    _load("jax")
    return importlib.import_module("jax"), importlib.import_module("jax.numpy")


def test_jax_jit_matches_numpy() -> None:
    jax, jnp = _jax_modules()
    f = jax.jit(lambda p: nernst.ghk_voltage(p, c_in=C_IN, c_out=C_OUT, z=Z3))
    P = np.array([[1.0, 0.04, 0.45], [1.0, 0.5, 0.1]])
    V = f(jnp.asarray(P))
    assert isinstance(V, jax.Array)
    np.testing.assert_allclose(
        np.asarray(V), nernst.ghk_voltage(P, c_in=C_IN, c_out=C_OUT, z=Z3), rtol=1e-13
    )
    g = jax.jit(lambda c: nernst.equilibrium_potential("Ca2+", c_in=c, c_out=2.0))
    np.testing.assert_allclose(
        np.asarray(g(jnp.asarray([1e-4, 1e-3]))),
        nernst.equilibrium_potential("Ca2+", c_in=[1e-4, 1e-3], c_out=2.0),
        rtol=1e-13,
    )


def test_jax_jit_turns_invalid_values_into_nan() -> None:
    """Under jit nothing can raise on values: offending elements give NaN (documented)."""
    jax, jnp = _jax_modules()
    f = jax.jit(lambda c: nernst.equilibrium_potential("K+", c_in=c, c_out=5.0))
    E = np.asarray(f(jnp.asarray([140.0, -1.0])))
    assert np.isfinite(E[0]) and np.isnan(E[1])
    g = jax.jit(lambda p: nernst.ghk_voltage(p, c_in=C_IN, c_out=C_OUT, z=Z3))
    assert np.isnan(np.asarray(g(jnp.asarray([0.0, 0.0, 0.0]))))


C_IN_CA = np.array([140.0, 10.0, 10.0, 1e-4])  # K+, Na+, Cl-, Ca2+ [mM]
C_OUT_CA = np.array([5.0, 145.0, 110.0, 2.0])


@functools.cache
def _calcium_grad() -> Any:
    """jit(grad(V)) with Ca2+, compiled once for all examples."""
    jax, _ = _jax_modules()
    return jax.jit(
        jax.grad(lambda p: nernst.ghk_voltage(p, c_in=C_IN_CA, c_out=C_OUT_CA, z=list(Z4)))
    )


def _central_difference(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    grad = np.empty_like(x)
    for i in range(x.size):
        # A relative step of 1e-4: truncation error ~1e-8 relative, while rounding of V (about
        # 1e-14 x 70 mV) over a smaller step (1e-6 x 1e-3) reached 1e-4 relative (Hypothesis
        # found P = [1e-3, 1, 1e-3, 1e-3], where JAX matched a 50-digit mpmath derivative).
        h = 1e-4 * x[i]
        up, down = x.copy(), x.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (f(up) - f(down)) / (2 * h)
    return grad


@FEW
@given(
    P=hnp.arrays(float, 3, elements=st.floats(-3.0, 1.0)).map(lambda e: 10.0**e),
    celsius=st.floats(0.0, 45.0),
)
def test_jax_grad_monovalent_is_analytic(P: np.ndarray, celsius: float) -> None:
    """dV/dP_i = (RT/F) (c_num_i / B - c_den_i / A) for V = (RT/F) ln(B/A), with
    B = sum P c_out (cations) + P c_in (anions), A = sum P c_in (cations) + P c_out (anions):
    c_num_i is the concentration of ion i in B, c_den_i its concentration in A."""
    jax, jnp = _jax_modules()
    grad = jax.grad(lambda p: nernst.ghk_voltage(p, c_in=C_IN, c_out=C_OUT, z=Z3, celsius=celsius))
    ours = np.asarray(grad(jnp.asarray(P)))
    cation = np.array(Z3) > 0
    c_num = np.where(cation, C_OUT, C_IN)
    c_den = np.where(cation, C_IN, C_OUT)
    A, B = np.sum(P * c_den), np.sum(P * c_num)
    VT = GAS_CONSTANT * (celsius + ZERO_CELSIUS) / FARADAY * 1e3
    np.testing.assert_allclose(ours, VT * (c_num / B - c_den / A), rtol=1e-12, atol=1e-12)

    def numpy_v(p: np.ndarray) -> float:
        return float(nernst.ghk_voltage(p, c_in=C_IN, c_out=C_OUT, z=Z3, celsius=celsius))

    np.testing.assert_allclose(ours, _central_difference(numpy_v, P), rtol=1e-5, atol=1e-6)


@FEW
@given(P=hnp.arrays(float, 4, elements=st.floats(-3.0, 1.0)).map(lambda e: 10.0**e))
def test_jax_grad_with_calcium_matches_finite_differences(P: np.ndarray) -> None:
    _, jnp = _jax_modules()
    c_in, c_out = C_IN_CA, C_OUT_CA
    ours = np.asarray(_calcium_grad()(jnp.asarray(P)))

    def numpy_v(p: np.ndarray) -> float:
        return float(nernst.ghk_voltage(p, c_in=c_in, c_out=c_out, z=list(Z4)))

    np.testing.assert_allclose(ours, _central_difference(numpy_v, P), rtol=1e-5, atol=1e-6)


def test_jax_grad_of_current_is_finite_at_zero_volts() -> None:
    """The w = 0 branch is masked before dividing: d I / d V is finite at V = 0 (and equals
    the central difference)."""
    jax, jnp = _jax_modules()

    def current(v: Any) -> Any:
        return nernst.ghk_current("K+", v_m=v, permeability=1e-6, c_in=140.0, c_out=5.0)

    ours = float(jax.grad(current)(jnp.asarray(0.0)))
    h = 1e-4
    fd = (
        nernst.ghk_current("K+", v_m=h, permeability=1e-6, c_in=140.0, c_out=5.0)
        - nernst.ghk_current("K+", v_m=-h, permeability=1e-6, c_in=140.0, c_out=5.0)
    ) / (2 * h)
    assert math.isfinite(ours)
    np.testing.assert_allclose(ours, fd, rtol=1e-6)
