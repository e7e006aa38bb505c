"""Dynamics tab: watch a cell build up its resting potential, and lose it when the pump stops.

Choose a preset cell (``nernst.presets()``) or the cell of the GHK tab, and a scenario:

* the approach to equilibrium from 0 mV (:func:`nernst.dynamics.simulate`, model
  ``"approach"``) with K+ as the only permeant ion (the seed chapter's neuron permeable only
  to X+: V ends at E_K) or with every permeant ion of the cell (V ends at the GHK potential);
* the pump-leak model (model ``"pump-leak"``, starting at its steady state) with a step at
  t0 = duration / 10: the Na+/K+ pump blocked (ouabain), external K+ multiplied, or the Na+
  permeability multiplied.

The run is one server callback (a few tenths of a second; the solver is stopped after
:data:`RUN_BUDGET_S` of computing and an inline message says so). The time course is sampled
on a grid of :data:`N_FRAMES` equally spaced times (``t_eval``, so every point is the
solver's own value), and the browser animates it without further requests: a play/pause
button and a slider move a cursor along V(t) and the concentrations while the potential at
the cursor is shown as a number. Next to the plots: the final V against its target (E_K or
the GHK potential), the membrane time constant, the time to reach the target, and the number
and fraction of each ion that crossed the membrane; for the pump-leak model the steady state
after the step (:func:`nernst.dynamics.pump_leak_steady_state`) and the volume change.
Every number comes from :mod:`nernst.dynamics` and the nernst API.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from typing import Any

from dash import Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate

from nernst.app.layout import GRAPH_CONFIG, TabSpec, attrs, state_query, value_span
from nernst.app.scenario import first, number_text, parse_number, parse_query

__all__ = [
    "OUTPUTS",
    "SCENARIOS",
    "TAB",
    "compute_dynamics",
    "dynamics_state",
    "load_dynamics",
    "resolve_duration",
    "scenario_cell",
    "simulation_arguments",
    "to_query",
]

TAB_ID = "dynamics"
#: Preset-dropdown value that takes the cell from the GHK tab.
FROM_GHK = "ghk"

#: The scenarios, value -> label.
SCENARIOS = {
    "approach-k": "Approach to equilibrium from 0 mV, K+ the only permeant ion",
    "approach": "Approach to equilibrium from 0 mV, every permeant ion of the cell",
    "pump-block": "Pump-leak model: Na+/K+ pump blocked (ouabain) at t0",
    "k-step": "Pump-leak model: external K+ step at t0",
    "na-step": "Pump-leak model: Na+ permeability step at t0",
}
APPROACH = ("approach-k", "approach")
DEFAULT_SCENARIO = "approach-k"
#: Default step sizes: external K+ times 4 (5 -> 20 mM in the neuron), P_Na times 10.
DEFAULT_K_FACTOR = 4.0
DEFAULT_NA_FACTOR = 10.0
#: Largest step factor accepted.
MAX_FACTOR = 1000.0
#: "auto" duration of the approach scenarios, in membrane time constants: the potential is
#: within 0.01 mV of its target after about 8.5 tau (measured over the presets).
AUTO_TAUS = 12.0
#: "auto" duration of the pump-leak scenarios. [s]
AUTO_PUMP_LEAK = {"pump-block": 7200.0, "k-step": 600.0, "na-step": 600.0}
#: Longest simulated time accepted. [s]
MAX_DURATION = 86400.0
#: Shortest simulated time accepted. [s]
MIN_DURATION = 1e-6
#: Solver tolerances of the app's runs (``rtol``, and ``atol`` in mV of charge state): looser
#: than the library's defaults (1e-9, 1e-7 mV), which a plot does not need, and 5 to 100 times
#: faster on long pump-leak runs; V differs from a default-tolerance run by about 1e-5 mV.
RTOL = 1e-7
ATOL = 1e-5
#: Wall-clock time the ODE solver may take in one request before it is stopped. [s]
RUN_BUDGET_S = 1.5
#: The perturbation happens at this fraction of the duration.
STEP_AT = 0.1
#: Output times of a run (animation frames), equally spaced in time (or log time).
N_FRAMES = 400
#: The animation runs through the whole time course in about this many timer ticks.
ANIMATION_TICKS = 150
#: Timer tick of the animation. [ms]
TICK_MS = 50
#: Longest duration text kept from the URL or the input.
MAX_DURATION_CHARS = 24

#: Names of the values :func:`compute_dynamics` returns, in order.
OUTPUTS = (
    "error",
    "summary",
    "v_figure",
    "c_figure",
    "series",
    "frame_max",
    "frame_marks",
    "frame",
    "timer_disabled",
    "play_label",
)

PLAY = "▶ Play"
PAUSE = "❚❚ Pause"
_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf")


class _TooSlow(Exception):
    """The solver used up its wall-clock budget; ``args[0]`` is the fraction done."""


class _Budget:
    """``progress`` callback of :func:`nernst.dynamics.simulate` that stops a long run.

    The clock starts at the first call (the first right-hand-side evaluation), so imports and
    the model set-up do not count.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.start: float | None = None

    def __call__(self, fraction: float) -> None:
        now = time.perf_counter()
        if self.start is None:
            self.start = now
        elif fraction < 1.0 and now - self.start > self.seconds:
            raise _TooSlow(fraction)


