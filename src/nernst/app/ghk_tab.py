"""GHK tab: a whole cell, its resting potential, driving forces, currents and energetics.

Start from any preset cell (``nernst.presets()``), a blank cell or an uploaded TOML file; add
and remove ions (any valence); set concentrations, relative permeabilities and temperature,
and optionally a measured V_m. Shown: V_rest from :func:`nernst.ghk_voltage` (through
:class:`nernst.Cell`), every E on one voltage axis with V_rest and each ion's driving force
and net flux direction, V_rest as one permeability is swept, an I-V panel of each ion's
:func:`nernst.ghk_current` (relative permeabilities times a stated absolute one) and the total,
and the energetics panel (:mod:`nernst.app.energetics`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from dash import ALL, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from nernst.app.energetics import energetics_csv, energetics_rows, energetics_view
from nernst.app.equations import equation_panel, ghk_tex
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
from nernst.app.membrane import Column, membrane_panel, membrane_svg, register_membrane, shares
from nernst.app.messages import (
    amount,
    concentrations_of,
    plausibility,
    positive,
    student_text,
    temperature,
    warning_view,
)
from nernst.app.scenario import (
    MAX_IONS,
    MAX_TITLE_CHARS,
    cell_from_toml_text,
    cell_to_toml,
    decode_upload,
    first,
    number_text,
    parse_number,
    parse_query,
)

__all__ = [
    "LOAD_OUTPUTS",
    "OUTPUTS",
    "TAB",
    "compute_ghk",
    "load_ghk",
    "scenario_cell",
    "to_query",
]

TAB_ID = "ghk"
BLANK = "blank"
#: Absolute permeability of relative permeability 1, for the I-V panel; the order of P_K of
#: a resting neuron or squid axon (Hille 2001, ch. 14). [cm/s]
DEFAULT_P_ABS = 1e-6
#: Concentrations and permeability of an ion just added. [mM], [mM], [relative]
NEW_ION = (1.0, 1.0, 0.0)

#: Names of the values :func:`compute_ghk` returns, in order.
OUTPUTS = (
    "V_rest",
    "vm_note",
    "error",
    "explanation",
    "axis",
    "sweep",
    "iv",
    "energetics",
    "state",
    "warning",
    "sweep_note",
)
#: Names of the values :func:`ghk_picture` returns (a second request, after the number).
PICTURE_OUTPUTS = ("membrane", "equation")
#: The page element and property each value of :func:`compute_ghk` goes to.
OUTPUT_TARGETS = (
    ("ghk-vrest", "children"),
    ("ghk-vm-note", "children"),
    ("ghk-error", "children"),
    ("ghk-explain", "children"),
    ("ghk-axis-data", "data"),
    ("ghk-sweep-plot-data", "data"),
    ("ghk-iv-data", "data"),
    ("ghk-energetics", "children"),
    ("ghk-state", "data"),
    ("ghk-warning", "children"),
    ("ghk-sweep-note", "children"),
)
#: Names of the values :func:`load_ghk` returns, in order.
LOAD_OUTPUTS = (
    "rows",
    "celsius",
    "v_m",
    "p_abs",
    "sweep",
    "sweep_options",
    "preset",
    "add_options",
    "message",
    "meta",
)


# -- scenarios --------------------------------------------------------------------------------
def preset_scenario(key: str | None) -> dict[str, Any]:
    """A scenario (plain dict) from a preset key, or the blank cell."""
    from nernst import Cell, presets

    if key in (None, "", BLANK):
        return {
            "title": "blank cell",
            "preset": BLANK,
            "celsius": 37.0,
            "v_m": None,
            "ions": [],
        }
    cell = Cell.preset(key)
    scenario = cell_scenario(cell)
    scenario["preset"] = key
    scenario["title"] = presets()[str(key)]["title"]
    return scenario


def cell_scenario(cell: Any) -> dict[str, Any]:
    """A scenario from a :class:`nernst.Cell`."""
    return {
        "title": cell.title,
        "preset": None,
        "celsius": cell.celsius,
        "v_m": cell.v_m,
        "ions": [
            {
                "ion": ion,
                "c_in": cell.c_in[ion],
                "c_out": cell.c_out[ion],
                "p": cell.permeability.get(ion, 0.0),
            }
            for ion in cell.c_in
        ],
    }


def scenario_cell(scenario: Mapping[str, Any]) -> Any:
    """The :class:`nernst.Cell` of a scenario (ValueError names a bad value)."""
    from nernst import Cell

    rows = scenario["ions"]
    return Cell(
        c_in={r["ion"]: r["c_in"] for r in rows},
        c_out={r["ion"]: r["c_out"] for r in rows},
        permeability={r["ion"]: r["p"] for r in rows},
        celsius=scenario["celsius"],
        v_m=scenario.get("v_m"),
        title=scenario.get("title") or "cell",
    )


def _url_scenario(params: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """A scenario from query parameters; bad numbers become None (shown as empty inputs)."""
    from nernst import ions, presets

    preset = first(params, f"{TAB_ID}.preset")
    rows: list[dict[str, Any]] = []
    seen = set()
    for item in params.get(f"{TAB_ID}.ion", [])[:MAX_IONS]:
        parts = item.split(",")
        if len(parts) != 4:
            continue
        try:
            ion = ions.resolve(parts[0])
        except ValueError:
            continue
        if ion in seen:
            continue
        seen.add(ion)
        c_in, c_out, p = (parse_number(x) for x in parts[1:])
        rows.append({"ion": ion, "c_in": c_in, "c_out": c_out, "p": p})
    title = (first(params, f"{TAB_ID}.title") or "").strip()[:MAX_TITLE_CHARS]
    v_m = first(params, f"{TAB_ID}.vm")
    return {
        "title": title or "shared cell",
        "preset": preset if preset in presets() or preset == BLANK else None,
        "celsius": parse_number(first(params, f"{TAB_ID}.T") or "37"),
        "v_m": parse_number(v_m) if v_m else None,
        "ions": rows,
        "p_abs": parse_number(first(params, f"{TAB_ID}.Pabs") or ""),
        "sweep": first(params, f"{TAB_ID}.sweep"),
    }


#: Public name of the query reader (the worksheet page reads the same parameters).
url_scenario = _url_scenario


def to_query(state: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The tab's state as query parameters (one ``ghk.ion=ION,c_in,c_out,P`` per ion).

    >>> to_query({"title": "t", "preset": None, "celsius": 37.0, "v_m": None,
    ...           "ions": [{"ion": "K+", "c_in": 140.0, "c_out": 5.0, "p": 1.0}],
    ...           "p_abs": 1e-6, "sweep": "K+"})  # doctest: +NORMALIZE_WHITESPACE
    [('ghk.title', 't'), ('ghk.T', '37'), ('ghk.ion', 'K+,140,5,1'), ('ghk.Pabs', '1e-06'),
     ('ghk.sweep', 'K+')]
    """
    pairs = []
    if state.get("preset"):
        pairs.append((f"{TAB_ID}.preset", str(state["preset"])))
    pairs += [
        (f"{TAB_ID}.title", str(state.get("title") or "")[:MAX_TITLE_CHARS]),
        (f"{TAB_ID}.T", number_text(state["celsius"])),
    ]
    if state.get("v_m") is not None:
        pairs.append((f"{TAB_ID}.vm", number_text(state["v_m"])))
    for r in state["ions"]:
        values = ",".join(number_text(r[k]) for k in ("c_in", "c_out", "p"))
        pairs.append((f"{TAB_ID}.ion", f"{r['ion']},{values}"))
    pairs.append((f"{TAB_ID}.Pabs", number_text(state["p_abs"])))
    if state.get("sweep"):
        pairs.append((f"{TAB_ID}.sweep", str(state["sweep"])))
    return pairs


