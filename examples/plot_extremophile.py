r"""
A bacterium in high salt
========================

The seed chapter's example of a steep gradient: an extremophilic bacterium keeps a cation
:math:`Z^+` at 7.5 mM inside while living in 450 mM outside. The concentration ratio is
450 / 7.5 = 60, and at 37 °C the Nernst equation

.. math:: E = \frac{RT}{zF} \ln\frac{c_{out}}{c_{in}}

gives about **+109 mV**: the inside would have to be 109 mV *positive* to stop
:math:`Z^+` from flooding in down its gradient. Below we compute it with
:func:`nernst.equilibrium_potential` (the valence ``1`` stands in for an ion that is not in
the ion table) and then ask how the required potential grows with the salt outside.
"""

# %%
# The equilibrium potential at 450 mM outside
# -------------------------------------------
import math

import matplotlib.pyplot as plt
import numpy as np

import nernst

E_Z = nernst.equilibrium_potential(1, c_in=7.5, c_out=450.0, celsius=37.0)
print(f"E_Z+ = {E_Z:+.1f} mV")

# Seed chapter ("Principles and Mechanisms", the extremophile example): about +109 mV.
assert round(E_Z) == 109
# Independent arithmetic: RT/F at 310.15 K (CODATA 2018 R and F) times ln(60).
R, F = 8.314462618, 96485.33212
rt_f_mV = R * 310.15 / F * 1e3  # 26.73 mV
assert math.isclose(E_Z, rt_f_mV * math.log(450.0 / 7.5), rel_tol=1e-9)

# %%
# The required potential against external salt
# --------------------------------------------
# E grows with the logarithm of the outside concentration: every tenfold increase adds
# :math:`\ln(10)\,RT/F` = 61.5 mV at 37 °C. At 7.5 mM outside the gradient vanishes and so
# does E; in 3 M salt (a halophile's brine) it would need about +160 mV.
c_out = np.logspace(np.log10(1.0), np.log10(3000.0), 200)
E_curve = nernst.equilibrium_potential(1, c_in=7.5, c_out=c_out, celsius=37.0)

fig, ax = plt.subplots(figsize=(6.4, 4.2))
ax.semilogx(c_out, E_curve, color="C0", label="$E_{Z^+}$, [Z$^+$]$_{in}$ = 7.5 mM, 37 °C")
ax.axhline(0.0, color="0.6", lw=0.8)
ax.axvline(7.5, color="0.6", lw=0.8, ls=":")
ax.plot([450.0], [E_Z], "o", color="C3")
ax.annotate(
    f"450 mM: {E_Z:+.0f} mV",
    (450.0, E_Z),
    xytext=(20.0, 140.0),
    arrowprops={"arrowstyle": "->", "color": "C3"},
)
ax.set_xlabel("[Z$^+$] outside (mM)")
ax.set_ylabel("equilibrium potential $V_{in} - V_{out}$ (mV)")
ax.set_title("A cation kept at 7.5 mM inside a salty world")
ax.legend(loc="lower right")
fig.tight_layout()

# Slope per decade: ln(10) RT/F = 61.5 mV at 37 °C (independent arithmetic).
slope = (E_curve[-1] - E_curve[0]) / (np.log10(c_out[-1]) - np.log10(c_out[0]))
assert math.isclose(slope, math.log(10.0) * rt_f_mV, rel_tol=1e-9)
assert round(math.log(10.0) * rt_f_mV, 1) == 61.5
