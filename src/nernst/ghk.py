"""Goldman-Hodgkin-Katz (GHK) constant-field equations: current, flux and voltage.

Conventions: V = V_in - V_out in mV; concentrations in mM; permeability in cm/s; positive flux
and current are outward (cations leaving the cell carry outward current; anions leaving carry
inward current). Currents are in NEURON's units, mA/cm^2.

References
----------
.. [1] Goldman D.E. (1943) Potential, impedance, and rectification in membranes. J. Gen.
   Physiol. 27:37-60.
.. [2] Hodgkin A.L., Katz B. (1949) The effect of sodium ions on the electrical activity of
   the giant axon of the squid. J. Physiol. 108:37-77.
.. [3] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14.
.. [4] Lewis C.A. (1979) Ion-concentration dependence of the reversal potential and the
   single channel conductance of ion channels at the frog neuromuscular junction.
   J. Physiol. 286:417-445 (GHK voltage with divalent ions).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nernst._validate import (
    broadcast,
    broadcast_shape,
    checked,
    finite,
    foreign_namespace,
    is_foreign,
    non_negative,
    scalar_or_array,
    show,
    to_numpy,
    valence_array,
    xp_finite,
    xp_non_negative,
)
from nernst.constants import (
    BODY_TEMPERATURE_C,
    FARADAY,
    GAS_CONSTANT,
    MAX_CELSIUS,
    ZERO_CELSIUS,
    kelvin,
    xp_kelvin,
)
from nernst.ions import ions, valence

__all__ = ["ghk_current", "ghk_flux", "ghk_slope_conductance", "ghk_voltage"]

#: Conditions per block in the closed-form GHK voltage (temporaries stay in cache).
_CHUNK = 16384

#: mM * cm/s -> mol/(cm^2 s): 1 mM = 1e-6 mol/cm^3.
_MOL_PER_CM3_PER_MM = 1e-6


def ghk_flux(
    v: ArrayLike,
    ion: str | int | ArrayLike,
    /,
    *,
    permeability: ArrayLike,
    c_in: ArrayLike,
    c_out: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""GHK flux of one ion through the membrane, outward positive.

    .. math::

        \Phi = P \, \frac{w}{1 - e^{-w}} \left(c_{in} - c_{out} e^{-w}\right),
        \qquad w = \frac{z F V}{R T}

    The factor :math:`w/(1-e^{-w})` is evaluated with ``expm1`` (the "exprel" form) and its
    exact limit 1 at w = 0, so there is no 0/0 at V = 0 (where the flux is
    ``P (c_in - c_out)``), and the equation is rearranged for w < 0 so that nothing
    overflows for ``|V|`` up to well beyond 1000 mV.

    Parameters
    ----------
    v : array_like
        Membrane potential V_in - V_out. [mV]
    ion : str, int or array of int
        Ion name or valence z (non-zero).
    permeability : array_like
        Permeability P (>= 0). [cm/s]
    c_in, c_out : array_like
        Concentrations inside and outside (>= 0). [mM]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    flux : float or ndarray
        Net flux, positive when ions leave the cell; an array of the input's library for
        array_api_strict, Dask or JAX input (lazy for Dask, jit-able and differentiable
        everywhere, V = 0 included, for JAX). [mol cm^-2 s^-1]

    Raises
    ------
    ValueError
        Non-finite V, negative or non-finite permeability or concentration, z = 0, bad
        temperature.

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., eq. 14-6.
    """
    ns = foreign_namespace(v, permeability, c_in, c_out, celsius)
    if ns is not None:
        xp = ns[0]
        _, w, P, ci, co = _xp_flux_inputs(*ns, v, ion, permeability, c_in, c_out, celsius)
        return _xp_flux(xp, w, P, ci, co) * _MOL_PER_CM3_PER_MM
    _, w, P, ci, co = _flux_inputs(v, ion, permeability, c_in, c_out, celsius)
    return scalar_or_array(_flux(w, P, ci, co) * _MOL_PER_CM3_PER_MM)


