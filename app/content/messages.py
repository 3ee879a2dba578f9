"""Pydantic's validation errors, retold in words an instructor understands."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, get_args

from pydantic import BaseModel

from app.content.fields import CODE_PATTERN, COLOUR_PATTERN, ID_PATTERN
from app.content.yamltree import Loc

_PATTERNS = {
    ID_PATTERN: (
        "is not a valid id: ids use lowercase letters, digits and hyphens "
        "(like 'move-1'), and start with a letter or digit"
    ),
    CODE_PATTERN: "is not a valid delegation code: use 2 to 5 capital letters, like JPN",
    COLOUR_PATTERN: 'is not a colour: write it as "#rrggbb" in quotes, like "#bc002d"',
}


def field_path(loc: Loc) -> str:
    """The loc of an error as people write it: ('injects', 3, 'title') -> 'injects[3].title'."""
    text = ""
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def listing(names: Iterable[str], limit: int = 12) -> str:
    """A short comma-separated list, cut after `limit` names."""
    names = list(names)
    if not names:
        return "(none)"
    shown = ", ".join(names[:limit])
    more = len(names) - limit
    return f"{shown} and {more} more" if more > 0 else shown


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a choice is close to `name`, else ''."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def kind(value: Any) -> str:
    """What a YAML value looks like to its author, e.g. "the number 5", "a list"."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (yes/no)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {short!r}"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a block of 'key: value' lines"
    return type(value).__name__


def _noun(loc: Loc, count: int) -> str:
    name = next((part for part in reversed(loc) if isinstance(part, str)), "items")
    words = name.replace("_", " ")
    if count == 1 and words.endswith("s"):
        words = words[:-1]
    return words


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that validates the mapping at `loc`, to list its allowed fields."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue  # a list item: its model was already found from the list's field
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def is_consequence(error: dict[str, Any]) -> bool:
    """True for a 'too short' error that only repeats that some items of a list were invalid.

    Pydantic counts the items left after validation, so one bad response option also reports
    "needs at least 1 response option, found 0"; the input itself was long enough.
    """
    if error["type"] != "too_short":
        return False
    value = error.get("input")
    return isinstance(value, Sequence | dict) and len(value) >= error["ctx"]["min_length"]


def describe(error: dict[str, Any], model: type[BaseModel]) -> str:
    """One pydantic error (from `ValidationError.errors()`) as a plain sentence."""
    kind_of = error["type"]
    loc: Loc = tuple(error["loc"])
    value = error.get("input")
    ctx = error.get("ctx") or {}
    name = str(loc[-1]) if loc and not isinstance(loc[-1], int) else ""
    if name == "[key]":
        name = str(loc[-2])

    if kind_of == "missing":
        return f"the required field '{name}' is missing"
    if kind_of == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        if parent is None:
            return f"'{name}' is not a known field here"
        known = list(parent.model_fields)
        return (
            f"'{name}' is not a known field here{did_you_mean(name, known)}; "
            f"the fields here are: {', '.join(known)}"
        )
    if kind_of == "string_type":
        if value is None and name == "colour":
            return (
                "is empty: in YAML everything after # is a comment, so write the colour in "
                'quotes, like "#bc002d"'
            )
        if value is None:
            return "is empty: write a value after the colon"
        if isinstance(value, list | dict):
            return f"should be text, found {kind(value)}"
        return f"should be text, found {kind(value)}; put it in quotes"
    if kind_of in {"int_type", "int_parsing", "int_from_float"}:
        return f"should be a whole number, found {kind(value)}"
    if kind_of in {"float_type", "float_parsing"}:
        return f"should be a number, found {kind(value)}"
    if kind_of in {"bool_type", "bool_parsing"}:
        return f"should be true or false, found {kind(value)}"
    if kind_of == "literal_error":
        return f"should be {ctx.get('expected', 'one of the allowed words')}, found {kind(value)}"
    if kind_of == "too_short":
        need = ctx["min_length"]
        found = len(value) if isinstance(value, Sequence | dict) else 0
        return f"needs at least {need} {_noun(loc, need)}, found {found}"
    if kind_of == "too_long":
        most = ctx["max_length"]
        found = len(value) if isinstance(value, Sequence | dict) else ctx.get("actual_length")
        return f"allows at most {most} {_noun(loc, most)}, found {found}"
    if kind_of == "string_too_short":
        return "should not be empty"
    if kind_of == "string_pattern_mismatch":
        explanation = _PATTERNS.get(ctx.get("pattern"), f"does not match {ctx.get('pattern')}")
        return f"{value!r} {explanation}"
    limits = {
        "greater_than_equal": ("at least", "ge"),
        "less_than_equal": ("at most", "le"),
        "greater_than": ("more than", "gt"),
        "less_than": ("less than", "lt"),
    }
    if kind_of in limits:
        words, key = limits[kind_of]
        return f"should be {words} {ctx.get(key)}, found {value}"
    if kind_of in {"model_type", "model_attributes_type", "dict_type"}:
        if value is None:
            return "is empty: it needs its own indented 'key: value' lines"
        return f"should be a block of indented 'key: value' lines, found {kind(value)}"
    if kind_of in {"tuple_type", "list_type"}:
        return f"should be a list (one '- ' line per item, or [a, b]), found {kind(value)}"
    if kind_of == "invalid_key":
        return f"the key {kind(value)} is not a name: keys here must be text"
    if kind_of in {"value_error", "assertion_error"} and "error" in ctx:
        return str(ctx["error"])
    return str(error.get("msg", kind_of))


def without_typo_twins(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop "'x' is missing" when an unknown key next to it is a misspelling of 'x'.

    A typo such as `teaching_pont:` otherwise reports two problems for one slip of the finger;
    the unknown-key message already says "did you mean 'teaching_point'?".
    """
    missing = {tuple(e["loc"]): e for e in errors if e["type"] == "missing"}
    twins: set[tuple[Any, ...]] = set()
    for error in errors:
        if error["type"] != "extra_forbidden":
            continue
        parent, name = tuple(error["loc"][:-1]), str(error["loc"][-1])
        names = [str(loc[-1]) for loc in missing if loc[:-1] == parent]
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
        if close:
            twins.add(parent + (close[0],))
    return [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in twins)]
