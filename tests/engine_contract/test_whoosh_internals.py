"""Pins on the Whoosh-Reloaded internals the embedded engine relies on (only in
articles/engines/whoosh/): if an upgrade changes them, these fail before search goes wrong."""

from __future__ import annotations

import datetime
import io

import numpy as np
import pytest
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.filedb import compound

from articles.arabic import analyze
from articles.engines.base import MatchAll, SearchRequest, Term
from articles.engines.whoosh import WhooshBackend
from articles.engines.whoosh.mapped import MappedBufferFile
from articles.engines.whoosh.postings import leaf_postings

from .conftest import doc

DOCS = [
    doc(
        n,
        f"عنوان {n}",
        " ".join(["الرئيس"] * (n % 3 + 1) + [f"كلمة{n}", "الطاقة"]),
        day="2024-05-0" + str(n % 9 + 1),
    )
    for n in range(1, 400)
]


def backend_with_docs(tmp_path) -> WhooshBackend:
    backend = WhooshBackend(path=tmp_path / "ix")
    backend.index(documents=DOCS)
    return backend


def test_block_decoding_equals_the_public_matcher(tmp_path):
    """W3LeafMatcher._read_data / _data / _next_block: numpy decoding gives Whoosh's own ids
    and weights (several blocks: 399 postings)."""
    backend = backend_with_docs(tmp_path)
    (president,) = analyze("الرئيس")
    snap = backend.snapshot()
    for leaf, _offset in snap.leaves:
        matcher = leaf.postings("body", president)
        assert isinstance(getattr(matcher, "child", matcher), W3LeafMatcher)
        for name in ("_read_data", "_next_block"):
            assert callable(getattr(W3LeafMatcher, name))
        expected_ids, expected_weights = [], []
        public = leaf.postings("body", president)
        while public.is_active():
            expected_ids.append(public.id())
            expected_weights.append(public.weight())
            public.next()
        ids, weights, _values = leaf_postings(leaf, "body", president)
        assert ids.tolist() == expected_ids
        assert np.allclose(weights, expected_weights)
        assert sorted(set(weights.tolist())) == [1.0, 2.0, 3.0]


def test_raw_date_columns_become_days(tmp_path):
    """DATETIME's sortable column holds microseconds since datetime.min (translate=False)."""
    snap = backend_with_docs(tmp_path).snapshot()
    days = {int(pk): int(day) for pk, day in zip(snap.pks, snap.days, strict=True) if pk}
    assert days[1] == datetime.date(2024, 5, 2).toordinal()
    assert days[8] == datetime.date(2024, 5, 9).toordinal()


def test_segments_are_read_from_the_map_not_copied(tmp_path):
    """CompoundStorage.open_file builds BufferFile from a memoryview of the mmap; ours does not
    copy it into a BytesIO (Whoosh-Reloaded's does, on every searcher open)."""
    backend = backend_with_docs(tmp_path)
    assert compound.BufferFile is MappedBufferFile
    snap = backend.snapshot()
    (leaf, _offset), *_ = snap.leaves
    storage = leaf._storage.a  # OverlayStorage(the segment's CompoundStorage, the folder)
    assert isinstance(storage, compound.CompoundStorage) and storage._source is not None
    opened = storage.open_file(next(iter(storage.list())))
    assert isinstance(opened, MappedBufferFile)
    assert not isinstance(opened.file, io.BytesIO)
    assert isinstance(opened._buf, memoryview) and opened._buf.obj is storage._source
    hits = backend.search(SearchRequest(query=Term(analyze("الطاقة")[0]), limit=5))
    assert hits.total == len(DOCS)


def test_a_multi_process_rebuild_leaves_few_segments(tmp_path):
    backend = WhooshBackend(path=tmp_path / "ix")
    backend.rebuild(documents=iter(DOCS), procs=2)
    snap = backend.snapshot()
    assert snap.doc_count == len(DOCS)
    assert len(snap.leaves) <= 4


