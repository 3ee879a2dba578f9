"""The floor and the project, side by side, in one run: how far is the project from a bare
Flask-SocketIO relay under the same load?

For each async mode asked for, this starts the floor (`bench/floor_relay.py`: rooms and a relay,
nothing else) and then the project (`serve.py`, SQLite, scheduler off), and drives each with
the same load shape: S sessions of P players plus a facilitator, all real python-socketio clients
(one asyncio loop in this process, websocket), and in every session one plenary message per
second (open loop, sessions out of phase) for a number of seconds. It prints, for both and as a
ratio project / floor:

- receipt latency p50/p95/p99/max: from sending a message to its receipt at each other member;
- ack latency; connecting every client (wall time, and per client connect + sync);
- server CPU per delivered message (CPU time of the server process over the message phase,
  divided by receipts) and per command; server RSS after connecting;
- the garbage collector in the server over the message phase (collections per generation, total
  and longest pause; `app/gcstats.py`, enabled by `GC_STATS_FILE`).

    python bench/floor.py                                # 1,020 clients: 34 sessions of 30
    python bench/floor.py --sessions 68 --async-mode eventlet,gevent,threading
    python bench/floor.py --sessions 68 --processes 1,2     # PostgreSQL + Redis + nginx

Client and server share the machine, and the load generator is one Python process: see
docs/performance.md for what the figures mean. Quote ratios to the floor of the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
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

from tests.live.harness import PASSWORD, PG_HOST, LiveServer, free_port, pg_connect  # noqa: E402

WAIT = (
    60.0  # seconds a message may take to reach everyone before its missing receipts count as lost
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=34, help="sessions (default 34)")
    parser.add_argument("--players", type=int, default=30, help="players per session (30)")
    parser.add_argument("--seconds", type=float, default=30, help="message phase length (30 s)")
    parser.add_argument("--rate", type=float, default=1.0, help="messages per session per second")
    parser.add_argument(
        "--async-mode", default="eventlet", help="comma-separated: eventlet,gevent,threading"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="alternate floor and project this many times"
    )
    parser.add_argument("--connect-concurrency", type=int, default=50)
    parser.add_argument("--only", choices=["floor", "project"], help="measure one side only")
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment for both servers (e.g. GC_FREEZE=0 to compare)",
    )
    parser.add_argument(
        "--processes",
        help="comma-separated process counts, e.g. 1,2: the project as that many serve.py "
        "processes on PostgreSQL + Redis behind nginx (deploy/), against the same one-process "
        "floor; without it, one process on SQLite",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    return parser.parse_args(argv)


class Server:
    """A server process (floor or project) with its pid, url and GC statistics file."""

    def __init__(self, kind: str, mode: str, extra_env: dict[str, str], processes: int = 0) -> None:
        self.kind = kind
        self.folder = Path(tempfile.mkdtemp(prefix=f"floor-{kind}-"))
        self.gc_file = self.folder / "gc.json"
        env = {
            "ASYNC_MODE": mode,
            "GC_STATS_FILE": str(self.gc_file),
            **BENCH_LIMITS,
            **extra_env,
        }
        self.live: LiveServer | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.cluster: Cluster | None = None
        if kind == "project" and processes:
            self.cluster = Cluster(self.folder, processes, env)
            self.url = self.cluster.url
        elif kind == "project":
            self.live = LiveServer(self.folder, SCHEDULER_ENABLED="0", **env)
            self.url = self.live.url
        else:
            port = free_port()
            self.url = f"http://127.0.0.1:{port}"
            self.env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), **env}

    @property
    def pids(self) -> list[int]:
        return self.cluster.pids if self.cluster is not None else [self.pid]

    def start(self) -> None:
        if self.cluster is not None:
            self.cluster.start()
            return
        if self.live is not None:
            self.live.start(timeout=120)  # a loaded machine starts it slowly
            self.live.create_facilitator("Bench", PASSWORD)
            self.pid = self.live.pid
            return
        log = (self.folder / "relay.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "floor_relay.py")],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.pid = self.process.pid
        wait_for(self.url, self.process, self.folder / "relay.log", "the floor relay")

    def gc_snapshot(self) -> list[dict[str, Any] | None]:
        files = self.cluster.gc_files if self.cluster is not None else [self.gc_file]
        snapshots: list[dict[str, Any] | None] = []
        for file in files:
            try:
                snapshots.append(json.loads(file.read_text()))
            except (OSError, ValueError):
                snapshots.append(None)
        return snapshots

    def stop(self) -> None:
        if self.cluster is not None:
            self.cluster.stop()
        if self.live is not None:
            self.live.kill(signal.SIGTERM)
        elif self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if not os.environ.get("FLOOR_KEEP"):
            shutil.rmtree(self.folder, ignore_errors=True)


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path, what: str) -> None:
    """Return once `url` answers; fail with the process's log if it exits or 30 s pass."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url + "/", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not answer: {log.read_text()}")


