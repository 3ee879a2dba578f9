"""Browser tests: a real `serve.py` process (eventlet, scheduler on) and headless Chromium driven
by Playwright. Nothing here imports the application; the pages are reached as a student's or a
facilitator's browser reaches them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests import ports
from tests.e2e.helpers import PASSWORD, Site, sign_in

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(5200, 5300)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def free_port() -> int:
    return ports.free_port(PORTS)


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve.py exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if requests.get(url + "/join", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"serve.py did not answer on {url}:\n{log.read_text(errors='replace')}")


@contextmanager
def running_site(instance: Path, host: str = "127.0.0.1", **extra_env: str) -> Iterator[Site]:
    """A real `serve.py` listening on `host` (other settings in `extra_env`), with one
    facilitator account."""
    if not (ROOT / "node_modules" / "socket.io-client").exists():
        pytest.skip("node_modules missing: run `npm ci` first")
    port = free_port()
    env = {
        **os.environ,
        "INSTANCE_PATH": str(instance),
        "PORT": str(port),
        "HOST": host,
        "ASYNC_MODE": "eventlet",
        "SCHEDULER_ENABLED": "1",
        "AUTO_DELAY_SECONDS": "1",
        "TICK_SECONDS": "0.5",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("DATABASE_URL", "PUBLIC_URL", "SOCKETIO_MESSAGE_QUEUE", "SECRET_KEY"):
        env.pop(name, None)
    env.update(extra_env)
    log = instance / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "serve.py")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, process, log)
        created = subprocess.run(
            [
                sys.executable,
                "-m",
                "flask",
                "facilitator",
                "create",
                "prof",
                "--password",
                PASSWORD,
            ],
            cwd=ROOT,
            env=env | {"FLASK_APP": "app", "ASYNC_MODE": "threading"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert created.returncode == 0, created.stderr
        yield Site(url, "prof", log)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One real server for the browser tests, with one facilitator account."""
    with running_site(tmp_path_factory.mktemp("e2e-instance")) as running:
        yield running


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless Debian Chromium (Playwright's own browser download is not used)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("chromium is not installed")
    browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def fac(browser: Browser, site: Site) -> Iterator[Page]:
    """The facilitator's browser, signed in through the sign-in page."""
    page = sign_in(browser, site, width=1440, height=1000)
    yield page
    problems = [p for p in page.problems if "ERR_INTERNET_DISCONNECTED" not in p]  # type: ignore[attr-defined]
    page.context.close()
    assert problems == []
