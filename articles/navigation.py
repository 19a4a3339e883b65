"""Moving through a result set: numbered pages with a page jump, and active filters as chips."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from articles.actor_queries import actor_names
from articles.models import Source
from articles.search import SearchParams
from articles.templatetags.marsad import format_day

PAGE_WINDOW = 2  # pages shown on each side of the current one


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: a gap ("…")
    url: str = ""
    current: bool = False


@dataclass(frozen=True)
class Pager:
    number: int
    num_pages: int
    links: list[PageLink]
    first_url: str | None
    previous_url: str | None
    next_url: str | None
    last_url: str | None
    state: list[tuple[str, str]]  # the other parameters, as hidden fields of the page jump


def pager(*, number: int, num_pages: int, url_for: Callable[[int], str], state) -> Pager:
    """Links to the first and last page, the pages around ``number`` and gaps between."""
    shown = sorted(
        {1, num_pages}
        | set(range(max(1, number - PAGE_WINDOW), min(num_pages, number + PAGE_WINDOW) + 1))
    )
    links: list[PageLink] = []
    for n in shown:
        if links and links[-1].number is not None and n - links[-1].number > 1:
            links.append(PageLink(number=None))
        links.append(PageLink(number=n, url=url_for(n), current=n == number))
    return Pager(
        number=number,
        num_pages=num_pages,
        links=links,
        first_url=url_for(1) if number > 1 else None,
        previous_url=url_for(number - 1) if number > 1 else None,
        next_url=url_for(number + 1) if number < num_pages else None,
        last_url=url_for(num_pages) if number < num_pages else None,
        state=list(state),
    )


def search_pager(*, params: SearchParams, num_pages: int) -> Pager:
    return pager(
        number=params.page,
        num_pages=num_pages,
        url_for=lambda n: params.url(page=n),
        state=params.query_items(),
    )


@dataclass(frozen=True)
class Chip:
    """One active filter: what it is, its value, and the URL without it."""

    kind: str
    label: str
    value: str
    remove_url: str


@dataclass(frozen=True)
class ActiveFilters:
    chips: list[Chip]
    clear_url: str  # the words (and sort) only


def active_filters(*, params: SearchParams) -> ActiveFilters:
    actors = actor_names(params.actors) if params.actors else {}
    outlets = (
        dict(Source.objects.filter(slug__in=params.sources).values_list("slug", "name"))
        if params.sources
        else {}
    )
    chips = [
        Chip(
            kind="actor",
            label=_("Actor"),
            value=actors.get(slug, slug),
            remove_url=params.url(actors=tuple(a for a in params.actors if a != slug)),
        )
        for slug in params.actors
    ]
    if len(params.actors) > 1 and params.actor_mode == "any":
        chips.append(
            Chip(
                kind="actor-mode",
                label=_("Actors"),
                value=_("any of them"),
                remove_url=params.url(actor_mode="all"),
            )
        )
    chips += [
        Chip(
            kind="source",
            label=_("Outlet"),
            value=outlets.get(slug, slug),
            remove_url=params.url(sources=tuple(s for s in params.sources if s != slug)),
        )
        for slug in params.sources
    ]
    for kind, label, day, change in (
        ("from", _("From"), params.date_from, {"date_from": None}),
        ("to", _("To"), params.date_to, {"date_to": None}),
        ("event_from", _("Events from"), params.event_from, {"event_from": None}),
        ("event_to", _("Events to"), params.event_to, {"event_to": None}),
    ):
        if day:
            chips.append(
                Chip(kind=kind, label=label, value=format_day(day), remove_url=params.url(**change))
            )
    return ActiveFilters(chips=chips, clear_url=SearchParams(q=params.q, sort=params.sort).url())


@dataclass(frozen=True)
class ActorMode:
    mode: str
    label: str
    url: str
    current: bool


def actor_modes(*, params: SearchParams) -> list[ActorMode]:
    """With two actors or more chosen: articles naming all of them, or any of them."""
    if len(params.actors) < 2:
        return []
    return [
        ActorMode(
            mode=mode,
            label=label,
            url=params.url(actor_mode=mode),
            current=params.actor_mode == mode,
        )
        for mode, label in (("all", _("naming all of them")), ("any", _("naming any of them")))
    ]
