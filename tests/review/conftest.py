"""A scripted seminar, played through the real service on a clock the test controls, so every
metric of its review has a known answer."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from app.realtime import service

START = datetime(2026, 3, 2, 9, 0, 0)
FIRST = "nk-vice-ministers-tokyo"  # to all; adopted on version 3
SECOND = "usa-intel-test-readiness"  # to USA only; closed with no consensus


class Clock:
    """The server's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class Played:
    """What the script did, for tests to compare the review with."""

    def __init__(self, table: Any, clock: Clock) -> None:
        self.table = table
        self.clock = clock
        self.game = table.game
        self.seats = table.seats
        self.live: dict[int, Any] = {}  # seq -> facilitator state view taken live at that seq


def _ok(ack: dict[str, Any]) -> dict[str, Any]:
    assert ack["ok"], ack
    return ack


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(service, "utcnow", fake)
    return fake


@pytest.fixture
def played(table: Any, clock: Clock) -> Played:
    """Play the script (times in seconds of play; one 120 s pause):

    0    start; fire FIRST
    30   JPN (Aiko) plenary "Hello Min-jun, shall we draft?";
         KOR (Min-jun) JPN-KOR "Yes Aiko let us"
    60   JPN tables proposal 1 v1 [vm-ambiguity]                 -> first proposal after 60 s
    90   KOR amends v2 [vm-ambiguity, vm-un-first]
    100  USA rejects v2 "Too soft"; pause at 100, resume 120 s later
    130  JPN amends v3 [vm-response-package]; USA posts "Agreed, this works"
    150  JPN, KOR, USA endorse v3 -> adopted                     -> consensus after 150 s
    160  fire SECOND (USA only); facilitator posts to white-USA "Take your time"
    200  facilitator closes SECOND's deadline                     -> no consensus
    210  KOR statement on FIRST [vm-un-first]; ruling cohesion = 60
    240  end
    """
    from app.engine import FACILITATOR, state_view

    t = table
    run = Played(t, clock)

    def snapshot() -> None:
        state = service.load_state(t.game.id)
        run.live[state.seq] = state_view(state, FACILITATOR, clock.now)

    _ok(t.fac_send("session.start"))
    _ok(t.fac_send("inject.fire", inject_id=FIRST))
    clock.tick(30)
    _ok(t.as_("JPN", "message.post", channel="plenary", text="Hello Min-jun, shall we draft?"))
    _ok(t.as_("KOR", "message.post", channel="JPN-KOR", text="Yes Aiko let us"))
    clock.tick(30)
    _ok(
        t.as_(
            "JPN",
            "proposal.table",
            inject_id=FIRST,
            text="Agree the principles privately.",
            options=["vm-ambiguity"],
        )
    )
    snapshot()
    clock.tick(30)
    _ok(
        t.as_(
            "KOR",
            "proposal.amend",
            proposal_id=1,
            text="Agree the principles privately and go to the UN first.",
            options=["vm-ambiguity", "vm-un-first"],
        )
    )
    clock.tick(10)
    _ok(t.as_("USA", "proposal.reject", proposal_id=1, version=2, reason="Too soft"))
    _ok(t.fac_send("session.pause"))
    clock.tick(120)
    _ok(t.fac_send("session.resume"))
    snapshot()
    clock.tick(30)
    _ok(
        t.as_(
            "JPN",
            "proposal.amend",
            proposal_id=1,
            text="Agree and publish a trilateral package.",
            options=["vm-response-package"],
        )
    )
    _ok(t.as_("USA", "message.post", channel="plenary", text="Agreed, this works"))
    clock.tick(20)
    for code in ("JPN", "KOR", "USA"):
        _ok(t.as_(code, "proposal.endorse", proposal_id=1, version=3))
    snapshot()
    clock.tick(10)
    _ok(t.fac_send("inject.fire", inject_id=SECOND))
    _ok(t.fac_send("message.post", channel="white-USA", text="Take your time"))
    clock.tick(40)
    _ok(t.fac_send("deadline.close", inject_id=SECOND))
    clock.tick(10)
    _ok(
        t.as_(
            "KOR",
            "statement.issue",
            inject_id=FIRST,
            text="Seoul goes to the UN.",
            options=["vm-un-first"],
        )
    )
    _ok(t.fac_send("indicator.override", indicator="cohesion", value=60, ruling="Summit mood"))
    snapshot()
    clock.tick(30)
    _ok(t.fac_send("session.end"))
    snapshot()
    return run


@pytest.fixture
def review(played: Played) -> Any:
    from app.review import review_of

    return review_of(played.game.id)


def sign_in(client: Any, facilitator: Any) -> Any:
    """A test client signed in as `facilitator` (the cookie session the pages use)."""
    with client.session_transaction() as cookie:
        cookie["facilitator_id"] = facilitator.id
        cookie["auth_version"] = facilitator.auth_version  # the cookie names its credential version
        cookie["csrf"] = "test-csrf"
    return client


@pytest.fixture
def owner_client(app: Any, facilitator: Any) -> Any:
    return sign_in(app.test_client(), facilitator)
