"""Tracks: cutting a scenario to fit a class period, and checking that the cut can be played.

A track keeps the injects it lists, gives moves new lengths, moves scheduled injects in
proportion to their move's new length, and scales deadlines. `pacing_problems` says where a
track (or the whole scenario) cannot be played as written; the validator reports these as
errors for named tracks, and `flask scenario lint` as warnings for the scenario played whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.content.schema import Condition, Inject, Move, Track


def scaled_deadline(minutes: int | None, scale: float) -> int | None:
    """A deadline scaled by a track (rounded half up, never below one minute)."""
    if minutes is None:
        return None
    return max(1, int(minutes * scale + 0.5))


def scaled_offset(offset: int | None, old: int, new: int) -> int | None:
    """A scheduled inject's offset in a move stretched from `old` to `new` minutes (floored,
    so an inject inside the move stays inside it)."""
    if offset is None:
        return None
    return offset * new // old


def cut_to_track(
    moves: tuple[Move, ...], injects: tuple[Inject, ...], track: Track
) -> tuple[tuple[Move, ...], tuple[Inject, ...]]:
    """The moves and injects as `track` plays them."""
    lengths = {m.id: track.move_minutes.get(m.id, m.duration_minutes) for m in moves}
    old = {m.id: m.duration_minutes for m in moves}
    keep = set(track.injects)
    cut_moves = tuple(m.model_copy(update={"duration_minutes": lengths[m.id]}) for m in moves)
    cut_injects = tuple(
        inj.model_copy(
            update={
                "offset_minutes": scaled_offset(
                    inj.offset_minutes, old[inj.move], lengths[inj.move]
                ),
                "deadline_minutes": scaled_deadline(inj.deadline_minutes, track.deadline_scale),
            }
        )
        for inj in injects
        if inj.id in keep
    )
    return cut_moves, cut_injects


@dataclass(frozen=True)
class PacingProblem:
    """Where a play-through does not fit: about an inject (`inject` set) or a whole move."""

    move: str
    inject: str | None
    message: str


def pacing_problems(
    moves: tuple[Move, ...], injects: tuple[Inject, ...], overlap_minutes: int
) -> list[PacingProblem]:
    """Why these moves and injects cannot be played as timed: a deadline that runs past the end
    of its move, two decision windows that overlap by more than `overlap_minutes`, or a move
    without a decision."""
    problems: list[PacingProblem] = []
    for move in moves:
        mine = [i for i in injects if i.move == move.id]
        decisions = [i for i in mine if i.is_decision]
        if not decisions:
            problems.append(
                PacingProblem(
                    move.id,
                    None,
                    f"the move '{move.id}' has no decision (an inject with response options "
                    "and a deadline)",
                )
            )
        windows = sorted(
            (i.offset_minutes, i.offset_minutes + i.deadline_minutes, i.id)
            for i in decisions
            if i.trigger == "scheduled"
        )
        by_id = {i.id: i for i in decisions}
        for start, end, inject_id in windows:
            if end > move.duration_minutes:
                problems.append(
                    PacingProblem(
                        move.id,
                        inject_id,
                        f"the inject '{inject_id}' opens at minute {start} with a "
                        f"{end - start}-minute deadline, which runs {end - move.duration_minutes}"
                        f" minutes past the end of move '{move.id}' ({move.duration_minutes} "
                        "minutes)",
                    )
                )
        for n, (start, end, inject_id) in enumerate(windows):
            for other_start, other_end, other in windows[n + 1 :]:
                overlap = min(end, other_end) - max(start, other_start)
                if overlap > overlap_minutes and not alternatives(by_id[inject_id], by_id[other]):
                    problems.append(
                        PacingProblem(
                            move.id,
                            other,
                            f"the decisions '{inject_id}' (minutes {start}-{end}) and '{other}' "
                            f"(minutes {other_start}-{other_end}) are open together for "
                            f"{overlap} minutes; the allowance is {overlap_minutes}",
                        )
                    )
    return problems


def alternatives(a: Inject, b: Inject) -> bool:
    """True when two injects can never both fire: one requires what the other excludes (A with
    `all: [X]`, B with `none: [X]`; or A with `any: [X, Y]`, B with `none: [X, Y]`), so they
    are two versions of one slot."""
    if a.condition is None or b.condition is None:
        return False
    return _excludes(a.condition, b.condition) or _excludes(b.condition, a.condition)


def _excludes(a: Condition, b: Condition) -> bool:
    """True when `a` needs a clause that `b` forbids: one of its `all`, or (since at least one
    must hold) every one of its `any`."""
    none = set(b.none)
    return bool(set(a.all) & none) or bool(a.any and set(a.any) <= none)


def deadline_load(moves: tuple[Move, ...], injects: tuple[Inject, ...]) -> list[PacingProblem]:
    """Moves whose decisions to all delegations ask for more minutes of deadlines in total
    (manual injects included) than the move lasts."""
    problems = []
    for move in moves:
        counted: list[Inject] = []
        for inject in injects:
            mine = inject.move == move.id and inject.is_decision and inject.is_public
            if mine and not any(alternatives(inject, other) for other in counted):
                counted.append(inject)
        total = sum(i.deadline_minutes or 0 for i in counted)
        if total > move.duration_minutes:
            problems.append(
                PacingProblem(
                    move.id,
                    None,
                    f"the move '{move.id}' packs {total} minutes of deadlines for all "
                    f"delegations into {move.duration_minutes} minutes",
                )
            )
    return problems
