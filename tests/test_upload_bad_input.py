"""Every kind of bad input through the admin upload: a named, readable error in the preview, and
the database and index as they were (only the batch record notes what was refused)."""

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from articles.models import Article, Mention, Source, UploadBatch, UploadedFile
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

SEED_TEXT = SEEDS[4].read_text(encoding="utf-8")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
MOJIBAKE = SEED_TEXT.encode("utf-8").decode("cp1252", errors="ignore").encode("utf-8")
HOSTILE_HTML = """<html><head><title>خبر</title><script>alert("head")</script></head><body>
<article><h1>عنوان الخبر عن لافروف</h1>
<p onclick="alert(1)">قال وزير الخارجية الروسي سيرغي لافروف إن الزيارة ستتم الأسبوع المقبل في بكين وإن المحادثات ستتناول التعاون الثنائي.</p>
<script>alert("xss")</script><iframe src="https://evil.example/"></iframe>
<p>وأضاف أن &lt;script&gt;alert(2)&lt;/script&gt; الوزيرين سيناقشان الأزمة الأوكرانية <img src=x onerror="alert(3)">.</p>
</article></body></html>"""


@pytest.fixture
def admin_client(client, db, gazetteer):
    client.force_login(User.objects.create_superuser("root", password="pw"))
    return client


def corpus_state() -> tuple:
    return (
        list(Article.objects.values_list("pk", "title", "body")),
        Mention.objects.count(),
        Source.objects.count(),
        indexed_ids(),
    )


@pytest.fixture
def existing(admin_client):
    """One article already in the portal, so 'as they were' is not trivially 'empty'."""
    confirm(admin_client, upload(admin_client, {"seed.txt": SEEDS[2].read_bytes()}))
    return corpus_state()


def assert_refused(client, files, *, expected: str, existing) -> str:
    """Upload, see exactly one named error, confirm, and find the corpus and index unchanged."""
    preview = upload(client, files)
    errors = errors_of(preview)
    assert len(errors) == 1, errors
    assert expected in errors[0], errors
    assert preview.context["preview"].importable == []
    html = preview.content.decode()
    assert expected in html
    confirm(client, preview)
    assert corpus_state() == existing
    batch = UploadBatch.objects.first()
    assert batch.failed_count == 1 and batch.imported_count == 0
    assert batch.files.get().outcome == UploadedFile.Outcome.FAILED
    return errors[0]


def test_empty_file(admin_client, existing):
    assert_refused(
        admin_client, {"empty.txt": b""}, expected="The file is empty", existing=existing
    )


def test_binary_file_renamed_txt(admin_client, existing):
    assert_refused(
        admin_client, {"photo.txt": PNG}, expected="binary file (a PNG image)", existing=existing
    )


def test_text_that_decodes_to_garbage(admin_client, existing):
    assert_refused(admin_client, {"garbled.txt": MOJIBAKE}, expected="mojibake", existing=existing)


def test_unknown_file_type(admin_client, existing):
    assert_refused(
        admin_client,
        {"report.docx": b"PK\x03\x04"},
        expected="cannot be imported",
        existing=existing,
    )


def test_zip_entry_climbing_out_is_refused_and_the_rest_imports(admin_client, existing):
    archive = make_zip({"../evil.txt": ARTICLE.encode(), "ok/good.txt": SEEDS[0].read_bytes()})
    preview = upload(admin_client, {"slip.zip": archive})
    errors = errors_of(preview)
    assert errors == [
        "slip.zip/../evil.txt: The entry was refused: its path is absolute or climbs out of the archive."
    ]
    confirm(admin_client, preview)
    titles = set(Article.objects.values_list("original_name", flat=True))
    assert titles == {"seed.txt", "slip.zip/ok/good.txt"}
    assert UploadBatch.objects.first().files.get().outcome == UploadedFile.Outcome.PARTIAL


@override_settings(MARSAD_MAX_ZIP_TOTAL_BYTES=50_000)
def test_zip_bomb(admin_client, existing):
    bomb = make_zip({"bomb.txt": b"\xd8\xa7" * 200_000})  # 400 kB of one letter, ~1 kB zipped
    assert len(bomb) < 50_000
    assert_refused(
        admin_client, {"bomb.zip": bomb}, expected="possible zip bomb", existing=existing
    )


@override_settings(MARSAD_MAX_ZIP_ENTRIES=3)
def test_too_many_zip_entries(admin_client, existing):
    archive = make_zip({f"{n}.txt": ARTICLE.encode() for n in range(4)})
    assert_refused(
        admin_client,
        {"many.zip": archive},
        expected="has 4 files; the limit is 3",
        existing=existing,
    )


@override_settings(MARSAD_MAX_FILE_BYTES=1_000)
def test_file_over_the_size_limit_is_refused_unread(admin_client, existing):
    big = SEEDS[1].read_bytes()
    assert len(big) > 1_000
    assert_refused(
        admin_client, {"big.txt": big}, expected="the limit is 1,000 bytes", existing=existing
    )
    record = UploadedFile.objects.get(name="big.txt")
    assert record.size == len(big) and not record.stored  # noted, never written


