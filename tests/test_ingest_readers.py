"""Readers on in-memory bytes: every format, every encoding, and every way an upload can be bad."""

import csv
import datetime
import io
import json
import zipfile
from pathlib import Path

import pytest

from articles.ingest import ArticleDraft, IngestError, UploadLimits, read_path, read_upload
from articles.ingest.archives import ZipBudget, ZipLimitExceeded, read_zip_entry
from articles.ingest.decoding import decode_bytes
from articles.ingest.errors import IngestFailure
from articles.ingest.formats import strip_markup
from articles.ingest.readers import SourceFile, iter_source_files

SEED_DIR = Path(__file__).resolve().parents[1] / "articles" / "seed_corpus"
SEED_002 = next(SEED_DIR.glob("002_*.txt"))
SEED_004 = next(SEED_DIR.glob("004_*.txt"))
ARTICLE = "عنوان الخبر\n\nقال الوزير إن الزيارة ستتم الأسبوع المقبل في موسكو.\n"


def only(results):
    assert len(results) == 1, results
    return results[0]


def draft_of(results) -> ArticleDraft:
    result = only(results)
    assert isinstance(result, ArticleDraft), result
    return result


def error_of(results) -> IngestError:
    result = only(results)
    assert isinstance(result, IngestError), result
    return result


