"""The admin upload: every format and encoding through upload → preview → confirm, corrections,
duplicates, the batch record, and the original bytes kept verbatim."""

import csv
import datetime
import io
import json

import pytest
from django.contrib.auth.models import Permission, User

from articles.models import Article, UploadBatch, UploadedFile
from tests.upload_support import (
    ARTICLE,
    SEEDS,
    UPLOAD_URL,
    confirm,
    errors_of,
    indexed_ids,
    make_zip,
    upload,
)


@pytest.fixture
def staff(db, gazetteer):
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_article", "view_article", "view_uploadbatch", "view_uploadedfile"]
        )
    )
    return user


@pytest.fixture
def client(client, staff):
    client.force_login(staff)
    return client


def test_the_upload_page_is_linked_from_the_article_list(client):
    page = client.get("/admin/articles/article/")
    assert UPLOAD_URL.encode() in page.content
    form = client.get(UPLOAD_URL)
    assert form.status_code == 200
    assert b'type="file"' in form.content and b"multiple" in form.content
    assert b"<textarea" in form.content


def test_an_empty_form_asks_for_text_or_files(client):
    response = client.post(UPLOAD_URL, {"text": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert UploadBatch.objects.count() == 0


def test_pasted_text_is_previewed_without_saving_then_saved_on_confirm(client, staff):
    preview = upload(client, text=ARTICLE)
    drafts = preview.context["preview"].drafts
    assert [d.draft.title for d in drafts] == ["عنوان الخبر الأول"]
    assert drafts[0].draft.original_name == "pasted text.txt"
    assert "لافروف" in preview.content.decode()
    assert drafts[0].actors == ["سيرغي لافروف"] or "لافروف" in " ".join(drafts[0].actors)
    assert Article.objects.count() == 0
    assert UploadBatch.objects.count() == 0
    assert indexed_ids() == set()

    result = confirm(client, preview)
    article = Article.objects.get()
    assert article.title == "عنوان الخبر الأول"
    assert article.uploaded_by == staff
    assert article.mentions.filter(entity__slug="sergey-lavrov").exists()
    assert indexed_ids() == {article.pk}
    batch = UploadBatch.objects.get()
    assert (batch.channel, batch.uploaded_by, batch.imported_count) == ("admin", staff, 1)
    stored = batch.files.get()
    assert stored.outcome == UploadedFile.Outcome.IMPORTED
    assert stored.stored.read() == ARTICLE.encode("utf-8")
    assert article.original_file == stored
    body = result.content.decode()
    assert f"/admin/articles/uploadbatch/{batch.pk}/change/" in body
    assert f"/admin/articles/article/{article.pk}/change/" in body


def records() -> list[dict]:
    return [
        {
            "title": "لافروف يزور بكين",
            "body": "قال وزير الخارجية الروسي سيرغي لافروف إنه سيزور بكين الأسبوع المقبل.",
            "date": "2024-04-07",
            "source": "إيلاف",
            "url": "https://example.com/a",
        },
        {
            "title": "وانغ يي في موسكو",
            "body": "وصل وزير الخارجية الصيني وانغ يي إلى موسكو في زيارة رسمية تستمر يومين.",
            "date": "22 فبراير 2023",
            "source": "بي بي سي عربي",
            "url": "https://example.com/b",
        },
    ]


def as_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["title", "body", "date", "source", "url"])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


HTML_PAGE = """<!doctype html><html lang="ar"><head><meta charset="utf-8">
<title>لافروف يزور الصين الإثنين والثلاثاء</title>
<meta property="og:site_name" content="إيلاف">
<meta property="article:published_time" content="2024-04-07T10:00:00Z"></head>
<body><nav><a href="/">الرئيسية</a> | <a href="/world">العالم</a></nav>
<article><h1>لافروف يزور الصين الإثنين والثلاثاء</h1>
<p>يجري وزير الخارجية الروسية سيرغي لافروف الاثنين والثلاثاء زيارة رسمية للصين، الشريك الدبلوماسي والاقتصادي الرئيسي لموسكو، وفق ما أعلنت وزارة الخارجية الروسية الأحد.</p>
<p>وقالت الوزارة في بيان إن الوزير سيجري خلالها محادثات مع نظيره الصيني وانغ يي حول مجموعة من قضايا التعاون الثنائي وكذلك التعاون على الساحة الدولية.</p>
<p>وأوضح البيان أن الوزيرين سيناقشان الأزمة الأوكرانية والوضع في منطقة آسيا والمحيط الهادئ.</p>
</article><footer>جميع الحقوق محفوظة</footer></body></html>"""


@pytest.mark.parametrize(
    ("name", "data", "count"),
    [
        ("a.txt", SEEDS[2].read_bytes(), 1),
        ("page.html", HTML_PAGE.encode("utf-8"), 1),
        ("page.htm", HTML_PAGE.encode("utf-8"), 1),
        ("one.json", json.dumps(records()[0], ensure_ascii=False).encode(), 1),
        ("list.json", json.dumps(records(), ensure_ascii=False).encode(), 2),
        (
            "lines.jsonl",
            "\n".join(json.dumps(r, ensure_ascii=False) for r in records()).encode(),
            2,
        ),
        ("table.csv", as_csv(records()), 2),
        (
            "bundle.zip",
            make_zip({"x/a.txt": SEEDS[0].read_bytes(), "b.txt": SEEDS[1].read_bytes()}),
            2,
        ),
    ],
    ids=["txt", "html", "htm", "json-object", "json-list", "jsonl", "csv", "zip"],
)
def test_each_format_is_previewed_and_saved(client, name, data, count):
    preview = upload(client, {name: data})
    assert errors_of(preview) == []
    assert len(preview.context["preview"].importable) == count
    confirm(client, preview)
    assert Article.objects.count() == count
    assert len(indexed_ids()) == count
    stored = UploadedFile.objects.get()
    assert stored.name == name and stored.stored.read() == data


def test_html_page_gives_its_title_outlet_and_date(client):
    preview = upload(client, {"page.html": HTML_PAGE.encode("utf-8")})
    draft = preview.context["preview"].drafts[0].draft
    assert draft.title == "لافروف يزور الصين الإثنين والثلاثاء"
    assert draft.published_on == datetime.date(2024, 4, 7)
    assert "الرئيسية" not in draft.body and "جميع الحقوق" not in draft.body


def test_several_files_at_once(client):
    preview = upload(
        client,
        {
            "a.txt": SEEDS[0].read_bytes(),
            "b.txt": SEEDS[1].read_bytes(),
            "c.csv": as_csv(records()),
        },
    )
    assert len(preview.context["preview"].importable) == 4
    confirm(client, preview)
    assert Article.objects.count() == 4
    assert UploadBatch.objects.get().files.count() == 3


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "cp1256", "iso8859-6"])
def test_encodings_are_decoded_and_the_bytes_kept_verbatim(client, codec):
    text = SEEDS[2].read_text(encoding="utf-8")
    if codec == "iso8859-6":  # it has no Arabic comma/quotes of cp1256's range: keep what it has
        text = text.encode(codec, errors="ignore").decode(codec)
    data = text.encode(codec)
    preview = upload(client, {f"seed-{codec}.txt": data})
    assert errors_of(preview) == []
    draft = preview.context["preview"].drafts[0].draft
    assert draft.encoding.replace("_", "-") in {codec, "utf-8", "utf-16"}
    assert draft.title == "لافروف يزور الصين الإثنين والثلاثاء"
    confirm(client, preview)
    article = Article.objects.get()
    assert "سيرغي لافروف" in article.body
    assert article.original_file.stored.read() == data  # verbatim, whatever was decoded


