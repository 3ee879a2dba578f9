"""Each kind of broken scenario file yields one problem naming its file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content.loader import ScenarioInvalid, load_scenario, validate_scenario
from app.content.problems import ScenarioProblem


def only_problem(folder: Path) -> ScenarioProblem:
    problems = validate_scenario(folder)
    assert len(problems) == 1, "\n".join(str(p) for p in problems)
    return problems[0]


def test_yaml_syntax_error_points_at_its_line(make_scenario, line_in):
    """Does a YAML syntax error report the line PyYAML stumbled on, in plain words?"""
    folder = make_scenario(edit={"injects.yaml": ("title: Missiles fired", "title: Alert: fired")})
    problem = only_problem(folder)
    assert problem.file == "injects.yaml"
    assert problem.line == line_in(folder, "injects.yaml", "title: Alert: fired")
    assert problem.field == ""
    assert "the YAML cannot be read" in problem.message
    assert "needs quotes" in problem.message


def test_tab_indentation_is_named(make_scenario, line_in):
    """Is a tab used for indentation reported as such, on its line?"""
    folder = make_scenario(edit={"injects.yaml": ("    order: 1\n", "\torder: 1\n")})
    problem = only_problem(folder)
    assert (problem.file, problem.line) == ("injects.yaml", line_in(folder, "injects.yaml", "\t"))
    assert "tab character" in problem.message


def test_duplicate_key_is_an_error(make_scenario, line_in):
    """Is a key written twice in one block reported at its second use (YAML would hide it)?"""
    folder = make_scenario(
        edit={"injects.yaml": ("    body: Many", "    title: Second title\n    body: Many")}
    )
    problem = only_problem(folder)
    assert problem.file == "injects.yaml"
    assert problem.line == line_in(folder, "injects.yaml", "title: Second title")
    assert problem.field == "injects[0].title"
    first = line_in(folder, "injects.yaml", "title: Missiles fired")
    assert f"appears twice in the same block (first on line {first})" in problem.message


def test_missing_required_field_points_at_its_block(make_scenario, line_in):
    """Does a missing field name itself and point at the start of the block lacking it?"""
    folder = make_scenario(edit={"injects.yaml": ("    body: Many missiles were fired.\n", "")})
    problem = only_problem(folder)
    assert problem.file == "injects.yaml"
    assert problem.line == line_in(folder, "injects.yaml", "- id: launch")
    assert problem.field == "injects[0].body"
    assert problem.message == "the required field 'body' is missing"


def test_misspelt_key_suggests_the_right_one(make_scenario, line_in):
    """Is a typo in a key reported once, with the key it probably meant?"""
    folder = make_scenario(edit={"injects.yaml": ("teaching_point:", "teaching_pont:")})
    problem = only_problem(folder)
    assert problem.file == "injects.yaml"
    assert problem.line == line_in(folder, "injects.yaml", "teaching_pont:")
    assert problem.field == "injects[0].teaching_pont"
    assert "did you mean 'teaching_point'?" in problem.message


def test_wrong_type_says_what_was_expected(make_scenario, line_in):
    """Does text where a number belongs say that a whole number was expected?"""
    folder = make_scenario(
        edit={"scenario.yaml": ("duration_minutes: 30", "duration_minutes: half")}
    )
    problem = only_problem(folder)
    assert problem.file == "scenario.yaml"
    assert problem.line == line_in(folder, "scenario.yaml", "duration_minutes: half")
    assert problem.field == "moves[0].duration_minutes"
    assert "should be a whole number, found the text 'half'" in problem.message


def test_number_where_text_belongs_asks_for_quotes(make_scenario, line_in):
    """Is a title YAML reads as a number reported with the advice to quote it?"""
    folder = make_scenario(edit={"scenario.yaml": ("title: Launches", "title: 1984")})
    problem = only_problem(folder)
    assert problem.line == line_in(folder, "scenario.yaml", "title: 1984")
    assert problem.field == "moves[0].title"
    assert "put it in quotes" in problem.message


def test_bad_id_pattern_explains_the_rule(make_scenario, line_in):
    """Does an id with capitals or underscores explain what ids may contain?"""
    folder = make_scenario(edit={"scenario.yaml": ("id: move-2", "id: Move_2")})
    problem = only_problem(folder)
    assert problem.line == line_in(folder, "scenario.yaml", "id: Move_2")
    assert problem.field == "moves[1].id"
    assert "'Move_2' is not a valid id" in problem.message


def test_unquoted_colour_explains_the_comment(make_scenario, line_in):
    """Does an unquoted #colour (a YAML comment) tell the author to add quotes?"""
    folder = make_scenario(edit={"delegations.yaml": ('colour: "#287878"', "colour: #287878")})
    problem = only_problem(folder)
    assert problem.file == "delegations.yaml"
    assert problem.line == line_in(folder, "delegations.yaml", "colour: #287878")
    assert problem.field == "delegations[1].colour"
    assert "write the colour in quotes" in problem.message


