"""Actor pages: the list with counts and a filter, one actor's page, its two downloadable charts,
and actors compared."""

import hashlib

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from articles import actor_selectors, charts, page_charts
from articles.models import Entity
from articles.search import SearchInputError, parse_params
from articles.views.browse import bad_request, corpus_cached, dates_query, listing

CHART_MAX_AGE = 10 * 60


def _actor_or_404(slug: str) -> Entity:
    try:
        return actor_selectors.actor_profile(slug=slug)
    except Entity.DoesNotExist as exc:
        raise Http404("Actor not found") from exc


@require_safe
@corpus_cached
def actor_list(request):
    """The actors by kind, filtered by name and kind; `?from=&to=` counts their articles and
    mentions within those dates (actors not named then are left out)."""
    try:
        params = parse_params(request.GET)
    except SearchInputError as exc:
        return bad_request(request, exc)
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    context = {
        "groups": actor_selectors.actors_by_kind(
            q=q, kind=kind, date_from=params.date_from, date_to=params.date_to
        ),
        "params": params,
        "dates_query": dates_query(params),
        "q": q,
        "kind": kind if kind in Entity.Kind.values else "",
        "kinds": Entity.Kind.choices,
    }
    return render(request, "articles/actor_list.html", context)


@require_safe
@corpus_cached
def actor_detail(request, slug: str):
    """The actor's names, roles and counts, its charts, and the articles naming it (`?from=&to=`
    narrows them by date, as on every article list)."""
    actor = _actor_or_404(slug)
    try:
        params = parse_params(request.GET)
    except SearchInputError as exc:
        return bad_request(request, exc)
    articles = actor_selectors.actor_articles(entity=actor)
    co_mentions = page_charts.co_mention_bars(entity=actor)
    context = {
        "actor": actor,
        "listing": listing(params=params, articles=articles),
        "timeline": page_charts.actor_timeline(entity=actor, params=params),
        "co_mentions": co_mentions,
        "compare_url": page_charts.compare_url(
            slugs=[actor.slug, *(bar.entity.slug for bar in co_mentions[:2])]
        ),
    }
    return render(request, "articles/actor_detail.html", context)


def _chart_etag(request, slug: str, chart: str) -> str:
    key = f"{chart}:{slug}:{actor_selectors.actors_data_version()}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


@require_safe
@condition(etag_func=_chart_etag)
def actor_chart(request, slug: str, chart: str):
    """One actor chart as SVG; drawn once per data version (see charts.actor_chart)."""
    actor = _actor_or_404(slug)
    svg = charts.actor_chart(
        entity=actor, chart=chart, version=actor_selectors.actors_data_version()
    )
    response = HttpResponse(svg, content_type=charts.CONTENT_TYPE)
    # licensed corpora (LOGIN_REQUIRED) must not be kept by shared caches
    visibility = {"private": True} if settings.LOGIN_REQUIRED else {"public": True}
    patch_cache_control(response, max_age=CHART_MAX_AGE, **visibility)
    return response


@require_safe
@corpus_cached
def actor_compare(request):
    """2–5 actors' articles per period on one chart (`?actor=a&actor=b`), one line each."""
    slugs = list(dict.fromkeys(s.strip() for s in request.GET.getlist("actor") if s.strip()))
    found = Entity.objects.in_bulk(slugs, field_name="slug")
    entities = [found[s] for s in slugs if s in found]
    context = {
        "entities": entities,
        "choices": Entity.objects.order_by("name_ar"),
        # one select per actor that can be compared, the chosen ones first
        "slots": [e.slug for e in entities[: page_charts.MAX_COMPARED]]
        + [""] * max(0, page_charts.MAX_COMPARED - len(entities)),
        "chart": None,
        "error": None,
    }
    missing = [s for s in slugs if s not in found]
    if missing:
        context["error"] = _("There is no actor “%(value)s”.") % {"value": missing[0]}
    elif slugs and not page_charts.MIN_COMPARED <= len(slugs) <= page_charts.MAX_COMPARED:
        context["error"] = _("Choose from %(least)s to %(most)s actors to compare.") % {
            "least": page_charts.MIN_COMPARED,
            "most": page_charts.MAX_COMPARED,
        }
    elif slugs:
        context["chart"] = page_charts.comparison(entities=context["entities"])
    status = 400 if context["error"] else 200
    return render(request, "articles/actor_compare.html", context, status=status)
