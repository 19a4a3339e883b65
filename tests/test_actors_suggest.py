"""/api/actors/suggest/: actors for the header search box, in Arabic or Latin letters."""

import pytest
from django.urls import reverse

from tests.actors_support import load_corpus

URL = "/api/actors/suggest/"


@pytest.fixture
def corpus(db):
    return load_corpus()


def suggest(client, q: str) -> list[dict]:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_url_name():
    assert reverse("articles:api_actor_suggest") == URL


@pytest.mark.parametrize(
    ("q", "slug"),
    [
        ("Putin", "vladimir-putin"),
        ("put", "vladimir-putin"),
        ("PUT", "vladimir-putin"),
        ("بوت", "vladimir-putin"),  # prefix of the surname, a later word of the full name
        ("فلاديمير ب", "vladimir-putin"),
        ("لافروف", "sergey-lavrov"),
        ("لافر", "sergey-lavrov"),
        ("lavrov", "sergey-lavrov"),
        ("سيرجي", "sergey-lavrov"),  # an alias spelling
        ("أوكرانيا", "ukraine"),
        ("اوكران", "ukraine"),
        ("xi", "xi-jinping"),
    ],
)
def test_suggests_the_actor(client, corpus, q, slug):
    results = suggest(client, q)
    assert slug in [r["slug"] for r in results]


def test_result_shape(client, corpus):
    (putin,) = [r for r in suggest(client, "Putin") if r["slug"] == "vladimir-putin"]
    assert putin == {
        "slug": "vladimir-putin",
        "name_ar": "فلاديمير بوتين",
        "name_en": "Vladimir Putin",
        "url": "/actors/vladimir-putin/",
    }


def test_only_word_prefixes_match(client, corpus):
    # "وتين" is inside بوتين but starts no word of any name
    assert suggest(client, "وتين") == []
    assert "vladimir-putin" not in [r["slug"] for r in suggest(client, "tin")]


def test_names_starting_with_the_query_come_first(client, corpus):
    slugs = [r["slug"] for r in suggest(client, "wang")]
    assert set(slugs) >= {"wang-yi", "wang-wenbin"}
    results = suggest(client, "بوت")
    assert results[0]["slug"] == "vladimir-putin"  # "بوتين" starts with it, and most articles


def test_empty_or_unknown_query(client, corpus):
    assert suggest(client, "") == []
    assert suggest(client, "   ") == []
    assert suggest(client, "qqqq") == []
    assert client.get(URL).json() == {"results": []}


def test_header_has_the_search_box_wired_to_the_api(client, corpus):
    html = client.get("/actors/").content.decode()
    assert 'action="/search/"' in html and 'name="q"' in html
    assert 'role="combobox"' in html and 'aria-controls="site-q-suggestions"' in html
    assert f'data-suggest-url="{URL}"' in html
    assert 'role="listbox"' in html
    assert "js/suggest.js" in html
