"""``nernst sweep``: a cell's potentials over a grid of conditions, written to zarr/netCDF/CSV.

Parses ``--vary PATH=RANGE`` options, calls :func:`nernst.sweep`, writes the Dataset chunk
by chunk (Rich progress bar on stderr for grids on Dask), draws a line plot or a heat map and
prints a summary (min, max, mean of every variable). No physics here.
"""

from __future__ import annotations

import contextlib
import math
import warnings
from pathlib import Path
from typing import Annotated, Any

import typer

from nernst.commands._shared import (
    ForceOpt,
    JsonOpt,
    check_output,
    fail,
    guarded,
    load_cell,
    print_json,
    require,
    write_atomically,
)

#: Grids with more points than this are built on Dask and written chunk by chunk.
CLI_DASK_POINTS = 1_000_000
#: At most this many points per dimension are drawn by --plot (the grid is subsampled).
PLOT_POINTS = 600
#: Variables with at most this many values are listed in full by --json.
JSON_VALUES = 10_000

FORMATS = {".zarr": "zarr", ".nc": "netCDF", ".csv": "CSV (long format)"}
SCHEDULERS = ("threads", "processes", "synchronous")

RANGE_HELP = (
    "PATH=RANGE, repeatable, one grid dimension each. PATH: ION.in, ION.out, perm.ION, celsius. "
    "RANGE: START:STOP:NUM (linear), log:START:STOP:NUM (logarithmic) or V1,V2,... "
    "e.g. --vary K+.out=1:100:1000 --vary perm.Na+=log:1e-3:1:1000"
)


def register(app: typer.Typer) -> None:
    app.command("sweep")(sweep_command)


