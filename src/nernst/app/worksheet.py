"""A printable worksheet from the GHK tab's scenario: five questions, answers on page two.

The page ``/worksheet?<the app's query string>`` reads the cell from the same parameters a
shared link carries (``ghk.ion=K%2B,140,5,1&...``) and asks five questions about it: its
resting potential, the equilibrium potential of its most permeant ion and why V_rest differs
from it, what a doubled outside concentration does, what a tenfold permeability does, and the
direction and cost of one ion's passive leak. Every answer is computed by the nernst library
(:meth:`nernst.Cell.report`, :func:`nernst.ghk_voltage`, :func:`nernst.equilibrium_potential`);
the answers start on a new printed page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

__all__ = ["Question", "worksheet_html", "worksheet_questions"]


@dataclass(frozen=True)
class Question:
    """One question, its answer in words and the number the answer turns on."""

    text: str
    answer: str
    value: float | None = None
    unit: str = "mV"


def _mV(v: float) -> str:
    return f"{v:+.1f} mV"


def worksheet_questions(cell: Any) -> list[Question]:
    """Five questions about a cell, with the library's answers.

    Raises
    ------
    ValueError
        The cell has fewer than one permeant ion (no resting potential to ask about).
    """
    import nernst

    permeability = {ion: p for ion, p in cell.permeability.items() if p > 0}
    if not permeability:
        raise ValueError("the cell has no permeant ion: give one a permeability above 0")
    kw = {"c_in": cell.c_in, "c_out": cell.c_out, "celsius": cell.celsius}
    v_rest = float(nernst.ghk_voltage(cell.permeability, **kw))
    report = cell.report()
    by_ion = {r.ion: r for r in report.ions}
    ranked = sorted(permeability, key=lambda ion: -permeability[ion])
    first = ranked[0]
    others = [ion for ion in cell.c_in if ion != first]
    # Na+ if the cell has it (the classic: opening Na+ channels depolarises), else the next
    # most permeant ion, else any other ion.
    second = (
        "Na+"
        if "Na+" in others
        else (ranked[1] if len(ranked) > 1 else (others[0] if others else first))
    )
    questions = [
        Question(
            f"The cell is at {cell.celsius:g} °C with the concentrations and permeabilities "
            "in the table. What is its resting potential V_rest (GHK voltage equation)?",
            f"V_rest = {_mV(v_rest)}.",
            v_rest,
        )
    ]
    E_first = by_ion[first].E
    questions.append(
        Question(
            f"{first} is the most permeant ion. What is its equilibrium potential E({first}), "
            f"and why is V_rest not equal to it?",
            f"E({first}) = {_mV(E_first)}; V_rest is {abs(v_rest - E_first):.1f} mV "
            f"{'above' if v_rest > E_first else 'below'} it because the other permeant ions "
            "pull V_rest toward their own equilibrium potentials.",
            E_first,
        )
    )
    doubled = {**cell.c_out, first: 2.0 * cell.c_out[first]}
    v_doubled = float(
        nernst.ghk_voltage(cell.permeability, c_in=cell.c_in, c_out=doubled, celsius=cell.celsius)
    )
    questions.append(
        Question(
            f"What happens to V_rest if the outside concentration of {first} doubles "
            f"(from {cell.c_out[first]:g} to {2 * cell.c_out[first]:g} mM)?",
            f"V_rest goes from {_mV(v_rest)} to {_mV(v_doubled)}: it "
            f"{'depolarises' if v_doubled > v_rest else 'hyperpolarises'} by "
            f"{abs(v_doubled - v_rest):.1f} mV.",
            v_doubled,
        )
    )
    p_second = cell.permeability.get(second, 0.0)
    p_new = 10.0 * p_second if p_second > 0 else 0.1 * permeability[first]
    v_opened = float(nernst.ghk_voltage({**cell.permeability, second: p_new}, **kw))
    E_second = by_ion[second].E
    questions.append(
        Question(
            f"The permeability of {second} rises from {p_second:g} to {p_new:g} (relative). "
            f"Which way does V_rest move, and to what value?",
            f"V_rest moves toward E({second}) = {_mV(E_second)}: from {_mV(v_rest)} to "
            f"{_mV(v_opened)}.",
            v_opened,
        )
    )
    leak = max(report.ions, key=lambda r: abs(r.driving_force))
    direction = {"out": "out of the cell", "in": "into the cell"}.get(leak.flux, "neither way")
    questions.append(
        Question(
            f"At V_rest, in which direction does {leak.ion} leak passively, and what is the "
            "least work a pump must do per mole to keep its gradient?",
            f"{leak.ion} leaks {direction} (V_m − E = {leak.driving_force:+.1f} mV); keeping "
            f"the gradient costs at least {leak.pumping_work / 1e3:.2f} kJ/mol.",
            leak.pumping_work / 1e3,
            "kJ/mol",
        )
    )
    return questions


_STYLE = """
body { font-family: system-ui, "DejaVu Sans", sans-serif; color: #111; max-width: 760px;
       margin: 16px auto; padding: 0 12px; line-height: 1.45; }
