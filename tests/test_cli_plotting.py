"""Every horizontal line of the dynamics plots is named (issue 17), through ``nernst simulate``.

Expected values: the seed chapter's neuron (K+ 140/5, Na+ 10/145, Cl- 10/110 mM, 37 degC),
E_K = 26.7267 mV x ln(5/140) = -89.1 mV, E_Na = +71.5 mV, E_Cl = -64.1 mV, GHK V_rest -67.3 mV
(seed chapter, "Permeability to Multiple Ions"; RT/F from CODATA 2018 exact R and F).
"""

from __future__ import annotations

import pytest

import nernst
from nernst.plotting import plot_time_course  # needs the plot extra (part of test)


@pytest.fixture(scope="module")
def day():
    # one day from 0 mV: GHK in milliseconds, then the drift to a Donnan state
    return nernst.Cell.preset("mammalian-neuron").simulate(until=86400)


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_start_and_end_potentials_are_labelled_with_values(day):
    ax = plot_time_course(day, log_time=True).axes[0]
    texts = legend_texts(ax)
    for ion, E0 in (("K+", "-89.1"), ("Na+", "+71.5"), ("Cl-", "-64.1")):
        assert f"E({ion}) at start {E0} mV" in texts, texts
        assert any(t.startswith(f"E({ion}) at end ") for t in texts), texts
    assert "GHK V_rest at start -67.3 mV" in texts
    # every horizontal line of the panel has a legend entry
    horizontal = [ln for ln in ax.get_lines() if len(set(ln.get_ydata())) == 1]
    assert len(horizontal) == len(texts) - 1  # all but V(t)


def test_lines_are_labelled_on_the_plot_too(day):
    ax = plot_time_course(day, log_time=True).axes[0]
    written = " ".join(t.get_text() for t in ax.texts)
    for name in ("E(K+) start", "E(Na+) start", "E(K+) end", "E(Na+) end", "E(Cl-) end"):
        assert name in written, written
    assert "V_rest" in written


def test_a_short_run_names_each_e_once(day):
    # After 0.1 s nothing has moved by 0.05 mV: one line per ion, "start and end".
    short = nernst.Cell.preset("mammalian-neuron").simulate(until=0.1)
    texts = legend_texts(plot_time_course(short).axes[0])
    assert "E(K+) -89.1 mV (start and end)" in texts, texts
