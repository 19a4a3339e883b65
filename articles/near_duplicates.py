"""Near-duplicates: the same story re-published with small edits (a new headline, a changed
sentence, a paragraph added or cut).

Two bodies are compared as sets of normalized word 5-grams ("shingles"); their Jaccard similarity
is |A ∩ B| / |A ∪ B|. One edited word breaks at most five shingles, so a 300-word story with a
dozen scattered edits still shares about 70% of its shingles with the original, while two
different stories on the same topic (same names, same stock phrases) share well under 10%.
NEAR_DUPLICATE_THRESHOLD sits between the two: 0.5.

Candidates are not found by scanning the corpus: the draft's rarest index terms (lowest document
frequency in the search index) are OR-ed into one query, and only the best few hits are compared.
A re-published story keeps its rare words (names, numbers, places), so it ranks first.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from whoosh.searching import Searcher

from articles.arabic.tokenize import words

SHINGLE_WORDS = 5
NEAR_DUPLICATE_THRESHOLD = 0.5
RARE_TERMS = 16
CANDIDATES = 5


@dataclass(frozen=True)
class NearDuplicate:
    """An existing article that is probably the same story, and how similar it is (0..1)."""

    article_id: int
    title: str
    similarity: float


def shingles(text: str, *, size: int = SHINGLE_WORDS) -> frozenset[int]:
    """Hashed word n-grams of the normalized text (short texts give one shingle of all words)."""
    tokens = words(text)
    if len(tokens) < size:
        return frozenset({zlib.crc32(" ".join(tokens).encode("utf-8"))}) if tokens else frozenset()
    return frozenset(
        zlib.crc32(" ".join(tokens[i : i + size]).encode("utf-8"))
        for i in range(len(tokens) - size + 1)
    )


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@contextmanager
def index_searcher() -> Iterator[Searcher | None]:
    """A searcher of its own over the article index (None while the index is empty)."""
    from articles.search_backend import backend

    ix = backend().index
    if ix.is_empty():
        yield None
        return
    with ix.searcher() as opened:
        yield opened


def candidate_ids(*, body: str, searcher: Searcher, limit: int = CANDIDATES) -> list[int]:
    """Ids of indexed articles holding most of the draft's rarest terms, most shared first.

    The postings of rare terms are short, so counting them is cheaper than a scored search.
    """
    from articles.search_backend import index_terms

    reader = searcher.reader()
    frequencies = {}
    for term in set(index_terms(body)):
        df = reader.doc_frequency("text", term)
        if df:
            frequencies[term] = df
    rare = sorted(frequencies, key=lambda term: (frequencies[term], term))[:RARE_TERMS]
    shared: Counter[int] = Counter()
    for term in rare:
        shared.update(reader.postings("text", term).all_ids())
    needed = max(2, len(rare) // 2)  # a re-published story keeps most of its rare words
    best = [docnum for docnum, count in shared.most_common(limit) if count >= needed]
    return [int(searcher.stored_fields(docnum)["django_id"]) for docnum in best]


class NearDuplicateFinder:
    """Finds near-duplicates of many drafts against one index snapshot, caching shingle sets."""

    def __init__(self, *, searcher: Searcher | None, threshold: float = NEAR_DUPLICATE_THRESHOLD):
        self.searcher = searcher
        self.threshold = threshold
        self._shingles: dict[int, tuple[str, frozenset[int]]] = {}

    def find(self, *, body: str) -> list[NearDuplicate]:
        """Existing articles at least `threshold` similar to `body`, most similar first."""
        from articles.models import Article

        ids = candidate_ids(body=body, searcher=self.searcher) if self.searcher else []
        missing = [pk for pk in ids if pk not in self._shingles]
        rows = Article.objects.filter(pk__in=missing).values_list("pk", "title", "body")
        for pk, title, other in rows:
            self._shingles[pk] = (title, shingles(other))
        mine = shingles(body) if ids else frozenset()
        found = []
        for pk in ids:
            if pk not in self._shingles:
                continue
            title, theirs = self._shingles[pk]
            similarity = jaccard(mine, theirs)
            if similarity >= self.threshold:
                found.append(NearDuplicate(article_id=pk, title=title, similarity=similarity))
        return sorted(found, key=lambda near: -near.similarity)
