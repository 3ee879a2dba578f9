"""Anonymised exports: no real name anywhere, stable pseudonyms in their place."""

import io
import re
import zipfile

from app.review import review_of
from app.review.exports import export

NAMES = ("Aiko", "Min-jun", "Sam", "Prof. Tanaka", "Tanaka")


def _texts(review):
    for fmt in ("json", "md", "html"):
        yield fmt, export(review, fmt).body.decode()
    archive = zipfile.ZipFile(io.BytesIO(export(review, "csv").body))
    for name in archive.namelist():
        yield name, archive.read(name).decode()


def test_no_real_name_appears_in_any_anonymised_export(played):
    """Is every player's and facilitator's name gone from every format, message texts included?"""
    anonymous = review_of(played.game.id, anonymise=True)
    for where, text in _texts(anonymous):
        for name in NAMES:
            # Whole words: "Sam" must go, "same" and "Samsung" in the scenario's texts stay.
            found = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE)
            assert found is None, f"{name} in {where}"


def test_pseudonyms_follow_delegation_and_player_order(played):
    """Do players become JPN-1, KOR-1, USA-1, also inside the messages that named them?"""
    anonymous = review_of(played.game.id, anonymise=True)
    names = {row["delegation"]: row["name"] for row in anonymous.participation["players"]}
    assert names == {"JPN": "JPN-1", "KOR": "KOR-1", "USA": "USA-1"}
    texts = [m["text"] for m in anonymous.messages]
    assert "Hello KOR-1, shall we draft?" in texts and "Yes JPN-1 let us" in texts


def test_anonymised_review_keeps_the_figures(played, review):
    """Are the metrics of the anonymised review those of the real one?"""
    anonymous = review_of(played.game.id, anonymise=True)
    assert anonymous.injects == review.injects
    assert anonymous.summary == review.summary


def test_notes_are_anonymised_too(owner_client, played):
    """Does a facilitator's note naming a player lose the name in the anonymised export?"""
    owner_client.post(
        f"/review/{played.game.id}/notes",
        data={"csrf": "test-csrf", "subject": "session", "strengths": "Aiko led well"},
    )
    anonymous = review_of(played.game.id, anonymise=True)
    assert anonymous.log.notes[0]["strengths"] == "JPN-1 led well"
    assert "Aiko" not in export(anonymous, "md").body.decode()
