"""Permeability ratios from measured reversal potentials, with their uncertainty propagated.

Thin layers over the physics of :func:`nernst.permeability_ratio_biionic` and
:func:`nernst.fit_permeabilities`: they take reversal potentials with standard errors (the
:class:`~nernst.recordings.ReversalPotential` results or plain numbers), add the liquid
junction potential's uncertainty if given, and carry both into the ratios.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nernst.recordings._results import ResultMixin, plain
from nernst.recordings.iv import (
    Z95,
    IVCurve,
    ReversalPotential,
    fit_ghk_curves,
    zero_current_potential,
)

__all__ = [
    "GHKCurveFit",
    "PermeabilityRatio",
    "PermeabilityRatios",
    "biionic_ratio",
    "fit_ghk_iv",
    "permeability_ratios",
]


def _value_se(v_rev: ReversalPotential | float, se: float | None) -> tuple[float, float]:
    if isinstance(v_rev, ReversalPotential):
        if v_rev.v_rev is None:
            raise ValueError(
                "v_rev: the reversal potential is None (the I-V does not cross zero and "
                "extrapolation was off); no ratio can be computed"
            )
        return float(v_rev.v_rev), float(v_rev.se if se is None else se)
    value = float(v_rev)
    s = 0.0 if se is None else float(se)
    if not math.isfinite(value):
        raise ValueError(f"v_rev={v_rev!r} must be a finite potential in mV")
    if not (math.isfinite(s) and s >= 0):
        raise ValueError(f"se={se!r} must be a standard error >= 0 in mV")
    return value, s


@dataclass(frozen=True)
class PermeabilityRatio(ResultMixin):
    """P_X / P_ref from one bi-ionic reversal potential (:func:`biionic_ratio`).

    Attributes
    ----------
    ratio : float
        [unitless]
    se : float
        Delta-method SE, ``|d ratio / dV| * SE(V)``. [unitless]
    ci95 : (float, float)
        The ratio at V_rev -+ 1.96 SE(V) (exact for a normal V_rev: the ratio is monotonic
        in V). [unitless]
    v_rev, v_se : float
        The reversal potential and its total SE (fit and LJP). [mV]
    ion_x, ion_ref : str
    """

    ratio: float
    se: float
    ci95: tuple[float, float]
    v_rev: float
    v_se: float
    ljp_se: float
    ion_x: str
    ion_ref: str
    conditions: dict[str, float]
    celsius: float

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dict (JSON-ready)."""
        return plain(
            {
                "ratio": self.ratio,
                "se": self.se,
                "ci95": list(self.ci95),
                "v_rev_mV": self.v_rev,
                "v_se_mV": self.v_se,
                "ljp_se_mV": self.ljp_se,
                "ion_x": self.ion_x,
                "ion_ref": self.ion_ref,
                "conditions_mM": self.conditions,
                "celsius": self.celsius,
                "method": "nernst.permeability_ratio_biionic; SE by the delta method",
            }
        )

    def table(self) -> list[dict[str, Any]]:
        """One row."""
        return [
            {
                "ion_x": self.ion_x,
                "ion_ref": self.ion_ref,
                "ratio": self.ratio,
                "se": self.se,
                "ci95_low": self.ci95[0],
                "ci95_high": self.ci95[1],
                "v_rev_mV": self.v_rev,
                "v_se_mV": self.v_se,
            }
        ]

    def explain(self) -> list[str]:
        """The ratio, its uncertainty and where it comes from."""
        return [
            f"P({self.ion_x})/P({self.ion_ref}) = {self.ratio:.4g} +- {self.se:.2g} (SE); "
            f"95 % CI {self.ci95[0]:.4g} to {self.ci95[1]:.4g}",
            f"  from V_rev = {self.v_rev:+.2f} +- {self.v_se:.2f} mV"
            + (f" (including LJP SE {self.ljp_se:g} mV)" if self.ljp_se else "")
            + f" at {self.celsius:g} degC, bi-ionic GHK zero-current condition",
        ]


