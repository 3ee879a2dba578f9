"""Automatic delegations: the server plays a government nobody is seated for."""

from __future__ import annotations

import pytest

from app.content.schema import Objective, Scoring
from app.engine import due_commands, new_state
from app.engine.autoplay import auto_response
from tests.engine.conftest import FAC, advance, now_of, play, run_due, seat, types


@pytest.fixture
def korea_auto(state):  # type: ignore[no-untyped-def]
    """Korea played by the server; Japan and the US seated; the session running."""
    play(state, FAC, "delegation.set_automatic", delegation="KOR", automatic=True)
    humans = {a.delegation: a for a in (seat(state, "Aiko"), seat(state, "Sam"))}
    assert set(humans) == {"JPN", "USA"}
    play(state, FAC, "session.start")
    return humans


def table(state, actor, inject_id, options):  # type: ignore[no-untyped-def]
    play(state, FAC, "inject.fire", inject_id=inject_id)
    fields = {"inject_id": inject_id, "text": "Draft", "options": options}
    return play(state, actor, "proposal.table", **fields)


def test_it_endorses_what_serves_its_objectives(state, korea_auto):
    """Does automatic Korea endorse a response that scores for its objectives?"""
    table(state, korea_auto["JPN"], "nk-23-missiles", ["nk23-condemn-and-drill"])
    events = run_due(state, kind="auto")
    assert types(events) == ["proposal_position"]
    assert events[0].actor["kind"] == "auto" and events[0].actor["delegation"] == "KOR"
    assert events[0].data["stance"] == "endorse" and events[0].data["delegation"] == "KOR"
    assert run_due(state, kind="auto") == []


def test_it_counter_proposes_once_when_an_option_hurts_it(state, korea_auto):
    """Does automatic Korea amend away an option that hurts its objectives, offering its best
    option from the inject's menu, and then endorse its own amendment?"""
    table(state, korea_auto["JPN"], "nk-23-missiles", ["nk23-wind-down-drills"])
    amended = run_due(state, kind="auto")
    assert types(amended) == ["proposal_amended"]
    assert amended[0].data["options"] == ["nk23-condemn-and-drill"]
    assert "We cannot accept" in amended[0].data["text"]
    assert state.proposals[1].countered_by == {"KOR"}
    assert [e.data["stance"] for e in run_due(state, kind="auto")] == ["endorse"]


def test_it_counter_proposes_when_a_red_line_is_crossed(state, korea_auto):
    """Does automatic Korea amend away an option on its red line?"""
    table(state, korea_auto["JPN"], "nk-phnom-penh", ["pp-harden-china-language"])
    amended = run_due(state, kind="auto")
    assert types(amended) == ["proposal_amended"]
    assert "pp-harden-china-language" not in amended[0].data["options"]
    assert amended[0].data["options"] == ["pp-adopt-broad"]


def test_after_one_counter_it_rejects_with_its_reason(state, korea_auto, scenario):
    """When its counter-proposal is amended back across its red line, does automatic Korea
    reject, naming the red line, instead of amending again?"""
    table(state, korea_auto["JPN"], "nk-phnom-penh", ["pp-harden-china-language"])
    run_due(state, kind="auto")
    fields = {"proposal_id": 1, "text": "Back to tough", "options": ["pp-harden-china-language"]}
    play(state, korea_auto["USA"], "proposal.amend", **fields)
    events = run_due(state, kind="auto")
    assert types(events) == ["proposal_position"]
    assert events[0].data["stance"] == "reject" and events[0].data["version"] == 3
    red_line = scenario.delegation("KOR").red_lines[0]
    assert red_line.id == "kor-rl-china-adversary"
    assert red_line.text in events[0].data["reason"]


