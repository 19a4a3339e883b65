"""Thin views for browsing: the home dashboard, the date archive and the outlets.

Every article list here reads `?from=YYYY-MM-DD&to=YYYY-MM-DD&page=N` with the search page's own
parameter parser, so a bad date gets the same readable message everywhere.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
from dataclasses import dataclass
from functools import wraps

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition
from django.views.decorators.vary import vary_on_cookie

from articles import actor_selectors, page_charts, selectors
from articles.models import Article, Source
from articles.search import SearchInputError, SearchParams, parse_params
from articles.templatetags.marsad import format_month

PER_PAGE = 20


# --- HTTP caching ---------------------------------------------------------------------------------


def _corpus_etag(request: HttpRequest, *args, **kwargs) -> str:
    """Changes with the data (articles, mentions, gazetteer), the language and the visitor's CSRF
    cookie (pages carry a token for the language switch), so a 304 is never stale."""
    key = "|".join(
        (
            actor_selectors.actors_data_version(),
            get_language() or "",
            request.COOKIES.get("csrftoken", ""),
        )
    )
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _corpus_last_modified(request: HttpRequest, *args, **kwargs) -> datetime.datetime | None:
    return selectors.corpus_last_modified()


def corpus_cached(view):
    """For pages that change only when the corpus does: ETag and Last-Modified, answered with
    304 when unchanged; revalidated on every visit, kept only in the visitor's own cache."""

    @wraps(view)
    @vary_on_cookie
    @cache_control(private=True, no_cache=True)
    @condition(etag_func=_corpus_etag, last_modified_func=_corpus_last_modified)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapped


# --- lists of articles ----------------------------------------------------------------------------


@dataclass
class Listing:
    """One page of an article list narrowed by `params` (dates), with its pager links."""

    params: SearchParams
    page: Page

    @property
    def number(self) -> int:
        return self.page.number

    @property
    def num_pages(self) -> int:
        return self.page.paginator.num_pages

    @property
    def previous_url(self) -> str | None:
        page = self.page
        return self.params.url(page=page.previous_page_number()) if page.has_previous() else None

    @property
    def next_url(self) -> str | None:
        page = self.page
        return self.params.url(page=page.next_page_number()) if page.has_next() else None


def listing(*, params: SearchParams, articles: QuerySet[Article]) -> Listing:
    """`articles` narrowed to the date range of `params`, paginated; a page past the end is 404."""
    narrowed = selectors.articles_between(
        articles, date_from=params.date_from, date_to=params.date_to
    )
    try:
        page = Paginator(narrowed, PER_PAGE).page(params.page)
    except EmptyPage as exc:
        raise Http404("No such page") from exc
    return Listing(params=params, page=page)


def dates_query(params: SearchParams) -> str:
    """ "?from=…&to=…" carrying a list's date range on to the pages it links to, or ""."""
    if not (params.date_from or params.date_to):
        return ""
    return SearchParams(date_from=params.date_from, date_to=params.date_to).url()


def bad_request(request: HttpRequest, error: SearchInputError) -> HttpResponse:
    return render(request, "articles/bad_request.html", {"error": error.text()}, status=400)


def _with_params(view):
    """Parse the list parameters once; a bad one answers 400 with the reason."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            params = parse_params(request.GET)
        except SearchInputError as exc:
            return bad_request(request, exc)
        return view(request, *args, params=params, **kwargs)

    return wrapped


def _archive_month_url(month: datetime.date) -> str:
    return reverse("articles:archive_month", kwargs={"year": month.year, "month": month.month})


# --- pages ----------------------------------------------------------------------------------------


@corpus_cached
@_with_params
def home(request, *, params: SearchParams):
    context = {
        "overview": selectors.corpus_overview(),
        "timeline": page_charts.corpus_timeline(),
        "actors": actor_selectors.top_actors(),
        "listing": listing(params=params, articles=selectors.article_list()),
    }
    return render(request, "articles/home.html", context)


@corpus_cached
@_with_params
def archive_index(request, *, params: SearchParams):
    years = selectors.archive_years(date_from=params.date_from, date_to=params.date_to)
    context = {"years": years, "params": params, "dates_query": dates_query(params)}
    return render(request, "articles/archive.html", context)


@corpus_cached
@_with_params
def archive_period(request, *, year: int, month: int | None = None, params: SearchParams):
    """The articles of one year or one month, newest first, with links to its neighbours."""
    if not 1 <= year <= 9999 or (month is not None and not 1 <= month <= 12):
        raise Http404("No such month")
    first = datetime.date(year, month or 1, 1)
    last = datetime.date(year, month or 12, calendar.monthrange(year, month or 12)[1])
    years = selectors.archive_years()
    context = {
        "year": year,
        "month": month,
        "period": format_month(year=year, month=month) if month else str(year),
        "months": [] if month else [m for y in years if y["year"] == year for m in y["months"]],
        "listing": listing(
            params=params,
            articles=selectors.article_list().filter(published_on__range=(first, last)),
        ),
        **_neighbours(years=years, first=first, monthly=month is not None),
    }
    return render(request, "articles/archive_period.html", context)


def _neighbours(*, years: list[dict], first: datetime.date, monthly: bool) -> dict:
    """The nearest earlier and later month (or year) that has articles, for the archive's arrows."""
    if monthly:
        months = [m["month"] for y in years for m in y["months"]]
        before = max((m for m in months if m < first), default=None)
        after = min((m for m in months if m > first), default=None)
        return {
            name: {"label": format_month(year=m.year, month=m.month), "url": _archive_month_url(m)}
            for name, m in (("previous", before), ("next", after))
            if m
        }
    before = max((y["year"] for y in years if y["year"] < first.year), default=None)
    after = min((y["year"] for y in years if y["year"] > first.year), default=None)
    return {
        name: {"label": str(y), "url": reverse("articles:archive_year", kwargs={"year": y})}
        for name, y in (("previous", before), ("next", after))
        if y
    }


@corpus_cached
@_with_params
def source_list(request, *, params: SearchParams):
    sources = selectors.sources_with_counts(date_from=params.date_from, date_to=params.date_to)
    context = {"sources": sources, "params": params, "dates_query": dates_query(params)}
    return render(request, "articles/source_list.html", context)


@corpus_cached
@_with_params
def source_detail(request, slug: str, *, params: SearchParams):
    try:
        source = selectors.source_by_slug(slug=slug)
    except Source.DoesNotExist as exc:
        raise Http404("No such outlet") from exc
    articles = selectors.article_list(source=source)
    context = {
        "source": source,
        "timeline": page_charts.listing_timeline(
            articles=articles, params=params, page_url=source.get_absolute_url()
        ),
        "listing": listing(params=params, articles=articles),
    }
    return render(request, "articles/source_detail.html", context)
