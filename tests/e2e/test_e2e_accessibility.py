"""WCAG 2.1 AA checked by machine: axe-core over every page type and state a seminar goes
through, on a real server in real Chromium."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import axe_violations
from tests.e2e.helpers import (
    Site,
    command,
    connected,
    delegation_of,
    join,
    new_page,
    open_console,
    post,
    sign_in,
    tab,
)

TABS = ["Briefing", "Injects", "Channels", "Negotiation", "Situation"]


def table_proposal(page: Page, inject_id: str, text: str) -> str:
    tab(page, "Negotiation")
    section = page.locator(f"#work-{inject_id}")
    section.locator(".table-proposal summary").click()
    section.get_by_label("Proposed joint text").fill(text)
    before = section.locator(".proposal").count()
    section.get_by_role("button", name="Table proposal").click()
    expect(section.locator(".proposal")).to_have_count(before + 1)
    return section.locator(".proposal").first.get_attribute("data-proposal-id") or ""


def test_every_page_and_state_has_no_axe_violation(browser: Browser, site: Site) -> None:
    """Does axe find no WCAG 2.1 A/AA violation on any page, in any state of a seminar?"""
    found: list[str] = []

    def scan(page: Page, state: str) -> None:
        found.extend(axe_violations(page, state))

    visitor = new_page(browser)
    visitor.goto(site.url + "/")
    scan(visitor, "landing")
    visitor.goto(site.url + "/signin")
    scan(visitor, "sign-in")
    visitor.goto(site.url + "/setup?token=expired")
    scan(visitor, "setup (invalid link)")
    visitor.goto(site.url + "/observe")
    scan(visitor, "observe form")

    fac = sign_in(browser, site, width=1440, height=1000)
    scan(fac, "console home")
    game = site.new_session("Accessibility seminar")
    open_console(fac, site, game["id"])
    scan(fac, "console lobby")

    visitor.goto(f"{site.url}/join?code={game['join_code']}")
    scan(visitor, "join")
    visitor.context.close()

    desk = [join(browser, site, game["join_code"], n) for n in ("Aiko", "Min-jun", "Sam")]
    by = {delegation_of(p): p for p in desk}
    phone = join(
        browser,
        site,
        game["join_code"],
        "Sora",
        width=375,
        height=812,
        is_mobile=True,
        has_touch=True,
    )
    for name in TABS:
        tab(by["JPN"], name)
        scan(by["JPN"], f"player lobby {name}")

    projector = new_page(browser, width=1920, height=1080)
    projector.context.add_cookies(fac.context.cookies())
    projector.goto(f"{site.url}/projector/{game['id']}")
    connected(projector)
    scan(projector, "projector lobby")

    command(fac, "session.start")
    expect(fac.locator("#row-nk-vice-ministers-tokyo")).to_have_attribute("data-status", "fired")
    fac.locator("#row-nk-23-missiles").get_by_role("button", name="Fire now").click()
    expect(fac.locator("#row-nk-23-missiles")).to_have_attribute("data-status", "fired")
    tab(by["JPN"], "Channels")
    tab(by["KOR"], "Channels")
    post(by["JPN"], "plenary", "Tokyo proposes a common line.")
    post(by["KOR"], "JPN-KOR", "Seoul agrees in principle.")
    adopted = table_proposal(by["USA"], "nk-23-missiles", "The three condemn the launches.")
    for code in ("USA", "JPN", "KOR"):
        tab(by[code], "Negotiation")
        by[code].locator(f"#proposal-{adopted}").get_by_role("button", name="Endorse v1").click()
    expect(by["JPN"].locator(f"#proposal-{adopted} .status")).to_have_text("Adopted")
    rejected = table_proposal(by["JPN"], "nk-vice-ministers-tokyo", "A trilateral package.")
    card = by["KOR"].locator(f"#proposal-{rejected}")
    tab(by["KOR"], "Negotiation")
    card.get_by_role("button", name="Reject…").click()
    card.locator("textarea[id^=reason]").fill("Too strong for Seoul.")
    card.locator(".inline-form button[type=submit]").first.click()
    expect(card.locator(".stance-reject")).to_be_visible()

    for name in TABS:
        for who, page in (("desktop", by["JPN"]), ("375px", phone)):
            tab(page, name)
            scan(page, f"player running {who} {name}")
    scan(fac, "console running")
    expect(projector.locator("#proj-adopted")).to_contain_text("condemn")
    scan(projector, "projector running")

    observer = new_page(browser)
    observer.goto(f"{site.url}/observe?code={game['observer_code']}")
    observer.get_by_role("button", name="Open the projector view").click()
    observer.wait_for_url("**/projector**")
    connected(observer)
    scan(observer, "observer")

    command(fac, "session.end")
    command(fac, "session.end")
    expect(fac.locator("#session-state")).to_have_text("Ended")
    scan(fac, "console ended")
    tab(by["JPN"], "Negotiation")
    scan(by["JPN"], "player ended Negotiation")

    fac.goto(f"{site.url}/review/{game['id']}")
    scan(fac, "review")
    fac.goto(f"{site.url}/review/{game['id']}/report")
    scan(fac, "report")

    for page in (fac, projector, observer, phone, *desk):
        page.context.close()
    assert found == [], "\n".join(found)
