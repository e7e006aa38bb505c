r"""
Mitochondrial proton-motive force and ATP synthesis
===================================================

The respiratory chain pumps H\ :sup:`+` out of the matrix, leaving it negative
(:math:`\Delta\psi` about -150 to -180 mV) and alkaline (:math:`\Delta\mathrm{pH}`
about +0.5 to +0.8). Both push protons back in; together they are the proton-motive force
(Nicholls & Ferguson, *Bioenergetics 4*, ch. 4)

.. math:: \Delta p = \Delta\psi - \frac{\ln(10)\,RT}{F}\,\Delta\mathrm{pH}

of about 200 mV in magnitude. Each mole of H\ :sup:`+` flowing back releases
:math:`F|\Delta p|` (about 20 kJ/mol), so making ATP against a phosphorylation potential
of 50-60 kJ/mol needs at least :math:`|\Delta G_{ATP}| / F|\Delta p|` protons per ATP
(:func:`nernst.atp_synthase_protons`). The mammalian ATP synthase's rotor has 8 c subunits
and makes 3 ATP per turn, so it uses 8/3 = 2.7 H\ :sup:`+` per ATP, plus 1 H\ :sup:`+` to
bring ADP and P\ :sub:`i` into the matrix: 3.7 in all (Watt et al. 2010).

Convention: "in" is the matrix (N side), so a negative :math:`\Delta p` drives protons in.
"""

# %%
# Respiring mitochondria at 37 °C
# -------------------------------
import math

import matplotlib.pyplot as plt
import numpy as np

import nernst

delta_psi, delta_ph = -160.0, 0.7  # matrix 160 mV negative and 0.7 pH units alkaline
pmf = nernst.proton_motive_force(v_m=delta_psi, delta_ph=delta_ph, celsius=37.0)
dG_H = nernst.proton_free_energy(v_m=delta_psi, delta_ph=delta_ph, celsius=37.0)
dG_atp = -55e3  # J/mol, a typical cytosolic phosphorylation potential
n_min = nernst.atp_synthase_protons(dg_atp=dG_atp, pmf=pmf)
print(f"pmf = {pmf:.1f} mV, dG(H+ in) = {dG_H / 1e3:.1f} kJ/mol, n_min = {n_min:.2f} H+/ATP")

# Independent arithmetic, CODATA 2018 R and F: ln(10) RT/F = 61.5 mV per pH unit at 37 °C.
R, F = 8.314462618, 96485.33212
z_mV = math.log(10.0) * R * 310.15 / F * 1e3
assert round(z_mV, 1) == 61.5
assert math.isclose(pmf, delta_psi - z_mV * delta_ph, rel_tol=1e-9)  # -203.1 mV
# Nicholls & Ferguson (2013) Bioenergetics 4, ch. 4: |Delta p| about 200 mV (180-230).
assert 180.0 < -pmf < 230.0
assert math.isclose(dG_H, F * pmf / 1e3, rel_tol=1e-9)  # -19.6 kJ/mol
assert math.isclose(n_min, 55e3 / (F * -pmf / 1e3), rel_tol=1e-9)  # 2.81
# Watt et al. (2010) PNAS 107:16823: c8 ring -> 8/3 = 2.7 H+/ATP, 3.7 with ADP/Pi transport.
c8_cost = 8 / 3 + 1
assert round(8 / 3, 1) == 2.7 and round(c8_cost, 1) == 3.7
assert n_min < c8_cost  # the real stoichiometry leaves a thermodynamic margin

# %%
# Both components of the proton-motive force
# ------------------------------------------
# The same Delta p can be mostly electrical (mitochondria) or mostly chemical (chloroplast
# thylakoids, Delta pH about 3): every 1 pH unit is worth 61.5 mV at 37 °C.
psi = np.linspace(-220.0, 0.0, 111)
phs = [0.0, 0.5, 1.0, 2.0, 3.0]

# Minimum H+/ATP against |Delta p| for three phosphorylation potentials.
p_mag = np.linspace(120.0, 260.0, 141)
dg_values = [-50e3, -55e3, -60e3]

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.4, 3.9))
for k, dph in enumerate(phs):
    ax1.plot(
        psi,
        nernst.proton_motive_force(v_m=psi, delta_ph=dph),
        color=f"C{k}",
        label=f"ΔpH = {dph:g}",
    )
ax1.plot([delta_psi], [pmf], "ko", label=f"mitochondrion: {pmf:.0f} mV")
ax1.set_xlabel("Δψ = ψ$_{matrix}$ - ψ$_{out}$ (mV)")
ax1.set_ylabel("Δp (mV)")
ax1.set_title("Proton-motive force, 37 °C")
ax1.legend(fontsize=7)

for k, dg in enumerate(dg_values):
    ax2.plot(
        p_mag,
        nernst.atp_synthase_protons(dg_atp=dg, pmf=p_mag),
        color=f"C{k}",
        label=f"ΔG$_{{ATP}}$ = {dg / 1e3:.0f} kJ/mol",
    )
ax2.axhline(8 / 3, color="0.3", ls="--", label="c8 rotor: 8/3 H$^+$/ATP")
ax2.axhline(c8_cost, color="0.3", ls=":", label="+ 1 H$^+$ for ADP, P$_i$ import")
ax2.plot([-pmf], [n_min], "ko")
ax2.set_xlabel("|Δp| (mV)")
ax2.set_ylabel("minimum H$^+$ per ATP")
ax2.set_title("How many protons per ATP?")
ax2.legend(fontsize=7)
fig.tight_layout()

# Check one curve by hand: at |Delta p| = 200 mV and -60 kJ/mol, 60e3 / (F x 0.2) = 3.11.
assert math.isclose(
    nernst.atp_synthase_protons(dg_atp=-60e3, pmf=200.0), 60e3 / (F * 0.2), rel_tol=1e-9
)
