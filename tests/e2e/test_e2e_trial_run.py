"""What confused the trial run, checked as a user sees it: the projector, the announcements,
the negotiation states, the console's lobby, the message box, the picker, exports and notes."""

from __future__ import annotations

import re
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
    new_page,
    open_console,
    post,
    sign_in,
    tab,
)

LONG = (
    "Japan, the Republic of Korea and the United States will respond to a seventh nuclear test "
    "with new sanctions designations, the deployment of US strategic assets and combined drills, "
    "and will seek action in the UN Security Council without delay."
)


@dataclass
class Room:
    fac: Page
    players: dict[str, Page]
    session_id: int
    code: str


def table(page: Page, inject_id: str, text: str, options: list[str], button: str) -> str:
    tab(page, "Negotiation")
    section = page.locator(f"#work-{inject_id}")
    section.locator(".table-proposal summary").click()
    section.get_by_label("Proposed joint text").fill(text)
    for option in options:
        page.locator(f"#table-{inject_id}-{option}").check()
    before = section.locator(".proposal").count()
    section.get_by_role("button", name=button, exact=True).click()
    expect(section.locator(".proposal")).to_have_count(before + 1)
    return section.locator(".proposal").first.get_attribute("data-proposal-id") or ""


def endorse(page: Page, proposal_id: str) -> None:
    tab(page, "Negotiation")
    page.locator(f"#proposal-{proposal_id}").get_by_role("button", name="Endorse v1").click()
    expect(page.locator(f"#proposal-{proposal_id} .stance-endorse").first).to_be_visible()


def listen(page: Page) -> None:
    """Start recording every text the page's announcer and notices say from now on."""
    page.evaluate(
        """() => {
            window.__said = [];
            const record = (mutations) => mutations.forEach((m) => m.addedNodes.forEach((n) => {
                if (n.textContent) window.__said.push(n.textContent);
            }));
            const observer = new MutationObserver(record);
            for (const id of ["announcer", "notices"]) {
                const node = document.getElementById(id);
                if (node) observer.observe(node, {childList: true, subtree: true});
            }
        }"""
    )


def heard(page: Page) -> list[str]:
    return page.evaluate("() => window.__said")


@pytest.fixture(scope="module")
def room(browser: Browser, site: Site) -> Iterator[Room]:
    """A running session with three seated leads, the move's first two injects fired."""
    fac = sign_in(browser, site, width=1440, height=1000, timezone_id="Asia/Tokyo")
    game = site.new_session("Trial run — Group A")
    open_console(fac, site, game["id"])
    players = {}
    for name in ("Aiko", "Min-jun", "Sam"):
        page = join(browser, site, game["join_code"], name)
        players[delegation_of(page)] = page
    command(fac, "session.start")
    expect(fac.locator("#row-nk-vice-ministers-tokyo")).to_have_attribute("data-status", "fired")
    fac.locator("#row-nk-23-missiles").get_by_role("button", name="Fire now").click()
    expect(fac.locator("#row-nk-23-missiles")).to_have_attribute("data-status", "fired")
    yield Room(fac, players, game["id"], game["join_code"])
    for page in [fac, *players.values()]:
        assert page.problems == [], page.problems  # type: ignore[attr-defined]
        page.context.close()


@pytest.fixture(scope="module")
def adopted(room: Room) -> str:
    """USA tables with 'Table and endorse' a response to the missiles; Japan and Korea endorse."""
    proposal = table(
        room.players["USA"],
        "nk-23-missiles",
        "Condemn and go to the UN.",
        ["nk23-condemn-and-un"],
        "Table and endorse",
    )
    expect(
        room.players["USA"].locator(f"#proposal-{proposal} .stance[data-delegation='USA']")
    ).to_contain_text("Endorsed v1")
    endorse(room.players["JPN"], proposal)
    endorse(room.players["KOR"], proposal)
    expect(room.players["JPN"].locator(f"#proposal-{proposal} .status")).to_have_text("Adopted")
    return proposal


