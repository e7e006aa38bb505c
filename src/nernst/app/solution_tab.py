"""Recording solution tab: a recipe in, its free ions, pH, osmolarity and free Ca2+ out.

Type the recipe (one component per line, ``K-gluconate 135`` or ``K-gluconate=135``, mM),
the pH it is titrated to and with what, the temperature, optionally a target free Ca2+ (the
tab then finds the CaCl2 to add) and a recording temperature and bath for the junction
potential. Shown: pH, titrant, free Ca2+ and Mg2+, ionic strength, osmolarity and
osmolality, the warnings, every species' free concentration, the library's explanation and
the liquid junction potential against the chosen bath at the recording temperature (species
without a tabulated mobility are left out with their counter-ion, and the tab says so).

"Use as pipette" and "Use as bath" send the solution (its recipe as solved, the CaCl2 found
for a target free Ca2+ included, its pH, titrant and temperature) to the Liquid junction tab,
which opens with that side given as this recipe and the junction at the recording temperature
(mobilities at that temperature, as the LJP here).

Every number comes from :class:`nernst.Solution` and
:func:`nernst.liquid_junction_potential`; the app only parses the inputs and shows results.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

from dash import Input, Output, State, dcc, html

from nernst.app.layout import TabSpec, state_query, value_span
from nernst.app.scenario import first, number_text, parse_number, parse_query

__all__ = [
    "OUTPUTS",
    "SEND_OUTPUTS",
    "TAB",
    "at_temperature",
    "compute_solution",
    "load_solution",
    "parse_recipe_text",
    "recipe_as_text",
    "send_solution",
    "solve_recipe",
]

TAB_ID = "solution"
#: The default recipe: a K-gluconate pipette solution (the example of the user guide).
DEFAULT_RECIPE = "K-gluconate 135\nKCl 10\nHEPES 10\nEGTA 0.5\nMg-ATP 4\nNa2-phosphocreatine 10"
DEFAULT_PH = 7.3
DEFAULT_TITRANT = "KOH"
DEFAULT_CELSIUS = 22.0
DEFAULT_RECORDING = 32.0
DEFAULT_BATH = "acsf"
TITRANTS = ("KOH", "NaOH", "CsOH", "NMDG", "HCl")
#: Largest recipe accepted (characters).
MAX_RECIPE_CHARS = 4000

#: Names of the values :func:`compute_solution` returns, in order.
OUTPUTS = ("summary", "species", "warnings", "ljp", "error", "explanation", "state")
#: Names of the values :func:`load_solution` returns, in order.
LOAD_OUTPUTS = ("recipe", "ph", "titrant", "celsius", "target", "recording", "bath")
#: Names of the values :func:`send_solution` returns, in order.
SEND_OUTPUTS = ("inbox", "tab", "message")
#: The sides of a junction a solution can be sent to, with the buttons that send it.
SEND_BUTTONS = {"pipette": "solution-to-pipette", "bath": "solution-to-bath"}


def parse_recipe_text(text: str | None) -> dict[str, float]:
    """'K-gluconate 135\\nKCl=10' -> {'K-gluconate': 135.0, 'KCl': 10.0}; ValueError if not.

    >>> parse_recipe_text("KCl 140\\nHEPES=10, EGTA 1")
    {'KCl': 140.0, 'HEPES': 10.0, 'EGTA': 1.0}
    """
    if not text or not text.strip():
        raise ValueError("type a recipe: one component per line, e.g. 'KCl 140'")
    if len(text) > MAX_RECIPE_CHARS:
        raise ValueError(f"the recipe is longer than {MAX_RECIPE_CHARS} characters")
    out: dict[str, float] = {}
    for raw in text.replace(",", "\n").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "=" in line:
            name, _, value = line.partition("=")
        else:
            name, _, value = line.rpartition(" ")
        name = name.strip()
        number = parse_number(value.strip().removesuffix("mM").strip())
        if not name or number is None:
            raise ValueError(f"{line!r} is not 'component mM' (e.g. 'KCl 140')")
        out[name] = out.get(name, 0.0) + number
    return out


def recipe_as_text(recipe: Mapping[str, float]) -> str:
    """The recipe as the text :func:`parse_recipe_text` reads back to the same floats.

    >>> recipe_as_text({"KCl": 140.0, "CaCl2": 0.1 + 0.2})
    'KCl 140\\nCaCl2 0.30000000000000004'
    """
    return "\n".join(f"{name} {number_text(c)}" for name, c in recipe.items())


def solve_recipe(
    recipe_text: str | None,
    ph: Any,
    titrant: str | None,
    celsius: Any,
    target_nM: Any = None,
) -> Any:
    """The :class:`nernst.Solution` of a typed recipe; ValueError (with a message for the page)
    if the inputs give none.

    ``ph`` None: no titration (pH from the charge balance). ``target_nM``: find the CaCl2
    giving this free Ca2+ [nM] (:meth:`nernst.Solution.for_free_metal`).
    """
    from nernst.solution import Solution

    recipe = parse_recipe_text(recipe_text)
    T, pH, target = parse_number(celsius), parse_number(ph), parse_number(target_nM)
    if T is None:
        raise ValueError("type a temperature in °C")
    kwargs: dict[str, Any] = {"celsius": T}
    if pH is not None:
        kwargs.update(ph=pH, titrant=titrant or DEFAULT_TITRANT)
    if target is not None:
        return Solution.for_free_metal(recipe, target / 1e6, **kwargs)  # nM -> mM, exactly rounded
    return Solution.from_recipe(recipe, **kwargs)


#: What a failure of floating-point arithmetic (an overflow, the log of a negative number)
#: means for the user, and what to do.
_OUT_OF_RANGE = (
    "{what} cannot be computed: a number went out of range. Keep every concentration within "
    "1e-9 to 1e4 mM{extra}"
)
_DROPPED_HINT = (
    "; species without a tabulated mobility (ATP, phosphocreatine, chelator complexes) are "
    "left out, and their charge is taken off all their counter-ions in proportion; this is "
    "refused when they carry more than half of the counter-ions' charge"
)


def failure_text(err: Exception, what: str = "The solution", *, dropped: bool = False) -> str:
    """A library failure in the page's words: a ValueError's message (reworded by
    :func:`nernst.app.messages.student_text`), or for an arithmetic failure (OverflowError,
    ``math domain error``) what went wrong and what to change (``dropped``: say how species
    without a mobility are left out, which can take a counter-ion below zero).

    >>> failure_text(OverflowError(34, "Numerical result out of range"))
    'The solution cannot be computed: a number went out of range. Keep every concentration within 1e-9 to 1e4 mM.'
    """  # noqa: E501
    from nernst.app.messages import student_text

    text = str(err.args[0]) if err.args else str(err)
    if isinstance(err, ArithmeticError) or text in ("math domain error", "math range error"):
        return _OUT_OF_RANGE.format(what=what, extra=_DROPPED_HINT if dropped else "") + "."
    return student_text(text)


def at_temperature(solution: Any, celsius: float) -> Any:
    """The solution as it is at ``celsius``: itself at its own temperature, else re-equilibrated
    (:meth:`nernst.Solution.at`: same totals, pH from the charge balance)."""
    return solution if celsius == solution.celsius else solution.at(celsius=celsius)


def _row(cells: list[Any], header: bool = False) -> Any:
    tag = html.Th if header else html.Td
    return html.Tr([tag(c) for c in cells])


def compute_solution(
    recipe_text: str | None,
    ph: Any,
    titrant: str | None,
    celsius: Any,
    target_nM: Any,
    recording: Any,
    bath: str | None,
) -> tuple[Any, ...]:
    """Every output of the tab (see :data:`OUTPUTS`) for these inputs."""
    from nernst.junction import liquid_junction_potential

    T = parse_number(celsius)
    pH = parse_number(ph)
    target = parse_number(target_nM)
    T_rec = parse_number(recording)
    query = state_query(
        [
            (f"{TAB_ID}.recipe", recipe_text or ""),
            (f"{TAB_ID}.ph", number_text(pH)),
            (f"{TAB_ID}.titrant", titrant or ""),
            (f"{TAB_ID}.t", number_text(T)),
            (f"{TAB_ID}.ca_nM", number_text(target)),
            (f"{TAB_ID}.rec_t", number_text(T_rec)),
            (f"{TAB_ID}.bath", bath or ""),
        ]
    )
    state: dict[str, Any] = {"query": query}

    def failed(message: str) -> tuple[Any, ...]:
        return ("", "", "", "", message, "", state)

    try:
        sol = solve_recipe(recipe_text, pH, titrant, T, target)
    except ValueError as err:
        return failed(f"Error: {err.args[0] if err.args else err}")
    except ArithmeticError as err:
        return failed(f"Error: {failure_text(err)}")
    summary: list[Any] = [
        html.Div(["pH ", value_span(sol.ph, f"{sol.ph:.3f}"), f" at {sol.celsius:g} °C"]),
        html.Div(
            [
                "titrant ",
                value_span(sol.titrant_added, f"{sol.titrant_added:.3f}"),
                f" mM {sol.titrant or ''}",
            ]
        ),
        html.Div(["free Ca2+ ", value_span(sol.free_ca * 1e6, f"{sol.free_ca * 1e6:.4g}"), " nM"]),
        html.Div(["free Mg2+ ", value_span(sol.free_mg, f"{sol.free_mg:.4g}"), " mM"]),
        html.Div(
            [
                "ionic strength ",
                value_span(sol.ionic_strength * 1e3, f"{sol.ionic_strength * 1e3:.2f}"),
                " mM",
            ]
        ),
        html.Div(
            ["osmolarity ", value_span(sol.osmolarity, f"{sol.osmolarity:.1f}"), " mOsm/L (ideal)"]
        ),
        html.Div(
            [
                "osmolality ",
                value_span(sol.osmolality, f"{sol.osmolality:.0f}"),
                f" mOsm/kg (osmotic coefficient {sol.osmotic_coefficient:.3f})",
            ]
        ),
    ]
    if target is not None:
        summary.insert(
            0,
            html.Div(
                [
                    "CaCl2 to add ",
                    value_span(sol.recipe["CaCl2"], f"{sol.recipe['CaCl2']:.4f}"),
                    " mM",
                ]
            ),
        )
    species = html.Table(
        [
            html.Thead(_row(["species", "z", "free (mM)", "ligand"], header=True)),
            html.Tbody(
                [
                    _row([r["species"], f"{r['charge']:+d}", f"{r['mM']:.5g}", r["ligand"]])
                    for r in sol.rows()
                    if r["mM"] >= 1e-9 or r["species"] in ("Ca2+", "Mg2+")
                ]
            ),
        ],
        className="table",
    )
    ljp_view: Any = ""
    if bath and T_rec is not None:
        warm = at_temperature(sol, T_rec)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                ljp: float | None = float(
                    liquid_junction_potential(
                        warm,
                        bath,
                        celsius=T_rec,
                        mobility_model="temperature",
                        unknown_mobility="drop",
                    )
                )
            except (ValueError, ArithmeticError) as err:
                ljp = None
                ljp_view = f"LJP: {failure_text(err, 'The junction', dropped=True)}"
        if ljp is not None:
            state["ljp"] = ljp
            note = " ".join(str(w.message) for w in caught)
            ljp_view = html.Div(
                [
                    html.Div(
                        [
                            "LJP against ",
                            bath,
                            f" at {T_rec:g} °C = ",
                            value_span(ljp, f"{ljp:+.2f}"),
                            " mV (V_m = V_measured − LJP)",
                        ]
                    ),
                    html.Div(f"pH at {T_rec:g} °C: {warm.ph:.3f}. {note}", className="unit"),
                ]
            )
    state.update(
        ph=sol.ph,
        free_ca=sol.free_ca,
        osmolality=sol.osmolality,
        titrant=sol.titrant_added,
        recipe=sol.recipe,
    )
    return (
        summary,
        species,
        " ".join(f"Warning: {w}." for w in sol.warnings()),
        ljp_view,
        "",
        "\n".join(sol.explain()),
        state,
    )


def send_solution(
    side: str,
    text: str | None,
    ph: Any,
    titrant: str | None,
    celsius: Any,
    target_nM: Any,
    recording: Any,
    n: int = 1,
) -> tuple[Any, ...]:
    """Send the solution to the Liquid junction tab as its ``side`` ("pipette" or "bath").

    Returns ``(inbox, tab, message)`` (see :data:`SEND_OUTPUTS`): the message for the junction
    tab's inbox (:func:`nernst.app.junction_tab.load_junction` reads it), the tab to open and
    a status line here. The recipe sent is the solved one (with the CaCl2 found for a target
    free Ca2+, so the junction tab needs no target); the junction is put at the recording
    temperature (the solution's own if none is typed). Bad inputs send nothing and say why.
    """
    from dash import no_update

    try:
        sol = solve_recipe(text, ph, titrant, celsius, target_nM)
    except (ValueError, ArithmeticError) as err:
        return no_update, no_update, f"Not sent: {failure_text(err)}"
    T_rec = parse_number(recording)
    inbox = {
        "side": side,
        "recipe": recipe_as_text(sol.recipe),
        "ph": sol.ph_set,
        "titrant": sol.titrant if sol.ph_set is not None else None,
        "celsius": sol.celsius,
        "recording": sol.celsius if T_rec is None else T_rec,
        "n": n,
    }
    return inbox, "junction", f"Sent to the Liquid junction tab as the {side} solution."


def load_solution(search: str | None) -> tuple[Any, ...]:
    """The inputs from a shared link (defaults for what it does not give)."""
    params = parse_query(search)

    def get(key: str, default: Any) -> Any:
        value = first(params, f"{TAB_ID}.{key}")
        return default if value is None else value

    return (
        get("recipe", DEFAULT_RECIPE),
        parse_number(get("ph", DEFAULT_PH)),
        get("titrant", DEFAULT_TITRANT) or DEFAULT_TITRANT,
        parse_number(get("t", DEFAULT_CELSIUS)),
        parse_number(get("ca_nM", None)),
        parse_number(get("rec_t", DEFAULT_RECORDING)),
        get("bath", DEFAULT_BATH) or None,
    )


def _field(label: str, component: Any, unit: str = "") -> Any:
    return html.Div(
        [html.Label(label, htmlFor=component.id), component, html.Span(unit, className="unit")],
        className="field inline",
    )


def layout() -> Any:
    """The tab's content with the default recipe."""
    from nernst.junction import recording_solutions

    baths = [name for name, info in recording_solutions().items() if info["role"] == "bath"]
    return html.Div(
        [
            html.Div(
                [
                    html.Label("Recipe (component mM, one per line)", htmlFor="solution-recipe"),
                    dcc.Textarea(
                        id="solution-recipe",
                        value=DEFAULT_RECIPE,
                        style={"width": "100%", "height": "150px"},
                    ),
                    _field(
                        "pH",
                        dcc.Input(
                            id="solution-ph",
                            type="number",
                            value=DEFAULT_PH,
                            step="any",
                            className="number",
                        ),
                    ),
                    _field(
                        "Titrant",
                        dcc.Dropdown(
                            id="solution-titrant",
                            options=list(TITRANTS),
                            value=DEFAULT_TITRANT,
                            clearable=False,
                        ),
                    ),
                    _field(
                        "Temperature",
                        dcc.Input(
                            id="solution-celsius",
                            type="number",
                            value=DEFAULT_CELSIUS,
                            step="any",
                            className="number",
                        ),
                        "°C",
                    ),
                    _field(
                        "Target free Ca2+",
                        dcc.Input(
                            id="solution-target",
                            type="number",
                            value=None,
                            step="any",
                            placeholder="e.g. 100",
                            className="number no-stepper",
                        ),
                        "nM",
                    ),
                    _field(
                        "Recording temperature",
                        dcc.Input(
                            id="solution-recording",
                            type="number",
                            value=DEFAULT_RECORDING,
                            step="any",
                            className="number",
                        ),
                        "°C",
                    ),
                    _field(
                        "Bath (for the LJP)",
                        dcc.Dropdown(id="solution-bath", options=baths, value=DEFAULT_BATH),
                    ),
                ],
                className="controls",
            ),
            html.Div(
                [
                    html.Div(id="solution-error", className="error", role="alert"),
                    html.Div(id="solution-summary", className="big-number"),
                    html.Div(id="solution-ljp"),
                    html.Div(
                        [
                            html.Span("Liquid junction tab: ", className="unit"),
                            html.Button(
                                "Use as pipette",
                                id=SEND_BUTTONS["pipette"],
                                type="button",
                                title="Open the Liquid junction tab with this solution in the "
                                "pipette, at the recording temperature",
                            ),
                            html.Button(
                                "Use as bath",
                                id=SEND_BUTTONS["bath"],
                                type="button",
                                title="Open the Liquid junction tab with this solution in the "
                                "bath, at the recording temperature",
                            ),
                            html.Span(id="solution-send-msg", className="note", role="status"),
                        ],
                        className="buttons",
                    ),
                    html.Div(id="solution-warnings", className="warning", role="status"),
                    html.Div(id="solution-species"),
                    html.Details(
                        [
                            html.Summary("How it is calculated"),
                            html.Pre(id="solution-explain", className="explain"),
                        ]
                    ),
                ],
                className="results",
            ),
            dcc.Store(id="solution-state"),
        ],
        className="tab-body",
    )


def register(app: Any) -> None:
    """Add the tab's callbacks to the Dash app."""
    app.callback(
        Output("solution-recipe", "value"),
        Output("solution-ph", "value"),
        Output("solution-titrant", "value"),
        Output("solution-celsius", "value"),
        Output("solution-target", "value"),
        Output("solution-recording", "value"),
        Output("solution-bath", "value"),
        Input("url", "search"),
    )(load_solution)
    app.callback(
        Output("solution-summary", "children"),
        Output("solution-species", "children"),
        Output("solution-warnings", "children"),
        Output("solution-ljp", "children"),
        Output("solution-error", "children"),
        Output("solution-explain", "children"),
        Output("solution-state", "data"),
        Input("solution-recipe", "value"),
        Input("solution-ph", "value"),
        Input("solution-titrant", "value"),
        Input("solution-celsius", "value"),
        Input("solution-target", "value"),
        Input("solution-recording", "value"),
        Input("solution-bath", "value"),
        State("solution-state", "data"),
    )(lambda *args: compute_solution(*args[:-1]))

    from nernst.app.junction_tab import INBOX_ID

    @app.callback(
        Output(INBOX_ID, "data"),
        Output("tabs", "value", allow_duplicate=True),
        Output("solution-send-msg", "children"),
        Input(SEND_BUTTONS["pipette"], "n_clicks"),
        Input(SEND_BUTTONS["bath"], "n_clicks"),
        State("solution-recipe", "value"),
        State("solution-ph", "value"),
        State("solution-titrant", "value"),
        State("solution-celsius", "value"),
        State("solution-target", "value"),
        State("solution-recording", "value"),
        prevent_initial_call=True,
    )
    def _send(
        pipette_clicks: Any,
        bath_clicks: Any,
        recipe: Any,
        ph: Any,
        titrant: Any,
        celsius: Any,
        target: Any,
        recording: Any,
    ) -> Any:
        from dash import ctx
        from dash.exceptions import PreventUpdate

        clicks = {"pipette": pipette_clicks, "bath": bath_clicks}
        side = next((k for k, v in SEND_BUTTONS.items() if v == ctx.triggered_id), None)
        if side is None or not clicks[side]:
            raise PreventUpdate
        n = sum(int(c or 0) for c in clicks.values())
        return send_solution(side, recipe, ph, titrant, celsius, target, recording, n=n)


TAB = TabSpec(
    id=TAB_ID,
    label="Recording solution",
    order=45,
    layout=layout,
    register=register,
    state_id="solution-state",
)
