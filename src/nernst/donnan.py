r"""Gibbs-Donnan equilibrium: permeant ions distributed across a membrane that retains a
charged, impermeant species.

The cell (inside) holds an impermeant species X of concentration [X] and mean valence z_X;
it faces a bath (outside) of fixed composition, so large that the equilibrium does not change
it. Every permeant ion then settles at the same membrane potential, the Donnan potential
V_D, where each is at its own Nernst equilibrium, while the inside stays electroneutral:

.. math::

    c_{in,i} = c_{out,i}\, e^{-z_i F V_D / RT} = c_{out,i}\, r^{z_i},
    \qquad \sum_i z_i c_{in,i} + z_X [X] = 0,
    \qquad r = e^{-F V_D / RT}.

The left-hand sum falls monotonically with V_D, so the root is unique; it is found with a
bracketing root finder on analytic bounds. With ``volume_constraint=True`` the cell volume
W (relative to the volume at which X has the given concentration) also adjusts until the
inside is isosmotic with the bath (see :func:`donnan_equilibrium`).

Conventions: V = V_in - V_out in mV; concentrations in mM; osmolarities in mOsm/L (ideal
solutions, osmotic coefficient 1: every dissolved particle counts once); temperature
keyword-only ``celsius=`` (default 37, as for everything about a cell).

References
----------
.. [1] Donnan F.G. (1911) Theorie der Membrangleichgewichte und Membranpotentiale bei
   Vorhandensein von nicht dialysierenden Elektrolyten. Z. Elektrochem. 17:572-581.
.. [2] Keener J., Sneyd J. (2009) Mathematical Physiology I: Cellular Physiology, 2nd ed.,
   Springer, ch. 2 (the Gibbs-Donnan equilibrium; osmosis and the control of cell volume).
.. [3] Nelson P. (2004) Biological Physics, W.H. Freeman, ch. 11 (Donnan equilibrium).
.. [4] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nernst._deprecate import positional_deprecated, renamed_arguments, warn_deprecated
from nernst._validate import (
    as_float,
    broadcast,
    non_negative,
    positive,
    scalar_or_array,
    show,
)
from nernst.constants import BODY_TEMPERATURE_C, FARADAY, GAS_CONSTANT, kelvin
from nernst.ions import ions
from nernst.results import ResultMixin

__all__ = ["DonnanResult", "ElectroneutralityWarning", "donnan_equilibrium"]

#: Relative charge imbalance of the bath above which a warning is issued.
_NEUTRALITY_RTOL = 1e-6


class ElectroneutralityWarning(UserWarning):
    """A solution given as input is not electroneutral (the result is still computed)."""


@dataclass(frozen=True)
class DonnanResult(ResultMixin):
    """The Donnan equilibrium of :func:`donnan_equilibrium`.

    Array-valued fields broadcast over the conditions (fixed-charge concentrations, bath
    concentrations, temperatures); they are floats when every input was a scalar. Has the
    result protocol (:mod:`nernst.results`): :meth:`to_dict`, ``to_json()``,
    ``to_dataframe()`` (one row per bath ion), HTML and Rich rendering and :meth:`explain`.

    Attributes
    ----------
    potential : float or ndarray
        Donnan potential V_D = V_in - V_out. [mV]
    ratio : float or ndarray
        Donnan ratio r = exp(-F V_D / RT); c_in / c_out = r**z for every permeant ion
        (r = [K+]_in/[K+]_out = [Cl-]_out/[Cl-]_in). [unitless]
    c_in : dict of str to float or ndarray
        Inside concentrations of the permeant ions. [mM]
    c_out : dict of str to float or ndarray
        The bath, every ion given (permeant or not). [mM]
    permeant : tuple of str
        Symbols of the permeant ions.
    fixed_concentration : float or ndarray
        Concentration of the impermeant species X inside at equilibrium (the given one, or
        the given one divided by ``volume`` under the volume constraint). [mM]
    fixed_valence : float
        Mean valence z_X of X. [unitless]
    osmolarity_in, osmolarity_out : float or ndarray
        Ideal osmolarities: inside the permeant ions plus X; outside every bath ion plus
        ``osmolytes_out``. [mOsm/L]
    osmotic_imbalance : float or ndarray
        ``osmolarity_in - osmolarity_out``; positive means water would flow in (the cell
        would swell). Zero (to rounding) under the volume constraint. [mOsm/L]
    volume : float, ndarray or None
        Under the volume constraint, the equilibrium volume relative to the reference
        volume at which X has ``fixed_charge``; None otherwise. [unitless]
    celsius : float or ndarray
        Temperature. [degC]
    osmolytes_out : float or ndarray
        Uncharged impermeant bath solute. [mOsm/L]

    Notes
    -----
    ``inside``, ``outside`` and ``outside_osmolytes`` are the deprecated names of ``c_in``,
    ``c_out`` and ``osmolytes_out`` (they warn and stop working in nernst 0.3).

    Examples
    --------
    >>> res = donnan_equilibrium(c_out={"K+": 100, "Cl-": 100}, fixed_charge=50)
    >>> round(res.c_in["K+"], 3), res.to_dict()["units"]["potential"]
    (128.078, 'mV')
    """

    potential: Any
    ratio: Any
    c_in: dict[str, Any]
    c_out: dict[str, Any]
    permeant: tuple[str, ...]
    fixed_concentration: Any
    fixed_valence: float
    osmolarity_in: Any
    osmolarity_out: Any
    osmotic_imbalance: Any
    volume: Any = None
    celsius: Any = BODY_TEMPERATURE_C
    osmolytes_out: Any = field(default=0.0, repr=False)

    @property
    def inside(self) -> dict[str, Any]:
        """Deprecated name of :attr:`c_in`."""
        warn_deprecated("DonnanResult.inside", "DonnanResult.c_in")
        return self.c_in

    @property
    def outside(self) -> dict[str, Any]:
        """Deprecated name of :attr:`c_out`."""
        warn_deprecated("DonnanResult.outside", "DonnanResult.c_out")
        return self.c_out

    @property
    def outside_osmolytes(self) -> Any:
        """Deprecated name of :attr:`osmolytes_out`."""
        warn_deprecated("DonnanResult.outside_osmolytes", "DonnanResult.osmolytes_out")
        return self.osmolytes_out

    def _fields_for_dict(self) -> dict[str, Any]:
        out = super()._fields_for_dict()
        out["convention"] = "V = V_in - V_out; r = exp(-F V / RT); c_in = c_out r^z"
        out["units"] = {
            "potential": "mV",
            "concentration": "mM",
            "osmolarity": "mOsm/L",
            "volume": "relative to the reference volume",
            "temperature": "degC",
        }
        return out

    def _rows(self) -> list[dict[str, Any]]:
        return [
            {
                "ion": name,
                "charge": ions[name].charge,
                "c_out": c_out,
                "c_in": self.c_in.get(name),
                "permeant": name in self.permeant,
            }
            for name, c_out in self.c_out.items()
        ]

    def _title(self) -> str:
        return "Donnan equilibrium"

    def _summary_lines(self) -> list[str]:
        if np.ndim(self.potential):
            return [f"V_D over {np.size(self.potential)} conditions"]
        return [f"V_D = {float(self.potential):+.2f} mV, r = {float(self.ratio):.4g}"]

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dict (JSON-ready; arrays become lists, NaN and inf None).

        Examples
        --------
        >>> donnan_equilibrium(c_out={"K+": 10, "Cl-": 10}, fixed_charge=0).to_dict()["c_in"]
        {'K+': 10.0, 'Cl-': 10.0}
        """
        return super().to_dict()

    def explain(self) -> Any:
        """The equations with this result's numbers, step by step (scalar results only).

        Returns an :class:`nernst.explain.Explanation` (:func:`nernst.explain.explain_donnan`);
        its last line holds the result, ``V_D = ... mV, r = ...``.

        Raises
        ------
        ValueError
            The result holds several conditions (arrays).

        Examples
        --------
        >>> donnan_equilibrium(c_out={"K+": 100, "Cl-": 100}, fixed_charge=50).explain()[-1]
        'V_D = -6.6 mV, r = 1.281'
        """
        from nernst.explain import explain_donnan

        return explain_donnan(self)


