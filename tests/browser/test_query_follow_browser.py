"""Issue 9 in headless Chromium on the seed corpus, at desktop (1366) and phone (360) width: a phrase
search marks whole phrases, its KWIC lists each phrase occurrence once, the reading page opened from
it marks the phrase, and the search for «Putin» offers the actor filter."""

from __future__ import annotations

from urllib.parse import quote

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WIDTHS = {"1366": {"width": 1366, "height": 900}, "360": {"width": 360, "height": 740}}
PHRASE = '"الرئيس الروسي"'


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def hit_texts(page, selector: str) -> list[str]:
    """The text of each hit mark, a mark split by an actor mark joined back (same h- id run)."""
    return page.eval_on_selector_all(
        f"{selector} mark.hit",
        """marks => {
          const out = [];
          for (const m of marks) {
            if (m.id) out.push(m.textContent); else out[out.length - 1] += m.textContent;
          }
          return out;
        }""",
    )


def normalized(text: str) -> str:
    return " ".join(text.replace("،", " ").split())


@pytest.mark.parametrize("width", WIDTHS)
def test_phrase_search_kwic_and_reading_page(
    seeded_server, browser, console_errors, screenshot, width
):
    page = console_errors(browser.new_page(viewport=WIDTHS[width], locale="ar"))

    page.goto(f"{seeded_server}/search/?q={quote(PHRASE)}")
    page.wait_for_selector(".search-hit")
    snippets = hit_texts(page, ".snippet")
    assert snippets, "the phrase is marked in the snippets"
    for text in snippets:  # every mark is the whole phrase, with its clitics, never a lone word
        assert normalized(text).endswith("الرئيس الروسي"), text
    assert overflow(page) <= 1
    screenshot(page, f"issue9-phrase-search-{width}.png")

    page.goto(f"{seeded_server}/kwic/?q={quote(PHRASE)}")
    page.wait_for_selector(".kwic-line")
    keywords = page.locator(".kwic-hit").all_inner_texts()
    hrefs = [a.get_attribute("href") for a in page.locator(".kwic-line a.kwic-hit").all()]
    assert keywords and all(normalized(k).endswith("الرئيس الروسي") for k in keywords)
    assert len(set(hrefs)) == len(hrefs)  # one line per occurrence, no duplicates
    assert overflow(page) <= 1
    screenshot(page, f"issue9-phrase-kwic-{width}.png")

    page.locator(".kwic-hit").first.click()
    page.wait_for_selector("#article-body mark.hit")
    marks = hit_texts(page, "#article-body")
    assert marks and all(normalized(m).endswith("الرئيس الروسي") for m in marks)
    target = page.evaluate("location.hash.slice(1)")
    assert page.locator(f"#{target}").count() == 1
    assert overflow(page) <= 1
    screenshot(page, f"issue9-phrase-reading-{width}.png")
    assert not console_errors.errors


@pytest.mark.parametrize("width", WIDTHS)
def test_the_search_for_putin_offers_the_actor(
    seeded_server, browser, console_errors, screenshot, width
):
    page = console_errors(browser.new_page(viewport=WIDTHS[width], locale="ar"))
    page.goto(f"{seeded_server}/search/?q=Putin")
    offer = page.locator(".actor-suggestions a.actor-suggestion")
    assert offer.count() == 1
    assert offer.get_attribute("href") == "/search/?actor=vladimir-putin"
    assert "بوتين" in offer.inner_text()
    count = int(offer.get_attribute("data-count"))
    assert page.locator(".search-hit").count() >= 1  # Putin finds the بوتين articles
    assert hit_texts(page, ".snippet")
    assert overflow(page) <= 1
    screenshot(page, f"issue9-putin-offer-{width}.png")
    offer.click()
    page.wait_for_url("**/search/?actor=vladimir-putin")
    assert page.locator("#result-count").inner_text().strip()
    assert page.locator(".search-hit").count() == min(count, 20)
    assert not console_errors.errors
