"""WCAG 2.1 AA checked by machine: axe-core over every page type and state a seminar goes
through, on a real server in real Chromium."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import axe_violations
from tests.e2e.conftest import ROOT, _wait_for, free_port
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


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second, brand-new server with no facilitator yet: the setup link it prints."""
    instance = tmp_path_factory.mktemp("first-run")
    port = free_port()
    env = {**os.environ, "INSTANCE_PATH": str(instance), "PORT": str(port), "HOST": "127.0.0.1"}
    for name in ("DATABASE_URL", "PUBLIC_URL", "SOCKETIO_MESSAGE_QUEUE", "SECRET_KEY"):
        env.pop(name, None)
    log = Path(instance) / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "serve.py")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(f"http://127.0.0.1:{port}", process, log)
        found = re.search(r"http://\S+/setup\?token=\S+", log.read_text(errors="replace"))
        assert found, log.read_text(errors="replace")
        yield found.group(0)
    finally:
        process.terminate()
        process.wait(10)


def test_the_first_run_setup_form_has_no_axe_violation(browser: Browser, first_run: str) -> None:
    """Does the first-run page (create the first facilitator) pass axe, before and after a
    refused password?"""
    page = new_page(browser)
    page.goto(first_run)
    expect(page.get_by_role("heading", name="Create the first facilitator account")).to_be_visible()
    found = axe_violations(page, "setup form")
    page.get_by_label("Name").fill("prof")
    page.get_by_label("Password").fill("short")
    page.evaluate("() => document.querySelector('form').noValidate = true")
    page.get_by_role("button", name="Create account and sign in").click()
    expect(page.locator(".flash")).to_be_visible()
    found += axe_violations(page, "setup form refused")
    page.context.close()
    assert found == [], "\n".join(found)


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
        for who, page in (("desktop", by["JPN"]), ("375px", phone)):
            tab(page, name)
            scan(page, f"player lobby {who} {name}")

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
    fac.wait_for_selector("#proposal-list details.rv-proposal")
    fac.wait_for_selector("#replay-state .rv-replay-box")
    scan(fac, "review")
    for details in fac.locator("#review details").all():
        details.evaluate("node => { node.open = true; }")
    fac.locator("#replay-seq").fill("5")
    expect(fac.locator("#replay-label")).to_have_text(re.compile(r"^event 5 "))
    fac.locator("#transcript-filters input[name=q]").fill("Tokyo")
    scan(fac, "review with every section opened, replay at event 5, transcripts searched")
    fac.goto(f"{site.url}/review/{game['id']}/report")
    scan(fac, "report")

    for page in (fac, projector, observer, phone, *desk):
        page.context.close()
    assert found == [], "\n".join(found)


# --- by hand: keyboard, focus, announcements, zoom ------------------------------------------


@dataclass
class Seminar:
    fac: Page
    players: dict[str, Page]
    session_id: int
    code: str


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab (only Tab) until the element matching `selector` has the focus."""
    target = page.locator(selector)
    for _ in range(limit):
        if target.evaluate("node => node === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} is not reachable with the Tab key")


def focused(page: Page) -> str:
    return page.evaluate("() => document.activeElement?.id || document.activeElement?.tagName")


def listen(page: Page) -> None:
    """Record every text the page's live region says from now on."""
    page.evaluate(
        """() => {
            window.__said = [];
            new MutationObserver(() => {
                const text = document.getElementById('announcer').textContent;
                if (text) window.__said.push(text);
            }).observe(document.getElementById('announcer'), {childList: true, subtree: true,
                                                               characterData: true});
        }"""
    )


def said(page: Page) -> list[str]:
    return page.evaluate("() => window.__said")


@pytest.fixture(scope="module")
def seminar(browser: Browser, site: Site) -> Iterator[Seminar]:
    """Three seated leads in a running session with the missiles inject fired."""
    fac = sign_in(browser, site, width=1440, height=1000)
    game = site.new_session("Keyboard seminar")
    open_console(fac, site, game["id"])
    players = {}
    for name in ("Aiko", "Min-jun", "Sam"):
        page = join(browser, site, game["join_code"], name)
        players[delegation_of(page)] = page
    command(fac, "session.start")
    expect(fac.locator("#row-nk-vice-ministers-tokyo")).to_have_attribute("data-status", "fired")
    yield Seminar(fac, players, game["id"], game["join_code"])
    for page in [fac, *players.values()]:
        assert page.problems == [], page.problems  # type: ignore[attr-defined]
        page.context.close()


