"""The JSON API for facilitators: scenarios, sessions, co-facilitators, observers."""

from __future__ import annotations

from app.realtime.identity import facilitator_token


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_scenarios_need_a_facilitator_token(app) -> None:
    """Is the scenario list refused without a facilitator token?"""
    answer = app.test_client().get("/api/scenarios")
    assert answer.status_code == 401
    assert answer.get_json()["error"]["code"] == "not_facilitator"


def test_a_facilitator_creates_a_session_with_two_codes(app, fac_token) -> None:
    """Does creating a session give distinct join and observer codes without look-alikes?"""
    client = app.test_client()
    slugs = [
        s["slug"]
        for s in client.get("/api/scenarios", headers=_auth(fac_token)).get_json()["scenarios"]
    ]
    assert "trilateral-2023" in slugs
    answer = client.post(
        "/api/sessions",
        json={"scenario": "trilateral-2023", "title": "Week 5"},
        headers=_auth(fac_token),
    ).get_json()
    session = answer["session"]
    assert session["status"] == "lobby" and session["title"] == "Week 5"
    assert session["join_code"] != session["observer_code"]
    for code in (session["join_code"], session["observer_code"]):
        assert len(code) == 6 and not set(code) & set("01OILSZB25")


def test_an_unknown_scenario_is_refused(app, fac_token) -> None:
    """Does asking for a scenario that does not exist get not_found?"""
    answer = app.test_client().post(
        "/api/sessions", json={"scenario": "nope"}, headers=_auth(fac_token)
    )
    assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "not_found"


def test_each_facilitator_lists_only_their_sessions(
    app, make_facilitator, make_session, game
) -> None:
    """Does a facilitator see their own sessions and not another's?"""
    other = make_facilitator("Other")
    make_session(owner=other, title="Theirs")
    mine = (
        app.test_client()
        .get("/api/sessions", headers=_auth(facilitator_token(game.owner)))
        .get_json()
    )
    assert [s["title"] for s in mine["sessions"]] == ["Seminar"]


def test_a_co_facilitator_can_open_the_session(
    app, make_facilitator, game, fac_token, connect
) -> None:
    """After the owner adds a co-facilitator, can they connect to the session's console?"""
    colleague = make_facilitator("Colleague")
    token = facilitator_token(colleague)
    refused = connect(token, session_id=game.id)
    assert not refused.is_connected()
    answer = app.test_client().post(
        f"/api/sessions/{game.id}/facilitators",
        json={"name": "Colleague"},
        headers=_auth(fac_token),
    )
    assert answer.get_json() == {"ok": True}
    admitted = connect(token, session_id=game.id)
    assert admitted.is_connected()
    listed = app.test_client().get("/api/sessions", headers=_auth(token)).get_json()["sessions"]
    assert [s["id"] for s in listed] == [game.id]


def test_only_the_owner_adds_co_facilitators(app, make_facilitator, game) -> None:
    """Is a non-owner refused when adding a co-facilitator?"""
    stranger = make_facilitator("Stranger")
    answer = app.test_client().post(
        f"/api/sessions/{game.id}/facilitators",
        json={"name": "Stranger"},
        headers=_auth(facilitator_token(stranger)),
    )
    assert answer.status_code == 404


def test_observer_code_gives_a_read_only_token(app, game, connect) -> None:
    """Does the observer code give a token that reads the session but cannot act?"""
    answer = app.test_client().post("/api/observe", json={"code": game.observer_code}).get_json()
    observer = connect(answer["token"])
    sync = next(item["args"][0] for item in observer.get_received() if item["name"] == "sync")
    assert sync["you"]["kind"] == "observer" and "join_code" not in sync["session"]
    ack = observer.emit(
        "command",
        {"id": "o1", "type": "message.post", "channel": "plenary", "text": "hello"},
        callback=True,
    )
    assert ack["ok"] is False and ack["error"]["code"] == "not_player"


def test_many_sessions_run_side_by_side(app, make_session, join) -> None:
    """Do two sessions keep separate seats, codes and logs?"""
    first, second = make_session(title="A"), make_session(title="B")
    a = join(first.join_code, "Same Name")
    b = join(second.join_code, "Same Name")
    assert a["session_id"] == first.id and b["session_id"] == second.id
    assert a["player"]["name"] == b["player"]["name"] == "Same Name"


def test_an_oversized_request_body_gets_a_structured_error(app, game) -> None:
    """Is a 2 MB join request refused with a JSON error (413), not a crash?"""
    answer = app.test_client().post(
        "/api/join", json={"code": game.join_code, "name": "x" * (2 * 1024 * 1024)}
    )
    assert answer.status_code == 413
    assert answer.get_json()["ok"] is False


