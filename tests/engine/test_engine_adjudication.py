"""Adjudication: indicator effects of adopted responses and statements, clamping, the
facilitator's override, objective scores, and red-line warnings."""

from __future__ import annotations

import pytest

from app.engine import FACILITATOR, CommandError, Viewer
from app.engine.visibility import filter_data, state_view
from tests.engine.conftest import FAC, now_of, play

NK = "nk-23-missiles"


def refused(state, actor, kind, **fields) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError) as caught:
        play(state, actor, kind, **fields)
    return caught.value.code


def adopt(state, leads, inject_id, options, proposal_id=1):  # type: ignore[no-untyped-def]
    """Table a response with these options and have every lead endorse it; the adoption."""
    fields = {"inject_id": inject_id, "text": "Joint response", "options": options}
    play(state, leads["JPN"], "proposal.table", **fields)
    for code in ("JPN", "KOR", "USA"):
        events = play(state, leads[code], "proposal.endorse", proposal_id=proposal_id, version=1)
    # The adoption comes last, except for the reactions the scenario keys to the chosen options
    # (e.g. Pyongyang answering an extended drill), which it queues right after.
    reactions = [
        i.id
        for i in state.scenario.injects
        if i.reacts_to is not None and set(i.reacts_to.options) & set(options)
    ]
    head, tail = events[: len(events) - len(reactions)], events[len(events) - len(reactions) :]
    assert head[-1].type == "proposal_adopted"
    assert [(e.type, e.data["inject_id"]) for e in tail] == [
        ("reaction_queued", r) for r in reactions
    ]
    return head[-1]


def test_adoption_moves_indicators_by_the_options_effects(running, leads, fired, scenario):
    """Does an adopted response add each chosen option's effects to the indicators?"""
    fired(NK)
    before = dict(running.indicators)
    adopted = adopt(running, leads, NK, ["nk23-condemn-and-drill", "nk23-condemn-and-un"])
    a = scenario.option("nk23-condemn-and-drill").effects
    b = scenario.option("nk23-condemn-and-un").effects
    expected = {k: a.get(k, 0) + b.get(k, 0) for k in set(a) | set(b)}
    assert adopted.data["effects"] == expected
    for indicator, value in before.items():
        assert running.indicators[indicator] == value + expected.get(indicator, 0)
    assert adopted.data["indicators"] == running.indicators


def test_indicators_stay_within_their_range(running, leads, fired):
    """Does an effect that would push an indicator past its bounds stop at the bound?"""
    play(running, FAC, "indicator.override", indicator="escalation", value=98, ruling="Tense")
    play(running, FAC, "indicator.override", indicator="china-relations", value=3, ruling="Cold")
    fired(NK)
    adopt(running, leads, NK, ["nk23-condemn-and-drill"])  # escalation +5, china-relations -2
    assert running.indicators["escalation"] == 100
    fired("econ-chip-controls")
    adopt(running, leads, "econ-chip-controls", ["chip-align-full"], proposal_id=2)
    assert running.indicators["china-relations"] == 0


def test_adoption_scores_each_delegations_objectives(running, leads, fired, scenario):
    """Are the objectives of every delegation scored from the adopted options' scoring tables,
    each delegation's score sent privately to it?"""
    fired(NK)
    adopted = adopt(running, leads, NK, ["nk23-condemn-and-drill"])
    for delegation in scenario.delegations:
        for objective in delegation.objectives:
            points = objective.scoring.options.get("nk23-condemn-and-drill", 0)
            assert running.scores[delegation.code][objective.id] == points
    assert running.scores["USA"]["usa-obj-united-front"] == 3
    assert adopted.data["_private"]["KOR"]["score"]["total"] == 2
    korean = filter_data(adopted.data, Viewer("player", "KOR", leads["KOR"].id))
    assert korean["private"]["score"]["objectives"]["kor-obj-extended-deterrence"] == 2
    assert "score_deltas" not in korean and "_private" not in korean


