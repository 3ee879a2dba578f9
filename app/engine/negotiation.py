"""Negotiation: proposals, versions, endorsements, adoption, statements and adjudication."""

from __future__ import annotations

from typing import Any

from app.engine.errors import CommandError
from app.engine.proposals import (
    add_version,
    endorsed_by,
    preview,
    proposal_view,
    red_line_notes,
    set_position,
)
from app.engine.reactions import reaction_drafts
from app.engine.rules import (
    Context,
    audience_codes,
    delegation_of,
    find_inject,
    require_lead,
    require_started,
    rule,
)
from app.engine.state import Draft, InjectStatus, Proposal


def _open_inject(ctx: Context, inject_id: str | None, code: str) -> InjectStatus | None:
    """The fired inject a response is for, if this delegation may still respond to it."""
    if inject_id is None:
        return None
    status = find_inject(ctx, inject_id)
    if status.status != "fired" or code not in audience_codes(status.audience, ctx.codes):
        raise CommandError("not_found", f"There is no inject {inject_id!r} to respond to.")
    return status


def _check_options(status: InjectStatus | None, options: list[str]) -> None:
    allowed = status.options if status else ()
    for option in options:
        if option not in allowed:
            where = f"inject {status.id!r}" if status else "a general proposal"
            raise CommandError("not_found", f"The option {option!r} is not offered for {where}.")


def _responding(ctx: Context, status: InjectStatus | None) -> None:
    if status is None:
        return
    closed = status.outcome is not None or (
        status.deadline_at is not None and not status.deadline_open
    )
    # The scheduler closes a deadline on its next tick; until then the time itself decides, so
    # nothing is agreed after time is up. While paused the clock stands at the pause.
    moment = ctx.state.clock.paused_at or ctx.now
    late = status.deadline_at is not None and moment >= status.deadline_at
    if closed or late:
        raise CommandError("wrong_state", "The response window for this inject has closed.")


def _find_proposal(ctx: Context, proposal_id: int, code: str) -> Proposal:
    proposal = ctx.state.proposals.get(proposal_id)
    if proposal is None or code not in audience_codes(proposal.audience, ctx.codes):
        raise CommandError("not_found", f"There is no proposal {proposal_id}.")
    return proposal


def _open_proposal(ctx: Context, proposal_id: int, code: str) -> Proposal:
    proposal = _find_proposal(ctx, proposal_id, code)
    if proposal.status != "open":
        raise CommandError("wrong_state", f"Proposal {proposal_id} is {proposal.status}.")
    return proposal


def _changed(ctx: Context, kind: str, proposal: Proposal, extra: dict[str, Any]) -> Draft:
    codes = audience_codes(proposal.audience, ctx.codes)
    data = {"proposal_id": proposal.id, **extra, "proposal": proposal_view(proposal)}
    notes = red_line_notes(ctx.state, proposal, codes)
    if notes:
        data["_private"] = notes
    return Draft(kind, proposal.audience, data)


