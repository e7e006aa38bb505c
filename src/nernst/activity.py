r"""Ionic strength and activity coefficients of ions in water.

An ion's activity is :math:`a = \gamma c`; the Nernst and GHK equations hold for activities.
In a dilute solution :math:`\gamma \to 1`; in physiological saline (I about 0.15 M) a
monovalent ion has :math:`\gamma \approx 0.75` and a divalent one about 0.3-0.4.

Models (``model=``; every one gives :math:`\log_{10}\gamma`, returned as :math:`\gamma`):

===========================  ==================================================  ========
model                        :math:`\log_{10}\gamma`                             valid to
===========================  ==================================================  ========
``"ideal"``                  :math:`0`                                           I -> 0
``"debye-huckel"``           :math:`-A z^2 \sqrt{I}` (limiting law)              ~0.005 M
``"extended-debye-huckel"``  :math:`-A z^2 \sqrt{I} / (1 + B a \sqrt{I})`        ~0.1 M
``"davies"``                 :math:`-A z^2 (\sqrt{I}/(1+\sqrt{I}) - 0.3 I)`      ~0.5 M
``"truesdell-jones"``        :math:`-A z^2 \sqrt{I} / (1 + B a \sqrt{I}) + b I`  ~2 M
===========================  ==================================================  ========

Where each model stops being valid (measured against the mean activity coefficients of NaCl
and KCl at 25 degC, CRC Handbook / Hamer & Wu 1972; ``tests/test_activity.py`` checks these):

- **Debye-Hueckel limiting law**: point charges in a continuum. Within 1% of the data up to
  I ~ 0.005 M; it overestimates the non-ideality beyond (gamma 3% low at 0.02 M, 11% at
  0.1 M).
- **Extended Debye-Hueckel** with Kielland's (1937) ion-size parameters (``Ion.ion_size``):
  within ~2% up to I ~ 0.1 M (3% for CaCl2 at I = 0.3 M); it has no term for the rise of
  gamma at higher I (7% low for NaCl at 0.5 M).
- **Davies**: no ion-specific parameter (every ion of one charge gets the same gamma). Within
  ~1.5% up to 0.1 M, 1.5-4% too high at 0.2 M and 8-13% at 0.5 M for 1:1 salts (17% for
  CaCl2 at I = 0.6 M); above about 1 M it is unphysical (gamma of a monovalent ion exceeds
  1 near I ~ 2 M). The customary limit is 0.5 M; for better than 5% stay below ~0.2 M.
- **Truesdell-Jones** (WATEQ) with the a, b of ``data/activity.toml``: fitted to single-salt
  data; within ~1% up to 2 M for NaCl and KCl and up to I = 3 M for CaCl2; only for the ions
  listed there. Its b were fitted at 25 degC and are used unchanged at other temperatures.

Mixed electrolytes of high I, or specific ion pairing (e.g. CaSO4, MgSO4), need a Pitzer or
ion-association model, not these. :data:`ACTIVITY_MODELS` holds each model's equation,
validity limit and reference.

Concentrations and ionic strength: nernst works in mM (the library convention) and returns
I in mol/L. The model parameters (Kielland a, Davies 0.3, Truesdell-Jones a and b) and the
salt tables are on the molal scale; I in mol/L is used as mol/kg of water. In dilute aqueous
solution m = c / rho_w (rho_w = 0.997 kg/L at 25 degC), so the two differ by 0.3%, far below
the accuracy of any of these models.

Arrays of other libraries: every public function here also takes arrays of array_api_strict,
Dask, JAX (any Array API library) and returns an array of that library, computed by the same
body (:func:`_log10_gamma` for the activity coefficients); errors surface as described in
:mod:`nernst._validate` (at compute for Dask, as NaN inside ``jax.jit``). The
:class:`ActivityRangeWarning` needs the largest ionic strength, so it is not given for a Dask
array (nothing is computed at the call) or inside ``jax.jit``.

Temperature: the Debye-Hueckel constants A and B are computed from the exact SI constants,
the dielectric constant of water (Malmberg & Maryott 1956) and its density (Kell 1975), so
they follow the temperature (0-100 degC). At 25 degC A = 0.5108 (kg/mol)^1/2 and
B = 3.2865 /nm (kg/mol)^1/2 on the molal scale (:func:`debye_huckel_constants`).

References
----------
.. [1] Debye P., Hueckel E. (1923) Zur Theorie der Elektrolyte. I. Gefrierpunktserniedrigung
   und verwandte Erscheinungen. Phys. Z. 24:185-206.
.. [2] Kielland J. (1937) Individual activity coefficients of ions in aqueous solutions.
   J. Am. Chem. Soc. 59:1675-1678. https://doi.org/10.1021/ja01288a032
.. [3] Davies C.W. (1962) Ion Association. Butterworths, London, p. 41 (the 0.3 I form).
.. [4] Truesdell A.H., Jones B.F. (1974) WATEQ, a computer program for calculating chemical
   equilibria of natural waters. J. Res. U.S. Geol. Surv. 2:233-248.
.. [5] Robinson R.A., Stokes R.H. (1959) Electrolyte Solutions, 2nd ed., Butterworths,
   London, ch. 7 and Appendix 7.1 (Debye-Hueckel constants).
.. [6] Malmberg C.G., Maryott A.A. (1956) Dielectric constant of water from 0 to 100 C.
   J. Res. Natl. Bur. Stand. 56(1):1-8. https://doi.org/10.6028/jres.056.001
.. [7] Kell G.S. (1975) Density, thermal expansivity, and compressibility of liquid water
   from 0 to 150 C. J. Chem. Eng. Data 20(1):97-105. https://doi.org/10.1021/je60064a005
"""

from __future__ import annotations

