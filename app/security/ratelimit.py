"""Token-bucket rate limits.

A limit is written `"N/S"`: a bucket of N tokens that refills at N/S tokens per second, so a
burst of N is allowed at once and N per S seconds on average. Each (limit, key) pair (a socket,
a seat, an address) has its own bucket. Buckets live in this process's memory, except that with
a Redis for limits (several processes: shared_limits.py) the SHARED ones are kept there, so that
spreading requests over processes does not multiply a budget (docs/architecture.md, "Threat
model").
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from flask import Flask, current_app

from app.security.shared_limits import SharedLimiter, shared_store

MAX_BUCKETS = 50_000  # per limiter; idle (full) buckets are dropped beyond this
# Limits keyed by something every process sees alike (an address, a seat). Per-socket limits stay
# in memory: a socket lives on one process.
SHARED = frozenset({"join", "code_guesses", "signin", "seat_commands"})


@dataclass(frozen=True)
class Rate:
    """A bucket of `burst` tokens refilled at `burst / seconds` per second."""

    burst: float
    seconds: float

    @classmethod
    def parse(cls, text: str) -> Rate:
        burst, _, seconds = str(text).partition("/")
        rate = cls(float(burst), float(seconds or 1))
        if rate.burst < 1 or rate.seconds <= 0:
            raise ValueError(f"a rate limit is 'N/S' with N >= 1 and S > 0, not {text!r}")
        return rate

    @property
    def per_second(self) -> float:
        return self.burst / self.seconds


class Limiter:
    """Buckets of one limit, keyed by who is being limited. Thread- and green-thread-safe."""

    def __init__(self) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)
        self._lock = threading.Lock()

    def _level(self, key: str, rate: Rate, now: float) -> float:
        tokens, at = self._buckets.get(key, (rate.burst, now))
        return min(rate.burst, tokens + (now - at) * rate.per_second)

    def wait(self, key: str, rate: Rate) -> float:
        """Seconds until `key` may act (0: now), without spending anything."""
        with self._lock:
            level = self._level(key, rate, time.monotonic())
        return 0.0 if level >= 1 else (1 - level) / rate.per_second

    def take(self, key: str, rate: Rate) -> float:
        """Spend one token if there is one: 0 when allowed, else the seconds to wait."""
        now = time.monotonic()
        with self._lock:
            level = self._level(key, rate, now)
            if level < 1:
                return (1 - level) / rate.per_second
            self._buckets[key] = (level - 1, now)
            if len(self._buckets) > MAX_BUCKETS:
                self._prune(rate, now)
        return 0.0

    def spend(self, key: str, rate: Rate) -> None:
        """Spend one token even if that leaves the bucket below zero (a failure already made)."""
        now = time.monotonic()
        with self._lock:
            level = self._level(key, rate, now)
            self._buckets[key] = (max(level - 1, -rate.burst), now)

    def forget(self, key: str) -> None:
        with self._lock:
            self._buckets.pop(key, None)

    def _prune(self, rate: Rate, now: float) -> None:
        full = [k for k in self._buckets if self._level(k, rate, now) >= rate.burst]
        for key in full:
            del self._buckets[key]


def limiter(name: str, app: Flask | None = None) -> Limiter | SharedLimiter:
    """This app's limiter called `name` (each app, so each test, starts with full buckets)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    limiters: dict[str, Limiter | SharedLimiter] = app.extensions.setdefault("rate_limits", {})
    found = limiters.get(name)
    if found is None:
        store = shared_store(app) if name in SHARED else None
        made = SharedLimiter(store, name, Limiter()) if store else Limiter()
        found = limiters.setdefault(name, made)
    return found


def rate(setting: str) -> Rate:
    """The rate of a `RATE_LIMIT_*` setting of the current app."""
    return Rate.parse(current_app.config[setting])


def retry_after(seconds: float) -> int:
    """Whole seconds to announce in Retry-After (at least 1)."""
    return max(1, math.ceil(seconds))
