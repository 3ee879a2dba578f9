"""Negotiation (issue 4): proposals, versions, endorsements, adoption, rejection, withdrawal."""

from __future__ import annotations

import pytest

from app.engine import CommandError
from tests.engine.conftest import FAC, advance, play, seat, types

NK = "nk-23-missiles"
CONDEMN = "nk23-condemn-and-drill"
UN = "nk23-condemn-and-un"


def refused(state, actor, kind, **fields) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError) as caught:
        play(state, actor, kind, **fields)
    return caught.value.code


@pytest.fixture
def tabled(running, leads, fired):
    """nk-23-missiles fired and Japan's proposal 1 (condemn and drill) on the table."""
    fired(NK)
    play(
        running, leads["JPN"], "proposal.table", inject_id=NK, text="Joint line", options=[CONDEMN]
    )
    return running.proposals[1]


def endorse(state, actor, proposal_id=1, version=1):  # type: ignore[no-untyped-def]
    return play(state, actor, "proposal.endorse", proposal_id=proposal_id, version=version)


def test_tabling_records_version_one(running, leads, tabled):
    """Does proposal.table record an open proposal at version 1 by the author's delegation?"""
    assert tabled.status == "open" and tabled.delegation == "JPN"
    assert tabled.current.n == 1 and tabled.current.options == (CONDEMN,)
    event = running.__dict__["_test"]["log"][-1]
    assert event.type == "proposal_tabled" and event.audience == "all"
    assert event.data["proposal"]["version"] == 1


def test_options_must_belong_to_the_inject(running, leads, fired):
    """Is a proposal naming an option of another inject refused as not_found?"""
    fired(NK)
    fields = {"inject_id": NK, "text": "t", "options": ["pp-adopt-broad"]}
    assert refused(running, leads["JPN"], "proposal.table", **fields) == "not_found"


def test_an_unfired_inject_cannot_be_answered(running, leads):
    """Is a proposal about an inject that has not fired refused as not_found?"""
    fields = {"inject_id": NK, "text": "t", "options": []}
    assert refused(running, leads["JPN"], "proposal.table", **fields) == "not_found"


def test_a_general_proposal_has_no_options(running, leads):
    """Is a general proposal (no inject) accepted with text only, and refused with options?"""
    play(running, leads["KOR"], "proposal.table", inject_id=None, text="Hotline", options=[])
    assert running.proposals[1].inject_id is None and running.proposals[1].audience == "all"
    fields = {"inject_id": None, "text": "t", "options": [CONDEMN]}
    assert refused(running, leads["KOR"], "proposal.table", **fields) == "not_found"


def test_proposals_wait_for_the_start(state, leads):
    """Is tabling a proposal in the lobby refused as wrong_state?"""
    fields = {"inject_id": None, "text": "t", "options": []}
    assert refused(state, leads["JPN"], "proposal.table", **fields) == "wrong_state"


def test_adoption_needs_all_three_endorsements(running, leads, tabled):
    """Is a proposal adopted on the third endorsement of the same version, and not before?"""
    assert types(endorse(running, leads["JPN"])) == ["proposal_position"]
    assert types(endorse(running, leads["KOR"])) == ["proposal_position"]
    assert tabled.status == "open"
    events = endorse(running, leads["USA"])
    # The adopted drill extension also queues Pyongyang's answer (a reaction of the scenario).
    assert types(events) == ["proposal_position", "proposal_adopted", "reaction_queued"]
    assert events[-1].data["inject_id"] == "nk-answers-drill-extension"
    assert running.proposals[1].status == "adopted"
    assert running.proposals[1].adopted_version == 1
    assert running.injects[NK].outcome == "adopted"
    assert not running.injects[NK].deadline_open


def test_an_amendment_clears_endorsements(running, leads, tabled):
    """Endorse v1 by two, amend, endorse v2 by the third: is nothing adopted?"""
    endorse(running, leads["JPN"])
    endorse(running, leads["KOR"])
    events = play(
        running, leads["USA"], "proposal.amend", proposal_id=1, text="Softer", options=[UN]
    )
    assert types(events) == ["proposal_amended"]
    assert events[0].data["version"] == 2
    assert types(endorse(running, leads["USA"], version=2)) == ["proposal_position"]
    assert running.proposals[1].status == "open"
    endorse(running, leads["JPN"], version=2)
    assert types(endorse(running, leads["KOR"], version=2))[-1] == "proposal_adopted"


