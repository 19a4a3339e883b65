"""Helpers for the upload tests: drive the admin upload → preview → confirm with the test client."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

SEED_DIR = Path(__file__).resolve().parents[1] / "articles" / "seed_corpus"
SEEDS = sorted(SEED_DIR.glob("*.txt"))
UPLOAD_URL = "/admin/articles/article/upload/"
ARTICLE = "عنوان الخبر الأول\n\nقال وزير الخارجية الروسي سيرغي لافروف إن الزيارة ستتم الأسبوع المقبل في بكين.\n"


def make_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def upload(client, files: dict[str, bytes] | None = None, *, text: str = ""):
    """POST the upload form and follow to the preview page."""
    data: dict = {"text": text}
    if files:
        data["files"] = [SimpleUploadedFile(name, content) for name, content in files.items()]
    response = client.post(UPLOAD_URL, data, follow=True)
    assert response.status_code == 200, response.content[:500]
    return response


def confirm(client, preview, *, changes: dict[int, dict] | None = None):
    """POST the preview's formset back (with `changes` per form index) and follow to the result."""
    formset = preview.context["formset"]
    data = {
        f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()
    }
    for index, form in enumerate(formset.forms):
        values = {
            "key": form.initial["key"],
            "title": form.initial["title"],
            "published_on": form.initial["published_on"].isoformat()
            if form.initial["published_on"]
            else "",
            "source_name": form.initial["source_name"],
        }
        values.update((changes or {}).get(index, {}))
        for name, value in values.items():
            if name == "skip" and not value:
                continue
            data[f"{form.prefix}-{name}"] = value
    response = client.post(preview.request["PATH_INFO"], data, follow=True)
    assert response.status_code == 200, response.content[:500]
    return response


def errors_of(preview) -> list[str]:
    return [str(error) for error in preview.context["preview"].errors]


def indexed_ids() -> set[int]:
    """Article ids in the search index, as the engine lists them."""
    from articles.engines import get_backend

    return set(get_backend().content_hashes())