def test_scores_add_up_over_adoptions(running, leads, fired):
    """Do scores accumulate over several adopted responses, negative points included?"""
    fired(NK)
    adopt(running, leads, NK, ["nk23-condemn-and-drill"])
    fired("nk-icbm-next-day")
    adopt(running, leads, "nk-icbm-next-day", ["icbm-bilateral-tracks"], proposal_id=2)
    assert running.scores["JPN"]["jpn-obj-trilateral-nk"] == 2 - 2
    assert running.scores["USA"]["usa-obj-united-front"] == 3 - 1


def test_a_player_sees_only_their_own_score(running, leads, fired):
    """Does the state view give a player their own delegation's score and no other?"""
    fired(NK)
    adopt(running, leads, NK, ["nk23-condemn-and-drill"])
    view = state_view(running, Viewer("player", "USA", leads["USA"].id), now_of(running))
    assert view["scores"] == {"USA": {"total": 3, "objectives": running.scores["USA"]}}
    assert set(state_view(running, FACILITATOR, now_of(running))["scores"]) == {
        "JPN",
        "KOR",
        "USA",
    }


# --- statements ------------------------------------------------------------------------------


def test_a_statement_applies_unilateral_effects(running, leads, fired, scenario):
    """Does a statement with an option that has unilateral_effects apply exactly those?"""
    fired("nk-vice-ministers-tokyo")
    before = dict(running.indicators)
    fields = {"inject_id": "nk-vice-ministers-tokyo", "text": "We act.", "options": []}
    fields["options"] = ["vm-response-package"]
    event = play(running, leads["USA"], "statement.issue", **fields)[0]
    assert event.type == "statement_issued" and event.audience == "all"
    assert event.data["effects"] == {"deterrence": 2, "cohesion": -2}
    assert running.indicators["deterrence"] == before["deterrence"] + 2
    assert running.indicators["cohesion"] == before["cohesion"] - 2
    assert running.statements[0]["delegation"] == "USA"


def test_a_statement_otherwise_applies_effects_times_the_factor(running, leads, fired, scenario):
    """Without unilateral_effects, does a statement apply the effects times the factor?"""
    fired("nk-icbm-next-day")
    option = scenario.option("icbm-trilateral-deterrence-statement")
    assert option.unilateral_effects is None and scenario.settings.unilateral_factor == 0.5
    fields = {
        "inject_id": "nk-icbm-next-day",
        "text": "Deterrence.",
        "options": ["icbm-trilateral-deterrence-statement"],
    }
    event = play(running, leads["JPN"], "statement.issue", **fields)[0]
    assert event.data["effects"] == {k: round(v * 0.5) for k, v in option.effects.items()}
    assert event.data["effects"] == {
        "deterrence": 3,
        "cohesion": 3,
        "escalation": 1,
        "china-relations": -1,
    }


def test_a_statement_does_not_settle_the_inject(running, leads, fired):
    """After a statement, is the inject still open for a joint response?"""
    fired(NK)
    fields = {"inject_id": NK, "text": "We condemn.", "options": ["nk23-condemn-and-un"]}
    play(running, leads["KOR"], "statement.issue", **fields)
    assert running.injects[NK].outcome is None
    adopt(running, leads, NK, ["nk23-condemn-and-un"])


def test_an_option_counts_once_per_delegation_statement(running, leads, fired):
    """Can a lead repeat the same option in statement after statement to push an indicator?
    (no: the second is refused as wrong_state)"""
    fired(NK)
    fields = {"inject_id": NK, "text": "We condemn.", "options": ["nk23-condemn-and-drill"]}
    play(running, leads["USA"], "statement.issue", **fields)
    assert refused(running, leads["USA"], "statement.issue", **fields) == "wrong_state"
    play(running, leads["USA"], "statement.issue", inject_id=NK, text="Again, words.", options=[])
    play(running, leads["JPN"], "statement.issue", **fields)
    assert len(running.statements) == 3


def test_a_statement_needs_a_fired_inject_it_may_see(running, leads, fired):
    """Is a statement about an unfired inject, or another delegation's private inject,
    refused as not_found?"""
    fields = {"inject_id": NK, "text": "t", "options": []}
    assert refused(running, leads["JPN"], "statement.issue", **fields) == "not_found"
    fired("usa-intel-test-readiness")
    fields["inject_id"] = "usa-intel-test-readiness"
    assert refused(running, leads["JPN"], "statement.issue", **fields) == "not_found"


