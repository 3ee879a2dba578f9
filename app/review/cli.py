"""`flask review export SESSION_ID --format json|csv|md|html [--anonymise] [--withhold-text]
[--output FILE]`
and `flask review import FILE [--owner NAME]`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.content.loader import ScenarioInvalid
from app.extensions import db
from app.review.exports import FORMATS, ImportRefused, export, import_json
from app.review.review import review_of
from app.store.models import Facilitator

review_cli = AppGroup("review", help="Export and import sessions for after-action review.")


@review_cli.command("export")
@click.argument("session_id", type=int)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option("--anonymise", is_flag=True, help="Replace every person's name by a pseudonym.")
@click.option(
    "--withhold-text",
    is_flag=True,
    help="Anonymise and also replace every free text by a marker (strict research use).",
)
@click.option("--output", type=click.Path(path_type=Path), help="Write here (default: stdout).")
def export_command(
    session_id: int, fmt: str, anonymise: bool, withhold_text: bool, output: Path | None
) -> None:
    """Export session SESSION_ID (csv: a zip of events.csv and its codebook)."""
    review = review_of(session_id, anonymise=anonymise, withhold_text=withhold_text)
    if review is None:
        raise click.ClickException(f"There is no session {session_id}.")
    result = export(review, fmt)
    if output is None:
        sys.stdout.buffer.write(result.body)
        sys.stdout.buffer.flush()
        return
    output.write_bytes(result.body)
    click.echo(f"Wrote {output} ({len(result.body):,} bytes).", err=True)


@review_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--owner", help="The facilitator who will own it (needed if there are several).")
def import_command(path: Path, owner: str | None) -> None:
    """Import a JSON export as a new session (closed to joining; for review)."""
    if owner:
        facilitator = db.session.scalar(select(Facilitator).where(Facilitator.name == owner))
        if facilitator is None:
            raise click.ClickException(f"There is no facilitator named {owner!r}.")
    else:
        everyone = db.session.scalars(select(Facilitator).limit(2)).all()
        if len(everyone) != 1:
            raise click.ClickException("Say which facilitator will own it: --owner NAME.")
        facilitator = everyone[0]
    try:
        session_id = import_json(path.read_bytes(), facilitator.id)
    except (ImportRefused, ScenarioInvalid, ValueError, KeyError) as error:
        db.session.rollback()
        raise click.ClickException(f"Cannot import {path}: {error}") from None
    click.echo(f"Imported as session {session_id} (owner {facilitator.name}).")
