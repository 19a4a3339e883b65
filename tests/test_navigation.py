"""Navigation and charts on real pages (Django client, real index): numbered pages and the page
jump, filter chips, the timelines of the home and actor pages, co-mention bars, actors compared,
and the actor network — every link checked against the search it opens."""

import html
import re
from urllib.parse import parse_qsl, urlparse

import pytest
from django.urls import reverse

from articles.models import Source
from tests.navigation_support import COUNT, load_navigation_corpus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def corpus(transactional_db):
    return load_navigation_corpus()


def page(client, url, params=None, status=200) -> str:
    response = client.get(url, params or {})
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def hrefs(text: str, css_class: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(rf'class="{css_class}"[^>]*href="([^"]*)"', text)]


def search_count(client, query: str) -> int:
    """The result count /api/search/ gives for a URL's query string."""
    query = urlparse(query).query if "?" in query else query
    return client.get(f"{reverse('articles:api_search')}?{query}").json()["count"]


def test_numbered_pages_with_first_last_and_a_jump(client, corpus):
    text = page(client, "/search/", {"actor": "vladimir-putin", "page": "2"})
    assert re.search(r'aria-current="page">2</a>', text)
    numbers = re.findall(r'class="page-number" href="([^"]*)"[^>]*>(\d+)</a>', text)
    assert [n for _h, n in numbers] == ["1", "2", "3"]  # 45 articles, 20 a page
    assert hrefs(text, "page-first") == ["?actor=vladimir-putin"]
    assert hrefs(text, "page-last") == ["?actor=vladimir-putin&page=3"]
    # the jump form carries the rest of the state, and page 3 holds the last five
    form = text[text.index('class="page-jump"') :]
    form = form[: form.index("</form>")]
    assert '<input type="hidden" name="actor" value="vladimir-putin">' in form
    assert 'name="page"' in form and 'max="3"' in form
    last = page(client, "/search/", {"actor": "vladimir-putin", "page": "3"})
    assert last.count('class="article-item search-hit"') == COUNT - 40


def test_many_pages_show_gaps_around_the_current_one(client, corpus):
    from articles import search

    original = search.PER_PAGE
    search.PER_PAGE = 2  # 23 pages
    try:
        text = page(client, "/search/", {"actor": "vladimir-putin", "page": "10"})
    finally:
        search.PER_PAGE = original
    numbers = re.findall(r'class="page-number" href="[^"]*"[^>]*>(\d+)</a>', text)
    assert numbers == ["1", "8", "9", "10", "11", "12", "23"]
    assert text.count('class="page-gap"') == 2


def test_chips_remove_one_filter_each_and_clear_all_keeps_the_words(client, corpus):
    outlet = Source.objects.get(name="الجزيرة").slug
    params = {"q": "لقاء", "actor": "xi-jinping", "source": outlet, "from": "2023-03-01"}
    text = page(client, "/search/", params)
    chips = re.findall(r'<li class="chip chip-(\w+)">.*?href="([^"]*)"', text, flags=re.S)
    assert [kind for kind, _url in chips] == ["actor", "source", "from"]
    for kind, url in chips:
        left = dict(parse_qsl(urlparse(html.unescape(url)).query))
        removed = {"actor": "actor", "source": "source", "from": "from"}[kind]
        assert left == {k: v for k, v in params.items() if k != removed}
        assert search_count(client, html.unescape(url)) >= search_count(
            client, "?" + "&".join(f"{k}={v}" for k, v in params.items())
        )
    assert hrefs(text, "chips-clear") == ["?q=%D9%84%D9%82%D8%A7%D8%A1"]
    assert "شي جين بينغ" in text[text.index("filter-chips") :]


def test_home_timeline_bars_open_the_search_of_their_month(client, corpus):
    text = page(client, "/")
    assert '<svg class="timeline"' in text
    bars = re.findall(
        r'<a class="bar-link" href="([^"]*)" data-period="([^"]*)" data-count="(\d+)"', text
    )
    assert len(bars) == 15  # fifteen months, three articles each
    for url, period, count in bars:
        state = dict(parse_qsl(urlparse(html.unescape(url)).query))
        assert state["from"].startswith(period) and state["to"].startswith(period)
        assert search_count(client, html.unescape(url)) == int(count) == 3


