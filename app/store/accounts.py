"""Facilitator accounts and the one-time first sign-in."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from app.extensions import db
from app.store.models import Facilitator, SetupToken, utcnow

_hasher = PasswordHasher()
SETUP_TOKEN_LIFETIME = timedelta(hours=24)


class AccountError(ValueError):
    """A refused account operation, with a message fit for the person who asked."""


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def create_facilitator(name: str, password: str) -> Facilitator:
    """Create a facilitator with an Argon2-hashed password."""
    name = name.strip()
    if not (1 <= len(name) <= 80):
        raise AccountError("A facilitator name needs 1 to 80 characters.")
    if len(password) < 8:
        raise AccountError("A password needs at least 8 characters.")
    if db.session.scalar(select(Facilitator).where(Facilitator.name == name)):
        raise AccountError(f"A facilitator named {name!r} already exists.")
    facilitator = Facilitator(name=name, password_hash=_hasher.hash(password))
    db.session.add(facilitator)
    db.session.commit()
    return facilitator


def authenticate(name: str, password: str) -> Facilitator | None:
    """The facilitator with this name and password, or None."""
    facilitator = db.session.scalar(select(Facilitator).where(Facilitator.name == name.strip()))
    if facilitator is None:
        _hasher.hash(password)  # spend the same time whether or not the name exists
        return None
    try:
        _hasher.verify(facilitator.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return facilitator


def has_facilitator() -> bool:
    return db.session.scalar(select(Facilitator.id).limit(1)) is not None


def issue_setup_token() -> str:
    """A new one-time token for creating the first facilitator; only its hash is stored."""
    token = secrets.token_urlsafe(24)
    db.session.add(SetupToken(token_hash=sha256(token)))
    db.session.commit()
    return token


def setup_token_valid(token: str) -> bool:
    row = db.session.scalar(select(SetupToken).where(SetupToken.token_hash == sha256(token)))
    return bool(row and row.used_at is None and utcnow() - row.created_at < SETUP_TOKEN_LIFETIME)


def consume_setup_token(token: str, name: str, password: str) -> Facilitator:
    """Create the first facilitator with a valid one-time token, and spend the token."""
    if has_facilitator() or not setup_token_valid(token):
        raise AccountError("This sign-in link has been used or has expired.")
    facilitator = create_facilitator(name, password)
    row = db.session.scalar(select(SetupToken).where(SetupToken.token_hash == sha256(token)))
    row.used_at = utcnow()
    db.session.commit()
    return facilitator
