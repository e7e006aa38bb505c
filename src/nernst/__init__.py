"""nernst: membrane electrochemistry.

Equilibrium (Nernst) potentials, Goldman-Hodgkin-Katz voltage, current and flux, the
energetics of ion gradients, a cited ion table and preset cells.

Conventions: V = V_in - V_out in mV; concentrations in mM; temperature keyword-only
``celsius=`` (default 37); positive current and flux are outward; energies in J/mol;
constants are CODATA 2018 exact values (:mod:`nernst.constants`).

The public names below load their module on first use (PEP 562), so ``import nernst`` and
the command line's ``--help`` stay fast.

>>> import nernst
>>> round(nernst.equilibrium_potential("K+", c_in=140, c_out=5, celsius=37), 1)
-89.1
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The ion table is bound eagerly: otherwise importing the submodule nernst.ions would shadow
# it. nernst.ions imports nothing heavy and reads its TOML on first lookup.
from nernst.ions import ions

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
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
    from nernst.ions import Ion, valence
    from nernst.nernst import equilibrium_potential

_EXPORTS = {
    "Cell": "nernst.cell",
    "CellReport": "nernst.cell",
    "IonReport": "nernst.cell",
    "presets": "nernst.cell",
    "kelvin": "nernst.constants",
    "thermal_voltage": "nernst.constants",
    "driving_force": "nernst.energetics",
    "flux_direction": "nernst.energetics",
    "needs_active_transport": "nernst.energetics",
    "pumping_work": "nernst.energetics",
    "stored_energy": "nernst.energetics",
    "transport_free_energy": "nernst.energetics",
    "ghk_current": "nernst.ghk",
    "ghk_flux": "nernst.ghk",
    "ghk_voltage": "nernst.ghk",
    "Ion": "nernst.ions",
    "valence": "nernst.ions",
    "equilibrium_potential": "nernst.nernst",
}

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


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("nernst")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            value = "0.0.0+unknown"
    elif name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
    else:
        raise AttributeError(f"module 'nernst' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
