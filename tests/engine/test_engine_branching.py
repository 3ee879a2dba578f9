"""Branches, reactions, tracks, briefing updates, owned indicators and the debrief (issue 11,
engine items 1-5 and 7), played on the test scenario `tests/fixtures/scenarios/branching-demo`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.content.loader import load_scenario
from app.engine import FACILITATOR, OBSERVER, CommandError, Draft, Viewer, fold, new_state
from app.engine.visibility import event_view, scenario_view, state_view
from tests.engine.conftest import (
    FAC,
    advance,
    log_of,
    now_of,
    play,
    record,
    run_due,
    seat,
    types,
)

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios" / "branching-demo"
KOR = Viewer("player", "KOR")
JPN = Viewer("player", "JPN")


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(DEMO)


def adopt(state, leads, inject_id, options):  # type: ignore[no-untyped-def]
    """Table a proposal for an inject and have all three leads endorse it."""
    events = play(
        state,
        leads["JPN"],
        "proposal.table",
        inject_id=inject_id,
        text="We agree.",
        options=options,
    )
    proposal_id = events[0].data["proposal_id"]
    out = []
    for code in ("JPN", "KOR", "USA"):
        out += play(state, leads[code], "proposal.endorse", proposal_id=proposal_id, version=1)
    return out


def fire(state, inject_id):  # type: ignore[no-untyped-def]
    return play(state, FAC, "inject.fire", inject_id=inject_id)


def next_move(state):  # type: ignore[no-untyped-def]
    play(state, FAC, "session.next_move")
    return run_due(state)


# --- conditions ---------------------------------------------------------------------------------


def test_branch_taken_when_the_dialogue_was_created(running, leads):
    """Does adopting 'create the dialogue' fire the A branch of move 2 and skip the B branch?"""
    fire(running, "dialogue")
    adopt(running, leads, "dialogue", ["create-dialogue"])
    events = next_move(running)
    fired = [e.data["inject"]["id"] for e in events if e.type == "inject_fired"]
    skipped = [e for e in events if e.type == "inject_skipped"]
    assert "dialogue-meets" in fired and "dialogue-missing" not in fired
    assert [e.data["inject_id"] for e in skipped] == ["dialogue-missing"]
    assert skipped[0].data["by_condition"] is True
    assert "'Create the dialogue now.' was adopted" in skipped[0].data["reason"]


def test_other_branch_taken_when_the_dialogue_was_not_created(running, leads):
    """Without the dialogue, does the B branch fire and the A branch say why it was skipped?"""
    events = next_move(running)
    fired = [e.data["inject"]["id"] for e in events if e.type == "inject_fired"]
    skipped = {e.data["inject_id"]: e.data["reason"] for e in events if e.type == "inject_skipped"}
    assert "dialogue-missing" in fired
    assert skipped == {
        "dialogue-meets": "the option 'Create the dialogue now.' was not adopted "
        "in a joint response"
    }
    pending = {
        p["id"]: p for p in state_view(running, FACILITATOR, now_of(running))["injects_pending"]
    }
    assert pending["dialogue-meets"]["status"] == "skipped"
    assert "was not adopted" in pending["dialogue-meets"]["skip_reason"]


def test_skipped_inject_is_a_facilitator_only_event(running):
    """Do players never hear of the branch not taken?"""
    events = next_move(running)
    skipped = next(e for e in events if e.type == "inject_skipped")
    assert skipped.audience == "white"


def test_facilitator_fire_of_an_unmet_condition_is_refused_with_the_reason(running):
    """Does firing an inject whose condition fails by hand say why, and fire with override?"""
    with pytest.raises(CommandError) as refused:
        fire(running, "cohesion-check")
    assert refused.value.code == "condition_unmet"
    assert "Trilateral cohesion is 50 (the condition wants at least 55)" in refused.value.message
    events = play(running, FAC, "inject.fire", inject_id="cohesion-check", override=True)
    assert types(events) == ["inject_fired"]
    view = event_view(events[0], FACILITATOR)["data"]
    assert "Trilateral cohesion is 50" in view["condition_overridden"]
    assert "condition_overridden" not in event_view(events[0], JPN)["data"]


def test_fire_anyway_after_skip_by_condition(running):
    """Can the facilitator fire a skipped branch anyway (override), as the console offers?"""
    next_move(running)
    events = play(running, FAC, "inject.fire", inject_id="dialogue-meets", override=True)
    assert running.injects["dialogue-meets"].status == "fired"
    assert events[0].data["_white"]["condition_overridden"]


def test_indicator_and_outcome_clauses(running, leads):
    """Does a condition on an indicator threshold and an earlier inject's outcome hold once both
    are true?"""
    run_due(running)  # launch fires at minute 0
    adopt(running, leads, "launch", ["condemn"])  # cohesion 54, launch adopted
    with pytest.raises(CommandError):
        fire(running, "cohesion-check")
    fire(running, "dialogue")
    adopt(running, leads, "dialogue", ["create-dialogue"])  # cohesion 60
    assert types(fire(running, "cohesion-check")) == ["inject_fired"]


def test_no_consensus_outcome_fails_an_adopted_clause(running):
    """Does an inject that ended without consensus fail a clause wanting it adopted?"""
    run_due(running)  # launch fires at minute 0
    advance(running, 9 * 60)
    run_due(running)
    assert running.injects["launch"].outcome == "no_consensus"
    play(running, FAC, "indicator.override", indicator="cohesion", value=70, ruling="Test")
    with pytest.raises(CommandError) as refused:
        fire(running, "cohesion-check")
    assert "the inject 'launch' ended with no consensus" in refused.value.message


def test_stated_by_clause_counts_only_that_delegation(running, leads):
    """Does `was: stated, by: [KOR]` ignore Japan stating the same option?"""
    run_due(running)
    play(running, FAC, "indicator.override", indicator="cohesion", value=70, ruling="Test")
    play(
        running,
        leads["JPN"],
        "statement.issue",
        inject_id="launch",
        text="Drills.",
        options=["drills"],
    )
    with pytest.raises(CommandError):
        fire(running, "cohesion-check")
    play(
        running,
        leads["KOR"],
        "statement.issue",
        inject_id="launch",
        text="Drills.",
        options=["drills"],
    )
    assert types(fire(running, "cohesion-check")) == ["inject_fired"]


def test_released_branch_is_checked_again_by_the_scheduler(running, leads):
    """After 'release' of a skipped branch, does the scheduler try its condition again?"""
    next_move(running)
    assert running.injects["dialogue-meets"].status == "skipped"
    play(running, FAC, "inject.release", inject_id="dialogue-meets")
    events = run_due(running)
    assert [e.type for e in events if e.data.get("inject_id") == "dialogue-meets"] == [
        "inject_skipped"
    ]
    assert running.injects["dialogue-meets"].skips == 2


# --- reactions ----------------------------------------------------------------------------------


def test_reaction_follows_an_adopted_option_after_its_delay(running, leads):
    """Does adopting 'drills' queue North Korea's answer and fire it two minutes later?"""
    run_due(running)
    events = adopt(running, leads, "launch", ["drills"])
    queued = [e for e in events if e.type == "reaction_queued"]
    assert [e.data["inject_id"] for e in queued] == ["nk-answers-drills"]
    assert queued[0].audience == "white"
    assert queued[0].data["cause"] == {"option": "drills", "how": "adopted", "delegation": None}
    advance(running, 60)
    assert not [e for e in run_due(running) if e.type == "inject_fired"]
    advance(running, 61)
    fired = [e for e in run_due(running) if e.type == "inject_fired"]
    assert [e.data["inject"]["id"] for e in fired] == ["nk-answers-drills"]
    inject = event_view(fired[0], KOR)["data"]["inject"]
    assert inject["speaker"] == "KCNA (North Korean state media)"
    assert inject["reaction"] is True and inject["response_options"] == []


