"""Every spelling variant finds the same articles, and the marks cover every matched form."""

import re

import pytest
from django.http import QueryDict

from articles.search import hits_for_query, parse_params, parse_query, run_search, snippet
from tests.search_fixtures import make_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    return make_articles()


def found(q: str) -> set[int]:
    return {hit.article.pk for hit in run_search(parse_params(QueryDict(f"q={q}"))).hits}


@pytest.mark.parametrize(
    ("queries", "key"),
    [
        (["احمد", "أحمد", "إحمد"], "hamza"),
        (["مصطفى", "مصطفي"], "yaa"),
        (["الصينية", "الصينيه"], "taa"),
        (["العربية", "الْعَرَبِــيَّة", "العربيه"], "diacritics"),
        (["الرئيس", "والرئيس", "للرئيس"], "clitics"),
        (["العلاقات", "بالعلاقات"], "clitics"),
    ],
)
def test_each_variant_finds_the_same_articles(articles, queries, key):
    results = [found(q) for q in queries]
    assert articles[key].pk in results[0]
    assert all(r == results[0] for r in results)


def test_highlighting_marks_every_clitic_form(articles):
    body = articles["clitics"].body
    html = str(snippet(body, terms=parse_query("الرئيس").terms, chars=400))
    for form in ("والرئيس", "للرئيس", "الرئيس"):
        assert re.search(f'<mark class="hit"[^>]*>{form}</mark>', html)


def test_snippet_is_escaped_and_marks_whole_words(db):
    body = 'قال <b>الرئيس</b> & "وللرئيس" رأي'
    html = str(snippet(body, terms=parse_query("رئيس").terms))
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert re.search(r'<mark class="hit"[^>]*>وللرئيس</mark>', html)


def test_vocalized_text_is_marked_in_the_original(articles):
    body = articles["diacritics"].body
    spans = hits_for_query(body, q="العربية")
    assert [body[s.start : s.end] for s in spans] == ["الْعَرَبِــيَّة"]


def test_phrase_prefix_and_operators(articles):
    assert found('"الرئيس الروسي"') == {articles["clitics"].pk}
    assert found('"الروسي الرئيس"') == set()
    assert articles["taa"].pk in found("الصين*")
    assert found("مصطفى OR لافروف") == {articles["yaa"].pk, articles["lavrov"].pk}
    assert articles["lavrov"].pk not in found("العلاقات NOT لافروف")
    assert articles["clitics"].pk in found("العلاقات NOT لافروف")
    assert found("العلاقات AND NOT لافروف") == found("العلاقات NOT لافروف")


def test_reading_page_hits_ignore_not_terms(articles):
    body = articles["clitics"].body
    assert hits_for_query(body, q="NOT الرئيس") == []
    assert hits_for_query(body, q='"(') == []