def test_it_waits_for_the_delay_before_answering(state, korea_auto):
    """Does an automatic delegation wait the configured delay after each new version?"""
    table(state, korea_auto["JPN"], "nk-23-missiles", ["nk23-condemn-and-drill"])
    assert [d for d in due_commands(state, now_of(state), 6) if d.actor.kind == "auto"] == []
    advance(state, 6)
    due = [d for d in due_commands(state, now_of(state), 6) if d.actor.kind == "auto"]
    assert [d.id for d in due] == ["auto:KOR:1:1"]


def test_it_ignores_proposals_outside_its_audience(state, scenario):
    """Does an automatic Japan leave a USA-only proposal alone?"""
    play(state, FAC, "delegation.set_automatic", delegation="JPN", automatic=True)
    usa = {a.delegation: a for a in (seat(state, "Min-jun"), seat(state, "Sam"))}["USA"]
    play(state, FAC, "session.start")
    table(state, usa, "usa-intel-test-readiness", ["usa-share-intel-trilateral"])
    assert [d for d in due_commands(state, now_of(state), 0) if d.actor.kind == "auto"] == []


def test_it_decides_on_what_its_own_delegation_can_see(state, korea_auto, scenario):
    """Does automatic Korea answer every option the same, whatever the other delegations'
    private objectives and red lines say?"""
    table(state, korea_auto["JPN"], "nk-23-missiles", ["nk23-condemn-and-drill"])
    proposal = state.proposals[1]
    generous = Objective(id="x", text="Anything", scoring=Scoring(options={"vm-ambiguity": 9}))
    others = tuple(
        d if d.code == "KOR" else d.model_copy(update={"red_lines": (), "objectives": (generous,)})
        for d in scenario.delegations
    )
    altered = new_state(scenario.model_copy(update={"delegations": others}), 1)
    altered.injects = state.injects
    for inject in scenario.injects:
        state.injects[inject.id].options = tuple(o.id for o in inject.response_options)
        for option in inject.response_options:
            proposal.versions[-1].options = (option.id,)
            proposal.inject_id = inject.id
            assert auto_response(state, "KOR", proposal) == auto_response(
                altered, "KOR", proposal
            ), option.id


def test_two_automatic_delegations_never_loop(state, scenario):
    """With Korea and the US automatic and one agreeable human, does every negotiation over
    every single option of every inject to all end adopted or rejected within a few steps?"""
    play(state, FAC, "delegation.set_automatic", delegation="KOR", automatic=True)
    play(state, FAC, "delegation.set_automatic", delegation="USA", automatic=True)
    human = seat(state, "Aiko")
    play(state, FAC, "session.start")
    outcomes = set()
    for inject in scenario.injects:
        if inject.audience != "all" or inject.trigger == "reaction":
            continue  # private injects, and reactions (news, with nothing to negotiate)
        # Both versions of a branched slot are negotiated: the one whose condition the
        # earlier adoptions rule out is fired anyway, as a facilitator may.
        override = inject.condition is not None
        play(state, FAC, "inject.fire", inject_id=inject.id, override=override)
        for option in inject.response_options:
            fields = {"inject_id": inject.id, "text": "Draft", "options": [option.id]}
            proposal_id = play(state, human, "proposal.table", **fields)[0].data["proposal_id"]
            proposal = state.proposals[proposal_id]
            for _step in range(12):
                if proposal.status != "open" or any(
                    p.stance == "reject" and p.version == proposal.current.n
                    for p in proposal.positions.values()
                ):
                    break
                mine = proposal.positions.get("JPN")
                if mine is None or mine.version != proposal.current.n:
                    version = proposal.current.n
                    play(state, human, "proposal.endorse", proposal_id=proposal_id, version=version)
                    continue
                assert run_due(state, kind="auto"), f"stuck on {option.id}"
            else:
                pytest.fail(f"the negotiation over {option.id} did not end")
            outcomes.add("adopted" if proposal.status == "adopted" else "rejected")
            if proposal.status == "adopted":
                break  # the inject is settled; its other options can no longer be tabled
            play(state, human, "proposal.withdraw", proposal_id=proposal_id)
    assert outcomes == {"adopted", "rejected"}
    assert due_commands(state, now_of(state), 0) == []
