"""What a share link may show. `full` is the facilitators' review; `debrief` is for the class:
without the White Cell lines, the delegations' private rooms, the students' hot wash (candid
because classmates do not read it), and what delegations wrote on confidential injects:
statements, proposal versions and the reasons of their stances (the text is withheld; the
decision, its options and its effects stay, so the indicators and the replay still add up).
Until a facilitator unlocks the debrief, it also leaves out "what actually happened": the
injects' `what_happened` notes in the log and the scenario's files (which hold every one of
them), so the class analyses before it reads the history, however it reads the review.
The facilitators' own notes stay out too: their after-action notes (strengths and areas for
improvement) and the name of whoever wrote an ad-hoc inject; the teaching points, expected
actions and the branches taken or skipped stay, since they are what a debrief discusses."""

from __future__ import annotations

from dataclasses import replace

from app.engine import EventRecord
from app.review.log import ReviewLog

SCOPES = ("full", "debrief")
WORKING_NOTES = {"written_by"}  # which facilitator wrote an ad-hoc inject
WITHHELD = "(withheld in the debrief view: written on a confidential inject)"
DESCRIPTIONS = {
    "full": "the full review, as facilitators see it",
    "debrief": (
        "the debrief view: without White Cell lines, private delegation rooms, the hot wash, "
        "the facilitators' notes and what delegations wrote on confidential injects"
    ),
}


def _kept(event: EventRecord, codes: set[str], unlocked: bool) -> EventRecord | None:
    if event.type == "hotwash_submitted":
        return None
    hidden = WORKING_NOTES if unlocked else WORKING_NOTES | {"what_happened"}
    white = event.data.get("_white", {})
    if hidden & set(white):
        white = {k: v for k, v in white.items() if k not in hidden}
        event = replace(event, data=event.data | {"_white": white})
    if event.type == "message_posted":
        channel = str(event.data.get("channel", ""))
        if channel.startswith("white-") or channel in codes:
            return None
    if event.audience != "all" and (event.type == "statement_issued" or "proposal" in event.data):
        return replace(event, data=_withheld(event.data))
    return event


def _withheld(data: dict) -> dict:
    """An event's data with the delegations' words replaced: its text and reason, and those of
    the proposal it carries (every version, every stance). An empty reason stays empty."""
    out = data | {key: WITHHELD for key in ("text", "reason") if data.get(key)}
    proposal = data.get("proposal")
    if isinstance(proposal, dict):
        versions = [v | {"text": WITHHELD} for v in proposal.get("versions", [])]
        positions = {
            code: p | ({"reason": WITHHELD} if p.get("reason") else {})
            for code, p in proposal.get("positions", {}).items()
        }
        out["proposal"] = proposal | {"versions": versions, "positions": positions}
    return out


def debrief_log(log: ReviewLog) -> ReviewLog:
    """A copy of the log as the debrief view shows it."""
    codes = {d.code for d in log.scenario.delegations}
    unlocked = any(e.type == "debrief_unlocked" for e in log.events)
    events = [kept for e in log.events if (kept := _kept(e, codes, unlocked)) is not None]
    return replace(
        log,
        events=events,
        scenario_files=log.scenario_files if unlocked else {},
        notes=[],
        session=log.session | {"view": "debrief"},
    )
