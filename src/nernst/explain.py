r"""Step-by-step explanations of a result, in the seed chapter's notation.

Every explanation nernst gives lives here and has one structure, :class:`Explanation`: a
title, a list of :class:`Step` (each with its title, the equation, the numbers substituted,
the result and its unit, and the text lines it prints) and a concluding line. An
Explanation *is* the list of its text lines, so ``str(explanation)`` is the text the command
line prints with ``--explain``, ``explanation[-1]`` the conclusion, and ``json.dumps`` writes
the lines; ``explanation.steps`` holds the structure.

Each function recomputes nothing of its own: it calls the public physics functions (or reads
the result object it explains) for every number it shows, so the explanation and the answer
cannot disagree. ``result.explain()`` on any result object dispatches here
(:func:`explain_result`).

Examples
--------
>>> ex = explain_equilibrium_potential("K+", c_in=140, c_out=5, celsius=37)
>>> ex[-1]
'E(K+) = -89.1 mV'
>>> step = ex.steps[-1]
>>> step.title, round(step.result, 2), step.unit
('equilibrium potential', -89.06, 'mV')

References
----------
.. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nernst._deprecate import positional_deprecated
from nernst.constants import BODY_TEMPERATURE_C, FARADAY, GAS_CONSTANT, kelvin, thermal_voltage
from nernst.ghk import ghk_voltage, ion_axis_inputs, quadratic_coefficients
from nernst.ions import ions, valence
from nernst.nernst import equilibrium_potential
from nernst.results import ResultMixin, to_plain

if TYPE_CHECKING:  # pragma: no cover
    from nernst.cell import CellReport
    from nernst.donnan import DonnanResult
    from nernst.dynamics import PumpLeakSteadyState, Simulation
    from nernst.energetics import TransportAnalysis
    from nernst.junction import JunctionReport
    from nernst.permeability import PermeabilityFit

__all__ = [
    "Explanation",
    "Step",
    "explain_cell_report",
    "explain_donnan",
    "explain_equilibrium_potential",
    "explain_ghk_voltage",
    "explain_junction",
    "explain_permeability_fit",
    "explain_permeability_ratio_biionic",
    "explain_proton_motive_force",
    "explain_result",
    "explain_simulation",
    "explain_steady_state",
    "explain_transport_analysis",
]


# -- the structure ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One step of an :class:`Explanation`.

    Attributes
    ----------
    title : str
        What the step computes ("thermal voltage", "equilibrium potential").
    equation : str
        The equation in plain text, symbols only ("RT/F"); empty for a statement.
    substituted : str
        The equation with the numbers put in; empty when there is nothing to substitute.
    result : float, str or None
        The step's value (None for a statement).
    unit : str
        Unit of ``result`` ("mV", "K", "" for unitless).
    text : tuple of str
        The line(s) the step prints.

    See Also
    --------
    Explanation : the steps together.

    Examples
    --------
    >>> step = explain_equilibrium_potential("K+", c_in=140, c_out=5).steps[-1]
    >>> step.equation, step.unit
    ('E = RT/(zF) x ln(ratio)', 'mV')
    """

    title: str
    equation: str = ""
    substituted: str = ""
    result: float | str | None = None
    unit: str = ""
    text: tuple[str, ...] = ()


class Explanation(ResultMixin, list[str]):
    """A calculation step by step: the printed lines, with the structure in :attr:`steps`.

    Parameters
    ----------
    title : str
        The first line.
    steps : sequence of Step
        The steps; their ``text`` lines follow the title.
    conclusion : str
        The last line: the result in words and numbers.
    value : float or None
        The final result as a number. [``unit``]
    unit : str
        Its unit.

    Examples
    --------
    >>> ex = Explanation("Sum:", [Step("sum", "a + b", "1 + 2", 3.0, "", ("  1 + 2 = 3",))],
    ...                  "a + b = 3", value=3.0)
    >>> print(ex)
    Sum:
      1 + 2 = 3
    a + b = 3
    >>> ex.to_dict()["steps"][0]["substituted"]
    '1 + 2'

    See Also
    --------
    Step : one step.
    explain_result : the explanation of any result object.
    """

    def __init__(
        self,
        title: str,
        steps: Sequence[Step],
        conclusion: str,
        *,
        value: float | None = None,
        unit: str = "",
    ) -> None:
        self.title = title
        self.steps = tuple(steps)
        self.conclusion = conclusion
        self.value = value
        self.unit = unit
        super().__init__([title, *(line for s in self.steps for line in s.text), conclusion])

    def __str__(self) -> str:
        return "\n".join(self)

    def __repr__(self) -> str:
        return f"Explanation({self.title!r}, {len(self.steps)} steps, {self.conclusion!r})"

    def lines(self) -> list[str]:
        """The text lines as a plain list.

        Examples
        --------
        >>> type(explain_equilibrium_potential("K+", c_in=140, c_out=5).lines())
        <class 'list'>
        """
        return list(self)

    def _fields_for_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "steps": [to_plain(s) for s in self.steps],
            "conclusion": self.conclusion,
            "value": self.value,
            "unit": self.unit,
            "text": list(self),
        }

    def _rows(self) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in to_plain(s).items() if k != "text"}
            | {"text": "\n".join(s.text).strip()}
            for s in self.steps
        ]

    def _title(self) -> str:
        return self.title

    def _summary_lines(self) -> list[str]:
        return [self.conclusion]

    def explain(self) -> Explanation:
        """The explanation itself."""
        return self


def _say(text: str, title: str = "", **fields: Any) -> Step:
    """A step printing one line."""
    return Step(title or text.strip(), text=(text,), **fields)


def _constants_steps(celsius: float) -> list[Step]:
    T = float(kelvin(celsius))
    VT = float(thermal_voltage(celsius=celsius))
    return [
        Step(
            "constants",
            "R, F",
            text=(
                f"  R = {GAS_CONSTANT:.9g} J/(mol K), F = {FARADAY:.10g} C/mol "
                "(CODATA 2018, exact)",
            ),
        ),
        Step(
            "absolute temperature",
            "T = theta + 273.15",
            f"{celsius:g} + 273.15",
            T,
            "K",
            (f"  T = {celsius:g} degC + 273.15 = {T:.2f} K",),
        ),
        Step(
            "thermal voltage",
            "RT/F",
            f"{GAS_CONSTANT:.9g} x {T:.2f} / {FARADAY:.10g}",
            VT,
            "mV",
            (f"  RT/F = {VT:.4f} mV  (the thermal voltage)",),
        ),
    ]


def _temperature_step(celsius: float) -> Step:
    """Temperature and thermal voltage on one line."""
    VT = float(thermal_voltage(celsius=celsius))
    return Step(
        "thermal voltage",
        "RT/F, T = theta + 273.15",
        f"T = {celsius:g} + 273.15 K",
        VT,
        "mV",
        (f"  T = {celsius:g} degC + 273.15 = {celsius + 273.15:.2f} K, RT/F = {VT:.4f} mV",),
    )


def _get(obj: Any, *names: str) -> Any:
    """The first attribute of ``obj`` that exists among ``names`` (old and new field names)."""
    for name in names:
        if hasattr(obj, name):
            return getattr(obj, name)
    raise AttributeError(f"{type(obj).__name__} has none of the fields {', '.join(names)}")


def _label(ion: str | int) -> str:
    return ions[ion].symbol if isinstance(ion, str) else f"z={int(valence(ion)):+d}"


