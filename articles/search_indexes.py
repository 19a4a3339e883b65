"""Haystack's view of an article, derived from ``articles.index_fields`` (no field list of its
own). ``text`` is haystack's name for free text (``content=``), which searches the body; every
declared field filters by its own name."""

from haystack import indexes

from articles import index_fields
from articles.models import Article


def _fields() -> dict:
    fields: dict = {"text": indexes.CharField(document=True, null=True)}
    for text in index_fields.TEXT_FIELDS:
        fields[text.name] = indexes.CharField(null=True)
    for keyword in index_fields.KEYWORD_FIELDS:
        kind = indexes.MultiValueField if keyword.multi else indexes.CharField
        fields[keyword.name] = kind(null=True)
    for date in index_fields.DATE_FIELDS:
        kind = indexes.MultiValueField if date.multi else indexes.DateField
        fields[date.name] = kind(null=True)
    return fields


class _ArticleIndexBase(indexes.SearchIndex):
    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return self.get_model().objects.only("pk")


ArticleIndex = type(
    "ArticleIndex",
    (_ArticleIndexBase, indexes.Indexable),
    {"__module__": __name__, **_fields()},
)
