"""Browser pages. Each page is a shell; its module in static/js/ talks to the server."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template

from app.realtime.identity import facilitator_token
from app.realtime.sessions import facilitator_sessions, may_facilitate, session_for
from app.store.scenarios import latest_scenarios
from app.web.auth import current_facilitator, facilitator_required

pages = Blueprint("pages", __name__)


@pages.get("/")
def index() -> Any:
    return render_template("index.html", scenarios=latest_scenarios())


@pages.get("/console")
@facilitator_required
def console() -> Any:
    me = current_facilitator()
    return render_template(
        "console_home.html",
        sessions=facilitator_sessions(me.id),
        scenarios=latest_scenarios(),
        token=facilitator_token(me),
    )


@pages.get("/console/<int:session_id>")
@facilitator_required
def console_session(session_id: int) -> Any:
    me = current_facilitator()
    game = session_for(session_id)
    if game is None or not may_facilitate(me.id, game):
        abort(404)
    return render_template("console.html", game=game, token=facilitator_token(me))
