"""Scenarios in the database: bundled folders are loaded at start, sessions pin a version."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import or_, select

from app.content.loader import (
    ScenarioInvalid,
    content_hash,
    discover_scenarios,
    load_scenario_from_texts,
    scenario_files,
)
from app.content.schema import Scenario as ScenarioContent
from app.extensions import db
from app.store.models import AuthoredScenario, Scenario, ScenarioShare


def sync_bundled_scenarios(root: Path) -> tuple[list[str], list[str]]:
    """Load every valid scenario folder under `root` whose content is new.

    Returns the slugs available and the problems of folders that did not load; a broken folder
    never half-loads and never stops the others.
    """
    loaded: list[str] = []
    problems: list[str] = []
    authored = set(db.session.scalars(select(AuthoredScenario.slug)))
    for folder in discover_scenarios(root):
        if folder.name in authored:
            # A facilitator's scenario already has this id; theirs stays theirs.
            problems.append(f"{folder}: the id {folder.name!r} belongs to an authored scenario")
            continue
        try:
            row = store_scenario(scenario_files(folder), folder.name)
        except ScenarioInvalid as invalid:
            problems.extend(f"{folder}: {p}" for p in invalid.problems)
            continue
        loaded.append(row.slug)
    return loaded, problems


def store_scenario(files: dict[str, str], name: str) -> Scenario:
    """Validate scenario texts and keep them, once per distinct content."""
    content = load_scenario_from_texts(files, name)
    digest = content_hash(files)
    row = db.session.scalar(
        select(Scenario).where(Scenario.slug == content.id, Scenario.content_hash == digest)
    )
    if row is None:
        row = Scenario(
            slug=content.id,
            version=content.version,
            title=content.title,
            content_hash=digest,
            files=files,
        )
        db.session.add(row)
        db.session.commit()
    return row


def latest_scenarios(visible_to: int | None = None) -> list[Scenario]:
    """The newest loaded version of each scenario, by title.

    With `visible_to` (a facilitator id), only the scenarios that facilitator may use: the
    bundled ones, their own and those shared with them (app/store/library.py).
    """
    query = select(Scenario).order_by(Scenario.loaded_at.desc(), Scenario.id.desc())
    if visible_to is not None:
        shared_slugs = (
            select(AuthoredScenario.slug)
            .join(ScenarioShare, ScenarioShare.scenario_id == AuthoredScenario.id)
            .where(ScenarioShare.facilitator_id == visible_to)
        )
        query = query.where(
            or_(
                Scenario.owner_id.is_(None),
                Scenario.owner_id == visible_to,
                Scenario.slug.in_(shared_slugs),
            )
        )
    newest: dict[str, Scenario] = {}
    for row in db.session.scalars(query).all():
        newest.setdefault(row.slug, row)
    return sorted(newest.values(), key=lambda r: r.title)


def scenario_content(row: Scenario) -> ScenarioContent:
    """The parsed scenario of a stored row (parsed once per content hash)."""
    return _parse(row.content_hash, row.slug, tuple(sorted(row.files.items())))


@lru_cache(maxsize=32)
def _parse(_digest: str, slug: str, files: tuple[tuple[str, str], ...]) -> ScenarioContent:
    return load_scenario_from_texts(dict(files), slug)
