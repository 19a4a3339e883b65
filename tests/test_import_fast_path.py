"""The import's fast path indexes exactly what the normal path indexes (issue 11 §5).

Three shortcuts are checked against the ordinary way: the grouping Whoosh writer against
Whoosh's own writer (the same segment files, byte for byte), text analysed ahead in the drafting
workers against text analysed from the database row, and a whole import (workers started by
the fork server while another thread holds a lock) against a rebuild of the same articles.
"""

from __future__ import annotations

import datetime
import json
import multiprocessing
import re
import threading
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from articles import index_fields
from articles.drills import synthetic_records
from articles.engines import get_backend
from articles.engines.whoosh import bulk_writer, field_terms, term_blocks
from articles.engines.whoosh.bulk_writer import GroupingSegmentWriter
from articles.engines.whoosh.schema import article_schema, whoosh_fields
from articles.engines.whoosh.store import codec
from articles.indexing import rebuild_index
from articles.models import Article
from articles.services.bulk_import import import_paths
from articles.services.index import check_index

SEED_DIR = Path(__file__).resolve().parent.parent / "articles" / "seed_corpus"


def seed_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(SEED_DIR.glob("*.txt"))]


def sample_documents(*, synthetic: int = 40) -> list[dict]:
    """Engine documents of varied shape: seed articles (long, repeated terms, empty titles) and
    synthetic ones, with and without actors, sources and dates."""
    records = synthetic_records(count=synthetic)
    texts = seed_texts() + [f"{r['title']}\n{r['body']}" for r in records]
    docs = []
    for n, text in enumerate(texts):
        title, _, body = text.partition("\n")
        row = {
            "pk": n + 1,
            "title": title if n % 7 else "",
            "body": body,
            "actors": ["putin", "xi-jinping"][: n % 3],
            "source__slug": f"outlet-{n % 4}" if n % 5 else None,
            "published_on": datetime.date(2020, 1 + n % 12, 1 + n % 28) if n % 6 else None,
            "event_dates": [datetime.date(2021, 3, 1 + n % 9)] if n % 2 else [],
        }
        docs.append(index_fields.document(row))
    return docs


def segment_files(folder: Path) -> dict[str, bytes]:
    """A one-segment index's files by their name without the random segment id."""
    found = {}
    for path in folder.iterdir():
        if path.suffix in {".col", ".pst", ".trm", ".seg"}:
            found[re.sub(r"^MAIN_[a-z0-9]+", "MAIN", path.name)] = path.read_bytes()
    return found