import functools
import math
import operator
import sys
import tomllib
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nernst._validate import (
    SCALAR,
    as_float,
    broadcast,
    broadcast_shape,
    ion_mapping,
    is_foreign,
    namespace,
    non_negative,
    positive,
    real,
    result,
    scalar_or_array,
    show,
    to_numpy,
    valence_array,
    xp_float,
)
from nernst.constants import (
    AVOGADRO,
    BOLTZMANN,
    ELEMENTARY_CHARGE,
    LN10,
    M_PER_NM,
    SOLUTION_TEMPERATURE_C,
    VACUUM_PERMITTIVITY,
    ZERO_CELSIUS,
    kelvin,
)
from nernst.ions import ions, valence

__all__ = [
    "ACTIVITY_MODELS",
    "DEFAULT_ACTIVITY_CELSIUS",
    "VACUUM_PERMITTIVITY",
    "ActivityModel",
    "ActivityRangeWarning",
    "activity_coefficient",
    "activity_model",
    "debye_huckel_constants",
    "ionic_strength",
    "mean_activity_coefficient",
    "truesdell_jones_parameters",
    "water_density",
    "water_dielectric_constant",
]

#: Default temperature of the activity functions: the temperature of the salt tables
#: (:data:`nernst.constants.SOLUTION_TEMPERATURE_C`). [degC]
DEFAULT_ACTIVITY_CELSIUS = SOLUTION_TEMPERATURE_C
#: Temperature range of the water-property formulas (liquid water at 1 atm). [degC]
WATER_CELSIUS_RANGE = (0.0, 100.0)

#: Molar-scale reference: 1 mol/L = 1000 mol/m^3 (replaces rho_w for the c scale). [kg/m^3]
_LITRE_DENSITY = 1000.0


class ActivityRangeWarning(UserWarning):
    """An activity model used beyond the ionic strength up to which it is documented to hold
    (:data:`ACTIVITY_MODELS`, ``valid_up_to``): the coefficients may be far off (Davies gives
    gamma = 6099 for MgCl2 at I = 15 M). The message names the model, the ionic strength and
    the documented range.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = activity_coefficient("Mg2+", ionic_strength=15.0, model="davies")
    >>> caught[0].category.__name__
    'ActivityRangeWarning'
    """


def _warn_range(model: str, ionic_strength: Any, stacklevel: int = 3) -> None:
    """Warn (ActivityRangeWarning) when ``ionic_strength`` exceeds the model's range."""
    limit = ACTIVITY_MODELS[model].valid_up_to
    if limit is None:
        return
    top = _largest(ionic_strength)
    if top is not None and top > limit:
        warnings.warn(
            f"activity model {model!r} used at ionic strength I = {top:g} mol/L, beyond its "
            f"documented range (I up to about {limit:g} mol/L, see nernst.activity."
            "ACTIVITY_MODELS): the activity coefficients may be far off; use a model valid "
            "there (e.g. 'truesdell-jones' up to 2 mol/L) or a Pitzer model",
            ActivityRangeWarning,
            stacklevel=stacklevel,
        )


def _largest(values: Any) -> float | None:
    """The largest of ``values`` (0 for none), or None when it cannot be known without
    computing: a Dask array (lazy) or a traced JAX value (inside ``jax.jit``); the range
    warning is then not given."""
    if type(values) in (float, int):
        return float(values)
    if not is_foreign(values):
        return float(np.max(values, initial=0.0))
    from array_api_compat import array_namespace, is_dask_array

    if is_dask_array(values):  # (array_api_compat calls every JAX array lazy: not that test)
        return None
    if values.size == 0:
        return 0.0
    try:
        return float(array_namespace(values).max(values))
    except TypeError:  # a traced value (jax.errors.ConcretizationTypeError)
        return None


@dataclass(frozen=True)
class ActivityModel:
    """One activity-coefficient model: its name, equation and where it stops being valid.

    Attributes
    ----------
    name : str
        The name ``model=`` accepts.
    equation : str
        log10 gamma in plain text.
    valid_up_to : float or None
        Ionic strength above which the model is no longer accurate (see the module
        docstring); None for "ideal", which is exact only at infinite dilution. [mol/L]
    parameters : str
        The ion-specific parameters the model needs ("" if none).
    reference : str
        Where the equation comes from.
    """

    name: str
    equation: str
    valid_up_to: float | None
    parameters: str
    reference: str


#: The accepted models, by name.
ACTIVITY_MODELS: dict[str, ActivityModel] = {
    m.name: m
    for m in (
        ActivityModel("ideal", "log10 gamma = 0", None, "", "ideal solution"),
        ActivityModel(
            "debye-huckel",
            "log10 gamma = -A z^2 sqrt(I)",
            0.005,
            "",
            "Debye & Hueckel (1923) limiting law",
        ),
        ActivityModel(
            "extended-debye-huckel",
            "log10 gamma = -A z^2 sqrt(I) / (1 + B a sqrt(I))",
            0.1,
            "ion-size parameter a (Kielland 1937, ion table)",
            "Debye & Hueckel (1923); ion sizes of Kielland (1937)",
        ),
        ActivityModel(
            "davies",
            "log10 gamma = -A z^2 (sqrt(I) / (1 + sqrt(I)) - 0.3 I)",
            0.5,
            "",
            "Davies (1962) Ion Association, p. 41",
        ),
        ActivityModel(
            "truesdell-jones",
            "log10 gamma = -A z^2 sqrt(I) / (1 + B a sqrt(I)) + b I",
            2.0,
            "a and b (Truesdell & Jones 1974, data/activity.toml)",
            "Truesdell & Jones (1974) WATEQ",
        ),
    )
}

