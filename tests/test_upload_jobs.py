"""Big admin uploads: past MARSAD_JOB_MIN_ARTICLES a job reads them (the preview shows its
progress and the refused records as they are met), the preview pages through the drafts it
persisted, corrections are written to them, and the confirm returns at once while a job saves."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, Job, PendingUpload, UploadBatch, UploadDraft
from tests.jobs_support import jsonl_articles, run_worker
from tests.upload_support import UPLOAD_URL, indexed_ids

pytestmark = pytest.mark.usefixtures("gazetteer")


def upload_file(client, name: str, data: bytes):
    response = client.post(UPLOAD_URL, {"files": [SimpleUploadedFile(name, data)]}, follow=True)
    assert response.status_code == 200
    return response


def page_post(preview, *, changes: dict[int, dict] | None = None, **extra) -> dict:
    """The preview page's form as the browser posts it (with `changes` per row index)."""
    formset = preview.context["formset"]
    data = {f"review-{k}": v for k, v in formset.management_form.initial.items()}
    data["page"] = preview.context["preview"].page.number
    for index, form in enumerate(formset.forms):
        values = {
            "key": form.initial["key"],
            "title": form.initial["title"],
            "published_on": form.initial["published_on"].isoformat(),
            "source_name": form.initial["source_name"],
            **(changes or {}).get(index, {}),
        }
        data.update({f"{form.prefix}-{name}": value for name, value in values.items()})
    return {**data, **extra}


def test_a_2100_article_upload_is_read_by_a_job_the_preview_follows(
    transactional_db, admin_client, monkeypatch
):
    """The upload returns at once; the preview shows the reading job's progress and the bad
    lines as soon as the job meets them; once read, it pages through the persisted drafts."""
    from articles import jobs

    bad = b"{not json\n" + b'{"title": "no body"}\n'
    response = admin_client.post(
        UPLOAD_URL, {"files": [SimpleUploadedFile("big.jsonl", bad + jsonl_articles(2100))]}
    )
    assert response.status_code == 302
    url = response["Location"]
    job = Job.objects.get()
    assert (job.kind, job.state) == (Job.Kind.PREVIEW, Job.State.QUEUED)
    assert 1900 <= job.total <= 2300  # estimated from the start of the file
    assert UploadDraft.objects.count() == 0  # nothing parsed inside the request
    waiting = admin_client.get(url)
    html = waiting.content.decode()
    assert waiting.templates[0].name == "admin/articles/article/upload_reading.html"
    assert '<meta http-equiv="refresh" content="2">' in html
    assert f"0 of about {job.total} records read" in html or f"0 من نحو {job.total}" in html
    assert "big.jsonl" in html and f"/admin/articles/job/{job.pk}/change/" in html
    # a POST (a confirm from a stale tab) has nothing to confirm yet: back to the progress page
    assert admin_client.post(url, {"confirm": "1"})["Location"] == url

    seen_while_running: list[str] = []
    advance = jobs.JobProgress.advance

    def advance_and_look(progress, count=1, **errors):  # the admin looks between two lots
        advance(progress, count, **errors)
        seen_while_running.append(admin_client.get(url).content.decode())

    monkeypatch.setattr(jobs.JobProgress, "advance", advance_and_look)
    run_worker()
    monkeypatch.undo()

    first = seen_while_running[0]
    assert "500 of about" in first or "500 من نحو" in first
    assert '<meta http-equiv="refresh" content="2">' in first  # still following the job
    assert "big.jsonl#line 1: The line is not valid JSON" in first
    assert "big.jsonl#line 2:" in first
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.result
    assert (job.done, job.total, job.error_count) == (2102, 2102, 2)
    assert job.result == "read 2102 records: 2100 articles, 2 refused"

    job_page = admin_client.get(f"/admin/articles/job/{job.pk}/change/").content.decode()
    assert f'href="{url}" id="job-upload"' in job_page  # back to the upload, to review it
    preview = admin_client.get(url)
    shown = preview.context["preview"]
    assert shown.importable_count == 2100 and shown.error_count == 2
    assert UploadDraft.objects.count() == 2102  # parsed once, by the job
    assert len(preview.context["rows"]) == 50
    assert shown.page.paginator.num_pages == 42
    html = preview.content.decode()
    assert "big.jsonl#line 1" in html and "big.jsonl#line 2" in html  # refused, by line

    page_two = admin_client.post(
        url, page_post(preview, changes={0: {"title": "عنوان مصحح"}}, goto="2"), follow=True
    )
    assert page_two.status_code == 200
    first_key = shown.importable[0].key
    assert UploadDraft.objects.get(key=first_key).title == "عنوان مصحح"
    assert UploadDraft.objects.get(key=first_key).metadata_origin["title"] == "admin"
    keys = [item.key for item in page_two.context["preview"].importable]
    assert keys[0] == f"{first_key.rsplit('-', 1)[0]}-52"  # digest + ordinal, page two
    last = admin_client.get(f"{url}?page=42")
    assert len(last.context["rows"]) == 50 and last.context["preview"].page.number == 42
    assert Article.objects.count() == 0


