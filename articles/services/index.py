"""The search index follows the database through the outbox (IndexOperation).

Article writes queue operations in their own transaction (`queue_index_operations`); the indexer
(`drain_index_queue`, or `start_index_drain` for an import that saves on meanwhile) applies them
in batches and deletes what it applied once the index committed it. It is the only code that
writes index documents, so a process killed at any moment leaves the rest queued for the next
drain (after the next write, `ensure_index`, `make run`, or the import command).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from articles.models import Article, IndexOperation
from articles.services.row_inserts import insert_rows

log = logging.getLogger(__name__)
DRAIN_BATCH = 500
_held = threading.local()


def queue_index_operations(*, article_ids: Iterable[int], op: str) -> None:
    """Record that these articles must be (re)indexed or removed; call inside their write's
    transaction. Once the outermost transaction commits, the operations it queued are applied
    (unless held: a bulk writer drains the queue itself, and needs no row ids back)."""
    if getattr(_held, "depth", 0):
        insert_rows(
            model=IndexOperation, fields=("article_id", "op"), rows=((i, op) for i in article_ids)
        )
        return
    rows = IndexOperation.objects.bulk_create(
        [IndexOperation(article_id=article_id, op=op) for article_id in article_ids]
    )
    _held.own = [*getattr(_held, "own", []), *(row.pk for row in rows)]
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        entry[1] is try_drain_own_operations for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(try_drain_own_operations)


def try_drain_own_operations() -> None:
    """After a commit: apply the operations this thread queued (not a concurrent import's)."""
    own, _held.own = getattr(_held, "own", []), []
    try_drain_index_queue(only=own)


def try_drain_index_queue(*, only: list[int] | None = None) -> None:
    """Apply the queue; an index failure must not fail the write (the operations stay queued)."""
    try:
        drain_index_queue(only=only)
    except Exception:
        log.exception(
            "search index update failed; %d operations stay queued",
            IndexOperation.objects.count(),
        )


@contextmanager
def held_indexing() -> Iterator[None]:
    """Hold the after-commit drains for a bulk write; the caller drains when it is ready."""
    _held.depth = getattr(_held, "depth", 0) + 1
    try:
        yield
    finally:
        _held.depth -= 1


def apply_index_changes(
    *,
    index_ids: list[int],
    remove_ids: list[int],
    analysed: dict[bytes, tuple[str, ...]] | None = None,
) -> None:
    """Write index documents as the synchronous drain does (articles no longer in the database
    are removed)."""
    from articles.indexing import index_articles, unindex_articles

    index_articles(pks=index_ids, analysed=analysed)
    unindex_articles(pks=remove_ids)


@dataclass
class _QueuedBatch:
    """The oldest queued rows of one drain step; the latest operation per article wins."""

    row_pks: list[int]
    index_ids: list[int]
    remove_ids: list[int]

    @property
    def articles(self) -> int:
        return len(self.index_ids) + len(self.remove_ids)

    def delete_rows(self) -> None:
        """Called only once the index committed the batch."""
        IndexOperation.objects.filter(pk__in=self.row_pks).delete()


def _oldest_batch(
    *, batch_size: int, after: int = 0, only: list[int] | None = None
) -> _QueuedBatch | None:
    queued = (
        IndexOperation.objects.all() if only is None else IndexOperation.objects.filter(pk__in=only)
    )
    rows = list(
        queued.filter(pk__gt=after)
        .order_by("pk")
        .values_list("pk", "article_id", "op")[:batch_size]
    )
    if not rows:
        return None
    latest = {article_id: op for _pk, article_id, op in rows}
    return _QueuedBatch(
        row_pks=[pk for pk, _id, _op in rows],
        index_ids=[i for i, op in latest.items() if op == IndexOperation.Op.INDEX],
        remove_ids=[i for i, op in latest.items() if op == IndexOperation.Op.REMOVE],
    )


def _written_as(ids: list[int]) -> dict[int, tuple[str, datetime]]:
    """What each article's index document is made from, as of now: its content hash and its last
    write (an article gone has none)."""
    rows = Article.objects.filter(pk__in=ids).values_list("pk", "content_hash", "updated_at")
    return {pk: (digest, updated) for pk, digest, updated in rows}


def _requeue_rewritten(*, ids: list[int], before: dict[int, tuple[str, datetime]]) -> list[int]:
    """Queue again the articles written (or deleted) while their documents were being indexed:
    another writer may have indexed the newer version meanwhile, which the older document this
    drain committed replaced. Returns the new rows' pks (the drain applies them next)."""
    now = _written_as(ids)
    changed = sorted(pk for pk in ids if now.get(pk) != before.get(pk))
    if not changed:
        return []
    rows = IndexOperation.objects.bulk_create(
        [IndexOperation(article_id=pk, op=IndexOperation.Op.INDEX) for pk in changed]
    )
    return [row.pk for row in rows]


def drain_index_queue(
    *,
    batch_size: int = DRAIN_BATCH,
    only: list[int] | None = None,
    on_batch: Callable[[int], None] | None = None,
    analysed: dict[bytes, tuple[str, ...]] | None = None,
) -> int:
    """Apply queued operations oldest first, `batch_size` rows at a time; returns articles applied.

    Rows are deleted only after the index committed them; rows queued meanwhile stay for the next
    batch. The latest operation per article wins within a batch; an article written again while
    its batch was applied is queued again and applied by a later batch. ``only``: just these rows;
    ``analysed``: text fields analysed ahead (``index_fields.analyse_ahead``).
    """
    applied = 0
    after = 0
    only = None if only is None else list(only)
    while batch := _oldest_batch(batch_size=batch_size, after=after, only=only):
        before = _written_as(batch.index_ids)
        apply_index_changes(
            index_ids=batch.index_ids, remove_ids=batch.remove_ids, analysed=analysed
        )
        batch.delete_rows()
        requeued = _requeue_rewritten(ids=batch.index_ids, before=before)
        if only is not None:
            only += requeued
        after = batch.row_pks[-1]
        applied += batch.articles
        if on_batch:
            on_batch(batch.articles)
    return applied


@dataclass
class IndexDrain:
    """Queued operations being applied while the caller goes on: ``finish()`` completes them and
    only then deletes their rows; ``rows`` were taken, the newest is ``last_row``."""

    finish: Callable[[], int]
    rows: int
    last_row: int


def start_index_drain(
    *,
    batch_size: int = DRAIN_BATCH,
    after: int = 0,
    analysed: dict[bytes, tuple[str, ...]] | None = None,
) -> IndexDrain | None:
    """Begin applying the oldest ``batch_size`` queued operations (newer than the row ``after``:
    those a drain under way did not take) while the caller goes on; the engine may write them in
    another process. None when there are none."""
    from articles.indexing import index_articles_later, unindex_articles

    batch = _oldest_batch(batch_size=batch_size, after=after)
    if batch is None:
        return None
    before = _written_as(batch.index_ids)
    finish_index = index_articles_later(pks=batch.index_ids, analysed=analysed)

    def finish() -> int:
        finish_index()
        unindex_articles(pks=batch.remove_ids)
        batch.delete_rows()
        _requeue_rewritten(ids=batch.index_ids, before=before)  # the caller's next drain
        return batch.articles

    return IndexDrain(finish=finish, rows=len(batch.row_pks), last_row=batch.row_pks[-1])


def pending_index_operations() -> int:
    return IndexOperation.objects.count()


@dataclass
class IndexCheck:
    """Where the index and the database disagree, by article id."""

    articles: int
    missing: list[int] = field(default_factory=list)  # in the database, not in the index
    orphan: list[int] = field(default_factory=list)  # in the index, not in the database
    stale: list[int] = field(default_factory=list)  # in both, with another content hash

    @property
    def consistent(self) -> bool:
        return not (self.missing or self.orphan or self.stale)


def expected_content_hashes() -> dict[int, str]:
    """Article id -> the content hash its index document should carry."""
    from articles import index_fields

    return {
        row["pk"]: index_fields.content_hash(row)
        for row in index_fields.rows(ids=index_fields.all_ids())
    }


def check_index() -> IndexCheck:
    """Compare every article's id and content hash with the index's documents."""
    from articles.engines import get_backend

    expected = expected_content_hashes()
    indexed = get_backend().content_hashes()
    return IndexCheck(
        articles=len(expected),
        missing=sorted(expected.keys() - indexed.keys()),
        orphan=sorted(indexed.keys() - expected.keys()),
        stale=sorted(i for i in expected.keys() & indexed.keys() if expected[i] != indexed[i]),
    )


def repair_index(*, found: IndexCheck) -> int:
    """Queue what `check_index` found (index the missing and stale, remove the orphans), drain."""
    with held_indexing(), transaction.atomic():
        queue_index_operations(article_ids=found.missing + found.stale, op=IndexOperation.Op.INDEX)
        queue_index_operations(article_ids=found.orphan, op=IndexOperation.Op.REMOVE)
    return drain_index_queue()


@dataclass
class EnsuredIndex:
    """What `ensure_index` did: index operations applied from the queue, documents indexed,
    articles in the database, and whether it rebuilt or repaired the index."""

    applied: int
    indexed: int
    in_db: int
    changed: bool


def ensure_index() -> EnsuredIndex:
    """Finish the queue; rebuild the index if another analyzer or layout version wrote it (or
    there is none), and repair what differs from the database."""
    from articles.engines import get_backend
    from articles.engines.base import IndexMissing
    from articles.indexing import rebuild_index

    backend = get_backend()
    in_db = Article.objects.count()
    applied, found = 0, None
    if backend.is_current():
        applied = drain_index_queue()
        with suppress(IndexMissing):  # none yet (an engine that makes none on reading)
            found = check_index()
    if found is None:
        rebuild_index()
        applied += drain_index_queue()
    elif not found.consistent:
        repair_index(found=found)
    changed = found is None or not found.consistent
    return EnsuredIndex(applied=applied, indexed=backend.count(), in_db=in_db, changed=changed)
