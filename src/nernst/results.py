"""The protocol every nernst result object shares.

Each result class (:class:`~nernst.CellReport`, :class:`~nernst.DonnanResult`,
:class:`~nernst.PermeabilityFit`, :class:`~nernst.JunctionReport`,
:class:`~nernst.Simulation`, :class:`~nernst.PumpLeakSteadyState`,
:class:`~nernst.TransportAnalysis`, ...) is a dataclass that inherits :class:`ResultMixin`
and so has:

- :meth:`~ResultMixin.to_dict`: plain Python (floats, ints, str, lists, dicts, None), NumPy
  scalars and arrays converted, NaN and infinities as None;
- :meth:`~ResultMixin.to_json`: always valid JSON (no ``NaN``/``Infinity`` tokens);
- :meth:`~ResultMixin.to_dataframe`: a pandas DataFrame, one row per ion where the result
  has ions (pandas is imported only here: ``pip install 'nernst[frame]'``);
- ``_repr_html_`` (Jupyter) and ``__rich__`` (Rich, imported only when rendering);
- :meth:`~ResultMixin.explain`: the calculation step by step, an
  :class:`nernst.explain.Explanation` (every explanation lives in :mod:`nernst.explain`).

A class provides its data through three cheap hooks, all optional:
``_fields_for_dict()`` (default: the dataclass fields), ``_rows()`` (default: the ``ions``
field when it holds row objects or dicts, else one row of the scalar fields) and
``_summary_lines()`` (the sentences shown under the table). This module imports only the
standard library and NumPy.

Examples
--------
>>> from dataclasses import dataclass
>>> import numpy as np
>>> @dataclass(frozen=True)
... class Demo(ResultMixin):
...     potential: float
...     trace: np.ndarray
>>> Demo(np.float64(-70.0), np.array([1.0, np.nan])).to_dict()
{'potential': -70.0, 'trace': [1.0, None]}
>>> Demo(-70.0, np.array([np.inf])).to_json(indent=None)
'{"potential": -70.0, "trace": [null]}'
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from nernst.explain import Explanation

__all__ = ["ResultMixin", "to_plain"]

_FRAME_HINT = "to_dataframe needs pandas: pip install 'nernst[frame]'"


def to_plain(value: Any) -> Any:
    """``value`` as plain JSON-ready Python: NaN and infinities become None.

    Mappings become dicts (keys as str), tuples, lists and arrays become lists, NumPy scalars
    Python numbers, result objects their :meth:`~ResultMixin.to_dict`, other dataclasses a
    dict of their fields.

    Raises
    ------
    TypeError
        A complex number (no JSON form).

    See Also
    --------
    ResultMixin.to_dict

    Examples
    --------
    >>> to_plain({"E": np.float32(1.5), "z": np.int64(2), "v": (np.nan, 2.0)})
    {'E': 1.5, 'z': 2, 'v': [None, 2.0]}
    """
    kind = type(value)
    if kind is float:  # the common cases first, by exact type (cheap)
        return value if math.isfinite(value) else None
    if value is None or kind is str or kind is int or kind is bool:
        return value
    if kind is dict:
        return {str(k): to_plain(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [to_plain(v) for v in value]
    if isinstance(value, (str, bool)):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        return x if math.isfinite(x) else None
    if isinstance(value, np.ndarray):
        return to_plain(value.tolist())
    if isinstance(value, ResultMixin) and not isinstance(value, list):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, complex):
        raise TypeError(f"complex value {value!r} has no JSON form")
    return value


class ResultMixin:
    """Shared behaviour of nernst result objects (see the module docstring).

    Subclasses are dataclasses; they may override ``_fields_for_dict``, ``_rows``,
    ``_summary_lines`` and ``_title`` to shape the output.

    See Also
    --------
    to_plain : the conversion behind :meth:`to_dict`.
    nernst.explain.Explanation : what :meth:`explain` returns.

    Notes
    -----
    Cheap by design: no state, ``__slots__ = ()``, optional libraries (pandas, Rich) imported
    inside the methods that need them, so ``import nernst`` stays NumPy + SciPy only.

    Examples
    --------
    >>> import nernst
    >>> res = nernst.donnan_equilibrium(c_out={"K+": 100, "Cl-": 100}, fixed_charge=50)
    >>> isinstance(res, ResultMixin), sorted(res.to_dict()["c_in"])
    (True, ['Cl-', 'K+'])
    """

    __slots__ = ()

    # -- hooks ---------------------------------------------------------------------------
    def _fields_for_dict(self) -> dict[str, Any]:
        """The data of :meth:`to_dict` before conversion (default: the dataclass fields)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    def _rows(self) -> list[dict[str, Any]]:
        """Rows of the table form: one per ion if the result has an ``ions`` field of rows."""
        rows = getattr(self, "ions", None)
        if isinstance(rows, (list, tuple)) and rows and not isinstance(rows[0], str):
            return [to_plain(r) for r in rows]
        data = self.to_dict()
        return [{k: v for k, v in data.items() if not isinstance(v, (dict, list))}]

    def _summary_lines(self) -> list[str]:
        """Sentences shown under the table (default: none)."""
        return []

    def _title(self) -> str:
        return str(getattr(self, "title", None) or type(self).__name__)

    # -- the protocol --------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready Python: NumPy values converted, NaN and inf as None.

        Examples
        --------
        >>> import nernst
        >>> nernst.Cell(c_in={"K+": 140}, c_out={"K+": 5}, v_m=-70).report().to_dict()[
        ...     "v_rest_ghk"] is None
        True
        """
        out = to_plain(self._fields_for_dict())
        assert isinstance(out, dict)
        return out

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as JSON text; always valid JSON (no NaN or Infinity tokens).

        Keyword arguments go to :func:`json.dumps` (default ``indent=2``).

        See Also
        --------
        to_dict

        Examples
        --------
        >>> import json, nernst
        >>> text = nernst.Cell.preset().report().to_json(indent=None)
        >>> json.loads(text)["units"]["potential"]
        'mV'
        """
        kwargs.setdefault("indent", 2)
        kwargs["allow_nan"] = False
        return json.dumps(self.to_dict(), **kwargs)

    def to_dataframe(self) -> Any:
        """The result as a pandas DataFrame: one row per ion where the result has ions.

        Needs pandas (``pip install 'nernst[frame]'``); indexed by ``ion`` when the rows
        name one.

        Raises
        ------
        ImportError
            pandas is not installed (the message names the ``frame`` extra).

        Examples
        --------
        >>> import nernst
        >>> list(nernst.Cell.preset().report().to_dataframe().index)
        ['K+', 'Na+', 'Cl-', 'Ca2+']
        """
        try:
            import pandas as pd
        except ImportError:
            raise ImportError(_FRAME_HINT) from None
        frame = pd.DataFrame(self._rows())
        return frame.set_index("ion") if "ion" in frame.columns else frame

    def explain(self) -> Explanation:
        """The calculation step by step (:class:`nernst.explain.Explanation`).

        See Also
        --------
        nernst.explain.explain_result : the dispatch to the explanation of each class.

        Examples
        --------
        >>> import nernst
        >>> res = nernst.donnan_equilibrium(c_out={"K+": 100, "Cl-": 100}, fixed_charge=50)
        >>> res.explain()[-1]
        'V_D = -6.6 mV, r = 1.281'
        """
        from nernst.explain import explain_result

        return explain_result(self)

    # -- rendering -----------------------------------------------------------------------
    def _table(self) -> tuple[list[str], list[list[str]]]:
        rows = self._rows()
        header = list(dict.fromkeys(k for r in rows for k in r))
        body = [[_cell(r.get(k)) for k in header] for r in rows]
        return header, body

    def _repr_html_(self) -> str:
        from html import escape

        header, body = self._table()
        head = "".join(f"<th>{escape(h)}</th>" for h in header)
        rows = "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in body
        )
        notes = "".join(f"<p>{escape(line)}</p>" for line in self._summary_lines())
        return (
            f"<div><strong>{escape(self._title())}</strong>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{notes}</div>"
        )

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        header, body = self._table()
        table = Table(title=self._title(), title_justify="left")
        for h in header:
            table.add_column(h)
        for row in body:
            table.add_row(*row)
        return Group(table, *(Text(line) for line in self._summary_lines()))


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)
