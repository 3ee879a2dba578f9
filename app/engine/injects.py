"""Injects: firing (by hand or on schedule), holding, skipping, writing one during play, and
response deadlines."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from app.content.schema import Inject, Scenario
from app.engine.branching import condition_holds
from app.engine.errors import CommandError
from app.engine.proposals import iso
from app.engine.rules import Context, find_inject, require_started, rule
from app.engine.state import Draft, SessionState


def inject_audience(inject: Inject, codes: tuple[str, ...]) -> str:
    return "all" if inject.audience == "all" else "d:" + ",".join(inject.audience_codes(codes))


def public_inject(scenario: Scenario, inject: Inject) -> dict[str, Any]:
    """The inject as its audience sees it: no teaching notes."""
    codes = scenario.delegation_codes
    return {
        "id": inject.id,
        "move": inject.move,
        "order": inject.order,
        "title": inject.title,
        "body": inject.body,
        "date": inject.date.isoformat(),
        "hypothetical": inject.hypothetical,
        "challenge": inject.challenge,
        "audience": "all" if inject.audience == "all" else list(inject.audience_codes(codes)),
        "sources": [
            _source(scenario, s) for s in inject.sources if _published_by(scenario, s, inject)
        ],
        "response_options": [{"id": o.id, "text": o.text} for o in inject.response_options],
        "deadline_minutes": inject.deadline_minutes,
        "adhoc": False,
        "speaker": inject.speaker,
        "reaction": inject.trigger == "reaction",
    }


def white_notes(inject: Inject) -> dict[str, Any]:
    return {
        "teaching_point": inject.teaching_point,
        "expected_action": inject.expected_action,
        "what_happened": inject.what_happened,
    }


def _published_by(scenario: Scenario, source_id: str, inject: Inject) -> bool:
    """Whether the source appeared by the day after the inject's date (news of an event is often
    dated the next day); a year-month source counts if its month is not later than the inject's.

    Players see only these with the inject: a later source, cited for what came next, would
    tell them the future. The review lists every source of the inject.
    """
    return _published_on_or_before(scenario.source(source_id).date, inject.date)


def _published_on_or_before(published: date | str, day: date) -> bool:
    if isinstance(published, str):
        return published <= day.isoformat()[:7]
    return published <= day + timedelta(days=1)


def sources_known_in_play(scenario: Scenario) -> list[dict[str, Any]]:
    """The bibliography as players may read it: what had appeared by the last inject's date.

    Sources cited for what happened after the played frame stay with the facilitators (and the
    review), for the same reason an inject shows only the sources of its own day.
    """
    last = max((inject.date for inject in scenario.injects), default=None)
    return [
        _source(scenario, s.id)
        for s in scenario.sources
        if last is not None and _published_on_or_before(s.date, last)
    ]


def _source(scenario: Scenario, source_id: str) -> dict[str, Any]:
    source = scenario.source(source_id)
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "date": str(source.date),
        "url": source.url,
    }


def response_clock(state: SessionState, now: datetime) -> datetime:
    """When response time starts counting: now, or during a pause the moment play stopped
    (resuming shifts every open deadline by the pause, so time left is kept, not added)."""
    return state.clock.paused_at or now


def fire_drafts(
    state: SessionState, inject_id: str, now: datetime, overridden: str | None = None
) -> list[Draft]:
    """Fire a scenario inject now (`overridden`: the condition a facilitator fired it despite)."""
    scenario = state.scenario
    inject = scenario.inject(inject_id)
    start = response_clock(state, now)
    deadline = (
        start + timedelta(minutes=inject.deadline_minutes) if inject.deadline_minutes else None
    )
    white = white_notes(inject)
    if overridden is not None:
        white["condition_overridden"] = overridden
    return [
        Draft(
            "inject_fired",
            inject_audience(inject, scenario.delegation_codes),
            {
                "inject": public_inject(scenario, inject),
                "deadline_at": iso(deadline),
                "_white": white,
            },
        )
    ]


@rule("inject.fire")
def _fire(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    require_started(ctx)
    status = find_inject(ctx, f["inject_id"])
    if status.status == "fired":
        raise CommandError("wrong_state", "This inject has already been fired.")
    system = ctx.actor.kind == "system"
    if system and status.status not in ("pending", "queued"):
        raise CommandError("wrong_state", "This inject is held or skipped.")
    if (
        system
        and status.status == "queued"
        and (status.release != "automatic" or status.due_at is None or ctx.now < status.due_at)
    ):
        raise CommandError("wrong_state", "This reaction waits for the White Cell.")
    condition = ctx.state.scenario.inject(status.id).condition
    if condition is None:
        return fire_drafts(ctx.state, status.id, ctx.now)
    holds, why = condition_holds(ctx.state, condition)
    if holds:
        return fire_drafts(ctx.state, status.id, ctx.now)
    if system:
        # The branch not taken is recorded, with its reason, for the console and the review.
        data = {"inject_id": status.id, "by_condition": True, "reason": why}
        return [Draft("inject_skipped", "white", data)]
    if not f.get("override"):
        raise CommandError(
            "condition_unmet",
            f"This inject's condition does not hold: {why}. Fire it anyway to override.",
        )
    return fire_drafts(ctx.state, status.id, ctx.now, overridden=why)


@rule("inject.hold")
def _hold(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    status = find_inject(ctx, f["inject_id"])
    if status.status != "pending":
        raise CommandError(
            "wrong_state", f"Only a pending inject can be held (it is {status.status})."
        )
    return [Draft("inject_held", "white", {"inject_id": status.id})]


@rule("inject.release")
def _release(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    status = find_inject(ctx, f["inject_id"])
    if status.status not in ("held", "skipped"):
        raise CommandError("wrong_state", "Only a held or skipped inject can be released.")
    return [Draft("inject_released", "white", {"inject_id": status.id})]


@rule("inject.skip")
def _skip(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    status = find_inject(ctx, f["inject_id"])
    if status.status not in ("pending", "held", "queued"):
        raise CommandError(
            "wrong_state",
            f"Only a pending, held or queued inject can be skipped (it is {status.status}).",
        )
    return [Draft("inject_skipped", "white", {"inject_id": status.id})]


@rule("inject.write")
def _write(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    require_started(ctx)
    codes = ctx.codes
    audience = f["audience"]
    if audience != "all":
        unknown = [c for c in audience if c not in codes]
        if unknown:
            raise CommandError("not_found", f"There is no delegation {unknown[0]}.")
    number = ctx.state.adhoc_count + 1
    inject_id = f"adhoc-{number}"
    minutes = f.get("deadline_minutes")
    deadline = response_clock(ctx.state, ctx.now) + timedelta(minutes=minutes) if minutes else None
    public = {
        "id": inject_id,
        "move": ctx.state.current_move,
        "order": 1000 + number,
        "title": f["title"],
        "body": f["body"],
        "date": None,
        "hypothetical": True,
        "challenge": None,
        "audience": "all" if audience == "all" else [c for c in codes if c in audience],
        "sources": [],
        "response_options": [
            {"id": f"{inject_id}-opt-{i + 1}", "text": text}
            for i, text in enumerate(f.get("options") or [])
        ],
        "deadline_minutes": minutes,
        "adhoc": True,
    }
    wire = "all" if audience == "all" else "d:" + ",".join(public["audience"])
    return [
        Draft(
            "inject_fired",
            wire,
            {
                "inject": public,
                "deadline_at": iso(deadline),
                "_white": {"written_by": ctx.actor.name},
            },
        )
    ]


def _open_deadline(ctx: Context, inject_id: str):  # type: ignore[no-untyped-def]
    status = find_inject(ctx, inject_id)
    if status.status != "fired" or not status.deadline_open:
        raise CommandError("wrong_state", "This inject has no open response deadline.")
    return status


@rule("deadline.extend")
def _extend(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    status = _open_deadline(ctx, f["inject_id"])
    # Extending a deadline that has just passed (before the scheduler closed it) counts from now.
    deadline = max(status.deadline_at, ctx.now) + timedelta(minutes=f["minutes"])
    return [
        Draft(
            "deadline_extended",
            status.audience,
            {"inject_id": status.id, "deadline_at": iso(deadline)},
        )
    ]


@rule("deadline.close")
def _close(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    status = _open_deadline(ctx, f["inject_id"])
    if ctx.actor.kind == "system" and (
        ctx.state.status != "running" or ctx.now < status.deadline_at
    ):
        raise CommandError("wrong_state", "The deadline has not passed.")
    closing = sorted(
        p.id
        for p in ctx.state.proposals.values()
        if p.inject_id == status.id and p.status == "open"
    )
    return [
        Draft(
            "deadline_expired",
            status.audience,
            {"inject_id": status.id, "outcome": "no_consensus", "closed_proposals": closing},
        )
    ]
