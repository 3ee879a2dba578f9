"""Socket.IO handlers: authenticate on connect, join rooms from the database, sync, commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, request
from flask_socketio import ConnectionRefusedError, disconnect, join_room

from app.engine import (
    FACILITATOR,
    OBSERVER,
    Actor,
    Viewer,
    can_see,
    event_view,
    scenario_view,
    state_view,
)
from app.extensions import db, socketio
from app.realtime import limits
from app.realtime.identity import Principal, resolve_token, still_signed_in
from app.realtime.presence import (
    device_of,
    online_ids,
    player_connected,
    seat_room,
    socket_gone,
)
from app.realtime.reclaim import all_codes, seat_code
from app.realtime.service import (
    current_nonce,
    execute,
    load_state,
    room,
    sync_events,
    utcnow,
)
from app.realtime.sessions import may_facilitate, session_for, session_summary
from app.store.eventlog import read_events

# Who is behind each connection, for which session (id and nonce); rebuilt from the token on
# every (re)connection.
_connections: dict[str, tuple[Principal, int, str]] = {}
_player_sids: dict[int, set[str]] = {}
HISTORY_PAGE = 500  # most events one `history` answer reads from the log
DELETED = "This session no longer exists."
SIGNED_OUT = "You signed out (on this or another device), or your password changed. Sign in again."


def _refuse(code: str, message: str) -> None:
    # Socket.IO clients read this as `connect_error`: error.message and error.data {code, message}.
    raise ConnectionRefusedError(message, {"code": code, "message": message})


def on_connect(auth: Any = None) -> None:
    auth = auth if isinstance(auth, dict) else {}
    if not limits.admit(request.sid):
        _refuse("too_many_connections", "Too many connections from your network; try later.")
    try:
        _connect(auth)
    except BaseException:
        limits.release(request.sid)  # a refused connection does not count
        raise


def _connect(auth: dict[str, Any]) -> None:
    principal = resolve_token(auth.get("token"))
    if principal is None:
        _refuse("bad_token", "This link or seat is not valid any more. Join again with the code.")
    session_id = principal.session_id
    if principal.kind == "facilitator":
        raw = auth.get("session_id")
        if not isinstance(raw, int) or isinstance(raw, bool):
            _refuse("no_session", "Say which session to open (session_id).")
        game = session_for(raw)
        if game is None or not may_facilitate(principal.facilitator_id, game):
            _refuse("not_your_session", "You do not facilitate that session.")
        session_id = raw
    game = session_for(session_id)
    if game is None:
        _refuse("session_deleted", "This session no longer exists.")
    if principal.kind == "observer" and principal.nonce != game.nonce:
        _refuse("bad_token", "This observer link is not valid any more. Ask for a new one.")
    state = load_state(session_id, trust_cache=True)
    viewer = _viewer(principal, state)
    if principal.kind == "player" and viewer.delegation is None:
        _refuse("bad_token", "You were removed from this session by the facilitator.")
    if viewer.is_facilitator:
        join_room(room(session_id, "white"))
        join_room(facilitator_room(principal.facilitator_id))  # ended by signing out
    elif viewer.kind == "observer":
        join_room(room(session_id, "obs"))
    else:
        join_room(room(session_id, f"d:{viewer.delegation}"))
        join_room(seat_room(session_id, principal.player_id))  # its code, "your seat moved"
    _connections[request.sid] = (principal, session_id, game.nonce)
    if principal.player_id is not None:
        _player_sids.setdefault(principal.player_id, set()).add(request.sid)
    last_seq = auth.get("last_seq")
    if not isinstance(last_seq, int) or isinstance(last_seq, bool) or last_seq < 0:
        last_seq = 0
    # Rooms are joined before the log is read, so nothing committed in between is lost; an event
    # that is both in `events` and pushed live has the same seq and the client drops the second.
    state = load_state(session_id, trust_cache=True)  # see `load_state`: one process only
    scenario = state.scenario
    # The state is the fold of the whole log; the events are a bounded tail of it (the rest on
    # request, `history`), so a reconnect storm of a long session ships and reads little.
    events_after = max(last_seq, state.seq - current_app.config["SYNC_TAIL_EVENTS"])
    events = sync_events(session_id, events_after, state.seq, viewer, scenario)
    now = utcnow()
    summary = session_summary(game, for_facilitator=viewer.is_facilitator)
    summary["head_seq"] = state.seq
    summary["status"] = state.status
    socketio.emit(
        "sync",
        {
            "you": _you(principal, state, viewer),
            "session": summary,
            "scenario": scenario_view(scenario, viewer),
            "state": state_view(state, viewer, now),
            "events": events,
            "from_seq": last_seq,
            "events_after": events_after,
            "server_time": now.isoformat(timespec="milliseconds") + "Z",
            "online": online_ids(state),
        }
        | ({"reclaim_codes": all_codes(state)} if viewer.is_facilitator else {}),
        to=request.sid,
    )
    if principal.player_id is not None:
        player_connected(state, principal.player_id, request.sid)


def _viewer(principal: Principal, state: Any) -> Viewer:
    if principal.kind == "facilitator":
        return FACILITATOR
    if principal.kind == "observer":
        return OBSERVER
    seat = state.seat_of(principal.player_id)
    return Viewer("player", seat.delegation if seat else None, principal.player_id)


def _you(principal: Principal, state: Any, viewer: Viewer) -> dict[str, Any]:
    you: dict[str, Any] = {"kind": principal.kind, "name": principal.name}
    if principal.kind == "player":
        seat = state.seat_of(principal.player_id)
        you.update(
            player_id=seat.id,
            name=seat.name,
            delegation=seat.delegation,
            role=seat.role,
            role_title=seat.role_title,
            lead=state.leads.get(seat.delegation) == seat.id,
            device=seat.device,
            reclaim_code=seat_code(state, seat.id),
        )
    if principal.kind == "facilitator":
        you["facilitator_id"] = principal.facilitator_id
    return you


def on_command(raw: Any = None, *extra: Any) -> dict[str, Any]:
    if extra:
        # A command is one object; a second argument is a malformed client, not a server failure.
        message = "Send a command as one object, with nothing after it."
        return {"ok": False, "error": {"code": "bad_command", "message": message}}
    connection = _connections.get(request.sid)
    if connection is None:
        return {"ok": False, "error": {"code": "bad_token", "message": "Reconnect first."}}
    principal, session_id, nonce = connection
    if current_nonce(session_id) != nonce:
        # The session was deleted (or this socket outlived it some other way): never act on it,
        # nor on another session that might carry its id.
        return {"ok": False, "error": {"code": "session_deleted", "message": DELETED}}
    if principal.kind == "observer":
        return {"ok": False, "error": {"code": "not_player", "message": "Observers can only read."}}
    refusal = limits.command_refusal(request.sid, f"{session_id}:{principal.actor}")
    if refusal is not None:
        if refusal.pop("disconnect"):
            disconnect()  # a flood: the client reconnects and resyncs; nothing is lost
        return refusal
    if not still_signed_in(principal):
        return {"ok": False, "error": {"code": "bad_token", "message": "You signed out."}}
    actor = Actor(principal.kind, principal.facilitator_id or principal.player_id, principal.name)
    answer = execute(session_id, actor, principal.actor, raw, device_of(request.sid))
    if not answer.get("ok") and current_nonce(session_id, fresh=True) != nonce:
        # Refused on a remembered nonce, and the session is in fact gone (deleted behind this
        # process's back): nothing was recorded, and the answer says why.
        return {"ok": False, "error": {"code": "session_deleted", "message": DELETED}}
    return answer


def on_history(raw: Any = None, *extra: Any) -> dict[str, Any]:
    """Older events than a sync's tail: `{before_seq, limit?}` answers the visible events with
    `events_after < seq < before_seq`, where `events_after = before_seq - 1 - limit`."""
    if extra:
        message = "Send a history request as one object, with nothing after it."
        return {"ok": False, "error": {"code": "bad_command", "message": message}}
    connection = _connections.get(request.sid)
    if connection is None:
        return {"ok": False, "error": {"code": "bad_token", "message": "Reconnect first."}}
    refusal = limits.history_refusal(request.sid)
    if refusal is not None:
        if refusal.pop("disconnect"):
            disconnect()  # a flood: the client reconnects and resyncs; nothing is lost
        return refusal
    raw = raw if isinstance(raw, dict) else {}
    before, limit = raw.get("before_seq"), raw.get("limit", HISTORY_PAGE)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (before, limit)):
        return {"ok": False, "error": {"code": "bad_field", "message": "before_seq, limit: ints"}}
    limit = max(1, min(limit, HISTORY_PAGE))
    principal, session_id, _nonce = connection
    state = load_state(session_id, trust_cache=True)
    viewer = _viewer(principal, state)
    after = max(0, min(before, state.seq + 1) - 1 - limit)
    events = [
        event_view(e, viewer)
        for e in read_events(session_id, after_seq=after, before_seq=before)
        if can_see(e.audience, viewer, state.scenario)
    ]
    db.session.rollback()
    return {"ok": True, "events": events, "events_after": after}


def leave_seat_rooms(session_id: int, player_id: int, old_code: str) -> None:
    """A moved or removed player stops hearing their old delegation at once (on this process);
    the `player_moved` / `player_removed` event tells their client to reconnect, and the
    reconnection joins the rooms the database now gives them, on whichever process it lands."""
    for sid in list(_player_sids.get(player_id, ())):
        socketio.server.leave_room(sid, room(session_id, f"d:{old_code}"), namespace="/")


def facilitator_room(facilitator_id: int) -> str:
    """Every socket of one facilitator account, whatever the session: signing out ends them."""
    return f"f:{facilitator_id}"


def close_session_sockets(
    session_id: int, codes: tuple[str, ...], player_ids: tuple[int, ...] = ()
) -> None:
    """A deleted session's sockets are told so (`session_deleted`) and disconnected, on every
    process; a client that reconnects is refused `session_deleted`."""
    suffixes = ["white", "obs", *(f"d:{code}" for code in codes)]
    suffixes += [f"p:{player_id}" for player_id in player_ids]  # each seat's own room
    notice = {"code": "session_deleted", "message": DELETED, "session_id": session_id}
    rooms = [room(session_id, suffix) for suffix in suffixes]
    end_sockets(rooms, "session_deleted", notice, lambda c: c[1] == session_id)


def close_facilitator_sockets(facilitator_id: int) -> None:
    """An account signed out (everywhere) or got a new password: its open consoles are told so
    (`signed_out`) and disconnected, on every process; reconnecting is refused `bad_token`."""
    notice = {"code": "bad_token", "message": SIGNED_OUT}
    rooms = [facilitator_room(facilitator_id)]
    end_sockets(rooms, "signed_out", notice, lambda c: c[0].facilitator_id == facilitator_id)


def end_sockets(
    rooms: list[str],
    signal: str,
    notice: dict[str, Any],
    ends: Callable[[tuple[Principal, int, str]], bool],
) -> None:
    """Tell the sockets in `rooms` why, then disconnect them. The notice and the closing of the
    rooms go through the message queue when there is one, in that order; another process
    disconnects its sockets in a room it hears closed (app/realtime/queue.py). This process's
    own sockets (`ends` picks them) are disconnected here and now."""
    for name in rooms:
        socketio.emit(signal, notice, to=name)
    for name in rooms:
        socketio.close_room(name)
    for sid, connection in list(_connections.items()):
        if ends(connection):
            # The disconnect handler runs here and now; in an app context of its own, so that
            # ending its database session does not end the one of the request that asked.
            with current_app.app_context():
                socketio.server.disconnect(sid, namespace="/")


def on_disconnect(*_args: Any) -> None:
    limits.release(request.sid)
    connection = _connections.pop(request.sid, None)
    if connection and connection[0].player_id is not None:
        _player_sids.get(connection[0].player_id, set()).discard(request.sid)
    socket_gone(request.sid)
    db.session.remove()


def on_error(error: Exception) -> dict[str, Any]:
    current_app.logger.exception("socket handler failed", exc_info=error)
    db.session.rollback()
    return {"ok": False, "error": {"code": "server_error", "message": "The server failed."}}


def register_handlers() -> None:
    """Bind the handlers to the Socket.IO server `create_app` just made (one per app)."""
    socketio.on_event("connect", on_connect)
    socketio.on_event("command", on_command)
    socketio.on_event("history", on_history)
    socketio.on_event("disconnect", on_disconnect)
    socketio.on_error_default(on_error)
