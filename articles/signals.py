"""Keep the search index in step with the database, after each transaction commits.

Haystack's RealtimeSignalProcessor indexes inside post_save, before the article's mentions exist
and before the transaction is known to commit. Here saves and deletes are queued and indexed in
one writer once the outermost transaction commits; `deferred_indexing()` holds them for a whole
bulk import.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import signals
from haystack.signals import BaseSignalProcessor

from articles.models import Article, Mention

_state = threading.local()


def _pending() -> dict[int, bool]:
    """Article pk -> True to (re)index it, False to remove it."""
    if not hasattr(_state, "pending"):
        _state.pending = {}
        _state.hold = 0
        _state.scheduled = False
    return _state.pending


def flush_index_queue() -> None:
    """Index or remove every queued article now, in one writer per action."""
    from articles.search_backend import index_articles, unindex_articles

    pending = _pending()
    _state.scheduled = False
    if not pending:
        return
    to_index = [pk for pk, keep in pending.items() if keep]
    to_remove = [pk for pk, keep in pending.items() if not keep]
    pending.clear()
    if to_index:
        index_articles(pks=to_index)
    if to_remove:
        unindex_articles(pks=to_remove)


def queue_article(*, pk: int, keep: bool) -> None:
    _pending()[pk] = keep
    if _state.hold or _state.scheduled:
        return
    _state.scheduled = True
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
