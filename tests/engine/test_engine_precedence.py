"""When a command breaks several rules, the answer names the first check in the order
docs/protocol.md ("The order of checks") gives: these are its examples, through the real rules."""

from __future__ import annotations

import pytest

from app.engine import CommandError
from tests.engine.conftest import FAC, play
from tests.engine.test_engine_acceptance_tables import RESPONSE, _base


def _refusal(state, actor, kind, **fields) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError) as refused:
        play(state, actor, kind, **fields)
    return refused.value.code


def _adopted():  # type: ignore[no-untyped-def]
    """A running session whose proposal 1 on the response inject every delegation endorsed."""
    state, actors = _base("running")
    for code in ("JPN", "KOR", "USA"):
        play(state, actors[code], "proposal.endorse", proposal_id=1, version=1)
    assert state.proposals[1].status == "adopted"
    return state, actors


def test_a_closed_window_comes_before_an_unknown_option() -> None:
    """After adoption closed the inject, is a table naming an option the inject does not offer
    `wrong_state` (the window) rather than `not_found` (the option)?"""
    state, actors = _adopted()
    fields = {"inject_id": RESPONSE, "text": "Too late", "options": ["no-such-option"]}
    assert _refusal(state, actors["KOR"], "proposal.table", **fields) == "wrong_state"


def test_the_session_ended_comes_before_the_commands_own_rules() -> None:
    """In an ended session, is a stance on a proposal that does not exist `session_ended`?"""
    state, actors = _base("ended")
    stance = {"proposal_id": 99, "version": 1}
    assert _refusal(state, actors["KOR"], "proposal.endorse", **stance) == "session_ended"


def test_who_comes_before_the_session_state() -> None:
    """In an ended session, is a player sending a facilitator's command `not_facilitator`?"""
    state, actors = _base("ended")
    assert _refusal(state, actors["JPN"], "session.start") == "not_facilitator"


def test_the_lead_comes_before_the_proposal() -> None:
    """Is a non-lead's endorsement of a proposal that does not exist `not_lead`?"""
    state, actors = _base("running")
    stance = {"proposal_id": 99, "version": 1}
    assert _refusal(state, actors["extra"], "proposal.endorse", **stance) == "not_lead"


def test_a_missing_version_comes_before_a_stale_one() -> None:
    """On an amended proposal (version 2), is version 3 `not_found` and version 1 `wrong_state`,
    and an endorsement of an adopted proposal `wrong_state` before any version check?"""
    state, actors = _base("running")
    play(state, actors["USA"], "proposal.amend", proposal_id=1, text="v2", options=["drills"])
    lead = actors["KOR"]
    assert _refusal(state, lead, "proposal.endorse", proposal_id=1, version=3) == "not_found"
    assert _refusal(state, lead, "proposal.endorse", proposal_id=1, version=1) == "wrong_state"


def test_the_shape_comes_before_the_rules() -> None:
    """Is a bad field `bad_field` even when the rules would refuse the command anyway (an ended
    session), and are the fields checked in the order of the command table?"""
    state, actors = _base("ended")
    assert _refusal(state, FAC, "inject.fire", inject_id="bad id!") == "bad_field"
    bad = {"proposal_id": 0, "text": "", "options": "x"}
    with pytest.raises(CommandError) as refused:
        play(state, actors["USA"], "proposal.amend", **bad)
    assert refused.value.code == "bad_field" and "proposal_id" in refused.value.message
