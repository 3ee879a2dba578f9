"""Bad input over real sockets: every malformed or forbidden command gets a structured error and
records nothing; a re-sent command id is answered once."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
import socketio

from tests.live.conftest import Seminar
from tests.live.harness import LiveClient
from tests.live.test_live_audiences import scenario_injects, started

OPENING = [
    i["id"]
    for i in scenario_injects()
    if i["move"] == "move-1" and i["trigger"] == "scheduled" and i["offset_minutes"] == 0
]


def running(seminar: Seminar) -> None:
    """Start, and let the scheduler fire the opening injects, so the log then stands still."""
    started(seminar)
    for inject_id in OPENING:
        seminar.fac.wait_event(
            "inject_fired", lambda e, i=inject_id: e["data"]["inject"]["id"] == i
        )


def cid() -> str:
    return uuid.uuid4().hex


def post(**fields: Any) -> dict[str, Any]:
    return {"id": cid(), "type": "message.post", "channel": "plenary", "text": "hello"} | fields


def table_proposal(seminar: Seminar) -> int:
    ack = seminar.lead("JPN").send(
        "proposal.table", inject_id=OPENING[0], text="A joint line", options=[]
    )
    assert ack["ok"], ack
    return 1


def observer(seminar: Seminar) -> LiveClient:
    answer = seminar.server.post("/api/observe", {"code": seminar.session["observer_code"]})
    return seminar.open_client(answer["token"], name="observer")


def ended(seminar: Seminar) -> LiveClient:
    assert seminar.fac.send("session.end")["ok"]
    return seminar.lead("USA")


JPN_LEAD: Callable[[Seminar], LiveClient] = lambda s: s.lead("JPN")  # noqa: E731

# (case, who sends it, what to set up first, payload, expected error code)
CASES = [
    ("unknown type", JPN_LEAD, None, post(type="message.shout"), "unknown_command"),
    ("missing field", JPN_LEAD, None, post(text=None), "missing_field"),
    ("mistyped field", JPN_LEAD, None, post(text=42), "bad_field"),
    ("mistyped channel", JPN_LEAD, None, post(channel=["plenary"]), "bad_field"),
    ("oversized text", JPN_LEAD, None, post(text="x" * 4001), "too_large"),
    ("not a dict", JPN_LEAD, None, "message.post plenary hello", "bad_command"),
    ("a list", JPN_LEAD, None, [post()], "bad_command"),
    ("no id", JPN_LEAD, None, post(id=None), "bad_command"),
    ("another delegation's channel", JPN_LEAD, None, post(channel="KOR"), "not_your_delegation"),
    ("another bilateral", JPN_LEAD, None, post(channel="KOR-USA"), "not_your_delegation"),
    ("another White Cell line", JPN_LEAD, None, post(channel="white-KOR"), "not_your_delegation"),
    (
        "endorsing without leading",
        lambda s: s.of("JPN")[1].client,
        table_proposal,
        {"id": cid(), "type": "proposal.endorse", "proposal_id": 1, "version": 1},
        "not_lead",
    ),
    (
        "a facilitator's command",
        JPN_LEAD,
        None,
        {"id": cid(), "type": "inject.fire", "inject_id": "nk-23-missiles"},
        "not_facilitator",
    ),
    ("an observer", observer, None, post(), "not_player"),
    ("after the end", lambda s: s.lead("USA"), ended, post(), "session_ended"),
]


@pytest.mark.parametrize(
    ("who", "setup", "payload", "code"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_bad_command_gets_a_structured_error_and_changes_nothing(
    seminar, who, setup, payload, code
):
    """Is a malformed or forbidden command answered {ok: false, error} with nothing recorded?"""
    running(seminar)
    if setup is not None:
        setup(seminar)
    client = who(seminar)
    before = seminar.head_seq()
    ack = client.call(payload)
    assert ack["ok"] is False
    assert ack["error"]["code"] == code
    assert isinstance(ack["error"]["message"], str) and ack["error"]["message"]
    assert seminar.head_seq() == before


@pytest.mark.parametrize("transport", ["websocket", "polling"])
@pytest.mark.parametrize(("words", "answered"), [(20_000, True), (40_000, False)])
def test_an_over_64_kib_command_is_refused_and_the_server_carries_on(
    seminar, transport, words, answered
):
    """Is an over-64-KiB command (~80 KB) answered `too_large`, one over twice that (~160 KB)
    cut by the transport (dropped link, no answer), both unrecorded and harmless to others?"""
    running(seminar)
    seat = seminar.of("KOR")[0]
    client = seminar.open_client(seat.token, transport=transport, name="big")
    before = seminar.head_seq()
    payload = post(text="big " * words)  # over the text limit and the payload limit
    acks: list[dict] = []
    client.sio.emit("command", payload, callback=acks.append)
    client.wait(lambda: acks or client.drops, "an answer or a dropped connection")
    if answered:
        assert acks and acks[0]["ok"] is False and acks[0]["error"]["code"] == "too_large"
    else:
        assert client.drops and not acks
    assert seminar.head_seq() == before
    ack = seminar.lead("USA").send("message.post", channel="plenary", text="still here")
    assert ack["ok"], ack
    seminar.lead("JPN").wait_seq(ack["seq"])


def test_a_bad_token_is_refused_with_a_code(seminar):
    """Is a connection with a bad token refused with a connect_error carrying {code, message}?"""
    client = LiveClient(seminar.server.url, "p.not-a-seat", name="stranger")
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect()
    client.disconnect()
    [error] = client.connect_errors  # the CONNECT_ERROR packet: {message, data: {code, message}}
    assert error["data"]["code"] == "bad_token"
    assert error["message"] and error["data"]["message"] == error["message"]


def test_a_facilitator_must_name_the_session(seminar):
    """Is a facilitator connecting without session_id refused with no_session?"""
    client = LiveClient(seminar.server.url, seminar.fac_token, name="lost")
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect()
    client.disconnect()
    assert [e["data"]["code"] for e in client.connect_errors] == ["no_session"]


def test_a_resent_command_is_recorded_once(seminar):
    """Does a re-sent command id get the first answer, marked duplicate, and record only once?"""
    running(seminar)
    seat = seminar.of("USA")[0]
    command = post(text=f"once {cid()}")
    first = seat.client.call(command)
    assert first["ok"] and not first.get("duplicate")
    again = seat.client.call(command)
    assert again == {"ok": True, "seq": first["seq"], "duplicate": True}
    other = seminar.open_client(seat.token, transport="polling", name="second tab")
    assert other.call(command) == again
    texts = [e["data"].get("text") for e in seminar.history()]
    assert texts.count(command["text"]) == 1
