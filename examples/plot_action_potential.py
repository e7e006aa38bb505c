r"""
The action potential between E_K and E_Na
==========================================

Hodgkin and Huxley's squid-axon membrane (1952), in NEURON's ``hh`` form: a brief current
pulse opens Na\ :sup:`+` channels, V rises toward E\ :sub:`Na` but turns before it gets
there, as Na\ :sup:`+` channels inactivate and K\ :sup:`+` channels open; the
after-hyperpolarisation then approaches E\ :sub:`K` from above. Both bounds are Nernst
potentials, so the ion gradients of the cell set the range the spike can use:

.. math:: E_K < V_{AHP} < V_{rest} < V_{peak} < E_{Na}

Raising [K\ :sup:`+`]\ :sub:`out` (hyperkalaemia) moves E\ :sub:`K` up, depolarises rest and
inactivates Na\ :sup:`+` channels; lowering [Na\ :sup:`+`]\ :sub:`out` lowers E\ :sub:`Na`
and the peak.

The default membrane is checked against NEURON 9 itself (``tests/test_hh.py``): from NEURON's
start (V = -65 mV) the 10 uA/cm\ :sup:`2`, 1 ms pulse peaks at 39.0596 mV in both programs.
"""

# %%
# One spike in NEURON's hh membrane
# ---------------------------------
import matplotlib.pyplot as plt

import nernst

hh = nernst.HHMembrane()  # E_Na 50, E_K -77, E_L -54.3 mV at 6.3 degC (hh.mod)
ap = nernst.simulate_hh(hh, stimulus="10uA/cm2@5ms:1ms", until="30ms", v0=-65.0, dt="10us")
print(ap.explain())
# NEURON 9's hh (CVODE, exact rates) from finitialize(-65): peak 39.0596 mV, AHP -76.169 mV.
assert abs(ap.peak - 39.0596) < 1e-3
assert abs(ap.ahp - (-76.1693)) < 1e-3
assert hh.ek < ap.ahp < ap.v_rest < ap.peak < hh.ena

# %%
# The same membrane with the squid axon's gradients, and with more K+ or less Na+ outside
# ---------------------------------------------------------------------------------------
# E_Na and E_K come from the concentrations by Nernst (squid-axon preset, 20 degC).
fig, ax = plt.subplots(figsize=(7, 4))
for label, changes, color in (
    ("sea water (K+ 10, Na+ 460 mM)", {}, "k"),
    ("K+ out 30 mM", {"k_out": 30.0}, "tab:blue"),
    ("Na+ out 230 mM", {"na_out": 230.0}, "tab:red"),
):
    axon = nernst.Cell.preset("squid-axon")
    c_out = {**axon.c_out}
    c_out["K+"] = changes.get("k_out", c_out["K+"])
    c_out["Na+"] = changes.get("na_out", c_out["Na+"])
    cell = nernst.Cell(c_in=axon.c_in, c_out=c_out, permeability=axon.permeability, celsius=20)
    membrane = nernst.HHMembrane.from_cell(cell)
    run = nernst.simulate_hh(membrane, stimulus="30uA/cm2@2ms:1ms", until="15ms", dt="10us")
    assert membrane.ek < run.v_rest < membrane.ena
    if run.n_spikes:
        assert run.peak < membrane.ena
    ax.plot(run.t * 1e3, run.V, color=color, label=f"{label}: rest {run.v_rest:.1f} mV")
    ax.axhline(membrane.ena, color=color, ls="--", lw=0.8)
    ax.axhline(membrane.ek, color=color, ls=":", lw=0.8)
ax.set_xlabel("t [ms]")
ax.set_ylabel("V [mV]")
ax.set_title("Dashed: E_Na, dotted: E_K of each bath")
ax.legend(fontsize=8, loc="upper right")
fig.tight_layout()
