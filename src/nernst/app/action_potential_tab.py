"""Action potential tab: the Hodgkin-Huxley spike between E_K and E_Na, and the chloride panel.

Choose a membrane (NEURON's ``hh`` with NEURON's default ion concentrations, the squid giant
axon or the frog muscle fibre); its Na+ and K+ concentrations set E_Na and E_K by the Nernst
equation (:meth:`nernst.HHMembrane.from_cell`). Sliders with typed inputs move [K+]out
(log), [Na+]out (log) and the temperature (linear): hyperkalaemia depolarises rest and
inactivates the Na+ channels, low [Na+]out lowers E_Na and the peak, warming speeds the
spike, and above about 30 °C the HH membrane stops firing. A current-clamp stimulus (a step,
or a train of steps) drives :func:`nernst.simulate_hh`; a voltage-clamp mode runs a family of
steps with :func:`nernst.voltage_clamp_hh` and plots I_Na and I_K.

The chloride panel sets KCC2 and NKCC1 levels (rate coefficients), gets the steady E_Cl at
the membrane's resting potential (:func:`nernst.chloride_steady_state`), the internal Cl-
from it (:func:`nernst.equilibrium_internal_concentration`) and E_GABA from Cl- and HCO3-
with P_HCO3/P_Cl = 0.2 (:func:`nernst.ghk_voltage`), and says whether GABA depolarises or
hyperpolarises.

The app computes nothing itself: every number is from the public nernst API. Runs are
sampled every :data:`DT` with the tolerances :data:`RTOL` and :data:`ATOL`, the simulated
time is capped at :data:`MAX_UNTIL_MS` and trains at :data:`MAX_PULSES` pulses, so that a
callback stays near a few hundred ms; repeated inputs are served from a small cache.

References
----------
.. [1] Hodgkin A.L., Huxley A.F. (1952) J. Physiol. 117:500-544.
   doi:10.1113/jphysiol.1952.sp004764
.. [2] Bormann J., Hamill O.P., Sakmann B. (1987) Mechanism of anion permeation through
   channels gated by glycine and gamma-aminobutyric acid in mouse cultured spinal neurones.
   J. Physiol. 385:243-286 (P_HCO3/P_Cl about 0.2). doi:10.1113/jphysiol.1987.sp016493
.. [3] Kaila K. (1994) Ionic basis of GABA-A receptor channel function in the nervous
   system. Prog. Neurobiol. 42:489-537 (HCO3- about 15 mM inside, 25 mM outside).
   doi:10.1016/0301-0082(94)90049-3
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Any

from dash import Input, Output, ctx, dcc, html, no_update

from nernst.app.layout import TabSpec, graph, link_graphs, state_query, value_span
from nernst.app.scenario import first, number_text, parse_number, parse_query

__all__ = [
    "CHLORIDE_OUTPUTS",
    "CONTROLS",
    "OUTPUTS",
    "PRESETS",
    "TAB",
    "compute_ap",
    "compute_chloride",
    "load_ap",
    "membrane_for",
    "preset_cell",
    "stimulus_text",
]

TAB_ID = "ap"

#: The membranes, value -> label.
PRESETS = {
    "hh": "NEURON's hh (NEURON's default Na+ and K+, 6.3 °C)",
    "squid-axon": "Squid giant axon (Loligo) in sea water",
    "frog-muscle": "Frog skeletal muscle fibre",
}
DEFAULT_PRESET = "hh"
#: NEURON's default ion concentrations (nai0_na_ion, nao0_na_ion, ki0_k_ion, ko0_k_ion) and
#: temperature (h.celsius), read from NEURON 9: with ion_style computing E at finitialize
#: they give E_Na = 63.55 and E_K = -74.17 mV (hh.mod's own fixed 50 and -77 mV assume no
#: concentrations). [mM, degC]
NEURON_DEFAULT: dict[str, Any] = {
    "inside": {"Na+": 10.0, "K+": 54.4},
    "outside": {"Na+": 140.0, "K+": 2.5},
    "celsius": 6.3,
}
#: NEURON defines no Cl- by default: the hh preset's chloride panel takes the outside Cl- of
#: this preset.
CL_FALLBACK_PRESET = "mammalian-neuron"

#: Sampling interval, tolerances and caps of the app's runs. RTOL/ATOL are looser than the
#: library's defaults (1e-9): the peak differs by about 1e-4 mV, and a run is 3 to 15 times
#: faster.
DT = "20us"
RTOL = 1e-6
ATOL = 1e-6
MAX_UNTIL_MS = 50.0
MIN_UNTIL_MS = 2.0
MAX_PULSES = 3
MAX_LEVELS = 15

#: Above this temperature the no-spike message names heat block. [degC]
HEAT_BLOCK_CELSIUS = 30.0
#: Below this h_inf at rest the no-spike message names Na+ channel inactivation.
INACTIVATED_H = 0.2

#: Log10 slider ranges [log10 mM] and the temperature slider range [degC].
K_LOG = (-1.0, 2.5)
NA_LOG = (0.0, 3.0)
T_RANGE = (0.0, 40.0)
#: KCC2 and NKCC1 rate coefficients, log10 of mol cm^-2 s^-1.
KCC2_LOG = (-14.0, -8.0)
NKCC1_LOG = (-14.0, -10.0)
#: Cl- conductance of the chloride panel (GABA-A and leak), as in the user guide. [S/cm^2]
G_CL = 1e-5
#: HCO3- inside and outside [mM] (Kaila 1994) and P_HCO3/P_Cl (Bormann et al. 1987).
HCO3_IN = 15.0
HCO3_OUT = 25.0
P_HCO3_OVER_CL = 0.2

#: Typed-value limits: name -> (low, high, unit, what).
LIMITS: dict[str, tuple[float, float, str, str]] = {
    "k_out": (0.01, 1000.0, "mM", "[K+]out"),
    "na_out": (0.1, 2000.0, "mM", "[Na+]out"),
    "celsius": (0.0, 45.0, "°C", "the temperature"),
    "amplitude": (-200.0, 1000.0, "µA/cm²", "the step amplitude"),
    "onset": (0.0, MAX_UNTIL_MS, "ms", "the onset"),
    "duration": (0.01, MAX_UNTIL_MS, "ms", "the step duration"),
    "number": (1.0, float(MAX_PULSES), "", "the number of pulses"),
    "interval": (0.01, MAX_UNTIL_MS, "ms", "the train interval"),
    "until": (MIN_UNTIL_MS, MAX_UNTIL_MS, "ms", "the simulated time"),
    "hold": (-150.0, 100.0, "mV", "the holding potential"),
    "v_from": (-150.0, 100.0, "mV", "the first step"),
    "v_to": (-150.0, 100.0, "mV", "the last step"),
    "v_step": (1.0, 100.0, "mV", "the step increment"),
    "vc_duration": (0.1, MAX_UNTIL_MS, "ms", "the clamp step duration"),
    "kcc2": (1e-16, 1e-8, "mol cm⁻² s⁻¹", "KCC2"),
    "nkcc1": (1e-16, 1e-8, "mol cm⁻² s⁻¹", "NKCC1"),
}

DEFAULTS: dict[str, Any] = {
    "mode": "cc",
    "preset": DEFAULT_PRESET,
    "k_out": 2.5,
    "na_out": 140.0,
    "celsius": 6.3,
    "amplitude": 10.0,
    "onset": 5.0,
    "duration": 1.0,
    "train": False,
    "number": 3,
    "interval": 10.0,
    "until": 30.0,
    "second": "currents",
    "hold": -65.0,
    "v_from": -80.0,
    "v_to": 40.0,
    "v_step": 20.0,
    "vc_duration": 10.0,
    "kcc2": 2e-10,
    "nkcc1": 1.5e-12,
}

#: Controls in callback order: (state key, component id, property, query key).
CONTROLS: tuple[tuple[str, str, str, str], ...] = (
    ("mode", "ap-mode", "value", "mode"),
    ("preset", "ap-preset", "value", "cell"),
    ("k_out", "ap-k", "value", "K"),
    ("na_out", "ap-na", "value", "Na"),
    ("celsius", "ap-celsius", "value", "T"),
    ("amplitude", "ap-amp", "value", "amp"),
    ("onset", "ap-onset", "value", "on"),
    ("duration", "ap-dur", "value", "dur"),
    ("train", "ap-train", "value", "train"),
    ("number", "ap-number", "value", "n"),
    ("interval", "ap-interval", "value", "every"),
    ("until", "ap-until", "value", "until"),
    ("second", "ap-second", "value", "plot"),
    ("hold", "ap-hold", "value", "hold"),
    ("v_from", "ap-vfrom", "value", "from"),
    ("v_to", "ap-vto", "value", "to"),
    ("v_step", "ap-vstep", "value", "dv"),
    ("vc_duration", "ap-vdur", "value", "vdur"),
)
CHLORIDE_CONTROLS: tuple[tuple[str, str, str, str], ...] = (
    ("kcc2", "ap-kcc2", "value", "kcc2"),
    ("nkcc1", "ap-nkcc1", "value", "nkcc1"),
)
_KEYS = [c[0] for c in CONTROLS]

#: Names of the values :func:`compute_ap` returns, in order.
OUTPUTS = ("numbers", "error", "v_figure", "second_figure", "table", "state")
#: Names of the values :func:`compute_chloride` returns, in order.
CHLORIDE_OUTPUTS = ("numbers", "error", "state")
#: Names of the values :func:`load_ap` returns, in order: every control, then a message.
LOAD_OUTPUTS = (*_KEYS, "kcc2", "nkcc1", "message")

#: Line colours: dark enough for text on white (contrast above 4.5:1).
C_V = "#111111"
C_NA = "#b2182b"
C_K = "#2166ac"
C_REST = "#4d4d4d"
C_LEAK = "#1b7837"
C_STIM = "#6a3d9a"
_FAMILY = ("#08306b", "#2166ac", "#1b7837", "#b35806", "#b2182b", "#762a83", "#4d4d4d")


# -- the membrane ------------------------------------------------------------------------------
def preset_cell(preset: str) -> dict[str, Any]:
    """Inside and outside Na+, K+ (and outside Cl-) and the temperature of a preset.

    >>> preset_cell("hh")["outside"]
    {'Na+': 140.0, 'K+': 2.5, 'Cl-': 110.0}
    """
    import nernst

    if preset == "hh":
        cl = nernst.Cell.preset(CL_FALLBACK_PRESET).c_out["Cl-"]
        return {
            "inside": dict(NEURON_DEFAULT["inside"]),
            "outside": {**NEURON_DEFAULT["outside"], "Cl-": float(cl)},
            "celsius": float(NEURON_DEFAULT["celsius"]),
        }
    if preset not in PRESETS:
        raise ValueError(f"unknown membrane {preset!r}: choose one of {', '.join(PRESETS)}")
    cell = nernst.Cell.preset(preset)
    return {
        "inside": {ion: float(cell.c_in[ion]) for ion in ("Na+", "K+")},
        "outside": {ion: float(cell.c_out[ion]) for ion in ("Na+", "K+", "Cl-")},
        "celsius": float(cell.celsius),
    }


def membrane_for(preset: str, *, k_out: float, na_out: float, celsius: float) -> Any:
    """The :class:`nernst.HHMembrane` of a preset with [K+]out, [Na+]out and T replaced:
    E_Na and E_K by Nernst (:meth:`nernst.HHMembrane.from_cell`)."""
    import nernst

    base = preset_cell(preset)
    cell = nernst.Cell(
        c_in=base["inside"],
        c_out={"Na+": float(na_out), "K+": float(k_out)},
        celsius=float(celsius),
        title=PRESETS[preset],
    )
    return nernst.HHMembrane.from_cell(cell)


def stimulus_text(
    amplitude: float, onset: float, duration: float, number: int = 1, interval: float = 0.0
) -> str:
    """The stimulus in the library's text form (:meth:`nernst.Stimulus.parse`).

    >>> stimulus_text(10, 5, 1), stimulus_text(10, 5, 1, 3, 10)
    ('10uA/cm2@5ms:1ms', '10uA/cm2@5ms:1ms*3/10ms')
    """
    text = f"{number_text(amplitude)}uA/cm2@{number_text(onset)}ms:{number_text(duration)}ms"
    if number > 1:
        text += f"*{int(number)}/{number_text(interval)}ms"
    return text


@functools.lru_cache(maxsize=48)
def _simulate(membrane: Any, stimulus: str, until_ms: float) -> Any:
    import nernst

    return nernst.simulate_hh(
        membrane, stimulus=stimulus, until=until_ms * 1e-3, dt=DT, rtol=RTOL, atol=ATOL
    )


# -- validation --------------------------------------------------------------------------------
class _Bad(Exception):
    """A typed value is missing or out of range; ``args[0]`` says which and why."""


def _checked(name: str, raw: Any) -> float:
    low, high, unit, what = LIMITS[name]
    value = parse_number(raw)
    suffix = f" {unit}" if unit else ""
    if value is None:
        raise _Bad(f"Enter a number for {what}{f' ({unit})' if unit else ''}.")
    if not low <= value <= high:
        raise _Bad(
            f"{what[0].upper() + what[1:]} = {number_text(value)}{suffix} is out of range: "
            f"use {number_text(low)} to {number_text(high)}{suffix}."
        )
    return value


def _message(err: Exception) -> str:
    return str(err.args[0]) if err.args else str(err)


# -- figures -----------------------------------------------------------------------------------
def _hline(y: float, x0: float, x1: float, name: str, color: str, dash: str) -> dict[str, Any]:
    return {
        "x": [x0, x1],
        "y": [y, y],
        "mode": "lines",
        "name": f"{name} = {y:+.1f} mV",
        "line": {"color": color, "dash": dash, "width": 1.5},
        "hoverinfo": "name",
    }


def _label(y: float, x: float, text: str, color: str, shift: int) -> dict[str, Any]:
    return {
        "x": x,
        "y": y,
        "text": text,
        "showarrow": False,
        "xanchor": "right",
        "yanchor": "bottom" if shift >= 0 else "top",
        "font": {"color": color, "size": 12},
    }


def _layout(title: str, y_title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": title, "font": {"size": 14}},
        "xaxis": {"title": {"text": "t (ms)"}},
        "yaxis": {"title": {"text": y_title}},
        "margin": {"l": 64, "r": 20, "t": 50, "b": 100},
        "height": 400,
        "legend": {"orientation": "h", "y": -0.3, "yanchor": "top"},
        **extra,
    }


def _v_figure(ap: Any, title: str) -> dict[str, Any]:
    m = ap.membrane
    t = (ap.t * 1e3).tolist()
    x0, x1 = t[0], t[-1]
    lines = ((m.ena, "E_Na", C_NA, "dash"), (m.ek, "E_K", C_K, "dash"))
    data = [
        {"x": t, "y": ap.V.tolist(), "mode": "lines", "name": "V_m", "line": {"color": C_V}},
        *(_hline(y, x0, x1, name, color, dash) for y, name, color, dash in lines),
        _hline(ap.v_rest, x0, x1, "V_rest", C_REST, "dot"),
    ]
    annotations = [
        _label(m.ena, x1, f"E_Na {m.ena:+.1f} mV", C_NA, 1),
        _label(m.ek, x1, f"E_K {m.ek:+.1f} mV", C_K, -1),
        _label(ap.v_rest, x1, f"V_rest {ap.v_rest:+.1f} mV", C_REST, 1),
    ]
    shapes = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": s0 * 1e3,
            "x1": (s0 + s.duration) * 1e3,
            "y0": 0,
            "y1": 1,
            "fillcolor": "rgba(106, 61, 154, 0.12)",
            "line": {"width": 0},
        }
        for s in ap.stimuli
        for s0 in s.onsets()
    ]
    lo = min(m.ek, float(ap.V.min())) - 8
    hi = max(m.ena, float(ap.V.max())) + 8
    return {
        "data": data,
        "layout": _layout(
            title,
            "V_m = V_in - V_out (mV)",
            annotations=annotations,
            shapes=shapes,
            yaxis={"title": {"text": "V_m = V_in - V_out (mV)"}, "range": [lo, hi]},
        ),
    }


def _second_figure(ap: Any, kind: str) -> dict[str, Any]:
    t = (ap.t * 1e3).tolist()
    if kind == "gates":
        colors = {"m": C_NA, "h": C_STIM, "n": C_K}
        data = [
            {"x": t, "y": ap.gates[g].tolist(), "mode": "lines", "name": g, "line": {"color": c}}
            for g, c in colors.items()
        ]
        return {
            "data": data,
            "layout": _layout(
                "Gates: Na+ activation m, inactivation h, K+ activation n",
                "open probability",
                yaxis={"title": {"text": "gate (0 to 1)"}, "range": [-0.02, 1.02]},
            ),
        }
    names = {
        "Na+": ("I_Na", C_NA),
        "K+": ("I_K", C_K),
        "leak": ("I_leak", C_LEAK),
        "stimulus": ("I_stim (inward)", C_STIM),
    }
    data = [
        {
            "x": t,
            "y": ap.currents[key].tolist(),
            "mode": "lines",
            "name": name,
            "line": {"color": color, "dash": "dot" if key == "stimulus" else "solid"},
        }
        for key, (name, color) in names.items()
    ]
    return {
        "data": data,
        "layout": _layout("Ionic currents (outward positive) and the stimulus", "current (mA/cm²)"),
    }


def _mv(value: float) -> str:
    """A step potential as text: "+20", "-80", "0"."""
    return f"{float(value):+g}" if value else "0"


def _family_figure(family: Any, ion: str, title: str) -> dict[str, Any]:
    t = (family.t * 1e3).tolist()
    data = [
        {
            "x": t,
            "y": family.currents[ion][k].tolist(),
            "mode": "lines",
            "name": f"{_mv(level)} mV",
            "line": {"color": _FAMILY[k % len(_FAMILY)], "width": 1.5},
        }
        for k, level in enumerate(family.levels.tolist())
    ]
    return {
        "data": data,
        "layout": _layout(title, f"I_{ion.rstrip('+')} (mA/cm², outward positive)"),
    }


# -- the numbers -------------------------------------------------------------------------------
def _number(id_: str, label: str, number: float | None, text: str, unit: str) -> Any:
    if number is None:
        return html.Div([f"{label}: ", html.Span("—", id=id_)], className="ap-number")
    return html.Div(
        [f"{label}: ", html.Span(value_span(number, text), id=id_), f" {unit}".rstrip()],
        className="ap-number",
    )


def _no_spike_words(ap: Any, h_rest: float, phi: float) -> str:
    m = ap.membrane
    if m.celsius >= HEAT_BLOCK_CELSIUS:
        return (
            f"No spike. Above about {HEAT_BLOCK_CELSIUS:g} °C the Hodgkin-Huxley membrane stops "
            f"firing to ordinary stimuli: at {m.celsius:g} °C every gate moves {phi:.3g} times "
            "faster than at 6.3 °C, so K+ channels open and Na+ channels inactivate before "
            "the Na+ current can carry V to threshold."
        )
    if h_rest < INACTIVATED_H:
        return (
            f"No spike. Rest is depolarised to {ap.v_rest:+.1f} mV (E_K {m.ek:+.1f} mV), where "
            f"only {100 * h_rest:.0f}% of the Na+ channels are not inactivated (h∞ = "
            f"{h_rest:.3f}): the membrane cannot fire (depolarisation block, as in "
            "hyperkalaemia)."
        )
    return (
        "No spike: the stimulus did not reach threshold. Try a larger amplitude or a longer step."
    )


def _ap_numbers(ap: Any, h_rest: float, phi: float) -> list[Any]:
    m = ap.membrane
    n_spikes = ap.n_spikes
    items = [
        html.Div(
            [
                "Spikes: ",
                html.Span(value_span(n_spikes, str(n_spikes)), id="ap-spikes"),
            ],
            className="ap-number big-number",
        ),
        _number("ap-peak", "Peak", ap.peak, f"{ap.peak:+.1f}" if ap.peak else "", "mV"),
        _number("ap-ahp", "After-hyperpolarisation", ap.ahp, f"{ap.ahp or 0:+.1f}", "mV"),
        _number("ap-vrest", "V_rest", ap.v_rest, f"{ap.v_rest:+.2f}", "mV"),
        _number("ap-ena", "E_Na", m.ena, f"{m.ena:+.2f}", "mV"),
        _number("ap-ek", "E_K", m.ek, f"{m.ek:+.2f}", "mV"),
        _number("ap-hrest", "Na+ channels available at rest (h∞)", h_rest, f"{h_rest:.3f}", ""),
    ]
    if ap.na_entry is not None:
        ions = ap.na_ions_per_um2
        frac = ap.na_fraction
        items.append(
            html.Div(
                [
                    "Na+ entry per spike: ",
                    html.Span(
                        value_span(ap.na_entry * 1e12, f"{ap.na_entry * 1e12:.2f}"),
                        id="ap-na-entry",
                    ),
                    f" pmol/cm² ({ions:.0f} ions per µm²"
                    + (
                        f"; {frac:.2e} of the internal Na+ of a {m.radius:g} µm cell)"
                        if frac is not None
                        else ")"
                    ),
                ],
                className="ap-number",
            )
        )
    if n_spikes:
        words = (
            f"{n_spikes} spike(s) at {m.celsius:g} °C: the peak stays {m.ena - (ap.peak or 0):.1f} "
            f"mV below E_Na and the after-hyperpolarisation {(ap.ahp or 0) - m.ek:.1f} mV above "
            f"E_K (gates {phi:.3g} times as fast as at 6.3 °C)."
        )
    else:
        words = _no_spike_words(ap, h_rest, phi)
    items.append(html.P(words, id="ap-words", className="ap-words"))
    return items


def _table(caption: str, head: tuple[str, ...], rows: list[tuple[str, ...]]) -> Any:
    """A small accessible table (caption, header cells with scope) of what a plot shows."""
    if not rows:
        return html.P(f"{caption}: none.", className="note")
    return html.Details(
        [
            html.Summary(caption),
            html.Table(
                [
                    html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                    html.Tbody(
                        [
                            html.Tr([html.Th(r[0], scope="row"), *(html.Td(c) for c in r[1:])])
                            for r in rows
                        ]
                    ),
                ],
                className="table",
            ),
        ],
        className="explain",
    )


def _rest_weights(weights: Mapping[str, float], chord: float) -> Any:
    """The share of each conductance at rest and their chord-conductance potential."""
    parts: list[Any] = ["At rest the conductances weigh "]
    names = {"K+": "K+", "Na+": "Na+", "leak": "leak"}
    for i, (ion, w) in enumerate(weights.items()):
        if i:
            parts.append(", ")
        parts += [f"{names.get(ion, ion)} ", value_span(100 * w, f"{100 * w:.1f}"), " %"]
    parts += [
        "; their chord-conductance potential Σ g E / Σ g = ",
        html.Span(value_span(chord, f"{chord:+.2f}"), id="ap-chord"),
        " mV is V_rest.",
    ]
    return html.P(parts, id="ap-weights", className="note")


def _vc_numbers(family: Any) -> list[Any]:
    levels = family.levels
    k_na = int(family.peak_na.argmin())
    peak = float(family.peak_na[k_na])
    k_top = int(levels.argmax())
    steady = float(family.steady_k[k_top])
    m = family.membrane
    return [
        html.Div(
            [
                "Steps: ",
                html.Span(value_span(len(levels), str(len(levels))), id="ap-vc-count"),
                f" from {_mv(levels.min())} to {_mv(levels.max())} mV",
            ],
            className="ap-number big-number",
        ),
        _number("ap-vc-peak-na", "Largest inward I_Na", peak, f"{peak:+.3f}", "mA/cm²"),
        html.Div(
            [
                "at the step to ",
                html.Span(value_span(levels[k_na], _mv(levels[k_na])), id="ap-vc-peak-level"),
                " mV",
            ],
            className="ap-number",
        ),
        _number(
            "ap-vc-steady-k",
            f"I_K at the end of the step to {_mv(levels[k_top])} mV",
            steady,
            f"{steady:+.3f}",
            "mA/cm²",
        ),
        _number("ap-ena", "E_Na", m.ena, f"{m.ena:+.2f}", "mV"),
        _number("ap-ek", "E_K", m.ek, f"{m.ek:+.2f}", "mV"),
        html.P(
            "Each step opens Na+ channels first (inward, negative current, which reverses at "
            "E_Na) and K+ channels later (outward, positive, reversing at E_K).",
            id="ap-words",
            className="ap-words",
        ),
    ]


# -- callbacks ---------------------------------------------------------------------------------
def _state(values: Mapping[str, Any]) -> dict[str, Any]:
    state = {k: values.get(k) for k in _KEYS}
    state["query"] = state_query(to_query(state))
    return state


def to_query(state: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The tab's simulation state as query parameters (only the mode's own controls).

    >>> to_query({**DEFAULTS, "k_out": 10.0})  # doctest: +NORMALIZE_WHITESPACE
    [('ap.mode', 'cc'), ('ap.cell', 'hh'), ('ap.K', '10'), ('ap.Na', '140'), ('ap.T', '6.3'),
     ('ap.amp', '10'), ('ap.on', '5'), ('ap.dur', '1'), ('ap.until', '30'),
     ('ap.plot', 'currents')]
    """
    if state.get("mode") == "vc":
        skip = {"amplitude", "onset", "duration", "train", "number", "interval", "until", "second"}
    else:
        skip = {"hold", "v_from", "v_to", "v_step", "vc_duration"}
        if not _is_on(state.get("train")):
            skip |= {"train", "number", "interval"}
    pairs: list[tuple[str, str]] = []
    for key, _, _, q in CONTROLS:
        if key in skip:
            continue
        value = state.get(key)
        if key == "train":
            pairs.append((f"{TAB_ID}.{q}", "1"))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            pairs.append((f"{TAB_ID}.{q}", number_text(value)))
        elif value is not None:
            pairs.append((f"{TAB_ID}.{q}", str(value)))
    return pairs


