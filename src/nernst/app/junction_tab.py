"""Liquid junction tab: the junction potential between a patch pipette and the bath.

Pick the pipette and bath solutions from the preset recording solutions
(:func:`nernst.junction.recording_solutions`) or edit either as an ion table (add and remove
ions, concentrations in mM); choose the method and the temperature. Shown: the liquid junction
potential by the chosen method and both methods side by side, the sign convention (bath
relative to pipette, ``LJP = V_bath - V_pipette``), a measured potential corrected to the
membrane potential ``V_m = V_measured - LJP``, the library's step-by-step explanation
(:meth:`nernst.junction.JunctionReport.lines`) and, for a solution that is not electroneutral,
the library's own warning (small imbalance, corrected) or error (above 0.1 %).

Either side can instead be given as a recipe (salts, buffers, chelators; a pH and titrant; the
temperature it was made up at), solved by :class:`nernst.Solution`: its free ions and charged
complexes enter the junction, re-equilibrated at the junction temperature (same totals, pH from
the charge balance) when that differs; species without a tabulated mobility (ATP,
phosphocreatine, chelator complexes) are left out with their charge taken off all their
counter-ions in proportion, and the tab says so. The Recording solution tab sends its solution
here ("Use as pipette", "Use as bath") through the store :data:`INBOX_ID`: that side becomes
the recipe, the junction moves to the recording temperature and the mobilities to that
temperature (the LJP the Recording solution tab shows). The mobilities are the 25 degC table
(JPCalc, LJPcalc) or each ion's D at the temperature (``mobility_model`` of the library).

Every number comes from :func:`nernst.junction.liquid_junction_potential` and
:func:`nernst.junction.junction_report`; the app only parses the inputs and shows the results.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from dash import ALL, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from nernst.app.layout import TabSpec, attrs, state_query, value_span
from nernst.app.messages import plausibility, student_text
from nernst.app.scenario import MAX_IONS, first, number_text, parse_number, parse_query
from nernst.app.solution_tab import (
    DEFAULT_RECIPE,
    DEFAULT_TITRANT,
    TITRANTS,
    at_temperature,
    failure_text,
    solve_recipe,
)

__all__ = [
    "INBOX_ID",
    "LOAD_OUTPUTS",
    "OUTPUTS",
    "TAB",
    "compute_junction",
    "load_junction",
    "to_query",
]

TAB_ID = "junction"
SIDES = ("pipette", "bath")
#: The default pair: the published example of Figl, Lewis & Barry (2003, AxoBits 39), at the
#: temperature of that example (20 degC; LJPcalc +16.05 mV, JPCalc +15.6 mV).
DEFAULT_PRESETS = {"pipette": "k-gluconate-internal", "bath": "hepes-saline"}
DEFAULT_CELSIUS = 20.0
DEFAULT_METHOD = "nernst-planck"
METHOD_LABELS = {"nernst-planck": "stationary Nernst-Planck", "henderson": "Henderson"}
#: How the mobilities depend on temperature (the library's ``mobility_model``).
MOBILITY_LABELS = {
    "25C": "25 °C table (as JPCalc, LJPcalc)",
    "temperature": "at the temperature (Boudreau 1997; Stokes-Einstein)",
}
DEFAULT_MOBILITY = "25C"
#: How a side is given: an ion table (a preset, edited or not) or a recipe.
SOURCE_LABELS = {"ions": "Ion table", "recipe": "Recipe"}
#: The recipe fields of a side (component id ``junction-<side>-<field>``; URL key
#: ``junction.<side>_<key>``) and the recipes a side starts with: the K-gluconate internal of
#: the Recording solution tab, and a HEPES-buffered saline.
RECIPE_FIELDS = {"recipe": "recipe", "ph": "ph", "titrant": "titrant", "made": "t"}
DEFAULT_RECIPES: dict[str, dict[str, Any]] = {
    "pipette": {"recipe": DEFAULT_RECIPE, "ph": 7.3, "titrant": "KOH", "made": 22.0},
    "bath": {
        "recipe": "NaCl 140\nKCl 5\nCaCl2 2\nMgCl2 1\nHEPES 10\nglucose 10",
        "ph": 7.4,
        "titrant": "NaOH",
        "made": 22.0,
    },
}
#: The store the Recording solution tab writes a solution to (``{"side", "recipe", "ph",
#: "titrant", "celsius", "recording", "n"}``); :func:`load_junction` reads it.
INBOX_ID = "junction-inbox"
#: Concentration of an ion just added (the user types the real one). [mM]
NEW_ION_MM = 0.0
#: Grid of an ion row here (name, mM, remove): wider names than the GHK table's
#: ("methanesulfonate-"), and one number column.
_ROW_STYLE = {"gridTemplateColumns": "165px 1fr 30px"}

#: Names of the values :func:`compute_junction` returns, in order.
OUTPUTS = (
    "ljp",
    "nernst_planck",
    "henderson",
    "v_m",
    "pipette_note",
    "bath_note",
    "warning",
    "error",
    "explanation",
    "state",
    "pipette_recipe_note",
    "bath_recipe_note",
)
#: Names of the values :func:`load_junction` returns, in order.
LOAD_OUTPUTS = (
    "pipette_rows",
    "bath_rows",
    "pipette_preset",
    "bath_preset",
    "pipette_add_options",
    "bath_add_options",
    "celsius",
    "method",
    "v_measured",
    "message",
    *(f"{side}_{key}" for key in ("source", *RECIPE_FIELDS) for side in SIDES),
    "mobility",
    "sent",
)
_INDEX = {name: i for i, name in enumerate(LOAD_OUTPUTS)}


# -- presets and ions -------------------------------------------------------------------------
def _presets() -> dict[str, dict[str, Any]]:
    from nernst.junction import recording_solutions

    return recording_solutions()


def preset_rows(name: str) -> list[dict[str, Any]]:
    """The ion table of a preset recording solution: ``[{"ion": symbol, "c": mM}, ...]``."""
    from nernst.junction import recording_solution

    return [{"ion": ion, "c": c} for ion, c in recording_solution(name).items()]


def preset_options(side: str) -> list[dict[str, str]]:
    """Dropdown options: the presets made for this side first, then the others."""
    presets = _presets()
    own = [k for k, v in presets.items() if v["role"] == side]
    other = [k for k in presets if k not in own]
    return [
        {"label": f"{presets[k]['title']} [{presets[k]['role'] or 'any'}]", "value": k}
        for k in own + other
    ]


def _add_options(present: Sequence[str]) -> list[dict[str, str]]:
    """Ions that can be added: the ion table minus those present, keeping only ions with a
    tabulated mobility (conductivity or diffusion coefficient), which a junction needs."""
    from nernst import ions

    return [
        {"label": f"{ion.symbol}  ({ion.name}, z = {ion.charge:+d})", "value": ion.symbol}
        for ion in ions.values()
        if ion.symbol not in present
        and (ion.equivalent_conductivity is not None or ion.diffusion_coefficient is not None)
    ]


# -- the URL ----------------------------------------------------------------------------------
def to_query(state: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The tab's state as query parameters.

    A side is written as the name of the preset it started from
    (``junction.pipette=k-gluconate-internal``) and, if it was edited or is not a preset, as
    its ion table, one ``junction.pipette_ion=ION,mM`` per ion (which wins when read back).

    >>> to_query({"pipette": {"preset": "kcl-internal", "edited": False, "ions": []},
    ...           "bath": {"preset": "nacl-145", "edited": True,
    ...                    "ions": [{"ion": "Na+", "c": 145.0}, {"ion": "Cl-", "c": 145.0}]},
    ...           "method": "henderson", "celsius": 20.0, "v_measured": -48.1})
    ... # doctest: +NORMALIZE_WHITESPACE
    [('junction.pipette', 'kcl-internal'), ('junction.bath', 'nacl-145'),
     ('junction.bath_ion', 'Na+,145'),
     ('junction.bath_ion', 'Cl-,145'), ('junction.method', 'henderson'), ('junction.T', '20'),
     ('junction.vm', '-48.1')]
    """
    pairs: list[tuple[str, str]] = []
    for side in SIDES:
        solution = state[side]
        if solution.get("preset"):
            pairs.append((f"{TAB_ID}.{side}", str(solution["preset"])))
        if solution.get("edited") or not solution.get("preset"):
            pairs += [
                (f"{TAB_ID}.{side}_ion", f"{r['ion']},{number_text(r['c'])}")
                for r in solution["ions"]
            ]
        recipe = solution.get("recipe")
        if solution.get("source") == "recipe" and recipe:
            pairs.append((f"{TAB_ID}.{side}_src", "recipe"))
            for name, key in RECIPE_FIELDS.items():
                value = recipe.get(name)
                text = value if isinstance(value, str) else number_text(value)
                pairs.append((f"{TAB_ID}.{side}_{key}", text or ""))
    pairs += [
        (f"{TAB_ID}.method", str(state["method"])),
        (f"{TAB_ID}.T", number_text(state["celsius"])),
    ]
    if state.get("mobility_model", DEFAULT_MOBILITY) != DEFAULT_MOBILITY:
        pairs.append((f"{TAB_ID}.mobility", str(state["mobility_model"])))
    if state.get("v_measured") is not None:
        pairs.append((f"{TAB_ID}.vm", number_text(state["v_measured"])))
    return pairs


