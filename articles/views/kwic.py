"""Thin view: keyword in context for a query or an actor, within the search's result set."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from articles.kwic import concordance
from articles.models import Entity
from articles.search import SearchInputError, parse_params


def kwic(request: HttpRequest) -> HttpResponse:
    context = {"q": request.GET.get("q", "")}
    try:
        params = parse_params(request.GET)
        context["params"] = params
        if params.q or params.actors:
            context["concordance"] = concordance(params=params)
    except SearchInputError as exc:
        context["error"] = exc.text()
        return render(request, "articles/kwic.html", context, status=400)
    found = context.get("concordance")
    if found and params.page > found.num_pages:
        raise Http404("No such page")
    context["actors"] = Entity.objects.filter(slug__in=params.actors)
    return render(request, "articles/kwic.html", context)
