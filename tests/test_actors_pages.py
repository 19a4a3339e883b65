"""/actors/ and /actors/<slug>/: counts that agree with the database, the name filter, the page."""

import re

import pytest
from django.db.models import Count
from django.urls import reverse

from articles.models import Entity, Mention
from tests.actors_support import load_corpus


@pytest.fixture
def corpus(db):
    return load_corpus()


def row_counts(html: str) -> dict[str, tuple[int, int]]:
    """slug → (articles, mentions) as the list page shows them."""
    rows = re.findall(
        r'<a href="/actors/([^/]+)/"[^>]*>.*?</a></th>.*?'
        r'<td class="num">(\d+)</td>\s*<td class="num">(\d+)</td>',
        html,
        flags=re.S,
    )
    return {slug: (int(articles), int(mentions)) for slug, articles, mentions in rows}


def test_list_counts_agree_with_the_database(client, corpus):
    response = client.get(reverse("articles:actor_list"))
    assert response.status_code == 200
    shown = row_counts(response.content.decode())
    assert set(shown) == set(Entity.objects.values_list("slug", flat=True))
    for slug, (articles, mentions) in shown.items():
        in_db = Mention.objects.filter(entity__slug=slug)
        assert mentions == in_db.count(), slug
        assert articles == in_db.values("article").distinct().count(), slug
    # the headline «بوتين يستقبل لافروف» names both: one more mention each (issue 9)
    assert shown["vladimir-putin"] == (2, 4)
    assert shown["sergey-lavrov"] == (2, 4)


def test_list_is_grouped_by_kind_and_filters_by_kind(client, corpus):
    html = client.get(reverse("articles:actor_list")).content.decode()
    assert html.index('id="kind-person"') < html.index('id="kind-country"')
    only_places = client.get(reverse("articles:actor_list"), {"kind": "place"}).content.decode()
    slugs = set(row_counts(only_places))
    assert slugs == set(Entity.objects.filter(kind="place").values_list("slug", flat=True))
    assert "moscow" in slugs


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("بوتين", "vladimir-putin"),  # Arabic name
        ("putin", "vladimir-putin"),  # English, any case
        ("PUTIN", "vladimir-putin"),
        ("بوتن", "vladimir-putin"),  # an alias only
        ("سيرجي لافروف", "sergey-lavrov"),  # alias spelling with ج
        ("اوكرانيا", "ukraine"),  # أ/ا do not matter
        ("أوكرانيه", "ukraine"),  # nor ة/ه
        ("كرملين", "kremlin"),  # without the definite article
    ],
)
def test_filter_by_arabic_english_or_alias(client, corpus, q, expected):
    html = client.get(reverse("articles:actor_list"), {"q": q}).content.decode()
    slugs = set(row_counts(html))
    assert expected in slugs
    assert len(slugs) < Entity.objects.count()


def test_filter_without_a_match_says_so(client, corpus):
    html = client.get(reverse("articles:actor_list"), {"q": "zzzz"}).content.decode()
    assert row_counts(html) == {}
    assert 'class="empty"' in html


def test_detail_shows_names_aliases_roles_and_articles(client, corpus):
    response = client.get(reverse("articles:actor_detail", kwargs={"slug": "vladimir-putin"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "فلاديمير بوتين" in html
    assert "Vladimir Putin" in html
    assert "بوتن" in html  # an alias
    assert "الرئيس الروسي" in html and 'datetime="2012-05-07"' in html  # a role with its term
    titles = re.findall(r'class="article-title" href="/articles/(\d+)/"', html)
    first, second = corpus[0], corpus[1]
    assert titles == [str(second.pk), str(first.pk)]  # newest first, only the articles naming him
    assert 'datetime="2023-05-02"' in html and "بي بي سي عربي" in html
    assert "/search/?actor=vladimir-putin" in html
    # the timeline drawn in the page (10 March to 2 May: day by day, a bar on each day), the
    # co-mention bars opening the pair's search, and both charts as downloadable SVG
    assert '<svg class="timeline"' in html
    assert re.findall(r'class="bar-link" href="[^"]*" data-period="([\d-]+)"', html) == [
        "2023-03-10",
        "2023-05-02",
    ]
    assert 'href="/search/?actor=vladimir-putin&amp;actor=sergey-lavrov"' in html
    assert 'href="/actors/vladimir-putin/timeline.svg"' in html
    assert 'href="/actors/vladimir-putin/co-mentions.svg"' in html
    mention_count = Mention.objects.filter(entity__slug="vladimir-putin").count()
    assert f"<dd>{mention_count}</dd>" in html


def test_detail_lists_undated_articles_and_narrows_by_date(client, corpus):
    url = reverse("articles:actor_detail", kwargs={"slug": "sergey-lavrov"})
    html = client.get(url).content.decode()
    assert f'href="/articles/{corpus[3].pk}/"' in html  # the undated one
    narrowed = client.get(url, {"from": "2023-01-01", "to": "2023-12-31"}).content.decode()
    assert f'href="/articles/{corpus[0].pk}/"' in narrowed
    assert f'href="/articles/{corpus[3].pk}/"' not in narrowed


def test_detail_paginates(client, db):
    from articles.services.articles import save_article
    from articles.services.gazetteer import load_gazetteer_file
    from tests.actors_support import make_draft

    load_gazetteer_file()
    for n in range(23):
        save_article(draft=make_draft(f"خبر {n}", f"قال فلاديمير بوتين في الخبر رقم {n} كلاما."))
    url = reverse("articles:actor_detail", kwargs={"slug": "vladimir-putin"})
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert len(re.findall('class="article-title"', first)) == 20
    assert len(re.findall('class="article-title"', second)) == 3
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_actor_without_articles_has_no_charts(client, corpus):
    html = client.get(
        reverse("articles:actor_detail", kwargs={"slug": "kim-jong-un"})
    ).content.decode()
    assert "timeline.svg" not in html and 'class="timeline"' not in html
    assert 'class="empty"' in html


def test_texts_are_escaped(client, db):
    Entity.objects.create(kind="person", name_ar="<b>اسم</b>", name_en="<i>x</i>", slug="tricky")
    html = client.get(reverse("articles:actor_detail", kwargs={"slug": "tricky"})).content.decode()
    assert "<b>اسم</b>" not in html and "&lt;b&gt;اسم&lt;/b&gt;" in html
    listing = client.get(reverse("articles:actor_list")).content.decode()
    assert "<i>x</i>" not in listing


def test_unknown_actor_is_404(client, corpus):
    assert client.get("/actors/no-such-actor/").status_code == 404
    assert client.get("/actors/no-such-actor/timeline.svg").status_code == 404
    assert client.get("/actors/no-such-actor/co-mentions.svg").status_code == 404


def test_counts_match_an_independent_aggregate(corpus):
    from articles import actor_selectors

    expected = {
        row["entity__slug"]: row["n"]
        for row in Mention.objects.values("entity__slug").annotate(n=Count("id"))
    }
    got = {a.slug: a.mention_count for a in actor_selectors.filter_actors() if a.mention_count}
    assert got == expected
