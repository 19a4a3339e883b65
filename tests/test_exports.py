"""CSV and JSON Lines exports: exactly the search's result set (all pages, every filter), streamed
in chunks, with a BOM for Excel; a bad parameter is a readable 400."""

import csv
import io
import json

import pytest
from django.http import QueryDict
from django.urls import reverse

from articles import search, selectors
from articles.search import parse_params, run_search
from tests.search_fixtures import make_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    return make_articles()


def body(response) -> bytes:
    assert response.streaming
    return b"".join(response.streaming_content)


def csv_rows(client, query: str) -> list[dict]:
    response = client.get(reverse("articles:export_csv") + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = body(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_is_the_whole_filtered_result_set(client, articles):
    rows = csv_rows(client, "?source=" + articles["clitics"].source.slug + "&from=2023-04-01")
    assert [int(r["id"]) for r in rows] == [articles["clitics"].pk, articles["yaa"].pk]
    row = rows[0]
    assert list(row) == ["id", "title", "outlet", "date", "url", "actors", "page_url"]
    assert (
        row["title"] == "قمة موسكو" and row["outlet"] == "الجزيرة" and row["date"] == "2024-03-21"
    )
    assert "vladimir-putin" in row["actors"].split("; ")
    assert row["page_url"] == f"http://testserver/articles/{articles['clitics'].pk}/"


def _qd(**values):
    data = QueryDict(mutable=True)
    data.update(values)
    return data


def test_export_order_and_count_match_the_search_page(client, articles, monkeypatch):
    monkeypatch.setattr("articles.search.PER_PAGE", 2)  # the page is smaller than the export
    params = parse_params(_qd(q="العلاقات OR الاتفاق", sort="date"))
    rows = csv_rows(client, "?" + params.url().lstrip("?"))
    total, ids = search.result_ids(params=params)
    assert total == len(rows) == 3
    assert [int(r["id"]) for r in rows] == ids
    assert [h.article.pk for h in run_search(params).hits] == ids[:2]


def test_jsonl_has_one_object_per_article(client, articles):
    response = client.get(reverse("articles:export_jsonl"))
    assert response.status_code == 200 and response["X-Result-Count"] == "6"
    records = [json.loads(line) for line in body(response).decode().splitlines()]
    assert len(records) == 6
    undated = next(r for r in records if r["id"] == articles["lavrov"].pk)
    assert undated["date"] is None and undated["outlet"] is None
    assert "sergey-lavrov" in undated["actors"]
    assert set(records[0]) == {"id", "title", "outlet", "date", "url", "actors", "page_url"}


def test_rows_are_fetched_a_chunk_at_a_time(client, articles, monkeypatch):
    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 2)
    seen = []
    original = selectors.export_rows

    def spy(*, ids):
        seen.append(len(ids))
        return original(ids=ids)

    monkeypatch.setattr(selectors, "export_rows", spy)
    response = client.get(reverse("articles:export_csv"))
    assert seen == []  # nothing read before the response is iterated
    assert len(body(response).decode("utf-8-sig").splitlines()) == 7
    assert seen == [2, 2, 2]


@pytest.mark.parametrize("name", ["export_csv", "export_jsonl", "export_pdf"])
def test_a_bad_parameter_is_a_readable_400(client, articles, name):
    response = client.get(reverse(f"articles:{name}") + "?from=2024-02-30")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "YYYY-MM-DD" in response.content.decode()


def test_search_page_links_to_the_exports_of_its_state(client, articles):
    page = client.get(reverse("articles:search") + "?q=بوتين&from=2024-01-01").content.decode()
    assert 'href="/search/export.csv?q=%D8%A8%D9%88%D8%AA%D9%8A%D9%86&amp;from=2024-01-01"' in page
    assert "/search/export.jsonl?" in page and "/search/export.pdf?" in page
