r"""Chord conductances: the parallel-conductance model and its link to GHK permeabilities.

In the parallel-conductance (chord-conductance) model each ion's current is ohmic about its
own Nernst potential, :math:`I_i = g_i (V - E_i)`, and the potential at which the currents
sum to zero is the conductance-weighted mean of the Nernst potentials,

.. math:: V = \frac{\sum_i g_i E_i}{\sum_i g_i}.

The GHK model describes the same membrane by permeabilities; the two meet through the chord
conductance :math:`g_i = I_i^{GHK}(V) / (V - E_i)` and the slope conductance
:math:`dI_i^{GHK}/dV` (:func:`nernst.ghk_slope_conductance`), both functions of V. Near the
resting potential the two models agree to first order.

Conventions: V in mV, conductance in S/cm^2 (mA/cm^2 per mV), permeability in cm/s,
concentrations in mM, temperature keyword-only ``celsius`` (default 37).

References
----------
.. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 1 and 14
   (the parallel-conductance model; GHK current equation; chord and slope conductance).
.. [2] Hodgkin A.L., Huxley A.F. (1952) A quantitative description of membrane current and
   its application to conduction and excitation in nerve. J. Physiol. 117:500-544.
   doi:10.1113/jphysiol.1952.sp004764
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nernst._validate import broadcast, finite, non_negative, scalar_or_array
from nernst.constants import BODY_TEMPERATURE_C

__all__ = [
    "chord_potential",
    "chord_weights",
    "conductance_from_permeability",
    "permeability_from_conductance",
]

_KINDS = ("chord", "slope")


def _columns(
    conductance: Mapping[str, ArrayLike] | ArrayLike,
    E: Mapping[str, ArrayLike] | ArrayLike | None,
    axis: int,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Conductances (and potentials) with the ions on the last axis, validated."""
    if isinstance(conductance, Mapping):
        if not conductance:
            raise ValueError("conductance={}: give at least one ion's conductance [S/cm^2]")
        names = list(conductance)
        g_cols = [
            non_negative(f"conductance[{k!r}]", v, what="conductance", unit="S/cm^2")
            for k, v in conductance.items()
        ]
        e_cols: list[np.ndarray] | None = None
        if E is not None:
            if not isinstance(E, Mapping):
                raise ValueError(
                    "E must be a mapping ion -> potential [mV] when conductance is a mapping"
                )
            missing = [k for k in names if k not in E]
            if missing:
                raise ValueError(
                    f"E has no potential for {', '.join(map(repr, missing))}; give E[ion] in mV "
                    "for every ion in conductance"
                )
            e_cols = [finite(f"E[{k!r}]", E[k], unit="mV") for k in names]
        arrays = broadcast(**{f"conductance[{k!r}]": c for k, c in zip(names, g_cols, strict=True)})
        g = np.stack(arrays, axis=-1)
        if e_cols is None:
            return g, None
        e_arrays = broadcast(**{f"E[{k!r}]": c for k, c in zip(names, e_cols, strict=True)})
        e = np.stack(e_arrays, axis=-1)
        g, e = np.broadcast_arrays(g, e)
        return g, e
    g = non_negative("conductance", conductance, what="conductance", unit="S/cm^2")
    if g.ndim == 0:
        raise ValueError(
            "conductance is a single number: give one conductance per ion (an array with the "
            "ions along `axis`, or a mapping ion -> S/cm^2)"
        )
    g = np.moveaxis(g, axis, -1)
    if E is None:
        return g, None
    if isinstance(E, Mapping):
        raise ValueError("E must be an array [mV] when conductance is an array")
    e = np.moveaxis(finite("E", E, unit="mV"), axis, -1)
    g, e = broadcast(conductance=g, E=e)
    return g, e


