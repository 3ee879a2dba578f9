"""The CSV export's columns: one tidy row per event, every column explained here (the codebook
shipped inside the export and printed in docs/review.md comes from this list)."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from app.engine import EventRecord
from app.review.facts import Facts
from app.review.log import ReviewLog, iso_full
from app.review.transcripts import word_count

# (column, type, meaning)
COLUMNS: list[tuple[str, str, str]] = [
    ("session_id", "integer", "The session's id in the database it was exported from."),
    ("seq", "integer", "The event's position in the session's log: 1, 2, 3, ... with no gaps."),
    ("type", "text", "The event type, e.g. message_posted (catalogue: docs/protocol.md §4)."),
    ("at", "ISO 8601 UTC", "When the server recorded the event, to the microsecond."),
    (
        "wall_seconds",
        "decimal",
        "Seconds since session_started; negative in the lobby; blank if play never started.",
    ),
    (
        "play_seconds",
        "decimal",
        "Seconds of play since session_started with paused time left out (0 in the lobby).",
    ),
    ("move_id", "text", "The scenario move in play when the event happened (blank: lobby)."),
    (
        "audience",
        "text",
        "Who received it: all, white (facilitators), d:CODES (delegations) or ch:A-B (bilateral).",
    ),
    ("actor_kind", "text", "player, facilitator, system (the scheduler or lobby) or auto."),
    ("actor_id", "integer", "The player's or facilitator's id (blank for system and auto)."),
    ("actor_name", "text", "The actor's display name (a pseudonym in an anonymised export)."),
    (
        "actor_delegation",
        "text",
        "The delegation the actor acted for at that moment: JPN, KOR, USA, WHITE (facilitators).",
    ),
    ("channel", "text", "message_posted: the channel (plenary, JPN, JPN-KOR, white-JPN, ...)."),
    ("inject_id", "text", "The inject the event concerns (fired, proposal, statement, deadline)."),
    ("proposal_id", "integer", "The proposal the event concerns."),
    ("version", "integer", "The proposal version tabled, amended, endorsed, rejected or adopted."),
    ("stance", "text", "proposal_position: endorse, reject or reserve."),
    (
        "options",
        "text",
        "Response option ids chosen (proposal versions, adoptions, statements), joined by ';'.",
    ),
    ("text", "text", "The words written: message, proposal version, statement or ruling."),
    ("words", "integer", "Number of whitespace-separated words in `text`."),
    ("reason", "text", "proposal_position: the reason given for a rejection or reservation."),
    ("indicator", "text", "indicator_overridden: the indicator a ruling set."),
    ("value", "integer", "indicator_overridden: the value the ruling set."),
    (
        "data_json",
        "JSON",
        "The event's whole data as recorded, facilitator-only parts included.",
    ),
]

FIELDS = [name for name, _kind, _meaning in COLUMNS]

# A spreadsheet opening a CSV reads a cell that begins with one of these as a formula (OWASP,
# "CSV Injection"): `=HYPERLINK(...)` in a player's name would run on a researcher's machine.
# NUL too: some spreadsheets skip it and read the formula behind it (only an imported log can
# carry one; live text drops control characters).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
SPREADSHEET_NOTE = (
    "Every text cell that begins with =, +, -, @, a tab, a carriage return or a NUL is written "
    "with a single quote (') in front, so that spreadsheets show it as text instead of running it "
    "as a formula (OWASP's advice on CSV injection). Remove that first quote to get the text as "
    "written; numbers (such as a negative wall_seconds) are written as they are."
)


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell that no spreadsheet will run as a formula."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if _NUMBER.fullmatch(value):
        return value  # a plain negative number is a number, not a formula
    return "'" + value


def event_row(log: ReviewLog, facts: Facts, event: EventRecord) -> dict[str, Any]:
    """One CSV row for one event."""
    d = event.data
    actor = event.actor
    move = facts.move_at(event.seq) if facts.start and event.at >= facts.start else None
    text = d.get("text") or d.get("ruling") or ""
    options = d.get("options")
    if event.type == "inject_fired":
        text = d["inject"]["title"]
    wall = facts.wall_seconds(event.at)
    play = facts.play_seconds(event.at)
    return {
        "session_id": log.session_id,
        "seq": event.seq,
        "type": event.type,
        "at": iso_full(event.at),
        "wall_seconds": "" if wall is None else f"{wall:.3f}",
        "play_seconds": "" if play is None else f"{play:.3f}",
        "move_id": move.id if move else "",
        "audience": event.audience,
        "actor_kind": actor.get("kind") or "",
        "actor_id": "" if actor.get("id") is None else actor["id"],
        "actor_name": actor.get("name") or "",
        "actor_delegation": facts.acting.get(event.seq) or "",
        "channel": d.get("channel", ""),
        "inject_id": d.get("inject_id") or (d.get("inject") or {}).get("id") or "",
        "proposal_id": d.get("proposal_id", ""),
        "version": d.get("version", 1 if event.type == "proposal_tabled" else ""),
        "stance": d.get("stance", ""),
        "options": ";".join(options) if isinstance(options, list) else "",
        "text": text,
        "words": word_count(text) if text else 0,
        "reason": d.get("reason", ""),
        "indicator": d.get("indicator", "") if event.type == "indicator_overridden" else "",
        "value": d.get("value", "") if event.type == "indicator_overridden" else "",
        "data_json": json.dumps(d, ensure_ascii=False, sort_keys=True),
    }


def events_csv(log: ReviewLog, facts: Facts) -> str:
    """The events as CSV text (header + one row per event)."""
    buffer = io.StringIO()
    # CRLF, as RFC 4180 has it; with "\n" alone the writer would leave a text's bare "\r"
    # unquoted, and spreadsheets would break the row there.
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for event in log.events:
        row = event_row(log, facts, event)
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
    return buffer.getvalue()


def codebook_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["column", "type", "meaning"])
    writer.writerows([[spreadsheet_safe(cell) for cell in row] for row in COLUMNS])
    return buffer.getvalue()


ANONYMITY_NOTE = (
    "**Anonymised exports** (file names ending in -anonymised or -anonymised-text-withheld): "
    "players appear as JPN-1, KOR-2, ... (their first delegation and rank by player id), "
    "facilitators as Facilitator-1, ..., the session title as 'Session N'. In the texts, every "
    "name the server knows is replaced where it is written as a word of its own: in full, a part "
    "of it, joined or as a handle (AikoTanaka, @aiko_tanaka), without accents or apostrophes, "
    "and CJK names before honorifics (愛子さん); a part two people share becomes [name]. "
    "Anonymisation cannot recognise a nickname, a misspelling, a name it was never told or a "
    "description ('the student from Osaka'); a common word that is also a name is replaced "
    "where it stands alone; and the pattern of play (times, channels, who answered whom, how "
    "much each wrote) stays and can point to a person in a small class. These exports are "
    "pseudonymised, not anonymous: read them before publishing. In the text-withheld variant "
    "every free text (text, reason, notes) is [withheld: N words]; `words` still counts the "
    "original words."
)


def codebook_markdown() -> str:
    lines = [
        "# Codebook: events.csv",
        "",
        "One row per event of the session's log, in `seq` order. Blank means not applicable.",
        "",
        SPREADSHEET_NOTE,
        "",
        ANONYMITY_NOTE,
        "",
        "| column | type | meaning |",
        "| --- | --- | --- |",
    ]
    lines += [f"| `{name}` | {kind} | {meaning} |" for name, kind, meaning in COLUMNS]
    return "\n".join(lines) + "\n"
