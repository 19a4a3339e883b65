"""/search/ and /api/search/: filters and facets agree with the database; bad input is explained."""

import re

import pytest
from django.db.models import Count
from django.urls import reverse

from articles.models import Article, Mention
from tests.search_fixtures import make_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    return make_articles()


def api(client, **params):
    return client.get(reverse("articles:api_search"), params)


def test_api_shape(client, articles):
    data = api(client, q="الرئيس").json()
    assert set(data) == {"count", "results", "facets", "timeline", "actor_suggestions"}
    assert data["count"] == 1
    result = data["results"][0]
    assert set(result) == {"id", "title", "url", "source", "published_on", "actors", "snippet"}
    assert result["id"] == articles["clitics"].pk
    assert result["url"].endswith(articles["clitics"].get_absolute_url())
    assert result["source"] == articles["clitics"].source.slug
    assert result["published_on"] == "2024-03-21"
    assert "vladimir-putin" in result["actors"]
    assert re.search(r'<mark class="hit"[^>]*>والرئيس</mark>', result["snippet"])
    assert set(data["facets"]) == {"actors", "sources", "years", "histogram"}
    assert data["facets"]["histogram"] == [{"period": "2024-03", "count": 1}]


def _months(articles) -> list[dict]:
    counts: dict[str, int] = {}
    for article in articles:
        if article.published_on:
            key = article.published_on.strftime("%Y-%m")
            counts[key] = counts.get(key, 0) + 1
    return [{"period": p, "count": n} for p, n in sorted(counts.items())]


def test_api_histogram_is_monthly_for_every_range(client, articles):
    """Issue 10's contract: ``facets.histogram`` periods are YYYY-MM whatever the range; the
    months add up to the dated results (the undated article has no period)."""
    dated = Article.objects.exclude(published_on=None)
    every = api(client).json()
    assert every["facets"]["histogram"] == _months(Article.objects.all())
    assert sum(row["count"] for row in every["facets"]["histogram"]) == dated.count()
    assert every["count"] == dated.count() + 1
    short = api(client, **{"from": "2023-03-01", "to": "2023-05-31"}).json()
    assert short["facets"]["histogram"] == [
        {"period": "2023-03", "count": 1},
        {"period": "2023-05", "count": 1},
    ]
    assert sum(row["count"] for row in short["facets"]["histogram"]) == short["count"] == 2
    long = api(client, **{"from": "2010-01-01", "to": "2024-12-31"}).json()
    assert long["facets"]["histogram"] == _months(dated)
    assert sum(row["count"] for row in long["facets"]["histogram"]) == long["count"] == 5


def test_api_timeline_is_the_pages_series_by_day_month_or_year(client, articles):
    months = api(client).json()["timeline"]
    assert months == {"interval": "month", "periods": _months(Article.objects.all())}
    days = api(client, **{"from": "2023-03-01", "to": "2023-05-31"}).json()["timeline"]
    assert days == {
        "interval": "day",
        "periods": [{"period": "2023-03-01", "count": 1}, {"period": "2023-05-10", "count": 1}],
    }
    years = api(client, **{"from": "2010-01-01", "to": "2024-12-31"}).json()["timeline"]
    assert years == {
        "interval": "year",
        "periods": [{"period": "2023", "count": 2}, {"period": "2024", "count": 3}],
    }


def test_browse_facets_equal_orm_counts(client, articles):
    data = api(client).json()
    assert data["count"] == Article.objects.count()
    actors = {
        row["entity__slug"]: row["n"]
        for row in Mention.objects.values("entity__slug").annotate(
            n=Count("article", distinct=True)
        )
    }
    assert {f["slug"]: f["count"] for f in data["facets"]["actors"]} == actors
    sources = {
        row["source__slug"]: row["n"]
        for row in Article.objects.exclude(source=None)
        .values("source__slug")
        .annotate(n=Count("id"))
    }
    assert {f["slug"]: f["count"] for f in data["facets"]["sources"]} == sources
    years = {
        row["published_on__year"]: row["n"]
        for row in Article.objects.exclude(published_on=None)
        .values("published_on__year")
        .annotate(n=Count("id"))
    }
    assert {f["year"]: f["count"] for f in data["facets"]["years"]} == years
    names = {f["slug"]: f["name"] for f in data["facets"]["actors"]}
    assert names["vladimir-putin"] == "فلاديمير بوتين" or names["vladimir-putin"]