def chord_potential(
    conductance: Mapping[str, ArrayLike] | ArrayLike,
    /,
    *,
    E: Mapping[str, ArrayLike] | ArrayLike,
    axis: int = -1,
) -> float | np.ndarray:
    r"""Resting potential of the parallel-conductance model: the g-weighted mean of the E.

    .. math:: V = \frac{\sum_i g_i E_i}{\sum_i g_i}

    Parameters
    ----------
    conductance : mapping of str to array_like, or array_like
        Each ion's conductance (>= 0), as a mapping ion -> g or an array with the ions along
        ``axis``; only ratios matter. [S/cm^2]
    E : mapping of str to array_like, or array_like
        Each ion's reversal (Nernst) potential, keyed or laid out like ``conductance``. [mV]
    axis : int, default -1
        The ion axis of array input.

    Returns
    -------
    V : float or ndarray
        The potential at which the ohmic currents sum to zero, V_in - V_out. [mV]

    Raises
    ------
    ValueError
        Negative or non-finite conductance, all conductances zero, a non-finite E, an ion of
        ``conductance`` missing from ``E``, shapes that do not broadcast.

    See Also
    --------
    chord_weights : each ion's weight g_i / sum(g).
    nernst.ghk_voltage : the GHK (constant-field) counterpart, weighted by permeabilities.
    conductance_from_permeability : chord conductance of a GHK ion at a given V.

    Notes
    -----
    Setting the total current :math:`\sum_i g_i (V - E_i)` to zero gives the formula. With
    one ion it returns that ion's E; with equal conductances the plain mean of the E.

    Examples
    --------
    NEURON's ``hh`` at rest (-65 mV, 6.3 degC): g_Na = 0.12 m^3 h = 1.2e-5, g_K = 0.036
    n^4 = 3.67e-4 and g_L = 3e-4 S/cm^2 with E_Na = 50, E_K = -77 and E_L = -54.3 mV:

    >>> round(chord_potential({"Na+": 1.2e-5, "K+": 3.67e-4, "L": 3e-4},
    ...                       E={"Na+": 50, "K+": -77, "L": -54.3}), 1)
    -64.7

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., ch. 1 (eq. 1-9).
    """
    g, e = _columns(conductance, E, axis)
    assert e is not None
    total = np.sum(g, axis=-1)
    if np.any(total == 0):
        raise ValueError(
            "every conductance is zero: the chord potential is undefined; give at least one "
            "conductance > 0 [S/cm^2]"
        )
    return scalar_or_array(np.sum(g * e, axis=-1) / total)


def chord_weights(
    conductance: Mapping[str, ArrayLike] | ArrayLike, /, *, axis: int = -1
) -> dict[str, Any] | np.ndarray:
    r"""Each ion's weight in the chord potential, :math:`g_i / \sum_j g_j`.

    Parameters
    ----------
    conductance : mapping of str to array_like, or array_like
        As in :func:`chord_potential`. [S/cm^2]
    axis : int, default -1
        The ion axis of array input; the weights keep it there.

    Returns
    -------
    weights : dict of str to float, or ndarray
        Fractions summing to 1 over the ions (a dict for mapping input). [unitless]

    See Also
    --------
    chord_potential : the weighted mean these weights define.

    Examples
    --------
    >>> chord_weights({"K+": 3.0, "Na+": 1.0})
    {'K+': 0.75, 'Na+': 0.25}
    """
    g, _ = _columns(conductance, None, axis)
    total = np.sum(g, axis=-1, keepdims=True)
    if np.any(total == 0):
        raise ValueError(
            "every conductance is zero: the weights are undefined; give at least one "
            "conductance > 0 [S/cm^2]"
        )
    w = g / total
    if isinstance(conductance, Mapping):
        return {k: scalar_or_array(w[..., i]) for i, k in enumerate(conductance)}
    return np.moveaxis(w, -1, axis)


def _kind(kind: str) -> str:
    if kind not in _KINDS:
        raise ValueError(f"kind={kind!r} is not a conductance kind; use one of {_KINDS}")
    return kind


def _unit_conductance(
    ion: str | int | ArrayLike,
    v_m: ArrayLike,
    c_in: ArrayLike,
    c_out: ArrayLike,
    celsius: ArrayLike,
    kind: str,
) -> np.ndarray:
    """Conductance of the ion at P = 1 cm/s (the GHK current is linear in P). [S/cm^2]"""
    import nernst

    conductance = nernst.ghk_slope_conductance if kind == "slope" else nernst.ghk_chord_conductance
    return np.asarray(
        conductance(ion, v_m=v_m, permeability=1.0, c_in=c_in, c_out=c_out, celsius=celsius)
    )