@renamed_arguments(
    outside="c_out", fixed_charge_mM="fixed_charge", outside_osmolytes_mM="osmolytes_out"
)
@positional_deprecated("c_out", display="donnan_equilibrium", stacklevel=4)
def donnan_equilibrium(
    *,
    c_out: Mapping[str, ArrayLike],
    fixed_charge: ArrayLike,
    fixed_valence: float = -1.0,
    permeant: Iterable[str] | None = None,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
    volume_constraint: bool = False,
    osmolytes_out: ArrayLike = 0.0,
) -> DonnanResult:
    r"""Gibbs-Donnan equilibrium of a cell holding an impermeant charged species.

    Every permeant ion ends at the same potential V_D (each at its own Nernst equilibrium)
    and the inside is electroneutral:

    .. math::

        c_{in,i} = c_{out,i} \exp\!\left(-\frac{z_i F V_D}{RT}\right) = c_{out,i}\, r^{z_i},
        \qquad
        f(V_D) = \sum_i z_i c_{out,i}\, e^{-z_i F V_D/RT} + z_X [X] = 0 .

    :math:`f` decreases strictly with V_D (:math:`f' = -\frac{F}{RT}\sum z_i^2 c_{in,i}`),
    so the root is unique; it is bracketed analytically and found with SciPy's vectorised
    Chandrupatla solver (:func:`scipy.optimize.elementwise.find_root`), elementwise over
    arrays of fixed-charge and bath concentrations. For KCl outside and a monovalent anion
    A- inside this is the classic closed form
    :math:`[Cl]_{in} = (-[A] + \sqrt{[A]^2 + 4 [K]_{out} [Cl]_{out}})/2`,
    :math:`[K]_{in} [Cl]_{in} = [K]_{out} [Cl]_{out}`.

    **Volume constraint** (``volume_constraint=True``). Water crosses the membrane freely and
    the cell volume W adjusts until the inside is isosmotic with the bath (ideal solutions,
    no hydrostatic pressure, no pumps); the amount of X is fixed, so
    :math:`[X] = [X]_0 / W` with :math:`[X]_0` = ``fixed_charge`` at the reference volume
    W = 1. The unknowns V_D and W satisfy electroneutrality and

    .. math:: \sum_i c_{in,i} + [X] = \sum_{bath} c_{out} + \text{outside osmolytes}.

    Along the electroneutral branch the inside osmolarity changes monotonically with V_D, so
    this is again one bracketed root. A finite volume exists only if the bath holds enough
    impermeant solute (non-permeant bath ions or ``osmolytes_out``): with only
    permeant solutes outside, the Donnan excess of inside particles never vanishes and the
    cell swells without limit (the osmotic instability that the Na+/K+ pump prevents; the
    "pump-leak" model of Keener & Sneyd, ch. 2, treats pumped Na+ as impermeant, which you
    express by leaving Na+ out of ``permeant``). That case raises a ValueError.

    Parameters
    ----------
    c_out : mapping of str to array_like
        Bath concentrations by ion name; ions not in ``permeant`` stay outside
        (impermeant) but count in the bath's osmolarity. [mM]
    fixed_charge : array_like
        Concentration of the impermeant species X inside (under the volume constraint: at
        the reference volume). Its charge concentration is ``fixed_valence *
        fixed_charge``. Zero is allowed without the volume constraint. [mM]
    fixed_valence : float, default -1.0
        Mean valence z_X of the impermeant species (non-zero; may be fractional, e.g. the
        mean charge per protein molecule). [unitless]
    permeant : iterable of str, optional
        The permeant ions; default: every ion in ``c_out``. Each needs a positive bath
        concentration.
    celsius : array_like, default 37.0
        Temperature. Only V_D depends on it; r and the concentrations do not. [degC]
    volume_constraint : bool, default False
        Solve for the volume W at which the cell is isosmotic with the bath (see above).
    osmolytes_out : array_like, default 0.0
        Uncharged impermeant solute in the bath (sucrose, mannitol). [mOsm/L]

    Returns
    -------
    result : DonnanResult
        Potential [mV], Donnan ratio r, inside concentrations [mM], osmolarities and their
        difference [mOsm/L], the equilibrium [X] [mM] and, under the volume constraint, the
        relative volume W.

    Raises
    ------
    ValueError
        Unknown ion, a permeant ion missing from ``c_out``, a non-positive or non-finite
        bath concentration of a permeant ion, negative or non-finite ``fixed_charge``,
        ``fixed_valence`` zero or non-finite, no electroneutral solution (e.g. a negative
        fixed charge with no permeant cation), no finite volume under the volume constraint,
        bad temperature, shapes that do not broadcast.

    Warns
    -----
    ElectroneutralityWarning
        The bath is not electroneutral (sum z c_out != 0); the equilibrium is still computed
        from the ions given.

    Examples
    --------
    KCl bath (100 mM) and 50 mM of an impermeant monovalent anion inside:

    >>> res = donnan_equilibrium(c_out={"K+": 100, "Cl-": 100}, fixed_charge=50)
    >>> round(res.c_in["Cl-"], 3), round(res.c_in["K+"], 3)
    (78.078, 128.078)
    >>> round(res.potential, 2)
    -6.61

    See Also
    --------
    DonnanResult : the result, with ``explain()`` (:func:`nernst.explain.explain_donnan`).
    nernst.equilibrium_potential : each permeant ion's E, equal to V_D at equilibrium.
    nernst.pump_leak_steady_state : the non-equilibrium steady state a pump maintains.

    Notes
    -----
    Renamed in nernst 0.2 (the old spellings warn and stop working in 0.3): the positional
    bath ``outside`` is now the keyword ``c_out=``, ``fixed_charge_mM=`` is
    ``fixed_charge=`` and ``outside_osmolytes_mM=`` is ``osmolytes_out=``.

    References
    ----------
    .. [1] Donnan F.G. (1911) Z. Elektrochem. 17:572-581.
       https://doi.org/10.1002/bbpc.19110171405
    .. [2] Keener J., Sneyd J. (2009) Mathematical Physiology I, 2nd ed., Springer,
       ch. 2 (Gibbs-Donnan equilibrium; cell volume and the pump-leak model).
       https://doi.org/10.1007/978-0-387-75847-3
    .. [3] Nelson P. (2004) Biological Physics, W.H. Freeman, ch. 11.
    .. [4] Chandrupatla T.R. (1997) A new hybrid quadratic/bisection algorithm for finding
       the zero of a nonlinear function without using derivatives. Adv. Eng. Softw.
       28:145-149. https://doi.org/10.1016/S0965-9978(96)00051-8
    """
    if not isinstance(c_out, Mapping) or not c_out:
        raise ValueError(
            "c_out must be a non-empty mapping of ion name -> mM, e.g. {'K+': 5, 'Cl-': 110}"
        )
    bath = {ions.resolve(k): v for k, v in c_out.items()}
    if len(bath) != len(c_out):
        raise ValueError(f"c_out names an ion twice: {list(c_out)}")
    if permeant is None:
        names = list(bath)
    else:
        if isinstance(permeant, str):
            permeant = [permeant]
        names = list(dict.fromkeys(ions.resolve(k) for k in permeant))
        if not names:
            raise ValueError("permeant is empty: give at least one permeant ion")
        for name in names:
            if name not in bath:
                raise ValueError(
                    f"permeant ion {name!r} has no concentration in c_out; give its bath "
                    "concentration"
                )
    z = np.array([ions[n].charge for n in names], float)
    zX = float(as_float("fixed_valence", fixed_valence))
    if not math.isfinite(zX) or zX == 0:
        raise ValueError(
            f"fixed_valence={zX:g}: the mean valence of the impermeant species must be finite "
            "and non-zero (e.g. -1 for a monovalent anion)"
        )
    X0 = non_negative("fixed_charge", fixed_charge, what="concentration", unit="mM")
    osm_extra = non_negative("osmolytes_out", osmolytes_out, what="concentration", unit="mOsm/L")
    T = kelvin(celsius)
    bath_arrays = {}
    for name, value in bath.items():
        label = f"c_out[{name!r}]"
        if name in names:
            bath_arrays[name] = positive(label, value)
        else:
            bath_arrays[name] = non_negative(label, value, what="concentration", unit="mM")
    arrays = broadcast(fixed_charge=X0, osmolytes_out=osm_extra, **bath_arrays)
    X0, osm_extra, *bath_cols = arrays
    bath_b = dict(zip(bath_arrays, bath_cols, strict=True))
    c_bath = np.stack([bath_b[n] for n in names], axis=-1)  # (..., n)
    _check_bath_neutrality(bath_b)
    osm_out = sum(bath_b.values(), start=np.zeros_like(X0)) + osm_extra

    if volume_constraint:
        if np.any(X0 == 0):
            raise ValueError(
                "fixed_charge=0 with volume_constraint=True: a cell without impermeant "
                "solute has no equilibrium volume; give a positive amount"
            )
        u, X = _solve_volume(c_bath, z, zX, osm_out)
        volume = X0 / X
    else:
        u = _solve_potential(c_bath, z, -zX * X0)
        X = X0
        volume = None

    c_in = c_bath * np.exp(-z * u[..., None])
    osm_in = np.sum(c_in, axis=-1) + X
    VT = GAS_CONSTANT * T / FARADAY * 1e3
    V, _ = broadcast(potential=u * VT, celsius=T)
    return DonnanResult(
        potential=scalar_or_array(V),
        ratio=scalar_or_array(np.exp(-u)),
        c_in={n: scalar_or_array(c_in[..., k]) for k, n in enumerate(names)},
        c_out={n: scalar_or_array(v) for n, v in bath_b.items()},
        permeant=tuple(names),
        fixed_concentration=scalar_or_array(X),
        fixed_valence=zX,
        osmolarity_in=scalar_or_array(osm_in),
        osmolarity_out=scalar_or_array(osm_out),
        osmotic_imbalance=scalar_or_array(osm_in - osm_out),
        volume=None if volume is None else scalar_or_array(volume),
        celsius=scalar_or_array(T - 273.15),
        osmolytes_out=scalar_or_array(osm_extra),
    )


