"""The limits docs/protocol.md states ("Limits", and text in "Conventions") are the ones the
shape check applies."""

from __future__ import annotations

import pytest

from app.engine import CommandError, parse_command


def _code(raw: dict) -> str | None:
    try:
        parse_command(raw)
    except CommandError as error:
        return error.code
    return None


POST = {"id": "m-1", "type": "message.post", "channel": "plenary"}
TABLE = {"id": "t-1", "type": "proposal.table", "inject_id": None, "text": "A line"}


def test_text_length_counts_code_points_not_utf16_units() -> None:
    """Are 4,000 emoji (8,000 UTF-16 units, JavaScript's `.length`) within the 4,000-character
    limit, and 4,001 over it?"""
    assert _code(POST | {"text": "🙂" * 4000}) is None
    assert _code(POST | {"text": "🙂" * 4001}) == "too_large"


def test_length_is_counted_after_nfc() -> None:
    """Does 'e' + a combining accent count as one character (NFC makes it 'é')?"""
    assert _code(POST | {"text": "e\u0301" * 4000}) is None


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ([f"opt-{i}" for i in range(12)], None),
        ([f"opt-{i}" for i in range(13)], "bad_field"),
        (["opt-a", "opt-a"], "bad_field"),
        (["not an id"], "bad_field"),
    ],
)
def test_at_most_twelve_options_and_none_twice(options: list[str], code: str | None) -> None:
    """Are 12 option ids accepted, and 13, a repeated id or a malformed one `bad_field`?"""
    assert _code(TABLE | {"options": options}) == code


@pytest.mark.parametrize(
    ("command_id", "code"),
    [
        ("a" * 80, None),
        ("a" * 81, "bad_command"),
        ("0f1e-2d3c.4b5a_6978:x", None),
        ("-starts-with-dash", "bad_command"),
        ("has space", "bad_command"),
        ("é", "bad_command"),
        ("", "bad_command"),
    ],
)
def test_command_ids(command_id: str, code: str | None) -> None:
    """Is an id 1-80 letters, digits and `. _ : -`, starting with a letter or digit?"""
    assert _code(POST | {"id": command_id, "text": "Hi"}) == code
