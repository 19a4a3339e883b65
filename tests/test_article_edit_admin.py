"""ArticleAdmin saves through services.article_edits: the hash follows the body, mentions are
matched again, and an edit that copies another article's text is an error on the form."""

import pytest

from articles.models import Article
from articles.services.articles import content_hash
from tests.upload_support import indexed_ids

pytestmark = pytest.mark.usefixtures("gazetteer")


def change_form(article: Article, **changes) -> dict:
    data = {
        "title": article.title,
        "body": article.body,
        "source": article.source_id or "",
        "published_on": article.published_on.isoformat() if article.published_on else "",
        "url": article.url,
        "mentions-TOTAL_FORMS": "0",
        "mentions-INITIAL_FORMS": "0",
        "mentions-MIN_NUM_FORMS": "0",
        "mentions-MAX_NUM_FORMS": "1000",
    }
    return {**data, **changes}


def url_of(article: Article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def test_an_edit_giving_an_article_another_articles_text_is_refused(admin_client, seeded):
    first, second = Article.objects.order_by("pk")[:2]
    response = admin_client.post(url_of(second), change_form(second, body=first.body + "  "))
    assert response.status_code == 200
    page = response.content.decode()
    assert "errornote" in page
    assert f"#{first.pk}" in page and "same text" in page
    second.refresh_from_db()
    assert second.body != first.body and second.content_hash == content_hash(body=second.body)


def test_an_edit_giving_another_articles_url_is_refused(admin_client, seeded):
    first, second = Article.objects.order_by("pk")[:2]
    Article.objects.filter(pk=first.pk).update(url="https://example.com/story")
    response = admin_client.post(
        url_of(second), change_form(second, url="https://example.com/story")
    )
    assert response.status_code == 200
    assert "same URL" in response.content.decode()


def test_a_body_edit_rehashes_rematches_and_reindexes(transactional_db, admin_client, seeded):
    article = Article.objects.order_by("pk").first()
    body = "التقى الرئيس الصيني شي جينبينغ نظيره الروسي فلاديمير بوتين في موسكو أمس."
    response = admin_client.post(url_of(article), change_form(article, body=body))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.content_hash == content_hash(body=body)
    slugs = set(article.mentions.values_list("entity__slug", flat=True))
    assert {"xi-jinping", "vladimir-putin"} <= slugs
    assert article.pk in indexed_ids()


def test_adding_an_article_with_existing_text_is_refused(admin_client, seeded):
    existing = Article.objects.order_by("pk").first()
    data = change_form(existing)
    response = admin_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 200
    assert "same text" in response.content.decode()
    assert Article.objects.filter(content_hash=existing.content_hash).count() == 1
