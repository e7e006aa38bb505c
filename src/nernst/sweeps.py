"""Parameter sweeps: a cell's potentials and currents over a grid of conditions.

:func:`sweep` varies concentrations, permeabilities and the temperature of a :class:`Cell`
over the outer product of 1-D axes and evaluates the vectorised physics
(:func:`~nernst.ghk_voltage`, :func:`~nernst.equilibrium_potential`,
:func:`~nernst.ghk_current`) block by block, never point by point. The result is an
:class:`xarray.Dataset` with one labelled dimension per varied parameter.

Each block is computed straight from its slices of the 1-D axes: every ion's permeability
and concentrations are floats or axes reshaped to broadcast, the valence sums of the GHK
voltage are accumulated ion by ion (no stacked ``(..., ions)`` arrays, no matrix product),
and the block is solved in cache-sized pieces into its place in the result. The inputs are
validated once per sweep, before anything is built, not per block.

Grids up to :data:`DASK_THRESHOLD` points are computed in memory, their blocks shared out
among threads (one per core; NumPy releases the GIL). Grids above it (or any grid, on
request) are built as Dask arrays whose blocks are computed independently
(:func:`dask.array.blockwise`), so nothing holds the whole grid in memory unless asked to:
reduce the lazy result or write it to zarr/netCDF and it is evaluated chunk by chunk, on
Dask's threads by default, or on processes or a ``dask.distributed`` cluster when asked
(``scheduler=``, ``client=``; on one 2-core machine a LocalCluster is several times slower
than threads, see ``benchmarks/sweep.py``).

xarray (and Dask, when used) are imported inside :func:`sweep`, so ``import nernst`` stays
light. Install them with ``pip install 'nernst[scale]'``.

Conventions: V = V_in - V_out in mV; concentrations in mM; temperature in degC; currents
positive outward in mA/cm^2.
"""

from __future__ import annotations

import importlib
import itertools
import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from nernst._sweep_limits import (
    MAX_POINTS,
    SweepEstimate,
    check_sweep_size,
)
from nernst._sweep_limits import estimate_sweep as _estimate
from nernst._validate import as_float, non_negative, positive, show
from nernst.cell import Cell
from nernst.constants import kelvin
from nernst.ghk import ghk_current, grid_voltage
from nernst.ions import ions
from nernst.nernst import equilibrium_potential

if TYPE_CHECKING:  # pragma: no cover
    import xarray as xr

__all__ = [
    "BLOCK_POINTS",
    "DASK_THRESHOLD",
    "MAX_POINTS",
    "OUTPUTS",
    "SCHEDULERS",
    "SweepEstimate",
    "check_sweep_size",
    "estimate_sweep",
    "sweep",
]

#: Grids with more points than this run on Dask (and stay lazy) unless ``dask=`` says
#: otherwise: 1e7 float64 values are 80 MB per variable.
DASK_THRESHOLD = 10_000_000

#: Target number of grid points per Dask block with ``chunks="auto"`` (8 MB per variable;
#: few enough tasks that Dask's bookkeeping stays small next to the arithmetic: a 1e8-point
#: grid is 96 blocks).
BLOCK_POINTS = 1 << 20

#: Points per block of an in-memory sweep with ``chunks="auto"`` (2 MB per variable; enough
#: blocks to keep every thread busy).
_NUMPY_BLOCK_POINTS = 1 << 18

#: Points per piece in which a block is solved: the temporaries of a piece (512 kB each)
#: stay in the CPU cache (L2) and are recycled by the allocator, where a whole block's would
#: not; whatever the block size, the extra memory per block in flight is a few of these.
#: On the project machine (a 1e7-point sweep, one thread, CPU time) pieces of 2**15 and 2**16
#: points are alike (80-90 ms) and whole blocks of 2**18 points take about twice as long.
_PIECE_POINTS = 1 << 16

#: The accepted ``outputs`` and the data variables each adds to the Dataset.
OUTPUTS = {
    "resting_potential": "V_rest: GHK resting potential [mV]",
    "equilibrium_potentials": "E_<ion>: Nernst potential of every ion of the cell [mV]",
    "currents": "I_<ion>: GHK current of each permeant ion at V_rest [mA/cm^2] "
    "(permeabilities taken as absolute, cm/s)",
}

#: The accepted ``scheduler=`` names (Dask's local schedulers).
SCHEDULERS = ("threads", "processes", "synchronous")

_UNITS = {"in": "mM", "out": "mM", "celsius": "degC"}


