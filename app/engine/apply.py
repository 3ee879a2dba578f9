"""The fold: `apply(state, event)` records one logged event in the session state.

Every rule was checked when the event was made (`app.engine.rules`); here nothing is refused, so
replaying a log always rebuilds the same state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from app.content.schema import Scenario
from app.engine.proposals import add_version, parse_iso, set_position
from app.engine.state import EventRecord, InjectStatus, Proposal, Seat, SessionState, new_state

Handler = Callable[[SessionState, EventRecord], None]
_HANDLERS: dict[str, Handler] = {}


def handles(*types: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        for name in types:
            _HANDLERS[name] = fn
        return fn

    return register


def apply(state: SessionState, event: EventRecord) -> SessionState:
    """Fold one event into `state` (in place) and return it."""
    handler = _HANDLERS.get(event.type)
    if handler is not None:
        handler(state, event)
    state.seq = event.seq
    return state


def fold(scenario: Scenario, session_id: int, events: Iterable[EventRecord]) -> SessionState:
    """The state after a sequence of events, starting from an empty session."""
    state = new_state(scenario, session_id)
    for event in events:
        apply(state, event)
    return state


@handles("session_created")
def _created(state: SessionState, event: EventRecord) -> None:
    state.title = event.data.get("title", "")
    track = event.data.get("track")
    if track:
        # The session plays one cut of the scenario from its first event on.
        state.track = track
        state.scenario = state.scenario.for_track(track)
        kept = {inject.id for inject in state.scenario.injects}
        state.injects = {k: v for k, v in state.injects.items() if k in kept}


@handles("player_joined", "player_moved")
def _seated(state: SessionState, event: EventRecord) -> None:
    p = event.data["player"]
    before = state.seats.get(p["id"])
    seat = Seat(p["id"], p["name"], p["delegation"], p["role"], p["role_title"])
    if before is not None:  # a move keeps the seat's device and reclaim code
        seat.device, seat.code_round = before.device, before.code_round
    state.seats[p["id"]] = seat


@handles("player_removed")
def _removed(state: SessionState, event: EventRecord) -> None:
    state.seats[event.data["player_id"]].removed = True


@handles("lead_set")
def _lead(state: SessionState, event: EventRecord) -> None:
    state.leads[event.data["delegation"]] = event.data["player_id"]


@handles("lobby_locked")
def _locked(state: SessionState, event: EventRecord) -> None:
    state.lobby_locked = bool(event.data["locked"])


@handles("delegation_automatic")
def _automatic(state: SessionState, event: EventRecord) -> None:
    code = event.data["delegation"]
    if event.data["automatic"]:
        state.automatic.add(code)
    else:
        state.automatic.discard(code)


@handles("session_started")
def _started(state: SessionState, event: EventRecord) -> None:
    state.status = "running"
    state.clock.move_index = 0
    state.clock.move_started_at = event.at
    state.clock.paused_seconds = 0.0


@handles("session_paused")
def _paused(state: SessionState, event: EventRecord) -> None:
    state.status = "paused"
    state.clock.paused_at = event.at


@handles("session_resumed")
def _resumed(state: SessionState, event: EventRecord) -> None:
    state.status = "running"
    state.clock.paused_seconds += float(event.data["paused_seconds"])
    state.clock.paused_at = None
    for inject_id, deadline in event.data.get("deadlines", {}).items():
        state.injects[inject_id].deadline_at = parse_iso(deadline)
    _shift_reactions(state, event)


def _shift_reactions(state: SessionState, event: EventRecord) -> None:
    """Queued reactions ready later by the pause's length (see rules._with_shifted_reactions)."""
    for inject_id, due in event.data.get("_white", {}).get("reactions", {}).items():
        state.injects[inject_id].due_at = parse_iso(due)


@handles("move_advanced")
def _moved(state: SessionState, event: EventRecord) -> None:
    state.status = "running"
    state.clock.move_index += 1
    state.clock.move_started_at = event.at
    state.clock.paused_at = None
    state.clock.paused_seconds = 0.0
    for inject_id, deadline in event.data.get("deadlines", {}).items():
        state.injects[inject_id].deadline_at = parse_iso(deadline)
    _shift_reactions(state, event)
    if "indicators" in event.data:
        state.revealed_indicators = dict(event.data["indicators"])


@handles("session_ended")
def _ended(state: SessionState, event: EventRecord) -> None:
    state.status = "ended"
    if state.clock.paused_at is None:
        state.clock.paused_at = event.at
    if "indicators" in event.data:
        state.revealed_indicators = dict(event.data["indicators"])
    for proposal_id in event.data.get("closed_proposals", []):
        _close(state.proposals[proposal_id], "the session ended")


@handles("inject_fired")
def _fired(state: SessionState, event: EventRecord) -> None:
    public = event.data["inject"]
    status = state.injects.get(public["id"])
    if status is None:  # an ad-hoc inject written during play
        status = state.injects[public["id"]] = InjectStatus(id=public["id"])
        state.adhoc_count += 1
    status.status = "fired"
    status.fired_at = event.at
    status.fired_seq = event.seq
    status.deadline_at = parse_iso(event.data.get("deadline_at"))
    status.deadline_open = status.deadline_at is not None
    status.audience = event.audience
    status.public = public
    status.white = event.data.get("_white", {})
    status.options = tuple(o["id"] for o in public["response_options"])


