"""What changed between two versions of a scenario, in words an instructor reads.

  Inject 'nk-icbm': deadline 15 → 10 minutes
  Delegation CHN added
  Option 'x' of inject 'y': effect on indicator 'cohesion' +1 → +2

Lists of things with an id (injects, options, delegations, objectives...) are matched by id, so
moving an inject is not reported as every inject changing. Each change also names its file,
path and field, so the editor can link it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from app.content.loader import FILE_NAMES
from app.content.messages import field_path
from app.content.roundtrip import plain
from app.content.yamltree import YamlTrouble, parse

_MISSING = object()
# List key -> what one item is called.
KINDS = {
    "injects": "inject",
    "response_options": "option",
    "delegations": "delegation",
    "roles": "role",
    "objectives": "objective",
    "red_lines": "red line",
    "sources": "source",
    "challenges": "challenge",
    "indicators": "indicator",
    "moves": "move",
    "tracks": "track",
    "questions": "debrief question",
    "theory_prompts": "theory prompt",
    "briefing_updates": "briefing update",
    "accept": "accepted warning",
}
# Mapping key -> how one of its keys is named (the keys are ids).
KEYED = {
    "effects": ("effect on indicator", True),
    "unilateral_effects": ("unilateral effect on indicator", True),
    "options": ("score of option", False),  # Scoring.options
    "move_minutes": ("minutes of move", False),
}
_SHORT = 120


def _id(kind: str, item: Any, index: int) -> str:
    if not isinstance(item, dict):
        return f"#{index + 1}"
    if kind == "delegation":
        return str(item.get("code", f"#{index + 1}"))
    if kind == "briefing update":
        return str(item.get("move", f"#{index + 1}"))
    if kind == "accepted warning":
        return f"{item.get('warning')} {item.get('subject')}"
    return str(item.get("id", f"#{index + 1}"))


def _name(kind: str, ident: str) -> str:
    if kind == "delegation" or ident.startswith("#"):
        return f"{kind} {ident}"
    if kind == "briefing update":
        return f"briefing update for move '{ident}'"
    return f"{kind} '{ident}'"


def _words(key: str) -> tuple[str, str]:
    """A field name as words, and its unit: 'deadline_minutes' -> ('deadline', ' minutes')."""
    if key.endswith("_minutes") and key != "move_minutes":
        return key[: -len("_minutes")].replace("_", " "), " minutes"
    return key.replace("_", " "), ""


def _fmt(value: Any, signed: bool = False) -> str:
    if value is _MISSING or value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:+d}" if signed and isinstance(value, int) else str(value)
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    text = str(value)
    return f"'{text}'"


def _short(value: Any) -> bool:
    return not isinstance(value, str) or (len(value) <= _SHORT and "\n" not in value.strip())


class _Diff:
    def __init__(self, file: str) -> None:
        self.file = file
        self.changes: list[dict[str, Any]] = []

    def add(self, path: list[Any], summary: str) -> None:
        self.changes.append(
            {"file": self.file, "path": path, "field": field_path(tuple(path)), "summary": summary}
        )

    def walk(self, a: Any, b: Any, subject: str, path: list[Any], words: list[str]) -> None:
        if a == b:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            keys = list(b) + [k for k in a if k not in b]
            for key in keys:
                if not path and key == "version" and self.file == "scenario.yaml":
                    continue  # every new version changes it
                self.field(a.get(key, _MISSING), b.get(key, _MISSING), key, subject, path, words)
            return
        self.scalar(a, b, subject, path, words, "")

    def field(
        self, va: Any, vb: Any, key: str, subject: str, path: list[Any], words: list[str]
    ) -> None:
        if va == vb:
            return
        here = [*path, key]
        label, unit = _words(key)
        if key in KINDS and _list_of_dicts(va) and _list_of_dicts(vb):
            self.by_id(_as_list(va), _as_list(vb), KINDS[key], subject, here)
        elif key in KEYED and _dict_or_missing(va) and _dict_or_missing(vb):
            self.keyed(_as_dict(va), _as_dict(vb), key, subject, here)
        elif isinstance(va, dict) and isinstance(vb, dict):
            self.walk(va, vb, subject, here, [*words, label])
        elif _scalars(va) and _scalars(vb) and key not in ("audience",):
            self.items(_as_list(va), _as_list(vb), subject, here, [*words, label])
        else:
            self.scalar(va, vb, subject, here, [*words, label], unit)

    def scalar(
        self, a: Any, b: Any, subject: str, path: list[Any], words: list[str], unit: str
    ) -> None:
        what = " ".join(words) or "content"
        if a is _MISSING:
            text = f"{what} set to {_fmt(b)}{unit}" if _short(b) else f"{what} added"
        elif b is _MISSING:
            text = f"{what} removed"
        elif _short(a) and _short(b):
            text = f"{what} {_fmt(a)} → {_fmt(b)}{unit}"
        else:
            text = f"{what} changed"
        self.add(path, f"{_cap(subject)}: {text}" if subject else _cap(text))

    def items(
        self, a: list[Any], b: list[Any], subject: str, path: list[Any], words: list[str]
    ) -> None:
        what = " ".join(words)
        added = [x for x in b if x not in a]
        removed = [x for x in a if x not in b]
        parts = []
        if added:
            parts.append("added " + ", ".join(_fmt(x) for x in added))
        if removed:
            parts.append("removed " + ", ".join(_fmt(x) for x in removed))
        if not parts:
            parts.append("order changed")
        self.add(path, f"{_cap(subject)}: {what} " + "; ".join(parts))

    def keyed(
        self, a: dict[str, Any], b: dict[str, Any], key: str, subject: str, path: list[Any]
    ) -> None:
        noun, signed = KEYED[key]
        for k in list(b) + [k for k in a if k not in b]:
            va, vb = a.get(k, _MISSING), b.get(k, _MISSING)
            if va != vb:
                change = f"{noun} '{k}' {_fmt(va, signed)} → {_fmt(vb, signed)}"
                self.add([*path, k], f"{_cap(subject)}: {change}")

    def by_id(self, a: list[Any], b: list[Any], kind: str, subject: str, path: list[Any]) -> None:
        old = {_id(kind, item, i): (i, item) for i, item in enumerate(a)}
        new = {_id(kind, item, i): (i, item) for i, item in enumerate(b)}
        of = f" of {subject[0].lower()}{subject[1:]}" if subject and kind in _NESTED else ""
        for ident, (index, item) in new.items():
            name = _name(kind, ident) + of
            if ident not in old:
                self.add([*path, index], f"{_cap(name)} added")
            else:
                self.walk(old[ident][1], item, _cap(name), [*path, index], [])
        for ident, (index, _item) in old.items():
            if ident not in new:
                self.add([*path, index], f"{_cap(_name(kind, ident) + of)} removed")
        common_old = [i for i in old if i in new]
        common_new = [i for i in new if i in old]
        if common_old != common_new:
            self.add(path, f"{_cap(subject + ': ' if subject else '')}{kind}s reordered")


_NESTED = {"option", "role", "objective", "red line", "briefing update"}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _list_of_dicts(value: Any) -> bool:
    return value is _MISSING or (
        isinstance(value, list) and all(isinstance(v, dict) for v in value)
    )


def _dict_or_missing(value: Any) -> bool:
    return value is _MISSING or value is None or isinstance(value, dict)


def _scalars(value: Any) -> bool:
    return isinstance(value, list) and all(not isinstance(v, dict | list) for v in value)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _data(text: str | None) -> Any:
    if text is None:
        return _MISSING
    data = plain_data(text)
    return _MISSING if data is None else data


@lru_cache(maxsize=64)
def plain_data(text: str) -> dict[str, Any] | None:
    """A text's data as plain JSON-able values, or None if it is not a readable YAML mapping
    (remembered: the editor asks again for texts it has seen; callers must not change it)."""
    try:
        node, data = parse(text)
    except YamlTrouble:
        return None
    if node is None or not isinstance(data, dict):  # empty, or duplicate keys
        return None
    return plain(data)


def diff_files(old: dict[str, str], new: dict[str, str]) -> list[dict[str, Any]]:
    """Every change from `old` to `new` (the three texts), in words."""
    out: list[dict[str, Any]] = []
    for name in FILE_NAMES:
        if old.get(name) == new.get(name):
            continue
        a, b = _data(old.get(name)), _data(new.get(name))
        diff = _Diff(name)
        if a is _MISSING or b is _MISSING:
            diff.add([], f"{name} changed (one side is not readable YAML)")
        else:
            subject = "Scenario" if name == "scenario.yaml" else ""
            diff.walk(a, b, subject, [], [])
            if not diff.changes and a == b:
                diff.add([], f"{name}: only comments or layout changed")
        out.extend(diff.changes)
    return out
