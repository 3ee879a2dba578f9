"""`flask protocol spec [--check]`: write docs/spec/ from the code, or say whether it is stale."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app.config import BASE_DIR

protocol_cli = AppGroup("protocol", help="The machine-readable protocol spec.")


@protocol_cli.command("spec")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if docs/spec/ is stale.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=BASE_DIR / "docs" / "spec",
    show_default=True,
    help="The folder to write (or check).",
)
def spec(check: bool, out: Path) -> None:
    """Generate the AsyncAPI document and JSON Schemas of the Socket.IO protocol."""
    from app.protocol.spec import documents, stale, write

    if check:
        found = stale(out)
        for path in found:
            click.echo(f"stale: {out / path}", err=True)
        if found:
            raise click.ClickException("docs/spec is stale; run `flask protocol spec`.")
        click.echo(f"{out}: {len(documents())} files, up to date")
        return
    changed = write(out)
    click.echo(f"{out}: {len(documents())} files written, {len(changed)} changed")
