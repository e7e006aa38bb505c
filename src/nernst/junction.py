r"""Liquid junction potentials between two solutions (patch pipette and bath).

Sign convention (Barry's JPCalc and LJPcalc): the liquid junction potential (LJP) is the
potential of the **bath relative to the pipette**, ``LJP = V_bath - V_pipette``. The amplifier
is zeroed with the pipette in the bath, i.e. with the LJP in the circuit; once the seal forms
and the patch ruptures, the junction disappears, so every reading afterwards is off by the
LJP. The membrane potential is therefore

.. math:: V_m = V_{measured} - LJP

Example: a K-gluconate pipette in a saline bath gives an LJP of about +16 mV (the slow gluconate
anion stays behind, the bath side turns positive); a cell that reads -48.1 mV sits at
-48.1 - 16.1 = -64.2 mV.

Two methods:

* ``"henderson"``: the generalised Henderson equation (linear concentration profiles across
  the junction), as in JPCalc (Barry 1994).
* ``"nernst-planck"`` (default): the stationary Nernst-Planck equations with local
  electroneutrality (Marino et al. 2014, the method of JLJP and LJPcalc), solved exactly: with
  the electric potential as independent variable the equations are linear with constant
  coefficients, so the bath composition is the matrix exponential of the junction applied to
  the pipette composition; the unknown fluxes are found by Newton's method with the exact
  Jacobian (the Frechet derivative of the exponential), or MINPACK's hybrid method where that
  fails, to machine precision. No integration steps, no stopping rule, and the result does
  not depend on the order in which ions are listed. Extreme junctions (dilution ratios of
  thousands with polyvalent ions) where this shooting does not converge are solved by
  collocation of the same equations (``scipy.integrate.solve_bvp``, error-controlled) and
  then polished.

Mobilities are the limiting values at 25 degC from the ion table (``equivalent_conductivity``
converted by the Nernst-Einstein relation, else ``diffusion_coefficient``), or user-defined
(``custom_ions=``). By default (``mobility_model="25C"``, as JPCalc and LJPcalc) temperature
enters through RT/F only. With ``mobility_model="temperature"`` each ion's D is taken at the
recording temperature (:func:`diffusion_coefficient_at`): Boudreau's (1997) linear fits for
the ions he tabulates, the Stokes-Einstein scaling T/eta(T) for the others; only the ratios
matter, so what counts is that small ions speed up less with temperature than large organic
ones. Concentrations are used for activities (ideal solutions) unless ``activity_model=`` adds
JLJP's activity term to the flux. Pipette and bath may be :class:`nernst.Solution` objects
(recipes solved for their free ions); LJPcalc's ion-set text format is read and written by
:func:`read_ljpcalc_ion_set` and :func:`ljpcalc_ion_set`, and
:func:`liquid_junction_potentials` runs a batch of pairs.

References
----------
.. [1] Barry P.H., Lynch J.W. (1991) Liquid junction potentials and small cell effects in
   patch-clamp analysis. J. Membr. Biol. 121:101-117 (generalised Henderson equation, sign
   convention).
.. [2] Barry P.H. (1994) JPCalc, a software package for calculating liquid junction potential
   corrections in patch-clamp, intracellular, epithelial and bilayer measurements and for
   correcting junction potential measurements. J. Neurosci. Methods 51:107-116.
.. [3] Marino M., Misuri L., Brogioli D. (2014) A new open source software for the calculation
   of the liquid junction potential between two solutions according to the stationary
   Nernst-Planck equation. arXiv:1403.3640.
.. [4] Henderson P. (1907) Zur Thermodynamik der Flüssigkeitsketten. Z. Phys. Chem. 59:118-127.
.. [5] Planck M. (1890) Ueber die Erregung von Electricität und Wärme in Electrolyten. Ann.
   Phys. Chem. 39:161-186.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nernst.constants import FARADAY, GAS_CONSTANT, thermal_voltage
from nernst.ions import Ion, ions
from nernst.results import ResultMixin

__all__ = [
    "BOUDREAU_1997",
    "JUNCTION_ACTIVITY_MODELS",
    "LJPCALC_K_CONDUCTIVITY",
    "METHODS",
    "MOBILITY_MODELS",
    "NEUTRALITY_TOLERANCE",
    "IonSetEntry",
    "JunctionConvergenceError",
    "JunctionReport",
    "LJPcalcIonSet",
    "diffusion_coefficient_at",
    "junction_report",
    "liquid_junction_potential",
    "liquid_junction_potentials",
    "ljpcalc_ion_set",
    "read_ljpcalc_ion_set",
    "recording_solution",
    "recording_solutions",
    "solution_from_salts",
    "water_viscosity",
]

#: The accepted ``method=`` names and what each computes.
METHODS: dict[str, str] = {
    "nernst-planck": "stationary Nernst-Planck equations with local electroneutrality "
    "(Marino et al. 2014; JLJP, LJPcalc)",
    "henderson": "generalised Henderson equation (Barry & Lynch 1991; JPCalc)",
}

#: Largest accepted charge imbalance of a solution, as a fraction of its cation (or anion)
#: equivalents. Up to this (0.1 %, 0.15 mEq/L in a 150 mM solution; the correction moves the
#: LJP of typical recording solutions by 0.015 mV at most) the solution is made neutral, with a
#: warning, by lowering the excess side and raising the other by half the imbalance each
#: (every ion of a side scaled by one factor, so the order of the ions does not matter).
#: Above it: ValueError with the imbalance in mEq/L.
NEUTRALITY_TOLERANCE = 1e-3

#: Imbalances below this fraction are rounding in the input and corrected silently.
_ROUNDING = 1e-9

#: The temperature of the tabulated limiting conductivities. [K]
_T_TABLE = 298.15

#: Tolerance of the flux root finder (relative change of the unknowns).
_XTOL = 1e-12

#: Accepted residual of the bath composition, relative to the largest concentration.
_RESIDUAL_RTOL = 1e-9

_SALT_SEPARATORS = " -_·.,"


class JunctionConvergenceError(RuntimeError):
    """The stationary Nernst-Planck problem could not be solved for these solutions."""


# -- inputs ---------------------------------------------------------------------------------
def _concentration(side: str, key: str, value: Any) -> float:
    try:
        c = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{side}[{key!r}]={value!r} is not a number [mM]") from None
    if not (math.isfinite(c) and c >= 0):
        raise ValueError(
            f"{side}[{key!r}]={c:g}: a concentration must be zero or positive and finite [mM]"
        )
    return c


@dataclass(frozen=True)
class _IonDef:
    """One ion of a junction: charge, 25 degC diffusion coefficient [1e-9 m^2/s], source."""

    symbol: str
    charge: int
    D25: float | None
    source: str
    table: Ion | None = None


def _custom_ions(custom_ions: Mapping[str, Any] | None) -> dict[str, _IonDef]:
    """User-defined ions (or mobility overrides of table ions) by the name used for them."""
    out: dict[str, _IonDef] = {}
    for name, spec in (custom_ions or {}).items():
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"custom_ions: ion names are non-empty strings, got {name!r}")
        if isinstance(spec, Mapping):
            spec = dict(spec)
        elif isinstance(spec, tuple | list) and len(spec) == 2:
            spec = {"charge": spec[0], "lambda": spec[1]}
        else:
            raise ValueError(
                f"custom_ions[{name!r}]={spec!r}: give a mapping such as "
                "{'charge': 1, 'D': 1.957} (D in 1e-9 m^2/s) or {'charge': 1, 'lambda': 73.5} "
                "(limiting equivalent conductivity, S cm^2/mol), or a pair (charge, lambda)"
            )
        table = ions[name] if name in ions else None
        charge = spec.get("charge", table.charge if table is not None else None)
        try:
            z = int(charge)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValueError(
                f"custom_ions[{name!r}]: a charge (non-zero integer) is needed, got {charge!r}"
            ) from None
        if z == 0 or z != charge:
            raise ValueError(f"custom_ions[{name!r}]: charge={charge!r} must be a non-zero integer")
        if ("D" in spec) == ("lambda" in spec):
            raise ValueError(
                f"custom_ions[{name!r}]: give exactly one of 'D' [1e-9 m^2/s] or 'lambda' "
                "[S cm^2/mol]"
            )
        value = float(spec["D"] if "D" in spec else spec["lambda"])
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"custom_ions[{name!r}]: the mobility {value!r} must be positive")
        if "lambda" in spec:
            value = GAS_CONSTANT * _T_TABLE * value * 1e-4 / (abs(z) * FARADAY**2) * 1e9
        symbol = table.symbol if table is not None and table.charge == z else name
        out[name] = _IonDef(symbol, z, value, "user", table)
    return out


def _lookup(side: str, key: Any, custom: Mapping[str, _IonDef]) -> _IonDef:
    if isinstance(key, str):
        if key in custom:
            return custom[key]
        if not custom:
            d = _table_ion_def(key)
            if d is not None:
                return d
    try:
        ion = ions[key]
    except KeyError as err:
        if isinstance(key, str) and _salt_decomposition(key) is not None:
            raise ValueError(
                f"{side}: {key!r} is a salt, not an ion; convert salts with "
                f"nernst.solution_from_salts({{{key!r}: ...}}) or give the recipe as a "
                "nernst.Solution"
            ) from None
        raise ValueError(
            f"{side}: {err.args[0]} (define it with custom_ions={{{key!r}: {{'charge': ..., "
            "'D': ...}}}})"
        ) from None
    for d in custom.values():
        if d.table is ion:
            return d
    D, src = _table_mobility(ion)
    return _IonDef(ion.symbol, ion.charge, D, src, ion)


@functools.lru_cache(maxsize=1024)
def _table_ion_def(key: str) -> _IonDef | None:
    """The table ion a name (symbol or alias) stands for, with its mobility; None if unknown.

    Cached per spelling (issue 13): an _IonDef is frozen and holds only immutable values.
    """
    if key not in ions:
        return None
    ion = ions[key]
    D, src = _table_mobility(ion)
    return _IonDef(ion.symbol, ion.charge, D, src, ion)


@cache
def _table_order() -> dict[str, int]:
    """Ion symbol -> its row in the ion table (the order of a junction's ion axis)."""
    return {s: i for i, s in enumerate(ions)}


def _as_ions(
    side: str,
    solution: Any,
    custom: Mapping[str, _IonDef],
    unknown_mobility: str,
    defs: dict[str, _IonDef],
) -> dict[str, float]:
    """Symbol -> mM for one side (preset name, mapping, or a Solution); fills ``defs``."""
    if isinstance(solution, str):
        solution = recording_solution(solution)
    elif not isinstance(solution, Mapping) and hasattr(solution, "speciation"):
        return _from_solution_object(side, solution, custom, unknown_mobility, defs)
    if not isinstance(solution, Mapping):
        raise ValueError(
            f"{side} must be a mapping of ion -> concentration [mM] such as "
            f"{{'K+': 140, 'Cl-': 140}}, a preset name, or a nernst.Solution, got {solution!r}"
        )
    out: dict[str, float] = {}
    names: dict[str, str] = {}
    for key, value in solution.items():
        d = _lookup(side, key, custom)
        symbol = d.symbol
        if symbol in out:
            raise ValueError(f"{side} lists {symbol} twice ({names[symbol]!r} and {key!r})")
        out[symbol] = _concentration(side, key, value)
        names[symbol] = key
        defs[symbol] = d
    if not any(out.values()):
        raise ValueError(f"{side} has no ion with a concentration above zero")
    return out


def _from_solution_object(
    side: str,
    solution: Any,
    custom: Mapping[str, _IonDef],
    unknown_mobility: str,
    defs: dict[str, _IonDef],
) -> dict[str, float]:
    """The charged species of a nernst.Solution; species without a mobility per the policy."""
    out: dict[str, float] = {}
    missing: dict[str, float] = {}
    for symbol, c in solution.ions.items():
        d = _lookup(side, symbol, custom)
        if d.D25 is None:
            missing[symbol] = c
            continue
        out[d.symbol] = out.get(d.symbol, 0.0) + c
        defs[d.symbol] = d
    if missing:
        listing = ", ".join(f"{s} {c:.4g} mM" for s, c in missing.items())
        if unknown_mobility != "drop":
            raise ValueError(
                f"{side}: no mobility is tabulated for {listing}; give them with "
                "custom_ions={name: {'charge': z, 'D': ...}}, or pass unknown_mobility='drop' "
                "to leave them out together with an equal charge of their counter-ions"
            )
        _drop_with_counter_ions(side, out, missing, defs, listing)
        warnings.warn(
            f"{side}: left out for want of a mobility: {listing} (with an equal charge of "
            "their counter-ions, each lowered in proportion)",
            UserWarning,
            stacklevel=5,
        )
    return out


#: ``unknown_mobility="drop"`` refuses to take away more than this fraction of the charge of
#: the counter-ions: the species left out would then be the solution, not a minor part of it.
_DROP_LIMIT = 0.5


def _drop_with_counter_ions(
    side: str,
    out: dict[str, float],
    missing: Mapping[str, float],
    defs: Mapping[str, _IonDef],
    listing: str,
) -> None:
    """Take the net charge of the species left out off their counter-ions, in proportion.

    Every counter-ion (the ions of opposite sign to the net charge left out) is lowered by the
    same factor, so none turns negative and the result does not depend on which ion is the
    most abundant or on the order of the ions. ValueError if the species left out carry more
    than :data:`_DROP_LIMIT` of the counter-ions' charge.
    """
    dropped = math.fsum(ions[s].charge * c for s, c in missing.items())  # [mEq/L]
    if dropped == 0:
        return
    counter = [s for s in out if defs[s].charge * dropped < 0 and out[s] > 0]
    available = math.fsum(abs(defs[s].charge) * out[s] for s in counter)
    kind = "cations" if dropped < 0 else "anions"
    if not counter or abs(dropped) > _DROP_LIMIT * available:
        raise ValueError(
            f"{side}: the species without a mobility ({listing}) carry {abs(dropped):.4g} "
            f"mEq/L of charge, more than half of the {available:.4g} mEq/L of {kind} that "
            "balance them; leaving them out (unknown_mobility='drop') would remove most of "
            "the solution. "
            "Give their mobilities with custom_ions={name: {'charge': z, 'D': ...}} (D in "
            "1e-9 m^2/s), or leave them out of the recipe"
        )
    factor = 1.0 - abs(dropped) / available
    for s in counter:
        out[s] *= factor


def _neutral(side: str, conc: dict[str, float], defs: Mapping[str, _IonDef]) -> dict[str, float]:
    """The solution, made exactly neutral if its imbalance is small; ValueError if not."""
    # fsum is exactly rounded, so the result does not depend on the order of the ions
    z = {s: defs[s].charge for s in conc}
    plus = math.fsum(c * z[s] for s, c in conc.items() if z[s] > 0)
    minus = math.fsum(-c * z[s] for s, c in conc.items() if z[s] < 0)
    imbalance = plus - minus
    if imbalance == 0:
        return conc
    big = max(plus, minus)
    if plus == 0 or minus == 0 or abs(imbalance) > NEUTRALITY_TOLERANCE * big:
        raise ValueError(
            f"{side} is not electroneutral: cations {plus:g} mEq/L, anions {minus:g} mEq/L, "
            f"imbalance {imbalance:+.4g} mEq/L (more than {NEUTRALITY_TOLERANCE:.1%}); add the "
            "missing counter-ions (e.g. the K+/Na+/Cs+ of the hydroxide used to titrate HEPES) "
            "or give the recipe as salts (e.g. K-gluconate=145,NaCl=10) or as a recipe with "
            "buffers and a pH (a Solution)"
        )
    if abs(imbalance) > _ROUNDING * big:
        warnings.warn(
            f"{side} is not exactly electroneutral (imbalance {imbalance:+.3g} mEq/L of "
            f"{big:g}); it was made neutral by changing cations and anions by "
            f"{abs(imbalance) / 2:.3g} mEq/L each",
            UserWarning,
            stacklevel=5,
        )
    up, down = 1 - imbalance / (2 * plus), 1 + imbalance / (2 * minus)
    return {s: c * (up if z[s] > 0 else down) for s, c in conc.items()}


def _table_mobility(ion: Ion) -> tuple[float | None, str]:
    """Diffusion coefficient at infinite dilution, 25 degC [1e-9 m^2/s], and where it came from."""
    if ion.equivalent_conductivity is not None:
        # Nernst-Einstein: D = RT lambda_molar / (z^2 F^2) = RT lambda / (|z| F^2);
        # lambda in S cm^2/mol (1e-4 S m^2/mol), D reported in 1e-9 m^2/s.
        D = GAS_CONSTANT * _T_TABLE * ion.equivalent_conductivity * 1e-4
        return D / (abs(ion.charge) * FARADAY**2) * 1e9, "lambda"
    if ion.diffusion_coefficient is not None:
        return float(ion.diffusion_coefficient), "D"
    return None, "none"


def _mobility(ion: Ion) -> tuple[float, str]:
    D, src = _table_mobility(ion)
    if D is None:
        raise ValueError(
            f"no mobility for {ion.symbol}: the ion table has neither an equivalent "
            "conductivity nor a diffusion coefficient for it, so it cannot enter a junction "
            "potential (define it with custom_ions, leave it out or replace it by an ion with "
            "a known mobility)"
        )
    return D, src


# -- mobilities at the recording temperature --------------------------------------------------
#: The accepted ``mobility_model=`` names and what each does.
MOBILITY_MODELS: dict[str, str] = {
    "25C": "limiting mobilities at 25 degC at every temperature (JPCalc, LJPcalc)",
    "temperature": "each ion's D at the recording temperature: Boudreau (1997) linear fits "
    "D = m0 + m1 t where tabulated, otherwise Stokes-Einstein D ~ T/eta(T)",
}

#: Boudreau B.P. (1997) Diagenetic Models and Their Implementation, Springer, Table 4.8
#: (after Hayduk & Laudie 1974 and Li & Gregory 1974): D = m0 + m1 t [1e-6 cm^2/s], t in degC.
#: Only the ratio D(t)/D(25) is used, so the 25 degC values stay those of the ion table.
BOUDREAU_1997: dict[str, tuple[float, float]] = {
    "H+": (54.4, 1.555), "D+": (31.9, 1.402), "Li+": (4.43, 0.241), "Na+": (6.06, 0.297),
    "K+": (9.55, 0.409), "Rb+": (10.2, 0.424), "Cs+": (10.3, 0.416), "Ag+": (7.82, 0.359),
    "NH4+": (9.5, 0.413), "Ba2+": (4.06, 0.176), "Be2+": (2.57, 0.140), "Ca2+": (3.6, 0.179),
    "Cd2+": (3.31, 0.152), "Co2+": (3.31, 0.152), "Cu2+": (3.39, 0.158), "Fe2+": (3.31, 0.15),
    "Hg2+": (3.63, 0.208), "Mg2+": (3.43, 0.144), "Mn2+": (3.18, 0.155), "Ni2+": (3.36, 0.13),
    "Sr2+": (3.69, 0.169), "Pb2+": (4.46, 0.198), "Ra2+": (3.91, 0.199), "Zn2+": (3.31, 0.151),
    "Al3+": (2.79, 0.172), "Ce3+": (2.95, 0.131), "La3+": (2.78, 0.136), "OH-": (25.9, 1.094),
    "Br-": (10.0, 0.441), "Cl-": (9.6, 0.438), "F-": (6.29, 0.343), "HCO3-": (5.06, 0.275),
    "H2PO4-": (4.02, 0.223), "HS-": (10.4, 0.273), "HSO3-": (6.35, 0.280),
    "HSO4-": (5.99, 0.307), "I-": (9.81, 0.432), "IO3-": (4.66, 0.252), "NO2-": (10.3, 0.331),
    "NO3-": (9.5, 0.388), "acetate-": (4.8, 0.245), "lactate-": (4.41, 0.241),
    "CO3 2-": (4.33, 0.199), "HPO4 2-": (3.26, 0.177), "SO3 2-": (4.53, 0.249),
    "SO4 2-": (4.88, 0.232), "S2O3 2-": (4.82, 0.266), "S2O4 2-": (3.95, 0.187),
    "S2O6 2-": (5.3, 0.291), "S2O8 2-": (4.88, 0.267), "malate 2-": (3.36, 0.183),
    "PO4 3-": (2.62, 0.143), "citrate 3-": (2.67, 0.146),
}  # fmt: skip


def water_viscosity(*, celsius: ArrayLike = 25.0) -> Any:
    r"""Viscosity of liquid water at 0.1 MPa, 0-100 degC.

    .. math::

        \log_{10}\frac{\eta(t)}{\eta(20)} =
        \begin{cases}
        \frac{20 - t}{t + 96}\left[1.2364 - 1.37\times10^{-3}(20 - t)
            + 5.7\times10^{-6}(20 - t)^2\right] & t \le 20 \\
        \frac{1.3272\,(20 - t) - 0.001053\,(t - 20)^2}{t + 105} & t > 20
        \end{cases}

    with :math:`\eta(20) = 1.002` mPa s (the two correlations printed with the CRC Handbook's
    table of the viscosity of water: Hardy & Cottington 1949 below 20 degC, Swindells et al.
    above).

    Parameters
    ----------
    celsius : array_like, default 25.0
        Temperature, 0-100. [degC]

    Returns
    -------
    eta : float or ndarray
        [mPa s]

    Raises
    ------
    ValueError
        A temperature outside 0-100 degC or not finite.

    References
    ----------
    .. [1] Haynes W.M. (ed.) CRC Handbook of Chemistry and Physics, 97th ed., section 6,
       "Viscosity of water" (values and correlations).
    .. [2] Hardy R.C., Cottington R.L. (1949) Viscosity of deuterium oxide and water in the
       range 5 to 125 C. J. Res. Natl. Bur. Stand. 42:573-578.

    Examples
    --------
    >>> round(water_viscosity(celsius=25), 4)   # CRC Handbook: 0.890 mPa s
    0.8905
    """
    t = np.asarray(celsius, dtype=float)
    if not np.all(np.isfinite(t)) or np.any(t < 0) or np.any(t > 100):
        raise ValueError(f"celsius={celsius!r}: the viscosity formula holds from 0 to 100 degC")
    d = 20.0 - t
    low = d / (t + 96.0) * (1.2364 - 1.37e-3 * d + 5.7e-6 * d * d)
    high = (1.3272 * d - 0.001053 * d * d) / (t + 105.0)
    eta = 1.002 * 10.0 ** np.where(t <= 20.0, low, high)
    return float(eta) if eta.ndim == 0 else eta


def diffusion_coefficient_at(
    ion: str, /, *, celsius: float, model: str = "temperature"
) -> tuple[float, str]:
    r"""An ion's limiting diffusion coefficient at a temperature, and the method used.

    ``model="temperature"``: for the ions of Boudreau's (1997) Table 4.8,

    .. math:: D(t) = D_{25}\,\frac{m_0 + m_1 t}{m_0 + 25\,m_1}

    (:data:`BOUDREAU_1997`; fitted to data from 0 to 25 degC, extrapolated above), otherwise
    the Stokes-Einstein scaling :math:`D(t) = D_{25}\,(T/298.15)\,\eta(25)/\eta(t)` with
    :func:`water_viscosity`. ``model="25C"``: :math:`D_{25}` unchanged. :math:`D_{25}` is the
    ion table's value (Nernst-Einstein from the limiting conductivity).

    Parameters
    ----------
    ion : str
        Ion name.
    celsius : float
        Temperature, 0-60. [degC]
    model : {"temperature", "25C"}

    Returns
    -------
    D : float
        [1e-9 m^2/s]
    method : str
        "Boudreau 1997", "Stokes-Einstein" or "25 degC".

    Raises
    ------
    ValueError
        Unknown ion or model, an ion without a tabulated mobility, a bad temperature.

    References
    ----------
    .. [1] Boudreau B.P. (1997) Diagenetic Models and Their Implementation. Springer, Berlin,
       Table 4.8 (after Hayduk W., Laudie H. (1974) AIChE J. 20:611-615 and Li Y.-H.,
       Gregory S. (1974) Geochim. Cosmochim. Acta 38:703-714).
    .. [2] CRC Handbook of Chemistry and Physics, 97th ed., "Viscosity of water".

    Examples
    --------
    >>> D, how = diffusion_coefficient_at("K+", celsius=32)
    >>> round(D, 3), how
    (2.24, 'Boudreau 1997')
    """
    kind = _mobility_model(model)
    t = float(celsius)
    if not (math.isfinite(t) and 0.0 <= t <= 60.0):
        raise ValueError(f"celsius={celsius!r}: mobilities are corrected between 0 and 60 degC")
    try:
        tab = ions[ion]
    except KeyError as err:
        raise ValueError(err.args[0]) from None
    D25, _ = _mobility(tab)
    return _scaled(tab.symbol, D25, t, kind)


def _scaled(symbol: str, D25: float, t: float, kind: str) -> tuple[float, str]:
    if kind == "25C":
        return D25, "25 degC"
    if symbol in BOUDREAU_1997:
        m0, m1 = BOUDREAU_1997[symbol]
        return D25 * (m0 + m1 * t) / (m0 + 25.0 * m1), "Boudreau 1997"
    ratio = (t + 273.15) / _T_TABLE * _ETA25 / float(water_viscosity(celsius=t))
    return D25 * ratio, "Stokes-Einstein"


_ETA25 = 1.002 * 10.0 ** ((1.3272 * -5.0 - 0.001053 * 25.0) / 130.0)


def _mobility_model(model: str) -> str:
    key = str(model).strip()
    if key in MOBILITY_MODELS:
        return key
    low = {k.lower(): k for k in MOBILITY_MODELS}
    if key.lower() not in low:
        raise ValueError(
            f"mobility_model={model!r} is not known; the models are: "
            + ", ".join(f"{k!r} ({v})" for k, v in MOBILITY_MODELS.items())
        )
    return low[key.lower()]


def _method(method: str) -> str:
    key = str(method).strip().lower().replace("_", "-").replace(" ", "-")
    if key not in METHODS:
        raise ValueError(
            f"method={method!r} is not known; the methods are: "
            + ", ".join(f"{k!r} ({v})" for k, v in METHODS.items())
        )
    return key


@dataclass(frozen=True)
class _Junction:
    """Validated, neutral inputs on a common ion axis in ion-table order."""

    symbols: tuple[str, ...]
    z: np.ndarray
    D: np.ndarray
    source: tuple[str, ...]
    c_pipette: np.ndarray
    c_bath: np.ndarray


def _prepare(
    pipette: Any,
    bath: Any,
    *,
    custom_ions: Mapping[str, Any] | None = None,
    mobility_model: str = "25C",
    celsius: float = 25.0,
    unknown_mobility: str = "error",
) -> _Junction:
    if unknown_mobility not in ("error", "drop"):
        raise ValueError(f"unknown_mobility={unknown_mobility!r} must be 'error' or 'drop'")
    kind = _mobility_model(mobility_model)
    custom = _custom_ions(custom_ions)
    defs: dict[str, _IonDef] = {}
    pip = _neutral("pipette", _as_ions("pipette", pipette, custom, unknown_mobility, defs), defs)
    bat = _neutral("bath", _as_ions("bath", bath, custom, unknown_mobility, defs), defs)
    order = _table_order()
    user_order = {d.symbol: i for i, d in enumerate(custom.values())}
    symbols = sorted(
        (s for s in {*pip, *bat} if pip.get(s, 0.0) > 0 or bat.get(s, 0.0) > 0),
        key=lambda s: (order.get(s, len(order) + user_order.get(s, 0)), s),
    )
    D, source = [], []
    for s in symbols:
        d = defs[s]
        if d.D25 is None:
            _mobility(ions[s])  # raises the error naming the ion
        assert d.D25 is not None
        if kind != "25C" and not math.isfinite(float(celsius)):
            raise ValueError(f"celsius={celsius!r} must be finite")
        value, how = _scaled(s, d.D25, float(celsius), kind)
        D.append(value)
        source.append(d.source if kind == "25C" else f"{d.source}, {how}")
    return _Junction(
        symbols=tuple(symbols),
        z=np.array([defs[s].charge for s in symbols], dtype=float),
        D=np.array(D),
        source=tuple(source),
        c_pipette=np.array([pip.get(s, 0.0) for s in symbols]),
        c_bath=np.array([bat.get(s, 0.0) for s in symbols]),
    )


# -- the two methods --------------------------------------------------------------------------
def _henderson(j: _Junction) -> tuple[float, dict[str, float]]:
    """Dimensionless F(V_bath - V_pipette)/RT by the generalised Henderson equation."""
    z, u, ca, cb = j.z, j.D, j.c_pipette, j.c_bath
    numerator = float(np.sum(z * u * (cb - ca)))
    W_pip, W_bath = float(np.sum(z * z * u * ca)), float(np.sum(z * z * u * cb))
    denominator = W_bath - W_pip  # = sum z^2 u (c_bath - c_pipette)
    # S ln Q = numerator * ln(W_bath/W_pip) / (W_bath - W_pip), stable when W_bath ~ W_pip.
    r = denominator / W_pip
    inv_log_mean = math.log1p(r) / denominator if abs(r) > 1e-6 else (1 - r / 2 + r * r / 3) / W_pip
    dphi = -numerator * inv_log_mean
    terms = {
        "numerator": numerator,
        "denominator": denominator,
        "W_pipette": W_pip,
        "W_bath": W_bath,
        "S": numerator / denominator if denominator else math.nan,
        "Q": W_bath / W_pip,
        "lnQ": math.log(W_bath / W_pip),
    }
    return dphi, terms


def _henderson_dphi(z: np.ndarray, u: np.ndarray, ca: np.ndarray, cb: np.ndarray) -> float:
    """The Henderson estimate of F(V_bath - V_pipette)/RT alone (the start of the solver)."""
    zu = z * u
    numerator = float(zu @ (cb - ca))
    W_pip, W_bath = float(z * zu @ ca), float(z * zu @ cb)
    denominator = W_bath - W_pip
    r = denominator / W_pip
    inv_log_mean = math.log1p(r) / denominator if abs(r) > 1e-6 else (1 - r / 2 + r * r / 3) / W_pip
    return -numerator * inv_log_mean


@dataclass(frozen=True)
class _NPSolution:
    dphi: float
    h: np.ndarray
    nfev: int
    residual: float
    solver: str


def _np_matrix(h: np.ndarray, z: np.ndarray) -> np.ndarray:
    """A(h) = h w^T - (z.h) diag(z), w = z^2: dc/dtau = A c along the junction.

    ``h`` may be a stack (k, n) of flux vectors; the result is then a stack (k, n, n).
    """
    n = z.size
    if h.ndim == 1:
        A = h[:, None] * (z * z)
        A.reshape(-1)[:: n + 1] -= (z @ h) * z
        return A
    A = h[:, :, None] * (z * z)
    # z . h_k one dot product per row, as in the single case (the same kernel, the same bits)
    s = np.matmul(h[:, None, :], z[:, None])[:, 0, :]
    A.reshape(h.shape[0], -1)[:, :: n + 1] -= s * z
    return A


def _pade_coefficients(m: int) -> tuple[float, ...]:
    """b_0..b_m of the [m/m] Pade approximant of exp, scaled to b_m = 1 (Higham 2005, eq. 2.2):
    b_j = (2m - j)! / (j! (m - j)!), exact integers (m = 13: 64764752532480000, ..., 182, 1)."""
    f = math.factorial
    return tuple(float(f(2 * m - j) // (f(j) * f(m - j))) for j in range(m + 1))


#: Coefficients of the [13/13] Pade approximant of exp and the largest 1-norm for which it is
#: accurate to double precision without scaling (Higham 2005, Table 2.3 and eq. 2.4).
_PADE13 = _pade_coefficients(13)
_THETA13 = 5.371920351148152

#: Higham (2005), Table 2.3 and Algorithm 2.3: for m = 3, 5, 7, 9, the largest 1-norm theta_m
#: for which [m/m] has backward error below the unit roundoff (no scaling needed), and the
#: coefficients of that approximant.
_LOW_PADE: tuple[tuple[float, tuple[float, ...]], ...] = tuple(
    (theta, _pade_coefficients(m))
    for m, theta in (
        (3, 1.495585217958292e-2),
        (5, 2.539398330063230e-1),
        (7, 9.504178996162932e-1),
        (9, 2.097847961257068e0),
    )
)


#: The Pade coefficients of U and V as one array, [inner, outer] x [U, V] x [A^6, A^4, A^2, I]:
#: U = A (A^6 (b13 A^6 + b11 A^4 + b9 A^2) + b7 A^6 + b5 A^4 + b3 A^2 + b1 I) and
#: V = A^6 (b12 A^6 + b10 A^4 + b8 A^2) + b6 A^6 + b4 A^4 + b2 A^2 + b0 I (Higham 2005, eq. 2.3).
_PADE13_TERMS = np.array(
    [
        [
            [_PADE13[13], _PADE13[11], _PADE13[9], 0.0],
            [_PADE13[12], _PADE13[10], _PADE13[8], 0.0],
        ],
        [
            [_PADE13[7], _PADE13[5], _PADE13[3], _PADE13[1]],
            [_PADE13[6], _PADE13[4], _PADE13[2], _PADE13[0]],
        ],
    ]
)[:, :, :, None, None, None]


@cache
def _identity(n: int) -> np.ndarray:
    """The n x n identity (read-only)."""
    ident = np.eye(n)
    ident.flags.writeable = False
    return ident


try:  # the LAPACK gesv gufunc behind numpy.linalg.solve, without its per-call Python checks
    from numpy.linalg import _umath_linalg

    _GESV: Any = _umath_linalg.solve
except (ImportError, AttributeError):  # pragma: no cover - other NumPy layouts
    _GESV = None


def _solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """numpy.linalg.solve(a, b) for float64 (stacks of) square matrices: the same LAPACK call,
    without the Python-level checks. A singular ``a`` gives NaN here instead of LinAlgError
    (the Pade denominator V - U is well conditioned for norms up to theta_13, Higham 2005);
    every caller checks its result for finiteness."""
    if _GESV is not None:
        return _GESV(a, b, signature="dd->d")
    return np.linalg.solve(a, b)  # pragma: no cover - other NumPy layouts


def _expm(A: np.ndarray) -> np.ndarray:
    """Matrix exponential: Pade approximants with scaling and squaring (Higham 2005).

    Higham's (2005) Algorithm 2.3, the one behind ``scipy.linalg.expm``, in plain NumPy: for
    the small matrices here it avoids the threaded BLAS calls of the compiled version, which
    thrash on a loaded machine. Checked against ``scipy.linalg.expm`` in the tests. A stack
    (k, n, n) whose 1-norms are all below theta_9 = 2.098 takes the lowest degree m in
    (3, 5, 7, 9) whose theta_m bounds them, unscaled (the junction's path steps, norm ~1, take
    m = 7 or 9); otherwise [13/13] with each matrix scaled by its own power of two. A stack's
    results agree with one-at-a-time calls to rounding (a stack may take a higher degree than
    its smallest member alone would); in the [13/13] branch they are the same bit for bit
    (the scalar multiples of A^2, A^4, A^6 of U and V are formed in one broadcast product).

    References
    ----------
    .. [1] Higham N.J. (2005) The scaling and squaring method for the matrix exponential
       revisited. SIAM J. Matrix Anal. Appl. 26:1179-1193.
    """
    single = A.ndim == 2
    if single:
        A = A[None]
    k, n = A.shape[0], A.shape[-1]
    norms = np.maximum.reduce(np.add.reduce(np.abs(A), axis=1), axis=1).tolist()
    largest = max(norms)
    for theta, b in _LOW_PADE:
        if largest <= theta:
            R = _expm_low(A, b)
            return R[0] if single else R
    s = [max(0, math.ceil(math.log2(x / _THETA13))) if x > _THETA13 else 0 for x in norms]
    top = max(s)
    if top:
        A = A / (2.0**top if k == 1 else np.array([2.0**j for j in s])[:, None, None])
    # [A^6, A^4, A^2, I], then every scalar multiple of them at once; the sums below run in
    # the order of the expression written out (a reduction over an axis of length <= 5 adds
    # term by term), so the rounding is that of the textbook evaluation
    powers = np.empty((4, k, n, n))
    A6, A4, A2 = powers[0], powers[1], powers[2]
    powers[3] = _identity(n)
    np.matmul(A, A, out=A2)
    np.matmul(A2, A2, out=A4)
    np.matmul(A4, A2, out=A6)
    T = np.empty((2, 2, 5, k, n, n))  # [inner, outer] x [U, V] x [A^6 @ inner, terms]
    np.multiply(_PADE13_TERMS, powers, out=T[:, :, 1:])
    inner = np.add.reduce(T[0, :, 1:4], axis=1)  # b13 A^6 + b11 A^4 + b9 A^2 (and V's)
    np.matmul(A6, inner, out=T[1, :, 0])
    UV = np.add.reduce(T[1], axis=1)  # A^6 inner + b7 A^6 + b5 A^4 + b3 A^2 + b1 I (and V's)
    U = np.matmul(A, UV[0])
    V = UV[1]
    R = _solve(V - U, V + U)
    for i in range(top):
        todo = [j for j, sj in enumerate(s) if sj > i]
        if len(todo) == k:
            R = R @ R
        else:
            R[todo] = R[todo] @ R[todo]
    return R[0] if single else R


def _expm_low(A: np.ndarray, b: tuple[float, ...]) -> np.ndarray:
    """e^A for a stack whose 1-norms are all below theta_m: the [m/m] Pade approximant with
    coefficients ``b`` (m = len(b) - 1 odd), unscaled (Higham 2005, Algorithm 2.3).

    U = A (b_m A^(m-1) + ... + b_3 A^2 + b_1 I), V = b_(m-1) A^(m-1) + ... + b_2 A^2 + b_0 I,
    e^A = (V - U)^-1 (V + U).
    """
    ident = _identity(A.shape[-1])
    A2 = A @ A
    u = b[3] * A2 + b[1] * ident
    v = b[2] * A2 + b[0] * ident
    power = A2
    for j in range(4, len(b), 2):
        power = power @ A2
        u += b[j + 1] * power
        v += b[j] * power
    U = A @ u
    return _solve(v - U, v + U)


def _nernst_planck(
    z: np.ndarray, D: np.ndarray, ca: np.ndarray, cb: np.ndarray, *, xtol: float = _XTOL
) -> _NPSolution:
    """The junction from ca (x = 0) to cb (x = L), solved from its more concentrated end.

    Shooting from the concentrated end is the better-conditioned direction; the reversed
    junction has the negated potential and fluxes, so LJP(a, b) = -LJP(b, a) exactly.
    """
    n = z.size
    list_a, list_b = ca.tolist(), cb.tolist()
    if n < 2 or list_a == list_b:
        return _NPSolution(0.0, np.zeros(n), 0, 0.0, "identical solutions")
    # the more concentrated end first; ties broken by the compositions, so that the reversed
    # junction is always solved the same way round
    key_a = (float(np.sum(np.abs(z) * ca)), *list_a)
    key_b = (float(np.sum(np.abs(z) * cb)), *list_b)
    forward = key_a >= key_b
    orders = [forward, not forward]
    for robust in (False, True):
        for fwd in orders:
            sol = _solve_oriented(z, D, *((ca, cb) if fwd else (cb, ca)), xtol, robust)
            if sol is not None:
                if fwd:
                    return sol
                return _NPSolution(-sol.dphi, -sol.h, sol.nfev, sol.residual, sol.solver)
    dphi_h, _ = _henderson(_Junction((), z, D, (), ca, cb))
    raise JunctionConvergenceError(
        f"the stationary Nernst-Planck equations could not be solved for these solutions; the "
        f"Henderson estimate is {dphi_h:+.6g} RT/F; use method='henderson'"
    )


#: MINPACK hybrd's default budget, 200 (m + 1) evaluations for m = n - 1 unknowns.
_MAXFEV_PER_UNKNOWN = 200

#: sqrt(machine epsilon): MINPACK's forward-difference step (fdjac1 with epsfcn = eps).
_FD_STEP = math.sqrt(float(np.finfo(float).eps))


@functools.lru_cache(maxsize=256)
def _bases_cached(zb: bytes, zDb: bytes) -> tuple[np.ndarray, np.ndarray]:
    z, zD = np.frombuffer(zb), np.frombuffer(zDb)
    P = _null_space_of_row(zD)  # h = P a satisfies sum z D h = 0 (zero current)
    Q = _null_space_of_row(z)  # residual components orthogonal to z (one is redundant)
    P.flags.writeable = Q.flags.writeable = False
    return P, Q


def _null_space_of_row(row: np.ndarray) -> np.ndarray:
    """An orthonormal basis (n, n-1) of the vectors orthogonal to a non-zero row vector.

    What ``scipy.linalg.null_space`` returns for a rank-1 matrix (the last n-1 right singular
    vectors of the full SVD, LAPACK gesdd), from NumPy's SVD: importing scipy.linalg would add
    about 0.1 s to the first junction of a process (``nernst ljp``).
    """
    _, _, vh = np.linalg.svd(row[None, :], full_matrices=True)
    # the same values in SciPy's memory layout (LAPACK's Fortran-ordered vh, a strided view),
    # so that the products with it, and the junctions, keep their last bits
    return np.asfortranarray(vh)[1:].T


def _bases(z: np.ndarray, D: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Orthonormal bases P (of z.D h = 0) and Q (orthogonal to z), cached per ion set."""
    return _bases_cached(z.tobytes(), (z * D).tobytes())


@functools.lru_cache(maxsize=256)
def _frechet_blocks_cached(zb: bytes, zDb: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The stack of block matrices [[0, E_k], [0, 0]] (E_k = dA/da_k, scaled) and the scales.

    ``A(P a) = (P a) w^T - (z.P a) diag(z)`` is linear in ``a``, so ``E_k = p_k w^T -
    (z.p_k) diag(z)``; each is scaled to unit 1-norm (the Frechet derivative is linear in the
    direction, and a small off-diagonal block keeps the block matrix's norm, hence the number
    of squarings, that of A).
    """
    z = np.frombuffer(zb)
    P, _ = _bases_cached(zb, zDb)
    n, m = z.size, z.size - 1
    E = P.T[:, :, None] * (z * z)
    E[:, np.arange(n), np.arange(n)] -= (z @ P)[:, None] * z
    norms = np.abs(E).sum(axis=1).max(axis=1)
    M = np.zeros((m, 2 * n, 2 * n))
    M[:, :n, n:] = E / norms[:, None, None]
    M.flags.writeable = norms.flags.writeable = False
    return M, norms


class _Shooter:
    """The shooting residual and its forward-difference Jacobian for MINPACK's hybrj.

    ``jacobian`` evaluates the n-1 perturbed residuals of MINPACK's ``fdjac1`` (the same
    steps, the same differences) as one stack of matrix exponentials instead of n-1 calls,
    so hybrj follows hybrd's iterates; ``seen`` remembers each evaluated point (the
    Jacobian's base value, and the end composition of the returned root).
    """

    def __init__(
        self,
        z: np.ndarray,
        P: np.ndarray,
        QT: np.ndarray,
        ca: np.ndarray,
        cb: np.ndarray,
        scale: float,
    ) -> None:
        self.z, self.P, self.QT, self.ca, self.cb, self.scale = z, P, QT, ca, cb, scale
        self.seen: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}
        self._jac: tuple[bytes, np.ndarray] | None = None

    def residual(self, a: np.ndarray) -> np.ndarray:
        # MINPACK's wrapper may use a returned array as its own work space, so the caller
        # always gets a copy and the remembered value stays private
        key = a.tobytes()
        hit = self.seen.get(key)
        if hit is not None:
            return hit[0].copy()
        end = _expm(_np_matrix(self.P @ a, self.z)) @ self.ca
        r = self.QT @ (end - self.cb) / self.scale
        if not np.isfinite(r).all():
            r = np.full(a.size, 1e10)
        self.seen[key] = (r, end)
        return r.copy()

    def jacobian(self, a: np.ndarray) -> np.ndarray:
        key = a.tobytes()
        if self._jac is not None and self._jac[0] == key:
            return self._jac[1].copy()
        m = a.size
        f0 = self.residual(a)
        values = a.tolist()
        steps = [_FD_STEP * abs(x) or _FD_STEP for x in values]  # h = eps |x_j|, eps if 0
        X = np.repeat(a[None, :], m, axis=0)
        X.reshape(-1)[:: m + 1] = [x + d for x, d in zip(values, steps, strict=True)]
        step = np.array(steps)
        H = np.matmul(self.P, X[:, :, None])[:, :, 0]
        end = np.matmul(_expm(_np_matrix(H, self.z)), self.ca[:, None])[:, :, 0]
        R = np.matmul(self.QT, (end - self.cb)[:, :, None])[:, :, 0] / self.scale
        bad = ~np.isfinite(R).all(axis=1)
        if bad.any():
            R[bad] = 1e10
        J = ((R - f0) / step[:, None]).T  # J[i, j] = d r_i / d a_j
        self._jac = (key, J)
        return J.copy()


#: Newton's method on the shooting residual: at most this many iterations (of each phase),
#: and the root is accepted once the next step would change the unknowns by less than this,
#: relative to their size.
_NEWTON_MAXITER = 20
#: Newton gives up after this many growing steps in a row (a start outside its basin).
_NEWTON_GROWING = 3
_NEWTON_STOP = 1e-12

#: Below this relative step Newton's iterates converge quadratically, and the last Jacobian is
#: kept for the remaining (chord) steps: one plain exponential each instead of the stack.
_NEWTON_CHORD = 1e-3


def _newton(
    z: np.ndarray,
    D: np.ndarray,
    P: np.ndarray,
    QT: np.ndarray,
    ca: np.ndarray,
    cb: np.ndarray,
    scale: float,
    a: np.ndarray,
) -> tuple[np.ndarray | None, float, int]:
    r"""Newton's method with the exact Jacobian of the shooting residual.

    The residual is :math:`r(a) = Q^T(e^{A(Pa)} c_{pipette} - c_{bath})/s` and its Jacobian
    column k is :math:`Q^T L(A, E_k) c_{pipette}/s`, with :math:`L` the Frechet derivative of
    the matrix exponential in the direction :math:`E_k = \partial A/\partial a_k`. Both come
    from one stack of block exponentials (Van Loan 1978; Higham 2008, eq. 10.43):

    .. math:: \exp\begin{pmatrix} A & E_k \\ 0 & A \end{pmatrix}
              = \begin{pmatrix} e^A & L(A, E_k) \\ 0 & e^A \end{pmatrix}.

    Converges quadratically from the Henderson start; once the step is below
    :data:`_NEWTON_CHORD` the last Jacobian is kept (chord steps, one plain exponential each,
    which also check the path). For typical recording solutions: 2 stacked exponentials and 2
    plain ones, against 7 residuals and one finite-difference Jacobian for MINPACK's hybrj.
    Returns the unknowns, the bath mismatch [mM] and the number of exponentials evaluated;
    on failure (no convergence, a path that leaves the physical region, or a bath missed by
    more than the tolerance) the unknowns are None and the mismatch ``inf``.

    References
    ----------
    .. [1] Van Loan C.F. (1978) Computing integrals involving the matrix exponential. IEEE
       Trans. Autom. Control 23:395-404.
    .. [2] Higham N.J. (2008) Functions of Matrices: Theory and Computation. SIAM, ch. 10.
    """
    n = z.size
    template, norms = _frechet_blocks_cached(z.tobytes(), (z * D).tobytes())
    # R[k, :n, :] @ [[ca, 0], [0, ca]] = [e^A ca, L(A, E_k) ca] for every k in one product
    ca2 = np.zeros((2 * n, 2))
    ca2[:n, 0] = ca
    ca2[n:, 1] = ca
    QTcb = QT @ cb
    jscale = norms / scale
    w = z * z
    J = np.empty((n - 1, n - 1))
    evaluations = growing = 0
    previous = math.inf
    for _ in range(_NEWTON_MAXITER):
        evaluations += 1
        h = P @ a
        M = template.copy()
        upper, lower = M[:, :n, :n], M[:, n:, n:]
        np.multiply(h[:, None], w, out=upper[0])
        upper[0][np.diag_indices(n)] -= (z @ h) * z
        upper[:] = upper[0]
        lower[:] = upper[0]
        Y = QT @ np.matmul(_expm(M)[:, :n, :], ca2)  # (m, m, 2)
        r = (Y[0, :, 0] - QTcb) / scale
        np.multiply(Y[:, :, 1].T, jscale, out=J)
        da = _solve(J, -r[:, None])[:, 0]
        a = a + da
        step, size = max(map(abs, da.tolist())), max(map(abs, a.tolist()))
        if not math.isfinite(step):
            return None, math.inf, evaluations
        if step <= _NEWTON_CHORD * size:
            break
        # diverging: the step has grown three times running (the caller tries another start)
        growing = growing + 1 if step > previous else 0
        if growing == _NEWTON_GROWING:
            return None, math.inf, evaluations
        previous = step
    else:
        return None, math.inf, evaluations
    # quadratic convergence: the error is now of order step^2. Chord steps (the last Jacobian)
    # from the path inside the junction (no concentration may turn negative) and the bath it
    # reaches, one exponential each, until the step is negligible; the point returned is the
    # last one evaluated, so the reported mismatch is its own.
    for _ in range(_NEWTON_MAXITER):
        evaluations += 1
        c = _path(P @ a, z, ca)
        end = c[-1]
        da = _solve(J, ((QTcb - QT @ end) / scale)[:, None])[:, 0]
        step = max(map(abs, da.tolist()))
        if not math.isfinite(step):
            return None, math.inf, evaluations
        if step <= _NEWTON_STOP * size:
            miss = float(np.abs(end - cb).max())
            if miss <= _RESIDUAL_RTOL * scale and bool(c[1:-1].min() >= -1e-9 * scale):
                return a, miss, evaluations
            return None, math.inf, evaluations
        a = a + da
        size = max(map(abs, a.tolist()))
    return None, math.inf, evaluations


def _solve_oriented(
    z: np.ndarray, D: np.ndarray, ca: np.ndarray, cb: np.ndarray, xtol: float, robust: bool
) -> _NPSolution | None:
    r"""Solve the stationary electroneutral Nernst-Planck junction.

    With :math:`\phi = F\psi/RT`, :math:`J_i = -D_i(c_i' + z_i c_i \phi')`, zero current
    :math:`\sum z_i J_i = 0` and :math:`\sum z_i c_i = 0` everywhere, taking
    :math:`\tau = \phi/\Delta\phi \in [0, 1]` as the independent variable gives the linear,
    constant-coefficient system :math:`dc/d\tau = A c`,
    :math:`A = h (z^2)^T - (z\cdot h)\,\mathrm{diag}(z)`, with
    :math:`h_i = -J_i/(D_i \bar W)`, :math:`\bar W = \int_0^1 \sum z_k^2 c_k \,d\tau > 0`.
    So :math:`c_{bath} = e^{A} c_{pipette}`, :math:`\Delta\phi = z\cdot h` and zero current is
    :math:`\sum z_i D_i h_i = 0`. The n-1 unknowns (h on that hyperplane) are found from the
    Henderson estimate so that the n-1 independent components (orthogonal to z) of
    :math:`e^{A}c_{pipette} - c_{bath}` vanish (single shooting with the exact propagator):
    first by Newton's method with the exact Jacobian (:func:`_newton`, the Frechet derivative
    of the exponential from block exponentials; 2-3 stacked exponentials for recording
    solutions), and where it fails by MINPACK's Powell hybrid method with hybrd's own
    forward-difference Jacobian (the same steps and differences) evaluated as one stack of
    matrix exponentials and handed to hybrj (:class:`_Shooter`). SciPy's hybr with the exact
    Jacobian was measured too: it takes 7 residuals and one Jacobian (it updates the Jacobian
    by Broyden steps), and ``method="lm"`` 5 Jacobians, against 2 Jacobians and 1 residual for
    Newton here, which is why Newton is written out. Where both
    fail (dilution ratios of thousands with polyvalent ions), ``robust`` solves the same
    linear system by collocation, ``scipy.integrate.solve_bvp`` (error-controlled, tol 1e-8),
    and polishes the result by shooting from it.
    """
    n = z.size
    scale = float(max(ca.max(), cb.max()))
    P, Q = _bases(z, D)
    QT = Q.T
    shooter = _Shooter(z, P, QT, ca, cb, scale)

    def shoot(start: np.ndarray) -> tuple[np.ndarray, float, int]:
        # imported here: scipy.optimize costs ~0.3 s to import, and Newton rarely needs it
        from scipy.optimize import root

        shooter.seen.clear()
        sol = root(
            shooter.residual,
            start,
            method="hybr",
            jac=shooter.jacobian,
            options={"xtol": xtol, "maxfev": _MAXFEV_PER_UNKNOWN * n},
        )
        h = P @ sol.x
        seen = shooter.seen.get(sol.x.tobytes())
        end = seen[1] if seen is not None else _expm(_np_matrix(h, z)) @ ca
        miss = float(np.max(np.abs(end - cb)))
        ok = miss <= _RESIDUAL_RTOL * scale and _physical_path(h, z, ca, scale)
        # every residual evaluation, the n-1 of each finite-difference Jacobian included
        nfev = int(sol.nfev) + int(sol.get("njev", 0)) * (n - 1)
        return h, (miss if ok else math.inf), nfev

    # Start from the Henderson solution: linear profiles, mean concentrations. The unknowns
    # are fluxes per unit of tau = int dx / sigma (normalised), sigma = sum z^2 c. For one
    # salt (two ions: Planck's linear profiles) the start is made exact: that length is
    # 1 / (logarithmic mean of sigma at the two ends), and the drift integral int c dphi is
    # the logarithmic mean of c times dphi; Newton then needs 2 evaluations instead of 6-10.
    # For mixtures the same logarithmic means were measured to cost more time (one more
    # stacked Jacobian for the recording-solution junctions, 20-50 % slower), so they start
    # from arithmetic means. Either way, hybrj starts from the arithmetic start.
    dphi_h = _henderson_dphi(z, D, ca, cb)
    c_mid = (ca + cb) / 2
    w = z * z
    a0 = P.T @ ((cb - ca + z * c_mid * dphi_h) / float(w @ c_mid))
    if not robust:
        starts = [a0]
        if n == 2 and ca.min() > 0 and cb.min() > 0:
            pairs = zip(ca.tolist(), cb.tolist(), strict=True)
            c_log = np.array([_log_mean(x, y) for x, y in pairs])
            sigma = _log_mean(float(w @ ca), float(w @ cb))
            starts.insert(0, P.T @ ((cb - ca + z * c_log * dphi_h) / sigma))
        spent = 0
        for start in starts:
            with np.errstate(all="ignore"):  # NumPy's floating-point warnings are all it raises
                fast = _newton(z, D, P, QT, ca, cb, scale, start)
            if fast is None:  # (a stand-in that gives up at once)
                continue
            a, miss, nfev = fast
            spent += nfev
            if a is not None:
                h = P @ a
                return _NPSolution(
                    float(z @ h), h, spent, miss, "Newton (exact Jacobian, block expm)"
                )
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if not robust:
            h, miss, nfev = shoot(a0)
            if math.isfinite(miss):
                return _NPSolution(float(z @ h), h, nfev, miss, "scipy.optimize.root (hybr)")
            return None
        h_bvp, bvp_info = _collocation(z, P, Q, ca, cb, a0, scale)
        if h_bvp is not None:
            h, miss, nfev = shoot(P.T @ h_bvp)  # polish with the exact propagator
            if math.isfinite(miss):
                return _NPSolution(
                    float(z @ h), h, nfev, miss, "scipy.integrate.solve_bvp + root (hybr)"
                )
            return _NPSolution(float(z @ h_bvp), h_bvp, nfev, bvp_info, "scipy.integrate.solve_bvp")
    return None


def _log_mean(x: float, y: float) -> float:
    """(y - x) / ln(y / x) for x, y > 0 (the arithmetic mean when they are close)."""
    if abs(y - x) <= 1e-6 * (x + y):
        return (x + y) / 2  # the log mean is (x + y)/2 (1 - O(d^2)) there
    return (y - x) / math.log(y / x)


def _collocation(
    z: np.ndarray,
    P: np.ndarray,
    Q: np.ndarray,
    ca: np.ndarray,
    cb: np.ndarray,
    a0: np.ndarray,
    scale: float,
) -> tuple[np.ndarray | None, float]:
    """dc/dtau = A(h) c by solve_bvp (robust where single shooting is ill-conditioned)."""
    from scipy.integrate import solve_bvp

    n, w = z.size, z * z
    directions = [(np.outer(P[:, k], w), float(z @ P[:, k])) for k in range(n - 1)]

    def f(_t: np.ndarray, y: np.ndarray, p: np.ndarray) -> np.ndarray:
        return _np_matrix(P @ p, z) @ y

    def f_jac(_t: np.ndarray, y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        A = _np_matrix(P @ p, z)
        dfdp = np.stack([M @ y - s * (z[:, None] * y) for M, s in directions], axis=1)
        return np.repeat(A[:, :, None], y.shape[1], axis=2), dfdp

    def bc(ya: np.ndarray, yb: np.ndarray, _p: np.ndarray) -> np.ndarray:
        return np.concatenate([ya - ca / scale, Q.T @ (yb - cb / scale)])

    bc_a = np.vstack([np.eye(n), np.zeros((n - 1, n))])
    bc_b = np.vstack([np.zeros((n, n)), Q.T])
    bc_p = np.zeros((2 * n - 1, n - 1))

    def bc_jac(
        _ya: np.ndarray, _yb: np.ndarray, _p: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return bc_a, bc_b, bc_p

    tau = np.linspace(0.0, 1.0, 9)
    y0 = (np.outer(ca, 1 - tau) + np.outer(cb, tau)) / scale
    sol = solve_bvp(f, bc, tau, y0, p=a0, fun_jac=f_jac, bc_jac=bc_jac, tol=1e-8, max_nodes=20_000)
    if not sol.success or np.min(sol.y) < -1e-9:
        return None, math.inf
    return P @ sol.p, float(np.max(np.abs(sol.y[:, -1] * scale - cb)))


#: Activity models accepted in the Nernst-Planck flux (``activity_model=``).
JUNCTION_ACTIVITY_MODELS = ("davies", "debye-huckel")


def _nernst_planck_activity(
    z: np.ndarray,
    D: np.ndarray,
    ca: np.ndarray,
    cb: np.ndarray,
    *,
    model: str,
    celsius: float,
    start: float,
) -> tuple[float, int]:
    r"""Delta phi of the junction with the activity term in the flux (as JLJP).

    :math:`J_i = -D_i (c_i' + c_i (\ln\gamma_i)' + z_i c_i \phi')`, with
    :math:`\gamma_i = \gamma(z_i, I(x))` from :func:`nernst.activity_coefficient` and
    :math:`I = \frac12 \sum z_k^2 c_k`. With :math:`a_i = c_i\,d\ln\gamma_i/dI` and
    :math:`w = z^2/2`, the flux law gives :math:`c' = b - a (w\cdot b)/(1 + w\cdot a)`,
    :math:`b = -J/D - z c \phi'`, and electroneutrality fixes :math:`\phi'`. Solved in x by
    ``scipy.integrate.solve_bvp`` (fluxes as parameters, :math:`\sum z J = 0`), started from
    the ideal solution.
    """
    from scipy.integrate import solve_bvp

    from nernst.activity import activity_coefficient

    n = z.size
    scale = float(max(ca.max(), cb.max()))
    a0, b0 = ca / scale, cb / scale
    w = 0.5 * z * z
    Q = np.linalg.qr(np.column_stack([z, np.eye(n)]))[0][:, 1:n]  # orthogonal to z

    def dlng_dI(I_molar: np.ndarray) -> np.ndarray:
        """d ln gamma_i / dI [1/M] at each node (central difference of the public model)."""
        I_molar = np.maximum(I_molar, 1e-12)
        h = 1e-4 * I_molar
        up = activity_coefficient(
            z[:, None], ionic_strength=(I_molar + h)[None, :], model=model, celsius=celsius
        )
        dn = activity_coefficient(
            z[:, None], ionic_strength=(I_molar - h)[None, :], model=model, celsius=celsius
        )
        return (np.log(up) - np.log(dn)) / (2 * h)[None, :]

    def rhs(_x: np.ndarray, y: np.ndarray, J: np.ndarray) -> np.ndarray:
        c = np.maximum(y[:n], 0.0)
        I_molar = (w[:, None] * c).sum(0) * scale * 1e-3
        a = c * dlng_dI(I_molar) * scale * 1e-3  # dimensionless: c [scaled] x dlng/dI [1/M]
        wa = 1.0 + (w[:, None] * a).sum(0)
        u = -(J / D)[:, None] * np.ones_like(c)
        zc = z[:, None] * c
        zu, za = (z[:, None] * u).sum(0), (z[:, None] * a).sum(0)
        wu, wzc = (w[:, None] * u).sum(0), (w[:, None] * zc).sum(0)
        zzc = (z[:, None] * zc).sum(0)
        E = (zu - za * wu / wa) / (zzc - za * wzc / wa)
        b = u - zc * E
        dc = b - a * ((w[:, None] * b).sum(0) / wa)
        return np.vstack([dc, E])

    def bc(ya: np.ndarray, yb: np.ndarray, J: np.ndarray) -> np.ndarray:
        return np.concatenate([ya[:n] - a0, [ya[n]], Q.T @ (yb[:n] - b0), [float(z @ J)]])

    x = np.linspace(0.0, 1.0, 21)
    y0 = np.vstack([np.outer(a0, 1 - x) + np.outer(b0, x), start * x])
    J0 = -D * (b0 - a0 + z * (a0 + b0) / 2 * start)
    J0 = J0 - z * (z @ J0) / (z @ z)
    sol = solve_bvp(rhs, bc, x, y0, p=J0, tol=1e-9, bc_tol=1e-10, max_nodes=50_000)
    if not sol.success:
        raise JunctionConvergenceError(
            f"the Nernst-Planck equations with activities could not be solved ({sol.message}); "
            "use activity_model=None"
        )
    return float(sol.y[n, -1]), int(sol.niter)


def _path(h: np.ndarray, z: np.ndarray, ca: np.ndarray) -> np.ndarray:
    """The composition at tau = 0, 1/8, ..., 1 along the junction, (9, n)."""
    step = _expm(_np_matrix(h, z) / 8)
    c = np.empty((9, ca.size))
    c[0] = ca
    for k in range(1, 9):
        np.matmul(step, c[k - 1], out=c[k])
    return c


def _physical_path(h: np.ndarray, z: np.ndarray, ca: np.ndarray, scale: float) -> bool:
    """True if no concentration turns negative inside the junction (a physical solution)."""
    return bool(_path(h, z, ca)[1:-1].min() >= -1e-9 * scale)  # False for a NaN too


# -- public API ---------------------------------------------------------------------------------
def liquid_junction_potential(
    pipette: Mapping[str, float] | str | Any,
    bath: Mapping[str, float] | str | Any,
    /,
    *,
    method: str = "nernst-planck",
    celsius: ArrayLike = 25.0,
    mobility_model: str = "25C",
    custom_ions: Mapping[str, Any] | None = None,
    unknown_mobility: str = "error",
    tolerance: float = _XTOL,
    activity_model: str | None = None,
) -> float | np.ndarray:
    r"""Liquid junction potential between a pipette and a bath solution, bath relative to pipette.

    ``LJP = V_bath - V_pipette`` (the sign convention of Barry's JPCalc and of LJPcalc). The
    amplifier is zeroed with this junction in the circuit; after the patch is formed the
    junction is gone, so the true membrane potential is :math:`V_m = V_{measured} - LJP`.

    Generalised Henderson equation (``method="henderson"``), u = mobility:

    .. math::

        LJP = -\frac{RT}{F}\,
        \frac{\sum_i z_i u_i (c_i^{bath} - c_i^{pip})}{\sum_i z_i^2 u_i (c_i^{bath} - c_i^{pip})}
        \ln\frac{\sum_i z_i^2 u_i c_i^{bath}}{\sum_i z_i^2 u_i c_i^{pip}}

    Stationary Nernst-Planck (``method="nernst-planck"``, default): with
    :math:`\phi = F\psi/RT`, the fluxes :math:`J_i = -D_i (c_i' + z_i c_i \phi')` are constant
    across the junction, carry no current (:math:`\sum_i z_i J_i = 0`) and keep every point
    neutral (:math:`\sum_i z_i c_i = 0`); :math:`LJP = (RT/F)\,\Delta\phi` where the profile
    joins :math:`c^{pip}` to :math:`c^{bath}`. Solved exactly (matrix exponential of the
    linear equations in :math:`\phi`, fluxes by a root finder), independent of ion order.

    Parameters
    ----------
    pipette, bath : mapping, str or Solution
        Ion -> concentration (``{"K+": 140, "Cl-": 140}``; aliases such as ``"K"`` or
        ``"potassium"`` accepted; zero allowed), the name of a preset recording solution
        (:func:`recording_solutions`), or a :class:`nernst.Solution` (a recipe solved for its
        free ions and charged complexes). Convert salts with :func:`solution_from_salts`. [mM]
    method : {"nernst-planck", "henderson"}, default "nernst-planck"
        See :data:`METHODS`.
    celsius : array_like, default 25.0
        Temperature. With ``mobility_model="25C"`` it enters through RT/F only. [degC]
    mobility_model : {"25C", "temperature"}, default "25C"
        ``"25C"``: the limiting mobilities at 25 degC (as JPCalc and LJPcalc). ``"temperature"``:
        each ion's D at ``celsius`` (:func:`diffusion_coefficient_at`: Boudreau 1997 where
        tabulated, Stokes-Einstein otherwise); see :data:`MOBILITY_MODELS`.
    custom_ions : mapping, optional
        User-defined ions, or mobilities replacing the table's: name ->
        ``{"charge": z, "D": D}`` [1e-9 m^2/s] or ``{"charge": z, "lambda": lam}`` (limiting
        equivalent conductivity [S cm^2/mol]) or a pair ``(z, lam)``. A name used here
        takes precedence over the ion table (LJPcalc ion sets use names such as "K").
    unknown_mobility : {"error", "drop"}, default "error"
        For Solution inputs: species without a mobility (ATP, phosphocreatine, chelator
        complexes) raise an error naming them, or (``"drop"``) are left out together with an
        equal charge of their counter-ions (each lowered by the same factor), with a warning;
        ValueError if they carry more than half the charge of those counter-ions.
    tolerance : float, default 1e-12
        Relative tolerance of the Nernst-Planck flux root finder.
    activity_model : {None, "davies", "debye-huckel"}, default None
        Nernst-Planck only: with a model, the flux has the activity term of JLJP,
        :math:`J_i = -D_i (c_i' + c_i (\ln\gamma_i)' + z_i c_i \phi')`, with
        :math:`\gamma_i` from :func:`nernst.activity_coefficient` at the local ionic
        strength (solved by collocation, ``scipy.integrate.solve_bvp``). None: ideal.

    Returns
    -------
    LJP : float or ndarray
        Potential of the bath relative to the pipette, V_bath - V_pipette (shape of
        ``celsius``). Subtract it from measured potentials. [mV]

    Raises
    ------
    ValueError
        Unknown ion (a salt name says to use :func:`solution_from_salts`), an ion without a
        tabulated mobility, a negative or non-finite concentration, an ion listed twice, a
        solution whose charge imbalance exceeds :data:`NEUTRALITY_TOLERANCE` (the message gives
        it in mEq/L; smaller imbalances are corrected with a ``UserWarning``), an unknown
        method, a bad temperature.
    JunctionConvergenceError
        The Nernst-Planck solver found no physical solution (not seen in practice).

    Examples
    --------
    Ng & Barry (1995), 50 mM NaCl pipette against 50 mM KCl bath (published -4.3 mV):

    >>> round(liquid_junction_potential({"Na+": 50, "Cl-": 50}, {"K+": 50, "Cl-": 50}), 2)
    -4.36

    A patch-clamp correction: K-gluconate internal against a HEPES saline at 20 degC
    (Figl et al. 2003; LJPcalc gives +16.05 mV). The bath is 16.1 mV positive to the
    pipette, so a cell read at -48.1 mV really sits at V_m = V_measured - LJP = -64.2 mV:

    >>> ljp = liquid_junction_potential("k-gluconate-internal", "hepes-saline", celsius=20)
    >>> round(ljp, 1), round(-48.1 - ljp, 1)
    (16.1, -64.2)
    >>> round(liquid_junction_potential("k-gluconate-internal", "hepes-saline",
    ...                                 method="henderson", celsius=20), 1)
    15.6

    References
    ----------
    .. [1] Barry P.H., Lynch J.W. (1991) J. Membr. Biol. 121:101-117.
    .. [2] Barry P.H. (1994) J. Neurosci. Methods 51:107-116.
    .. [3] Ng B., Barry P.H. (1995) J. Neurosci. Methods 56:37-41.
    .. [4] Marino M., Misuri L., Brogioli D. (2014) arXiv:1403.3640 (stationary
       Nernst-Planck; JLJP).
    .. [5] Figl T., Lewis T.M., Barry P.H. (2003) Liquid junction potential corrections.
       AxoBits 39:8 (Axon Instruments).
    """
    kind = _method(method)
    VT = thermal_voltage(celsius=celsius)  # validates the temperature first
    tol = float(tolerance)
    if not (math.isfinite(tol) and 0 < tol < 1):
        raise ValueError(f"tolerance={tolerance!r} must be between 0 and 1 (e.g. 1e-12)")
    options = {
        "custom_ions": custom_ions,
        "mobility_model": mobility_model,
        "unknown_mobility": unknown_mobility,
    }

    if activity_model is not None:
        if kind != "nernst-planck" or activity_model not in JUNCTION_ACTIVITY_MODELS:
            raise ValueError(
                f"activity_model={activity_model!r}: the activity term is available for "
                f"method='nernst-planck' with {', '.join(map(repr, JUNCTION_ACTIVITY_MODELS))}"
                " (or None for ideal solutions)"
            )

    def dphi_at(t: float) -> float:
        j = _prepare(pipette, bath, celsius=t, **options)  # type: ignore[arg-type]
        if kind == "henderson":
            return _henderson(j)[0]
        ideal = _nernst_planck(j.z, j.D, j.c_pipette, j.c_bath, xtol=tol).dphi
        if activity_model is None or ideal == 0.0:
            return ideal
        return _nernst_planck_activity(
            j.z, j.D, j.c_pipette, j.c_bath, model=activity_model, celsius=t, start=ideal
        )[0]

    if _mobility_model(mobility_model) == "25C" and activity_model is None:
        dphi: Any = dphi_at(25.0)
    else:
        temps = np.asarray(celsius, dtype=float)
        dphi = np.array([dphi_at(float(t)) for t in temps.ravel()]).reshape(temps.shape)
    LJP = VT * dphi
    return float(LJP) if np.ndim(LJP) == 0 else np.asarray(LJP)


def liquid_junction_potentials(
    pairs: Any,
    /,
    *,
    method: str = "nernst-planck",
    celsius: float = 25.0,
    mobility_model: str = "25C",
    custom_ions: Mapping[str, Any] | None = None,
    unknown_mobility: str = "error",
) -> np.ndarray:
    """Liquid junction potentials of many pipette/bath pairs (batch mode).

    Parameters
    ----------
    pairs : iterable of (pipette, bath)
        Each as :func:`liquid_junction_potential` takes it.
    method, celsius, mobility_model, custom_ions, unknown_mobility
        As :func:`liquid_junction_potential` (``celsius`` one temperature for all pairs).

    Returns
    -------
    LJP : ndarray
        V_bath - V_pipette of each pair, in order. [mV]

    Raises
    ------
    ValueError
        As :func:`liquid_junction_potential`; the message names the pair (0-based index).

    Examples
    --------
    >>> liquid_junction_potentials([({"Na+": 50, "Cl-": 50}, {"K+": 50, "Cl-": 50}),
    ...                             ("k-gluconate-internal", "hepes-saline")]).round(2)
    array([-4.36, 16.33])
    """
    out = []
    for i, pair in enumerate(pairs):
        try:
            pip, bath = pair
        except (TypeError, ValueError):
            raise ValueError(f"pairs[{i}] must be a (pipette, bath) pair, got {pair!r}") from None
        try:
            out.append(
                liquid_junction_potential(
                    pip,
                    bath,
                    method=method,
                    celsius=celsius,
                    mobility_model=mobility_model,
                    custom_ions=custom_ions,
                    unknown_mobility=unknown_mobility,
                )
            )
        except ValueError as err:
            raise ValueError(f"pairs[{i}]: {err}") from None
    return np.array(out, dtype=float)


@dataclass(frozen=True)
class JunctionReport(ResultMixin):
    """A liquid junction potential with everything used to compute it.

    Attributes
    ----------
    ljp : float
        V_bath - V_pipette by ``method``. [mV]
    method : str
        "nernst-planck" or "henderson".
    celsius : float
        Temperature. [degC]
    henderson : float
        The Henderson value (also computed for the Nernst-Planck method). [mV]
    ions : tuple of dict
        Per ion: symbol, z, D [1e-9 m^2/s], its source ("lambda": from the equivalent
        conductivity by Nernst-Einstein; "D": tabulated diffusion coefficient), u (mobility
        relative to K+), c_pipette and c_bath [mM] (after any neutrality correction) and, for
        Nernst-Planck, flux_L: the flux times the junction length, pipette -> bath positive
        [nmol m^-1 s^-1].
    henderson_terms : dict
        numerator, denominator, S, Q, lnQ of the Henderson equation (u in 1e-9 m^2/s).
    solver : dict
        Nernst-Planck only: solver, function evaluations, bath mismatch [mM], delta_phi.
    """

    ljp: float
    method: str
    celsius: float
    henderson: float
    ions: tuple[dict[str, Any], ...]
    henderson_terms: dict[str, float]
    solver: dict[str, Any] = field(default_factory=dict)
    mobility_model: str = "25C"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "ljp_mV": self.ljp,
            "method": self.method,
            "celsius": self.celsius,
            "mobility_model": self.mobility_model,
            "convention": "LJP = V_bath - V_pipette; correct with V_m = V_measured - LJP",
            "henderson_mV": self.henderson,
            "ions": [dict(row) for row in self.ions],
            "henderson_terms": dict(self.henderson_terms),
            "solver": dict(self.solver),
            "units": {"ljp": "mV", "c": "mM", "D": "1e-9 m^2/s", "flux_L": "nmol/(m s)"},
        }

    def lines(self) -> list[str]:
        """The calculation step by step, as plain-text lines (for ``--explain``); the text of
        :func:`nernst.explain.explain_junction`."""
        from nernst.explain import explain_junction

        return list(explain_junction(self))


def junction_report(
    pipette: Mapping[str, float] | str | Any,
    bath: Mapping[str, float] | str | Any,
    /,
    *,
    method: str = "nernst-planck",
    celsius: float = 25.0,
    mobility_model: str = "25C",
    custom_ions: Mapping[str, Any] | None = None,
    unknown_mobility: str = "error",
    activity_model: str | None = None,
) -> JunctionReport:
    """The liquid junction potential with its inputs, mobilities, terms and solver details.

    Parameters and sign as :func:`liquid_junction_potential` (``celsius`` a scalar here);
    :meth:`JunctionReport.lines` explains the calculation step by step.

    Examples
    --------
    >>> report = junction_report({"Na+": 50, "Cl-": 50}, {"K+": 50, "Cl-": 50})
    >>> round(report.ljp, 2), round(report.henderson, 2)
    (-4.36, -4.36)

    References
    ----------
    .. [1] Barry P.H., Lynch J.W. (1991) J. Membr. Biol. 121:101-117.
    .. [2] Marino M., Misuri L., Brogioli D. (2014) arXiv:1403.3640.
    """
    kind = _method(method)
    if np.ndim(celsius) != 0:
        raise ValueError(f"celsius must be a single temperature here, got {celsius!r}")
    VT = float(thermal_voltage(celsius=celsius))
    model = _mobility_model(mobility_model)
    j = _prepare(
        pipette,
        bath,
        celsius=float(celsius),
        mobility_model=model,
        custom_ions=custom_ions,
        unknown_mobility=unknown_mobility,
    )
    dphi_h, terms = _henderson(j)
    D_K = _scaled("K+", _mobility(ions["K+"])[0], float(celsius), model)[0]
    rows = [
        {
            "ion": s,
            "z": int(z),
            "D": float(D),
            "mobility_from": src,
            "u": float(D / D_K),
            "c_pipette": float(ca),
            "c_bath": float(cb),
        }
        for s, z, D, src, ca, cb in zip(
            j.symbols, j.z, j.D, j.source, j.c_pipette, j.c_bath, strict=True
        )
    ]
    solver: dict[str, Any] = {}
    ljp = VT * dphi_h
    if kind == "nernst-planck":
        sol = _nernst_planck(j.z, j.D, j.c_pipette, j.c_bath)
        ljp = VT * sol.dphi
        for row, flux in zip(rows, _fluxes(sol.h, j), strict=True):
            row["flux_L"] = flux
        solver = {
            "solver": sol.solver,
            "nfev": sol.nfev,
            "residual_mM": sol.residual,
            "delta_phi": sol.dphi,
            "h": [float(x) for x in sol.h],
        }
        if activity_model is not None:
            if activity_model not in JUNCTION_ACTIVITY_MODELS:
                raise ValueError(
                    f"activity_model={activity_model!r}: the activity term is available with "
                    f"{', '.join(map(repr, JUNCTION_ACTIVITY_MODELS))} (or None)"
                )
            ideal = float(ljp)
            if sol.dphi != 0.0:
                dphi_a, niter = _nernst_planck_activity(
                    j.z,
                    j.D,
                    j.c_pipette,
                    j.c_bath,
                    model=activity_model,
                    celsius=float(celsius),
                    start=sol.dphi,
                )
                ljp = VT * dphi_a
                solver["activity"] = {
                    "model": activity_model,
                    "solver": "scipy.integrate.solve_bvp",
                    "iterations": niter,
                    "ideal_ljp_mV": ideal,
                }
    elif activity_model is not None:
        raise ValueError(
            f"activity_model={activity_model!r}: the activity term needs method='nernst-planck'"
        )
    return JunctionReport(
        ljp=float(ljp),
        method=kind,
        celsius=float(celsius),
        henderson=float(VT * dphi_h),
        ions=tuple(rows),
        henderson_terms=terms,
        solver=solver,
        mobility_model=model,
    )


def _fluxes(h: np.ndarray, j: _Junction) -> list[float]:
    """J_i L = -D_i h_i W_bar [nmol m^-1 s^-1]; W_bar = int_0^1 sum z^2 c dtau, exactly."""
    n = j.z.size
    if not np.any(h):
        return [0.0] * n
    M = np.zeros((n + 1, n + 1))
    M[:n, :n] = _np_matrix(h, j.z)
    M[:n, n] = j.c_pipette
    mean_c = _expm(M)[:n, n]  # int_0^1 expm(A tau) c_pipette dtau
    if not np.isfinite(mean_c).all():  # pragma: no cover - a singular Pade denominator
        raise JunctionConvergenceError("the junction's fluxes could not be computed")
    W_bar = float(np.sum(j.z * j.z * mean_c))
    return [float(-D * hi * W_bar) for D, hi in zip(j.D, h, strict=True)]


# -- LJPcalc ion-set text format ----------------------------------------------------------------
#: LJPcalc's conductivity of K+, used for rows written as a multiple of K ("0.33*K").
LJPCALC_K_CONDUCTIVITY = 73.5


@dataclass(frozen=True)
class IonSetEntry:
    """One row of an LJPcalc ion set.

    Attributes
    ----------
    name : str
        Ion name as written (LJPcalc uses "K", "Gluconate", ...).
    charge : int
        Valence.
    conductivity : float
        Limiting equivalent conductivity, LJPcalc's "Conductivity (E-4)". [S cm^2/mol]
    c_pipette, c_bath : float
        LJPcalc's C0 and CL. [mM]
    """

    name: str
    charge: int
    conductivity: float
    c_pipette: float = 0.0
    c_bath: float = 0.0


@dataclass(frozen=True)
class LJPcalcIonSet:
    """An ion set in LJPcalc's text format (pipette = C0, bath = CL).

    Use it as ``liquid_junction_potential(s.pipette, s.bath, custom_ions=s.custom_ions)``:
    every ion keeps the charge and conductivity written in the file.
    """

    ions: tuple[IonSetEntry, ...]

    @property
    def pipette(self) -> dict[str, float]:
        """Name -> C0. [mM]"""
        return {e.name: e.c_pipette for e in self.ions}

    @property
    def bath(self) -> dict[str, float]:
        """Name -> CL. [mM]"""
        return {e.name: e.c_bath for e in self.ions}

    @property
    def custom_ions(self) -> dict[str, dict[str, float]]:
        """Name -> {"charge", "lambda"} for :func:`liquid_junction_potential`."""
        return {e.name: {"charge": e.charge, "lambda": e.conductivity} for e in self.ions}

    def to_text(self) -> str:
        """The set in LJPcalc's layout (``IonSet.GetTableString`` of LJPcalc)."""
        lines = [
            " Name               | Charge | Conductivity (E-4) | C0 (mM)      | CL (mM)      ",
            "--------------------|--------|--------------------|--------------|--------------",
        ]
        for e in self.ions:
            charge = f"+{e.charge}" if e.charge > 0 else str(e.charge)
            lines.append(
                f" {e.name:<18} | {charge:<6} | {_num(e.conductivity):<18} | "
                f"{_num(e.c_pipette):<12} | {_num(e.c_bath):<12}"
            )
        return "\n".join(line.rstrip() for line in lines) + "\n"


def _num(x: float) -> str:
    return repr(float(x)) if not float(x).is_integer() else str(int(x))


def read_ljpcalc_ion_set(text: str, /) -> LJPcalcIonSet:
    """Read an ion set written in LJPcalc's text format.

    Rows are ``name | charge | conductivity | C0 | CL`` (or ``name | charge | conductivity``,
    concentrations 0), separated by ``|``; the header, the ``---`` rule, blank lines and
    ``#`` comments are skipped; a conductivity written as ``0.33*K`` means 0.33 x 73.5 (as
    LJPcalc reads it). Conductivities are limiting equivalent conductivities [S cm^2/mol],
    concentrations mM.

    Parameters
    ----------
    text : str
        The file's text.

    Returns
    -------
    LJPcalcIonSet

    Raises
    ------
    ValueError
        A row that is not 3 or 5 fields, a charge that is not a non-zero integer, a
        conductivity that is not positive, a negative concentration, a name used twice, or
        no ion at all. The message gives the line number.

    References
    ----------
    .. [1] Harden S.W., Brogioli D. (2020) LJPcalc: liquid junction potential calculator
       (swharden/LJPcalc, ``IonSet.cs``: the format).

    Examples
    --------
    >>> s = read_ljpcalc_ion_set(" Zn | +2 | 52.8 | 9 | 0.0284\\n K | +1 | 73.5 | 0 | 3\\n"
    ...                          " Cl | -1 | 76.31 | 18 | 3.0568")
    >>> round(liquid_junction_potential(s.pipette, s.bath, custom_ions=s.custom_ions), 2)
    -20.81
    """
    entries: list[IonSetEntry] = []
    seen: set[str] = set()
    for number, raw in enumerate(str(text).splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        if parts and parts[0] == "" and len(parts) > 3:  # markdown rows with a leading "|"
            parts = parts[1:]
        if parts and parts[-1] == "" and len(parts) > 3:
            parts = parts[:-1]
        if len(parts) > 1 and (parts[1].startswith("---") or "charge" in parts[1].lower()):
            continue
        if len(parts) not in (3, 5):
            raise ValueError(
                f"line {number}: {raw!r} is not 'name | charge | conductivity | C0 | CL' "
                "(or 'name | charge | conductivity')"
            )
        name = parts[0]
        if not name:
            raise ValueError(f"line {number}: the ion has no name")
        if name.casefold() in seen:
            raise ValueError(f"line {number}: {name!r} is listed twice")
        try:
            charge = int(parts[1])
        except ValueError:
            raise ValueError(f"line {number}: charge {parts[1]!r} is not an integer") from None
        if charge == 0:
            raise ValueError(
                f"line {number}: charge 0 ({name}): a neutral species carries no current"
            )
        cond_text = parts[2].replace(" ", "").upper()
        scale = 1.0
        if cond_text.endswith("*K"):
            cond_text, scale = cond_text[:-2], LJPCALC_K_CONDUCTIVITY
        try:
            conductivity = float(cond_text) * scale
            c0 = float(parts[3]) if len(parts) == 5 else 0.0
            cl = float(parts[4]) if len(parts) == 5 else 0.0
        except ValueError:
            raise ValueError(f"line {number}: {raw!r} holds a field that is not a number") from None
        if not (math.isfinite(conductivity) and conductivity > 0):
            raise ValueError(f"line {number}: conductivity {conductivity!r} must be positive")
        if not (math.isfinite(c0) and math.isfinite(cl) and c0 >= 0 and cl >= 0):
            raise ValueError(f"line {number}: concentrations must be zero or positive")
        seen.add(name.casefold())
        entries.append(IonSetEntry(name, charge, conductivity, c0, cl))
    if not entries:
        raise ValueError("the text holds no ion rows ('name | charge | conductivity | C0 | CL')")
    return LJPcalcIonSet(tuple(entries))


def ljpcalc_ion_set(
    pipette: Mapping[str, float] | str | Any,
    bath: Mapping[str, float] | str | Any,
    /,
    *,
    custom_ions: Mapping[str, Any] | None = None,
    unknown_mobility: str = "error",
) -> LJPcalcIonSet:
    """The junction's ions as an LJPcalc ion set (for :meth:`LJPcalcIonSet.to_text`).

    Each ion is written with its symbol, charge, the limiting equivalent conductivity its
    25 degC diffusion coefficient corresponds to (Nernst-Einstein), and its (neutralised)
    concentrations. Inputs as :func:`liquid_junction_potential`.

    Examples
    --------
    >>> print(ljpcalc_ion_set({"Na+": 50, "Cl-": 50}, {"K+": 50, "Cl-": 50}).to_text())
     Name               | Charge | Conductivity (E-4) | C0 (mM)      | CL (mM)
    --------------------|--------|--------------------|--------------|--------------
     Na+                | +1     | 50.08              | 50           | 0
     K+                 | +1     | 73.48              | 0            | 50
     Cl-                | -1     | 76.31              | 50           | 50
    <BLANKLINE>
    """
    j = _prepare(pipette, bath, custom_ions=custom_ions, unknown_mobility=unknown_mobility)
    rows = []
    for s, z, D, ca, cb in zip(j.symbols, j.z, j.D, j.c_pipette, j.c_bath, strict=True):
        lam = D * 1e-9 * abs(z) * FARADAY**2 / (GAS_CONSTANT * _T_TABLE) * 1e4
        rows.append(IonSetEntry(s, int(z), round(float(lam), 10), float(ca), float(cb)))
    return LJPcalcIonSet(tuple(rows))


# -- salts and preset solutions ------------------------------------------------------------------
def _salt_key(name: str) -> str:
    return "".join(ch for ch in name if ch not in " -_·").casefold()


@cache
def _solutions_toml() -> dict[str, Any]:
    from nernst.data import load_toml

    return load_toml("solutions.toml")


@cache
def _salt_table() -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for name, parts in _solutions_toml().get("salt", {}).items():
        if name in ions:
            raise RuntimeError(f"solutions.toml: salt {name!r} is also an ion name")
        table[_salt_key(name)] = {ions[k].symbol: int(v) for k, v in parts.items()}
    return table


def _ion_candidates(part: str) -> list[tuple[Ion, int, bool]]:
    """(ion, count, count written) readings of one half of a salt name."""
    part = part.strip(_SALT_SEPARATORS)
    if not part:
        return []
    readings = [(part, 1, False)]
    for pattern in (r"\((.+)\)(\d+)", r"(.+?)(\d+)", r"(\d+)(.+)"):
        m = re.fullmatch(pattern, part)
        if m:
            name, count = (m[2], m[1]) if pattern.startswith(r"(\d") else (m[1], m[2])
            readings.append((name.strip(_SALT_SEPARATORS), int(count), True))
    out = []
    for name, count, written in readings:
        if count > 0 and name in ions:
            out.append((ions[name], count, written))
    return out


def _salt_decomposition(name: str) -> dict[str, int] | None:
    """Ion -> count per formula unit of a salt name, or None if it is not one (a new dict)."""
    explicit = _salt_table().get(_salt_key(name))
    if explicit is not None:
        return dict(explicit)
    parts = _salt_reading(name)
    return None if parts is None else dict(parts)


@functools.lru_cache(maxsize=1024)
def _salt_reading(name: str) -> tuple[tuple[str, int], ...] | None:
    """The cation and anion (symbol, count) a salt name reads as, parsed once per name."""
    found: dict[frozenset[tuple[str, int]], dict[str, int]] = {}
    text = name.strip()
    for i in range(1, len(text)):
        for left in _ion_candidates(text[:i]):
            for right in _ion_candidates(text[i:]):
                (a, na, wa), (b, nb, wb) = left, right
                if a.charge * b.charge >= 0:
                    continue
                if not (wa or wb):  # stoichiometry from the charges
                    g = math.gcd(a.charge, b.charge)
                    na, nb = abs(b.charge) // g, abs(a.charge) // g
                if na * a.charge + nb * b.charge != 0:
                    continue
                cation, anion = ((a, na), (b, nb)) if a.charge > 0 else ((b, nb), (a, na))
                parts = {cation[0].symbol: cation[1], anion[0].symbol: anion[1]}
                found[frozenset(parts.items())] = parts
    if len(found) > 1:
        readings = "; ".join(
            " + ".join(f"{n} {s}" for s, n in parts.items()) for parts in found.values()
        )
        raise ValueError(f"salt {name!r} is ambiguous: it reads as {readings}")
    return tuple(next(iter(found.values())).items()) if found else None


def solution_from_salts(salts: Mapping[str, float]) -> dict[str, float]:
    """Free-ion composition of a solution given as dissolved salts (full dissociation).

    Salt names are split into a cation and an anion of the ion table, with counts written as
    in a formula or inferred from the charges: ``"NaCl"``, ``"MgCl2"``, ``"Na2HPO4"``,
    ``"KH2PO4"``, ``"K-gluconate"``, ``"CsMeSO3"``, ``"Cs-methanesulfonate"``, ``"NMDG-Cl"``,
    ``"choline chloride"``, ``"Mg(gluconate)2"``; a few others (``"Tris-HCl"``) come from the
    salt table in ``nernst/data/solutions.toml``. A key that is an ion name (``"K+"``,
    ``"HEPES-"``) is taken as that free ion, so salts and ions can be mixed. Ions from several
    salts add up.

    Parameters
    ----------
    salts : mapping
        Salt (or ion) -> concentration. [mM]

    Returns
    -------
    solution : dict
        Canonical ion symbol -> concentration, in order of first appearance. [mM]

    Raises
    ------
    ValueError
        A name that is neither an ion nor a salt of two known ions, an ambiguous salt name, a
        negative or non-finite concentration.

    Examples
    --------
    >>> solution_from_salts({"K-gluconate": 145, "NaCl": 10, "MgCl2": 2})
    {'K+': 145.0, 'gluconate-': 145.0, 'Na+': 10.0, 'Cl-': 14.0, 'Mg2+': 2.0}
    >>> solution_from_salts({"CsMeSO3": 130, "CsCl": 10})
    {'Cs+': 140.0, 'methanesulfonate-': 130.0, 'Cl-': 10.0}

    References
    ----------
    .. [1] Barry P.H. (1994) J. Neurosci. Methods 51:107-116 (free-ion concentrations enter
       junction potentials; partially dissociated buffers such as HEPES count only their
       charged fraction).
    """
    if not isinstance(salts, Mapping):
        raise ValueError(
            f"salts must be a mapping of salt -> concentration [mM] such as "
            f"{{'NaCl': 140, 'KCl': 5}}, got {salts!r}"
        )
    out: dict[str, float] = {}
    for name, value in salts.items():
        c = _concentration("salts", name, value)
        if not isinstance(name, str):
            raise ValueError(f"salt names are strings such as 'NaCl', got {name!r}")
        parts = _salt_table().get(_salt_key(name))
        if parts is None and name in ions:
            parts = {ions[name].symbol: 1}
        if parts is None:
            reading = _salt_reading(name)
            parts = None if reading is None else dict(reading)
        if parts is None:
            raise ValueError(
                f"{name!r} is neither an ion nor a salt of two ions of the ion table "
                "(write salts as cation + anion, e.g. 'NaCl', 'MgCl2', 'K-gluconate', "
                "'CsMeSO3'; `nernst ions` lists the ions)"
            )
        for symbol, count in parts.items():
            out[symbol] = out.get(symbol, 0.0) + count * c
    return out


def recording_solutions() -> dict[str, dict[str, Any]]:
    """The preset recording solutions: name -> title, role, ions [mM], salts, source, notes.

    Examples
    --------
    >>> sorted(recording_solutions())[:3]
    ['acsf', 'cs-fluoride-internal', 'cs-methanesulfonate-internal']
    >>> recording_solutions()["acsf"]["role"]
    'bath'
    """
    data = _solutions_toml()
    sources: dict[str, str] = data.get("sources", {})
    out: dict[str, dict[str, Any]] = {}
    for name, entry in data["solution"].items():
        out[name] = {
            "title": entry.get("title", name),
            "role": entry.get("role", ""),
            "ions": dict(_preset_ions_cached(name)),
            "salts": dict(entry.get("salts", {})),
            "source": sources[entry["source"]],
            "notes": entry.get("notes", ""),
        }
    return out


def _preset_ions(entry: Mapping[str, Any]) -> dict[str, float]:
    out = solution_from_salts(entry.get("salts", {}))
    for key, value in entry.get("ions", {}).items():
        symbol = ions[key].symbol
        out[symbol] = out.get(symbol, 0.0) + float(value)
    return out


def recording_solution(name: str) -> dict[str, float]:
    """Ion composition of a preset recording solution (see :func:`recording_solutions`). [mM]

    Examples
    --------
    >>> recording_solution("frog-ringer")
    {'Na+': 118.7, 'Cl-': 119.2, 'K+': 1.2, 'Ca2+': 1.0, 'HCO3-': 2.7}
    """
    presets = _solutions_toml()["solution"]
    key = str(name).strip().lower()
    if key not in presets:
        close = difflib.get_close_matches(key, list(presets), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else "."
        raise ValueError(
            f"unknown recording solution {name!r}{hint} The presets are: "
            f"{', '.join(presets)} (`nernst solutions` lists them)"
        )
    return dict(_preset_ions_cached(key))


@cache
def _preset_ions_cached(key: str) -> tuple[tuple[str, float], ...]:
    """The parsed ions of a preset, parsed once per process (issue 13: cached presets)."""
    return tuple(_preset_ions(_solutions_toml()["solution"][key]).items())
