"""Synthetic recordings with known answers: RC membrane tests and GHK step and ramp I-V.

For tests, tutorials and checking an analysis: every current here comes from a circuit
equation or from :func:`nernst.ghk_current`, so the true R_s, R_m, C_m, reversal potential
and permeabilities are known.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from nernst.recordings.recording import Epoch, Recording, recording_from_arrays

__all__ = ["ghk_membrane_current", "synthetic_iv_recording", "synthetic_membrane_test"]


def synthetic_membrane_test(
    *,
    r_s: float,
    r_m: float,
    c_m: float,
    v_hold: float = -70.0,
    delta_v: float = -10.0,
    e_rest: float = 0.0,
    sampling_rate: float = 20_000.0,
    duration: float = 0.5,
    step: tuple[float, float] = (0.0078, 0.2078),
    n_sweeps: int = 5,
    noise: float = 0.0,
    filter_hz: float | None = None,
    seed: int | None = 0,
) -> Recording:
    r"""Voltage-clamp sweeps of a -10 mV step applied to R_s in series with R_m || C_m.

    The exact response of the circuit, sampled at ``sampling_rate`` with the step at a
    sample boundary (t measured from the step onset, the sample at the onset taking the
    value just after it):

    .. math::

        I(t) = \frac{V - E}{R_s + R_m} + \Delta V \frac{R_m}{R_s (R_s + R_m)} e^{-t/\tau},
        \qquad \tau = C_m \frac{R_s R_m}{R_s + R_m},

    and the mirror image at the end of the step.

    Parameters
    ----------
    r_s, r_m : float
        Series and membrane resistance (> 0). [MOhm]
    c_m : float
        Membrane capacitance (> 0). [pF]
    v_hold, delta_v : float
        Holding potential and step height. [mV]
    e_rest : float, default 0.0
        Reversal potential of R_m (sets the holding current). [mV]
    sampling_rate : float, default 20000
        [Hz]
    duration : float, default 0.5
        Sweep length. [s]
    step : (float, float)
        Start and end of the step. [s]
    n_sweeps : int, default 5
    noise : float, default 0.0
        SD of Gaussian white noise added to each sample. [pA]
    filter_hz : float, optional
        -3 dB frequency of a 4-pole Bessel low-pass applied to the current (causal, as an
        amplifier's output filter; :func:`scipy.signal.bessel`). [Hz]
    seed : int or None, default 0
        Seed of :func:`numpy.random.default_rng`.

    Returns
    -------
    Recording

    Examples
    --------
    >>> rec = synthetic_membrane_test(r_s=10, r_m=500, c_m=33)
    >>> rec.n_sweeps, rec.epochs[1].levels[0]
    (5, np.float64(-80.0))
    """
    for name, value in (("r_s", r_s), ("r_m", r_m), ("c_m", c_m)):
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name}={value!r} must be a positive finite number")
    fs = float(sampling_rate)
    n = round(duration * fs)
    k0, k1 = round(step[0] * fs), round(step[1] * fs)
    t = np.arange(n) / fs
    tau = c_m * 1e-12 * (r_s * r_m) / (r_s + r_m) * 1e6  # s
    r_tot = (r_s + r_m) * 1e6  # Ohm
    cmd = np.full(n, v_hold)
    cmd[k0:k1] = v_hold + delta_v
    i = (cmd - e_rest) * 1e-3 / r_tot  # A
    amp = delta_v * 1e-3 * r_m / (r_s * (r_s + r_m) * 1e6)  # A
    on = np.arange(n) >= k0
    i = i + np.where(on, amp * np.exp(-np.clip(t - t[k0], 0, None) / tau), 0.0)
    off = np.arange(n) >= k1
    i = i - np.where(off, amp * np.exp(-np.clip(t - t[min(k1, n - 1)], 0, None) / tau), 0.0)
    i = i * 1e12
    if filter_hz is not None:
        from scipy.signal import bessel, lfilter, lfilter_zi

        b, a = bessel(4, filter_hz, btype="low", norm="mag", fs=fs)
        i = lfilter(b, a, i, zi=lfilter_zi(b, a) * i[0])[0]
    rng = np.random.default_rng(seed)
    y = i + noise * rng.standard_normal((n_sweeps, n))
    return recording_from_arrays(
        y, cmd, sampling_rate=fs, source="synthetic RC cell", protocol="synthetic memtest"
    )


def ghk_membrane_current(
    v_m: np.ndarray,
    *,
    permeability: Mapping[str, float],
    c_in: Mapping[str, float],
    c_out: Mapping[str, float],
    area: float = 1e-5,
    celsius: float = 22.0,
) -> np.ndarray:
    """Total GHK current of a cell, sum of :func:`nernst.ghk_current` over ions. [pA]

    Parameters
    ----------
    v_m : array_like
        Membrane potential V_in - V_out. [mV]
    permeability : mapping of str to float
        Permeability of each ion. [cm/s]
    c_in, c_out : mapping of str to float
        Concentrations. [mM]
    area : float, default 1e-5
        Membrane area (1e-5 cm^2 = 1000 um^2). [cm^2]
    celsius : float, default 22.0
        [degC]

    Returns
    -------
    I : ndarray
        Membrane current, positive outward. [pA]

    Examples
    --------
    >>> float(ghk_membrane_current(np.array(0.0), permeability={"K+": 1e-6},
    ...       c_in={"K+": 140}, c_out={"K+": 140}))
    0.0
    """
    import nernst

    v = np.asarray(v_m, float)
    total = np.zeros_like(v)
    for ion, p in permeability.items():
        total = total + np.asarray(
            nernst.ghk_current(
                v,
                ion,
                permeability=p,
                c_in=c_in.get(ion, 0.0),
                c_out=c_out.get(ion, 0.0),
                celsius=celsius,
            )
        )
    return total * area * 1e9  # mA -> pA


def synthetic_iv_recording(
    *,
    permeability: Mapping[str, float],
    c_in: Mapping[str, float],
    c_out: Mapping[str, float],
    levels: Sequence[float] | None = None,
    ramp: tuple[float, float] | None = None,
    v_hold: float = -70.0,
    area: float = 1e-5,
    celsius: float = 22.0,
    ljp: float = 0.0,
    r_s: float = 0.0,
    c_m: float = 0.0,
    leak_g: float = 0.0,
    leak_e: float = 0.0,
    noise: float = 0.0,
    sampling_rate: float = 10_000.0,
    duration: float = 0.3,
    step: tuple[float, float] = (0.05, 0.25),
    n_sweeps: int = 1,
    seed: int | None = 0,
) -> Recording:
    r"""A voltage-clamp recording of a GHK membrane: steps to ``levels`` or one ``ramp``.

    The membrane sees :math:`V_m = V_{cmd} - LJP - I R_s` (an uncompensated series
    resistance; solved for each sample with :func:`scipy.optimize.brentq`), and carries

    .. math::

        I = A \sum_k P_k\, i_{GHK,k}(V_m) + g_{leak} (V_m - E_{leak})
            + C_m\, dV_m/dt \;(\text{capacitive transients after each step}),

    plus Gaussian white noise. Steps: one sweep per level (times ``n_sweeps`` repeats), from
    ``v_hold`` over ``step``. Ramp: ``n_sweeps`` sweeps of a linear command from ``ramp[0]`` to
    ``ramp[1]`` over ``step``, held at the start level before and at the end level after.

    Parameters
    ----------
    permeability : mapping of str to float
        Permeabilities. [cm/s]
    c_in, c_out : mapping of str to float
        Concentrations. [mM]
    levels : sequence of float, optional
        Step commands. [mV]
    ramp : (float, float), optional
        Start and end of a ramp command (instead of ``levels``). [mV]
    v_hold : float, default -70
        [mV]
    area : float, default 1e-5
        [cm^2]
    celsius : float, default 22
        [degC]
    ljp : float, default 0
        Liquid junction potential, V_bath - V_pipette. [mV]
    r_s : float, default 0
        Uncompensated series resistance. [MOhm]
    c_m : float, default 0
        Membrane capacitance for the transients (time constant R_s C_m, at least one sample
        interval). [pF]
    leak_g, leak_e : float, default 0
        Linear leak conductance [nS] and its reversal potential [mV].
    noise : float, default 0
        SD of white noise per sample. [pA]
    sampling_rate, duration, step, n_sweeps, seed
        Sampling [Hz], sweep length [s], step or ramp window [s], repeats, random seed.

    Returns
    -------
    Recording

    Examples
    --------
    >>> rec = synthetic_iv_recording(permeability={"K+": 1e-6}, c_in={"K+": 140},
    ...                              c_out={"K+": 5}, levels=[-100, -80, -60])
    >>> rec.n_sweeps, rec.test_epoch.levels.tolist()
    (3, [-100.0, -80.0, -60.0])
    """
    from scipy.optimize import brentq

    if (levels is None) == (ramp is None):
        raise ValueError("give either levels=[...] (steps) or ramp=(start, end), not both")
    fs = float(sampling_rate)
    n = round(duration * fs)
    k0, k1 = round(step[0] * fs), round(step[1] * fs)
    if levels is not None:
        lv = [float(v) for v in levels for _ in range(n_sweeps)]
        cmd = np.full((len(lv), n), v_hold)
        for j, v in enumerate(lv):
            cmd[j, k0:k1] = v
    elif ramp is not None:
        v0, v1 = float(ramp[0]), float(ramp[1])
        one = np.empty(n)
        one[:k0] = v0
        one[k0:k1] = np.linspace(v0, v1, k1 - k0)
        one[k1:] = v1
        cmd = np.tile(one, (n_sweeps, 1))

    def membrane(v: np.ndarray) -> np.ndarray:
        gate = ghk_membrane_current(
            v, permeability=permeability, c_in=c_in, c_out=c_out, area=area, celsius=celsius
        )
        return gate + leak_g * (v - leak_e)  # nS * mV = pA

    v_free = cmd - ljp
    if r_s > 0:
        # V_m = V_cmd - LJP - I(V_m) R_s: one root per distinct command level.
        uniq, inverse = np.unique(v_free, return_inverse=True)
        solved = np.empty_like(uniq)
        for j, vc in enumerate(uniq):

            def f(vm: float, vc: float = float(vc)) -> float:
                return vm - vc + float(membrane(np.array(vm))) * r_s * 1e-3

            solved[j] = brentq(f, vc - 1000.0, vc + 1000.0, xtol=1e-12)
        v_m = solved[inverse].reshape(v_free.shape)
    else:
        v_m = v_free
    i = membrane(v_m)
    if c_m > 0:
        from scipy.signal import lfilter

        # Each change dV of V_m charges C_m through R_s: C dV / tau, decaying with
        # tau = R_s C_m (at least one sample): a first-order recursive filter of dV.
        tau = max(r_s * 1e6 * c_m * 1e-12, 1.0 / fs)
        dv = np.diff(v_m, axis=1, prepend=v_m[:, :1])
        decay = math.exp(-1.0 / (tau * fs))
        charge = c_m * 1e-12 * dv * 1e-3 / tau * 1e12  # pA at the first sample
        i = i + lfilter([1.0], [1.0, -decay], charge, axis=1)
    rng = np.random.default_rng(seed)
    y = i + noise * rng.standard_normal(i.shape)
    epochs = None
    if ramp is not None:
        epochs = (
            Epoch(0, k0, "step", cmd[:, 0].copy(), cmd[:, 0].copy()),
            Epoch(k0, k1, "ramp", cmd[:, k0].copy(), cmd[:, k1 - 1].copy()),
            Epoch(k1, n, "step", cmd[:, -1].copy(), cmd[:, -1].copy()),
        )
    return recording_from_arrays(
        y,
        cmd,
        sampling_rate=fs,
        source="synthetic GHK membrane",
        protocol="synthetic ramp" if ramp is not None else "synthetic steps",
        holding=v_hold,
        epochs=epochs,
    )
