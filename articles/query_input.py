"""Query words that carry nothing to search for, taken out before a query runs.

* The Arabic question mark ؟ (and the Armenian ՞) are wildcards to Whoosh's parser, which then
  searches «بوتين؟» unanalyzed and finds nothing; to an Arabic reader they are punctuation.
* A word that is only proclitics (و، ال، لل، وال، بال …: the chains of the Arabic package) or only
  signs has no index term of its own; alone it would search a meaningless term, and under NOT
  it would turn the query into "every article". Such words are dropped like stop words, and a
  query left without words gets the usual "no words to search for" message.
"""

from __future__ import annotations

from whoosh import query

from articles.arabic import normalize
from articles.arabic.stem import PROCLITICS  # the Arabic package's proclitic chains
from articles.arabic.tokenize import WORD_RE

_QUESTION_MARKS = {ord("\u061f"): " ", ord("\u055e"): " "}
_BARE = frozenset(PROCLITICS)


def prepare(text: str) -> str:
    """The query text with question marks read as punctuation (same length: offsets hold)."""
    return text.translate(_QUESTION_MARKS)


def _empty(typed: str) -> bool:
    """A typed word that is only proclitics or only signs."""
    bare = normalize(typed.rstrip("*")).lower().strip()
    return not WORD_RE.search(bare) or bare in _BARE


def _signs(term: str) -> bool:
    """An index term without a letter or digit (a parser corner case left it unanalyzed)."""
    return not WORD_RE.search(term)


def _typed(node: query.Query, text: str) -> str | None:
    start, end = getattr(node, "startchar", None), getattr(node, "endchar", None)
    return text[start:end] if start is not None and end is not None else None


def without_empty_words(node: query.Query, text: str) -> query.Query:
    """``node`` without the words of ``text`` that are only proclitics or signs (NullQuery when
    nothing is left). A NOT with nothing left under it goes too, and so does "x NOT y" when x went:
    a query is never turned into "every article but …" by dropping its words."""
    null = query.NullQuery
    if isinstance(node, query.Prefix):  # its char range is the * alone: read its text
        return null if _empty(node.text) else node
    if isinstance(node, query.Term):
        typed = _typed(node, text)
        if _signs(node.text) or (typed is not None and _empty(typed)):
            return null
        return node
    if isinstance(node, query.Phrase):
        ranges = getattr(node, "char_ranges", None) or []
        if len(ranges) != len(node.words):
            return node
        kept = [w for w, (s, e) in zip(node.words, ranges, strict=True) if not _empty(text[s:e])]
        if not kept:
            return null
        if len(kept) == 1:
            return query.Term(node.fieldname, kept[0])
        return node if len(kept) == len(node.words) else query.Phrase(node.fieldname, kept)
    if isinstance(node, query.Not):
        inner = without_empty_words(node.query, text)
        return null if inner is null else query.Not(inner)
    if isinstance(node, query.AndNot):
        positive = without_empty_words(node.a, text)
        negative = without_empty_words(node.b, text)
        if positive is null:
            return null
        return positive if negative is null else query.AndNot(positive, negative)
    if isinstance(node, (query.And, query.Or)):
        cleaned = [(c, without_empty_words(c, text)) for c in node.subqueries]
        kept = [new for _old, new in cleaned if new is not null]
        dropped_positive = any(
            new is null and not isinstance(old, query.Not) for old, new in cleaned
        )
        if not kept or (
            isinstance(node, query.And)
            and dropped_positive
            and all(isinstance(c, query.Not) for c in kept)
        ):
            return null
        return kept[0] if len(kept) == 1 else type(node)(kept)
    return node
