"""Reactions: the adversaries and third parties answer what the delegations choose.

When a joint response is adopted or a statement issued, each reaction inject keyed to one of
its options is queued (once) with a delay; the scheduler fires it when due if the scenario
releases it automatically, otherwise the White Cell releases it from the console.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from app.engine.injects import response_clock
from app.engine.proposals import iso
from app.engine.state import Draft, SessionState


def reaction_drafts(
    state: SessionState,
    options: list[str] | tuple[str, ...],
    how: str,
    code: str | None,
    now: datetime,
) -> list[Draft]:
    """The `reaction_queued` events that choosing `options` provokes.

    `how` is "adopted" (a joint response) or "stated" (a unilateral statement by `code`).
    """
    drafts = []
    start = response_clock(state, now)
    for inject in state.scenario.injects:
        answer = inject.reacts_to
        status = state.injects.get(inject.id)
        if answer is None or status is None or status.status != "pending":
            continue
        if answer.was not in (how, "chosen"):
            continue
        if how == "stated" and answer.by and code not in answer.by:
            continue
        hit = next((o for o in options if o in answer.options), None)
        if hit is None:
            continue
        due = start + timedelta(minutes=answer.delay_minutes)
        cause = {"option": hit, "how": how, "delegation": code}
        drafts.append(
            Draft(
                "reaction_queued",
                "white",
                {
                    "inject_id": inject.id,
                    "title": inject.title,
                    "due_at": iso(due),
                    "release": answer.release,
                    "cause": cause,
                },
            )
        )
    return drafts
