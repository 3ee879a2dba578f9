"""The scenario library: facilitators' own scenarios, their drafts, versions and shares.

An authored scenario has a draft (its three YAML texts, which may be invalid while it is being
written) with a `revision` that grows on every save, and published versions: `Scenario` rows with
its slug, which sessions pin exactly as they pin bundled scenarios. A save or publish based on an
older revision is refused (`edit_conflict`) and overwrites nothing.

Who sees what: bundled scenarios (no owner) are visible to every facilitator and edited only by
duplicating them; an authored scenario is visible to its owner and to the facilitators it is
shared with (who may edit, publish and use it); only its owner shares and deletes it. A
scenario someone may not see is answered exactly like one that does not exist.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from app.content.loader import FILE_NAMES, content_hash
from app.content.report import check_texts
from app.content.roundtrip import EditError, apply_ops, set_fields
from app.content.yamltree import YamlTrouble, parse
from app.extensions import db
from app.security.offload import off_loop
from app.store.models import (
    AuthoredScenario,
    CoFacilitator,
    Facilitator,
    GameSession,
    Scenario,
    ScenarioShare,
    utcnow,
)

TEMPLATE = Path(__file__).resolve().parent.parent / "content" / "template"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
MAX_FILE_CHARS = 512 * 1024  # one YAML text; the bundled game's largest is ~72 KB


class LibraryError(Exception):
    """A refused library operation, answered as `{ok: false, error: {code, message}, ...}`."""

    def __init__(self, code: str, message: str, status: int = 400, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.extra = extra


@dataclass
class Entry:
    """One scenario of the library as one facilitator may see it."""

    slug: str
    authored: AuthoredScenario | None
    rows: list[Scenario]  # published versions, oldest first
    role: str  # "owner" | "shared" | "bundled"
    viewer: int = 0  # the facilitator it was looked up for

    @property
    def can_edit(self) -> bool:
        return self.role in ("owner", "shared")

    @property
    def latest(self) -> Scenario | None:
        return self.rows[-1] if self.rows else None


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


def _not_found(slug: str) -> LibraryError:
    return LibraryError("not_found", f"There is no scenario {slug!r} in your library.", 404)


def _shared_ids(facilitator_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(ScenarioShare.scenario_id).where(ScenarioShare.facilitator_id == facilitator_id)
        )
    )


def _rows(slug: str, authored: bool) -> list[Scenario]:
    owner = Scenario.owner_id.is_not(None) if authored else Scenario.owner_id.is_(None)
    rows = db.session.scalars(select(Scenario).where(Scenario.slug == slug, owner)).all()
    return sorted(rows, key=lambda r: (r.version, r.loaded_at, r.id))


def entry(slug: str, facilitator_id: int) -> Entry:
    """The scenario `slug` as this facilitator may see it, or `not_found`."""
    if not isinstance(slug, str) or not SLUG.match(slug):
        raise _not_found(str(slug)[:80])
    authored = db.session.scalar(select(AuthoredScenario).where(AuthoredScenario.slug == slug))
    if authored is not None:
        if authored.owner_id == facilitator_id:
            role = "owner"
        elif authored.id in _shared_ids(facilitator_id):
            role = "shared"
        else:
            raise _not_found(slug)
        return Entry(slug, authored, _rows(slug, True), role, facilitator_id)
    rows = _rows(slug, False)
    if not rows:
        raise _not_found(slug)
    return Entry(slug, None, rows, "bundled", facilitator_id)


def editable(slug: str, facilitator_id: int) -> Entry:
    found = entry(slug, facilitator_id)
    if found.authored is None:
        raise LibraryError(
            "read_only",
            "A bundled scenario cannot be changed; duplicate it and edit the copy.",
            403,
        )
    return found


def owned(slug: str, facilitator_id: int) -> Entry:
    found = editable(slug, facilitator_id)
    if found.role != "owner":
        raise LibraryError("owner_only", "Only the scenario's owner can do that.", 403)
    return found


def visible_slugs(facilitator_id: int) -> list[str]:
    """Every slug this facilitator may see: bundled, own and shared."""
    bundled = db.session.scalars(
        select(Scenario.slug).where(Scenario.owner_id.is_(None)).distinct()
    ).all()
    shared = _shared_ids(facilitator_id)
    authored = db.session.scalars(
        select(AuthoredScenario.slug).where(
            or_(AuthoredScenario.owner_id == facilitator_id, AuthoredScenario.id.in_(shared))
        )
    ).all()
    taken = set(db.session.scalars(select(AuthoredScenario.slug)).all())
    return sorted({s for s in bundled if s not in taken} | set(authored))


def _used_by(rows: list[Scenario]) -> int:
    if not rows:
        return 0
    return (
        db.session.scalar(
            select(func.count(GameSession.id)).where(
                GameSession.scenario_id.in_([r.id for r in rows])
            )
        )
        or 0
    )


def used_in(rows: list[Scenario], facilitator_id: int) -> list[dict[str, Any]]:
    """The sessions of these versions that this facilitator runs or co-facilitates."""
    if not rows:
        return []
    co = select(CoFacilitator.session_id).where(CoFacilitator.facilitator_id == facilitator_id)
    games = db.session.scalars(
        select(GameSession)
        .where(
            GameSession.scenario_id.in_([r.id for r in rows]),
            or_(GameSession.owner_id == facilitator_id, GameSession.id.in_(co)),
        )
        .order_by(GameSession.created_at.desc(), GameSession.id.desc())
    ).all()
    return [
        {"id": g.id, "title": g.title, "status": g.status, "version": g.scenario.version}
        for g in games
    ]


def _names(ids: list[int]) -> list[str]:
    if not ids:
        return []
    return sorted(db.session.scalars(select(Facilitator.name).where(Facilitator.id.in_(ids))))


def shared_with(authored: AuthoredScenario) -> list[str]:
    ids = db.session.scalars(
        select(ScenarioShare.facilitator_id).where(ScenarioShare.scenario_id == authored.id)
    ).all()
    return _names(list(ids))


def summary(found: Entry) -> dict[str, Any]:
    """What the library list says of one scenario."""
    from app.store.scenarios import scenario_content

    latest = found.latest
    content = scenario_content(latest) if latest else None
    authored = found.authored
    draft_valid = True
    if authored is not None:
        draft_valid = draft_is_valid(authored.files, authored.slug)
    return {
        "slug": found.slug,
        "title": (content.title if content else _draft_title(authored)) or found.slug,
        "version": latest.version if latest else None,
        "revision": authored.revision if authored else 0,
        "draft_valid": draft_valid,
        "draft_published": bool(
            authored and latest and content_hash(authored.files) == latest.content_hash
        )
        or authored is None,
        "moves": len(content.moves) if content else 0,
        "tracks": [{"id": t.id, "title": t.title} for t in content.tracks] if content else [],
        "owner": authored.owner.name if authored else None,
        "shared_with": shared_with(authored) if authored else [],
        "can_edit": found.can_edit,
        "can_delete": found.role == "owner",
        "used_by": _used_by(found.rows),
        "used_in": used_in(found.rows, found.viewer),
        "saved_by": authored.saved_by if authored else None,
        "saved_at": _when(authored.saved_at) if authored else None,
    }


def _draft_title(authored: AuthoredScenario | None) -> str:
    if authored is None:
        return ""
    try:
        data = parse(authored.files.get("scenario.yaml", ""))[1]
    except YamlTrouble:
        return ""
    title = data.get("title") if isinstance(data, dict) else None
    return title if isinstance(title, str) else ""


_checked: dict[tuple[str, str], tuple[bool, list[dict[str, Any]]]] = {}
_valid: dict[tuple[str, str], bool] = {}


def draft_is_valid(files: dict[str, str], slug: str) -> bool:
    """Whether texts are valid (no lint: the list page asks this of every draft)."""
    key = (slug, content_hash(files))
    if key in _checked:
        return _checked[key][0]
    if key not in _valid:
        from app.content.loader import load_scenario_from_texts
        from app.content.problems import ScenarioInvalid

        if len(_valid) > 1024:
            _valid.clear()
        try:
            off_loop(load_scenario_from_texts, dict(files), slug)
            _valid[key] = True
        except ScenarioInvalid:
            _valid[key] = False
    return _valid[key]


def check_files(files: dict[str, str], slug: str) -> tuple[bool, list[dict[str, Any]]]:
    """(valid, problems) of texts, remembered per content (the list page checks every draft)."""
    key = (slug, content_hash(files))
    if key not in _checked:
        if len(_checked) > 256:
            _checked.clear()
        # Off the event loop: a large scenario takes seconds to check (see off_loop).
        _checked[key] = off_loop(check_texts, dict(files), slug)
    return _checked[key]


def library(facilitator_id: int) -> list[dict[str, Any]]:
    items = [summary(entry(slug, facilitator_id)) for slug in visible_slugs(facilitator_id)]
    return sorted(items, key=lambda item: (item["owner"] is not None, item["title"].lower()))


# --- texts --------------------------------------------------------------------------------------


def clean_files(files: Any, *, partial: bool = False) -> dict[str, str]:
    """The three texts of a request, checked for names, types and size."""
    if not isinstance(files, dict):
        raise LibraryError("bad_field", "The field 'files' must map file names to texts.")
    unknown = [name for name in files if name not in FILE_NAMES]
    if unknown:
        raise LibraryError(
            "bad_field",
            f"Unknown file {str(unknown[0])[:80]!r}: a scenario has {', '.join(FILE_NAMES)}.",
        )
    missing = [name for name in FILE_NAMES if name not in files]
    if missing and not partial:
        raise LibraryError("bad_field", f"The file {missing[0]} is missing.")
    out: dict[str, str] = {}
    for name, text in files.items():
        if not isinstance(text, str):
            raise LibraryError("bad_field", f"The text of {name} must be a string.")
        if len(text) > MAX_FILE_CHARS:
            raise LibraryError(
                "too_large", f"{name} is longer than {MAX_FILE_CHARS // 1024} KB.", 413
            )
        if "\x00" in text:
            raise LibraryError("bad_field", f"{name} holds a NUL character; it is not text.")
        out[name] = text
    return out


def parsed(files: dict[str, str]) -> dict[str, Any]:
    """Each text as plain data (JSON-able), or None where it is not readable YAML."""
    from app.content.diff import plain_data

    texts = [files.get(name, "") for name in FILE_NAMES]
    # Off the event loop: reading a large text takes seconds of pure-Python YAML.
    return dict(zip(FILE_NAMES, off_loop(lambda: [plain_data(t) for t in texts]), strict=True))


def _items(data: Any, key: str) -> list[dict[str, Any]]:
    value = data.get(key) if isinstance(data, dict) else None
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _ids(items: list[dict[str, Any]], key: str = "id") -> list[str]:
    out: list[str] = []
    for item in items:
        value = item.get(key)
        if isinstance(value, str) and value not in out:
            out.append(value)
    return out


def ids(data: dict[str, Any]) -> dict[str, Any]:
    """The ids each kind of reference may name, from the parsed files (for the editor's
    pickers; "x-ref" in the schema names the kind). Files that do not parse add nothing."""
    scenario, delegations, injects = (data.get(name) for name in FILE_NAMES)
    debrief = scenario.get("debrief") if isinstance(scenario, dict) else None
    inject_items = _items(injects, "injects")
    delegation_items = _items(delegations, "delegations")
    options_by_inject = {
        inject["id"]: _ids(_items(inject, "response_options"))
        for inject in inject_items
        if isinstance(inject.get("id"), str)
    }
    return {
        "source": _ids(_items(scenario, "sources")),
        "challenge": _ids(_items(scenario, "challenges")),
        "indicator": _ids(_items(scenario, "indicators")),
        "move": _ids(_items(scenario, "moves")),
        "track": _ids(_items(scenario, "tracks")),
        "theory": _ids(_items(debrief, "theory_prompts")),
        "delegation": _ids(delegation_items, "code"),
        "role": [r for d in delegation_items for r in _ids(_items(d, "roles"))],
        "objective": [o for d in delegation_items for o in _ids(_items(d, "objectives"))],
        "inject": _ids(inject_items),
        "option": list(dict.fromkeys(o for opts in options_by_inject.values() for o in opts)),
        "options_by_inject": options_by_inject,
    }


def draft(found: Entry) -> dict[str, Any]:
    """The draft as the editor loads it (a bundled scenario's latest version, read-only)."""
    authored = found.authored
    if authored is not None:
        files = dict(authored.files)
    else:
        files = dict(found.latest.files) if found.latest else {}
    valid, problems = check_files(files, found.slug)
    latest = found.latest
    return {
        "ok": True,
        "slug": found.slug,
        "revision": authored.revision if authored else 0,
        "saved_by": authored.saved_by if authored else None,
        "saved_at": _when(authored.saved_at) if authored else None,
        "can_edit": found.can_edit,
        "owner": authored.owner.name if authored else None,
        "version": latest.version if latest else None,
        "valid": valid,
        "files": files,
        "problems": problems,
        "data": (data := parsed(files)),
        "ids": ids(data),
    }


# --- creating -----------------------------------------------------------------------------------


def _me(facilitator_id: int) -> Facilitator:
    me = db.session.get(Facilitator, facilitator_id)
    if me is None:
        raise LibraryError("not_facilitator", "Sign in as a facilitator first.", 401)
    return me


def slug_taken(slug: str) -> bool:
    if db.session.scalar(select(AuthoredScenario.id).where(AuthoredScenario.slug == slug)):
        return True
    return db.session.scalar(select(Scenario.id).where(Scenario.slug == slug).limit(1)) is not None


# Names of the library's own routes (/api/library/new, ...): no scenario may take them.
RESERVED = {"schema", "new", "import", "validate", "duplicate"}


def check_slug(slug: Any) -> str:
    if not isinstance(slug, str) or not SLUG.match(slug) or slug in RESERVED:
        raise LibraryError(
            "bad_slug",
            "A scenario id is 1 to 80 lower-case letters, digits and hyphens, starting with a "
            "letter or digit (e.g. 'trilateral-2023-spring').",
        )
    if slug_taken(slug):
        raise LibraryError(
            "slug_taken", f"The id {slug!r} is already used by a scenario; choose another.", 409
        )
    return slug


def free_slug(base: str) -> str:
    base = base[:70].rstrip("-") or "scenario"
    slug, n = base, 1
    while slug_taken(slug):
        n += 1
        slug = f"{base}-{n}"
    return slug


def _publish_row(slug: str, files: dict[str, str], me: Facilitator, owner_id: int) -> Scenario:
    from app.store.scenarios import scenario_content

    digest = content_hash(files)
    row = Scenario(
        slug=slug,
        version=0,
        title="",
        content_hash=digest,
        files=dict(files),
        owner_id=owner_id,
        published_by=me.name,
        published_at=utcnow(),
    )
    content = scenario_content(row)  # valid: checked by the caller
    row.version = content.version
    row.title = content.title
    db.session.add(row)
    return row


def create(facilitator_id: int, slug: str, files: dict[str, str], *, publish: bool = True) -> Entry:
    """A new authored scenario from valid texts whose id is `slug`: its draft and version."""
    me = _me(facilitator_id)
    check_slug(slug)
    valid, problems = check_files(files, slug)
    if not valid:
        raise LibraryError(
            "bad_scenario",
            _problem_message(problems),
            400,
            problems=problems,
        )
    authored = AuthoredScenario(
        slug=slug, owner_id=me.id, files=dict(files), revision=1, saved_by=me.name
    )
    db.session.add(authored)
    if publish:
        _publish_row(slug, files, me, me.id)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise LibraryError(
            "slug_taken", f"The id {slug!r} is already used by a scenario; choose another.", 409
        ) from None
    return entry(slug, facilitator_id)


def _problem_message(problems: list[dict[str, Any]]) -> str:
    errors = [p for p in problems if p["severity"] == "error"]
    first = errors[0] if errors else None
    if first is None:
        return "The scenario is not valid."
    where = first["file"] + (f", line {first['line']}" if first["line"] else "")
    where += f", field {first['field']}" if first["field"] else ""
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first['message']}{more}"


