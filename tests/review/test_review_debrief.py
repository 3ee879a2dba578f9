"""The debrief in the review: the students' hot wash, theory prompts, and "what actually
happened" kept hidden until the facilitator reveals it (issue 11, item 7)."""

from __future__ import annotations

from markupsafe import escape

from tests.review.conftest import FIRST


def _ok(ack):  # type: ignore[no-untyped-def]
    assert ack["ok"], ack
    return ack


def test_hot_wash_sent_after_the_end_reaches_the_review(owner_client, played):
    """Do hot-wash answers sent from students' seats after the end appear in the review?"""
    t = played.table
    _ok(t.as_("KOR", "debrief.hotwash", went_well="We listened.", surprised="Washington moved."))
    _ok(t.as_("JPN", "debrief.hotwash", to_improve="Table earlier."))
    html = owner_client.get(f"/review/{played.game.id}").get_data(as_text=True)
    assert "We listened." in html and "Washington moved." in html and "Table earlier." in html
    data = owner_client.get(f"/review/{played.game.id}/review.json").get_json()
    answers = data["review"]["debrief"]["hot_wash"]
    assert [a["delegation"] for a in answers] == ["KOR", "JPN"]


def test_what_happened_is_hidden_until_unlocked(owner_client, played, review):
    """Is 'what actually happened' hidden until the facilitator reveals it, then shown?"""
    text = str(escape(review.scenario.inject(FIRST).what_happened))
    page = owner_client.get(f"/review/{played.game.id}").get_data(as_text=True)
    assert text not in page and 'id="reveal-happened"' in page
    locked = owner_client.get(f"/review/{played.game.id}/review.json").get_json()
    assert all(i["what_happened"] is None for i in locked["review"]["debrief"]["injects"])
    answer = owner_client.post(
        f"/review/{played.game.id}/debrief/unlock", data={"csrf": "test-csrf"}
    )
    assert answer.status_code == 302
    page = owner_client.get(f"/review/{played.game.id}").get_data(as_text=True)
    assert text in page and 'id="reveal-happened"' not in page


def test_unlock_needs_the_form_token(owner_client, played):
    """Is an unlock without the CSRF token refused, leaving the debrief locked?"""
    answer = owner_client.post(f"/review/{played.game.id}/debrief/unlock", data={"csrf": "x"})
    assert answer.status_code in (400, 403)
    data = owner_client.get(f"/review/{played.game.id}/review.json").get_json()
    assert data["review"]["debrief"]["unlocked"] is False
