"""A deleted session leaves nothing behind that works: no reused ids, no live sockets, no
token that opens another session."""

from __future__ import annotations

from sqlalchemy import delete, update

from app.extensions import db
from app.realtime.identity import observer_token
from app.realtime.sessions import delete_session
from app.store.models import GameSession
from tests.realtime.conftest import row_count, syncs_of
from tests.review.conftest import sign_in


def _delete_through_the_page(app, facilitator, game) -> None:  # type: ignore[no-untyped-def]
    client = sign_in(app.test_client(), facilitator)
    answer = client.post(
        f"/review/{game.id}/delete", data={"csrf": "test-csrf", "confirm_title": game.title}
    )
    assert answer.status_code == 302


def test_a_new_session_never_gets_a_deleted_sessions_ids(make_session, join):
    """After the newest session (with its players) is deleted, does the next session get a
    new id, and its players ids no deleted player had?"""
    old = make_session()
    old_ids = {join(old.join_code, n)["player"]["id"] for n in ("Aiko", "Min-jun")}
    old_id = old.id
    delete_session(old_id)
    new = make_session()
    new_ids = {join(new.join_code, n)["player"]["id"] for n in ("Aiko", "Min-jun")}
    assert new.id > old_id
    assert min(new_ids) > max(old_ids)


def test_deleting_a_session_disconnects_all_its_sockets(app, table, observer, facilitator):
    """When the owner deletes a session, are its console, player and observer sockets told
    `session_deleted` and disconnected?"""
    clients = [table.fac, observer, *table.players.values()]
    _delete_through_the_page(app, facilitator, table.game)
    for client in clients:
        assert not client.is_connected()


def test_a_deleted_sessions_socket_cannot_act(app, table, observer):
    """A socket that outlived its session (e.g. held by another server process): are its
    commands refused as `session_deleted`, and does nothing reach the log?"""
    session_id = table.game.id
    db.session.execute(delete(GameSession).where(GameSession.id == session_id))
    db.session.commit()
    for client, command in [
        (table.fac, {"type_": "session.start"}),
        (table.fac, {"type_": "inject.write", "title": "t", "body": "b", "audience": "all"}),
        (table.players["JPN"], {"type_": "message.post", "channel": "plenary", "text": "hi"}),
        (observer, {"type_": "message.post", "channel": "plenary", "text": "hi"}),
    ]:
        ack = table.send(client, **command)
        assert ack["ok"] is False and ack["error"]["code"] == "session_deleted"
    assert row_count(session_id) == 0


def test_a_socket_is_bound_to_its_sessions_nonce(app, table):
    """If the session row under a connected console is not the one it connected to (same id,
    another nonce, as after restoring a backup over a live server), is the command refused?"""
    db.session.execute(
        update(GameSession).where(GameSession.id == table.game.id).values(nonce="other")
    )
    db.session.commit()
    rows = row_count(table.game.id)
    assert table.fac_send("session.start")["error"]["code"] == "session_deleted"
    assert row_count(table.game.id) == rows


def test_an_observer_token_is_bound_to_its_sessions_nonce(app, game, refused, connect):
    """Does an observer token open only the session it was made for: refused once that
    session's nonce differs, and refused as `session_deleted` once it is deleted?"""
    token = observer_token(game)
    client = connect(token)
    assert syncs_of(client)
    db.session.execute(update(GameSession).where(GameSession.id == game.id).values(nonce="new"))
    db.session.commit()
    assert refused({"token": token})["data"]["code"] == "bad_token"
    delete_session(game.id)
    assert refused({"token": token})["data"]["code"] == "session_deleted"


def test_an_observer_token_without_a_nonce_is_refused(app, game, refused):
    """Is an observer token of the old form (session id only) refused as bad_token?"""
    from app.realtime.identity import _serializer

    old = "o." + _serializer("observer").dumps({"s": game.id})
    assert refused({"token": old})["data"]["code"] == "bad_token"


def test_an_old_seat_token_opens_nothing_after_deletion(app, make_session, join, refused):
    """After a session is deleted, is its seat token refused, even once a new session has
    seated players?"""
    old = make_session()
    token = join(old.join_code, "Aiko")["token"]
    delete_session(old.id)
    new = make_session()
    join(new.join_code, "Min-jun")
    assert refused({"token": token})["data"]["code"] == "bad_token"
