"""The material of a review: one session's event log, its scenario version and its metadata.

A `ReviewLog` is plain data. It is read from the database (`load_log`) or from an exported JSON
file (`app.review.exports.load_json`), and everything else in `app.review` is computed from it.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Text, cast, func, select

from app.content.schema import Scenario as ScenarioContent
from app.engine import EventRecord
from app.engine.proposals import parse_iso
from app.extensions import db
from app.store.models import Event, GameSession, ReviewNote
from app.store.scenarios import scenario_content


@dataclass
class ReviewLog:
    """A session's log with what is needed to read it."""

    session: dict[str, Any]  # id, title, status, created_at, owner
    scenario_meta: dict[str, Any]  # slug, version, title, hash
    scenario_files: dict[str, str]
    scenario: ScenarioContent
    events: list[EventRecord]
    notes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def session_id(self) -> int:
        return int(self.session["id"])

    @property
    def head_seq(self) -> int:
        return self.events[-1].seq if self.events else 0


def iso_full(moment: datetime | None) -> str | None:
    """ISO 8601 UTC with microseconds: exports keep the log's full precision."""
    if moment is None:
        return None
    return moment.isoformat(timespec="microseconds") + "Z"


parse_full = parse_iso  # the wire format parses the same way at any precision


@contextmanager
def bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects at once.

    Reading a long log makes tens of thousands of dicts that all stay alive; each of them
    counts towards the next collection, and collections that find nothing to free were more
    than half of the time of opening a 20,000-event review. Reference counting still frees
    everything as usual meanwhile.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def head_of(session_id: int) -> int:
    """The highest seq of a session's log (0 when empty)."""
    return db.session.scalar(select(func.max(Event.seq)).where(Event.session_id == session_id)) or 0


def session_meta(game: GameSession) -> dict[str, Any]:
    return {
        "id": game.id,
        "title": game.title,
        "status": game.status,
        "created_at": iso_full(game.created_at),
        "owner": game.owner.name if game.owner else "",
    }


def load_notes(session_id: int) -> list[dict[str, Any]]:
    """The facilitators' after-action notes of a session, by subject."""
    rows = db.session.scalars(
        select(ReviewNote).where(ReviewNote.session_id == session_id).order_by(ReviewNote.subject)
    )
    return [
        {
            "subject": row.subject,
            "strengths": row.strengths,
            "improvements": row.improvements,
            "updated_at": iso_full(row.updated_at),
        }
        for row in rows
    ]


def _loads(text: str) -> Any:
    """Stored JSON, decoded. Text is checked at the door, but a database written before that
    (or by hand) may hold an escaped lone surrogate, which orjson refuses and UTF-8 cannot
    encode: such a value is read with the standard decoder and each lone surrogate replaced by
    U+FFFD, so one bad byte can never make a whole review fail."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return _replace_surrogates(json.loads(text))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_replace_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    return value


def load_log(session_id: int) -> ReviewLog | None:
    """The review material of a stored session, or None if there is no such session."""
    game = db.session.get(GameSession, session_id)
    if game is None:
        return None
    # Plain column tuples with JSON and times as text, decoded here: a long seminar has tens of
    # thousands of events, and decoding them is most of the cost of opening a review.
    rows = (
        db.session.connection()
        .execute(  # Core, not the ORM: no per-row entity work
            select(
                Event.seq,
                Event.type,
                cast(Event.created_at, Text),
                cast(Event.actor_data, Text),
                Event.audience,
                cast(Event.payload, Text),
            )
            .where(Event.session_id == session_id)
            .order_by(Event.seq)
        )
        .all()
    )
    loads, when = _loads, datetime.fromisoformat  # (SQLAlchemy's own parsing is slower)
    with bulk():
        events = [
            EventRecord(seq, kind, when(at), loads(actor), audience, loads(data))
            for seq, kind, at, actor, audience, data in rows
        ]
    row = game.scenario
    content = scenario_content(row)
    created = next((e for e in events if e.type == "session_created"), None)
    if created is not None and created.data.get("track"):
        content = content.for_track(created.data["track"])  # the cut the session played
    return ReviewLog(
        session=session_meta(game),
        scenario_meta={
            "slug": row.slug,
            "version": row.version,
            "title": row.title,
            "hash": row.content_hash,
        },
        scenario_files=dict(row.files),
        scenario=content,
        events=events,
        notes=load_notes(session_id),
    )
