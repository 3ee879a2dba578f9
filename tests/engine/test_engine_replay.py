"""The log is the truth: replaying it rebuilds the same state, and a whole scenario can be
played to agreement through it (issue 4, "done when")."""

from __future__ import annotations

import json
from dataclasses import replace

from app.engine import FACILITATOR, OBSERVER, Viewer, fold
from app.engine.visibility import state_view
from tests.engine.conftest import FAC, advance, log_of, now_of, play, run_due, seat


def views(state, now):  # type: ignore[no-untyped-def]
    viewers = [FACILITATOR, OBSERVER] + [Viewer("player", c, None) for c in ("JPN", "KOR", "USA")]
    return [state_view(state, v, now) for v in viewers]


def eventful_session(state, leads):  # type: ignore[no-untyped-def]
    """A session that touches every kind of event: seats, clock, injects, talk, negotiation."""
    play(state, FAC, "delegation.set_automatic", delegation="KOR", automatic=True)
    ren = seat(state, "Ren")
    play(state, FAC, "seat.move", player_id=ren.id, delegation="USA")
    play(state, FAC, "lobby.lock", locked=True)
    play(state, FAC, "session.start")
    run_due(state)
    advance(state, 130)
    run_due(state)
    play(state, leads["JPN"], "message.post", channel="JPN-USA", text="Shall we?")
    play(state, FAC, "inject.hold", inject_id="nk-23-missiles")
    play(state, FAC, "inject.fire", inject_id="nk-23-missiles")
    fields = {"inject_id": "nk-23-missiles", "text": "Draft", "options": ["nk23-wind-down-drills"]}
    play(state, leads["JPN"], "proposal.table", **fields)
    advance(state, 10)
    run_due(state)
    play(state, FAC, "session.pause")
    advance(state, 60)
    play(state, FAC, "session.resume")
    version = state.proposals[1].current.n
    for code in ("JPN", "USA"):
        play(state, leads[code], "proposal.endorse", proposal_id=1, version=version)
    run_due(state)
    play(state, FAC, "inject.write", title="Leak", body="A leak.", audience=["USA"], options=["A"])
    play(state, leads["USA"], "statement.issue", inject_id="adhoc-1", text="No.", options=[])
    play(state, FAC, "indicator.override", indicator="escalation", value=77, ruling="Tension")
    play(state, FAC, "seat.remove", player_id=ren.id)
    advance(state, 20 * 60)
    run_due(state)
    play(state, FAC, "session.next_move")
    play(state, FAC, "session.end")


def test_folding_the_same_log_twice_gives_the_same_views(state, leads, scenario):
    """Does replaying a session's log, twice, rebuild exactly the views every viewer had?"""
    eventful_session(state, leads)
    log = log_of(state)
    assert len({e.type for e in log}) >= 20
    now = now_of(state)
    live = views(state, now)
    first = fold(scenario, 1, log)
    second = fold(scenario, 1, log)
    assert views(first, now) == live
    assert views(second, now) == live
    assert first.seq == second.seq == log[-1].seq


def test_a_log_read_back_from_json_replays_the_same(state, leads, scenario):
    """After a trip through JSON (as the database stores events), does the log still fold
    into the same views?"""
    eventful_session(state, leads)
    stored = [
        replace(e, actor=json.loads(json.dumps(e.actor)), data=json.loads(json.dumps(e.data)))
        for e in log_of(state)
    ]
    assert views(fold(scenario, 1, stored), now_of(state)) == views(state, now_of(state))


def test_every_inject_of_the_scenario_can_be_answered_by_agreement(state, scenario):
    """Fired in play order, can every inject of the bundled scenario be answered with its first
    option, endorsed by every lead of its audience, leaving the whole history in the log? (Its
    reactions are news with nothing to answer: they are fired in their place; the branch its
    condition rules out is fired anyway, as a facilitator may.)"""
    leads = {a.delegation: a for a in (seat(state, n) for n in ("Aiko", "Min-jun", "Sam"))}
    play(state, FAC, "session.start")
    answered = []
    reactions = []
    for index, move in enumerate(scenario.moves):
        if index:
            play(state, FAC, "session.next_move")
        for inject in scenario.injects_in_move(move.id):
            override = inject.condition is not None
            play(state, FAC, "inject.fire", inject_id=inject.id, override=override)
            if inject.trigger == "reaction":
                reactions.append(inject.id)
                continue
            audience = inject.audience_codes(scenario.delegation_codes)
            option = inject.response_options[0].id
            fields = {"inject_id": inject.id, "text": f"On {inject.title}", "options": [option]}
            tabled = play(state, leads[audience[0]], "proposal.table", **fields)[0]
            proposal_id = tabled.data["proposal_id"]
            for code in audience:
                events = play(
                    state, leads[code], "proposal.endorse", proposal_id=proposal_id, version=1
                )
            assert events[1].type == "proposal_adopted", inject.id
            answered.append(inject.id)
            advance(state, 60)
    assert len(answered) + len(reactions) == len(scenario.injects) == 34
    assert len(reactions) == 5 and {state.injects[r].status for r in reactions} == {"fired"}
    assert {state.injects[i].outcome for i in answered} == {"adopted"}
    assert {p.status for p in state.proposals.values()} == {"adopted"}
    log = log_of(state)
    adopted = [e.data["inject_id"] for e in log if e.type == "proposal_adopted"]
    assert adopted == answered
    for inject_id in answered:
        history = [
            e.type
            for e in log
            if e.data.get("inject_id") == inject_id
            or e.data.get("inject", {}).get("id") == inject_id
            or e.data.get("proposal", {}).get("inject_id") == inject_id
        ]
        assert history[0] == "inject_fired" and history[1] == "proposal_tabled"
        assert history[-1] == "proposal_adopted", inject_id
    assert views(fold(scenario, 1, log), now_of(state)) == views(state, now_of(state))
