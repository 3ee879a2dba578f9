"""Does one flooding player slow the others down? Receipt latency of 30 chatting players, with
and without one more player sending `message.post` as fast as it can.

Real server (`serve.py` subprocess, default settings, so the default rate limits), real
python-socketio clients (threads, websocket), one session. Each chatter posts a plenary message
every `--interval` seconds for `--seconds`; every other chatter's receipt time is recorded. The
same is done twice in two sessions of one server: first quiet, then while a flooder sends for the
whole period (through the server closing its connection after FLOOD_DISCONNECT_AFTER refusals,
and its own reconnections). Run, for example:

    python bench/flood.py --chatters 30 --seconds 5 --interval 0.5

Client and server share the machine: see docs/performance.md for what that means for the
figures.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil
import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live.harness import PASSWORD, LiveClient, LiveServer  # noqa: E402


class TimedClient(LiveClient):
    """A LiveClient that also notes when each message text arrived."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.arrived: dict[str, float] = {}

    def _on_event(self, payload: dict[str, Any]) -> None:
        if payload.get("type") == "message_posted":
            self.arrived.setdefault(payload["data"]["text"], time.monotonic())
        super()._on_event(payload)


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {"n": len(ordered), "p50": at(0.5), "p95": at(0.95), "p99": at(0.99), "max": at(1)}


def start_flooder(url: str, token: str, seconds: float) -> subprocess.Popen[str]:
    """The flooder runs in its own process: in this one its loop would starve our clients."""
    script = ROOT / "tests" / "live" / "flooder.py"
    return subprocess.Popen(
        [sys.executable, str(script), url, token, str(seconds)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def run(server: LiveServer, args: argparse.Namespace, flooding: bool) -> dict[str, Any]:
    session = server.new_session(server.fac_token, title="flood" if flooding else "quiet")
    fac = TimedClient(server.url, server.fac_token, session["id"], name="fac").connect()
    chatters = []
    for n in range(args.chatters):
        answer = server.join(session["join_code"], f"Student {n}")
        chatters.append(TimedClient(server.url, answer["token"], name=f"s{n}").connect())
    assert fac.send("session.start")["ok"]
    figures: dict[str, Any] = {"flooding": flooding}
    flooder = None
    sent_at: dict[str, tuple[int, float]] = {}
    ack_ms: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def talk(n: int, client: TimedClient) -> None:
        k = 0
        deadline = time.monotonic() + args.seconds
        while time.monotonic() < deadline:
            text = f"Student {n} says {k}"
            started = time.monotonic()
            with lock:
                sent_at[text] = (n, started)
            try:
                ack = client.send("message.post", channel="plenary", text=text)
            except socketio.exceptions.TimeoutError:
                ack = {"ok": False, "error": {"code": "timeout"}}
            with lock:
                ack_ms.append((time.monotonic() - started) * 1000)
                if not ack["ok"]:
                    errors.append(ack["error"]["code"])
            k += 1
            time.sleep(max(0.0, args.interval - (time.monotonic() - started)))

    meter = psutil.Process(server.pid)
    cpu = sum(meter.cpu_times()[:2])
    wall = time.monotonic()
    threads = [threading.Thread(target=talk, args=(n, c)) for n, c in enumerate(chatters)]
    if flooding:
        answer = server.join(session["join_code"], "Flooder")
        flooder = start_flooder(server.url, answer["token"], args.seconds)
        time.sleep(1)  # let it connect and start before the chat does
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if flooder is not None:
        out, _ = flooder.communicate(timeout=120)
        figures["flood"] = json.loads(out.strip().splitlines()[-1])
        figures["flood"].pop("ok_ids")
    time.sleep(3)  # let the last receipts arrive
    figures["server_cpu_pct"] = round(
        100 * (sum(meter.cpu_times()[:2]) - cpu) / (time.monotonic() - wall), 1
    )
    receipts, lost = [], 0
    for n, client in enumerate(chatters):
        for text, (author, started) in sent_at.items():
            if author == n:
                continue
            if text in client.arrived:
                receipts.append((client.arrived[text] - started) * 1000)
            else:
                lost += 1
    figures.update(
        messages=len(sent_at),
        receipt_ms=percentiles(receipts),
        ack_ms=percentiles(ack_ms),
        lost_receipts=lost,
        chatter_errors=sorted(set(errors)),
        chatter_error_count=len(errors),
    )
    for client in [fac, *chatters]:
        client.disconnect()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chatters", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--async-mode", default="eventlet")
    parser.add_argument("--json", help="write all figures to this file")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="flood-bench-"))
    server = LiveServer(folder, ASYNC_MODE=args.async_mode, SCHEDULER_ENABLED="0")
    try:
        server.start()
        server.create_facilitator("Bench", PASSWORD)
        quiet = run(server, args, flooding=False)
        flooded = run(server, args, flooding=True)
    finally:
        server.kill(signal.SIGTERM)
        shutil.rmtree(folder, ignore_errors=True)
    for figures in (quiet, flooded):
        r = figures["receipt_ms"]
        print(
            f"{'with flood ' if figures['flooding'] else 'quiet      '} receipts n={r['n']} "
            f"p50 {r.get('p50')} p95 {r.get('p95')} p99 {r.get('p99')} max {r.get('max')} ms; "
            f"lost {figures['lost_receipts']}; chatter errors {figures['chatter_error_count']} "
            f"{figures['chatter_errors']}; server CPU {figures['server_cpu_pct']}%"
        )
    print(
        "flooder: sent {sent}, acks {acks} (ok {ok}, rate_limited {rate_limited}, other "
        "{other_errors}), disconnects {disconnects}".format(**flooded["flood"])
    )
    if args.json:
        Path(args.json).write_text(json.dumps({"quiet": quiet, "flood": flooded}, indent=2))
    if flooded["receipt_ms"]["n"] and quiet["receipt_ms"]["n"]:
        ratio = flooded["receipt_ms"]["p99"] / max(quiet["receipt_ms"]["p99"], 0.1)
        print(f"receipt p99 with / without the flood: {ratio:.2f}x")


if __name__ == "__main__":
    main()
