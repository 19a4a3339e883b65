"""Near-identical results collapse under one card, on the page and in /api/search/, on a real
Whoosh index; the count and the pages stay those of the matching articles."""

import datetime

import pytest

from articles import search
from articles.indexing import index_articles
from articles.models import Article
from articles.services import articles as services
from articles.services.gazetteer import load_gazetteer_file

STORY = (
    "أعلن وزير الخارجية الروسي سيرغي لافروف اليوم أن موسكو وبكين ستوقعان اتفاقا جديدا للتعاون"
    " في مجال الطاقة خلال زيارة الرئيس الصيني المرتقبة إلى العاصمة الروسية الشهر المقبل، وأضاف"
    " أن الاتفاق يشمل مشاريع الغاز والنفط ومد خطوط أنابيب جديدة تربط سيبيريا بشمال الصين، كما"
    " يشمل تعاونا في الطاقة النووية السلمية وبناء محطات جديدة في البلدين خلال السنوات المقبلة."
)
OTHER = (
    "قال وزير الخارجية الروسي سيرغي لافروف إن المحادثات مع اليابان حول جزر الكوريل لم تحقق"
    " تقدما، وإن موسكو ما زالت ترى أن الجزر جزء من أراضيها منذ نهاية الحرب العالمية الثانية."
)


def _article(title: str, body: str, source: str, day: str) -> Article:
    article = Article.objects.create(
        title=title,
        body=body,
        source=services.get_or_create_source(name=source),
        published_on=datetime.date.fromisoformat(day),
        content_hash=services.content_hash(body=body),
    )
    services.replace_mentions(article=article)
    return article


@pytest.fixture
def stories(db):
    load_gazetteer_file()
    made = {
        "first": _article("لافروف: اتفاق للطاقة مع بكين", STORY, "سكاي نيوز عربية", "2018-05-02"),
        # the same story from another outlet, one sentence changed at the end
        "copy": _article(
            "موسكو وبكين توقعان اتفاقا للطاقة",
            STORY.replace("خلال السنوات المقبلة.", "في غضون عشر سنوات."),
            "العربية",
            "2018-05-02",
        ),
        "other": _article("لافروف واليابان", OTHER, "سي إن إن", "2018-05-03"),
    }
    index_articles(pks=[a.pk for a in made.values()])
    return made


def test_the_page_shows_one_card_per_story_and_an_expandable_list(client, stories):
    response = client.get("/search/", {"q": "لافروف"})
    html = response.content.decode()
    assert response.status_code == 200
    cards = html.count('class="article-item search-hit"')
    assert cards == 2  # the copy sits under its story's card
    assert '<details class="near-duplicates">' in html
    assert html.count('<details class="near-duplicates">') == 1
    assert stories["copy"].get_absolute_url() in html  # reachable from the expanded list


def test_the_api_lists_the_collapsed_ids_and_keeps_the_true_count(client, stories):
    data = client.get("/api/search/", {"q": "لافروف"}).json()
    assert data["count"] == 3  # every matching article is counted
    by_id = {r["id"]: r for r in data["results"]}
    assert len(by_id) == 2
    card = next(r for r in data["results"] if "duplicates" in r)
    assert {card["id"], *card["duplicates"]} == {stories["first"].pk, stories["copy"].pk}
    assert "duplicates" not in by_id[stories["other"].pk]  # nothing collapsed under it


def test_different_stories_on_one_topic_are_not_collapsed(stories):
    page = search.run_search(search.SearchParams(q="وزير الخارجية الروسي"))
    assert [len(hit.duplicates) for hit in page.hits].count(0) == 1
    assert sum(1 + len(hit.duplicates) for hit in page.hits) == page.count == 3


def test_paging_covers_the_same_ranks_whatever_collapses(stories, monkeypatch):
    monkeypatch.setattr(search, "PER_PAGE", 2)
    first = search.run_search(search.SearchParams(q="لافروف", page=1))
    second = search.run_search(search.SearchParams(q="لافروف", page=2))
    shown = [
        a.pk for page in (first, second) for h in page.hits for a in (h.article, *h.duplicates)
    ]
    assert sorted(shown) == sorted(a.pk for a in stories.values())  # none lost, none twice
    assert first.num_pages == 2
