"""Sign-in throttling: a per-address budget of attempts, and a growing wait per account after
repeated wrong passwords. Applies to the sign-in form and the token endpoint alike."""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import current_app

from app.security.ratelimit import limiter, rate
from app.security.shared_limits import SharedBackoff, shared_store

MAX_ACCOUNTS = 10_000
# How long Redis remembers an account's wrong passwords after the last one's wait is over: long
# enough that waiting out one backoff does not buy the free failures again.
FAILURES_KEPT_SECONDS = 24 * 3600


class Backoff:
    """Wrong passwords in a row per account, and when the last one was, in this process."""

    def __init__(self) -> None:
        self.failures: dict[str, tuple[int, float]] = {}  # account -> (failures, at the last)
        self.lock = threading.Lock()

    def record(self, account: str) -> tuple[int, float]:
        """Wrong passwords in a row, and the seconds since the last one."""
        with self.lock:
            failures, at = self.failures.get(account, (0, 0.0))
        return failures, (time.monotonic() - at if failures else 0.0)

    def failed(self, account: str, remember: float) -> None:
        """Count one more wrong password (`remember` is for Redis: memory keeps it until
        MAX_ACCOUNTS names are known, then forgets those whose wait is over)."""
        now = time.monotonic()
        with self.lock:
            failures = self.failures.get(account, (0, 0.0))[0] + 1
            self.failures[account] = (failures, now)
            if len(self.failures) > MAX_ACCOUNTS:
                # Names are whatever callers type: forget the ones whose wait is over.
                for stale in [
                    k for k, (n, at) in self.failures.items() if at + backoff_seconds(n) < now
                ]:
                    del self.failures[stale]

    def cleared(self, account: str) -> None:
        with self.lock:
            self.failures.pop(account, None)


def _backoff() -> Any:
    """This app's Backoff, in Redis when limits are shared (shared_limits.py)."""
    found = current_app.extensions.get("signin_backoff")
    if found is None:
        store = shared_store(current_app)
        made = SharedBackoff(store, Backoff()) if store else Backoff()
        found = current_app.extensions.setdefault("signin_backoff", made)
    return found


def _account(name: str) -> str:
    return name.strip().casefold()


def backoff_seconds(failures: int) -> float:
    """The wait after `failures` wrong passwords in a row.

    The first SIGNIN_FREE_FAILURES cost nothing; each further one doubles the wait before the
    next attempt (SIGNIN_FIRST_BACKOFF, then twice that, ...), up to SIGNIN_MAX_BACKOFF seconds.
    """
    over = failures - current_app.config["SIGNIN_FREE_FAILURES"]
    wait = 0.0 if over <= 0 else current_app.config["SIGNIN_FIRST_BACKOFF"] * 2.0 ** (over - 1)
    return min(wait, current_app.config["SIGNIN_MAX_BACKOFF"])


def signin_wait(name: str, address: str | None) -> float:
    """Seconds before this address may try this account (0: now). Spends an attempt."""
    failures, since = _backoff().record(_account(name))
    account_wait = backoff_seconds(failures) - since
    if account_wait > 0:
        return account_wait
    return limiter("signin").take(address or "-", rate("RATE_LIMIT_SIGNIN"))


def signin_result(name: str, ok: bool) -> None:
    """Record an attempt's outcome: a success clears the account's backoff, a failure grows it
    (backoff_seconds)."""
    if ok:
        _backoff().cleared(_account(name))
        return
    remember = current_app.config["SIGNIN_MAX_BACKOFF"] + FAILURES_KEPT_SECONDS
    _backoff().failed(_account(name), remember)
