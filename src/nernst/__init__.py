"""nernst: membrane electrochemistry.

Equilibrium (Nernst) potentials, Goldman-Hodgkin-Katz voltage, current and flux, the
energetics of ion gradients, a cited ion table and preset cells.

Conventions: V = V_in - V_out in mV; concentrations in mM; temperature keyword-only
``celsius=`` (default 37); positive current and flux are outward; energies in J/mol;
constants are CODATA 2018 exact values (:mod:`nernst.constants`).

>>> import nernst
>>> round(nernst.equilibrium_potential("K+", c_in=140, c_out=5, celsius=37), 1)
-89.1
"""

from importlib.metadata import PackageNotFoundError, version

from nernst.cell import Cell, CellReport, IonReport, presets
from nernst.constants import kelvin, thermal_voltage
from nernst.energetics import (
    driving_force,
    flux_direction,
    needs_active_transport,
    pumping_work,
    stored_energy,
    transport_free_energy,
)
from nernst.ghk import ghk_current, ghk_flux, ghk_voltage
from nernst.ions import Ion, ions, valence
from nernst.nernst import equilibrium_potential

try:
    __version__ = version("nernst")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = [
    "Cell",
    "CellReport",
    "Ion",
    "IonReport",
    "__version__",
    "driving_force",
    "equilibrium_potential",
    "flux_direction",
    "ghk_current",
    "ghk_flux",
    "ghk_voltage",
    "ions",
    "kelvin",
    "needs_active_transport",
    "presets",
    "pumping_work",
    "stored_energy",
    "thermal_voltage",
    "transport_free_energy",
    "valence",
]
