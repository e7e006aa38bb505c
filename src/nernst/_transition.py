"""Helpers for issue 10's argument renames (private).

- :func:`accepts` tells which spelling an installed physics function takes, so the model
  layer uses the new spelling as soon as it exists (``ghk_current(ion, v_m=...)``,
  ``proton_motive_force(v_m=...)``, ``atp_synthase_protons(dg_atp=...)``) and never triggers a
  deprecation warning from inside nernst. Remove its uses once every rename has landed.
- :func:`positional_deprecated` keeps old positional calls working for one release with a
  :class:`nernst._deprecate.NernstDeprecationWarning`: ``f(-20, ion_x=...)`` becomes
  ``f(v_rev=-20, ion_x=...)``.

>>> accepts(lambda *, v_m: v_m, "v_m")
True
>>> import warnings
>>> @positional_deprecated("v_rev")
... def ratio(*, v_rev):
...     return v_rev
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     ratio(-20)
-20
>>> print(caught[0].message)  # doctest: +ELLIPSIS
ratio(v_rev) with v_rev positional is deprecated; use ratio(v_rev=...) (the old spelling...
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from nernst._deprecate import warn_deprecated

__all__ = ["accepts", "positional_deprecated"]

F = TypeVar("F", bound=Callable[..., Any])


@functools.cache
def accepts(func: Callable[..., Any], name: str) -> bool:
    """True when ``func`` has a parameter called ``name`` (through any ``functools.wraps``)."""
    return name in inspect.signature(func).parameters


def positional_deprecated(
    *names: str, display: str | None = None, stacklevel: int = 3
) -> Callable[[F], F]:
    """Accept the keyword-only ``names`` positionally (in that order), with a warning.

    ``display`` is the name shown in the warning (default: the function's name);
    ``stacklevel`` 4 when another decorator wraps this one.
    """

    def decorate(func: F) -> F:
        label = display or func.__name__

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if args:
                if len(args) > len(names):
                    raise TypeError(
                        f"{label}() takes no positional arguments beyond {', '.join(names)} "
                        f"(deprecated); pass {', '.join(f'{n}=' for n in names)} by keyword"
                    )
                given = names[: len(args)]
                for name, value in zip(given, args, strict=True):
                    if name in kwargs:
                        raise TypeError(f"{label}() got {name} positionally and as {name}=")
                    kwargs[name] = value
                warn_deprecated(
                    f"{label}({', '.join(given)}) with {', '.join(given)} positional",
                    f"{label}({'=..., '.join(given)}=...)",
                    stacklevel=stacklevel,
                )
            return func(**kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
