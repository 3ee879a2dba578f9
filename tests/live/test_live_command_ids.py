"""Command ids across two server processes on PostgreSQL: a seat that re-sends a command to the
other process (after a reconnect there) gets the first answer, and an id used again for another
command is refused with `id_reused`, both decided by the database's unique row, not by memory."""

from __future__ import annotations

import secrets

from tests.live.test_live_scale_out import spread_session_ids


def test_a_resend_to_another_process_is_answered_and_a_reused_id_refused(
    start_server, make_seminar, open_client, postgres_url, redis_url
):
    """Is the same command re-sent through process B answered `duplicate: true` with A's seq,
    and the same id with other text refused `id_reused`, with nothing recorded twice?"""
    settings = {
        "DATABASE_URL": postgres_url,
        "SOCKETIO_MESSAGE_QUEUE": redis_url,
        "SECRET_KEY": secrets.token_hex(32),
    }
    a = start_server(**settings)  # one after the other: each migrates at boot
    spread_session_ids(postgres_url)
    b = start_server(**settings)
    token = a.create_facilitator("Prof. Ito")
    seminar = make_seminar(a, token, players=1)
    seat = seminar.seats[0]
    post = {"id": "aiko-hello-1", "type": "message.post", "channel": "plenary", "text": "Hello"}
    first = seat.client.call(post)
    assert first["ok"] and "duplicate" not in first
    head = seminar.head_seq()

    on_b = open_client(seat.token, url=b.url, name="Aiko on B")
    again = on_b.call(post)
    assert again == {"ok": True, "seq": first["seq"], "duplicate": True}
    reused = on_b.call(dict(post, text="Goodbye"))
    assert reused["ok"] is False and reused["error"]["code"] == "id_reused"
    assert seminar.head_seq() == head
    texts = [e["data"]["text"] for e in seminar.history() if e["type"] == "message_posted"]
    assert texts == ["Hello"]
