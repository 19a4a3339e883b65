"""Issue 9, search side: aliases expanded at query time (Arabic and Latin), the actor a query names
offered as a filter, marks and KWIC that follow the query (phrases as phrases), and queries with
no searchable word refused with the usual message. Against the real Whoosh index."""

import datetime
import json
import re

import pytest
from django.http import QueryDict
from django.urls import reverse

from articles.actor_queries import latin_aliases
from articles.entities.gazetteer import GAZETTEER_PATH
from articles.indexing import index_articles
from articles.models import Article, Mention
from articles.search import (
    SearchInputError,
    hits_for_query,
    parse_params,
    parse_query,
    run_search,
    snippet,
)
from articles.services.articles import content_hash, get_or_create_source, replace_mentions
from tests.search_fixtures import make_articles

pytestmark = pytest.mark.django_db

EXTRA = [
    # (key, title, body, date)
    ("trump_a", "واشنطن", "قال ترامب إن المحادثات مثمرة.", "2024-04-01"),
    ("trump_b", "تصريحات", "وأكد ترمب أن الرسوم باقية.", "2024-04-02"),
    ("trump_c", "حملة", "خطب دونالد ترامب في أنصاره، ثم غادر ترمب القاعة.", "2024-04-03"),
    ("xi_a", "زيارة", "استقبل الرئيس شي جينبينغ ضيفه في بكين.", "2024-04-04"),
    ("xi_b", "قمة", "وقال شي جين بينج إن التعاون سيستمر.", "2024-04-05"),
    ("xi_c", "خطة", "أعلن جينبينغ خطة جديدة.", "2024-04-05"),
    ("wang", "دبلوماسية", "التقى وانج يي نظيره في أنقرة.", "2024-04-06"),
    (
        "phrase",
        "الكرملين",
        "قال الرئيس الروسي إن الحوار ممكن. وأضاف الرئيس أن الوفد الروسي وصل، "
        "ثم عاد والرئيس الروسي إلى موسكو. الروسي الرئيس ليسا عبارة.",
        "2024-04-07",
    ),
]


@pytest.fixture
def articles():
    made = make_articles()
    for key, title, body, day in EXTRA:
        article = Article.objects.create(
            title=title,
            body=body,
            source=get_or_create_source(name="الجزيرة"),
            published_on=datetime.date.fromisoformat(day),
            content_hash=content_hash(body=body),
        )
        replace_mentions(article=article)
        made[key] = article
    index_articles(pks=[a.pk for a in made.values()])
    return made


def found(q: str, **params) -> set[int]:
    data = QueryDict(mutable=True)
    data.update({"q": q, **params})
    return {hit.article.pk for hit in run_search(parse_params(data)).hits}


def marks(html: str) -> list[str]:
    """The text of every hit mark, a phrase cut by an actor mark counted once."""
    html = re.sub(
        r"</mark>(</a></mark>)?(<mark class=\"entity[^>]*><a[^>]*>)?<mark class=\"hit\">", "", html
    )
    return [
        re.sub(r"<[^>]+>", "", m) for m in re.findall(r'<mark class="hit"[^>]*>(.*?)</mark>', html)
    ]


def marked(body: str, q: str) -> list[str]:
    return [body[s.start : s.end] for s in hits_for_query(body, q=q)]


# --- point 6: every alias of the actor a query names ---------------------------------------------


@pytest.mark.parametrize("q", ["ترامب", "ترمب", "دونالد ترامب", "دونالد ترمب"])
def test_any_alias_finds_every_alias(articles, q):
    assert found(q) == {articles[k].pk for k in ("trump_a", "trump_b", "trump_c")}


@pytest.mark.parametrize("q", ["شي جين بينغ", "شي جينبينغ", "شي جين بينج", '"شي جين بينغ"'])
def test_multi_word_aliases_are_phrases_ored_together(articles, q):
    assert found(q) == {articles[k].pk for k in ("clitics", "xi_a", "xi_b", "xi_c")}


