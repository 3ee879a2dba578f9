"""Fixtures for live-server tests: a real `serve.py` process (restartable), a facilitator made with
the CLI, and seminars of real python-socketio clients. Everything started here is stopped here."""

from __future__ import annotations

import os
import signal
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.live.harness import PG_HOST, LiveClient, LiveServer, pg_connect

REDIS_URL = os.environ.get("LIVE_REDIS_URL", "redis://127.0.0.1:6379/0")
NAMES = ["Aiko", "Min-jun", "Sam", "Haruto", "Ji-woo", "Alex", "Yui", "Seo-yeon", "Jordan"]


@dataclass
class Seat:
    """A joined player: the seat token, the seat as /api/join answered it, and its client."""

    token: str
    player: dict[str, Any]
    client: LiveClient

    @property
    def delegation(self) -> str:
        return self.player["delegation"]


@dataclass
class Seminar:
    """One session on a live server: its facilitator's client and its seated players."""

    server: LiveServer
    fac_token: str
    session: dict[str, Any]
    fac: LiveClient
    open_client: Callable[..., LiveClient]
    seats: list[Seat] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.session["id"]

    def join(self, name: str, transport: str = "websocket") -> Seat:
        """Join through HTTP, as a browser does, then connect the seat's client."""
        answer = self.server.join(self.session["join_code"], name)
        client = self.open_client(answer["token"], transport=transport, name=name)
        seat = Seat(answer["token"], answer["player"], client)
        self.seats.append(seat)
        return seat

    def of(self, code: str) -> list[Seat]:
        """The seats of one delegation, in joining order (the first is its lead)."""
        return [s for s in self.seats if s.delegation == code]

    def lead(self, code: str) -> LiveClient:
        return self.of(code)[0].client

    def head_seq(self) -> int:
        """The session's last seq, as a brand-new facilitator connection is told it."""
        client = self.open_client(self.fac_token, self.id, name="head")
        try:
            return client.syncs[-1]["session"]["head_seq"]
        finally:
            client.disconnect()

    def history(self) -> list[dict[str, Any]]:
        """Every event of the session, from a fresh facilitator connection with last_seq 0."""
        client = self.open_client(self.fac_token, self.id, name="history")
        try:
            return client.syncs[-1]["events"]
        finally:
            client.disconnect()


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Start extra servers (own instance folder unless given, any settings); all killed after.

    The servers of one test share a message-queue channel of their own: on a Redis shared with
    other tests, their rooms and rate limits (kept in Redis, under the channel) are theirs alone.
    """
    servers: list[LiveServer] = []
    channel = f"live-{uuid.uuid4().hex[:12]}"

    def start(instance: Path | None = None, timeout: float = 30, **env: str) -> LiveServer:
        folder = instance or tmp_path / f"instance-{len(servers)}"
        server = LiveServer(folder, **({"SOCKETIO_CHANNEL": channel} | env))
        servers.append(server)  # before starting: a server that fails to answer is still killed
        return server.start(timeout)

    yield start
    for server in servers:
        server.kill(signal.SIGTERM)
    if any(server.env.get("SOCKETIO_MESSAGE_QUEUE") for server in servers):
        _forget_channel(channel)


def _forget_channel(channel: str) -> None:
    """Delete the rate-limit keys of a channel (they would expire by themselves)."""
    import redis

    try:
        with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3) as client:
            keys = list(client.scan_iter(f"{channel}:*"))
            if keys:
                client.delete(*keys)
    except redis.RedisError:
        pass


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One eventlet server shared by the tests that do not stop it (each uses its own session)."""
    server = LiveServer(tmp_path_factory.mktemp("live"))
    try:
        server.start().create_facilitator("Prof. Tanaka")
        yield server
    finally:
        server.kill(signal.SIGTERM)


@pytest.fixture
def open_client() -> Iterator[Callable[..., LiveClient]]:
    """Connect real Socket.IO clients; every one is disconnected after the test."""
    clients: list[LiveClient] = []

    def open_(
        token: str,
        session_id: int | None = None,
        transport: str = "websocket",
        name: str = "",
        last_seq: int = 0,
        url: str | None = None,
    ) -> LiveClient:
        assert url is not None
        client = LiveClient(url, token, session_id, transport, last_seq, name)
        clients.append(client)
        return client.connect()

    yield open_
    # In parallel: a websocket client waits up to 3 s for the server's close frame (gevent's
    # websocket server does not send one at once).
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(LiveClient.disconnect, clients))


@pytest.fixture
def make_seminar(
    open_client: Callable[..., LiveClient],
) -> Callable[..., Seminar]:
    """A session on `server` with its facilitator connected and `players` seated and connected.

    Players alternate between the websocket and the polling transport, so both are exercised.
    """

    def make(server: LiveServer, fac_token: str, players: int = 3) -> Seminar:
        session = server.new_session(fac_token)

        def opener(*args: Any, **kwargs: Any) -> LiveClient:
            return open_client(*args, url=server.url, **kwargs)

        fac = opener(fac_token, session["id"], name="White Cell")
        seminar = Seminar(server, fac_token, session, fac, opener)
        for n in range(players):
            seminar.join(NAMES[n], "websocket" if n % 2 == 0 else "polling")
        return seminar

    return make


@pytest.fixture
def seminar(live_server: LiveServer, make_seminar: Callable[..., Seminar]) -> Seminar:
    """Six players (two per delegation; the first of each leads) on the shared server."""
    return make_seminar(live_server, live_server.fac_token, players=6)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A database of its own on the local PostgreSQL (made on the `test` database's server and
    dropped after); skips only when PostgreSQL cannot be reached at all."""
    try:
        admin = pg_connect("test")
    except ConnectionError as error:
        pytest.skip(f"PostgreSQL on {PG_HOST}:5432 is unreachable: {error}")
    name = f"live_{uuid.uuid4().hex[:12]}"
    user = admin.info.user
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg2://{user}@{PG_HOST}:5432/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def redis_url() -> str:
    """The Redis used as the Socket.IO message queue; skips only when it cannot be reached."""
    import redis

    try:
        with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3) as client:
            client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis at {REDIS_URL} is unreachable: {error}")
    return REDIS_URL
