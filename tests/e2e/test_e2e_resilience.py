"""Reloads, dropped networks and seat changes: the page comes back to the same place, with every
event once."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import (
    Site,
    command,
    connected,
    delegation_of,
    join,
    messages,
    open_console,
    post,
    tab,
)


def plenary(page: Page) -> list[str]:
    page.locator("#panel-channels .channel-button[data-channel='plenary']").click()
    return messages(page)


def test_reload_returns_to_the_same_seat_with_history(browser: Browser, site: Site) -> None:
    """After a reload, is the student in the same seat, with each message once, on the same tab?"""
    game = site.new_session("Reload")
    page = join(browser, site, game["join_code"], "Aiko")
    seat = (delegation_of(page), page.locator("#seat-name").inner_text())
    tab(page, "Channels")
    post(page, "plenary", "First words")
    post(page, seat[0], "Between us")
    expect(page.locator("#panel-channels .message-text")).to_have_text(["Between us"])
    page.locator("#panel-channels .channel-button[data-channel='plenary']").click()
    page.locator("#panel-channels-composer").fill("Half a thought")  # not sent
    page.reload()
    connected(page)
    expect(page.locator("#panel-channels-composer")).to_have_value("Half a thought")
    assert (delegation_of(page), page.locator("#seat-name").inner_text()) == seat
    expect(page.get_by_role("tab", name="Channels")).to_have_attribute("aria-selected", "true")
    assert plenary(page) == ["First words"]
    page.locator(f"#panel-channels .channel-button[data-channel='{seat[0]}']").click()
    assert messages(page) == ["Between us"]
    page.goto(f"{site.url}/join")  # a returning browser goes straight back to its seat
    page.wait_for_url("**/play**")
    connected(page)
    assert page.locator("#seat-name").inner_text() == seat[1]
    assert page.problems == []  # type: ignore[attr-defined]
    page.context.close()


def test_missed_events_arrive_once_after_the_network_returns(browser: Browser, site: Site) -> None:
    """Does a student cut off from the network get every message posted meanwhile, exactly once?"""
    game = site.new_session("Offline")
    away = join(browser, site, game["join_code"], "Away")
    here = join(browser, site, game["join_code"], "Here")
    tab(away, "Channels")
    tab(here, "Channels")
    post(here, "plenary", "Before the cut")
    expect(away.locator("#panel-channels .message-text")).to_have_text(["Before the cut"])
    away.context.set_offline(True)
    expect(away.locator("#conn")).to_have_attribute("data-status", "offline")
    missed = [f"Missed {n}" for n in range(1, 4)]
    for text in missed:
        post(here, "plenary", text)
    expect(here.locator("#panel-channels .message-text")).to_have_count(4)
    assert messages(away) == ["Before the cut"]
    away.context.set_offline(False)
    connected(away)
    expect(away.locator("#panel-channels .message-text")).to_have_text(["Before the cut", *missed])
    post(here, "plenary", "After the return")  # a live event after the resync
    expect(away.locator("#panel-channels .message-text")).to_have_count(5)
    assert messages(away) == ["Before the cut", *missed, "After the return"]
    for page in (away, here):
        assert [p for p in page.problems if "ERR_INTERNET_DISCONNECTED" not in p] == []  # type: ignore[attr-defined]
        page.context.close()


def test_a_message_written_offline_is_sent_once_on_reconnect(browser: Browser, site: Site) -> None:
    """Is a message sent while offline shown as waiting, then delivered once when back online?"""
    game = site.new_session("Outbox")
    writer = join(browser, site, game["join_code"], "Writer")
    reader = join(browser, site, game["join_code"], "Reader")
    tab(writer, "Channels")
    tab(reader, "Channels")
    writer.context.set_offline(True)
    expect(writer.locator("#conn")).to_have_attribute("data-status", "offline")
    post(writer, "plenary", "Written on the train")
    expect(writer.locator("#outbox .outbox-item")).to_contain_text("Waiting to send")
    writer.context.set_offline(False)
    connected(writer)
    expect(writer.locator("#outbox .outbox-item")).to_have_count(0)
    expect(reader.locator("#panel-channels .message-text")).to_have_text(["Written on the train"])
    expect(writer.locator("#panel-channels .message-text")).to_have_text(["Written on the train"])
    for page in (writer, reader):
        page.context.close()


def test_a_moved_student_follows_their_new_seat(browser: Browser, site: Site, fac: Page) -> None:
    """When the facilitator moves a student, does their page switch delegation and channels?"""
    game = site.new_session("Seat move")
    student = join(browser, site, game["join_code"], "Mover")
    assert delegation_of(student) == "JPN"
    open_console(fac, site, game["id"])
    player = fac.locator(".roster-player", has_text="Mover")
    player.get_by_label("Move Mover to").select_option("USA")
    player.get_by_role("button", name="Move", exact=True).click()
    expect(student.locator("#seat-delegation")).to_have_text("USA")
    connected(student)
    tab(student, "Channels")
    expect(student.locator("#panel-channels .channel-button[data-channel='USA']")).to_be_visible()
    expect(student.locator("#panel-channels .channel-button[data-channel='JPN']")).to_have_count(0)
    command(fac, "session.start")
    expect(fac.locator("#session-state")).to_have_text("Running")
    assert student.problems == []  # type: ignore[attr-defined]
    student.context.close()


def test_a_removed_student_is_told_and_can_join_again(
    browser: Browser, site: Site, fac: Page
) -> None:
    """When the facilitator removes a student, does their page say so and offer to rejoin?"""
    game = site.new_session("Removal")
    student = join(browser, site, game["join_code"], "Leaving")
    open_console(fac, site, game["id"])
    player = fac.locator(".roster-player", has_text="Leaving")
    player.get_by_role("button", name="Remove").click()
    player.get_by_role("button", name="Confirm: remove Leaving").click()
    expect(student.locator("#banner")).to_contain_text("removed")
    student.locator("#banner").get_by_role("link", name="Join again").click()
    student.wait_for_url("**/join?new=1")
    assert student.evaluate("localStorage.getItem('crisis-sim.seat')") is None
    student.context.close()


def test_everyone_sees_the_session_end(browser: Browser, site: Site, fac: Page) -> None:
    """When the facilitator ends the session, do the student and the console both show it?"""
    game = site.new_session("The end")
    student = join(browser, site, game["join_code"], "Last")
    open_console(fac, site, game["id"])
    command(fac, "session.start")
    expect(fac.locator("#session-state")).to_have_text("Running")
    command(fac, "session.end")  # the first click asks for confirmation
    fac.get_by_role("button", name="Confirm: end for everyone").click()
    expect(fac.locator("#session-state")).to_have_text("Ended")
    expect(student.locator("#banner")).to_contain_text("This session has ended")
    expect(student.locator("#move-time")).to_contain_text("ended")
    assert student.problems == []  # type: ignore[attr-defined]
    student.context.close()
