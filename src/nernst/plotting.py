"""Figures of nernst results (matplotlib, optional: ``pip install 'nernst[plot]'``).

Every function returns a :class:`matplotlib.figure.Figure` built without pyplot, so nothing
touches a global figure manager or needs a display; save it with ``fig.savefig("x.png")``
(PNG, SVG, PDF by suffix) or show it in Jupyter. matplotlib is imported inside the
functions, so ``import nernst`` never loads it. No physics here: the numbers come from the
result objects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from nernst.dynamics import Simulation
    from nernst.hh import ActionPotential

__all__ = ["plot_action_potential", "plot_time_course", "time_unit"]

#: Time units for the x axis, largest first: (name, seconds).
_TIME_UNITS = (("h", 3600.0), ("min", 60.0), ("s", 1.0), ("ms", 1e-3), ("us", 1e-6))


def time_unit(span: float) -> tuple[str, float]:
    """A readable unit for a time span: the largest unit with at least 2 of it in ``span``.

    Parameters
    ----------
    span : float
        Time span. [s]

    Returns
    -------
    (name, seconds) : tuple of str and float

    Examples
    --------
    >>> time_unit(0.05), time_unit(7200.0)
    (('ms', 0.001), ('h', 3600.0))
    """
    for name, seconds in _TIME_UNITS:
        if span >= 2 * seconds:
            return name, seconds
    return _TIME_UNITS[-1]


def _figure(**kwargs: Any) -> Figure:
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("plotting needs matplotlib: pip install 'nernst[plot]'") from None
    return Figure(**kwargs)


def plot_time_course(
    result: Simulation,
    /,
    *,
    ions: list[str] | None = None,
    log_time: bool = False,
    unit: str | None = None,
    show_nernst: bool = True,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Membrane potential and internal concentrations of a simulation against time.

    Panels, top to bottom: V(t) [mV] with the target potential (dashed) and, if
    ``show_nernst``, each permeant ion's final Nernst potential (dotted); the inside
    concentration of each ion [mM] (log scale); and, when the volume changes (pump-leak
    model), the volume relative to the start. Perturbation times are marked by vertical lines.

    Parameters
    ----------
    result : nernst.dynamics.Simulation
        From :func:`nernst.dynamics.simulate` (or ``Cell.simulate``).
    ions : list of str, optional
        Ions to draw in the concentration panel; default all.
    log_time : bool, default False
        Logarithmic time axis (shows the millisecond settling and the hour-long drift of the
        approach to Donnan equilibrium in one picture); t = 0 is dropped.
    unit : {"us", "ms", "s", "min", "h"}, optional
        Time unit; default chosen from the time span (seconds on a log axis).
    show_nernst : bool, default True
        Draw each permeant ion's Nernst potential at the end of the run.
    title : str, optional
        Figure title; default names the model and the perturbations.
    figsize : (float, float), optional
        Figure size in inches.

    Returns
    -------
    matplotlib.figure.Figure
        Axes in ``fig.axes``: [V, concentrations(, volume)]. Line labels are the ion symbols,
        "V" and "volume".
    """
    from nernst.nernst import equilibrium_potential

    t = np.asarray(result.t, dtype=float)
    if unit is None:
        name, seconds = ("s", 1.0) if log_time else time_unit(float(t[-1] - t[0]))
    else:
        table = dict(_TIME_UNITS)
        if unit not in table:
            raise ValueError(f"unit={unit!r}: use one of {', '.join(table)}")
        name, seconds = unit, table[unit]
    keep = t > 0 if log_time else np.ones(t.shape, dtype=bool)
    x = t[keep] / seconds
    chosen = list(result.ions) if ions is None else [_resolve(i, result.ions) for i in ions]
    volume_changes = bool(np.ptp(result.volume) > 1e-9 * abs(float(result.volume[0])))
    rows = 3 if volume_changes else 2
    fig = _figure(figsize=figsize or (7.0, 2.4 * rows + 0.6), layout="constrained")
    axes = fig.subplots(rows, 1, sharex=True)
    ax_v, ax_c = axes[0], axes[1]

    ax_v.plot(x, result.V[keep], color="black", lw=1.6, label="V")
    # Every horizontal line gets a legend entry that says what it is and its value, and a
    # label on the line itself (right edge) unless it would overlap one already written.
    legend: list[tuple[Any, str]] = [(ax_v.get_lines()[-1], "V(t)")]
    levels: list[tuple[float, str, str]] = []
    if result.target is not None:
        line = ax_v.axhline(result.target, color="tab:gray", ls="--", lw=1, label="target")
        what = "GHK V_rest at start" if result.model == "approach" else "target"
        legend.append((line, f"{what} {result.target:+.1f} mV"))
        levels.append(
            (result.target, "tab:gray", "V_rest" if result.model == "approach" else "target")
        )
    if show_nernst:
        for k, ion in enumerate(result.ions):
            if result.permeability.get(ion, 0.0) > 0:
                E0, E1 = (
                    float(
                        equilibrium_potential(
                            ion,
                            c_in=result.c_in[ion][i],
                            c_out=result.c_out[ion][i],
                            celsius=result.celsius,
                        )
                    )
                    for i in (0, -1)
                )
                if abs(E1 - E0) >= 0.05:
                    line = ax_v.axhline(
                        E0, color=f"C{k}", ls="--", lw=0.8, alpha=0.6, label=f"E({ion}) start"
                    )
                    legend.append((line, f"E({ion}) at start {E0:+.1f} mV"))
                    levels.append((E0, f"C{k}", f"E({ion}) start"))
                    tag = f"E({ion}) at end {E1:+.1f} mV"
                else:
                    tag = f"E({ion}) {E1:+.1f} mV (start and end)"
                line = ax_v.axhline(E1, color=f"C{k}", ls=":", lw=1.2, label=f"E({ion})")
                legend.append((line, tag))
                levels.append(
                    (E1, f"C{k}", f"E({ion}) end" if abs(E1 - E0) >= 0.05 else f"E({ion})")
                )
    ax_v.set_ylabel("V (mV)")
    ax_v.legend(
        [h for h, _ in legend], [t for _, t in legend], loc="best", fontsize="x-small", ncols=2
    )
    _label_levels(ax_v, levels)

    for ion in chosen:
        k = result.ions.index(ion)
        ax_c.plot(x, result.c_in[ion][keep], color=f"C{k}", label=ion)
    ax_c.set_yscale("log")
    ax_c.set_ylabel("inside (mM)")
    ax_c.legend(loc="best", fontsize="small", ncols=2)

    if volume_changes:
        ax_w = axes[2]
        ax_w.plot(x, result.volume[keep] / result.volume[0], color="tab:brown", label="volume")
        ax_w.set_ylabel("volume / start")
    for ax in axes:
        ax.grid(True, alpha=0.3)
        if log_time:
            ax.set_xscale("log")
        for when in _perturbation_times(result):
            if when > 0 or not log_time:
                ax.axvline(when / seconds, color="tab:red", lw=0.8, alpha=0.6)
    axes[-1].set_xlabel(f"time ({name})")
    fig.suptitle(title if title is not None else _title(result))
    return fig


