"""Every command through the socket: acknowledged, stored in the log, heard by exactly the
clients of its audience."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import events_of
from tests.realtime.conftest import event_rows

NK = "nk-23-missiles"
EVERYONE = {"fac", "JPN", "KOR", "USA", "obs"}


def start(t: Any) -> None:
    assert t.fac_send("session.start")["ok"]


def fire(t: Any) -> None:
    start(t)
    assert t.fac_send("inject.fire", inject_id=NK)["ok"]


def table_proposal(t: Any) -> None:
    fire(t)
    fields = {"inject_id": NK, "text": "Joint line", "options": ["nk23-condemn-and-un"]}
    assert t.as_("JPN", "proposal.table", **fields)["ok"]


def pause(t: Any) -> None:
    start(t)
    assert t.fac_send("session.pause")["ok"]


def hold(t: Any) -> None:
    assert t.fac_send("inject.hold", inject_id=NK)["ok"]


def seat_ren(t: Any) -> None:
    """A second Japanese player, not connected."""
    answer = t.join(t.game.join_code, "Ren")
    assert answer["player"]["delegation"] == "JPN"
    t.ren = answer["player"]["id"]


Case = tuple[str, str, Callable[[Any], dict[str, Any]], Callable[[Any], None] | None, str, set]
CASES: list[Case] = [
    ("session.start", "fac", lambda t: {}, None, "session_started", EVERYONE),
    ("session.pause", "fac", lambda t: {}, start, "session_paused", EVERYONE),
    ("session.resume", "fac", lambda t: {}, pause, "session_resumed", EVERYONE),
    ("session.next_move", "fac", lambda t: {}, start, "move_advanced", EVERYONE),
    ("session.end", "fac", lambda t: {}, start, "session_ended", EVERYONE),
    ("lobby.lock", "fac", lambda t: {"locked": True}, None, "lobby_locked", EVERYONE),
    (
        "seat.move",
        "fac",
        lambda t: {"player_id": t.ren, "delegation": "USA"},
        seat_ren,
        "player_moved",
        EVERYONE,
    ),
    (
        "seat.set_lead",
        "fac",
        lambda t: {"delegation": "JPN", "player_id": t.ren},
        seat_ren,
        "lead_set",
        EVERYONE,
    ),
    ("seat.remove", "fac", lambda t: {"player_id": t.ren}, seat_ren, "player_removed", EVERYONE),
    (
        "delegation.set_automatic",
        "fac",
        lambda t: {"delegation": "KOR", "automatic": True},
        None,
        "delegation_automatic",
        EVERYONE,
    ),
    ("inject.fire", "fac", lambda t: {"inject_id": NK}, start, "inject_fired", EVERYONE),
    (
        "inject.fire",
        "fac",
        lambda t: {"inject_id": "usa-intel-test-readiness"},
        start,
        "inject_fired",
        {"fac", "USA"},
    ),
    ("inject.hold", "fac", lambda t: {"inject_id": NK}, None, "inject_held", {"fac"}),
    ("inject.release", "fac", lambda t: {"inject_id": NK}, hold, "inject_released", {"fac"}),
    ("inject.skip", "fac", lambda t: {"inject_id": NK}, None, "inject_skipped", {"fac"}),
    (
        "inject.write",
        "fac",
        lambda t: {"title": "Leak", "body": "A leak.", "audience": ["KOR"], "options": ["Deny"]},
        start,
        "inject_fired",
        {"fac", "KOR"},
    ),
    (
        "deadline.extend",
        "fac",
        lambda t: {"inject_id": NK, "minutes": 5},
        fire,
        "deadline_extended",
        EVERYONE,
    ),
    ("deadline.close", "fac", lambda t: {"inject_id": NK}, fire, "deadline_expired", EVERYONE),
    (
        "deadline.request_time",
        "KOR",
        lambda t: {"inject_id": NK, "minutes": 5},
        fire,
        "time_requested",
        {"fac", "KOR"},
    ),
    (
        "indicator.override",
        "fac",
        lambda t: {"indicator": "cohesion", "value": 60, "ruling": "Summit mood"},
        start,
        "indicator_overridden",
        EVERYONE,
    ),
    (
        "message.post",
        "JPN",
        lambda t: {"channel": "JPN-KOR", "text": "Hello Seoul"},
        None,
        "message_posted",
        {"fac", "JPN", "KOR"},
    ),
    (
        "message.post",
        "fac",
        lambda t: {"channel": "white-USA", "text": "A word, Washington"},
        None,
        "message_posted",
        {"fac", "USA"},
    ),
    (
        "message.post",
        "KOR",
        lambda t: {"channel": "plenary", "text": "Good morning"},
        None,
        "message_posted",
        EVERYONE,
    ),
    (
        "proposal.table",
        "JPN",
        lambda t: {"inject_id": NK, "text": "Joint line", "options": ["nk23-condemn-and-un"]},
        fire,
        "proposal_tabled",
        EVERYONE,
    ),
    (
        "proposal.amend",
        "KOR",
        lambda t: {"proposal_id": 1, "text": "Firmer", "options": ["nk23-condemn-and-drill"]},
        table_proposal,
        "proposal_amended",
        EVERYONE,
    ),
    (
        "proposal.endorse",
        "USA",
        lambda t: {"proposal_id": 1, "version": 1},
        table_proposal,
        "proposal_position",
        EVERYONE,
    ),
    (
        "proposal.reject",
        "KOR",
        lambda t: {"proposal_id": 1, "version": 1, "reason": "Too soft"},
        table_proposal,
        "proposal_position",
        EVERYONE,
    ),
    (
        "proposal.reserve",
        "USA",
        lambda t: {"proposal_id": 1, "version": 1},
        table_proposal,
        "proposal_position",
        EVERYONE,
    ),
    (
        "proposal.withdraw",
        "JPN",
        lambda t: {"proposal_id": 1},
        table_proposal,
        "proposal_withdrawn",
        EVERYONE,
    ),
    (
        "statement.issue",
        "USA",
        lambda t: {"inject_id": NK, "text": "We condemn it.", "options": ["nk23-condemn-and-un"]},
        fire,
        "statement_issued",
        EVERYONE,
    ),
]


def case_id(case: Case) -> str:
    return f"{case[0]}-{case[1]}-{'+'.join(sorted(case[5]))}"


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_each_command_is_acknowledged_stored_and_heard_by_its_audience(
    case: Case, table: Any, observer: Any, join: Any
) -> None:
    """Is each command acknowledged with the seq of its stored event, which exactly the
    clients of its audience receive?"""
    kind, sender, fields, setup, event_type, audience = case
    table.join = join
    if setup is not None:
        setup(table)
    clients = {"fac": table.fac, "obs": observer, **table.players}
    for client in clients.values():
        client.get_received()
    before = event_rows(table.game.id)

    client = clients[sender]
    ack = table.send(client, kind, **fields(table))

    assert ack["ok"], ack
    after = event_rows(table.game.id)
    new = after[len(before) :]
    assert new and new[-1][0] == ack["seq"]
    assert event_type in [t for _seq, t in new]
    seq = next(s for s, t in new if t == event_type)
    heard = {
        name
        for name, c in clients.items()
        if any(e["seq"] == seq and e["type"] == event_type for e in events_of(c))
    }
    assert heard == audience


def test_an_adoption_is_heard_by_all_with_each_delegations_own_score(table, observer):
    """When the third lead endorses, does everyone hear the adoption, each delegation with its
    own score only and the observer with none?"""
    table_proposal(table)
    for code in ("JPN", "KOR"):
        assert table.as_(code, "proposal.endorse", proposal_id=1, version=1)["ok"]
    for client in (table.fac, observer, *table.players.values()):
        client.get_received()
    ack = table.as_("USA", "proposal.endorse", proposal_id=1, version=1)
    assert ack["ok"]
    assert event_rows(table.game.id)[-1] == (ack["seq"], "proposal_adopted")
    for code, client in table.players.items():
        [adopted] = events_of(client, "proposal_adopted")
        assert adopted["data"]["proposal"]["status"] == "adopted"
        assert "score" in adopted["data"]["private"]
        assert "score_deltas" not in adopted["data"]
        assert "private_by_delegation" not in adopted["data"], code
    [seen] = events_of(observer, "proposal_adopted")
    assert "private" not in seen["data"] and "score_deltas" not in seen["data"]
    [white] = events_of(table.fac, "proposal_adopted")
    assert set(white["data"]["private_by_delegation"]) == {"JPN", "KOR", "USA"}


def test_events_carry_the_acting_delegation(table):
    """Does an event caused by a player name the player's delegation in its actor, as the
    protocol shows?"""
    fire(table)
    fields = {"inject_id": NK, "text": "Joint line", "options": []}
    assert table.as_("KOR", "proposal.table", **fields)["ok"]
    [tabled] = events_of(table.players["USA"], "proposal_tabled")
    assert tabled["actor"]["kind"] == "player"
    assert tabled["actor"]["delegation"] == "KOR"
    assert tabled["data"]["proposal"]["delegation"] == "KOR"
