"""Reads behind the timelines and the actor network: articles per period, co-mentions in a set."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from django.db.models import Count, F, Max, Min, QuerySet
from django.db.models.functions import TruncMonth, TruncYear

from articles.models import Article, Entity, Mention
from articles.timeline import interval_for, period_key

ID_CHUNK = 500  # article ids per query (SQLite bounds the number of parameters)


def dated_bounds(*, articles: QuerySet[Article]) -> tuple[datetime.date, datetime.date] | None:
    """The first and last publication date among ``articles``; None when none is dated."""
    bounds = articles.aggregate(first=Min("published_on"), last=Max("published_on"))
    return (bounds["first"], bounds["last"]) if bounds["first"] else None


def publication_histogram(
    *, articles: QuerySet[Article], interval: str | None = None
) -> list[tuple[str, int]]:
    """Dated ``articles`` per period, ``[("2024-03", 5), …]`` in time order (periods with none
    left out); the interval follows the dates' range unless given."""
    if interval is None:
        bounds = dated_bounds(articles=articles)
        if bounds is None:
            return []
        interval = interval_for(first=bounds[0], last=bounds[1])
    period = {"day": F("published_on"), "month": TruncMonth("published_on")}.get(
        interval, TruncYear("published_on")
    )
    rows = (
        articles.exclude(published_on=None)
        .order_by()
        .values(period=period)
        .annotate(count=Count("pk", distinct=True))
    )
    return sorted((period_key(row["period"], interval=interval), row["count"]) for row in rows)


def articles_naming(*, entity: Entity) -> QuerySet[Article]:
    return Article.objects.filter(mentions__entity=entity)


def compared_histograms(*, entities: Sequence[Entity]) -> list[tuple[str, str, list]]:
    """``(slug, name, histogram)`` per actor, all in the interval their joint range demands."""
    spans = [dated_bounds(articles=articles_naming(entity=e)) for e in entities]
    spans = [s for s in spans if s]
    if not spans:
        return [(e.slug, e.name_ar, []) for e in entities]
    interval = interval_for(first=min(s[0] for s in spans), last=max(s[1] for s in spans))
    return [
        (
            e.slug,
            e.name_ar,
            publication_histogram(articles=articles_naming(entity=e), interval=interval),
        )
        for e in entities
    ]


@dataclass(frozen=True)
class CoMentions:
    """Actors of a set of articles (articles naming each) and the pairs named together."""

    actors: dict[int, int]  # entity id -> articles
    pairs: dict[tuple[int, int], int]  # (smaller id, larger id) -> articles naming both


def co_mentions(*, article_ids: Sequence[int]) -> CoMentions:
    """Who is named in these articles and who beside whom, read in chunks of ids."""
    actors: Counter[int] = Counter()
    pairs: Counter[tuple[int, int]] = Counter()
    for start in range(0, len(article_ids), ID_CHUNK):
        named: dict[int, set[int]] = {}
        rows = (
            Mention.objects.filter(article_id__in=article_ids[start : start + ID_CHUNK])
            .order_by()
            .values_list("article_id", "entity_id")
            .distinct()
        )
        for article_id, entity_id in rows:
            named.setdefault(article_id, set()).add(entity_id)
        for entity_ids in named.values():
            actors.update(entity_ids)
            pairs.update(combinations(sorted(entity_ids), 2))
    return CoMentions(actors=dict(actors), pairs=dict(pairs))


def entities_by_id(*, ids: Sequence[int]) -> dict[int, Entity]:
    return Entity.objects.in_bulk(list(ids))