@dataclass(frozen=True)
class _Param:
    """One varied parameter: its canonical path and what it sets."""

    path: str  # "K+.out", "K+.in", "perm.K+", "celsius"
    kind: str  # "in", "out", "perm", "celsius"
    ion: str | None


@dataclass(frozen=True)
class _Spec:
    """What a block needs to evaluate itself: plain data, so it pickles to any worker."""

    dims: tuple[str, ...]  # the paths of the block's axes, in order
    ions: tuple[str, ...]
    valences: tuple[int, ...]
    c_in: tuple[float, ...]  # base values, used where a parameter is not varied [mM]
    c_out: tuple[float, ...]
    permeability: tuple[float, ...]
    celsius: float
    currents: bool = False
    screened: bool = False  # every P and c of the grid > 1e-75 (see ghk.grid_voltage)


def sweep(
    cell: Cell | str | Path,
    vary: Mapping[str, ArrayLike],
    /,
    *,
    outputs: str | Sequence[str] = ("resting_potential", "equilibrium_potentials"),
    chunks: str | int | Sequence[int] | Mapping[str, int] = "auto",
    scheduler: str | None = None,
    client: Any = None,
    dask: bool | None = None,
    compute: bool | None = None,
    max_points: int | None = None,
) -> xr.Dataset:
    r"""Resting potential, equilibrium potentials and currents of a cell over a grid.

    Every combination of the values in ``vary`` (their outer product) is a condition; the
    other parameters keep the cell's values. At each condition

    .. math::

        E_i = \frac{RT}{z_i F} \ln\frac{c_{i,out}}{c_{i,in}}, \qquad
        \sum_i I_i(V_{rest}) = 0, \quad
        I_i(V) = P_i z_i F \frac{w_i}{1 - e^{-w_i}} \left(c_{i,in} - c_{i,out} e^{-w_i}\right),
        \quad w_i = \frac{z_i F V}{R T}

    (the GHK voltage solved in closed form for valences +-1 and +-2). The grid is cut into
    blocks, each computed from its slices of the 1-D axes with the arithmetic of
    :func:`~nernst.ghk_voltage` (to the last bit: the same sums in the same order),
    :func:`~nernst.equilibrium_potential` and :func:`~nernst.ghk_current`.

    Parameters
    ----------
    cell : Cell, str or path
        The cell (its ``inside``, ``outside``, ``permeability`` and ``celsius``), a preset
        name ("mammalian-neuron") or a path to a cell ``.toml`` file.
    vary : mapping of str to 1-D array_like
        Parameter path -> its values, one dimension of the grid each, in this order:
        ``"K+.out"`` / ``"K+.in"`` (concentration outside / inside [mM]), ``"perm.Na+"``
        (permeability [relative, or cm/s with currents]) and ``"celsius"`` [degC]. Ion names
        may be aliases ("potassium.out"); the dimension takes the canonical name. A
        permeability may be varied for an ion the cell lists as impermeant.
    outputs : str or sequence of str, default ("resting_potential", "equilibrium_potentials")
        Which variables to compute (see :data:`OUTPUTS`):

        - ``"resting_potential"``: ``V_rest`` over the parameters it depends on (the
          temperature and the concentrations and permeabilities of the permeant ions). [mV]
        - ``"equilibrium_potentials"``: ``E_<ion>`` for **every** ion of the cell, each over
          only the dimensions it depends on (its own concentrations and the temperature); an
          ion none of whose parameters vary gets a 0-d variable. [mV]
        - ``"currents"``: ``I_<ion>`` for each permeant ion, the GHK current density at
          ``V_rest`` (so they sum to zero), positive outward. Only meaningful with absolute
          permeabilities: the cell's permeabilities (and varied ones) are then taken as cm/s;
          with relative ones the currents are in units of mA/cm^2 per cm/s of the reference
          permeability. [mA/cm^2]
    chunks : "auto", int, sequence of int or mapping of str to int, default "auto"
        Block lengths along the dimensions: ``"auto"`` makes Dask blocks of about
        :data:`BLOCK_POINTS` points shared among the dimensions, and in-memory blocks of
        whole trailing rows (about 2.6e5 points, contiguous in the result); an int is the
        length along every dimension; a sequence gives one per dimension; a mapping by
        parameter path gives some (the others are whole). Used by both the NumPy and the
        Dask path; the values do not depend on it.
    scheduler : {"threads", "processes", "synchronous"}, optional
        Dask local scheduler for the computation that ``sweep`` runs (implies Dask). Without
        it an in-memory sweep runs on nernst's own threads, one per core.
    client : dask.distributed.Client, optional
        Run the computation on this cluster (implies Dask). Workers must be able to
        ``import nernst``.
    dask : bool, optional
        Force (True) or forbid (False) Dask. Default: Dask when the grid has more than
        :data:`DASK_THRESHOLD` points (unless ``compute=True``: then the grid is computed in
        memory on nernst's threads, which needs half the memory of Dask's computed blocks
        plus their concatenation), or when ``scheduler``, ``client`` or ``compute=False`` is
        given.
    compute : bool, optional
        On Dask, whether ``sweep`` computes the result (True: in-memory NumPy arrays) or
        returns it lazy (False: Dask arrays; reduce it, e.g. ``ds.V_rest.mean().compute()``,
        or write it with ``ds.to_zarr(...)``, and it is evaluated chunk by chunk). Default:
        compute when the grid has at most :data:`DASK_THRESHOLD` points, lazy above. A lazy
        result is computed later by whatever scheduler is active then (a
        ``dask.distributed.Client`` becomes the default when created), so ``scheduler`` and
        ``client`` are an error when the result stays lazy.
    max_points : int, optional
        Refuse grids with more points than this (default :data:`MAX_POINTS`, 1e9, or the
        environment variable NERNST_SWEEP_MAX_POINTS); the refusal comes before anything is
        built and gives the estimate of :func:`estimate_sweep` (points, output size, memory,
        time). Raise it for a cluster (``client=``) and an output written chunk by chunk.

    Returns
    -------
    ds : xarray.Dataset
        Dimensions named by the canonical parameter paths, with the values as coordinates
        (``units`` attribute: mM, degC, ``"relative"`` or cm/s for permeabilities); data
        variables ``V_rest``, ``E_<ion>``, ``I_<ion>`` as requested, each with ``units`` and
        ``long_name``; dataset attributes with the cell's title, its full definition (JSON)
        and the sign convention.

    Raises
    ------
    ValueError
        Unknown parameter path or ion, an ion not in the cell, a varied parameter given
        twice, values that are not a non-empty 1-D array, a non-positive concentration, a
        negative permeability, a bad temperature, a grid point where every permeability is
        zero, no permeant ion when ``V_rest`` or currents are asked for, an unknown output
        or scheduler, bad chunks, or a combination of ``dask``/``compute``/``scheduler``/
        ``client`` that contradicts itself, or a grid larger than ``max_points``.
    ImportError
        xarray (or Dask, when it is used) is not installed.

    Examples
    --------
    The seed chapter's neuron (P_K : P_Na : P_Cl = 1 : 0.04 : 0.45) with [K+]out varied:

    >>> import nernst
    >>> ds = nernst.sweep("mammalian-neuron", {"K+.out": [2.5, 5.0, 10.0]})
    >>> ds.V_rest.sel({"K+.out": 5.0}).round(1).item()
    -67.3
    >>> ds["E_K+"].round(1).values.tolist()
    [-107.6, -89.1, -70.5]
    >>> ds["E_Na+"].dims
    ()

    References
    ----------
    .. [1] Goldman D.E. (1943) J. Gen. Physiol. 27:37-60; Hodgkin A.L., Katz B. (1949)
       J. Physiol. 108:37-77.
    .. [2] Hoyer S., Hamman J. (2017) xarray: N-D labeled arrays and datasets in Python.
       J. Open Res. Softw. 5:10.
    .. [3] Rocklin M. (2015) Dask: parallel computation with blocked algorithms and task
       scheduling. Proc. 14th Python in Science Conf., 130-136.
    """
    the_cell = _as_cell(cell)
    wanted = _outputs(outputs)
    params, values = _parse_vary(vary, the_cell)
    dims = tuple(p.path for p in params)
    shape = tuple(len(v) for v in values)
    points = math.prod(shape)
    check_sweep_size(
        estimate_sweep(shape, ions=len(the_cell.c_in), outputs=wanted), max_points=max_points
    )  # before anything is built: a 1e12-point grid is refused in well under a second
    use_dask, compute_now = _plan(points, dask, compute, scheduler, client)
    if use_dask or chunks != "auto":
        sizes = _chunk_sizes(chunks, dims, shape)
    else:  # in memory: blocks contiguous in the result (whole trailing rows)
        sizes = dict(zip(dims, _row_blocks(shape), strict=True))
    axis_of = {p.path: v for p, v in zip(params, values, strict=True)}

    try:
        import xarray as xr
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("sweep needs xarray: pip install 'nernst[scale]'") from None
    if use_dask:
        try:
            importlib.import_module("dask.array")
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError("sweep on Dask needs dask: pip install 'nernst[scale]'") from None

    varied = {p.path for p in params}
    absolute = "currents" in wanted
    data_vars: dict[str, Any] = {}

    def evaluate(func: Callable[..., np.ndarray], spec: _Spec, layers: int) -> Any:
        axes = [axis_of[d] for d in spec.dims]
        block = [sizes[d] for d in spec.dims]
        if not spec.dims:
            return func(spec=spec)
        if use_dask:
            return _dask_grid(func, spec, axes, block, layers)
        return _numpy_grid(func, spec, axes, block, layers)

    if "resting_potential" in wanted or "currents" in wanted:
        spec = _ghk_spec(the_cell, params, values, currents=absolute)
        layers = 1 + (len(spec.ions) if absolute else 0)
        stacked = evaluate(_ghk_block, spec, layers)
        if "resting_potential" in wanted:
            data_vars["V_rest"] = (
                spec.dims,
                stacked[..., 0],
                {
                    "units": "mV",
                    "long_name": "GHK resting potential V_in - V_out",
                    "ions": ", ".join(spec.ions),
                },
            )
        if absolute:
            for k, ion in enumerate(spec.ions):
                data_vars[f"I_{ion}"] = (
                    spec.dims,
                    stacked[..., k + 1],
                    {
                        "units": "mA/cm^2",
                        "long_name": f"GHK current density of {ion} at V_rest, outward positive",
                    },
                )
    if "equilibrium_potentials" in wanted:
        for ion in the_cell.c_in:
            deps = {f"{ion}.in", f"{ion}.out", "celsius"} & varied
            spec = _Spec(
                dims=tuple(d for d in dims if d in deps),
                ions=(ion,),
                valences=(ions[ion].charge,),
                c_in=(the_cell.c_in[ion],),
                c_out=(the_cell.c_out[ion],),
                permeability=(the_cell.permeability.get(ion, 0.0),),
                celsius=the_cell.celsius,
            )
            data_vars[f"E_{ion}"] = (
                spec.dims,
                evaluate(_nernst_block, spec, 0),
                {"units": "mV", "long_name": f"Nernst equilibrium potential of {ion}"},
            )

    coords = {
        p.path: (p.path, v, {"units": _param_units(p, absolute), "long_name": _long_name(p)})
        for p, v in zip(params, values, strict=True)
    }
    attrs: dict[str, Any] = {
        "title": f"nernst sweep of {the_cell.title}",
        "cell": the_cell.name or the_cell.title,
        "cell_definition": json.dumps(the_cell.to_dict()),
        "convention": "V = V_in - V_out [mV]; positive current outward",
        "permeability_units": "cm/s" if absolute else "relative",
        "varied": ", ".join(dims),
    }
    if "celsius" not in varied:
        attrs["celsius"] = the_cell.celsius
    ds = xr.Dataset(data_vars, coords=coords, attrs=attrs)
    if use_dask and compute_now:
        ds = ds.compute(scheduler=client if client is not None else scheduler)
    return ds