def _is_on(value: Any) -> bool:
    """Whether a checklist value (or a bool) means "on"."""
    if isinstance(value, bool):
        return value
    return isinstance(value, (list, tuple)) and "on" in value


def _failed(message: str, values: Mapping[str, Any]) -> tuple[Any, ...]:
    numbers = [html.P("—", id="ap-words", className="ap-words")]
    return (numbers, message, no_update, no_update, no_update, {**_state(values), "ok": False})


def compute_ap(*args: Any) -> tuple[Any, ...]:
    """Everything the simulation part of the tab shows (see :data:`OUTPUTS`).

    Arguments are the controls' values in :data:`CONTROLS` order. Returns ``(numbers,
    error, v_figure, second_figure, state)``: ``numbers`` the components of the aria-live
    results (each number's value span holds it in full precision in ``data-value``),
    ``error`` an inline message ("" when all is well), ``state`` the scenario for the URL and
    the numbers shown. Never raises for bad input.
    """
    import nernst
    from nernst.hh import HH_REFERENCE_CELSIUS

    values = dict(zip(_KEYS, args, strict=True))
    mode = "vc" if values["mode"] == "vc" else "cc"
    values["mode"] = mode
    preset = values["preset"]
    if not isinstance(preset, str) or preset not in PRESETS:
        return _failed(f"Unknown membrane {preset!r}: choose one from the list.", values)
    second = "gates" if values["second"] == "gates" else "currents"
    values["second"] = second
    try:
        k_out = _checked("k_out", values["k_out"])
        na_out = _checked("na_out", values["na_out"])
        celsius = _checked("celsius", values["celsius"])
        if mode == "cc":
            amplitude = _checked("amplitude", values["amplitude"])
            onset = _checked("onset", values["onset"])
            duration = _checked("duration", values["duration"])
            until = _checked("until", values["until"])
            number, interval = 1, 0.0
            if _is_on(values["train"]):
                number = int(_checked("number", values["number"]))
                interval = _checked("interval", values["interval"])
                if interval < duration:
                    raise _Bad(
                        f"The train interval ({number_text(interval)} ms) must be at least the "
                        f"step duration ({number_text(duration)} ms)."
                    )
            if onset >= until:
                raise _Bad(
                    f"The onset ({number_text(onset)} ms) must come before the end of the run "
                    f"({number_text(until)} ms)."
                )
        else:
            hold = _checked("hold", values["hold"])
            v_from = _checked("v_from", values["v_from"])
            v_to = _checked("v_to", values["v_to"])
            v_step = _checked("v_step", values["v_step"])
            vc_duration = _checked("vc_duration", values["vc_duration"])
            if v_to < v_from:
                raise _Bad("The last step must not be below the first step.")
            n_levels = math.floor((v_to - v_from) / v_step + 1e-9) + 1
            if n_levels > MAX_LEVELS:
                raise _Bad(
                    f"{n_levels} steps are too many: at most {MAX_LEVELS} (use a larger increment)."
                )
    except _Bad as bad:
        return _failed(_message(bad), values)

    try:
        membrane = membrane_for(preset, k_out=k_out, na_out=na_out, celsius=celsius)
        if mode == "vc":
            levels = [v_from + k * v_step for k in range(n_levels)]
            family = nernst.voltage_clamp_hh(
                membrane,
                levels=levels,
                hold=hold,
                start="1ms",
                duration=vc_duration * 1e-3,
                dt=DT,
            )
            numbers = _vc_numbers(family)
            table = _table(
                "Voltage-clamp steps: the plotted currents as numbers",
                ("step (mV)", "peak I_Na (mA/cm²)", "I_K at the end (mA/cm²)"),
                [
                    (_mv(v), f"{na:+.4f}", f"{k:+.4f}")
                    for v, na, k in zip(
                        family.levels.tolist(),
                        family.peak_na.tolist(),
                        family.steady_k.tolist(),
                        strict=True,
                    )
                ],
            )
            fig1 = _family_figure(family, "Na+", f"Na+ current under voltage clamp, {celsius:g} °C")
            fig2 = _family_figure(family, "K+", f"K+ current under voltage clamp, {celsius:g} °C")
            results = {
                "levels_mV": family.levels.tolist(),
                "peak_na": family.peak_na.tolist(),
                "steady_k": family.steady_k.tolist(),
                "E_Na_mV": membrane.ena,
                "E_K_mV": membrane.ek,
            }
        else:
            text = stimulus_text(amplitude, onset, duration, number, interval)
            ap = _simulate(membrane, text, until)
            v_rest = ap.v_rest
            h_rest = float(nernst.hh_gates(v_rest, celsius=celsius)["h_inf"])
            phi = float(
                nernst.hh_rates(v_rest, celsius=celsius)["alpha_n"]
                / nernst.hh_rates(v_rest, celsius=HH_REFERENCE_CELSIUS)["alpha_n"]
            )
            g_rest = membrane.conductances(v_rest)
            shares: Mapping[str, Any] = nernst.chord_weights(g_rest)  # type: ignore[assignment]
            weights = {k: float(w) for k, w in shares.items()}
            chord = float(nernst.chord_potential(g_rest, E=membrane.reversal_potentials()))
            numbers = _ap_numbers(ap, h_rest, phi)
            table = _table(
                "Spike times: the plotted spikes as numbers",
                ("spike", "time (ms)"),
                [(str(i + 1), f"{1e3 * t:.3f}") for i, t in enumerate(ap.spike_times.tolist())],
            )
            numbers.insert(-1, _rest_weights(weights, chord))
            fig1 = _v_figure(ap, f"V(t), {celsius:g} °C, stimulus {text}")
            fig2 = _second_figure(ap, second)
            results = {
                **ap.summary(),
                "h_rest": h_rest,
                "stimulus": text,
                "chord_weights": weights,
                "chord_potential_mV": chord,
            }
    except (ValueError, RuntimeError) as err:
        return _failed(f"Cannot simulate this membrane: {_message(err)}", values)
    state = {**_state(values), "ok": True, "results": results}
    return (numbers, "", fig1, fig2, table, state)


