"""Socket.IO fixtures on top of `tests/conftest.py`: a table with an observer, a probe for
refused connections, and a look at the rows of the event log."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask_socketio.test_client import SocketIOTestClient
from socketio import packet
from sqlalchemy import func, select

from app.extensions import db, socketio
from app.store.models import Event


class RefusalProbe(SocketIOTestClient):
    """A test client that keeps the `connect_error` payload (the stock one drops it)."""

    refusal: Any = None

    def connect(self, namespace=None, query_string=None, headers=None, auth=None):  # type: ignore[no-untyped-def]
        send = self.socketio.server._send_packet

        def spy(eio_sid: str, pkt: Any) -> None:
            if pkt.packet_type == packet.CONNECT_ERROR:
                self.refusal = pkt.data
            send(eio_sid, pkt)

        self.socketio.server._send_packet = spy
        try:
            super().connect(namespace, query_string, headers, auth)
        finally:
            self.socketio.server._send_packet = send


@pytest.fixture
def refused(app: Flask) -> Any:
    """Try to connect with an auth dict; returns the connect_error payload (None: accepted)."""
    clients = []

    def attempt(auth: dict[str, Any]) -> Any:
        client = RefusalProbe(app, socketio, auth=auth)
        clients.append(client)
        if client.is_connected():
            return None
        return client.refusal

    yield attempt
    for client in clients:
        if client.is_connected():
            client.disconnect()


def event_rows(session_id: int, kind: str | None = None) -> list[tuple[int, str]]:
    """The (seq, type) rows of the session's event log, in order."""
    query = select(Event.seq, Event.type).where(Event.session_id == session_id)
    if kind is not None:
        query = query.where(Event.type == kind)
    db.session.rollback()  # read what is committed now, not a stale snapshot
    return [(seq, type_) for seq, type_ in db.session.execute(query.order_by(Event.seq))]


def row_count(session_id: int) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).where(Event.session_id == session_id))


def syncs_of(client: Any) -> list[dict[str, Any]]:
    """The `sync` payloads a test client has received (and clears everything received)."""
    return [item["args"][0] for item in client.get_received() if item["name"] == "sync"]


@pytest.fixture
def observer(table: Any, app: Flask, connect: Any) -> Any:
    """An observer connected to the table's session (through POST /api/observe)."""
    answer = app.test_client().post("/api/observe", json={"code": table.game.observer_code})
    client = connect(answer.get_json()["token"])
    client.get_received()
    return client


@pytest.fixture
def tokens() -> dict[int, str]:
    """Every seat token handed out in this test, by player id."""
    return {}


@pytest.fixture
def join(join: Any, tokens: dict[int, str]) -> Any:
    """`tests/conftest.py`'s join, keeping each seat token (the `table` fixture drops them)."""

    def make(code: str, name: Any) -> dict[str, Any]:
        answer = join(code, name)
        if answer.get("ok"):
            tokens[answer["player"]["id"]] = answer["token"]
        return answer

    return make


@pytest.fixture
def seat_token(table: Any, tokens: dict[int, str]) -> Any:
    """The seat token of the table's player in a delegation."""
    return lambda code: tokens[table.seats[code]["id"]]
