"""Moving through a result set: numbered pages with a page jump, and active filters as chips."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from articles.models import Entity, Source
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
    names = dict(Entity.objects.filter(slug__in=params.actors).values_list("slug", "name_ar"))
    chips = [
        Chip(
            kind="actor",
            label=_("Actor"),
            value=names.get(slug, slug),
            remove_url=params.url(actors=tuple(a for a in params.actors if a != slug)),
        )
        for slug in params.actors
    ]
    if params.source:
        source = Source.objects.filter(slug=params.source).values_list("name", flat=True).first()
        chips.append(
            Chip(
                kind="source",
                label=_("Outlet"),
                value=source or params.source,
                remove_url=params.url(source=""),
            )
        )
    if params.date_from:
        chips.append(
            Chip(
                kind="from",
                label=_("From"),
                value=format_day(params.date_from),
                remove_url=params.url(date_from=None),
            )
        )
    if params.date_to:
        chips.append(
            Chip(
                kind="to",
                label=_("To"),
                value=format_day(params.date_to),
                remove_url=params.url(date_to=None),
            )
        )
    return ActiveFilters(chips=chips, clear_url=SearchParams(q=params.q, sort=params.sort).url())
