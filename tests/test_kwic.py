"""KWIC: every occurrence of a query's words (any clitic form) or of an actor's mentions, with its
context, linked to the reading page's mark at that spot; filtered, paginated and capped."""

import re

import pytest
from django.urls import reverse

from articles import kwic
from articles.models import Mention
from tests.search_fixtures import make_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    return make_articles()


def page(client, query: str, status: int = 200) -> str:
    response = client.get(reverse("articles:kwic") + query)
    assert response.status_code == status
    return response.content.decode()


def keywords(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="kwic-hit" href="([^"]+)">([^<]+)</a>', html)


def test_context_is_cut_at_whole_words():
    body = "كلمة " * 40 + "الهدف" + " نص" * 40
    start = body.index("الهدف")
    before, keyword, after = kwic.context(body, start=start, end=start + 5, chars=22)
    assert keyword == "الهدف"
    assert before == "كلمة كلمة كلمة كلمة" and after == "نص نص نص نص نص نص نص"


def test_every_clitic_form_of_a_query_word(client, articles):
    html = page(client, "?q=الرئيس")
    found = keywords(html)
    assert [word for _url, word in found] == ["والرئيس", "للرئيس", "الرئيس"]
    body = articles["clitics"].body
    for url, word in found:
        start = int(url.rsplit("#h-", 1)[1])
        assert body[start : start + len(word)] == word
        assert url.startswith(f"/articles/{articles['clitics'].pk}/?q=")
    assert "3 مواضع" in html
    assert '<span class="kwic-after">الصيني شي جين بينغ' in html


def test_an_actors_mentions_link_to_their_marks(client, articles):
    html = page(client, "?actor=vladimir-putin")
    mentions = Mention.objects.filter(entity__slug="vladimir-putin").order_by("start")
    found = keywords(html)
    assert [url.rsplit("#", 1)[1] for url, _w in found] == [f"m-{m.start}" for m in mentions]
    assert [word for _u, word in found] == [m.text for m in mentions]


def test_filters_narrow_the_articles(client, articles):
    assert keywords(page(client, "?q=العلاقات"))
    assert len(keywords(page(client, "?q=العلاقات"))) == 2
    assert len(keywords(page(client, "?q=العلاقات&from=2024-03-01"))) == 1


def test_pages_and_cap(client, articles, monkeypatch):
    monkeypatch.setattr(kwic, "PER_PAGE", 2)
    first, second = page(client, "?q=الرئيس"), page(client, "?q=الرئيس&page=2")
    assert len(keywords(first)) == 2 and len(keywords(second)) == 1
    assert 'rel="next"' in first and "الصفحة 1 من 2" in first
    page(client, "?q=الرئيس&page=3", status=404)
    monkeypatch.setattr(kwic, "MAX_LINES", 2)
    capped = page(client, "?q=الرئيس&sort=date")
    assert "أول 2 موضع" in capped


def test_without_words_or_actor_the_form_explains(client, articles):
    html = page(client, "")
    assert "kwic-line" not in html and 'class="empty"' in html


def test_a_bad_query_is_a_400(client, articles):
    assert 'role="alert"' in page(client, '?q="مفتوح', status=400)
    page(client, "?q=a&from=nope", status=400)


def test_context_is_escaped(client, articles):
    article = articles["yaa"]
    article.body = "قبل <script>alert(1)</script> الاتفاق بعد"
    article.save()
    from articles.indexing import index_articles

    index_articles(pks=[article.pk])
    html = page(client, "?q=الاتفاق")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
