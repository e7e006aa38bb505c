r"""Cation-chloride cotransporters (KCC2, NKCC1) and the chloride they leave inside a neuron.

Both transporters are electroneutral, so only the summed chemical potentials of what they
carry drive them. Per cycle KCC2 moves 1 K+ and 1 Cl- out and NKCC1 moves 1 Na+, 1 K+ and
2 Cl- in; with :math:`E_i` the Nernst potentials the free energies per cycle are

.. math::

    \Delta\mu_{KCC2,out} = F (E_K - E_{Cl}), \qquad
    \Delta\mu_{NKCC1,in} = F (2 E_{Cl} - E_{Na} - E_K)

(:math:`\mu_{out} - \mu_{in}` summed over the ions moved out, and the reverse for NKCC1).
The fluxes here are linear in the driving free energy (the near-equilibrium flux-force
relation of Doyon et al. 2011 and 2016, "J_KCC2 proportional to E_K - E_Cl"):

.. math::

    J_{KCC2,out} = k_{KCC2} \frac{F (E_{Cl} - E_K)}{RT}, \qquad
    J_{NKCC1,in} = k_{NKCC1} \frac{F (E_{Na} + E_K - 2 E_{Cl})}{RT}

so KCC2 is at equilibrium at :math:`E_{Cl} = E_K` and NKCC1 at
:math:`E_{Cl} = (E_{Na} + E_K)/2`. Together with a Cl- conductance (GABA-A receptors, leak)
they set the steady :math:`E_{Cl}` (:func:`chloride_steady_state`), and with it the GABA
reversal potential: hyperpolarising in mature neurons (much KCC2), depolarising in immature
ones (NKCC1 dominant), the "GABA switch" (Ben-Ari 2002; Rivera et al. 1999).

Units: concentrations mM (mappings with "K+", "Na+", "Cl-"), rate coefficients and fluxes
mol cm^-2 s^-1 (per cycle), conductance S/cm^2, potentials mV, temperature degC.

References
----------
.. [1] Doyon N., Prescott S.A., Castonguay A., Godin A.G., Kroger H., De Koninck Y. (2011)
   Efficacy of synaptic inhibition depends on multiple, dynamically interacting mechanisms
   implicated in chloride homeostasis. PLoS Comput. Biol. 7:e1002149.
   doi:10.1371/journal.pcbi.1002149
.. [2] Doyon N., Vinay L., Prescott S.A., De Koninck Y. (2016) Chloride regulation: a
   dynamic equilibrium crucial for synaptic inhibition. Neuron 89:1157-1172.
   doi:10.1016/j.neuron.2016.02.030
.. [3] Payne J.A., Rivera C., Voipio J., Kaila K. (2003) Cation-chloride co-transporters in
   neuronal communication, development and trauma. Trends Neurosci. 26:199-206.
   doi:10.1016/S0166-2236(03)00068-7
.. [4] Rivera C. et al. (1999) The K+/Cl- co-transporter KCC2 renders GABA hyperpolarizing
   during neuronal maturation. Nature 397:251-255. doi:10.1038/16697
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nernst._validate import finite, non_negative, scalar_or_array
from nernst.constants import BODY_TEMPERATURE_C, FARADAY

__all__ = ["Cotransporters", "chloride_steady_state", "kcc2_flux", "nkcc1_flux"]


@dataclass(frozen=True)
class Cotransporters:
    """KCC2 and NKCC1 in the pump-leak model (:func:`nernst.simulate`).

    Attributes
    ----------
    kcc2, nkcc1 : float
        Rate coefficients k (>= 0) of :func:`kcc2_flux` and :func:`nkcc1_flux`: the cycles per
        area and time at a driving force of RT per cycle. [mol cm^-2 s^-1]

    Examples
    --------
    >>> Cotransporters(kcc2=1e-12).active
    True
    """

    kcc2: float = 0.0
    nkcc1: float = 0.0

    def __post_init__(self) -> None:
        for name in ("kcc2", "nkcc1"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(
                    f"{name}={value!r}: a rate coefficient is a number [mol cm^-2 s^-1]"
                )
            if not (np.isfinite(value) and value >= 0):
                raise ValueError(
                    f"{name}={value!r}: a rate coefficient must be finite and >= 0 [mol cm^-2 s^-1]"
                )

    @property
    def active(self) -> bool:
        """Whether either transporter runs."""
        return self.kcc2 > 0 or self.nkcc1 > 0


def kcc2_drive(k_in: Any, cl_in: Any, k_out: Any, cl_out: Any) -> Any:
    """F (E_Cl - E_K) / RT = ln(K_i Cl_i / (K_o Cl_o)) for trusted positive inputs."""
    return np.log(k_in * cl_in / (k_out * cl_out))


def nkcc1_drive(na_in: Any, k_in: Any, cl_in: Any, na_out: Any, k_out: Any, cl_out: Any) -> Any:
    """F (E_Na + E_K - 2 E_Cl) / RT for trusted positive inputs."""
    return np.log((na_out * k_out * cl_out * cl_out) / (na_in * k_in * cl_in * cl_in))


def _E(
    ion: str, c_in: Mapping[str, ArrayLike], c_out: Mapping[str, ArrayLike], celsius: Any
) -> Any:
    import nernst

    for side, values in (("c_in", c_in), ("c_out", c_out)):
        if not isinstance(values, Mapping) or ion not in values:
            raise ValueError(
                f"{side} has no {ion}: the cotransporters need K+, Na+ and Cl- concentrations "
                f"[mM] on both sides, e.g. {side}={{'K+': 140, 'Na+': 10, 'Cl-': 7}}"
            )
    return np.asarray(
        nernst.equilibrium_potential(ion, c_in=c_in[ion], c_out=c_out[ion], celsius=celsius)
    )


def _f_over_rt(celsius: ArrayLike) -> Any:
    import nernst

    return 1.0 / np.asarray(nernst.thermal_voltage(celsius=celsius))  # 1/mV


def kcc2_flux(
    *,
    rate: ArrayLike,
    c_in: Mapping[str, ArrayLike],
    c_out: Mapping[str, ArrayLike],
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""KCC2 (K+-Cl- cotransporter) cycles per area and time, outward positive.

    .. math:: J_{out} = k \, \frac{F (E_{Cl} - E_K)}{RT}
              = k \ln\frac{[K^+]_{in} [Cl^-]_{in}}{[K^+]_{out} [Cl^-]_{out}}

    Parameters
    ----------
    rate : array_like
        Rate coefficient k (>= 0): the flux at a driving force of RT per cycle.
        [mol cm^-2 s^-1]
    c_in, c_out : mapping of str to array_like
        Concentrations with "K+" and "Cl-". [mM]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    J : float or ndarray
        Cycles (1 K+ and 1 Cl- each) out per area and time; negative means inward. [mol cm^-2 s^-1]

    See Also
    --------
    nkcc1_flux, chloride_steady_state

    Examples
    --------
    At E_Cl = E_K (here [K+]i[Cl-]i = [K+]o[Cl-]o) KCC2 stops:

    >>> kcc2_flux(rate=1e-12, c_in={"K+": 140, "Cl-": 5}, c_out={"K+": 5, "Cl-": 140})
    0.0

    References
    ----------
    .. [1] Doyon N. et al. (2016) Neuron 89:1157-1172. doi:10.1016/j.neuron.2016.02.030
    """
    k = non_negative("rate", rate, what="rate coefficient", unit="mol cm^-2 s^-1")
    _E("Cl-", c_in, c_out, celsius)  # validates every concentration and the temperature
    _E("K+", c_in, c_out, celsius)
    drive = kcc2_drive(*(np.asarray(c[i], float) for c in (c_in, c_out) for i in ("K+", "Cl-")))
    return scalar_or_array(k * drive)


