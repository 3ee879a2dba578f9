"""Injects: firing, holding, releasing, skipping, and writing one during play."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.engine import CommandError
from tests.engine.conftest import FAC, T0, play, types


def refused(state, kind, **fields) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError) as caught:
        play(state, FAC, kind, **fields)
    return caught.value.code


def test_firing_sends_the_inject_without_teaching_notes(running, scenario):
    """Does inject.fire record the inject for its audience, with teaching notes set apart?"""
    events = play(running, FAC, "inject.fire", inject_id="nk-23-missiles")
    assert types(events) == ["inject_fired"]
    data = events[0].data
    assert events[0].audience == "all"
    assert data["inject"]["id"] == "nk-23-missiles"
    assert "teaching_point" not in data["inject"]
    assert data["_white"]["teaching_point"] == scenario.inject("nk-23-missiles").teaching_point
    assert data["deadline_at"] == "2026-11-28T09:08:00.000Z"
    status = running.injects["nk-23-missiles"]
    assert status.status == "fired" and status.deadline_open
    assert status.options == tuple(o.id for o in scenario.inject("nk-23-missiles").response_options)


def test_a_private_inject_goes_to_its_delegation_only(running):
    """Is an inject meant for the United States recorded with the audience d:USA?"""
    events = play(running, FAC, "inject.fire", inject_id="usa-intel-test-readiness")
    assert events[0].audience == "d:USA"
    assert events[0].data["inject"]["audience"] == ["USA"]


def test_an_inject_fires_once(running):
    """Is firing an inject a second time refused as wrong_state?"""
    play(running, FAC, "inject.fire", inject_id="nk-23-missiles")
    assert refused(running, "inject.fire", inject_id="nk-23-missiles") == "wrong_state"


def test_injects_cannot_fire_in_the_lobby(state):
    """Is firing an inject before the start refused as wrong_state?"""
    assert refused(state, "inject.fire", inject_id="nk-23-missiles") == "wrong_state"


def test_a_facilitator_can_fire_a_manual_inject_of_a_later_move(running):
    """May the White Cell fire any inject by hand, whatever its move or trigger?"""
    play(running, FAC, "inject.fire", inject_id="china-taiwan-hypothetical")
    assert running.injects["china-taiwan-hypothetical"].status == "fired"


def test_hold_release_skip_are_for_facilitators_only(running):
    """Are inject_held / inject_released / inject_skipped sent to the White Cell only?"""
    held = play(running, FAC, "inject.hold", inject_id="nk-23-missiles")
    released = play(running, FAC, "inject.release", inject_id="nk-23-missiles")
    skipped = play(running, FAC, "inject.skip", inject_id="nk-23-missiles")
    assert [e.audience for e in held + released + skipped] == ["white"] * 3
    assert types(held + released + skipped) == ["inject_held", "inject_released", "inject_skipped"]
    assert running.injects["nk-23-missiles"].status == "skipped"


def test_hold_release_skip_follow_the_inject_status(running):
    """Are hold, release and skip refused as wrong_state when the inject is not in a state
    they apply to?"""
    assert refused(running, "inject.release", inject_id="nk-23-missiles") == "wrong_state"
    play(running, FAC, "inject.hold", inject_id="nk-23-missiles")
    assert refused(running, "inject.hold", inject_id="nk-23-missiles") == "wrong_state"
    play(running, FAC, "inject.skip", inject_id="nk-23-missiles")
    assert refused(running, "inject.skip", inject_id="nk-23-missiles") == "wrong_state"
    play(running, FAC, "inject.release", inject_id="nk-23-missiles")
    assert running.injects["nk-23-missiles"].status == "pending"
    play(running, FAC, "inject.fire", inject_id="nk-23-missiles")
    for kind in ("inject.hold", "inject.skip", "inject.release"):
        assert refused(running, kind, inject_id="nk-23-missiles") == "wrong_state"


def test_a_held_inject_can_still_be_fired_by_hand(running):
    """Can the facilitator fire an inject they held earlier?"""
    play(running, FAC, "inject.hold", inject_id="nk-23-missiles")
    play(running, FAC, "inject.fire", inject_id="nk-23-missiles")
    assert running.injects["nk-23-missiles"].status == "fired"


def test_written_injects_are_numbered_adhoc(running):
    """Are injects written during play given ids adhoc-1, adhoc-2, ... with option ids?"""
    first = play(
        running,
        FAC,
        "inject.write",
        title="Typhoon",
        body="A typhoon hits Okinawa.",
        audience="all",
        options=["Send aid together", "Each on its own"],
        deadline_minutes=5,
    )[0]
    second = play(running, FAC, "inject.write", title="Leak", body="A leak.", audience=["KOR"])[0]
    assert first.data["inject"]["id"] == "adhoc-1"
    assert second.data["inject"]["id"] == "adhoc-2"
    assert [o["id"] for o in first.data["inject"]["response_options"]] == [
        "adhoc-1-opt-1",
        "adhoc-1-opt-2",
    ]
    assert first.data["deadline_at"] == "2026-11-28T09:05:00.000Z"
    assert second.data["deadline_at"] is None
    assert running.injects["adhoc-1"].deadline_at == T0 + timedelta(minutes=5)
    assert first.data["_white"] == {"written_by": FAC.name}


def test_a_written_inject_can_be_private(running):
    """Does a written inject for [USA, JPN] reach those two, in scenario order?"""
    event = play(
        running, FAC, "inject.write", title="Call", body="A call.", audience=["USA", "JPN"]
    )[0]
    assert event.audience == "d:JPN,USA"
    assert event.data["inject"]["audience"] == ["JPN", "USA"]


def test_an_adhoc_inject_can_be_answered_with_its_options(running, leads):
    """Can the three leads adopt a response to an ad-hoc inject, with no indicator effects?"""
    play(running, FAC, "inject.write", title="T", body="B", audience="all", options=["Aid"])
    fields = {"inject_id": "adhoc-1", "text": "We send aid.", "options": ["adhoc-1-opt-1"]}
    play(running, leads["JPN"], "proposal.table", **fields)
    before = dict(running.indicators)
    for code in ("JPN", "KOR", "USA"):
        events = play(running, leads[code], "proposal.endorse", proposal_id=1, version=1)
    assert events[-1].type == "proposal_adopted"
    assert events[-1].data["effects"] == {}
    assert running.indicators == before
    assert running.injects["adhoc-1"].outcome == "adopted"
