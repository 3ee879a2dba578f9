"""The same server under every async mode the entry point offers: eventlet (the default, used by
the other live tests), gevent and threading."""

from __future__ import annotations

import pytest

from tests.live.test_live_errors import OPENING


@pytest.mark.parametrize("mode", ["gevent", "threading"])
def test_a_seminar_runs_under_each_async_mode(start_server, make_seminar, mode):
    """Under gevent and threading, does a seminar join, start, get its opening inject and talk?"""
    server = start_server(ASYNC_MODE=mode)
    token = server.create_facilitator(f"Prof. {mode}")
    seminar = make_seminar(server, token, players=3)
    assert {s.client.transport for s in seminar.seats} == {"websocket", "polling"}

    ack = seminar.fac.send("session.start")
    assert ack["ok"], ack
    for seat in seminar.seats:
        seat.client.wait_event("session_started")
        seat.client.wait_event("inject_fired", lambda e: e["data"]["inject"]["id"] in OPENING)

    ack = seminar.lead("KOR").send("message.post", channel="plenary", text=f"hello from {mode}")
    assert ack["ok"], ack
    for client in [seminar.fac, *(s.client for s in seminar.seats)]:
        client.wait_seq(ack["seq"])
        assert f"hello from {mode}" in client.texts()