# -- scenarios --------------------------------------------------------------------------------
def _default_preset() -> str:
    from nernst import presets

    return next(key for key, info in presets().items() if info["default"])


def scenario_cell(
    preset: str | None, scenario: str, ghk_state: Mapping[str, Any] | None = None
) -> Any:
    """The :class:`nernst.Cell` a run starts from (ValueError says what is wrong).

    ``preset`` is a preset key or ``"ghk"`` (the GHK tab's cell, from its state store). In
    the ``"approach-k"`` scenario every ion but K+ is made impermeant; K+ keeps its relative
    permeability (1 if it had none).
    """
    from nernst import Cell, presets

    if preset == FROM_GHK:
        if not ghk_state or not ghk_state.get("ions"):
            raise ValueError("The GHK tab has no valid cell yet: open it and build one first.")
        from nernst.app.ghk_tab import scenario_cell as ghk_cell

        cell = ghk_cell(ghk_state)
    elif preset in presets():
        cell = Cell.preset(preset)
    else:
        raise ValueError(f"Unknown cell {preset!r}: choose one from the list.")
    if scenario == "approach-k":
        if "K+" not in cell.c_in:
            raise ValueError(
                f"{cell.title} has no K+: choose 'every permeant ion' or another cell."
            )
        p_k = cell.permeability.get("K+", 0.0) or 1.0
        permeability = {ion: (p_k if ion == "K+" else 0.0) for ion in cell.c_in}
        cell = Cell(
            c_in=cell.c_in,
            c_out=cell.c_out,
            permeability=permeability,
            celsius=cell.celsius,
            title=f"{cell.title}, K+ only",
        )
    return cell


def resolve_duration(text: Any, cell: Any, scenario: str) -> float:
    """The simulated time in s from the duration text ("auto", "50ms", "2h", "3" = 3 s).

    "auto" is :data:`AUTO_TAUS` membrane time constants
    (:func:`nernst.dynamics.membrane_time_constant` with the absolute permeabilities the run
    uses) rounded up to 1, 2 or 5 times a power of ten, for the approach scenarios, and
    :data:`AUTO_PUMP_LEAK` for the pump-leak ones.
    """
    from nernst.dynamics import CAPACITANCE, P_REFERENCE, membrane_time_constant, parse_duration

    raw = str(text if text is not None else "").strip()
    if raw.lower() in ("", "auto"):
        if scenario not in APPROACH:
            return AUTO_PUMP_LEAK[scenario]
        permeant = {ion: p * P_REFERENCE for ion, p in cell.permeability.items() if p > 0}
        if not permeant:
            raise ValueError("No ion of this cell is permeant: nothing can cross the membrane.")
        tau_ms = float(
            membrane_time_constant(
                permeant,
                c_in={ion: cell.c_in[ion] for ion in permeant},
                c_out={ion: cell.c_out[ion] for ion in permeant},
                capacitance=CAPACITANCE,
                celsius=cell.celsius,
            )
        )
        return _nice_ceil(AUTO_TAUS * tau_ms * 1e-3)
    if len(raw) > MAX_DURATION_CHARS:
        raise ValueError("The duration is too long a text: write e.g. 50ms, 2s, 10min, 2h.")
    seconds = parse_duration(raw)
    if not MIN_DURATION <= seconds <= MAX_DURATION:
        raise ValueError(
            f"The duration must be between 1 µs and 1 day (24h); {raw!r} is {seconds:g} s."
        )
    return seconds


def _nice_ceil(x: float) -> float:
    """The smallest of 1, 2, 5 times a power of ten that is >= x (x > 0)."""
    exponent = math.floor(math.log10(x))
    for mantissa in (1.0, 2.0, 5.0, 10.0):
        value = float(f"{mantissa}e{exponent}")
        if value >= x * (1 - 1e-12):
            return value
    return float(f"1e{exponent + 1}")  # pragma: no cover - 10 * 10**e always qualifies


def simulation_arguments(
    scenario: str, until: float, k_factor: float, na_factor: float, axis: str
) -> dict[str, Any]:
    """Keyword arguments of :func:`nernst.dynamics.simulate` for a scenario (no cell)."""
    import numpy as np

    tolerances = {"rtol": RTOL, "atol": ATOL}
    if axis == "log":
        t_eval = np.concatenate([[0.0], np.geomspace(until * 1e-6, until, N_FRAMES)])
    else:
        t_eval = np.linspace(0.0, until, N_FRAMES + 1)
    if scenario in APPROACH:
        return {"model": "approach", "until": until, "t_eval": t_eval, **tolerances}
    at = f"@{number_text(STEP_AT * until)}s"
    step = {
        "pump-block": "pump-block",
        "k-step": f"k-out=x{number_text(k_factor)}",
        "na-step": f"perm:Na+=x{number_text(na_factor)}",
    }[scenario]
    return {
        "model": "pump-leak",
        "until": until,
        "perturb": [step + at],
        "t_eval": t_eval,
        **tolerances,
    }