def biionic_ratio(
    v_rev: ReversalPotential | float,
    /,
    *,
    ion_x: str,
    ion_ref: str,
    c_x_out: float,
    c_ref_in: float,
    c_x_in: float = 0.0,
    c_ref_out: float = 0.0,
    se: float | None = None,
    ljp_se: float = 0.0,
    celsius: float = 22.0,
) -> PermeabilityRatio:
    r"""Bi-ionic permeability ratio with its uncertainty, from a reversal potential.

    The ratio is :func:`nernst.permeability_ratio_biionic`; the SE of V_rev (the fit's, and
    the LJP's in quadrature, :math:`\sigma_V^2 = SE_{fit}^2 + SE_{LJP}^2`) is propagated by
    the delta method, :math:`SE(r) = |dr/dV|\, \sigma_V` (central difference of the same
    function), and the 95 % interval is the ratio at :math:`V_{rev} \mp 1.96 \sigma_V`.

    Parameters
    ----------
    v_rev : ReversalPotential or float
        The reversal potential (its ``se`` is used unless ``se`` is given). [mV]
    ion_x, ion_ref : str
        Test ion (outside) and reference ion (inside).
    c_x_out, c_ref_in, c_x_in, c_ref_out : float
        As :func:`nernst.permeability_ratio_biionic`. [mM]
    se : float, optional
        SE of v_rev. [mV]
    ljp_se : float, default 0
        Uncertainty of the junction-potential correction. [mV]
    celsius : float, default 22
        [degC]

    Returns
    -------
    PermeabilityRatio

    Examples
    --------
    Na+ outside against K+ inside, V_rev = -20 +- 1 mV at 37 degC:

    >>> r = biionic_ratio(-20.0, se=1.0, ion_x="Na+", ion_ref="K+", c_x_out=145,
    ...                   c_ref_in=140, celsius=37)
    >>> round(r.ratio, 4), round(r.se, 4)
    (0.4568, 0.0171)

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14.
    """
    import nernst

    value, s_fit = _value_se(v_rev, se)
    if not (math.isfinite(ljp_se) and ljp_se >= 0):
        raise ValueError(f"ljp_se={ljp_se!r} must be a standard error >= 0 in mV")
    sigma = math.hypot(s_fit, ljp_se)
    kw: dict[str, Any] = {
        "ion_x": ion_x,
        "ion_ref": ion_ref,
        "c_x_out": c_x_out,
        "c_ref_in": c_ref_in,
        "c_x_in": c_x_in,
        "c_ref_out": c_ref_out,
        "celsius": celsius,
    }

    def ratio_at(v: float) -> float:
        return float(nernst.permeability_ratio_biionic(v_rev=v, **kw))

    r = ratio_at(value)
    h = 1e-4
    deriv = (ratio_at(value + h) - ratio_at(value - h)) / (2 * h)
    lo_hi = []
    for v in (value - Z95 * sigma, value + Z95 * sigma):
        try:
            lo_hi.append(ratio_at(v))
        except ValueError:  # beyond a Nernst potential: the interval is open there
            lo_hi.append(math.inf if (v > value) == (deriv > 0) else 0.0)
    return PermeabilityRatio(
        ratio=r,
        se=abs(deriv) * sigma,
        ci95=(min(lo_hi), max(lo_hi)),
        v_rev=value,
        v_se=sigma,
        ljp_se=float(ljp_se),
        ion_x=nernst.ions.resolve(ion_x),
        ion_ref=nernst.ions.resolve(ion_ref),
        conditions={
            "c_x_out": float(c_x_out),
            "c_ref_in": float(c_ref_in),
            "c_x_in": float(c_x_in),
            "c_ref_out": float(c_ref_out),
        },
        celsius=float(celsius),
    )


