"""The rules: `decide(state, actor, type, fields, now)` turns a command into events, or refuses.

Nothing here writes: the caller appends the drafts to the log, then folds them with `apply`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.engine.channels import channel_audience, channel_members
from app.engine.commands import who_may
from app.engine.errors import CommandError
from app.engine.proposals import iso
from app.engine.state import Actor, Draft, InjectStatus, SessionState


@dataclass(frozen=True)
class Context:
    state: SessionState
    actor: Actor
    now: datetime

    @property
    def codes(self) -> tuple[str, ...]:
        return self.state.scenario.delegation_codes


Rule = Callable[[Context, dict[str, Any]], list[Draft]]
RULES: dict[str, Rule] = {}
# The debrief happens after the end: the only commands an ended session still accepts.
AFTER_END = {"debrief.hotwash", "debrief.unlock"}


def rule(kind: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES[kind] = fn
        return fn

    return register


def decide(
    state: SessionState, actor: Actor, kind: str, fields: dict[str, Any], now: datetime
) -> list[Draft]:
    """The events a command produces, or a CommandError saying why not."""
    _check_who(state, actor, who_may(kind))
    if state.status == "ended" and kind not in AFTER_END:
        raise CommandError("session_ended", "The session has ended; nothing more is accepted.")
    return RULES[kind](Context(state, actor, now), fields)


def _check_who(state: SessionState, actor: Actor, who: str) -> None:
    if actor.kind in ("system", "auto"):
        return  # the scheduler and automatic delegations are checked by the rules themselves
    if who == "facilitator" and actor.kind != "facilitator":
        raise CommandError("not_facilitator", "Only a facilitator can do that.")
    if who in ("player", "lead"):
        if actor.kind != "player":
            raise CommandError("not_player", "Only a seated player can do that.")
        if state.seat_of(actor.id) is None:
            raise CommandError("not_player", "You no longer hold a seat in this session.")
    if who == "member" and actor.kind not in ("player", "facilitator"):
        raise CommandError("not_player", "Observers can read but not write.")
    if who == "member" and actor.kind == "player" and state.seat_of(actor.id) is None:
        raise CommandError("not_player", "You no longer hold a seat in this session.")


def delegation_of(ctx: Context) -> str:
    """The delegation the actor acts for (players: their seat; automatic: its own)."""
    if ctx.actor.kind == "auto":
        return ctx.actor.delegation or ""
    seat = ctx.state.seat_of(ctx.actor.id)
    if seat is None:
        raise CommandError("not_player", "Only a seated player can do that.")
    return seat.delegation


def require_lead(ctx: Context) -> str:
    """The actor's delegation, if the actor may speak for it."""
    code = delegation_of(ctx)
    if ctx.actor.kind == "auto":
        return code
    if ctx.state.leads.get(code) != ctx.actor.id:
        raise CommandError("not_lead", f"Only the lead of {code} can speak for the delegation.")
    return code


def require_started(ctx: Context) -> None:
    if ctx.state.status == "lobby":
        raise CommandError("wrong_state", "The session has not started yet.")


def find_inject(ctx: Context, inject_id: str) -> InjectStatus:
    status = ctx.state.injects.get(inject_id)
    if status is None:
        raise CommandError("not_found", f"There is no inject {inject_id!r}.")
    return status


def audience_codes(audience: str, codes: tuple[str, ...]) -> tuple[str, ...]:
    """The delegations an audience string reaches (facilitators are always included)."""
    if audience == "all":
        return codes
    if audience.startswith("d:"):
        return tuple(c for c in codes if c in audience[2:].split(","))
    if audience.startswith("ch:"):
        return channel_members(audience[3:], codes)
    return ()


def clock_view(state: SessionState, now: datetime) -> dict[str, Any]:
    clock = state.clock
    return {
        "status": state.status,
        "move_index": clock.move_index,
        "move_id": state.current_move,
        "move_started_at": iso(clock.move_started_at),
        "paused_at": iso(clock.paused_at),
        "paused_seconds": round(clock.paused_seconds, 3),
        "elapsed_seconds": round(clock.elapsed(now), 3),
    }


def fresh_move_clock(index: int, move_id: str, now: datetime) -> dict[str, Any]:
    """The clock view of a move that starts now (the start and every next move)."""
    return {
        "status": "running",
        "move_index": index,
        "move_id": move_id,
        "move_started_at": iso(now),
        "paused_at": None,
        "paused_seconds": 0,
        "elapsed_seconds": 0,
    }


# --- session lifecycle -------------------------------------------------------------------------


@rule("session.start")
def _start(ctx: Context, _f: dict[str, Any]) -> list[Draft]:
    if ctx.state.status != "lobby":
        raise CommandError("wrong_state", "The session has already started.")
    move = ctx.state.scenario.moves[0]
    clock = fresh_move_clock(0, move.id, ctx.now)
    data = {"clock": clock, "move": _move_view(move)}
    return [Draft("session_started", "all", _with_briefings(ctx.state, move.id, data))]


