"""A session played in memory by the real rules: the editor's preview and dry run.

Nothing is stored: events are made by `decide`, stamped with a simulated clock and folded with
`apply`, exactly as the service does with the log (app/realtime/service.py), so what the preview
shows is what a session of this scenario would show.

- `preview_sync(...)`: the `sync` a delegation's player, an observer or the projector would
  receive right after the facilitator starts the session (its first scheduled injects fired).
- `dry_run(...)`: every delegation automatic; the clock jumps from one due moment to the next
  (injects, deadlines, automatic answers), each move ends at its planned length, and the first
  delegation an inject asks proposes the option that serves it best, so the negotiation rules
  run too. Returns what each delegation received and when, in minutes of play.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from app.content.schema import Scenario
from app.engine.apply import apply
from app.engine.autoplay import option_value
from app.engine.clock import due_commands
from app.engine.errors import CommandError
from app.engine.rules import audience_codes, decide
from app.engine.state import Actor, Draft, EventRecord, SessionState, new_state
from app.engine.visibility import (
    FACILITATOR,
    OBSERVER,
    Viewer,
    can_see,
    event_view,
    scenario_view,
    state_view,
)

START = datetime(2030, 1, 1, 9, 0, 0)  # an arbitrary, fixed moment: previews are repeatable
WHITE = Actor("facilitator", 0, "Preview")
MAX_STEPS = 5000


class Simulation:
    """One session in memory."""

    def __init__(self, scenario: Scenario, title: str, track: str | None = None) -> None:
        self.state: SessionState = new_state(scenario, 0)
        self.records: list[EventRecord] = []
        self.now = START
        data: dict[str, Any] = {
            "title": title,
            "scenario": {
                "slug": scenario.id,
                "version": scenario.version,
                "title": scenario.title,
                # As in a real session (docs/spec): here the digest of the content previewed.
                "hash": hashlib.sha256(scenario.model_dump_json().encode()).hexdigest(),
            },
            "delegations": list(scenario.delegation_codes),
        }
        if track:
            data["track"] = track
        self.append(WHITE, [Draft("session_created", "all", data)])

    def append(self, actor: Actor, drafts: list[Draft]) -> list[EventRecord]:
        made = []
        for draft in drafts:
            # Through JSON, as the log stores it, so the fold sees what it would see from the log.
            data = json.loads(json.dumps(draft.data))
            record = EventRecord(
                self.state.seq + 1, draft.type, self.now, actor.as_dict(), draft.audience, data
            )
            apply(self.state, record)
            self.records.append(record)
            made.append(record)
        return made

    def do(self, actor: Actor, kind: str, fields: dict[str, Any]) -> list[EventRecord]:
        return self.append(actor, decide(self.state, actor, kind, fields, self.now))

    def seat_everyone(self) -> dict[str, int]:
        """One lead per delegation (player ids 1, 2, ...), in the delegations' order."""
        seats = {}
        for number, delegation in enumerate(self.state.scenario.delegations, start=1):
            role = delegation.roles[0]
            player = {
                "id": number,
                "name": f"{delegation.code} player",
                "delegation": delegation.code,
                "role": role.id,
                "role_title": role.title,
                "lead": True,
                "removed": False,
            }
            self.append(
                Actor("player", number, player["name"], delegation.code),
                [
                    Draft("player_joined", "all", {"player": player}),
                    Draft("lead_set", "all", {"delegation": delegation.code, "player_id": number}),
                ],
            )
            seats[delegation.code] = number
        return seats

    def run_due(self, auto_delay: float = 0.0) -> list[EventRecord]:
        """Run what the scheduler would run now, until nothing more is due."""
        made: list[EventRecord] = []
        for _ in range(MAX_STEPS):
            commands = due_commands(self.state, self.now, auto_delay)
            progressed = False
            for command in commands:
                try:
                    made += self.do(command.actor, command.type, command.fields)
                    progressed = True
                except CommandError:
                    continue
            if not progressed:
                return made
        return made

    def minute(self, at: datetime | None = None) -> float:
        return round(((at or self.now) - START).total_seconds() / 60, 2)