def write(folder: Path, writer_class, docs: list[dict], *, commits: int = 1, **options) -> None:
    ix = whoosh_index.create_in(str(folder), article_schema())
    size = -(-len(docs) // commits)
    for start in range(0, len(docs), size):
        writer = writer_class(ix, codec=codec(), **options)
        for doc in docs[start : start + size]:
            writer.update_document(**whoosh_fields(doc))
        writer.commit()


def postings(folder: Path) -> set[tuple]:
    """(field, term, article id, weight, positions or value) of every posting in an index."""
    ix = whoosh_index.open_dir(str(folder))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        pks = {docnum: int(fields["django_id"]) for docnum, fields in reader.iter_docs()}
        found = set()
        for field, term in reader.all_terms():
            matcher = reader.postings(field, term)
            while matcher.is_active():
                found.add((field, term, pks[matcher.id()], matcher.weight(), matcher.value()))
                matcher.next()
        return found


def test_grouping_writer_writes_the_segment_whooshs_writer_writes(tmp_path):
    docs = sample_documents()
    (tmp_path / "grouping").mkdir()
    (tmp_path / "whoosh").mkdir()
    write(tmp_path / "grouping", GroupingSegmentWriter, docs, compound=False)
    write(tmp_path / "whoosh", SegmentWriter, docs, compound=False)
    grouping, whoosh = segment_files(tmp_path / "grouping"), segment_files(tmp_path / "whoosh")
    assert {name.rsplit(".", 1)[-1] for name in grouping} >= {"col", "pst", "trm"}
    assert grouping == whoosh


def test_grouping_writer_writes_many_block_terms_and_flushes_as_whooshs_writer(
    tmp_path, monkeypatch
):
    """Terms in more documents than a postings block holds (several blocks each), written in
    many small flushes, with the repeated-value memo full, their postings grouped a few terms at
    a time (some terms with more tokens than a group takes): still Whoosh's own bytes."""
    monkeypatch.setattr(term_blocks, "FLUSH_PIECES", 10)
    monkeypatch.setattr(term_blocks, "BATCH_POSTINGS", 100)
    monkeypatch.setattr(bulk_writer, "REPEATED_VALUES", 3)
    monkeypatch.setattr(field_terms, "CHUNK_TOKENS", 64)
    docs = sample_documents(synthetic=400)
    (tmp_path / "grouping").mkdir()
    (tmp_path / "whoosh").mkdir()
    write(tmp_path / "grouping", GroupingSegmentWriter, docs, compound=False)
    write(tmp_path / "whoosh", SegmentWriter, docs, compound=False)
    ix = whoosh_index.open_dir(str(tmp_path / "whoosh"))
    with ix.searcher() as searcher:
        widest = max(searcher.doc_frequency(f, t) for f, t in searcher.reader().all_terms())
    assert widest > 2 * 128  # Whoosh's block limit: some terms span three blocks or more
    assert segment_files(tmp_path / "grouping") == segment_files(tmp_path / "whoosh")


def test_grouping_writer_merges_small_segments_as_whooshs_writer_does(tmp_path):
    docs = sample_documents()
    (tmp_path / "grouping").mkdir()
    (tmp_path / "whoosh").mkdir()
    write(tmp_path / "grouping", GroupingSegmentWriter, docs, commits=4)
    write(tmp_path / "whoosh", SegmentWriter, docs, commits=4)
    found = postings(tmp_path / "grouping")
    assert found == postings(tmp_path / "whoosh")
    assert {pk for _f, _t, pk, _w, _v in found} == {doc["id"] for doc in docs}


def test_text_analysed_ahead_gives_the_document_analysed_from_the_row():
    for n, text in enumerate(seed_texts()):
        title, _, body = text.partition("\n")
        row = {
            "pk": n,
            "title": title,
            "body": body,
            "actors": [],
            "source__slug": None,
            "published_on": None,
            "event_dates": [],
        }
        key, terms = index_fields.analyse_ahead({"title": title, "body": body})
        analysed = {key: terms}
        assert index_fields.document(row, analysed=analysed) == index_fields.document(row)
        assert analysed == {}  # used once
        edited = {**row, "body": body + " بوتين"}
        analysed = {key: terms}
        document = index_fields.document(edited, analysed=analysed)
        assert document == index_fields.document(edited)
        assert document["body"][-1] == "بوتين"
        assert analysed == {key: terms}  # another text: not used


@pytest.mark.django_db(transaction=True)
def test_an_import_from_a_threaded_caller_indexes_what_a_rebuild_indexes(tmp_path, gazetteer):
    records = synthetic_records(count=120)
    for n, record in enumerate(records[:20]):
        record["body"] += "\n" + seed_texts()[n % 5]  # long texts with repeated words
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    held = threading.Lock()
    held.acquire()  # a thread that holds a lock for the whole import, as a web server may
    other = threading.Thread(target=held.acquire, daemon=True)
    other.start()
    children: list[int] = []
    try:
        report = import_paths(
            paths=[path],
            workers=2,
            on_result=lambda: children.append(len(multiprocessing.active_children())),
        )
    finally:
        held.release()
        other.join(timeout=5)
    assert report.imported == len(records) and report.failed == 0
    assert max(children) >= 1  # drafted by a worker process, not inline (a small file is one unit)
    assert check_index().consistent
    live = get_backend().store.live_path()
    imported = postings(live)
    assert {pk for _f, _t, pk, _w, _v in imported} == set(
        Article.objects.values_list("pk", flat=True)
    )
    rebuild_index()
    assert postings(get_backend().store.live_path()) == imported


@pytest.mark.parametrize(
    ("count", "segments"),
    [
        (130, 4),  # drains of 40, 40, 40, then the last 10 in place
        (150, 5),  # ... then the last 30 as two halves, each written by a helper at once
    ],
)
def test_an_import_indexing_in_a_helper_process_indexes_what_a_rebuild_indexes(
    tmp_path, gazetteer, monkeypatch, count, segments
):
    """Small batches of a file streamed line by line, so segments are written by the helper
    process while the import saves the next batches (the full corpus's path, in miniature)."""
    from articles.engines.whoosh import backend as whoosh_backend
    from articles.ingest import streaming
    from articles.services import bulk_import

    monkeypatch.setattr(streaming, "STREAM_ABOVE_BYTES", 0)
    monkeypatch.setattr(bulk_import, "SAVE_BATCH", 20)
    monkeypatch.setattr(bulk_import, "INDEX_EVERY", 40)
    monkeypatch.setattr(bulk_import, "END_SPLIT_MIN", 20)
    monkeypatch.setattr(whoosh_backend, "SEGMENT_PROCESS_MIN", 10)
    records = synthetic_records(count=count)
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    report = import_paths(paths=[path], workers=2)
    assert report.imported == len(records) and report.unindexed == 0
    assert check_index().consistent
    live = get_backend().store.live_path()
    assert len(list(whoosh_index.open_dir(str(live))._read_toc().segments)) == segments
    assert not list(live.parent.glob("segment-*"))
    imported = postings(live)
    rebuild_index()
    assert postings(get_backend().store.live_path()) == imported