# --- the facilitator's override --------------------------------------------------------------


def test_an_override_sets_the_value_with_a_ruling(running):
    """Does indicator.override set the value and record the ruling and the previous value?"""
    event = play(
        running, FAC, "indicator.override", indicator="cohesion", value=70, ruling="Summit"
    )[0]
    assert event.data["previous"] == 45 and event.data["value"] == 70
    assert running.indicators["cohesion"] == 70
    assert running.rulings[0]["ruling"] == "Summit"


def test_an_override_needs_a_ruling_and_a_value_in_range(running):
    """Is an override without a ruling missing_field, and one out of range bad_field?"""
    assert refused(running, FAC, "indicator.override", indicator="cohesion", value=70) == (
        "missing_field"
    )
    fields = {"indicator": "cohesion", "value": 101, "ruling": "r"}
    assert refused(running, FAC, "indicator.override", **fields) == "bad_field"


# --- red lines -------------------------------------------------------------------------------


def test_red_line_warnings_go_only_to_the_delegation_whose_line_is_crossed(running, leads, fired):
    """When a proposal crosses Korea's red line, is only Korea warned, privately?"""
    fired("nk-phnom-penh")
    fields = {
        "inject_id": "nk-phnom-penh",
        "text": "Tough",
        "options": ["pp-harden-china-language"],
    }
    event = play(running, leads["JPN"], "proposal.table", **fields)[0]
    assert set(event.data["_private"]) == {"KOR"}
    assert event.data["_private"]["KOR"]["red_lines"][0]["id"] == "kor-rl-china-adversary"
    korea = filter_data(event.data, Viewer("player", "KOR", leads["KOR"].id))
    japan = filter_data(event.data, Viewer("player", "JPN", leads["JPN"].id))
    assert korea["private"]["red_lines"][0]["options"] == ["pp-harden-china-language"]
    assert "private" not in japan and "_private" not in japan
    assert "kor-rl" not in str(japan)


def test_one_option_can_cross_two_delegations_red_lines(running, leads, fired):
    """Does an option on two delegations' red lines warn both, and only them?"""
    fired("nk-nuclear-debate")
    fields = {
        "inject_id": "nk-nuclear-debate",
        "text": "Plan together",
        "options": ["nuke-joint-planning-exercises"],
    }
    event = play(running, leads["KOR"], "proposal.table", **fields)[0]
    assert set(event.data["_private"]) == {"JPN", "USA"}


def test_an_amendment_that_removes_the_crossing_option_clears_the_warning(running, leads, fired):
    """Does an amendment that drops the offending option carry no warning?"""
    fired("nk-phnom-penh")
    fields = {
        "inject_id": "nk-phnom-penh",
        "text": "Tough",
        "options": ["pp-harden-china-language"],
    }
    play(running, leads["JPN"], "proposal.table", **fields)
    amended = play(
        running,
        leads["KOR"],
        "proposal.amend",
        proposal_id=1,
        text="Broad",
        options=["pp-adopt-broad"],
    )[0]
    assert "_private" not in amended.data


def test_the_state_view_warns_only_the_crossed_delegation(running, leads, fired):
    """In the state view, does Korea see its crossed red line, Japan none, and the facilitator
    every delegation's?"""
    fired("nk-phnom-penh")
    fields = {
        "inject_id": "nk-phnom-penh",
        "text": "Tough",
        "options": ["pp-harden-china-language"],
    }
    play(running, leads["JPN"], "proposal.table", **fields)
    now = now_of(running)
    korea = state_view(running, Viewer("player", "KOR", leads["KOR"].id), now)["proposals"][0]
    japan = state_view(running, Viewer("player", "JPN", leads["JPN"].id), now)["proposals"][0]
    white = state_view(running, FACILITATOR, now)["proposals"][0]
    assert [r["id"] for r in korea["red_lines"]] == ["kor-rl-china-adversary"]
    assert not japan.get("red_lines")
    assert set(white["red_lines_by_delegation"]) == {"KOR"}