def test_html_markup_is_never_rendered_nor_stored_live(admin_client):
    preview = upload(admin_client, {"hostile.html": HOSTILE_HTML.encode("utf-8")})
    assert errors_of(preview) == []
    html = preview.content.decode()
    for payload in ('alert("xss")', 'alert("head")', "evil.example", 'onclick="alert', "onerror="):
        assert payload not in html, payload
    assert "<script>alert(2)" not in html
    confirm(admin_client, preview)
    article = Article.objects.get()
    for field in (article.title, article.body):
        for markup in ("<script", "<iframe", "onclick", "onerror", "<img"):
            assert markup not in field
    page = admin_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "<iframe" not in page and 'onerror="alert(3)"' not in page


def test_malformed_json_lines_are_listed_by_number_and_the_good_ones_import(admin_client):
    good = {"title": "عنوان", "body": "قال سيرغي لافروف إن الزيارة ستتم الأسبوع المقبل في بكين."}
    lines = [
        json.dumps(good, ensure_ascii=False),
        "{not json",
        json.dumps(dict(good, body="نص آخر مختلف عن الزيارة الرسمية إلى موسكو.")),
        "[1, 2]",
    ]
    preview = upload(admin_client, {"feed.jsonl": "\n".join(lines).encode()})
    errors = errors_of(preview)
    assert [e.split(":")[0] for e in errors] == ["feed.jsonl#line 2", "feed.jsonl#line 4"]
    assert "not valid JSON" in errors[0] and "not an object" in errors[1]
    assert "feed.jsonl#line 2" in preview.content.decode()
    confirm(admin_client, preview)
    assert Article.objects.count() == 2
    record = UploadedFile.objects.get()
    assert record.outcome == UploadedFile.Outcome.PARTIAL
    assert "feed.jsonl#line 2" in record.message


def test_csv_with_missing_columns(admin_client, existing):
    assert_refused(
        admin_client,
        {"table.csv": "title,date\nعنوان,2024-01-01\n".encode()},
        expected="lacks the required column(s) body",
        existing=existing,
    )


def test_a_date_that_cannot_be_parsed_is_kept_empty_and_flagged(admin_client):
    record = {
        "title": "عنوان",
        "body": "قال سيرغي لافروف إن الزيارة ستتم الأسبوع المقبل في بكين.",
        "date": "يوم ما في الربيع",
    }
    preview = upload(admin_client, {"one.json": json.dumps(record, ensure_ascii=False).encode()})
    item = preview.context["preview"].drafts[0]
    assert item.draft.published_on is None
    assert item.date_problems == ["date could not be parsed: يوم ما في الربيع"]
    html = preview.content.decode()
    assert '<bdi class="raw-date">يوم ما في الربيع</bdi>' in html
    assert 'class="flag flag-warn date-flag"' in html
    confirm(admin_client, preview)
    article = Article.objects.get()
    assert article.published_on is None
    assert "date could not be parsed: يوم ما في الربيع" in article.ingest_warnings


def test_a_non_staff_user_posting_gets_403(db):
    client = Client()
    client.force_login(User.objects.create_user("reader", password="pw"))
    before = UploadBatch.objects.count()
    response = client.post(UPLOAD_URL, {"text": ARTICLE})
    assert response.status_code == 403
    assert client.get(UPLOAD_URL).status_code == 403
    assert (UploadBatch.objects.count(), Article.objects.count()) == (before, 0)


def test_staff_without_the_add_permission_gets_403(db):
    client = Client()
    client.force_login(User.objects.create_user("viewer", password="pw", is_staff=True))
    assert client.post(UPLOAD_URL, {"text": ARTICLE}).status_code == 403
    assert client.get(UPLOAD_URL).status_code == 403


def test_anonymous_users_are_sent_to_login_and_their_posts_refused(db):
    client = Client()
    response = client.get(UPLOAD_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.post(UPLOAD_URL, {"text": ARTICLE}).status_code == 403


def test_a_post_without_csrf_token_gets_403(db, gazetteer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.create_superuser("root", password="pw"))
    response = client.post(UPLOAD_URL, {"text": ARTICLE})
    assert response.status_code == 403
    assert UploadBatch.objects.count() == 0
    page = client.get(UPLOAD_URL)  # with the form's token (and its cookie) it goes through
    ok = client.post(
        UPLOAD_URL, {"text": ARTICLE, "csrfmiddlewaretoken": str(page.context["csrf_token"])}
    )
    assert ok.status_code == 302


def test_the_confirm_step_also_needs_csrf(db, gazetteer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.create_superuser("root", password="pw"))
    page = client.get(UPLOAD_URL)
    staged = client.post(
        UPLOAD_URL, {"text": ARTICLE, "csrfmiddlewaretoken": str(page.context["csrf_token"])}
    )
    response = client.post(
        staged["Location"], {"review-TOTAL_FORMS": "0", "review-INITIAL_FORMS": "0"}
    )
    assert response.status_code == 403
    assert Article.objects.count() == 0