def _url_rows(params: Mapping[str, Sequence[str]], side: str) -> list[dict[str, Any]] | None:
    """The ion table of one side from ``junction.<side>_ion`` values (None if there are none);
    unknown ions and repeats are dropped, bad numbers become empty inputs."""
    from nernst import ions

    items = params.get(f"{TAB_ID}.{side}_ion")
    if not items:
        return None
    rows: list[dict[str, Any]] = []
    for item in items[:MAX_IONS]:
        name, _, number = item.rpartition(",")
        try:
            ion = ions.resolve(name)
        except ValueError:
            continue
        if ion not in {r["ion"] for r in rows}:
            rows.append({"ion": ion, "c": parse_number(number)})
    return rows


# -- layout -----------------------------------------------------------------------------------
def _row_id(kind: str, side: str, ion: str) -> dict[str, str]:
    return {"type": f"junction-{kind}", "side": side, "ion": ion}


def ion_rows(side: str, rows: Sequence[Mapping[str, Any]]) -> list[Any]:
    """One line per ion: name, concentration [mM], remove button."""
    from nernst import ions

    return [
        html.Div(
            [
                html.Span(
                    r["ion"],
                    className="ion-name",
                    title=f"{ions[r['ion']].name}, z = {ions[r['ion']].charge:+d}",
                ),
                dcc.Input(
                    id=_row_id("c", side, r["ion"]),
                    type="number",
                    value=r["c"],
                    step="any",
                    className="number",
                    name=f"{side}-{r['ion']}",
                    placeholder="mM",
                ),
                html.Button(
                    "×",
                    id=_row_id("remove", side, r["ion"]),
                    title=f"remove {r['ion']} from the {side}",
                    className="remove",
                ),
            ],
            className="ion-row",
            style=_ROW_STYLE,
        )
        for r in rows
    ]


