"""A reconnect storm: every player of one big session drops and reconnects at the same moment
(a classroom Wi-Fi blip). How long until all are synced again, with `last_seq` at the head (the
browser's case) and with `last_seq: 0` (a fresh page)?

    python bench/storm.py                          # 300 players, 2,000 events of history
    python bench/storm.py --players 300 --history 6000

One `serve.py` (SQLite, scheduler off) and real python-socketio clients on one asyncio loop in
this process. The history is plenary messages posted before the storm.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fanout_clients import (  # noqa: E402
    BENCH_LIMITS,
    BenchClient,
    Probes,
    gather_limited,
    percentiles,
    raise_fd_limit,
)

from tests.live.harness import PASSWORD, LiveServer  # noqa: E402


async def post(http: aiohttp.ClientSession, url: str, body: dict, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with http.post(url, json=body, headers=headers) as response:
        return await response.json()


async def storm(players: list[BenchClient], last_seq: int, limit: int) -> dict:
    """Disconnect everyone, then reconnect everyone at once; time until every sync is in."""
    await gather_limited([p.close() for p in players], 100)
    for p in players:
        p.reset()
    started = time.perf_counter()
    took = await gather_limited([p.connect(last_seq=last_seq) for p in players], limit)
    wall = time.perf_counter() - started
    return {
        "all_synced_s": round(wall, 2),
        "per_client_ms": percentiles(took),
        "sync_events_max": max(p.sync["events"] for p in players),
    }


async def run(args: argparse.Namespace) -> None:
    raise_fd_limit()
    folder = Path(tempfile.mkdtemp(prefix="storm-"))
    server = LiveServer(folder, SCHEDULER_ENABLED="0", ASYNC_MODE=args.async_mode, **BENCH_LIMITS)
    clients: list[BenchClient] = []
    try:
        server.start()
        server.create_facilitator("Bench", PASSWORD)
        proc = psutil.Process(server.pid)
        url = server.url
        async with aiohttp.ClientSession() as http:
            token = (
                await post(
                    http, url + "/api/facilitator/token", {"name": "Bench", "password": PASSWORD}
                )
            )["token"]
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
        probes = Probes()
        fac = BenchClient(url, token, probes, session["id"])
        clients.append(fac)
        await fac.connect()
        await fac.send("session.start")
        for k in range(args.history):
            head = (await fac.send("message.post", channel="plenary", text=f"history {k}"))["seq"]
        players = [BenchClient(url, j["token"], probes) for j in joins]
        clients.extend(players)
        await gather_limited([p.connect(last_seq=head) for p in players], 50)
        print(f"{args.players} players, {head} events, {args.async_mode}")
        for name, last_seq in (("last_seq at head", head), ("last_seq 0", 0)):
            cpu, own = sum(proc.cpu_times()[:2]), time.process_time()
            figures = await storm(players, last_seq, args.concurrency)
            cpu, own = sum(proc.cpu_times()[:2]) - cpu, time.process_time() - own
            p = figures["per_client_ms"]
            # The clients' CPU too: one Python process decodes every sync, and on a shared
            # 2-core machine it, not the server, can set the pace.
            print(
                f"  storm, {name:<16}: all synced in {figures['all_synced_s']:6.2f} s; per client "
                f"p50 {p['p50']:.0f} / p99 {p['p99']:.0f} ms; server CPU {cpu:.2f} s; "
                f"load generator CPU {own:.2f} s; "
                f"events per sync (max) {figures['sync_events_max']}"
            )
        print(f"  load average: {os.getloadavg()}")
    finally:
        await gather_limited([c.close() for c in clients], 100)
        server.kill(signal.SIGTERM)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--players", type=int, default=300)
    parser.add_argument("--history", type=int, default=2000, help="messages before the storm")
    parser.add_argument("--concurrency", type=int, default=300, help="connects in flight")
    parser.add_argument("--async-mode", default="eventlet")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