def _label_levels(ax: Any, levels: list[tuple[float, str, str]]) -> None:
    """Write each horizontal line's name at the right edge, skipping ones that would overlap."""
    from matplotlib.transforms import blended_transform_factory

    if not levels:
        return
    low, high = ax.get_ylim()
    values = [y for y, _, _ in levels]
    low, high = min(low, *values), max(high, *values)
    ax.set_ylim(low, high)
    gap = 0.06 * (high - low or 1.0)
    where = blended_transform_factory(ax.transAxes, ax.transData)
    groups: list[list[tuple[float, str, str]]] = []
    for level in sorted(levels):
        if groups and level[0] - groups[-1][0][0] < gap:
            groups[-1].append(level)
        else:
            groups.append([level])
    for group in groups:
        colors = {c for _, c, _ in group}
        text = ", ".join(t for _, _, t in group)
        y = sum(v for v, _, _ in group) / len(group)
        color = colors.pop() if len(colors) == 1 else "black"
        ax.text(1.005, y, text, transform=where, color=color, fontsize="x-small", va="center")


def _resolve(ion: str, known: tuple[str, ...]) -> str:
    from nernst.ions import ions as table

    symbol = table.resolve(ion)
    if symbol not in known:
        raise ValueError(f"ions: {symbol} is not in this simulation ({', '.join(known)})")
    return symbol