def test_unknown_move_lists_the_moves(make_scenario, line_in):
    """Does an inject naming a move that does not exist list the moves there are?"""
    folder = make_scenario(edit={"injects.yaml": ("move: move-2", "move: move-9")})
    problem = only_problem(folder)
    assert problem.file == "injects.yaml"
    assert problem.line == line_in(folder, "injects.yaml", "move: move-9")
    assert problem.field == "injects[1].move"
    assert "the inject 'intel' names move 'move-9'" in problem.message
    assert "the moves are: move-1, move-2" in problem.message


def test_unknown_source_is_reported_on_the_citation(make_scenario, line_in):
    """Does citing a source id that the bibliography lacks point at the citation?"""
    folder = make_scenario(edit={"injects.yaml": ("sources: [src-one]", "sources: [src-two]")})
    problem = only_problem(folder)
    assert problem.line == line_in(folder, "injects.yaml", "sources: [src-two]")
    assert problem.field == "injects[0].sources[0]"
    assert "cites source 'src-two'" in problem.message


def test_duplicate_option_id_names_the_first_use(make_scenario, line_in):
    """Is an option id used twice reported at its second use, saying where the first was?"""
    folder = make_scenario(edit={"injects.yaml": ("id: opt-share", "id: opt-condemn")})
    problem = only_problem(folder)
    assert problem.line == line_in(folder, "injects.yaml", "id: opt-condemn", nth=2)
    assert problem.field == "injects[1].response_options[0].id"
    first = line_in(folder, "injects.yaml", "id: opt-condemn")
    assert f"'opt-condemn' is used twice (first in this file, line {first})" in problem.message


def test_effect_on_unknown_indicator(make_scenario, line_in):
    """Is an effect on an indicator that does not exist reported with the indicators there are?"""
    folder = make_scenario(edit={"injects.yaml": ("effects: {cohesion: 4}", "effects: {unity: 4}")})
    problem = only_problem(folder)
    assert problem.line == line_in(folder, "injects.yaml", "effects: {unity: 4}")
    assert problem.field == "injects[1].response_options[0].effects.unity"
    assert "changes indicator 'unity'" in problem.message
    assert "deterrence, cohesion" in problem.message


def test_effect_out_of_range(make_scenario, line_in):
    """Is an effect larger than 50 refused on its line?"""
    folder = make_scenario(
        edit={"injects.yaml": ("effects: {cohesion: 4}", "effects: {cohesion: 80}")}
    )
    problem = only_problem(folder)
    assert problem.line == line_in(folder, "injects.yaml", "cohesion: 80")
    assert problem.field == "injects[1].response_options[0].effects.cohesion"
    assert problem.message == "should be at most 50, found 80"


def test_scheduled_inject_needs_an_offset(make_scenario, line_in):
    """Does a scheduled inject without offset_minutes say it needs one?"""
    folder = make_scenario(edit={"injects.yaml": ("    offset_minutes: 2\n", "")})
    problem = only_problem(folder)
    assert problem.line == line_in(folder, "injects.yaml", "- id: launch")
    assert problem.field == "injects[0].offset_minutes"
    assert "is scheduled, so it needs offset_minutes" in problem.message


def test_manual_inject_refuses_an_offset(make_scenario, line_in):
    """Does a manual inject with offset_minutes say to remove it?"""
    folder = make_scenario(
        edit={
            "injects.yaml": (
                "    trigger: manual\n",
                "    trigger: manual\n    offset_minutes: 3\n",
            )
        }
    )
    problem = only_problem(folder)
    assert problem.line == line_in(folder, "injects.yaml", "offset_minutes: 3")
    assert problem.field == "injects[1].offset_minutes"
    assert "is manual" in problem.message


def test_offset_beyond_the_move(make_scenario, line_in):
    """Is an inject scheduled after its move has ended refused?"""
    folder = make_scenario(edit={"injects.yaml": ("offset_minutes: 2", "offset_minutes: 30")})
    problem = only_problem(folder)
    assert problem.line == line_in(folder, "injects.yaml", "offset_minutes: 30")
    assert "that move lasts only 30 minutes" in problem.message


def test_public_inject_needs_three_options(make_scenario, line_in):
    """Does an inject to all delegations with two options say it needs three?"""
    folder = make_scenario(
        edit={"injects.yaml": ("      - id: opt-wait\n        text: Wait and see.\n", "")}
    )
    problem = only_problem(folder)
    assert problem.line == line_in(folder, "injects.yaml", "response_options:")
    assert problem.field == "injects[0].response_options"
    assert "needs at least 3 response options, found 2" in problem.message


def test_red_line_naming_unknown_option(make_scenario, line_in):
    """Does a red line naming an option no inject offers point at that option?"""
    folder = make_scenario(edit={"delegations.yaml": ("[opt-strike]", "[opt-strik]")})
    problem = only_problem(folder)
    assert problem.file == "delegations.yaml"
    assert problem.line == line_in(folder, "delegations.yaml", "options: [opt-strik]")
    assert problem.field == "delegations[0].red_lines[0].options[0]"
    assert "the red line 'jpn-rl-1' names response option 'opt-strik'" in problem.message
    assert "did you mean 'opt-strike'?" in problem.message


