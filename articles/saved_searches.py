"""Reads: a researcher's saved searches with what is new in each, and their feed entries.

"New" means articles added (imported or uploaded: ``Article.created_at``) after a moment — the
researcher's last visit to the saved search, or the last digest — that the search matches now.
Only the few articles added since are looked up in the result set, so a list of saved searches
costs one cheap query each when nothing is new.
"""

from __future__ import annotations

import dataclasses
import datetime
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.http import QueryDict
from django.urls import reverse

from articles import search
from articles.models import Article, SavedSearch
from articles.search import SearchInputError, SearchParams, parse_params


def params_of(saved: SavedSearch) -> SearchParams:
    """The saved URL state, read as the search page reads it (raises SearchInputError when an
    actor or outlet it names has since gone)."""
    return parse_params(QueryDict(saved.query))


def search_url(saved: SavedSearch) -> str:
    return reverse("articles:search") + "?" + saved.query


def feed_path(saved: SavedSearch) -> str:
    """The feed's address with its unguessable token, for feed readers that cannot sign in."""
    return reverse("articles:saved_feed", kwargs={"pk": saved.pk}) + f"?token={saved.feed_token}"


def new_article_ids(*, saved: SavedSearch, since: datetime.datetime) -> list[int]:
    """Articles added after ``since`` that the search matches, newest first."""
    added = set(Article.objects.filter(created_at__gt=since).values_list("pk", flat=True))
    if not added:
        return []
    params = dataclasses.replace(params_of(saved), sort="date", page=1)
    _total, ids = search.result_ids(params=params)
    return [pk for pk in ids if pk in added]


@dataclass
class SavedSearchRow:
    saved: SavedSearch
    search_url: str
    feed_url: str
    total: int | None
    new: int | None
    error: str = ""


def saved_search_rows(*, user: AbstractBaseUser, build_url) -> list[SavedSearchRow]:
    """The user's saved searches with their result count and what is new since the last visit
    (``build_url`` makes the feed address absolute)."""
    rows = []
    for saved in SavedSearch.objects.filter(user=user):
        row = SavedSearchRow(
            saved=saved,
            search_url=search_url(saved),
            feed_url=build_url(feed_path(saved)),
            total=None,
            new=None,
        )
        try:
            row.total, _ids = search.result_ids(params=params_of(saved), limit=0)
            row.new = len(new_article_ids(saved=saved, since=saved.last_visit_at))
        except SearchInputError as exc:
            row.error = exc.text()
        rows.append(row)
    return rows


def owned(*, user: AbstractBaseUser, pk: int) -> SavedSearch | None:
    return SavedSearch.objects.filter(user=user, pk=pk).first()


def for_feed(*, pk: int, token: str, user: AbstractBaseUser | None) -> SavedSearch | None:
    """The saved search a feed request may read: its token, or its signed-in owner."""
    saved = SavedSearch.objects.filter(pk=pk).first()
    if saved is None:
        return None
    if token and secrets.compare_digest(token, saved.feed_token):
        return saved
    if user is not None and user.is_authenticated and saved.user_id == user.pk:
        return saved
    return None
