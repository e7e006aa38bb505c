"""Hands-on problems in cellular electrophysiology, with checked solutions.

Each :class:`Problem` states a question in the style of the seed chapter, the answer printed by
the textbook or paper it cites (never a number obtained by running ``nernst``), the tolerance
implied by the digits printed there, and a solution: a Python snippet that uses only
``import nernst`` and assigns ``answer``. ``docs/_generate.py`` renders them into
``docs/generated/problems.rst``; ``tests/test_problems.py`` runs every snippet and checks
``answer`` against the published value.

Conventions (the library's): V = V_in - V_out in mV, concentrations in mM, energies in J/mol,
liquid junction potentials V_bath - V_pipette (Barry's convention).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PROBLEMS", "Problem"]


@dataclass(frozen=True)
class Problem:
    """One hands-on problem.

    Attributes
    ----------
    id : str
        Short unique identifier (used for labels and test ids).
    title : str
        One-line title.
    statement : str
        The question, in reStructuredText (``:math:`` allowed).
    source : str
        Citation for the published answer.
    answer : float
        The published answer, in ``unit``.
    unit : str
        Unit of ``answer`` (plain text).
    tolerance : float
        Absolute tolerance implied by the printed digits (or stated in ``note``).
    code : str
        Solution snippet: only ``import nernst``; assigns ``answer``.
    printed : str
        The answer as the source prints it.
    note : str
        Remarks on constants, rounding or the tolerance (reStructuredText).
    """

    id: str
    title: str
    statement: str
    source: str
    answer: float
    unit: str
    tolerance: float
    code: str
    printed: str = ""
    note: str = ""


SEED = (
    'Seed chapter, "Principles and Mechanisms" (the equilibrium-potential chapter that '
    "nernst implements)"
)
HILLE = "Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, Table 1.1"
NEURON = (
    "Hines M.L. & Carnevale N.T., NEURON simulator regression values for nernst() and ghk() "
    "(CODATA 2018 constants since NEURON 8)"
)
NG_BARRY = (
    "Ng B. & Barry P.H. (1995) The measurement of ionic conductivities and mobilities of certain "
    "less common organic ions needed for junction potential corrections in electrophysiology. "
    "J. Neurosci. Methods 56:37-41, Table 2"
)
TAIZ = (
    "Taiz L. & Zeiger E., Plant Physiology, Table 6.1 (pea root data of Higinbotham, Etherton "
    "& Foster (1967) Plant Physiol. 42:37-46)"
)

HH52 = (
    "Hodgkin A.L., Huxley A.F. (1952) A quantitative description of membrane current and its "
    "application to conduction and excitation in nerve. J. Physiol. 117:500-544, "
    "doi:10.1113/jphysiol.1952.sp004764"
)
PURVES = "Purves D. et al. Neuroscience, ch. 2 and Table 2.1 (squid giant axon)"

PROBLEMS: list[Problem] = [
    Problem(
        id="seed-thermal-voltage",
        title="The thermal voltage at body temperature",
        statement=(
            "Tables for mammalian physiology often pre-compute :math:`RT/F` at "
            "37.0 °C (310.15 K). One such table prints 26.71 mV. Compute :math:`RT/F` with "
            "the rounded constants :math:`R = 8.31` J/(mol K) and :math:`F = 96\\,485` C/mol "
            "and confirm that this is the value of *R* the table used."
        ),
        source=SEED + ', "The Nernst Equation: A Quantitative Description".',
        answer=26.71,
        unit="mV",
        tolerance=0.005,
        printed="26.71 mV",
        code="""\
import nernst

answer = nernst.thermal_voltage(celsius=37.0, R=8.31, F=96485)
print(f"with CODATA 2018 constants: {nernst.thermal_voltage(celsius=37.0):.4f} mV")
""",
        note="With the exact CODATA 2018 constants the same quantity is 26.7267 mV.",
    ),
    Problem(
        id="seed-extremophile",
        title="An extremophile in a salt lake",
        statement=(
            "An extremophilic bacterium keeps 7.5 mM of a cation :math:`Z^+` in its cytoplasm "
            "while living in 450 mM of it. What is the equilibrium potential of :math:`Z^+` "
            "at 37 °C?"
        ),
        source=SEED + ', "The Concentration Ratio".',
        answer=109.0,
        unit="mV",
        tolerance=0.5,
        printed="approximately +109 mV",
        code="""\
