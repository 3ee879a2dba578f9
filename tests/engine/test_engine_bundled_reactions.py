"""The bundled scenario's reactions and its branched slot, played through the engine: Pyongyang
answers an extended drill, Beijing and the markets answer chip alignment, and the
economic-security dialogue inject of Move 2 takes the branch the Phnom Penh text decided. Every
log is folded again from scratch to show that a replay takes the same path."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.engine import FACILITATOR, Viewer, fold
from app.engine.proposals import iso
from app.engine.visibility import filter_data, state_view
from tests.engine.conftest import FAC, advance, log_of, now_of, play, run_due, types


def adopt(state, leads, inject_id, options):  # type: ignore[no-untyped-def]
    """Table a response and have all three leads endorse it; the events of the last endorsement."""
    fields = {"inject_id": inject_id, "text": "Agreed.", "options": options}
    proposal_id = play(state, leads["JPN"], "proposal.table", **fields)[0].data["proposal_id"]
    for code in ("JPN", "KOR", "USA"):
        events = play(state, leads[code], "proposal.endorse", proposal_id=proposal_id, version=1)
    return events


def replays_the_same(state) -> bool:  # type: ignore[no-untyped-def]
    again = fold(state.scenario, 1, log_of(state))
    now = now_of(state)
    return state_view(again, FACILITATOR, now) == state_view(state, FACILITATOR, now)


def test_an_extended_drill_queues_pyongyangs_answer_for_the_white_cell(running, leads):
    """Does adopting the drill extension queue KCNA's answer, due two minutes later, which the
    scheduler leaves to the White Cell and the White Cell then releases under its speaker?"""
    play(running, FAC, "inject.fire", inject_id="nk-23-missiles")
    events = adopt(running, leads, "nk-23-missiles", ["nk23-condemn-and-drill"])
    assert types(events) == ["proposal_position", "proposal_adopted", "reaction_queued"]
    queued = events[-1].data
    assert queued["inject_id"] == "nk-answers-drill-extension"
    assert (
        queued["release"] == "white_cell" and queued["cause"]["option"] == "nk23-condemn-and-drill"
    )
    advance(running, 5 * 60)
    assert "nk-answers-drill-extension" not in [
        e.data.get("inject", {}).get("id") for e in run_due(running)
    ]
    fired = play(running, FAC, "inject.fire", inject_id="nk-answers-drill-extension")[0]
    assert fired.data["inject"]["speaker"] == "KCNA (North Korean state media)"
    assert replays_the_same(running)


def test_a_calmer_answer_queues_nothing(running, leads):
    """Does the de-escalating condemnation at the UN leave Pyongyang's answer unqueued?"""
    play(running, FAC, "inject.fire", inject_id="nk-23-missiles")
    events = adopt(running, leads, "nk-23-missiles", ["nk23-condemn-and-un"])
    assert types(events) == ["proposal_position", "proposal_adopted"]
    assert running.injects["nk-answers-drill-extension"].status == "pending"


def test_full_chip_alignment_draws_beijing_and_the_markets(running, leads):
    """Does full alignment on chip controls queue Beijing's warning (for the White Cell) and the
    markets' slide (released by the scheduler one minute later, and only then)?"""
    play(running, FAC, "inject.fire", inject_id="econ-chip-controls")
    events = adopt(running, leads, "econ-chip-controls", ["chip-align-full"])
    queued = {e.data["inject_id"]: e.data["release"] for e in events if e.type == "reaction_queued"}
    assert queued == {"china-warns-chip-allies": "white_cell", "markets-chip-shares": "automatic"}
    reactions = set(queued)

    def fired_reactions():  # type: ignore[no-untyped-def]
        fired = [e.data["inject"]["id"] for e in run_due(running) if e.type == "inject_fired"]
        return [i for i in fired if i in reactions]

    advance(running, 30)
    assert fired_reactions() == []
    advance(running, 30)
    assert fired_reactions() == ["markets-chip-shares"]
    assert running.injects["china-warns-chip-allies"].status == "queued"
    assert replays_the_same(running)


def _to_the_dialogue_slot(state):  # type: ignore[no-untyped-def]
    """Go to Move 2 and let its scheduler run to minute 25, where the branched slot falls due."""
    play(state, FAC, "session.next_move")
    events = []
    for _minute in range(26):
        events += run_due(state)
        advance(state, 60)
    fired = [e.data["inject"]["id"] for e in events if e.type == "inject_fired"]
    skipped = {e.data["inject_id"]: e.data for e in events if e.type == "inject_skipped"}
    return fired, skipped