def _with_briefings(state: SessionState, move_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """Add each delegation's briefing update for the move starting now, for its eyes only."""
    private = {
        d.code: {"briefing_update": {"move": move_id, "text": u.text}}
        for d in state.scenario.delegations
        for u in d.briefing_updates
        if u.move == move_id
    }
    if private:
        data["_private"] = private
    return data


def _move_end(state: SessionState, data: dict[str, Any]) -> dict[str, Any]:
    """When indicators are hidden during moves, the end of a move reveals them."""
    if state.scenario.settings.indicators_hidden_during_moves:
        from app.engine.negotiation import mark_owned

        data["indicators"] = dict(state.indicators)
        mark_owned(state.scenario, data)
        if not state.scenario.settings.indicators_visible_to_players:
            data["_hidden"] = ["indicators"]
    return data


@rule("session.pause")
def _pause(ctx: Context, _f: dict[str, Any]) -> list[Draft]:
    if ctx.state.status != "running":
        raise CommandError("wrong_state", "Only a running session can be paused.")
    clock = clock_view(ctx.state, ctx.now) | {"status": "paused", "paused_at": iso(ctx.now)}
    return [Draft("session_paused", "all", {"clock": clock})]


@rule("session.resume")
def _resume(ctx: Context, _f: dict[str, Any]) -> list[Draft]:
    state = ctx.state
    if state.status != "paused" or state.clock.paused_at is None:
        raise CommandError("wrong_state", "Only a paused session can be resumed.")
    paused = (ctx.now - state.clock.paused_at).total_seconds()
    deadlines = _shifted_deadlines(state, paused)
    clock = clock_view(state, ctx.now) | {
        "status": "running",
        "paused_at": None,
        "paused_seconds": round(state.clock.paused_seconds + paused, 3),
    }
    data = {"paused_seconds": round(paused, 3), "deadlines": deadlines, "clock": clock}
    return [Draft("session_resumed", "all", _with_shifted_reactions(state, paused, data))]


def _shifted_deadlines(state: SessionState, seconds: float) -> dict[str, str | None]:
    # A pause stops the clock, so every open response deadline moves by the pause's length.
    return {
        s.id: iso(s.deadline_at + timedelta(seconds=seconds))
        for s in state.injects.values()
        if s.deadline_open and s.deadline_at is not None
    }


def _with_shifted_reactions(
    state: SessionState, seconds: float, data: dict[str, Any]
) -> dict[str, Any]:
    """A queued reaction's delay is play time too: the pause pushes its readiness back by the
    pause's length. Queued reactions are the White Cell's, so the new times go to facilitators
    only (`_white`)."""
    shifted = {
        s.id: iso(s.due_at + timedelta(seconds=seconds))
        for s in state.injects.values()
        if s.status == "queued" and s.due_at is not None
    }
    if seconds and shifted:
        data["_white"] = {"reactions": shifted}
    return data


@rule("session.next_move")
def _next_move(ctx: Context, _f: dict[str, Any]) -> list[Draft]:
    state = ctx.state
    require_started(ctx)
    index = state.clock.move_index + 1
    if index >= len(state.scenario.moves):
        raise CommandError("wrong_state", "This is the last move; end the session instead.")
    move = state.scenario.moves[index]
    paused = (ctx.now - state.clock.paused_at).total_seconds() if state.clock.paused_at else 0.0
    clock = fresh_move_clock(index, move.id, ctx.now)
    data = {
        "clock": clock,
        "move": _move_view(move),
        "deadlines": _shifted_deadlines(state, paused) if paused else {},
    }
    data = _with_shifted_reactions(state, paused, data)
    data = _move_end(state, _with_briefings(state, move.id, data))
    return [Draft("move_advanced", "all", data)]


@rule("session.end")
def _end(ctx: Context, _f: dict[str, Any]) -> list[Draft]:
    clock = clock_view(ctx.state, ctx.now) | {"status": "ended"}
    # Proposals still open when the session ends are closed, so the record says what became of them.
    still_open = sorted(p.id for p in ctx.state.proposals.values() if p.status == "open")
    data = {"clock": clock, "closed_proposals": still_open}
    return [Draft("session_ended", "all", _move_end(ctx.state, data))]


def _move_view(move: Any) -> dict[str, Any]:
    return {
        "id": move.id,
        "title": move.title,
        "summary": move.summary,
        "challenge": move.challenge,
        "duration_minutes": move.duration_minutes,
    }


# --- messages ----------------------------------------------------------------------------------


@rule("message.post")
def _post(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    channel = f["channel"]
    members = channel_members(channel, ctx.codes)
    if not members:
        raise CommandError("not_found", f"There is no channel {channel!r}.")
    if ctx.actor.kind == "player" and delegation_of(ctx) not in members:
        raise CommandError(
            "not_your_delegation", "You cannot write in another delegation's channel."
        )
    data = {"channel": channel, "text": f["text"]}
    if f.get("speaker"):
        # The White Cell speaking as a named third party (e.g. "KCNA", "the markets").
        if ctx.actor.kind != "facilitator":
            raise CommandError("not_facilitator", "Only the White Cell can speak as someone else.")
        data["speaker"] = f["speaker"]
    return [Draft("message_posted", channel_audience(channel, ctx.codes), data)]


from app.engine import (  # noqa: E402,F401  (register their rules)
    debrief,
    injects,
    negotiation,
    reclaim,
    seats,
    time_requests,
)
