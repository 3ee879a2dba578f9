"""A seminar over real sockets: joining, starting, and who hears what (injects and channels)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import yaml

from tests.live.conftest import Seminar
from tests.live.harness import ROOT, LiveClient

INJECTS = ROOT / "game_content" / "scenarios" / "trilateral-2023" / "injects.yaml"
WHITE_NOTES = ("teaching_point", "expected_action", "what_happened")


def scenario_injects(path: Path = INJECTS) -> list[dict]:
    return yaml.safe_load(path.read_text())["injects"]


def private_inject(code: str) -> dict:
    """A scenario inject addressed to delegation `code` alone."""
    return next(i for i in scenario_injects() if i["audience"] == [code])


def all_hear(seminar: Seminar, clients: list[LiveClient], text: str | None = None) -> int:
    """Post a plenary marker as the facilitator and wait until `clients` all have it.

    One connection delivers in order, so whatever a client has not heard before the marker was
    not sent to it: this turns "never received" into a bounded wait.
    """
    text = text or f"marker {uuid.uuid4().hex[:8]}"
    ack = seminar.fac.send("message.post", channel="plenary", text=text)
    assert ack["ok"], ack
    for client in clients:
        client.wait_seq(ack["seq"])
    return ack["seq"]


def started(seminar: Seminar) -> int:
    ack = seminar.fac.send("session.start")
    assert ack["ok"], ack
    return ack["seq"]


def test_three_delegations_join_and_hear_the_start(seminar):
    """Do players of all three delegations join over HTTP, connect, and hear the start?"""
    assert sorted(s.delegation for s in seminar.seats) == ["JPN", "JPN", "KOR", "KOR", "USA", "USA"]
    assert [s.player["lead"] for s in seminar.of("KOR")] == [True, False]
    for seat in seminar.seats:
        you = seat.client.syncs[-1]["you"]
        assert (you["kind"], you["delegation"], you["name"]) == (
            "player",
            seat.delegation,
            seat.player["name"],
        )
    seq = started(seminar)
    for client in [seminar.fac, *(s.client for s in seminar.seats)]:
        event = client.wait_event("session_started")
        assert event["seq"] == seq
    assert {s.client.transport for s in seminar.seats} == {"websocket", "polling"}


def test_a_private_inject_reaches_only_its_delegation(seminar):
    """Does an inject for KOR reach KOR and the White Cell, and never JPN or USA?"""
    started(seminar)
    inject = private_inject("KOR")
    ack = seminar.fac.send("inject.fire", inject_id=inject["id"])
    assert ack["ok"], ack
    everyone = [s.client for s in seminar.seats]
    all_hear(seminar, everyone)

    def fired(client: LiveClient) -> list[dict]:
        return [
            e for e in client.received("inject_fired") if e["data"]["inject"]["id"] == inject["id"]
        ]

    for seat in seminar.of("KOR"):
        [event] = fired(seat.client)
        assert event["seq"] == ack["seq"]
        assert event["data"]["inject"]["body"] == inject["body"]
        assert not set(WHITE_NOTES) & set(event["data"])
    [white] = fired(seminar.fac)
    assert white["data"]["teaching_point"] == inject["teaching_point"].strip()
    for seat in seminar.of("JPN") + seminar.of("USA"):
        assert fired(seat.client) == []
        fresh = seminar.open_client(seat.token, name=f"fresh {seat.player['name']}")
        assert inject["body"].strip()[:80] not in json.dumps(fresh.syncs[-1], ensure_ascii=False)
        assert inject["id"] not in json.dumps(fresh.syncs[-1])


def test_teaching_notes_of_a_public_inject_stay_with_the_white_cell(seminar):
    """Does a public inject reach players without its teaching point and expected action?"""
    started(seminar)
    inject = next(i for i in scenario_injects() if i["id"] == "nk-23-missiles")
    ack = seminar.fac.send("inject.fire", inject_id=inject["id"])
    assert ack["ok"], ack
    notes = [" ".join(inject[k].split())[:60] for k in WHITE_NOTES[:2]]
    for seat in seminar.seats:
        seat.client.wait_seq(ack["seq"])
        event = seat.client.wait_event("inject_fired", lambda e: e["seq"] == ack["seq"])
        assert not set(WHITE_NOTES) & set(event["data"])
        fresh = seminar.open_client(seat.token, name="fresh")
        seen = " ".join(json.dumps(fresh.syncs[-1], ensure_ascii=False).split())
        assert inject["title"] in seen
        assert not any(note in seen for note in notes)
    white = seminar.fac.wait_event("inject_fired", lambda e: e["seq"] == ack["seq"])
    assert white["data"]["expected_action"] == inject["expected_action"].strip()


def test_a_delegation_channel_is_heard_by_that_delegation_only(seminar):
    """Does a message in JPN's private channel reach JPN and the White Cell only?"""
    started(seminar)
    text = f"JPN only {uuid.uuid4().hex[:6]}"
    ack = seminar.lead("JPN").send("message.post", channel="JPN", text=text)
    assert ack["ok"], ack
    all_hear(seminar, [s.client for s in seminar.seats])
    for seat in seminar.seats:
        assert (text in seat.client.texts()) == (seat.delegation == "JPN")
    assert text in seminar.fac.texts()
    for seat in seminar.of("KOR") + seminar.of("USA"):
        fresh = seminar.open_client(seat.token, name="fresh")
        assert text not in json.dumps(fresh.syncs[-1], ensure_ascii=False)


def test_a_bilateral_is_heard_by_its_two_delegations_only(seminar):
    """Does a JPN-KOR message reach JPN, KOR and the White Cell, and not USA?"""
    started(seminar)
    text = f"bilateral {uuid.uuid4().hex[:6]}"
    ack = seminar.of("KOR")[1].client.send("message.post", channel="JPN-KOR", text=text)
    assert ack["ok"], ack
    all_hear(seminar, [s.client for s in seminar.seats])
    for seat in seminar.seats:
        assert (text in seat.client.texts()) == (seat.delegation != "USA")
    assert text in seminar.fac.texts()
    usa = seminar.of("USA")[0]
    fresh = seminar.open_client(usa.token, name="fresh USA")
    assert text not in json.dumps(fresh.syncs[-1], ensure_ascii=False)
    refused = usa.client.send("message.post", channel="JPN-KOR", text="let me in")
    assert refused["error"]["code"] == "not_your_delegation"
