"""The query: the user's words parsed once into the engine's tree, and the URL's filters.

``parse_query`` applies the query language (``articles.query_language``, the Arabic analyzer
inside), the synonyms and the actor aliases; ``filters`` turns the URL's state into the engine
request's filters.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from articles import query_language
from articles.actor_queries import expand_actor_aliases, expand_synonyms
from articles.engines.base import AllOf, AnyOf, DateRange, Node
from articles.highlight import HitSpan
from articles.query_marks import QueryTerms, positive_terms
from articles.search_params import MAX_QUERY_CHARS, SearchInputError, SearchParams
from articles.search_snippets import hit_spans


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


def counted_interval(params: SearchParams) -> str:
    """The interval the engine counts a search in: days where the page draws days, else months
    (the API's ``facets.histogram`` is monthly; the page's years are summed from the months)."""
    return "day" if histogram_interval(params) == "day" else "month"


def rolled_up(histogram: list[tuple[str, int]], *, interval: str) -> list[tuple[str, int]]:
    """``(period, count)`` summed into months or years (``interval``), in time order."""
    width = {"month": 7, "year": 4}[interval]
    sums: dict[str, int] = {}
    for period, count in histogram:
        sums[period[:width]] = sums.get(period[:width], 0) + count
    return sorted(sums.items())