import nernst

answer = nernst.equilibrium_potential(1, c_in=7.5, c_out=450, celsius=37)
""",
    ),
    Problem(
        id="seed-no-gradient",
        title="No gradient, no potential",
        statement=(
            "A membrane permeable only to :math:`K^+` separates two solutions of 42 mM "
            ":math:`K^+` each. What is :math:`E_K` at 37 °C?"
        ),
        source=SEED + ', "The Concentration Ratio".',
        answer=0.0,
        unit="mV",
        tolerance=1e-12,
        printed="exactly 0 mV",
        code="""\
import nernst

answer = nernst.equilibrium_potential("K+", c_in=42.0, c_out=42.0, celsius=37)
""",
    ),
    Problem(
        id="seed-valence",
        title="Same ratio, opposite sign",
        statement=(
            "In a neuron the :math:`K^+` gradient gives :math:`E_K = -90` mV at 37 °C. An "
            "experimenter sets up a :math:`Cl^-` gradient with numerically the same ratio "
            ":math:`[ion]_{out}/[ion]_{in}`. What is :math:`E_{Cl}`? (Find a :math:`K^+` "
            "gradient that gives -90 mV, then apply the same concentrations to :math:`Cl^-`.)"
        ),
        source=SEED + ', "The Ionic Valence (z)".',
        answer=90.0,
        unit="mV",
        tolerance=0.5,
        printed="+90 mV",
        code="""\
import nernst

# the internal K+ that is in equilibrium with 4 mM outside at -90 mV
k_in = nernst.equilibrium_internal_concentration("K+", v_m=-90, c_out=4.0, celsius=37)
print(f"[K+]in = {k_in:.1f} mM for E_K = -90 mV")
answer = nernst.equilibrium_potential("Cl-", c_in=k_in, c_out=4.0, celsius=37)
""",
    ),
    Problem(
        id="seed-convention",
        title="Which side is inside?",
        statement=(
            "A synthetic membrane separates compartment A (12 mM :math:`I^+`) from "
            "compartment B (120 mM). Compute :math:`E_1` taking A as inside, then "
            ":math:`E_2` taking B as inside. What is the ratio :math:`E_2 / E_1`?"
        ),
        source=SEED + ', "The Definitional Convention" (E2 = -E1).',
        answer=-1.0,
        unit="ratio",
        tolerance=1e-12,
        printed="E2 = -E1",
        code="""\
import nernst

E1 = nernst.equilibrium_potential(1, c_in=12.0, c_out=120.0)
E2 = nernst.equilibrium_potential(1, c_in=120.0, c_out=12.0)
print(f"E1 = {E1:+.2f} mV, E2 = {E2:+.2f} mV")
answer = E2 / E1
""",
    ),
    Problem(
        id="seed-liposome",
        title="Loading a liposome with potassium",
        statement=(
            "What is the minimum work needed to move one mole of :math:`K^+` from a 5.0 mM "
            "external solution into an artificial liposome that holds 140.0 mM, at 37 °C, "
            "with no electrical field across the membrane?"
        ),
        source=SEED + ', "Equilibrium Potentials and Bioenergetics".',
        answer=8.59e3,
        unit="J/mol",
        tolerance=5.0,
        printed="approximately 8.59 × 10³ J/mol",
        code="""\
import nernst

answer = nernst.transport_free_energy("K+", c_from=5.0, c_to=140.0, celsius=37)
""",
    ),
    Problem(
        id="seed-stored-energy",
        title="Energy stored in the neuronal potassium gradient",
        statement=(
            "A neuron holds 145 mM :math:`K^+` inside and 4.0 mM outside at 310 K. How much "
            "electrical potential energy per mole, :math:`|zFE_K|`, does this gradient store?"
        ),
        source=SEED + ', "Equilibrium Potentials and Bioenergetics".',
        answer=9.25e3,
        unit="J/mol",
        tolerance=5.0,
        printed="approximately 9.25 × 10³ J/mol",
        code="""\
