"""The example in docs/scenario-format.md is a real, valid scenario."""

from __future__ import annotations

import re
from pathlib import Path

from app.content.loader import load_scenario, validate_scenario

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md"
# The doc marks each example file with an HTML comment just before its ```yaml block.
EXAMPLE = re.compile(r"<!-- example-file: (\S+) -->\s*```yaml\n(.*?)```", re.DOTALL)


def doc_example() -> dict[str, str]:
    return {name: text for name, text in EXAMPLE.findall(DOC.read_text(encoding="utf-8"))}


def test_doc_marks_all_three_example_files():
    """Does the format page carry one marked example block per scenario file?"""
    assert sorted(doc_example()) == ["delegations.yaml", "injects.yaml", "scenario.yaml"]


def test_doc_example_validates(tmp_path):
    """Does the minimal example of the format page load without a single problem?"""
    folder = tmp_path / "minimal-example"
    folder.mkdir()
    for name, text in doc_example().items():
        (folder / name).write_text(text, encoding="utf-8")
    assert [str(p) for p in validate_scenario(folder)] == []
    scenario = load_scenario(folder)
    assert scenario.delegation_codes == ("JPN", "KOR", "USA")
    assert any(not inject.is_public for inject in scenario.injects)


def test_doc_is_no_longer_a_draft():
    """Has the format page lost its DRAFT marker?"""
    assert "DRAFT" not in DOC.read_text(encoding="utf-8")
