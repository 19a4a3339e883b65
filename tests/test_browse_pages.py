"""Home dashboard, date archive and outlets: counts agree with the database, every list narrows
by date, dates are shown in one Arabic format inside <time datetime>, and pages revalidate."""

import re

import pytest
from django.urls import reverse

from articles.models import Article, Source
from tests.search_fixtures import make_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    return make_articles()


def html(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


def test_home_shows_the_corpus_at_a_glance(client, articles):
    page = html(client, reverse("articles:home"))
    assert re.search(r"<dd>\s*6\s*</dd>", page)  # six articles
    assert (
        '<time datetime="2023-03-01" lang="ar" dir="rtl">1 مارس 2023</time>' in page
    )  # first date
    assert (
        '<time datetime="2024-03-21" lang="ar" dir="rtl">21 مارس 2024</time>' in page
    )  # last date
    # one period per month from the first to the last (13), a bar on each of the five with
    # articles, opening the search of its month
    assert 'href="/search/?from=2023-03-01&amp;to=2023-03-31"' in page
    assert 'href="/search/?from=2024-03-01&amp;to=2024-03-31"' in page
    assert page.count('class="bar"') == 5 and page.count('class="slot"') == 13
    assert 'href="/actors/vladimir-putin/"' in page  # most-mentioned actors, linked
    assert page.count('class="article-item"') == 6


def test_every_list_narrows_by_date(client, articles):
    page = html(client, reverse("articles:home") + "?from=2024-01-01&to=2024-02-28")
    assert page.count('class="article-item"') == 2
    source = articles["taa"].source
    page = html(client, source.get_absolute_url() + "?from=2024-02-01")
    assert page.count('class="article-item"') == 1
    page = html(client, reverse("articles:archive_year", args=[2024]) + "?to=2024-01-31")
    assert page.count('class="article-item"') == 1


def test_a_bad_date_is_a_400_with_the_reason(client, articles):
    response = client.get(reverse("articles:home") + "?from=2024-13-01", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()


def test_archive_by_year_and_month(client, articles):
    page = html(client, reverse("articles:archive"))
    assert re.search(r'href="/archive/2024/">2024</a>\s*<span class="count">3', page)
    assert '<time datetime="2023-05" lang="ar" dir="rtl">مايو 2023</time>' in page
    page = html(client, reverse("articles:archive_year", args=[2023]))
    assert page.count('class="article-item"') == 2
    assert 'rel="next" href="/archive/2024/"' in page
    page = html(client, reverse("articles:archive_month", args=[2024, 3]))
    assert page.count('class="article-item"') == 1 and "قمة موسكو" in page
    assert 'rel="prev" href="/archive/2024/2/"' in page
    assert client.get("/archive/2024/13/").status_code == 404
    assert client.get("/archive/2024/3/?page=9").status_code == 404


def test_outlets_with_counts_and_timeline(client, articles):
    page = html(client, reverse("articles:source_list"))
    jazeera = Source.objects.get(name="الجزيرة")
    assert re.search(
        rf'href="{jazeera.get_absolute_url()}"[^>]*>الجزيرة</a></th>\s*<td class="num">3<', page
    )
    page = html(client, jazeera.get_absolute_url())
    assert page.count('class="article-item"') == 3
    # a bar narrows the outlet's own list to its month
    assert f'href="{jazeera.get_absolute_url()}?from=2023-03-01&amp;to=2023-03-31"' in page
    assert client.get("/sources/no-such-outlet/").status_code == 404


def test_pages_revalidate_with_etag_and_last_modified(client, articles):
    url = reverse("articles:home")
    client.get(url)  # the first visit sets the CSRF cookie (the language switch's token)
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"] and "private" in first["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    article = articles["taa"]
    article.title = "عنوان جديد"
    article.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    arabic_etag = client.get(url)["ETag"]
    client.cookies["django_language"] = "en"
    assert client.get(url)["ETag"] != arabic_etag  # one ETag per language


def test_interface_in_english_keeps_arabic_text_rtl(client, articles):
    client.cookies["django_language"] = "en"  # what the language switch sets
    page = html(client, reverse("articles:home"))
    assert '<html lang="en" dir="ltr">' in page
    assert "Corpus at a glance" in page and "Latest articles" in page
    assert 'lang="ar" dir="rtl">قمة موسكو</a>' in page
    assert '<time datetime="2024-03-21" lang="en" dir="ltr">21 March 2024</time>' in page
    client.cookies["django_language"] = "ar"
    page = html(client, reverse("articles:home"))
    assert '<html lang="ar" dir="rtl">' in page and "المدوّنة في لمحة" in page


def test_language_switch_posts_to_setlang(client, articles):
    page = html(client, reverse("articles:archive"))
    assert 'action="/i18n/setlang/"' in page and 'name="language" value="en"' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/archive/"})
    assert "Archive" in html(client, reverse("articles:archive"))


def test_titles_are_escaped(client, articles):
    Article.objects.filter(pk=articles["taa"].pk).update(title="<script>alert(1)</script>")
    page = html(client, reverse("articles:home"))
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