def viewer_for(as_: str, scenario: Scenario) -> Viewer:
    if as_ in ("observer", "projector"):
        return OBSERVER
    if as_ == "facilitator":
        return FACILITATOR
    if as_ in scenario.delegation_codes:
        return Viewer("player", as_, scenario.delegation_codes.index(as_) + 1)
    known = ", ".join([*scenario.delegation_codes, "observer", "projector"])
    raise ValueError(f"Preview as one of {known}, not {as_!r}.")


def preview_sync(
    scenario: Scenario,
    as_: str,
    session: dict[str, Any],
    track: str | None = None,
) -> dict[str, Any]:
    """The `sync` this viewer gets right after the start (see docs/protocol.md, `sync`)."""
    viewer = viewer_for(as_, scenario)
    sim = Simulation(scenario, session.get("title", scenario.title), track)
    seats = sim.seat_everyone()
    sim.do(WHITE, "session.start", {})
    sim.run_due()
    state = sim.state
    you: dict[str, Any] = {"kind": viewer.kind, "name": "Preview"}
    if viewer.kind == "player" and viewer.delegation:
        seat = state.seats[seats[viewer.delegation]]
        you.update(
            player_id=seat.id,
            name=seat.name,
            delegation=seat.delegation,
            role=seat.role,
            role_title=seat.role_title,
            lead=True,
            device=0,
            reclaim_code=None,
        )
    if viewer.is_facilitator:
        you["facilitator_id"] = 0
    summary = dict(session) | {"head_seq": state.seq, "status": state.status}
    return {
        "you": you,
        "session": summary,
        "scenario": scenario_view(state.scenario, viewer),
        "state": state_view(state, viewer, sim.now),
        "events": [
            event_view(e, viewer)
            for e in sim.records
            if can_see(e.audience, viewer, state.scenario)
        ],
        "from_seq": 0,
        "events_after": 0,
        "server_time": sim.now.isoformat(timespec="milliseconds") + "Z",
        "online": sorted(seats.values()),
        "preview": {"as": as_, "projector": as_ == "projector"},
    }


# --- dry run ------------------------------------------------------------------------------------

_SHOWN = {
    "session_started": "The session starts",
    "move_advanced": "A new move starts",
    "inject_fired": "Inject",
    "inject_skipped": "Inject skipped by its condition",
    "deadline_expired": "Deadline passes",
    "proposal_tabled": "Proposal tabled",
    "proposal_amended": "Proposal amended",
    "proposal_position": "Position",
    "proposal_adopted": "Adopted",
    "statement_issued": "Statement",
    "reaction_queued": "Reaction queued",
    "session_ended": "The session ends",
}


def _summary(sim: Simulation, record: EventRecord) -> str:
    data = record.data
    kind = record.type
    if kind == "inject_fired":
        inject = data.get("inject", data)
        title = inject.get("title") or data.get("title") or data.get("inject_id", "")
        deadline = inject.get("deadline_minutes")
        when = f" (deadline {deadline} minutes)" if deadline else ""
        return f"Inject '{inject.get('id', data.get('inject_id', ''))}': {title}{when}"
    if kind == "inject_skipped":
        return f"Inject '{data.get('inject_id')}' skipped: {data.get('reason', '')}".strip()
    if kind == "deadline_expired":
        return f"Deadline of '{data.get('inject_id')}' passes without consensus"
    if kind == "proposal_position":
        stance = {"endorse": "endorses", "reject": "rejects", "reserve": "reserves on"}.get(
            data.get("stance", ""), data.get("stance", "")
        )
        return f"{data.get('delegation')} {stance} proposal {data.get('proposal_id')}"
    if kind == "proposal_adopted":
        return f"Proposal {data.get('proposal_id')} adopted"
    if kind.startswith("proposal_"):
        who = record.actor.get("delegation") or record.actor.get("name") or ""
        verb = kind.removeprefix("proposal_").replace("_", " ")
        return f"{who} {verb} proposal {data.get('proposal_id')}".strip()
    if kind in ("move_advanced", "session_started"):
        move = data.get("move", {})
        return f"{_SHOWN[kind]}: {move.get('title', '')}".rstrip(": ")
    return _SHOWN.get(kind, kind.replace("_", " "))