def _recipe_block(side: str) -> Any:
    """A side given as a recipe: the recipe, pH, titrant, the temperature it was made up at."""
    start = DEFAULT_RECIPES[side]

    def inline(label: str, component: Any, unit: str = "") -> Any:
        return html.Div(
            [
                html.Label(label, htmlFor=component.id),
                component,
                html.Span(unit, className="unit"),
            ],
            className="field inline",
        )

    return html.Div(
        [
            html.Div(
                [
                    html.Label(
                        f"{side.capitalize()} recipe (component mM, one per line)",
                        htmlFor=f"junction-{side}-recipe",
                    ),
                    dcc.Textarea(
                        id=f"junction-{side}-recipe",
                        value=start["recipe"],
                        style={"width": "100%", "height": "120px"},
                    ),
                ],
                className="field",
            ),
            inline(
                "pH",
                dcc.Input(
                    id=f"junction-{side}-ph",
                    type="number",
                    value=start["ph"],
                    step="any",
                    placeholder="none",
                    className="number",
                ),
            ),
            inline(
                "Titrant",
                dcc.Dropdown(
                    id=f"junction-{side}-titrant",
                    options=list(TITRANTS),
                    value=start["titrant"],
                    clearable=False,
                ),
            ),
            inline(
                "Made up at",
                dcc.Input(
                    id=f"junction-{side}-made",
                    type="number",
                    value=start["made"],
                    step="any",
                    className="number",
                ),
                "°C",
            ),
            html.Div(id=f"junction-{side}-recipe-note", className="note"),
        ],
        id=f"junction-{side}-recipe-block",
        style={"display": "none"},
    )


def _side(side: str, label: str) -> Any:
    preset = DEFAULT_PRESETS[side]
    rows = preset_rows(preset)
    return html.Div(
        [
            html.H3(label),
            html.Div(
                [
                    html.Label(f"{side.capitalize()} given as", htmlFor=f"junction-{side}-source"),
                    dcc.RadioItems(
                        id=f"junction-{side}-source",
                        options=[
                            {"label": f" {text}", "value": key}
                            for key, text in SOURCE_LABELS.items()
                        ],
                        value="ions",
                        inline=True,
                    ),
                ],
                className="field",
                **attrs({"data-a11y-label": f"{side.capitalize()} given as"}),
            ),
            html.Div(
                [
                    html.Div(
                        [
                            html.Label("Preset", htmlFor=f"junction-{side}-preset"),
                            dcc.Dropdown(
                                id=f"junction-{side}-preset",
                                options=preset_options(side),
                                value=preset,
                                clearable=False,
                                placeholder="custom solution",
                            ),
                        ],
                        className="field",
                    ),
                    html.Div(id=f"junction-{side}-note", className="note"),
                    html.Div(
                        [html.Span("ion"), html.Span("mM"), html.Span("")],
                        className="ion-row ion-head",
                        style=_ROW_STYLE,
                    ),
                    html.Div(ion_rows(side, rows), id=f"junction-{side}-rows"),
                    html.Div(
                        [
                            dcc.Dropdown(
                                id=f"junction-{side}-add-ion",
                                options=_add_options([r["ion"] for r in rows]),
                                placeholder="ion to add",
                            ),
                            html.Button("Add ion", id=f"junction-{side}-add"),
                        ],
                        className="add-row",
                    ),
                ],
                id=f"junction-{side}-ions-block",
            ),
            _recipe_block(side),
        ],
        className="solution",
    )