def test_a_join_with_a_non_json_body_gets_a_structured_error(app) -> None:
    """Does a join with a form body instead of JSON get a clear error, not a stack trace?"""
    answer = app.test_client().post("/api/join", data="code=ABC&name=<b>x</b>")
    assert answer.status_code == 404
    assert answer.get_json()["error"]["code"] == "unknown_code"


def test_ended_sessions_leave_the_state_cache_and_load_again(app, make_session, fac_token, connect):
    """When many sessions were loaded, are ended ones dropped from the cache and still readable?"""
    from app.realtime import service

    ended = make_session(title="Done")
    client = connect(fac_token, session_id=ended.id)
    assert client.emit("command", {"id": "e1", "type": "session.end"}, callback=True)["ok"]
    for n in range(service.CACHE_LIMIT + 1):
        service.load_state(make_session(title=f"S{n}").id)
    assert ended.id not in service._states
    assert service.load_state(ended.id).status == "ended"


def _with_demo(app) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from app.content.loader import scenario_files
    from app.store.scenarios import store_scenario

    demo = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios" / "branching-demo"
    store_scenario(scenario_files(demo), "branching-demo")


def test_a_session_on_a_track(app, fac_token, connect) -> None:
    """Are a scenario's tracks listed, and does a session created on one play its cut?"""
    _with_demo(app)
    client = app.test_client()
    listed = client.get("/api/scenarios", headers=_auth(fac_token)).get_json()["scenarios"]
    demo = next(s for s in listed if s["slug"] == "branching-demo")
    assert [t["id"] for t in demo["tracks"]] == ["seminar-short"]
    answer = client.post(
        "/api/sessions",
        json={"scenario": "branching-demo", "track": "seminar-short"},
        headers=_auth(fac_token),
    ).get_json()
    assert answer["ok"], answer
    sync = connect(fac_token, answer["session"]["id"]).get_received()[0]["args"][0]
    assert sync["scenario"]["track"]["id"] == "seminar-short"
    assert [m["duration_minutes"] for m in sync["scenario"]["moves"]] == [20, 15]
    assert "kor-private" not in [i["id"] for i in sync["scenario"]["injects"]]
    assert sync["events"][0]["data"]["track"] == "seminar-short"


def test_an_unknown_track_is_refused(app, fac_token) -> None:
    """Does asking for a track the scenario does not have get not_found, creating nothing?"""
    _with_demo(app)
    answer = app.test_client().post(
        "/api/sessions",
        json={"scenario": "branching-demo", "track": "nope"},
        headers=_auth(fac_token),
    )
    assert answer.status_code == 404
    assert "seminar-short" in answer.get_json()["error"]["message"]
    listed = app.test_client().get("/api/sessions", headers=_auth(fac_token)).get_json()
    assert listed["sessions"] == []


def test_the_session_list_shows_each_sessions_track(app, fac_token) -> None:
    """Do the created session and the session list (API and console page) say which track a
    session plays — the 90-minute seminar by its title — and that one without plays it whole?"""
    import re

    client = app.test_client()
    made = {}
    for title, track in (("Short class", "seminar-90"), ("Long class", None)):
        body = {"scenario": "trilateral-2023", "title": title, "track": track}
        made[title] = client.post("/api/sessions", json=body, headers=_auth(fac_token)).get_json()
    assert made["Short class"]["session"]["track"] == {
        "id": "seminar-90",
        "title": "90-minute seminar",
    }
    assert made["Long class"]["session"]["track"] is None
    listed = client.get("/api/sessions", headers=_auth(fac_token)).get_json()["sessions"]
    assert {s["title"]: s["track"] for s in listed} == {
        "Short class": {"id": "seminar-90", "title": "90-minute seminar"},
        "Long class": None,
    }
    browser = app.test_client()
    form = browser.get("/signin").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    data = {"name": "Prof. Tanaka", "password": "correct horse battery", "csrf": csrf}
    assert browser.post("/signin", data=data).status_code == 302
    page = browser.get("/console").get_data(as_text=True)
    rows = {
        title: re.search(rf">{title}</a>.*?</td>", page, re.S).group(0)
        for title in ("Short class", "Long class")
    }
    assert '<span class="session-track">90-minute seminar</span>' in rows["Short class"]
    assert '<span class="session-track">whole scenario</span>' in rows["Long class"]
