r"""
Which ions does a plant root take up actively?
==============================================

Higinbotham, Etherton & Foster (1967) measured the membrane potential of pea root cells
(-110 mV) and the concentrations of eight ions inside the tissue and in the nutrient
solution. If an ion were distributed passively, the Nernst equation would predict its
internal concentration from the external one and V\ :sub:`m`:

.. math:: c_{in}^{Nernst} = c_{out}\, e^{-zFV_m/RT}

Comparing the measured contents with this prediction (Taiz & Zeiger, *Plant Physiology*,
Table 6.1) shows which ions the cell must pump: only K\ :sup:`+` sits at its Nernst
prediction; Na\ :sup:`+`, Ca\ :sup:`2+` and Mg\ :sup:`2+` are far *below* theirs
(they are extruded, or kept out), and every anion is far *above* its prediction: the
negative cell would expel them, so they are taken up actively, by H\ :sup:`+`-coupled
symporters driven by the plasma-membrane H\ :sup:`+`-ATPase.

:func:`nernst.transport_analysis` does the comparison for the ``plant-root-cell`` preset.
"""

# %%
# The analysis
# ------------
import math

import matplotlib.pyplot as plt
import numpy as np

import nernst

root = nernst.Cell.preset("plant-root-cell")
analysis = nernst.transport_analysis(
    v_m=root.v_m, c_in=root.c_in, c_out=root.c_out, celsius=root.celsius
)
print(analysis)

# %%
# Checks against Taiz & Zeiger, Table 6.1
# ---------------------------------------
# Taiz L. & Zeiger E., Plant Physiology, Table 6.1 (from Higinbotham et al. 1967, Plant
# Physiol. 42:37-46): internal concentrations predicted by the Nernst equation at -110 mV,
# in mM. The table used about 59 mV per decade; the preset's 25 °C gives 59.2, so the
# predictions agree within 5 %.
taiz_predicted = {
    "K+": 74.0,
    "Na+": 74.0,
    "Mg2+": 1340.0,
    "Ca2+": 5360.0,
    "NO3-": 0.0272,
    "Cl-": 0.0136,
    "H2PO4-": 0.0136,
    "SO4 2-": 0.00005,
}
for ion, value in taiz_predicted.items():
    assert math.isclose(analysis[ion].c_in_predicted, value, rel_tol=0.05), ion

# Independent arithmetic for one ion: Na+ at 25 °C, 1 mM x exp(110 mV / (RT/F)) = 72.3 mM.
rt_f = 8.314462618 * 298.15 / 96485.33212 * 1e3
assert math.isclose(analysis["Na+"].c_in_predicted, math.exp(110.0 / rt_f), rel_tol=1e-9)

# Taiz & Zeiger's reading of the table: K+ near equilibrium; the other cations below their
# prediction (extruded); all anions above it (taken up actively).
verdicts = analysis.verdicts()
assert verdicts["K+"] == "passive"
assert all(verdicts[i] == "active extrusion" for i in ("Na+", "Ca2+", "Mg2+"))
assert all(verdicts[i] == "active uptake" for i in ("NO3-", "Cl-", "H2PO4-", "SO4 2-"))
print("actively taken up:", [ion for ion, v in verdicts.items() if v == "active uptake"])

# %%
# Measured against predicted, on a log scale
# ------------------------------------------
# The predictions span eight orders of magnitude: from 5 M for Ca2+ (impossible: the
# cell keeps it at 2 mM) down to 50 nM for sulphate (the cell holds 19 mM).
labels = analysis.symbols
measured = np.array([analysis[i].c_in for i in labels])
predicted = np.array([analysis[i].c_in_predicted for i in labels])
x = np.arange(len(labels))

fig, ax = plt.subplots(figsize=(7.6, 4.4))
ax.bar(x - 0.2, measured, width=0.4, color="C0", label="measured")
ax.bar(x + 0.2, predicted, width=0.4, color="C1", label="Nernst prediction at -110 mV")
ax.set_yscale("log")
ax.set_xticks(x, labels)
for xi, ion in zip(x, labels, strict=True):
    ax.annotate(verdicts[ion].replace("active ", ""), (xi, 2e4), ha="center", fontsize=7)
ax.set_ylim(1e-5, 1e7)
ax.set_ylabel("internal concentration (mM)")
ax.set_title("Pea root cells (Higinbotham et al. 1967), 25 °C")
ax.legend(loc="upper center", ncol=2, fontsize=8)
fig.tight_layout()
