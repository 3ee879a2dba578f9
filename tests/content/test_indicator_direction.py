"""Indicators say which way is good news (`higher_is`), so pages colour a change by meaning."""

from __future__ import annotations

from pathlib import Path

from app.content.loader import load_scenario
from tests.content.test_broken_files import only_problem

ROOT = Path(__file__).resolve().parents[2]


def test_higher_is_worse_is_loaded(make_scenario):
    """Is `higher_is: worse` kept on the indicator it is written on, and unset elsewhere?"""
    folder = make_scenario(
        edit={"scenario.yaml": ("    start: 40\n", "    start: 40\n    higher_is: worse\n")}
    )
    scenario = load_scenario(folder)
    assert scenario.indicator("cohesion").higher_is == "worse"
    assert scenario.indicator("deterrence").higher_is is None


def test_higher_is_takes_only_better_or_worse(make_scenario):
    """Is a word other than better or worse refused with the allowed words named?"""
    folder = make_scenario(
        edit={"scenario.yaml": ("    start: 40\n", "    start: 40\n    higher_is: up\n")}
    )
    text = str(only_problem(folder))
    assert "higher_is" in text
    assert "'better' or 'worse'" in text


def test_the_bundled_scenario_says_escalation_rising_is_bad_news():
    """Does the bundled scenario mark escalation risk as higher-is-worse and the rest better?"""
    scenario = load_scenario(ROOT / "game_content" / "scenarios" / "trilateral-2023")
    directions = {i.id: i.higher_is for i in scenario.indicators}
    assert directions.pop("escalation") == "worse"
    assert set(directions.values()) == {"better"}
