"""Command-line commands by topic, each module adding its commands to the Typer app.

Each module defines ``register(app: typer.Typer) -> None``. Modules import only Typer and the
standard library at import time; the physics is imported inside each command, so
``nernst --help`` stays fast. ``nernst.cli`` calls :func:`register_all` once.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any


def register_all(app: Any) -> None:
    """Register the commands of every module in this package, in name order."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register(app)
