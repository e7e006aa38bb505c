"""Bioenergetics: the proton-motive force, ATP synthase and the free energy of ATP hydrolysis.

For proton pumps and ATP synthase "in" is the N side of the membrane (mitochondrial matrix,
bacterial cytoplasm, chloroplast stroma, plant cytosol) and "out" the P side; the membrane
potential v_m = psi_in - psi_out, as V = V_in - V_out everywhere in nernst. Energies in
J/mol; temperature in degC (keyword ``celsius``, default 37).

Other array libraries: proton_motive_force, proton_free_energy, atp_hydrolysis_free_energy
and atp_synthase_protons accept arrays of any Array API library and return arrays of that
library (see :mod:`nernst._validate`).

References
----------
.. [1] Nicholls D.G., Ferguson S.J. (2013) Bioenergetics, 4th ed., Academic Press, ch. 3-4.
.. [2] Mitchell P. (1966) Chemiosmotic coupling in oxidative and photosynthetic
   phosphorylation. Biol. Rev. 41:445-502. https://doi.org/10.1111/j.1469-185X.1966.tb01501.x
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from nernst._deprecate import renamed_arguments
from nernst._validate import (
    broadcast_shape,
    finite,
    xp_finite,
    xp_float,
    xp_positive,
)
from nernst.constants import BODY_TEMPERATURE_C, FARADAY, LN10, MOLAR_PER_MM, MV_PER_V
from nernst.energetics import _namespace, _result, _xp_thermal_voltage

__all__ = [
    "ATP_HYDROLYSIS_DG0_PRIME",
    "atp_hydrolysis_free_energy",
    "atp_synthase_protons",
    "proton_free_energy",
    "proton_motive_force",
]

#: Standard transformed free energy of ATP hydrolysis, ATP + H2O -> ADP + Pi, at pH 7 and
#: 25 degC (Nelson & Cox, Lehninger Principles of Biochemistry, ch. 13; Berg, Tymoczko &
#: Stryer, Biochemistry, ch. 15; Alberts et al., Molecular Biology of the Cell, ch. 2). [J/mol]
ATP_HYDROLYSIS_DG0_PRIME = -30.5e3


@renamed_arguments(delta_psi="v_m")
def proton_motive_force(
    *,
    v_m: ArrayLike,
    delta_ph: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""Proton-motive force across an energy-transducing membrane, N side relative to P side.

    .. math:: \Delta p = \Delta\psi - \frac{RT \ln 10}{F}\,\Delta\mathrm{pH},
              \qquad \Delta\psi = \psi_{in} - \psi_{out},
              \quad \Delta\mathrm{pH} = \mathrm{pH}_{in} - \mathrm{pH}_{out}

    Sign convention (the same as V = V_in - V_out everywhere in nernst): "in" is the N side,
    where protons are pumped *from* and flow back *to* through ATP synthase: the
    mitochondrial matrix, the bacterial cytoplasm, the chloroplast stroma, the plant cytosol.
    "out" is the P side: intermembrane space, periplasm/medium, thylakoid lumen, apoplast.
    A negative :math:`\Delta p` means H+ entering the N side is downhill by
    :math:`F |\Delta p|` per mole (see :func:`proton_free_energy`). Texts that quote
    :math:`\Delta p` as a positive number (about 200 mV in mitochondria [1]_) give its
    magnitude, the P side relative to the N side.

    Typical values (ln(10) RT/F = 61.5 mV per pH unit at 37 degC, 59.2 at 25 degC):

    - mitochondria [1]_: :math:`\Delta\psi` = -150 to -180 mV (matrix negative),
      :math:`\Delta\mathrm{pH}` = +0.5 to +0.8 (matrix alkaline), so
      :math:`\Delta p` of about -180 to -230 mV, :math:`|\Delta p|` about 200 mV;
    - chloroplast thylakoids in the light [2]_: :math:`\Delta\mathrm{pH}` about +3
      (stroma pH 8 vs lumen pH 5), :math:`\Delta\psi` small (a few tens of mV), so
      :math:`\Delta p` of about -180 to -200 mV, almost all of it chemical;
    - plant plasma membrane [3]_: :math:`V_m` about -150 mV and cytosol pH 7.5 vs apoplast
      pH 5.5 (:math:`\Delta\mathrm{pH}` = +2), so :math:`\Delta p` of about -270 mV: the
      driving force of H+-coupled nutrient uptake.

    Parameters
    ----------
    v_m : array_like
        Membrane potential, the electrical potential of the N side minus the P side,
        :math:`\Delta\psi = \psi_{in} - \psi_{out}` (for a plasma membrane V_m). Formerly
        ``delta_psi`` (deprecated, still accepted with a warning). [mV]
    delta_ph : array_like
        pH of the N side minus the P side, pH_in - pH_out. [pH units]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    pmf : float or ndarray
        Proton-motive force, the electrochemical potential difference of H+ (in - out)
        divided by F. [mV]

    Raises
    ------
    ValueError
        Non-finite v_m or delta_ph, bad temperature, shapes that do not broadcast.

    See Also
    --------
    proton_free_energy : the same quantity as an energy, F times this.
    atp_synthase_protons : how many protons this force needs per ATP.
    nernst.transport_free_energy : the general free energy of moving an ion.

    Notes
    -----
    With :math:`\ln([H^+]_{in}/[H^+]_{out}) = -\ln 10\,\Delta\mathrm{pH}` this is
    :func:`nernst.transport_free_energy` of H+ from out to in, divided by F. RT/F comes
    from :func:`nernst.thermal_voltage`. ``delta_psi=`` is the deprecated spelling of
    ``v_m=``.

    Examples
    --------
    Respiring mitochondria, matrix at -160 mV and 0.7 pH units alkaline, 37 degC:

    >>> round(proton_motive_force(v_m=-160, delta_ph=0.7), 1)
    -203.1

    References
    ----------
    .. [1] Nicholls D.G., Ferguson S.J. (2013) Bioenergetics, 4th ed., Academic Press, ch. 4
       (the protonmotive force and its measurement).
    .. [2] Nicholls D.G., Ferguson S.J. (2013) Bioenergetics, 4th ed., ch. 6 (photosynthetic
       generators of protonmotive force).
    .. [3] Taiz L., Zeiger E. Plant Physiology, ch. 6 (the plasma-membrane H+-ATPase).
    .. [4] Mitchell P. (1966) Chemiosmotic coupling in oxidative and photosynthetic
       phosphorylation. Biol. Rev. 41:445-502.
       https://doi.org/10.1111/j.1469-185X.1966.tb01501.x
    """
    xp, dt = _namespace(v_m, delta_ph, celsius)
    broadcast_shape(celsius=celsius, v_m=v_m, delta_ph=delta_ph)
    VT = _xp_thermal_voltage(xp, dt, celsius)
    psi = xp_finite(xp, dt, "v_m", v_m, unit="mV")
    dph = xp_finite(xp, dt, "delta_ph", delta_ph, unit="pH units")
    return _result(xp, psi - LN10 * VT * dph)


