"""The validator on the issue-11 fields: conditions, reactions, tracks, briefing updates, owned
indicators and theory prompts. Each mistake is named by file, line and field."""

from __future__ import annotations

from pathlib import Path

from app.content.loader import validate_scenario


def only(folder: Path):  # type: ignore[no-untyped-def]
    problems = validate_scenario(folder)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def line_of(folder: Path, file_name: str, fragment: str) -> int:
    lines = (folder / file_name).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if fragment in line)


def test_the_demo_is_valid(demo):
    """Does the branching demo itself validate?"""
    assert validate_scenario(demo()) == []


def test_condition_naming_an_unknown_option(demo):
    """Does a condition on an option nobody offers point at that clause?"""
    folder = demo(("injects.yaml", "- option: drills\n", "- option: drill\n"))
    problem = only(folder)
    assert problem.file == "injects.yaml"
    assert problem.line == line_of(folder, "injects.yaml", "option: drill")
    assert problem.field == "injects[7].condition.any[1].option"
    assert "'drill' (did you mean 'drills'?)" in problem.message


def test_clause_testing_two_things(demo):
    """Is a clause with both an option and an indicator refused in plain words?"""
    folder = demo(
        (
            "injects.yaml",
            "        - option: create-dialogue\n",
            "        - option: condemn\n          indicator: cohesion\n",
        ),
    )
    problem = only(folder)
    assert problem.field == "injects[5].condition.all[0]"
    assert "tests exactly one thing" in problem.message


def test_indicator_clause_needs_a_threshold(demo):
    """Does a clause on an indicator without at_least/at_most say what is missing?"""
    folder = demo(("injects.yaml", "          at_least: 55\n", ""))
    assert "needs 'at_least:' or 'at_most:'" in only(folder).message


def test_by_with_adopted_is_refused(demo):
    """Is 'by:' on an adopted clause refused (a joint response is everyone's)?"""
    folder = demo(
        (
            "injects.yaml",
            "          was: stated\n          by: [KOR]",
            "          was: adopted\n          by: [KOR]",
        )
    )
    assert "use 'was: stated'" in only(folder).message


def test_reaction_without_reacts_to(demo):
    """Does a reaction that answers nothing say it needs reacts_to?"""
    folder = demo(
        (
            "injects.yaml",
            "    reacts_to:\n      options: [drills]\n      delay_minutes: 2\n"
            "      release: automatic\n",
            "",
        )
    )
    problem = only(folder)
    assert problem.field == "injects[3].trigger"
    assert "needs reacts_to" in problem.message


def test_reacts_to_on_a_scheduled_inject(demo):
    """Is reacts_to refused on an inject that is not a reaction?"""
    folder = demo(
        (
            "injects.yaml",
            '    trigger: manual\n    title: "Private',
            '    trigger: manual\n    reacts_to: {options: [drills]}\n    title: "Private',
        )
    )
    problem = only(folder)
    assert problem.field == "injects[2].reacts_to"
    assert "its trigger must be 'reaction'" in problem.message


def test_reaction_to_an_unknown_option(demo):
    """Does a reaction keyed to an unknown option point at it?"""
    folder = demo(("injects.yaml", "options: [drills]", "options: [drill]"))
    problem = only(folder)
    assert problem.field == "injects[3].reacts_to.options[0]"
    assert problem.line == line_of(folder, "injects.yaml", "options: [drill]")


def test_reaction_with_an_offset(demo):
    """Is offset_minutes refused on a reaction?"""
    folder = demo(
        (
            "injects.yaml",
            "    trigger: reaction\n    reacts_to:\n      options: [drills]",
            "    trigger: reaction\n    offset_minutes: 3\n    reacts_to:\n      options: [drills]",
        )
    )
    assert "must not have offset_minutes" in only(folder).message


def test_track_naming_an_unknown_inject(demo):
    """Does a track listing an inject that does not exist point at it in scenario.yaml?"""
    folder = demo(("scenario.yaml", "injects: [launch,", "injects: [lunch,"))
    problem = only(folder)
    assert problem.file == "scenario.yaml"
    assert problem.field == "tracks[0].injects[0]"
    assert "the track 'seminar-short' names inject 'lunch' (did you mean 'launch'?)" in (
        problem.message
    )


def test_track_whose_deadline_runs_past_the_move(demo):
    """Is a track refused when a deadline opened late runs past the end of its move?"""
    folder = demo(("scenario.yaml", "deadline_scale: 0.75", "deadline_scale: 2"))
    problems = validate_scenario(folder)
    messages = [p.message for p in problems]
    assert any(
        "cannot be played as timed: the inject 'dialogue' opens at minute 6 with a 16-minute "
        "deadline, which runs 2 minutes past the end of move 'move-1' (20 minutes)" in m
        for m in messages
    ), messages
    assert all(p.file == "scenario.yaml" for p in problems)


def test_track_with_overlapping_decisions(demo):
    """Are two decisions open together beyond the allowance refused, and accepted within it?"""
    folder = demo(("scenario.yaml", "move-1: 20,", "move-1: 10,"))
    problems = [p.message for p in validate_scenario(folder)]
    assert any("are open together for" in m and "the allowance is 0" in m for m in problems)
    allowed = demo(
        ("scenario.yaml", "move-1: 20,", "move-1: 12,"),
        ("scenario.yaml", "deadline_scale: 0.75", "deadline_scale: 0.75\n    overlap_minutes: 2"),
    )
    assert validate_scenario(allowed) == []


def test_track_with_a_move_without_decision(demo):
    """Is a track whose move 2 has no decision refused?"""
    folder = demo(("scenario.yaml", " dialogue-meets, dialogue-missing,", ""))
    problem = only(folder)
    assert "the move 'move-2' has no decision" in problem.message
    assert problem.field == "tracks[0].move_minutes.move-2"


def test_briefing_update_for_an_unknown_move(demo):
    """Does a briefing update naming a move that does not exist point at it?"""
    folder = demo(("delegations.yaml", "      - move: move-2\n", "      - move: move-3\n"))
    problem = only(folder)
    assert problem.file == "delegations.yaml"
    assert problem.field == "delegations[1].briefing_updates[0].move"


def test_indicator_owned_by_an_unknown_delegation(demo):
    """Is an owner that is not a delegation refused?"""
    folder = demo(("scenario.yaml", "owner: KOR", "owner: PRK"))
    problem = only(folder)
    assert problem.field == "indicators[3].owner"
    assert "is owned by delegation 'PRK'" in problem.message


def test_question_naming_an_unknown_theory_prompt(demo):
    """Does a debrief question naming a missing theory prompt point at it?"""
    folder = demo(("scenario.yaml", "theory: [spiral]", "theory: [spiralling]"))
    problem = only(folder)
    assert problem.field == "debrief.questions[0].theory[0]"


def test_lint_acceptance_needs_a_known_warning(demo):
    """Does an accepted lint warning with an unknown name say which names exist?"""
    folder = demo(
        (
            "scenario.yaml",
            "debrief:\n",
            "lint:\n  accept:\n    - warning: dominant\n"
            "      subject: condemn\n      because: Testing.\ndebrief:\n",
        )
    )
    problem = only(folder)
    assert problem.field == "lint.accept[0].warning"
    assert "'dominant-option'" in problem.message


def test_an_unknown_move_with_tracks_is_one_problem(demo):
    """With tracks, does an inject naming an unknown move give its one problem, no crash?"""
    folder = demo(("injects.yaml", "    move: move-2\n", "    move: move-9\n"))
    problem = only(folder)
    assert problem.field == "injects[5].move"
