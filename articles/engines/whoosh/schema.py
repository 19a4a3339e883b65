"""The Whoosh schema, derived from ``articles.index_fields``, and the fields that take terms.

Text fields receive the analyser's terms (a document's lists, analysed once by
``index_fields``) and index them at their list positions, without Whoosh's per-token objects.
Haystack's query parser still needs an analyzer for text it parses itself: :class:`ArabicTokenizer`
gives it exactly the package's terms.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import Token as WhooshToken
from whoosh.analysis import Tokenizer
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.util.text import utf8encode

from articles import index_fields
from articles.arabic import analyze_with_offsets
from articles.arabic.analysis import prefix_form

ARTICLE_CT = "articles.article"
DOC_KEY = "id"  # haystack's unique "articles.article.<pk>"
PK = "pk"  # the article id as a numeric column: docnum -> pk without stored-field reads


class ArabicTokenizer(Tokenizer):
    """Whoosh's view of :func:`articles.arabic.analyze_with_offsets`: terms, positions, spans.

    A prefix (``tokenize=False``) is passed on as :func:`prefix_form` gives it.
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
        terms = [(prefix_form(value), 0, 0, len(value))] if not tokenize else []
        for text, pos, start, end in terms or analyze_with_offsets(value):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


_POSITIONS = Positions()


@lru_cache(maxsize=1 << 16)
def single_position(position: int) -> bytes:
    """A term's one position, encoded (most postings hold one)."""
    return _POSITIONS.encode([position])


class AnalysedText(TEXT):
    """TEXT that indexes a list of analysed terms at their list positions (a string, as
    haystack's parser or an old caller gives, is analysed first)."""

    def __init__(self) -> None:
        super().__init__(analyzer=ArabicTokenizer(), stored=False, phrase=True)

    @staticmethod
    def term_positions(terms: list[str]) -> dict[str, list[int]]:
        positions: dict[str, list[int]] = defaultdict(list)
        for pos, term in enumerate(terms):
            positions[term].append(pos)
        return positions

    def encode_positions(self, positions: list[int]) -> bytes:
        """The Positions format's encoding of one posting's positions."""
        if len(positions) > 1:
            return _POSITIONS.encode(positions)
        return single_position(positions[0])

    def index(self, value, **kwargs):
        terms = value if isinstance(value, list) else [t.text for t in self.analyzer(value)]
        boost = self.format.field_boost
        for term, poslist in self.term_positions(terms).items():
            yield (
                utf8encode(term)[0],
                len(poslist),
                len(poslist) * boost,
                self.encode_positions(poslist),
            )


def article_schema() -> Schema:
    """Text fields, keyword fields and dates as ``index_fields`` declares them, plus haystack's
    identity fields (so SearchQuerySet reads results) and the numeric pk column."""
    fields: dict = {
        DOC_KEY: ID(stored=True, unique=True),
        "django_ct": ID(stored=True),
        "django_id": ID(stored=True),
        PK: NUMERIC(int, bits=64, stored=False, sortable=True, signed=False),
        "content_hash": STORED(),
        "length": STORED(),
    }
    for text in index_fields.TEXT_FIELDS:
        fields[text.name] = AnalysedText()
    for keyword in index_fields.KEYWORD_FIELDS:
        fields[keyword.name] = (
            KEYWORD(stored=True, commas=True, scorable=False) if keyword.multi else ID(stored=True)
        )
    for date in index_fields.DATE_FIELDS:
        fields[date.name] = (
            KEYWORD(stored=False, commas=True)
            if date.multi
            else DATETIME(stored=True, sortable=True)
        )
    return Schema(**fields)


def whoosh_fields(doc: dict) -> dict:
    """The writer's keyword arguments for one engine document."""
    pk = int(doc["id"])
    fields = {
        DOC_KEY: f"{ARTICLE_CT}.{pk}",
        "django_ct": ARTICLE_CT,
        "django_id": str(pk),
        PK: pk,
        "content_hash": doc.get("content_hash", ""),
        "length": doc.get("length", 0),
    }
    for text in index_fields.TEXT_NAMES:
        fields[text] = list(doc.get(text) or [])
    for keyword in index_fields.KEYWORD_FIELDS:
        value = doc.get(keyword.name)
        if keyword.multi and value:
            fields[keyword.name] = ",".join(value)
        elif not keyword.multi and value:
            fields[keyword.name] = str(value)
    for date in index_fields.DATE_FIELDS:
        value = doc.get(date.name)
        if date.multi and value:
            fields[date.name] = ",".join(day.isoformat() for day in value)
        elif not date.multi and value:
            fields[date.name] = datetime.datetime.combine(value, datetime.time())
    return fields
