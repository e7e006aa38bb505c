"""Helpers for issue 10's argument renames (private).

- :func:`accepts` tells which spelling an installed physics function takes, so the model
  layer uses the new spelling as soon as it exists (``ghk_current(ion, v_m=...)``,
  ``proton_motive_force(v_m=...)``, ``atp_synthase_protons(dg_atp=...)``) and never triggers a
  deprecation warning from inside nernst. Remove its uses once every rename has landed.

>>> accepts(lambda *, v_m: v_m, "v_m")
True
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

__all__ = ["accepts"]


@functools.cache
def accepts(func: Callable[..., Any], name: str) -> bool:
    """True when ``func`` has a parameter called ``name`` (through any ``functools.wraps``)."""
    return name in inspect.signature(func).parameters
