"""Embedded data: the ion table (ions.toml) and the preset cells (cells.toml).

:func:`load_toml` reads one of these files. Parsing the ion table with :mod:`tomllib` takes
longer than everything else a first ``Cell.preset()`` does (issue 13), so the parsed form is
also kept next to the bytecode, as a :mod:`marshal` snapshot holding the file's text with the
parsed tables. It is used only if that text is the file's text exactly, and it follows
Python's own bytecode policy: not written when ``sys.dont_write_bytecode`` is set
(``PYTHONDONTWRITEBYTECODE``), kept under ``sys.pycache_prefix`` when one is set, silently
skipped where the directory is not writable. Callers cache the result per process and hand
out copies (or immutable objects), never the parsed dict itself.
"""

from __future__ import annotations

import marshal
import os
import sys
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["load_toml"]


def _snapshot_path(source: Path) -> Path | None:
    """Where the parsed snapshot of ``source`` lives (beside its bytecode), or None."""
    from importlib.util import cache_from_source

    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    try:
        pyc = Path(cache_from_source(str(source.with_suffix(".py"))))
    except (NotImplementedError, ValueError):
        return None
    return pyc.with_name(f"{source.name}.{tag}.marshal")


def load_toml(name: str) -> dict[str, Any]:
    """The parsed tables of the data file ``name`` (``"ions.toml"``), a new dict each call.

    Raises
    ------
    tomllib.TOMLDecodeError
        The file is not valid TOML.
    """
    resource = resources.files(__name__).joinpath(name)
    text = resource.read_text(encoding="utf-8")
    source = Path(str(resource))
    snapshot = _snapshot_path(source) if source.is_file() else None
    if snapshot is not None:
        try:
            cached_text, data = marshal.loads(snapshot.read_bytes())
            if cached_text == text and isinstance(data, dict):
                return data
        except (OSError, EOFError, ValueError, TypeError):
            pass
    data = tomllib.loads(text)
    if snapshot is not None and not sys.dont_write_bytecode:
        partial = snapshot.with_name(f"{snapshot.name}.{os.getpid()}.tmp")
        try:
            blob = marshal.dumps((text, data))
            snapshot.parent.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(blob)
            os.replace(partial, snapshot)  # atomic: a reader sees the old file or the new
        except (OSError, ValueError):  # not writable, or a value marshal cannot hold
            try:
                partial.unlink(missing_ok=True)
            except OSError:
                pass
    return data
