"""The debrief: the hot wash students write on their own devices at the end, and the
facilitator's unlocking of "what actually happened" for the review."""

from __future__ import annotations

from typing import Any

from app.engine.errors import CommandError
from app.engine.rules import Context, delegation_of, rule
from app.engine.state import Draft

HOT_WASH = ("went_well", "to_improve", "surprised")


@rule("debrief.hotwash")
def _hotwash(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    state = ctx.state
    if state.status != "ended":
        raise CommandError("wrong_state", "The hot wash opens when the session ends.")
    if not state.scenario.hot_wash:
        raise CommandError("wrong_state", "This scenario has no hot wash.")
    if ctx.actor.id in state.hotwash:
        raise CommandError("wrong_state", "You have already sent your hot wash. Thank you!")
    answers = {key: f[key] for key in HOT_WASH if f.get(key)}
    if not answers:
        raise CommandError("missing_field", "Write at least one answer before sending.")
    code = delegation_of(ctx)
    # Facilitators only: a hot wash is candid because classmates do not read it.
    return [Draft("hotwash_submitted", "white", {"delegation": code, "answers": answers})]


@rule("debrief.unlock")
def _unlock(ctx: Context, _f: dict[str, Any]) -> list[Draft]:
    if ctx.state.debrief_unlocked:
        raise CommandError("wrong_state", "What actually happened is already revealed.")
    return [Draft("debrief_unlocked", "white", {})]
