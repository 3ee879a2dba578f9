"""The deployment of deploy/: nginx (Debian package, the local variant of
deploy/nginx/crisis-sim.conf) in front of two server processes on PostgreSQL and Redis. One
process is killed while players post: its clients reconnect through nginx to the other one and
resync, nothing acknowledged is lost, scheduled injects fire once, and every client's browser
model (static/js/lib/model.js, run in Node) ends in the state a fresh sync gives."""

from __future__ import annotations

import json
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psutil
import pytest
import requests

from tests.live.harness import LiveClient, LiveServer, free_port, wait_until
from tests.live.test_live_resync import Chatter
from tests.live.test_live_scale_out import fired_ids, opening_injects, spread_session_ids

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

pytestmark = [
    pytest.mark.skipif(NGINX is None, reason="needs nginx (make nginx)"),
    pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js"),
]


@pytest.fixture
def nginx(tmp_path: Path) -> Any:
    """Start nginx in front of the given ports; returns its URL. Stopped after the test."""
    started: list[subprocess.Popen[bytes]] = []

    def start(ports: list[int]) -> str:
        sys.path.insert(0, str(ROOT / "deploy"))
        from local_nginx import render

        prefix = tmp_path / "nginx"
        prefix.mkdir()
        listen = free_port()
        (prefix / "nginx.conf").write_text(render(ports, listen, prefix))
        with (prefix / "stderr.log").open("wb") as stderr:
            process = subprocess.Popen(
                [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        started.append(process)
        url = f"http://127.0.0.1:{listen}"

        def answers() -> bool:
            assert process.poll() is None, (prefix / "stderr.log").read_text()
            try:
                return requests.get(url + "/", timeout=2).status_code < 500
            except requests.RequestException:
                return False

        wait_until(answers, what="nginx to answer")
        return url

    yield start
    for process in started:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def held_connections(server: LiveServer) -> int:
    """TCP connections the process holds on its port (nginx's, one per client)."""
    return sum(
        1
        for c in psutil.Process(server.pid).net_connections("tcp")
        if c.laddr and c.laddr.port == server.port and c.status == psutil.CONN_ESTABLISHED
    )


def browser_state(client: LiveClient, tmp_path: Path) -> dict[str, Any]:
    """The browser model's state after the client's last sync and the live events after it."""
    model = tmp_path / "model.mjs"
    shutil.copy(ROOT / "static" / "js" / "lib" / "model.js", model)
    with client._cond:
        sync, events = client.syncs[-1], list(client.events)
    payload = {
        "model": model.as_uri(),
        "sync": sync,
        "events": events,
        "orders": [list(range(len(events)))],
    }
    done = subprocess.run(
        ["node", str(ROOT / "tests" / "realtime" / "model_fold.mjs")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)[0]


def test_a_killed_process_behind_nginx_loses_nothing(
    tmp_path, start_server, open_client, postgres_url, redis_url, nginx
):
    """Two processes behind nginx; one is SIGKILLed while players post. Do its clients come
    back through nginx, is every acknowledged message kept, is each opening inject fired once,
    and does every client's model equal a fresh sync?"""
    from tests.realtime.test_rt_event_order import normalised

    settings = {
        "DATABASE_URL": postgres_url,
        "SOCKETIO_MESSAGE_QUEUE": redis_url,
        "SECRET_KEY": secrets.token_hex(32),
        "TICK_SECONDS": "0.2",
        "PROXY_FIX": "1",
    }
    a = start_server(timeout=120, **settings)  # PostgreSQL + Redis start slowly on a busy machine
    spread_session_ids(postgres_url)
    b = start_server(timeout=120, **settings)
    url = nginx([a.port, b.port])
    token = a.create_facilitator("Prof. Mori")
    session = a.post("/api/sessions", {"scenario": "trilateral-2023", "title": "Cluster"}, token)
    session = session["session"]
    fac = open_client(token, session["id"], url=url, name="White Cell")
    seats = []
    for n, name in enumerate(["Aiko", "Min-jun", "Sam", "Haruto", "Ji-woo", "Alex"]):
        answer = requests.post(
            url + "/api/join", json={"code": session["join_code"], "name": name}, timeout=10
        ).json()
        transport = "websocket" if n % 2 == 0 else "polling"
        seats.append(
            (answer, open_client(answer["token"], url=url, transport=transport, name=name))
        )
    clients = [fac, *(client for _answer, client in seats)]
    assert fac.send("session.start")["ok"]
    leads = {}
    for answer, client in seats:
        leads.setdefault(answer["player"]["delegation"], client)
    chatters = [Chatter(leads["JPN"], "plenary"), Chatter(leads["KOR"], "KOR")]
    wait_until(lambda: all(len(c.acked) >= 5 for c in chatters), what="some acked messages")

    victim = max((a, b), key=held_connections)
    survivor = b if victim is a else a
    assert held_connections(victim) > 0
    syncs_before = {c.name: len(c.syncs) for c in clients}
    victim.kill()  # SIGKILL under load
    wait_until(
        lambda: sum(len(c.syncs) > syncs_before[c.name] for c in clients) > 0,
        what="the killed process's clients to resync through nginx",
    )
    wait_until(lambda: all(c.sio.connected for c in clients), what="every client connected")
    for chatter in chatters:  # a chatter whose call was cut by the kill has stopped
        chatter.join()
    again = [Chatter(leads["JPN"], "plenary"), Chatter(leads["KOR"], "KOR")]
    wait_until(lambda: all(len(c.acked) >= 5 for c in again), what="posting to go on")
    for chatter in again:
        chatter.join()
    chatters += again
    # Everyone is on the survivor now: the victim is gone, and each websocket client holds its
    # one lasting connection there (a polling client's connections come and go between polls;
    # those clients show they are served by receiving the last event below).
    assert not victim.alive()
    websockets = sum(1 for c in clients if c.transport == "websocket")
    wait_until(lambda: held_connections(survivor) >= websockets, what="websockets on the survivor")

    # The scheduler (now on the survivor only) fires the next move's opening injects once.
    assert fac.send("session.next_move")["ok"]
    for inject_id in opening_injects("move-2"):
        fac.wait_event("inject_fired", lambda e, i=inject_id: e["data"]["inject"]["id"] == i)
    time.sleep(10 * 0.2)  # ten more ticks in which a duplicate could appear
    last = fac.send("message.post", channel="plenary", text="end of the watch")
    for client in clients:
        client.wait_seq(last["seq"])

    history = {e["seq"]: e for e in open_client(token, session["id"], url=url).syncs[-1]["events"]}
    assert sorted(history) == list(range(1, len(history) + 1))  # gapless
    acked = [item for chatter in chatters for item in chatter.acked]
    for seq, text in acked:
        assert history[seq]["data"]["text"] == text  # nothing acknowledged was lost
    texts = Counter(
        e["data"].get("text") for e in history.values() if e["type"] == "message_posted"
    )
    assert all(texts[text] == 1 for _seq, text in acked)  # nor doubled
    expected = opening_injects("move-1") + opening_injects("move-2")
    assert {i: fired_ids(list(history.values()))[i] for i in expected} == dict.fromkeys(expected, 1)

    for client in clients:
        fresh = open_client(client.token, client.session_id, url=url, name="fresh")
        assert normalised(browser_state(client, tmp_path)) == normalised(fresh.syncs[-1]["state"])
