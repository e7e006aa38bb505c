"""Serving the app: Flask's development server, or gunicorn for a classroom.

Both bind 127.0.0.1 unless told otherwise. The development server handles requests in
threads and is right for one user; ``workers=N`` runs gunicorn with N processes (callbacks
are stateless HTTP requests, so any worker can answer any student).
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

__all__ = ["check_address", "is_loopback", "run_dev", "run_gunicorn", "url"]

#: Threads per gunicorn worker: keeps slow or idle browser connections from blocking a worker.
THREADS_PER_WORKER = 4


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url(host: str, port: int) -> str:
    """The address to open in a browser.

    >>> url("127.0.0.1", 8050), url("::1", 8050), url("0.0.0.0", 80)
    ('http://127.0.0.1:8050/', 'http://[::1]:8050/', 'http://127.0.0.1:80/')
    """
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


def check_address(host: str, port: int) -> None:
    """Fail early, with a clear message, if the port is out of range or already taken.

    Raises
    ------
    ValueError
        Port outside 1-65535, an unknown host name, or the port in use.
    """
    if not 1 <= port <= 65535:
        raise ValueError(f"--port {port}: a port is a number from 1 to 65535")
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise ValueError(f"--host {host!r} is not an address or a known host name") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as err:
            raise ValueError(
                f"cannot listen on {host}:{port} ({err.strerror}); choose another --port"
            ) from None


def quiet_request_handler() -> Any:
    """Werkzeug's request handler without its ``Server: Werkzeug/x Python/y`` banner (the
    versions tell an attacker which known holes to try)."""
    from werkzeug.serving import WSGIRequestHandler

    class _Handler(WSGIRequestHandler):
        def version_string(self) -> str:
            return "nernst"

    return _Handler


def run_dev(host: str, port: int, *, debug: bool = False) -> None:
    """Serve with Flask's threaded development server until interrupted."""
    from nernst.app import build_dash

    app = build_dash()
    app.run(
        host=host,
        port=port,
        debug=debug,
        use_reloader=False,
        request_handler=quiet_request_handler(),
    )


def run_gunicorn(host: str, port: int, *, workers: int) -> None:
    """Serve with gunicorn: ``workers`` processes of :data:`THREADS_PER_WORKER` threads."""
    from gunicorn.app.base import BaseApplication

    options: dict[str, Any] = {
        "bind": f"[{host}]:{port}"
        if ":" in host and not host.startswith("[")
        else f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": THREADS_PER_WORKER,
        "preload_app": True,
        "timeout": 60,
        "graceful_timeout": 5,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "nernst-app",
    }

    class _Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from nernst.app import create_app

            return create_app()

    _Server().run()
