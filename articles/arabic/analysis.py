"""Whoosh analysis chain for Arabic: tokenizer | stop filter | stem filter.

Whoosh pickles the schema, analyzers included, into the index, so every class
here is module-level, keeps only plain picklable state (frozensets) and compares
equal by that state. Renaming or moving this module breaks existing indexes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from whoosh.analysis import CompositeAnalyzer, Filter, StopFilter, Tokenizer
from whoosh.analysis import Token as WhooshToken

from .normalize import normalize
from .stem import stem
from .stopwords import STOP_WORDS
from .tokenize import tokenize as tokenize_with_offsets  # ``tokenize`` is a Whoosh kwarg
from .tokenize import words


@lru_cache(maxsize=64)
def normalize_keywords(keywords: frozenset[str]) -> frozenset[str]:
    """Bring gazetteer keywords to the form the tokenizer gives words."""
    return frozenset(normalize(keyword).lower() for keyword in keywords)


class ArabicTokenizer(Tokenizer):
    """Normalized, lowercased words; ``startchar``/``endchar`` index the ORIGINAL text.

    Offsets come from the normalization map, so highlighting marks the vocalized
    original (بُوتِينُ), not the normalized form. Without ``chars`` or
    ``keeporiginal`` a faster path skips the offset map.
    """

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[WhooshToken]:
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            spans: Iterable[tuple[str, int, int]] = [(normalize(value).lower(), 0, len(value))]
        elif chars or keeporiginal:
            spans = tokenize_with_offsets(value)
        else:
            spans = ((word, 0, 0) for word in words(value))
        for pos, (text, start, end) in enumerate(spans, start_pos):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class ArabicStopFilter(StopFilter):
    """Whoosh ``StopFilter`` preset with :data:`STOP_WORDS`.

    ``minsize=1`` keeps one-character tokens such as the digit in "ايفون 8";
    the single-letter proclitics are in the stop list instead.
    """

    def __init__(
        self,
        stoplist: Iterable[str] = STOP_WORDS,
        minsize: int = 1,
        maxsize: int | None = None,
        renumber: bool = True,
    ) -> None:
        super().__init__(stoplist=stoplist, minsize=minsize, maxsize=maxsize, renumber=renumber)


class ArabicStemFilter(Filter):
    """Replaces each token by its :func:`~.stem.stem`, protecting ``keywords``."""

    is_morph = True

    def __init__(self, *, keywords: Iterable[str] = frozenset()) -> None:
        self.keywords = normalize_keywords(frozenset(keywords))

    def __call__(self, tokens: Iterable[WhooshToken]) -> Iterator[WhooshToken]:
        keywords = self.keywords
        for token in tokens:
            if not token.stopped:
                token.text = stem(token.text, keywords=keywords)
            yield token


def arabic_analyzer(*, keywords: frozenset[str] = frozenset()) -> CompositeAnalyzer:
    """The index/query analyzer: ``ArabicTokenizer | ArabicStopFilter | ArabicStemFilter``."""
    return ArabicTokenizer() | ArabicStopFilter() | ArabicStemFilter(keywords=keywords)


def analyze(text: str, *, keywords: frozenset[str] = frozenset()) -> list[str]:
    """Index terms of ``text``, as :func:`arabic_analyzer` produces them.

    Skips Whoosh's token objects, so the highlighter can afford it per query.
    """
    keywords = normalize_keywords(keywords)
    return [stem(word, keywords=keywords) for word in words(text) if word not in STOP_WORDS]
