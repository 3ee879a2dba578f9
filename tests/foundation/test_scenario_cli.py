"""`flask scenario validate` and `flask scenario list`."""

from __future__ import annotations

import shutil
from pathlib import Path

BUNDLED = Path(__file__).resolve().parents[2] / "game_content" / "scenarios" / "trilateral-2023"


def test_validate_passes_on_the_bundled_scenario(app) -> None:
    """Does `flask scenario validate` accept the bundled scenario and exit 0?"""
    result = app.test_cli_runner().invoke(args=["scenario", "validate", str(BUNDLED)])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_validate_names_file_line_and_field_of_a_broken_scenario(app, tmp_path: Path) -> None:
    """Does a broken copy fail with exit 1 and a message naming file, line and field?"""
    broken = tmp_path / "trilateral-2023"
    shutil.copytree(BUNDLED, broken)
    injects = broken / "injects.yaml"
    text = injects.read_text()
    injects.write_text(text.replace("move: move-1", "move: move-9", 1))
    line = next(i for i, row in enumerate(injects.read_text().splitlines(), 1) if "move-9" in row)
    result = app.test_cli_runner().invoke(args=["scenario", "validate", str(broken)])
    assert result.exit_code == 1
    assert f"injects.yaml, line {line}" in result.output
    assert "move-9" in result.output and ".move" in result.output


def test_validate_without_path_checks_every_scenario_folder(app) -> None:
    """With no path, does validate check the scenario directory's folders?"""
    result = app.test_cli_runner().invoke(args=["scenario", "validate"])
    assert result.exit_code == 0 and "trilateral-2023" in result.output


def test_list_shows_the_loaded_scenario(app) -> None:
    """Does `flask scenario list` show the bundled scenario with its version and hash?"""
    result = app.test_cli_runner().invoke(args=["scenario", "list"])
    assert result.exit_code == 0
    slug, version, title, digest = result.output.splitlines()[0].split("\t")
    assert (slug, version) == ("trilateral-2023", "v4") and len(digest) == 12


DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios" / "branching-demo"


def test_lint_passes_on_a_clean_scenario(app) -> None:
    """Does `flask scenario lint` exit 0 with no warnings on the lint-clean demo?"""
    result = app.test_cli_runner().invoke(args=["scenario", "lint", str(DEMO)])
    assert result.exit_code == 0, result.output
    assert "0 warning(s), 0 accepted" in result.output


def test_lint_fails_on_an_unaccepted_warning(app, tmp_path: Path) -> None:
    """Does a warning the YAML does not accept fail lint with exit 1, naming file and line?"""
    copy = tmp_path / "branching-demo"
    shutil.copytree(DEMO, copy)
    delegations = copy / "delegations.yaml"
    delegations.write_text(delegations.read_text().replace("            meet-open: 2\n", ""))
    result = app.test_cli_runner().invoke(args=["scenario", "lint", str(copy)])
    assert result.exit_code == 1
    assert "injects.yaml, line" in result.output
    assert "[option-serves-nobody meet-open]" in result.output