@guarded(spelling={"max_points": "--max-points", "scheduler": "--scheduler"})
def sweep_command(
    cell: Annotated[
        str | None,
        typer.Argument(help="Preset name (see `nernst presets`) or a .toml cell file."),
    ] = None,
    vary: Annotated[list[str] | None, typer.Option("--vary", "-v", help=RANGE_HELP)] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the grid: out.zarr, out.nc or out.csv."),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="PNG: line plot (1-D sweep) or heat map (2-D) of V_rest."),
    ] = None,
    currents: Annotated[
        bool,
        typer.Option(
            "--currents", help="Add GHK currents at V_rest (permeabilities taken as cm/s)."
        ),
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler: threads, processes or synchronous (implies Dask)."),
    ] = None,
    max_points: Annotated[
        float | None,
        typer.Option(
            "--max-points",
            help="Refuse grids larger than this (default 1e9 points, or NERNST_SWEEP_MAX_POINTS); "
            "the size, memory and time are estimated before anything is built.",
        ),
    ] = None,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Sweep a cell over a grid of concentrations, permeabilities and temperatures.

    Needs the scale extra (pip install 'nernst[scale]': xarray, Dask, zarr); --plot needs the
    plot extra (matplotlib). An existing -o target is replaced only with --force.
    """
    if not vary:
        fail(f"give at least one --vary. {RANGE_HELP}")
    if scheduler is not None and scheduler not in SCHEDULERS:
        fail(f"--scheduler {scheduler!r}: choose one of {', '.join(SCHEDULERS)}")
    sizes: dict[str, int] = {}
    for item in vary:
        path, _, num = _vary_parts(item)
        if path in sizes:
            fail(f"--vary {path} is given twice")
        sizes[path] = num
    limit: int | None = None
    if max_points is not None:
        if not (math.isfinite(max_points) and max_points >= 1):
            fail(f"--max-points {max_points:g}: give a number of points >= 1, e.g. 1e10")
        limit = int(max_points)
    if output is not None:
        _check_output(output)
        check_output(output, "-o", force=force)
    if plot is not None:
        _check_plot(plot, len(sizes))
        check_output(plot, "--plot", force=force)
        require("matplotlib", f"--plot {plot}")
    for module in ("xarray", "dask") + (("zarr",) if output and output.suffix == ".zarr" else ()):
        require(module, "nernst sweep")

    outputs = ["resting_potential", "equilibrium_potentials"] + (["currents"] if currents else [])
    # Refuse an oversized grid from the sizes alone, before NumPy and the physics load.
    _check_size(tuple(sizes.values()), _count_ions(cell), outputs, limit)

    from nernst.sweeps import sweep

    the_cell = load_cell(cell)
    _check_size(tuple(sizes.values()), len(the_cell.c_in), outputs, limit)
    ranges = dict(parse_vary(item) for item in vary)
    points = math.prod(sizes.values())
    lazy = points > CLI_DASK_POINTS or scheduler is not None
    ds = sweep(
        the_cell,
        ranges,
        outputs=outputs,
        dask=lazy,
        compute=False if lazy else None,
        max_points=limit,
    )
    summary = _write_and_summarise(ds, output, plot, scheduler, lazy, force)
    if as_json:
        print_json(_json(ds, summary, output, plot, lazy))
    else:
        typer.echo("\n".join(_text(ds, summary, output, plot, lazy)))


def _check_size(
    shape: tuple[int, ...], ions: int | None, outputs: list[str], limit: int | None
) -> None:
    """Fail with the estimate when the grid is larger than the limit (stdlib only)."""
    from nernst._sweep_limits import check_sweep_size, estimate_sweep

    if ions is None:
        return
    try:
        check_sweep_size(estimate_sweep(shape, ions=ions, outputs=outputs), max_points=limit)
    except ValueError as err:
        fail(
            str(err)
            .replace(
                "(max_points=, NERNST_SWEEP_MAX_POINTS)",
                "(--max-points or NERNST_SWEEP_MAX_POINTS)",
            )
            .replace("(client=)", "(nernst.sweep(..., client=))")
        )


def _count_ions(cell: str | None) -> int | None:
    """How many ions the cell has, read without the physics (None if that is not simple)."""
    import tomllib
    from importlib import resources

    from nernst.commands._shared import is_file_argument
    from nernst.files import loads_toml, read_text

    try:
        if is_file_argument(cell):
            assert cell is not None
            data = loads_toml(read_text(cell), cell)
            if set(data) == {"cell"} and len(data["cell"]) == 1:
                data = next(iter(data["cell"].values()))
        else:
            text = resources.files("nernst.data").joinpath("cells.toml").read_text("utf-8")
            table = tomllib.loads(text)
            data = table["cell"][table["default"] if cell is None else cell.strip().lower()]
        return len(data["inside"])
    except Exception:  # anything unusual: the full check after loading the cell reports it
        return None


# -- parsing ----------------------------------------------------------------------------------
def parse_vary(item: str) -> tuple[str, Any]:
    """'K+.out=1:100:1000' -> ('K+.out', linspace); 'perm.Na+=log:1e-3:1:10' -> geomspace."""
    import numpy as np

    path, spec, num = _vary_parts(item)
    if isinstance(spec, list):
        return path, np.array(spec, float)
    log, start, stop = spec
    if log:
        return path, np.geomspace(start, stop, num)
    return path, np.linspace(start, stop, num)


def _vary_parts(item: str) -> tuple[str, Any, int]:
    """(path, [values] or (log, start, stop), number of values), nothing built yet."""
    path, sep, spec = item.partition("=")
    path, spec = path.strip(), spec.strip()
    if not sep or not path or not spec:
        fail(f"--vary {item!r}: expected PATH=RANGE, e.g. K+.out=1:100:1000")
    form = (
        "expected START:STOP:NUM (linear), log:START:STOP:NUM (logarithmic) or a "
        "comma-separated list of values"
    )
    parts = [p.strip() for p in spec.split(":")]
    log = parts[0].lower() == "log"
    if log:
        parts = parts[1:]
    if len(parts) == 1 and not log:
        values = [_number(item, v, form) for v in parts[0].split(",")]
        return path, values, len(values)
    if len(parts) != 3:
        fail(f"--vary {item!r}: {form}")
    start, stop = _number(item, parts[0], form), _number(item, parts[1], form)
    num = _number(item, parts[2], form)
    if not (num >= 1 and num == int(num)):
        fail(f"--vary {item!r}: NUM={parts[2]} must be a whole number of values >= 1")
    if log and not (start > 0 and stop > 0):
        fail(f"--vary {item!r}: a log range needs START and STOP > 0")
    return path, (log, start, stop), int(num)


def _number(item: str, text: str, form: str) -> float:
    try:
        value = float(text)
    except ValueError:
        fail(f"--vary {item!r}: {text!r} is not a number; {form}")
    if not math.isfinite(value):
        fail(f"--vary {item!r}: {text!r} is not a finite number")
    return value


def _check_output(path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        fail(
            f"-o {str(path)!r}: unknown format {suffix or '(no suffix)'!r}; use "
            + ", ".join(f"{s} ({name})" for s, name in FORMATS.items())
        )
    if not path.resolve().parent.is_dir():
        fail(f"-o {str(path)!r}: the folder {str(path.parent)!r} does not exist")


def _check_plot(path: Path, ndim: int) -> None:
    if ndim > 2:
        fail(f"--plot draws 1-D and 2-D sweeps (line plot, heat map); this one has {ndim} dims")
    if path.suffix.lower() not in (".png", ".pdf", ".svg"):
        fail(f"--plot {str(path)!r}: give a .png (or .pdf, .svg) file")
    if not path.resolve().parent.is_dir():
        fail(f"--plot {str(path)!r}: the folder {str(path.parent)!r} does not exist")


# -- writing, summary, plot -------------------------------------------------------------------
def _write_and_summarise(
    ds: Any,
    output: Path | None,
    plot: Path | None,
    scheduler: str | None,
    lazy: bool,
    force: bool = False,
) -> dict[str, dict[str, float]]:
    """Write the output, draw the plot and reduce every variable, chunk by chunk if lazy."""
    reductions = {name: (var.min(), var.max(), var.mean()) for name, var in ds.data_vars.items()}
    picture = _plot_data(ds) if plot is not None else None
    suffix = output.suffix.lower() if output is not None else None
    if not lazy:
        if output is not None:
            write_atomically(output, lambda tmp: _write_eager(ds, tmp), force=force)
        summary = {
            name: {"min": float(lo), "max": float(hi), "mean": float(mean)}
            for name, (lo, hi, mean) in reductions.items()
        }
        if plot is not None:
            write_atomically(plot, lambda tmp: _draw(picture, tmp), force=force)
        return summary

    import dask

    if suffix == ".nc" and _netcdf_engine() == "scipy" and lazy:
        typer.echo(
            "note: the SciPy netCDF3 writer assembles the whole file in memory; for large grids "
            "write .zarr or install netCDF4",
            err=True,
        )
    from nernst.files import atomic_output

    with contextlib.ExitStack() as stack:
        tmp = stack.enter_context(atomic_output(output, force=force)) if output else None
        stack.enter_context(_progress(f"writing {output.name}" if output else "computing"))
        if tmp is not None and suffix == ".csv":
            _write_csv_lazy(ds, tmp, scheduler)
        work: list[Any] = []
        if tmp is not None and suffix != ".csv":
            work.append(_write_lazy(ds, tmp))
        flat = [r for trio in reductions.values() for r in trio]
        results = dask.compute(*work, flat, picture, scheduler=scheduler)
    values, picture = results[-2], results[-1]
    summary = {
        name: {
            "min": float(values[3 * k]),
            "max": float(values[3 * k + 1]),
            "mean": float(values[3 * k + 2]),
        }
        for k, name in enumerate(reductions)
    }
    if plot is not None:
        write_atomically(plot, lambda tmp: _draw(picture, tmp), force=force)
    return summary


def _netcdf_engine() -> str:
    from importlib.util import find_spec

    for engine, module in (("netcdf4", "netCDF4"), ("h5netcdf", "h5netcdf")):
        if find_spec(module) is not None:
            return engine
    return "scipy"  # netCDF3 (64-bit offset); SciPy is a dependency of nernst


def _write_eager(ds: Any, output: Path) -> None:
    suffix = output.suffix.lower()
    if suffix == ".csv":
        _frame(ds).to_csv(output, index=False)
    elif suffix == ".nc":
        ds.to_netcdf(output, engine=_netcdf_engine())
    else:
        _to_zarr(ds, output, compute=True)


def _write_lazy(ds: Any, output: Path) -> Any:
    """A Delayed that writes the lazy Dataset chunk by chunk."""
    if output.suffix.lower() == ".nc":
        return ds.to_netcdf(output, engine=_netcdf_engine(), compute=False)
    return _to_zarr(ds, output, compute=False)


def _to_zarr(ds: Any, output: Path, *, compute: bool) -> Any:
    try:
        import zarr  # noqa: F401
    except ImportError:
        fail("writing .zarr needs the zarr package: pip install 'nernst[scale]'")
    with warnings.catch_warnings():
        # zarr 3 warns that consolidated metadata is not in its v3 spec; xarray reads it.
        warnings.filterwarnings("ignore", message=".*[Cc]onsolidated metadata.*")
        return ds.to_zarr(output, mode="w-", compute=compute)


def _frame(ds: Any) -> Any:
    """Long format: one row per grid point, a column per parameter and variable (units)."""
    frame = ds.to_dataframe().reset_index()
    names = {**ds.coords, **ds.data_vars}
    return frame.rename(columns={c: f"{c} [{names[c].attrs['units']}]" for c in frame.columns})


def _write_csv_lazy(ds: Any, output: Path, scheduler: str | None) -> None:
    """CSV of a lazy grid, one slab of blocks along the first dimension at a time."""
    first = next(iter(ds.dims))
    step = ds.chunks[first][0] if ds.chunks else ds.sizes[first]
    with output.open("w", newline="", encoding="utf-8") as handle:
        for start in range(0, ds.sizes[first], step):
            slab = ds.isel({first: slice(start, start + step)}).compute(scheduler=scheduler)
            _frame(slab).to_csv(handle, index=False, header=start == 0)


def _plot_data(ds: Any) -> Any:
    """The variable to draw (V_rest, else the first), subsampled to PLOT_POINTS per dim."""
    name = "V_rest" if "V_rest" in ds else next(iter(ds.data_vars))
    step = {d: max(1, math.ceil(ds.sizes[d] / PLOT_POINTS)) for d in ds.dims}
    picture = ds.isel({d: slice(None, None, s) for d, s in step.items()})
    return picture.assign_attrs(plotted=name)


def _draw(picture: Any, path: Path) -> None:
    import numpy as np
    from matplotlib.figure import Figure  # lazy: matplotlib costs ~0.3 s; Agg, no pyplot

    name = picture.attrs["plotted"]
    var = picture[name]
    fig = Figure(figsize=(7.5, 4.8), layout="constrained")
    ax = fig.subplots()
    dims = list(picture.dims)
    title = picture.attrs.get("title", "nernst sweep")
    if len(dims) == 1 or var.ndim == 1:
        (dim,) = var.dims if var.ndim == 1 else dims[:1]
        x = picture[dim].values
        ax.plot(x, np.broadcast_to(var.values, x.shape), label=name, lw=2, color="black")
        for other, data in picture.data_vars.items():
            if other != name and data.dims == (dim,):
                ax.plot(x, data.values, ls="--", label=other)
        ax.set_xlabel(_label(picture[dim]))
        ax.set_ylabel(f"potential [{var.attrs.get('units', 'mV')}]")
        ax.legend(loc="best", fontsize="small")
        ax.grid(alpha=0.3)
        if _geometric(x):
            ax.set_xscale("log")
    else:
        ydim, xdim = var.dims if var.ndim == 2 else dims[:2]
        data = var.transpose(ydim, xdim).values if var.ndim == 2 else None
        if data is None:
            data = np.broadcast_to(var.values, (picture.sizes[ydim], picture.sizes[xdim]))
        x, y = picture[xdim].values, picture[ydim].values
        mesh = ax.pcolormesh(x, y, data, shading="auto", cmap="viridis")
        fig.colorbar(mesh, ax=ax, label=f"{name} [{var.attrs.get('units', 'mV')}]")
        ax.set_xlabel(_label(picture[xdim]))
        ax.set_ylabel(_label(picture[ydim]))
        if _geometric(x):
            ax.set_xscale("log")
        if _geometric(y):
            ax.set_yscale("log")
    ax.set_title(title, fontsize="medium")
    fig.savefig(path, dpi=120, format=path.suffix.lower().lstrip(".") or "png")


def _label(coord: Any) -> str:
    return f"{coord.name} [{coord.attrs.get('units', '')}]"


def _geometric(x: Any) -> bool:
    """Log-spaced positive values spanning more than a decade (log axis reads better)."""
    import numpy as np

    if x.size < 3 or not np.all(x > 0) or x.max() / x.min() <= 10:
        return False
    ratios = x[1:] / x[:-1]
    return bool(np.allclose(ratios, ratios[0], rtol=1e-6)) and not np.allclose(
        np.diff(x), x[1] - x[0], rtol=1e-6
    )


class _progress:
    """A Rich progress bar on stderr that follows Dask's local schedulers (a no-op when
    stderr is not a terminal)."""

    def __init__(self, label: str, *, enabled: bool | None = None) -> None:
        import sys

        self.label = label
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.stack: list[Any] = []

    def __enter__(self) -> _progress:
        if not self.enabled:
            return self
        from dask.callbacks import Callback
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        label = self.label

        class Bar(Callback):
            def _start_state(self, dsk: Any, state: Any) -> None:
                total = sum(len(state[k]) for k in ("ready", "waiting", "running", "finished"))
                self.task = progress.add_task(label, total=total)

            def _posttask(self, key: Any, result: Any, dsk: Any, state: Any, id: Any) -> None:
                progress.advance(self.task)

        progress.start()
        bar = Bar()
        bar.__enter__()
        self.stack = [progress, bar]
        return self

    def __exit__(self, *exc: object) -> None:
        if self.stack:
            progress, bar = self.stack
            bar.__exit__(*exc)
            progress.stop()


# -- rendering --------------------------------------------------------------------------------
def _json(
    ds: Any,
    summary: dict[str, dict[str, float]],
    output: Path | None,
    plot: Path | None,
    lazy: bool,
) -> dict[str, Any]:
    dims = {
        d: {
            "size": int(ds.sizes[d]),
            "min": float(ds[d].min()),
            "max": float(ds[d].max()),
            "units": ds[d].attrs["units"],
        }
        for d in ds.dims
    }
    variables: dict[str, Any] = {}
    for name, var in ds.data_vars.items():
        entry: dict[str, Any] = {
            "dims": list(var.dims),
            "units": var.attrs["units"],
            "long_name": var.attrs["long_name"],
            **summary[name],
        }
        if var.size <= JSON_VALUES and not lazy:
            entry["values"] = var.values.tolist()
        variables[name] = entry
    return {
        "cell": ds.attrs["cell"],
        "title": ds.attrs["title"],
        "celsius": ds.attrs.get("celsius"),
        "points": int(math.prod(ds.sizes.values())),
        "dims": dims,
        "coords": {d: ds[d].values.tolist() for d in ds.dims if ds.sizes[d] <= JSON_VALUES},
        "variables": variables,
        "backend": "dask" if lazy else "numpy",
        "output": None if output is None else str(output),
        "plot": None if plot is None else str(plot),
        "convention": ds.attrs["convention"],
        "permeability_units": ds.attrs["permeability_units"],
    }


def _text(
    ds: Any,
    summary: dict[str, dict[str, float]],
    output: Path | None,
    plot: Path | None,
    lazy: bool,
) -> list[str]:
    sizes = " x ".join(str(n) for n in ds.sizes.values())
    points = math.prod(ds.sizes.values())
    lines = [f"{ds.attrs['title']}: {sizes} = {points:,} points ({'dask' if lazy else 'numpy'})"]
    width = max(len(str(d)) for d in [*ds.dims, *ds.data_vars])
    for d in ds.dims:
        c = ds[d]
        lines.append(
            f"  {d:<{width}}  {float(c.min()):g} .. {float(c.max()):g} {c.attrs['units']} "
            f"({ds.sizes[d]} values)"
        )
    for name, s in summary.items():
        units = ds[name].attrs["units"]
        if ds[name].ndim == 0:
            lines.append(f"{name:<{width + 2}}  {s['min']:+.4g} {units}  (constant)")
            continue
        lines.append(
            f"{name:<{width + 2}}  min {s['min']:+.4g}  max {s['max']:+.4g}  "
            f"mean {s['mean']:+.4g} {units}  (over {', '.join(ds[name].dims)})"
        )
    if output is not None:
        lines.append(f"wrote {output}")
    if plot is not None:
        lines.append(f"plot: {plot}")
    return lines
