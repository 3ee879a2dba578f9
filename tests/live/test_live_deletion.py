"""Deleting a session on one process closes its sockets on every process (Redis between them)."""

from __future__ import annotations

import re
import secrets

import requests

from tests.live.harness import PASSWORD, LiveClient
from tests.live.test_live_scale_out import spread_session_ids


def _delete(url: str, name: str, session: dict) -> None:
    """Sign in through the page and delete the session, as its owner does in a browser."""
    with requests.Session() as browser:
        page = browser.get(f"{url}/signin", timeout=10).text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        browser.post(
            f"{url}/signin",
            data={"name": name, "password": PASSWORD, "csrf": csrf},
            timeout=10,
        )
        review = browser.get(f"{url}/review/{session['id']}", timeout=10).text
        csrf = re.search(r'name="csrf" value="([^"]+)"', review).group(1)
        answer = browser.post(
            f"{url}/review/{session['id']}/delete",
            data={"csrf": csrf, "confirm_title": session["title"]},
            allow_redirects=False,
            timeout=10,
        )
        assert answer.status_code == 302, answer.text[:200]


def _watch_notices(client: LiveClient) -> list[dict]:
    notices: list[dict] = []

    def heard(data: dict) -> None:
        notices.append(data)

    client.sio.on("session_deleted", heard)
    return notices


def test_deleting_a_session_closes_its_sockets_on_the_other_process(
    start_server, make_seminar, open_client, postgres_url, redis_url
):
    """With two processes on PostgreSQL and Redis: when the owner deletes a session on A, do
    the console and a player connected to B hear `session_deleted`, hear nothing of the
    session afterwards, and have their commands refused?"""
    settings = {
        "DATABASE_URL": postgres_url,
        "SOCKETIO_MESSAGE_QUEUE": redis_url,
        "SECRET_KEY": secrets.token_hex(32),
    }
    a = start_server(**settings)
    spread_session_ids(postgres_url)
    b = start_server(**settings)
    token = a.create_facilitator("Prof. Suzuki")
    seminar = make_seminar(a, token, players=0)
    seat = a.join(seminar.session["join_code"], "Aiko")
    fac_b = open_client(token, seminar.id, url=b.url, name="White Cell on B")
    player_b = open_client(seat["token"], url=b.url, name="Aiko on B")
    notices = {c.name: _watch_notices(c) for c in (fac_b, player_b)}

    _delete(a.url, "Prof. Suzuki", seminar.session)

    for client in (fac_b, player_b):
        client.wait(lambda c=client: notices[c.name], f"{client.name} hears session_deleted")
        assert notices[client.name][0]["code"] == "session_deleted"
    heard_before = len(player_b.events)
    ack = fac_b.send("session.start")
    assert ack["ok"] is False and ack["error"]["code"] == "session_deleted"
    ack = player_b.send("message.post", channel="plenary", text="still here?")
    assert ack["ok"] is False and ack["error"]["code"] == "session_deleted"
    assert len(player_b.events) == heard_before
