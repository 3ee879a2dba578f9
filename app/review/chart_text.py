"""Each review chart said in words (WCAG 1.1.1 and 1.4.1): what a sighted reader takes from the
picture, without colour. Shown beside the chart on the review page and in the HTML report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

_LANES = {
    "inject": "injects",
    "proposal": "proposals",
    "version": "amendments",
    "position": "positions",
    "adoption": "adoptions",
    "statement": "statements",
    "ruling": "rulings",
}


def _minutes(seconds: float | None) -> str:
    return f"{(seconds or 0.0) / 60:.1f}"


def _count(n: int, word: str) -> str:
    return f"{n} {word if n != 1 else word.rstrip('s')}"


def timeline_text(review: Any) -> str:
    items = [i for i in review.timeline if i["play_seconds"] is not None]
    if not items:
        return "The session never started."
    counts = Counter(i["category"] for i in items)
    parts = [_count(counts[key], word) for key, word in _LANES.items() if counts[key]]
    end = _minutes(items[-1]["play_seconds"])
    return (
        f"Over {end} minutes of play: {', '.join(parts) or 'no negotiation event'}. "
        "Every event is listed in the Timeline section."
    )


def indicators_text(review: Any) -> str:
    data = review.indicators
    parts = []
    for indicator in data["indicators"]:
        start, final = indicator["start"], data["final"][indicator["id"]]
        changes = len(data["series"][indicator["id"]]) - 1
        move = "unchanged" if start == final else f"{start} to {final}"
        parts.append(f"{indicator['name']} {move} ({_count(changes, 'changes')})")
    return "; ".join(parts) + "." if parts else "The scenario has no indicator."


def delegations_text(review: Any) -> str:
    rows = review.participation["delegations"]
    return (
        "; ".join(
            f"{row['code']}: {_count(row['messages'], 'messages')}, "
            f"{_count(row['proposals'], 'proposals')}, {_count(row['amendments'], 'amendments')}, "
            f"{_count(row['endorsements'], 'endorsements')}, "
            f"{_count(row['rejections'], 'rejections')}, "
            f"{_count(row['reservations'], 'reservations')}"
            for row in rows
        )
        + ". The same figures are in the participation table."
    )


def players_text(review: Any) -> str:
    rows = review.participation["players"]
    if not rows:
        return "No players joined."
    parts = []
    for row in rows:
        actions = sum(
            row[k]
            for k in ("proposals", "amendments", "endorsements", "rejections", "reservations")
        )
        parts.append(
            f"{row['name']} ({row['delegation']}): {_count(row['messages'], 'messages')} "
            f"and {_count(actions, 'negotiation actions')}"
        )
    return "; ".join(parts) + "."


def consensus_text(review: Any) -> str:
    rows = [r for r in review.injects if r["fired"]]
    if not rows:
        return "No inject was fired."
    parts = []
    for row in rows:
        if row["outcome"] == "adopted":
            parts.append(
                f"{row['title']}: joint response after {_minutes(row['consensus_seconds'])} min"
            )
        elif row["outcome"] == "unresolved":
            parts.append(f"{row['title']}: open at the end")
        else:
            parts.append(f"{row['title']}: no consensus")
    return "; ".join(parts) + "."


CHART_TEXT: dict[str, Callable[[Any], str]] = {
    "timeline": timeline_text,
    "indicators": indicators_text,
    "delegations": delegations_text,
    "players": players_text,
    "consensus": consensus_text,
}


def chart_texts(review: Any) -> dict[str, str]:
    """Every chart's summary in words, by chart name."""
    return {name: describe(review) for name, describe in CHART_TEXT.items()}
