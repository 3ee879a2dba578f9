"""Who is online, and the signals about seats that are not events of the log.

Presence comes from connect and disconnect on this process: a player is online while at least
one of their sockets is connected here. With several server processes each knows only its own
sockets: the `online` list in a `sync` names the players connected to the same process, while
the live `presence` messages of every process reach every client through the message queue
(docs/protocol.md says so). Presence is not game state and is not logged.

Seat codes (`seat_code`) and the "your seat moved" notice (`seat_moved`) go to one seat's own
room, `s<id>:p:<player>`, which every socket of that seat joins.
"""

from __future__ import annotations

from typing import Any

from app.engine import EventRecord, SessionState
from app.extensions import socketio
from app.realtime.service import room

# sid -> (session id, player id, device, delegation codes of the session)
_sockets: dict[str, tuple[int, int, int, tuple[str, ...]]] = {}
_by_player: dict[int, set[str]] = {}
RETIRED = -1  # the device number of a socket whose seat moved away: every command is refused


def seat_room(session_id: int, player_id: int) -> str:
    return room(session_id, f"p:{player_id}")


def _announce(session_id: int, player_id: int, online: bool, codes: tuple[str, ...]) -> None:
    data = {"player_id": player_id, "online": online}
    for suffix in ["white", *(f"d:{code}" for code in codes)]:
        socketio.emit("presence", data, to=room(session_id, suffix))


def player_connected(state: SessionState, player_id: int, sid: str) -> None:
    """Count a player's socket; the first one makes the player online for everyone."""
    seat = state.seat_of(player_id)
    device = seat.device if seat else 0
    codes = state.scenario.delegation_codes
    _sockets[sid] = (state.session_id, player_id, device, codes)
    sids = _by_player.setdefault(player_id, set())
    first = not sids
    sids.add(sid)
    if first:
        _announce(state.session_id, player_id, True, codes)


def socket_gone(sid: str) -> None:
    """Forget a socket; the last one of a player makes the player offline for everyone."""
    entry = _sockets.pop(sid, None)
    if entry is None:
        return
    _leave(sid, entry)


def _leave(sid: str, entry: tuple[int, int, int, tuple[str, ...]]) -> None:
    session_id, player_id, _device, codes = entry
    sids = _by_player.get(player_id, set())
    if sid not in sids:
        return
    sids.discard(sid)
    if not sids:
        _by_player.pop(player_id, None)
        _announce(session_id, player_id, False, codes)


def device_of(sid: str) -> int | None:
    """The device number a player's socket connected with (None: not a player's socket)."""
    entry = _sockets.get(sid)
    return entry[2] if entry else None


def online_ids(state: SessionState) -> list[int]:
    """Seated players with a socket on this process."""
    return sorted(s.id for s in state.active_seats() if _by_player.get(s.id))


def seat_signals(session_id: int, state: SessionState, event: EventRecord) -> None:
    """After a committed seat event: hand out the new code, or tell the old device it moved."""
    from app.realtime.reclaim import seat_code

    player_id = event.data.get("player_id") or event.data.get("player", {}).get("id")
    if event.type in ("player_joined", "seat_code_reissued"):
        data = {"player_id": player_id, "code": seat_code(state, player_id)}
        socketio.emit("seat_code", data, to=room(session_id, "white"))
        if event.type == "seat_code_reissued":
            socketio.emit("seat_code", data, to=seat_room(session_id, player_id))
    elif event.type == "seat_reclaimed":
        _moved(session_id, state, player_id, event.data["device"])


def _moved(session_id: int, state: SessionState, player_id: int, device: int) -> None:
    notice: dict[str, Any] = {
        "player_id": player_id,
        "device": device,
        "message": "Your seat moved to another device: this page no longer acts for it.",
    }
    # Sockets here are told directly and leave the rooms; then sockets on other processes hear
    # it through the seat's room (the new device ignores it: its device number is not lower).
    seat = state.seat_of(player_id)
    for sid in list(_by_player.get(player_id, ())):
        if _sockets[sid][2] >= device:
            continue
        socketio.emit("seat_moved", notice, to=sid)
        for suffix in (f"p:{player_id}", f"d:{seat.delegation}" if seat else ""):
            if suffix:
                socketio.server.leave_room(sid, room(session_id, suffix), namespace="/")
        # Still connected until its page lets go, but it no longer counts, hears or acts.
        session, player, _device, codes = _sockets[sid]
        _sockets[sid] = (session, player, RETIRED, codes)
        _leave(sid, _sockets[sid])
    socketio.emit("seat_moved", notice, to=seat_room(session_id, player_id))