_ALIASES = {
    "dh": "debye-huckel",
    "limiting": "debye-huckel",
    "limiting-law": "debye-huckel",
    "debye-huckel-limiting": "debye-huckel",
    "extended": "extended-debye-huckel",
    "edh": "extended-debye-huckel",
    "extended-dh": "extended-debye-huckel",
    "tj": "truesdell-jones",
    "wateq": "truesdell-jones",
}


def activity_model(name: str) -> str:
    """The canonical name of an activity model, or a ValueError listing the valid ones.

    Spelling is forgiving: case, spaces/underscores for hyphens, "hueckel" or "hückel" for
    "huckel", and a few short aliases ("dh", "edh", "tj").

    Examples
    --------
    >>> activity_model("Extended Debye-Hückel")
    'extended-debye-huckel'
    """
    if isinstance(name, str):
        if name in ACTIVITY_MODELS:
            return name
        key = "-".join(name.strip().lower().replace("_", " ").replace("-", " ").split())
        key = key.replace("hückel", "huckel").replace("hueckel", "huckel")
        key = _ALIASES.get(key, key)
        if key in ACTIVITY_MODELS:
            return key
    raise ValueError(
        f"unknown activity model {name!r}; the models are: {', '.join(ACTIVITY_MODELS)}"
    )


# -- water and the Debye-Hueckel constants ------------------------------------------------


def _check_water_celsius(celsius: ArrayLike) -> np.ndarray:
    """Celsius as a float array inside the range of the water-property formulas."""
    kelvin(celsius)  # NaN, below absolute zero, Kelvin-looking values: the library's messages
    theta = np.asarray(celsius, dtype=float)
    lo, hi = WATER_CELSIUS_RANGE
    if theta.size and (theta.min() < lo or theta.max() > hi):
        bad = theta.min() if theta.min() < lo else theta.max()
        raise ValueError(
            f"celsius={float(bad):g}: the dielectric constant and density of water used for "
            f"activity coefficients are given for liquid water from {lo:g} to {hi:g} degC"
        )
    return theta


def _water_theta(celsius: Any) -> tuple[Any, Any]:
    """(xp, theta): ``celsius`` checked by :func:`_check_water_celsius`, as a NumPy array for
    Python or NumPy input, as an array of its library for a foreign one (errors surface as
    :mod:`nernst._validate` describes)."""
    if not is_foreign(celsius):
        return np, _check_water_celsius(celsius)
    xp, dtype = namespace(celsius)
    lo, hi = WATER_CELSIUS_RANGE
    theta = xp_float(xp, dtype, celsius, _check_water_celsius, lambda t: (t >= lo) & (t <= hi))
    return xp, theta


def _eps_r(theta: Any) -> Any:
    # Malmberg & Maryott (1956), eq. (2): 0-100 degC, standard deviation 0.01 at 25 degC.
    return 87.740 - 0.40008 * theta + 9.398e-4 * theta**2 - 1.410e-6 * theta**3


def _rho(theta: Any) -> Any:
    # Kell (1975), eq. (16): density of air-free water at 1 atm, 0-150 degC. [kg/m^3]
    num = (
        999.83952
        + 16.945176 * theta
        - 7.9870401e-3 * theta**2
        - 46.170461e-6 * theta**3
        + 105.56302e-9 * theta**4
        - 280.54253e-12 * theta**5
    )
    return num / (1.0 + 16.879850e-3 * theta)


def _dh_constants(theta: Any, rho: Any) -> tuple[Any, Any]:
    """A [(kg/mol)^1/2, log10] and B [1/nm (kg/mol)^1/2] for water of density rho."""
    ekT = VACUUM_PERMITTIVITY * _eps_r(theta) * BOLTZMANN * (theta + ZERO_CELSIUS)
    # Inverse Debye length per sqrt(I): kappa^2 = 2 N_A e^2 rho_w I / (eps0 eps_r k T). [1/m]
    kappa = (2.0 * AVOGADRO * ELEMENTARY_CHARGE**2 * rho / ekT) ** 0.5
    A = ELEMENTARY_CHARGE**2 * kappa / (8.0 * math.pi * ekT * LN10)
    return A, kappa * M_PER_NM


def water_dielectric_constant(*, celsius: ArrayLike = DEFAULT_ACTIVITY_CELSIUS) -> Any:
    r"""Relative permittivity (static dielectric constant) of liquid water at 1 atm.

    .. math:: \varepsilon_r = 87.740 - 0.40008\,t + 9.398\times10^{-4}\,t^2
              - 1.410\times10^{-6}\,t^3

    Parameters
    ----------
    celsius : array_like, default 25.0
        Temperature t, 0-100. [degC]

    Returns
    -------
    eps_r : float or ndarray
        Relative permittivity. [unitless]

    Raises
    ------
    ValueError
        Temperature outside 0-100 degC, not finite, or Kelvin-looking.

    Examples
    --------
    >>> round(water_dielectric_constant(celsius=25), 2)
    78.3

    References
    ----------
    .. [1] Malmberg C.G., Maryott A.A. (1956) Dielectric constant of water from 0 to 100 C.
       J. Res. Natl. Bur. Stand. 56(1):1-8, eq. (2).
    """
    xp, theta = _water_theta(celsius)
    return result(xp, _eps_r(theta))


