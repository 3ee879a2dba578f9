"""Each consistency rule between fields and files is reported on the field that breaks it."""

from __future__ import annotations

import pytest

from app.content.loader import validate_scenario


@pytest.mark.parametrize(
    ("file_name", "old", "new", "field", "phrase", "at"),
    [
        (
            "delegations.yaml",
            "code: KOR",
            "code: JPN",
            "delegations[1].code",
            "the delegation code 'JPN' is used twice (first in this file, line 2)",
            ("code: JPN", 2),
        ),
        (
            "delegations.yaml",
            "        lead: true\n",
            "",
            "delegations[0].roles",
            "the delegation JPN has no lead role",
            ("    roles:", 1),
        ),
        (
            "injects.yaml",
            "move: move-2",
            "move: move-1",
            "injects[1].order",
            "the injects 'launch' and 'intel' both have order 1 in move 'move-1'",
            ("order: 1", 2),
        ),
        (
            "scenario.yaml",
            "    max: 100\n",
            "    max: 0\n",
            "indicators[0].max",
            "the indicator 'deterrence' has min 0 and max 0; min must be below max",
            ("max: 0", 1),
        ),
        (
            "scenario.yaml",
            "start: 40",
            "start: 140",
            "indicators[1].start",
            "the indicator 'cohesion' starts at 140, outside its range 0..100",
            ("start: 140", 1),
        ),
        (
            "injects.yaml",
            "challenge: north-korea",
            "challenge: china",
            "injects[0].challenge",
            "the inject 'launch' names challenge 'china', but the challenges are: north-korea",
            ("challenge: china", 1),
        ),
        (
            "scenario.yaml",
            "- id: move-2",
            "- id: move-1",
            "moves[1].id",
            "the move id 'move-1' is used twice (first in this file, line 28)",
            ("- id: move-1", 2),
        ),
        (
            "injects.yaml",
            "audience: [KOR]",
            "audience: kor",
            "injects[1].audience",
            'should be "all" or a list of delegation codes like [KOR]',
            ("audience: kor", 1),
        ),
        (
            "injects.yaml",
            "deadline_minutes: 8",
            "deadline_minutes: 300",
            "injects[0].deadline_minutes",
            "should be at most 240, found 300",
            ("deadline_minutes: 300", 1),
        ),
    ],
)
def test_consistency_problem(make_scenario, line_in, file_name, old, new, field, phrase, at):
    """Is each consistency rule reported on the field that breaks it, on its line?"""
    folder = make_scenario(edit={file_name: (old, new)})
    # One slip may break a reference elsewhere too; look for the problem on the field itself.
    problem = next(p for p in validate_scenario(folder) if p.field == field)
    assert problem.file == file_name
    assert phrase in problem.message
    assert problem.line == line_in(folder, file_name, *at)
