"""Issue 11 in real browsers: a session created on a track, a reaction that follows an adopted
option (released by the White Cell, spoken by a named third party), a briefing update, and the
students' hot wash reaching the review."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import running_site
from tests.e2e.helpers import Site, command, connected, delegation_of, join, sign_in, tab

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A server whose scenario folder holds the branching demo."""
    with running_site(tmp_path_factory.mktemp("e2e-demo"), SCENARIO_DIR=str(FIXTURES)) as served:
        yield served


def test_reaction_follows_an_adopted_option_and_the_hot_wash_reaches_the_review(
    browser: Browser, demo_site: Site
) -> None:
    """Does adopting 'create the dialogue' queue Beijing's reaction in the console, does its
    release reach every student under its speaker's name, and do the students' hot-wash answers
    appear in the review after the end?"""
    fac = sign_in(browser, demo_site, width=1440, height=1000)
    fac.get_by_label("Scenario", exact=True).select_option("branching-demo")
    fac.get_by_label("Track").select_option("seminar-short")
    fac.get_by_label("Title").fill("Reaction seminar")
    fac.get_by_role("button", name="Create session").click()
    fac.wait_for_url("**/console/*")
    connected(fac)
    expect(fac.locator("#session-title")).to_contain_text("Short seminar")
    expect(fac.locator("#row-kor-private")).to_have_count(0)  # not on this track
    code = fac.locator("#join-code").inner_text().strip()
    players = {}
    for name in ("Aiko", "Min-jun", "Sam"):
        page = join(browser, demo_site, code, name)
        players[delegation_of(page)] = page
    jpn, kor, usa = (players[c] for c in ("JPN", "KOR", "USA"))

    command(fac, "session.start")
    expect(fac.locator("#session-state")).to_have_text("Running")
    expect(jpn.locator(".briefing-update")).to_contain_text("Tokyo's cabinet meets tonight.")
    expect(kor.locator(".briefing-update")).to_have_count(0)
    fac.locator("#row-dialogue").get_by_role("button", name="Fire now").click()
    expect(fac.locator("#row-dialogue")).to_have_attribute("data-status", "fired")

    tab(jpn, "Negotiation")
    section = jpn.locator("#work-dialogue")
    section.get_by_text("Table a new proposal").click()
    section.get_by_label("Proposed joint text").fill("We create the dialogue now.")
    jpn.locator("#table-dialogue-create-dialogue").check()
    section.get_by_role("button", name="Table proposal").click()
    card = section.locator(".proposal").first
    expect(card).to_contain_text("version 1")
    proposal_id = card.get_attribute("data-proposal-id")
    for page in (kor, usa, jpn):
        tab(page, "Negotiation")
        page.locator(f"#proposal-{proposal_id}").get_by_role("button", name="Endorse v1").click()
    expect(jpn.locator(f"#proposal-{proposal_id} .status")).to_have_text("Adopted")

    row = fac.locator("#row-china-protest")
    expect(row).to_have_attribute("data-status", "queued")
    expect(row.locator(".queued-note")).to_contain_text("Create the dialogue now.")
    row.get_by_role("button", name="Release now").click()
    expect(row).to_have_attribute("data-status", "fired")
    for page in (jpn, kor, usa):
        tab(page, "Injects")
        card = page.locator("#inject-china-protest")
        expect(card.locator(".inject-speaker")).to_have_text("Chinese foreign ministry")
        expect(card.locator(".tag-reaction")).to_be_visible()

    command(fac, "session.end")
    command(fac, "session.end")  # the second click confirms
    expect(fac.locator("#session-state")).to_have_text("Ended")
    kor.get_by_label("What went well?").fill("We agreed the dialogue quickly.")
    kor.get_by_label("What surprised you?").fill("Beijing answered at once.")
    kor.get_by_role("button", name="Send my hot wash").click()
    expect(kor.locator(".hotwash-done")).to_be_visible()
    usa.get_by_label("What would you improve?").fill("Read the briefing update first.")
    usa.get_by_role("button", name="Send my hot wash").click()
    expect(usa.locator(".hotwash-done")).to_be_visible()

    session_id = fac.url.rsplit("/", 1)[1]
    fac.goto(f"{demo_site.url}/review/{session_id}")
    hot_wash = fac.locator(".rv-hotwash")
    expect(hot_wash).to_contain_text("We agreed the dialogue quickly.")
    expect(hot_wash).to_contain_text("Beijing answered at once.")
    expect(hot_wash).to_contain_text("Read the briefing update first.")
    expect(fac.locator("#happened-locked")).to_be_visible()
    fac.get_by_role("button", name="Reveal what actually happened").click()
    expect(fac.locator("#happened-locked")).to_have_count(0)
    expect(fac.locator("#debrief")).to_contain_text("extended their air drills")
    for page in (fac, jpn, kor, usa):
        assert page.problems == [], page.problems  # type: ignore[attr-defined]
        page.context.close()
