"""Connecting: tokens, the sync on every (re)connection, observers, and the join API."""

from __future__ import annotations

from typing import Any

import pytest

from app.realtime.identity import facilitator_token
from tests.conftest import events_of
from tests.realtime.conftest import event_rows, row_count, syncs_of

NK = "nk-23-missiles"


def observe(app: Any, code: str) -> Any:
    return app.test_client().post("/api/observe", json={"code": code})


# --- the sync --------------------------------------------------------------------------------


def test_a_player_gets_a_full_sync_on_connect(game, join, connect):
    """Does a player's first connection bring who they are, the scenario and state as they may
    see them, and the visible history?"""
    answer = join(game.join_code, "Aiko")
    client = connect(answer["token"])
    [sync] = syncs_of(client)
    assert sync["you"] == {
        "kind": "player",
        "name": "Aiko",
        "player_id": answer["player"]["id"],
        "delegation": "JPN",
        "role": "jpn-head",
        "role_title": answer["player"]["role_title"],
        "lead": True,
        "device": 0,
        "reclaim_code": sync["you"]["reclaim_code"],
    }
    assert len(sync["you"]["reclaim_code"]) == 9  # the seat code, e.g. K7QX-4MCD
    assert sync["session"]["id"] == game.id and sync["session"]["status"] == "lobby"
    assert "join_code" not in sync["session"] and "observer_code" not in sync["session"]
    assert sync["session"]["head_seq"] == event_rows(game.id)[-1][0]
    assert [e["seq"] for e in sync["events"]] == [seq for seq, _ in event_rows(game.id)]
    assert [p["name"] for p in sync["state"]["players"]] == ["Aiko"]
    own = [d for d in sync["scenario"]["delegations"] if "private_briefing" in d]
    assert [d["code"] for d in own] == ["JPN"]
    assert "injects" not in sync["scenario"]
    assert sync["server_time"].endswith("Z")


def test_a_facilitator_sync_has_the_codes_and_the_master_scenario(game, fac_token, connect):
    """Does a facilitator's sync carry the join and observer codes, and every inject?"""
    [sync] = syncs_of(connect(fac_token, session_id=game.id))
    assert sync["you"]["kind"] == "facilitator"
    assert sync["session"]["join_code"] == game.join_code
    assert sync["session"]["observer_code"] == game.observer_code
    assert len(sync["scenario"]["injects"]) == 34  # 29 decisions and 5 reactions
    assert len(sync["state"]["injects_pending"]) == 34


def test_a_reconnection_sends_only_what_was_missed(table, connect, seat_token):
    """Reconnecting with last_seq, does a player get only the visible events after it?"""
    assert table.fac_send("session.start")["ok"]
    head = event_rows(table.game.id)[-1][0]
    assert table.fac_send("inject.fire", inject_id=NK)["ok"]
    assert table.fac_send("inject.fire", inject_id="usa-intel-test-readiness")["ok"]
    assert table.fac_send("inject.hold", inject_id="nk-phnom-penh")["ok"]
    token = seat_token("JPN")
    [sync] = syncs_of(connect(token, last_seq=head))
    assert [(e["type"], e["data"]["inject"]["id"]) for e in sync["events"]] == [
        ("inject_fired", NK)
    ]
    assert sync["from_seq"] == head
    assert sync["session"]["head_seq"] == event_rows(table.game.id)[-1][0]
    assert [i["id"] for i in sync["state"]["injects"]] == [NK]
    [usa_sync] = syncs_of(connect(seat_token("USA"), last_seq=head))
    assert [e["data"]["inject"]["id"] for e in usa_sync["events"]] == [
        NK,
        "usa-intel-test-readiness",
    ]


def test_the_sync_hides_teaching_points_from_players(table, connect, seat_token):
    """Does a player's sync of a fired inject leave out its teaching point?"""
    assert table.fac_send("session.start")["ok"]
    assert table.fac_send("inject.fire", inject_id=NK)["ok"]
    [sync] = syncs_of(connect(seat_token("KOR")))
    fired = [e for e in sync["events"] if e["type"] == "inject_fired"][0]
    assert "teaching_point" not in fired["data"] and "_white" not in fired["data"]
    assert "teaching_point" not in sync["state"]["injects"][0]


