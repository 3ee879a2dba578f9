"""The scenario library API: storage, drafts, edits, validation, versions, permissions."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.realtime.identity import facilitator_token
from app.store.models import AuthoredScenario, Scenario, ScenarioShare
from tests.foundation import test_migrations

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "game_content" / "scenarios" / "trilateral-2023"
FILES = ("scenario.yaml", "delegations.yaml", "injects.yaml")


class Api:
    """A facilitator's view of the API through the Flask test client."""

    def __init__(self, app: Any, facilitator: Any) -> None:
        self.client = app.test_client()
        self.name = facilitator.name
        self.headers = {"Authorization": f"Bearer {facilitator_token(facilitator)}"}

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, headers=self.headers, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self.client.post(path, json=json, headers=self.headers, **kw)

    def put(self, path: str, json: Any = None) -> Any:
        return self.client.put(path, json=json, headers=self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(path, headers=self.headers)


@pytest.fixture
def api(app, facilitator) -> Api:
    return Api(app, facilitator)


@pytest.fixture
def other(app, make_facilitator) -> Api:
    return Api(app, make_facilitator("Dr. Park"))


def _copy(api: Api, new_slug: str = "my-game") -> dict[str, Any]:
    answer = api.post("/api/library/duplicate", {"slug": "trilateral-2023", "new_slug": new_slug})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["scenario"]


def _draft(api: Api, slug: str = "my-game") -> dict[str, Any]:
    answer = api.get(f"/api/library/{slug}/draft")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_the_library_lists_the_bundled_scenario_read_only(api):
    """Does a facilitator's library list the bundled game (no owner, not editable)?"""
    answer = api.get("/api/library")
    assert answer.status_code == 200
    (bundled,) = answer.get_json()["scenarios"]
    assert bundled["slug"] == "trilateral-2023"
    assert bundled["owner"] is None and not bundled["can_edit"] and not bundled["can_delete"]
    assert bundled["version"] == 4 and bundled["moves"] >= 3 and bundled["draft_valid"]


def test_the_library_needs_a_facilitator_token(app):
    answer = app.test_client().get("/api/library")
    assert answer.status_code == 401
    assert answer.get_json()["error"]["code"] == "not_facilitator"


def test_duplicating_the_bundled_scenario_stores_a_draft_and_version(app, api):
    """Does duplicating store the owner's draft (id renamed, all else byte-equal) and its first
    version in the scenarios table, with who published it?"""
    scenario = _copy(api)
    assert scenario["slug"] == "my-game" and scenario["owner"] == "Prof. Tanaka"
    assert scenario["version"] == 1 and scenario["revision"] == 1 and scenario["can_edit"]
    authored = db.session.scalar(select(AuthoredScenario).where(AuthoredScenario.slug == "my-game"))
    original = (BUNDLED / "scenario.yaml").read_text()
    assert authored.files["scenario.yaml"] == original.replace(
        "id: trilateral-2023", "id: my-game", 1
    ).replace("version: 4", "version: 1", 1)
    for name in ("delegations.yaml", "injects.yaml"):
        assert authored.files[name] == (BUNDLED / name).read_text()
    (row,) = db.session.scalars(select(Scenario).where(Scenario.slug == "my-game")).all()
    assert row.owner_id == authored.owner_id and row.published_by == "Prof. Tanaka"
    assert row.version == 1 and row.published_at is not None


def test_a_new_scenario_from_the_template_is_valid(api):
    answer = api.post("/api/library/new", {"slug": "fresh", "title": "A fresh game"})
    assert answer.status_code == 200, answer.get_json()
    scenario = answer.get_json()["scenario"]
    assert scenario["title"] == "A fresh game" and scenario["version"] == 1
    draft = _draft(api, "fresh")
    assert draft["valid"] and [p for p in draft["problems"] if p["severity"] == "error"] == []
    assert draft["data"]["scenario.yaml"]["id"] == "fresh"
    assert draft["ids"]["delegation"] == ["AAA", "BBB"]
    assert draft["ids"]["options_by_inject"] == {"inject-1": ["joint-statement", "talks", "wait"]}
    assert draft["ids"]["indicator"] == ["cohesion"] and draft["ids"]["source"] == ["source-1"]


def test_slugs_are_checked(api):
    _copy(api)
    taken = api.post("/api/library/duplicate", {"slug": "trilateral-2023", "new_slug": "my-game"})
    assert taken.status_code == 409 and taken.get_json()["error"]["code"] == "slug_taken"
    bad = api.post("/api/library/new", {"slug": "../etc", "title": "x"})
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "bad_slug"


def test_a_draft_can_be_saved_broken_and_names_its_problems(api):
    """Is an invalid draft saved (revision + 1), with each problem's file, line, path, field?"""
    _copy(api)
    draft = _draft(api)
    injects = draft["files"]["injects.yaml"].replace(
        "deadline_minutes:", "deadline_minutes: banana\n    old_deadline:", 1
    )
    answer = api.put(
        "/api/library/my-game/draft",
        {"revision": draft["revision"], "files": {"injects.yaml": injects}},
    )
    assert answer.status_code == 200, answer.get_json()
    saved = answer.get_json()
    assert saved["revision"] == draft["revision"] + 1 and not saved["valid"]
    assert saved["saved_by"] == "Prof. Tanaka"
    errors = [p for p in saved["problems"] if p["severity"] == "error"]
    assert errors and all(p["file"] == "injects.yaml" and p["line"] for p in errors)
    first = errors[0]
    assert first["path"][0] == "injects" and isinstance(first["path"][1], int)
    assert first["field"].startswith("injects[")
    stored = db.session.scalar(select(AuthoredScenario).where(AuthoredScenario.slug == "my-game"))
    db.session.refresh(stored)
    assert stored.files["injects.yaml"] == injects and stored.revision == saved["revision"]
    # The list says the draft is broken; the published version is unchanged.
    (mine,) = [s for s in api.get("/api/library").get_json()["scenarios"] if s["slug"] == "my-game"]
    assert not mine["draft_valid"] and mine["version"] == 1


def test_a_stale_save_is_a_conflict_that_overwrites_nothing(app, api, other):
    """Two editors: is the second save (on the old revision) refused with 409 edit_conflict
    naming who saved and when, and the first save kept?"""
    _copy(api)
    api.post("/api/library/my-game/share", {"name": "Dr. Park"})
    revision = _draft(api)["revision"]
    texts = _draft(api)["files"]
    first = texts["scenario.yaml"].replace("version: 1", "version: 1\n# first editor", 1)
    second = texts["scenario.yaml"].replace("version: 1", "version: 1\n# second editor", 1)
    ok = other.put(
        "/api/library/my-game/draft", {"revision": revision, "files": {"scenario.yaml": first}}
    )
    assert ok.status_code == 200
    refused = api.put(
        "/api/library/my-game/draft", {"revision": revision, "files": {"scenario.yaml": second}}
    )
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "edit_conflict" and "Dr. Park" in error["message"]
    assert error["current_revision"] == revision + 1 and error["saved_by"] == "Dr. Park"
    assert _draft(api)["files"]["scenario.yaml"] == first


def test_validate_checks_texts_without_saving(api):
    """Does /validate answer the same problems as the CLI, without storing anything?"""
    files = {name: (BUNDLED / name).read_text() for name in FILES}
    files["injects.yaml"] = files["injects.yaml"].replace(
        "deadline_minutes: ", "deadline_minutes: -", 1
    )
    answer = api.post("/api/library/validate", {"files": files})
    assert answer.status_code == 200
    result = answer.get_json()
    assert not result["valid"]
    (problem,) = [p for p in result["problems"] if p["severity"] == "error"]
    assert problem["file"] == "injects.yaml" and problem["field"].endswith("deadline_minutes")
    assert (
        problem["line"]
        == files["injects.yaml"]
        .splitlines()
        .index(
            next(
                line for line in files["injects.yaml"].splitlines() if "deadline_minutes: -" in line
            )
        )
        + 1
    )
    assert db.session.scalar(select(AuthoredScenario)) is None


def test_the_schema_marks_id_references(api):
    answer = api.get("/api/library/schema")
    schema = answer.get_json()["schema"]
    assert set(schema) == set(FILES)
    inject = schema["injects.yaml"]["$defs"]["Inject"]["properties"]
    assert inject["sources"]["x-ref"] == "source" and inject["move"]["x-ref"] == "move"
    option = schema["injects.yaml"]["$defs"]["ResponseOption"]["properties"]
    assert option["effects"]["x-ref-key"] == "indicator"
    scoring = schema["delegations.yaml"]["$defs"]["Scoring"]["properties"]
    assert scoring["options"]["x-ref-key"] == "option"


def test_a_scenario_not_shared_is_invisible_to_another_facilitator(api, other):
    """Can another facilitator neither list, read, edit, export nor use it (404, as if it did
    not exist), until it is shared with them?"""
    _copy(api)
    revision = _draft(api)["revision"]
    assert [s["slug"] for s in other.get("/api/library").get_json()["scenarios"]] == [
        "trilateral-2023"
    ]
    for answer in (
        other.get("/api/library/my-game/draft"),
        other.put("/api/library/my-game/draft", {"revision": revision, "files": {}}),
        other.get("/api/library/my-game/export"),
        other.get("/api/library/my-game/versions"),
        other.delete("/api/library/my-game"),
        other.post("/api/library/duplicate", {"slug": "my-game"}),
        other.post("/api/sessions", {"scenario": "my-game"}),
    ):
        assert answer.status_code == 404, answer.get_json()
        assert answer.get_json()["error"]["code"] == "not_found"
    assert "my-game" not in [s["slug"] for s in other.get("/api/scenarios").get_json()["scenarios"]]
    # Shared: they see, edit and use it, but neither delete nor share it.
    assert api.post("/api/library/my-game/share", {"name": "Dr. Park"}).get_json()[
        "shared_with"
    ] == ["Dr. Park"]
    listed = [
        s for s in other.get("/api/library").get_json()["scenarios"] if s["slug"] == "my-game"
    ]
    assert listed and listed[0]["can_edit"] and not listed[0]["can_delete"]
    assert other.get("/api/library/my-game/draft").status_code == 200
    assert other.post("/api/sessions", {"scenario": "my-game"}).status_code == 200
    assert other.delete("/api/library/my-game").get_json()["error"]["code"] == "owner_only"
    # Unshared: gone again.
    api.delete("/api/library/my-game/share/Dr. Park")
    assert other.get("/api/library/my-game/draft").status_code == 404
    assert db.session.scalar(select(ScenarioShare)) is None


def test_the_bundled_scenario_cannot_be_edited_in_place(api):
    draft = _draft(api, "trilateral-2023")
    assert not draft["can_edit"] and draft["revision"] == 0
    answer = api.put("/api/library/trilateral-2023/draft", {"revision": 0, "files": {}})
    assert answer.status_code == 403 and answer.get_json()["error"]["code"] == "read_only"


def test_delete_is_refused_while_a_session_uses_the_scenario(app, api):
    _copy(api)
    _copy(api, "spare")
    assert api.post("/api/sessions", {"scenario": "my-game"}).status_code == 200
    refused = api.delete("/api/library/my-game")
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "in_use"
    assert api.delete("/api/library/spare").status_code == 200
    assert db.session.scalar(select(Scenario).where(Scenario.slug == "spare")) is None
    assert (
        db.session.scalar(select(AuthoredScenario).where(AuthoredScenario.slug == "spare")) is None
    )


# --- import and export --------------------------------------------------------------------------


def _zip(entries: dict[str, bytes | str]) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    out.seek(0)
    return out


def test_export_is_byte_equal_and_import_round_trips(api):
    """Is the bundled scenario's export byte-equal to its folder, and does importing it under
    a new id then exporting give the same bytes (but for the id line)?"""
    answer = api.get("/api/library/trilateral-2023/export")
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.data))
    assert sorted(archive.namelist()) == sorted(FILES)
    for name in FILES:
        assert archive.read(name) == (BUNDLED / name).read_bytes()
    imported = api.post(
        "/api/library/import",
        data={"file": (io.BytesIO(answer.data), "trilateral-2023.zip"), "new_slug": "imported"},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 200, imported.get_json()
    again = zipfile.ZipFile(io.BytesIO(api.get("/api/library/imported/export").data))
    for name in FILES:
        expected = (BUNDLED / name).read_text()
        if name == "scenario.yaml":
            expected = expected.replace("id: trilateral-2023", "id: imported", 1)
        assert again.read(name).decode() == expected
    # Exported twice: the same bytes.
    assert (
        api.get("/api/library/imported/export").data == api.get("/api/library/imported/export").data
    )


def test_an_import_keeps_the_texts_byte_for_byte(api):
    files = {name: (BUNDLED / name).read_text() for name in FILES}
    files["scenario.yaml"] = files["scenario.yaml"].replace("id: trilateral-2023", "id: travel", 1)
    answer = api.post(
        "/api/library/import",
        data={"file": (_zip({f"travel/{n}": t for n, t in files.items()}), "travel.zip")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 200, answer.get_json()
    archive = zipfile.ZipFile(io.BytesIO(api.get("/api/library/travel/export").data))
    for name in FILES:
        assert archive.read(name).decode() == files[name]


@pytest.mark.parametrize(
    ("entries", "code"),
    [
        ({"../scenario.yaml": "x"}, "bad_upload"),
        ({"a/b/scenario.yaml": "x"}, "bad_upload"),
        ({"/scenario.yaml": "x"}, "bad_upload"),
        ({"notes.txt": "x"}, "bad_upload"),
        ({"scenario.yaml": b"\0" * (600 * 1024)}, "too_large"),
    ],
)
def test_bad_zips_are_refused_and_import_nothing(api, entries, code):
    answer = api.post(
        "/api/library/import",
        data={"file": (_zip(entries), "x.zip")},
        content_type="multipart/form-data",
    )
    assert answer.get_json()["error"]["code"] == code
    assert answer.status_code in (400, 413)
    assert db.session.scalar(select(AuthoredScenario)) is None


def test_a_zip_bomb_is_refused_without_reading_it_whole(api):
    """A small zip that would inflate to 100 MB: refused as too large."""
    answer = api.post(
        "/api/library/import",
        data={"file": (_zip({"injects.yaml": b" " * (100 * 1024 * 1024)}), "bomb.zip")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 413 and answer.get_json()["error"]["code"] == "too_large"


def test_too_many_entries_are_refused(api):
    entries = {f"scenario.yaml{i}": "x" for i in range(40)}
    answer = api.post(
        "/api/library/import",
        data={"file": (_zip(entries), "x.zip")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "bad_upload"


def test_a_broken_import_names_file_line_and_field_and_imports_nothing(api):
    files = {name: (BUNDLED / name).read_text() for name in FILES}
    files["scenario.yaml"] = files["scenario.yaml"].replace("id: trilateral-2023", "id: broken", 1)
    files["delegations.yaml"] = files["delegations.yaml"].replace("code: KOR", "code: korea", 1)
    answer = api.post(
        "/api/library/import",
        data={"files[]": [(io.BytesIO(t.encode()), n) for n, t in files.items()]},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400
    result = answer.get_json()
    assert result["error"]["code"] == "bad_scenario"
    assert "delegations.yaml" in result["error"]["message"]
    problem = result["problems"][0]
    assert problem["file"] == "delegations.yaml" and problem["field"] == "delegations[1].code"
    assert problem["line"] == files["delegations.yaml"].splitlines().index("  - code: korea") + 1
    assert db.session.scalar(select(AuthoredScenario)) is None
    assert db.session.scalar(select(Scenario).where(Scenario.slug == "broken")) is None


def test_an_import_missing_a_file_names_it(api):
    answer = api.post(
        "/api/library/import",
        data={"file": (_zip({"scenario.yaml": (BUNDLED / "scenario.yaml").read_text()}), "x.zip")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400
    assert {p["file"] for p in answer.get_json()["problems"]} == {
        "delegations.yaml",
        "injects.yaml",
    }


# --- edits --------------------------------------------------------------------------------------


def test_edits_keep_comments_and_key_order(api):
    """Does an edit change only its field: every comment, key order and quote kept?"""
    _copy(api)
    draft = _draft(api)
    injects = draft["data"]["injects.yaml"]["injects"]
    index = next(i for i, inj in enumerate(injects) if inj["id"] == "nk-23-missiles")
    answer = api.post(
        "/api/library/my-game/edit",
        {
            "revision": draft["revision"],
            "ops": [
                {
                    "file": "injects.yaml",
                    "path": ["injects", index, "deadline_minutes"],
                    "op": "set",
                    "value": 6,
                }
            ],
        },
    )
    assert answer.status_code == 200, answer.get_json()
    after = answer.get_json()
    assert after["revision"] == draft["revision"] + 1
    before_lines = draft["files"]["injects.yaml"].splitlines()
    after_lines = after["files"]["injects.yaml"].splitlines()
    changed = [(a, b) for a, b in zip(before_lines, after_lines, strict=True) if a != b]
    assert changed == [("    deadline_minutes: 8", "    deadline_minutes: 6")]
    assert after["files"]["scenario.yaml"] == draft["files"]["scenario.yaml"]
    assert after["data"]["injects.yaml"]["injects"][index]["deadline_minutes"] == 6


def test_edits_add_and_remove_list_items(api):
    _copy(api)
    draft = _draft(api)
    delegation = {
        "code": "CHN",
        "name": "China",
        "colour": "#de2910",
        "public_briefing": "Beijing watches.",
        "private_briefing": "Beijing wants the allies divided.\nIt says little.",
        "roles": [{"id": "chn-lead", "title": "Foreign Minister", "lead": True}],
        "objectives": [
            {"id": "chn-obj", "text": "Keep the allies apart.", "scoring": {"options": {}}}
        ],
    }
    answer = api.post(
        "/api/library/my-game/edit",
        {
            "revision": draft["revision"],
            "ops": [
                {
                    "file": "delegations.yaml",
                    "path": ["delegations"],
                    "op": "append",
                    "value": delegation,
                }
            ],
        },
    )
    assert answer.status_code == 200, answer.get_json()
    text = answer.get_json()["files"]["delegations.yaml"]
    assert text.startswith(draft["files"]["delegations.yaml"])
    assert "  - code: CHN\n" in text and "    private_briefing: |\n" in text
    # An empty scoring is a problem named at its field.
    problems = answer.get_json()["problems"]
    assert any(p["field"] == "delegations[3].objectives[0].scoring.options" for p in problems)
    removed = api.post(
        "/api/library/my-game/edit",
        {
            "revision": answer.get_json()["revision"],
            "ops": [{"file": "delegations.yaml", "path": ["delegations", 3], "op": "delete"}],
        },
    )
    assert removed.get_json()["files"]["delegations.yaml"] == draft["files"]["delegations.yaml"]


@pytest.mark.parametrize(
    "op",
    [
        {"file": "injects.yaml", "path": ["nowhere", 1], "op": "set", "value": 1},
        {"file": "other.yaml", "path": ["x"], "op": "set", "value": 1},
        {"file": "injects.yaml", "path": ["injects"], "op": "explode"},
        {"file": "injects.yaml", "path": "injects", "op": "delete"},
    ],
)
def test_bad_edits_are_refused_and_change_nothing(api, op):
    _copy(api)
    draft = _draft(api)
    answer = api.post("/api/library/my-game/edit", {"revision": draft["revision"], "ops": [op]})
    assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "bad_edit"
    assert _draft(api)["revision"] == draft["revision"]


def test_an_edit_on_a_stale_revision_is_a_conflict(api):
    _copy(api)
    draft = _draft(api)
    op = {"file": "scenario.yaml", "path": ["title"], "op": "set", "value": "Mine"}
    assert api.post("/api/library/my-game/edit", {"revision": 1, "ops": [op]}).status_code == 200
    stale = api.post("/api/library/my-game/edit", {"revision": draft["revision"], "ops": [op]})
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "edit_conflict"


# --- versions -----------------------------------------------------------------------------------


def _set(api: Api, slug: str, *ops: dict[str, Any]) -> dict[str, Any]:
    revision = _draft(api, slug)["revision"]
    answer = api.post(f"/api/library/{slug}/edit", {"revision": revision, "ops": list(ops)})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def _inject_index(api: Api, slug: str, inject_id: str) -> int:
    injects = _draft(api, slug)["data"]["injects.yaml"]["injects"]
    return next(i for i, inj in enumerate(injects) if inj["id"] == inject_id)


def test_publish_makes_the_next_version_and_sessions_pin_theirs(app, api):
    """Does publishing a changed draft make version 2 (written into the YAML), a session started
    before keep version 1, a session started after play version 2, and the diff say what
    changed in words?"""
    _copy(api)
    before = api.post("/api/sessions", {"scenario": "my-game"}).get_json()["session"]
    assert before["scenario"] == {
        "slug": "my-game",
        "version": 1,
        "title": before["scenario"]["title"],
    }
    index = _inject_index(api, "my-game", "nk-23-missiles")
    options = _draft(api)["data"]["injects.yaml"]["injects"][index]["response_options"]
    draft = _set(
        api,
        "my-game",
        {
            "file": "injects.yaml",
            "path": ["injects", index, "deadline_minutes"],
            "op": "set",
            "value": 6,
        },
        {
            "file": "injects.yaml",
            "path": ["injects", index, "response_options", 0, "effects", "cohesion"],
            "op": "set",
            "value": 9,
        },
    )
    published = api.post("/api/library/my-game/publish", {"revision": draft["revision"]})
    assert published.status_code == 200, published.get_json()
    assert published.get_json()["version"] == 2
    after = _draft(api)
    assert "\nversion: 2\n" in after["files"]["scenario.yaml"]
    assert after["revision"] == published.get_json()["revision"]
    versions = api.get("/api/library/my-game/versions").get_json()["versions"]
    assert [(v["version"], v["author"], v["used_by"]) for v in versions] == [
        (1, "Prof. Tanaka", 1),
        (2, "Prof. Tanaka", 0),
    ]
    later = api.post("/api/sessions", {"scenario": "my-game"}).get_json()["session"]
    assert later["scenario"]["version"] == 2
    listed = api.get("/api/library/my-game").get_json()["scenario"]
    assert listed["used_by"] == 2
    assert [(s["id"], s["version"]) for s in listed["used_in"]] == [
        (later["id"], 2),
        (before["id"], 1),
    ]
    sessions = {s["id"]: s for s in api.get("/api/sessions").get_json()["sessions"]}
    assert sessions[before["id"]]["scenario"]["version"] == 1
    # The diff, in words.
    diff = api.get("/api/library/my-game/diff?from=1&to=2").get_json()
    summaries = [c["summary"] for c in diff["changes"]]
    option = options[0]["id"]
    old_effect = options[0]["effects"].get("cohesion")
    assert "Inject 'nk-23-missiles': deadline 8 → 6 minutes" in summaries
    assert (
        f"Option '{option}' of inject 'nk-23-missiles': effect on indicator 'cohesion' "
        f"{old_effect:+d} → +9"
    ) in summaries
    assert len(summaries) == 2
    assert api.get("/api/library/my-game/diff").get_json()["changes"] == []  # draft == v2
    # Publishing again with nothing changed makes no version.
    again = api.post("/api/library/my-game/publish", {"revision": after["revision"]})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "unchanged"


def test_an_invalid_draft_is_never_published_nor_played(api):
    _copy(api)
    draft = _draft(api)
    broken = draft["files"]["injects.yaml"].replace("deadline_minutes: 8", "deadline_minutes: 0", 1)
    saved = api.put(
        "/api/library/my-game/draft",
        {"revision": draft["revision"], "files": {"injects.yaml": broken}},
    ).get_json()
    refused = api.post("/api/library/my-game/publish", {"revision": saved["revision"]})
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "bad_scenario"
    (problem,) = [p for p in refused.get_json()["problems"] if p["severity"] == "error"]
    assert problem["file"] == "injects.yaml" and problem["field"].endswith("deadline_minutes")
    # A session still plays the last valid version.
    session = api.post("/api/sessions", {"scenario": "my-game"}).get_json()["session"]
    assert session["scenario"]["version"] == 1
    assert [
        v["version"] for v in api.get("/api/library/my-game/versions").get_json()["versions"]
    ] == [1]


def test_a_diff_names_added_delegations_and_the_draft(api):
    _copy(api)
    draft = _draft(api)
    text = draft["files"]["delegations.yaml"] + (
        '  - code: CHN\n    name: China\n    colour: "#de2910"\n'
        "    public_briefing: Beijing watches.\n    private_briefing: Beijing waits.\n"
        "    roles:\n      - id: chn-lead\n        title: Foreign Minister\n        lead: true\n"
        "    objectives:\n      - id: chn-obj\n        text: Keep the allies apart.\n"
        "        scoring:\n          options: {}\n"
    )
    api.put(
        "/api/library/my-game/draft",
        {"revision": draft["revision"], "files": {"delegations.yaml": text}},
    )
    changes = api.get("/api/library/my-game/diff?from=1&to=draft").get_json()["changes"]
    assert [c["summary"] for c in changes] == ["Delegation CHN added"]
    assert changes[0]["file"] == "delegations.yaml" and changes[0]["path"] == ["delegations", 3]


def test_a_zip_made_on_macos_imports(api):
    """Are the __MACOSX/ and .DS_Store entries macOS adds to a zipped folder ignored?"""
    files = {name: (BUNDLED / name).read_text() for name in FILES}
    files["scenario.yaml"] = files["scenario.yaml"].replace("id: trilateral-2023", "id: mac", 1)
    entries: dict[str, bytes | str] = {"mac/": b"", "mac/.DS_Store": b"\0\1"}
    for name, text in files.items():
        entries[f"mac/{name}"] = text
        entries[f"__MACOSX/mac/._{name}"] = b"\0\5\26\7"
    answer = api.post(
        "/api/library/import",
        data={"file": (_zip(entries), "mac.zip")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["scenario"]["slug"] == "mac"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a: &a [x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n"
                for p, n in zip("abcdefg", "bcdefgh", strict=True)
            ),
            "aliases",
        ),
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    ],
)
def test_hostile_yaml_is_a_problem_not_a_crash(api, text, message):
    """A billion-laughs text or one nested thousands deep: a problem naming the file, for
    validation, a saved draft and the list alike (never a 500, never minutes of work)."""
    files = {name: (BUNDLED / name).read_text() for name in FILES}
    files["injects.yaml"] = text
    answer = api.post("/api/library/validate", {"files": files})
    assert answer.status_code == 200
    (problem,) = answer.get_json()["problems"]
    assert problem["file"] == "injects.yaml" and message in problem["message"]
    _copy(api)
    draft = _draft(api)
    saved = api.put(
        "/api/library/my-game/draft",
        {"revision": draft["revision"], "files": {"injects.yaml": text}},
    )
    assert saved.status_code == 200 and not saved.get_json()["valid"]
    assert saved.get_json()["data"]["injects.yaml"] is None
    assert api.get("/api/library").status_code == 200
    assert api.get("/api/library/my-game/diff?from=1&to=draft").status_code == 200
    edit = api.post(
        "/api/library/my-game/edit",
        {
            "revision": saved.get_json()["revision"],
            "ops": [{"file": "scenario.yaml", "path": ["title"], "op": "set", "value": "T"}],
        },
    )
    assert edit.status_code == 200


def test_route_names_are_not_scenario_ids(api):
    answer = api.post("/api/library/new", {"slug": "schema", "title": "x"})
    assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "bad_slug"


@pytest.mark.parametrize(
    ("file", "old", "new", "field", "words"),
    [
        ("injects.yaml", "    deadline_minutes: 5\n", "\tdeadline_minutes: 5\n", "", "tab"),
        ("scenario.yaml", "version: 4\n", "version: 4\nversion: 5\n", "version", "twice"),
        (
            "delegations.yaml",
            "            nss-trilateral-endorse: 3",
            "            nss-trilateral-endorze: 3",
            "delegations[0].objectives[0].scoring.options.nss-trilateral-endorze",
            "nss-trilateral-endorze",
        ),
        (
            "injects.yaml",
            "    deadline_minutes: 5\n",
            "    deadline_minutes: five\n",
            "injects[0].deadline_minutes",
            "whole number",
        ),
    ],
)
def test_each_broken_file_names_its_problem_on_import(api, file, old, new, field, words):
    """Is each kind of broken file, imported as a zip, refused with its file, line and field
    (as the CLI names them), and nothing stored?"""
    files = {name: (BUNDLED / name).read_text() for name in FILES}
    files["scenario.yaml"] = files["scenario.yaml"].replace("id: trilateral-2023", "id: broken", 1)
    assert old in files[file]
    files[file] = files[file].replace(old, new, 1)
    answer = api.post(
        "/api/library/import",
        data={"file": (_zip(files), "broken.zip")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400, answer.get_json()
    problems = [p for p in answer.get_json()["problems"] if p["severity"] == "error"]
    problem = problems[0]
    assert problem["file"] == file and problem["field"] == field
    assert words in problem["message"]
    mark = new.strip().splitlines()[-1]
    line = next(i for i, text in enumerate(files[file].splitlines(), 1) if mark in text)
    assert problem["line"] == line
    assert db.session.scalar(select(AuthoredScenario)) is None


def test_a_file_that_is_not_utf8_is_named(api):
    files: dict[str, bytes | str] = {name: (BUNDLED / name).read_text() for name in FILES}
    files["delegations.yaml"] = "delegations:\n  - code: J\xc9N\n".encode("latin-1")
    answer = api.post(
        "/api/library/import",
        data={"file": (_zip(files), "x.zip")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400
    (problem,) = answer.get_json()["problems"]
    assert problem["file"] == "delegations.yaml" and "not UTF-8" in problem["message"]


@pytest.fixture
def postgres_url():
    """A fresh PostgreSQL database (tests/foundation/test_migrations.py's fixture)."""
    yield from test_migrations.postgres_url.__wrapped__()


def test_the_library_on_postgresql(tmp_path, monkeypatch, postgres_url):
    """The same flow on PostgreSQL: duplicate, hidden from others, shared, a stale edit refused,
    publish, a session pins the version, delete refused while in use."""
    from flask_migrate import upgrade

    from app import create_app
    from app.config import Config
    from app.store.accounts import create_facilitator
    from app.store.scenarios import sync_bundled_scenarios

    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "pg"))
    config = Config()
    config.ASYNC_MODE = "threading"
    config.SCHEDULER_ENABLED = False
    config.SQLALCHEMY_DATABASE_URI = postgres_url
    pg = create_app(config)
    with pg.app_context():
        try:
            upgrade()
            sync_bundled_scenarios(Path(pg.config["SCENARIO_DIR"]))
            alice = Api(pg, create_facilitator("Alice", "correct horse battery"))
            bob = Api(pg, create_facilitator("Bob", "correct horse battery"))
            assert _copy(alice, "pg-game")["version"] == 1
            assert bob.get("/api/library/pg-game/draft").status_code == 404
            alice.post("/api/library/pg-game/share", {"name": "Bob"})
            seen = _draft(alice, "pg-game")["revision"]
            op = {"file": "scenario.yaml", "path": ["title"], "op": "set", "value": "PG"}
            assert (
                bob.post("/api/library/pg-game/edit", {"revision": seen, "ops": [op]}).status_code
                == 200
            )
            stale = alice.post("/api/library/pg-game/edit", {"revision": seen, "ops": [op]})
            assert stale.status_code == 409 and "Bob" in stale.get_json()["error"]["message"]
            revision = _draft(alice, "pg-game")["revision"]
            assert (
                alice.post("/api/library/pg-game/publish", {"revision": revision}).get_json()[
                    "version"
                ]
                == 2
            )
            session = bob.post("/api/sessions", {"scenario": "pg-game"}).get_json()["session"]
            assert session["scenario"] == {"slug": "pg-game", "title": "PG", "version": 2}
            assert alice.delete("/api/library/pg-game").status_code == 409
        finally:
            db.session.remove()
            db.engine.dispose()


def test_a_bundled_folder_never_takes_an_authored_id(app, api, tmp_path):
    """A bundled folder added later with the id of a facilitator's scenario: not loaded (with
    a problem saying why), and the facilitator's scenario stays theirs."""
    import shutil

    from app.store.scenarios import sync_bundled_scenarios

    _copy(api)
    folder = tmp_path / "scenarios" / "my-game"
    shutil.copytree(BUNDLED, folder)
    text = (folder / "scenario.yaml").read_text().replace("id: trilateral-2023", "id: my-game", 1)
    (folder / "scenario.yaml").write_text(text)
    loaded, problems = sync_bundled_scenarios(tmp_path / "scenarios")
    assert loaded == [] and "belongs to an authored scenario" in problems[0]
    rows = db.session.scalars(select(Scenario).where(Scenario.slug == "my-game")).all()
    assert [r.owner_id for r in rows] == [api_owner(api)]


def api_owner(api: Api) -> int:
    return db.session.scalar(
        select(AuthoredScenario.owner_id).where(AuthoredScenario.slug == "my-game")
    )


def test_an_unreadable_import_under_a_new_id_names_its_line(api):
    files = {name: (BUNDLED / name).read_text() for name in FILES}
    files["scenario.yaml"] = files["scenario.yaml"].replace("title: ", "title: [", 1)
    answer = api.post("/api/library/import", {"files": files, "new_slug": "renamed"})
    assert answer.status_code == 400
    problem = answer.get_json()["problems"][0]
    assert problem["file"] == "scenario.yaml" and problem["line"] is not None
    assert "cannot be read" in problem["message"]


def test_brackets_nested_deep_are_refused_at_once(api):
    """Is a text of 100,000 '[' (200 KB, under the size limit) a problem within a moment for
    validation and an edit, instead of seconds of the one event loop every class shares?"""
    text = "x: " + "[" * 100_000 + "]" * 100_000 + "\n"
    started = time.perf_counter()
    answer = api.post("/api/library/validate", {"files": dict.fromkeys(FILES, text)})
    assert time.perf_counter() - started < 2
    messages = [p["message"] for p in answer.get_json()["problems"]]
    assert len(messages) == 3 and all("nested too deeply" in m for m in messages)
    _copy(api)
    saved = api.put(
        "/api/library/my-game/draft",
        {"revision": _draft(api)["revision"], "files": {"scenario.yaml": text}},
    )
    assert saved.status_code == 200 and not saved.get_json()["valid"]
    started = time.perf_counter()
    edit = api.post(
        "/api/library/my-game/edit",
        {
            "revision": saved.get_json()["revision"],
            "ops": [{"file": "scenario.yaml", "path": ["title"], "op": "set", "value": "T"}],
        },
    )
    assert time.perf_counter() - started < 2
    assert edit.status_code == 400 and edit.get_json()["error"]["code"] == "bad_edit"


def test_one_facilitators_library_requests_take_turns(app, api, other, monkeypatch):
    """Do four validations sent at once by one facilitator run one at a time (so a script holds
    at most one OS thread of YAML work), while another facilitator's is not kept waiting?"""
    import threading

    from app.store import library

    running: dict[str, int] = {}
    most: dict[str, int] = {}
    ended: list[str] = []
    lock = threading.Lock()

    def slow_check(files: dict[str, str], slug: str) -> tuple[bool, list[Any]]:
        who = slug.split("-")[0]
        with lock:
            running[who] = running.get(who, 0) + 1
            most[who] = max(most.get(who, 0), running[who])
        time.sleep(0.3)
        with lock:
            running[who] -= 1
            ended.append(who)
        return True, []

    monkeypatch.setattr(library, "check_texts", slow_check)
    files = {name: (BUNDLED / name).read_text() for name in FILES}

    def send(caller: Api, slug: str) -> None:
        with app.app_context():
            answer = caller.post("/api/library/validate", {"files": files, "slug": slug})
            assert answer.status_code == 200

    threads = [threading.Thread(target=send, args=(api, f"mine-{n}")) for n in range(4)]
    threads += [threading.Thread(target=send, args=(other, "theirs-0"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == {"mine": 1, "theirs": 1}
    assert ended.index("theirs") < 3  # not queued behind the four