def water_density(*, celsius: ArrayLike = DEFAULT_ACTIVITY_CELSIUS) -> Any:
    r"""Density of air-free liquid water at 1 atm (Kell 1975).

    .. math:: \rho = \frac{999.83952 + 16.945176\,t - 7.9870401\times10^{-3} t^2
              - 46.170461\times10^{-6} t^3 + 105.56302\times10^{-9} t^4
              - 280.54253\times10^{-12} t^5}{1 + 16.879850\times10^{-3}\,t}

    Parameters
    ----------
    celsius : array_like, default 25.0
        Temperature t, 0-100 (the range nernst uses it in). [degC]

    Returns
    -------
    rho : float or ndarray
        Density. [kg/m^3]

    Examples
    --------
    >>> round(water_density(celsius=25), 2)
    997.04

    References
    ----------
    .. [1] Kell G.S. (1975) Density, thermal expansivity, and compressibility of liquid water
       from 0 to 150 C. J. Chem. Eng. Data 20(1):97-105, eq. (16).
    """
    xp, theta = _water_theta(celsius)
    return result(xp, _rho(theta))


def debye_huckel_constants(
    *, celsius: ArrayLike = DEFAULT_ACTIVITY_CELSIUS, scale: str = "molal"
) -> tuple[Any, Any]:
    r"""Debye-Hueckel constants A (log10 form) and B of water at a temperature.

    From the exact SI constants, the dielectric constant of water :math:`\varepsilon_r(T)`
    (Malmberg & Maryott 1956) and, on the molal scale, its density :math:`\rho_w(T)`
    (Kell 1975):

    .. math::

        B = \sqrt{\frac{2 N_A e^2 \rho_w}{\varepsilon_0 \varepsilon_r k_B T}}, \qquad
        A = \frac{e^2 B}{8 \pi \varepsilon_0 \varepsilon_r k_B T \ln 10}
          = \frac{e^3 \sqrt{2 N_A \rho_w}}{\ln 10 \; 8\pi (\varepsilon_0 \varepsilon_r k_B T)^{3/2}}

    so that :math:`\log_{10}\gamma = -A z^2 \sqrt{I}/(1 + B a \sqrt{I})`. B is the inverse
    Debye length per :math:`\sqrt{I}`. On the molar (c) scale :math:`\rho_w` is replaced by
    1 kg/L (1000 mol/m^3 per mol/L).

    Parameters
    ----------
    celsius : array_like, default 25.0
        Temperature, 0-100. [degC]
    scale : {"molal", "molar"}, default "molal"
        "molal": I in mol/kg of water, A in (kg/mol)^1/2, B in 1/nm (kg/mol)^1/2 (the
        scale of the activity models). "molar": I in mol/L, A in (L/mol)^1/2, B in
        1/nm (L/mol)^1/2 (the scale of Robinson & Stokes' Appendix 7.1).

    Returns
    -------
    A : float or ndarray
        Limiting-law slope, log10 form. [(kg/mol)^1/2 or (L/mol)^1/2]
    B : float or ndarray
        Inverse Debye length per sqrt(I). [1/nm (kg/mol)^1/2 or 1/nm (L/mol)^1/2]

    Raises
    ------
    ValueError
        Temperature outside 0-100 degC; unknown scale.

    Examples
    --------
    >>> A, B = debye_huckel_constants(celsius=25)
    >>> round(A, 4), round(B, 3)
    (0.5108, 3.287)
    >>> A, B = debye_huckel_constants(celsius=25, scale="molar")
    >>> round(A, 4), round(B / 10, 4)   # B in 1/Angstrom, as Robinson & Stokes tabulate it
    (0.5116, 0.3291)

    References
    ----------
    .. [1] Robinson R.A., Stokes R.H. (1959) Electrolyte Solutions, 2nd ed., Butterworths,
       London, ch. 7 and Appendix 7.1.
    .. [2] Malmberg C.G., Maryott A.A. (1956) J. Res. Natl. Bur. Stand. 56(1):1-8.
    .. [3] Kell G.S. (1975) J. Chem. Eng. Data 20(1):97-105.
    """
    if scale not in ("molal", "molar"):
        raise ValueError(f"scale={scale!r}: the scales are 'molal' (mol/kg) and 'molar' (mol/L)")
    xp, theta = _water_theta(celsius)
    rho = _rho(theta) if scale == "molal" else _LITRE_DENSITY
    A, B = _dh_constants(theta, rho)
    return result(xp, A), result(xp, B)


@lru_cache(maxsize=512)
def _ab_scalar(celsius: float) -> tuple[float, float]:
    """Molal A and B at one temperature (cached; the scalar fast path)."""
    theta = np.float64(celsius)
    A, B = _dh_constants(theta, _rho(theta))
    return float(A), float(B)


# -- ion parameters ----------------------------------------------------------------------


