"""Facilitator accounts: the CLI, the one-time first sign-in, and the sign-in page."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.store.accounts import issue_setup_token
from app.store.models import Facilitator


def _csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_cli_creates_a_facilitator_with_a_hashed_password(app) -> None:
    """Does `flask facilitator create` store the account with an Argon2 hash, not the password?"""
    result = app.test_cli_runner().invoke(
        args=["facilitator", "create", "Dr Kim", "--password", "a-long-password"]
    )
    assert result.exit_code == 0, result.output
    row = db.session.scalar(select(Facilitator).where(Facilitator.name == "Dr Kim"))
    assert row.password_hash.startswith("$argon2")
    assert "a-long-password" not in row.password_hash


def test_cli_generates_a_password_when_asked(app) -> None:
    """Does `--generate` print a strong password once that then signs in?"""
    result = app.test_cli_runner().invoke(args=["facilitator", "create", "Ana", "--generate"])
    password = result.output.split("Password (shown once): ")[1].strip()
    assert len(password) >= 16
    answer = app.test_client().post(
        "/api/facilitator/token", json={"name": "Ana", "password": password}
    )
    assert answer.get_json()["ok"] is True


def test_cli_prompts_for_the_password(app) -> None:
    """Without --password, does the CLI ask for it (twice) and accept it?"""
    result = app.test_cli_runner().invoke(
        args=["facilitator", "create", "Lee"], input="prompted-pass\nprompted-pass\n"
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Facilitator).where(Facilitator.name == "Lee")) is not None


def test_cli_refuses_a_short_password_and_a_duplicate_name(app) -> None:
    """Are a short password and a taken name refused with a plain message?"""
    runner = app.test_cli_runner()
    short = runner.invoke(args=["facilitator", "create", "Bo", "--password", "short"])
    assert short.exit_code != 0 and "at least 8 characters" in short.output
    runner.invoke(args=["facilitator", "create", "Bo", "--password", "long-enough"])
    again = runner.invoke(args=["facilitator", "create", "Bo", "--password", "long-enough"])
    assert again.exit_code != 0 and "already exists" in again.output


def test_sign_in_page_signs_in_and_opens_the_console(app, facilitator) -> None:
    """Does the sign-in form with the right password lead to the console?"""
    client = app.test_client()
    page = client.get("/signin").get_data(as_text=True)
    response = client.post(
        "/signin",
        data={"name": "Prof. Tanaka", "password": "correct horse battery", "csrf": _csrf(page)},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/console")
    assert client.get("/console").status_code == 200


def test_sign_in_refuses_a_wrong_password(app, facilitator) -> None:
    """Does a wrong password get a clear message and no session?"""
    client = app.test_client()
    page = client.get("/signin").get_data(as_text=True)
    response = client.post(
        "/signin", data={"name": "Prof. Tanaka", "password": "wrong", "csrf": _csrf(page)}
    )
    assert response.status_code == 401
    assert "do not match" in response.get_data(as_text=True)
    assert client.get("/console").status_code == 302


def test_sign_in_form_without_csrf_token_is_refused(app, facilitator) -> None:
    """Is a sign-in POST without the form token refused?"""
    response = app.test_client().post(
        "/signin", data={"name": "Prof. Tanaka", "password": "correct horse battery"}
    )
    assert response.status_code == 400


def test_one_time_link_creates_the_first_facilitator_once(app) -> None:
    """Does the console-printed link create the first account, and then stop working?"""
    token = issue_setup_token()
    client = app.test_client()
    page = client.get(f"/setup?token={token}").get_data(as_text=True)
    response = client.post(
        "/setup",
        data={"token": token, "name": "First", "password": "first-password", "csrf": _csrf(page)},
    )
    assert response.status_code == 302
    assert client.get("/console").status_code == 200
    assert app.test_client().get(f"/setup?token={token}").status_code == 403


def test_a_wrong_one_time_token_is_refused(app) -> None:
    """Is a made-up setup token refused?"""
    issue_setup_token()
    assert app.test_client().get("/setup?token=made-up").status_code == 403


def test_api_token_needs_the_right_password(app, facilitator) -> None:
    """Does the token API answer a wrong password with a structured error?"""
    answer = app.test_client().post(
        "/api/facilitator/token", json={"name": "Prof. Tanaka", "password": "nope"}
    )
    assert answer.status_code == 401
    assert answer.get_json()["error"]["code"] == "bad_credentials"
