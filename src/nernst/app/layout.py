"""The page: header, share link, one tab per ``*_tab`` module, and the URL bookkeeping.

A tab is one module in :mod:`nernst.app` whose name ends in ``_tab`` and which defines
``TAB = TabSpec(...)``: its layout, its callbacks, the ``dcc.Store`` holding its state and
how that state becomes query parameters (each key prefixed with the tab's id). The page
collects them in ``order``; nothing here names a particular tab.

The address bar always holds the current scenario: every tab writes its state, including its
query parameters, to its store, and a browser-side callback joins them and puts them in the
address bar with ``history.replaceState`` (no reload, no history entry, no server request).
Opening such a link restores each tab from the query string once, when the page loads.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nernst.app.scenario import encode_query, first, parse_query

__all__ = [
    "EMPTY_FIGURE",
    "GRAPH_CONFIG",
    "TabSpec",
    "add_class",
    "attrs",
    "build",
    "discover_tabs",
    "graph",
    "link_graphs",
    "select_tab",
    "state_query",
    "value_span",
]

#: Largest HTTP request body accepted (uploads are limited further in scenario.py). [bytes]
MAX_REQUEST_BYTES = 1024 * 1024

#: Plotly toolbar: keep the PNG download, drop what a student does not need.
GRAPH_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


#: A plot with nothing in it: what the graph shows while the inputs give no answer.
EMPTY_FIGURE: dict[str, Any] = {
    "data": [],
    "layout": {
        "xaxis": {"visible": False},
        "yaxis": {"visible": False},
        "annotations": [
            {
                "text": "no plot: see the message above",
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "font": {"color": "#555"},
            }
        ],
        "height": 200,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
    },
}


@dataclass(frozen=True)
class TabSpec:
    """What a tab module tells the page about itself.

    Attributes
    ----------
    id : str
        Tab value and the prefix of its query parameters ("nernst" -> ``nernst.in=...``).
    label : str
        Text on the tab.
    order : int
        Position among the tabs (lowest first).
    layout : callable
        ``layout() -> component``: the tab's content with default values.
    register : callable
        ``register(app)``: adds the tab's callbacks to the Dash app.
    state_id : str
        Id of the ``dcc.Store`` whose ``data`` is the tab's current state (JSON), a dict whose
        ``"query"`` entry is the state as a query string (see :func:`state_query`).
    """

    id: str
    label: str
    order: int
    layout: Callable[[], Any]
    register: Callable[[Any], None]
    state_id: str


def value_span(number: float, text: str) -> Any:
    """A displayed number whose ``data-value`` attribute holds it in full precision (repr),
    for readers that need every digit (the browser tests, a screen scraper)."""
    from dash import html

    attributes: dict[str, Any] = {"data-value": repr(float(number))}
    return html.Span(text, className="value", **attributes)


def graph(graph_id: str) -> Any:
    """A plot whose figure the server writes to the store ``<graph_id>-data``.

    A browser-side callback copies the store into the graph (see :func:`link_graphs`), so the
    numbers a callback returns appear at once, without waiting for Plotly's JavaScript (about
    1 s on first load), which Dash waits for before running any callback that outputs to a
    graph.
    """
    from dash import dcc, html

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


# Hands the figure to Plotly after the next paint, so numbers from the same answer show first.
_COPY_FIGURE_JS = """
function(fig) {
    if (!fig) { return window.dash_clientside.no_update; }
    return new Promise(function (resolve) {
        window.requestAnimationFrame(function () { setTimeout(function () { resolve(fig); }, 0); });
    });
}
"""


def link_graphs(app: Any, *graph_ids: str) -> None:
    """Register the browser-side copy from each ``<id>-data`` store to its graph."""
    from dash import Input, Output

    for graph_id in graph_ids:
        app.clientside_callback(
            _COPY_FIGURE_JS,
            Output(graph_id, "figure"),
            Input(f"{graph_id}-data", "data"),
        )


def attrs(mapping: dict[str, Any]) -> dict[str, Any]:
    """HTML attributes whose names are not Python names (``data-*``, ``aria-*``), typed for
    ``html.Div(**attrs({...}))``."""
    return dict(mapping)


def add_class(component: Any, name: str) -> Any:
    """Append a CSS class to a component (``"advanced"``: hidden in the beginner view)."""
    current = getattr(component, "className", None) or ""
    component.className = f"{current} {name}".strip()
    return component


def discover_tabs() -> list[TabSpec]:
    """Every ``nernst.app.*_tab`` module's ``TAB``, in display order."""
    import nernst.app as package

    specs = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.endswith("_tab") and not info.name.startswith("_"):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            specs.append(module.TAB)
    ids = [s.id for s in specs]
    if len(set(ids)) != len(ids):
        raise RuntimeError(f"two tabs share an id: {sorted(ids)}")
    return sorted(specs, key=lambda s: (s.order, s.id))


