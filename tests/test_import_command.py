"""`manage.py import_articles PATH…`: every format, folders and zips, one line per refused file,
the summary line, exit code 1 when a file failed whole, and the corpus untouched by bad input."""

import gzip
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from articles.ingest import IngestError, read_upload
from articles.models import Article, IndexOperation, Mention, UploadBatch, UploadedFile
from articles.services import bulk_import, pipeline
from articles.services.imports import iter_import_files
from tests.test_upload_admin import HTML_PAGE, as_csv, records
from tests.test_upload_bad_input import HOSTILE_HTML, MOJIBAKE, PNG
from tests.upload_support import ARTICLE, SEED_DIR, SEEDS, indexed_ids, make_zip

pytestmark = pytest.mark.usefixtures("gazetteer")


def run(*paths: Path) -> tuple[int, list[str], str]:
    """(exit code, stdout lines, stderr) of the command."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", *map(str, paths), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue().splitlines(), err.getvalue()


def write(folder: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def state() -> tuple:
    return (
        sorted(Article.objects.values_list("pk", "body")),
        Mention.objects.count(),
        indexed_ids(),
    )


def test_every_format_in_a_folder(tmp_path):
    folder = write(
        tmp_path,
        {
            "a.txt": SEEDS[0].read_bytes(),
            "page.html": HTML_PAGE.encode(),
            "sub/one.json": json.dumps(records()[0], ensure_ascii=False).encode(),
            "sub/lines.jsonl": "\n".join(
                json.dumps(
                    dict(r, url=r["url"] + "l", body=r["body"] + " وقال ذلك."), ensure_ascii=False
                )
                for r in records()
            ).encode(),
            "table.csv": as_csv(
                [dict(r, body=r["body"] + " وأكد ذلك.", url="") for r in records()]
            ),
            "bundle.zip": make_zip(
                {"b.txt": SEEDS[1].read_bytes(), "c.txt": SEEDS[3].read_bytes()}
            ),
        },
    )
    code, lines, _ = run(folder)
    assert lines[-1] == "imported 9, duplicates 0, failed 0", lines
    assert code == 0
    assert Article.objects.count() == 9
    assert len(indexed_ids()) == 9
    batch = UploadBatch.objects.get()
    assert batch.channel == "command" and batch.files.count() == 6


def test_the_seed_corpus_with_its_sidecar_then_again_as_duplicates():
    code, lines, _ = run(SEED_DIR)
    assert (code, lines[-1]) == (0, "imported 5, duplicates 0, failed 0")
    assert Article.objects.filter(source__isnull=False, published_on__isnull=False).count() == 5
    code, lines, _ = run(SEED_DIR)
    assert (code, lines[-1]) == (0, "imported 0, duplicates 5, failed 0")
    assert sum(line.startswith("duplicate: ") for line in lines) == 5


def test_several_paths_and_a_zip_of_a_folder(tmp_path):
    archive = write(
        tmp_path, {"seeds.zip": make_zip({"x/" + p.name: p.read_bytes() for p in SEEDS[:2]})}
    )
    code, lines, _ = run(archive / "seeds.zip", SEEDS[2], SEEDS[3])
    assert (code, lines[-1]) == (0, "imported 4, duplicates 0, failed 0")


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "cp1256", "iso8859-6"])
def test_encodings_keep_the_bytes_verbatim(tmp_path, codec):
    text = SEEDS[2].read_text(encoding="utf-8")
    data = text.encode(codec, errors="ignore")
    code, lines, _ = run(write(tmp_path, {f"{codec}.txt": data}) / f"{codec}.txt")
    assert (code, lines[-1]) == (0, "imported 1, duplicates 0, failed 0")
    article = Article.objects.get()
    assert article.title == "لافروف يزور الصين الإثنين والثلاثاء"
    assert article.original_file.stored.read() == data


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "The file is empty."),
        ("photo.txt", PNG, "This is a binary file (a PNG image), not text."),
        ("garbled.txt", MOJIBAKE, "mojibake"),
        ("table.csv", "title,date\nعنوان,2024\n".encode(), "lacks the required column(s) body"),
        (
            "slip.zip",
            make_zip({"../../etc/evil.txt": ARTICLE.encode()}),
            "climbs out of the archive",
        ),
        ("notes.docx", b"PK\x03\x04", "cannot be imported"),
    ],
    ids=["empty", "binary", "garbage-encoding", "csv-missing-columns", "zip-slip", "unknown-type"],
)
def test_bad_files_are_named_and_change_nothing(tmp_path, name, data, reason):
    run(SEEDS[0])
    before = state()
    code, lines, _ = run(write(tmp_path, {name: data}) / name)
    failed = [line for line in lines if line.startswith("failed: ")]
    assert len(failed) == 1 and name in failed[0] and reason in failed[0], lines
    assert lines[-1] == "imported 0, duplicates 0, failed 1"
    assert code == 1
    assert state() == before
    assert UploadBatch.objects.first().files.get().outcome == UploadedFile.Outcome.FAILED


@override_settings(MARSAD_MAX_ZIP_TOTAL_BYTES=50_000)
def test_zip_bomb(tmp_path):
    path = write(tmp_path, {"bomb.zip": make_zip({"a.txt": b"\xd8\xa7" * 200_000})}) / "bomb.zip"
    code, lines, _ = run(path)
    assert code == 1 and "possible zip bomb" in lines[0] and lines[-1].endswith("failed 1")
    assert Article.objects.count() == 0 and indexed_ids() == set()


@override_settings(MARSAD_MAX_ZIP_ENTRIES=3)
def test_too_many_zip_entries(tmp_path):
    archive = make_zip({f"{n}.txt": SEEDS[n].read_bytes() for n in range(4)})
    code, lines, _ = run(write(tmp_path, {"many.zip": archive}) / "many.zip")
    assert code == 1 and "has 4 files; the limit is 3" in lines[0]
    assert Article.objects.count() == 0


@override_settings(MARSAD_MAX_FILE_BYTES=100)  # the web upload's limit: not the command's
def test_a_file_over_the_limit_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(bulk_import, "COMMAND_MAX_WHOLE_FILE_BYTES", 1_000)
    folder = write(tmp_path, {"big.txt": SEEDS[1].read_bytes(), "small.txt": ARTICLE.encode()})
    read = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or original(self))
    code, lines, _ = run(folder)
    assert code == 1
    assert (
        lines[0].startswith("failed: big.txt: The file is")
        and "the limit is 1,000 bytes" in lines[0]
    )
    assert lines[-1] == "imported 1, duplicates 0, failed 1"
    assert "big.txt" not in read
    assert not UploadedFile.objects.get(name="big.txt").stored


def test_malformed_json_lines_are_listed_and_the_good_ones_import(tmp_path):
    good = [json.dumps(r, ensure_ascii=False) for r in records()]
    feed = "\n".join([good[0], "{broken", good[1], '"just a string"']).encode()
    code, lines, _ = run(write(tmp_path, {"feed.jsonl": feed}) / "feed.jsonl")
    assert [line.split(":")[1].strip() for line in lines if line.startswith("failed")] == [
        "feed.jsonl#line 2",
        "feed.jsonl#line 4",
    ]
    assert lines[-1] == "imported 2, duplicates 0, failed 2"
    assert code == 0  # the file saved its good records: the bad ones are listed, not a failure
    assert Article.objects.count() == 2


def test_one_bodiless_record_among_good_ones_is_listed_and_the_import_succeeds(tmp_path):
    """As the full ANT file (lines 7478 and 14989 have no body): exit 0, the record listed."""
    good = [json.dumps(r, ensure_ascii=False) for r in records()]
    empty = json.dumps({"title": "بلا نص", "body": "", "source": "x"}, ensure_ascii=False)
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join([good[0], empty, good[1]]).encode()))
    code, lines, _ = run(path)
    failed = [line for line in lines if line.startswith("failed:")]
    assert len(failed) == 1 and failed[0].startswith("failed: feed.jsonl.gz#line 2: "), lines
    assert (code, lines[-1]) == (0, "imported 2, duplicates 0, failed 1")
    assert UploadedFile.objects.get(name="feed.jsonl.gz").outcome == UploadedFile.Outcome.PARTIAL


def test_a_file_of_bad_records_only_fails_the_import(tmp_path):
    path = write(tmp_path, {"bad.jsonl": b'{broken\n"just a string"\n{"title": "x"}\n'})
    code, lines, _ = run(path / "bad.jsonl")
    assert [line.split(": ")[1] for line in lines if line.startswith("failed:")] == [
        f"bad.jsonl#line {n}" for n in (1, 2, 3)
    ]
    assert (code, lines[-1]) == (1, "imported 0, duplicates 0, failed 3")
    assert UploadedFile.objects.get(name="bad.jsonl").outcome == UploadedFile.Outcome.FAILED
    assert not Article.objects.exists()


def test_hostile_html_is_imported_as_plain_text(tmp_path):
    code, lines, _ = run(write(tmp_path, {"x.html": HOSTILE_HTML.encode()}) / "x.html")
    assert code == 0
    article = Article.objects.get()
    for markup in ("<script", "<iframe", "onclick", "onerror", "<img"):
        assert markup not in article.body and markup not in article.title


def test_an_unparsable_date_is_left_empty_and_flagged(tmp_path):
    record = dict(records()[0], date="في وقت ما")
    code, _, _ = run(
        write(tmp_path, {"a.json": json.dumps(record, ensure_ascii=False).encode()}) / "a.json"
    )
    assert code == 0
    article = Article.objects.get()
    assert article.published_on is None
    assert article.ingest_warnings == ["date could not be parsed: في وقت ما"]


def test_a_missing_path_is_a_command_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not found"):
        call_command("import_articles", str(tmp_path / "nope"))


def test_large_batches_show_a_progress_bar_and_files_are_streamed(tmp_path, monkeypatch):
    lines = "\n".join(
        json.dumps(
            {"title": f"خبر رقم {n}", "body": f"نص الخبر رقم {n} عن زيارة لافروف إلى بكين."},
            ensure_ascii=False,
        )
        for n in range(30)
    )
    path = write(tmp_path, {"feed.jsonl": lines.encode()}) / "feed.jsonl"
    code, out, err = run(path)
    assert out[-1] == "imported 30, duplicates 0, failed 0"
    assert "30/30" in err and "article" in err

    folder = write(tmp_path / "many", {f"{n}.txt": ARTICLE.encode() for n in range(3)})
    read = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or original(self))
    files = iter_import_files(paths=[folder])
    next(files)
    assert read == ["0.txt"]  # one file in memory at a time


def test_a_failing_batch_leaves_nothing_half_saved_and_a_rerun_finishes(tmp_path, monkeypatch):
    """Articles, mentions and index operations of a batch commit together or not at all."""
    folder = write(tmp_path, {f"{n}.txt": SEEDS[n].read_bytes() for n in range(3)})
    monkeypatch.setattr(bulk_import, "SAVE_BATCH", 1)
    real = pipeline.insert_rows
    calls = []

    def flaky(*, model, **kwargs):
        calls.append(model)
        if calls.count(pipeline.Mention) == 2:  # the second batch, once its articles are in
            raise RuntimeError("matcher crashed")
        return real(model=model, **kwargs)

    monkeypatch.setattr(pipeline, "insert_rows", flaky)
    with pytest.raises(RuntimeError):
        run(folder)
    assert Article.objects.count() == 1  # the first batch stays; the second rolled back whole
    (saved,) = Article.objects.all()
    assert saved.mentions.exists()
    assert list(IndexOperation.objects.values_list("article_id", flat=True)) == [saved.pk]

    monkeypatch.undo()
    code, lines, _ = run(folder)
    assert code == 0 and lines[-1] == "imported 2, duplicates 1, failed 0, resumed 1"
    assert Article.objects.count() == 3 and set(indexed_ids()) == set(
        Article.objects.values_list("pk", flat=True)
    )


def test_a_zip_reads_alike_in_the_command_and_the_upload(tmp_path):
    """One zip reader: a small gzipped feed inside is imported, a malformed sidecar is named."""
    feed = "\n".join(json.dumps(r, ensure_ascii=False) for r in records()).encode()
    archive = make_zip({"news/feed.jsonl.gz": gzip.compress(feed), "marsad-metadata.json": b"{x"})
    code, lines, _ = run(write(tmp_path, {"bundle.zip": archive}) / "bundle.zip")
    assert lines[-1] == f"imported {len(records())}, duplicates 0, failed 1", lines
    assert lines[0].startswith("failed: bundle.zip/marsad-metadata.json: ")
    upload_errors = [
        str(r) for r in read_upload(name="bundle.zip", data=archive) if isinstance(r, IngestError)
    ]
    assert [e.split(": ")[0] for e in upload_errors] == [
        "bundle.zip/marsad-metadata.json",
        "bundle.zip/news/feed.jsonl.gz",  # the upload reads no gzip
    ]
