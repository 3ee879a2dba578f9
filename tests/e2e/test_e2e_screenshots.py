"""The README's screenshots, taken from a real move (UPDATE_SCREENSHOTS=1 rewrites them)."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Browser

from tests.e2e.helpers import Site
from tests.e2e.screenshots import take_screenshots

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_can_be_photographed_mid_move(
    browser: Browser, site: Site, tmp_path: Path
) -> None:
    """Do the join page, the player's tabs, the console, the projector and a phone view all
    render a live move without a script error?"""
    update = os.environ.get("UPDATE_SCREENSHOTS") == "1"
    out = ROOT / "docs" / "screenshots" if update else tmp_path
    shots = take_screenshots(browser, site, out)
    names = {path.stem for path in shots}
    assert {
        "join",
        "player-briefing",
        "player-negotiation",
        "player-channels",
        "console",
        "projector",
        "player-phone",
    } <= names
    assert all(path.stat().st_size > 10_000 for path in shots)
