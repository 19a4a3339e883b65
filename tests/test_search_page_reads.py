"""What the search page reads and keeps per process shows what a user must see: result cards with
untrusted text escaped, links carrying the query, the gazetteer as it is now (even when a tool
wrote it without signals), an edited body's new snippet. Against the real Whoosh index."""

import datetime

import pytest
from django.urls import reverse

from articles.indexing import index_articles
from articles.models import Alias, Article, Entity
from articles.services.articles import content_hash
from tests.search_fixtures import create_article, make_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    return make_articles()


def _article(*, title: str, body: str, source: str) -> Article:
    article = create_article(
        title=title, body=body, source=source, published_on=datetime.date(2024, 6, 2)
    )
    index_articles(pks=[article.pk])
    return article


def test_a_card_escapes_the_title_and_the_outlet_and_links_with_the_query(client, articles):
    hostile = _article(
        title='<img src=x onerror="alert(1)"> بوتين',
        body="قال بوتين إن القمة مثمرة <script>alert(2)</script>.",
        source="<b>منفذ</b>",
    )
    html = client.get(reverse("articles:search"), {"q": "بوتين"}).content.decode()
    card = html[html.index(f'href="/articles/{hostile.pk}/') :]
    card = card[: card.index("</li>")]
    assert "<img" not in card and "<script>" not in card and "<b>" not in card
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in card
    assert "<bdi>&lt;b&gt;منفذ&lt;/b&gt;</bdi>" in card
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in card
    assert card.startswith(f'href="/articles/{hostile.pk}/?q=%D8%A8%D9%88%D8%AA%D9%8A%D9%86"')
    assert '<mark class="entity entity-person" data-entity="vladimir-putin">بوتين</mark>' in card
    assert '<time datetime="2024-06-02"' in card
    data = client.get(reverse("articles:api_search"), {"q": "بوتين"}).json()
    row = next(r for r in data["results"] if r["id"] == hostile.pk)
    assert row["url"] == f"http://testserver/articles/{hostile.pk}/"
    assert row["title"] == hostile.title and row["source"] == hostile.source.slug


def test_an_alias_written_without_signals_is_seen_by_the_next_search(client, articles):
    article = _article(title="خبر", body="وصل بوتينو إلى القمة.", source="الجزيرة")
    search = reverse("articles:api_search")
    assert article.pk not in {r["id"] for r in client.get(search, {"q": "بوتين"}).json()["results"]}
    putin = Entity.objects.get(slug="vladimir-putin")
    Alias.objects.bulk_create([Alias(entity=putin, text="بوتينو")])  # no save signal: a restore
    assert article.pk in {r["id"] for r in client.get(search, {"q": "بوتين"}).json()["results"]}


def test_a_renamed_actor_is_named_anew_in_the_facets_and_the_chips(client, articles):
    putin = Entity.objects.get(slug="vladimir-putin")
    putin.name_ar = "فلاديمير بوتين الجديد"
    putin.save()
    html = client.get(reverse("articles:search"), {"actor": "vladimir-putin"}).content.decode()
    assert 'data-value="vladimir-putin"><bdi>فلاديمير بوتين الجديد</bdi>' in html
    assert '<bdi>فلاديمير بوتين الجديد</bdi>\n      <a class="chip-remove"' in html


def test_an_edited_body_gets_its_new_snippet(client, articles):
    article = articles["lavrov"]
    search = reverse("articles:api_search")
    first = client.get(search, {"q": "لافروف"}).json()["results"]
    assert "بكين" in next(r["snippet"] for r in first if r["id"] == article.pk)
    article.body = "وصل سيرغي لافروف إلى أنقرة في زيارة قصيرة."
    article.content_hash = content_hash(body=article.body)
    article.save()
    index_articles(pks=[article.pk])
    again = client.get(search, {"q": "لافروف"}).json()["results"]
    snippet = next(r["snippet"] for r in again if r["id"] == article.pk)
    assert "أنقرة" in snippet and "بكين" not in snippet
