"""Reading input files and writing output files safely.

The model/interface layer between a user's files and the API: the command line reads every
cell, solution and CSV file through here, and the web app can give uploaded text to the same
functions. Nothing here is physics.

Input files are

- limited in size (:data:`MAX_FILE_BYTES`, default 10 MiB) and in nesting depth
  (:data:`MAX_DEPTH` tables or arrays inside one another);
- decoded as UTF-8 with or without a byte-order mark; any other encoding is an error that
  names it (UTF-16, UTF-32, Latin-1/Windows-1252 or binary data);
- checked field by field: a number must be an integer or a float, never a boolean, a date or
  a string; duplicate keys and duplicate ions (``"K+"`` and ``"potassium"``) are rejected;
  an unknown key is reported with the nearest valid spelling.

Output files are checked before any computation (the folder exists and is writable, the
target is not a folder, an existing target is replaced only with ``force=True``) and written
atomically: to a temporary name in the same folder, renamed over the target only when
complete, so a crash leaves no half-written file and nothing the writer did not create is
ever deleted.

Every error is a :class:`InputFileError` or :class:`OutputFileError` (both ``ValueError``)
whose message names the file, the key or line, what is wrong and what would be right.

Examples
--------
>>> data = loads_cell('celsius = 37\\n[inside]\\n"K+" = 140\\n[outside]\\n"K+" = 5\\n', "a.toml")
>>> data["inside"], data["celsius"]
({'K+': 140.0}, 37.0)
>>> loads_cell('celsius = true\\n[inside]\\nK = 1\\n[outside]\\nK = 1\\n', "b.toml")
... # doctest: +ELLIPSIS
Traceback (most recent call last):
...
nernst.files.InputFileError: b.toml: celsius = true is a boolean; give a number [degC], ...
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import difflib
import math
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "InputFileError",
    "OutputFileError",
    "atomic_output",
    "check_output",
    "decode",
    "loads_cell",
    "loads_json",
    "loads_solution",
    "loads_toml",
    "nearest",
    "read_cell",
    "read_csv",
    "read_solution",
    "read_text",
    "strict_number",
]

#: Largest input file read, in bytes (a cell file is under 10 kB; a CSV of 100 000 rows
#: about 5 MB). Override with the environment variable NERNST_MAX_FILE_BYTES.
MAX_FILE_BYTES = 10 * 1024 * 1024
#: Deepest nesting of tables/arrays accepted in TOML and JSON (a cell file uses 2 or 3).
MAX_DEPTH = 16


class InputFileError(ValueError):
    """An input file (or uploaded text) cannot be used; the message says why and what to do."""


class OutputFileError(ValueError):
    """An output target cannot be written; the message says why and what to do."""


# -- reading text ----------------------------------------------------------------------------
def _max_bytes() -> int:
    text = os.environ.get("NERNST_MAX_FILE_BYTES")
    if text:
        try:
            return max(1, int(float(text)))
        except ValueError:
            pass
    return MAX_FILE_BYTES


def read_text(path: str | Path, *, what: str = "file", max_bytes: int | None = None) -> str:
    """The text of a file: size-limited and decoded by :func:`decode`.

    Parameters
    ----------
    path : str or Path
        The file.
    what : str, default "file"
        What the file is, for messages ("cell file", "CSV file").
    max_bytes : int, optional
        Size limit; default :data:`MAX_FILE_BYTES` (or NERNST_MAX_FILE_BYTES).

    Raises
    ------
    InputFileError
        Missing file, a folder, unreadable, too large or not UTF-8 text.
    """
    path = Path(path)
    limit = _max_bytes() if max_bytes is None else max_bytes
    name = str(path)
    if not path.exists():
        raise InputFileError(f"{what} {name!r} does not exist (check the path)")
    if path.is_dir():
        raise InputFileError(f"{what} {name!r} is a folder; give a file")
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputFileError(
                f"{what} {name!r} is {_size(size)}, larger than the limit of {_size(limit)}; "
                "raise it with NERNST_MAX_FILE_BYTES if the file really is that large"
            )
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except PermissionError:
        raise InputFileError(f"{what} {name!r} cannot be read: permission denied") from None
    except OSError as err:
        raise InputFileError(f"{what} {name!r} cannot be read: {err.strerror or err}") from None
    if len(data) > limit:
        raise InputFileError(f"{what} {name!r} is larger than the limit of {_size(limit)}")
    return decode(data, name)


def _size(n: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("kiB", 2**10)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} bytes"


_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
)


def decode(data: bytes, name: str = "input") -> str:
    """UTF-8 text from bytes (a UTF-8 byte-order mark is dropped).

    Any other encoding is an :class:`InputFileError` naming it: UTF-16 and UTF-32 (by their
    byte-order mark or their zero bytes), Latin-1 or Windows-1252 (bytes that are not UTF-8
    but decode as those), or binary data.

    Examples
    --------
    >>> decode(b"\\xef\\xbb\\xbfcelsius = 37")
    'celsius = 37'
    >>> decode("température".encode("latin-1"), "t.toml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nernst.files.InputFileError: t.toml is not UTF-8 text: it looks like Latin-1 (ISO-8859-1) ...
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            raise InputFileError(f"{name} is {encoding} text; save it as UTF-8")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        head = data[:4000]
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) // 4 and even < odd // 4:
            raise InputFileError(f"{name} is UTF-16 (little-endian) text; save it as UTF-8")
        if even > len(head) // 4 and odd < even // 4:
            raise InputFileError(f"{name} is UTF-16 (big-endian) text; save it as UTF-8")
        raise InputFileError(f"{name} is binary data (it contains zero bytes), not a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        where = f"byte 0x{data[err.start]:02x} at line {line}, column {column}"
        high = {b for b in data if b >= 0x80}
        if high and all(b >= 0xA0 for b in high):
            guess = "it looks like Latin-1 (ISO-8859-1)"
        else:
            try:
                data.decode("cp1252")
                guess = "it looks like Windows-1252"
            except UnicodeDecodeError:
                guess = "its encoding is not one nernst recognises"
        raise InputFileError(
            f"{name} is not UTF-8 text: {guess} ({where}); save it as UTF-8"
        ) from None


# -- TOML and JSON ---------------------------------------------------------------------------
def _depth(value: Any) -> int:
    """Nesting depth of dicts and lists (iterative: deep data cannot overflow the stack)."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        level += 1
        deepest = max(deepest, level)
        stack.extend((child, level) for child in children)
    return deepest


def _check_depth(data: Any, name: str, *, document: bool = False) -> None:
    """Refuse data nested deeper than :data:`MAX_DEPTH` (a TOML document's own table is not
    counted: ``x = [[1]]`` is 2 levels)."""
    depth = _depth(data) - (1 if document else 0)
    if depth > MAX_DEPTH:
        raise InputFileError(
            f"{name} nests tables or arrays {depth} levels deep; the limit is {MAX_DEPTH}"
        )


def loads_toml(text: str, name: str = "input") -> dict[str, Any]:
    """Parse TOML text, with errors that name the input and a depth limit.

    Raises
    ------
    InputFileError
        Invalid TOML (duplicate keys included), or nesting deeper than :data:`MAX_DEPTH`.
    """
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        text = str(err)
        if text.startswith(("Cannot overwrite a value", "Cannot declare")):
            raise InputFileError(
                f"{name}: a key or table is given twice ({text}); give each once"
            ) from None
        raise InputFileError(f"{name} is not valid TOML: {text}") from None
    except RecursionError:
        raise InputFileError(
            f"{name} nests tables or arrays too deeply to read; the limit is {MAX_DEPTH} levels"
        ) from None
    _check_depth(data, name, document=True)
    return data


def loads_json(text: str, name: str = "input") -> Any:
    """Parse JSON text: no duplicate keys, no NaN/Infinity, a depth limit.

    Raises
    ------
    InputFileError
        Invalid JSON, a key given twice in one object, NaN or Infinity, or nesting deeper
        than :data:`MAX_DEPTH`.

    Examples
    --------
    >>> loads_json('{"K+": 1, "K+": 2}', "x.json")
    Traceback (most recent call last):
    ...
    nernst.files.InputFileError: x.json: key 'K+' is given twice in one object
    """
    import json

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise InputFileError(f"{name}: key {key!r} is given twice in one object")
            out[key] = value
        return out

    def constant(word: str) -> Any:
        raise InputFileError(f"{name}: {word} is not a number JSON allows; give a finite number")

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except json.JSONDecodeError as err:
        raise InputFileError(
            f"{name} is not valid JSON: {err.msg} (line {err.lineno}, column {err.colno})"
        ) from None
    except RecursionError:
        raise InputFileError(
            f"{name} nests objects or arrays too deeply to read; the limit is {MAX_DEPTH} levels"
        ) from None
    _check_depth(data, name)
    return data


# -- fields ----------------------------------------------------------------------------------
def _toml_repr(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"')[:40] + '"'
    if isinstance(value, _dt.date | _dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return "{...}"
    if isinstance(value, list):
        return "[...]"
    return repr(value)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, _dt.datetime):
        return "a date and time"
    if isinstance(value, _dt.date):
        return "a date"
    if isinstance(value, _dt.time):
        return "a time of day"
    if isinstance(value, str):
        return "a string (in quotes)"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return "a number"
    return f"a {type(value).__name__}"


def strict_number(value: Any, where: str, *, unit: str = "", example: str = "") -> float:
    """``value`` as a float when it is an int or a float (not a bool, a date or a string).

    Parameters
    ----------
    value : Any
        The parsed value.
    where : str
        What to call it in a message, e.g. ``"cell.toml: celsius"``.
    unit : str
        Its unit for the message, e.g. ``"degC"``.
    example : str
        A correct line for the message, e.g. ``"celsius = 37"``.

    Examples
    --------
    >>> strict_number(140, "inside.K+")
    140.0
    >>> strict_number("140", "inside.K+", unit="mM")
    Traceback (most recent call last):
    ...
    nernst.files.InputFileError: inside.K+ = "140" is a string (in quotes); give a number [mM]
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        hint = f"give a number [{unit}]" if unit else "give a number"
        if example:
            hint += f", e.g. {example}"
        raise InputFileError(f"{where} = {_toml_repr(value)} is {_kind(value)}; {hint}")
    try:
        return float(value)
    except OverflowError:
        raise InputFileError(
            f"{where} = {value} is too large for a floating-point number"
        ) from None


def nearest(word: str, valid: list[str] | tuple[str, ...] | set[str]) -> str:
    """'; did you mean 'X'?' for the closest valid spelling, or ''.

    Examples
    --------
    >>> nearest("celcius", ["celsius", "title"])
    "; did you mean 'celsius'?"
    """
    options = sorted(valid)
    lower = {v.lower(): v for v in options}
    if word.lower() in lower:
        return f"; did you mean {lower[word.lower()]!r}?"
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not match:
        match = difflib.get_close_matches(word.lower(), list(lower), n=1, cutoff=0.6)
        match = [lower[m] for m in match]
    return f"; did you mean {match[0]!r}?" if match else ""


def _ion_table(
    table: Any, where: str, *, unit: str, example: str, positive: bool = False
) -> dict[str, float]:
    """A TOML table ion -> number, with ion names resolved and aliases checked."""
    from nernst.ions import ions

    if not isinstance(table, dict):
        raise InputFileError(
            f"{where} = {_toml_repr(table)} is {_kind(table)}; it must be a table of "
            f"ion = number [{unit}], e.g. [{where.rsplit(': ', 1)[-1]}] then {example}"
        )
    out: dict[str, float] = {}
    spelled: dict[str, str] = {}
    for key, value in table.items():
        try:
            symbol = ions.resolve(str(key))
        except ValueError as err:
            raise InputFileError(f"{where}: {err.args[0] if err.args else err}") from None
        if symbol in out:
            raise InputFileError(
                f"{where} names {symbol} twice ({spelled[symbol]!r} and {key!r} are the same "
                "ion); give each ion once"
            )
        out[symbol] = strict_number(value, f"{where}.{key}", unit=unit, example=example)
        spelled[symbol] = str(key)
    return out


#: The keys of a cell file: key -> (kind, unit, example).
CELL_KEYS: dict[str, tuple[str, str, str]] = {
    "title": ("text", "", 'title = "my neuron"'),
    "name": ("text", "", 'name = "my-neuron"'),
    "description": ("text", "", 'description = "..."'),
    "celsius": ("number", "degC", "celsius = 37"),
    "v_measured_mV": ("number", "mV", "v_measured_mV = -70"),
    "activity": ("text", "", 'activity = "davies"'),
    "inside": ("ions", "mM", '"K+" = 140'),
    "outside": ("ions", "mM", '"K+" = 5'),
    "permeability": ("ions", "relative or cm/s", '"K+" = 1'),
    "gamma_in": ("ions", "unitless", '"K+" = 0.75'),
    "gamma_out": ("ions", "unitless", '"K+" = 0.75'),
    "sources": ("sources", "", 'sources = "Hille 2001"'),
}


def cell_fields(data: Mapping[str, Any], name: str = "input") -> dict[str, Any]:
    """Check a parsed cell definition key by key; the cleaned mapping for ``Cell.from_dict``.

    Accepts the ``[cell.NAME]`` wrapper of the preset database (one cell) too; then the
    result carries ``name``.

    Raises
    ------
    InputFileError
        Unknown key (with the nearest valid one), a wrong type, duplicate ions, a missing
        ``[inside]`` or ``[outside]``.
    """
    if not isinstance(data, Mapping):
        raise InputFileError(f"{name}: a cell definition must be a table, got {_kind(data)}")
    if set(data) == {"cell"} and isinstance(data["cell"], dict):
        if len(data["cell"]) != 1:
            raise InputFileError(
                f"{name}: [cell] holds {len(data['cell'])} cells "
                f"({', '.join(map(str, data['cell']))}); a cell file holds one"
            )
        ((key, inner),) = data["cell"].items()
        wrapped = cell_fields(inner, f"{name}: [cell.{key}]")
        wrapped.setdefault("name", str(key))
        return wrapped
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in CELL_KEYS:
            raise InputFileError(
                f"{name}: unknown key {key!r}{nearest(str(key), list(CELL_KEYS))} "
                f"(the keys are {', '.join(CELL_KEYS)})"
            )
        kind, unit, example = CELL_KEYS[key]
        where = f"{name}: {key}"
        if kind == "number":
            out[key] = strict_number(value, where, unit=unit, example=example)
        elif kind == "text":
            if not isinstance(value, str):
                raise InputFileError(
                    f"{where} = {_toml_repr(value)} is {_kind(value)}; give text in quotes, "
                    f"e.g. {example}"
                )
            out[key] = value
        elif kind == "ions":
            out[key] = _ion_table(value, f"{name}: [{key}]", unit=unit, example=example)
        else:  # sources: text, or a table of text
            if isinstance(value, dict):
                for k, v in value.items():
                    if not isinstance(v, str):
                        raise InputFileError(
                            f"{name}: sources.{k} = {_toml_repr(v)} is {_kind(v)}; give text"
                        )
                out[key] = dict(value)
            elif isinstance(value, str):
                out[key] = value
            else:
                raise InputFileError(
                    f"{where} = {_toml_repr(value)} is {_kind(value)}; give text or a table of text"
                )
    for section in ("inside", "outside"):
        if section not in out:
            raise InputFileError(
                f"{name} has no [{section}] table of concentrations; add one, e.g. "
                f'[{section}] then "K+" = {140 if section == "inside" else 5}'
            )
    return out


def loads_cell(text: str, name: str = "input") -> dict[str, Any]:
    """Parse and check the text of a cell TOML file (see :func:`cell_fields`)."""
    return cell_fields(loads_toml(text, name), name)


def read_cell(path: str | Path) -> dict[str, Any]:
    """Read and check a cell TOML file; ``Cell.from_dict(**)`` builds the cell.

    The result carries ``name`` (the file's stem unless the file names the cell).
    """
    path = Path(path)
    data = loads_cell(read_text(path, what="cell file"), str(path))
    data.setdefault("name", path.stem)
    return data


#: Text fields a solution file may carry besides concentrations.
SOLUTION_TEXT = ("title", "name", "description", "role", "source", "notes")


def loads_solution(text: str, name: str = "input") -> dict[str, float]:
    """NAME = mM pairs of a solution TOML file: at the top level, in ``[ions]`` and in
    ``[salts]``; the text fields ``title``, ``source`` ... are ignored.

    Names that are ions are resolved, so ``"K+"`` and ``"potassium"`` in one file are the
    same ion given twice (an error); salts are kept as written.
    """
    from nernst.ions import ions

    data = loads_toml(text, name)
    out: dict[str, float] = {}
    seen: dict[str, str] = {}
    tables: dict[str, Any] = {"": data}
    for key in ("ions", "salts"):
        if key in data:
            tables[key] = data[key]
    for section, table in tables.items():
        if not isinstance(table, dict):
            raise InputFileError(
                f"{name}: {section} = {_toml_repr(table)} is {_kind(table)}; [{section}] must "
                "be a table of NAME = mM"
            )
        for key, value in table.items():
            if section == "" and key in ("ions", "salts"):
                continue
            if section == "" and key in SOLUTION_TEXT:
                if not isinstance(value, str):
                    raise InputFileError(
                        f"{name}: {key} = {_toml_repr(value)} is {_kind(value)}; give text"
                    )
                continue
            where = f"{name}: {section + '.' if section else ''}{key}"
            if isinstance(value, dict):
                raise InputFileError(
                    f"{where} is a table; only [ions] and [salts] may hold concentrations"
                    f"{nearest(str(key), ['ions', 'salts'])}"
                )
            number = strict_number(value, where, unit="mM", example=f'"{key}" = 10')
            canonical = ions.resolve(str(key)) if str(key) in ions else str(key)
            if canonical in seen:
                same = (
                    ""
                    if seen[canonical] == key
                    else f" ({seen[canonical]!r} and {str(key)!r} are the same ion)"
                )
                raise InputFileError(f"{where}: {canonical} is given twice{same}; give it once")
            seen[canonical] = str(key)
            out[str(key)] = number
    if not out:
        raise InputFileError(f"{name} lists no ion or salt concentrations (NAME = mM)")
    return out


def read_solution(path: str | Path) -> dict[str, float]:
    """Read a solution TOML file (see :func:`loads_solution`)."""
    path = Path(path)
    return loads_solution(read_text(path, what="solution file"), str(path))


def read_csv(path: str | Path) -> list[list[str]]:
    """Rows of a CSV file (size-limited, UTF-8 with or without BOM); blank lines and lines
    starting with ``#`` skipped; every cell stripped."""
    import csv

    path = Path(path)
    text = read_text(path, what="CSV file")
    lines = (line for line in text.splitlines() if line.strip() and not line.lstrip()[:1] == "#")
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(lines)]
    except csv.Error as err:
        raise InputFileError(f"{path} is not valid CSV: {err}") from None