def layout() -> Any:
    """The tab's content with the default pair (K-gluconate internal vs HEPES saline, 20 °C)."""
    return html.Div(
        [
            html.Div(
                [
                    html.Div(id="junction-sent", className="note", role="status"),
                    _side("pipette", "Pipette solution"),
                    _side("bath", "Bath solution"),
                    html.Div(id="junction-load-msg", className="error", role="alert"),
                    html.Div(
                        [
                            html.Label("Method", htmlFor="junction-method"),
                            dcc.RadioItems(
                                id="junction-method",
                                options=[
                                    {"label": f" {text}", "value": key}
                                    for key, text in METHOD_LABELS.items()
                                ],
                                value=DEFAULT_METHOD,
                            ),
                        ],
                        className="field",
                    ),
                    html.Div(
                        [
                            html.Label("Mobilities", htmlFor="junction-mobility"),
                            dcc.RadioItems(
                                id="junction-mobility",
                                options=[
                                    {"label": f" {text}", "value": key}
                                    for key, text in MOBILITY_LABELS.items()
                                ],
                                value=DEFAULT_MOBILITY,
                            ),
                        ],
                        className="field",
                    ),
                    html.Div(
                        [
                            html.Label("Temperature", htmlFor="junction-celsius"),
                            dcc.Input(
                                id="junction-celsius",
                                type="number",
                                value=DEFAULT_CELSIUS,
                                step="any",
                                className="number",
                            ),
                            html.Span("°C", className="unit"),
                        ],
                        className="field inline",
                    ),
                    html.Div(
                        [
                            html.Label("Measured V", htmlFor="junction-vmeas"),
                            dcc.Input(
                                id="junction-vmeas",
                                type="number",
                                value=None,
                                step="any",
                                placeholder="e.g. -48.1",
                                className="number no-stepper",
                            ),
                            html.Span("mV", className="unit"),
                        ],
                        className="field inline",
                    ),
                ],
                className="controls",
            ),
            html.Div(
                [
                    html.Div(
                        id="junction-ljp", className="big-number", **attrs({"aria-live": "polite"})
                    ),
                    html.P(
                        "Sign: LJP = V_bath − V_pipette, the bath relative to the pipette "
                        "(Barry's JPCalc and LJPcalc convention). The amplifier is zeroed with "
                        "the junction in the circuit; once the patch is formed it is gone, so "
                        "correct every reading with V_m = V_measured − LJP.",
                        className="note",
                        id="junction-sign",
                    ),
                    html.Div(
                        [
                            html.Span("Both methods:", className="unit"),
                            html.Div(id="junction-np"),
                            html.Div(id="junction-henderson"),
                        ],
                        className="methods",
                        style={
                            "display": "flex",
                            "alignItems": "baseline",
                            "gap": "28px",
                            "flexWrap": "wrap",
                            "fontSize": "1.15rem",
                            "fontWeight": 600,
                            "margin": "8px 0",
                        },
                    ),
                    html.Div(id="junction-vm", className="big-number"),
                    html.Div(id="junction-warning", className="note", role="status"),
                    html.Div(id="junction-error", className="error", role="alert"),
                    html.Details(
                        [
                            html.Summary("The calculation with these numbers"),
                            html.Pre(id="junction-explain", tabIndex="0"),
                        ],
                        open=True,
                        className="explain",
                    ),
                ],
                className="results",
            ),
            dcc.Store(id="junction-state"),
            dcc.Store(id=INBOX_ID),
            dcc.Store(id=f"{INBOX_ID}-focus"),
        ],
        className="tab-body",
    )


# -- callbacks: replacing a solution ---------------------------------------------------------
def _current_rows(
    ids: Sequence[Mapping[str, str]] | None, values: Sequence[Any] | None
) -> dict[str, list[dict[str, Any]]]:
    """The ion tables on the page, per side, in display order."""
    rows: dict[str, list[dict[str, Any]]] = {side: [] for side in SIDES}
    for i, c in zip(ids or [], values or [], strict=False):
        if i.get("side") in rows:
            rows[i["side"]].append({"ion": i["ion"], "c": c})
    return rows


