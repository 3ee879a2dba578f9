"""Every error code the server can send is in docs/protocol.md's table of error codes: the codes
are read from the source of `app/` (refusals raised, errors answered, connections refused), so a
new code cannot ship undocumented."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Calls whose first argument is an error code.
RAISERS = {"CommandError", "SessionError", "fail", "_error", "_refuse"}
# The scenario library's authoring API (issue 12) documents its own errors with its routes in
# docs/architecture.md, and a scenario's problems (`app/content/`) have codes of their own
# (docs/scenario-format.md); they are left out here.
ELSEWHERE = {Path("app/store/library.py"), Path("app/web/library.py"), Path("app/content")}
# HTTP errors werkzeug raises answer their status's name (app/web/__init__.py); the protocol
# documents the ones a client meets.
HTTP_NAMES = {"not_found", "method_not_allowed", "server_error"}


def codes_in_app() -> dict[str, set[str]]:
    """Error code -> the files that can send it."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "app").rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative in ELSEWHERE or relative.parent in ELSEWHERE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for code in _codes(node):
                found.setdefault(code, set()).add(str(relative))
    return found


def _codes(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Call) and node.args:
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        first = node.args[0]
        if name in RAISERS and isinstance(first, ast.Constant) and isinstance(first.value, str):
            return [first.value]
    if isinstance(node, ast.Dict):
        return [
            value.value
            for key, value in zip(node.keys, node.values, strict=True)
            if isinstance(key, ast.Constant)
            and key.value == "code"
            and isinstance(value, ast.Constant)
            and isinstance(value.value, str)
        ]
    if not isinstance(node, ast.Assign):
        return []
    names = {getattr(target, "id", None) for target in node.targets}
    if "api_code" in names and isinstance(node.value, ast.Constant):
        return [node.value.value]  # an HTTP exception's code (app/web/jsonio.py)
    if "API_CODES" in names and isinstance(node.value, ast.Dict):
        return [v.value for v in node.value.values if isinstance(v, ast.Constant)]
    return []


def documented_codes() -> set[str]:
    """The codes in the first column of docs/protocol.md's "Error codes" table."""
    text = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    section = text[text.index("## 7. Error codes") :]
    section = section[: section.index("\n## ")]
    codes: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            codes.update(re.findall(r"`([a-z_]+)`", line.split("|")[1]))
    return codes


def test_the_scan_finds_the_codes_it_should() -> None:
    """Does the source scan see codes of each kind (a rule's, a shape check's, a connection
    refusal, an HTTP answer, an ack built by hand), so a broken scan cannot pass vacuously?"""
    found = codes_in_app()
    for code in (
        "wrong_state",
        "bad_field",
        "too_many_connections",
        "bad_credentials",
        "rate_limited",
        "too_deep",
        "id_reused",
    ):
        assert code in found, code


def test_every_error_code_in_app_is_documented() -> None:
    """Is every error code the server's code can send in docs/protocol.md's table?"""
    missing = {
        code: sorted(files)
        for code, files in codes_in_app().items()
        if code not in documented_codes()
    }
    assert missing == {}


def test_every_documented_code_exists() -> None:
    """Does every code in the table come from the server (no stale or invented code)?"""
    assert documented_codes() - set(codes_in_app()) - HTTP_NAMES == set()
