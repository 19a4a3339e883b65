"""Search: URL parameters, the query tree, the engine request, facets and snippets.

Views and the API call ``parse_params`` then ``run_search``; the reading page calls ``hit_spans``.
The query is parsed once (``articles.query_language``) into the project's tree with the Arabic
analyzer applied, actor aliases expanded, and sent with the URL's filters as one
``SearchRequest`` to the configured engine (``articles.engines.get_backend``): this module
imports no engine. Database rows are fetched for the page only.
"""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from articles import index_fields, query_language
from articles.actor_queries import (
    ActorOffer,
    actor_names,
    actor_offers,
    expand_actor_aliases,
    expand_synonyms,
)
from articles.collapsing import collapse
from articles.engines import get_backend
from articles.engines.base import (
    AllOf,
    AnyOf,
    DateRange,
    Histogram,
    MatchAll,
    Node,
    QueryTooBroad,
    SearchRequest,
    SearchResult,
)
from articles.highlight import HitSpan
from articles.models import Entity, Source
from articles.process_cache import ProcessLRU
from articles.query_marks import QueryTerms, positive_terms
from articles.search_snippets import SNIPPET_CHARS, hit_spans, snippet
from articles.selectors import ResultArticle, article_bodies, result_articles

__all__ = [
    "SNIPPET_CHARS",
    "SearchInputError",
    "SearchPage",
    "SearchParams",
    "api_payload",
    "hit_spans",
    "hits_for_query",
    "parse_params",
    "parse_query",
    "query_terms",
    "result_ids",
    "run_search",
    "snippet",
]

PER_PAGE = 20
MAX_QUERY_CHARS = 500
MIN_PREFIX_CHARS = query_language.MIN_PREFIX_CHARS
MAX_PREFIX_TERMS = 2000  # index terms one word* may expand to
QUERY_BUDGET_S = 0.8  # matching and ranking; past it the query is refused as too broad
ACTOR_FACET_SIZE = 25
SORTS = ("relevance", "date")
ACTOR_MODES = ("all", "any")


class SearchInputError(ValueError):
    """A parameter or query the user can fix; the message is a translatable English msgid."""

    def __init__(self, message, **values: object) -> None:
        super().__init__(message)
        self.message = message
        self.values = values

    def text(self, *, language: str | None = None) -> str:
        if language is None:
            return str(self.message) % self.values
        with translation.override(language):
            return str(self.message) % self.values

    def bilingual(self) -> str:
        """Arabic and English in one line, for the JSON API."""
        return f"{self.text(language='ar')} / {self.text(language='en')}"


@dataclass(frozen=True)
class SearchParams:
    """The whole state of a search, as it is in the URL."""

    q: str = ""
    actors: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # outlets, OR-ed
    actor_mode: str = "all"  # "all": articles naming every actor; "any": at least one
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    event_from: datetime.date | None = None  # articles that talk about a day in this range
    event_to: datetime.date | None = None
    sort: str = "relevance"
    page: int = 1

    @property
    def effective_sort(self) -> str:
        """Browsing without words has nothing to rank by relevance: newest first."""
        return self.sort if self.q else "date"

    def query_items(self, **changes: object) -> list[tuple[str, str]]:
        """URL parameters for this state with ``changes`` applied (page 1 unless given)."""
        state = {
            "q": self.q,
            "actors": self.actors,
            "sources": self.sources,
            "actor_mode": self.actor_mode,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "event_from": self.event_from,
            "event_to": self.event_to,
            "sort": self.sort,
            "page": 1,
        } | changes
        items: list[tuple[str, str]] = []
        if state["q"]:
            items.append(("q", state["q"]))
        items += [("actor", slug) for slug in state["actors"]]
        if state["actors"] and state["actor_mode"] != "all":
            items.append(("actor_mode", state["actor_mode"]))
        items += [("source", slug) for slug in state["sources"]]
        if state["date_from"]:
            items.append(("from", state["date_from"].isoformat()))
        if state["date_to"]:
            items.append(("to", state["date_to"].isoformat()))
        if state["event_from"]:
            items.append(("event_from", state["event_from"].isoformat()))
        if state["event_to"]:
            items.append(("event_to", state["event_to"].isoformat()))
        if state["sort"] != "relevance":
            items.append(("sort", state["sort"]))
        if state["page"] != 1:
            items.append(("page", str(state["page"])))
        return items

    def url(self, **changes: object) -> str:
        items = self.query_items(**changes)
        return "?" + "&".join(_encoded(key, value) for key, value in items) if items else "?"


