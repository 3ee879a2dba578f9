"""HTTP errors raised outside the API's own code answer the codes docs/protocol.md lists."""

from __future__ import annotations

from typing import Any


def test_an_oversized_body_is_too_large(app: Any) -> None:
    """Is a request body over MAX_CONTENT_LENGTH answered 413 `too_large` (as documented), not
    werkzeug's `request_entity_too_large`?"""
    big = {"code": "ABCDEF", "name": "x" * (2 * 1024 * 1024)}
    answer = app.test_client().post("/api/join", json=big)
    assert answer.status_code == 413
    assert answer.get_json()["error"]["code"] == "too_large"


def test_an_unknown_route_and_method_answer_their_names(app: Any) -> None:
    """Are a route the API does not have and a method it does not take `not_found` (404) and
    `method_not_allowed` (405), as JSON?"""
    client = app.test_client()
    missing = client.get("/api/no-such-call")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    wrong = client.put("/api/join")
    assert wrong.status_code == 405
    assert wrong.get_json()["error"]["code"] == "method_not_allowed"
