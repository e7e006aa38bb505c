r"""Ion dynamics of one cell: the approach to equilibrium and the pump-leak model.

A single well-stirred compartment (the cell) sits in an infinite bath whose concentrations do
not change. Ions cross the membrane by GHK electrodiffusion (:func:`nernst.ghk_flux`) and, in
the pump-leak model, by the Na+/K+-ATPase. The membrane potential follows from the charge the
ions have carried (the *charge-difference* formulation of Fraser & Huang 2004):

.. math::

    V(t) = V_0 + \frac{F}{C_m A} \sum_i z_i \left(n_i(t) - n_i(0)\right)

with :math:`n_i` the amount of ion i inside [mol], :math:`C_m` the specific membrane
capacitance and :math:`A` the membrane area. Each amount changes by the flux through the
membrane, :math:`dn_i/dt = -A\,\Phi_i` (outward flux positive). Only the permeant ions move;
an ion with zero permeability keeps its amount.

Two models (``model=``):

========== =================================================================================
approach   fixed volume, passive GHK fluxes only; from ``v0`` (default 0 mV) the potential
           settles at the GHK potential within milliseconds, then drifts over hours toward
           the Donnan equilibrium at which every permeant ion sits at its Nernst potential.
pump-leak  Na+/K+-ATPase (3 Na+ out : 2 K+ in per cycle, electrogenic; Luo & Rudy 1994
           kinetics), GHK leaks, impermeant anions of mean valence z_X, and water that keeps
           the cell in osmotic equilibrium with the bath at every instant (Tosteson &
           Hoffman 1960; Keener & Sneyd 2009; Kay 2017).
========== =================================================================================

Units: V in mV, concentrations in mM (1 mM = 1e-6 mol/cm^3), permeability in cm/s, flux in
mol cm^-2 s^-1 (outward positive), capacitance in uF/cm^2, lengths in um, areas in um^2,
volumes in um^3 (1 um^3 = 1 fL), pump current in mA/cm^2 (outward positive, the unit of
:func:`nernst.ghk_current` and :func:`nernst.sodium_pump_current`), time in s.

Preset cells carry *relative* permeabilities. The dynamics needs absolute ones:
``P_abs = permeability * p_reference`` with ``p_reference = 1e-6 cm/s`` by default (a round
value of the order of resting K+ permeabilities, 1e-7 to 1e-6 cm/s; a choice, not a measured
constant). Pass ``p_reference=1`` when a cell's permeabilities are already in cm/s.

References
----------
.. [1] Fraser J.A., Huang C.L.-H. (2004) A quantitative analysis of cell volume and resting
   potential determination and regulation in excitable cells. J. Physiol. 559:459-478.
.. [2] Tosteson D.C., Hoffman J.F. (1960) Regulation of cell volume by active cation transport
   in high and low potassium sheep red cells. J. Gen. Physiol. 44:169-194.
   https://doi.org/10.1085/jgp.44.1.169
.. [3] Keener J., Sneyd J. (2009) Mathematical Physiology I: Cellular Physiology, 2nd ed.,
   Springer, ch. 2 (the membrane potential; osmosis; control of cell volume, the pump-leak
   model).
.. [4] Kay A.R. (2017) How cells can control their size by pumping ions. Front. Cell Dev.
   Biol. 5:41.
   https://doi.org/10.3389/fcell.2017.00041
.. [5] Luo C.H., Rudy Y. (1994) A dynamic model of the cardiac ventricular action potential.
   I. Simulations of ionic currents and concentration changes. Circ. Res. 74:1071-1096.
   https://doi.org/10.1161/01.RES.74.6.1071
.. [6] Mori Y. (2012) Mathematical properties of pump-leak models of cell volume control and
   electrolyte balance. J. Math. Biol. 65:875-918.
"""

from nernst.dynamics.model import (
    CAPACITANCE,
    MODELS,
    P_REFERENCE,
    RADIUS,
    CellLike,
    ions_for_potential,
    membrane_time_constant,
)
from nernst.dynamics.perturbations import Perturbation, parse_duration, parse_perturbation
from nernst.dynamics.results import PumpLeakSteadyState, Simulation
from nernst.dynamics.solvers import ATOL, METHOD, RTOL, pump_leak_steady_state, simulate
from nernst.pump import NaKPump, nak_pump_current, sodium_pump_current

__all__ = [
    "ATOL",
    "CAPACITANCE",
    "METHOD",
    "MODELS",
    "P_REFERENCE",
    "RADIUS",
    "RTOL",
    "CellLike",
    "NaKPump",
    "Perturbation",
    "PumpLeakSteadyState",
    "Simulation",
    "ions_for_potential",
    "membrane_time_constant",
    "nak_pump_current",
    "parse_duration",
    "parse_perturbation",
    "pump_leak_steady_state",
    "simulate",
    "sodium_pump_current",
]