def _renamed(
    files: dict[str, str], slug: str, title: str | None = None, version: int | None = None
) -> dict[str, str]:
    fields: dict[str, Any] = {"id": slug}
    if version is not None:
        fields["version"] = version
    if title:
        fields["title"] = title
    try:
        text = off_loop(lambda: set_fields(files["scenario.yaml"], **fields))
        return {**files, "scenario.yaml": text}
    except EditError as error:
        raise LibraryError("bad_scenario", error.message) from None


def _title(raw: Any) -> str | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str) or not raw.strip() or len(raw) > 200:
        raise LibraryError("bad_field", "The title must be a text of 1 to 200 characters.")
    return raw.strip()


def duplicate(facilitator_id: int, slug: str, new_slug: Any = None, title: Any = None) -> Entry:
    """A copy of the latest version of a scenario this facilitator may see, as their own."""
    source = entry(slug, facilitator_id)
    if source.latest is None:
        raise LibraryError("not_published", "That scenario has no version to copy yet.", 409)
    new_slug = new_slug or free_slug(f"{slug}-copy")
    check_slug(new_slug)
    # A copy is a new scenario: its first version is 1 (publishing it next makes version 2).
    files = _renamed(dict(source.latest.files), new_slug, _title(title), version=1)
    return create(facilitator_id, new_slug, files)


