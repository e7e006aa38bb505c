r"""
The sodium pump's energy budget
===============================

Each cycle of the Na\ :sup:`+`/K\ :sup:`+`-ATPase moves 3 Na\ :sup:`+` out and 2
K\ :sup:`+` in, both uphill, and carries one net positive charge out of a cell whose inside
is negative. The free energy it needs per cycle (:func:`nernst.sodium_pump_free_energy`) is

.. math::

   \Delta G_{transport} = 3RT\ln\frac{[Na^+]_{out}}{[Na^+]_{in}}
                        + 2RT\ln\frac{[K^+]_{in}}{[K^+]_{out}} - F V_m ,

and it is paid by hydrolysing one ATP, whose free energy in the cell
(:func:`nernst.atp_hydrolysis_free_energy`) is

.. math:: \Delta G_p = \Delta G'^\circ + RT\ln\frac{[ADP][P_i]}{[ATP]} .

The pump can run forward only while :math:`\Delta G_{transport} < |\Delta G_p|`, i.e. for
membrane potentials above its reversal potential
(:func:`nernst.sodium_pump_reversal_potential`), which lies far below any resting
potential (De Weer, Gadsby & Rakowski 1988).
"""

# %%
# The budget of a neuron at -70 mV
# --------------------------------
# Na+ 10 mM in / 145 mM out, K+ 140 / 5 mM; ATP, ADP and Pi of the human erythrocyte
# (Lehninger's worked example: 2.25, 0.25 and 1.65 mM), 37 °C.
import math

import matplotlib.pyplot as plt
import numpy as np

import nernst

ions = {"na_in": 10.0, "na_out": 145.0, "k_in": 140.0, "k_out": 5.0}
dG_atp = nernst.atp_hydrolysis_free_energy(atp=2.25, adp=0.25, pi=1.65, celsius=37.0)
dG_pump = nernst.sodium_pump_free_energy(v_m=-70.0, celsius=37.0, **ions)
V_rev = nernst.sodium_pump_reversal_potential(dg_atp=dG_atp, celsius=37.0, **ions)
print(f"ATP: {dG_atp / 1e3:.1f} kJ/mol; one cycle at -70 mV needs {dG_pump / 1e3:.1f} kJ/mol")
print(f"uses {dG_pump / -dG_atp:.0%} of the ATP's free energy; pump reverses at {V_rev:.0f} mV")

# Independent arithmetic, CODATA 2018 R and F, T = 310.15 K.
R, F = 8.314462618, 96485.33212
RT = R * 310.15
# Nelson & Cox, Lehninger Principles of Biochemistry 5th ed., ch. 13 worked example:
# Delta G_p in the erythrocyte is about -52 kJ/mol (-30.5 kJ/mol + RT ln(Q)).
assert math.isclose(dG_atp, -30.5e3 + RT * math.log(0.25e-3 * 1.65e-3 / 2.25e-3), rel_tol=1e-9)
assert abs(dG_atp / 1e3 - -52.0) < 1.0
chem = 3 * RT * math.log(145.0 / 10.0) + 2 * RT * math.log(140.0 / 5.0)  # 37.9 kJ/mol
# 3 x 13.65 + 2 x 1.84 = 44.6 kJ/mol (the electrical term -F V_m adds 6.75 kJ/mol at -70 mV).
assert math.isclose(dG_pump, chem - F * -70e-3, rel_tol=1e-9)
assert round(dG_pump / 1e3, 1) == 44.6
assert math.isclose(V_rev, (dG_atp + chem) / F * 1e3, rel_tol=1e-9)  # -154 mV
assert V_rev < -70.0  # the pump runs forward at rest
assert 0.8 < dG_pump / -dG_atp < 0.9  # 85 % of the ATP's free energy goes into the gradients

# %%
# The budget across membrane potentials
# -------------------------------------
# Only the electrical term depends on V_m: one charge out per cycle, F V_m = 9.65 kJ/mol per
# 100 mV. The margin left over, Delta G_transport + Delta G_p, vanishes at V_rev.
v = np.linspace(-220.0, 60.0, 141)
need = nernst.sodium_pump_free_energy(v_m=v, celsius=37.0, **ions) / 1e3
assert math.isclose((need[0] - need[-1]) * 1e3, F * 0.28, rel_tol=1e-9)  # 280 mV span

fig, ax = plt.subplots(figsize=(6.6, 4.3))
ax.plot(v, need, color="C0", label="needed per cycle (3 Na$^+$ out, 2 K$^+$ in)")
ax.axhline(-dG_atp / 1e3, color="C3", ls="--", label=f"|ΔG$_{{ATP}}$| = {-dG_atp / 1e3:.1f} kJ/mol")
ax.fill_between(
    v,
    need,
    -dG_atp / 1e3,
    where=need < -dG_atp / 1e3,
    color="C2",
    alpha=0.15,
    label="margin: pump runs forward",
)
ax.axvline(V_rev, color="0.4", ls=":", label=f"pump reversal {V_rev:.0f} mV")
ax.axvline(-70.0, color="0.4", lw=0.8)
ax.annotate("resting neuron", (-70.0, 57.0), xytext=(-66.0, 57.0), fontsize=8)
ax.set_xlabel("membrane potential $V_m$ (mV)")
ax.set_ylabel("free energy (kJ/mol)")
ax.set_title("Na$^+$/K$^+$-ATPase energy budget, 37 °C")
ax.legend(fontsize=8, loc="lower left")
fig.tight_layout()
