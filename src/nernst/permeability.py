r"""Relative permeabilities from measured reversal potentials (GHK theory).

Two tools:

- :func:`permeability_ratio_biionic`: the permeability ratio P_X/P_ref of two ions from one
  reversal potential under bi-ionic conditions (X outside, the reference ion inside), exact
  for any valences (monovalent, divalent vs monovalent, anions).
- :func:`fit_permeabilities`: relative permeabilities of several ions fitted to reversal
  potentials measured under several conditions (ion substitution series) with the full GHK
  voltage equation, with standard errors.

Conventions: V = V_in - V_out in mV; concentrations in mM; temperature keyword-only
``celsius=`` (default 37); permeabilities are relative to the reference ion.

References
----------
.. [1] Goldman D.E. (1943) J. Gen. Physiol. 27:37-60.
.. [2] Hodgkin A.L., Katz B. (1949) The effect of sodium ions on the electrical activity of
   the giant axon of the squid. J. Physiol. 108:37-77.
.. [3] Fatt P., Ginsborg B.L. (1958) The ionic requirements for the production of action
   potentials in crustacean muscle fibres. J. Physiol. 142:516-543.
.. [4] Lewis C.A. (1979) Ion-concentration dependence of the reversal potential and the
   single channel conductance of ion channels at the frog neuromuscular junction.
   J. Physiol. 286:417-445.
.. [5] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nernst._deprecate import positional_deprecated
from nernst._validate import (
    broadcast,
    finite,
    non_negative,
    positive,
    scalar_or_array,
)
from nernst.constants import BODY_TEMPERATURE_C, kelvin
from nernst.explain import explain_permeability_ratio_biionic
from nernst.ghk import ghk_current, ghk_voltage
from nernst.ions import valence
from nernst.results import ResultMixin

__all__ = [
    "PermeabilityFit",
    "explain_permeability_ratio_biionic",
    "fit_permeabilities",
    "permeability_ratio_biionic",
]


@positional_deprecated("v_rev")
def permeability_ratio_biionic(
    *,
    v_rev: ArrayLike,
    ion_x: str | int,
    ion_ref: str | int,
    c_x_out: ArrayLike,
    c_ref_in: ArrayLike,
    c_x_in: ArrayLike = 0.0,
    c_ref_out: ArrayLike = 0.0,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""Permeability ratio P_X/P_ref from a reversal potential under bi-ionic conditions.

    Ion X is outside (``c_x_out``), the reference ion inside (``c_ref_in``), and the total GHK
    current of the two is zero at ``v_rev``. The zero-current condition
    :math:`P_X\, i_X(V) + P_{ref}\, i_{ref}(V) = 0` is *linear* in the permeabilities, so the
    ratio is explicit and exact for any pair of valences (no root finding, no
    approximation):

    .. math::

        \frac{P_X}{P_{ref}} = -\frac{i_{ref}(V_{rev})}{i_X(V_{rev})},
        \qquad
        i(V) = z^2 \frac{u}{1 - e^{-z u}} \left(c_{in} - c_{out} e^{-z u}\right),
        \quad u = \frac{F V_{rev}}{RT},

    with the GHK current per unit permeability :math:`i` evaluated by
    :func:`nernst.ghk_current` (exact at V = 0). Truly bi-ionic (``c_x_in = c_ref_out = 0``)
    it reduces to

    .. math::

        \frac{P_X}{P_{ref}} = \frac{z_{ref}^2\, c_{ref,in}\,(1 - e^{-z_X u})}
                                   {z_X^2\, c_{X,out}\, e^{-z_X u}\,(1 - e^{-z_{ref} u})},

    whose special cases are the textbook formulas:

    - monovalent cations (Hille 2001, ch. 14):
      :math:`P_X/P_{ref} = (c_{ref,in}/c_{X,out})\, e^{F V_{rev}/RT}`;
    - monovalent anions: :math:`P_X/P_{ref} = (c_{ref,in}/c_{X,out})\, e^{-F V_{rev}/RT}`;
    - divalent X (Ca2+) against a monovalent cation inside, the form of Fatt & Ginsborg
      (1958) and Lewis (1979):
      :math:`P_{Ca}/P_{Na} = c_{Na,in}\, e^{u}\,(1 + e^{u}) / (4\, c_{Ca,out})`.

    Optional ``c_x_in`` and ``c_ref_out`` (default 0) cover imperfectly bi-ionic solutions;
    then ``v_rev`` must lie between the two ions' Nernst potentials.

    Parameters
    ----------
    v_rev : array_like
        Measured reversal potential V_in - V_out. [mV]
    ion_x, ion_ref : str or int
        The test ion (outside) and the reference ion (inside), by name or valence; both
        cations or both anions.
    c_x_out, c_ref_in : array_like
        Concentration of X outside and of the reference ion inside (> 0). [mM]
    c_x_in, c_ref_out : array_like, default 0.0
        Concentration of X inside and of the reference ion outside (>= 0). [mM]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    ratio : float or ndarray
        P_X / P_ref, broadcast over the arguments. [unitless]

    Raises
    ------
    ValueError
        Non-finite ``v_rev``; non-positive or non-finite ``c_x_out`` or ``c_ref_in``;
        negative ``c_x_in`` or ``c_ref_out``; ions of opposite charge sign; a ``v_rev`` no
        positive ratio can produce (outside the range between the Nernst potentials);
        unknown ion, bad temperature, shapes that do not broadcast.

    See Also
    --------
    fit_permeabilities : several ratios from a series of reversal potentials.
    nernst.explain.explain_permeability_ratio_biionic : this equation step by step.
    nernst.ghk_voltage : the forward problem (V_rev from the permeabilities).

    Notes
    -----
    The ratio is formed from two calls of :func:`nernst.ghk_current` with unit
    permeability, so the GHK current equation exists once. ``v_rev`` is keyword-only; the
    old positional call ``permeability_ratio_biionic(-20, ...)`` still works for one release
    with a ``NernstDeprecationWarning``.

    Examples
    --------
    Na+ outside (145 mM) against K+ inside (140 mM), reversal at -20 mV, 37 degC:

    >>> round(permeability_ratio_biionic(v_rev=-20, ion_x="Na+", ion_ref="K+",
    ...                                  c_x_out=145, c_ref_in=140), 4)
    0.4568

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14.
    .. [2] Fatt P., Ginsborg B.L. (1958) J. Physiol. 142:516-543.
       https://doi.org/10.1113/jphysiol.1958.sp006034
    .. [3] Lewis C.A. (1979) J. Physiol. 286:417-445.
       https://doi.org/10.1113/jphysiol.1979.sp012629
    """
    zx = int(valence(ion_x))
    zr = int(valence(ion_ref))
    if (zx > 0) != (zr > 0):
        raise ValueError(
            f"ion_x={ion_x!r} (z={zx:+d}) and ion_ref={ion_ref!r} (z={zr:+d}) have opposite "
            "charge signs: under bi-ionic conditions both would carry current the same way, "
            "so no permeability ratio gives zero current; compare two cations or two anions"
        )
    V = finite("v_rev", v_rev, unit="mV")
    cxo = positive("c_x_out", c_x_out)
    cri = positive("c_ref_in", c_ref_in)
    cxi = non_negative("c_x_in", c_x_in, what="concentration", unit="mM")
    cro = non_negative("c_ref_out", c_ref_out, what="concentration", unit="mM")
    T = kelvin(celsius)
    V, cxo, cri, cxi, cro, T = broadcast(
        v_rev=V, c_x_out=cxo, c_ref_in=cri, c_x_in=cxi, c_ref_out=cro, celsius=T
    )
    theta = T - 273.15
    i_x = _unit_current(zx, V, cxi, cxo, theta)
    i_ref = _unit_current(zr, V, cri, cro, theta)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = -i_ref / i_x
    bad = ~(np.isfinite(ratio) & (ratio > 0))
    if np.any(bad):
        v_bad = V[bad].ravel()[0] if V.ndim else V
        raise ValueError(
            f"v_rev={float(v_bad):g} mV: no positive permeability ratio P_X/P_ref gives this "
            "reversal potential with these concentrations (it must lie between the Nernst "
            "potentials of the two ions)"
        )
    return scalar_or_array(ratio)


