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
keyword-only ``celsius=`` (default 37).

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

__all__ = ["DonnanResult", "ElectroneutralityWarning", "donnan_equilibrium"]

#: Relative charge imbalance of the bath above which a warning is issued.
_NEUTRALITY_RTOL = 1e-6


class ElectroneutralityWarning(UserWarning):
    """A solution given as input is not electroneutral (the result is still computed)."""


@dataclass(frozen=True)
class DonnanResult:
    """The Donnan equilibrium of :func:`donnan_equilibrium`.

    Array-valued fields broadcast over the conditions (fixed-charge concentrations, bath
    concentrations, temperatures); they are floats when every input was a scalar.

    Attributes
    ----------
    potential : float or ndarray
        Donnan potential V_D = V_in - V_out. [mV]
    ratio : float or ndarray
        Donnan ratio r = exp(-F V_D / RT); c_in / c_out = r**z for every permeant ion
        (r = [K+]_in/[K+]_out = [Cl-]_out/[Cl-]_in). [unitless]
    inside : dict of str to float or ndarray
        Inside concentrations of the permeant ions. [mM]
    outside : dict of str to float or ndarray
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
        ``outside_osmolytes_mM``. [mOsm/L]
    osmotic_imbalance : float or ndarray
        ``osmolarity_in - osmolarity_out``; positive means water would flow in (the cell
        would swell). Zero (to rounding) under the volume constraint. [mOsm/L]
    volume : float, ndarray or None
        Under the volume constraint, the equilibrium volume relative to the reference
        volume at which X has ``fixed_charge_mM``; None otherwise. [unitless]
    celsius : float or ndarray
        Temperature. [degC]
    """

    potential: Any
    ratio: Any
    inside: dict[str, Any]
    outside: dict[str, Any]
    permeant: tuple[str, ...]
    fixed_concentration: Any
    fixed_valence: float
    osmolarity_in: Any
    osmolarity_out: Any
    osmotic_imbalance: Any
    volume: Any = None
    celsius: Any = BODY_TEMPERATURE_C
    outside_osmolytes: Any = field(default=0.0, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dict (JSON-ready; arrays become lists)."""

        def plain(value: Any) -> Any:
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, tuple):
                return list(value)
            if isinstance(value, np.ndarray):
                return value.tolist()
            return value

        keys = (
            "potential",
            "ratio",
            "inside",
            "outside",
            "permeant",
            "fixed_concentration",
            "fixed_valence",
            "osmolarity_in",
            "osmolarity_out",
            "osmotic_imbalance",
            "volume",
            "celsius",
            "outside_osmolytes",
        )
        out = {k: plain(getattr(self, k)) for k in keys}
        out["convention"] = "V = V_in - V_out; r = exp(-F V / RT); c_in = c_out r^z"
        out["units"] = {
            "potential": "mV",
            "concentration": "mM",
            "osmolarity": "mOsm/L",
            "volume": "relative to the reference volume",
            "temperature": "degC",
        }
        return out

    def explain(self) -> list[str]:
        """The equations with this result's numbers, step by step (scalar results only).

        The last line holds the result, ``V_D = ... mV``. Each ion's Nernst potential is
        computed by :func:`nernst.equilibrium_potential`, so the check that all of them equal
        V_D is independent of the solver.
        """
        if np.ndim(self.potential) or np.ndim(self.celsius):
            raise ValueError("explain() needs a scalar result (one condition)")
        from nernst.constants import thermal_voltage
        from nernst.nernst import equilibrium_potential

        V = float(self.potential)
        r = float(self.ratio)
        celsius = float(self.celsius)
        VT = float(thermal_voltage(celsius=celsius))
        X = float(self.fixed_concentration)
        zX = self.fixed_valence
        lines = [
            "Donnan equilibrium (V_D = V_in - V_out; impermeant species X inside, bath outside):",
            "  each permeant ion at its Nernst equilibrium: c_in = c_out exp(-z F V_D/RT) "
            "= c_out r^z,  r = exp(-F V_D/RT)",
            "  inside electroneutrality: sum z c_in + z_X [X] = 0",
            f"  R = {GAS_CONSTANT:.9g} J/(mol K), F = {FARADAY:.10g} C/mol (CODATA 2018, exact)",
            f"  T = {celsius:g} degC + 273.15 = {celsius + 273.15:.2f} K, RT/F = {VT:.4f} mV",
        ]
        if self.volume is not None:
            lines += [
                "  volume constraint: the cell volume W adjusts until osmolarity in = out;",
                f"  [X] = {_g(X * float(self.volume))} mM / W (at the reference volume W = 1)",
            ]
        lines += [
            f"  [X] = {_g(X)} mM, z_X = {zX:+g}: fixed charge z_X [X] = {zX * X:+.6g} mM",
            "  sum z c_out r^z falls monotonically with V_D: its unique root "
            "(bracketing root finder) gives",
            f"  V_D = {V:+.4f} mV, r = exp({-V:+.4f} / {VT:.4f}) = {r:.6g}",
        ]
        charge = 0.0
        for name in self.permeant:
            z = ions[name].charge
            c_out = float(self.outside[name])
            c_in = float(self.inside[name])
            charge += z * c_in
            E = float(equilibrium_potential(name, c_in=c_in, c_out=c_out, celsius=celsius))
            lines.append(
                f"  {name:>6}: {_g(c_out)} mM x r^{z:+d} = {c_in:.6g} mM inside;"
                f"  Nernst E = {E:+.4f} mV"
            )
        lines.append(
            f"  check: sum z c_in = {charge:+.6g} mM = -z_X [X] = {-zX * X:+.6g} mM (neutral)"
        )
        imbalance = float(self.osmotic_imbalance)
        if self.volume is not None:
            lines.append(
                f"  osmolarity in = out = {float(self.osmolarity_out):.6g} mOsm at "
                f"W = {float(self.volume):.6g}"
            )
        else:
            direction = (
                "water would flow in (the cell would swell)"
                if imbalance > 0
                else "water would flow out"
                if imbalance < 0
                else "no osmotic gradient"
            )
            lines.append(
                f"  osmolarity in {float(self.osmolarity_in):.6g} - out "
                f"{float(self.osmolarity_out):.6g} = {imbalance:+.6g} mOsm: {direction}"
            )
        lines.append(f"V_D = {V:+.1f} mV, r = {r:.4g}")
        return lines


def _g(x: float) -> str:
    return f"{x:g}"


def donnan_equilibrium(
    outside: Mapping[str, ArrayLike],
    /,
    *,
    fixed_charge_mM: ArrayLike,
    fixed_valence: float = -1.0,
    permeant: Iterable[str] | None = None,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
    volume_constraint: bool = False,
    outside_osmolytes_mM: ArrayLike = 0.0,
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
    :math:`[X] = [X]_0 / W` with :math:`[X]_0` = ``fixed_charge_mM`` at the reference volume
    W = 1. The unknowns V_D and W satisfy electroneutrality and

    .. math:: \sum_i c_{in,i} + [X] = \sum_{bath} c_{out} + \text{outside osmolytes}.

    Along the electroneutral branch the inside osmolarity changes monotonically with V_D, so
    this is again one bracketed root. A finite volume exists only if the bath holds enough
    impermeant solute (non-permeant bath ions or ``outside_osmolytes_mM``): with only
    permeant solutes outside, the Donnan excess of inside particles never vanishes and the
    cell swells without limit (the osmotic instability that the Na+/K+ pump prevents; the
    "pump-leak" model of Keener & Sneyd, ch. 2, treats pumped Na+ as impermeant, which you
    express by leaving Na+ out of ``permeant``). That case raises a ValueError.

    Parameters
    ----------
    outside : mapping of str to array_like
        Bath concentrations by ion name; ions not in ``permeant`` stay outside
        (impermeant) but count in the bath's osmolarity. [mM]
    fixed_charge_mM : array_like
        Concentration of the impermeant species X inside (under the volume constraint: at
        the reference volume). Its charge concentration is ``fixed_valence *
        fixed_charge_mM``. Zero is allowed without the volume constraint. [mM]
    fixed_valence : float, default -1.0
        Mean valence z_X of the impermeant species (non-zero; may be fractional, e.g. the
        mean charge per protein molecule). [unitless]
    permeant : iterable of str, optional
        The permeant ions; default: every ion in ``outside``. Each needs a positive bath
        concentration.
    celsius : array_like, default 37.0
        Temperature. Only V_D depends on it; r and the concentrations do not. [degC]
    volume_constraint : bool, default False
        Solve for the volume W at which the cell is isosmotic with the bath (see above).
    outside_osmolytes_mM : array_like, default 0.0
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
        Unknown ion, a permeant ion missing from ``outside``, a non-positive or non-finite
        bath concentration of a permeant ion, negative or non-finite ``fixed_charge_mM``,
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

    >>> res = donnan_equilibrium({"K+": 100, "Cl-": 100}, fixed_charge_mM=50)
    >>> round(res.inside["Cl-"], 3), round(res.inside["K+"], 3)
    (78.078, 128.078)
    >>> round(res.potential, 2)
    -6.61

    References
    ----------
    .. [1] Donnan F.G. (1911) Z. Elektrochem. 17:572-581.
    .. [2] Keener J., Sneyd J. (2009) Mathematical Physiology I, 2nd ed., Springer,
       ch. 2 (Gibbs-Donnan equilibrium; cell volume and the pump-leak model).
    .. [3] Nelson P. (2004) Biological Physics, W.H. Freeman, ch. 11.
    .. [4] Chandrupatla T.R. (1997) Adv. Eng. Softw. 28:145-149.
    """
    if not isinstance(outside, Mapping) or not outside:
        raise ValueError(
            "outside must be a non-empty mapping of ion name -> mM, e.g. {'K+': 5, 'Cl-': 110}"
        )
    bath = {ions.resolve(k): v for k, v in outside.items()}
    if len(bath) != len(outside):
        raise ValueError(f"outside names an ion twice: {list(outside)}")
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
                    f"permeant ion {name!r} has no concentration in outside; give its bath "
                    "concentration"
                )
    z = np.array([ions[n].charge for n in names], float)
    zX = float(as_float("fixed_valence", fixed_valence))
    if not math.isfinite(zX) or zX == 0:
        raise ValueError(
            f"fixed_valence={zX:g}: the mean valence of the impermeant species must be finite "
            "and non-zero (e.g. -1 for a monovalent anion)"
        )
    X0 = non_negative("fixed_charge_mM", fixed_charge_mM, what="concentration", unit="mM")
    osm_extra = non_negative(
        "outside_osmolytes_mM", outside_osmolytes_mM, what="concentration", unit="mOsm/L"
    )
    T = kelvin(celsius)
    bath_arrays = {}
    for name, value in bath.items():
        label = f"outside[{name!r}]"
        if name in names:
            bath_arrays[name] = positive(label, value)
        else:
            bath_arrays[name] = non_negative(label, value, what="concentration", unit="mM")
    arrays = broadcast(fixed_charge_mM=X0, outside_osmolytes_mM=osm_extra, **bath_arrays)
    X0, osm_extra, *bath_cols = arrays
    bath_b = dict(zip(bath_arrays, bath_cols, strict=True))
    c_out = np.stack([bath_b[n] for n in names], axis=-1)  # (..., n)
    _check_bath_neutrality(bath_b)
    osm_out = sum(bath_b.values(), start=np.zeros_like(X0)) + osm_extra

    if volume_constraint:
        if np.any(X0 == 0):
            raise ValueError(
                "fixed_charge_mM=0 with volume_constraint=True: a cell without impermeant "
                "solute has no equilibrium volume; give a positive amount"
            )
        u, X = _solve_volume(c_out, z, zX, osm_out)
        volume = X0 / X
    else:
        u = _solve_potential(c_out, z, -zX * X0)
        X = X0
        volume = None

    c_in = c_out * np.exp(-z * u[..., None])
    osm_in = np.sum(c_in, axis=-1) + X
    VT = GAS_CONSTANT * T / FARADAY * 1e3
    V, _ = broadcast(potential=u * VT, celsius=T)
    return DonnanResult(
        potential=scalar_or_array(V),
        ratio=scalar_or_array(np.exp(-u)),
        inside={n: scalar_or_array(c_in[..., k]) for k, n in enumerate(names)},
        outside={n: scalar_or_array(v) for n, v in bath_b.items()},
        permeant=tuple(names),
        fixed_concentration=scalar_or_array(X),
        fixed_valence=zX,
        osmolarity_in=scalar_or_array(osm_in),
        osmolarity_out=scalar_or_array(osm_out),
        osmotic_imbalance=scalar_or_array(osm_in - osm_out),
        volume=None if volume is None else scalar_or_array(volume),
        celsius=scalar_or_array(T - 273.15),
        outside_osmolytes=scalar_or_array(osm_extra),
    )


def _check_bath_neutrality(bath: Mapping[str, np.ndarray]) -> None:
    charge = sum((ions[n].charge * c for n, c in bath.items()), start=np.zeros(()))
    total = sum((abs(ions[n].charge) * c for n, c in bath.items()), start=np.zeros(()))
    excess = np.abs(charge) > _NEUTRALITY_RTOL * total
    if np.any(excess):
        worst = np.asarray(charge)[excess].ravel()[0]
        side = "cations exceed anions" if worst > 0 else "anions exceed cations"
        warnings.warn(
            f"outside is not electroneutral: sum z c_out = {worst:+g} mM ({side}); the "
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
                "bath solute (outside_osmolytes_mM, or a bath ion left out of permeant)"
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
