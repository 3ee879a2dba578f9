"""Facilitator credentials: weak passwords refused, sign-out ends every cookie and token, short
bearer tokens renewed with the cookie."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from app.realtime.identity import facilitator_token

PASSWORD = "correct horse battery"


def _csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def _signed_in(app: Any) -> Any:
    client = app.test_client()
    page = client.get("/signin").get_data(as_text=True)
    response = client.post(
        "/signin", data={"name": "Prof. Tanaka", "password": PASSWORD, "csrf": _csrf(page)}
    )
    assert response.status_code == 302
    return client


def _sign_out(client: Any) -> Any:
    page = client.get("/console").get_data(as_text=True)
    return client.post("/signout", data={"csrf": _csrf(page)})


@pytest.mark.parametrize(
    "password",
    [
        "password123",
        "Password1!",
        "seminar2024",
        "12345678",
        "aaaaaaaaaa",
        "20241231",
        "P@ssw0rd",
        "p@$$w0rd!",
        "L3tm31n!2024",
        "correct horse battery staple",
    ],
)
def test_the_cli_refuses_common_passwords(app, password: str) -> None:
    """Does `flask facilitator create` refuse a common or trivial password with a plain line?"""
    result = app.test_cli_runner().invoke(
        args=["facilitator", "create", "Dr Kim", "--password", password]
    )
    assert result.exit_code == 1
    assert "too common" in result.output and "Traceback" not in result.output


def test_the_cli_refuses_a_password_made_of_the_name(app) -> None:
    """Is `Dr Kim 2024` refused for the account `Dr Kim`?"""
    result = app.test_cli_runner().invoke(
        args=["facilitator", "create", "Dr Kim", "--password", "Dr Kim 2024"]
    )
    assert result.exit_code == 1 and "name" in result.output


def test_the_setup_page_refuses_a_common_password(app) -> None:
    """Does the one-time setup page refuse `password1` and keep its link usable?"""
    from app.store.accounts import issue_setup_token

    token = issue_setup_token()
    client = app.test_client()
    page = client.get(f"/setup?token={token}").get_data(as_text=True)
    form = {"token": token, "name": "First", "password": "password1", "csrf": _csrf(page)}
    response = client.post("/setup", data=form)
    assert response.status_code == 400
    assert "too common" in response.get_data(as_text=True)
    assert client.post("/setup", data=form | {"password": "amber tide lantern"}).status_code == 302


def test_a_saved_cookie_stops_working_after_sign_out(app, facilitator) -> None:
    """Does a copy of the cookie taken before sign-out no longer open the console?"""
    client = _signed_in(app)
    saved = client.get_cookie("session").value
    assert _sign_out(client).status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", saved)
    response = thief.get("/console")
    assert response.status_code == 302 and "/signin" in response.headers["Location"]


def test_sign_out_ends_every_bearer_token(app, facilitator, game) -> None:
    """Does a console token issued before sign-out stop opening the API and the socket?"""
    client = _signed_in(app)
    token = facilitator_token(facilitator)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/sessions", headers=headers).status_code == 200
    _sign_out(client)
    assert app.test_client().get("/api/sessions", headers=headers).status_code == 401


def test_sign_out_ends_an_open_console_socket(app, facilitator, game, connect) -> None:
    """Is a console socket opened before sign-out closed, and can the old token no longer
    connect?"""
    token = facilitator_token(facilitator)
    socket = connect(token, session_id=game.id)
    _sign_out(_signed_in(app))
    assert not socket.is_connected()
    assert not connect(token, session_id=game.id).is_connected()


def test_a_console_the_sign_out_could_not_reach_cannot_act(app, facilitator, game, connect):
    """A socket the sign-out could not close (`flask facilitator password` run as another
    process with no message queue, which only changes the database): is its next command
    refused `bad_token`?"""
    from app.store.accounts import revoke_credentials

    socket = connect(facilitator_token(facilitator), session_id=game.id)
    revoke_credentials(facilitator.id)  # what the other process does
    ack = socket.emit("command", {"id": "c1", "type": "session.start"}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "bad_token"


def test_a_new_password_ends_every_sign_in(app, facilitator) -> None:
    """Does `flask facilitator password` end existing cookies and tokens?"""
    client = _signed_in(app)
    headers = {"Authorization": f"Bearer {facilitator_token(facilitator)}"}
    result = app.test_cli_runner().invoke(
        args=["facilitator", "password", "Prof. Tanaka", "--password", "amber tide lantern"]
    )
    assert result.exit_code == 0, result.output
    assert client.get("/console").status_code == 302
    assert app.test_client().get("/api/sessions", headers=headers).status_code == 401
    fresh = app.test_client().post(
        "/api/facilitator/token", json={"name": "Prof. Tanaka", "password": "amber tide lantern"}
    )
    assert fresh.status_code == 200


def test_bearer_tokens_expire_after_the_configured_lifetime(app, facilitator) -> None:
    """Is a token older than FACILITATOR_TOKEN_MINUTES refused?"""

    class TwoHoursAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 2 * 3600

    serializer = URLSafeTimedSerializer(
        app.config["SECRET_KEY"], salt="facilitator", signer=TwoHoursAgo
    )
    hours_old = "f." + serializer.dumps({"f": facilitator.id, "v": facilitator.auth_version})
    recent = facilitator_token(facilitator)
    assert (
        app.test_client()
        .get("/api/sessions", headers={"Authorization": f"Bearer {recent}"})
        .status_code
        == 200
    )
    response = app.test_client().get(
        "/api/sessions", headers={"Authorization": f"Bearer {hours_old}"}
    )
    assert response.status_code == 401


def test_the_console_renews_its_token_with_the_cookie(app, facilitator) -> None:
    """Does the renewal endpoint give a signed-in browser a fresh working token, and refuse a
    signed-out one or a request without the custom header?"""
    client = _signed_in(app)
    headers = {"X-Requested-With": "fetch"}
    answer = client.post("/api/facilitator/token/renew", headers=headers).get_json()
    assert answer["ok"] and answer["expires_in"] == 3600
    fresh = {"Authorization": f"Bearer {answer['token']}"}
    assert app.test_client().get("/api/sessions", headers=fresh).status_code == 200
    assert client.post("/api/facilitator/token/renew").status_code == 400
    _sign_out(client)
    assert client.post("/api/facilitator/token/renew", headers=headers).status_code == 401
