"""Hostile or careless uploads (issue 12): script links, control characters, deep nesting, huge
articles, unreadable encodings, NUL bytes and gzipped lines of many megabytes are each refused or
made safe by name, in both channels (the import command and the admin upload), without holding
more than a record's limit in memory, and the rest of the run goes on."""

import gzip
import io
import json
import random
import tracemalloc

import pytest
from django.core.management import call_command
from django.test import override_settings

from articles.ingest import ArticleDraft, IngestError, UploadLimits, read_upload, streaming
from articles.models import Article, Source
from tests.upload_support import ARTICLE, confirm, errors_of, upload

BODY = "قال وزير الخارجية الروسي سيرغي لافروف إن الزيارة ستتم الأسبوع المقبل في بكين."
DEEP = '{"title": "عنوان", "body": ' + "[" * 50_000 + "]" * 50_000 + "}"


@pytest.fixture
def admin_client(client, db, gazetteer):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("root", password="pw"))
    return client


def record(**fields) -> str:
    return json.dumps({"title": "عنوان الخبر", "body": BODY, **fields}, ensure_ascii=False)


def only_draft(results) -> ArticleDraft:
    (result,) = results
    assert isinstance(result, ArticleDraft), result
    return result


def only_error(results) -> IngestError:
    (result,) = results
    assert isinstance(result, IngestError), result
    return result


def run_import(*paths) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("import_articles", *map(str, paths), stdout=out, stderr=io.StringIO())
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "  javascript:alert(1)",
        "java\tscript:alert(1)",
        "javascript&#58;alert(1)",
        "&#106;avascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "//evil.example/x",
    ],
)
def test_links_other_than_http_are_dropped_with_a_note(url):
    draft = only_draft(read_upload(name="r.json", data=record(url=url).encode()))
    assert draft.url == ""
    assert any(w.startswith("link dropped") for w in draft.warnings)


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        (" HTTP://Example.org/x ", "HTTP://Example.org/x"),
        ("https://example.org/?a=1&amp;b=2", "https://example.org/?a=1&b=2"),
    ],
)
def test_http_links_are_kept(url, kept):
    draft = only_draft(read_upload(name="r.json", data=record(url=url).encode()))
    assert (draft.url, draft.warnings) == (kept, ["date not found"])


def test_the_article_page_never_links_a_script_url(admin_client):
    preview = upload(admin_client, {"x.jsonl": record(url="JaVaScRiPt:alert(1)").encode()})
    html = preview.content.decode()
    assert "link dropped (only http and https links are kept): JaVaScRiPt:alert(1)" in html
    confirm(admin_client, preview)
    article = Article.objects.get()
    assert article.url == ""
    page = admin_client.get(article.get_absolute_url()).content.decode()
    assert "javascript:" not in page.lower()


def test_controls_are_removed_in_the_command(tmp_path, gazetteer):
    path = tmp_path / "feed.jsonl"
    path.write_text(
        record(
            title="عنوان\u0000 الخبر\u001b",
            source="وكالة\u0000 الأنباء\u202e",
            body=BODY + "\u0000\u0007",
        )
        + "\n",
        encoding="utf-8",
    )
    code, out = run_import(path)
    assert code == 0, out
    article = Article.objects.get()
    assert (article.title, article.source.name) == ("عنوان الخبر", "وكالة الأنباء")
    assert article.body == BODY


def test_controls_are_removed_in_the_admin_upload(admin_client):
    data = record(title="عنوان\x00 الخبر", source="وكالة\x01 الأنباء").encode()
    preview = upload(admin_client, {"feed.jsonl": data})
    item = preview.context["preview"].drafts[0]
    assert (item.draft.title, item.draft.source_name) == ("عنوان الخبر", "وكالة الأنباء")


def test_deep_nesting_is_a_named_error_and_the_run_goes_on(tmp_path, gazetteer):
    (tmp_path / "a-deep.json").write_text(DEEP)
    (tmp_path / "b-feed.jsonl").write_text(
        record()
        + "\n"
        + '{"body": '
        + DEEP
        + "}\n"
        + record(title="ثان", body=BODY + " ثانية")
        + "\n"
    )
    (tmp_path / "c.txt").write_text("عنوان ثالث\n\nوصل الوفد الصيني إلى موسكو صباح اليوم.\n")
    code, out = run_import(tmp_path)
    assert code == 1
    assert "failed: a-deep.json: The file nests deeper than 32 levels." in out
    assert "failed: b-feed.jsonl#line 2: The line nests deeper than 32 levels." in out
    assert out.splitlines()[-1] == "imported 3, duplicates 0, failed 2"


def test_deep_nesting_in_the_admin_preview_is_listed(admin_client):
    preview = upload(admin_client, {"deep.json": DEEP.encode()})
    assert errors_of(preview) == ["deep.json: The file nests deeper than 32 levels."]


def test_an_article_over_the_ceiling_is_refused_by_name():
    limits = UploadLimits(max_article_chars=1000)
    big = record(body=BODY + " " + "كلمة " * 400)
    error = only_error(read_upload(name="big.jsonl", data=big.encode(), limits=limits))
    assert error.name == "big.jsonl#line 1"
    assert "the limit is 1,000 (MARSAD_MAX_ARTICLE_CHARS)" in error.reason
    error = only_error(
        read_upload(name="big.txt", data=("عنوان\n\n" + "كلمة " * 400).encode(), limits=limits)
    )
    assert "MARSAD_MAX_ARTICLE_CHARS" in error.reason


