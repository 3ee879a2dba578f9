"""The HTTP permission matrix: every route of the application × every kind of caller, each with
its documented access outcome (a status code). Generated from the app's URL map: a route added
without its row fails `test_every_route_has_a_row`.

The kinds are those of the command matrix (tests/realtime/test_rt_permissions.py): anonymous;
the lead and a member of the session's first delegation, the lead and a member of another, and
a removed player (each with their own seat token); an observer (observer token); a facilitator
of another session, a co-facilitator, the owner, and the owner after the session was deleted.
Over HTTP a player, lead or not, of any delegation, removed or not, holds only a seat token, and
an observer only an observer token: neither opens any facilitator route (tokens other than a
facilitator's are refused as bearers, and pages need the facilitator's cookie), so the five
player kinds share the outcomes written under `player`. Only access is checked (sign-in and
rate limits have their own tests).
"""

from __future__ import annotations

from typing import Any

import pytest

from app.realtime.identity import facilitator_token
from app.realtime.sessions import add_co_facilitator, delete_session
from tests.review.conftest import sign_in

PLAYERS = ("lead", "non_lead", "other_lead", "other_member", "removed")
KINDS = ("anonymous", *PLAYERS, "observer", "other", "co", "owner", "deleted")
SIGN_IN = 302  # a page that needs a facilitator sends others to /signin
# (method, rule) -> path template, and the outcome per kind ("*" for all kinds alike).
PUBLIC = {"*": (200, 302)}
PAGE = {
    "anonymous": SIGN_IN,
    "player": SIGN_IN,
    "observer": SIGN_IN,
    "other": 404,
    "co": 200,
    "owner": 200,
    "deleted": 404,
}
OWNER_ONLY_POST = PAGE | {"co": 403, "owner": 302}  # the owner is sent back to a page
REVIEW_POST = PAGE | {"owner": 302, "co": 302}
API = {
    "anonymous": 401,
    "player": 401,
    "observer": 401,
    "other": 200,
    "co": 200,
    "owner": 200,
    "deleted": 200,
}
API_SESSION = API | {"other": 404, "co": 404, "owner": 200, "deleted": 404}


def library(status: int) -> dict[str, Any]:
    """A scenario-library route on the bundled scenario: the same for every facilitator."""
    return {"anonymous": 401, "player": 401, "observer": 401, "*": status}


