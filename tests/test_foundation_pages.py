"""Home and article pages: RTL Arabic, newest first, text escaped."""

import re

import pytest
from django.urls import reverse

from articles.ingest.drafts import ArticleDraft
from articles.models import Article
from articles.services.articles import save_article


def make_draft(**overrides) -> ArticleDraft:
    fields = {
        "title": "عنوان",
        "body": "فقرة أولى.\n\nفقرة ثانية.",
        "source_name": "الجزيرة",
        "published_on": None,
        "url": "",
        "original": "",
        "original_name": "test.txt",
        "original_bytes": b"",
        "encoding": "utf-8",
    }
    return ArticleDraft(**{**fields, **overrides})


def test_home_lists_the_seeds_newest_first_in_rtl_arabic(client, seeded):
    html = client.get(reverse("articles:home")).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    latest = html[html.index('<ol class="article-list">') :]
    titles = [a.title for a in Article.objects.all()]
    positions = [latest.index(title) for title in titles]
    assert positions == sorted(positions)
    dates = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', latest)
    assert len(dates) == 5 and dates == sorted(dates, reverse=True)
    assert "8 مايو 2025" in html and "الجزيرة" in html


def test_article_page_shows_title_outlet_arabic_date_and_paragraphs(client, seeded):
    article = Article.objects.get(original_name="003_eaf3ae8403d3c001.txt")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", heading) == article.title  # marks aside, the whole title
    assert "الخليج الجديد" in html
    assert '<time datetime="2023-09-18">18 سبتمبر 2023</time>' in html
    assert html.count("<p>") >= len(article.body.split("\n\n"))


@pytest.mark.django_db
def test_article_text_is_escaped_everywhere(client, gazetteer):
    outcome = save_article(
        draft=make_draft(
            title='<script>alert("t")</script> بوتين',
            body='<img src=x onerror=alert(1)> التقى بوتين <b>نظيره</b>.\n\n"اقتباس" & رمز',
        )
    )
    for url in (reverse("articles:home"), outcome.article.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html and "<b>نظيره</b>" not in html
        assert "&lt;script&gt;" in html


def test_missing_article_is_404(client, db):
    assert client.get(reverse("articles:article_detail", kwargs={"pk": 999})).status_code == 404


def test_portal_is_arabic_whatever_the_browser_language(client, db):
    html = client.get("/search/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_language_switch_turns_the_chrome_english_and_left_to_right(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/search/"})
    assert response.status_code == 302
    html = client.get("/search/").content.decode()
    assert '<html lang="en" dir="ltr">' in html


def test_missing_page_is_an_arabic_404_in_the_portal_layout(client, db, settings):
    settings.DEBUG = False
    response = client.get("/articles/999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl">' in html and "الصفحة غير موجودة" in html


def test_article_page_revalidates_with_an_etag(client, seeded):
    article = Article.objects.get(original_name="004_7d6114e92663cbab.txt")
    client.get(article.get_absolute_url())  # sets the CSRF cookie the language switch uses
    first = client.get(article.get_absolute_url())
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    Article.objects.filter(pk=article.pk).update(title="عنوان معدّل")
    article.refresh_from_db()
    article.save()  # updated_at moves on
    changed = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and "عنوان معدّل" in changed.content.decode()
