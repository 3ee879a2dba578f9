"""The client side of the fan-out benchmark: many `socketio.AsyncClient`s on one asyncio loop,
and probes that time when a marked event reaches each of them.

One loop rather than a thread per client: python-socketio's threaded `Client` runs two or three
threads per connection, and a thousand connections would then measure the GIL, not the server.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import resource
import time
import uuid
from typing import Any

import socketio

MARK = "bench-"
MARK_LEN = len(MARK) + 12
_ids = itertools.count(1)


def new_mark() -> str:
    """A marker placed at the start of a title or text, so each receipt names its probe."""
    return MARK + uuid.uuid4().hex[:12]


# One load generator is one network address acting far faster than any classroom: lift the
# per-address and per-connection limits (app/config.py) so that a bench measures the server, not
# its rate limiter. `bench/flood.py` keeps the defaults: there the limiter is under test.
BENCH_LIMITS = {
    "RATE_LIMIT_SOCKET_COMMANDS": "100000/1",
    "RATE_LIMIT_SEAT_COMMANDS": "100000/1",
    "RATE_LIMIT_SOCKET_HISTORY": "100000/1",
    "RATE_LIMIT_JOIN": "100000/1",
    "RATE_LIMIT_CODE_GUESSES": "100000/1",
    "RATE_LIMIT_SIGNIN": "100000/1",
    "MAX_CONNECTIONS_PER_ADDRESS": "100000",
}


def raise_fd_limit() -> tuple[int, int]:
    """Lift the soft open-files limit to the hard one (inherited by a server started after)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def percentiles(values: list[float]) -> dict[str, float]:
    """p50/p95/p99/max (nearest rank) of `values` in seconds, given in milliseconds; and n."""
    if not values:
        return {"n": 0} | dict.fromkeys(("p50", "p95", "p99", "max"), float("nan"))
    ordered = sorted(values)

    def rank(q: float) -> float:
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)] * 1000

    return {"n": len(ordered), "p50": rank(0.50), "p95": rank(0.95), "p99": rank(0.99),
            "max": ordered[-1] * 1000}  # fmt: skip


class Probe:
    """One marked event on its way to `expected` clients: when it was sent, when each got it."""

    def __init__(self, expected: int, exclude: int | None = None) -> None:
        self.expected = expected
        self.exclude = exclude  # the sender, who hears its own message too
        self.sent_at = 0.0
        self.acked_at = 0.0
        self.received: list[float] = []
        self.done = asyncio.Event()

    def hit(self, at: float, client: int) -> None:
        if client == self.exclude:
            return
        self.received.append(at)
        if len(self.received) >= self.expected:
            self.done.set()

    def latencies(self) -> list[float]:
        return [t - self.sent_at for t in self.received]


class Probes:
    """Every probe in flight, by marker; clients report receipts here."""

    def __init__(self) -> None:
        self.live: dict[str, Probe] = {}

    def open(self, mark: str, expected: int, exclude: int | None = None) -> Probe:
        probe = Probe(expected, exclude)
        self.live[mark] = probe
        return probe

    def hit(self, payload: dict[str, Any], at: float, client: int) -> None:
        data = payload.get("data") or {}
        if payload.get("type") == "inject_fired":
            text = (data.get("inject") or {}).get("title", "")
        elif payload.get("type") == "message_posted":
            text = data.get("text", "")
        else:
            return
        probe = self.live.get(text[:MARK_LEN]) if text.startswith(MARK) else None
        if probe is not None:
            probe.hit(at, client)


class BenchClient:
    """A player's or facilitator's connection that reports marked events to the probes."""

    def __init__(
        self,
        url: str,
        token: str,
        probes: Probes,
        session_id: int | None = None,
        transport: str = "websocket",
    ) -> None:
        self.url = url
        self.token = token
        self.session_id = session_id
        self.transport = transport
        self.probes = probes
        self.sync: dict[str, Any] | None = None
        self.synced = asyncio.Event()
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("event", self._on_event)
        self.sio.on("sync", self._on_sync)

    def reset(self) -> None:
        """A new connection object (for a reconnect after `close`)."""
        self.sync = None
        self.synced = asyncio.Event()
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("event", self._on_event)
        self.sio.on("sync", self._on_sync)

    def _on_event(self, payload: dict[str, Any]) -> None:
        self.probes.hit(payload, time.perf_counter(), id(self))

    def _on_sync(self, payload: dict[str, Any]) -> None:
        # Keep only what the benchmark reads: a sync with every seat is large.
        self.sync = {"session": payload["session"], "events": len(payload["events"])}
        self.synced.set()

    async def connect(self, last_seq: int = 0, timeout: float = 120) -> float:
        """Connect, wait for the sync, and return how long that took (seconds)."""
        auth: dict[str, Any] = {"token": self.token, "last_seq": last_seq}
        if self.session_id is not None:
            auth["session_id"] = self.session_id
        started = time.perf_counter()
        await self.sio.connect(
            self.url, auth=auth, transports=[self.transport], wait_timeout=timeout
        )
        await asyncio.wait_for(self.synced.wait(), timeout)
        return time.perf_counter() - started

    async def send(self, type_: str, **fields: Any) -> dict[str, Any]:
        command = {"id": f"b{next(_ids)}-{uuid.uuid4().hex[:8]}", "type": type_, **fields}
        ack = await self.sio.call("command", command, timeout=120)
        if not ack.get("ok"):
            raise RuntimeError(f"{type_} refused: {ack}")
        return ack

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()


async def gather_limited(coros: list[Any], limit: int) -> list[Any]:
    """Run coroutines with at most `limit` in flight (a thousand connects at once would mostly
    measure the listen backlog)."""
    gate = asyncio.Semaphore(limit)

    async def one(coro: Any) -> Any:
        async with gate:
            return await coro

    return await asyncio.gather(*(one(c) for c in coros))
