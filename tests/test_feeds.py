"""Atom feeds of a search (its own parameters, newest first) and of an actor."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.search_fixtures import make_articles

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def articles():
    return make_articles()


def entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content), ET.fromstring(response.content).findall(f"{ATOM}entry")


def test_search_feed_takes_the_search_parameters(client, articles):
    feed, items = entries(client, reverse("articles:feed_search") + "?q=العلاقات")
    assert "العلاقات" in feed.find(f"{ATOM}title").text
    links = [e.find(f"{ATOM}link").get("href") for e in items]
    # newest first, whatever the relevance
    assert links == [
        f"http://testserver/articles/{articles['clitics'].pk}/",
        f"http://testserver/articles/{articles['lavrov'].pk}/",
    ]
    clitics = items[0]
    assert clitics.find(f"{ATOM}title").text == "قمة موسكو"
    assert clitics.find(f"{ATOM}author/{ATOM}name").text == "الجزيرة"
    assert clitics.find(f"{ATOM}published").text.startswith("2024-03-21")
    assert "فلاديمير بوتين" in {c.get("term") for c in clitics.findall(f"{ATOM}category")}
    _feed, narrowed = entries(
        client, reverse("articles:feed_search") + "?q=العلاقات&from=2024-01-01"
    )
    assert len(narrowed) == 1
    self_link = feed.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link.startswith("http://testserver/feeds/search/?q=")
    assert "%D8%A7%D9%84%D8%B9%D9%84%D8%A7%D9%82%D8%A7%D8%AA" in self_link  # the query kept


def test_actor_feed(client, articles):
    _feed, items = entries(client, reverse("articles:feed_actor", args=["vladimir-putin"]))
    assert [e.find(f"{ATOM}title").text for e in items] == ["قمة موسكو"]
    assert client.get(reverse("articles:feed_actor", args=["nobody"])).status_code == 404


def test_bad_search_parameter_is_a_400(client, articles):
    response = client.get(reverse("articles:feed_search") + "?sort=sideways")
    assert response.status_code == 400 and "sideways" in response.content.decode()
