"""The JSON API: tokens, scenarios, sessions, joining. Socket.IO does everything else."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from app.content.loader import ScenarioInvalid
from app.engine import CommandError
from app.engine.text import clean_text, has_lone_surrogate
from app.realtime.identity import (
    Principal,
    facilitator_token,
    facilitator_token_seconds,
    observer_token,
    resolve_token,
)
from app.realtime.reclaim import reclaim_seat
from app.realtime.sessions import (
    SessionError,
    add_co_facilitator,
    create_session,
    facilitator_sessions,
    join_session,
    observe_session,
    session_summary,
)
from app.security.signin import signin_result, signin_wait
from app.store.accounts import authenticate
from app.store.scenarios import latest_scenarios, scenario_content
from app.web.auth import current_facilitator
from app.web.limits import address, code_lookup_wait, too_many, wrong_code

api = Blueprint("api", __name__)


def fail(code: str, message: str, status: int = 400) -> Any:
    return jsonify({"ok": False, "error": {"code": code, "message": message}}), status


def body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return {}
    if has_lone_surrogate(data):
        # Not Unicode at all (JSON's "\\ud800" escape): refused at the door, never stored.
        raise SessionError("bad_field", "The request holds text that is not well-formed Unicode.")
    return data


def bearer() -> Principal | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    principal = resolve_token(header[7:].strip())
    return principal if principal and principal.kind == "facilitator" else None


@api.errorhandler(SessionError)
def _session_error(error: SessionError) -> Any:
    return fail(error.code, error.message, error.status)


@api.post("/facilitator/token")
def token() -> Any:
    data = body()
    name = str(data.get("name", ""))
    wait = signin_wait(name, address())
    if wait:
        return too_many(wait, "Too many sign-in attempts; try again in {n} s.")
    facilitator = authenticate(name, str(data.get("password", "")))
    signin_result(name, facilitator is not None)
    if facilitator is None:
        return fail("bad_credentials", "That name and password do not match.", 401)
    return jsonify({"ok": True, "token": facilitator_token(facilitator), **_lifetime()})


def _lifetime() -> dict[str, Any]:
    return {"expires_in": int(facilitator_token_seconds())}


@api.post("/facilitator/token/renew")
def renew_token() -> Any:
    """A fresh `f.` token for the facilitator signed in with this browser's cookie.

    The console calls it before its token expires. Only a page of this site can: the custom
    header cannot be sent cross-site without a CORS preflight, which this server never grants.
    """
    if request.headers.get("X-Requested-With") != "fetch":
        return fail("bad_request", "Send X-Requested-With: fetch.")
    me = current_facilitator()
    if me is None:
        return fail("not_facilitator", "You are signed out; sign in again.", 401)
    return jsonify({"ok": True, "token": facilitator_token(me), **_lifetime()})


@api.get("/scenarios")
def scenarios() -> Any:
    principal = bearer()
    if principal is None:
        return fail("not_facilitator", "Sign in as a facilitator first.", 401)
    items = []
    for row in latest_scenarios(visible_to=principal.facilitator_id):
        content = scenario_content(row)
        items.append(
            {
                "slug": row.slug,
                "version": row.version,
                "title": row.title,
                "summary": content.summary,
                "hash": row.content_hash,
                "tracks": [
                    {"id": t.id, "title": t.title, "summary": t.summary} for t in content.tracks
                ],
            }
        )
    return jsonify({"ok": True, "scenarios": items})


@api.post("/sessions")
def new_session() -> Any:
    principal = bearer()
    if principal is None:
        return fail("not_facilitator", "Sign in as a facilitator first.", 401)
    data = body()
    slug = str(data.get("scenario", ""))
    rows = [r for r in latest_scenarios(visible_to=principal.facilitator_id) if r.slug == slug]
    if not rows:
        return fail("not_found", f"There is no scenario {slug!r}.", 404)
    try:
        title = clean_text("title", data.get("title") or rows[0].title, 200)
    except CommandError as error:
        return fail(error.code, error.message)
    track = data.get("track") or None
    if track is not None and not isinstance(track, str):
        return fail("bad_field", "The field 'track' must be a track id.")
    try:
        game = create_session(principal.facilitator_id, rows[0], title, track)
    except ScenarioInvalid as invalid:
        return fail("bad_scenario", "; ".join(map(str, invalid.problems)))
    summary = session_summary(game, for_facilitator=True, with_track=True)
    return jsonify({"ok": True, "session": summary})


@api.get("/sessions")
def list_sessions() -> Any:
    principal = bearer()
    if principal is None:
        return fail("not_facilitator", "Sign in as a facilitator first.", 401)
    games = facilitator_sessions(principal.facilitator_id)
    return jsonify(
        {
            "ok": True,
            "sessions": [session_summary(g, for_facilitator=True, with_track=True) for g in games],
        }
    )


@api.post("/sessions/<int:session_id>/facilitators")
def co_facilitator(session_id: int) -> Any:
    principal = bearer()
    if principal is None:
        return fail("not_facilitator", "Sign in as a facilitator first.", 401)
    add_co_facilitator(principal.facilitator_id, session_id, str(body().get("name", "")))
    return jsonify({"ok": True})


def _by_code(lookup: Any, *args: Any) -> Any:
    """Run a code lookup under the per-address limits; a wrong code counts as a guess."""
    try:
        return lookup(*args)
    except SessionError as error:
        if error.code in ("unknown_code", "unknown_reclaim_code"):
            wrong_code()
        raise


@api.post("/join")
def join() -> Any:
    wait = code_lookup_wait()
    if wait:
        return too_many(wait)
    data = body()
    token, player = _by_code(join_session, str(data.get("code", "")), data.get("name"))
    return jsonify(
        {"ok": True, "token": token, "session_id": player["session_id"], "player": player}
    )


@api.post("/reclaim")
def reclaim() -> Any:
    wait = code_lookup_wait()
    if wait:
        return too_many(wait)
    data = body()
    token, player = _by_code(reclaim_seat, str(data.get("code", "")), data.get("reclaim_code"))
    return jsonify(
        {"ok": True, "token": token, "session_id": player["session_id"], "player": player}
    )


@api.post("/observe")
def observe() -> Any:
    wait = code_lookup_wait()
    if wait:
        return too_many(wait)
    game = _by_code(observe_session, str(body().get("code", "")))
    return jsonify({"ok": True, "token": observer_token(game), "session_id": game.id})
