"""The shared validator (nernst._validate) at every public physics entry point, the overflow
contract, the activity range warning, and the scalar fast paths checked against the one body.

Expected values are written out from the exact SI constants (CODATA 2018), never taken from
the code under test.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nernst
from nernst._deprecate import NernstDeprecationWarning
from nernst._validate import as_float, ion_mapping
from nernst.activity import ActivityRangeWarning, activity_coefficient, mean_activity_coefficient

# CODATA 2018 exact: R = k_B N_A, F = e N_A.
R = 1.380649e-23 * 6.02214076e23
F = 1.602176634e-19 * 6.02214076e23
VT37 = R * 310.15 / F * 1e3  # RT/F at 37 degC [mV]

GHK = {"permeability": 1e-6, "c_in": 140.0, "c_out": 5.0}


def _calls() -> dict[str, Any]:
    """One call per public entry point, taking keyword overrides."""
    return {
        "equilibrium_potential": lambda **kw: nernst.equilibrium_potential(
            "K+", **{"c_in": 140.0, "c_out": 5.0, **kw}
        ),
        "ghk_current": lambda **kw: nernst.ghk_current("K+", **{"v_m": -70.0, **GHK, **kw}),
        "ghk_flux": lambda **kw: nernst.ghk_flux("K+", **{"v_m": -70.0, **GHK, **kw}),
        "ghk_slope_conductance": lambda **kw: nernst.ghk_slope_conductance(
            "K+", **{"v_m": -70.0, **GHK, **kw}
        ),
        "ghk_chord_conductance": lambda **kw: nernst.ghk.ghk_chord_conductance(
            "K+", **{"v_m": -70.0, **GHK, **kw}
        ),
    }


ARGS = {
    "equilibrium_potential": ["c_in", "c_out", "celsius", "gamma_in"],
    "ghk_current": ["v_m", "permeability", "c_in", "c_out", "celsius"],
    "ghk_flux": ["v_m", "permeability", "c_in"],
    "ghk_slope_conductance": ["v_m", "c_out"],
    "ghk_chord_conductance": ["v_m", "c_in"],
}
CASES = [(f, a) for f, args in ARGS.items() for a in args]


# ------------------------------------------------------------------- not a real number


@pytest.mark.parametrize(("func", "arg"), CASES)
@pytest.mark.parametrize(
    ("bad", "shown"),
    [
        (True, "True"),
        (1 + 2j, r"\(1\+2j\)"),
        ("140", "'140'"),
        (None, "None"),
        ([140.0, True], r"True \(index 1"),
        ([1.0, None], r"None \(index 1"),
        (np.array([1.0 + 0j]), r"\(1\+0j\)"),
        (np.array([True, False]), "True"),
    ],
)
def test_non_numbers_are_rejected_naming_argument_and_element(
    func: str, arg: str, bad: Any, shown: str
) -> None:
    # Before issue 10: True was read as 1, None as nan, the imaginary part was dropped.
    with pytest.raises(ValueError, match=rf"{arg}={shown}"):
        _calls()[func](**{arg: bad})


@pytest.mark.parametrize("z", [True, [1, True], 1.5, "x"])
def test_bad_valence_is_rejected(z: Any) -> None:
    with pytest.raises(ValueError):
        nernst.equilibrium_potential(z, c_in=1.0, c_out=2.0)


def test_fractional_valence_names_the_element() -> None:
    # Before issue 10 the message showed the first element: "z=1".
    with pytest.raises(ValueError, match=r"z=1.5 \(index 1 of an array of shape \(2,\)\)"):
        nernst.equilibrium_potential([1, 1.5], c_in=1.0, c_out=2.0)


def test_bad_element_of_an_array_is_named_with_its_index() -> None:
    with pytest.raises(ValueError, match=r"c_in=-1 \(index \[1, 0\] of an array of shape"):
        nernst.equilibrium_potential("K+", c_in=[[1.0, 2.0], [-1.0, 3.0]], c_out=5.0)


def test_ghk_voltage_rejects_booleans_and_none() -> None:
    with pytest.raises(ValueError, match=r"permeability\['K\+'\]=True"):
        nernst.ghk_voltage({"K+": True}, c_in={"K+": 140}, c_out={"K+": 5})
    with pytest.raises(ValueError, match=r"c_out\['K\+'\]=None"):
        nernst.ghk_voltage({"K+": 1.0}, c_in={"K+": 140}, c_out={"K+": None})
    with pytest.raises(ValueError, match=r"z=True"):
        nernst.ghk_voltage([1.0], c_in=[140.0], c_out=[5.0], z=[True])


def test_as_float_accepts_real_numbers() -> None:
    assert as_float("x", [1, 2.5]).tolist() == [1.0, 2.5]
    assert as_float("x", np.int32(3)).dtype == np.float64


# ------------------------------------------------------------------- ions named twice


def test_mapping_naming_an_ion_twice_through_an_alias() -> None:
    # Before issue 10 {"K+": 140, "potassium": 10} silently used 10.
    with pytest.raises(ValueError, match=r"K\+ twice, as 'K\+' and 'potassium'"):
        ion_mapping("c_in", {"K+": 140, "potassium": 10})
    with pytest.raises(ValueError, match=r"c_in names the ion K\+ twice"):
        nernst.ghk_voltage(
            {"K+": 1, "Na+": 0.04},
            c_in={"K+": 140, "potassium": 10, "Na+": 10},
            c_out={"K+": 5, "Na+": 145},
        )
    with pytest.raises(ValueError, match=r"permeability names the ion Na\+ twice"):
        nernst.ghk_voltage({"Na+": 1, "sodium": 1}, c_in={"Na+": 10}, c_out={"Na+": 145})


def test_ionic_strength_rejects_an_ion_named_twice() -> None:
    with pytest.raises(ValueError, match=r"Na\+ twice, as 'Na\+' and 'sodium'"):
        nernst.ionic_strength({"Na+": 150, "sodium": 150, "Cl-": 150})


def test_ion_mapping_keeps_order_and_canonical_symbols() -> None:
    assert ion_mapping("c", {"potassium": 1, "Cl": 2}) == {"K+": 1, "Cl-": 2}
    with pytest.raises(ValueError, match="mapping of ion name"):
        ion_mapping("c_in", [140])
    with pytest.raises(ValueError, match="key 3"):
        ion_mapping("c_in", {3: 140})


# ------------------------------------------------------------------- overflow


def test_ghk_voltage_ratio_beyond_float_range_is_exact() -> None:
    # Before issue 10: +inf mV. The exact value is (RT/F) ln(1e300 / 1e-300) = (RT/F) 600 ln 10.
    expected = VT37 * 600 * math.log(10)
    V = nernst.ghk_voltage({"K+": 1.0}, c_in={"K+": 1e-300}, c_out={"K+": 1e300})
    assert V == pytest.approx(expected, rel=1e-13)
    V2 = nernst.ghk_voltage(
        {"K+": 1.0, "Cl-": 1.0},
        c_in={"K+": 1e-300, "Cl-": 1e300},
        c_out={"K+": 1e300, "Cl-": 1e-300},
    )
    assert V2 == pytest.approx(expected, rel=1e-13)
    arr = nernst.ghk_voltage(
        np.array([[1.0], [1.0]]), c_in=[[1e-300], [1.0]], c_out=[[1e300], [1.0]], z=[1]
    )
    np.testing.assert_allclose(arr, [expected, 0.0], rtol=1e-13, atol=1e-12)


def test_ghk_voltage_divalent_beyond_float_range_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="beyond the float range"):
        nernst.ghk_voltage(
            {"K+": 1.0, "Ca2+": 1.0},
            c_in={"K+": 1e-300, "Ca2+": 1e-300},
            c_out={"K+": 1e300, "Ca2+": 1e300},
        )


@pytest.mark.parametrize("func", ["ghk_current", "ghk_flux"])
def test_current_at_absurd_voltage_is_an_error_not_inf(func: str) -> None:
    # Before issue 10 ghk_current(1e308, ...) returned inf (P = 1 cm/s: the current is beyond
    # the float range; with P = 1e-6 cm/s it is a finite, if absurd, number).
    with pytest.raises(ValueError, match=r"v_m=1e\+308 mV overflows"):
        _calls()[func](v_m=1e308, permeability=1.0)
    with pytest.raises(ValueError, match=r"v_m=1e\+308 mV overflows"):
        _calls()[func](v_m=np.array([-70.0, 1e308]), permeability=1.0)


@pytest.mark.parametrize("func", ["ghk_current", "ghk_flux"])
def test_current_overflowing_through_concentration_names_the_inputs(func: str) -> None:
    # P c = 1e300 cm/s * 1e300 mM is beyond the float range at an ordinary -70 mV: the
    # message blames the permeability and concentrations, not v_m.
    with pytest.raises(ValueError, match=r"v_m=-70 mV overflows.*permeability up to 1e\+300"):
        _calls()[func](permeability=1e300, c_in=1e300)
    with pytest.raises(ValueError, match=r"c_in up to 1e\+300"):
        _calls()[func](permeability=1e10, c_in=np.array([140.0, 1e300]))


@pytest.mark.parametrize(
    "call",
    [
        lambda: nernst.equilibrium_potential("K+", c_in=10**400, c_out=5),
        lambda: nernst.equilibrium_potential(10**400, c_in=140, c_out=5),
        lambda: nernst.ghk_current(10**400, v_m=-70, permeability=1, c_in=1, c_out=1),
        lambda: nernst.ghk_current("K+", v_m=10**400, permeability=1, c_in=1, c_out=1),
        lambda: nernst.valence(-(10**400)),
        lambda: activity_coefficient("K+", ionic_strength=10**400),
        lambda: activity_coefficient(10**400, ionic_strength=0.1),
        lambda: mean_activity_coefficient("Na+", "Cl-", molality=10**400),
    ],
)
def test_ints_beyond_the_float_range_are_a_value_error(call: Any) -> None:
    # Before: OverflowError ("int too large to convert to float") from deep inside.
    with pytest.raises(ValueError, match=r"1\.00e\+400|float range"):
        call()


def test_activity_names_a_bad_valence_element() -> None:
    with pytest.raises(ValueError, match=r"ion_or_z=None \(index 1"):
        activity_coefficient([1.0, None], ionic_strength=0.1)
    with pytest.raises(ValueError, match=r"ion_or_z=True"):
        activity_coefficient([1, True], ionic_strength=0.1)


def test_equilibrium_potential_beyond_float_range_stays_exact() -> None:
    # (RT/F) ln(1e-300 / 1e300) for K+ at 37 degC.
    E = nernst.equilibrium_potential("K+", c_in=np.array([1e300, 140.0]), c_out=1e-300)
    np.testing.assert_allclose(
        E, [-VT37 * 600 * math.log(10), VT37 * math.log(1e-300 / 140.0)], rtol=1e-13
    )


# ------------------------------------------------------------------- activity range


def test_davies_beyond_its_range_warns() -> None:
    # Issue 10: Davies gives gamma = 6099 for MgCl2 at I = 15 M; Davies (1962) documents the
    # equation up to about I = 0.5 M (nernst.activity.ACTIVITY_MODELS).
    with pytest.warns(ActivityRangeWarning, match=r"'davies'.*I = 15 mol/L.*0.5 mol/L"):
        g = mean_activity_coefficient("Mg2+", "Cl-", ionic_strength=15.0, model="davies")
    assert g > 1000  # the unphysical value the warning is about
    with pytest.warns(ActivityRangeWarning, match=r"'debye-huckel'.*I = 0.15"):
        activity_coefficient("K+", ionic_strength=np.array([0.001, 0.15]), model="dh")


def test_activity_within_range_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        activity_coefficient("K+", ionic_strength=0.15, model="davies")
        activity_coefficient("K+", ionic_strength=100.0, model="ideal")


# ------------------------------------------------------------------- scalar fast path = body

CONC = st.floats(0.0, 1e4)
VOLT = st.floats(-1000.0, 1000.0) | st.floats(-1e-3, 1e-3)


_TAKEN: list[float] = []


def _toy_body(xp: Any, x: Any) -> Any:
    # The untaken branch records that it ran (xp.where evaluates both; a scalar body need not).
    return xp.where(x > 0, xp.log(x) * 2.0, _TAKEN.append(x) or -x)


def test_scalar_body_selects_lazily_and_computes_the_same() -> None:
    from nernst._validate import SCALAR, scalar_body

    fast = scalar_body(_toy_body)
    assert fast is not _toy_body
    for x in (2.0, 0.5, 1e-300, -3.0):
        _TAKEN.clear()
        assert fast(SCALAR, x) == _toy_body(SCALAR, x) == (math.log(x) * 2.0 if x > 0 else -x)
    _TAKEN.clear()
    fast(SCALAR, 2.0)
    assert _TAKEN == []  # the branch not taken was not computed
    _toy_body(SCALAR, 2.0)
    assert _TAKEN == [2.0]


@pytest.mark.parametrize("name", ["ghk_current", "ghk_flux"])
@settings(max_examples=settings.default.max_examples * 5)
@given(
    z=st.sampled_from([1, -1, 2, -2, 3]),
    v=VOLT,
    P=st.floats(0.0, 1.0),
    ci=CONC,
    co=CONC,
    celsius=st.floats(-20.0, 150.0),
)
def test_scalar_ghk_path_is_the_array_body(
    name: str, z: int, v: float, P: float, ci: float, co: float, celsius: float
) -> None:
    """The pure-Python fast path of ghk_current/ghk_flux is the one body's arithmetic; its
    exp/expm1 are math's (libm), NumPy's are its own (the AVX-512 loops differ from libm in
    the last bit for about 5 % of arguments). So the two agree to a few units in the last
    place of the larger term, P |w/(1-e^-w)| (c_in + c_out): the difference c_in - c_out e^-w
    may cancel, which a relative tolerance would not allow for."""
    fn = getattr(nernst, name)
    fast = fn(z, v_m=v, permeability=P, c_in=ci, c_out=co, celsius=celsius)
    body = fn(z, v_m=np.array([v]), permeability=P, c_in=ci, c_out=co, celsius=celsius)
    assert type(fast) is float
    total = ci + co
    scale = abs(fn(z, v_m=v, permeability=P, c_in=total, c_out=0.0, celsius=celsius)) + abs(
        fn(z, v_m=v, permeability=P, c_in=0.0, c_out=total, celsius=celsius)
    )
    assert abs(fast - body[0]) <= 8 * np.finfo(float).eps * scale


@given(
    v=st.integers(-1000, 1000),
    P=st.integers(0, 3),
    ci=st.integers(0, 10**4),
    co=st.integers(0, 10**4),
)
def test_scalar_ghk_current_takes_ints_as_floats(v: int, P: int, ci: int, co: int) -> None:
    as_int = nernst.ghk_current("Ca2+", v_m=v, permeability=P, c_in=ci, c_out=co, celsius=20)
    as_float = nernst.ghk_current(
        "Ca2+", v_m=float(v), permeability=float(P), c_in=float(ci), c_out=float(co), celsius=20.0
    )
    assert as_int == as_float


@settings(max_examples=settings.default.max_examples * 5)
@given(
    z=st.sampled_from([1, -1, 2, -3]),
    ci=st.lists(st.floats(1e-300, 1e300), min_size=1, max_size=5),
    co=st.floats(1e-300, 1e300),
    celsius=st.floats(-20.0, 150.0),
)
def test_screened_nernst_arrays_are_the_fully_validated_body(
    z: int, ci: list[float], co: float, celsius: float
) -> None:
    """float64 arrays take the screened NumPy path; lists the fully validated one; the same
    body, so the same bits (ratios beyond the float range included)."""
    screened = nernst.equilibrium_potential(
        z, c_in=np.array(ci), c_out=np.full(len(ci), co), celsius=celsius
    )
    validated = nernst.equilibrium_potential(z, c_in=ci, c_out=[co] * len(ci), celsius=celsius)
    np.testing.assert_array_equal(screened, validated)


@pytest.mark.parametrize(
    ("c_in", "c_out", "message"),
    [
        ([-1.0, -2.0], [-5.0, -5.0], r"c_in=-1 \(index 0"),  # the ratio alone looks fine
        ([1.0, 2.0], [5.0, -5.0], r"c_out=-5 \(index 1"),
        ([1.0, 2.0], [5.0, 0.0], r"c_out=0 \(index 1"),
        ([1.0, 2.0], [5.0, np.nan], r"c_out=nan \(index 1"),
        ([1.0, np.inf], [5.0, 5.0], r"c_in=inf \(index 1"),
        ([1.0, np.nan], [5.0, 5.0], r"c_in=nan \(index 1"),
        ([1.0, 2.0], [np.inf, 5.0], r"c_out=inf \(index 0"),
    ],
)
def test_screened_nernst_arrays_still_name_the_bad_element(
    c_in: list[float], c_out: list[float], message: str
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning from NumPy on the way
        with pytest.raises(ValueError, match=message):
            nernst.equilibrium_potential("K+", c_in=np.array(c_in), c_out=np.array(c_out))


@settings(max_examples=settings.default.max_examples * 5)
@given(
    z=st.sampled_from([1, -1, 2, -3]),
    ci=st.floats(1e-150, 1e150),  # the ratio stays in the float range (else the logarithms
    co=st.floats(1e-150, 1e150),  # are summed, and log 2 - log 2 may round differently)
    celsius=st.floats(-20.0, 150.0),
)
def test_scalar_nernst_fast_path_is_the_validated_scalar_path(
    z: int, ci: float, co: float, celsius: float
) -> None:
    """Activity coefficients of 2 on both sides scale both activities exactly (a power of
    two), so the ratio and the potential are the same bits; but they send the call past
    the fast path, through the fully validated one."""
    fast = nernst.equilibrium_potential(z, c_in=ci, c_out=co, celsius=celsius)
    validated = nernst.equilibrium_potential(
        z, c_in=ci, c_out=co, celsius=celsius, gamma_in=2.0, gamma_out=2.0
    )
    assert type(fast) is float
    assert fast == validated


@settings(max_examples=settings.default.max_examples * 5)
@given(z=st.sampled_from([1, -1, 2, -2]), ci=st.floats(1e-9, 1e4), co=st.floats(1e-9, 1e4))
def test_scalar_nernst_is_the_array_body(z: int, ci: float, co: float) -> None:
    fast = nernst.equilibrium_potential(z, c_in=ci, c_out=co)
    body = nernst.equilibrium_potential(z, c_in=np.array([ci]), c_out=co)
    assert type(fast) is float
    assert fast == pytest.approx(body[0], rel=1e-15, abs=1e-300)


# ------------------------------------------------------------------- chord conductance


def test_chord_conductance_hille_eq_14_6_by_hand() -> None:
    # K+ 140 mM in, 5 mM out, P = 1e-6 cm/s, 37 degC: I from Hille (2001) eq. 14-6 written
    # out, E_K = (RT/F) ln(5/140); G_chord = I / (V - E_K).
    P, ci, co, V = 1e-6, 140.0, 5.0, -70.0
    w = V / VT37
    I = P * F * w / (1 - math.exp(-w)) * (ci - co * math.exp(-w)) * 1e-6 * 1e3  # mA/cm^2
    E = VT37 * math.log(co / ci)
    G = nernst.ghk.ghk_chord_conductance("K+", v_m=V, permeability=P, c_in=ci, c_out=co)
    assert G == pytest.approx(I / (V - E), rel=1e-12)


def test_chord_conductance_at_reversal_is_the_one_ion_limit() -> None:
    # At V = E the chord and slope conductances meet: P F^2/(RT) ci co ln(co/ci)/(co - ci)
    # (Hille 2001, ch. 14), in S/cm^2 (mM cm/s C/mol /mV -> 1e-6 * 1e3 / 1e-3).
    P, ci, co = 1e-6, 140.0, 5.0
    E = VT37 * math.log(co / ci)
    limit = P * F / VT37 * ci * co * math.log(co / ci) / (co - ci) * 1e-3
    for v in (E, E + 1e-9, E - 1e-7):
        G = nernst.ghk.ghk_chord_conductance("K+", v_m=v, permeability=P, c_in=ci, c_out=co)
        assert G == pytest.approx(limit, rel=1e-8)
    S = nernst.ghk_slope_conductance("K+", v_m=E, permeability=P, c_in=ci, c_out=co)
    assert S == pytest.approx(limit, rel=1e-12)


def test_chord_conductance_needs_both_concentrations() -> None:
    with pytest.raises(ValueError, match="c_out=0"):
        nernst.ghk.ghk_chord_conductance("K+", v_m=-70, permeability=1e-6, c_in=140, c_out=0)


# ------------------------------------------------------------------- deprecated positional form


@pytest.mark.parametrize("name", ["ghk_current", "ghk_flux"])
def test_old_positional_form_warns_and_agrees(name: str) -> None:
    f = getattr(nernst, name)
    new = f("Ca2+", v_m=-50, permeability=1.0, c_in=0.001, c_out=10, celsius=6.3)
    with pytest.warns(NernstDeprecationWarning, match=rf"{name}\(ion, v_m=v"):
        old = f(-50, "Ca2+", permeability=1.0, c_in=0.001, c_out=10, celsius=6.3)
    assert old == new
    with pytest.raises(TypeError, match="v_m"):
        f("Ca2+", permeability=1.0, c_in=0.001, c_out=10)


# ------------------------------------------------------------------- the Newton solve


def test_newton_matches_the_closed_form_when_the_extra_ion_is_impermeant() -> None:
    # A trivalent ion with P = 0 sends the conditions through the Newton solve (the valence
    # set is not {+-1, +-2}); the answer must be the quadratic's.
    P = np.array([[1.0, 0.04, 0.45, 0.01, 0.0], [0.2, 1.0, 0.1, 0.5, 0.0]])
    ci = [140.0, 10.0, 10.0, 1e-4, 1.0]
    co = [5.0, 145.0, 110.0, 2.0, 1.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing leaks from the solver
        newton = nernst.ghk_voltage(P, c_in=ci, c_out=co, z=[1, 1, -1, 2, 3])
    closed = nernst.ghk_voltage(P[:, :4], c_in=ci[:4], c_out=co[:4], z=[1, 1, -1, 2])
    np.testing.assert_allclose(newton, closed, rtol=0, atol=1e-12)


def test_newton_in_blocks_equals_one_block() -> None:
    rng = np.random.default_rng(7)
    n = 40_000  # more than one block of 16384 conditions
    P = 10 ** rng.uniform(-3, 0, (n, 3))
    ci = 10 ** rng.uniform(-1, 2.5, (n, 3))
    co = 10 ** rng.uniform(-1, 2.5, (n, 3))
    V = nernst.ghk_voltage(P, c_in=ci, c_out=co, z=[1, -1, 3])
    some = [0, 16383, 16384, 39_999]
    V_some = nernst.ghk_voltage(P[some], c_in=ci[some], c_out=co[some], z=[1, -1, 3])
    np.testing.assert_array_equal(V[some], V_some)


@settings(max_examples=settings.default.max_examples * 2)
@given(
    ion=st.sampled_from(["Na+", "K+", "Ca2+", "Cl-", "Mg2+"]),
    model=st.sampled_from(["davies", "debye-huckel", "extended-debye-huckel", "truesdell-jones"]),
    I=st.floats(0.0, 0.5),
    celsius=st.floats(0.0, 100.0),
)
def test_scalar_activity_is_the_array_body(ion: str, model: str, I: float, celsius: float) -> None:
    """The float path of activity_coefficient and the NumPy path run one body."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ActivityRangeWarning)
        fast = activity_coefficient(ion, ionic_strength=I, model=model, celsius=celsius)
        body = activity_coefficient(
            [ion], ionic_strength=np.array([I]), model=model, celsius=celsius
        )
    assert type(fast) is float
    assert fast == pytest.approx(float(body[0]), rel=1e-14)