def _table_best(sim: Simulation, record: EventRecord) -> None:
    """The first delegation an inject asks proposes the option that serves it best."""
    state = sim.state
    inject_id = record.data.get("inject_id") or record.data.get("inject", {}).get("id")
    status = state.injects.get(inject_id) if inject_id else None
    if status is None or not status.options:
        return
    codes = audience_codes(status.audience, state.scenario.delegation_codes)
    if not codes:
        return
    code = codes[0]
    best = max(status.options, key=lambda o: option_value(state, code, o))
    actor = Actor(
        "auto", name=f"{state.scenario.delegation(code).name} (automatic)", delegation=code
    )
    try:
        sim.do(
            actor,
            "proposal.table",
            {"inject_id": inject_id, "text": f"{code} proposes: {best}", "options": [best]},
        )
    except CommandError:
        return


def _next_moment(sim: Simulation, move_end: datetime) -> datetime:
    """The next time anything falls due in the current move (or the move's end)."""
    state = sim.state
    times = [move_end]
    elapsed = state.clock.elapsed(sim.now)
    for inject in state.scenario.injects:
        status = state.injects.get(inject.id)
        if status is None:
            continue
        if (
            inject.trigger == "scheduled"
            and inject.move == state.current_move
            and status.status == "pending"
        ):
            times.append(
                sim.now + timedelta(seconds=max(0.0, inject.offset_minutes * 60 - elapsed))
            )
        if status.status == "queued" and status.release == "automatic" and status.due_at:
            times.append(status.due_at)
        if status.deadline_open and status.deadline_at is not None:
            times.append(status.deadline_at)
    later = [t for t in times if t > sim.now]
    return min(later) if later else move_end


def dry_run(scenario: Scenario, track: str | None = None, title: str = "") -> dict[str, Any]:
    """Play the scenario (or one track) with every delegation automatic, on a compressed clock."""
    sim = Simulation(scenario, title or scenario.title, track)
    for code in scenario.delegation_codes:
        sim.do(WHITE, "delegation.set_automatic", {"delegation": code, "automatic": True})
    start_seq = sim.state.seq
    sim.do(WHITE, "session.start", {})
    moves = sim.state.scenario.moves
    for index, move in enumerate(moves):
        move_end = sim.now + timedelta(minutes=move.duration_minutes)
        for _ in range(MAX_STEPS):
            before = len(sim.records)
            for record in sim.run_due():
                if record.type == "inject_fired":
                    _table_best(sim, record)
            sim.run_due()
            if sim.now >= move_end:
                break
            nxt = _next_moment(sim, move_end)
            if nxt <= sim.now and len(sim.records) == before:
                break
            sim.now = max(nxt, sim.now)
        sim.now = max(sim.now, move_end)
        if index + 1 < len(moves):
            sim.do(WHITE, "session.next_move", {})
        else:
            sim.do(WHITE, "session.end", {})
    state = sim.state
    timeline = []
    per: dict[str, list[dict[str, Any]]] = {code: [] for code in state.scenario.delegation_codes}
    move_of = {}
    current = None
    for record in sim.records:
        if record.seq <= start_seq:
            continue
        if record.type in ("session_started", "move_advanced"):
            current = record.data.get("move", {}).get("id")
        move_of[record.seq] = current
        if record.type not in _SHOWN:
            continue
        reaches = [
            c
            for c in state.scenario.delegation_codes
            if can_see(record.audience, Viewer("player", c), state.scenario)
        ]
        item = {
            "minute": sim.minute(record.at),
            "move": current,
            "type": record.type,
            "inject_id": record.data.get("inject_id")
            or (record.data.get("inject") or {}).get("id"),
            "audience": "white" if record.audience == "white" else reaches,
            "summary": _summary(sim, record),
        }
        timeline.append(item)
        for code in reaches:
            per[code].append(item)
    return {
        "timeline": timeline,
        "per_delegation": per,
        "ends_at_minute": sim.minute(),
        "track": track,
        "indicators": dict(state.indicators),
        "outcomes": {s.id: s.outcome or s.status for s in state.injects.values()},
    }
