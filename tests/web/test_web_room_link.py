"""The projector link for a classroom computer nobody signs in on: it opens that session's
projector (the observers' view, with the join code) and nothing else."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import update

from app.extensions import db
from app.realtime.identity import resolve_token, room_token
from app.realtime.sessions import delete_session
from app.store.models import GameSession
from tests.review.conftest import sign_in


def _room_link(app: Any, facilitator: Any, game: Any) -> str:
    console = sign_in(app.test_client(), facilitator).get(f"/console/{game.id}")
    page = console.get_data(as_text=True)
    return re.search(r'id="room-link" href="[^"]*(/projector/\d+\?room=[^"]+)"', page).group(1)


def test_the_console_offers_a_room_link_that_opens_the_projector_without_sign_in(
    app, facilitator, game
) -> None:
    """Does the link on the console open the projector, with the join code, in a browser that
    never signed in, connecting as an observer (never as the facilitator)?"""
    link = _room_link(app, facilitator, game).replace("&amp;", "&")
    answer = app.test_client().get(link)
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert f'data-join-code="{game.join_code}"' in page
    token = re.search(r'data-token="([^"]+)"', page).group(1)
    assert resolve_token(token).kind == "observer"
    assert answer.headers["Cache-Control"] == "no-store"


def test_without_the_link_the_projector_still_asks_for_a_sign_in(app, game) -> None:
    answer = app.test_client().get(f"/projector/{game.id}")
    assert answer.status_code == 302 and "/signin" in answer.headers["Location"]


def test_a_room_link_opens_only_its_own_session(app, game, make_session) -> None:
    """Is the link of one session refused on another, and a forged one refused, without the
    other session's join code in the answer?"""
    other = make_session(title="Another class")
    for path in (f"/projector/{other.id}?room={room_token(game)}", f"/projector/{game.id}?room=x"):
        answer = app.test_client().get(path)
        assert answer.status_code == 403
        assert other.join_code not in answer.get_data(as_text=True)
        assert "not valid any more" in answer.get_data(as_text=True)


def test_a_room_link_ends_with_its_session(app, game) -> None:
    """After the session is deleted, or its nonce changed (a restored backup), is the link
    refused?"""
    link = f"/projector/{game.id}?room={room_token(game)}"
    db.session.execute(update(GameSession).where(GameSession.id == game.id).values(nonce="new"))
    db.session.commit()
    assert app.test_client().get(link).status_code == 403
    delete_session(game.id)
    assert app.test_client().get(link).status_code == 403
