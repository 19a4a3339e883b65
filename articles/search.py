"""Search: one page of results for the URL's state, with its count, facets and snippets.

Views and the API call ``parse_params`` then ``run_search``; the reading page calls ``hit_spans``.
The query is parsed once (``articles.search_query``) into the project's tree with the Arabic
analyzer applied, actor aliases expanded, and sent with the URL's filters as one
``SearchRequest`` to the configured engine (``articles.engines.get_backend``): this module
imports no engine. Database rows are fetched for the page only. The URL's parameters are
``articles.search_params``, the facet rows ``articles.search_facets``, the API's JSON
``articles.search_payload``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from articles import index_fields
from articles.actor_queries import ActorOffer, actor_offers
from articles.collapsing import collapse
from articles.engines import get_backend
from articles.engines.base import Histogram, MatchAll, QueryTooBroad, SearchRequest, SearchResult
from articles.process_cache import ProcessLRU
from articles.query_marks import QueryTerms
from articles.search_facets import FacetGroup, FacetValue, facet_groups
from articles.search_params import SearchInputError, SearchParams, parse_params
from articles.search_payload import api_payload, article_paths
from articles.search_query import (
    ParsedQuery,
    counted_interval,
    filters,
    histogram_interval,
    hits_for_query,
    parse_query,
    query_terms,
    rolled_up,
)
from articles.search_snippets import SNIPPET_CHARS, hit_spans, snippet
from articles.selectors import ResultArticle, article_bodies, result_articles

__all__ = [
    "SNIPPET_CHARS",
    "FacetGroup",
    "FacetValue",
    "SearchHit",
    "SearchInputError",
    "SearchPage",
    "SearchParams",
    "api_payload",
    "article_paths",
    "filters",
    "hit_spans",
    "counted_interval",
    "histogram_interval",
    "hits_for_query",
    "parse_params",
    "parse_query",
    "query_terms",
    "result_ids",
    "run_search",
    "snippet",
]

PER_PAGE = 20
MAX_PREFIX_TERMS = 2000  # index terms one word* may expand to
QUERY_BUDGET_S = 0.8  # matching and ranking; past it the query is refused as too broad


def _too_broad() -> SearchInputError:
    return SearchInputError(
        _("The query is too broad to answer quickly: add letters before the * or more words.")
    )


def _run(params: SearchParams, parsed: ParsedQuery | None, **request: object) -> SearchResult:
    """One engine request for this state; the query's bounds are refused as SearchInputError."""
    sort = params.effective_sort
    try:
        return get_backend().search(
            SearchRequest(
                query=parsed.query if parsed else MatchAll(),
                filters=filters(params),
                boosts=parsed.boosts if parsed else (),
                sort=sort,
                budget_s=QUERY_BUDGET_S,
                max_prefix_terms=MAX_PREFIX_TERMS,
                **request,
            )
        )
    except QueryTooBroad as exc:
        raise _too_broad() from exc


@dataclass
class SearchHit:
    article: ResultArticle
    actors: list[str]
    snippet: SafeString
    duplicates: list[ResultArticle] = field(default_factory=list)  # near-identical, collapsed


@dataclass
class SearchPage:
    params: SearchParams
    count: int
    hits: list[SearchHit]
    facet_groups: list[FacetGroup] = field(default_factory=list)
    # (period, count) in time order: by day, month or year as the page's timeline draws the
    # range (``histogram_interval``), and by month (the API's ``facets.histogram``)
    histogram: list[tuple[str, int]] = field(default_factory=list)
    monthly: list[tuple[str, int]] = field(default_factory=list)
    interval: str = "month"
    actor_suggestions: list[ActorOffer] = field(default_factory=list)

    def facet(self, name: str) -> list[FacetValue]:
        return next((g.values for g in self.facet_groups if g.name == name), [])

    @property
    def actors(self) -> list[FacetValue]:
        return self.facet("actors")

    @property
    def sources(self) -> list[FacetValue]:
        return self.facet("source")

    @property
    def years(self) -> list[FacetValue]:
        return self.facet("year")

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / PER_PAGE))

    @property
    def previous_url(self) -> str | None:
        return self.params.url(page=self.params.page - 1) if self.params.page > 1 else None

    @property
    def next_url(self) -> str | None:
        page = self.params.page
        return self.params.url(page=page + 1) if page < self.num_pages else None


