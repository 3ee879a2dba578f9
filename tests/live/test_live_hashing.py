"""Password hashing does not stall the server: while a sign-in's Argon2 hash runs, other clients
are answered (eventlet and gevent both run every client on one OS thread)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
import requests

from tests.live.harness import LiveServer

# About a second per hash on a quiet 2-core machine instead of ~60 ms (much more when loaded).
SLOW_HASH = {"PASSWORD_HASH_TIME_COST": "40"}


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_other_clients_are_answered_while_a_password_is_hashed(
    start_server: Callable[..., LiveServer], mode: str
) -> None:
    """With a deliberately slow hash, is a page asked for after a sign-in started answered before
    that sign-in is? (An unknown name is hashed too, so that it takes as long as a known one.)"""
    server = start_server(ASYNC_MODE=mode, **SLOW_HASH)
    order: list[str] = []

    def sign_in() -> None:
        requests.post(
            server.url + "/api/facilitator/token",
            json={"name": "Nobody", "password": "wrong password"},
            timeout=120,
        )
        order.append("sign-in")

    signing = threading.Thread(target=sign_in)
    signing.start()
    time.sleep(0.3)  # the sign-in reaches its hash (which then takes a second or more)
    assert requests.get(server.url + "/join", timeout=120).status_code == 200
    order.append("page")
    signing.join()
    assert order == ["page", "sign-in"]