# -- block evaluation -----------------------------------------------------------------------
def _block_inputs(spec: _Spec, axes: Sequence[np.ndarray]) -> dict[str, np.ndarray]:
    """Each varied axis reshaped to broadcast along its own dimension of the block."""
    ndim = len(axes)
    out = {}
    for k, (dim, a) in enumerate(zip(spec.dims, axes, strict=True)):
        shape = [1] * ndim
        shape[k] = a.shape[0]
        out[dim] = a.reshape(shape)
    return out


def _ghk_block(*axes: np.ndarray, spec: _Spec, out: np.ndarray | None = None) -> np.ndarray:
    """V_rest (and each ion's current at V_rest) on one block, stacked on a last axis.

    Straight from the block's 1-D axes: each ion's (P, c_in, c_out) is a float or an axis
    reshaped to broadcast along its own dimension, so nothing of the block's size is built
    but the valence sums and the result (no stacking, no broadcast copies). The inputs were
    validated once for the whole sweep. The block is solved in pieces of
    :data:`_PIECE_POINTS` points (contiguous runs of rows), whose temporaries stay in the
    CPU cache. ``out``: the block's place in the result (else a new array)."""
    shape = tuple(a.shape[0] for a in axes)
    layers = 1 + (len(spec.ions) if spec.currents else 0)
    if out is None:
        out = np.empty((*shape, layers))
    zs = list(spec.valences)
    labels = list(spec.ions)
    pieces = _row_blocks(shape, _PIECE_POINTS)
    starts = [range(0, n, b) for n, b in zip(shape, pieces, strict=True)]
    for corner in itertools.product(*starts):
        where = tuple(slice(i, i + b) for i, b in zip(corner, pieces, strict=True))
        given = _block_inputs(spec, [a[s] for a, s in zip(axes, where, strict=True)])
        cols = [
            (given.get(f"perm.{i}", p), given.get(f"{i}.in", ci), given.get(f"{i}.out", co))
            for i, p, ci, co in zip(
                spec.ions, spec.permeability, spec.c_in, spec.c_out, strict=True
            )
        ]
        celsius = given.get("celsius", spec.celsius)
        dest = out[where]
        V = grid_voltage(cols, zs, labels, celsius, dest[..., 0], screened=spec.screened)
        if spec.currents:
            for k, (z, (P, ci, co)) in enumerate(zip(zs, cols, strict=True)):
                dest[..., k + 1] = ghk_current(
                    z, v_m=V, permeability=P, c_in=ci, c_out=co, celsius=celsius
                )
    return out


