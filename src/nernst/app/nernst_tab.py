"""Nernst tab: the equilibrium potential of one ion, its explanation and E vs the ratio.

Controls: the ion (any ion of the table, or just a valence), inside and outside
concentrations on log-scaled sliders with typed inputs, temperature and optional activity
coefficients. The typed inputs are the values used; each slider is a log10 view of its input,
kept in step in the browser. Every number comes from :func:`nernst.equilibrium_potential`
and :func:`nernst.explain.explain_equilibrium_potential`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from dash import Input, Output, State, dcc, html, no_update

from nernst.app.equations import equation_panel, nernst_tex
from nernst.app.layout import (
    EMPTY_FIGURE,
    TabSpec,
    add_class,
    attrs,
    graph,
    link_graphs,
    state_query,
    value_span,
)
from nernst.app.membrane import Column, membrane_panel, membrane_svg, register_membrane
from nernst.app.messages import plausibility, positive, student_text, temperature, warning_view
from nernst.app.scenario import first, number_text, parse_number, parse_query, table_csv

__all__ = [
    "OUTPUTS",
    "TAB",
    "compute_nernst",
    "load_nernst",
    "nernst_csv",
    "parse_ion",
    "to_query",
]

TAB_ID = "nernst"
DEFAULTS: dict[str, Any] = {
    "ion": "K+",
    "c_in": 140.0,
    "c_out": 5.0,
    "celsius": 37.0,
    "activity": False,
    "gamma_in": 1.0,
    "gamma_out": 1.0,
}
#: Slider range, log10 of the concentration in mM: 1 nM to 1 M.
LOG_MIN, LOG_MAX, LOG_STEP = -6.0, 3.0, 0.01
VALENCES = (1, 2, 3, -1, -2, -3)

#: Names of the values :func:`compute_nernst` returns, in order.
OUTPUTS = ("E", "error", "explanation", "figure", "state", "warning")
#: Names of the values :func:`nernst_picture` returns (a second request, after the number).
PICTURE_OUTPUTS = ("membrane", "equation")

CSV_COLUMNS = (
    "ion",
    "z",
    "c_in_mM",
    "c_out_mM",
    "gamma_in",
    "gamma_out",
    "celsius",
    "E_mV",
    "slope_mV_per_decade",
)


# -- ions -------------------------------------------------------------------------------------
def _valence_key(z: int) -> str:
    return f"z={z:+d}"


def ion_options() -> list[dict[str, str]]:
    """Dropdown options: every ion of the table, then bare valences."""
    from nernst import ions

    options = [
        {"label": f"{ion.symbol}  ({ion.name}, z = {ion.charge:+d})", "value": ion.symbol}
        for ion in ions.values()
    ]
    options += [{"label": f"any ion with z = {z:+d}", "value": _valence_key(z)} for z in VALENCES]
    return options


def parse_ion(text: str | None) -> str | int | None:
    """The dropdown value (or a URL value) as what the API takes: a symbol or a valence.

    >>> parse_ion("potassium"), parse_ion("z=+2"), parse_ion("-1"), parse_ion("unobtainium")
    ('K+', 2, -1, None)
    """
    from nernst import ions

    if not text:
        return None
    s = str(text).strip()
    body = s[2:] if s.lower().startswith("z=") else s
    if body.lstrip("+-").isdigit():
        z = int(body)
        return z if z in VALENCES else None
    try:
        return ions.resolve(s)
    except ValueError:
        return None


def _ion_value(ion: str | int) -> str:
    return ion if isinstance(ion, str) else _valence_key(ion)


def _ion_label(ion: str | int) -> str:
    return ion if isinstance(ion, str) else f"z={ion:+d}"


# -- layout -----------------------------------------------------------------------------------
def _marks() -> dict[int, str]:
    names = {-6: "1 nM", -3: "1 µM", 0: "1 mM", 3: "1 M"}
    return {d: names.get(d, "") for d in range(int(LOG_MIN), int(LOG_MAX) + 1)}


def _concentration(side: str, label: str, value: float) -> Any:
    return html.Div(
        [
            html.Label(label, htmlFor=f"nernst-c{side}"),
            html.Div(
                [
                    html.Div(
                        dcc.Slider(
                            id=f"nernst-c{side}-slider",
                            min=LOG_MIN,
                            max=LOG_MAX,
                            step=LOG_STEP,
                            value=math.log10(value),
                            marks=_marks(),
                            updatemode="drag",
                            allow_direct_input=False,
                            tooltip={"always_visible": False},
                            className="log-slider",
                        ),
                        className="slider-box",
                        **attrs({"data-a11y-unit": "mM", "data-a11y-log": "1"}),
                    ),
                    dcc.Input(
                        id=f"nernst-c{side}",
                        type="number",
                        value=value,
                        step="any",
                        debounce=False,
                        className="number no-stepper",
                    ),
                    html.Span("mM", className="unit"),
                ],
                className="slider-row",
            ),
        ],
        className="field",
    )


def layout() -> Any:
    """The tab's content with the default scenario; the beginner view hides what is marked
    ``advanced`` (temperature, activity, downloads, the equation)."""
    page = _layout()
    controls, _, results = page.children[:3]
    for child in controls.children[3:]:
        add_class(child, "advanced")
    add_class(results.children[-1], "advanced")
    return page


def _layout() -> Any:
    d = DEFAULTS
    return html.Div(
        [
            html.Div(
                [
                    html.Div(
                        [
                            html.Label("Ion", htmlFor="nernst-ion"),
                            dcc.Dropdown(
                                id="nernst-ion",
                                options=ion_options(),
                                value=d["ion"],
                                clearable=False,
                            ),
                        ],
                        className="field",
                    ),
                    _concentration("in", "Inside concentration", d["c_in"]),
                    _concentration("out", "Outside concentration", d["c_out"]),
                    html.Div(
                        [
                            html.Label("Temperature", htmlFor="nernst-celsius"),
                            dcc.Input(
                                id="nernst-celsius",
                                type="number",
                                value=d["celsius"],
                                step="any",
                                className="number",
                            ),
                            html.Span("°C", className="unit"),
                        ],
                        className="field inline",
                    ),
                    html.Div(
                        dcc.Checklist(
                            id="nernst-activity",
                            options=[
                                {"label": " use activity coefficients (a = γ c)", "value": "on"}
                            ],
                            value=[],
                        ),
                        **attrs({"data-a11y-label": "Activity coefficients"}),
                    ),
                    html.Div(
                        [
                            html.Label("γ inside", htmlFor="nernst-gamma-in"),
                            dcc.Input(
                                id="nernst-gamma-in",
                                type="number",
                                value=d["gamma_in"],
                                step="any",
                                className="number no-stepper",
                            ),
                            html.Label("γ outside", htmlFor="nernst-gamma-out"),
                            dcc.Input(
                                id="nernst-gamma-out",
                                type="number",
                                value=d["gamma_out"],
                                step="any",
                                className="number no-stepper",
                            ),
                        ],
                        className="field gammas",
                    ),
                    html.Div(
                        [
                            html.Button("Download table (CSV)", id="nernst-csv-button"),
                            dcc.Download(id="nernst-csv"),
                        ],
                        className="buttons",
                    ),
                ],
                className="controls",
            ),
            html.Div(
                [
                    html.Div(
                        id="nernst-E", className="big-number", **attrs({"aria-live": "polite"})
                    ),
                    html.Div(id="nernst-error", className="error", role="alert"),
                ],
                className="headline",
            ),
            html.Div(
                [
                    html.Div(id="nernst-load-msg", className="error", role="status"),
                    html.Div(id="nernst-warning", className="warning", role="status"),
                    html.Div([membrane_panel("nernst"), graph("nernst-plot")], className="graphs"),
                    equation_panel("nernst", "The equation with these numbers"),
                ],
                className="results",
            ),
            dcc.Store(id="nernst-state"),
        ],
        className="tab-body",
    )


# -- callbacks --------------------------------------------------------------------------------
def load_nernst(search: str | None) -> tuple[Any, ...]:
    """Restore the controls from a shared link: (ion, c_in, c_out, celsius, activity,
    gamma_in, gamma_out, message); ``no_update`` for every value the link does not give.

    Values are passed on as given (a nonsense number becomes an empty input and an inline
    message); an unknown ion keeps the current one and ``message`` says so.
    """
    params = parse_query(search if isinstance(search, str) else None)
    if not any(k.startswith(f"{TAB_ID}.") for k in params):
        return (no_update,) * 8

    def number(key: str) -> Any:
        text = first(params, f"{TAB_ID}.{key}")
        return no_update if text is None else parse_number(text)

    asked = first(params, f"{TAB_ID}.ion")
    ion = parse_ion(asked)
    message = ""
    if asked is not None and ion is None:
        message = (
            f"The link names the ion {asked[:40]!r}, which is not in the ion table: "
            "showing the ion chosen before instead. Pick one from the list."
        )
    gamma_in, gamma_out = number("gin"), number("gout")
    activity = ["on"] if gamma_in is not no_update or gamma_out is not no_update else []
    return (
        no_update if ion is None else _ion_value(ion),
        number("in"),
        number("out"),
        number("T"),
        activity,
        gamma_in,
        gamma_out,
        message,
    )


def _error(message: str) -> tuple[Any, ...]:
    """Outputs for inputs without an answer: no number, no plot, no equation (nothing stale)."""
    return (html.Span("E = —"), message, "", EMPTY_FIGURE, no_update, "")


#: Widest ratio range the E-vs-ratio curve spans (the ratio stays a finite float). [decades]
MAX_DECADES = 300.0


def compute_nernst(
    ion_value: str | None,
    c_in: Any,
    c_out: Any,
    celsius: Any,
    activity: list[str] | None,
    gamma_in: Any,
    gamma_out: Any,
) -> tuple[Any, ...]:
    """E, the explanation and the plot for the current controls (see :data:`OUTPUTS`).

    Returns ``(E, error, explanation, figure, state, warning)``: ``E`` a component whose
    value span carries the full-precision number in ``data-value``; ``error`` an inline
    message ("" when all is well); ``state`` the scenario for the URL; ``warning`` the
    plausibility warnings ("" when the values are physiological).
    """
    import numpy as np

    import nernst
    from nernst.explain import explain_equilibrium_potential

    ion = parse_ion(ion_value if isinstance(ion_value, str) else None)
    if ion is None:
        return _error(f"Unknown ion {_shown(ion_value)}: pick one from the list.")
    values: dict[str, float] = {}
    for name, raw, what in (
        ("c_in", c_in, "the inside concentration"),
        ("c_out", c_out, "the outside concentration"),
    ):
        number, message = positive(raw, what, "mM")
        if number is None:
            return _error(message)
        values[name] = number
    T, message = temperature(celsius)
    if T is None:
        return _error(message)
    values["celsius"] = T
    use_gamma = isinstance(activity, list) and "on" in activity
    if use_gamma:
        for name, raw, what in (
            ("gamma_in", gamma_in, "the inside activity coefficient"),
            ("gamma_out", gamma_out, "the outside activity coefficient"),
        ):
            number, message = positive(raw, what, "unitless")
            if number is None:
                return _error(message.replace(" unitless", "").replace("(unitless)", ""))
            values[name] = number
    else:
        values["gamma_in"] = values["gamma_out"] = 1.0
    kw = dict(values)
    try:
        E = float(nernst.equilibrium_potential(ion, **kw))
        if not math.isfinite(E):
            return _error(
                "E is not a finite number for these values: a concentration or an activity "
                "coefficient is too far out of range."
            )
        lines = explain_equilibrium_potential(ion, **kw)
        # E per tenfold change of the outside concentration (the "61 mV per decade").
        T = kw["celsius"]
        gammas = {"gamma_in": kw["gamma_in"], "gamma_out": kw["gamma_out"]}
        slope = float(
            nernst.equilibrium_potential(ion, c_in=1.0, c_out=10.0, celsius=T, **gammas)
            - nernst.equilibrium_potential(ion, c_in=1.0, c_out=1.0, celsius=T, **gammas)
        )
        decades = math.log10(kw["c_out"]) - math.log10(kw["c_in"])  # no under/overflow
        ratio: float | None = kw["c_out"] / kw["c_in"]
        if not (ratio is not None and 0 < ratio < math.inf) or abs(decades) > MAX_DECADES:
            ratio = None  # off the drawn curve: no point for it
        lo = max(-MAX_DECADES, min(-4.0, math.floor(decades) - 1.0))
        hi = min(MAX_DECADES, max(4.0, math.ceil(decades) + 1.0))
        ratios = np.logspace(lo, hi, 241)
        # E depends on c_out / c_in only: the curve is drawn for c_in = 1 mM, so no
        # concentration on it overflows however large the typed c_in is.
        curve = nernst.equilibrium_potential(ion, c_in=1.0, c_out=ratios, celsius=T, **gammas)
    except ValueError as err:
        return _error(student_text(str(err.args[0]) if err.args else str(err)))

    label = _ion_label(ion)
    z = int(nernst.valence(ion))
    E_view = html.Span(
        [
            f"E({label}) = ",
            value_span(E, f"{E:+.2f}"),
            " mV",
        ]
    )
    data: list[dict[str, Any]] = [
        {
            "x": ratios.tolist(),
            "y": np.asarray(curve).tolist(),
            "mode": "lines",
            "name": f"E({label})",
            "hovertemplate": "out/in = %{x:.3g}<br>E = %{y:+.2f} mV<extra></extra>",
        }
    ]
    if ratio is not None:
        data.append(
            {
                "x": [ratio],
                "y": [E],
                "mode": "markers+text",
                "name": "this scenario",
                "marker": {"size": 12, "color": "#d62728"},
                "text": [f"{E:+.1f} mV"],
                "textposition": "top left" if z > 0 else "top right",
                "hovertemplate": "out/in = %{x:.4g}<br>E = %{y:+.2f} mV<extra></extra>",
            }
        )
    figure = {
        "data": data,
        "layout": {
            "title": {
                "text": f"E({label}) at {kw['celsius']:g} °C: {slope:+.2f} mV per tenfold<br>"
                "increase of the outside concentration",
                "font": {"size": 13},
            },
            "xaxis": {
                "type": "log",
                "title": {"text": f"[{label}]out / [{label}]in"},
                "exponentformat": "power",
            },
            "yaxis": {"title": {"text": "E = V_in - V_out (mV)"}, "zeroline": True},
            "showlegend": False,
            "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
            "height": 380,
            "autosize": True,
        },
    }
    state = {
        "ion": _ion_value(ion),
        "c_in": kw["c_in"],
        "c_out": kw["c_out"],
        "celsius": kw["celsius"],
        "activity": use_gamma,
        "gamma_in": kw["gamma_in"],
        "gamma_out": kw["gamma_out"],
        "E_mV": E,
        "z": z,
        "slope_mV_per_decade": slope,
    }
    state["query"] = state_query(to_query(state))
    warnings = plausibility(
        concentrations=[(f"[{label}] inside", kw["c_in"]), (f"[{label}] outside", kw["c_out"])],
        potentials=[(f"E({label})", E)],
        celsius=kw["celsius"],
    )
    return (E_view, "", "\n".join(lines), figure, state, warning_view(warnings))


def nernst_picture(state: Any, error: Any, form: Any = "ln") -> tuple[str, str]:
    """The membrane view (SVG) and the typeset equation for the tab's state; both empty when
    the inputs gave an error. A callback of its own, run after the number is on the page.
    """
    import nernst

    if error or not isinstance(state, Mapping) or "E_mV" not in state:
        return "", ""
    ion = parse_ion(str(state.get("ion")))
    if ion is None:
        return "", ""
    label = _ion_label(ion)
    E, T = float(state["E_mV"]), float(state["celsius"])
    c_in, c_out = float(state["c_in"]), float(state["c_out"])
    gammas = {"gamma_in": float(state["gamma_in"]), "gamma_out": float(state["gamma_out"])}
    direction = int(
        nernst.flux_direction(ion, v_m=0.0, c_in=c_in, c_out=c_out, celsius=T, **gammas)
    )
    flux = {1: "out", -1: "in"}.get(direction, "none")
    where = {"out": "diffuses out", "in": "diffuses in", "none": "does not move"}[flux]
    membrane = membrane_svg(
        [Column(label, c_in, c_out, 1.0, flux, E)],
        title=f"{label} across the membrane at V = 0 mV",
        caption=f"At V = 0 mV {label} {where}; at V = E = {E:+.1f} mV the net flux is zero",
    )
    equation = nernst_tex(
        label,
        z=int(state["z"]),
        c_in=c_in,
        c_out=c_out,
        thermal_mV=float(nernst.thermal_voltage(celsius=T)),
        slope_mV=float(state["slope_mV_per_decade"]),
        E=E,
        form="log10" if form == "log10" else "ln",
        **gammas,
    )
    return membrane, equation


def _shown(raw: Any) -> str:
    text = repr(raw) if not isinstance(raw, str) else repr(raw.strip())
    return text if len(text) <= 30 else text[:27] + "..."


def to_query(state: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The tab's state as query parameters.

    >>> to_query({"ion": "K+", "c_in": 140.0, "c_out": 5.0, "celsius": 37.0,
    ...           "activity": False})
    [('nernst.ion', 'K+'), ('nernst.in', '140'), ('nernst.out', '5'), ('nernst.T', '37')]
    """
    pairs = [
        (f"{TAB_ID}.ion", str(state["ion"])),
        (f"{TAB_ID}.in", number_text(state["c_in"])),
        (f"{TAB_ID}.out", number_text(state["c_out"])),
        (f"{TAB_ID}.T", number_text(state["celsius"])),
    ]
    if state.get("activity"):
        pairs += [
            (f"{TAB_ID}.gin", number_text(state["gamma_in"])),
            (f"{TAB_ID}.gout", number_text(state["gamma_out"])),
        ]
    return pairs


