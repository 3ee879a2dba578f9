"""What the browser tests do again and again: sign in, join, open a tab, post, read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from playwright.sync_api import Browser, BrowserContext, Page, expect

PASSWORD = "correct horse battery"
WAIT_MS = 20_000  # the longest any single expected change may take on a loaded 2-core machine
expect.set_options(timeout=WAIT_MS)


@dataclass
class Site:
    """The server under test, reached over HTTP like any client."""

    url: str
    facilitator: str
    log: Path
    _token: str = field(default="", repr=False)

    def post(self, path: str, body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.post(self.url + path, json=body, headers=headers, timeout=10).json()

    @property
    def token(self) -> str:
        if not self._token:
            answer = self.post(
                "/api/facilitator/token", {"name": self.facilitator, "password": PASSWORD}
            )
            self._token = answer["token"]
        return self._token

    def new_session(self, title: str = "Seminar") -> dict[str, Any]:
        answer = self.post(
            "/api/sessions", {"scenario": "trilateral-2023", "title": title}, self.token
        )
        assert answer["ok"], answer
        return answer["session"]


def new_page(browser: Browser, width: int = 1280, height: int = 900, **options: Any) -> Page:
    """A page in a fresh browser context (its own cookies and localStorage: its own person).
    Script errors and CSP violations are collected in `page.problems`."""
    context: BrowserContext = browser.new_context(
        viewport={"width": width, "height": height}, **options
    )
    context.set_default_timeout(WAIT_MS)
    return watch(context.new_page())


def watch(page: Page) -> Page:
    """Collect the page's script errors and console errors (CSP violations are console errors)
    in `page.problems`."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    page.problems = problems  # type: ignore[attr-defined]
    return page


def connected(page: Page) -> None:
    expect(page.locator("#conn")).to_have_attribute("data-status", "connected", timeout=WAIT_MS)


def join(browser: Browser, site: Site, code: str, name: str, **size: Any) -> Page:
    """A student joins through the join page and lands, connected, on their seat."""
    page = new_page(browser, **size)
    page.goto(f"{site.url}/join")
    page.get_by_label("Session code").fill(code)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Take my seat").click()
    page.wait_for_url("**/play**")
    connected(page)
    return page


def sign_in(browser: Browser, site: Site, **size: Any) -> Page:
    """The facilitator signs in through the sign-in page and lands on the session list."""
    page = new_page(browser, **size)
    page.goto(f"{site.url}/console")
    page.get_by_label("Name").fill(site.facilitator)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/console")
    return page


def open_console(page: Page, site: Site, session_id: int) -> Page:
    page.goto(f"{site.url}/console/{session_id}")
    connected(page)
    return page


def delegation_of(page: Page) -> str:
    return page.locator("#seat-delegation").inner_text().strip()


def tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def post(page: Page, channel: str, text: str, composer: str = "#panel-channels-composer") -> None:
    """Post `text` in `channel` from the channels panel (player) or the monitor (console)."""
    root = "#monitor" if composer.startswith("#monitor") else "#panel-channels"
    page.locator(f"{root} .channel-button[data-channel='{channel}']").click()
    page.locator(composer).fill(text)
    page.locator(composer).press("Enter")


def messages(page: Page, root: str = "#panel-channels") -> list[str]:
    return [t.strip() for t in page.locator(f"{root} .message .message-text").all_inner_texts()]


def command(page: Page, button: str) -> None:
    page.locator(f"#controls [data-command='{button}']").click()
