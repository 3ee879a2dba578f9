"""Anonymisation as people write names: accents, apostrophes, joined and handle forms, CJK names
with honorifics, short parts; pseudonyms by id in structured fields; the session title; words
that merely contain a name part left alone; and the withheld-text variant."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from typing import Any

import pytest

from app.review import review_of
from app.review.exports import export
from app.review.names import NameFinder
from tests.review.conftest import sign_in

# Joined in this order, so seated JPN, KOR, USA, JPN, KOR, USA.
PLAYERS = ("田中 愛子", "Émile Durand", "Sean O'Brien", "Aiko Tanaka", "Key", "Li Wei")
TITLE = "Keio seminar of Professor Yamada"
MESSAGES = {
    "Émile Durand": "愛子さん、どう思いますか？ 田中愛子さんにも聞きます。",
    "Sean O'Brien": "thanks emile, and EMILE DURAND agrees",
    "Aiko Tanaka": "OBrien likes O'Brien's plan; ask Sean",
    "Key": "AikoTanaka, @aiko_tanaka and aiko.tanaka: Keyboard-only users first",
    "Li Wei": "Li says Kei and Keyboard-only stay; Key's point holds; ＡＩＫＯ too",
    "田中 愛子": "Min-jun is not here; ask liwei or Li.",
}
# Words that contain a name part without being one: they must survive anonymisation.
KEPT = ("Keyboard-only", "Kei", "agrees", "likes", "plan", "users")


@pytest.fixture
def named(app: Any, game: Any, fac_token: str, connect: Any, join: Any) -> Any:
    """A session whose players have names in several scripts and forms, all named in messages."""
    from app.extensions import db

    game.title = TITLE
    db.session.commit()
    fac = connect(fac_token, session_id=game.id)
    clients, seats = {}, {}
    for name in PLAYERS:
        answer = join(game.join_code, name)
        clients[name], seats[name] = connect(answer["token"]), answer["player"]
    n = iter(range(1, 1000))

    def send(client: Any, type_: str, **fields: Any) -> None:
        ack = client.emit("command", {"id": f"c{next(n)}", "type": type_, **fields}, callback=True)
        assert ack["ok"], ack

    send(fac, "session.start")
    send(fac, "inject.fire", inject_id="nk-vice-ministers-tokyo")
    for name, text in MESSAGES.items():
        send(clients[name], "message.post", channel="plenary", text=text)
    lead = next(
        name for name in PLAYERS if seats[name]["lead"] and seats[name]["delegation"] == "JPN"
    )
    send(
        clients[lead],
        "proposal.table",
        inject_id="nk-vice-ministers-tokyo",
        text="Émile and Sean draft it",
        options=["vm-ambiguity"],
    )
    send(
        fac, "indicator.override", indicator="cohesion", value=60, ruling="Aiko Tanaka argued well"
    )
    sign_in(app.test_client(), game.owner).post(
        f"/review/{game.id}/notes",
        data={"csrf": "test-csrf", "subject": "session", "strengths": "田中さん and Sean led"},
    )
    game.seats = seats
    return game


def _texts(review: Any) -> dict[str, str]:
    out = {fmt: export(review, fmt).body.decode() for fmt in ("json", "md", "html")}
    archive = zipfile.ZipFile(io.BytesIO(export(review, "csv").body))
    out["events.csv"] = archive.read("events.csv").decode()  # (the codebook is fixed text)
    return out


def _player_texts(review: Any) -> list[str]:
    return [m["text"] for m in review.messages]


FORBIDDEN = [
    "愛子",
    "田中",
    "Émile",
    "emile",
    "Durand",
    "O'Brien",
    "OBrien",
    "Brien",
    "Sean",
    "Aiko",
    "ＡＩＫＯ",
    "Tanaka",
    "aiko_tanaka",
    "Li",
    "liwei",
    "Wei",
    "Key's",
    "Keio",
    "Yamada",
]


def test_no_name_in_any_form_survives_in_any_anonymised_export(named):
    """Are names gone in every spelling (accents, apostrophes, joined, handles, CJK, fullwidth)?"""
    anonymous = review_of(named.id, anonymise=True)
    for where, text in _texts(anonymous).items():
        if where == "json":
            doc = json.loads(text)
            doc.pop("scenario")  # the scenario's own files, unchanged and hashed
            for event in doc["events"]:  # the scenario's texts that events carry a copy of
                event["data"].pop("inject", None)
                event["data"].pop("move", None)
            text = json.dumps(doc, ensure_ascii=False)
        text = re.sub(r"data:image/svg\+xml;base64,[A-Za-z0-9+/=]+", "", text)  # charts (md)
        text = re.sub(r"<[^>]*>", " ", text)  # tags and their attributes (html, svg): <li>
        for name in FORBIDDEN:
            pattern = (
                name if re.search(r"[^\x00-\x7f]", name) else rf"(?<![\w]){re.escape(name)}(?!\w)"
            )
            assert re.search(pattern, text, re.IGNORECASE) is None, f"{name!r} in {where}"


def test_pseudonyms_replace_names_inside_the_texts(named):
    """Does each form of a name become that person's pseudonym, keeping the words around it?"""
    texts = _player_texts(review_of(named.id, anonymise=True))
    assert "JPN-1さん、どう思いますか？ JPN-1さんにも聞きます。" in texts
    assert "thanks KOR-1, and KOR-1 agrees" in texts
    assert "USA-1 likes USA-1's plan; ask USA-1" in texts
    assert "JPN-2, @JPN-2 and JPN-2: Keyboard-only users first" in texts
    assert "USA-2 says Kei and Keyboard-only stay; KOR-2's point holds; JPN-2 too" in texts
    assert "Min-jun is not here; ask USA-2 or USA-2." in texts


