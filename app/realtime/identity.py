"""Who is on the other end: seat tokens, facilitator tokens and observer tokens.

Seat tokens are random and stored hashed; facilitator and observer tokens are signed with the
application's secret, so a stolen database does not hand out seats and no token is guessable.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from app.extensions import db
from app.store.accounts import sha256
from app.store.models import Facilitator, GameSession, Player

OBSERVER_TOKEN_AGE = 2 * 24 * 3600


@dataclass(frozen=True)
class Principal:
    """An authenticated caller. `session_id` is None for a facilitator (they may own many)."""

    kind: str  # "facilitator" | "player" | "observer"
    facilitator_id: int | None = None
    player_id: int | None = None
    session_id: int | None = None
    name: str = ""
    auth_version: int = 0  # a facilitator's credential version (signing out bumps it)
    nonce: str | None = None  # observers: the nonce of the session the token was made for

    @property
    def actor(self) -> str:
        """The actor key written into the event log."""
        if self.kind == "facilitator":
            return f"f:{self.facilitator_id}"
        if self.kind == "player":
            return f"p:{self.player_id}"
        return f"o:{self.session_id}"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def facilitator_token(facilitator: Facilitator) -> str:
    """A bearer token for FACILITATOR_TOKEN_MINUTES, valid until the account's next sign-out."""
    return "f." + _serializer("facilitator").dumps(
        {"f": facilitator.id, "v": facilitator.auth_version}
    )


def facilitator_token_seconds() -> float:
    return current_app.config["FACILITATOR_TOKEN_MINUTES"] * 60


def observer_token(game: GameSession) -> str:
    """A token to watch one session: bound to its id and its random nonce, so it can never open
    another session, even one that got the same id on a database restored from a backup."""
    return "o." + _serializer("observer").dumps({"s": game.id, "n": game.nonce})


def room_token(game: GameSession) -> str:
    """The projector link's key for a classroom computer nobody signs in on: it opens this
    session's projector (the observers' view, with the join code and its QR) and nothing else,
    until the session is deleted or OBSERVER_TOKEN_AGE passes."""
    return _serializer("projector").dumps({"s": game.id, "n": game.nonce})


def room_token_opens(token: str, game: GameSession) -> bool:
    try:
        data = _serializer("projector").loads(token, max_age=OBSERVER_TOKEN_AGE)
    except BadSignature:
        return False
    return isinstance(data, dict) and data.get("s") == game.id and data.get("n") == game.nonce


def new_seat_token() -> tuple[str, str]:
    """A fresh seat token and the hash to store."""
    token = "p." + secrets.token_urlsafe(32)
    return token, sha256(token)


def resolve_token(token: object) -> Principal | None:
    """The principal a token stands for, or None if it is not (or no longer) valid."""
    if not isinstance(token, str) or len(token) > 512:
        return None
    try:
        if token.startswith("f."):
            data = _serializer("facilitator").loads(token[2:], max_age=facilitator_token_seconds())
            facilitator = db.session.get(Facilitator, int(data["f"]))
            if facilitator is None or data.get("v") != facilitator.auth_version:
                return None
            return Principal(
                "facilitator",
                facilitator_id=facilitator.id,
                name=facilitator.name,
                auth_version=facilitator.auth_version,
            )
        if token.startswith("o."):
            data = _serializer("observer").loads(token[2:], max_age=OBSERVER_TOKEN_AGE)
            nonce = data["n"]
            if not isinstance(nonce, str):
                return None
            return Principal("observer", session_id=int(data["s"]), name="Observer", nonce=nonce)
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if token.startswith("p."):
        player = db.session.scalar(select(Player).where(Player.token_hash == sha256(token)))
        if player is None:
            return None
        return Principal(
            "player", player_id=player.id, session_id=player.session_id, name=player.display_name
        )
    return None


def still_signed_in(principal: Principal) -> bool:
    """False once a facilitator has signed out (everywhere) since the token was checked."""
    if principal.kind != "facilitator":
        return True
    facilitator = db.session.get(Facilitator, principal.facilitator_id)
    return facilitator is not None and facilitator.auth_version == principal.auth_version
