"""Migrations and models agree, on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from app import create_app
from app.config import Config
from app.extensions import db

POSTGRES_ADMIN = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"


def _app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str | None) -> Flask:
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    config = Config()
    config.ASYNC_MODE = "threading"
    if url:
        config.SQLALCHEMY_DATABASE_URI = url
    return create_app(config)


def _differences(app: Flask) -> list:
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    try:
        admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
        admin.connect().close()
    except Exception as error:  # the database is a machine service; say so if it is missing
        pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432: {error}")
    name = f"mig_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_sqlite_migrations_match_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After `flask db upgrade` on SQLite, does autogenerate find no difference from the models?"""
    app = _app(tmp_path, monkeypatch, None)
    with app.app_context():
        upgrade()
    assert _differences(app) == []


def test_postgres_migrations_match_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, postgres_url: str
) -> None:
    """After `flask db upgrade` on PostgreSQL, does autogenerate find no difference?"""
    app = _app(tmp_path, monkeypatch, postgres_url)
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
    assert {"events", "sessions", "players", "facilitators", "scenarios"} <= tables
    assert _differences(app) == []
    with app.app_context():
        db.engine.dispose()


def test_event_log_refuses_a_duplicate_seq(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Does the schema itself refuse two events with the same (session_id, seq)?"""
    app = _app(tmp_path, monkeypatch, None)
    with app.app_context():
        upgrade()
        uniques = inspect(db.engine).get_unique_constraints("events")
    assert any(u["column_names"] == ["session_id", "seq"] for u in uniques)


def test_migrations_downgrade_to_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Can the first migration be undone, leaving no tables behind?"""
    app = _app(tmp_path, monkeypatch, None)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert remaining == set()


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_the_library_migration_keeps_loaded_scenarios_bundled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, database: str
) -> None:
    """Upgrading a database that already holds a scenario (0003 -> 0004): is the row kept, with
    no owner (bundled), and can authored scenarios be stored beside it?"""
    url = request.getfixturevalue("postgres_url") if database == "postgresql" else None
    app = _app(tmp_path, monkeypatch, url)
    with app.app_context():
        upgrade(revision="0003")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO scenarios (slug, version, title, content_hash, files, loaded_at) "
                    "VALUES ('old', 1, 'Old', 'abc', '{}', CURRENT_TIMESTAMP)"
                )
            )
        upgrade(revision="0004")
        with db.engine.begin() as connection:
            row = connection.execute(
                text("SELECT slug, owner_id, published_by FROM scenarios")
            ).one()
            connection.execute(
                text(
                    "INSERT INTO facilitators (name, password_hash, created_at, auth_version) "
                    "VALUES ('a', 'x', CURRENT_TIMESTAMP, 1)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO authored_scenarios (slug, owner_id, files, revision, saved_by, "
                    "saved_at, created_at) VALUES ('mine', 1, '{}', 1, 'a', CURRENT_TIMESTAMP, "
                    "CURRENT_TIMESTAMP)"
                )
            )
        assert tuple(row) == ("old", None, None)
        downgrade(revision="0003")
        assert "authored_scenarios" not in inspect(db.engine).get_table_names()
        db.engine.dispose()
