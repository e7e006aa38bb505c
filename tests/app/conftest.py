"""Fixtures for the web app tests: Debian's Chromium, a served app, a browser page, timings.

The browser tests drive a real headless Chromium through Playwright. Playwright's own browser
download cannot work on these machines, so the tests launch Debian's ``/usr/bin/chromium``;
when it is missing and the tests run as root (CI), the session installs it with apt-get once.
Without it the browser tests fail with a message saying what to install; they never skip.

The app runs as a user runs it, ``nernst app --port <free port>`` in a subprocess of its own
process group, stopped in a ``finally``. Figures the tests measure (start-up, update latency,
load-test percentiles) are printed in the terminal summary.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
#: Flags for headless Chromium on these machines (no GPU, no sandbox as root, and no
#: background networking: it keeps trying hosts it cannot reach).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Longest wait for a server to answer after it is spawned. [s]
SERVER_START_TIMEOUT = 45.0

_TIMINGS: dict[str, str] = {}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _TIMINGS:
        terminalreporter.section("nernst app: measured")
        for key, value in _TIMINGS.items():
            terminalreporter.write_line(f"{key}: {value}")


@pytest.fixture(scope="session")
def timings() -> dict[str, str]:
    """Figures to print at the end of the run (name -> text)."""
    return _TIMINGS


# -- Chromium ---------------------------------------------------------------------------------
def _install_chromium() -> None:
    """apt-get update, then apt-get install chromium; pytest.fail with the reason if impossible."""
    how = "as root: apt-get update && apt-get install -y chromium"
    if shutil.which("apt-get") is None:
        pytest.fail(
            f"{CHROMIUM} is missing and this system has no apt-get; install Chromium so that "
            f"{CHROMIUM} exists (on Debian/Ubuntu, {how})",
            pytrace=False,
        )
    if os.geteuid() != 0:
        pytest.fail(
            f"{CHROMIUM} is missing and the tests are not running as root, so they cannot "
            f"install it; run {how}",
            pytrace=False,
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "chromium"]):
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1200)
        except subprocess.TimeoutExpired:
            pytest.fail(f"`{' '.join(cmd)}` did not finish in 20 minutes", pytrace=False)
        if done.returncode != 0:
            pytest.fail(
                f"`{' '.join(cmd)}` failed (exit {done.returncode}), so the browser tests "
                f"cannot run:\n{done.stderr[-2000:]}",
                pytrace=False,
            )


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of Debian's Chromium, installed with apt-get first if needed (root only)."""
    if not Path(CHROMIUM).exists():
        _install_chromium()
        if not Path(CHROMIUM).exists():
            pytest.fail(f"apt-get installed chromium but {CHROMIUM} does not exist", pytrace=False)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    """A headless Chromium for the session (Playwright, Debian's binary)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "the browser tests need Playwright: pip install -e '.[test]' (the test extra "
            "includes it; its own browser download is not needed)",
            pytrace=False,
        )
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser tab (own context, downloads allowed), closed after the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.set_default_timeout(20_000)
    try:
        yield context.new_page()
    finally:
        context.close()


# -- the served app ---------------------------------------------------------------------------
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def nernst_command() -> list[str]:
    """The installed ``nernst`` entry point of this Python environment."""
    beside = Path(sys.executable).with_name("nernst")
    found = str(beside) if beside.exists() else shutil.which("nernst")
    if found is None:
        pytest.fail(
            "the `nernst` command is not installed: pip install -e '.[test]'", pytrace=False
        )
    return [found]


@dataclass
class Server:
    """A running ``nernst app`` subprocess."""

    url: str
    process: subprocess.Popen[bytes]
    spawned_at: float
    answered_at: float
    opened: bool = False
    log: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@contextlib.contextmanager
def serve(*args: str, log: Path) -> Iterator[Server]:
    """Run ``nernst app --port <free> *args``; yield once it answers HTTP; stop its group."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with open(log, "wb") as out:
        spawned = time.perf_counter()
        process = subprocess.Popen(
            [*nernst_command(), "app", "--port", str(port), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so gunicorn's workers stop too
        )
        try:
            deadline = spawned + SERVER_START_TIMEOUT
            while True:
                if process.poll() is not None:
                    pytest.fail(
                        f"`nernst app` exited with status {process.returncode}:\n"
                        f"{log.read_text(errors='replace')[-3000:]}",
                        pytrace=False,
                    )
                try:
                    with urllib.request.urlopen(url, timeout=2) as response:
                        if response.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                if time.perf_counter() > deadline:
                    pytest.fail(
                        f"`nernst app` did not answer within {SERVER_START_TIMEOUT:g} s:\n"
                        f"{log.read_text(errors='replace')[-3000:]}",
                        pytrace=False,
                    )
                time.sleep(0.05)
            yield Server(url, process, spawned, time.perf_counter(), log=log)
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``nernst app`` (development server) on a free loopback port, for the session."""
    log = tmp_path_factory.mktemp("app") / "server.log"
    with serve(log=log) as server:
        yield server


@pytest.fixture(scope="session")
def gunicorn_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``nernst app --workers 2`` (gunicorn) on a free loopback port, for the session."""
    log = tmp_path_factory.mktemp("gunicorn") / "server.log"
    with serve("--workers", "2", "--json", log=log) as server:
        yield server


@pytest.fixture(autouse=True)
def _mark_server_opened(request: pytest.FixtureRequest) -> Iterator[None]:
    """After any test that used the session server, it no longer counts as freshly spawned
    (the start-up figures of test_browser.py are only measured on a first visit)."""
    yield
    if "app_server" in request.fixturenames:
        request.getfixturevalue("app_server").opened = True
