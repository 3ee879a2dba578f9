"""What a share link may show. `full` is the facilitators' review; `debrief` is for the class:
without the White Cell lines, the delegations' private rooms, the students' hot wash (candid
because classmates do not read it), and statements made on confidential injects (their text is
withheld; the decision and its effects stay, so the indicators and the replay still add up)."""

from __future__ import annotations

from dataclasses import replace

from app.engine import EventRecord
from app.review.log import ReviewLog

SCOPES = ("full", "debrief")
WITHHELD = "(withheld in the debrief view: a statement on a confidential inject)"
DESCRIPTIONS = {
    "full": "the full review, as facilitators see it",
    "debrief": (
        "the debrief view: without White Cell lines, private delegation rooms, the hot wash "
        "and statements on confidential injects"
    ),
}


def _kept(event: EventRecord, codes: set[str]) -> EventRecord | None:
    if event.type == "hotwash_submitted":
        return None
    if event.type == "message_posted":
        channel = str(event.data.get("channel", ""))
        if channel.startswith("white-") or channel in codes:
            return None
    if event.type == "statement_issued" and event.audience != "all":
        return replace(event, data=event.data | {"text": WITHHELD})
    return event


def debrief_log(log: ReviewLog) -> ReviewLog:
    """A copy of the log as the debrief view shows it."""
    codes = {d.code for d in log.scenario.delegations}
    events = [kept for e in log.events if (kept := _kept(e, codes)) is not None]
    return replace(log, events=events, session=log.session | {"view": "debrief"})