@pytest.fixture(scope="module")
def rejected(room: Room) -> str:
    """Japan tables a long text on the vice-ministers' inject; Korea's lead rejects it."""
    jpn, kor = room.players["JPN"], room.players["KOR"]
    proposal = table(
        jpn, "nk-vice-ministers-tokyo", LONG, ["vm-response-package"], "Table proposal"
    )
    tab(kor, "Negotiation")
    card = kor.locator(f"#proposal-{proposal}")
    card.get_by_role("button", name="Reject…").click()
    card.locator("textarea[id^=reason]").fill("Too strong for Seoul.")
    card.locator(".inline-form button[type=submit]").first.click()
    expect(card.locator(".stance-reject")).to_be_visible()
    return proposal


def assert_fits_one_screen(projector: Page) -> None:
    """Neither the page nor any card of the projector scrolls."""
    overflow = projector.evaluate(
        """() => ({
            page: document.documentElement.scrollHeight - window.innerHeight,
            cards: [...document.querySelectorAll('.proj-card')]
                .map((c) => c.scrollHeight - c.clientHeight),
        })"""
    )
    assert overflow["page"] <= 0, overflow
    assert max(overflow["cards"]) <= 1, overflow


def test_fire_now_is_disabled_in_the_lobby_with_the_reason(browser: Browser, site: Site) -> None:
    """In the lobby, are 'Fire now' and 'Send inject now' disabled with the reason given, and
    does a student see no 'Table a new proposal' the server would refuse?"""
    fac = sign_in(browser, site, width=1440, height=1000)
    game = site.new_session("Lobby check")
    open_console(fac, site, game["id"])
    fire = fac.locator("#row-nk-23-missiles").get_by_role("button", name="Fire now")
    expect(fire).to_be_disabled()
    expect(fac.locator("#timeline-lobby-note")).to_contain_text("start move 1")
    fac.get_by_text("Write an inject").click()
    expect(fac.get_by_role("button", name="Send inject now")).to_be_disabled()
    student = join(browser, site, game["join_code"], "Early Eve")
    tab(student, "Negotiation")
    expect(student.locator("#work-general .table-proposal")).to_be_hidden()
    command(fac, "session.start")
    expect(fire).to_be_enabled()
    expect(fac.get_by_role("button", name="Send inject now")).to_be_enabled()
    expect(fac.locator("#timeline-lobby-note")).to_have_count(0)
    expect(student.locator("#work-general .table-proposal")).to_be_visible()
    for page in (fac, student):
        assert page.problems == [], page.problems  # type: ignore[attr-defined]
        page.context.close()


def test_scenario_picker_shows_title_moves_and_duration(browser: Browser, site: Site) -> None:
    """Does the scenario picker name each scenario in full with its moves and minutes?"""
    site.new_session("Picker")  # a session in the list, whatever ran before
    fac = sign_in(browser, site, width=1440, height=1000)
    option = fac.locator("#create-scenario option[value='trilateral-2023']")
    assert re.search(r"\d+ moves · \d+ min", option.inner_text())
    # Other tests of the shared server add scenarios of their own: pick this one, as a person would.
    fac.locator("#create-scenario").select_option("trilateral-2023")
    facts = fac.locator("#scenario-facts")
    expect(facts).to_contain_text(re.compile(r"\d+ moves, \d+ minutes of play"))
    title = option.inner_text().split(" · ")[0]
    expect(facts).to_contain_text(title)
    assert "UTC" not in fac.locator(".sessions").inner_text()  # local time, like every page
    fac.context.close()


def test_scenario_picker_says_the_minutes_of_the_chosen_track(browser: Browser, site: Site) -> None:
    """Choosing the 90-minute track, does the line under the picker say 90 minutes of play (not
    the whole scenario's length), and the whole scenario's again when chosen back?"""
    fac = sign_in(browser, site, width=1440, height=1000)
    fac.locator("#create-scenario").select_option("trilateral-2023")
    facts = fac.locator("#scenario-facts")
    whole = facts.inner_text()
    # Copies of this scenario made by other tests of the shared server have tracks of the same
    # name, hidden and disabled while this one is chosen: pick this scenario's, as a person sees.
    options = fac.locator("#create-track option")

    def track_option(label: str) -> int:
        return next(
            i
            for i in range(options.count())
            if options.nth(i).get_attribute("data-scenario") == "trilateral-2023"
            and (options.nth(i).text_content() or "").strip() == label
        )

    fac.locator("#create-track").select_option(index=track_option("90-minute seminar"))
    expect(facts).to_contain_text("90-minute seminar: 4 moves, 90 minutes of play")
    whole_label = "Whole scenario (every inject, as written)"
    fac.locator("#create-track").select_option(index=track_option(whole_label))
    expect(facts).to_have_text(whole)
    assert fac.problems == [], fac.problems  # type: ignore[attr-defined]
    fac.context.close()


