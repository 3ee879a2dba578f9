"""Who may see what: audiences, rooms, and the role-filtered views of scenario and state."""

from __future__ import annotations

import pytest

from app.content.schema import Settings
from app.engine import FACILITATOR, OBSERVER, Viewer, can_see, new_state, rooms_for
from app.engine.visibility import event_view, scenario_view, state_view
from tests.engine.conftest import FAC, now_of, play, seat

JAPAN = Viewer("player", "JPN", 100)
KOREA = Viewer("player", "KOR", 101)
USA = Viewer("player", "USA", 102)


def with_settings(scenario, **settings):  # type: ignore[no-untyped-def]
    return scenario.model_copy(update={"settings": Settings(**settings)})


@pytest.mark.parametrize(
    ("audience", "facilitator", "observer", "japan", "korea", "usa"),
    [
        ("all", True, True, True, True, True),
        ("white", True, False, False, False, False),
        ("d:USA", True, False, False, False, True),
        ("d:JPN,KOR", True, False, True, True, False),
        ("ch:JPN-KOR", True, False, True, True, False),
    ],
)
def test_who_sees_each_audience(scenario, audience, facilitator, observer, japan, korea, usa):
    """Does each audience reach exactly the viewers it should?"""
    seen = [can_see(audience, v, scenario) for v in (FACILITATOR, OBSERVER, JAPAN, KOREA, USA)]
    assert seen == [facilitator, observer, japan, korea, usa]


def test_observers_see_bilaterals_only_when_the_scenario_allows(scenario):
    """Do observers read bilaterals only with observers_see_bilaterals on, and never a
    delegation's private room?"""
    open_scenario = with_settings(scenario, observers_see_bilaterals=True)
    assert not can_see("ch:JPN-KOR", OBSERVER, scenario)
    assert can_see("ch:JPN-KOR", OBSERVER, open_scenario)
    assert not can_see("d:JPN", OBSERVER, open_scenario)
    assert "obs" not in rooms_for("ch:JPN-KOR", scenario)
    assert "obs" in rooms_for("ch:JPN-KOR", open_scenario)


def test_events_go_to_the_rooms_of_their_audience(scenario):
    """Is each audience sent to the White Cell plus the rooms of the delegations it names?"""
    assert rooms_for("all", scenario) == ["white", "d:JPN", "d:KOR", "d:USA", "obs"]
    assert rooms_for("white", scenario) == ["white"]
    assert rooms_for("d:USA", scenario) == ["white", "d:USA"]
    assert rooms_for("ch:KOR-USA", scenario) == ["white", "d:KOR", "d:USA"]


@pytest.mark.parametrize(
    ("channel", "audience"),
    [("plenary", "all"), ("JPN", "d:JPN"), ("JPN-KOR", "ch:JPN-KOR"), ("white-JPN", "d:JPN")],
)
def test_messages_are_addressed_to_their_channel(running, channel, audience):
    """Is a message in each kind of channel recorded for that channel's members?"""
    event = play(running, FAC, "message.post", channel=channel, text="hello")[0]
    assert event.audience == audience
    assert event.data == {"channel": channel, "text": "hello"}


def test_players_see_only_their_own_private_briefing(scenario):
    """Does a Japanese player get Japan's private briefing, objectives and red lines, and no
    other delegation's?"""
    view = scenario_view(scenario, JAPAN)
    by_code = {d["code"]: d for d in view["delegations"]}
    assert by_code["JPN"]["private_briefing"] == scenario.delegation("JPN").private_briefing
    assert [o["id"] for o in by_code["JPN"]["objectives"]] == [
        o.id for o in scenario.delegation("JPN").objectives
    ]
    assert by_code["JPN"]["red_lines"]
    for code in ("KOR", "USA"):
        assert {"private_briefing", "objectives", "red_lines"}.isdisjoint(by_code[code])
    for code in ("KOR", "USA"):
        assert scenario.delegation(code).private_briefing not in str(view)