# -- callbacks (plain functions; registered in build) ---------------------------------------
def select_tab(search: str | None, tab_ids: list[str]) -> str | None:
    """The tab named by ``?tab=`` in the URL, or None to keep the current one.

    >>> select_tab("?tab=ghk", ["nernst", "ghk"]), select_tab("?tab=bogus", ["nernst"])
    ('ghk', None)
    """
    wanted = first(parse_query(search), "tab")
    return wanted if wanted in tab_ids else None


def state_query(pairs: list[tuple[str, str]]) -> str:
    """A tab's query parameters as the ``"query"`` entry of its state.

    >>> state_query([("nernst.ion", "K+"), ("nernst.in", "140")])
    'nernst.ion=K%2B&nernst.in=140'
    """
    return encode_query(pairs)


# The address bar follows the scenario without a reload or a history entry; the share box
# shows the full link. Arguments: the open tab, the beginner switch, then every tab's state
# (its "query" entry).
_WRITE_URL_JS = """
function(tab, beginner) {
    var states = Array.prototype.slice.call(arguments, 2);
    if (states.some(function (s) { return !s; })) {
        return window.dash_clientside.no_update;
    }
    var parts = tab ? ["tab=" + encodeURIComponent(tab)] : [];
    if (beginner && beginner.indexOf("on") >= 0) { parts.push("view=beginner"); }
    states.forEach(function (s) { if (s.query) { parts.push(s.query); } });
    var url = window.location.pathname + (parts.length ? "?" + parts.join("&") : "");
    window.history.replaceState(window.history.state, "", url);
    return window.location.origin + url;
}
"""


# Copies the share link: the Clipboard API where the page is a secure context (localhost is),
# else a selection and the copy command. Says so in a status line screen readers announce.
_COPY_LINK_JS = """
function(n, text) {
    if (!n || !text) { return window.dash_clientside.no_update; }
    function fallback() {
        var input = document.getElementById("share-url");
        input.focus();
        input.select();
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        return ok ? "Copied." : "Select the link and copy it (Ctrl+C).";
    }
    if (navigator.clipboard && window.isSecureContext) {
        return navigator.clipboard.writeText(text).then(
            function () { return "Copied."; }, fallback);
    }
    return fallback();
}
"""

