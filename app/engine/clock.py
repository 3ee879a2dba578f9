"""Time-driven work: scheduled injects, expiring deadlines and automatic delegations.

`due_commands` looks at a state and the time and lists the commands the server itself should
send now. Each has a deterministic id, so when several processes tick at once the log's
idempotency keeps exactly one of each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.content.schema import Inject
from app.engine.autoplay import auto_response
from app.engine.proposals import iso
from app.engine.rules import audience_codes
from app.engine.state import SYSTEM, Actor, SessionState


@dataclass(frozen=True)
class DueCommand:
    actor: Actor
    id: str
    type: str
    fields: dict[str, Any]


def due_at(state: SessionState, inject: Inject, now: datetime) -> datetime | None:
    """When a scheduled inject of the current move falls due (None: manual, or another move)."""
    if inject.trigger != "scheduled" or inject.move != state.current_move:
        return None
    remaining = inject.offset_minutes * 60 - state.clock.elapsed(now)
    return now + timedelta(seconds=max(0.0, remaining))


def due_commands(state: SessionState, now: datetime, auto_delay: float) -> list[DueCommand]:
    """The commands the scheduler should run for this session at `now`."""
    if state.status != "running":
        return []
    commands: list[DueCommand] = []
    elapsed = state.clock.elapsed(now)
    move = state.current_move
    for inject in state.scenario.injects:
        status = state.injects[inject.id]
        if (
            inject.trigger == "scheduled"
            and inject.move == move
            and status.status == "pending"
            and elapsed >= inject.offset_minutes * 60
        ):
            # A released inject that its condition skipped before gets a fresh try.
            again = f":{status.skips}" if status.skips else ""
            commands.append(
                DueCommand(
                    SYSTEM, f"sys:fire:{inject.id}{again}", "inject.fire", {"inject_id": inject.id}
                )
            )
        elif (
            status.status == "queued"
            and status.release == "automatic"
            and status.due_at is not None
            and now >= status.due_at
        ):
            commands.append(
                DueCommand(
                    SYSTEM, f"sys:react:{inject.id}", "inject.fire", {"inject_id": inject.id}
                )
            )
    for status in state.injects.values():
        if status.deadline_open and status.deadline_at is not None and now >= status.deadline_at:
            commands.append(
                DueCommand(
                    SYSTEM,
                    f"sys:expire:{status.id}:{iso(status.deadline_at)}",
                    "deadline.close",
                    {"inject_id": status.id},
                )
            )
    commands.extend(_automatic(state, now, auto_delay))
    return commands


def _automatic(state: SessionState, now: datetime, delay: float) -> list[DueCommand]:
    commands = []
    codes = state.scenario.delegation_codes
    for code in sorted(state.automatic):
        actor = Actor(
            "auto", name=f"{state.scenario.delegation(code).name} (automatic)", delegation=code
        )
        for proposal in state.proposals.values():
            if proposal.status != "open" or code not in audience_codes(proposal.audience, codes):
                continue
            current = proposal.current
            position = proposal.positions.get(code)
            if position is not None and position.version == current.n:
                continue
            if (now - current.at).total_seconds() < delay:
                continue
            kind, fields = auto_response(state, code, proposal)
            commands.append(
                DueCommand(actor, f"auto:{code}:{proposal.id}:{current.n}", kind, fields)
            )
    return commands
