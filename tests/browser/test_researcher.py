"""A researcher's session in headless Chromium on the seed corpus: search, facets, reading with
highlights, the actor page, a CSV export read back, KWIC, the language switch, and a phone-width
check of every page for console errors and horizontal overflow."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, quote, urlparse

import pytest

# django_db: declares the database to pytest-django (each test runs in a transaction that the
# read-only session leaves untouched); the corpus itself comes from the module-scoped server.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def overflow(page) -> int:
    """How far the page is wider than the viewport (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_researcher_journey(seeded_server, browser, console_errors, screenshot):
    page = console_errors(browser.new_page(viewport=DESKTOP, locale="ar"))

    page.goto(f"{seeded_server}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("svg.timeline a.bar-link").count() >= 4  # one bar per month with articles
    assert page.locator(".rank-list a").count() >= 3  # most-mentioned actors, linked
    screenshot(page, "home.png")

    # search "بوتين", then narrow by year and outlet by clicking facet links
    page.goto(f"{seeded_server}/search/")
    page.fill("#search-q", "بوتين")
    page.locator(".search-form button[type=submit]").click()
    page.wait_for_selector(".search-hit")
    everything = page.locator(".search-hit").count()
    assert everything >= 2
    screenshot(page, "search-facets.png")
    page.locator("a[data-facet=year][data-value='2023']").click()
    page.wait_for_url(re.compile(r"from=2023-01-01"))
    page.locator("a[data-facet=source]").first.click()
    page.wait_for_url(re.compile(r"source="))
    state = parse_qs(urlparse(page.url).query)
    assert state["q"] == ["بوتين"] and state["from"] == ["2023-01-01"] and "source" in state
    narrowed = page.locator(".search-hit").count()
    assert 1 <= narrowed < everything

    # the CSV export of exactly this result set, read back
    export = page.locator(".export-links a[href*='export.csv']").get_attribute("href")
    assert parse_qs(urlparse(export).query) == state
    response = page.request.get(f"{seeded_server}{export}")
    assert response.ok and response.headers["content-type"].startswith("text/csv")
    raw = response.body()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == narrowed
    assert list(rows[0]) == ["id", "title", "outlet", "date", "url", "actors", "page_url"]
    assert all(row["date"].startswith("2023-") for row in rows)
    assert "vladimir-putin" in rows[0]["actors"]

    # open the article: actors are highlighted, and the toggle takes the colour away
    page.locator(".search-hit .article-title").first.click()
    page.wait_for_selector("#article-body")
    marks = page.locator("#article-body mark.entity")
    assert marks.count() >= 2 and marks.first.is_visible()
    colour = "getComputedStyle(document.querySelector('#article-body mark.entity')).backgroundColor"
    assert page.evaluate(colour) != "rgba(0, 0, 0, 0)"
    assert page.locator(".reading").get_attribute("dir") == "rtl"
    screenshot(page, "article.png")
    page.locator("#toggle-highlights").uncheck()
    assert page.evaluate(colour) == "rgba(0, 0, 0, 0)"
    page.locator("#toggle-highlights").check()

    # the actor page, from the article's legend
    page.locator(".legend a[data-entity='vladimir-putin']").click()
    page.wait_for_url(re.compile(r"/actors/vladimir-putin/"))
    assert "بوتين" in page.locator("h1").inner_text()
    screenshot(page, "actor.png")

    # KWIC for the actor: each line opens the article at that mention, which is flashed
    page.goto(f"{seeded_server}/kwic/?actor=vladimir-putin")
    lines = page.locator(".kwic-line")
    assert lines.count() >= 3
    screenshot(page, "kwic.png")
    target = page.locator(".kwic-hit").first
    anchor = target.get_attribute("href").split("#")[1]
    assert re.fullmatch(r"m-\d+", anchor)
    target.click()
    page.wait_for_selector(f"#{anchor}.flash")
    assert page.locator(f"#{anchor}").is_visible()

    # the same pages in English: the chrome turns LTR, the Arabic text stays RTL
    page.goto(f"{seeded_server}/kwic/?q={quote('بوتين')}")
    page.locator(".language-switch button").click()
    page.wait_for_selector("html[lang=en]")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("ol.kwic").get_attribute("dir") == "rtl"
    assert "Keyword in context" in page.locator("h1").inner_text()
    page.locator(".language-switch button").click()
    page.wait_for_selector("html[lang=ar]")

    assert console_errors.errors == []


def test_phone_width_has_no_horizontal_overflow(seeded_server, browser, console_errors, screenshot):
    page = console_errors(browser.new_page(viewport=PHONE, locale="ar"))
    page.goto(f"{seeded_server}/")
    article = page.locator(".article-title").first.get_attribute("href")
    paths = [
        "/",
        f"/search/?q={quote('بوتين')}",
        article,
        "/kwic/?actor=vladimir-putin",
        "/archive/",
        "/archive/2023/",
        "/sources/",
        "/actors/vladimir-putin/",
    ]
    for path in paths:
        page.goto(f"{seeded_server}{path}")
        assert overflow(page) <= 0, f"{path} is wider than a 360px screen"
    page.goto(f"{seeded_server}/")
    screenshot(page, "phone-home.png")
    page.goto(f"{seeded_server}{article}")
    screenshot(page, "phone-article.png")
    assert console_errors.errors == []
