"""nernst's GHK voltage and current against an independent 50-digit mpmath reference.

The reference solves the zero-total-current condition of the GHK current equation directly,

    sum_k P_k z_k^2 u (c_in,k - c_out,k e^{-z_k u}) / (1 - e^{-z_k u}) = 0,   u = FV/RT,

by root finding in mpmath (mp.dps = 50) on the bracket between the lowest and highest Nernst
potential of the permeant ions. It shares no code with nernst: the constants are rebuilt from
the exact SI defining constants, and nothing uses the closed-form quadratic of ghk.py.
Accuracy target (DESIGN.md): 1e-9 mV for the voltage; 1e-12 relative for the current.
"""

from __future__ import annotations

import numpy as np
import pytest
from mpmath import mp, mpf

import nernst

mp.dps = 50

# Exact SI 2019 defining constants, as decimal strings so nothing is rounded to double.
_N_A = mpf("6.02214076e23")
R_MP = mpf("1.380649e-23") * _N_A  # [J/(mol K)]
F_MP = mpf("1.602176634e-19") * _N_A  # [C/mol]
ZERO_C_MP = mpf("273.15")  # [K]

VOLTAGE_TOL_MV = 1e-9


def thermal_voltage_mp(celsius: float) -> mpf:
    """RT/F. [mV]"""
    return R_MP * (mpf(float(celsius)) + ZERO_C_MP) / F_MP * 1000


def ghk_current_density_mp(u: mpf, P: mpf, ci: mpf, co: mpf, z: int) -> mpf:
    """P z w (c_in - c_out e^-w)/(1 - e^-w), w = z u, with its limit P z (c_in - c_out) at w = 0."""
    w = z * u
    if w == 0:
        return P * z * (ci - co)
    return P * z * w * (ci - co * mp.exp(-w)) / -mp.expm1(-w)


def ghk_voltage_mp(P: np.ndarray, ci: np.ndarray, co: np.ndarray, z: list[int], celsius: float):
    """Zero-total-current potential, 50 digits. [mV]"""
    ions = [
        (mpf(float(p)), mpf(float(a)), mpf(float(b)), int(k))
        for p, a, b, k in zip(P, ci, co, z, strict=True)
        if p > 0
    ]

    def total(u: mpf) -> mpf:
        return mp.fsum(ghk_current_density_mp(u, *ion) for ion in ions)

    nernst_u = [mp.log(b / a) / k for _, a, b, k in ions]
    lo, hi = min(nernst_u), max(nernst_u)
    if lo == hi:  # one ion, or all at equilibrium together
        return lo * thermal_voltage_mp(celsius)
    assert total(lo) < 0 < total(hi)  # the total current rises with u: the root is inside
    u = mp.findroot(total, (lo, hi), solver="anderson", verify=False)
    step = mpf("1e-35") * (1 + abs(u))
    if not (lo <= u <= hi and total(u - step) <= 0 <= total(u + step)):
        # Certification failed: plain bisection, which cannot leave the bracket.
        for _ in range(400):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if total(mid) < 0 else (lo, mid)
            if hi - lo < step:
                break
        u = (lo + hi) / 2
    return u * thermal_voltage_mp(celsius)


def log_uniform(rng: np.random.Generator, lo: float, hi: float, size) -> np.ndarray:
    return 10.0 ** rng.uniform(np.log10(lo), np.log10(hi), size)


def assert_matches_reference(P, ci, co, z, celsius) -> np.ndarray:
    """ghk_voltage on all conditions at once (ions on the last axis) vs the mpmath root."""
    celsius = np.broadcast_to(np.asarray(celsius, float), P.shape[:-1])
    V = nernst.ghk_voltage(P, c_in=ci, c_out=co, z=z, celsius=celsius)
    ref = np.array(
        [float(ghk_voltage_mp(P[i], ci[i], co[i], z, celsius[i])) for i in range(len(P))]
    )
    err = np.abs(V - ref)
    worst = int(np.argmax(err))
    assert err[worst] <= VOLTAGE_TOL_MV, (
        f"|V - V_mp| = {err[worst]:.3g} mV at P={P[worst]}, c_in={ci[worst]}, "
        f"c_out={co[worst]}, z={z}, celsius={celsius[worst]}: {V[worst]!r} vs {ref[worst]!r}"
    )
    return ref


