"""A player who sends `message.post` as fast as one process can, for the flood test and bench.

Run in a process of its own (`python tests/live/flooder.py URL TOKEN SECONDS`), so its tight loop
does not starve the measured clients of the GIL; prints one JSON line of what happened. It keeps
sending through the server closing its connection, as a script would, and reconnects.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

import socketio

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.live.harness import LiveClient  # noqa: E402


def flood(url: str, token: str, seconds: float) -> dict[str, Any]:
    client = LiveClient(url, token, name="flooder").connect()
    acks: list[dict[str, Any]] = []
    lock = threading.Lock()

    def on_ack(ack: dict[str, Any]) -> None:
        with lock:
            acks.append(ack)

    sent = unsent = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sent += 1
        payload = {"id": f"flood-{sent}", "type": "message.post", "channel": "plenary"}
        try:
            client.sio.emit("command", payload | {"text": f"flood {sent}"}, callback=on_ack)
        except socketio.exceptions.SocketIOError:
            unsent += 1  # cut off: keep trying until reconnected
            time.sleep(0.01)
    # Acks still on their way (the last ones may never come: the server cut the connection).
    time.sleep(2)
    with lock:
        refused = [a for a in acks if not a["ok"]]
        result = {
            "sent": sent - unsent,
            "acks": len(acks),
            "ok": len(acks) - len(refused),
            "ok_ids": [a["seq"] for a in acks if a["ok"]],
            "rate_limited": sum(a["error"]["code"] == "rate_limited" for a in refused),
            "retry_after_min": min((a["error"].get("retry_after", 0) for a in refused), default=0),
            "other_errors": sorted({a["error"]["code"] for a in refused} - {"rate_limited"}),
            "disconnects": len(client.drops),
        }
    client.disconnect()
    return result


if __name__ == "__main__":
    print(json.dumps(flood(sys.argv[1], sys.argv[2], float(sys.argv[3]))), flush=True)