@pytest.mark.parametrize("kind", ["proposal.endorse", "proposal.reject", "proposal.reserve"])
def test_a_version_that_never_existed_is_not_found(running, leads, tabled, kind):
    """Is a stance on version 7 of a proposal that has one version refused as not_found ("no
    such version"), not as a version that is "no longer current"?"""
    with pytest.raises(CommandError) as caught:
        play(running, leads["USA"], kind, proposal_id=1, version=7, reason="r")
    assert caught.value.code == "not_found"
    assert "no such version" in caught.value.message
    assert "no longer current" not in caught.value.message


def test_an_old_version_cannot_be_endorsed(running, leads, tabled):
    """Is endorsing version 1 after an amendment refused as wrong_state?"""
    play(running, leads["KOR"], "proposal.amend", proposal_id=1, text="v2", options=[UN])
    assert refused(running, leads["USA"], "proposal.endorse", proposal_id=1, version=1) == (
        "wrong_state"
    )


def test_an_amendment_must_change_something(running, leads, tabled):
    """Is an amendment identical to the current version refused as wrong_state?"""
    fields = {"proposal_id": 1, "text": "Joint line", "options": [CONDEMN]}
    assert refused(running, leads["KOR"], "proposal.amend", **fields) == "wrong_state"


def test_any_member_of_the_audience_may_amend(running, leads, tabled):
    """May a Korean player who does not lead amend Japan's proposal?"""
    seat(running, "Kenji")
    member = seat(running, "Ji-woo")
    assert member.delegation == "KOR" and running.leads["KOR"] != member.id
    play(running, member, "proposal.amend", proposal_id=1, text="v2", options=[UN])
    assert running.proposals[1].current.author["id"] == member.id


def test_rejection_needs_a_reason(running, leads, tabled):
    """Is a rejection without a reason refused as missing_field, and one with it recorded?"""
    assert refused(running, leads["KOR"], "proposal.reject", proposal_id=1, version=1) == (
        "missing_field"
    )
    events = play(
        running, leads["KOR"], "proposal.reject", proposal_id=1, version=1, reason="Too hawkish"
    )
    assert events[0].data["stance"] == "reject"
    assert events[0].data["reason"] == "Too hawkish"
    assert running.proposals[1].positions["KOR"].reason == "Too hawkish"
    assert running.proposals[1].status == "open"


def test_a_reservation_needs_no_reason_and_blocks_adoption(running, leads, tabled):
    """Does a reservation record a stance without a reason, and keep the proposal open?"""
    endorse(running, leads["JPN"])
    endorse(running, leads["KOR"])
    play(running, leads["USA"], "proposal.reserve", proposal_id=1, version=1)
    assert running.proposals[1].positions["USA"].stance == "reserve"
    assert running.proposals[1].status == "open"


def test_a_stance_can_be_changed(running, leads, tabled):
    """Can a lead who rejected a version endorse it later, completing adoption?"""
    endorse(running, leads["JPN"])
    endorse(running, leads["KOR"])
    play(running, leads["USA"], "proposal.reject", proposal_id=1, version=1, reason="Wait")
    assert types(endorse(running, leads["USA"])) == [
        "proposal_position",
        "proposal_adopted",
        "reaction_queued",  # the scenario's reaction to the adopted drill extension
    ]


def test_only_the_authors_delegation_withdraws(running, leads, tabled):
    """Is withdrawal by another delegation refused, and by the author's delegation accepted?"""
    assert refused(running, leads["KOR"], "proposal.withdraw", proposal_id=1) == (
        "not_your_delegation"
    )
    member = seat(running, "Ren")
    assert member.delegation == "JPN"
    assert types(play(running, member, "proposal.withdraw", proposal_id=1)) == [
        "proposal_withdrawn"
    ]
    assert running.proposals[1].status == "withdrawn"
    assert refused(running, leads["USA"], "proposal.endorse", proposal_id=1, version=1) == (
        "wrong_state"
    )


def test_a_proposal_that_does_not_exist_is_not_found(running, leads):
    """Is endorsing proposal 42 refused as not_found?"""
    assert refused(running, leads["JPN"], "proposal.endorse", proposal_id=42, version=1) == (
        "not_found"
    )


