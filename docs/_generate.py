"""Write docs/generated/problems.rst and docs/generated/validation.rst by running nernst.

Called by Sphinx (``builder-inited`` -> ``generate(app)``, see conf.py) or on its own::

    python docs/_generate.py            # writes docs/generated/*.rst
    python docs/_generate.py OUT_DIR    # writes OUT_DIR/*.rst

The hands-on problems come from ``docs/problems.py``; the validation table lists every problem
plus :data:`REGISTRY`, the other published values the test suite checks (tests/published/,
tests/test_nernst.py, test_ghk.py, test_activity.py, test_junction.py, test_bioenergetics.py),
each with a callable that computes nernst's value at build time.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import math
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

__all__ = ["REGISTRY", "Check", "generate", "load_problems", "run_problem", "validation_rows"]


def load_problems() -> Any:
    """Import docs/problems.py by path (independent of sys.path and of the build order)."""
    name = "_nernst_docs_problems"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / "problems.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def run_problem(code: str) -> tuple[float, str]:
    """Execute a solution snippet; return its ``answer`` and what it printed."""
    namespace: dict[str, Any] = {"__name__": "__problem__"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(code, "<problem>", "exec"), namespace)
    if "answer" not in namespace:
        raise ValueError("the solution code does not assign `answer`")
    return float(namespace["answer"]), out.getvalue()


@dataclass(frozen=True)
class Check:
    """One published value and how nernst computes it.

    ``tolerance`` is absolute, in ``unit``; ``compute`` returns nernst's value in ``unit``.
    """

    source: str
    quantity: str
    published: float
    unit: str
    tolerance: float
    compute: Callable[[], float]
    printed: str = ""


def _call(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[[], float]:
    """A zero-argument callable computing ``float(func(*args, **kwargs))``."""

    def compute() -> float:
        return float(func(*args, **kwargs))

    return compute


# -- the registry of published values checked by the test suite -------------------------------


def _registry() -> Iterator[Check]:
    import nernst
    from nernst.activity import (
        activity_coefficient,
        debye_huckel_constants,
        mean_activity_coefficient,
        water_density,
        water_dielectric_constant,
    )

    # Malmberg & Maryott (1956) J. Res. NBS 56:1, Table 3 (tests/test_activity.py)
    for c, eps in ((0, 87.74), (25, 78.30), (100, 55.72)):
        yield Check(
            "Malmberg & Maryott (1956) J. Res. NBS 56:1, Table 3",
            f"dielectric constant of water, {c} °C",
            eps,
            "",
            0.005,
            _call(water_dielectric_constant, celsius=c),
        )
    # Kell (1975) J. Chem. Eng. Data 20:97
    for t, rho, tol in ((4, 999.972, 0.002), (25, 997.047, 0.003), (37, 993.33, 0.01)):
        yield Check(
            "Kell (1975) J. Chem. Eng. Data 20:97",
            f"density of water, {t} °C",
            rho,
            "kg/m³",
            tol,
            _call(water_density, celsius=t),
        )
    # Robinson & Stokes (1959) Electrolyte Solutions, Appendix 7.1 (c scale)
    for tc, A, B in ((0.0, 0.4918, 0.3248), (25.0, 0.5115, 0.3291), (38.0, 0.5242, 0.3318)):
        yield Check(
            "Robinson & Stokes (1959) Electrolyte Solutions, App. 7.1",
            f"Debye-Hückel A (molar), {tc:g} °C",
            A,
            "(L/mol)^½",
            2e-4,
            _call(lambda x: debye_huckel_constants(celsius=x, scale="molar")[0], tc),
        )
        yield Check(
            "Robinson & Stokes (1959) Electrolyte Solutions, App. 7.1",
            f"Debye-Hückel B (molar), {tc:g} °C",
            B,
            "Å⁻¹ (L/mol)^½",
            1e-4,
            _call(lambda x: debye_huckel_constants(celsius=x, scale="molar")[1] / 10, tc),
        )
    yield Check(
        "Atkins' Physical Chemistry (textbook value; 0.5085-0.5108 in the literature)",
        "Debye-Hückel A (molal), 25 °C",
        0.509,
        "(kg/mol)^½",
        0.0025,
        lambda: float(debye_huckel_constants(celsius=25)[0]),
    )
    yield Check(
        "Atkins' Physical Chemistry (textbook value)",
        "Debye-Hückel B (molal), 25 °C",
        3.29,
        "nm⁻¹ (kg/mol)^½",
        0.005,
        lambda: float(debye_huckel_constants(celsius=25)[1]),
    )
    yield Check(
        "Pitzer & Mayorga (1973) J. Phys. Chem. 77:2300",
        "osmotic-coefficient slope A_φ = A ln10 / 3, 25 °C",
        0.392,
        "(kg/mol)^½",
        5e-4,
        lambda: float(debye_huckel_constants(celsius=25)[0]) * math.log(10) / 3,
    )
    # Kielland (1937) J. Am. Chem. Soc. 59:1675, extended Debye-Hueckel, atol 0.007
    kielland_i = (0.001, 0.005, 0.01, 0.05, 0.1)
    kielland = {
        "K+": (0.964, 0.925, 0.899, 0.805, 0.755),
        "H+": (0.967, 0.933, 0.914, 0.86, 0.83),
        "Ca2+": (0.870, 0.749, 0.675, 0.485, 0.405),
        "Mg2+": (0.872, 0.755, 0.69, 0.52, 0.45),
        "La3+": (0.738, 0.54, 0.445, 0.245, 0.18),
    }
    for ion, gammas in kielland.items():
        for i, g in zip(kielland_i, gammas, strict=True):
            yield Check(
                "Kielland (1937) J. Am. Chem. Soc. 59:1675 (extended Debye-Hückel)",
                f"γ({ion}) at I = {i:g} M, 25 °C",
                g,
                "",
                0.007,
                _call(
                    activity_coefficient,
                    ion,
                    ionic_strength=i,
                    model="extended-debye-huckel",
                    celsius=25,
                ),
            )
    # Mean activity coefficients within each model's stated validity
    nacl = {
        0.001: 0.965, 0.002: 0.952, 0.005: 0.929, 0.01: 0.902, 0.02: 0.871, 0.05: 0.823,
        0.1: 0.778, 0.2: 0.735, 0.5: 0.681, 1.0: 0.657, 2.0: 0.668,
    }  # fmt: skip
    kcl = {
        0.001: 0.965, 0.002: 0.951, 0.005: 0.927, 0.01: 0.901, 0.02: 0.869, 0.05: 0.816,
        0.1: 0.769, 0.2: 0.718, 0.5: 0.649, 1.0: 0.604, 2.0: 0.573,
    }  # fmt: skip
    cacl2 = {
        0.001: 0.888, 0.002: 0.851, 0.005: 0.787, 0.01: 0.727, 0.02: 0.664, 0.05: 0.577,
        0.1: 0.517, 0.2: 0.469, 0.5: 0.444, 1.0: 0.495,
    }  # fmt: skip
    salts = {
        ("Na+", "Cl-", "NaCl"): (nacl, "Hamer & Wu (1972) / Robinson & Stokes (1959) App. 8.10"),
        ("K+", "Cl-", "KCl"): (kcl, "Hamer & Wu (1972) / Robinson & Stokes (1959) App. 8.10"),
        ("Ca2+", "Cl-", "CaCl2"): (cacl2, "Goldberg & Nuttall (1978), CRC Handbook"),
    }
    validity = {
        "debye-huckel": (0.005, 0.012),
        "extended-debye-huckel": (0.1, 0.025),
        "davies": (0.1, 0.02),
        "truesdell-jones": (3.0, 0.015),
    }
    for model, (i_max, rtol) in validity.items():
        for (cation, anion, salt), (table, cite) in salts.items():
            factor = 3.0 if cation == "Ca2+" else 1.0
            for m, g in table.items():
                if factor * m <= i_max * (1 + 1e-9):
                    yield Check(
                        cite,
                        f"γ± {salt} at {m:g} mol/kg, 25 °C ({model})",
                        g,
                        "",
                        rtol * g,
                        _call(
                            mean_activity_coefficient,
                            cation,
                            anion,
                            molality=m,
                            model=model,
                            celsius=25,
                        ),
                    )
    # Liquid junction potentials, V_bath - V_pipette (tests/test_junction.py)
    Junction = tuple[str, dict[str, float], dict[str, float], float]
    ng_barry: list[Junction] = [
        ("50 NaCl | 50 KCl", {"Na+": 50, "Cl-": 50}, {"K+": 50, "Cl-": 50}, -4.3),
        ("150 NaCl | 150 KCl", {"Na+": 150, "Cl-": 150}, {"K+": 150, "Cl-": 150}, -4.3),
        ("50 NaCl | 50 CsCl", {"Na+": 50, "Cl-": 50}, {"Cs+": 50, "Cl-": 50}, -4.9),
        ("100 NaCl | 100 MgCl2", {"Na+": 100, "Cl-": 100}, {"Mg2+": 100, "Cl-": 200}, 10.0),
        ("100 CaCl2 | 100 MgCl2", {"Ca2+": 100, "Cl-": 200}, {"Mg2+": 100, "Cl-": 200}, 0.6),
        (
            "100 KCl + 2 CaCl2 | 100 LiCl + 2 CaCl2",
            {"K+": 100, "Ca2+": 2, "Cl-": 104},
            {"Li+": 100, "Ca2+": 2, "Cl-": 104},
            6.4,
        ),
        (
            "50 CaCl2 + 50 MgCl2 | 100 LiCl",
            {"Ca2+": 50, "Mg2+": 50, "Cl-": 200},
            {"Li+": 100, "Cl-": 100},
            -8.2,
        ),
    ]
    for method in ("nernst-planck", "henderson"):
        for label, pip, bath, v in ng_barry:
            yield Check(
                "Ng & Barry (1995) J. Neurosci. Methods 56:37, Table 2",
                f"LJP {label} mM, 25 °C ({method})",
                v,
                "mV",
                0.5,
                _call(nernst.liquid_junction_potential, pip, bath, method=method, celsius=25),
            )
    harper: list[tuple[str, dict[str, float], dict[str, float], float, float]] = [
        ("HCl 0.1 | 0.00345 M", {"H+": 100, "Cl-": 100}, {"H+": 3.45, "Cl-": 3.45}, 55.5, 0.05),
        (
            "NaCl 0.0995 | 0.00499 M",
            {"Na+": 99.5, "Cl-": 99.5},
            {"Na+": 4.99, "Cl-": 4.99},
            -15.6,
            0.5,
        ),
        (
            "CaCl2 0.29 | 0.00545 M",
            {"Ca2+": 290, "Cl-": 580},
            {"Ca2+": 5.45, "Cl-": 10.9},
            -35.0,
            0.5,
        ),
        (
            "ZnSO4 0.4 | 0.0186 M",
            {"Zn2+": 400, "SO4 2-": 400},
            {"Zn2+": 18.6, "SO4 2-": 18.6},
            -8.1,
            0.5,
        ),
    ]
    for label, pip, bath, v, tol in harper:
        yield Check(
            "Harper (1985) J. Phys. Chem. 89:1659, Table I",
            f"LJP {label}, 25 °C",
            v,
            "mV",
            tol,
            _call(nernst.liquid_junction_potential, pip, bath, celsius=25),
        )
    yield Check(
        "LJPcalc documentation (Figl, Lewis & Barry 2003 solutions)",
        "LJP K-gluconate internal | HEPES saline, 20 °C (Nernst-Planck)",
        16.0523,
        "mV",
        0.02,
        lambda: float(
            nernst.liquid_junction_potential("k-gluconate-internal", "hepes-saline", celsius=20)
        ),
    )
    yield Check(
        "Barry, JPCalcW Users Manual p. 7",
        "LJP CsF 135 + NaCl 10 | NaCl 145 mM, 20 °C (Henderson)",
        8.74,
        "mV",
        0.01,
        lambda: float(
            nernst.liquid_junction_potential(
                {"Cs+": 135, "F-": 135, "Na+": 10, "Cl-": 10},
                {"Na+": 145, "Cl-": 145},
                method="henderson",
                celsius=20,
            )
        ),
    )
    yield Check(
        "Barry, JPCalcW Users Manual p. 10",
        "LJP Cs-fluoride internal | NaCl 145 mM, 20 °C (Henderson)",
        8.71,
        "mV",
        0.01,
        lambda: float(
            nernst.liquid_junction_potential(
                "cs-fluoride-internal", "nacl-145", method="henderson", celsius=20
            )
        ),
    )
    # Bioenergetics (tests/test_bioenergetics.py)
    yield Check(
        "Nicholls & Ferguson (2013) Bioenergetics 4, ch. 4",
        "magnitude of Δp in respiring mitochondria (Δψ = -165 mV, ΔpH = 0.65, 37 °C)",
        200.0,
        "mV",
        10.0,
        lambda: abs(float(nernst.proton_motive_force(v_m=-165, delta_ph=0.65))),
    )
    slope_25 = float(nernst.equilibrium_potential(1, c_in=1, c_out=10, celsius=25))
    table_celsius = 298.15 * 59.0 / slope_25 - 273.15  # 59.00 mV per decade
    pea = {  # ion: (external mM, predicted internal mM as printed, tolerance)
        "K+": (1.0, 74, 0.012 * 74),
        "Na+": (1.0, 74, 0.012 * 74),
        "Mg2+": (0.25, 1340, 0.012 * 1340),
        "Ca2+": (1.0, 5360, 0.012 * 5360),
        "NO3-": (2.0, 0.0272, 0.012 * 0.0272),
        "Cl-": (1.0, 0.0136, 0.012 * 0.0136),
        "H2PO4-": (1.0, 0.0136, 0.012 * 0.0136),
        "SO4 2-": (0.25, 0.00005, 0.000005),
    }
    for ion, (c_out, printed, tol) in pea.items():
        yield Check(
            "Taiz & Zeiger, Plant Physiology, Table 6.1 (Higinbotham et al. 1967)",
            f"pea root: Nernst-predicted internal {ion} at -110 mV (59 mV/decade)",
            printed,
            "mM",
            tol,
            _call(
                nernst.equilibrium_internal_concentration,
                ion,
                v_m=-110,
                c_out=c_out,
                celsius=table_celsius,
            ),
        )


def _problem_checks() -> Iterator[Check]:
    problems = load_problems()
    for p in problems.PROBLEMS:
        yield Check(
            f"{p.source} (problem :ref:`{p.id} <problem-{p.id}>`)",
            p.title,
            p.answer,
            p.unit,
            p.tolerance,
            _call(lambda code: run_problem(code)[0], p.code),
            p.printed,
        )


REGISTRY: list[Check] = []  # filled lazily by validation_rows() (imports nernst)


def validation_rows() -> list[Check]:
    """All checks: the problems first, then the registry."""
    if not REGISTRY:
        REGISTRY.extend(_registry())
    return [*_problem_checks(), *REGISTRY]


# -- rendering -----------------------------------------------------------------------------


def _fmt(x: float, tol: float | None = None) -> str:
    """Six significant digits, or enough decimals to resolve a tenth of ``tol``."""
    if x == 0:
        return "0"
    if tol is not None and 0 < tol < 1e-3 and 1e-3 <= abs(x) < 1e5:
        decimals = min(15, 1 - math.floor(math.log10(tol)))
        return f"{x:.{decimals}f}"
    if abs(x) >= 1e5 or abs(x) < 1e-3:
        return f"{x:.6g}"
    digits = max(0, 6 - math.floor(math.log10(abs(x))) - 1)
    return f"{x:.{min(digits, 15)}f}".rstrip("0").rstrip(".")


def _fmt_value(x: float, unit: str, tol: float | None = None) -> str:
    return f"{_fmt(x, tol)} {unit}".strip()


def _heading(text: str, char: str, over: bool = False) -> str:
    line = char * max(len(text), 3)
    return f"{line}\n{text}\n{line}\n" if over else f"{text}\n{line}\n"


def _indent(text: str, n: int = 3) -> str:
    pad = " " * n
    return "\n".join(pad + line if line.strip() else "" for line in text.rstrip().splitlines())


def render_problems() -> str:
    problems = load_problems()
    parts = [
        ".. This file is generated by docs/_generate.py; do not edit.\n\n",
        _heading("Hands-on problems", "=", over=True),
        "\nProblems in cellular electrophysiology, from one-line Nernst calculations to "
        "multi-step GHK, junction-potential and energetics questions. Each solution is a "
        "short script that calls ``nernst``; it was run when these pages were built, and its "
        "output is shown below it. The *published answer* is the number printed by the cited "
        "textbook or paper, and the test suite (``tests/test_problems.py``) checks that "
        "``nernst`` reproduces it within the tolerance implied by the printed digits. "
        "Conventions: :math:`V = V_{in} - V_{out}` in mV, concentrations in mM, energies in "
        "J/mol, junction potentials :math:`V_{bath} - V_{pipette}`.\n\n"
        "See also :doc:`validation` for every published value the library is checked "
        "against.\n\n",
    ]
    for n, p in enumerate(problems.PROBLEMS, 1):
        value, printed_output = run_problem(p.code)
        diff = value - p.answer
        output = printed_output.rstrip("\n")
        output = (output + "\n" if output else "") + f"answer = {_fmt(value, p.tolerance)} {p.unit}"
        parts += [
            f".. _problem-{p.id}:\n\n",
            _heading(f"{n}. {p.title}", "-"),
            "\n",
            p.statement.strip(),
            "\n\n**Solution**\n\n",
            ".. code-block:: python\n\n",
            _indent(p.code),
            "\n\nOutput:\n\n.. code-block:: text\n\n",
            _indent(output),
            "\n\n",
            f"**Published answer:** {p.printed or _fmt_value(p.answer, p.unit)} "
            f"(tolerance ± {_fmt_value(p.tolerance, p.unit)}; nernst differs by "
            f"{diff:+.3g} {p.unit}).\n\n".replace(" )", ")"),
            f"**Source:** {p.source.strip()}\n\n",
        ]
        if p.note:
            parts.append(f"**Note:** {p.note.strip()}\n\n")
    return "".join(parts)


def _cell(text: str) -> str:
    return text.replace("\n", " ").strip() or "\\-"


def render_validation() -> str:
    import nernst

    rows = validation_rows()
    body = []
    n_ok = 0
    for n, row in enumerate(rows, 1):
        value = float(row.compute())
        diff = value - row.published
        ok = abs(diff) <= row.tolerance
        n_ok += ok
        body.append(
            [
                str(n),
                row.source,
                row.quantity,
                row.printed or _fmt_value(row.published, row.unit),
                _fmt_value(value, row.unit, row.tolerance),
                f"{diff:+.3g}",
                f"± {_fmt(row.tolerance)}",
                "yes" if ok else "**NO**",
            ]
        )
    header = ["#", "Source", "Quantity", "Published", "nernst", "Difference", "Tolerance", "OK"]
    lines = [
        ".. This file is generated by docs/_generate.py; do not edit.\n",
        _heading("Validation against published values", "=", over=True),
        f"\nThis table was generated when these pages were built, by running ``nernst`` "
        f"{nernst.__version__} on every published value its test suite checks: the hands-on "
        f"problems (:doc:`problems`) first, then the values in ``tests/``. *Difference* is "
        f"nernst's value minus the published one, in the published unit; *Tolerance* is the "
        f"absolute agreement the test requires, implied by the digits the source prints (or, "
        f"for activity models, the model's stated accuracy). {n_ok} of {len(rows)} values "
        f"agree within tolerance.\n\n"
        "nernst uses the exact CODATA 2018 constants (R = 8.314462618 J/(mol K), "
        "F = 96485.33212 C/mol); sources that round R, F or the Nernst slope differ by a "
        "correspondingly small amount.\n",
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 4 26 30 10 12 8 8 4",
        "",
    ]
    for r in [header, *body]:
        lines.append(f"   * - {_cell(r[0])}")
        lines += [f"     - {_cell(c)}" for c in r[1:]]
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str) -> None:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return  # unchanged: do not trigger a Sphinx rebuild
    path.write_text(text, encoding="utf-8")


def generate(app: Any = None, out_dir: str | Path | None = None) -> list[Path]:
    """Write problems.rst and validation.rst; return their paths.

    Parameters
    ----------
    app : sphinx.application.Sphinx, optional
        When given (the ``builder-inited`` hook), files go to ``<srcdir>/generated``.
    out_dir : str or Path, optional
        Output directory; overrides ``app``. Default ``docs/generated`` next to this file.
    """
    if out_dir is None:
        out_dir = Path(app.srcdir) / "generated" if app is not None else HERE / "generated"
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "problems.rst", out / "validation.rst"]
    _write(paths[0], render_problems())
    _write(paths[1], render_validation())
    return paths


if __name__ == "__main__":
    for written in generate(out_dir=sys.argv[1] if len(sys.argv) > 1 else None):
        print(written)
