"""The session clock: start, pause, resume, moves, end; and what the scheduler finds due."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.engine import CommandError, due_commands
from tests.engine.conftest import FAC, T0, advance, now_of, play, run_due, types


def refused(state, kind, **fields) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError) as caught:
        play(state, FAC, kind, **fields)
    return caught.value.code


def due_ids(state, delay: float = 0) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.id for d in due_commands(state, now_of(state), delay)]


def test_start_opens_the_first_move(state, leads, scenario):
    """Does session.start run the clock in the first move?"""
    events = play(state, FAC, "session.start")
    assert types(events) == ["session_started"]
    assert events[0].data["clock"]["move_id"] == scenario.moves[0].id
    assert state.status == "running" and state.current_move == "move-1"
    assert state.clock.move_started_at == T0


def test_start_twice_is_wrong_state(running):
    """Is starting a running session refused as wrong_state?"""
    assert refused(running, "session.start") == "wrong_state"


def test_the_lobby_cannot_be_paused_or_advanced(state):
    """Are pause and next move refused as wrong_state before the start?"""
    assert refused(state, "session.pause") == "wrong_state"
    assert refused(state, "session.next_move") == "wrong_state"
    assert refused(state, "session.resume") == "wrong_state"


def test_a_pause_stops_the_clock(running):
    """Does elapsed time stand still while the session is paused?"""
    advance(running, 60)
    play(running, FAC, "session.pause")
    assert running.clock.elapsed(now_of(running)) == 60
    advance(running, 600)
    assert running.clock.elapsed(now_of(running)) == 60
    events = play(running, FAC, "session.resume")
    assert events[0].data["paused_seconds"] == 600
    advance(running, 30)
    assert running.clock.elapsed(now_of(running)) == 90


def test_pausing_twice_and_resuming_a_running_session_are_wrong_state(running):
    """Are a second pause and a resume without a pause refused as wrong_state?"""
    assert refused(running, "session.resume") == "wrong_state"
    play(running, FAC, "session.pause")
    assert refused(running, "session.pause") == "wrong_state"


def test_resuming_shifts_open_deadlines_by_the_pause(running, fired):
    """Does every open response deadline move later by exactly the length of the pause?"""
    fired("nk-23-missiles")
    before = running.injects["nk-23-missiles"].deadline_at
    assert before == T0 + timedelta(minutes=8)
    advance(running, 60)
    play(running, FAC, "session.pause")
    advance(running, 300)
    events = play(running, FAC, "session.resume")
    assert running.injects["nk-23-missiles"].deadline_at == before + timedelta(seconds=300)
    assert events[0].data["deadlines"] == {"nk-23-missiles": "2026-11-28T09:13:00.000Z"}


def test_next_move_resets_the_clock_and_announces_the_move(running, scenario):
    """Does session.next_move start the next move at zero elapsed?"""
    advance(running, 120)
    events = play(running, FAC, "session.next_move")
    assert types(events) == ["move_advanced"]
    assert events[0].data["move"]["id"] == scenario.moves[1].id
    assert running.current_move == "move-2"
    assert running.clock.elapsed(now_of(running)) == 0


def test_next_move_from_a_pause_runs_again(running):
    """Does advancing the move from a pause leave the session running?"""
    play(running, FAC, "session.pause")
    advance(running, 30)
    play(running, FAC, "session.next_move")
    assert running.status == "running" and running.clock.paused_at is None


def test_there_is_no_move_after_the_last(running, scenario):
    """Is next move in the last move refused as wrong_state?"""
    for _ in scenario.moves[1:]:
        play(running, FAC, "session.next_move")
    assert running.current_move == scenario.moves[-1].id
    assert refused(running, "session.next_move") == "wrong_state"


def test_end_stops_the_clock(running):
    """After session.end, is the session ended with its clock frozen?"""
    advance(running, 100)
    assert types(play(running, FAC, "session.end")) == ["session_ended"]
    advance(running, 100)
    assert running.status == "ended"
    assert running.clock.elapsed(now_of(running)) == 100


def test_the_lobby_can_be_ended(state):
    """Can a session that never started be ended?"""
    play(state, FAC, "session.end")
    assert state.status == "ended"


# --- the scheduler ---------------------------------------------------------------------------


def test_offset_zero_injects_fire_at_start(running):
    """Right after the start, does the scheduler fire the first move's offset-0 inject only?"""
    assert due_ids(running) == ["sys:fire:nk-vice-ministers-tokyo"]
    events = run_due(running)
    assert types(events) == ["inject_fired"]
    assert events[0].actor["kind"] == "system"
    assert due_ids(running) == []


