"""Engine fixtures: the bundled scenario, a session state, and `play` to run commands through
the rules and the fold exactly as the server does, without Flask or a database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from app.content.loader import load_scenario
from app.content.schema import Scenario
from app.engine import (
    Actor,
    CommandError,
    Draft,
    EventRecord,
    SessionState,
    Viewer,
    apply,
    decide,
    due_commands,
    join_drafts,
    new_state,
    parse_command,
)

ROOT = Path(__file__).resolve().parents[2]
SCENARIO_DIR = ROOT / "game_content" / "scenarios" / "trilateral-2023"
T0 = datetime(2026, 11, 28, 9, 0, 0)
FAC = Actor("facilitator", 1, "Prof. Tanaka")
LOBBY = Actor("system", name="Lobby")
CODES = ("JPN", "KOR", "USA")


def _sim(state: SessionState) -> dict[str, Any]:
    # The test log and clock ride on the state itself: tests import these helpers as a second
    # copy of this module (pytest loads conftest under its own name), so no module-level dicts.
    return state.__dict__.setdefault("_test", {"log": [], "now": T0})


@cache
def bundled_scenario() -> Scenario:
    """The bundled scenario, loaded once per test run (a Scenario is frozen, so sharing is safe)."""
    return load_scenario(SCENARIO_DIR)


def log_of(state: SessionState) -> list[EventRecord]:
    """Every event applied to this state so far, in order."""
    return _sim(state)["log"]


def now_of(state: SessionState) -> datetime:
    """The test clock of this state (starts at T0; moved by `advance`)."""
    return _sim(state)["now"]


def advance(state: SessionState, seconds: float) -> datetime:
    """Move the test clock forward; returns the new time."""
    _sim(state)["now"] = now_of(state) + timedelta(seconds=seconds)
    return _sim(state)["now"]


def record(state: SessionState, actor: Actor, drafts: list[Draft]) -> list[EventRecord]:
    """Give drafts a seq and a time, as the event log does, and fold them into the state."""
    events = []
    for draft in drafts:
        event = EventRecord(
            seq=state.seq + 1,
            type=draft.type,
            at=now_of(state),
            actor=actor.as_dict(),
            audience=draft.audience,
            data=draft.data,
        )
        apply(state, event)
        log_of(state).append(event)
        events.append(event)
    return events


def play(state: SessionState, actor: Actor, kind: str, **fields: Any) -> list[EventRecord]:
    """Check a command's shape, decide it and apply its events; returns the events.

    Raises CommandError when the rules (or the shape check) refuse.
    """
    _id, kind, clean = parse_command({"id": "t-1", "type": kind, **fields})
    return record(state, actor, decide(state, actor, kind, clean, now_of(state)))


def seat(state: SessionState, name: str) -> Actor:
    """Join a player through the lobby; returns the actor the server would use for them."""
    player_id = max(state.seats, default=99) + 1
    record(state, LOBBY, join_drafts(state, player_id, name))
    return player(state, player_id)


def player(state: SessionState, player_id: int) -> Actor:
    """The actor of a seated player, with their current delegation."""
    s = state.seats[player_id]
    return Actor("player", s.id, s.name, s.delegation)


def viewer(state: SessionState, actor: Actor) -> Viewer:
    """The viewer a player's connection would have."""
    return Viewer("player", state.seats[actor.id].delegation, actor.id)


def run_due(state: SessionState, delay: float = 0, kind: str | None = None) -> list[EventRecord]:
    """Run what the scheduler finds due now, as one tick of `app.realtime.scheduler` does
    (a command the rules refuse, e.g. made stale by an earlier one, is skipped); returns the
    events. `kind` keeps only the commands of one actor kind ("system" or "auto")."""
    events = []
    for due in due_commands(state, now_of(state), delay):
        if kind is not None and due.actor.kind != kind:
            continue
        try:
            drafts = decide(state, due.actor, due.type, due.fields, now_of(state))
        except CommandError:
            continue
        events += record(state, due.actor, drafts)
    return events


def types(events: list[EventRecord]) -> list[str]:
    return [e.type for e in events]


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return bundled_scenario()


@pytest.fixture
def state(scenario: Scenario) -> SessionState:
    """A session in the lobby, nobody seated."""
    return new_state(scenario, session_id=1)


@pytest.fixture
def leads(state: SessionState) -> dict[str, Actor]:
    """Three players seated, one per delegation: each is their delegation's lead."""
    seated = [seat(state, name) for name in ("Aiko", "Min-jun", "Sam")]
    return {a.delegation: a for a in seated}


@pytest.fixture
def running(state: SessionState, leads: dict[str, Actor]) -> SessionState:
    """A started session with three leads seated."""
    play(state, FAC, "session.start")
    return state


@pytest.fixture
def fired(running: SessionState) -> Callable[[str], EventRecord]:
    """Fire an inject by hand; returns its `inject_fired` event."""

    def fire(inject_id: str) -> EventRecord:
        return play(running, FAC, "inject.fire", inject_id=inject_id)[0]

    return fire
