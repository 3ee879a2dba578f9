"""Signing out everywhere, as a facilitator does it in a browser: the console left open on
another device stops at once and says why."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import running_site
from tests.e2e.helpers import open_console, sign_in


def test_signing_out_on_one_device_stops_the_console_on_another(browser, tmp_path) -> None:
    """A console is open on the projector's laptop; the facilitator presses "Sign out
    everywhere" on their own laptop. Does the open console say so and stop (no reconnection),
    and does reloading it ask for a sign-in?"""
    with running_site(tmp_path) as site:
        session = site.new_session("Signed out")
        projector_laptop = open_console(sign_in(browser, site), site, session["id"])
        own_laptop = sign_in(browser, site)
        own_laptop.get_by_role("button", name="Sign out everywhere").click()
        own_laptop.wait_for_url("**/signin**")

        expect(projector_laptop.locator("#notices")).to_contain_text("You signed out")
        expect(projector_laptop.locator("#conn")).to_have_attribute("data-status", "offline")
        projector_laptop.wait_for_timeout(1500)  # no reconnection behind the notice
        expect(projector_laptop.locator("#conn")).to_have_attribute("data-status", "offline")
        projector_laptop.reload()
        expect(projector_laptop).to_have_url(f"{site.url}/signin?next=/console/{session['id']}")
        for page in (projector_laptop, own_laptop):
            assert page.problems == []  # type: ignore[attr-defined]
            page.context.close()
