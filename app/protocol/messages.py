"""The Socket.IO messages besides events, declared: the sync (per kind of viewer), the
acknowledgements, the signals outside the log, what a client sends to connect and to page back.

The shapes follow what `app/realtime/handlers.py`, `service.py`, `presence.py` and
`app/engine/visibility.py` build; the contract tests (tests/contract) check every one the test
suite receives against the schemas generated from here, so the two cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from app.content import schema as content
from app.engine.events import (
    ACTOR,
    AUDIENCE,
    CLOCK,
    EVENTS,
    INDICATORS,
    INJECT,
    MOVE,
    PLAYER,
    PROPOSAL,
    RED_LINE,
    SCORE,
    SOURCE,
    WHITE_NOTES,
    data_fields,
)
from app.engine.shapes import (
    BOOL,
    CODE,
    EVENT,
    INT,
    NUM,
    REF,
    STR,
    TEXT,
    TIME,
    VIEWER_KIND,
    Out,
    define,
    doc,
    enum,
    extend,
    list_of,
    map_of,
    matching,
    null,
    obj,
    opt,
    players,
    raw,
    readers,
    white,
)
from app.realtime.sessions import CODE_ALPHABET

# Every `error.code` a command's (or history's) acknowledgement may carry, with its meaning.
ERROR_CODES: dict[str, str] = {
    "bad_command": "not an object, no usable id / type, or sent with a second argument",
    "unknown_command": "the type is not a command",
    "missing_field": "a required field is absent or empty (message names it)",
    "bad_field": "a field has the wrong type, is out of range or is not well-formed text",
    "too_large": "a text or the whole command is over its limit",
    "not_facilitator": "the command is for facilitators",
    "not_player": "the command is for seated players (observers can only read)",
    "not_your_delegation": "acting for, or in a channel of, another delegation",
    "not_lead": "only the delegation's lead may do that",
    "not_found": "no such inject, proposal, version, player, channel, option or indicator",
    "wrong_state": "not possible now",
    "session_ended": "the session has ended (only debrief.* is accepted)",
    "seat_moved": "the seat moved to another device; this connection no longer acts for it",
    "condition_unmet": "the inject's condition does not hold (send override: true)",
    "session_deleted": "the session no longer exists",
    "id_reused": "the id was used before for a command with other content; nothing was done",
    "server_error": "the server failed; nothing was recorded; re-send with the same id",
    "rate_limited": "too many commands; wait error.retry_after seconds",
    "bad_token": "the connection's credentials ended; sign in again",
}
# Session codes (join, observer) and seat codes use one alphabet without look-alike characters.
SESSION_CODE = matching(f"^[{CODE_ALPHABET}]{{6}}$")
SEAT_CODE = matching(f"^[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}$")
CONNECT_ERROR_CODES = {
    "bad_token": "the token is not (or no longer) valid",
    "no_session": "a facilitator must say which session (session_id)",
    "not_your_session": "the facilitator does not facilitate that session",
    "session_deleted": "the session no longer exists",
    "too_many_connections": "the client's address has too many connections open",
}


def _pydantic(model: Any) -> Out:
    """A scenario part sent as the loader's pydantic model dumps it: its own JSON Schema."""
    found = model.model_json_schema(mode="serialization")
    assert "$defs" not in found, f"{model.__name__} nests models; declare it by hand"
    return raw(found)


