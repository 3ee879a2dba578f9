"""Seats follow people, not browsers: moving a seat to another device, and reissuing its code.

The reclaim code itself is a secret kept out of the log (it is derived from the server's key,
see `app/realtime/reclaim.py`); the log records only that a seat moved to a new device, and how
many times its code was reissued, which is all the code and the device check need.
"""

from __future__ import annotations

from typing import Any

from app.engine.apply import handles
from app.engine.errors import CommandError
from app.engine.rules import Context, rule
from app.engine.state import Draft, EventRecord, SessionState


def reclaim_drafts(state: SessionState, player_id: int) -> list[Draft]:
    """The seat moves to a new device: the old device's connection stops acting for it."""
    seat = state.seat_of(player_id)
    if seat is None:
        raise CommandError("not_found", "That seat no longer exists.")
    if state.status == "ended":
        raise CommandError("session_ended", "This session has ended.")
    return [Draft("seat_reclaimed", "white", {"player_id": seat.id, "device": seat.device + 1})]


@rule("seat.reissue_code")
def _reissue(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    seat = ctx.state.seat_of(f["player_id"])
    if seat is None:
        raise CommandError("not_found", f"There is no seated player {f['player_id']}.")
    return [
        Draft("seat_code_reissued", "white", {"player_id": seat.id, "round": seat.code_round + 1})
    ]


@handles("seat_reclaimed")
def _reclaimed(state: SessionState, event: EventRecord) -> None:
    state.seats[event.data["player_id"]].device = event.data["device"]


@handles("seat_code_reissued")
def _reissued(state: SessionState, event: EventRecord) -> None:
    state.seats[event.data["player_id"]].code_round = event.data["round"]


def check_device(state: SessionState, player_id: int | None, device: int | None) -> None:
    """Refuse a command from a device the seat has moved away from."""
    seat = state.seat_of(player_id)
    if seat is not None and device is not None and device != seat.device:
        raise CommandError(
            "seat_moved", "This seat has moved to another device; this page no longer acts for it."
        )
