"""A move played in real browsers: a facilitator and three delegations, each in its own browser
context, on a real server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import (
    Site,
    command,
    connected,
    delegation_of,
    join,
    messages,
    post,
    sign_in,
    tab,
    watch,
)


@dataclass
class Table:
    fac: Page
    players: dict[str, Page]  # by delegation code
    session_id: int
    join_code: str


def fire(fac: Page, inject_id: str) -> None:
    """Fire an inject from the console's timeline (unless it has fired already)."""
    row = fac.locator(f"#row-{inject_id}")
    if row.get_attribute("data-status") != "fired":
        row.get_by_role("button", name="Fire now").click()
    expect(fac.locator(f"#row-{inject_id}")).to_have_attribute("data-status", "fired")


def every_message(page: Page) -> list[str]:
    """Every message text of every channel this player's page offers."""
    tab(page, "Channels")
    texts: list[str] = []
    buttons = page.locator("#panel-channels .channel-button")
    for index in range(buttons.count()):
        buttons.nth(index).click()
        texts.extend(messages(page))
    return texts


@pytest.fixture(scope="module")
def table(browser: Browser, site: Site) -> Iterator[Table]:
    """A session created from the console, three students seated, the first move started."""
    fac = sign_in(browser, site, width=1440, height=1000)
    fac.get_by_label("Scenario", exact=True).select_option("trilateral-2023")
    fac.get_by_label("Title").fill("Browser seminar")
    fac.get_by_role("button", name="Create session").click()
    fac.wait_for_url("**/console/*")
    connected(fac)
    session_id = int(fac.url.rsplit("/", 1)[1])
    code = fac.locator("#join-code").inner_text().strip()
    players = {}
    for name in ("Aiko", "Min-jun", "Sam"):
        page = join(browser, site, code, name)
        players[delegation_of(page)] = page
    assert sorted(players) == ["JPN", "KOR", "USA"]
    command(fac, "session.start")
    expect(fac.locator("#session-state")).to_have_text("Running")
    # The scheduler sends the move's first inject at +0 min; let it land before firing by hand.
    expect(fac.locator("#row-nk-vice-ministers-tokyo")).to_have_attribute("data-status", "fired")
    yield Table(fac, players, session_id, code)
    for page in [fac, *players.values()]:
        assert page.problems == [], page.problems  # type: ignore[attr-defined]
        page.context.close()


def test_injects_reach_only_their_delegations(table: Table) -> None:
    """Does a public inject reach every delegation and a confidential one only its own?"""
    fire(table.fac, "kor-domestic-ulleungdo")  # KOR only
    fire(table.fac, "nk-23-missiles")  # everyone, and logged after the private one
    for code, page in table.players.items():
        tab(page, "Injects")
        expect(page.locator("#inject-nk-23-missiles")).to_be_visible()
        private = page.locator("#inject-kor-domestic-ulleungdo")
        if code == "KOR":
            expect(private).to_contain_text("Hypothetical")
            expect(private).to_contain_text("Confidential — Republic of Korea only")
        else:
            expect(private).to_have_count(0)
    first = table.players["USA"].locator("#inject-feed .inject").first
    expect(first).to_have_attribute("id", "inject-nk-23-missiles")  # newest first
    expect(table.players["USA"].locator("#inject-nk-23-missiles .deadline")).to_contain_text(
        "left to respond"
    )


def test_private_and_bilateral_channels_stay_private(table: Table) -> None:
    """Do a delegation room and a bilateral reach their members, and nobody else?"""
    jpn, kor, usa = (table.players[c] for c in ("JPN", "KOR", "USA"))
    tab(jpn, "Channels")
    post(jpn, "JPN", "Room: consult Seoul before we go public")
    post(jpn, "JPN-KOR", "Bilateral: shall we co-sponsor a text?")
    tab(kor, "Channels")
    kor.locator("#panel-channels .channel-button[data-channel='JPN-KOR']").click()
    expect(kor.locator("#panel-channels .message-text")).to_have_text(
        ["Bilateral: shall we co-sponsor a text?"]
    )
    tab(usa, "Channels")
    post(usa, "plenary", "Plenary: Washington is ready to talk")  # logged after both
    for page in (jpn, kor):
        page.locator("#panel-channels .channel-button[data-channel='plenary']").click()
        expect(page.locator("#panel-channels .message-text").last).to_have_text(
            "Plenary: Washington is ready to talk"
        )
    usa_sees = every_message(usa)
    kor_sees = every_message(kor)
    assert "Plenary: Washington is ready to talk" in usa_sees
    assert not [t for t in usa_sees if t.startswith(("Room:", "Bilateral:"))]
    assert not [t for t in kor_sees if t.startswith("Room:")]
    assert "Bilateral: shall we co-sponsor a text?" in kor_sees
    monitor = table.fac.locator("#monitor")
    monitor.locator(".channel-button[data-channel='*']").click()
    expect(monitor.locator(".message-text", has_text="Room: consult Seoul")).to_have_count(1)


