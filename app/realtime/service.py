"""Running commands against the log: load state, decide, append, commit, then emit.

A command is acknowledged only after its events are committed. Each process keeps a cache of
session states and catches it up from the log before every decision, so several processes
(or a restarted one) always decide on the latest state; a conflicting append is retried.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from app import heap
from app.content.schema import Scenario
from app.engine import (
    FACILITATOR,
    OBSERVER,
    Actor,
    CommandError,
    Draft,
    EventRecord,
    SessionState,
    Viewer,
    apply,
    can_see,
    check_device,
    decide,
    event_view,
    new_state,
    parse_command,
    rooms_for,
)
from app.extensions import db, socketio
from app.store.eventlog import find_command, read_events, stage_command, stage_events
from app.store.models import GameSession
from app.store.scenarios import scenario_content

MAX_ATTEMPTS = 8
CACHE_LIMIT = 64  # cached session states before ended ones are dropped
_states: dict[int, SessionState] = {}
_wrote_last: dict[int, int] = {}  # session id -> the last seq this process committed
# The last SYNC_TAIL_EVENTS events of every cached state, in seq order, kept as they are folded:
# a (re)connection's sync ships that tail, and reading and decoding those rows from the database
# was a third of what a sync cost (a storm of 300 reconnections read 150,000 rows).
_tails: dict[int, deque[EventRecord]] = {}
# Session nonces, read once per session when this process is the only writer (deleting a session
# goes through `forget`); with several processes every command reads it (see `current_nonce`).
_nonces: dict[int, str] = {}
# The event views of the last sync built for each kind of viewer of a session (facilitator,
# observer, each delegation), reused while the log has not moved: a reconnect storm of a class
# builds a handful of lists, not one per student.
_sync_views: dict[tuple[int, str, str | None], tuple[int, int, list[dict[str, Any]]]] = {}
_locks: dict[int, threading.RLock] = {}
_locks_guard = threading.Lock()


_moment = threading.local()  # green-thread local under eventlet and gevent (patched)


def utcnow() -> datetime:
    """Now, in UTC; while `record` decides, the one moment its events will be stamped with."""
    pinned = getattr(_moment, "at", None)
    return pinned or datetime.now(UTC).replace(tzinfo=None)


def session_lock(session_id: int) -> threading.RLock:
    with _locks_guard:
        return _locks.setdefault(session_id, threading.RLock())


def forget(session_id: int) -> None:
    """Drop a cached state (the session was deleted, or a test wants a cold start)."""
    _states.pop(session_id, None)
    _wrote_last.pop(session_id, None)
    _tails.pop(session_id, None)
    _nonces.pop(session_id, None)
    for key in [k for k in _sync_views if k[0] == session_id]:
        _sync_views.pop(key, None)


def forget_all() -> None:
    """Drop every cached state (a test's fresh database)."""
    for session_id in {*_states, *_tails, *_nonces, *(k[0] for k in _sync_views)}:
        forget(session_id)


def load_state(session_id: int, trust_cache: bool = False) -> SessionState:
    """The session's state, caught up with everything committed to the log.

    `trust_cache` (a command's first try) skips the catch-up query when this process committed
    the last event it knows and no other process shares the database's sessions (no message
    queue). Even if another writer did append meanwhile, the append that follows collides on
    `UNIQUE(session_id, seq)` and the retry reads the log.
    """
    state = _states.get(session_id)
    folded = state is None
    if state is None:
        game = db.session.get(GameSession, session_id)
        if game is None:
            raise CommandError("not_found", "There is no such session.")
        state = new_state(scenario_content(game.scenario), session_id)
        _tails[session_id] = deque(maxlen=current_app.config["SYNC_TAIL_EVENTS"])
    if not (trust_cache and _wrote_last.get(session_id) == state.seq and _single_process()):
        _fold(state, read_events(session_id, after_seq=state.seq))
    _states[session_id] = state
    if folded:
        heap.freeze()  # a folded state lives as long as the session: out of the collector's way
    if len(_states) > CACHE_LIMIT:
        _evict_ended(keep=session_id)
    return state


def _fold(state: SessionState, events: list[EventRecord]) -> None:
    """Fold committed events into a cached state, and keep them in its tail."""
    tail = _tails.get(state.session_id)
    for event in events:
        apply(state, event)
        if tail is not None:
            if tail and tail[-1].seq != event.seq - 1:
                tail.clear()  # never a gap: the tail is a contiguous end of the log
            tail.append(event)


def recent_events(session_id: int, after_seq: int, upto_seq: int) -> list[EventRecord]:
    """The events after_seq < seq <= upto_seq: from memory when the cached tail holds them all
    (a sync of a state just loaded), else from the log."""
    if after_seq >= upto_seq:
        return []
    tail = tuple(_tails.get(session_id, ()))  # a snapshot: other threads may append meanwhile
    if tail and tail[0].seq <= after_seq + 1 and tail[-1].seq >= upto_seq:
        return [e for e in tail if after_seq < e.seq <= upto_seq]
    return [e for e in read_events(session_id, after_seq=after_seq) if e.seq <= upto_seq]


def sync_events(
    session_id: int, after_seq: int, upto_seq: int, viewer: Viewer, scenario: Scenario
) -> list[dict[str, Any]]:
    """What a sync ships as `events`: the views, for this viewer, of the events it may see with
    after_seq < seq <= upto_seq. The list is shared between syncs: never change it."""
    key = (session_id, viewer.kind, viewer.delegation)  # all a view depends on (visibility.py)
    cached = _sync_views.get(key)
    if cached is not None and cached[:2] == (after_seq, upto_seq):
        return cached[2]
    views = [
        event_view(e, viewer)
        for e in recent_events(session_id, after_seq, upto_seq)
        if can_see(e.audience, viewer, scenario)
    ]
    _sync_views[key] = (after_seq, upto_seq, views)
    return views


def current_nonce(session_id: int, fresh: bool = False) -> str | None:
    """The session's nonce as stored (None: deleted). One process alone deletes through
    `forget`, so it may remember it; several processes read it past any cache, every time.
    `fresh` reads it again whatever is remembered (a command was refused: was it deleted by
    someone else after all?)."""
    single = _single_process()
    if fresh:
        _nonces.pop(session_id, None)
    elif single and session_id in _nonces:
        return _nonces[session_id]
    nonce = db.session.scalar(select(GameSession.nonce).where(GameSession.id == session_id))
    if single and nonce is not None:
        _nonces[session_id] = nonce
    return nonce


def _single_process() -> bool:
    # Several processes on one database need the message queue to reach each other's clients.
    return not current_app.config["SOCKETIO_MESSAGE_QUEUE"]


def _evict_ended(keep: int) -> None:
    # A server that runs a seminar a day for a term should not keep every state it ever loaded;
    # ended sessions are cheap to fold again if someone opens them.
    for session_id in [sid for sid, s in _states.items() if s.status == "ended" and sid != keep]:
        forget(session_id)


def record(
    session_id: int,
    actor: Actor,
    build: Callable[[SessionState], list[Draft]],
    command: tuple[str, str, str, str] | None = None,
) -> list[EventRecord]:
    """Append the events `build(state)` returns, committed, retrying on a concurrent writer.

    `command` is (actor key, command id, type, content hash) for idempotency. Raises
    CommandError when the rules refuse. Emits the committed events to their rooms.
    """
    try:
        return _record(session_id, actor, build, command)
    finally:
        _moment.at = None  # later calls of utcnow() in this thread read the clock again


def _record(
    session_id: int,
    actor: Actor,
    build: Callable[[SessionState], list[Draft]],
    command: tuple[str, str, str, str] | None,
) -> list[EventRecord]:
    # A re-sent command id is found without a query of its own on the way that succeeds: its
    # `commands` row collides with the first one's at insert. Every other way out (refused, no
    # events, a conflict) looks it up before answering, so a duplicate gets the first answer (and an
    # id already used for other content is refused, `id_reused`).
    with session_lock(session_id):
        for attempt in range(MAX_ATTEMPTS):
            _lock_across_processes(session_id)
            state = load_state(session_id, trust_cache=attempt == 0)
            # The log names the player's delegation as it is now (a seat may have moved).
            actor = _refresh(actor, state)
            # One moment per attempt: the rules decide with it and the events are stamped with
            # it, so a clock or position in an event equals what the fold derives from its time.
            _moment.at = None  # a retry decides at its own moment
            now = _moment.at = utcnow()
            try:
                drafts = build(state)
            except CommandError:
                db.session.rollback()
                _raise_if_duplicate(session_id, command)
                if attempt == 0 and _caught_up(state):
                    continue  # refused on a cached state another writer had moved past
                raise
            except Exception:
                db.session.rollback()
                _raise_if_duplicate(session_id, command)
                raise
            if not drafts:
                db.session.rollback()
                _raise_if_duplicate(session_id, command)
                return []
            try:
                records = stage_events(session_id, drafts, actor.as_dict(), state.seq, now)
                if command is not None:
                    stage_command(session_id, *command[:3], records, content_hash=command[3])
                _update_status(session_id, state, records)
                db.session.commit()
            except (IntegrityError, OperationalError):
                # A re-sent command, or another process appended first (or SQLite was busy):
                # reload and decide again.
                db.session.rollback()
                _raise_if_duplicate(session_id, command)
                current_app.logger.info(
                    "append conflict on session %s (try %s)", session_id, attempt
                )
                continue
            _wrote_last[session_id] = records[-1].seq
            _fold(state, records)
            emit_events(session_id, state, records)
            return records
        raise CommandError("server_error", "The server was too busy to record that; send it again.")


# The first key of PostgreSQL's two-key advisory locks taken per session while appending (the
# second is the session id); any constant no other lock of this database uses.
APPEND_LOCK_CLASS = 0x0C5152


def _lock_across_processes(session_id: int) -> None:
    """Several processes on PostgreSQL: hold the session's append lock until this transaction
    ends (commit or rollback), so that they take turns instead of colliding.

    Optimistic appends alone are correct (`UNIQUE(session_id, seq)`), but when students join one
    session through two processes at once every process keeps losing the race and retrying: the
    floor bench saw joins refused after eight tries. `session_lock` does the same within one
    process; SQLite has one writer at a time anyway."""
    if _single_process() or db.engine.dialect.name != "postgresql":
        return
    db.session.execute(
        text("SELECT pg_advisory_xact_lock(:cls, :id)"),
        {"cls": APPEND_LOCK_CLASS, "id": session_id},
    )


class _Duplicate(Exception):
    def __init__(self, seq: int) -> None:
        self.seq = seq


def _caught_up(state: SessionState) -> bool:
    """Fold what the log holds past `state`; True if there was anything."""
    events = read_events(state.session_id, after_seq=state.seq)
    _fold(state, events)
    return bool(events)


def _raise_if_duplicate(session_id: int, command: tuple[str, str, str, str] | None) -> None:
    if command is not None:
        previous = find_command(session_id, command[0], command[1])
        if previous is None:
            return
        if previous.content_hash is not None and previous.content_hash != command[3]:
            raise CommandError(
                "id_reused",
                f"The id {command[1]!r} was already used for a different command"
                f" ({previous.type}); nothing was recorded. Give each new command a new id.",
            )
        raise _Duplicate(previous.last_seq)


def content_hash(kind: str, fields: dict[str, Any]) -> str:
    """SHA-256 of a command's canonical content: its type and its checked fields (trimmed,
    NFC-normalised, absent optional fields as null), so a true re-send always matches."""
    canonical = json.dumps(
        {"type": kind, "fields": fields}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _update_status(session_id: int, state: SessionState, records: list[EventRecord]) -> None:
    # The sessions table keeps status as a read model, for listing and for the scheduler.
    status = {
        "session_started": "running",
        "session_resumed": "running",
        "move_advanced": "running",
        "session_paused": "paused",
        "session_ended": "ended",
    }
    new = next((status[r.type] for r in reversed(records) if r.type in status), None)
    if new is not None:
        game = db.session.get(GameSession, session_id)
        game.status = new


def execute(
    session_id: int, actor: Actor, actor_key: str, raw: Any, device: int | None = None
) -> dict[str, Any]:
    """Run one client command and return its acknowledgement (never raises).

    `device`: the device number a player's socket connected with; a seat that has moved to
    another device since refuses it (`seat_moved`)."""
    try:
        size = command_size(raw)
    except (TypeError, ValueError):
        return _error("bad_command", "A command must be plain JSON.")
    limit = current_app.config["MAX_PAYLOAD_BYTES"]
    if size > limit:
        return _error(
            "too_large", f"The command is {size} bytes; the limit is {limit} (JSON, UTF-8)."
        )
    try:
        command_id, kind, fields = parse_command(raw, current_app.config["MAX_MESSAGE_CHARS"])
        records = record(
            session_id,
            actor,
            lambda state: _decide(state, actor, kind, fields, device),
            (actor_key, command_id, kind, content_hash(kind, fields)),
        )
        return {"ok": True, "seq": records[-1].seq if records else None}
    except _Duplicate as duplicate:
        return {"ok": True, "seq": duplicate.seq, "duplicate": True}
    except CommandError as error:
        db.session.rollback()
        return {"ok": False, "error": error.as_dict()}
    except Exception:  # never a stack trace to a client; the log keeps it
        db.session.rollback()
        current_app.logger.exception("command failed: %r", raw)
        return _error("server_error", "The server failed; nothing was recorded. Send it again.")


def command_size(raw: Any) -> int:
    """A command's size as a client can count it: its JSON, compact, in UTF-8 bytes (the
    transport's own cap is twice `MAX_PAYLOAD_BYTES`, so a command over the limit gets this
    answer, not a dropped connection)."""
    text = json.dumps(raw, ensure_ascii=False, separators=(",", ":"), default=str)
    return len(text.encode("utf-8", "surrogatepass"))


def _decide(
    state: SessionState, actor: Actor, kind: str, fields: dict[str, Any], device: int | None
) -> list[Draft]:
    if actor.kind == "player":
        check_device(state, actor.id, device)
    return decide(state, _refresh(actor, state), kind, fields, utcnow())


def _refresh(actor: Actor, state: SessionState) -> Actor:
    # A player's delegation may have changed since they connected: read it from the state.
    if actor.kind == "player":
        seat = state.seat_of(actor.id)
        if seat is not None:
            return Actor("player", seat.id, seat.name, seat.delegation)
    return actor


def _error(code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": {"code": code, "message": message}}


def room(session_id: int, suffix: str) -> str:
    return f"s{session_id}:{suffix}"


def viewer_of_room(suffix: str) -> Viewer:
    if suffix == "white":
        return FACILITATOR
    if suffix == "obs":
        return OBSERVER
    return Viewer("player", delegation=suffix[2:])


def emit_events(session_id: int, state: SessionState, records: list[EventRecord]) -> None:
    """Send committed events to the rooms of their audiences, filtered per room."""
    for event in records:
        # Rooms whose copies are alike get one emit, so the packet is encoded once for all.
        groups: list[tuple[dict[str, Any], list[str]]] = []
        for suffix in rooms_for(event.audience, state.scenario):
            payload = event_view(event, viewer_of_room(suffix))
            same = next((rooms for seen, rooms in groups if seen == payload), None)
            if same is not None:
                same.append(room(session_id, suffix))
            else:
                groups.append((payload, [room(session_id, suffix)]))
        for payload, rooms in groups:
            socketio.emit("event", payload, to=rooms[0] if len(rooms) == 1 else rooms)
        if event.type in ("player_moved", "player_removed"):
            # After the emit: the moved or removed player must hear it, to reconnect.
            _leave_old_rooms(session_id, state, event)
        if event.type in ("player_joined", "seat_code_reissued", "seat_reclaimed"):
            from app.realtime.presence import seat_signals

            seat_signals(session_id, state, event)


def _leave_old_rooms(session_id: int, state: SessionState, event: EventRecord) -> None:
    from app.realtime.handlers import leave_seat_rooms

    if event.type == "player_moved":
        leave_seat_rooms(session_id, event.data["player"]["id"], event.data["from"])
    else:
        seat = state.seats[event.data["player_id"]]
        leave_seat_rooms(session_id, seat.id, seat.delegation)