def test_wang_yi_both_spellings(articles):
    assert found("وانغ يي") == found("وانج يي") == {articles["wang"].pk}


def test_expansion_is_marked_on_every_form_found(articles):
    body = articles["trump_c"].body
    assert marked(body, "ترامب") == ["دونالد ترامب", "ترمب"]
    assert marks(str(snippet(body, terms=parse_query("ترمب").terms))) == ["دونالد ترامب", "ترمب"]
    assert marked(articles["xi_b"].body, "شي جين بينغ") == ["شي جين بينج"]
    assert marked(articles["xi_a"].body, "شي جين بينغ") == ["شي جينبينغ"]
    assert marked(articles["clitics"].body, "جينبينغ") == ["شي جين بينغ"]


def test_not_excludes_every_alias_and_marks_none(articles):
    assert articles["trump_b"].pk not in found("الرسوم NOT ترامب")
    assert found("ترامب NOT ترمب") == set()  # two names of one actor
    body = articles["trump_c"].body
    assert marked(body, "أنصاره NOT ترامب") == ["أنصاره"]


def test_an_ambiguous_alias_is_not_expanded(articles):
    assert parse_query("شي").actors == ()
    assert found("شي") == {articles[k].pk for k in ("clitics", "xi_a", "xi_b")}  # not xi_c


def test_an_office_title_finds_its_holder_named_only(articles):
    # the gazetteer's role «وزير الخارجية الروسي» (Lavrov); the article says only «سيرغي لافروف»
    assert articles["lavrov"].pk in found("وزير الخارجية الروسي")
    assert "sergey-lavrov" in parse_query("وزير الخارجية الروسي").actors
    assert marked(articles["lavrov"].body, "وزير الخارجية الروسي") == ["سيرغي لافروف"]


def test_a_quoted_title_stays_the_phrase_and_a_name_not_its_title(articles):
    assert articles["lavrov"].pk not in found('"وزير الخارجية الروسي"')
    assert parse_query('"وزير الخارجية الروسي"').actors == ()
    assert articles["phrase"].pk not in found("بوتين")  # says «الرئيس الروسي», never the name


# --- point 7: Latin names, and the actor filter offer --------------------------------------------


@pytest.mark.parametrize("q", ["Putin", "putin", "PUTIN", "Vladimir Putin", "vladimir  putin"])
def test_a_latin_name_searches_the_arabic_aliases(articles, q):
    assert found(q) == found("بوتين") != set()
    assert parse_query(q).actors == ("vladimir-putin",)


@pytest.mark.parametrize(
    "q", ["xi jinping", "Xi Jinping", "XI JINPING", "xijinping", "Xi Jin Ping"]
)
def test_latin_names_are_tolerant_of_case_and_spacing(articles, q):
    assert parse_query(q).actors == ("xi-jinping",)
    assert found(q) == found("شي جين بينغ")


def test_a_latin_query_marks_the_arabic_forms(articles):
    body = articles["clitics"].body
    assert marked(body, "Putin") == ["بوتين"]


def test_every_shipped_actor_has_a_latin_name_and_none_is_shared():
    data = json.loads(GAZETTEER_PATH.read_text(encoding="utf-8"))
    owner: dict[str, str] = {}
    for entity in data["entities"]:
        for name in (entity["name_en"], *latin_aliases().get(entity["slug"], ())):
            assert name.isascii() and sum(c.isalpha() for c in name) >= 2, name
            key = "".join(name.lower().split())
            assert owner.setdefault(key, entity["slug"]) == entity["slug"], name
    assert "Putin" in latin_aliases()["vladimir-putin"]


def _mentioning(slug: str) -> int:
    return Mention.objects.filter(entity__slug=slug).values("article").distinct().count()


