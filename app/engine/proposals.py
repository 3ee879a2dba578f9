"""Proposal bookkeeping shared by the rules (to preview a change) and the fold (to record it)."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from app.content.schema import Scenario
from app.engine.state import Position, Proposal, SessionState, Version


def add_version(
    proposal: Proposal, text: str, options: list[str], author: dict[str, Any], at: datetime
) -> None:
    """Record a new version; earlier endorsements no longer count (they name an old version)."""
    proposal.versions.append(
        Version(
            n=len(proposal.versions) + 1, text=text, options=tuple(options), author=author, at=at
        )
    )


def set_position(
    proposal: Proposal,
    delegation: str,
    stance: str,
    version: int,
    reason: str,
    by: dict[str, Any],
    at: datetime,
) -> None:
    proposal.positions[delegation] = Position(stance, version, reason, by, at)


def endorsed_by(proposal: Proposal, codes: tuple[str, ...]) -> bool:
    """True when every delegation in `codes` endorses the current version."""
    current = proposal.current.n
    return all(
        (p := proposal.positions.get(code)) is not None
        and p.stance == "endorse"
        and p.version == current
        for code in codes
    )


def preview(proposal: Proposal) -> Proposal:
    """A copy to try a change on before it is recorded."""
    return copy.deepcopy(proposal)


def crossed_red_lines(scenario: Scenario, code: str, options: tuple[str, ...]) -> list[dict]:
    """The red lines of delegation `code` that a set of options crosses."""
    chosen = set(options)
    return [
        {"id": line.id, "text": line.text, "options": [o for o in line.options if o in chosen]}
        for line in scenario.delegation(code).red_lines
        if chosen.intersection(line.options)
    ]


def proposal_view(proposal: Proposal) -> dict[str, Any]:
    """The proposal as clients see it (red-line warnings are added per viewer)."""
    return {
        "id": proposal.id,
        "inject_id": proposal.inject_id,
        "status": proposal.status,
        "author": proposal.author,
        "delegation": proposal.delegation,
        "tabled_at": iso(proposal.tabled_at),
        "version": proposal.current.n,
        "versions": [
            {
                "n": v.n,
                "text": v.text,
                "options": list(v.options),
                "author": v.author,
                "at": iso(v.at),
            }
            for v in proposal.versions
        ],
        "positions": {
            code: {
                "stance": p.stance,
                "version": p.version,
                "reason": p.reason,
                "by": p.by,
                "at": iso(p.at),
            }
            for code, p in proposal.positions.items()
        },
        "adopted_version": proposal.adopted_version,
        "closed_reason": proposal.closed_reason,
    }


def red_line_notes(state: SessionState, proposal: Proposal, codes: tuple[str, ...]) -> dict:
    """Per-delegation red-line warnings for the current version, for the `_private` field."""
    notes = {}
    for code in codes:
        lines = crossed_red_lines(state.scenario, code, proposal.current.options)
        if lines:
            notes[code] = {"red_lines": lines}
    return notes


def iso(moment: datetime | None) -> str | None:
    """An ISO 8601 UTC string with a Z, the one time format on the wire."""
    if moment is None:
        return None
    return moment.isoformat(timespec="milliseconds") + "Z"


def parse_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.rstrip("Z"))