def _check_bath_neutrality(bath: Mapping[str, np.ndarray]) -> None:
    charge = sum((ions[n].charge * c for n, c in bath.items()), start=np.zeros(()))
    total = sum((abs(ions[n].charge) * c for n, c in bath.items()), start=np.zeros(()))
    excess = np.abs(charge) > _NEUTRALITY_RTOL * total
    if np.any(excess):
        worst = np.asarray(charge)[excess].ravel()[0]
        side = "cations exceed anions" if worst > 0 else "anions exceed cations"
        warnings.warn(
            f"the bath (c_out) is not electroneutral: sum z c_out = {worst:+g} mM ({side}); the "
            "equilibrium is computed from the ions given (counter-ions that are missing are "
            "treated as absent)",
            ElectroneutralityWarning,
            stacklevel=3,
        )


def _charge_sums(c_out: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """C+ = sum z c over cations, C- = sum |z| c over anions (bath values)."""
    return np.sum(c_out * np.where(z > 0, z, 0.0), axis=-1), np.sum(
        c_out * np.where(z < 0, -z, 0.0), axis=-1
    )


def _mobile_charge(u: np.ndarray, *cols: np.ndarray) -> np.ndarray:
    """sum z c_out exp(-z u); cols are n concentrations then n valences."""
    n = len(cols) // 2
    total = np.zeros_like(u)
    for c, z in zip(cols[:n], cols[n:], strict=True):
        total = total + z * c * np.exp(-z * u)
    return total


def _find_root(func: Any, lo: np.ndarray, hi: np.ndarray, args: tuple[Any, ...]) -> np.ndarray:
    from scipy.optimize.elementwise import find_root  # lazy: scipy.optimize costs ~0.4 s

    res = find_root(func, (lo, hi), args=args)
    if not np.all(res.success):  # pragma: no cover - the brackets are proven valid
        raise RuntimeError(f"Donnan root finder did not converge (status {res.status})")
    return np.asarray(res.x, float)


def _solve_potential(c_out: np.ndarray, z: np.ndarray, q: np.ndarray) -> np.ndarray:
    r"""u = F V_D / RT solving sum z c_out e^{-z u} = q (q = -z_X [X]), elementwise.

    Bracket (valences are integers, |z| >= 1): for u <= 0 the sum is at least
    C+ e^{-u} - C-, for u >= 0 at most C+ - C- e^{u}; with one sign of ion absent, the
    remaining terms are bounded by C e^{-|u|}. The brackets below follow from these bounds.
    """
    Cp, Cm = _charge_sums(c_out, z)
    q = np.broadcast_to(q, Cp.shape)
    if np.any((Cp == 0) & (q >= 0)) or np.any((Cm == 0) & (q <= 0)):
        need = "cation" if np.any((Cp == 0) & (q >= 0)) else "anion"
        raise ValueError(
            f"no electroneutral Donnan equilibrium: the inside needs a permeant {need} to "
            f"balance the fixed charge z_X [X] = {show(-q)} mM; make one permeant or change "
            "the fixed charge"
        )
    # Logs of each factor separately: ratios of tiny and large values could overflow.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lo_cat = np.where(Cm + q > 0, np.minimum(0.0, np.log(Cp) - np.log(Cm + q)), 0.0)
        lo_no_cat = np.minimum(0.0, np.log(-q) - np.log(Cm))
        hi_an = np.where(Cp - q > 0, np.maximum(0.0, np.log(Cp - q) - np.log(Cm)), 0.0)
        hi_no_an = np.maximum(0.0, np.log(Cp) - np.log(q))
    lo = np.where(Cp > 0, lo_cat, lo_no_cat) - 1.0
    hi = np.where(Cm > 0, hi_an, hi_no_an) + 1.0
    cols = _columns(c_out, z)

    def f(u: np.ndarray, qq: np.ndarray, *cs: np.ndarray) -> np.ndarray:
        return _mobile_charge(u, *cs) - qq

    return _find_root(f, lo, hi, (q, *cols))


def _columns(c_out: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, ...]:
    n = z.shape[-1]
    concs = tuple(c_out[..., k] for k in range(n))
    vals = tuple(np.full(c_out.shape[:-1], z[k]) for k in range(n))
    return concs + vals


def _solve_volume(
    c_out: np.ndarray, z: np.ndarray, zX: float, osm_out: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    r"""(u, [X]) on the electroneutral branch where the inside is isosmotic with the bath.

    Mirrored so that z_X < 0 (flipping every sign maps u to -u). On the branch,
    [X](u) = sum z c_in / |z_X| > 0 for u < u0 (u0: the mobile ions alone neutral), and
    g(u) = sum c_in + [X](u) decreases strictly (g' = -(z_X^2 [X] + sum z^2 c_in)/|z_X|).
    """
    s = -1.0 if zX < 0 else 1.0
    ze = -s * z  # mirrored valences (identity for z_X < 0)
    aX = abs(zX)
    Cp, Cm = _charge_sums(c_out, ze)
    if np.all(Cp == 0):
        raise ValueError(
            f"no electroneutral Donnan equilibrium: an impermeant species of valence "
            f"{zX:+g} needs a permeant {'cation' if zX < 0 else 'anion'} as counter-ion"
        )
    cols = _columns(c_out, ze)
    c_cat = np.sum(c_out * (ze > 0), axis=-1)
    with np.errstate(divide="ignore"):
        lo = np.minimum(0.0, np.log(c_cat) - np.log(osm_out))
    if np.any(Cm > 0):
        u0 = _solve_potential(c_out, ze, np.zeros(Cp.shape))
        g0 = np.sum(c_out * np.exp(-ze * u0[..., None]), axis=-1) - osm_out
        if np.any(g0 >= 0):
            bad = np.asarray(g0)[g0 >= 0].ravel()[0]
            raise ValueError(
                "no finite equilibrium volume: the bath's impermeant solute is too little to "
                "balance the Donnan excess of particles inside (short by at least "
                f"{bad:.4g} mOsm/L), so the cell would swell without limit; add impermeant "
                "bath solute (osmolytes_out, or a bath ion left out of permeant)"
            )
        lo = np.minimum(lo, u0)
        hi = u0
    else:
        Cpp = np.sum(c_out * np.where(ze > 0, 1.0 + ze / aX, 0.0), axis=-1)
        hi = np.maximum(0.0, np.log(Cpp) - np.log(osm_out)) + 1.0
    lo = lo - 1.0

    def g(u: np.ndarray, osm: np.ndarray, *cs: np.ndarray) -> np.ndarray:
        n = len(cs) // 2
        mobile = sum((c * np.exp(-zz * u) for c, zz in zip(cs[:n], cs[n:], strict=True)))
        return mobile + _mobile_charge(u, *cs) / aX - osm

    u = _find_root(g, lo, np.broadcast_to(hi, np.shape(lo)), (osm_out, *cols))
    X = _mobile_charge(u, *cols) / aX
    return -s * u, X