def compute_chloride(
    preset: Any, k_out: Any, na_out: Any, celsius: Any, kcc2: Any, nkcc1: Any
) -> tuple[Any, ...]:
    """The chloride panel (see :data:`CHLORIDE_OUTPUTS`): steady E_Cl at the membrane's
    resting potential, E_GABA (Cl- and HCO3-) and whether GABA depolarises.

    Returns ``(numbers, error, state)``; never raises for bad input.
    """
    import nernst

    state: dict[str, Any] = {"kcc2": parse_number(kcc2), "nkcc1": parse_number(nkcc1)}
    state["query"] = state_query(
        [(f"{TAB_ID}.{q}", number_text(state[k])) for k, _, _, q in CHLORIDE_CONTROLS if state[k]]
    )

    def failed(message: str) -> tuple[Any, ...]:
        return ([html.P("—", id="ap-gaba")], message, {**state, "ok": False})

    if not isinstance(preset, str) or preset not in PRESETS:
        return failed(f"Unknown membrane {preset!r}: choose one from the list.")
    try:
        k = _checked("k_out", k_out)
        na = _checked("na_out", na_out)
        T = _checked("celsius", celsius)
        rate_kcc2 = _checked("kcc2", kcc2)
        rate_nkcc1 = _checked("nkcc1", nkcc1)
    except _Bad as bad:
        return failed(_message(bad))
    try:
        base = preset_cell(preset)
        membrane = membrane_for(preset, k_out=k, na_out=na, celsius=T)
        v_rest = membrane.resting_potential()
        c_in = base["inside"]
        c_out = {"Na+": na, "K+": k, "Cl-": base["outside"]["Cl-"]}
        e_cl = float(
            nernst.chloride_steady_state(
                v_m=v_rest,
                c_in=c_in,
                c_out=c_out,
                g_cl=G_CL,
                kcc2=rate_kcc2,
                nkcc1=rate_nkcc1,
                celsius=T,
            )
        )
        cl_in = float(
            nernst.equilibrium_internal_concentration(
                "Cl-", v_m=e_cl, c_out=c_out["Cl-"], celsius=T
            )
        )
        e_gaba = float(
            nernst.ghk_voltage(
                {"Cl-": 1.0, "HCO3-": P_HCO3_OVER_CL},
                c_in={"Cl-": cl_in, "HCO3-": HCO3_IN},
                c_out={"Cl-": c_out["Cl-"], "HCO3-": HCO3_OUT},
                celsius=T,
            )
        )
    except (ValueError, RuntimeError) as err:
        return failed(f"Cannot compute the chloride steady state: {_message(err)}")
    depolarising = e_gaba > v_rest
    verdict = "depolarising" if depolarising else "hyperpolarising"
    where = "above" if depolarising else "below"
    effect = (
        "up (as in immature neurons, NKCC1 dominant)"
        if depolarising
        else "down (as in mature neurons, KCC2 dominant)"
    )
    words = (
        f": E_GABA ({e_gaba:+.1f} mV) lies {abs(e_gaba - v_rest):.1f} mV {where} V_rest "
        f"({v_rest:+.1f} mV), so opening GABA-A channels moves V {effect}."
    )
    numbers = [
        _number("ap-ecl", "Steady E_Cl", e_cl, f"{e_cl:+.1f}", "mV"),
        _number("ap-clin", "[Cl-]in", cl_in, f"{cl_in:.3g}", "mM"),
        _number("ap-egaba", "E_GABA (Cl- and HCO3-)", e_gaba, f"{e_gaba:+.1f}", "mV"),
        _number("ap-cl-vrest", "V_rest", v_rest, f"{v_rest:+.1f}", "mV"),
        html.P(
            ["GABA is ", html.Strong(verdict, id="ap-gaba-verdict"), words],
            id="ap-gaba",
            className="ap-words",
        ),
    ]
    state.update(
        {"ok": True, "E_Cl_mV": e_cl, "Cl_in_mM": cl_in, "E_GABA_mV": e_gaba, "verdict": verdict}
    )
    state["v_rest_mV"] = v_rest
    return (numbers, "", state)


