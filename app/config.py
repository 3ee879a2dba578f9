"""Settings, read from the environment once, in one place."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from redis.connection import parse_url

BASE_DIR = Path(__file__).resolve().parent.parent
ASYNC_MODES = ("eventlet", "gevent", "threading")


def instance_dir() -> Path:
    """The folder for local state (SQLite file, generated secret); created on first use."""
    path = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def generated_secret_key(folder: Path) -> str:
    """Return the secret kept in `folder/secret_key`, creating it (mode 600) when missing.

    A generated secret survives restarts, so signed cookies and tokens stay valid, and no
    secret is ever written into the repository.
    """
    path = folder / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


class Config:
    """Defaults for one machine; every setting can be overridden by an environment variable."""

    def __init__(self) -> None:
        folder = instance_dir()
        self.INSTANCE_PATH = str(folder)
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or generated_secret_key(folder)
        self.SQLALCHEMY_DATABASE_URI = os.environ.get(
            "DATABASE_URL", f"sqlite:///{folder / 'seminar.db'}"
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.ASYNC_MODE = os.environ.get("ASYNC_MODE", "eventlet")
        self.SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
        # Room names carry only session ids: deployments sharing one Redis need their own channel.
        self.SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL", "crisis-sim")
        # Same-origin by default: a comma-separated list opens CORS to named origins only.
        origins = os.environ.get("CORS_ALLOWED_ORIGINS", "")
        self.CORS_ALLOWED_ORIGINS = [o.strip() for o in origins.split(",") if o.strip()]
        self.SCENARIO_DIR = os.environ.get(
            "SCENARIO_DIR", str(BASE_DIR / "game_content" / "scenarios")
        )
        self.HOST = os.environ.get("HOST", "127.0.0.1")
        self.PORT = int(os.environ.get("PORT", "5000"))
        self.PUBLIC_URL = os.environ.get("PUBLIC_URL") or None
        # How many reverse proxies to trust for X-Forwarded-* headers (0: none, the default).
        self.PROXY_FIX = int(os.environ.get("PROXY_FIX", "0") or 0)
        self.AUTO_DELAY_SECONDS = float(os.environ.get("AUTO_DELAY_SECONDS", "6"))
        self.TICK_SECONDS = float(os.environ.get("TICK_SECONDS", "1"))
        self.SCHEDULER_ENABLED = _flag("SCHEDULER_ENABLED", True)
        # Check every event the rules make against its declared shape (app/engine/events.py): for
        # tests and development; a mismatch then fails the command as a server error.
        self.CHECK_EVENT_SHAPES = _flag("CHECK_EVENT_SHAPES", False)
        # A sync carries the state and at most this many of the latest events (older: `history`).
        self.SYNC_TAIL_EVENTS = int(os.environ.get("SYNC_TAIL_EVENTS", "500"))
        self.MAX_MESSAGE_CHARS = int(os.environ.get("MAX_MESSAGE_CHARS", "4000"))
        self.MAX_PAYLOAD_BYTES = int(os.environ.get("MAX_PAYLOAD_BYTES", "65536"))
        # HTTP bodies are small JSON or forms; refuse anything larger before reading it.
        self.MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(1024 * 1024)))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", False)
        # Strict-Transport-Security max-age for HTTPS deployments (0: no header).
        self.HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "0"))
        # Where the limits every process must share are counted (app/security/shared_limits.py):
        # unset, the message queue's Redis if it is one; `redis://...`; or `memory` (per process).
        self.LIMITS_STORE = os.environ.get("LIMITS_STORE", "").strip()
        if self.LIMITS_STORE not in ("", "memory"):
            try:
                parse_url(self.LIMITS_STORE)
            except ValueError as error:
                raise ValueError(f"LIMITS_STORE is a Redis URL or memory: {error}") from None
        # Rate limits, "N/S": bursts of N, N per S seconds on average (README).
        self.RATE_LIMIT_SOCKET_COMMANDS = os.environ.get("RATE_LIMIT_SOCKET_COMMANDS", "20/4")
        self.RATE_LIMIT_SEAT_COMMANDS = os.environ.get("RATE_LIMIT_SEAT_COMMANDS", "40/5")
        self.RATE_LIMIT_SOCKET_HISTORY = os.environ.get("RATE_LIMIT_SOCKET_HISTORY", "20/10")
        self.FLOOD_DISCONNECT_AFTER = int(os.environ.get("FLOOD_DISCONNECT_AFTER", "50"))
        self.RATE_LIMIT_JOIN = os.environ.get("RATE_LIMIT_JOIN", "400/60")
        self.RATE_LIMIT_CODE_GUESSES = os.environ.get("RATE_LIMIT_CODE_GUESSES", "30/180")
        self.RATE_LIMIT_SIGNIN = os.environ.get("RATE_LIMIT_SIGNIN", "30/300")
        self.SIGNIN_FREE_FAILURES = int(os.environ.get("SIGNIN_FREE_FAILURES", "5"))
        self.SIGNIN_FIRST_BACKOFF = float(os.environ.get("SIGNIN_FIRST_BACKOFF", "1"))
        self.SIGNIN_MAX_BACKOFF = float(os.environ.get("SIGNIN_MAX_BACKOFF", "900"))
        self.MAX_CONNECTIONS_PER_ADDRESS = int(os.environ.get("MAX_CONNECTIONS_PER_ADDRESS", "500"))
        # With limits in Redis, a connection's place is leased for this long and renewed every
        # third of it: the places of a process killed without closing them come back after it.
        self.CONNECTION_LEASE_SECONDS = float(os.environ.get("CONNECTION_LEASE_SECONDS", "60"))
        if not self.CONNECTION_LEASE_SECONDS > 0:
            raise ValueError("CONNECTION_LEASE_SECONDS must be more than 0")
        # Argon2 cost (argon2-cffi's defaults); every hash runs off the event loop.
        self.PASSWORD_HASH_TIME_COST = int(os.environ.get("PASSWORD_HASH_TIME_COST", "3"))
        self.PASSWORD_HASH_MEMORY_KIB = int(os.environ.get("PASSWORD_HASH_MEMORY_KIB", "65536"))
        # Lifetime of a facilitator bearer token (`f.`); the console renews its own silently.
        self.FACILITATOR_TOKEN_MINUTES = float(os.environ.get("FACILITATOR_TOKEN_MINUTES", "60"))
        self.TESTING = False
