"""Scenarios in the database: bundled folders are loaded at start, sessions pin a version."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import select

from app.content.loader import (
    ScenarioInvalid,
    content_hash,
    discover_scenarios,
    load_scenario_from_texts,
    scenario_files,
)
from app.content.schema import Scenario as ScenarioContent
from app.extensions import db
from app.store.models import Scenario


def sync_bundled_scenarios(root: Path) -> tuple[list[str], list[str]]:
    """Load every valid scenario folder under `root` whose content is new.

    Returns the slugs available and the problems of folders that did not load; a broken folder
    never half-loads and never stops the others.
    """
    loaded: list[str] = []
    problems: list[str] = []
    for folder in discover_scenarios(root):
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


def latest_scenarios() -> list[Scenario]:
    """The newest loaded version of each scenario, by title."""
    rows = db.session.scalars(select(Scenario).order_by(Scenario.loaded_at.desc())).all()
    newest: dict[str, Scenario] = {}
    for row in rows:
        newest.setdefault(row.slug, row)
    return sorted(newest.values(), key=lambda r: r.title)


def scenario_content(row: Scenario) -> ScenarioContent:
    """The parsed scenario of a stored row (parsed once per content hash)."""
    return _parse(row.content_hash, row.slug, tuple(sorted(row.files.items())))


@lru_cache(maxsize=32)
def _parse(_digest: str, slug: str, files: tuple[tuple[str, str], ...]) -> ScenarioContent:
    return load_scenario_from_texts(dict(files), slug)