def test_ghk_voltage_mammalian_ions_random_conditions():
    # 300 seeded K+/Na+/Cl-/Ca2+ (z 1, 1, -1, 2) conditions match the 50-digit root to 1e-9 mV.
    rng = np.random.default_rng(20240611)
    n = 300
    ci = np.column_stack(
        [log_uniform(rng, *b, n) for b in [(50, 400), (3, 50), (2, 60), (1e-5, 1e-2)]]
    )
    co = np.column_stack(
        [log_uniform(rng, *b, n) for b in [(1, 50), (50, 500), (20, 600), (0.1, 20)]]
    )
    P = log_uniform(rng, 1e-3, 1e1, (n, 4))
    celsius = rng.uniform(0, 45, n)
    assert_matches_reference(P, ci, co, [1, 1, -1, 2], celsius)
    # The mapping form, with valences from the ion table, gives the same numbers.
    names = ["K+", "Na+", "Cl-", "Ca2+"]
    V_named = nernst.ghk_voltage(
        {k: P[:, i] for i, k in enumerate(names)},
        c_in={k: ci[:, i] for i, k in enumerate(names)},
        c_out={k: co[:, i] for i, k in enumerate(names)},
        celsius=celsius,
    )
    V_array = nernst.ghk_voltage(P, c_in=ci, c_out=co, z=[1, 1, -1, 2], celsius=celsius)
    np.testing.assert_allclose(V_named, V_array, rtol=0, atol=1e-12)


@pytest.mark.parametrize("z", [[2, -2], [2, -2, 1, -1]], ids=["Mg2+/SO4 2-", "Mg2+/SO4 2-/Na+/Cl-"])
def test_ghk_voltage_divalent_cation_and_anion(z):
    # Divalent cation and anion (the x^2 terms of the quadratic) match the reference to 1e-9 mV.
    rng = np.random.default_rng(7)
    n = 100
    P = log_uniform(rng, 1e-3, 1e1, (n, len(z)))
    ci = log_uniform(rng, 1e-3, 1e3, (n, len(z)))
    co = log_uniform(rng, 1e-3, 1e3, (n, len(z)))
    assert_matches_reference(P, ci, co, z, rng.uniform(0, 45, n))


@pytest.mark.parametrize("z", [[3], [3, -1], [3, 1, -1, 2], [-3, 2, -2]])
def test_ghk_voltage_trivalent_root_finder(z):
    # A trivalent ion (La3+-like, or a 3- anion) takes the bracketed root-finder branch.
    rng = np.random.default_rng(3 + len(z))
    n = 60
    P = log_uniform(rng, 1e-3, 1e1, (n, len(z)))
    ci = log_uniform(rng, 1e-4, 1e3, (n, len(z)))
    co = log_uniform(rng, 1e-4, 1e3, (n, len(z)))
    assert_matches_reference(P, ci, co, z, rng.uniform(0, 45, n))


