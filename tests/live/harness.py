"""Drive the real server from outside: a `serve.py` subprocess and real python-socketio clients.

Nothing here imports the application: the server is reached only through HTTP and Socket.IO, the
way a browser reaches it, so these tests see what users see (including transports, process
restarts and several server processes).
"""

from __future__ import annotations

import collections
import itertools
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import engineio
import psutil
import requests
import socketio

from tests import ports
from tests.contract import recorder as contract

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(5400, 5500)
PASSWORD = "correct horse battery"
PG_HOST = os.environ.get("LIVE_PG_HOST", "127.0.0.1")
WAIT = 30.0  # seconds any single expected thing may take on a loaded 2-core machine


def free_port() -> int:
    """A free port of this suite's range (5400-5499)."""
    return ports.free_port(PORTS)


def pg_connect(dbname: str) -> Any:
    """An autocommit connection to a database of the local PostgreSQL, as `postgres` or `root`
    (whichever this machine has); ConnectionError when neither can connect."""
    import psycopg2

    last: Exception | None = None
    for user in ("postgres", "root"):
        try:
            connection = psycopg2.connect(
                host=PG_HOST, port=5432, dbname=dbname, user=user, connect_timeout=3
            )
            connection.autocommit = True
            return connection
        except psycopg2.OperationalError as error:
            last = error
    raise ConnectionError(str(last))