def test_players_and_observers_never_get_the_master_scenario(scenario):
    """Are the injects list and teaching points kept out of the scenario view for players and
    observers, and given to facilitators?"""
    for viewer in (JAPAN, OBSERVER):
        view = scenario_view(scenario, viewer)
        assert "injects" not in view
        assert scenario.injects[0].teaching_point not in str(view)
    white = scenario_view(scenario, FACILITATOR)
    assert len(white["injects"]) == len(scenario.injects)
    assert white["injects"][0]["teaching_point"] == scenario.injects[0].teaching_point
    assert all("private_briefing" in d for d in white["delegations"])


def test_players_get_no_source_from_after_the_played_frame(scenario):
    """Is a source published after the last inject's date (cited for what happened next) kept
    out of the bibliography players and observers receive, and given to facilitators?"""
    last = max(inject.date for inject in scenario.injects).isoformat()
    later = [s.id for s in scenario.sources if str(s.date)[:10] > last]
    assert later, "the bundled scenario cites later reports for what_happened"
    for viewer in (JAPAN, OBSERVER):
        shown = {s["id"] for s in scenario_view(scenario, viewer)["sources"]}
        assert shown and shown.isdisjoint(later)
    assert {s["id"] for s in scenario_view(scenario, FACILITATOR)["sources"]} >= set(later)


def test_observers_get_no_private_briefing(scenario):
    """Does an observer see only public briefings, and only the plenary channel?"""
    view = scenario_view(scenario, OBSERVER)
    assert all("private_briefing" not in d for d in view["delegations"])
    assert view["channels"] == ["plenary"]


def test_players_get_their_own_channels(scenario):
    """Does a Korean player get plenary, Korea's room, its two bilaterals and its White Cell
    line, and no other?"""
    assert scenario_view(scenario, KOREA)["channels"] == [
        "plenary",
        "KOR",
        "JPN-KOR",
        "KOR-USA",
        "white-KOR",
    ]


def test_hidden_indicators_stay_hidden_from_players(scenario):
    """With indicators_visible_to_players off, do players lose the gauges and facilitators
    keep them?"""
    hidden = with_settings(scenario, indicators_visible_to_players=False)
    state = new_state(hidden, 1)
    now = now_of(state)
    assert "indicators" not in state_view(state, JAPAN, now)
    assert scenario_view(hidden, JAPAN)["indicators"] == []
    assert state_view(state, FACILITATOR, now)["indicators"] == state.indicators


def test_unfired_injects_are_invisible_to_players(running, fired):
    """Before an inject fires, is it absent from a player's state and listed as pending for
    the facilitator?"""
    now = now_of(running)
    assert state_view(running, JAPAN, now)["injects"] == []
    assert "injects_pending" not in state_view(running, JAPAN, now)
    pending = state_view(running, FACILITATOR, now)["injects_pending"]
    assert {p["id"] for p in pending} == set(running.injects)
    fired("nk-23-missiles")
    seen = state_view(running, JAPAN, now_of(running))["injects"]
    assert [i["id"] for i in seen] == ["nk-23-missiles"]
    assert "teaching_point" not in seen[0] and "expected_action" not in seen[0]
    white = state_view(running, FACILITATOR, now_of(running))["injects"][0]
    assert white["teaching_point"]


def test_a_private_inject_and_its_proposals_stay_private(running, leads, fired):
    """Are a USA-only inject and the proposal answering it hidden from Japan and observers?"""
    fired("usa-intel-test-readiness")
    fields = {
        "inject_id": "usa-intel-test-readiness",
        "text": "Share.",
        "options": ["usa-share-intel-trilateral"],
    }
    play(running, leads["USA"], "proposal.table", **fields)
    now = now_of(running)
    for viewer in (JAPAN, OBSERVER):
        view = state_view(running, viewer, now)
        assert view["injects"] == [] and view["proposals"] == []
    usa = state_view(running, USA, now)
    assert [i["id"] for i in usa["injects"]] == ["usa-intel-test-readiness"]
    assert [p["id"] for p in usa["proposals"]] == [1]


def test_observers_see_plenary_business_but_no_scores(running, leads, fired):
    """Does an observer see fired public injects and proposals, but no scores?"""
    fired("nk-23-missiles")
    fields = {"inject_id": "nk-23-missiles", "text": "t", "options": []}
    play(running, leads["KOR"], "proposal.table", **fields)
    view = state_view(running, OBSERVER, now_of(running))
    assert [i["id"] for i in view["injects"]] == ["nk-23-missiles"]
    assert [p["id"] for p in view["proposals"]] == [1]
    assert view["scores"] == {}