def load_ap(trigger: Any, search: str | None, preset: Any) -> tuple[Any, ...]:
    """Restore the controls from a link, or a preset's concentrations and temperature.

    ``trigger`` is ``"ap-preset"`` (a preset chosen: its [K+]out, [Na+]out and temperature
    fill the inputs) or anything else (page load: the ``ap.*`` query parameters). Returns the
    values of :data:`LOAD_OUTPUTS` (``no_update`` where nothing changes); a malformed
    parameter leaves its control as it is and is named in the message.
    """
    out: dict[str, Any] = dict.fromkeys(LOAD_OUTPUTS, no_update)
    if trigger == "ap-preset":
        if not isinstance(preset, str) or preset not in PRESETS:
            out["message"] = f"Unknown membrane {preset!r}: choose one from the list."
        else:
            base = preset_cell(preset)
            out.update(
                k_out=base["outside"]["K+"],
                na_out=base["outside"]["Na+"],
                celsius=base["celsius"],
                message="",
            )
        return tuple(out[k] for k in LOAD_OUTPUTS)
    params = parse_query(search)
    if not any(k.startswith(f"{TAB_ID}.") for k in params):
        return tuple(out[k] for k in LOAD_OUTPUTS)
    bad: list[str] = []
    choices = {"mode": ("cc", "vc"), "preset": tuple(PRESETS), "second": ("currents", "gates")}
    for key, _, _, q in (*CONTROLS, *CHLORIDE_CONTROLS):
        text = first(params, f"{TAB_ID}.{q}")
        if text is None:
            continue
        if key in choices:
            if text in choices[key]:
                out[key] = text
            else:
                bad.append(f"{TAB_ID}.{q}={text[:20]!r}")
        elif key == "train":
            out[key] = ["on"] if text in ("1", "on", "true") else []
        else:
            value = parse_number(text)
            low, high = LIMITS[key][:2]
            if value is None or not low <= value <= high:
                bad.append(f"{TAB_ID}.{q}={text[:20]!r}")
            else:
                out[key] = int(value) if key == "number" else value
    out["message"] = (
        "This link has values the tab cannot use (kept the defaults for them): "
        + ", ".join(bad)
        + "."
        if bad
        else ""
    )
    return tuple(out[k] for k in LOAD_OUTPUTS)