@dataclass(frozen=True)
class PermeabilityRatios(ResultMixin):
    """Relative permeabilities fitted to reversal potentials in several solutions.

    Attributes
    ----------
    ratios : dict of str to float
        P_ion / P_reference. [unitless]
    standard_errors : dict of str to float
        Propagated from the reversal potentials' SEs (and the LJP's): the linearised
        covariance of the least-squares estimate, ``(J^T J)^-1 J^T S J (J^T J)^-1`` on
        ln(ratio), S = diag(SE_j^2), then times the ratio. [unitless]
    ci95 : dict of str to (float, float)
        exp(ln ratio -+ 1.96 SE_ln). [unitless]
    residual_standard_errors : dict of str to float
        The residual-scatter SEs of :func:`nernst.fit_permeabilities` (inf without degrees
        of freedom). [unitless]
    fit : nernst.permeability.PermeabilityFit
        The underlying fit.
    """

    ratios: dict[str, float]
    standard_errors: dict[str, float]
    ci95: dict[str, tuple[float, float]]
    residual_standard_errors: dict[str, float]
    v_rev: np.ndarray
    v_se: np.ndarray
    reference: str
    fit: Any
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dict (JSON-ready)."""
        return plain(
            {
                "ratios": self.ratios,
                "standard_errors": self.standard_errors,
                "ci95": {k: list(v) for k, v in self.ci95.items()},
                "residual_standard_errors": self.residual_standard_errors,
                "v_rev_mV": self.v_rev,
                "v_se_mV": self.v_se,
                "reference": self.reference,
                "fit": self.fit.to_dict(),
                "notes": self.notes,
            }
        )

    def table(self) -> list[dict[str, Any]]:
        """One row per ion."""
        return [
            {
                "ion": k,
                "ratio": r,
                "se": self.standard_errors[k],
                "ci95_low": self.ci95[k][0],
                "ci95_high": self.ci95[k][1],
                "residual_se": self.residual_standard_errors.get(k, 0.0),
            }
            for k, r in self.ratios.items()
        ]

    def explain(self) -> list[str]:
        """The ratios and how their SEs were found."""
        lines = [
            f"Permeability ratios (reference {self.reference}) fitted to {self.v_rev.size} "
            "reversal potentials with the GHK voltage equation (nernst.fit_permeabilities):"
        ]
        for k, r in self.ratios.items():
            if k == self.reference:
                continue
            lo, hi = self.ci95[k]
            lines.append(
                f"  P({k})/P({self.reference}) = {r:.4g} +- {self.standard_errors[k]:.2g} "
                f"(95 % CI {lo:.4g} to {hi:.4g})"
            )
        lines.append(
            "  SEs propagated from the reversal potentials' SEs (linearised least squares)"
        )
        return lines + [f"  note: {n}" for n in self.notes]


def permeability_ratios(
    v_rev: Sequence[ReversalPotential | float],
    /,
    *,
    c_in: Mapping[str, ArrayLike],
    c_out: Mapping[str, ArrayLike],
    ions: Sequence[str],
    reference: str = "K+",
    se: ArrayLike | None = None,
    ljp_se: ArrayLike = 0.0,
    fixed: Mapping[str, float] | None = None,
    celsius: float = 22.0,
) -> PermeabilityRatios:
    r"""Relative permeabilities from reversal potentials under several (mixed) conditions.

    The point estimate is :func:`nernst.fit_permeabilities` (GHK voltage equation, least
    squares on ln ratio). Its own SEs come from the residual scatter and need more conditions
    than ratios; here the reversal potentials' standard errors :math:`\sigma_j` (fit and LJP
    in quadrature) are propagated instead, through the Jacobian :math:`J` of the fitted
    potentials with respect to :math:`\theta = \ln p`:

    .. math::

        \mathrm{Cov}(\hat\theta) = (J^T J)^{-1} J^T \Sigma J (J^T J)^{-1},
        \qquad \Sigma = \mathrm{diag}(\sigma_j^2),

    the sandwich covariance of an unweighted least-squares estimate, valid with as many
    conditions as ratios.

    Parameters
    ----------
    v_rev : sequence of ReversalPotential or float
        One reversal potential per condition. [mV]
    c_in, c_out : mapping of str to array_like
        Concentrations per ion, scalars or one per condition. [mM]
    ions : sequence of str
    reference : str, default "K+"
    se : array_like, optional
        SEs of v_rev (default: from the ReversalPotential objects; 0 for plain numbers). [mV]
    ljp_se : array_like, default 0
        SE of each condition's junction-potential correction. [mV]
    fixed : mapping, optional
        Ratios held fixed.
    celsius : float, default 22
        [degC]

    Returns
    -------
    PermeabilityRatios

    Examples
    --------
    >>> import numpy as np
    >>> k_out = np.array([5.0, 20.0, 50.0])
    >>> v = 25.43 * np.log((k_out + 0.05 * (150 - k_out)) / 140.5)
    >>> r = permeability_ratios(list(v), se=[0.5, 0.5, 0.5], c_in={"K+": 140, "Na+": 10},
    ...     c_out={"K+": k_out, "Na+": 150 - k_out}, ions=["K+", "Na+"], celsius=22)
    >>> round(r.ratios["Na+"], 3), 0 < r.standard_errors["Na+"] < 0.01
    (0.05, True)

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14.
    .. [2] White H. (1980) A heteroskedasticity-consistent covariance matrix estimator and a
       direct test for heteroskedasticity. Econometrica 48:817-838.
       https://doi.org/10.2307/1912934
    """
    import nernst

    pairs = [_value_se(v, None) for v in v_rev]
    values = np.array([p[0] for p in pairs])
    ses = (
        np.array([p[1] for p in pairs])
        if se is None
        else np.broadcast_to(np.asarray(se, float), values.shape).copy()
    )
    lj = np.broadcast_to(np.asarray(ljp_se, float), values.shape)
    if np.any(~np.isfinite(ses) | (ses < 0)) or np.any(~np.isfinite(lj) | (lj < 0)):
        raise ValueError(f"se={ses.tolist()} and ljp_se={lj.tolist()} must be finite and >= 0 mV")
    sigma = np.hypot(ses, lj)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = nernst.fit_permeabilities(
            v_rev=values,
            c_in=c_in,
            c_out=c_out,
            ions=ions,
            reference=reference,
            fixed=fixed,
            celsius=celsius,
        )
    notes = [str(w.message) for w in caught]
    fitted = list(fit.fitted)
    theta = np.log([fit.ratios[k] for k in fitted])
    names = list(fit.ions)

    def model(th: np.ndarray) -> np.ndarray:
        perm = {k: fit.ratios[k] for k in names}
        for k, t in zip(fitted, th, strict=True):
            perm[k] = math.exp(t)
        n = values.size
        P = {k: np.full(n, perm[k]) for k in names}
        cin = {k: np.broadcast_to(np.asarray(c_in[_key(c_in, k)], float), (n,)) for k in names}
        cout = {k: np.broadcast_to(np.asarray(c_out[_key(c_out, k)], float), (n,)) for k in names}
        return np.array(
            [
                float(
                    nernst.ghk_voltage(
                        {k: P[k][j] for k in names},
                        c_in={k: float(cin[k][j]) for k in names},
                        c_out={k: float(cout[k][j]) for k in names},
                        celsius=celsius,
                    )
                )
                for j in range(n)
            ]
        )

    h = 1e-6
    J = np.stack(
        [(model(theta + h * e) - model(theta - h * e)) / (2 * h) for e in np.eye(theta.size)],
        axis=1,
    )
    try:
        bread = np.linalg.inv(J.T @ J)
        cov = bread @ (J.T * sigma**2) @ J @ bread
    except np.linalg.LinAlgError:
        cov = np.full((theta.size, theta.size), np.inf)
        notes.append("the conditions do not determine every ratio (singular J^T J)")
    se_log = np.sqrt(np.diag(cov))
    out_se = {k: 0.0 for k in names}
    ci = {k: (fit.ratios[k], fit.ratios[k]) for k in names}
    for k, name in enumerate(fitted):
        out_se[name] = float(fit.ratios[name] * se_log[k])
        ci[name] = (
            float(math.exp(theta[k] - Z95 * se_log[k])),
            float(math.exp(theta[k] + Z95 * se_log[k])),
        )
    return PermeabilityRatios(
        ratios=dict(fit.ratios),
        standard_errors=out_se,
        ci95=ci,
        residual_standard_errors=dict(fit.standard_errors),
        v_rev=values,
        v_se=sigma,
        reference=fit.reference,
        fit=fit,
        notes=notes,
    )


def _key(mapping: Mapping[str, Any], symbol: str) -> str:
    import nernst

    for k in mapping:
        if nernst.ions.resolve(k) == symbol:
            return k
    raise ValueError(f"no concentration given for ion {symbol!r}")


@dataclass(frozen=True)
class GHKCurveFit(ResultMixin):
    """Permeability ratios from a joint GHK fit of I-V curves (:func:`fit_ghk_iv`)."""

    ratios: dict[str, float]
    standard_errors: dict[str, float]
    ci95: dict[str, tuple[float, float]]
    amplitude: float
    residual_rms: list[float]
    dof: int
    weighted: bool
    v_rev: list[float]
    reference: str
    celsius: float

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dict (JSON-ready)."""
        return plain(
            {
                "ratios": self.ratios,
                "standard_errors": self.standard_errors,
                "ci95": {k: list(v) for k, v in self.ci95.items()},
                "amplitude_pA_per_cm_s": self.amplitude,
                "residual_rms_pA": self.residual_rms,
                "dof": self.dof,
                "weighted": self.weighted,
                "v_rev_mV": self.v_rev,
                "reference": self.reference,
                "celsius": self.celsius,
            }
        )

    def table(self) -> list[dict[str, Any]]:
        """One row per ion."""
        return [
            {
                "ion": k,
                "ratio": r,
                "se": self.standard_errors[k],
                "ci95_low": self.ci95[k][0],
                "ci95_high": self.ci95[k][1],
            }
            for k, r in self.ratios.items()
        ]

    def explain(self) -> list[str]:
        """The ratios and the fit."""
        lines = [
            f"Joint GHK fit of {len(self.v_rev)} I-V curve(s), reference {self.reference}, "
            f"{self.celsius:g} degC ({'weighted' if self.weighted else 'unweighted'}, "
            f"{self.dof} dof):"
        ]
        for k, r in self.ratios.items():
            if k != self.reference:
                lo, hi = self.ci95[k]
                lines.append(
                    f"  P({k})/P({self.reference}) = {r:.4g} +- {self.standard_errors[k]:.2g} "
                    f"(95 % CI {lo:.4g} to {hi:.4g})"
                )
        lines.append("  fitted V_rev per curve: " + ", ".join(f"{v:+.2f} mV" for v in self.v_rev))
        return lines


