"""Recording tab: upload a voltage-clamp file (ABF or CSV), see its I-V curve and V_rev.

Upload an Axon ABF file or a CSV/TSV table (``time (s), command (mV), current (pA)``, optional
``sweep``) of at most :data:`MAX_RECORDING_BYTES`. Shown: the sweeps with the measurement window
shaded, the I-V curve corrected for the liquid junction potential and the series-resistance
error, its reversal potential with the standard error and 95 % interval (or why there is
none in range), and the membrane test when the protocol has a step from the holding level.

Every number comes from :mod:`nernst.recordings` (``read_recording``, ``iv_curve``,
``reversal_potential``, ``membrane_test``); the app only decodes the upload and draws.
"""

from __future__ import annotations

import base64
import binascii
import math
import tempfile
import warnings
from pathlib import Path
from typing import Any

from dash import Input, Output, State, dcc, html

from nernst.app.layout import TabSpec, graph, link_graphs, state_query, value_span
from nernst.app.scenario import first, number_text, parse_number, parse_query

__all__ = [
    "MAX_RECORDING_BYTES",
    "OUTPUTS",
    "TAB",
    "compute_from_store",
    "compute_recording",
    "decode_recording",
]

TAB_ID = "recording"
#: Largest recording accepted. The app takes request bodies up to 1 MiB
#: (:data:`nernst.app.layout.MAX_REQUEST_BYTES`) and an upload travels base64-encoded (4/3 of
#: its size), so 700 kB of file is the most that fits. [bytes]
MAX_RECORDING_BYTES = 700 * 1024
SUFFIXES = (".abf", ".csv", ".tsv", ".txt")
METHODS = {"linear": "straight line near the crossing", "polynomial": "quadratic near it"}
DEFAULTS: dict[str, Any] = {
    "t0": None,
    "t1": None,
    "ljp": 0.0,
    "rs": 0.0,
    "comp": 0.0,
    "method": "linear",
}
#: Names of the values :func:`compute_recording` returns, in order.
OUTPUTS = ("vrev", "memtest", "info", "error", "figure", "table", "state")
#: Most sweeps and points per sweep drawn. [count]
MAX_SWEEPS_DRAWN = 30
MAX_POINTS_DRAWN = 2000


def decode_recording(contents: str | None, filename: str | None) -> tuple[bytes, str]:
    """The bytes and suffix of a ``dcc.Upload`` data URL, checked for size and type.

    Raises
    ------
    ValueError
        No file, a suffix other than .abf/.csv/.tsv/.txt, larger than
        :data:`MAX_RECORDING_BYTES`, not base64.
    """
    label = repr(filename) if filename else "the file"
    if not contents or "," not in contents:
        raise ValueError(f"{label} could not be read (empty upload)")
    suffix = Path(filename or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"{label}: upload an Axon .abf file or a .csv/.tsv table")
    b64 = contents.split(",", 1)[1]
    limit = f"{MAX_RECORDING_BYTES // 1024} kB"
    if len(b64) > (MAX_RECORDING_BYTES * 4) // 3 + 8:
        raise ValueError(f"{label} is larger than {limit}, the app's upload limit")
    try:
        raw = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{label} could not be decoded") from None
    if len(raw) > MAX_RECORDING_BYTES:
        raise ValueError(f"{label} is larger than {limit}, the app's upload limit")
    return raw, suffix


def _field(label: str, input_id: str, value: Any, unit: str, **kw: Any) -> Any:
    return html.Div(
        [
            html.Label(label, htmlFor=input_id),
            dcc.Input(
                id=input_id, type="number", value=value, step="any", className="number", **kw
            ),
            html.Span(unit, className="unit"),
        ],
        className="field inline",
    )


