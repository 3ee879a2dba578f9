"""Anonymisation: every player's name becomes a stable pseudonym, everywhere in the log.

A player's pseudonym is the code of the delegation they first sat in and their rank among that
delegation's players by player id: `JPN-1`, `JPN-2`, `KOR-1`. Facilitators become
`Facilitator-1`, ... by id. The replacement runs over every text of the log — actor names,
seats, proposal authors, and the words of messages, proposals, reasons and notes — matching a
full name or any part of it of three letters or more, whole words only, ignoring
case. The scenario's own texts are left as they are (they carry the scenario's hash).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from app.engine import EventRecord
from app.review.log import ReviewLog


@dataclass
class Pseudonyms:
    """Real name -> pseudonym, and a replacer for any text."""

    names: dict[str, str]
    pattern: re.Pattern[str] | None

    def text(self, value: str) -> str:
        if self.pattern is None or not value:
            return value
        return self.pattern.sub(lambda m: self.names.get(m.group(0).lower(), "[name]"), value)

    def walk(self, value: Any) -> Any:
        """A copy of a JSON-like value with every string passed through `text`."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.walk(v) for v in value]
        return value


def pseudonyms(log: ReviewLog) -> Pseudonyms:
    """The pseudonym map of a log (players by first delegation and id, then facilitators)."""
    first_seat: dict[int, tuple[str, str]] = {}
    facilitators: dict[int, str] = {}
    for event in log.events:
        if event.type in ("player_joined", "player_moved"):
            player = event.data["player"]
            first_seat.setdefault(player["id"], (player["delegation"], player["name"]))
        actor = event.actor
        if actor.get("kind") == "facilitator" and actor.get("id") is not None:
            facilitators.setdefault(actor["id"], actor.get("name") or "")
    full: dict[str, str] = {}
    ranks: dict[str, int] = {}
    for player_id in sorted(first_seat):
        code, name = first_seat[player_id]
        ranks[code] = ranks.get(code, 0) + 1
        full.setdefault(name.lower(), f"{code}-{ranks[code]}")
    for rank, facilitator_id in enumerate(sorted(facilitators), start=1):
        full.setdefault(facilitators[facilitator_id].lower(), f"Facilitator-{rank}")
    owner = str(log.session.get("owner") or "")
    if owner:
        full.setdefault(owner.lower(), f"Facilitator-{len(facilitators) + 1}")
    names = dict(full)
    for name, alias in full.items():
        for part in re.split(r"[\s()]+", name):
            # A first name alone in a message ("thanks aiko") is still that person's name.
            if len(part) >= 3 and not part.isdigit():
                names.setdefault(part, alias)
    names = {k: v for k, v in names.items() if k.strip()}
    if not names:
        return Pseudonyms({}, None)
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    return Pseudonyms(names, pattern)


def anonymise_log(log: ReviewLog) -> ReviewLog:
    """A copy of the log with every player and facilitator name replaced by its pseudonym."""
    alias = pseudonyms(log)
    events = [
        EventRecord(e.seq, e.type, e.at, alias.walk(e.actor), e.audience, alias.walk(e.data))
        for e in log.events
    ]
    session = alias.walk(dict(log.session))
    return replace(
        log,
        session=session | {"anonymised": True},
        events=events,
        notes=alias.walk([dict(n) for n in log.notes]),
    )
