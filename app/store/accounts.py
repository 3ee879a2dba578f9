"""Facilitator accounts and the one-time first sign-in."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select, update

from app.extensions import db
from app.security.offload import off_loop
from app.security.passwords import password_problem
from app.store.models import Facilitator, SetupToken, utcnow

SETUP_TOKEN_LIFETIME = timedelta(hours=24)


class AccountError(ValueError):
    """A refused account operation, with a message fit for the person who asked."""


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["PASSWORD_HASH_TIME_COST"], memory_cost=config["PASSWORD_HASH_MEMORY_KIB"]
    )


def hash_password(password: str) -> str:
    """An Argon2 hash of `password`, computed off the event loop (it takes tens of ms)."""
    return off_loop(_hasher().hash, password)


def _verify(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    # Runs on another OS thread: no application context here.
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_facilitator(name: str, password: str) -> Facilitator:
    """Create a facilitator with an Argon2-hashed password (weak passwords are refused)."""
    name = name.strip()
    if not (1 <= len(name) <= 80):
        raise AccountError("A facilitator name needs 1 to 80 characters.")
    problem = password_problem(password, name)
    if problem:
        raise AccountError(problem)
    if db.session.scalar(select(Facilitator).where(Facilitator.name == name)):
        raise AccountError(f"A facilitator named {name!r} already exists.")
    facilitator = Facilitator(name=name, password_hash=hash_password(password))
    db.session.add(facilitator)
    db.session.commit()
    return facilitator


def set_password(facilitator: Facilitator, password: str) -> None:
    """Give an account a new password; every cookie and token issued before stops working."""
    problem = password_problem(password, facilitator.name)
    if problem:
        raise AccountError(problem)
    facilitator.password_hash = hash_password(password)
    facilitator.auth_version += 1
    db.session.commit()


def revoke_credentials(facilitator_id: int) -> None:
    """End every cookie and `f.` token of this account (sign out everywhere)."""
    db.session.execute(
        update(Facilitator)
        .where(Facilitator.id == facilitator_id)
        .values(auth_version=Facilitator.auth_version + 1)
    )
    db.session.commit()


def authenticate(name: str, password: str) -> Facilitator | None:
    """The facilitator with this name and password, or None. The hash runs off the event loop."""
    facilitator = db.session.scalar(select(Facilitator).where(Facilitator.name == name.strip()))
    if facilitator is None:
        hash_password(password)  # spend the same time whether or not the name exists
        return None
    if not off_loop(_verify, _hasher(), facilitator.password_hash, password):
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
