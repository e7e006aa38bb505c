"""Figures of a recording analysis (matplotlib, optional: ``pip install 'nernst[plot]'``).

Built without pyplot (as :mod:`nernst.plotting`), so nothing needs a display; save with
``fig.savefig("iv.png")``. No physics here: every number comes from the result objects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from nernst.recordings.iv import IVCurve, ReversalPotential
    from nernst.recordings.recording import Recording

__all__ = ["plot_iv"]


def plot_iv(
    recording: Recording,
    iv: IVCurve,
    reversal: ReversalPotential | None = None,
    /,
    *,
    figsize: tuple[float, float] = (10.0, 4.0),
) -> Figure:
    """Raw sweeps with the analysis window shaded, and the corrected I-V with V_rev marked.

    Parameters
    ----------
    recording : Recording
        The sweeps (current [pA] against time [s]).
    iv : IVCurve
        From :func:`nernst.recordings.iv_curve` on ``recording``.
    reversal : ReversalPotential, optional
        From :func:`nernst.recordings.reversal_potential`; its fitted line or curve (linear
        and polynomial methods) is drawn over the points it used, and V_rev is marked with
        its 95 % interval.
    figsize : (float, float)
        [inch]

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from nernst.recordings import iv_curve, reversal_potential, synthetic_iv_recording
    >>> rec = synthetic_iv_recording(permeability={"K+": 1e-6}, c_in={"K+": 140},
    ...                              c_out={"K+": 140}, levels=[-20, -10, 10, 20])
    >>> iv = iv_curve(rec)
    >>> fig = plot_iv(rec, iv, reversal_potential(iv))
    >>> [ax.get_xlabel() for ax in fig.axes]
    ['time [s]', 'V_m [mV]']
    """
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("plotting needs matplotlib: pip install 'nernst[plot]'") from None
    fig = Figure(figsize=figsize, layout="constrained")
    ax_t, ax_iv = fig.subplots(1, 2)
    step = max(1, recording.n_samples // 4000)
    for k in range(recording.n_sweeps):
        ax_t.plot(recording.time[::step], recording.signal[k, ::step], lw=0.6, color="0.3")
    ax_t.axvspan(*iv.window, color="tab:orange", alpha=0.25, label="analysis window")
    ax_t.set_xlabel("time [s]")
    ax_t.set_ylabel("current [pA]")
    ax_t.legend(loc="best", fontsize="small")
    ax_t.set_title(recording.protocol or recording.source or "recording", fontsize="medium")
    marker: dict[str, Any] = {"ms": 2, "lw": 0} if iv.kind == "ramp" else {"ms": 5, "lw": 1}
    ax_iv.errorbar(
        iv.v, iv.i, yerr=np.nan_to_num(iv.i_se), fmt="o", color="tab:blue", label="I-V", **marker
    )
    ax_iv.axhline(0.0, color="0.6", lw=0.8)
    if reversal is not None:
        coef = reversal.coefficients
        if all(k.startswith("c") and k[1:].isdigit() for k in coef):
            lo, hi = reversal.v_range
            if reversal.v_rev is not None:
                lo, hi = min(lo, reversal.v_rev), max(hi, reversal.v_rev)
            x = np.linspace(lo, hi, 200)
            c = [coef[f"c{k}"] for k in range(len(coef))]
            ax_iv.plot(x, np.polyval(c[::-1], x), color="tab:red", lw=1.2, label=reversal.method)
        if reversal.v_rev is not None:
            tag = " (extrapolated)" if reversal.extrapolated else ""
            ax_iv.axvline(
                reversal.v_rev,
                color="tab:red",
                ls="--",
                label=f"V_rev = {reversal.v_rev:+.1f} +- {reversal.se:.1f} mV{tag}",
            )
            if np.isfinite(reversal.se):
                ax_iv.axvspan(*reversal.ci95, color="tab:red", alpha=0.1)
    ax_iv.set_xlabel("V_m [mV]")
    ax_iv.set_ylabel("current [pA]")
    ax_iv.legend(loc="best", fontsize="small")
    ax_iv.set_title("I-V (V = V_in - V_out, outward positive)", fontsize="medium")
    return fig
