r"""
How external K+ sets the resting potential
==========================================

The classic experiment on the squid giant axon, the Hodgkin-Katz / Huxley plot (Hodgkin &
Katz 1949, who fitted it with the GHK equation): change the potassium concentration of the sea water
and record the resting potential. Plotted against :math:`\log_{10}[K^+]_{out}`, the points
follow the Nernst line of E\ :sub:`K`, slope

.. math:: \frac{\ln(10)\,RT}{F} \approx 58\ \text{mV per decade at 20 °C},

at high [K\ :sup:`+`]\ :sub:`out`, but fall away from it at low [K\ :sup:`+`]\ :sub:`out`,
where the small resting Na\ :sup:`+` permeability (P\ :sub:`Na`/P\ :sub:`K` = 0.04) is no
longer negligible against the shrinking K\ :sup:`+` term of the GHK equation:

.. math:: V = \frac{RT}{F}\ln\frac{[K^+]_{out} + 0.04\,[Na^+]_{out}}
                                  {[K^+]_{in} + 0.04\,[Na^+]_{in}}

We use the ``squid-axon`` preset (axoplasm K\ :sup:`+` 400, Na\ :sup:`+` 50 mM; sea water
Na\ :sup:`+` 460 mM; 20 °C). Chloride is left out: in the steady state it is passively
distributed and follows the membrane potential rather than setting it.
"""

# %%
# The preset and the sweep
# ------------------------
import math

import matplotlib.pyplot as plt
import numpy as np

import nernst

axon = nernst.Cell.preset("squid-axon")
T = axon.celsius  # 20 °C
k_in, na_in, na_out = axon.c_in["K+"], axon.c_in["Na+"], axon.c_out["Na+"]
p = {"K+": axon.permeability["K+"], "Na+": axon.permeability["Na+"]}  # 1 : 0.04

k_out = np.logspace(0.0, np.log10(400.0), 200)  # 1 to 400 mM, Na+ outside held at 460 mM
V_rest = nernst.ghk_voltage(
    p,
    c_in={"K+": k_in, "Na+": na_in},
    c_out={"K+": k_out, "Na+": np.full_like(k_out, na_out)},
    celsius=T,
)
E_K = nernst.equilibrium_potential("K+", c_in=k_in, c_out=k_out, celsius=T)

V_sea = nernst.ghk_voltage(
    p,
    c_in={"K+": k_in, "Na+": na_in},
    c_out={"K+": axon.c_out["K+"], "Na+": na_out},
    celsius=T,
)
print(f"in sea water ([K+]o = 10 mM): V_rest = {V_sea:.1f} mV, measured {axon.v_m:.0f} mV")

# %%
# Checks against independent arithmetic and the measurement
# ---------------------------------------------------------
# Nernst slope: ln(10) RT/F at 293.15 K with CODATA 2018 R and F = 58.2 mV per decade.
rt_f = 8.314462618 * 293.15 / 96485.33212 * 1e3  # 25.26 mV
nernst_slope = math.log(10.0) * rt_f
assert round(nernst_slope) == 58
fitted_slope = np.polyfit(np.log10(k_out), E_K, 1)[0]
assert math.isclose(fitted_slope, nernst_slope, rel_tol=1e-9)


def ghk_by_hand(ko: float) -> float:
    """The GHK voltage for K+ and Na+ only, written out (independent arithmetic)."""
    return rt_f * math.log((ko + 0.04 * 460.0) / (400.0 + 0.04 * 50.0))


assert math.isclose(V_sea, ghk_by_hand(10.0), rel_tol=1e-9)  # -66.9 mV
# Moore & Cole (1960) J. Gen. Physiol. 43:961: squid axon at rest about -63 mV.
assert abs(V_sea - axon.v_m) < 5.0
# Slope of V_rest per decade: close to Nernst at high K+, a small fraction of it at low K+.
high = (ghk_by_hand(400.0) - ghk_by_hand(100.0)) / math.log10(4.0)  # 53 mV/decade
low = (ghk_by_hand(10.0) - ghk_by_hand(1.0)) / 1.0  # 9.6 mV/decade
assert high > 0.9 * nernst_slope and low < 0.2 * nernst_slope
i100 = np.searchsorted(k_out, 100.0)
measured_high = (V_rest[-1] - V_rest[i100]) / (np.log10(k_out[-1]) - np.log10(k_out[i100]))
assert abs(measured_high - high) < 0.5
# The deviation from E_K at 1 mM K+ outside: V_rest sits about 75 mV above E_K.
deviation_1mM = ghk_by_hand(1.0) - rt_f * math.log(1.0 / 400.0)
assert math.isclose(V_rest[0] - E_K[0], deviation_1mM, rel_tol=1e-9)
print(
    f"slope at high [K+]o {high:.1f}, at low [K+]o {low:.1f} mV/decade (Nernst {nernst_slope:.1f})"
)
print(f"deviation from E_K at 1 mM: {deviation_1mM:.0f} mV")

# %%
# The Hodgkin-Katz plot
# ---------------------
fig, ax = plt.subplots(figsize=(6.4, 4.4))
ax.semilogx(k_out, E_K, "--", color="0.4", label=f"Nernst $E_K$ ({nernst_slope:.1f} mV/decade)")
ax.semilogx(k_out, V_rest, color="C0", label="GHK, $P_{Na}/P_K$ = 0.04")
ax.plot([axon.c_out["K+"]], [axon.v_m], "o", color="C3", label="measured in sea water")
ax.fill_between(k_out, E_K, V_rest, color="C0", alpha=0.12)
ax.set_xlabel("[K$^+$] outside (mM)")
ax.set_ylabel("resting potential (mV)")
ax.set_title("Squid giant axon, 20 °C")
ax.legend(loc="upper left")
fig.tight_layout()
