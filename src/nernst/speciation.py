r"""Speciation of recording solutions: acid-base and metal-binding equilibria.

A recording solution holds pH buffers (HEPES, MOPS, MES, Tris, phosphate, bicarbonate),
chelators (EGTA, BAPTA, EDTA) and nucleotides (ATP) that take up protons and bind Ca2+ and
Mg2+. This module solves the equilibria for the free concentration of every species.

Model
-----
For a ligand L of charge :math:`z_L` with stepwise protonation constants :math:`K_n`
(:math:`H_{n-1}L + H = H_nL`, cumulative :math:`\beta_n = \prod_{k \le n} K_k`) and metal
complexes :math:`M + H_pL = MH_pL` (constant :math:`K_{Mp}`), at free concentrations
:math:`h` (protons), :math:`m_j` (metals) and :math:`l` (fully deprotonated ligand):

.. math::

    [H_nL] = \beta_n h^n l, \qquad [MH_pL] = K_{Mp}\,\beta_p h^p\, m\, l

    L_{tot} = l\,\Big(\sum_n \beta_n h^n + \sum_{j,p} K_{jp} \beta_p h^p m_j\Big), \qquad
    M_{j,tot} = m_j + \sum_{L,p} [M_j H_p L]

At a set pH the free metals are the root of the metal balances (``scipy.optimize.root`` on
:math:`\ln m_j`); the titrant needed is the one that makes the solution electroneutral,
:math:`\sum_i z_i c_i = 0`. Without a set pH, the pH is the root of the charge balance
(``scipy.optimize.brentq``; the net charge falls monotonically with pH).

Constants and their corrections
-------------------------------
The constants (``data/stability.toml``, each with its source) refer to a temperature and an
ionic strength. They are converted to thermodynamic constants (I = 0) with activity
coefficients at the reference conditions and then corrected

* for temperature by the van 't Hoff equation with the published reaction enthalpy (and heat
  capacity change, where published; Goldberg et al. 2002, eq. 4):

  .. math::

      \log K(T) = \log K(\theta) - \frac{\Delta H}{R \ln 10}\Big(\frac1T - \frac1\theta\Big)
      + \frac{\Delta C_p}{R \ln 10}\Big(\frac{\theta}{T} - 1 + \ln\frac{T}{\theta}\Big)

  (a constant without a published enthalpy is used unchanged at every temperature, and the
  result says so);
* for ionic strength with the activity coefficients of :func:`nernst.activity_coefficient`
  (Davies by default): the concentration constant of :math:`A + B = AB` is
  :math:`K_c = K^0 \gamma_A \gamma_B / \gamma_{AB}`.

pH is the activity scale, :math:`pH = -\log_{10}(\gamma_H h)`, as a glass electrode reads
it. With ``activity_model="ideal"`` the tabulated constants are used as they stand (no
ionic-strength correction) and pH is :math:`-\log_{10} h`.

Osmotic coefficients (:func:`osmotic_coefficient`) follow Pitzer's equations for single 1:1
salts with the parameters of Pitzer & Mayorga (1973).

References
----------
.. [1] Goldberg R.N., Kishore N., Lennen R.M. (2002) Thermodynamic quantities for the
   ionization reactions of buffers. J. Phys. Chem. Ref. Data 31:231-370,
   doi:10.1063/1.1416902.
.. [2] Martell A.E., Smith R.M. Critical Stability Constants, Plenum (1974-1989); NIST
   Standard Reference Database 46.
.. [3] Harrison S.M., Bers D.M. (1987) The effect of temperature and ionic strength on the
   apparent Ca-affinity of EGTA and the analogous Ca-chelators BAPTA and dibromo-BAPTA.
   Biochim. Biophys. Acta 925:133-143, doi:10.1016/0304-4165(87)90102-4 (the method:
   Debye-Hueckel ionic-strength and van 't Hoff temperature corrections).
.. [4] Bers D.M., Patton C.W., Nuccitelli R. (2010) A practical guide to the preparation of
   Ca2+ buffers. Methods Cell Biol. 99:1-26, doi:10.1016/B978-0-12-374841-6.00001-3.
.. [5] Pitzer K.S., Mayorga G. (1973) Thermodynamics of electrolytes. II. Activity and
   osmotic coefficients for strong electrolytes with one or both ions univalent. J. Phys.
   Chem. 77:2300-2308, doi:10.1021/j100638a009.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from nernst.constants import GAS_CONSTANT, ZERO_CELSIUS

__all__ = [
    "ACTIVITY_MODELS",
    "OSMOTIC_SALTS",
    "Ligand",
    "Speciation",
    "apparent_dissociation_constant",
    "apparent_pka",
    "co2_solubility",
    "ligands",
    "osmotic_coefficient",
    "speciate",
]

#: Activity models accepted by the speciation (``activity_model=``).
ACTIVITY_MODELS: dict[str, str] = {
    "davies": "Davies equation at the solution's ionic strength (nernst.activity_coefficient)",
    "ideal": "no ionic-strength correction: the tabulated constants as they stand, pH = -log h",
}

#: Pitzer parameters (beta0 [kg/mol], beta1 [kg/mol], C_phi [kg^2/mol^2]) of 1:1 salts at
#: 25 degC, Pitzer & Mayorga (1973), Table I (checked against the same table as transcribed
#: in pytzer, mvdh7/pytzer pytzer/tables.py ``PM73_TableI``: Na-Cl and K-Cl identical).
OSMOTIC_SALTS: dict[str, tuple[float, float, float]] = {
    "NaCl": (0.0765, 0.2664, 0.00127),
    "KCl": (0.04835, 0.2122, -0.00084),
}

_LN10 = math.log(10.0)
_THETA_PITZER = 1.2  # b of Pitzer's Debye-Hueckel term [(kg/mol)^1/2]
_ALPHA_PITZER = 2.0  # alpha of the beta1 term [(kg/mol)^1/2]


# -- data ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Ligand:
    """A buffer or chelator of ``data/stability.toml``.

    Attributes
    ----------
    key, name : str
        Table key and common name.
    charge : int
        Charge of the fully deprotonated ligand.
    species : tuple of str
        Names of L, HL, H2L, ... (ion-table symbols for the charged ones).
    log_k, dH, dCp : tuple
        Stepwise protonation constants log10 K_n [log10 1/M], association enthalpies [kJ/mol]
        and heat-capacity changes [J/(K mol)] (None where not published).
    complexes : tuple of dict
        metal, protons, log_k, dH, species of each metal complex.
    celsius, ionic_strength : float
        Reference conditions of the constants. [degC, mol/L]
    source : str
        Full citation.
    forms : dict
        Commercial form -> {"protons": int, "counter": {ion: count}}.
    verified : bool
        Whether the constants were compared with a source that could be read.
    checked : str
        Where they were read and what agreed (or why they could not be checked).
    """

    key: str
    name: str
    charge: int
    species: tuple[str, ...]
    log_k: tuple[float, ...]
    dH: tuple[float | None, ...]
    dCp: tuple[float | None, ...]
    complexes: tuple[dict[str, Any], ...]
    celsius: float
    ionic_strength: float
    source: str
    aliases: tuple[str, ...] = ()
    forms: dict[str, dict[str, Any]] = field(default_factory=dict)
    verified: bool = False
    checked: str = ""

    def species_charge(self, protons: int, metal_charge: int = 0) -> int:
        """Charge of H_pL (plus a bound metal of charge ``metal_charge``)."""
        return self.charge + protons + metal_charge


@cache
def _data() -> dict[str, Any]:
    text = resources.files("nernst.data").joinpath("stability.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def ligands() -> dict[str, Ligand]:
    """The ligands of the stability table, by key.

    Examples
    --------
    >>> sorted(ligands())[:4]
    ['4-AP', 'ATP', 'BAPTA', 'EDTA']
    >>> ligands()["EGTA"].log_k[:2]
    (9.4, 8.79)
    >>> ligands()["EGTA"].verified, ligands()["phosphocreatine"].verified
    (True, False)
    """
    raw = _data()
    cites: dict[str, str] = raw["sources"]
    out: dict[str, Ligand] = {}
    for key, entry in raw["ligand"].items():
        steps = entry.get("protonation", [])
        out[key] = Ligand(
            key=key,
            name=entry["name"],
            charge=int(entry["charge"]),
            species=tuple(entry["species"]),
            log_k=tuple(float(s["log_k"]) for s in steps),
            dH=tuple(s.get("dH") for s in steps),
            dCp=tuple(s.get("dCp") for s in steps),
            complexes=tuple(dict(c) for c in entry.get("complex", [])),
            celsius=float(entry["celsius"]),
            ionic_strength=float(entry["ionic_strength"]),
            source=cites[entry["source"]],
            aliases=tuple(entry.get("aliases", ())),
            forms={k: dict(v) for k, v in entry.get("forms", {}).items()},
            verified=bool(entry.get("verified", False)),
            checked=str(entry.get("checked", "")),
        )
    return out


def _ligand(name: str) -> Ligand:
    table = ligands()
    key = str(name).strip().casefold()
    for lig in table.values():
        if key in {lig.key.casefold(), lig.name.casefold(), *(a.casefold() for a in lig.aliases)}:
            return lig
    raise ValueError(
        f"ligand={name!r} is not in the stability table; the ligands are: {', '.join(table)}"
    )


def _model(name: str) -> str:
    key = str(name).strip().lower()
    if key not in ACTIVITY_MODELS:
        raise ValueError(
            f"activity_model={name!r} is not known; the models are: "
            + ", ".join(f"{k!r} ({v})" for k, v in ACTIVITY_MODELS.items())
        )
    return key


def _check_celsius(celsius: float) -> float:
    t = float(celsius)
    if not math.isfinite(t) or not 0.0 <= t <= 60.0:
        raise ValueError(
            f"celsius={celsius!r}: the stability constants are corrected for temperature "
            "between 0 and 60 degC (van 't Hoff from 20-25 degC); give a temperature in that range"
        )
    return t


# -- corrections ------------------------------------------------------------------------------
def _van_t_hoff(log_k: float, dH: float | None, dCp: float | None, t_ref: float, t: float) -> float:
    """log10 K at t [degC] from log10 K at t_ref (dH [kJ/mol], dCp [J/(K mol)])."""
    if dH is None or t == t_ref:
        return log_k
    T, theta = t + ZERO_CELSIUS, t_ref + ZERO_CELSIUS
    out = log_k - dH * 1e3 / (GAS_CONSTANT * _LN10) * (1 / T - 1 / theta)
    if dCp is not None:
        out += dCp / (GAS_CONSTANT * _LN10) * (theta / T - 1 + math.log(T / theta))
    return out


def _log_gamma_fn(model: str, ionic_strength: float, celsius: float) -> Any:
    """z -> log10 gamma for the activity model at this ionic strength."""
    if model == "ideal" or ionic_strength == 0:
        return lambda z: 0.0
    from nernst.activity import activity_coefficient

    cache_: dict[int, float] = {}

    def log_gamma(z: int) -> float:
        if z == 0:
            return 0.0
        if z not in cache_:
            g = activity_coefficient(
                z, ionic_strength=ionic_strength, model="davies", celsius=celsius
            )
            cache_[z] = math.log10(float(g))
        return cache_[z]

    return log_gamma


@dataclass(frozen=True)
class _Conditional:
    """Concentration constants of one ligand at the working T and I."""

    log_beta: np.ndarray  # cumulative protonation, index = protons (log_beta[0] = 0)
    complexes: tuple[tuple[str, int, float, str], ...]  # metal, protons, log K_c, species
    no_enthalpy: tuple[str, ...]


def _conditional(lig: Ligand, celsius: float, ionic_strength: float, model: str) -> _Conditional:
    """Stepwise constants corrected to celsius and ionic_strength (concentration scale)."""
    ref_g = _log_gamma_fn(
        "davies" if model != "ideal" else "ideal", lig.ionic_strength, lig.celsius
    )
    g = _log_gamma_fn(model, ionic_strength, celsius)
    log_beta = [0.0]
    missing: list[str] = []
    for n, (lk, dH, dCp) in enumerate(zip(lig.log_k, lig.dH, lig.dCp, strict=True), start=1):
        z_prev, z_new = lig.charge + n - 1, lig.charge + n
        # concentration constant at the reference -> thermodynamic -> T -> concentration at I
        k0 = lk + ref_g(z_new) - ref_g(z_prev) - ref_g(1)
        k0 = _van_t_hoff(k0, dH, dCp, lig.celsius, celsius)
        if dH is None and celsius != lig.celsius:
            missing.append(f"{lig.species[n]} (protonation {n})")
        log_beta.append(log_beta[-1] + k0 - g(z_new) + g(z_prev) + g(1))
    comps = []
    for c in lig.complexes:
        metal, p = str(c["metal"]), int(c["protons"])
        zm = _metal_charge(metal)
        z_l, z_c = lig.charge + p, lig.charge + p + zm
        # a complex may carry its own reference conditions (another source than the ligand's)
        t_ref = float(c.get("celsius", lig.celsius))
        i_ref = float(c.get("ionic_strength", lig.ionic_strength))
        c_ref_g = (
            ref_g
            if (t_ref, i_ref) == (lig.celsius, lig.ionic_strength)
            else _log_gamma_fn("davies" if model != "ideal" else "ideal", i_ref, t_ref)
        )
        k0 = float(c["log_k"]) + c_ref_g(z_c) - c_ref_g(z_l) - c_ref_g(zm)
        k0 = _van_t_hoff(k0, c.get("dH"), c.get("dCp"), t_ref, celsius)
        if c.get("dH") is None and celsius != t_ref:
            missing.append(str(c["species"]))
        comps.append((metal, p, k0 - g(z_c) + g(z_l) + g(zm), str(c["species"])))
    return _Conditional(np.array(log_beta), tuple(comps), tuple(missing))


def _metal_charge(metal: str) -> int:
    from nernst.ions import ions

    return int(ions[metal].charge)


def _water(celsius: float, ionic_strength: float, model: str) -> float:
    """log10 of the concentration ion product [H][OH] (M^2) at T and I."""
    w = _data()["water"]
    log_k = _van_t_hoff(float(w["log_k"]), w.get("dH"), w.get("dCp"), float(w["celsius"]), celsius)
    g = _log_gamma_fn(model, ionic_strength, celsius)
    return -log_k - g(1) - g(-1)


def co2_solubility(*, celsius: float = 25.0) -> float:
    r"""Solubility of CO2 in water (Henry's law constant), Weiss (1974).

    .. math:: \ln K_0 = A_1 + A_2 (100/T) + A_3 \ln(T/100)

    Parameters
    ----------
    celsius : float, default 25.0
        Temperature, 0-60. [degC]

    Returns
    -------
    K0 : float
        [CO2(aq)] / pCO2. [mM/atm]

    References
    ----------
    .. [1] Weiss R.F. (1974) Carbon dioxide in water and seawater: the solubility of a
       non-ideal gas. Mar. Chem. 2:203-215, doi:10.1016/0304-4203(74)90015-2.

    Examples
    --------
    >>> round(co2_solubility(celsius=25), 1)   # Sander (2015): 3.3e-4 mol/(m3 Pa) = 33.4
    34.0
    """
    t = _check_celsius(celsius)
    a1, a2, a3 = _data()["co2"]["weiss"]
    T = t + ZERO_CELSIUS
    return math.exp(a1 + a2 * 100 / T + a3 * math.log(T / 100)) * 1e3


# -- public constants -------------------------------------------------------------------------
def apparent_pka(
    ligand: str,
    /,
    *,
    celsius: float = 25.0,
    ionic_strength: float = 0.0,
    step: int = 1,
    activity_model: str = "davies",
) -> float:
    r"""Apparent pKa of a buffer at a temperature and ionic strength (pH-meter scale).

    .. math:: pK_a' = \log_{10} K_n^0(T) + \log_{10}\gamma_{H_{n-1}L} - \log_{10}\gamma_{H_nL}

    the pH (activity scale) at which :math:`[H_nL] = [H_{n-1}L]`; :math:`K^0(T)` by van 't Hoff
    from the tabulated constant (see the module docstring).

    Parameters
    ----------
    ligand : str
        Buffer or chelator name ("HEPES", "Tris", "EGTA", ...; :func:`ligands`).
    celsius : float, default 25.0
        Temperature, 0-60. [degC]
    ionic_strength : float, default 0.0
        Ionic strength of the medium. [mol/L]
    step : int, default 1
        Which proton: 1 is the last to leave (the highest pKa).
    activity_model : {"davies", "ideal"}, default "davies"

    Returns
    -------
    pKa : float
        [unitless]

    Raises
    ------
    ValueError
        Unknown ligand or model, a step the ligand does not have, a temperature outside
        0-60 degC, a negative or non-finite ionic strength.

    References
    ----------
    .. [1] Goldberg R.N., Kishore N., Lennen R.M. (2002) J. Phys. Chem. Ref. Data 31:231-370,
       doi:10.1063/1.1416902.

    Examples
    --------
    >>> round(apparent_pka("HEPES", celsius=25), 3)       # Goldberg et al. (2002), I = 0
    7.564
    >>> round(apparent_pka("HEPES", celsius=37, ionic_strength=0.1), 2)   # Sigma table: 7.31
    7.31
    """
    lig = _ligand(ligand)
    model = _model(activity_model)
    t = _check_celsius(celsius)
    I = _check_ionic_strength(ionic_strength)
    if not (isinstance(step, int) and 1 <= step <= len(lig.log_k)):
        raise ValueError(f"step={step!r}: {lig.name} has protonation steps 1..{len(lig.log_k)}")
    cond = _conditional(lig, t, I, model)
    g = _log_gamma_fn(model, I, t)
    log_kc = float(cond.log_beta[step] - cond.log_beta[step - 1])
    return log_kc - g(1)  # mixed constant: a_H [H(n-1)L] / [HnL]


def apparent_dissociation_constant(
    ligand: str,
    metal: str = "Ca2+",
    /,
    *,
    ph: float,
    celsius: float = 25.0,
    ionic_strength: float = 0.1,
    activity_model: str = "davies",
) -> float:
    r"""Apparent dissociation constant of a metal-chelator complex at a given pH.

    .. math::

        K_d' = \frac{\sum_n \beta_n h^n}{\sum_p K_{Mp}\,\beta_p h^p}
        \qquad (h = 10^{-pH}/\gamma_H)

    the free metal concentration at which half of the metal-free ligand pool is bound.

    Parameters
    ----------
    ligand : str
        Chelator ("EGTA", "BAPTA", "EDTA", "ATP").
    metal : str, default "Ca2+"
        "Ca2+" or "Mg2+".
    ph : float
        pH (activity scale, as a pH meter reads it).
    celsius : float, default 25.0
        Temperature, 0-60. [degC]
    ionic_strength : float, default 0.1
        [mol/L]
    activity_model : {"davies", "ideal"}, default "davies"

    Returns
    -------
    Kd : float
        [mM]

    Raises
    ------
    ValueError
        Unknown ligand, model or metal, a ligand that does not bind the metal, pH outside 0-14,
        bad temperature or ionic strength.

    References
    ----------
    .. [1] Harrison S.M., Bers D.M. (1987) Biochim. Biophys. Acta 925:133-143,
       doi:10.1016/0304-4165(87)90102-4.
    .. [2] Tsien R.Y., Pozzan T. (1989) Measurement of cytosolic free Ca2+ with quin2.
       Methods Enzymol. 172:230-262, doi:10.1016/S0076-6879(89)72017-6.

    Examples
    --------
    EGTA at pH 7.2, 20 degC, 0.1 M KCl (Tsien & Pozzan 1989: 150.5 nM; MaxChelator with the
    same constants: 154 nM):

    >>> round(apparent_dissociation_constant("EGTA", ph=7.2, celsius=20) * 1e6)
    155
    """
    lig = _ligand(ligand)
    model = _model(activity_model)
    t = _check_celsius(celsius)
    I = _check_ionic_strength(ionic_strength)
    pH = _check_ph(ph)
    cond = _conditional(lig, t, I, model)
    g = _log_gamma_fn(model, I, t)
    h = 10.0 ** (-pH - g(1))
    from nernst.ions import ions

    try:
        symbol = ions[metal].symbol
    except KeyError:
        raise ValueError(f"metal={metal!r} is not an ion of the table (e.g. 'Ca2+')") from None
    n = np.arange(cond.log_beta.size)
    alpha = float(np.sum(10.0 ** (cond.log_beta + n * math.log10(h))))
    bound = sum(
        10.0 ** (lk + cond.log_beta[p] + p * math.log10(h))
        for m, p, lk, _ in cond.complexes
        if m == symbol
    )
    if bound == 0:
        raise ValueError(f"{lig.name} has no {symbol} complex in the stability table")
    return alpha / bound * 1e3


def _check_ionic_strength(value: float) -> float:
    v = float(value)
    if not (math.isfinite(v) and v >= 0):
        raise ValueError(f"ionic_strength={value!r} must be zero or positive and finite [mol/L]")
    return v


def _check_ph(value: float) -> float:
    v = float(value)
    if not (math.isfinite(v) and 0.0 <= v <= 14.0):
        raise ValueError(f"ph={value!r} must be between 0 and 14")
    return v


# -- osmotic coefficient ------------------------------------------------------------------------
def osmotic_coefficient(salt: str, molality: float, /, *, celsius: float = 25.0) -> float:
    r"""Osmotic coefficient of a single 1:1 salt in water (Pitzer equations).

    .. math::

        \phi - 1 = -A_\phi \frac{\sqrt m}{1 + b\sqrt m}
        + m\left(\beta^{(0)} + \beta^{(1)} e^{-\alpha\sqrt m}\right) + m^2 C^\phi

    with b = 1.2, alpha = 2 (kg/mol)^1/2, :math:`A_\phi = \ln 10\, A / 3` from the
    Debye-Hueckel A of :func:`nernst.debye_huckel_constants` at ``celsius`` and the 25 degC
    parameters of Pitzer & Mayorga (1973) (:data:`OSMOTIC_SALTS`).

    Parameters
    ----------
    salt : {"NaCl", "KCl"}
    molality : float
        0-6. [mol/kg]
    celsius : float, default 25.0
        [degC]

    Returns
    -------
    phi : float
        Osmolality = phi * (sum of the molalities of the ions). [unitless]

    Raises
    ------
    ValueError
        Unknown salt, molality outside 0-6 mol/kg or not finite.

    References
    ----------
    .. [1] Pitzer K.S., Mayorga G. (1973) J. Phys. Chem. 77:2300-2308,
       doi:10.1021/j100638a009.
    .. [2] Robinson R.A., Stokes R.H. (1959) Electrolyte Solutions, 2nd ed., Appendix 8.10
       (the measured values this reproduces).

    Examples
    --------
    >>> round(osmotic_coefficient("NaCl", 0.1), 3)   # Robinson & Stokes: 0.9324
    0.932
    """
    if salt not in OSMOTIC_SALTS:
        raise ValueError(
            f"salt={salt!r}: osmotic coefficients are known for {', '.join(OSMOTIC_SALTS)}"
        )
    m = float(molality)
    if not (math.isfinite(m) and 0 <= m <= 6):
        raise ValueError(f"molality={molality!r} must be between 0 and 6 mol/kg")
    from nernst.activity import debye_huckel_constants

    A = float(debye_huckel_constants(celsius=celsius)[0])
    a_phi = _LN10 * A / 3
    b0, b1, c_phi = OSMOTIC_SALTS[salt]
    s = math.sqrt(m)
    return (
        1
        - a_phi * s / (1 + _THETA_PITZER * s)
        + m * (b0 + b1 * math.exp(-_ALPHA_PITZER * s))
        + m * m * c_phi
    )


# -- the solver ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Speciation:
    """The equilibrium composition of a solution.

    Attributes
    ----------
    species : dict
        Every species (ions by their ion-table symbol, neutral species by name) -> free
        concentration [mM], spectator ions included.
    charges : dict
        Species -> charge.
    ph : float
        pH (activity scale unless the model is "ideal").
    ionic_strength : float
        [mol/L]
    celsius : float
        [degC]
    titrant : float
        Titrant added to reach the set pH (0 if no pH was set). [mM]
    free_metal, total_metal : dict
        Metal -> free and total concentration. [mM]
    bound : dict
        Ligand -> {species: mM} of its protonated and metal-bound forms.
    no_enthalpy : tuple of str
        Species whose constant had no published enthalpy (used unchanged with temperature).
    """

    species: dict[str, float]
    charges: dict[str, int]
    ph: float
    ionic_strength: float
    celsius: float
    titrant: float
    free_metal: dict[str, float]
    total_metal: dict[str, float]
    bound: dict[str, dict[str, float]]
    no_enthalpy: tuple[str, ...] = ()

    @property
    def net_charge(self) -> float:
        """sum z c over all species. [mEq/L]"""
        return math.fsum(self.charges[s] * c for s, c in self.species.items())


def _solve_metals(
    h: float, metals: dict[str, float], ligs: dict[str, tuple[Ligand, float, _Conditional]]
) -> tuple[dict[str, float], dict[str, float]]:
    """Free metals [M] and free fully-deprotonated ligands [M] at a free proton conc. h [M]."""
    from scipy.optimize import root

    names = [m for m, tot in metals.items() if tot > 0]
    log_h = math.log10(h)

    def ligand_free(m_free: dict[str, float]) -> dict[str, float]:
        out = {}
        for key, (_lig, tot, cond) in ligs.items():
            n = np.arange(cond.log_beta.size)
            d = float(np.sum(10.0 ** (cond.log_beta + n * log_h)))
            for metal, p, lk, _ in cond.complexes:
                d += 10.0 ** (lk + cond.log_beta[p] + p * log_h) * m_free.get(metal, 0.0)
            out[key] = tot / d
        return out

    def bound_metal(m_free: dict[str, float], l_free: dict[str, float]) -> dict[str, float]:
        out = dict.fromkeys(names, 0.0)
        for key, (_, _, cond) in ligs.items():
            for metal, p, lk, _ in cond.complexes:
                if metal in out:
                    out[metal] += (
                        10.0 ** (lk + cond.log_beta[p] + p * log_h) * m_free[metal] * l_free[key]
                    )
        return out

    if not names:
        return {}, ligand_free({})
    totals = np.array([metals[m] for m in names])

    def saturation(m_free: dict[str, float]) -> np.ndarray:
        """S_j = bound_j / free_j (the complexes per free metal ion) at these free metals."""
        l_free = ligand_free(m_free)
        out = np.zeros(len(names))
        for i, metal in enumerate(names):
            for key, (_, _, cond) in ligs.items():
                for m, p, lk, _ in cond.complexes:
                    if m == metal:
                        out[i] += 10.0 ** (lk + cond.log_beta[p] + p * log_h) * l_free[key]
        return out

    # Unknowns v_j = ln(free_j / total_j) <= 0; the balance total = free (1 + S) reads
    # v + ln(1 + S(v)) = 0, well scaled whatever the totals (trace or molar).
    def free_of(v: np.ndarray) -> dict[str, float]:
        return dict(zip(names, (totals * np.exp(np.minimum(v, 0.0))).tolist(), strict=True))

    def residual(v: np.ndarray) -> np.ndarray:
        return v + np.log1p(saturation(free_of(v)))

    v0 = -np.log1p(saturation(dict.fromkeys(names, 0.0)))  # no ligand depletion: exact for traces
    sol = root(residual, v0, method="hybr", options={"xtol": 1e-14})
    v = sol.x
    if not np.all(np.abs(residual(v)) <= 1e-11):
        # Gauss-Seidel sweeps of bracketed 1-D solves (each balance is monotonic in its v_j)
        from scipy.optimize import brentq

        v = np.minimum(v0, 0.0)
        for _ in range(200):
            previous = v.copy()
            for i in range(len(names)):

                def one(x: float, i: int = i) -> float:
                    trial = v.copy()
                    trial[i] = x
                    return float(residual(trial)[i])

                v[i] = brentq(one, float(v0[i]) - 1.0, 0.0, xtol=1e-15, rtol=1e-14)
            if np.max(np.abs(v - previous)) < 1e-13:
                break
        sol = root(residual, v, method="hybr", options={"xtol": 1e-14})
        if np.all(np.abs(residual(sol.x)) <= np.abs(residual(v))):
            v = sol.x
    if not np.all(np.abs(residual(v)) <= 1e-9):
        raise RuntimeError("the metal balances could not be solved (scipy.optimize.root)")
    m_free = free_of(v)
    return m_free, ligand_free(m_free)


def speciate(
    *,
    ligands_total: Mapping[str, float] | None = None,
    metals_total: Mapping[str, float] | None = None,
    spectators: Mapping[str, float] | None = None,
    ph: float | None = None,
    titrant_ion: str | None = None,
    pco2: float | None = None,
    celsius: float = 25.0,
    activity_model: str = "davies",
) -> Speciation:
    r"""Equilibrium speciation of a solution of ligands, metals and spectator ions.

    Solves the proton, metal and ligand balances of the module docstring, with the ionic
    strength made self-consistent (``scipy.optimize.fixed_point``). With ``ph`` set, the free
    proton activity is fixed and the titrant concentration ``x`` that makes the solution
    neutral is returned, :math:`\sum_i z_i c_i + z_t x = 0`. Without it, the pH is the root of
    the charge balance (``scipy.optimize.brentq``).

    Parameters
    ----------
    ligands_total : mapping, optional
        Ligand name (:func:`ligands`) -> total concentration (all forms). [mM]
    metals_total : mapping, optional
        Binding metal ("Ca2+", "Mg2+") -> total concentration. [mM]
    spectators : mapping, optional
        Ion symbol -> concentration of ions that take part in no equilibrium here (Na+, K+,
        Cl-, gluconate-, the counter-ions of the ligand salts). [mM]
    ph : float, optional
        pH to titrate to (activity scale). Without it the pH follows from the charge balance.
    titrant_ion : str, optional
        The ion the titrant adds ("K+" for KOH, "Cl-" for HCl); needed with ``ph``.
    pco2 : float, optional
        Partial pressure of CO2 the solution is equilibrated with (open system: [CO2(aq)]
        fixed by Henry's law, :func:`co2_solubility`; the carbonate total then follows). [atm]
    celsius : float, default 25.0
        Temperature, 0-60. [degC]
    activity_model : {"davies", "ideal"}, default "davies"

    Returns
    -------
    Speciation

    Raises
    ------
    ValueError
        Unknown ligand, metal or ion; negative or non-finite concentrations; ``ph`` without
        ``titrant_ion``; a titrant of the wrong kind for the set pH (the message says which
        kind is needed); bad temperature, pH or pCO2.

    References
    ----------
    .. [1] Bers D.M., Patton C.W., Nuccitelli R. (2010) Methods Cell Biol. 99:1-26,
       doi:10.1016/B978-0-12-374841-6.00001-3.

    Examples
    --------
    10 mM HEPES free acid titrated to pH 7.4 with KOH at 25 degC takes 4.24 mM KOH (at this
    low ionic strength the apparent pKa is 7.53):

    >>> s = speciate(ligands_total={"HEPES": 10}, ph=7.4, titrant_ion="K+")
    >>> round(s.titrant, 2), round(s.species["HEPES-"], 2)
    (4.24, 4.24)
    """
    from scipy.optimize import brentq, fixed_point

    from nernst.ions import ions

    model = _model(activity_model)
    t = _check_celsius(celsius)
    ligs_in = {
        _ligand(k).key: _amount("ligands_total", k, v) for k, v in (ligands_total or {}).items()
    }
    metals: dict[str, float] = {}
    for k, v in (metals_total or {}).items():
        try:
            metals[ions[k].symbol] = _amount("metals_total", k, v)
        except KeyError:
            raise ValueError(
                f"metals_total: {k!r} is not an ion of the table (e.g. 'Ca2+')"
            ) from None
    spect: dict[str, float] = {}
    for k, v in (spectators or {}).items():
        try:
            sym = ions[k].symbol
        except KeyError:
            raise ValueError(f"spectators: {k!r} is not an ion of the table") from None
        spect[sym] = spect.get(sym, 0.0) + _amount("spectators", k, v)
    z_t = 0
    if ph is not None:
        _check_ph(ph)
        if titrant_ion is None:
            raise ValueError(
                "ph is set, so the titrant must be named: titrant_ion='K+' (KOH), 'Cl-' (HCl), ..."
            )
        z_t = int(ions[titrant_ion].charge)
    co2_mM = None
    if pco2 is not None:
        p = float(pco2)
        if not (math.isfinite(p) and 0 < p <= 1):
            raise ValueError(
                f"pco2={pco2!r} must be a partial pressure between 0 and 1 atm (5% CO2 is 0.05)"
            )
        co2_mM = co2_solubility(celsius=t) * p
        ligs_in.setdefault("carbonate", 0.0)

    def solve_at(I: float) -> tuple[Speciation, float]:
        g = _log_gamma_fn(model, I, t)
        conds = {k: _conditional(ligands()[k], t, I, model) for k in ligs_in}
        log_kw = _water(t, I, model)
        no_dH = tuple(s for c in conds.values() for s in c.no_enthalpy)

        def compose(
            h: float,
        ) -> tuple[dict[str, float], dict[str, int], dict[str, float], dict[str, dict[str, float]]]:
            tot = {}
            for k, c in ligs_in.items():
                if k == "carbonate" and co2_mM is not None:
                    # open system: CO2(aq) fixed, total carbonate from it at this h
                    cond = conds[k]
                    n = np.arange(cond.log_beta.size)
                    frac_co2 = 10.0 ** (cond.log_beta[-1] + (n[-1]) * math.log10(h))
                    alpha = float(np.sum(10.0 ** (cond.log_beta + n * math.log10(h))))
                    tot[k] = (co2_mM * 1e-3) * alpha / frac_co2
                else:
                    tot[k] = c * 1e-3
            ligs = {k: (ligands()[k], tot[k], conds[k]) for k in ligs_in}
            m_free, l_free = _solve_metals(h, {m: c * 1e-3 for m, c in metals.items()}, ligs)
            species: dict[str, float] = {}
            charges: dict[str, int] = {}
            bound: dict[str, dict[str, float]] = {}

            def add(name: str, z: int, c_M: float) -> None:
                species[name] = species.get(name, 0.0) + float(c_M) * 1e3
                charges[name] = z

            for s, c in spect.items():
                add(s, ions[s].charge, c * 1e-3)
            for mname, c in metals.items():
                add(mname, ions[mname].charge, m_free.get(mname, 0.0) if c > 0 else 0.0)
            add("H+", 1, h)
            add("OH-", -1, 10.0**log_kw / h)
            for k, (lig, _, cond) in ligs.items():
                bound[lig.name] = {}
                for n_h, name in enumerate(lig.species):
                    c_M = 10.0 ** (cond.log_beta[n_h] + n_h * math.log10(h)) * l_free[k]
                    add(name, lig.charge + n_h, c_M)
                    bound[lig.name][name] = float(c_M) * 1e3
                for metal, p, lk, name in cond.complexes:
                    if metal in m_free:
                        c_M = (
                            10.0 ** (lk + cond.log_beta[p] + p * math.log10(h))
                            * m_free[metal]
                            * l_free[k]
                        )
                        add(name, lig.charge + p + int(ions[metal].charge), c_M)
                        bound[lig.name][name] = float(c_M) * 1e3
            return species, charges, {m: v * 1e3 for m, v in m_free.items()}, bound

        def net(h: float) -> float:
            sp, ch, _, _ = compose(h)
            return math.fsum(ch[s] * c for s, c in sp.items())

        if ph is not None:
            h = 10.0 ** (-float(ph) - g(1))
            x = -net(h) / z_t
            if x < -1e-9 * max(1.0, sum(spect.values())):
                kind = "an acid (e.g. titrant='HCl')" if z_t > 0 else "a base (e.g. titrant='KOH')"
                raise ValueError(
                    f"ph={ph}: the recipe is already "
                    f"{'more basic' if z_t > 0 else 'more acidic'} than "
                    f"pH {ph} ({abs(x):.4g} mM of {titrant_ion} would have to be removed); titrate "
                    f"with {kind}"
                )
            x = max(x, 0.0)
        else:
            # the net charge falls monotonically with pH: bracket on log10 h
            def f(pH_c: float) -> float:
                return net(10.0**-pH_c)

            lo, hi = 0.0, 14.0
            if f(lo) < 0 or f(hi) > 0:
                raise ValueError(
                    "the solution cannot be electroneutral at any pH between 0 and 14: its strong "
                    "ions do not balance (check the recipe's salts and counter-ions)"
                )
            pH_c = brentq(f, lo, hi, xtol=1e-13, rtol=1e-13, maxiter=200)
            h = 10.0**-pH_c
            x = 0.0
        species, charges, m_free, bound = compose(h)
        if x > 0 and titrant_ion is not None:
            sym = ions[titrant_ion].symbol
            species[sym] = species.get(sym, 0.0) + x
            charges[sym] = z_t
        I_new = 0.5e-3 * math.fsum(c * charges[s] ** 2 for s, c in species.items())
        pH_out = -math.log10(h) - g(1)
        sp = Speciation(
            species=species,
            charges=charges,
            ph=float(ph) if ph is not None else pH_out,
            ionic_strength=I_new,
            celsius=t,
            titrant=x,
            free_metal=m_free,
            total_metal=dict(metals),
            bound=bound,
            no_enthalpy=no_dH,
        )
        return sp, I_new

    if model == "ideal":
        return solve_at(0.0)[0]
    I0 = 0.5e-3 * sum(c * ions[s].charge ** 2 for s, c in spect.items()) + 1e-4
    I_fix = float(
        fixed_point(lambda I: solve_at(max(float(I), 0.0))[1], I0, xtol=1e-12, maxiter=200)
    )
    return solve_at(I_fix)[0]


def _amount(arg: str, key: Any, value: Any) -> float:
    try:
        c = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{arg}[{key!r}]={value!r} is not a number [mM]") from None
    if not (math.isfinite(c) and c >= 0):
        raise ValueError(
            f"{arg}[{key!r}]={c:g}: a concentration must be zero or positive and finite [mM]"
        )
    return c