def test_rejoining_with_the_same_token_keeps_the_seat(table, connect, seat_token):
    """Does a browser that reconnects with its token get the same seat back?"""
    first = table.players["KOR"]
    first.disconnect()
    [sync] = syncs_of(connect(seat_token("KOR")))
    assert sync["you"]["player_id"] == table.seats["KOR"]["id"]
    assert sync["you"]["delegation"] == "KOR" and sync["you"]["lead"] is True
    assert len(sync["state"]["players"]) == 3


# --- refused connections ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "auth",
    [{}, {"token": None}, {"token": "p.nonsense"}, {"token": "f.garbage"}, {"token": "x" * 600}],
)
def test_bad_tokens_are_refused(game, refused, auth):
    """Is a connection without a valid token refused with the code bad_token?"""
    error = refused(auth)
    assert error is not None
    assert error["data"]["code"] == "bad_token"
    assert error["message"] == error["data"]["message"]


def test_a_facilitator_must_say_which_session(game, fac_token, refused):
    """Is a facilitator connecting without a session_id refused as no_session?"""
    assert refused({"token": fac_token})["data"]["code"] == "no_session"


def test_another_facilitators_session_is_refused(game, make_facilitator, refused):
    """Is a facilitator refused with not_your_session on a session they do not run?"""
    other = facilitator_token(make_facilitator("Dr. Park"))
    assert refused({"token": other, "session_id": game.id})["data"]["code"] == ("not_your_session")


def test_a_co_facilitator_may_connect(app, game, fac_token, make_facilitator, refused):
    """After the owner adds a co-facilitator, may that facilitator connect?"""
    other = make_facilitator("Dr. Park")
    response = app.test_client().post(
        f"/api/sessions/{game.id}/facilitators",
        json={"name": "Dr. Park"},
        headers={"Authorization": f"Bearer {fac_token}"},
    )
    assert response.get_json()["ok"]
    assert refused({"token": facilitator_token(other), "session_id": game.id}) is None


def test_a_removed_player_cannot_reconnect(table, refused, seat_token):
    """Once removed, is a player's token refused?"""
    assert table.fac_send("seat.remove", player_id=table.seats["USA"]["id"])["ok"]
    assert refused({"token": seat_token("USA")})["data"]["code"] == "bad_token"


def test_a_deleted_session_refuses_its_observers(app, game, refused):
    """When a session is deleted, is its observer link refused as session_deleted?"""
    from app.realtime.sessions import delete_session

    token = observe(app, game.observer_code).get_json()["token"]
    delete_session(game.id)
    assert refused({"token": token})["data"]["code"] == "session_deleted"


# --- moving and removing a connected player --------------------------------------------------


def test_a_moved_player_hears_the_move_and_then_the_new_delegation(table, connect, seat_token):
    """Does a player moved to another delegation hear their own move, stop hearing the old
    delegation, and after reconnecting hear the new one?"""
    moved = table.players["KOR"]
    ack = table.fac_send("seat.move", player_id=table.seats["KOR"]["id"], delegation="USA")
    assert ack["ok"]
    assert events_of(moved, "player_moved"), "the moved player must hear that they moved"
    assert table.as_("USA", "message.post", channel="KOR", text="x")["error"]["code"] == (
        "not_your_delegation"
    )
    assert table.fac_send("message.post", channel="KOR", text="Korean room")["ok"]
    assert events_of(moved, "message_posted") == []
    again = connect(seat_token("KOR"))
    [sync] = syncs_of(again)
    assert sync["you"]["delegation"] == "USA"
    assert table.fac_send("message.post", channel="USA", text="US room")["ok"]
    assert [e["data"]["text"] for e in events_of(again, "message_posted")] == ["US room"]


