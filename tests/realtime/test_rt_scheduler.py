"""The scheduler's tick through the real log: scheduled injects and automatic delegations."""

from __future__ import annotations

from app.realtime.scheduler import tick
from tests.conftest import events_of
from tests.realtime.conftest import event_rows, row_count


def test_a_tick_fires_the_first_inject_once(app, table):
    """After the start, does one tick fire the offset-0 inject to everyone, and a second tick
    add nothing?"""
    assert table.fac_send("session.start")["ok"]
    assert tick(app) == 1
    [fired] = events_of(table.players["KOR"], "inject_fired")
    assert fired["data"]["inject"]["id"] == "nk-vice-ministers-tokyo"
    assert fired["actor"]["kind"] == "system"
    rows = row_count(table.game.id)
    assert tick(app) == 0
    assert row_count(table.game.id) == rows


def test_nothing_happens_in_the_lobby_or_a_pause(app, table):
    """Does a tick leave a session alone before it starts and while it is paused?"""
    rows = row_count(table.game.id)
    assert tick(app) == 0
    assert row_count(table.game.id) == rows
    assert table.fac_send("session.start")["ok"]
    assert table.fac_send("session.pause")["ok"]
    rows = row_count(table.game.id)
    assert tick(app) == 0
    assert row_count(table.game.id) == rows


def test_an_automatic_delegation_answers_through_the_log(app, table):
    """With the United States automatic, does a tick record its endorsement of a proposal
    that serves it, heard by every delegation as coming from the automatic US?"""
    assert table.fac_send("session.start")["ok"]
    assert table.fac_send("delegation.set_automatic", delegation="USA", automatic=True)["ok"]
    assert table.fac_send("inject.fire", inject_id="nk-23-missiles")["ok"]
    fields = {"inject_id": "nk-23-missiles", "text": "Joint", "options": ["nk23-condemn-and-drill"]}
    assert table.as_("JPN", "proposal.table", **fields)["ok"]
    for client in table.players.values():
        client.get_received()
    tick(app)
    [position] = events_of(table.players["JPN"], "proposal_position")
    assert position["actor"]["kind"] == "auto" and position["actor"]["delegation"] == "USA"
    assert position["data"]["stance"] == "endorse"
    assert event_rows(table.game.id, "proposal_position")[-1][0] == position["seq"]
    before = row_count(table.game.id)
    tick(app)
    assert row_count(table.game.id) == before