def layout() -> Any:
    """The tab's content: upload, corrections, results."""
    d = DEFAULTS
    return html.Div(
        [
            html.Div(
                [
                    dcc.Upload(
                        html.Button("Upload recording (.abf, .csv)", id="recording-upload-button"),
                        id="recording-upload",
                        accept=".abf,.csv,.tsv,.txt",
                        multiple=False,
                    ),
                    html.P(
                        f"Axon ABF, or CSV with columns time (s), command (mV), current (pA) "
                        f"[, sweep]; at most {MAX_RECORDING_BYTES // 1024} kB.",
                        className="unit",
                    ),
                    html.Div(id="recording-info"),
                    _field("Window start", "recording-t0", d["t0"], "s", placeholder="auto"),
                    _field("Window end", "recording-t1", d["t1"], "s", placeholder="auto"),
                    _field("LJP (V_bath − V_pipette)", "recording-ljp", d["ljp"], "mV"),
                    _field("Series resistance R_s", "recording-rs", d["rs"], "MΩ", min=0),
                    _field("R_s compensation", "recording-comp", d["comp"], "%", min=0, max=100),
                    html.Div(
                        [
                            html.Label("V_rev from", htmlFor="recording-method"),
                            dcc.Dropdown(
                                id="recording-method",
                                options=[{"label": v, "value": k} for k, v in METHODS.items()],
                                value=d["method"],
                                clearable=False,
                            ),
                        ],
                        className="field",
                    ),
                ],
                className="controls",
            ),
            html.Div(
                [
                    html.Div(id="recording-vrev", className="big-number"),
                    html.Div(id="recording-error", className="error", role="alert"),
                    graph("recording-plot"),
                    html.Div(id="recording-memtest"),
                    html.Details(
                        [html.Summary("The I-V table"), html.Pre(id="recording-table")],
                        open=False,
                    ),
                ],
                className="results",
            ),
            dcc.Store(id="recording-state"),
            dcc.Store(id="recording-file"),
        ],
        className="tab-body",
    )


def _number(value: Any, name: str, default: float) -> float:
    if value is None or value == "":
        return default
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"{name} = {value!r} is not a number")
    return x


def _figure(rec: Any, iv: Any, rv: Any) -> dict[str, Any]:
    import numpy as np

    step = max(1, rec.n_samples // MAX_POINTS_DRAWN)
    data: list[dict[str, Any]] = [
        {
            "type": "scattergl",
            "mode": "lines",
            "x": rec.time[::step].tolist(),
            "y": rec.signal[k, ::step].tolist(),
            "line": {"width": 1, "color": "rgba(60,60,60,0.6)"},
            "name": f"sweep {k}",
            "showlegend": False,
            "xaxis": "x",
            "yaxis": "y",
        }
        for k in range(min(rec.n_sweeps, MAX_SWEEPS_DRAWN))
    ]
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "x": iv.v.tolist(),
            "y": iv.i.tolist(),
            "error_y": {"type": "data", "array": np.nan_to_num(iv.i_se).tolist()},
            "name": "I-V",
            "xaxis": "x2",
            "yaxis": "y2",
        }
    )
    shapes: list[dict[str, Any]] = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": iv.window[0],
            "x1": iv.window[1],
            "y0": 0,
            "y1": 1,
            "fillcolor": "rgba(255,165,0,0.25)",
            "line": {"width": 0},
        }
    ]
    if rv is not None:
        lo, hi = rv.v_range
        if rv.v_rev is not None:
            lo, hi = min(lo, rv.v_rev), max(hi, rv.v_rev)
            shapes.append(
                {
                    "type": "line",
                    "xref": "x2",
                    "yref": "paper",
                    "x0": rv.v_rev,
                    "x1": rv.v_rev,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "firebrick", "dash": "dash"},
                }
            )
        x = np.linspace(lo, hi, 100)
        coef = [rv.coefficients[f"c{k}"] for k in range(len(rv.coefficients))]
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": x.tolist(),
                "y": np.polyval(coef[::-1], x).tolist(),
                "name": rv.method,
                "line": {"color": "firebrick"},
                "xaxis": "x2",
                "yaxis": "y2",
            }
        )
    return {
        "data": data,
        "layout": {
            "xaxis": {"domain": [0, 0.45], "title": {"text": "time [s]"}},
            "yaxis": {"title": {"text": "current [pA]"}},
            "xaxis2": {"domain": [0.55, 1], "title": {"text": "V_m [mV]"}, "anchor": "y2"},
            "yaxis2": {"title": {"text": "current [pA]"}, "anchor": "x2", "zeroline": True},
            "shapes": shapes,
            "margin": {"l": 60, "r": 20, "t": 30, "b": 50},
            "legend": {"orientation": "h"},
            "height": 420,
        },
    }


