"""What the server does once at start: migrate, load bundled scenarios, greet the facilitator."""

from __future__ import annotations

import sys
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade

from app.store.accounts import has_facilitator, issue_setup_token
from app.store.scenarios import sync_bundled_scenarios


def base_url(app: Flask) -> str:
    if app.config["PUBLIC_URL"]:
        return app.config["PUBLIC_URL"].rstrip("/")
    host = app.config["HOST"]
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return f"http://{shown}:{app.config['PORT']}"


def boot(app: Flask) -> str:
    """Bring the database up to date and load scenarios; return the address to open."""
    with app.app_context():
        upgrade()
        loaded, problems = sync_bundled_scenarios(Path(app.config["SCENARIO_DIR"]))
        for problem in problems:
            print(f"  scenario not loaded: {problem}", file=sys.stderr)
        print(f"  scenarios available: {', '.join(loaded) or 'none'}")
        url = base_url(app)
        if not has_facilitator():
            token = issue_setup_token()
            print(
                "  No facilitator account yet. Open this one-time link to create yours:\n"
                f"    {url}/setup?token={token}",
                flush=True,
            )
        else:
            print(f"  Facilitators sign in at {url}/signin")
        if app.config["SCHEDULER_ENABLED"]:
            from app.realtime.scheduler import start_scheduler

            start_scheduler(app)
    return url
