"""Sign-in throttling: a per-address budget of attempts, and a growing wait per account after
repeated wrong passwords. Applies to the sign-in form and the token endpoint alike."""

from __future__ import annotations

import threading
import time

from flask import current_app

from app.security.ratelimit import limiter, rate

MAX_ACCOUNTS = 10_000


class _Backoff:
    """Consecutive failures per account and the moment the next attempt is allowed."""

    def __init__(self) -> None:
        self.failures: dict[str, tuple[int, float]] = {}  # name -> (failures, not before)
        self.lock = threading.Lock()


def _backoff() -> _Backoff:
    found = current_app.extensions.get("signin_backoff")
    return (
        found
        if found is not None
        else current_app.extensions.setdefault("signin_backoff", _Backoff())
    )


def _account(name: str) -> str:
    return name.strip().casefold()


def signin_wait(name: str, address: str | None) -> float:
    """Seconds before this address may try this account (0: now). Spends an attempt."""
    account = _backoff()
    with account.lock:
        _failures, not_before = account.failures.get(_account(name), (0, 0.0))
    account_wait = max(0.0, not_before - time.monotonic())
    if account_wait > 0:
        return account_wait
    return limiter("signin").take(address or "-", rate("RATE_LIMIT_SIGNIN"))


def signin_result(name: str, ok: bool) -> None:
    """Record an attempt's outcome: a success clears the account's backoff, a failure grows it.

    The first SIGNIN_FREE_FAILURES wrong passwords in a row cost nothing; each further one
    doubles the wait before the next attempt (SIGNIN_FIRST_BACKOFF, then twice that, ...), up
    to SIGNIN_MAX_BACKOFF seconds.
    """
    account = _backoff()
    key = _account(name)
    with account.lock:
        if ok:
            account.failures.pop(key, None)
            return
        failures = account.failures.get(key, (0, 0.0))[0] + 1
        over = failures - current_app.config["SIGNIN_FREE_FAILURES"]
        first = current_app.config["SIGNIN_FIRST_BACKOFF"]
        wait = 0.0 if over <= 0 else first * 2.0 ** (over - 1)
        wait = min(wait, current_app.config["SIGNIN_MAX_BACKOFF"])
        now = time.monotonic()
        account.failures[key] = (failures, now + wait)
        if len(account.failures) > MAX_ACCOUNTS:
            # Names are whatever callers type: forget the ones whose wait is over.
            for stale in [k for k, (_n, until) in account.failures.items() if until < now]:
                del account.failures[stale]
