"""Text at the door: every user-typed text (messages, proposals, reasons, titles, names) passes
through here before any rule sees it, so the log only ever holds well-formed, normalised Unicode.

- Lone surrogates (not Unicode at all: they cannot be encoded as UTF-8) are refused.
- Texts are NFC-normalised, so "é" typed two ways is stored one way.
- Control characters are dropped, except newline and tab (a CR LF or lone CR becomes a newline).
- A text made only of invisible characters (zero-width spaces, bidi controls, fillers) is refused.
- Names also lose every invisible and bidi character, and compare by `name_key` (NFKC, case-folded,
  invisibles removed), so `Ai\\u200bko`, `Aiko\\u202e` and fullwidth `Ａｉｋｏ` all meet "Aiko".
"""

from __future__ import annotations

import re
import unicodedata

from app.engine.errors import CommandError

_SURROGATE = re.compile("[\ud800-\udfff]")
_NEWLINES = re.compile(r"\r\n?")
# C0 and C1 controls and DEL, except tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Characters that draw nothing beyond whitespace: format characters (Cf: zero-width space and
# joiners, bidi controls, word joiner, BOM, tags) are found by category; these fillers are not Cf.
_FILLERS = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))  # variation selectors
)
_SPACE = re.compile(r"\s+")


def is_invisible(ch: str) -> bool:
    """True for a character that shows nothing on screen (whitespace, format, filler)."""
    return ch.isspace() or ch in _FILLERS or unicodedata.category(ch) in ("Cf", "Zl", "Zp")


def has_lone_surrogate(value: object) -> bool:
    """True when any text in a JSON-like value (keys included) holds a lone surrogate. Walks
    without recursion, so a deeply nested value cannot exhaust the stack."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


def clean_text(name: str, value: object, limit: int) -> str:
    """A user text, checked and normalised; raises CommandError naming the field."""
    if not isinstance(value, str):
        raise CommandError("bad_field", f"The field '{name}' must be text.")
    if _SURROGATE.search(value):
        raise CommandError(
            "bad_field", f"The field '{name}' is not well-formed Unicode text (lone surrogate)."
        )
    text = _CONTROL.sub("", _NEWLINES.sub("\n", value))
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        raise CommandError("missing_field", f"The field '{name}' must not be empty.")
    if all(is_invisible(ch) for ch in text):
        raise CommandError("bad_field", f"The field '{name}' has no visible characters.")
    if len(text) > limit:
        raise CommandError(
            "too_large", f"The field '{name}' has {len(text)} characters; the limit is {limit}."
        )
    return text


def clean_name(value: object, limit: int) -> str | None:
    """A display name: NFC, single-spaced, without controls or invisible characters; None when
    nothing usable is left or the text is not well-formed Unicode."""
    if not isinstance(value, str) or _SURROGATE.search(value):
        return None
    text = unicodedata.normalize("NFC", value)
    text = "".join(" " if ch.isspace() else ch for ch in text if ch.isspace() or not _drop(ch))
    name = _SPACE.sub(" ", text).strip()
    return name if 1 <= len(name) <= limit else None


def _drop(ch: str) -> bool:
    return is_invisible(ch) or unicodedata.category(ch) == "Cc"


def name_key(name: str) -> str:
    """What two names are compared by: NFKC, invisible characters removed, case-folded."""
    folded = unicodedata.normalize("NFKC", name)
    folded = "".join(ch for ch in folded if not _drop(ch) or ch == " ")
    return unicodedata.normalize("NFKC", _SPACE.sub(" ", folded).strip().casefold())
