"""Rate limits shared by server processes through Redis: budgets spent on one process count on
the others, buckets behave as in memory and expire when idle, and an unreachable Redis leaves
each process counting its own instead of failing requests."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask
from flask_migrate import upgrade

from app import create_app
from app.config import Config
from app.realtime.limits import command_refusal
from app.security import shared_limits
from app.security.ratelimit import Limiter, Rate, limiter
from app.security.shared_limits import store_url
from app.store.accounts import create_facilitator
from app.store.scenarios import sync_bundled_scenarios
from tests import ports
from tests.web.test_web_ratelimits import _refused

REDIS_URL = os.environ.get("LIVE_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "correct horse battery"
WRONG = {"name": "Prof. Tanaka", "password": "nope"}
RIGHT = {"name": "Prof. Tanaka", "password": PASSWORD}
PORTS = range(5600, 5700)  # redis-servers of these tests (other suites: tests/ports.py)


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis at {REDIS_URL} is unreachable: {error}")
    yield client
    client.close()


@pytest.fixture
def channel(redis_client: redis.Redis) -> Iterator[str]:
    """A channel of its own, so keys of its own on the shared Redis; deleted after the test."""
    name = f"test-limits-{uuid.uuid4().hex[:12]}"
    yield name
    keys = list(redis_client.scan_iter(f"{name}:*"))
    if keys:
        redis_client.delete(*keys)


@pytest.fixture
def make_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, channel: str
) -> Iterator[Callable[..., Flask]]:
    """Apps standing for the server processes of one deployment: one database (a SQLite file
    they all use), one Redis for limits, one channel."""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    apps: list[Flask] = []

    def make(**settings: Any) -> Flask:
        config = Config()
        config.ASYNC_MODE = "threading"
        config.TESTING = True
        config.SCHEDULER_ENABLED = False
        config.LIMITS_STORE = REDIS_URL
        config.SOCKETIO_CHANNEL = channel
        for name, value in settings.items():
            setattr(config, name, value)
        app = create_app(config)
        with app.app_context():
            upgrade()
            if not apps:
                sync_bundled_scenarios(Path(app.config["SCENARIO_DIR"]))
                create_facilitator("Prof. Tanaka", PASSWORD)
        apps.append(app)
        return app

    yield make
    for app in apps:
        store = app.extensions.get("limits_store")
        if store:
            store.close()


@pytest.fixture
def two(make_process: Callable[..., Flask]) -> tuple[Any, Any]:
    """Test clients of two processes of one deployment."""
    return make_process().test_client(), make_process().test_client()


def _apps(*clients: Any) -> list[Flask]:
    return [client.application for client in clients]


def _set(clients: tuple[Any, ...], **settings: Any) -> None:
    for app in _apps(*clients):
        app.config.update(settings)


def test_wrong_codes_on_two_processes_spend_one_budget(two) -> None:
    """Guesses alternated between two processes: is the guesser refused after the budget in
    total, on both, and not after twice it?"""
    _set(two, RATE_LIMIT_CODE_GUESSES="4/600")
    for n, guess in enumerate(("AAAAAA", "CCCCCC", "DDDDDD", "EEEEEE")):
        answer = two[n % 2].post("/api/join", json={"code": guess, "name": "x"})
        assert answer.status_code == 404
    for process in two:
        _refused(process.post("/api/observe", json={"code": "FFFFFF"}))


def test_join_attempts_on_two_processes_spend_one_budget(two) -> None:
    """Is the join budget of an address counted once for the whole deployment?"""
    _set(two, RATE_LIMIT_JOIN="3/600")
    for n in range(3):
        answer = two[n % 2].post("/api/observe", json={"code": "AAAAAA"})
        assert answer.status_code == 404
    _refused(two[1].post("/api/observe", json={"code": "AAAAAA"}))


def test_sign_in_attempts_on_two_processes_spend_one_budget(two) -> None:
    """Are token-endpoint attempts of an address counted across processes?"""
    _set(two, RATE_LIMIT_SIGNIN="3/600")
    for n in range(3):
        assert two[n % 2].post("/api/facilitator/token", json={"name": "x"}).status_code == 401
    _refused(two[1].post("/api/facilitator/token", json=RIGHT))


def test_wrong_passwords_on_one_process_make_the_account_wait_on_another(two) -> None:
    """After free wrong passwords spread over two processes, must the account wait on both,
    even with the right password?"""
    _set(two, SIGNIN_FREE_FAILURES=2, SIGNIN_FIRST_BACKOFF=600)
    for n in range(3):
        assert two[n % 2].post("/api/facilitator/token", json=WRONG).status_code == 401
    for process in two:
        assert _refused(process.post("/api/facilitator/token", json=RIGHT))["retry_after"] >= 500


def test_a_right_password_on_one_process_clears_the_count_on_the_other(two) -> None:
    """Does a successful sign-in on one process forget the wrong passwords made on another?"""
    _set(two, SIGNIN_FREE_FAILURES=2, SIGNIN_FIRST_BACKOFF=600)
    for _ in range(2):
        assert two[0].post("/api/facilitator/token", json=WRONG).status_code == 401
    assert two[1].post("/api/facilitator/token", json=RIGHT).status_code == 200
    for _ in range(2):
        assert two[0].post("/api/facilitator/token", json=WRONG).status_code == 401
    assert two[0].post("/api/facilitator/token", json=RIGHT).status_code == 200


def test_a_seat_on_two_processes_has_one_command_budget(two) -> None:
    """Two sockets of one seat on two processes: do they share the seat's budget, while each
    socket's own budget stays on its process?"""
    _set(two, RATE_LIMIT_SEAT_COMMANDS="6/600", RATE_LIMIT_SOCKET_COMMANDS="100/600")
    answers = []
    for app, sid in zip(_apps(*two), ("sid-on-a", "sid-on-b"), strict=True):
        with app.app_context():
            answers += [command_refusal(sid, "7:p:1") for _ in range(4)]
    assert sum(answer is None for answer in answers) == 6
    assert {a["error"]["code"] for a in answers if a is not None} == {"rate_limited"}


