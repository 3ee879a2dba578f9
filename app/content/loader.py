"""Loading a scenario folder (or its texts) into a `Scenario`, or saying exactly what is wrong.

A scenario loads whole or not at all: any problem in any of the three files raises
`ScenarioInvalid` with every problem found, each naming its file, line and field.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from yaml.nodes import Node

from app.content.checks import check_scenario
from app.content.messages import (
    describe,
    field_path,
    is_consequence,
    kind,
    without_typo_twins,
)
from app.content.problems import ScenarioInvalid, ScenarioProblem
from app.content.schema import DelegationsFile, InjectsFile, Scenario, ScenarioFile
from app.content.yamltree import DuplicateKeys, Loc, YamlTrouble, line_of, parse

__all__ = [
    "FILE_NAMES",
    "ScenarioInvalid",
    "ScenarioProblem",
    "content_hash",
    "discover_scenarios",
    "load_scenario",
    "load_scenario_from_texts",
    "scenario_files",
    "validate_scenario",
]

# The three files of a scenario folder, in the order problems are reported.
FILE_NAMES = ("scenario.yaml", "delegations.yaml", "injects.yaml")
_MODELS: dict[str, type[BaseModel]] = {
    "scenario.yaml": ScenarioFile,
    "delegations.yaml": DelegationsFile,
    "injects.yaml": InjectsFile,
}


def discover_scenarios(root: Path) -> list[Path]:
    """The folders directly under `root` that hold a scenario.yaml, sorted by name."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(child for child in root.iterdir() if (child / "scenario.yaml").is_file())


def _read_files(folder: Path) -> tuple[dict[str, str], list[ScenarioProblem]]:
    files: dict[str, str] = {}
    problems: list[ScenarioProblem] = []
    label = str(folder)
    for name in FILE_NAMES:
        path = folder / name
        if not path.is_file():
            reason = "" if folder.is_dir() else f" (the folder {label} does not exist)"
            problems.append(ScenarioProblem(name, None, "", f"the file is missing{reason}", label))
            continue
        try:
            # utf-8-sig: editors on Windows like to start files with a byte-order mark.
            files[name] = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            problems.append(
                ScenarioProblem(
                    name, None, "", f"the file is not UTF-8 text (byte {error.start})", label
                )
            )
        except OSError as error:
            problems.append(
                ScenarioProblem(name, None, "", f"cannot read the file: {error}", label)
            )
    return files, problems


def scenario_files(folder: Path) -> dict[str, str]:
    """The texts of the three files of a scenario folder, keyed by file name.

    Raises `ScenarioInvalid` when a file is missing or unreadable.
    """
    files, problems = _read_files(Path(folder))
    if problems:
        raise ScenarioInvalid(problems, str(folder))
    return files


def content_hash(files: dict[str, str]) -> str:
    """The sha256 (hex) of the three texts, so equal content is recognised wherever it came from.

    Canonical form: for each of scenario.yaml, delegations.yaml, injects.yaml in that order, the
    file name, a newline, the text with line endings turned into "\\n", and a NUL byte. Other
    keys of `files` are ignored; a missing file counts as empty.
    """
    digest = hashlib.sha256()
    for name in FILE_NAMES:
        text = files.get(name, "").replace("\r\n", "\n").replace("\r", "\n")
        digest.update(f"{name}\n{text}\0".encode())
    return digest.hexdigest()


