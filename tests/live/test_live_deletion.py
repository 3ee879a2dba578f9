"""Deleting a session on one process closes its sockets on every process (Redis between them)."""

from __future__ import annotations

import re
import secrets

import pytest
import requests
import socketio

from tests.live.harness import PASSWORD, LiveClient
from tests.live.test_live_scale_out import spread_session_ids


def _signed_in(url: str, name: str) -> requests.Session:
    """A browser's cookie jar, signed in through the page."""
    browser = requests.Session()
    page = browser.get(f"{url}/signin", timeout=10).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    answer = browser.post(
        f"{url}/signin",
        data={"name": name, "password": PASSWORD, "csrf": csrf},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text[:200]
    return browser


def _delete(url: str, name: str, session: dict) -> None:
    """Sign in through the page and delete the session, as its owner does in a browser."""
    with _signed_in(url, name) as browser:
        review = browser.get(f"{url}/review/{session['id']}", timeout=10).text
        csrf = re.search(r'name="csrf" value="([^"]+)"', review).group(1)
        answer = browser.post(
            f"{url}/review/{session['id']}/delete",
            data={"csrf": csrf, "confirm_title": session["title"]},
            allow_redirects=False,
            timeout=10,
        )
        assert answer.status_code == 302, answer.text[:200]


def _sign_out(url: str, name: str) -> None:
    """Sign in through the page and press "Sign out everywhere"."""
    with _signed_in(url, name) as browser:
        console = browser.get(f"{url}/console", timeout=10).text
        csrf = re.search(r'name="csrf" value="([^"]+)"', console).group(1)
        answer = browser.post(
            f"{url}/signout", data={"csrf": csrf}, allow_redirects=False, timeout=10
        )
        assert answer.status_code == 302, answer.text[:200]


def _watch(client: LiveClient, signal: str) -> list[dict]:
    notices: list[dict] = []
    client.sio.on(signal, notices.append)
    return notices


def _two_processes(start_server, postgres_url, redis_url):  # type: ignore[no-untyped-def]
    settings = {
        "DATABASE_URL": postgres_url,
        "SOCKETIO_MESSAGE_QUEUE": redis_url,
        "SECRET_KEY": secrets.token_hex(32),
    }
    a = start_server(**settings)
    spread_session_ids(postgres_url)
    return a, start_server(**settings)


def test_deleting_a_session_closes_its_sockets_on_the_other_process(
    start_server, make_seminar, open_client, postgres_url, redis_url
):
    """With two processes on PostgreSQL and Redis: when the owner deletes a session on A, are
    the console and a player connected to B told `session_deleted` and disconnected by B, and
    is the player's reconnection refused (its seat went with the session)?"""
    a, b = _two_processes(start_server, postgres_url, redis_url)
    token = a.create_facilitator("Prof. Suzuki")
    seminar = make_seminar(a, token, players=0)
    seat = a.join(seminar.session["join_code"], "Aiko")
    fac_b = open_client(token, seminar.id, url=b.url, name="White Cell on B")
    player_b = open_client(seat["token"], url=b.url, name="Aiko on B")
    notices = {c.name: _watch(c, "session_deleted") for c in (fac_b, player_b)}

    _delete(a.url, "Prof. Suzuki", seminar.session)

    for client in (fac_b, player_b):
        client.wait(lambda c=client: notices[c.name], f"{client.name} hears session_deleted")
        assert notices[client.name][0]["code"] == "session_deleted"
        client.wait(lambda c=client: not c.sio.connected, f"{client.name} disconnected by B")
        assert client.drops  # the server closed it; python-socketio does not reconnect
    again = LiveClient(b.url, seat["token"], name="Aiko again")
    try:
        with pytest.raises(socketio.exceptions.ConnectionError):
            again.connect()
        assert again.connect_errors[0]["data"]["code"] == "bad_token"  # the seat is gone
    finally:
        again.disconnect()


def test_signing_out_closes_the_accounts_consoles_on_the_other_process(
    start_server, make_seminar, open_client, postgres_url, redis_url
):
    """With two processes: when a facilitator signs out on A, is their console on B told
    `signed_out` and disconnected, while a player's socket on B stays and a colleague's
    console on B still acts?"""
    a, b = _two_processes(start_server, postgres_url, redis_url)
    token = a.create_facilitator("Prof. Suzuki")
    colleague = a.create_facilitator("Dr Kim")
    seminar = make_seminar(a, token, players=0)
    theirs = make_seminar(a, colleague, players=0)
    seat = a.join(seminar.session["join_code"], "Aiko")
    console_b = open_client(token, seminar.id, url=b.url, name="Suzuki's console on B")
    player_b = open_client(seat["token"], url=b.url, name="Aiko on B")
    kim_b = open_client(colleague, theirs.id, url=b.url, name="Kim's console on B")
    notices = _watch(console_b, "signed_out")

    _sign_out(a.url, "Prof. Suzuki")

    console_b.wait(lambda: notices, "the console hears signed_out")
    assert notices[0]["code"] == "bad_token"
    console_b.wait(lambda: not console_b.sio.connected, "the console disconnected by B")
    assert player_b.sio.connected and kim_b.sio.connected
    assert kim_b.send("session.start")["ok"] is True
    again = LiveClient(b.url, token, session_id=seminar.id, name="console again")
    try:
        with pytest.raises(socketio.exceptions.ConnectionError):
            again.connect()
        assert again.connect_errors[0]["data"]["code"] == "bad_token"
    finally:
        again.disconnect()