def test_reaction_to_a_statement(running, leads):
    """Does a unilateral statement of 'drills' also provoke the reaction (was: chosen)?"""
    run_due(running)
    events = play(
        running,
        leads["KOR"],
        "statement.issue",
        inject_id="launch",
        text="Drills.",
        options=["drills"],
    )
    queued = [e for e in events if e.type == "reaction_queued"]
    assert queued[0].data["cause"] == {"option": "drills", "how": "stated", "delegation": "KOR"}


def test_reaction_queued_once(running, leads):
    """Does a second choice of the same option not queue the reaction twice?"""
    run_due(running)
    play(
        running,
        leads["KOR"],
        "statement.issue",
        inject_id="launch",
        text="Drills.",
        options=["drills"],
    )
    events = play(
        running,
        leads["USA"],
        "statement.issue",
        inject_id="launch",
        text="Drills.",
        options=["drills"],
    )
    assert "reaction_queued" not in types(events)


def test_white_cell_reaction_waits_for_release(running, leads):
    """Does a reaction the White Cell releases stay queued until a facilitator fires it?"""
    fire(running, "dialogue")
    adopt(running, leads, "dialogue", ["create-dialogue"])
    advance(running, 600)
    assert "china-protest" not in [e.data.get("inject", {}).get("id") for e in run_due(running)]
    pending = {
        p["id"]: p for p in state_view(running, FACILITATOR, now_of(running))["injects_pending"]
    }
    assert pending["china-protest"]["status"] == "queued"
    assert pending["china-protest"]["release"] == "white_cell"
    assert pending["china-protest"]["cause"]["option"] == "create-dialogue"
    assert types(fire(running, "china-protest")) == ["inject_fired"]


