"""Command shapes: what each command type needs, checked before any rule runs.

A command arrives as untrusted JSON. `parse_command` returns a clean dict of the fields its type
declares (trimmed, typed, within limits) or raises a `CommandError` naming the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.engine.errors import CommandError
from app.engine.text import clean_text

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}\Z")
CODE_RE = re.compile(r"^[A-Z]{2,5}\Z")


@dataclass(frozen=True)
class Field:
    # text | reason | title | speaker | int | bool | code | ref | options | audience | option_texts
    kind: str
    required: bool = True
    low: int = 0
    high: int = 0


TEXT = Field("text")
REASON = Field("reason")
PROPOSAL_ID = Field("int", low=1, high=2**31)
VERSION = Field("int", low=1, high=10_000)
INJECT = Field("ref")

# who: "facilitator" | "player" | "lead" (a player who leads, checked by the rules)
COMMANDS: dict[str, tuple[str, dict[str, Field]]] = {
    "session.start": ("facilitator", {}),
    "session.pause": ("facilitator", {}),
    "session.resume": ("facilitator", {}),
    "session.next_move": ("facilitator", {}),
    "session.end": ("facilitator", {}),
    "lobby.lock": ("facilitator", {"locked": Field("bool")}),
    "seat.move": (
        "facilitator",
        {"player_id": Field("int", low=1, high=2**31), "delegation": Field("code")},
    ),
    "seat.set_lead": (
        "facilitator",
        {"delegation": Field("code"), "player_id": Field("int", low=1, high=2**31)},
    ),
    "seat.remove": ("facilitator", {"player_id": Field("int", low=1, high=2**31)}),
    "seat.reissue_code": ("facilitator", {"player_id": Field("int", low=1, high=2**31)}),
    "delegation.set_automatic": (
        "facilitator",
        {"delegation": Field("code"), "automatic": Field("bool")},
    ),
    "inject.fire": (
        "facilitator",
        {"inject_id": INJECT, "override": Field("bool", required=False)},
    ),
    "inject.hold": ("facilitator", {"inject_id": INJECT}),
    "inject.release": ("facilitator", {"inject_id": INJECT}),
    "inject.skip": ("facilitator", {"inject_id": INJECT}),
    "inject.write": (
        "facilitator",
        {
            "title": Field("title"),
            "body": TEXT,
            "audience": Field("audience"),
            "options": Field("option_texts", required=False),
            "deadline_minutes": Field("int", required=False, low=1, high=240),
        },
    ),
    "deadline.extend": (
        "facilitator",
        {"inject_id": INJECT, "minutes": Field("int", low=1, high=60)},
    ),
    "deadline.close": ("facilitator", {"inject_id": INJECT}),
    "deadline.request_time": (
        "player",
        {"inject_id": INJECT, "minutes": Field("int", required=False, low=1, high=60)},
    ),
    "indicator.override": (
        "facilitator",
        {
            "indicator": Field("ref"),
            "value": Field("int", low=-10_000, high=10_000),
            "ruling": REASON,
        },
    ),
    "message.post": (
        "member",
        {"channel": Field("ref"), "text": TEXT, "speaker": Field("speaker", required=False)},
    ),
    "proposal.table": (
        "player",
        {"inject_id": Field("ref", required=False), "text": TEXT, "options": Field("options")},
    ),
    "proposal.amend": (
        "player",
        {"proposal_id": PROPOSAL_ID, "text": TEXT, "options": Field("options")},
    ),
    "proposal.endorse": ("lead", {"proposal_id": PROPOSAL_ID, "version": VERSION}),
    "proposal.reject": ("lead", {"proposal_id": PROPOSAL_ID, "version": VERSION, "reason": REASON}),
    "proposal.reserve": (
        "lead",
        {"proposal_id": PROPOSAL_ID, "version": VERSION, "reason": Field("reason", required=False)},
    ),
    "proposal.withdraw": ("player", {"proposal_id": PROPOSAL_ID}),
    "statement.issue": (
        "lead",
        {"inject_id": Field("ref", required=False), "text": TEXT, "options": Field("options")},
    ),
    "debrief.hotwash": (
        "player",
        {
            "went_well": Field("reason", required=False),
            "to_improve": Field("reason", required=False),
            "surprised": Field("reason", required=False),
        },
    ),
    "debrief.unlock": ("facilitator", {}),
}

LIMITS = {"text": 4000, "reason": 1000, "title": 200, "speaker": 80}


def parse_command(raw: Any, max_text: int = 4000) -> tuple[str, str, dict[str, Any]]:
    """Check a raw command; return (id, type, fields) or raise CommandError."""
    if not isinstance(raw, dict):
        raise CommandError("bad_command", "A command must be a JSON object with an id and a type.")
    command_id = raw.get("id")
    if not isinstance(command_id, str) or not ID_RE.match(command_id):
        raise CommandError(
            "bad_command", "A command needs an 'id': 1 to 80 letters, digits, '.', '_', ':' or '-'."
        )
    kind = raw.get("type")
    if not isinstance(kind, str):
        raise CommandError("bad_command", "A command needs a 'type', e.g. 'message.post'.")
    if kind not in COMMANDS:
        raise CommandError("unknown_command", f"There is no command {kind[:60]!r}.")
    _who, spec = COMMANDS[kind]
    fields = {name: _field(name, field, raw.get(name), max_text) for name, field in spec.items()}
    return command_id, kind, fields


def _field(name: str, field: Field, value: Any, max_text: int) -> Any:
    if value is None:
        if field.required:
            raise CommandError("missing_field", f"The field '{name}' is required.")
        return None
    if field.kind in LIMITS:
        limit = max_text if field.kind == "text" else LIMITS[field.kind]
        return _text(name, value, limit)
    if field.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise CommandError("bad_field", f"The field '{name}' must be a whole number.")
        if not field.low <= value <= field.high:
            raise CommandError(
                "bad_field", f"The field '{name}' must be between {field.low} and {field.high}."
            )
        return value
    if field.kind == "bool":
        if not isinstance(value, bool):
            raise CommandError("bad_field", f"The field '{name}' must be true or false.")
        return value
    if field.kind == "code":
        if not isinstance(value, str) or not CODE_RE.match(value):
            raise CommandError(
                "bad_field", f"The field '{name}' must be a delegation code like JPN."
            )
        return value
    if field.kind == "ref":
        if not isinstance(value, str) or not ID_RE.match(value):
            raise CommandError("bad_field", f"The field '{name}' must be an id.")
        return value
    if field.kind == "options":
        return _options(name, value)
    if field.kind == "option_texts":
        if not isinstance(value, list) or len(value) > 6:
            raise CommandError("bad_field", f"The field '{name}' must be a list of up to 6 texts.")
        return [_text(f"{name}[{i}]", item, 300) for i, item in enumerate(value)]
    if field.kind == "audience":
        if value == "all":
            return "all"
        if (
            isinstance(value, list)
            and value
            and all(isinstance(c, str) and CODE_RE.match(c) for c in value)
        ):
            return sorted(set(value), key=value.index)
        raise CommandError(
            "bad_field", f"The field '{name}' must be \"all\" or a list of delegation codes."
        )
    raise AssertionError(f"unknown field kind {field.kind}")


def _text(name: str, value: Any, limit: int) -> str:
    # Well-formed Unicode, NFC, no controls but newline/tab, something visible (engine/text.py).
    return clean_text(name, value, limit)


def _options(name: str, value: Any) -> list[str]:
    if not isinstance(value, list) or len(value) > 12:
        raise CommandError(
            "bad_field", f"The field '{name}' must be a list of up to 12 option ids."
        )
    options: list[str] = []
    for item in value:
        if not isinstance(item, str) or not ID_RE.match(item):
            raise CommandError("bad_field", f"The field '{name}' must hold option ids.")
        if item in options:
            raise CommandError("bad_field", f"The option {item!r} is listed twice.")
        options.append(item)
    return options


def who_may(kind: str) -> str:
    """Who may send a command type: facilitator, player, lead or member (player or facilitator)."""
    return COMMANDS[kind][0]