def make_zip(entries: dict[str, bytes], *, directories: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for directory in directories:
            archive.writestr(zipfile.ZipInfo(directory), b"")
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# --- plain text and encodings ---------------------------------------------------------------


def test_txt_seed_keeps_exact_bytes_and_text():
    data = SEED_002.read_bytes()
    draft = draft_of(read_upload(name=SEED_002.name, data=data))
    assert draft.title == "لافروف يزور الصين الإثنين والثلاثاء"
    assert draft.original_bytes == data
    assert draft.original == data.decode("utf-8")
    assert draft.original_name == SEED_002.name


ENCODINGS = [
    ("utf-8-sig", "utf-8-sig"),
    ("utf-16", "utf-16"),
    ("utf-16-be", "utf-16-be"),  # no BOM: told apart by which byte order reads as text
    ("utf-16-le", "utf-16-le"),
    ("cp1256", "cp1256"),
    ("iso8859-6", "iso8859-6"),
]


def encodable_cases() -> list:
    """Every (seed, encoding) pair the encoding can represent: ISO-8859-6 has no "•" (001) and
    no curly quotes (003), so those two seeds cannot be written in it at all."""
    cases = []
    for seed in sorted(SEED_DIR.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        for codec, expected in ENCODINGS:
            try:
                text.encode(codec)
            except UnicodeEncodeError:
                continue
            cases.append(pytest.param(seed, codec, expected, id=f"{seed.name[:3]}-{codec}"))
    return cases


@pytest.mark.parametrize(("seed", "codec", "expected"), encodable_cases())
def test_seed_round_trips_through_each_encoding(seed, codec, expected):
    text = seed.read_text(encoding="utf-8")
    data = text.encode(codec)
    if codec == "utf-16":
        assert data.startswith((b"\xff\xfe", b"\xfe\xff"))
    results = read_upload(name=seed.name, data=data)
    draft = draft_of(results)
    reference = draft_of(read_upload(name=seed.name, data=seed.read_bytes()))
    assert draft.encoding == expected
    assert draft.original == text
    assert draft.original_bytes == data
    assert (draft.title, draft.body) == (reference.title, reference.body)


@pytest.mark.parametrize("codec", ["cp1256", "iso8859-6"])
def test_short_legacy_text_is_checked_against_arabic_encodings(codec):
    # charset-normalizer alone guesses a Japanese code page for this headline.
    headline = "لافروف يزور الصين الإثنين والثلاثاء"
    assert decode_bytes(headline.encode(codec), name="h.txt") == (headline, codec)


def test_utf8_is_preferred_when_it_decodes():
    assert decode_bytes(ARTICLE.encode("utf-8"), name="a.txt") == (ARTICLE, "utf-8")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t\r\n ", "empty"),
        ("\ufeff  \n".encode("utf-8"), "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"title\x00\x00body\x00", "NUL bytes"),
        ("١٢٣٤ - 5678 / ٩٠\n".encode(), "no letters"),
        (("نص" + "\ufffd" * 40).encode("utf-8"), "undecodable"),
        (("نص عربي" + "\x07\x1b" * 30).encode("utf-8"), "control characters"),
        ("été à côté de la mer".encode("latin-1"), "no Arabic encoding"),
    ],
)
def test_bad_bytes_are_named_errors(data, reason):
    error = error_of(read_upload(name="bad.txt", data=data))
    assert error.name == "bad.txt"
    assert reason in error.reason


@pytest.mark.parametrize(
    "wrong_codec", ["cp1252", "cp1256"], ids=["read-as-latin", "read-as-windows-arabic"]
)
def test_mojibake_is_refused(wrong_codec):
    text = SEED_004.read_text(encoding="utf-8")
    mojibake = text.encode("utf-8").decode(wrong_codec, errors="ignore").encode("utf-8")
    assert "mojibake" in error_of(read_upload(name="m.txt", data=mojibake)).reason


def test_unknown_extension_and_size_limit():
    assert "cannot be imported" in error_of(read_upload(name="a.docx", data=b"x")).reason
    limits = UploadLimits(max_file_bytes=10)
    error = error_of(read_upload(name="a.txt", data=ARTICLE.encode(), limits=limits))
    assert "limit is 10 bytes" in error.reason


def test_read_upload_uses_the_curated_entry_for_its_name():
    curated = {"a.txt": {"source": "الدستور", "published_on": "2023-03-17"}}
    draft = draft_of(read_upload(name="folder/a.txt", data=ARTICLE.encode(), curated=curated))
    assert (draft.source_name, draft.published_on) == ("الدستور", datetime.date(2023, 3, 17))
    assert draft.metadata_origin == {"title": "text", "source": "curated", "date": "curated"}


# --- HTML -------------------------------------------------------------------------------------

HOSTILE_HTML = """<!doctype html><html><head>
<title>لافروف يزور الصين | إيلاف</title>
<meta property="og:site_name" content="إيلاف">
<meta property="article:published_time" content="2024-04-07T10:00:00Z">
<script>var secret = "<p>evil()</p>";</script></head>
<body onload="steal()"><nav>الرئيسية | أخبار</nav><article>
<h1 onclick="hijack()">لافروف يزور الصين الإثنين والثلاثاء</h1>
<p onclick="alert(1)">موسكو: يجري وزير الخارجية الروسية سيرغي لافروف الاثنين والثلاثاء زيارة رسمية
للصين، الشريك الدبلوماسي والاقتصادي الرئيسي لموسكو، وفق ما أعلنت وزارة الخارجية الروسية الأحد.</p>
<iframe src="https://ads.example/frame" onload="frameEvil()"></iframe>
<script>document.write('<b>injected</b>')</script>
<p>وأوضح البيان أن الوزيرين &lt;script&gt;shown()&lt;/script&gt; سيناقشان مجموعة من قضايا التعاون
الثنائي وكذلك التعاون على الساحة الدولية.</p></article>
</body></html>"""


def test_html_keeps_text_and_metadata_but_no_markup():
    data = HOSTILE_HTML.encode("utf-8")
    draft = draft_of(read_upload(name="page.html", data=data))
    assert draft.title == "لافروف يزور الصين الإثنين والثلاثاء"
    assert draft.source_name == "إيلاف"
    assert draft.published_on == datetime.date(2024, 4, 7)
    assert draft.metadata_origin == {"title": "text", "source": "text", "date": "text"}
    assert draft.body.startswith("موسكو: يجري وزير الخارجية الروسية")
    assert "التعاون على الساحة الدولية." in draft.body
    for leaked in ("<", ">", "script", "iframe", "onclick", "onload", "evil", "injected", "steal"):
        assert leaked not in draft.title + draft.body, leaked
    assert draft.original == HOSTILE_HTML
    assert draft.original_bytes == data


def test_strip_markup_removes_tags_but_not_comparisons():
    assert strip_markup("أ <b>ب</b> <script src=x onload=y()>ج") == "أ ب ج"
    assert strip_markup("5 < 7 و 9 > 3\n<iframe src=x\nنص") == "5 < 7 و 9 > 3\n\nنص"


def test_html_without_article_text_is_an_error():
    data = b"<html><head><script>alert(1)</script></head><body></body></html>"
    assert "No article text" in error_of(read_upload(name="empty.htm", data=data)).reason


# --- JSON, JSONL, CSV -------------------------------------------------------------------------

RECORD = {
    "title": "وزير الخارجية الصيني يزور موسكو",
    "body": "التقى وزير الخارجية الصيني نظيره الروسي في موسكو.\nوبحث الجانبان العلاقات الثنائية.",
    "date": "2023-02-22T10:00:00+00:00",
    "source": "بي بي سي عربي",
    "url": "https://example.org/a",
}


def test_json_object_is_one_record_with_record_origins():
    data = json.dumps(RECORD, ensure_ascii=False).encode("utf-8")
    draft = draft_of(read_upload(name="one.json", data=data))
    assert draft.title == RECORD["title"]
    assert (
        draft.body
        == "التقى وزير الخارجية الصيني نظيره الروسي في موسكو.\n\nوبحث الجانبان العلاقات الثنائية."
    )
    assert (draft.source_name, draft.url) == (RECORD["source"], RECORD["url"])
    assert draft.published_on == datetime.date(2023, 2, 22)
    assert draft.metadata_origin == {"title": "record", "source": "record", "date": "record"}
    assert draft.original_name == "one.json"


def test_json_list_names_records_and_keeps_each_record_text():
    text = json.dumps([RECORD, {"title": "بلا نص"}, "نص"], ensure_ascii=False, indent=2)
    results = read_upload(name="many.json", data=text.encode("utf-8"))
    assert [
        result.original_name if isinstance(result, ArticleDraft) else result.name
        for result in results
    ] == [
        "many.json#record 1",
        "many.json#record 2",
        "many.json#record 3",
    ]
    first, no_body, not_object = results
    assert json.loads(first.original) == RECORD
    assert first.original in text
    assert "no body" in no_body.reason
    assert "not an object" in not_object.reason


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"[]", "no letters"),
        (json.dumps({"body": ["a", "b"]}).encode(), "'body' is not text"),
    ],
)
def test_bad_json_files(data, reason):
    assert reason in error_of(read_upload(name="x.json", data=data)).reason


