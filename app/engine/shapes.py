"""A small vocabulary for the shapes the server sends: event data, the sync, shared objects.

Commands are declared with `Field` kinds (app/engine/commands.py); what goes out is declared here
with `Out` kinds, in the same spirit. One declaration serves two purposes:

- `schema(out, viewer)` turns it into JSON Schema (draft 2020-12) for `docs/spec/`
  (app/protocol/spec.py), per kind of viewer: a field may reach facilitators only (`white`), the
  players only (`players`), or be left out for players and observers when the scenario hides
  its numbers (`hideable`);
- `problems(out, value)` checks a value against it without any library, cheaply enough to run on
  every event the rules make while the tests run (app/engine/events.py, `check_draft`).

Shared objects (`define` / `shared`) are named once and referenced by name, so the spec shows
one `proposal`, one `inject`, one `player`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

VIEWERS = ("facilitator", "player", "observer")
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$"  # the command id regex (commands.ID_RE)
CODE_PATTERN = r"^[A-Z]{2,5}$"
TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"
_ID = re.compile(ID_PATTERN)
_CODE = re.compile(CODE_PATTERN)
_TIME = re.compile(TIME_PATTERN)


@dataclass(frozen=True)
class Out:
    """One value the server sends.

    kind: str | text | int | number | bool | time | code | ref | enum | pattern | list | map |
    object | shared | either | schema | viewer_kind | event.
    """

    kind: str
    required: bool = True
    null: bool = False
    of: Any = None  # list/map: the item; object: {name: Out}; shared: a name; either: (Out...)
    values: tuple[Any, ...] = ()  # enum: the values; map: the key kind
    viewers: tuple[str, ...] = VIEWERS  # who receives this field
    hideable: bool = False  # players and observers may not get it (hidden or owned indicators)
    doc: str = ""
    raw: dict[str, Any] | None = None  # kind schema: a JSON Schema given as is (pydantic's)


STR = Out("str")
TEXT = Out("text")  # a user's text: never empty
INT = Out("int")
NUM = Out("number")
BOOL = Out("bool")
TIME = Out("time")
CODE = Out("code")
REF = Out("ref")
VIEWER_KIND = Out("viewer_kind")  # "facilitator" | "player" | "observer": the reader's own kind
EVENT = Out("event")  # an event as this viewer receives it

OBJECTS: dict[str, Out] = {}


def define(name: str, out: Out) -> Out:
    """Name a shared object; returns the reference to it."""
    OBJECTS[name] = out
    return shared(name)


def shared(name: str) -> Out:
    return Out("shared", of=name)


def obj(**fields: Out) -> Out:
    return Out("object", of=fields)


def extend(base: Out, **fields: Out) -> Out:
    """An object with more fields than `base` (an object or a shared object)."""
    if base.kind == "shared":
        base = OBJECTS[base.of]
    return replace(base, of={**base.of, **fields})


def list_of(item: Out) -> Out:
    return Out("list", of=item)


def map_of(value: Out, keys: str = "ref") -> Out:
    """An object used as a map; `keys`: ref (ids), code (delegations) or int (player ids)."""
    return Out("map", of=value, values=(keys,))


def enum(*values: Any) -> Out:
    return Out("enum", values=values)


def either(*outs: Out) -> Out:
    return Out("either", of=outs)


def raw(schema: dict[str, Any]) -> Out:
    return Out("schema", raw=schema)


def matching(regex: str) -> Out:
    """A string matching a regular expression (one JSON Schema and Python both read)."""
    return Out("pattern", values=(regex,))


def opt(out: Out) -> Out:
    """May be absent."""
    return replace(out, required=False)


def null(out: Out) -> Out:
    """May be null."""
    return replace(out, null=True)


def white(out: Out) -> Out:
    """Sent to facilitators only."""
    return replace(out, viewers=("facilitator",))


def players(out: Out) -> Out:
    """Sent to players only."""
    return replace(out, viewers=("player",))


def readers(out: Out) -> Out:
    """Sent to facilitators and players, never to observers."""
    return replace(out, viewers=("facilitator", "player"))


def hideable(out: Out) -> Out:
    """Facilitators always get it; players and observers not when the scenario hides it."""
    return replace(out, hideable=True)


def doc(out: Out, text: str) -> Out:
    return replace(out, doc=text)


# --- JSON Schema --------------------------------------------------------------------------------

_SIMPLE = {
    "str": {"type": "string"},
    "text": {"type": "string", "minLength": 1},
    "int": {"type": "integer"},
    "number": {"type": "number"},
    "bool": {"type": "boolean"},
    "time": {"type": "string", "pattern": TIME_PATTERN, "description": "ISO 8601 UTC, ms"},
    "code": {"type": "string", "pattern": CODE_PATTERN},
    "ref": {"type": "string", "pattern": ID_PATTERN},
}
_KEYS = {"ref": ID_PATTERN, "code": CODE_PATTERN, "int": r"^[0-9]+$", "str": ".*"}


def viewer_dependent(out: Out, seen: frozenset[str] = frozenset()) -> bool:
    """True when what a viewer receives of `out` depends on the kind of viewer."""
    if out.kind in ("viewer_kind", "event"):
        return True
    if out.kind == "shared":
        return out.of not in seen and viewer_dependent(OBJECTS[out.of], seen | {out.of})
    if out.kind == "object":
        return any(
            f.viewers != VIEWERS or f.hideable or viewer_dependent(f, seen) for f in out.of.values()
        )
    if out.kind in ("list", "map"):
        return viewer_dependent(out.of, seen)
    if out.kind == "either":
        return any(viewer_dependent(o, seen) for o in out.of)
    return False


def shared_name(name: str, viewer: str | None) -> str:
    """The `$defs` name of a shared object as one kind of viewer receives it."""
    if viewer is not None and viewer_dependent(OBJECTS[name]):
        return f"{name}.{viewer}"
    return name


def schema(out: Out, viewer: str | None = None, objects: str = "objects.json") -> dict[str, Any]:
    """The JSON Schema of `out` as `viewer` receives it (None: any viewer)."""
    found = _schema(out, viewer, objects)
    if out.doc:
        found = {**found, "description": out.doc}
    if out.null:
        found = {"anyOf": [found, {"type": "null"}]}
    return found


def _schema(out: Out, viewer: str | None, objects: str) -> dict[str, Any]:
    kind = out.kind
    if kind in _SIMPLE:
        return dict(_SIMPLE[kind])
    if kind == "enum":
        return {"const": out.values[0]} if len(out.values) == 1 else {"enum": list(out.values)}
    if kind == "pattern":
        return {"type": "string", "pattern": out.values[0]}
    if kind == "viewer_kind":
        return {"const": viewer} if viewer else {"enum": list(VIEWERS)}
    if kind == "event":
        return {"$ref": f"event.{viewer}.json" if viewer else "event.json"}
    if kind == "shared":
        return {"$ref": f"{objects}#/$defs/{shared_name(out.of, viewer)}"}
    if kind == "list":
        return {"type": "array", "items": schema(out.of, viewer, objects)}
    if kind == "map":
        return {
            "type": "object",
            "propertyNames": {"pattern": _KEYS[out.values[0]]},
            "additionalProperties": schema(out.of, viewer, objects),
        }
    if kind == "either":
        return {"anyOf": [schema(o, viewer, objects) for o in out.of]}
    if kind == "schema":
        return dict(out.raw or {})
    if kind == "object":
        return object_schema(out.of, viewer, objects)
    raise AssertionError(f"unknown shape kind {kind}")


def object_schema(
    fields: dict[str, Out], viewer: str | None, objects: str = "objects.json"
) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name, field in fields.items():
        if viewer is not None and viewer not in field.viewers:
            continue
        properties[name] = schema(field, viewer, objects)
        if viewer is None and (field.viewers != VIEWERS or field.hideable):
            note = _who(field)
            text = properties[name].get("description")
            properties[name]["description"] = f"{text} ({note})" if text else note
        if field.required and _always(field, viewer):
            required.append(name)
    found: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        found["required"] = required
    found["additionalProperties"] = False
    return found


def _always(field: Out, viewer: str | None) -> bool:
    if viewer is None:
        return field.viewers == VIEWERS and not field.hideable
    return viewer == "facilitator" or not field.hideable


def _who(field: Out) -> str:
    if field.viewers != VIEWERS:
        who = " and ".join(f"{v}s" for v in field.viewers)
        return f"sent to {who} only"
    return "players and observers do not get it when the scenario hides indicators from them"


# --- a check without a library -------------------------------------------------------------------


def problems(out: Out, value: Any, viewer: str = "facilitator", path: str = "") -> list[str]:
    """What is wrong with `value` as `out` for `viewer` (empty: nothing)."""
    if value is None:
        return [] if out.null else [f"{path or '.'}: null where {out.kind} is due"]
    kind = out.kind
    ok = {
        "str": lambda v: isinstance(v, str),
        "text": lambda v: isinstance(v, str) and bool(v),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "bool": lambda v: isinstance(v, bool),
        "time": lambda v: isinstance(v, str) and bool(_TIME.match(v)),
        "code": lambda v: isinstance(v, str) and bool(_CODE.match(v)),
        "ref": lambda v: isinstance(v, str) and bool(_ID.match(v)),
        "enum": lambda v: v in out.values,
        "viewer_kind": lambda v: v in VIEWERS,
        "pattern": lambda v: isinstance(v, str) and bool(re.search(out.values[0], v)),
    }.get(kind)
    if ok is not None:
        return [] if ok(value) else [f"{path or '.'}: {value!r} is not a {kind}"]
    if kind in ("schema", "event"):
        return []
    if kind == "shared":
        return problems(replace(OBJECTS[out.of], null=out.null), value, viewer, path)
    if kind == "either":
        found = [problems(o, value, viewer, path) for o in out.of]
        return [] if any(not f for f in found) else found[0]
    if kind == "list":
        if not isinstance(value, list | tuple):
            return [f"{path or '.'}: not a list"]
        return [p for i, v in enumerate(value) for p in problems(out.of, v, viewer, f"{path}[{i}]")]
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{path or '.'}: not an object"]
        return [p for k, v in value.items() for p in problems(out.of, v, viewer, f"{path}.{k}")]
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{path or '.'}: not an object"]
        fields = {k: f for k, f in out.of.items() if viewer in f.viewers}
        found = [f"{path}.{k}: not declared" for k in value if k not in fields]
        for name, field in fields.items():
            if name in value:
                found += problems(field, value[name], viewer, f"{path}.{name}")
            elif field.required and _always(field, viewer):
                found.append(f"{path}.{name}: missing")
        return found
    raise AssertionError(f"unknown shape kind {kind}")
