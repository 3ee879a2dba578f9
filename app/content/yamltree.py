"""Reading YAML while keeping line numbers, so every problem can point at its line.

PyYAML's `safe_load` forgets where values came from and silently keeps the last of two equal
keys; here the text is composed into a node tree first (which remembers lines), checked for
duplicate keys, and only then turned into plain Python data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Loc = tuple[str | int, ...]


# '[' and '{' nested deeper than this are refused as the scanner meets them. A scenario needs
# two or three levels; PyYAML's scanner looks ahead over every unclosed '[' (each could start a
# key) at a cost that grows with the square of the depth: 100,000 of them in 200 KB took 4.4 s
# of the only event loop before the parser gave up, and ruamel.yaml (field edits) 21 s.
MAX_FLOW_DEPTH = 50


class _Loader(yaml.SafeLoader):
    """SafeLoader whose impossible dates (2022-13-45) fail with a line instead of a bare error,
    and that stops at flow collections nested past `MAX_FLOW_DEPTH`."""

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:  # noqa: N803 (PyYAML's name)
        if self.flow_level >= MAX_FLOW_DEPTH:
            raise yaml.scanner.ScannerError(
                None,
                None,
                f"[ and {{ are nested too deeply (more than {MAX_FLOW_DEPTH} levels)",
                self.get_mark(),
            )
        super().fetch_flow_collection_start(TokenClass)

    def construct_yaml_timestamp(self, node: Node) -> Any:  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a real date ({error})", node.start_mark
            ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


class YamlTrouble(Exception):
    """The text is not readable YAML; `line` is 1-based."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class DuplicateKey:
    """A key written twice in the same mapping; YAML would silently keep only the last."""

    loc: Loc
    line: int
    first_line: int


@dataclass(frozen=True)
class DuplicateKeys:
    """Stands in for the data of a file that has duplicate keys (the data would be misleading)."""

    found: list[DuplicateKey]


# Plain-word explanations of PyYAML's most common complaints.
_HINTS = {
    "found character '\\t' that cannot start any token": (
        "a tab character is used for indentation; YAML needs spaces"
    ),
    "mapping values are not allowed here": (
        "a colon followed by a space appears where YAML does not expect one: either the "
        "indentation is off, or a text containing ': ' needs quotes"
    ),
    "could not find expected ':'": "a line is missing its 'key: value' colon",
    "found unexpected end of stream": "a quote or bracket is opened but never closed",
}


def _explain(error: yaml.YAMLError) -> YamlTrouble:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    if problem in _HINTS:
        text = _HINTS[problem]
    elif problem == "sequence entries are not allowed here":
        text = "a '- ' list item appears where YAML does not expect one (check the indentation)"
    elif context and context.startswith("while parsing a flow"):
        text = "a [list] or {block} written on one line is not closed, or lacks a comma"
    elif (
        problem.startswith(("expected <block end>", "expected '<document start>'"))
        or "did not find expected" in problem
    ):
        text = "the indentation is inconsistent (a line is indented more or less than its block)"
    elif problem.startswith("found undefined alias"):
        text = f"{problem} (a '*name' without a matching '&name')"
    else:
        text = f"{context}, {problem}" if context else problem
    return YamlTrouble(line, f"the YAML cannot be read: {text}")


def parse(text: str) -> tuple[Node | None, Any]:
    """Compose `text` into a node tree and build its plain data; raise `YamlTrouble` if unreadable.

    Returns (None, None) for a file with no content at all.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _check_size(node)
        duplicates = list(duplicate_keys(node))
        if duplicates:
            return node, DuplicateKeys(duplicates)
        return node, loader.construct_document(node)
    except yaml.YAMLError as error:
        raise _explain(error) from None
    except RecursionError:
        raise YamlTrouble(None, "the YAML cannot be read: it is nested too deeply") from None
    finally:
        loader.dispose()


# A scenario's largest file holds a few thousand values; aliases ('*name') that repeat each other
# could make a small text stand for billions of them (a "billion laughs"): refused, with a line.
MAX_VALUES = 200_000


def _check_size(node: Node) -> None:
    """Raise `YamlTrouble` if the text, with its aliases expanded, holds too many values."""
    count = 0
    stack = [node]
    while stack:
        current = stack.pop()
        count += 1
        if count > MAX_VALUES:
            raise YamlTrouble(
                current.start_mark.line + 1,
                f"the YAML holds more than {MAX_VALUES} values once its aliases ('*name') are "
                f"expanded; write the values out instead",
            )
        if isinstance(current, MappingNode):
            for key_node, value_node in current.value:
                stack.append(key_node)
                stack.append(value_node)
        elif isinstance(current, SequenceNode):
            stack.extend(current.value)


def _scalar_key(node: Node) -> str | None:
    return node.value if isinstance(node, ScalarNode) else None


def duplicate_keys(node: Node, loc: Loc = ()) -> Iterator[DuplicateKey]:
    """Every key that repeats an earlier key of the same mapping, anywhere in the tree."""
    seen: set[int] = set()
    stack: list[tuple[Node, Loc]] = [(node, loc)]
    while stack:
        current, here = stack.pop()
        if id(current) in seen:  # aliases share nodes; visit each once
            continue
        seen.add(id(current))
        if isinstance(current, MappingNode):
            first: dict[str, int] = {}
            for key_node, value_node in current.value:
                key = _scalar_key(key_node)
                if key is None or key == "<<":
                    continue
                line = key_node.start_mark.line + 1
                if key in first:
                    yield DuplicateKey(here + (key,), line, first[key])
                else:
                    first[key] = line
                stack.append((value_node, here + (key,)))
        elif isinstance(current, SequenceNode):
            for index, item in enumerate(current.value):
                stack.append((item, here + (index,)))


def line_of(node: Node | None, loc: Loc) -> int | None:
    """The 1-based line of the field at `loc`, or of its nearest existing parent.

    A mapping field points at its key's line ("response_options:" rather than the first option),
    which is where an instructor reads the name the message uses.
    """
    if node is None:
        return None
    line = node.start_mark.line + 1
    current: Node | None = node
    for part in loc:
        if current is None:
            break
        if part == "[key]":  # pydantic's marker for a problem with a dict key itself
            continue
        if isinstance(current, MappingNode) and isinstance(part, str):
            match = next((pair for pair in current.value if _scalar_key(pair[0]) == part), None)
            if match is None:
                break
            line = match[0].start_mark.line + 1
            current = match[1]
        elif isinstance(current, SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(current.value):
                break
            current = current.value[part]
            line = current.start_mark.line + 1
        else:
            break
    return line
