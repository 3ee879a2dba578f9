"""The application factory and its settings."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from app import create_app
from app.config import Config


@pytest.fixture
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("SECRET_KEY", "DATABASE_URL", "ASYNC_MODE", "SOCKETIO_MESSAGE_QUEUE"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "instance"
    monkeypatch.setenv("INSTANCE_PATH", str(folder))
    return folder


def test_defaults_use_sqlite_under_instance(clean_env: Path) -> None:
    """Without settings, does the database default to a SQLite file under instance/?"""
    config = Config()
    assert config.SQLALCHEMY_DATABASE_URI == f"sqlite:///{clean_env / 'seminar.db'}"
    assert config.ASYNC_MODE == "eventlet"
    assert config.SOCKETIO_MESSAGE_QUEUE is None
    assert config.CORS_ALLOWED_ORIGINS == []


def test_secret_key_is_generated_once_and_kept_private(clean_env: Path) -> None:
    """Is a missing SECRET_KEY generated, kept under instance/ (mode 600) and reused?"""
    first = Config().SECRET_KEY
    second = Config().SECRET_KEY
    assert first == second and len(first) >= 64
    mode = stat.S_IMODE(os.stat(clean_env / "secret_key").st_mode)
    assert mode == 0o600


def test_environment_overrides_settings(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Do environment variables override every default?"""
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.setenv("ASYNC_MODE", "threading")
    monkeypatch.setenv("SOCKETIO_MESSAGE_QUEUE", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "https://a.example, https://b.example")
    config = Config()
    assert config.SECRET_KEY == "from-the-environment"
    assert config.SQLALCHEMY_DATABASE_URI == "postgresql://u@h/db"
    assert config.ASYNC_MODE == "threading"
    assert config.SOCKETIO_MESSAGE_QUEUE == "redis://127.0.0.1:6379/0"
    assert config.CORS_ALLOWED_ORIGINS == ["https://a.example", "https://b.example"]


def test_factory_binds_socketio_in_the_chosen_mode(clean_env: Path) -> None:
    """Does create_app bind Flask-SocketIO with the configured async mode?"""
    config = Config()
    config.ASYNC_MODE = "threading"
    app = create_app(config)
    assert app.extensions["socketio"].server.async_mode == "threading"
    assert "sqlalchemy" in app.extensions and "migrate" in app.extensions


def test_pages_carry_a_strict_content_security_policy(app) -> None:
    """Does every page forbid inline script through its Content-Security-Policy?"""
    response = app.test_client().get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_unknown_api_path_gets_a_structured_error(app) -> None:
    """Does an unknown API path answer JSON with a code, not an HTML page or a trace?"""
    response = app.test_client().get("/api/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_cross_origin_socket_handshake_is_refused(app) -> None:
    """Is a Socket.IO handshake from another origin refused by default (same-origin CORS)?"""
    client = app.test_client()
    response = client.get(
        "/socket.io/?EIO=4&transport=polling", headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 400
