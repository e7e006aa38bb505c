"""From a recording to permeabilities: read voltage-clamp files, correct, measure, fit.

- :func:`read_recording` reads ABF (``pyabf``), other formats (``neo``) and CSV/TSV into a
  :class:`Recording` (``pip install 'nernst[recordings]'`` for the binary formats).
- :func:`membrane_test`: series resistance, membrane resistance, capacitance, holding current.
- :func:`iv_curve`: steady-state, instantaneous, tail or ramp I-V, corrected for the liquid
  junction potential and the series-resistance error (:func:`membrane_voltage`), leak
  subtracted.
- :func:`reversal_potential`: V_rev with a standard error (local line, polynomial, GHK fit).
- :func:`biionic_ratio`, :func:`permeability_ratios`, :func:`fit_ghk_iv`: permeability
  ratios with propagated uncertainty, through :func:`nernst.permeability_ratio_biionic` and
  :func:`nernst.fit_permeabilities`.
- :func:`synthetic_membrane_test`, :func:`synthetic_iv_recording`: recordings with known
  answers.

Conventions: time in s, current in pA (positive outward), potentials V_in - V_out in mV,
resistance in MOhm, capacitance in pF.
"""

from __future__ import annotations

from nernst.recordings.iv import (
    IVCurve,
    ReversalPotential,
    iv_curve,
    membrane_voltage,
    reversal_potential,
)
from nernst.recordings.memtest import MembraneTest, membrane_test
from nernst.recordings.plot import plot_iv
from nernst.recordings.ratios import (
    GHKCurveFit,
    PermeabilityRatio,
    PermeabilityRatios,
    biionic_ratio,
    fit_ghk_iv,
    permeability_ratios,
)
from nernst.recordings.recording import Epoch, Recording, read_recording, recording_from_arrays
from nernst.recordings.synthetic import (
    ghk_membrane_current,
    synthetic_iv_recording,
    synthetic_membrane_test,
)

__all__ = [
    "Epoch",
    "GHKCurveFit",
    "IVCurve",
    "MembraneTest",
    "PermeabilityRatio",
    "PermeabilityRatios",
    "Recording",
    "ReversalPotential",
    "biionic_ratio",
    "fit_ghk_iv",
    "ghk_membrane_current",
    "iv_curve",
    "membrane_test",
    "membrane_voltage",
    "permeability_ratios",
    "plot_iv",
    "read_recording",
    "recording_from_arrays",
    "reversal_potential",
    "synthetic_iv_recording",
    "synthetic_membrane_test",
]