def wait_until(predicate: Callable[[], Any], timeout: float = WAIT, what: str = "it") -> Any:
    """Poll `predicate` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.02)


class LiveServer:
    """One `serve.py` process on its own instance folder and port; restartable on both."""

    def __init__(self, instance: Path, port: int | None = None, **env: str) -> None:
        self.instance = instance
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "INSTANCE_PATH": str(instance),
            "PORT": str(self.port),
            "HOST": "127.0.0.1",
            "SCHEDULER_ENABLED": "1",
            "TICK_SECONDS": "0.2",
            "AUTO_DELAY_SECONDS": "0.5",
            "PYTHONUNBUFFERED": "1",
            "CHECK_EVENT_SHAPES": "1",  # every event the server makes matches its declaration
            **env,
        }
        self.env.pop("PUBLIC_URL", None)
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.fac_token = ""  # set by create_facilitator
        instance.mkdir(parents=True, exist_ok=True)

    @property
    def log(self) -> Path:
        return self.instance / f"server-{self.port}.log"

    def start(self, timeout: float = 30) -> LiveServer:
        """Start the process and return once it answers HTTP (within `timeout` seconds)."""
        self.starts += 1
        with self.log.open("ab") as log:
            log.write(f"\n--- start {self.starts} ---\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                [sys.executable, str(ROOT / "serve.py")],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until(self._answers, timeout, f"{self.url} to answer (log: {self.log})")
        listeners = self._listeners()
        if listeners != {self.pid}:
            # eventlet listens with SO_REUSEPORT: a second server on the port would silently
            # share its connections (and answer with another secret and database).
            self.kill()
            raise AssertionError(f"port {self.port} is also served by pids {listeners}")
        return self

    def _listeners(self) -> set[int | None]:
        return {
            c.pid
            for c in psutil.net_connections("tcp")
            if c.laddr and c.laddr.port == self.port and c.status == psutil.CONN_LISTEN
        }

    def _answers(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"server exited with {self.process.returncode}:\n{self.tail()}")
        try:
            return requests.get(self.url + "/", timeout=1).status_code < 500
        except requests.RequestException:
            return False

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Stop the process with `sig` (SIGKILL: no chance to clean up) and reap it."""
        if self.alive():
            assert self.process is not None
            self.process.send_signal(sig)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def restart(self, sig: int = signal.SIGKILL) -> LiveServer:
        """Kill the process and start a new one on the same instance folder, database and port."""
        self.kill(sig)
        return self.start()

    def flask(self, *args: str) -> str:
        """Run `flask <args>` against this server's instance folder and database."""
        env = self.env | {"FLASK_APP": "app", "ASYNC_MODE": "threading"}
        done = subprocess.run(
            [sys.executable, "-m", "flask", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def create_facilitator(self, name: str, password: str = PASSWORD) -> str:
        """Create a facilitator account with the CLI; return a facilitator token for it."""
        self.flask("facilitator", "create", name, "--password", password)
        self.fac_token = self.facilitator_token(name, password)
        return self.fac_token

    def facilitator_token(self, name: str, password: str = PASSWORD) -> str:
        answer = self.post("/api/facilitator/token", {"name": name, "password": password})
        return answer["token"]

    def post(self, path: str, body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = requests.post(self.url + path, json=body, headers=headers, timeout=10)
        answer = response.json()
        assert answer.get("ok"), answer
        return answer

    def new_session(self, token: str, title: str = "Live seminar") -> dict[str, Any]:
        answer = self.post("/api/sessions", {"scenario": "trilateral-2023", "title": title}, token)
        return answer["session"]

    def join(self, code: str, name: str) -> dict[str, Any]:
        return self.post("/api/join", {"code": code, "name": name})


class _ClosingEngineIOClient(engineio.Client):
    """python-engineio 4.x leaves the websocket (and the polling HTTP session) of a connection
    the server dropped to the garbage collector; close them, so a killed server does not turn
    into ResourceWarnings (errors in this suite).

    It also hands each message to a thread of its own, so two events sent in order could be
    recorded out of order (seen twice in CI as seq 13 before 12). A browser handles them one by
    one on its single thread: here they wait in an inbox that one thread at a time drains, in
    arrival order. Not on the reading thread itself: a server-side disconnect handled there would
    join that very thread.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._inbox: collections.deque[tuple[Any, ...]] = collections.deque()
        self._inbox_lock = threading.Lock()
        self._draining = False

    def _trigger_event(self, event: str, *args: Any, **kwargs: Any) -> Any:
        if event != "message" or not kwargs.get("run_async"):
            return super()._trigger_event(event, *args, **kwargs)
        with self._inbox_lock:
            self._inbox.append(args)
            if self._draining:
                return None
            self._draining = True
        return self.start_background_task(self._drain_inbox)

    def _drain_inbox(self) -> None:
        while True:
            with self._inbox_lock:
                if not self._inbox:
                    self._draining = False
                    return
                args = self._inbox.popleft()
            super()._trigger_event("message", *args, run_async=False)

    def _read_loop_websocket(self) -> None:
        ws = self.ws
        try:
            super()._read_loop_websocket()
        finally:
            if ws is not None:
                ws.shutdown()

    def _reset(self) -> None:
        if self.http is not None and not self.external_http:
            self.http.close()
        super()._reset()


class _Client(socketio.Client):
    def _engineio_client_class(self) -> type[engineio.Client]:
        return _ClosingEngineIOClient


class LiveClient:
    """A real Socket.IO client that records every `event` and `sync`, and tracks `last_seq`.

    Handlers run on python-socketio's own threads, so every record goes through one condition
    variable; tests wait on it with bounded polling rather than sleeping.
    """

    _ids = itertools.count(1)

    def __init__(
        self,
        url: str,
        token: str,
        session_id: int | None = None,
        transport: str = "websocket",
        last_seq: int = 0,
        name: str = "",
    ) -> None:
        self.url = url
        self.token = token
        self.session_id = session_id
        self.transport = transport
        self.name = name
        self.last_seq = last_seq
        self.events: list[dict[str, Any]] = []  # every `event` payload, in arrival order
        self.syncs: list[dict[str, Any]] = []  # every `sync` payload, in arrival order
        self.heard: list[dict[str, Any]] = []  # sync backlogs and live events, in arrival order
        self.connect_errors: list[Any] = []
        self.drops: list[Any] = []  # reasons python-socketio gave for each lost connection
        self.viewer: str | None = None  # facilitator | player | observer, from the last sync
        self._cond = threading.Condition()
        self.sio = _Client(
            reconnection=True,
            reconnection_delay=0.2,
            reconnection_delay_max=1,
            randomization_factor=0.2,
        )
        self.sio.on("event", self._on_event)
        self.sio.on("sync", self._on_sync)
        self.sio.on("connect_error", self._on_connect_error)
        self.sio.on("disconnect", self._on_disconnect)
        self.sio.on("*", self._on_other)  # presence, seat codes...: checked against the spec

    def _auth(self) -> dict[str, Any]:
        # Called by python-socketio on every (re)connection: always the freshest last_seq.
        auth: dict[str, Any] = {"token": self.token, "last_seq": self.last_seq}
        if self.session_id is not None:
            auth["session_id"] = self.session_id
        return auth

    def _on_event(self, payload: dict[str, Any]) -> None:
        contract.observe_event(payload, self.viewer)
        with self._cond:
            self.events.append(payload)
            self.heard.append(payload)
            self.last_seq = max(self.last_seq, payload["seq"])
            self._cond.notify_all()

    def _on_sync(self, payload: dict[str, Any]) -> None:
        self.viewer = contract.observe_sync(payload)
        with self._cond:
            self.syncs.append(payload)
            self.heard.extend(payload["events"])
            for event in payload["events"]:
                self.last_seq = max(self.last_seq, event["seq"])
            self._cond.notify_all()

    def _on_connect_error(self, data: Any) -> None:
        if isinstance(data, dict) and "data" in data:  # the server's refusal: {message, data}
            contract.observe_connect_error(data["data"])
        with self._cond:
            self.connect_errors.append(data)
            self._cond.notify_all()

    def _on_other(self, name: str, payload: Any = None, *_rest: Any) -> None:
        contract.observe_signal(name, payload)

    def _on_disconnect(self, reason: Any = None) -> None:
        with self._cond:
            self.drops.append(reason)
            self._cond.notify_all()

    def connect(self) -> LiveClient:
        """Connect and return once the server's `sync` has arrived."""
        before = len(self.syncs)
        self.sio.connect(
            self.url, auth=self._auth, transports=[self.transport], wait_timeout=WAIT, retry=False
        )
        self.wait(lambda: len(self.syncs) > before, "the sync after connecting")
        return self

    def disconnect(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()
        self.sio.shutdown()

    def call(self, payload: Any, timeout: float = 10) -> dict[str, Any]:
        """Send a raw `command` payload and return the server's acknowledgement."""
        answer = self.sio.call("command", payload, timeout=timeout)
        contract.observe_ack(answer, payload)
        return answer

    def send(self, type_: str, command_id: str | None = None, **fields: Any) -> dict[str, Any]:
        """Send a well-formed command with a fresh id and return the acknowledgement."""
        prefix = re.sub(r"[^A-Za-z0-9]+", "-", self.name).strip("-") or "c"
        command_id = command_id or f"{prefix}-{next(self._ids)}-{uuid.uuid4().hex[:8]}"
        return self.call({"id": command_id, "type": type_, **fields})

    def wait(self, predicate: Callable[[], Any], what: str, timeout: float = WAIT) -> Any:
        """Wait (bounded) until `predicate()` is truthy; it is evaluated under the record lock."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{self.name or 'client'}: timed out waiting for {what}")
                self._cond.wait(min(left, 0.2))

    def wait_event(
        self, type_: str, where: Callable[[dict[str, Any]], bool] = lambda e: True
    ) -> dict[str, Any]:
        """The first received event of `type_` matching `where` (waiting for it if needed)."""

        def found() -> dict[str, Any] | None:
            return next((e for e in self.events if e["type"] == type_ and where(e)), None)

        return self.wait(found, f"a {type_} event")

    def wait_resynced(self, syncs_before: int) -> dict[str, Any]:
        """Wait until the client is connected again and has a sync newer than `syncs_before`;
        return the first such sync (python-socketio reconnects by itself)."""
        self.wait(
            lambda: self.sio.connected and len(self.syncs) > syncs_before, "its own reconnection"
        )
        return self.syncs[syncs_before]

    def wait_seq(self, seq: int) -> None:
        self.wait(lambda: self.last_seq >= seq, f"seq {seq}")

    def received(self, type_: str | None = None) -> list[dict[str, Any]]:
        """Everything heard so far (live events and sync backlogs), in arrival order."""
        with self._cond:
            return [e for e in self.heard if type_ is None or e["type"] == type_]

    def texts(self) -> list[str]:
        return [e["data"]["text"] for e in self.received("message_posted")]


def snapshot(url: str, token: str, session_id: int | None = None) -> dict[str, Any]:
    """The `sync` a brand-new connection with last_seq 0 gets: the whole visible history."""
    client = LiveClient(url, token, session_id, name="snapshot").connect()
    try:
        return client.syncs[-1]
    finally:
        client.disconnect()
