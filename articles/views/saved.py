"""Thin views: a signed-in researcher's saved searches (list, save, open, rename, delete)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required, login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from articles import saved_searches
from articles.feeds import SavedSearchFeed
from articles.search import SearchInputError
from articles.services import saved_searches as saved_services


def _list(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    rows = saved_searches.saved_search_rows(user=request.user, build_url=request.build_absolute_uri)
    return render(
        request, "articles/saved_list.html", {"rows": rows, "error": error}, status=status
    )


@login_required
def saved_list(request: HttpRequest) -> HttpResponse:
    """GET: the list with what is new; POST (``name``, ``query``): save the search."""
    if request.method != "POST":
        return _list(request)
    try:
        saved_services.save_search(
            user=request.user,
            name=request.POST.get("name", ""),
            query=request.POST.get("query", ""),
        )
    except SearchInputError as exc:
        return _list(request, error=exc.text(), status=400)
    return redirect("articles:saved_list")


def _owned(request: HttpRequest, pk: int):
    saved = saved_searches.owned(user=request.user, pk=pk)
    if saved is None:
        raise Http404("No such saved search")
    return saved


@login_required
def saved_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the search; what was new is seen now."""
    saved = _owned(request, pk)
    saved_services.record_visit(saved=saved)
    return redirect(saved_searches.search_url(saved))


@login_required
@require_POST
def saved_rename(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        saved_services.rename_search(saved=_owned(request, pk), name=request.POST.get("name", ""))
    except SearchInputError as exc:
        return _list(request, error=exc.text(), status=400)
    return redirect("articles:saved_list")


@login_required
@require_POST
def saved_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved_services.delete_search(saved=_owned(request, pk))
    return redirect("articles:saved_list")


# A feed reader has no session: the token in the address is its key (MARSAD_LOGIN_REQUIRED too).
saved_feed = login_not_required(SavedSearchFeed())
