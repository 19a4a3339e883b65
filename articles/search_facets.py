"""The search page's facet groups: one per declared facet (``index_fields.KEYWORD_FIELDS``),
each row named, counted and linked to the URL that chooses (or drops) it."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from articles import index_fields
from articles.actor_queries import actor_names
from articles.models import Source
from articles.search_params import SearchParams

ACTOR_FACET_SIZE = 25


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


def _toggled(chosen: tuple[str, ...], value: str) -> tuple[str, ...]:
    """``chosen`` with ``value`` taken out, or added at the end."""
    return tuple(v for v in chosen if v != value) if value in chosen else (*chosen, value)


def _slug_values(
    params: SearchParams,
    counts: dict[str, int],
    *,
    state: str,
    names_of: Callable[[list[str]], dict[str, str]],
    limit: int | None = None,
) -> list[FacetValue]:
    """Rows of a facet of slugs: the chosen ones (``params.<state>``) first, then the most
    counted (up to ``limit``), each linked to the URL that toggles it."""
    chosen: tuple[str, ...] = getattr(params, state)
    top = sorted(counts, key=lambda s: (-counts[s], s))[:limit]
    shown = list(dict.fromkeys([*chosen, *top]))
    names = names_of(shown)
    return [
        FacetValue(
            key=slug,
            name=names.get(slug, slug),
            count=counts.get(slug, 0),
            selected=slug in chosen,
            url=params.url(**{state: _toggled(chosen, slug)}),
        )
        for slug in shown
    ]


def _actor_values(params: SearchParams, counts: dict[str, int]) -> list[FacetValue]:
    return _slug_values(
        params, counts, state="actors", names_of=actor_names, limit=ACTOR_FACET_SIZE
    )


def _source_names(slugs: list[str]) -> dict[str, str]:
    return dict(Source.objects.filter(slug__in=slugs).values_list("slug", "name"))


def _source_values(params: SearchParams, counts: dict[str, int]) -> list[FacetValue]:
    return _slug_values(params, counts, state="sources", names_of=_source_names)


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


def facet_groups(params: SearchParams, counts: dict[str, dict[str, int]]) -> list[FacetGroup]:
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
