"""What the validator reports: one `ScenarioProblem` per mistake, gathered in `ScenarioInvalid`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScenarioProblem:
    """One mistake in a scenario, located so an instructor can find and fix it.

    `file` is the file name inside the scenario folder (e.g. "injects.yaml"), `line` is 1-based
    (None when there is no line to point at, e.g. a missing file), `field` is the path of the
    field (e.g. "injects[3].response_options"; "" when the problem concerns the whole file) and
    `folder` is the scenario folder as it was given (or the scenario's name for in-memory texts).
    """

    file: str
    line: int | None
    field: str
    message: str
    folder: str = ""

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(f"field {self.field}")
        return f"{', '.join(parts)}: {self.message}"

    @property
    def path(self) -> str:
        """The file with its folder, e.g. "game_content/scenarios/x/injects.yaml"."""
        if not self.folder:
            return self.file
        return f"{self.folder.rstrip('/')}/{self.file}"

    def long(self) -> str:
        """The problem with the full path of its file, for command-line output."""
        short = str(self)
        return self.path + short[len(self.file) :]


class ScenarioInvalid(Exception):
    """Raised when a scenario has at least one problem; nothing of it was loaded."""

    def __init__(self, problems: list[ScenarioProblem], name: str = "") -> None:
        self.problems = list(problems)
        self.name = name
        count = len(self.problems)
        where = f" in scenario {name!r}" if name else ""
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''}{where}:\n{lines}")