import nernst

celsius = 310 - 273.15
E_K = nernst.equilibrium_potential("K+", c_in=145, c_out=4.0, celsius=celsius)
print(f"E_K = {E_K:.2f} mV; |zFE| = {abs(nernst.constants.FARADAY * E_K * 1e-3):.1f} J/mol")
answer = nernst.stored_energy("K+", c_in=145, c_out=4.0, celsius=celsius)
""",
    ),
    Problem(
        id="seed-activity",
        title="Correcting E_K for activity",
        statement=(
            "Inside a cell the activity coefficient of :math:`K^+` is "
            ":math:`\\gamma_{in} = 0.75`, outside :math:`\\gamma_{out} = 0.96`. By how much "
            "does the activity-based :math:`E_K` differ from the concentration-based one at "
            "37 °C (140 mM inside, 5 mM outside)?"
        ),
        source=SEED + ', "Non-Ideal Solutions: Ionic Activity".',
        answer=6.60,
        unit="mV",
        tolerance=0.005,
        printed="approximately 6.60 mV more positive",
        code="""\
import nernst

plain = nernst.equilibrium_potential("K+", c_in=140, c_out=5, celsius=37)
active = nernst.equilibrium_potential(
    "K+", c_in=140, c_out=5, celsius=37, gamma_in=0.75, gamma_out=0.96
)
print(f"concentrations: {plain:.2f} mV, activities: {active:.2f} mV")
answer = active - plain
""",
        note="The shift is :math:`(RT/F)\\ln(0.96/0.75)`, independent of the concentrations.",
    ),
    Problem(
        id="seed-ghk-ek",
        title="The Nernst estimate of a resting potential",
        statement=(
            "A mammalian neuron at 37 °C has :math:`K^+` 140 mM inside and 5 mM outside. "
            "Estimate its resting potential with the Nernst equation for :math:`K^+` alone."
        ),
        source=SEED + ', "Permeability to Multiple Ions".',
        answer=-89.1,
        unit="mV",
        tolerance=0.05,
        printed="approximately -89.1 mV",
        code="""\
import nernst

answer = nernst.equilibrium_potential("K+", c_in=140, c_out=5, celsius=37)
""",
        note=(
            "The chapter gives no concentrations; 140/5 mM (and, below, Na+ 10/145, Cl- "
            "10/110 mM) are the values of nernst's ``mammalian-neuron`` preset, which "
            "reproduce both printed numbers."
        ),
    ),
    Problem(
        id="seed-ghk-vm",
        title="The GHK resting potential",
        statement=(
            "The same neuron (:math:`K^+` 140/5, :math:`Na^+` 10/145, :math:`Cl^-` 10/110 mM "
            "inside/outside, 37 °C) has relative permeabilities "
            ":math:`P_K : P_{Na} : P_{Cl} = 1 : 0.04 : 0.45`. What resting potential does the "
            "Goldman-Hodgkin-Katz equation predict?"
        ),
        source=SEED + ', "Permeability to Multiple Ions".',
        answer=-67.3,
        unit="mV",
        tolerance=0.05,
        printed="about -67.3 mV",
        code="""\
import nernst

answer = nernst.ghk_voltage(
    {"K+": 1, "Na+": 0.04, "Cl-": 0.45},
    c_in={"K+": 140, "Na+": 10, "Cl-": 10},
    c_out={"K+": 5, "Na+": 145, "Cl-": 110},
    celsius=37,
)
""",
    ),
    Problem(
        id="seed-ghk-error",
        title="How wrong is the single-ion estimate?",
        statement=(
            "For the neuron of the two previous problems, by how many millivolts does the GHK "
            "resting potential lie above the Nernst estimate :math:`E_K`? Use the library's "
            "``Cell`` preset for the neuron."
        ),
        source=SEED + ', "Permeability to Multiple Ions": -67.3 - (-89.1) mV, "more than 21 mV".',
        answer=21.8,
        unit="mV",
        tolerance=0.1,
        printed="-67.3 mV vs -89.1 mV: more than 21 mV",
        code="""\
import nernst

