"""The membrane view: a picture of the cell's two compartments, drawn as SVG.

Outside above, inside below, the membrane between. For each ion a column: a bar on each side
whose height is the concentration on a log scale (1 nM to 1 M), a channel through the
membrane whose width follows the ion's permeability (closed when it is 0), an arrow for the
net passive flux and, where the flux is not zero, ions moving through the channel in its
direction (a CSS animation the pause button stops). Under each column: E and the ion's share
of the resting potential.

This module only draws: every number it shows is handed to it, computed by the tabs with the
public nernst API. The SVG is text built here (all text escaped) and put into the page by a
browser-side callback; it carries a <title> and <desc> for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from nernst.app.layout import attrs

__all__ = ["Column", "membrane_panel", "membrane_svg", "register_membrane"]

#: Drawing size (the SVG scales to its box). [px]
WIDTH, HEIGHT = 640, 330
_OUT_TOP, _MEM_TOP, _MEM_BOTTOM, _IN_BOTTOM = 28, 140, 172, 284
_BAR_MAX = 96.0
#: The concentration scale of the bars: log10 of mM, 1 nM to 1 M.
LOG_LOW, LOG_HIGH = -6.0, 3.0
_FLUX_COLOR = {"out": "#1d6b1d", "in": "#9a4a0c"}


@dataclass(frozen=True)
class Column:
    """One ion in the picture (every number computed by the caller with the nernst API).

    Attributes
    ----------
    ion : str
        Ion symbol.
    c_in, c_out : float
        Concentrations. [mM]
    permeability : float
        Relative permeability (0: no open channel).
    flux : str
        Net passive flux: "out", "in" or "none".
    E : float
        Equilibrium potential. [mV]
    share : float or None
        The ion's weight in V_rest (0 to 1), or None when not defined.
    """

    ion: str
    c_in: float
    c_out: float
    permeability: float
    flux: str
    E: float
    share: float | None = None


def _bar(c: float) -> float:
    if not (c > 0 and math.isfinite(c)):
        return 0.0
    level = (math.log10(c) - LOG_LOW) / (LOG_HIGH - LOG_LOW)
    return _BAR_MAX * min(1.0, max(0.02, level))


def _mM(c: float) -> str:
    if c >= 1000:
        return f"{c / 1000:.3g} M"
    if c >= 0.1:
        return f"{c:.3g} mM"
    if c >= 1e-4:
        return f"{c * 1e3:.3g} µM"
    return f"{c * 1e6:.3g} nM"


def _flux_words(flux: str) -> str:
    return {"out": "net flux outward", "in": "net flux inward"}.get(flux, "no net flux")


def membrane_svg(
    columns: Sequence[Column], *, title: str, caption: str, share_label: str = "share of V_rest"
) -> str:
    """The picture as SVG text.

    Parameters
    ----------
    columns : sequence of Column
        The ions, in display order.
    title : str
        What the picture shows (the SVG's <title>).
    caption : str
        One line under the picture.
    share_label : str
        What :attr:`Column.share` is called in the text.

    Returns
    -------
    svg : str

    Examples
    --------
    >>> svg = membrane_svg([Column("K+", 140.0, 5.0, 1.0, "out", -89.1, 1.0)],
    ...                    title="demo", caption="at V = 0")
    >>> svg.startswith("<svg") and "K+" in svg and "net flux outward" in svg
    True
    """
    n = max(1, len(columns))
    left = 70.0
    width = max(440.0, min(float(WIDTH), left + 10 + 150.0 * n))
    step = (width - left - 10) / n
    p_max = max((c.permeability for c in columns if c.permeability > 0), default=1.0)
    parts: list[str] = []
    desc: list[str] = []
    style = (
        ".ion-dot{animation:cross 2.4s linear infinite}"
        ".ion-dot.in{animation-name:cross-in}"
        "@keyframes cross{from{transform:translateY(0);opacity:0}15%{opacity:1}"
        "85%{opacity:1}to{transform:translateY(-120px);opacity:0}}"
        "@keyframes cross-in{from{transform:translateY(0);opacity:0}15%{opacity:1}"
        "85%{opacity:1}to{transform:translateY(120px);opacity:0}}"
        "text{font-family:system-ui,sans-serif;fill:#222}"
        ".small{font-size:11px}.label{font-size:13px;font-weight:600}"
    )
    parts.append(f"<style>{style}</style>")
    parts.append(
        f'<rect x="0" y="{_OUT_TOP}" width="{width:g}" height="{_MEM_TOP - _OUT_TOP}" '
        'fill="#e8f1fa"/>'
        f'<rect x="0" y="{_MEM_BOTTOM}" width="{width:g}" height="{_IN_BOTTOM - _MEM_BOTTOM}" '
        'fill="#fbf3e0"/>'
        f'<rect x="0" y="{_MEM_TOP}" width="{width:g}" height="{_MEM_BOTTOM - _MEM_TOP}" '
        'fill="#d9c7a0"/>'
        f'<text x="6" y="{_OUT_TOP + 16}" class="label">outside</text>'
        f'<text x="6" y="{_IN_BOTTOM - 6}" class="label">inside</text>'
        f'<text x="6" y="{(_MEM_TOP + _MEM_BOTTOM) / 2 + 4}" class="small">membrane</text>'
    )
    for k, col in enumerate(columns):
        cx = left + step * (k + 0.5)
        bar_w = min(26.0, step / 4)
        h_out, h_in = _bar(col.c_out), _bar(col.c_in)
        ion = escape(col.ion)
        # Concentration bars, outside (growing up from the membrane) and inside (down).
        parts.append(
            f'<rect x="{cx - bar_w - 16:.1f}" y="{_MEM_TOP - h_out:.1f}" width="{bar_w:.1f}" '
            f'height="{h_out:.1f}" fill="#3b6fb6"/>'
            f'<text x="{cx - 16 - bar_w / 2:.1f}" y="{_MEM_TOP - h_out - 4:.1f}" '
            f'class="small" text-anchor="middle">{escape(_mM(col.c_out))}</text>'
            f'<rect x="{cx - bar_w - 16:.1f}" y="{_MEM_BOTTOM:.1f}" width="{bar_w:.1f}" '
            f'height="{h_in:.1f}" fill="#3b6fb6"/>'
            f'<text x="{cx - 16 - bar_w / 2:.1f}" y="{_MEM_BOTTOM + h_in + 12:.1f}" '
            f'class="small" text-anchor="middle">{escape(_mM(col.c_in))}</text>'
        )
        # The channel: its width follows the permeability; closed (grey, no gap) at 0.
        if col.permeability > 0:
            w = 6.0 + 22.0 * math.sqrt(col.permeability / p_max)
            parts.append(
                f'<rect x="{cx + 8:.1f}" y="{_MEM_TOP}" width="{w:.1f}" '
                f'height="{_MEM_BOTTOM - _MEM_TOP}" fill="#ffffff" stroke="#555" '
                f'stroke-width="1.5" class="channel" data-ion="{ion}" data-width="{w:.2f}"/>'
            )
        else:
            w = 10.0
            parts.append(
                f'<rect x="{cx + 8:.1f}" y="{_MEM_TOP}" width="{w:.1f}" '
                f'height="{_MEM_BOTTOM - _MEM_TOP}" fill="#8a8a8a" class="channel closed" '
                f'data-ion="{ion}" data-width="0"/>'
            )
        mid = cx + 8 + w / 2
        # The net passive flux: an arrow through the channel, and ions moving along it.
        if col.flux in ("out", "in") and col.permeability > 0:
            color = _FLUX_COLOR[col.flux]
            y0, y1 = (_MEM_BOTTOM + 34, _MEM_TOP - 34)
            if col.flux == "in":
                y0, y1 = y1, y0
            head = -1 if col.flux == "out" else 1
            parts.append(
                f'<line x1="{mid + w / 2 + 10:.1f}" y1="{y0}" x2="{mid + w / 2 + 10:.1f}" '
                f'y2="{y1}" stroke="{color}" stroke-width="3" class="flux-arrow" '
                f'data-ion="{ion}" data-flux="{col.flux}"/>'
                f'<path d="M{mid + w / 2 + 4:.1f},{y1 - head * 8} L{mid + w / 2 + 10:.1f},{y1} '
                f'L{mid + w / 2 + 16:.1f},{y1 - head * 8} Z" fill="{color}"/>'
            )
            start = _MEM_BOTTOM + 50 if col.flux == "out" else _MEM_TOP - 50
            cls = "ion-dot" if col.flux == "out" else "ion-dot in"
            for j in range(3):
                parts.append(
                    f'<circle cx="{mid:.1f}" cy="{start}" r="4" fill="{color}" class="{cls}" '
                    f'style="animation-delay:{-0.8 * j:.1f}s"/>'
                )
        label = f"E = {col.E:+.0f} mV"
        share = "" if col.share is None else f"{100 * col.share:.0f}%"
        parts.append(
            f'<text x="{cx:.1f}" y="{_IN_BOTTOM + 16}" class="label" '
            f'text-anchor="middle">{ion}</text>'
            f'<text x="{cx:.1f}" y="{_IN_BOTTOM + 30}" class="small" '
            f'text-anchor="middle" data-ion="{ion}" data-e="{col.E!r}" '
            f'data-share="{"" if col.share is None else repr(col.share)}">{escape(label)}'
            + (f", {share}" if share else "")
            + "</text>"
        )
        desc.append(
            f"{col.ion}: {_mM(col.c_in)} inside, {_mM(col.c_out)} outside; "
            + (
                f"channel {100 * col.permeability / p_max:.0f}% of the widest"
                if col.permeability > 0
                else "no open channel"
            )
            + f"; {_flux_words(col.flux if col.permeability > 0 else 'none')}; {label}"
            + (f"; {share} {share_label}" if share else "")
            + "."
        )
    parts.append(
        f'<text x="{width / 2:g}" y="16" class="small" text-anchor="middle">'
        f"{escape(caption)}</text>"
    )
    body = "".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {HEIGHT}" '
        f'width="100%" role="img" aria-labelledby="mv-title mv-desc" class="membrane-svg">'
        f'<title id="mv-title">{escape(title)}</title>'
        f'<desc id="mv-desc">{escape(" ".join(desc))}</desc>{body}</svg>'
    )


# -- the panel on the page -----------------------------------------------------------------------
def membrane_panel(prefix: str) -> Any:
    """The view's box: the drawing, a pause button and the store the server writes to."""
    from dash import dcc, html

    return html.Div(
        [
            html.Div(
                [
                    html.H3("The membrane", className="panel-title"),
                    html.Button(
                        "Pause animation",
                        id=f"{prefix}-membrane-pause",
                        type="button",
                        **attrs({"aria-pressed": "false"}),
                    ),
                ],
                className="panel-head",
            ),
            html.Div(id=f"{prefix}-membrane", className="membrane-view"),
            dcc.Store(id=f"{prefix}-membrane-svg"),
        ],
        className="membrane-panel",
    )


_DRAW_JS = """
function(svg) {
    var box = document.getElementById("BOX");
    if (box) { box.innerHTML = svg || ""; }
    return svg ? "drawn" : "empty";
}
"""

_PAUSE_JS = """
function(n) {
    var box = document.getElementById("BOX");
    var paused = !!(n && n % 2 === 1);
    if (box) { box.classList.toggle("paused", paused); }
    return [paused ? "Play animation" : "Pause animation", paused ? "true" : "false"];
}
"""


def register_membrane(app: Any, prefix: str) -> None:
    """The browser-side callbacks: draw the SVG the server sent; pause and play."""
    from dash import Input, Output

    box = f"{prefix}-membrane"
    app.clientside_callback(
        _DRAW_JS.replace("BOX", box),
        Output(box, "data-drawn"),
        Input(f"{box}-svg", "data"),
    )
    app.clientside_callback(
        _PAUSE_JS.replace("BOX", box),
        Output(f"{box}-pause", "children"),
        Output(f"{box}-pause", "aria-pressed"),
        Input(f"{box}-pause", "n_clicks"),
        prevent_initial_call=True,
    )


def shares(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights normalised to sum 1 (empty if they do not sum to a positive number).

    >>> shares({"K+": 3.0, "Na+": 1.0})
    {'K+': 0.75, 'Na+': 0.25}
    """
    total = sum(weights.values())
    if not (total > 0 and math.isfinite(total)):
        return {}
    return {k: v / total for k, v in weights.items()}
