"""Play a short, realistic move in real browsers and photograph each page for the README.

Run by `tests/e2e/test_e2e_screenshots.py`; with UPDATE_SCREENSHOTS=1 the pictures replace the
ones in docs/screenshots/.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import (
    Site,
    command,
    connected,
    join,
    new_page,
    open_console,
    post,
    sign_in,
    tab,
)

LOOK = {"locale": "en-GB", "timezone_id": "Asia/Tokyo", "color_scheme": "light"}


def calm(page: Page) -> None:
    """Drop the passing notices so they do not cover the picture."""
    page.evaluate("document.getElementById('notices')?.remove()")


def table_proposal(page: Page, inject_id: str, text: str, options: list[str]) -> str:
    tab(page, "Negotiation")
    section = page.locator(f"#work-{inject_id}")
    section.locator(".table-proposal summary").click()
    section.get_by_label("Proposed joint text").fill(text)
    for option in options:
        page.locator(f"#table-{inject_id}-{option}").check()
    before = section.locator(".proposal").count()
    section.get_by_role("button", name="Table proposal").click()
    expect(section.locator(".proposal")).to_have_count(before + 1)
    return section.locator(".proposal").first.get_attribute("data-proposal-id") or ""


def stance(page: Page, proposal_id: str, button: str, reason: str = "") -> None:
    tab(page, "Negotiation")
    card = page.locator(f"#proposal-{proposal_id}")
    card.get_by_role("button", name=button).click()
    if reason:
        card.locator("textarea[id^=reason]").fill(reason)
        card.locator(".inline-form button[type=submit]").first.click()
    expect(card.locator(".stances")).to_be_visible()


def take_screenshots(browser: Browser, site: Site, out: Path) -> list[Path]:
    """Photograph the projector before the start (join address, code and QR code), join,
    briefing, negotiation, channels, console, projector and a phone view."""
    out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []

    def shot(page: Page, name: str, full: bool = False) -> None:
        calm(page)
        path = out / f"{name}.png"
        page.screenshot(path=str(path), full_page=full)
        shots.append(path)

    fac = sign_in(browser, site, width=1440, height=1000, **LOOK)
    game = site.new_session("Seminar 3 — Group B")
    code = game["join_code"]

    wall = new_page(browser, width=1920, height=1080, **LOOK)
    wall.context.add_cookies(fac.context.cookies())
    wall.goto(f"{site.url}/projector/{game['id']}")
    connected(wall)
    expect(wall.locator("#proj-join-code")).to_have_text(code)
    shot(wall, "projector-lobby")
    wall.context.close()

    entry = new_page(browser, width=1280, height=760, **LOOK)
    entry.goto(f"{site.url}/join?code={code}")
    entry.get_by_label("Your name").fill("Aiko Tanaka")
    shot(entry, "join")
    entry.context.close()

    names = [
        "Aiko Tanaka",
        "Min-jun Park",
        "Sam Rivera",
        "Kenji Sato",
        "Ji-woo Lee",
        "Taylor Brooks",
    ]
    players = [join(browser, site, code, name, width=1280, height=900, **LOOK) for name in names]
    jpn, kor, usa = players[:3]
    open_console(fac, site, game["id"])
    command(fac, "session.start")
    expect(fac.locator("#row-nk-vice-ministers-tokyo")).to_have_attribute("data-status", "fired")
    for inject_id in ("kor-domestic-ulleungdo", "nk-23-missiles"):
        fac.locator(f"#row-{inject_id}").get_by_role("button", name="Fire now").click()
        expect(fac.locator(f"#row-{inject_id}")).to_have_attribute("data-status", "fired")

    for page in (jpn, kor, usa, players[3]):
        tab(page, "Channels")
    post(
        fac,
        "plenary",
        "White Cell: the clock is running. Move 1 closes at 30:00.",
        "#monitor-composer",
    )
    post(jpn, "plenary", "Tokyo proposes we agree a common line before anyone briefs the press.")
    post(usa, "plenary", "Washington agrees. We can table a draft within five minutes.")
    post(players[3], "JPN", "Seoul will resist naming drills with Japan — keep the text general?")
    post(jpn, "JPN", "Agreed. Push for the package, but let the UN language carry the weight.")
    post(jpn, "JPN-KOR", "Could Seoul live with a trilateral package if the UN track comes first?")
    post(kor, "JPN-KOR", "Yes, if the text says our response is proportional and led by Seoul.")

    vm = table_proposal(
        jpn,
        "nk-vice-ministers-tokyo",
        "Japan, the Republic of Korea and the United States will respond to a seventh nuclear "
        "test with new sanctions designations, the deployment of US strategic assets and "
        "combined drills, and will seek action in the UN Security Council.",
        ["vm-response-package", "vm-un-first"],
    )
    tab(kor, "Negotiation")
    card = kor.locator(f"#proposal-{vm}")
    card.get_by_role("button", name="Amend…").click()
    card.get_by_label("Amended text").fill(
        "Japan, the Republic of Korea and the United States will respond to a seventh nuclear "
        "test together and in proportion, with new sanctions designations and combined drills, "
        "and will first seek action in the UN Security Council."
    )
    kor.locator(f"#amend-{vm}-vm-un-first").uncheck()
    kor.locator(f"#amend-{vm}-vm-ambiguity").check()
    card.get_by_role("button", name="Table amendment").click()
    expect(jpn.locator(f"#proposal-{vm}")).to_contain_text("version 2")
    stance(jpn, vm, "Endorse v2")
    stance(kor, vm, "Endorse v2")
    stance(usa, vm, "Reserve…", "We need the strategic-asset language back before we can endorse.")

    nk = table_proposal(
        usa,
        "nk-23-missiles",
        "The three governments condemn the launches and will ask for a meeting of the UN "
        "Security Council.",
        ["nk23-condemn-and-un"],
    )
    for page in (usa, jpn, kor):
        stance(page, nk, "Endorse v1")
    expect(jpn.locator(f"#proposal-{nk} .status")).to_have_text("Adopted")

    tab(jpn, "Briefing")
    shot(jpn, "player-briefing")
    tab(jpn, "Negotiation")
    jpn_card = jpn.locator(f"#proposal-{vm}")
    jpn_card.get_by_text("Versions (2)").click()
    jpn_card.evaluate(
        "n => window.scrollTo(0, n.getBoundingClientRect().top + window.scrollY - 190)"
    )
    shot(jpn, "player-negotiation")
    tab(jpn, "Channels")
    jpn.locator("#panel-channels .channel-button[data-channel='JPN-KOR']").click()
    shot(jpn, "player-channels")
    tab(kor, "Injects")
    kor.evaluate("window.scrollTo(0, 0)")
    shot(kor, "player-injects")

    fac.evaluate("window.scrollTo(0, 0)")
    fac.locator("#monitor .channel-button[data-channel='*']").click()
    shot(fac, "console")

    projector = new_page(browser, width=1920, height=1080, **LOOK)
    projector.context.add_cookies(fac.context.cookies())
    projector.goto(f"{site.url}/projector/{game['id']}")
    connected(projector)
    expect(projector.locator(".board tr")).to_have_count(3)
    shot(projector, "projector")

    phone = join(
        browser,
        site,
        code,
        "Sora Ito",
        width=375,
        height=812,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        **LOOK,
    )
    tab(phone, "Injects")
    shot(phone, "player-phone")

    for page in (fac, projector, phone, *players):
        problems = page.problems  # type: ignore[attr-defined]
        assert problems == [], problems
        page.context.close()
    return shots
