"""I-V curves from voltage-clamp recordings, corrected, and the reversal potential with its SE.

:func:`iv_curve` measures each sweep in a time window (mean or peak current of a step, or
every sample of a ramp), corrects the command to the membrane potential
(:func:`membrane_voltage`), subtracts a linear leak and averages repeated levels.
:func:`reversal_potential` finds where the corrected I-V crosses zero: a local straight line
or polynomial around the crossing, or a fit of the GHK current equation to the whole curve,
each with a delta-method standard error.
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
from nernst.recordings.recording import LEVEL_TOLERANCE_MV, Recording

__all__ = [
    "IVCurve",
    "ReversalPotential",
    "iv_curve",
    "membrane_voltage",
    "reversal_potential",
]

#: Default window: the last fraction of the test step (steady state).
STEADY_FRACTION = 0.2
MEASURES = ("mean", "peak")
METHODS = ("linear", "polynomial", "ghk")
#: z quantile of a two-sided 95 % normal interval.
Z95 = 1.959963984540054


def membrane_voltage(
    v_command: ArrayLike,
    current: ArrayLike,
    *,
    ljp: float = 0.0,
    r_s: float = 0.0,
    compensation: float = 0.0,
) -> np.ndarray:
    r"""Membrane potential from the command: junction potential and series-resistance error.

    .. math:: V_m = V_{cmd} - LJP - I\, R_s\, (1 - f_{comp})

    An outward (positive) current through the uncompensated part of R_s drops voltage
    between the pipette and the cell, so the membrane sits below the command; ``LJP`` is the
    bath relative to the pipette (:func:`nernst.liquid_junction_potential`), so a positive
    LJP (K-gluconate pipettes) puts the membrane below the command.

    Parameters
    ----------
    v_command : array_like
        Command potential. [mV]
    current : array_like
        Membrane current, positive outward. [pA]
    ljp : float, default 0
        Liquid junction potential V_bath - V_pipette. [mV]
    r_s : float, default 0
        Series resistance (>= 0). [MOhm]
    compensation : float, default 0
        Fraction of R_s compensated by the amplifier, 0 to 1 (0.7 for 70 %). [unitless]

    Returns
    -------
    V_m : ndarray
        V_in - V_out. [mV]

    Raises
    ------
    ValueError
        Negative or non-finite ``r_s``, ``compensation`` outside [0, 1], non-finite ``ljp``.

    Examples
    --------
    -60 mV command, 200 pA outward, 10 MOhm with 70 % compensation, LJP +16 mV:

    >>> float(membrane_voltage(-60.0, 200.0, ljp=16.0, r_s=10.0, compensation=0.7))
    -76.6

    References
    ----------
    .. [1] Sherman-Gold R. (ed.) (2012) The Axon Guide, 3rd ed., Molecular Devices, ch. 4
       (series resistance compensation) and ch. 9 (junction potentials).
    .. [2] Neher E. (1992) Correction for liquid junction potentials in patch clamp
       experiments. Methods Enzymol. 207:123-131. https://doi.org/10.1016/0076-6879(92)07008-C
    """
    _check_corrections(ljp, r_s, compensation)
    v = np.asarray(v_command, float)
    i = np.asarray(current, float)
    return v - ljp - i * r_s * (1.0 - compensation) * 1e-3  # pA * MOhm = uV


def _check_corrections(ljp: float, r_s: float, compensation: float) -> None:
    if not math.isfinite(ljp):
        raise ValueError(f"ljp={ljp!r} must be a finite potential in mV")
    if not (math.isfinite(r_s) and r_s >= 0):
        raise ValueError(f"r_s={r_s!r} must be a series resistance >= 0 in MOhm")
    if not (math.isfinite(compensation) and 0 <= compensation <= 1):
        raise ValueError(
            f"compensation={compensation!r} must be the compensated fraction of R_s, 0 to 1 "
            "(0.7 for 70 %)"
        )


@dataclass(frozen=True)
class IVCurve(ResultMixin):
    """Current against membrane potential, from :func:`iv_curve`.

    Attributes
    ----------
    v : ndarray
        Membrane potential after corrections (V_in - V_out), sorted ascending. [mV]
    i : ndarray
        Current (leak subtracted if asked), positive outward. [pA]
    i_se : ndarray
        Standard error of each current: across repeated sweeps at the level when there are
        several, otherwise SD / sqrt(n) of the window's samples; NaN for single ramp
        samples. [pA] The within-window SE assumes independent samples; the samples of a
        filtered recording are correlated, so it is too small there, and
        :func:`reversal_potential` then widens its SE by the Birge ratio (when points are
        left over for it) and warns about the excess scatter.
    v_command : ndarray
        The command of each point. [mV]
    n : ndarray of int
        Samples (x sweeps) averaged into each point.
    kind : {"step", "ramp"}
    measure : {"mean", "peak"}
    window : (float, float)
        The measurement window. [s]
    ljp, r_s, compensation : float
        Corrections applied ([mV], [MOhm], fraction).
    leak : dict or None
        ``{"range_mV": [lo, hi], "g_nS": g, "E_mV": E}`` of the subtracted linear leak.
    source : str
    """

    v: np.ndarray
    i: np.ndarray
    i_se: np.ndarray
    v_command: np.ndarray
    n: np.ndarray
    kind: str
    measure: str
    window: tuple[float, float]
    ljp: float = 0.0
    r_s: float = 0.0
    compensation: float = 0.0
    leak: dict[str, Any] | None = None
    source: str = ""
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dict (JSON-ready)."""
        return plain(
            {
                "v_mV": self.v,
                "i_pA": self.i,
                "i_se_pA": self.i_se,
                "v_command_mV": self.v_command,
                "n": self.n,
                "kind": self.kind,
                "measure": self.measure,
                "window_s": list(self.window),
                "corrections": {
                    "ljp_mV": self.ljp,
                    "r_s_MOhm": self.r_s,
                    "compensation": self.compensation,
                    "equation": "V_m = V_command - LJP - I R_s (1 - compensation)",
                },
                "leak": self.leak,
                "source": self.source,
                "warnings": self.warnings,
                "convention": "V = V_in - V_out; positive current outward",
                "units": {"V": "mV", "I": "pA", "R": "MOhm", "t": "s"},
            }
        )

    def table(self) -> list[dict[str, Any]]:
        """One row per point: v_mV, i_pA, i_se_pA, v_command_mV, n."""
        return [
            {
                "v_mV": float(v),
                "i_pA": float(i),
                "i_se_pA": float(s),
                "v_command_mV": float(c),
                "n": int(k),
            }
            for v, i, s, c, k in zip(self.v, self.i, self.i_se, self.v_command, self.n, strict=True)
        ]

    def explain(self) -> list[str]:
        """How the curve was measured and corrected."""
        lines = [
            f"I-V ({self.kind}, {self.measure} current over {self.window[0]:g}-{self.window[1]:g} "
            f"s) of {self.source or 'the recording'}: {self.v.size} points, "
            f"V_m {self.v.min():.1f} to {self.v.max():.1f} mV",
            f"  V_m = V_command - LJP - I R_s (1 - comp), LJP = {self.ljp:g} mV, "
            f"R_s = {self.r_s:g} MOhm, comp = {self.compensation:g}",
        ]
        if self.leak:
            lines.append(
                f"  leak subtracted: g = {self.leak['g_nS']:.4g} nS, E = {self.leak['E_mV']:.4g} "
                f"mV, fitted over {self.leak['range_mV'][0]:g} to {self.leak['range_mV'][1]:g} mV"
            )
        return lines + [f"  warning: {w}" for w in self.warnings]


