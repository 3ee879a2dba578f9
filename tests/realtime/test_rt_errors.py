"""Bad input through the socket: structured errors, nothing recorded, nothing done twice."""

from __future__ import annotations

import pytest

from tests.conftest import events_of
from tests.realtime.conftest import event_rows, row_count


def emit(client, payload):  # type: ignore[no-untyped-def]
    return client.emit("command", payload, callback=True)


def test_a_resent_command_is_answered_not_redone(table):
    """Does re-sending a command with the same id return the first answer and store one row?"""
    command = {"id": "post-1", "type": "message.post", "channel": "plenary", "text": "Once"}
    first = emit(table.players["JPN"], command)
    rows = row_count(table.game.id)
    again = emit(table.players["JPN"], command)
    assert first["ok"] and again["ok"]
    assert again["seq"] == first["seq"] and again.get("duplicate") is True
    assert row_count(table.game.id) == rows
    assert len(event_rows(table.game.id, "message_posted")) == 1
    assert len(events_of(table.players["KOR"], "message_posted")) == 1


def test_the_same_id_from_two_players_is_two_commands(table):
    """Are command ids per sender, so two players may both use id "1"?"""
    command = {"id": "1", "type": "message.post", "channel": "plenary", "text": "Hi"}
    assert emit(table.players["JPN"], command)["ok"]
    second = emit(table.players["KOR"], command)
    assert second["ok"] and "duplicate" not in second
    assert len(event_rows(table.game.id, "message_posted")) == 2


def test_a_resent_refused_command_is_refused_again(table):
    """Is a command that was refused not remembered, so sending it later can succeed?"""
    command = {"id": "start-1", "type": "inject.fire", "inject_id": "nk-23-missiles"}
    assert emit(table.fac, command)["error"]["code"] == "wrong_state"
    assert table.fac_send("session.start")["ok"]
    assert emit(table.fac, command)["ok"]


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (None, "bad_command"),
        ("message.post", "bad_command"),
        (["message.post"], "bad_command"),
        (42, "bad_command"),
        ({"type": "message.post", "channel": "plenary", "text": "x"}, "bad_command"),
        ({"id": "", "type": "session.start"}, "bad_command"),
        ({"id": "c 1", "type": "session.start"}, "bad_command"),
        ({"id": "c1"}, "bad_command"),
        ({"id": "c1", "type": "session.explode"}, "unknown_command"),
        ({"id": "c1", "type": "message.post", "channel": "plenary"}, "missing_field"),
        ({"id": "c1", "type": "message.post", "channel": "plenary", "text": "  "}, "missing_field"),
        ({"id": "c1", "type": "message.post", "channel": ["plenary"], "text": "x"}, "bad_field"),
        ({"id": "c1", "type": "proposal.endorse", "proposal_id": "1", "version": 1}, "bad_field"),
        (
            {"id": "c1", "type": "message.post", "channel": "plenary", "text": "x" * 4001},
            "too_large",
        ),
    ],
)
def test_malformed_commands_get_structured_errors_and_change_nothing(table, payload, code):
    """Is each malformed command answered {ok: false, error: {code, message}} with no row
    written and nothing sent to anyone?"""
    rows = row_count(table.game.id)
    ack = emit(table.players["USA"], payload)
    assert ack["ok"] is False
    assert ack["error"]["code"] == code
    assert isinstance(ack["error"]["message"], str) and ack["error"]["message"]
    assert "Traceback" not in ack["error"]["message"]
    assert row_count(table.game.id) == rows
    assert events_of(table.players["JPN"]) == []


def test_an_oversize_command_is_too_large(table):
    """Is a command over 64 KiB refused as too_large, with nothing recorded?"""
    rows = row_count(table.game.id)
    payload = {"id": "big", "type": "message.post", "channel": "plenary", "text": "x" * 70_000}
    ack = emit(table.players["JPN"], payload)
    assert ack == {"ok": False, "error": ack["error"]} and ack["error"]["code"] == "too_large"
    assert row_count(table.game.id) == rows


def test_padding_outside_the_fields_still_counts_towards_the_limit(table):
    """Is a command carrying 70 KB in a field it does not use also refused as too_large?"""
    payload = {"id": "pad", "type": "session.start", "padding": "x" * 70_000}
    assert emit(table.fac, payload)["error"]["code"] == "too_large"
    assert table.fac_send("session.start")["ok"]


def test_refusals_by_the_rules_change_nothing(table):
    """Is a command the rules refuse (not_lead, not_your_delegation, not_facilitator, ...)
    answered with its code and no row written?"""
    rows = row_count(table.game.id)
    refusals = [
        (table.players["JPN"], {"type": "session.start"}, "not_facilitator"),
        (table.fac, {"type": "proposal.withdraw", "proposal_id": 1}, "not_player"),
        (table.players["JPN"], {"type": "message.post", "channel": "KOR", "text": "x"}, None),
        (table.fac, {"type": "inject.hold", "inject_id": "no-such"}, "not_found"),
        (table.fac, {"type": "session.next_move"}, "wrong_state"),
    ]
    for n, (client, command, code) in enumerate(refusals):
        ack = emit(client, {"id": f"r{n}", **command})
        assert ack["ok"] is False
        assert ack["error"]["code"] == (code or "not_your_delegation")
    assert row_count(table.game.id) == rows


def test_a_command_after_the_end_is_session_ended(table):
    """After the facilitator ends the session, is a player's message refused as
    session_ended?"""
    assert table.fac_send("session.end")["ok"]
    rows = row_count(table.game.id)
    ack = table.as_("KOR", "message.post", channel="plenary", text="Hello?")
    assert ack["error"]["code"] == "session_ended"
    assert row_count(table.game.id) == rows


def test_markup_is_stored_and_sent_as_given(table):
    """Is a message with markup stored and delivered exactly as typed (clients render text)?"""
    text = '<img src=x onerror="alert(1)"> & <b>bold</b>'
    assert table.as_("JPN", "message.post", channel="plenary", text=text)["ok"]
    [heard] = events_of(table.players["USA"], "message_posted")
    assert heard["data"]["text"] == text


def test_a_command_is_measured_as_compact_utf8_json(table):
    """Is a command's size its compact UTF-8 JSON, as a client counts it: 30,000 'é' of padding
    (60,000 bytes; 180,000 as \\u escapes) pass the size check, and 33,000 (66,000) do not?"""
    under = {"id": "pad-1", "type": "session.start", "padding": "é" * 30_000}
    assert emit(table.fac, under)["ok"]
    over = {"id": "pad-2", "type": "session.pause", "padding": "é" * 33_000}
    ack = emit(table.fac, over)
    assert ack["error"]["code"] == "too_large" and "65536" in ack["error"]["message"]
