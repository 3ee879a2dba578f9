"""Two server processes on PostgreSQL + Redis count one set of budgets: code guesses, sign-in
backoff, a seat's commands and an address's open connections spread over both are limited as if
they reached one process."""

from __future__ import annotations

import secrets
import signal
import time
from collections.abc import Callable

import pytest
import requests
import socketio

from tests.live.harness import PASSWORD, LiveClient, LiveServer, wait_until

LEASE = 2.0  # seconds a connection's place is leased (CONNECTION_LEASE_SECONDS)


@pytest.fixture
def two_processes(
    start_server: Callable[..., LiveServer], postgres_url: str, redis_url: str
) -> tuple[LiveServer, LiveServer]:
    """Two processes of one deployment (a channel of their own: start_server) with small
    budgets."""
    settings = {
        "DATABASE_URL": postgres_url,
        "SOCKETIO_MESSAGE_QUEUE": redis_url,
        "SECRET_KEY": secrets.token_hex(32),
        "SCHEDULER_ENABLED": "0",
        "RATE_LIMIT_CODE_GUESSES": "4/600",
        "RATE_LIMIT_SEAT_COMMANDS": "6/600",
        "SIGNIN_FREE_FAILURES": "2",
        "SIGNIN_FIRST_BACKOFF": "600",
    }
    a = start_server(**settings)  # one after the other: each migrates at boot
    return a, start_server(**settings)


@pytest.fixture
def two_capped_processes(
    start_server: Callable[..., LiveServer], postgres_url: str, redis_url: str
) -> tuple[LiveServer, LiveServer]:
    """Two processes of one deployment that let an address open 3 connections, leased 2 s."""
    settings = {
        "DATABASE_URL": postgres_url,
        "SOCKETIO_MESSAGE_QUEUE": redis_url,
        "SECRET_KEY": secrets.token_hex(32),
        "SCHEDULER_ENABLED": "0",
        "MAX_CONNECTIONS_PER_ADDRESS": "3",
        "CONNECTION_LEASE_SECONDS": str(LEASE),
    }
    a = start_server(**settings)
    return a, start_server(**settings)


def _post(server: LiveServer, path: str, body: dict) -> requests.Response:
    return requests.post(server.url + path, json=body, timeout=10)


def _code(answer: requests.Response) -> str:
    return answer.json()["error"]["code"]


def test_wrong_codes_alternated_between_processes_spend_one_budget(two_processes) -> None:
    """Wrong join codes sent to A and B in turn: is the fifth refused `rate_limited` on both,
    after 4 guesses in total, not 4 on each?"""
    a, b = two_processes
    for n, guess in enumerate(("AAAAAA", "CCCCCC", "DDDDDD", "EEEEEE")):
        answer = _post((a, b)[n % 2], "/api/join", {"code": guess, "name": "x"})
        assert (answer.status_code, _code(answer)) == (404, "unknown_code")
    for server in (a, b):
        refused = _post(server, "/api/join", {"code": "FFFFFF", "name": "x"})
        assert (refused.status_code, _code(refused)) == (429, "rate_limited")
        assert int(refused.headers["Retry-After"]) >= 1


def test_wrong_passwords_on_both_processes_make_the_account_wait_on_both(two_processes) -> None:
    """Three wrong passwords, spread over A and B, with two free: must the account then wait
    on both processes, even with the right password?"""
    a, b = two_processes
    a.flask("facilitator", "create", "Prof. Park", "--password", PASSWORD)
    for server in (a, b, a):
        wrong = _post(server, "/api/facilitator/token", {"name": "Prof. Park", "password": "no"})
        assert wrong.status_code == 401
    for server in (b, a):
        right = _post(
            server, "/api/facilitator/token", {"name": "Prof. Park", "password": PASSWORD}
        )
        assert (right.status_code, _code(right)) == (429, "rate_limited")
        assert right.json()["error"]["retry_after"] >= 500


def test_a_seat_on_both_processes_has_one_command_budget(two_processes, open_client) -> None:
    """One player with a tab on A and a tab on B: do both tabs together get the seat's 6
    commands, not 6 each?"""
    a, b = two_processes
    token = a.create_facilitator("Prof. Kim")
    session = a.new_session(token)
    seat = a.join(session["join_code"], "Aiko")["token"]
    tabs = [open_client(seat, url=server.url, name=f"Aiko on {server.port}") for server in (a, b)]
    acks = [tabs[n % 2].send("message.post", channel="plenary", text=f"m{n}") for n in range(10)]
    assert sum(ack["ok"] for ack in acks) == 6
    assert {ack["error"]["code"] for ack in acks if not ack["ok"]} == {"rate_limited"}


def test_connections_spread_over_both_processes_share_one_cap(
    two_capped_processes, open_client
) -> None:
    """With a cap of 3: are connections spread over A and B refused `too_many_connections` at
    the fourth in total, on both; does a closed one free a place; are the places of B, killed
    with SIGKILL, free again once their leases end, while A's open ones still count?"""
    a, b = two_capped_processes
    token = a.create_facilitator("Prof. Lee")
    session_id = a.new_session(token)["id"]

    def open_on(server: LiveServer) -> LiveClient | None:
        try:
            return open_client(token, session_id, url=server.url, name=f"tab on {server.port}")
        except socketio.exceptions.ConnectionError:
            return None

    def refusal(server: LiveServer) -> str:
        client = LiveClient(server.url, token, session_id, name="one too many")
        try:
            with pytest.raises(socketio.exceptions.ConnectionError):
                client.connect()
            return client.connect_errors[0]["data"]["code"]
        finally:
            client.disconnect()

    first, *others = open_on(a), open_on(b), open_on(a)
    assert first is not None and None not in others
    assert refusal(b) == refusal(a) == "too_many_connections"

    first.disconnect()
    wait_until(lambda: open_on(b), what="a place on B once A's connection closed")
    time.sleep(LEASE * 1.5)  # past the first leases: renewed, they still count
    assert refusal(a) == "too_many_connections"

    b.kill(signal.SIGKILL)  # its two connections stay counted in Redis until their leases end
    wait_until(lambda: open_on(a), what="B's places free again after their lease")
    assert open_on(a) is not None
    assert refusal(a) == "too_many_connections"  # A's two and the one reopened: 3