def _factor(value: Any, name: str, *, zero_ok: bool) -> float:
    number = parse_number(value)
    low_ok = number is not None and (number >= 0 if zero_ok else number > 0)
    if number is None or not low_ok or number > MAX_FACTOR:
        bound = ">= 0" if zero_ok else "> 0"
        raise ValueError(f"The {name} factor must be a number {bound} and <= {MAX_FACTOR:g}.")
    return number


# -- URL state --------------------------------------------------------------------------------
def to_query(state: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The tab's controls as query parameters (step factors only for their scenario).

    >>> to_query({"preset": "squid-axon", "scenario": "k-step", "duration": "10min",
    ...           "k_factor": 4.0, "na_factor": 10.0, "axis": "linear"})
    ... # doctest: +NORMALIZE_WHITESPACE
    [('dynamics.preset', 'squid-axon'), ('dynamics.scenario', 'k-step'),
     ('dynamics.duration', '10min'), ('dynamics.kx', '4')]
    """
    pairs = [
        (f"{TAB_ID}.preset", str(state.get("preset") or "")),
        (f"{TAB_ID}.scenario", str(state.get("scenario") or "")),
        (f"{TAB_ID}.duration", str(state.get("duration") or "auto")[:MAX_DURATION_CHARS]),
    ]
    if state.get("scenario") == "k-step":
        pairs.append((f"{TAB_ID}.kx", _factor_text(state.get("k_factor"))))
    if state.get("scenario") == "na-step":
        pairs.append((f"{TAB_ID}.nax", _factor_text(state.get("na_factor"))))
    if state.get("axis") == "log":
        pairs.append((f"{TAB_ID}.axis", "log"))
    return pairs


def _factor_text(value: Any) -> str:
    number = parse_number(value)
    return number_text(number) if number is not None else ""


def dynamics_state(
    preset: Any, scenario: Any, duration: Any, k_factor: Any, na_factor: Any, axis: Any
) -> dict[str, Any]:
    """The tab's state store: the controls and their query string (``"query"``)."""
    state = {
        "preset": preset,
        "scenario": scenario,
        "duration": str(duration or "auto").strip()[:MAX_DURATION_CHARS],
        "k_factor": parse_number(k_factor),
        "na_factor": parse_number(na_factor),
        "axis": "log" if axis == "log" else "linear",
    }
    state["query"] = state_query(to_query(state))
    return state


def load_dynamics(search: str | None) -> tuple[Any, ...]:
    """The controls from a shared link: (preset, scenario, duration, K+ factor, Na+ factor,
    axis); values that are not valid fall back to the defaults. ``PreventUpdate`` when the
    link has no ``dynamics.*`` parameter."""
    from nernst import presets

    params = parse_query(search)
    if not any(k.startswith(f"{TAB_ID}.") for k in params):
        raise PreventUpdate
    preset = first(params, f"{TAB_ID}.preset")
    if preset not in presets() and preset != FROM_GHK:
        preset = _default_preset()
    scenario = first(params, f"{TAB_ID}.scenario")
    if scenario not in SCENARIOS:
        scenario = DEFAULT_SCENARIO
    duration = (first(params, f"{TAB_ID}.duration") or "auto").strip()[:MAX_DURATION_CHARS]
    kx = parse_number(first(params, f"{TAB_ID}.kx"))
    nax = parse_number(first(params, f"{TAB_ID}.nax"))
    axis = "log" if first(params, f"{TAB_ID}.axis") == "log" else "linear"
    return (
        preset,
        scenario,
        duration or "auto",
        DEFAULT_K_FACTOR if kx is None else kx,
        DEFAULT_NA_FACTOR if nax is None else nax,
        axis,
    )


# -- the run ----------------------------------------------------------------------------------
def _error(message: str) -> tuple[Any, ...]:
    return (message, "", {}, {}, None, 0, {}, 0, True, PLAY)


def compute_dynamics(
    preset: Any,
    scenario: Any,
    duration: Any,
    k_factor: Any,
    na_factor: Any,
    axis: Any,
    ghk_state: Mapping[str, Any] | None = None,
) -> tuple[Any, ...]:
    """Run the simulation and build everything the tab shows (see :data:`OUTPUTS`).

    Returns ``(error, summary, v_figure, c_figure, series, frame_max, frame_marks, frame,
    timer_disabled, play_label)``. ``series`` (for the animation) holds the plotted times in
    ``unit``, V, ``seconds`` (the run time of the callback) and ``key`` (the controls it ran
    for). The frame starts at the end of the run, so the final state is what one sees first.
    """
    from nernst.dynamics import pump_leak_steady_state, simulate

    started = time.perf_counter()
    if scenario not in SCENARIOS:
        return _error(f"Unknown scenario {scenario!r}: choose one from the list.")
    axis = "log" if axis == "log" else "linear"
    try:
        cell = scenario_cell(preset, scenario, ghk_state)
        kx = _factor(k_factor, "K+", zero_ok=False) if scenario == "k-step" else DEFAULT_K_FACTOR
        nax = _factor(na_factor, "P_Na", zero_ok=True) if scenario == "na-step" else 1.0
        until = resolve_duration(duration, cell, scenario)
        kwargs = simulation_arguments(scenario, until, kx, nax, axis)
        budget = _Budget(RUN_BUDGET_S)
        run = simulate(cell, progress=budget, **kwargs)
        steady: Any = None
        if kwargs["model"] == "pump-leak":
            try:
                steady = pump_leak_steady_state(cell, perturb=kwargs["perturb"])
            except ValueError as err:
                steady = str(err.args[0]) if err.args else str(err)
    except _TooSlow as slow:
        done = float(slow.args[0])
        return _error(
            f"This run needs more than {RUN_BUDGET_S:g} s of computing (it reached "
            f"{100 * done:.0f}% of the duration): choose a shorter duration."
        )
    except ValueError as err:
        text = str(err.args[0]) if err.args else str(err)
        return _error(f"Cannot simulate this cell and scenario: {text}")
    except RuntimeError as err:  # the ODE solver failed
        return _error(f"The simulation failed: {err}")

    from nernst.plotting import time_unit

    t = run.t
    keep = t > 0 if axis == "log" else t >= 0
    unit, seconds = ("s", 1.0) if axis == "log" else time_unit(float(t[-1]))
    x = (t[keep] / seconds).tolist()
    label = _target_label(scenario)
    v_fig = _v_figure(run, x, keep, (unit, seconds), axis, label, steady, scenario)
    c_fig = _c_figure(run, x, keep, (unit, seconds), axis)
    # Each run gets its own data revision: the cursor's revision (the frame number) alone
    # repeats across runs of the same length, and Plotly then keeps drawing the old arrays.
    run_id = f"run{time.time_ns()}"
    for fig in (v_fig, c_fig):
        fig.setdefault("layout", {})["datarevision"] = run_id
    elapsed = time.perf_counter() - started
    n = len(x)
    series = {
        "t": x,
        "V": run.V[keep].tolist(),
        "unit": unit,
        "step": max(1, round(n / ANIMATION_TICKS)),
        "seconds": elapsed,
        "key": _key(
            dynamics_state(preset, scenario, duration, k_factor, na_factor, axis), ghk_state
        ),
    }
    summary = _summary(run, cell, scenario, until, label, steady, elapsed)
    marks = {0: f"{x[0]:.3g} {unit}", n - 1: f"{x[-1]:.3g} {unit}"}
    return ("", summary, v_fig, c_fig, series, n - 1, marks, n - 1, True, PLAY)


def _key(state: Mapping[str, Any], ghk_state: Mapping[str, Any] | None) -> str:
    """What a run depends on: the tab's query, and the GHK tab's when its cell is used."""
    extra = (ghk_state or {}).get("query", "") if state.get("preset") == FROM_GHK else ""
    return f"{state['query']}|{extra}"


def _target_label(scenario: str) -> str:
    if scenario == "approach-k":
        return "E_K (Nernst)"
    if scenario == "approach":
        return "V_rest (GHK)"
    return "steady state after the step"


def _time_text(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    for name, unit in (("h", 3600.0), ("min", 60.0), ("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= unit:
            return f"{seconds / unit:.4g} {name}"
    return f"{seconds * 1e9:.3g} ns"


def _axis_layout(unit: str, axis: str) -> dict[str, Any]:
    out: dict[str, Any] = {"title": {"text": f"time ({unit})"}}
    if axis == "log":
        out.update(type="log", exponentformat="power")
    return out


def _step_shapes(run: Any, seconds: float) -> list[dict[str, Any]]:
    import numpy as np

    t = np.asarray(run.t)
    at = [float(t[i]) for i in np.nonzero(np.diff(t) == 0)[0]]
    return [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": when / seconds,
            "x1": when / seconds,
            "y0": 0,
            "y1": 1,
            "line": {"color": "#d62728", "width": 1, "dash": "dot"},
        }
        for when in at
        if when > 0
    ]


def _hline(y: float, color: str, dash: str) -> dict[str, Any]:
    return {
        "type": "line",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "y0": y,
        "y1": y,
        "line": {"color": color, "width": 1, "dash": dash},
    }


def _v_figure(
    run: Any,
    x: list[float],
    keep: Any,
    time_scale: tuple[str, float],
    axis: str,
    label: str,
    steady: Any,
    scenario: str,
) -> dict[str, Any]:
    import nernst

    unit, seconds = time_scale
    shapes = _step_shapes(run, seconds)
    annotations = []
    target = run.target if run.target is not None else getattr(steady, "V", None)
    if target is not None:
        shapes.append(_hline(target, "#444", "dash"))
        annotations.append(
            {
                "xref": "paper",
                "x": 1,
                "y": target,
                "xanchor": "right",
                "yanchor": "bottom",
                "text": f"{label}: {target:+.2f} mV",
                "showarrow": False,
                "font": {"size": 11},
            }
        )
    # Each permeant ion's Nernst potential at the end of the run (what V tends to drift to).
    if scenario != "approach-k":
        for k, ion in enumerate(run.ions):
            if run.permeability.get(ion, 0.0) > 0:
                E = float(
                    nernst.equilibrium_potential(
                        ion,
                        c_in=run.c_in[ion][-1],
                        c_out=run.c_out[ion][-1],
                        celsius=run.celsius,
                    )
                )
                color = _COLORS[k % len(_COLORS)]
                shapes.append(_hline(E, color, "dot"))
                annotations.append(
                    {
                        "xref": "paper",
                        "x": 0,
                        "y": E,
                        "xanchor": "left",
                        "yanchor": "bottom",
                        "text": f"E({ion}) {E:+.1f}",
                        "showarrow": False,
                        "font": {"size": 10, "color": color},
                    }
                )
    title = "Membrane potential V(t)" + (
        f" — step at t0: {', '.join(run.perturbations)}" if run.perturbations else ""
    )
    return {
        "data": [
            {
                "x": x,
                "y": run.V[keep].tolist(),
                "mode": "lines",
                "name": "V",
                "meta": "follow",
                "line": {"color": "black", "width": 2},
                "hovertemplate": f"t = %{{x:.4g}} {unit}<br>V = %{{y:+.3f}} mV<extra></extra>",
            }
        ],
        "layout": {
            "title": {"text": title, "font": {"size": 13}},
            "xaxis": _axis_layout(unit, axis),
            "yaxis": {"title": {"text": "V = V_in − V_out (mV)"}, "zeroline": True},
            "shapes": shapes,
            "annotations": annotations,
            "showlegend": False,
            "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
            "height": 360,
            "uirevision": "dynamics",
        },
    }


def _c_figure(
    run: Any, x: list[float], keep: Any, time_scale: tuple[str, float], axis: str
) -> dict[str, Any]:
    unit, seconds = time_scale
    pump_leak = run.model == "pump-leak"
    data: list[dict[str, Any]] = []
    # The approach moves so few ions that only the change of each concentration is visible
    # (in uM, or in mM when a long run has moved many).
    change = {ion: run.c_in[ion][keep] - run.c_in[ion][0] for ion in run.ions}
    biggest = max((float(abs(v).max()) for v in change.values()), default=0.0)
    c_unit, c_scale = ("mM", 1.0) if biggest >= 1.0 else ("µM", 1e3)
    for k, ion in enumerate(run.ions):
        if pump_leak:
            y, hover = run.c_in[ion][keep], f"{ion} in: %{{y:.5g}} mM"
        else:
            y, hover = change[ion] * c_scale, f"{ion} in: %{{y:+.4g}} {c_unit}"
        data.append(
            {
                "x": x,
                "y": y.tolist(),
                "mode": "lines",
                "name": ion,
                "meta": "follow",
                "line": {"color": _COLORS[k % len(_COLORS)], "width": 2},
                "hovertemplate": f"{hover}<extra></extra>",
            }
        )
    layout: dict[str, Any] = {
        "xaxis": _axis_layout(unit, axis),
        "shapes": _step_shapes(run, seconds),
        "legend": {"orientation": "h", "y": -0.25},
        "margin": {"l": 70, "r": 20, "t": 50, "b": 90},
        "uirevision": "dynamics",
    }
    if pump_leak:
        volume = run.volume[keep] / run.volume[0]
        data.append(
            {
                "x": x,
                "y": volume.tolist(),
                "xaxis": "x",
                "yaxis": "y2",
                "mode": "lines",
                "name": "volume / start",
                "meta": "follow",
                "line": {"color": "#7f7f7f", "width": 2, "dash": "dash"},
                "hovertemplate": "volume × %{y:.4f}<extra></extra>",
            }
        )
        layout["xaxis"]["anchor"] = "y2"  # the shared time axis under the volume panel
        layout.update(
            title={"text": "Inside concentrations and cell volume", "font": {"size": 13}},
            yaxis={"title": {"text": "inside (mM)"}, "domain": [0.4, 1.0]},
            yaxis2={"title": {"text": "volume / start"}, "domain": [0.0, 0.3], "anchor": "x"},
            height=460,
        )
    else:
        layout.update(
            title={
                "text": "Change of each inside concentration since t = 0<br>"
                "(the ions that crossed)",
                "font": {"size": 13},
            },
            yaxis={"title": {"text": f"c_in(t) − c_in(0) ({c_unit})"}, "zeroline": True},
            height=380,
        )
    return {"data": data, "layout": layout}


def _summary(
    run: Any,
    cell: Any,
    scenario: str,
    until: float,
    label: str,
    steady: Any,
    elapsed: float,
) -> Any:
    final = run.V_final
    items: list[Any] = [
        html.Div(
            [
                "Final V = ",
                value_span(final, f"{final:+.3f}"),
                " mV",
                html.Span(f"  at t = {_time_text(float(run.t[-1]))}", className="unit"),
            ],
            id="dyn-final",
            className="big-number",
        )
    ]
    facts: list[Any] = []
    if run.target is not None:
        facts.append(
            html.Li(
                [
                    f"{label} = ",
                    html.Span(value_span(run.target, f"{run.target:+.3f}"), id="dyn-target"),
                    f" mV; final V − target = {final - run.target:+.2g} mV; ",
                    (
                        f"within {run.tolerance:g} mV after {_time_text(run.t_target)}"
                        if run.t_target is not None
                        else f"not within {run.tolerance:g} mV by the end"
                    ),
                ]
            )
        )
    facts.append(
        html.Li(
            [
                "Membrane time constant τ = C_m / G at the start: ",
                html.Span(value_span(run.tau_membrane, f"{run.tau_membrane:.3g}"), id="dyn-tau"),
                f" ms (the run lasts {until / (run.tau_membrane * 1e-3):.3g} τ)",
            ]
        )
    )
    if run.model == "pump-leak":
        v_start = float(run.V[0])
        ratio = float(run.volume[-1] / run.volume[0])
        facts.append(
            html.Li(
                f"Pump-leak steady state before the step: V = {v_start:+.2f} mV, pump current "
                f"{run.pump_current_mA_cm2[0] * 1e3:.3g} µA/cm²; at the end: V = {final:+.2f} mV, "
                f"volume × {ratio:.4g}, pump current {run.pump_current_mA_cm2[-1] * 1e3:.3g} µA/cm²"
            )
        )
        if isinstance(steady, str):
            facts.append(html.Li(f"After the step there is no steady state: {steady}"))
        elif steady is not None:
            facts.append(
                html.Li(
                    [
                        "Steady state after the step (direct solve): V = ",
                        html.Span(value_span(steady.V, f"{steady.V:+.2f}"), id="dyn-steady"),
                        f" mV, volume × {steady.volume_ratio:.4g} of the start",
                    ]
                )
            )
    facts.append(
        html.Li(
            f"{_time_text(until)} simulated in {elapsed:.2f} s "
            f"({run.solver.get('nfev', 0)} evaluations, {run.solver.get('method', '')})"
        )
    )
    fraction = run.fraction_crossed
    number = run.crossed_number
    rows = [
        html.Tr(
            [
                html.Td(ion),
                html.Td(f"{run.c_in[ion][0]:.6g}"),
                html.Td(f"{run.c_in[ion][-1]:.6g}"),
                html.Td(f"{number[ion]:.3g}"),
                html.Td(
                    value_span(fraction[ion], f"{fraction[ion]:.3g}"),
                    className="fraction",
                ),
            ],
            **attrs({"data-ion": ion}),
        )
        for ion in run.ions
    ]
    table = html.Table(
        [
            html.Thead(
                html.Tr(
                    [
                        html.Th("ion"),
                        html.Th("inside at start (mM)"),
                        html.Th("inside at end (mM)"),
                        html.Th("ions that left the cell"),
                        html.Th("fraction of the content"),
                    ]
                )
            ),
            html.Tbody(rows),
        ],
        className="table",
        id="dyn-crossed",
    )
    if scenario not in APPROACH:
        note = "Negative numbers: ions that entered the cell."
    elif max(abs(f) for f in fraction.values()) < 1e-3:
        note = "Few ions need to cross to charge the membrane: the concentrations hardly change."
    else:
        note = (
            "Over a long run the leaks themselves run the gradients down: with no pump the "
            "cell drifts toward Donnan equilibrium, each permeant ion at its own Nernst "
            "potential. Negative numbers: ions that entered the cell."
        )
    return html.Div([*items, html.Ul(facts), table, html.P(note, className="note")])


# -- layout -----------------------------------------------------------------------------------
def _preset_options() -> list[dict[str, str]]:
    from nernst import presets

    options = [{"label": info["title"], "value": key} for key, info in presets().items()]
    return [*options, {"label": "the cell in the GHK tab", "value": FROM_GHK}]


def _graph(graph_id: str) -> Any:
    config: Any = {
        **GRAPH_CONFIG,
        "toImageButtonOptions": {
            **GRAPH_CONFIG["toImageButtonOptions"],
            "filename": f"nernst-{graph_id}",
        },
    }
    return html.Div(
        [
            dcc.Graph(id=graph_id, config=config, className="graph", responsive=True),
            dcc.Store(id=f"{graph_id}-data"),
        ]
    )


def layout() -> Any:
    """The tab's content with the default controls."""
    from nernst.dynamics import CAPACITANCE, P_REFERENCE, RADIUS

    field = "field inline"
    return html.Div(
        [
            html.Div(
                [
                    html.Div(
                        [
                            html.Label("Cell", htmlFor="dyn-preset"),
                            dcc.Dropdown(
                                id="dyn-preset",
                                options=_preset_options(),
                                value=_default_preset(),
                                clearable=False,
                            ),
                        ],
                        className="field",
                    ),
                    html.Div(
                        [
                            html.Label("Scenario", htmlFor="dyn-scenario"),
                            dcc.RadioItems(
                                id="dyn-scenario",
                                options=[{"label": v, "value": k} for k, v in SCENARIOS.items()],
                                value=DEFAULT_SCENARIO,
                                labelStyle={"display": "block", "marginBottom": "4px"},
                            ),
                        ],
                        className="field",
                    ),
                    html.Div(
                        [
                            html.Label("External K+ after the step ×", htmlFor="dyn-kx"),
                            dcc.Input(
                                id="dyn-kx",
                                type="number",
                                value=DEFAULT_K_FACTOR,
                                step="any",
                                className="number no-stepper",
                            ),
                        ],
                        id="dyn-kx-field",
                        className=field,
                        style={"display": "none"},
                    ),
                    html.Div(
                        [
                            html.Label("Na+ permeability after the step ×", htmlFor="dyn-nax"),
                            dcc.Input(
                                id="dyn-nax",
                                type="number",
                                value=DEFAULT_NA_FACTOR,
                                step="any",
                                className="number no-stepper",
                            ),
                        ],
                        id="dyn-nax-field",
                        className=field,
                        style={"display": "none"},
                    ),
                    html.Div(
                        [
                            html.Label("Duration", htmlFor="dyn-duration"),
                            dcc.Input(
                                id="dyn-duration",
                                type="text",
                                value="auto",
                                debounce=True,
                                placeholder="auto, 50ms, 2s, 10min, 2h",
                                maxLength=MAX_DURATION_CHARS,
                                className="number",
                            ),
                        ],
                        className=field,
                    ),
                    html.P(
                        "auto: 12 membrane time constants for the approach, 2 h after a pump "
                        "block, 10 min after a step. At most 1 day; the step comes at "
                        "t0 = duration / 10.",
                        className="note",
                    ),
                    html.Div(
                        [
                            html.Label("Time axis", htmlFor="dyn-axis"),
                            dcc.RadioItems(
                                id="dyn-axis",
                                options=[
                                    {"label": "linear", "value": "linear"},
                                    {"label": "logarithmic", "value": "log"},
                                ],
                                value="linear",
                                inline=True,
                            ),
                        ],
                        className=field,
                    ),
                    html.Div(
                        [html.Button("Run", id="dyn-run")],
                        className="buttons",
                    ),
                    html.P(
                        f"Model (nernst.dynamics): a sphere of radius {RADIUS:g} µm, membrane "
                        f"capacitance {CAPACITANCE:g} µF/cm², permeability = relative × "
                        f"{P_REFERENCE:g} cm/s, GHK fluxes; the pump-leak model adds the "
                        "Na+/K+ pump (Luo & Rudy 1994), impermeant anions and osmotic water "
                        "flow and starts at its steady state.",
                        className="note",
                    ),
                ],
                className="controls",
            ),
            html.Div(
                [
                    html.Div(id="dyn-error", className="error", role="alert"),
                    html.Div(
                        [
                            html.Button(PLAY, id="dyn-play", title="play / pause the time course"),
                            html.Div(
                                dcc.Slider(
                                    id="dyn-frame",
                                    min=0,
                                    max=0,
                                    step=1,
                                    value=0,
                                    marks={},
                                    updatemode="drag",
                                    allow_direct_input=False,
                                    tooltip={"always_visible": False},
                                ),
                                className="player-slider",
                                **attrs(
                                    {
                                        "data-a11y-label": "Time in the run",
                                        "data-a11y-valuetext": "#dyn-now-t",
                                    }
                                ),
                            ),
                            html.Span("t = —", id="dyn-now-t", className="big-number"),
                            html.Span("V = —", id="dyn-now-v", className="big-number"),
                        ],
                        className="player",
                        style={
                            "display": "flex",
                            "alignItems": "center",
                            "gap": "16px",
                            "flexWrap": "wrap",
                        },
                    ),
                    html.Div([_graph("dyn-v"), _graph("dyn-conc")], className="graphs"),
                    html.Div(
                        id="dyn-summary", className="energetics", **attrs({"aria-live": "polite"})
                    ),
                    dcc.Interval(id="dyn-timer", interval=TICK_MS, disabled=True),
                    dcc.Store(id="dyn-series"),
                ],
                className="results",
            ),
            dcc.Store(id="dyn-state"),
        ],
        className="tab-body",
    )


# -- browser-side animation -------------------------------------------------------------------
# The figure with a cursor at frame i: a marker on every trace flagged meta = "follow" and a
# vertical line, drawn over the figure the server sent (no server request per frame).
_CURSOR_JS = """
function(frame, fig) {
    if (!fig || !fig.data || !fig.data.length) {
        return {data: [], layout: {height: 120, xaxis: {visible: false},
                yaxis: {visible: false}}};
    }
    var i = Math.max(0, frame || 0);
    var extra = [];
    var x = null;
    fig.data.forEach(function (tr) {
        if (tr.meta !== "follow" || !tr.x || !tr.x.length) { return; }
        var j = Math.min(i, tr.x.length - 1);
        x = tr.x[j];
        extra.push({x: [tr.x[j]], y: [tr.y[j]], xaxis: tr.xaxis || "x", yaxis: tr.yaxis || "y",
                    mode: "markers", showlegend: false, hoverinfo: "skip",
                    marker: {size: 11, color: (tr.line && tr.line.color) || "#d62728",
                             line: {color: "white", width: 1.5}}});
    });
    var layout = Object.assign({}, fig.layout);
    layout.datarevision = String(fig.layout.datarevision || "") + ":" + i;
    if (x !== null) {
        layout.shapes = (fig.layout.shapes || []).concat([{type: "line", xref: "x",
            yref: "paper", x0: x, x1: x, y0: 0, y1: 1, line: {color: "#888", width: 1}}]);
    }
    return {data: fig.data.concat(extra), layout: layout};
}
"""

# The time and V at the cursor, as text.
_READOUT_JS = """
function(frame, series) {
    if (!series || !series.t || !series.t.length) { return ["t = —", "V = —"]; }
    var i = Math.min(Math.max(0, frame || 0), series.t.length - 1);
    var v = series.V[i];
    return ["t = " + Number(series.t[i].toPrecision(4)) + " " + series.unit,
            "V = " + (v >= 0 ? "+" : "") + v.toFixed(2) + " mV"];
}
"""

# Play / pause: starting at the end restarts from the beginning.
_TOGGLE_JS = """
function(n, disabled, frame, last) {
    var nu = window.dash_clientside.no_update;
    if (!n) { return [nu, nu, nu]; }
    if (disabled) {
        return [false, "PAUSE", (frame || 0) >= (last || 0) ? 0 : nu];
    }
    return [true, "PLAY", nu];
}
""".replace("PAUSE", PAUSE).replace("PLAY", PLAY)

# One timer tick: advance the cursor; stop at the end.
_TICK_JS = """
function(n, frame, last, series) {
    var nu = window.dash_clientside.no_update;
    if (!series) { return [nu, true, "PLAY"]; }
    var next = (frame || 0) + (series.step || 1);
    if (next >= last) { return [last, true, "PLAY"]; }
    return [next, nu, nu];
}
""".replace("PLAY", PLAY)

_SHOW_JS = """
function(scenario) {
    return [{display: scenario === "k-step" ? "flex" : "none"},
            {display: scenario === "na-step" ? "flex" : "none"}];
}
"""


def register(app: Any) -> None:
    """Add the tab's callbacks to the Dash app."""
    controls = [
        ("dyn-preset", "value"),
        ("dyn-scenario", "value"),
        ("dyn-duration", "value"),
        ("dyn-kx", "value"),
        ("dyn-nax", "value"),
        ("dyn-axis", "value"),
    ]
    app.callback([Output(i, p) for i, p in controls], Input("url", "search"))(load_dynamics)
    app.callback(Output("dyn-state", "data"), [Input(i, p) for i, p in controls])(dynamics_state)
    app.clientside_callback(
        _SHOW_JS,
        Output("dyn-kx-field", "style"),
        Output("dyn-nax-field", "style"),
        Input("dyn-scenario", "value"),
    )

    @app.callback(
        Output("dyn-error", "children"),
        Output("dyn-summary", "children"),
        Output("dyn-v-data", "data"),
        Output("dyn-conc-data", "data"),
        Output("dyn-series", "data"),
        Output("dyn-frame", "max"),
        Output("dyn-frame", "marks"),
        Output("dyn-frame", "value"),
        Output("dyn-timer", "disabled"),
        Output("dyn-play", "children"),
        Input("dyn-run", "n_clicks"),
        Input("tabs", "value"),
        *(Input(i, p) for i, p in controls),
        Input("ghk-state", "data"),
        State("dyn-series", "data"),
    )
    def _run(
        _clicks: Any,
        tab: Any,
        preset: Any,
        scenario: Any,
        duration: Any,
        k_factor: Any,
        na_factor: Any,
        axis: Any,
        ghk_state: Any,
        last: Any,
    ) -> Any:
        # Only the open tab computes; switching back, or a change elsewhere, re-runs only if
        # something this run depends on changed. The Run button always runs.
        if tab != TAB_ID:
            raise PreventUpdate
        state = dynamics_state(preset, scenario, duration, k_factor, na_factor, axis)
        if ctx.triggered_id != "dyn-run" and last and last.get("key") == _key(state, ghk_state):
            raise PreventUpdate
        return compute_dynamics(preset, scenario, duration, k_factor, na_factor, axis, ghk_state)

    for graph_id in ("dyn-v", "dyn-conc"):
        app.clientside_callback(
            _CURSOR_JS,
            Output(graph_id, "figure"),
            Input("dyn-frame", "value"),
            Input(f"{graph_id}-data", "data"),
        )
    app.clientside_callback(
        _READOUT_JS,
        Output("dyn-now-t", "children"),
        Output("dyn-now-v", "children"),
        Input("dyn-frame", "value"),
        Input("dyn-series", "data"),
    )
    app.clientside_callback(
        _TOGGLE_JS,
        Output("dyn-timer", "disabled", allow_duplicate=True),
        Output("dyn-play", "children", allow_duplicate=True),
        Output("dyn-frame", "value", allow_duplicate=True),
        Input("dyn-play", "n_clicks"),
        State("dyn-timer", "disabled"),
        State("dyn-frame", "value"),
        State("dyn-frame", "max"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        _TICK_JS,
        Output("dyn-frame", "value", allow_duplicate=True),
        Output("dyn-timer", "disabled", allow_duplicate=True),
        Output("dyn-play", "children", allow_duplicate=True),
        Input("dyn-timer", "n_intervals"),
        State("dyn-frame", "value"),
        State("dyn-frame", "max"),
        State("dyn-series", "data"),
        prevent_initial_call=True,
    )


TAB = TabSpec(
    id=TAB_ID,
    label="Dynamics: watch V build up",
    order=40,
    layout=layout,
    register=register,
    state_id="dyn-state",
)