def _nernst_block(*axes: np.ndarray, spec: _Spec) -> np.ndarray:
    """One ion's equilibrium potential on one block."""
    given = _block_inputs(spec, axes)
    (ion,) = spec.ions
    E = equilibrium_potential(
        ion,
        c_in=given.get(f"{ion}.in", spec.c_in[0]),
        c_out=given.get(f"{ion}.out", spec.c_out[0]),
        celsius=given.get("celsius", spec.celsius),
    )
    shape = tuple(a.shape[0] for a in axes)
    return np.broadcast_to(np.asarray(E, float), shape)


def _numpy_grid(
    func: Callable[..., np.ndarray],
    spec: _Spec,
    axes: Sequence[np.ndarray],
    block: Sequence[int],
    layers: int,
) -> np.ndarray:
    """Evaluate ``func`` block by block (a loop over blocks, not points) into one array, the
    blocks shared out among :func:`_threads` threads (NumPy releases the GIL in its loops;
    each block writes its own part of the result)."""
    shape = tuple(len(a) for a in axes)
    out = np.empty(shape + ((layers,) if layers else ()))
    starts = [range(0, n, b) for n, b in zip(shape, block, strict=True)]
    corners = list(itertools.product(*starts))
    writes_in_place = func is _ghk_block

    def one(corner: tuple[int, ...]) -> None:
        where = tuple(slice(i, i + b) for i, b in zip(corner, block, strict=True))
        part = [a[s] for a, s in zip(axes, where, strict=True)]
        if writes_in_place:
            func(*part, spec=spec, out=out[where])
        else:
            out[where] = func(*part, spec=spec)

    workers = _threads(len(corners))
    if workers == 1:
        for corner in corners:
            one(corner)
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="nernst-sweep") as pool:
            for _ in pool.map(one, corners):
                pass
    return out


