"""Loading valid scenarios, the look-ups on `Scenario`, and the loader's helpers."""

from __future__ import annotations

import json
from datetime import date

import pytest
from pydantic import ValidationError

from app.content.loader import (
    ScenarioInvalid,
    content_hash,
    discover_scenarios,
    load_scenario,
    load_scenario_from_texts,
    scenario_files,
    validate_scenario,
)
from app.content.schema import Scenario


@pytest.fixture
def mini(make_scenario):
    """The mini scenario, loaded."""
    return load_scenario(make_scenario())


def test_valid_scenario_has_no_problems(make_scenario):
    """Does the mini scenario validate without a single problem?"""
    assert validate_scenario(make_scenario()) == []


def test_scenario_gathers_all_three_files(mini):
    """Does the loaded scenario hold what the three files say?"""
    assert (mini.id, mini.title, mini.version) == ("mini", "Mini crisis", 1)
    assert mini.source_article.date == "2023-01"
    assert mini.sources[0].date == date(2022, 11, 2)
    assert [q.id for q in mini.debrief_questions] == ["dq-1"]
    assert mini.settings.unilateral_factor == 0.5
    assert len(mini.injects) == 2


def test_lookups_by_id(mini):
    """Do the look-ups find delegations, moves, injects, options and sources by id?"""
    assert mini.delegation_codes == ("JPN", "KOR")
    assert mini.delegation("KOR").name == "Republic of Korea"
    assert mini.lead_role("JPN").id == "jpn-head"
    assert mini.move("move-2").duration_minutes == 20
    assert mini.move_index("move-2") == 1
    assert mini.inject("intel").hypothetical is True
    assert mini.option("opt-strike").unilateral_effects == {"deterrence": 2}
    assert mini.inject_of_option("opt-share").id == "intel"
    assert mini.indicator("cohesion").start == 40
    assert mini.source("src-one").publisher == "Yonhap News Agency"


def test_unknown_id_raises_key_error(mini):
    """Does asking for an id the scenario lacks raise KeyError instead of returning None?"""
    with pytest.raises(KeyError):
        mini.option("nope")
    with pytest.raises(KeyError):
        mini.delegation("USA")


def test_injects_in_move_are_sorted_by_order(make_scenario):
    """Are a move's injects returned in their order, whatever their place in the file?"""
    folder = make_scenario(
        edit={
            "injects.yaml": [
                ("    order: 1\n    trigger: scheduled", "    order: 2\n    trigger: scheduled"),
                ("    move: move-2\n", "    move: move-1\n"),
            ]
        }
    )
    scenario = load_scenario(folder)
    assert [i.id for i in scenario.injects] == ["launch", "intel"]
    assert [i.id for i in scenario.injects_in_move("move-1")] == ["intel", "launch"]
    assert scenario.injects_in_move("move-2") == ()


def test_audience_codes(mini):
    """Does an inject tell which delegations it reaches?"""
    assert mini.inject("launch").audience_codes(mini.delegation_codes) == ("JPN", "KOR")
    assert mini.inject("intel").audience_codes(mini.delegation_codes) == ("KOR",)
    assert mini.inject("launch").is_public and not mini.inject("intel").is_public


def test_scenario_is_frozen(mini):
    """Is a loaded scenario read-only, so no session can change it for others?"""
    with pytest.raises(ValidationError):
        mini.title = "changed"


def test_broken_file_never_half_loads(make_scenario, mini_files):
    """Does one broken file stop the whole scenario from loading, from a folder or from texts?"""
    folder = make_scenario(edit={"injects.yaml": ("move: move-2", "move: move-9")})
    with pytest.raises(ScenarioInvalid) as from_folder:
        load_scenario(folder)
    broken = {**mini_files, "injects.yaml": mini_files["injects.yaml"].replace("move-2", "move-9")}
    with pytest.raises(ScenarioInvalid) as from_texts:
        load_scenario_from_texts(broken, "mini")
    assert [p.field for p in from_folder.value.problems] == ["injects[1].move"]
    assert [str(p) for p in from_texts.value.problems] == [
        str(p) for p in from_folder.value.problems
    ]


def test_texts_load_like_a_folder(make_scenario, mini_files):
    """Do the in-memory texts give the same scenario as the folder?"""
    assert load_scenario_from_texts(mini_files, "mini") == load_scenario(make_scenario())


def test_texts_missing_a_file(mini_files):
    """Does a texts dict without injects.yaml report that file as missing?"""
    del mini_files["injects.yaml"]
    with pytest.raises(ScenarioInvalid) as raised:
        load_scenario_from_texts(mini_files, "mini")
    assert [(p.file, p.message) for p in raised.value.problems] == [
        ("injects.yaml", "the file is missing")
    ]


def test_scenario_files_reads_the_three_texts(make_scenario, mini_files):
    """Does scenario_files return exactly the three texts, keyed by file name?"""
    assert scenario_files(make_scenario()) == mini_files


def test_scenario_files_refuses_a_missing_file(make_scenario):
    """Does scenario_files raise ScenarioInvalid when a file is missing?"""
    with pytest.raises(ScenarioInvalid):
        scenario_files(make_scenario(drop=("injects.yaml",)))


def test_content_hash_is_stable_and_content_sensitive(mini_files):
    """Is the hash equal for equal content (whatever the line endings) and differs otherwise?"""
    digest = content_hash(mini_files)
    windows = {name: text.replace("\n", "\r\n") for name, text in mini_files.items()}
    assert content_hash(windows) == digest
    assert content_hash(dict(reversed(mini_files.items()))) == digest
    changed = {**mini_files, "scenario.yaml": mini_files["scenario.yaml"] + "# note\n"}
    assert content_hash(changed) != digest
    assert len(digest) == 64


def test_discover_scenarios(tmp_path, make_scenario):
    """Does discovery list only folders holding scenario.yaml, sorted by name?"""
    make_scenario(name="b-scenario")
    make_scenario(name="a-scenario")
    (tmp_path / "not-a-scenario").mkdir()
    assert [p.name for p in discover_scenarios(tmp_path)] == ["a-scenario", "b-scenario"]
    assert discover_scenarios(tmp_path / "absent") == []


def test_missing_folder_reports_all_files(tmp_path):
    """Does validating a folder that does not exist say so rather than crash?"""
    problems = validate_scenario(tmp_path / "nowhere")
    assert [p.file for p in problems] == ["scenario.yaml", "delegations.yaml", "injects.yaml"]
    assert "does not exist" in problems[0].message


def test_optional_key_without_value_means_default(make_scenario):
    """Does an optional key left blank ('red_lines:', 'settings:') count as left out?"""
    red_line = "      - id: jpn-rl-1\n        text: No strike.\n        options: [opt-strike]\n"
    folder = make_scenario(
        edit={
            "delegations.yaml": (red_line, ""),
            "scenario.yaml": ("debrief:\n", "settings:\ndebrief:\n"),
        }
    )
    scenario = load_scenario(folder)
    assert scenario.delegation("JPN").red_lines == ()
    assert scenario.settings.unilateral_factor == 0.5


def test_scenario_round_trips_through_json(mini):
    """Does a scenario dumped to JSON come back equal (dates and audiences included)?"""
    dumped = json.loads(json.dumps(mini.model_dump(mode="json")))
    assert dumped["injects"][1]["audience"] == ["KOR"]
    assert dumped["sources"][0]["date"] == "2022-11-02"
    assert Scenario.model_validate(dumped) == mini
