"""Query-side synonyms (articles/arabic/data/synonyms.tsv): one name of a thing finds the others."""

import datetime

import pytest
from django.http import QueryDict

from articles.arabic.synonyms import synonym_groups
from articles.engines import get_backend
from articles.indexing import index_articles
from articles.models import Article
from articles.search import parse_params, parse_query, run_search
from articles.services.articles import content_hash, get_or_create_source

pytestmark = pytest.mark.django_db

TEXTS = {
    "cup": ("افتتاح كأس العالم في روسيا", "بدأت مباريات كأس العالم في موسكو أمس وسط حضور كبير."),
    "mondial": ("مونديال روسيا ينطلق", "انطلق المونديال في موسكو أمس وسط حضور جماهيري كبير."),
    "world": ("العالم اليوم", "قال وزير إن كأس الشاي في العالم العربي عادة قديمة."),
    "other": ("خبر آخر", "لا شيء عن الرياضة في هذا الخبر عن الطقس."),
}


@pytest.fixture
def articles():
    get_backend().clear()
    made = {}
    for key, (title, body) in TEXTS.items():
        made[key] = Article.objects.create(
            title=title,
            body=body,
            source=get_or_create_source(name="test"),
            published_on=datetime.date(2018, 6, 15),
            content_hash=content_hash(body=body),
        )
    index_articles(pks=[a.pk for a in made.values()])
    return {a.pk: key for key, a in made.items()}


def found(articles, q: str) -> set[str]:
    page = run_search(parse_params(QueryDict(f"q={q}")))
    return {articles[hit.article.pk] for hit in page.hits}


def test_each_name_finds_the_others(articles):
    assert found(articles, "كأس العالم") == {"cup", "mondial", "world"}
    assert found(articles, "المونديال") == {"cup", "mondial"}  # the other name as a phrase


def test_a_quoted_phrase_is_what_was_typed(articles):
    assert found(articles, '"كأس العالم"') == {"cup"}


def test_excluding_a_name_excludes_its_synonyms(articles):
    assert found(articles, "موسكو") == {"cup", "mondial"}
    assert found(articles, "موسكو NOT المونديال") == set()


def test_the_matched_synonym_is_marked(articles):
    assert "مونديال" in parse_query("كأس العالم").terms.words


def test_every_group_names_one_thing_at_least_twice():
    groups = synonym_groups()
    assert groups
    for phrase, group in groups.items():
        assert phrase == group[0] and len(group) >= 2 and all(group)