def _threads(blocks: int) -> int:
    """Threads for an in-memory sweep of ``blocks`` blocks: one per usable core, at most one
    per block (a single block runs in the calling thread)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, blocks))


def _row_blocks(shape: tuple[int, ...], points: int = _NUMPY_BLOCK_POINTS) -> list[int]:
    """Block lengths of at most ``points`` points (at least one value) that are contiguous in
    the C-ordered result: whole trailing dimensions, a run of the first dimension that does
    not fit whole, single values before it (the NumPy path with ``chunks="auto"``, and the
    pieces of a block)."""
    sizes = [1] * len(shape)
    room = points
    for k in range(len(shape) - 1, -1, -1):
        sizes[k] = max(1, min(shape[k], room))
        if sizes[k] < shape[k]:
            break
        room //= max(1, shape[k])
    return sizes


def _dask_grid(
    func: Callable[..., np.ndarray],
    spec: _Spec,
    axes: Sequence[np.ndarray],
    block: Sequence[int],
    layers: int,
) -> Any:
    """The same grid as a Dask array: one task per block, built from the 1-D axes alone."""
    import warnings

    import dask.array as da

    ndim = len(axes)
    args: list[Any] = []
    for k, (a, b) in enumerate(zip(axes, block, strict=True)):
        args += [da.from_array(a, chunks=(b,)), (f"d{k}",)]
    out_ind = tuple(f"d{k}" for k in range(ndim))
    new_axes = {}
    if layers:
        out_ind += ("layer",)
        new_axes = {"layer": layers}
    with warnings.catch_warnings():
        # An outer product of 1-D axes has (by design) many more blocks than its inputs.
        warnings.filterwarnings("ignore", message="Increasing number of chunks")
        return da.blockwise(
            func,
            out_ind,
            *args,
            new_axes=new_axes,
            dtype=float,
            meta=np.empty((0,) * len(out_ind)),
            token=f"nernst-sweep-{func.__name__.strip('_')}",
            spec=spec,
        )


# -- inputs ---------------------------------------------------------------------------------
def _as_cell(cell: Cell | str | Path) -> Cell:
    if isinstance(cell, Cell):
        return cell
    if isinstance(cell, Path) or (isinstance(cell, str) and cell.endswith(".toml")):
        return Cell.from_toml(cell)
    if isinstance(cell, str):
        return Cell.preset(cell)
    raise ValueError(
        f"cell must be a nernst.Cell, a preset name or a .toml path, got {type(cell).__name__}"
    )


def _outputs(outputs: str | Sequence[str]) -> set[str]:
    names = [outputs] if isinstance(outputs, str) else list(outputs)
    if not names:
        raise ValueError(f"outputs is empty; choose from {', '.join(OUTPUTS)}")
    for name in names:
        if name not in OUTPUTS:
            raise ValueError(f"unknown output {name!r}; the outputs are: {', '.join(OUTPUTS)}")
    return set(names)


def _valid_paths(cell: Cell) -> str:
    paths = [f"{i}.in, {i}.out, perm.{i}" for i in cell.c_in]
    return "; ".join([*paths, "celsius"])


def _parse_path(key: str, cell: Cell) -> _Param:
    """'K+.out' / 'potassium.in' / 'perm.Na+' / 'celsius' -> a canonical _Param."""
    if not isinstance(key, str):
        raise ValueError(f"a parameter path is a string such as 'K+.out', got {key!r}")
    text = key.strip()
    if text.lower() == "celsius":
        return _Param("celsius", "celsius", None)
    if text.lower().startswith("perm."):
        kind, name = "perm", text[5:]
    else:
        name, dot, side = text.rpartition(".")
        if not dot or side.lower() not in ("in", "out"):
            raise ValueError(
                f"unknown parameter path {key!r}: use ION.in or ION.out (concentration), "
                f"perm.ION (permeability) or celsius; for this cell: {_valid_paths(cell)}"
            )
        kind = side.lower()
    try:
        ion = ions.resolve(name.strip())
    except ValueError as err:
        raise ValueError(f"parameter path {key!r}: {err}") from None
    if ion not in cell.c_in:
        raise ValueError(
            f"{key!r}: {ion} is not in the cell's solutions ({', '.join(cell.c_in)}); "
            f"the parameter paths of this cell are: {_valid_paths(cell)}"
        )
    path = f"perm.{ion}" if kind == "perm" else f"{ion}.{kind}"
    return _Param(path, kind, ion)


def _parse_vary(vary: Mapping[str, ArrayLike], cell: Cell) -> tuple[list[_Param], list[np.ndarray]]:
    if not isinstance(vary, Mapping) or not vary:
        raise ValueError(
            "vary must be a non-empty mapping of parameter path -> 1-D array of values, "
            "e.g. {'K+.out': np.linspace(1, 100, 100)}"
        )
    params: list[_Param] = []
    values: list[np.ndarray] = []
    seen: dict[str, str] = {}
    for key, raw in vary.items():
        param = _parse_path(key, cell)
        if param.path in seen:
            raise ValueError(f"{key!r} and {seen[param.path]!r} both vary {param.path}")
        seen[param.path] = key
        name = f"vary[{key!r}]"
        arr = as_float(name, raw)
        if arr.ndim != 1 or arr.size == 0:
            raise ValueError(
                f"{name} must be a non-empty 1-D array of values, got shape {arr.shape}"
                + (f" (use [{show(arr)}] for a single value)" if arr.ndim == 0 else "")
            )
        if param.kind == "celsius":
            try:
                kelvin(arr)
            except ValueError as err:
                raise ValueError(f"{name}: {err}") from None
        elif param.kind == "perm":
            non_negative(name, arr, what="permeability", unit="relative or cm/s")
        else:
            positive(name, arr)
        params.append(param)
        values.append(arr)
    _check_some_permeant(cell, params, values)
    return params, values


def _check_some_permeant(cell: Cell, params: list[_Param], values: list[np.ndarray]) -> None:
    """No grid point may have every permeability zero (its GHK voltage is undefined)."""
    varied = {p.ion: v for p, v in zip(params, values, strict=True) if p.kind == "perm"}
    fixed_permeant = any(p > 0 for ion, p in cell.permeability.items() if ion not in varied)
    if varied and not fixed_permeant and all(np.any(v == 0) for v in varied.values()):
        where = ", ".join(f"perm.{ion}=0" for ion in varied)
        raise ValueError(
            f"at the grid point {where} no ion is permeant and the GHK voltage is undefined; "
            "keep a permeability positive or drop the zeros"
        )


def _ghk_spec(
    cell: Cell, params: list[_Param], values: list[np.ndarray], *, currents: bool
) -> _Spec:
    """What the V_rest blocks need; the screen of :func:`nernst.ghk.grid_voltage` is decided
    here, once for the whole grid (the inputs are validated by :func:`_parse_vary` and the
    cell)."""
    varied_perm = {p.ion for p in params if p.kind == "perm"}
    permeant = [i for i in cell.c_in if cell.permeability.get(i, 0.0) > 0 or i in varied_perm]
    if not permeant:
        raise ValueError(
            f"{cell.title}: no ion is permeant, so V_rest and currents are undefined; vary a "
            "permeability (e.g. 'perm.K+') or choose outputs=('equilibrium_potentials',)"
        )
    deps = {"celsius"} | {f"{i}.{s}" for i in permeant for s in ("in", "out")}
    deps |= {f"perm.{i}" for i in permeant}
    axis_of = {p.path: v for p, v in zip(params, values, strict=True)}
    lowest = [
        float(np.min(axis_of[path])) if path in axis_of else base
        for i in permeant
        for path, base in (
            (f"perm.{i}", cell.permeability.get(i, 0.0)),
            (f"{i}.in", cell.c_in[i]),
            (f"{i}.out", cell.c_out[i]),
        )
    ]
    return _Spec(
        dims=tuple(p.path for p in params if p.path in deps),
        ions=tuple(permeant),
        valences=tuple(ions[i].charge for i in permeant),
        c_in=tuple(cell.c_in[i] for i in permeant),
        c_out=tuple(cell.c_out[i] for i in permeant),
        permeability=tuple(cell.permeability.get(i, 0.0) for i in permeant),
        celsius=cell.celsius,
        currents=currents,
        screened=min(lowest) > 1e-75,
    )


def _plan(
    points: int, dask: bool | None, compute: bool | None, scheduler: str | None, client: Any
) -> tuple[bool, bool]:
    """(use Dask, compute now) from the grid size and the caller's choices."""
    if scheduler is not None and scheduler not in SCHEDULERS:
        raise ValueError(
            f"unknown scheduler {scheduler!r}; the schedulers are: {', '.join(SCHEDULERS)} "
            "(or pass a dask.distributed Client as client=)"
        )
    if client is not None and not callable(getattr(client, "get", None)):
        raise ValueError(f"client must be a dask.distributed Client, got {type(client).__name__}")
    if scheduler is not None and client is not None:
        raise ValueError("give scheduler= or client=, not both")
    remote = scheduler is not None or client is not None
    # compute=True without a scheduler: NumPy blocks on threads, written straight into the
    # result (Dask would hold the computed blocks and their concatenation at once).
    big_and_lazy = points > DASK_THRESHOLD and compute is not True
    use_dask = dask if dask is not None else (big_and_lazy or remote or compute is False)
    if not use_dask:
        if remote:
            raise ValueError("scheduler= and client= need Dask: drop dask=False")
        if compute is False:
            raise ValueError("compute=False (a lazy result) needs Dask: drop dask=False")
        return False, True
    compute_now = compute if compute is not None else points <= DASK_THRESHOLD
    if not compute_now and remote:
        why = (
            "compute=False"
            if compute is False
            else f"the grid has {points} points (> DASK_THRESHOLD = {DASK_THRESHOLD})"
        )
        raise ValueError(
            f"{why}, so the result stays lazy and scheduler=/client= would not be used: pass "
            "compute=True to compute it now (in memory), or drop them and compute the lazy "
            "result yourself, e.g. ds.V_rest.mean().compute(scheduler=...) or ds.to_zarr(...)"
        )
    return True, compute_now


