"""The nernst web simulator: an interactive Nernst/GHK laboratory in the browser.

Run it with ``nernst app`` (development server, 127.0.0.1:8050) or, for a classroom sharing
one machine, ``nernst app --workers 4`` (gunicorn). Any WSGI server can serve the factory:
``gunicorn 'nernst.app:create_app()'``.

The app is built with Dash (``pip install 'nernst[app]'``); ``import nernst`` never imports
it. Each tab is one module named ``*_tab.py`` in this package that defines ``TAB``, a
:class:`nernst.app.layout.TabSpec`; :func:`build_dash` finds them, so a new tab needs no
change anywhere else. The app computes nothing itself: every number comes from the public
nernst API.
"""

from __future__ import annotations

from typing import Any

__all__ = ["build_dash", "create_app"]


def build_dash(**dash_kwargs: Any) -> Any:
    """The Dash application with every tab and its callbacks registered.

    Parameters
    ----------
    **dash_kwargs
        Passed to :class:`dash.Dash` (for instance ``requests_pathname_prefix``).

    Returns
    -------
    app : dash.Dash
    """
    from nernst.app.layout import build

    return build(**dash_kwargs)


def create_app(**dash_kwargs: Any) -> Any:
    """The WSGI application (a :class:`flask.Flask`), the factory for gunicorn and friends.

    Returns
    -------
    server : flask.Flask
    """
    return build_dash(**dash_kwargs).server