def ghk_current(
    v: ArrayLike,
    ion: str | int | ArrayLike,
    /,
    *,
    permeability: ArrayLike,
    c_in: ArrayLike,
    c_out: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""GHK current density of one ion, outward positive (NEURON's ``ghk`` times P).

    .. math::

        I = P \, z F \, \frac{w}{1 - e^{-w}} \left(c_{in} - c_{out} e^{-w}\right),
        \qquad w = \frac{z F V}{R T}

    Exact at V = 0 (``I = P z F (c_in - c_out)``) and finite for ``|V|`` up to 1000 mV and beyond.

    Parameters
    ----------
    v : array_like
        Membrane potential V_in - V_out. [mV]
    ion : str, int or array of int
        Ion name or valence z (non-zero).
    permeability : array_like
        Permeability P (>= 0). [cm/s]
    c_in, c_out : array_like
        Concentrations inside and outside (>= 0). [mM]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    I : float or ndarray
        Current density, positive outward; an array of the input's library for
        array_api_strict, Dask or JAX input, as :func:`ghk_flux`. [mA/cm^2]

    Raises
    ------
    ValueError
        As :func:`ghk_flux`.

    Examples
    --------
    NEURON's regression value for ``ghk(-50, 0.001, 10, 2)`` at 6.3 degC (P = 1 cm/s):

    >>> round(ghk_current(-50, "Ca2+", permeability=1, c_in=0.001, c_out=10, celsius=6.3), 2)
    -8141.35

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., eq. 14-6.
    .. [2] Hines M.L., Carnevale N.T. NEURON simulator, ``ghk()`` in ``nrn/share/lib/nrnunits``
       and its regression tests.
    """
    ns = foreign_namespace(v, permeability, c_in, c_out, celsius)
    if ns is not None:
        xp = ns[0]
        z, w, P, ci, co = _xp_flux_inputs(*ns, v, ion, permeability, c_in, c_out, celsius)
        return z * FARADAY * _xp_flux(xp, w, P, ci, co) * _MOL_PER_CM3_PER_MM * 1e3
    z, w, P, ci, co = _flux_inputs(v, ion, permeability, c_in, c_out, celsius)
    # mol/(cm^2 s) * C/mol = A/cm^2; * 1e3 -> mA/cm^2.
    I = z * FARADAY * _flux(w, P, ci, co) * _MOL_PER_CM3_PER_MM * 1e3
    return scalar_or_array(I)


def _flux_inputs(
    v: ArrayLike,
    ion: str | int | ArrayLike,
    permeability: ArrayLike,
    c_in: ArrayLike,
    c_out: ArrayLike,
    celsius: ArrayLike,
) -> tuple[np.ndarray, ...]:
    z = np.asarray(valence(ion), dtype=float)
    V = finite("v", v, unit="mV")
    P = non_negative("permeability", permeability, what="permeability", unit="cm/s")
    ci = non_negative("c_in", c_in, what="concentration", unit="mM")
    co = non_negative("c_out", c_out, what="concentration", unit="mM")
    T = kelvin(celsius)
    z, V, P, ci, co, T = broadcast(z=z, v=V, permeability=P, c_in=ci, c_out=co, celsius=T)
    w = z * V * 1e-3 * FARADAY / (GAS_CONSTANT * T)
    return z, w, P, ci, co


def _xp_flux_inputs(
    xp: Any,
    dtype: Any,
    v: Any,
    ion: Any,
    permeability: Any,
    c_in: Any,
    c_out: Any,
    celsius: Any,
) -> tuple[Any, ...]:
    """:func:`_flux_inputs` in namespace ``xp`` (Array API standard only)."""
    z = np.asarray(valence(to_numpy(ion) if is_foreign(ion) else ion), dtype=float)
    broadcast_shape(z=z, v=v, permeability=permeability, c_in=c_in, c_out=c_out, celsius=celsius)
    V = xp_finite(xp, dtype, "v", v, unit="mV")
    P = xp_non_negative(xp, dtype, "permeability", permeability, what="permeability", unit="cm/s")
    ci = xp_non_negative(xp, dtype, "c_in", c_in, what="concentration", unit="mM")
    co = xp_non_negative(xp, dtype, "c_out", c_out, what="concentration", unit="mM")
    T = xp_kelvin(xp, dtype, celsius)
    zx, V, P, ci, co, T = xp.broadcast_arrays(xp.asarray(z, dtype=dtype), V, P, ci, co, T)
    w = zx * V * 1e-3 * FARADAY / (GAS_CONSTANT * T)
    return zx, w, P, ci, co


def _xp_flux(xp: Any, w: Any, P: Any, ci: Any, co: Any) -> Any:
    """:func:`_flux` in namespace ``xp``, differentiable everywhere (JAX).

    For |w| < 1e-3 the series P [(ci - co) + w (ci + co)/2 + w^2 (ci - co)/12] (next term
    O(w^4)/720, below 2e-15 relative) replaces the exact form, whose masked limit at w = 0
    would have a zero derivative; the exact branch never sees w = 0, so no 0/0 reaches a
    gradient either.
    """
    a = xp.abs(w)
    small = a < 1e-3
    a_safe = xp.where(small, xp.ones_like(a), a)
    decay = xp.exp(-a_safe)
    factor = P * (a_safe / -xp.expm1(-a_safe))
    exact = xp.where(w >= 0, factor * (ci - co * decay), factor * (ci * decay - co))
    series = P * ((ci - co) + w * ((ci + co) / 2 + w * (ci - co) / 12))
    return xp.where(small, series, exact)


def _flux(w: np.ndarray, P: np.ndarray, ci: np.ndarray, co: np.ndarray) -> np.ndarray:
    """Dimensionless-safe GHK flux P*w/(1-e^-w)*(ci - co e^-w) in [P]*[c] units.

    With a = |w|: for w >= 0 it is P a/(1-e^-a) (ci - co e^-a); for w < 0 the same expression
    multiplied through by e^w, P a/(1-e^-a) (ci e^-a - co), so no exponential exceeds 1.
    """
    a = np.abs(w)
    decay = np.exp(-a)
    with np.errstate(invalid="ignore", divide="ignore"):
        # a / (1 - e^-a), the reciprocal of exprel(-a); its limit at a = 0 is exactly 1.
        factor = P * np.where(a == 0, 1.0, a / -np.expm1(-a))
    return np.where(w >= 0, factor * (ci - co * decay), factor * (ci * decay - co))


def ghk_voltage(
    permeability: Mapping[str, ArrayLike] | ArrayLike,
    /,
    *,
    c_in: Mapping[str, ArrayLike] | ArrayLike,
    c_out: Mapping[str, ArrayLike] | ArrayLike,
    z: ArrayLike | Sequence[str] | None = None,
    axis: int = -1,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""GHK voltage: the membrane potential at which the total GHK current is zero.

    For monovalent ions only this is the familiar equation

    .. math::

        V = \frac{RT}{F} \ln \frac{\sum_{cations} P c_{out} + \sum_{anions} P c_{in}}
                                 {\sum_{cations} P c_{in} + \sum_{anions} P c_{out}}

    With divalent ions (valences in {+-1, +-2}) the zero-current condition is a quadratic in
    :math:`x = e^{-FV/RT}`,

    .. math::

        (B + D) x^2 - (A - B) x - (A + C) = 0,

    with :math:`A = \sum_{+1} P c_{in} + \sum_{-1} P c_{out}`,
    :math:`B = \sum_{+1} P c_{out} + \sum_{-1} P c_{in}`,
    :math:`C = 4(\sum_{+2} P c_{in} + \sum_{-2} P c_{out})`,
    :math:`D = 4(\sum_{+2} P c_{out} + \sum_{-2} P c_{in})`. It has exactly one positive root,
    taken with the cancellation-free form of the quadratic formula. Any other valence set is
    solved per condition with SciPy's vectorised bracketing root finder
    (:func:`scipy.optimize.elementwise.find_root`, Chandrupatla's method) between the lowest
    and highest Nernst potential of the permeant ions: the total GHK current increases
    monotonically with V, so that bracket holds the unique root.

    Parameters
    ----------
    permeability : mapping or array_like
        Permeabilities, absolute [cm/s] or relative (only ratios matter). A mapping is keyed
        by ion name (valences come from the ion table); an array has the ions along ``axis``
        and needs ``z``. Ions with zero permeability are ignored.
    c_in, c_out : mapping or array_like
        Concentrations inside and outside, keyed like ``permeability`` (extra ions are
        ignored) or arrays with ions along ``axis``. [mM]
    z : array_like of int or sequence of str, optional
        Valences of the ions along ``axis`` (or their names), for array input only.
    axis : int, default -1
        Axis of the array inputs that runs over ions.
    celsius : array_like, default 37.0
        Temperature, broadcast against the conditions (not the ion axis). [degC]

    Returns
    -------
    V : float or ndarray
        Reversal (resting) potential V_in - V_out, one per condition. Arrays of another
        Array API library (array_api_strict, Dask, JAX, ...) give an array of that library:
        lazy for Dask, jit-able and differentiable (with respect to permeabilities and
        concentrations) for JAX; see :mod:`nernst._validate` for how invalid values surface
        there. Valences beyond +-2 need NumPy input (SciPy's root finder). [mV]

    Raises
    ------
    ValueError
        Negative or non-finite permeability, all permeabilities zero, non-positive or
        non-finite concentration of a permeant ion, an ion missing from ``c_in``/``c_out``,
        z = 0, ``z`` missing for array input, shapes that do not broadcast, bad temperature.

    Examples
    --------
    The seed chapter's neuron, P_K : P_Na : P_Cl = 1 : 0.04 : 0.45 at 37 degC:

    >>> round(ghk_voltage({"K+": 1, "Na+": 0.04, "Cl-": 0.45},
    ...                   c_in={"K+": 140, "Na+": 10, "Cl-": 10},
    ...                   c_out={"K+": 5, "Na+": 145, "Cl-": 110}), 1)
    -67.3

    References
    ----------
    .. [1] Goldman D.E. (1943) J. Gen. Physiol. 27:37-60.
    .. [2] Hodgkin A.L., Katz B. (1949) J. Physiol. 108:37-77.
    .. [3] Lewis C.A. (1979) J. Physiol. 286:417-445.
    .. [4] Chandrupatla T.R. (1997) A new hybrid quadratic/bisection algorithm for finding the
       zero of a nonlinear function without using derivatives. Adv. Eng. Softw. 28:145-149.
    """
    if (
        z is None
        and type(celsius) in _SCALARS
        and isinstance(permeability, dict)
        and isinstance(c_in, dict)
        and isinstance(c_out, dict)
    ):
        V = _scalar_ghk_voltage(permeability, c_in, c_out, celsius)  # type: ignore[arg-type]
        if V is not None:
            return V
    ns = foreign_namespace(permeability, c_in, c_out, celsius, z)
    if ns is not None:
        return _xp_ghk_voltage(*ns, permeability, c_in, c_out, z, axis, celsius)
    P, ci, co, zz = ion_axis_inputs(permeability, c_in, c_out, z, axis)
    T = kelvin(celsius)
    VT = GAS_CONSTANT * T / FARADAY * 1e3  # mV
    if set(np.unique(zz).tolist()) <= {1.0, -1.0, 2.0, -2.0}:
        if zz.ndim == 1 and P.ndim > 1 and P.shape[0] > _CHUNK:
            # Blocks of conditions keep the temporaries in cache (2-3x faster at 1e6).
            u = np.concatenate(
                [
                    _ghk_u_quadratic(P[i : i + _CHUNK], ci[i : i + _CHUNK], co[i : i + _CHUNK], zz)
                    for i in range(0, P.shape[0], _CHUNK)
                ]
            )
        else:
            u = _ghk_u_quadratic(P, ci, co, zz)
    else:
        u = _ghk_u_bracketed(P, ci, co, zz)
    (u, VT) = broadcast(conditions=u, celsius=VT)
    return scalar_or_array(u * VT)


_SCALARS = (float, int)


def _xp_ghk_voltage(
    xp: Any,
    dtype: Any,
    permeability: Any,
    c_in: Any,
    c_out: Any,
    z: Any,
    axis: int,
    celsius: Any,
) -> Any:
    """:func:`ghk_voltage` in namespace ``xp`` (closed form, Array API standard only)."""
    P, ci, co, zz = _xp_ion_axis_inputs(xp, dtype, permeability, c_in, c_out, z, axis)
    if not set(np.unique(zz).tolist()) <= {1.0, -1.0, 2.0, -2.0}:
        raise NotImplementedError(
            f"ghk_voltage with valences other than +-1 and +-2 (z={show(zz)} ...) is solved "
            "by SciPy's bracketing root finder and needs NumPy input; convert the arrays with "
            "numpy.asarray (or dask's map_blocks) first"
        )
    # Only ratios matter: dividing by each condition's largest permeability keeps P*c from
    # under- or overflowing without branching on values (lazy and traced arrays); all-zero
    # conditions become NaN here and are reported by the check below.
    P = P / xp.max(P, axis=-1, keepdims=True)
    A, B, C, D = _xp_quadratic_coefficients(xp, dtype, P, ci, co, zz)
    total = A + B + C + D
    A = checked(xp, A, total > 0, _require_permeant, total)
    if not np.any(np.abs(zz) == 2):
        u = xp.log(B / A)
    else:
        a = B + D
        b = B - A
        c = A + C
        s = xp.sqrt(b * b + 4.0 * a * c) + xp.abs(b)
        upward = b >= 0
        u = xp.log(xp.where(upward, s, 2.0 * a) / xp.where(upward, 2.0 * c, s))
    T = xp_kelvin(xp, dtype, celsius)
    return u * (GAS_CONSTANT * T / FARADAY * 1e3)


def _require_permeant(total: np.ndarray) -> None:
    if not np.all(np.asarray(total) > 0):
        raise ValueError(
            "all permeabilities are zero: the GHK voltage is undefined; give at least one "
            "ion a positive permeability"
        )


def _xp_as_float(xp: Any, dtype: Any, value: Any) -> Any:
    if is_foreign(value):
        return value if value.dtype == dtype else xp.astype(value, dtype)
    return xp.asarray(np.asarray(value, dtype=float), dtype=dtype)


def _xp_ion_axis_inputs(
    xp: Any, dtype: Any, permeability: Any, c_in: Any, c_out: Any, z: Any, axis: int
) -> tuple[Any, Any, Any, np.ndarray]:
    """:func:`ion_axis_inputs` in namespace ``xp``; the valences stay a NumPy array."""
    labels: list[str] | None
    if isinstance(permeability, Mapping):
        names, perms, cis, cos = _mapping_columns(permeability, c_in, c_out, z)
        broadcast_shape(
            **{
                f"{lab}[{nm!r}]": a
                for lab, group in (("permeability", perms), ("c_in", cis), ("c_out", cos))
                for nm, a in zip(names, group, strict=True)
            }
        )
        perms = [
            xp_non_negative(
                xp,
                dtype,
                f"permeability[{key!r}]",
                p,
                what="permeability",
                unit="cm/s or relative",
            )
            for key, p in zip(permeability, perms, strict=True)
        ]
        n = len(names)
        stacked = xp.broadcast_arrays(*perms, *(_xp_as_float(xp, dtype, c) for c in (*cis, *cos)))
        P = xp.stack(stacked[:n], axis=-1)
        ci = xp.stack(stacked[n : 2 * n], axis=-1)
        co = xp.stack(stacked[2 * n :], axis=-1)
        zz = np.array([ions[nm].charge for nm in names], float)
        labels = names
    else:
        if z is None:
            raise ValueError(
                "z is required when permeability is an array: give the valence (or name) of "
                "each ion along axis, e.g. z=[1, 1, -1] for K+, Na+, Cl-"
            )
        if is_foreign(z):
            z = to_numpy(z)  # valences select the equation: they must be concrete
        zz = np.array([valence(k) for k in z], float) if _is_names(z) else valence_array(z)
        if isinstance(c_in, Mapping) or isinstance(c_out, Mapping):
            raise ValueError("c_in and c_out must be arrays when permeability is an array")
        P = xp_non_negative(
            xp,
            dtype,
            "permeability",
            permeability,
            what="permeability",
            unit="cm/s or relative",
        )
        P = xp.moveaxis(P, axis, -1)
        ci, co = (_xp_as_float(xp, dtype, c) for c in (c_in, c_out))
        ci, co = (xp.moveaxis(c, axis, -1) if c.ndim else c for c in (ci, co))
        labels = None
    try:
        shape = np.broadcast_shapes(P.shape, ci.shape, co.shape, zz.shape, (1,))
    except ValueError:
        raise ValueError(
            f"shapes do not broadcast with ions on the last axis: permeability {P.shape}, "
            f"c_in {ci.shape}, c_out {co.shape}, z {zz.shape}"
        ) from None
    P, ci, co = (xp.broadcast_to(a, shape) for a in (P, ci, co))
    zz = np.broadcast_to(zz, shape if zz.ndim > 1 else shape[-1:])

    def check(P_: np.ndarray, ci_: np.ndarray, co_: np.ndarray) -> None:
        _check_concentrations(P_, ci_, co_, labels)

    permeant = P > 0
    ok = (
        xp.isfinite(ci)
        & (ci >= 0)
        & ~(permeant & (ci == 0))
        & xp.isfinite(co)
        & (co >= 0)
        & ~(permeant & (co == 0))
    )
    ci = checked(xp, ci, ok, check, P, ci, co)
    return P, ci, co, zz


def _xp_quadratic_coefficients(
    xp: Any, dtype: Any, P: Any, ci: Any, co: Any, z: np.ndarray
) -> tuple[Any, Any, Any, Any]:
    """:func:`quadratic_coefficients` in namespace ``xp``; ``z`` a NumPy array of valences."""
    cat1, an1, cat2, an2 = (xp.asarray(z == k, dtype=dtype) for k in (1, -1, 2, -2))
    A = xp.sum(P * (ci * cat1 + co * an1), axis=-1)
    B = xp.sum(P * (co * cat1 + ci * an1), axis=-1)
    C = 4.0 * xp.sum(P * (ci * cat2 + co * an2), axis=-1)
    D = 4.0 * xp.sum(P * (co * cat2 + ci * an2), axis=-1)
    return A, B, C, D


def _scalar_ghk_voltage(
    permeability: dict[str, Any], c_in: dict[str, Any], c_out: dict[str, Any], celsius: float
) -> float | None:
    """The closed form on Python scalars (fast path, a few microseconds).

    Returns None whenever anything is unusual (a non-scalar value, an unknown name, a bad
    value, a valence beyond +-2) so that the array path handles it and raises its specific
    error. Same coefficients and cancellation-free root as the array path.
    """
    if not (-ZERO_CELSIUS < celsius <= MAX_CELSIUS):
        return None
    by_key = ions.symbols_by_key()
    cin = {by_key.get(k): v for k, v in c_in.items()}
    cout = {by_key.get(k): v for k, v in c_out.items()}
    A = B = C = D = 0.0
    any_permeant = False
    # Only ratios of permeabilities matter: scale by the largest so P*c cannot under/overflow.
    values = list(permeability.values())
    if not all(type(p) in _SCALARS for p in values):
        return None
    p_max = max(values, default=0.0)
    if not (0 < p_max < math.inf):
        return None
    for key, p in permeability.items():
        p = p / p_max
        ion = by_key.get(key)
        ci, co = cin.get(ion), cout.get(ion)
        if (
            ion is None
            or type(p) not in _SCALARS
            or type(ci) not in _SCALARS
            or type(co) not in _SCALARS
            or not (0 <= p < math.inf)
        ):
            return None
        if p == 0:
            continue
        if not (0 < ci < math.inf and 0 < co < math.inf):  # type: ignore[operator]
            return None
        any_permeant = True
        z = ions[ion].charge
        inner, outer = (ci, co) if z > 0 else (co, ci)
        if abs(z) == 1:
            A += p * inner
            B += p * outer
        elif abs(z) == 2:
            C += 4.0 * p * inner
            D += 4.0 * p * outer
        else:
            return None
    if not any_permeant:
        return None
    VT = GAS_CONSTANT * (celsius + ZERO_CELSIUS) / FARADAY * 1e3
    if C == 0.0 and D == 0.0:
        return math.log(B / A) * VT
    a, b, c = B + D, B - A, A + C
    s = math.sqrt(b * b + 4.0 * a * c) + abs(b)
    num, den = (2.0 * c, s) if b >= 0 else (s, 2.0 * a)
    return math.log(den / num) * VT


def _mapping_columns(
    permeability: Mapping[str, Any], c_in: Any, c_out: Any, z: Any
) -> tuple[list[str], list[Any], list[Any], list[Any]]:
    """Resolve mapping input: canonical names and, per permeant ion, its raw permeability
    and concentrations; errors name a duplicate, a missing concentration or an empty mapping."""
    if z is not None:
        raise ValueError("z is taken from the ion table when permeability is a mapping; drop z=")
    names = [ions.resolve(k) for k in permeability]
    if len(set(names)) != len(names):
        raise ValueError(f"permeability names an ion twice: {list(permeability)}")
    if not names:
        raise ValueError("permeability is empty: give at least one permeant ion")
    c_in_map = _by_symbol(c_in, "c_in")
    c_out_map = _by_symbol(c_out, "c_out")
    perms, cis, cos = [], [], []
    for key, name in zip(permeability, names, strict=True):
        for label, mapping in (("c_in", c_in_map), ("c_out", c_out_map)):
            if name not in mapping:
                raise ValueError(
                    f"{label} has no concentration for permeant ion {name!r}; "
                    f"give it or set its permeability to 0"
                )
        perms.append(permeability[key])
        cis.append(c_in_map[name])
        cos.append(c_out_map[name])
    return names, perms, cis, cos


def ion_axis_inputs(
    permeability: Any, c_in: Any, c_out: Any, z: Any, axis: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Permeability, c_in, c_out, z as broadcast float arrays with ions on the last axis."""
    if isinstance(permeability, Mapping):
        names, raw, cis, cos = _mapping_columns(permeability, c_in, c_out, z)
        perms = [
            non_negative(f"permeability[{key!r}]", p, what="permeability", unit="cm/s or relative")
            for key, p in zip(permeability, raw, strict=True)
        ]
        cis = [np.asarray(c, float) for c in cis]
        cos = [np.asarray(c, float) for c in cos]
        zz = np.array([ions[n].charge for n in names], float)
        n = len(names)
        stacked = broadcast(
            **{
                f"{lab}[{nm!r}]": np.asarray(a)
                for lab, group in (("permeability", perms), ("c_in", cis), ("c_out", cos))
                for nm, a in zip(names, group, strict=True)
            }
        )
        P = np.stack(stacked[:n], axis=-1)
        ci = np.stack(stacked[n : 2 * n], axis=-1)
        co = np.stack(stacked[2 * n :], axis=-1)
        labels = names
    else:
        if z is None:
            raise ValueError(
                "z is required when permeability is an array: give the valence (or name) of "
                "each ion along axis, e.g. z=[1, 1, -1] for K+, Na+, Cl-"
            )
        zz = np.array([valence(k) for k in z], float) if _is_names(z) else valence_array(z)
        P = np.moveaxis(
            non_negative(
                "permeability", permeability, what="permeability", unit="cm/s or relative"
            ),
            axis,
            -1,
        )
        if isinstance(c_in, Mapping) or isinstance(c_out, Mapping):
            raise ValueError("c_in and c_out must be arrays when permeability is an array")
        ci = (
            np.moveaxis(np.asarray(c_in, float), axis, -1)
            if np.ndim(c_in)
            else np.asarray(c_in, float)
        )
        co = (
            np.moveaxis(np.asarray(c_out, float), axis, -1)
            if np.ndim(c_out)
            else np.asarray(c_out, float)
        )
        labels = None
    try:
        shape = np.broadcast_shapes(np.shape(P), ci.shape, co.shape, zz.shape, (1,))
    except ValueError:
        raise ValueError(
            f"shapes do not broadcast with ions on the last axis: permeability {np.shape(P)}, "
            f"c_in {np.shape(ci)}, c_out {np.shape(co)}, z {np.shape(zz)}"
        ) from None
    P, ci, co = (np.broadcast_to(a, shape) for a in (P, ci, co))
    # Valences stay one per ion (shape (n,)) unless they vary between conditions.
    zz = np.broadcast_to(zz, shape if zz.ndim > 1 else shape[-1:])
    _check_concentrations(P, ci, co, labels)
    if not P.min(initial=np.inf) > 0 and not np.all(np.any(P > 0, axis=-1)):
        raise ValueError(
            "all permeabilities are zero: the GHK voltage is undefined; give at least one "
            "ion a positive permeability"
        )
    return P, ci, co, zz


def _check_concentrations(
    P: np.ndarray, ci: np.ndarray, co: np.ndarray, labels: list[str] | None
) -> None:
    """Concentrations finite and >= 0, and > 0 for every permeant ion; one reduction each
    in the common all-positive case."""
    for label, c in (("c_in", ci), ("c_out", co)):
        if c.size and c.min() > 0 and c.max() < np.inf:
            continue
        bad = ~np.isfinite(c) | (c < 0) | ((P > 0) & (c == 0))
        if np.any(bad):
            idx = np.argwhere(bad)[0]
            who = labels[idx[-1]] if labels else f"ion {idx[-1]} along axis"
            raise ValueError(
                f"{label}[{who}]={show(c[tuple(idx)])}: concentrations must be finite and "
                "non-negative, and positive for a permeant ion [mM]"
            )


def _is_names(z: Any) -> bool:
    return isinstance(z, Sequence) and not isinstance(z, str) and any(isinstance(k, str) for k in z)


def _by_symbol(conc: Any, label: str) -> dict[str, Any]:
    if not isinstance(conc, Mapping):
        raise ValueError(f"{label} must be a mapping of ion name -> mM when permeability is one")
    return {ions.resolve(k): v for k, v in conc.items()}


def quadratic_coefficients(
    P: np.ndarray, ci: np.ndarray, co: np.ndarray, z: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A, B, C, D of the GHK zero-current quadratic (see :func:`ghk_voltage`).

    Ions are on the last axis; ``z`` is one valence per ion (shape (n,)) or broadcast with
    ``P``. Ions with P = 0 contribute nothing (their concentrations are finite).
    """
    if z.ndim == 1:
        # Valences shared by all conditions: [A, B, C, D] = W_in^T (P c_in) + W_out^T (P c_out),
        # two small matrix products (BLAS) instead of masked (N, n) temporaries.
        cat1, an1, cat2, an2 = (z == 1), (z == -1), (z == 2), (z == -2)
        w_in = np.stack([cat1, an1, 4.0 * cat2, 4.0 * an2]).astype(float)  # (4, n)
        w_out = np.stack([an1, cat1, 4.0 * an2, 4.0 * cat2]).astype(float)
        flat = P.shape[:-1]
        n = P.shape[-1]
        p_in = (P * ci).reshape(-1, n)
        p_out = (P * co).reshape(-1, n)
        coeffs = w_in @ p_in.T + w_out @ p_out.T  # (4, N), rows contiguous
        A, B, C, D = (row.reshape(flat) for row in coeffs)
        return A, B, C, D
    cat1, an1, cat2, an2 = (z == 1), (z == -1), (z == 2), (z == -2)
    A = np.sum(P * (ci * cat1 + co * an1), axis=-1)
    B = np.sum(P * (co * cat1 + ci * an1), axis=-1)
    C = 4.0 * np.sum(P * (ci * cat2 + co * an2), axis=-1)
    D = 4.0 * np.sum(P * (co * cat2 + ci * an2), axis=-1)
    return A, B, C, D


def _ghk_u_quadratic(P: np.ndarray, ci: np.ndarray, co: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Zero-current u = FV/RT for valences in {+-1, +-2}, closed form."""
    A, B, C, D = quadratic_coefficients(P, ci, co, z)
    with np.errstate(over="ignore"):
        # The root needs b^2 + 4ac without underflow: coefficients well above 1e-150.
        healthy = np.all((A + C > 1e-150) & (B + D > 1e-150) & np.isfinite(A + B + C + D))
    if not healthy:
        # Permeabilities so small (or large) that P*c under- or overflows: only their ratios
        # matter, so divide by the largest one of each condition and recompute.
        P = P / np.max(P, axis=-1, keepdims=True)
        A, B, C, D = quadratic_coefficients(P, ci, co, z)
    if not np.any(np.abs(z) == 2):
        return np.log(B / A)
    a = B + D
    b = B - A
    c = A + C  # the constant term is -c; a >= 0, c > 0: exactly one positive root
    # Cancellation-free roots: with s = |b| + sqrt(b^2 + 4ac), the positive root is 2c/s when
    # b >= 0 and s/(2a) when b < 0; u = -ln x = ln(den/num).
    s = np.sqrt(b * b + 4.0 * a * c)
    s += np.abs(b)
    upward = b >= 0
    num = np.where(upward, 2.0 * c, s)
    den = np.where(upward, s, 2.0 * a)
    den /= num
    return np.log(den, out=den) if den.ndim else np.log(den)


def _ghk_u_bracketed(P: np.ndarray, ci: np.ndarray, co: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Zero-current u = FV/RT for any valences: bracketed root of the monotonic total current."""
    z = np.broadcast_to(z, P.shape)
    permeant = P > 0
    safe_ci = np.where(permeant, ci, 1.0)
    safe_co = np.where(permeant, co, 1.0)
    u_ion = np.log(safe_co / safe_ci) / z  # each ion's Nernst potential in units of RT/F
    lo = np.min(np.where(permeant, u_ion, np.inf), axis=-1)
    hi = np.max(np.where(permeant, u_ion, -np.inf), axis=-1)
    pad = 1e-9 * (1.0 + np.maximum(np.abs(lo), np.abs(hi)))
    n = P.shape[-1]
    args = tuple(np.moveaxis(a, -1, 0)[k] for a in (P, safe_ci, safe_co, z) for k in range(n))

    def total_current(u: np.ndarray, *cols: np.ndarray) -> np.ndarray:
        Ps, cis, cos, zs = cols[:n], cols[n : 2 * n], cols[2 * n : 3 * n], cols[3 * n :]
        return sum(
            (
                zk * _flux(zk * u, pk, cik, cok)
                for pk, cik, cok, zk in zip(Ps, cis, cos, zs, strict=True)
            ),
            start=np.zeros_like(u),
        )

    from scipy.optimize.elementwise import find_root  # lazy: scipy.optimize costs ~0.4 s

    res = find_root(total_current, (lo - pad, hi + pad), args=args)
    if not np.all(res.success):
        raise RuntimeError(f"GHK voltage root finder did not converge (status {res.status})")
    return np.asarray(res.x)


def ghk_slope_conductance(
    ion: str | int | ArrayLike,
    /,
    *,
    v_m: ArrayLike,
    permeability: ArrayLike,
    c_in: ArrayLike,
    c_out: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""GHK slope conductance dI/dV of one ion at the membrane potential ``v_m``.

    The derivative of :func:`ghk_current` with respect to V. With
    :math:`g(w) = w / (1 - e^{-w})` and :math:`w = zFV/RT`,

    .. math::

        I = P z F \, g(w) \left(c_{in} - c_{out} e^{-w}\right), \qquad
        \frac{dI}{dV} = \frac{z F}{R T} \, P z F
            \left[g'(w) \left(c_{in} - c_{out} e^{-w}\right) + g(w)\, c_{out} e^{-w}\right]

    At the ion's own reversal potential this is the one-ion limit
    :math:`P z^2 F^2/(RT) \cdot c_{in} c_{out} \ln(c_{out}/c_{in}) / (c_{out} - c_{in})`.

    Parameters
    ----------
    ion : str, int or array of int
        Ion name or valence z (non-zero).
    v_m : array_like
        Membrane potential V_in - V_out. [mV]
    permeability : array_like
        Permeability P (>= 0). [cm/s]
    c_in, c_out : array_like
        Concentrations inside and outside (>= 0). [mM]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    G : float or ndarray
        Slope conductance per unit area, mA/cm^2 per mV. [S/cm^2]

    Raises
    ------
    ValueError
        As :func:`ghk_current`.

    See Also
    --------
    ghk_current : the current whose derivative this is.
    ghk_voltage : the potential at which the total GHK current is zero.

    Notes
    -----
    :math:`g` and :math:`g'` are evaluated through :math:`a = |w|` with
    :math:`g(-a) = g(a) - a` and :math:`g'(-a) = 1 - g'(a)`, so no exponential exceeds 1 and
    the removable singularity at V = 0 (:math:`g = 1`, :math:`g' = 1/2`) is exact.

    Examples
    --------
    K+ alone, 140 mM in, 5 mM out, P = 1e-6 cm/s, at E_K (-89.06 mV) and 37 degC: the one-ion
    limit gives 6.24e-5 S/cm^2 (a membrane time constant C/G of 16 ms at 1 uF/cm^2):

    >>> G = ghk_slope_conductance("K+", v_m=-89.0595, permeability=1e-6, c_in=140, c_out=5)
    >>> f"{G:.2e}"
    '6.24e-05'

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14
       (GHK current equation, slope and chord conductance).
    """
    z, w, P, ci, co = _flux_inputs(v_m, ion, permeability, c_in, c_out, celsius)
    vt_mv = GAS_CONSTANT * np.asarray(kelvin(celsius)) / FARADAY * 1e3
    g, dg = _exprel_inv(w)
    co_decay = co * np.exp(-w)  # finite for |V| below about 9 V at z = 2
    dI_dw = P * z * FARADAY * _MOL_PER_CM3_PER_MM * 1e3 * (dg * (ci - co_decay) + g * co_decay)
    return scalar_or_array(dI_dw * z / vt_mv)


def _exprel_inv(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """g(w) = w/(1-e^-w) and g'(w), without 0/0 at w = 0 or overflow for w < 0.

    g(-a) = g(a) - a and g'(-a) = 1 - g'(a) reduce everything to a = |w| >= 0.
    """
    a = np.abs(w)
    em = np.exp(-a)
    one_minus = -np.expm1(-a)
    small = a < 1e-5
    with np.errstate(invalid="ignore", divide="ignore"):
        g_a = np.where(small, 1.0 + a / 2.0, a / one_minus)
        dg_a = np.where(small, 0.5 + a / 6.0, (one_minus - a * em) / one_minus**2)
    g = np.where(w >= 0, g_a, g_a - a)
    dg = np.where(w >= 0, dg_a, 1.0 - dg_a)
    return g, dg
