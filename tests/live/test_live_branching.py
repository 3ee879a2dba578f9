"""A branch played both ways on a live server: the same move-2 slot fires its A inject when
the dialogue was created in move 1, and its B inject when it was not (issue 11, item 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.live.conftest import Seminar
from tests.live.harness import LiveServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A server whose scenario folder holds the branching demo."""
    server = LiveServer(tmp_path_factory.mktemp("live-branching"), SCENARIO_DIR=str(FIXTURES))
    try:
        server.start().create_facilitator("Prof. Tanaka")
        yield server
    finally:
        server.kill()


def _seminar(server: LiveServer, open_client) -> Seminar:  # type: ignore[no-untyped-def]
    answer = server.post(
        "/api/sessions", {"scenario": "branching-demo", "title": "Branch"}, server.fac_token
    )
    session = answer["session"]

    def opener(*args, **kwargs):  # type: ignore[no-untyped-def]
        return open_client(*args, url=server.url, **kwargs)

    fac = opener(server.fac_token, session["id"], name="White Cell")
    seminar = Seminar(server, server.fac_token, session, fac, opener)
    for name in ("Aiko", "Min-jun", "Sam"):
        seminar.join(name)
    assert sorted(s.delegation for s in seminar.seats) == ["JPN", "KOR", "USA"]
    return seminar


def _ok(ack):  # type: ignore[no-untyped-def]
    assert ack["ok"], ack
    return ack


def _play_move_one(seminar: Seminar, option: str) -> None:
    """Start, answer the dialogue inject with `option` (adopted by all three), next move."""
    _ok(seminar.fac.send("session.start"))
    _ok(seminar.fac.send("inject.fire", inject_id="dialogue"))
    jpn = seminar.lead("JPN")
    jpn.wait_event("inject_fired", lambda e: e["data"]["inject"]["id"] == "dialogue")
    _ok(jpn.send("proposal.table", inject_id="dialogue", text="Our answer.", options=[option]))
    proposal = jpn.wait_event("proposal_tabled")["data"]["proposal"]["id"]
    for code in ("JPN", "KOR", "USA"):
        _ok(seminar.lead(code).send("proposal.endorse", proposal_id=proposal, version=1))
    jpn.wait_event("proposal_adopted")
    _ok(seminar.fac.send("session.next_move"))


def _fired_in_move_two(seminar: Seminar) -> str:
    """The id of the branch inject each player receives in move 2 (the same for all)."""
    ids = set()
    for seat in seminar.seats:
        event = seat.client.wait_event(
            "inject_fired", lambda e: e["data"]["inject"]["move"] == "move-2"
        )
        ids.add(event["data"]["inject"]["id"])
    assert len(ids) == 1, ids
    return ids.pop()


def test_branch_a_when_the_dialogue_was_created(demo_server, open_client) -> None:
    """Does creating the dialogue fire 'the new dialogue meets', and skip the other branch with
    its reason for the White Cell only?"""
    seminar = _seminar(demo_server, open_client)
    _play_move_one(seminar, "create-dialogue")
    assert _fired_in_move_two(seminar) == "dialogue-meets"
    skipped = seminar.fac.wait_event("inject_skipped")
    assert skipped["data"]["inject_id"] == "dialogue-missing"
    assert "was adopted" in skipped["data"]["reason"]
    for seat in seminar.seats:
        assert not seat.client.received("inject_skipped")


def test_branch_b_when_it_was_not(demo_server, open_client) -> None:
    """Does deferring the dialogue fire 'a supply shock finds no forum' instead, and does the
    White Cell's override still fire the other branch?"""
    seminar = _seminar(demo_server, open_client)
    _play_move_one(seminar, "defer-dialogue")
    assert _fired_in_move_two(seminar) == "dialogue-missing"
    skipped = seminar.fac.wait_event("inject_skipped")
    assert skipped["data"]["inject_id"] == "dialogue-meets"
    assert "was not adopted" in skipped["data"]["reason"]
    refused = seminar.fac.send("inject.fire", inject_id="dialogue-meets")
    assert refused["error"]["code"] == "condition_unmet"
    _ok(seminar.fac.send("inject.fire", inject_id="dialogue-meets", override=True))
    seminar.lead("KOR").wait_event(
        "inject_fired", lambda e: e["data"]["inject"]["id"] == "dialogue-meets"
    )
