"""Sessions: create from a scenario, join with a code, observe, list, co-facilitate, delete."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import delete, or_, select

from app.engine import Actor, CommandError, Draft, join_drafts
from app.engine.proposals import iso
from app.extensions import db
from app.realtime.identity import new_seat_token
from app.realtime.service import forget, load_state, record
from app.store.erasure import flush_deleted
from app.store.models import (
    CoFacilitator,
    Delegation,
    Event,
    Facilitator,
    GameSession,
    Player,
    Scenario,
)
from app.store.scenarios import scenario_content

# No look-alike characters (0/O, 1/I/L, 5/S, 2/Z, 8/B): codes are read aloud and copied from walls.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6


class SessionError(Exception):
    """A refused session operation, answered as `{ok: false, error}`."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        taken = db.session.scalar(
            select(GameSession.id).where(
                or_(GameSession.join_code == code, GameSession.observer_code == code)
            )
        )
        if taken is None:
            return code


def create_session(
    owner_id: int, scenario: Scenario, title: str, track: str | None = None
) -> GameSession:
    """A new session in the lobby, with its delegations and a `session_created` event.

    `track` (a track id of the scenario, or None to play it whole) is recorded in that event.
    """
    content = scenario_content(scenario)
    if track is not None and track not in [t.id for t in content.tracks]:
        known = ", ".join(t.id for t in content.tracks) or "(none)"
        raise SessionError(
            "not_found", f"The scenario has no track {track!r}; its tracks: {known}.", 404
        )
    game = GameSession(
        scenario_id=scenario.id,
        owner_id=owner_id,
        title=title.strip() or content.title,
        join_code=_new_code(),
        observer_code=_new_code(),
    )
    db.session.add(game)
    db.session.flush()
    for delegation in content.delegations:
        db.session.add(Delegation(session_id=game.id, code=delegation.code, name=delegation.name))
    db.session.commit()
    owner = db.session.get(Facilitator, owner_id)
    actor = Actor("facilitator", owner_id, owner.name if owner else "")
    data = {
        "title": game.title,
        "scenario": {
            "slug": content.id,
            "version": content.version,
            "title": content.title,
            "hash": scenario.content_hash,
        },
        "delegations": list(content.delegation_codes),
    }
    if track is not None:
        data["track"] = track
    record(game.id, actor, lambda _state: [Draft("session_created", "all", data)])
    return game


def session_track(game: GameSession) -> dict[str, str] | None:
    """The track the session plays, `{id, title}`, from its `session_created` event (seq 1);
    None when it plays the scenario whole."""
    payload = db.session.scalar(
        select(Event.payload).where(Event.session_id == game.id, Event.seq == 1)
    )
    track = (payload or {}).get("track")
    if not track:
        return None
    tracks = scenario_content(game.scenario).tracks
    return {"id": track, "title": next((t.title for t in tracks if t.id == track), track)}


def session_summary(
    game: GameSession, for_facilitator: bool = False, with_track: bool = False
) -> dict[str, Any]:
    """What a session list says of a session (`with_track`: also the track it plays)."""
    summary = {
        "id": game.id,
        "title": game.title,
        "status": game.status,
        "scenario": {
            "slug": game.scenario.slug,
            "version": game.scenario.version,
            "title": game.scenario.title,
        },
        "created_at": iso(game.created_at),  # the one time format on the wire
    }
    if for_facilitator:
        summary["join_code"] = game.join_code
        summary["observer_code"] = game.observer_code
        summary["owner"] = game.owner.name
    if with_track:
        summary["track"] = session_track(game)
    return summary


def may_facilitate(facilitator_id: int, game: GameSession) -> bool:
    if game.owner_id == facilitator_id:
        return True
    return db.session.get(CoFacilitator, (game.id, facilitator_id)) is not None


def facilitator_sessions(facilitator_id: int) -> list[GameSession]:
    co = select(CoFacilitator.session_id).where(CoFacilitator.facilitator_id == facilitator_id)
    return list(
        db.session.scalars(
            select(GameSession)
            .where(or_(GameSession.owner_id == facilitator_id, GameSession.id.in_(co)))
            .order_by(GameSession.created_at.desc())
        )
    )


def add_co_facilitator(owner_id: int, session_id: int, name: str) -> None:
    game = db.session.get(GameSession, session_id)
    if game is None or game.owner_id != owner_id:
        raise SessionError("not_found", "You own no such session.", 404)
    other = db.session.scalar(select(Facilitator).where(Facilitator.name == name.strip()))
    if other is None:
        raise SessionError("not_found", f"There is no facilitator named {name!r}.", 404)
    if other.id != owner_id and db.session.get(CoFacilitator, (game.id, other.id)) is None:
        db.session.add(CoFacilitator(session_id=game.id, facilitator_id=other.id))
        db.session.commit()


def _by_code(raw: Any, column: Any) -> GameSession:
    code = normalise_code(raw if isinstance(raw, str) else "")
    game = db.session.scalar(select(GameSession).where(column == code)) if code else None
    if game is None:
        raise SessionError(
            "unknown_code", "No session has that code. Check it with your instructor.", 404
        )
    if game.status == "ended":
        raise SessionError("session_ended", "That session has ended.", 410)
    return game


def join_session(raw_code: Any, raw_name: Any) -> tuple[str, dict[str, Any]]:
    """Seat a new player; returns the seat token (shown once) and the seat."""
    game = _by_code(raw_code, GameSession.join_code)
    token, token_hash = new_seat_token()
    seat: dict[str, Any] = {}

    def build(state):  # type: ignore[no-untyped-def]
        player = Player(session_id=game.id, token_hash=token_hash, display_name="")
        db.session.add(player)
        db.session.flush()
        drafts = join_drafts(state, player.id, raw_name)
        seat.update(drafts[0].data["player"])
        player.display_name = seat["name"]
        return drafts

    try:
        record(game.id, Actor("system", name="Lobby"), build)
    except CommandError as error:
        status = 403 if error.code == "lobby_locked" else 400
        raise SessionError(error.code, error.message, status) from None
    return token, seat | {"session_id": game.id}


def observe_session(raw_code: Any) -> GameSession:
    return _by_code(raw_code, GameSession.observer_code)


def delete_session(session_id: int) -> None:
    """Delete a session with everything in it, personal data included, and close its sockets
    (on every process: see `close_session_sockets`)."""
    from app.realtime.handlers import close_session_sockets

    game = db.session.get(GameSession, session_id)
    codes = tuple(d.code for d in scenario_content(game.scenario).delegations) if game else ()
    seats = tuple(db.session.scalars(select(Player.id).where(Player.session_id == session_id)))
    db.session.execute(delete(GameSession).where(GameSession.id == session_id))
    db.session.commit()
    flush_deleted()
    forget(session_id)
    close_session_sockets(session_id, codes, seats)


def unlock_debrief(session_id: int, facilitator_id: int, name: str) -> None:
    """Reveal "what actually happened" in the review (the `debrief.unlock` command)."""
    from app.engine import decide
    from app.realtime.service import utcnow

    actor = Actor("facilitator", facilitator_id, name)
    try:
        record(
            session_id, actor, lambda state: decide(state, actor, "debrief.unlock", {}, utcnow())
        )
    except CommandError as error:
        raise SessionError(error.code, error.message) from None


def session_for(session_id: int) -> GameSession | None:
    return db.session.get(GameSession, session_id)


__all__ = ["load_state"]
