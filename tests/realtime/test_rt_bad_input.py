"""Bad input through the socket that used to get through or break things: a stray second
argument, lone surrogates, look-alike names."""

from __future__ import annotations

import logging

import pytest

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