#: Default dead time after a step before an instantaneous measurement (capacitive
#: transient). [ms]
SKIP_MS = 2.0
#: Length of an instantaneous window, as a fraction of the epoch.
START_FRACTION = 0.05
PARTS = ("end", "start")


def epoch_window(
    rec: Recording, *, epoch: int | None = None, part: str = "end", skip_ms: float = SKIP_MS
) -> tuple[float, float]:
    """The measurement window of an epoch [s]: its last 20 % (``part="end"``, steady state)
    or, after ``skip_ms`` of capacitive transient, its first 5 % (``"start"``, the
    instantaneous current); the whole epoch for a ramp. ``epoch`` indexes
    ``rec.epochs``; default: the first epoch that changes between sweeps."""
    if part not in PARTS:
        raise ValueError(f"part={part!r} is not one of {PARTS}")
    if epoch is None:
        chosen = rec.test_epoch
        if chosen is None:
            raise ValueError(
                f"{rec.source or 'the recording'}: no epoch changes between sweeps and none is "
                "a ramp, so the I-V window is not obvious; give window=(start, end) in seconds"
            )
    else:
        if not 0 <= epoch < len(rec.epochs):
            raise ValueError(
                f"epoch={epoch}: the recording has {len(rec.epochs)} epochs (0 to "
                f"{len(rec.epochs) - 1}): "
                + ", ".join(
                    f"{k}: {e.kind} {e.levels[0]:g} mV at {e.start / rec.sampling_rate:g} s"
                    for k, e in enumerate(rec.epochs)
                )
            )
        chosen = rec.epochs[epoch]
    fs = rec.sampling_rate
    if chosen.kind == "ramp":
        return chosen.start / fs, chosen.stop / fs
    n = chosen.stop - chosen.start
    if part == "end":
        return (chosen.stop - max(1, int(n * STEADY_FRACTION))) / fs, chosen.stop / fs
    if not (math.isfinite(skip_ms) and skip_ms >= 0):
        raise ValueError(f"skip_ms={skip_ms!r} must be a time >= 0 in ms")
    first = chosen.start + round(skip_ms * 1e-3 * fs)
    last = min(chosen.stop, first + max(1, int(n * START_FRACTION)))
    if first >= chosen.stop:
        raise ValueError(f"skip_ms={skip_ms:g} ms is longer than the epoch ({n / fs * 1e3:g} ms)")
    return first / fs, last / fs


