"""Text at the door: well-formed Unicode, NFC, no controls, something visible; look-alike names."""

from __future__ import annotations

import pytest

from app.engine import CommandError, join_drafts, parse_command
from app.engine.text import name_key
from tests.engine.conftest import seat


def post(text: object) -> dict:
    return {"id": "c1", "type": "message.post", "channel": "plenary", "text": text}


def refusal(raw: dict) -> str:
    with pytest.raises(CommandError) as caught:
        parse_command(raw)
    return caught.value.code


@pytest.mark.parametrize("text", ["\ud800x", "x\udfff", "a\udc00\ud800b"])
def test_a_lone_surrogate_is_a_bad_field(text):
    """Is a text holding a lone surrogate (not Unicode at all) refused as bad_field, naming the
    field, instead of being stored?"""
    with pytest.raises(CommandError) as caught:
        parse_command(post(text))
    assert caught.value.code == "bad_field"
    assert "'text'" in caught.value.message and "Unicode" in caught.value.message


@pytest.mark.parametrize(
    "field", [("inject.write", "title"), ("inject.write", "body"), ("proposal.reject", "reason")]
)
def test_every_text_field_checks_unicode(field):
    """Do titles, bodies and reasons go through the same check as messages?"""
    kind, name = field
    raw = {"id": "c1", "type": kind, "title": "t", "body": "b", "audience": "all"}
    raw |= {"proposal_id": 1, "version": 1, "reason": "r", name: "bad \ud83d"}
    assert refusal(raw) == "bad_field"


def test_an_option_text_checks_unicode():
    """Are the option texts of a written inject checked too?"""
    raw = {"id": "c1", "type": "inject.write", "title": "t", "body": "b", "audience": "all"}
    assert refusal(raw | {"options": ["ok", "\udfffbad"]}) == "bad_field"


def test_texts_are_stored_in_nfc():
    """Is "e + combining acute" stored as the one character "é"?"""
    assert parse_command(post("caf\u0065\u0301"))[2]["text"] == "caf\u00e9"


def test_crlf_becomes_a_newline_and_c1_controls_are_dropped():
    """Are CR LF and lone CR stored as newlines, and C1 controls dropped like C0 ones?"""
    assert parse_command(post("a\r\nb\rc\x85d\x9be\tf"))[2]["text"] == "a\nb\ncd" + "e\tf"


@pytest.mark.parametrize(
    "text", ["\u200b", "\u200b\u200c\u200d", "\u202e\u2066", "\ufeff \u2060", "\u3164\u115f"]
)
def test_a_text_of_invisible_characters_only_is_refused(text):
    """Is a message made only of zero-width, bidi or filler characters a bad_field?"""
    with pytest.raises(CommandError) as caught:
        parse_command(post(text))
    assert caught.value.code == "bad_field"
    assert "visible" in caught.value.message


def test_visible_text_keeps_its_joiners():
    """Does a real text keep its zero-width joiner (emoji sequences, Persian) and bidi marks?"""
    text = "\U0001f469\u200d\U0001f4bb \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    assert parse_command(post(text))[2]["text"] == text


def test_an_id_with_a_trailing_newline_is_refused():
    """Is an id like "c1\\n" refused (ids are letters, digits and . _ : - only)?"""
    assert refusal(post("x") | {"id": "c1\n"}) == "bad_command"


@pytest.mark.parametrize(
    ("name", "seated"),
    [
        ("Ai\u200bko", "Aiko (2)"),
        ("Aiko\u202e", "Aiko (2)"),
        ("\uff21\uff49\uff4b\uff4f", "\uff21\uff49\uff4b\uff4f (2)"),
        ("AIKO", "AIKO (2)"),
        ("\u2066Aiko\u2069", "Aiko (2)"),
    ],
)
def test_look_alike_names_are_numbered_like_the_same_name(state, name, seated):
    """Is a name that only looks different from a seated "Aiko" (a zero-width space, a bidi
    override, fullwidth letters) seated as a second Aiko, numbered, with the invisible
    characters gone?"""
    seat(state, "Aiko")
    assert state.seats[seat(state, name).id].name == seated


def test_name_keys_fold_look_alikes():
    """Do the look-alike forms of a name all compare equal?"""
    forms = ["Aiko", "Ai\u200bko", "Aiko\u202e", "\uff21\uff49\uff4b\uff4f", " aiko ", "A\u00adiko"]
    assert {name_key(f) for f in forms} == {"aiko"}


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u202e", "\ud800Aiko", "\x00\x01", "\u3164"])
def test_a_name_without_visible_characters_or_unicode_is_refused(state, name):
    """Is a name of invisible characters, or with a lone surrogate, refused as bad_name?"""
    with pytest.raises(CommandError) as caught:
        join_drafts(state, 100, name)
    assert caught.value.code == "bad_name"
