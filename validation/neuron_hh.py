"""Reference numbers for nernst's Hodgkin-Huxley membrane, computed with NEURON's ``hh``.

Run with the NEURON wheel installed (``pip install neuron``):

    python validation/neuron_hh.py            # writes tests/published/data/neuron_hh.json

One cylindrical compartment (L = diam = 10 um, cm = 1 uF/cm^2) with NEURON's built-in ``hh``
mechanism (hh.mod: Hodgkin & Huxley 1952 rates, gnabar 0.12, gkbar 0.036, gl 0.0003 S/cm^2,
el -54.3 mV, rates scaled by 3^((celsius - 6.3)/10); exact rates, usetable_hh = 0), ena 50 and
ek -77 mV, integrated by
CVODE at rtol = atol = 1e-10 and sampled every 1 us. Stimuli are current densities: a
current clamp of J uA/cm^2 is an IClamp of J * area * 1e-3 nA. The file records the NEURON
version with the numbers; the tests compare nernst against it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from neuron import h

OUT = Path(__file__).resolve().parents[1] / "tests" / "published" / "data" / "neuron_hh.json"
DT_SAMPLE = 0.001  # ms
ATOL = 1e-10

h.load_file("stdrun.hoc")
soma = h.Section(name="soma")
soma.L = soma.diam = 10.0
soma.cm = 1.0
soma.insert("hh")
# hh.mod tabulates its rates at 1 mV steps and interpolates (usetable_hh = 1, the default);
# the reference uses the exact rate expressions, as nernst does.
h.usetable_hh = 0
soma.ena = 50.0
soma.ek = -77.0
AREA_CM2 = math.pi * soma.diam * soma.L * 1e-8  # cm^2
stim = h.IClamp(soma(0.5))
cvode = h.CVode()
cvode.active(1)
cvode.atol(ATOL)
cvode.rtol(ATOL)


def run(amp_uA_cm2: float, delay: float, dur: float, tstop: float, celsius: float) -> tuple:
    h.celsius = celsius
    stim.delay = delay
    stim.dur = dur
    stim.amp = amp_uA_cm2 * AREA_CM2 * 1e3  # uA/cm^2 * cm^2 = uA; * 1e3 -> nA
    tvec = h.Vector().indgen(0, tstop, DT_SAMPLE)
    v = h.Vector()
    v.record(soma(0.5)._ref_v, tvec)
    ina = h.Vector()
    ina.record(soma(0.5)._ref_ina, tvec)
    h.finitialize(-65.0)
    h.continuerun(tstop)
    # CVODE may leave the last few requested sample times unrecorded: keep the common part.
    n = min(len(v), len(ina))
    run.ina = list(ina)[:n]  # type: ignore[attr-defined]
    return list(tvec)[:n], list(v)[:n]


def rest(celsius: float) -> float:
    h.celsius = celsius
    stim.amp = 0.0
    h.finitialize(-65.0)
    h.continuerun(500.0)
    return soma(0.5).v


def spikes(t: list, v: list, level: float = 0.0) -> list[float]:
    out = []
    for i in range(1, len(v)):
        if v[i - 1] < level <= v[i]:
            out.append(t[i - 1] + (level - v[i - 1]) * (t[i] - t[i - 1]) / (v[i] - v[i - 1]))
    return out


def features(t: list, v: list, start: float) -> dict:
    """Spike features of one trace."""
    i0 = next(i for i, ti in enumerate(t) if ti >= start)
    ipk = max(range(i0, len(v)), key=lambda i: v[i])
    # After-hyperpolarisation: the minimum after the peak.
    imin = min(range(ipk, len(v)), key=lambda i: v[i])
    dvdt = [(v[i + 1] - v[i]) / (t[i + 1] - t[i]) for i in range(i0, ipk)]
    ith = next(k for k, d in enumerate(dvdt) if d >= 10.0) + i0
    return {
        "peak_mV": v[ipk],
        "t_peak_ms": t[ipk],
        "ahp_mV": v[imin],
        "t_ahp_ms": t[imin],
        "threshold_mV_at_10mV_per_ms": v[ith],
        "t_threshold_ms": t[ith],
        "spike_times_ms": spikes(t, v),
    }


def spikes_with(amp: float, dur: float, celsius: float, tstop: float) -> int:
    t, v = run(amp, 5.0, dur, tstop, celsius)
    return len(spikes(t, v))


def bisect_threshold(dur: float, celsius: float, tstop: float, lo: float, hi: float) -> float:
    for _ in range(30):
        mid = 0.5 * (lo + hi)
        if spikes_with(mid, dur, celsius, tstop):
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


def main() -> None:
    ref: dict = {
        "neuron_version": h.nrnversion(),
        "setup": {
            "compartment": "L = diam = 10 um, cm = 1 uF/cm^2, hh (gnabar 0.12, gkbar 0.036, "
            "gl 0.0003 S/cm^2, el -54.3 mV), ena 50 mV, ek -77 mV",
            "rates": "exact expressions of hh.mod (usetable_hh = 0; the default 1 mV table "
            "shifts the spike peak by about 0.03 mV)",
            "integrator": f"CVODE rtol = atol = {ATOL:g}, sampled every {DT_SAMPLE} ms",
            "initial_state": "h.finitialize(-65): V = -65 mV with m, h, n at their steady "
            "state there (not the exact resting potential)",
            "spike": "a crossing of 0 mV upward",
            "threshold": "V where dV/dt first reaches 10 mV/ms",
        },
        "rest_mV": {"6.3": rest(6.3), "18.5": rest(18.5)},
        "pulse": {},
        "rheobase_uA_cm2": {},
        "pulse_threshold_uA_cm2": {},
    }
    for celsius in (6.3, 18.5):
        t, v = run(10.0, 5.0, 1.0, 30.0, celsius)
        ina = run.ina  # type: ignore[attr-defined]
        # Na+ charge that enters, trapezoid rule on the 1 us samples: mA/cm^2 * ms = uC/cm^2.
        charge = -sum(0.5 * (ina[i] + ina[i + 1]) * (t[i + 1] - t[i]) for i in range(len(t) - 1))
        ref["pulse"][str(celsius)] = {
            "stimulus": "10 uA/cm^2 from 5 ms for 1 ms",
            **features(t, v, 5.0),
            "na_charge_uC_per_cm2": charge,
            "na_charge_until_ms": t[-1],
            "ina_at_start_mA_per_cm2": ina[0],
        }
        # Long step (200 ms): the smallest current density that fires at least once.
        ref["rheobase_uA_cm2"][str(celsius)] = bisect_threshold(200.0, celsius, 210.0, 0.0, 20.0)
        # 1 ms pulse: the smallest current density that fires.
        ref["pulse_threshold_uA_cm2"][str(celsius)] = bisect_threshold(
            1.0, celsius, 30.0, 0.0, 50.0
        )
    # A train: 10 uA/cm^2 for 50 ms at 6.3 degC fires repetitively.
    t, v = run(10.0, 5.0, 50.0, 60.0, 6.3)
    ref["step_10uA_50ms_6.3"] = {"spike_times_ms": spikes(t, v)}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(ref, indent=2) + "\n")
    print(json.dumps(ref, indent=2))


if __name__ == "__main__":
    main()