def test_a_shared_bucket_refills_like_one_in_memory(make_process) -> None:
    """Over a burst, does a bucket in Redis announce the same wait as one in memory, and let
    the next attempt through once that wait is over?"""
    app, rate = make_process(), Rate.parse("2/1")
    memory = Limiter()
    with app.app_context():
        shared = limiter("join")
        waits = [(shared.take("a", rate), memory.take("a", rate)) for _ in range(3)]
        assert waits[:2] == [(0.0, 0.0), (0.0, 0.0)]
        # Half a second for the next token, less what passed since the first take.
        assert waits[2][0] == pytest.approx(waits[2][1], abs=0.1)
        assert 0.25 < waits[2][0] <= 0.5
        time.sleep(waits[2][0] + 0.02)
        assert shared.take("a", rate) == 0.0


def test_idle_buckets_vanish_from_redis(make_process, redis_client, channel) -> None:
    """Once a bucket would be full again, is its key gone from Redis?"""
    app = make_process()
    with app.app_context():
        limiter("join").take("203.0.113.9", Rate.parse("1/1"))
    assert list(redis_client.scan_iter(f"{channel}:*"))
    time.sleep(2.2)  # 1 s to refill, then the key's 1 s of slack
    assert not list(redis_client.scan_iter(f"{channel}:*"))


@pytest.fixture
def without_redis(make_process: Callable[..., Flask]) -> Flask:
    """A process whose Redis for limits is a port where nothing listens."""
    return make_process(LIMITS_STORE="redis://127.0.0.1:1/0")


