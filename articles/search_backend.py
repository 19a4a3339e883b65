"""Haystack's Whoosh backend with the Arabic analyzer at index and query time."""
from __future__ import annotations

import functools

from haystack import connections
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from whoosh.fields import TEXT

from articles.arabic import arabic_analyzer, normalize
from articles.entities.gazetteer import load_gazetteer


@functools.cache
def gazetteer_keywords() -> frozenset[str]:
    """Every word of the shipped gazetteer's person names, kept out of the stemmer."""
    return frozenset(
        word
        for entity in load_gazetteer()
        if entity.kind == "person"
        for alias in entity.aliases
        for word in normalize(alias.text).split()
    )


@functools.cache
def shared_analyzer():
    """One analyzer for every text field, at index and at query time."""
    return arabic_analyzer(keywords=gazetteer_keywords())


class ArabicWhooshSearchBackend(WhooshSearchBackend):
    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for name in list(schema.names()):
            if isinstance(schema[name], TEXT):
                schema.remove(name)
                schema.add(name, TEXT(stored=True, analyzer=shared_analyzer()))
        return content_field_name, schema


class ArabicWhooshEngine(WhooshEngine):
    backend = ArabicWhooshSearchBackend


def _article_index():
    from articles.models import Article

    return connections["default"].get_unified_index().get_index(Article)


def index_articles(*, pks: list[int]) -> None:
    """(Re)index these articles in one writer; pks that no longer exist are removed."""
    index = _article_index()
    articles = list(index.index_queryset().filter(pk__in=pks))
    backend = connections["default"].get_backend()
    if articles:
        backend.update(index, articles)
    missing = set(pks) - {a.pk for a in articles}
    if missing:
        unindex_articles(pks=sorted(missing))


def unindex_articles(*, pks: list[int]) -> None:
    backend = connections["default"].get_backend()
    for pk in pks:
        backend.remove(f"articles.article.{pk}")


def indexed_count() -> int:
    backend = connections["default"].get_backend()
    backend.setup()
    with backend.index.refresh().searcher() as searcher:
        return searcher.doc_count()


def rebuild_index() -> None:
    """Clear the index and index every article again, in batches."""
    backend = connections["default"].get_backend()
    backend.clear()
    index = _article_index()
    ids = list(index.index_queryset().values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        index_articles(pks=ids[start : start + 1000])
