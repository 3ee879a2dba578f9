"""Classroom mode in a real browser: the address students can use, its QR code, and the warning
when only this machine can reach the server."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import axe_violations
from tests.e2e.conftest import running_site
from tests.e2e.helpers import Site, connected, open_console, sign_in


def lan_address() -> str | None:
    """This machine's first LAN address, read as the server reads it (None without a network)."""
    import psutil

    for name, addresses in psutil.net_if_addrs().items():
        stats = psutil.net_if_stats().get(name)
        if stats is not None and not stats.isup:
            continue
        for address in addresses:
            if address.family.name == "AF_INET" and not address.address.startswith(
                ("127.", "169.254.")
            ):
                return address.address
    return None


@pytest.fixture(scope="module")
def lan_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A server started as `make classroom` starts it: HOST=0.0.0.0, no PUBLIC_URL."""
    with running_site(tmp_path_factory.mktemp("e2e-lan"), host="0.0.0.0") as running:
        yield running


@pytest.fixture(scope="module")
def lan_fac(browser: Browser, lan_site: Site) -> Iterator[Page]:
    page = sign_in(browser, lan_site, width=1440, height=1000)
    yield page
    page.context.close()


def test_console_and_projector_show_the_lan_join_link_and_its_qr_code(
    lan_fac: Page, lan_site: Site
) -> None:
    """Serving the LAN, do console and projector show an address students can open, and its QR?"""
    session = lan_site.new_session("Classroom")
    code = session["join_code"]
    address = lan_address()
    # The facilitator's browser is on 127.0.0.1: the page must not tell the room to open that.
    open_console(lan_fac, lan_site, session["id"])
    link = lan_fac.locator("#join-link")
    if address:
        expect(link).to_have_text(
            re.compile(rf"^http://{re.escape(address)}:\d+/join\?code={code}$")
        )
    else:
        expect(link).to_contain_text(f"/join?code={code}")
    expect(lan_fac.locator("#join-qr svg title")).to_have_text(
        f"QR code of {link.inner_text().strip()}"
    )
    expect(lan_fac.locator("#join-qr svg path")).to_have_count(2)
    expect(lan_fac.locator("#reach-warning")).to_have_count(0)

    projector = lan_fac.context.new_page()
    projector.goto(f"{lan_site.url}/projector/{session['id']}")
    connected(projector)
    expect(projector.locator("#proj-lobby")).to_be_visible()
    expect(projector.locator("#proj-join-code")).to_have_text(code)
    if address:
        expect(projector.locator("#proj-join-url")).to_have_text(
            re.compile(rf"^{re.escape(address)}:\d+/join$")
        )
    else:
        expect(projector.locator("#proj-join-url")).to_contain_text("/join")
    expect(projector.locator("#proj-join-qr svg")).to_be_visible()
    expect(projector.locator("#proj-join-qr svg title")).to_have_text(
        f"QR code of {link.inner_text().strip()}"
    )
    projector.close()


def test_the_observer_link_is_a_whole_address_like_the_join_link(
    lan_fac: Page, lan_site: Site
) -> None:
    """Is the console's observer link an address a colleague on the room's network can open
    (the join link's, not a bare path that only works in the facilitator's own browser)?"""
    session = lan_site.new_session("Observer link")
    open_console(lan_fac, lan_site, session["id"])
    base = lan_fac.locator("#join-link").inner_text().strip().split("/join?")[0]
    observer = lan_fac.locator("#observer-link")
    expect(observer).to_have_text(f"{base}/observe?code={session['observer_code']}")
    expect(observer).to_have_attribute("href", f"{base}/observe?code={session['observer_code']}")


def test_the_room_link_opens_the_projector_on_a_computer_nobody_signed_in_on(
    browser: Browser, lan_fac: Page, lan_site: Site
) -> None:
    """The classroom's own PC drives the projector: does the console's room link open the
    projector there, live, with the join code and QR, without a sign-in (and no facilitator
    cookie is left on that PC)?"""
    session = lan_site.new_session("Room PC")
    open_console(lan_fac, lan_site, session["id"])
    href = lan_fac.locator("#room-link").get_attribute("href")
    assert href and "?room=" in href
    room_pc = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    room_pc.goto(lan_site.url + "/projector/" + href.split("/projector/", 1)[1])
    connected(room_pc)
    expect(room_pc.locator("#proj-join-code")).to_have_text(session["join_code"])
    expect(room_pc.locator("#proj-join-qr svg")).to_be_visible()
    assert not [c for c in room_pc.context.cookies() if c["name"] == "session"]
    room_pc.goto(f"{lan_site.url}/console/{session['id']}")
    expect(room_pc).to_have_url(re.compile(r"/signin"))
    room_pc.context.close()


def test_a_loopback_server_warns_the_facilitator(fac: Page, site: Site) -> None:
    """Listening on 127.0.0.1 (the default), does the console say students cannot reach it?"""
    session = site.new_session("Loopback")
    open_console(fac, site, session["id"])
    warning = fac.locator("#reach-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Only this computer")
    expect(warning).to_contain_text("make classroom")
    expect(fac.locator("#join-link")).to_have_text(f"{site.url}/join?code={session['join_code']}")
    expect(fac.locator("#join-qr")).to_have_count(0)  # no QR code of an address the room can't open


def test_the_classroom_server_prints_its_lan_links(lan_site: Site) -> None:
    """Started as `make classroom`, does the server print the join and first-run links on an
    address the room can open (so the facilitator's sign-in cookie belongs to that address)?"""
    printed = lan_site.log.read_text(errors="replace")
    address = lan_address()
    if address is None:
        pytest.skip("this machine has no LAN address")
    assert re.search(rf"http://{re.escape(address)}:\d+/join\b", printed), printed
    assert re.search(rf"http://{re.escape(address)}:\d+/setup\?token=", printed), printed
    listed = printed.split("Students on the same network join at:")[1].split("\n\n")[0]
    assert "127.0.0.1" not in listed, listed


def test_the_classroom_console_and_projector_have_no_axe_violation(
    lan_fac: Page, lan_site: Site
) -> None:
    """With the LAN join link and its QR code shown, do console and projector still pass axe?"""
    session = lan_site.new_session("Classroom axe")
    open_console(lan_fac, lan_site, session["id"])
    expect(lan_fac.locator("#join-qr svg")).to_be_visible()
    found = axe_violations(lan_fac, "classroom console lobby")
    projector = lan_fac.context.new_page()
    projector.goto(f"{lan_site.url}/projector/{session['id']}")
    connected(projector)
    expect(projector.locator("#proj-join-qr svg")).to_be_visible()
    found += axe_violations(projector, "classroom projector lobby")
    projector.close()
    assert found == [], "\n".join(found)