@pytest.mark.parametrize("q", ["Putin", "بوتين", "لبوتين", "فلاديمير بوتين"])
def test_the_search_page_offers_the_actor_with_its_count(client, articles, q):
    html = client.get(reverse("articles:search"), {"q": q}).content.decode()
    box = re.search(r'<aside class="actor-suggestions".*?</aside>', html, re.S)
    assert box, html
    link = re.search(r'href="([^"]+)"', box.group()).group(1)
    assert link == "/search/?actor=vladimir-putin"
    count = _mentioning("vladimir-putin")
    assert f'data-count="{count}"' in box.group()
    assert "هذا الفاعل" in box.group()  # "… articles name this actor", in Arabic
    assert "فلاديمير بوتين" in box.group()
    # the link gives exactly that many articles
    assert (
        client.get(reverse("articles:api_search"), {"actor": "vladimir-putin"}).json()["count"]
        == count
    )


def test_the_api_lists_the_offer(client, articles):
    data = client.get(reverse("articles:api_search"), {"q": "xi jinping"}).json()
    [offer] = data["actor_suggestions"]
    assert offer["slug"] == "xi-jinping" and offer["name"] == "شي جين بينغ"
    assert offer["count"] == _mentioning("xi-jinping") > 0
    assert offer["url"].endswith("/search/?actor=xi-jinping")
    assert offer["api_url"].endswith("/api/search/?actor=xi-jinping")


def test_the_offer_keeps_other_filters_and_counts_under_them(client, articles):
    data = client.get(reverse("articles:api_search"), {"q": "ترامب", "from": "2024-04-02"}).json()
    [offer] = data["actor_suggestions"]
    assert offer["url"].endswith("/search/?actor=donald-trump&from=2024-04-02")
    assert offer["count"] == 2


@pytest.mark.parametrize(
    ("params", "offered"),
    [
        ({"q": "العلاقات NOT بوتين"}, []),
        ({"q": "بوتين", "actor": "vladimir-putin"}, []),
        ({"q": "زلزال"}, []),
        ({"q": "شي"}, []),
        ({"q": "بوتين OR ترامب"}, ["vladimir-putin", "donald-trump"]),
    ],
)
def test_offers_only_actors_the_words_name(client, articles, params, offered):
    data = client.get(reverse("articles:api_search"), params).json()
    assert [o["slug"] for o in data["actor_suggestions"]] == offered
    html = client.get(reverse("articles:search"), params).content.decode()
    assert ('class="actor-suggestions"' in html) == bool(offered)


# --- point 9: marks and KWIC follow the query ----------------------------------------------------


def test_a_phrase_marks_only_its_occurrences_as_one_span(articles):
    body = articles["phrase"].body
    assert marked(body, '"الرئيس الروسي"') == ["الرئيس الروسي", "والرئيس الروسي"]
    html = str(snippet(body, terms=parse_query('"الرئيس الروسي"').terms, chars=400))
    assert marks(html) == ["الرئيس الروسي", "والرئيس الروسي"]
    assert marked(articles["clitics"].body, '"الرئيس الروسي"') == ["للرئيس الروسي"]


def test_a_single_word_marks_every_form(articles):
    body = articles["phrase"].body
    assert marked(body, "الرئيس") == ["الرئيس", "الرئيس", "والرئيس", "الرئيس"]


def test_mixed_queries_mark_words_and_phrases_never_not_terms(articles):
    body = articles["phrase"].body
    assert marked(body, 'موسكو AND "الرئيس الروسي"') == [
        "الرئيس الروسي",
        "والرئيس الروسي",
        "موسكو",
    ]
    assert marked(body, '"الرئيس الروسي" NOT الوفد') == ["الرئيس الروسي", "والرئيس الروسي"]
    assert "الروسي" not in marked(body, "الرئيس NOT الروسي")
    # a word that also opens a phrase of the query: each occurrence marked once, the phrase whole
    assert marked(body, 'الرئيس OR "الرئيس الروسي"') == [
        "الرئيس الروسي",
        "الرئيس",
        "والرئيس الروسي",
        "الرئيس",
    ]


def test_marks_agree_with_matching(articles):
    for q in ['"الرئيس الروسي"', '"الروسي الرئيس"', '"الوفد الروسي"', "ترامب", "Putin"]:
        parsed = parse_query(q)
        hits = found(q)
        for article in Article.objects.all():
            assert bool(hits_for_query(article.body, q=q)) == (article.pk in hits), (q, article)
        assert parsed.terms


