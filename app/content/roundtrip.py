"""Editing scenario YAML without losing what the author wrote: comments, key order, quotes.

The browser editor changes one field at a time (`apply_ops`); the text is loaded with
ruamel.yaml's round-trip loader, changed in place and written back, so everything the edit does
not touch stays as it was (comments, blank lines, key order, quoting, the indentation the file
uses). Long lines are never re-wrapped.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString
from ruamel.yaml.scanner import RoundTripScanner, ScannerError

from app.content.yamltree import MAX_FLOW_DEPTH

OPS = ("set", "delete", "insert", "append")


class EditError(Exception):
    """An edit that cannot be applied (the file is not readable YAML, or the path is wrong)."""

    def __init__(self, message: str, file: str = "", path: tuple[Any, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.path = path


_KEY_LINE = re.compile(r"^( *)[^\s#-][^#]*:\s*(#.*)?$")
_ITEM_LINE = re.compile(r"^( *)- ")


def guess_indent(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, offset) indentation of a block-style YAML text, from its first
    'key:' line followed by a nested key or list item; the bundled style (2, 4, 2) otherwise.

    `sequence` is where an item's content starts and `offset` where its dash is, both relative
    to the parent key (ruamel.yaml's terms). Cheaper than ruamel's own guess, which parses the
    whole text once more.
    """
    mapping = sequence = offset = None
    previous: re.Match[str] | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _ITEM_LINE.match(line)
        if previous is not None:
            base = len(previous.group(1))
            if item and offset is None and len(item.group(1)) >= base:
                offset = len(item.group(1)) - base
                sequence = offset + 2
            elif not item and mapping is None and len(line) - len(line.lstrip(" ")) > base:
                mapping = len(line) - len(line.lstrip(" ")) - base
        if mapping is not None and offset is not None:
            break
        previous = _KEY_LINE.match(line) if not item else None
    return mapping or 2, sequence or 4, offset if offset is not None else 2


class _Scanner(RoundTripScanner):
    """ruamel.yaml's scanner, stopping at '[' or '{' nested past `MAX_FLOW_DEPTH` (its look-ahead
    over unclosed ones costs the square of the depth, as PyYAML's does: see yamltree)."""

    def fetch_flow_collection_start(self, TokenClass: Any, to_push: str) -> None:  # noqa: N803
        if self.flow_level >= MAX_FLOW_DEPTH:
            raise ScannerError(
                None,
                None,
                f"[ and {{ are nested too deeply (more than {MAX_FLOW_DEPTH} levels)",
                self.reader.get_mark(),
            )
        super().fetch_flow_collection_start(TokenClass, to_push)


def _yaml(text: str) -> tuple[YAML, Any]:
    mapping, sequence, offset = guess_indent(text)
    yaml = YAML()  # round-trip
    yaml.Scanner = _Scanner
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap an author's long line
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml, yaml.load(text)


def load(text: str, file: str = "") -> tuple[YAML, Any]:
    """The round-trip YAML object and data of a text; `EditError` if it is not readable."""
    try:
        return _yaml(text)
    except RecursionError:
        raise EditError(f"{file or 'the file'} is nested too deeply to edit", file) from None
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise EditError(
            f"{file or 'the file'} is not readable YAML{where}: fix it in the YAML view first",
            file,
        ) from None


def dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def to_yaml_value(value: Any) -> Any:
    """A JSON value as round-trip YAML: blocks for mappings and lists, `|` for multi-line text."""
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[str(key)] = to_yaml_value(item)
        return mapping
    if isinstance(value, list):
        seq = CommentedSeq()
        seq.extend(to_yaml_value(item) for item in value)
        return seq
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value if value.endswith("\n") else value + "\n")
    return value


def _step(node: Any, part: Any, file: str, path: tuple[Any, ...]) -> Any:
    if isinstance(node, dict) and isinstance(part, str) and part in node:
        return node[part]
    if _is_index(part) and isinstance(node, list) and 0 <= part < len(node):
        return node[part]
    raise EditError(f"there is no field {_label(path)} in {file}", file, path)


def _is_index(part: Any) -> bool:
    return isinstance(part, int) and not isinstance(part, bool)


def _label(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(the whole file)"


def _apply(data: Any, op: dict[str, Any], file: str) -> Any:
    kind = op.get("op")
    path = op.get("path")
    if kind not in OPS:
        raise EditError(f"unknown edit {kind!r} (expected one of {', '.join(OPS)})", file)
    if not isinstance(path, list) or not all(
        isinstance(p, str) or (isinstance(p, int) and not isinstance(p, bool)) for p in path
    ):
        raise EditError("an edit's path must be a list of keys and indexes", file)
    path_t = tuple(path)
    if kind != "delete" and "value" not in op and kind != "append":
        raise EditError(f"the edit of {_label(path_t)} has no value", file, path_t)
    value = to_yaml_value(op.get("value"))
    if not path_t:
        if kind == "set":
            return value
        raise EditError(f"cannot {kind} the whole file", file, path_t)
    parent: Any = data
    for depth, part in enumerate(path_t[:-1]):
        parent = _step(parent, part, file, path_t[: depth + 1])
    last = path_t[-1]
    if kind == "append":
        target = _step(parent, last, file, path_t)
        if not isinstance(target, list):
            raise EditError(f"{_label(path_t)} is not a list", file, path_t)
        target.append(value)
    elif kind == "set":
        in_map = isinstance(parent, dict) and isinstance(last, str)
        if in_map or (isinstance(parent, list) and _is_index(last) and 0 <= last < len(parent)):
            parent[last] = value
        elif isinstance(parent, list) and isinstance(last, int) and last == len(parent):
            parent.append(value)
        else:
            raise EditError(f"cannot set {_label(path_t)}", file, path_t)
    elif kind == "delete":
        _step(parent, last, file, path_t)  # it must exist
        del parent[last]
    else:  # insert into a list, before index `last`
        if not isinstance(parent, list) or not isinstance(last, int) or last > len(parent):
            raise EditError(f"cannot insert at {_label(path_t)}", file, path_t)
        parent.insert(max(last, 0), value)
    return data


def apply_ops(files: dict[str, str], ops: list[dict[str, Any]]) -> dict[str, str]:
    """The texts after the edits, in order; files no edit touches come back unchanged."""
    loaded: dict[str, tuple[YAML, Any]] = {}
    for op in ops:
        if not isinstance(op, dict):
            raise EditError("each edit must be an object {file, path, op, value}")
        file = op.get("file")
        if file not in files:
            raise EditError(f"unknown file {file!r} (expected one of {', '.join(files)})")
        if file not in loaded:
            loaded[file] = load(files[file], file)
        yaml, data = loaded[file]
        loaded[file] = (yaml, _apply(data, op, file))
    out = dict(files)
    for file, (yaml, data) in loaded.items():
        out[file] = dump(yaml, data)
    return out


def set_fields(text: str, file: str = "scenario.yaml", **fields: Any) -> str:
    """The text with top-level fields set (e.g. `version=3`), everything else kept as written."""
    yaml, data = load(text, file)
    if not isinstance(data, dict):
        raise EditError(f"{file} is not a block of 'key: value' lines", file)
    changed = False
    for key, value in fields.items():
        if data.get(key) != value or key not in data:
            data[key] = to_yaml_value(value)
            changed = True
    return dump(yaml, data) if changed else text


def plain(value: Any) -> Any:
    """Round-trip data as plain JSON-able Python (dates as ISO text)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return str(value) if isinstance(value, str) else value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
