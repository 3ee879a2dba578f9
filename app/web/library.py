"""The scenario library's JSON API, under /api/library (documented in docs/authoring.md, "API").

Every route needs a facilitator's bearer token, like the rest of /api (no cookie is read, so a
page of another site cannot act on a facilitator's behalf). A scenario the caller may not see is
answered `404 not_found`, exactly like one that does not exist.
"""

from __future__ import annotations

import io
import threading
import zipfile
from typing import Any

from flask import Blueprint, Response, g, jsonify, request

from app.content.loader import FILE_NAMES
from app.realtime.sessions import SessionError
from app.security.offload import off_loop
from app.store import library as lib
from app.store.library import LibraryError
from app.web.api import bearer, body, fail

library_api = Blueprint("library_api", __name__)

MAX_ZIP_ENTRIES = 16
MAX_TOTAL_BYTES = 3 * lib.MAX_FILE_CHARS
# Exports are the same bytes for the same texts: every entry carries this date.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


@library_api.errorhandler(LibraryError)
def _library_error(error: LibraryError) -> Any:
    payload = {"ok": False, "error": {"code": error.code, "message": error.message}}
    payload["error"].update({k: v for k, v in error.extra.items() if k != "problems"})
    if "problems" in error.extra:
        payload["problems"] = error.extra["problems"]
    return jsonify(payload), error.status


@library_api.errorhandler(SessionError)
def _session_error(error: SessionError) -> Any:
    return fail(error.code, error.message, error.status)


def _me() -> int:
    principal = bearer()
    if principal is None:
        raise LibraryError("not_facilitator", "Sign in as a facilitator first.", 401)
    return principal.facilitator_id


# One facilitator's library requests run one at a time (per process): their YAML work runs off
# the event loop, and a script sending many at once would otherwise keep as many OS threads
# busy, each taking its turn at the interpreter lock from every class on the server (six
# parallel 420 KB validations stalled other clients 0.9 s). Waiting here costs nothing.
_turns: dict[int, threading.Lock] = {}


@library_api.before_request
def _take_turn() -> None:
    principal = bearer()
    if principal is not None:
        turn = _turns.setdefault(principal.facilitator_id, threading.Lock())
        turn.acquire()
        g.library_turn = turn


@library_api.teardown_request
def _end_turn(_error: BaseException | None) -> None:
    turn = g.pop("library_turn", None)
    if turn is not None:
        turn.release()


@library_api.get("")
def index() -> Any:
    return jsonify({"ok": True, "scenarios": lib.library(_me())})


@library_api.get("/schema")
def schema() -> Any:
    from app.content.jsonschema import file_schemas

    _me()
    return jsonify({"ok": True, "schema": file_schemas()})


@library_api.post("/duplicate")
def duplicate() -> Any:
    me = _me()
    data = body()
    found = lib.duplicate(me, str(data.get("slug", "")), data.get("new_slug"), data.get("title"))
    return jsonify({"ok": True, "scenario": lib.summary(found)})


@library_api.post("/new")
def new() -> Any:
    me = _me()
    data = body()
    found = lib.from_template(me, data.get("slug"), data.get("title"))
    return jsonify({"ok": True, "scenario": lib.summary(found)})


@library_api.post("/validate")
def validate() -> Any:
    _me()
    data = body()
    files = lib.clean_files(data.get("files"))
    slug = data.get("slug")
    if not isinstance(slug, str) or not lib.SLUG.match(slug):
        slug = _id_of(files) or "scenario"
    valid, problems = lib.check_files(files, slug)
    return jsonify({"ok": True, "valid": valid, "problems": problems})


def _id_of(files: dict[str, str]) -> str | None:
    data = lib.parsed({"scenario.yaml": files.get("scenario.yaml", "")}).get("scenario.yaml")
    slug = data.get("id") if isinstance(data, dict) else None
    return slug if isinstance(slug, str) and lib.SLUG.match(slug) else None


# --- import and export --------------------------------------------------------------------------


def _entry_name(raw: str) -> str | None:
    """The file name of an upload or zip entry: one of the three, optionally inside one folder.

    None for a folder entry; `bad_upload` for anything else (a path with '..', a deeper path,
    another file).
    """
    name = raw.replace("\\", "/")
    if name.endswith("/") and name.count("/") == 1 and ".." not in name:
        return None  # the folder itself
    if name.startswith("__MACOSX/") or name.rpartition("/")[2] == ".DS_Store":
        return None  # what macOS adds to every zip it makes: never read
    parts = name.split("/")
    if (
        name.startswith("/")
        or ".." in parts
        or len(parts) > 2
        or (len(parts) == 2 and not lib.SLUG.match(parts[0].lower().replace("_", "-")))
        or parts[-1] not in FILE_NAMES
    ):
        raise LibraryError(
            "bad_upload",
            f"The upload holds {raw[:120]!r}; a scenario is exactly {', '.join(FILE_NAMES)} "
            f"(at the top of the zip or in one folder).",
        )
    return parts[-1]


