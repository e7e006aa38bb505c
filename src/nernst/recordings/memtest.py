"""Membrane test: series resistance, membrane resistance, capacitance and holding current.

The cell in whole-cell voltage clamp is a series resistance R_s (pipette and access) in series
with the membrane, a resistance R_m in parallel with a capacitance C_m. A command step of
height dV from the holding level draws the current

.. math::

    I(t) = I_{hold} + \\frac{\\Delta V}{R_s + R_m}
           + \\Delta V \\frac{R_m}{R_s (R_s + R_m)} e^{-t/\\tau},
    \\qquad \\tau = C_m \\frac{R_s R_m}{R_s + R_m},

so the current just after the step gives R_s, the steady state R_s + R_m and the decay time
constant C_m. The analysis fits the exponential to the decay and extrapolates it back to the
step onset (the sampled peak is smeared by the amplifier's filter), the method of Clampex's
Membrane Test.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nernst.recordings._results import ResultMixin
from nernst.recordings.recording import LEVEL_TOLERANCE_MV, Epoch, Recording

__all__ = ["MembraneTest", "membrane_test"]

#: Fraction of the step averaged for the steady-state current (its end).
STEADY_FRACTION = 0.2
#: Fraction of the preceding epoch averaged for the holding current (its end).
BASELINE_FRACTION = 0.5
#: The decay is fitted over this many initial time-constant estimates after the peak.
FIT_TAUS = 8.0
#: The fit starts where the transient has decayed to this fraction of its peak.
FIT_FROM = 0.8
#: Fewest samples in the exponential fit.
MIN_FIT_SAMPLES = 4


@dataclass(frozen=True)
class MembraneTest(ResultMixin):
    """Result of :func:`membrane_test`.

    Attributes
    ----------
    r_s, r_m : float
        Series (access) resistance and membrane resistance, from the mean sweep. [MOhm]
    c_m : float
        Membrane capacitance, from the mean sweep. [pF]
    tau : float
        Time constant of the capacitive transient. [ms]
    i_hold : float
        Holding current before the step. [pA]
    delta_v : float
        Height of the command step. [mV]
    i_peak, i_steady : float
        Current at the step onset (the fit extrapolated back) and at steady state, both
        relative to ``i_hold``. [pA]
    per_sweep : dict of str to ndarray
        The same quantities from each sweep alone (``r_s``, ``r_m``, ``c_m``, ``tau``,
        ``i_hold``).
    standard_errors : dict of str to float
        Standard error across sweeps (SD / sqrt(n); inf for one sweep).
    step_start, step_stop : float
        The step analysed. [s]
    fit_window : tuple of float
        Samples fitted with the exponential, as times from the step onset. [ms]
    fit_rms : float
        RMS residual of the exponential fit on the mean sweep. [pA]
    n_sweeps : int
    onset_delay : float
        Time zero of the extrapolation after the command onset: where the recorded edge
        reaches half its height (the filter's delay), 0 for an unfiltered edge. [ms]
    source : str
        The recording's file.
    warnings : list of str
    """

    r_s: float
    r_m: float
    c_m: float
    tau: float
    i_hold: float
    delta_v: float
    i_peak: float
    i_steady: float
    per_sweep: dict[str, np.ndarray]
    standard_errors: dict[str, float]
    step_start: float
    step_stop: float
    fit_window: tuple[float, float]
    fit_rms: float
    n_sweeps: int
    onset_delay: float = 0.0
    source: str = ""
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dict (JSON-ready)."""
        return {
            "R_s_MOhm": self.r_s,
            "R_m_MOhm": self.r_m,
            "C_m_pF": self.c_m,
            "tau_ms": self.tau,
            "I_hold_pA": self.i_hold,
            "delta_V_mV": self.delta_v,
            "I_peak_pA": self.i_peak,
            "I_steady_pA": self.i_steady,
            "standard_errors": dict(self.standard_errors),
            "per_sweep": {k: v.tolist() for k, v in self.per_sweep.items()},
            "step_s": [self.step_start, self.step_stop],
            "fit_window_ms": list(self.fit_window),
            "fit_rms_pA": self.fit_rms,
            "onset_delay_ms": self.onset_delay,
            "n_sweeps": self.n_sweeps,
            "source": self.source,
            "warnings": list(self.warnings),
            "method": "exponential fit of the capacitive transient, extrapolated to the step "
            "onset; R_s = dV/I_peak, R_s + R_m = dV/I_steady, C_m = tau (R_s + R_m)/(R_s R_m)",
            "units": {"R": "MOhm", "C": "pF", "tau": "ms", "I": "pA", "V": "mV"},
        }

    def table(self) -> list[dict[str, Any]]:
        """One row per sweep."""
        return [
            {"sweep": k, **{name: float(v[k]) for name, v in self.per_sweep.items()}}
            for k in range(self.n_sweeps)
        ]

    def explain(self) -> list[str]:
        """The numbers and how they were found."""
        se = self.standard_errors
        lines = [
            f"Membrane test of {self.source or 'the recording'}: {self.n_sweeps} sweep(s), "
            f"step of {self.delta_v:+g} mV at {self.step_start:g}-{self.step_stop:g} s",
            f"  R_s = {self.r_s:.4g} MOhm (+- {se['r_s']:.2g})",
            f"  R_m = {self.r_m:.4g} MOhm (+- {se['r_m']:.2g})",
            f"  C_m = {self.c_m:.4g} pF (+- {se['c_m']:.2g})",
            f"  tau = {self.tau:.4g} ms, I_hold = {self.i_hold:.4g} pA",
            f"  I_peak = {self.i_peak:.4g} pA (fit extrapolated to the onset, "
            f"{self.onset_delay:.3g} ms after the command: the edge's half-height), "
            f"I_steady = {self.i_steady:.4g} pA (last {STEADY_FRACTION:.0%} of the step)",
            "  R_s = dV / I_peak; R_s + R_m = dV / I_steady; C_m = tau (R_s + R_m) / (R_s R_m)",
            f"  exponential fitted over {self.fit_window[0]:.3g}-{self.fit_window[1]:.3g} ms "
            f"after the onset (RMS residual {self.fit_rms:.3g} pA); +- is the SE across sweeps",
        ]
        return lines + [f"  warning: {w}" for w in self.warnings]


def _step_epoch(rec: Recording) -> tuple[Epoch, Epoch]:
    for before, epoch in zip(rec.epochs[:-1], rec.epochs[1:], strict=True):
        if epoch.kind == "step" and before.kind == "step":
            dv = epoch.levels - before.end_levels
            if np.all(np.abs(dv) > LEVEL_TOLERANCE_MV):
                return before, epoch
    raise ValueError(
        f"{rec.source or 'the recording'} has no command step from a constant level "
        "(epochs: "
        + ", ".join(f"{e.kind} {e.levels[0]:g} mV" for e in rec.epochs)
        + "); a membrane test needs a voltage step, e.g. -10 mV from the holding potential"
    )


def _analyse(y: np.ndarray, before: slice, step: slice, dv: float, fs: float) -> dict[str, float]:
    from scipy.optimize import least_squares

    base = y[before]
    i_hold = float(np.mean(base))
    seg = y[step]
    n = seg.size
    n_ss = max(1, int(n * STEADY_FRACTION))
    i_ss = float(np.mean(seg[-n_ss:]))
    d = seg - i_ss
    search = max(MIN_FIT_SAMPLES, int(n * 0.2))
    sign = math.copysign(1.0, dv)
    k_peak = int(np.argmax(sign * d[:search]))
    peak = sign * d[k_peak]
    if peak <= 0:
        raise ValueError("no capacitive transient: the current does not jump with the step")
    below = np.nonzero(sign * d[k_peak:] < peak / math.e)[0]
    tau_guess = (below[0] if below.size else max(2, n // 10)) / fs
    k_end = min(n - n_ss, k_peak + max(MIN_FIT_SAMPLES, int(FIT_TAUS * tau_guess * fs)))
    k_end = max(k_end, k_peak + MIN_FIT_SAMPLES)
    # Time zero: the command onset, or later where the recorded edge reaches half its
    # height (the amplifier's filter delays the edge; for a linear-phase filter the delay of
    # the half-height point is its group delay).
    t_zero = 0.0
    edge = sign * (y[step.start - 1 : step.start + k_peak + 1] - i_hold)
    height = sign * (seg[k_peak] - i_hold)
    above = np.nonzero(edge >= height / 2)[0]
    if above.size and above[0] > 0:
        j = int(above[0])
        frac = (height / 2 - edge[j - 1]) / (edge[j] - edge[j - 1])
        t_zero = max(0.0, (j - 1 + frac - 1) / fs)
    # The first samples after the peak still carry the filter's ringing: fit from where the
    # transient has decayed to FIT_FROM of its peak.
    k_fit = k_peak + int(np.nonzero(sign * d[k_peak:] <= FIT_FROM * peak)[0][0])
    k_end = max(k_end, k_fit + MIN_FIT_SAMPLES)
    t = np.arange(k_fit, k_end) / fs - t_zero
    obs = d[k_fit:k_end]

    def resid(theta: np.ndarray) -> np.ndarray:
        amp, log_tau = theta
        return amp * np.exp(-t / math.exp(log_tau)) - obs

    a0 = float(d[k_fit]) * math.exp(t[0] / tau_guess)
    fit = least_squares(resid, [a0, math.log(tau_guess)], method="lm")
    amp, tau = float(fit.x[0]), math.exp(float(fit.x[1]))
    rms = float(np.sqrt(np.mean(fit.fun**2)))
    i_peak = i_ss - i_hold + amp
    i_steady = i_ss - i_hold
    r_s = dv / i_peak * 1e3  # mV / pA = GOhm
    r_total = dv / i_steady * 1e3
    r_m = r_total - r_s
    c_m = tau * 1e3 * (r_s + r_m) / (r_s * r_m) * 1e3  # ms/MOhm = nF -> pF
    return {
        "r_s": r_s,
        "r_m": r_m,
        "c_m": c_m,
        "tau": tau * 1e3,
        "i_hold": i_hold,
        "i_peak": i_peak,
        "i_steady": i_steady,
        "onset_delay": t_zero * 1e3,
        "fit_start": k_fit / fs * 1e3,
        "fit_stop": (k_end - 1) / fs * 1e3,
        "rms": rms,
    }


def membrane_test(recording: Recording, /) -> MembraneTest:
    r"""Series resistance, membrane resistance, capacitance and holding current from a step.

    The first command step from a constant level is analysed, on the sweep average (the
    reported values) and on every sweep (for the standard errors). With :math:`I_{hold}` the
    mean current over the last half of the epoch before the step and :math:`I_{ss}` the mean
    over the last 20 % of the step, the decay :math:`I(t) - I_{ss} = A e^{-t/\tau}` is fitted
    (:func:`scipy.optimize.least_squares`, Levenberg-Marquardt) from the peak over about
    8 time constants, with t from the step onset, and extrapolated back to it. The onset is
    the command's, or later where the recorded edge reaches half its height: the
    amplifier's low-pass filter delays and smears the edge, and for a (near) linear-phase
    filter such as the usual 4-pole Bessel the half-height point lags by the group delay.
    Then

    .. math::

        R_s = \frac{\Delta V}{I_{ss} + A - I_{hold}}, \qquad
        R_s + R_m = \frac{\Delta V}{I_{ss} - I_{hold}}, \qquad
        C_m = \tau \frac{R_s + R_m}{R_s R_m},

    exact for a cell that is R_s in series with R_m parallel to C_m (the equations of
    Gillis 1995, ch. 7).

    Parameters
    ----------
    recording : Recording
        A voltage-clamp recording with a step protocol (e.g. Clampex's "memtest").

    Returns
    -------
    MembraneTest
        R_s and R_m [MOhm], C_m [pF], tau [ms], I_hold [pA], per-sweep values and their SEs.

    Raises
    ------
    ValueError
        A current-clamp recording, no command step, no capacitive transient, a fit that
        gives a negative resistance or capacitance.

    Examples
    --------
    A synthetic cell of R_s = 10 MOhm, R_m = 500 MOhm, C_m = 100 pF:

    >>> from nernst.recordings import synthetic_membrane_test
    >>> mt = membrane_test(synthetic_membrane_test(r_s=10, r_m=500, c_m=100))
    >>> round(mt.r_s, 2), round(mt.r_m, 1), round(mt.c_m, 1)
    (10.0, 500.0, 100.0)

    References
    ----------
    .. [1] Gillis K.D. (1995) Techniques for membrane capacitance measurements. In: Sakmann
       B., Neher E. (eds) Single-Channel Recording, 2nd ed., Springer, ch. 7, pp. 155-198.
       https://doi.org/10.1007/978-1-4419-1229-9_7
    .. [2] Axon Instruments / Molecular Devices (2016) pCLAMP 10 Data Acquisition and Analysis
       User Guide, "Membrane Test".
    """
    rec = recording
    rec.require_voltage_clamp("membrane_test")
    before, step = _step_epoch(rec)
    n_before = before.stop - before.start
    s_before = slice(before.stop - max(1, int(n_before * BASELINE_FRACTION)), before.stop)
    s_step = slice(step.start, step.stop)
    dvs = step.levels - before.end_levels
    dv = float(np.mean(dvs))
    fs = rec.sampling_rate
    mean = _analyse(np.mean(rec.signal, axis=0), s_before, s_step, dv, fs)
    names = ("r_s", "r_m", "c_m", "tau", "i_hold")
    per: dict[str, list[float]] = {k: [] for k in names}
    notes: list[str] = []
    for k in range(rec.n_sweeps):
        try:
            one = _analyse(rec.signal[k], s_before, s_step, float(dvs[k]), fs)
        except ValueError as err:
            notes.append(f"sweep {k}: {err}")
            one = dict.fromkeys(names, math.nan)
        for name in names:
            per[name].append(one[name])
    per_arr = {k: np.array(v) for k, v in per.items()}
    ses: dict[str, float] = {}
    for key, v in per_arr.items():
        ok = v[np.isfinite(v)]
        ses[key] = float(np.std(ok, ddof=1) / math.sqrt(ok.size)) if ok.size > 1 else math.inf
    for name, label in (("r_s", "R_s"), ("r_m", "R_m"), ("c_m", "C_m")):
        if not mean[name] > 0:
            raise ValueError(
                f"the membrane test gives {label} = {mean[name]:.4g} (not positive): the step "
                "response is not that of a cell (R_s in series with R_m || C_m); check that "
                "the recording is a membrane test in whole-cell voltage clamp"
            )
    if mean["fit_stop"] - mean["fit_start"] < 3 * 1e3 / fs:
        notes.append(
            f"the transient decays within a few samples (tau = {mean['tau']:.3g} ms at "
            f"{fs:g} Hz): R_s and C_m are uncertain; record the membrane test at a higher rate"
        )
    if mean["tau"] < 2 * 1e3 / fs:
        notes.append(
            f"tau = {mean['tau']:.3g} ms is under two sample intervals: the extrapolated peak, "
            "and so R_s and C_m, depend on the amplifier's filter"
        )
    for note in notes:
        warnings.warn(note, RuntimeWarning, stacklevel=2)
    return MembraneTest(
        r_s=mean["r_s"],
        r_m=mean["r_m"],
        c_m=mean["c_m"],
        tau=mean["tau"],
        i_hold=mean["i_hold"],
        delta_v=dv,
        i_peak=mean["i_peak"],
        i_steady=mean["i_steady"],
        per_sweep=per_arr,
        standard_errors=ses,
        step_start=step.start / fs,
        step_stop=step.stop / fs,
        fit_window=(mean["fit_start"], mean["fit_stop"]),
        fit_rms=mean["rms"],
        n_sweeps=rec.n_sweeps,
        onset_delay=mean["onset_delay"],
        source=rec.source,
        warnings=notes,
    )
