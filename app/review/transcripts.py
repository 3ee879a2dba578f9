"""Transcripts: every message of every channel, with who wrote it, when, and which inject was
in play, and the filters a reviewer reads them with."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from app.engine.channels import all_channels, channel_members
from app.engine.rules import audience_codes
from app.review.anonymise import withheld_words
from app.review.facts import WHITE, Facts, clock_label
from app.review.log import ReviewLog, iso_full


def channel_label(channel: str, log: ReviewLog) -> str:
    """A reader's name for a channel: 'Plenary', 'Japan (private)', 'JPN–KOR', 'White Cell–JPN'."""
    if channel == "plenary":
        return "Plenary"
    codes = log.scenario.delegation_codes
    if channel in codes:
        return f"{log.scenario.delegation(channel).name} (private)"
    if channel.startswith("white-"):
        return f"White Cell – {channel[6:]}"
    return channel.replace("-", " – ")


def channels(log: ReviewLog) -> list[dict[str, str]]:
    return [
        {"id": c, "label": channel_label(c, log)}
        for c in all_channels(log.scenario.delegation_codes)
    ]


def messages(log: ReviewLog, facts: Facts) -> list[dict[str, Any]]:
    """Every message, oldest first. `inject_id` is the inject in play for the channel: the latest
    inject fired before the message that reached at least one of the channel's delegations."""
    codes = log.scenario.delegation_codes
    members = {c: set(channel_members(c, codes)) for c in all_channels(codes)}
    in_play: dict[str, str] = {}  # channel -> the inject in play there
    out = []
    for event in log.events:
        if event.type == "inject_fired":
            reached = set(audience_codes(event.audience, codes))
            for channel, inside in members.items():
                if inside & reached:
                    in_play[channel] = event.data["inject"]["id"]
            continue
        if event.type != "message_posted":
            continue
        channel = event.data["channel"]
        inject_id = in_play.get(channel)
        actor = event.actor
        play = facts.play_seconds(event.at)
        text = event.data["text"]
        out.append(
            {
                "seq": event.seq,
                "at": iso_full(event.at),
                "play_seconds": play,
                "clock": clock_label(play) if facts.start and event.at >= facts.start else "lobby",
                "channel": channel,
                "author": actor.get("name") or "",
                "author_kind": actor.get("kind"),
                "player_id": actor.get("id") if actor.get("kind") == "player" else None,
                "delegation": facts.acting.get(event.seq) or WHITE,
                "text": text,
                "words": word_count(text),
                "inject_id": inject_id,
            }
        )
    return out


def word_count(text: str) -> int:
    """Whitespace-separated words (a withheld text counts the words it stands for)."""
    counted = withheld_words(text)
    return len(text.split()) if counted is None else counted


@dataclass(frozen=True)
class MessageFilter:
    """What a reviewer narrows the transcripts to; every field is optional."""

    channel: str | None = None
    delegation: str | None = None  # the author's delegation, or WHITE for facilitators
    player_id: int | None = None
    inject_id: str | None = None
    start_minute: float | None = None  # play time
    end_minute: float | None = None
    text: str | None = None

    @classmethod
    def from_args(cls, args: Any) -> MessageFilter:
        """A filter from query-string style arguments (blank means no filter)."""

        def text(name: str) -> str | None:
            value = (args.get(name) or "").strip()
            return value or None

        def number(name: str) -> float | None:
            value = text(name)
            try:
                result = float(value) if value is not None else None
            except ValueError:
                return None
            # "inf" and "nan" parse as floats but are no minute and no player id.
            return result if result is None or math.isfinite(result) else None

        player = number("player")
        return cls(
            channel=text("channel"),
            delegation=text("delegation"),
            player_id=int(player) if player is not None else None,
            inject_id=text("inject"),
            start_minute=number("from"),
            end_minute=number("to"),
            text=text("q"),
        )

    def keeps(self, message: dict[str, Any]) -> bool:
        if self.channel and message["channel"] != self.channel:
            return False
        if self.delegation and message["delegation"] != self.delegation:
            return False
        if self.player_id is not None and message["player_id"] != self.player_id:
            return False
        if self.inject_id and message["inject_id"] != self.inject_id:
            return False
        minutes = (message["play_seconds"] or 0.0) / 60
        if self.start_minute is not None and minutes < self.start_minute:
            return False
        if self.end_minute is not None and minutes > self.end_minute:
            return False
        return not (self.text and self.text.casefold() not in message["text"].casefold())


def filter_messages(items: list[dict[str, Any]], wanted: MessageFilter) -> list[dict[str, Any]]:
    """The messages a filter keeps, in order."""
    return [m for m in items if wanted.keeps(m)]
