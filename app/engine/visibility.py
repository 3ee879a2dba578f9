"""Who may see what: audiences, event filtering, and role-filtered views of state and scenario."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.content.schema import Scenario
from app.engine.channels import all_channels, channels_for
from app.engine.injects import public_inject, sources_known_in_play, white_notes
from app.engine.proposals import crossed_red_lines, iso, proposal_view
from app.engine.rules import audience_codes, clock_view
from app.engine.seats import seat_view
from app.engine.state import EventRecord, SessionState
from app.engine.time_requests import requests_view


@dataclass(frozen=True)
class Viewer:
    """A reader of the session: a facilitator, an observer, or a player of one delegation."""

    kind: str  # facilitator | observer | player
    delegation: str | None = None
    player_id: int | None = None

    @property
    def is_facilitator(self) -> bool:
        return self.kind == "facilitator"


FACILITATOR = Viewer("facilitator")
OBSERVER = Viewer("observer")


def can_see(audience: str, viewer: Viewer, scenario: Scenario) -> bool:
    """True when an event with this audience reaches this viewer."""
    if viewer.is_facilitator or audience == "all":
        return True
    if audience == "white":
        return False
    if viewer.kind == "observer":
        return audience.startswith("ch:") and scenario.settings.observers_see_bilaterals
    return viewer.delegation in audience_codes(audience, scenario.delegation_codes)


def rooms_for(audience: str, scenario: Scenario) -> list[str]:
    """The room suffixes an audience is sent to (see `docs/protocol.md`, rooms)."""
    if audience == "white":
        return ["white"]
    codes = audience_codes(audience, scenario.delegation_codes)
    rooms = ["white"] + [f"d:{c}" for c in codes]
    if audience == "all" or (
        audience.startswith("ch:") and scenario.settings.observers_see_bilaterals
    ):
        rooms.append("obs")
    return rooms


def filter_data(data: dict[str, Any], viewer: Viewer) -> dict[str, Any]:
    """An event's data as this viewer may read it: facilitator-only and other delegations'
    private parts are removed; the viewer's own private part is kept as `private`."""
    if viewer.is_facilitator:
        out = {k: v for k, v in data.items() if not k.startswith("_")}
        if "_white" in data:
            out.update(data["_white"])
        if "_private" in data:
            out["private_by_delegation"] = data["_private"]
        if "score_deltas" in data:
            out["score_deltas"] = data["score_deltas"]
        return out
    hidden = {"score_deltas", *data.get("_hidden", ())}  # `_hidden`: indicators kept from players
    out = {k: v for k, v in data.items() if not k.startswith("_") and k not in hidden}
    own = data.get("_private", {}).get(viewer.delegation or "")
    if own:
        out["private"] = own
    owned = data.get("_owned")
    if owned:
        # `_owned`: indicator id -> the delegation that alone (with facilitators) may see it.
        out = _without_others_indicators(out, owned, viewer.delegation)
    return out


def _without_others_indicators(
    out: dict[str, Any], owned: dict[str, str], delegation: str | None
) -> dict[str, Any]:
    foreign = {k for k, code in owned.items() if code != delegation}
    for key in ("indicators", "effects"):
        if isinstance(out.get(key), dict):
            out[key] = {k: v for k, v in out[key].items() if k not in foreign}
    if out.get("indicator") in foreign:
        for key in ("value", "previous", "ruling", "name", "indicator"):
            out.pop(key, None)
    return out


def visible_indicators(scenario: Scenario, viewer: Viewer) -> list[str]:
    """The ids of the indicators this viewer may see (none when the scenario hides them)."""
    if not indicators_visible(scenario, viewer):
        return []
    return [
        i.id
        for i in scenario.indicators
        if viewer.is_facilitator or i.owner is None or i.owner == viewer.delegation
    ]


def event_view(event: EventRecord, viewer: Viewer) -> dict[str, Any]:
    """The wire form of an event for one viewer (call only when `can_see` is true)."""
    return {
        "seq": event.seq,
        "type": event.type,
        "at": iso(event.at),
        "actor": event.actor,
        "data": filter_data(event.data, viewer),
    }


def indicators_visible(scenario: Scenario, viewer: Viewer) -> bool:
    return viewer.is_facilitator or scenario.settings.indicators_visible_to_players


