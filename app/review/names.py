"""Finding people's names in free text the way people write them, to replace them by pseudonyms.

Names are compared after normalisation (`fold`): NFKC (fullwidth letters), case folding, accents
stripped (`emile` is Émile), apostrophes and invisible characters removed (`OBrien` is O'Brien).
Latin-script names (and any script that puts spaces between words) match **whole words** only:
a word that merely contains a name part stays ("Keyboard-only" with a player named Key). A word
matches when it is

- any part of a name (`Tanaka` of "Aiko Tanaka"), two letters or more, titles and particles
  ("Prof.", "van") left out; a possessive (`Aiko's`) or trailing digits (`aiko99`) included;
- the parts in order or reversed, written apart or joined by a space, `.`, `_`, `-` or nothing
  (`Aiko Tanaka`, `aiko.tanaka`, `@aiko_tanaka`, `AikoTanaka`, `TanakaAiko`); a hyphenated part
  (`Min-jun`) matches as a whole (`Min-jun`, `Minjun`, `min jun`), not piece by piece.

Names in Chinese, Japanese or Korean script are written without spaces and followed by honorifics
or particles (`愛子さん`, `민준아`), so they match wherever they occur in the text: the full name
with or without a space, each space-separated part, and for a name written as one run of 3 or 4
characters its last two characters (the usual given name) and, for 4, its first two. Parts of a
single character are not matched alone (they are ordinary words).

A word that is a name part of two different people is replaced by `[name]`, not by either's
pseudonym.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

APOSTROPHES = "'’ʼ‘`´"
_INVISIBLE = "\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_LETTER = rf"(?:[^\W\d_]|[{_MARKS}{_INVISIBLE}])"
_ALNUM = rf"(?:[^\W_]|[{_MARKS}{_INVISIBLE}])"
# A word: letters and digits (with accents and invisible characters inside), apostrophes only
# between letters ("O'Brien", "Aiko's").
WORD = re.compile(rf"{_ALNUM}+(?:[{APOSTROPHES}]{_LETTER}+)*")
# What may join the parts of one name in text: "aiko tanaka", "aiko.tanaka", "aiko_tanaka".
_JOINER = re.compile(r"[._\-·・]?[ \t\u3000]{0,2}")
_POSSESSIVE = re.compile(rf"[{APOSTROPHES}]s$")
_CJK = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]"
)
_FOLD_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i", "ħ": "h"}
)
_DROP = set(APOSTROPHES) | {chr(c) for c in range(0x200B, 0x2010)} | {"\u00ad", "\ufeff"}
_DROP |= {chr(c) for c in range(0x202A, 0x202F)} | {chr(c) for c in range(0x2060, 0x2065)}
# Not names on their own: titles, and particles of family names.
NOT_A_NAME = frozenset(
    [
        "dr",
        "prof",
        "professor",
        "mr",
        "mrs",
        "ms",
        "mx",
        "miss",
        "sir",
        "dame",
        "madam",
        "mme",
        "mlle",
        "herr",
        "frau",
        "sr",
        "sra",
        "jr",
        "de",
        "da",
        "di",
        "du",
        "del",
        "della",
        "der",
        "den",
        "des",
        "van",
        "von",
        "la",
        "le",
        "el",
        "al",
        "bin",
        "ibn",
        "ben",
        "st",
    ]
)
AMBIGUOUS = "[name]"


_ASCII_DROP = str.maketrans("", "", "'`")


def fold(text: str) -> str:
    """A name or word as compared: NFKC, case-folded, accents, apostrophes and invisibles gone."""
    if text.isascii():
        return text.lower().translate(_ASCII_DROP)  # the common case, without a pass per char
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    kept = "".join(
        c
        for c in decomposed
        if c not in _DROP and not (unicodedata.combining(c) and c not in "\u3099\u309a")
    )
    return unicodedata.normalize("NFC", kept.translate(_FOLD_LETTERS))


def _is_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


@dataclass
class NameFinder:
    """Every way each person's names may be written, and a replacer for any text."""

    # folded word sequence -> pseudonym (AMBIGUOUS when two people share it)
    sequences: dict[tuple[str, ...], str] = field(default_factory=dict)
    cjk: dict[str, str] = field(default_factory=dict)  # CJK spelling -> pseudonym
    cjk_spaced: list[list[str]] = field(default_factory=list)  # full names written with a space
    _first: dict[str, int] = field(default_factory=dict)  # first word -> longest sequence
    _quick: re.Pattern[str] | None = None
    _cjk_pattern: re.Pattern[str] | None = None

    def add(self, name: str, alias: str) -> None:
        """Teach the finder one name of the person shown as `alias`."""
        words = name.split()
        parts: list[list[str]] = []  # each written word's folded pieces ("Min-jun": min, jun)
        names: list[list[str]] = []  # the same without titles and particles
        for word in (w for w in words if not _is_cjk(w)):
            written = [w for w in WORD.findall(word) if not w.isdigit()]
            pieces = [fold(w) for w in written]
            if not pieces:
                continue
            parts.append(pieces)
            if len(pieces) == 1 and pieces[0] in NOT_A_NAME:
                continue
            names.append(pieces)
            if len(pieces) > 1 or len(pieces[0]) >= 2:  # not an initial
                self._learn(tuple(pieces), alias)
            if len(written) == 1:
                # O'Brien: "Brien" alone too (the whole word folds to "obrien").
                for bit in re.split(f"[{APOSTROPHES}]", written[0])[1:]:
                    if len(fold(bit)) >= 2 and fold(bit) not in NOT_A_NAME:
                        self._learn((fold(bit),), alias)
        every = [piece for part in parts for piece in part]
        bare = [piece for part in names for piece in part]
        backwards = [piece for part in reversed(names) for piece in part]
        for order in (every, bare, backwards):
            if len(order) > 1:
                self._learn(tuple(order), alias)
        self._learn_cjk([unicodedata.normalize("NFKC", w) for w in words if _is_cjk(w)], alias)

    def _learn(self, sequence: tuple[str, ...], alias: str) -> None:
        for form in (sequence, ("".join(sequence),)):
            known = self.sequences.get(form)
            self.sequences[form] = alias if known in (None, alias) else AMBIGUOUS
        for form in (sequence, ("".join(sequence),)):
            self._first[form[0]] = max(self._first.get(form[0], 0), len(form))
        self._quick = None

    def _learn_cjk(self, words: list[str], alias: str) -> None:
        spellings = set(words)
        if len(words) > 1:
            spellings |= {"".join(words), "".join(reversed(words))}
            self.cjk_spaced += [words, words[::-1]]
        elif words and 3 <= len(words[0]) <= 4:
            spellings |= {words[0][-2:], words[0][:-2]}  # given name, family name (a guess)
        for spelling in spellings:
            if len(spelling) >= 2:
                known = self.cjk.get(spelling)
                self.cjk[spelling] = alias if known in (None, alias) else AMBIGUOUS
        self._quick = None

    def _compile(self) -> None:
        # A name is a word of its own, give or take a possessive s or digits (CJK: anywhere).
        firsts = "|".join(re.escape(k) for k in sorted(self._first, key=len, reverse=True))
        cjk = "|".join(re.escape(k) for k in sorted(self.cjk, key=len, reverse=True))
        quick = [f"(?<![^\\W_])(?:{firsts})s?(?![^\\W\\d_])"] if firsts else []
        self._quick = re.compile("|".join(quick + ([cjk] if cjk else [])) or r"(?!)")
        spaced = [r"\s*".join(re.escape(w) for w in pair) for pair in self.cjk_spaced]
        spelled = [re.escape(s) for s in sorted(self.cjk, key=len, reverse=True)]
        alternatives = "|".join(spaced + spelled)
        self._cjk_pattern = re.compile(alternatives) if alternatives else None

    def replace(self, text: str) -> str:
        """`text` with every name found in it replaced by its person's pseudonym."""
        if not text:
            return text
        if self._quick is None:
            self._compile()
        assert self._quick is not None
        if self._quick.search(fold(text)) is None:
            return text  # most texts name nobody: one search, no splitting into words
        text = self._replace_words(text)
        if self._cjk_pattern is not None:
            text = self._cjk_pattern.sub(lambda m: self._cjk_alias(m.group(0)), text)
        return text

    def _cjk_alias(self, found: str) -> str:
        compact = re.sub(r"\s+", "", found)
        return self.cjk.get(compact, AMBIGUOUS)

    def _replace_words(self, text: str) -> str:
        words = list(WORD.finditer(text))
        forms = [_forms(m.group(0)) for m in words]
        out: list[str] = []
        done = 0  # text[:done] is in `out`
        i = 0
        while i < len(words):
            found = self._match_at(text, words, forms, i)
            if found is None:
                i += 1
                continue
            length, alias, end = found
            out += [text[done : words[i].start()], alias]
            done = end
            i += length
        out.append(text[done:])
        return "".join(out)

    def _match_at(
        self, text: str, words: list[re.Match[str]], forms: list[list[tuple[str, int]]], i: int
    ) -> tuple[int, str, int] | None:
        """The longest name starting at word i: (words, pseudonym, where it ends), or None."""
        longest = max(self._first.get(key, 0) for key, _keep in forms[i])
        for length in range(min(longest, len(words) - i), 0, -1):
            span = words[i : i + length]
            gaps = (text[a.end() : b.start()] for a, b in zip(span, span[1:], strict=False))
            if not all(_JOINER.fullmatch(gap) for gap in gaps):
                continue
            heads = tuple(forms[j][0][0] for j in range(i, i + length - 1))
            for last, keep in forms[i + length - 1]:
                alias = self.sequences.get((*heads, last))
                if alias is not None:
                    return length, alias, span[-1].end() - keep
        return None


def _forms(word: str) -> list[tuple[str, int]]:
    """The folded forms a word may match as, each with how many characters to leave after the
    name: itself; without a possessive ('s, left in place); without trailing digits (aiko99)."""
    key = fold(word)
    forms = [(key, 0)]
    if _POSSESSIVE.search(word):
        forms.append((fold(word[:-2]), 2))
    stripped = key.rstrip("0123456789")
    if stripped and stripped != key:
        forms.append((stripped, 0))
    return forms