def test_a_removed_player_hears_the_removal(table):
    """Does a removed player's connection hear that they were removed, and nothing after?"""
    removed = table.players["JPN"]
    assert table.fac_send("seat.remove", player_id=table.seats["JPN"]["id"])["ok"]
    assert events_of(removed, "player_removed")
    assert table.fac_send("message.post", channel="JPN", text="gone?")["ok"]
    assert events_of(removed) == []
    ack = table.as_("JPN", "message.post", channel="plenary", text="still here")
    assert ack["error"]["code"] == "not_player"


# --- observers -------------------------------------------------------------------------------


def test_observers_read_the_plenary_and_cannot_write(app, table, connect):
    """Does an observer get a public sync and public events, and is every command refused
    without a row written?"""
    answer = observe(app, table.game.observer_code).get_json()
    assert answer["ok"] and answer["session_id"] == table.game.id
    client = connect(answer["token"])
    [sync] = syncs_of(client)
    assert sync["you"]["kind"] == "observer"
    assert all("private_briefing" not in d for d in sync["scenario"]["delegations"])
    assert sync["state"]["scores"] == {}
    assert table.fac_send("session.start")["ok"]
    assert table.as_("JPN", "message.post", channel="JPN-KOR", text="secret")["ok"]
    assert table.as_("JPN", "message.post", channel="plenary", text="public")["ok"]
    assert [e["data"]["text"] for e in events_of(client, "message_posted")] == ["public"]
    rows = row_count(table.game.id)
    for kind, fields in [
        ("message.post", {"channel": "plenary", "text": "hi"}),
        ("session.pause", {}),
        ("proposal.table", {"inject_id": None, "text": "t", "options": []}),
    ]:
        ack = table.send(client, kind, **fields)
        assert ack["ok"] is False and ack["error"]["code"] == "not_player"
    assert row_count(table.game.id) == rows


def test_observe_with_an_unknown_code_is_refused(app, game):
    """Is POST /api/observe with a wrong code answered unknown_code, and the join code not
    accepted as an observer code?"""
    for code in ("NOPE42", game.join_code):
        response = observe(app, code)
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "unknown_code"


# --- the join API ----------------------------------------------------------------------------


def test_join_with_an_unknown_code(join, game):
    """Is joining with a code no session has answered unknown_code (404)?"""
    answer = join("ZZZZZZ", "Aiko")
    assert answer["status"] == 404 and answer["error"]["code"] == "unknown_code"


def test_join_codes_ignore_case_and_spacing(join, game):
    """Is a join code typed in lower case with spaces accepted?"""
    code = game.join_code.lower()
    assert join(f" {code[:3]} {code[3:]} ", "Aiko")["ok"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 41, None, 7])
def test_join_with_a_bad_name(join, game, name):
    """Is a missing, blank, over-long or non-text name refused as bad_name (400)?"""
    answer = join(game.join_code, name)
    assert answer["status"] == 400 and answer["error"]["code"] == "bad_name"
    assert event_rows(game.id, "player_joined") == []


def test_join_a_locked_lobby(table, join):
    """Once the lobby is locked, is a joiner refused as lobby_locked (403), and nobody seated?"""
    assert table.fac_send("lobby.lock", locked=True)["ok"]
    rows = row_count(table.game.id)
    answer = join(table.game.join_code, "Late")
    assert answer["status"] == 403 and answer["error"]["code"] == "lobby_locked"
    assert row_count(table.game.id) == rows


def test_join_an_ended_session(table, join):
    """Once the session has ended, is a joiner refused as session_ended (410)?"""
    assert table.fac_send("session.end")["ok"]
    answer = join(table.game.join_code, "Late")
    assert answer["status"] == 410 and answer["error"]["code"] == "session_ended"


def test_a_joiner_is_announced_to_the_table(table, join):
    """Does everyone connected hear a new player join, as the fourth seat in Japan?"""
    answer = join(table.game.join_code, "Sam")
    assert answer["player"]["name"] == "Sam (2)"
    assert answer["player"]["delegation"] == "JPN" and answer["player"]["lead"] is False
    for client in (table.fac, *table.players.values()):
        [joined] = events_of(client, "player_joined")
        assert joined["data"]["player"]["id"] == answer["player"]["id"]
