"""Energetics panel: what each gradient stores and costs, from :meth:`nernst.Cell.report`.

Per ion: E, the driving force V_m - E, the net passive flux direction, the energy stored in
the gradient, the free energy of moving one mole in and out at the membrane potential, the
passive/active verdict and the least work a pump spends per mole. The report supplies all of
it except the two free energies, which come from :func:`nernst.transport_free_energy`.
The panel sits in the GHK tab (it needs that tab's cell); it is a module so another tab can
show it too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import html

from nernst.app.layout import attrs
from nernst.app.scenario import table_csv

__all__ = ["CSV_COLUMNS", "energetics_csv", "energetics_rows", "energetics_view"]

#: Columns of the table and its CSV (energies in J/mol, potentials in mV).
CSV_COLUMNS = (
    "ion",
    "z",
    "c_in_mM",
    "c_out_mM",
    "permeability_rel",
    "E_mV",
    "V_m_mV",
    "V_m_source",
    "driving_force_mV",
    "net_flux",
    "stored_energy_J_per_mol",
    "dG_in_J_per_mol",
    "dG_out_J_per_mol",
    "verdict",
    "pumping_work_J_per_mol",
    "celsius",
)

_ARROWS = {"out": "⇧ out", "in": "⇩ in", "none": "— none"}


def energetics_rows(cell: Any) -> tuple[Any, list[dict[str, Any]]]:
    """The cell's report and one row per ion (the keys of :data:`CSV_COLUMNS`).

    Raises
    ------
    ValueError
        The cell has neither a permeant ion nor a measured V_m (no membrane potential).
    """
    import nernst

    report = cell.report()
    v_m = report.v_m
    source = "measured" if report.v_measured is not None else "GHK V_rest"
    rows = []
    for r in report.ions:
        dG_in = nernst.transport_free_energy(
            r.ion, c_from=r.c_out, c_to=r.c_in, v_from=0.0, v_to=v_m, celsius=report.celsius
        )
        dG_out = nernst.transport_free_energy(
            r.ion, c_from=r.c_in, c_to=r.c_out, v_from=v_m, v_to=0.0, celsius=report.celsius
        )
        rows.append(
            {
                "ion": r.ion,
                "z": r.charge,
                "c_in_mM": r.c_in,
                "c_out_mM": r.c_out,
                "permeability_rel": r.permeability,
                "E_mV": r.E,
                "V_m_mV": v_m,
                "V_m_source": source,
                "driving_force_mV": r.driving_force,
                "net_flux": r.flux,
                "stored_energy_J_per_mol": r.stored_energy,
                "dG_in_J_per_mol": float(dG_in),
                "dG_out_J_per_mol": float(dG_out),
                "verdict": r.verdict,
                "pumping_work_J_per_mol": r.pumping_work,
                "celsius": report.celsius,
            }
        )
    return report, rows


def _kj(value: float) -> str:
    return f"{value / 1e3:+.2f}"


def energetics_view(report: Any, rows: Sequence[Mapping[str, Any]]) -> Any:
    """The panel: a heading naming the V_m used, the table, and how to read it."""
    source = "measured" if report.v_measured is not None else "GHK resting potential"
    header = [
        "ion",
        "E (mV)",
        "V_m − E (mV)",
        "net passive flux",
        "stored |zFE| (kJ/mol)",
        "ΔG in (kJ/mol)",
        "ΔG out (kJ/mol)",
        "at V_m",
        "least pump work (kJ/mol)",
    ]
    body = [
        html.Tr(
            [
                html.Td(r["ion"]),
                html.Td(f"{r['E_mV']:+.1f}"),
                html.Td(f"{r['driving_force_mV']:+.1f}"),
                html.Td(_ARROWS[r["net_flux"]], className=f"flux-{r['net_flux']}"),
                html.Td(f"{r['stored_energy_J_per_mol'] / 1e3:.2f}"),
                html.Td(_kj(r["dG_in_J_per_mol"])),
                html.Td(_kj(r["dG_out_J_per_mol"])),
                html.Td(r["verdict"], className="verdict-" + r["verdict"].split()[0]),
                html.Td(
                    "-"
                    if r["pumping_work_J_per_mol"] == 0
                    else f"{r['pumping_work_J_per_mol'] / 1e3:.2f}"
                ),
            ],
            **attrs({"data-ion": r["ion"]}),
        )
        for r in rows
    ]
    return html.Div(
        [
            html.H3(f"Energetics at V_m = {report.v_m:+.1f} mV ({source}), {report.celsius:g} °C"),
            html.Div(
                html.Table(
                    [html.Thead(html.Tr([html.Th(h) for h in header])), html.Tbody(body)],
                    className="table",
                ),
                className="table-scroll",
                tabIndex="0",  # a box that scrolls must take keyboard focus
                role="region",
                **attrs({"aria-label": "energetics table (scrolls sideways)"}),
            ),
            html.P(
                "ΔG is the free energy of moving one mole across the membrane at V_m: "
                "negative runs by itself, positive needs at least that much work. "
                f"'passive' means |V_m − E| ≤ {report.tolerance:g} mV; any other gradient "
                "leaks away through the ion's channels unless a pump restores it.",
                className="note",
            ),
        ]
    )


def energetics_csv(
    rows: Sequence[Mapping[str, Any]] | None, title: str = "cell"
) -> dict[str, Any] | None:
    """The table as a CSV download (``dcc.Download`` payload), or None without rows."""
    if not rows:
        return None
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in title.lower()).strip("-")
    return {
        "content": table_csv(CSV_COLUMNS, rows),
        "filename": f"{safe[:60] or 'cell'}-energetics.csv",
        "type": "text/csv",
        "base64": False,
    }