# -- equilibrium and GHK potentials -----------------------------------------------------------
def explain_equilibrium_potential(
    ion: str | int,
    /,
    *,
    c_in: float,
    c_out: float,
    celsius: float = BODY_TEMPERATURE_C,
    gamma_in: float = 1.0,
    gamma_out: float = 1.0,
) -> Explanation:
    r"""The Nernst equation for one ion, with the numbers substituted, step by step.

    .. math:: E = \frac{RT}{zF} \ln\frac{\gamma_{out} c_{out}}{\gamma_{in} c_{in}}

    Parameters
    ----------
    ion : str or int
        Ion name or valence, as :func:`nernst.equilibrium_potential`.
    c_in, c_out : float
        Concentrations inside and outside. [mM]
    celsius : float, default 37.0
        Temperature. [degC]
    gamma_in, gamma_out : float, default 1.0
        Activity coefficients. [unitless]

    Returns
    -------
    Explanation
        Steps from the constants to E; the last line is ``E(ion) = ... mV``. [mV]

    See Also
    --------
    nernst.equilibrium_potential : the number explained here.
    explain_ghk_voltage : the same for several permeant ions.

    Notes
    -----
    E comes from :func:`nernst.equilibrium_potential` (which sums logarithms, so it is exact
    past the float range); the intermediate lines use ``math.log`` of the ratio for display.

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14.
    .. [2] Nernst W. (1889) Die elektromotorische Wirksamkeit der Jonen. Z. Phys. Chem.
       4:129-181. https://doi.org/10.1515/zpch-1889-0412

    Examples
    --------
    >>> print(explain_equilibrium_potential("K+", c_in=140, c_out=5, celsius=37)[-1])
    E(K+) = -89.1 mV
    """
    E = float(
        equilibrium_potential(
            ion, c_in=c_in, c_out=c_out, celsius=celsius, gamma_in=gamma_in, gamma_out=gamma_out
        )
    )
    z = int(valence(ion))
    label = _label(ion)
    VT = float(thermal_voltage(celsius=celsius))
    activity = gamma_in != 1.0 or gamma_out != 1.0
    a_in, a_out = gamma_in * c_in, gamma_out * c_out
    equation = (
        "E = (RT / zF) ln(a_out / a_in),  a = gamma [ion]"
        if activity
        else "E = (RT / zF) ln([ion]_out / [ion]_in)"
    )
    steps = [
        Step("Nernst equation", equation, text=(f"  {equation}",)),
        *_constants_steps(celsius),
        Step("valence", "z", result=z, text=(f"  z = {z:+d} ({label})",)),
        Step(
            "RT/(zF)",
            "RT/(zF)",
            f"{VT:.4f} mV / {z:+d}",
            VT / z,
            "mV",
            (f"  RT/(zF) = {VT:.4f} mV / {z:+d} = {VT / z:+.4f} mV",),
        ),
    ]
    if activity:
        steps += [
            Step(
                "outside activity",
                "a_out = gamma_out c_out",
                f"{gamma_out:g} x {c_out:g}",
                a_out,
                "mM",
                (f"  a_out = {gamma_out:g} x {c_out:g} mM = {a_out:.6g} mM",),
            ),
            Step(
                "inside activity",
                "a_in = gamma_in c_in",
                f"{gamma_in:g} x {c_in:g}",
                a_in,
                "mM",
                (f"  a_in  = {gamma_in:g} x {c_in:g} mM = {a_in:.6g} mM",),
            ),
        ]
    ratio = a_out / a_in
    steps += [
        Step(
            "ratio out/in",
            "a_out / a_in" if activity else "[ion]_out / [ion]_in",
            f"{a_out:g} / {a_in:g}",
            ratio,
            "",
            (f"  ratio out/in = {a_out:g} / {a_in:g} = {ratio:.6g}",),
        ),
        Step(
            "logarithm",
            "ln(ratio)",
            f"ln({ratio:.6g})",
            math.log(ratio),
            "",
            (f"  ln({ratio:.6g}) = {math.log(ratio):+.6f}",),
        ),
        Step(
            "equilibrium potential",
            "E = RT/(zF) x ln(ratio)",
            f"{VT / z:+.4f} mV x {math.log(ratio):+.6f}",
            E,
            "mV",
            (f"  E = {VT / z:+.4f} mV x {math.log(ratio):+.6f} = {E:+.2f} mV",),
        ),
    ]
    return Explanation(
        "Nernst equation (E = V_in - V_out, the inside relative to the outside):",
        steps,
        f"E({label}) = {E:+.1f} mV",
        value=E,
        unit="mV",
    )