# -- layout ------------------------------------------------------------------------------------
def _aria(**attributes: Any) -> dict[str, Any]:
    """ARIA attributes for a component (``label="x"`` -> ``{"aria-label": "x"}``)."""
    return {f"aria-{k}": v for k, v in attributes.items()}


def _marks(lo: float, hi: float, log: bool) -> dict[float, str]:
    if log:
        decades = range(math.ceil(lo), math.floor(hi) + 1)
        return {float(d): f"{10.0**d:g}" if d >= -3 else f"1e{d}" for d in decades}
    return {float(v): f"{v:g}" for v in range(int(lo), int(hi) + 1, 10)}


def _slider_field(
    key: str, id_: str, label: str, unit: str, rng: tuple[float, float], log: bool
) -> Any:
    value = DEFAULTS[key]
    return html.Div(
        [
            html.Label(label, htmlFor=id_, id=f"{id_}-label"),
            html.Div(
                [
                    html.Div(
                        dcc.Slider(
                            id=f"{id_}-slider",
                            min=rng[0],
                            max=rng[1],
                            step=0.01 if log else 0.1,
                            value=round(math.log10(value), 2) if log else value,
                            marks=_marks(*rng, log),
                            updatemode="mouseup",
                            allow_direct_input=False,
                            className="log-slider" if log else "linear-slider",
                        ),
                        role="group",
                        className="ap-slider-group",
                        **_aria(label=f"{label} slider ({'log' if log else 'linear'} scale)"),
                    ),
                    dcc.Input(
                        id=id_,
                        type="number",
                        value=value,
                        step="any",
                        debounce=0.2,
                        className="number no-stepper",
                    ),
                    html.Span(unit, className="unit"),
                ],
                className="slider-row",
                style={"gridTemplateColumns": f"1fr 110px {max(28, 9 * len(unit))}px"},
            ),
        ],
        className="field",
    )


