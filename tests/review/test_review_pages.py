"""Review pages: for the session's facilitators, or read-only through a share link."""

import re

from app.store.models import GameSession, Player, ReviewNote
from tests.review.conftest import sign_in


def test_the_owner_sees_the_review_with_metrics_and_charts(owner_client, played):
    """Does the owner's review page show the metrics tables, chart images and transcript filters?"""
    page = owner_client.get(f"/review/{played.game.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="inject-metrics"' in html and "2.5 min" in html  # consensus after 150 s
    assert html.count('data-chart="') == 5
    assert 'id="transcript-filters"' in html and 'id="replay-seq"' in html
    assert "<script>" not in html and " style=" not in html  # the CSP forbids both


def test_charts_are_svg_images(owner_client, played):
    """Is each chart an SVG image the page can show?"""
    for name in ("timeline", "indicators", "delegations", "players", "consensus"):
        response = owner_client.get(f"/review/{played.game.id}/charts/{name}.svg")
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        assert response.get_data(as_text=True).startswith("<svg")


def test_another_facilitator_gets_not_found(app, played, make_facilitator):
    """Is a facilitator who does not run the session refused (404) on the page and its data?"""
    other = sign_in(app.test_client(), make_facilitator("Dr. Other"))
    assert other.get(f"/review/{played.game.id}").status_code == 404
    assert other.get(f"/review/{played.game.id}/timeline.json").status_code == 404
    assert other.get(f"/review/{played.game.id}/export/json").status_code == 404


def test_a_co_facilitator_may_review_but_not_delete(app, played, make_facilitator):
    """Can a co-facilitator read the review but not delete the session?"""
    from app.realtime.sessions import add_co_facilitator

    colleague = make_facilitator("Dr. Colleague")
    add_co_facilitator(played.game.owner_id, played.game.id, "Dr. Colleague")
    client = sign_in(app.test_client(), colleague)
    assert client.get(f"/review/{played.game.id}").status_code == 200
    answer = client.post(
        f"/review/{played.game.id}/delete",
        data={"csrf": "test-csrf", "confirm_title": "Seminar"},
    )
    assert answer.status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(app, played):
    """Is a visitor without a session or share link redirected to the sign-in page?"""
    response = app.test_client().get(f"/review/{played.game.id}")
    assert response.status_code == 302 and "/signin" in response.headers["Location"]


def _share_link(owner_client, game_id):
    owner_client.post(f"/review/{game_id}/share", data={"csrf": "test-csrf"})
    page = owner_client.get(f"/review/{game_id}").get_data(as_text=True)
    return re.search(r"share=([A-Za-z0-9_-]+)", page).group(1)


def test_a_share_link_opens_the_review_read_only(app, owner_client, played):
    """Does a share link show the review to anyone, without the note, share and delete forms?"""
    token = _share_link(owner_client, played.game.id)
    visitor = app.test_client()
    page = visitor.get(f"/review/{played.game.id}?share={token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "read-only shared view" in html
    assert 'name="strengths"' not in html and "Delete the session" not in html
    assert visitor.get(f"/review/{played.game.id}/timeline.json?share={token}").status_code == 200
    refused = visitor.post(
        f"/review/{played.game.id}/notes?share={token}",
        data={"csrf": "x", "subject": "session", "strengths": "x"},
    )
    assert refused.status_code == 403
    assert visitor.get(f"/review/{played.game.id}?share=wrong").status_code == 404


def test_only_the_share_tokens_hash_is_stored_and_revoking_ends_it(app, owner_client, played):
    """Is the share token kept only as a hash, and does revoking stop the link?"""
    from app.extensions import db

    token = _share_link(owner_client, played.game.id)
    stored = db.session.get(GameSession, played.game.id).share_token_hash
    assert stored and token not in stored
    owner_client.post(f"/review/{played.game.id}/share/revoke", data={"csrf": "test-csrf"})
    assert app.test_client().get(f"/review/{played.game.id}?share={token}").status_code == 404


def test_notes_are_saved_per_objective(owner_client, played):
    """Are HSEEP strengths and improvements saved per objective and shown again?"""
    from app.extensions import db

    objective = "jpn-obj-counterstrike"
    response = owner_client.post(
        f"/review/{played.game.id}/notes",
        data={
            "csrf": "test-csrf",
            "subject": objective,
            "strengths": "Kept the trilateral line",
            "improvements": "Consult Seoul earlier",
        },
    )
    assert response.status_code == 302
    note = db.session.query(ReviewNote).filter_by(session_id=played.game.id).one()
    assert (note.subject, note.improvements) == (objective, "Consult Seoul earlier")
    assert "Consult Seoul earlier" in owner_client.get(f"/review/{played.game.id}").get_data(
        as_text=True
    )


def test_notes_need_the_form_token(owner_client, played):
    """Is a note posted without the CSRF token refused?"""
    response = owner_client.post(
        f"/review/{played.game.id}/notes", data={"subject": "session", "strengths": "x"}
    )
    assert response.status_code == 400


def test_deleting_removes_the_session_and_its_personal_data(owner_client, played):
    """Does the owner's confirmed deletion remove the session, its players and its log?"""
    from app.extensions import db
    from app.store.models import Event

    sid = played.game.id
    wrong = owner_client.post(
        f"/review/{sid}/delete", data={"csrf": "test-csrf", "confirm_title": "nope"}
    )
    assert wrong.status_code == 302 and db.session.get(GameSession, sid) is not None
    done = owner_client.post(
        f"/review/{sid}/delete", data={"csrf": "test-csrf", "confirm_title": "Seminar"}
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(GameSession, sid) is None
    assert db.session.query(Player).filter_by(session_id=sid).count() == 0
    assert db.session.query(Event).filter_by(session_id=sid).count() == 0
    assert owner_client.get(f"/review/{sid}").status_code == 404


def test_exports_download_from_the_page(owner_client, played):
    """Does each export link download a file with a sensible name?"""
    for fmt, name in (("json", ".json"), ("csv", "-csv.zip"), ("md", ".md"), ("html", ".html")):
        response = owner_client.get(f"/review/{played.game.id}/export/{fmt}?anon=1")
        assert response.status_code == 200
        assert f"anonymised{name}" in response.headers["Content-Disposition"]


def test_a_session_still_in_the_lobby_has_a_review(owner_client, game):
    """Does a session nobody has played yet open, with every chart and the JSON summary?"""
    assert owner_client.get(f"/review/{game.id}").status_code == 200
    for name in ("timeline", "indicators", "delegations", "players", "consensus"):
        response = owner_client.get(f"/review/{game.id}/charts/{name}.svg")
        assert response.status_code == 200 and b"<svg" in response.data
    body = owner_client.get(f"/review/{game.id}/review.json").get_json()
    assert body["review"]["summary"]["status"] == "lobby"
    assert owner_client.get(f"/review/{game.id}/replay.json?seq=1").get_json()["seq"] == 1


def test_an_adhoc_inject_is_measured_like_a_scenario_inject(owner_client, table, clock):
    """Is an inject written during play timed, and its adopted option shown against its menu?"""
    from app.review import review_of

    table.fac_send("session.start")
    ack = table.fac_send(
        "inject.write", title="Snap vote", body="Decide now.", audience="all", options=["Yes", "No"]
    )
    assert ack["ok"], ack
    clock.tick(45)
    table.as_("KOR", "proposal.table", inject_id="adhoc-1", text="Yes.", options=["adhoc-1-opt-1"])
    for code in ("JPN", "KOR", "USA"):
        assert table.as_(code, "proposal.endorse", proposal_id=1, version=1)["ok"]
    row = next(r for r in review_of(table.game.id).injects if r["id"] == "adhoc-1")
    assert row["adhoc"] and row["outcome"] == "adopted"
    assert (row["first_proposal_seconds"], row["consensus_seconds"]) == (45.0, 45.0)
    assert row["chosen_text"] == ["Yes"]
    page = owner_client.get(f"/review/{table.game.id}").get_data(as_text=True)
    assert "Snap vote" in page and "ad hoc" in page


def test_every_chart_is_also_said_in_words(owner_client, played):
    """Does each chart carry a text alternative with its figures (WCAG 1.1.1, 1.4.1), tied to
    the image on the page and beside it in both reports?"""
    html = owner_client.get(f"/review/{played.game.id}").get_data(as_text=True)
    names = ("timeline", "indicators", "delegations", "players", "consensus")
    for name in names:
        assert f'aria-describedby="chart-text-{name}"' in html
        found = re.search(rf'<p class="rv-chart-text" id="chart-text-{name}">(.*?)</p>', html)
        assert found and "In words:" in found.group(1), name
    assert "Over 4.0 minutes of play: 3 injects, 1 proposal, 2 amendments" in html
    assert "Trilateral cohesion 45 to 60 (3 changes)" in html
    assert "USA: 1 message, 0 proposals, 0 amendments, 1 endorsement, 1 rejection" in html
    assert "joint response after 2.5 min" in html and "surge is coming: no consensus" in html
    for kind, marker in (("html", "In words:"), ("md", ", in words:*")):
        report = owner_client.get(f"/review/{played.game.id}/export/{kind}").get_data(as_text=True)
        assert report.count(marker) == len(names), kind


def test_an_inject_still_open_when_the_session_ends_is_not_called_no_consensus(
    owner_client, table, clock
):
    """Is an inject fired moments before the end, whose deadline never came, shown as still open
    rather than as a failure to agree, on the page, in the chart's words and in the reports?"""
    table.fac_send("session.start")
    assert table.fac_send("inject.fire", inject_id="nk-23-missiles")["ok"]
    clock.tick(5)
    assert table.fac_send("session.end")["ok"]
    html = owner_client.get(f"/review/{table.game.id}").get_data(as_text=True)
    row = re.search(
        r'<tr class="outcome-unresolved" data-inject="nk-23-missiles">(.*?)</tr>', html, re.S
    )
    assert row, "the inject's metrics row"
    assert "no consensus" not in row.group(1)
    assert "open at the end" in row.group(1)
    assert "Twenty-three missiles in a single day: open at the end" in html
    for kind in ("html", "md"):
        report = owner_client.get(f"/review/{table.game.id}/export/{kind}").get_data(as_text=True)
        assert "no consensus" not in report and "open at the end" in report, kind


def test_the_review_names_the_track_the_session_played(app, owner_client, facilitator):
    """Does the review of a 90-minute-track session say so, and count the injects it did not
    fire as the track's (not the whole scenario's)?"""
    from app.realtime.sessions import create_session
    from app.store.scenarios import latest_scenarios

    scenario = next(s for s in latest_scenarios() if s.slug == "trilateral-2023")
    game = create_session(facilitator.id, scenario, "Short class", track="seminar-90")
    html = owner_client.get(f"/review/{game.id}").get_data(as_text=True)
    meta = re.search(r'<p class="rv-meta">(.*?)</p>', html, re.S).group(1)
    assert "track <strong>90-minute seminar</strong>" in meta
    assert "inject(s) of the track were not fired" in html