def nernst_csv(state: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The current result as a one-row CSV download (``dcc.send_string`` payload)."""
    if not state:
        return None
    row = {
        "ion": _ion_label(parse_ion(state["ion"]) or state["ion"]),
        "z": state["z"],
        "c_in_mM": state["c_in"],
        "c_out_mM": state["c_out"],
        "gamma_in": state["gamma_in"],
        "gamma_out": state["gamma_out"],
        "celsius": state["celsius"],
        "E_mV": state["E_mV"],
        "slope_mV_per_decade": state["slope_mV_per_decade"],
    }
    return {
        "content": table_csv(CSV_COLUMNS, [row]),
        "filename": "nernst-potential.csv",
        "type": "text/csv",
        "base64": False,
    }


def _download(n_clicks: int | None, state: Mapping[str, Any] | None) -> Any:
    if not n_clicks:
        return no_update
    return nernst_csv(state) or no_update


# Keeps each log slider and its typed input in step, in the browser (no server round trip):
# moving the slider writes 10**value (4 significant digits) into the input; typing a
# positive number moves the slider to its log10.
_SYNC_JS = """
function(sliderValue, typed) {
    var ctx = window.dash_clientside.callback_context;
    var nu = window.dash_clientside.no_update;
    var fromSlider = ctx.triggered.some(function (t) {
        return t.prop_id.indexOf("-slider.") >= 0;
    });
    if (fromSlider) {
        if (sliderValue === null || sliderValue === undefined) { return [nu, nu]; }
        return [nu, Number(Math.pow(10, sliderValue).toPrecision(4))];
    }
    if (typeof typed !== "number" || !(typed > 0) || !isFinite(typed)) { return [nu, nu]; }
    var v = Math.log10(typed);
    v = Math.min(LOG_MAX, Math.max(LOG_MIN, v));
    return [v, nu];
}
""".replace("LOG_MIN", repr(LOG_MIN)).replace("LOG_MAX", repr(LOG_MAX))


def register(app: Any) -> None:
    """Add the tab's callbacks to the Dash app."""
    controls = [
        ("nernst-ion", "value"),
        ("nernst-cin", "value"),
        ("nernst-cout", "value"),
        ("nernst-celsius", "value"),
        ("nernst-activity", "value"),
        ("nernst-gamma-in", "value"),
        ("nernst-gamma-out", "value"),
    ]
    app.callback(
        [*(Output(i, p) for i, p in controls), Output("nernst-load-msg", "children")],
        Input("url", "search"),
    )(load_nernst)
    for side in ("in", "out"):
        app.clientside_callback(
            _SYNC_JS,
            Output(f"nernst-c{side}-slider", "value"),
            Output(f"nernst-c{side}", "value", allow_duplicate=True),
            Input(f"nernst-c{side}-slider", "value"),
            Input(f"nernst-c{side}", "value"),
            prevent_initial_call=True,
        )
    app.callback(
        Output("nernst-E", "children"),
        Output("nernst-error", "children"),
        Output("nernst-explain", "children"),
        Output("nernst-plot-data", "data"),
        Output("nernst-state", "data"),
        Output("nernst-warning", "children"),
        [Input(i, p) for i, p in controls],
    )(compute_nernst)
    app.callback(
        Output("nernst-membrane-svg", "data"),
        Output("nernst-equation", "children"),
        Input("nernst-state", "data"),
        Input("nernst-error", "children"),
        Input("nernst-eqform", "value"),
    )(nernst_picture)
    link_graphs(app, "nernst-plot")
    register_membrane(app, "nernst")
    app.callback(
        Output("nernst-csv", "data"),
        Input("nernst-csv-button", "n_clicks"),
        State("nernst-state", "data"),
        prevent_initial_call=True,
    )(_download)
    app.clientside_callback(
        "function(v) { return !(v && v.indexOf('on') >= 0); }",
        Output("nernst-gamma-in", "disabled"),
        Input("nernst-activity", "value"),
    )
    app.clientside_callback(
        "function(v) { return !(v && v.indexOf('on') >= 0); }",
        Output("nernst-gamma-out", "disabled"),
        Input("nernst-activity", "value"),
    )


TAB = TabSpec(
    id=TAB_ID,
    label="Nernst: one ion",
    order=10,
    layout=layout,
    register=register,
    state_id="nernst-state",
)
