"""Metrics of the scripted seminar (see conftest.played), checked against known answers."""

from tests.review.conftest import FIRST, SECOND


def _inject(review, inject_id):
    return next(row for row in review.injects if row["id"] == inject_id)


def test_time_to_first_proposal_counts_play_seconds_from_the_inject(review):
    """Is the first proposal on an inject timed from its firing, in seconds of play?"""
    assert _inject(review, FIRST)["first_proposal_seconds"] == 60.0


def test_time_to_consensus_leaves_the_pause_out(review):
    """Does the 120 s pause between tabling and adoption not count towards consensus time?"""
    row = _inject(review, FIRST)
    assert row["outcome"] == "adopted"
    assert row["consensus_seconds"] == 150.0


def test_a_closed_deadline_without_adoption_is_no_consensus(review):
    """Is an inject whose deadline was closed without an adopted response 'no consensus'?"""
    row = _inject(review, SECOND)
    assert row["outcome"] == "no_consensus"
    assert row["consensus_seconds"] is None
    assert row["first_proposal_seconds"] is None


def test_versions_count_the_tabling_and_every_amendment(review):
    """Does an inject answered by one proposal amended twice show three versions?"""
    row = _inject(review, FIRST)
    assert (row["proposals"], row["versions"]) == (1, 3)


def test_chosen_options_are_shown_against_the_menu_and_expected_action(review, played):
    """Are the adopted options marked in the inject's menu, beside its expected action?"""
    row = _inject(review, FIRST)
    assert row["chosen"] == ["vm-response-package"]
    marked = {o["id"]: o["chosen"] for o in row["menu"]}
    assert marked == {"vm-response-package": True, "vm-ambiguity": False, "vm-un-first": False}
    assert row["expected_action"] == review.scenario.inject(FIRST).expected_action
    statements = {o["id"]: o["statements"] for o in row["menu"]}
    assert statements["vm-un-first"] == ["KOR"]


def test_unfired_injects_are_listed_as_not_fired(review):
    """Does every scenario inject that never fired appear as 'not fired'?"""
    unfired = [row for row in review.injects if not row["fired"]]
    assert len(unfired) == len(review.scenario.injects) - 2
    assert all(row["outcome"] == "not_fired" for row in unfired)


def test_participation_per_player(review, played):
    """Are each player's messages, words, proposals, amendments and positions counted?"""
    rows = {row["name"]: row for row in review.participation["players"]}
    aiko, minjun, sam = rows["Aiko"], rows["Min-jun"], rows["Sam"]
    assert (aiko["messages"], aiko["words"], aiko["proposals"], aiko["amendments"]) == (1, 5, 1, 1)
    assert (minjun["messages"], minjun["words"], minjun["amendments"]) == (1, 4, 1)
    assert minjun["statements"] == 1
    assert (sam["messages"], sam["words"], sam["rejections"], sam["endorsements"]) == (1, 3, 1, 1)
    assert all(row["endorsements"] == 1 for row in rows.values())


def test_participation_per_delegation_and_white_cell(review):
    """Do the delegation totals follow the seats, and the facilitator count as White Cell?"""
    rows = {row["code"]: row for row in review.participation["delegations"]}
    assert rows["JPN"]["proposals"] == 1
    assert rows["USA"]["rejections"] == 1
    assert review.participation["white_cell"]["messages"] == 1
    assert review.participation["white_cell"]["words"] == 3


def test_indicators_over_time_follow_adoptions_statements_and_rulings(review):
    """Does each indicator's series start at its start value and end at the ruling's value?"""
    series = review.indicators["series"]["cohesion"]
    assert series[0] == {"seq": 0, "play_seconds": 0.0, "value": 45, "cause": "start"}
    assert series[-1]["value"] == 60
    assert series[-1]["cause"] == "ruling: Summit mood"
    assert review.indicators["final"]["cohesion"] == 60


def test_objective_scores_match_the_engine(review, played):
    """Are objective scores per delegation the same as the engine's state at the end?"""
    from app.realtime.service import load_state

    state = load_state(played.game.id)
    for delegation in review.scores:
        assert {o["id"]: o["score"] for o in delegation["objectives"]} == state.scores[
            delegation["code"]
        ]


def test_summary_counts_and_play_time(review):
    """Does the summary give 240 s of play, 120 s paused and the counts of what happened?"""
    summary = review.summary
    assert (summary["play_seconds"], summary["paused_seconds"]) == (240.0, 120.0)
    assert (summary["messages"], summary["proposals"], summary["versions"]) == (4, 1, 3)
    assert (summary["adoptions"], summary["statements"], summary["rulings"]) == (1, 1, 1)


def test_timeline_lists_injects_versions_positions_adoptions_rulings_and_pauses(review):
    """Does the timeline carry every kind of moment the brief names, in order?"""
    categories = [item["category"] for item in review.timeline]
    for kind in ("move", "inject", "proposal", "version", "position", "adoption", "ruling"):
        assert kind in categories
    assert categories.count("pause") == 2
    seqs = [item["seq"] for item in review.timeline]
    assert seqs == sorted(seqs)
    rejection = next(i for i in review.timeline if i.get("stance") == "reject")
    assert rejection["delegation"] == "USA" and "Too soft" in rejection["text"]


def test_proposal_history_has_diffs_and_the_endorsement_trail(review):
    """Does a proposal's history show word diffs between versions and every position taken?"""
    proposal = review.proposals[0]
    assert proposal["status"] == "adopted" and proposal["adopted_version"] == 3
    second = proposal["versions"][1]
    assert ["insert", " and go to the UN first"] in second["diff"]
    assert second["options_added"] == ["vm-un-first"]
    trail = [(step["kind"], step.get("position_of")) for step in proposal["trail"]]
    assert trail == [
        ("tabled", None),
        ("amended", None),
        ("reject", "USA"),
        ("amended", None),
        ("endorse", "JPN"),
        ("endorse", "KOR"),
        ("endorse", "USA"),
        ("adopted", None),
    ]


def test_a_proposal_left_open_at_the_end_is_closed_by_the_session_end(table, clock):
    """Does a proposal still open when the session ends show as closed, with that reason?"""
    from app.review import review_of

    table.fac_send("session.start")
    table.fac_send("inject.fire", inject_id=FIRST)
    ack = table.as_("JPN", "proposal.table", inject_id=FIRST, text="Draft", options=[])
    assert ack["ok"], ack
    table.fac_send("session.end")
    history = review_of(table.game.id).proposals[0]
    assert history["status"] == "closed"
    assert history["trail"][-1] == history["trail"][-1] | {
        "kind": "closed",
        "reason": "the session ended",
    }
