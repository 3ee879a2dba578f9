"""Share links: an expiry and a scope, both shown on the page; the debrief view leaves out the
White Cell lines, the private rooms, and statements and proposals on confidential injects."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta
from typing import Any

import pytest

from app.extensions import db
from app.store.models import GameSession, utcnow


def _share(owner_client: Any, game_id: int, **form: str) -> str:
    owner_client.post(f"/review/{game_id}/share", data={"csrf": "test-csrf", **form})
    page = owner_client.get(f"/review/{game_id}").get_data(as_text=True)
    return re.search(r"share=([A-Za-z0-9_-]+)", page).group(1)


def _transcript(client: Any, game_id: int, token: str) -> list[str]:
    answer = client.get(f"/review/{game_id}/transcripts.json?share={token}").get_json()
    return [m["text"] for m in answer["messages"]]


def test_a_debrief_link_leaves_out_white_cell_lines(app, owner_client, played) -> None:
    """Does the debrief view keep plenary and bilateral talk but not the White Cell line?"""
    token = _share(owner_client, played.game.id, scope="debrief", days="7")
    texts = _transcript(app.test_client(), played.game.id, token)
    assert "Hello Min-jun, shall we draft?" in texts and "Yes Aiko let us" in texts
    assert "Take your time" not in texts
    export = app.test_client().get(f"/review/{played.game.id}/export/json?share={token}")
    assert "Take your time" not in export.get_data(as_text=True)


def test_a_debrief_link_withholds_statements_on_confidential_injects(app, table) -> None:
    """Is the text of a statement on a USA-only inject withheld in the debrief view (the
    decision and its effects kept), while a statement to all and the full view keep theirs?"""
    from app.review import review_of
    from app.review.scope import WITHHELD
    from tests.review.conftest import FIRST, SECOND

    assert table.fac_send("session.start")["ok"]
    for inject in (FIRST, SECOND):
        table.fac_send("inject.fire", inject_id=inject)
    secret = table.as_("USA", "statement.issue", inject_id=SECOND, text="Quietly: yes", options=[])
    public = table.as_("KOR", "statement.issue", inject_id=FIRST, text="Seoul speaks", options=[])
    assert secret["ok"] and public["ok"]
    full = review_of(table.game.id)
    debrief = review_of(table.game.id, scope="debrief")
    texts = {e.seq: e.data["text"] for e in debrief.log.events if e.type == "statement_issued"}
    assert texts == {secret["seq"]: WITHHELD, public["seq"]: "Seoul speaks"}
    assert "Quietly: yes" in str([e.data for e in full.log.events])
    assert debrief.indicators == full.indicators


def test_a_debrief_link_withholds_proposals_on_confidential_injects(app, table) -> None:
    """Are the versions and the stance reasons of a proposal on a USA-only inject withheld in
    every part of the debrief view (page data, replay, exports), while a proposal to all and the
    full view keep theirs, and the indicators still add up?"""
    from app.review import review_of
    from tests.review.conftest import FIRST, SECOND, sign_in

    assert table.fac_send("session.start")["ok"]
    for inject in (FIRST, SECOND):
        table.fac_send("inject.fire", inject_id=inject)
    usa = [
        ("proposal.table", {"inject_id": SECOND, "text": "Quietly draft", "options": []}),
        ("proposal.amend", {"proposal_id": 1, "text": "Quietly agree", "options": []}),
        ("proposal.reject", {"proposal_id": 1, "version": 2, "reason": "Quietly no"}),
    ]
    for kind, fields in usa:
        assert table.as_("USA", kind, **fields)["ok"]
    assert table.as_("KOR", "proposal.table", inject_id=FIRST, text="Seoul drafts", options=[])[
        "ok"
    ]
    owner = sign_in(app.test_client(), table.game.owner)
    token = _share(owner, table.game.id, scope="debrief", days="1")
    visitor = app.test_client()
    for path in ("/review.json", "/proposals.json", "/timeline.json", "/replay.json", "/report"):
        body = visitor.get(f"/review/{table.game.id}{path}?share={token}").get_data(as_text=True)
        assert "Quietly" not in body, path
    for fmt in ("json", "md", "html", "csv"):
        body = visitor.get(f"/review/{table.game.id}/export/{fmt}?share={token}").get_data()
        if fmt == "csv":
            archive = zipfile.ZipFile(io.BytesIO(body))
            body = b"".join(archive.read(name) for name in archive.namelist())
        assert b"Quietly" not in body, fmt
    debrief = visitor.get(f"/review/{table.game.id}/proposals.json?share={token}").get_data(
        as_text=True
    )
    assert "Seoul drafts" in debrief
    full = review_of(table.game.id)
    assert "Quietly no" in str([e.data for e in full.log.events])
    assert review_of(table.game.id, scope="debrief").indicators == full.indicators


def test_a_full_link_shows_everything(app, owner_client, played) -> None:
    """Does a full-scope link still show the White Cell line?"""
    token = _share(owner_client, played.game.id, scope="full", days="1")
    assert "Take your time" in _transcript(app.test_client(), played.game.id, token)


def test_the_page_shows_the_scope_and_the_expiry(app, owner_client, played) -> None:
    """Do both the facilitator's and the visitor's page say what the link shows and until when?"""
    token = _share(owner_client, played.game.id, scope="debrief", days="30")
    expires = db.session.get(GameSession, played.game.id).share_expires_at
    assert timedelta(days=29) < expires - utcnow() <= timedelta(days=30)
    when = expires.strftime("%d %b %Y, %H:%M")
    owner = owner_client.get(f"/review/{played.game.id}").get_data(as_text=True)
    assert "A link is active: the debrief view" in owner and when in owner
    visitor = app.test_client().get(f"/review/{played.game.id}?share={token}")
    html = visitor.get_data(as_text=True)
    assert "This shared link shows the debrief view" in html and when in html


def test_an_expired_link_opens_nothing(app, owner_client, played) -> None:
    """Once its expiry has passed, is the link refused on the page, its data and its exports?"""
    token = _share(owner_client, played.game.id, scope="full", days="1")
    game = db.session.get(GameSession, played.game.id)
    game.share_expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    visitor = app.test_client()
    for path in ("", "/review.json", "/export/csv", "/charts/timeline.svg", "/report"):
        response = visitor.get(f"/review/{played.game.id}{path}?share={token}")
        assert response.status_code == 403, path
    assert "expired" in visitor.get(f"/review/{played.game.id}?share={token}").get_data(
        as_text=True
    )


@pytest.mark.parametrize("form", [{"scope": "everything"}, {"days": "365"}, {"days": "x"}])
def test_a_link_needs_a_known_scope_and_lifetime(owner_client, played, form) -> None:
    """Is a share request with an unknown scope or lifetime refused (400), no link made?"""
    answer = owner_client.post(
        f"/review/{played.game.id}/share", data={"csrf": "test-csrf", **form}
    )
    assert answer.status_code == 400
    assert db.session.get(GameSession, played.game.id).share_token_hash is None


def test_a_debrief_link_leaves_out_private_delegation_rooms(app, table) -> None:
    """Is a delegation's private room left out of the debrief view, a bilateral kept?"""
    from app.review import review_of

    assert table.fac_send("session.start")["ok"]
    assert table.as_("JPN", "message.post", channel="JPN", text="Our red line")["ok"]
    assert table.as_("JPN", "message.post", channel="JPN-KOR", text="A joint line?")["ok"]
    texts = [m["text"] for m in review_of(table.game.id, scope="debrief").messages]
    assert texts == ["A joint line?"]