def nkcc1_flux(
    *,
    rate: ArrayLike,
    c_in: Mapping[str, ArrayLike],
    c_out: Mapping[str, ArrayLike],
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""NKCC1 (Na+-K+-2Cl- cotransporter) cycles per area and time, inward positive.

    .. math:: J_{in} = k \, \frac{F (E_{Na} + E_K - 2 E_{Cl})}{RT}
              = k \ln\frac{[Na^+]_{out} [K^+]_{out} [Cl^-]_{out}^2}
                          {[Na^+]_{in} [K^+]_{in} [Cl^-]_{in}^2}

    Parameters
    ----------
    rate : array_like
        Rate coefficient k (>= 0). [mol cm^-2 s^-1]
    c_in, c_out : mapping of str to array_like
        Concentrations with "Na+", "K+" and "Cl-". [mM]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    J : float or ndarray
        Cycles (1 Na+, 1 K+, 2 Cl- each) in per area and time. [mol cm^-2 s^-1]

    See Also
    --------
    kcc2_flux, chloride_steady_state

    Examples
    --------
    NKCC1 loads Cl- until E_Cl = (E_Na + E_K)/2:

    >>> J = nkcc1_flux(rate=1e-12, c_in={"Na+": 10, "K+": 140, "Cl-": 7},
    ...                c_out={"Na+": 145, "K+": 5, "Cl-": 130})
    >>> bool(J > 0)
    True

    References
    ----------
    .. [1] Payne J.A. et al. (2003) Trends Neurosci. 26:199-206.
       doi:10.1016/S0166-2236(03)00068-7
    """
    k = non_negative("rate", rate, what="rate coefficient", unit="mol cm^-2 s^-1")
    for ion in ("Na+", "K+", "Cl-"):
        _E(ion, c_in, c_out, celsius)  # validates every concentration and the temperature
    drive = nkcc1_drive(
        *(np.asarray(c[i], float) for c in (c_in, c_out) for i in ("Na+", "K+", "Cl-"))
    )
    return scalar_or_array(k * drive)


def chloride_steady_state(
    *,
    v_m: ArrayLike,
    c_in: Mapping[str, ArrayLike],
    c_out: Mapping[str, ArrayLike],
    g_cl: ArrayLike,
    kcc2: ArrayLike = 0.0,
    nkcc1: ArrayLike = 0.0,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""Steady-state E_Cl of a neuron with a Cl- conductance, KCC2 and NKCC1.

    With K+ and Na+ held by the Na+/K+ pump and V clamped at ``v_m``, Cl- is at steady
    state when its leak influx :math:`g_{Cl}(V - E_{Cl})/F` (ohmic), the NKCC1 influx
    :math:`2 J_{NKCC1}` and the KCC2 efflux :math:`J_{KCC2}` balance. Every term is linear in
    :math:`E_{Cl}`, so the steady state is a weighted mean:

    .. math::

        E_{Cl} = \frac{w_g V + w_K E_K + w_N (E_{Na} + E_K)/2}{w_g + w_K + w_N},
        \qquad w_g = \frac{g_{Cl}}{F}, \quad w_K = \frac{k_{KCC2} F}{RT},
        \quad w_N = \frac{4 k_{NKCC1} F}{RT}

    Parameters
    ----------
    v_m : array_like
        Membrane potential. [mV]
    c_in, c_out : mapping of str to array_like
        "Na+" and "K+" concentrations (and "Cl-" outside, for the returned internal Cl-). [mM]
    g_cl : array_like
        Cl- conductance (>= 0). [S/cm^2]
    kcc2, nkcc1 : array_like, default 0
        Rate coefficients of the cotransporters (>= 0). [mol cm^-2 s^-1]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    E_Cl : float or ndarray
        Steady-state chloride reversal potential. [mV]

    Raises
    ------
    ValueError
        All three of g_cl, kcc2 and nkcc1 zero (nothing moves Cl-), negative values.

    See Also
    --------
    kcc2_flux, nkcc1_flux, nernst.chord_potential

    Notes
    -----
    The internal [Cl-] follows from E_Cl by Nernst:
    :math:`[Cl^-]_{in} = [Cl^-]_{out} e^{F E_{Cl}/RT}`. The three limits: only the
    conductance gives E_Cl = V (passive Cl-); only KCC2 gives E_K; only NKCC1 gives
    (E_Na + E_K)/2, far positive of rest, so GABA-A currents depolarise.

    Examples
    --------
    A mature neuron at -65 mV with KCC2 only and no Cl- leak sits at E_K:

    >>> c_in, c_out = {"K+": 140, "Na+": 10}, {"K+": 5, "Na+": 145, "Cl-": 130}
    >>> round(chloride_steady_state(v_m=-65, c_in=c_in, c_out=c_out, g_cl=0, kcc2=1e-12), 2)
    -89.06

    References
    ----------
    .. [1] Doyon N. et al. (2011) PLoS Comput. Biol. 7:e1002149.
       doi:10.1371/journal.pcbi.1002149
    """
    V = finite("v_m", v_m, unit="mV")
    g = non_negative("g_cl", g_cl, what="conductance", unit="S/cm^2")
    kk = non_negative("kcc2", kcc2, what="rate coefficient", unit="mol cm^-2 s^-1")
    kn = non_negative("nkcc1", nkcc1, what="rate coefficient", unit="mol cm^-2 s^-1")
    E_k = _E("K+", c_in, c_out, celsius)
    E_na = _E("Na+", c_in, c_out, celsius)
    f_rt = _f_over_rt(celsius)  # 1/mV
    # Everything in mol cm^-2 s^-1 per mV: g [S/cm^2 = A/(V cm^2)] / F -> per V; / 1e3 per mV.
    w_g = g / FARADAY * 1e-3
    w_k = kk * f_rt
    w_n = 4.0 * kn * f_rt
    total = w_g + w_k + w_n
    if np.any(total == 0):
        raise ValueError(
            "g_cl, kcc2 and nkcc1 are all zero: nothing moves Cl-, so it has no steady state; "
            "give a Cl- conductance or a cotransporter rate > 0"
        )
    return scalar_or_array((w_g * V + w_k * E_k + w_n * (E_na + E_k) / 2) / total)
