"""What the server does once at start: migrate, load bundled scenarios, greet the facilitator."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

from app.extensions import db
from app.network import student_urls
from app.store.accounts import has_facilitator, issue_setup_token
from app.store.scenarios import sync_bundled_scenarios


def base_url(app: Flask) -> str:
    """The address to print: PUBLIC_URL, else the first one students can use (see app.network).

    Serving the LAN, the set-up and sign-in links use the LAN address too, so the facilitator
    signs in on the address the room uses (a cookie belongs to the host it was set on)."""
    return student_urls(app.config)[0]


# Any constant both sides agree on: the key of the PostgreSQL advisory lock held while one
# process migrates and loads the bundled scenarios (pg_advisory_lock takes a bigint).
BOOT_LOCK_KEY = 0x0C5151A7


@contextmanager
def boot_lock() -> Iterator[None]:
    """Hold a database-wide lock while migrating, so processes that start together take turns.

    On PostgreSQL a session-level advisory lock on a connection of its own: the second process
    waits, then finds the schema up to date and the scenarios loaded. SQLite serialises writers
    itself (one file, one machine), so nothing is taken there.
    """
    if db.engine.dialect.name != "postgresql":
        yield
        return
    with db.engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": BOOT_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": BOOT_LOCK_KEY})
            connection.commit()


def prepare_database(app: Flask) -> tuple[list[str], list[str]]:
    """Migrate and load the bundled scenarios, one process at a time (see `boot_lock`)."""
    with app.app_context(), boot_lock():
        upgrade()
        return sync_bundled_scenarios(Path(app.config["SCENARIO_DIR"]))


def boot(app: Flask) -> str:
    """Bring the database up to date and load scenarios; return the address to open."""
    loaded, problems = prepare_database(app)
    with app.app_context():
        for problem in problems:
            print(f"  scenario not loaded: {problem}", file=sys.stderr)
        print(f"  scenarios available: {', '.join(loaded) or 'none'}")
        url = base_url(app)
        if not has_facilitator():
            token = issue_setup_token()
            print(
                "  No facilitator account yet. Open this one-time link to create yours:\n"
                f"    {url}/setup?token={token}",
                flush=True,
            )
        else:
            print(f"  Facilitators sign in at {url}/signin")
        if app.config["SCHEDULER_ENABLED"]:
            from app.realtime.scheduler import start_scheduler

            start_scheduler(app)
    return url