@cache
def _tj_table() -> dict[str, tuple[float, float]]:
    """Truesdell-Jones (a [nm], b [kg/mol]) by canonical ion symbol, from activity.toml."""
    text = resources.files("nernst.data").joinpath("activity.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    out: dict[str, tuple[float, float]] = {}
    for name, entry in raw["truesdell-jones"].items():
        if entry["source"] not in raw["sources"]:
            raise RuntimeError(f"activity.toml: {name} cites unknown source {entry['source']!r}")
        out[ions.resolve(name)] = (float(entry["a"]), float(entry["b"]))
    return out


def truesdell_jones_parameters() -> dict[str, tuple[float, float]]:
    """The shipped Truesdell-Jones parameters: ion symbol -> (a [nm], b [kg/mol]).

    Examples
    --------
    >>> truesdell_jones_parameters()["Na+"]
    (0.4, 0.075)
    """
    return dict(_tj_table())


@lru_cache(maxsize=1024)
def _ion_scalar(ion: str) -> tuple[str, int, float | None, tuple[float, float] | None]:
    """(symbol, z, Kielland a [nm] or None, Truesdell-Jones (a, b) or None) of an ion name."""
    try:
        record = ions[ion]
    except KeyError as err:
        raise ValueError(err.args[0]) from None
    return record.symbol, record.charge, record.ion_size, _tj_table().get(record.symbol)


def _missing_size(label: str, model: str) -> ValueError:
    if model == "truesdell-jones":
        have = ", ".join(_tj_table())
        return ValueError(
            f"model='truesdell-jones' has no parameters (a, b) for {label}; it has them for "
            f"{have} (data/activity.toml). Use model='davies' or 'extended-debye-huckel'"
        )
    return ValueError(
        f"model='extended-debye-huckel' needs the ion-size parameter of {label}, which the "
        "ion table does not have; pass ion_size= (Kielland a, nm) or use model='davies'"
    )


# -- ionic strength ------------------------------------------------------------------------


def ionic_strength(
    concentrations: Mapping[str, ArrayLike] | ArrayLike,
    /,
    *,
    z: ArrayLike | Sequence[str] | None = None,
) -> Any:
    r"""Ionic strength of a solution.

    .. math:: I = \frac{1}{2} \sum_i c_i z_i^2 \qquad (c_i \text{ in mol/L})

    Parameters
    ----------
    concentrations : mapping of str to array_like, or array_like
        Concentrations of every ion in the solution (counter-ions and impermeant ions
        included): a mapping ion name -> concentration, or an array with the ions along the
        last axis (then ``z`` is needed). Zero is allowed (an absent ion). [mM]
    z : array_like of int or sequence of str, optional
        Valences (or ion names) of the ions along the last axis, for array input only.
        A valence of 0 (a neutral solute) is allowed and contributes nothing.

    Returns
    -------
    I : float or ndarray
        Ionic strength, broadcast over the concentrations. [mol/L]

    Raises
    ------
    ValueError
        Negative or non-finite concentration, unknown ion name, z missing for array input or
        given with a mapping, z not an integer, shapes that do not match.

    Examples
    --------
    >>> round(ionic_strength({"Na+": 150, "Cl-": 150}), 6)
    0.15
    >>> round(ionic_strength({"Ca2+": 1, "Cl-": 2}), 6)   # 1 mM CaCl2: (4 + 2) / 2 mM
    0.003
    >>> ionic_strength([[10, 10], [100, 100]], z=[1, -1]).round(6)
    array([0.01, 0.1 ])

    References
    ----------
    .. [1] Lewis G.N., Randall M. (1921) The activity coefficient of strong electrolytes.
       J. Am. Chem. Soc. 43:1112-1154.
    """
    if isinstance(concentrations, Mapping):
        if z is not None:
            raise ValueError("z is taken from the ion table when concentrations is a mapping")
        if not concentrations:
            raise ValueError("concentrations is empty: give at least one ion")
        resolved = ion_mapping("concentrations", concentrations)  # an ion named twice: error
        names = [f"concentrations[{n!r}]" for n in resolved]
        xp, dtype = namespace(*resolved.values())
        if xp is SCALAR:
            xp = np  # every value checked as a NumPy array (the messages name the element)
        values = [
            real(xp, dtype, name, v, "non_negative", what="concentration", unit="mM")
            for name, v in zip(names, resolved.values(), strict=True)
        ]
        zsq = [float(ions[n].charge) ** 2 for n in resolved]
        if xp is np and all(np.ndim(v) == 0 for v in values):
            total = math.fsum(float(v) * q for v, q in zip(values, zsq, strict=True))
            return 0.5e-3 * total
        broadcast_shape(**dict(zip(names, values, strict=True)))  # a mismatch names the shapes
        total_arr = functools.reduce(
            operator.add, (v * q for v, q in zip(values, zsq, strict=True))
        )
        return result(xp, 0.5e-3 * total_arr)
    if z is None:
        raise ValueError(
            "z is required when concentrations is an array: give the valences (or names) of "
            "the ions along the last axis, e.g. z=[1, -1]"
        )
    if is_foreign(concentrations):
        xp, dtype = namespace(concentrations)
        c = real(
            xp,
            dtype,
            "concentrations",
            concentrations,
            "non_negative",
            what="concentration",
            unit="mM",
        )
    else:
        xp, dtype = np, np.float64
        c = non_negative("concentrations", concentrations, what="concentration", unit="mM")
    zz = _valences_allow_zero(to_numpy(z) if is_foreign(z) else z)
    if zz.ndim != 1:
        raise ValueError(f"z must be one valence per ion (1-d), got shape {zz.shape}")
    if c.ndim == 0 or c.shape[-1] != zz.shape[0]:
        raise ValueError(
            f"concentrations has {c.shape[-1] if c.ndim else 'no'} ions on its last axis "
            f"(shape {c.shape}) but z has {zz.shape[0]}"
        )
    return result(xp, 0.5e-3 * (c @ xp.asarray(zz * zz, dtype=dtype)))


def _valences_allow_zero(z: Any) -> np.ndarray:
    try:
        arr = np.asarray(z)
    except (TypeError, ValueError):  # ragged: as_float below names the bad element
        arr = np.asarray(0.0)
    if arr.dtype.kind == "U" or (
        arr.dtype.kind == "O" and all(isinstance(n, str) for n in arr.ravel())
    ):
        return np.array([float(valence(str(n))) for n in arr.ravel()]).reshape(arr.shape)
    zz = as_float("z", z)
    if not np.all(np.isfinite(zz)) or np.any(zz != np.round(zz)):
        raise ValueError(f"z={show(zz)}: a valence must be an integer (e.g. 1, -1, 2)")
    return zz


# -- activity coefficients -----------------------------------------------------------------

_SCALARS = (float, int)
_FLOAT_MAX = sys.float_info.max


def activity_coefficient(
    ion_or_z: str | int | ArrayLike | Sequence[str],
    /,
    *,
    ionic_strength: ArrayLike,
    model: str = "davies",
    celsius: ArrayLike = DEFAULT_ACTIVITY_CELSIUS,
    ion_size: ArrayLike | None = None,
) -> Any:
    r"""Activity coefficient of an ion in a solution of given ionic strength.

    .. math::

        \log_{10}\gamma =
        \begin{cases}
        0 & \text{ideal} \\
        -A z^2 \sqrt{I} & \text{debye-huckel (limiting law)} \\
        -A z^2 \sqrt{I} / (1 + B a \sqrt{I}) & \text{extended-debye-huckel} \\
        -A z^2 \left(\sqrt{I}/(1 + \sqrt{I}) - 0.3 I\right) & \text{davies} \\
        -A z^2 \sqrt{I} / (1 + B a \sqrt{I}) + b I & \text{truesdell-jones}
        \end{cases}

    with A and B from :func:`debye_huckel_constants` at ``celsius`` (molal scale). Where each
    model stops being valid is in the module docstring and :data:`ACTIVITY_MODELS`.

    Parameters
    ----------
    ion_or_z : str, int, array of int or sequence of str
        Ion name ("K+", "Ca2+") or valence z (non-zero), or an array of valences or a list
        of names (broadcast against the other arguments). Extended Debye-Hueckel and
        Truesdell-Jones need ion names (their parameters come from the tables) unless
        ``ion_size`` is given (extended Debye-Hueckel).
    ionic_strength : array_like
        Ionic strength of the solution, e.g. from :func:`ionic_strength`; used as molal
        (see the module docstring). [mol/L]
    model : str, default "davies"
        "ideal", "debye-huckel", "extended-debye-huckel", "davies" or "truesdell-jones".
    celsius : array_like, default 25.0
        Temperature, 0-100; sets A and B. [degC]
    ion_size : array_like, optional
        Ion-size parameter a, overriding the table: Kielland's a for
        "extended-debye-huckel", the Truesdell-Jones a for "truesdell-jones". [nm]

    Returns
    -------
    gamma : float or ndarray
        Activity coefficient (activity = gamma * c); a float when every input is a scalar, an
        array of the input's library for array_api_strict, Dask or JAX input (see the module
        docstring). [unitless]

    Raises
    ------
    ValueError
        Unknown model (the message lists the valid ones) or ion; z = 0; negative or
        non-finite ionic strength; temperature outside 0-100 degC; an ion without the
        parameters the model needs (the message names it); ``ion_size`` with a model that
        has no ion size, or not positive; shapes that do not broadcast.

    Warns
    -----
    ActivityRangeWarning
        Ionic strength beyond the model's documented range (:data:`ACTIVITY_MODELS`).

    Examples
    --------
    >>> round(activity_coefficient("K+", ionic_strength=0.15, model="davies"), 4)
    0.7592
    >>> round(activity_coefficient("Ca2+", ionic_strength=0.15, model="extended-debye-huckel"), 3)
    0.356
    >>> activity_coefficient([1, 2, 3], ionic_strength=0.01, model="debye-huckel").round(4)
    array([0.889 , 0.6247, 0.347 ])

    References
    ----------
    .. [1] Debye P., Hueckel E. (1923) Phys. Z. 24:185-206.
    .. [2] Kielland J. (1937) J. Am. Chem. Soc. 59:1675-1678.
    .. [3] Davies C.W. (1962) Ion Association. Butterworths, London, p. 41.
    .. [4] Truesdell A.H., Jones B.F. (1974) J. Res. U.S. Geol. Surv. 2:233-248.
    .. [5] Robinson R.A., Stokes R.H. (1959) Electrolyte Solutions, 2nd ed., ch. 7, 9.
    """
    key = model if type(model) is str and model in ACTIVITY_MODELS else activity_model(model)
    gamma = _gamma(key, ion_or_z, ionic_strength, celsius, ion_size)
    _warn_range(key, ionic_strength)
    return gamma


def _gamma(model: str, ion_or_z: Any, ionic_strength: Any, celsius: Any, ion_size: Any) -> Any:
    """:func:`activity_coefficient` of a canonical model name, without the range warning."""
    if (
        type(ionic_strength) in _SCALARS
        and type(celsius) in _SCALARS
        and ion_size is None
        and type(ion_or_z) in (str, int)
        and 0.0 <= ionic_strength <= _FLOAT_MAX  # (an int beyond it: the array path says so)
        and 0.0 <= celsius <= 100.0
    ):
        try:
            return _scalar_gamma(model, ion_or_z, ionic_strength, celsius)
        except OverflowError:
            raise _gamma_overflow(model, ionic_strength) from None
    with np.errstate(over="ignore"):
        gamma = _array_gamma(model, ion_or_z, ionic_strength, celsius, ion_size)
    if isinstance(gamma, float | np.ndarray) and not np.all(np.isfinite(gamma)):
        raise _gamma_overflow(model, _largest(ionic_strength))
    return gamma


class ActivityOverflowError(ValueError):
    """An activity coefficient beyond the float range (a ValueError: the input is wrong)."""


def _gamma_overflow(model: str, ionic_strength: Any) -> ValueError:
    """The error for an activity coefficient beyond the float range (never an inf)."""
    limit = ACTIVITY_MODELS[model].valid_up_to
    where = f" (documented up to about {limit:g} mol/L)" if limit is not None else ""
    return ActivityOverflowError(
        f"activity model {model!r} at ionic_strength={ionic_strength:g} mol/L gives an activity "
        f"coefficient that overflows the float range: the model{where} means nothing there; "
        "ionic_strength is in mol/L (check for a concentration given in mM or a unit slip)"
    )


def _scalar_gamma(model: str, ion: str | int, I: float, celsius: float) -> float:
    """One ion, one ionic strength, one temperature, on Python floats (fast path)."""
    if isinstance(ion, str):
        symbol, z, a, tj = _ion_scalar(ion)
    else:
        z = int(valence(ion))  # raises the library's message for z = 0 or an int beyond a float
        symbol, a, tj = f"z={ion:+d}", None, None
    if model == "ideal":
        return 1.0
    A, B = _ab_scalar(float(celsius))
    size: float | None = None
    b = 0.0
    if model == "extended-debye-huckel":
        size = a
    elif model == "truesdell-jones" and tj is not None:
        size, b = tj
    if model in ("extended-debye-huckel", "truesdell-jones") and size is None:
        raise _missing_size(repr(symbol) if isinstance(ion, str) else f"valence {ion}", model)
    return 10.0 ** _log10_gamma(SCALAR, model, float(z), float(I), A, B, size, b)


def _log10_gamma(xp: Any, model: str, z: Any, I: Any, A: Any, B: Any, a: Any, b: Any) -> Any:
    """log10 gamma of the (non-ideal) ``model``: the one body of every activity model, for
    Python floats (``xp`` = SCALAR) and NumPy arrays alike. ``a`` [nm] and ``b`` [kg/mol]
    are the ion-size and Truesdell-Jones parameters where the model uses them."""
    s = xp.sqrt(I)
    zz = z * z
    if model == "davies":
        return -A * zz * (s / (1.0 + s) - 0.3 * I)
    if model == "debye-huckel":
        return -A * zz * s
    lg = -A * zz * s / (1.0 + B * a * s)
    return lg + b * I if model == "truesdell-jones" else lg


def _numpy_ion_size(ion_size: Any) -> np.ndarray:
    return positive("ion_size", ion_size, what="ion size", unit="nm")


def _ion_arrays(
    ion_or_z: Any, model: str, ion_size: Any, check_size: Any = _numpy_ion_size
) -> tuple[np.ndarray, Any, np.ndarray | None]:
    """z, ion-size a [nm] (or None) and Truesdell-Jones b (or None) as float arrays; ``a`` is
    ``check_size(ion_size)`` when ``ion_size`` is given (an array of its library)."""
    needs_a = model in ("extended-debye-huckel", "truesdell-jones")
    if ion_size is not None and not needs_a:
        raise ValueError(
            f"ion_size is used only by 'extended-debye-huckel' and 'truesdell-jones', not by "
            f"model={model!r}"
        )
    size = None if ion_size is None else check_size(ion_size)
    if is_foreign(ion_or_z):  # valences in an array of another library: read them eagerly
        ion_or_z = to_numpy(ion_or_z)
    names = _names_or_valences(ion_or_z)
    if names is None:
        z = valence_array(ion_or_z, "ion_or_z")
        if not needs_a:
            return z, None, None
        if model == "truesdell-jones" or size is None:
            raise _missing_size(f"valence {show(z)}", model)
        return z, size, np.zeros(z.shape)
    params = [_ion_scalar(str(n)) for n in names.ravel()]
    z = np.array([p[1] for p in params], float).reshape(names.shape)
    if not needs_a:
        return z, None, None
    a_list: list[float] = []
    b_list: list[float] = []
    for symbol, _, a_kielland, tj in params:
        if model == "extended-debye-huckel":
            if a_kielland is None and size is None:
                raise _missing_size(repr(symbol), model)
            a_list.append(math.nan if a_kielland is None else a_kielland)
            b_list.append(0.0)
        else:
            if tj is None:
                raise _missing_size(repr(symbol), model)
            a_list.append(tj[0])
            b_list.append(tj[1])
    a = np.array(a_list).reshape(names.shape) if size is None else size
    return z, a, np.array(b_list).reshape(names.shape)


def _names_or_valences(ion_or_z: Any) -> np.ndarray | None:
    """``ion_or_z`` as an array of ion names, or None if it is not one (valences, or bad
    elements, which the valence check then names)."""
    if isinstance(ion_or_z, str):
        return np.asarray(ion_or_z)
    try:
        names = np.asarray(ion_or_z)
    except (TypeError, ValueError):  # ragged
        return None
    if names.dtype.kind == "U" or (
        names.dtype.kind == "O" and all(isinstance(n, str) for n in names.ravel())
    ):
        return names
    return None


def _array_gamma(
    model: str, ion_or_z: Any, ionic_strength: Any, celsius: Any, ion_size: Any
) -> Any:
    xp, dtype = namespace(ionic_strength, celsius, ion_size, ion_or_z)
    if xp is not np and xp is not SCALAR:
        return _foreign_gamma(xp, dtype, model, ion_or_z, ionic_strength, celsius, ion_size)
    z, a, b = _ion_arrays(ion_or_z, model, ion_size)
    I = non_negative("ionic_strength", ionic_strength, what="ionic strength", unit="mol/L")
    theta = _check_water_celsius(celsius)
    arrays = {"ion_or_z": z, "ionic_strength": I, "celsius": theta}
    if a is not None:
        arrays["ion_size"] = a
    bcast = broadcast(**arrays)
    if model == "ideal":
        return scalar_or_array(np.ones(bcast[0].shape))
    z, I, theta = bcast[:3]
    if theta.ndim == 0 or np.all(theta == theta.flat[0]):
        A_s, B_s = _ab_scalar(float(theta.flat[0]))
        A: Any = A_s
        B: Any = B_s
    else:
        A, B = _dh_constants(theta, _rho(theta))
    size = bcast[3] if a is not None else None
    lg = _log10_gamma(np, model, z, I, A, B, size, 0.0 if b is None else b)
    return scalar_or_array(10.0**lg)


def _foreign_gamma(
    xp: Any,
    dtype: Any,
    model: str,
    ion_or_z: Any,
    ionic_strength: Any,
    celsius: Any,
    ion_size: Any,
) -> Any:
    """:func:`_array_gamma` when an argument is an array of another library (array_api_strict,
    Dask, JAX, ...): the same body, :func:`_log10_gamma`, in that library's namespace."""
    z_np, a_np, b_np = _ion_arrays(
        ion_or_z,
        model,
        ion_size,
        lambda v: real(xp, dtype, "ion_size", v, "positive", what="ion size", unit="nm"),
    )
    I = real(
        xp,
        dtype,
        "ionic_strength",
        ionic_strength,
        "non_negative",
        what="ionic strength",
        unit="mol/L",
    )
    A: Any
    B: Any
    if is_foreign(celsius):
        _, theta = _water_theta(celsius)
        A, B = _dh_constants(theta, _rho(theta))
    else:
        theta = _check_water_celsius(celsius)
        if theta.size and (theta.ndim == 0 or np.all(theta == theta.flat[0])):
            A, B = _ab_scalar(float(theta.flat[0]))
        else:
            theta_x = xp.asarray(theta, dtype=dtype)
            A, B = _dh_constants(theta_x, _rho(theta_x))
    shapes = {"ion_or_z": z_np, "ionic_strength": I, "celsius": theta}
    if a_np is not None:
        shapes["ion_size"] = a_np
    shape = broadcast_shape(**shapes)  # a mismatch names the shapes
    if np.shape(I) != shape:  # so that every argument's shape is in the result's
        I = xp.broadcast_to(xp.asarray(I, dtype=dtype), shape)
    z = xp.asarray(z_np, dtype=dtype)
    if model == "ideal":  # 1 everywhere, through I so that its checks stay in the result
        return 10.0 ** (0.0 * I)
    a = a_np if a_np is None or is_foreign(a_np) else xp.asarray(a_np, dtype=dtype)
    b = 0.0 if b_np is None else xp.asarray(b_np, dtype=dtype)
    return 10.0 ** _log10_gamma(xp, model, z, I, A, B, a, b)


def mean_activity_coefficient(
    cation: str | int,
    anion: str | int,
    /,
    *,
    ionic_strength: ArrayLike | None = None,
    molality: ArrayLike | None = None,
    model: str = "davies",
    celsius: ArrayLike = DEFAULT_ACTIVITY_CELSIUS,
) -> Any:
    r"""Mean activity coefficient of a salt, the quantity salt tables list.

    For a salt :math:`M_{\nu_+} X_{\nu_-}` (:math:`\nu_+ z_+ = \nu_- |z_-|`, smallest
    integers),

    .. math::

        \log_{10}\gamma_\pm = \frac{\nu_+ \log_{10}\gamma_+ + \nu_- \log_{10}\gamma_-}
                                   {\nu_+ + \nu_-}, \qquad
        I = \tfrac12 m (\nu_+ z_+^2 + \nu_- z_-^2)

    with the single-ion :math:`\gamma_\pm` of :func:`activity_coefficient`.

    Parameters
    ----------
    cation, anion : str or int
        The salt's ions, by name (so their table parameters are used) or valence.
    ionic_strength : array_like, optional
        Ionic strength of the solution (a mixed one, too). [mol/L, used as mol/kg]
    molality : array_like, optional
        Molality of the salt alone in water; its ionic strength follows from the formula
        above. Give this or ``ionic_strength``, not both. [mol/kg]
    model : str, default "davies"
        As in :func:`activity_coefficient`.
    celsius : array_like, default 25.0
        Temperature, 0-100. [degC]

    Returns
    -------
    gamma_pm : float or ndarray
        Mean (molal) activity coefficient. [unitless]

    Raises
    ------
    ValueError
        Cation not positive or anion not negative; neither or both of ``ionic_strength`` and
        ``molality``; the errors of :func:`activity_coefficient`.

    Examples
    --------
    NaCl at 0.1 mol/kg, 25 degC (measured: 0.778, Robinson & Stokes 1959, Appendix 8.10):

    >>> round(mean_activity_coefficient("Na+", "Cl-", molality=0.1, model="truesdell-jones"), 3)
    0.773

    References
    ----------
    .. [1] Robinson R.A., Stokes R.H. (1959) Electrolyte Solutions, 2nd ed., ch. 2.
    """
    z_plus = int(valence(cation))
    z_minus = int(valence(anion))
    if z_plus <= 0:
        raise ValueError(f"cation {cation!r} has valence {z_plus:+d}; a cation must be positive")
    if z_minus >= 0:
        raise ValueError(f"anion {anion!r} has valence {z_minus:+d}; an anion must be negative")
    g = math.gcd(z_plus, -z_minus)
    nu_plus, nu_minus = -z_minus // g, z_plus // g
    if (ionic_strength is None) == (molality is None):
        raise ValueError("give either ionic_strength= (mol/L) or molality= (mol/kg), not both")
    charge_sum = nu_plus * z_plus**2 + nu_minus * z_minus**2
    I: Any = ionic_strength
    if molality is not None:
        if type(molality) in _SCALARS and 0.0 <= molality <= _FLOAT_MAX:  # type: ignore[operator]
            I = 0.5 * molality * charge_sum  # type: ignore[operator]
        else:
            xp_m, dtype = namespace(molality)
            m = real(
                xp_m, dtype, "molality", molality, "non_negative", what="molality", unit="mol/kg"
            )
            I = result(xp_m, 0.5 * m * charge_sum)
    key = model if type(model) is str and model in ACTIVITY_MODELS else activity_model(model)
    g_plus = _gamma(key, cation, I, celsius, None)
    g_minus = _gamma(key, anion, I, celsius, None)
    _warn_range(key, I)  # once, for the salt
    xp, _ = namespace(g_plus, g_minus)
    lg = (nu_plus * xp.log10(g_plus) + nu_minus * xp.log10(g_minus)) / (nu_plus + nu_minus)
    return result(xp, 10.0**lg)