def iv_curve(
    recording: Recording,
    /,
    *,
    window: tuple[float, float] | None = None,
    measure: str = "mean",
    ljp: float = 0.0,
    r_s: float = 0.0,
    compensation: float = 0.0,
    leak_range: tuple[float, float] | None = None,
    average: bool = True,
    bin_mV: float | None = None,
    epoch: int | None = None,
    part: str = "end",
    skip_ms: float = SKIP_MS,
) -> IVCurve:
    r"""The I-V curve of a voltage-clamp recording over a time window.

    Steps (the command constant within the window in every sweep): one point per sweep, the
    mean (``measure="mean"``, steady state) or the largest-magnitude current relative to the
    window's start (``"peak"``) in the window. An instantaneous I-V is the mean over a short
    window just after a step (after the capacitive transient; ``part="start"``); a tail
    I-V, the same after the return step (``epoch=`` the return step). Ramps (the command
    changes within the window): every sample is a point; with ``average`` the sweeps are
    averaged sample by sample first, and ``bin_mV`` averages
    the points into voltage bins.

    Each point's command is corrected to the membrane potential with
    :func:`membrane_voltage`, :math:`V_m = V_{cmd} - LJP - I R_s (1 - f_{comp})`; with
    ``leak_range`` a line :math:`I = g (V_m - E)` fitted to the points in that range is
    subtracted from all. Steps at the same command (repeats) are averaged with ``average``;
    their SE is then the SD across repeats over :math:`\sqrt{n}`.

    Parameters
    ----------
    recording : Recording
        Voltage-clamp recording.
    window : (float, float), optional
        Start and end of the measurement, from the sweep start. Default: the last 20 % of the
        first epoch whose level changes between sweeps, or the whole first ramp. [s]
    measure : {"mean", "peak"}, default "mean"
    ljp : float, default 0
        Liquid junction potential V_bath - V_pipette (e.g. from
        :func:`nernst.liquid_junction_potential`). [mV]
    r_s : float, default 0
        Series resistance (e.g. :attr:`MembraneTest.r_s`). [MOhm]
    compensation : float, default 0
        Compensated fraction of R_s. [unitless]
    leak_range : (float, float), optional
        Membrane potentials whose points define the linear leak. [mV]
    average : bool, default True
    bin_mV : float, optional
        Bin width for ramp points. [mV]
    epoch : int, optional
        Without ``window``: measure in this epoch (index into ``recording.epochs``) instead
        of the first one that changes between sweeps.
    part : {"end", "start"}, default "end"
        Without ``window``: the epoch's last 20 % (steady state) or its first 5 % after
        ``skip_ms`` (instantaneous I-V, e.g. after an activating prepulse).
    skip_ms : float, default 2.0
        Capacitive transient skipped for ``part="start"``. [ms]

    Returns
    -------
    IVCurve

    Raises
    ------
    ValueError
        A current-clamp recording, a bad window, an unknown ``measure``, bad corrections,
        fewer than two points in ``leak_range``.

    Examples
    --------
    >>> from nernst.recordings import synthetic_iv_recording
    >>> rec = synthetic_iv_recording(permeability={"K+": 1e-6}, c_in={"K+": 140},
    ...                              c_out={"K+": 140}, levels=[-20, 0, 20])
    >>> iv = iv_curve(rec)
    >>> iv.v.tolist(), [round(float(x), 1) for x in iv.i]
    ([-20.0, 0.0, 20.0], [-106.2, 0.0, 106.2])
    """
    rec = recording
    rec.require_voltage_clamp("iv_curve")
    if rec.metadata.get("command_from_protocol") is False:
        raise ValueError(
            f"{rec.source or 'the recording'} holds no command waveform (no protocol in the "
            "file), so the potential of each point is unknown; export the command with the "
            "current (CSV) or use the acquisition protocol's file"
        )
    if measure not in MEASURES:
        raise ValueError(f"measure={measure!r} is not one of {MEASURES}")
    _check_corrections(ljp, r_s, compensation)
    win = (
        window if window is not None else epoch_window(rec, epoch=epoch, part=part, skip_ms=skip_ms)
    )
    s = rec.window(win)
    cmd = rec.command[:, s]
    cur = rec.signal[:, s]
    notes: list[str] = []
    if np.all(np.ptp(cmd, axis=1) <= LEVEL_TOLERANCE_MV):
        kind = "step"
        v_cmd = cmd[:, 0].copy()
        if measure == "mean":
            i = cur.mean(axis=1)
        else:
            rel = cur - cur[:, :1]
            k = np.argmax(np.abs(rel), axis=1)
            i = cur[np.arange(cur.shape[0]), k]
        n_samp = cur.shape[1]
        se = cur.std(axis=1, ddof=1) / math.sqrt(n_samp) if n_samp > 1 else np.full(i.shape, np.nan)
        n = np.full(i.shape, n_samp)
        if average:
            v_cmd, i, se, n = _average_levels(v_cmd, i, se, n)
    else:
        kind = "ramp"
        if measure != "mean":
            raise ValueError("measure='peak' applies to steps; a ramp I-V uses every sample")
        if average and rec.n_sweeps > 1:
            if np.ptp(cmd, axis=0).max() > LEVEL_TOLERANCE_MV:
                raise ValueError(
                    "the ramp commands differ between sweeps, so they cannot be averaged "
                    "sample by sample; pass average=False"
                )
            v_cmd = cmd[0]
            i = cur.mean(axis=0)
            se = cur.std(axis=0, ddof=1) / math.sqrt(rec.n_sweeps)
            n = np.full(i.shape, rec.n_sweeps)
        else:
            v_cmd, i = cmd.ravel(), cur.ravel()
            se = np.full(i.shape, np.nan)
            n = np.ones(i.shape, int)
        if bin_mV is not None:
            v_cmd, i, se, n = _bin(v_cmd, i, se, n, bin_mV)
    v = membrane_voltage(v_cmd, i, ljp=ljp, r_s=r_s, compensation=compensation)
    order = np.argsort(v, kind="stable")
    v, i, se, v_cmd, n = v[order], i[order], se[order], v_cmd[order], n[order]
    leak = None
    if leak_range is not None:
        lo, hi = sorted(float(x) for x in leak_range)
        sel = (v >= lo) & (v <= hi)
        if np.count_nonzero(sel) < 2 or np.ptp(v[sel]) == 0:
            raise ValueError(
                f"leak_range={leak_range!r} mV holds {np.count_nonzero(sel)} point(s) at "
                f"distinct potentials; the points span {v.min():.1f} to {v.max():.1f} mV"
            )
        g, c = np.polyfit(v[sel], i[sel], 1)
        i = i - (g * v + c)
        leak = {"range_mV": [lo, hi], "g_nS": float(g), "E_mV": float(-c / g) if g else None}
        # V_m was corrected with the total current; that stays, the leak is physics.
    if r_s > 0 and compensation < 1:
        drop = np.max(np.abs(rec.signal[:, s])) * r_s * (1 - compensation) * 1e-3
        if drop > 5:
            notes.append(
                f"the uncompensated series resistance drops up to {drop:.1f} mV: the corrected "
                "V_m is only as good as the R_s estimate"
            )
    return IVCurve(
        v=v,
        i=i,
        i_se=se,
        v_command=v_cmd,
        n=n.astype(int),
        kind=kind,
        measure=measure,
        window=(float(win[0]), float(win[1])),
        ljp=float(ljp),
        r_s=float(r_s),
        compensation=float(compensation),
        leak=leak,
        source=rec.source,
        warnings=notes,
    )