def test_a_word_that_contains_a_name_part_is_left_alone(named):
    """Do "Keyboard-only" and "Kei" stay with a player named Key (no "KOR-2board-only")?"""
    texts = " ".join(_player_texts(review_of(named.id, anonymise=True)))
    for word in KEPT:
        assert re.search(rf"(?<!\w){re.escape(word)}(?!\w)", texts), word
    assert "KOR-2board" not in texts


def test_structured_fields_hold_pseudonyms_by_id(named):
    """Do actors, seats and proposal authors carry the pseudonym of their id, never a name?"""
    doc = json.loads(export(review_of(named.id, anonymise=True), "json").body)
    expected = {
        named.seats[name]["id"]: alias
        for name, alias in zip(
            PLAYERS, ("JPN-1", "KOR-1", "USA-1", "JPN-2", "KOR-2", "USA-2"), strict=True
        )
    }
    for event in doc["events"]:
        actor = event["actor"]
        if actor["kind"] == "player":
            assert actor["name"] == expected[actor["id"]]
        if actor["kind"] == "facilitator":
            assert actor["name"] == "Facilitator-1"
        player = event["data"].get("player")
        if player:
            assert player["name"] == expected[player["id"]]
        proposal = event["data"].get("proposal")
        if proposal:
            assert proposal["author"]["name"] == expected[proposal["author"]["id"]]
    assert doc["session"]["owner"] == "Facilitator-1"


def test_the_session_title_is_replaced(named, app):
    """Does the anonymised view, its exports and the page show "Session N", not the title?"""
    anonymous = review_of(named.id, anonymise=True)
    assert anonymous.log.session["title"] == f"Session {named.id}"
    for where, text in _texts(anonymous).items():
        assert TITLE not in text and "Keio" not in text, where
    page = sign_in(app.test_client(), named.owner).get(f"/review/{named.id}?anon=1")
    assert TITLE not in page.get_data(as_text=True)


