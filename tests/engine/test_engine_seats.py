"""Seats: balancing joiners across delegations, roles, names, leads, moving and removing."""

from __future__ import annotations

import pytest

from app.engine import CommandError, join_drafts
from tests.engine.conftest import FAC, play, seat, types


def seated(state):  # type: ignore[no-untyped-def]
    return {(s.name, s.delegation, s.role) for s in state.active_seats()}


def test_joiners_fill_the_delegation_with_fewest_seats_in_scenario_order(state):
    """Do joiners go to the emptiest delegation, in scenario order on ties?"""
    codes = [seat(state, f"Student {n}").delegation for n in range(7)]
    assert codes == ["JPN", "KOR", "USA", "JPN", "KOR", "USA", "JPN"]


def test_joiners_skip_automatic_delegations(state):
    """Are automatic delegations left out of the balancing?"""
    play(state, FAC, "delegation.set_automatic", delegation="KOR", automatic=True)
    codes = [seat(state, f"Student {n}").delegation for n in range(4)]
    assert codes == ["JPN", "USA", "JPN", "USA"]


def test_roles_are_filled_in_order_then_advisers(state, scenario):
    """Does each delegation fill its roles in scenario order, then seat advisers?"""
    actors = [seat(state, f"Student {n}") for n in range(15)]
    japan = [state.seats[a.id] for a in actors if a.delegation == "JPN"]
    expected = [r.id for r in scenario.delegation("JPN").roles] + ["jpn-adviser"]
    assert [s.role for s in japan] == expected
    assert japan[-1].role_title == "Adviser"


def test_the_first_seated_leads(state):
    """Is the first player of each delegation its lead, and the second not?"""
    first = seat(state, "Aiko")
    drafts = join_drafts(state, 500, "Ren")
    assert drafts[0].data["player"]["delegation"] == "KOR"
    for _ in range(2):
        seat(state, "Someone")
    second_japanese = seat(state, "Ren")
    assert state.leads["JPN"] == first.id
    assert second_japanese.delegation == "JPN" and state.leads["JPN"] != second_japanese.id


def test_joining_emits_lead_set_only_for_a_delegation_without_a_lead(state):
    """Does a joiner into a leaderless delegation bring a lead_set event, and a later one not?"""
    assert [d.type for d in join_drafts(state, 100, "Aiko")] == ["player_joined", "lead_set"]
    for n in range(3):
        seat(state, f"S{n}")
    assert [d.type for d in join_drafts(state, 900, "Ren")] == ["player_joined"]


def test_duplicate_names_are_numbered(state):
    """Is a second "Sam" seated as "Sam (2)", and a third (any case) as "Sam (3)"?"""
    names = [state.seats[seat(state, n).id].name for n in ("Sam", "Sam", "sam")]
    assert names == ["Sam", "Sam (2)", "sam (3)"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 41, None, 42])
def test_bad_names_are_refused(state, name):
    """Is an empty, over-long or non-text name refused as bad_name?"""
    with pytest.raises(CommandError) as caught:
        join_drafts(state, 100, name)
    assert caught.value.code == "bad_name"


def test_names_are_trimmed_and_single_spaced(state):
    """Is "  Aiko   Sato " seated as "Aiko Sato"?"""
    assert state.seats[seat(state, "  Aiko \t  Sato ").id].name == "Aiko Sato"


def test_a_locked_lobby_refuses_joiners(state, leads):
    """After lobby.lock, is a new joiner refused as lobby_locked, and accepted after unlock?"""
    play(state, FAC, "lobby.lock", locked=True)
    with pytest.raises(CommandError) as caught:
        join_drafts(state, 500, "Late")
    assert caught.value.code == "lobby_locked"
    play(state, FAC, "lobby.lock", locked=False)
    assert seat(state, "Late").delegation == "JPN"


def test_locking_twice_is_wrong_state(state):
    """Is locking an already locked lobby refused as wrong_state?"""
    play(state, FAC, "lobby.lock", locked=True)
    with pytest.raises(CommandError) as caught:
        play(state, FAC, "lobby.lock", locked=True)
    assert caught.value.code == "wrong_state"


def test_an_ended_session_refuses_joiners(state, leads):
    """Is a joiner refused as session_ended once the session is over?"""
    play(state, FAC, "session.end")
    with pytest.raises(CommandError) as caught:
        join_drafts(state, 500, "Late")
    assert caught.value.code == "session_ended"