@override_settings(MARSAD_MAX_ARTICLE_CHARS=1000)
def test_the_ceiling_applies_to_the_command_and_the_upload(tmp_path, admin_client):
    big = "عنوان طويل\n\n" + "كلمة " * 400
    (tmp_path / "big.txt").write_text(big)
    code, out = run_import(tmp_path / "big.txt")
    assert code == 1 and "failed: big.txt: The article has 2,012 characters" in out
    preview = upload(admin_client, {"big.txt": big.encode()})
    assert "big.txt: The article has 2,012 characters" in errors_of(preview)[0]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_decoded(codec):
    draft = only_draft(read_upload(name="a.txt", data=ARTICLE.encode(codec)))
    assert draft.encoding == codec
    assert draft.title == "عنوان الخبر الأول"


@pytest.mark.parametrize("size", [64, 4096, 100_000])
def test_random_bytes_are_not_text(size):
    data = random.Random(size).randbytes(size)
    assert "This is not text" in only_error(read_upload(name="r.txt", data=data)).reason


def test_random_high_bytes_are_not_text():
    rng = random.Random(7)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(4096))
    assert "This is not text" in only_error(read_upload(name="r.txt", data=data)).reason


def test_a_source_with_an_override_is_saved_without_it(tmp_path, gazetteer):
    (tmp_path / "r.jsonl").write_text(record(source="\u202eوكالة") + "\n")
    run_import(tmp_path / "r.jsonl")
    assert Source.objects.get().name == "وكالة"


def test_fields_longer_than_the_database_holds_are_named():
    from articles.ingest.sanitize import MAX_SOURCE_CHARS, MAX_TITLE_CHARS, MAX_URL_CHARS

    assert Article._meta.get_field("title").max_length == MAX_TITLE_CHARS
    assert Source._meta.get_field("name").max_length == MAX_SOURCE_CHARS
    assert Article._meta.get_field("url").max_length == MAX_URL_CHARS
    error = only_error(read_upload(name="t.jsonl", data=record(title="ع" * 501).encode()))
    assert error.reason == "The title has 501 characters; the limit is 500."
    error = only_error(read_upload(name="s.jsonl", data=record(source="و" * 201).encode()))
    assert error.reason == "The outlet has 201 characters; the limit is 200."
    long_url = "https://example.org/" + "a" * 1000
    draft = only_draft(read_upload(name="u.jsonl", data=record(url=long_url).encode()))
    assert draft.url == "" and any(w.startswith("link dropped") for w in draft.warnings)


def test_a_csv_body_past_the_csv_module_default_is_read():
    body = BODY + " " + "كلمة " * 40_000  # 200,000 characters: more than csv's 131,072
    data = ("title,body\nعنوان," + body + "\nعنوان ثان," + BODY + "\n").encode()
    first, second = read_upload(name="big.csv", data=data)
    assert isinstance(first, ArticleDraft) and isinstance(second, ArticleDraft)


def gzipped_line(path, *, head: bytes, size: int, tail: bytes) -> None:
    """`head`, one line of `size` letters, then `tail`, gzipped (a few hundred KB on disk)."""
    with gzip.open(path, "wb") as out:
        out.write(head)
        for _ in range(size // (1 << 20)):
            out.write(b"a" * (1 << 20))
        out.write(b"\n" + tail)


def peak_while_read(path) -> tuple[list[streaming.Unit], int]:
    """The units of a file as the command streams them, and the peak bytes held meanwhile."""
    tracemalloc.start()
    try:
        units = list(
            streaming.units_of_path(
                path=path, name=path.name, curated=None, limits=streaming.CommandLimits()
            )
        )
        return units, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_gzipped_jsonl_line_of_64_mib_is_refused_by_number_without_being_held(tmp_path):
    path = tmp_path / "bomb.jsonl.gz"
    gzipped_line(path, head=b"", size=64 << 20, tail=record().encode() + b"\n")
    units, peak = peak_while_read(path)
    assert [(u.kind, u.name) for u in units] == [
        ("error", "bomb.jsonl.gz#line 1"),
        ("jsonl", "bomb.jsonl.gz#line 2"),
    ]
    assert units[0].payload == "The line has 67,108,864 characters; the limit is 8,388,608."
    assert peak < 40 << 20, f"{peak:,} bytes held for a 64 MiB line"


def test_a_gzipped_csv_line_of_64_mib_stops_the_file_by_number_without_being_held(tmp_path):
    path = tmp_path / "bomb.csv.gz"
    gzipped_line(path, head=b"title,body\n", size=64 << 20, tail=b"t,b\n")
    units, peak = peak_while_read(path)
    assert [(u.kind, u.name) for u in units] == [("error", "bomb.csv.gz#row 1")]
    assert "a line has 67,108,864 characters" in units[0].payload
    assert peak < 40 << 20, f"{peak:,} bytes held for a 64 MiB line"


def test_a_streamed_csv_row_with_nul_bytes_is_refused_and_the_others_import(tmp_path, gazetteer):
    """NUL cannot be stored (PostgreSQL refuses it): the row is named, the run goes on."""
    rows = f"title,body\nأول,{BODY}\nثان,\x00\x00{BODY} ثانية\x00\nثالث,{BODY} ثالثة\n"
    path = tmp_path / "feed.csv.gz"
    path.write_bytes(gzip.compress(rows.encode()))
    code, out = run_import(path)
    assert code == 0
    assert "failed: feed.csv.gz#row 2: The row contains NUL bytes: binary data, not text." in out
    assert out.splitlines()[-1] == "imported 2, duplicates 0, failed 1"
    assert sorted(Article.objects.values_list("title", flat=True)) == ["أول", "ثالث"]
