"""Typeset equations with the scenario's numbers, for ``dcc.Markdown(mathjax=True)``.

Dash serves its bundled MathJax from the app itself (``serve_locally=True``), so the page needs
no internet. Every number handed in here comes from the nernst API (E, V_rest, RT/F, the
slope per decade); the only arithmetic done here is the display of the substituted terms
(P times c and their sums in the GHK equation). Two forms: natural log, and log10 with the
slope per tenfold change ("61.5 mV per decade" at 37 °C).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from nernst.app.layout import attrs

__all__ = ["FORMS", "equation_panel", "ghk_tex", "ion_tex", "nernst_tex", "tex_number"]

#: The equation forms, value -> label.
FORMS = {"ln": "natural log (ln)", "log10": "log10 (mV per tenfold change)"}


def tex_number(x: float, digits: int = 4) -> str:
    r"""A number for TeX: ``4`` significant digits, powers of ten as ``\times 10^{n}``.

    >>> tex_number(140.0), tex_number(0.0001), tex_number(-89.0587), tex_number(2.5e-7)
    ('140', '1 \\times 10^{-4}', '-89.06', '2.5 \\times 10^{-7}')
    """
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    exponent = math.floor(math.log10(abs(x)))
    if -3 <= exponent < 6:
        return f"{x:.{digits}g}"
    mantissa = f"{x / 10**exponent:.{digits}g}"
    return (
        f"{mantissa} \\times 10^{{{exponent}}}"
        if mantissa != "1"
        else f"1 \\times 10^{{{exponent}}}"
    )


def ion_tex(label: str) -> str:
    r"""An ion symbol in TeX: charge as a superscript, counts as subscripts.

    >>> ion_tex("K+"), ion_tex("Ca2+"), ion_tex("SO4 2-"), ion_tex("z=+2")
    ('\\mathrm{K^{+}}', '\\mathrm{Ca^{2+}}', '\\mathrm{SO_{4}^{2-}}', '\\text{ion}_{z=+2}')
    """
    if label.startswith("z="):
        return f"\\text{{ion}}_{{{label}}}"
    match = re.fullmatch(r"(.*?)\s*(\d*[+-])", label.strip())
    body, charge = (match.group(1), match.group(2)) if match else (label, "")
    body = re.sub(r"(\d+)", r"_{\1}", re.sub(r"[^A-Za-z0-9()]", "", body))
    return f"\\mathrm{{{body}^{{{charge}}}}}" if charge else f"\\mathrm{{{body}}}"


def nernst_tex(
    label: str,
    *,
    z: int,
    c_in: float,
    c_out: float,
    gamma_in: float,
    gamma_out: float,
    thermal_mV: float,
    slope_mV: float,
    E: float,
    form: str = "ln",
) -> str:
    r"""The Nernst equation, symbols then numbers, as Markdown with display math.

    Parameters
    ----------
    label : str
        Ion symbol or ``z=...``.
    z : int
        Valence.
    c_in, c_out : float
        Concentrations. [mM]
    gamma_in, gamma_out : float
        Activity coefficients (1 when not used). [unitless]
    thermal_mV : float
        RT/F. [mV]
    slope_mV : float
        E per tenfold increase of the outside concentration. [mV]
    E : float
        The equilibrium potential. [mV]
    form : {"ln", "log10"}

    Returns
    -------
    markdown : str

    Examples
    --------
    >>> tex = nernst_tex("K+", z=1, c_in=140.0, c_out=5.0, gamma_in=1.0, gamma_out=1.0,
    ...                  thermal_mV=26.7267, slope_mV=61.54, E=-89.06, form="log10")
    >>> "\\log_{10}" in tex and "61.54" in tex and "-89.06" in tex
    True
    """
    ion = ion_tex(label)
    gammas = gamma_in != 1.0 or gamma_out != 1.0
    g_out = "\\gamma_{out}" if gammas else ""
    g_in = "\\gamma_{in}" if gammas else ""
    n_out = f"{tex_number(gamma_out)} \\times " if gammas else ""
    n_in = f"{tex_number(gamma_in)} \\times " if gammas else ""
    ratio = (
        f"\\frac{{{n_out}{tex_number(c_out)}\\ \\mathrm{{mM}}}}"
        f"{{{n_in}{tex_number(c_in)}\\ \\mathrm{{mM}}}}"
    )
    symbols = f"\\frac{{{g_out}[{ion}]_{{out}}}}{{{g_in}[{ion}]_{{in}}}}"
    if form == "log10":
        first = f"E_{{{ion}}} = \\frac{{2.303\\,RT}}{{zF}}\\,\\log_{{10}}{symbols}"
        second = (
            f"= \\frac{{{tex_number(slope_mV * z)}\\ \\mathrm{{mV}}}}{{{z:+d}}}"
            f"\\,\\log_{{10}}{ratio} = {tex_number(E)}\\ \\mathrm{{mV}}"
        )
        note = (
            f"{abs(slope_mV):.2f} mV per tenfold change of the concentration ratio "
            f"(2.303 RT/zF at this temperature)."
        )
    else:
        first = f"E_{{{ion}}} = \\frac{{RT}}{{zF}}\\,\\ln{symbols}"
        second = (
            f"= \\frac{{{tex_number(thermal_mV)}\\ \\mathrm{{mV}}}}{{{z:+d}}}"
            f"\\,\\ln{ratio} = {tex_number(E)}\\ \\mathrm{{mV}}"
        )
        note = f"RT/F = {thermal_mV:.4f} mV at this temperature (the thermal voltage)."
    return f"$$\n{first}\n$$\n\n$$\n{second}\n$$\n\n{note}"


def _sum(terms: Sequence[str]) -> str:
    return " + ".join(terms) if terms else "0"


def ghk_tex(
    rows: Sequence[Mapping[str, Any]],
    *,
    valences: Mapping[str, int],
    thermal_mV: float,
    slope_mV: float,
    V: float,
    form: str = "ln",
) -> str:
    r"""The GHK voltage equation with the cell's numbers, as Markdown with display math.

    Parameters
    ----------
    rows : sequence of mapping
        ``{"ion", "c_in", "c_out", "p"}`` per ion (concentrations in mM, p relative).
    valences : mapping
        Ion -> z.
    thermal_mV : float
        RT/F. [mV]
    slope_mV : float
        2.303 RT/F, the change per tenfold ratio for z = +1. [mV]
    V : float
        The GHK resting potential. [mV]
    form : {"ln", "log10"}

    Returns
    -------
    markdown : str

    Examples
    --------
    >>> rows = [{"ion": "K+", "c_in": 140.0, "c_out": 5.0, "p": 1.0},
    ...         {"ion": "Cl-", "c_in": 10.0, "c_out": 110.0, "p": 0.45}]
    >>> tex = ghk_tex(rows, valences={"K+": 1, "Cl-": -1}, thermal_mV=26.73, slope_mV=61.54,
    ...               V=-80.0)
    >>> "1 \\cdot 5" in tex and "0.45 \\cdot 10" in tex and "-80" in tex
    True
    """
    permeant = [r for r in rows if r["p"] > 0]
    if any(abs(valences[r["ion"]]) != 1 for r in permeant):
        return (
            "With ions of valence other than ±1 the GHK voltage has no single-fraction form: "
            "V_rest is the potential at which the GHK currents of all permeant ions add up "
            "to zero,\n\n"
            "$$\n\\sum_i I_i^{\\mathrm{GHK}}(V_{rest}) = 0 \\quad\\Rightarrow\\quad "
            f"V_{{rest}} = {tex_number(V)}\\ \\mathrm{{mV}}\n$$\n\n"
            "(the steps below solve it as a quadratic)."
        )
    num, den, num_v, den_v = [], [], [], []
    for r in permeant:
        ion = ion_tex(r["ion"])
        cation = valences[r["ion"]] > 0
        top, bottom = ("out", "in") if cation else ("in", "out")
        num.append(f"P_{{{ion}}}[{ion}]_{{{top}}}")
        den.append(f"P_{{{ion}}}[{ion}]_{{{bottom}}}")
        c_top, c_bottom = (r["c_out"], r["c_in"]) if cation else (r["c_in"], r["c_out"])
        num_v.append(f"{tex_number(r['p'])} \\cdot {tex_number(c_top)}")
        den_v.append(f"{tex_number(r['p'])} \\cdot {tex_number(c_bottom)}")
    symbols = f"\\frac{{{_sum(num)}}}{{{_sum(den)}}}"
    numbers = f"\\frac{{{_sum(num_v)}}}{{{_sum(den_v)}}}"
    if form == "log10":
        first = f"V_{{rest}} = \\frac{{2.303\\,RT}}{{F}}\\,\\log_{{10}}{symbols}"
        factor, fn = slope_mV, "\\log_{10}"
        note = f"2.303 RT/F = {slope_mV:.2f} mV per tenfold change of the ratio."
    else:
        first = f"V_{{rest}} = \\frac{{RT}}{{F}}\\,\\ln{symbols}"
        factor, fn = thermal_mV, "\\ln"
        note = f"RT/F = {thermal_mV:.4f} mV; anions enter with inside and outside swapped."
    value = f"{tex_number(V)}\\ \\mathrm{{mV}}"
    second = f"= {tex_number(factor)}\\ \\mathrm{{mV}}\\,{fn}{numbers} = {value}"
    return f"$$\n{first}\n$$\n\n$$\n{second}\n$$\n\n{note}"


def equation_panel(prefix: str, title: str) -> Any:
    """The typeset equation, its ln/log10 switch, and the step-by-step text under it."""
    from dash import dcc, html

    return html.Div(
        [
            html.Div(
                [
                    html.H3(title, className="panel-title"),
                    html.Div(
                        dcc.RadioItems(
                            id=f"{prefix}-eqform",
                            options=[{"label": v, "value": k} for k, v in FORMS.items()],
                            value="ln",
                            inline=True,
                        ),
                        **attrs({"data-a11y-label": "Equation form"}),
                    ),
                ],
                className="panel-head",
            ),
            dcc.Markdown(id=f"{prefix}-equation", mathjax=True, className="equation"),
            html.Details(
                [
                    html.Summary("Step by step"),
                    html.Pre(id=f"{prefix}-explain", tabIndex="0"),
                ],
                open=True,
            ),
        ],
        className="equation-panel explain",
    )