def test_facilitator_notes_are_removed_from_events_for_players(running):
    """Is the teaching point of a fired inject given to the White Cell and removed for a
    player's or observer's copy of the event?"""
    event = play(running, FAC, "inject.fire", inject_id="nk-23-missiles")[0]
    for viewer in (JAPAN, OBSERVER):
        data = event_view(event, viewer)["data"]
        assert "teaching_point" not in data and "_white" not in data
    white = event_view(event, FACILITATOR)["data"]
    assert white["teaching_point"] and "_white" not in white


def test_the_player_list_hides_removed_players(state, leads):
    """Does the state view stop listing a removed player?"""
    ren = seat(state, "Ren")
    play(state, FAC, "seat.remove", player_id=ren.id)
    names = [p["name"] for p in state_view(state, JAPAN, now_of(state))["players"]]
    assert names == ["Aiko", "Min-jun", "Sam"]


def test_hidden_indicators_are_not_leaked_by_events(scenario):
    """With indicators hidden from players, do players' copies of adoption, statement and
    override events leave out the indicator values the facilitator's copies keep?"""
    from tests.engine.conftest import seat as join

    state = new_state(with_settings(scenario, indicators_visible_to_players=False), 1)
    leads = {a.delegation: a for a in (join(state, n) for n in ("Aiko", "Min-jun", "Sam"))}
    play(state, FAC, "session.start")
    play(state, FAC, "inject.fire", inject_id="nk-23-missiles")
    response = {"inject_id": "nk-23-missiles", "text": "t", "options": ["nk23-condemn-and-un"]}
    play(state, leads["USA"], "statement.issue", **response)
    play(state, leads["JPN"], "proposal.table", **response)
    for code in ("JPN", "KOR", "USA"):
        play(state, leads[code], "proposal.endorse", proposal_id=1, version=1)
    play(state, FAC, "indicator.override", indicator="cohesion", value=70, ruling="Summit")
    numbers = {"indicators", "effects", "value", "previous"}
    moved = [
        e
        for e in state.__dict__["_test"]["log"]
        if e.type in ("statement_issued", "proposal_adopted", "indicator_overridden")
    ]
    assert len(moved) == 3
    for event in moved:
        assert numbers.isdisjoint(event_view(event, JAPAN)["data"]), event.type
        assert numbers.isdisjoint(event_view(event, OBSERVER)["data"]), event.type
        assert numbers & set(event_view(event, FACILITATOR)["data"]), event.type
        assert not [k for k in event_view(event, FACILITATOR)["data"] if k.startswith("_")]


def test_hidden_indicators_are_not_leaked_by_the_state_view(scenario):
    """With indicators hidden from players, do the statements and rulings in a player's state
    view leave out the numbers (and no internal `_` keys show anywhere)?"""
    from tests.engine.conftest import seat as join

    state = new_state(with_settings(scenario, indicators_visible_to_players=False), 1)
    usa = [join(state, n) for n in ("Aiko", "Min-jun", "Sam")][2]
    play(state, FAC, "session.start")
    play(state, FAC, "inject.fire", inject_id="nk-23-missiles")
    response = {"inject_id": "nk-23-missiles", "text": "t", "options": ["nk23-condemn-and-un"]}
    play(state, usa, "statement.issue", **response)
    play(state, FAC, "indicator.override", indicator="cohesion", value=70, ruling="Summit")
    numbers = {"indicators", "effects", "value", "previous"}
    for viewer in (USA, OBSERVER):
        view = state_view(state, viewer, now_of(state))
        assert view["statements"][0]["text"] == "t"
        assert view["rulings"][0]["ruling"] == "Summit"
        for item in view["statements"] + view["rulings"]:
            assert numbers.isdisjoint(item) and not [k for k in item if k.startswith("_")]
    white = state_view(state, FACILITATOR, now_of(state))
    assert white["rulings"][0]["value"] == 70 and "effects" in white["statements"][0]
    assert not [k for item in white["statements"] + white["rulings"] for k in item if k[0] == "_"]
