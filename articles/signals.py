"""Keep the search index in step with the database, after each transaction commits.

Haystack's RealtimeSignalProcessor indexes inside post_save, before the article's mentions exist
and before the transaction is known to commit. Here saves and deletes are queued and indexed in
one writer once the outermost transaction commits; `deferred_indexing()` holds them for a whole
bulk import.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import signals
from haystack.signals import BaseSignalProcessor

from articles.models import Alias, Article, Entity, Mention, Role

log = logging.getLogger(__name__)
_state = threading.local()


def _pending() -> dict[int, bool]:
    """Article pk -> True to (re)index it, False to remove it."""
    if not hasattr(_state, "pending"):
        _state.pending = {}
        _state.hold = 0
    return _state.pending


def flush_index_queue() -> None:
    """Index or remove every queued article now, in one writer per action."""
    from articles.indexing import index_articles, unindex_articles

    pending = _pending()
    if not pending:
        return
    batch = dict(pending)
    pending.clear()
    try:
        index_articles(pks=[pk for pk, keep in batch.items() if keep])
        unindex_articles(pks=[pk for pk, keep in batch.items() if not keep])
    except Exception:
        # The database change is committed; a save must not fail for the index. Keep the
        # articles queued for the next flush (and `ensure_index` repairs counts).
        log.exception("search index update failed; %d articles stay queued", len(batch))
        for pk, keep in batch.items():
            pending.setdefault(pk, keep)


def _flush_scheduled() -> bool:
    """Whether this transaction already runs a flush on commit.

    Asked of the connection rather than remembered: a rolled-back transaction or savepoint drops
    its callbacks, and a remembered flag would then stop indexing for good in this thread.
    """
    connection = transaction.get_connection()
    return connection.in_atomic_block and any(
        entry[1] is flush_index_queue for entry in connection.run_on_commit
    )


def queue_article(*, pk: int, keep: bool) -> None:
    _pending()[pk] = keep
    if _state.hold or _flush_scheduled():
        return
    transaction.on_commit(flush_index_queue)


@contextmanager
def deferred_indexing() -> Iterator[None]:
    """Hold index updates until the block ends, then index everything in one batch."""
    _pending()
    _state.hold += 1
    try:
        yield
    finally:
        _state.hold -= 1
        if not _state.hold:
            flush_index_queue()


class OnCommitSignalProcessor(BaseSignalProcessor):
    def setup(self) -> None:
        signals.post_save.connect(self.article_saved, sender=Article)
        signals.post_delete.connect(self.article_deleted, sender=Article)
        signals.post_save.connect(self.mention_changed, sender=Mention)
        signals.post_delete.connect(self.mention_changed, sender=Mention)

    def teardown(self) -> None:
        signals.post_save.disconnect(self.article_saved, sender=Article)
        signals.post_delete.disconnect(self.article_deleted, sender=Article)
        signals.post_save.disconnect(self.mention_changed, sender=Mention)
        signals.post_delete.disconnect(self.mention_changed, sender=Mention)

    def article_saved(self, sender, instance: Article, **kwargs) -> None:
        queue_article(pk=instance.pk, keep=True)

    def article_deleted(self, sender, instance: Article, **kwargs) -> None:
        queue_article(pk=instance.pk, keep=False)

    def mention_changed(self, sender, instance: Mention, **kwargs) -> None:
        if _pending().get(instance.article_id) is not False:
            queue_article(pk=instance.article_id, keep=True)


def gazetteer_row_changed(sender, **kwargs) -> None:
    """Any change to an actor, alias or role (admin, command, shell) rebuilds the matcher."""
    from articles.selectors import bump_gazetteer_version

    bump_gazetteer_version()


for gazetteer_model in (Entity, Alias, Role):
    signals.post_save.connect(gazetteer_row_changed, sender=gazetteer_model)
    signals.post_delete.connect(gazetteer_row_changed, sender=gazetteer_model)