def test_a_keyboard_only_student_joins_reads_posts_and_endorses(
    browser: Browser, site: Site
) -> None:
    """Can a student who uses only the keyboard join, read an inject, post and endorse?"""
    game = site.new_session("Keyboard only")
    fac = sign_in(browser, site, width=1440, height=1000)
    open_console(fac, site, game["id"])
    student = new_page(browser)
    student.goto(f"{site.url}/join?code={game['join_code']}")
    tab_to(student, "#join-name")
    student.keyboard.type("Keyboard Kim")
    student.keyboard.press("Enter")
    student.wait_for_url("**/play**")
    connected(student)
    other = join(browser, site, game["join_code"], "Mouse Mo")
    command(fac, "session.start")
    expect(fac.locator("#row-nk-vice-ministers-tokyo")).to_have_attribute("data-status", "fired")

    tab_to(student, "#tab-briefing")
    student.keyboard.press("ArrowRight")  # Injects
    expect(student.locator("#panel-injects")).to_be_visible()
    expect(student.locator("#panel-injects .inject-title").first).to_be_visible()
    student.keyboard.press("ArrowRight")  # Channels
    tab_to(student, "#panel-channels-composer")
    student.keyboard.type("Kim here: we should agree a line first.")
    student.keyboard.press("Enter")
    expect(other.locator("#panel-channels .message-text, #notices").first).to_be_attached()
    tab(other, "Channels")
    expect(other.locator("#panel-channels .message-text").last).to_have_text(
        "Kim here: we should agree a line first."
    )

    tab(other, "Negotiation")
    section = other.locator("#work-nk-vice-ministers-tokyo")
    section.locator(".table-proposal summary").click()
    section.get_by_label("Proposed joint text").fill("A trilateral line.")
    section.get_by_role("button", name="Table proposal").click()
    proposal = section.locator(".proposal").first.get_attribute("data-proposal-id")

    tab_to(student, "#tab-channels")
    student.keyboard.press("ArrowRight")  # Negotiation
    expect(student.locator(f"#proposal-{proposal}")).to_be_visible()
    tab_to(student, f"#proposal-{proposal} .button-row button.primary")
    student.keyboard.press("Enter")
    mine = delegation_of(student)
    stance = student.locator(f"#proposal-{proposal} .stance[data-delegation='{mine}']")
    expect(stance).to_contain_text("Endorsed v1")
    assert focused(student) == f"proposal-{proposal}"
    for page in (student, other, fac):
        assert page.problems == [], page.problems  # type: ignore[attr-defined]
        page.context.close()


def test_focus_lands_on_the_work_after_each_negotiation_action(seminar: Seminar) -> None:
    """After Table, Amend, Reserve, Reject, Endorse and Send, is focus somewhere sensible
    (the section, the proposal's card, the message box), never the page body?"""
    jpn, kor = seminar.players["JPN"], seminar.players["KOR"]
    tab(jpn, "Negotiation")
    section = jpn.locator("#work-nk-vice-ministers-tokyo")
    section.locator(".table-proposal summary").click()
    section.get_by_label("Proposed joint text").fill("Focus test text.")
    section.get_by_role("button", name="Table proposal").click()
    expect(section.locator(".proposal")).not_to_have_count(0)
    assert focused(jpn) == "work-nk-vice-ministers-tokyo"
    proposal = section.locator(".proposal").first.get_attribute("data-proposal-id")
    card_id = f"proposal-{proposal}"
    card = jpn.locator(f"#{card_id}")

    card.get_by_role("button", name="Amend…").click()
    card.get_by_label("Amended text").fill("Focus test text, amended.")
    card.get_by_role("button", name="Table amendment").click()
    expect(card).to_contain_text("version 2")
    assert focused(jpn) == card_id

    card.get_by_role("button", name="Reserve…").click()
    card.locator("textarea[id^=reason]").fill("Checking with Tokyo.")
    card.get_by_role("button", name="Reserve on v2").click()
    expect(card.locator(".stance[data-delegation='JPN']")).to_contain_text("Reserved v2")
    assert focused(jpn) == card_id

    card.get_by_role("button", name="Endorse v2").click()
    expect(card.locator(".stance[data-delegation='JPN']")).to_contain_text("Endorsed v2")
    assert focused(jpn) == card_id

    tab(kor, "Negotiation")
    kcard = kor.locator(f"#{card_id}")
    kcard.get_by_role("button", name="Reject…").click()
    kcard.locator("textarea[id^=reason]").fill("Not yet.")
    kcard.get_by_role("button", name="Reject v2").click()
    expect(kcard.locator(".stance[data-delegation='KOR']")).to_contain_text("Rejected v2")
    assert focused(kor) == card_id

    tab(jpn, "Channels")
    jpn.locator("#panel-channels .channel-button[data-channel='plenary']").click()
    jpn.locator("#panel-channels-composer").fill("Sent with the button.")
    jpn.locator("#panel-channels .composer").get_by_role("button", name="Send").click()
    expect(jpn.locator("#panel-channels .message-text").last).to_have_text("Sent with the button.")
    assert focused(jpn) == "panel-channels-composer"


