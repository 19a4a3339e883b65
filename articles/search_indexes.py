"""What haystack indexes for an article: its text, outlet, date and actors."""

from haystack import indexes

from articles.models import Article


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True)
    title = indexes.CharField(model_attr="title")
    source = indexes.CharField(null=True, faceted=True)
    published_on = indexes.DateField(model_attr="published_on", null=True)
    actors = indexes.MultiValueField(faceted=True)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return (
            self.get_model().objects.select_related("source").prefetch_related("mentions__entity")
        )

    def prepare_text(self, obj: Article) -> str:
        return f"{obj.title}\n{obj.body}"

    def prepare_source(self, obj: Article) -> str | None:
        return obj.source.slug if obj.source else None

    def prepare_actors(self, obj: Article) -> list[str]:
        return sorted({m.entity.slug for m in obj.mentions.all()})
