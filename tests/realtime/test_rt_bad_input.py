"""Bad input through the socket that used to get through or break things: a stray second
argument, packets that cannot be decoded, lone surrogates, look-alike names."""

from __future__ import annotations

import logging

import pytest

from app.extensions import socketio
from tests.conftest import events_of
from tests.realtime.conftest import row_count


def test_a_stray_second_argument_is_a_bad_command(table, caplog):
    """Is a command sent with a second Socket.IO argument answered bad_command (not
    server_error, which tells clients to re-send forever), with no traceback in the log?"""
    rows = row_count(table.game.id)
    command = {"id": "c1", "type": "message.post", "channel": "plenary", "text": "Hi"}
    with caplog.at_level(logging.DEBUG):
        ack = table.players["JPN"].emit("command", command, "stray", callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "bad_command"
    assert row_count(table.game.id) == rows
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert table.players["JPN"].emit("command", command, callback=True)["ok"]


def test_a_history_request_with_a_stray_second_argument_is_a_bad_command(table, caplog):
    """Is `history` sent with a second argument answered bad_command (it was a server_error
    and a traceback), and the well-formed request still answered?"""
    client = table.players["JPN"]
    with caplog.at_level(logging.DEBUG):
        ack = client.emit("history", {"before_seq": 5}, "stray", callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "bad_command"
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert client.emit("history", {"before_seq": 5}, callback=True)["ok"] is True


NESTED = '{"a":' * 5000 + "1" + "}" * 5000


@pytest.mark.parametrize(
    "arguments",
    [f'"command",{{"id":"c1","type":"message.post","extra":{NESTED}}}', '"command",{"id":'],
    ids=["nested 5,000 deep", "cut short"],
)
def test_a_command_that_cannot_be_decoded_is_a_bad_command(table, caplog, arguments):
    """Is a command nested too deeply to parse (or not JSON at all) answered bad_command, as
    it arrives from the wire, with one log line and no traceback (it used to get no answer and
    leave a RecursionError traceback in the log)?"""
    rows = row_count(table.game.id)
    client = table.players["JPN"]
    with caplog.at_level(logging.DEBUG):
        # What Engine.IO hands over for `emit("command", ..., callback)`: "2", ack id, JSON.
        socketio.server.eio.handlers["message"](client.eio_sid, f"27[{arguments}]").join()
    assert client.acks["args"][0]["ok"] is False
    assert client.acks["args"][0]["error"]["code"] == "bad_command"
    assert row_count(table.game.id) == rows
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == [
        f"unreadable Socket.IO packet from {client.eio_sid}: "
        + ("RecursionError" if "extra" in arguments else "JSONDecodeError")
    ]
    ack = table.as_("JPN", "message.post", channel="plenary", text="still here")
    assert ack["ok"], ack


@pytest.mark.parametrize("text", ["\ud800x", "x\udfffy"])
def test_a_lone_surrogate_is_refused_and_nothing_is_stored(table, text):
    """Is a message with a lone surrogate refused as bad_field, with no row written and
    nothing sent to anyone?"""
    rows = row_count(table.game.id)
    ack = table.as_("JPN", "message.post", channel="plenary", text=text)
    assert ack["error"]["code"] == "bad_field"
    assert row_count(table.game.id) == rows
    assert events_of(table.players["KOR"]) == []


def test_a_lone_surrogate_name_is_refused_on_join(game, join):
    """Is a name with a lone surrogate refused by POST /api/join (400 bad_field, as any body
    that is not Unicode), not a 500, with nobody seated?"""
    answer = join(game.join_code, "Ai\ud800ko")
    assert answer["status"] == 400 and answer["error"]["code"] == "bad_field"
    assert join(game.join_code, "Aiko")["player"]["id"] == 1


@pytest.mark.parametrize("name", ["Ai\u200bko", "Aiko\u202e", "\uff21\uff49\uff4b\uff4f"])
def test_a_look_alike_name_is_numbered_on_join(game, join, name):
    """Is a look-alike of a seated "Aiko" seated under a numbered name, so the roster never
    shows two names that read the same?"""
    assert join(game.join_code, "Aiko")["ok"]
    seated = join(game.join_code, name)["player"]["name"]
    assert seated.endswith(" (2)")
    assert "\u200b" not in seated and "\u202e" not in seated
