"""Two server processes on one PostgreSQL database, Redis carrying Socket.IO between them: both
schedulers race to fire the same injects, and each is still recorded and delivered once."""

from __future__ import annotations

import random
import secrets
import time
from collections import Counter

from tests.live.harness import LiveServer, snapshot
from tests.live.test_live_audiences import scenario_injects

TICK = 0.2


def opening_injects(move: str) -> list[str]:
    """The injects the scheduler fires the moment `move` begins."""
    return [
        i["id"]
        for i in scenario_injects()
        if i["move"] == move and i["trigger"] == "scheduled" and i["offset_minutes"] == 0
    ]


def fired_ids(events: list[dict]) -> Counter:
    return Counter(e["data"]["inject"]["id"] for e in events if e["type"] == "inject_fired")


def spread_session_ids(database_url: str) -> None:
    # Room names hold the session id, and every deployment on one Redis shares its pub/sub
    # channel: a fresh database would start at session 1 like any other test run's, so start
    # somewhere unlikely to be in use.
    import psycopg2

    dsn = database_url.replace("postgresql+psycopg2://", "postgresql://")
    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('sessions', 'id'), %s)",
            (random.randint(10**6, 10**9),),
        )
    connection.close()


def test_two_processes_fire_each_scheduled_inject_once(
    start_server, make_seminar, open_client, postgres_url, redis_url
):
    """On two processes (PostgreSQL + Redis), is each opening inject logged and heard once?"""
    settings = {
        "DATABASE_URL": postgres_url,
        "SOCKETIO_MESSAGE_QUEUE": redis_url,
        "SECRET_KEY": secrets.token_hex(32),
        "TICK_SECONDS": str(TICK),
    }
    a = start_server(**settings)  # started one after the other: each migrates at boot
    spread_session_ids(postgres_url)
    b: LiveServer = start_server(**settings)
    token = a.create_facilitator("Prof. Suzuki")

    seminar = make_seminar(a, token, players=3)  # everyone on A...
    seminar.fac.disconnect()
    fac_b = open_client(token, seminar.id, url=b.url, name="White Cell on B")  # ...but White Cell
    player = seminar.lead("KOR")

    assert fac_b.send("session.start")["ok"]
    for inject_id in opening_injects("move-1"):
        player.wait_event("inject_fired", lambda e, i=inject_id: e["data"]["inject"]["id"] == i)
    assert fac_b.send("session.next_move")["ok"]
    expected = opening_injects("move-1") + opening_injects("move-2")
    for inject_id in opening_injects("move-2"):
        player.wait_event("inject_fired", lambda e, i=inject_id: e["data"]["inject"]["id"] == i)
    # A duplicate could only come from a later tick of either process: watch ten of them.
    time.sleep(10 * TICK)
    ack = fac_b.send("message.post", channel="plenary", text="end of the watch")
    player.wait_seq(ack["seq"])

    history = seminar.history()
    assert [e["seq"] for e in history] == list(range(1, len(history) + 1))  # gapless
    assert {i: fired_ids(history)[i] for i in expected} == {i: 1 for i in expected}
    heard = player.received()
    assert len({e["seq"] for e in heard}) == len(heard)
    assert {i: fired_ids(heard)[i] for i in expected} == {i: 1 for i in expected}
    for seat in seminar.seats:  # players on A hear the White Cell on B through Redis
        seat.client.wait_seq(ack["seq"])
    assert a.alive() and b.alive()


def test_a_class_joining_through_two_processes_at_once_is_seated(
    start_server, postgres_url, redis_url
):
    """Forty students join one session at the same moment, half through each process: is every
    join answered with a seat (none refused as "too busy"), and is the log gapless?"""
    from concurrent.futures import ThreadPoolExecutor

    import requests

    settings = {
        "DATABASE_URL": postgres_url,
        "SOCKETIO_MESSAGE_QUEUE": redis_url,
        "SECRET_KEY": secrets.token_hex(32),
    }
    a = start_server(timeout=120, **settings)
    spread_session_ids(postgres_url)
    b = start_server(timeout=120, **settings)
    token = a.create_facilitator("Prof. Lee")
    session = a.post("/api/sessions", {"scenario": "trilateral-2023"}, token)["session"]

    def join(n: int) -> dict:
        server = (a, b)[n % 2]
        body = {"code": session["join_code"], "name": f"Student {n}"}
        return requests.post(server.url + "/api/join", json=body, timeout=60).json()

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(join, range(40)))
    assert all(answer.get("ok") for answer in answers), [a for a in answers if not a.get("ok")]
    assert len({answer["player"]["id"] for answer in answers}) == 40
    history = snapshot(b.url, token, session["id"])["events"]
    assert [e["seq"] for e in history] == list(range(1, len(history) + 1))  # gapless
    assert sum(e["type"] == "player_joined" for e in history) == 40
