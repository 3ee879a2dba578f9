"""Asking the White Cell for more time: a delegation's one-click request on an inject's deadline.

A request changes nothing by itself; it tells the facilitators, who answer with `deadline.extend`
(or not). A delegation has at most one pending request per inject; an extension answers them all.
"""

from __future__ import annotations

from typing import Any

from app.engine.apply import handles
from app.engine.errors import CommandError
from app.engine.proposals import iso
from app.engine.rules import Context, audience_codes, delegation_of, find_inject, rule
from app.engine.state import Draft, EventRecord, SessionState

DEFAULT_MINUTES = 5


@rule("deadline.request_time")
def _request_time(ctx: Context, f: dict[str, Any]) -> list[Draft]:
    code = delegation_of(ctx)
    status = find_inject(ctx, f["inject_id"])
    if status.status != "fired" or code not in audience_codes(status.audience, ctx.codes):
        raise CommandError("not_found", f"There is no inject {f['inject_id']!r}.")
    if not status.deadline_open or status.deadline_at is None or status.deadline_at <= ctx.now:
        raise CommandError("wrong_state", "This inject has no open response deadline.")
    if code in status.time_requests:
        raise CommandError(
            "wrong_state", "Your delegation has already asked for more time on this inject."
        )
    minutes = f.get("minutes") or DEFAULT_MINUTES
    return [
        Draft(
            "time_requested",
            f"d:{code}",
            {"inject_id": status.id, "delegation": code, "minutes": minutes},
        )
    ]


@handles("time_requested")
def _requested(state: SessionState, event: EventRecord) -> None:
    data = event.data
    state.injects[data["inject_id"]].time_requests[data["delegation"]] = {
        "delegation": data["delegation"],
        "minutes": data["minutes"],
        "by": event.actor,
        "at": event.at,
        "seq": event.seq,
    }


def requests_view(state: SessionState, inject_id: str, delegation: str | None) -> list[dict]:
    """Pending requests on an inject: all for facilitators (None), else one delegation's."""
    status = state.injects[inject_id]
    if not status.deadline_open:
        return []
    return [
        {**r, "at": iso(r["at"])}
        for code, r in sorted(status.time_requests.items())
        if delegation is None or code == delegation
    ]
