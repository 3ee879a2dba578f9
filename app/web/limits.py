"""Per-address limits on the HTTP endpoints a stranger can call: joining, observing, signing in
and getting a facilitator token. A refusal is HTTP 429 with Retry-After and a JSON error."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from app.security.ratelimit import limiter, rate, retry_after

SLOW_DOWN = "Too many attempts from your network; try again in {n} s."


def too_many(seconds: float, message: str = SLOW_DOWN) -> Any:
    """The 429 answer: `{ok: false, error: {code: "rate_limited", message, retry_after}}`."""
    wait = retry_after(seconds)
    body = {
        "ok": False,
        "error": {"code": "rate_limited", "message": message.format(n=wait), "retry_after": wait},
    }
    response = jsonify(body)
    response.status_code = 429
    response.headers["Retry-After"] = str(wait)
    return response


def address() -> str:
    return request.remote_addr or "-"


def code_lookup_wait() -> float:
    """Seconds before this address may try a join or observer code (0: now).

    Every attempt spends from RATE_LIMIT_JOIN (a whole class joins at once); a wrong code also
    spends from RATE_LIMIT_CODE_GUESSES, which is what makes guessing codes impractical.
    """
    guesses = limiter("code_guesses").wait(address(), rate("RATE_LIMIT_CODE_GUESSES"))
    if guesses > 0:
        return guesses
    return limiter("join").take(address(), rate("RATE_LIMIT_JOIN"))


def wrong_code() -> None:
    limiter("code_guesses").spend(address(), rate("RATE_LIMIT_CODE_GUESSES"))