@pytest.mark.parametrize("celsius", [0.0, 25.0, 37.0, 100.0])
@pytest.mark.parametrize("z", [[1, -1], [1, 1, -1, 2], [2, -2], [3, -1, 2]])
def test_ghk_voltage_extremes(z, celsius):
    # 1e-9..1e4 mM, permeability ratios up to 1e6, |V| of hundreds of mV: still within 1e-9 mV.
    rng = np.random.default_rng(int(celsius) * 10 + len(z))
    n = 30
    P = log_uniform(rng, 1e-6, 1.0, (n, len(z)))
    ci = log_uniform(rng, 1e-9, 1e4, (n, len(z)))
    co = log_uniform(rng, 1e-9, 1e4, (n, len(z)))
    # Make the extremes certain: rows 0 and 1 put a 1e-9 : 1e4 mM gradient (both ways) on the
    # ion of smallest |z|, a million times more permeant than the others (1 mM both sides).
    k = int(np.argmin(np.abs(z)))
    P[:2], ci[:2], co[:2] = 1e-6, 1.0, 1.0
    P[:2, k] = 1.0
    ci[:2, k], co[:2, k] = (1e-9, 1e4), (1e4, 1e-9)
    ref = assert_matches_reference(P, ci, co, z, celsius)
    assert min(abs(ref[0]), abs(ref[1])) > 250 and ref[0] * ref[1] < 0  # several hundred mV


# ---------------------------------------------------------------------------------------------
# GHK current

CURRENT_V = [-1000.0, -100.0, -1e-12, 0.0, 1e-12, 100.0, 1000.0]  # [mV]
CURRENT_Z = [1, 2, -1, 3]
CURRENT_CASES = [  # (P [cm/s], c_in [mM], c_out [mM], celsius)
    (1e-3, 140.0, 5.0, 37.0),
    (2.5e-5, 1e-4, 2.0, 6.3),
    (1.0, 10.0, 10.0, 25.0),
    (1e2, 1e-9, 1e4, 0.0),
    (1e-4, 1e4, 1e-9, 100.0),
    (0.3, 12.0, 0.0, 150.0),
]


def ghk_current_mp(v: float, z: int, P: float, ci: float, co: float, celsius: float):
    """GHK current and its unidirectional scale |efflux| + |influx|, 50 digits. [mA/cm^2]"""
    u = mpf(v) / thermal_voltage_mp(celsius)
    to_ma = F_MP * mpf("1e-6") * 1000  # mM cm/s = 1e-6 mol/(cm^2 s); * F -> A; * 1e3 -> mA
    I = ghk_current_density_mp(u, mpf(P), mpf(ci), mpf(co), z) * to_ma
    efflux = ghk_current_density_mp(u, mpf(P), mpf(ci), mpf(0), z) * to_ma
    influx = ghk_current_density_mp(u, mpf(P), mpf(0), mpf(co), z) * to_ma
    return I, abs(efflux) + abs(influx)


def test_ghk_current_against_mpmath():
    # GHK current at -1000..1000 mV (incl. 0, +-1e-12), z = 1, 2, -1, 3: 1e-12 relative to mpmath.
    grid = np.array([(v, z, *case) for v in CURRENT_V for z in CURRENT_Z for case in CURRENT_CASES])
    v, z, P, ci, co, celsius = grid.T
    I = nernst.ghk_current(z.astype(int), v_m=v, permeability=P, c_in=ci, c_out=co, celsius=celsius)
    assert np.all(np.isfinite(I))
    # Where c_in and c_out e^-w cancel, double precision resolves 1e-15 of the one-way current.
    for k, row in enumerate(grid):
        ref, scale = ghk_current_mp(row[0], int(row[1]), *row[2:])
        err = abs(mpf(float(I[k])) - ref)
        assert err <= 1e-12 * abs(ref) + 1e-15 * scale, (
            f"ghk_current{tuple(row)}: {I[k]!r} vs {mp.nstr(ref, 20)} (err {mp.nstr(err, 3)})"
        )


