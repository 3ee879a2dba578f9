"""Exports: JSON (the whole log, re-importable), CSV with its codebook, Markdown and HTML reports.

The JSON document holds the full log (every event as recorded, facilitator-only parts too), the
scenario version's files and hash, the session's metadata and the after-action notes. Importing
it (`import_json`) creates a new session with the same events, which reviews identically.
"""

from __future__ import annotations

import io
import json
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.content.loader import content_hash, load_scenario_from_texts
from app.engine import Draft, EventRecord
from app.review.codebook import codebook_csv, codebook_markdown, events_csv
from app.review.log import ReviewLog, iso_full, parse_full
from app.review.review import Review

FORMAT = "crisis-sim-review"
FORMAT_VERSION = 1
FORMATS = ("json", "csv", "md", "html")
SESSION_FLAGS = ("anonymised", "text_withheld")


class ImportRefused(ValueError):
    """A file that cannot be imported, with a message saying why."""


@dataclass
class Export:
    body: bytes
    filename: str
    mimetype: str


def to_json(review: Review) -> dict[str, Any]:
    """The review's log as one JSON-ready document."""
    log = review.log
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": iso_full(datetime.now(UTC).replace(tzinfo=None)),
        "anonymised": review.anonymised,
        "text_withheld": review.text_withheld,
        "session": {k: v for k, v in log.session.items() if k not in SESSION_FLAGS},
        "scenario": dict(log.scenario_meta, files=log.scenario_files),
        "notes": log.notes,
        "events": [
            {
                "seq": e.seq,
                "type": e.type,
                "at": iso_full(e.at),
                "actor": e.actor,
                "audience": e.audience,
                "data": e.data,
            }
            for e in log.events
        ],
    }


def load_json(document: dict[str, Any] | str | bytes) -> ReviewLog:
    """A ReviewLog from an exported JSON document (checked: format, gapless seq, scenario hash)."""
    try:
        doc = json.loads(document) if isinstance(document, (str, bytes)) else document
    except ValueError:
        raise ImportRefused("This file is not JSON; import a review's JSON export.") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ImportRefused("This is not a review export (its 'format' is not crisis-sim-review).")
    if doc.get("format_version") != FORMAT_VERSION:
        raise ImportRefused(f"Unsupported export version {doc.get('format_version')!r}.")
    scenario = doc.get("scenario") or {}
    files = scenario.get("files")
    if not isinstance(files, dict) or content_hash(files) != scenario.get("hash"):
        raise ImportRefused("The scenario files do not match their hash: the file was altered.")
    content = load_scenario_from_texts(files, scenario.get("slug", "scenario"))
    events = []
    for expected, item in enumerate(doc.get("events") or [], start=1):
        if item.get("seq") != expected:
            raise ImportRefused(f"Event {expected} is missing: the log must have no gaps.")
        events.append(
            EventRecord(
                item["seq"],
                item["type"],
                parse_full(item["at"]),
                item["actor"],
                item["audience"],
                item["data"],
            )
        )
    session = dict(doc.get("session") or {})
    for flag in SESSION_FLAGS:
        if doc.get(flag):
            session[flag] = True
    return ReviewLog(
        session=session,
        scenario_meta={k: v for k, v in scenario.items() if k != "files"},
        scenario_files=files,
        scenario=content,
        events=events,
        notes=list(doc.get("notes") or []),
    )


def import_json(document: dict[str, Any] | str | bytes, owner_id: int) -> int:
    """Store an exported session as a new session owned by `owner_id`; returns its id.

    The imported session is closed to joining (its players' seats belong to the old server), but
    reviews, replays and exports exactly like the original.
    """
    from app.extensions import db
    from app.store.eventlog import stage_events
    from app.store.models import Delegation, GameSession, ReviewNote
    from app.store.scenarios import store_scenario

    log = load_json(document)
    row = store_scenario(log.scenario_files, log.scenario_meta.get("slug", "scenario"))
    game = GameSession(
        scenario_id=row.id,
        owner_id=owner_id,
        title=str(log.session.get("title") or row.title)[:200],
        join_code=_closed_code(),
        observer_code=_closed_code(),
        status="ended",
    )
    db.session.add(game)
    db.session.flush()
    for delegation in log.scenario.delegations:
        db.session.add(Delegation(session_id=game.id, code=delegation.code, name=delegation.name))
    for event in log.events:
        draft = Draft(event.type, event.audience, event.data)
        stage_events(game.id, [draft], event.actor, event.seq - 1, event.at)
    for note in log.notes:
        db.session.add(
            ReviewNote(
                session_id=game.id,
                subject=str(note.get("subject", ""))[:80],
                strengths=str(note.get("strengths", "")),
                improvements=str(note.get("improvements", "")),
            )
        )
    db.session.commit()
    return game.id


def _closed_code() -> str:
    # Longer than any join code and never read aloud: an imported session cannot be joined.
    return "IMP" + secrets.token_hex(6).upper()


def csv_zip(review: Review) -> bytes:
    """events.csv with codebook.csv and codebook.md, zipped."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("events.csv", events_csv(review.log, review.facts))
        archive.writestr("codebook.csv", codebook_csv())
        archive.writestr("codebook.md", codebook_markdown())
    return buffer.getvalue()


def export_stem(session: dict[str, Any]) -> str:
    """A download's name without extension: the session title as a slug and the session's date
    ("seminar-3-group-b-2026-12-02"), so a folder of exports reads without opening them."""
    folded = unicodedata.normalize("NFKD", str(session.get("title") or ""))
    ascii_title = folded.encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")[:60].strip("-")
    day = str(session.get("created_at") or "")[:10]
    parts = [
        slug or f"session-{session.get('id')}",
        day if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) else "",
    ]
    return "-".join(part for part in parts if part)


def export(review: Review, fmt: str) -> Export:
    """One export of a review in a format of FORMATS."""
    from app.review.report import html_report, markdown_report

    stem = export_stem(review.log.session) + ("-anonymised" if review.anonymised else "")
    stem += "-text-withheld" if review.text_withheld else ""
    if fmt == "json":
        body = json.dumps(to_json(review), ensure_ascii=False, indent=1).encode()
        return Export(body, f"{stem}.json", "application/json")
    if fmt == "csv":
        return Export(csv_zip(review), f"{stem}-csv.zip", "application/zip")
    if fmt == "md":
        return Export(markdown_report(review).encode(), f"{stem}.md", "text/markdown")
    if fmt == "html":
        return Export(html_report(review).encode(), f"{stem}.html", "text/html")
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