def test_adopted_only_reaction_ignores_statements(running, leads):
    """Does `was: adopted` ignore a unilateral statement of the option?"""
    fire(running, "dialogue")
    events = play(
        running,
        leads["JPN"],
        "statement.issue",
        inject_id="dialogue",
        text="Yes.",
        options=["create-dialogue"],
    )
    assert "reaction_queued" not in types(events)


def test_white_cell_speaks_as_a_third_party(running, leads):
    """Can a facilitator post as 'KCNA' in the plenary, and is a player refused?"""
    events = play(
        running, FAC, "message.post", channel="plenary", text="We will answer.", speaker="KCNA"
    )
    assert event_view(events[0], JPN)["data"]["speaker"] == "KCNA"
    with pytest.raises(CommandError) as refused:
        play(running, leads["JPN"], "message.post", channel="plenary", text="x", speaker="KCNA")
    assert refused.value.code == "not_facilitator"


# --- tracks -------------------------------------------------------------------------------------


def on_track(scenario, track):  # type: ignore[no-untyped-def]
    state = new_state(scenario, 1)
    # As app/realtime/sessions.py records it (checked against app/engine/events.py).
    data = {
        "title": "t",
        "scenario": {"slug": scenario.id, "version": 1, "title": "t", "hash": "h"},
        "delegations": list(scenario.delegation_codes),
    }
    if track is not None:
        data["track"] = track
    record(state, FAC, [Draft("session_created", "all", data)])
    return state


def test_track_cuts_injects_durations_and_deadlines(scenario):
    """Does a session on the short track play its injects only, with shorter moves, moved
    offsets and scaled deadlines?"""
    state = on_track(scenario, "seminar-short")
    assert "kor-private" not in state.injects and "cohesion-check" not in state.injects
    assert [m.duration_minutes for m in state.scenario.moves] == [20, 15]
    dialogue = state.scenario.inject("dialogue")
    assert (dialogue.offset_minutes, dialogue.deadline_minutes) == (6, 6)
    view = scenario_view(state.scenario, JPN)
    assert view["track"]["id"] == "seminar-short"
    assert [m["duration_minutes"] for m in view["moves"]] == [20, 15]


def test_track_schedule_follows_the_cut(scenario):
    """Does the scheduler fire the dialogue at minute 6 of the short track, not minute 10?"""
    state = on_track(scenario, "seminar-short")
    for name in ("Aiko", "Min-jun", "Sam"):
        seat(state, name)
    play(state, FAC, "session.start")
    run_due(state)
    advance(state, 6 * 60)
    fired = [e.data["inject"]["id"] for e in run_due(state) if e.type == "inject_fired"]
    assert fired == ["dialogue"]
    remaining = (state.injects["dialogue"].deadline_at - now_of(state)).total_seconds()
    assert remaining == 6 * 60


