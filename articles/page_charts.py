"""The charts each page draws, built from the reads and the layouts: a listing's timeline, a
result set's timeline and actor network, actors compared, an actor's co-mentions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse

from articles import actor_selectors, selectors
from articles.models import Article, Entity
from articles.network import Network, actor_network, most_named
from articles.search import SearchParams, result_ids
from articles.timeline import BarChart, bar_chart, is_rtl
from articles.timeline_compare import LineChart, line_chart
from articles.timeline_selectors import (
    articles_naming,
    co_mentions,
    compared_histograms,
    entities_by_id,
    publication_histogram,
)

MIN_COMPARED = 2
MAX_COMPARED = 5


def listing_timeline(
    *, articles: QuerySet[Article], params: SearchParams, page_url: str
) -> BarChart | None:
    """Articles per period of a listing narrowed by ``params``'s dates; a bar (or a dragged
    range) narrows the same page to its dates."""
    narrowed = selectors.articles_between(
        articles, date_from=params.date_from, date_to=params.date_to
    )
    return bar_chart(
        histogram=publication_histogram(articles=narrowed),
        url_for=lambda first, last: page_url + SearchParams(date_from=first, date_to=last).url(),
        range_url=page_url,
    )


def corpus_timeline() -> BarChart | None:
    """The whole corpus per period (the home page); a bar opens the search of its dates."""
    search = reverse("articles:search")
    return bar_chart(
        histogram=publication_histogram(articles=Article.objects.all()),
        url_for=lambda first, last: search + SearchParams(date_from=first, date_to=last).url(),
        range_url=search,
    )


def actor_timeline(*, entity: Entity, params: SearchParams) -> BarChart | None:
    return listing_timeline(
        articles=articles_naming(entity=entity), params=params, page_url=entity.get_absolute_url()
    )


def results_timeline(*, histogram: Sequence[tuple[str, int]], params: SearchParams):
    """A result set's histogram; a bar narrows the search to its period, other filters kept."""
    return bar_chart(
        histogram=histogram,
        url_for=lambda first, last: params.url(date_from=first, date_to=last),
        range_url=params.url(date_from=None, date_to=None),
    )


def search_url(*, actors: Sequence[str], params: SearchParams | None = None) -> str:
    """The search for articles naming all of ``actors`` (added to ``params``'s state)."""
    base = params or SearchParams()
    return reverse("articles:search") + base.url(
        actors=tuple(dict.fromkeys((*base.actors, *actors)))
    )


def results_network(*, params: SearchParams) -> Network:
    """Actors of the whole result set and their co-mentions; a node or an edge opens the
    search with that actor (or pair) added."""
    total, ids = result_ids(params=params)
    found = co_mentions(article_ids=ids)
    return actor_network(
        co_mentions=found,
        entities=entities_by_id(ids=[pk for pk, _n in most_named(found)]),
        articles=total,
        node_url=lambda slug: search_url(actors=[slug], params=params),
        edge_url=lambda a, b: search_url(actors=[a, b], params=params),
        rtl=is_rtl(),
    )


@dataclass(frozen=True)
class CoMentionBar:
    entity: Entity
    count: int
    percent: float
    url: str


def co_mention_bars(*, entity: Entity) -> list[CoMentionBar]:
    """The actors most often named beside ``entity``; each bar opens the search naming both."""
    others = actor_selectors.co_mentioned_actors(entity=entity)
    most = max((o.shared_articles for o in others), default=1)
    return [
        CoMentionBar(
            entity=other,
            count=other.shared_articles,
            percent=round(100 * other.shared_articles / most, 1),
            url=search_url(actors=[entity.slug, other.slug]),
        )
        for other in others
    ]


def comparison(*, entities: Sequence[Entity]) -> LineChart | None:
    return line_chart(series=compared_histograms(entities=entities))


def compare_url(*, slugs: Sequence[str]) -> str:
    return reverse("articles:actor_compare") + SearchParams(actors=tuple(slugs)).url()
