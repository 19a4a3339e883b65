"""The import command streams files of any size: .jsonl, .csv, .json (also gzipped), zip entries
and folders, record by record; bad records are listed by line and the good ones saved."""

import gzip
import io
import json
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.drills import synthetic_records
from articles.ingest import streaming
from articles.models import Article, EventDate, UploadedFile
from articles.services.imports import estimate_articles
from tests.test_upload_admin import as_csv
from tests.upload_support import indexed_ids

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def stream_everything(monkeypatch, gazetteer):
    """Stream even these small files (the command reads files up to 1 MiB whole)."""
    monkeypatch.setattr(streaming, "STREAM_ABOVE_BYTES", 0)


def run(*paths: Path) -> tuple[int, list[str]]:
    out = StringIO()
    try:
        call_command(
            "import_articles", *map(str, paths), "--workers=1", stdout=out, stderr=StringIO()
        )
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue().splitlines()


def jsonl(records: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


def saved_titles() -> list[str]:
    return sorted(Article.objects.values_list("title", flat=True))


def expected_titles(records: list[dict]) -> list[str]:
    return sorted(r["title"] for r in records)


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("feed.jsonl", jsonl),
        ("feed.jsonl.gz", lambda rows: gzip.compress(jsonl(rows))),
        ("feed.csv", as_csv),
        ("feed.csv.gz", lambda rows: gzip.compress(as_csv(rows))),
        ("feed.json", lambda rows: json.dumps(rows, ensure_ascii=False, indent=1).encode()),
    ],
)
def test_each_streamed_format_imports_every_record(tmp_path, name, encode):
    records = synthetic_records(count=30)
    path = tmp_path / name
    path.write_bytes(encode(records))
    code, lines = run(path)
    assert (code, lines[-1]) == (0, "imported 30, duplicates 0, failed 0")
    assert saved_titles() == expected_titles(records)
    assert set(indexed_ids()) == set(Article.objects.values_list("pk", flat=True))
    stored = UploadedFile.objects.get(name=name)
    assert stored.stored.read() == path.read_bytes()  # the original bytes, kept verbatim


def test_bad_records_are_listed_by_line_and_the_good_ones_saved(tmp_path):
    good = [json.dumps(r, ensure_ascii=False) for r in synthetic_records(count=3)]
    lines = [
        good[0],
        "{broken",
        good[1],
        '"just a string"',
        json.dumps({"title": "بلا نص"}),
        good[2],
    ]
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    code, out = run(path)
    assert code == 0 and out[-1] == "imported 3, duplicates 0, failed 3"
    assert [line.split(": ")[1] for line in out if line.startswith("failed")] == [
        "feed.jsonl.gz#line 2",
        "feed.jsonl.gz#line 4",
        "feed.jsonl.gz#line 5",
    ]
    record = UploadedFile.objects.get(name="feed.jsonl.gz")
    assert record.outcome == UploadedFile.Outcome.PARTIAL
    assert "feed.jsonl.gz#line 2" in record.message


@pytest.mark.parametrize("streamed", [True, False])
def test_duplicates_are_listed_by_line(tmp_path, monkeypatch, streamed):
    if not streamed:  # a small file read whole, as the command does below 1 MiB
        monkeypatch.setattr(streaming, "STREAM_ABOVE_BYTES", 1024 * 1024)
    first, second = synthetic_records(count=2)
    same_url = dict(second, body=second["body"] + " وأضاف.", url=first["url"])
    path = tmp_path / "feed.jsonl"
    path.write_bytes(jsonl([first, second, first, same_url]))
    code, out = run(path)
    assert (code, out[-1]) == (0, "imported 2, duplicates 2, failed 0")
    first_pk = Article.objects.get(title=first["title"]).pk
    assert [line for line in out if line.startswith("duplicate")] == [
        f"duplicate: feed.jsonl#line 3: already imported as #{first_pk} (same text)",
        f"duplicate: feed.jsonl#line 4: already imported as #{first_pk} (same URL)",
    ]
    code, out = run(path)
    assert out[-1] == "imported 0, duplicates 4, failed 0"
    assert [line.split(": ")[1] for line in out if line.startswith("duplicate")] == [
        f"feed.jsonl#line {n}" for n in (1, 2, 3, 4)
    ]
    record = UploadedFile.objects.filter(name="feed.jsonl").order_by("pk").last()
    assert f"feed.jsonl#line 4: duplicate of #{first_pk} (same URL)" in record.message


@pytest.mark.parametrize("streamed", [True, False])
def test_failed_and_duplicate_lines_print_in_the_file_s_order(tmp_path, monkeypatch, streamed):
    if not streamed:
        monkeypatch.setattr(streaming, "STREAM_ABOVE_BYTES", 1024 * 1024)
    first, second = synthetic_records(count=2)
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"not json\n" + jsonl([first, first]) + b'{"title": ""}\n' + jsonl([second]))
    code, out = run(path)
    assert code == 0
    assert [line.split(": ")[:2] for line in out[:-1]] == [
        ["failed", "mixed.jsonl#line 1"],
        ["duplicate", "mixed.jsonl#line 3"],
        ["failed", "mixed.jsonl#line 4"],
    ]
    assert out[-1] == "imported 2, duplicates 1, failed 2"