def from_template(facilitator_id: int, slug: Any, title: Any) -> Entry:
    check_slug(slug)
    files = {name: (TEMPLATE / name).read_text(encoding="utf-8") for name in FILE_NAMES}
    return create(facilitator_id, slug, _renamed(files, slug, _title(title) or "A new scenario"))


def import_files(facilitator_id: int, files: dict[str, str], new_slug: Any = None) -> Entry:
    """A scenario from imported texts: kept byte for byte unless it must take a new id."""
    missing = [name for name in FILE_NAMES if name not in files]
    if missing:
        problems = [
            {
                "file": name,
                "line": None,
                "path": [],
                "field": "",
                "message": "the file is missing",
                "severity": "error",
                "code": "invalid",
                "accepted": False,
            }
            for name in missing
        ]
        raise LibraryError("bad_scenario", f"{missing[0]}: the file is missing", problems=problems)
    slug = new_slug
    if not slug:
        try:
            data = parse(files["scenario.yaml"])[1]
        except YamlTrouble:
            data = None
        slug = data.get("id") if isinstance(data, dict) else None
        if not isinstance(slug, str) or not SLUG.match(slug):
            # Let the validator name the problem (file, line, field).
            valid, problems = check_files(files, "scenario")
            raise LibraryError("bad_scenario", _problem_message(problems), problems=problems)
    else:
        check_slug(slug)
        # Unreadable: left as it is, and the check in `create` names the problem with its line.
        with contextlib.suppress(EditError):
            text = off_loop(lambda: set_fields(files["scenario.yaml"], id=slug))
            files = {**files, "scenario.yaml": text}
    return create(facilitator_id, slug, files)