def conductance_from_permeability(
    ion: str | int | ArrayLike,
    /,
    *,
    permeability: ArrayLike,
    v_m: ArrayLike,
    c_in: ArrayLike,
    c_out: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
    kind: str = "chord",
) -> float | np.ndarray:
    r"""Conductance of a GHK-permeable ion at membrane potential ``v_m``.

    .. math::

        g_{chord} = \frac{I^{GHK}(V)}{V - E}, \qquad g_{slope} = \frac{dI^{GHK}}{dV}

    Both are proportional to P, and both depend on V (the GHK current rectifies when the
    concentrations differ). At V = E the chord conductance is its limit, the slope
    conductance.

    Parameters
    ----------
    ion : str, int or array of int
        Ion name or valence (non-zero).
    permeability : array_like
        GHK permeability (>= 0). [cm/s]
    v_m : array_like
        Membrane potential at which the conductance is taken. [mV]
    c_in, c_out : array_like
        Concentrations inside and outside (> 0). [mM]
    celsius : array_like, default 37.0
        Temperature. [degC]
    kind : {"chord", "slope"}, default "chord"
        Which conductance.

    Returns
    -------
    g : float or ndarray
        Conductance per unit area. [S/cm^2]

    Raises
    ------
    ValueError
        As :func:`nernst.ghk_current`; an unknown ``kind``.

    See Also
    --------
    permeability_from_conductance : the inverse.
    nernst.ghk_slope_conductance : the slope conductance itself.
    chord_potential : the parallel-conductance resting potential.

    Examples
    --------
    K+ 140 mM in, 5 mM out, P = 1e-6 cm/s at 37 degC: at E_K both kinds equal the one-ion
    limit P z^2 F^2/(RT) c_in c_out ln(c_out/c_in)/(c_out - c_in) = 6.24e-5 S/cm^2:

    >>> g = conductance_from_permeability("K+", permeability=1e-6, v_m=-89.0595,
    ...                                   c_in=140, c_out=5)
    >>> f"{g:.2e}"
    '6.24e-05'

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., ch. 14.
    """
    P = non_negative("permeability", permeability, what="permeability", unit="cm/s")
    G1 = _unit_conductance(ion, v_m, c_in, c_out, celsius, _kind(kind))
    return scalar_or_array(P * G1)


def permeability_from_conductance(
    ion: str | int | ArrayLike,
    /,
    *,
    conductance: ArrayLike,
    v_m: ArrayLike,
    c_in: ArrayLike,
    c_out: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
    kind: str = "chord",
) -> float | np.ndarray:
    r"""GHK permeability that gives an ion the conductance ``conductance`` at ``v_m``.

    .. math:: P = \frac{g}{g(P = 1\ \mathrm{cm/s})}

    the inverse of :func:`conductance_from_permeability` (the GHK current is linear in P).

    Parameters
    ----------
    ion : str, int or array of int
        Ion name or valence (non-zero).
    conductance : array_like
        Chord or slope conductance at ``v_m`` (>= 0). [S/cm^2]
    v_m : array_like
        Membrane potential at which the conductance holds. [mV]
    c_in, c_out : array_like
        Concentrations inside and outside (> 0). [mM]
    celsius : array_like, default 37.0
        Temperature. [degC]
    kind : {"chord", "slope"}, default "chord"
        Which conductance ``conductance`` is.

    Returns
    -------
    P : float or ndarray
        Permeability. [cm/s]

    See Also
    --------
    conductance_from_permeability : the forward conversion.

    Examples
    --------
    The squid axon's resting K+ conductance, about 0.367 mS/cm^2 (HH 1952 at -65 mV), with
    400 mM K+ inside and 10 mM outside at 6.3 degC (by hand: w = FV/RT = -2.6993,
    I(P = 1) = F w (c_in - c_out e^-w)/(1 - e^-w) = 4.72 A/cm^2 per cm/s, E_K = -88.83 mV,
    g(P = 1) = I/(V - E_K) = 198.0 S/cm^2 per cm/s, P = 3.67e-4/198.0):

    >>> P = permeability_from_conductance("K+", conductance=3.67e-4, v_m=-65,
    ...                                   c_in=400, c_out=10, celsius=6.3)
    >>> f"{P:.2e}"
    '1.85e-06'

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., ch. 14.
    """
    g = non_negative("conductance", conductance, what="conductance", unit="S/cm^2")
    G1 = _unit_conductance(ion, v_m, c_in, c_out, celsius, _kind(kind))
    if np.any(G1 <= 0):
        raise ValueError(
            "the ion's conductance per unit permeability is zero here (a concentration of 0 on "
            "both sides?): no permeability gives the requested conductance"
        )
    return scalar_or_array(g / G1)
