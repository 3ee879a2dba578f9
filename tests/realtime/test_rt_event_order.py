"""Live events can arrive out of seq order when several processes share a session (each publishes
after its own commit). The browser's model (static/js/lib/model.js, run in Node) must end with the
state a fresh sync gives, whatever the arrival order, for every kind of viewer."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import events_of
from tests.realtime.conftest import syncs_of

ROOT = Path(__file__).resolve().parents[2]
NK = "nk-23-missiles"

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")


def play(table: Any) -> None:
    """Commands that touch the same objects again and again: proposals, an inject's deadline,
    the gauges, the leads, the clock."""
    t = table
    assert t.fac_send("inject.fire", inject_id=NK)["ok"]
    first = {"inject_id": NK, "text": "Joint line", "options": ["nk23-condemn-and-un"]}
    assert t.as_("JPN", "proposal.table", **first)["ok"]
    second = {"inject_id": NK, "text": "Talks first", "options": ["nk23-condemn-and-drill"]}
    assert t.as_("KOR", "proposal.table", **second)["ok"]
    assert t.as_("KOR", "proposal.amend", proposal_id=1, text="Firmer", options=first["options"])[
        "ok"
    ]
    assert t.fac_send("deadline.extend", inject_id=NK, minutes=5)["ok"]
    assert t.fac_send("indicator.override", indicator="cohesion", value=61, ruling="Mood")["ok"]
    assert t.as_("USA", "proposal.reserve", proposal_id=1, version=2)["ok"]
    assert t.as_("USA", "message.post", channel="plenary", text="Closer")["ok"]
    for code in ("JPN", "KOR", "USA"):
        assert t.as_(code, "proposal.endorse", proposal_id=1, version=2)["ok"]
    assert t.as_("USA", "statement.issue", inject_id=None, text="We stand together.", options=[])[
        "ok"
    ]
    assert t.fac_send("indicator.override", indicator="cohesion", value=70, ruling="Relief")["ok"]
    # Stating full chip alignment queues two reactions, which the pause then pushes back.
    assert t.fac_send("inject.fire", inject_id="econ-chip-controls")["ok"]
    align = {"inject_id": "econ-chip-controls", "text": "We align.", "options": ["chip-align-full"]}
    assert t.as_("JPN", "statement.issue", **align)["ok"]
    assert t.fac_send("session.pause")["ok"]
    assert t.fac_send("session.resume")["ok"]
    assert t.fac_send("lobby.lock", locked=True)["ok"]
    assert t.fac_send("session.next_move")["ok"]


def normalised(state: dict[str, Any]) -> dict[str, Any]:
    """What a page shows of a state (the clock's running `elapsed_seconds` left out)."""
    clock = {k: v for k, v in state["clock"].items() if k != "elapsed_seconds"}
    return {
        "status": state["status"],
        "lobby_locked": state["lobby_locked"],
        "clock": clock,
        "leads": state["leads"],
        "automatic": state["automatic"],
        "players": sorted((p["id"], p["delegation"], p["lead"]) for p in state["players"]),
        "injects": sorted(
            (i["id"], i["deadline_at"], i["deadline_open"], i["outcome"]) for i in state["injects"]
        ),
        "proposals": sorted(
            (
                p["id"],
                p["status"],
                p["version"],
                # Without `at`: a live event's copy stamps the position with the time of the
                # decision, the fold with the event's time (they may differ by a millisecond).
                json.dumps(
                    {
                        c: {k: v for k, v in pos.items() if k != "at"}
                        for c, pos in p["positions"].items()
                    },
                    sort_keys=True,
                ),
                p["adopted_version"],
                p["closed_reason"],
                json.dumps(p.get("red_lines") or [], sort_keys=True),
            )
            for p in state["proposals"]
        ),
        "statements": [s["seq"] for s in state["statements"]],
        "rulings": [r["seq"] for r in state["rulings"]],
        "indicators": state.get("indicators"),
        "scores": state["scores"],
        "pending": sorted(
            (i["id"], i["status"], i.get("due_at") if i["status"] == "queued" else None)
            for i in state.get("injects_pending", [])
        ),
    }


def orders(count: int) -> list[list[int]]:
    """Arrival orders: as sent, each pair swapped, reversed, and shuffles in windows of four."""
    straight = list(range(count))
    swapped = straight[:]
    for i in range(0, count - 1, 2):
        swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
    shuffles = []
    rng = random.Random(14)
    for _ in range(4):
        order = []
        for start in range(0, count, 4):
            window = straight[start : start + 4]
            rng.shuffle(window)
            order.extend(window)
        shuffles.append(order)
    return [straight, swapped, straight[::-1], *shuffles]


def fold_in_node(tmp_path: Path, sync: dict, events: list[dict], order_list: list) -> list[dict]:
    model = tmp_path / "model.mjs"  # .mjs: Node loads it as the ES module the browser loads
    shutil.copy(ROOT / "static" / "js" / "lib" / "model.js", model)
    script = ROOT / "tests" / "realtime" / "model_fold.mjs"
    payload = {"model": model.as_uri(), "sync": sync, "events": events, "orders": order_list}
    done = subprocess.run(
        ["node", str(script)], input=json.dumps(payload), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_model_ends_where_a_fresh_sync_is_whatever_the_arrival_order(
    table: Any, connect: Any, app: Any, fac_token: str, tokens: dict[int, str], tmp_path: Path
) -> None:
    """For the White Cell, each delegation and an observer: does folding the live events in any
    of several orders (swapped, reversed, shuffled) give the state of a fresh sync?"""
    assert table.fac_send("session.start")["ok"]
    observer_token = (
        app.test_client().post("/api/observe", json={"code": table.game.observer_code})
    ).get_json()["token"]
    viewers = {"fac": (fac_token, table.game.id), "obs": (observer_token, None)}
    for code, seat in table.seats.items():
        viewers[code] = (tokens[seat["id"]], None)
    watchers = {name: connect(token, session_id) for name, (token, session_id) in viewers.items()}
    first_syncs = {name: syncs_of(client)[-1] for name, client in watchers.items()}
    play(table)
    for name, client in watchers.items():
        events = events_of(client)
        assert len(events) > 10
        fresh = syncs_of(connect(*viewers[name]))[-1]["state"]
        order_list = orders(len(events))
        states = fold_in_node(tmp_path, first_syncs[name], events, order_list)
        for order, state in zip(order_list, states, strict=True):
            got, want = normalised(state), normalised(fresh)
            for key in want:
                assert got[key] == want[key], json.dumps([name, key, order, got[key], want[key]])
