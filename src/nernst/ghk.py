"""Goldman-Hodgkin-Katz (GHK) constant-field equations: current, flux, conductances, voltage.

Conventions: V = V_in - V_out in mV; concentrations in mM; permeability in cm/s; positive flux
and current are outward (cations leaving the cell carry outward current; anions leaving carry
inward current). Currents are in NEURON's units, mA/cm^2.

Each equation has one body, written against an array namespace ``xp``: Python floats run it
through ``math`` (:data:`nernst._validate.SCALAR`), NumPy input through NumPy, arrays of
other Array API libraries (array_api_strict, Dask, JAX, ...) through their own namespace
(:func:`nernst._validate.namespace`).

References
----------
.. [1] Goldman D.E. (1943) Potential, impedance, and rectification in membranes. J. Gen.
   Physiol. 27:37-60. https://doi.org/10.1085/jgp.27.1.37
.. [2] Hodgkin A.L., Katz B. (1949) The effect of sodium ions on the electrical activity of
   the giant axon of the squid. J. Physiol. 108:37-77.
   https://doi.org/10.1113/jphysiol.1949.sp004310
.. [3] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14.
.. [4] Lewis C.A. (1979) Ion-concentration dependence of the reversal potential and the
   single channel conductance of ion channels at the frog neuromuscular junction.
   J. Physiol. 286:417-445 (GHK voltage with divalent ions).
   https://doi.org/10.1113/jphysiol.1979.sp012629
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nernst._deprecate import warn_deprecated
from nernst._validate import (
    SCALAR,
    SCALAR_RAISING,
    all_finite,
    all_true,
    broadcast_shape,
    checked,
    ion_mapping,
    is_foreign,
    namespace,
    real,
    result,
    scalar_body,
    to_numpy,
    valence_array,
)
from nernst.constants import (
    _RT_OVER_F,
    BODY_TEMPERATURE_C,
    FARADAY,
    MA_PER_A,
    MAX_CELSIUS,
    MOL_PER_CM3_PER_MM,
    ZERO_CELSIUS,
    rt_over_f,
)
from nernst.ions import _charges as _CHARGES
from nernst.ions import ions, valence

__all__ = [
    "ghk_chord_conductance",
    "ghk_current",
    "ghk_flux",
    "ghk_flux_kernel",
    "ghk_slope_conductance",
    "ghk_voltage",
]

#: Conditions per block of the NumPy GHK voltage (temporaries stay in cache; bounded memory).
_CHUNK = 16384


#: The default of ``v_m`` where the old call ``f(v, ion, ...)`` still works (v_m is required
#: in the new one): only this very object means "not given". A string, not an ``object()``:
#: the units wrapper (:func:`nernst.units.quantity_aware`) forwards a call whose arguments
#: are all of plain types after one type check each, and sends any other through its slow
#: path; and not a NaN, which would make the signature unequal to itself.
_MISSING: Any = "<required>"


# --------------------------------------------------------------------------- one ion


def _ion_and_v_m(func: str, ion: Any, old_ion: Any, v_m: Any) -> tuple[Any, Any]:
    """(ion, v_m) from ``func(ion, v_m=...)`` or from the deprecated ``func(v, ion)``."""
    if old_ion is not None:
        if v_m is not _MISSING:
            raise TypeError(
                f"{func}() takes the ion as its only positional argument; give the membrane "
                "potential as v_m= (mV)"
            )
        warn_deprecated(f"{func}(v, ion, ...)", f"{func}(ion, v_m=v, ...)", stacklevel=4)
        return old_ion, ion
    if v_m is _MISSING:
        raise TypeError(f"{func}() is missing the keyword argument v_m (membrane potential, mV)")
    return ion, v_m


def _one_ion_inputs(
    ion: Any, v_m: Any, permeability: Any, c_in: Any, c_out: Any, celsius: Any, c_check: str
) -> tuple[Any, ...]:
    """Validated (xp, z, w = zFV/RT, V, P, c_in, c_out, RT/F) of a one-ion call."""
    z = valence(to_numpy(ion) if is_foreign(ion) else ion)
    xp, dtype = namespace(z, v_m, permeability, c_in, c_out, celsius)
    vt = rt_over_f(xp, dtype, celsius)
    V = real(xp, dtype, "v_m", v_m, "finite", what="membrane potential", unit="mV")
    P = real(
        xp, dtype, "permeability", permeability, "non_negative", what="permeability", unit="cm/s"
    )
    ci = real(xp, dtype, "c_in", c_in, c_check, what="concentration", unit="mM")
    co = real(xp, dtype, "c_out", c_out, c_check, what="concentration", unit="mM")
    zx = z if type(z) is int else xp.asarray(z, dtype=dtype)
    if xp is SCALAR:
        return xp, zx, zx * V / vt, V, P, ci, co, vt
    try:
        w = zx * V / vt
        np.broadcast_shapes(np.shape(w), np.shape(P), np.shape(ci), np.shape(co))
    except (ValueError, TypeError):  # JAX raises TypeError for shapes
        broadcast_shape(
            z=z, v_m=v_m, permeability=permeability, c_in=c_in, c_out=c_out, celsius=celsius
        )
        raise
    return xp, zx, w, V, P, ci, co, vt


def _flux_body(xp: Any, w: Any, P: Any, ci: Any, co: Any) -> Any:
    """GHK flux P w/(1 - e^-w) (ci - co e^-w) in [P][c] units: the one body.

    With a = |w|: for w >= 0 it is P a/(1-e^-a) (ci - co e^-a); for w < 0 the same expression
    multiplied through by e^w, P a/(1-e^-a) (ci e^-a - co), so no exponential exceeds 1. For
    a < 1e-3 the series P [(ci - co) + w (ci + co)/2 + w^2 (ci - co)/12] replaces it (the
    next term, -(ci - co) w^4/720, is below 2e-15 relative): exact at w = 0 and, under JAX,
    differentiable there (the exact branch never sees a = 0, so no 0/0 reaches a gradient).
    """
    a = xp.abs(w)
    small = a < 1e-3
    a_safe = xp.where(small, 1.0, a)
    decay = xp.exp(-a_safe)
    factor = P * (a_safe / -xp.expm1(-a_safe))
    exact = xp.where(w >= 0, factor * (ci - co * decay), factor * (ci * decay - co))
    series = P * ((ci - co) + w * ((ci + co) / 2 + w * (ci - co) / 12))
    return xp.where(small, series, exact)


def ghk_flux_kernel(w: Any, P: Any, ci: Any, co: Any) -> Any:
    """The GHK flux body on trusted NumPy input, without validation (for ODE right-hand sides).

    ``P w/(1 - e^-w) (c_in - c_out e^-w)`` with ``w = zFV/RT`` (dimensionless), in units of
    ``P * c`` (cm/s * mM); :func:`ghk_flux` is the validated public form and calls the same
    body. Solvers call this thousands of times per run, and their trial states may hold
    slightly negative concentrations that :func:`ghk_flux` would (rightly) reject.

    Python floats for all four arguments run the scalar form of the same body (generated
    from its source by :func:`nernst._validate.scalar_body`, checked against the NumPy run to
    a few units in the last place: math's exp against NumPy's), which is what an ODE
    right-hand side on a handful of ions needs: a NumPy call per 4-element array costs more
    than the arithmetic.

    Examples
    --------
    >>> float(ghk_flux_kernel(np.array(0.0), 1.0, 140.0, 5.0))   # at V = 0: P (c_in - c_out)
    135.0
    >>> ghk_flux_kernel(0.0, 1.0, 140.0, 5.0)                     # floats in, a float out
    135.0
    """
    if type(w) is float and type(P) is float and type(ci) is float and type(co) is float:
        return (_SCALAR_FLUX_BODY or scalar_flux_body())(SCALAR, w, P, ci, co)
    with np.errstate(all="ignore"):
        return np.asarray(_flux_body(np, w, P, ci, co))


def _finite_or_raise(
    xp: Any, value: Any, what: str, v_m: Any, others: Mapping[str, Any] | None = None
) -> Any:
    """``value`` unless it overflowed (eager input): then a ValueError naming v_m, or, when
    v_m is a plausible potential, the other inputs ``others`` (name -> value) whose size
    made the result overflow."""
    with np.errstate(all="ignore"):
        finite_ = all_finite(xp, value)
    if finite_ is False:

        def largest(x: Any) -> float:
            arr = np.abs(np.asarray(to_numpy(x) if is_foreign(x) else x, dtype=float))
            return float(np.max(arr, initial=0.0))

        v = largest(v_m)
        v_arr = np.asarray(to_numpy(v_m) if is_foreign(v_m) else v_m, dtype=float).ravel()
        v_signed = float(v_arr[np.argmax(np.abs(v_arr))]) if v_arr.size else 0.0
        if others and v <= _PLAUSIBLE_MV:
            sizes = ", ".join(f"{name} up to {largest(x):g}" for name, x in others.items())
            raise ValueError(
                f"the {what} at v_m={v_signed:g} mV overflows the float range ({sizes}): the "
                "product of permeability and concentration is beyond about 1e300; "
                "permeability is in cm/s and concentrations in mM"
            )
        raise ValueError(
            f"the {what} at v_m={v_signed:g} mV overflows the float range; "
            "|v_m| must be a membrane potential, far below 1e300 mV"
        )
    return value


#: |v_m| up to which an overflow is blamed on the other inputs (no membrane comes close). [mV]
_PLAUSIBLE_MV = 1e6


def ghk_flux(
    ion: str | int | ArrayLike,
    _old_ion: Any = None,
    /,
    *,
    v_m: ArrayLike = _MISSING,
    permeability: ArrayLike,
    c_in: ArrayLike,
    c_out: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""GHK flux of one ion through the membrane, outward positive.

    .. math::

        \Phi = P \, \frac{w}{1 - e^{-w}} \left(c_{in} - c_{out} e^{-w}\right),
        \qquad w = \frac{z F V}{R T}

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
    flux : float or ndarray
        Net flux, positive when ions leave the cell; an array of the input's library for
        array_api_strict, Dask or JAX input (lazy for Dask, jit-able and differentiable
        everywhere, V = 0 included, for JAX). [mol cm^-2 s^-1]

    Raises
    ------
    ValueError
        Non-finite V, negative or non-finite permeability or concentration, a value that is
        not a real number, z = 0, bad temperature, a flux beyond the float range.

    See Also
    --------
    ghk_current : the same flux as a current density, z F times it.
    ghk_voltage : the potential at which the GHK currents of several ions cancel.

    Notes
    -----
    The factor :math:`w/(1-e^{-w})` is evaluated with ``expm1`` (the "exprel" form) and by
    its series near w = 0, so there is no 0/0 at V = 0 (where the flux is
    ``P (c_in - c_out)``), and the equation is rearranged for w < 0 so that no exponential
    exceeds 1: the flux is finite for ``|V|`` far beyond 1000 mV. The old call
    ``ghk_flux(v, ion, ...)`` still works and warns (``NernstDeprecationWarning``); the
    positional-only ``_old_ion`` slot of the signature exists only for it.

    Examples
    --------
    Cl- leaving a cell with 100 mM inside and none outside at 0 mV, P = 1e-6 cm/s:
    P c_in = 1e-6 cm/s * 1e-4 mol/cm^3:

    >>> f"{ghk_flux('Cl-', v_m=0.0, permeability=1e-6, c_in=100, c_out=0):.1e}"
    '1.0e-10'

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., eq. 14-6.
    .. [2] Goldman D.E. (1943) J. Gen. Physiol. 27:37-60. https://doi.org/10.1085/jgp.27.1.37
    """
    if _old_ion is None:  # Python numbers only: the one body on floats, the cheapest checks
        flux_scalar = _scalar_call(_flux, ion, v_m, permeability, c_in, c_out, celsius)
        if flux_scalar is not None:
            return flux_scalar
    return _one_ion_equation(
        _flux, "ghk_flux", "GHK flux", ion, _old_ion, v_m, permeability, c_in, c_out, celsius
    )


