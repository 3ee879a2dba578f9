"""The bundled scenario game_content/scenarios/trilateral-2023 loads and is playable."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content.loader import load_scenario, validate_scenario
from app.content.schema import Scenario

FOLDER = Path(__file__).resolve().parents[2] / "game_content" / "scenarios" / "trilateral-2023"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    """The bundled scenario, loaded once for the module."""
    return load_scenario(FOLDER)


def test_bundled_scenario_validates():
    """Does the bundled scenario pass the validator without a single problem?"""
    assert [str(p) for p in validate_scenario(FOLDER)] == []


def test_has_three_moves_or_more(scenario):
    """Does the scenario have at least three moves?"""
    assert len(scenario.moves) >= 3


def test_has_fourteen_injects_or_more(scenario):
    """Does the scenario have at least fourteen injects?"""
    assert len(scenario.injects) >= 14


def test_every_inject_cites_a_source(scenario):
    """Does every inject cite at least one source of the bibliography?"""
    known = {source.id for source in scenario.sources}
    for inject in scenario.injects:
        assert inject.sources and set(inject.sources) <= known, inject.id


def test_each_delegation_gets_a_private_inject(scenario):
    """Does every delegation receive at least one inject meant for it alone (or a few)?"""
    for code in scenario.delegation_codes:
        private = [i for i in scenario.injects if not i.is_public and code in i.audience]
        assert private, f"{code} gets no private inject"


def test_has_a_hypothetical_inject(scenario):
    """Is at least one inject marked hypothetical?"""
    assert any(inject.hypothetical for inject in scenario.injects)


def test_is_trilateral(scenario):
    """Are the delegations Japan, the Republic of Korea and the United States?"""
    assert set(scenario.delegation_codes) == {"JPN", "KOR", "USA"}


def test_lints_clean_on_each_track():
    """Does lint find no warning the scenario does not accept with a written reason, and does
    each of its tracks (90 and 180 minutes) validate as playable?"""
    from app.content.lint import lint_folder

    problems, warnings = lint_folder(FOLDER)
    assert problems == []
    assert [str(w) for w in warnings if w.accepted is None] == []
    tracks = load_scenario(FOLDER).tracks
    assert {t.id for t in tracks} == {"seminar-90", "exercise-180"}
    for track in tracks:
        minutes = sum(m.duration_minutes for m in load_scenario(FOLDER).for_track(track.id).moves)
        assert minutes == {"seminar-90": 90, "exercise-180": 180}[track.id]


def test_adversaries_and_third_parties_answer_escalatory_options(scenario):
    """Do at least three reactions (North Korea, China, the markets, a domestic audience) answer
    escalatory options of the North Korea and economic-security moves, each played on both
    tracks, each either labelled hypothetical or backed by a source dated on or after it?"""
    reactions = [i for i in scenario.injects if i.trigger == "reaction"]
    assert len(reactions) >= 3
    speakers = " ".join(r.speaker or "" for r in reactions)
    for who in ("KCNA", "China", "Markets", "Congress"):
        assert who in speakers
    for reaction in reactions:
        answered = [scenario.option(o) for o in reaction.reacts_to.options]
        # escalatory: raises the escalation risk or costs relations with China or cohesion
        assert any(
            o.effects.get("escalation", 0) > 0
            or o.effects.get("china-relations", 0) < 0
            or o.effects.get("cohesion", 0) < 0
            for o in answered
        ), reaction.id
        challenges = {scenario.inject_of_option(o.id).challenge for o in answered}
        assert challenges & {"north-korea", "economic-security"}, reaction.id
        if not reaction.hypothetical:
            dates = [scenario.source(s).date for s in reaction.sources]
            assert any(not isinstance(d, str) and d >= reaction.date for d in dates), reaction.id
        for track in scenario.tracks:
            assert reaction.id in track.injects, (reaction.id, track.id)


def test_the_dialogue_slot_has_two_branches(scenario):
    """Is the economic-security dialogue slot written as two alternatives (A if the Phnom Penh
    text launched the dialogue, B if not) at the same minute, on both tracks?"""
    from app.content.tracks import alternatives

    a, b = scenario.inject("econ-security-dialogue"), scenario.inject("econ-dialogue-missing")
    assert a.offset_minutes == b.offset_minutes and a.move == b.move
    assert a.condition.any == b.condition.none and a.condition.any
    assert alternatives(a, b) and alternatives(b, a)
    for track in scenario.tracks:
        assert {a.id, b.id} <= set(track.injects)


def test_any_against_none_is_a_pair_only_when_every_any_clause_is_excluded(scenario):
    """Is A (`any: [X, Y]`) an alternative to B only when B excludes both X and Y (`none:`)?"""
    from app.content.schema import Condition
    from app.content.tracks import alternatives

    a, b = scenario.inject("econ-security-dialogue"), scenario.inject("econ-dialogue-missing")
    x, y = a.condition.any
    partial = b.model_copy(update={"condition": Condition(none=(x,))})
    assert not alternatives(a, partial) and not alternatives(partial, a)
    assert alternatives(a, b.model_copy(update={"condition": Condition(none=(y, x))}))