def _parse_file(
    name: str, text: str, folder: str
) -> tuple[BaseModel | None, Node | None, list[ScenarioProblem]]:
    """Parse and shape-check one file: (model or None, node tree, problems)."""

    def problem(line: int | None, loc: Loc, message: str) -> ScenarioProblem:
        return ScenarioProblem(name, line, field_path(loc), message, folder)

    try:
        node, data = parse(text)
    except YamlTrouble as trouble:
        return None, None, [problem(trouble.line, (), trouble.message)]
    if node is None:
        return None, None, [problem(1, (), "the file is empty")]
    if isinstance(data, DuplicateKeys):
        return (
            None,
            node,
            [
                problem(
                    dup.line,
                    dup.loc,
                    f"the key '{dup.loc[-1]}' appears twice in the same block (first on line "
                    f"{dup.first_line}); YAML would silently keep only the last one",
                )
                for dup in data.found
            ],
        )
    if not isinstance(data, dict):
        top = {"scenario.yaml": "id:", "delegations.yaml": "delegations:"}.get(name, "injects:")
        message = (
            f"the file should be a block of 'key: value' lines starting at the left margin "
            f"(like '{top}'), but it is {kind(data)}"
        )
        return None, node, [problem(node.start_mark.line + 1, (), message)]

    model = _MODELS[name]
    try:
        return model.model_validate(data), node, []
    except ValidationError as invalid:
        problems = []
        for error in without_typo_twins(invalid.errors()):
            if is_consequence(error):
                continue
            loc = tuple(error["loc"])
            if error["type"] == "invalid_key":  # the key itself, not a list index
                loc = loc[:-1] + (str(loc[-1]),)
            problems.append(problem(line_of(node, loc), loc, describe(error, model)))
        problems.sort(key=lambda p: p.line or 0)
        return None, node, problems


def _check_texts(
    files: dict[str, str], name: str, folder: str
) -> tuple[Scenario | None, list[ScenarioProblem]]:
    scenario, problems, _nodes = check_texts_with_nodes(files, name, folder)
    return scenario, problems


def check_texts_with_nodes(
    files: dict[str, str], name: str, folder: str
) -> tuple[Scenario | None, list[ScenarioProblem], dict[str, Node | None]]:
    """The scenario (or None) and problems of texts, with each file's node tree (for lines)."""
    problems: list[ScenarioProblem] = []
    models: dict[str, Any] = {}
    nodes: dict[str, Node | None] = {}
    for file_name in FILE_NAMES:
        if file_name not in files:
            problems.append(ScenarioProblem(file_name, None, "", "the file is missing", folder))
            continue
        model, node, found = _parse_file(file_name, files[file_name], folder)
        nodes[file_name] = node
        problems.extend(found)
        if model is not None:
            models[file_name] = model
    if problems:
        # Cross-file checks would only repeat the damage; fix the shape first.
        return None, problems, nodes

    def locate(file_name: str, loc: Loc) -> int | None:
        return line_of(nodes.get(file_name), loc)

    scenario_file, delegations_file, injects_file = (models[n] for n in FILE_NAMES)
    problems = check_scenario(scenario_file, delegations_file, injects_file, name, locate, folder)
    order = {file_name: i for i, file_name in enumerate(FILE_NAMES)}
    problems.sort(key=lambda p: (order[p.file], p.line or 0))
    if problems:
        return None, problems, nodes
    return Scenario.from_files(scenario_file, delegations_file, injects_file), [], nodes


def load_scenario_from_texts(files: dict[str, str], name: str) -> Scenario:
    """Validate and load a scenario from its three texts (e.g. stored in the database).

    `files` maps "scenario.yaml", "delegations.yaml" and "injects.yaml" to their texts; `name`
    plays the part of the folder name (the scenario id must equal it). Raises `ScenarioInvalid`.
    """
    scenario, problems = _check_texts(files, name, name)
    if scenario is None:
        raise ScenarioInvalid(problems, name)
    return scenario


def validate_scenario(folder: Path) -> list[ScenarioProblem]:
    """Every problem of a scenario folder; an empty list means it loads."""
    folder = Path(folder)
    files, problems = _read_files(folder)
    if problems:
        return problems
    return _check_texts(files, folder.name, str(folder))[1]


def load_scenario(folder: Path) -> Scenario:
    """Load a scenario folder whole, or raise `ScenarioInvalid` listing every problem."""
    folder = Path(folder)
    files, problems = _read_files(folder)
    if problems:
        raise ScenarioInvalid(problems, str(folder))
    scenario, problems = _check_texts(files, folder.name, str(folder))
    if scenario is None:
        raise ScenarioInvalid(problems, str(folder))
    return scenario
