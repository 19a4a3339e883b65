"""One card per story: near-identical articles on a result page collapse under the best-ranked one.

"Near-identical" is the upload check's notion (``articles.near_duplicates``: Jaccard similarity of
word 5-gram shingles at least NEAR_DUPLICATE_THRESHOLD). Only the page's own results are compared,
so the total count stays the number of matching articles and page N always covers the same ranks
whatever collapses; a story whose copies fall on two pages shows once on each. Shingle sets are
kept per process, keyed by article id and content hash, so a page's 20 bodies are shingled once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from articles.models import Article
from articles.near_duplicates import NEAR_DUPLICATE_THRESHOLD, jaccard, shingles
from articles.process_cache import ProcessLRU

SIGNATURES_KEPT = 8192

Hit = TypeVar("Hit")

_signatures: ProcessLRU[frozenset[int]] = ProcessLRU(size=SIGNATURES_KEPT)


def signature(*, article: Article) -> frozenset[int]:
    """The article body's shingle set, from the per-process cache when its text is unchanged."""
    return _signatures.get((article.pk, article.content_hash), lambda: shingles(article.body))


def collapse(
    hits: Sequence[Hit],
    *,
    article: Callable[[Hit], Article],
    threshold: float = NEAR_DUPLICATE_THRESHOLD,
) -> list[tuple[Hit, list[Hit]]]:
    """``hits`` (best first) as (card, near-identical hits under it): each hit joins the first
    earlier card it is near-identical to, or becomes a card; cards keep their rank order."""
    groups: list[tuple[Hit, frozenset[int], list[Hit]]] = []
    for hit in hits:
        mine = signature(article=article(hit))
        for _card, theirs, members in groups:
            smaller, larger = sorted((len(mine), len(theirs)))
            if smaller < threshold * larger:
                continue  # their Jaccard similarity is at most smaller / larger
            if jaccard(mine, theirs) >= threshold:
                members.append(hit)
                break
        else:
            groups.append((hit, mine, []))
    return [(card, members) for card, _signature, members in groups]
