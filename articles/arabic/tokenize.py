"""Word tokenization on normalized text, with offsets into the original text.

The tokenizer runs one compiled regex over the *normalized* text: harakat,
tatweel, ZWNJ and bidi marks are already gone there, so a vocalized word such as
بُوتِين is one run of letters (a plain ``\\w+`` over the original would split it at
every haraka). The offset map from :mod:`.normalize` then gives each token's exact
span in the original, marks included.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from .normalize import normalize, normalize_with_offsets


def _combining_marks() -> str:
    """Non-Arabic combining marks left after normalization (e.g. decomposed é)."""
    marks = (chr(code) for code in range(0x10000) if unicodedata.category(chr(code))[0] == "M")
    return "".join(map(re.escape, marks))


# A word starts with a letter or digit and continues through letters, digits and
# combining marks. Underscore is replaced by a space beforehand, so that hashtags
# (#كاظم_الساهر) yield their words and \w can stand for "letter or digit".
WORD_RE = re.compile(rf"\w[\w{_combining_marks()}]*")


class Token(NamedTuple):
    """A word: its normalized, lowercased text and its span in the original."""

    text: str
    start: int
    end: int


def _searchable(normalized: str) -> str:
    return normalized.replace("_", " ")


def words(text: str) -> list[str]:
    """Normalized, lowercased words of ``text``, without offsets (fast path)."""
    return WORD_RE.findall(_searchable(normalize(text).lower()))


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens carrying original offsets (see :class:`Token`)."""
    normalized = normalize_with_offsets(text)
    span_of = normalized.original_span
    tokens = []
    for match in WORD_RE.finditer(_searchable(normalized.text)):
        start, end = span_of(*match.span())
        tokens.append(Token(match.group().lower(), start, end))
    return tokens