# --- saving -------------------------------------------------------------------------------------


def _conflict(authored: AuthoredScenario) -> LibraryError:
    saved_at = _when(authored.saved_at)
    return LibraryError(
        "edit_conflict",
        f"{authored.saved_by} saved this scenario at {authored.saved_at:%H:%M:%S} UTC "
        f"(revision {authored.revision}) after you loaded it. Nothing was overwritten: reload "
        f"to see their changes, then make yours again.",
        409,
        current_revision=authored.revision,
        saved_by=authored.saved_by,
        saved_at=saved_at,
    )


def _revision(raw: Any) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise LibraryError("bad_field", "The field 'revision' must be the draft's revision.")
    return raw


def save(facilitator_id: int, slug: str, revision: Any, files: dict[str, str]) -> AuthoredScenario:
    """Save draft texts if `revision` is still the draft's; else `edit_conflict`."""
    me = _me(facilitator_id)
    found = editable(slug, facilitator_id)
    authored = found.authored
    assert authored is not None
    revision = _revision(revision)
    merged = {**authored.files, **files}
    if revision != authored.revision:
        raise _conflict(authored)
    result = db.session.execute(
        update(AuthoredScenario)
        .where(AuthoredScenario.id == authored.id, AuthoredScenario.revision == revision)
        .values(files=merged, revision=revision + 1, saved_by=me.name, saved_at=utcnow())
    )
    if result.rowcount != 1:  # someone saved between our read and our write
        db.session.rollback()
        db.session.refresh(authored)
        raise _conflict(authored)
    db.session.commit()
    db.session.refresh(authored)
    return authored


