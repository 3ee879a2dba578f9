"""In a real browser: a played session's review page shows its metrics, charts, timeline,
transcripts and replay (a real `serve.py` process, driven over HTTP and Socket.IO)."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from tests import ports

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(5300, 5400)
PASSWORD = "correct horse battery"
# Screenshots go to the test's folder; UPDATE_SCREENSHOTS=1 writes docs/screenshots instead.
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian chromium")


def _free_port() -> int:
    return ports.free_port(PORTS)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A serve.py process with one facilitator account; yields its base URL."""
    port = _free_port()
    env = {
        **os.environ,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "SCHEDULER_ENABLED": "0",
        "PYTHONUNBUFFERED": "1",
        "FLASK_APP": "app",
    }
    for setting in ("DATABASE_URL", "SOCKETIO_MESSAGE_QUEUE"):  # one process, its own SQLite
        env.pop(setting, None)
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "serve.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(url + "/signin", timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError("the server did not start") from None
                time.sleep(0.1)
        subprocess.run(
            [sys.executable, "-m", "flask", "facilitator", "create", "Prof. Ito", "--password",
             PASSWORD],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )  # fmt: skip
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def _wait(predicate: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _play(url: str) -> int:
    """Play a short seminar through the public API and Socket.IO; returns the session id."""
    token = requests.post(
        url + "/api/facilitator/token", json={"name": "Prof. Ito", "password": PASSWORD}
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    session = requests.post(
        url + "/api/sessions",
        json={"scenario": "trilateral-2023", "title": "Tuesday seminar"},
        headers=headers,
    ).json()["session"]
    clients: dict[str, Any] = {}  # the first player of each delegation
    everyone: list[Any] = []
    fac = socketio.Client()
    fac.connect(url, auth={"token": token, "session_id": session["id"]}, wait_timeout=10)
    for name in ("Haruka", "Ji-woo", "Taylor", "Kenji", "Seo-yeon", "Morgan"):
        seat = requests.post(url + "/api/join", json={"code": session["join_code"], "name": name})
        seat = seat.json()
        client = socketio.Client()
        client.connect(url, auth={"token": seat["token"]}, wait_timeout=10)
        everyone.append(client)
        clients.setdefault(seat["player"]["delegation"], client)
    ids = itertools.count(1)

    def send(client: Any, kind: str, **fields: Any) -> None:
        ack = client.call("command", {"id": f"b{next(ids)}", "type": kind, **fields}, timeout=10)
        assert ack["ok"], (kind, ack)

    jpn, kor, usa = clients["JPN"], clients["KOR"], clients["USA"]
    send(fac, "session.start")
    send(fac, "inject.fire", inject_id="nk-vice-ministers-tokyo")
    send(jpn, "message.post", channel="plenary", text="Shall we agree a package now?")
    send(kor, "message.post", channel="JPN-KOR", text="Seoul wants the UN route first.")
    send(usa, "message.post", channel="USA", text="Let us back Tokyo's draft.")
    send(jpn, "proposal.table", inject_id="nk-vice-ministers-tokyo",
         text="Agree the principles privately.", options=["vm-ambiguity"])  # fmt: skip
    send(kor, "proposal.amend", proposal_id=1, text="Agree the principles and go to the UN.",
         options=["vm-ambiguity", "vm-un-first"])  # fmt: skip
    send(usa, "proposal.reject", proposal_id=1, version=2, reason="Too slow")
    send(jpn, "proposal.amend", proposal_id=1, text="Agree and publish a trilateral package.",
         options=["vm-response-package"])  # fmt: skip
    for client in (jpn, kor, usa):
        send(client, "proposal.endorse", proposal_id=1, version=3)
    send(fac, "session.pause")
    send(fac, "session.resume")
    send(fac, "inject.fire", inject_id="usa-intel-test-readiness")
    send(fac, "deadline.close", inject_id="usa-intel-test-readiness")
    send(kor, "statement.issue", inject_id="nk-vice-ministers-tokyo", text="Seoul goes to the UN.",
         options=["vm-un-first"])  # fmt: skip
    send(fac, "indicator.override", indicator="cohesion", value=62, ruling="Summit mood")
    send(fac, "session.end")
    # Every client, not only the ones that played: an open socket left to the garbage collector
    # fails whichever test runs when it is collected (ResourceWarning).
    for client in (fac, *everyone):
        client.disconnect()
    return session["id"]


def test_the_review_of_a_played_session_shows_its_charts(server: str, tmp_path: Path) -> None:
    """Does a facilitator's browser show the review with all charts drawn, and replay it?"""
    session_id = _play(server)
    # Playwright's sync API refuses to run where an event loop already runs (another suite's
    # session-wide browser may hold one in this thread), so the browser is driven from its own.
    failure: list[BaseException] = []

    def drive() -> None:
        try:
            _browse(server, session_id, tmp_path)
        except BaseException as error:  # handed back to the test's thread below
            failure.append(error)

    worker = threading.Thread(target=drive)
    worker.start()
    worker.join()
    if failure:
        raise failure[0]


def _browse(server: str, session_id: int, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{server}/review/{session_id}")
            page.fill("#name", "Prof. Ito")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"**/review/{session_id}")
            charts = page.locator("img[data-chart]")
            assert charts.count() == 5
            for n in range(5):
                charts.nth(n).scroll_into_view_if_needed()
            # (wait_for_function would eval a string, which the page's CSP rightly forbids)
            for n in range(5):
                _wait(lambda n=n: charts.nth(n).evaluate("i => i.complete && i.naturalWidth > 100"))
            page.wait_for_selector("#timeline-list li.rv-tl")
            page.wait_for_selector("#transcript-list li.rv-msg")
            page.wait_for_selector("#proposal-list details.rv-proposal")
            page.wait_for_selector("#replay-state .rv-replay-box")
            page.click("#proposal-list details.rv-proposal summary")
            assert "publish a trilateral package" in page.inner_text("#proposal-list")
            assert "Too slow" in page.inner_text("#proposal-list")
            page.fill("#transcript-filters input[name=q]", "UN route")
            expect(page.locator("#transcript-list li")).to_have_count(1)
            page.locator("#replay-seq").fill("12")
            expect(page.locator("#replay-label")).to_have_text(re.compile(r"^event 12 "))
            page.wait_for_selector("#replay-event:has-text('inject fired')")
            assert not errors, errors
            folder = DOCS_SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path
            folder.mkdir(parents=True, exist_ok=True)
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(folder / "review.png"))
            page.locator("#charts").scroll_into_view_if_needed()
            page.screenshot(path=str(folder / "review-charts.png"))
        finally:
            browser.close()
