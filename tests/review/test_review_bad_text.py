"""A review survives whatever text an older database holds (e.g. a lone surrogate)."""

from __future__ import annotations

from sqlalchemy import update

from app.extensions import db
from app.review import forget_review
from app.review.charts import CHARTS
from app.review.exports import FORMATS
from app.store.models import Event
from tests.review.conftest import sign_in

ROUTES = [
    "",
    "/review.json",
    "/timeline.json",
    "/proposals.json",
    "/transcripts.json",
    "/replay.json",
    "/report",
    *(f"/charts/{name}.svg" for name in CHARTS),
    *(f"/export/{fmt}" for fmt in FORMATS),
    *(f"/export/{fmt}?anon=1" for fmt in FORMATS),
]


def test_a_stored_lone_surrogate_does_not_break_the_review(app, table, facilitator):
    """When the log already holds a message with a lone surrogate (stored before text was
    checked at the door), does every review route of the session still answer 200, with the
    bad character shown as U+FFFD?"""
    assert table.as_("JPN", "message.post", channel="plenary", text="placeholder")["ok"]
    assert table.fac_send("session.start")["ok"]
    # Write the JSON text as an old server did: json.dumps escapes a lone surrogate as \ud800.
    db.session.execute(
        update(Event)
        .where(Event.session_id == table.game.id, Event.type == "message_posted")
        .values(payload={"channel": "plenary", "text": "\ud800x"})
    )
    db.session.commit()
    forget_review(table.game.id)
    client = sign_in(app.test_client(), facilitator)
    for route in ROUTES:
        response = client.get(f"/review/{table.game.id}{route}")
        assert response.status_code == 200, route
    transcript = client.get(f"/review/{table.game.id}/transcripts.json").get_data(as_text=True)
    assert "\\ufffdx" in transcript or "\ufffdx" in transcript


def test_transcript_filters_ignore_numbers_that_are_not_numbers(app, played, owner_client):
    """Do `player=inf`, `from=nan` and such in the transcript filters count as no filter,
    rather than failing with a 500?"""
    for query in ("player=inf", "player=nan", "from=-inf", "to=nan&player=1e400"):
        response = owner_client.get(f"/review/{played.game.id}/transcripts.json?{query}")
        assert response.status_code == 200, query
