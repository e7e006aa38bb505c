"""How large a sweep is, estimated from its shape before anything is built; the size limit.

Standard library only, so the command line can refuse an oversized grid before NumPy and the
physics load. :mod:`nernst.sweeps` re-exports :class:`SweepEstimate`,
:func:`check_sweep_size` and the constants, and wraps :func:`estimate_sweep`.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass

__all__ = [
    "CURRENT_POINTS_PER_SECOND_PER_CORE",
    "MAX_POINTS",
    "POINTS_PER_SECOND_PER_CORE",
    "SweepEstimate",
    "check_sweep_size",
    "estimate_sweep",
]

#: Largest grid :func:`nernst.sweep` accepts unless told otherwise (``max_points=``, or the
#: environment variable NERNST_SWEEP_MAX_POINTS): sized for the project machine (2 cores,
#: 24 GiB): about 3 minutes of computing and up to 8 GB of output per variable.
MAX_POINTS = 1_000_000_000

#: Grid points per second per core behind the time estimate (V_rest and the equilibrium
#: potentials): one thread computed 1e7 points in 0.09 s of CPU on the project machine
#: (2026-12-04, ``benchmarks/sweep.py``); rounded down for a loaded machine and Dask.
POINTS_PER_SECOND_PER_CORE = 5e7

#: Grid points per second per core per ion for the ``"currents"`` output (one GHK current
#: per permeant ion and point): 1e7 points x 3 ions took 2.3 s of CPU (2026-12-04).
CURRENT_POINTS_PER_SECOND_PER_CORE = 1.2e7


@dataclass(frozen=True)
class SweepEstimate:
    """What a sweep of a given shape costs, estimated before anything is built.

    Attributes
    ----------
    shape : tuple of int
        Values per dimension.
    points : int
        Grid points (the product of ``shape``).
    variables : int
        Data variables (V_rest, one E per ion, one I per ion with currents).
    output_bytes : int
        Upper bound of the result's size: every variable over the whole grid, float64. [bytes]
    peak_bytes : int
        Memory while computing: the whole result in NumPy (grids up to
        ``dask_threshold`` points), else two blocks in flight per core plus the task graph;
        plus the temporaries of one piece of a block per core (blocks are solved in pieces
        of ``piece_points``, straight from the 1-D axes). [bytes]
    seconds : float
        Computing time on ``cores`` cores at :data:`POINTS_PER_SECOND_PER_CORE` (and
        :data:`CURRENT_POINTS_PER_SECOND_PER_CORE` per ion with currents). [s]
    cores : int
        Cores assumed (this machine's).
    """

    shape: tuple[int, ...]
    points: int
    variables: int
    output_bytes: int
    peak_bytes: int
    seconds: float
    cores: int

    def describe(self) -> str:
        """One line: points, output size, memory and time."""
        sizes = " x ".join(f"{n:,}" for n in self.shape)
        return (
            f"{sizes} = {self.points:.3g} points, {self.variables} variables: up to "
            f"{_bytes(self.output_bytes)} of output, about {_bytes(self.peak_bytes)} of memory "
            f"and {_duration(self.seconds)} on {self.cores} core{'s' if self.cores > 1 else ''}"
        )


def _bytes(n: float) -> str:
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n:.0f} bytes"


def _duration(seconds: float) -> str:
    for unit, scale in (("days", 86400.0), ("h", 3600.0), ("min", 60.0)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds:.2g} s"


def estimate_sweep(
    shape: Sequence[int],
    *,
    ions: int,
    outputs: Collection[str] = ("resting_potential", "equilibrium_potentials"),
    cores: int | None = None,
    dask_threshold: int = 10_000_000,
    block_points: int = 1 << 20,
    piece_points: int = 1 << 16,
) -> SweepEstimate:
    """Estimate the points, memory and time of a sweep from its shape alone.

    Parameters
    ----------
    shape : sequence of int
        Values per varied parameter.
    ions : int
        Ions of the cell.
    outputs : collection of str
        The outputs of :func:`nernst.sweep` ("resting_potential", "equilibrium_potentials",
        "currents").
    cores : int, optional
        Cores to assume; default ``os.cpu_count()``.
    dask_threshold, block_points, piece_points : int
        :data:`nernst.sweeps.DASK_THRESHOLD`, :data:`nernst.sweeps.BLOCK_POINTS` and the
        points per piece of a block.

    Returns
    -------
    SweepEstimate

    Examples
    --------
    >>> e = estimate_sweep((1_000_000, 1_000_000), ions=4, cores=2)
    >>> e.points, e.variables
    (1000000000000, 5)
    >>> e.output_bytes / 1e12
    40.0
    """
    wanted = set(outputs)
    sizes = tuple(int(n) for n in shape)
    points = math.prod(sizes)
    variables = (
        ("resting_potential" in wanted)
        + ions * ("equilibrium_potentials" in wanted)
        + ions * ("currents" in wanted)
    )
    n_cores = max(1, cores or os.cpu_count() or 1)
    result = 8 * int(variables)  # bytes per point of the result
    scratch = n_cores * piece_points * 8 * (6 + 2 * ions)  # a piece's temporaries per core
    if points <= dask_threshold:
        peak = points * result + scratch
    else:
        blocks = math.ceil(points / block_points)
        peak = 2 * n_cores * block_points * result + scratch + blocks * 2_000
    seconds = points / (POINTS_PER_SECOND_PER_CORE * n_cores)
    if "currents" in wanted:
        seconds += points * ions / (CURRENT_POINTS_PER_SECOND_PER_CORE * n_cores)
    return SweepEstimate(
        shape=sizes,
        points=points,
        variables=int(variables),
        output_bytes=8 * points * int(variables),
        peak_bytes=int(peak),
        seconds=seconds,
        cores=n_cores,
    )


def _max_points(max_points: int | None) -> int:
    if max_points is not None:
        if isinstance(max_points, bool) or not isinstance(max_points, numbers.Integral):
            raise ValueError(f"max_points={max_points!r} must be a whole number of points")
        if max_points < 1:
            raise ValueError(f"max_points={max_points} must be at least 1")
        return int(max_points)
    text = os.environ.get("NERNST_SWEEP_MAX_POINTS")
    if text:
        try:
            return max(1, int(float(text)))
        except ValueError:
            raise ValueError(
                f"NERNST_SWEEP_MAX_POINTS={text!r} must be a number of points, e.g. 1e10"
            ) from None
    return MAX_POINTS


def check_sweep_size(estimate: SweepEstimate, *, max_points: int | None = None) -> None:
    """Refuse a sweep larger than the limit, with the estimate and how to raise the limit.

    The limit is ``max_points``, else the environment variable NERNST_SWEEP_MAX_POINTS,
    else :data:`MAX_POINTS`.

    Raises
    ------
    ValueError
        The grid has more points than the limit.

    Examples
    --------
    >>> check_sweep_size(estimate_sweep((1000, 1000), ions=4))
    >>> check_sweep_size(estimate_sweep((10**6, 10**6), ions=4))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: the sweep is too large: 1,000,000 x 1,000,000 = 1e+12 points, 5 variables: ...
    """
    limit = _max_points(max_points)
    if estimate.points > limit:
        raise ValueError(
            f"the sweep is too large: {estimate.describe()}; the limit is {limit:.3g} points "
            "(max_points=, NERNST_SWEEP_MAX_POINTS): use fewer values, or raise the limit and "
            "run it on a Dask cluster (client=) writing to zarr"
        )
