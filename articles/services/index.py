"""Keeping the search index in step with the database."""

from __future__ import annotations

from articles.models import (
    Article,
)


def ensure_index() -> tuple[int, int, bool]:
    """Rebuild the index if another analyzer version wrote it or its document count differs."""
    from articles.search_backend import (
        discard_index,
        index_is_current,
        indexed_count,
        rebuild_index,
    )

    in_db = Article.objects.count()
    if not index_is_current():
        discard_index()
        rebuild_index()
        return indexed_count(), in_db, True
    indexed = indexed_count()
    if indexed == in_db:
        return indexed, in_db, False
    rebuild_index()
    return indexed_count(), in_db, True