def explain_ghk_voltage(
    permeability: Mapping[str, float],
    /,
    *,
    c_in: Mapping[str, float],
    c_out: Mapping[str, float],
    celsius: float = BODY_TEMPERATURE_C,
) -> Explanation:
    r"""The GHK voltage equation with the numbers substituted, step by step.

    Monovalent ions only: the seed chapter's form, anions with inside and outside swapped,

    .. math:: V = \frac{RT}{F} \ln\frac{\sum P_{cat} [cat]_{out} + \sum P_{an} [an]_{in}}
                                      {\sum P_{cat} [cat]_{in} + \sum P_{an} [an]_{out}}

    With divalent ions: the quadratic in x = exp(-FV/RT) that nernst solves in closed form.

    Parameters
    ----------
    permeability : mapping of str to float
        Permeabilities (relative or cm/s). [cm/s or unitless]
    c_in, c_out : mapping of str to float
        Concentrations inside and outside. [mM]
    celsius : float, default 37.0
        Temperature. [degC]

    Returns
    -------
    Explanation
        The last line is ``V_rest = ... mV``. [mV]

    See Also
    --------
    nernst.ghk_voltage : the number explained here.
    explain_equilibrium_potential : one ion.

    Notes
    -----
    V comes from :func:`nernst.ghk_voltage`; the coefficients A-D shown are those its closed
    form uses (:func:`nernst.ghk.quadratic_coefficients`).

    References
    ----------
    .. [1] Goldman D.E. (1943) Potential, impedance, and rectification in membranes. J. Gen.
       Physiol. 27:37-60. https://doi.org/10.1085/jgp.27.1.37
    .. [2] Hodgkin A.L., Katz B. (1949) J. Physiol. 108:37-77.
       https://doi.org/10.1113/jphysiol.1949.sp004310

    Examples
    --------
    >>> ex = explain_ghk_voltage({"K+": 1, "Na+": 0.05}, c_in={"K+": 140, "Na+": 10},
    ...                          c_out={"K+": 5, "Na+": 145})
    >>> ex[-1]
    'V_rest = -65.2 mV'
    """
    V = float(ghk_voltage(permeability, c_in=c_in, c_out=c_out, celsius=celsius))
    P, ci, co, z = ion_axis_inputs(permeability, c_in, c_out, None, -1)
    A, B, C, D = (float(q) for q in quadratic_coefficients(P, ci, co, z))
    VT = float(thermal_voltage(celsius=celsius))
    names = [ions.resolve(k) for k in permeability]
    rows = [
        (n, float(p), float(i), float(o), int(q))
        for n, p, i, o, q in zip(names, P, ci, co, z, strict=True)
        if p > 0
    ]
    steps: list[Step]
    if all(abs(q) == 1 for *_, q in rows):
        num_terms = " + ".join(f"{p:g} x {o if q > 0 else i:g}" for _, p, i, o, q in rows)
        den_terms = " + ".join(f"{p:g} x {i if q > 0 else o:g}" for _, p, i, o, q in rows)
        equation = (
            "V = (RT/F) ln( (sum P[cation]_out + sum P[anion]_in) / "
            "(sum P[cation]_in + sum P[anion]_out) )"
        )
        steps = [
            Step(
                "GHK voltage equation",
                equation,
                text=(
                    f"  {equation}",
                    "  (for anions the inside and outside concentrations are swapped)",
                ),
            ),
            *_constants_steps(celsius),
            Step(
                "numerator",
                "sum P[cation]_out + sum P[anion]_in",
                num_terms,
                B,
                "mM",
                (f"  numerator   = {num_terms} = {B:.6g}",),
            ),
            Step(
                "denominator",
                "sum P[cation]_in + sum P[anion]_out",
                den_terms,
                A,
                "mM",
                (f"  denominator = {den_terms} = {A:.6g}",),
            ),
            Step(
                "logarithm of the ratio",
                "ln(numerator / denominator)",
                f"ln({B:.6g} / {A:.6g})",
                math.log(B / A),
                "",
                (f"  ratio = {B / A:.6g}, ln(ratio) = {math.log(B / A):+.6f}",),
            ),
            Step(
                "resting potential",
                "V = (RT/F) ln(ratio)",
                f"{VT:.4f} mV x {math.log(B / A):+.6f}",
                V,
                "mV",
                (f"  V = {VT:.4f} mV x {math.log(B / A):+.6f} = {V:+.2f} mV",),
            ),
        ]
    else:
        steps = [
            Step(
                "zero-current condition",
                "(B + D) x^2 - (A - B) x - (A + C) = 0, V = -(RT/F) ln x",
                text=(
                    "  With divalent ions the zero-current condition is a quadratic in "
                    "x = exp(-FV/RT):",
                    "  (B + D) x^2 - (A - B) x - (A + C) = 0, V = -(RT/F) ln x, where",
                    "  A = sum P c_in (z=+1) + sum P c_out (z=-1),  B = sum P c_out (z=+1) + "
                    "sum P c_in (z=-1)",
                    "  C = 4 (sum P c_in (z=+2) + sum P c_out (z=-2)),  D = 4 (sum P c_out "
                    "(z=+2) + sum P c_in (z=-2))",
                ),
            ),
            *_constants_steps(celsius),
        ]
        if any(abs(q) > 2 for *_, q in rows):
            steps.append(
                _say(
                    "  valences beyond +-2: the total GHK current (monotonic in V) is zeroed "
                    "with a bracketing root finder between the lowest and highest E",
                    "root finder",
                    result=V,
                    unit="mV",
                )
            )
        else:
            x = math.exp(-V / VT)
            steps += [
                Step(
                    "coefficients",
                    "A, B, C, D",
                    result=None,
                    text=(f"  A = {A:.6g}, B = {B:.6g}, C = {C:.6g}, D = {D:.6g}",),
                ),
                Step(
                    "positive root",
                    "x = ((A - B) + sqrt((A - B)^2 + 4 (B + D)(A + C))) / (2 (B + D))",
                    result=x,
                    text=(f"  positive root x = {x:.6g}",),
                ),
                Step(
                    "resting potential",
                    "V = -(RT/F) ln x",
                    f"-{VT:.4f} mV x ln({x:.6g})",
                    V,
                    "mV",
                    (f"  V = -{VT:.4f} mV x ln({x:.6g}) = {V:+.2f} mV",),
                ),
            ]
    return Explanation(
        "Goldman-Hodgkin-Katz voltage equation (V = V_in - V_out):",
        steps,
        f"V_rest = {V:+.1f} mV",
        value=V,
        unit="mV",
    )


# -- permeability ratios ----------------------------------------------------------------------
@positional_deprecated("v_rev")
def explain_permeability_ratio_biionic(
    *,
    v_rev: float,
    ion_x: str | int,
    ion_ref: str | int,
    c_x_out: float,
    c_ref_in: float,
    c_x_in: float = 0.0,
    c_ref_out: float = 0.0,
    celsius: float = BODY_TEMPERATURE_C,
) -> Explanation:
    r"""The bi-ionic permeability-ratio equation with the numbers substituted, step by step.

    For monovalent ions of the same sign under bi-ionic conditions,

    .. math:: \frac{P_X}{P_{ref}} = \frac{[ref]_{in}}{[X]_{out}}\, e^{\pm F V_{rev}/RT};

    for a divalent X against a monovalent cation the Fatt-Ginsborg/Lewis form; otherwise the
    general zero-current condition.

    Parameters
    ----------
    v_rev : float
        Measured reversal potential V_in - V_out. [mV]
    ion_x, ion_ref : str or int
        Test ion (outside) and reference ion (inside).
    c_x_out, c_ref_in : float
        X outside, reference inside. [mM]
    c_x_in, c_ref_out : float, default 0.0
        X inside, reference outside. [mM]
    celsius : float, default 37.0
        Temperature. [degC]

    Returns
    -------
    Explanation
        The last line is ``P(X)/P(ref) = ...``. [unitless]

    See Also
    --------
    nernst.permeability_ratio_biionic : the number explained here.
    explain_permeability_fit : several ions from a series of reversal potentials.

    Notes
    -----
    The ratio comes from :func:`nernst.permeability_ratio_biionic`; the lines above it show
    the textbook form that applies. The old positional ``v_rev`` is deprecated.

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14.
    .. [2] Fatt P., Ginsborg B.L. (1958) J. Physiol. 142:516-543.
       https://doi.org/10.1113/jphysiol.1958.sp006034
    .. [3] Lewis C.A. (1979) J. Physiol. 286:417-445.
       https://doi.org/10.1113/jphysiol.1979.sp012629

    Examples
    --------
    >>> ex = explain_permeability_ratio_biionic(v_rev=-20, ion_x="Na+", ion_ref="K+",
    ...                                         c_x_out=145, c_ref_in=140)
    >>> ex[-1]
    'P(Na+)/P(K+) = 0.4568'
    """
    from nernst.permeability import permeability_ratio_biionic

    ratio = float(
        permeability_ratio_biionic(
            v_rev=v_rev,
            ion_x=ion_x,
            ion_ref=ion_ref,
            c_x_out=c_x_out,
            c_ref_in=c_ref_in,
            c_x_in=c_x_in,
            c_ref_out=c_ref_out,
            celsius=celsius,
        )
    )
    zx, zr = int(valence(ion_x)), int(valence(ion_ref))
    lx = ions[ion_x].symbol if isinstance(ion_x, str) else f"X(z={zx:+d})"
    lr = ions[ion_ref].symbol if isinstance(ion_ref, str) else f"ref(z={zr:+d})"
    VT = float(thermal_voltage(celsius=celsius))
    u = v_rev / VT
    steps = [
        _say(f"  X = {lx} (z = {zx:+d}): {c_x_out:g} mM outside, {c_x_in:g} mM inside", "test ion"),
        _say(
            f"  reference = {lr} (z = {zr:+d}): {c_ref_in:g} mM inside, {c_ref_out:g} mM outside",
            "reference ion",
        ),
        _temperature_step(celsius),
        Step(
            "reduced potential",
            "u = F V_rev / RT",
            f"{v_rev:g} / {VT:.4f}",
            u,
            "",
            (f"  u = F V_rev / RT = {v_rev:g} / {VT:.4f} = {u:+.6f}",),
        ),
    ]
    bi_ionic = c_x_in == 0 and c_ref_out == 0
    if bi_ionic and zx == zr and abs(zx) == 1:
        sign = "+" if zx > 0 else "-"
        su = u if zx > 0 else -u
        equation = f"P_X/P_ref = ([ref]_in / [X]_out) exp({sign}u)"
        substituted = f"({c_ref_in:g} / {c_x_out:g}) x exp({su:+.6f})"
        steps.append(
            Step(
                "permeability ratio",
                equation,
                substituted,
                ratio,
                "",
                (
                    f"  monovalent {'cations' if zx > 0 else 'anions'} (Hille 2001, ch. 14):",
                    f"  {equation}",
                    f"  = {substituted} = {c_ref_in / c_x_out:.6g} x {math.exp(su):.6g} "
                    f"= {ratio:.6g}",
                ),
            )
        )
    elif bi_ionic and zx == 2 and zr == 1:
        eu = math.exp(u)
        equation = "P_X/P_ref = [ref]_in e^u (1 + e^u) / (4 [X]_out)"
        substituted = f"{c_ref_in:g} x {eu:.6g} x {1 + eu:.6g} / (4 x {c_x_out:g})"
        steps.append(
            Step(
                "permeability ratio",
                equation,
                substituted,
                ratio,
                "",
                (
                    "  divalent X against a monovalent cation (Fatt & Ginsborg 1958; Lewis 1979):",
                    f"  {equation}",
                    f"  = {substituted} = {ratio:.6g}",
                ),
            )
        )
    else:
        steps.append(
            Step(
                "permeability ratio",
                "P_X/P_ref = -i_ref(V_rev) / i_X(V_rev)",
                result=ratio,
                text=(
                    "  P_X/P_ref = -i_ref(V_rev) / i_X(V_rev), the GHK currents per unit "
                    "permeability",
                    "  i = z^2 u/(1 - exp(-z u)) (c_in - c_out exp(-z u)); zero total current "
                    "at V_rev",
                    f"  P_X/P_ref = {ratio:.6g}",
                ),
            )
        )
    return Explanation(
        "Permeability ratio from a reversal potential (GHK zero-current condition, "
        "V = V_in - V_out):",
        steps,
        f"P({lx})/P({lr}) = {ratio:.4g}",
        value=ratio,
    )


