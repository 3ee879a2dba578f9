"""Command shapes and who may send what: every refusal comes back as a code a client can act on."""

from __future__ import annotations

import pytest

from app.engine import OBSERVER, Actor, CommandError, parse_command
from app.engine.commands import COMMANDS
from tests.engine.conftest import FAC, play, seat


def refusal(fn, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError) as caught:
        fn(*args, **kwargs)
    return caught.value.code


# --- parse_command ---------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [None, [], "session.start", 7, {"type": "session.start"}])
def test_a_command_without_an_object_or_id_is_a_bad_command(raw):
    """Is anything that is not an object with an id refused as bad_command?"""
    assert refusal(parse_command, raw) == "bad_command"


@pytest.mark.parametrize("command_id", ["", " x", "a" * 81, "a b", 12, "é"])
def test_an_unusable_id_is_a_bad_command(command_id):
    """Is an id that is empty, too long, or not letters/digits/.-_: refused as bad_command?"""
    assert refusal(parse_command, {"id": command_id, "type": "session.start"}) == "bad_command"


def test_a_missing_type_is_a_bad_command():
    """Is a command without a type refused as bad_command?"""
    assert refusal(parse_command, {"id": "c1"}) == "bad_command"


def test_an_unknown_type_is_an_unknown_command():
    """Is a type outside the catalogue refused as unknown_command?"""
    assert refusal(parse_command, {"id": "c1", "type": "session.explode"}) == "unknown_command"


def test_a_missing_required_field_is_named():
    """Does a command without a required field say which field is missing?"""
    with pytest.raises(CommandError) as caught:
        parse_command({"id": "c1", "type": "message.post", "channel": "plenary"})
    assert caught.value.code == "missing_field"
    assert "'text'" in caught.value.message


def test_a_blank_text_counts_as_missing():
    """Is a text of spaces and control characters treated as missing?"""
    raw = {"id": "c1", "type": "message.post", "channel": "plenary", "text": " \x00\t "}
    assert refusal(parse_command, raw) == "missing_field"


@pytest.mark.parametrize(
    "fields",
    [
        {"type": "message.post", "channel": "plenary", "text": 5},
        {"type": "message.post", "channel": "no spaces", "text": "hi"},
        {"type": "lobby.lock", "locked": "yes"},
        {"type": "seat.remove", "player_id": True},
        {"type": "seat.remove", "player_id": 0},
        {"type": "seat.move", "player_id": 1, "delegation": "jpn"},
        {"type": "deadline.extend", "inject_id": "x", "minutes": 61},
        {"type": "proposal.table", "text": "t", "options": "opt-a"},
        {"type": "proposal.table", "text": "t", "options": ["a", "a"]},
        {"type": "proposal.table", "text": "t", "options": [f"o{i}" for i in range(13)]},
        {"type": "inject.write", "title": "t", "body": "b", "audience": []},
        {"type": "inject.write", "title": "t", "body": "b", "audience": "JPN"},
        {"type": "inject.write", "title": "t", "body": "b", "audience": "all", "options": "x"},
    ],
)
def test_a_field_of_the_wrong_type_or_range_is_a_bad_field(fields):
    """Is a field of the wrong type, or out of its range, refused as bad_field?"""
    assert refusal(parse_command, {"id": "c1", **fields}) == "bad_field"


@pytest.mark.parametrize(
    ("kind", "name", "limit"),
    [("message.post", "text", 4000), ("proposal.reject", "reason", 1000)],
)
def test_a_text_over_its_limit_is_too_large(kind, name, limit):
    """Is a text one character over its limit refused as too_large, and one at it accepted?"""
    base = {"id": "c1", "type": kind, "channel": "plenary", "proposal_id": 1, "version": 1}
    assert parse_command(base | {name: "x" * limit})[2][name] == "x" * limit
    assert refusal(parse_command, base | {name: "x" * (limit + 1)}) == "too_large"


def test_texts_are_trimmed_and_control_characters_dropped():
    """Are texts stored trimmed and without control characters (but with newlines)?"""
    raw = {"id": "c1", "type": "message.post", "channel": "plenary", "text": "  a\x07b\nc  "}
    assert parse_command(raw)[2]["text"] == "a" + "b\nc"


def test_unknown_extra_fields_are_ignored():
    """Does a command keep only the fields its type declares?"""
    raw = {"id": "c1", "type": "session.start", "evil": "<script>"}
    assert parse_command(raw) == ("c1", "session.start", {})


def test_every_command_in_the_protocol_is_in_the_catalogue():
    """Does the engine know every command type the protocol page lists?"""
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text()
    for kind in COMMANDS:
        assert f"`{kind}`" in doc, kind


# --- who may send what -----------------------------------------------------------------------


