"""Thin views: the search page and its JSON twin read the same parameters (the URL is the state)."""

from django.http import JsonResponse
from django.shortcuts import render

from articles import navigation, page_charts
from articles.engines.base import EngineUnavailable
from articles.middleware import UNAVAILABLE, unavailable_json
from articles.search import SearchInputError, api_payload, parse_params, run_search

_JSON = {"ensure_ascii": False}


def search(request):
    context = {"q": request.GET.get("q", ""), "page": None, "error": None}
    try:
        page = run_search(parse_params(request.GET))
    except SearchInputError as exc:
        context["error"] = exc.text()
        return render(request, "articles/search.html", context, status=400)
    except EngineUnavailable:
        context["error"] = UNAVAILABLE
        return render(request, "articles/search.html", context, status=503)
    context |= {
        "page": page,
        "pager": navigation.search_pager(params=page.params, num_pages=page.num_pages),
        "filters": navigation.active_filters(params=page.params),
        "actor_modes": navigation.actor_modes(params=page.params),
        "timeline": page_charts.results_timeline(histogram=page.histogram, params=page.params),
    }
    return render(request, "articles/search.html", context)


def network(request):
    """The actors of the current result set and their co-mentions, as a network."""
    context = {"q": request.GET.get("q", ""), "network": None, "error": None}
    try:
        params = parse_params(request.GET)
        context |= {
            "params": params,
            "network": page_charts.results_network(params=params),
            "filters": navigation.active_filters(params=params),
        }
    except SearchInputError as exc:
        context["error"] = exc.text()
        return render(request, "articles/network.html", context, status=400)
    return render(request, "articles/network.html", context)


def api_search(request):
    try:
        page = run_search(parse_params(request.GET))
    except SearchInputError as exc:
        return JsonResponse({"error": exc.bilingual()}, status=400, json_dumps_params=_JSON)
    except EngineUnavailable:
        return unavailable_json()
    payload = api_payload(page, build_url=request.build_absolute_uri)
    return JsonResponse(payload, json_dumps_params=_JSON)
