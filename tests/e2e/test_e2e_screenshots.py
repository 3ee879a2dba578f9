"""The README's screenshots, taken from a real move (UPDATE_SCREENSHOTS=1 rewrites them)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.e2e.conftest import running_site
from tests.e2e.helpers import Site
from tests.e2e.screenshots import take_screenshots

ROOT = Path(__file__).resolve().parents[2]
# What a classroom's console and projector show (the join link and its QR code), at an address
# reserved for documentation (RFC 5737) rather than this machine's own.
DOCS_URL = "http://192.0.2.10:5000"


@pytest.fixture(scope="module")
def classroom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(tmp_path_factory.mktemp("e2e-screens"), PUBLIC_URL=DOCS_URL) as running:
        yield running


def test_every_page_can_be_photographed_mid_move(
    browser: Browser, classroom: Site, tmp_path: Path
) -> None:
    """Do the projector's lobby, the join page, the player's tabs, the console, the projector
    and a phone view all render a live move without a script error?"""
    update = os.environ.get("UPDATE_SCREENSHOTS") == "1"
    out = ROOT / "docs" / "screenshots" if update else tmp_path
    shots = take_screenshots(browser, classroom, out)
    names = {path.stem for path in shots}
    assert {
        "projector-lobby",
        "join",
        "player-briefing",
        "player-negotiation",
        "player-channels",
        "console",
        "projector",
        "player-phone",
    } <= names
    assert all(path.stat().st_size > 10_000 for path in shots)