def explain_permeability_fit(fit: PermeabilityFit, /) -> Explanation:
    r"""How :func:`nernst.fit_permeabilities` arrived at its ratios, step by step.

    .. math:: \min_\theta \sum_j \left(V_j - V_{GHK}(e^\theta; c_{in,j}, c_{out,j})\right)^2,
              \qquad \mathrm{SE}(\hat p) = \hat p\, \mathrm{SE}(\hat\theta)

    Parameters
    ----------
    fit : PermeabilityFit
        The fit to explain.

    Returns
    -------
    Explanation
        One step per ratio; the last line lists the ratios. [unitless]

    See Also
    --------
    nernst.fit_permeabilities : makes the fit.
    explain_permeability_ratio_biionic : one ratio from one reversal potential.

    Notes
    -----
    Every number is read from ``fit``; nothing is refitted.

    References
    ----------
    .. [1] Hodgkin A.L., Katz B. (1949) J. Physiol. 108:37-77.
       https://doi.org/10.1113/jphysiol.1949.sp004310

    Examples
    --------
    >>> import numpy as np, nernst
    >>> k = np.array([5.0, 20.0, 50.0, 100.0])
    >>> v = 26.7267 * np.log((k + 0.05 * (150 - k)) / (140 + 0.05 * 10))
    >>> fit = nernst.fit_permeabilities(v_rev=v, c_in={"K+": 140, "Na+": 10},
    ...                                 c_out={"K+": k, "Na+": 150 - k}, ions=["K+", "Na+"])
    >>> fit.explain()[-1]
    'P(Na+)/P(K+) = 0.05'
    """
    n = len(fit.v_rev)
    steps = [
        Step(
            "model",
            "V_GHK(p; c_in, c_out), p_k = P_k / P_ref",
            text=(
                f"  model: GHK voltage of {', '.join(fit.ions)} relative to {fit.reference} "
                f"(P({fit.reference}) = 1)",
            ),
        ),
        Step(
            "least squares",
            "min sum_j (V_j - V_GHK(exp(theta)))^2, theta = ln p",
            result=fit.residual_sd,
            unit="mV",
            text=(
                f"  least squares on theta = ln p over {n} reversal potentials "
                f"({len(fit.fitted)} fitted, {fit.dof} degrees of freedom): "
                f"{'converged' if fit.success else 'did not converge'}",
                f"  residual SD s = sqrt(sum r^2 / (n - p)) = {fit.residual_sd:.4g} mV",
            ),
        ),
    ]
    for name in fit.ions:
        if name == fit.reference:
            continue
        ratio, se = fit.ratios[name], fit.standard_errors[name]
        how = (
            f"+- {se:.2g} (SE = p x SE(ln p) = {ratio:.4g} x {fit.log_standard_errors[name]:.3g})"
            if name in fit.fitted
            else "(held fixed)"
        )
        steps.append(
            Step(
                f"P({name})/P({fit.reference})",
                "p = exp(theta)",
                result=ratio,
                text=(f"  P({name})/P({fit.reference}) = {ratio:.4g} {how}",),
            )
        )
    ratios = ", ".join(
        f"P({nm})/P({fit.reference}) = {fit.ratios[nm]:.4g}"
        for nm in fit.ions
        if nm != fit.reference
    )
    return Explanation(
        "Permeability ratios fitted to reversal potentials (GHK voltage, V = V_in - V_out):",
        steps,
        ratios,
    )