FACILITATOR_ONLY = [
    ("session.start", {}),
    ("session.pause", {}),
    ("session.end", {}),
    ("lobby.lock", {"locked": True}),
    ("seat.remove", {"player_id": 100}),
    ("delegation.set_automatic", {"delegation": "USA", "automatic": True}),
    ("inject.fire", {"inject_id": "nk-23-missiles"}),
    ("inject.hold", {"inject_id": "nk-23-missiles"}),
    ("inject.write", {"title": "t", "body": "b", "audience": "all"}),
    ("deadline.close", {"inject_id": "nk-23-missiles"}),
    ("indicator.override", {"indicator": "cohesion", "value": 50, "ruling": "r"}),
]


@pytest.mark.parametrize(("kind", "fields"), FACILITATOR_ONLY)
def test_facilitator_commands_refuse_players(state, leads, kind, fields):
    """Is a facilitator command from a player refused as not_facilitator?"""
    assert refusal(play, state, leads["JPN"], kind, **fields) == "not_facilitator"


def test_player_commands_refuse_facilitators(running):
    """Is a player command from a facilitator refused as not_player?"""
    fields = {"inject_id": None, "text": "Joint text", "options": []}
    assert refusal(play, running, FAC, "proposal.table", **fields) == "not_player"


def test_observers_cannot_write(running):
    """Is a message from an observer refused as not_player?"""
    observer = Actor(OBSERVER.kind, None, "Observer")
    assert refusal(play, running, observer, "message.post", channel="plenary", text="hi") == (
        "not_player"
    )


def test_a_removed_player_can_no_longer_act(running, leads):
    """Does a player removed by the facilitator lose the right to post?"""
    play(running, FAC, "seat.remove", player_id=leads["KOR"].id)
    post = {"channel": "plenary", "text": "still here?"}
    assert refusal(play, running, leads["KOR"], "message.post", **post) == "not_player"


def test_only_the_lead_endorses(running, leads, fired):
    """Is an endorsement by a delegation member who does not lead refused as not_lead?"""
    fired("nk-23-missiles")
    member = seat(running, "Ren")
    assert member.delegation == "JPN" and running.leads["JPN"] != member.id
    play(running, leads["JPN"], "proposal.table", inject_id="nk-23-missiles", text="t", options=[])
    assert refusal(play, running, member, "proposal.endorse", proposal_id=1, version=1) == (
        "not_lead"
    )


def test_statements_are_for_leads_only(running, fired):
    """Is a statement by a delegation member who does not lead refused as not_lead?"""
    fired("nk-23-missiles")
    member = seat(running, "Ren")
    fields = {"inject_id": "nk-23-missiles", "text": "We condemn.", "options": []}
    assert refusal(play, running, member, "statement.issue", **fields) == "not_lead"


def test_posting_in_another_delegations_channel_is_refused(running, leads):
    """Can a Japanese player write in Korea's room or the KOR-USA bilateral? (no)"""
    for channel in ("KOR", "KOR-USA", "white-KOR"):
        post = {"channel": channel, "text": "hello"}
        assert refusal(play, running, leads["JPN"], "message.post", **post) == (
            "not_your_delegation"
        )


def test_an_unknown_channel_is_not_found(running, leads):
    """Is a message to a channel that does not exist refused as not_found?"""
    post = {"channel": "JPN-CHN", "text": "hello"}
    assert refusal(play, running, leads["JPN"], "message.post", **post) == "not_found"


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("inject.fire", {"inject_id": "no-such-inject"}),
        ("inject.hold", {"inject_id": "no-such-inject"}),
        ("seat.remove", {"player_id": 999}),
        ("seat.move", {"player_id": 100, "delegation": "CHN"}),
        ("seat.set_lead", {"delegation": "CHN", "player_id": 100}),
        ("delegation.set_automatic", {"delegation": "CHN", "automatic": True}),
        ("indicator.override", {"indicator": "morale", "value": 1, "ruling": "r"}),
        ("inject.write", {"title": "t", "body": "b", "audience": ["CHN"]}),
    ],
)
def test_unknown_things_are_not_found(running, kind, fields):
    """Is a command about an inject, player, delegation or indicator that does not exist
    refused as not_found?"""
    assert refusal(play, running, FAC, kind, **fields) == "not_found"


def test_nothing_is_accepted_after_the_end(running, leads):
    """After session.end, is every command, from anyone, refused as session_ended?"""
    play(running, FAC, "session.end")
    assert refusal(play, running, FAC, "session.start") == "session_ended"
    assert refusal(play, running, FAC, "inject.fire", inject_id="nk-23-missiles") == (
        "session_ended"
    )
    post = {"channel": "plenary", "text": "hello?"}
    assert refusal(play, running, leads["USA"], "message.post", **post) == "session_ended"
    assert refusal(play, running, FAC, "session.end") == "session_ended"