def test_jsonl_good_lines_come_through_and_bad_lines_are_named():
    lines = [
        json.dumps(RECORD, ensure_ascii=False),
        "{broken",
        "",
        json.dumps({"title": "بلا نص", "body": "  "}, ensure_ascii=False),
        json.dumps({**RECORD, "title": "خبر ثان", "date": "قبل ساعتين"}, ensure_ascii=False),
    ]
    results = read_upload(name="feed.jsonl", data="\n".join(lines).encode("utf-8"))
    assert len(results) == 4
    first, broken, empty_body, undated = results
    assert isinstance(first, ArticleDraft) and first.original_name == "feed.jsonl#line 1"
    assert first.original == lines[0]
    assert isinstance(broken, IngestError) and broken.name == "feed.jsonl#line 2"
    assert "not valid JSON" in broken.reason
    assert isinstance(empty_body, IngestError) and empty_body.name == "feed.jsonl#line 4"
    assert isinstance(undated, ArticleDraft) and undated.original_name == "feed.jsonl#line 5"
    assert undated.published_on is None
    assert undated.warnings == ["date could not be parsed: قبل ساعتين"]


def test_record_body_is_cleaned_like_a_page_but_keeps_the_record_title():
    page = SEED_004.read_text(encoding="utf-8")
    record = {"title": "عنوان من السجل", "body": page}
    draft = draft_of(
        read_upload(name="r.json", data=json.dumps(record, ensure_ascii=False).encode())
    )
    assert draft.title == "عنوان من السجل"
    assert draft.metadata_origin["title"] == "record"
    # The page's own headline stays (it is not the record's title); the furniture goes.
    assert draft.body.startswith("شي يلتقي بوتين ويتعهد")
    for dropped in ("تاريخ النشر", "المصدر", "كلمات دلالية", "نكايةً في ترامب"):
        assert dropped not in draft.body
    # The text's own date and outlet still fill what the record left empty.
    assert (draft.source_name, draft.published_on) == ("الجزيرة", datetime.date(2025, 5, 8))
    assert draft.metadata_origin["date"] == "text"


def test_record_html_body_is_extracted_without_markup():
    record = {"title": "<b>عنوان</b>", "body": HOSTILE_HTML}
    draft = draft_of(read_upload(name="r.jsonl", data=json.dumps(record).encode()))
    assert draft.title == "عنوان"
    assert "<" not in draft.body and "evil" not in draft.body and "onclick" not in draft.body


def test_record_without_title_uses_the_headline_of_its_body():
    record = {"body": "عنوان في النص\nقال الوزير إن الزيارة ستتم."}
    draft = draft_of(read_upload(name="r.json", data=json.dumps(record).encode()))
    assert draft.title == "عنوان في النص"
    assert draft.metadata_origin["title"] == "text"


