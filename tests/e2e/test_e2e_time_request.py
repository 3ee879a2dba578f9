"""A delegation asks the White Cell for more time in one click; the console shows it, gives it."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import Site, command, join, open_console, tab

NK = "nk-23-missiles"


def test_a_time_request_reaches_the_console_which_extends_the_deadline(
    browser: Browser, site: Site, fac: Page
) -> None:
    """Does 'Ask for more time' show on the console's inject, and does one click there extend it?"""
    game = site.new_session("More time")
    student = join(browser, site, game["join_code"], "Aiko")
    code = student.locator("#seat-delegation").inner_text().strip()
    open_console(fac, site, game["id"])
    command(fac, "session.start")
    fac.locator(f"#row-{NK} button", has_text="Fire now").click()

    tab(student, "Injects")
    card = student.locator(f"#inject-{NK}")
    card.get_by_role("button", name="Ask for more time").click()
    expect(card.locator(".time-requested")).to_contain_text("More time asked by Aiko (+5 min)")
    expect(card.get_by_role("button", name="Ask for more time")).to_have_count(0)

    row = fac.locator(f"#row-{NK}")
    expect(row.locator(".time-request-note")).to_contain_text(f"{code} asks for +5 min")
    expect(fac.locator("#notices")).to_contain_text(f"{code} asks for 5 more minutes")
    row.get_by_role("button", name="Give +5 min").click()
    expect(row.locator(".time-request-note")).to_have_count(0)
    expect(card.get_by_role("button", name="Ask for more time")).to_be_visible()
    expect(fac.locator("#notices")).to_contain_text("Deadline extended by 5 min.")
    assert student.problems == []  # type: ignore[attr-defined]
    student.context.close()
