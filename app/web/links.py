"""Absolute links the server hands out (share links): the public address, not the socket's."""

from __future__ import annotations

from flask import current_app, url_for


def external_url(endpoint: str, **values: object) -> str:
    """An absolute link to a page: under `PUBLIC_URL` when it is set, else from the request's
    scheme and host (which honour X-Forwarded-Proto/Host when `PROXY_FIX` is on)."""
    public = current_app.config["PUBLIC_URL"]
    if public:
        return public.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
