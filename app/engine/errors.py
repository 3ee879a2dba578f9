"""Refusals are values a user can act on: a stable code and a plain sentence."""

from __future__ import annotations


class CommandError(Exception):
    """A command the rules refuse; nothing is recorded."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}
