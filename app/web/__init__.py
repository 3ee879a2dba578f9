"""HTTP: pages, the JSON API, security headers and error pages."""

from __future__ import annotations

import secrets

from flask import Flask, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

# The `/api/` error codes of HTTP errors raised outside the API's own code (docs/protocol.md,
# section 7); any other status answers its name (`not_found`, `method_not_allowed`).
API_CODES = {413: "too_large"}


def register_web(app: Flask) -> None:
    from app.protocol.web import spec_api
    from app.web.api import api
    from app.web.auth import auth
    from app.web.jsonio import SafeJSONProvider
    from app.web.library import library_api
    from app.web.pages import pages
    from app.web.review import review_pages

    app.json = SafeJSONProvider(app)
    app.register_blueprint(auth)
    app.register_blueprint(pages)
    app.register_blueprint(api, url_prefix="/api")
    app.register_blueprint(library_api, url_prefix="/api/library")
    app.register_blueprint(review_pages)
    app.register_blueprint(spec_api, url_prefix="/api/spec")

    @app.before_request
    def _nonce() -> None:
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.after_request
    def _security_headers(response):  # type: ignore[no-untyped-def]
        # No inline script anywhere: scripts come from our own origin only.
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
            "form-action 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")  # browsers without CSP 2
        # Pages carry seat, observer and facilitator tokens, and review data is personal: no
        # copy in any cache (a shared classroom computer's, a proxy's). Only the static files
        # (scripts, styles, the Socket.IO client) are cacheable.
        if not request.path.startswith(("/static/", "/vendor/")):
            response.headers["Cache-Control"] = "no-store"
        if app.config["HSTS_SECONDS"] > 0:
            response.headers.setdefault(
                "Strict-Transport-Security",
                f"max-age={app.config['HSTS_SECONDS']}; includeSubDomains",
            )
        return response

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        if request.path.startswith("/api/"):
            code = (
                getattr(error, "api_code", None)
                or API_CODES.get(error.code or 0)
                or (error.name or "error").lower().replace(" ", "_")
            )
            body = {"ok": False, "error": {"code": code, "message": error.description}}
            return jsonify(body), error.code
        return render_template("error.html", error=error), error.code

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):  # type: ignore[no-untyped-def]
        # Never a stack trace to a user: log it, answer plainly.
        app.logger.exception("unhandled error on %s", request.path)
        message = "Something went wrong on the server; the error has been logged."
        if request.path.startswith("/api/"):
            return jsonify(
                {"ok": False, "error": {"code": "server_error", "message": message}}
            ), 500
        return render_template("error.html", error=None, message=message), 500
