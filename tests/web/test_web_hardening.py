"""Small HTTP hardening: no open redirect after sign-in, no 500 for deeply nested JSON, headers
that keep pages out of frames and caches."""

from __future__ import annotations

import logging
import re

import pytest


def _csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def _sign_in(client, next_: str):  # type: ignore[no-untyped-def]
    page = client.get("/signin").get_data(as_text=True)
    return client.post(
        "/signin?next=" + next_,
        data={"name": "Prof. Tanaka", "password": "correct horse battery", "csrf": _csrf(page)},
    )


@pytest.mark.parametrize(
    "next_",
    [
        "/%09/evil.example",
        "/%0a/evil.example",
        "/%5Cevil.example",
        "%5C%5Cevil.example",
        "//evil.example",
        "https://evil.example/",
        "/%20/evil.example",
        "javascript:alert(1)",
    ],
)
def test_sign_in_never_redirects_off_site(app, facilitator, next_: str) -> None:
    """Does a crafted `next` (tab, newline, backslash, scheme) land on the console instead?"""
    response = _sign_in(app.test_client(), next_)
    assert response.status_code == 302
    assert response.headers["Location"] == "/console"


def test_sign_in_still_returns_to_a_local_page(app, facilitator, game) -> None:
    """Does a plain same-site path in `next` still bring the facilitator back to it?"""
    response = _sign_in(app.test_client(), f"/review/{game.id}?anon=1")
    assert response.headers["Location"] == f"/review/{game.id}?anon=1"


def test_deeply_nested_json_is_a_400_with_one_log_line(app, caplog) -> None:
    """Is a JSON body nested 100,000 deep refused with a JSON error and one log line?"""
    body = "[" * 100_000 + "]" * 100_000
    with caplog.at_level(logging.WARNING):
        response = app.test_client().post(
            "/api/join", data=body, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "too_deep"
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == 1 and "nested" in records[0].getMessage()
    assert records[0].exc_info is None and "\n" not in records[0].getMessage()


def test_deeply_nested_json_inside_an_object_is_refused_on_every_api(app, fac_token) -> None:
    """Does the same body under a key fail cleanly on the token and session endpoints too?"""
    body = '{"name": ' + "{" * 0 + "[" * 50_000 + "]" * 50_000 + "}"
    client = app.test_client()
    for path in ("/api/facilitator/token", "/api/observe", "/api/sessions"):
        response = client.post(
            path,
            data=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {fac_token}"},
        )
        assert response.status_code == 400, path
        assert response.get_json()["error"]["code"] == "too_deep"


def _review_paths(game) -> list[str]:  # type: ignore[no-untyped-def]
    base = f"/review/{game.id}"
    return [
        base,
        f"{base}/report",
        f"{base}/export/json",
        f"{base}/export/csv",
        f"{base}/charts/indicators.svg",
        f"{base}/review.json",
        f"{base}/transcripts.json",
    ]


def _signed_in(app, facilitator):  # type: ignore[no-untyped-def]
    client = app.test_client()
    _sign_in(client, "/console")
    return client


def test_no_page_can_be_framed(app, facilitator, game) -> None:
    """Does every page, report, export and chart forbid framing (frame-ancestors 'none')?"""
    client = _signed_in(app, facilitator)
    paths = ["/join", "/signin", "/console", f"/console/{game.id}", *_review_paths(game)]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path


def test_pages_with_tokens_and_review_data_are_never_cached(app, facilitator, game) -> None:
    """Do token-carrying pages, token answers and review data say `Cache-Control: no-store`?"""
    client = _signed_in(app, facilitator)
    paths = ["/console", f"/console/{game.id}", f"/projector/{game.id}", *_review_paths(game)]
    for path in paths:
        assert client.get(path).headers.get("Cache-Control") == "no-store", path
    joined = client.post("/api/join", json={"code": game.join_code, "name": "Aiko"})
    assert joined.headers.get("Cache-Control") == "no-store"
    token = client.post(
        "/api/facilitator/token", json={"name": "Prof. Tanaka", "password": "correct horse battery"}
    )
    assert token.headers.get("Cache-Control") == "no-store"


def test_hsts_is_sent_only_when_configured(app) -> None:
    """Is Strict-Transport-Security off by default and sent once HSTS_SECONDS is set?"""
    assert "Strict-Transport-Security" not in app.test_client().get("/join").headers
    app.config["HSTS_SECONDS"] = 31536000
    header = app.test_client().get("/join").headers["Strict-Transport-Security"]
    assert header == "max-age=31536000; includeSubDomains"
