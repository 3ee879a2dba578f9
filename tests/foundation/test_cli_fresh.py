"""The facilitator CLI on an instance the server has never started."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app import create_app
from app.config import Config
from app.extensions import db
from app.store.models import Facilitator


def test_facilitator_create_prepares_a_fresh_database(tmp_path: Path, monkeypatch) -> None:
    """Does `flask facilitator create` work on a brand-new instance (no tables yet)?"""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "fresh"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = Config()
    config.ASYNC_MODE = "threading"
    app = create_app(config)
    result = app.test_cli_runner().invoke(
        args=["facilitator", "create", "Dr Kim", "--password", "a-long-password"]
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    with app.app_context():
        assert db.session.scalar(select(Facilitator.name)) == "Dr Kim"
        db.session.remove()
        db.engine.dispose()


def test_facilitator_create_says_in_one_line_when_the_database_is_unreachable(
    tmp_path: Path, monkeypatch
) -> None:
    """With a database it cannot open, does the CLI answer one plain line, not a traceback?"""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "fresh"))
    # Nothing listens on port 1: the connection is refused at once.
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    config = Config()
    config.ASYNC_MODE = "threading"
    app = create_app(config)
    result = app.test_cli_runner().invoke(
        args=["facilitator", "create", "Dr Kim", "--password", "a-long-password"]
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[-1].startswith("Error: The database is not ready")
    assert "db upgrade" in lines[-1]
