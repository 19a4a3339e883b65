"""A search engine that cannot answer is a 503 with a clear message, on every page that searches.

The search page and ``/api/search/`` say so themselves (``articles.views.search``); this covers
the other views that run a search (KWIC, feeds, exports). Pages that do not search never reach
the engine, so the admin and the reading pages keep working while it is down.
"""

from __future__ import annotations

import logging

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from articles.engines.base import EngineUnavailable

log = logging.getLogger(__name__)

UNAVAILABLE = _("Search is unavailable: the search engine does not answer. Try again shortly.")


def bilingual_unavailable() -> str:
    with override("ar"):
        arabic = str(UNAVAILABLE)
    with override("en"):
        english = str(UNAVAILABLE)
    return f"{arabic} / {english}"


def unavailable_json() -> JsonResponse:
    return JsonResponse(
        {"error": bilingual_unavailable()}, status=503, json_dumps_params={"ensure_ascii": False}
    )


class EngineUnavailableMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, EngineUnavailable):
            return None
        log.error("search engine unavailable: %s", exception)
        if request.path.startswith("/api/"):
            return unavailable_json()
        return render(
            request, "articles/engine_unavailable.html", {"error": UNAVAILABLE}, status=503
        )