@functools.lru_cache(maxsize=4096)
def _encoded(key: str, value: str) -> str:
    """One ``key=value`` of a query string, as ``urlencode`` writes it (a page's facet, pager and
    timeline links repeat the same words: they are encoded once)."""
    return urlencode([(key, value)])


def _date_param(value: str, *, name: str) -> datetime.date | None:
    if not value:
        return None
    try:
        if len(value) == 10:
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    raise SearchInputError(
        _("The date “%(value)s” for “%(name)s” is not a date of the form YYYY-MM-DD."),
        value=value,
        name=name,
    )


def _slugs(data: Mapping, *, name: str, model, unknown) -> tuple[str, ...]:
    """The URL's distinct ``name`` values, each the slug of a ``model`` row (else the ``unknown``
    message); no query when there are none."""
    slugs = tuple(dict.fromkeys(v.strip() for v in data.getlist(name) if v.strip()))
    known = (
        set(model.objects.filter(slug__in=slugs).values_list("slug", flat=True)) if slugs else set()
    )
    for slug in slugs:
        if slug not in known:
            raise SearchInputError(unknown, value=slug)
    return slugs


def parse_params(data: Mapping) -> SearchParams:
    """Read and check the URL parameters (a QueryDict); raises SearchInputError."""
    q = " ".join(data.get("q", "").split())
    if len(q) > MAX_QUERY_CHARS:
        raise SearchInputError(
            _("The query is too long (at most %(limit)s characters)."), limit=MAX_QUERY_CHARS
        )
    sort = data.get("sort", "") or "relevance"
    if sort not in SORTS:
        raise SearchInputError(
            _("Unknown sort order “%(value)s”: use relevance or date."), value=sort
        )
    raw_page = data.get("page", "") or "1"
    if not raw_page.isascii() or not raw_page.isdigit() or int(raw_page) < 1:
        raise SearchInputError(
            _("The page “%(value)s” is not a page number (1, 2, 3 …)."), value=raw_page
        )
    date_from = _date_param(data.get("from", "").strip(), name="from")
    date_to = _date_param(data.get("to", "").strip(), name="to")
    if date_from and date_to and date_from > date_to:
        raise SearchInputError(_("The start date is after the end date."))
    event_from = _date_param(data.get("event_from", "").strip(), name="event_from")
    event_to = _date_param(data.get("event_to", "").strip(), name="event_to")
    if event_from and event_to and event_from > event_to:
        raise SearchInputError(_("The start date is after the end date."))
    actors = _slugs(data, name="actor", model=Entity, unknown=_("There is no actor “%(value)s”."))
    actor_mode = data.get("actor_mode", "") or "all"
    if actor_mode not in ACTOR_MODES:
        raise SearchInputError(
            _("Unknown actor mode “%(value)s”: use all or any."), value=actor_mode
        )
    sources = _slugs(
        data, name="source", model=Source, unknown=_("There is no outlet “%(value)s”.")
    )
    return SearchParams(
        q=q,
        actors=actors,
        sources=sources,
        actor_mode=actor_mode,
        date_from=date_from,
        date_to=date_to,
        event_from=event_from,
        event_to=event_to,
        sort=sort,
        page=int(raw_page),
    )


# --- the query ----------------------------------------------------------------------------------


def _too_broad() -> SearchInputError:
    return SearchInputError(
        _("The query is too broad to answer quickly: add letters before the * or more words.")
    )


@dataclass(frozen=True)
class ParsedQuery:
    query: Node
    terms: QueryTerms
    actors: tuple[str, ...] = ()  # actors the query names by an alias, outside NOT parts

    @property
    def boosts(self) -> tuple[AnyOf, ...]:
        """Ranking boosts: the articles the matcher attributes to an actor the query names
        rank above those that only share the letters of a name (a namesake)."""
        return tuple(AnyOf("actors", (slug,)) for slug in self.actors)


def parse_query(text: str) -> ParsedQuery:
    """The query tree for the user's words; raises SearchInputError when it cannot be searched."""
    try:
        tree = query_language.parse(text)
    except query_language.QuerySyntaxError as exc:
        raise SearchInputError(exc.message, **exc.values) from exc
    if tree is None:
        raise SearchInputError(
            _("The query has no words to search for (only very common words or signs).")
        )
    # prefixes are checked long enough by the parser
    expanded = expand_actor_aliases(expand_synonyms(tree))
    terms = positive_terms(expanded.marks)
    return ParsedQuery(query=expanded.query, terms=terms, actors=expanded.actors)