def load_junction(
    trigger: str | Mapping[str, str] | None,
    search: str | None,
    pipette_preset: str | None,
    bath_preset: str | None,
    pipette_add: str | None,
    bath_add: str | None,
    ids: Sequence[Mapping[str, str]] | None,
    values: Sequence[Any] | None,
    inbox: Mapping[str, Any] | None = None,
) -> tuple[Any, ...]:
    """Replace or edit a solution (see :data:`LOAD_OUTPUTS`); ``no_update`` where nothing
    changes.

    ``trigger`` says why: ``"url"`` or None (page load, maybe with a shared link),
    ``"junction-<side>-preset"``, ``"junction-<side>-add"``, a remove button's id
    ``{"type": "junction-remove", "side": ..., "ion": ...}`` or :data:`INBOX_ID` (a solution
    sent by the Recording solution tab, ``inbox``: that side becomes its recipe, the junction
    temperature its recording temperature, the mobilities those at that temperature). Raises
    ``PreventUpdate`` when there is nothing to change.
    """
    out: list[Any] = [no_update] * len(LOAD_OUTPUTS)
    current = _current_rows(ids, values)

    if trigger == INBOX_ID:
        return _receive(out, inbox)

    def show(side: str, rows: list[dict[str, Any]]) -> None:
        out[_INDEX[f"{side}_rows"]] = ion_rows(side, rows)
        out[_INDEX[f"{side}_add_options"]] = _add_options([r["ion"] for r in rows])

    if trigger in (None, "url"):
        params = parse_query(search)
        if not any(k.startswith(f"{TAB_ID}.") for k in params):
            raise PreventUpdate
        presets = _presets()
        for side in SIDES:
            rows = _url_rows(params, side)
            name = first(params, f"{TAB_ID}.{side}")
            if rows is not None:
                show(side, rows)
                out[_INDEX[f"{side}_preset"]] = name if name in presets else None
            elif name in presets:
                show(side, preset_rows(str(name)))
                out[_INDEX[f"{side}_preset"]] = name
            if first(params, f"{TAB_ID}.{side}_src") == "recipe":
                out[_INDEX[f"{side}_source"]] = "recipe"
                for field, key in RECIPE_FIELDS.items():
                    value = first(params, f"{TAB_ID}.{side}_{key}")
                    if value is None:
                        continue
                    if field == "recipe":
                        out[_INDEX[f"{side}_recipe"]] = value
                    elif field == "titrant":
                        out[_INDEX[f"{side}_titrant"]] = (
                            value if value in TITRANTS else DEFAULT_TITRANT
                        )
                    else:
                        out[_INDEX[f"{side}_{field}"]] = parse_number(value)
        method = first(params, f"{TAB_ID}.method")
        if method in METHOD_LABELS:
            out[_INDEX["method"]] = method
        mobility = first(params, f"{TAB_ID}.mobility")
        if mobility in MOBILITY_LABELS:
            out[_INDEX["mobility"]] = mobility
        T = first(params, f"{TAB_ID}.T")
        if T is not None:
            out[_INDEX["celsius"]] = parse_number(T)
        vm = first(params, f"{TAB_ID}.vm")
        if vm is not None:
            out[_INDEX["v_measured"]] = parse_number(vm)
        return tuple(out)

    presets_by_side = {"pipette": pipette_preset, "bath": bath_preset}
    adds = {"pipette": pipette_add, "bath": bath_add}
    for side in SIDES:
        if trigger == f"junction-{side}-preset":
            name = presets_by_side[side]
            if not name:
                raise PreventUpdate
            try:
                show(side, preset_rows(name))
            except ValueError as err:
                out[_INDEX["message"]] = str(err)
                return tuple(out)
            out[_INDEX["message"]] = ""
            out[_INDEX["sent"]] = ""
            return tuple(out)
        if trigger == f"junction-{side}-add":
            from nernst import ions

            ion = adds[side]
            present = [r["ion"] for r in current[side]]
            if not ion or ion not in ions or ions[ion].symbol in present:
                raise PreventUpdate
            if len(present) >= MAX_IONS:
                out[_INDEX["message"]] = f"At most {MAX_IONS} ions per solution."
                return tuple(out)
            show(side, [*current[side], {"ion": ions[ion].symbol, "c": NEW_ION_MM}])
            out[_INDEX["message"]] = ""
            return tuple(out)
    if isinstance(trigger, Mapping) and trigger.get("type") == "junction-remove":
        side = trigger.get("side", "")
        if side not in SIDES:
            raise PreventUpdate
        show(side, [r for r in current[side] if r["ion"] != trigger.get("ion")])
        return tuple(out)
    raise PreventUpdate


def _receive(out: list[Any], inbox: Mapping[str, Any] | None) -> tuple[Any, ...]:
    """The outputs of :func:`load_junction` for a solution the Recording solution tab sent."""
    if not isinstance(inbox, Mapping) or inbox.get("side") not in SIDES:
        raise PreventUpdate
    side = str(inbox["side"])
    made = parse_number(inbox.get("celsius"))
    recording = parse_number(inbox.get("recording"))
    ph = parse_number(inbox.get("ph"))
    titrant = inbox.get("titrant")
    out[_INDEX[f"{side}_source"]] = "recipe"
    out[_INDEX[f"{side}_recipe"]] = str(inbox.get("recipe") or "")
    out[_INDEX[f"{side}_ph"]] = ph
    if titrant in TITRANTS:
        out[_INDEX[f"{side}_titrant"]] = titrant
    out[_INDEX[f"{side}_made"]] = made
    T = made if recording is None else recording
    out[_INDEX["celsius"]] = T
    out[_INDEX["mobility"]] = "temperature"
    out[_INDEX["message"]] = ""
    how = f", pH {ph:g} with {titrant}" if ph is not None else ""
    out[_INDEX["sent"]] = (
        f"{side.capitalize()}: the recipe from the Recording solution tab (made up at "
        f"{number_text(made)} °C{how}). The junction is at {number_text(T)} °C, with the "
        "mobilities at that temperature."
    )
    return tuple(out)


# -- callbacks: computing ---------------------------------------------------------------------
def _number_view(label: str, number: float | None, unit: str = "mV") -> Any:
    if number is None:
        return html.Span(f"{label} = —")
    return html.Span([f"{label} = ", value_span(number, f"{number:+.2f}"), f" {unit}"])


def _side_note(
    side: str, preset: str | None, rows: Sequence[Mapping[str, Any]]
) -> tuple[Any, bool]:
    """A line saying where the solution came from (the preset's source on hover), and whether
    it was edited."""
    from nernst.junction import recording_solution

    presets = _presets()
    if not preset or preset not in presets:
        return f"Custom {side} solution.", True
    as_preset = {r["ion"]: parse_number(r["c"]) for r in rows} == recording_solution(preset)
    info = presets[preset]
    text = f"Preset: {info['title']}." if as_preset else f"Edited from the preset {info['title']}."
    return html.Span(text, title=f"Source: {info['source']}"), not as_preset