@handles("inject_held")
def _held(state: SessionState, event: EventRecord) -> None:
    state.injects[event.data["inject_id"]].status = "held"


@handles("inject_released")
def _released(state: SessionState, event: EventRecord) -> None:
    status = state.injects[event.data["inject_id"]]
    status.status = "pending"
    status.skip_reason = None


@handles("inject_skipped")
def _skipped(state: SessionState, event: EventRecord) -> None:
    status = state.injects[event.data["inject_id"]]
    status.status = "skipped"
    status.skip_reason = event.data.get("reason")
    status.skips += 1


@handles("reaction_queued")
def _queued(state: SessionState, event: EventRecord) -> None:
    status = state.injects[event.data["inject_id"]]
    status.status = "queued"
    status.due_at = parse_iso(event.data["due_at"])
    status.release = event.data["release"]
    status.cause = dict(event.data["cause"])


@handles("hotwash_submitted")
def _hotwash(state: SessionState, event: EventRecord) -> None:
    state.hotwash[event.actor["id"]] = dict(event.data["answers"])


@handles("debrief_unlocked")
def _unlocked(state: SessionState, event: EventRecord) -> None:
    state.debrief_unlocked = True


@handles("deadline_extended")
def _extended(state: SessionState, event: EventRecord) -> None:
    status = state.injects[event.data["inject_id"]]
    status.deadline_at = parse_iso(event.data["deadline_at"])
    status.deadline_open = True
    status.time_requests.clear()  # an extension answers every pending request for more time


@handles("deadline_expired")
def _expired(state: SessionState, event: EventRecord) -> None:
    status = state.injects[event.data["inject_id"]]
    status.deadline_open = False
    if status.outcome is None:
        status.outcome = event.data.get("outcome", "no_consensus")
    for proposal_id in event.data.get("closed_proposals", []):
        _close(state.proposals[proposal_id], "deadline")


@handles("message_posted")
def _message(state: SessionState, event: EventRecord) -> None:
    state.messages += 1


@handles("proposal_tabled")
def _tabled(state: SessionState, event: EventRecord) -> None:
    data = event.data
    proposal = Proposal(
        id=data["proposal_id"],
        inject_id=data["inject_id"],
        author=event.actor,
        delegation=data["proposal"]["delegation"],  # as the rule decided, whoever logged it
        tabled_at=event.at,
        audience=event.audience,
    )
    add_version(proposal, data["text"], data["options"], event.actor, event.at)
    state.proposals[proposal.id] = proposal


@handles("proposal_amended")
def _amended(state: SessionState, event: EventRecord) -> None:
    proposal = state.proposals[event.data["proposal_id"]]
    add_version(proposal, event.data["text"], event.data["options"], event.actor, event.at)
    if event.actor.get("kind") == "auto":
        proposal.countered_by.add(event.actor["delegation"])


@handles("proposal_position")
def _position(state: SessionState, event: EventRecord) -> None:
    data = event.data
    set_position(
        state.proposals[data["proposal_id"]],
        data["delegation"],
        data["stance"],
        data["version"],
        data.get("reason", ""),
        event.actor,
        event.at,
    )


@handles("proposal_adopted")
def _adopted(state: SessionState, event: EventRecord) -> None:
    data = event.data
    proposal = state.proposals[data["proposal_id"]]
    proposal.status = "adopted"
    proposal.adopted_version = data["version"]
    state.indicators.update(data["indicators"])
    for code, delta in data.get("score_deltas", {}).items():
        for objective, points in delta.items():
            state.scores[code][objective] = state.scores[code].get(objective, 0) + points
    for other in data.get("closed_proposals", []):
        _close(state.proposals[other], "another proposal was adopted")
    if proposal.inject_id is not None:
        status = state.injects[proposal.inject_id]
        status.outcome = "adopted"
        status.deadline_open = False


@handles("proposal_withdrawn")
def _withdrawn(state: SessionState, event: EventRecord) -> None:
    proposal = state.proposals[event.data["proposal_id"]]
    proposal.status = "withdrawn"


@handles("statement_issued")
def _statement(state: SessionState, event: EventRecord) -> None:
    state.indicators.update(event.data["indicators"])
    state.statements.append(log_record(event))


@handles("indicators_changed")
def _indicators(state: SessionState, event: EventRecord) -> None:
    state.indicators.update(event.data["indicators"])


@handles("indicator_overridden")
def _override(state: SessionState, event: EventRecord) -> None:
    state.indicators[event.data["indicator"]] = event.data["value"]
    state.rulings.append(log_record(event))


def log_record(event: EventRecord) -> dict[str, Any]:
    """An event kept in the state as a list entry (statements, rulings). It keeps the event's
    audience, so the state view shows it to exactly the viewers the event reached."""
    return {"seq": event.seq, "at": event.at, "_audience": event.audience, **event.data}


def _close(proposal: Proposal, reason: str) -> None:
    if proposal.status == "open":
        proposal.status = "closed"
        proposal.closed_reason = reason
