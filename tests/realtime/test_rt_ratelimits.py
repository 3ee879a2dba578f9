"""Command rate limits per socket and per seat, and the cap on connections per address."""

from __future__ import annotations

from typing import Any

from tests.conftest import events_of


def _post(table: Any, client: Any, n: int) -> list[dict[str, Any]]:
    return [table.send(client, "message.post", channel="plenary", text=f"m{i}") for i in range(n)]


def _messages_in_log(table: Any) -> int:
    # The facilitator hears every committed message live.
    return len(events_of(table.fac, "message_posted"))


def test_a_flooding_socket_is_answered_rate_limited_and_nothing_half_recorded(app, table) -> None:
    """Past its burst, does a socket get `rate_limited` with a retry hint, and only the accepted
    messages reach the log?"""
    app.config["RATE_LIMIT_SOCKET_COMMANDS"] = "5/600"
    acks = _post(table, table.players["JPN"], 8)
    assert [a["ok"] for a in acks] == [True] * 5 + [False] * 3
    for ack in acks[5:]:
        assert ack["error"]["code"] == "rate_limited"
        assert ack["error"]["retry_after"] > 0
    assert _messages_in_log(table) == 5


def test_a_socket_asking_for_history_without_pause_is_rate_limited(app, table) -> None:
    """Past its burst, is a socket's `history` answered `rate_limited` with a retry hint, while
    its commands and another socket's history keep their own budgets?"""
    app.config["RATE_LIMIT_SOCKET_HISTORY"] = "4/600"
    ask = {"before_seq": 10, "limit": 500}
    jpn, kor = table.players["JPN"], table.players["KOR"]
    acks = [jpn.emit("history", ask, callback=True) for _ in range(6)]
    assert [a["ok"] for a in acks] == [True] * 4 + [False] * 2
    assert {a["error"]["code"] for a in acks[4:]} == {"rate_limited"}
    assert all(a["error"]["retry_after"] > 0 for a in acks[4:])
    assert "history" in acks[4]["error"]["message"]
    assert _post(table, jpn, 1)[0]["ok"]
    assert kor.emit("history", ask, callback=True)["ok"]


def test_other_sockets_keep_their_own_budget(app, table) -> None:
    """While one player is limited, can another still post?"""
    app.config["RATE_LIMIT_SOCKET_COMMANDS"] = "3/600"
    _post(table, table.players["JPN"], 5)
    assert all(a["ok"] for a in _post(table, table.players["KOR"], 3))


def test_a_seat_cannot_multiply_its_budget_with_more_tabs(app, table, join, connect) -> None:
    """Do two connections of one seat share the seat's budget?"""
    app.config["RATE_LIMIT_SEAT_COMMANDS"] = "6/600"
    token = join(table.game.join_code, "Haruto")["token"]
    first, second = connect(token), connect(token)
    acks = _post(table, first, 4) + _post(table, second, 4)
    assert sum(a["ok"] for a in acks) == 6
    assert {a["error"]["code"] for a in acks if not a["ok"]} == {"rate_limited"}


def test_connections_per_address_are_capped(app, game, fac_token, connect, refused) -> None:
    """Is the connection past the per-address cap refused with `too_many_connections`, and is
    there room again once one closes?"""
    app.config["MAX_CONNECTIONS_PER_ADDRESS"] = 2
    first = connect(fac_token, session_id=game.id)
    second = connect(fac_token, session_id=game.id)
    assert first.is_connected() and second.is_connected()
    error = refused({"token": fac_token, "session_id": game.id})
    assert error["data"]["code"] == "too_many_connections"
    first.disconnect()
    assert connect(fac_token, session_id=game.id).is_connected()


def test_refused_connections_do_not_use_up_the_cap(app, game, fac_token, connect) -> None:
    """Do connections refused for a bad token leave the address's count as it was?"""
    app.config["MAX_CONNECTIONS_PER_ADDRESS"] = 1
    for _ in range(3):
        assert not connect("f.not-a-token", session_id=game.id).is_connected()
    assert connect(fac_token, session_id=game.id).is_connected()


def test_a_client_sent_connect_event_does_not_leak_into_the_cap(app, game, join, connect) -> None:
    """Does a socket that sends an event named `connect` (as any script can) leave the count as
    it was, so a student cannot fill the class's address with connections long closed?"""
    app.config["MAX_CONNECTIONS_PER_ADDRESS"] = 2
    token = join(game.join_code, "Aiko")["token"]
    for _ in range(3):
        client = connect(token)
        assert client.is_connected()
        client.emit("connect", {"token": token})
        client.disconnect()
    first, second = connect(token), connect(token)
    assert first.is_connected() and second.is_connected()


def test_a_client_sent_disconnect_event_does_not_free_a_place(app, game, join, connect) -> None:
    """Does a socket that sends an event named `disconnect` still count, and still act, so the
    cap cannot be dodged by pretending to leave?"""
    app.config["MAX_CONNECTIONS_PER_ADDRESS"] = 2
    token = join(game.join_code, "Aiko")["token"]
    first, second = connect(token), connect(token)
    for client in (first, second):
        client.emit("disconnect", {})
    assert not connect(token).is_connected()
    ack = first.emit(
        "command",
        {"id": "c1", "type": "lobby.lock", "locked": True},
        callback=True,
    )
    assert ack["error"]["code"] == "not_facilitator"  # still this seat's socket, not bad_token
