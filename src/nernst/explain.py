"""Step-by-step explanations of a result, in the seed chapter's notation.

Each function recomputes nothing of its own: it calls the public physics functions for every
number it shows, so the explanation and the answer cannot disagree. It returns a list of
lines (plain text) for the CLI, the web app or a notebook to render.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from nernst.constants import FARADAY, GAS_CONSTANT, kelvin, thermal_voltage
from nernst.ghk import ghk_voltage, ion_axis_inputs, quadratic_coefficients
from nernst.ions import ions, valence
from nernst.nernst import equilibrium_potential

__all__ = ["explain_equilibrium_potential", "explain_ghk_voltage"]


def _constants_lines(celsius: float) -> list[str]:
    T = float(kelvin(celsius))
    return [
        f"  R = {GAS_CONSTANT:.9g} J/(mol K), F = {FARADAY:.10g} C/mol (CODATA 2018, exact)",
        f"  T = {celsius:g} degC + 273.15 = {T:.2f} K",
        f"  RT/F = {float(thermal_voltage(celsius=celsius)):.4f} mV  (the thermal voltage)",
    ]


def explain_equilibrium_potential(
    ion: str | int,
    *,
    c_in: float,
    c_out: float,
    celsius: float = 37.0,
    gamma_in: float = 1.0,
    gamma_out: float = 1.0,
) -> list[str]:
    """The Nernst equation for one ion, with the numbers substituted, step by step.

    Parameters are those of :func:`nernst.equilibrium_potential`; the last line holds the
    result, ``E(ion) = ... mV``.
    """
    E = float(
        equilibrium_potential(
            ion, c_in=c_in, c_out=c_out, celsius=celsius, gamma_in=gamma_in, gamma_out=gamma_out
        )
    )
    z = int(valence(ion))
    label = ions[ion].symbol if isinstance(ion, str) else f"z={z:+d}"
    VT = float(thermal_voltage(celsius=celsius))
    activity = gamma_in != 1.0 or gamma_out != 1.0
    a_in, a_out = gamma_in * c_in, gamma_out * c_out
    lines = [
        "Nernst equation (E = V_in - V_out, the inside relative to the outside):",
        "  E = (RT / zF) ln(a_out / a_in),  a = gamma [ion]"
        if activity
        else "  E = (RT / zF) ln([ion]_out / [ion]_in)",
        *_constants_lines(celsius),
        f"  z = {z:+d} ({label})",
        f"  RT/(zF) = {VT:.4f} mV / {z:+d} = {VT / z:+.4f} mV",
    ]
    if activity:
        lines += [
            f"  a_out = {gamma_out:g} x {c_out:g} mM = {a_out:.6g} mM",
            f"  a_in  = {gamma_in:g} x {c_in:g} mM = {a_in:.6g} mM",
        ]
    ratio = a_out / a_in
    lines += [
        f"  ratio out/in = {a_out:g} / {a_in:g} = {ratio:.6g}",
        f"  ln({ratio:.6g}) = {math.log(ratio):+.6f}",
        f"  E = {VT / z:+.4f} mV x {math.log(ratio):+.6f} = {E:+.2f} mV",
        f"E({label}) = {E:+.1f} mV",
    ]
    return lines


def explain_ghk_voltage(
    permeability: Mapping[str, float],
    *,
    c_in: Mapping[str, float],
    c_out: Mapping[str, float],
    celsius: float = 37.0,
) -> list[str]:
    """The GHK voltage equation with the numbers substituted, step by step.

    Monovalent ions only: the seed chapter's form, anions with inside and outside swapped.
    With divalent ions: the quadratic in x = exp(-FV/RT) that nernst solves in closed form.
    The last line holds the result, ``V_rest = ... mV``.
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
    lines = ["Goldman-Hodgkin-Katz voltage equation (V = V_in - V_out):"]
    if all(abs(q) == 1 for *_, q in rows):
        num_terms = [f"{p:g} x {o if q > 0 else i:g}" for _, p, i, o, q in rows]
        den_terms = [f"{p:g} x {i if q > 0 else o:g}" for _, p, i, o, q in rows]
        lines += [
            "  V = (RT/F) ln( (sum P[cation]_out + sum P[anion]_in) / "
            "(sum P[cation]_in + sum P[anion]_out) )",
            "  (for anions the inside and outside concentrations are swapped)",
            *_constants_lines(celsius),
            f"  numerator   = {' + '.join(num_terms)} = {B:.6g}",
            f"  denominator = {' + '.join(den_terms)} = {A:.6g}",
            f"  ratio = {B / A:.6g}, ln(ratio) = {math.log(B / A):+.6f}",
            f"  V = {VT:.4f} mV x {math.log(B / A):+.6f} = {V:+.2f} mV",
        ]
    else:
        lines += [
            "  With divalent ions the zero-current condition is a quadratic in x = exp(-FV/RT):",
            "  (B + D) x^2 - (A - B) x - (A + C) = 0, V = -(RT/F) ln x, where",
            "  A = sum P c_in (z=+1) + sum P c_out (z=-1),  B = sum P c_out (z=+1) + "
            "sum P c_in (z=-1)",
            "  C = 4 (sum P c_in (z=+2) + sum P c_out (z=-2)),  D = 4 (sum P c_out (z=+2) + "
            "sum P c_in (z=-2))",
            *_constants_lines(celsius),
        ]
        if any(abs(q) > 2 for *_, q in rows):
            lines.append(
                "  valences beyond +-2: the total GHK current (monotonic in V) is zeroed "
                "with a bracketing root finder between the lowest and highest E"
            )
        else:
            x = math.exp(-V / VT)
            lines += [
                f"  A = {A:.6g}, B = {B:.6g}, C = {C:.6g}, D = {D:.6g}",
                f"  positive root x = {x:.6g}",
                f"  V = -{VT:.4f} mV x ln({x:.6g}) = {V:+.2f} mV",
            ]
    lines.append(f"V_rest = {V:+.1f} mV")
    return lines
