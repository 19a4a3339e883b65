"""Writes: a researcher's saved searches (save, rename, delete, visit) and digest bookkeeping."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import SavedSearch
from articles.search import SearchInputError, parse_params

NAME_CHARS = SavedSearch._meta.get_field("name").max_length


def canonical_query(*, query: str) -> str:
    """The search's URL state as the search page writes it (checked, page dropped); raises
    SearchInputError for a search the page would refuse."""
    params = parse_params(QueryDict(query.lstrip("?")))
    return urlencode(params.query_items())


def _clean_name(name: str) -> str:
    name = " ".join(name.split())[:NAME_CHARS]
    if not name:
        raise SearchInputError(_("A saved search needs a name."))
    return name


def save_search(*, user: AbstractBaseUser, name: str, query: str) -> SavedSearch:
    """Save the search under ``name``; what is new is counted from now."""
    return SavedSearch.objects.create(
        user=user,
        name=_clean_name(name),
        query=canonical_query(query=query),
        last_visit_at=timezone.now(),
    )


def rename_search(*, saved: SavedSearch, name: str) -> SavedSearch:
    saved.name = _clean_name(name)
    saved.save(update_fields=["name"])
    return saved


def delete_search(*, saved: SavedSearch) -> None:
    saved.delete()


def record_visit(*, saved: SavedSearch) -> None:
    """The researcher opened the search: nothing before now is new any more."""
    saved.last_visit_at = timezone.now()
    saved.save(update_fields=["last_visit_at"])


def record_digest(*, saved_ids: list[int], sent_at) -> None:
    SavedSearch.objects.filter(pk__in=saved_ids).update(digest_sent_at=sent_at)