cell = nernst.Cell.preset("mammalian-neuron")
V = cell.resting_potential()
E_K = cell.equilibrium_potentials()["K+"]
print(f"V_rest = {V:.2f} mV, E_K = {E_K:.2f} mV")
answer = V - E_K
""",
        note="Tolerance 0.1 mV: the difference of two values each printed to 0.1 mV.",
    ),
    Problem(
        id="hille-frog-ek",
        title="Potassium in frog muscle",
        statement=(
            "Frog skeletal muscle contains 124 mM :math:`K^+`; frog plasma 2.25 mM. What is "
            ":math:`E_K` at 20 °C?"
        ),
        source=HILLE + " (frog muscle).",
        answer=-101.0,
        unit="mV",
        tolerance=0.5,
        printed="-101 mV",
        code="""\
import nernst

answer = nernst.equilibrium_potential("K+", c_in=124, c_out=2.25, celsius=20)
""",
    ),
    Problem(
        id="hille-mammal-ena",
        title="Sodium in mammalian skeletal muscle",
        statement=(
            "Mammalian skeletal muscle: :math:`Na^+` 12 mM inside, 145 mM outside. What is "
            ":math:`E_{Na}` at 37 °C?"
        ),
        source=HILLE + " (mammalian skeletal muscle).",
        answer=67.0,
        unit="mV",
        tolerance=0.5,
        printed="+67 mV",
        code="""\
import nernst

answer = nernst.equilibrium_potential("Na+", c_in=12, c_out=145, celsius=37)
""",
    ),
    Problem(
        id="hille-mammal-ek",
        title="Potassium in mammalian skeletal muscle",
        statement=(
            "Mammalian skeletal muscle: :math:`K^+` 155 mM inside, 4 mM outside. What is "
            ":math:`E_K` at 37 °C?"
        ),
        source=HILLE + " (mammalian skeletal muscle).",
        answer=-98.0,
        unit="mV",
        tolerance=0.5,
        printed="-98 mV",
        code="""\
import nernst

answer = nernst.equilibrium_potential("K+", c_in=155, c_out=4, celsius=37)
""",
    ),
    Problem(
        id="neuron-nernst-na",
        title="NEURON's sodium reversal potential at 6.3 °C",
        statement=(
            "Hodgkin and Huxley's squid experiments ran at 6.3 °C, NEURON's default "
            "temperature. With :math:`Na^+` 10 mM inside and 140 mM outside, what is "
            ":math:`E_{Na}`? Compare with ``h.nernst(10, 140, 1)`` in NEURON."
        ),
        source=NEURON + ": h.celsius = 6.3; h.nernst(10, 140, 1) = 63.551503219374858 mV.",
        answer=63.551503219374858,
        unit="mV",
        tolerance=1e-10,
        printed="63.551503219374858 mV",
        code="""\
import nernst

answer = nernst.equilibrium_potential("Na+", c_in=10, c_out=140, celsius=6.3)
""",
        note="Both use CODATA 2018 constants, so they agree to round-off (tolerance 1e-10 mV).",
    ),
    Problem(
        id="neuron-ghk-ca",
        title="A calcium GHK current, NEURON's regression value",
        statement=(
            "At 6.3 °C and -50 mV, with :math:`Ca^{2+}` 0.001 mM inside and 10 mM outside, "
            "what is the GHK current per unit permeability (mA/cm² per cm/s)? NEURON's "
            "``ghk(-50, 0.001, 10, 2)`` computes the same quantity."
        ),
        source=NEURON + ": h.celsius = 6.3; h.ghk(-50, 0.001, 10, 2) = -8141.3474521410844.",
        answer=-8141.3474521410844,
        unit="mA/cm² per cm/s",
        tolerance=1e-8,
        printed="-8141.3474521410844",
        code="""\
import nernst