TRACK = obj(id=REF, title=STR, summary=STR)
DELEGATION = obj(
    code=CODE,
    name=STR,
    colour=STR,
    public_briefing=STR,
    roles=list_of(obj(id=REF, title=STR, lead=BOOL)),
    private_briefing=opt(readers(STR)),
    objectives=opt(readers(list_of(obj(id=REF, text=STR)))),
    red_lines=opt(readers(list_of(RED_LINE))),
)
SCENARIO = define(
    "scenario",
    obj(
        slug=REF,
        version=INT,
        title=STR,
        summary=STR,
        source_article=_pydantic(content.SourceArticle),
        sources=list_of(SOURCE),
        challenges=list_of(_pydantic(content.Challenge)),
        indicators=list_of(_pydantic(content.Indicator)),
        settings=_pydantic(content.Settings),
        moves=list_of(MOVE),
        debrief_questions=list_of(_pydantic(content.DebriefQuestion)),
        theory_prompts=list_of(_pydantic(content.TheoryPrompt)),
        hot_wash=BOOL,
        track=null(TRACK),
        delegations=list_of(
            doc(DELEGATION, "private parts: a player's own delegation only; facilitators: all")
        ),
        channels=doc(list_of(STR), "the channels this reader may read"),
        injects=white(
            list_of(
                extend(
                    INJECT,
                    **WHITE_NOTES,
                    trigger=enum("scheduled", "manual", "reaction"),
                    offset_minutes=null(INT),
                )
            )
        ),
        tracks=white(list_of(TRACK)),
    ),
)
INJECT_STATE = define(
    "inject_state",
    extend(
        INJECT,
        **WHITE_NOTES,
        status=enum("fired"),
        fired_at=TIME,
        deadline_at=null(TIME),
        deadline_open=BOOL,
        outcome=null(enum("adopted", "no_consensus")),
        time_requests=list_of(obj(delegation=CODE, minutes=INT, by=ACTOR, at=TIME, seq=INT)),
    ),
)
PROPOSAL_STATE = define(
    "proposal_state",
    extend(
        PROPOSAL,
        red_lines=players(list_of(RED_LINE)),
        red_lines_by_delegation=white(map_of(list_of(RED_LINE), keys="code")),
    ),
)
RECORD = {"seq": INT, "at": TIME}
PENDING = obj(
    id=REF,
    title=STR,
    move=REF,
    order=INT,
    trigger=enum("scheduled", "manual", "reaction"),
    offset_minutes=null(INT),
    status=enum("pending", "held", "queued", "skipped"),
    due_at=null(TIME),
    audience=AUDIENCE,
    skip_reason=null(STR),
    release=null(enum("white_cell", "automatic")),
    cause=null(obj(option=REF, how=enum("adopted", "stated"), delegation=null(CODE))),
    condition=BOOL,
)
STATE = define(
    "state",
    obj(
        status=enum("lobby", "running", "paused", "ended"),
        lobby_locked=BOOL,
        clock=CLOCK,
        players=list_of(PLAYER),
        leads=map_of(null(INT), keys="code"),
        automatic=list_of(CODE),
        injects=list_of(INJECT_STATE),
        proposals=list_of(PROPOSAL_STATE),
        statements=list_of(obj(**RECORD, **data_fields(EVENTS["statement_issued"]))),
        rulings=list_of(obj(**RECORD, **data_fields(EVENTS["indicator_overridden"]))),
        indicators=opt(doc(INDICATORS, "absent when the scenario hides indicators from players")),
        scores=map_of(SCORE, keys="code"),
        injects_pending=white(list_of(PENDING)),
        hotwash=white(
            list_of(
                obj(
                    player_id=INT,
                    went_well=opt(TEXT),
                    to_improve=opt(TEXT),
                    surprised=opt(TEXT),
                )
            )
        ),
        debrief_unlocked=white(BOOL),
        briefing_updates=players(list_of(obj(move=REF, text=STR))),
        hotwash_sent=players(BOOL),
    ),
)
YOU = define(
    "you",
    obj(
        kind=VIEWER_KIND,
        name=STR,
        facilitator_id=white(INT),
        player_id=players(INT),
        delegation=players(CODE),
        role=players(STR),
        role_title=players(STR),
        lead=players(BOOL),
        device=players(doc(INT, "how many times the seat moved to another device")),
        reclaim_code=players(doc(SEAT_CODE, "the seat code, e.g. K7QX-4MCD")),
    ),
)
SESSION = define(
    "session",
    obj(
        id=INT,
        title=STR,
        status=enum("lobby", "running", "paused", "ended"),
        scenario=obj(slug=REF, version=INT, title=STR),
        created_at=TIME,
        head_seq=INT,
        join_code=white(SESSION_CODE),
        observer_code=white(SESSION_CODE),
        owner=white(doc(STR, "the owner's account name")),
    ),
)
SYNC = obj(
    you=YOU,
    session=SESSION,
    scenario=SCENARIO,
    state=STATE,
    events=doc(list_of(EVENT), "the visible events with seq > events_after, in order"),
    from_seq=doc(INT, "the last_seq the client connected with (0 if none or invalid)"),
    events_after=INT,
    server_time=TIME,
    online=doc(list_of(INT), "seated players with a connection to this server process"),
    reclaim_codes=white(map_of(SEAT_CODE, keys="int")),
)
ENVELOPE = {"seq": INT, "type": STR, "at": TIME, "actor": ACTOR}

ERROR = obj(
    code=enum(*ERROR_CODES),
    message=STR,
    retry_after=opt(doc(NUM, "rate_limited only: seconds before the next command can pass")),
)
COMMAND_ACK_OK = obj(
    ok=enum(True),
    seq=null(doc(INT, "the seq of the command's last event, already committed")),
    duplicate=opt(doc(enum(True), "the id was seen before: this is the first answer again")),
)
ACK_ERROR = obj(ok=enum(False), error=ERROR)
HISTORY_ACK_OK = obj(ok=enum(True), events=list_of(EVENT), events_after=INT)

SIGNALS: dict[str, tuple[str, Out]] = {
    "presence": (
        "facilitators and every delegation: a player's first connection opened or last closed",
        obj(player_id=INT, online=BOOL),
    ),
    "seat_code": (
        "facilitators (every join and reissue) and the seat itself (a reissue)",
        obj(player_id=INT, code=SEAT_CODE),
    ),
    "seat_moved": (
        "the old device's sockets: the seat moved to another device",
        obj(player_id=INT, device=INT, message=STR),
    ),
    "session_deleted": (
        "every socket of a deleted session, before it is disconnected",
        obj(code=enum("session_deleted"), message=STR, session_id=INT),
    ),
    "signed_out": (
        "every socket of a facilitator account that signed out or got a new password, before it"
        " is disconnected",
        obj(code=enum("bad_token"), message=STR),
    ),
}
CONNECT_AUTH = obj(
    token=doc(STR, "a seat (p.), observer (o.) or facilitator (f.) token"),
    session_id=opt(doc(INT, "facilitators only: which session")),
    last_seq=opt(doc(INT, "the highest seq this client has seen")),
)
CONNECT_ERROR = obj(code=enum(*CONNECT_ERROR_CODES), message=STR)
HISTORY_REQUEST = obj(
    before_seq=INT, limit=opt(doc(INT, "at most (and by default) 500; clamped to 1-500"))
)
