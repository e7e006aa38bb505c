"""A voltage- or current-clamp recording in memory, and the readers that make one.

:class:`Recording` holds the sweeps of one recorded channel with the command waveform of every
sample, in fixed units (time in s, current in pA, command and membrane voltage in mV), and the
protocol's epochs. :func:`read_recording` reads Axon ABF files (ABF1 and ABF2, through
``pyabf``), the formats ``neo`` reads (HEKA, WinWCP, Spike2, ...), and plain CSV/TSV tables.
``pyabf`` and ``neo`` are optional (``pip install 'nernst[recordings]'``) and imported only
when a file needs them.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "CURRENT_UNITS",
    "VOLTAGE_UNITS",
    "Epoch",
    "Recording",
    "read_recording",
    "recording_from_arrays",
]

#: Current units and their size in pA.
CURRENT_UNITS = {"fA": 1e-3, "pA": 1.0, "nA": 1e3, "uA": 1e6, "µA": 1e6, "mA": 1e9, "A": 1e12}
#: Voltage units and their size in mV.
VOLTAGE_UNITS = {"uV": 1e-3, "µV": 1e-3, "mV": 1.0, "V": 1e3}
#: Time units and their size in s.
TIME_UNITS = {"us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "min": 60.0}

#: Two command samples differing by less than this are the same level. [mV]
LEVEL_TOLERANCE_MV = 1e-3

MODES = ("voltage-clamp", "current-clamp")


@dataclass(frozen=True)
class Epoch:
    """A segment of the command waveform, the same samples in every sweep.

    Attributes
    ----------
    start, stop : int
        First sample and one past the last (Python slice). [samples]
    kind : {"step", "ramp"}
        Constant command within each sweep, or a linear change.
    levels : ndarray, shape (n_sweeps,)
        Command at the start of the epoch in each sweep (for a ramp, the start level). [mV]
    end_levels : ndarray, shape (n_sweeps,)
        Command at the last sample of the epoch in each sweep. [mV]
    """

    start: int
    stop: int
    kind: str
    levels: np.ndarray
    end_levels: np.ndarray

    @property
    def varies(self) -> bool:
        """Whether the level differs between sweeps (the test step of an I-V protocol)."""
        return bool(np.ptp(self.levels) > LEVEL_TOLERANCE_MV) or bool(
            np.ptp(self.end_levels) > LEVEL_TOLERANCE_MV
        )


@dataclass(frozen=True)
class Recording:
    """Sweeps of one recorded channel with the command of every sample.

    Attributes
    ----------
    time : ndarray, shape (n_samples,)
        Time from the start of each sweep. [s]
    signal : ndarray, shape (n_sweeps, n_samples)
        The recorded channel: membrane current in voltage clamp [pA], membrane voltage in
        current clamp [mV]. Positive current is outward.
    command : ndarray, shape (n_sweeps, n_samples)
        The command waveform: voltage in voltage clamp [mV], current in current clamp [pA].
    sampling_rate : float
        Samples per second. [Hz]
    mode : {"voltage-clamp", "current-clamp"}
        From the recorded channel's units (a current means voltage clamp).
    epochs : tuple of Epoch
        The protocol's segments (from the file's epoch table, or found in the command).
    channel : int
        Index of the recorded channel in the file.
    channel_name : str
        Its name in the file.
    source : str
        The file the recording came from ("" when built from arrays).
    file_format : str
        "abf1", "abf2", "csv", "neo:<IO class>" or "arrays".
    protocol : str
        Protocol name stored in the file ("" when unknown).
    holding : float
        Holding command between sweeps (mV in voltage clamp, pA in current clamp).
    metadata : dict
        Anything else the reader found (units as stored, file version, sweep length).
    """

    time: np.ndarray
    signal: np.ndarray
    command: np.ndarray
    sampling_rate: float
    mode: str
    epochs: tuple[Epoch, ...] = ()
    channel: int = 0
    channel_name: str = ""
    source: str = ""
    file_format: str = "arrays"
    protocol: str = ""
    holding: float = float("nan")
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def n_sweeps(self) -> int:
        """Number of sweeps."""
        return int(self.signal.shape[0])

    @property
    def n_samples(self) -> int:
        """Samples per sweep."""
        return int(self.signal.shape[1])

    @property
    def current(self) -> np.ndarray:
        """Membrane current, positive outward (voltage clamp only). [pA]"""
        self.require_voltage_clamp("current")
        return self.signal

    @property
    def units(self) -> dict[str, str]:
        """Units of time, signal and command."""
        if self.mode == "voltage-clamp":
            return {"time": "s", "signal": "pA", "command": "mV"}
        return {"time": "s", "signal": "mV", "command": "pA"}

    @property
    def test_epoch(self) -> Epoch | None:
        """The first epoch whose level differs between sweeps (the I-V step or ramp), or
        the first ramp, or None."""
        for epoch in self.epochs:
            if epoch.varies:
                return epoch
        for epoch in self.epochs:
            if epoch.kind == "ramp":
                return epoch
        return None

    def require_voltage_clamp(self, what: str) -> None:
        """Raise ValueError unless the recorded channel is a current."""
        if self.mode != "voltage-clamp":
            raise ValueError(
                f"{what} needs a voltage-clamp recording (a recorded current, pA or nA), but "
                f"{self.source or 'this recording'} channel {self.channel} "
                f"({self.channel_name or 'unnamed'}) records "
                f"{self.metadata.get('signal_unit', 'mV')}: it is a current-clamp recording"
            )

    def window(self, window: tuple[float, float]) -> slice:
        """The samples of a time window ``(t0, t1)`` [s], validated."""
        t0, t1 = (float(x) for x in window)
        duration = self.n_samples / self.sampling_rate
        if not (np.isfinite(t0) and np.isfinite(t1)) or t1 <= t0:
            raise ValueError(f"window={window!r}: give (start, end) in seconds with end > start")
        if t0 < 0 or t1 > duration + 0.5 / self.sampling_rate:
            raise ValueError(f"window={t0:g}:{t1:g} s lies outside the sweep (0 to {duration:g} s)")
        i0 = round(t0 * self.sampling_rate)
        i1 = min(round(t1 * self.sampling_rate), self.n_samples)
        if i1 - i0 < 1:
            raise ValueError(f"window={t0:g}:{t1:g} s holds no sample at {self.sampling_rate:g} Hz")
        return slice(i0, i1)

    def summary(self) -> dict[str, Any]:
        """A short description (JSON-ready)."""
        return {
            "source": self.source,
            "format": self.file_format,
            "protocol": self.protocol,
            "mode": self.mode,
            "channel": self.channel,
            "channel_name": self.channel_name,
            "sweeps": self.n_sweeps,
            "samples_per_sweep": self.n_samples,
            "sampling_rate_Hz": self.sampling_rate,
            "sweep_duration_s": self.n_samples / self.sampling_rate,
            "holding": None if not np.isfinite(self.holding) else self.holding,
            "units": self.units,
            "epochs": [
                {
                    "start_s": e.start / self.sampling_rate,
                    "stop_s": e.stop / self.sampling_rate,
                    "kind": e.kind,
                    "levels": e.levels.tolist(),
                    "end_levels": e.end_levels.tolist(),
                }
                for e in self.epochs
            ],
        }

    def __repr__(self) -> str:
        return (
            f"Recording({self.source or 'arrays'!r}, {self.mode}, {self.n_sweeps} sweeps x "
            f"{self.n_samples} samples at {self.sampling_rate:g} Hz, protocol "
            f"{self.protocol or '?'!r})"
        )


def recording_from_arrays(
    signal: ArrayLike,
    command: ArrayLike,
    *,
    sampling_rate: float,
    mode: str = "voltage-clamp",
    signal_unit: str | None = None,
    command_unit: str | None = None,
    source: str = "",
    file_format: str = "arrays",
    protocol: str = "",
    holding: float | None = None,
    epochs: Sequence[Epoch] | None = None,
    channel: int = 0,
    channel_name: str = "",
    metadata: dict[str, Any] | None = None,
) -> Recording:
    """A :class:`Recording` from arrays of shape (n_sweeps, n_samples) (or one sweep, 1-d).

    Parameters
    ----------
    signal : array_like
        The recorded channel: current in voltage clamp, voltage in current clamp.
    command : array_like
        The command of every sample, same shape (or one row broadcast to every sweep).
    sampling_rate : float
        Samples per second (> 0). [Hz]
    mode : {"voltage-clamp", "current-clamp"}, default "voltage-clamp"
    signal_unit, command_unit : str, optional
        Units of the arrays (default pA and mV in voltage clamp, mV and pA in current clamp);
        converted to those.
    source, file_format, protocol, channel, channel_name, metadata
        Stored as given.
    holding : float, optional
        Holding command (default: the first command sample of the first sweep).
    epochs : sequence of Epoch, optional
        Default: found in the command (segments of constant or linearly changing command).

    Returns
    -------
    Recording

    Raises
    ------
    ValueError
        Non-finite samples, shapes that differ, an unknown mode or unit, a unit of the wrong
        kind for the mode (a current unit for the voltage-clamp command, ...), a non-positive
        sampling rate.

    Examples
    --------
    >>> import numpy as np
    >>> cmd = np.r_[np.full(100, -70.0), np.full(200, -80.0), np.full(100, -70.0)]
    >>> rec = recording_from_arrays(np.zeros(400), cmd, sampling_rate=10_000)
    >>> rec.n_sweeps, [(e.start, e.stop, float(e.levels[0])) for e in rec.epochs]
    (1, [(0, 100, -70.0), (100, 300, -80.0), (300, 400, -70.0)])
    """
    if mode not in MODES:
        raise ValueError(f"mode={mode!r} is not one of {MODES}")
    vc = mode == "voltage-clamp"
    s_unit = signal_unit or ("pA" if vc else "mV")
    c_unit = command_unit or ("mV" if vc else "pA")
    s_scale = _scale(s_unit, CURRENT_UNITS if vc else VOLTAGE_UNITS, "signal", mode)
    c_scale = _scale(c_unit, VOLTAGE_UNITS if vc else CURRENT_UNITS, "command", mode)
    fs = float(sampling_rate)
    if not np.isfinite(fs) or fs <= 0:
        raise ValueError(f"sampling_rate={sampling_rate!r} must be a positive number of Hz")
    y = np.atleast_2d(np.asarray(signal, float)) * s_scale
    c = np.atleast_2d(np.asarray(command, float)) * c_scale
    if y.ndim != 2 or y.shape[1] < 2:
        raise ValueError(f"signal has shape {np.shape(signal)}; give (n_sweeps, n_samples)")
    if c.shape != y.shape:
        if c.shape[0] == 1 and c.shape[1] == y.shape[1]:
            c = np.broadcast_to(c, y.shape).copy()
        else:
            raise ValueError(
                f"command has shape {np.shape(command)} but signal has {np.shape(signal)}; "
                "give one command sample per signal sample"
            )
    for name, arr in (("signal", y), ("command", c)):
        if not np.all(np.isfinite(arr)):
            bad = np.argwhere(~np.isfinite(arr))[0]
            raise ValueError(
                f"{name} holds a non-finite sample (sweep {bad[0]}, sample {bad[1]}): "
                f"{arr[tuple(bad)]}"
            )
    found = tuple(epochs) if epochs is not None else epochs_from_command(c)
    meta = {"signal_unit": s_unit, "command_unit": c_unit, **(metadata or {})}
    return Recording(
        time=np.arange(y.shape[1]) / fs,
        signal=y,
        command=c,
        sampling_rate=fs,
        mode=mode,
        epochs=found,
        channel=channel,
        channel_name=channel_name,
        source=source,
        file_format=file_format,
        protocol=protocol,
        holding=float(c[0, 0]) if holding is None else float(holding),
        metadata=meta,
    )


def _scale(unit: str, table: dict[str, float], what: str, mode: str) -> float:
    key = unit.strip()
    if key in table:
        return table[key]
    other = VOLTAGE_UNITS if table is CURRENT_UNITS else CURRENT_UNITS
    kind = "current" if table is CURRENT_UNITS else "voltage"
    if key in other:
        raise ValueError(
            f"{what} unit {unit!r} is a {'voltage' if kind == 'current' else 'current'}, but "
            f"a {mode} {what} must be a {kind} ({', '.join(table)})"
        )
    raise ValueError(f"{what} unit {unit!r} is not a {kind} unit; use one of {', '.join(table)}")


def epochs_from_command(command: np.ndarray) -> tuple[Epoch, ...]:
    """Segments of the command shared by all sweeps: constant runs (steps) and linear runs
    (ramps).

    The command is piecewise linear; its second difference is non-zero only where the
    piecewise-linear shape bends: at two adjacent samples for a jump (a new epoch starts at
    the second), at one sample for a kink (a ramp starts at the kink, or ends there).
    """
    n = command.shape[1]
    if n < 3:
        return (Epoch(0, n, "step", command[:, 0].copy(), command[:, -1].copy()),)
    d = np.diff(command, axis=1)
    dd = np.zeros(n, bool)
    dd[1:-1] = np.any(np.abs(np.diff(d, axis=1)) > LEVEL_TOLERANCE_MV, axis=0)
    moving = np.zeros(n, bool)  # moving[k]: the command changes from k to k+1
    moving[:-1] = np.any(np.abs(d) > LEVEL_TOLERANCE_MV, axis=0)
    bounds = {0}
    k = 1
    while k < n - 1:
        if dd[k] and dd[k + 1]:
            bounds.add(k + 1)  # a jump between k and k+1
            k += 2
            continue
        if dd[k]:
            # A kink: a ramp starting at k (flat before), or ending at k (flat after).
            bounds.add(k if moving[k] and not moving[k - 1] else k + 1)
        k += 1
    edges = [*sorted(b for b in bounds if b < n), n]
    epochs = []
    for a, b in itertools.pairwise(edges):
        seg = command[:, a:b]
        ramp = b - a > 1 and bool(np.any(np.ptp(seg, axis=1) > LEVEL_TOLERANCE_MV))
        epochs.append(Epoch(a, b, "ramp" if ramp else "step", seg[:, 0].copy(), seg[:, -1].copy()))
    return tuple(_merge_steps(epochs))


def _merge_steps(epochs: list[Epoch]) -> list[Epoch]:
    out: list[Epoch] = []
    for e in epochs:
        if (
            out
            and e.kind == out[-1].kind == "step"
            and np.allclose(e.levels, out[-1].levels, atol=LEVEL_TOLERANCE_MV)
        ):
            prev = out.pop()
            e = Epoch(prev.start, e.stop, "step", prev.levels, e.end_levels)
        out.append(e)
    return out


# -- readers ------------------------------------------------------------------------------------
def read_recording(
    path: str | Path,
    /,
    *,
    channel: int = 0,
    file_format: str | None = None,
) -> Recording:
    """Read one channel of a recording file into a :class:`Recording`.

    Formats, chosen by suffix unless ``file_format`` is given:

    - ``.abf`` (``"abf"``): Axon Binary Format 1 and 2, read by ``pyabf``; the command
      waveform and the epochs come from the file's protocol (epoch table).
    - ``.csv``, ``.tsv``, ``.txt`` (``"csv"``): a table with a header naming the columns
      with their units, ``time (s)``, ``command (mV)``, ``current (pA)`` (or
      ``voltage (mV)`` and ``command (pA)`` for current clamp); ``_`` or brackets work too
      (``time_ms``, ``current [nA]``), and an optional ``sweep`` column numbers the sweeps
      (each sweep with the same time points).
    - anything else (``"neo"``): the first block read by ``neo.io.get_io``; the recorded
      channel is the ``channel``-th analog signal with current units, the command the first
      with voltage units (voltage clamp).

    Parameters
    ----------
    path : str or Path
        The file.
    channel : int, default 0
        The recorded (ADC) channel to read.
    file_format : {"abf", "csv", "neo"}, optional
        Override the suffix.

    Returns
    -------
    Recording
        Voltage clamp when the channel records a current, current clamp when it records a
        voltage.

    Raises
    ------
    ValueError
        Missing file, truncated or unreadable file, a channel the file does not have, a
        table without units or with units of the wrong kind, an unknown format.
    ImportError
        ``pyabf`` or ``neo`` not installed (``pip install 'nernst[recordings]'``).

    Examples
    --------
    >>> import io, tempfile, pathlib
    >>> text = "time (ms),command (mV),current (pA)\\n0,-70,-5\\n0.1,-70,-5\\n0.2,-80,-25\\n"
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "tiny.csv"
    >>> _ = p.write_text(text)
    >>> rec = read_recording(p)
    >>> rec.sampling_rate, rec.current.tolist()
    (10000.0, [[-5.0, -5.0, -25.0]])
    """
    p = Path(path)
    if not p.is_file():
        raise ValueError(f"no such recording file: {str(p)!r}")
    kind = (file_format or _format_from_suffix(p)).lower()
    if isinstance(channel, bool) or not isinstance(channel, int | np.integer) or channel < 0:
        raise ValueError(f"channel={channel!r} must be a non-negative integer")
    if kind == "abf":
        return _read_abf(p, int(channel))
    if kind in ("csv", "tsv"):
        return _read_table(p)
    if kind == "neo":
        return _read_neo(p, int(channel))
    raise ValueError(f"file_format={file_format!r} is not one of 'abf', 'csv', 'neo'")


def _format_from_suffix(p: Path) -> str:
    suffix = p.suffix.lower()
    if suffix == ".abf":
        return "abf"
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    return "neo"


def _need(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(
            f"reading this file needs {module}: pip install 'nernst[recordings]'"
        ) from None


def _read_abf(p: Path, channel: int) -> Recording:
    pyabf = _need("pyabf")
    size = p.stat().st_size
    head = p.read_bytes()[:4]
    if head not in (b"ABF ", b"ABF2"):
        raise ValueError(
            f"{str(p)!r} is not an Axon ABF file (it starts with {head!r}, not 'ABF ' or 'ABF2')"
        )
    try:
        header = pyabf.ABF(str(p), loadData=False)
    except Exception as err:  # pyabf raises many kinds on a damaged header
        raise ValueError(f"cannot read the ABF header of {str(p)!r}: {err}") from None
    need = header.dataByteStart + header.dataPointCount * header.dataPointByteSize
    if size < need:
        raise ValueError(
            f"{str(p)!r} is truncated: it holds {size} bytes but its header announces "
            f"{header.dataPointCount} samples ending at byte {need}"
        )
    try:
        abf = pyabf.ABF(str(p))
    except Exception as err:
        raise ValueError(f"cannot read the data of {str(p)!r}: {err}") from None
    if channel >= abf.channelCount:
        raise ValueError(
            f"channel={channel}: {str(p)!r} has {abf.channelCount} channel(s) "
            f"({', '.join(abf.adcNames)}); give 0 to {abf.channelCount - 1}"
        )
    unit = str(abf.adcUnits[channel]).strip("\x00 ")
    if unit in CURRENT_UNITS:
        mode = "voltage-clamp"
    elif unit in VOLTAGE_UNITS:
        mode = "current-clamp"
    else:
        raise ValueError(
            f"{str(p)!r} channel {channel} records in {unit!r}, neither a current "
            f"({', '.join(CURRENT_UNITS)}) nor a voltage ({', '.join(VOLTAGE_UNITS)})"
        )
    dac = min(channel, len(abf.dacUnits) - 1) if abf.dacUnits else 0
    c_unit = str(abf.dacUnits[dac]).strip("\x00 ") if abf.dacUnits else ""
    c_unit = c_unit or ("mV" if mode == "voltage-clamp" else "pA")
    sweeps, commands = [], []
    for s in range(abf.sweepCount):
        abf.setSweep(s, channel=channel)
        sweeps.append(np.array(abf.sweepY, float))
        commands.append(np.array(abf.sweepC, float))
    epochs = _abf_epochs(abf, channel, len(sweeps[0]))
    holding: float | None = None
    try:
        holding = float(abf.holdingCommand[dac])
    except (AttributeError, IndexError, TypeError, ValueError):
        holding = None
    command = np.array(commands)
    known = bool(np.all(np.isfinite(command)))
    if not known:
        # No command waveform in the file (e.g. an ABF1 file written without a protocol):
        # keep the holding level, and say so; iv_curve refuses such a recording.
        level = holding if holding is not None and math.isfinite(holding) else 0.0
        command = np.full(command.shape, level)
        epochs = None
    return recording_from_arrays(
        np.array(sweeps),
        command,
        sampling_rate=float(abf.dataRate),
        mode=mode,
        signal_unit=unit,
        command_unit=c_unit,
        source=str(p),
        file_format="abf2" if str(abf.abfVersionString).startswith("2") else "abf1",
        protocol="" if str(abf.protocol) in ("", "None") else str(abf.protocol),
        holding=holding,
        epochs=epochs,
        channel=channel,
        channel_name=str(abf.adcNames[channel]).strip("\x00 "),
        metadata={
            "abf_version": str(abf.abfVersionString),
            "abf_id": str(getattr(abf, "abfID", "")),
            "command_from_protocol": known,
            "operation_mode": int(getattr(abf._protocolSection, "nOperationMode", -1))
            if hasattr(abf, "_protocolSection")
            else None,
        },
    )


def _abf_epochs(abf: Any, channel: int, n: int) -> tuple[Epoch, ...] | None:
    """Epochs from the ABF epoch table (pyabf's ``sweepEpochs``), or None to find them in
    the command (ABF1 files and protocols without a waveform)."""
    try:
        per_sweep = []
        for s in range(abf.sweepCount):
            abf.setSweep(s, channel=channel)
            ep = abf.sweepEpochs
            per_sweep.append((list(ep.p1s), list(ep.p2s), list(ep.levels), list(ep.types)))
    except Exception:  # no epoch table
        return None
    p1, p2, _, types = per_sweep[0]
    if len(p1) < 2 or any(x[0] != p1 or x[1] != p2 for x in per_sweep):
        return None
    epochs = []
    for k, (a, b, kind) in enumerate(zip(p1, p2, types, strict=True)):
        b = min(b, n)
        if b <= a:
            continue
        levels = np.array([x[2][k] for x in per_sweep], float)
        if str(kind).lower() == "ramp":
            # pyabf's level of a ramp epoch is its end; it starts from the previous level.
            starts = np.array([x[2][k - 1] if k > 0 else x[2][k] for x in per_sweep], float)
            epochs.append(Epoch(a, b, "ramp", starts, levels))
        elif str(kind).lower() == "step":
            epochs.append(Epoch(a, b, "step", levels, levels.copy()))
        else:  # pulse trains and other waveforms: describe them from the command itself
            return None
    return tuple(epochs)


_HEADER = re.compile(r"^\s*([A-Za-z]+)\s*(?:[\(\[]\s*([^\)\]]+?)\s*[\)\]]|_([A-Za-zµ]+))?\s*$")


def _read_table(p: Path) -> Recording:
    text = p.read_text(encoding="utf-8-sig")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if len(lines) < 3:
        raise ValueError(f"{str(p)!r}: a table needs a header and at least two rows")
    delim = "\t" if ("\t" in lines[0] or p.suffix.lower() == ".tsv") else ","
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delim)
    header = next(reader)
    columns: dict[str, tuple[int, str | None]] = {}
    for k, name in enumerate(header):
        m = _HEADER.match(name)
        if not m:
            raise ValueError(f"{str(p)!r}: column {name!r} is not NAME (UNIT), e.g. 'current (pA)'")
        columns[m.group(1).lower()] = (k, m.group(2) or m.group(3))
    example = "time (s), command (mV), current (pA) [, sweep]"
    if "time" not in columns:
        raise ValueError(f"{str(p)!r}: no 'time' column; expected a header like {example}")
    if "current" in columns and "command" in columns:
        mode, sig, cmd = "voltage-clamp", "current", "command"
    elif "voltage" in columns and "command" in columns:
        mode, sig, cmd = "current-clamp", "voltage", "command"
    else:
        raise ValueError(
            f"{str(p)!r}: columns {header!r}; expected a header like {example} (or "
            "time, command (pA), voltage (mV) for current clamp)"
        )
    for name in ("time", sig, cmd):
        if columns[name][1] is None:
            raise ValueError(
                f"{str(p)!r}: column {header[columns[name][0]]!r} has no unit; write it as "
                f"'{name} (UNIT)', e.g. {example}"
            )
    t_unit = str(columns["time"][1])
    if t_unit not in TIME_UNITS:
        raise ValueError(f"{str(p)!r}: time unit {t_unit!r} is not one of {', '.join(TIME_UNITS)}")
    try:
        rows = np.array([[float(x) for x in row] for row in reader], float)
    except ValueError as err:
        raise ValueError(f"{str(p)!r}: a cell is not a number ({err})") from None
    if rows.ndim != 2 or rows.shape[1] != len(header):
        raise ValueError(f"{str(p)!r}: every row must have {len(header)} values")
    t = rows[:, columns["time"][0]] * TIME_UNITS[t_unit]
    y = rows[:, columns[sig][0]]
    c = rows[:, columns[cmd][0]]
    if "sweep" in columns:
        ids = rows[:, columns["sweep"][0]]
        order = list(dict.fromkeys(ids.tolist()))
        groups = [ids == i for i in order]
        sizes = {int(g.sum()) for g in groups}
        if len(sizes) != 1:
            raise ValueError(f"{str(p)!r}: the sweeps have different numbers of samples {sizes}")
        t0 = t[groups[0]]
        y = np.array([y[g] for g in groups])
        c = np.array([c[g] for g in groups])
    else:
        t0 = t
    dt = np.diff(t0)
    if np.any(dt <= 0) or np.ptp(dt) > 1e-3 * np.mean(dt):
        raise ValueError(f"{str(p)!r}: the time column must increase in equal steps")
    return recording_from_arrays(
        y,
        c,
        sampling_rate=1.0 / float(np.mean(dt)),
        mode=mode,
        signal_unit=columns[sig][1],
        command_unit=columns[cmd][1],
        source=str(p),
        file_format="csv",
        channel_name=sig,
    )


def _read_neo(p: Path, channel: int) -> Recording:
    neo = _need("neo")
    try:
        reader = neo.io.get_io(str(p))
        block = reader.read_block(lazy=False)
    except Exception as err:
        raise ValueError(f"neo cannot read {str(p)!r}: {err}") from None
    protocol: list[Any] = []
    if hasattr(reader, "read_protocol"):  # AxonIO: the DAC waveform, one segment per sweep
        try:
            protocol = list(reader.read_protocol())
        except Exception:
            protocol = []
    sweeps, commands, fs, names = [], [], None, []
    units: tuple[str, str] = ("pA", "mV")
    for k, seg in enumerate(block.segments):
        currents = [s for s in seg.analogsignals if _dimension(s) == "current"]
        voltages = [s for s in seg.analogsignals if _dimension(s) == "voltage"]
        if not voltages and k < len(protocol):
            voltages = [s for s in protocol[k].analogsignals if _dimension(s) == "voltage"]
        if channel >= sum(s.shape[1] for s in currents):
            raise ValueError(
                f"{str(p)!r}: no current channel {channel} (neo found "
                f"{sum(s.shape[1] for s in currents)} current and "
                f"{sum(s.shape[1] for s in voltages)} voltage channel(s))"
            )
        if not voltages:
            raise ValueError(
                f"{str(p)!r}: neo found no command (voltage) channel; export the command with "
                "the current, or save the table as CSV with a command column"
            )
        cur = np.concatenate([np.asarray(s.magnitude, float) for s in currents], axis=1)
        vol = np.asarray(voltages[0].magnitude, float)[:, 0]
        sweeps.append(cur[:, channel])
        commands.append(vol)
        fs = float(currents[0].sampling_rate.rescale("Hz").magnitude)
        units = (_unit(currents[0]), _unit(voltages[0]))
        names.append(str(currents[0].name or ""))
    if not sweeps:
        raise ValueError(f"{str(p)!r}: neo found no segments")
    return recording_from_arrays(
        np.array(sweeps),
        np.array(commands),
        sampling_rate=float(fs or 0.0),
        signal_unit=units[0],
        command_unit=units[1],
        source=str(p),
        file_format=f"neo:{type(reader).__name__}",
        channel=channel,
        channel_name=names[0],
    )


def _unit(signal: Any) -> str:
    return str(signal.units.dimensionality.string)


def _dimension(signal: Any) -> str:
    import quantities as pq

    try:
        signal.units.rescale(pq.pA)
        return "current"
    except ValueError:
        pass
    try:
        signal.units.rescale(pq.mV)
        return "voltage"
    except ValueError:
        return "other"
