"""Migration 0005 (commands keep a hash of their content) keeps every command row, on SQLite and
PostgreSQL, and the rows recorded before it keep answering a re-send with the first answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from app.extensions import db
from app.store.models import CommandRecord
from tests.foundation.test_migration_ids import _app
from tests.foundation.test_migrations import postgres_url  # noqa: F401  (a fixture)


def _old_command() -> None:
    """A session with one recorded command, as schema 0004 held it."""
    for statement in (
        "INSERT INTO facilitators (id, name, password_hash, created_at) "
        "VALUES (1, 'Prof', 'x', '2026-01-01')",
        "INSERT INTO scenarios (id, slug, version, title, content_hash, files, loaded_at) "
        "VALUES (1, 's', 1, 'S', 'h', '{}', '2026-01-01')",
        "INSERT INTO sessions (id, scenario_id, owner_id, title, join_code, observer_code,"
        " status, created_at, nonce) VALUES (1, 1, 1, 'T', 'J1', 'O1', 'lobby', '2026-01-01',"
        " 'n1')",
    ):
        db.session.execute(text(statement))
    db.session.execute(
        text(
            "INSERT INTO commands (session_id, actor, command_id, type, first_seq, last_seq,"
            " created_at) VALUES (1, 'p:1', 'old-1', 'message.post', 1, 1, '2026-01-01')"
        )
    )
    db.session.commit()


def _upgrade_keeps_commands() -> None:
    upgrade(revision="0004")
    _old_command()
    upgrade(revision="0005")
    columns = {c["name"] for c in inspect(db.engine).get_columns("commands")}
    assert "content_hash" in columns
    row = db.session.scalars(select(CommandRecord)).one()
    assert (row.command_id, row.last_seq, row.content_hash) == ("old-1", 1, None)
    db.session.remove()  # PostgreSQL: an open read would block the downgrade's ALTER TABLE
    downgrade(revision="0004")
    columns = {c["name"] for c in inspect(db.engine).get_columns("commands")}
    assert "content_hash" not in columns
    assert db.session.execute(text("SELECT command_id FROM commands")).scalars().all() == ["old-1"]
    db.session.remove()
    upgrade()


def test_sqlite_upgrade_to_0005_keeps_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """On SQLite: does 0005 add the hash column, keep the old row (hash NULL), and go back?"""
    app = _app(tmp_path, monkeypatch)
    with app.app_context():
        _upgrade_keeps_commands()


def test_postgres_upgrade_to_0005_keeps_commands(tmp_path, monkeypatch, postgres_url):  # noqa: F811
    """The same on PostgreSQL?"""
    app = _app(tmp_path, monkeypatch, postgres_url)
    with app.app_context():
        _upgrade_keeps_commands()
        db.session.remove()
        db.engine.dispose()
