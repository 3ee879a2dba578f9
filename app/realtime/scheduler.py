"""The scheduler: a background task that fires due injects, expires deadlines and lets
automatic delegations answer. Every process may run one; the log keeps each action once."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.engine import CommandError, decide, due_commands
from app.extensions import db, socketio
from app.realtime.service import _Duplicate, content_hash, load_state, record, utcnow
from app.store.models import GameSession


def tick(app: Flask) -> int:
    """Run everything due now in every running session; return how many actions were taken."""
    done = 0
    delay = app.config["AUTO_DELAY_SECONDS"]
    ids = db.session.scalars(select(GameSession.id).where(GameSession.status == "running")).all()
    for session_id in ids:
        state = load_state(session_id)
        for due in due_commands(state, utcnow(), delay):
            try:
                record(
                    session_id,
                    due.actor,
                    lambda s, d=due: decide(s, d.actor, d.type, d.fields, utcnow()),
                    (_key(due.actor), due.id, due.type, content_hash(due.type, due.fields)),
                )
                done += 1
            except _Duplicate:
                continue  # another process did it first
            except CommandError as error:
                app.logger.info(
                    "scheduler skipped %s on session %s: %s", due.id, session_id, error.message
                )
    return done


def _key(actor) -> str:  # type: ignore[no-untyped-def]
    return f"auto:{actor.delegation}" if actor.kind == "auto" else "system"


def start_scheduler(app: Flask) -> None:
    """Start the tick loop as a Socket.IO background task (a green thread under eventlet)."""

    def loop() -> None:
        while True:
            socketio.sleep(app.config["TICK_SECONDS"])
            with app.app_context():
                try:
                    tick(app)
                except Exception:  # the loop must survive anything one session does
                    db.session.rollback()
                    app.logger.exception("scheduler tick failed")
                finally:
                    db.session.remove()

    socketio.start_background_task(loop)