def _average_levels(
    v: np.ndarray, i: np.ndarray, se: np.ndarray, n: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    keys = np.round(v / LEVEL_TOLERANCE_MV).astype(np.int64)
    out: list[tuple[float, float, float, int]] = []
    for key in dict.fromkeys(keys.tolist()):
        sel = keys == key
        k = int(np.count_nonzero(sel))
        if k == 1:
            out.append((float(v[sel][0]), float(i[sel][0]), float(se[sel][0]), int(n[sel][0])))
        else:
            out.append(
                (
                    float(v[sel].mean()),
                    float(i[sel].mean()),
                    float(i[sel].std(ddof=1) / math.sqrt(k)),
                    int(n[sel].sum()),
                )
            )
    arr = np.array(out, float).T
    return arr[0], arr[1], arr[2], arr[3].astype(int)


def _bin(
    v: np.ndarray, i: np.ndarray, se: np.ndarray, n: np.ndarray, width: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    if not (math.isfinite(width) and width > 0):
        raise ValueError(f"bin_mV={width!r} must be a positive bin width in mV")
    idx = np.floor((v - v.min()) / width).astype(int)
    vs, is_, ses, ns = [], [], [], []
    for b in np.unique(idx):
        sel = idx == b
        k = int(np.count_nonzero(sel))
        vs.append(v[sel].mean())
        is_.append(i[sel].mean())
        ses.append(i[sel].std(ddof=1) / math.sqrt(k) if k > 1 else np.nan)
        ns.append(int(n[sel].sum()))
    return np.array(vs), np.array(is_), np.array(ses), np.array(ns)


# -- reversal potential -------------------------------------------------------------------------
@dataclass(frozen=True)
class ReversalPotential(ResultMixin):
    """Reversal potential from :func:`reversal_potential`.

    Attributes
    ----------
    v_rev : float or None
        Where the fitted I-V crosses zero (None when it does not and extrapolation is off).
        [mV]
    se : float
        Standard error (delta method). [mV]
    ci95 : (float, float)
        v_rev +- 1.96 SE. [mV]
    method : str
        "linear", "polynomial (degree d)" or "ghk (ions)".
    crosses : bool
        Whether the measured I-V changes sign.
    extrapolated : bool
        True when v_rev lies outside the measured potentials.
    v_range : (float, float)
        Potentials of the points fitted. [mV]
    n_points : int
    coefficients : dict
        Fitted parameters (polynomial coefficients, lowest order first [pA, pA/mV, ...]; or
        the GHK amplitude and permeability ratios).
    residuals : ndarray
        Measured minus fitted current of the points fitted. [pA]
    weighted : bool
        Whether the points' SEs weighted the fit (else the residual scatter sets the SE).
    """

    v_rev: float | None
    se: float
    ci95: tuple[float, float]
    method: str
    crosses: bool
    extrapolated: bool
    v_range: tuple[float, float]
    n_points: int
    coefficients: dict[str, Any]
    residuals: np.ndarray
    v_fitted: np.ndarray
    weighted: bool
    slope: float = math.nan
    ljp: float = 0.0
    source: str = ""
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dict (JSON-ready)."""
        return plain(
            {
                "v_rev_mV": self.v_rev,
                "se_mV": self.se,
                "ci95_mV": list(self.ci95),
                "method": self.method,
                "crosses_zero": self.crosses,
                "extrapolated": self.extrapolated,
                "fit_range_mV": list(self.v_range),
                "n_points": self.n_points,
                "coefficients": self.coefficients,
                "residuals_pA": self.residuals,
                "slope_conductance_nS": self.slope,
                "weighted": self.weighted,
                "ljp_mV": self.ljp,
                "source": self.source,
                "warnings": self.warnings,
                "units": {"V": "mV", "I": "pA", "slope": "nS"},
            }
        )

    def table(self) -> list[dict[str, Any]]:
        """One row per fitted point: v_mV, residual_pA."""
        return [
            {"v_mV": float(v), "residual_pA": float(r)}
            for v, r in zip(self.v_fitted, self.residuals, strict=True)
        ]

    def explain(self) -> list[str]:
        """The value, how it was found, and any warning."""
        if self.v_rev is None:
            head = "V_rev: none (the I-V does not cross zero in the measured range)"
        else:
            tag = " (EXTRAPOLATED beyond the measured range)" if self.extrapolated else ""
            head = (
                f"V_rev = {self.v_rev:+.2f} +- {self.se:.2f} mV (SE){tag}; 95 % CI "
                f"{self.ci95[0]:+.2f} to {self.ci95[1]:+.2f} mV"
            )
        weighting = (
            "weighted by the point SEs"
            if self.weighted
            else "unweighted; SE from the residual scatter"
        )
        lines = [
            head,
            f"  method: {self.method}, {self.n_points} points over {self.v_range[0]:.1f} to "
            f"{self.v_range[1]:.1f} mV ({weighting})",
        ]
        if math.isfinite(self.slope):
            lines.append(f"  slope conductance at V_rev: {self.slope:.4g} nS")
        if self.residuals.size:
            rms = float(np.sqrt(np.mean(self.residuals**2)))
            lines.append(f"  residual RMS {rms:.3g} pA")
        if self.ljp:
            lines.append(f"  corrected for LJP = {self.ljp:g} mV")
        return lines + [f"  warning: {w}" for w in self.warnings]


def reversal_potential(
    iv: IVCurve,
    /,
    *,
    method: str = "linear",
    n_points: int | None = None,
    v_range: tuple[float, float] | None = None,
    degree: int = 2,
    extrapolate: bool = True,
    permeant: Sequence[str] | None = None,
    c_in: Mapping[str, float] | None = None,
    c_out: Mapping[str, float] | None = None,
    celsius: float = 22.0,
) -> ReversalPotential:
    r"""Reversal potential of an I-V curve, with a standard error.

    ``method="linear"``: a straight line :math:`I = a + bV` through the points around the
    zero crossing, :math:`V_{rev} = -a/b`. ``"polynomial"``: a polynomial of ``degree``,
    :math:`V_{rev}` its root nearest the crossing. Both are least squares, weighted by
    :math:`1/SE_i^2` when every point has an SE (then the covariance is
    :math:`(X^T W X)^{-1} \max(1, \chi^2/\mathrm{dof})`: the SEs are estimates themselves,
    and the Birge ratio keeps the fit from claiming more precision than its scatter shows),
    unweighted otherwise (covariance :math:`s^2 (X^T X)^{-1}`). The SE is the delta method,

    .. math::

        SE(V_{rev})^2 = g^T \mathrm{Cov}(c)\, g, \qquad
        g_k = \partial V_{rev}/\partial c_k = -V_{rev}^k / p'(V_{rev}).

    ``"ghk"``: the GHK current equation of the ``permeant`` ions,
    :math:`I = A \sum_k p_k\, i_{GHK,k}(V)` (:func:`nernst.ghk_current` per unit
    permeability, :math:`p_{first} = 1`), fitted to every point
    (:func:`scipy.optimize.least_squares` on :math:`\ln A, \ln p_k`); :math:`V_{rev}` is
    :func:`nernst.ghk_voltage` of the fitted ratios and its SE the delta method through the
    fit's covariance. With one permeant ion :math:`V_{rev}` is its Nernst potential, fixed by
    the concentrations (SE 0).

    The points fitted (linear and polynomial): those in ``v_range`` if given, else the
    ``n_points`` nearest the crossing (default 4 for steps, those within 10 mV for ramps).
    If the I-V does not change sign the points nearest zero current are used and the value
    is extrapolated (``extrapolated=True``, with a warning), or None with
    ``extrapolate=False``.

    Parameters
    ----------
    iv : IVCurve
    method : {"linear", "polynomial", "ghk"}, default "linear"
    n_points : int, optional
    v_range : (float, float), optional
        [mV]
    degree : int, default 2
        Polynomial degree (method "polynomial").
    extrapolate : bool, default True
    permeant : sequence of str, optional
        Ions of the GHK fit (method "ghk"); the first is the reference.
    c_in, c_out : mapping of str to float, optional
        Their concentrations (method "ghk"). [mM]
    celsius : float, default 22
        Temperature (method "ghk"). [degC]

    Returns
    -------
    ReversalPotential

    Raises
    ------
    ValueError
        Unknown method, too few points for the model, a flat I-V (zero slope), no GHK ions
        or concentrations for ``"ghk"``.

    Examples
    --------
    >>> from nernst.recordings import iv_curve, synthetic_iv_recording
    >>> rec = synthetic_iv_recording(permeability={"K+": 1e-6, "Na+": 5e-8},
    ...     c_in={"K+": 140, "Na+": 10}, c_out={"K+": 5, "Na+": 145},
    ...     levels=range(-100, -40, 10), noise=1.0, sampling_rate=5000)
    >>> rv = reversal_potential(iv_curve(rec), method="ghk", permeant=["K+", "Na+"],
    ...     c_in={"K+": 140, "Na+": 10}, c_out={"K+": 5, "Na+": 145})
    >>> import nernst
    >>> truth = nernst.ghk_voltage({"K+": 1, "Na+": 0.05}, c_in={"K+": 140, "Na+": 10},
    ...                            c_out={"K+": 5, "Na+": 145}, celsius=22)
    >>> round(truth, 2), abs(rv.v_rev - truth) < 3 * rv.se
    (-62.05, True)

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14.
    .. [2] Bevington P.R., Robinson D.K. (2003) Data Reduction and Error Analysis for the
       Physical Sciences, 3rd ed., McGraw-Hill, ch. 3 (propagation of errors) and ch. 7
       (least squares fits to polynomials).
    """
    if method not in METHODS:
        raise ValueError(f"method={method!r} is not one of {METHODS}")
    v, i, se = iv.v, iv.i, iv.i_se
    notes = list(iv.warnings)
    sign = np.sign(i)
    crossings = np.nonzero(sign[:-1] * sign[1:] <= 0)[0]
    crosses = bool(crossings.size) or bool(np.any(i == 0))
    if method == "ghk":
        return _ghk_reversal(iv, permeant, c_in, c_out, celsius, crosses, notes)
    if not crosses:
        notes.append(
            f"the I-V does not cross zero between {v.min():.1f} and {v.max():.1f} mV "
            f"(all currents {'outward' if i[0] > 0 else 'inward'})"
        )
    if v_range is not None:
        lo, hi = sorted(float(x) for x in v_range)
        sel = np.nonzero((v >= lo) & (v <= hi))[0]
    else:
        if crosses:
            k = int(crossings[0]) if crossings.size else int(np.nonzero(i == 0)[0][0])
            centre = (
                float(v[k] - i[k] * (v[k + 1] - v[k]) / (i[k + 1] - i[k]))
                if (crossings.size and i[k + 1] != i[k])
                else float(v[k])
            )
        else:
            centre = float(v[np.argmin(np.abs(i))])
        if iv.kind == "ramp" and n_points is None:
            sel = np.nonzero(np.abs(v - centre) <= 10.0)[0]
        else:
            m = n_points if n_points is not None else 4
            sel = np.sort(np.argsort(np.abs(v - centre), kind="stable")[:m])
    p = 2 if method == "linear" else int(degree) + 1
    if method == "polynomial" and degree < 1:
        raise ValueError(f"degree={degree!r} must be >= 1")
    if sel.size < p:
        raise ValueError(
            f"{sel.size} point(s) to fit cannot determine a {method} model with {p} "
            "coefficients; widen v_range or give more n_points"
        )
    x, y, s = v[sel], i[sel], se[sel]
    X = np.vander(x, p, increasing=True)
    weighted = _has_errors(s, y) and sel.size >= p
    if weighted:
        w = 1.0 / s
        coef, *_ = np.linalg.lstsq(X * w[:, None], y * w, rcond=None)
        cov = np.linalg.inv((X * w[:, None]).T @ (X * w[:, None]))
        resid = y - X @ coef
        dof = sel.size - p
        if dof > 0:
            chi2 = float(np.sum((resid * w) ** 2))
            from scipy.stats import chi2 as chi2_dist

            # Birge ratio: the point SEs are estimates; never let the fit claim more
            # precision than its own scatter shows.
            cov = cov * max(1.0, chi2 / dof)
            if chi2_dist.sf(chi2, dof) < 0.001:
                notes.append(
                    f"the points scatter more than their SEs allow (chi^2 = {chi2:.3g} for "
                    f"{dof} dof): the model misses curvature or the SEs are too small; the SE "
                    "is scaled by sqrt(chi^2/dof)"
                )
    else:
        coef, *_ = np.linalg.lstsq(X, y, rcond=None)
        resid = y - X @ coef
        dof = sel.size - p
        if dof <= 0:
            notes.append("no degrees of freedom left for the SE (as many points as coefficients)")
            cov = np.full((p, p), np.inf)
        else:
            s2 = float(resid @ resid) / dof
            cov = s2 * np.linalg.inv(X.T @ X)
    root = _root(coef, x, centre if v_range is None else float(np.mean(x)))
    if root is None:
        raise ValueError(
            f"the fitted {method} I-V has no real zero; try method='linear' or another v_range"
        )
    dp = float(np.polyval(np.polyder(coef[::-1]), root))
    if dp == 0:
        raise ValueError("the fitted I-V is flat at its zero (slope 0): no reversal potential")
    g = -(root ** np.arange(p)) / dp
    var = float(g @ cov @ g) if np.all(np.isfinite(cov)) else math.inf
    se_v = math.sqrt(var) if var >= 0 else math.inf
    extrapolated = not (v.min() <= root <= v.max())
    value: float | None = float(root)
    if extrapolated:
        if not extrapolate:
            value = None
            notes.append("no reversal potential reported (extrapolate=False)")
        else:
            notes.append(
                f"V_rev = {root:.1f} mV is extrapolated beyond the measured {v.min():.1f} to "
                f"{v.max():.1f} mV; treat it with caution"
            )
    ci = (root - Z95 * se_v, root + Z95 * se_v) if value is not None else (math.nan, math.nan)
    for note in notes[len(iv.warnings) :]:
        warnings.warn(note, RuntimeWarning, stacklevel=2)
    label = "linear" if method == "linear" else f"polynomial (degree {degree})"
    return ReversalPotential(
        v_rev=value,
        se=se_v if value is not None else math.nan,
        ci95=ci,
        method=label,
        crosses=crosses,
        extrapolated=extrapolated,
        v_range=(float(x.min()), float(x.max())),
        n_points=int(sel.size),
        coefficients={f"c{k}": float(c) for k, c in enumerate(coef)},
        residuals=resid,
        v_fitted=x,
        weighted=weighted,
        slope=dp,
        ljp=iv.ljp,
        source=iv.source,
        warnings=notes,
    )


def zero_current_potential(
    ratios: Mapping[str, float],
    *,
    c_in: Mapping[str, float],
    c_out: Mapping[str, float],
    celsius: float,
) -> float:
    """The potential where sum_k p_k i_GHK,k(V) = 0 (:func:`nernst.ghk_current` per unit
    permeability), by :func:`scipy.optimize.brentq` between the extreme Nernst potentials;
    unlike :func:`nernst.ghk_voltage` it allows an ion absent on one side (bi-ionic). [mV]"""
    from scipy.optimize import brentq

    import nernst

    def total(v: float) -> float:
        return sum(
            p
            * float(
                nernst.ghk_current(
                    v, k, permeability=1.0, c_in=c_in[k], c_out=c_out[k], celsius=celsius
                )
            )
            for k, p in ratios.items()
        )

    lo, hi = -200.0, 200.0
    while total(lo) > 0 and lo > -2000:
        lo *= 2
    while total(hi) < 0 and hi < 2000:
        hi *= 2
    if not (total(lo) <= 0 <= total(hi)):
        raise ValueError(
            "the GHK current does not change sign between -2000 and +2000 mV: every "
            "permeant ion is absent on the same side"
        )
    return float(brentq(total, lo, hi, xtol=1e-10))


def _has_errors(se: np.ndarray, y: np.ndarray) -> bool:
    """Whether every point has a usable SE: finite and above rounding noise (a noise-free
    window's SD is 0 or ~1e-16 of the current, which must not become a weight)."""
    floor = 1e-9 * max(1.0, float(np.max(np.abs(y)))) if y.size else 0.0
    return bool(se.size) and bool(np.all(np.isfinite(se) & (se > floor)))


def _root(coef: np.ndarray, x: np.ndarray, centre: float) -> float | None:
    if coef.size == 2:
        return -coef[0] / coef[1] if coef[1] != 0 else None
    roots = np.roots(coef[::-1])
    real = roots[np.abs(roots.imag) < 1e-9 * max(1.0, float(np.abs(roots).max()))].real
    if real.size == 0:
        return None
    return float(real[np.argmin(np.abs(real - centre))])


def _ghk_reversal(
    iv: IVCurve,
    permeant: Sequence[str] | None,
    c_in: Mapping[str, float] | None,
    c_out: Mapping[str, float] | None,
    celsius: float,
    crosses: bool,
    notes: list[str],
) -> ReversalPotential:
    if not permeant or c_in is None or c_out is None:
        raise ValueError(
            "method='ghk' needs permeant=[ions] and their concentrations c_in={...} and "
            "c_out={...} in mM"
        )
    fit = fit_ghk_curves(
        [iv], permeant=permeant, c_in=[c_in], c_out=[c_out], celsius=celsius, warn=False
    )
    names = fit["ions"]
    ratios = fit["ratios"]
    theta = np.log([ratios[k] for k in names[1:]])
    cin = {k: c_in[k] for k in c_in}
    cout = {k: c_out[k] for k in c_out}

    sub_in = {k: float(cin[_find(cin, k)]) for k in names}
    sub_out = {k: float(cout[_find(cout, k)]) for k in names}

    def vrev(th: np.ndarray) -> float:
        perm = {names[0]: 1.0, **{k: math.exp(t) for k, t in zip(names[1:], th, strict=True)}}
        return zero_current_potential(perm, c_in=sub_in, c_out=sub_out, celsius=celsius)

    root = vrev(theta)
    cov = fit["covariance"][1:, 1:]
    if theta.size:
        h = 1e-6
        grad = np.array(
            [(vrev(theta + h * e) - vrev(theta - h * e)) / (2 * h) for e in np.eye(theta.size)]
        )
        var = float(grad @ cov @ grad) if np.all(np.isfinite(cov)) else math.inf
    else:
        var = 0.0
        notes.append(
            f"one permeant ion: V_rev is the Nernst potential of {names[0]} set by the given "
            "concentrations, not estimated from the currents"
        )
    se_v = math.sqrt(max(var, 0.0))
    extrapolated = not (iv.v.min() <= root <= iv.v.max())
    if extrapolated:
        notes.append(
            f"V_rev = {root:.1f} mV lies outside the measured {iv.v.min():.1f} to "
            f"{iv.v.max():.1f} mV (the GHK model extrapolates it)"
        )
    for note in notes[len(iv.warnings) :]:
        warnings.warn(note, RuntimeWarning, stacklevel=3)
    model_at = fit["model"]
    slope = float((model_at(0, root + 0.01) - model_at(0, root - 0.01)) / 0.02)
    return ReversalPotential(
        v_rev=root,
        se=se_v,
        ci95=(root - Z95 * se_v, root + Z95 * se_v),
        method=f"ghk ({', '.join(names)})",
        crosses=crosses,
        extrapolated=extrapolated,
        v_range=(float(iv.v.min()), float(iv.v.max())),
        n_points=int(iv.v.size),
        coefficients={"amplitude_pA_per_unit": fit["amplitude"], "ratios": ratios},
        residuals=fit["residuals"][0],
        v_fitted=iv.v,
        weighted=fit["weighted"],
        slope=slope,
        ljp=iv.ljp,
        source=iv.source,
        warnings=notes,
    )


def _find(mapping: Mapping[str, Any], symbol: str) -> str:
    import nernst

    for k in mapping:
        if nernst.ions.resolve(k) == symbol:
            return k
    raise ValueError(f"no concentration given for ion {symbol!r}")


def fit_ghk_curves(
    curves: Sequence[IVCurve],
    *,
    permeant: Sequence[str],
    c_in: Sequence[Mapping[str, float]],
    c_out: Sequence[Mapping[str, float]],
    celsius: float = 22.0,
    warn: bool = True,
) -> dict[str, Any]:
    """Joint GHK fit of I-V curves in several solutions (shared amplitude and ratios).

    The engine of :func:`reversal_potential` (``method="ghk"``) and of
    :func:`nernst.recordings.fit_ghk_iv`; returns a dict with ``ions``, ``ratios``,
    ``amplitude``, ``covariance`` (of ln A, ln p_2, ...), ``residuals`` (one array per
    curve), ``weighted``, ``dof``, ``model(j, v)``.
    """
    from scipy.optimize import least_squares

    import nernst

    names = [nernst.ions.resolve(k) for k in permeant]
    if len(set(names)) != len(names):
        raise ValueError(f"permeant={list(permeant)!r} names an ion twice")
    if not (len(curves) == len(c_in) == len(c_out)) or not curves:
        raise ValueError(
            f"give one c_in and one c_out per curve ({len(curves)} curves, {len(c_in)} c_in, "
            f"{len(c_out)} c_out)"
        )
    basis = []
    for j, curve in enumerate(curves):
        cin = {nernst.ions.resolve(k): float(v) for k, v in c_in[j].items()}
        cout = {nernst.ions.resolve(k): float(v) for k, v in c_out[j].items()}
        cols = []
        for name in names:
            if name not in cin or name not in cout:
                raise ValueError(
                    f"curve {j}: give c_in and c_out for permeant ion {name!r} (0 if absent)"
                )
            cols.append(
                np.asarray(
                    nernst.ghk_current(
                        curve.v,
                        name,
                        permeability=1.0,
                        c_in=cin[name],
                        c_out=cout[name],
                        celsius=celsius,
                    ),
                    float,
                )
            )
        basis.append(np.stack(cols, axis=-1))
    y = np.concatenate([c.i for c in curves])
    s = np.concatenate([c.i_se for c in curves])
    B = np.concatenate(basis)
    weighted = _has_errors(s, y)
    w = 1.0 / s if weighted else np.ones_like(y)
    q = len(names)
    if y.size < q:
        raise ValueError(f"{y.size} points cannot determine {q} GHK parameters")

    def model_all(theta: np.ndarray) -> np.ndarray:
        p = np.r_[1.0, np.exp(theta[1:])]
        return math.exp(theta[0]) * (B @ p)

    # Start: linear least squares of I = sum_k a_k i_k, then logs of the positive parts.
    a, *_ = np.linalg.lstsq(B * w[:, None], y * w, rcond=None)
    a0 = a[0] if a[0] > 0 else float(np.abs(a).max() or 1.0)
    theta0 = np.r_[
        math.log(a0), np.log(np.clip(np.where(a[1:] > 0, a[1:], 1e-3 * a0) / a0, 1e-8, 1e8))
    ]
    res = least_squares(lambda th: (model_all(th) - y) * w, theta0, method="lm", xtol=1e-12)
    theta = res.x
    resid = y - model_all(theta)
    J = res.jac
    dof = y.size - q
    try:
        inv = np.linalg.inv(J.T @ J)
    except np.linalg.LinAlgError:
        inv = np.full((q, q), np.inf)
    if weighted:
        cov = inv
        if dof > 0:
            from scipy.stats import chi2 as chi2_dist

            chi2 = float(np.sum((resid * w) ** 2))
            cov = inv * max(1.0, chi2 / dof)  # Birge ratio, as in reversal_potential
            if chi2_dist.sf(chi2, dof) < 0.001:
                if warn:
                    warnings.warn(
                        f"the GHK model misses the data (chi^2 = {chi2:.3g} for {dof} dof); "
                        "the SEs are scaled by sqrt(chi^2/dof)",
                        RuntimeWarning,
                        stacklevel=2,
                    )
    else:
        cov = inv * float(resid @ resid) / dof if dof > 0 else np.full((q, q), np.inf)
    splits = np.cumsum([c.v.size for c in curves])[:-1]
    ratios = {
        names[0]: 1.0,
        **{k: float(math.exp(t)) for k, t in zip(names[1:], theta[1:], strict=True)},
    }

    def model(j: int, v: Any) -> Any:
        p = np.r_[1.0, np.exp(theta[1:])]
        cin = {nernst.ions.resolve(k): float(x) for k, x in c_in[j].items()}
        cout = {nernst.ions.resolve(k): float(x) for k, x in c_out[j].items()}
        total = 0.0
        for pk, name in zip(p, names, strict=True):
            total = total + pk * np.asarray(
                nernst.ghk_current(
                    v, name, permeability=1.0, c_in=cin[name], c_out=cout[name], celsius=celsius
                )
            )
        return math.exp(theta[0]) * total

    return {
        "ions": names,
        "ratios": ratios,
        "amplitude": float(math.exp(theta[0])),
        "theta": theta,
        "covariance": cov,
        "residuals": np.split(resid, splits),
        "weighted": weighted,
        "dof": dof,
        "success": bool(res.success),
        "model": model,
    }
