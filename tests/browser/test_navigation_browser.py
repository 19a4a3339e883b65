"""Timelines and navigation in headless Chromium: clicking a timeline bar and dragging across
bars narrow the URL and the results; OR-ed facets; the page jump; the phone layout (results above
the folded facets at 360 px); a network node opens the combined search; screenshots at 1366 and
360 px of the search, actor, compare and network pages."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlparse

import pytest

from tests.navigation_support import load_navigation_corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def server(seeded_server, django_db_blocker):
    """The seeded portal plus 45 dated articles over fifteen months (tests.navigation_support)."""
    with django_db_blocker.unblock():
        load_navigation_corpus()
    return seeded_server


def state(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def result_count(page) -> int:
    return int(re.search(r"\d+", page.locator("#result-count").inner_text()).group())


def listed_dates(page, selector: str) -> list[str]:
    return page.locator(f"{selector} time").evaluate_all("els => els.map(e => e.dateTime)")


def bar_centre(page, bar) -> tuple[float, float]:
    box = page.locator(f"svg.timeline a.bar-link[data-period='{bar}'] .hit-area").bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_clicking_a_bar_narrows_to_its_period(server, browser, console_errors):
    page = console_errors(browser.new_page(viewport=WIDE, locale="ar"))
    page.goto(f"{server}/search/?actor=vladimir-putin")
    bar = page.locator("svg.timeline a.bar-link[data-period='2023-06']")
    count = int(bar.get_attribute("data-count"))
    bar.click()
    page.wait_for_url(re.compile(r"from=2023-06-01"))
    assert state(page.url) == {
        "actor": ["vladimir-putin"],
        "from": ["2023-06-01"],
        "to": ["2023-06-30"],
    }
    assert result_count(page) == count == 3
    assert all(d.startswith("2023-06") for d in listed_dates(page, ".search-hit"))
    # the narrowed page draws the month day by day
    assert page.locator("svg.timeline").get_attribute("data-interval") == "day"
    assert console_errors.errors == []


def test_dragging_across_bars_selects_a_range(server, browser, console_errors):
    page = console_errors(browser.new_page(viewport=WIDE, locale="ar"))
    page.goto(f"{server}/search/?actor=xi-jinping")
    bars = page.locator("svg.timeline a.bar-link")
    expected = sum(
        int(bars.nth(i).get_attribute("data-count"))
        for i in range(bars.count())
        if "2023-03" <= bars.nth(i).get_attribute("data-period") <= "2023-09"
    )
    # Arabic page: time runs right to left, so March is right of September
    start, end = bar_centre(page, "2023-03"), bar_centre(page, "2023-09")
    assert start[0] > end[0]
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move((start[0] + end[0]) / 2, start[1], steps=5)
    assert float(page.locator("svg.timeline .selection").get_attribute("width")) > 0
    page.mouse.move(*end, steps=5)
    page.mouse.up()
    page.wait_for_url(re.compile(r"to=2023-09-30"))
    assert state(page.url) == {
        "actor": ["xi-jinping"],
        "from": ["2023-03-01"],
        "to": ["2023-09-30"],
    }
    assert result_count(page) == expected > 0
    assert console_errors.errors == []


def test_actor_page_timeline_drag_narrows_the_actor_articles(server, browser, console_errors):
    page = console_errors(browser.new_page(viewport=WIDE, locale="ar"))
    page.goto(f"{server}/actors/sergey-lavrov/")
    periods = page.locator("svg.timeline a.bar-link").evaluate_all(
        "els => els.map(e => e.dataset.period)"
    )
    assert len(periods) >= 3
    first, last = periods[1], periods[-1]
    start, end = bar_centre(page, first), bar_centre(page, last)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=8)
    page.mouse.up()
    page.wait_for_url(re.compile(r"/actors/sergey-lavrov/\?from="))
    dates = listed_dates(page, ".article-list")
    assert dates and all(first <= d[: len(first)] <= last for d in dates)
    assert console_errors.errors == []


def test_page_jump(server, browser, console_errors):
    page = console_errors(browser.new_page(viewport=WIDE, locale="ar"))
    page.goto(f"{server}/search/?actor=vladimir-putin&sort=date")
    page.fill("#page-jump", "3")
    page.locator(".page-jump button").click()
    page.wait_for_url(re.compile(r"page=3"))
    assert state(page.url) == {"actor": ["vladimir-putin"], "sort": ["date"], "page": ["3"]}
    assert page.locator(".page-links a[aria-current=page]").inner_text() == "3"
    page.locator(".page-first").click()
    page.wait_for_url(lambda url: "page=" not in url)
    assert page.locator(".page-links a[aria-current=page]").inner_text() == "1"
    assert console_errors.errors == []


def test_phone_shows_results_first_and_folds_the_facets(server, browser, console_errors):
    page = console_errors(browser.new_page(viewport=PHONE, locale="ar"))
    page.goto(f"{server}/search/?q={quote('بوتين')}")
    first_hit = page.locator(".search-hit").first.bounding_box()
    toggle = page.locator(".facets-toggle")
    assert toggle.is_visible()
    assert first_hit["y"] < toggle.bounding_box()["y"]
    assert first_hit["y"] < PHONE["height"]  # on the first screen, not 2,000 px down
    facet_link = page.locator("a[data-facet=source]").first
    assert not facet_link.is_visible()
    toggle.click()
    assert facet_link.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    # wide screens: the facets are shown beside the results, with no button
    page.set_viewport_size(WIDE)
    assert not toggle.is_visible()
    page.reload()
    assert page.locator("a[data-facet=source]").first.is_visible()
    assert console_errors.errors == []


def test_network_node_opens_the_combined_search(server, browser, console_errors):
    page = console_errors(browser.new_page(viewport=WIDE, locale="ar"))
    page.goto(f"{server}/search/?q={quote('لقاء')}")
    page.locator(".result-views a").click()
    page.wait_for_url(re.compile(r"/search/network/"))
    node = page.locator("svg.network a.node-link[data-actor='xi-jinping']")
    label = node.get_attribute("aria-label")
    node.locator("circle").click()
    page.wait_for_url(re.compile(r"actor=xi-jinping"))
    assert state(page.url) == {"q": ["لقاء"], "actor": ["xi-jinping"]}
    assert str(result_count(page)) == label.rsplit(": ", 1)[1]
    assert console_errors.errors == []


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1366", "360"])
def test_screenshots(server, browser, console_errors, screenshot, viewport):
    page = console_errors(browser.new_page(viewport=viewport, locale="ar"))
    width = viewport["width"]
    pages = {
        "search": f"/search/?q={quote('بوتين')}",
        "actor": "/actors/vladimir-putin/",
        "compare": "/actors/compare/?actor=vladimir-putin&actor=xi-jinping&actor=sergey-lavrov",
        "network": f"/search/network/?q={quote('بوتين')}",
    }
    for name, path in pages.items():
        page.goto(f"{server}{path}")
        assert page.locator("svg.timeline, svg.network").count() >= 1, name
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        screenshot(page, f"13-{name}-{width}.png")
    assert console_errors.errors == []


def test_facets_or_within_a_group(server, browser, console_errors):
    from articles.models import Source

    page = console_errors(browser.new_page(viewport=WIDE, locale="ar"))
    jazeera, bbc = (Source.objects.get(name=n).slug for n in ("الجزيرة", "بي بي سي عربي"))
    page.goto(f"{server}/search/?actor=xi-jinping")
    both = page.locator(f"a[data-facet=source][data-value='{bbc}'] .count").inner_text()
    page.locator(f"a[data-facet=source][data-value='{jazeera}']").click()
    page.wait_for_url(re.compile(r"source="))
    first = result_count(page)
    # the other outlet keeps its own count: choosing it adds it to the group (OR)
    other = page.locator(f"a[data-facet=source][data-value='{bbc}']")
    assert other.locator(".count").inner_text() == both
    other.click()
    page.wait_for_url(re.compile(r"source=.*source="))
    assert state(page.url)["source"] == [jazeera, bbc]
    assert result_count(page) == first + int(both)
    assert page.locator(".chip-source").count() == 2

    # actors: all of them by default, any of them on request
    page.goto(f"{server}/search/?actor=xi-jinping&actor=sergey-lavrov")
    together = result_count(page)
    page.locator("a.actor-mode[data-mode=any]").click()
    page.wait_for_url(re.compile(r"actor_mode=any"))
    either = result_count(page)
    xi = page.locator("a[data-facet=actor][data-value='xi-jinping'] .count").inner_text()
    lavrov = page.locator("a[data-facet=actor][data-value='sergey-lavrov'] .count").inner_text()
    assert either == int(xi) + int(lavrov) - together
    assert together < either
    assert console_errors.errors == []
