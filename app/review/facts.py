"""Facts every part of the review needs, gathered in one pass over the log: who sat where, when
play started, paused and ended, which move was on, and which delegation each action spoke for.

Times are given two ways. *Wall* seconds count from `session_started`; *play* seconds count the
same but leave out paused time, the way the session clock does. Metrics use play seconds.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.engine import EventRecord
from app.review.log import ReviewLog

WHITE = "WHITE"  # the White Cell (facilitators), where a delegation code is expected


@dataclass
class PlayerInfo:
    id: int
    name: str
    delegation: str  # the latest seat
    first_delegation: str
    role_title: str
    joined_seq: int
    removed: bool = False


@dataclass
class MoveSpan:
    index: int
    id: str
    title: str
    seq: int
    at: datetime


@dataclass
class Facts:
    start: datetime | None = None
    end: datetime | None = None
    pauses: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    moves: list[MoveSpan] = field(default_factory=list)
    players: dict[int, PlayerInfo] = field(default_factory=dict)
    acting: dict[int, str | None] = field(default_factory=dict)  # seq -> delegation spoken for
    fired: dict[str, EventRecord] = field(default_factory=dict)  # inject id -> inject_fired
    _pause_starts: list[datetime] = field(default_factory=list)
    _pause_before: list[float] = field(default_factory=list)

    def wall_seconds(self, at: datetime) -> float | None:
        """Seconds since the session started (negative in the lobby), or None if it never did."""
        if self.start is None:
            return None
        return (at - self.start).total_seconds()

    def play_seconds(self, at: datetime) -> float | None:
        """Seconds of play since the start up to `at`, paused time left out."""
        if self.start is None or at < self.start:
            return None if self.start is None else 0.0
        paused = 0.0
        index = bisect.bisect_right(self._pause_starts, at)
        if index:
            paused = self._pause_before[index - 1]
            began, ended = self.pauses[index - 1]
            until = min(at, ended) if ended is not None else at
            paused += max(0.0, (until - began).total_seconds())
        return max(0.0, (at - self.start).total_seconds() - paused)

    def play_between(self, earlier: datetime, later: datetime) -> float:
        a, b = self.play_seconds(earlier), self.play_seconds(later)
        if a is None or b is None:
            return (later - earlier).total_seconds()
        return round(b - a, 3)

    def move_at(self, seq: int) -> MoveSpan | None:
        """The move in play when event `seq` happened."""
        current = None
        for move in self.moves:
            if move.seq > seq:
                break
            current = move
        return current

    def player_label(self, player_id: int | None) -> str:
        info = self.players.get(player_id) if player_id is not None else None
        return info.name if info else "?"

    def finish(self) -> None:
        self._pause_starts = [began for began, _ in self.pauses]
        total = 0.0
        self._pause_before = []
        for began, ended in self.pauses:
            self._pause_before.append(total)
            if ended is not None:
                total += (ended - began).total_seconds()


def gather(log: ReviewLog) -> Facts:
    """The facts of a log, in one pass."""
    facts = Facts()
    scenario = log.scenario
    for event in log.events:
        kind, data = event.type, event.data
        if kind in ("player_joined", "player_moved"):
            _seat(facts, event)
        elif kind == "player_removed" and data.get("player_id") in facts.players:
            facts.players[data["player_id"]].removed = True
        elif kind == "session_started":
            facts.start = event.at
            _add_move(facts, scenario, 0, event)
        elif kind == "move_advanced":
            _close_pause(facts, event.at)
            _add_move(facts, scenario, len(facts.moves), event)
        elif kind == "session_paused":
            facts.pauses.append((event.at, None))
        elif kind == "session_resumed":
            _close_pause(facts, event.at)
        elif kind == "session_ended":
            facts.end = event.at
        elif kind == "inject_fired":
            facts.fired.setdefault(data["inject"]["id"], event)
        facts.acting[event.seq] = acting_delegation(facts, event.actor)
    if facts.end is not None:
        _close_pause(facts, facts.end)
    facts.finish()
    return facts


def acting_delegation(facts: Facts, actor: dict[str, Any]) -> str | None:
    """The delegation an actor spoke for at this point of the log (facilitators: WHITE)."""
    kind = actor.get("kind")
    if kind == "player":
        info = facts.players.get(actor.get("id"))
        return info.delegation if info else actor.get("delegation")
    if kind == "auto":
        return actor.get("delegation")
    if kind == "facilitator":
        return WHITE
    return None


def _seat(facts: Facts, event: EventRecord) -> None:
    player = event.data["player"]
    info = facts.players.get(player["id"])
    if info is None:
        facts.players[player["id"]] = PlayerInfo(
            id=player["id"],
            name=player["name"],
            delegation=player["delegation"],
            first_delegation=player["delegation"],
            role_title=player.get("role_title", ""),
            joined_seq=event.seq,
        )
    else:
        info.delegation = player["delegation"]
        info.role_title = player.get("role_title", info.role_title)


def _add_move(facts: Facts, scenario: Any, index: int, event: EventRecord) -> None:
    move = event.data.get("move") or {}
    move_id = move.get("id")
    if move_id is None and index < len(scenario.moves):
        move_id = scenario.moves[index].id
    title = move.get("title") or next((m.title for m in scenario.moves if m.id == move_id), "")
    facts.moves.append(MoveSpan(index, move_id or f"move-{index + 1}", title, event.seq, event.at))


def _close_pause(facts: Facts, at: datetime) -> None:
    if facts.pauses and facts.pauses[-1][1] is None:
        facts.pauses[-1] = (facts.pauses[-1][0], at)


def clock_label(seconds: float | None) -> str:
    """`mm:ss` (or `h:mm:ss`) for a number of seconds; '—' before the start."""
    if seconds is None:
        return "—"
    sign = "-" if seconds < 0 else ""
    total = int(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes:02d}:{secs:02d}"
