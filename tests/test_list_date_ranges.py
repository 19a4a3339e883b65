"""`/sources/`, `/archive/` and `/actors/` honour `?from=&to=` like every article list (issue 13):
counts, dates and rows are those of the range, and the links carry the range on."""

import re

import pytest
from django.urls import reverse

from articles.models import Source
from tests.search_fixtures import make_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    return make_articles()


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def outlet_row(page: str, name: str) -> str | None:
    match = re.search(rf"<tr>\s*<th scope=\"row\"><a [^>]*>{name}</a></th>.*?</tr>", page, re.S)
    return match.group(0) if match else None


def test_outlets_are_counted_within_the_range(client, articles):
    everything = html(client, reverse("articles:source_list"))
    assert '<td class="num">3</td>' in outlet_row(everything, "الجزيرة")
    page = html(client, reverse("articles:source_list") + "?from=2024-01-01&to=2024-02-28")
    bbc = outlet_row(page, "بي بي سي عربي")
    assert '<td class="num">2</td>' in bbc
    assert (
        '<time datetime="2024-01-15" lang="ar" dir="rtl">' in bbc
        and '<time datetime="2024-02-20" lang="ar" dir="rtl">' in bbc
    )
    assert outlet_row(page, "الجزيرة") is None  # nothing from it in those dates
    slug = Source.objects.get(name="بي بي سي عربي").slug
    assert f'href="/sources/{slug}/?from=2024-01-01&amp;to=2024-02-28"' in page
    page = html(client, reverse("articles:source_list") + "?from=2024-03-01")
    jazeera = outlet_row(page, "الجزيرة")
    assert (
        '<td class="num">1</td>' in jazeera
        and '<time datetime="2024-03-21" lang="ar" dir="rtl">' in jazeera
    )
    assert (
        '<time datetime="2023-03-01" lang="ar" dir="rtl">' not in jazeera
    )  # its first article is before the range


def test_the_archive_shows_the_years_and_months_of_the_range(client, articles):
    page = html(client, reverse("articles:archive") + "?from=2024-02-01")
    assert re.search(
        r'href="/archive/2024/\?from=2024-02-01">2024</a>\s*<span class="count">مقالان', page
    )
    assert 'href="/archive/2023/' not in page
    assert (
        '<time datetime="2024-01" lang="ar" dir="rtl">' not in page
        and '<time datetime="2024-02" lang="ar" dir="rtl">' in page
    )
    page = html(client, reverse("articles:archive") + "?to=2023-12-31")
    assert re.search(r'href="/archive/2023/\?to=2023-12-31">2023</a>', page)
    assert re.findall(r'<time datetime="(\d{4}-\d\d)" lang="ar" dir="rtl">', page) == [
        "2023-03",
        "2023-05",
    ]
    assert 'href="/archive/2024/' not in page
    page = html(client, reverse("articles:archive") + "?from=2030-01-01")
    assert "archive-year" not in page


def test_actors_are_counted_within_the_range(client, articles):
    everything = html(client, reverse("articles:actor_list"))
    assert 'href="/actors/sergey-lavrov/"' in everything  # named in an undated article
    page = html(client, reverse("articles:actor_list") + "?from=2024-03-01&to=2024-03-31")
    putin = re.search(
        r'href="/actors/vladimir-putin/\?from=2024-03-01&amp;to=2024-03-31".*?</tr>', page, re.S
    )
    assert putin and re.findall(r'<td class="num">(\d+)</td>', putin.group(0))[0] == "1"
    assert "sergey-lavrov" not in page
    assert 'value="2024-03-01"' in page and 'value="2024-03-31"' in page  # the form keeps them
    assert "vladimir-putin" not in html(client, reverse("articles:actor_list") + "?to=2023-12-31")


@pytest.mark.parametrize("name", ["source_list", "archive", "actor_list"])
def test_a_bad_range_is_a_400_with_the_reason(client, articles, name):
    response = client.get(
        reverse(f"articles:{name}") + "?from=2024-13-01", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400 and "YYYY-MM-DD" in response.content.decode()
