"""The contract fixture: the Flask-SocketIO test client reports every message it receives and
every ack it gets to `tests/contract/recorder.py`; a test whose messages do not match the spec
fails, naming the message, the path and why. Imported by tests/conftest.py (autouse)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask_socketio.test_client import SocketIOTestClient

from app.engine import events
from tests.contract import recorder

events.CHECKING = True  # every draft the rules make is checked against app/engine/events.py


class _Queue(list):
    """A test client's receive queue that shows each arriving message to the recorder."""

    def __init__(self, client: SocketIOTestClient, items: Any = ()) -> None:
        super().__init__(items)
        self.client = client

    def append(self, item: Any) -> None:
        super().append(item)
        _received(self.client, item)


def _received(client: SocketIOTestClient, item: dict[str, Any]) -> None:
    name, args = item.get("name"), item.get("args") or [None]
    payload = args[0]
    if name == "sync":
        client.__dict__["contract_viewer"] = recorder.observe_sync(payload)
    elif name == "event":
        recorder.observe_event(payload, client.__dict__.get("contract_viewer"))
    else:
        recorder.observe_signal(str(name), payload)


def _get_queue(client: SocketIOTestClient) -> list[Any]:
    return client.__dict__["contract_queue"]


def _set_queue(client: SocketIOTestClient, items: list[Any]) -> None:
    client.__dict__["contract_queue"] = _Queue(client, items)


_emit = SocketIOTestClient.emit


def _emit_checked(client: SocketIOTestClient, event: str, *args: Any, **kwargs: Any) -> Any:
    answer = _emit(client, event, *args, **kwargs)
    if kwargs.get("callback") and answer is not None:
        if event == "command":
            recorder.observe_ack(answer, args[0] if args else None)
        elif event == "history":
            recorder.observe_history_ack(answer, client.__dict__.get("contract_viewer"))
    return answer


SocketIOTestClient.queue = property(_get_queue, _set_queue)  # type: ignore[assignment]
SocketIOTestClient.emit = _emit_checked  # type: ignore[method-assign]


def _report(found: list[str]) -> str:
    more = f"\n  ... and {len(found) - 20} more" if len(found) > 20 else ""
    return (
        "the server sent messages that do not match docs/spec (declare new fields in "
        "app/engine/events.py or app/protocol/messages.py, then run `flask protocol spec`):\n  "
        + "\n  ".join(found[:20])
        + more
    )


@pytest.fixture(autouse=True)
def contract_check() -> Iterator[None]:
    """Fail the test if anything it received (to its very teardown) broke the contract."""
    recorder.reset()
    yield
    found = recorder.take()
    if found:
        pytest.fail(_report(found), pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    """Fail the test itself (not only its teardown) when its body received a bad message."""
    result = yield
    found = recorder.take()
    if found:
        raise AssertionError(_report(found))
    return result
