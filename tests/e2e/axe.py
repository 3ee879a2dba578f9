"""axe-core (installed from npm, never a CDN) run inside a page under test.

The script is evaluated through the DevTools protocol, so the page's Content-Security-Policy
stays as strict as a student's browser sees it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Page, state: str) -> list[str]:
    """The WCAG 2.1 A/AA violations axe finds on the page as it is now, one line per element."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(
        """async (tags) => await window.axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        TAGS,
    )
    lines = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"[{state}] {violation['id']}: {node['target']} — {summary[:300]}")
    return lines