def _decode(name: str, data: bytes, texts: dict[str, str], problems: list[dict[str, Any]]) -> None:
    if name in texts:
        raise LibraryError("bad_upload", f"The upload holds {name} twice.")
    try:
        texts[name] = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.append(
            {
                "file": name,
                "line": None,
                "path": [],
                "field": "",
                "message": f"the file is not UTF-8 text (byte {error.start})",
                "severity": "error",
                "code": "invalid",
                "accepted": False,
            }
        )
        texts[name] = ""


def _read_zip(upload: Any) -> tuple[dict[str, str], list[dict[str, Any]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(upload.read()))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise LibraryError("bad_upload", "The file is not a zip archive.") from None
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise LibraryError("bad_upload", f"The zip holds more than {MAX_ZIP_ENTRIES} entries.")
    texts: dict[str, str] = {}
    problems: list[dict[str, Any]] = []
    total = 0
    folders = set()
    for info in entries:
        name = _entry_name(info.filename)
        if name is None or info.is_dir():
            continue
        folders.add(info.filename.replace("\\", "/").rpartition("/")[0])
        # Never trust the sizes the zip declares: read at most one byte past the limit.
        try:
            with archive.open(info) as handle:
                data = handle.read(lib.MAX_FILE_CHARS + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
            raise LibraryError("bad_upload", f"{info.filename[:120]} cannot be read.") from None
        total += len(data)
        if len(data) > lib.MAX_FILE_CHARS or total > MAX_TOTAL_BYTES:
            raise LibraryError(
                "too_large",
                f"{name} is larger than {lib.MAX_FILE_CHARS // 1024} KB uncompressed.",
                413,
            )
        _decode(name, data, texts, problems)
    if len(folders) > 1:
        raise LibraryError("bad_upload", "The zip holds the files of more than one folder.")
    return texts, problems


def _read_uploads(uploads: list[Any]) -> tuple[dict[str, str], list[dict[str, Any]]]:
    if len(uploads) > len(FILE_NAMES):
        raise LibraryError("bad_upload", f"Send {', '.join(FILE_NAMES)} only.")
    texts: dict[str, str] = {}
    problems: list[dict[str, Any]] = []
    for upload in uploads:
        name = _entry_name(upload.filename or "")
        if name is None:
            continue
        data = upload.read(lib.MAX_FILE_CHARS + 1)
        if len(data) > lib.MAX_FILE_CHARS:
            raise LibraryError(
                "too_large", f"{name} is larger than {lib.MAX_FILE_CHARS // 1024} KB.", 413
            )
        _decode(name, data, texts, problems)
    return texts, problems


@library_api.post("/import")
def import_() -> Any:
    me = _me()
    new_slug = request.form.get("new_slug") or None
    if request.is_json:
        data = body()
        texts, problems = lib.clean_files(data.get("files"), partial=True), []
        new_slug = data.get("new_slug") or None
    elif "file" in request.files:
        texts, problems = _read_zip(request.files["file"])
    elif request.files.getlist("files[]") or request.files.getlist("files"):
        texts, problems = _read_uploads(
            request.files.getlist("files[]") or request.files.getlist("files")
        )
    else:
        raise LibraryError(
            "bad_upload", "Send a zip as 'file', or the three YAML files as 'files[]'."
        )
    if problems:
        raise LibraryError(
            "bad_scenario", f"{problems[0]['file']}: {problems[0]['message']}", problems=problems
        )
    found = lib.import_files(me, texts, new_slug)
    return jsonify({"ok": True, "scenario": lib.summary(found)})


def zip_bytes(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in FILE_NAMES:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files.get(name, "").encode("utf-8"))
    return out.getvalue()


@library_api.get("/<slug>/export")
def export(slug: str) -> Any:
    found = lib.entry(slug, _me())
    version = request.args.get("version") or None
    files = lib.texts(found, version)
    label = "draft" if version == "draft" else f"v{lib.version_row(found, version).version}"
    return Response(
        zip_bytes(files),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{slug}-{label}.zip"'},
    )


# --- one scenario -------------------------------------------------------------------------------


@library_api.get("/<slug>")
def one(slug: str) -> Any:
    return jsonify({"ok": True, "scenario": lib.summary(lib.entry(slug, _me()))})


@library_api.delete("/<slug>")
def delete(slug: str) -> Any:
    lib.delete(_me(), slug)
    return jsonify({"ok": True})


@library_api.get("/<slug>/draft")
def get_draft(slug: str) -> Any:
    return jsonify(lib.draft(lib.entry(slug, _me())))


@library_api.put("/<slug>/draft")
def put_draft(slug: str) -> Any:
    me = _me()
    lib.editable(slug, me)  # who may, before what was sent
    data = body()
    files = lib.clean_files(data.get("files"), partial=True)
    lib.save(me, slug, data.get("revision"), files)
    return jsonify(lib.draft(lib.entry(slug, me)))


@library_api.post("/<slug>/edit")
def edit(slug: str) -> Any:
    me = _me()
    data = body()
    lib.edit(me, slug, data.get("revision"), data.get("ops"))
    return jsonify(lib.draft(lib.entry(slug, me)))


@library_api.post("/<slug>/publish")
def publish(slug: str) -> Any:
    me = _me()
    row = lib.publish(me, slug, body().get("revision"))
    found = lib.entry(slug, me)
    return jsonify(
        {
            "ok": True,
            "version": row.version,
            "revision": found.authored.revision if found.authored else 0,
            "problems": [],
            "scenario": lib.summary(found),
        }
    )


@library_api.get("/<slug>/versions")
def versions(slug: str) -> Any:
    return jsonify({"ok": True, "versions": lib.versions(lib.entry(slug, _me()))})


@library_api.post("/<slug>/share")
def share(slug: str) -> Any:
    names = lib.share(_me(), slug, body().get("name"))
    return jsonify({"ok": True, "shared_with": names})


@library_api.delete("/<slug>/share/<name>")
def unshare(slug: str, name: str) -> Any:
    names = lib.unshare(_me(), slug, name)
    return jsonify({"ok": True, "shared_with": names})


@library_api.get("/<slug>/diff")
def diff(slug: str) -> Any:
    """What changed from one version to another (or to the draft), in words."""
    from app.content.diff import diff_files

    found = lib.entry(slug, _me())
    to = request.args.get("to") or "draft"
    if to == "draft" and found.authored is None:
        to = str(found.latest.version) if found.latest else "draft"
    start = request.args.get("from")
    if not start:
        if to == "draft":
            start = str(found.latest.version) if found.latest else None
        else:
            earlier = [
                r.version for r in found.rows if r.version < lib.version_row(found, to).version
            ]
            start = str(max(earlier)) if earlier else to
    if start is None:
        raise LibraryError("not_published", "The scenario has no version to compare with.", 404)
    old, new = lib.texts(found, start), lib.texts(found, to)
    return jsonify(
        {
            "ok": True,
            "from": _label(start),
            "to": _label(to),
            "changes": off_loop(diff_files, old, new),
        }
    )


def _label(version: str) -> int | str:
    return "draft" if version == "draft" else int(version)


# --- preview and dry run ------------------------------------------------------------------------


def _content(found: lib.Entry, version: Any) -> Any:
    """The parsed scenario of a version, or of the draft (which must then be valid)."""
    from app.store.scenarios import scenario_content

    if version == "draft" and found.authored is not None:
        valid, problems = lib.check_files(found.authored.files, found.slug)
        if not valid:
            raise LibraryError(
                "bad_scenario",
                "The draft has problems; fix them to preview it.",
                problems=problems,
            )
        from app.content.loader import load_scenario_from_texts

        return off_loop(load_scenario_from_texts, dict(found.authored.files), found.slug)
    return scenario_content(lib.version_row(found, None if version == "draft" else version))


def _track(content: Any, raw: Any) -> str | None:
    if raw in (None, ""):
        return None
    if raw not in [t.id for t in content.tracks]:
        known = ", ".join(t.id for t in content.tracks) or "(none)"
        raise LibraryError(
            "not_found", f"The scenario has no track {raw!r}; its tracks: {known}.", 404
        )
    return str(raw)


@library_api.get("/<slug>/preview")
def preview(slug: str) -> Any:
    """The `sync` a delegation, an observer or the projector would get right after the start."""
    from app.engine.simulation import preview_sync

    found = lib.entry(slug, _me())
    version = request.args.get("version") or ("draft" if found.authored else None)
    content = _content(found, version)
    track = _track(content, request.args.get("track"))
    as_ = request.args.get("as") or (content.delegation_codes[0])
    session = {
        "id": None,
        "title": content.title,
        "status": "lobby",
        "scenario": {"slug": content.id, "version": content.version, "title": content.title},
        "created_at": None,
    }
    try:
        view = off_loop(preview_sync, content, as_, session, track)
    except ValueError as error:
        raise LibraryError("bad_field", str(error)) from None
    return jsonify(
        {"ok": True, "as": as_, "version": _version_label(version, content), "view": view}
    )


def _version_label(version: Any, content: Any) -> int | str:
    return "draft" if version == "draft" else content.version


@library_api.post("/<slug>/dry-run")
def dry_run(slug: str) -> Any:
    """Fire a track's injects on a compressed clock with every delegation automatic."""
    from app.engine.simulation import dry_run as run

    found = lib.entry(slug, _me())
    data = body()
    version = data.get("version")
    version = str(version) if version not in (None, "") else ("draft" if found.authored else None)
    content = _content(found, version)
    track = _track(content, data.get("track"))
    result = off_loop(run, content, track)
    return jsonify({"ok": True, "version": _version_label(version, content), **result})