# -- outputs ---------------------------------------------------------------------------------
_ZARR_MARKERS = ("zarr.json", ".zgroup", ".zarray", ".zmetadata")


def _is_zarr_store(path: Path) -> bool:
    return path.is_dir() and any((path / m).exists() for m in _ZARR_MARKERS)


def check_output(path: str | Path, option: str, *, force: bool = False) -> Path:
    """Check, before any computation, that ``path`` can be written.

    The folder must exist and accept a new file (tested by creating and removing one); a
    folder is never an acceptable target, except an existing zarr store for a ``.zarr``
    output; an existing target is an error unless ``force``.

    Parameters
    ----------
    path : str or Path
        The output file (or ``.zarr`` folder).
    option : str
        The option that named it, for messages (``"-o"``, ``"--plot"``).
    force : bool
        Replace an existing file (or zarr store).

    Raises
    ------
    OutputFileError
        With the reason and what to do.
    """
    path = Path(path)
    name = str(path)
    zarr = path.suffix.lower() == ".zarr"
    if path.is_dir():
        if not zarr:
            raise OutputFileError(
                f"{option} {name!r} is a folder; give a file name, e.g. {option} "
                f"{str(path / ('out' + (path.suffix or '.csv')))!r}"
            )
        if not _is_zarr_store(path):
            raise OutputFileError(
                f"{option} {name!r} is an existing folder that is not a zarr store; nernst "
                "will not replace it: choose a new name"
            )
        if not force:
            raise OutputFileError(
                f"{option} {name!r} already exists (a zarr store); add --force to replace it"
            )
    elif path.exists() or path.is_symlink():
        if zarr:
            raise OutputFileError(
                f"{option} {name!r} is an existing file, not a zarr store; choose a new name"
            )
        if not force:
            raise OutputFileError(f"{option} {name!r} already exists; add --force to overwrite it")
    parent = path.parent
    if not parent.exists():
        raise OutputFileError(
            f"{option} {name!r}: the folder {str(parent)!r} does not exist; create it first "
            f"(mkdir -p {parent})"
        )
    if not parent.is_dir():
        raise OutputFileError(f"{option} {name!r}: {str(parent)!r} is not a folder")
    probe = parent / f".nernst-probe-{uuid.uuid4().hex}"
    try:
        probe.touch(exist_ok=False)
        probe.unlink()
    except OSError as err:
        raise OutputFileError(
            f"{option} {name!r}: cannot write in the folder {str(parent)!r} "
            f"({err.strerror or err}); choose another folder"
        ) from None
    return path


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