def test_fixture_without_track_plays_whole(scenario):
    """Without a track, is every inject in play at its written timing?"""
    state = on_track(scenario, None)
    assert len(state.injects) == len(scenario.injects)
    assert state.scenario.inject("dialogue").deadline_minutes == 8


# --- briefing updates ---------------------------------------------------------------------------


def test_briefing_update_reaches_only_its_delegation(running):
    """Does KOR alone read its move-2 briefing update when move 2 starts?"""
    events = play(running, FAC, "session.next_move")
    assert event_view(events[0], KOR)["data"]["private"] == {
        "briefing_update": {
            "move": "move-2",
            "text": "Polls in Seoul have moved since the launches.",
        }
    }
    assert "private" not in event_view(events[0], JPN)["data"]
    assert "private" not in event_view(events[0], OBSERVER)["data"]
    assert event_view(events[0], FACILITATOR)["data"]["private_by_delegation"]["KOR"]


def test_briefing_updates_in_the_state_view(running):
    """Does a delegation's state view list its updates for the moves begun so far?"""
    now = now_of(running)
    assert state_view(running, JPN, now)["briefing_updates"] == [
        {"move": "move-1", "text": "Tokyo's cabinet meets tonight."}
    ]
    assert state_view(running, KOR, now)["briefing_updates"] == []
    play(running, FAC, "session.next_move")
    assert [u["move"] for u in state_view(running, KOR, now)["briefing_updates"]] == ["move-2"]


def test_session_start_carries_the_first_briefing_update(state, leads):
    """Does session_started give Japan its move-1 update?"""
    events = play(state, FAC, "session.start")
    assert event_view(events[0], JPN)["data"]["private"]["briefing_update"]["move"] == "move-1"


# --- delegation-owned indicators ----------------------------------------------------------------


def test_owned_indicator_visible_to_owner_and_facilitators_only(running, leads):
    """Does Seoul's domestic support reach KOR and the White Cell, and nobody else?"""
    run_due(running)
    events = adopt(running, leads, "launch", ["condemn"])
    adopted = next(e for e in events if e.type == "proposal_adopted")
    assert event_view(adopted, KOR)["data"]["indicators"]["support-kor"] == 47
    assert "support-kor" not in event_view(adopted, JPN)["data"]["indicators"]
    assert "support-kor" not in event_view(adopted, JPN)["data"]["effects"]
    assert event_view(adopted, FACILITATOR)["data"]["effects"]["support-kor"] == -3
    now = now_of(running)
    assert state_view(running, KOR, now)["indicators"]["support-kor"] == 47
    assert "support-kor" not in state_view(running, JPN, now)["indicators"]
    assert "support-kor" not in state_view(running, OBSERVER, now)["indicators"]
    ids = [i["id"] for i in scenario_view(running.scenario, JPN)["indicators"]]
    assert "support-kor" not in ids
    assert "support-kor" in [i["id"] for i in scenario_view(running.scenario, KOR)["indicators"]]


def test_override_of_an_owned_indicator_is_hidden_from_others(running):
    """Does a ruling on Seoul's support keep its numbers from Japan?"""
    events = play(
        running, FAC, "indicator.override", indicator="support-kor", value=20, ruling="Protests"
    )
    assert "value" not in event_view(events[0], JPN)["data"]
    assert event_view(events[0], KOR)["data"]["value"] == 20