def test_moving_the_lead_passes_the_lead(state, leads):
    """When the facilitator moves a delegation's lead away, does the next seated player lead?"""
    japan_second = seat(state, "Ren")
    for name in ("a", "b"):
        seat(state, name)
    events = play(state, FAC, "seat.move", player_id=leads["JPN"].id, delegation="KOR")
    assert types(events) == ["player_moved", "lead_set"]
    assert events[1].data == {"delegation": "JPN", "player_id": japan_second.id}
    assert state.seats[leads["JPN"].id].delegation == "KOR"
    assert state.leads == {"JPN": japan_second.id, "KOR": leads["KOR"].id, "USA": leads["USA"].id}


def test_a_player_moved_into_an_empty_delegation_leads_it(state, leads):
    """Does a player moved into a delegation with nobody left become its lead?"""
    play(state, FAC, "seat.remove", player_id=leads["USA"].id)
    assert state.leads["USA"] is None
    ren = seat(state, "Ren")
    assert ren.delegation == "USA" and state.leads["USA"] == ren.id
    play(state, FAC, "seat.remove", player_id=ren.id)
    events = play(state, FAC, "seat.move", player_id=leads["KOR"].id, delegation="USA")
    assert events[0].data["player"]["lead"] is True
    assert state.leads == {"JPN": leads["JPN"].id, "KOR": None, "USA": leads["KOR"].id}


def test_a_moved_player_takes_the_first_free_role_of_the_new_delegation(state, leads):
    """Does a moved player get the target delegation's first role nobody holds?"""
    mover = seat(state, "Ren")
    play(state, FAC, "seat.move", player_id=mover.id, delegation="USA")
    assert state.seats[mover.id].role == "usa-state"


def test_moving_to_the_same_delegation_is_wrong_state(state, leads):
    """Is moving a player to the delegation they already sit in refused as wrong_state?"""
    with pytest.raises(CommandError) as caught:
        play(state, FAC, "seat.move", player_id=leads["JPN"].id, delegation="JPN")
    assert caught.value.code == "wrong_state"


def test_removing_the_lead_passes_the_lead(state, leads):
    """Does removing a lead pass the lead to the delegation's next seated player?"""
    seat(state, "Kenji")
    ren = seat(state, "Ren")
    assert ren.delegation == "KOR"
    events = play(state, FAC, "seat.remove", player_id=leads["KOR"].id)
    assert types(events) == ["player_removed", "lead_set"]
    assert state.leads["KOR"] == ren.id
    assert leads["KOR"].id not in {s.id for s in state.active_seats()}


def test_removing_a_member_keeps_the_lead(state, leads):
    """Does removing a player who does not lead leave the lead alone?"""
    ren = seat(state, "Ren")
    assert types(play(state, FAC, "seat.remove", player_id=ren.id)) == ["player_removed"]
    assert state.leads["JPN"] == leads["JPN"].id


def test_a_removed_name_can_be_reused(state, leads):
    """Once "Aiko" is removed, is a new "Aiko" seated without a number?"""
    play(state, FAC, "seat.remove", player_id=leads["JPN"].id)
    assert state.seats[seat(state, "Aiko").id].name == "Aiko"


def test_set_lead_needs_a_player_of_that_delegation(state, leads):
    """Is making a Korean player the lead of Japan refused as not_your_delegation?"""
    with pytest.raises(CommandError) as caught:
        play(state, FAC, "seat.set_lead", delegation="JPN", player_id=leads["KOR"].id)
    assert caught.value.code == "not_your_delegation"


def test_set_lead_hands_the_lead_over(state, leads):
    """Does seat.set_lead make another member the lead, so the old lead may not endorse?"""
    ren = seat(state, "Ren")
    play(state, FAC, "seat.set_lead", delegation="JPN", player_id=ren.id)
    assert state.leads["JPN"] == ren.id


def test_set_automatic_twice_is_wrong_state(state):
    """Is switching a delegation to automatic when it already is refused as wrong_state?"""
    play(state, FAC, "delegation.set_automatic", delegation="USA", automatic=True)
    assert state.automatic == {"USA"}
    with pytest.raises(CommandError) as caught:
        play(state, FAC, "delegation.set_automatic", delegation="USA", automatic=True)
    assert caught.value.code == "wrong_state"
    play(state, FAC, "delegation.set_automatic", delegation="USA", automatic=False)
    assert state.automatic == set()
