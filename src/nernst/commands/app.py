"""``nernst app``: the web simulator in the browser (needs ``pip install 'nernst[app]'``)."""

from __future__ import annotations

import importlib.util
import sys
from typing import Annotated

import typer

from nernst.commands._shared import JsonOpt, fail, guarded, print_json


def register(app: typer.Typer) -> None:
    """Add ``nernst app``."""

    @app.command("app")
    @guarded
    def app_command(
        port: Annotated[int, typer.Option("--port", "-p", help="Port to listen on.")] = 8050,
        host: Annotated[
            str,
            typer.Option(
                "--host",
                help="Address to bind; the default serves this machine only. Use 0.0.0.0 to "
                "serve a classroom network (anyone who can reach the machine can use it).",
            ),
        ] = "127.0.0.1",
        workers: Annotated[
            int | None,
            typer.Option(
                "--workers",
                "-w",
                help="Serve with gunicorn and this many worker processes (a classroom); "
                "without it, the development server (one user).",
            ),
        ] = None,
        debug: Annotated[
            bool, typer.Option("--debug", help="Dash developer tools (development server only).")
        ] = False,
        as_json: JsonOpt = False,
    ) -> None:
        """Serve the web simulator: seven tabs (Nernst, GHK, Liquid junction, Dynamics,
        Recording solution, Action potential, Recording), scenarios shareable by link and as
        TOML (needs pip install 'nernst[app]')."""
        if importlib.util.find_spec("dash") is None:
            fail("the web app needs Dash, which is not installed: pip install 'nernst[app]'", 1)
        if workers is not None:
            if workers < 1:
                fail(f"--workers {workers}: give at least 1 worker process")
            if debug:
                fail("--debug works with the development server only; drop --workers")
            if importlib.util.find_spec("gunicorn") is None:
                fail(
                    "--workers needs gunicorn, which is not installed: pip install 'nernst[app]'", 1
                )
        # Dash imports IPython, when installed, for notebook support (about 1 s); this process
        # is a server, never a notebook kernel, so skip it.
        if "IPython" not in sys.modules:
            sys.modules["IPython"] = None  # type: ignore[assignment]
        from nernst.app.server import check_address, is_loopback, run_dev, run_gunicorn, url

        check_address(host, port)
        address = url(host, port)
        server = "development" if workers is None else "gunicorn"
        if as_json:
            print_json(
                {"url": address, "host": host, "port": port, "server": server, "workers": workers}
            )
        else:
            how = "development server" if workers is None else f"gunicorn, {workers} workers"
            typer.echo(f"nernst app: {address} ({how}; Ctrl+C stops it)")
        if not is_loopback(host):
            typer.echo(
                f"warning: listening on {host}: anyone who can reach this machine can use the app",
                err=True,
            )
        if workers is None:
            run_dev(host, port, debug=debug)
        else:
            run_gunicorn(host, port, workers=workers)
