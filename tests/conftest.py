"""Shared fixtures: a fresh app on a temporary database, facilitators, sessions, seated players,
and Socket.IO test clients. Factories (`make_*`) sit beside ready-made instances."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade

from app import create_app
from app.config import Config
from app.extensions import db, socketio
from app.realtime import service
from app.store.accounts import create_facilitator
from app.store.scenarios import sync_bundled_scenarios
from tests.contract.plugin import contract_check, pytest_runtest_call  # noqa: F401 (contract)

ROOT = Path(__file__).resolve().parent.parent
_ids = itertools.count(1)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """A fresh application on its own SQLite file, migrated, with the bundled scenario loaded."""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = Config()
    config.ASYNC_MODE = "threading"
    config.TESTING = True
    config.SCHEDULER_ENABLED = False
    config.AUTO_DELAY_SECONDS = 0
    # Test clients send commands far faster than people; tests of the limits set their own.
    config.RATE_LIMIT_SOCKET_COMMANDS = "100000/1"
    config.RATE_LIMIT_SEAT_COMMANDS = "100000/1"
    application = create_app(config)
    with application.app_context():
        upgrade()
        sync_bundled_scenarios(Path(application.config["SCENARIO_DIR"]))
        service.forget_all()
        yield application
        db.session.remove()
        service.forget_all()


@pytest.fixture
def make_facilitator(app: Flask) -> Callable[..., Any]:
    def make(name: str | None = None, password: str = "correct horse battery") -> Any:
        return create_facilitator(name or f"facilitator-{next(_ids)}", password)

    return make


@pytest.fixture
def facilitator(make_facilitator: Callable[..., Any]) -> Any:
    return make_facilitator("Prof. Tanaka")


@pytest.fixture
def make_session(app: Flask, facilitator: Any) -> Callable[..., Any]:
    from app.realtime.sessions import create_session
    from app.store.scenarios import latest_scenarios

    def make(owner: Any = None, title: str = "Seminar") -> Any:
        scenario = next(s for s in latest_scenarios() if s.slug == "trilateral-2023")
        return create_session((owner or facilitator).id, scenario, title)

    return make


@pytest.fixture
def game(make_session: Callable[..., Any]) -> Any:
    return make_session()


@pytest.fixture
def fac_token(app: Flask, facilitator: Any) -> str:
    from app.realtime.identity import facilitator_token

    return facilitator_token(facilitator)


@pytest.fixture
def connect(app: Flask) -> Callable[..., Any]:
    """Open a Socket.IO test client with an auth dict; returns the client."""
    clients = []

    def make(token: str, session_id: int | None = None, last_seq: int = 0) -> Any:
        auth: dict[str, Any] = {"token": token, "last_seq": last_seq}
        if session_id is not None:
            auth["session_id"] = session_id
        client = socketio.test_client(app, auth=auth)
        clients.append(client)
        return client

    yield make
    for client in clients:
        if client.is_connected():
            client.disconnect()


@pytest.fixture
def join(app: Flask) -> Callable[..., dict[str, Any]]:
    """Join a session through the HTTP API; returns the JSON answer."""

    def make(code: str, name: str) -> dict[str, Any]:
        response = app.test_client().post("/api/join", json={"code": code, "name": name})
        return response.get_json() | {"status": response.status_code}

    return make


class Table:
    """A facilitator and one player per delegation, all connected: a seminar ready to play."""

    def __init__(self, game: Any, fac: Any, players: dict[str, Any], seats: dict[str, Any]):
        self.game = game
        self.fac = fac
        self.players = players
        self.seats = seats
        self._n = itertools.count(1)

    def send(self, client: Any, type_: str, **fields: Any) -> dict[str, Any]:
        return client.emit(
            "command", {"id": f"c{next(self._n)}", "type": type_, **fields}, callback=True
        )

    def fac_send(self, type_: str, **fields: Any) -> dict[str, Any]:
        return self.send(self.fac, type_, **fields)

    def as_(self, code: str, type_: str, **fields: Any) -> dict[str, Any]:
        return self.send(self.players[code], type_, **fields)


def events_of(client: Any, kind: str | None = None) -> list[dict[str, Any]]:
    """The `event` payloads a test client has received (and clears them)."""
    out = []
    for item in client.get_received():
        if item["name"] == "event":
            out.extend(a for a in item["args"] if kind is None or a["type"] == kind)
    return out


@pytest.fixture
def table(
    game: Any, fac_token: str, connect: Callable[..., Any], join: Callable[..., Any]
) -> Table:
    fac = connect(fac_token, session_id=game.id)
    players, seats = {}, {}
    for name in ("Aiko", "Min-jun", "Sam"):
        answer = join(game.join_code, name)
        code = answer["player"]["delegation"]
        players[code] = connect(answer["token"])
        seats[code] = answer["player"]
    for client in (fac, *players.values()):
        client.get_received()
    return Table(game, fac, players, seats)