h1 { font-size: 1.35rem; } h2 { font-size: 1.1rem; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border: 1px solid #999; padding: 3px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
ol li { margin-bottom: 28px; }
.answers { break-before: page; page-break-before: always; }
.answers li { margin-bottom: 12px; }
.print { margin: 8px 0 16px; }
@media print { .print { display: none; } @page { margin: 15mm; } }
"""


def worksheet_html(cell: Any, *, title: str) -> str:
    """The worksheet page (a whole HTML document)."""
    questions = worksheet_questions(cell)
    rows = "".join(
        f"<tr><td>{escape(ion)}</td><td>{cell.c_in[ion]:g}</td><td>{cell.c_out[ion]:g}</td>"
        f"<td>{cell.permeability.get(ion, 0.0):g}</td></tr>"
        for ion in cell.c_in
    )
    asked = "".join(f"<li>{escape(q.text)}</li>" for q in questions)
    answered = "".join(
        f'<li data-value="{"" if q.value is None else repr(q.value)}" data-unit="{q.unit}">'
        f"{escape(q.answer)}</li>"
        for q in questions
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Worksheet: {escape(title)}</title><style>{_STYLE}</style></head>
<body>
<main>
<h1>Worksheet: {escape(title)}</h1>
<p>V = V_in − V_out; concentrations in mM; permeabilities relative; {cell.celsius:g} °C.</p>
<table><thead><tr><th>ion</th><th>inside (mM)</th><th>outside (mM)</th><th>P (relative)</th>
</tr></thead><tbody>{rows}</tbody></table>
<p class="print">Print this page (Ctrl+P) for the class: the answers start on page 2.</p>
<h2>Questions</h2>
<ol class="questions">{asked}</ol>
<section class="answers"><h2>Answers (computed with the nernst library)</h2>
<ol>{answered}</ol></section>
</main>
</body></html>
"""


def worksheet_response(args: Mapping[str, Any]) -> tuple[str, int]:
    """(page, HTTP status) for a worksheet request with the app's query parameters."""
    from urllib.parse import urlencode

    from nernst.app.ghk_tab import scenario_cell, url_scenario
    from nernst.app.scenario import parse_query

    search = urlencode([(k, v) for k, values in args.items() for v in values])
    scenario = url_scenario(parse_query(search))
    message = None
    if not scenario["ions"]:
        message = "The link holds no cell: open the worksheet from the app's GHK tab."
    elif any(r[k] is None for r in scenario["ions"] for k in ("c_in", "c_out", "p")) or (
        scenario["celsius"] is None
    ):
        message = "The link holds a value that is not a number; fix it in the app first."
    if message is None:
        try:
            cell = scenario_cell(scenario)
            return worksheet_html(cell, title=str(scenario["title"])), 200
        except ValueError as err:
            message = f"This cell cannot make a worksheet: {err}"
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Worksheet</title>'
        f"</head><body><main><h1>No worksheet</h1><p>{escape(message)}</p></main></body></html>"
    )
    return page, 400
