"""Channels are made from the delegation set, never by hand."""

from __future__ import annotations

from itertools import combinations


def all_channels(codes: tuple[str, ...]) -> list[str]:
    """Every channel of a session: plenary, private rooms, bilaterals, White Cell lines."""
    return (
        ["plenary"]
        + list(codes)
        + [f"{a}-{b}" for a, b in combinations(codes, 2)]
        + [f"white-{code}" for code in codes]
    )


def channels_for(code: str, codes: tuple[str, ...]) -> list[str]:
    """The channels a player of delegation `code` reads and writes."""
    return [c for c in all_channels(codes) if code in channel_members(c, codes)]


def channel_members(channel: str, codes: tuple[str, ...]) -> tuple[str, ...]:
    """The delegations in a channel (facilitators read every channel)."""
    if channel == "plenary":
        return codes
    if channel in codes:
        return (channel,)
    if channel.startswith("white-") and channel[6:] in codes:
        return (channel[6:],)
    parts = tuple(channel.split("-"))
    if len(parts) == 2 and channel in all_channels(codes):
        return parts
    return ()


def channel_audience(channel: str, codes: tuple[str, ...]) -> str:
    """The audience string of messages in a channel (see `app.engine.visibility`)."""
    if channel == "plenary":
        return "all"
    members = channel_members(channel, codes)
    if len(members) == 2:
        return f"ch:{channel}"
    return "d:" + ",".join(members)