@rule("proposal.table")
def _table(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    require_started(ctx)
    code = delegation_of(ctx)
    status = _open_inject(ctx, f.get("inject_id"), code)
    _responding(ctx, status)
    _check_options(status, f["options"])
    proposal = Proposal(
        id=max(ctx.state.proposals, default=0) + 1,
        inject_id=status.id if status else None,
        author=ctx.actor.as_dict(),
        delegation=code,
        tabled_at=ctx.now,
        audience=status.audience if status else "all",
    )
    add_version(proposal, f["text"], f["options"], ctx.actor.as_dict(), ctx.now)
    extra = {"inject_id": proposal.inject_id, "text": f["text"], "options": f["options"]}
    return [_changed(ctx, "proposal_tabled", proposal, extra)]


@rule("proposal.amend")
def _amend(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    code = delegation_of(ctx)
    proposal = preview(_open_proposal(ctx, f["proposal_id"], code))
    status = ctx.state.injects.get(proposal.inject_id) if proposal.inject_id else None
    _responding(ctx, status)
    _check_options(status, f["options"])
    if f["text"] == proposal.current.text and tuple(f["options"]) == proposal.current.options:
        raise CommandError("wrong_state", "The amendment changes nothing.")
    add_version(proposal, f["text"], f["options"], ctx.actor.as_dict(), ctx.now)
    extra = {"version": proposal.current.n, "text": f["text"], "options": f["options"]}
    return [_changed(ctx, "proposal_amended", proposal, extra)]


def _position(ctx: Context, f: dict[str, Any], stance: str) -> list[Draft]:
    code = require_lead(ctx)
    proposal = preview(_open_proposal(ctx, f["proposal_id"], code))
    status = ctx.state.injects.get(proposal.inject_id) if proposal.inject_id else None
    _responding(ctx, status)
    if f["version"] > proposal.current.n:
        raise CommandError(
            "not_found", f"Proposal {proposal.id} has no version {f['version']} (no such version)."
        )
    if f["version"] != proposal.current.n:
        raise CommandError(
            "wrong_state",
            f"Version {f['version']} is no longer current; read version {proposal.current.n}.",
        )
    reason = f.get("reason") or ""
    set_position(proposal, code, stance, f["version"], reason, ctx.actor.as_dict(), ctx.now)
    extra = {"delegation": code, "stance": stance, "version": f["version"], "reason": reason}
    drafts = [_changed(ctx, "proposal_position", proposal, extra)]
    codes = audience_codes(proposal.audience, ctx.codes)
    if stance == "endorse" and endorsed_by(proposal, codes):
        adopted = _adoption(ctx, proposal)
        drafts.append(adopted)
        if proposal.audience != "all":
            # A confidential decision still moves the situation everyone watches.
            drafts.append(
                Draft(
                    "indicators_changed",
                    "all",
                    hide_gauges(
                        ctx, {"indicators": adopted.data["indicators"], "cause": "adoption"}
                    ),
                )
            )
        drafts += reaction_drafts(ctx.state, proposal.current.options, "adopted", None, ctx.now)
    return drafts


def _adoption(ctx: Context, proposal: Proposal) -> Draft:
    state = ctx.state
    scenario = state.scenario
    options = proposal.current.options
    effects: dict[str, int] = {}
    for option_id in options:
        for indicator, delta in _option_effects(ctx, option_id, unilateral=False).items():
            effects[indicator] = effects.get(indicator, 0) + delta
    indicators = clamp_all(ctx, effects)
    score_deltas = {}
    private = {}
    for delegation in scenario.delegations:
        delta = {
            o.id: sum(o.scoring.options.get(opt, 0) for opt in options)
            for o in delegation.objectives
        }
        delta = {k: v for k, v in delta.items() if v}
        score_deltas[delegation.code] = delta
        after = {
            k: state.scores[delegation.code].get(k, 0) + delta.get(k, 0)
            for k in state.scores[delegation.code]
        }
        private[delegation.code] = {
            "score": {"delta": delta, "objectives": after, "total": sum(after.values())}
        }
    closing = sorted(
        p.id
        for p in state.proposals.values()
        if p.id != proposal.id
        and p.status == "open"
        and p.inject_id == proposal.inject_id
        and proposal.inject_id is not None
    )
    proposal.status = "adopted"
    proposal.adopted_version = proposal.current.n
    data = {
        "proposal_id": proposal.id,
        "version": proposal.current.n,
        "inject_id": proposal.inject_id,
        "options": list(options),
        "text": proposal.current.text,
        "effects": effects,
        "indicators": indicators,
        "closed_proposals": closing,
        "proposal": proposal_view(proposal),
        "score_deltas": score_deltas,
        "_private": private,
    }
    return Draft("proposal_adopted", proposal.audience, hide_gauges(ctx, data))


def _option_effects(ctx: Context, option_id: str, unilateral: bool) -> dict[str, int]:
    scenario = ctx.state.scenario
    try:
        option = scenario.option(option_id)
    except KeyError:
        return {}  # ad-hoc inject options have no scripted effects
    if not unilateral:
        return dict(option.effects)
    if option.unilateral_effects is not None:
        return dict(option.unilateral_effects)
    factor = scenario.settings.unilateral_factor
    return {k: half_away_from_zero(v * factor) for k, v in option.effects.items()}


def half_away_from_zero(value: float) -> int:
    """Round as scenario authors expect (2.5 -> 3, -2.5 -> -3), not to the even neighbour."""
    whole = int(abs(value) + 0.5)
    return whole if value >= 0 else -whole


def hide_gauges(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Mark an event's indicator numbers as facilitator-only when the scenario hides them (for
    good, or until the end of the move), and name the delegation-owned indicators, which the
    visibility filter shows only to their owner."""
    settings = ctx.state.scenario.settings
    if not settings.indicators_visible_to_players or settings.indicators_hidden_during_moves:
        data["_hidden"] = [k for k in ("effects", "indicators", "value", "previous") if k in data]
    return mark_owned(ctx.state.scenario, data)


def mark_owned(scenario: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Add `_owned` (indicator id -> owning delegation) when the scenario has owned indicators."""
    owned = {i.id: i.owner for i in scenario.indicators if i.owner is not None}
    if owned:
        data["_owned"] = owned
    return data


def clamp_all(ctx: Context, effects: dict[str, int]) -> dict[str, int]:
    """Indicator values after effects, each kept within its range."""
    result = {}
    for indicator in ctx.state.scenario.indicators:
        value = ctx.state.indicators[indicator.id] + effects.get(indicator.id, 0)
        result[indicator.id] = max(indicator.min, min(indicator.max, value))
    return result


@rule("proposal.endorse")
def _endorse(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    return _position(ctx, f, "endorse")


@rule("proposal.reject")
def _reject(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    return _position(ctx, f, "reject")


@rule("proposal.reserve")
def _reserve(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    return _position(ctx, f, "reserve")


@rule("proposal.withdraw")
def _withdraw(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    code = delegation_of(ctx)
    proposal = preview(_open_proposal(ctx, f["proposal_id"], code))
    if proposal.delegation != code:
        raise CommandError(
            "not_your_delegation", "Only the delegation that tabled a proposal can withdraw it."
        )
    proposal.status = "withdrawn"
    return [_changed(ctx, "proposal_withdrawn", proposal, {})]


@rule("statement.issue")
def _statement(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    require_started(ctx)
    code = require_lead(ctx)
    status = _open_inject(ctx, f.get("inject_id"), code)
    _check_options(status, f["options"])
    # An option moves the indicators once per delegation and inject: repeating a statement
    # must not let one lead push a gauge to its limit.
    stated = {
        option
        for s in ctx.state.statements
        if s["delegation"] == code and s["inject_id"] == f.get("inject_id")
        for option in s["options"]
    }
    again = [o for o in f["options"] if o in stated]
    if again:
        raise CommandError("wrong_state", f"{code} has already stated option {again[0]!r}.")
    effects: dict[str, int] = {}
    for option_id in f["options"]:
        for indicator, delta in _option_effects(ctx, option_id, unilateral=True).items():
            effects[indicator] = effects.get(indicator, 0) + delta
    data = {
        "delegation": code,
        "inject_id": status.id if status else None,
        "text": f["text"],
        "options": f["options"],
        "effects": effects,
        "indicators": clamp_all(ctx, effects),
    }
    # A statement about a confidential inject stays within that inject's audience; the gauges
    # it moves are still announced to everyone.
    audience = status.audience if status else "all"
    drafts = [Draft("statement_issued", audience, hide_gauges(ctx, data))]
    if audience != "all" and effects:
        changed = {"indicators": data["indicators"], "cause": "statement"}
        drafts.append(Draft("indicators_changed", "all", hide_gauges(ctx, changed)))
    return drafts + reaction_drafts(ctx.state, f["options"], "stated", code, ctx.now)


@rule("indicator.override")
def _override(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    require_started(ctx)
    try:
        indicator = ctx.state.scenario.indicator(f["indicator"])
    except KeyError:
        raise CommandError("not_found", f"There is no indicator {f['indicator']!r}.") from None
    if not indicator.min <= f["value"] <= indicator.max:
        raise CommandError(
            "bad_field", f"{indicator.name} runs from {indicator.min} to {indicator.max}."
        )
    data = {
        "indicator": indicator.id,
        "name": indicator.name,
        "value": f["value"],
        "previous": ctx.state.indicators[indicator.id],
        "ruling": f["ruling"],
    }
    return [Draft("indicator_overridden", "all", hide_gauges(ctx, data))]
