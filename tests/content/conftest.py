"""Fixtures for the scenario-package tests, and a way to import it without Flask installed."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

try:
    import app  # noqa: F401
except ImportError:
    # app.content is pure Python by design; when the web stack (Flask, SQLAlchemy) is not
    # installed, stand in an empty `app` package so these tests still run.
    stub = types.ModuleType("app")
    stub.__path__ = [str(ROOT / "app")]
    sys.modules["app"] = stub

SCENARIO_YAML = """\
id: mini
title: Mini crisis
version: 1
summary: A two-delegation scenario small enough to read in one go.
source_article:
  title: A useful article
  publisher: The Diplomat
  date: 2023-01
  url: https://example.org/article
sources:
  - id: src-one
    title: First report
    publisher: Yonhap News Agency
    date: 2022-11-02
challenges:
  - id: north-korea
    title: Sustaining coordination on North Korea
indicators:
  - id: deterrence
    name: Deterrence credibility
    min: 0
    max: 100
    start: 50
  - id: cohesion
    name: Cohesion
    start: 40
moves:
  - id: move-1
    title: Launches
    challenge: north-korea
    duration_minutes: 30
  - id: move-2
    title: Aftermath
    challenge: north-korea
    duration_minutes: 20
debrief:
  questions:
    - id: dq-1
      text: What held the delegations together?
"""

DELEGATIONS_YAML = """\
delegations:
  - code: JPN
    name: Japan
    colour: "#bc002d"
    public_briefing: Japan wants calm.
    private_briefing: Japan wants calm, quietly.
    roles:
      - id: jpn-head
        title: Prime Minister
        lead: true
      - id: jpn-foreign
        title: Foreign Minister
    objectives:
      - id: jpn-obj-1
        text: Show unity.
        scoring:
          options:
            opt-condemn: 3
    red_lines:
      - id: jpn-rl-1
        text: No strike.
        options: [opt-strike]
  - code: KOR
    name: Republic of Korea
    colour: "#287878"
    public_briefing: Korea wants calm.
    private_briefing: Korea wants calm, quietly.
    roles:
      - id: kor-head
        title: President
        lead: true
    objectives:
      - id: kor-obj-1
        text: Keep the alliance.
        scoring:
          options:
            opt-condemn: 2
"""

INJECTS_YAML = """\
injects:
  - id: launch
    move: move-1
    order: 1
    trigger: scheduled
    offset_minutes: 2
    title: Missiles fired
    date: 2022-11-02
    audience: all
    challenge: north-korea
    body: Many missiles were fired.
    sources: [src-one]
    teaching_point: Coordination under time pressure.
    expected_action: A joint statement.
    deadline_minutes: 8
    response_options:
      - id: opt-condemn
        text: Condemn jointly.
        effects: {deterrence: 5, cohesion: 3}
      - id: opt-strike
        text: Strike back.
        effects: {deterrence: 8, cohesion: -5}
        unilateral_effects: {deterrence: 2}
      - id: opt-wait
        text: Wait and see.
  - id: intel
    move: move-2
    order: 1
    trigger: manual
    title: Private intelligence
    date: 2022-11-03
    hypothetical: true
    audience: [KOR]
    challenge: north-korea
    body: A private note.
    sources: [src-one]
    teaching_point: Sharing intelligence.
    expected_action: Decide whether to share.
    response_options:
      - id: opt-share
        text: Share it.
        effects: {cohesion: 4}
"""

MINI_FILES = {
    "scenario.yaml": SCENARIO_YAML,
    "delegations.yaml": DELEGATIONS_YAML,
    "injects.yaml": INJECTS_YAML,
}


def write_scenario(root: Path, files: dict[str, str], name: str = "mini") -> Path:
    """Write scenario texts into `root/name` and return the folder."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    for file_name, text in files.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    return folder


def line_with(folder: Path, file_name: str, fragment: str, nth: int = 1) -> int:
    """The 1-based line of the `nth` line of a scenario file that contains `fragment`."""
    text = (folder / file_name).read_text(encoding="utf-8")
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    return hits[nth - 1]


@pytest.fixture
def line_in():
    """The `line_with` helper, as a fixture so test modules need not import conftest."""
    return line_with


@pytest.fixture
def mini_files() -> dict[str, str]:
    """The three texts of the mini scenario (a fresh copy per test)."""
    return dict(MINI_FILES)


@pytest.fixture
def make_scenario(tmp_path: Path):
    """Factory: a folder with the mini scenario, each file optionally replaced or edited.

    `make_scenario(injects=text)` replaces a file; `make_scenario(edit={"injects.yaml":
    ("old", "new")})` replaces the first "old" by "new" (give a list of pairs for several edits);
    `make_scenario(drop=("injects.yaml",))` leaves a file out.
    """

    def make(
        name: str = "mini",
        edit: dict[str, tuple[str, str] | list[tuple[str, str]]] | None = None,
        drop: tuple[str, ...] = (),
        **replace: str,
    ) -> Path:
        files = dict(MINI_FILES)
        for key, text in replace.items():
            files[f"{key}.yaml"] = text
        for file_name, change in (edit or {}).items():
            for old, new in [change] if isinstance(change, tuple) else change:
                assert old in files[file_name], f"{old!r} is not in {file_name}"
                files[file_name] = files[file_name].replace(old, new, 1)
        for file_name in drop:
            del files[file_name]
        return write_scenario(tmp_path, files, name)

    return make


DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios" / "branching-demo"


@pytest.fixture
def demo(tmp_path: Path):
    """Factory: a copy of the branching demo with `(file, old, new)` edits applied."""

    def make(*edits: tuple[str, str, str]) -> Path:
        folder = tmp_path / "branching-demo"
        folder.mkdir(exist_ok=True)
        texts = {p.name: p.read_text(encoding="utf-8") for p in DEMO.glob("*.yaml")}
        for file_name, old, new in edits:
            assert old in texts[file_name], old
            texts[file_name] = texts[file_name].replace(old, new, 1)
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
        return folder

    return make
