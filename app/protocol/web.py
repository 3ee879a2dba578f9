"""GET /api/spec/asyncapi.json and /api/spec/schemas/<name>.json: the generated spec, no sign-in
needed (it describes the protocol, not any session)."""

from __future__ import annotations

from flask import Blueprint, Response, abort

spec_api = Blueprint("spec_api", __name__)


@spec_api.get("/asyncapi.json")
def asyncapi() -> Response:
    return _file("asyncapi.json")


@spec_api.get("/schemas/<name>.json")
def schema_file(name: str) -> Response:
    return _file(f"schemas/{name}.json")


def _file(path: str) -> Response:
    from app.protocol.spec import documents

    text = documents().get(path)
    if text is None:
        abort(404, description="There is no such spec file; start at /api/spec/asyncapi.json.")
    return Response(text, mimetype="application/json")
