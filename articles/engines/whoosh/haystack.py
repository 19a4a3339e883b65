"""Haystack's Whoosh backend over the engine's live directory (the card's stack).

``SearchQuerySet()`` filters and facets read the live Whoosh directory with haystack's own
query code (field names are those of ``articles.index_fields``; free text searches the body).
Writes that haystack makes — ``update_index``, ``clear_index``, its signal processor — go to the
configured engine (``articles.engines.get_backend``), so they fill OpenSearch too when it is
the one configured.
"""

from __future__ import annotations

from pathlib import Path

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from whoosh.qparser import QueryParser

from articles import index_fields

from .backend import WhooshBackend
from .schema import article_schema

CONTENT_FIELD = "body"


def _whoosh(path: str) -> WhooshBackend:
    from articles.engines import get_backend

    found = get_backend()
    if isinstance(found, WhooshBackend) and found.path == Path(path):
        return found
    return WhooshBackend(path=path)


class ArabicWhooshSearchBackend(WhooshSearchBackend):
    def setup(self):
        """Open the live directory (and again after a rebuild swapped another one in)."""
        engine = _whoosh(self.path)
        self._live_name = engine.snapshot().key[0]
        self.index = engine._index(self._live_name)
        self.storage = self.index.storage
        self.content_field_name, self.schema = CONTENT_FIELD, article_schema()
        self.parser = QueryParser(self.content_field_name, schema=self.schema)
        self.setup_complete = True

    def _follow_swaps(self) -> None:
        if self.setup_complete and _whoosh(self.path).store.live_name() != self._live_name:
            self.setup_complete = False

    def search(self, query_string, **kwargs):
        self._follow_swaps()
        return super().search(query_string, **kwargs)

    def more_like_this(self, model_instance, **kwargs):
        self._follow_swaps()
        return super().more_like_this(model_instance, **kwargs)

    def build_schema(self, fields):
        return CONTENT_FIELD, article_schema()

    def update(self, index, iterable, commit=True):
        from articles.engines import get_backend

        get_backend().index(documents=index_fields.documents(ids=[obj.pk for obj in iterable]))

    def remove(self, obj_or_string, commit=True):
        from articles.engines import get_backend

        pk = obj_or_string if isinstance(obj_or_string, str) else f"x.{obj_or_string.pk}"
        get_backend().remove(ids=[int(str(pk).rsplit(".", 1)[1])])

    def clear(self, models=None, commit=True):
        from articles.engines import get_backend

        get_backend().clear()


class ArabicWhooshEngine(WhooshEngine):
    backend = ArabicWhooshSearchBackend
