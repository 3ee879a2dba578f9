"""The generated spec: fresh on disk, served at /api/spec/, valid JSON Schema, and complete (every
command, event type and error code the server has is in it)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from jsonschema import Draft202012Validator

from app.engine.apply import _HANDLERS
from app.engine.commands import COMMANDS
from app.engine.events import EVENTS
from app.protocol import messages
from app.protocol.spec import documents, stale

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "docs" / "spec"


def test_the_committed_spec_is_what_the_code_generates() -> None:
    assert stale(SPEC) == [], "docs/spec is stale: run `flask --app app protocol spec`"


def test_generation_is_deterministic() -> None:
    first = dict(documents())
    documents.cache_clear()
    assert documents() == first


def test_every_schema_is_valid_draft_2020_12() -> None:
    for path, text in documents().items():
        if path.startswith("schemas/"):
            Draft202012Validator.check_schema(json.loads(text))


def test_every_reference_of_the_asyncapi_document_resolves() -> None:
    files = {path: json.loads(text) for path, text in documents().items()}
    api = files["asyncapi.json"]
    assert api["asyncapi"] == "3.0.0"

    def refs(node: object) -> list[str]:
        if isinstance(node, dict):
            own = [node["$ref"]] if "$ref" in node else []
            return own + [r for v in node.values() for r in refs(v)]
        if isinstance(node, list):
            return [r for v in node for r in refs(v)]
        return []

    for ref in refs(api):
        if ref.startswith("#/"):
            node = api
            for part in ref[2:].split("/"):
                node = node[part]
        else:
            assert ref in files, ref  # relative to asyncapi.json, as under /api/spec/
    for channel in ("command", "event", "sync", "history", "connect", *messages.SIGNALS):
        assert channel in api["channels"]


def test_the_spec_covers_every_command_event_and_fold() -> None:
    command = json.loads(documents()["schemas/command.json"])
    assert set(command["$defs"]) - {"id"} == set(COMMANDS)
    event = json.loads(documents()["schemas/event.json"])
    assert set(event["$defs"]) == set(EVENTS)
    # Every event type the fold knows is declared (the fold may ignore some, e.g. messages).
    assert set(_HANDLERS) <= set(EVENTS)


def test_every_error_code_the_socket_side_can_answer_is_declared() -> None:
    # Codes raised as CommandError, or answered directly, by the engine and the realtime layer.
    found: set[str] = set()
    pattern = re.compile(
        r"""(?:CommandError|_error|_refuse)\(\s*"([a-z_]+)"|"code": "([a-z_]+)\""""
    )
    for folder in ("app/engine", "app/realtime"):
        for path in (ROOT / folder).glob("*.py"):
            for match in pattern.finditer(path.read_text(encoding="utf-8")):
                found.add(match.group(1) or match.group(2))
    # Raised only on the HTTP paths (joining, reclaiming), which answer as HTTP errors.
    http_only = {"bad_name", "lobby_locked", "unknown_reclaim_code", "unknown_code"}
    declared = set(messages.ERROR_CODES) | set(messages.CONNECT_ERROR_CODES)
    missing = found - http_only - declared
    assert not missing, (
        f"error codes {sorted(missing)} are not in the spec: add them to ERROR_CODES in "
        "app/protocol/messages.py, then run `flask --app app protocol spec`"
    )


def test_the_app_serves_the_spec(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    for path, text in documents().items():
        response = client.get(f"/api/spec/{path}")
        assert response.status_code == 200, path
        assert response.mimetype == "application/json"
        assert response.get_data(as_text=True) == text
    missing = client.get("/api/spec/schemas/nothing.json")
    assert missing.status_code == 404
    assert missing.get_json()["ok"] is False


def test_the_cli_writes_and_checks_the_spec(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    assert runner.invoke(args=["protocol", "spec", "--check"]).exit_code == 0
    out = tmp_path / "spec"
    assert runner.invoke(args=["protocol", "spec", "--check", "--out", str(out)]).exit_code == 1
    written = runner.invoke(args=["protocol", "spec", "--out", str(out)])
    assert written.exit_code == 0, written.output
    assert (out / "schemas" / "sync.json").read_text() == documents()["schemas/sync.json"]
    (out / "schemas" / "old.json").write_text("{}")
    assert runner.invoke(args=["protocol", "spec", "--check", "--out", str(out)]).exit_code == 1
    runner.invoke(args=["protocol", "spec", "--out", str(out)])
    assert not (out / "schemas" / "old.json").exists()