def edit(facilitator_id: int, slug: str, revision: Any, ops: Any) -> AuthoredScenario:
    found = editable(slug, facilitator_id)
    authored = found.authored
    assert authored is not None
    if _revision(revision) != authored.revision:
        raise _conflict(authored)
    if not isinstance(ops, list) or not ops or len(ops) > 500:
        raise LibraryError("bad_field", "The field 'ops' must be a list of 1 to 500 edits.")
    try:
        files = off_loop(apply_ops, dict(authored.files), ops)
    except EditError as error:
        raise LibraryError(
            "bad_edit", error.message, file=error.file, path=list(error.path)
        ) from None
    clean_files(files)
    return save(facilitator_id, slug, revision, files)


def publish(facilitator_id: int, slug: str, revision: Any) -> Scenario:
    """The draft as a new version (previous highest + 1, written into its YAML)."""
    me = _me(facilitator_id)
    found = editable(slug, facilitator_id)
    authored = found.authored
    assert authored is not None
    if _revision(revision) != authored.revision:
        raise _conflict(authored)
    valid, problems = check_files(authored.files, slug)
    if not valid:
        raise LibraryError(
            "bad_scenario",
            "The draft has problems; fix them before publishing: " + _problem_message(problems),
            400,
            problems=problems,
        )
    latest = found.latest
    number = (max(r.version for r in found.rows) + 1) if found.rows else None
    files = dict(authored.files)
    if latest is not None and number is not None:
        same = _with_version(files, latest.version)
        if content_hash(same) == latest.content_hash:
            raise LibraryError("unchanged", f"Nothing changed since version {latest.version}.", 409)
        files = _with_version(files, number)
    authored = save(facilitator_id, slug, revision, files)
    row = _publish_row(slug, files, me, authored.owner_id)
    db.session.commit()
    return row


