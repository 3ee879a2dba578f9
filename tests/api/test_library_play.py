"""Authored scenarios in play: preview, dry run, a fourth delegation, the version in the review."""

from __future__ import annotations

from typing import Any

import pytest

from app.content.loader import load_scenario
from tests.api.test_library import BUNDLED, Api, _copy, _draft, _set
from tests.conftest import events_of
from tests.review.conftest import sign_in


@pytest.fixture
def api(app, facilitator) -> Api:
    return Api(app, facilitator)


def _china(api: Api, slug: str = "my-game") -> dict[str, Any]:
    """Add a China delegation (one role, one objective scored on the first inject's options)."""
    data = _draft(api, slug)["data"]
    first = data["injects.yaml"]["injects"][0]
    options = [o["id"] for o in first["response_options"]]
    china = {
        "code": "CHN",
        "name": "People's Republic of China",
        "colour": "#de2910",
        "public_briefing": "Beijing watches the three allies closely.",
        "private_briefing": "Beijing wants the allies divided.",
        "roles": [{"id": "chn-fm", "title": "Foreign Minister", "lead": True}],
        "objectives": [
            {
                "id": "chn-divide",
                "text": "Keep the allies from a joint line.",
                "scoring": {"options": {options[-1]: 2, options[0]: -1}},
            }
        ],
    }
    return _set(
        api,
        slug,
        {"file": "delegations.yaml", "path": ["delegations"], "op": "append", "value": china},
    )


def test_preview_shows_each_viewer_what_a_session_would(api):
    """Does the preview as KOR hold KOR's private briefing (not JPN's), the first inject with
    its options and KOR's channels; the observer no private briefing; all built by the engine
    like a `sync`?"""
    answer = api.get("/api/library/trilateral-2023/preview?as=KOR")
    assert answer.status_code == 200, answer.get_json()
    view = answer.get_json()["view"]
    assert set(view) >= {"you", "session", "scenario", "state", "events", "server_time"}
    assert view["you"]["delegation"] == "KOR" and view["state"]["status"] == "running"
    delegations = {d["code"]: d for d in view["scenario"]["delegations"]}
    assert delegations["KOR"].get("private_briefing")
    assert not delegations["JPN"].get("private_briefing")
    (inject,) = [i for i in view["state"]["injects"] if i["id"] == "nk-vice-ministers-tokyo"]
    assert len(inject["response_options"]) >= 3 and inject["status"] == "fired"
    assert (
        "JPN-KOR" in view["scenario"]["channels"] and "JPN-USA" not in view["scenario"]["channels"]
    )
    assert [e["type"] for e in view["events"]][-2:] == ["session_started", "inject_fired"]
    observer = api.get("/api/library/trilateral-2023/preview?as=projector").get_json()["view"]
    assert observer["you"]["kind"] == "observer" and observer["preview"]["projector"]
    assert not any(d.get("private_briefing") for d in observer["scenario"]["delegations"])
    bad = api.get("/api/library/trilateral-2023/preview?as=XYZ")
    assert bad.status_code == 400 and "KOR" in bad.get_json()["error"]["message"]


def test_preview_of_the_draft_and_of_an_invalid_draft(api):
    _copy(api)
    draft = _set(
        api, "my-game", {"file": "scenario.yaml", "path": ["title"], "op": "set", "value": "Mine"}
    )
    view = api.get("/api/library/my-game/preview?as=JPN").get_json()
    assert view["version"] == "draft" and view["view"]["scenario"]["title"] == "Mine"
    assert (
        api.get("/api/library/my-game/preview?as=JPN&version=1").get_json()["view"]["scenario"][
            "title"
        ]
        != "Mine"
    )
    api.put(
        "/api/library/my-game/draft",
        {"revision": draft["revision"], "files": {"injects.yaml": "injects: [oops"}},
    )
    refused = api.get("/api/library/my-game/preview?as=JPN")
    assert (
        refused.status_code == 400 and refused.get_json()["problems"][0]["file"] == "injects.yaml"
    )