def test_nothing_is_due_in_the_lobby_or_a_pause(state, leads):
    """Is nothing due before the start, or while paused?"""
    assert due_ids(state) == []
    play(state, FAC, "session.start")
    play(state, FAC, "session.pause")
    advance(state, 3600)
    assert due_ids(state) == []


def test_later_injects_wait_for_their_offset(running):
    """Does an inject at offset 2 minutes become due at 120 s of play and not before?"""
    run_due(running)
    advance(running, 119)
    assert due_ids(running) == []
    advance(running, 1)
    assert due_ids(running) == ["sys:fire:usa-intel-test-readiness"]


def test_paused_time_does_not_count_towards_offsets(running):
    """Is an inject at 2 minutes still not due after 1 minute of play and 10 minutes paused?"""
    run_due(running)
    advance(running, 60)
    play(running, FAC, "session.pause")
    advance(running, 600)
    play(running, FAC, "session.resume")
    assert due_ids(running) == []
    advance(running, 60)
    assert due_ids(running) == ["sys:fire:usa-intel-test-readiness"]


def test_held_and_skipped_injects_never_fire_on_schedule(running):
    """Does the scheduler pass over an inject the facilitator held or skipped?"""
    play(running, FAC, "inject.hold", inject_id="nk-vice-ministers-tokyo")
    play(running, FAC, "inject.skip", inject_id="usa-intel-test-readiness")
    advance(running, 300)
    assert due_ids(running) == ["sys:fire:nk-23-missiles"]


def test_a_held_inject_fires_on_schedule_once_released(running):
    """After inject.release, is a held inject whose time has come due again?"""
    play(running, FAC, "inject.hold", inject_id="nk-vice-ministers-tokyo")
    play(running, FAC, "inject.release", inject_id="nk-vice-ministers-tokyo")
    assert due_ids(running) == ["sys:fire:nk-vice-ministers-tokyo"]


def test_the_scheduler_may_not_fire_a_held_inject(running):
    """If a stale scheduler tick tries to fire a held inject, is it refused?"""
    from app.engine import SYSTEM, decide

    play(running, FAC, "inject.hold", inject_id="nk-vice-ministers-tokyo")
    with pytest.raises(CommandError) as caught:
        fields = {"inject_id": "nk-vice-ministers-tokyo"}
        decide(running, SYSTEM, "inject.fire", fields, now_of(running))
    assert caught.value.code == "wrong_state"


def test_injects_of_another_move_never_fire_on_schedule(running):
    """Are the second move's offset-0 injects left alone while the first move runs?"""
    advance(running, 29 * 60)
    assert not [i for i in due_ids(running) if "econ-chip-controls" in i]
    play(running, FAC, "session.next_move")
    assert "sys:fire:econ-chip-controls" in due_ids(running)
    assert not [i for i in due_ids(running) if "nk-" in i]