def test_objective_scoring_unknown_option(make_scenario, line_in):
    """Does an objective scoring an option no inject offers say so?"""
    folder = make_scenario(edit={"delegations.yaml": ("opt-condemn: 2", "opt-missing: 2")})
    problem = only_problem(folder)
    assert problem.line == line_in(folder, "delegations.yaml", "opt-missing: 2")
    assert problem.field == "delegations[1].objectives[0].scoring.options.opt-missing"
    assert "scores response option 'opt-missing'" in problem.message


def test_two_lead_roles(make_scenario, line_in):
    """Is a second lead role in one delegation reported at its 'lead: true'?"""
    folder = make_scenario(
        edit={
            "delegations.yaml": (
                "        title: Foreign Minister\n",
                "        title: Foreign Minister\n        lead: true\n",
            )
        }
    )
    problem = only_problem(folder)
    assert problem.line == line_in(folder, "delegations.yaml", "lead: true", nth=2)
    assert problem.field == "delegations[0].roles[1].lead"
    assert "the delegation JPN has 2 lead roles (jpn-head, jpn-foreign)" in problem.message


def test_audience_naming_unknown_delegation(make_scenario, line_in):
    """Does an inject addressed to a delegation that is not in the scenario say so?"""
    folder = make_scenario(edit={"injects.yaml": ("audience: [KOR]", "audience: [USA]")})
    problem = only_problem(folder)
    assert problem.line == line_in(folder, "injects.yaml", "audience: [USA]")
    assert problem.field == "injects[1].audience[0]"
    assert "is addressed to delegation 'USA'" in problem.message


def test_folder_and_id_must_match(make_scenario, line_in):
    """Is a scenario whose id differs from its folder name refused on the id line?"""
    folder = make_scenario(name="other-name")
    problem = only_problem(folder)
    assert (problem.file, problem.line, problem.field) == ("scenario.yaml", 1, "id")
    assert "its folder is named 'other-name'" in problem.message


def test_missing_file(make_scenario):
    """Does a folder without delegations.yaml say that file is missing?"""
    folder = make_scenario(drop=("delegations.yaml",))
    problem = only_problem(folder)
    assert (problem.file, problem.line, problem.field) == ("delegations.yaml", None, "")
    assert problem.message == "the file is missing"


@pytest.mark.parametrize("text", ["", "# only a comment\n"])
def test_empty_file(make_scenario, text):
    """Is an empty (or comment-only) file reported as empty?"""
    problem = only_problem(make_scenario(injects=text))
    assert (problem.file, problem.line, problem.message) == ("injects.yaml", 1, "the file is empty")


def test_file_that_is_a_list(make_scenario):
    """Is a file whose top level is a list (not keys) reported in plain words?"""
    problem = only_problem(make_scenario(injects="- id: launch\n- id: intel\n"))
    assert (problem.file, problem.line) == ("injects.yaml", 1)
    assert "but it is a list" in problem.message


def test_too_few_delegations(make_scenario, mini_files):
    """Does a scenario with a single delegation say it needs at least two?"""
    text = mini_files["delegations.yaml"]
    problem = only_problem(make_scenario(delegations=text[: text.index("  - code: KOR")]))
    assert (problem.file, problem.line, problem.field) == ("delegations.yaml", 1, "delegations")
    assert problem.message == "needs at least 2 delegations, found 1"


def test_impossible_date_points_at_its_line(make_scenario, line_in):
    """Is a date like 2022-13-02 reported on its line?"""
    folder = make_scenario(edit={"injects.yaml": ("date: 2022-11-03", "date: 2022-13-03")})
    problem = only_problem(folder)
    assert problem.line == line_in(folder, "injects.yaml", "date: 2022-13-03")
    assert "is not a real date" in problem.message


def test_problem_reads_as_one_line(make_scenario):
    """Does a problem print as 'file, line N, field F: message'?"""
    folder = make_scenario(
        edit={"injects.yaml": ("      - id: opt-wait\n        text: Wait and see.\n", "")}
    )
    text = str(only_problem(folder))
    assert text.startswith("injects.yaml, line 16, field injects[0].response_options: ")
    assert only_problem(folder).long().startswith(f"{folder}/injects.yaml, line 16")


def test_every_problem_is_reported_at_once(make_scenario):
    """Are the problems of several files all reported together, in file order?"""
    folder = make_scenario(
        edit={
            "scenario.yaml": ("title: Launches", "titel: Launches"),
            "injects.yaml": ("trigger: manual", "trigger: manually"),
        }
    )
    with pytest.raises(ScenarioInvalid) as raised:
        load_scenario(folder)
    files = [p.file for p in raised.value.problems]
    assert files == ["scenario.yaml", "injects.yaml"]
    assert "2 problems" in str(raised.value)