def test_live_region_announces_injects_messages_proposals_and_adoptions(
    seminar: Seminar,
) -> None:
    """Does the polite live region outside the tab panels announce a new inject, a message in
    another channel, a new proposal and an adoption — and not a channel's history on switching?"""
    jpn, kor, usa = (seminar.players[c] for c in ("JPN", "KOR", "USA"))
    region = kor.locator("#announcer")
    assert region.get_attribute("aria-live") == "polite"
    assert region.evaluate("node => !node.closest('[role=tabpanel]')")
    assert kor.locator("#panel-channels .messages").get_attribute("aria-live") is None
    tab(kor, "Briefing")
    listen(kor)

    tab(jpn, "Channels")
    post(jpn, "JPN-KOR", "Seoul, a word before the plenary?")
    expect(region).to_contain_text("New message in")
    seminar.fac.locator("#row-nk-23-missiles").get_by_role("button", name="Fire now").click()
    expect(region).to_contain_text("New inject: Twenty-three missiles")
    tab(usa, "Negotiation")
    section = usa.locator("#work-nk-23-missiles")
    section.locator(".table-proposal summary").click()
    section.get_by_label("Proposed joint text").fill("Condemn and go to the UN.")
    section.get_by_role("button", name="Table and endorse").click()
    expect(region).to_contain_text("New proposal")
    expect(section.locator(".stance[data-delegation='USA']")).to_contain_text("Endorsed v1")
    proposal = section.locator(".proposal").first.get_attribute("data-proposal-id")
    for page in (jpn, kor):
        tab(page, "Negotiation")
        page.locator(f"#proposal-{proposal}").get_by_role("button", name="Endorse v1").click()
    expect(region).to_contain_text(f"Proposal {proposal} adopted")

    tab(kor, "Channels")
    before = len(said(kor))
    kor.locator("#panel-channels .channel-button[data-channel='JPN-KOR']").click()
    kor.locator("#panel-channels .channel-button[data-channel='plenary']").click()
    assert len(said(kor)) == before  # switching channel reads no history aloud


@pytest.mark.parametrize("path", ["play", "console"])
def test_header_and_tabs_scroll_away_at_400_percent_zoom(
    browser: Browser, site: Site, seminar: Seminar, path: str
) -> None:
    """At 400% zoom (320 x 256 CSS px), do the header and tabs stop covering the page?"""
    if path == "play":
        page = join(browser, site, seminar.code, "Zoomed Zoe", width=320, height=256)
        header = page.locator("#app-header")
    else:
        page = new_page(browser, width=320, height=256)
        page.context.add_cookies(seminar.fac.context.cookies())
        open_console(page, site, seminar.session_id)
        header = page.locator(".console-header")
    assert header.evaluate("node => getComputedStyle(node).position") == "static"
    page.mouse.wheel(0, 600)
    page.evaluate("() => window.scrollTo(0, 600)")
    box = header.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 0, box
    page.context.close()


def _luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def focus_ring(page: Page, selector: str) -> tuple[str, float, float]:
    """Tab to a field; its outline's style, width in px, and contrast against what is behind."""
    tab_to(page, selector)
    ring = page.locator(selector).evaluate(
        """node => {
            const style = getComputedStyle(node);
            let behind = node.parentElement, ground = 'rgb(255, 255, 255)';
            for (; behind; behind = behind.parentElement) {
                const colour = getComputedStyle(behind).backgroundColor;
                if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') {
                    ground = colour;
                    break;
                }
            }
            return [style.outlineStyle, parseFloat(style.outlineWidth), style.outlineColor, ground];
        }"""
    )
    kind, width, colour, ground = ring
    light, dark = sorted((_luminance(colour), _luminance(ground)), reverse=True)
    return kind, width, (light + 0.05) / (dark + 0.05)


def test_text_fields_show_a_visible_focus_ring(
    browser: Browser, site: Site, seminar: Seminar
) -> None:
    """Reached with Tab, does each kind of text field show a solid ring of at least 2 px and
    3:1 against the page behind it (WCAG 2.4.7, 1.4.11)?"""
    visitor = new_page(browser)
    visitor.goto(f"{site.url}/join")
    rings = {"join name": focus_ring(visitor, "#join-name")}
    visitor.context.close()
    jpn = seminar.players["JPN"]
    tab(jpn, "Channels")
    rings["message box"] = focus_ring(jpn, "#panel-channels-composer")
    for where, (kind, width, contrast) in rings.items():
        assert kind == "solid" and width >= 2 and contrast >= 3, (where, kind, width, contrast)
