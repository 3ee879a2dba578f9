"""The share link a facilitator copies must work where students open it: under `PUBLIC_URL`, or,
behind a reverse proxy that terminates TLS, with the proxy's scheme and host (opt-in PROXY_FIX)."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from app import create_app
from app.config import Config
from tests.review.conftest import sign_in

LINK = re.compile(r"(\S+/review/\d+\?share=[A-Za-z0-9_-]+)")
PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "wargame.example.edu"}


def share_link(client: Any, game_id: int, headers: dict[str, str] | None = None) -> str:
    client.post(f"/review/{game_id}/share", data={"csrf": "test-csrf"}, headers=headers or {})
    page = client.get(f"/review/{game_id}", headers=headers or {}).get_data(as_text=True)
    return LINK.search(page).group(1)


def test_the_share_link_uses_public_url(app: Flask, facilitator: Any, game: Any) -> None:
    """With PUBLIC_URL set, does the share link start with it, whatever the request's host?"""
    app.config["PUBLIC_URL"] = "https://sim.example.org/"
    link = share_link(sign_in(app.test_client(), facilitator), game.id)
    assert link.startswith(f"https://sim.example.org/review/{game.id}?share=")


def test_forwarded_headers_count_only_when_proxy_fix_is_on(
    app: Flask, facilitator: Any, game: Any
) -> None:
    """Are X-Forwarded-Proto/Host ignored by default (anyone can send them)?"""
    link = share_link(sign_in(app.test_client(), facilitator), game.id, PROXY)
    assert link.startswith("http://localhost/review/")


def test_behind_a_proxy_the_share_link_is_https(app: Flask, facilitator: Any, game: Any) -> None:
    """With PROXY_FIX=1, does the link carry the proxy's https scheme and public host?"""
    config = Config()
    config.ASYNC_MODE = "threading"
    config.TESTING = True
    config.SCHEDULER_ENABLED = False
    proxied = create_app(
        config, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], PROXY_FIX=1
    )
    link = share_link(sign_in(proxied.test_client(), facilitator), game.id, PROXY)
    assert link.startswith(f"https://wargame.example.edu/review/{game.id}?share=")
