"""Anonymisation: every person's name becomes a stable pseudonym, everywhere in the log.

A player's pseudonym is the code of the delegation they first sat in and their rank among that
delegation's players by player id: `JPN-1`, `JPN-2`, `KOR-1`. Facilitators become
`Facilitator-1`, ... by id (the owner, if they never acted, after them).

- **Structured fields** (an event's actor, a seat, a proposal's or version's author) hold a
  person's id: their name is replaced by that id's pseudonym, whatever it is.
- **Free text** (messages, proposals, reasons, rulings, notes, facilitator-written injects) goes
  through `app.review.names.NameFinder`: every name and name part any person had, normalised and
  matched on word boundaries (see there).
- The **session title** becomes "Session N".
- The scenario's own texts (inject bodies, move summaries, indicator names) are left as they are,
  also where events carry a copy: they are not personal data, and the export carries their hash.
- **Text withheld** (`withhold_text=True`), for strict research use: every free-text field is
  replaced by `[withheld: N words]`; ids, times, channels, options, positions and counts stay.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from app.engine import EventRecord
from app.review.log import ReviewLog
from app.review.names import NameFinder

# Keys whose strings are words someone wrote (withheld in a text-withheld export); the last
# three are the hot wash's answers.
FREE_TEXT = frozenset(
    {"text", "body", "title", "reason", "ruling", "strengths", "improvements"}
    | {"went_well", "to_improve", "surprised"}
)
# Keys whose strings are ids, codes or times: never rewritten (a player named "White" must not
# turn the channel "white-JPN" into something else).
STRUCTURAL = frozenset(
    {
        "kind",
        "type",
        "status",
        "channel",
        "audience",
        "delegation",
        "delegations",
        "code",
        "stance",
        "options",
        "option_ids",
        "inject_id",
        "move_id",
        "role",
        "outcome",
        "indicator",
        "slug",
        "hash",
        "subject",
    }
)
FAC = "facilitator"
PSEUDONYM = re.compile(r"[A-Z]{2,8}-\d+|Facilitator-\d+")
WITHHELD = re.compile(r"\[withheld: (\d+) words?\]")


def withheld(text: str) -> str:
    """The marker that stands for a withheld text (it keeps the word count)."""
    n = len(text.split())
    return f"[withheld: {n} word{'' if n == 1 else 's'}]"


def withheld_words(text: str) -> int | None:
    """The word count a withheld-text marker stands for (None: not a marker)."""
    found = WITHHELD.fullmatch(text)
    return int(found.group(1)) if found else None


@dataclass
class Pseudonyms:
    """Who is who (ids to pseudonyms), and a rewriter for any value of the log."""

    players: dict[int, str] = field(default_factory=dict)
    facilitators: dict[int, str] = field(default_factory=dict)
    finder: NameFinder = field(default_factory=NameFinder)
    exact: dict[str, str] = field(default_factory=dict)  # whole strings: the session title
    scenario: frozenset[str] = frozenset()  # the scenario's own strings, left as they are
    withhold_text: bool = False
    _seen: dict[str, str] = field(default_factory=dict)

    def text(self, value: str) -> str:
        """Free text with every name replaced."""
        if value in self.scenario:
            return value
        if value in self.exact:
            return self.exact[value]
        done = self._seen.get(value)
        if done is None:
            done = self._seen[value] = self.finder.replace(value)
        return done

    def walk(self, value: Any, key: str = "") -> Any:
        """A copy of a JSON-like value (an event's data, actor, or notes) made anonymous."""
        if isinstance(value, str):
            if key in STRUCTURAL or value in self.scenario:
                return value
            if value in self.exact:
                return self.exact[value]
            if self.withhold_text and key in FREE_TEXT and value:
                return withheld(value)
            return self.text(value)
        if isinstance(value, dict):
            out = {k: self.walk(v, k) for k, v in value.items()}
            alias = self._person(value)
            if alias is not None:
                out["name"] = alias
            return out
        if isinstance(value, list):
            return [self.walk(v, key) for v in value]
        return value

    def _person(self, value: dict[str, Any]) -> str | None:
        """The pseudonym of a dict that stands for a person (actor, seat, author), if any."""
        if not isinstance(value.get("name"), str) or not isinstance(value.get("id"), int):
            return None
        kind = value.get("kind")
        if kind == "facilitator":
            return self.facilitators.get(value["id"])
        if kind == "player" or (kind is None and "role" in value):
            return self.players.get(value["id"])
        return None


def _people(log: ReviewLog) -> Iterator[tuple[str, int, str, str]]:
    """(kind, id, name, delegation) for every person the log names, in log order."""
    for event in log.events:
        actor = event.actor
        if actor.get("kind") in ("player", "facilitator") and isinstance(actor.get("id"), int):
            yield actor["kind"], actor["id"], actor.get("name") or "", actor.get("delegation") or ""
        player = event.data.get("player") if isinstance(event.data, dict) else None
        if isinstance(player, dict) and isinstance(player.get("id"), int):
            yield "player", player["id"], player.get("name") or "", player.get("delegation") or ""


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def pseudonyms(log: ReviewLog, withhold_text: bool = False) -> Pseudonyms:
    """The pseudonyms of a log's people (players by first delegation and id, then facilitators)."""
    first_seat: dict[int, str] = {}
    names: dict[tuple[str, int], set[str]] = {}
    for kind, person_id, name, delegation in _people(log):
        if kind == "player" and delegation:
            first_seat.setdefault(person_id, delegation)
        names.setdefault((kind, person_id), set()).add(name)
    alias = Pseudonyms(withhold_text=withhold_text)
    ranks: dict[str, int] = {}
    for player_id in sorted(first_seat):
        code = first_seat[player_id]
        ranks[code] = ranks.get(code, 0) + 1
        alias.players[player_id] = f"{code}-{ranks[code]}"
    facilitator_ids = sorted(pid for kind, pid in names if kind == FAC)
    for rank, facilitator_id in enumerate(facilitator_ids, start=1):
        alias.facilitators[facilitator_id] = f"Facilitator-{rank}"
    for (kind, person_id), spellings in names.items():
        pseudonym = (alias.players if kind == "player" else alias.facilitators).get(person_id)
        for name in spellings:
            # A log that is already anonymised (an imported export) names people by pseudonym:
            # looking for "JPN" of "JPN-1" in its texts would only rewrite delegation codes.
            if pseudonym and name and not PSEUDONYM.fullmatch(name):
                alias.finder.add(name, pseudonym)
    owner = str(log.session.get("owner") or "")
    if owner:
        acted = [alias.facilitators[pid] for pid in facilitator_ids if owner in names[(FAC, pid)]]
        alias.exact[owner] = acted[0] if acted else f"Facilitator-{len(facilitator_ids) + 1}"
        alias.finder.add(owner, alias.exact[owner])
    title = str(log.session.get("title") or "")
    if title:
        alias.exact[title] = f"Session {log.session.get('id')}"
    alias.scenario = frozenset(_strings(log.scenario.model_dump()))
    return alias


def anonymise_log(
    log: ReviewLog, withhold_text: bool = False, alias: Pseudonyms | None = None
) -> ReviewLog:
    """A copy of the log with every person's name replaced by their pseudonym (and, with
    `withhold_text`, every free text replaced by a marker)."""
    alias = alias or pseudonyms(log, withhold_text)
    events = [
        EventRecord(e.seq, e.type, e.at, alias.walk(e.actor), e.audience, alias.walk(e.data))
        for e in log.events
    ]
    session = {k: alias.walk(v, k) for k, v in log.session.items()}
    flags = {"anonymised": True} | ({"text_withheld": True} if alias.withhold_text else {})
    return replace(
        log,
        session=session | flags,
        events=events,
        notes=alias.walk([dict(n) for n in log.notes]),
    )