def test_indicators_hidden_until_the_end_of_the_move(scenario):
    """With indicators hidden during moves, do players see the last move's values until the
    move ends, and the new ones after?"""
    settings = scenario.settings.model_copy(update={"indicators_hidden_during_moves": True})
    hidden = scenario.model_copy(update={"settings": settings})
    state = new_state(hidden, 1)
    leads = {a.delegation: a for a in (seat(state, n) for n in ("Aiko", "Min-jun", "Sam"))}
    play(state, FAC, "session.start")
    run_due(state)
    events = adopt(state, leads, "launch", ["condemn"])
    adopted = next(e for e in events if e.type == "proposal_adopted")
    assert "indicators" not in event_view(adopted, JPN)["data"]
    now = now_of(state)
    assert state_view(state, JPN, now)["indicators"]["cohesion"] == 50
    assert state_view(state, FACILITATOR, now)["indicators"]["cohesion"] == 54
    moved = play(state, FAC, "session.next_move")
    assert event_view(moved[0], JPN)["data"]["indicators"]["cohesion"] == 54
    assert "support-kor" not in event_view(moved[0], JPN)["data"]["indicators"]
    assert state_view(state, JPN, now)["indicators"]["cohesion"] == 54


# --- debrief ------------------------------------------------------------------------------------


def test_hot_wash_only_after_the_end_and_once(running, leads):
    """Is the hot wash refused before the end, stored once after it, for facilitators only?"""
    with pytest.raises(CommandError):
        play(running, leads["JPN"], "debrief.hotwash", went_well="Talking.")
    play(running, FAC, "session.end")
    events = play(
        running, leads["JPN"], "debrief.hotwash", went_well="Talking.", surprised="China."
    )
    assert events[0].type == "hotwash_submitted" and events[0].audience == "white"
    assert events[0].data["answers"] == {"went_well": "Talking.", "surprised": "China."}
    with pytest.raises(CommandError):
        play(running, leads["JPN"], "debrief.hotwash", to_improve="More time.")
    aiko = Viewer("player", "JPN", leads["JPN"].id)
    assert state_view(running, aiko, now_of(running))["hotwash_sent"] is True
    assert state_view(running, FACILITATOR, now_of(running))["hotwash"][0]["surprised"] == "China."
    with pytest.raises(CommandError) as empty:
        play(running, leads["KOR"], "debrief.hotwash")
    assert empty.value.code == "missing_field"


def test_debrief_unlock_after_the_end(running):
    """Can the facilitator unlock 'what actually happened' after the end, once?"""
    play(running, FAC, "session.end")
    assert types(play(running, FAC, "debrief.unlock")) == ["debrief_unlocked"]
    assert running.debrief_unlocked
    with pytest.raises(CommandError):
        play(running, FAC, "debrief.unlock")
    with pytest.raises(CommandError) as refused:
        play(running, FAC, "session.pause")
    assert refused.value.code == "session_ended"


# --- replay -------------------------------------------------------------------------------------


def test_replay_takes_the_same_branches(scenario):
    """Does folding the log of a branching, reacting, tracked session rebuild every view?"""
    state = on_track(scenario, "seminar-short")
    leads = {a.delegation: a for a in (seat(state, n) for n in ("Aiko", "Min-jun", "Sam"))}
    play(state, FAC, "session.start")
    run_due(state)
    adopt(state, leads, "launch", ["drills"])
    advance(state, 150)
    run_due(state)
    advance(state, 240)
    run_due(state)
    adopt(state, leads, "dialogue", ["defer-dialogue"])
    play(state, FAC, "message.post", channel="plenary", text="Beijing speaks.", speaker="MFA")
    advance(state, 600)
    run_due(state)
    play(state, FAC, "session.next_move")
    run_due(state)
    play(state, FAC, "session.end")
    play(state, leads["KOR"], "debrief.hotwash", to_improve="Faster.")
    log = log_of(state)
    assert {"reaction_queued", "inject_skipped", "hotwash_submitted"} <= set(types(log))
    now = now_of(state)
    viewers = [FACILITATOR, OBSERVER, JPN, KOR, Viewer("player", "USA")]
    live = [state_view(state, v, now) for v in viewers]
    again = fold(scenario, 1, log)
    assert json.dumps([state_view(again, v, now) for v in viewers], sort_keys=True) == json.dumps(
        live, sort_keys=True
    )
    assert again.scenario.track_id == "seminar-short"