@renamed_arguments(delta_psi="v_m")
def proton_free_energy(
    *,
    v_m: ArrayLike,
    delta_ph: ArrayLike,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""Free energy of moving one mole of H+ from the P side to the N side ("in").

    .. math:: \Delta G_{H^+} = RT \ln\frac{[H^+]_{in}}{[H^+]_{out}} + F\,\Delta\psi
              = F\,\Delta p

    This is :func:`transport_free_energy` of H+ from out to in, written with pH
    (:math:`\ln([H^+]_{in}/[H^+]_{out}) = -\ln 10\,\Delta\mathrm{pH}`). Negative: protons
    flowing in (through ATP synthase or an H+-coupled symporter) release this much free energy;
    a proton pump moving H+ out must spend at least its magnitude.

    Parameters
    ----------
    v_m : array_like
        Membrane potential psi_in - psi_out, N side relative to P side. Formerly
        ``delta_psi`` (deprecated). [mV]
    delta_ph : array_like
        pH_in - pH_out. [pH units]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    dG : float or ndarray
        Free energy per mole of H+ moved in. [J/mol]

    See Also
    --------
    proton_motive_force : the same quantity in mV.
    nernst.transport_free_energy : the general form for any ion.

    Notes
    -----
    :math:`\Delta G_{H^+} = F \Delta p` exactly (z = 1), so this is one multiplication of
    :func:`proton_motive_force`.

    Examples
    --------
    About -19.6 kJ/mol for respiring mitochondria (Delta p about -203 mV):

    >>> round(proton_free_energy(v_m=-160, delta_ph=0.7) / 1e3, 2)
    -19.59

    References
    ----------
    .. [1] Nicholls D.G., Ferguson S.J. (2013) Bioenergetics, 4th ed., ch. 3-4.
    """
    pmf = proton_motive_force(v_m=v_m, delta_ph=delta_ph, celsius=celsius)
    return FARADAY / MV_PER_V * pmf  # a float, ndarray or foreign array, as pmf


@renamed_arguments(delta_g_atp="dg_atp")
def atp_synthase_protons(*, dg_atp: ArrayLike, pmf: ArrayLike) -> float | np.ndarray:
    r"""Smallest number of H+ per ATP with which the proton-motive force can make ATP.

    Synthesis needs :math:`|\Delta G_{ATP}|` per mole of ATP; each mole of H+ flowing in
    provides :math:`F |\Delta p|`. Thermodynamics allows synthesis only when

    .. math:: n \ge n_{min} = \frac{|\Delta G_{ATP}|}{F\,|\Delta p|}

    Magnitudes are used, so either sign convention for :math:`\Delta G_{ATP}` (hydrolysis,
    negative) and :math:`\Delta p` gives the same number.

    For comparison, the real enzyme's H+/ATP is fixed by its rotor: c subunits per ring
    divided by 3 ATP per turn. Bovine (mammalian) mitochondria have a c8 ring, so 8/3 = 2.7
    H+/ATP (plus 1 H+ to import ADP and Pi) [1]_; yeast c10 gives 3.3, chloroplast c14 gives
    4.7.

    Parameters
    ----------
    dg_atp : array_like
        Free energy of ATP hydrolysis under cell conditions, about -50 to -60 kJ/mol
        (:func:`atp_hydrolysis_free_energy`). Formerly ``delta_g_atp`` (deprecated). [J/mol]
    pmf : array_like
        Proton-motive force (:func:`proton_motive_force`); not zero. [mV]

    Returns
    -------
    n_min : float or ndarray
        Minimum H+ per ATP. [unitless]

    Raises
    ------
    ValueError
        Non-finite input or pmf = 0 (no number of protons can then make ATP).

    See Also
    --------
    proton_motive_force : the force each proton provides.
    atp_hydrolysis_free_energy : the free energy each ATP needs.

    Notes
    -----
    A thermodynamic minimum: the rotor's c-ring fixes the real stoichiometry, and the
    difference is the driving force that keeps synthesis running. ``delta_g_atp=`` is the
    deprecated spelling of ``dg_atp=``.

    Examples
    --------
    With -55 kJ/mol at a proton-motive force of -200 mV, at least 2.85 H+ per ATP:

    >>> round(atp_synthase_protons(dg_atp=-55e3, pmf=-200), 2)
    2.85

    References
    ----------
    .. [1] Watt I.N., Montgomery M.G., Runswick M.J., Leslie A.G.W., Walker J.E. (2010)
       Bioenergetic cost of making an adenosine triphosphate molecule in animal mitochondria.
       Proc. Natl. Acad. Sci. USA 107:16823-16827.
       https://doi.org/10.1073/pnas.1011099107
    .. [2] Nicholls D.G., Ferguson S.J. (2013) Bioenergetics, 4th ed., ch. 4 and 7.
    """
    xp, dt = _namespace(dg_atp, pmf)
    broadcast_shape(dg_atp=dg_atp, pmf=pmf)
    dG = xp_finite(xp, dt, "dg_atp", dg_atp, unit="J/mol")
    p = xp_float(xp, dt, pmf, _nonzero_pmf, lambda a: xp.isfinite(a) & (a != 0))
    return _result(xp, xp.abs(dG) / (FARADAY / MV_PER_V * xp.abs(p)))


def _nonzero_pmf(pmf: ArrayLike) -> np.ndarray:
    p = finite("pmf", pmf, unit="mV")
    if np.any(p == 0):
        raise ValueError(
            "pmf=0: with no proton-motive force no number of protons can drive ATP synthesis; "
            "give a non-zero pmf [mV]"
        )
    return p


def atp_hydrolysis_free_energy(
    *,
    atp: ArrayLike,
    adp: ArrayLike,
    pi: ArrayLike,
    delta_g0_prime: ArrayLike = ATP_HYDROLYSIS_DG0_PRIME,
    celsius: ArrayLike = BODY_TEMPERATURE_C,
) -> float | np.ndarray:
    r"""Actual free energy of ATP hydrolysis (the phosphorylation potential) in a cell.

    .. math:: \Delta G_p = \Delta G'^\circ + RT \ln\frac{[ADP][P_i]}{[ATP]}

    with concentrations in mol/L (the 1 M standard state; the inputs in mM are divided by
    1000) and :math:`\Delta G'^\circ` = -30.5 kJ/mol at pH 7. As in the textbooks, the
    temperature enters only through RT; :math:`\Delta G'^\circ` is the 25 degC value.

    Parameters
    ----------
    atp, adp, pi : array_like
        Concentrations of ATP, ADP and inorganic phosphate. [mM]
    delta_g0_prime : array_like, default -30.5e3
        Standard transformed free energy of hydrolysis at pH 7. [J/mol]
    celsius : array_like, default 37.0
        Temperature. [degC]

    Returns
    -------
    dG : float or ndarray
        Free energy released per mole of ATP hydrolysed; negative. [J/mol]

    See Also
    --------
    atp_synthase_protons : the protons needed to make ATP against this free energy.
    nernst.sodium_pump_reversal_potential : what this free energy allows the Na+/K+ pump.

    Notes
    -----
    :math:`\Delta G'^\circ` depends on pH and free Mg2+ as well as temperature; only the
    RT ln Q term changes with ``celsius`` here. RT comes from :func:`nernst.thermal_voltage`
    (RT = F V_T).

    Examples
    --------
    Human erythrocytes, ATP 2.25, ADP 0.25, Pi 1.65 mM at 37 degC (Lehninger's worked example,
    -52 kJ/mol):

    >>> round(atp_hydrolysis_free_energy(atp=2.25, adp=0.25, pi=1.65) / 1e3, 1)
    -52.7

    References
    ----------
    .. [1] Nelson D.L., Cox M.M. Lehninger Principles of Biochemistry, 5th ed. (2008), ch. 13:
       Table 13-5 (adenine nucleotide and Pi concentrations in some cells) and the worked
       example "Calculation of Delta G_p" for the erythrocyte.
    .. [2] Berg J.M., Tymoczko J.L., Stryer L. Biochemistry, ch. 15 (Delta G'0 of ATP
       hydrolysis = -30.5 kJ/mol).
    """
    xp, dt = _namespace(atp, adp, pi, delta_g0_prime, celsius)
    broadcast_shape(celsius=celsius, atp=atp, adp=adp, pi=pi, delta_g0_prime=delta_g0_prime)
    VT = _xp_thermal_voltage(xp, dt, celsius)
    c_atp = xp_positive(xp, dt, "atp", atp)
    c_adp = xp_positive(xp, dt, "adp", adp)
    c_pi = xp_positive(xp, dt, "pi", pi)
    dG0 = xp_finite(xp, dt, "delta_g0_prime", delta_g0_prime, unit="J/mol")
    # mM -> M for each of the three concentrations: one factor 1e-3 survives in the quotient.
    quotient = (c_adp * MOLAR_PER_MM) * (c_pi * MOLAR_PER_MM) / (c_atp * MOLAR_PER_MM)
    RT = FARADAY / MV_PER_V * VT  # J/mol
    return _result(xp, dG0 + RT * xp.log(quotient))
