"""Near-duplicates: the same story re-published with small edits (a new headline, a changed
sentence, a paragraph added or cut).

Two bodies are compared as sets of normalized word 5-grams ("shingles"); their Jaccard similarity
is |A ∩ B| / |A ∪ B|. One edited word breaks at most five shingles, so a 300-word story with a
dozen scattered edits still shares about 70% of its shingles with the original, while two
different stories on the same topic (same names, same stock phrases) share well under 10%.
NEAR_DUPLICATE_THRESHOLD sits between the two: 0.5.

Candidates are not found by scanning the corpus: the draft's rarest index terms (lowest document
frequency in the search index) are OR-ed into one query, and only the best few hits are compared.
A re-published story keeps its rare words (names, numbers, places), so it ranks first. The index
is asked only through the engine contract (``document_frequencies`` and ``search``); an engine
that cannot answer leaves the upload without near-duplicate warnings rather than failing it.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from articles.arabic import analyze
from articles.arabic.tokenize import words
from articles.engines.base import EngineUnavailable, Or, SearchBackend, SearchRequest, Term

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
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


@contextmanager
def index_searcher() -> Iterator[SearchBackend | None]:
    """The configured engine, or None while the index is empty or the engine cannot answer."""
    from articles.engines import get_backend

    backend = get_backend()
    try:
        empty = backend.count() == 0
    except EngineUnavailable:
        empty = True
    yield None if empty else backend


def candidate_ids(*, body: str, searcher: SearchBackend, limit: int = CANDIDATES) -> list[int]:
    """Ids of indexed articles holding the draft's rarest terms, those sharing most first."""
    frequencies = {
        term: df
        for term, df in searcher.document_frequencies(terms=sorted(set(analyze(body)))).items()
        if df
    }
    rare = sorted(frequencies, key=lambda term: (frequencies[term], term))[:RARE_TERMS]
    if not rare:
        return []
    request = SearchRequest(query=Or(tuple(Term(term) for term in rare)), limit=limit)
    return [hit.id for hit in searcher.search(request).hits]


class NearDuplicateFinder:
    """Finds near-duplicates of many drafts through one engine, caching shingle sets."""

    def __init__(
        self, *, searcher: SearchBackend | None, threshold: float = NEAR_DUPLICATE_THRESHOLD
    ):
        self.searcher = searcher
        self.threshold = threshold
        self._shingles: dict[int, tuple[str, frozenset[int]]] = {}

    def find(self, *, body: str) -> list[NearDuplicate]:
        """Existing articles at least `threshold` similar to `body`, most similar first."""
        from articles.models import Article

        try:
            ids = candidate_ids(body=body, searcher=self.searcher) if self.searcher else []
        except EngineUnavailable:
            ids = []
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