def test_a_commit_reads_only_the_segments_it_wrote(tmp_path):
    """Segment arrays are kept per process by segment id: after a small commit the snapshot
    reuses the big segment's arrays, and facet counts still see the edit and the delete."""
    backend = WhooshBackend(path=tmp_path / "ix")
    backend.rebuild(
        documents=iter(
            [doc(n, f"خبر {n}", "الطاقة", source="bbc", actors=("russia",)) for n in range(1, 300)]
        )
    )
    before = backend.snapshot()
    (big_id,) = before.segment_ids
    big_arrays = backend._segments[big_id]
    backend.index(documents=[doc(1, "خبر", "الطاقة", source="cnn", actors=("china", "russia"))])
    backend.remove(ids=[2])
    after = backend.snapshot()
    assert after is not before and big_id in after.segment_ids
    assert backend._segments[big_id] is big_arrays
    facets = backend.search(
        SearchRequest(query=Term(analyze("الطاقة")[0]), limit=0, facets=("source", "actors"))
    ).facets
    assert facets == {"source": {"bbc": 297, "cnn": 1}, "actors": {"russia": 298, "china": 1}}
    everything = SearchRequest(query=MatchAll(), limit=0, facets=("source",))
    assert backend.search(everything).facets == {"source": {"bbc": 297, "cnn": 1}}
    backend.remove(ids=[1])  # the unfiltered counts kept by a snapshot go with it
    assert backend.search(everything).facets == {"source": {"bbc": 297}}


def test_a_commit_keeps_the_other_segments_postings_decoded(tmp_path):
    """Decoded postings are kept per segment across generations: after a commit the big
    segment's arrays are reused, the new segment's document is found, a deleted one is not."""
    backend = WhooshBackend(path=tmp_path / "ix")
    backend.rebuild(documents=iter(DOCS))
    (energy,) = analyze("الطاقة")
    query = SearchRequest(query=Term(energy), limit=1000)
    assert backend.search(query).total == len(DOCS)
    (big_id,) = backend.snapshot().segment_ids
    key = (big_id, "postings", "body", energy)
    decoded = backend._postings.kept(key)
    backend.index(documents=[doc(1000, "خبر", "الطاقة الجديدة")])
    backend.remove(ids=[5])
    found = backend.search(query)
    assert backend._postings.kept(key) is decoded
    ids = {hit.id for hit in found.hits}
    assert found.total == len(DOCS) and 1000 in ids and 5 not in ids


def test_a_rebuild_writes_segments_of_a_bounded_size_in_document_order(tmp_path, monkeypatch):
    """Helper processes write REBUILD_SEGMENT_DOCS documents each; the segments join in the
    documents' order, so docnums, scores and ties are those of a one-process rebuild."""
    from articles.engines.whoosh import backend as whoosh_backend

    monkeypatch.setattr(whoosh_backend, "REBUILD_SEGMENT_DOCS", 100)
    query = SearchRequest(query=Term(analyze("الرئيس")[0]), limit=50)
    found = {}
    for procs in (1, 2):
        backend = WhooshBackend(path=tmp_path / f"ix{procs}")
        assert backend.rebuild(documents=iter(DOCS), procs=procs) == len(DOCS)
        snap = backend.snapshot()
        assert len(snap.leaves) == 4  # 399 documents, 100 a segment
        assert snap.pks.tolist() == [d["id"] for d in DOCS]
        result = backend.search(query)
        found[procs] = (result.total, [(hit.id, hit.score) for hit in result.hits])
    assert found[1] == found[2] and found[1][0] == len(DOCS)
    assert not list((tmp_path / "ix2").glob("segment-*"))  # the helpers' folders are gone


def test_columns_read_in_one_piece_equal_the_per_document_reads(tmp_path):
    """NumericColumn.Reader's _dbfile/_basepos/_count/_typecode/_default and the length column
    (W3PerDocReader._cached_reader): the searcher open reads them whole, as Whoosh per document."""
    from articles.engines.whoosh.schema import PK
    from articles.engines.whoosh.snapshot import _column, _lengths

    snap = backend_with_docs(tmp_path).snapshot()
    for leaf, _offset in snap.leaves:
        count = leaf.doc_count_all()
        for name in (PK, "published_on"):
            reader = leaf.column_reader(name, translate=False)
            assert _column(reader, count).tolist() == [reader[d] for d in range(count)]
        for name in ("title", "body", "lead"):
            expected = [leaf.doc_field_length(d, name, 0) for d in range(count)]
            assert _lengths(leaf, name, count).tolist() == pytest.approx(expected, nan_ok=True)