@pytest.mark.parametrize(
    ("phnom_penh", "taken", "not_taken"),
    [
        (["pp-adopt-broad"], "econ-security-dialogue", "econ-dialogue-missing"),
        (["pp-harden-china-language"], "econ-security-dialogue", "econ-dialogue-missing"),
        (["pp-north-korea-only"], "econ-dialogue-missing", "econ-security-dialogue"),
        (None, "econ-dialogue-missing", "econ-security-dialogue"),  # no text agreed
    ],
)
def test_the_dialogue_slot_follows_the_phnom_penh_text(
    running, leads, phnom_penh, taken, not_taken
):
    """Does Move 2's dialogue slot fire branch A when the leaders' text launched the dialogue and
    branch B when it did not (slimmed text, or no text at all), skipping the other with its
    reason — the same way again when the log is replayed?"""
    play(running, FAC, "inject.fire", inject_id="nk-phnom-penh")
    if phnom_penh:
        adopt(running, leads, "nk-phnom-penh", phnom_penh)
    fired, skipped = _to_the_dialogue_slot(running)
    assert taken in fired and not_taken not in fired
    assert skipped[not_taken]["by_condition"] is True
    assert "adopted in a joint response" in skipped[not_taken]["reason"]
    assert running.injects[taken].status == "fired"
    assert running.injects[not_taken].status == "skipped"
    assert replays_the_same(running)


# --- pauses -------------------------------------------------------------------------------------


def _markets_queued(running, leads):  # type: ignore[no-untyped-def]
    """Adopt full chip alignment: the markets' reaction is queued, ready one minute later."""
    play(running, FAC, "inject.fire", inject_id="econ-chip-controls")
    adopt(running, leads, "econ-chip-controls", ["chip-align-full"])
    return running.injects["markets-chip-shares"].due_at


def _markets_fired(running) -> bool:  # type: ignore[no-untyped-def]
    fired = [e.data["inject"]["id"] for e in run_due(running) if e.type == "inject_fired"]
    return "markets-chip-shares" in fired


def test_a_pause_pushes_back_a_queued_reaction(running, leads):
    """Does a ten-minute pause make a reaction due one minute after its choice ready ten minutes
    later, as it does deadlines — with the new time told to facilitators only, and the same
    after a replay?"""
    due = _markets_queued(running, leads)
    advance(running, 30)
    play(running, FAC, "session.pause")
    advance(running, 600)
    resumed = play(running, FAC, "session.resume")[0]
    assert running.injects["markets-chip-shares"].due_at == due + timedelta(seconds=600)
    facilitator = filter_data(resumed.data, FACILITATOR)
    assert facilitator["reactions"]["markets-chip-shares"] == iso(due + timedelta(seconds=600))
    assert set(facilitator["reactions"]) == {"markets-chip-shares", "china-warns-chip-allies"}
    assert "reactions" not in filter_data(resumed.data, Viewer("player", "KOR", leads["KOR"].id))
    advance(running, 29)  # 59 s of play since the choice: not ready yet
    assert not _markets_fired(running)
    advance(running, 1)  # one minute of play since the choice
    assert _markets_fired(running)
    assert replays_the_same(running)


def test_a_reaction_chosen_during_a_pause_counts_from_the_resume(running, leads):
    """Is a reaction provoked while the clock is stopped ready its delay after play resumes?"""
    play(running, FAC, "session.pause")
    due = _markets_queued(running, leads)
    advance(running, 300)
    play(running, FAC, "session.resume")
    assert running.injects["markets-chip-shares"].due_at == now_of(running) + timedelta(minutes=1)
    assert due == now_of(running) - timedelta(seconds=300) + timedelta(minutes=1)
    advance(running, 59)
    assert not _markets_fired(running)
    advance(running, 1)
    assert _markets_fired(running)


def test_the_next_move_from_a_pause_pushes_back_queued_reactions(running, leads):
    """Does advancing to the next move from a pause shift queued reactions by the pause too?"""
    due = _markets_queued(running, leads)
    play(running, FAC, "session.pause")
    advance(running, 120)
    moved = play(running, FAC, "session.next_move")[0]
    assert running.injects["markets-chip-shares"].due_at == due + timedelta(seconds=120)
    assert filter_data(moved.data, FACILITATOR)["reactions"]["markets-chip-shares"] == iso(
        due + timedelta(seconds=120)
    )
    assert replays_the_same(running)


def test_resuming_without_queued_reactions_says_nothing_of_them(running):
    """Is the resume event unchanged (no `reactions`) when no reaction is queued?"""
    play(running, FAC, "session.pause")
    advance(running, 60)
    resumed = play(running, FAC, "session.resume")[0]
    assert "_white" not in resumed.data and "reactions" not in filter_data(
        resumed.data, FACILITATOR
    )
