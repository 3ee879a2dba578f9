"""Password rules for facilitator accounts: long enough, not common, not the account's name."""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path

MIN_LENGTH = 8
_LIST = Path(__file__).with_name("common_passwords.txt")
# Symbols and digits people put in place of letters ("P@ssw0rd", "l3tm31n"): read back as the
# letters before the list is consulted.
_LEET = str.maketrans(
    {"@": "a", "4": "a", "3": "e", "1": "i", "!": "i", "0": "o", "$": "s", "5": "s", "7": "t"}
)
_SUFFIX = string.digits + string.punctuation + " "


@cache
def common_passwords() -> frozenset[str]:
    lines = _LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _letters_and_digits(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _monotonous(core: str) -> bool:
    """One repeated character, or a run up or down the alphabet or digits ("abcdefgh")."""
    if len(set(core)) <= 2:
        return True
    steps = {ord(b) - ord(a) for a, b in zip(core, core[1:], strict=False)}
    return steps <= {1} or steps <= {-1}


def password_problem(password: str, name: str = "") -> str | None:
    """Why `password` is refused for account `name`, in a sentence; None when it is fine."""
    if len(password) < MIN_LENGTH:
        return f"A password needs at least {MIN_LENGTH} characters."
    core = _letters_and_digits(password)
    common = common_passwords()
    digits_only = core.isdigit() and len(core) < 12  # dates, phone numbers, PINs
    stem = core.rstrip("0123456789")
    # Letters written as symbols, with and without a suffix of digits and symbols ("P@ssw0rd!1").
    read_back = {
        _letters_and_digits(text.translate(_LEET)) for text in (password, password.rstrip(_SUFFIX))
    }
    if not core or digits_only or {core, stem} & common or read_back & common or _monotonous(core):
        return "That password is too common or too easy to guess; choose a phrase of your own."
    own = _letters_and_digits(name)
    if len(own) >= 3 and own in core and len(core) - len(own) < MIN_LENGTH:
        return "A password may not be made from the account's name."
    return None
