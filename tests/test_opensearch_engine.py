"""OpenSearchBackend against a real node, documents built by hand in the contract's layout.

Skips with a clear message when no node answers (`make opensearch` starts one); under CI=true
it fails instead. Each test works in its own alias and deletes its indices afterwards.
"""

from __future__ import annotations

import datetime
import socket
import threading
import time

import pytest

from articles.engines.base import (
    AllOf,
    And,
    AnyOf,
    DateRange,
    EngineUnavailable,
    Histogram,
    MatchAll,
    Not,
    Or,
    Phrase,
    Prefix,
    SearchRequest,
    Term,
)
from tests.opensearch_support import fresh_alias, require_node

D = datetime.date


def doc(pk, *, title="", body="", actors=(), source="src", published_on=None, event_dates=()):
    title_terms, body_terms = title.split(), body.split()
    return {
        "id": pk,
        "title": title_terms,
        "body": body_terms,
        "actors": sorted(actors),
        "source": source,
        "year": str(published_on.year) if published_on else None,
        "published_on": published_on,
        "event_dates": list(event_dates),
        "length": len(body_terms),
        "content_hash": f"hash-{pk}-{len(body_terms)}",
    }


DOCS = [
    doc(
        1,
        title="بوتين يزور الصين",
        body="زار بوتين بكين ولقي شي",
        actors={"putin", "xi"},
        source="aljazeera",
        published_on=D(2024, 5, 8),
        event_dates=[D(2024, 5, 7)],
    ),
    doc(
        2,
        title="وزير الخارجية الروسي",
        body="قال وزير الخارجية الروسي لافروف",
        actors={"lavrov"},
        source="bbc",
        published_on=D(2024, 5, 20),
    ),
    doc(
        3,
        title="اجتماع",
        body="الخارجية اصدرت بيانا والوزير غاب عن الروسي",
        actors={"lavrov"},
        source="bbc",
        published_on=D(2024, 6, 1),
    ),
    doc(4, title="مقال بلا تاريخ", body="بوتين في خبر قديم", actors={"putin"}, source="cnn"),
    doc(
        5,
        title="الصين والهند",
        body="شي يلتقي مودي",
        actors={"xi", "modi"},
        source="aljazeera",
        published_on=D(2023, 1, 2),
        event_dates=[D(2023, 1, 1), D(2024, 6, 15)],
    ),
]


@pytest.fixture
def engine():
    from articles.engines.opensearch import OpenSearchBackend

    backend = OpenSearchBackend(url=f"{require_node()}/{fresh_alias()}")
    yield backend
    backend.drop()


@pytest.fixture
def filled(engine):
    assert engine.index(documents=DOCS) == len(DOCS)
    return engine


def ids(engine, **request) -> list[int]:
    return [hit.id for hit in engine.search(SearchRequest(**request)).hits]


def matched(engine, query, **request) -> set[int]:
    return set(ids(engine, query=query, limit=100, **request))


def test_words_phrases_and_operators(filled):
    assert matched(filled, Term("بوتين")) == {1, 4}
    assert matched(filled, Term("بوتين", fields=("title",))) == {1}
    assert matched(filled, Phrase(("وزير", "الخارجية", "الروسي"))) == {2}
    assert matched(filled, And((Term("الخارجية"), Term("الروسي")))) == {2, 3}
    assert matched(filled, Or((Term("لافروف"), Term("مودي")))) == {2, 5}
    assert matched(filled, And((Term("بوتين"), Not(Term("بكين"))))) == {4}
    assert matched(filled, Not(Term("بوتين"))) == {2, 3, 5}
    assert matched(filled, Prefix("الخار")) == {2, 3}
    assert matched(filled, MatchAll()) == {1, 2, 3, 4, 5}


def test_filters_facets_and_histogram(filled):
    assert matched(filled, MatchAll(), filters=(AnyOf("source", ("bbc", "cnn")),)) == {2, 3, 4}
    assert matched(filled, MatchAll(), filters=(AllOf("actors", ("putin", "xi")),)) == {1}
    in_may = (DateRange("published_on", D(2024, 5, 1), D(2024, 5, 31)),)
    assert matched(filled, MatchAll(), filters=in_may) == {1, 2}
    # a date list matches when any of its days falls in the range
    assert matched(filled, MatchAll(), filters=(DateRange("event_dates", D(2024, 6, 1)),)) == {5}

    result = filled.search(
        SearchRequest(
            query=Term("بوتين"),
            facets=("actors", "source", "year"),
            histogram=Histogram(interval="month"),
        )
    )
    assert result.total == 2
    assert result.facets["actors"] == {"putin": 2, "xi": 1}
    assert result.facets["source"] == {"aljazeera": 1, "cnn": 1}
    assert result.facets["year"] == {"2024": 1}
    assert result.histogram == [("2024-05", 1)]  # the undated article has no bucket

    every = filled.search(SearchRequest(histogram=Histogram(interval="month")))
    assert every.histogram == [("2023-01", 1), ("2024-05", 2), ("2024-06", 1)]  # no empty months
    years = filled.search(SearchRequest(histogram=Histogram(interval="year"))).histogram
    assert years == [("2023", 1), ("2024", 3)]
    days = filled.search(SearchRequest(histogram=Histogram(interval="day"))).histogram
    assert days[0] == ("2023-01-02", 1)


