"""Article saves and deletes owe an index operation; gazetteer edits rebuild the matcher.

Every save or delete of an Article (admin, services, shell) writes an outbox row
(articles.models.IndexOperation) in the transaction that made the change; the indexer in
articles.services.index applies it once that transaction commits. Bulk writes (bulk_create,
re-matching) queue their rows themselves, since bulk operations send no signals.
"""

from __future__ import annotations

from django.db.models import signals
from haystack.signals import BaseSignalProcessor

from articles.models import Alias, Article, Entity, IndexOperation, Role


class OutboxSignalProcessor(BaseSignalProcessor):
    def setup(self) -> None:
        signals.post_save.connect(self.article_saved, sender=Article)
        signals.post_delete.connect(self.article_deleted, sender=Article)

    def teardown(self) -> None:
        signals.post_save.disconnect(self.article_saved, sender=Article)
        signals.post_delete.disconnect(self.article_deleted, sender=Article)

    def article_saved(self, sender, instance: Article, **kwargs) -> None:
        from articles.services.index import queue_index_operations

        queue_index_operations(article_ids=[instance.pk], op=IndexOperation.Op.INDEX)

    def article_deleted(self, sender, instance: Article, **kwargs) -> None:
        from articles.services.index import queue_index_operations

        queue_index_operations(article_ids=[instance.pk], op=IndexOperation.Op.REMOVE)


def gazetteer_row_changed(sender, **kwargs) -> None:
    """Any change to an actor, alias or role (admin, command, shell) rebuilds the matcher."""
    from articles.selectors import bump_gazetteer_version

    bump_gazetteer_version()


for gazetteer_model in (Entity, Alias, Role):
    signals.post_save.connect(gazetteer_row_changed, sender=gazetteer_model)
    signals.post_delete.connect(gazetteer_row_changed, sender=gazetteer_model)
