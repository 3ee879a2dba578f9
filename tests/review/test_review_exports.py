"""Exports: JSON re-imports into an identical review; CSV follows its codebook; the reports
parse; the CLI writes and imports them."""

import csv
import io
import json
import zipfile
from html.parser import HTMLParser

from app.review import review_of
from app.review.codebook import FIELDS
from app.review.exports import export, import_json, load_json
from app.review.review import Review


def _same_review(a: Review, b: Review) -> None:
    assert a.timeline == b.timeline
    assert a.messages == b.messages
    assert a.proposals == b.proposals
    assert a.injects == b.injects
    assert a.participation == b.participation
    assert a.indicators == b.indicators
    assert a.scores == b.scores
    assert a.replayer.view_at(a.log.head_seq) == b.replayer.view_at(b.log.head_seq)


def test_json_export_holds_log_scenario_files_hash_and_metadata(review):
    """Does the JSON export carry every event, the scenario files and hash, and the session?"""
    doc = json.loads(export(review, "json").body)
    assert [e["seq"] for e in doc["events"]] == list(range(1, review.log.head_seq + 1))
    assert doc["scenario"]["hash"] == review.log.scenario_meta["hash"]
    assert set(doc["scenario"]["files"]) == set(review.log.scenario_files)
    assert doc["session"]["title"] == "Seminar"
    fired = next(e for e in doc["events"] if e["type"] == "inject_fired")
    assert "expected_action" in fired["data"]["_white"]


def test_json_reimports_into_a_new_session_with_an_identical_review(review, facilitator):
    """Does importing the JSON create a new session whose review equals the original's?"""
    body = export(review, "json").body
    new_id = import_json(body, facilitator.id)
    assert new_id != review.log.session_id
    _same_review(review, review_of(new_id))


def test_load_json_rebuilds_the_review_without_a_database_row(review):
    """Can the JSON alone rebuild the same review (for researchers without a server)?"""
    _same_review(review, Review(load_json(export(review, "json").body)))


def test_a_tampered_scenario_is_refused(review, facilitator):
    """Is an export whose scenario files no longer match their hash refused?"""
    import pytest

    from app.review.exports import ImportRefused

    doc = json.loads(export(review, "json").body)
    name = next(iter(doc["scenario"]["files"]))
    doc["scenario"]["files"][name] += "\n# edited"
    with pytest.raises(ImportRefused):
        import_json(json.dumps(doc), facilitator.id)


def test_csv_has_one_row_per_event_with_the_codebook_columns(review):
    """Does events.csv have exactly the codebook's columns and one row per event?"""
    archive = zipfile.ZipFile(io.BytesIO(export(review, "csv").body))
    assert set(archive.namelist()) == {"events.csv", "codebook.csv", "codebook.md"}
    rows = list(csv.DictReader(io.StringIO(archive.read("events.csv").decode())))
    codebook = list(csv.DictReader(io.StringIO(archive.read("codebook.csv").decode())))
    assert list(rows[0]) == [entry["column"] for entry in codebook] == FIELDS
    assert [int(r["seq"]) for r in rows] == list(range(1, review.log.head_seq + 1))
    rejection = next(r for r in rows if r["stance"] == "reject")
    assert (rejection["actor_delegation"], rejection["reason"]) == ("USA", "Too soft")
    assert all(entry["meaning"] for entry in codebook)


def test_the_codebook_in_the_docs_lists_every_column():
    """Does docs/review.md explain every CSV column?"""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "review.md").read_text()
    for name in FIELDS:
        assert f"`{name}`" in text


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_html_report_is_self_contained_with_inline_svg_charts(review):
    """Is the HTML report one file with its charts inline and no outside resource?"""
    html = export(review, "html").body.decode()
    parser = _Collect()
    parser.feed(html)
    assert parser.tags.count("svg") == 5
    assert "script" not in parser.tags and "link" not in parser.tags
    assert 'src="http' not in html and 'href="http' not in html.split("<h2>Debrief</h2>")[0]
    text = " ".join(parser.text)
    assert "Time to consensus per inject" in text and "Too soft" in text


def test_markdown_report_has_sections_and_charts(review):
    """Does the Markdown report carry the sections and the five charts as SVG images?"""
    text = export(review, "md").body.decode()
    for heading in ("## Injects", "## Participation", "## Proposals", "## Timeline", "## Debrief"):
        assert heading in text
    assert text.count("](data:image/svg+xml;base64,") == 5


def test_cli_exports_and_imports(app, review, tmp_path, facilitator):
    """Do `flask review export` and `flask review import` round-trip a session?"""
    runner = app.test_cli_runner()
    out = tmp_path / "session.json"
    sid = str(review.log.session_id)
    result = runner.invoke(args=["review", "export", sid, "--format", "json", "--output", out])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["review", "import", str(out)])
    assert result.exit_code == 0, result.output
    new_id = int(result.output.split("session ")[1].split()[0])
    _same_review(review, review_of(new_id))
    for fmt in ("csv", "md", "html"):
        target = tmp_path / f"out.{fmt}"
        result = runner.invoke(args=["review", "export", sid, "--format", fmt, "--output", target])
        assert result.exit_code == 0 and target.stat().st_size > 1000


def test_reports_give_times_in_local_time_with_the_zone(review, monkeypatch):
    """Do the Markdown and HTML reports give the session's times in the server's local time
    with the zone named, one format (issue 10: one time format, the zone in exports)?"""
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        for kind in ("md", "html"):
            text = export(review, kind).body.decode()
            assert "JST, UTC+09:00" in text, kind
    finally:
        monkeypatch.undo()
        time.tzset()
