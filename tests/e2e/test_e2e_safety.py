"""What users type is text, pages load nothing from elsewhere, and the join page explains
refusals."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, Request, WebSocket, expect

from tests.e2e.helpers import (
    Site,
    command,
    connected,
    join,
    new_page,
    open_console,
    post,
    tab,
)

IMG = "<img src=x onerror=window.__pwned=1>"
SCRIPT = "<script>window.__pwned=1</script>"


def pwned(page: Page) -> bool:
    return page.evaluate("typeof window.__pwned !== 'undefined'")


def test_markup_in_names_and_messages_renders_as_text(
    browser: Browser, site: Site, fac: Page
) -> None:
    """Do a name and texts full of HTML and script show literally and run nothing, anywhere?"""
    game = site.new_session("Markup")
    attacker = join(browser, site, game["join_code"], IMG)
    reader = join(browser, site, game["join_code"], "Reader")
    open_console(fac, site, game["id"])
    tab(attacker, "Channels")
    post(attacker, "plenary", SCRIPT)
    tab(attacker, "Negotiation")
    general = attacker.locator("#work-general")
    command(fac, "session.start")  # no tabling form before the first move (server refuses)
    general.get_by_text("Table a new proposal").click()
    general.get_by_label("Proposed joint text").fill(f"{IMG} and {SCRIPT}")
    general.get_by_role("button", name="Table proposal").click()

    tab(reader, "Channels")
    expect(reader.locator("#panel-channels .message-text")).to_have_text([SCRIPT])
    expect(reader.locator("#panel-channels .message-author")).to_have_text([IMG])
    tab(reader, "Briefing")
    expect(reader.locator(".roster-card")).to_contain_text(IMG)
    tab(reader, "Negotiation")
    expect(reader.locator("#work-general .proposal-text")).to_have_text(f"{IMG} and {SCRIPT}")
    expect(fac.locator("#roster")).to_contain_text(IMG)
    expect(fac.locator("#proposals .proposal-text")).to_have_text(f"{IMG} and {SCRIPT}")
    fac.locator("#monitor .channel-button[data-channel='plenary']").click()
    expect(fac.locator("#monitor .message-text")).to_have_text([SCRIPT])
    for page in (attacker, reader, fac):
        assert page.locator("img[src=x]").count() == 0
        assert not pwned(page)
    for page in (attacker, reader):
        assert page.problems == []  # type: ignore[attr-defined]
        page.context.close()


def test_pages_send_a_csp_and_load_nothing_external(
    browser: Browser, site: Site, fac: Page
) -> None:
    """Does every page come with a Content-Security-Policy, obey it, and fetch only from us?"""
    game = site.new_session("Offline classroom")
    seen: list[str] = []
    policies: dict[str, str] = {}

    def record(request: Request) -> None:
        seen.append(request.url)

    def record_socket(socket: WebSocket) -> None:
        seen.append(socket.url)

    student = new_page(browser)
    pages = [student, fac]
    for page in pages:
        page.on("request", record)
        page.on("websocket", record_socket)
        page.on(
            "response",
            lambda r: (
                policies.__setitem__(r.url, r.headers.get("content-security-policy", ""))
                if r.request.resource_type == "document"
                else None
            ),
        )
    for path in ("/join", "/observe", "/signin"):
        student.goto(site.url + path)
    student.goto(f"{site.url}/join?code={game['join_code']}")
    student.get_by_label("Your name").fill("Careful")
    student.get_by_role("button", name="Take my seat").click()
    student.wait_for_url("**/play**")
    connected(student)
    for name in ("Injects", "Channels", "Negotiation", "Situation"):
        tab(student, name)
    fac.goto(f"{site.url}/console")
    open_console(fac, site, game["id"])
    fac.goto(f"{site.url}/projector/{game['id']}")
    connected(fac)

    host = site.url.split("//", 1)[1]
    outside = [url for url in seen if url.split("//", 1)[-1].split("/", 1)[0] != host]
    assert outside == []
    assert any(url.startswith("ws://") for url in seen)  # Socket.IO upgraded to a WebSocket
    assert len(policies) >= 7
    for url, policy in policies.items():
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
    for page in pages:
        assert page.problems == [], page.problems  # type: ignore[attr-defined]
    student.context.close()


def test_join_page_explains_an_unknown_code(browser: Browser, site: Site) -> None:
    """Does a mistyped code get a message that says what to check?"""
    page = new_page(browser)
    page.goto(f"{site.url}/join")
    page.get_by_label("Session code").fill("QQQQQQ")
    page.get_by_label("Your name").fill("Lost")
    page.get_by_role("button", name="Take my seat").click()
    expect(page.locator("#join-error")).to_contain_text("No session has that code")
    assert page.url.endswith("/join")
    page.context.close()


def test_join_page_explains_a_locked_lobby(browser: Browser, site: Site, fac: Page) -> None:
    """When the facilitator locks the lobby, is a latecomer told so?"""
    game = site.new_session("Locked")
    open_console(fac, site, game["id"])
    fac.get_by_label("Lock the lobby (no new players)").check()
    expect(fac.get_by_text("Lobby locked.")).to_be_visible()
    page = new_page(browser)
    page.goto(f"{site.url}/join?code={game['join_code']}")
    page.get_by_label("Your name").fill("Late")
    page.get_by_role("button", name="Take my seat").click()
    expect(page.locator("#join-error")).to_contain_text("locked")
    page.context.close()


def test_observer_code_opens_a_read_only_projector(browser: Browser, site: Site, fac: Page) -> None:
    """Does the observer code open the projector view, without anything confidential?"""
    game = site.new_session("Observed")
    open_console(fac, site, game["id"])
    command(fac, "session.start")
    fac.locator("#row-kor-domestic-ulleungdo").get_by_role("button", name="Fire now").click()
    expect(fac.locator("#row-kor-domestic-ulleungdo")).to_have_attribute("data-status", "fired")
    page = new_page(browser, width=1920, height=1080)
    page.goto(f"{site.url}/observe?code={game['observer_code']}")
    page.get_by_role("button", name="Open the projector view").click()
    page.wait_for_url("**/projector")
    connected(page)
    expect(page.locator("#proj-move")).to_contain_text("Move 1")
    expect(page.locator("#proj-inject")).to_contain_text("Vice foreign ministers")
    expect(page.locator("body")).not_to_contain_text("Ulleungdo")
    assert page.problems == []  # type: ignore[attr-defined]
    page.context.close()


def test_tabs_answer_the_keyboard(browser: Browser, site: Site) -> None:
    """Can a student move between the tabs with the arrow keys?"""
    game = site.new_session("Keyboard")
    page = join(browser, site, game["join_code"], "Keys")
    page.get_by_role("tab", name="Briefing").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Injects")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tab", name="Injects")).to_be_focused()
    page.keyboard.press("End")
    expect(page.get_by_role("tab", name="Situation")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#panel-situation")).to_be_visible()
    page.context.close()


def test_a_join_link_for_another_session_lets_a_seated_browser_choose(
    browser: Browser, site: Site
) -> None:
    """Does a browser that holds a seat, opening another session's join link, get to join it?"""
    first, second = site.new_session("First"), site.new_session("Second")
    page = join(browser, site, first["join_code"], "Twice")
    page.goto(f"{site.url}/join?code={second['join_code']}")
    expect(page.locator(".seat-note")).to_contain_text("return to Twice (JPN)")
    page.get_by_label("Your name").fill("Twice")
    page.get_by_role("button", name="Take my seat").click()
    page.wait_for_url("**/play**")
    connected(page)
    seat = page.evaluate("JSON.parse(localStorage.getItem('crisis-sim.seat'))")
    assert seat["session_id"] == second["id"]
    assert page.problems == []  # type: ignore[attr-defined]
    page.context.close()
