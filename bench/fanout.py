"""How fast does the server fan events out to many real Socket.IO clients, and what does each
connection cost it in memory?

N players spread evenly over S sessions (the server balances each session's players over the
three delegations), plus one facilitator per session, all real python-socketio clients
(`AsyncClient`, one asyncio loop in this process) on the real server (`serve.py` as a
subprocess, or any server given with --url). It measures:

- inject fan-out: a facilitator writes an inject for everyone (`inject.write`); the time from
  sending the command to each player's receipt of `inject_fired`;
- chat: a player posts in plenary; the time to receipt at the other clients of the session
  (players and facilitator), and the time to the sender's ack;
- server memory (RSS) before and after the clients connect, and CPU of both processes.

Every session works at the same time (each sends one command, waits for all receipts, then the
next), as in a day of parallel seminars. Run, for example:

    python bench/fanout.py --clients 300 --sessions 10 --messages 20

Client and server share the machine: see docs/performance.md for what that means for the
figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fanout_clients import (  # noqa: E402
    BENCH_LIMITS,
    BenchClient,
    Probe,
    Probes,
    gather_limited,
    new_mark,
    percentiles,
    raise_fd_limit,
)

from tests.live.harness import PASSWORD, LiveServer  # noqa: E402  (the same launcher as tests)

WAIT = 120.0  # seconds a probe may wait for its last receipt before it counts as lost


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=30, help="players in all (default 30)")
    parser.add_argument("--sessions", type=int, default=1, help="sessions (default 1)")
    parser.add_argument("--messages", type=int, default=20, help="chat messages per session")
    parser.add_argument("--injects", type=int, default=10, help="injects per session")
    parser.add_argument("--transport", choices=["websocket", "polling"], default="websocket")
    parser.add_argument("--async-mode", default="eventlet", help="for the server started here")
    parser.add_argument("--connect-concurrency", type=int, default=50)
    parser.add_argument(
        "--resume", action="store_true", help="players connect with last_seq at the head"
    )
    parser.add_argument("--url", help="use this running server instead of starting one")
    parser.add_argument("--facilitator", default="Bench", help="with --url: an existing account")
    parser.add_argument("--password", default=PASSWORD, help="with --url: its password")
    parser.add_argument("--server-pid", type=int, help="with --url: to read the server's memory")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    return parser.parse_args(argv)


class Meter:
    """CPU seconds of this process and the server's, and the server's RSS."""

    def __init__(self, server_pid: int | None) -> None:
        self.me = psutil.Process()
        self.server = psutil.Process(server_pid) if server_pid else None

    def rss_mib(self) -> float | None:
        return self.server.memory_info().rss / 2**20 if self.server else None

    def cpu(self) -> tuple[float, float | None]:
        mine = self.me.cpu_times()
        theirs = self.server.cpu_times() if self.server else None
        return mine.user + mine.system, (theirs.user + theirs.system) if theirs else None

    def phase(self, start: tuple[float, float | None], wall: float) -> dict[str, Any]:
        """CPU use over a phase, in % of one core (100 = one core saturated)."""
        mine, theirs = self.cpu()
        out: dict[str, Any] = {"wall_s": round(wall, 2)}
        out["client_cpu_pct"] = round(100 * (mine - start[0]) / wall, 1)
        if theirs is not None and start[1] is not None:
            out["server_cpu_pct"] = round(100 * (theirs - start[1]) / wall, 1)
        return out


async def post(
    http: aiohttp.ClientSession, url: str, body: dict[str, Any], token: str | None = None
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with http.post(url, json=body, headers=headers) as response:
        answer = await response.json()
    if not answer.get("ok"):
        raise RuntimeError(f"{url}: {answer}")
    return answer


async def wait_probe(probe: Probe) -> Probe:
    with contextlib.suppress(TimeoutError):  # counted as lost receipts in summarise()
        await asyncio.wait_for(probe.done.wait(), WAIT)
    return probe


async def fanout_round(
    probes: Probes, tables: list[tuple[BenchClient, list[BenchClient]]], k: int
) -> list[Probe]:
    """Every facilitator writes one inject for everyone; wait for every player to get it."""

    async def one(fac: BenchClient, players: list[BenchClient]) -> Probe:
        mark = new_mark()
        probe = probes.open(mark, len(players), exclude=id(fac))
        probe.sent_at = time.perf_counter()
        await fac.send(
            "inject.write", title=f"{mark} Bench inject {k}", body="Fan-out probe.", audience="all"
        )
        probe.acked_at = time.perf_counter()
        return await wait_probe(probe)

    return await asyncio.gather(*(one(fac, players) for fac, players in tables))


async def chat_round(
    probes: Probes, tables: list[tuple[BenchClient, list[BenchClient]]], k: int
) -> list[Probe]:
    """In every session one player posts in plenary; wait for the others and the facilitator."""

    async def one(players: list[BenchClient]) -> Probe:
        sender = players[k % len(players)]
        mark = new_mark()
        probe = probes.open(mark, len(players), exclude=id(sender))  # others + facilitator
        probe.sent_at = time.perf_counter()
        await sender.send("message.post", channel="plenary", text=f"{mark} message {k}")
        probe.acked_at = time.perf_counter()
        return await wait_probe(probe)

    return await asyncio.gather(*(one(players) for _fac, players in tables))


def summarise(probes: list[Probe]) -> dict[str, Any]:
    latencies = [lat for p in probes for lat in p.latencies()]
    lost = sum(max(0, p.expected - len(p.received)) for p in probes)
    return {
        "receipt_ms": percentiles(latencies),
        "ack_ms": percentiles([p.acked_at - p.sent_at for p in probes]),
        "lost": lost,
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    fd_limit = raise_fd_limit()
    server: LiveServer | None = None
    if args.url:
        url, pid = args.url.rstrip("/"), args.server_pid
    else:
        folder = Path(tempfile.mkdtemp(prefix="fanout-"))
        server = LiveServer(
            folder, SCHEDULER_ENABLED="0", ASYNC_MODE=args.async_mode, **BENCH_LIMITS
        )
        url, pid = server.url, None
    clients: list[BenchClient] = []
    try:
        if server is not None:
            server.start()
            server.create_facilitator(args.facilitator, args.password)
            pid = server.pid
        meter = Meter(pid)
        figures: dict[str, Any] = {
            "clients": args.clients,
            "sessions": args.sessions,
            "transport": args.transport,
            "async_mode": args.async_mode if server else "(external server)",
            "fd_limit": fd_limit[0],
        }
        probes = Probes()
        async with aiohttp.ClientSession() as http:
            answer = await post(
                http,
                url + "/api/facilitator/token",
                {"name": args.facilitator, "password": args.password},
            )
            token = answer["token"]
            sessions = [
                (await post(http, url + "/api/sessions", {"scenario": "trilateral-2023"}, token))[
                    "session"
                ]
                for _ in range(args.sessions)
            ]
            started = time.perf_counter()
            joins = await gather_limited(
                [
                    post(
                        http,
                        url + "/api/join",
                        {"code": sessions[i % args.sessions]["join_code"], "name": f"Player {i}"},
                    )
                    for i in range(args.clients)
                ],
                16,
            )
            figures["join_s"] = round(time.perf_counter() - started, 2)

        facs = [BenchClient(url, token, probes, s["id"]) for s in sessions]
        clients.extend(facs)
        await asyncio.gather(*(f.connect() for f in facs))
        head = {}
        for fac, session in zip(facs, sessions, strict=True):
            head[session["id"]] = (await fac.send("session.start"))["seq"]
        figures["server_rss_mib_before"] = meter.rss_mib()

        players = [BenchClient(url, j["token"], probes, transport=args.transport) for j in joins]
        clients.extend(players)
        cpu, started = meter.cpu(), time.perf_counter()
        connect_s = await gather_limited(
            [
                p.connect(last_seq=head[j["session_id"]] if args.resume else 0)
                for p, j in zip(players, joins, strict=True)
            ],
            args.connect_concurrency,
        )
        figures["connect"] = meter.phase(cpu, time.perf_counter() - started)
        figures["connect"]["per_client_ms"] = percentiles(connect_s)
        figures["connect"]["sync_events_max"] = max(p.sync["events"] for p in players)
        await asyncio.sleep(2)  # let buffers drain before reading memory
        figures["server_rss_mib_after"] = meter.rss_mib()

        tables = [
            (fac, [p for p, j in zip(players, joins, strict=True) if j["session_id"] == s["id"]])
            for fac, s in zip(facs, sessions, strict=True)
        ]
        await chat_round(probes, tables, -1)  # warm-up: first use of every code path

        cpu, started, fired = meter.cpu(), time.perf_counter(), []
        for k in range(args.injects):
            fired.extend(await fanout_round(probes, tables, k))
        figures["inject_fanout"] = summarise(fired) | meter.phase(
            cpu, time.perf_counter() - started
        )

        cpu, started, posted = meter.cpu(), time.perf_counter(), []
        for k in range(args.messages):
            posted.extend(await chat_round(probes, tables, k))
        figures["chat"] = summarise(posted) | meter.phase(cpu, time.perf_counter() - started)
        figures["server_rss_mib_end"] = meter.rss_mib()
        return figures
    finally:
        await gather_limited([c.close() for c in clients], 100)
        if server is not None:
            server.kill(signal.SIGTERM)
            shutil.rmtree(server.instance, ignore_errors=True)


def report(figures: dict[str, Any]) -> str:
    def row(name: str, p: dict[str, float]) -> str:
        return (
            f"  {name:<24} p50 {p['p50']:8.1f}  p95 {p['p95']:8.1f}  p99 {p['p99']:8.1f}  "
            f"max {p['max']:8.1f} ms  (n={p['n']})"
        )

    f = figures
    lines = [
        f"{f['clients']} players in {f['sessions']} session(s), {f['transport']}, "
        f"server {f['async_mode']}",
        f"  joins (HTTP) {f['join_s']} s; connect all: {f['connect']['wall_s']} s "
        f"(client CPU {f['connect']['client_cpu_pct']}%, "
        f"server CPU {f['connect'].get('server_cpu_pct')}%)",
        row("connect + sync", f["connect"]["per_client_ms"]),
        row("inject fan-out", f["inject_fanout"]["receipt_ms"]),
        row("inject ack", f["inject_fanout"]["ack_ms"]),
        row("chat receipt (others)", f["chat"]["receipt_ms"]),
        row("chat ack", f["chat"]["ack_ms"]),
        f"  lost receipts: injects {f['inject_fanout']['lost']}, chat {f['chat']['lost']}",
        f"  CPU during injects: client {f['inject_fanout']['client_cpu_pct']}%, server "
        f"{f['inject_fanout'].get('server_cpu_pct')}%; during chat: client "
        f"{f['chat']['client_cpu_pct']}%, server {f['chat'].get('server_cpu_pct')}%",
        f"  server RSS: {f['server_rss_mib_before']} MiB before clients, "
        f"{f['server_rss_mib_after']} MiB after, {f['server_rss_mib_end']} MiB at the end",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    figures = asyncio.run(run(args))
    for key in ("server_rss_mib_before", "server_rss_mib_after", "server_rss_mib_end"):
        if figures[key] is not None:
            figures[key] = round(figures[key], 1)
    print(report(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
