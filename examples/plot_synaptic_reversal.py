r"""
Synaptic reversal potentials
============================

A synaptic current reverses where the currents of all the ions its channel passes add up
to zero: the GHK voltage equation, applied to the channel's own permeabilities.

**GABA-A receptors** pass Cl\ :sup:`-` and, to a lesser degree, HCO\ :sub:`3`\ :sup:`-`
(P\ :sub:`HCO3`/P\ :sub:`Cl` about 0.2-0.4, Kaila 1994; 0.18 in the spinal neurons of
Bormann et al. 1987). Bicarbonate is kept near equilibrium with the pH gradient, so
E\ :sub:`HCO3` is only about -12 mV, and even a small HCO\ :sub:`3`\ :sup:`-`
permeability pulls the GABA reversal potential several mV positive of E\ :sub:`Cl`:

.. math::

   E_{GABA} = \frac{RT}{F}\ln\frac{[Cl^-]_{in} + r\,[HCO_3^-]_{in}}
                                  {[Cl^-]_{out} + r\,[HCO_3^-]_{out}},
   \qquad r = P_{HCO_3}/P_{Cl}

**Glutamate receptors** are cation channels. AMPA receptors pass Na\ :sup:`+` and
K\ :sup:`+` about equally and reverse near 0 mV (Mayer & Westbrook 1987); NMDA receptors
also pass Ca\ :sup:`2+` (P\ :sub:`Ca`/P\ :sub:`Na` about 10; Mayer & Westbrook 1987,
Jahr & Stevens 1993), which moves the reversal potential a few mV positive. With a divalent
ion the zero-current condition is a quadratic, which :func:`nernst.ghk_voltage` solves.
"""

# %%
# GABA-A: chloride plus bicarbonate
# ---------------------------------
# Mature neuron at 37 °C: [Cl-] 7 mM in, 130 mM out; [HCO3-] 25 mM outside and, with the
# same CO2 on both sides, 25 x 10^(pH_in - pH_out) = 15.8 mM inside (pH 7.2 in, 7.4 out).
import math

import matplotlib.pyplot as plt
import numpy as np

import nernst

CELSIUS = 37.0
ph_in, ph_out = 7.2, 7.4
anions_in = {"Cl-": 7.0, "HCO3-": 25.0 * 10 ** (ph_in - ph_out)}
anions_out = {"Cl-": 130.0, "HCO3-": 25.0}

E_Cl = nernst.equilibrium_potential("Cl-", c_in=7.0, c_out=130.0, celsius=CELSIUS)
E_HCO3 = nernst.equilibrium_potential(
    "HCO3-", c_in=anions_in["HCO3-"], c_out=anions_out["HCO3-"], celsius=CELSIUS
)
E_GABA = nernst.ghk_voltage(
    {"Cl-": 1.0, "HCO3-": 0.2}, c_in=anions_in, c_out=anions_out, celsius=CELSIUS
)
print(f"E_Cl = {E_Cl:.1f} mV, E_HCO3 = {E_HCO3:.1f} mV, E_GABA (r = 0.2) = {E_GABA:.1f} mV")

# Independent arithmetic with CODATA 2018 R and F (RT/F = 26.73 mV at 310.15 K).
rt_f = 8.314462618 * 310.15 / 96485.33212 * 1e3
assert math.isclose(E_Cl, rt_f * math.log(7.0 / 130.0), rel_tol=1e-9)  # -78.1 mV
# E_HCO3 = (RT/F) ln(10) (pH_in - pH_out) = 61.5 mV x (-0.2) = -12.3 mV (Kaila 1994).
assert math.isclose(E_HCO3, rt_f * math.log(10.0) * (ph_in - ph_out), rel_tol=1e-9)
expected = rt_f * math.log((7.0 + 0.2 * anions_in["HCO3-"]) / (130.0 + 0.2 * 25.0))
assert math.isclose(E_GABA, expected, rel_tol=1e-9)  # -69.1 mV
# Kaila (1994) Prog. Neurobiol. 42:489-537: the HCO3- conductance makes E_GABA more positive
# than E_Cl; with P_HCO3/P_Cl 0.2-0.4 the shift here is 9-15 mV.
assert E_Cl < E_GABA < E_HCO3
assert 8.0 < E_GABA - E_Cl < 17.0