def _chunk_sizes(
    chunks: str | int | Sequence[int] | Mapping[str, int],
    dims: tuple[str, ...],
    shape: tuple[int, ...],
) -> dict[str, int]:
    """Block length along each dimension."""
    if isinstance(chunks, str):
        if chunks != "auto":
            raise ValueError(f"chunks={chunks!r}: use 'auto', an int, a sequence or a mapping")
        # Share the block's points out among the dimensions, shortest first: a short
        # dimension is kept whole, and no long one is cut into blocks of one value (a 1e6-long
        # leading axis behind a long trailing one made 1e6 tiny blocks).
        sizes = [1] * len(shape)
        room = BLOCK_POINTS
        order = sorted(range(len(shape)), key=lambda i: (shape[i], -i))
        for k, i in enumerate(order):
            share = max(1, int(room ** (1.0 / (len(shape) - k))))
            sizes[i] = max(1, min(shape[i], share))
            room = max(1, room // sizes[i])
        return dict(zip(dims, sizes, strict=True))
    if isinstance(chunks, Mapping):
        by_path = {}
        for key, b in chunks.items():
            matches = [d for d in dims if d == key or _same_path(d, str(key))]
            if not matches:
                raise ValueError(
                    f"chunks names {key!r}, which is not a varied parameter ({', '.join(dims)})"
                )
            by_path[matches[0]] = b
        given = [by_path.get(d, n) for d, n in zip(dims, shape, strict=True)]
    elif isinstance(chunks, int | np.integer):
        given = [int(chunks)] * len(dims)
    else:
        given = list(chunks)
        if len(given) != len(dims):
            raise ValueError(
                f"chunks has {len(given)} entries but the grid has {len(dims)} dimensions "
                f"({', '.join(dims)})"
            )
    out = {}
    for d, n, b in zip(dims, shape, given, strict=True):
        if isinstance(b, bool) or not isinstance(b, int | np.integer) or b < 1:
            raise ValueError(f"chunks[{d!r}]={b!r} must be a positive integer")
        out[d] = min(int(b), n)
    return out


def _same_path(dim: str, key: str) -> bool:
    try:
        return _canonical(key) == dim
    except ValueError:
        return False


def _canonical(key: str) -> str:
    text = key.strip()
    if text.lower() == "celsius":
        return "celsius"
    if text.lower().startswith("perm."):
        return f"perm.{ions.resolve(text[5:].strip())}"
    name, _, side = text.rpartition(".")
    return f"{ions.resolve(name.strip())}.{side.lower()}"


def _param_units(param: _Param, absolute: bool) -> str:
    if param.kind == "perm":
        return "cm/s" if absolute else "relative"
    return _UNITS[param.kind]


def _long_name(param: _Param) -> str:
    return {
        "in": f"{param.ion} concentration inside",
        "out": f"{param.ion} concentration outside",
        "perm": f"{param.ion} permeability",
        "celsius": "temperature",
    }[param.kind]


def estimate_sweep(
    shape: Sequence[int],
    *,
    ions: int,
    outputs: str | Sequence[str] | set[str] = ("resting_potential", "equilibrium_potentials"),
    cores: int | None = None,
) -> SweepEstimate:
    """Estimate the points, memory and time of a sweep from its shape alone.

    Parameters
    ----------
    shape : sequence of int
        Values per varied parameter.
    ions : int
        Ions of the cell.
    outputs : str or sequence of str
        As for :func:`sweep`.
    cores : int, optional
        Cores to assume; default ``os.cpu_count()``.

    Returns
    -------
    SweepEstimate
        Points, variables, output size, peak memory and time (at
        :data:`POINTS_PER_SECOND_PER_CORE`); refused by :func:`check_sweep_size` above
        :data:`MAX_POINTS`.

    Examples
    --------
    >>> e = estimate_sweep((1_000_000, 1_000_000), ions=4, cores=2)
    >>> e.points, e.variables
    (1000000000000, 5)
    >>> e.output_bytes / 1e12
    40.0
    """
    wanted = _outputs(outputs) if not isinstance(outputs, set) else outputs
    return _estimate(
        shape,
        ions=ions,
        outputs=wanted,
        cores=cores,
        dask_threshold=DASK_THRESHOLD,
        block_points=BLOCK_POINTS,
        piece_points=_PIECE_POINTS,
    )
