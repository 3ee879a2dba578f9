"""The cheaper command path (no idempotency query and no catch-up query on the way that
succeeds) answers exactly as before: a re-sent id gets the first answer even when the rules
would now refuse it, and a write by another process is never overlooked."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.engine import Draft
from app.engine.proposals import iso
from app.engine.rules import clock_view
from app.extensions import db
from app.realtime.service import load_state
from app.store.eventlog import stage_events
from tests.conftest import events_of
from tests.realtime.conftest import event_rows

NK = "nk-23-missiles"


def emit(client: Any, payload: dict[str, Any]) -> dict[str, Any]:
    return client.emit("command", payload, callback=True)


def test_a_resent_command_the_rules_would_now_refuse_gets_its_first_answer(table: Any) -> None:
    """If KOR's endorsement of version 1 is re-sent after version 2 is tabled (endorsing v1 is
    refused by then), is the answer still the first one, with nothing recorded twice?"""
    assert table.fac_send("session.start")["ok"]
    assert table.fac_send("inject.fire", inject_id=NK)["ok"]
    fields = {"inject_id": NK, "text": "Joint line", "options": ["nk23-condemn-and-un"]}
    assert table.as_("JPN", "proposal.table", **fields)["ok"]
    endorse = {"id": "kor-endorse", "type": "proposal.endorse", "proposal_id": 1, "version": 1}
    first = emit(table.players["KOR"], endorse)
    assert first["ok"]
    amend = {"proposal_id": 1, "text": "Firmer", "options": ["nk23-condemn-and-drill"]}
    assert table.as_("USA", "proposal.amend", **amend)["ok"]
    fresh = dict(endorse, id="kor-endorse-2")
    assert emit(table.players["KOR"], fresh)["error"]["code"] == "wrong_state"
    again = emit(table.players["KOR"], endorse)
    assert again == {"ok": True, "seq": first["seq"], "duplicate": True}
    assert len(event_rows(table.game.id, "proposal_position")) == 1


def test_an_event_another_writer_appended_is_seen_before_deciding(table: Any) -> None:
    """When something else appends to the log behind this process's back (another process, a
    tool), does the next command still land after it, gapless, and is that command decided on
    the state that includes it?"""
    assert table.fac_send("session.start")["ok"]
    head = event_rows(table.game.id)[-1][0]
    now = datetime.now(UTC).replace(tzinfo=None)
    clock = clock_view(load_state(table.game.id), now) | {"status": "paused", "paused_at": iso(now)}
    stage_events(
        table.game.id,
        [Draft("session_paused", "all", {"clock": clock})],
        {"kind": "facilitator", "id": 1, "name": "Elsewhere"},
        head,
        now,
    )
    db.session.commit()
    # Paused by the other writer: resuming is allowed, pausing again is not.
    assert table.fac_send("session.pause")["error"]["code"] == "wrong_state"
    ack = table.fac_send("session.resume")
    assert ack["ok"] and ack["seq"] == head + 2
    assert [seq for seq, _type in event_rows(table.game.id)] == list(range(1, head + 3))
    assert [e["seq"] for e in events_of(table.players["JPN"])][-1] == head + 2


def test_an_id_used_again_for_a_different_command_is_refused(table: Any) -> None:
    """If a client re-uses a command id for other content (another text, another type), is it
    refused with `id_reused`, nothing recorded, while the true re-send still gets the first
    answer?"""
    assert table.fac_send("session.start")["ok"]
    post = {"id": "jpn-msg-1", "type": "message.post", "channel": "plenary", "text": "Hello"}
    first = emit(table.players["JPN"], post)
    assert first["ok"]
    rows = event_rows(table.game.id)
    other_text = emit(table.players["JPN"], dict(post, text="Goodbye"))
    assert other_text["ok"] is False and other_text["error"]["code"] == "id_reused"
    assert "message.post" in other_text["error"]["message"]
    other_type = {"id": "jpn-msg-1", "type": "deadline.request_time", "inject_id": NK}
    assert emit(table.players["JPN"], other_type)["error"]["code"] == "id_reused"
    assert event_rows(table.game.id) == rows
    # The same content, even spelled with other whitespace, is the same command.
    again = emit(table.players["JPN"], dict(post, text="  Hello \n"))
    assert again == {"ok": True, "seq": first["seq"], "duplicate": True}
    # Another client may use the same id: ids are per client.
    assert emit(table.players["KOR"], dict(post, text="Hi"))["ok"]


def test_a_refused_commands_id_is_free(table: Any) -> None:
    """A refused command records nothing, its id included: is a re-send with the same id decided
    afresh (refused in the lobby, accepted once the session runs, even with other content)?"""
    general = {"id": "jpn-early", "type": "proposal.table", "inject_id": None, "options": []}
    first = emit(table.players["JPN"], dict(general, text="A joint line"))
    assert first["error"]["code"] == "wrong_state"
    assert table.fac_send("session.start")["ok"]
    ack = emit(table.players["JPN"], dict(general, text="A firmer joint line"))
    assert ack["ok"] and "duplicate" not in ack
    assert event_rows(table.game.id, "proposal_tabled") == [(ack["seq"], "proposal_tabled")]
