"""Ids are never reused, and upgrading an existing database keeps every row."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import delete, func, select, text

from app import create_app
from app.config import Config
from app.extensions import db
from app.store.models import Event, GameSession, Player
from tests.foundation.test_migrations import postgres_url  # noqa: F401  (a fixture)


def _app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str | None = None):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    config = Config()
    config.ASYNC_MODE = "threading"
    if url:
        config.SQLALCHEMY_DATABASE_URI = url
    return create_app(config)


def _old_rows() -> None:
    """Rows as the first schema held them: a facilitator, two sessions, players, events."""
    db.session.execute(
        text(
            "INSERT INTO facilitators (id, name, password_hash, created_at) "
            "VALUES (1, 'Prof', 'x', '2026-01-01')"
        )
    )
    db.session.execute(
        text(
            "INSERT INTO scenarios (id, slug, version, title, content_hash, files, loaded_at) "
            "VALUES (1, 's', 1, 'S', 'h', '{}', '2026-01-01')"
        )
    )
    for sid in (1, 2):
        db.session.execute(
            text(
                "INSERT INTO sessions (id, scenario_id, owner_id, title, join_code, observer_code,"
                " status, created_at) VALUES (:id, 1, 1, 'T', :j, :o, 'lobby', '2026-01-01')"
            ),
            {"id": sid, "j": f"J{sid}", "o": f"O{sid}"},
        )
        db.session.execute(
            text(
                "INSERT INTO players (id, session_id, token_hash, display_name, created_at) "
                "VALUES (:id, :sid, :h, 'Aiko', '2026-01-01')"
            ),
            {"id": sid, "sid": sid, "h": f"h{sid}"},
        )
        db.session.execute(
            text(
                "INSERT INTO events (session_id, seq, type, actor, actor_data, audience, payload,"
                " created_at) VALUES (:sid, 1, 'session_created', 'system', '{}', 'all', '{}',"
                " '2026-01-01')"
            ),
            {"sid": sid},
        )
    db.session.commit()


def _upgrade_keeps_rows_and_never_reuses_ids() -> None:
    upgrade(revision="0001")
    _old_rows()
    upgrade()
    assert db.session.scalar(select(func.count()).select_from(Event)) == 2
    assert db.session.scalar(select(func.count()).select_from(Player)) == 2
    nonces = db.session.scalars(select(GameSession.nonce)).all()
    assert len(nonces) == 2 and len(set(nonces)) == 2 and all(len(n) >= 16 for n in nonces)
    # Delete the newest session (its players and events go with it), then make a new one.
    db.session.execute(delete(GameSession).where(GameSession.id == 2))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Event)) == 1
    fresh = GameSession(scenario_id=1, owner_id=1, title="New", join_code="J3", observer_code="O3")
    db.session.add(fresh)
    db.session.flush()
    player = Player(session_id=fresh.id, token_hash="h3", display_name="Ken")
    db.session.add(player)
    db.session.commit()
    assert fresh.id == 3 and player.id == 3


def test_sqlite_upgrade_keeps_rows_and_never_reuses_ids(tmp_path, monkeypatch):
    """Upgrading a SQLite database from the first schema keeps every session, player and event,
    gives each session a nonce, and afterwards a new session and seat never get a deleted id?"""
    app = _app(tmp_path, monkeypatch)
    with app.app_context():
        _upgrade_keeps_rows_and_never_reuses_ids()
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_postgres_upgrade_keeps_rows_and_never_reuses_ids(tmp_path, monkeypatch, postgres_url):  # noqa: F811
    """The same on PostgreSQL (whose sequences never go back)?"""
    app = _app(tmp_path, monkeypatch, postgres_url)
    with app.app_context():
        upgrade(revision="0001")
        _old_rows()
        db.session.execute(text("SELECT setval('sessions_id_seq', 2)"))
        db.session.execute(text("SELECT setval('players_id_seq', 2)"))
        db.session.commit()
        upgrade()
        nonces = db.session.scalars(select(GameSession.nonce)).all()
        assert len(set(nonces)) == 2
        db.session.execute(delete(GameSession).where(GameSession.id == 2))
        db.session.commit()
        fresh = GameSession(
            scenario_id=1, owner_id=1, title="New", join_code="J3", observer_code="O3"
        )
        db.session.add(fresh)
        db.session.commit()
        assert fresh.id == 3
        db.session.remove()
        db.engine.dispose()