def test_a_json_list_is_read_element_by_element(tmp_path, monkeypatch):
    monkeypatch.setattr(streaming, "CHUNK_CHARS", 64)  # elements span many reads
    records = synthetic_records(count=12)
    text = json.dumps(records, ensure_ascii=False)
    (tmp_path / "list.json").write_text(text[:-1] + ', {"title": 5}]', encoding="utf-8")
    code, out = run(tmp_path / "list.json")
    assert out[-1] == "imported 12, duplicates 0, failed 1"
    assert any("list.json#record 13" in line for line in out)
    (tmp_path / "cut.json").write_text(text[: len(text) // 2], encoding="utf-8")
    Article.objects.all().delete()
    code, out = run(tmp_path / "cut.json")
    assert any("cut short" in line or "not valid JSON" in line for line in out)
    saved = Article.objects.count()
    assert 0 < saved < 12 and out[-1].startswith(f"imported {saved}, duplicates 0, failed 1")
    assert code == 0  # the elements before the cut are saved; the cut is listed as a bad record


def test_zip_entries_and_folders_stream(tmp_path):
    records = synthetic_records(count=20)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("part/one.jsonl", jsonl(records[:10]))
        archive.writestr("part/two.csv", as_csv(records[10:15]))
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "feed.zip").write_bytes(buffer.getvalue())
    for n, record in enumerate(records[15:]):
        (folder / f"{n}.txt").write_text(
            f"{record['title']}\n\n{record['body']}\n", encoding="utf-8"
        )
    code, out = run(folder)
    assert (code, out[-1]) == (0, "imported 20, duplicates 0, failed 0")


def test_estimate_extrapolates_from_the_start_of_a_large_file(tmp_path, monkeypatch):
    from articles.services import imports

    monkeypatch.setattr(imports, "SAMPLE_BYTES", 4096)
    data = jsonl(synthetic_records(count=400))
    (tmp_path / "big.jsonl").write_bytes(data)
    (tmp_path / "big.jsonl.gz").write_bytes(gzip.compress(data))
    for name in ("big.jsonl", "big.jsonl.gz"):
        assert 300 <= estimate_articles(paths=[tmp_path / name]) <= 500, name
    # Only the sample is read: a tail without line breaks does not change the estimate's basis.
    (tmp_path / "tail.jsonl").write_bytes(data + b"x" * len(data))
    assert estimate_articles(paths=[tmp_path / "tail.jsonl"]) >= 600


def test_estimate_counts_json_list_elements_and_the_records_of_zip_entries(tmp_path, monkeypatch):
    """What decides whether an admin upload is read by a job: a JSON list's elements (nested
    lists, objects and brackets inside strings skipped) and each zip entry's own records."""
    from articles.services import imports

    monkeypatch.setattr(imports, "SAMPLE_BYTES", 4096)
    records = [
        {**r, "tags": [1, [2, {"x": "[,]"}]], "note": 'a "quoted" {brace}'}
        for r in synthetic_records(count=400)
    ]
    data = json.dumps(records, ensure_ascii=False).encode()
    (tmp_path / "list.json").write_bytes(data)
    (tmp_path / "list.json.gz").write_bytes(gzip.compress(data))
    (tmp_path / "small.json").write_bytes(json.dumps(records[:3]).encode())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("feed.jsonl", jsonl(synthetic_records(count=400)))
        archive.writestr("one.txt", "عنوان\n\nنص")
    (tmp_path / "pack.zip").write_bytes(buffer.getvalue())
    for name in ("list.json", "list.json.gz"):
        assert 300 <= estimate_articles(paths=[tmp_path / name]) <= 500, name
    assert estimate_articles(paths=[tmp_path / "small.json"]) == 3
    assert 301 <= estimate_articles(paths=[tmp_path / "pack.zip"]) <= 501


def test_a_streamed_import_stores_the_dates_the_text_talks_about(tmp_path):
    """The bulk path saves EventDate rows as the one-article save does (event_from/event_to)."""
    feed = tmp_path / "feed.jsonl.gz"
    record = {
        "title": "لافروف يزور الرياض",
        "body": "يزور لافروف الرياض الأسبوع المقبل، وتعقد القمة بين 20 و22 مارس.",
        "date": "2025-03-14",
        "source": "RT Arabic",
    }
    feed.write_bytes(gzip.compress(jsonl([record])))
    code, _lines = run(feed)
    assert code == 0
    days = {(e.text, e.first.isoformat(), e.last.isoformat()) for e in EventDate.objects.all()}
    assert ("بين 20 و22 مارس", "2025-03-20", "2025-03-22") in days
