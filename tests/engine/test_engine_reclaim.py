"""Seats that move to another device, and their reissued codes, as the engine sees them."""

from __future__ import annotations

import pytest

from app.engine import CommandError, check_device, fold, reclaim_drafts
from tests.engine.conftest import FAC, log_of, play, record, seat


def test_a_reclaim_moves_the_seat_to_the_next_device(state):
    """Does a reclaim give the seat the next device number, refusing the old one only?"""
    aiko = seat(state, "Aiko")
    record(state, aiko, reclaim_drafts(state, aiko.id))
    assert state.seats[aiko.id].device == 1
    check_device(state, aiko.id, 1)
    with pytest.raises(CommandError) as refused:
        check_device(state, aiko.id, 0)
    assert refused.value.code == "seat_moved"


def test_a_facilitators_seat_move_keeps_the_device_and_code_round(state):
    """After a reclaim and a reissue, does moving the seat keep both numbers (and a replay)?"""
    aiko = seat(state, "Aiko")
    record(state, aiko, reclaim_drafts(state, aiko.id))
    play(state, FAC, "seat.reissue_code", player_id=aiko.id)
    play(state, FAC, "seat.move", player_id=aiko.id, delegation="USA")
    moved = state.seats[aiko.id]
    assert (moved.delegation, moved.device, moved.code_round) == ("USA", 1, 1)
    replayed = fold(state.scenario, 1, log_of(state)).seats[aiko.id]
    assert (replayed.device, replayed.code_round) == (1, 1)


def test_no_reclaim_for_removed_seats_or_after_the_end(state):
    """Is a removed seat, or an ended session, refused?"""
    aiko, ren = seat(state, "Aiko"), seat(state, "Ren")
    play(state, FAC, "seat.remove", player_id=ren.id)
    with pytest.raises(CommandError) as gone:
        reclaim_drafts(state, ren.id)
    assert gone.value.code == "not_found"
    play(state, FAC, "session.end")
    with pytest.raises(CommandError) as ended:
        reclaim_drafts(state, aiko.id)
    assert ended.value.code == "session_ended"
