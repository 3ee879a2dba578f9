"""Seats: joining, balancing across delegations, moving, leads, removal, automatic play."""

from __future__ import annotations

from typing import Any

from app.engine.errors import CommandError
from app.engine.rules import Context, rule
from app.engine.state import Draft, Seat, SessionState
from app.engine.text import clean_name as clean_text_name
from app.engine.text import name_key

NAME_MAX = 40


def clean_name(raw: Any) -> str:
    """A display name: NFC, single-spaced, without controls or invisible characters (so a
    zero-width space or a bidi override cannot disguise one name as another)."""
    if not isinstance(raw, str):
        raise CommandError("bad_name", "Please enter your name.")
    name = clean_text_name(raw, NAME_MAX)
    if name is None:
        raise CommandError(
            "bad_name", f"A name needs 1 to {NAME_MAX} visible characters (letters, digits...)."
        )
    return name


def unique_name(state: SessionState, name: str) -> str:
    """`name`, or `name (2)`, `name (3)`... if someone seated already uses it, or a look-alike
    of it (compared by `name_key`: NFKC, case-folded, invisible characters removed)."""
    taken = {name_key(s.name) for s in state.active_seats()}
    candidate, n = name, 1
    while name_key(candidate) in taken:
        n += 1
        candidate = f"{name} ({n})"
    return candidate


def pick_delegation(state: SessionState) -> str:
    """The delegation with the fewest seated players (automatic ones last), in scenario order."""
    codes = state.scenario.delegation_codes
    human = [c for c in codes if c not in state.automatic] or list(codes)
    return min(human, key=lambda c: (len(state.active_seats(c)), codes.index(c)))


def pick_role(state: SessionState, code: str, moving: int | None = None) -> tuple[str, str]:
    """The first role of the delegation nobody holds; advisers once every role is filled."""
    held = {s.role for s in state.active_seats(code) if s.id != moving}
    for role in state.scenario.delegation(code).roles:
        if role.id not in held:
            return role.id, role.title
    return f"{code.lower()}-adviser", "Adviser"


def seat_view(seat: Seat, state: SessionState) -> dict[str, Any]:
    return {
        "id": seat.id,
        "name": seat.name,
        "delegation": seat.delegation,
        "role": seat.role,
        "role_title": seat.role_title,
        "lead": state.leads.get(seat.delegation) == seat.id,
        "removed": seat.removed,
    }


def join_drafts(state: SessionState, player_id: int, raw_name: Any) -> list[Draft]:
    """Seat a new player: balanced delegation, next role, lead if the delegation has none."""
    if state.status == "ended":
        raise CommandError("session_ended", "This session has ended.")
    if state.lobby_locked:
        raise CommandError(
            "lobby_locked", "The facilitator has locked this session to new players."
        )
    name = unique_name(state, clean_name(raw_name))
    code = pick_delegation(state)
    role, title = pick_role(state, code)
    player = {
        "id": player_id,
        "name": name,
        "delegation": code,
        "role": role,
        "role_title": title,
        "lead": state.leads.get(code) is None,
        "removed": False,
    }
    drafts = [Draft("player_joined", "all", {"player": player})]
    if state.leads.get(code) is None:
        drafts.append(Draft("lead_set", "all", {"delegation": code, "player_id": player_id}))
    return drafts


def _active_seat(ctx: Context, player_id: int) -> Seat:
    seat = ctx.state.seat_of(player_id)
    if seat is None:
        raise CommandError("not_found", f"There is no seated player {player_id}.")
    return seat


def _check_code(ctx: Context, code: str) -> None:
    if code not in ctx.codes:
        raise CommandError("not_found", f"There is no delegation {code}.")


def _pass_lead(state: SessionState, leaving: Seat) -> list[Draft]:
    """When the lead leaves a delegation, the longest-seated remaining player leads."""
    if state.leads.get(leaving.delegation) != leaving.id:
        return []
    successor = _successor(state, leaving.delegation, leaving.id)
    return [Draft("lead_set", "all", {"delegation": leaving.delegation, "player_id": successor})]


def _successor(state: SessionState, code: str, leaving: int) -> int | None:
    remaining = sorted(s.id for s in state.active_seats(code) if s.id != leaving)
    return remaining[0] if remaining else None


@rule("seat.move")
def _move(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    seat = _active_seat(ctx, f["player_id"])
    target = f["delegation"]
    _check_code(ctx, target)
    if seat.delegation == target:
        raise CommandError("wrong_state", f"{seat.name} already sits in {target}.")
    role, title = pick_role(ctx.state, target, moving=seat.id)
    moved = {
        "id": seat.id,
        "name": seat.name,
        "delegation": target,
        "role": role,
        "role_title": title,
        "lead": ctx.state.leads.get(target) is None,
        "removed": False,
    }
    drafts = [Draft("player_moved", "all", {"player": moved, "from": seat.delegation})]
    drafts += _pass_lead(ctx.state, seat)
    if ctx.state.leads.get(target) is None:
        drafts.append(Draft("lead_set", "all", {"delegation": target, "player_id": seat.id}))
    return drafts


@rule("seat.set_lead")
def _set_lead(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    _check_code(ctx, f["delegation"])
    seat = _active_seat(ctx, f["player_id"])
    if seat.delegation != f["delegation"]:
        raise CommandError("not_your_delegation", f"{seat.name} does not sit in {f['delegation']}.")
    return [Draft("lead_set", "all", {"delegation": f["delegation"], "player_id": seat.id})]


@rule("seat.remove")
def _remove(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    seat = _active_seat(ctx, f["player_id"])
    drafts = [Draft("player_removed", "all", {"player_id": seat.id})]
    drafts += _pass_lead(ctx.state, seat)
    return drafts


@rule("lobby.lock")
def _lock(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    if ctx.state.lobby_locked == f["locked"]:
        state = "locked" if f["locked"] else "open"
        raise CommandError("wrong_state", f"The session is already {state}.")
    return [Draft("lobby_locked", "all", {"locked": f["locked"]})]


@rule("delegation.set_automatic")
def _automatic(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    _check_code(ctx, f["delegation"])
    if (f["delegation"] in ctx.state.automatic) == f["automatic"]:
        raise CommandError("wrong_state", "The delegation is already set that way.")
    return [
        Draft(
            "delegation_automatic",
            "all",
            {"delegation": f["delegation"], "automatic": f["automatic"]},
        )
    ]
