"""Keyword in context: every occurrence of a query's words, or of an actor, with what surrounds it.

The articles are exactly the search's result set for the same parameters, in its order. A query's
occurrences are found by the search's own matcher (``articles.search.hit_spans``: one analyzer, so
والرئيس and للرئيس are occurrences of الرئيس); an actor's are its stored Mentions. Each line links
to the reading page at that spot (``#h-<start>`` / ``#m-<start>``, the ids the reading page gives
its marks). Occurrences are collected up to a cap, and the collected list is cached per corpus
version, so paging through it does not scan the articles again.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.cache import cache
from django.urls import reverse

from articles import actor_selectors, search
from articles.models import Article, Mention
from articles.search import SearchParams, hit_spans, parse_query

MAX_LINES = 2000
PER_PAGE = 50
CONTEXT_CHARS = 90
CHUNK = 200
CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class Line:
    """One occurrence: the text before it, the words themselves, the text after, and its article."""

    article_id: int
    start: int
    before: str
    keyword: str
    after: str
    anchor: str  # "h-<start>" or "m-<start>"


@dataclass(frozen=True)
class Row:
    """A line of the page, with its article (outlet, date) and the link to the spot."""

    line: Line
    article: Article
    url: str


@dataclass(frozen=True)
class Concordance:
    """How many occurrences a search has (up to MAX_LINES) and one page of them."""

    params: SearchParams
    count: int
    capped: bool  # there were more than `cap` occurrences; only the first `cap` are kept
    cap: int
    rows: list[Row]

    @property
    def number(self) -> int:
        return self.params.page

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / PER_PAGE))

    @property
    def previous_url(self) -> str | None:
        page = self.params.page
        return self.params.url(page=page - 1) if page > 1 else None

    @property
    def next_url(self) -> str | None:
        page = self.params.page
        return self.params.url(page=page + 1) if page < self.num_pages else None


def _flat(text: str) -> str:
    return " ".join(text.split())


def context(body: str, *, start: int, end: int, chars: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """(before, keyword, after) around body[start:end], each side cut at a whole word."""
    left = max(0, start - chars)
    before = body[left:start]
    if left > 0 and " " in before:
        before = before[before.index(" ") + 1 :]
    right = min(len(body), end + chars)
    after = body[end:right]
    if right < len(body) and " " in after:
        after = after[: after.rindex(" ")]
    return _flat(before), _flat(body[start:end]), _flat(after)


def _lines_in(
    article_id: int, body: str, spans: list[tuple[int, int]], prefix: str
) -> Iterator[Line]:
    for start, end in spans:
        before, keyword, after = context(body, start=start, end=end)
        yield Line(article_id, start, before, keyword, after, f"{prefix}-{start}")


def _occurrences(params: SearchParams, ids: list[int]) -> Iterator[Line]:
    """Occurrences in result order: the query's words if there is a query, else the actors'."""
    terms = parse_query(params.q).terms if params.q else None
    if terms is not None and not terms:  # only NOT parts: nothing to show, no body to read
        return
    for first in range(0, len(ids), CHUNK):
        chunk = ids[first : first + CHUNK]
        bodies = dict(Article.objects.filter(pk__in=chunk).values_list("pk", "body"))
        mentions: dict[int, list[tuple[int, int]]] = {}
        if terms is None:
            rows = Mention.objects.filter(
                article_id__in=chunk, entity__slug__in=params.actors, field=Mention.Field.BODY
            )
            for article_id, start, end in rows.order_by("start").values_list(
                "article_id", "start", "end"
            ):
                mentions.setdefault(article_id, []).append((start, end))
        for pk in chunk:
            body = bodies.get(pk)
            if body is None:
                continue
            if terms is not None:
                spans = [(h.start, h.end) for h in hit_spans(body, terms=terms)]
                yield from _lines_in(pk, body, spans, "h")
            else:
                yield from _lines_in(pk, body, mentions.get(pk, []), "m")


def _cache_key(params: SearchParams) -> str:
    state = f"{params.query_items(page=1)!r}{MAX_LINES}{actor_selectors.actors_data_version()}"
    return "marsad:kwic:" + hashlib.sha256(state.encode()).hexdigest()


def _collect(params: SearchParams) -> tuple[list[Line], bool]:
    """Up to MAX_LINES occurrences, and whether there were more; cached per corpus version."""
    key = _cache_key(params)
    found = cache.get(key)
    if found is None:
        _total, ids = search.result_ids(params=params)
        lines = list(itertools.islice(_occurrences(params, ids), MAX_LINES + 1))
        found = (lines[:MAX_LINES], len(lines) > MAX_LINES)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _line_url(line: Line, *, q: str) -> str:
    """The reading page scrolled to the occurrence, with the query's words marked."""
    url = reverse("articles:article_detail", kwargs={"pk": line.article_id})
    return f"{url}{'?' + urlencode({'q': q}) if q else ''}#{line.anchor}"


def concordance(*, params: SearchParams) -> Concordance:
    """The occurrences for a query (`q`) or, without one, for the actors (`actor`), within the
    search's result set; raises SearchInputError for a bad query. Needs `q` or `actor`."""
    lines, capped = _collect(params)
    start = (params.page - 1) * PER_PAGE
    shown = lines[start : start + PER_PAGE]
    articles = (
        Article.objects.select_related("source")
        .defer("body", "original")
        .in_bulk({line.article_id for line in shown})
    )
    rows = [
        Row(line=line, article=articles[line.article_id], url=_line_url(line, q=params.q))
        for line in shown
        if line.article_id in articles
    ]
    return Concordance(params=params, count=len(lines), capped=capped, cap=MAX_LINES, rows=rows)