def hits_for_query(body: str, *, q: str) -> list[HitSpan]:
    """What the reading page marks when opened from a search result (``?q=``)."""
    return hit_spans(body, terms=query_terms(q))


def query_terms(text: str) -> QueryTerms:
    """Terms to mark for ``?q=`` on the reading page; an unusable query marks nothing."""
    try:
        return parse_query(" ".join(text.split())[:MAX_QUERY_CHARS]).terms
    except SearchInputError:
        return QueryTerms()


# --- from the URL's state to one engine request ---------------------------------------------------


def filters(params: SearchParams) -> tuple:
    """The URL's filters: the chosen actors (all of them, AllOf, or any, AnyOf), any of the
    chosen outlets (AnyOf), the published range, the range of days the text talks about
    (``event_dates``)."""
    found: list = []
    if params.actors:
        group = AnyOf if params.actor_mode == "any" else AllOf
        found.append(group("actors", params.actors))
    if params.sources:
        found.append(AnyOf("source", params.sources))
    if params.date_from or params.date_to:
        found.append(DateRange("published_on", params.date_from, params.date_to))
    if params.event_from or params.event_to:
        found.append(DateRange("event_dates", params.event_from, params.event_to))
    return tuple(found)


def histogram_interval(params: SearchParams) -> str:
    """Days for a range up to three months, years past ten years, else months."""
    if params.date_from and params.date_to:
        days = (params.date_to - params.date_from).days
        if days <= 92:
            return "day"
        if days > 3660:
            return "year"
    return "month"


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


# --- running a search -------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetValue:
    key: str
    name: str
    count: int
    selected: bool
    url: str


@dataclass(frozen=True)
class FacetGroup:
    """One declared facet (``index_fields.KEYWORD_FIELDS``) with its rows for this page."""

    name: str
    label: str
    param: str
    payload_key: str
    value_key: str
    values: list[FacetValue]


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
    histogram: list[tuple[str, int]] = field(default_factory=list)  # (period, count), in order
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


def _toggled(chosen: tuple[str, ...], value: str) -> tuple[str, ...]:
    """``chosen`` with ``value`` taken out, or added at the end."""
    return tuple(v for v in chosen if v != value) if value in chosen else (*chosen, value)


def _actor_values(params: SearchParams, counts: dict[str, int]) -> list[FacetValue]:
    top = sorted(counts, key=lambda s: (-counts[s], s))[:ACTOR_FACET_SIZE]
    shown = list(dict.fromkeys([*params.actors, *top]))
    names = actor_names(shown)
    return [
        FacetValue(
            key=slug,
            name=names.get(slug, slug),
            count=counts.get(slug, 0),
            selected=slug in params.actors,
            url=params.url(actors=_toggled(params.actors, slug)),
        )
        for slug in shown
    ]


def _source_values(params: SearchParams, counts: dict[str, int]) -> list[FacetValue]:
    shown = sorted(counts, key=lambda s: (-counts[s], s))
    shown = list(dict.fromkeys([*params.sources, *shown]))
    names = dict(Source.objects.filter(slug__in=shown).values_list("slug", "name"))
    return [
        FacetValue(
            key=slug,
            name=names.get(slug, slug),
            count=counts.get(slug, 0),
            selected=slug in params.sources,
            url=params.url(sources=_toggled(params.sources, slug)),
        )
        for slug in shown
    ]


def _year_values(params: SearchParams, counts: dict[str, int]) -> list[FacetValue]:
    years = []
    for year in sorted(counts, reverse=True):
        first, last = datetime.date(int(year), 1, 1), datetime.date(int(year), 12, 31)
        selected = (params.date_from, params.date_to) == (first, last)
        years.append(
            FacetValue(
                key=year,
                name=year,
                count=counts[year],
                selected=selected,
                url=params.url(
                    date_from=None if selected else first, date_to=None if selected else last
                ),
            )
        )
    return years


# How each declared facet's rows are named and what choosing a row does to the URL's state.
FACET_ROWS = {"actors": _actor_values, "source": _source_values, "year": _year_values}


