"""The events the rules make, declared: each type's audience and the shape of its `data`.

This registry is the source of `docs/spec/schemas/event*.json` (app/protocol/spec.py). While the
tests run, every `Draft` the rules make is checked against it (`CHECKING`, `check_draft`), so an
event that gains a field, or a new event type, fails at once until it is declared here.

A draft's data is the facilitators' form plus internal parts the visibility filter resolves
(app/engine/visibility.py, `filter_data`): `_white` (facilitator-only fields, declared `white`),
`_private` (per delegation: each player gets their own delegation's as `private`, facilitators
all of them as `private_by_delegation`), `_hidden` and `_owned` (indicator numbers some readers
do not get: declared `hideable`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.engine.shapes import (
    BOOL,
    CODE,
    INT,
    NUM,
    REF,
    STR,
    TEXT,
    TIME,
    VIEWERS,
    Out,
    define,
    either,
    enum,
    hideable,
    list_of,
    map_of,
    null,
    obj,
    opt,
    problems,
    white,
)

CHECKING = False  # tests/conftest.py turns it on: every draft is checked as it is made

# --- shared objects -------------------------------------------------------------------------------

ACTOR = define(
    "actor",
    obj(
        kind=enum("player", "facilitator", "system", "auto"),
        id=null(INT),
        name=STR,
        delegation=null(CODE),
    ),
)
PLAYER = define(
    "player",
    obj(
        id=INT,
        name=STR,
        delegation=CODE,
        role=STR,
        role_title=STR,
        lead=BOOL,
        removed=BOOL,
    ),
)
CLOCK = define(
    "clock",
    obj(
        status=enum("lobby", "running", "paused", "ended"),
        move_index=INT,
        move_id=null(REF),
        move_started_at=null(TIME),
        paused_at=null(TIME),
        paused_seconds=NUM,
        elapsed_seconds=NUM,
    ),
)
MOVE = define("move", obj(id=REF, title=STR, summary=STR, challenge=REF, duration_minutes=INT))
SOURCE = define("source", obj(id=REF, title=STR, publisher=STR, date=STR, url=null(STR)))
AUDIENCE = define("audience", either(enum("all"), list_of(CODE)))
INJECT = define(
    "inject",
    obj(
        id=REF,
        move=REF,
        order=INT,
        title=STR,
        body=STR,
        date=null(STR),
        hypothetical=BOOL,
        challenge=null(REF),
        audience=AUDIENCE,
        sources=list_of(SOURCE),
        response_options=list_of(obj(id=REF, text=STR)),
        deadline_minutes=null(INT),
        adhoc=BOOL,
        speaker=opt(null(STR)),
        reaction=opt(BOOL),
    ),
)
# Facilitators' notes on an inject (`inject.write` records only who wrote it).
WHITE_NOTES = {
    "teaching_point": opt(white(STR)),
    "expected_action": opt(white(STR)),
    "what_happened": opt(white(null(STR))),
    "condition_overridden": opt(white(STR)),
    "written_by": opt(white(STR)),
}
INDICATORS = map_of(INT)
RED_LINE = define("red_line", obj(id=REF, text=STR, options=list_of(REF)))
PROPOSAL = define(
    "proposal",
    obj(
        id=INT,
        inject_id=null(REF),
        status=enum("open", "adopted", "withdrawn", "closed"),
        author=ACTOR,
        delegation=CODE,
        tabled_at=TIME,
        version=INT,
        versions=list_of(obj(n=INT, text=STR, options=list_of(REF), author=ACTOR, at=TIME)),
        positions=map_of(
            obj(
                stance=enum("endorse", "reject", "reserve"),
                version=INT,
                reason=STR,
                by=ACTOR,
                at=TIME,
            ),
            keys="code",
        ),
        adopted_version=null(INT),
        closed_reason=null(STR),
    ),
)
SCORE = define("score", obj(total=INT, objectives=map_of(INT)))

# After a pause: the queued reactions' new ready times (they are the White Cell's).
SHIFTED_REACTIONS = opt(white(map_of(TIME)))
BRIEFING = obj(briefing_update=obj(move=REF, text=STR))
RED_LINES = obj(red_lines=list_of(RED_LINE))


@dataclass(frozen=True)
class EventShape:
    """An event type: who hears it (in words), its data, and its per-delegation private part."""

    audience: str
    data: dict[str, Out]
    private: Out | None = None
    doc: str = ""

    @property
    def viewers(self) -> tuple[str, ...]:
        """The kinds of viewer that may receive it."""
        if self.audience == "facilitators":
            return ("facilitator",)
        if self.audience == "facilitators and the asking delegation":
            return ("facilitator", "player")
        return VIEWERS


def _proposal_event(**fields: Out) -> EventShape:
    return EventShape(
        "the inject's audience (a general proposal: all)",
        {"proposal_id": INT, **fields, "proposal": PROPOSAL},
        RED_LINES,
        "`private.red_lines`: the reader's delegation's red lines the current version crosses",
    )


EVENTS: dict[str, EventShape] = {
    "session_created": EventShape(
        "all",
        {
            "title": STR,
            "scenario": obj(slug=REF, version=INT, title=STR, hash=STR),
            "delegations": list_of(CODE),
            "track": opt(REF),
        },
    ),
    "player_joined": EventShape("all", {"player": PLAYER}),
    "player_moved": EventShape("all", {"player": PLAYER, "from": CODE}),
    "player_removed": EventShape("all", {"player_id": INT}),
    "lead_set": EventShape("all", {"delegation": CODE, "player_id": null(INT)}),
    "seat_reclaimed": EventShape("facilitators", {"player_id": INT, "device": INT}),
    "seat_code_reissued": EventShape("facilitators", {"player_id": INT, "round": INT}),
    "lobby_locked": EventShape("all", {"locked": BOOL}),
    "delegation_automatic": EventShape("all", {"delegation": CODE, "automatic": BOOL}),
    "session_started": EventShape("all", {"clock": CLOCK, "move": MOVE}, BRIEFING),
    "session_paused": EventShape("all", {"clock": CLOCK}),
    "session_resumed": EventShape(
        "all",
        {
            "paused_seconds": NUM,
            "deadlines": map_of(TIME),
            "clock": CLOCK,
            "reactions": SHIFTED_REACTIONS,
        },
    ),
    "move_advanced": EventShape(
        "all",
        {
            "clock": CLOCK,
            "move": MOVE,
            "deadlines": map_of(TIME),
            "reactions": SHIFTED_REACTIONS,
            "indicators": opt(hideable(INDICATORS)),
        },
        BRIEFING,
    ),
    "session_ended": EventShape(
        "all",
        {"clock": CLOCK, "closed_proposals": list_of(INT), "indicators": opt(hideable(INDICATORS))},
    ),
    "inject_fired": EventShape(
        "all, or the inject's delegations",
        {"inject": INJECT, "deadline_at": null(TIME), **WHITE_NOTES},
    ),
    "inject_held": EventShape("facilitators", {"inject_id": REF}),
    "inject_released": EventShape("facilitators", {"inject_id": REF}),
    "inject_skipped": EventShape(
        "facilitators",
        {"inject_id": REF, "by_condition": opt(enum(True)), "reason": opt(STR)},
    ),
    "reaction_queued": EventShape(
        "facilitators",
        {
            "inject_id": REF,
            "title": STR,
            "due_at": TIME,
            "release": enum("white_cell", "automatic"),
            "cause": obj(option=REF, how=enum("adopted", "stated"), delegation=null(CODE)),
        },
    ),
    "hotwash_submitted": EventShape(
        "facilitators",
        {
            "delegation": CODE,
            "answers": obj(went_well=opt(TEXT), to_improve=opt(TEXT), surprised=opt(TEXT)),
        },
    ),
    "debrief_unlocked": EventShape("facilitators", {}),
    "deadline_extended": EventShape(
        "the inject's audience", {"inject_id": REF, "deadline_at": TIME}
    ),
    "deadline_expired": EventShape(
        "the inject's audience",
        {"inject_id": REF, "outcome": enum("no_consensus"), "closed_proposals": list_of(INT)},
    ),
    "time_requested": EventShape(
        "facilitators and the asking delegation",
        {"inject_id": REF, "delegation": CODE, "minutes": INT},
    ),
    "message_posted": EventShape(
        "the channel's members", {"channel": STR, "text": TEXT, "speaker": opt(TEXT)}
    ),
    "proposal_tabled": _proposal_event(inject_id=null(REF), text=TEXT, options=list_of(REF)),
    "proposal_amended": _proposal_event(version=INT, text=TEXT, options=list_of(REF)),
    "proposal_withdrawn": _proposal_event(),
    "proposal_position": _proposal_event(
        delegation=CODE,
        stance=enum("endorse", "reject", "reserve"),
        version=INT,
        reason=STR,
    ),
    "proposal_adopted": EventShape(
        "the inject's audience (a general proposal: all)",
        {
            "proposal_id": INT,
            "version": INT,
            "inject_id": null(REF),
            "options": list_of(REF),
            "text": TEXT,
            "effects": hideable(INDICATORS),
            "indicators": hideable(INDICATORS),
            "closed_proposals": list_of(INT),
            "proposal": PROPOSAL,
            "score_deltas": white(map_of(map_of(INT), keys="code")),
        },
        obj(score=obj(delta=map_of(INT), objectives=map_of(INT), total=INT)),
        "`private.score`: the reader's delegation's score change",
    ),
    "indicators_changed": EventShape(
        "all", {"indicators": hideable(INDICATORS), "cause": enum("adoption", "statement")}
    ),
    "statement_issued": EventShape(
        "the inject's audience (a general statement: all)",
        {
            "delegation": CODE,
            "inject_id": null(REF),
            "text": TEXT,
            "options": list_of(REF),
            "effects": hideable(INDICATORS),
            "indicators": hideable(INDICATORS),
        },
    ),
    "indicator_overridden": EventShape(
        "all",
        {
            # About an indicator another delegation owns, a reader gets none of these.
            "indicator": hideable(REF),
            "name": hideable(STR),
            "value": hideable(INT),
            "previous": hideable(INT),
            "ruling": hideable(TEXT),
        },
    ),
}

INTERNAL = {"_white", "_private", "_hidden", "_owned"}


def data_fields(shape: EventShape) -> dict[str, Out]:
    """An event's data fields as the wire carries them, `private` parts included."""
    fields = dict(shape.data)
    if shape.private is not None:
        from app.engine.shapes import players

        fields["private"] = opt(players(shape.private))
        fields["private_by_delegation"] = opt(white(map_of(shape.private, keys="code")))
    return fields


class ShapeError(AssertionError):
    """A draft that does not match its declaration (a programming error; tests only)."""


def check_draft(kind: str, data: dict[str, Any]) -> None:
    """Raise ShapeError when a draft's data does not match its declared shape."""
    shape = EVENTS.get(kind)
    if shape is None:
        raise ShapeError(f"event type {kind!r} is not declared in app/engine/events.py")
    wrong = [k for k in data if k.startswith("_") and k not in INTERNAL]
    if "_private" in data and shape.private is None:
        wrong.append("_private (the event declares no private part)")
    # The facilitators' form: every field, the white notes merged, all private parts.
    seen = {k: v for k, v in data.items() if not k.startswith("_")}
    seen.update(data.get("_white", {}))
    if "_private" in data:
        seen["private_by_delegation"] = data["_private"]
    found = [f"{k}: internal key not known" for k in wrong]
    found += problems(obj(**data_fields(shape)), seen, "facilitator")
    if found:
        raise ShapeError(f"event {kind!r} does not match app/engine/events.py: " + "; ".join(found))
