"""The result protocol (nernst.results) on every result class, and the Explanation structure.

Every result class has to_dict() (plain Python), to_json() (always valid JSON: no NaN or
Infinity tokens), to_dataframe() (pandas, one row per ion where there are ions, a clear
ImportError without pandas), _repr_html_(), __rich__() and explain() returning an
nernst.explain.Explanation. Results of the other modules are built through their public
constructors.

Published values checked through the protocol: E_K = (RT/F) ln(5/140) = -89.06 mV at 37 degC
(Hille 2001, ch. 14, with CODATA 2018 R and F); the Donnan closed form for KCl against a
monovalent impermeant anion, [Cl]_in = (-A + sqrt(A^2 + 4 K Cl))/2 (Keener & Sneyd 2009,
ch. 2); P_K:P_Na:P_Cl = 1:0.04:0.45 (Hodgkin & Katz 1949) recovered by the fit.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nernst
from nernst.explain import Explanation, Step
from nernst.results import ResultMixin, to_plain

VT_37 = 1.380649e-23 * 310.15 / 1.602176634e-19 * 1e3  # RT/F = k_B T / e [mV], CODATA 2018
E_K = VT_37 * math.log(5 / 140)  # -89.06 mV
CL_IN = (-50 + math.sqrt(2500 + 4 * 100 * 100)) / 2  # 78.078 mM


def cell_report() -> Any:
    return nernst.Cell(
        c_in={"K+": 140, "Na+": 10}, c_out={"K+": 5, "Na+": 145}, permeability={"K+": 1}
    ).report()


def cell_report_measured_no_permeability() -> Any:
    # No permeant ion: v_rest_ghk is None, the measured potential is used.
    return nernst.Cell(c_in={"K+": 140}, c_out={"K+": 5}, v_m=-70).report()


def donnan() -> Any:
    return nernst.donnan_equilibrium(c_out={"K+": 100, "Cl-": 100}, fixed_charge=50)


def permeability_fit() -> Any:
    k_out = np.array([10.0, 20.0, 50.0, 100.0, 200.0])
    na_out = 460.0 - k_out
    c_in = {"K+": 400.0, "Na+": 50.0, "Cl-": 40.0}
    VT = 1.380649e-23 * 293.15 / 1.602176634e-19 * 1e3
    v = VT * np.log((k_out + 0.04 * na_out + 0.45 * 40.0) / (400.0 + 0.04 * 50.0 + 0.45 * 560.0))
    return nernst.fit_permeabilities(
        v_rev=v,
        c_in=c_in,
        c_out={"K+": k_out, "Na+": na_out, "Cl-": 560.0},
        ions=["K+", "Na+", "Cl-"],
        celsius=20.0,
    )


def permeability_fit_no_dof() -> Any:
    # As many conditions as ratios: standard errors are inf, which JSON must write as null.
    with pytest.warns(RuntimeWarning, match="no degrees of freedom"):
        return nernst.fit_permeabilities(
            v_rev=[-60.0],
            c_in={"K+": 140, "Na+": 10},
            c_out={"K+": 5, "Na+": 145},
            ions=["K+", "Na+"],
        )


def junction() -> Any:
    return nernst.junction_report({"Na+": 50, "Cl-": 50}, {"K+": 50, "Cl-": 50})


def simulation() -> Any:
    cell = nernst.Cell(c_in={"K+": 140}, c_out={"K+": 5}, permeability={"K+": 1})
    return nernst.simulate(cell, until=0.01)


def steady_state() -> Any:
    return nernst.pump_leak_steady_state(nernst.Cell.preset())


def transport() -> Any:
    return nernst.transport_analysis(
        v_m=-110, c_in={"K+": 75.0, "Na+": 8.0}, c_out={"K+": 1.0, "Na+": 1.0}
    )


#: (factory, number of rows of the table form: ions, or 1 for a result without ions)
CASES = [
    pytest.param(cell_report, 2, id="CellReport"),
    pytest.param(cell_report_measured_no_permeability, 1, id="CellReport-measured"),
    pytest.param(donnan, 2, id="DonnanResult"),
    pytest.param(permeability_fit, 3, id="PermeabilityFit"),
    pytest.param(permeability_fit_no_dof, 2, id="PermeabilityFit-no-dof"),
    pytest.param(junction, 3, id="JunctionReport"),
    pytest.param(simulation, None, id="Simulation"),
    pytest.param(steady_state, None, id="PumpLeakSteadyState"),
    pytest.param(transport, 2, id="TransportAnalysis"),
]


def _is_plain(value: Any) -> bool:
    if value is None or isinstance(value, (str, bool, int)):
        return type(value) in (type(None), str, bool, int)
    if isinstance(value, float):
        return type(value) is float and math.isfinite(value)
    if isinstance(value, list):
        return type(value) is list and all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return type(value) is dict and all(
            isinstance(k, str) and _is_plain(v) for k, v in value.items()
        )
    return False


def _strict_json(text: str) -> Any:
    def reject(token: str) -> None:
        raise AssertionError(f"invalid JSON token {token}")

    return json.loads(text, parse_constant=reject)


@pytest.mark.parametrize(("make", "rows"), CASES)
def test_result_protocol(make: Callable[[], Any], rows: int | None) -> None:
    result = make()
    assert isinstance(result, ResultMixin)
    data = result.to_dict()
    assert _is_plain(data), data
    assert _strict_json(result.to_json()) == data
    frame = result.to_dataframe()
    if rows is not None:
        assert len(frame) == rows
    html = result._repr_html_()
    assert html.startswith("<div>") and "<table>" in html
    from rich.console import Console

    console = Console(record=True, width=160)
    console.print(result)
    assert console.export_text().strip()
    explanation = result.explain()
    assert isinstance(explanation, Explanation)
    assert explanation.steps and all(isinstance(s, Step) and s.title for s in explanation.steps)
    assert str(explanation) == "\n".join(explanation)
    assert explanation[-1] == explanation.conclusion
    assert _strict_json(explanation.to_json())["text"] == list(explanation)


@pytest.mark.parametrize(("make", "rows"), CASES)
def test_to_dataframe_without_pandas_names_the_extra(
    make: Callable[[], Any], rows: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = make()
    assert isinstance(result, ResultMixin)
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"nernst\[frame\]"):
        result.to_dataframe()


# -- published numbers survive the conversions -----------------------------------------------
def test_cell_report_numbers_through_json_and_frame():
    report = cell_report()
    data = _strict_json(report.to_json())
    assert data["ions"][0]["E"] == pytest.approx(E_K, abs=1e-9)
    assert data["v_m"] == pytest.approx(E_K, abs=1e-9)  # K+ the only permeant ion
    assert report.to_dataframe().loc["K+", "E"] == pytest.approx(E_K, abs=1e-9)
    e_step = next(s for s in report.explain().steps if s.title == "E(K+)")
    assert e_step.result == pytest.approx(E_K, abs=1e-9)


def test_measured_cell_without_ghk_writes_null():
    data = _strict_json(cell_report_measured_no_permeability().to_json())
    assert data["v_rest_ghk"] is None
    assert data["v_m"] == -70.0


def test_donnan_numbers_through_json():
    data = _strict_json(donnan().to_json())
    assert data["c_in"]["Cl-"] == pytest.approx(CL_IN, rel=1e-12)
    assert data["potential"] == pytest.approx(VT_37 * math.log(CL_IN / 100), rel=1e-10)


def test_infinite_standard_errors_are_null_in_json():
    data = _strict_json(permeability_fit_no_dof().to_json())
    assert data["standard_errors"]["Na+"] is None
    assert data["residual_sd_mV"] is None


def test_fit_recovers_hodgkin_katz_ratios_through_the_frame():
    frame = permeability_fit().to_dataframe()
    assert frame.loc["Na+", "ratio"] == pytest.approx(0.04, rel=1e-6)
    assert frame.loc["Cl-", "ratio"] == pytest.approx(0.45, rel=1e-6)


def test_array_donnan_result_converts_arrays_and_refuses_to_explain():
    res = nernst.donnan_equilibrium(c_out={"K+": 100, "Cl-": 100}, fixed_charge=[50.0, 0.0])
    data = _strict_json(res.to_json())
    assert data["c_in"]["Cl-"] == pytest.approx([CL_IN, 100.0], rel=1e-12)
    with pytest.raises(ValueError, match="scalar"):
        res.explain()


# -- to_plain and the Explanation structure --------------------------------------------------
def test_to_plain_converts_numpy_and_non_finite():
    value = {
        "a": np.float32(1.5),
        "b": np.int64(3),
        "c": np.array([[1.0, np.nan], [np.inf, -np.inf]]),
        "d": (np.bool_(True), None),
        1: "key",
    }
    assert to_plain(value) == {
        "a": 1.5,
        "b": 3,
        "c": [[1.0, None], [None, None]],
        "d": [True, None],
        "1": "key",
    }
    with pytest.raises(TypeError, match="complex"):
        to_plain(1 + 2j)


def test_explanation_is_the_list_of_printed_lines():
    ex = nernst.explain.explain_equilibrium_potential("K+", c_in=140, c_out=5, celsius=37)
    assert isinstance(ex, list)
    assert json.loads(json.dumps({"explanation": ex}))["explanation"] == list(ex)
    assert ex[0] == ex.title
    assert ex[-1] == f"E(K+) = {E_K:+.1f} mV"
    assert ex.value == pytest.approx(E_K, abs=1e-9)
    assert ex.unit == "mV"
    last = ex.steps[-1]
    assert (last.title, last.equation, last.unit) == (
        "equilibrium potential",
        "E = RT/(zF) x ln(ratio)",
        "mV",
    )
    assert last.result == pytest.approx(E_K, abs=1e-9)
    assert ex.explain() is ex
    frame = ex.to_dataframe()
    assert list(frame["title"])[-1] == "equilibrium potential"
    assert ex.conclusion in ex._repr_html_()


def test_explain_result_rejects_other_objects():
    with pytest.raises(TypeError, match="knows CellReport"):
        nernst.explain.explain_result(object())


def test_importing_results_stays_light():
    code = (
        "import sys, nernst.results, nernst.explain, nernst.cell, nernst.donnan, "
        "nernst.permeability; print([m for m in ('pandas', 'rich') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- laws (Hypothesis) ------------------------------------------------------------------------
conc = st.floats(min_value=1e-3, max_value=1e3)


@given(k=conc, cl=conc, fixed=st.floats(min_value=0.0, max_value=1e3))
@settings(deadline=None)
def test_donnan_json_and_explanation_agree_with_the_result(k, cl, fixed):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nernst.ElectroneutralityWarning)
        res = nernst.donnan_equilibrium(c_out={"K+": k, "Cl-": cl}, fixed_charge=fixed)
    assert _strict_json(res.to_json()) == res.to_dict()
    steps = {s.title: s for s in res.explain().steps}
    for ion in ("K+", "Cl-"):
        assert steps[f"{ion} inside"].result == res.c_in[ion]
    assert steps["Donnan potential"].result == res.potential


@given(c_in=conc, c_out=conc, z=st.sampled_from(["K+", "Na+", "Cl-", "Ca2+"]))
@settings(deadline=None)
def test_cell_explanation_shows_each_ions_nernst_potential(c_in, c_out, z):
    report = nernst.Cell(c_in={z: c_in}, c_out={z: c_out}, permeability={z: 1}).report()
    step = next(s for s in report.explain().steps if s.title == f"E({z})")
    assert step.result == nernst.equilibrium_potential(z, c_in=c_in, c_out=c_out, celsius=37)
    # One permeant ion: V_rest = E (GHK reduces to Nernst), shown in the conclusion.
    assert report.explain()[-1] == f"V_m = {report.v_m:+.1f} mV (GHK resting potential)"
    assert _strict_json(report.to_json())["ions"][0]["E"] == pytest.approx(step.result)


@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=4)))
def test_to_plain_always_gives_valid_json(arr):
    plain = to_plain({"x": arr, "y": arr.sum() if arr.size else 0.0})
    text = json.dumps(plain, allow_nan=False)
    flat = np.asarray(arr, float).ravel()
    back = np.array(
        [v if v is not None else np.nan for v in np.asarray(plain["x"], dtype=object).ravel()],
        float,
    )
    finite = np.isfinite(flat)
    assert np.array_equal(back[finite], flat[finite])
    assert np.all(np.isnan(back[~finite]))
    assert json.loads(text)["x"] == plain["x"]
