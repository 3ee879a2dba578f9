"""Database tables. The event log is the source of truth; the other tables are accounts,
content, and read models that can be rebuilt from the log."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


# Ids are never reused, on every database: a deleted session's (or seat's, or account's) id must
# never name a new one, since sockets, tokens and links carry ids. PostgreSQL sequences never go
# back; SQLite needs AUTOINCREMENT for that (without it, it reuses the highest deleted id).
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


class Facilitator(db.Model):
    __tablename__ = "facilitators"
    __table_args__ = dict(NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Written into every cookie and `f.` token; signing out or a new password bumps it, which
    # ends every credential issued before.
    auth_version: Mapped[int] = mapped_column(default=1, server_default="1")


class SetupToken(db.Model):
    """A one-time sign-in printed to the console when no facilitator exists yet."""

    __tablename__ = "setup_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class Scenario(db.Model):
    """One loaded version of a scenario: its source texts and their hash."""

    __tablename__ = "scenarios"
    __table_args__ = (UniqueConstraint("slug", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    files: Mapped[dict[str, str]] = mapped_column(JSON)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Authored scenarios (the library, app/store/library.py): whose it is and who published this
    # version. Bundled scenarios have no owner and no publisher.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id"), index=True)
    published_by: Mapped[str | None] = mapped_column(String(80))
    published_at: Mapped[datetime | None]


class AuthoredScenario(db.Model):
    """A facilitator's scenario in the library: its draft texts (which may be invalid) and who
    saved them last. `revision` grows on every save, so a save based on an older revision is
    refused instead of overwriting someone else's work. Published versions are `Scenario` rows
    with the same slug."""

    __tablename__ = "authored_scenarios"
    __table_args__ = dict(NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id"), index=True)
    files: Mapped[dict[str, str]] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(default=1)
    saved_by: Mapped[str] = mapped_column(String(80))
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner: Mapped[Facilitator] = relationship()


class ScenarioShare(db.Model):
    """A co-facilitator an authored scenario is shared with (may edit and use it)."""

    __tablename__ = "authored_scenario_shares"

    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("authored_scenarios.id", ondelete="CASCADE"), primary_key=True
    )
    facilitator_id: Mapped[int] = mapped_column(
        ForeignKey("facilitators.id", ondelete="CASCADE"), primary_key=True
    )


class GameSession(db.Model):
    """One live run of a scenario. `status` and `head_seq` are read models of the log.
    `nonce` is random and unique to this session: observer tokens and open sockets are bound to
    it, so nothing issued for a deleted session can open or act on another one."""

    __tablename__ = "sessions"
    __table_args__ = dict(NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id"))
    title: Mapped[str] = mapped_column(String(200))
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    observer_code: Mapped[str] = mapped_column(String(16), unique=True)
    share_token_hash: Mapped[str | None] = mapped_column(String(64))
    share_expires_at: Mapped[datetime | None]
    share_scope: Mapped[str | None] = mapped_column(String(16))  # "full" | "debrief"
    status: Mapped[str] = mapped_column(String(16), default="lobby", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    nonce: Mapped[str] = mapped_column(String(32), default=new_nonce)

    scenario: Mapped[Scenario] = relationship()
    owner: Mapped[Facilitator] = relationship()


class CoFacilitator(db.Model):
    __tablename__ = "session_facilitators"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    facilitator_id: Mapped[int] = mapped_column(
        ForeignKey("facilitators.id", ondelete="CASCADE"), primary_key=True
    )


class Delegation(db.Model):
    """A delegation of a session, made from the scenario when the session is created."""

    __tablename__ = "delegations"
    __table_args__ = (UniqueConstraint("session_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(120))


class Player(db.Model):
    """A seat. The token is kept only as a SHA-256 hash (tokens are long random strings)."""

    __tablename__ = "players"
    __table_args__ = dict(NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Event(db.Model):
    """The append-only event log: `seq` is gapless per session."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("session_id", "seq", name="uq_events_session_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(48))
    actor: Mapped[str] = mapped_column(String(48))
    actor_data: Mapped[dict[str, Any]] = mapped_column(JSON)
    audience: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommandRecord(db.Model):
    """Which events a client command produced, so a re-sent command is answered, not redone."""

    __tablename__ = "commands"
    __table_args__ = (
        UniqueConstraint("session_id", "actor", "command_id", name="uq_commands_actor_id"),
        Index("ix_commands_session", "session_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    actor: Mapped[str] = mapped_column(String(48))
    command_id: Mapped[str] = mapped_column(String(80))
    type: Mapped[str] = mapped_column(String(48))
    # SHA-256 of the command's canonical content (type and checked fields): a re-sent id with
    # other content is refused (`id_reused`). NULL for rows recorded before migration 0005.
    content_hash: Mapped[str | None] = mapped_column(String(64))
    first_seq: Mapped[int]
    last_seq: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReviewNote(db.Model):
    """A facilitator's after-action note (HSEEP style) on an objective or the whole session."""

    __tablename__ = "review_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[str] = mapped_column(String(80))
    strengths: Mapped[str] = mapped_column(Text, default="")
    improvements: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