answer = nernst.ghk_current(
    -50, "Ca2+", permeability=1.0, c_in=0.001, c_out=10, celsius=6.3
)
""",
        note="Negative: inward current (positive charge entering the cell).",
    ),
    Problem(
        id="lehninger-atp",
        title="The free energy of ATP hydrolysis in a red cell",
        statement=(
            "In human erythrocytes [ATP] = 2.25 mM, [ADP] = 0.25 mM and [Pi] = 1.65 mM. With "
            ":math:`\\Delta G'^\\circ = -30.5` kJ/mol, what is the actual free energy of ATP "
            "hydrolysis, :math:`\\Delta G_p`, at 37 °C (in kJ/mol)?"
        ),
        source=(
            "Nelson D.L. & Cox M.M., Lehninger Principles of Biochemistry, 5th ed. (2008), "
            'ch. 13, worked example "Calculation of ΔG_p" (Table 13-5 concentrations).'
        ),
        answer=-52.0,
        unit="kJ/mol",
        tolerance=1.0,
        printed="-52 kJ/mol",
        code="""\
import nernst

dG = nernst.atp_hydrolysis_free_energy(atp=2.25, adp=0.25, pi=1.65, celsius=37)
answer = dG / 1000
""",
        note=(
            "The book adds -30.5 and a term rounded to -22 kJ/mol; tolerance 1 kJ/mol covers "
            "the two roundings (the unrounded sum is -52.7 kJ/mol)."
        ),
    ),
    Problem(
        id="ng-barry-nacl-kcl",
        title="Junction potential between NaCl and KCl",
        statement=(
            "A pipette filled with 50 mM NaCl is dipped in a bath of 50 mM KCl at 25 °C. What "
            "liquid junction potential (bath relative to pipette) develops at the tip?"
        ),
        source=NG_BARRY + ": 50 NaCl | 50 KCl.",
        answer=-4.3,
        unit="mV",
        tolerance=0.5,
        printed="-4.3 mV",
        code="""\
import nernst

answer = nernst.liquid_junction_potential(
    {"Na+": 50, "Cl-": 50}, {"K+": 50, "Cl-": 50}, celsius=25
)
""",
        note=(
            "Measured values printed to 0.1 mV; the paper's calculation used activities, "
            "nernst uses concentrations, hence the 0.5 mV tolerance (as in LJPcalc and JLJP)."
        ),
    ),
    Problem(
        id="ng-barry-nacl-mgcl2",
        title="Junction potential with a divalent cation",
        statement=(
            "Pipette: 100 mM NaCl. Bath: 100 mM MgCl\\ :sub:`2`. What is the liquid junction "
            "potential at 25 °C (bath relative to pipette)?"
        ),
        source=NG_BARRY + ": 100 NaCl | 100 MgCl2.",
        answer=10.0,
        unit="mV",
        tolerance=0.5,
        printed="+10.0 mV",
        code="""\
import nernst

bath = nernst.solution_from_salts({"MgCl2": 100})
print("bath:", bath)
answer = nernst.liquid_junction_potential({"Na+": 100, "Cl-": 100}, bath, celsius=25)
""",
    ),
    Problem(
        id="harper-hcl",
        title="A hydrochloric acid concentration cell",
        statement=(
            "0.1 M HCl (pipette side) meets 0.00345 M HCl at 25 °C. What is the junction "
            "potential (second solution relative to the first)? Why is it so large?"
        ),
        source=(
            "Harper H.W. (1985) Calculation of liquid junction potentials. J. Phys. Chem. "
            "89:1659-1664, Table I."
        ),
        answer=55.5,
        unit="mV",
        tolerance=0.05,
        printed="55.5 mV",
        code="""\
import nernst

answer = nernst.liquid_junction_potential(
    {"H+": 100, "Cl-": 100}, {"H+": 3.45, "Cl-": 3.45}, celsius=25
)
""",
        note="H+ is about five times as mobile as Cl-, so the dilute side charges positive.",
    ),
    Problem(
        id="figl-patch-correction",
        title="Correcting a whole-cell recording for the junction potential",
        statement=(
            "A whole-cell recording uses a K-gluconate internal (K+ 145, Na+ 13, Mg2+ 1, "
            "HEPES 5, gluconate 145, Cl- 10 mM) in a HEPES-buffered saline (K+ 2.8, Na+ 145, "
            "Mg2+ 2, Ca2+ 1, HEPES 5, Cl- 148.8 mM) at 20 °C. The amplifier, zeroed in the "
            "bath, reads -48.13 mV. What is the true membrane potential?"
        ),
        source=(
            "Figl A., Lewis C. & Barry P.H. (2003) AxoBits 39:8 (the solutions); the worked "
            "correction as in LJPcalc's documentation (github.com/swharden/LJPcalc): "
            "-48.13 mV read, -64.18 mV true."
        ),
        answer=-64.18,
        unit="mV",
        tolerance=0.02,
        printed="-64.18 mV",
        code="""\