def test_withheld_text_keeps_structure_and_counts_but_no_words(named):
    """Does the strict variant replace every free text by a marker and keep every figure?"""
    real = review_of(named.id)
    strict = review_of(named.id, withhold_text=True)
    assert strict.anonymised and strict.text_withheld
    assert strict.participation["delegations"] == real.participation["delegations"]
    assert strict.injects == real.injects and strict.summary == real.summary
    assert [m["channel"] for m in strict.messages] == [m["channel"] for m in real.messages]
    assert [m["words"] for m in strict.messages] == [m["words"] for m in real.messages]
    assert all(re.fullmatch(r"\[withheld: \d+ words?\]", m["text"]) for m in strict.messages)
    assert strict.log.notes[0]["strengths"] == "[withheld: 4 words]"
    texts = _texts(strict)
    rows = list(csv.DictReader(io.StringIO(texts["events.csv"])))
    ruling = next(r for r in rows if r["type"] == "indicator_overridden")
    assert (ruling["text"], ruling["value"], ruling["words"]) == ("[withheld: 4 words]", "60", "4")
    for where, text in texts.items():
        for words in ("Keyboard-only", "どう思いますか", "draft it", "argued well", "Sean led"):
            assert words not in text, (words, where)
    fired = next(e for e in json.loads(texts["json"])["events"] if e["type"] == "inject_fired")
    assert fired["data"]["inject"]["body"].startswith("Tokyo, 26 October 2022")  # scenario's


def test_the_export_section_offers_the_withheld_variant(named, app):
    """Does the review page link to the withheld-text view, whose exports say so in the name?"""
    owner = sign_in(app.test_client(), named.owner)
    page = owner.get(f"/review/{named.id}").get_data(as_text=True)
    assert f"/review/{named.id}?anon=withhold" in page and "free text withheld" in page
    assert 'id="notes-form"' in page
    strict = owner.get(f"/review/{named.id}?anon=withhold").get_data(as_text=True)
    assert f"/review/{named.id}/export/csv?anon=withhold" in strict
    assert 'id="notes-form"' not in strict  # notes are edited in the real-names view only
    download = owner.get(f"/review/{named.id}/export/json?anon=withhold")
    assert "-anonymised-text-withheld.json" in download.headers["Content-Disposition"]
    assert json.loads(download.data)["text_withheld"] is True


def test_cli_exports_the_withheld_variant(named, app, tmp_path):
    """Does `flask review export --withhold-text` write the strict variant?"""
    out = tmp_path / "strict.json"
    result = app.test_cli_runner().invoke(
        args=["review", "export", str(named.id), "--withhold-text", "--output", out]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert doc["anonymised"] and doc["text_withheld"]


def test_the_codebook_and_docs_say_what_anonymisation_cannot_promise(named):
    """Do codebook.md and docs/review.md state plainly the limits of anonymisation?"""
    from pathlib import Path

    archive = zipfile.ZipFile(io.BytesIO(export(review_of(named.id, anonymise=True), "csv").body))
    docs = (Path(__file__).resolve().parents[2] / "docs" / "review.md").read_text()
    for text in (archive.read("codebook.md").decode(), docs):
        assert "cannot" in text and "nickname" in text and "withheld" in text


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("Kei", "Keyboard-only and Keiko, but Kei's turn", "Keyboard-only and Keiko, but P's turn"),
        ("Key", "keyboard keys, a key point", "keyboard keys, a P point"),
        ("Ai\u200bko", "thanks aiko", "thanks P"),
        ("Zoë", "Zoe and ZOË and zoe99", "P and P and P"),
        ("Jean-Luc Picard", "jeanluc, Jean-Luc, jean luc picard, Luc", "P, P, P, Luc"),
        ("민준", "민준아, 민준 씨", "P아, P 씨"),
        ("김민준", "민준아 고마워", "P아 고마워"),
        ("Dr. Ng", "Dr. Ng and ng and Dr Who", "P and P and Dr Who"),
    ],
)
def test_name_finder_cases(name, text, expected):
    """Does the name finder catch these spellings, and only these?"""
    finder = NameFinder()
    finder.add(name, "P")
    assert finder.replace(text) == expected


def test_an_imported_anonymised_export_anonymises_again_without_damage(named):
    """Does anonymising an anonymised export (imported) leave its texts as they were?"""
    from app.review.anonymise import anonymise_log
    from app.review.exports import load_json

    once = load_json(export(review_of(named.id, anonymise=True), "json").body)
    twice = anonymise_log(once)
    texts = [e.data["text"] for e in once.events if e.type == "message_posted"]
    assert [e.data["text"] for e in twice.events if e.type == "message_posted"] == texts
    assert any("JPN-1" in text for text in texts)
