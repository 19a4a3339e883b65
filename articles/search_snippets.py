"""Arabic-aware snippets and hit marks for search results and the reading page.

Every matched form of a query's words is marked on whole words (``articles.query_marks``); the
snippet is the stretch of about ``chars`` characters with the most distinct query terms.
"""

from __future__ import annotations

from collections import Counter

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.highlight import HitSpan, render_snippet
from articles.query_marks import QueryTerms, find_hits

SNIPPET_CHARS = 240


def _lead(body: str, *, chars: int) -> SafeString:
    if len(body) <= chars:
        return mark_safe(escape(body))  # noqa: S308 - escaped
    cut = body.rfind(" ", 0, chars)
    return mark_safe(escape(body[: cut if cut > 0 else chars]) + " …")  # noqa: S308 - escaped


def _hits(body: str, *, terms: QueryTerms) -> list[tuple[int, int, str]]:
    """(start, end, query part) of every word and phrase of ``body`` the query marks, in order."""
    return find_hits(body, terms=terms)


def hit_spans(body: str, *, terms: QueryTerms) -> list[HitSpan]:
    """Every word of ``body`` that the query matched (any clitic or spelling form), whole words."""
    return [HitSpan(start, end) for start, end, _key in _hits(body, terms=terms)] if terms else []


def _best_window(hits: list[tuple[int, int, str]], *, chars: int) -> int:
    """Index of the hit that opens the ``chars`` stretch with the most distinct query terms (then
    the most hits): one sliding window over the hits, linear however long the article is."""
    best, best_score = 0, (0, 0)
    keys: Counter[str] = Counter()
    stop = 0
    for n, (first, _end, _key) in enumerate(hits):
        while stop < len(hits) and hits[stop][1] - first <= chars:
            keys[hits[stop][2]] += 1
            stop += 1
        score = (len(keys), stop - n)
        if score > best_score:
            best, best_score = n, score
        if stop > n:
            keys[hits[n][2]] -= 1
            if not keys[hits[n][2]]:
                del keys[hits[n][2]]
        else:
            stop = n + 1
    return best


def snippet(body: str, *, terms: QueryTerms, chars: int = SNIPPET_CHARS) -> SafeString:
    """About ``chars`` characters around the stretch with the most distinct query terms (then the
    most hits), every matched form marked on whole words."""
    hits = _hits(body, terms=terms) if terms else []
    if not hits:
        return _lead(body, chars=chars)
    best = _best_window(hits, chars=chars)
    first = hits[best][0]
    if first <= chars // 6:  # some words of context before the first hit, cut at a space
        start = 0
    else:
        space = body.rfind(" ", 0, first - chars // 6)
        start = space + 1 if space >= 0 and first - space <= chars // 3 else first
    end = len(body) if start + chars >= len(body) else body.rfind(" ", first, start + chars)
    end = max(end, hits[best][1])
    spans = [HitSpan(s, e) for s, e, _key in hits if start <= s and e <= end]
    html = render_snippet(body[start:end], offset=start, hits=spans)
    prefix = "… " if start else ""
    suffix = " …" if end < len(body) else ""
    return mark_safe(prefix + html + suffix)  # noqa: S308 - render_snippet escapes the text