def test_reviewer_corrects_title_date_and_outlet_and_skips_one(client):
    preview = upload(client, {"table.csv": as_csv(records())})
    confirm(
        client,
        preview,
        changes={
            0: {"title": "عنوان مصحح", "published_on": "2024-04-08", "source_name": "الجزيرة"},
            1: {"skip": "on"},
        },
    )
    article = Article.objects.get()
    assert (article.title, article.published_on, article.source.name) == (
        "عنوان مصحح",
        datetime.date(2024, 4, 8),
        "الجزيرة",
    )
    assert article.metadata_origin["title"] == "admin"
    assert article.metadata_origin["date"] == "admin"
    stored = UploadedFile.objects.get()
    assert stored.outcome == UploadedFile.Outcome.PARTIAL
    assert "تركها المراجع: 1" in stored.message  # in the reviewer's language (Arabic)


def test_an_invalid_corrected_date_redisplays_the_preview(client):
    preview = upload(client, {"table.csv": as_csv(records())})
    response = confirm(client, preview, changes={0: {"published_on": "not a date"}})
    assert response.context["formset"].errors[0]
    assert "سيرغي لافروف" in response.context["rows"][0][1].actors  # the full preview again
    assert Article.objects.count() == 0


def test_duplicates_of_the_corpus_and_within_the_upload_are_shown_and_skipped(client):
    confirm(client, upload(client, {"a.txt": SEEDS[0].read_bytes()}))
    rows = records()
    same_url = dict(rows[1], body="نص مختلف تماما عن الزيارة نفسها نشر لاحقا على الموقع ذاته.")
    preview = upload(
        client,
        {
            "again.txt": SEEDS[0].read_bytes(),
            "bundle.zip": make_zip(
                {"1.txt": SEEDS[1].read_bytes(), "2.txt": SEEDS[1].read_bytes()}
            ),
            "lines.jsonl": "\n".join(
                json.dumps(r, ensure_ascii=False) for r in [rows[1], same_url]
            ).encode(),
        },
    )
    upload_preview = preview.context["preview"]
    reasons = {
        d.draft.original_name: (d.duplicate_reason or d.duplicate_in_upload)
        for d in upload_preview.duplicates
    }
    assert reasons == {
        "again.txt": "same text",
        "bundle.zip/2.txt": "bundle.zip/1.txt",
        "lines.jsonl#line 2": "lines.jsonl#line 1",
    }
    assert "Duplicate" in preview.content.decode() or "مكرر" in preview.content.decode()
    confirm(client, preview)
    assert Article.objects.count() == 3  # seed 0, seed 1, jsonl line 1
    batch = UploadBatch.objects.first()
    assert (batch.imported_count, batch.duplicate_count) == (2, 3)


