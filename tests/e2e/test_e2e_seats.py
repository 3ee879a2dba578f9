"""Seats follow people, not browsers: a seat code moves a seat to a second browser; the console
shows who is online and lets the facilitator pass the lead of an offline lead."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import (
    Site,
    connected,
    delegation_of,
    join,
    new_page,
    open_console,
    post,
    tab,
)


def test_a_seat_reclaimed_on_a_second_browser_is_the_same_seat(
    browser: Browser, site: Site, fac: Page
) -> None:
    """With the session code and seat code, does a second browser get the same seat (lead,
    delegation, history), and is the first one told its seat moved?"""
    game = site.new_session("Two devices")
    laptop = join(browser, site, game["join_code"], "Aiko")
    code = delegation_of(laptop)
    expect(laptop.locator("#seat-lead")).to_be_visible()
    tab(laptop, "Channels")
    post(laptop, code, "Notes from the laptop")
    expect(laptop.locator("#panel-channels .message-text")).to_have_text(["Notes from the laptop"])
    tab(laptop, "Briefing")
    seat_code = laptop.locator("#seat-code").inner_text().strip()
    assert len(seat_code.replace("-", "")) == 8

    phone = new_page(browser, width=390, height=844)
    phone.goto(f"{site.url}/join")
    phone.get_by_text("I already have a seat").click()
    phone.locator("#reclaim-join-code").fill(game["join_code"])
    phone.get_by_label("Seat code").fill(seat_code.lower())
    phone.get_by_role("button", name="Move my seat here").click()
    phone.wait_for_url("**/play**")
    connected(phone)
    expect(phone.locator("#seat-name")).to_have_text("Aiko")
    assert delegation_of(phone) == code
    expect(phone.locator("#seat-lead")).to_be_visible()
    tab(phone, "Channels")
    phone.locator(f"#panel-channels .channel-button[data-channel='{code}']").click()
    expect(phone.locator("#panel-channels .message-text")).to_have_text(["Notes from the laptop"])

    banner = laptop.locator("#banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Your seat moved to another device")
    expect(laptop.locator("#conn")).to_have_attribute("data-status", "offline")
    expect(banner.get_by_role("link", name="Use this device instead")).to_be_visible()

    open_console(fac, site, game["id"])
    roster = fac.locator("#roster")
    expect(roster.locator(".roster-player", has_text="Aiko")).to_have_count(1)
    expect(roster.locator(".roster-player", has_text="Aiko").locator(".badge-lead")).to_be_visible()
    post(phone, code, "Now from the phone")
    # The post is asynchronous: wait for it to be shown, as a person would.
    expect(phone.locator("#panel-channels .message .message-text").last).to_have_text(
        "Now from the phone"
    )
    for page in (laptop, phone):
        assert page.problems == []  # type: ignore[attr-defined]
        page.context.close()


def test_presence_shows_in_the_console_and_an_offline_lead_can_be_replaced(
    browser: Browser, site: Site, fac: Page
) -> None:
    """Does the console show players come online and go offline, and pass an offline lead's role?"""
    game = site.new_session("Presence")
    open_console(fac, site, game["id"])
    lead = join(browser, site, game["join_code"], "Aiko")
    code = delegation_of(lead)
    others = [join(browser, site, game["join_code"], n) for n in ("Min-jun", "Sam", "Ren")]
    ren = next(p for p in others if delegation_of(p) == code)
    row = fac.locator("#roster .roster-player", has_text="Aiko")
    expect(row.locator(".presence")).to_have_text("● online")
    expect(fac.locator("#roster .roster-player", has_text="Ren").locator(".presence")).to_have_text(
        "● online"
    )
    tab(ren, "Briefing")
    expect(ren.locator(".roster-card li", has_text="Aiko").locator(".presence")).to_have_text(
        "● online"
    )

    lead.context.close()
    expect(row.locator(".presence")).to_have_text("○ offline")
    group = fac.locator(f"#roster .roster-group[data-delegation='{code}']")
    expect(group.locator(".lead-offline")).to_contain_text("Aiko (lead) is offline")
    expect(ren.locator(".roster-card li", has_text="Aiko").locator(".presence")).to_have_text(
        "○ offline"
    )
    fac.locator("#roster .roster-player", has_text="Ren").get_by_role(
        "button", name="Make lead"
    ).click()
    expect(ren.locator("#seat-lead")).to_be_visible()
    expect(group.locator(".lead-offline")).to_have_count(0)

    ren_row = fac.locator("#roster .roster-player", has_text="Ren")
    ren_row.get_by_role("button", name="Seat code").click()
    shown = ren_row.locator(".seat-code-value").inner_text()
    expect(ren.locator("#seat-code")).to_have_text(shown)
    ren_row.get_by_role("button", name="Reissue").click()
    ren_row.get_by_role("button", name="Confirm: new code (the old one stops working)").click()
    expect(ren_row.locator(".seat-code-value")).not_to_have_text(shown)
    expect(ren.locator("#seat-code")).to_have_text(ren_row.locator(".seat-code-value").inner_text())
    for page in others:
        assert page.problems == []  # type: ignore[attr-defined]
        page.context.close()