def _recipe_inputs(recipes: Mapping[str, Mapping[str, Any]] | None, side: str) -> dict[str, Any]:
    """A side's recipe fields as typed (recipe text, pH, titrant, made-up temperature)."""
    given = dict((recipes or {}).get(side) or {})
    return {
        "recipe": given.get("recipe") or "",
        "ph": parse_number(given.get("ph")),
        "titrant": given.get("titrant") or None,
        "made": parse_number(given.get("made")),
    }


def _recipe_note(side: str, solution: Any, warm: Any, report: Any) -> Any:
    """What a recipe side became: its pH (at both temperatures) and the ions that entered the
    junction (free ions and charged complexes with a mobility, after the library's neutrality
    correction)."""
    text = f"Solved: pH {solution.ph:.3f} at {solution.celsius:g} °C"
    if warm is not solution:
        text += f", {warm.ph:.3f} at {warm.celsius:g} °C (same totals)"
    text += f"; osmolality {solution.osmolality:.0f} mOsm/kg. Ions in the junction (mM):"
    key = "c_pipette" if side == "pipette" else "c_bath"
    rows = [
        html.Tr([html.Td(r["ion"]), html.Td(value_span(r[key], f"{r[key]:.4g}"))])
        for r in report.ions
        if r[key] > 0
    ]
    return html.Div(
        [
            html.Div(text),
            html.Table(
                [
                    html.Thead(html.Tr([html.Th("ion"), html.Th("mM")])),
                    html.Tbody(rows),
                ],
                className="table",
                id=f"junction-{side}-free",
            ),
        ]
    )


