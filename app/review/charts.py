"""Charts as SVG, drawn on the server with matplotlib (Agg, no display), so the page and the
exported reports show the very same pictures. Text stays text in the SVG (searchable, small)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _matplotlib() -> tuple[Any, Any]:
    """matplotlib, loaded on the first chart (it takes a moment) with the Agg backend."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    matplotlib.rcParams.update(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": "crisis-review",  # stable element ids: the same log, the same file
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return Figure, Patch


def Figure(**kwargs: Any) -> Any:
    # Named like the class it makes, so the chart code reads as plain matplotlib.
    return _matplotlib()[0](**kwargs)


def Patch(**kwargs: Any) -> Any:
    return _matplotlib()[1](**kwargs)


GREY = "#8a8f98"
LANES = [
    ("move", "Moves"),
    ("inject", "Injects"),
    ("proposal", "Proposals"),
    ("version", "Versions"),
    ("position", "Positions"),
    ("adoption", "Adoptions"),
    ("statement", "Statements"),
    ("ruling", "Rulings"),
]
STANCE_COLOURS = {"endorse": "#2e7d32", "reject": "#c62828", "reserve": "#f9a825"}


def _svg(figure: Any, title: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    # Drop the XML prologue so the same text can sit inline in an HTML report.
    text = text[text.index("<svg") :]
    label = title.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    return re.sub(r"<svg ", f'<svg role="img" aria-label="{label}" ', text, count=1)


def _colours(review: Any) -> dict[str, str]:
    return {d.code: d.colour for d in review.scenario.delegations}


def _minutes(seconds: float | None) -> float:
    return (seconds or 0.0) / 60


def _empty(figure: Any, message: str) -> None:
    ax = figure.add_subplot()
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", color=GREY)


def timeline_chart(review: Any) -> str:
    """Every timeline event as a mark in its lane, over minutes of play, with moves and pauses."""
    figure = Figure(figsize=(9, 3.6))
    items = [i for i in review.timeline if i["play_seconds"] is not None]
    if not items:
        _empty(figure, "The session never started.")
        return _svg(figure, "Timeline")
    ax = figure.add_subplot()
    colours = _colours(review)
    lanes = {key: n for n, (key, _label) in enumerate(reversed(LANES))}
    marks: dict[tuple[int, str], set[float]] = {}
    # Marks closer than ~1/800 of the width fall on the same pixel: keep one (a long session
    # stays a small SVG).
    step = max(_minutes(items[-1]["play_seconds"]) / 800, 1e-6)
    for item in items:
        lane = lanes.get(item["category"])
        if lane is None:
            continue
        colour = STANCE_COLOURS.get(item.get("stance") or "")
        colour = colour or colours.get(item.get("delegation") or "", GREY)
        x = round(_minutes(item["play_seconds"]) / step) * step
        marks.setdefault((lane, colour), set()).add(x)
    for (lane, colour), xs in marks.items():  # one line object per lane and colour
        ax.plot(sorted(xs), [lane] * len(xs), "|", ls="none", markersize=14, color=colour)
    facts = review.facts
    for move in facts.moves[1:]:
        ax.axvline(_minutes(facts.play_seconds(move.at)), color=GREY, linewidth=0.8, ls="--")
    for began, _ended in facts.pauses:
        at = _minutes(facts.play_seconds(began))
        ax.plot(at, lanes["move"], "v", color="#555", markersize=6)
    ax.set_yticks(range(len(LANES)), [label for _key, label in reversed(LANES)])
    ax.set_ylim(-0.7, len(LANES) - 0.3)
    ax.set_xlabel("minutes of play (pauses left out)")
    ax.set_xlim(left=0)
    handles = [Patch(color=c, label=code) for code, c in colours.items()]
    handles += [Patch(color=c, label=s) for s, c in STANCE_COLOURS.items()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.set_title("Timeline", loc="left")
    return _svg(figure, "Timeline of the session")


def indicators_chart(review: Any) -> str:
    """Each indicator as a step line over minutes of play."""
    figure = Figure(figsize=(9, 3.4))
    ax = figure.add_subplot()
    data = review.indicators
    end = _minutes(review.summary.get("play_seconds"))
    for indicator in data["indicators"]:
        points = data["series"][indicator["id"]]
        xs = [_minutes(p["play_seconds"]) for p in points] + [max(end, 0.01)]
        ys = [p["value"] for p in points] + [points[-1]["value"]]
        ax.step(xs, ys, where="post", label=indicator["name"], linewidth=1.6)
    low = min((i["min"] for i in data["indicators"]), default=0)
    high = max((i["max"] for i in data["indicators"]), default=100)
    ax.set_ylim(low, high)
    ax.set_xlim(left=0)
    ax.set_xlabel("minutes of play")
    ax.set_ylabel("value")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.set_title("Indicators over time", loc="left")
    return _svg(figure, "Indicators over time")


_BARS = ("messages", "proposals", "amendments", "endorsements", "rejections", "reservations")


def delegations_chart(review: Any) -> str:
    """Grouped bars: each delegation's messages, proposals, amendments and positions."""
    figure = Figure(figsize=(9, 3.2))
    rows = review.participation["delegations"]
    ax = figure.add_subplot()
    width = 0.8 / len(rows)
    colours = _colours(review)
    for n, row in enumerate(rows):
        xs = [k + n * width - 0.4 + width / 2 for k in range(len(_BARS))]
        bars = ax.bar(xs, [row[k] for k in _BARS], width, label=row["code"])
        for bar in bars:
            bar.set_color(colours.get(row["code"], GREY))
        ax.bar_label(bars, fontsize=7, padding=1)
    ax.set_xticks(range(len(_BARS)), list(_BARS))
    ax.yaxis.set_major_locator(_integer_ticks())
    ax.set_ylabel("count")
    ax.legend(frameon=False)
    ax.set_title("Participation per delegation", loc="left")
    return _svg(figure, "Participation per delegation")


def players_chart(review: Any) -> str:
    """Horizontal bars: each player's messages and negotiation actions."""
    rows = review.participation["players"]
    figure = Figure(figsize=(9, max(1.8, 0.32 * len(rows) + 1.0)))
    if not rows:
        _empty(figure, "No players joined.")
        return _svg(figure, "Participation per player")
    ax = figure.add_subplot()
    colours = _colours(review)
    labels = [f"{r['name']} ({r['delegation']})" for r in rows]
    ys = list(range(len(rows)))[::-1]
    actions = [
        r["proposals"] + r["amendments"] + r["endorsements"] + r["rejections"] + r["reservations"]
        for r in rows
    ]
    messages = [r["messages"] for r in rows]
    ax.barh(ys, messages, color=[colours.get(r["delegation"], GREY) for r in rows])
    more = ax.barh(ys, actions, left=messages, color="#cfd3da", hatch="//", edgecolor="#888")
    ax.bar_label(
        more, labels=[str(m + a) for m, a in zip(messages, actions, strict=True)], padding=2
    )
    ax.set_yticks(ys, labels)
    ax.xaxis.set_major_locator(_integer_ticks())
    ax.set_xlabel("messages (coloured) + proposals, amendments and positions (hatched)")
    ax.set_title("Participation per player", loc="left")
    return _svg(figure, "Participation per player")


def consensus_chart(review: Any) -> str:
    """Minutes from each fired inject to its adoption; 'no consensus' bars run to the deadline
    that closed the inject, 'open at the end' bars to the end of play."""
    rows = [r for r in review.injects if r["fired"]]
    figure = Figure(figsize=(9, max(1.8, 0.34 * len(rows) + 1.0)))
    if not rows:
        _empty(figure, "No inject was fired.")
        return _svg(figure, "Time to consensus per inject")
    ax = figure.add_subplot()
    ys = list(range(len(rows)))[::-1]
    labels = [_clip(r["title"], 48) for r in rows]
    end = review.summary.get("play_seconds") or 0.0
    for y, row in zip(ys, rows, strict=True):
        if row["outcome"] == "adopted":
            minutes = _minutes(row["consensus_seconds"])
            ax.barh(y, minutes, color="#2e7d32")
            ax.text(minutes, y, f" {minutes:.1f} min", va="center", fontsize=7)
        else:
            # Until the deadline closed it, or (never closed) until the end of play.
            seconds = row.get("closed_seconds")
            if seconds is None:
                seconds = max(0.0, end - (row["fired_play_seconds"] or 0.0))
            open_for = _minutes(seconds)
            ax.barh(y, open_for, color="#eceff1", hatch="xx", edgecolor="#b0b5bd")
            if row["outcome"] == "unresolved":
                ax.text(open_for, y, " open at the end", va="center", fontsize=7, color="#4b5563")
            else:
                ax.text(open_for, y, " no consensus", va="center", fontsize=7, color="#c62828")
    ax.set_yticks(ys, labels)
    ax.set_xlabel("minutes of play from the inject to the adopted joint response")
    ax.set_title("Time to consensus per inject", loc="left")
    return _svg(figure, "Time to consensus per inject")


def _integer_ticks() -> Any:
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


CHARTS: dict[str, Callable[[Any], str]] = {
    "timeline": timeline_chart,
    "indicators": indicators_chart,
    "delegations": delegations_chart,
    "players": players_chart,
    "consensus": consensus_chart,
}

TITLES = {
    "timeline": "Timeline",
    "indicators": "Indicators over time",
    "delegations": "Participation per delegation",
    "players": "Participation per player",
    "consensus": "Time to consensus per inject",
}