def test_actor_page_timeline_narrows_the_actor_page(client, corpus):
    text = page(client, "/actors/xi-jinping/")
    bars = re.findall(r'<a class="bar-link" href="([^"]*)"[^>]*data-count="(\d+)"', text)
    assert sum(int(c) for _u, c in bars) == 15  # every third article names Xi
    url, count = bars[0]
    assert html.unescape(url).startswith("/actors/xi-jinping/?from=")
    narrowed = page(client, html.unescape(url))
    assert narrowed.count('class="article-item"') == int(count)


def test_co_mention_bars_open_the_combined_actor_search(client, corpus):
    text = page(client, "/actors/vladimir-putin/")
    bars = re.findall(
        r'<a href="([^"]*)" data-actor="([^"]*)">.*?<span class="count">(\d+)',
        text[text.index('class="co-mention-bars"') :],
        flags=re.S,
    )
    shown = {actor: (html.unescape(url), int(n)) for url, actor, n in bars}
    assert shown["xi-jinping"][1] == 15 and shown["sergey-lavrov"][1] == 9
    for actor, (url, n) in shown.items():
        assert parse_qsl(urlparse(url).query) == [("actor", "vladimir-putin"), ("actor", actor)]
        assert search_count(client, url) == n


def test_actors_compared_one_line_each(client, corpus):
    text = page(client, "/actors/compare/", [("actor", "vladimir-putin"), ("actor", "xi-jinping")])
    assert text.count('<polyline class="series') == 2
    table = text[text.index('<table class="data-table">') :]
    rows = re.findall(r'<td class="num">(\d+)</td><td class="num">(\d+)</td>', table)
    assert len(rows) == 15
    assert sum(int(a) for a, _b in rows) == COUNT and sum(int(b) for _a, b in rows) == 15
    legend = text[text.index('class="legend-lines"') :]
    assert legend.index("فلاديمير بوتين") < legend.index("شي جين بينغ")


@pytest.mark.parametrize(
    "actors",
    [["vladimir-putin"], ["no-such-actor", "xi-jinping"], ["a", "b", "c", "d", "e", "f"]],
)
def test_compare_needs_two_to_five_known_actors(client, corpus, actors):
    text = page(client, "/actors/compare/", [("actor", a) for a in actors], status=400)
    assert 'role="alert"' in text and "<polyline" not in text


def test_network_nodes_and_edges_are_the_result_sets_co_mentions(client, corpus):
    text = page(client, "/search/network/", {"q": "لقاء"})
    nodes = re.findall(
        r'<a class="node-link" href="([^"]*)" data-actor="([^"]*)" aria-label="[^:]*: (\d+)"', text
    )
    by_actor = {actor: (html.unescape(url), int(n)) for url, actor, n in nodes}
    assert by_actor["vladimir-putin"][1] == COUNT
    assert by_actor["xi-jinping"][1] == 15
    for actor, (url, n) in by_actor.items():
        assert ("actor", actor) in parse_qsl(urlparse(url).query)
        assert ("q", "لقاء") in parse_qsl(urlparse(url).query)
        assert search_count(client, url) == n
    edges = re.findall(r'<a class="edge-link" href="([^"]*)" aria-label="[^:]*: (\d+)"', text)
    assert edges
    for url, weight in edges:
        assert search_count(client, html.unescape(url)) == int(weight)
    # Xi and Lavrov together: articles 0, 15, 30
    pair = [w for u, w in edges if "xi-jinping" in u and "sergey-lavrov" in u]
    assert pair == ["3"]


def test_network_reads_from_the_right_in_arabic(client, corpus):
    text = page(client, "/search/network/", {"q": "لقاء"})
    circles = re.findall(r'data-actor="([^"]*)".*?<circle [^>]*cx="([\d.]+)"', text, flags=re.S)
    first_actor, x = circles[0]
    assert first_actor == "vladimir-putin" and float(x) > 430  # right of the centre
    client.cookies["django_language"] = "en"
    english = client.get("/search/network/", {"q": "لقاء"}, headers={"accept-language": "en"})
    circles = re.findall(
        r'data-actor="([^"]*)".*?<circle [^>]*cx="([\d.]+)"', english.content.decode(), re.S
    )
    assert circles[0][0] == "vladimir-putin" and float(circles[0][1]) < 430


