"""Per-address limits on joining, observing, signing in and the token endpoint: HTTP 429 with
Retry-After and a JSON error; and a growing wait per account after wrong passwords."""

from __future__ import annotations

import re
from typing import Any

PASSWORD = "correct horse battery"


def _refused(response: Any) -> dict[str, Any]:
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    error = response.get_json()["error"]
    assert error["code"] == "rate_limited" and error["retry_after"] >= 1
    return error


def test_guessing_join_codes_is_stopped(app, game) -> None:
    """After the wrong-code budget is spent, is every further code lookup a 429, even a right
    one (a guesser cannot tell), and nothing joined?"""
    app.config["RATE_LIMIT_CODE_GUESSES"] = "3/600"
    client = app.test_client()
    for guess in ("AAAAAA", "CCCCCC", "DDDDDD"):
        assert client.post("/api/join", json={"code": guess, "name": "x"}).status_code == 404
    _refused(client.post("/api/join", json={"code": "EEEEEE", "name": "x"}))
    _refused(client.post("/api/join", json={"code": game.join_code, "name": "Aiko"}))
    _refused(client.post("/api/observe", json={"code": game.observer_code}))


def test_observer_codes_count_as_guesses_too(app, game) -> None:
    """Do wrong observer codes spend the same budget as wrong join codes?"""
    app.config["RATE_LIMIT_CODE_GUESSES"] = "2/600"
    client = app.test_client()
    assert client.post("/api/observe", json={"code": "AAAAAA"}).status_code == 404
    assert client.post("/api/join", json={"code": "CCCCCC", "name": "x"}).status_code == 404
    _refused(client.post("/api/observe", json={"code": "DDDDDD"}))


def test_a_class_joins_within_the_default_limits(app, game) -> None:
    """With the default settings, do 200 students behind one address all get a seat?"""
    client = app.test_client()
    for n in range(200):
        answer = client.post("/api/join", json={"code": game.join_code, "name": f"Student {n}"})
        assert answer.status_code == 200, answer.get_json()


def test_join_attempts_per_address_are_limited(app, game) -> None:
    """Past the join budget, is a right code refused with 429 too?"""
    app.config["RATE_LIMIT_JOIN"] = "2/600"
    client = app.test_client()
    for name in ("Aiko", "Min-jun"):
        assert (
            client.post("/api/join", json={"code": game.join_code, "name": name}).status_code == 200
        )
    _refused(client.post("/api/join", json={"code": game.join_code, "name": "Sam"}))


def test_other_addresses_are_not_affected(app, game) -> None:
    """Does one address's spent budget leave another address free to join?"""
    app.config["RATE_LIMIT_CODE_GUESSES"] = "1/600"
    client = app.test_client()
    client.post("/api/join", json={"code": "AAAAAA", "name": "x"})
    _refused(client.post("/api/join", json={"code": game.join_code, "name": "x"}))
    other = client.post(
        "/api/join",
        json={"code": game.join_code, "name": "Aiko"},
        environ_base={"REMOTE_ADDR": "10.0.0.7"},
    )
    assert other.status_code == 200


def test_token_endpoint_attempts_per_address_are_limited(app, facilitator) -> None:
    """Past the sign-in budget of an address, is the token endpoint a 429 without checking the
    password?"""
    app.config["RATE_LIMIT_SIGNIN"] = "3/600"
    client = app.test_client()
    for _ in range(3):
        wrong = client.post("/api/facilitator/token", json={"name": "x", "password": "nope"})
        assert wrong.status_code == 401
    _refused(
        client.post("/api/facilitator/token", json={"name": "Prof. Tanaka", "password": PASSWORD})
    )


def test_repeated_wrong_passwords_make_the_account_wait(app, facilitator) -> None:
    """After the free wrong passwords, must the next attempt on that account wait, even with
    the right password, while another account is unaffected?"""
    app.config.update(SIGNIN_FREE_FAILURES=2, SIGNIN_FIRST_BACKOFF=600)
    client = app.test_client()
    for _ in range(3):
        answer = client.post(
            "/api/facilitator/token", json={"name": "Prof. Tanaka", "password": "nope"}
        )
        assert answer.status_code == 401
    error = _refused(
        client.post("/api/facilitator/token", json={"name": "prof. tanaka ", "password": PASSWORD})
    )
    assert error["retry_after"] >= 500
    other = client.post("/api/facilitator/token", json={"name": "Dr Kim", "password": "nope"})
    assert other.status_code == 401


def test_a_right_password_clears_the_count(app, facilitator) -> None:
    """Does a successful sign-in forget the wrong passwords before it?"""
    app.config.update(SIGNIN_FREE_FAILURES=2, SIGNIN_FIRST_BACKOFF=600)
    client = app.test_client()
    for _ in range(2):
        client.post("/api/facilitator/token", json={"name": "Prof. Tanaka", "password": "nope"})
    ok = client.post("/api/facilitator/token", json={"name": "Prof. Tanaka", "password": PASSWORD})
    assert ok.status_code == 200
    for _ in range(2):
        again = client.post(
            "/api/facilitator/token", json={"name": "Prof. Tanaka", "password": "nope"}
        )
        assert again.status_code == 401


def test_the_sign_in_form_is_throttled_with_a_page(app, facilitator) -> None:
    """Does the sign-in form answer 429 with Retry-After and a readable page when throttled?"""
    app.config["RATE_LIMIT_SIGNIN"] = "2/600"
    client = app.test_client()
    page = client.get("/signin").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    form = {"name": "Prof. Tanaka", "password": "nope", "csrf": csrf}
    assert client.post("/signin", data=form).status_code == 401
    assert client.post("/signin", data=form).status_code == 401
    response = client.post("/signin", data=form | {"password": PASSWORD})
    assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 1
    assert "Too many sign-in attempts" in response.get_data(as_text=True)


def test_wrong_seat_codes_count_as_guesses(app, game) -> None:
    """Are wrong seat (reclaim) codes limited like wrong join codes, so seats cannot be guessed?"""
    app.config["RATE_LIMIT_CODE_GUESSES"] = "2/600"
    client = app.test_client()
    client.post("/api/join", json={"code": game.join_code, "name": "Aiko"})
    for guess in ("AAAAAAAA", "CCCCCCCC"):
        answer = client.post("/api/reclaim", json={"code": game.join_code, "reclaim_code": guess})
        assert answer.status_code == 404
    _refused(client.post("/api/reclaim", json={"code": game.join_code, "reclaim_code": "DDDD"}))