def test_a_dry_run_fires_a_tracks_injects_on_a_compressed_clock(api):
    """Does the dry run of a track fire its scheduled injects at their minutes, each to its
    audience, end when the track's moves end, and stay in memory (no session)?"""
    answer = api.post("/api/library/trilateral-2023/dry-run", {"track": "seminar-90"})
    assert answer.status_code == 200, answer.get_json()
    result = answer.get_json()
    fired = [t for t in result["timeline"] if t["type"] == "inject_fired"]
    cut = load_scenario(BUNDLED).for_track("seminar-90")
    starts, elapsed = {}, 0
    for move in cut.moves:
        starts[move.id] = elapsed
        elapsed += move.duration_minutes
    planned = {
        i.id: starts[i.move] + i.offset_minutes for i in cut.injects if i.trigger == "scheduled"
    }
    shown = {t["inject_id"]: t["minute"] for t in fired}
    assert shown == {k: v for k, v in planned.items() if k in shown}
    assert len(shown) >= len(planned) - 2  # (conditions may skip a branch)
    assert result["ends_at_minute"] == elapsed == 90
    minutes = [t["minute"] for t in result["timeline"]]
    assert minutes == sorted(minutes)
    whole = api.post("/api/library/trilateral-2023/dry-run", {}).get_json()
    fired = [t for t in whole["timeline"] if t["type"] == "inject_fired"]
    result = whole
    private = [t for t in fired if len(t["audience"]) == 1]
    assert private, "the track has injects for one delegation"
    code = private[0]["audience"][0]
    others = [c for c in result["per_delegation"] if c != code]
    assert private[0] in result["per_delegation"][code]
    assert all(private[0] not in result["per_delegation"][c] for c in others)
    assert api.get("/api/sessions").get_json()["sessions"] == []
    unknown = api.post("/api/library/trilateral-2023/dry-run", {"track": "nope"})
    assert unknown.status_code == 404


def test_a_fourth_delegation_plays_end_to_end(app, api, connect, join):
    """China added in the editor, published as v2: does a session of v2 seat a CHN player,
    give CHN its channels with each ally, and fire the first inject to CHN too?"""
    _copy(api)
    draft = _china(api)
    assert draft["valid"], [p for p in draft["problems"] if p["severity"] == "error"]
    published = api.post("/api/library/my-game/publish", {"revision": draft["revision"]})
    assert published.get_json()["version"] == 2
    preview = api.get("/api/library/my-game/preview?as=CHN&version=2").get_json()["view"]
    assert preview["you"]["delegation"] == "CHN"
    session = api.post("/api/sessions", {"scenario": "my-game"}).get_json()["session"]
    assert session["scenario"]["version"] == 2
    game_id = session["id"]
    fac = connect(api.headers["Authorization"][7:], session_id=game_id)
    players = {}
    for name in ("Aiko", "Min-jun", "Sam", "Li"):
        answer = join(session["join_code"], name)
        players[answer["player"]["delegation"]] = connect(answer["token"])
    assert set(players) == {"JPN", "KOR", "USA", "CHN"}
    sync = next(i for i in players["CHN"].get_received() if i["name"] == "sync")["args"][0]
    channels = sync["scenario"]["channels"]
    assert {"plenary", "CHN", "JPN-CHN", "KOR-CHN", "USA-CHN", "white-CHN"} <= set(channels)
    for client in (fac, *players.values()):
        client.get_received()
    ack = fac.emit("command", {"id": "s1", "type": "session.start"}, callback=True)
    assert ack["ok"], ack
    ack = fac.emit(
        "command",
        {"id": "f1", "type": "inject.fire", "inject_id": "nk-vice-ministers-tokyo"},
        callback=True,
    )
    assert ack["ok"], ack
    fired = events_of(players["CHN"], "inject_fired")
    assert [e["data"]["inject"]["id"] for e in fired] == ["nk-vice-ministers-tokyo"]
    ack = players["CHN"].emit(
        "command",
        {"id": "m1", "type": "message.post", "channel": "USA-CHN", "text": "Let us talk."},
        callback=True,
    )
    assert ack["ok"], ack
    assert [e["data"]["text"] for e in events_of(players["USA"], "message_posted")] == [
        "Let us talk."
    ]
    assert events_of(players["JPN"], "message_posted") == []


def test_the_review_names_the_version_played(app, api, facilitator):
    _copy(api)
    draft = _set(
        api, "my-game", {"file": "scenario.yaml", "path": ["title"], "op": "set", "value": "Mine"}
    )
    api.post("/api/library/my-game/publish", {"revision": draft["revision"]})
    session = api.post("/api/sessions", {"scenario": "my-game"}).get_json()["session"]
    page = sign_in(app.test_client(), facilitator).get(f"/review/{session['id']}")
    assert page.status_code == 200
    assert "Mine (v2)" in page.get_data(as_text=True)


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "data:text/html,x", "www.x"])
def test_the_review_links_only_web_addresses(app, api, facilitator, url):
    """Is a source url that is not http(s) (javascript:, data:, no scheme) shown on the review
    page as its title without a link, as the live pages do, while https urls stay links?"""
    _copy(api)
    sources = _draft(api)["data"]["scenario.yaml"]["sources"]
    draft = _set(
        api,
        "my-game",
        *(
            {"file": "scenario.yaml", "path": ["sources", i, "url"], "op": "set", "value": url}
            for i in range(1, len(sources))
        ),
    )
    assert draft["valid"]
    api.post("/api/library/my-game/publish", {"revision": draft["revision"]})
    session = api.post("/api/sessions", {"scenario": "my-game"}).get_json()["session"]
    page = sign_in(app.test_client(), facilitator).get(f"/review/{session['id']}")
    text = page.get_data(as_text=True)
    assert f'href="{url}' not in text and f'href="{sources[0]["url"]}"' in text