def test_sweep_grid_against_the_mpmath_root():
    # nernst.sweep solves every grid point from its 1-D axes (no stacked arrays); each point,
    # monovalent (P_Ca = 0) or with Ca2+ (the quadratic), matches the 50-digit root to 1e-9 mV.
    # The mammalian-neuron preset (cells.toml): K+, Na+, Cl-, Ca2+ at P 1 : 0.04 : 0.45 : 0.
    pytest.importorskip("xarray")
    vary = {
        "perm.Ca2+": [0.0, 0.003, 0.2, 5.0],
        "K+.out": [1.0, 5.0, 40.0, 140.0],
        "Na+.in": [4.0, 12.0],
        "celsius": [6.3, 37.0],
    }
    ds = nernst.sweep("mammalian-neuron", vary, outputs="resting_potential")
    ci = {"K+": 140.0, "Na+": 10.0, "Cl-": 10.0, "Ca2+": 1e-4}
    co = {"K+": 5.0, "Na+": 145.0, "Cl-": 110.0, "Ca2+": 2.0}
    worst = 0.0
    for idx in np.ndindex(*ds.V_rest.shape):
        p_ca, k_out, na_in, celsius = (vary[d][i] for d, i in zip(vary, idx, strict=True))
        P = np.array([1.0, 0.04, 0.45, p_ca])
        c_in = np.array([ci["K+"], na_in, ci["Cl-"], ci["Ca2+"]])
        c_out = np.array([k_out, co["Na+"], co["Cl-"], co["Ca2+"]])
        ref = float(ghk_voltage_mp(P, c_in, c_out, [1, 1, -1, 2], celsius))
        worst = max(worst, abs(float(ds.V_rest.values[idx]) - ref))
    assert worst <= VOLTAGE_TOL_MV


def test_sweep_with_a_trivalent_ion_and_extreme_ratios_against_the_mpmath_root():
    # La3+ makes the zero-current condition a polynomial solved by the bracketed Newton
    # iteration; a K+ concentration of 1e-80 mM takes the unscreened branch (products below
    # 1e-75 could underflow). Every point matches the 50-digit root to 1e-9 mV.
    pytest.importorskip("xarray")
    cell = nernst.Cell(
        c_in={"K+": 140.0, "Na+": 10.0, "Cl-": 10.0, "La3+": 1e-4},
        c_out={"K+": 5.0, "Na+": 145.0, "Cl-": 110.0, "La3+": 1.0},
        permeability={"K+": 1.0, "Na+": 0.04, "Cl-": 0.45, "La3+": 0.1},
        celsius=25.0,
    )
    vary = {"K+.out": [1e-80, 1.0, 40.0], "perm.La3+": [0.0, 1e-3, 0.3, 30.0]}
    ds = nernst.sweep(cell, vary, outputs="resting_potential")
    worst = 0.0
    for i, k_out in enumerate(vary["K+.out"]):
        for j, p_la in enumerate(vary["perm.La3+"]):
            P = np.array([1.0, 0.04, 0.45, p_la])
            ci = np.array([140.0, 10.0, 10.0, 1e-4])
            co = np.array([k_out, 145.0, 110.0, 1.0])
            ref = float(ghk_voltage_mp(P, ci, co, [1, 1, -1, 3], 25.0))
            worst = max(worst, abs(float(ds.V_rest.values[i, j]) - ref))
    assert worst <= VOLTAGE_TOL_MV


@pytest.mark.parametrize("k_out", [1e-80, 1e-30, 1e-9])
def test_newton_started_at_the_root_inside_a_wide_bracket(k_out):
    # z = (1, 1, -1, 3) with the trivalent ion at P = 0: the polynomial solve starts at the
    # monovalent root itself, and [K+]out = 1e-80 mM puts the lower Nernst bound near -4.9 V.
    # A converged step once counted as leaving the bracket and bisected to its middle; 200
    # iterations then ended at -763 mV instead of -74.88 mV.
    P = np.array([[1.0, 0.04, 0.45, 0.0]])
    ci = np.array([[140.0, 10.0, 10.0, 1e-4]])
    co = np.array([[k_out, 145.0, 110.0, 1.0]])
    assert_matches_reference(P, ci, co, [1, 1, -1, 3], 25.0)