LIB = "/api/library"
BUNDLED = f"{LIB}/trilateral-2023"
ROWS: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {
    ("GET", "/"): ("/", PUBLIC),
    ("GET", "/join"): ("/join", PUBLIC),
    ("GET", "/observe"): ("/observe", PUBLIC),
    ("GET", "/play"): ("/play", PUBLIC),
    ("GET", "/projector"): ("/projector", PUBLIC),
    ("GET", "/vendor/<name>"): ("/vendor/socket.io.esm.min.js", PUBLIC),
    ("GET", "/signin"): ("/signin", PUBLIC),
    ("POST", "/signin"): ("/signin", {"*": (200, 302, 400, 401, 403)}),
    ("POST", "/signout"): ("/signout", {"*": (302, 400, 403)}),
    ("GET", "/setup"): ("/setup", {"*": (403,)}),  # a facilitator exists: setup is closed
    ("POST", "/setup"): ("/setup", {"*": (403,)}),
    ("GET", "/console"): ("/console", PAGE | {"other": 200, "deleted": 200}),
    ("GET", "/console/<int:session_id>"): ("/console/{sid}", PAGE),
    # The library's pages are shells for any facilitator; what each may see is the API's answer.
    ("GET", "/console/library"): ("/console/library", PAGE | {"other": 200, "deleted": 200}),
    ("GET", "/console/library/<slug>"): (
        "/console/library/trilateral-2023",
        PAGE | {"other": 200, "deleted": 200},
    ),
    ("GET", "/projector/<int:session_id>"): ("/projector/{sid}", PAGE),
    ("POST", "/api/facilitator/token"): ("/api/facilitator/token", {"*": (401,)}),
    # Renewal goes by the sign-in cookie (a page of this site sends X-Requested-With).
    ("POST", "/api/facilitator/token/renew"): ("/api/facilitator/token/renew", API),
    ("GET", "/api/scenarios"): ("/api/scenarios", API),
    ("POST", "/api/sessions"): ("/api/sessions", API),
    ("GET", "/api/sessions"): ("/api/sessions", API),
    ("POST", "/api/sessions/<int:session_id>/facilitators"): (
        "/api/sessions/{sid}/facilitators",
        API_SESSION,
    ),
    ("POST", "/api/join"): ("/api/join", {"*": (200, 404)}),  # 404 once deleted
    ("POST", "/api/observe"): ("/api/observe", {"*": (200, 404)}),
    # A seat code that opens no seat: refused alike, whoever asks.
    ("POST", "/api/reclaim"): ("/api/reclaim", {"*": (400, 403, 404)}),
    ("GET", "/review/<int:session_id>"): ("/review/{sid}", PAGE),
    ("GET", "/review/<int:session_id>/review.json"): ("/review/{sid}/review.json", PAGE),
    ("GET", "/review/<int:session_id>/timeline.json"): ("/review/{sid}/timeline.json", PAGE),
    ("GET", "/review/<int:session_id>/proposals.json"): ("/review/{sid}/proposals.json", PAGE),
    ("GET", "/review/<int:session_id>/transcripts.json"): (
        "/review/{sid}/transcripts.json",
        PAGE,
    ),
    ("GET", "/review/<int:session_id>/replay.json"): ("/review/{sid}/replay.json", PAGE),
    ("GET", "/review/<int:session_id>/charts/<name>.svg"): (
        "/review/{sid}/charts/timeline.svg",
        PAGE,
    ),
    ("GET", "/review/<int:session_id>/report"): ("/review/{sid}/report", PAGE),
    ("GET", "/review/<int:session_id>/export/<fmt>"): ("/review/{sid}/export/json", PAGE),
    ("POST", "/review/<int:session_id>/notes"): ("/review/{sid}/notes", REVIEW_POST),
    ("POST", "/review/<int:session_id>/share"): ("/review/{sid}/share", REVIEW_POST),
    ("POST", "/review/<int:session_id>/debrief/unlock"): (
        "/review/{sid}/debrief/unlock",
        REVIEW_POST,
    ),
    ("POST", "/review/<int:session_id>/share/revoke"): (
        "/review/{sid}/share/revoke",
        REVIEW_POST,
    ),
    ("POST", "/review/<int:session_id>/delete"): ("/review/{sid}/delete", OWNER_ONLY_POST),
    # The scenario library (tests/api/test_library.py checks who may see which scenario; here
    # the bundled one, which every facilitator may read and nobody may change). Bodies are
    # empty: the writes that need one are refused as bad requests.
    ("GET", LIB): (LIB, library(200)),
    ("GET", f"{LIB}/schema"): (f"{LIB}/schema", library(200)),
    ("POST", f"{LIB}/duplicate"): (f"{LIB}/duplicate", library(404)),
    ("POST", f"{LIB}/new"): (f"{LIB}/new", library(400)),
    ("POST", f"{LIB}/import"): (f"{LIB}/import", library(400)),
    ("POST", f"{LIB}/validate"): (f"{LIB}/validate", library(400)),
    ("GET", f"{LIB}/<slug>"): (BUNDLED, library(200)),
    ("DELETE", f"{LIB}/<slug>"): (BUNDLED, library(403)),
    ("GET", f"{LIB}/<slug>/export"): (f"{BUNDLED}/export", library(200)),
    ("GET", f"{LIB}/<slug>/draft"): (f"{BUNDLED}/draft", library(200)),
    ("PUT", f"{LIB}/<slug>/draft"): (f"{BUNDLED}/draft", library(403)),
    ("POST", f"{LIB}/<slug>/edit"): (f"{BUNDLED}/edit", library(403)),
    ("POST", f"{LIB}/<slug>/publish"): (f"{BUNDLED}/publish", library(403)),
    ("GET", f"{LIB}/<slug>/versions"): (f"{BUNDLED}/versions", library(200)),
    ("POST", f"{LIB}/<slug>/share"): (f"{BUNDLED}/share", library(403)),
    ("DELETE", f"{LIB}/<slug>/share/<name>"): (f"{BUNDLED}/share/Dr. Co", library(403)),
    ("GET", f"{LIB}/<slug>/diff"): (f"{BUNDLED}/diff", library(200)),
    ("GET", f"{LIB}/<slug>/preview"): (f"{BUNDLED}/preview?as=KOR", library(200)),
    ("POST", f"{LIB}/<slug>/dry-run"): (f"{BUNDLED}/dry-run", library(200)),
    # The protocol spec describes no session: anyone may read it.
    ("GET", "/api/spec/asyncapi.json"): ("/api/spec/asyncapi.json", PUBLIC),
    ("GET", "/api/spec/schemas/<name>.json"): ("/api/spec/schemas/sync.json", PUBLIC),
}


def routes(app: Any) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((method, rule.rule))
    return found


