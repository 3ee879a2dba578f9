"""Session state: plain dataclasses folded from the event log by `app.engine.apply`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.content.schema import Scenario
from app.engine import events


@dataclass(frozen=True)
class Actor:
    """Who caused an event: a player, a facilitator, the scheduler or an automatic delegation."""

    kind: str  # "player" | "facilitator" | "system" | "auto"
    id: int | None = None
    name: str = ""
    delegation: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "name": self.name, "delegation": self.delegation}


SYSTEM = Actor("system", name="Scheduler")


@dataclass
class EventRecord:
    """One entry of the event log, as the engine sees it."""

    seq: int
    type: str
    at: datetime
    actor: dict[str, Any]
    audience: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Draft:
    """An event the rules want to append; the store gives it a seq and a time."""

    type: str
    audience: str
    data: dict[str, Any]

    def __post_init__(self) -> None:
        if events.CHECKING:  # while the tests run: the data matches its declared shape
            events.check_draft(self.type, self.data)


@dataclass
class Seat:
    id: int
    name: str
    delegation: str
    role: str
    role_title: str
    removed: bool = False
    device: int = 0  # how many times the seat moved to another device (seat_reclaimed)
    code_round: int = 0  # how many times its reclaim code was reissued


@dataclass
class InjectStatus:
    id: str
    status: str = "pending"  # pending | held | queued (a reaction) | fired | skipped
    fired_at: datetime | None = None
    fired_seq: int | None = None
    deadline_at: datetime | None = None
    deadline_open: bool = False
    outcome: str | None = None  # None | "adopted" | "no_consensus"
    audience: str = "all"
    public: dict[str, Any] = field(default_factory=dict)  # the inject as players see it
    white: dict[str, Any] = field(default_factory=dict)  # facilitator-only notes
    options: tuple[str, ...] = ()  # response option ids (ad-hoc injects: generated ids)
    time_requests: dict[str, dict[str, Any]] = field(default_factory=dict)  # pending, by delegation
    skip_reason: str | None = None  # why it was skipped by its condition
    skips: int = 0  # times skipped (the scheduler's next attempt needs a new command id)
    due_at: datetime | None = None  # a queued reaction: when it is ready
    release: str | None = None  # a queued reaction: "white_cell" | "automatic"
    cause: dict[str, Any] = field(default_factory=dict)  # a queued reaction: what provoked it


@dataclass
class Version:
    n: int
    text: str
    options: tuple[str, ...]
    author: dict[str, Any]
    at: datetime


@dataclass
class Position:
    stance: str  # endorse | reject | reserve
    version: int
    reason: str
    by: dict[str, Any]
    at: datetime


@dataclass
class Proposal:
    id: int
    inject_id: str | None
    author: dict[str, Any]
    delegation: str
    tabled_at: datetime
    audience: str
    status: str = "open"  # open | adopted | withdrawn | closed
    versions: list[Version] = field(default_factory=list)
    positions: dict[str, Position] = field(default_factory=dict)
    adopted_version: int | None = None
    closed_reason: str | None = None
    countered_by: set[str] = field(default_factory=set)  # automatic delegations that amended

    @property
    def current(self) -> Version:
        return self.versions[-1]


@dataclass
class Clock:
    move_index: int = -1
    move_started_at: datetime | None = None
    paused_at: datetime | None = None
    paused_seconds: float = 0.0  # paused time within the current move

    def elapsed(self, now: datetime) -> float:
        """Seconds of play in the current move (pauses do not count)."""
        if self.move_started_at is None:
            return 0.0
        end = self.paused_at or now
        return max(0.0, (end - self.move_started_at).total_seconds() - self.paused_seconds)


@dataclass
class SessionState:
    """Everything the rules need to decide the next command, rebuilt from the log."""

    scenario: Scenario
    session_id: int
    seq: int = 0
    title: str = ""
    status: str = "lobby"  # lobby | running | paused | ended
    lobby_locked: bool = False
    clock: Clock = field(default_factory=Clock)
    seats: dict[int, Seat] = field(default_factory=dict)
    leads: dict[str, int | None] = field(default_factory=dict)
    automatic: set[str] = field(default_factory=set)
    injects: dict[str, InjectStatus] = field(default_factory=dict)
    adhoc_count: int = 0
    proposals: dict[int, Proposal] = field(default_factory=dict)
    statements: list[dict[str, Any]] = field(default_factory=list)
    indicators: dict[str, int] = field(default_factory=dict)
    scores: dict[str, dict[str, int]] = field(default_factory=dict)
    rulings: list[dict[str, Any]] = field(default_factory=list)
    messages: int = 0
    track: str | None = None
    revealed_indicators: dict[str, int] = field(default_factory=dict)  # at the last move's end
    hotwash: dict[int, dict[str, Any]] = field(default_factory=dict)  # player id -> answers
    debrief_unlocked: bool = False

    def seat_of(self, player_id: int | None) -> Seat | None:
        seat = self.seats.get(player_id) if player_id is not None else None
        return seat if seat and not seat.removed else None

    def active_seats(self, code: str | None = None) -> list[Seat]:
        return [
            s
            for s in self.seats.values()
            if not s.removed and (code is None or s.delegation == code)
        ]

    @property
    def current_move(self) -> str | None:
        moves = self.scenario.moves
        if 0 <= self.clock.move_index < len(moves):
            return moves[self.clock.move_index].id
        return None


def new_state(scenario: Scenario, session_id: int) -> SessionState:
    """The state of a session before its first event."""
    state = SessionState(scenario=scenario, session_id=session_id)
    state.indicators = {i.id: i.start for i in scenario.indicators}
    state.revealed_indicators = dict(state.indicators)
    state.leads = {code: None for code in scenario.delegation_codes}
    state.scores = {d.code: {o.id: 0 for o in d.objectives} for d in scenario.delegations}
    for inject in scenario.injects:
        state.injects[inject.id] = InjectStatus(id=inject.id)
    return state
