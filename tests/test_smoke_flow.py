"""A first walk through a move with the Flask-SocketIO test client."""

from tests.conftest import events_of


def test_three_players_fill_three_delegations(table):
    """Do three joiners land in three different delegations, each as its lead?"""
    assert sorted(table.seats) == ["JPN", "KOR", "USA"]
    assert all(seat["lead"] for seat in table.seats.values())


def test_a_move_can_be_played_to_adoption(table):
    """Can a fired inject be answered by a proposal all three leads endorse?"""
    assert table.fac_send("session.start")["ok"]
    assert table.fac_send("inject.fire", inject_id="nk-23-missiles")["ok"]
    fired = events_of(table.players["KOR"], "inject_fired")
    options = [o["id"] for o in fired[0]["data"]["inject"]["response_options"]]
    ack = table.as_(
        "JPN", "proposal.table", inject_id="nk-23-missiles", text="Joint line", options=options[:1]
    )
    assert ack["ok"], ack
    for code in ("JPN", "KOR", "USA"):
        ack = table.as_(code, "proposal.endorse", proposal_id=1, version=1)
        assert ack["ok"], ack
    adopted = events_of(table.players["USA"], "proposal_adopted")
    assert adopted and adopted[0]["data"]["proposal"]["status"] == "adopted"