def test_message_box_says_who_will_read_it(room: Room) -> None:
    """Does the message box say which delegations read the channel it posts to?"""
    jpn = room.players["JPN"]
    tab(jpn, "Channels")
    jpn.locator("#panel-channels .channel-button[data-channel='JPN-KOR']").click()
    audience = jpn.locator("#panel-channels-audience")
    expect(audience).to_have_text(
        "Read by the Japan and Republic of Korea delegations and the White Cell."
    )
    jpn.locator("#panel-channels .channel-button[data-channel='JPN']").click()
    expect(audience).to_have_text("Read by Japan's delegation and the White Cell only.")
    described = jpn.locator("#panel-channels-composer").get_attribute("aria-describedby")
    assert described == "panel-channels-audience"


def test_deadline_extension_is_not_announced_as_a_new_inject(room: Room) -> None:
    """Does extending a deadline say so, instead of announcing the old inject as new?"""
    jpn = room.players["JPN"]
    tab(jpn, "Channels")  # the inject is still unseen on the Injects tab
    listen(jpn)
    row = room.fac.locator("#row-nk-vice-ministers-tokyo")
    row.get_by_role("button", name="Extend").click()
    expect(jpn.locator("#announcer")).to_contain_text("Deadline extended")
    said = heard(jpn)
    assert any("Deadline extended" in text for text in said), said
    assert not any("New inject" in text for text in said), said


def test_table_and_endorse_records_the_tabling_lead(room: Room, adopted: str) -> None:
    """Does 'Table and endorse' record the tabling delegation's endorsement in one step?"""
    stance = room.players["JPN"].locator(f"#proposal-{adopted} .stance[data-delegation='USA']")
    expect(stance).to_contain_text("Endorsed v1")


def test_rejected_proposal_no_longer_reads_open(room: Room, rejected: str) -> None:
    """After a lead rejects a version, does it read 'Rejected by …' without Endorse for others,
    and do the states each have a one-line explanation?"""
    jpn = room.players["JPN"]
    tab(jpn, "Negotiation")
    mine = jpn.locator(f"#proposal-{rejected}")
    expect(mine.locator(".status")).to_have_text("Rejected by KOR")
    expect(mine.get_by_role("button", name="Endorse v1")).to_be_hidden()
    expect(mine.locator(".reject-note")).to_contain_text("amend it to continue")
    jpn.get_by_text("What the states mean").click()
    legend = jpn.locator(".state-help li")
    expect(legend).to_have_count(5)
    expect(legend.first).to_contain_text("Open:")


def test_only_leads_see_proposals_awaiting_them(room: Room, browser: Browser, site: Site) -> None:
    """Is the 'awaiting your delegation' badge shown to the lead and not to other seats?"""
    second = join(browser, site, room.code, "Kenji")
    mine = delegation_of(second)
    other = next(code for code in room.players if code != mine)
    table(room.players[other], "general", "A general line on the press.", [], "Table proposal")
    lead = room.players[mine]
    expect(lead.locator("#tab-negotiation .tab-badge")).to_be_visible()
    expect(second.locator("#tab-negotiation")).to_be_visible()
    expect(second.locator("#tab-negotiation .tab-badge")).to_be_hidden()
    second.context.close()