def ghk_current(
    ion: str | int | ArrayLike,
    _old_ion: Any = None,
    /,
    *,
    v_m: ArrayLike = _MISSING,
    permeability: ArrayLike,
    c_in: ArrayLike,
    c_out: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""GHK current density of one ion, outward positive (NEURON's ``ghk`` times P).

    .. math::

        I = P \, z F \, \frac{w}{1 - e^{-w}} \left(c_{in} - c_{out} e^{-w}\right),
        \qquad w = \frac{z F V}{R T}

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
    I : float or ndarray
        Current density, positive outward; an array of the input's library for
        array_api_strict, Dask or JAX input, as :func:`ghk_flux`. [mA/cm^2]

    Raises
    ------
    ValueError
        As :func:`ghk_flux`.

    See Also
    --------
    ghk_flux : the same in mol cm^-2 s^-1.
    ghk_slope_conductance : dI/dV.
    ghk_chord_conductance : I / (V - E).
    ghk_voltage : the potential at which the currents of several ions cancel.

    Notes
    -----
    Exact at V = 0 (``I = P z F (c_in - c_out)``) and finite for ``|V|`` up to 1000 mV and far
    beyond; see :func:`ghk_flux` for the numerics. ``ghk_current(v, ion, ...)`` (the old
    positional form) still works and warns (``NernstDeprecationWarning``); the
    positional-only ``_old_ion`` slot of the signature exists only for it.

    Examples
    --------
    NEURON's regression value for ``ghk(-50, 0.001, 10, 2)`` at 6.3 degC (P = 1 cm/s):

    >>> round(ghk_current("Ca2+", v_m=-50, permeability=1, c_in=0.001, c_out=10, celsius=6.3), 2)
    -8141.35

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., eq. 14-6.
    .. [2] Hines M.L., Carnevale N.T. NEURON simulator, ``ghk()`` in ``nrn/share/lib/nrnunits``
       and its regression tests.
    """
    if _old_ion is None:  # Python numbers only: the one body on floats, the cheapest checks
        I_scalar = _scalar_call(_current, ion, v_m, permeability, c_in, c_out, celsius)
        if I_scalar is not None:
            return I_scalar
    return _one_ion_equation(
        _current,
        "ghk_current",
        "GHK current",
        ion,
        _old_ion,
        v_m,
        permeability,
        c_in,
        c_out,
        celsius,
    )


def _one_ion_equation(
    equation: Callable[..., Any],
    name: str,
    what: str,
    ion: Any,
    old_ion: Any,
    v_m: Any,
    permeability: Any,
    c_in: Any,
    c_out: Any,
    celsius: Any,
) -> Any:
    """The validated path shared by :func:`ghk_flux` and :func:`ghk_current`: inputs checked
    once, ``equation`` (the one body) evaluated, an overflow named (never an inf)."""
    ion, v_m = _ion_and_v_m(name, ion, old_ion, v_m)
    xp, zx, w, _, P, ci, co, _ = _one_ion_inputs(
        ion, v_m, permeability, c_in, c_out, celsius, "non_negative"
    )
    if xp is SCALAR:
        value = equation(xp, zx, w, P, ci, co)
    else:
        with np.errstate(all="ignore"):
            value = equation(xp, zx, w, P, ci, co)
    others = {"permeability": permeability, "c_in": c_in, "c_out": c_out}
    return result(xp, _finite_or_raise(xp, value, what, v_m, others))


#: mA/cm^2 per (mM cm/s) of flux per unit valence: F * 1e-6 mol/cm^3/mM * 1e3 mA/A.
_CURRENT_PER_FLUX = FARADAY * MOL_PER_CM3_PER_MM * MA_PER_A

_NUMBERS = (float, int)


def _current(xp: Any, z: Any, w: Any, P: Any, ci: Any, co: Any, body: Any = _flux_body) -> Any:
    """I [mA/cm^2] = z F flux: mol/(cm^2 s) * C/mol = A/cm^2, * 1e3."""
    return z * _CURRENT_PER_FLUX * body(xp, w, P, ci, co)


def _flux(xp: Any, z: Any, w: Any, P: Any, ci: Any, co: Any, body: Any = _flux_body) -> Any:
    """Flux [mol/(cm^2 s)]: the body's mM cm/s times 1e-6 (mol/cm^3)/mM."""
    return body(xp, w, P, ci, co) * MOL_PER_CM3_PER_MM


def scalar_flux_body() -> Any:
    """:func:`_flux_body` for Python floats (:func:`nernst._validate.scalar_body`), made on
    the first scalar call and kept in :data:`_SCALAR_FLUX_BODY`."""
    global _SCALAR_FLUX_BODY
    if _SCALAR_FLUX_BODY is None:
        _SCALAR_FLUX_BODY = scalar_body(_flux_body)
    return _SCALAR_FLUX_BODY


_SCALAR_FLUX_BODY: Any = None


def _scalar_call(
    equation: Any, ion: Any, v_m: Any, P: Any, c_in: Any, c_out: Any, celsius: Any
) -> float | None:
    """``equation(SCALAR, z, w, P, c_in, c_out)`` (:func:`_current` or :func:`_flux`) for a
    one-ion call made of valid Python numbers, with the inputs :func:`_one_ion_inputs` would
    give; None for anything else (arrays, a bad or unusual value, a result beyond the float
    range): the caller then takes the general path, which names the problem.

    This is the scalar fast path of :func:`ghk_current` and :func:`ghk_flux` (a call must be
    within 3x of NEURON's ``h.ghk``, ``benchmarks/core.py`` line D). Only the checks are
    shortened; the equation is the one body, run on :data:`~nernst._validate.SCALAR`, and
    ``tests/test_validate.py`` checks with Hypothesis that it gives the NumPy result of the
    same body to a few units in the last place (math's exp/expm1 against NumPy's, which
    differ in the last bit for some arguments on AVX-512 machines).
    """
    z: int | None
    if type(ion) is int:
        z = ion
    elif type(ion) is str:
        z = _CHARGES().get(ion)
    else:
        return None
    if not z or (type(celsius) is not float and type(celsius) is not int):
        return None
    try:
        vt = _RT_OVER_F[celsius]  # RT/F of a temperature seen before (valid, so cached)
    except KeyError:
        if not -ZERO_CELSIUS < celsius <= MAX_CELSIUS:
            return None
        vt = rt_over_f(SCALAR, float, celsius)
    if type(v_m) is float and type(P) is float and type(c_in) is float and type(c_out) is float:
        V, ci, co = v_m, c_in, c_out
    elif (
        type(v_m) in _NUMBERS
        and type(P) in _NUMBERS
        and type(c_in) in _NUMBERS
        and type(c_out) in _NUMBERS
    ):
        try:  # x * 1.0 is float(x), exactly, for a float or an int
            V, P, ci, co = v_m * 1.0, P * 1.0, c_in * 1.0, c_out * 1.0
        except OverflowError:  # an int beyond the float range
            return None
    else:
        return None
    try:
        w = z * V / vt
    except OverflowError:  # a valence beyond the float range
        return None
    total = V + P + ci + co  # finite iff all four are (or inf: the general path decides)
    if P >= 0.0 and ci >= 0.0 and co >= 0.0 and total - total == 0.0:
        body = _SCALAR_FLUX_BODY or scalar_flux_body()
        try:  # SCALAR_RAISING: math's functions; an overflow raises instead of giving inf
            out: float = equation(SCALAR_RAISING, z, w, P, ci, co, body)
        except (OverflowError, ValueError, ZeroDivisionError):
            return None
        if out - out == 0.0:  # finite
            return out
    return None


def _exprel_inv(xp: Any, w: Any) -> tuple[Any, Any]:
    """g(w) = w/(1-e^-w) and g'(w), without 0/0 at w = 0 or overflow for w < 0.

    g(-a) = g(a) - a and g'(-a) = 1 - g'(a) reduce everything to a = |w| >= 0.
    """
    a = xp.abs(w)
    small = a < 1e-5
    a_safe = xp.where(small, 1.0, a)
    em = xp.exp(-a_safe)
    one_minus = -xp.expm1(-a_safe)
    g_a = xp.where(small, 1.0 + a / 2.0, a_safe / one_minus)
    dg_a = xp.where(small, 0.5 + a / 6.0, (one_minus - a_safe * em) / (one_minus * one_minus))
    g = xp.where(w >= 0, g_a, g_a - a)
    dg = xp.where(w >= 0, dg_a, 1.0 - dg_a)
    return g, dg


def _slope(xp: Any, z: Any, w: Any, P: Any, ci: Any, co: Any, vt: Any) -> Any:
    """dI/dV [S/cm^2] = (z/V_T) P z F [g'(w) (ci - co e^-w) + g(w) co e^-w]."""
    g, dg = _exprel_inv(xp, w)
    co_decay = co * xp.exp(-w)  # finite for |V| below about 9 V at z = 2
    return P * z * _CURRENT_PER_FLUX * (dg * (ci - co_decay) + g * co_decay) * z / vt


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
    ghk_chord_conductance : I / (V - E), the conductance of Ohm's-law models.
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
    xp, zx, w, _, P, ci, co, vt = _one_ion_inputs(
        ion, v_m, permeability, c_in, c_out, celsius, "non_negative"
    )
    with np.errstate(all="ignore"):
        G = _slope(xp, zx, w, P, ci, co, vt)
    return result(xp, _finite_or_raise(xp, G, "GHK slope conductance", v_m))


def ghk_chord_conductance(
    ion: str | int | ArrayLike,
    /,
    *,
    v_m: ArrayLike,
    permeability: ArrayLike,
    c_in: ArrayLike,
    c_out: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""GHK chord conductance I/(V - E) of one ion at the membrane potential ``v_m``.

    .. math::

        G_{chord} = \frac{I_{GHK}(V)}{V - E}, \qquad
        E = \frac{RT}{zF} \ln\frac{c_{out}}{c_{in}}

    the conductance that makes Ohm's law :math:`I = G (V - E)` give the GHK current at V. At
    V = E it is the limit, the slope conductance at E.

    Parameters
    ----------
    ion : str, int or array of int
        Ion name or valence z (non-zero).
    v_m : array_like
        Membrane potential V_in - V_out. [mV]
    permeability : array_like
        Permeability P (>= 0). [cm/s]
    c_in, c_out : array_like
        Concentrations inside and outside (> 0: E must exist). [mM]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    G : float or ndarray
        Chord conductance per unit area, mA/cm^2 per mV. [S/cm^2]

    Raises
    ------
    ValueError
        As :func:`ghk_current`; a zero concentration (no reversal potential).

    See Also
    --------
    ghk_slope_conductance : dI/dV, equal to the chord conductance at V = E.
    ghk_current : the current.
    nernst.equilibrium_potential : E.

    Notes
    -----
    Within :math:`|w - w_E| < 10^{-5}` of the reversal potential the quotient would lose
    digits to cancellation in I; there the chord conductance is the mean slope over
    [E, V], evaluated as the slope conductance at (V + E)/2 (error of order
    :math:`(w - w_E)^2/24`, below 1e-11 relative).

    Examples
    --------
    The chord conductance of K+ (140 mM in, 5 mM out, P = 1e-6 cm/s, 37 degC) at -70 mV, and
    at E_K, where it equals the slope conductance (6.24e-5 S/cm^2):

    >>> f"{ghk_chord_conductance('K+', v_m=-70, permeability=1e-6, c_in=140, c_out=5):.3e}"
    '7.439e-05'
    >>> f"{ghk_chord_conductance('K+', v_m=-89.0595, permeability=1e-6, c_in=140, c_out=5):.2e}"
    '6.24e-05'

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14
       (chord and slope conductance of the GHK current).
    """
    xp, zx, w, _, P, ci, co, vt = _one_ion_inputs(
        ion, v_m, permeability, c_in, c_out, celsius, "positive"
    )
    with np.errstate(all="ignore"):
        w_rev = xp.log(co) - xp.log(ci)  # zFE/RT
        dw = w - w_rev
        near = xp.abs(dw) < 1e-5
        I = _current(xp, zx, w, P, ci, co)
        far = I / (xp.where(near, 1.0, dw) * vt / zx)
        mid = (w + w_rev) / 2
        G = xp.where(near, _slope(xp, zx, mid, P, ci, co, vt), far)
    return result(xp, _finite_or_raise(xp, G, "GHK chord conductance", v_m))


# --------------------------------------------------------------------------- GHK voltage


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
    taken with the cancellation-free form of the quadratic formula. Any other set of integer
    valences gives a polynomial in x (see Notes), solved by a vectorised safeguarded Newton
    iteration bracketed by the lowest and highest Nernst potential of the permeant ions.

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
        Valences of the ions along ``axis`` (or their names), one per ion, for array input
        only.
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
        there. [mV]

    Raises
    ------
    ValueError
        Negative or non-finite permeability, all permeabilities zero, non-positive or
        non-finite concentration of a permeant ion, a value that is not a real number, an
        ion missing from ``c_in``/``c_out`` or named twice (directly or by an alias), z = 0,
        ``z`` missing for array input, shapes that do not broadcast, bad temperature.

    See Also
    --------
    nernst.equilibrium_potential : the one-ion case.
    ghk_current : the current of each ion, whose sum is zero at V.

    Notes
    -----
    *The polynomial.* With :math:`x = e^{-u}`, :math:`u = FV/RT`, an ion of valence z
    contributes :math:`z^2 P (a - b x^m)/(1 - x^m)` to the total current divided by u, where
    :math:`m = |z|` and :math:`(a, b) = (c_{in}, c_{out})` for cations, :math:`(c_{out},
    c_{in})` for anions. Multiplying by :math:`(1 - x) \prod_m S_m(x)`, with
    :math:`S_m = 1 + x + ... + x^{m-1}` over the distinct m, gives a polynomial F(x) whose
    sign is that of the total current for every x > 0 (the factors are positive), hence one
    positive root. For {+-1, +-2} it is the quadratic above; for {+-1, +-3} a cubic.

    *The solve.* Newton's method on :math:`F(e^{-u})` in u (evaluated in
    :math:`e^{-|u|} \le 1`, with the reversed polynomial for u < 0, so nothing overflows),
    kept inside the bracket of the extreme Nernst potentials by bisection whenever a step
    larger than the tolerance would leave it. It stops when the step is below
    :math:`2\cdot10^{-14}(1 + |u|)`; the error is then far below 1e-12 mV (checked against a
    40-digit mpmath bisection in
    ``tests/test_ghk_mpmath.py`` and ``benchmarks/run.py``). NumPy input is solved in blocks
    of 16384 conditions, so the extra memory stays a fraction of the output; Dask solves
    block by block (``map_blocks``); JAX under ``jit`` runs a fixed 64 iterations.

    *Range.* Only ratios of permeabilities and of concentrations matter: permeabilities whose
    products with concentrations would under- or overflow are rescaled by their largest
    value, and monovalent conditions whose sums leave the float range (e.g. 1e-300 mM
    against 1e300 mM) are evaluated from logarithms, exactly. With divalent or higher
    valences such a condition is a ValueError.

    Examples
    --------
    The seed chapter's neuron, P_K : P_Na : P_Cl = 1 : 0.04 : 0.45 at 37 degC:

    >>> round(ghk_voltage({"K+": 1, "Na+": 0.04, "Cl-": 0.45},
    ...                   c_in={"K+": 140, "Na+": 10, "Cl-": 10},
    ...                   c_out={"K+": 5, "Na+": 145, "Cl-": 110}), 1)
    -67.3

    A trivalent ion alone gives its Nernst potential, (RT/3F) ln(2/1e-3) at 37 degC:

    >>> round(ghk_voltage([1.0], c_in=[1e-3], c_out=[2.0], z=[3]), 3)
    67.716

    References
    ----------
    .. [1] Goldman D.E. (1943) J. Gen. Physiol. 27:37-60. https://doi.org/10.1085/jgp.27.1.37
    .. [2] Hodgkin A.L., Katz B. (1949) J. Physiol. 108:37-77.
       https://doi.org/10.1113/jphysiol.1949.sp004310
    .. [3] Lewis C.A. (1979) J. Physiol. 286:417-445.
       https://doi.org/10.1113/jphysiol.1979.sp012629
    """
    xp, dtype, cols, zs, labels, shape, stacked = _voltage_inputs(
        permeability, c_in, c_out, z, axis, celsius
    )
    vt = rt_over_f(xp, dtype, celsius)
    if xp is SCALAR:
        return float(_zero_current_u(xp, dtype, cols, zs, labels) * vt)
    try:
        np.broadcast_shapes(shape, np.shape(vt))
    except ValueError:
        raise ValueError(
            f"celsius of shape {np.shape(celsius)} does not broadcast with the conditions {shape}"
        ) from None
    with np.errstate(all="ignore"):
        if xp is np:
            u = _numpy_blocks(cols, zs, labels, shape, stacked)
            if type(u) is np.ndarray and u.ndim and np.shape(vt) in ((), u.shape[-np.ndim(vt) :]):
                # u is this call's own array: scale it in place (no second output-sized array)
                return result(xp, np.multiply(u, vt, out=u))
        else:
            u = _zero_current_u(xp, dtype, cols, zs, labels)
    return result(xp, u * vt)


def _numpy_blocks(
    cols: list[tuple[Any, Any, Any]],
    zs: list[int],
    labels: list[str],
    shape: tuple[int, ...],
    stacked: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
) -> Any:
    """The NumPy solve in blocks of at most :data:`_CHUNK` conditions (temporaries stay in
    cache, extra memory stays bounded), cut on the number of conditions: along the first
    axis when its rows are small, else along the first axis whose trailing rows fit (a
    (2, 10**6) grid is solved in pieces of 16384, not in two rows of 10**6). Array input is
    screened per block with three reductions (P >= 0, c > 0; NaN fails) and the full
    validation runs only for a block that fails the screen or whose result is not finite (an
    infinite input)."""
    if math.prod(shape) <= _CHUNK:
        return _block(cols, zs, labels, stacked)
    u = np.empty(shape)
    for where in _chunk_indices(shape):
        block = [tuple(c[where] for c in col) for col in cols]
        part = None if stacked is None else tuple(a[where] for a in stacked)
        u[where] = _block(block, zs, labels, part)
    return u


def _chunk_indices(shape: tuple[int, ...]) -> Any:
    """Index tuples cutting ``shape`` into blocks of at most :data:`_CHUNK` elements (or one
    element of the last axis' rows when a single row is longer): whole trailing axes, a
    slice of the first axis whose trailing rows fit, single indices before it."""
    k = 0
    while math.prod(shape[k + 1 :]) > _CHUNK:
        k += 1
    step = max(1, _CHUNK // math.prod(shape[k + 1 :]))
    for lead in itertools.product(*(range(n) for n in shape[:k])):
        for i in range(0, shape[k], step):
            yield (*lead, slice(i, i + step))


def _block(
    cols: list[tuple[Any, Any, Any]],
    zs: list[int],
    labels: list[str],
    stacked: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
) -> Any:
    if stacked is not None:
        P, ci, co = stacked
        if (  # > 1e-75: no product P c can underflow the quadratic (see _healthy)
            P.size
            and np.minimum.reduce(P, axis=None) > 1e-75
            and np.minimum.reduce(ci, axis=None) > 1e-75
            and np.minimum.reduce(co, axis=None) > 1e-75
        ):
            u = _zero_current_u(np, np.float64, cols, zs, labels, screened=True)
            if u is not None:
                return u
    return _zero_current_u(np, np.float64, cols, zs, labels)


def grid_voltage(
    cols: list[tuple[Any, Any, Any]],
    zs: list[int],
    labels: list[str],
    celsius: Any,
    out: np.ndarray,
    *,
    screened: bool = False,
) -> np.ndarray:
    """:func:`ghk_voltage` [mV] on validated NumPy columns, written into ``out``.

    For :func:`nernst.sweep`: ``cols`` holds each ion's (P, c_in, c_out) as floats or arrays
    that broadcast to ``out.shape`` (a grid's 1-D axes reshaped, never broadcast in memory),
    already checked as :func:`_check_columns` would, once for the whole grid; ``celsius``
    broadcasts likewise. ``screened``: every P and c of the grid is above 1e-75, so no
    product can underflow (the caller checked once; see :func:`_block`). The valence sums
    are accumulated ion by ion in the order of ``cols`` (no matrix product), so the
    arithmetic is that of :func:`ghk_voltage` on the same columns stacked, to the last bit.
    """
    vt = rt_over_f(np, np.float64, celsius)
    with np.errstate(all="ignore"):
        u = _zero_current_u(np, np.float64, cols, zs, labels, screened=True) if screened else None
        if u is None:
            u = _zero_current_u(np, np.float64, cols, zs, labels, validated=True)
        np.multiply(u, vt, out=out)
    return out


def _voltage_inputs(
    permeability: Any, c_in: Any, c_out: Any, z: Any, axis: int, celsius: Any
) -> tuple[Any, Any, list[tuple[Any, Any, Any]], list[int], list[str], tuple[int, ...], Any]:
    """(xp, dtype, per-ion (P, c_in, c_out) columns broadcast to the conditions, valences,
    labels for messages, shape of the conditions, the stacked NumPy arrays of array input or
    None)."""
    if isinstance(permeability, Mapping):
        if z is not None:
            raise ValueError(
                "z is taken from the ion table when permeability is a mapping; drop z="
            )
        perm = ion_mapping("permeability", permeability)
        if not perm:
            raise ValueError("permeability is empty: give at least one permeant ion")
        for label, conc in (("c_in", c_in), ("c_out", c_out)):
            if not isinstance(conc, Mapping):
                raise ValueError(
                    f"{label} must be a mapping of ion name -> mM when permeability is one"
                )
        cin = ion_mapping("c_in", c_in)
        cout = ion_mapping("c_out", c_out)
        for name in perm:
            for label, mapping in (("c_in", cin), ("c_out", cout)):
                if name not in mapping:
                    raise ValueError(
                        f"{label} has no concentration for permeant ion {name!r}; "
                        "give it or set its permeability to 0"
                    )
        labels = list(perm)
        zs = [ions[name].charge for name in labels]
        raw = [(perm[n], cin[n], cout[n]) for n in labels]
        xp, dtype = namespace(*(v for col in raw for v in col), celsius)
        if xp is SCALAR:
            floats = [(float(p), float(i), float(o)) for p, i, o in raw]
            # Ions with zero permeability carry no current: leave them out, so that a P = 0
            # divalent ion does not change the equation solved (nor its last digit).
            keep = [k for k, col in enumerate(floats) if col[0] != 0.0] or list(range(len(raw)))
            floats = [floats[k] for k in keep]
            return xp, dtype, floats, [zs[k] for k in keep], [labels[k] for k in keep], (), None
        arrays = [
            tuple(
                _as_xp(xp, dtype, f"{what}[{n!r}]", v)
                for what, v in zip(("permeability", "c_in", "c_out"), col, strict=True)
            )
            for n, col in zip(labels, raw, strict=True)
        ]
        try:
            shape = tuple(np.broadcast_shapes(*(a.shape for col in arrays for a in col)))
        except ValueError:
            broadcast_shape(
                **{
                    f"{what}[{n!r}]": a
                    for n, col in zip(labels, arrays, strict=True)
                    for what, a in zip(("permeability", "c_in", "c_out"), col, strict=True)
                }
            )
            raise
        cols = [tuple(xp.broadcast_to(a, shape) for a in col) for col in arrays]
        return xp, dtype, cols, zs, labels, shape, None
    if z is None:
        raise ValueError(
            "z is required when permeability is an array: give the valence (or name) of "
            "each ion along axis, e.g. z=[1, 1, -1] for K+, Na+, Cl-"
        )
    if is_foreign(z):
        z = to_numpy(z)  # valences select the equation: they must be concrete
    if isinstance(c_in, Mapping) or isinstance(c_out, Mapping):
        raise ValueError("c_in and c_out must be arrays when permeability is an array")
    zz = np.array([valence(k) for k in z], float) if _is_names(z) else valence_array(z)
    if zz.ndim != 1:
        raise ValueError(f"z must hold one valence per ion (1-d), got shape {zz.shape}")
    xp, dtype = namespace(permeability, c_in, c_out, celsius)
    if xp is SCALAR:
        xp, dtype = np, np.float64
    P, ci, co = (
        _as_xp(xp, dtype, name, v)
        for name, v in (("permeability", permeability), ("c_in", c_in), ("c_out", c_out))
    )
    P, ci, co = (
        xp.moveaxis(a, axis, -1) if a.ndim and axis not in (-1, a.ndim - 1) else a
        for a in (P, ci, co)
    )
    try:
        full = tuple(np.broadcast_shapes(P.shape, ci.shape, co.shape, zz.shape, (1,)))
    except ValueError:
        raise ValueError(
            f"shapes do not broadcast with ions on the last axis: permeability {P.shape}, "
            f"c_in {ci.shape}, c_out {co.shape}, z {zz.shape}"
        ) from None
    if full[-1] != zz.shape[0]:
        raise ValueError(
            f"z has {zz.shape[0]} valences but the inputs have {full[-1]} ions along axis"
        )
    P, ci, co = (a if a.shape == full else xp.broadcast_to(a, full) for a in (P, ci, co))
    zs = [int(k) for k in zz]
    labels = [f"ion {k} along axis" for k in range(len(zs))]
    cols = [(P[..., k], ci[..., k], co[..., k]) for k in range(len(zs))]
    stacked = (P, ci, co) if xp is np else None
    return xp, dtype, cols, zs, labels, full[:-1], stacked


def _as_xp(xp: Any, dtype: Any, name: str, value: Any) -> Any:
    """A real array of namespace ``xp`` (checked for type only; values are checked later)."""
    if is_foreign(value):
        return value if value.dtype == dtype else xp.astype(value, dtype)
    from nernst._validate import as_float

    arr = as_float(name, value)
    return arr if xp is np else xp.asarray(arr, dtype=dtype)


def _is_names(z: Any) -> bool:
    return isinstance(z, Sequence) and not isinstance(z, str) and any(isinstance(k, str) for k in z)


def _check_columns(cols: list[tuple[Any, Any, Any]], labels: list[str]) -> None:
    """NumPy (or scalar) columns: P finite >= 0, c finite >= 0 and > 0 where P > 0, and at
    least one P > 0 per condition; the ValueError names the ion and the value."""
    for (P, ci, co), label in zip(cols, labels, strict=True):
        P = np.asarray(P, dtype=float)
        key = label if label.startswith("ion ") else repr(label)
        ok = np.isfinite(P) & (P >= 0)
        if not np.all(ok):
            bad = P[~ok].ravel()[0] if P.ndim else P
            raise ValueError(
                f"permeability[{key}]={float(bad):g}: a permeability must be zero or positive "
                "and finite [cm/s or relative]"
            )
        for name, c in (("c_in", ci), ("c_out", co)):
            c = np.asarray(c, dtype=float)
            bad_c = ~np.isfinite(c) | (c < 0) | ((P > 0) & (c == 0))
            if np.any(bad_c):
                value = c[bad_c].ravel()[0] if c.ndim else c
                raise ValueError(
                    f"{name}[{label}]={float(value):g}: concentrations must be finite and "
                    "non-negative, and positive for a permeant ion [mM]"
                )
    total = sum(np.asarray(col[0], dtype=float) for col in cols)
    if not np.all(np.asarray(total) > 0):
        raise ValueError(
            "all permeabilities are zero: the GHK voltage is undefined; give at least one "
            "ion a positive permeability"
        )


def _validated(
    xp: Any, cols: list[tuple[Any, Any, Any]], labels: list[str]
) -> list[tuple[Any, Any, Any]]:
    """The columns once :func:`_check_columns` holds (eagerly, or as graph checks/NaN for
    lazy and traced arrays, see :mod:`nernst._validate`)."""
    if xp is SCALAR or xp is np:
        if _quick_ok(cols):
            return cols
        _check_columns(cols, labels)
        return cols
    conds = []
    total: Any = None
    for P, ci, co in cols:
        permeant = P > 0
        conds.append(
            xp.isfinite(P)
            & (P >= 0)
            & xp.isfinite(ci)
            & (ci >= 0)
            & ~(permeant & (ci == 0))
            & xp.isfinite(co)
            & (co >= 0)
            & ~(permeant & (co == 0))
        )
        total = P if total is None else total + P
    ok = conds[0]
    for c in conds[1:]:
        ok = ok & c
    ok = ok & (total > 0)
    flat = [a for col in cols for a in col]
    n = len(cols)

    def check(*arrays: np.ndarray) -> None:
        _check_columns(
            [tuple(arrays[3 * k : 3 * k + 3]) for k in range(n)],  # type: ignore[misc]
            labels,
        )

    first = checked(xp, cols[0][0], ok, check, *flat)
    return [(first, cols[0][1], cols[0][2]), *cols[1:]]


def _quick_ok(cols: list[tuple[Any, Any, Any]]) -> bool:
    """Cheap screen of NumPy columns: every P >= 0 and finite, every c > 0 and finite."""
    for col in cols:
        for k, a in enumerate(col):
            if type(a) is float or np.ndim(a) == 0:
                v = float(a)
                if not ((v >= 0 if k == 0 else v > 0) and v < math.inf):
                    return False
            elif a.size and not ((a.min() >= 0 if k == 0 else a.min() > 0) and a.max() < np.inf):
                return False
    total = cols[0][0]
    for col in cols[1:]:
        total = total + col[0]
    return bool(total > 0) if type(total) is float else bool(np.min(total, initial=np.inf) > 0)


def _zero_current_u(
    xp: Any,
    dtype: Any,
    cols: list[tuple[Any, Any, Any]],
    zs: list[int],
    labels: list[str],
    screened: bool = False,
    validated: bool = False,
) -> Any:
    """u = FV/RT at zero total GHK current, the one body (any namespace).

    ``screened``: the caller checked P, c > 1e-75 (not finiteness); the columns are not
    validated here, and a result that is not finite everywhere gives None (the caller then
    validates in full). ``validated``: the caller checked the columns as
    :func:`_check_columns` does (a sweep, once for the whole grid)."""
    if xp is not SCALAR and xp is not np and not set(zs) <= {1, -1, 2, -2}:
        from array_api_compat import is_dask_array

        if is_dask_array(cols[0][0]):
            return _dask_blocks(xp, dtype, cols, zs, labels)
    if not (screened or validated):
        cols = _validated(xp, cols, labels)
    # Only ratios of permeabilities matter: divide by the largest where products P*c could
    # under- or overflow (always for lazy and traced arrays, which cannot be inspected).
    sums = _valence_sums(xp, cols, zs)
    # Screened blocks have P, c > 1e-75: a too large product shows as a non-finite result.
    if not screened and not _healthy(xp, sums):
        p_max = cols[0][0]
        for P, _, _ in cols[1:]:
            p_max = xp.maximum(p_max, P)
        cols = [(P / p_max, ci, co) for P, ci, co in cols]
        sums = _valence_sums(xp, cols, zs)
    m_set = sorted(sums)
    if m_set == [1]:
        A, B = sums[1]
        u = xp.log(B / A)
        if screened and not all_finite(xp, u):
            return None
        if not all_finite(xp, u):
            u = xp.where(xp.isfinite(u), u, _log_ratio_of_sums(xp, cols, zs))
        return u
    if m_set in ([2], [1, 2]):
        C, D = sums[2]
        A, B = sums.get(1, (C * 0.0, C * 0.0))
        u = _quadratic_u(xp, A, B, C, D)
    else:
        u = _newton_u(xp, cols, zs, sums)
    finite_u = all_finite(xp, u)
    if screened and not finite_u:
        return None
    if finite_u is False:
        raise ValueError(
            "the GHK voltage of these conditions is beyond the float range: the "
            "concentrations (or permeabilities) of the permeant ions span more than about "
            "1e300; only monovalent ions are solved from logarithms at such ratios"
        )
    return u


@functools.lru_cache(maxsize=256)
def _valence_weights(
    zs: tuple[int, ...],
) -> tuple[tuple[int, tuple[tuple[int, float, bool], ...]], ...]:
    """The weights of the valence sums, per distinct m = |z|: the ions k of that m with
    their weight m^2 and whether they are cations. With X_k = P c_in and Y_k = P c_out,
    A_m = sum m^2 (X_k for cations, Y_k for anions) and B_m = sum m^2 (Y_k for cations, X_k
    for anions), i.e. (a, b) = (c_in, c_out) for cations and (c_out, c_in) for anions."""
    ms = sorted({abs(z) for z in zs})
    return tuple(
        (m, tuple((k, float(z * z), z > 0) for k, z in enumerate(zs) if abs(z) == m)) for m in ms
    )


def _valence_sums(
    xp: Any, cols: list[tuple[Any, Any, Any]], zs: list[int]
) -> dict[int, tuple[Any, Any]]:
    """For each |z| = m: (A_m, B_m) = (sum m^2 P a, sum m^2 P b) (the A, B, C, D of the
    docstring), with the weights of :func:`_valence_weights`."""
    out: dict[int, tuple[Any, Any]] = {}
    for m, members in _valence_weights(tuple(zs)):
        A: Any = None
        B: Any = None
        for k, w, cation in members:
            P, ci, co = cols[k]
            a, b = (ci, co) if cation else (co, ci)
            pa = P * a if w == 1.0 else w * (P * a)
            pb = P * b if w == 1.0 else w * (P * b)
            A = pa if A is None else A + pa
            B = pb if B is None else B + pb
        out[m] = (A, B)
    return out


def _healthy(xp: Any, sums: dict[int, tuple[Any, Any]]) -> bool:
    """Whether the sums are safely inside the float range (False when unknowable)."""
    lo_a: Any = None
    lo_b: Any = None
    for a, b in sums.values():
        lo_a = a if lo_a is None else lo_a + a
        lo_b = b if lo_b is None else lo_b + b
    ok = (lo_a > 1e-150) & (lo_b > 1e-150) & (lo_a < 1e150) & (lo_b < 1e150)
    return all_true(xp, ok) is True


def _log_ratio_of_sums(xp: Any, cols: list[tuple[Any, Any, Any]], zs: list[int]) -> Any:
    """ln(B/A) of the monovalent equation from logarithms (log-sum-exp), for sums that leave
    the float range: exact for any positive finite concentrations."""

    def lse(terms: list[Any]) -> Any:
        top = terms[0]
        for t in terms[1:]:
            top = xp.maximum(top, t)
        total = xp.exp(terms[0] - top)
        for t in terms[1:]:
            total = total + xp.exp(t - top)
        return xp.log(total) + top

    la, lb = [], []
    for (P, ci, co), z in zip(cols, zs, strict=True):
        a, b = (ci, co) if z > 0 else (co, ci)
        lp = xp.log(P)
        la.append(lp + xp.log(a))
        lb.append(lp + xp.log(b))
    return lse(lb) - lse(la)


def _quadratic_u(xp: Any, A: Any, B: Any, C: Any, D: Any) -> Any:
    """u = -ln x of the positive root of (B + D) x^2 - (A - B) x - (A + C) = 0.

    With a = B + D, b = B - A, c = A + C > 0 and s = |b| + sqrt(b^2 + 4ac), the positive root
    is 2c/s when b >= 0 and s/(2a) when b < 0 (no cancellation either way)."""
    a = B + D
    b = B - A
    c = A + C
    s = xp.sqrt(b * b + 4.0 * a * c) + xp.abs(b)
    upward = b >= 0
    return xp.log(xp.where(upward, s, 2.0 * a) / xp.where(upward, 2.0 * c, s))


def _poly_mul(p: list[int], q: list[int]) -> list[int]:
    out = [0] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        for j, b in enumerate(q):
            out[i + j] += a * b
    return out


def _polynomial(sums: dict[int, tuple[Any, Any]]) -> list[Any]:
    """Coefficients c_0..c_d (ascending) of F(x) = sum_m (A_m - B_m x^m) prod_{m' != m} S_m'."""
    ms = sorted(sums)
    coeffs: dict[int, Any] = {}
    for m in ms:
        q = [1]
        for other in ms:
            if other != m:
                q = _poly_mul(q, [1] * other)  # S_other = 1 + x + ... + x^(other-1)
        A, B = sums[m]
        for j, k in enumerate(q):
            if k:
                for power, term in ((j, A * float(k)), (j + m, -(B * float(k)))):
                    coeffs[power] = term if power not in coeffs else coeffs[power] + term
    zero = coeffs[0] * 0.0  # an array of the namespace where coefficients are arrays
    return [coeffs.get(j, zero) for j in range(max(coeffs) + 1)]


def _newton_u(
    xp: Any, cols: list[tuple[Any, Any, Any]], zs: list[int], sums: dict[int, tuple[Any, Any]]
) -> Any:
    """The root in u of F(e^-u) by safeguarded Newton inside the Nernst bracket."""
    lo: Any = None
    hi: Any = None
    for (P, ci, co), z in zip(cols, zs, strict=True):
        permeant = P > 0
        e = (xp.log(xp.where(permeant, co, 1.0)) - xp.log(xp.where(permeant, ci, 1.0))) / z
        e_lo = xp.where(permeant, e, math.inf)
        e_hi = xp.where(permeant, e, -math.inf)
        lo = e_lo if lo is None else xp.minimum(lo, e_lo)
        hi = e_hi if hi is None else xp.maximum(hi, e_hi)
    coeffs = _polynomial(sums)
    d = len(coeffs) - 1
    # Start from the one-valence formula ln(sum B / sum A) / m with the mean valence m
    # (exact when all permeant ions share one |z|), kept inside the bracket.
    total_a: Any = None
    total_b: Any = None
    weight: Any = None
    weighted: Any = None
    for m, (A, B) in sums.items():
        total_a = A if total_a is None else total_a + A
        total_b = B if total_b is None else total_b + B
        w = A + B
        weight = w if weight is None else weight + w
        weighted = m * w if weighted is None else weighted + m * w
    u = xp.log(total_b / total_a) / (weighted / weight)
    u = xp.minimum(xp.maximum(u, lo), hi)
    traced = all_true(xp, u == u) is None
    # Where e^(d |u|) could overflow, evaluate x^d F(1/x) (same sign) for u < 0 instead.
    wide = all_true(xp, xp.maximum(-lo, hi) * d < 600.0) is not True
    rev = coeffs[::-1]
    for _ in range(64 if traced else 200):
        if wide:
            positive_u = u >= 0
            x = xp.exp(-xp.abs(u))
            f = df = 0.0
            for j in range(d, -1, -1):
                df = df * x + f
                f = f * x + xp.where(positive_u, coeffs[j], rev[j])
            slope = xp.where(positive_u, -x, x) * df  # d f / d u
        else:
            x = xp.exp(-u)
            f = coeffs[d]
            df = 0.0
            for j in range(d - 1, -1, -1):
                df = df * x + f
                f = f * x + coeffs[j]
            slope = -x * df
        lo = xp.where(f < 0, u, lo)
        hi = xp.where(f > 0, u, hi)
        step = f / slope
        new = u - step
        # Bisect when the step leaves the bracket, unless it is below the tolerance: at the
        # root the bracket closes on u itself, and a step that rounds onto its edge (a start
        # already at the root: all permeant ions of one |z|) is convergence, not a reason to
        # jump to the middle of a bracket that may span hundreds of RT/F.
        tiny = xp.abs(step) <= 2e-14 * (1.0 + xp.abs(u))
        new = xp.where(tiny | ((new > lo) & (new < hi)), new, (lo + hi) / 2)
        done = xp.abs(new - u) <= 2e-14 * (1.0 + xp.abs(u))
        u = new
        if not traced and all_true(xp, done):
            break
    return u


def _dask_blocks(
    xp: Any, dtype: Any, cols: list[tuple[Any, Any, Any]], zs: list[int], labels: list[str]
) -> Any:
    """The Newton solve of Dask columns, block by block with NumPy (lazy: nothing computed)."""
    import dask.array as da
    from dask.array.core import unify_chunks

    n = len(cols)
    ind = tuple(range(cols[0][0].ndim))
    _, flat = unify_chunks(*(x for col in cols for a in col for x in (a, ind)))

    def block(*arrays: np.ndarray) -> np.ndarray:
        blk = [tuple(arrays[3 * k : 3 * k + 3]) for k in range(n)]
        with np.errstate(all="ignore"):
            return np.asarray(_zero_current_u(np, np.float64, blk, zs, labels))  # type: ignore[arg-type]

    return da.map_blocks(block, *flat, dtype=dtype)


# --------------------------------------------------------------------------- former helpers


def ion_axis_inputs(
    permeability: Any, c_in: Any, c_out: Any, z: Any, axis: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Validated NumPy (P, c_in, c_out, z) with ions on the last axis (for explain.py and
    dynamics.py until they call the public API)."""
    _, _, cols, zs, labels, shape, _ = _voltage_inputs(permeability, c_in, c_out, z, axis, 37.0)
    np_cols: list[tuple[Any, Any, Any]] = [
        (np.asarray(p, dtype=float), np.asarray(i, dtype=float), np.asarray(o, dtype=float))
        for p, i, o in cols
    ]
    _check_columns(np_cols, labels)
    P, ci, co = (
        np.stack([np.broadcast_to(col[k], shape) for col in np_cols], axis=-1) for k in range(3)
    )
    return P, ci, co, np.array(zs, dtype=float)


def quadratic_coefficients(
    P: np.ndarray, ci: np.ndarray, co: np.ndarray, z: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A, B, C, D of the GHK zero-current quadratic (see :func:`ghk_voltage`), ions on the
    last axis (for explain.py)."""
    zs = [int(k) for k in np.asarray(z).ravel()]
    cols = [(P[..., k], ci[..., k], co[..., k]) for k in range(len(zs))]
    sums = _valence_sums(np, cols, zs)
    zero = np.zeros(np.shape(P)[:-1])
    A, B = sums.get(1, (zero, zero))
    C, D = sums.get(2, (zero, zero))
    return tuple(np.asarray(q, dtype=float) + zero for q in (A, B, C, D))  # type: ignore[return-value]


#: Former private name of the flux on NumPy arrays, ``_flux(w, P, ci, co)`` (dynamics.py
#: imports it until it calls the public API).
