"""Personal data that is deleted leaves the disk too, and the SQLite file is private.

SQLite keeps deleted rows' bytes in free pages, and every change first goes to the `-wal` file,
where older frames (a player's name as it was inserted) stay until a checkpoint. So every
connection runs with `secure_delete` (freed content is overwritten with zeros), and a deletion
of personal data ends with `flush_deleted()`, which copies the WAL into the database and empties
it. PostgreSQL has no such switch: see docs/architecture.md, "Threat model".
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.extensions import db

log = logging.getLogger(__name__)


def sqlite_path(uri: str, instance_path: str) -> Path | None:
    """The file of a SQLite database URI (None: another database, or SQLite in memory)."""
    url = make_url(uri)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    if url.database.startswith("file:"):
        return None  # a URI filename with its own options: left as given
    # Flask-SQLAlchemy reads a relative SQLite path from the instance folder.
    return Path(instance_path) / url.database


def private_sqlite_file(uri: str, instance_path: str) -> None:
    """Create the SQLite file readable by its owner only (600), or make an existing one so.

    SQLite creates the `-wal` and `-shm` files with the mode of the database file; any already
    there are tightened too.
    """
    path = sqlite_path(uri, instance_path)
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        # An empty file is a valid empty database; SQLite would create it 644 (umask 022).
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for companion in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if companion.stat().st_mode & 0o077:
                companion.chmod(0o600)
        except (FileNotFoundError, PermissionError):
            continue


def flush_deleted() -> None:
    """After deleting personal data: on SQLite, checkpoint the WAL into the database (where
    `secure_delete` has zeroed the freed content) and truncate it to nothing."""
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as connection:
        busy, _frames, _done = connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).one()
    if busy:
        # A reader held an old snapshot past the busy timeout: old frames stay in the WAL until
        # SQLite next writes over them or the next deletion's checkpoint gets through.
        log.warning("The WAL checkpoint after a deletion was blocked by a reader.")