def compute_junction(
    ids: Sequence[Mapping[str, str]] | None,
    values: Sequence[Any] | None,
    celsius: Any,
    method: str | None,
    v_measured: Any,
    pipette_preset: str | None,
    bath_preset: str | None,
    *,
    sources: Mapping[str, str | None] | None = None,
    recipes: Mapping[str, Mapping[str, Any]] | None = None,
    mobility_model: str | None = DEFAULT_MOBILITY,
) -> tuple[Any, ...]:
    """Everything the tab shows for the current inputs (see :data:`OUTPUTS`).

    Returns ``(ljp, nernst_planck, henderson, v_m, pipette_note, bath_note, warning, error,
    explanation, state, pipette_recipe_note, bath_recipe_note)``. The first four are
    components whose value span carries the full-precision number in ``data-value``: the LJP
    by the chosen method, the LJP by each method, and the corrected membrane potential
    ``V_m = V_measured - LJP`` (chosen method). ``warning`` holds the library's neutrality
    warnings, ``error`` its ValueError message (inline); ``state`` the scenario and its URL
    query, written even when the inputs are bad so the address bar follows what is typed.

    ``sources[side] == "recipe"`` gives that side as the recipe ``recipes[side]``
    (``{"recipe": text, "ph": pH or None, "titrant": name, "made": degC}``), solved by
    :class:`nernst.Solution` at its ``made`` temperature and re-equilibrated at ``celsius``
    (:func:`nernst.app.solution_tab.at_temperature`); species without a mobility are dropped
    by the library (``unknown_mobility="drop"``, with its warning). ``mobility_model`` is the
    library's ("25C" or "temperature").
    """
    from nernst.junction import junction_report, liquid_junction_potential

    rows = _current_rows(ids, values)
    kind = method if method in METHOD_LABELS else DEFAULT_METHOD
    model = mobility_model if mobility_model in MOBILITY_LABELS else DEFAULT_MOBILITY
    source = {side: "recipe" if (sources or {}).get(side) == "recipe" else "ions" for side in SIDES}
    given = {side: _recipe_inputs(recipes, side) for side in SIDES}
    T = parse_number(celsius)
    vm = parse_number(v_measured)
    notes = {
        side: _side_note(side, p, rows[side])
        for side, p in zip(SIDES, (pipette_preset, bath_preset), strict=True)
    }
    state: dict[str, Any] = {
        side: {
            "preset": preset,
            "edited": notes[side][1],
            "ions": [{"ion": r["ion"], "c": parse_number(r["c"])} for r in rows[side]],
            "source": source[side],
        }
        for side, preset in zip(SIDES, (pipette_preset, bath_preset), strict=True)
    }
    for side in SIDES:
        if source[side] == "recipe":
            state[side]["recipe"] = given[side]
    state.update({"method": kind, "celsius": T, "v_measured": vm, "mobility_model": model})
    state["query"] = state_query(to_query(state))

    def failed(message: str) -> tuple[Any, ...]:
        return (
            _number_view("LJP", None),
            _number_view(METHOD_LABELS["nernst-planck"], None),
            _number_view(METHOD_LABELS["henderson"], None),
            _number_view("V_m", None),
            notes["pipette"][0],
            notes["bath"][0],
            "",
            message,
            "",
            {**state, "ljp": None},
            "",
            "",
        )

    solutions: dict[str, Any] = {}
    for side in SIDES:
        if source[side] == "recipe":
            if given[side]["made"] is None:
                return failed(f"Enter the temperature the {side} recipe was made up at (°C).")
            continue  # solved below, where the library's warnings are recorded
        if not rows[side]:
            return failed(f"The {side} solution has no ions: add some, or choose a preset.")
        solution = {}
        for r, parsed in zip(rows[side], state[side]["ions"], strict=True):
            if parsed["c"] is None:
                return failed(f"Enter a number for {r['ion']} in the {side} (mM).")
            solution[r["ion"]] = parsed["c"]
        solutions[side] = solution
    if T is None:
        return failed("Enter a number for the temperature (°C).")
    if v_measured not in (None, "") and vm is None:
        return failed("The measured V must be a number (mV), or empty.")

    options: dict[str, Any] = {"celsius": T, "mobility_model": model}
    if any(s == "recipe" for s in source.values()):
        options["unknown_mobility"] = "drop"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for side in SIDES:
            if source[side] != "recipe":
                continue
            recipe = given[side]
            try:
                solutions[side] = solve_recipe(
                    recipe["recipe"], recipe["ph"], recipe["titrant"], recipe["made"]
                )
            except (ValueError, ArithmeticError) as err:
                return failed(f"The {side} recipe: {failure_text(err)}")
        try:
            at_junction = {
                side: at_temperature(sol, T) if source[side] == "recipe" else sol
                for side, sol in solutions.items()
            }
            pipette, bath = at_junction["pipette"], at_junction["bath"]
            ljp = {
                m: float(liquid_junction_potential(pipette, bath, method=m, **options))
                for m in METHOD_LABELS
            }
            report = junction_report(pipette, bath, method=kind, **options)
        except (ValueError, ArithmeticError) as err:
            dropped = "unknown_mobility" in options
            return failed(failure_text(err, "The junction", dropped=dropped))
    messages = list(dict.fromkeys(student_text(str(w.message)) for w in caught))
    recipe_notes = {
        side: _recipe_note(side, solutions[side], at_junction[side], report)
        if source[side] == "recipe"
        else ""
        for side in SIDES
    }
    LJP = ljp[kind]
    V_m = None if vm is None else vm - LJP
    if V_m is None:
        vm_view: Any = html.Span("V_m = V_measured − LJP: type a measured V to correct it")
    else:
        vm_view = html.Span(
            [
                "V_m = ",
                value_span(V_m, f"{V_m:+.2f}"),
                " mV",
                html.Span(
                    f"  = {vm:+.2f} − ({LJP:+.2f}) mV, the measured V corrected",
                    className="unit",
                ),
            ]
        )
    where = f"{METHOD_LABELS[kind]}, {T:g} °C"
    if model != DEFAULT_MOBILITY:
        where += ", mobilities at that temperature"
    ljp_view = html.Span(
        [
            "LJP = ",
            value_span(LJP, f"{LJP:+.2f}"),
            " mV",
            html.Span(f"  ({where})", className="unit"),
        ]
    )
    state["ljp"] = LJP
    state["ljp_by_method"] = ljp
    state["v_m"] = V_m
    typed = {
        side: (
            {f"[{name}] in the {side} recipe": c for name, c in solutions[side].recipe.items()}
            if source[side] == "recipe"
            else {f"[{ion}] in the {side}": c for ion, c in solutions[side].items()}
        )
        for side in SIDES
    }
    return (
        ljp_view,
        _number_view(METHOD_LABELS["nernst-planck"], ljp["nernst-planck"]),
        _number_view(METHOD_LABELS["henderson"], ljp["henderson"]),
        vm_view,
        notes["pipette"][0],
        notes["bath"][0],
        " ".join(
            [
                *(f"Warning: {m}." for m in messages),
                *(f"Warning: {w}" for w in _plausibility(typed, vm)),
            ]
        ),
        "",
        "\n".join(report.lines()),
        state,
        recipe_notes["pipette"],
        recipe_notes["bath"],
    )


def _plausibility(typed: Mapping[str, Mapping[str, float]], vm: float | None) -> list[str]:
    """Plain warnings for typed values no one would mean (``typed``: side -> label -> mM)."""
    concentrations = [(label, c) for side in typed.values() for label, c in side.items()]
    potentials = [("The measured V", vm)] if vm is not None else []
    return plausibility(concentrations=concentrations, potentials=potentials)


#: Shows the ion table or the recipe fields of a side, as its source radio says.
_SHOW_SOURCE_JS = """
function(source) {
    var recipe = source === "recipe";
    return [recipe ? {display: "none"} : {}, recipe ? {} : {display: "none"}];
}
"""

#: After a solution arrives from the Recording solution tab (whose button is gone with its
#: tab), the keyboard focus goes to this tab's header rather than to the page's start.
_FOCUS_JS = """
function(inbox) {
    if (inbox) {
        setTimeout(function () {
            var tab = document.getElementById("tab-junction");
            if (tab) { tab.focus(); }
        }, 0);
    }
    return window.dash_clientside.no_update;
}
"""


