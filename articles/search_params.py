"""Search parameters: the URL's state (``SearchParams``), read and checked by ``parse_params``.

A parameter the user can fix is a ``SearchInputError``, whose message is shown on the page and
given (in Arabic and English) by the API.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from articles.models import Entity, Source

MAX_QUERY_CHARS = 500
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
