"""A sync's events come from memory when they can (the cached tail of the log, and the views
last built for the same kind of viewer): they must always equal what the log itself gives, never
an older copy, whether the cache is warm, cold, or shorter than the tail asked for."""

from __future__ import annotations

from typing import Any

from app.engine import Viewer, can_see, event_view
from app.realtime import service
from app.realtime.service import load_state
from app.store.eventlog import read_events
from tests.realtime.conftest import syncs_of
from tests.realtime.test_rt_event_order import play


def visible(game_id: int, viewer: Viewer, after: int) -> list[dict[str, Any]]:
    """The viewer's events after `after`, read from the log itself."""
    scenario = load_state(game_id).scenario
    return [
        event_view(e, viewer)
        for e in read_events(game_id)
        if e.seq > after and can_see(e.audience, viewer, scenario)
    ]


def test_a_sync_never_ships_an_older_copy_of_the_log(
    table: Any, connect: Any, app: Any, tokens: dict[int, str]
) -> None:
    """Two KOR syncs around new events (a plenary line, a JPN-only line, a KOR-only line): does
    each hold exactly the log's visible events, the second one the new ones too, and does a
    JPN sync built in between keep its own view?"""
    assert table.fac_send("session.start")["ok"]
    play(table)
    game = table.game
    kor, jpn = table.seats["KOR"], table.seats["JPN"]
    kor_view, jpn_view = Viewer("player", "KOR", kor["id"]), Viewer("player", "JPN", jpn["id"])

    first = syncs_of(connect(tokens[kor["id"]]))[-1]
    assert first["events"] == visible(game.id, kor_view, 0)
    assert table.as_("USA", "message.post", channel="plenary", text="After the first sync")["ok"]
    assert table.as_("JPN", "message.post", channel="JPN", text="Tokyo only")["ok"]
    jpn_sync = syncs_of(connect(tokens[jpn["id"]]))[-1]
    assert table.as_("KOR", "message.post", channel="KOR", text="Seoul only")["ok"]
    second = syncs_of(connect(tokens[kor["id"]]))[-1]

    assert second["events"] == visible(game.id, kor_view, 0)
    texts = [e["data"].get("text") for e in second["events"]]
    assert "After the first sync" in texts and "Seoul only" in texts
    assert "Tokyo only" not in texts
    assert jpn_sync["events"] == visible(game.id, jpn_view, 0)[: len(jpn_sync["events"])]
    assert "Tokyo only" in [e["data"].get("text") for e in jpn_sync["events"]]


def test_a_cold_or_short_cache_reads_the_log(
    table: Any, connect: Any, app: Any, tokens: dict[int, str]
) -> None:
    """After the process forgets its states, and when its cached tail is shorter than the tail a
    sync asks for, is the sync still exactly the log's visible tail?"""
    assert table.fac_send("session.start")["ok"]
    play(table)
    game = table.game
    usa = table.seats["USA"]
    viewer = Viewer("player", "USA", usa["id"])
    warm = syncs_of(connect(tokens[usa["id"]]))[-1]

    service.forget_all()
    cold = syncs_of(connect(tokens[usa["id"]]))[-1]
    assert cold["events"] == warm["events"] == visible(game.id, viewer, 0)

    service.forget_all()
    app.config["SYNC_TAIL_EVENTS"] = 3  # the state is folded again with a tail of 3 in memory
    load_state(game.id)
    app.config["SYNC_TAIL_EVENTS"] = 12  # ...and a sync now asks for 12
    head = read_events(game.id)[-1].seq
    short = syncs_of(connect(tokens[usa["id"]]))[-1]
    assert short["events_after"] == head - 12
    assert short["events"] == visible(game.id, viewer, head - 12)