ratio = np.linspace(0.0, 1.0, 101)
E_GABA_curve = nernst.ghk_voltage(
    {"Cl-": 1.0, "HCO3-": ratio}, c_in=anions_in, c_out=anions_out, celsius=CELSIUS
)

# %%
# Glutamate receptors: Na+, K+ and Ca2+
# -------------------------------------
# Same neuron: Na+ 10/145 mM, K+ 140/5 mM, free Ca2+ 100 nM inside and 2 mM outside.
cations_in = {"Na+": 10.0, "K+": 140.0, "Ca2+": 1e-4}
cations_out = {"Na+": 145.0, "K+": 5.0, "Ca2+": 2.0}

E_AMPA = nernst.ghk_voltage(
    {"Na+": 1.0, "K+": 1.0}, c_in=cations_in, c_out=cations_out, celsius=CELSIUS
)
E_NMDA = nernst.ghk_voltage(
    {"Na+": 1.0, "K+": 1.0, "Ca2+": 10.0}, c_in=cations_in, c_out=cations_out, celsius=CELSIUS
)
print(f"E_AMPA = {E_AMPA:+.1f} mV, E_NMDA (P_Ca/P_Na = 10) = {E_NMDA:+.1f} mV")

# Mayer M.L. & Westbrook G.L. (1987) Prog. Neurobiol. 28:197-276: glutamate-activated
# currents reverse near 0 mV. With P_Na = P_K the monovalent sums are equal (145 + 5 = 10 +
# 140 = 150 mM), so by independent arithmetic E_AMPA = (RT/F) ln(150/150) = 0 exactly.
assert abs(E_AMPA) < 1e-9
# NMDA: with A = B = 150 the GHK quadratic (B + D) x^2 - (A - B) x - (A + C) = 0, x = e^(-FV/RT),
# C = 4 P_Ca [Ca]_in, D = 4 P_Ca [Ca]_out, gives V = (RT/2F) ln((B + D)/(A + C)) = +5.7 mV.
A = B = 150.0
C, D = 4 * 10.0 * 1e-4, 4 * 10.0 * 2.0
assert math.isclose(E_NMDA, rt_f / 2 * math.log((B + D) / (A + C)), rel_tol=1e-9)
assert 0.0 < E_NMDA < 10.0  # still "near 0 mV" (Mayer & Westbrook 1987)

p_ca = np.linspace(0.0, 20.0, 81)
E_NMDA_curve = nernst.ghk_voltage(
    {"Na+": 1.0, "K+": 1.0, "Ca2+": p_ca}, c_in=cations_in, c_out=cations_out, celsius=CELSIUS
)

# %%
# The figure
# ----------
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.0, 3.8))
ax1.plot(ratio, E_GABA_curve, color="C0", label="$E_{GABA}$ (GHK)")
ax1.axvspan(0.2, 0.4, color="C0", alpha=0.12, label="Kaila 1994: 0.2-0.4")
ax1.axvline(0.18, color="C0", ls=":", label="Bormann et al. 1987: 0.18")
ax1.axhline(E_Cl, color="C2", ls="--", label=f"$E_{{Cl}}$ = {E_Cl:.0f} mV")
ax1.axhline(E_HCO3, color="C1", ls="--", label=f"$E_{{HCO_3}}$ = {E_HCO3:.0f} mV")
ax1.set_xlabel("$P_{HCO_3}/P_{Cl}$")
ax1.set_ylabel("reversal potential (mV)")
ax1.set_title("GABA-A receptor")
ax1.legend(fontsize=7, loc="center right")

ax2.plot(p_ca, E_NMDA_curve, color="C3", label="Na$^+$ : K$^+$ : Ca$^{2+}$ = 1 : 1 : $r$")
ax2.axvline(10.0, color="C3", ls=":", label="NMDA, $P_{Ca}/P_{Na}$ ≈ 10")
ax2.plot([0.0], [E_AMPA], "s", color="k", label=f"AMPA ($r$ = 0): {E_AMPA:+.0f} mV")
ax2.plot([10.0], [E_NMDA], "o", color="C3", label=f"NMDA: {E_NMDA:+.1f} mV")
ax2.set_xlabel("$P_{Ca}/P_{Na}$")
ax2.set_ylabel("reversal potential (mV)")
ax2.set_title("Glutamate receptors")
ax2.legend(fontsize=7, loc="lower right")
fig.tight_layout()
