"""What one `message.post` costs the server, end to end, and where the time goes (cProfile).

In one process: a fresh application on a SQLite file (as `serve.py` runs by default), a session
with P players seated and connected through Flask-SocketIO's test client (the Socket.IO server
encodes and queues every packet as for a real socket; only the network write is missing), then
N plenary messages sent through the socket handler one after the other. Prints the CPU time per
command and the functions that take it.

    python bench/command_profile.py                 # 30 players, 500 messages
    python bench/command_profile.py --top 40 --players 30 --messages 1000
    python bench/command_profile.py --connects 200    # a (re)connection's sync instead
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--players", type=int, default=30)
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--top", type=int, default=30, help="functions listed (by own time)")
    parser.add_argument(
        "--connects",
        type=int,
        default=0,
        help="profile this many connections with last_seq 0 (after the messages, as history)",
    )
    args = parser.parse_args(argv)

    os.environ["INSTANCE_PATH"] = tempfile.mkdtemp(prefix="profile-")
    os.environ.pop("DATABASE_URL", None)
    from flask_migrate import upgrade

    from app import create_app
    from app.config import Config
    from app.extensions import socketio
    from app.realtime.identity import facilitator_token
    from app.store.accounts import create_facilitator
    from app.store.scenarios import sync_bundled_scenarios

    config = Config()
    config.ASYNC_MODE = "threading"
    config.SCHEDULER_ENABLED = False
    app = create_app(config)
    with app.app_context():
        upgrade()
        sync_bundled_scenarios(Path(app.config["SCENARIO_DIR"]))
        fac = create_facilitator("Bench", "correct horse battery")
        token = facilitator_token(fac)
    http = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    session = http.post("/api/sessions", json={"scenario": "trilateral-2023"}, headers=headers)
    session = session.get_json()["session"]
    white = socketio.test_client(app, auth={"token": token, "session_id": session["id"]})
    players, tokens = [], []
    for n in range(args.players):
        answer = http.post("/api/join", json={"code": session["join_code"], "name": f"P{n}"})
        tokens.append(answer.get_json()["token"])
        players.append(socketio.test_client(app, auth={"token": tokens[-1]}))
    white.emit("command", {"id": "start", "type": "session.start"}, callback=True)

    def post(k: int) -> None:
        sender = players[k % len(players)]
        command = {"id": f"m{k}", "type": "message.post", "channel": "plenary", "text": f"m {k}"}
        ack = sender.emit("command", command, callback=True)
        assert ack["ok"], ack
        if k % 50 == 0:  # the test client keeps what it received: drop it now and then
            for client in (white, *players):
                client.get_received()

    for k in range(20):  # warm-up
        post(-1 - k)
    if args.connects:
        for k in range(args.messages):
            post(k)
        profile_connects(args, app, socketio, tokens)
        return
    profiler, cpu, plain, wall = measure(post, args.messages)
    print(
        f"{args.messages} plenary messages, {args.players} players + facilitator, SQLite: "
        f"{1000 * plain / args.messages:.2f} ms CPU per command "
        f"({1000 * cpu / args.messages:.2f} ms under cProfile, "
        f"wall {1000 * wall / args.messages:.2f} ms)"
    )
    print_stats(profiler, args.top)


def measure(
    action: Callable[[int], object], count: int
) -> tuple[cProfile.Profile, float, float, float]:
    """Run `action(k)` `count` times under cProfile, then as many times more without it (the
    figure to quote: cProfile slows Python code down). Returns the profiler, the CPU seconds
    under it and without it, and the wall seconds under it."""
    profiler = cProfile.Profile(time.process_time)  # CPU time: waits for a busy core excluded
    cpu, wall = time.process_time(), time.perf_counter()
    profiler.enable()
    for k in range(count):
        action(k)
    profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    plain = time.process_time()
    for k in range(count):
        action(count + k)
    return profiler, cpu, time.process_time() - plain, wall


def print_stats(profiler: cProfile.Profile, top: int) -> None:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    print(out.getvalue())


def profile_connects(args: argparse.Namespace, app, socketio, tokens: list[str]) -> None:  # type: ignore[no-untyped-def]
    """What one connection with `last_seq: 0` costs: authentication, the state, the tail of the
    log, the views, and encoding the `sync` (the test client decodes it too)."""

    def connect(k: int) -> dict:
        client = socketio.test_client(app, auth={"token": tokens[k % len(tokens)], "last_seq": 0})
        received = client.get_received()
        client.disconnect()
        return next(p["args"][0] for p in received if p["name"] == "sync")

    for k in range(10):  # warm-up
        connect(k)
    profiler, cpu, plain, _wall = measure(connect, args.connects)
    sync = connect(0)
    print(
        f"{args.connects} connections with last_seq 0, {len(sync['events'])} events in each sync "
        f"(~{len(json.dumps(sync)) / 1024:.0f} KiB as JSON): {1000 * plain / args.connects:.2f} ms "
        f"CPU per connection ({1000 * cpu / args.connects:.2f} ms under cProfile)"
    )
    print_stats(profiler, args.top)


if __name__ == "__main__":
    main()