@contextlib.contextmanager
def atomic_output(path: str | Path, *, force: bool = False) -> Iterator[Path]:
    """Write to a temporary name next to ``path``; rename it over ``path`` on success.

    Yields the temporary path (same folder, same suffix, so writers that choose the format by
    the suffix keep working). If the block raises, the temporary file or folder is removed
    and ``path`` is untouched. An existing target is replaced only with ``force``; a replaced
    zarr store is moved aside first and removed only after the new one is in place.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with atomic_output(folder / "run.csv") as tmp:
    ...     _ = tmp.write_text("t,V\\n0,-70\\n")
    >>> (folder / "run.csv").read_text()
    't,V\\n0,-70\\n'
    >>> sorted(p.name for p in folder.iterdir())
    ['run.csv']
    """
    path = Path(path)
    tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.tmp{path.suffix}")
    try:
        yield tmp
    except BaseException:
        _remove(tmp)
        raise
    if not tmp.exists():  # the writer wrote nothing
        return
    try:
        if path.exists() or path.is_symlink():
            if not force:
                raise OutputFileError(
                    f"{str(path)!r} appeared while nernst was writing; kept the new data as "
                    f"{str(tmp)!r}"
                )
            if path.is_dir():
                aside = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.old")
                path.rename(aside)
                tmp.rename(path)
                _remove(aside)
                return
        os.replace(tmp, path)
    except OutputFileError:
        raise
    except BaseException:
        _remove(tmp)
        raise


def finite_or_none(value: Any) -> Any:
    """``value`` with every NaN/inf float replaced by None (for strict JSON)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite_or_none(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite_or_none(v) for v in value]
    return value
