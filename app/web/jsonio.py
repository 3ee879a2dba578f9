"""JSON request bodies that cannot crash the server: a body nested deeper than the parser's
recursion limit is a client error (400, one log line), not a RecursionError and a traceback."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest


class NestedTooDeep(BadRequest):
    """A JSON body nested too deeply to parse."""

    api_code = "too_deep"
    description = "The JSON body is nested too deeply."


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON, except that a body too deeply nested to parse is refused with a 400."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            # Not a ValueError, so `get_json(silent=True)` would let it through as a 500.
            current_app.logger.warning(
                "refused a too deeply nested JSON body on %s from %s",
                request.path,
                request.remote_addr,
            )
            raise NestedTooDeep() from None
