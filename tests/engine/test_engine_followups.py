"""Rules settled after the first review: rounding, confidential statements, late extensions,
and what the end of a session does to open proposals."""

from __future__ import annotations

from datetime import timedelta

from app.engine.negotiation import half_away_from_zero
from app.engine.visibility import Viewer, can_see
from tests.engine.conftest import FAC, advance, play, types


def test_unilateral_effects_round_halves_away_from_zero() -> None:
    """Does a halved effect of 5 become 3 (and -5 become -3), as authors expect?"""
    assert [half_away_from_zero(v) for v in (2.5, -2.5, 1.5, 0.5, 0.4, -0.4)] == [3, -3, 2, 1, 0, 0]


def test_a_statement_about_a_private_inject_stays_in_its_audience(running, leads, fired, scenario):
    """Is a statement on a KOR-only inject heard by KOR only, while the gauges move for all?"""
    inject = next(i for i in scenario.injects if i.audience == ("KOR",))
    fired(inject.id)
    option = inject.response_options[0].id
    events = play(
        running,
        leads["KOR"],
        "statement.issue",
        inject_id=inject.id,
        text="Our line.",
        options=[option],
    )
    statement = events[0]
    assert statement.type == "statement_issued" and statement.audience == "d:KOR"
    assert not can_see(statement.audience, Viewer("player", "JPN"), scenario)
    if inject.response_options[0].effects:
        assert types(events) == ["statement_issued", "indicators_changed"]
        assert events[1].audience == "all"


def test_extending_a_passed_deadline_counts_from_now(running, fired):
    """Does '+5 minutes' on a deadline that just passed give five minutes from now?"""
    event = fired("nk-23-missiles")
    minutes = event.data["inject"]["deadline_minutes"]
    now = advance(running, minutes * 60 + 30)
    play(running, FAC, "deadline.extend", inject_id="nk-23-missiles", minutes=5)
    assert running.injects["nk-23-missiles"].deadline_at == now + timedelta(minutes=5)


def test_ending_the_session_closes_open_proposals(running, leads, fired):
    """When the session ends, are proposals still open closed with a reason?"""
    event = fired("nk-23-missiles")
    option = event.data["inject"]["response_options"][0]["id"]
    play(
        running,
        leads["JPN"],
        "proposal.table",
        inject_id="nk-23-missiles",
        text="Draft",
        options=[option],
    )
    ended = play(running, FAC, "session.end")[0]
    assert ended.data["closed_proposals"] == [1]
    proposal = running.proposals[1]
    assert (proposal.status, proposal.closed_reason) == ("closed", "the session ended")
