"""The acceptance tables of docs/protocol.md are what the rules do: every command type in every
session state, and the inject commands in every inject state, are run through the real rules
and their answers compared with the tables, cell by cell, so the doc cannot drift."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.content.loader import load_scenario
from app.engine import Actor, CommandError, Draft, SessionState, decide, new_state
from app.engine.commands import COMMANDS, parse_command
from app.engine.state import SYSTEM
from tests.engine.conftest import FAC, now_of, play, player, record, seat

ROOT = Path(__file__).resolve().parents[2]
PROTOCOL = ROOT / "docs" / "protocol.md"
DEMO = ROOT / "tests" / "fixtures" / "scenarios" / "branching-demo"
RESPONSE = "launch"  # fired in play: all delegations, a deadline, options condemn/drills/wait
PENDING = "kor-private"  # manual, no condition
HELD = "dialogue"  # scheduled later in move 1: held by the facilitator
REACTION = "nk-answers-drills"


def _base(status: str) -> tuple[SessionState, dict[str, Actor]]:
    """A session in `status` where every command has something to act on (when it can)."""
    state = new_state(load_scenario(DEMO), session_id=1)
    who = {name: seat(state, name) for name in ("Aiko", "Min-jun", "Sam")}
    actors = {a.delegation: a for a in who.values()}
    actors["extra"] = seat(state, "Kenji")  # a second player, not a lead
    play(state, FAC, "inject.hold", inject_id=HELD)
    if status != "lobby":
        play(state, FAC, "session.start")
        play(state, FAC, "inject.fire", inject_id=RESPONSE)
        play(
            state,
            actors["JPN"],
            "proposal.table",
            inject_id=RESPONSE,
            text="A joint line",
            options=["condemn"],
        )
    if status == "paused":
        play(state, FAC, "session.pause")
    if status == "ended":
        play(state, FAC, "session.end")
    actors = {k: player(state, a.id) for k, a in actors.items()}
    return state, actors


# A valid example of each command type: who sends it and its fields.
EXAMPLES: dict[str, tuple[str, dict[str, Any]]] = {
    "session.start": ("fac", {}),
    "session.pause": ("fac", {}),
    "session.resume": ("fac", {}),
    "session.next_move": ("fac", {}),
    "session.end": ("fac", {}),
    "lobby.lock": ("fac", {"locked": True}),
    "seat.move": ("fac", {"player_id": "extra", "delegation": "USA"}),
    "seat.set_lead": ("fac", {"delegation": "extra", "player_id": "extra"}),
    "seat.remove": ("fac", {"player_id": "extra"}),
    "seat.reissue_code": ("fac", {"player_id": "extra"}),
    "delegation.set_automatic": ("fac", {"delegation": "USA", "automatic": True}),
    "inject.fire": ("fac", {"inject_id": PENDING}),
    "inject.hold": ("fac", {"inject_id": PENDING}),
    "inject.release": ("fac", {"inject_id": HELD}),
    "inject.skip": ("fac", {"inject_id": PENDING}),
    "inject.write": ("fac", {"title": "News", "body": "Something happened.", "audience": "all"}),
    "deadline.extend": ("fac", {"inject_id": RESPONSE, "minutes": 5}),
    "deadline.close": ("fac", {"inject_id": RESPONSE}),
    "deadline.request_time": ("KOR", {"inject_id": RESPONSE}),
    "indicator.override": ("fac", {"indicator": "escalation", "value": 40, "ruling": "A ruling"}),
    "message.post": ("extra", {"channel": "plenary", "text": "Hello"}),
    "proposal.table": ("KOR", {"inject_id": RESPONSE, "text": "Ours", "options": ["drills"]}),
    "proposal.amend": ("USA", {"proposal_id": 1, "text": "Firmer", "options": ["drills"]}),
    "proposal.endorse": ("KOR", {"proposal_id": 1, "version": 1}),
    "proposal.reject": ("KOR", {"proposal_id": 1, "version": 1, "reason": "Too soft"}),
    "proposal.reserve": ("KOR", {"proposal_id": 1, "version": 1}),
    "proposal.withdraw": ("JPN", {"proposal_id": 1}),
    "statement.issue": ("USA", {"inject_id": RESPONSE, "text": "We condemn", "options": ["wait"]}),
    "debrief.hotwash": ("extra", {"went_well": "The talks"}),
    "debrief.unlock": ("fac", {}),
}


def _answer(state: SessionState, actors: dict[str, Actor], kind: str, **override: Any) -> str:
    """'yes' when the rules accept the example of `kind` on a copy of `state`, else the code."""
    state = copy.deepcopy(state)
    sender, fields = EXAMPLES[kind]
    fields = dict(fields) | override
    extra = actors["extra"]
    for name in ("player_id",):
        if fields.get(name) == "extra":
            fields[name] = extra.id
    if fields.get("delegation") == "extra":
        fields["delegation"] = extra.delegation
    actor = FAC if sender == "fac" else actors[sender]
    _id, kind, clean = parse_command({"id": "x", "type": kind, **fields})
    try:
        decide(state, actor, kind, clean, now_of(state))
    except CommandError as error:
        return error.code
    return "yes"


def _doc_table(heading: str) -> dict[str, dict[str, str]]:
    """The table under `heading` in docs/protocol.md: row label -> column -> 'yes' or a code."""
    text = PROTOCOL.read_text(encoding="utf-8")
    start = text.index(heading)
    lines = [line for line in text[start:].splitlines()[1:] if line.strip()]
    while not lines[0].startswith("|"):
        lines.pop(0)
    rows = []
    for line in lines:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    header, body = rows[0], rows[2:]
    table = {}
    for row in body:
        for label in re.findall(r"`([a-z_.]+)`", row[0]) or [row[0]]:
            table[label] = {
                column: _cell(cell) for column, cell in zip(header[1:], row[1:], strict=True)
            }
    return table


def _cell(cell: str) -> str:
    if cell.startswith("yes"):
        return "yes"
    codes = re.findall(r"`([a-z_]+)`", cell)
    assert codes, f"a cell must be 'yes' or a code: {cell!r}"
    return codes[0]


SESSION_STATES = ("lobby", "running", "paused", "ended")


def test_every_command_has_a_valid_example() -> None:
    """Does the example list cover every command type the server declares?"""
    assert set(EXAMPLES) == set(COMMANDS)


def test_the_session_state_table_is_what_the_rules_do() -> None:
    """Is each cell of "What each session state accepts" the answer the rules give?"""
    doc = _doc_table("### What each session state accepts")
    assert set(doc) == set(COMMANDS), "one row per command type"
    bases = {status: _base(status) for status in SESSION_STATES}
    wrong = []
    for kind in COMMANDS:
        for status in SESSION_STATES:
            found = _answer(*bases[status], kind)
            if doc[kind][status] != found:
                wrong.append(f"{kind} in {status}: doc {doc[kind][status]}, rules {found}")
    assert wrong == []


def _inject_in(status: str) -> tuple[SessionState, dict[str, Actor], str]:
    """A running session with one inject in `status`; returns the state, actors and its id."""
    state, actors = _base("running")
    if status == "pending":
        return state, actors, PENDING
    if status == "held":
        return state, actors, HELD
    if status == "queued":
        cause = {"option": "drills", "how": "adopted", "delegation": None}
        data = {
            "inject_id": REACTION,
            "title": "NK answers",
            "due_at": "2026-11-28T09:05:00.000Z",
            "release": "white_cell",
            "cause": cause,
        }
        record(state, SYSTEM, [Draft("reaction_queued", "white", data)])
        return state, actors, REACTION
    if status == "skipped":
        play(state, FAC, "inject.skip", inject_id=PENDING)
        return state, actors, PENDING
    if status == "fired, deadline open":
        return state, actors, RESPONSE
    if status == "fired, closed":
        play(state, FAC, "deadline.close", inject_id=RESPONSE)
        return state, actors, RESPONSE
    raise AssertionError(status)


INJECT_STATES = ("pending", "held", "queued", "skipped", "fired, deadline open", "fired, closed")
INJECT_COMMANDS: dict[str, Callable[[str], dict[str, Any]]] = {
    "inject.fire": lambda i: {"inject_id": i},
    "inject.hold": lambda i: {"inject_id": i},
    "inject.release": lambda i: {"inject_id": i},
    "inject.skip": lambda i: {"inject_id": i},
    "deadline.extend": lambda i: {"inject_id": i},
    "deadline.close": lambda i: {"inject_id": i},
    "deadline.request_time": lambda i: {"inject_id": i},
    "proposal.table": lambda i: {"inject_id": i, "options": []},
    "statement.issue": lambda i: {"inject_id": i, "options": []},
}


def test_the_inject_state_table_is_what_the_rules_do() -> None:
    """Is each cell of "What each inject state accepts" the answer the rules give (in a
    running session, to a delegation the inject reaches)?"""
    doc = _doc_table("### What each inject state accepts")
    assert set(doc) == set(INJECT_COMMANDS)
    wrong = []
    for status in INJECT_STATES:
        state, actors, inject_id = _inject_in(status)
        for kind, fields in INJECT_COMMANDS.items():
            found = _answer(state, actors, kind, **fields(inject_id))
            if doc[kind][status] != found:
                wrong.append(f"{kind} on {status}: doc {doc[kind][status]}, rules {found}")
    assert wrong == []


@pytest.mark.parametrize("status", SESSION_STATES)
def test_the_bases_are_in_the_state_they_claim(status: str) -> None:
    """Are the sessions the table is computed on really in each state (a sanity check)?"""
    state, _actors = _base(status)
    assert state.status == status