import nernst

pipette = nernst.recording_solution("k-gluconate-internal")
bath = nernst.recording_solution("hepes-saline")
ljp = nernst.liquid_junction_potential(pipette, bath, celsius=20)
print(f"LJP = {ljp:+.2f} mV")
answer = -48.13 - ljp
""",
        note=(
            "V_m = V_measured - LJP. nernst's mobility table differs from LJPcalc's in the "
            "fourth digit: tolerance 0.02 mV."
        ),
    ),
    Problem(
        id="figl-henderson",
        title="The same junction by the Henderson equation",
        statement=(
            "Repeat the previous junction (K-gluconate internal against HEPES saline, 20 °C) "
            "with the generalised Henderson equation that Barry's JPCalc uses."
        ),
        source="Figl A., Lewis C. & Barry P.H. (2003) AxoBits 39:8 (JPCalc): +15.6 mV.",
        answer=15.6,
        unit="mV",
        tolerance=0.05,
        printed="+15.6 mV",
        code="""\
import nernst

answer = nernst.liquid_junction_potential(
    "k-gluconate-internal", "hepes-saline", method="henderson", celsius=20
)
""",
    ),
    Problem(
        id="jljp-zinc",
        title="A zinc junction where Henderson fails",
        statement=(
            "Pipette: ZnCl\\ :sub:`2` 9 mM. Bath: Zn2+ 0.0284, K+ 3, Cl- 3.0568 mM. Solve the "
            "stationary Nernst-Planck equations for the junction potential at 25 °C."
        ),
        source=(
            "Marino M., Misuri L. & Brogioli D. (2014), JLJP (stationary Nernst-Planck "
            "junction-potential program): its GUI example, as in JLJP's CalculationTest "
            "(allowable difference 0.01 mV)."
        ),
        answer=-20.82,
        unit="mV",
        tolerance=0.01,
        printed="-20.82 mV",
        code="""\
import nernst

pipette = {"Zn2+": 9, "Cl-": 18}
bath = {"Zn2+": 0.0284, "K+": 3, "Cl-": 3.0568}
henderson = nernst.liquid_junction_potential(pipette, bath, method="henderson", celsius=25)
print(f"Henderson: {henderson:+.2f} mV")
answer = nernst.liquid_junction_potential(pipette, bath, celsius=25)
""",
    ),
    Problem(
        id="taiz-pea-k",
        title="Is potassium at equilibrium in a pea root?",
        statement=(
            "Pea root cells sit at :math:`V_m = -110` mV in a nutrient solution with 1 mM "
            ":math:`K^+`. What internal :math:`K^+` would be in equilibrium? (The table uses "
            "59 mV per tenfold change.) The measured value is 75 mM: is :math:`K^+` passive?"
        ),
        source=TAIZ + ": K+ predicted 74 mM (observed 75 mM).",
        answer=74.0,
        unit="mM",
        tolerance=0.9,
        printed="74 mM",
        code="""\
import nernst

# the temperature at which the Nernst slope is 59.00 mV per decade
slope_25 = nernst.equilibrium_potential(1, c_in=1, c_out=10, celsius=25)
celsius = 298.15 * 59.0 / slope_25 - 273.15
print(f"59 mV/decade at {celsius:.2f} C")
answer = nernst.equilibrium_internal_concentration("K+", v_m=-110, c_out=1.0, celsius=celsius)
""",
        note=(
            "At 59 mV/decade the factor is :math:`10^{110/59} = 73.2`; the table rounds it to "
            "74 (its anion rows imply 73.5), so the tolerance is 1.2 %."
        ),
    ),
    Problem(
        id="taiz-pea-ca",
        title="Calcium in a pea root",
        statement=(
            "Same root cell (-110 mV, 59 mV per decade), external :math:`Ca^{2+}` 1 mM. What "
            "internal :math:`Ca^{2+}` would be in equilibrium? The measured value is 2 mM: "
            "which way must calcium be pumped?"
        ),
        source=TAIZ + ": Ca2+ predicted 5360 mM (observed 2 mM).",
        answer=5360.0,
        unit="mM",
        tolerance=5.0,
        printed="5360 mM",
        code="""\
