"""Reclaim codes: a short secret per seat that moves the seat to another device.

The code is derived from the server's secret key (HMAC of session, seat and reissue round), so it
is never stored: a copy of the database gives no codes, the player and the facilitators can be
shown it at any time, and reissuing it (`seat.reissue_code`) simply moves to the next round.
Reclaiming gives the new device a fresh seat token; the old token stops working at once.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from flask import current_app

from app.engine import Actor, CommandError, SessionState, reclaim_drafts
from app.extensions import db
from app.realtime.identity import new_seat_token
from app.realtime.service import load_state, record
from app.realtime.sessions import CODE_ALPHABET, SessionError, _by_code, normalise_code
from app.store.models import GameSession, Player

RECLAIM_LENGTH = 8  # 25**8: about 1.5e11 codes per seat


def reclaim_code(session_id: int, player_id: int, code_round: int) -> str:
    """The seat's current reclaim code, shown as two groups of four (e.g. `K7QX-4MCD`)."""
    key = current_app.config["SECRET_KEY"].encode()
    message = f"reclaim:{session_id}:{player_id}:{code_round}".encode()
    number = int.from_bytes(hmac.new(key, message, hashlib.sha256).digest(), "big")
    chars = []
    for _ in range(RECLAIM_LENGTH):
        number, index = divmod(number, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[index])
    return "".join(chars[:4]) + "-" + "".join(chars[4:])


def seat_code(state: SessionState, player_id: int) -> str | None:
    seat = state.seat_of(player_id)
    return reclaim_code(state.session_id, seat.id, seat.code_round) if seat else None


def all_codes(state: SessionState) -> dict[int, str]:
    """Every seated player's code (facilitators only)."""
    return {s.id: reclaim_code(state.session_id, s.id, s.code_round) for s in state.active_seats()}


def _find_seat(state: SessionState, raw: Any) -> int | None:
    wanted = normalise_code(raw if isinstance(raw, str) else "")
    found = None
    for seat in state.active_seats():
        code = reclaim_code(state.session_id, seat.id, seat.code_round).replace("-", "")
        # Compare with every seat, in constant time, so timing says nothing about near misses.
        if hmac.compare_digest(code, wanted):
            found = seat.id
    return found


def reclaim_seat(raw_code: Any, raw_reclaim: Any) -> tuple[str, dict[str, Any]]:
    """Move a seat to this device: a new seat token (shown once) and the seat, as /api/join."""
    game: GameSession = _by_code(raw_code, GameSession.join_code)
    player_id = _find_seat(load_state(game.id), raw_reclaim)
    if player_id is None:
        raise SessionError(
            "unknown_reclaim_code",
            "No seat in this session has that seat code. Check it on your other device, "
            "or ask your instructor for it.",
            404,
        )
    token, token_hash = new_seat_token()
    seat: dict[str, Any] = {}

    def build(state):  # type: ignore[no-untyped-def]
        drafts = reclaim_drafts(state, player_id)
        player = db.session.get(Player, player_id)
        player.token_hash = token_hash  # the old device's token stops working with this commit
        current = state.seat_of(player_id)
        seat.update(
            id=current.id,
            name=current.name,
            delegation=current.delegation,
            role=current.role,
            role_title=current.role_title,
            lead=state.leads.get(current.delegation) == current.id,
        )
        return drafts

    session_id = game.id
    try:
        # Logged as the player's own act (their name and delegation), like any command of theirs.
        record(session_id, Actor("player", player_id), build)
    except CommandError as error:
        raise SessionError(error.code, error.message, 400) from None
    return token, seat | {"session_id": session_id}