def test_sort_paging_and_total(filled):
    newest = ids(filled, sort="date", limit=10)
    assert newest == [3, 2, 1, 5, 4]  # undated last
    assert ids(filled, sort="date_asc", limit=10) == [5, 1, 2, 3, 4]
    pages = [ids(filled, sort="date", offset=offset, limit=2) for offset in (0, 2, 4)]
    assert pages == [[3, 2], [1, 5], [4]]
    result = filled.search(SearchRequest(query=MatchAll(), offset=4, limit=2))
    assert result.total == 5 and len(result.hits) == 1


def test_title_weight_and_proximity_rank(engine):
    engine.index(
        documents=[
            doc(10, title="خبر", body="وزير الخارجية الروسي " + "كلام " * 30),
            doc(
                11, title="خبر", body="وزير " + "كلام " * 10 + "الخارجية " + "كلام " * 10 + "الروسي"
            ),
            doc(12, title="وزير الخارجية الروسي", body="كلام " * 33),
        ]
    )
    query = And((Term("وزير"), Term("الخارجية"), Term("الروسي")))
    ranked = engine.search(SearchRequest(query=query))
    assert [hit.id for hit in ranked.hits] == [12, 10, 11]
    assert ranked.hits[0].score > ranked.hits[1].score > ranked.hits[2].score > 0


def test_edits_and_removals_visible_when_calls_return(filled):
    filled.index(documents=[doc(4, title="مقال", body="لافروف فقط", source="cnn")])
    assert matched(filled, Term("بوتين")) == {1}
    assert matched(filled, Term("لافروف")) == {2, 4}
    filled.remove(ids=[2, 999])
    assert matched(filled, Term("لافروف")) == {4}
    assert filled.count() == 4
    assert set(filled.content_hashes()) == {1, 3, 4, 5}
    assert filled.content_hashes()[4] == "hash-4-2"


def test_term_statistics(filled):
    assert filled.document_frequencies(terms=["بوتين", "الروسي", "غائب"]) == {
        "بوتين": 2,
        "الروسي": 2,
        "غائب": 0,
    }
    expanded = filled.expand_prefix(prefix="ال", limit=3)
    assert expanded[:2] == ["الخارجية", "الروسي"]  # two documents each, then one
    assert len(expanded) == 3 and all(term.startswith("ال") for term in expanded)


def test_rebuild_never_empty_and_keeps_writes_made_meanwhile(filled):
    seen: list[int] = []
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            seen.append(filled.search(SearchRequest()).total)

    def slow_documents():
        for document in DOCS:
            if document["id"] == 3:
                # written while the rebuild runs: an edit, a new article, a removal
                filled.index(documents=[doc(1, title="معدل", body="نص جديد"), doc(6, title="جديد")])
                filled.remove(ids=[5])
            time.sleep(0.2)
            yield document

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        assert filled.rebuild(documents=slow_documents()) == len(DOCS)
    finally:
        stop.set()
        watcher.join()
    assert seen and min(seen) >= len(DOCS)
    assert matched(filled, MatchAll()) == {1, 2, 3, 4, 6}
    assert matched(filled, Term("معدل")) == {1}  # the edit beat the rebuild's older copy
    assert len(filled._aliased(filled.alias)) == 1
    assert filled.client.indices.get(index=f"{filled.alias}-*").keys() == set(
        filled._aliased(filled.alias)
    )
    filled.clear()
    assert filled.count() == 0 and filled.search(SearchRequest()).total == 0


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_node_down_is_engine_unavailable():
    from articles.engines.opensearch import OpenSearchBackend

    engine = OpenSearchBackend(url=f"http://127.0.0.1:{_closed_port()}/marsad", timeout=1)
    with pytest.raises(EngineUnavailable, match="does not answer"):
        engine.search(SearchRequest(query=Term("بوتين")))
    with pytest.raises(EngineUnavailable):
        engine.index(documents=DOCS[:1])


def test_url_must_name_the_index():
    from articles.engines.opensearch import OpenSearchBackend

    with pytest.raises(ValueError, match="host:port/<index>"):
        OpenSearchBackend(url="http://127.0.0.1:9200")


def test_an_index_of_another_layout_is_not_current(filled):
    from articles.engines.opensearch import OpenSearchBackend
    from articles.engines.opensearch.dsl import Ranking

    assert filled.is_current()
    other = OpenSearchBackend(url=filled.url, ranking=Ranking(b=0.3))
    assert not other.is_current()  # its similarity settings differ: rebuild before reading
    other.rebuild(documents=DOCS)
    assert other.is_current() and not filled.is_current()
