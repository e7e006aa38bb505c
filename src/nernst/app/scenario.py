"""Scenario state outside the page: the URL query string, TOML files and CSV tables.

Everything here is plain text in, plain data out; nothing is ever evaluated as code. Numbers
are written with Python's shortest round-trip ``repr`` so a shared link or a downloaded file
restores every value to the last digit.

The query string holds one parameter group per tab, each key prefixed with the tab's id
(``nernst.in=140&ghk.ion=K%2B,140,5,1``), plus ``tab`` for the open tab.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import json
import math
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

from nernst.cell import CELL_KEYS as _CELL_KEYS

__all__ = [
    "MAX_IONS",
    "MAX_QUERY_CHARS",
    "MAX_UPLOAD_BYTES",
    "cell_from_toml_text",
    "cell_to_toml",
    "check_cell_data",
    "decode_upload",
    "encode_query",
    "number_text",
    "parse_number",
    "parse_query",
    "table_csv",
]

#: Largest TOML upload accepted, in bytes (a preset cell file is about 3 kB).
MAX_UPLOAD_BYTES = 64 * 1024
#: Longest query string read from the address bar; anything longer is ignored.
MAX_QUERY_CHARS = 8192
#: Most ions a scenario may hold (the ion table has about 60).
MAX_IONS = 40
#: Longest title kept from a link or file.
MAX_TITLE_CHARS = 120


# -- numbers ----------------------------------------------------------------------------
def number_text(value: float | None) -> str:
    """A float as the shortest text that reads back to the same float ("" for None).

    >>> number_text(140.0), number_text(1e-4), number_text(0.1 + 0.2)
    ('140', '0.0001', '0.30000000000000004')
    """
    if value is None:
        return ""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def parse_number(text: Any) -> float | None:
    """A finite float from user text or a number, or None if it is not one.

    >>> parse_number("1e-4"), parse_number(" 140 "), parse_number("nan"), parse_number("2*3")
    (0.0001, 140.0, None, None)
    """
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        s = str(text).strip()
        if not s or len(s) > 40:
            return None
        try:
            value = float(s)
        except ValueError:
            return None
    return value if math.isfinite(value) else None


# -- the URL ----------------------------------------------------------------------------
def parse_query(search: str | None) -> dict[str, list[str]]:
    """The query string (``location.search``) as key -> list of values; {} if absent or long.

    >>> parse_query("?tab=ghk&ghk.ion=K%2B,140,5,1&ghk.ion=Na%2B,10,145,0.04")
    {'tab': ['ghk'], 'ghk.ion': ['K+,140,5,1', 'Na+,10,145,0.04']}
    """
    if not search or len(search) > MAX_QUERY_CHARS:
        return {}
    try:
        return parse_qs(search.lstrip("?"), keep_blank_values=True, max_num_fields=200)
    except ValueError:  # more than 200 fields
        return {}


def encode_query(pairs: Iterable[tuple[str, str]]) -> str:
    """Key-value pairs as a query string (without "?"); "+" and spaces are percent-encoded.

    >>> encode_query([("tab", "ghk"), ("ghk.ion", "K+,140,5,1"), ("ghk.ion", "SO4 2-,1,1,0")])
    'tab=ghk&ghk.ion=K%2B,140,5,1&ghk.ion=SO4%202-,1,1,0'
    """
    return urlencode(list(pairs), quote_via=quote, safe=",:")


def first(params: Mapping[str, Sequence[str]], key: str) -> str | None:
    """The first value of a query parameter, or None."""
    values = params.get(key)
    return values[0] if values else None


# -- TOML (the `nernst cell file.toml` format) --------------------------------------------
def _toml_string(text: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes; DEL must be escaped in TOML.
    return json.dumps(str(text), ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_number(value: float) -> str:
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"cannot write the non-finite number {value!r} to TOML")
    return repr(value)


def cell_to_toml(data: Mapping[str, Any]) -> str:
    """A cell definition (``Cell.to_dict()``) as TOML text that ``nernst cell FILE`` reads.

    >>> print(cell_to_toml({"title": "demo", "celsius": 37.0, "inside": {"K+": 140.0},
    ...                     "outside": {"K+": 5.0}, "permeability": {"K+": 1.0}}))
    # nernst cell: concentrations in mM, permeabilities relative, temperature in degC.
    title = "demo"
    celsius = 37.0
    <BLANKLINE>
    [inside]
    "K+" = 140.0
    <BLANKLINE>
    [outside]
    "K+" = 5.0
    <BLANKLINE>
    [permeability]
    "K+" = 1.0
    <BLANKLINE>
    """
    lines = ["# nernst cell: concentrations in mM, permeabilities relative, temperature in degC."]
    for key in ("title", "description"):
        if data.get(key):
            lines.append(f"{key} = {_toml_string(data[key])}")
    lines.append(f"celsius = {_toml_number(data['celsius'])}")
    if data.get("v_measured_mV") is not None:
        lines.append(f"v_measured_mV = {_toml_number(data['v_measured_mV'])}")
    for table in ("inside", "outside", "permeability"):
        lines += ["", f"[{table}]"]
        lines += [
            f"{_toml_string(ion)} = {_toml_number(v)}" for ion, v in data.get(table, {}).items()
        ]
    if data.get("sources"):
        lines += ["", "[sources]"]
        lines += [f"{_toml_string(k)} = {_toml_string(v)}" for k, v in data["sources"].items()]
    return "\n".join(lines) + "\n"


def decode_upload(contents: str | None, filename: str | None = None) -> str:
    """The text of a ``dcc.Upload`` data URL, checked for size and UTF-8.

    Raises
    ------
    ValueError
        Not a data URL, larger than :data:`MAX_UPLOAD_BYTES`, not base64, not UTF-8 text.
    """
    label = repr(filename) if filename else "the file"
    if not contents or "," not in contents:
        raise ValueError(f"{label} could not be read (empty upload)")
    b64 = contents.split(",", 1)[1]
    if len(b64) > (MAX_UPLOAD_BYTES * 4) // 3 + 8:
        raise ValueError(
            f"{label} is larger than {MAX_UPLOAD_BYTES // 1024} kB; a cell file is a few kB"
        )
    try:
        raw = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{label} could not be decoded") from None
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ValueError(f"{label} is larger than {MAX_UPLOAD_BYTES // 1024} kB")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{label} is not UTF-8 text; upload a .toml cell file") from None


#: Deepest nesting of tables a cell file may have (``[cell.NAME.inside]`` is 3).
MAX_TOML_DEPTH = 4
#: Keys of a cell file: the model's own list (see :meth:`nernst.Cell.from_dict`).
CELL_KEYS = _CELL_KEYS
_NUMBER_TABLES = {
    "inside": "a concentration in mM",
    "outside": "a concentration in mM",
    "permeability": "a relative permeability",
    "gamma_in": "an activity coefficient",
    "gamma_out": "an activity coefficient",
}
_NUMBER_KEYS = {"celsius": "a temperature in °C", "v_measured_mV": "a potential in mV"}


def _kind(value: Any) -> str:
    import datetime

    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (datetime.date, datetime.time)):
        return f"the date/time {value.isoformat()}"
    if isinstance(value, str):
        return f"the text {value[:30]!r}"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)[:30]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _depth(data: Any) -> int:
    """Nesting depth of tables and lists (iterative: no recursion limit to hit)."""
    deepest, stack = 0, [(data, 0)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, Mapping):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def check_cell_data(data: Mapping[str, Any], label: str) -> None:
    """Strict checks of a parsed cell file before :meth:`nernst.Cell.from_dict` sees it.

    Raises
    ------
    ValueError
        An unknown key (with the nearest valid one), a number field holding a boolean, a
        date, text or a table, or one ion listed twice in a table (also through aliases
        such as "K+" and "potassium"); the message names the file, the table and the key.
    """
    import difflib

    from nernst import ions

    for key in data:
        if key not in CELL_KEYS:
            near = difflib.get_close_matches(str(key), CELL_KEYS, n=1)
            hint = (
                f"; did you mean {near[0]!r}?" if near else f"; valid keys: {', '.join(CELL_KEYS)}"
            )
            raise ValueError(f"{label}: unknown key {str(key)[:40]!r}{hint}")
    for key, what in _NUMBER_KEYS.items():
        if key in data and not _is_number(data[key]):
            raise ValueError(f"{label}: {key} must be a number ({what}), not {_kind(data[key])}")
    for key in ("title", "description", "name", "activity"):
        if key in data and not isinstance(data[key], str):
            raise ValueError(f"{label}: {key} must be text in quotes, not {_kind(data[key])}")
    for table, what in _NUMBER_TABLES.items():
        if table not in data:
            continue
        if not isinstance(data[table], Mapping):
            raise ValueError(
                f"{label}: [{table}] must be a table of ion = number, not {_kind(data[table])}"
            )
        seen: dict[str, str] = {}
        for ion, value in data[table].items():
            if not _is_number(value):
                raise ValueError(
                    f"{label}: [{table}] {ion!r} must be a number ({what}), not {_kind(value)}"
                )
            try:
                symbol = ions.resolve(str(ion))
            except ValueError:
                continue  # the cell reader names unknown ions itself
            if symbol in seen:
                raise ValueError(
                    f"{label}: [{table}] lists {symbol} twice ({seen[symbol]!r} and {ion!r}); "
                    "keep one"
                )
            seen[symbol] = str(ion)


def cell_from_toml_text(text: str, *, filename: str | None = None) -> Any:
    r"""A :class:`nernst.Cell` from TOML text, read the way :meth:`nernst.Cell.from_toml` reads
    a file (a top-level cell, or one ``[cell.NAME]`` table), with the strict checks of
    :func:`check_cell_data` first.

    Raises
    ------
    ValueError
        Invalid TOML, nesting deeper than :data:`MAX_TOML_DEPTH`, a wrong type, a duplicate
        ion or an invalid cell (the message says which value and why).

    Examples
    --------
    >>> cell_from_toml_text('[inside]\n"K+" = 140\n[outside]\n"K+" = 5\n').c_in
    {'K+': 140.0}
    >>> try:
    ...     cell_from_toml_text('[inside]\n"K+" = true\n[outside]\n"K+" = 5\n')
    ... except ValueError as err:
    ...     print(err)
    the file: [inside] 'K+' must be a number (a concentration in mM), not the boolean true
    """
    from nernst.cell import Cell

    label = filename or "the file"
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{label} is not valid TOML: {err}") from None
    except RecursionError:
        raise ValueError(f"{label} is nested too deeply to be a cell file") from None
    if _depth(data) > MAX_TOML_DEPTH:
        raise ValueError(
            f"{label} nests tables {_depth(data)} levels deep; a cell file has at most "
            f"{MAX_TOML_DEPTH} ([cell.NAME.inside])"
        )
    name = None
    if "cell" in data and isinstance(data["cell"], Mapping) and len(data["cell"]) == 1:
        ((name, data),) = data["cell"].items()
        if not isinstance(data, Mapping):
            raise ValueError(f"{label}: [cell.{name}] must be a table")
    check_cell_data(data, label)
    n_ions = len(data.get("inside", {})) if isinstance(data.get("inside"), Mapping) else 0
    if n_ions > MAX_IONS:
        raise ValueError(f"{label} lists {n_ions} ions; the app takes at most {MAX_IONS}")
    try:
        return Cell.from_dict(data, name=name)
    except (ValueError, TypeError, OverflowError) as err:
        raise ValueError(f"{label}: {err}") from None


# -- CSV ------------------------------------------------------------------------------------
def table_csv(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """Rows as CSV text with a header; floats in full precision, None as an empty cell.

    >>> table_csv(["ion", "E_mV"], [{"ion": "K+", "E_mV": -89.06}])
    'ion,E_mV\\r\\nK+,-89.06\\r\\n'
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [
                ""
                if row.get(c) is None
                else (repr(row[c]) if isinstance(row[c], float) else row[c])
                for c in columns
            ]
        )
    return out.getvalue()
