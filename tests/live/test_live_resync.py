"""Reconnecting: a client that was away gets exactly what it missed, and a server killed with
SIGKILL comes back on the same database with every acknowledged action."""

from __future__ import annotations

import threading
import uuid

import pytest
import socketio

from tests.live.harness import LiveClient, wait_until
from tests.live.test_live_audiences import all_hear, private_inject, started


def seqs(events: list[dict]) -> list[int]:
    return [e["seq"] for e in events]


@pytest.mark.parametrize("away", [0, 1], ids=["lead-on-polling", "member-on-websocket"])
def test_a_returning_client_gets_exactly_what_it_missed(seminar, away):
    """Does a client reconnecting with its last_seq get every event it missed, in order, once?"""
    started(seminar)
    kor = seminar.of("KOR")
    gone, witness = kor[away].client, kor[1 - away].client  # same delegation: same view
    all_hear(seminar, [gone, witness])
    gone.sio.disconnect()
    wait_until(lambda: not gone.sio.connected, what="the client to disconnect")
    last_seq = gone.last_seq

    jpn, usa = seminar.lead("JPN"), seminar.lead("USA")
    acks = {
        "plenary": jpn.send("message.post", channel="plenary", text="while you were away"),
        "kor": witness.send("message.post", channel="KOR", text="our line"),
        "jpn-only": jpn.send("message.post", channel="JPN", text="Tokyo only"),
        "jpn-usa": usa.send("message.post", channel="JPN-USA", text="no Seoul here"),
        "kor-usa": usa.send("message.post", channel="KOR-USA", text="Seoul and Washington"),
        "kor-inject": seminar.fac.send("inject.fire", inject_id=private_inject("KOR")["id"]),
        "jpn-inject": seminar.fac.send("inject.fire", inject_id=private_inject("JPN")["id"]),
    }
    assert all(a["ok"] for a in acks.values()), acks
    all_hear(seminar, [witness])
    head = witness.last_seq

    syncs_before = len(gone.syncs)
    gone.connect()
    sync = gone.syncs[syncs_before]
    assert sync["from_seq"] == last_seq
    missed = [e for e in witness.received() if last_seq < e["seq"] <= head]
    # The scheduler may record more (a due inject) before the sync is built: compare up to the
    # marker here, and everything after it below.
    assert [s for s in seqs(sync["events"]) if s <= head] == seqs(missed)
    assert seqs(sync["events"]) == sorted(set(seqs(sync["events"])))
    for key in ("plenary", "kor", "kor-usa", "kor-inject"):
        assert acks[key]["seq"] in seqs(sync["events"]), key
    for key in ("jpn-only", "jpn-usa", "jpn-inject"):
        assert acks[key]["seq"] not in seqs(sync["events"]), key

    after = all_hear(seminar, [gone, witness])
    heard = seqs(gone.received())
    assert heard == sorted(set(heard))
    assert heard.count(after) == 1
    since = [s for s in heard if last_seq < s <= after]
    assert since == [s for s in seqs(witness.received()) if last_seq < s <= after]  # no gap


class Chatter:
    """A player posting to a channel as fast as acks come back, remembering what was acked."""

    def __init__(self, client: LiveClient, channel: str) -> None:
        self.client = client
        self.channel = channel
        self.acked: list[tuple[int, str]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            text = f"{self.channel} {uuid.uuid4().hex[:10]}"
            try:
                ack = self.client.call(
                    {
                        "id": uuid.uuid4().hex,
                        "type": "message.post",
                        "channel": self.channel,
                        "text": text,
                    },
                    timeout=2,
                )
            except (socketio.exceptions.SocketIOError, OSError):
                return  # the server went away mid-call: this one was never acknowledged
            if ack.get("ok"):
                self.acked.append((ack["seq"], text))
            elif ack["error"]["code"] == "rate_limited":
                # As a client should (docs/protocol.md): wait, or the server closes a connection
                # that keeps sending through its refusals.
                self.stop.wait(float(ack["error"].get("retry_after") or 0.2))

    def join(self) -> None:
        self.stop.set()
        self.thread.join(10)


def test_every_connection_records_events_in_seq_order(seminar):
    """Three players posting at once: does every connection, on polling or websocket, hear each
    event once and in seq order, as a browser's single thread would handle them?"""
    started(seminar)
    chatters = [Chatter(seminar.lead(code), "plenary") for code in ("JPN", "KOR", "USA")]
    wait_until(lambda: all(len(c.acked) >= 15 for c in chatters), what="a burst of messages")
    for chatter in chatters:
        chatter.join()
    clients = [seminar.fac, *(s.client for s in seminar.seats)]
    all_hear(seminar, clients)
    acked = {seq for chatter in chatters for seq, _ in chatter.acked}
    for client in clients:
        heard = seqs(client.received())
        assert heard == sorted(set(heard)), client.name
        assert acked <= set(heard), client.name


def test_a_killed_server_restarts_with_every_acknowledged_action(start_server, make_seminar):
    """After SIGKILL and a restart, is every acked action kept, and does each client resync?"""
    server = start_server()
    server.create_facilitator("Prof. Kim")
    seminar = make_seminar(server, server.fac_token, players=3)
    started(seminar)
    inject_ack = seminar.fac.send("inject.fire", inject_id="nk-23-missiles")
    assert inject_ack["ok"], inject_ack
    chatters = [Chatter(seminar.lead("JPN"), "plenary"), Chatter(seminar.lead("KOR"), "KOR")]
    wait_until(lambda: all(len(c.acked) >= 5 for c in chatters), what="some acked messages")

    server.kill()  # SIGKILL while both players are still posting
    for chatter in chatters:
        chatter.join()
    clients = [seminar.fac, *(s.client for s in seminar.seats)]
    wait_until(lambda: not any(c.sio.connected for c in clients), what="clients to notice")
    syncs_before = {c.name: len(c.syncs) for c in clients}
    last_seqs = {c.name: c.last_seq for c in clients}
    server.start()

    history = {e["seq"]: e for e in seminar.history()}
    acked = [item for chatter in chatters for item in chatter.acked]
    assert len(acked) >= 10
    for seq, text in acked:
        assert history[seq]["data"]["text"] == text
    assert history[inject_ack["seq"]]["data"]["inject"]["id"] == "nk-23-missiles"

    for client in clients:
        assert client.wait_resynced(syncs_before[client.name])["from_seq"] == last_seqs[client.name]
    after = all_hear(seminar, clients[1:])
    for seat in seminar.seats:
        heard = [s for s in seqs(seat.client.received()) if s <= after]
        assert heard == sorted(set(heard)), seat.player["name"]  # in order, no duplicate
        fresh = seminar.open_client(seat.token, name="fresh")
        assert heard == [s for s in seqs(fresh.syncs[-1]["events"]) if s <= after]  # no gap