def _number_field(key: str, id_: str, label: str, unit: str, step: Any = "any") -> Any:
    return html.Div(
        [
            html.Label(label, htmlFor=id_),
            dcc.Input(
                id=id_,
                type="number",
                value=DEFAULTS[key],
                step=step,
                debounce=0.2,
                className="number",
            ),
            html.Span(unit, className="unit"),
        ],
        className="field inline",
    )


def _radio(id_: str, legend: str, options: Mapping[str, str], value: str) -> Any:
    return html.Fieldset(
        [
            html.Legend(legend),
            dcc.RadioItems(
                id=id_,
                options=[{"label": f" {text}", "value": key} for key, text in options.items()],
                value=value,
                inline=True,
                labelStyle={"marginRight": "14px"},
            ),
        ],
        className="field ap-fieldset",
    )


def layout() -> Any:
    """The tab's content with the default scenario (NEURON's hh, 10 µA/cm² for 1 ms)."""
    d = DEFAULTS
    current_clamp = html.Div(
        [
            html.H3("Stimulus (current clamp)"),
            _number_field("amplitude", "ap-amp", "Step amplitude", "µA/cm²"),
            _number_field("onset", "ap-onset", "Onset", "ms"),
            _number_field("duration", "ap-dur", "Step duration", "ms"),
            dcc.Checklist(
                id="ap-train",
                options=[{"label": " a train of steps", "value": "on"}],
                value=[],
            ),
            _number_field("number", "ap-number", f"Pulses (at most {MAX_PULSES})", "", step=1),
            _number_field("interval", "ap-interval", "Onset-to-onset interval", "ms"),
            _number_field("until", "ap-until", f"Simulated time (at most {MAX_UNTIL_MS:g})", "ms"),
            _radio(
                "ap-second", "Second plot", {"currents": "currents", "gates": "gates"}, d["second"]
            ),
        ],
        id="ap-cc-controls",
    )
    voltage_clamp = html.Div(
        [
            html.H3("Voltage-clamp steps"),
            _number_field("hold", "ap-hold", "Holding potential", "mV"),
            _number_field("v_from", "ap-vfrom", "First step", "mV"),
            _number_field("v_to", "ap-vto", "Last step", "mV"),
            _number_field("v_step", "ap-vstep", "Increment", "mV"),
            _number_field("vc_duration", "ap-vdur", "Step duration", "ms"),
        ],
        id="ap-vc-controls",
        style={"display": "none"},
    )
    hints = html.Details(
        [
            html.Summary("Things to try"),
            html.Ul(
                [
                    html.Li(
                        "Raise [K+]out (hyperkalaemia): E_K and rest rise, h∞ falls, and the "
                        "spike shrinks, then fails."
                    ),
                    html.Li("Lower [Na+]out: E_Na and the peak fall together."),
                    html.Li(
                        "Warm the membrane: the spike gets faster and smaller; above about "
                        "30 °C it no longer fires."
                    ),
                    html.Li(
                        "Voltage clamp: Na+ current is inward, then inactivates; K+ current "
                        "is outward and stays."
                    ),
                    html.Li("Chloride: raise KCC2 until GABA turns hyperpolarising."),
                ]
            ),
        ],
        className="explain",
    )
    chloride = html.Section(
        [
            html.H3("Chloride and GABA"),
            html.P(
                "KCC2 extrudes K+ and Cl-, NKCC1 loads Na+, K+ and 2 Cl-; with a Cl- "
                f"conductance of {G_CL:g} S/cm² they set E_Cl at V_rest. E_GABA adds HCO3- "
                f"({HCO3_IN:g} mM in, {HCO3_OUT:g} mM out, P_HCO3/P_Cl = {P_HCO3_OVER_CL:g}).",
                className="note",
            ),
            _slider_field("kcc2", "ap-kcc2", "KCC2 level (rate)", "mol/cm²/s", KCC2_LOG, log=True),
            _slider_field(
                "nkcc1", "ap-nkcc1", "NKCC1 level (rate)", "mol/cm²/s", NKCC1_LOG, log=True
            ),
            html.Div(id="ap-cl-error", className="error", role="alert"),
            html.Div(id="ap-cl-numbers", className="ap-numbers", **_aria(live="polite")),
        ],
        className="ap-chloride",
        **_aria(label="Chloride and GABA"),
    )
    return html.Div(
        [
            html.Div(
                [
                    _radio(
                        "ap-mode",
                        "Mode",
                        {"cc": "current clamp (action potential)", "vc": "voltage clamp"},
                        d["mode"],
                    ),
                    html.Div(
                        [
                            html.Label("Membrane", htmlFor="ap-preset"),
                            dcc.Dropdown(
                                id="ap-preset",
                                options=[{"label": v, "value": k} for k, v in PRESETS.items()],
                                value=d["preset"],
                                clearable=False,
                            ),
                        ],
                        className="field",
                    ),
                    html.P(
                        "E_Na and E_K follow the Na+ and K+ concentrations by Nernst. NEURON's hh "
                        "uses NEURON's default concentrations (Na+ 10/140, K+ 54.4/2.5 mM in/out).",
                        className="note",
                    ),
                    _slider_field("k_out", "ap-k", "[K+]out", "mM", K_LOG, log=True),
                    _slider_field("na_out", "ap-na", "[Na+]out", "mM", NA_LOG, log=True),
                    _slider_field("celsius", "ap-celsius", "Temperature", "°C", T_RANGE, log=False),
                    current_clamp,
                    voltage_clamp,
                    html.Div(id="ap-load-msg", className="error", role="alert"),
                ],
                className="controls",
            ),
            html.Div(
                [
                    html.Div(id="ap-error", className="error", role="alert"),
                    html.Div(
                        id="ap-numbers",
                        className="ap-numbers",
                        role="status",
                        **_aria(live="polite"),
                    ),
                    html.Div([graph("ap-v"), graph("ap-second-plot")], className="graphs"),
                    html.Div(id="ap-table"),
                    hints,
                    chloride,
                ],
                className="results",
            ),
            dcc.Store(id="ap-sim-state"),
            dcc.Store(id="ap-cl-state"),
            dcc.Store(id="ap-state"),
            dcc.Store(id="ap-thumb-labels"),
        ],
        className="tab-body",
    )