# -- layout -----------------------------------------------------------------------------------
def _row_id(kind: str, ion: str) -> dict[str, str]:
    return {"type": f"ghk-{kind}", "ion": ion}


def ion_rows(rows: Sequence[Mapping[str, Any]]) -> list[Any]:
    """One line of inputs per ion: name, inside, outside, relative permeability, remove."""
    from nernst import ions

    out = []
    for r in rows:
        ion = r["ion"]
        out.append(
            html.Div(
                [
                    html.Span(
                        ion,
                        className="ion-name",
                        title=f"{ions[ion].name}, z = {ions[ion].charge:+d}",
                    ),
                    *(
                        dcc.Input(
                            id=_row_id(kind, ion),
                            type="number",
                            value=r[key],
                            step="any",
                            className="number",
                            name=f"{kind}-{ion}",
                            placeholder=label,
                        )
                        for kind, key, label in (
                            ("cin", "c_in", "mM"),
                            ("cout", "c_out", "mM"),
                            ("p", "p", "relative"),
                        )
                    ),
                    html.Button(
                        "×", id=_row_id("remove", ion), title=f"remove {ion}", className="remove"
                    ),
                ],
                className="ion-row",
            )
        )
    return out


def _preset_options() -> list[dict[str, str]]:
    from nernst import presets

    options = [{"label": info["title"], "value": key} for key, info in presets().items()]
    return [*options, {"label": "blank cell (add ions yourself)", "value": BLANK}]


def _add_options(present: Sequence[str]) -> list[dict[str, str]]:
    from nernst import ions

    return [
        {"label": f"{ion.symbol}  ({ion.name}, z = {ion.charge:+d})", "value": ion.symbol}
        for ion in ions.values()
        if ion.symbol not in present
    ]


def _sweep_options(present: Sequence[str]) -> list[dict[str, str]]:
    return [{"label": f"P({ion})", "value": ion} for ion in present]


def _default_sweep(rows: Sequence[Mapping[str, Any]]) -> str | None:
    """Na+ if it is permeant (the classic experiment: V_rest moves from E_K toward E_Na),
    else the second most permeant ion, else the first."""
    permeant = sorted((r for r in rows if (r.get("p") or 0) > 0), key=lambda r: -(r.get("p") or 0))
    if any(r["ion"] == "Na+" for r in permeant[1:]):
        return "Na+"
    if len(permeant) >= 2:
        return str(permeant[1]["ion"])
    if len(permeant) == 1 and any(r["ion"] == "Na+" for r in rows):
        return "Na+"  # one permeant ion: sweeping Na+ shows V_rest leave E of that ion
    return str(rows[0]["ion"]) if rows else None


#: The beginner view's permeability sliders: these ions, log10 of P from LOG_P_MIN to LOG_P_MAX.
BEGINNER_IONS = ("K+", "Na+", "Cl-")
LOG_P_MIN, LOG_P_MAX = -3.0, 1.0


def _beginner_sliders() -> Any:
    marks = {-3: "0.001", -2: "0.01", -1: "0.1", 0: "1", 1: "10"}
    rows = []
    for ion in BEGINNER_IONS:
        key = _beginner_key(ion)
        rows.append(
            html.Div(
                [
                    html.Label(f"Permeability of {ion}", htmlFor=f"ghk-beginner-{key}"),
                    html.Div(
                        dcc.Slider(
                            id=f"ghk-beginner-{key}",
                            min=LOG_P_MIN,
                            max=LOG_P_MAX,
                            step=0.01,
                            value=0.0,
                            marks=marks,
                            updatemode="drag",
                            allow_direct_input=False,
                            tooltip={"always_visible": False},
                        ),
                        className="slider-box",
                        **attrs({"data-a11y-unit": "relative to 1", "data-a11y-log": "1"}),
                    ),
                ],
                className="field",
            )
        )
    return html.Div(
        [
            html.P(
                "Open or close each ion's channels: V_rest moves toward the E of the ions "
                "whose channels are most open.",
                className="note",
            ),
            *rows,
        ],
        className="beginner-only",
    )


