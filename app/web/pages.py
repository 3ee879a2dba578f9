"""Browser pages. Each page is a shell; its module in static/js/ talks to the server.

Pages pass what their script needs through data-* attributes on <body> (the Content-Security-
Policy allows no inline script), and never render session data the script will fetch anyway.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)

from app.config import BASE_DIR
from app.network import join_url, qr_svg, serves_network, student_urls
from app.realtime.identity import (
    facilitator_token,
    facilitator_token_seconds,
    observer_token,
    room_token,
    room_token_opens,
)
from app.realtime.sessions import (
    facilitator_sessions,
    may_facilitate,
    session_for,
    session_track,
)
from app.store.scenarios import latest_scenarios, scenario_content
from app.web.auth import current_facilitator, facilitator_required

pages = Blueprint("pages", __name__)

# The Socket.IO client is installed from npm (package.json), never copied into the repository.
VENDOR_DIR = BASE_DIR / "node_modules" / "socket.io-client" / "dist"
VENDOR_FILES = {"socket.io.esm.min.js", "socket.io.esm.min.js.map"}


@pages.get("/vendor/<name>")
def vendor(name: str) -> Any:
    if name not in VENDOR_FILES:
        abort(404)
    if not (VENDOR_DIR / name).exists():
        abort(404, description="The Socket.IO client is missing: run `npm ci` in the project.")
    return send_from_directory(VENDOR_DIR, name, max_age=3600)


@pages.get("/")
def index() -> Any:
    if current_facilitator() is not None:
        return redirect(url_for("pages.console"))
    return redirect(url_for("pages.join"))


@pages.get("/join")
def join() -> Any:
    return render_template("join.html")


@pages.get("/observe")
def observe() -> Any:
    return render_template("observe.html")


@pages.get("/play")
def play() -> Any:
    return render_template("play.html")


@pages.get("/console")
@facilitator_required
def console() -> Any:
    me = current_facilitator()
    sessions = facilitator_sessions(me.id)
    return render_template(
        "console_home.html",
        sessions=sessions,
        tracks={s.id: session_track(s) for s in sessions},
        scenarios=[_picker_entry(row) for row in latest_scenarios(visible_to=me.id)],
        token=facilitator_token(me),
        token_seconds=int(facilitator_token_seconds()),
    )


def _picker_entry(row: Any) -> dict[str, Any]:
    """What the scenario picker says of a scenario: full title, version, moves and duration."""
    content = scenario_content(row)
    moves = content.moves
    return {
        "slug": row.slug,
        "title": row.title,
        "version": row.version,
        "moves": len(moves),
        "minutes": sum(move.duration_minutes for move in moves),
        # A track gives moves new lengths: the picker says the length the class will play.
        "tracks": [
            {
                "id": track.id,
                "title": track.title,
                "minutes": sum(track.move_minutes.get(m.id, m.duration_minutes) for m in moves),
            }
            for track in content.tracks
        ],
    }


def _facilitated(session_id: int) -> Any:
    me = current_facilitator()
    game = session_for(session_id)
    if game is None or not may_facilitate(me.id, game):
        abort(404)
    return me, game


def _reach(game: Any) -> dict[str, Any]:
    """The join link students can actually open, its QR code, and whether only this machine
    can reach the server (see app/network.py)."""
    urls = student_urls(current_app.config, request.host)
    link = join_url(urls[0], game.join_code)
    return {
        "base": urls[0],
        "join_url": link,
        "others": urls[1:],
        "qr": qr_svg(link),
        "local_only": not serves_network(current_app.config),
    }


@pages.get("/console/<int:session_id>")
@facilitator_required
def console_session(session_id: int) -> Any:
    me, game = _facilitated(session_id)
    reach = _reach(game)
    return render_template(
        "console.html",
        game=game,
        token=facilitator_token(me),
        token_seconds=int(facilitator_token_seconds()),
        reach=reach,
        room_link=f"{reach['base']}/projector/{game.id}?room={room_token(game)}",
    )


@pages.get("/projector/<int:session_id>")
def projector(session_id: int) -> Any:
    # The projector is seen by the whole room: it connects as an observer, so the server
    # itself keeps private injects, red lines and scores off the wall. A signed-in facilitator
    # opens it; so does the room link (`?room=`), for a classroom computer nobody should sign
    # in on (a projector left signed in would hold the account).
    room = request.args.get("room")
    if room is None:
        if current_facilitator() is None:
            return redirect(url_for("auth.signin", next=request.path))
        _me, game = _facilitated(session_id)
    else:
        game = session_for(session_id)
        if game is None or not room_token_opens(room, game):
            abort(
                403,
                description="This projector link is not valid any more: copy it again "
                "from the session's console.",
            )
    return render_template(
        "projector.html", game=game, token=observer_token(game), reach=_reach(game)
    )


@pages.get("/projector")
def projector_observer() -> Any:
    # An observer who entered the observer code: the token is in the browser's storage.
    return render_template("projector.html", game=None, token="", reach=None)


@pages.get("/console/library")
@facilitator_required
def library() -> Any:
    # The scenario library: its script fetches the list from /api/library with this token.
    me = current_facilitator()
    return render_template(
        "library.html",
        token=facilitator_token(me),
        token_seconds=int(facilitator_token_seconds()),
    )


@pages.get("/console/library/<slug>")
@facilitator_required
def library_editor(slug: str) -> Any:
    # The editor is a shell: whether this facilitator may see the scenario is the API's answer.
    me = current_facilitator()
    return render_template(
        "library_editor.html",
        slug=slug,
        token=facilitator_token(me),
        token_seconds=int(facilitator_token_seconds()),
    )
