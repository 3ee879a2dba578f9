"""Checking and editing a large scenario does not stall the server: the YAML work of the
library's routes runs off the event loop, so a class in session keeps being answered."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from tests.live.harness import LiveServer

BUNDLED = Path(__file__).resolve().parents[2] / "game_content" / "scenarios" / "trilateral-2023"
FILES = ("scenario.yaml", "delegations.yaml", "injects.yaml")


def _large() -> dict[str, str]:
    """The bundled scenario with its injects written five times (~420 KB; seconds of YAML)."""
    files = {name: (BUNDLED / name).read_text() for name in FILES}
    head, sep, body = files["injects.yaml"].partition("injects:\n")
    files["injects.yaml"] = head + sep + body * 5
    return files


@pytest.mark.parametrize("route", ["validate", "edit"])
def test_a_page_is_answered_while_a_large_scenario_is_checked(
    start_server: Callable[..., LiveServer], route: str
) -> None:
    """Is a page asked for while a facilitator's large scenario is being validated (or edited)
    answered at once, before that request is? (On the event loop, every client waited seconds.)"""
    server = start_server(ASYNC_MODE="eventlet")
    server.create_facilitator("prof")
    headers = {"Authorization": f"Bearer {server.facilitator_token('prof')}"}
    api = server.url + "/api/library"
    files = _large()
    if route == "validate":
        request = ("POST", api + "/validate", {"files": files})
    else:
        copy = {"slug": "trilateral-2023", "new_slug": "big"}
        assert requests.post(api + "/duplicate", json=copy, headers=headers, timeout=60).ok
        draft = requests.get(api + "/big/draft", headers=headers, timeout=60).json()
        saved = requests.put(
            api + "/big/draft",
            json={"revision": draft["revision"], "files": files},
            headers=headers,
            timeout=120,
        ).json()
        op = {"file": "injects.yaml", "path": ["injects", 0, "title"], "op": "set", "value": "T"}
        request = ("POST", api + "/big/edit", {"revision": saved["revision"], "ops": [op]})
    order: list[str] = []

    def work() -> None:
        method, url, body = request
        answer = requests.request(method, url, json=body, headers=headers, timeout=120)
        assert answer.status_code == 200, answer.text[:200]
        order.append(route)

    working = threading.Thread(target=work)
    working.start()
    time.sleep(0.3)  # the request is read and reaches its YAML work (which takes a second or more)
    assert requests.get(server.url + "/join", timeout=120).status_code == 200
    order.append("page")
    working.join()
    # The order, not a time: no timed assertion in the suite (bench/ measures the wait).
    assert order == ["page", route]
