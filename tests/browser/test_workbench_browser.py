"""The researcher's workbench in headless Chromium on the seed corpus: save a search, an import
adds an article, the saved-searches page says "1 new"; a batch of five names and its CSV; a
search by the day an article talks about, and that article's marked dates (1366 and 360 px)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import quote

import pytest

# live_server: a transactional database, so an import commits and the index follows it as it
# does in the portal; each test imports the seed corpus itself.
pytestmark = [pytest.mark.browser]
ROOT = Path(__file__).resolve().parents[2]

PASSWORD = "workbench-pw-1"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 740}
FIVE = ["بوتين", "Xi Jinping", "لافروف", "وانغ يي", "الصين"]


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.fixture
def seeded_server(live_server):
    """The live portal with the gazetteer and the five seed articles, imported as `make run` does."""
    from articles.indexing import rebuild_index
    from articles.ingest.readers import iter_source_files
    from articles.services.gazetteer import load_gazetteer_file
    from articles.services.imports import import_source_files

    load_gazetteer_file()
    import_source_files(
        files=iter_source_files(ROOT / "articles" / "seed_corpus"), channel="command"
    )
    rebuild_index()
    return live_server.url


@pytest.fixture
def researcher(seeded_server):
    from django.contrib.auth.models import User

    User.objects.create_user("workbench", "wb@example.org", PASSWORD)
    return "workbench"


def sign_in(page, base: str, next_path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={quote(next_path)}")
    page.fill("#id_username", "workbench")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").last.click()


def test_saved_search_counts_an_import(
    seeded_server, researcher, browser, console_errors, screenshot
):
    from tests.workbench_support import import_article

    page = console_errors(browser.new_page(viewport=DESKTOP, locale="ar"))
    sign_in(page, seeded_server, "/search/?q=" + quote("بوتين"))
    page.wait_for_selector(".search-hit")
    page.fill("#save-search-name", "بوتين في الأخبار")
    page.locator(".save-search button[type=submit]").click()
    page.wait_for_url(re.compile(r"/saved/$"))
    entry = page.locator(".saved-search", has_text="بوتين في الأخبار")
    assert entry.locator(".new-count").get_attribute("data-new") == "0"

    import_article(
        title="بوتين يستقبل وفدا صينيا",
        body="استقبل الرئيس بوتين أمس وفدا صينيا في موسكو.",
        date="2025-06-12",
    )
    page.reload()
    count = entry.locator(".new-count")
    assert count.get_attribute("data-new") == "1" and count.inner_text().startswith("1 ")
    screenshot(page, "saved-1366.png")
    phone = browser.new_page(viewport=PHONE, locale="ar")
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{seeded_server}/saved/")
    assert overflow(phone) <= 0
    screenshot(phone, "saved-360.png")

    feed = page.request.get(entry.locator(".saved-feed a").get_attribute("href"))
    assert feed.ok and "بوتين يستقبل وفدا صينيا" in feed.text()

    entry.locator("h2 a").click()  # opening the search: what was new is seen
    page.wait_for_selector(".search-hit")
    page.goto(f"{seeded_server}/saved/")
    assert entry.locator(".new-count").get_attribute("data-new") == "0"
    assert console_errors.errors == []


def test_batch_of_five_names_and_its_csv(seeded_server, browser, console_errors, screenshot):
    page = console_errors(browser.new_page(viewport=DESKTOP, locale="ar"))
    page.goto(f"{seeded_server}/batch/")
    page.fill("#batch-lines", "\n".join(FIVE))
    page.locator(".batch-form button[type=submit]").click()
    page.wait_for_selector(".batch-table")
    rows = page.locator(".batch-table tbody tr")
    assert rows.count() == 5
    assert rows.nth(0).locator(".batch-actor").count() == 1  # بوتين is an actor
    shown = [int(rows.nth(i).locator(".batch-count").inner_text()) for i in range(5)]
    assert shown[0] > 0
    screenshot(page, "batch-1366.png")

    with page.expect_download() as download:
        page.locator("a.batch-csv").click()
    data = Path(download.value.path()).read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(data)))
    assert table[0] == ["line", "count", "first_date", "last_date", "search_url"]
    assert [r[0] for r in table[1:]] == FIVE
    assert [int(r[1]) for r in table[1:]] == shown

    rows.nth(0).locator(".batch-count a").click()  # each count links to its search
    page.wait_for_url(re.compile(r"/search/\?actor=vladimir-putin"))
    assert page.locator("#result-count").inner_text().startswith(f"{shown[0]} ")
    assert page.locator(".search-hit").count() == min(shown[0], 20)

    phone = console_errors(browser.new_page(viewport=PHONE, locale="ar"))
    phone.goto(f"{seeded_server}/batch/")
    phone.fill("#batch-lines", "\n".join(FIVE))
    phone.locator(".batch-form button[type=submit]").click()
    phone.wait_for_selector(".batch-table")
    assert overflow(phone) <= 0
    screenshot(phone, "batch-360.png")
    assert console_errors.errors == []


def test_event_day_search_and_marked_dates(seeded_server, browser, console_errors, screenshot):
    from tests.workbench_support import import_article

    article = import_article(
        title="لافروف يزور الرياض",
        body="يزور لافروف الرياض الأسبوع المقبل، وتعقد القمة بين 20 و22 مارس.\n\n"
        "وكان قد التقى نظيره أمس الخميس في موسكو.",
        date="2025-03-14",
    )
    page = console_errors(browser.new_page(viewport=DESKTOP, locale="ar"))
    page.goto(f"{seeded_server}/search/")
    page.click(".event-range summary")  # the event-day fields fold behind their summary
    page.fill("input[name=event_from]", "2025-03-21")
    page.fill("input[name=event_to]", "2025-03-21")
    page.locator(".search-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"event_from=2025-03-21"))
    hits = page.locator(".search-hit")
    assert hits.count() == 1 and "لافروف يزور الرياض" in hits.first.inner_text()

    hits.first.locator("a").first.click()
    page.wait_for_url(re.compile(rf"/articles/{article.pk}/"))
    marks = page.locator("mark.event-date")
    assert marks.count() == 3
    assert [marks.nth(i).inner_text() for i in range(3)] == [
        "الأسبوع المقبل",
        "بين 20 و22 مارس",
        "أمس الخميس",
    ]
    assert marks.nth(1).get_attribute("title") == "20 مارس 2025 – 22 مارس 2025"
    assert marks.nth(2).get_attribute("data-first") == "2025-03-13"
    screenshot(page, "event-dates-1366.png")
    phone = console_errors(browser.new_page(viewport=PHONE, locale="ar"))
    phone.goto(page.url)
    assert overflow(phone) <= 0
    screenshot(phone, "event-dates-360.png")
    assert console_errors.errors == []