def _facet_groups(params: SearchParams, counts: dict[str, dict[str, int]]) -> list[FacetGroup]:
    return [
        FacetGroup(
            name=declared.name,
            label=str(declared.label),
            param=declared.param,
            payload_key=declared.payload_key,
            value_key=declared.value_key,
            values=FACET_ROWS[declared.name](params, counts.get(declared.name, {})),
        )
        for declared in index_fields.KEYWORD_FIELDS
        if declared.name in FACET_ROWS
    ]


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
        histogram=Histogram("published_on", histogram_interval(params)),
    )
    return SearchPage(
        params=params,
        count=result.total,
        hits=_page_hits(
            [hit.id for hit in result.hits], terms=parsed.terms if parsed else QueryTerms()
        ),
        facet_groups=_facet_groups(params, _or_group_counts(params, parsed, result.facets)),
        histogram=result.histogram,
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
    near-identical article collapses under the first of its story (``articles.collapsing``).
    Bodies are read only for the snippets and shingle sets not kept from an earlier page."""
    found = result_articles(article_ids=pks)  # a deleted one is left out: index update queued
    read: dict[int, str] = {}

    def bodies(texts: list[tuple[int, str]]) -> list[str]:
        wanted = [pk for pk, _hash in texts if pk not in read]
        if wanted:
            read.update(article_bodies(ids=wanted))
        return [read.get(pk, "") for pk, _hash in texts]

    marked = _snippets.get_many(
        [(article.pk, article.content_hash, terms) for article in found],
        lambda missing: [
            snippet(body, terms=terms) for body in bodies([key[:2] for key in missing])
        ],
    )
    snippets = {article.pk: text for article, text in zip(found, marked, strict=True)}
    return [
        SearchHit(article=card, actors=card.actors, snippet=snippets[card.pk], duplicates=copies)
        for card, copies in collapse(
            found, text=lambda article: (article.pk, article.content_hash), bodies=bodies
        )
    ]


SNIPPETS_KEPT = 4096
# The snippet of each article for each query's terms, by id and content hash (an edited body gets
# a new one): a results page seen again, or its next page's overlap, is not marked again.
_snippets: ProcessLRU[SafeString] = ProcessLRU(size=SNIPPETS_KEPT)


PATH_SAMPLE_PK = 918273645


def article_paths() -> Callable[[int], str]:
    """The reading page's path for an article id, from one ``reverse()`` (a page links 20 to 40
    articles)."""
    sample = reverse("articles:article_detail", kwargs={"pk": PATH_SAMPLE_PK})
    before, _sample, after = sample.rpartition(str(PATH_SAMPLE_PK))
    return lambda pk: f"{before}{pk}{after}"


def _result(hit: SearchHit, *, build_url, path_of) -> dict:
    """One result of /api/search/; a card that collapsed near-identical articles lists their ids
    in ``duplicates`` (the key is absent when nothing collapsed under it)."""
    article = hit.article
    found = {
        "id": article.pk,
        "title": article.title,
        "url": build_url(path_of(article.pk)),
        "source": article.source_slug,
        "published_on": article.published_on.isoformat() if article.published_on else None,
        "actors": hit.actors,
        "snippet": str(hit.snippet),
    }
    if hit.duplicates:
        found["duplicates"] = [other.pk for other in hit.duplicates]
    return found


def api_payload(page: SearchPage, *, build_url) -> dict:
    """The JSON body of /api/search/ (``build_url`` makes a path absolute)."""
    facets: dict = {}
    for group in page.facet_groups:
        if group.value_key == "year":
            facets[group.payload_key] = [
                {"year": int(v.key), "count": v.count} for v in group.values
            ]
        else:
            facets[group.payload_key] = [
                {group.value_key: v.key, "name": v.name, "count": v.count} for v in group.values
            ]
    facets["histogram"] = [{"period": period, "count": n} for period, n in page.histogram]
    paths = article_paths()
    return {
        "count": page.count,
        "results": [_result(hit, build_url=build_url, path_of=paths) for hit in page.hits],
        "facets": facets,
        "actor_suggestions": [
            {
                "slug": offer.slug,
                "name": offer.name,
                "count": offer.count,
                "url": build_url(reverse("articles:search") + offer.url),
                "api_url": build_url(reverse("articles:api_search") + offer.url),
            }
            for offer in page.actor_suggestions
        ],
    }
