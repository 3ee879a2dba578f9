"""Transcripts per channel, and the filters a reviewer narrows them with."""

from app.review.transcripts import MessageFilter, filter_messages
from tests.review.conftest import FIRST, SECOND


def _texts(review, **wanted):
    return [m["text"] for m in filter_messages(review.messages, MessageFilter(**wanted))]


def test_every_message_is_in_its_channel_with_author_and_delegation(review):
    """Does each message keep its channel, author, delegation and clock time?"""
    first = review.messages[0]
    assert (first["channel"], first["author"], first["delegation"]) == ("plenary", "Aiko", "JPN")
    assert first["clock"] == "00:30"
    white = next(m for m in review.messages if m["channel"] == "white-USA")
    assert white["delegation"] == "WHITE"


def test_filter_by_channel_delegation_and_player(review, played):
    """Do the channel, delegation and player filters keep only matching messages?"""
    assert _texts(review, channel="JPN-KOR") == ["Yes Aiko let us"]
    assert _texts(review, delegation="USA") == ["Agreed, this works"]
    assert _texts(review, player_id=played.seats["JPN"]["id"]) == ["Hello Min-jun, shall we draft?"]


def test_filter_by_inject_in_play(review):
    """Are messages tied to the latest inject fired to their channel's delegations?"""
    assert _texts(review, inject_id=SECOND) == ["Take your time"]
    assert len(_texts(review, inject_id=FIRST)) == 3


def test_filter_by_time_range_and_text(review):
    """Do the minute range (play time) and the text search narrow the transcript?"""
    assert _texts(review, start_minute=2, end_minute=2.5) == ["Agreed, this works"]
    assert _texts(review, text="AIKO") == ["Yes Aiko let us"]


def test_transcripts_endpoint_filters_from_the_query_string(owner_client, played):
    """Does /transcripts.json apply the page's filter form?"""
    url = f"/review/{played.game.id}/transcripts.json?channel=plenary&q=agreed"
    body = owner_client.get(url).get_json()
    assert body["total"] == 1 and body["messages"][0]["author"] == "Sam"
