"""Contract checks: every event, sync, ack and signal a test receives is validated against the
published spec (docs/spec/schemas, kept fresh by tests/contract/test_spec_files.py).

Clients call `observe_*` as messages arrive (the Flask-SocketIO test client through
`tests/contract/plugin.py`, the live python-socketio clients through tests/live/harness.py);
mismatches are collected and fail the test that received them (`take`). Validators are compiled
once; a payload already found valid (e.g. one event heard by several clients) is not checked
again in the same test.
"""

from __future__ import annotations

import copy
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
# The signals are the published spec's `send_<name>` operations besides events and syncs.
SIGNALS = tuple(
    name.removeprefix("send_")
    for name in json.loads((SPEC.parent / "asyncapi.json").read_text())["operations"]
    if name.startswith("send_")
)
DRAFT = "https://json-schema.org/draft/2020-12/schema"
VALID_KEPT = 200_000  # digests of payloads found valid (a valid payload stays valid all run)

_lock = threading.Lock()
_mismatches: list[str] = []
_valid: set[tuple[str, bytes]] = set()


@cache
def _registry() -> Registry:
    files = {
        path.name: json.loads(path.read_text(encoding="utf-8")) for path in SPEC.glob("*.json")
    }
    # The scenario part of a sync is large and alike for every sync of a kind of reader, so it is
    # checked on its own (once per distinct content); the rest against the sync without it, and
    # its events one by one. An event's data is checked against its type's schema directly
    # (rather than through the many conditions of the envelope).
    for viewer in VIEWERS:
        lite = copy.deepcopy(files["sync.json"]["$defs"][viewer])
        lite["properties"]["scenario"] = True
        lite["properties"]["events"] = {"type": "array"}
        files[f"sync-lite.{viewer}.json"] = {"$schema": DRAFT} | lite
    for viewer in (None, *VIEWERS):
        name = f"event.{viewer}.json" if viewer else "event.json"
        envelope = copy.deepcopy(files[name])
        del envelope["allOf"], envelope["$defs"]
        files[f"envelope-{name}"] = envelope | {"$id": f"envelope-{name}"}
    return Registry().with_resources(
        (name, Resource.from_contents(body)) for name, body in sorted(files.items())
    )


@cache
def validator(ref: str) -> Draft202012Validator:
    """A compiled validator for a schema reference such as `event.player.json`."""
    return Draft202012Validator({"$ref": ref}, registry=_registry())


def check(ref: str, payload: Any, what: str, at: str = "$") -> list[str]:
    """Validate `payload` against `ref`; record and return what is wrong (empty: valid)."""
    try:
        return _check(ref, payload, what, at)
    except Exception as error:  # never into the server's emit: report it as a failure instead
        found = [f"{what}: the contract check itself failed: {error!r}"]
        with _lock:
            _mismatches.extend(found)
        return found


def _check(ref: str, payload: Any, what: str, at: str) -> list[str]:
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
            if len(_valid) > VALID_KEPT:
                _valid.clear()
            _valid.add(key)
        return []
    found = [
        f"{what}: at {at}{e.json_path[1:]}: {_short(e.message)} (schema {ref})" for e in errors[:5]
    ]
    with _lock:
        _mismatches.extend(found)
    return found


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def observe_event(payload: Any, viewer: str | None, what: str = "", at: str = "$") -> None:
    kind = payload.get("type") if isinstance(payload, dict) else None
    name = f"event.{viewer}.json" if viewer in VIEWERS else "event.json"
    what = f"{what}event {kind!r} for the {viewer or 'reader'}"
    if kind not in _types(name) or not isinstance(payload.get("data"), dict):
        check(name, payload, what, at)  # the whole schema: it says what is wrong
        return
    if not check(f"envelope-{name}", payload, what, at):
        check(f"{name}#/$defs/{kind}", payload["data"], what, f"{at}.data")


@cache
def _types(name: str) -> frozenset[str]:
    return frozenset(json.loads((SPEC / name).read_text(encoding="utf-8"))["$defs"])


def observe_sync(payload: Any) -> str | None:
    """Validate a sync; return the viewer kind it was sent to."""
    you = payload.get("you") if isinstance(payload, dict) else None
    viewer = you.get("kind") if isinstance(you, dict) else None
    if viewer not in VIEWERS or "scenario" not in payload:
        check("sync.json", payload, f"sync for the {viewer}")
        return None
    what = f"sync for the {viewer}"
    check(f"objects.json#/$defs/scenario.{viewer}", payload["scenario"], what, "$.scenario")
    check(f"sync-lite.{viewer}.json", payload, what)
    for i, event in enumerate(payload.get("events") or ()):
        observe_event(event, viewer, f"{what}: ", f"$.events[{i}]")
    return viewer


def observe_ack(payload: Any, command: Any = None) -> None:
    kind = command.get("type") if isinstance(command, dict) else None
    check("ack.json", payload, f"ack of command {kind!r}")


def observe_history_ack(payload: Any, viewer: str | None) -> None:
    if isinstance(payload, dict) and payload.get("ok") is True and viewer in VIEWERS:
        what = f"history ack for the {viewer}"
        check(f"history-ack.json#/$defs/ok.{viewer}", {**payload, "events": []}, what)
        for i, event in enumerate(payload.get("events") or ()):
            observe_event(event, viewer, f"{what}: ", f"$.events[{i}]")
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


def take() -> list[str]:
    """The mismatches recorded since the last call (and forget them)."""
    with _lock:
        found = list(_mismatches)
        _mismatches.clear()
    return found
