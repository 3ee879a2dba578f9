"""The event log: read a session's events, append new ones with gapless `seq`.

Appends are optimistic: the next seq is the state's seq + 1 and `UNIQUE(session_id, seq)` turns a
concurrent writer into an IntegrityError, which the caller answers by reloading and retrying.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, select

from app.engine import Draft, EventRecord
from app.extensions import db
from app.store.models import CommandRecord, Event


def to_record(row: Event) -> EventRecord:
    return EventRecord(row.seq, row.type, row.created_at, row.actor_data, row.audience, row.payload)


def read_events(
    session_id: int, after_seq: int = 0, before_seq: int | None = None
) -> list[EventRecord]:
    """The session's events with after_seq < seq (< before_seq, when given), in order."""
    query = select(Event).where(Event.session_id == session_id, Event.seq > after_seq)
    if before_seq is not None:
        query = query.where(Event.seq < before_seq)
    rows = db.session.scalars(query.order_by(Event.seq))
    return [to_record(row) for row in rows]


def stage_events(
    session_id: int,
    drafts: Sequence[Draft],
    actor: dict,
    after_seq: int,
    at: datetime,
) -> list[EventRecord]:
    """Insert events in the current transaction (not committed) and return them as records.

    One Core INSERT for all of them, sent at once: a concurrent writer's seq shows here as an
    IntegrityError (not at commit), and no ORM objects are made for rows nobody reads back.
    """
    key = _actor_key(actor)
    rows = [
        {
            "session_id": session_id,
            "seq": after_seq + offset,
            "type": draft.type,
            "actor": key,
            "actor_data": actor,
            "audience": draft.audience,
            "payload": draft.data,
            "created_at": at,
        }
        for offset, draft in enumerate(drafts, start=1)
    ]
    db.session.execute(insert(Event.__table__), rows)
    return [EventRecord(r["seq"], r["type"], at, actor, r["audience"], r["payload"]) for r in rows]


def stage_command(
    session_id: int,
    actor_key: str,
    command_id: str,
    kind: str,
    records: list[EventRecord],
    content_hash: str | None = None,
) -> None:
    """Insert the command's row (same transaction as its events; a re-sent id is an
    IntegrityError on `uq_commands_actor_id`). `content_hash` tells a true re-send from an id
    used again for another command."""
    db.session.execute(
        insert(CommandRecord.__table__),
        {
            "session_id": session_id,
            "actor": actor_key,
            "command_id": command_id,
            "type": kind,
            "content_hash": content_hash,
            "first_seq": records[0].seq,
            "last_seq": records[-1].seq,
            "created_at": records[-1].at,
        },
    )


def find_command(session_id: int, actor_key: str, command_id: str) -> CommandRecord | None:
    return db.session.scalar(
        select(CommandRecord).where(
            CommandRecord.session_id == session_id,
            CommandRecord.actor == actor_key,
            CommandRecord.command_id == command_id,
        )
    )


def _actor_key(actor: dict) -> str:
    kind = actor.get("kind", "system")
    if kind == "auto":
        return f"auto:{actor.get('delegation')}"
    if actor.get("id") is not None:
        return f"{kind[0]}:{actor['id']}"
    return kind
