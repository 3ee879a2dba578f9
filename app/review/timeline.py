"""The timeline: what happened, in order — moves, injects, proposals, versions, positions,
adoptions, statements, rulings and pauses (messages are in the transcripts)."""

from __future__ import annotations

from typing import Any

from app.engine import EventRecord
from app.review.facts import Facts, clock_label
from app.review.log import ReviewLog, iso_full

# event type -> timeline category (types not listed are left out of the timeline)
CATEGORIES: dict[str, str] = {
    "session_started": "move",
    "move_advanced": "move",
    "session_ended": "session",
    "session_paused": "pause",
    "session_resumed": "pause",
    "inject_fired": "inject",
    "inject_held": "inject",
    "inject_released": "inject",
    "inject_skipped": "inject",
    "deadline_extended": "inject",
    "deadline_expired": "inject",
    "time_requested": "inject",
    "proposal_tabled": "proposal",
    "proposal_withdrawn": "proposal",
    "proposal_amended": "version",
    "proposal_position": "position",
    "proposal_adopted": "adoption",
    "statement_issued": "statement",
    "indicator_overridden": "ruling",
    "player_joined": "seat",
    "player_moved": "seat",
    "player_removed": "seat",
    "delegation_automatic": "seat",
    "seat_reclaimed": "seat",
    "seat_code_reissued": "seat",
}

CATEGORY_LABELS = {
    "move": "Moves",
    "session": "Session",
    "pause": "Pauses",
    "inject": "Injects",
    "proposal": "Proposals",
    "version": "Versions",
    "position": "Endorsements & rejections",
    "adoption": "Adoptions",
    "statement": "Statements",
    "ruling": "Rulings",
    "seat": "Seats",
}


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _inject_title(log: ReviewLog, facts: Facts, inject_id: str | None) -> str:
    if inject_id is None:
        return "a general matter"
    fired = facts.fired.get(inject_id)
    if fired is not None:
        return fired.data["inject"]["title"]
    try:
        return log.scenario.inject(inject_id).title
    except KeyError:
        return inject_id


def describe(log: ReviewLog, facts: Facts, event: EventRecord) -> str:
    """One plain sentence saying what an event did."""
    d, who = event.data, event.actor.get("name") or event.actor.get("kind", "")
    kind = event.type
    if kind == "session_started":
        return f"Session started: {facts.moves[0].title if facts.moves else 'move 1'}"
    if kind == "move_advanced":
        move = d.get("move") or {}
        return f"Move advanced to {move.get('title') or move.get('id', '?')}"
    if kind == "session_ended":
        return "Session ended"
    if kind == "session_paused":
        return f"Paused by {who}"
    if kind == "session_resumed":
        return f"Resumed after {clock_label(d.get('paused_seconds'))}"
    if kind == "inject_fired":
        audience = d["inject"].get("audience", "all")
        to = "all" if audience == "all" else ", ".join(audience)
        label = "Ad-hoc inject" if d["inject"].get("adhoc") else "Inject"
        return f"{label} fired to {to}: {d['inject']['title']}"
    if kind in ("inject_held", "inject_released", "inject_skipped"):
        verb = kind.split("_")[1]
        return f"Inject {verb}: {_inject_title(log, facts, d['inject_id'])}"
    if kind == "deadline_extended":
        return f"Deadline extended: {_inject_title(log, facts, d['inject_id'])}"
    if kind == "time_requested":
        about = _inject_title(log, facts, d["inject_id"])
        return f"{d['delegation']} asked for {d['minutes']} more minutes: {about}"
    if kind == "deadline_expired":
        return f"Deadline passed, no consensus: {_inject_title(log, facts, d['inject_id'])}"
    if kind == "proposal_tabled":
        about = _inject_title(log, facts, d.get("inject_id"))
        return f"{who} tabled proposal {d['proposal_id']} on {about}: {_short(d['text'], 90)}"
    if kind == "proposal_amended":
        return f"{who} amended proposal {d['proposal_id']} (version {d['version']})"
    if kind == "proposal_withdrawn":
        return f"{who} withdrew proposal {d['proposal_id']}"
    if kind == "proposal_position":
        stance = {"endorse": "endorsed", "reject": "rejected", "reserve": "reserved on"}
        text = f"{d['delegation']} {stance.get(d['stance'], d['stance'])} proposal "
        text += f"{d['proposal_id']} v{d['version']}"
        return text + (f": {_short(d['reason'], 80)}" if d.get("reason") else "")
    if kind == "proposal_adopted":
        about = _inject_title(log, facts, d.get("inject_id"))
        return f"Proposal {d['proposal_id']} v{d['version']} adopted on {about}"
    if kind == "statement_issued":
        return f"{d['delegation']} issued a unilateral statement: {_short(d['text'], 90)}"
    if kind == "indicator_overridden":
        name = d.get("name") or d["indicator"]
        return f"Ruling: {name} {d['previous']} → {d['value']} ({_short(d['ruling'], 80)})"
    if kind == "player_joined":
        p = d["player"]
        return f"{p['name']} joined {p['delegation']} as {p.get('role_title', '')}"
    if kind == "player_moved":
        p = d["player"]
        return f"{p['name']} moved from {d['from']} to {p['delegation']}"
    if kind == "player_removed":
        return f"{facts.player_label(d['player_id'])} was removed"
    if kind == "seat_reclaimed":
        return f"{facts.player_label(d['player_id'])} moved their seat to another device"
    if kind == "seat_code_reissued":
        return f"{facts.player_label(d['player_id'])} was given a new seat code"
    if kind == "delegation_automatic":
        state = "now plays automatically" if d["automatic"] else "is played by people again"
        return f"{d['delegation']} {state}"
    return kind.replace("_", " ")


def timeline(log: ReviewLog, facts: Facts) -> list[dict[str, Any]]:
    """Every timeline event of the log, oldest first."""
    items = []
    for event in log.events:
        category = CATEGORIES.get(event.type)
        if category is None:
            continue
        data = event.data
        proposal_id = data.get("proposal_id")
        inject_id = data.get("inject_id") or (data.get("inject") or {}).get("id")
        wall = facts.wall_seconds(event.at)
        items.append(
            {
                "seq": event.seq,
                "type": event.type,
                "category": category,
                "at": iso_full(event.at),
                "wall_seconds": wall,
                "play_seconds": facts.play_seconds(event.at),
                "clock": clock_label(facts.play_seconds(event.at)) if wall is not None else "lobby",
                "actor": event.actor.get("name") or event.actor.get("kind"),
                # An adoption is the proposal's, not the last endorser's delegation's.
                "delegation": None
                if event.type == "proposal_adopted"
                else facts.acting.get(event.seq) or data.get("delegation"),
                "inject_id": inject_id,
                "proposal_id": proposal_id,
                "stance": data.get("stance"),
                "text": describe(log, facts, event),
            }
        )
    return items