# Views already built, by scenario and kind of viewer (all a view depends on); each entry keeps
# its scenario alive, so an id is never reused while it is here. Every (re)connection's sync
# carries one: a reconnect storm builds a handful, not one per student.
_SCENARIO_VIEWS: dict[tuple[int, str, str | None], tuple[Scenario, dict[str, Any]]] = {}


def scenario_view(scenario: Scenario, viewer: Viewer) -> dict[str, Any]:
    """The scenario as this viewer may read it (shared between callers: never change it)."""
    key = (id(scenario), viewer.kind, viewer.delegation)
    cached = _SCENARIO_VIEWS.get(key)
    if cached is not None and cached[0] is scenario:
        return cached[1]
    if len(_SCENARIO_VIEWS) > 256:
        _SCENARIO_VIEWS.clear()
    view = _scenario_view(scenario, viewer)
    _SCENARIO_VIEWS[key] = (scenario, view)
    return view


def _scenario_view(scenario: Scenario, viewer: Viewer) -> dict[str, Any]:
    delegations = []
    for d in scenario.delegations:
        item: dict[str, Any] = {
            "code": d.code,
            "name": d.name,
            "colour": d.colour,
            "public_briefing": d.public_briefing,
            "roles": [{"id": r.id, "title": r.title, "lead": r.lead} for r in d.roles],
        }
        if viewer.is_facilitator or viewer.delegation == d.code:
            item["private_briefing"] = d.private_briefing
            item["objectives"] = [{"id": o.id, "text": o.text} for o in d.objectives]
            item["red_lines"] = [
                {"id": r.id, "text": r.text, "options": list(r.options)} for r in d.red_lines
            ]
        delegations.append(item)
    view: dict[str, Any] = {
        "slug": scenario.id,
        "version": scenario.version,
        "title": scenario.title,
        "summary": scenario.summary,
        "source_article": scenario.source_article.model_dump(mode="json"),
        "sources": [s.model_dump(mode="json") for s in scenario.sources]
        if viewer.is_facilitator
        else sources_known_in_play(scenario),
        "challenges": [c.model_dump(mode="json") for c in scenario.challenges],
        "indicators": [
            i.model_dump(mode="json")
            for i in scenario.indicators
            if i.id in visible_indicators(scenario, viewer)
        ],
        "settings": scenario.settings.model_dump(mode="json"),
        "moves": [
            {
                "id": m.id,
                "title": m.title,
                "challenge": m.challenge,
                "duration_minutes": m.duration_minutes,
                "summary": m.summary,
            }
            for m in scenario.moves
        ],
        "debrief_questions": [q.model_dump(mode="json") for q in scenario.debrief_questions],
        "theory_prompts": [p.model_dump(mode="json") for p in scenario.theory_prompts],
        "hot_wash": scenario.hot_wash,
        "track": _track_view(scenario),
        "delegations": delegations,
        "channels": all_channels(scenario.delegation_codes)
        if viewer.is_facilitator
        else channels_for(viewer.delegation, scenario.delegation_codes)
        if viewer.delegation
        else ["plenary"],
    }
    if viewer.is_facilitator:
        view["injects"] = [
            public_inject(scenario, i)
            | white_notes(i)
            | {"trigger": i.trigger, "offset_minutes": i.offset_minutes}
            for i in scenario.injects
        ]
        view["tracks"] = [
            {"id": t.id, "title": t.title, "summary": t.summary} for t in scenario.tracks
        ]
    return view


def _track_view(scenario: Scenario) -> dict[str, Any] | None:
    if scenario.track_id is None:
        return None
    track = scenario.track(scenario.track_id)
    return {"id": track.id, "title": track.title, "summary": track.summary}


