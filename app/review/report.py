"""The after-action report, in Markdown and as one self-contained, print-ready HTML file.

Both carry the same sections and the same charts (inline SVG in HTML, SVG data URIs in
Markdown). The HTML is rendered with Jinja2 directly, not through Flask, so the CLI and the
page produce the same file.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from app.config import BASE_DIR
from app.review.chart_text import chart_texts
from app.review.charts import TITLES
from app.review.facts import clock_label
from app.review.review import Review

OUTCOMES = {
    "adopted": "adopted",
    "no_consensus": "no consensus (deadline)",
    # The session ended before its deadline: nobody failed to agree, they ran out of session.
    "unresolved": "open at the end",
    "not_fired": "not fired",
}


def local_time(moment: datetime | str | None) -> str:
    """A moment in the server's local time with its zone ("2026-12-02 19:03 JST, UTC+09:00"):
    a report is read where the seminar was held, and the server runs in that room."""
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone()
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}, UTC{offset[:3]}:{offset[3:]}"


def minutes(seconds: float | None) -> str:
    """A duration for people: '45 s', '3.5 min', or '—'."""
    if seconds is None:
        return "—"
    return f"{seconds:.0f} s" if seconds < 60 else f"{seconds / 60:.1f} min"


# Every character that can start Markdown (CommonMark and GitHub's extensions) inside a line:
# emphasis, code, links and images, raw HTML and autolinks, entities, tables, strikethrough.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>!|~&])")
# GitHub also links bare addresses ("http://...", "www....", "a@b.example"): an escaped ':',
# '.' or '@' stops that.
_MD_BARE_LINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<=\bwww)(\.)|(?<=\w)(@)(?=\w)")
# What makes a line a heading, quote, list item or setext underline when it starts one.
_MD_LINE_START = re.compile(r"^(\d*)([#>+=.)-])")


def _md(text: Any) -> str:
    """Player text as Markdown that shows it as written: never a link, image, HTML or layout."""
    value = " ".join(("" if text is None else str(text)).split())  # one line, table-safe
    value = _MD_INLINE.sub(r"\\\1", value)
    value = _MD_BARE_LINK.sub(lambda m: "\\" + m.group(m.lastindex or 0), value)
    return _MD_LINE_START.sub(r"\1\\\2", value)


def context(review: Review) -> dict[str, Any]:
    """What both report formats show."""
    log = review.log
    return {
        "review": review,
        "session": log.session,
        "scenario": log.scenario_meta,
        "summary": review.summary,
        "injects": review.injects,
        "participation": review.participation,
        "indicators": review.indicators,
        "scores": review.scores,
        "proposals": review.proposals,
        "timeline": review.timeline,
        "debrief": review.debrief(),
        "notes": {n["subject"]: n for n in log.notes},
        "channels": review.channels(),
        "messages": review.messages,
        "charts": review.all_charts(),
        "chart_titles": TITLES,
        "chart_texts": chart_texts(review),
        "outcomes": OUTCOMES,
        "hot_wash_questions": HOT_WASH,
        "minutes": minutes,
        "clock": clock_label,
        "generated": local_time(datetime.now(UTC)),
        "created": local_time(review.log.session.get("created_at")),
    }


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(BASE_DIR / "templates")),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def html_report(review: Review) -> str:
    """The report as one HTML file: no external file, charts inline, styled for print."""
    return _environment().get_template("review_report.html").render(**context(review))


def markdown_report(review: Review) -> str:
    """The report as Markdown."""
    c = context(review)
    s, summary = c["session"], c["summary"]
    out: list[str] = [f"# After-action report: {_md(s.get('title'))}", ""]
    out += [
        f"- Scenario: {_md(c['scenario'].get('title'))} (version {c['scenario'].get('version')},"
        f" hash `{str(c['scenario'].get('hash', ''))[:12]}`)",
        f"- Session {s.get('id')}, status {summary['status']}, "
        f"created {_md(local_time(s.get('created_at')))}",
        f"- Played: {minutes(summary['play_seconds'])} of play, "
        f"{minutes(summary['paused_seconds'])} paused, {summary['moves_played']} move(s)",
        f"- {summary['players']} players, {summary['messages']} messages, "
        f"{summary['injects_fired']} injects fired, {summary['proposals']} proposals "
        f"({summary['versions']} versions), {summary['adoptions']} adopted, "
        f"{summary['statements']} statements, {summary['rulings']} rulings",
        f"- Report generated {c['generated']}"
        + (" — anonymised: people appear as pseudonyms" if review.anonymised else "")
        + ("; free text withheld" if review.text_withheld else ""),
        "",
        "## Charts",
        "",
    ]
    for name, svg in c["charts"].items():
        data = base64.b64encode(svg.encode()).decode()
        out += [f"![{c['chart_titles'][name]}](data:image/svg+xml;base64,{data})", ""]
        out += [f"*{c['chart_titles'][name]}, in words:* {_md(c['chart_texts'][name])}", ""]
    out += _md_injects(c)
    out += _md_participation(c)
    out += _md_indicators(c)
    out += _md_proposals(c)
    out += ["## Timeline", "", "| seq | clock | what happened |", "| --- | --- | --- |"]
    out += [f"| {i['seq']} | {i['clock']} | {_md(i['text'])} |" for i in c["timeline"]]
    out += [""] + _md_debrief(c) + _md_transcripts(c)
    return "\n".join(out) + "\n"


def _md_injects(c: dict[str, Any]) -> list[str]:
    out = [
        "## Injects",
        "",
        "| inject | fired | first proposal | consensus | versions | outcome |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in c["injects"]:
        fired = clock_label(row.get("fired_play_seconds")) if row["fired"] else "—"
        out.append(
            f"| {_md(row['title'])} | {fired} | {minutes(row['first_proposal_seconds'])} | "
            f"{minutes(row['consensus_seconds'])} | {row['versions']} | "
            f"{OUTCOMES[row['outcome']]} |"
        )
    out.append("")
    for row in c["injects"]:
        if not row["fired"]:
            continue
        out += [f"### {_md(row['title'])}", "", f"Expected action: {_md(row['expected_action'])}"]
        out += ["", "| option | adopted | in statements |", "| --- | --- | --- |"]
        for option in row["menu"]:
            out.append(
                f"| `{option['id']}` {_md(option['text'])} | {'yes' if option['chosen'] else ''}"
                f" | {_md(', '.join(option['statements']))} |"
            )
        out.append("")
    return out


def _md_participation(c: dict[str, Any]) -> list[str]:
    keys = ("messages", "words", "proposals", "amendments", "endorsements", "rejections")
    keys += ("reservations", "statements")
    head = "| " + " | ".join(keys) + " |"
    rule = "| --- " * (len(keys) + 1) + "|"
    out = ["## Participation", "", "| delegation " + head, rule]
    for row in c["participation"]["delegations"]:
        out.append(f"| {row['code']} | " + " | ".join(str(row[k]) for k in keys) + " |")
    white = c["participation"]["white_cell"]
    out.append("| White Cell | " + " | ".join(str(white[k]) for k in keys) + " |")
    out += ["", "| player " + head, rule]
    for row in c["participation"]["players"]:
        name = f"{_md(row['name'])} ({_md(row['delegation'])})"
        out.append(f"| {name} | " + " | ".join(str(row[k]) for k in keys) + " |")
    return out + [""]


def _md_indicators(c: dict[str, Any]) -> list[str]:
    data = c["indicators"]
    out = ["## Indicators", "", "| indicator | start | final |", "| --- | --- | --- |"]
    for indicator in data["indicators"]:
        final = data["final"][indicator["id"]]
        out.append(f"| {_md(indicator['name'])} | {indicator['start']} | {final} |")
    out += ["", "## Objective scores", ""]
    for delegation in c["scores"]:
        out += [f"### {_md(delegation['name'])}: {delegation['total']} points", ""]
        out += [f"- {o['score']:+d}: {_md(o['text'])}" for o in delegation["objectives"]]
        out.append("")
    return out


def _md_proposals(c: dict[str, Any]) -> list[str]:
    out = ["## Proposals", ""]
    for p in c["proposals"]:
        about = _md(p["inject_title"] or "general")
        out += [f"### Proposal {p['id']} ({p['delegation']}, {p['status']}) on {about}", ""]
        for v in p["versions"]:
            options = ", ".join(o["id"] for o in v["options"]) or "none"
            out.append(f"- v{v['n']} {v['clock']} by {_md(v['author'])}: {_md(v['text'])}")
            out.append(f"  options: {options}")
        for step in p["trail"]:
            if step["kind"] in ("endorse", "reject", "reserve"):
                reason = f": {_md(step.get('reason'))}" if step.get("reason") else ""
                who = _md(step["position_of"])
                out.append(f"- {step['clock']} {who} {step['kind']}d v{step['version']}" + reason)
            elif step["kind"] in ("adopted", "withdrawn", "closed"):
                out.append(f"- {step['clock']} {step['kind']}")
        out.append("")
    return out


# The hot wash's three questions, as the review page asks them (app/engine/debrief.py).
HOT_WASH = (
    ("went_well", "What went well"),
    ("to_improve", "What to improve"),
    ("surprised", "What surprised them"),
)


def _md_hot_wash(debrief: dict[str, Any]) -> list[str]:
    """The students' hot-wash answers by question, each with its delegation (never a name)."""
    out = ["### Hot wash", ""]
    answers = debrief["hot_wash"]
    if not answers:
        return out + [
            "No hot wash: students answer on their own devices when the session ends.",
            "",
        ]
    for key, label in HOT_WASH:
        out += [f"#### {label}", ""]
        lines = [f"- {_md(a['delegation'])}: {_md(a[key])}" for a in answers if a.get(key)]
        out += (lines or ["- No answer."]) + [""]
    return out