# -- Donnan -----------------------------------------------------------------------------------
def explain_donnan(result: DonnanResult, /) -> Explanation:
    r"""The Donnan equilibrium of a result, with its numbers, step by step (scalar results).

    .. math:: c_{in,i} = c_{out,i}\, r^{z_i}, \quad r = e^{-F V_D/RT},
              \quad \sum_i z_i c_{in,i} + z_X [X] = 0

    Parameters
    ----------
    result : DonnanResult
        A result of :func:`nernst.donnan_equilibrium` for one condition.

    Returns
    -------
    Explanation
        The last line is ``V_D = ... mV, r = ...``. [mV]

    Raises
    ------
    ValueError
        The result holds arrays (several conditions).

    See Also
    --------
    nernst.donnan_equilibrium : computes the result.
    explain_equilibrium_potential : each ion's Nernst potential, shown equal to V_D.

    Notes
    -----
    Each ion's Nernst potential is computed by :func:`nernst.equilibrium_potential`, so the
    check that all of them equal V_D is independent of the solver.

    References
    ----------
    .. [1] Donnan F.G. (1911) Z. Elektrochem. 17:572-581.
       https://doi.org/10.1002/bbpc.19110171405

    Examples
    --------
    >>> import nernst
    >>> res = nernst.donnan_equilibrium(c_out={"K+": 100, "Cl-": 100}, fixed_charge=50)
    >>> explain_donnan(res)[-1]
    'V_D = -6.6 mV, r = 1.281'
    """
    import numpy as np

    if np.ndim(result.potential) or np.ndim(result.celsius):
        raise ValueError("explain() needs a scalar result (one condition)")
    V = float(result.potential)
    r = float(result.ratio)
    celsius = float(result.celsius)
    VT = float(thermal_voltage(celsius=celsius))
    X = float(result.fixed_concentration)
    zX = result.fixed_valence
    steps = [
        Step(
            "equilibrium conditions",
            "c_in = c_out r^z, r = exp(-F V_D/RT); sum z c_in + z_X [X] = 0",
            text=(
                "  each permeant ion at its Nernst equilibrium: c_in = c_out exp(-z F V_D/RT) "
                "= c_out r^z,  r = exp(-F V_D/RT)",
                "  inside electroneutrality: sum z c_in + z_X [X] = 0",
                f"  R = {GAS_CONSTANT:.9g} J/(mol K), F = {FARADAY:.10g} C/mol "
                "(CODATA 2018, exact)",
            ),
        ),
        _temperature_step(celsius),
    ]
    if result.volume is not None:
        steps.append(
            Step(
                "volume constraint",
                "[X] = [X]_0 / W",
                f"{X * float(result.volume):g} mM / W",
                text=(
                    "  volume constraint: the cell volume W adjusts until osmolarity in = out;",
                    f"  [X] = {X * float(result.volume):g} mM / W (at the reference volume W = 1)",
                ),
            )
        )
    steps += [
        Step(
            "fixed charge",
            "z_X [X]",
            f"{zX:+g} x {X:g} mM",
            zX * X,
            "mM",
            (f"  [X] = {X:g} mM, z_X = {zX:+g}: fixed charge z_X [X] = {zX * X:+.6g} mM",),
        ),
        Step(
            "Donnan potential",
            "sum z c_out r^z + z_X [X] = 0",
            f"r = exp({-V:+.4f} / {VT:.4f})",
            V,
            "mV",
            (
                "  sum z c_out r^z falls monotonically with V_D: its unique root "
                "(bracketing root finder) gives",
                f"  V_D = {V:+.4f} mV, r = exp({-V:+.4f} / {VT:.4f}) = {r:.6g}",
            ),
        ),
    ]
    charge = 0.0
    for name in result.permeant:
        z = ions[name].charge
        c_out = float(result.c_out[name])
        c_in = float(result.c_in[name])
        charge += z * c_in
        E = float(equilibrium_potential(name, c_in=c_in, c_out=c_out, celsius=celsius))
        steps.append(
            Step(
                f"{name} inside",
                "c_in = c_out r^z",
                f"{c_out:g} mM x r^{z:+d}",
                c_in,
                "mM",
                (
                    f"  {name:>6}: {c_out:g} mM x r^{z:+d} = {c_in:.6g} mM inside;"
                    f"  Nernst E = {E:+.4f} mV",
                ),
            )
        )
    steps.append(
        Step(
            "electroneutrality check",
            "sum z c_in = -z_X [X]",
            result=charge,
            unit="mM",
            text=(
                f"  check: sum z c_in = {charge:+.6g} mM = -z_X [X] = {-zX * X:+.6g} mM (neutral)",
            ),
        )
    )
    imbalance = float(result.osmotic_imbalance)
    if result.volume is not None:
        text = (
            f"  osmolarity in = out = {float(result.osmolarity_out):.6g} mOsm at "
            f"W = {float(result.volume):.6g}"
        )
    else:
        direction = (
            "water would flow in (the cell would swell)"
            if imbalance > 0
            else "water would flow out"
            if imbalance < 0
            else "no osmotic gradient"
        )
        text = (
            f"  osmolarity in {float(result.osmolarity_in):.6g} - out "
            f"{float(result.osmolarity_out):.6g} = {imbalance:+.6g} mOsm: {direction}"
        )
    steps.append(
        Step(
            "osmotic balance",
            "osmolarity_in - osmolarity_out",
            result=imbalance,
            unit="mOsm/L",
            text=(text,),
        )
    )
    return Explanation(
        "Donnan equilibrium (V_D = V_in - V_out; impermeant species X inside, bath outside):",
        steps,
        f"V_D = {V:+.1f} mV, r = {r:.4g}",
        value=V,
        unit="mV",
    )


# -- bioenergetics ----------------------------------------------------------------------------
def explain_proton_motive_force(
    *,
    v_m: float,
    delta_ph: float,
    celsius: float = BODY_TEMPERATURE_C,
    dg_atp: float | None = None,
) -> Explanation:
    r"""The proton-motive force with the numbers substituted, step by step.

    .. math:: \Delta p = \Delta\psi - \frac{RT \ln 10}{F}\,\Delta\mathrm{pH},
              \qquad \Delta G_{H^+} = F\,\Delta p

    Parameters
    ----------
    v_m : float
        psi_in - psi_out, N side (matrix, cytoplasm, stroma, cytosol) relative to the P
        side. [mV]
    delta_ph : float
        pH_in - pH_out. [pH units]
    celsius : float, default 37.0
        Temperature. [degC]
    dg_atp : float, optional
        Free energy of ATP hydrolysis; adds the minimum H+ per ATP. [J/mol]

    Returns
    -------
    Explanation
        The last line is ``pmf = ... mV``. [mV]

    See Also
    --------
    nernst.proton_motive_force, nernst.proton_free_energy, nernst.atp_synthase_protons

    Notes
    -----
    Every number comes from :func:`nernst.proton_motive_force`,
    :func:`nernst.proton_free_energy` and :func:`nernst.atp_synthase_protons`.

    References
    ----------
    .. [1] Mitchell P. (1961) Coupling of phosphorylation to electron and hydrogen transfer
       by a chemi-osmotic type of mechanism. Nature 191:144-148.
       https://doi.org/10.1038/191144a0
    .. [2] Watt I.N. et al. (2010) PNAS 107:16823-16827.
       https://doi.org/10.1073/pnas.1011099107

    Examples
    --------
    >>> explain_proton_motive_force(v_m=-160, delta_ph=0.8)[-1]
    'pmf = -209.2 mV'
    """
    import nernst

    def pmf_at(psi: float, ph: float) -> float:
        return float(nernst.proton_motive_force(v_m=psi, delta_ph=ph, celsius=celsius))

    pmf = pmf_at(v_m, delta_ph)
    per_ph = -pmf_at(0.0, 1.0)
    ph_term = pmf_at(0.0, delta_ph)
    dG = float(nernst.proton_free_energy(v_m=v_m, delta_ph=delta_ph, celsius=celsius))
    T = float(kelvin(celsius))
    steps = [
        Step(
            "proton-motive force",
            "pmf = delta_psi - (ln10 RT/F) delta_pH",
            text=(
                "  pmf = delta_psi - (ln10 RT/F) delta_pH,  delta_psi = psi_in - psi_out, "
                "delta_pH = pH_in - pH_out",
            ),
        ),
        Step(
            "thermal voltage",
            "RT/F",
            f"T = {celsius:g} + 273.15 K",
            float(thermal_voltage(celsius=celsius)),
            "mV",
            (
                f"  T = {celsius:g} degC + 273.15 = {T:.2f} K, "
                f"RT/F = {float(thermal_voltage(celsius=celsius)):.4f} mV",
            ),
        ),
        Step(
            "per pH unit",
            "ln10 RT/F",
            result=per_ph,
            unit="mV",
            text=(f"  ln10 RT/F = {per_ph:.4f} mV per pH unit",),
        ),
        Step(
            "pH term",
            "-(ln10 RT/F) delta_pH",
            f"-{per_ph:.4f} mV x {delta_ph:g}",
            ph_term,
            "mV",
            (f"  pH term = -{per_ph:.4f} mV x {delta_ph:g} = {ph_term:+.3f} mV",),
        ),
        Step(
            "pmf",
            "delta_psi + pH term",
            f"{v_m:+g} mV + ({ph_term:+.3f} mV)",
            pmf,
            "mV",
            (f"  pmf = {v_m:+g} mV + ({ph_term:+.3f} mV) = {pmf:+.3f} mV",),
        ),
        Step(
            "free energy per H+",
            "F x pmf",
            f"{FARADAY:.10g} C/mol x {pmf / 1e3:+.6f} V",
            dG,
            "J/mol",
            (
                f"  free energy per mol H+ moved in = F x pmf = {FARADAY:.10g} C/mol x "
                f"{pmf / 1e3:+.6f} V = {dG / 1e3:+.3f} kJ/mol",
                "  (negative: H+ flowing in is downhill and can drive ATP synthesis or "
                "H+-coupled uptake)",
            ),
        ),
    ]
    if dg_atp is not None:
        n_min = float(nernst.atp_synthase_protons(dg_atp=dg_atp, pmf=pmf))
        steps.append(
            Step(
                "minimum H+ per ATP",
                "|dG_ATP| / |F pmf|",
                f"{abs(dg_atp) / 1e3:.3f} / {abs(dG) / 1e3:.3f}",
                n_min,
                "",
                (
                    f"  minimum H+ per ATP = |dG_ATP| / |F pmf| = {abs(dg_atp) / 1e3:.3f} / "
                    f"{abs(dG) / 1e3:.3f} = {n_min:.3f}",
                    "  (the mammalian ATP synthase c8 ring uses 8/3 = 2.67 H+ per ATP; "
                    "Watt et al. 2010)",
                ),
            )
        )
    # The title spans two lines in the CLI's text; the second is the first step's.
    return Explanation(
        "Proton-motive force (in = N side: matrix, bacterial cytoplasm, stroma, plant cytosol;",
        [
            _say("out = P side: intermembrane space, medium, thylakoid lumen, apoplast):", "sides"),
            *steps,
        ],
        f"pmf = {pmf:+.1f} mV",
        value=pmf,
        unit="mV",
    )