def state_view(state: SessionState, viewer: Viewer, now: datetime) -> dict[str, Any]:
    """The session state as this viewer may read it (see `docs/protocol.md`)."""
    scenario = state.scenario
    codes = scenario.delegation_codes
    view: dict[str, Any] = {
        "status": state.status,
        "lobby_locked": state.lobby_locked,
        "clock": clock_view(state, now),
        "players": [seat_view(s, state) for s in state.seats.values() if not s.removed],
        "leads": dict(state.leads),
        "automatic": sorted(state.automatic),
        "injects": [],
        "proposals": [],
        "statements": _records(state.statements, viewer, scenario),
        "rulings": _records(state.rulings, viewer, scenario),
    }
    for status in sorted(state.injects.values(), key=lambda s: s.fired_seq or 0):
        if status.status != "fired" or not can_see(status.audience, viewer, scenario):
            continue
        item = dict(status.public) | {
            "status": status.status,
            "fired_at": iso(status.fired_at),
            "deadline_at": iso(status.deadline_at),
            "deadline_open": status.deadline_open,
            "outcome": status.outcome,
            "time_requests": requests_view(
                state, status.id, None if viewer.is_facilitator else viewer.delegation or "-"
            ),
        }
        if viewer.is_facilitator:
            item.update(status.white)
        view["injects"].append(item)
    for proposal in state.proposals.values():
        if not can_see(proposal.audience, viewer, scenario):
            continue
        item = proposal_view(proposal)
        if viewer.is_facilitator:
            item["red_lines_by_delegation"] = {
                c: lines
                for c in audience_codes(proposal.audience, codes)
                if (lines := crossed_red_lines(scenario, c, proposal.current.options))
            }
        elif viewer.delegation:
            item["red_lines"] = crossed_red_lines(
                scenario, viewer.delegation, proposal.current.options
            )
        view["proposals"].append(item)
    shown = visible_indicators(scenario, viewer)
    if shown:
        hidden_now = (
            scenario.settings.indicators_hidden_during_moves
            and not viewer.is_facilitator
            and state.status != "ended"
        )
        values = state.revealed_indicators if hidden_now else state.indicators
        view["indicators"] = {k: v for k, v in values.items() if k in shown}
    if viewer.is_facilitator:
        view["scores"] = {c: _score(state, c) for c in codes}
        view["injects_pending"] = _pending(state, now)
        view["hotwash"] = [
            {"player_id": pid, **answers} for pid, answers in sorted(state.hotwash.items())
        ]
        view["debrief_unlocked"] = state.debrief_unlocked
    elif viewer.delegation:
        view["scores"] = {viewer.delegation: _score(state, viewer.delegation)}
        view["briefing_updates"] = briefing_updates(state, viewer.delegation)
        view["hotwash_sent"] = viewer.player_id in state.hotwash
    else:
        view["scores"] = {}
    return view


def briefing_updates(state: SessionState, code: str) -> list[dict[str, str]]:
    """The briefing updates a delegation has received: those of every move begun so far."""
    begun = [m.id for m in state.scenario.moves[: state.clock.move_index + 1]]
    updates = {u.move: u.text for u in state.scenario.delegation(code).briefing_updates}
    return [{"move": m, "text": updates[m]} for m in begun if m in updates]


def _records(
    records: list[dict[str, Any]], viewer: Viewer, scenario: Scenario
) -> list[dict[str, Any]]:
    """Events kept as list entries (statements, rulings), as this viewer may read them: the same
    audience check and the same field filter as the events themselves. An entry that does not
    say its audience is shown to facilitators only (closed by default)."""
    return [
        {
            "seq": record["seq"],
            **filter_data({k: v for k, v in record.items() if k not in ("seq", "at")}, viewer),
            "at": iso(record["at"]),
        }
        for record in records
        if can_see(record.get("_audience", "white"), viewer, scenario)
    ]


def _score(state: SessionState, code: str) -> dict[str, Any]:
    objectives = dict(state.scores.get(code, {}))
    return {"total": sum(objectives.values()), "objectives": objectives}


def _pending(state: SessionState, now: datetime) -> list[dict[str, Any]]:
    from app.engine.clock import due_at

    items = []
    for inject in state.scenario.injects:
        status = state.injects[inject.id]
        if status.status == "fired":
            continue
        items.append(
            {
                "id": inject.id,
                "title": inject.title,
                "move": inject.move,
                "order": inject.order,
                "trigger": inject.trigger,
                "offset_minutes": inject.offset_minutes,
                "status": status.status,
                "due_at": iso(status.due_at or due_at(state, inject, now)),
                "audience": "all" if inject.audience == "all" else list(inject.audience),
                "skip_reason": status.skip_reason,
                "release": status.release,
                "cause": status.cause or None,
                "condition": bool(inject.condition),
            }
        )
    return items
