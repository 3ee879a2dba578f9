"""Contract checks: every event, sync, ack and signal a test receives is validated against the
published spec (docs/spec/schemas, kept fresh by tests/contract/test_spec_files.py).

Clients call `observe_*` as messages arrive (the Flask-SocketIO test client through
`tests/contract/plugin.py`, the live python-socketio clients through tests/live/harness.py);
mismatches are collected and fail the test that received them (`take`). Validators are compiled
once; a payload already found valid (e.g. one event heard by several clients) is not checked
again in the same test.
"""

from __future__ import annotations

import hashlib
import json
import threading
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

SPEC = Path(__file__).resolve().parents[2] / "docs" / "spec" / "schemas"
VIEWERS = ("facilitator", "player", "observer")
SIGNALS = ("presence", "seat_code", "seat_moved", "session_deleted")

_lock = threading.Lock()
_mismatches: list[str] = []
_valid: set[tuple[str, bytes]] = set()


@cache
def _registry() -> Registry:
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text(encoding="utf-8"))))
        for path in sorted(SPEC.glob("*.json"))
    ]
    return Registry().with_resources(resources)


@cache
def validator(ref: str) -> Draft202012Validator:
    """A compiled validator for a schema reference such as `event.player.json`."""
    return Draft202012Validator({"$ref": ref}, registry=_registry())


def check(ref: str, payload: Any, what: str) -> list[str]:
    """Validate `payload` against `ref`; record and return what is wrong (empty: valid)."""
    try:
        digest = hashlib.blake2b(
            orjson.dumps(payload, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS),
            digest_size=16,
        ).digest()
    except TypeError:
        digest = b""
    key = (ref, digest)
    if digest and key in _valid:
        return []
    errors = sorted(validator(ref).iter_errors(payload), key=lambda e: list(e.absolute_path))
    if not errors:
        with _lock:
            _valid.add(key)
        return []
    found = [f"{what}: at {e.json_path}: {_short(e.message)} (schema {ref})" for e in errors[:5]]
    with _lock:
        _mismatches.extend(found)
    return found


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def observe_event(payload: Any, viewer: str | None) -> None:
    kind = payload.get("type") if isinstance(payload, dict) else None
    ref = f"event.{viewer}.json" if viewer in VIEWERS else "event.json"
    check(ref, payload, f"event {kind!r} for the {viewer or 'reader'}")


def observe_sync(payload: Any) -> str | None:
    """Validate a sync; return the viewer kind it was sent to."""
    you = payload.get("you") if isinstance(payload, dict) else None
    viewer = you.get("kind") if isinstance(you, dict) else None
    check("sync.json", payload, f"sync for the {viewer}")
    return viewer if viewer in VIEWERS else None


def observe_ack(payload: Any, command: Any = None) -> None:
    kind = command.get("type") if isinstance(command, dict) else None
    check("ack.json", payload, f"ack of command {kind!r}")


def observe_history_ack(payload: Any, viewer: str | None) -> None:
    if isinstance(payload, dict) and payload.get("ok") is True and viewer in VIEWERS:
        check(f"history-ack.json#/$defs/ok.{viewer}", payload, f"history ack for the {viewer}")
    else:
        check("history-ack.json", payload, "history ack")


def observe_signal(name: str, payload: Any) -> None:
    if name in SIGNALS:
        check(f"{name}.json", payload, f"{name} signal")
    else:
        with _lock:
            _mismatches.append(f"Socket.IO event {name!r}: not in docs/spec (asyncapi.json)")


def observe_connect_error(data: Any) -> None:
    check("connect-error.json", data, "connect_error data")


def reset() -> None:
    with _lock:
        _mismatches.clear()
        _valid.clear()


def take() -> list[str]:
    """The mismatches recorded since the last call (and forget them)."""
    with _lock:
        found = list(_mismatches)
        _mismatches.clear()
    return found