def test_the_reading_page_marks_the_phrase(client, articles):
    article = articles["clitics"]
    html = client.get(article.get_absolute_url(), {"q": '"الرئيس الروسي"'}).content.decode()
    body = html.split('id="article-body"', 1)[1]
    assert marks(body) == ["للرئيس الروسي"]
    start = article.body.index("للرئيس الروسي")
    assert f'id="h-{start}"' in body


def kwic_lines(client, q: str) -> list[tuple[str, str]]:
    html = client.get(reverse("articles:kwic"), {"q": q}).content.decode()
    return re.findall(r'<a class="kwic-hit" href="([^"]+)">([^<]+)</a>', html)


def test_kwic_gives_one_line_per_phrase_occurrence(client, articles):
    lines = kwic_lines(client, '"الرئيس الروسي"')
    assert sorted(word for _url, word in lines) == sorted(
        ["للرئيس الروسي", "الرئيس الروسي", "والرئيس الروسي"]
    )
    assert len({url for url, _w in lines}) == len(lines)  # no duplicates
    for url, word in lines:
        pk = int(re.search(r"/articles/(\d+)/", url).group(1))
        start = int(url.rsplit("#h-", 1)[1])
        assert Article.objects.get(pk=pk).body[start : start + len(word)] == word


def test_kwic_of_an_alias_lists_each_form_once(client, articles):
    lines = kwic_lines(client, "ترامب")
    assert sorted(word for _u, word in lines) == sorted(["ترامب", "ترمب", "دونالد ترامب", "ترمب"])


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    [
        "و",
        "ال",
        "لل",
        "وال",
        "ولل",
        "فب",
        "و ال لل",
        "في",
        "في من إلى",
        "...",
        "؟",
        "؟!",
        "!؟ ،",
        "«»",
        '"ال"',
        '"و ال"',
        "NOT ال",
        "ال NOT بوتين",
        "ال*",
        "لل*",
        "و OR ال",
        "(ال)",
    ],
)
def test_no_searchable_word_is_the_usual_message(client, articles, q):
    with pytest.raises(SearchInputError):
        parse_query(q)
    page = client.get(reverse("articles:search"), {"q": q})
    assert page.status_code in (200, 400)
    assert b'class="search-error"' in page.content and b"search-results" not in page.content
    response = client.get(reverse("articles:api_search"), {"q": q})
    assert response.status_code == 400 and " / " in response.json()["error"]
    assert client.get(reverse("articles:kwic"), {"q": q}).status_code == 400
    reading = client.get(articles["clitics"].get_absolute_url(), {"q": q})
    assert reading.status_code == 200 and b'class="hit"' not in reading.content


def test_empty_words_beside_real_ones_are_ignored(articles):
    assert found("بوتين ال") == found("بوتين") == found("بوتين؟") == {articles["clitics"].pk}
    assert found('"للرئيس ال الروسي"') == found('"الرئيس الروسي"')


def test_an_alias_added_in_the_admin_expands_at_once(articles):
    from articles.models import Alias, Entity

    article = Article.objects.create(
        title="خبر",
        body="وصل بوتينو إلى القمة.",
        published_on=datetime.date(2024, 5, 1),
        content_hash=content_hash(body="وصل بوتينو إلى القمة."),
    )
    index_articles(pks=[article.pk])
    assert article.pk not in found("بوتين")
    Alias.objects.create(entity=Entity.objects.get(slug="vladimir-putin"), text="بوتينو")
    assert article.pk in found("بوتين")
    assert marked(article.body, "Putin") == ["بوتينو"]


def test_a_name_typed_many_times_is_matched_once(articles):
    parsed = parse_query(" ".join(["شي جين بينغ"] * 40))
    assert parsed.query == parse_query("شي جين بينغ").query
    assert found(" ".join(["ترامب"] * 80)) == found("ترامب")