# -- junction potentials ----------------------------------------------------------------------
def explain_junction(report: JunctionReport, /) -> Explanation:
    r"""A liquid junction potential (a :class:`nernst.JunctionReport`), step by step.

    .. math:: LJP_{Henderson} = -\frac{RT}{F} S \ln Q

    and, for the Nernst-Planck method, the stationary Nernst-Planck solution.

    Parameters
    ----------
    report : JunctionReport
        From :func:`nernst.junction_report`.

    Returns
    -------
    Explanation
        The last line is ``LJP = ... mV (bath relative to pipette; ...)``. [mV]

    See Also
    --------
    nernst.junction_report, nernst.liquid_junction_potential

    Notes
    -----
    Solution chemistry defaults to 25 degC (the limiting conductivities are 25 degC values).
    Every number is read from ``report``.

    References
    ----------
    .. [1] Barry P.H., Lynch J.W. (1991) J. Membr. Biol. 121:101-117.
       https://doi.org/10.1007/BF01870526
    .. [2] Marino M., Misuri L., Brogioli D. (2014) arXiv:1403.3640.

    Examples
    --------
    >>> import nernst
    >>> rep = nernst.junction_report({"Na+": 50, "Cl-": 50}, {"K+": 50, "Cl-": 50})
    >>> explain_junction(rep)[-1]
    'LJP = -4.36 mV (bath relative to pipette; correct with V_m = V_measured - LJP)'
    """
    from nernst.junction import METHODS

    VT = float(thermal_voltage(celsius=report.celsius))
    t = report.henderson_terms
    nernst_planck = report.method == "nernst-planck"
    table = [
        "",
        f"  {'ion':<18}{'z':>3}{'D':>9}{'u/u_K':>8}{'pipette':>11}{'bath':>11}"
        + ("  flux*L" if nernst_planck else ""),
    ]
    for r in report.ions:
        flux = f"{r['flux_L']:+10.4g}" if "flux_L" in r else ""
        table.append(
            f"  {r['ion']:<18}{r['z']:>+3d}{r['D']:>9.4f}{r['u']:>8.4f}"
            f"{r['c_pipette']:>11.5g}{r['c_bath']:>11.5g}{flux}"
        )
    units = "  (D in 1e-9 m^2/s, concentrations in mM"
    if nernst_planck:
        units += "; flux*L in nmol/(m s), pipette -> bath positive"
    table.append(units + ")")
    steps = [
        _say(
            "  Sign: LJP = V_bath - V_pipette (Barry / JPCalc / LJPcalc convention);",
            "sign convention",
        ),
        _say("        correct measured potentials with V_m = V_measured - LJP", "correction"),
        Step(
            "thermal voltage",
            "RT/F",
            result=VT,
            unit="mV",
            text=(f"  T = {report.celsius:g} degC, RT/F = {VT:.4f} mV (CODATA 2018 R, F)",),
        ),
        Step(
            "mobilities",
            "D = RT lambda/(|z| F^2)",
            text=(
                *(
                    (
                        "  Mobilities: limiting values at 25 degC (D from lambda by "
                        "Nernst-Einstein,",
                        "  D = RT lambda/(|z| F^2)); not temperature-corrected (only ratios "
                        "matter)",
                    )
                    if getattr(report, "mobility_model", "25C") == "25C"
                    else (
                        f"  Mobilities at {report.celsius:g} degC, ion by ion: D25 "
                        "(Nernst-Einstein",
                        "  from lambda) times Boudreau's (1997) (m0 + m1 t)/(m0 + 25 m1) where",
                        "  tabulated, else Stokes-Einstein (T/298.15) eta(25)/eta(t)",
                    )
                ),
                *table,
            ),
        ),
        Step(
            "Henderson",
            "LJP = -(RT/F) S ln Q",
            f"-{VT:.4f} mV x {t['S']:.6g} x {t['lnQ']:+.6f}",
            report.henderson,
            "mV",
            (
                "",
                "  Henderson: LJP = -(RT/F) * S * ln Q",
                f"    S = sum z u (c_bath - c_pip) / sum z^2 u (c_bath - c_pip)"
                f" = {t['numerator']:.6g} / {t['denominator']:.6g} = {t['S']:.6g}",
                f"    Q = sum z^2 u c_bath / sum z^2 u c_pip = {t['W_bath']:.6g} / "
                f"{t['W_pipette']:.6g} = {t['Q']:.6g},  ln Q = {t['lnQ']:+.6f}",
                f"    LJP(Henderson) = {report.henderson:+.4f} mV",
            ),
        ),
    ]
    if any(r["mobility_from"].startswith("D") for r in report.ions):
        tabulated = ", ".join(r["ion"] for r in report.ions if r["mobility_from"].startswith("D"))
        steps.append(
            _say(f"  (tabulated diffusion coefficient used for: {tabulated})", "tabulated D")
        )
    if nernst_planck and report.solver["nfev"] == 0:
        steps.append(
            Step(
                "identical solutions",
                result=0.0,
                unit="mV",
                text=("", "  Identical solutions: no gradient, no junction potential."),
            )
        )
    elif nernst_planck:
        s = report.solver
        steps.append(
            Step(
                "stationary Nernst-Planck",
                "J_i = -D_i (dc_i/dx + z_i c_i dphi/dx); LJP = RT/F * delta_phi",
                f"{VT:.4f} mV x {s['delta_phi']:+.8f}",
                report.ljp,
                "mV",
                (
                    "",
                    "  Stationary Nernst-Planck (Marino et al. 2014), local electroneutrality:",
                    "    J_i = -D_i (dc_i/dx + z_i c_i dphi/dx),  phi = F psi/RT,  J_i constant,",
                    "    sum z_i J_i = 0 (no current),  sum z_i c_i = 0 (neutral everywhere)",
                    "    With phi as the variable the equations are linear: dc/dtau = A c,",
                    "    tau = phi/delta_phi, so c_bath = expm(A) c_pipette exactly (no steps).",
                    f"    Fluxes from {s['solver']}: {s['nfev']} evaluations,"
                    f" max |c(L) - c_bath| = {s['residual_mM']:.2g} mM",
                    "    Concentrations stay >= 0 across the junction (physical solution)",
                    f"    delta_phi = {s['delta_phi']:+.8f},  LJP = RT/F * delta_phi"
                    f" = {VT * s['delta_phi']:+.4f} mV",
                    f"    (Henderson differs by {report.henderson - VT * s['delta_phi']:+.4f} mV)",
                ),
            )
        )
        if "activity" in s:
            a = s["activity"]
            steps.append(
                Step(
                    "activity term",
                    "J_i = -D_i (dc_i/dx + c_i dln(gamma_i)/dx + z_i c_i dphi/dx)",
                    result=report.ljp,
                    unit="mV",
                    text=(
                        f"  With the activity term in the flux ({a['model']}, JLJP):",
                        "    J_i = -D_i (dc_i/dx + c_i dln(gamma_i)/dx + z_i c_i dphi/dx), "
                        "solved by",
                        f"    collocation ({a['solver']}): LJP = {report.ljp:+.4f} mV (ideal "
                        f"{a['ideal_ljp_mV']:+.4f} mV; the fluxes listed are the ideal ones)",
                    ),
                )
            )
    return Explanation(
        f"Liquid junction potential, {METHODS[report.method]}",
        steps,
        f"LJP = {report.ljp:+.2f} mV (bath relative to pipette; "
        "correct with V_m = V_measured - LJP)",
        value=report.ljp,
        unit="mV",
    )


