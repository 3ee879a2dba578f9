"""An automatic delegation negotiates with two live players over real sockets."""

from __future__ import annotations

from tests.live.conftest import Seminar

INJECT = "nk-23-missiles"


def _two_players_and_an_automatic_usa(make_seminar, live_server) -> Seminar:
    seminar = make_seminar(live_server, live_server.fac_token, players=2)
    assert sorted(s.delegation for s in seminar.seats) == ["JPN", "KOR"]
    for type_, fields in (
        ("delegation.set_automatic", {"delegation": "USA", "automatic": True}),
        ("session.start", {}),
        ("inject.fire", {"inject_id": INJECT}),
    ):
        ack = seminar.fac.send(type_, **fields)
        assert ack["ok"], ack
    for seat in seminar.seats:
        seat.client.wait_event("inject_fired", lambda e: e["data"]["inject"]["id"] == INJECT)
    return seminar


def _japan_tables(seminar: Seminar, text: str, option: str):  # type: ignore[no-untyped-def]
    """Japan's lead tables a proposal on the inject; returns Japan's client."""
    jpn = seminar.lead("JPN")
    ack = jpn.send("proposal.table", inject_id=INJECT, text=text, options=[option])
    assert ack["ok"], ack
    return jpn


def _endorse(seminar: Seminar, code: str, proposal_id: int, version: int) -> None:
    ack = seminar.lead(code).send("proposal.endorse", proposal_id=proposal_id, version=version)
    assert ack["ok"], ack


def test_an_automatic_delegation_endorses_what_serves_it(make_seminar, live_server) -> None:
    """With JPN and KOR played live and USA automatic, is an agreeable response adopted?"""
    seminar = _two_players_and_an_automatic_usa(make_seminar, live_server)
    jpn = _japan_tables(seminar, "Condemn together and drill together.", "nk23-condemn-and-drill")
    proposal_id = jpn.wait_event("proposal_tabled")["data"]["proposal"]["id"]
    _endorse(seminar, "JPN", proposal_id, 1)
    _endorse(seminar, "KOR", proposal_id, 1)
    for seat in seminar.seats:
        adopted = seat.client.wait_event("proposal_adopted")
        usa = adopted["data"]["proposal"]["positions"]["USA"]
        assert (usa["stance"], usa["version"], usa["by"]["kind"]) == ("endorse", 1, "auto")


def test_an_automatic_delegation_counter_proposes_across_its_red_line(
    make_seminar, live_server
) -> None:
    """When a proposal crosses the automatic delegation's red line, does it amend once, and is
    its counter-proposal then adopted when the two players endorse it?"""
    seminar = _two_players_and_an_automatic_usa(make_seminar, live_server)
    jpn = _japan_tables(seminar, "Wind the drills down.", "nk23-wind-down-drills")
    amended = jpn.wait_event("proposal_amended")
    proposal = amended["data"]["proposal"]
    assert amended["actor"]["kind"] == "auto" and amended["actor"]["delegation"] == "USA"
    assert "nk23-wind-down-drills" not in proposal["versions"][-1]["options"]
    assert proposal["version"] == 2
    _endorse(seminar, "JPN", proposal["id"], 2)
    _endorse(seminar, "KOR", proposal["id"], 2)
    adopted = seminar.lead("KOR").wait_event("proposal_adopted")
    assert adopted["data"]["proposal"]["adopted_version"] == 2
    history = [e["type"] for e in seminar.history() if e["type"].startswith("proposal_")]
    assert history == [
        "proposal_tabled",
        "proposal_amended",
        "proposal_position",
        "proposal_position",
        "proposal_position",
        "proposal_adopted",
    ]
