"""/api/articles/<id>/ and /api/actors/<slug>/: the JSON contract outside tools rely on."""

import pytest
from django.urls import reverse

from articles.models import Mention
from tests.actors_support import load_corpus


@pytest.fixture
def corpus(db):
    return load_corpus()


def test_article_json(client, corpus):
    article = corpus[0]
    assert (
        reverse("articles:api_article", kwargs={"pk": article.pk}) == f"/api/articles/{article.pk}/"
    )
    response = client.get(f"/api/articles/{article.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == {"id", "title", "body", "source", "published_on", "url", "mentions"}
    assert data["id"] == article.pk
    assert data["title"] == "بوتين يستقبل لافروف"
    assert data["body"] == article.body
    assert data["source"] == article.source.slug
    assert data["published_on"] == "2023-03-10"
    assert data["url"] == "https://example.org/a1"
    assert "بوتين".encode() in response.content  # UTF-8, not \u escapes


def test_mentions_and_their_offsets(client, corpus):
    for article in corpus:
        data = client.get(f"/api/articles/{article.pk}/").json()
        stored = Mention.objects.filter(article=article)
        assert len(data["mentions"]) == stored.count()
        for mention in data["mentions"]:
            assert set(mention) == {"entity", "kind", "start", "end", "text", "via", "field"}
            text = data[mention["field"]]  # offsets into the title or the body
            assert text[mention["start"] : mention["end"]] == mention["text"]
            assert mention["via"] in {"name", "role"}
        fields = [m["field"] for m in data["mentions"]]
        assert fields == sorted(fields, reverse=True)  # the headline's first
        for field in ("title", "body"):
            starts = [m["start"] for m in data["mentions"] if m["field"] == field]
            assert starts == sorted(starts)
    first = client.get(f"/api/articles/{corpus[0].pk}/").json()
    putin = [m for m in first["mentions"] if m["entity"] == "vladimir-putin"]
    assert putin and all(m["kind"] == "person" for m in putin)
    assert {m["text"] for m in putin} >= {"بوتين"}
    trap = client.get(f"/api/articles/{corpus[4].pk}/").json()  # عبوتين is not Putin
    assert trap["mentions"] == []


def test_missing_source_date_and_url_are_null_or_empty(client, corpus):
    data = client.get(f"/api/articles/{corpus[3].pk}/").json()
    assert data["source"] is None
    assert data["published_on"] is None
    assert data["url"] == ""


def test_unknown_article_is_404(client, corpus):
    response = client.get("/api/articles/999999/")
    assert response.status_code == 404
    assert "not found" in response.json()["error"]


def test_actor_json(client, corpus):
    assert (
        reverse("articles:api_actor", kwargs={"slug": "vladimir-putin"})
        == "/api/actors/vladimir-putin/"
    )
    data = client.get("/api/actors/vladimir-putin/").json()
    assert data["slug"] == "vladimir-putin"
    assert data["kind"] == "person"
    assert data["name_ar"] == "فلاديمير بوتين"
    assert data["name_en"] == "Vladimir Putin"
    assert "بوتن" in data["aliases"]
    terms = [r for r in data["roles"] if r["phrase"] == "الرئيس الروسي"]
    assert {"phrase": "الرئيس الروسي", "valid_from": "2012-05-07", "valid_to": None} in terms
    mentions = Mention.objects.filter(entity__slug="vladimir-putin")
    assert data["mention_count"] == mentions.count() == 4  # 3 in bodies, 1 in a headline
    assert data["article_count"] == mentions.values("article").distinct().count() == 2
    assert data["months"] == [
        {"month": "2023-03", "count": 1},
        {"month": "2023-04", "count": 0},
        {"month": "2023-05", "count": 1},
    ]
    co = {row["slug"]: row["count"] for row in data["co_mentions"]}
    assert co["moscow"] == 2
    assert co["sergey-lavrov"] == 1 and co["xi-jinping"] == 1
    assert "vladimir-putin" not in co and "wang-yi" not in co
    counts = [row["count"] for row in data["co_mentions"]]
    assert counts == sorted(counts, reverse=True)


def test_actor_months_skip_undated_articles(client, corpus):
    data = client.get("/api/actors/sergey-lavrov/").json()
    assert data["article_count"] == 2
    assert data["months"] == [{"month": "2023-03", "count": 1}]


def test_actor_without_articles(client, corpus):
    data = client.get("/api/actors/kim-jong-un/").json()
    assert data["mention_count"] == data["article_count"] == 0
    assert data["months"] == [] and data["co_mentions"] == []


def test_unknown_actor_is_404(client, corpus):
    response = client.get("/api/actors/no-such-actor/")
    assert response.status_code == 404
    assert "not found" in response.json()["error"]
