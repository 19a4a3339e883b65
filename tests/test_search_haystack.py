"""haystack stays usable on the Whoosh engine: SearchQuerySet filters and facets read the live
index (declared once in articles.index_fields), and its commands fill and clear the engine."""

import pytest
from django.core.management import call_command
from haystack.query import SearchQuerySet

from articles.engines import get_backend
from articles.models import Article
from tests.search_fixtures import make_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    return make_articles()


def test_filters_and_facets(articles):
    by_source = {
        int(r.pk)
        for r in SearchQuerySet().models(Article).filter(source=articles["taa"].source.slug)
    }
    assert by_source == {articles["taa"].pk, articles["diacritics"].pk}
    assert {int(r.pk) for r in SearchQuerySet().filter(actors="vladimir-putin")} == {
        articles["clitics"].pk
    }
    assert {int(r.pk) for r in SearchQuerySet().auto_query("لافروف")} == {articles["lavrov"].pk}
    counts = dict(SearchQuerySet().facet("source").facet_counts()["fields"]["source"])
    expected: dict[str | None, int] = {}
    for article in Article.objects.exclude(source=None).select_related("source"):
        expected[article.source.slug] = expected.get(article.source.slug, 0) + 1
    expected[None] = Article.objects.filter(source=None).count()  # Whoosh's "no value" group
    assert counts == expected


def test_rebuild_update_and_clear_commands_fill_the_engine(articles):
    total = Article.objects.count()
    get_backend().clear()
    assert get_backend().count() == 0
    call_command("rebuild_index", "--noinput", verbosity=0)
    assert get_backend().count() == total
    call_command("clear_index", "--noinput", verbosity=0)
    assert get_backend().count() == 0
    call_command("update_index", verbosity=0)
    assert get_backend().count() == total
    assert SearchQuerySet().models(Article).count() == total  # haystack follows the swap
