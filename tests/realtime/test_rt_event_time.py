"""An event's own time and the times decided into its data are one moment, so what a client
reads from a live event equals what the fold (and so a later sync) derives from the log."""

from __future__ import annotations

import time
from typing import Any

from app.engine.state import Actor, Draft
from app.realtime.service import record, utcnow


def test_the_rules_decide_with_the_moment_the_events_are_stamped_with(app: Any, game: Any) -> None:
    """Does every `utcnow()` the rules read while deciding return the time the events are then
    recorded with, however long the decision takes, and the real clock again afterwards?"""
    seen = []

    def build(_state: Any) -> list[Draft]:
        seen.append(utcnow())
        time.sleep(0.005)  # a slow decision: the commit comes later than the rules' "now"
        seen.append(utcnow())
        return [Draft("lobby_locked", "all", {"locked": False})]

    with app.app_context():
        records = record(game.id, Actor("facilitator", name="White Cell"), build)
        after = utcnow()
    assert seen == [records[0].at, records[0].at]
    assert after > records[0].at
