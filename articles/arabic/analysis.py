"""The analyzer: text → index terms, the one implementation every engine and the highlighter use.

``tokenize | drop stop words | stem`` — positions are renumbered after stop words are dropped,
so a phrase query analyzed here matches the positions indexed here. Engines wrap these functions
(``articles.engines``); none re-implements a stage.
"""

from __future__ import annotations

import hashlib
from functools import cache
from itertools import filterfalse
from pathlib import Path
from typing import NamedTuple

from .lexicon import data_fingerprint
from .normalize import normalize
from .stem import PROCLITICS, stem
from .stopwords import STOP_WORDS
from .tokenize import tokenize, words

_RULE_MODULES = ("normalize.py", "tokenize.py", "stopwords.py", "stem.py", "analysis.py")


class Term(NamedTuple):
    """An index term with its position (stop words not counted) and its span in the original."""

    text: str
    position: int
    start: int
    end: int


def term_for(word: str) -> str | None:
    """The index term of one normalized, lowercased word; None for a stop word."""
    return None if word in STOP_WORDS else stem(word)


def analyze(text: str) -> list[str]:
    """Index terms of ``text`` in order (fast path: no offsets)."""
    return stem.map(filterfalse(STOP_WORDS.__contains__, words(text)))


def analyze_with_offsets(text: str) -> list[Term]:
    """Index terms of ``text`` with positions and original character spans."""
    tokens = [token for token in tokenize(text) if token.text not in STOP_WORDS]
    terms = stem.map(token.text for token in tokens)
    return [
        Term(term, position, token.start, token.end)
        for position, (term, token) in enumerate(zip(terms, tokens, strict=True))
    ]


def prefix_form(text: str) -> str:
    """A typed prefix as index terms start: normalized, lowercased, without a leading article
    chain. It is not stemmed (a stem of a word's beginning is not the beginning of its stem)."""
    text = normalize(text).lower()
    for proclitic in PROCLITICS:
        if proclitic.endswith(("ال", "لل")) and text.startswith(proclitic):
            rest = text[len(proclitic) :]
            if len(rest.rstrip("*?")) >= 2:
                return rest
    return text


@cache
def analyzer_version() -> str:
    """Changes whenever a rule module or a data file changes; an index records it."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _RULE_MODULES:
        digest.update((here / name).read_bytes())
    return f"{digest.hexdigest()[:12]}-{data_fingerprint()}"