import nernst

slope_25 = nernst.equilibrium_potential(1, c_in=1, c_out=10, celsius=25)
celsius = 298.15 * 59.0 / slope_25 - 273.15
answer = nernst.equilibrium_internal_concentration("Ca2+", v_m=-110, c_out=1.0, celsius=celsius)
""",
        note="Observed 2 mM is far below 5360 mM: Ca2+ is actively extruded.",
    ),
    Problem(
        id="nicholls-59-per-ph",
        title="One pH unit in millivolts",
        statement=(
            "The proton-motive force is :math:`\\Delta p = \\Delta\\psi - (2.303RT/F)\\Delta pH`. "
            "How many millivolts of :math:`\\Delta p` is one unit of :math:`\\Delta pH` worth at "
            "25 °C? (Compute :math:`\\Delta p` for :math:`\\Delta\\psi = 0`, "
            ":math:`\\Delta pH = 1`.)"
        ),
        source=(
            "Nicholls D.G. & Ferguson S.J. (2013) Bioenergetics 4, Academic Press, ch. 4: "
            "Δp = Δψ - 59 ΔpH (mV, 25 °C)."
        ),
        answer=-59.0,
        unit="mV",
        tolerance=0.5,
        printed="59 mV per pH unit",
        code="""\
import nernst

answer = nernst.proton_motive_force(v_m=0, delta_ph=1, celsius=25)
""",
    ),
    Problem(
        id="hh-resting-n",
        title="Potassium activation at rest",
        statement=(
            "In the Hodgkin-Huxley model each gate relaxes to "
            ":math:`x_\\infty = \\alpha_x/(\\alpha_x + \\beta_x)`. What fraction of the "
            "K\\ :sup:`+` activation gate, :math:`n`, is open at rest (-65 mV in NEURON's "
            "convention, V = 0 in the paper's)?"
        ),
        source=HH52 + " (resting value n0 = 0.31768).",
        answer=0.31768,
        unit="fraction",
        tolerance=1e-5,
        printed="0.31768",
        code="""\
import nernst

answer = nernst.hh_gates(-65.0)["n_inf"]
""",
    ),
    Problem(
        id="hh-resting-m",
        title="Sodium activation at rest",
        statement=(
            "The same for the Na\\ :sup:`+` activation gate :math:`m` at rest: how many of "
            "its gates are open? (The open probability of the channel is :math:`m^3 h`.)"
        ),
        source=HH52 + " (resting value m0 = 0.05293).",
        answer=0.05293,
        unit="fraction",
        tolerance=1e-5,
        printed="0.05293",
        code="""\
import nernst

answer = nernst.hh_gates(-65.0)["m_inf"]
""",
    ),
    Problem(
        id="hh-resting-h",
        title="Sodium inactivation at rest",
        statement=(
            "And for the inactivation gate :math:`h`: what fraction of the Na\\ :sup:`+` "
            "channels are not inactivated at rest?"
        ),
        source=HH52 + " (resting value h0 = 0.59612).",
        answer=0.59612,
        unit="fraction",
        tolerance=1e-5,
        printed="0.59612",
        code="""\
import nernst

answer = nernst.hh_gates(-65.0)["h_inf"]
""",
    ),
    Problem(
        id="hh-leak-reversal",
        title="The leak reversal that balances rest",
        statement=(
            "With :math:`\\bar g_{Na}` = 120, :math:`\\bar g_K` = 36 and :math:`g_L` = 0.3 "
            "mS/cm\\ :sup:`2`, :math:`E_{Na}` = +115 mV and :math:`E_K` = -12 mV relative to "
            "rest, which leak reversal potential makes the total current zero at rest? Give it "
            "in absolute terms with rest at -65 mV (the chord-conductance potential of the "
            "resting conductances must be -65 mV)."
        ),
        source=HH52 + " (V_l = 10.613 mV positive of rest, i.e. -54.387 mV).",
        answer=-54.387,
        unit="mV",
        tolerance=0.02,
        printed="10.613 mV (above rest)",
        code="""\