def _memtest_view(rec: Any) -> Any:
    from nernst.recordings import membrane_test

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            mt = membrane_test(rec)
    except ValueError as err:
        return html.P(f"Membrane test: not available ({err})", className="unit")
    items = [
        ("R_s", mt.r_s, "MΩ"),
        ("R_m", mt.r_m, "MΩ"),
        ("C_m", mt.c_m, "pF"),
        ("τ", mt.tau, "ms"),
        ("I_hold", mt.i_hold, "pA"),
    ]
    return html.Div(
        [
            html.H3(f"Membrane test ({mt.delta_v:+g} mV step, {mt.n_sweeps} sweeps)"),
            html.Ul(
                [
                    html.Li(
                        [f"{name} = ", value_span(v, f"{v:.4g}"), f" {unit}"],
                        id=f"recording-mt-{i}",
                    )
                    for i, (name, v, unit) in enumerate(items)
                ]
            ),
        ],
        id="recording-memtest-values",
    )


def compute_recording(
    contents: str | None,
    filename: str | None,
    t0: Any,
    t1: Any,
    ljp: Any,
    rs: Any,
    comp: Any,
    method: Any,
) -> tuple[Any, ...]:
    """Every output of the tab, in the order of :data:`OUTPUTS`, for one upload and settings.

    Bad input (a broken file, a current-clamp recording, a window outside the sweep) leaves
    the results empty and puts the library's message in ``error``.
    """
    from nernst.recordings import iv_curve, read_recording, reversal_potential

    settings = {"t0": t0, "t1": t1, "ljp": ljp, "rs": rs, "comp": comp, "method": method}
    pairs = [
        (f"{TAB_ID}.{k}", number_text(v) if isinstance(v, int | float) else str(v))
        for k, v in settings.items()
        if v is not None and v != ""
    ]
    state = {"query": state_query(pairs), **settings, "file": filename}
    empty = ("", "", "", "", None, "", state)  # same order as OUTPUTS
    if not contents:
        return ("Upload a recording to see its I-V and V_rev", *empty[1:])
    info: Any = ""
    memtest: Any = ""
    temp_name = ""
    try:
        raw, suffix = decode_recording(contents, filename)
        ljp_mv = _number(ljp, "LJP", 0.0)
        r_s = _number(rs, "R_s", 0.0)
        fraction = _number(comp, "compensation", 0.0) / 100.0
        start, end = _number(t0, "window start", math.nan), _number(t1, "window end", math.nan)
        window = None if math.isnan(start) or math.isnan(end) else (start, end)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"upload{suffix}"
            path.write_bytes(raw)
            temp_name = str(path)
            rec = read_recording(path)
        info = (
            f"{filename}: {rec.n_sweeps} sweeps × {rec.n_samples / rec.sampling_rate:g} s at "
            f"{rec.sampling_rate:g} Hz, {rec.mode}, protocol {rec.protocol or '?'}"
        )
        memtest = _memtest_view(rec) if rec.mode == "voltage-clamp" else ""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            iv = iv_curve(rec, window=window, ljp=ljp_mv, r_s=r_s, compensation=fraction)
            rv = reversal_potential(iv, method=str(method or "linear"))
    except ValueError as err:
        message = str(err.args[0]) if err.args else str(err)
        if temp_name:  # name the user's file, not the temporary copy
            message = message.replace(repr(temp_name), repr(filename)).replace(
                temp_name, str(filename)
            )
        message = message.replace("give window=(start, end) in seconds", "set the window")
        return ("", memtest, info, message, None, "", state)
    if rv.v_rev is None:
        vrev: Any = html.Span("V_rev: none in the measured range")
    else:
        tag = " (extrapolated: the I-V does not cross zero in range)" if rv.extrapolated else ""
        vrev = html.Span(
            [
                "V_rev = ",
                value_span(rv.v_rev, f"{rv.v_rev:+.2f}"),
                " ± ",
                html.Span(f"{rv.se:.2f}", id="recording-se"),
                " mV",
                html.Span(
                    f"  95 % CI {rv.ci95[0]:+.2f} to {rv.ci95[1]:+.2f} mV{tag}", className="unit"
                ),
            ]
        )
    state.update({"v_rev": rv.v_rev, "se": rv.se, "extrapolated": rv.extrapolated})
    text = "\n".join(iv.explain() + rv.explain())
    rows = ["V_m [mV]   I [pA]   SE [pA]"] + [
        f"{r['v_mV']:9.2f} {r['i_pA']:9.3f} {r['i_se_pA']:8.3f}" for r in iv.table()[:500]
    ]
    return (
        vrev,
        memtest,
        html.Div([html.P(info), html.Pre(text, id="recording-explain")]),
        "",
        _figure(rec, iv, rv),
        "\n".join(rows),
        state,
    )