# -- cells ------------------------------------------------------------------------------------
def explain_cell_report(report: CellReport, /) -> Explanation:
    r"""A cell's report step by step: each ion's E, the membrane potential, the verdicts.

    .. math:: E_i = \frac{RT}{z_i F}\ln\frac{c_{out,i}}{c_{in,i}}, \qquad
              \text{driving force} = V_m - E_i, \qquad
              W = |z F (V_m - E)| \text{ when active}

    Parameters
    ----------
    report : CellReport
        From :meth:`nernst.Cell.report`.

    Returns
    -------
    Explanation
        One step per ion and per quantity; the last line is ``V_m = ... mV``. [mV]

    See Also
    --------
    nernst.Cell.report : makes the report.
    explain_equilibrium_potential, explain_ghk_voltage : the two equations in detail.

    Notes
    -----
    The numbers are the report's own (computed by the physics functions); the logarithms
    shown use ``math.log`` for display.

    References
    ----------
    .. [1] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 14.

    Examples
    --------
    >>> import nernst
    >>> rep = nernst.Cell(c_in={"K+": 140}, c_out={"K+": 5}, permeability={"K+": 1}).report()
    >>> explain_cell_report(rep)[-1]
    'V_m = -89.1 mV (GHK resting potential)'
    """
    VT = float(thermal_voltage(celsius=report.celsius))
    steps = list(_constants_steps(report.celsius))
    for row in report.ions:
        ratio = row.c_out / row.c_in
        steps.append(
            Step(
                f"E({row.ion})",
                "E = (RT/zF) ln(c_out / c_in)",
                f"{VT:.4f} mV / {row.charge:+d} x ln({row.c_out:g} / {row.c_in:g})",
                row.E,
                "mV",
                (
                    f"  E({row.ion}) = {VT:.4f} mV / {row.charge:+d} x ln({row.c_out:g} / "
                    f"{row.c_in:g}) = {VT / row.charge:+.4f} x {math.log(ratio):+.6f} "
                    f"= {row.E:+.2f} mV",
                ),
            )
        )
        if row.E_activity is not None:
            steps.append(
                Step(
                    f"E_a({row.ion})",
                    "E_a = (RT/zF) ln(gamma_out c_out / gamma_in c_in)",
                    f"gamma_in = {row.gamma_in:.4g}, gamma_out = {row.gamma_out:.4g}",
                    row.E_activity,
                    "mV",
                    (
                        f"    with activities (gamma_in {row.gamma_in:.4g}, gamma_out "
                        f"{row.gamma_out:.4g}): E_a = {row.E_activity:+.2f} mV",
                    ),
                )
            )
    if report.v_rest_ghk is not None:
        steps.append(
            Step(
                "GHK resting potential",
                "V_rest = (RT/F) ln(sum P c_out / sum P c_in) (anions swapped)",
                result=report.v_rest_ghk,
                unit="mV",
                text=(
                    f"  GHK V_rest from the permeabilities = {report.v_rest_ghk:+.2f} mV"
                    + (
                        f" ({report.v_rest_ghk_activity:+.2f} mV from activities)"
                        if report.v_rest_ghk_activity is not None
                        else ""
                    ),
                ),
            )
        )
    source = "measured" if report.v_measured is not None else "GHK resting potential"
    steps.append(
        _say(
            f"  V_m used for driving forces and verdicts: {report.v_m:+.2f} mV ({source})",
            "membrane potential",
            result=report.v_m,
            unit="mV",
        )
    )
    for row in report.ions:
        E_used = row.E if row.E_activity is None else row.E_activity
        work = (
            f"; pumping it costs at least |z F (V_m - E)| = {row.pumping_work / 1e3:.2f} kJ/mol"
            if row.pumping_work
            else ""
        )
        steps.append(
            Step(
                f"driving force on {row.ion}",
                "V_m - E",
                f"{report.v_m:+.2f} - ({E_used:+.2f}) mV",
                row.driving_force,
                "mV",
                (
                    f"  {row.ion}: V_m - E = {row.driving_force:+.2f} mV, net flux {row.flux}, "
                    f"|zFE| = {row.stored_energy / 1e3:.2f} kJ/mol, {row.verdict}{work}",
                ),
            )
        )
    return Explanation(
        f"{report.title} at {report.celsius:g} degC (V = V_in - V_out):",
        steps,
        f"V_m = {report.v_m:+.1f} mV ({source})",
        value=report.v_m,
        unit="mV",
    )


def explain_transport_analysis(analysis: TransportAnalysis, /) -> Explanation:
    r"""A :class:`nernst.TransportAnalysis` step by step: predicted against measured c_in.

    .. math:: c_{in}^{Nernst} = c_{out}\, e^{-z F V_m / RT}

    Parameters
    ----------
    analysis : TransportAnalysis
        From :func:`nernst.transport_analysis`.

    Returns
    -------
    Explanation
        One step per ion; the last line lists the verdicts.

    See Also
    --------
    nernst.transport_analysis, nernst.equilibrium_internal_concentration

    Notes
    -----
    Every number is read from ``analysis``.

    References
    ----------
    .. [1] Higinbotham N., Etherton B., Foster R.J. (1967) Mineral ion contents and cell
       transmembrane electropotentials of pea and oat seedling tissue. Plant Physiol.
       42:37-46. https://doi.org/10.1104/pp.42.1.37

    Examples
    --------
    >>> import nernst
    >>> a = nernst.transport_analysis(v_m=-110, c_in={"K+": 75}, c_out={"K+": 1})
    >>> explain_transport_analysis(a)[-1]
    'K+: active uptake'
    """
    VT = float(thermal_voltage(celsius=analysis.celsius))
    steps = [
        _say(
            f"  V_m = {analysis.v_m:+g} mV, T = {analysis.celsius:g} degC, RT/F = {VT:.4f} mV",
            "conditions",
        )
    ]
    for row in analysis.ions:
        steps.append(
            Step(
                f"{row.ion} predicted inside",
                "c_in = c_out exp(-z F V_m / RT)",
                f"{row.c_out:g} x exp({-row.charge * analysis.v_m / VT:+.4f})",
                row.c_in_predicted,
                "mM",
                (
                    f"  {row.ion}: Nernst c_in = {row.c_out:g} x exp({-row.charge:+d} x "
                    f"{analysis.v_m:+g} / {VT:.4f}) = {row.c_in_predicted:.4g} mM; measured "
                    f"{row.c_in:.4g} mM, ratio {row.ratio:.3g}, V_m - E = "
                    f"{row.driving_force:+.1f} mV: {row.verdict}",
                ),
            )
        )
    return Explanation(
        "Measured against Nernst-predicted internal concentrations (V = V_in - V_out):",
        steps,
        "; ".join(f"{row.ion}: {row.verdict}" for row in analysis.ions),
    )


