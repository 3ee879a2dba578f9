"""The floor: a bare Flask-SocketIO relay with the project's load shape and server settings.

Each client names a room in `auth.token` and joins it; a `command` {text} is relayed to the
sender's room as an `event` shaped like the project's `message_posted`, then acknowledged. No
database, no rules, no log: what is left is Flask-SocketIO, the async mode, the WSGI server and
the sockets, the part of the project's cost that no change to the project can remove.

Started by `bench/floor.py` as `python bench/floor_relay.py` with the same environment as
`serve.py` (ASYNC_MODE, HOST, PORT, MAX_CONNECTIONS, GC_STATS_FILE); it reuses `serve.py`'s
monkey-patching and its eventlet listener (TCP_NODELAY, backlog, connection cap).
"""

from __future__ import annotations

import itertools
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import serve  # noqa: E402  (patches the standard library for ASYNC_MODE before anything else)


def make_app() -> Any:
    from flask import Flask, request
    from flask_socketio import SocketIO, join_room

    app = Flask("floor_relay")
    app.config.update(
        SECRET_KEY="floor",
        HOST=os.environ.get("HOST", "127.0.0.1"),
        PORT=int(os.environ.get("PORT", "5000")),
    )
    sio = SocketIO(
        app,
        async_mode=serve.ASYNC_MODE,
        max_http_buffer_size=65536,
        ping_interval=10,
        ping_timeout=10,
    )
    rooms: dict[str, str] = {}
    seqs = itertools.count(1)

    @app.get("/")
    def index() -> str:
        return "floor relay"

    @sio.on("connect")
    def on_connect(auth: Any = None) -> None:
        room = str((auth or {}).get("token", "lobby"))
        join_room(room)
        rooms[request.sid] = room
        sio.emit("sync", {"session": {"head_seq": 0}, "events": []}, to=request.sid)

    @sio.on("command")
    def on_command(raw: Any = None) -> dict[str, Any]:
        seq = next(seqs)
        at = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        event = {
            "seq": seq,
            "type": "message_posted",
            "at": at,
            "actor": {"kind": "player", "id": 1, "name": "Relay", "delegation": "JPN"},
            "data": {"channel": "plenary", "text": str((raw or {}).get("text", ""))},
        }
        sio.emit("event", event, to=rooms.get(request.sid, "lobby"))
        return {"ok": True, "seq": seq}

    @sio.on("disconnect")
    def on_disconnect(*_args: Any) -> None:
        rooms.pop(request.sid, None)

    return app, sio


def main() -> None:
    app, sio = make_app()
    if os.environ.get("GC_STATS_FILE"):
        # By file, not `import app.gcstats`: importing the `app` package would load the whole
        # project (SQLAlchemy, the engine) into the floor and burden its collector.
        import importlib.util

        spec = importlib.util.spec_from_file_location("gcstats", ROOT / "app" / "gcstats.py")
        gcstats = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(gcstats)
        gcstats.install(os.environ["GC_STATS_FILE"], sio.start_background_task)
    print(f"floor relay on {app.config['HOST']}:{app.config['PORT']}", flush=True)
    if serve.ASYNC_MODE == "eventlet":
        serve.serve_eventlet(app)
        return
    options: dict[str, Any] = {"host": app.config["HOST"], "port": app.config["PORT"]}
    if serve.ASYNC_MODE == "threading":
        options["allow_unsafe_werkzeug"] = True
    sio.run(app, log_output=False, use_reloader=False, debug=False, **options)


if __name__ == "__main__":
    main()