# Runs in the browser: a file over the limit never travels (the server would refuse the
# request body); the server gets its name and size instead and says why.
_CHECK_SIZE_JS = """
function(contents, filename) {
    if (!contents) { return window.dash_clientside.no_update; }
    var chars = contents.length - contents.indexOf(",") - 1;
    if (chars > %d) {
        return {"filename": filename, "too_large": true, "bytes": Math.floor(chars * 3 / 4)};
    }
    return {"filename": filename, "contents": contents};
}
"""


def compute_from_store(data: Any, *settings: Any) -> tuple[Any, ...]:
    """:func:`compute_recording` for the browser's checked upload (``recording-file``)."""
    if isinstance(data, dict) and data.get("too_large"):
        state = compute_recording(None, None, *settings)[-1]
        message = (
            f"{data.get('filename')!r} ({int(data.get('bytes', 0)) // 1024} kB) is larger than "
            f"{MAX_RECORDING_BYTES // 1024} kB, the app's upload limit; analyse it with "
            "`nernst iv FILE`"
        )
        return ("", "", "", message, None, "", state)
    data = data if isinstance(data, dict) else {}
    return compute_recording(data.get("contents"), data.get("filename"), *settings)


def load_recording(search: str | None) -> tuple[Any, ...]:
    """Settings from a shared link (the file itself is not in the link)."""
    from dash import no_update

    params = parse_query(search)
    out: list[Any] = []
    for key in ("t0", "t1", "ljp", "rs", "comp"):
        text = first(params, f"{TAB_ID}.{key}")
        out.append(no_update if text is None else parse_number(text))
    method = first(params, f"{TAB_ID}.method")
    out.append(method if method in METHODS else no_update)
    return tuple(out)


def register(app: Any) -> None:
    """Add the tab's callbacks to the Dash app."""
    app.callback(
        Output("recording-t0", "value"),
        Output("recording-t1", "value"),
        Output("recording-ljp", "value"),
        Output("recording-rs", "value"),
        Output("recording-comp", "value"),
        Output("recording-method", "value"),
        Input("url", "search"),
    )(load_recording)
    app.callback(
        Output("recording-vrev", "children"),
        Output("recording-memtest", "children"),
        Output("recording-info", "children"),
        Output("recording-error", "children"),
        Output("recording-plot-data", "data"),
        Output("recording-table", "children"),
        Output("recording-state", "data"),
        Input("recording-file", "data"),
        Input("recording-t0", "value"),
        Input("recording-t1", "value"),
        Input("recording-ljp", "value"),
        Input("recording-rs", "value"),
        Input("recording-comp", "value"),
        Input("recording-method", "value"),
    )(compute_from_store)
    app.clientside_callback(
        _CHECK_SIZE_JS % ((MAX_RECORDING_BYTES * 4) // 3 + 8),
        Output("recording-file", "data"),
        Input("recording-upload", "contents"),
        State("recording-upload", "filename"),
    )
    link_graphs(app, "recording-plot")


TAB = TabSpec(
    id=TAB_ID,
    label="Recording: I-V and V_rev",
    order=60,
    layout=layout,
    register=register,
    state_id="recording-state",
)