def test_adopting_one_proposal_closes_its_competitors(running, leads, tabled):
    """When one of two proposals for the same inject is adopted, is the other closed?"""
    play(running, leads["KOR"], "proposal.table", inject_id=NK, text="Theirs", options=[UN])
    play(running, leads["USA"], "proposal.table", inject_id=None, text="General", options=[])
    endorse(running, leads["JPN"], proposal_id=2)
    endorse(running, leads["KOR"], proposal_id=2)
    adopted = endorse(running, leads["USA"], proposal_id=2)[-1]
    assert adopted.data["closed_proposals"] == [1]
    assert running.proposals[1].status == "closed"
    assert running.proposals[1].closed_reason == "another proposal was adopted"
    assert running.proposals[3].status == "open"
    assert refused(running, leads["JPN"], "proposal.endorse", proposal_id=1, version=1) == (
        "wrong_state"
    )


def test_after_adoption_the_inject_takes_no_new_proposals(running, leads, tabled):
    """Once an inject's response is adopted, is a new proposal for it wrong_state?"""
    for code in ("JPN", "KOR", "USA"):
        endorse(running, leads[code])
    fields = {"inject_id": NK, "text": "Second thoughts", "options": [UN]}
    assert refused(running, leads["KOR"], "proposal.table", **fields) == "wrong_state"


def test_a_private_inject_is_adopted_by_its_audience_alone(running, leads, fired):
    """Is a proposal answering a USA-only inject adopted on the US endorsement alone, and
    hidden from the others?"""
    fired("usa-intel-test-readiness")
    fields = {
        "inject_id": "usa-intel-test-readiness",
        "text": "Share with both allies.",
        "options": ["usa-share-intel-trilateral"],
    }
    tabled = play(running, leads["USA"], "proposal.table", **fields)[0]
    assert tabled.audience == "d:USA"
    assert refused(running, leads["JPN"], "proposal.endorse", proposal_id=1, version=1) == (
        "not_found"
    )
    assert refused(running, leads["JPN"], "proposal.table", **fields) == "not_found"
    events = endorse(running, leads["USA"])
    assert types(events) == ["proposal_position", "proposal_adopted", "indicators_changed"]
    assert events[1].audience == "d:USA"
    assert events[2].audience == "all"
    assert events[2].data["indicators"] == running.indicators
    assert running.indicators["cohesion"] == 45 + 4


def test_positions_after_the_deadline_are_refused(running, leads, tabled):
    """Once the deadline is closed, is an endorsement of a proposal still refused?"""
    play(running, FAC, "deadline.close", inject_id=NK)
    assert refused(running, leads["JPN"], "proposal.endorse", proposal_id=1, version=1) == (
        "wrong_state"
    )


def test_an_endorsement_after_the_deadline_time_is_refused(running, leads, tabled):
    """If the deadline has passed but the scheduler has not closed it yet, is a late
    endorsement still refused (so nothing is adopted after the time is up)?"""
    endorse(running, leads["JPN"])
    endorse(running, leads["KOR"])
    advance(running, 8 * 60 + 1)
    assert refused(running, leads["USA"], "proposal.endorse", proposal_id=1, version=1) == (
        "wrong_state"
    )
    assert running.proposals[1].status == "open"


def test_the_history_of_a_negotiation_is_in_the_events(running, leads, tabled):
    """Does every step of a negotiation leave an event naming who did it?"""
    play(running, leads["KOR"], "proposal.amend", proposal_id=1, text="v2", options=[UN])
    for code in ("KOR", "USA", "JPN"):
        endorse(running, leads[code], version=2)
    log = [e for e in running.__dict__["_test"]["log"] if e.type.startswith("proposal_")]
    assert [(e.type, e.actor["delegation"]) for e in log] == [
        ("proposal_tabled", "JPN"),
        ("proposal_amended", "KOR"),
        ("proposal_position", "KOR"),
        ("proposal_position", "USA"),
        ("proposal_position", "JPN"),
        ("proposal_adopted", "JPN"),
    ]
    assert log[-1].data["proposal"]["versions"][0]["text"] == "Joint line"
    assert log[-1].data["version"] == 2


def test_a_pause_keeps_the_time_left_for_responses(running, leads, tabled):
    """Paused one minute before the deadline, may a lead still endorse ten minutes later?"""
    advance(running, 7 * 60)
    play(running, FAC, "session.pause")
    advance(running, 10 * 60)
    assert types(endorse(running, leads["JPN"])) == ["proposal_position"]
