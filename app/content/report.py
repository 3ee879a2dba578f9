"""Problems and warnings of a scenario's texts as JSON, for the browser editor and imports.

The checks are `flask scenario validate` and `lint`'s (`lint_texts`); this only shapes them:
each problem names its file, line, field (as text and as a path of keys and indexes), message and
severity, so the editor can put it beside the field it is about.
"""

from __future__ import annotations

import re
from typing import Any

from app.content.lint import LintWarning, lint_texts
from app.content.problems import ScenarioProblem

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def field_to_path(field: str) -> list[str | int]:
    """'injects[3].options[1].id' -> ['injects', 3, 'options', 1, 'id']."""
    return [int(index) if index else name for name, index in _PART.findall(field)]


def problem_json(problem: ScenarioProblem | LintWarning) -> dict[str, Any]:
    if isinstance(problem, LintWarning):
        return {
            "file": problem.file,
            "line": problem.line,
            "path": field_to_path(problem.field),
            "field": problem.field,
            "message": problem.message,
            "severity": "warning",
            "code": problem.warning,
            "subject": problem.subject,
            "accepted": problem.accepted is not None,
            "because": problem.accepted,
        }
    return {
        "file": problem.file,
        "line": problem.line,
        "path": field_to_path(problem.field),
        "field": problem.field,
        "message": problem.message,
        "severity": "error",
        "code": "invalid",
        "accepted": False,
    }


def check_texts(files: dict[str, str], name: str) -> tuple[bool, list[dict[str, Any]]]:
    """(valid, problems then warnings) of a scenario's texts; `name` is the id it must have."""
    problems, warnings = lint_texts(files, name, name)
    out = [problem_json(p) for p in [*problems, *warnings]]
    for problem in out:
        if problem["file"] == "scenario.yaml" and problem["field"] == "id":
            # In the library there is no folder: the id is the scenario's name there.
            problem["message"] = (
                problem["message"]
                .replace("but its folder is named", "but in the library this scenario is")
                .replace("the two must be the same", "an id cannot change (duplicate the scenario)")
            )
    return not problems, out
