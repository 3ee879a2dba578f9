"""Seats follow people: a seat code moves a seat to another device; presence; code reissue."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.store.models import Event
from tests.conftest import events_of
from tests.realtime.conftest import syncs_of


def received(client: Any, name: str) -> list[dict[str, Any]]:
    return [item["args"][0] for item in client.get_received() if item["name"] == name]


def sync_of(connect: Any, token: str, **kw: Any) -> tuple[Any, dict[str, Any]]:
    client = connect(token, **kw)
    [sync] = syncs_of(client)
    return client, sync


def reclaim(app: Flask, code: str, seat_code: str) -> dict[str, Any]:
    response = app.test_client().post(
        "/api/reclaim", json={"code": code, "reclaim_code": seat_code}
    )
    return response.get_json() | {"status": response.status_code}


def test_a_seat_code_moves_the_same_seat_to_another_device(
    table: Any, app: Flask, connect: Any, seat_token: Any
) -> None:
    """With the join code and the seat code, does a new device get the same seat, lead and past?"""
    assert table.fac_send("session.start")["ok"]
    assert table.as_("JPN", "message.post", channel="JPN", text="Before the move")["ok"]
    old_client, old_sync = sync_of(connect, seat_token("JPN"))
    code = old_sync["you"]["reclaim_code"]
    assert len(code.replace("-", "")) == 8

    answer = reclaim(app, table.game.join_code.lower(), code.lower().replace("-", " "))
    assert answer["ok"], answer
    assert answer["player"]["id"] == table.seats["JPN"]["id"]
    assert answer["player"]["delegation"] == "JPN" and answer["player"]["lead"] is True

    _new, new_sync = sync_of(connect, answer["token"])
    assert new_sync["you"]["player_id"] == table.seats["JPN"]["id"]
    assert new_sync["you"]["lead"] and new_sync["you"]["device"] == 1
    assert new_sync["you"]["reclaim_code"] == code  # the code stays with the person
    texts = [e["data"]["text"] for e in new_sync["events"] if e["type"] == "message_posted"]
    assert "Before the move" in texts
    assert [p["id"] for p in new_sync["state"]["players"]].count(answer["player"]["id"]) == 1


def test_the_old_device_is_told_and_stops_acting(
    table: Any, app: Flask, connect: Any, seat_token: Any
) -> None:
    """Is the first device told its seat moved, refused when it acts, and refused on reconnect?"""
    old_token = seat_token("JPN")
    code = sync_of(connect, old_token)[1]["you"]["reclaim_code"]
    old = table.players["JPN"]
    old.get_received()
    answer = reclaim(app, table.game.join_code, code)
    assert answer["ok"]
    [moved] = received(old, "seat_moved")
    assert moved["device"] == 1 and "another device" in moved["message"]
    refused = table.as_("JPN", "message.post", channel="plenary", text="Still me?")
    assert refused["error"]["code"] == "seat_moved"
    again = connect(old_token)
    assert not again.is_connected()


def test_the_reclaim_is_logged_for_facilitators_without_the_code(
    table: Any, app: Flask, connect: Any, seat_token: Any
) -> None:
    """Is the move in the log (facilitators hear it, players do not) and no code stored anywhere?"""
    code = sync_of(connect, seat_token("KOR"))[1]["you"]["reclaim_code"]
    for client in (table.fac, *table.players.values()):
        client.get_received()
    assert reclaim(app, table.game.join_code, code)["ok"]
    [event] = events_of(table.fac, "seat_reclaimed")
    assert event["data"] == {"player_id": table.seats["KOR"]["id"], "device": 1}
    assert event["actor"]["name"] == table.seats["KOR"]["name"]
    assert events_of(table.players["USA"], "seat_reclaimed") == []
    db.session.rollback()
    stored = json.dumps([e.payload for e in db.session.scalars(select(Event))])
    assert code not in stored and code.replace("-", "") not in stored


def test_wrong_codes_are_refused_plainly(table: Any, app: Flask) -> None:
    """Does a wrong seat code or join code get a clear refusal and change nothing?"""
    wrong = reclaim(app, table.game.join_code, "AAAA-AAAA")
    assert wrong["status"] == 404 and wrong["error"]["code"] == "unknown_reclaim_code"
    assert reclaim(app, "ZZZZZZ", "AAAA-AAAA")["error"]["code"] == "unknown_code"
    assert reclaim(app, table.game.join_code, None)["error"]["code"] == "unknown_reclaim_code"


def test_facilitators_see_every_code_and_each_new_one(
    table: Any, connect: Any, fac_token: str, seat_token: Any, join: Any
) -> None:
    """Does the console get every seat's code in its sync, and the code of each new joiner?"""
    _fac, sync = sync_of(connect, fac_token, session_id=table.game.id)
    for code_, seat in table.seats.items():
        own = sync_of(connect, seat_token(code_))[1]["you"]["reclaim_code"]
        assert sync["reclaim_codes"][str(seat["id"])] == own
    table.fac.get_received()
    answer = join(table.game.join_code, "Ren")
    [signal] = received(table.fac, "seat_code")
    assert signal["player_id"] == answer["player"]["id"]
    assert signal["code"] == sync_of(connect, answer["token"])[1]["you"]["reclaim_code"]
    player_sync = sync_of(connect, seat_token("JPN"))[1]
    assert "reclaim_codes" not in player_sync


