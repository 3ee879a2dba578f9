"""Several server processes started together on one empty PostgreSQL database: each must come up
(migrations and the bundled scenario load take turns under an advisory lock)."""

from __future__ import annotations

import secrets
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg2

from tests.live.harness import LiveServer


def test_processes_starting_together_on_an_empty_database_all_come_up(
    tmp_path: Path, postgres_url: str
) -> None:
    """Do three processes started at the same instant on a fresh database all serve, with the
    schema made once and each bundled scenario stored once?"""
    settings = {"DATABASE_URL": postgres_url, "SECRET_KEY": secrets.token_hex(32)}
    servers = [LiveServer(tmp_path / f"instance-{n}", **settings) for n in range(3)]
    try:
        with ThreadPoolExecutor(max_workers=3) as pool:
            # They take turns: on a loaded machine the last one may wait for the other two.
            started = list(pool.map(lambda server: server.start(timeout=120), servers))
        assert all(server.alive() for server in started)
        token = started[0].create_facilitator("Prof. Ito")
        for server in started:  # every process answers with the one shared database
            assert server.new_session(token)["id"]
    finally:
        for server in servers:
            server.kill(signal.SIGTERM)
    dsn = postgres_url.replace("postgresql+psycopg2://", "postgresql://")
    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM alembic_version")
        versions = cursor.fetchone()[0]
        cursor.execute("SELECT slug, count(*) FROM scenarios GROUP BY slug, content_hash")
        scenarios = cursor.fetchall()
    connection.close()
    assert versions == 1
    assert scenarios and all(count == 1 for _slug, count in scenarios)
