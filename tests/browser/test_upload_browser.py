"""Headless Chromium: an admin uploads a zip of two seed texts, reviews the preview, confirms, and
finds the articles through search."""

import os
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SEED_DIR = Path(__file__).resolve().parents[2] / "articles" / "seed_corpus"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
TITLES = [
    "لافروف يزور الصين الإثنين والثلاثاء",
    "شي يلتقي بوتين ويتعهد بالدفاع عن مصالح الصين وروسيا",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)",
    ),
]


@pytest.fixture
def browser_page():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are ordinary blocking calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="ar")
        yield page
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def test_upload_a_zip_preview_confirm_and_search(live_server, browser_page, tmp_path):
    from django.contrib.auth.models import User

    from articles.models import Article
    from articles.services.gazetteer import load_gazetteer_file

    load_gazetteer_file()
    User.objects.create_superuser("admin", password="a-long-test-password")
    archive = tmp_path / "two-seeds.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in (next(SEED_DIR.glob("002_*.txt")), next(SEED_DIR.glob("004_*.txt"))):
            z.write(path, arcname=f"seeds/{path.name}")

    page = browser_page
    page.goto(f"{live_server.url}/admin/login/?next=/admin/articles/article/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.click("a[href='/admin/articles/article/upload/']")  # the link on the article list
    page.set_input_files("input[type=file]", str(archive))
    shot(page, "upload-form.png")
    page.click("#upload-form input[type=submit]")

    page.wait_for_selector("#preview-articles")
    preview = shot(page, "upload-preview.png")
    assert preview.exists()
    titles = [page.input_value(f"#id_review-{n}-title") for n in range(2)]
    assert sorted(titles) == sorted(TITLES)
    assert "سيرغي لافروف" in page.inner_text("#preview-articles")  # an actor found
    assert Article.objects.count() == 0  # nothing saved before confirming
    # The Elaph text prints no date: the preview flags it and the reviewer types it in.
    elaph = titles.index(TITLES[0])
    assert page.input_value(f"#id_review-{elaph}-published_on") == ""
    assert page.locator(".date-flag").count() >= 1
    page.fill(f"#id_review-{elaph}-published_on", "2024-04-07")

    page.click("#confirm-form input[type=submit]")
    page.wait_for_selector("#upload-summary")
    shot(page, "upload-result.png")
    assert Article.objects.count() == 2
    assert str(Article.objects.get(title=TITLES[0]).published_on) == "2024-04-07"
    assert page.locator("#batch-link").count() == 1

    page.goto(f"{live_server.url}/search/?q={quote('لافروف')}")
    shot(page, "search-lavrov.png")
    assert TITLES[0] in page.inner_text("body")  # headlines carry actor marks
    page.goto(f"{live_server.url}/search/?q={quote('بوتين')}")
    assert TITLES[1] in page.inner_text("body")
