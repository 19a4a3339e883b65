"""Keeping the search index in step with the database (the engine's writes: ``articles.indexing``)."""

from __future__ import annotations


def ensure_index() -> tuple[int, int, bool]:
    """Rebuild the index if another analyzer version wrote it or its document count differs."""
    from articles import indexing

    return indexing.ensure_index()


def rebuild_index(*, procs: int = 1) -> int:
    from articles import indexing

    return indexing.rebuild_index(procs=procs)