# -- dynamics ---------------------------------------------------------------------------------
def explain_simulation(sim: Simulation, /) -> Explanation:
    r"""What a :class:`nernst.Simulation` solved and what it found, step by step.

    .. math:: C \frac{dV}{dt} = -\sum_i I_i^{GHK}(V, c_i) - I_{pump}, \qquad
              \frac{dn_i}{dt} = -A\, J_i

    Parameters
    ----------
    sim : Simulation
        From :func:`nernst.simulate`.

    Returns
    -------
    Explanation
        The last line is the final membrane potential. [mV]

    See Also
    --------
    nernst.simulate, explain_steady_state

    Notes
    -----
    Every number is read from ``sim``.

    References
    ----------
    .. [1] Keener J., Sneyd J. (2009) Mathematical Physiology I, 2nd ed., Springer, ch. 2.
       https://doi.org/10.1007/978-0-387-75847-3

    Examples
    --------
    >>> import nernst
    >>> cell = nernst.Cell(c_in={"K+": 140}, c_out={"K+": 5}, permeability={"K+": 1})
    >>> explain_simulation(nernst.simulate(cell, until=0.01)).steps[0].title
    'model'
    """
    t_end = float(sim.t[-1])
    V = _get(sim, "v_m", "V")
    steps = [
        _say(
            f"  model {sim.model!r}: C dV/dt = -(sum of GHK currents + pump current), "
            "each ion's content changing by its flux",
            "model",
        ),
        Step(
            "initial potential",
            "V(0)",
            result=float(V[0]),
            unit="mV",
            text=(f"  V(0) = {float(V[0]):+.2f} mV at {sim.celsius:g} degC",),
        ),
        Step(
            "membrane time constant",
            "tau = C / g_slope",
            result=sim.tau_membrane,
            unit="ms",
            text=(f"  membrane time constant tau = C / g = {sim.tau_membrane:.4g} ms",),
        ),
    ]
    if sim.target is not None:
        reached = (
            f"first within {sim.tolerance:g} mV at t = {sim.t_target:.4g} s"
            if sim.t_target is not None
            else "not reached"
        )
        steps.append(
            Step(
                "target",
                "|V - target| < tolerance",
                result=sim.t_target,
                unit="s",
                text=(f"  target {sim.target:+.2f} mV: {reached}",),
            )
        )
    for ion in sim.ions:
        steps.append(
            Step(
                f"{ion} inside",
                "c_in(t_end)",
                result=float(sim.c_in[ion][-1]),
                unit="mM",
                text=(
                    f"  {ion}: c_in {float(sim.c_in[ion][0]):.5g} -> "
                    f"{float(sim.c_in[ion][-1]):.5g} mM",
                ),
            )
        )
    return Explanation(
        "Time course of the cell (V = V_in - V_out):",
        steps,
        f"V({t_end:g} s) = {float(V[-1]):+.2f} mV",
        value=float(V[-1]),
        unit="mV",
    )


def explain_steady_state(state: PumpLeakSteadyState, /) -> Explanation:
    r"""A :class:`nernst.PumpLeakSteadyState` step by step.

    .. math:: J_i^{GHK}(V, c_i) + J_i^{pump} = 0 \text{ for every permeant ion}, \qquad
              \sum_i z_i c_i + z_X [X] = 0

    Parameters
    ----------
    state : PumpLeakSteadyState
        From :func:`nernst.pump_leak_steady_state`.

    Returns
    -------
    Explanation
        The last line is the steady-state potential. [mV]

    See Also
    --------
    nernst.pump_leak_steady_state, explain_simulation

    Notes
    -----
    Every number is read from ``state``.

    References
    ----------
    .. [1] Keener J., Sneyd J. (2009) Mathematical Physiology I, 2nd ed., Springer, ch. 2.
       https://doi.org/10.1007/978-0-387-75847-3

    Examples
    --------
    >>> import nernst
    >>> ss = nernst.pump_leak_steady_state(nernst.Cell.preset())
    >>> explain_steady_state(ss)[-1].startswith("V = ")
    True
    """
    V = float(_get(state, "v_m", "V"))
    # The unit of the pump current is the one the result states in its own dictionary keys.
    keys = [k for k in state.to_dict() if k.startswith("pump_current_")]
    unit = keys[0].removeprefix("pump_current_").replace("_cm2", "/cm^2") if keys else ""
    steps = [
        _say(
            "  steady state: each permeant ion's passive (GHK) flux balances its pump flux; "
            "the inside stays electroneutral",
            "conditions",
        ),
        Step(
            "pump current",
            "I_pump",
            result=state.pump_current_mA_cm2,
            unit=unit,
            text=(
                f"  pump current {state.pump_current_mA_cm2:.4g} of at most "
                f"{state.pump_max_mA_cm2:.4g} {unit}",
            ),
        ),
        Step(
            "volume",
            "W / W_0",
            result=state.volume_ratio,
            text=(
                f"  volume {state.volume:.4g} um^3 ({state.volume_ratio:.4g} x the cell as given)",
            ),
        ),
        Step(
            "impermeant solute",
            "[X]",
            result=state.impermeant,
            unit="mM",
            text=(
                f"  impermeant solute {state.impermeant:.4g} mM, valence "
                f"{state.impermeant_valence:+g}",
            ),
        ),
        *(
            Step(
                f"{ion} inside",
                "c_in",
                result=c,
                unit="mM",
                text=(f"  {ion}: {c:.5g} mM inside, {state.c_out[ion]:.5g} mM outside",),
            )
            for ion, c in state.c_in.items()
        ),
    ]
    return Explanation(
        f"Pump-leak steady state ({state.method}; V = V_in - V_out):",
        steps,
        f"V = {V:+.2f} mV",
        value=V,
        unit="mV",
    )


_EXPLAINERS: dict[str, Callable[[Any], Explanation]] = {
    "CellReport": explain_cell_report,
    "DonnanResult": explain_donnan,
    "JunctionReport": explain_junction,
    "PermeabilityFit": explain_permeability_fit,
    "PumpLeakSteadyState": explain_steady_state,
    "Simulation": explain_simulation,
    "TransportAnalysis": explain_transport_analysis,
}


def explain_result(result: Any, /) -> Explanation:
    """The step-by-step explanation of any nernst result object (what ``.explain()`` calls).

    Parameters
    ----------
    result : result object
        A CellReport, DonnanResult, JunctionReport, PermeabilityFit, PumpLeakSteadyState,
        Simulation or TransportAnalysis.

    Returns
    -------
    Explanation

    Raises
    ------
    TypeError
        ``result`` is not one of those.

    See Also
    --------
    Explanation : the structure returned.

    Examples
    --------
    >>> import nernst
    >>> res = nernst.donnan_equilibrium(c_out={"K+": 100, "Cl-": 100}, fixed_charge=50)
    >>> explain_result(res) == res.explain()
    True
    """
    for cls in type(result).__mro__:
        if cls.__name__ in _EXPLAINERS:
            return _EXPLAINERS[cls.__name__](result)
    raise TypeError(
        f"no explanation for {type(result).__name__}; explain() knows "
        f"{', '.join(sorted(_EXPLAINERS))}"
    )