#: The page around Dash's content: English, a viewport for phones, no external resources.
INDEX_STRING = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <footer class="dash-footer">
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>
"""


#: Browser features the app never uses, switched off (the copy button needs clipboard-write).
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), clipboard-write=(self)"
)


def content_security_policy(script_hashes: list[str]) -> str:
    """The page's Content-Security-Policy: everything from this server only; scripts from
    files or Dash's own inline scripts (by hash); inline styles (Plotly and MathJax write
    them); images also as data: and blob: URLs (Plotly's PNG export).

    >>> content_security_policy(["sha256-abc"]).split("; ")[:2]
    ["default-src 'self'", "script-src 'self' 'sha256-abc'"]
    """
    scripts = " ".join(["'self'", *(f"'{h}'" for h in script_hashes)])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


def _error_response(err: Exception) -> Any:
    """Any failure while answering a request: HTTP errors as they are (404, 413, ...); a
    callback request the app cannot use is the client's fault (400, with a message), never
    a 500 with a traceback."""
    from flask import jsonify, request
    from werkzeug.exceptions import HTTPException

    if isinstance(err, HTTPException):
        return err
    what = type(err).__name__
    if request.path.endswith("_dash-update-component"):
        body = jsonify(
            {"message": f"malformed callback request ({what}): the app could not use its inputs"}
        )
        return body, 400
    return (
        f"The request could not be answered ({what}).",
        400,
        {"Content-Type": "text/plain; charset=utf-8"},
    )


def build(**dash_kwargs: Any) -> Any:
    """The Dash app: layout of every discovered tab plus the shared callbacks."""
    import dash
    from dash import Input, Output, State, dcc, html

    import nernst.explain  # noqa: F401  (load the physics now, not in the first callback)
    from nernst import __version__

    tabs = discover_tabs()
    options: dict[str, Any] = {
        "title": "nernst: membrane potential laboratory",
        "update_title": None,
        "assets_folder": str(Path(__file__).with_name("assets")),
        "serve_locally": True,
    }
    options.update(dash_kwargs)
    app = dash.Dash("nernst.app", **options)
    app.index_string = INDEX_STRING
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES

    hashes: list[str] = []

    @server.after_request
    def _headers(response: Any) -> Any:
        if not hashes:  # Dash's inline scripts, known once every callback is registered
            hashes.extend(dict.fromkeys(h.strip("'") for h in app.csp_hashes()))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", content_security_policy(hashes))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.pop("Server", None)
        return response

    server.register_error_handler(Exception, _error_response)

    app.layout = html.Div(
        [
            dcc.Location(id="url", refresh=False),
            html.Header(
                [
                    html.H1("nernst: membrane potential laboratory"),
                    html.P(
                        "V = V_in - V_out in mV; concentrations in mM; positive current and "
                        "flux are outward. Every number comes from the nernst library.",
                        className="subtitle",
                    ),
                    html.Div(
                        dcc.Checklist(
                            id="beginner",
                            options=[{"label": " Beginner view", "value": "on"}],
                            value=[],
                            inline=True,
                        ),
                        className="view-switch",
                        **attrs({"data-a11y-label": "Beginner view"}),
                    ),
                    html.Div(
                        [
                            html.Label("Link to this scenario", htmlFor="share-url"),
                            dcc.Input(id="share-url", type="text", readOnly=True, value=""),
                            html.Button(
                                "Copy link",
                                id="share-copy",
                                title="Copy the link to this scenario",
                                type="button",
                            ),
                            html.Span(id="share-copied", className="note", role="status"),
                            html.Button("Print", id="print-button", type="button"),
                        ],
                        className="share",
                    ),
                ]
            ),
            dcc.Tabs(
                id="tabs",
                value=tabs[0].id,
                children=[
                    dcc.Tab(label=t.label, value=t.id, id=f"tab-{t.id}", children=t.layout())
                    for t in tabs
                ],
            ),
            html.Footer(f"nernst {__version__}"),
        ],
        className="page",
        id="page",
    )

    tab_ids = [t.id for t in tabs]

    def _worksheet() -> Any:
        from flask import request

        from nernst.app.worksheet import worksheet_response

        page, status = worksheet_response(request.args.to_dict(flat=False))
        return page, status, {"Content-Type": "text/html; charset=utf-8"}

    server.add_url_rule(f"{app.config.routes_pathname_prefix}worksheet", "worksheet", _worksheet)
    app.clientside_callback(
        "function(n) { if (n) { window.print(); } return window.dash_clientside.no_update; }",
        Output("print-button", "title"),
        Input("print-button", "n_clicks"),
        prevent_initial_call=True,
    )

    @app.callback(Output("tabs", "value"), Output("beginner", "value"), Input("url", "search"))
    def _select_tab(search: Any) -> Any:
        search = search if isinstance(search, str) else None
        view = first(parse_query(search), "view")
        return (
            select_tab(search, tab_ids) or dash.no_update,
            ["on"] if view == "beginner" else dash.no_update,
        )

    app.clientside_callback(
        "function(v) { return (v && v.indexOf('on') >= 0) ? 'page beginner' : 'page'; }",
        Output("page", "className"),
        Input("beginner", "value"),
    )

    app.clientside_callback(
        _COPY_LINK_JS,
        Output("share-copied", "children"),
        Input("share-copy", "n_clicks"),
        State("share-url", "value"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        _WRITE_URL_JS,
        Output("share-url", "value"),
        Input("tabs", "value"),
        Input("beginner", "value"),
        *(Input(t.state_id, "data") for t in tabs),
    )

    for spec in tabs:
        spec.register(app)
    return app