@pytest.mark.parametrize(
    ("params", "orm"),
    [
        ({"actor": "vladimir-putin"}, {"mentions__entity__slug": "vladimir-putin"}),
        ({"source": "__first__"}, {"source__slug": "__first__"}),
        ({"from": "2024-01-01"}, {"published_on__gte": "2024-01-01"}),
        ({"from": "2023-01-01", "to": "2023-12-31"}, {"published_on__year": 2023}),
    ],
)
def test_filters_equal_orm(client, articles, params, orm):
    slug = Article.objects.exclude(source=None).first().source.slug
    params = {k: slug if v == "__first__" else v for k, v in params.items()}
    orm = {k: slug if v == "__first__" else v for k, v in orm.items()}
    data = api(client, **params).json()
    expected = set(Article.objects.filter(**orm).values_list("pk", flat=True))
    assert data["count"] == len(expected)
    assert {r["id"] for r in data["results"]} == expected
    assert [r["published_on"] for r in data["results"]] == sorted(
        (r["published_on"] for r in data["results"]), reverse=True
    )


def test_actor_filters_combine(client, articles):
    data = api(client, actor=["vladimir-putin", "xi-jinping"]).json()
    assert {r["id"] for r in data["results"]} == {articles["clitics"].pk}
    assert api(client, actor=["vladimir-putin", "sergey-lavrov"]).json()["count"] == 0


def test_page_lists_results_with_facet_links(client, articles):
    response = client.get(reverse("articles:search"), {"q": "العلاقات", "sort": "date"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{articles['clitics'].get_absolute_url()}?q=" in html
    assert re.search(r'<mark class="hit"[^>]*>بالعلاقات</mark>', html)
    assert 'data-facet="actor" data-value="vladimir-putin"' in html
    assert "actor=vladimir-putin" in html and "sort=date" in html
    assert '<time datetime="2024-03-21" lang="ar" dir="rtl">' in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"الرئيس'},
        {"q": "الرئيس AND"},
        {"q": "NOT NOT بوتين"},
        {"q": "بوتين AND NOT NOT روسيا"},
        {"q": "OR"},
        {"q": "في"},
        {"q": "ا*"},
        {"q": "(الرئيس"},
        {"from": "2024-13-01"},
        {"to": "yesterday"},
        {"sort": "popular"},
        {"page": "two"},
        {"page": "0"},
        {"from": "2024-02-01", "to": "2024-01-01"},
    ],
)
def test_bad_input_is_a_message_or_a_400(client, articles, params):
    page = client.get(reverse("articles:search"), params)
    assert page.status_code == 400
    assert b'class="search-error"' in page.content
    response = api(client, **params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert " / " in error
    arabic, english = error.split(" / ", 1)
    assert any("\u0600" <= c <= "\u06ff" for c in arabic)
    assert english.isascii() or any(c.isascii() and c.isalpha() for c in english)


def test_empty_results_and_pagination(client, articles):
    response = client.get(reverse("articles:search"), {"q": "زلزال"})
    assert response.status_code == 200
    assert b"search-results" in response.content
    assert api(client, q="زلزال").json() == {
        "count": 0,
        "results": [],
        "facets": {"actors": [], "sources": [], "years": [], "histogram": []},
        "timeline": {"interval": "month", "periods": []},
        "actor_suggestions": [],
    }
    assert api(client, page="99").json()["results"] == []


def test_result_ids_follow_the_page_order(client, articles):
    from django.http import QueryDict

    from articles.search import parse_params, result_ids

    for query in ("q=العلاقات", "sort=date", "q=الرئيس OR لافروف"):
        data = api(client, **dict(QueryDict(query).items())).json()
        total, ids = result_ids(params=parse_params(QueryDict(query)))
        assert total == data["count"]
        assert ids == [r["id"] for r in data["results"]]


@pytest.mark.parametrize("params", [{"actor": "no-such-actor"}, {"source": "no-such-outlet"}])
def test_unknown_actor_or_outlet_is_a_bad_parameter(client, articles, params):
    response = client.get(reverse("articles:api_search"), {"q": "الرئيس", **params})
    assert response.status_code == 400
    value = next(iter(params.values()))
    assert value in response.json()["error"]
    page = client.get(reverse("articles:search"), {"q": "الرئيس", **params}).content.decode()
    assert value in page and "لا يوجد" in page
