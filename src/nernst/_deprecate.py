"""Deprecation helpers: renamed arguments and functions keep working for one release.

Every use of an old spelling emits a :class:`NernstDeprecationWarning` (a
``DeprecationWarning``) that names the new spelling, so users are told, not broken.

>>> import warnings
>>> @renamed_arguments(v="v_m")
... def f(*, v_m):
...     return v_m
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     f(v=-70)
-70
>>> print(caught[0].message)
f(v=...) is deprecated; use f(v_m=...) (the old spelling stops working in nernst 0.3)
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = [
    "NernstDeprecationWarning",
    "deprecated_alias",
    "positional_deprecated",
    "renamed_arguments",
    "warn_deprecated",
]

F = TypeVar("F", bound=Callable[..., Any])

#: The release in which deprecated spellings are removed.
REMOVED_IN = "0.3"


class NernstDeprecationWarning(DeprecationWarning):
    """An old spelling of a nernst argument, function or attribute was used."""


def warn_deprecated(old: str, new: str, *, stacklevel: int = 3) -> None:
    """Warn that ``old`` is deprecated in favour of ``new``."""
    warnings.warn(
        f"{old} is deprecated; use {new} (the old spelling stops working in nernst {REMOVED_IN})",
        NernstDeprecationWarning,
        stacklevel=stacklevel,
    )


def renamed_arguments(**renames: str) -> Callable[[F], F]:
    """Accept old keyword names for one release: ``@renamed_arguments(v="v_m")``.

    An old keyword is passed on under its new name with a warning; giving both the old and
    the new name is a ``TypeError``. Calls with new names pay one dictionary check.
    """

    def decorate(func: F) -> F:
        name = func.__name__

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if kwargs and not renames.keys().isdisjoint(kwargs):
                for old, new in renames.items():
                    if old in kwargs:
                        if new in kwargs:
                            raise TypeError(
                                f"{name}() got both {old}= (deprecated) and {new}=; "
                                f"pass only {new}="
                            )
                        warn_deprecated(f"{name}({old}=...)", f"{name}({new}=...)")
                        kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        wrapper.__wrapped__ = func
        return wrapper  # type: ignore[return-value]

    return decorate


def deprecated_alias(func: F, old_name: str) -> F:
    """``func`` under its old name ``old_name``, warning on every call."""

    @functools.wraps(func)
    def alias(*args: Any, **kwargs: Any) -> Any:
        warn_deprecated(f"{old_name}()", f"{func.__name__}()")
        return func(*args, **kwargs)

    alias.__name__ = old_name
    alias.__qualname__ = old_name
    return alias  # type: ignore[return-value]


def positional_deprecated(
    *names: str, display: str | None = None, stacklevel: int = 3
) -> Callable[[F], F]:
    """Accept the keyword-only ``names`` positionally (in that order), with a warning.

    ``display`` is the name shown in the warning (default: the function's name);
    ``stacklevel`` 4 when another decorator wraps this one.

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
