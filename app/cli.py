"""Command-line tools: `flask facilitator ...` and `flask scenario ...`."""

from __future__ import annotations

import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.content.loader import discover_scenarios, validate_scenario
from app.extensions import db
from app.realtime.handlers import close_facilitator_sockets
from app.store.accounts import AccountError, create_facilitator, set_password
from app.store.models import Facilitator
from app.store.scenarios import latest_scenarios, sync_bundled_scenarios

facilitator_cli = AppGroup("facilitator", help="Manage facilitator accounts.")
scenario_cli = AppGroup("scenario", help="Validate, lint and list scenarios.")


def prepare_database() -> None:
    """Bring the database up to date (as the server does at start), or say in one line why not.

    A fresh instance has no tables until the server first starts; the CLI should not need it.
    """
    try:
        upgrade()
    except SQLAlchemyError as error:
        reason = str(error.orig if getattr(error, "orig", None) else error).splitlines()[0]
        raise click.ClickException(
            f"The database is not ready ({reason}). Check DATABASE_URL, then run "
            "`flask --app app db upgrade`."
        ) from None


@facilitator_cli.command("create")
@click.argument("name")
@click.option("--password", help="Give the password; otherwise you are asked, or one is made.")
@click.option("--generate", is_flag=True, help="Generate a strong password and print it once.")
def facilitator_create(name: str, password: str | None, generate: bool) -> None:
    """Create a facilitator account NAME."""
    prepare_database()
    if generate:
        password = secrets.token_urlsafe(12)
    elif password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        create_facilitator(name, password)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Facilitator {name!r} created.")
    if generate:
        click.echo(f"Password (shown once): {password}")


@facilitator_cli.command("password")
@click.argument("name")
@click.option("--password", help="Give the password; otherwise you are asked, or one is made.")
@click.option("--generate", is_flag=True, help="Generate a strong password and print it once.")
def facilitator_password(name: str, password: str | None, generate: bool) -> None:
    """Give facilitator NAME a new password; every sign-in and token of the account ends."""
    prepare_database()
    facilitator = db.session.scalar(select(Facilitator).where(Facilitator.name == name.strip()))
    if facilitator is None:
        raise click.ClickException(f"There is no facilitator named {name!r}.")
    if generate:
        password = secrets.token_urlsafe(12)
    elif password is None:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        set_password(facilitator, password)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    # Open consoles are disconnected through the message queue; with none (one process), they
    # hear the session until their next command, which is refused (docs/protocol.md).
    close_facilitator_sockets(facilitator.id)
    click.echo(f"New password set for {name!r}; its other sign-ins have ended.")
    if generate:
        click.echo(f"Password (shown once): {password}")


@scenario_cli.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def scenario_validate(path: Path | None) -> None:
    """Validate one scenario folder, or every folder under the scenario directory."""
    root = Path(current_app.config["SCENARIO_DIR"])
    folders = [path] if path else discover_scenarios(root)
    if path and not (path / "scenario.yaml").exists() and discover_scenarios(path):
        folders = discover_scenarios(path)
    failed = 0
    for folder in folders:
        problems = validate_scenario(folder)
        if problems:
            failed += 1
            click.echo(f"{folder}: {len(problems)} problem(s)", err=True)
            for problem in problems:
                click.echo(f"  {folder}/{problem}", err=True)
        else:
            click.echo(f"{folder}: valid")
    if failed or not folders:
        raise click.exceptions.Exit(1)


@scenario_cli.command("lint")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def scenario_lint(path: Path | None) -> None:
    """Warn about design problems of a valid scenario folder (or of every bundled one).

    Exits 1 if a scenario is invalid or has a warning its YAML does not accept.
    """
    from app.content.lint import lint_folder

    root = Path(current_app.config["SCENARIO_DIR"])
    folders = [path] if path else discover_scenarios(root)
    failed = 0
    for folder in folders:
        problems, warnings = lint_folder(folder)
        if problems:
            failed += 1
            click.echo(f"{folder}: invalid, {len(problems)} problem(s); run 'validate'", err=True)
            for problem in problems:
                click.echo(f"  {folder}/{problem}", err=True)
            continue
        open_ = [w for w in warnings if w.accepted is None]
        accepted = len(warnings) - len(open_)
        failed += bool(open_)
        click.echo(f"{folder}: {len(open_)} warning(s), {accepted} accepted")
        for warning in warnings:
            click.echo(f"  {folder}/{warning}", err=warning.accepted is None)
    if failed or not folders:
        raise click.exceptions.Exit(1)


@scenario_cli.command("list")
def scenario_list() -> None:
    """List the scenarios loaded into the database (loading bundled ones first)."""
    sync_bundled_scenarios(Path(current_app.config["SCENARIO_DIR"]))
    for row in latest_scenarios():
        click.echo(f"{row.slug}\tv{row.version}\t{row.title}\t{row.content_hash[:12]}")


def register_cli(app: Flask) -> None:
    app.cli.add_command(facilitator_cli)
    app.cli.add_command(scenario_cli)
    from app.protocol.cli import protocol_cli
    from app.review.cli import review_cli

    app.cli.add_command(review_cli)
    app.cli.add_command(protocol_cli)
