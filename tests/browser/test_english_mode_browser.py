"""Both languages read right in headless Chromium (issue 13): a researcher switches the portal to
English and back, and the dates, the search help and the empty search box are laid out in the
page's direction, as the eye reads them; the admin is Arabic with the portal, its batch times in
the site's zone. Positions are measured on the rendered page, not read from the markup."""

from __future__ import annotations

import datetime

import pytest

from articles.templatetags.marsad import ARABIC_MONTHS

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 740}
ADMIN = ("reader-admin", "a-long-test-password-13")

# The left edge of each character of an element's text, in the order of the text.
CHAR_LEFTS = """element => {
  const lefts = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      if (!node.data[i].trim()) continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      lefts.push([node.data[i], range.getBoundingClientRect().left]);
    }
  }
  return lefts;
}"""


@pytest.fixture(scope="module")
def dated_article(seeded_server, django_db_blocker):
    from django.contrib.auth.models import User

    from articles.models import Article

    with django_db_blocker.unblock():
        User.objects.create_superuser(ADMIN[0], "admin@example.com", ADMIN[1])
        return Article.objects.exclude(published_on=None).order_by("published_on").first()


def switch_language(page, to: str) -> None:
    page.locator(f".language-switch button[value={to}]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == to


def reads_left_to_right(page, selector: str) -> list[str]:
    """The characters of the element sorted by where they are drawn, from the left."""
    lefts = page.locator(selector).first.evaluate(CHAR_LEFTS)
    return [char for char, _left in sorted(lefts, key=lambda item: item[1])]


def test_english_mode_reads_right(
    seeded_server, dated_article, browser, console_errors, screenshot
):
    page = console_errors(browser.new_page(viewport=DESKTOP, locale="en"))
    article_url = f"{seeded_server}{dated_article.get_absolute_url()}"
    page.goto(article_url)
    switch_language(page, "en")
    assert page.locator("html").get_attribute("dir") == "ltr"

    # The article's date, inside the right-to-left article, reads "8 May 2025" from the left.
    day = dated_article.published_on
    date = page.locator(".article-meta time")
    english = f"{day.day} {day:%B} {day.year}"
    assert date.inner_text() == english
    assert "".join(reads_left_to_right(page, ".article-meta time")) == english.replace(" ", "")
    assert page.locator(".article-body").evaluate("e => getComputedStyle(e).direction") == "rtl"
    screenshot(page, "article-en-1366.png")
    page.set_viewport_size(PHONE)
    assert "".join(reads_left_to_right(page, ".article-meta time")) == english.replace(" ", "")
    screenshot(page, "article-en-360.png")
    page.set_viewport_size(DESKTOP)

    # The search help: its Arabic examples stay in the sentence's order ("ى or ي", "و ب ل ال").
    page.goto(f"{seeded_server}/search/")
    examples = page.locator(".search-help bdi")
    boxes = [examples.nth(i).bounding_box() for i in range(examples.count())]
    places = [(round(b["y"]), b["x"]) for b in boxes]  # line by line, then from the left
    assert examples.count() == 8 and places == sorted(places)
    # The empty search box is laid out left to right like the page, its placeholder at the left.
    box = page.locator("#search-q")
    assert box.input_value() == ""
    assert box.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert box.evaluate("e => getComputedStyle(e).textAlign") in {"start", "left"}
    # A query typed in Arabic is laid out by its own direction on the results page.
    box.fill("بوتين")
    page.locator(".search-form button[type=submit]").click()
    page.wait_for_selector(".search-hit")
    assert page.locator("#search-q").evaluate("e => getComputedStyle(e).direction") == "rtl"
    hit_date = page.locator(".search-hit time").first
    assert hit_date.get_attribute("dir") == "ltr" and hit_date.get_attribute("lang") == "en"

    # Back in Arabic: the empty box and its Arabic placeholder run right to left.
    page.goto(f"{seeded_server}/search/")
    switch_language(page, "ar")
    box = page.locator("#search-q")
    assert box.evaluate("e => getComputedStyle(e).direction") == "rtl"
    arabic = f"{day.day} {ARABIC_MONTHS[day.month - 1]} {day.year}"
    page.goto(article_url)
    assert page.locator(".article-meta time").inner_text() == arabic
    # read right to left: the day first, the year last (digits keep their own order)
    order = reads_left_to_right(page, ".article-meta time")
    assert "".join(order).endswith(str(day.day)) and "".join(order).startswith(str(day.year))
    screenshot(page, "article-ar-1366.png")
    page.set_viewport_size(PHONE)
    screenshot(page, "article-ar-360.png")
    assert not console_errors.errors


def test_the_admin_is_arabic_with_batch_times_in_the_sites_zone(
    seeded_server, dated_article, browser, console_errors, screenshot
):
    from django.utils import timezone

    from articles.models import UploadBatch

    page = console_errors(browser.new_page(viewport=DESKTOP, locale="en"))
    page.goto(f"{seeded_server}/admin/login/")
    assert page.locator("html").get_attribute("lang") == "ar"
    page.fill("#id_username", ADMIN[0])
    page.fill("#id_password", ADMIN[1])
    page.locator("input[type=submit]").click()
    page.wait_for_selector("#site-name")
    assert page.locator("#site-name").inner_text().strip() == "إدارة مرصد"
    modules = page.locator("#content-main").inner_text()
    for arabic in ("المقالات", "المصادر", "الفاعلون", "دفعات الرفع", "تقييد محاولات الدخول"):
        assert arabic in modules
    for english in ("Articles", "Sources", "Actors", "Upload batches", "Axes"):
        assert english not in modules
    screenshot(page, "admin-ar-1366.png")

    batch = UploadBatch.objects.first()  # the seed import
    local = timezone.localtime(batch.created_at)
    assert local.utcoffset() == datetime.timedelta(hours=3)  # Asia/Riyadh
    page.goto(f"{seeded_server}/admin/articles/uploadbatch/")
    listed = page.locator("#result_list").inner_text()
    assert f"{local:%Y-%m-%d %H:%M}" in listed
    assert "أُنشئ في" in page.locator("#changelist-filter").inner_text()
    page.set_viewport_size(PHONE)
    screenshot(page, "admin-ar-360.png")
    # (the admin's pages ask for /favicon.ico, which the portal does not serve: not a page error)
    assert not [e for e in console_errors.errors if e.startswith("pageerror")]