# -- browser-side glue -------------------------------------------------------------------------
def _sync_js(lo: float, hi: float, log: bool) -> str:
    """Keep a slider and its typed input in step in the browser: the slider writes its value
    (10**value with 4 significant digits on a log slider) into the input; a typed number
    moves the slider (clipped to its range)."""
    to_input = "Number(Math.pow(10, s).toPrecision(4))" if log else "Math.round(s * 10) / 10"
    to_slider = "Math.log10(typed)" if log else "typed"
    valid = "typed > 0" if log else "true"
    return f"""
function(s, typed) {{
    var ctx = window.dash_clientside.callback_context;
    var nu = window.dash_clientside.no_update;
    var fromSlider = ctx.triggered.some(function (t) {{
        return t.prop_id.indexOf("-slider.") >= 0;
    }});
    if (fromSlider) {{
        if (s === null || s === undefined) {{ return [nu, nu]; }}
        return [nu, {to_input}];
    }}
    if (typeof typed !== "number" || !isFinite(typed) || !({valid})) {{ return [nu, nu]; }}
    var v = {to_slider};
    return [Math.min({hi!r}, Math.max({lo!r}, v)), nu];
}}
"""


_MERGE_JS = """
function(sim, cl) {
    if (!sim || !cl) { return window.dash_clientside.no_update; }
    var q = [sim.query, cl.query].filter(function (x) { return x; }).join("&");
    return {query: q, simulation: sim, chloride: cl};
}
"""

