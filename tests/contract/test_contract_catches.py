"""The contract checks catch what they are for: an undeclared field in an event (on the wire and
already when the rules make it), a facilitator-only field reaching a player, a malformed ack."""

from __future__ import annotations

from typing import Any

import pytest

from app.engine import Draft, events
from app.realtime import service
from tests.contract import recorder


def test_an_undeclared_draft_fails_where_the_rules_make_it() -> None:
    assert events.CHECKING
    with pytest.raises(events.ShapeError, match="surprise: not declared"):
        Draft("lobby_locked", "all", {"locked": True, "surprise": 1})
    with pytest.raises(events.ShapeError, match="not declared in app/engine/events.py"):
        Draft("lobby_exploded", "all", {})
    with pytest.raises(events.ShapeError, match="locked: 'yes' is not a bool"):
        Draft("lobby_locked", "all", {"locked": "yes"})


def _tamper(monkeypatch: pytest.MonkeyPatch, kind: str, change: Any) -> None:
    real = service.event_view

    def tampered(event: Any, viewer: Any) -> dict[str, Any]:
        view = real(event, viewer)
        if event.type == kind:
            change(view, viewer)
        return view

    monkeypatch.setattr(service, "event_view", tampered)


def test_a_bad_event_on_the_wire_is_reported_with_its_type_path_and_reason(
    table: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tamper(monkeypatch, "lobby_locked", lambda view, _viewer: view["data"].update(surprise=1))
    assert table.fac_send("lobby.lock", locked=True)["ok"]
    found = recorder.take()
    assert found, "the contract check missed an undeclared field"
    assert all("event 'lobby_locked'" in f and "at $.data" in f for f in found)
    assert any("'surprise' was unexpected" in f for f in found)


def test_a_facilitator_only_field_reaching_a_player_is_caught(
    table: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def leak(view: dict[str, Any], viewer: Any) -> None:
        view["data"]["score_deltas"] = {"JPN": {}}  # facilitators' only

    _tamper(monkeypatch, "lobby_locked", leak)
    assert table.fac_send("lobby.lock", locked=True)["ok"]
    found = recorder.take()
    assert any("for the player" in f and "'score_deltas' was unexpected" in f for f in found)


def test_a_malformed_ack_is_caught(table: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "execute", lambda *a, **k: {"ok": True, "sequence": 3})
    from app.realtime import handlers

    monkeypatch.setattr(handlers, "execute", service.execute)
    table.fac_send("lobby.lock", locked=True)
    found = recorder.take()
    assert any("ack of command 'lobby.lock'" in f for f in found), found


def test_a_server_can_be_told_to_check_its_events(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from app import create_app
    from app.config import Config

    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setattr(events, "CHECKING", False)
    config = Config()
    config.ASYNC_MODE = "threading"
    create_app(config)
    assert not events.CHECKING
    config.CHECK_EVENT_SHAPES = True
    create_app(config)
    assert events.CHECKING