def _parsed(params: SearchParams) -> ParsedQuery | None:
    return parse_query(params.q) if params.q else None


def result_ids(*, params: SearchParams, limit: int | None = None) -> tuple[int, list[int]]:
    """The count and the article ids of a whole result set in page order, up to ``limit``
    (exports, feeds, KWIC take exactly what the search page lists). Raises SearchInputError."""
    parsed = _parsed(params)
    total = _run(params, parsed, limit=0).total
    wanted = total if limit is None else min(limit, total)
    if not wanted:
        return total, []
    return total, [hit.id for hit in _run(params, parsed, limit=wanted).hits]


def run_search(params: SearchParams) -> SearchPage:
    """One page of results with the exact count, facets and histogram; raises SearchInputError."""
    parsed = _parsed(params)
    result = _run(
        params,
        parsed,
        offset=(params.page - 1) * PER_PAGE,
        limit=PER_PAGE,
        facets=index_fields.FACET_NAMES,
        histogram=Histogram("published_on", counted_interval(params)),
    )
    interval = histogram_interval(params)
    return SearchPage(
        params=params,
        count=result.total,
        hits=_page_hits(
            [hit.id for hit in result.hits], terms=parsed.terms if parsed else QueryTerms()
        ),
        facet_groups=facet_groups(params, _or_group_counts(params, parsed, result.facets)),
        histogram=result.histogram
        if interval == "day"
        else rolled_up(result.histogram, interval=interval),
        monthly=rolled_up(result.histogram, interval="month"),
        interval=interval,
        actor_suggestions=_actor_suggestions(params, parsed),
    )


def _or_group_counts(params: SearchParams, parsed, counts: dict) -> dict:
    """An OR-ed group (outlets; actors in "any" mode) is counted without its own filter, so
    each value says how many articles choosing it would bring."""
    open_groups = {"source": replace(params, sources=())} if params.sources else {}
    if params.actors and params.actor_mode == "any":
        open_groups["actors"] = replace(params, actors=())
    return counts | {
        name: _run(without, parsed, limit=0, facets=(name,)).facets.get(name, {})
        for name, without in open_groups.items()
    }


def _actor_suggestions(params: SearchParams, parsed: ParsedQuery | None) -> list[ActorOffer]:
    """The actors the words name, offered as filters counted under the other filters."""
    if not parsed or not parsed.actors:
        return []
    wanted = [slug for slug in parsed.actors if slug not in params.actors]
    counts = (
        _run(params, None, limit=0, facets=("actors",)).facets.get("actors", {}) if wanted else {}
    )
    return actor_offers(params, parsed.actors, count_for=lambda slug: counts.get(slug, 0))


def _page_hits(pks: list[int], *, terms: QueryTerms) -> list[SearchHit]:
    """Database rows for the page only, in ranking order, with their snippets and actors; a
    near-identical article collapses under the first of its story (``articles.collapsing``) and
    gets no snippet (its card shows the first's). Bodies are read only for the snippets and
    shingle sets not kept from an earlier page."""
    found = result_articles(article_ids=pks)  # a deleted one is left out: index update queued
    read: dict[int, str] = {}

    def bodies(texts: list[tuple[int, str]]) -> list[str]:
        wanted = [pk for pk, _hash in texts if pk not in read]
        if wanted:
            read.update(article_bodies(ids=wanted))
        return [read.get(pk, "") for pk, _hash in texts]

    cards = collapse(found, text=lambda article: (article.pk, article.content_hash), bodies=bodies)
    marked = _snippets.get_many(
        [(card.pk, card.content_hash, terms) for card, _copies in cards],
        lambda missing: [
            snippet(body, terms=terms) for body in bodies([key[:2] for key in missing])
        ],
    )
    return [
        SearchHit(article=card, actors=card.actors, snippet=text, duplicates=copies)
        for (card, copies), text in zip(cards, marked, strict=True)
    ]


SNIPPETS_KEPT = 4096
# The snippet of each article for each query's terms, by id and content hash (an edited body gets
# a new one): a results page seen again, or its next page's overlap, is not marked again.
_snippets: ProcessLRU[SafeString] = ProcessLRU(size=SNIPPETS_KEPT)
