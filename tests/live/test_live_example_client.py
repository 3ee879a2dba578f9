"""The example client in examples/ plays a move against a real server, as its README says."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.live.harness import PASSWORD, ROOT, LiveServer, snapshot


def test_the_example_client_plays_a_move_to_adoption(live_server: LiveServer) -> None:
    """Does examples/play_a_move.py, run as a separate program, finish with status 0, and does
    the session's log then hold the inject it fired, its proposal adopted and the next move?"""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "examples" / "play_a_move.py"),
            live_server.url,
            "Prof. Tanaka",
            PASSWORD,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr + live_server.tail()
    session_id = int(re.search(r"^session (\d+):", done.stdout, re.M).group(1))
    sync = snapshot(live_server.url, live_server.fac_token, session_id)
    types = [event["type"] for event in sync["events"]]
    assert types.count("player_joined") == 3
    assert {"inject_held", "session_started", "inject_fired", "move_advanced"} <= set(types)
    adopted = [p for p in sync["state"]["proposals"] if p["status"] == "adopted"]
    assert len(adopted) == 1 and adopted[0]["adopted_version"] == 1
    assert set(adopted[0]["positions"]) == {"JPN", "KOR", "USA"}
    assert sync["state"]["clock"]["move_index"] == 1
    assert f"proposal {adopted[0]['id']}" in done.stdout
