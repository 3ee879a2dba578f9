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


def _hot_wash(played):  # type: ignore[no-untyped-def]
    t = played.table
    _ok(t.as_("KOR", "debrief.hotwash", went_well="Aiko listened.", surprised="Washington moved."))
    _ok(t.as_("JPN", "debrief.hotwash", to_improve="Table earlier."))


def _report(played, fmt, **how):  # type: ignore[no-untyped-def]
    from app.review import review_of
    from app.review.exports import export

    return export(review_of(played.game.id, **how), fmt).body.decode()


def test_hot_wash_is_in_the_markdown_and_html_reports(played):
    """Do both report exports carry the hot wash by question, each answer with its delegation,
    between the debrief questions and what actually happened?"""
    _hot_wash(played)
    md = _report(played, "md")
    section = md.split("### Hot wash", 1)[1].split("### What actually happened", 1)[0]
    assert "#### What went well\n\n- KOR: Aiko listened." in section
    assert "#### What to improve\n\n- JPN: Table earlier." in section
    assert "#### What surprised them\n\n- KOR: Washington moved." in section
    assert md.index("### Questions") < md.index("### Hot wash")
    html = _report(played, "html")
    assert "<h3>Hot wash</h3>" in html and "<li>KOR: Aiko listened.</li>" in html
    assert "<li>JPN: Table earlier.</li>" in html


def test_report_without_a_hot_wash_says_so(played):
    """Does a report of a session whose students sent no hot wash say there is none?"""
    assert "### Hot wash\n\nNo hot wash:" in _report(played, "md")


def test_hot_wash_in_reports_follows_anonymisation_and_scope(played):
    """Are names in hot-wash answers replaced by pseudonyms in an anonymised report, the answers
    withheld in a text-withheld one, and the hot wash left out of the class's debrief view?"""
    _hot_wash(played)
    anonymous = _report(played, "md", anonymise=True)
    assert "- KOR: JPN-1 listened." in anonymous and "Aiko" not in anonymous
    withheld = _report(played, "md", withhold_text=True)
    assert "- KOR: \\[withheld: 2 words\\]" in withheld  # (Markdown-escaped brackets)
    assert "Washington moved" not in withheld and "Table earlier" not in withheld
    for fmt in ("md", "html"):
        debrief = _report(played, fmt, scope="debrief")
        assert "Aiko listened" not in debrief and "Table earlier" not in debrief
        assert "No hot wash" in debrief
