"""Exports handed to researchers stay data: no spreadsheet formula runs from a CSV cell, and no
player's text turns into a link, an image or HTML in the Markdown or HTML report."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from html.parser import HTMLParser
from typing import Any

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from app.review import review_of
from app.review.exports import export, load_json
from app.review.review import Review

HOSTILE_NAMES = ('=HYPERLINK("http://x.example","ok")', "@SUM(1+1)", "+cmd")
FORMULAS = ("=", "+", "-", "@", "\t", "\r", "\0")
MARKUP = (
    "[click](javascript:alert(1)) ![](http://evil.example/pixel.png) "
    '<img src="http://evil.example/a.png"> <script>alert(2)</script> '
    "<http://evil.example/auto> [ref] *bold* `code` ~~gone~~ &#106;s www.evil.example"
)


@pytest.fixture
def hostile(game: Any, fac_token: str, connect: Any, join: Any) -> Review:
    """A session whose players chose formula names and wrote formulas and markup."""
    fac = connect(fac_token, session_id=game.id)
    players = {}
    for name in HOSTILE_NAMES:
        answer = join(game.join_code, name)
        players[answer["player"]["delegation"]] = connect(answer["token"])
    n = iter(range(1, 100))

    def send(client: Any, type_: str, **fields: Any) -> None:
        ack = client.emit("command", {"id": f"c{next(n)}", "type": type_, **fields}, callback=True)
        assert ack["ok"], ack

    send(fac, "session.start")
    send(fac, "inject.fire", inject_id="nk-vice-ministers-tokyo")
    send(players["JPN"], "message.post", channel="plenary", text="=1+1")
    send(players["KOR"], "message.post", channel="plenary", text="-2+3+cmd|' /C calc'!A0")
    send(players["USA"], "message.post", channel="plenary", text=MARKUP)
    send(fac, "indicator.override", indicator="cohesion", value=60, ruling="@SUM(A1:A9)")
    return review_of(game.id)


def _rows(review: Review) -> list[dict[str, str]]:
    archive = zipfile.ZipFile(io.BytesIO(export(review, "csv").body))
    return list(csv.DictReader(io.StringIO(archive.read("events.csv").decode(), newline="")))


def _formula_cells(rows: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [
        (column, cell)
        for row in rows
        for column, cell in row.items()
        if cell.startswith(FORMULAS) and not cell.lstrip("-").replace(".", "").isdigit()
    ]


def test_no_csv_cell_starts_a_formula(hostile):
    """Do names, messages and rulings that begin with = + - @ get a leading quote in the CSV?"""
    rows = _rows(hostile)
    assert _formula_cells(rows) == []
    names = {row["actor_name"] for row in rows}
    assert "'" + HOSTILE_NAMES[0] in names and "'@SUM(1+1)" in names and "'+cmd" in names
    texts = {row["text"] for row in rows}
    assert {"'=1+1", "'-2+3+cmd|' /C calc'!A0", "'@SUM(A1:A9)"} <= texts


def test_negative_numbers_stay_numbers_in_the_csv(hostile):
    """Is a lobby event's negative wall_seconds still a plain number?"""
    lobby = [r["wall_seconds"] for r in _rows(hostile) if r["wall_seconds"].startswith("-")]
    assert lobby and all(float(value) < 0 for value in lobby)


def test_imported_text_with_tab_cr_or_formula_title_is_neutralised(hostile):
    """Does an imported log whose texts begin with a tab, a CR, a NUL or a formula export safely?"""
    doc = json.loads(export(hostile, "json").body)
    for event in doc["events"]:
        if event["type"] == "inject_fired":
            event["data"]["inject"]["title"] = '=WEBSERVICE("http://x.example")'
        if event["type"] == "message_posted":
            event["data"]["text"] = ("\t=1+1", "\r=1+1", "\0=1+1")[event["seq"] % 3]
    rows = _rows(Review(load_json(doc)))
    assert [int(row["seq"]) for row in rows] == [e["seq"] for e in doc["events"]]  # one row each
    assert _formula_cells(rows) == []
    assert {"'\t=1+1", "'\r=1+1", "'\0=1+1"} <= {row["text"] for row in rows}
    assert '\'=WEBSERVICE("http://x.example")' in {row["text"] for row in rows}


def test_the_codebook_says_how_formulas_are_neutralised(hostile):
    """Do codebook.md and docs/review.md tell researchers about the leading quote?"""
    from pathlib import Path

    archive = zipfile.ZipFile(io.BytesIO(export(hostile, "csv").body))
    docs = (Path(__file__).resolve().parents[2] / "docs" / "review.md").read_text()
    for text in (archive.read("codebook.md").decode(), docs):
        assert "single quote (')" in text and "formula" in text


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def _assert_inert(tags: list[tuple[str, dict[str, str | None]]]) -> None:
    for tag, attrs in tags:
        assert tag not in ("script", "iframe", "object", "embed", "link", "a"), (tag, attrs)
        if tag == "img":
            assert (attrs.get("src") or "").startswith("data:image/svg+xml;base64,"), attrs
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)


def test_markdown_report_renders_player_markup_as_text(hostile):
    """Rendered as GitHub renders it, does the Markdown report hold no link, remote image or
    HTML of a player's making, and show their words as written?"""
    markdown = export(hostile, "md").body.decode()
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    _assert_inert(_tags(html))
    assert "[click](javascript:alert(1))" in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "*bold* `code` ~~gone~~ &amp;#106;s www.evil.example" in html


def test_html_report_renders_player_markup_as_text(hostile):
    """Does the HTML report (charts included) hold no tag or link of a player's making?"""
    html = export(hostile, "html").body.decode()
    tags = [(tag, attrs) for tag, attrs in _tags(html) if tag != "a"]  # no <a> at all, below
    _assert_inert(tags)
    assert not [attrs for tag, attrs in _tags(html) if tag == "a"]
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