def test_reissuing_a_code_retires_the_old_one(
    table: Any, app: Flask, connect: Any, seat_token: Any
) -> None:
    """After a reissue, do the facilitator and the player get the new code, and only it works?"""
    usa = table.seats["USA"]["id"]
    old_code = sync_of(connect, seat_token("USA"))[1]["you"]["reclaim_code"]
    for client in (table.fac, *table.players.values()):
        client.get_received()
    assert table.as_("USA", "seat.reissue_code", player_id=usa)["error"]["code"] == (
        "not_facilitator"
    )
    ack = table.fac_send("seat.reissue_code", player_id=usa)
    assert ack["ok"], ack
    heard = table.fac.get_received()
    [logged] = [i["args"][0] for i in heard if i["name"] == "event"]
    assert logged["type"] == "seat_code_reissued"
    assert logged["data"] == {"player_id": usa, "round": 1}
    [to_fac] = [i["args"][0] for i in heard if i["name"] == "seat_code"]
    [to_player] = received(table.players["USA"], "seat_code")
    assert to_fac == to_player and to_fac["code"] != old_code
    assert received(table.players["JPN"], "seat_code") == []
    assert reclaim(app, table.game.join_code, old_code)["error"]["code"] == "unknown_reclaim_code"
    assert reclaim(app, table.game.join_code, to_fac["code"])["ok"]
    assert table.fac_send("seat.reissue_code", player_id=999)["error"]["code"] == "not_found"


def test_presence_follows_connections(table: Any, connect: Any, fac_token: str, join: Any) -> None:
    """Do the console and the players hear a player come online and go offline?"""
    answer = join(table.game.join_code, "Ren")
    table.fac.get_received()
    table.players["JPN"].get_received()
    ren = connect(answer["token"])
    assert {"player_id": answer["player"]["id"], "online": True} in received(table.fac, "presence")
    _fac, sync = sync_of(connect, fac_token, session_id=table.game.id)
    assert answer["player"]["id"] in sync["online"]
    assert table.seats["KOR"]["id"] in sync["online"]
    table.fac.get_received()
    ren.disconnect()
    offline = {"player_id": answer["player"]["id"], "online": False}
    assert offline in received(table.fac, "presence")
    assert offline in received(table.players["JPN"], "presence")


def test_a_second_tab_keeps_the_player_online(table: Any, connect: Any, seat_token: Any) -> None:
    """With two sockets for one seat, does closing one leave the player online?"""
    second = connect(seat_token("USA"))
    table.fac.get_received()
    second.disconnect()
    assert received(table.fac, "presence") == []


def test_a_moved_seat_keeps_acting_from_its_new_device(
    table: Any, app: Flask, connect: Any, seat_token: Any
) -> None:
    """After a reclaim, does a facilitator's seat move leave the new device able to act?"""
    code = sync_of(connect, seat_token("JPN"))[1]["you"]["reclaim_code"]
    answer = reclaim(app, table.game.join_code, code)
    assert table.fac_send("seat.move", player_id=answer["player"]["id"], delegation="USA")["ok"]
    phone = connect(answer["token"])
    [sync] = syncs_of(phone)
    assert sync["you"]["delegation"] == "USA" and sync["you"]["device"] == 1
    ack = table.send(phone, "message.post", channel="USA", text="From the phone")
    assert ack["ok"], ack
