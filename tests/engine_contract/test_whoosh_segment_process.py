"""A segment written by the helper process (``WhooshBackend.index_later``) joins the live index
only when finished, replaces older copies of its documents, and answers as ``index`` does."""

from __future__ import annotations

import pytest

from articles.arabic import analyze
from articles.engines.base import SearchRequest, Term
from articles.engines.whoosh import WhooshBackend
from articles.engines.whoosh import backend as whoosh_backend

from .conftest import doc

DOCS = [
    doc(n, f"عنوان {n}", " ".join(["الرئيس"] * (n % 3 + 1) + [f"كلمة{n}", "الطاقة"]))
    for n in range(1, 300)
]


@pytest.fixture(autouse=True)
def small_segments(monkeypatch):
    monkeypatch.setattr(whoosh_backend, "SEGMENT_PROCESS_MIN", 50)  # the helper for 299 docs


def hits(backend: WhooshBackend, word: str) -> list[tuple[int, float]]:
    (term,) = analyze(word)
    found = backend.search(SearchRequest(query=Term(term), limit=1000))
    return [(hit.id, round(hit.score, 5)) for hit in found.hits]


def test_a_helper_segment_answers_as_the_writer_in_place(tmp_path):
    in_place = WhooshBackend(path=tmp_path / "in_place")
    in_place.index(documents=DOCS)
    helped = WhooshBackend(path=tmp_path / "helped")
    assert helped.index_later(documents=DOCS)() == len(DOCS)
    assert helped.count() == in_place.count() == len(DOCS)
    assert helped.content_hashes() == in_place.content_hashes()
    for word in ("الرئيس", "الطاقة", "كلمة7", "عنوان"):
        assert hits(helped, word) == hits(in_place, word)
    assert not list((tmp_path / "helped").glob("segment-*"))  # its folder is gone


def test_the_segment_is_visible_only_once_finished_and_replaces_older_copies(tmp_path):
    backend = WhooshBackend(path=tmp_path / "ix")
    older = [doc(n, f"قديم {n}", "نص قديم") for n in range(1, 101)]
    backend.index(documents=older)
    finish = backend.index_later(documents=DOCS)
    assert backend.count() == len(older)  # written meanwhile, not yet in the index
    assert len(hits(backend, "قديم")) == len(older)
    finish()
    assert backend.count() == len(DOCS)
    assert hits(backend, "قديم") == []
    expected = WhooshBackend(path=tmp_path / "expected")
    expected.index(documents=DOCS)
    assert backend.content_hashes() == expected.content_hashes()