def _with_version(files: dict[str, str], number: int) -> dict[str, str]:
    try:
        text = off_loop(lambda: set_fields(files["scenario.yaml"], version=number))
        return {**files, "scenario.yaml": text}
    except EditError as error:
        raise LibraryError("bad_scenario", error.message) from None


# --- versions, sharing, deleting ----------------------------------------------------------------


def versions(found: Entry) -> list[dict[str, Any]]:
    out = []
    for row in found.rows:
        out.append(
            {
                "version": row.version,
                "title": row.title,
                "published_at": _when(row.published_at or row.loaded_at),
                "author": row.published_by,
                "hash": row.content_hash,
                "used_by": _used_by([row]),
            }
        )
    return out


def version_row(found: Entry, version: Any) -> Scenario:
    """The published row of a version number (the latest when `version` is None)."""
    if version is None or version == "":
        if found.latest is None:
            raise LibraryError("not_published", "The scenario has no published version.", 404)
        return found.latest
    try:
        number = int(version)
    except (TypeError, ValueError):
        raise LibraryError("bad_field", "A version is a number (or 'draft').") from None
    rows = [r for r in found.rows if r.version == number]
    if not rows:
        raise LibraryError("not_found", f"The scenario has no version {number}.", 404)
    return rows[-1]


def texts(found: Entry, version: Any) -> dict[str, str]:
    """The texts of a version, or of the draft (`version="draft"`)."""
    if version == "draft":
        if found.authored is not None:
            return dict(found.authored.files)
        version = None
    return dict(version_row(found, version).files)


def share(facilitator_id: int, slug: str, name: Any) -> list[str]:
    found = owned(slug, facilitator_id)
    other = db.session.scalar(
        select(Facilitator).where(Facilitator.name == str(name or "").strip())
    )
    if other is None:
        raise LibraryError("unknown_facilitator", f"There is no facilitator named {name!r}.", 404)
    assert found.authored is not None
    if other.id != facilitator_id and (
        db.session.get(ScenarioShare, (found.authored.id, other.id)) is None
    ):
        db.session.add(ScenarioShare(scenario_id=found.authored.id, facilitator_id=other.id))
        db.session.commit()
    return shared_with(found.authored)


def unshare(facilitator_id: int, slug: str, name: str) -> list[str]:
    found = owned(slug, facilitator_id)
    assert found.authored is not None
    other = db.session.scalar(select(Facilitator).where(Facilitator.name == name.strip()))
    if other is not None:
        row = db.session.get(ScenarioShare, (found.authored.id, other.id))
        if row is not None:
            db.session.delete(row)
            db.session.commit()
    return shared_with(found.authored)


def delete(facilitator_id: int, slug: str) -> None:
    found = owned(slug, facilitator_id)
    used = _used_by(found.rows)
    if used:
        raise LibraryError(
            "in_use",
            f"{used} session{'s use' if used != 1 else ' uses'} this scenario; it cannot be "
            f"deleted while a session (even an ended one) keeps it.",
            409,
            used_by=used,
        )
    for row in found.rows:
        db.session.delete(row)
    db.session.delete(found.authored)
    db.session.commit()
