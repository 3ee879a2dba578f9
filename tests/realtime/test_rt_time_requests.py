"""Students ask the White Cell for more time on a deadline; the facilitator extends (or not)."""

from __future__ import annotations

from typing import Any

from tests.conftest import events_of
from tests.realtime.conftest import event_rows, syncs_of

NK = "nk-23-missiles"
USA_ONLY = "usa-intel-test-readiness"


def fire(t: Any, inject_id: str = NK) -> None:
    assert t.fac_send("session.start")["ok"]
    assert t.fac_send("inject.fire", inject_id=inject_id)["ok"]


def requests_in_sync(client: Any, connect: Any, token: str, **kw: Any) -> list[dict[str, Any]]:
    fresh = connect(token, **kw)
    [sync] = syncs_of(fresh)
    fresh.disconnect()
    inject = next(i for i in sync["state"]["injects"] if i["id"] == NK)
    return inject["time_requests"]


def test_a_request_reaches_the_facilitators_and_is_stored(table: Any) -> None:
    """Does a player's request for more time reach the console and stay in the log?"""
    fire(table)
    table.fac.get_received()
    ack = table.as_("JPN", "deadline.request_time", inject_id=NK, minutes=10)
    assert ack["ok"], ack
    assert event_rows(table.game.id)[-1] == (ack["seq"], "time_requested")
    [heard] = events_of(table.fac, "time_requested")
    assert heard["data"] == {"inject_id": NK, "delegation": "JPN", "minutes": 10}
    assert heard["actor"]["name"] == "Aiko"


def test_minutes_default_to_five(table: Any) -> None:
    """Without minutes, does the request ask for five?"""
    fire(table)
    assert table.as_("USA", "deadline.request_time", inject_id=NK)["ok"]
    [heard] = events_of(table.fac, "time_requested")
    assert heard["data"]["minutes"] == 5


def test_one_pending_request_per_delegation_until_an_extension(
    table: Any, connect: Any, fac_token: str, seat_token: Any
) -> None:
    """Is a second request refused while one is pending, and possible again after an extension?"""
    fire(table)
    assert table.as_("JPN", "deadline.request_time", inject_id=NK)["ok"]
    again = table.as_("JPN", "deadline.request_time", inject_id=NK)
    assert again["error"]["code"] == "wrong_state"
    pending = requests_in_sync(table.fac, connect, fac_token, session_id=table.game.id)
    assert [r["delegation"] for r in pending] == ["JPN"]
    assert table.fac_send("deadline.extend", inject_id=NK, minutes=5)["ok"]
    assert requests_in_sync(table.fac, connect, fac_token, session_id=table.game.id) == []
    assert table.as_("JPN", "deadline.request_time", inject_id=NK)["ok"]


def test_players_see_only_their_own_delegations_requests(
    table: Any, connect: Any, seat_token: Any, fac_token: str
) -> None:
    """Does a delegation see its own pending request in its state, but not another's?"""
    fire(table)
    assert table.as_("JPN", "deadline.request_time", inject_id=NK)["ok"]
    assert table.as_("KOR", "deadline.request_time", inject_id=NK)["ok"]
    assert [r["delegation"] for r in requests_in_sync(None, connect, seat_token("JPN"))] == ["JPN"]
    assert requests_in_sync(None, connect, seat_token("USA")) == []
    assert events_of(table.players["USA"], "time_requested") == []
    every = requests_in_sync(None, connect, fac_token, session_id=table.game.id)
    assert [r["delegation"] for r in every] == ["JPN", "KOR"]


def test_refusals(table: Any) -> None:
    """Are requests refused for facilitators, unknown or unseen injects, and closed deadlines?"""
    fire(table)
    assert table.fac_send("deadline.request_time", inject_id=NK)["error"]["code"] == "not_player"
    unknown = table.as_("JPN", "deadline.request_time", inject_id="no-such-inject")
    assert unknown["error"]["code"] == "not_found"
    assert table.fac_send("inject.fire", inject_id=USA_ONLY)["ok"]
    hidden = table.as_("JPN", "deadline.request_time", inject_id=USA_ONLY)
    assert hidden["error"]["code"] == "not_found"
    assert table.fac_send("deadline.close", inject_id=NK)["ok"]
    closed = table.as_("JPN", "deadline.request_time", inject_id=NK)
    assert closed["error"]["code"] == "wrong_state"
    bad = table.as_("JPN", "deadline.request_time", inject_id=NK, minutes=0)
    assert bad["error"]["code"] == "bad_field"