def _everything(client: Any, game_id: int, token: str) -> str:
    """The replay at its end and every export, as one text."""
    out = [client.get(f"/review/{game_id}/replay.json?share={token}").get_data(as_text=True)]
    for fmt in ("json", "csv"):
        raw = client.get(f"/review/{game_id}/export/{fmt}?share={token}").get_data()
        if raw.startswith(b"PK"):
            archive = zipfile.ZipFile(io.BytesIO(raw))
            raw = b"".join(archive.read(name) for name in archive.namelist())
        out.append(raw.decode())
    return "\n".join(out)


def test_a_debrief_link_keeps_what_happened_locked(app, owner_client, played) -> None:
    """Until the facilitator unlocks the debrief, does a debrief link's replay and exports
    keep out 'what actually happened' (in the log and in the scenario's files), then give it?"""
    from app.review import review_of
    from tests.review.conftest import FIRST

    happened = review_of(played.game.id).scenario.inject(FIRST).what_happened
    token = _share(owner_client, played.game.id, scope="debrief", days="7")
    visitor = app.test_client()
    assert happened[:40] not in _everything(visitor, played.game.id, token)
    owner_client.post(f"/review/{played.game.id}/debrief/unlock", data={"csrf": "test-csrf"})
    assert happened[:40] in _everything(visitor, played.game.id, token)


def test_a_debrief_link_leaves_out_the_facilitators_notes(app, owner_client, played) -> None:
    """Are the facilitators' after-action notes kept out of a debrief link (page, JSON, every
    export, report) while the full review shows them?"""
    owner_client.post(
        f"/review/{played.game.id}/notes",
        data={
            "csrf": "test-csrf",
            "strengths-session": "Aiko led the plenary well",
            "improvements-session": "Min-jun froze at the deadline",
        },
    )
    full_page = owner_client.get(f"/review/{played.game.id}").get_data(as_text=True)
    assert "Min-jun froze at the deadline" in full_page
    token = _share(owner_client, played.game.id, scope="debrief", days="7")
    visitor = app.test_client()
    seen = [_everything(visitor, played.game.id, token)]
    for path in ("", "/review.json", "/report", "/export/md", "/export/html"):
        seen.append(visitor.get(f"/review/{played.game.id}{path}?share={token}").get_data(True))
    assert "Min-jun froze" not in "".join(seen) and "Aiko led the plenary" not in "".join(seen)
    assert "Min-jun froze" in owner_client.get(f"/review/{played.game.id}/export/md").get_data(
        as_text=True
    )


def test_a_debrief_link_leaves_out_who_wrote_an_ad_hoc_inject(app, table) -> None:
    """Is the name of the facilitator who wrote an ad-hoc inject kept out of the debrief view,
    while the inject itself stays?"""
    from app.review import review_of

    assert table.fac_send("session.start")["ok"]
    written = table.fac_send(
        "inject.write", title="Snap drill", body="A drill nobody expected.", audience="all"
    )
    assert written["ok"], written

    def fired(review: Any) -> Any:
        return next(e for e in review.log.events if e.seq == written["seq"])

    assert "written_by" in fired(review_of(table.game.id)).data["_white"]
    debrief = fired(review_of(table.game.id, scope="debrief"))
    assert "written_by" not in debrief.data["_white"]
    assert debrief.data["inject"]["title"] == "Snap drill"