def test_the_batch_is_visible_in_the_admin_with_outcomes_and_article_links(client):
    confirm(client, upload(client, {"a.txt": SEEDS[0].read_bytes(), "bad.txt": b""}))
    batch = UploadBatch.objects.get()
    article = Article.objects.get()
    page = client.get(f"/admin/articles/uploadbatch/{batch.pk}/change/").content.decode()
    assert "a.txt" in page and "bad.txt" in page
    assert f"/admin/articles/article/{article.pk}/change/" in page
    outcomes = dict(batch.files.values_list("name", "outcome"))
    assert outcomes == {"a.txt": "imported", "bad.txt": "failed"}
    assert "empty" in batch.files.get(name="bad.txt").message


def test_a_preview_belongs_to_its_session(client, staff):
    preview = upload(client, text=ARTICLE)
    other = User.objects.create_superuser("other", password="pw")
    client.force_login(other)
    assert client.get(preview.request["PATH_INFO"]).status_code == 404
    assert client.get(UPLOAD_URL + "not-a-token/").status_code == 404


def test_a_confirmed_upload_cannot_be_confirmed_twice(client):
    preview = upload(client, text=ARTICLE)
    confirm(client, preview)
    again = client.post(preview.request["PATH_INFO"], {})
    assert again.status_code == 404
    assert Article.objects.count() == 1
