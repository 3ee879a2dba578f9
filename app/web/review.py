"""After-action review pages: `/review/<id>` and its JSON, charts, exports, notes, share link and
deletion. Open to the session's facilitators, and read-only to anyone with its share link."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

from app.extensions import db
from app.realtime.sessions import (
    SessionError,
    delete_session,
    may_facilitate,
    session_for,
    unlock_debrief,
)
from app.review import forget_review, review_of
from app.review.chart_text import chart_texts
from app.review.charts import CHARTS, TITLES
from app.review.exports import FORMATS, export
from app.review.facts import WHITE, clock_label
from app.review.report import OUTCOMES, minutes
from app.review.review import Review, note_subjects
from app.review.scope import DESCRIPTIONS, SCOPES
from app.review.transcripts import MessageFilter, filter_messages
from app.store.accounts import sha256
from app.store.models import GameSession, ReviewNote, utcnow
from app.web.auth import check_csrf, current_facilitator
from app.web.links import external_url

review_pages = Blueprint("review", __name__, url_prefix="/review")

PAGE_SIZE = 300
SHARE_DAYS = (1, 7, 30)  # how long a share link may live
# Charts and the printable report carry their own inline styles and no script at all; like every
# page they may not be framed by another site.
_STATIC_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


class Access:
    """Who is reading: a facilitator of the session, or a holder of its share link."""

    def __init__(
        self, game: GameSession, mode: str, share: str | None, scope: str = "full"
    ) -> None:
        self.game = game
        self.mode = mode
        self.share = share
        self.scope = scope  # what this reader sees: "full" or "debrief" (app.review.scope)

    @property
    def scope_text(self) -> str:
        return DESCRIPTIONS[self.scope]

    @property
    def facilitator(self) -> bool:
        return self.mode == "facilitator"

    @property
    def is_owner(self) -> bool:
        me = current_facilitator()
        return self.facilitator and me is not None and me.id == self.game.owner_id


def _access(session_id: int) -> Access:
    game = session_for(session_id)
    me = current_facilitator()
    if game is not None and me is not None and may_facilitate(me.id, game):
        return Access(game, "facilitator", None)
    token = request.args.get("share", "")
    hashed = game.share_token_hash if game is not None else None
    if token and hashed and secrets.compare_digest(sha256(token), hashed):
        if game.share_expires_at is None or game.share_expires_at <= utcnow():
            abort(
                403, description="This share link has expired; ask the facilitator for a new one."
            )
        return Access(game, "share", token, game.share_scope or "debrief")
    if me is None and not token:
        abort(redirect(url_for("auth.signin", next=request.full_path.rstrip("?"))))
    abort(404)


def _facilitator(session_id: int) -> Access:
    access = _access(session_id)
    if not access.facilitator:
        abort(403, description="A share link gives read-only access.")
    return access


def _anonymise() -> str:
    """The view asked for: "" (real names), "1" (pseudonyms) or "withhold" (pseudonyms and
    every free text withheld)."""
    value = request.args.get("anon", "")
    if value == "withhold":
        return value
    return "1" if value in ("1", "true", "yes") else ""


def _review(access: Access) -> Review:
    mode = _anonymise()
    review = review_of(
        access.game.id, anonymise=bool(mode), withhold_text=mode == "withhold", scope=access.scope
    )
    if review is None:
        abort(404)
    return review


def _query(access: Access, **extra: Any) -> dict[str, Any]:
    """The query arguments every link of the page carries (share link, anonymised view)."""
    args: dict[str, Any] = {}
    if access.share:
        args["share"] = access.share
    if _anonymise():
        args["anon"] = _anonymise()
    return args | extra


@review_pages.get("/<int:session_id>")
def page(session_id: int) -> Any:
    access = _access(session_id)
    review = _review(access)
    participation = review.participation
    return render_template(
        "review.html",
        access=access,
        game=access.game,
        review=review,
        summary=review.summary,
        # The cut the session played (its injects are the ones counted below), or None: whole.
        track=review.scenario.track(review.scenario.track_id).title
        if review.scenario.track_id
        else None,
        injects=review.injects,
        participation=participation,
        indicators=review.indicators,
        scores=review.scores,
        debrief=review.debrief(),
        notes={n["subject"]: n for n in review.log.notes},
        channels=review.channels(),
        counts=review.channel_counts,
        delegations=[d.code for d in review.scenario.delegations] + [WHITE],
        chart_names=list(CHARTS),
        chart_titles=TITLES,
        chart_texts=chart_texts(review),
        formats=FORMATS,
        outcomes=OUTCOMES,
        minutes=minutes,
        query=_query(access),
        plain_query={k: v for k, v in _query(access).items() if k != "anon"},
        clock=clock_label,
        share_scopes=DESCRIPTIONS,
    )


@review_pages.get("/<int:session_id>/review.json")
def review_json(session_id: int) -> Any:
    return jsonify({"ok": True, "review": _review(_access(session_id)).as_dict()})


@review_pages.get("/<int:session_id>/timeline.json")
def timeline_json(session_id: int) -> Any:
    return jsonify({"ok": True, "timeline": _review(_access(session_id)).timeline})


@review_pages.get("/<int:session_id>/proposals.json")
def proposals_json(session_id: int) -> Any:
    return jsonify({"ok": True, "proposals": _review(_access(session_id)).proposals})


@review_pages.get("/<int:session_id>/transcripts.json")
def transcripts_json(session_id: int) -> Any:
    review = _review(_access(session_id))
    kept = filter_messages(review.messages, MessageFilter.from_args(request.args))
    try:
        offset = max(0, int(request.args.get("offset", 0)))
    except ValueError:
        offset = 0
    return jsonify(
        {
            "ok": True,
            "total": len(kept),
            "offset": offset,
            "messages": kept[offset : offset + PAGE_SIZE],
        }
    )


@review_pages.get("/<int:session_id>/replay.json")
def replay_json(session_id: int) -> Any:
    review = _review(_access(session_id))
    try:
        seq = int(request.args.get("seq", review.log.head_seq))
    except ValueError:
        abort(400, description="seq must be a whole number.")
    return jsonify({"ok": True, **review.replayer.view_at(seq)})


@review_pages.get("/<int:session_id>/charts/<name>.svg")
def chart(session_id: int, name: str) -> Any:
    if name not in CHARTS:
        abort(404)
    svg = _review(_access(session_id)).chart(name)
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = _STATIC_CSP
    return response


@review_pages.get("/<int:session_id>/report")
def report(session_id: int) -> Any:
    """The printable HTML report, shown in the browser (print it from there)."""
    result = export(_review(_access(session_id)), "html")
    response = Response(result.body, mimetype="text/html")
    response.headers["Content-Security-Policy"] = _STATIC_CSP
    return response


@review_pages.get("/<int:session_id>/export/<fmt>")
def download(session_id: int, fmt: str) -> Any:
    if fmt not in FORMATS:
        abort(404)
    result = export(_review(_access(session_id)), fmt)
    response = Response(result.body, mimetype=result.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    response.headers["Content-Security-Policy"] = _STATIC_CSP
    return response


@review_pages.post("/<int:session_id>/notes")
def save_note(session_id: int) -> Any:
    access = _facilitator(session_id)
    check_csrf()
    review = _review(access)
    subjects = [s["id"] for s in note_subjects(review)]
    # One form for every note (fields "strengths-<subject>"); the older one-subject form
    # ("subject", "strengths", "improvements") is still understood.
    single = request.form.get("subject")
    if single is not None:
        if single not in subjects:
            abort(400, description="Notes are written on the session or one of its objectives.")
        edits = {single: (request.form.get("strengths", ""), request.form.get("improvements", ""))}
    else:
        edits = {
            subject: (
                request.form.get(f"strengths-{subject}", ""),
                request.form.get(f"improvements-{subject}", ""),
            )
            for subject in subjects
            if f"strengths-{subject}" in request.form or f"improvements-{subject}" in request.form
        }
    existing = {
        note.subject: note
        for note in db.session.scalars(
            select(ReviewNote).where(ReviewNote.session_id == session_id)
        )
    }
    for subject, (strengths, improvements) in edits.items():
        note = existing.get(subject)
        if note is None:
            if not strengths and not improvements:
                continue  # an empty note is not worth a row
            note = ReviewNote(session_id=session_id, subject=subject)
            db.session.add(note)
        if (note.strengths, note.improvements) == (strengths[:10_000], improvements[:10_000]):
            continue
        note.strengths = strengths[:10_000]
        note.improvements = improvements[:10_000]
        note.updated_at = utcnow()
    db.session.commit()
    flash("Notes saved.", "info")
    anchor = f"note-{single}" if single is not None else "notes-form"
    return redirect(url_for("review.page", session_id=session_id, _anchor=anchor))


@review_pages.post("/<int:session_id>/debrief/unlock")
def unlock(session_id: int) -> Any:
    """Reveal "what actually happened" in the review, after the analysis."""
    _facilitator(session_id)
    check_csrf()
    me = current_facilitator()
    try:
        unlock_debrief(session_id, me.id, me.name)
        flash("What actually happened is now shown.", "info")
    except SessionError as error:
        flash(error.message, "error")
    return redirect(url_for("review.page", session_id=session_id, _anchor="debrief"))


@review_pages.post("/<int:session_id>/share")
def share(session_id: int) -> Any:
    access = _facilitator(session_id)
    check_csrf()
    scope = request.form.get("scope", "debrief")
    try:
        days = int(request.form.get("days", "7"))
    except ValueError:
        days = 0
    if scope not in SCOPES or days not in SHARE_DAYS:
        abort(400, description="Choose what the link shows and for how long.")
    token = secrets.token_urlsafe(24)
    access.game.share_token_hash = sha256(token)  # only the hash is kept; the link shows once
    access.game.share_scope = scope
    access.game.share_expires_at = utcnow() + timedelta(days=days)
    db.session.commit()
    link = external_url("review.page", session_id=session_id, share=token)
    flash(
        f"Read-only share link to {DESCRIPTIONS[scope]}, valid for {days} "
        f"day{'' if days == 1 else 's'} (until the time under 'Read-only share link'; shown "
        f"once; copy it now; a new link replaces it): {link}",
        "info",
    )
    return redirect(url_for("review.page", session_id=session_id, _anchor="share"))


@review_pages.post("/<int:session_id>/share/revoke")
def revoke(session_id: int) -> Any:
    access = _facilitator(session_id)
    check_csrf()
    access.game.share_token_hash = None
    access.game.share_expires_at = None
    access.game.share_scope = None
    db.session.commit()
    flash("The share link no longer works.", "info")
    return redirect(url_for("review.page", session_id=session_id, _anchor="share"))


@review_pages.post("/<int:session_id>/delete")
def delete(session_id: int) -> Any:
    access = _facilitator(session_id)
    check_csrf()
    if not access.is_owner:
        abort(403, description="Only the facilitator who owns a session can delete it.")
    if request.form.get("confirm_title", "").strip() != access.game.title.strip():
        flash("Type the session's title exactly to confirm the deletion.", "error")
        return redirect(url_for("review.page", session_id=session_id, _anchor="delete"))
    title = access.game.title
    delete_session(session_id)
    forget_review(session_id)
    flash(f"Session “{title}” and all its data were deleted.", "info")
    return redirect(url_for("pages.console"))