def _beginner_key(ion: str) -> str:
    return ion.replace("+", "plus").replace("-", "minus")


# Beginner sliders <-> the P inputs of the ion rows, in the browser: a slider writes 10**value
# (3 significant digits) into its ion's P; a typed P (or a new preset) moves the slider.
_BEGINNER_JS = """
function(k, na, cl, ps, ids) {
    var ctx = window.dash_clientside.callback_context;
    var nu = window.dash_clientside.no_update;
    var names = IONS;
    var sliders = [k, na, cl];
    var fromSlider = ctx.triggered.map(function (t) { return t.prop_id; })
        .filter(function (p) { return p.indexOf("ghk-beginner-") === 0; });
    var pOut = (ids || []).map(function () { return nu; });
    var sOut = [nu, nu, nu];
    if (fromSlider.length) {
        names.forEach(function (ion, i) {
            var key = "ghk-beginner-" + ion.replace("+", "plus").replace("-", "minus");
            if (fromSlider[0].indexOf(key + ".") !== 0) { return; }
            (ids || []).forEach(function (id, j) {
                if (id.ion === ion) {
                    pOut[j] = Number(Math.pow(10, sliders[i]).toPrecision(3));
                }
            });
        });
        return sOut.concat([pOut]);
    }
    names.forEach(function (ion, i) {
        (ids || []).forEach(function (id, j) {
            var p = ps[j];
            if (id.ion === ion && typeof p === "number" && p > 0 && isFinite(p)) {
                sOut[i] = Math.min(LMAX, Math.max(LMIN, Math.log10(p)));
            }
        });
    });
    return sOut.concat([pOut]);
}
"""


def layout() -> Any:
    """The tab's content with the default preset; the beginner view shows only the
    permeability sliders of K+, Na+ and Cl-, V_rest, the membrane view and the voltage axis.
    """
    page = _layout()
    controls, _, results = page.children[:3]
    for child in controls.children:
        add_class(child, "advanced")
    controls.children = [_beginner_sliders(), *controls.children]
    graphs = results.children[2]
    for child in graphs.children[1:]:
        add_class(child, "advanced")
    for child in results.children[3:]:
        add_class(child, "advanced")
    return page