@dataclass(frozen=True)
class PermeabilityFit(ResultMixin):
    """Relative permeabilities fitted by :func:`fit_permeabilities`.

    Has the result protocol (:mod:`nernst.results`): :meth:`to_dict`, ``to_json()``,
    ``to_dataframe()`` (one row per ion), HTML and Rich rendering and ``explain()``.

    Attributes
    ----------
    ions : tuple of str
        All ions of the model, in the order given.
    reference : str
        The reference ion (its relative permeability is 1 by definition).
    ratios : dict of str to float
        P_ion / P_reference for every ion (1 for the reference, the given value for fixed
        ions). [unitless]
    standard_errors : dict of str to float
        Standard error of each ratio (delta method, ``ratio * log_standard_error``); 0 for
        the reference and fixed ions, which are not estimated; inf (with a warning) when the
        data do not determine it. [unitless]
    fitted : tuple of str
        The estimated ions, in the order of ``covariance``.
    log_standard_errors : dict of str to float
        Standard errors of ln(ratio) for the fitted ions. [unitless]
    covariance : ndarray
        Covariance of ln(ratio) of the fitted ions, s^2 (J^T J)^-1. [unitless]
    v_rev, v_fit, residuals : ndarray
        Measured and fitted reversal potentials and ``v_rev - v_fit``. [mV]
    residual_sd : float
        Residual standard deviation s = sqrt(sum residuals^2 / (n - p)); inf without
        degrees of freedom. [mV]
    dof : int
        Degrees of freedom n - p. [unitless]
    success : bool
        Whether the optimiser reported convergence.
    message : str
        The optimiser's message.
    celsius : float or ndarray
        Temperature(s). [degC]
    """

    ions: tuple[str, ...]
    reference: str
    ratios: dict[str, float]
    standard_errors: dict[str, float]
    fitted: tuple[str, ...]
    log_standard_errors: dict[str, float]
    covariance: np.ndarray
    v_rev: np.ndarray
    v_fit: np.ndarray
    residuals: np.ndarray
    residual_sd: float
    dof: int
    success: bool
    message: str
    celsius: Any = BODY_TEMPERATURE_C

    def _fields_for_dict(self) -> dict[str, Any]:
        return {
            "ions": list(self.ions),
            "reference": self.reference,
            "ratios": self.ratios,
            "standard_errors": self.standard_errors,
            "fitted": list(self.fitted),
            "log_standard_errors": self.log_standard_errors,
            "covariance_log": self.covariance,
            "v_rev_mV": self.v_rev,
            "v_fit_mV": self.v_fit,
            "residuals_mV": self.residuals,
            "residual_sd_mV": self.residual_sd,
            "dof": self.dof,
            "success": self.success,
            "message": self.message,
            "celsius": self.celsius,
            "convention": "ratios are P_ion / P_reference; residual = measured - fitted",
            "units": {"potential": "mV", "ratio": "unitless", "temperature": "degC"},
        }

    def _rows(self) -> list[dict[str, Any]]:
        return [
            {
                "ion": name,
                "ratio": self.ratios[name],
                "standard_error": self.standard_errors[name],
                "log_standard_error": self.log_standard_errors.get(name),
                "role": "reference"
                if name == self.reference
                else "fitted"
                if name in self.fitted
                else "fixed",
            }
            for name in self.ions
        ]

    def _title(self) -> str:
        return f"Permeabilities relative to {self.reference}"

    def _summary_lines(self) -> list[str]:
        return [
            f"{len(self.v_rev)} reversal potentials, {self.dof} degrees of freedom, "
            f"residual SD {self.residual_sd:.3g} mV"
        ]

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dict (JSON-ready; arrays become lists, inf and NaN become None).

        Examples
        --------
        >>> import numpy as np
        >>> k = np.array([5.0, 20.0, 50.0])
        >>> v = 26.7267 * np.log((k + 0.05 * (150 - k)) / (140 + 0.05 * 10))
        >>> fit = fit_permeabilities(v_rev=v, c_in={"K+": 140, "Na+": 10},
        ...                          c_out={"K+": k, "Na+": 150 - k}, ions=["K+", "Na+"])
        >>> round(fit.to_dict()["ratios"]["Na+"], 3)
        0.05
        """
        return super().to_dict()


@positional_deprecated("v_rev")
def fit_permeabilities(
    *,
    v_rev: ArrayLike,
    c_in: Mapping[str, ArrayLike],
    c_out: Mapping[str, ArrayLike],
    ions: Sequence[str],
    reference: str = "K+",
    fixed: Mapping[str, float] | None = None,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> PermeabilityFit:
    r"""Fit relative permeabilities to reversal potentials with the full GHK voltage equation.

    For conditions j = 1..n (e.g. one ion substituted at several concentrations) with
    measured reversal potentials :math:`V_j`, the relative permeabilities
    :math:`p_k = P_k / P_{ref}` minimise

    .. math::

        S(\theta) = \sum_j \left(V_j - V_{GHK}(p;\, c_{in,j}, c_{out,j})\right)^2,
        \qquad \theta_k = \ln p_k,

    where :math:`V_{GHK}` is :func:`nernst.ghk_voltage` (exact for any valences). Fitting
    :math:`\ln p` keeps every ratio positive. The minimisation is
    :func:`scipy.optimize.least_squares` (trust-region reflective), started from the linear
    least-squares solution of the zero-current equations
    :math:`\sum_k p_k\, i_k(V_j) = 0` (linear in p at the measured V_j). Standard errors come
    from the Jacobian J of the residuals at the optimum:

    .. math::

        \mathrm{Cov}(\theta) = s^2 (J^T J)^{-1}, \qquad
        s^2 = \frac{S(\hat\theta)}{n - p}, \qquad
        \mathrm{SE}(\hat p_k) = \hat p_k\, \mathrm{SE}(\hat\theta_k)

    (the last by the delta method). The model assumes independent errors of equal variance
    in V.

    Parameters
    ----------
    v_rev : array_like, shape (n,)
        Measured reversal potentials V_in - V_out. [mV]
    c_in, c_out : mapping of str to array_like
        Concentrations inside and outside of every ion in ``ions``, each a scalar or an array
        of shape (n,) (one per condition). [mM]
    ions : sequence of str
        The permeant ions of the model (including ``reference``).
    reference : str, default "K+"
        The ion whose permeability is 1.
    fixed : mapping of str to float, optional
        Ions of ``ions`` whose relative permeability is known and held fixed. [unitless]
    celsius : array_like, default 37.0
        Temperature, a scalar or one per condition. [degC]

    Returns
    -------
    fit : PermeabilityFit
        Ratios, standard errors, covariance (log scale), fitted potentials, residuals.

    Raises
    ------
    ValueError
        Non-finite ``v_rev``, fewer conditions than fitted ratios, ``reference`` or a fixed
        ion not in ``ions``, a fixed ratio not positive, an ion without concentrations, bad
        concentrations or temperature (as :func:`nernst.ghk_voltage`).

    Warns
    -----
    RuntimeWarning
        No degrees of freedom left (n equal to the number of fitted ratios) or ratios the
        data do not determine (singular J^T J): the affected standard errors are inf.

    Examples
    --------
    Four conditions with external K+ replacing Na+, generated with P_Na/P_K = 0.05:

    >>> import numpy as np
    >>> k_out = np.array([5.0, 20.0, 50.0, 100.0])
    >>> na_out = 150.0 - k_out
    >>> v = 26.7267 * np.log((k_out + 0.05 * na_out) / (140 + 0.05 * 10))
    >>> fit = fit_permeabilities(v_rev=v, c_in={"K+": 140, "Na+": 10},
    ...                          c_out={"K+": k_out, "Na+": na_out},
    ...                          ions=["K+", "Na+"])
    >>> round(fit.ratios["Na+"], 4)
    0.05

    See Also
    --------
    permeability_ratio_biionic : one ratio from one bi-ionic reversal potential.
    PermeabilityFit : the result (ratios, standard errors, residuals, ``explain()``).
    nernst.ghk_voltage : the model fitted.

    Notes
    -----
    ``v_rev`` is keyword-only; the old positional call ``fit_permeabilities(v, ...)`` still
    works for one release with a ``NernstDeprecationWarning``.

    References
    ----------
    .. [1] Hodgkin A.L., Katz B. (1949) J. Physiol. 108:37-77.
       https://doi.org/10.1113/jphysiol.1949.sp004310
    .. [2] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14.
    .. [3] Branch M.A., Coleman T.F., Li Y. (1999) A subspace, interior, and conjugate
       gradient method for large-scale bound-constrained minimization problems. SIAM J. Sci.
       Comput. 21:1-23 (the trust-region reflective algorithm).
       https://doi.org/10.1137/S1064827595289108
    """
    V = finite("v_rev", v_rev, unit="mV")
    if V.ndim != 1 or V.size == 0:
        raise ValueError(
            f"v_rev must be a 1-d array of reversal potentials (one per condition), got shape "
            f"{V.shape}"
        )
    n = V.size
    if isinstance(ions, str):
        ions = [ions]
    from nernst.ions import ions as table

    names = list(dict.fromkeys(table.resolve(k) for k in ions))
    if len(names) < 2:
        raise ValueError(
            f"ions={list(ions)!r}: give at least two ions (the reference and one more)"
        )
    ref = table.resolve(reference)
    if ref not in names:
        raise ValueError(f"reference={reference!r} is not among ions={names!r}")
    fixed_map: dict[str, float] = {}
    for key, value in (fixed or {}).items():
        name = table.resolve(key)
        if name not in names:
            raise ValueError(f"fixed ion {key!r} is not among ions={names!r}")
        if name == ref:
            raise ValueError(f"the reference {ref!r} is fixed at 1 already; drop it from fixed")
        fixed_map[name] = float(positive(f"fixed[{key!r}]", value, what="ratio", unit="unitless"))
    fitted = [nm for nm in names if nm != ref and nm not in fixed_map]
    p = len(fitted)
    if p == 0:
        raise ValueError("nothing to fit: every ion is the reference or fixed")
    if n < p:
        raise ValueError(
            f"{n} reversal potential(s) cannot determine {p} permeability ratios "
            f"({', '.join(fitted)}); measure at least {p} conditions"
        )
    cin_map = {table.resolve(k): v for k, v in c_in.items()}
    cout_map = {table.resolve(k): v for k, v in c_out.items()}
    cols_in: list[np.ndarray] = []
    cols_out: list[np.ndarray] = []
    for name in names:
        for label, mapping, cols in (("c_in", cin_map, cols_in), ("c_out", cout_map, cols_out)):
            if name not in mapping:
                raise ValueError(f"{label} has no concentration for ion {name!r}")
            arr = positive(f"{label}[{name!r}]", mapping[name])
            if arr.ndim > 1 or (arr.ndim == 1 and arr.size != n):
                raise ValueError(
                    f"{label}[{name!r}] has shape {arr.shape}; give a scalar or one value per "
                    f"condition (shape ({n},))"
                )
            cols.append(np.broadcast_to(arr, (n,)))
    ci = np.stack(cols_in, axis=-1)
    co = np.stack(cols_out, axis=-1)
    z = np.array([table[nm].charge for nm in names], float)
    T = kelvin(celsius)
    if T.ndim > 1 or (T.ndim == 1 and T.size != n):
        raise ValueError(f"celsius has shape {T.shape}; give a scalar or one per condition")
    theta_c = np.broadcast_to(T - 273.15, (n,))
    idx = {nm: k for k, nm in enumerate(names)}
    base = np.zeros(len(names))
    base[idx[ref]] = 1.0
    for name, value in fixed_map.items():
        base[idx[name]] = value
    fit_idx = np.array([idx[nm] for nm in fitted])

    def permeabilities(theta: np.ndarray) -> np.ndarray:
        P = base.copy()
        P[fit_idx] = np.exp(theta)
        return P

    def model(theta: np.ndarray) -> np.ndarray:
        P = np.broadcast_to(permeabilities(theta), ci.shape)
        return np.asarray(ghk_voltage(P, c_in=ci, c_out=co, z=z, celsius=theta_c))

    # Validate the data once with the reference set (clear errors before optimising).
    model(np.zeros(p))

    theta0 = _initial_log_ratios(V, ci, co, z, base, fit_idx, theta_c)

    def residuals(theta: np.ndarray) -> np.ndarray:
        return model(theta) - V

    from scipy.optimize import least_squares  # lazy: scipy.optimize costs ~0.4 s

    res = least_squares(
        residuals, theta0, jac="3-point", method="trf", xtol=1e-14, ftol=1e-14, gtol=1e-14
    )
    theta = np.asarray(res.x, float)
    v_fit = model(theta)
    resid = V - v_fit
    dof = n - p
    ssr = float(resid @ resid)
    J = np.asarray(res.jac, float)
    cov, s = _covariance(J, ssr, dof, fitted)
    se_log = np.sqrt(np.diag(cov))
    P = permeabilities(theta)
    ratios = {nm: float(P[idx[nm]]) for nm in names}
    ses = {nm: 0.0 for nm in names}
    log_ses = {}
    for k, nm in enumerate(fitted):
        log_ses[nm] = float(se_log[k])
        ses[nm] = float(ratios[nm] * se_log[k])
    return PermeabilityFit(
        ions=tuple(names),
        reference=ref,
        ratios=ratios,
        standard_errors=ses,
        fitted=tuple(fitted),
        log_standard_errors=log_ses,
        covariance=cov,
        v_rev=V,
        v_fit=v_fit,
        residuals=resid,
        residual_sd=s,
        dof=dof,
        success=bool(res.success),
        message=str(res.message),
        celsius=scalar_or_array(T - 273.15),
    )


def _unit_current(z: Any, v_m: Any, c_in: Any, c_out: Any, celsius: Any) -> np.ndarray:
    """GHK current per unit permeability (:func:`nernst.ghk_current` with P = 1). [mA/cm^2]"""
    return np.asarray(
        ghk_current(z, v_m=v_m, permeability=1.0, c_in=c_in, c_out=c_out, celsius=celsius)
    )


def _covariance(
    J: np.ndarray, ssr: float, dof: int, fitted: Sequence[str]
) -> tuple[np.ndarray, float]:
    """s^2 (J^T J)^-1 on the log scale, inf where undetermined (with a warning)."""
    p = J.shape[1]
    if dof == 0:
        warnings.warn(
            f"as many conditions as fitted ratios ({p}): no degrees of freedom are left for "
            "the standard errors, which are inf",
            RuntimeWarning,
            stacklevel=3,
        )
        return np.full((p, p), np.inf), math.inf
    s2 = ssr / dof
    _, sv, Vt = np.linalg.svd(J, full_matrices=False)
    tol = sv.max(initial=0.0) * max(J.shape) * np.finfo(float).eps
    if sv.size < p or np.any(sv <= tol):
        weak = {fitted[int(np.argmax(np.abs(Vt[-1])))]}
        warnings.warn(
            "the reversal potentials do not determine every ratio (singular J^T J; e.g. "
            f"{', '.join(sorted(weak))}): vary the concentrations of each fitted ion; the "
            "standard errors are inf",
            RuntimeWarning,
            stacklevel=3,
        )
        return np.full((p, p), np.inf), math.sqrt(s2)
    inv = (Vt.T / sv**2) @ Vt
    return s2 * inv, math.sqrt(s2)


def _initial_log_ratios(
    V: np.ndarray,
    ci: np.ndarray,
    co: np.ndarray,
    z: np.ndarray,
    base: np.ndarray,
    fit_idx: np.ndarray,
    theta_c: np.ndarray,
) -> np.ndarray:
    """Start: linear least squares of the zero-current equations at the measured V.

    sum_k P_k i_k(V_j) = 0 is linear in P; with the reference and fixed ions known, the
    fitted ratios solve A p = -b in the least-squares sense. Rows are scaled to unit norm;
    ratios that come out non-positive start at 1e-3.
    """
    i = _unit_current(z[None, :], V[:, None], ci, co, theta_c[:, None])
    A = i[:, fit_idx]
    b = i @ base
    scale = np.sqrt(np.sum(A * A, axis=1) + b * b)
    scale[scale == 0] = 1.0
    try:
        sol, *_ = np.linalg.lstsq(A / scale[:, None], -b / scale, rcond=None)
    except np.linalg.LinAlgError:  # pragma: no cover - lstsq rarely fails
        sol = np.ones(len(fit_idx))
    sol = np.where(np.isfinite(sol) & (sol > 0), sol, 1e-3)
    return np.log(np.clip(sol, 1e-8, 1e8))
