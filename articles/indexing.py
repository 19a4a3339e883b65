"""Writes to the configured search engine, from the database through ``index_fields``.

Signals, services, commands and tests index through these functions; ``get_backend`` picks the
engine. ``index_articles`` removes pks that no longer exist, so one call follows any change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from articles import index_fields
from articles.engines import get_backend


def _documents_and_ids(
    *, pks: list[int], analysed: dict[bytes, tuple[str, ...]] | None
) -> tuple[Iterator[dict], set[int]]:
    """These articles' index documents, and the ids they gave, filled as they are read (a pk
    missing once all are read is an article no longer in the database)."""
    seen: set[int] = set()

    def tracked() -> Iterator[dict]:
        for doc in index_fields.documents(ids=pks, analysed=analysed):
            seen.add(doc["id"])
            yield doc

    return tracked(), seen


def index_articles(*, pks: list[int], analysed: dict[bytes, tuple[str, ...]] | None = None) -> int:
    """(Re)index these articles; pks no longer in the database are removed from the index.
    ``analysed``: text fields analysed ahead (``index_fields.analyse_ahead``)."""
    pks = sorted(set(pks))
    if not pks:
        return 0
    documents, seen = _documents_and_ids(pks=pks, analysed=analysed)
    count = get_backend().index(documents=documents)
    gone = set(pks) - seen
    if gone:
        get_backend().remove(ids=sorted(gone))
    return count


def index_articles_later(
    *, pks: list[int], analysed: dict[bytes, tuple[str, ...]] | None = None
) -> Callable[[], int]:
    """``index_articles`` begun now (the engine may write in another process meanwhile); the
    returned call finishes it."""
    pks = sorted(set(pks))
    documents, seen = _documents_and_ids(pks=pks, analysed=analysed)
    finish_index = get_backend().index_later(documents=documents)
    gone = sorted(set(pks) - seen)  # index_later has read every document

    def finish() -> int:
        count = finish_index()
        if gone:
            get_backend().remove(ids=gone)
        return count

    return finish


def unindex_articles(*, pks: list[int]) -> None:
    if pks:
        get_backend().remove(ids=pks)


def rebuild_index(*, procs: int = 1) -> int:
    """A whole new index from the database, swapped in once complete; returns its size."""
    backend = get_backend()
    documents = index_fields.documents(ids=index_fields.all_ids())
    if procs > 1 and backend.name == "whoosh":
        return backend.rebuild(documents=documents, procs=procs)
    return backend.rebuild(documents=documents)