def test_unreachable_redis_leaves_each_process_counting_its_own(without_redis, caplog) -> None:
    """With nothing listening where Redis should be, are requests still answered, limited by
    this process's own buckets, and is the outage logged once, not per request?"""
    app = without_redis
    app.config.update(RATE_LIMIT_CODE_GUESSES="2/600", SIGNIN_FREE_FAILURES=1)
    client = app.test_client()
    with caplog.at_level(logging.WARNING, logger="app.security.shared_limits"):
        for guess in ("AAAAAA", "CCCCCC"):
            assert client.post("/api/join", json={"code": guess, "name": "x"}).status_code == 404
        _refused(client.post("/api/join", json={"code": "DDDDDD", "name": "x"}))
        for _ in range(2):
            assert client.post("/api/facilitator/token", json=WRONG).status_code == 401
        _refused(client.post("/api/facilitator/token", json=RIGHT))
    outages = [r for r in caplog.records if "counting them in this process" in r.getMessage()]
    assert len(outages) == 1


class RedisServer:
    """A `redis-server` of this test's own, to stop and start again (no persistence)."""

    def __init__(self) -> None:
        self.port = ports.free_port(PORTS)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> RedisServer:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        self.process = subprocess.Popen(
            [*command, "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL
        )
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        client.close()
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture
def restartable_redis() -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def two_on_restartable_redis(make_process, restartable_redis) -> tuple[Any, Any]:
    """Test clients of two processes whose Redis for limits can be stopped and started."""
    settings = {"LIMITS_STORE": restartable_redis.url, "RATE_LIMIT_CODE_GUESSES": "2/600"}
    return make_process(**settings).test_client(), make_process(**settings).test_client()


def test_a_process_shares_counts_again_once_redis_is_back(
    two_on_restartable_redis, restartable_redis, monkeypatch, caplog
) -> None:
    """A process that counted in memory while Redis was down: once Redis answers again, do its
    guesses count with the other process's again (and the log says so once)?"""
    monkeypatch.setattr(shared_limits, "RETRY_SECONDS", 0.0)
    a, b = two_on_restartable_redis
    with caplog.at_level(logging.WARNING, logger="app.security.shared_limits"):
        restartable_redis.stop()
        assert a.post("/api/join", json={"code": "AAAAAA", "name": "x"}).status_code == 404
        restartable_redis.start()  # empty: what was counted before is gone
        assert a.post("/api/join", json={"code": "CCCCCC", "name": "x"}).status_code == 404
        assert b.post("/api/join", json={"code": "DDDDDD", "name": "x"}).status_code == 404
        _refused(b.post("/api/join", json={"code": "EEEEEE", "name": "x"}))
    said = [r.getMessage() for r in caplog.records]
    assert sum("counting them in this process" in line for line in said) == 1
    assert sum("answers again" in line for line in said) == 1


@pytest.mark.parametrize(
    "store, queue, shared",
    [
        ("", None, None),
        ("", "redis://10.0.0.5:6379/0", "redis://10.0.0.5:6379/0"),
        ("", "rediss://cache:6380/1", "rediss://cache:6380/1"),
        ("", "amqp://guest@rabbit//", None),
        ("memory", "redis://10.0.0.5:6379/0", None),
        ("redis://10.0.0.6:6379/2", "amqp://guest@rabbit//", "redis://10.0.0.6:6379/2"),
    ],
)
def test_limits_are_shared_through_the_queues_redis_unless_told(store, queue, shared) -> None:
    """Which Redis, if any, holds the shared limits for each setting of LIMITS_STORE and the
    message queue (none: one process, as before)?"""
    assert store_url({"LIMITS_STORE": store, "SOCKETIO_MESSAGE_QUEUE": queue}) == shared


@pytest.mark.parametrize("store", ["redis:/127.0.0.1", "redis://cache:63 79/0", "yes"])
def test_a_mistyped_limits_store_stops_the_start(monkeypatch, tmp_path, store) -> None:
    """Is a LIMITS_STORE that is neither a Redis URL nor `memory` refused at start?"""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("LIMITS_STORE", store)
    with pytest.raises(ValueError, match="LIMITS_STORE"):
        Config()