import nernst

g = nernst.HHMembrane().conductances(-65.0)
# The chord potential is linear in E_L: solve chord_potential(g, E) = -65 for E_L.
E = {"Na+": 50.0, "K+": -77.0, "leak": 0.0}
V0 = nernst.chord_potential(g, E=E)
V1 = nernst.chord_potential(g, E={**E, "leak": 1.0})
answer = (-65.0 - V0) / (V1 - V0)
""",
        note=(
            "The resting gate values balance at -54.40 mV; Hodgkin and Huxley's 10.613 mV "
            "reflects their rounding, hence the 0.02 mV tolerance. NEURON's hh.mod uses -54.3 mV "
            "and rests at -64.97 mV."
        ),
    ),
    Problem(
        id="neuron-hh-rest",
        title="Where NEURON's hh membrane rests",
        statement=(
            "NEURON's ``hh`` mechanism (HH 1952 rates, :math:`E_{Na}` = 50, :math:`E_K` = -77, "
            ":math:`E_L` = -54.3 mV) is described as resting at -65 mV. Find the potential at "
            "which its steady-state currents sum to zero."
        ),
        source=(
            "Hines M.L., Carnevale N.T., NEURON's hh.mod (src/nrnoc/hh.mod): 'resting "
            "potential of -65 mV'."
        ),
        answer=-65.0,
        unit="mV",
        tolerance=0.05,
        printed="-65 mV",
        code="""\
import nernst

answer = nernst.HHMembrane().resting_potential()
""",
        note="NEURON 9 itself settles at -64.974 mV (tests/published/data/neuron_hh.json).",
    ),
    Problem(
        id="purves-squid-ek",
        title="The floor of the squid action potential",
        statement=(
            "The squid giant axon has 400 mM K\\ :sup:`+` inside and 20 mM outside. At room "
            "temperature (58 mV per decade, about 20 °C), what is :math:`E_K`, the floor that "
            "the after-hyperpolarisation approaches?"
        ),
        source=PURVES + " (E_K = 58 log(20/400) = -75 mV).",
        answer=-75.0,
        unit="mV",
        tolerance=1.0,
        printed="-75 mV",
        code="""\
import nernst

answer = nernst.equilibrium_potential("K+", c_in=400, c_out=20, celsius=20)
""",
    ),
    Problem(
        id="purves-squid-ena",
        title="The ceiling of the squid action potential",
        statement=(
            "With 50 mM Na\\ :sup:`+` inside and 440 mM outside, what is :math:`E_{Na}`, the "
            "ceiling the action potential rises toward but does not reach?"
        ),
        source=PURVES + " (E_Na = 58 log(440/50) = +55 mV).",
        answer=55.0,
        unit="mV",
        tolerance=1.0,
        printed="+55 mV",
        code="""\
import nernst

answer = nernst.equilibrium_potential("Na+", c_in=50, c_out=440, celsius=20)
""",
    ),
    Problem(
        id="hille-charge-100mv",
        title="How few ions a spike needs",
        statement=(
            "A 1 :math:`\\mu`\\ F/cm\\ :sup:`2` membrane is charged by 100 mV. How many "
            "picomoles of monovalent ions per cm\\ :sup:`2` must cross (:math:`Q = C\\Delta V`, "
            ":math:`n = Q/F`)?"
        ),
        source=(
            "Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 1: "
            "charging 1 uF/cm^2 by 100 mV takes about 1 pmol/cm^2 of univalent ions."
        ),
        answer=1.04,
        unit="pmol/cm^2",
        tolerance=0.05,
        printed="about 1 pmol/cm^2",
        code="""\
import nernst

answer = nernst.ions_for_potential("Na+", delta_v=100) * 1e12
""",
        note="1e-7 C/cm^2 / 96485 C/mol = 1.036 pmol/cm^2, about 6200 ions per um^2.",
    ),
]
