"""A sync carries the whole state and only a bounded tail of the events (older ones on request,
`history`): the state must still be the fold of the full log, and the tail plus the history
pages must be exactly the visible history, for every kind of viewer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.engine import FACILITATOR, OBSERVER, Viewer, can_see, event_view, fold, state_view
from app.realtime.service import load_state
from app.store.eventlog import read_events
from tests.realtime.conftest import syncs_of
from tests.realtime.test_rt_event_order import play

TAIL = 7


def without_clock(state: dict[str, Any]) -> dict[str, Any]:
    # `server_time` is sent to the millisecond: the elapsed seconds may differ by less than that.
    return state | {"clock": {k: v for k, v in state["clock"].items() if k != "elapsed_seconds"}}


def test_the_snapshot_sync_is_the_fold_of_the_full_history_for_every_viewer(
    table: Any, connect: Any, app: Any, fac_token: str, tokens: dict[int, str]
) -> None:
    """With a tail of 7 events, does each viewer's last_seq-0 sync hold the state of a fold of
    the whole log, the latest visible events only, and does paging `history` back give every
    visible event exactly once, in order?"""
    assert table.fac_send("session.start")["ok"]
    play(table)
    app.config["SYNC_TAIL_EVENTS"] = TAIL
    game = table.game
    observer_token = (
        app.test_client().post("/api/observe", json={"code": game.observer_code})
    ).get_json()["token"]
    viewers: dict[str, tuple[Viewer, str, int | None]] = {
        "fac": (FACILITATOR, fac_token, game.id),
        "obs": (OBSERVER, observer_token, None),
    }
    for code, seat in table.seats.items():
        viewers[code] = (Viewer("player", code, seat["id"]), tokens[seat["id"]], None)
    log = read_events(game.id)
    head = log[-1].seq
    assert head > 3 * TAIL
    scenario = load_state(game.id).scenario
    for name, (viewer, token, session_id) in viewers.items():
        client = connect(token, session_id)
        sync = syncs_of(client)[-1]
        assert sync["events_after"] == head - TAIL and sync["session"]["head_seq"] == head
        visible = [event_view(e, viewer) for e in log if can_see(e.audience, viewer, scenario)]
        assert sync["events"] == [e for e in visible if e["seq"] > head - TAIL], name
        now = datetime.fromisoformat(sync["server_time"].removesuffix("Z"))
        folded = state_view(fold(scenario, game.id, log), viewer, now)
        assert without_clock(sync["state"]) == without_clock(folded), name
        pages, before = [], sync["events_after"] + 1
        while before > 1:
            answer = client.emit("history", {"before_seq": before, "limit": 5}, callback=True)
            assert answer["ok"] and answer["events_after"] == max(0, before - 6)
            pages = answer["events"] + pages
            before = answer["events_after"] + 1
        assert pages + sync["events"] == visible, name


def test_history_refuses_bad_fields(table: Any) -> None:
    """Is a history request without integer fields answered with a structured error?"""
    for bad in (None, {}, {"before_seq": "9"}, {"before_seq": 9, "limit": True}):
        answer = table.fac.emit("history", bad, callback=True)
        assert answer["ok"] is False and answer["error"]["code"] == "bad_field"