def _md_debrief(c: dict[str, Any]) -> list[str]:
    debrief = c["debrief"]
    out = ["## Debrief", "", "### Questions", ""]
    out += [f"{n}. {_md(q['text'])}" for n, q in enumerate(debrief["questions"], start=1)]
    out += [""] + _md_hot_wash(debrief)
    out += ["### What actually happened", ""]
    for inject in debrief["injects"]:
        flag = "" if inject["fired"] else " (not fired)"
        out += [f"#### {_md(inject['title'])}{flag}", "", _md(inject["what_happened"] or "—"), ""]
        for source in inject["sources"]:
            out.append(f"- {_md(source['title'])}, {_md(source['publisher'])}, {source['date']}")
        out.append("")
    out += ["### After-action notes (HSEEP)", ""]
    for subject in debrief["subjects"]:
        note = c["notes"].get(subject["id"])
        if not note:
            continue
        label = f"{subject['delegation']}: " if subject["delegation"] else ""
        out += [f"#### {label}{_md(subject['label'])}", ""]
        out += [f"- Strengths: {_md(note['strengths']) or '—'}"]
        out += [f"- Areas for improvement: {_md(note['improvements']) or '—'}", ""]
    return out


def _md_transcripts(c: dict[str, Any]) -> list[str]:
    out = ["## Transcripts", ""]
    for channel in c["channels"]:
        lines = [m for m in c["messages"] if m["channel"] == channel["id"]]
        if not lines:
            continue
        out += [f"### {_md(channel['label'])}", ""]
        out += [f"- {m['clock']} **{_md(m['author'])}**: {_md(m['text'])}" for m in lines]
        out.append("")
    return out