def test_adoption_colours_indicators_by_meaning(room: Room, adopted: str) -> None:
    """After an adoption that raises escalation risk, is that rise shown as bad news in words?"""
    jpn = room.players["JPN"]
    tab(jpn, "Situation")
    escalation = jpn.locator(".indicator[data-indicator='escalation'] .delta")
    expect(escalation).to_have_attribute("data-meaning", "bad")
    expect(escalation).to_contain_text("▲1 (worse)")
    cohesion = jpn.locator(".indicator[data-indicator='cohesion'] .delta")
    expect(cohesion).to_have_attribute("data-meaning", "good")


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_projector_fits_one_screen_and_shows_proposal_text(
    room: Room, adopted: str, rejected: str, browser: Browser, site: Site, size: tuple[int, int]
) -> None:
    """After an adoption and with proposals open, does the projector fit one screen without
    cutting a card, and does the board show what each proposal says?"""
    width, height = size
    projector = new_page(browser, width=width, height=height)
    projector.context.add_cookies(room.fac.context.cookies())
    projector.goto(f"{site.url}/projector/{room.session_id}")
    connected(projector)
    expect(projector.locator("#proj-adopted li").first).to_be_visible()
    text = projector.locator(f".board-row[data-proposal-id='{rejected}'] .board-text")
    expect(text).to_contain_text("Japan, the Republic of Korea")
    assert_fits_one_screen(projector)
    projector.context.close()


def test_phone_channel_list_shows_every_channel_and_unread_count(
    room: Room, browser: Browser, site: Site
) -> None:
    """On a 375 px phone, is every channel button (with its unread count) inside the screen?"""
    phone = join(browser, site, room.code, "Sora", width=375, height=812, is_mobile=True)
    delegation = delegation_of(phone)
    other = next(code for code in room.players if code != delegation)
    channel = "-".join(sorted([delegation, other]))
    tab(room.players[other], "Channels")
    post(room.players[other], channel, "Can we talk before the plenary?")
    tab(phone, "Channels")
    buttons = phone.locator("#panel-channels .channel-button")
    assert buttons.count() >= 5
    for index in range(buttons.count()):
        box = buttons.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, box
    unread = phone.locator(f"#panel-channels .channel-button[data-channel='{channel}'] .unread")
    expect(unread).to_be_visible()
    box = unread.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 375
    phone.context.close()


def test_exports_are_named_after_the_session_and_date(room: Room, site: Site) -> None:
    """Is an export file named after the session's title and date, not 'session-1'?"""
    answer = room.fac.context.request.get(f"{site.url}/review/{room.session_id}/export/json")
    disposition = answer.headers["content-disposition"]
    assert re.search(r'filename="trial-run-group-a-\d{4}-\d{2}-\d{2}\.json"', disposition)


def test_review_notes_are_one_form_and_warn_before_leaving(room: Room, site: Site) -> None:
    """Are all review notes saved by one button, and does leaving with unsaved text warn?"""
    fac = room.fac
    fac.goto(f"{site.url}/review/{room.session_id}")
    expect(fac.get_by_role("button", name="Save all notes")).to_have_count(1)
    fields = fac.locator("#notes-form textarea[name^=strengths-]")
    fields.nth(0).fill("Kept the trilateral line")
    fields.nth(1).fill("Seoul consulted early")
    fac.get_by_role("button", name="Save all notes").click()
    fac.wait_for_load_state()
    expect(fields.nth(0)).to_have_value("Kept the trilateral line")
    expect(fields.nth(1)).to_have_value("Seoul consulted early")
    expect(fac.locator("time[data-local]").first).to_contain_text("(Asia/Tokyo)")

    fields.nth(2).press_sequentially("Not saved yet")
    expect(fac.locator("#notes-state")).to_have_text("Unsaved changes")
    asked: list[str] = []
    fac.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    fac.locator(".topnav").get_by_role("link", name="Sessions").click()
    fac.wait_for_url("**/console")
    assert asked == ["beforeunload"]
    open_console(fac, site, room.session_id)


ICBM = "nk-icbm-next-day"


