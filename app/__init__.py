"""The crisis-simulation server: `create_app()` builds a configured Flask application."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import BASE_DIR, Config
from app.extensions import TextPacket, db, migrate, socketio
from app.security.ratelimit import Rate


def create_app(config: Config | None = None, **overrides: Any) -> Flask:
    """Build the application: settings, database, migrations, Socket.IO, blueprints, CLI."""
    settings = config or Config()
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=settings.INSTANCE_PATH,
    )
    app.config.from_object(settings)
    app.config.update(overrides)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
        from app.store.erasure import private_sqlite_file

        private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    origins = app.config["CORS_ALLOWED_ORIGINS"] or None  # None: same origin only
    queue = app.config["SOCKETIO_MESSAGE_QUEUE"]
    if queue:
        # Flask-SocketIO's own choice of manager, with one promise added (app/realtime/queue.py).
        from app.realtime.queue import client_manager

        manager = client_manager(queue, app.config["SOCKETIO_CHANNEL"])
    else:
        manager = None  # one process: python-socketio's in-memory manager
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        client_manager=manager,
        cors_allowed_origins=origins,
        # Twice the command limit: a command over the limit is answered `too_large` (service.py)
        # instead of the transport closing the connection without a word.
        max_http_buffer_size=2 * app.config["MAX_PAYLOAD_BYTES"],
        ping_interval=10,
        ping_timeout=10,
        serializer=TextPacket,
    )

    if app.config["PROXY_FIX"]:
        # Behind a reverse proxy (deploy/nginx): trust that many proxies' X-Forwarded-For,
        # -Proto, -Host and -Port, so links and secure cookies see https and the public host.
        # Outside Socket.IO's middleware, so its connections (and the per-address limits) see
        # the client's address too.
        hops = app.config["PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    if app.config["CHECK_EVENT_SHAPES"]:
        from app.engine import events

        events.CHECKING = True
    for name in [key for key in app.config if key.startswith("RATE_LIMIT_")]:
        Rate.parse(app.config[name])  # a mistyped limit stops the start, not the first request

    from app import store  # noqa: F401  (registers the tables on db.metadata)
    from app.cli import register_cli
    from app.realtime import register_realtime
    from app.store import models  # noqa: F401
    from app.web import register_web

    register_web(app)
    register_realtime(app)
    register_cli(app)
    return app


@sa_event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores foreign keys (and so ON DELETE CASCADE) unless asked, per connection.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Deleted rows are overwritten with zeros, not left in free pages (app/store/erasure.py).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
