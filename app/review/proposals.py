"""Each proposal's history: its versions with word-level diffs, and the endorsement trail."""

from __future__ import annotations

import difflib
import re
from typing import Any

from app.review.facts import Facts, clock_label
from app.review.log import ReviewLog, iso_full

# A word with the spaces before it: spaces alone never count as an unchanged stretch.
_TOKEN = re.compile(r"\s*[\w'’-]+|\s*[^\w\s]|\s+$")


def text_diff(before: str, after: str) -> list[list[str]]:
    """Word-level changes from `before` to `after`: [op, text] with op equal|insert|delete."""
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    ops: list[list[str]] = []

    def push(op: str, text: str) -> None:
        if not text:
            return
        if ops and ops[-1][0] == op:
            ops[-1][1] += text
        else:
            ops.append([op, text])

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            push("equal", "".join(a[i1:i2]))
        else:
            push("delete", "".join(a[i1:i2]))
            push("insert", "".join(b[j1:j2]))
    return ops


def option_text(log: ReviewLog, facts: Facts, option_id: str) -> str:
    try:
        return log.scenario.option(option_id).text
    except KeyError:
        for fired in facts.fired.values():
            for option in fired.data["inject"].get("response_options", []):
                if option["id"] == option_id:
                    return option["text"]
    return option_id


def histories(log: ReviewLog, facts: Facts) -> list[dict[str, Any]]:
    """Every proposal, in the order tabled, with versions, diffs and the trail of positions."""
    found: dict[int, dict[str, Any]] = {}

    def step(event: Any, kind: str, proposal_id: int, **extra: Any) -> None:
        proposal = found.get(proposal_id)
        if proposal is None:
            return
        play = facts.play_seconds(event.at)
        proposal["trail"].append(
            {
                "seq": event.seq,
                "at": iso_full(event.at),
                "clock": clock_label(play),
                "kind": kind,
                "by": event.actor.get("name") or event.actor.get("kind"),
                "delegation": facts.acting.get(event.seq),
                **extra,
            }
        )

    for event in log.events:
        d = event.data
        if event.type == "proposal_tabled":
            inject_id = d.get("inject_id")
            found[d["proposal_id"]] = {
                "id": d["proposal_id"],
                "inject_id": inject_id,
                "inject_title": facts.fired[inject_id].data["inject"]["title"]
                if inject_id in facts.fired
                else None,
                "delegation": facts.acting.get(event.seq),
                "author": event.actor.get("name"),
                "tabled_at": iso_full(event.at),
                "tabled_seq": event.seq,
                "status": "open",
                "adopted_version": None,
                "versions": [],
                "trail": [],
            }
            _version(log, facts, found[d["proposal_id"]], event)
            step(event, "tabled", d["proposal_id"], version=1)
        elif event.type == "proposal_amended" and d["proposal_id"] in found:
            _version(log, facts, found[d["proposal_id"]], event)
            step(event, "amended", d["proposal_id"], version=d["version"])
        elif event.type == "proposal_position":
            step(
                event,
                d["stance"],
                d["proposal_id"],
                version=d["version"],
                reason=d.get("reason", ""),
                position_of=d["delegation"],
            )
        elif event.type == "proposal_adopted" and d["proposal_id"] in found:
            found[d["proposal_id"]].update(status="adopted", adopted_version=d["version"])
            step(event, "adopted", d["proposal_id"], version=d["version"])
            for other in d.get("closed_proposals", []):
                _closed(found, other, "another proposal was adopted")
                step(event, "closed", other, reason="another proposal was adopted")
        elif event.type == "proposal_withdrawn" and d["proposal_id"] in found:
            found[d["proposal_id"]]["status"] = "withdrawn"
            step(event, "withdrawn", d["proposal_id"])
        elif event.type in ("deadline_expired", "session_ended"):
            why = "the deadline passed" if event.type == "deadline_expired" else "the session ended"
            for other in d.get("closed_proposals", []):
                _closed(found, other, why)
                step(event, "closed", other, reason=why)
    return list(found.values())


def _closed(found: dict[int, dict[str, Any]], proposal_id: int, reason: str) -> None:
    proposal = found.get(proposal_id)
    if proposal is not None and proposal["status"] == "open":
        proposal["status"] = "closed"
        proposal["closed_reason"] = reason


def _version(log: ReviewLog, facts: Facts, proposal: dict[str, Any], event: Any) -> None:
    d = event.data
    previous = proposal["versions"][-1] if proposal["versions"] else None
    options = list(d["options"])
    version = {
        "n": len(proposal["versions"]) + 1,
        "seq": event.seq,
        "at": iso_full(event.at),
        "clock": clock_label(facts.play_seconds(event.at)),
        "author": event.actor.get("name"),
        "delegation": facts.acting.get(event.seq),
        "text": d["text"],
        "options": [{"id": o, "text": option_text(log, facts, o)} for o in options],
        "diff": text_diff(previous["text"], d["text"]) if previous else None,
        "options_added": [o for o in options if previous and o not in previous["option_ids"]],
        "options_removed": [o for o in previous["option_ids"] if o not in options]
        if previous
        else [],
        "option_ids": options,
    }
    proposal["versions"].append(version)