@pytest.fixture(scope="module")
def long_adopted(room: Room) -> tuple[str, list[str]]:
    """The ICBM inject fired by hand; the USA tables a long text with its longest option, Japan
    and Korea endorse. Returns the proposal and what Japan's page said from the firing on."""
    jpn = room.players["JPN"]
    room.fac.locator(f"#row-{ICBM}").get_by_role("button", name="Fire now").click()
    expect(room.fac.locator(f"#row-{ICBM}")).to_have_attribute("data-status", "fired")
    tab(jpn, "Injects")
    expect(jpn.locator(f"#inject-{ICBM}")).to_be_visible()
    listen(jpn)
    proposal = table(
        room.players["USA"],
        ICBM,
        LONG,
        ["icbm-trilateral-deterrence-statement"],
        "Table and endorse",
    )
    endorse(jpn, proposal)
    endorse(room.players["KOR"], proposal)
    expect(jpn.locator(f"#proposal-{proposal} .status")).to_have_text("Adopted")
    expect(jpn.locator("#announcer")).to_contain_text(f"Proposal {proposal} adopted")
    return proposal, heard(jpn)


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_projector_fits_a_long_adopted_response(
    room: Room,
    long_adopted: tuple[str, list[str]],
    browser: Browser,
    site: Site,
    size: tuple[int, int],
) -> None:
    """With a long joint response and a long chosen option adopted, does the projector's
    'Adopted joint responses' card still end inside the screen, without a cut line?"""
    width, height = size
    projector = new_page(browser, width=width, height=height)
    projector.context.add_cookies(room.fac.context.cookies())
    projector.goto(f"{site.url}/projector/{room.session_id}")
    connected(projector)
    newest = projector.locator("#proj-adopted .proj-adopted > li").first
    expect(newest).to_contain_text("Japan, the Republic of Korea")
    assert_fits_one_screen(projector)
    projector.context.close()


def test_an_adoption_and_a_closed_deadline_say_what_changed(
    room: Room, long_adopted: tuple[str, list[str]]
) -> None:
    """Do an adoption and a deadline closed by the White Cell say what changed, and never
    announce an old inject as 'New inject'?"""
    proposal, said = long_adopted
    assert any(f"Proposal {proposal} adopted" in text for text in said), said
    assert not any("New inject" in text for text in said), said
    jpn = room.players["JPN"]
    listen(jpn)
    room.fac.locator("#row-nk-vice-ministers-tokyo").get_by_role(
        "button", name="Close deadline"
    ).click()
    expect(jpn.locator("#announcer")).to_contain_text("Deadline reached")
    said = heard(jpn)
    assert any("closed without a joint response" in text for text in said), said
    assert not any("New inject" in text for text in said), said


def test_the_review_speaks_local_time_and_wears_the_delegations_colours(
    room: Room, rejected: str, browser: Browser, site: Site
) -> None:
    """On the review, is a share link's expiry in the reader's local time with its zone (not
    UTC), and are delegations in the colours the live pages give them?"""
    fac = room.fac
    painted = {
        code: fac.locator(f"#roster .roster-group[data-delegation='{code}']").evaluate(
            "node => getComputedStyle(node).getPropertyValue('--del').trim().toLowerCase()"
        )
        for code in room.players
    }
    fac.goto(f"{site.url}/review/{room.session_id}")
    fac.locator("#share-form").get_by_role("button", name="Create a share link").click()
    fac.wait_for_url("**#share")
    status = fac.locator("#share-status")
    expect(status).to_contain_text("(Asia/Tokyo)")
    assert "UTC" not in status.inner_text()
    flash = fac.locator(".flash").inner_text()
    assert "UTC" not in flash, flash
    for code, colour in painted.items():
        pill = fac.locator(f".rv-pill.d-{code}").first
        expect(pill).to_be_attached()
        background = pill.evaluate("node => getComputedStyle(node).backgroundColor")
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert background == f"rgb({red}, {green}, {blue})", (code, background, colour)

    link = re.search(r"https?://\S+share=[A-Za-z0-9_-]+", flash)
    assert link, flash
    visitor = new_page(browser, timezone_id="Asia/Tokyo")
    visitor.goto(link.group(0))
    expect(visitor.locator("#share-scope")).to_contain_text("(Asia/Tokyo)")
    assert "UTC" not in visitor.locator("#share-scope").inner_text()
    visitor.context.close()
    open_console(fac, site, room.session_id)