class Cluster:
    """N `serve.py` processes on a fresh PostgreSQL database and the Redis message queue, behind
    nginx with deploy/'s routing (`deploy/local_nginx.py`): what `make cluster N=…` runs."""

    def __init__(self, folder: Path, processes: int, env: dict[str, str]) -> None:
        import secrets

        self.folder = folder
        self.database = f"floor_{secrets.token_hex(6)}"
        admin = pg_connect("test")
        user = admin.info.user
        admin.close()
        settings = {
            **env,
            "DATABASE_URL": f"postgresql+psycopg2://{user}@{PG_HOST}:5432/{self.database}",
            "SOCKETIO_MESSAGE_QUEUE": "redis://127.0.0.1:6379/0",
            "SOCKETIO_CHANNEL": f"floor-{secrets.token_hex(4)}",
            "SECRET_KEY": secrets.token_hex(32),
            "PROXY_FIX": "1",
            "SCHEDULER_ENABLED": "0",
        }
        self.gc_files = [folder / f"gc-{i}.json" for i in range(processes)]
        self.servers = [
            LiveServer(folder / f"p{i}", **{**settings, "GC_STATS_FILE": str(self.gc_files[i])})
            for i in range(processes)
        ]
        self.listen = free_port()
        self.url = f"http://127.0.0.1:{self.listen}"
        self.nginx: subprocess.Popen[bytes] | None = None

    @property
    def pids(self) -> list[int]:
        return [server.pid for server in self.servers]

    def start(self) -> None:
        admin = pg_connect("test")
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{self.database}"')
        admin.close()
        for server in self.servers:
            server.instance.mkdir(parents=True, exist_ok=True)
            server.start(timeout=120)
        self.servers[0].create_facilitator("Bench", PASSWORD)
        sys.path.insert(0, str(ROOT / "deploy"))
        from local_nginx import render

        prefix = self.folder / "nginx"
        prefix.mkdir()
        ports = [server.port for server in self.servers]
        (prefix / "nginx.conf").write_text(render(ports, self.listen, prefix))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.nginx = subprocess.Popen(
            [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=(prefix / "stderr.log").open("wb"),
        )
        wait_for(self.url, self.nginx, prefix / "stderr.log", "nginx")

    def stop(self) -> None:
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                self.nginx.wait(10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
        for server in self.servers:
            with contextlib.suppress(Exception):
                server.kill(signal.SIGTERM)
        admin = pg_connect("test")
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        admin.close()


async def post(http: aiohttp.ClientSession, url: str, body: dict, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with http.post(url, json=body, headers=headers) as response:
        answer = await response.json()
    if not answer.get("ok"):
        raise RuntimeError(f"{url}: {answer}")
    return answer


async def make_tables(
    server: Server, args: argparse.Namespace, probes: Probes
) -> list[tuple[BenchClient, list[BenchClient]]]:
    """The facilitator's and the players' clients of every session, not yet connected."""
    url = server.url
    if server.kind == "floor":
        return [
            (
                BenchClient(url, f"room-{s}", probes),
                [BenchClient(url, f"room-{s}", probes) for _ in range(args.players)],
            )
            for s in range(args.sessions)
        ]
    tables = []
    async with aiohttp.ClientSession() as http:
        answer = await post(
            http, url + "/api/facilitator/token", {"name": "Bench", "password": PASSWORD}
        )
        token = answer["token"]
        for _ in range(args.sessions):
            session = (
                await post(http, url + "/api/sessions", {"scenario": "trilateral-2023"}, token)
            )["session"]
            joins = await gather_limited(
                [
                    post(http, url + "/api/join", {"code": session["join_code"], "name": f"P{i}"})
                    for i in range(args.players)
                ],
                8,
            )
            fac = BenchClient(url, token, probes, session["id"])
            tables.append((fac, [BenchClient(url, j["token"], probes) for j in joins]))
    return tables


async def send_and_wait(sender: BenchClient, probe: Probe, text: str) -> Probe:
    probe.sent_at = time.perf_counter()
    await sender.send("message.post", channel="plenary", text=text)
    probe.acked_at = time.perf_counter()
    with contextlib.suppress(TimeoutError):  # counted as lost receipts
        await asyncio.wait_for(probe.done.wait(), WAIT)
    return probe


async def session_load(
    probes: Probes, players: list[BenchClient], count: int, period: float, offset: float
) -> list[Probe]:
    """Open loop: one message every `period` seconds whatever the previous one is doing."""
    loop = asyncio.get_running_loop()
    begin = loop.time() + offset
    tasks = []
    for k in range(count):
        await asyncio.sleep(max(0.0, begin + k * period - loop.time()))
        sender = players[k % len(players)]
        mark = new_mark()
        probe = probes.open(mark, len(players), exclude=id(sender))  # the others + facilitator
        tasks.append(asyncio.create_task(send_and_wait(sender, probe, f"{mark} message {k}")))
    return await asyncio.gather(*tasks)


def gc_delta(before: list, after: list, since: float, until: float) -> dict:
    """GC over the message phase: per process, then summed (counts, totals) or the worst."""
    parts = [_gc_delta(b, a, since, until) for b, a in zip(before, after, strict=True)]
    if len(parts) == 1:
        return parts[0]
    out: dict[str, Any] = {}
    for part in parts:
        for key, value in part.items():
            if key == "longest_pause_ms":
                out[key] = max(out.get(key, 0.0), value)
            elif isinstance(value, int | float) and key.startswith(("gen", "pauses")):
                out[key] = round(out.get(key, 0) + value, 1)
            else:
                out.setdefault(key, value)
    return out


def _gc_delta(before: dict | None, after: dict | None, since: float, until: float) -> dict:
    if not before or not after:
        return {}
    out: dict[str, Any] = {}
    for gen, totals in after["generations"].items():
        old = before["generations"].get(gen, {"count": 0, "total_ms": 0.0})
        out[f"gen{gen}_count"] = totals["count"] - old["count"]
        out[f"gen{gen}_ms"] = round(totals["total_ms"] - old["total_ms"], 1)
    pauses = [ms for at, _gen, ms, _n in after["slow"] if since <= at <= until]
    out["pauses_over_1ms"] = len(pauses)
    out["longest_pause_ms"] = max(pauses, default=0.0)
    out["frozen"] = after.get("frozen")
    out["threshold"] = after.get("threshold")
    return out


async def measure(
    kind: str, mode: str, args: argparse.Namespace, processes: int = 0
) -> dict[str, Any]:
    extra = dict(item.split("=", 1) for item in args.server_env)
    server = Server(kind, mode, extra, processes)
    probes = Probes()
    clients: list[BenchClient] = []
    figures: dict[str, Any] = {"kind": kind, "async_mode": mode, "processes": processes or 1}
    try:
        server.start()
        procs = [psutil.Process(pid) for pid in server.pids]
        tables = await make_tables(server, args, probes)
        for fac, players in tables:
            clients.extend([fac, *players])
        started = time.perf_counter()
        connect_s = await gather_limited([c.connect() for c in clients], args.connect_concurrency)
        figures["connect_all_s"] = round(time.perf_counter() - started, 2)
        figures["connect_ms"] = percentiles(connect_s)
        if kind == "project":
            await asyncio.gather(*(fac.send("session.start") for fac, _ in tables))
        await asyncio.sleep(2)
        figures["rss_mib"] = round(sum(p.memory_info().rss for p in procs) / 2**20, 1)
        # Warm-up: one message per session through every code path.
        await asyncio.gather(*(session_load(probes, p, 1, 1.0, 0.0) for _f, p in tables))
        await asyncio.sleep(1.5)  # a fresh GC statistics file
        gc_before, wall0 = server.gc_snapshot(), time.time()
        cpu0 = sum(sum(p.cpu_times()[:2]) for p in procs)
        count = max(1, int(args.seconds * args.rate))
        period = 1.0 / args.rate
        rng = random.Random(14)
        results = await asyncio.gather(
            *(
                session_load(probes, players, count, period, rng.random() * period)
                for _fac, players in tables
            )
        )
        cpu = sum(sum(p.cpu_times()[:2]) for p in procs) - cpu0
        wall1 = time.time()
        await asyncio.sleep(1.5)
        sent = [p for session in results for p in session]
        receipts = [lat for p in sent for lat in p.latencies()]
        figures["receipt_ms"] = percentiles(receipts)
        figures["ack_ms"] = percentiles([p.acked_at - p.sent_at for p in sent])
        figures["messages"] = len(sent)
        figures["receipts"] = len(receipts)
        figures["lost"] = sum(max(0, p.expected - len(p.received)) for p in sent)
        figures["server_cpu_s"] = round(cpu, 2)
        figures["server_cpu_pct"] = round(100 * cpu / (wall1 - wall0), 1)
        figures["cpu_us_per_receipt"] = round(1e6 * cpu / max(1, len(receipts)), 1)
        figures["cpu_us_per_command"] = round(1e6 * cpu / max(1, len(sent)), 1)
        figures["gc"] = gc_delta(gc_before, server.gc_snapshot(), wall0, wall1)
        return figures
    finally:
        await gather_limited([c.close() for c in clients], 100)
        server.stop()


def ratio(a: float, b: float) -> str:
    return f"{a / b:5.2f}x" if b else "   - "


def report(
    mode: str,
    floor: dict | None,
    project: dict | None,
    args: argparse.Namespace,
    processes: int = 0,
) -> str:
    n = args.sessions * (args.players + 1)
    where = (
        f"project: {processes} process(es), PostgreSQL + Redis, behind nginx"
        if processes
        else "project: one process, SQLite"
    )
    lines = [
        f"\n{n} clients: {args.sessions} sessions of {args.players} players + facilitator, "
        f"{args.rate:g} msg/session/s for {args.seconds:g} s, {mode}, websocket; {where}",
        f"  {'':28}{'floor':>12}{'project':>12}{'ratio':>9}",
    ]

    def row(name: str, get: Any, unit: str = "") -> None:
        values = [get(f) if f else None for f in (floor, project)]
        cells = [f"{v:12.1f}" if isinstance(v, float | int) else f"{'-':>12}" for v in values]
        r = ratio(values[1], values[0]) if None not in values else ""
        lines.append(f"  {name + unit:<28}{cells[0]}{cells[1]}   {r}")

    for q in ("p50", "p95", "p99", "max"):
        row(f"receipt {q}", lambda f, q=q: f["receipt_ms"][q], " (ms)")
    row("ack p50", lambda f: f["ack_ms"]["p50"], " (ms)")
    row("ack p99", lambda f: f["ack_ms"]["p99"], " (ms)")
    row("connect all", lambda f: f["connect_all_s"], " (s)")
    row("connect+sync p50", lambda f: f["connect_ms"]["p50"], " (ms)")
    row("server CPU / receipt", lambda f: f["cpu_us_per_receipt"], " (us)")
    row("server CPU / command", lambda f: f["cpu_us_per_command"], " (us)")
    row("server CPU", lambda f: f["server_cpu_pct"], " (% core)")
    row("server RSS", lambda f: f["rss_mib"], " (MiB)")
    row("GC gen2 collections", lambda f: f["gc"].get("gen2_count", 0))
    row(
        "GC total pause", lambda f: sum(v for k, v in f["gc"].items() if k.endswith("_ms")), " (ms)"
    )
    row("GC longest pause", lambda f: f["gc"].get("longest_pause_ms", 0.0), " (ms)")
    row("receipts", lambda f: f["receipts"])
    row("lost receipts", lambda f: f["lost"])
    return "\n".join(lines)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    raise_fd_limit()
    figures: dict[str, Any] = {
        "sessions": args.sessions,
        "players": args.players,
        "seconds": args.seconds,
        "rate": args.rate,
        "load_average": os.getloadavg(),
        "runs": [],
    }
    counts = [int(n) for n in args.processes.split(",")] if args.processes else [0]
    for mode in args.async_mode.split(","):
        for _ in range(args.repeat):  # alternating, so a noisy minute hits both sides alike
            floor = None if args.only == "project" else await measure("floor", mode, args)
            await asyncio.sleep(2)
            for n in counts:
                project = None
                if args.only != "floor":
                    project = await measure("project", mode, args, n)
                await asyncio.sleep(2)
                figures["runs"].append(
                    {"async_mode": mode, "processes": n, "floor": floor, "project": project}
                )
                print(report(mode, floor, project, args, n), flush=True)
    figures["load_average_end"] = os.getloadavg()
    print(f"\n  load average before / after: {figures['load_average']} / {os.getloadavg()}")
    return figures


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    figures = asyncio.run(run(args))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
