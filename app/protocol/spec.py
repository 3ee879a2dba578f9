"""The machine-readable protocol: JSON Schema (draft 2020-12) and an AsyncAPI 3.0 document,
generated from the server's own declarations:

- commands from `app/engine/commands.py` (`COMMANDS` and its `Field` kinds and limits);
- events from `app/engine/events.py` (the registry every draft is checked against in tests);
- the sync, acknowledgements and signals from `app/protocol/messages.py`;
- scenario parts the server dumps from the loader's pydantic models, from those models.

`documents()` returns every file by its path under `docs/spec/`; `flask protocol spec` writes
them (`--check` says whether the committed ones are stale) and the app serves them under
`/api/spec/`. The output is deterministic: the same code gives byte-identical files.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from app.engine.commands import CODE_RE, COMMANDS, ID_RE, LIMITS, Field
from app.engine.events import EVENTS, data_fields
from app.engine.shapes import (
    OBJECTS,
    VIEWERS,
    Out,
    object_schema,
    schema,
    viewer_dependent,
)
from app.protocol import messages as m

DRAFT = "https://json-schema.org/draft/2020-12/schema"
OPTION_TEXT_MAX = 300  # commands._field, option_texts
OPTION_TEXTS_MAX = 6
OPTIONS_MAX = 12


def _pattern(regex: Any) -> str:
    return regex.pattern.replace(r"\Z", "$")


def _doc(name: str, title: str, body: dict[str, Any], defs: dict[str, Any] | None = None) -> dict:
    out = {"$schema": DRAFT, "$id": name, "title": title, **body}
    if defs:
        out["$defs"] = defs
    return out


# --- commands -----------------------------------------------------------------------------------


def field_schema(name: str, field: Field) -> dict[str, Any]:
    """The JSON Schema of one command field, from its `Field` kind and limits."""
    kind = field.kind
    if kind in LIMITS:
        found: dict[str, Any] = {
            "type": "string",
            "minLength": 1,
            "maxLength": LIMITS[kind],
            "description": (
                f"{kind}: 1-{LIMITS[kind]} characters, counted in Unicode code points after "
                "trimming and NFC normalisation; at least one visible character"
                + (" (the limit is the server's MAX_MESSAGE_CHARS)" if kind == "text" else "")
            ),
        }
    elif kind == "int":
        found = {"type": "integer", "minimum": field.low, "maximum": field.high}
    elif kind == "bool":
        found = {"type": "boolean"}
    elif kind == "code":
        found = {"type": "string", "pattern": _pattern(CODE_RE), "description": "a delegation"}
    elif kind == "ref":
        found = {"type": "string", "pattern": _pattern(ID_RE), "description": "an id"}
    elif kind == "options":
        found = {
            "type": "array",
            "maxItems": OPTIONS_MAX,
            "uniqueItems": True,
            "items": {"type": "string", "pattern": _pattern(ID_RE)},
            "description": "response option ids of the inject, each at most once",
        }
    elif kind == "option_texts":
        found = {
            "type": "array",
            "maxItems": OPTION_TEXTS_MAX,
            "items": {"type": "string", "minLength": 1, "maxLength": OPTION_TEXT_MAX},
            "description": "the texts of the response options to offer",
        }
    elif kind == "audience":
        found = {
            "anyOf": [
                {"const": "all"},
                {
                    "type": "array",
                    "minItems": 1,
                    "items": {"type": "string", "pattern": _pattern(CODE_RE)},
                },
            ],
            "description": '"all" or a list of delegation codes',
        }
    else:  # pragma: no cover - commands._field raises on it too
        raise AssertionError(f"unknown field kind {kind} of {name}")
    if not field.required:
        found = {"anyOf": [found, {"type": "null"}], "description": "optional (null: absent)"}
    return found


def command_schemas() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    for kind, (who, fields) in COMMANDS.items():
        properties = {
            "id": {"$ref": "#/$defs/id"},
            "type": {"const": kind},
            **{name: field_schema(name, field) for name, field in fields.items()},
        }
        required = ["id", "type", *(n for n, f in fields.items() if f.required)]
        defs[kind] = {
            "type": "object",
            "x-who": who,
            "description": f"sent by: {_WHO[who]}",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
    defs["id"] = {
        "type": "string",
        "pattern": _pattern(ID_RE),
        "description": "a client-made id, unique per client: 1-80 letters, digits, . _ : -",
    }
    body = {
        "description": "A command (client -> server, event name `command`, with an ack).",
        "type": "object",
        "properties": {"id": {"$ref": "#/$defs/id"}, "type": {"enum": list(COMMANDS)}},
        "required": ["id", "type"],
        "allOf": [_when("type", kind, {"$ref": f"#/$defs/{kind}"}) for kind in COMMANDS],
    }
    return _doc("command.json", "Command", body, defs)


_WHO = {
    "facilitator": "facilitators",
    "player": "seated players",
    "lead": "the lead of a delegation",
    "member": "seated players and facilitators",
}


def _when(key: str, value: str, then: dict[str, Any]) -> dict[str, Any]:
    return {"if": {"properties": {key: {"const": value}}, "required": [key]}, "then": then}


# --- shared objects, events, sync -----------------------------------------------------------------


def object_schemas() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    for name in sorted(OBJECTS):
        out = OBJECTS[name]
        defs[name] = schema(out, None)
        if viewer_dependent(out):
            for viewer in VIEWERS:
                defs[f"{name}.{viewer}"] = schema(out, viewer)
    body = {
        "description": "Objects shared by events, the sync and acks; `name.viewer` is the "
        "form one kind of reader (facilitator, player, observer) receives."
    }
    return _doc("objects.json", "Shared objects", body, defs)


def _envelope(viewer: str | None) -> dict[str, Any]:
    types = [t for t, s in EVENTS.items() if viewer is None or viewer in s.viewers]
    properties = {
        "seq": {"type": "integer", "minimum": 1, "description": "gapless per session in the log"},
        "type": {"enum": types},
        "at": schema(Out("time"), viewer),
        "actor": {"$ref": "objects.json#/$defs/actor"},
        "data": {"type": "object"},
    }
    defs = {}
    for kind in types:
        shape = EVENTS[kind]
        found = object_schema(data_fields(shape), viewer)
        found["description"] = f"audience: {shape.audience}" + (
            f"; {shape.doc}" if shape.doc else ""
        )
        defs[kind] = found
    name = f"event.{viewer}.json" if viewer else "event.json"
    who = f"as a {viewer} receives it" if viewer else "as any reader receives it"
    body = {
        "description": f"An event (server -> client, event name `event`), {who}.",
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
        "allOf": [
            _when("type", kind, {"properties": {"data": {"$ref": f"#/$defs/{kind}"}}})
            for kind in types
        ],
    }
    return _doc(name, f"Event ({who})", body, defs)


def sync_schema() -> dict[str, Any]:
    defs = {viewer: object_schema(m.SYNC.of, viewer) for viewer in VIEWERS}
    body = {
        "description": "What the server emits (event name `sync`) on every (re)connection: "
        "the state and scenario as this reader may see them, and the events it missed. "
        "Its form depends on `you.kind`.",
        "type": "object",
        "properties": {
            "you": {
                "type": "object",
                "properties": {"kind": {"enum": list(VIEWERS)}},
                "required": ["kind"],
            }
        },
        "required": ["you"],
        "allOf": [
            {
                "if": {"properties": {"you": {"properties": {"kind": {"const": v}}}}},
                "then": {"$ref": f"#/$defs/{v}"},
            }
            for v in VIEWERS
        ],
    }
    return _doc("sync.json", "Sync", body, defs)


def ack_schemas() -> dict[str, dict[str, Any]]:
    error = object_schema(m.ACK_ERROR.of, None)
    codes = {"description": "; ".join(f"{k}: {v}" for k, v in m.ERROR_CODES.items())}
    command = _doc(
        "ack.json",
        "Command acknowledgement",
        {
            "description": "The answer to a `command` (the Socket.IO ack): never silence.",
            "anyOf": [{"$ref": "#/$defs/ok"}, {"$ref": "#/$defs/error"}],
        },
        {"ok": object_schema(m.COMMAND_ACK_OK.of, None), "error": error, "codes": codes},
    )
    history_defs = {"error": error}
    for viewer in (None, *VIEWERS):
        history_defs[f"ok.{viewer}" if viewer else "ok"] = object_schema(
            m.HISTORY_ACK_OK.of, viewer
        )
    history = _doc(
        "history-ack.json",
        "History acknowledgement",
        {
            "description": "The answer to a `history` request; `ok.<viewer>` per kind of reader.",
            "anyOf": [{"$ref": "#/$defs/ok"}, {"$ref": "#/$defs/error"}],
        },
        history_defs,
    )
    return {"ack.json": command, "history-ack.json": history}


def _single(name: str, title: str, description: str, out: Out) -> dict[str, Any]:
    return _doc(name, title, {"description": description, **schema(out, None)})


def signal_schemas() -> dict[str, dict[str, Any]]:
    found = {
        f"{name}.json": _single(f"{name}.json", name, f"Sent to {to}.", out)
        for name, (to, out) in m.SIGNALS.items()
    }
    found["connect-auth.json"] = _single(
        "connect-auth.json",
        "Connection auth",
        "The Socket.IO CONNECT auth payload a client sends.",
        m.CONNECT_AUTH,
    )
    found["connect-error.json"] = _single(
        "connect-error.json",
        "Connection refused",
        "The data of a CONNECT_ERROR packet (`connect_error` in the JS client: error.data).",
        m.CONNECT_ERROR,
    )
    found["history.json"] = _single(
        "history.json",
        "History request",
        "Ask for older events than a sync's tail (event name `history`, with an ack).",
        m.HISTORY_REQUEST,
    )
    return found


def schemas() -> dict[str, dict[str, Any]]:
    """Every JSON Schema file by its name under docs/spec/schemas/."""
    found = {
        "objects.json": object_schemas(),
        "command.json": command_schemas(),
        "event.json": _envelope(None),
        **{f"event.{v}.json": _envelope(v) for v in VIEWERS},
        "sync.json": sync_schema(),
        **ack_schemas(),
        **signal_schemas(),
    }
    return dict(sorted(found.items()))


# --- AsyncAPI -------------------------------------------------------------------------------------


def _message(name: str, title: str, payload: str, summary: str) -> dict[str, Any]:
    return {
        "name": name,
        "title": title,
        "summary": summary,
        "contentType": "application/json",
        "payload": {"$ref": f"schemas/{payload}"},
    }


def asyncapi() -> dict[str, Any]:
    channels: dict[str, Any] = {
        "command": {
            "address": "command",
            "description": "Socket.IO event `command`: one object per emit, with an ack.",
            "messages": {
                "command": _message("command", "Command", "command.json", "A command"),
                "ack": _message("ack", "Command ack", "ack.json", "{ok, seq} or {ok, error}"),
            },
        },
        "history": {
            "address": "history",
            "description": "Socket.IO event `history`: page back through older events.",
            "messages": {
                "request": _message("history", "History request", "history.json", "A page"),
                "ack": _message("history_ack", "History ack", "history-ack.json", "The page"),
            },
        },
        "event": {
            "address": "event",
            "description": "Socket.IO event `event`: one logged event, filtered for the reader. "
            "The per-reader forms are schemas/event.<facilitator|player|observer>.json.",
            "messages": {"event": _message("event", "Event", "event.json", "A logged event")},
        },
        "sync": {
            "address": "sync",
            "description": "Socket.IO event `sync`: sent once on every (re)connection.",
            "messages": {"sync": _message("sync", "Sync", "sync.json", "State and backlog")},
        },
    }
    for name, (to, _out) in m.SIGNALS.items():
        channels[name] = {
            "address": name,
            "description": f"Socket.IO event `{name}` (not logged, no seq): sent to {to}.",
            "messages": {name: _message(name, name, f"{name}.json", f"Sent to {to}")},
        }
    channels["connect"] = {
        "address": "/",
        "description": "The Socket.IO CONNECT of namespace `/`: its auth payload carries the "
        "token; a refusal is a CONNECT_ERROR whose data is {code, message}.",
        "messages": {
            "auth": _message("auth", "Connect auth", "connect-auth.json", "CONNECT auth"),
            "refused": _message(
                "connect_error", "Connect error", "connect-error.json", "CONNECT_ERROR data"
            ),
        },
    }
    operations: dict[str, Any] = {
        "connect": {
            "action": "receive",
            "channel": {"$ref": "#/channels/connect"},
            "summary": "A client connects with its token; the server answers with `sync`, or "
            "refuses with connect_error.",
            "messages": [{"$ref": "#/channels/connect/messages/auth"}],
        },
        "refuseConnection": {
            "action": "send",
            "channel": {"$ref": "#/channels/connect"},
            "messages": [{"$ref": "#/channels/connect/messages/refused"}],
        },
        "receiveCommand": {
            "action": "receive",
            "channel": {"$ref": "#/channels/command"},
            "summary": "Run a command; the ack comes after its events are committed.",
            "messages": [{"$ref": "#/channels/command/messages/command"}],
            "reply": {
                "channel": {"$ref": "#/channels/command"},
                "messages": [{"$ref": "#/channels/command/messages/ack"}],
            },
        },
        "receiveHistory": {
            "action": "receive",
            "channel": {"$ref": "#/channels/history"},
            "messages": [{"$ref": "#/channels/history/messages/request"}],
            "reply": {
                "channel": {"$ref": "#/channels/history"},
                "messages": [{"$ref": "#/channels/history/messages/ack"}],
            },
        },
        "sendEvent": {
            "action": "send",
            "channel": {"$ref": "#/channels/event"},
            "messages": [{"$ref": "#/channels/event/messages/event"}],
        },
        "sendSync": {
            "action": "send",
            "channel": {"$ref": "#/channels/sync"},
            "messages": [{"$ref": "#/channels/sync/messages/sync"}],
        },
    }
    for name in m.SIGNALS:
        operations[f"send_{name}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{name}"},
            "messages": [{"$ref": f"#/channels/{name}/messages/{name}"}],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Crisis simulation: Socket.IO protocol",
            "version": "1",
            "description": "The server side of the Socket.IO connection (namespace `/`, "
            "Socket.IO 5 over Engine.IO 4, path /socket.io/): `receive` operations are what "
            "clients send, `send` what the server emits. Every Socket.IO event carries one "
            "JSON argument. Generated from the server's code by `flask protocol spec`; "
            "docs/protocol.md explains it in words.",
        },
        "defaultContentType": "application/json",
        "servers": {
            "local": {
                "host": "localhost:5000",
                "protocol": "ws",
                "pathname": "/socket.io/",
                "description": "Socket.IO (websocket or HTTP long-polling); the same origin as "
                "the pages. Tokens come from the HTTP API (docs/protocol.md, section 1).",
            }
        },
        "channels": channels,
        "operations": operations,
    }


@cache
def documents() -> dict[str, str]:
    """Every file of docs/spec/ by its relative path, as the exact text to write."""
    files = {"asyncapi.json": asyncapi()}
    files |= {f"schemas/{name}": body for name, body in schemas().items()}
    return {
        path: json.dumps(body, indent=2, ensure_ascii=False) + "\n" for path, body in files.items()
    }


def stale(root: Path) -> list[str]:
    """The files under `root` (docs/spec) that differ from what the code generates now."""
    found = []
    for path, text in documents().items():
        target = root / path
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            found.append(path)
    extra = (
        {p.relative_to(root).as_posix() for p in root.rglob("*.json")} - set(documents())
        if root.exists()
        else set()
    )
    return sorted(found + [f"{p} (no longer generated)" for p in extra])


def write(root: Path) -> list[str]:
    """Write every file under `root`, removing generated files that are no longer made."""
    changed = stale(root)
    if root.exists():
        for old in root.rglob("*.json"):
            if old.relative_to(root).as_posix() not in documents():
                old.unlink()
    for path, text in documents().items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return changed