def _perturbation_times(result: Simulation) -> list[float]:
    t = np.asarray(result.t)
    repeated = np.nonzero(np.diff(t) == 0)[0]
    return [float(t[i]) for i in repeated]


def _title(result: Simulation) -> str:
    label = {"approach": "Approach to equilibrium", "pump-leak": "Pump-leak model"}.get(
        result.model, result.model
    )
    if result.perturbations:
        label += ": " + ", ".join(result.perturbations)
    return label


def plot_action_potential(result: ActionPotential, *, currents: bool = True) -> Figure:
    """V(t) of a Hodgkin-Huxley run with E_Na, E_K and V_rest drawn and named, and currents.

    Parameters
    ----------
    result : nernst.ActionPotential
        From :func:`nernst.simulate_hh`.
    currents : bool, default True
        Add a second panel with the Na+, K+ and leak currents [mA/cm^2] and the gates.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import nernst
    >>> ap = nernst.simulate_hh(stimulus="10uA/cm2@5ms:1ms", until="20ms", dt="20us")
    >>> fig = plot_action_potential(ap)
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()][:3]
    ['V_m', 'E_Na = 50.0 mV', 'E_K = -77.0 mV']
    """
    m = result.membrane
    fig = _figure(figsize=(7.0, 6.0 if currents else 3.6))
    axes = fig.subplots(3 if currents else 1, 1, sharex=True, squeeze=False)[:, 0]
    t_ms = result.t * 1e3
    ax = axes[0]
    ax.plot(t_ms, result.V, color="k", lw=1.5, label="V_m")
    for value, name, style in (
        (m.ena, "E_Na", dict(color="tab:red", ls="--")),
        (m.ek, "E_K", dict(color="tab:blue", ls="--")),
        (result.v_rest, "V_rest", dict(color="0.4", ls=":")),
    ):
        ax.axhline(value, lw=1, label=f"{name} = {value:.1f} mV", **style)
        ax.annotate(
            name,
            (t_ms[-1], value),
            xytext=(-4, 3),
            textcoords="offset points",
            ha="right",
            fontsize=8,
            color=style["color"],
        )
    if result.peak is not None:
        ax.plot(t_ms[np.argmax(result.V)], result.peak, "v", color="tab:red", ms=5)
    ax.set_ylabel("V [mV]")
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title(
        f"Hodgkin-Huxley membrane, {m.celsius:g} degC: {result.n_spikes} spike(s)", fontsize=10
    )
    if currents:
        ax = axes[1]
        for key, color in (("Na+", "tab:red"), ("K+", "tab:blue"), ("leak", "0.5")):
            ax.plot(t_ms, result.currents[key], color=color, lw=1, label=f"I_{key}")
        ax.axhline(0, color="0.8", lw=0.8)
        ax.set_ylabel("I [mA/cm^2]\n(outward +)")
        ax.legend(loc="upper right", fontsize=8)
        ax = axes[2]
        for key, color in (("m", "tab:orange"), ("h", "tab:green"), ("n", "tab:purple")):
            ax.plot(t_ms, result.gates[key], color=color, lw=1, label=key)
        ax.set_ylim(0, 1)
        ax.set_ylabel("gate")
        ax.legend(loc="upper right", fontsize=8)
    axes[-1].set_xlabel("t [ms]")
    return fig