def _layout() -> Any:
    from nernst import presets

    default = next(key for key, info in presets().items() if info["default"])
    scenario = preset_scenario(default)
    present = [r["ion"] for r in scenario["ions"]]
    field = "field inline"
    return html.Div(
        [
            html.Div(
                [
                    html.Div(
                        [
                            html.Label("Start from", htmlFor="ghk-preset"),
                            dcc.Dropdown(
                                id="ghk-preset",
                                options=_preset_options(),
                                value=default,
                                clearable=False,
                            ),
                        ],
                        className="field",
                    ),
                    html.Div(
                        [
                            html.Div(
                                dcc.Upload(
                                    "Upload cell (.toml)",
                                    id="ghk-upload",
                                    accept=".toml,text/plain,application/toml",
                                    max_size=512 * 1024,  # larger files never leave the browser
                                    multiple=False,
                                    className="upload-button",
                                ),
                                **attrs({"data-a11y-label": "Upload a cell file (.toml)"}),
                            ),
                            html.Button("Download cell (.toml)", id="ghk-toml-button"),
                            dcc.Download(id="ghk-toml"),
                        ],
                        className="buttons",
                    ),
                    html.Div(id="ghk-upload-msg", className="error", role="alert"),
                    html.Div(
                        [
                            html.Span("ion"),
                            html.Span("in (mM)"),
                            html.Span("out (mM)"),
                            html.Span("P (relative)"),
                            html.Span(""),
                        ],
                        className="ion-row ion-head",
                    ),
                    html.Div(ion_rows(scenario["ions"]), id="ghk-rows"),
                    html.Div(
                        [
                            dcc.Dropdown(
                                id="ghk-add-ion",
                                options=_add_options(present),
                                placeholder="ion to add (any valence)",
                            ),
                            html.Button("Add ion", id="ghk-add"),
                        ],
                        className="add-row",
                    ),
                    html.Div(
                        [
                            html.Label("Temperature", htmlFor="ghk-celsius"),
                            dcc.Input(
                                id="ghk-celsius",
                                type="number",
                                value=scenario["celsius"],
                                step="any",
                                className="number",
                            ),
                            html.Span("°C", className="unit"),
                        ],
                        className=field,
                    ),
                    html.Div(
                        [
                            html.Label("Measured V_m", htmlFor="ghk-vm"),
                            dcc.Input(
                                id="ghk-vm",
                                type="number",
                                value=scenario["v_m"],
                                step="any",
                                placeholder="optional",
                                className="number no-stepper",
                            ),
                            html.Span("mV", className="unit"),
                        ],
                        className=field,
                    ),
                    html.Div(
                        [
                            html.Label("P of relative 1 (for the I-V panel)", htmlFor="ghk-pabs"),
                            dcc.Input(
                                id="ghk-pabs",
                                type="number",
                                value=DEFAULT_P_ABS,
                                step="any",
                                className="number no-stepper",
                            ),
                            html.Span("cm/s", className="unit"),
                        ],
                        className=field,
                    ),
                    html.Div(
                        [
                            html.Label("Sweep the permeability of", htmlFor="ghk-sweep"),
                            dcc.Dropdown(
                                id="ghk-sweep",
                                options=_sweep_options(present),
                                value=_default_sweep(scenario["ions"]),
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
                    html.Div(
                        id="ghk-vrest", className="big-number", **attrs({"aria-live": "polite"})
                    ),
                    html.Div(id="ghk-vm-note", className="note"),
                    html.Div(id="ghk-error", className="error", role="alert"),
                ],
                className="headline",
            ),
            html.Div(
                [
                    html.Div(id="ghk-warning", className="warning", role="status"),
                    membrane_panel("ghk"),
                    html.Div(
                        [
                            graph("ghk-axis"),
                            graph("ghk-iv"),
                            html.Div(
                                [
                                    graph("ghk-sweep-plot"),
                                    html.P(id="ghk-sweep-note", className="graph-note"),
                                ]
                            ),
                            equation_panel("ghk", "The GHK equation with these numbers"),
                        ],
                        className="graphs",
                    ),
                    html.P(
                        "Voltage axis: diamonds are equilibrium potentials (grey: impermeant), "
                        "the red line is V_m, each arrow runs from E to V_m (the driving force "
                        "V_m − E), and ⇧ out / ⇩ in above it is the ion's net passive flux.",
                        className="graph-note",
                    ),
                    html.Div(id="ghk-energetics", className="energetics"),
                    html.Div(
                        [
                            html.Button("Download table (CSV)", id="ghk-csv-button"),
                            dcc.Download(id="ghk-csv"),
                            html.A(
                                "Worksheet: 5 questions, answers on page 2",
                                id="ghk-worksheet",
                                href="worksheet",
                                target="_blank",
                                className="button-link",
                            ),
                        ],
                        className="buttons",
                    ),
                ],
                className="results",
            ),
            dcc.Store(id="ghk-meta", data={"title": scenario["title"], "preset": default}),
            dcc.Store(id="ghk-state"),
        ],
        className="tab-body",
    )


# -- callbacks: replacing the scenario ------------------------------------------------------
class MalformedRows(ValueError):
    """The ion rows the page sent are not a list of ``{"type", "ion"}`` ids with values."""


def _current_rows(
    ids: Sequence[Mapping[str, str]] | None,
    cins: Sequence[Any],
    couts: Sequence[Any],
    ps: Sequence[Any],
) -> list[dict[str, Any]]:
    columns = [ids or [], cins or [], couts or [], ps or []]
    if not all(isinstance(c, list) for c in columns) or not all(
        isinstance(i, Mapping) and isinstance(i.get("ion"), str) for i in columns[0]
    ):
        raise MalformedRows("the ion rows could not be read")
    from nernst import ions

    rows = []
    for i, ci, co, p in zip(*columns, strict=False):
        if i["ion"] not in ions:
            raise MalformedRows(f"unknown ion {i['ion'][:20]!r} in the rows")
        rows.append({"ion": i["ion"], "c_in": ci, "c_out": co, "p": p})
    return rows


def _meta(meta: Any) -> dict[str, Any]:
    return dict(meta) if isinstance(meta, Mapping) else {}


def _loaded(
    scenario: Mapping[str, Any],
    *,
    p_abs: Any = no_update,
    sweep: Any = None,
    preset: Any = no_update,
    message: str = "",
) -> tuple[Any, ...]:
    rows = scenario["ions"]
    present = [r["ion"] for r in rows]
    if sweep not in present:
        sweep = _default_sweep(rows)
    return (
        ion_rows(rows),
        scenario["celsius"],
        scenario.get("v_m"),
        p_abs,
        sweep,
        _sweep_options(present),
        preset,
        _add_options(present),
        message,
        {"title": scenario.get("title") or "cell", "preset": scenario.get("preset")},
    )


def load_ghk(
    trigger: str | Mapping[str, str] | None,
    search: str | None,
    preset: str | None,
    add_ion: str | None,
    upload_contents: str | None,
    upload_filename: str | None,
    ids: Sequence[Mapping[str, str]] | None,
    cins: Sequence[Any],
    couts: Sequence[Any],
    ps: Sequence[Any],
    celsius: Any,
    v_m: Any,
    sweep: str | None,
    meta: Mapping[str, Any] | None,
) -> tuple[Any, ...]:
    """Replace or edit the scenario (see :data:`LOAD_OUTPUTS`).

    ``trigger`` says why: ``"url"`` (page load with a shared link), ``"ghk-preset"``,
    ``"ghk-add"``, ``"ghk-upload"`` or a remove button's id ``{"type": "ghk-remove",
    "ion": ...}``. Raises ``PreventUpdate`` when there is nothing to change.
    """
    meta = _meta(meta)
    try:
        rows = _current_rows(ids, cins, couts, ps)
    except MalformedRows as err:
        return (no_update,) * 8 + (f"Reload the page: {err}.", no_update)
    current = {
        "title": meta.get("title", "cell"),
        "preset": meta.get("preset"),
        "celsius": celsius,
        "v_m": v_m,
        "ions": rows,
    }
    if trigger in (None, "url"):
        params = parse_query(search)
        if not any(k.startswith(f"{TAB_ID}.") for k in params):
            raise PreventUpdate
        scenario = _url_scenario(params)
        p_abs = scenario["p_abs"] if scenario["p_abs"] is not None else DEFAULT_P_ABS
        return _loaded(
            scenario, p_abs=p_abs, sweep=scenario["sweep"], preset=scenario["preset"] or None
        )
    if trigger == "ghk-preset":
        if preset is None:
            raise PreventUpdate
        try:
            return _loaded(preset_scenario(preset))
        except ValueError as err:
            return (no_update,) * 8 + (str(err), no_update)
    if trigger == "ghk-add":
        from nernst import ions

        present = [r["ion"] for r in current["ions"]]
        if not add_ion or add_ion not in ions or ions[add_ion].symbol in present:
            raise PreventUpdate
        add_ion = ions[add_ion].symbol
        if len(present) >= MAX_IONS:
            return _loaded(current, sweep=sweep, message=f"At most {MAX_IONS} ions.")
        c_in, c_out, p = NEW_ION
        current["ions"].append({"ion": add_ion, "c_in": c_in, "c_out": c_out, "p": p})
        return _loaded(current, sweep=sweep)
    if trigger == "ghk-upload":
        try:
            text = decode_upload(upload_contents, upload_filename)
            cell = cell_from_toml_text(text, filename=upload_filename)
        except ValueError as err:
            return (no_update,) * 8 + (f"Upload not used: {err}", no_update)
        scenario = cell_scenario(cell)
        scenario["title"] = str(cell.title)[:MAX_TITLE_CHARS]
        name = str(upload_filename or "the file")[:80]
        return _loaded(scenario, preset=None, message=f"Loaded {name}.")
    if isinstance(trigger, Mapping) and trigger.get("type") == "ghk-remove":
        current["ions"] = [r for r in current["ions"] if r["ion"] != trigger.get("ion")]
        return _loaded(current, sweep=sweep)
    raise PreventUpdate


# -- callbacks: computing -------------------------------------------------------------------
def _error(message: str) -> tuple[Any, ...]:
    """Outputs for inputs without an answer: every number, plot and table cleared."""
    return (
        html.Span("V_rest = —"),
        "",
        message,
        "",
        EMPTY_FIGURE,
        EMPTY_FIGURE,
        EMPTY_FIGURE,
        "",
        no_update,
        "",
        "",
    )


def _axis_figure(report: Any, rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Every E on one voltage axis, V_m across it, driving-force arrows, flux directions."""
    n = len(rows)
    xs = list(range(n))
    permeant = [r["permeability_rel"] > 0 for r in rows]
    annotations: list[dict[str, Any]] = []
    for x, r in zip(xs, rows, strict=True):
        if abs(r["driving_force_mV"]) > 0.05:
            annotations.append(
                {
                    "x": x,
                    "y": report.v_m,
                    "ax": x,
                    "ay": r["E_mV"],
                    "xref": "x",
                    "yref": "y",
                    "axref": "x",
                    "ayref": "y",
                    "showarrow": True,
                    "arrowhead": 2,
                    "arrowwidth": 1.5,
                    "arrowcolor": "#555",
                    "text": "",
                }
            )
        annotations.append(
            {
                "x": x,
                "y": 1.0,
                "xref": "x",
                "yref": "paper",
                "yanchor": "bottom",
                "showarrow": False,
                "text": {"out": "⇧ out", "in": "⇩ in", "none": "— none"}[r["net_flux"]],
                "font": {
                    "color": {"out": "#1d6b1d", "in": "#9a4a0c", "none": "#595959"}[r["net_flux"]]
                },
            }
        )
    label = "measured V_m" if report.v_measured is not None else "V_rest (GHK)"
    shapes = [
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "y0": report.v_m,
            "y1": report.v_m,
            "line": {"color": "#d62728", "width": 2},
        }
    ]
    if report.v_measured is not None and report.v_rest_ghk is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": report.v_rest_ghk,
                "y1": report.v_rest_ghk,
                "line": {"color": "#d62728", "width": 1, "dash": "dot"},
            }
        )
    return {
        "data": [
            {
                "x": xs,
                "y": [r["E_mV"] for r in rows],
                "mode": "markers+text",
                "marker": {
                    "size": 13,
                    "symbol": "diamond",
                    "color": ["#1f77b4" if p else "#bbbbbb" for p in permeant],
                },
                "text": [f"E = {r['E_mV']:+.1f}" for r in rows],
                "textposition": "middle right",
                "customdata": [
                    [r["driving_force_mV"], "permeant" if p else "impermeant"]
                    for r, p in zip(rows, permeant, strict=True)
                ],
                "hovertemplate": "E = %{y:+.2f} mV<br>V_m − E = %{customdata[0]:+.2f} mV"
                "<br>%{customdata[1]}<extra></extra>",
                "name": "E",
            },
        ],
        "layout": {
            "title": {"text": f"Each E and {label} = {report.v_m:+.1f} mV", "font": {"size": 13}},
            "xaxis": {
                "tickvals": xs,
                "ticktext": [
                    r["ion"] + ("" if p else " (impermeant)")
                    for r, p in zip(rows, permeant, strict=True)
                ],
                "range": [-0.5, n - 0.5 + 0.4],
            },
            "yaxis": {"title": {"text": "V_in - V_out (mV)"}, "zeroline": True},
            "shapes": shapes,
            "annotations": annotations,
            "showlegend": False,
            "margin": {"l": 60, "r": 20, "t": 70, "b": 50},
            "height": 380,
        },
    }


#: A V_rest sweep spanning less than this is drawn as a flat line over a fixed range. [mV]
FLAT_SPAN_MV = 0.01
#: Half the y range of a flat sweep. [mV]
FLAT_HALF_RANGE_MV = 10.0


def _sweep_figure(
    cell: Any, ion: str, E: Mapping[str, float], v_rest: float | None
) -> tuple[dict[str, Any], str]:
    """V_rest as P(ion) is swept, and a sentence when the sweep cannot move V_rest."""
    import numpy as np

    import nernst

    p_now = cell.permeability.get(ion, 0.0)
    lo = -4.0 if p_now <= 0 else min(-4.0, math.floor(math.log10(p_now)) - 1.0)
    hi = 3.0 if p_now <= 0 else max(3.0, math.ceil(math.log10(p_now)) + 1.0)
    p_values = np.logspace(lo, hi, 141)
    permeability = {**cell.permeability, ion: p_values}
    V = np.asarray(
        nernst.ghk_voltage(permeability, c_in=cell.c_in, c_out=cell.c_out, celsius=cell.celsius)
    )
    yaxis: dict[str, Any] = {"title": {"text": "V_rest (mV)"}}
    note = ""
    if float(V.max() - V.min()) < FLAT_SPAN_MV:
        # Rounding noise of a constant: draw the constant, on a range a reader can read.
        middle = float(np.median(V))
        V = np.full_like(V, middle)
        yaxis["range"] = [middle - FLAT_HALF_RANGE_MV, middle + FLAT_HALF_RANGE_MV]
        others = [i for i, p in cell.permeability.items() if p > 0 and i != ion]
        note = (
            f"V_rest does not change with P({ion}) here: {ion} is the only permeant ion, so "
            f"V_rest = E({ion}) = {middle:+.2f} mV at every P({ion}). Choose an impermeant ion "
            "to sweep to see another ion pull V_rest away from it."
            if not others
            else f"V_rest hardly changes with P({ion}) here (less than {FLAT_SPAN_MV:g} mV)."
        )
    data: list[dict[str, Any]] = [
        {
            "x": p_values.tolist(),
            "y": np.asarray(V).tolist(),
            "mode": "lines",
            "name": "V_rest",
            "hovertemplate": f"P({ion}) = %{{x:.3g}}<br>V_rest = %{{y:+.2f}} mV<extra></extra>",
        }
    ]
    if p_now > 0 and v_rest is not None:
        data.append(
            {
                "x": [p_now],
                "y": [v_rest],
                "mode": "markers",
                "marker": {"size": 11, "color": "#d62728"},
                "name": "this cell",
                "hovertemplate": f"P({ion}) = %{{x:.4g}}<br>V_rest = %{{y:+.2f}} mV<extra></extra>",
            }
        )
    figure = {
        "data": data,
        "layout": {
            "title": {
                "text": f"V_rest as P({ion}) varies, the others fixed (dashed: E({ion}))",
                "font": {"size": 13},
            },
            "xaxis": {
                "type": "log",
                "title": {"text": f"P({ion}), relative"},
                "exponentformat": "power",
            },
            "yaxis": yaxis,
            "shapes": [
                {
                    "type": "line",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "y0": E[ion],
                    "y1": E[ion],
                    "line": {"color": "#1f77b4", "dash": "dash", "width": 1},
                }
            ],
            "showlegend": False,
            "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
            "height": 340,
        },
    }
    return figure, note


def _iv_figure(
    cell: Any, p_abs: float, E: Mapping[str, float], v_rest: float | None
) -> dict[str, Any]:
    import numpy as np

    import nernst

    permeant = [ion for ion, p in cell.permeability.items() if p > 0]
    marks = [E[ion] for ion in permeant] + ([v_rest] if v_rest is not None else [])
    lo = max(-400.0, min(-150.0, math.floor(min(marks, default=0) / 10) * 10 - 30))
    hi = min(400.0, max(100.0, math.ceil(max(marks, default=0) / 10) * 10 + 30))
    n_points = 241
    V = np.linspace(lo, hi, n_points)
    grid = {"x0": lo, "dx": (hi - lo) / (n_points - 1)}  # the V axis, without sending it
    data: list[dict[str, Any]] = []
    total = np.zeros_like(V)
    for ion in permeant:
        # mA/cm^2 -> uA/cm^2 for display.
        current = 1e3 * np.asarray(
            nernst.ghk_current(
                V,
                ion,
                permeability=cell.permeability[ion] * p_abs,
                c_in=cell.c_in[ion],
                c_out=cell.c_out[ion],
                celsius=cell.celsius,
            )
        )
        total = total + current
        data.append(
            {
                **grid,
                "y": current.tolist(),
                "mode": "lines",
                "name": f"I({ion})",
                "hovertemplate": f"{ion}: %{{y:.3g}} µA/cm²<extra></extra>",
            }
        )
    data.append(
        {
            **grid,
            "y": total.tolist(),
            "mode": "lines",
            "name": "total",
            "line": {"color": "black", "width": 3},
            "hovertemplate": "total: %{y:.3g} µA/cm²<extra></extra>",
        }
    )
    if v_rest is not None:
        data.append(
            {
                "x": [v_rest],
                "y": [0.0],
                "mode": "markers+text",
                "marker": {"size": 12, "color": "#d62728", "symbol": "x"},
                "text": [f"reversal {v_rest:+.1f} mV"],
                "textposition": "bottom right",
                "name": "reversal (total = 0)",
                "hovertemplate": "V_rest = %{x:+.2f} mV<extra></extra>",
            }
        )
    return {
        "data": data,
        "layout": {
            "title": {
                "text": f"GHK currents, P = relative × {p_abs:.3g} cm/s (outward positive)",
                "font": {"size": 13},
            },
            "xaxis": {"title": {"text": "V = V_in - V_out (mV)"}, "zeroline": True},
            "yaxis": {"title": {"text": "I (µA/cm²)"}, "zeroline": True},
            "legend": {"orientation": "h", "y": -0.28},
            "margin": {"l": 60, "r": 20, "t": 50, "b": 90},
            "height": 380,
        },
    }


def compute_ghk(
    ids: Sequence[Mapping[str, str]] | None,
    cins: Sequence[Any],
    couts: Sequence[Any],
    ps: Sequence[Any],
    celsius: Any,
    v_m: Any,
    p_abs: Any,
    sweep: str | None,
    meta: Mapping[str, Any] | None,
) -> tuple[Any, ...]:
    """Everything the tab shows for the current inputs (see :data:`OUTPUTS`).

    Returns ``(V_rest, vm_note, error, explanation, axis, sweep, iv, energetics, state)``;
    ``V_rest`` is a component whose value span carries the full-precision number in
    ``data-value``; ``state`` holds the scenario, the table rows and the URL query.
    """
    from nernst.explain import explain_ghk_voltage

    meta = _meta(meta)
    try:
        rows = _current_rows(ids, cins, couts, ps)
    except MalformedRows as err:
        return _error(f"The page sent something the app cannot read ({err}): reload the page.")
    if not rows:
        return _error("The cell has no ions: add one below, or start from a preset.")
    if len(rows) > MAX_IONS:
        return _error(f"At most {MAX_IONS} ions.")
    for r in rows:
        for key, what, unit in (
            ("c_in", "inside", "mM"),
            ("c_out", "outside", "mM"),
            ("p", "permeability", "relative"),
        ):
            value, message = positive(r[key], f"{r['ion']} {what}", unit, zero_ok=key == "p")
            if value is None:
                return _error(message)
            r[key] = value
    T, message = temperature(celsius)
    if T is None:
        return _error(message)
    vm = None
    if v_m not in (None, ""):
        vm, message = amount(v_m, "the measured V_m", "mV, or empty")
        if vm is None:
            return _error(message)
    scale = parse_number(p_abs)
    if scale is None or scale <= 0:
        return _error("The permeability of relative 1 must be a positive number (cm/s).")
    scenario = {
        "title": str(meta.get("title") or "cell")[:MAX_TITLE_CHARS],
        "preset": meta.get("preset"),
        "celsius": T,
        "v_m": vm,
        "ions": rows,
        "p_abs": scale,
    }
    present = [r["ion"] for r in rows]
    sweep_ion = sweep if sweep in present else _default_sweep(rows)
    scenario["sweep"] = sweep_ion
    try:
        cell = scenario_cell(scenario)
        has_permeant = any(p > 0 for p in cell.permeability.values())
        if not has_permeant and vm is None:
            return _error(
                "No ion has a positive permeability, so there is no GHK resting potential: "
                "give at least one ion a permeability above 0 (or a measured V_m)."
            )
        report, table = energetics_rows(cell)
        v_rest = report.v_rest_ghk
        E = {r["ion"]: r["E_mV"] for r in table}
        explanation = (
            "\n".join(
                explain_ghk_voltage(
                    {k: v for k, v in cell.permeability.items() if v > 0},
                    c_in=cell.c_in,
                    c_out=cell.c_out,
                    celsius=cell.celsius,
                )
            )
            if has_permeant
            else ""
        )
        axis = _axis_figure(report, table)
        sweep_fig, sweep_note = (
            _sweep_figure(cell, sweep_ion, E, v_rest)
            if has_permeant and sweep_ion
            else (EMPTY_FIGURE, "")
        )
        iv = _iv_figure(cell, scale, E, v_rest) if has_permeant else EMPTY_FIGURE
    except ValueError as err:
        return _error(student_text(str(err.args[0]) if err.args else str(err)))

    if v_rest is None:
        V_view = html.Span("V_rest = — (no permeant ion)")
    else:
        V_view = html.Span(
            [
                "V_rest = ",
                value_span(v_rest, f"{v_rest:+.2f}"),
                " mV",
                html.Span(f"  (GHK, {cell.celsius:g} °C)", className="unit"),
            ]
        )
    note = (
        f"Measured V_m = {vm:+.1f} mV: driving forces, fluxes and energetics below use it."
        if vm is not None
        else ""
    )
    state = {**scenario, "V_rest": v_rest, "table": table}
    state["query"] = state_query(to_query(state))
    potentials = [(f"E({r['ion']})", r["E_mV"]) for r in table]
    if v_rest is not None:
        potentials.append(("V_rest", v_rest))
    if vm is not None:
        potentials.append(("The measured V_m", vm))
    warnings = plausibility(
        concentrations=concentrations_of(rows), potentials=potentials, celsius=cell.celsius
    )
    return (
        V_view,
        note,
        "",
        explanation,
        axis,
        sweep_fig,
        iv,
        energetics_view(report, table),
        state,
        warning_view(warnings),
        sweep_note,
    )


def ghk_picture(state: Any, error: Any, form: Any = "ln") -> tuple[str, str]:
    """The membrane view (SVG) and the typeset GHK equation for the tab's state; both empty
    when the inputs gave an error. A callback of its own, run after V_rest is on the page.
    """
    if error or not isinstance(state, Mapping) or not isinstance(state.get("table"), list):
        return "", ""
    try:
        cell = scenario_cell(state)
    except (ValueError, KeyError, TypeError):
        return "", ""
    v_rest = state.get("V_rest")
    measured = state.get("v_m") is not None
    v_m = state["v_m"] if measured else v_rest
    if v_m is None:
        return "", ""
    return (
        _membrane(cell, state["table"], v_rest, float(v_m), measured),
        _equation(cell, state["ions"], v_rest, form),
    )


def _equation(cell: Any, rows: Sequence[Mapping[str, Any]], v_rest: float | None, form: Any) -> str:
    import nernst

    if v_rest is None:
        return ""
    T = cell.celsius
    return ghk_tex(
        rows,
        valences={r["ion"]: int(nernst.valence(r["ion"])) for r in rows},
        thermal_mV=float(nernst.thermal_voltage(celsius=T)),
        slope_mV=float(nernst.equilibrium_potential(1, c_in=1.0, c_out=10.0, celsius=T)),
        V=v_rest,
        form="log10" if form == "log10" else "ln",
    )


def chord_shares(cell: Any, v_rest: float | None) -> dict[str, float]:
    """Each permeant ion's weight in V_rest, g_i / sum g, with g_i = I_i / (V_rest - E_i) the
    chord conductance at V_rest (I_i from :func:`nernst.ghk_current`, E_i from
    :func:`nernst.equilibrium_potential`); then V_rest = sum of weight_i E_i. An ion whose E is
    V_rest itself (the only permeant ion) takes the whole weight.
    """
    import nernst

    permeant = [ion for ion, p in cell.permeability.items() if p > 0]
    if v_rest is None or not permeant:
        return {}
    if len(permeant) == 1:
        return {permeant[0]: 1.0}
    g: dict[str, float] = {}
    for ion in permeant:
        kw = {"c_in": cell.c_in[ion], "c_out": cell.c_out[ion], "celsius": cell.celsius}
        E = float(nernst.equilibrium_potential(ion, **kw))
        if abs(v_rest - E) < 1e-6:
            return {}
        I = float(nernst.ghk_current(ion, v_m=v_rest, permeability=cell.permeability[ion], **kw))
        g[ion] = I / (v_rest - E)
    return shares(g)


def _membrane(
    cell: Any, table: Sequence[Mapping[str, Any]], v_rest: float | None, v_m: float, measured: bool
) -> str:
    weights = chord_shares(cell, v_rest)
    columns = [
        Column(
            ion=r["ion"],
            c_in=r["c_in_mM"],
            c_out=r["c_out_mM"],
            permeability=r["permeability_rel"],
            flux=r["net_flux"],
            E=r["E_mV"],
            share=weights.get(r["ion"]) if weights else None,
        )
        for r in table
    ]
    where = "measured V_m" if measured else "V_rest"
    return membrane_svg(
        columns,
        title=f"The cell's membrane at {where} = {v_m:+.1f} mV",
        caption=f"Net passive fluxes at {where} = {v_m:+.1f} mV; channel width follows P; "
        "% = share of V_rest",
    )


def download_toml(n_clicks: int | None, state: Mapping[str, Any] | None) -> Any:
    """The current cell as a TOML file for ``nernst cell FILE`` (``dcc.Download`` payload)."""
    if not n_clicks or not state:
        return no_update
    cell = scenario_cell(state)
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in str(state["title"]).lower())
    return {
        "content": cell_to_toml(cell.to_dict()),
        "filename": f"{safe.strip('-')[:60] or 'cell'}.toml",
        "type": "application/toml",
        "base64": False,
    }


def download_csv(n_clicks: int | None, state: Mapping[str, Any] | None) -> Any:
    """The energetics table as CSV (``dcc.Download`` payload)."""
    if not n_clicks or not state:
        return no_update
    return energetics_csv(state.get("table"), str(state.get("title") or "cell")) or no_update


def register(app: Any) -> None:
    """Add the tab's callbacks to the Dash app."""
    rows_state = [
        State({"type": "ghk-cin", "ion": ALL}, "id"),
        State({"type": "ghk-cin", "ion": ALL}, "value"),
        State({"type": "ghk-cout", "ion": ALL}, "value"),
        State({"type": "ghk-p", "ion": ALL}, "value"),
    ]

    @app.callback(
        Output("ghk-rows", "children"),
        Output("ghk-celsius", "value"),
        Output("ghk-vm", "value"),
        Output("ghk-pabs", "value"),
        Output("ghk-sweep", "value"),
        Output("ghk-sweep", "options"),
        Output("ghk-preset", "value"),
        Output("ghk-add-ion", "options"),
        Output("ghk-upload-msg", "children"),
        Output("ghk-meta", "data"),
        Input("url", "search"),
        Input("ghk-preset", "value"),
        Input("ghk-add", "n_clicks"),
        Input({"type": "ghk-remove", "ion": ALL}, "n_clicks"),
        Input("ghk-upload", "contents"),
        State("ghk-add-ion", "value"),
        State("ghk-upload", "filename"),
        *rows_state,
        State("ghk-celsius", "value"),
        State("ghk-vm", "value"),
        State("ghk-sweep", "value"),
        State("ghk-meta", "data"),
    )
    def _load(
        search: Any,
        preset: Any,
        _add: Any,
        _remove: Any,
        contents: Any,
        add_ion: Any,
        filename: Any,
        ids: Any,
        cins: Any,
        couts: Any,
        ps: Any,
        celsius: Any,
        v_m: Any,
        sweep: Any,
        meta: Any,
    ) -> Any:
        trigger = ctx.triggered_id
        if isinstance(trigger, Mapping) and not (ctx.triggered and ctx.triggered[0]["value"]):
            raise PreventUpdate  # a remove button appeared, nobody clicked it
        if trigger == "ghk-add" and not _add:
            raise PreventUpdate
        return load_ghk(
            trigger,
            search,
            preset,
            add_ion,
            contents,
            filename,
            ids,
            cins,
            couts,
            ps,
            celsius,
            v_m,
            sweep,
            meta,
        )

    app.callback(
        *(Output(i, p) for i, p in OUTPUT_TARGETS),
        State({"type": "ghk-cin", "ion": ALL}, "id"),
        Input({"type": "ghk-cin", "ion": ALL}, "value"),
        Input({"type": "ghk-cout", "ion": ALL}, "value"),
        Input({"type": "ghk-p", "ion": ALL}, "value"),
        Input("ghk-celsius", "value"),
        Input("ghk-vm", "value"),
        Input("ghk-pabs", "value"),
        Input("ghk-sweep", "value"),
        Input("ghk-meta", "data"),
    )(compute_ghk)
    app.callback(
        Output("ghk-membrane-svg", "data"),
        Output("ghk-equation", "children"),
        Input("ghk-state", "data"),
        Input("ghk-error", "children"),
        Input("ghk-eqform", "value"),
    )(ghk_picture)
    link_graphs(app, "ghk-axis", "ghk-sweep-plot", "ghk-iv")
    sliders = [f"ghk-beginner-{_beginner_key(ion)}" for ion in BEGINNER_IONS]
    app.clientside_callback(
        _BEGINNER_JS.replace("IONS", repr(list(BEGINNER_IONS)))
        .replace("LMIN", repr(LOG_P_MIN))
        .replace("LMAX", repr(LOG_P_MAX)),
        *(Output(s_id, "value") for s_id in sliders),
        Output({"type": "ghk-p", "ion": ALL}, "value"),
        *(Input(s_id, "value") for s_id in sliders),
        Input({"type": "ghk-p", "ion": ALL}, "value"),
        State({"type": "ghk-p", "ion": ALL}, "id"),
    )
    register_membrane(app, "ghk")
    app.clientside_callback(
        "function(url) { var q = (url || '').split('?')[1] || '';"
        " return 'worksheet' + (q ? '?' + q : ''); }",
        Output("ghk-worksheet", "href"),
        Input("share-url", "value"),
    )
    app.callback(
        Output("ghk-toml", "data"),
        Input("ghk-toml-button", "n_clicks"),
        State("ghk-state", "data"),
        prevent_initial_call=True,
    )(download_toml)
    app.callback(
        Output("ghk-csv", "data"),
        Input("ghk-csv-button", "n_clicks"),
        State("ghk-state", "data"),
        prevent_initial_call=True,
    )(download_csv)


TAB = TabSpec(
    id=TAB_ID,
    label="GHK: a whole cell",
    order=20,
    layout=layout,
    register=register,
    state_id="ghk-state",
)