def csv_bytes(rows: list[list[str]], *, codec: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(codec)


def test_csv_rows_become_drafts_and_bad_rows_errors():
    rows = [
        ["Title", "Body", "Date", "Source", "URL"],
        [RECORD["title"], RECORD["body"], "22 شباط 2023", RECORD["source"], RECORD["url"]],
        [],
        ["قصير", "نص بلا تاريخ.", "", "", ""],
        ["ناقص"],
    ]
    results = read_upload(name="t.csv", data=csv_bytes(rows, codec="utf-8-sig"))
    assert len(results) == 3
    first, undated, short = results
    assert isinstance(first, ArticleDraft) and first.original_name == "t.csv#row 1"
    assert first.published_on == datetime.date(2023, 2, 22)
    assert "وبحث الجانبان العلاقات الثنائية." in first.original
    assert first.body.endswith("وبحث الجانبان العلاقات الثنائية.")
    assert isinstance(undated, ArticleDraft) and undated.warnings == ["date not found"]
    assert isinstance(short, IngestError) and short.name == "t.csv#row 4"
    assert "1 fields; the header has 5" in short.reason


def test_csv_missing_body_column_is_one_error_for_the_file():
    data = csv_bytes([["title", "text", "date"], ["عنوان", "نص.", ""]])
    error = error_of(read_upload(name="t.csv", data=data))
    assert error.name == "t.csv"
    assert "required column(s) body" in error.reason
    assert "columns found: title, text, date" in error.reason


def test_csv_in_windows_1256():
    data = csv_bytes(
        [["title", "body"], ["عنوان الخبر", "قال الوزير إن الزيارة ستتم."]], codec="cp1256"
    )
    draft = draft_of(read_upload(name="t.csv", data=data))
    assert (draft.title, draft.encoding) == ("عنوان الخبر", "cp1256")


# --- ZIP --------------------------------------------------------------------------------------


def test_zip_reads_entries_with_inner_sidecar_and_skips_folders_and_macos_files():
    sidecar = json.dumps({"a.txt": {"source": "الدستور", "published_on": "2023-03-17"}}).encode()
    data = make_zip(
        {
            "news/a.txt": ARTICLE.encode("utf-8"),
            "news/marsad-metadata.json": sidecar,
            "news/b.txt": ARTICLE.encode("cp1256"),
            "__MACOSX/news/._a.txt": b"\x00\x05\x16\x07",
            "news/.DS_Store": b"\x00\x00\x00\x01Bud1",
        },
        directories=("news/",),
    )
    results = read_upload(name="upload.zip", data=data)
    assert [r.original_name for r in results] == ["upload.zip/news/a.txt", "upload.zip/news/b.txt"]
    first, second = results
    assert (first.source_name, first.metadata_origin["source"]) == ("الدستور", "curated")
    assert first.original_bytes == ARTICLE.encode("utf-8")
    assert second.encoding == "cp1256" and second.source_name == ""


def test_zip_refuses_escaping_paths_and_nested_archives_but_reads_the_rest():
    data = make_zip(
        {
            "../evil.txt": ARTICLE.encode(),
            "/etc/abs.txt": ARTICLE.encode(),
            "dir/..\\..\\win.txt": ARTICLE.encode(),
            "inner.zip": make_zip({"x.txt": ARTICLE.encode()}),
            "ok.txt": ARTICLE.encode(),
            "photo.jpg": b"\xff\xd8\xff\xe0",
        }
    )
    results = read_upload(name="u.zip", data=data)
    errors = {r.name: r.reason for r in results if isinstance(r, IngestError)}
    drafts = [r.original_name for r in results if isinstance(r, ArticleDraft)]
    assert drafts == ["u.zip/ok.txt"]
    for escaping in ("u.zip/../evil.txt", "u.zip//etc/abs.txt", "u.zip/dir/..\\..\\win.txt"):
        assert "climbs out" in errors[escaping]
    assert "inside archives" in errors["u.zip/inner.zip"]
    assert "cannot be imported" in errors["u.zip/photo.jpg"]


def test_zip_bomb_is_refused_from_its_declared_size():
    bomb = make_zip({"zeros.txt": b"0" * 2_000_000})
    assert len(bomb) < 10_000
    limits = UploadLimits(max_file_bytes=5_000_000, max_zip_total_bytes=1_000_000)
    error = error_of(read_upload(name="bomb.zip", data=bomb, limits=limits))
    assert error.name == "bomb.zip"
    assert "zip bomb" in error.reason


def test_zip_entry_inflating_past_the_budget_is_stopped_while_reading():
    data = make_zip({"zeros.txt": b"0" * 300_000})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("zeros.txt")
        with pytest.raises(ZipLimitExceeded):
            read_zip_entry(archive, info, budget=ZipBudget(total_bytes=100_000), max_bytes=10**9)
        with pytest.raises(ZipLimitExceeded):
            read_zip_entry(archive, info, budget=ZipBudget(total_bytes=10**9), max_bytes=100_000)
        assert (
            len(
                read_zip_entry(
                    archive, info, budget=ZipBudget(total_bytes=300_000), max_bytes=300_000
                )
            )
            == 300_000
        )


def test_zip_with_too_many_entries_is_refused():
    data = make_zip({f"{n}.txt": ARTICLE.encode() for n in range(6)})
    limits = UploadLimits(max_zip_entries=5)
    assert (
        "has 6 files; the limit is 5"
        in error_of(read_upload(name="z.zip", data=data, limits=limits)).reason
    )


def test_zip_entry_over_the_file_limit_is_refused_alone():
    data = make_zip({"big.txt": ("نص " * 1000).encode(), "ok.txt": ARTICLE.encode()})
    limits = UploadLimits(max_file_bytes=1000)
    results = read_upload(name="z.zip", data=data, limits=limits)
    assert isinstance(results[0], IngestError) and results[0].name == "z.zip/big.txt"
    assert isinstance(results[1], ArticleDraft)


def test_not_a_zip():
    assert (
        "not a readable ZIP" in error_of(read_upload(name="z.zip", data=b"PK\x03\x04junk")).reason
    )


# --- folders ----------------------------------------------------------------------------------


def test_read_path_walks_sorted_with_each_folders_sidecar(tmp_path):
    for seed in sorted(SEED_DIR.glob("*.txt")):
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    (tmp_path / "marsad-metadata.json").write_bytes(
        (SEED_DIR / "marsad-metadata.json").read_bytes()
    )
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "x.txt").write_text(ARTICLE, encoding="utf-8")
    (sub / "marsad-metadata.json").write_text('{"x.txt": {"source": "إيلاف"}}', encoding="utf-8")
    (sub / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")

    results = read_path(tmp_path)
    names = [r.original_name if isinstance(r, ArticleDraft) else r.name for r in results]
    assert names == [seed.name for seed in sorted(SEED_DIR.glob("*.txt"))] + [
        "sub/notes.docx",
        "sub/x.txt",
    ]
    by_name = {r.original_name: r for r in results if isinstance(r, ArticleDraft)}
    assert by_name["000_577327ae98173724.txt"].published_on == datetime.date(2023, 3, 17)
    assert by_name["000_577327ae98173724.txt"].metadata_origin["date"] == "curated"
    assert by_name["sub/x.txt"].source_name == "إيلاف"


def test_read_path_single_file_uses_its_folders_sidecar():
    draft = draft_of(read_path(SEED_DIR / SEED_002.name))
    assert draft.published_on == datetime.date(2024, 4, 7)
    assert draft.metadata_origin["date"] == "curated"


def test_read_path_refuses_big_files_before_reading_and_reports_bad_sidecars(tmp_path):
    (tmp_path / "big.txt").write_text(ARTICLE * 10, encoding="utf-8")
    (tmp_path / "marsad-metadata.json").write_text("{oops", encoding="utf-8")
    results = read_path(tmp_path, limits=UploadLimits(max_file_bytes=100))
    assert [(type(r), r.name) for r in results] == [
        (IngestError, "big.txt"),
        (IngestError, "marsad-metadata.json"),
    ]
    assert "limit is 100 bytes" in results[0].reason
    assert "not valid JSON" in results[1].reason


def test_iter_source_files_gives_bytes_and_the_folders_sidecar(tmp_path):
    (tmp_path / "marsad-metadata.json").write_text(
        '{"a.txt": {"source": "إيلاف"}}', encoding="utf-8"
    )
    (tmp_path / "a.txt").write_bytes(ARTICLE.encode("cp1256"))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.json").write_bytes(b"{}")
    files = list(iter_source_files(tmp_path))
    assert files == [
        SourceFile(
            name="a.txt", data=ARTICLE.encode("cp1256"), curated={"a.txt": {"source": "إيلاف"}}
        ),
        SourceFile(name="sub/b.json", data=b"{}", curated=None),
    ]
    draft = draft_of(read_upload(name=files[0].name, data=files[0].data, curated=files[0].curated))
    assert draft.source_name == "إيلاف"


def test_a_sidecar_uploaded_alone_imports_nothing_and_says_so():
    error = error_of(read_upload(name="marsad-metadata.json", data=b'{"a.txt": {}}'))
    assert "applies to the files beside it" in error.reason
    assert "not valid JSON" in error_of(read_upload(name="marsad-metadata.json", data=b"[")).reason


def test_ingest_failure_carries_the_error():
    with pytest.raises(IngestFailure) as caught:
        decode_bytes(b"", name="e.txt")
    assert caught.value.error == IngestError("e.txt", "The file is empty.")
    assert str(caught.value) == "e.txt: The file is empty."