_MODE_JS = """
function(mode) {
    var show = {display: "block"}, hide = {display: "none"};
    return mode === "vc" ? [hide, show] : [show, hide];
}
"""

# The slider thumbs (role=slider) get the accessible name of their labelled group, also when
# a slider is drawn later (tabs render their content when opened).
_LABEL_THUMBS_JS = """
function(id) {
    function label() {
        document.querySelectorAll(".ap-slider-group").forEach(function (group) {
            var thumb = group.querySelector("[role=slider]");
            if (thumb && thumb.getAttribute("aria-label") !== group.getAttribute("aria-label")) {
                thumb.setAttribute("aria-label", group.getAttribute("aria-label"));
            }
        });
    }
    if (!window.__apThumbObserver) {
        window.__apThumbObserver = new MutationObserver(label);
        window.__apThumbObserver.observe(document.body, {childList: true, subtree: true});
    }
    label();
    return window.dash_clientside.no_update;
}
"""

_TRAIN_JS = """
function(v) { var off = !(v && v.indexOf("on") >= 0); return [off, off]; }
"""


def register(app: Any) -> None:
    """Add the tab's callbacks to the Dash app."""
    import scipy.integrate  # noqa: F401  (load the ODE solver now, not in the first run)

    outputs = [
        Output(component, prop)
        for key in LOAD_OUTPUTS[:-1]
        for k, component, prop, _ in (*CONTROLS, *CHLORIDE_CONTROLS)
        if k == key
    ]

    @app.callback(
        *outputs,
        Output("ap-load-msg", "children"),
        Input("url", "search"),
        Input("ap-preset", "value"),
    )
    def _load(search: Any, preset: Any) -> Any:
        return load_ap(ctx.triggered_id, search, preset)

    for id_, rng, log in (
        ("ap-k", K_LOG, True),
        ("ap-na", NA_LOG, True),
        ("ap-celsius", T_RANGE, False),
        ("ap-kcc2", KCC2_LOG, True),
        ("ap-nkcc1", NKCC1_LOG, True),
    ):
        app.clientside_callback(
            _sync_js(*rng, log),
            Output(f"{id_}-slider", "value"),
            Output(id_, "value", allow_duplicate=True),
            Input(f"{id_}-slider", "value"),
            Input(id_, "value"),
            prevent_initial_call=True,
        )
    app.callback(
        Output("ap-numbers", "children"),
        Output("ap-error", "children"),
        Output("ap-v-data", "data"),
        Output("ap-second-plot-data", "data"),
        Output("ap-table", "children"),
        Output("ap-sim-state", "data"),
        [Input(component, prop) for _, component, prop, _ in CONTROLS],
    )(compute_ap)
    app.callback(
        Output("ap-cl-numbers", "children"),
        Output("ap-cl-error", "children"),
        Output("ap-cl-state", "data"),
        Input("ap-preset", "value"),
        Input("ap-k", "value"),
        Input("ap-na", "value"),
        Input("ap-celsius", "value"),
        Input("ap-kcc2", "value"),
        Input("ap-nkcc1", "value"),
    )(compute_chloride)
    link_graphs(app, "ap-v", "ap-second-plot")
    app.clientside_callback(
        _MERGE_JS,
        Output("ap-state", "data"),
        Input("ap-sim-state", "data"),
        Input("ap-cl-state", "data"),
    )
    app.clientside_callback(
        _MODE_JS,
        Output("ap-cc-controls", "style"),
        Output("ap-vc-controls", "style"),
        Input("ap-mode", "value"),
    )
    app.clientside_callback(
        _LABEL_THUMBS_JS, Output("ap-thumb-labels", "data"), Input("ap-thumb-labels", "id")
    )
    app.clientside_callback(
        _TRAIN_JS,
        Output("ap-number", "disabled"),
        Output("ap-interval", "disabled"),
        Input("ap-train", "value"),
    )


TAB = TabSpec(
    id=TAB_ID,
    label="Action potential",
    order=50,
    layout=layout,
    register=register,
    state_id="ap-state",
)
