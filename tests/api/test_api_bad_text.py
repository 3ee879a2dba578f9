"""Text that is not Unicode never reaches the database through the JSON API."""

from __future__ import annotations

import pytest


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/facilitator/token", {"name": "Prof\ud800", "password": "x"}),
        ("/api/join", {"code": "ABCDEF", "name": "Aiko", "extra": ["\udfff"]}),
        ("/api/observe", {"code": "ABC\ud800"}),
        ("/api/sessions", {"scenario": "trilateral-2023", "title": "Week \ud800"}),
        ("/api/sessions/1/facilitators", {"name": "\ud800"}),
    ],
)
def test_a_lone_surrogate_in_a_body_is_a_bad_field(app, fac_token, path, body):
    """Is a JSON body holding a lone surrogate anywhere refused as bad_field (400), rather
    than failing with a 500 when the database cannot encode it?"""
    answer = app.test_client().post(path, json=body, headers=_auth(fac_token))
    assert answer.status_code == 400
    assert answer.get_json()["error"]["code"] == "bad_field"


def test_a_session_title_is_checked_like_any_text(app, fac_token):
    """Is a session title NFC-normalised, and one of invisible characters refused?"""
    client = app.test_client()
    made = client.post(
        "/api/sessions",
        json={"scenario": "trilateral-2023", "title": "Cafe\u0301 seminar"},
        headers=_auth(fac_token),
    ).get_json()
    assert made["session"]["title"] == "Caf\u00e9 seminar"
    refused = client.post(
        "/api/sessions",
        json={"scenario": "trilateral-2023", "title": "\u200b\u200b"},
        headers=_auth(fac_token),
    )
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "bad_field"
