"""Thin views: the search page and its JSON twin read the same parameters (the URL is the state)."""

from django.http import JsonResponse
from django.shortcuts import render

from articles.engines.base import EngineUnavailable
from articles.middleware import UNAVAILABLE, unavailable_json
from articles.search import SearchInputError, api_payload, parse_params, run_search

_JSON = {"ensure_ascii": False}


def search(request):
    context = {"q": request.GET.get("q", ""), "page": None, "error": None}
    try:
        context["page"] = run_search(parse_params(request.GET))
    except SearchInputError as exc:
        context["error"] = exc.text()
        return render(request, "articles/search.html", context, status=400)
    except EngineUnavailable:
        context["error"] = UNAVAILABLE
        return render(request, "articles/search.html", context, status=503)
    return render(request, "articles/search.html", context)


def api_search(request):
    try:
        page = run_search(parse_params(request.GET))
    except SearchInputError as exc:
        return JsonResponse({"error": exc.bilingual()}, status=400, json_dumps_params=_JSON)
    except EngineUnavailable:
        return unavailable_json()
    payload = api_payload(page, build_url=request.build_absolute_uri)
    return JsonResponse(payload, json_dumps_params=_JSON)
