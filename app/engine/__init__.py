"""The rules of the game, as pure functions over plain data (no Flask, Socket.IO or SQL).

- `decide(state, actor, type, fields, now)` -> events to append, or a `CommandError`;
- `apply(state, event)` folds one logged event into the state; `fold` replays a whole log;
- `due_commands(state, now, delay)` lists what the scheduler should do now;
- `state_view` / `scenario_view` / `event_view` filter what each viewer may see.
"""

from app.engine.apply import apply, fold
from app.engine.clock import DueCommand, due_commands
from app.engine.commands import parse_command
from app.engine.errors import CommandError
from app.engine.reclaim import check_device, reclaim_drafts
from app.engine.rules import decide
from app.engine.seats import join_drafts
from app.engine.state import SYSTEM, Actor, Draft, EventRecord, SessionState, new_state
from app.engine.visibility import (
    FACILITATOR,
    OBSERVER,
    Viewer,
    can_see,
    event_view,
    rooms_for,
    scenario_view,
    state_view,
)

__all__ = [
    "FACILITATOR",
    "OBSERVER",
    "SYSTEM",
    "Actor",
    "CommandError",
    "Draft",
    "DueCommand",
    "EventRecord",
    "SessionState",
    "Viewer",
    "apply",
    "can_see",
    "check_device",
    "decide",
    "due_commands",
    "event_view",
    "fold",
    "join_drafts",
    "new_state",
    "parse_command",
    "reclaim_drafts",
    "rooms_for",
    "scenario_view",
    "state_view",
]