def test_every_route_has_a_row(app):
    """Does every route of the application have its row in the HTTP matrix?"""
    assert routes(app) == set(ROWS)


def outcome(outcomes: dict[str, Any], kind: str) -> Any:
    """The documented outcome of a row for a kind of caller (players share `player`'s)."""
    key = "player" if kind in PLAYERS and kind not in outcomes else kind
    return outcomes.get(key, outcomes.get("*"))


def seat_tokens(game, fac_token, connect, join) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A seat token per kind of player: joined in turn (JPN, KOR, USA, JPN, KOR, USA, each
    delegation's first player leads), the last one then removed by the facilitator."""
    names = ("Aiko", "Min-jun", "Sam", "Haruto", "Ji-woo", "Alex")
    seats = {name: join(game.join_code, name) for name in names}
    assert [s["player"]["delegation"] for s in seats.values()] == ["JPN", "KOR", "USA"] * 2
    facilitator = connect(fac_token, session_id=game.id)
    command = {"id": "remove", "type": "seat.remove", "player_id": seats["Alex"]["player"]["id"]}
    assert facilitator.emit("command", command, callback=True)["ok"]
    kinds = ("lead", "other_lead", None, "non_lead", "other_member", "removed")
    return {kind: seats[name]["token"] for kind, name in zip(kinds, names, strict=True) if kind}


@pytest.fixture
def callers(app, facilitator, fac_token, make_facilitator, make_session, connect, join):  # type: ignore[no-untyped-def]
    """A client per kind of caller, a body per route, and the session's id."""
    game = make_session()
    co, other = make_facilitator("Dr. Co"), make_facilitator("Dr. Other")
    add_co_facilitator(facilitator.id, game.id, co.name)
    observer = app.test_client().post("/api/observe", json={"code": game.observer_code})
    bearer = {
        "anonymous": None,
        **seat_tokens(game, fac_token, connect, join),
        "observer": observer.get_json()["token"],
        "other": facilitator_token(other),
        "co": facilitator_token(co),
        "owner": facilitator_token(facilitator),
        "deleted": facilitator_token(facilitator),
    }
    people = {"other": other, "co": co, "owner": facilitator, "deleted": facilitator}
    clients = {}
    for kind in KINDS:
        client = app.test_client()
        if kind in people:
            sign_in(client, people[kind])
        clients[kind] = client
    bodies = {
        "/api/sessions": {"scenario": "trilateral-2023", "title": "Matrix"},
        "/api/sessions/{sid}/facilitators": {"name": co.name},
        "/api/join": {"code": game.join_code, "name": "Ken"},
        "/api/observe": {"code": game.observer_code},
        "/api/facilitator/token": {"name": "nobody", "password": "wrong"},
        "/api/reclaim": {"code": game.join_code, "reclaim_code": "WRONG-CODE"},
    }
    form = {"csrf": "test-csrf", "confirm_title": game.title, "subject": "session"}
    return game, clients, bearer, bodies, form


def call(client, method, path, token, body, form):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if method == "GET":
        return client.get(path, headers=headers)
    if path.startswith("/api/"):
        # As the site's own pages send it; only token renewal asks for it.
        return client.open(
            path,
            method=method,
            json=body,
            headers=headers | {"X-Requested-With": "fetch"},
        )
    return client.post(path, data=form, headers=headers)


@pytest.mark.parametrize("kind", KINDS)
def test_the_http_matrix(app, callers, kind):
    """For this kind of caller, does every route answer its documented status (the owner's
    deletion last, and for `deleted` after the session is gone)?"""
    game, clients, bearer, bodies, form = callers
    if kind == "deleted":
        delete_session(game.id)
    got, want = {}, {}
    # Signing out and deleting come last: they end what the other routes need.
    last = {"/review/<int:session_id>/delete": 1, "/signout": 2}
    rows = sorted(ROWS.items(), key=lambda item: last.get(item[0][1], 0))
    for (method, rule), (template, outcomes) in rows:
        path = template.format(sid=game.id)
        expected = outcome(outcomes, kind)
        response = call(clients[kind], method, path, bearer[kind], bodies.get(template), form)
        status = response.status_code
        response.close()
        if isinstance(expected, tuple):
            got[(method, rule)] = status in expected
            want[(method, rule)] = True
        else:
            got[(method, rule)] = status
            want[(method, rule)] = expected
        assert status < 500, (method, rule)
    assert {k: v for k, v in got.items() if want[k] != v} == {}, [
        (k, want[k]) for k, v in got.items() if want[k] != v
    ]
