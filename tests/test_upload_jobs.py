"""Big admin uploads: the preview pages through drafts persisted at upload, corrections are
written to them, and a confirm past MARSAD_JOB_MIN_ARTICLES returns at once while a job saves."""

import re

import pytest
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


def test_a_2100_article_preview_pages_through_the_persisted_drafts(admin_client):
    preview = upload_file(admin_client, "big.jsonl", jsonl_articles(2100))
    shown = preview.context["preview"]
    assert shown.importable_count == 2100
    assert UploadDraft.objects.count() == 2100  # parsed once, at upload
    assert len(preview.context["rows"]) == 50
    html = preview.content.decode()
    assert re.search(r"2100\s+(article|مقال)", html) or "2100" in html
    assert shown.page.paginator.num_pages == 42

    url = preview.request["PATH_INFO"]
    page_two = admin_client.post(
        url, page_post(preview, changes={0: {"title": "عنوان مصحح"}}, goto="2"), follow=True
    )
    assert page_two.status_code == 200
    first_key = shown.importable[0].key
    assert UploadDraft.objects.get(key=first_key).title == "عنوان مصحح"
    assert UploadDraft.objects.get(key=first_key).metadata_origin["title"] == "admin"
    keys = [item.key for item in page_two.context["preview"].importable]
    assert keys[0] == f"{first_key.rsplit('-', 1)[0]}-50"  # digest + ordinal, page two
    last = admin_client.get(f"{url}?page=42")
    assert len(last.context["rows"]) == 50 and last.context["preview"].page.number == 42
    assert Article.objects.count() == 0


def test_a_1200_article_confirm_returns_at_once_and_the_job_saves_and_indexes_all(
    transactional_db, admin_client
):
    preview = upload_file(admin_client, "feed.jsonl", jsonl_articles(1200))
    url = preview.request["PATH_INFO"]
    page_two = admin_client.post(
        url, page_post(preview, changes={3: {"title": "عنوان صححه المراجع"}}, goto="2"), follow=True
    )
    page_two = admin_client.post(url, page_post(page_two, changes={0: {"skip": "on"}}))

    job = Job.objects.get()
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