def test_proposal_is_amended_adopted_and_projected(
    table: Table, browser: Browser, site: Site
) -> None:
    """Can a proposal be tabled, amended, endorsed by all three leads and shown as adopted on
    the projector?"""
    fire(table.fac, "nk-23-missiles")
    projector = watch(table.fac.context.new_page())
    projector.goto(f"{site.url}/projector/{table.session_id}")
    connected(projector)
    jpn, kor, usa = (table.players[c] for c in ("JPN", "KOR", "USA"))

    tab(jpn, "Negotiation")
    section = jpn.locator("#work-nk-23-missiles")
    section.get_by_text("Table a new proposal").click()
    section.get_by_label("Proposed joint text").fill(
        "We condemn the launches and will pause the drill."
    )
    jpn.locator("#table-nk-23-missiles-nk23-condemn-and-un").check()
    jpn.locator("#table-nk-23-missiles-nk23-wind-down-drills").check()
    section.get_by_role("button", name="Table proposal").click()
    card = section.locator(".proposal").first
    expect(card).to_contain_text("version 1")
    proposal_id = card.get_attribute("data-proposal-id")

    tab(usa, "Negotiation")
    usa_card = usa.locator(f"#proposal-{proposal_id}")
    expect(usa_card.locator(".red-lines")).to_contain_text("Your red line")  # the drill pause
    expect(card.locator(".red-lines")).to_have_count(0)  # not one of Japan's

    tab(kor, "Negotiation")
    kor_card = kor.locator(f"#proposal-{proposal_id}")
    kor_card.get_by_role("button", name="Amend…").click()
    kor_card.get_by_label("Amended text").fill("We condemn the launches and will extend the drill.")
    kor.locator(f"#amend-{proposal_id}-nk23-wind-down-drills").uncheck()
    kor.locator(f"#amend-{proposal_id}-nk23-condemn-and-drill").check()
    kor_card.get_by_role("button", name="Table amendment").click()

    expect(card).to_contain_text("version 2")
    card.get_by_text("Versions (2)").click()
    expect(card.locator(".diff del")).to_contain_text("pause")
    expect(card.locator(".diff ins")).to_contain_text("extend")
    expect(usa_card.locator(".red-lines")).to_have_count(0)  # the amendment dropped it

    for page in (jpn, kor, usa):
        page.locator(f"#proposal-{proposal_id}").get_by_role("button", name="Endorse v2").click()
    for page in (jpn, kor, usa):
        expect(page.locator(f"#proposal-{proposal_id} .status")).to_have_text("Adopted")
    row = projector.locator(f".board tr[data-proposal-id='{proposal_id}']")
    expect(row).to_contain_text("Adopted")
    expect(row.locator(".cell-endorse")).to_have_count(3)
    expect(projector.locator("#proj-adopted")).to_contain_text("will extend the drill")
    assert projector.problems == []  # type: ignore[attr-defined]


def test_only_the_lead_records_positions(table: Table, browser: Browser, site: Site) -> None:
    """Does a second member of a delegation see a proposal, and may amend it, but not endorse?"""
    jpn = table.players["JPN"]
    tab(jpn, "Negotiation")
    general = jpn.locator("#work-general")
    general.get_by_text("Table a new proposal").click()
    general.get_by_label("Proposed joint text").fill("A standing trilateral hotline.")
    general.get_by_role("button", name="Table proposal").click()
    expect(general.locator(".proposal")).to_have_count(1)
    adviser = join(browser, site, table.join_code, "Kenji")
    try:
        assert delegation_of(adviser) == "JPN"
        tab(adviser, "Negotiation")
        card = adviser.locator("#work-general .proposal").first
        expect(card).to_contain_text("A standing trilateral hotline.")
        expect(card.get_by_role("button", name="Amend…")).to_be_visible()
        expect(card.get_by_role("button", name="Endorse v1")).to_be_hidden()
        expect(card.locator(".lead-note")).to_contain_text("Aiko, your lead")
        expect(adviser.locator("#seat-lead")).to_be_hidden()
        assert adviser.problems == []  # type: ignore[attr-defined]
    finally:
        adviser.context.close()
        player = table.fac.locator(".roster-player", has_text="Kenji")
        player.get_by_role("button", name="Remove").click()
        player.get_by_role("button", name="Confirm: remove Kenji").click()
        expect(table.fac.locator(".roster-player", has_text="Kenji")).to_have_count(0)
