"""One card per story: near-identical articles on a result page collapse under the best-ranked one.

"Near-identical" is the upload check's notion (``articles.near_duplicates``: Jaccard similarity of
word 5-gram shingles at least NEAR_DUPLICATE_THRESHOLD). Only the page's own results are compared,
so the total count stays the number of matching articles and page N always covers the same ranks
whatever collapses; a story whose copies fall on two pages shows once on each. Kept per process,
keyed by article id and content hash (an edited body is a new text): each body's shingle set, and
the grouping of each page of texts, so a page seen again is neither shingled nor compared again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from articles.near_duplicates import NEAR_DUPLICATE_THRESHOLD, jaccard, shingles
from articles.process_cache import ProcessLRU

SIGNATURES_KEPT = 8192
PAGES_KEPT = 2048

Hit = TypeVar("Hit")
Text = tuple[int, str]  # an article's id and content hash
Groups = tuple[tuple[int, ...], ...]  # positions on the page: each card's first, then its copies

_signatures: ProcessLRU[frozenset[int]] = ProcessLRU(size=SIGNATURES_KEPT)
_pages: ProcessLRU[Groups] = ProcessLRU(size=PAGES_KEPT)


def collapse(
    hits: Sequence[Hit],
    *,
    text: Callable[[Hit], Text],
    bodies: Callable[[list[Text]], list[str]],
    threshold: float = NEAR_DUPLICATE_THRESHOLD,
) -> list[tuple[Hit, list[Hit]]]:
    """``hits`` (best first) as (card, near-identical hits under it): each hit joins the first
    earlier card it is near-identical to, or becomes a card; cards keep their rank order.
    ``bodies`` reads the bodies of texts whose shingle set is not kept."""
    texts = [text(hit) for hit in hits]
    groups = _pages.get(
        (tuple(texts), threshold), lambda: _grouped(texts, bodies=bodies, threshold=threshold)
    )
    return [(hits[card], [hits[n] for n in copies]) for card, *copies in groups]


def _grouped(
    texts: list[Text], *, bodies: Callable[[list[Text]], list[str]], threshold: float
) -> Groups:
    signatures = _signatures.get_many(
        texts, lambda missing: [shingles(body) for body in bodies(missing)]
    )
    groups: list[tuple[frozenset[int], list[int]]] = []
    for n, mine in enumerate(signatures):
        for theirs, members in groups:
            smaller, larger = sorted((len(mine), len(theirs)))
            if smaller < threshold * larger:
                continue  # their Jaccard similarity is at most smaller / larger
            if jaccard(mine, theirs) >= threshold:
                members.append(n)
                break
        else:
            groups.append((mine, [n]))
    return tuple(tuple(members) for _signature, members in groups)