def _recipe_ids(side: str) -> list[str]:
    return [f"junction-{side}-{name}" for name in RECIPE_FIELDS]


def register(app: Any) -> None:
    """Add the tab's callbacks to the Dash app."""
    rows_state = [
        State({"type": "junction-c", "side": ALL, "ion": ALL}, "id"),
        State({"type": "junction-c", "side": ALL, "ion": ALL}, "value"),
    ]
    recipe_outputs = [
        Output(f"junction-{side}-{key}", "value")
        for key in ("source", *RECIPE_FIELDS)
        for side in SIDES
    ]

    @app.callback(
        Output("junction-pipette-rows", "children"),
        Output("junction-bath-rows", "children"),
        Output("junction-pipette-preset", "value"),
        Output("junction-bath-preset", "value"),
        Output("junction-pipette-add-ion", "options"),
        Output("junction-bath-add-ion", "options"),
        Output("junction-celsius", "value"),
        Output("junction-method", "value"),
        Output("junction-vmeas", "value"),
        Output("junction-load-msg", "children"),
        *recipe_outputs,
        Output("junction-mobility", "value"),
        Output("junction-sent", "children"),
        Input("url", "search"),
        Input("junction-pipette-preset", "value"),
        Input("junction-bath-preset", "value"),
        Input("junction-pipette-add", "n_clicks"),
        Input("junction-bath-add", "n_clicks"),
        Input({"type": "junction-remove", "side": ALL, "ion": ALL}, "n_clicks"),
        Input(INBOX_ID, "data"),
        State("junction-pipette-add-ion", "value"),
        State("junction-bath-add-ion", "value"),
        *rows_state,
    )
    def _load(
        search: Any,
        pipette_preset: Any,
        bath_preset: Any,
        pipette_clicks: Any,
        bath_clicks: Any,
        _remove: Any,
        inbox: Any,
        pipette_add: Any,
        bath_add: Any,
        ids: Any,
        values: Any,
    ) -> Any:
        trigger = ctx.triggered_id
        if isinstance(trigger, Mapping) and not (ctx.triggered and ctx.triggered[0]["value"]):
            raise PreventUpdate  # a remove button appeared, nobody clicked it
        clicks = {"junction-pipette-add": pipette_clicks, "junction-bath-add": bath_clicks}
        if isinstance(trigger, str) and trigger in clicks and not clicks[trigger]:
            raise PreventUpdate
        return load_junction(
            trigger,
            search,
            pipette_preset,
            bath_preset,
            pipette_add,
            bath_add,
            ids,
            values,
            inbox=inbox,
        )

    @app.callback(
        Output("junction-ljp", "children"),
        Output("junction-np", "children"),
        Output("junction-henderson", "children"),
        Output("junction-vm", "children"),
        Output("junction-pipette-note", "children"),
        Output("junction-bath-note", "children"),
        Output("junction-warning", "children"),
        Output("junction-error", "children"),
        Output("junction-explain", "children"),
        Output("junction-state", "data"),
        Output("junction-pipette-recipe-note", "children"),
        Output("junction-bath-recipe-note", "children"),
        State({"type": "junction-c", "side": ALL, "ion": ALL}, "id"),
        Input({"type": "junction-c", "side": ALL, "ion": ALL}, "value"),
        Input("junction-celsius", "value"),
        Input("junction-method", "value"),
        Input("junction-vmeas", "value"),
        State("junction-pipette-preset", "value"),
        State("junction-bath-preset", "value"),
        Input("junction-mobility", "value"),
        *(Input(f"junction-{side}-source", "value") for side in SIDES),
        *(Input(i, "value") for side in SIDES for i in _recipe_ids(side)),
    )
    def _compute(
        ids: Any,
        values: Any,
        celsius: Any,
        method: Any,
        v_measured: Any,
        pipette_preset: Any,
        bath_preset: Any,
        mobility: Any,
        pipette_source: Any,
        bath_source: Any,
        *recipe_values: Any,
    ) -> Any:
        n = len(RECIPE_FIELDS)
        recipes = {
            side: dict(zip(RECIPE_FIELDS, recipe_values[i * n : (i + 1) * n], strict=True))
            for i, side in enumerate(SIDES)
        }
        return compute_junction(
            ids,
            values,
            celsius,
            method,
            v_measured,
            pipette_preset,
            bath_preset,
            sources={"pipette": pipette_source, "bath": bath_source},
            recipes=recipes,
            mobility_model=mobility,
        )

    for side in SIDES:
        app.clientside_callback(
            _SHOW_SOURCE_JS,
            Output(f"junction-{side}-ions-block", "style"),
            Output(f"junction-{side}-recipe-block", "style"),
            Input(f"junction-{side}-source", "value"),
        )
    app.clientside_callback(
        _FOCUS_JS,
        Output(f"{INBOX_ID}-focus", "data"),
        Input(INBOX_ID, "data"),
        prevent_initial_call=True,
    )


TAB = TabSpec(
    id=TAB_ID,
    label="Liquid junction: patch pipette",
    order=30,
    layout=layout,
    register=register,
    state_id="junction-state",
)
