"""The run command starts a real server that serves the landing page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_starts_and_serves_the_landing_page(tmp_path: Path) -> None:
    """Does `python serve.py` (what `make run` runs) print its URL and serve the landing page?"""
    port = _free_port()
    env = os.environ | {"INSTANCE_PATH": str(tmp_path), "PORT": str(port), "ASYNC_MODE": "eventlet"}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "serve.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        page, deadline = "", time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                page = urlopen(f"http://127.0.0.1:{port}/", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.2)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert "Crisis Simulation" in page, output
    assert f"http://127.0.0.1:{port}" in output
    assert "/setup?token=" in output  # the one-time sign-in for the first facilitator
    assert "trilateral-2023" in output
    assert (tmp_path / "seminar.db").exists()