def test_an_expired_deadline_records_no_consensus_and_closes_proposals(running, leads, fired):
    """When an inject's deadline passes, does the scheduler record no_consensus and close
    the open proposals for it?"""
    fired("nk-23-missiles")
    text = {"inject_id": "nk-23-missiles", "options": ["nk23-condemn-and-un"]}
    play(running, leads["JPN"], "proposal.table", text="Ours", **text)
    play(running, leads["KOR"], "proposal.table", text="Theirs", **text)
    advance(running, 8 * 60 - 1)
    assert [d for d in due_ids(running) if d.startswith("sys:expire")] == []
    advance(running, 1)
    expired = [e for e in run_due(running) if e.type == "deadline_expired"]
    assert expired[0].data == {
        "inject_id": "nk-23-missiles",
        "outcome": "no_consensus",
        "closed_proposals": [1, 2],
    }
    assert running.injects["nk-23-missiles"].outcome == "no_consensus"
    assert {p.status for p in running.proposals.values()} == {"closed"}
    assert running.proposals[1].closed_reason == "deadline"


def test_a_closed_response_window_refuses_new_proposals(running, leads, fired):
    """After the deadline closes, is tabling a response to that inject wrong_state?"""
    fired("nk-23-missiles")
    play(running, FAC, "deadline.close", inject_id="nk-23-missiles")
    with pytest.raises(CommandError) as caught:
        fields = {"inject_id": "nk-23-missiles", "text": "Too late", "options": []}
        play(running, leads["JPN"], "proposal.table", **fields)
    assert caught.value.code == "wrong_state"


def test_extending_a_deadline_moves_it_later(running, fired):
    """Does deadline.extend add the minutes to the open deadline?"""
    fired("nk-23-missiles")
    events = play(running, FAC, "deadline.extend", inject_id="nk-23-missiles", minutes=5)
    assert events[0].audience == "all"
    assert running.injects["nk-23-missiles"].deadline_at == T0 + timedelta(minutes=13)


def test_a_deadline_can_be_extended_or_closed_only_while_open(running, fired):
    """Are extending and closing an unfired or already closed inject wrong_state?"""
    assert refused(running, "deadline.extend", inject_id="nk-23-missiles", minutes=5) == (
        "wrong_state"
    )
    fired("nk-23-missiles")
    play(running, FAC, "deadline.close", inject_id="nk-23-missiles")
    assert refused(running, "deadline.close", inject_id="nk-23-missiles") == "wrong_state"


def test_the_scheduler_cannot_close_a_deadline_early(running, fired):
    """If the scheduler asks to close a deadline that has not passed, is it refused?"""
    from app.engine import SYSTEM, decide

    fired("nk-23-missiles")
    with pytest.raises(CommandError):
        fields = {"inject_id": "nk-23-missiles"}
        decide(running, SYSTEM, "deadline.close", fields, now_of(running))


def test_an_extension_gives_the_expiry_a_new_command_id(running, fired):
    """After an extension, does the expiry get a new id, so the log's idempotency does not
    mistake it for the expiry of the earlier deadline?"""
    fired("nk-23-missiles")
    play(running, FAC, "deadline.extend", inject_id="nk-23-missiles", minutes=5)
    advance(running, 13 * 60)
    assert "sys:expire:nk-23-missiles:2026-11-28T09:13:00.000Z" in due_ids(running)


def test_an_inject_fired_during_a_pause_gets_its_full_time_after_the_resume(running):
    """Fired in the middle of a pause, does an inject's deadline leave its full response time
    once play resumes (the pause before the firing must not be added to it)?"""
    play(running, FAC, "session.pause")
    advance(running, 30 * 60)
    play(running, FAC, "inject.fire", inject_id="nk-23-missiles")  # 8 minutes to respond
    play(running, FAC, "inject.write", title="T", body="B", audience="all", deadline_minutes=5)
    advance(running, 10 * 60)
    resumed_at = now_of(running)
    play(running, FAC, "session.resume")
    assert running.injects["nk-23-missiles"].deadline_at == resumed_at + timedelta(minutes=8)
    assert running.injects["adhoc-1"].deadline_at == resumed_at + timedelta(minutes=5)
