"""Deleting a session removes its personal data from the disk, not only from the tables; the
SQLite files are readable by their owner only."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from app.extensions import db
from tests.review.conftest import sign_in

NAME = "Quillfeather Zyxwvut"
WORDS = "Operation Marmalade Heron at dawn"


def _files() -> list[Path]:
    database = Path(db.engine.url.database)
    return [database, Path(f"{database}-wal"), Path(f"{database}-shm")]


def _on_disk() -> bytes:
    return b"".join(path.read_bytes() for path in _files() if path.exists())


@pytest.fixture
def deleted(app: Any, game: Any, facilitator: Any, fac_token: str, connect: Any, join: Any) -> None:
    """A session where a distinctively named player spoke and was praised, then deleted."""
    fac = connect(fac_token, session_id=game.id)
    answer = join(game.join_code, NAME)
    player = connect(answer["token"])
    for client, command in (
        (fac, {"type": "session.start"}),
        (player, {"type": "message.post", "channel": "plenary", "text": f"{NAME}: {WORDS}"}),
    ):
        ack = client.emit("command", {"id": command["type"], **command}, callback=True)
        assert ack["ok"], ack
    owner = sign_in(app.test_client(), facilitator)
    owner.post(
        f"/review/{game.id}/notes",
        data={"csrf": "test-csrf", "subject": "session", "strengths": f"{NAME} led well"},
    )
    assert NAME.encode() in _on_disk() and WORDS.encode() in _on_disk()
    form = {"csrf": "test-csrf", "confirm_title": game.title}
    assert owner.post(f"/review/{game.id}/delete", data=form).status_code == 302


def test_a_deleted_players_name_is_in_neither_the_database_nor_the_wal(deleted):
    """After deleting a session, are the player's name and words gone from every SQLite file?"""
    files = _files()
    assert files[0].exists() and files[1].exists()
    for path in files:
        if path.exists():
            content = path.read_bytes()
            assert NAME.encode() not in content, path.name
            assert WORDS.encode() not in content, path.name
            assert b"Quillfeather" not in content, path.name


def test_the_database_files_are_readable_by_their_owner_only(deleted):
    """Are the SQLite database file and its -wal and -shm files mode 600?"""
    for path in _files():
        if path.exists():
            assert oct(path.stat().st_mode & 0o777) == oct(0o600), path.name


def test_an_existing_readable_database_is_made_private_at_start(tmp_path, monkeypatch):
    """Does a database file left mode 644 by an older version become 600 when the app starts?"""
    from app import create_app
    from app.config import Config

    folder = tmp_path / "instance"
    folder.mkdir()
    database = folder / "seminar.db"
    database.touch()
    os.chmod(database, 0o644)
    monkeypatch.setenv("INSTANCE_PATH", str(folder))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = Config()
    config.ASYNC_MODE = "threading"
    create_app(config)
    assert oct(database.stat().st_mode & 0o777) == oct(0o600)


def test_every_connection_zeroes_deleted_content(app):
    """Does every pooled SQLite connection run with secure_delete on?

    (Debian's SQLite is built with it on by default; others, e.g. python.org's, are not.)
    """
    from sqlalchemy import text

    connections = [db.engine.connect() for _ in range(3)]
    try:
        assert [c.execute(text("PRAGMA secure_delete")).scalar() for c in connections] == [1] * 3
    finally:
        for connection in connections:
            connection.close()


def test_a_relative_sqlite_path_is_made_private_in_the_instance_folder(tmp_path, monkeypatch):
    """Is `sqlite:///name.db` (which Flask-SQLAlchemy opens in the instance folder) created 600
    there, and nothing created elsewhere?"""
    from app import create_app
    from app.config import Config

    folder = tmp_path / "instance"
    monkeypatch.setenv("INSTANCE_PATH", str(folder))
    monkeypatch.setenv("DATABASE_URL", "sqlite:///relative.db")
    monkeypatch.chdir(tmp_path)
    config = Config()
    config.ASYNC_MODE = "threading"
    app = create_app(config)
    with app.app_context():
        assert Path(db.engine.url.database) == folder / "relative.db"
        db.engine.dispose()
    assert oct((folder / "relative.db").stat().st_mode & 0o777) == oct(0o600)
    assert not (tmp_path / "relative.db").exists()