def test_a_small_upload_is_read_in_the_request(admin_client):
    preview = upload_file(admin_client, "small.jsonl", jsonl_articles(200))
    assert preview.context["preview"].importable_count == 200
    assert not Job.objects.exists()


def test_an_upload_whose_reading_job_failed_says_why(transactional_db, admin_client):
    response = admin_client.post(
        UPLOAD_URL, {"files": [SimpleUploadedFile("big.jsonl", jsonl_articles(400))]}
    )
    url = response["Location"]
    upload = PendingUpload.objects.get()
    staged = next((settings.DATA_DIR / "pending-uploads" / upload.token).iterdir())
    staged.unlink()  # the staged bytes gone (a cleaned-up disk) before the worker reads them

    run_worker()

    job = Job.objects.get()
    assert job.state == Job.State.FAILED and "FileNotFoundError" in job.result
    html = admin_client.get(url).content.decode()
    assert "FileNotFoundError" in html and "http-equiv" not in html  # no refresh: it ended
    assert UploadDraft.objects.count() == 0 and Article.objects.count() == 0


def test_a_1200_article_confirm_returns_at_once_and_the_job_saves_and_indexes_all(
    transactional_db, admin_client
):
    reading = upload_file(admin_client, "feed.jsonl", jsonl_articles(1200))
    url = reading.request["PATH_INFO"]
    run_worker()  # reads it (a job: 1,200 articles)
    preview = admin_client.get(url)
    page_two = admin_client.post(
        url, page_post(preview, changes={3: {"title": "عنوان صححه المراجع"}}, goto="2"), follow=True
    )
    page_two = admin_client.post(url, page_post(page_two, changes={0: {"skip": "on"}}))

    job = Job.objects.get(kind=Job.Kind.UPLOAD)
    assert page_two.status_code == 302
    assert page_two["Location"] == f"/admin/articles/job/{job.pk}/change/"
    assert (job.kind, job.state, job.total) == (Job.Kind.UPLOAD, Job.State.QUEUED, 1200)
    assert Article.objects.count() == 0  # nothing saved inside the request
    assert admin_client.get(url).status_code == 404  # confirmed: not in review any more

    run_worker()

    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.result
    assert job.result == "imported 1199, duplicates 0, failed 0"
    assert job.done == 1200
    ids = set(Article.objects.values_list("pk", flat=True))
    assert len(ids) == 1199 and indexed_ids() == ids
    assert Article.objects.filter(title="عنوان صححه المراجع").count() == 1
    assert not Article.objects.filter(original_name="feed.jsonl#line 51").exists()  # skipped
    batch = UploadBatch.objects.get()
    assert (batch.channel, batch.imported_count) == ("admin", 1199)
    # the file's summary as the (Arabic) admin shows it: one sentence with its numbers
    assert "المستوردة: 1199، المكررة: 0، تركها المراجع: 1" in batch.files.get().message
    assert job.batch_ids == [batch.pk]
    assert PendingUpload.objects.count() == UploadDraft.objects.count() == 0
    page = admin_client.get(f"/admin/articles/job/{job.pk}/change/").content.decode()
    assert "imported 1199, duplicates 0, failed 0" in page
    assert "1200 / 1200" in page


def test_a_confirm_interrupted_mid_batch_continues_it(transactional_db, admin_client):
    """The upload job run again after its worker died: same batch, nothing saved twice."""
    from articles.services.uploads import save_pending_upload

    response = admin_client.post(
        UPLOAD_URL,
        {
            "files": [
                SimpleUploadedFile("a.jsonl", jsonl_articles(5, tag="أ")),
                SimpleUploadedFile("b.jsonl", jsonl_articles(3, tag="ب")),
            ]
        },
    )
    assert response.status_code == 302

    class WorkerDied(Exception):
        pass

    def die(file_report) -> None:
        raise WorkerDied

    with pytest.raises(WorkerDied):  # dies once the first file is saved
        save_pending_upload(upload=PendingUpload.objects.get(), on_file=die)
    assert Article.objects.count() == 5

    report = save_pending_upload(upload=PendingUpload.objects.get())

    assert report.summary() == "imported 8, duplicates 0, failed 0"
    batch = UploadBatch.objects.get()
    assert (batch.imported_count, batch.files.count()) == (8, 2)
    assert dict(batch.files.values_list("name", "outcome")) == {
        "a.jsonl": "imported",
        "b.jsonl": "imported",
    }
    assert Article.objects.count() == 8
    assert indexed_ids() == set(Article.objects.values_list("pk", flat=True))
