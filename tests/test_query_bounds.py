"""Queries that would scan the whole lexicon or run unbounded (issue 12) are a clear 400 on every
endpoint that takes a query: a lone or doubled *, a prefix shorter than two letters, a prefix that
expands to too many terms, a query past its time budget."""

import pytest
from django.urls import reverse

from articles import search
from tests.search_fixtures import make_articles

pytestmark = pytest.mark.django_db
ENDPOINTS = [
    "articles:search",
    "articles:api_search",
    "articles:kwic",
    "articles:feed_search",
    "articles:export_csv",
    "articles:export_jsonl",
    "articles:export_pdf",
]
SHORT = "A word ending in * needs at least 2 letters before the *."
MISPLACED = "Use * only at the end of a word"
BROAD = "The query is too broad to answer quickly"


@pytest.fixture
def articles():
    return make_articles()


def refused(client, q: str) -> list[str]:
    """The English part of the answer of every endpoint, each checked to be a 400."""
    texts = []
    client.cookies["django_language"] = "en"  # the pages' message in English
    for name in ENDPOINTS:
        response = client.get(reverse(name), {"q": q})
        assert response.status_code == 400, (name, q, response.status_code)
        if name == "articles:api_search":
            arabic, english = response.json()["error"].split(" / ")
            assert arabic != english  # bilingual, as every SearchInputError
            texts.append(english)
        else:
            texts.append(response.content.decode())
    return texts


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("**", SHORT),
        ("***", SHORT),
        ("*", SHORT),
        ("*?*", SHORT),
        ("(*)", SHORT),
        ("NOT *", SHORT),
        ("العلاقات AND **", SHORT),
        ("ا*", SHORT),
        ("عل**", MISPLACED),
        ("*عل", MISPLACED),
    ],
)
def test_lexicon_scans_are_refused(client, articles, q, message):
    for text in refused(client, q):
        assert message in text


def test_a_prefix_over_the_term_cap_is_too_broad(client, articles, monkeypatch):
    monkeypatch.setattr(search, "MAX_PREFIX_TERMS", 0)  # العلاق* expands to one term
    for text in refused(client, "العلاق*"):
        assert BROAD in text


def test_a_query_past_its_time_budget_is_too_broad(client, articles, monkeypatch):
    monkeypatch.setattr(search, "QUERY_BUDGET_S", -1.0)
    for text in refused(client, "العلاقات OR الصين"):
        assert BROAD in text


def test_a_prefix_within_the_bounds_still_finds(client, articles):
    response = client.get(reverse("articles:api_search"), {"q": "العلاق*"})
    assert response.status_code == 200 and response.json()["count"] == 2
