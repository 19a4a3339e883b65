"""The JSON body of ``/api/search/``: results, facets, histogram and actor offers of one page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.urls import reverse

if TYPE_CHECKING:
    from articles.search import SearchHit, SearchPage

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
    """The JSON body of /api/search/ (``build_url`` makes a path absolute): ``facets.histogram``
    counts by month; ``timeline`` is the page's series (by day, month or year as the range
    demands)."""
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
    facets["histogram"] = [{"period": period, "count": n} for period, n in page.monthly]
    paths = article_paths()
    return {
        "count": page.count,
        "results": [_result(hit, build_url=build_url, path_of=paths) for hit in page.hits],
        "facets": facets,
        "timeline": {
            "interval": page.interval,
            "periods": [{"period": period, "count": n} for period, n in page.histogram],
        },
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