def fit_ghk_iv(
    curves: Sequence[IVCurve],
    /,
    *,
    permeant: Sequence[str],
    c_in: Sequence[Mapping[str, float]],
    c_out: Sequence[Mapping[str, float]],
    celsius: float = 22.0,
) -> GHKCurveFit:
    r"""Permeability ratios from I-V curves recorded in different solutions, fitted jointly.

    Every curve j follows :math:`I_j(V) = A \sum_k p_k\, i_{GHK,k}(V; c_{in,j}, c_{out,j})`
    with one amplitude A (the same cell) and one set of ratios :math:`p_k`
    (:math:`p_{first} = 1`); :func:`nernst.ghk_current` per unit permeability gives
    :math:`i_{GHK}`. Least squares on :math:`\ln A, \ln p_k`, weighted by the points' SEs
    when all have one; the covariance is :math:`(J^T W J)^{-1}` (scaled by
    :math:`\chi^2/\mathrm{dof}` when the scatter exceeds the SEs).

    Parameters
    ----------
    curves : sequence of IVCurve
    permeant : sequence of str
        The ions; the first is the reference.
    c_in, c_out : sequence of mapping
        The solutions of each curve (every permeant ion, 0 allowed). [mM]
    celsius : float, default 22
        [degC]

    Returns
    -------
    GHKCurveFit

    Examples
    --------
    >>> from nernst.recordings import iv_curve, synthetic_iv_recording
    >>> sol_in = {"K+": 140, "Na+": 0}
    >>> baths = [{"K+": 5, "Na+": 140}, {"K+": 140, "Na+": 5}]
    >>> curves = [iv_curve(synthetic_iv_recording(permeability={"K+": 1e-6, "Na+": 1e-7},
    ...     c_in=sol_in, c_out=b, levels=range(-100, 41, 20), noise=0.5)) for b in baths]
    >>> fit = fit_ghk_iv(curves, permeant=["K+", "Na+"], c_in=[sol_in] * 2, c_out=baths)
    >>> round(fit.ratios["Na+"], 2)
    0.1

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14.
    .. [2] Goldman D.E. (1943) J. Gen. Physiol. 27:37-60. https://doi.org/10.1085/jgp.27.1.37
    """
    import nernst

    res = fit_ghk_curves(curves, permeant=permeant, c_in=c_in, c_out=c_out, celsius=celsius)
    names = res["ions"]
    cov = res["covariance"]
    ses = {names[0]: 0.0}
    ci = {names[0]: (1.0, 1.0)}
    for k, name in enumerate(names[1:], start=1):
        s = math.sqrt(cov[k, k]) if np.isfinite(cov[k, k]) else math.inf
        ses[name] = res["ratios"][name] * s
        ci[name] = (
            math.exp(res["theta"][k] - Z95 * s),
            math.exp(res["theta"][k] + Z95 * s),
        )
    v_rev = []
    for j in range(len(curves)):
        cin = {nernst.ions.resolve(k): float(v) for k, v in c_in[j].items()}
        cout = {nernst.ions.resolve(k): float(v) for k, v in c_out[j].items()}
        v_rev.append(
            zero_current_potential(
                {k: res["ratios"][k] for k in names},
                c_in={k: cin[k] for k in names},
                c_out={k: cout[k] for k in names},
                celsius=celsius,
            )
        )
    return GHKCurveFit(
        ratios=res["ratios"],
        standard_errors=ses,
        ci95=ci,
        amplitude=res["amplitude"],
        residual_rms=[float(np.sqrt(np.mean(r**2))) for r in res["residuals"]],
        dof=int(res["dof"]),
        weighted=bool(res["weighted"]),
        v_rev=v_rev,
        reference=names[0],
        celsius=float(celsius),
    )
