"""Headline mentions through the portal: stored with field "title", counted, shown, in the API."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from articles.models import Article, Entity, Mention
from articles.services.articles import save_article
from articles.services.gazetteer import gazetteer_changed, rematch_articles
from tests.actors_support import make_draft

pytestmark = pytest.mark.django_db

# ANT BB-internationalNews-148-20180313: Tillerson named only in the headline's form «بتيلرسون»
TITLE = "ما هي الأسباب التي أطاحت بتيلرسون؟"
BODY = "اتضح منذ فترة عدم وجود توافق بين الرئيس ووزير خارجيته.\n\nوقال الرئيس إن الخلاف شخصي."


@pytest.fixture
def article(gazetteer) -> Article:
    draft = make_draft(TITLE, BODY, source="بي بي سي عربي", day=datetime.date(2018, 3, 13))
    return save_article(draft=draft).article


def test_headline_mention_is_stored_with_title_offsets(article):
    rows = list(article.mentions.all())
    assert [(m.entity.slug, m.field, m.text) for m in rows] == [
        ("rex-tillerson", "title", "بتيلرسون")
    ]
    assert article.title[rows[0].start : rows[0].end] == "بتيلرسون"


def test_headline_only_actor_counts_and_filters(client, article):
    tillerson = Entity.objects.get(slug="rex-tillerson")
    page = client.get(tillerson.get_absolute_url()).content.decode()
    assert article.get_absolute_url() in page
    data = client.get(reverse("articles:api_actor", kwargs={"slug": "rex-tillerson"})).json()
    assert data["mention_count"] == 1


def test_reading_page_heading_marks_the_actor(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    assert 'data-entity="rex-tillerson"' in heading
    assert 'id="title-m-' in heading and 'id="m-' not in heading  # no clash with body ids
    assert re.sub(r"<[^>]+>", "", heading) == TITLE


def test_article_api_lists_title_mentions(client, article):
    data = client.get(reverse("articles:api_article", kwargs={"pk": article.pk})).json()
    assert data["mentions"] == [
        {
            "entity": "rex-tillerson",
            "kind": "person",
            "start": TITLE.index("بتيلرسون"),
            "end": TITLE.index("بتيلرسون") + len("بتيلرسون"),
            "text": "بتيلرسون",
            "via": "name",
            "field": "title",
        }
    ]


def test_search_result_title_is_marked_without_nested_links(client, article):
    from articles.indexing import index_articles

    index_articles(pks=[article.pk])
    html = client.get(reverse("articles:search"), {"actor": "rex-tillerson"}).content.decode()
    link = re.search(r'<a class="article-title"[^>]*>(.*?)</a>', html, re.S).group(1)
    assert '<mark class="entity entity-person" data-entity="rex-tillerson">بتيلرسون</mark>' in link
    assert "<a " not in link


def test_title_edits_rematch_and_reextract_covers_titles(article):
    article.mentions.all().delete()
    rematch_articles(article_ids=[article.pk])
    assert Mention.objects.filter(article=article, field="title").count() == 1
    entity = Entity.objects.get(slug="rex-tillerson")
    # an admin edit of the actor re-matches articles that name it only in a headline
    article.mentions.all().delete()
    assert gazetteer_changed(entity=entity) >= 1
    assert Mention.objects.filter(article=article, field="title").count() == 1


def test_kwic_by_actor_ignores_title_offsets(client, article):
    """KWIC lines cut the body: a headline mention's offsets must never be read into the body."""
    from articles.indexing import index_articles

    index_articles(pks=[article.pk])
    html = client.get(reverse("articles:kwic"), {"actor": "rex-tillerson"}).content.decode()
    assert 'class="kwic-line"' not in html
