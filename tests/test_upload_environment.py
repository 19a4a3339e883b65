"""The admin upload when the disk fills (a small tmpfs): the page says why, nothing half-kept.

Staging a file bigger than the room left keeps nothing of it; a confirm that fills the disk
while keeping the originals is back in review, and confirming again once there is room
continues the same batch."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, PendingUpload, UploadBatch, UploadedFile
from tests.jobs_support import jsonl_articles
from tests.mount_support import small_tmpfs
from tests.upload_support import UPLOAD_URL, confirm, upload

pytestmark = pytest.mark.usefixtures("gazetteer")


@pytest.fixture
def small_disk(tmp_path):
    with small_tmpfs(tmp_path / "small", size="256k") as folder:
        yield folder


def test_an_upload_bigger_than_the_room_left_keeps_nothing(admin_client, settings, small_disk):
    settings.DATA_DIR = small_disk
    big = jsonl_articles(1500)  # about 550 KB, the disk holds 256 KB
    response = admin_client.post(
        UPLOAD_URL, {"files": [SimpleUploadedFile("big.jsonl", big)]}, follow=True
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1 and "the disk is full" in errors[0]
    assert PendingUpload.objects.count() == 0
    assert [p for p in small_disk.rglob("*") if p.is_file()] == []


def test_a_confirm_that_fills_the_disk_is_back_in_review_and_finishes_later(
    admin_client, settings, small_disk
):
    big = jsonl_articles(3, tag="ب") + b" " * 300_000  # bigger than the disk
    files = {"a.jsonl": jsonl_articles(5, tag="أ"), "b.jsonl": big}
    preview = upload(admin_client, files)
    settings.MEDIA_ROOT = small_disk  # where the originals are kept

    failed = confirm(admin_client, preview)

    shown = [str(m) for m in failed.context["messages"]]
    assert len(shown) == 1 and "the disk is full" in shown[0]
    assert failed.templates[0].name == "admin/articles/article/upload_preview.html"
    assert Article.objects.count() == 5  # a.jsonl's, saved before the disk filled
    assert PendingUpload.objects.get().state == PendingUpload.State.REVIEW
    kept = {f.stored.path for f in UploadedFile.objects.exclude(stored="")}
    on_disk = {str(p) for p in small_disk.rglob("*") if p.is_file()}
    assert on_disk == kept  # a.jsonl whole, nothing of b.jsonl

    settings.MEDIA_ROOT = small_disk.parent / "roomy"
    done = confirm(admin_client, failed)

    assert done.templates[0].name == "admin/articles/article/upload_result.html"
    batch = UploadBatch.objects.get()
    assert (batch.imported_count, batch.files.count()) == (8, 2)
    assert Article.objects.count() == 8
