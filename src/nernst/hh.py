r"""The Hodgkin-Huxley membrane: the action potential between E_K and E_Na.

The 1952 squid-axon equations exactly as NEURON's ``hh`` mechanism writes them (hh.mod),
with the reversal potentials E_Na and E_K taken from a cell's concentrations by the Nernst
equation, so that changing [K+]out, [Na+]out or the temperature changes the spike:

.. math::

    C_m \frac{dV}{dt} = I_{stim} - \bar g_{Na} m^3 h (V - E_{Na}) - \bar g_K n^4 (V - E_K)
        - g_L (V - E_L), \qquad \frac{dx}{dt} = \phi\,[\alpha_x(V)(1 - x) - \beta_x(V)\,x]

for the gates x = m, h, n, with the rates of hh.mod (V in mV, rates in 1/ms)

.. math::

    \alpha_m = \frac{0.1\,(V + 40)}{1 - e^{-(V + 40)/10}}, \quad
    \beta_m = 4 e^{-(V + 65)/18}, \quad
    \alpha_h = 0.07 e^{-(V + 65)/20}, \quad
    \beta_h = \frac{1}{1 + e^{-(V + 35)/10}},

    \alpha_n = \frac{0.01\,(V + 55)}{1 - e^{-(V + 55)/10}}, \quad
    \beta_n = 0.125 e^{-(V + 65)/80}

and the temperature factor :math:`\phi = 3^{(T - 6.3\,^\circ C)/10}` (Q10 = 3). The removable
singularities of :math:`\alpha_m` and :math:`\alpha_n` are evaluated with ``exprel``.
Optionally (``current_form="ghk"``) the Na+ and K+ currents follow the GHK current equation
with permeabilities :math:`\bar P m^3 h` and :math:`\bar P n^4`.

Units: V in mV, conductances in S/cm^2, currents in mA/cm^2 (outward positive),
capacitance in uF/cm^2, time in s at the interface (durations may be strings such as
"30ms"), temperature in degC.

References
----------
.. [1] Hodgkin A.L., Huxley A.F. (1952) A quantitative description of membrane current and
   its application to conduction and excitation in nerve. J. Physiol. 117:500-544.
   doi:10.1113/jphysiol.1952.sp004764
.. [2] Hines M.L., Carnevale N.T. The NEURON simulator, ``hh.mod`` (src/nrnoc/hh.mod).
.. [3] Hille B. (2001) Ion Channels of Excitable Membranes, 3rd ed., Sinauer, ch. 2.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import exprel

from nernst._validate import finite, positive, scalar_or_array
from nernst.constants import AVOGADRO, FARADAY

__all__ = [
    "HH_Q10",
    "HH_REFERENCE_CELSIUS",
    "ActionPotential",
    "HHMembrane",
    "Stimulus",
    "VoltageClampFamily",
    "hh_gates",
    "hh_rates",
    "simulate_hh",
    "voltage_clamp_hh",
]

#: Temperature of the 1952 rate constants. [degC]
HH_REFERENCE_CELSIUS = 6.3
#: Temperature coefficient of the rates (Hodgkin & Huxley 1952, p. 519: "Q10 of 3"). [unitless]
HH_Q10 = 3.0

_CURRENT_FORMS = ("ohmic", "ghk")


def _phi(celsius: ArrayLike) -> Any:
    theta = finite("celsius", celsius, unit="degC")
    return HH_Q10 ** ((theta - HH_REFERENCE_CELSIUS) / 10.0)


def hh_rates(v_m: ArrayLike, /, *, celsius: ArrayLike = HH_REFERENCE_CELSIUS) -> dict[str, Any]:
    r"""Opening and closing rates of the HH gates at ``v_m``, scaled to ``celsius``.

    The rate equations of NEURON's hh.mod (module docstring), times
    :math:`\phi = 3^{(T - 6.3)/10}`.

    Parameters
    ----------
    v_m : array_like
        Membrane potential. [mV]
    celsius : array_like, default 6.3
        Temperature. [degC]

    Returns
    -------
    rates : dict of str to float or ndarray
        ``alpha_m``, ``beta_m``, ``alpha_h``, ``beta_h``, ``alpha_n``, ``beta_n``. [1/ms]

    See Also
    --------
    hh_gates : steady states and time constants from these rates.

    Examples
    --------
    At -65 mV and 6.3 degC, alpha_n = 0.01 * 10 / (e^1 - 1) = 0.0582 /ms:

    >>> round(hh_rates(-65)["alpha_n"], 4)
    0.0582

    References
    ----------
    .. [1] Hodgkin A.L., Huxley A.F. (1952) J. Physiol. 117:500-544, eqs. 12, 13, 20, 21,
       23, 24 (with V shifted so that rest is -65 mV, as in hh.mod).
    """
    V = finite("v_m", v_m, unit="mV")
    q = _phi(celsius)
    r = _rates(V, q)
    return {k: scalar_or_array(v) for k, v in r.items()}


def _rates(V: Any, q: Any) -> dict[str, Any]:
    """The six rates [1/ms] at V [mV] times q (inputs trusted)."""
    # 0.1 (V + 40) / (1 - e^-(V+40)/10) = 1 / exprel(-(V + 40)/10).
    return {
        "alpha_m": q / exprel(-(V + 40.0) / 10.0),
        "beta_m": q * 4.0 * np.exp(-(V + 65.0) / 18.0),
        "alpha_h": q * 0.07 * np.exp(-(V + 65.0) / 20.0),
        "beta_h": q / (1.0 + np.exp(-(V + 35.0) / 10.0)),
        "alpha_n": q * 0.1 / exprel(-(V + 55.0) / 10.0),
        "beta_n": q * 0.125 * np.exp(-(V + 65.0) / 80.0),
    }


def hh_gates(v_m: ArrayLike, /, *, celsius: ArrayLike = HH_REFERENCE_CELSIUS) -> dict[str, Any]:
    r"""Steady-state values and time constants of the HH gates at ``v_m``.

    .. math:: x_\infty = \frac{\alpha_x}{\alpha_x + \beta_x}, \qquad
              \tau_x = \frac{1}{\alpha_x + \beta_x}

    Parameters
    ----------
    v_m : array_like
        Membrane potential. [mV]
    celsius : array_like, default 6.3
        Temperature. [degC]

    Returns
    -------
    gates : dict of str to float or ndarray
        ``m_inf``, ``h_inf``, ``n_inf`` [unitless] and ``tau_m``, ``tau_h``, ``tau_n`` [ms].

    See Also
    --------
    hh_rates : the rates.

    Examples
    --------
    Hodgkin & Huxley's resting values (their Table 1 region): n_inf = 0.318 and
    h_inf = 0.596 at -65 mV:

    >>> g = hh_gates(-65)
    >>> round(g["n_inf"], 3), round(g["h_inf"], 3)
    (0.318, 0.596)

    References
    ----------
    .. [1] Hodgkin A.L., Huxley A.F. (1952) J. Physiol. 117:500-544.
    """
    r = hh_rates(v_m, celsius=celsius)
    out: dict[str, Any] = {}
    for x in "mhn":
        a, b = np.asarray(r[f"alpha_{x}"]), np.asarray(r[f"beta_{x}"])
        out[f"{x}_inf"] = scalar_or_array(a / (a + b))
        out[f"tau_{x}"] = scalar_or_array(1.0 / (a + b))
    return out


# --------------------------------------------------------------------------- the membrane


@dataclass(frozen=True)
class HHMembrane:
    """A patch of Hodgkin-Huxley membrane (defaults: NEURON's ``hh``).

    Attributes
    ----------
    gnabar, gkbar : float
        Maximal Na+ and K+ conductances, 0.12 and 0.036 S/cm^2 (HH 1952). [S/cm^2]
    gl : float
        Leak conductance, 0.0003 S/cm^2. [S/cm^2]
    el : float
        Leak reversal potential, -54.3 mV (hh.mod). [mV]
    ena, ek : float
        Na+ and K+ reversal potentials; NEURON's defaults are 50 and -77 mV.
        :meth:`from_cell` sets them from the cell's concentrations by Nernst. [mV]
    capacitance : float
        Specific membrane capacitance, 1 uF/cm^2. [uF/cm^2]
    celsius : float
        Temperature; the rates scale by 3^((celsius - 6.3)/10). [degC]
    current_form : {"ohmic", "ghk"}
        "ohmic" (HH 1952, NEURON) or GHK Na+ and K+ currents with the permeabilities that give
        the same chord conductances at ``v_ref``; "ghk" needs the concentrations.
    na_in, na_out, k_in, k_out : float or None
        Concentrations (for the GHK form and for Na+ entry as a fraction of the internal
        Na+). [mM]
    radius : float
        Radius of the spherical cell used to express Na+ entry as a fraction of the internal
        Na+ (volume/area = radius/3). [um]
    v_ref : float
        Potential at which the GHK permeabilities match the ohmic chord conductances. [mV]
    """

    gnabar: float = 0.12
    gkbar: float = 0.036
    gl: float = 0.0003
    el: float = -54.3
    ena: float = 50.0
    ek: float = -77.0
    capacitance: float = 1.0
    celsius: float = HH_REFERENCE_CELSIUS
    current_form: str = "ohmic"
    na_in: float | None = None
    na_out: float | None = None
    k_in: float | None = None
    k_out: float | None = None
    radius: float = 10.0
    v_ref: float = -65.0

    def __post_init__(self) -> None:
        for name in ("gnabar", "gkbar", "gl"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and not isinstance(value, bool)) or not (
                math.isfinite(value) and value >= 0
            ):
                raise ValueError(
                    f"{name}={value!r}: a conductance must be finite and >= 0 [S/cm^2]"
                )
        for name in ("el", "ena", "ek", "v_ref"):
            finite(name, getattr(self, name), unit="mV")
        positive("capacitance", self.capacitance, what="capacitance", unit="uF/cm^2")
        positive("radius", self.radius, what="radius", unit="um")
        finite("celsius", self.celsius, unit="degC")
        if self.current_form not in _CURRENT_FORMS:
            raise ValueError(f"current_form={self.current_form!r}: use one of {_CURRENT_FORMS}")
        if self.current_form == "ghk" and None in (self.na_in, self.na_out, self.k_in, self.k_out):
            raise ValueError(
                'current_form="ghk" needs na_in, na_out, k_in and k_out [mM] (or build the '
                "membrane with HHMembrane.from_cell(cell, current_form='ghk'))"
            )

    @classmethod
    def from_cell(cls, cell: Any, /, **overrides: Any) -> HHMembrane:
        """HH membrane with E_Na and E_K from a cell's Na+ and K+ concentrations.

        Parameters
        ----------
        cell : nernst.Cell or str
            A cell (or a preset name) with Na+ and K+ on both sides; its temperature is used.
        **overrides
            Any other field of :class:`HHMembrane` (conductances, ``el``, ``current_form``,
            ``celsius``...).

        Examples
        --------
        The squid-axon preset (Na+ 50/460, K+ 400/10 mM, 20 degC; RT/F = 25.26 mV):
        E_Na = 25.26 ln(9.2) = 56.1 mV, E_K = 25.26 ln(0.025) = -93.2 mV:

        >>> m = HHMembrane.from_cell("squid-axon")
        >>> round(m.ena, 1), round(m.ek, 1), m.celsius
        (56.1, -93.2, 20.0)
        """
        import nernst

        if isinstance(cell, str):
            cell = nernst.Cell.preset(cell)
        inside = _side(cell, "c_in", "inside")
        outside = _side(cell, "c_out", "outside")
        missing = [k for k in ("Na+", "K+") if k not in inside or k not in outside]
        if missing:
            raise ValueError(
                f"the cell has no {' or '.join(missing)} on both sides: the HH membrane needs "
                "Na+ and K+ inside and outside [mM]"
            )
        celsius = float(overrides.pop("celsius", cell.celsius))
        ena = nernst.equilibrium_potential(
            "Na+", c_in=inside["Na+"], c_out=outside["Na+"], celsius=celsius
        )
        ek = nernst.equilibrium_potential(
            "K+", c_in=inside["K+"], c_out=outside["K+"], celsius=celsius
        )
        values: dict[str, Any] = {
            "ena": float(ena),
            "ek": float(ek),
            "celsius": celsius,
            "na_in": float(inside["Na+"]),
            "na_out": float(outside["Na+"]),
            "k_in": float(inside["K+"]),
            "k_out": float(outside["K+"]),
        }
        values.update(overrides)
        return cls(**values)

    def conductances(self, v_m: ArrayLike, /) -> dict[str, Any]:
        """Steady-state chord conductances g_Na = gnabar m^3 h, g_K = gkbar n^4, g_L at v_m.

        Returns
        -------
        g : dict of str to float or ndarray
            ``"Na+"``, ``"K+"`` and ``"leak"``. [S/cm^2]

        Examples
        --------
        At -65 mV, n_inf = alpha_n/(alpha_n + beta_n) = 0.05820/0.18320 = 0.31768, so
        g_K = 0.036 x 0.31768^4 = 3.666e-4 S/cm^2:

        >>> g = HHMembrane().conductances(-65)
        >>> f"{g['K+']:.3e}"
        '3.666e-04'
        """
        s = hh_gates(v_m, celsius=self.celsius)
        m, h, n = (np.asarray(s[k]) for k in ("m_inf", "h_inf", "n_inf"))
        return {
            "Na+": scalar_or_array(self.gnabar * m**3 * h),
            "K+": scalar_or_array(self.gkbar * n**4),
            "leak": scalar_or_array(np.full_like(m, self.gl)),
        }

    def reversal_potentials(self) -> dict[str, float]:
        """E of each current: ``{"Na+": ena, "K+": ek, "leak": el}``. [mV]"""
        return {"Na+": self.ena, "K+": self.ek, "leak": self.el}

    def resting_potential(self) -> float:
        """The potential at which the steady-state HH currents sum to zero. [mV]

        Found with :func:`scipy.optimize.brentq` between the lowest and highest reversal
        potential.

        Examples
        --------
        NEURON's ``hh`` rests at -64.97 mV (CVODE, 500 ms without stimulus):

        >>> round(HHMembrane().resting_potential(), 2)
        -64.97
        """
        from scipy.optimize import brentq

        E = [self.ena, self.ek, self.el]
        return float(brentq(self._steady_current, min(E), max(E), xtol=1e-13))

    def _steady_current(self, V: float) -> float:
        s = _gates_inf(np.asarray(V, float), _phi(self.celsius))
        return float(np.sum(self._currents(np.asarray(V, float), *s), axis=0))

    # internal --------------------------------------------------------------------------
    def _ghk_permeabilities(self) -> tuple[float, float]:
        """P_Na,bar and P_K,bar giving the ohmic chord conductances at v_ref. [cm/s]"""
        import nernst

        assert None not in (self.na_in, self.na_out, self.k_in, self.k_out)  # __post_init__
        p_na = nernst.permeability_from_conductance(
            "Na+",
            conductance=self.gnabar,
            v_m=self.v_ref,
            c_in=float(self.na_in),  # type: ignore[arg-type]
            c_out=float(self.na_out),  # type: ignore[arg-type]
            celsius=self.celsius,
        )
        p_k = nernst.permeability_from_conductance(
            "K+",
            conductance=self.gkbar,
            v_m=self.v_ref,
            c_in=float(self.k_in),  # type: ignore[arg-type]
            c_out=float(self.k_out),  # type: ignore[arg-type]
            celsius=self.celsius,
        )
        return float(p_na), float(p_k)

    def _currents(self, V: Any, m: Any, h: Any, n: Any) -> tuple[Any, Any, Any]:
        """I_Na, I_K, I_L [mA/cm^2] (trusted inputs)."""
        i_l = self.gl * (V - self.el)
        if self.current_form == "ohmic":
            return self.gnabar * m**3 * h * (V - self.ena), self.gkbar * n**4 * (V - self.ek), i_l
        p_na, p_k = self._ghk_cache
        return (
            p_na * m**3 * h * _ghk_unit(V, 1, self.na_in, self.na_out, self.celsius),
            p_k * n**4 * _ghk_unit(V, 1, self.k_in, self.k_out, self.celsius),
            i_l,
        )

    @property
    def _ghk_cache(self) -> tuple[float, float]:
        cached = self.__dict__.get("_p_cache")
        if cached is None:
            cached = self._ghk_permeabilities()
            object.__setattr__(self, "_p_cache", cached)
        return cached


def _ghk_unit(V: Any, z: int, c_in: Any, c_out: Any, celsius: float) -> Any:
    import nernst

    return nernst.ghk_current(z, v_m=V, permeability=1.0, c_in=c_in, c_out=c_out, celsius=celsius)


def _side(cell: Any, new: str, old: str) -> Mapping[str, float]:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        value = getattr(cell, new, None)
        return value if value is not None else getattr(cell, old)


def _gates_inf(V: Any, q: Any) -> tuple[Any, Any, Any]:
    r = _rates(V, q)
    m, h, n = (r[f"alpha_{x}"] / (r[f"alpha_{x}"] + r[f"beta_{x}"]) for x in "mhn")
    return m, h, n


# --------------------------------------------------------------------------- stimuli

_AMPLITUDE_UNITS = {"ua/cm2": 1e-3, "ma/cm2": 1.0, "na/cm2": 1e-6, "ua/cm^2": 1e-3, "ma/cm^2": 1.0}


@dataclass(frozen=True)
class Stimulus:
    """A current-clamp stimulus: a step, a train of steps or a ramp.

    Attributes
    ----------
    kind : {"step", "train", "ramp"}
    amplitude : float
        Step amplitude, or the ramp's final amplitude; positive is inward (depolarising)
        stimulus current, as NEURON's IClamp. [mA/cm^2]
    start : float
        Onset. [s]
    duration : float
        Duration of each step, or of the ramp. [s]
    number : int
        Pulses in a train.
    interval : float
        Onset-to-onset interval of a train. [s]
    text : str
        The text the stimulus was parsed from, if any.
    """

    kind: str
    amplitude: float
    start: float
    duration: float
    number: int = 1
    interval: float = 0.0
    text: str = ""

    @classmethod
    def step(cls, amplitude: float, *, start: float, duration: float) -> Stimulus:
        """A step of ``amplitude`` [mA/cm^2] from ``start`` for ``duration`` [s]."""
        return cls("step", float(amplitude), float(start), float(duration))

    @classmethod
    def train(
        cls, amplitude: float, *, start: float, duration: float, number: int, interval: float
    ) -> Stimulus:
        """``number`` steps of ``duration`` [s], one every ``interval`` [s] from ``start``."""
        if number < 1 or interval < duration:
            raise ValueError(
                f"a train needs number >= 1 and interval >= duration, got number={number}, "
                f"interval={interval:g} s, duration={duration:g} s"
            )
        return cls(
            "train", float(amplitude), float(start), float(duration), int(number), float(interval)
        )

    @classmethod
    def ramp(cls, amplitude: float, *, start: float, duration: float) -> Stimulus:
        """A ramp from 0 to ``amplitude`` [mA/cm^2] over ``duration`` [s] from ``start``."""
        return cls("ramp", float(amplitude), float(start), float(duration))

    @classmethod
    def parse(cls, text: str) -> Stimulus:
        """A stimulus from text: ``AMP@START:DURATION`` with units, optionally a train or ramp.

        ``10uA/cm2@5ms:1ms`` (a step), ``10uA/cm2@5ms:1ms*5/20ms`` (5 steps, one every
        20 ms), ``ramp:20uA/cm2@5ms:100ms`` (0 to 20 uA/cm^2 over 100 ms).

        Examples
        --------
        >>> s = Stimulus.parse("10uA/cm2@5ms:1ms")
        >>> s.kind, s.amplitude, s.start, s.duration
        ('step', 0.01, 0.005, 0.001)
        """
        from nernst.dynamics import parse_duration

        raw = str(text).strip()
        kind = "step"
        body = raw
        if raw.lower().startswith("ramp:"):
            kind, body = "ramp", raw[5:]
        m = re.fullmatch(
            r"\s*([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)\s*([a-zA-Z/^0-9]*)\s*@\s*([^:]+):([^*]+)"
            r"(?:\*\s*([0-9]+)\s*/\s*(.+))?\s*",
            body,
        )
        if not m:
            raise ValueError(
                f"stimulus {raw!r} is not understood; write AMPLITUDE@START:DURATION, e.g. "
                "10uA/cm2@5ms:1ms, a train 10uA/cm2@5ms:1ms*5/20ms or a ramp "
                "ramp:20uA/cm2@5ms:100ms"
            )
        unit = (m.group(2) or "uA/cm2").lower()
        if unit not in _AMPLITUDE_UNITS:
            raise ValueError(
                f"stimulus {raw!r}: amplitude unit {m.group(2)!r} is not a current density; use "
                "uA/cm2, mA/cm2 or nA/cm2"
            )
        amplitude = float(m.group(1)) * _AMPLITUDE_UNITS[unit]
        start = parse_duration(m.group(3).strip())
        duration = parse_duration(m.group(4).strip())
        if m.group(5):
            if kind == "ramp":
                raise ValueError(f"stimulus {raw!r}: a ramp cannot be a train")
            s = cls.train(
                amplitude,
                start=start,
                duration=duration,
                number=int(m.group(5)),
                interval=parse_duration(m.group(6).strip()),
            )
        else:
            s = cls(kind, amplitude, start, duration)
        return replace(s, text=raw)

    def onsets(self) -> list[float]:
        """Start times of the steps. [s]"""
        return [self.start + k * self.interval for k in range(self.number)]

    def breakpoints(self) -> list[float]:
        """Times at which the stimulus is discontinuous (the integrator restarts there). [s]"""
        return sorted({t for t0 in self.onsets() for t in (t0, t0 + self.duration)})

    def current(self, t: ArrayLike) -> Any:
        """Stimulus current density at times ``t`` [s]. [mA/cm^2]"""
        t = np.asarray(t, float)
        out = np.zeros_like(t)
        for t0 in self.onsets():
            on = (t >= t0) & (t < t0 + self.duration)
            if self.kind == "ramp":
                out = out + np.where(on, self.amplitude * (t - t0) / self.duration, 0.0)
            else:
                out = out + np.where(on, self.amplitude, 0.0)
        return out


def _stimuli(stimulus: Stimulus | str | Sequence[Stimulus | str] | None) -> list[Stimulus]:
    if stimulus is None:
        return []
    items = [stimulus] if isinstance(stimulus, Stimulus | str) else list(stimulus)
    return [s if isinstance(s, Stimulus) else Stimulus.parse(s) for s in items]


# --------------------------------------------------------------------------- results


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, float | np.floating):
        v = float(value)
        return v if math.isfinite(v) else None
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    return value


@dataclass(frozen=True)
class ActionPotential:
    """The result of :func:`simulate_hh`: traces and the features of the spikes.

    Attributes
    ----------
    t : ndarray
        Time. [s]
    V : ndarray
        Membrane potential. [mV]
    gates : dict of str to ndarray
        ``m``, ``h``, ``n``. [unitless]
    currents : dict of str to ndarray
        ``"Na+"``, ``"K+"``, ``"leak"`` and ``"stimulus"``, ionic currents outward positive,
        the stimulus positive inward (depolarising). [mA/cm^2]
    spike_times : ndarray
        Upward crossings of ``spike_level``, linearly interpolated. [s]
    peak : float or None
        Highest V after the first stimulus onset (None without spikes). [mV]
    ahp : float or None
        Lowest V after the peak: the after-hyperpolarisation. [mV]
    threshold : float or None
        V at which dV/dt first reaches 10 mV/ms before the first spike. [mV]
    v_rest : float
        The membrane's resting potential. [mV]
    na_entry : float or None
        Na+ that enters per spike beyond the resting influx, per unit area (charge of the
        excess inward Na+ current / F, averaged over the spikes). [mol/cm^2]
    membrane : HHMembrane
        The membrane simulated.
    stimuli : tuple of Stimulus
    solver : dict
        Method, tolerances, right-hand-side evaluations, CPU time.
    """

    t: np.ndarray
    V: np.ndarray
    gates: dict[str, np.ndarray]
    currents: dict[str, np.ndarray]
    spike_times: np.ndarray
    peak: float | None
    ahp: float | None
    threshold: float | None
    v_rest: float
    na_entry: float | None
    membrane: HHMembrane
    stimuli: tuple[Stimulus, ...] = ()
    spike_level: float = 0.0
    solver: dict[str, Any] = field(default_factory=dict)

    @property
    def n_spikes(self) -> int:
        """Number of spikes."""
        return int(self.spike_times.size)

    @property
    def na_ions_per_um2(self) -> float | None:
        """Na+ ions entering per spike per um^2 of membrane (N_A x na_entry x 1e-8)."""
        return None if self.na_entry is None else self.na_entry * AVOGADRO * 1e-8

    @property
    def na_fraction(self) -> float | None:
        """Na+ entering per spike as a fraction of the internal Na+ of a sphere of
        ``membrane.radius`` (volume/area = r/3); None without spikes or without na_in."""
        if self.na_entry is None or self.membrane.na_in is None:
            return None
        volume_per_area_cm = self.membrane.radius * 1e-4 / 3.0  # cm^3/cm^2
        na_in_mol_cm3 = self.membrane.na_in * 1e-6
        return self.na_entry / (na_in_mol_cm3 * volume_per_area_cm)

    def summary(self) -> dict[str, Any]:
        """The features as plain numbers (times in ms)."""
        return {
            "spikes": self.n_spikes,
            "spike_times_ms": [float(t) * 1e3 for t in self.spike_times],
            "peak_mV": self.peak,
            "ahp_mV": self.ahp,
            "threshold_mV": self.threshold,
            "v_rest_mV": self.v_rest,
            "E_Na_mV": self.membrane.ena,
            "E_K_mV": self.membrane.ek,
            "celsius": self.membrane.celsius,
            "na_entry_mol_per_cm2": self.na_entry,
            "na_ions_per_um2": self.na_ions_per_um2,
            "na_fraction_of_internal": self.na_fraction,
        }

    def to_dict(self) -> dict[str, Any]:
        """Features, membrane, stimuli and traces as plain Python values (JSON-ready)."""
        return _jsonable(
            {
                **self.summary(),
                "membrane": {
                    k: getattr(self.membrane, k) for k in self.membrane.__dataclass_fields__
                },
                "stimuli": [s.text or f"{s.kind} {s.amplitude:g} mA/cm^2" for s in self.stimuli],
                "solver": self.solver,
                "t_s": self.t,
                "V_mV": self.V,
                "gates": self.gates,
                "currents_mA_per_cm2": self.currents,
            }
        )

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as JSON (no NaN or Infinity)."""
        return json.dumps(self.to_dict(), allow_nan=False, **kwargs)

    def to_dataframe(self) -> Any:
        """The traces as a pandas DataFrame indexed by time in ms (needs pandas)."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError('to_dataframe needs pandas: pip install "nernst[frame]"') from None
        data = {"V_mV": self.V, **self.gates}
        data.update({f"I_{k}_mA_cm2": v for k, v in self.currents.items()})
        return pd.DataFrame(data, index=pd.Index(self.t * 1e3, name="t_ms"))

    def explain(self) -> str:
        """How the spike relates to E_Na, E_K and the resting potential, in words."""
        m = self.membrane
        lines = [
            f"Hodgkin-Huxley membrane at {m.celsius:g} degC (rates x "
            f"{HH_Q10:g}^(({m.celsius:g} - {HH_REFERENCE_CELSIUS:g})/10) = "
            f"{float(_phi(m.celsius)):.3g}).",
            f"E_Na = {m.ena:.1f} mV, E_K = {m.ek:.1f} mV, E_L = {m.el:.1f} mV; "
            f"rest {self.v_rest:.2f} mV.",
        ]
        if self.n_spikes:
            lines.append(
                f"{self.n_spikes} spike(s); peak {self.peak:.1f} mV, below E_Na by "
                f"{m.ena - (self.peak or 0):.1f} mV; after-hyperpolarisation {self.ahp:.1f} mV, "
                f"above E_K by {(self.ahp or 0) - m.ek:.1f} mV."
            )
            if self.na_entry is not None:
                frac = self.na_fraction
                lines.append(
                    f"Na+ entry per spike {self.na_entry * 1e12:.2f} pmol/cm^2 "
                    f"({self.na_ions_per_um2:.0f} ions per um^2)"
                    + (
                        f", {frac:.2e} of the internal Na+ of a {m.radius:g} um cell."
                        if frac
                        else "."
                    )
                )
        else:
            lines.append("No spike: the stimulus did not reach threshold.")
        return "\n".join(lines)


@dataclass(frozen=True)
class VoltageClampFamily:
    """Currents under voltage-clamp steps (:func:`voltage_clamp_hh`).

    Attributes
    ----------
    t : ndarray
        Time. [s]
    levels : ndarray
        Step potentials. [mV]
    currents : dict of str to ndarray
        ``"Na+"``, ``"K+"``, ``"leak"``, ``"total"``, each of shape (levels, time); outward
        positive. [mA/cm^2]
    peak_na : ndarray
        Most inward (signed) Na+ current of each step. [mA/cm^2]
    steady_k : ndarray
        K+ current at the end of each step. [mA/cm^2]
    membrane : HHMembrane
    """

    t: np.ndarray
    levels: np.ndarray
    currents: dict[str, np.ndarray]
    peak_na: np.ndarray
    steady_k: np.ndarray
    membrane: HHMembrane

    def to_dict(self) -> dict[str, Any]:
        """Plain Python values (JSON-ready)."""
        return _jsonable(
            {
                "levels_mV": self.levels,
                "peak_na_mA_per_cm2": self.peak_na,
                "steady_k_mA_per_cm2": self.steady_k,
                "t_s": self.t,
                "currents_mA_per_cm2": self.currents,
            }
        )

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as JSON."""
        return json.dumps(self.to_dict(), allow_nan=False, **kwargs)


# --------------------------------------------------------------------------- simulation


def _rhs(membrane: HHMembrane, stim: Callable[[float], float], q: float) -> Callable[..., Any]:
    cm = membrane.capacitance

    def f(t_ms: float, y: np.ndarray) -> np.ndarray:
        V, m, h, n = y
        r = _rates(V, q)
        i_na, i_k, i_l = membrane._currents(V, m, h, n)
        dV = 1e3 * (stim(t_ms * 1e-3) - i_na - i_k - i_l) / cm  # mA/cm^2 / (uF/cm^2) -> mV/ms
        return np.array(
            [
                dV,
                r["alpha_m"] * (1 - m) - r["beta_m"] * m,
                r["alpha_h"] * (1 - h) - r["beta_h"] * h,
                r["alpha_n"] * (1 - n) - r["beta_n"] * n,
            ]
        )

    return f


def _crossings(t: np.ndarray, v: np.ndarray, level: float) -> np.ndarray:
    up = np.nonzero((v[:-1] < level) & (v[1:] >= level))[0]
    return t[up] + (level - v[up]) * (t[up + 1] - t[up]) / (v[up + 1] - v[up])


def simulate_hh(
    membrane: HHMembrane | Any | None = None,
    /,
    *,
    stimulus: Stimulus | str | Sequence[Stimulus | str] | None = None,
    until: float | str = 0.03,
    v0: float | None = None,
    dt: float | str = "1us",
    spike_level: float = 0.0,
    method: str = "LSODA",
    rtol: float = 1e-9,
    atol: float = 1e-9,
) -> ActionPotential:
    r"""Simulate a Hodgkin-Huxley membrane patch under current clamp.

    Starts at rest (V and the gates at their steady state), integrates the four HH
    equations with :func:`scipy.integrate.solve_ivp`, restarting at every discontinuity of
    the stimulus, and samples the solution every ``dt``.

    Parameters
    ----------
    membrane : HHMembrane, nernst.Cell or str, optional
        The membrane, or a cell/preset name from which :meth:`HHMembrane.from_cell` takes
        E_Na and E_K. Default: NEURON's ``hh`` (E_Na 50, E_K -77 mV, 6.3 degC).
    stimulus : Stimulus, str or sequence of them, optional
        Current-clamp stimuli (:class:`Stimulus`; text such as ``"10uA/cm2@5ms:1ms"``).
    until : float or str, default 0.03
        Simulated duration: seconds, or a string such as ``"30ms"``. [s]
    v0 : float, optional
        Initial V with the gates at their steady state there; default the resting
        potential. [mV]
    dt : float or str, default "1us"
        Sampling interval of the output. [s]
    spike_level : float, default 0.0
        A spike is an upward crossing of this potential. [mV]
    method, rtol, atol : optional
        :func:`scipy.integrate.solve_ivp` settings (V in mV, time in ms inside).

    Returns
    -------
    ActionPotential
        Traces, spike times, peak, after-hyperpolarisation, threshold, Na+ entry.

    Raises
    ------
    ValueError
        A bad stimulus text, a non-positive duration or sampling interval.

    See Also
    --------
    voltage_clamp_hh : currents under voltage-clamp steps.
    nernst.chord_potential : the resting potential of the conductances at rest.

    Examples
    --------
    NEURON's ``hh`` at 6.3 degC with 10 uA/cm^2 for 1 ms from 5 ms fires once and peaks
    at 39.0 mV (tests/published/data/neuron_hh.json, exact rates):

    >>> ap = simulate_hh(stimulus="10uA/cm2@5ms:1ms", until="20ms")
    >>> ap.n_spikes, round(ap.peak, 1)
    (1, 39.0)

    References
    ----------
    .. [1] Hodgkin A.L., Huxley A.F. (1952) J. Physiol. 117:500-544.
       doi:10.1113/jphysiol.1952.sp004764
    """
    import time

    from scipy.integrate import solve_ivp

    from nernst.dynamics import parse_duration

    if membrane is None:
        membrane = HHMembrane()
    elif not isinstance(membrane, HHMembrane):
        membrane = HHMembrane.from_cell(membrane)
    stims = _stimuli(stimulus)
    t_end = parse_duration(until)
    step = parse_duration(dt)
    if t_end <= 0 or step <= 0:
        raise ValueError(f"until={until!r} and dt={dt!r} must be positive durations")
    if t_end / step > 5e7:
        raise ValueError(
            f"until={until!r} sampled every dt={dt!r} gives {t_end / step:.3g} samples; "
            "use a larger dt (at most 5e7 samples)"
        )
    q = float(_phi(membrane.celsius))
    v_rest = membrane.resting_potential()
    V0 = v_rest if v0 is None else float(finite("v0", v0, unit="mV"))
    y0 = np.array([V0, *(float(x) for x in _gates_inf(np.asarray(V0), q))])

    def stim(t_s: float) -> float:
        return float(sum(s.current(t_s) for s in stims)) if stims else 0.0

    f = _rhs(membrane, stim, q)
    t_ms_end = t_end * 1e3
    cuts = sorted(
        {
            0.0,
            t_ms_end,
            *(b * 1e3 for s in stims for b in s.breakpoints() if 0 < b * 1e3 < t_ms_end),
        }
    )
    n_samples = round(t_end / step) + 1
    t_out = np.linspace(0.0, t_ms_end, n_samples)
    Y = np.empty((4, n_samples))
    nfev = 0
    cpu = time.process_time()
    y = y0
    for a, b in itertools.pairwise(cuts):
        sol = solve_ivp(f, (a, b), y, method=method, rtol=rtol, atol=atol, dense_output=True)
        if not sol.success:  # pragma: no cover - solver failure
            raise RuntimeError(f"the HH integration failed at t = {a:g} ms: {sol.message}")
        nfev += int(sol.nfev)
        sel = (t_out >= a) & (t_out <= b)
        Y[:, sel] = sol.sol(t_out[sel])
        y = sol.y[:, -1]
    cpu = time.process_time() - cpu
    V, m, h, n = Y
    i_na, i_k, i_l = (np.asarray(x, float) for x in membrane._currents(V, m, h, n))
    t_s = t_out * 1e-3
    i_stim = np.asarray(sum(s.current(t_s) for s in stims), float) if stims else np.zeros_like(V)
    spikes = _crossings(t_s, V, spike_level)
    peak = ahp = threshold = na_entry = None
    if spikes.size:
        first_onset = min(s.start for s in stims) if stims else 0.0
        after = t_s >= first_onset
        ipk = int(np.argmax(np.where(after, V, -np.inf)))
        peak = float(V[ipk])
        ahp = float(np.min(V[ipk:]))
        dvdt = np.diff(V) / np.diff(t_out)  # mV/ms
        window = np.nonzero(after[:-1] & (np.arange(V.size - 1) < ipk) & (dvdt >= 10.0))[0]
        threshold = float(V[window[0]]) if window.size else None
        i_na_rest = membrane._currents(v_rest, *_gates_inf(np.asarray(v_rest), q))[0]
        # mA/cm^2 * ms = uC/cm^2; / F -> umol/cm^2 -> 1e-6 mol/cm^2.
        charge = float(np.trapezoid(-(i_na - float(i_na_rest)), t_out)) * 1e-6
        na_entry = charge / FARADAY / spikes.size
    return ActionPotential(
        t=t_s,
        V=V,
        gates={"m": m, "h": h, "n": n},
        currents={"Na+": i_na, "K+": i_k, "leak": i_l, "stimulus": i_stim},
        spike_times=spikes,
        peak=peak,
        ahp=ahp,
        threshold=threshold,
        v_rest=v_rest,
        na_entry=na_entry,
        membrane=membrane,
        stimuli=tuple(stims),
        spike_level=spike_level,
        solver={
            "method": method,
            "rtol": rtol,
            "atol": atol,
            "nfev": nfev,
            "cpu_s": cpu,
            "cpu_ms_per_simulated_s": cpu * 1e3 / t_end,
        },
    )


def voltage_clamp_hh(
    membrane: HHMembrane | Any | None = None,
    /,
    *,
    levels: ArrayLike,
    hold: float = -65.0,
    start: float | str = "1ms",
    duration: float | str = "10ms",
    until: float | str | None = None,
    dt: float | str = "10us",
) -> VoltageClampFamily:
    r"""Ionic currents of an HH membrane under voltage-clamp steps from ``hold``.

    With V prescribed the gates obey linear equations with constant coefficients on each
    step, so they are exact exponentials,
    :math:`x(t) = x_\infty(V) + (x_0 - x_\infty(V)) e^{-t/\tau_x(V)}`: no ODE solver is
    needed.

    Parameters
    ----------
    membrane : HHMembrane, nernst.Cell or str, optional
        As in :func:`simulate_hh`.
    levels : array_like
        Step potentials. [mV]
    hold : float, default -65.0
        Holding potential before and after the step (the gates start at steady state). [mV]
    start, duration : float or str
        Step onset and duration. [s]
    until : float or str, optional
        End of the record; default two step-durations after the onset. [s]
    dt : float or str, default "10us"
        Sampling interval. [s]

    Returns
    -------
    VoltageClampFamily

    Examples
    --------
    A step to 0 mV opens Na+ channels (inward, negative) then K+ channels (outward):

    >>> fam = voltage_clamp_hh(levels=[0])
    >>> bool(fam.peak_na[0] < 0 < fam.steady_k[0])
    True

    References
    ----------
    .. [1] Hodgkin A.L., Huxley A.F. (1952) J. Physiol. 117:500-544, Figs. 2-3.
    """
    from nernst.dynamics import parse_duration

    if membrane is None:
        membrane = HHMembrane()
    elif not isinstance(membrane, HHMembrane):
        membrane = HHMembrane.from_cell(membrane)
    L = np.atleast_1d(finite("levels", levels, unit="mV")).astype(float)
    H = float(finite("hold", hold, unit="mV"))
    t0 = parse_duration(start) * 1e3
    d = parse_duration(duration) * 1e3
    t_end = (parse_duration(until) * 1e3) if until is not None else t0 + 2 * d
    step = parse_duration(dt) * 1e3
    t = np.arange(0.0, t_end + step / 2, step)
    q = float(_phi(membrane.celsius))
    rest = _gates_inf(np.asarray(H), q)
    V = np.where((t >= t0) & (t < t0 + d), L[:, None], H)
    gates = []
    for k, x0 in enumerate(rest):
        x = np.full_like(V, float(x0))
        r_step = _rates(L, q)
        a, b = r_step[f"alpha_{'mhn'[k]}"], r_step[f"beta_{'mhn'[k]}"]
        inf, tau = a / (a + b), 1.0 / (a + b)
        on = (t >= t0) & (t < t0 + d)
        x_on = inf[:, None] + (float(x0) - inf[:, None]) * np.exp(-(t[on] - t0) / tau[:, None])
        x[:, on] = x_on
        # After the step: relax back from the end-of-step value at the holding potential.
        rh = _rates(np.asarray(H), q)
        ah, bh = rh[f"alpha_{'mhn'[k]}"], rh[f"beta_{'mhn'[k]}"]
        inf_h, tau_h = ah / (ah + bh), 1.0 / (ah + bh)
        end = inf[:, None] + (float(x0) - inf[:, None]) * np.exp(-d / tau[:, None])
        off = t >= t0 + d
        x[:, off] = inf_h + (end - inf_h) * np.exp(-(t[off] - t0 - d) / tau_h)
        gates.append(x)
    i_na, i_k, i_l = (np.asarray(c, float) for c in membrane._currents(V, *gates))
    on = (t >= t0) & (t < t0 + d)
    return VoltageClampFamily(
        t=t * 1e-3,
        levels=L,
        currents={"Na+": i_na, "K+": i_k, "leak": i_l, "total": i_na + i_k + i_l},
        peak_na=np.min(np.where(on, i_na, np.inf), axis=1),
        steady_k=i_k[:, np.nonzero(on)[0][-1]],
        membrane=membrane,
    )
