"""The result protocol shared by the recording analyses: dict, JSON, DataFrame, HTML, Rich, text.

A result class defines ``to_dict()`` (plain Python, JSON-ready), ``table()`` (the rows its
DataFrame holds, a list of dicts) and ``explain()`` (lines of text: method, numbers, warnings);
this mixin derives the rest from them.
"""

from __future__ import annotations

import json
import math
from abc import ABC, abstractmethod
from typing import Any

import numpy as np

__all__ = ["ResultMixin", "plain"]


def plain(value: Any) -> Any:
    """Plain Python for JSON: arrays become lists, NumPy scalars floats, non-finite None."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class ResultMixin(ABC):
    """``to_json``, ``to_dataframe``, ``_repr_html_``, ``__rich__`` and ``__str__``."""

    @abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dict of the result (JSON-ready)."""

    @abstractmethod
    def table(self) -> list[dict[str, Any]]:
        """The rows of the result's DataFrame."""

    @abstractmethod
    def explain(self) -> list[str]:
        """Lines of text: the method, the numbers and any warning."""

    def to_json(self, **kwargs: Any) -> str:
        """The result as JSON text (keyword arguments go to :func:`json.dumps`)."""
        kwargs.setdefault("indent", 2)
        return json.dumps(plain(self.to_dict()), **kwargs)

    def to_dataframe(self) -> Any:
        """The result's table as a pandas DataFrame (needs ``nernst[frame]``)."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError("to_dataframe needs pandas: pip install 'nernst[frame]'") from None
        return pd.DataFrame(self.table())

    def __str__(self) -> str:
        return "\n".join(self.explain())

    def __rich__(self) -> Any:
        from rich.text import Text

        return Text("\n".join(self.explain()))

    def _repr_html_(self) -> str:
        from html import escape

        rows = self.table()
        body = ""
        if rows:
            head = "".join(f"<th>{escape(str(k))}</th>" for k in rows[0])
            cells = "".join(
                "<tr>" + "".join(f"<td>{escape(_cell(v))}</td>" for v in r.values()) + "</tr>"
                for r in rows
            )
            body = f"<table><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>"
        notes = "".join(f"<p>{escape(line)}</p>" for line in self.explain())
        return f"<div>{notes}{body}</div>"


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return "-" if value is None else str(value)
