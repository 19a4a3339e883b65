"""Atom feeds: the newest articles of a search (its own URL parameters) and of an actor.

Feeds carry text, never HTML: a summary is ``type="text"``, so a body holding ``<img onerror>``
is shown as those characters by every reader; and every string loses what XML 1.0 forbids.
A feed reader wants what is new, so a search feed is always ordered by date, newest first,
whatever `sort` says; every other parameter narrows it exactly as on the search page.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from articles import actor_selectors, saved_searches, search
from articles.models import Article, Entity, SavedSearch
from articles.safety import xml_text
from articles.search import SearchInputError, SearchParams, parse_params

FEED_ITEMS = 50
LEAD_CHARS = 400


def _lead(article: Article) -> str:
    body = " ".join(article.body.split())
    return body if len(body) <= LEAD_CHARS else body[:LEAD_CHARS].rsplit(" ", 1)[0] + " …"


def _midday(day: datetime.date | None) -> datetime.datetime | None:
    """Articles carry a day, feeds a moment: noon UTC, so the day is the same in every zone."""
    if day is None:
        return None
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def _xml_safe(value):
    """Strings (and lists of them) without the characters XML 1.0 forbids; the rest as it is."""
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, (list, tuple)):
        return [_xml_safe(v) for v in value]
    return value


class TextAtomFeed(Atom1Feed):
    """Atom with plain-text summaries and every field made XML-safe."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(_xml_safe, args), **{k: _xml_safe(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(_xml_safe, args), **{k: _xml_safe(v) for k, v in kwargs.items()})

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class ArticleFeed(Feed):
    """What both feeds share: Atom, one entry per article with its outlet, date and actors."""

    feed_type = TextAtomFeed

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return _lead(item)

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Article) -> datetime.datetime | None:
        return _midday(item.published_on)

    def item_updateddate(self, item: Article) -> datetime.datetime:
        return item.updated_at

    def item_author_name(self, item: Article) -> str | None:
        return item.source.name if item.source else None

    def item_categories(self, item: Article) -> list[str]:
        return sorted({m.entity.name_ar for m in item.mentions.all()})

    def _articles(self, ids: list[int]) -> list[Article]:
        found = (
            Article.objects.select_related("source")
            .prefetch_related("mentions__entity")
            .in_bulk(ids)
        )
        return [found[pk] for pk in ids if pk in found]


class SearchFeed(ArticleFeed):
    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return super().__call__(request, *args, **kwargs)
        except SearchInputError as exc:
            return HttpResponse(
                exc.bilingual(), status=400, content_type="text/plain; charset=utf-8"
            )

    def get_object(self, request: HttpRequest) -> SearchParams:
        return dataclasses.replace(parse_params(request.GET), sort="date", page=1)

    def title(self, params: SearchParams) -> str:
        if params.q:
            return _("Marsad: search “%(q)s”") % {"q": params.q}
        return _("Marsad: latest articles")

    def subtitle(self, params: SearchParams) -> str:
        return _("The newest articles matching this search, with their outlet and actors.")

    def link(self, params: SearchParams) -> str:
        return reverse("articles:search") + params.url()

    def feed_url(self, params: SearchParams) -> str:
        """The feed's own address keeps the search, so a reader can re-subscribe from it."""
        return reverse("articles:feed_search") + params.url(sort="relevance")

    def items(self, params: SearchParams) -> list[Article]:
        _total, ids = search.result_ids(params=params, limit=FEED_ITEMS)
        return self._articles(ids)


class SavedSearchFeed(ArticleFeed):
    """A saved search's newest articles. Feed readers cannot sign in, so the address carries the
    saved search's unguessable token (``?token=``); its signed-in owner may also read it."""

    def get_object(self, request: HttpRequest, pk: int) -> SavedSearch:
        saved = saved_searches.for_feed(
            pk=pk, token=request.GET.get("token", ""), user=getattr(request, "user", None)
        )
        if saved is None:
            raise Http404("No such saved search")
        return saved

    def title(self, saved: SavedSearch) -> str:
        return _("Marsad: %(name)s") % {"name": saved.name}

    def subtitle(self, saved: SavedSearch) -> str:
        return _("The newest articles matching this saved search.")

    def link(self, saved: SavedSearch) -> str:
        return reverse("articles:search") + "?" + saved.query

    def feed_url(self, saved: SavedSearch) -> str:
        return saved_searches.feed_path(saved)

    def items(self, saved: SavedSearch) -> list[Article]:
        try:
            params = saved_searches.params_of(saved)
        except SearchInputError:
            return []  # an actor or outlet it named is gone: nothing matches
        params = dataclasses.replace(params, sort="date", page=1)
        _total, ids = search.result_ids(params=params, limit=FEED_ITEMS)
        return self._articles(ids)


class ActorFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Entity:
        return get_object_or_404(Entity, slug=slug)

    def title(self, entity: Entity) -> str:
        return _("Marsad: %(name)s") % {"name": entity.name_ar}

    def subtitle(self, entity: Entity) -> str:
        return _("The newest articles that mention %(name)s.") % {"name": entity.name_en}

    def link(self, entity: Entity) -> str:
        return entity.get_absolute_url()

    def items(self, entity: Entity) -> list[Article]:
        articles = actor_selectors.actor_articles(entity=entity).prefetch_related(
            "mentions__entity"
        )
        return list(articles[:FEED_ITEMS])
