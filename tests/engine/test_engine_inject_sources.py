"""The sources shown with a fired inject: none that report what came after it."""

from __future__ import annotations

from tests.engine.conftest import FAC, play


def shown(running, inject_id):  # type: ignore[no-untyped-def]
    event = play(running, FAC, "inject.fire", inject_id=inject_id)[0]
    return [s["id"] for s in event.data["inject"]["sources"]]


def test_a_source_from_after_the_inject_is_not_shown_to_players(running, scenario):
    """Does the fired inject leave out a source dated months later (one that reports what came
    next), while the scenario still cites it for the debrief?"""
    cited = scenario.inject("econ-chip-waiver").sources
    assert "tomshardware-2023-10" in cited
    ids = shown(running, "econ-chip-waiver")
    assert "tomshardware-2023-10" not in ids
    assert "koreaherald-2022-10-12" in ids


def test_the_next_days_report_of_an_event_is_shown(running, scenario):
    """Is a report dated the day after the inject's event (news lag) still shown with it?"""
    assert scenario.inject("nk-23-missiles").date.isoformat() == "2022-11-02"
    assert scenario.source("dawn-2022-11-03").date.isoformat() == "2022-11-03"
    assert "dawn-2022-11-03" in shown(running, "nk-23-missiles")


def test_a_year_month_source_counts_by_its_month(running, scenario):
    """Is a source dated only by month shown with an inject of that month or later, and left
    out of an earlier one?"""
    assert scenario.source("diplomat-2023-01").date == "2023-01"
    assert "diplomat-2023-01" in shown(running, "china-taiwan-hypothetical")  # 2023-01-25
    assert "diplomat-2023-01" not in shown(running, "nk-23-missiles")  # 2022-11-02
