"""The state view (`sync.state`) shows each viewer nothing the events that built it did not.

A session is played with confidential injects, proposals, rejections, statements, ad-hoc injects
and rulings, every typed text tagged with the audience it was written for. Then every field of
the state view is walked, for every kind of viewer.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from app.content.schema import Settings
from app.engine import FACILITATOR, OBSERVER, Viewer, can_see
from app.engine.visibility import event_view, scenario_view, state_view
from tests.engine.conftest import FAC, log_of, now_of, play, seat

MARK = re.compile(r"MARK\[([^\]]+)\]")
# Who an audience reaches, written out by hand (not computed with `can_see`).
REACH = {
    "all": {"facilitator", "observer", "JPN", "KOR", "USA"},
    "d:USA": {"facilitator", "USA"},
    "d:KOR": {"facilitator", "KOR"},
    "d:JPN,KOR": {"facilitator", "JPN", "KOR"},
}


def mark(audience: str, what: str) -> str:
    return f"{what} MARK[{audience}]"


def played(state: Any) -> dict[str, Any]:
    """A seminar with something typed for each audience; returns the players by delegation."""
    leads = {a.delegation: a for a in (seat(state, n) for n in ("Aiko", "Min-jun", "Sam"))}
    member = seat(state, "Ken")  # a second player (JPN), not a lead
    play(state, FAC, "session.start")
    confidential = {"usa-intel-test-readiness": "USA", "kor-domestic-ulleungdo": "KOR"}
    for inject_id, code in confidential.items():
        play(state, FAC, "inject.fire", inject_id=inject_id)
        audience = f"d:{code}"
        option = state.injects[inject_id].options[0]
        play(
            state,
            leads[code],
            "proposal.table",
            inject_id=inject_id,
            text=mark(audience, "draft"),
            options=[option],
        )
        proposal_id = max(state.proposals)
        play(
            state,
            leads[code],
            "proposal.amend",
            proposal_id=proposal_id,
            text=mark(audience, "amended"),
            options=[],
        )
        play(
            state,
            leads[code],
            "proposal.reject",
            proposal_id=proposal_id,
            version=2,
            reason=mark(audience, "no"),
        )
        play(
            state,
            leads[code],
            "statement.issue",
            inject_id=inject_id,
            text=mark(audience, "statement"),
            options=[option],
        )
    play(
        state,
        FAC,
        "inject.write",
        title=mark("d:JPN,KOR", "adhoc title"),
        body=mark("d:JPN,KOR", "adhoc body"),
        audience=["JPN", "KOR"],
        options=[mark("d:JPN,KOR", "adhoc option")],
    )
    adhoc = next(i for i in state.injects if i.startswith("adhoc-"))
    play(
        state,
        leads["KOR"],
        "statement.issue",
        inject_id=adhoc,
        text=mark("d:JPN,KOR", "adhoc statement"),
        options=[],
    )
    play(state, leads["JPN"], "statement.issue", text=mark("all", "general"), options=[])
    play(
        state, FAC, "indicator.override", indicator="escalation", value=70, ruling=mark("all", "r")
    )
    play(state, member, "message.post", channel="JPN", text=mark("d:JPN", "chat"))
    return {**leads, "member": member}


def viewers(players: dict[str, Any]) -> list[tuple[str, Viewer]]:
    out = [("facilitator", FACILITATOR), ("observer", OBSERVER)]
    for actor in players.values():
        out.append((actor.delegation, Viewer("player", actor.delegation, actor.id)))
    return out


def leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every (path, leaf) of a JSON-like value, dict keys included as leaves."""
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            out.append((f"{path}.{key}<key>", key))
            out += leaves(item, f"{path}.{key}")
        return out
    if isinstance(value, list | tuple):
        return [pair for i, item in enumerate(value) for pair in leaves(item, f"{path}[{i}]")]
    return [(path, value)]


@pytest.fixture(params=[False, True], ids=["default", "observers-see-bilaterals"])
def session(request, state):  # type: ignore[no-untyped-def]
    if request.param:
        settings = Settings(observers_see_bilaterals=True)
        state.scenario = state.scenario.model_copy(update={"settings": settings})
    return state, played(state)


def test_every_field_of_the_state_view_stays_within_its_audience(session):
    """Does any text typed for one audience appear, anywhere in the state view, for a viewer
    outside that audience (each delegation's players, lead or not, observers, facilitators)?"""
    state, players = session
    for who, viewer in viewers(players):
        view = state_view(state, viewer, now_of(state))
        for path, leaf in leaves(view):
            for audience in MARK.findall(str(leaf)):
                assert who in REACH[audience], f"{who} reads {audience} text at state{path}"


def test_each_viewer_sees_every_text_meant_for_them(session):
    """Is the filter not simply empty: does each viewer's state view hold the statements,
    proposals and injects of every audience that reaches them?"""
    state, players = session
    for who, viewer in viewers(players):
        text = json.dumps(state_view(state, viewer, now_of(state)), ensure_ascii=False)
        seen = set(MARK.findall(text))
        expected = {a for a, reach in REACH.items() if who in reach}
        assert seen == expected, who


def test_the_state_view_holds_only_what_the_viewer_received(session):
    """Is every text of the state view something the viewer was sent, in an event it could see
    or in its scenario view? (So no part of the state can bypass the event filter.)"""
    state, players = session
    for who, viewer in viewers(players):
        sent = {
            leaf
            for event in log_of(state)
            if can_see(event.audience, viewer, state.scenario)
            for _path, leaf in leaves(event_view(event, viewer))
        }
        sent |= {leaf for _path, leaf in leaves(scenario_view(state.scenario, viewer))}
        view = state_view(state, viewer, now_of(state))
        for path, leaf in leaves(view):
            if isinstance(leaf, str) and "MARK[" in leaf:
                assert leaf in sent, f"{who} reads {leaf!r} at state{path} but was never sent it"
