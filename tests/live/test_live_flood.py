"""A flood from one player on a real server: the flooder is answered `rate_limited`, nothing of
the flood is half-recorded, and the 30 others chatting meanwhile lose nothing. (The figures, with
and without the flood, come from bench/flood.py; see docs/performance.md.)"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from tests.live.conftest import Seminar
from tests.live.harness import ROOT, LiveServer

CHATTERS = 30
MESSAGES_EACH = 3
FLOOD_SECONDS = 5.0


def start_flooder(seminar: Seminar) -> subprocess.Popen[str]:
    """One more seat, flooding from a process of its own (in this one it would starve ours)."""
    answer = seminar.server.join(seminar.session["join_code"], "Flooder")
    return subprocess.Popen(
        [sys.executable, str(ROOT / "tests/live/flooder.py"), seminar.server.url, answer["token"]]
        + [str(FLOOD_SECONDS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def chat(seats: list[Any]) -> list[dict[str, Any]]:
    """Each seat posts MESSAGES_EACH plenary messages spread over the flood; returns the acks."""
    acks: list[dict[str, Any]] = []

    def talk(seat: Any) -> None:
        for n in range(MESSAGES_EACH):
            text = f"{seat.player['name']} {n}"
            command = {"id": uuid.uuid4().hex, "type": "message.post", "channel": "plenary"}
            acks.append(seat.client.call(command | {"text": text}, timeout=60))
            time.sleep(FLOOD_SECONDS / MESSAGES_EACH)

    threads = [threading.Thread(target=talk, args=(seat,)) for seat in seats]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return acks


def test_a_flood_is_refused_and_the_others_lose_nothing(
    start_server: Callable[..., LiveServer], make_seminar: Callable[..., Seminar]
) -> None:
    """While one player floods for 5 s, does every chatter's message reach every chatter, is the
    flooder answered only `ok` or `rate_limited`, and is what was acknowledged stored, and no
    more than the seat's budget?"""
    server = start_server()
    server.create_facilitator("Prof. Tanaka")
    seminar = make_seminar(server, server.fac_token, players=0)
    seats = [seminar.join(f"Student {n}", "websocket") for n in range(CHATTERS)]
    assert seminar.fac.send("session.start")["ok"]

    started = time.monotonic()
    flooder = start_flooder(seminar)
    chat_acks = chat(seats)
    out, _ = flooder.communicate(timeout=180)
    elapsed = time.monotonic() - started
    flood = json.loads(out.strip().splitlines()[-1])

    assert len(chat_acks) == CHATTERS * MESSAGES_EACH
    assert all(ack["ok"] for ack in chat_acks), [a for a in chat_acks if not a["ok"]][:3]
    assert flood["rate_limited"] > 0 and flood["other_errors"] == []
    assert flood["retry_after_min"] > 0

    expected = {f"Student {n} {m}" for n in range(CHATTERS) for m in range(MESSAGES_EACH)}
    head = max(ack["seq"] for ack in chat_acks)
    for seat in seats:
        seat.client.wait_seq(head)
        heard = set(seat.client.texts())
        assert expected <= heard, f"{seat.player['name']} lost {len(expected - heard)}"
    history = {e["seq"]: e for e in seminar.history()}
    stored = [e["data"]["text"] for e in history.values() if e["type"] == "message_posted"]
    assert expected <= set(stored)
    # Nothing half-recorded: each acknowledged flood message is stored whole; and the seat got no
    # more than its budget (default settings: a burst of 40, then 8 a second).
    for seq in flood["ok_ids"]:
        assert history[seq]["data"]["text"].startswith("flood ")
    flood_stored = [t for t in stored if t.startswith("flood ")]
    assert len(flood["ok_ids"]) <= len(flood_stored) <= 40 + 8 * elapsed
