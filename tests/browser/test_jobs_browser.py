"""Headless Chromium, Arabic admin at 1366 px: a 1,100-article upload with a bad line is read
by a job the page follows (its progress and the bad line while it runs) to the preview, a page of the preview holds 50 articles with links to the next ones,
and the confirm lands on its job page (queued, then followed to done by the page's own refresh)."""

import pytest

from tests.jobs_support import jsonl_articles, run_worker

pytestmark = pytest.mark.browser
PASSWORD = "a-long-test-password"


def test_a_big_upload_is_saved_by_a_job_the_admin_page_follows(
    live_server, browser, screenshot, tmp_path, monkeypatch
):
    from django.contrib.auth.models import User

    from articles import jobs
    from articles.models import Article, Job
    from articles.services.gazetteer import load_gazetteer_file

    load_gazetteer_file()
    User.objects.create_superuser("admin", password=PASSWORD)
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b"{not json\n" + jsonl_articles(1100))

    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="ar")
    bad = []
    page.on("response", lambda r: bad.append((r.status, r.url)) if r.status >= 400 else None)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/articles/article/upload/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.set_input_files("input[type=file]", str(feed))
    page.click("#upload-form input[type=submit]")

    # 1,101 records are more than a request reads: a job does, and the page follows it
    page.wait_for_selector("#reading-progress")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert "feed.jsonl" in page.inner_text("#reading-files")
    reading = Job.objects.get()
    assert reading.kind == Job.Kind.PREVIEW
    screenshot(page, "upload-reading-1366.png")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "upload-reading-360.png")
    page.set_viewport_size({"width": 1366, "height": 900})

    advance = jobs.JobProgress.advance

    def advance_and_look(progress, count=1, **errors):  # the admin's page between two lots
        advance(progress, count, **errors)
        if progress.job.done == 500:
            page.reload()
            assert "500" in page.inner_text("#reading-progress")
            assert "feed.jsonl#line 1" in page.inner_text("#reading-errors")
            screenshot(page, "upload-reading-errors-1366.png")
            page.set_viewport_size({"width": 360, "height": 800})
            screenshot(page, "upload-reading-errors-360.png")
            page.set_viewport_size({"width": 1366, "height": 900})

    monkeypatch.setattr(jobs.JobProgress, "advance", advance_and_look)
    run_worker()
    monkeypatch.undo()
    page.wait_for_selector("#preview-articles", timeout=15000)  # its own refresh
    assert "feed.jsonl#line 1" in page.inner_text("#preview-errors")
    assert page.locator("tr.preview-article").count() == 50
    assert "1100" in page.inner_text("#preview-summary")
    assert page.locator("#preview-pages button[name=goto]").count() == 1  # next page only
    screenshot(page, "upload-preview-paged-1366.png")

    page.click("#confirm-form input[name=confirm]")
    page.wait_for_selector(".job-progress")
    job = Job.objects.get(kind=Job.Kind.UPLOAD)
    assert page.url.endswith(f"/admin/articles/job/{job.pk}/change/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert "0 / 1101" in page.inner_text("#content")
    assert Article.objects.count() == 0
    screenshot(page, "job-queued-1366.png")

    run_worker()
    page.wait_for_selector("text=imported 1100, duplicates 0, failed 1", timeout=60000)
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    text = page.inner_text("#content")
    assert "1101 / 1101" in text and "imported 1100, duplicates 0, failed 1" in text
    assert "feed.jsonl#line 1" in page.inner_text(".job-errors")  # known since the preview
    assert Article.objects.count() == 1100
    screenshot(page, "job-done-1366.png")
    assert bad == []  # every page and resource loaded (the browser's own /favicon.ico aside)
