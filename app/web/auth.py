"""Facilitator sign-in (cookie session for pages) and the one-time first-account link."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from app.extensions import db
from app.realtime.handlers import close_facilitator_sockets
from app.security.ratelimit import retry_after
from app.security.signin import signin_result, signin_wait
from app.store.accounts import (
    AccountError,
    authenticate,
    consume_setup_token,
    has_facilitator,
    revoke_credentials,
    setup_token_valid,
)
from app.store.models import Facilitator

auth = Blueprint("auth", __name__)


def csrf_token() -> str:
    """The form token of this browser session (checked on every form POST)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def check_csrf() -> None:
    sent = request.form.get("csrf", "")
    if not sent or not secrets.compare_digest(sent, session.get("csrf", "")):
        abort(400, description="The form has expired; reload the page and try again.")


@auth.app_context_processor
def _inject_csrf() -> dict[str, Any]:
    return {"csrf_token": csrf_token, "current_facilitator": current_facilitator()}


def current_facilitator() -> Facilitator | None:
    """The signed-in facilitator, if the cookie's credential version is still the account's."""
    fid = session.get("facilitator_id")
    cached = g.get("facilitator")
    if cached is None or cached[0] != fid:
        g.facilitator = (fid, db.session.get(Facilitator, fid) if fid else None)
    found = g.facilitator[1]
    if found is not None and session.get("auth_version") != found.auth_version:
        return None  # signed out (everywhere) or the password changed since this cookie
    return found


def facilitator_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_facilitator() is None:
            return redirect(url_for("auth.signin", next=request.path))
        return view(*args, **kwargs)

    return wrapped


def _safe_next(target: str | None) -> str:
    """`target` if it is a path on this site, else the console.

    An open redirect would let a link send a signed-in user anywhere. Browsers drop tabs and
    newlines inside URLs and read a backslash as a slash, so `/<TAB>/evil.example` or
    `/<BACKSLASH>evil.example` lead to another site: refuse any control character, space or
    backslash, then accept only a path with no scheme or host that does not start with `//`.
    """
    if not target or any(ch in target for ch in "\\ ") or not target.isprintable():
        return url_for("pages.console")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("pages.console")
    return target


def _sign_in(facilitator: Facilitator) -> None:
    session.clear()
    session["facilitator_id"] = facilitator.id
    session["auth_version"] = facilitator.auth_version
    session.permanent = True


@auth.route("/signin", methods=["GET", "POST"])
def signin() -> Any:
    if request.method == "POST":
        check_csrf()
        name = request.form.get("name", "")
        wait = signin_wait(name, request.remote_addr)
        if wait:
            seconds = retry_after(wait)
            flash(f"Too many sign-in attempts; try again in {seconds} s.", "error")
            page = render_template("signin.html", name=name)
            return page, 429, {"Retry-After": str(seconds)}
        facilitator = authenticate(name, request.form.get("password", ""))
        signin_result(name, facilitator is not None)
        if facilitator is None:
            flash("That name and password do not match a facilitator account.", "error")
            return render_template("signin.html", name=request.form.get("name", "")), 401
        _sign_in(facilitator)
        return redirect(_safe_next(request.args.get("next")))
    return render_template("signin.html", name="")


@auth.route("/signout", methods=["POST"])
def signout() -> Any:
    """Sign out everywhere: every cookie and token of the account ends, not only this one.

    A saved copy of this cookie, a projector left signed in, a console token: all carry the
    account's credential version, which this bumps.
    """
    check_csrf()
    me = current_facilitator()
    if me is not None:
        revoke_credentials(me.id)
        close_facilitator_sockets(me.id)  # open consoles stop hearing, on every process
    session.clear()
    flash("Signed out on every device.", "info")
    return redirect(url_for("auth.signin"))


@auth.route("/setup", methods=["GET", "POST"])
def setup() -> Any:
    token = request.values.get("token", "")
    if has_facilitator() or not setup_token_valid(token):
        return render_template("setup.html", token=None), 403
    if request.method == "POST":
        check_csrf()
        try:
            facilitator = consume_setup_token(
                token, request.form.get("name", ""), request.form.get("password", "")
            )
        except AccountError as error:
            flash(str(error), "error")
            return render_template("setup.html", token=token), 400
        _sign_in(facilitator)
        return redirect(url_for("pages.console"))
    return render_template("setup.html", token=token)