def test_a_bad_search_is_a_message_on_the_network_page(client, corpus):
    text = page(client, "/search/network/", {"from": "yesterday"}, status=400)
    assert 'role="alert"' in text


def test_search_timeline_bars_match_the_searches_they_open(client, corpus):
    text = page(client, "/search/", {"actor": "vladimir-putin"})
    assert '<svg class="timeline"' in text
    bars = re.findall(
        r'<a class="bar-link" href="([^"]*)" data-period="([^"]*)" data-count="(\d+)"', text
    )
    api = client.get("/api/search/", {"actor": "vladimir-putin"}).json()
    histogram = {row["period"]: row["count"] for row in api["timeline"]["periods"] if row["count"]}
    assert {period: int(n) for _u, period, n in bars} == histogram
    for url, _period, count in bars:
        state = dict(parse_qsl(urlparse(html.unescape(url)).query))
        assert state["actor"] == "vladimir-putin"
        assert search_count(client, html.unescape(url)) == int(count)
    # the seed corpus is not loaded here: every result is dated, so the bars add up to the count
    assert sum(int(n) for _u, _p, n in bars) == api["count"] == COUNT
    narrowed = page(
        client, "/search/", {"actor": "vladimir-putin", "from": "2023-06-01", "to": "2023-06-30"}
    )
    assert 'data-interval="day"' in narrowed
    assert re.findall(r'data-period="(2023-06-\d\d)"', narrowed) == [
        "2023-06-05",
        "2023-06-15",
        "2023-06-25",
    ]


def test_outlets_are_or_ed_and_keep_their_counts(client, corpus):
    jazeera, bbc = (Source.objects.get(name=n).slug for n in ("الجزيرة", "بي بي سي عربي"))
    alone = {s: search_count(client, f"source={s}") for s in (jazeera, bbc)}
    assert alone == {jazeera: 15, bbc: 15}
    assert search_count(client, f"source={jazeera}&source={bbc}") == 30
    # with one outlet chosen, the others still show what choosing them would bring
    text = page(client, "/search/", {"source": jazeera})
    other = re.search(
        rf'href="([^"]*)"[^>]*data-facet="source" data-value="{bbc}"><bdi>[^<]*</bdi> '
        r'<span class="count">(\d+)',
        text,
    )
    assert other and int(other.group(2)) == 15
    assert parse_qsl(urlparse(html.unescape(other.group(1))).query) == [
        ("source", jazeera),
        ("source", bbc),
    ]
    assert text.count('class="chip chip-source"') == 1


def test_actors_are_and_ed_unless_any_is_chosen(client, corpus):
    both = "actor=xi-jinping&actor=sergey-lavrov"
    assert search_count(client, both) == 3  # articles 0, 15 and 30
    assert search_count(client, both + "&actor_mode=any") == 15 + 9 - 3
    text = page(client, "/search/", [("actor", "xi-jinping"), ("actor", "sergey-lavrov")])
    modes = dict(re.findall(r'class="actor-mode" href="[^"]*" data-mode="(\w+)"([^>]*)>', text))
    assert set(modes) == {"all", "any"} and "aria-current" in modes["all"]
    anyof = page(client, "/search/?" + both + "&actor_mode=any")
    assert 'class="chip chip-actor-mode"' in anyof
    # in "any" mode each actor is counted on its own, so the counts say what each one brings
    counts = dict(
        re.findall(
            r'data-facet="actor" data-value="([^"]*)"><bdi>[^<]*</bdi> <span class="count">(\d+)',
            anyof,
        )
    )
    assert counts["xi-jinping"] == "15" and counts["sergey-lavrov"] == "9"
    assert client.get("/api/search/", {"actor_mode": "some"}).status_code == 400
    single = page(client, "/search/", {"actor": "xi-jinping", "actor_mode": "any"})
    assert "chip-actor-mode" not in single and "actor-mode" not in single  # one actor: no mode
