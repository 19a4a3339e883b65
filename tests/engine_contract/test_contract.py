"""The engine contract (articles.engines.base), the same tests on every engine.

Text arrives analysed (``index_fields.document``), queries carry analysed terms: both engines
must then match, filter, count and order alike.
"""

from __future__ import annotations

import datetime
import threading
import time

import pytest

from articles.arabic import analyze
from articles.arabic.analysis import prefix_form
from articles.engines import scoring
from articles.engines.base import (
    AllOf,
    And,
    AnyOf,
    DateRange,
    Histogram,
    IndexMissing,
    MatchAll,
    Not,
    Or,
    Phrase,
    Prefix,
    QueryTooBroad,
    SearchRequest,
    Term,
)

from .conftest import doc

DOCS = [
    doc(
        1,
        "قمة موسكو",
        "استقبل بوتين الوفد، والرئيس الروسي قال للرئيس الصيني إن العلاقات جيدة.",
        source="aljazeera",
        actors=("vladimir-putin", "xi-jinping"),
        day="2024-03-21",
        events=("2024-03-20",),
    ),
    doc(
        2,
        "لافروف في بكين",
        "وصل لافروف إلى بكين لبحث العلاقات الثنائية مع الرئيس.",
        source="bbc",
        actors=("sergey-lavrov",),
        day="2024-03-05",
    ),
    doc(
        3,
        "الاقتصاد الصيني",
        "نما الاقتصاد الصيني بسرعة هذا العام والاقتصادات الأخرى تباطأت.",
        source="bbc",
        day="2023-11-02",
        events=("2023-10-01", "2024-01-15"),
    ),
    doc(
        4,
        "تصريح",
        "قال الروسي للصحفيين إن الرئيس غائب.",
        source="aljazeera",
        actors=("vladimir-putin",),
    ),
    doc(5, "الرئيس", "خبر قصير عن الطقس.", source="reuters", day="2024-03-22"),
]


def term(word: str, *fields: str) -> Term:
    (text,) = analyze(word)
    return Term(text, fields)


ALL = MatchAll()


def ids(engine, query=ALL, **request) -> set[int]:
    return {hit.id for hit in engine.search(SearchRequest(query=query, limit=100, **request)).hits}


def ordered(engine, query=ALL, **request) -> list[int]:
    return [hit.id for hit in engine.search(SearchRequest(query=query, **request)).hits]


@pytest.fixture
def engine_with_docs(engine):
    assert engine.index(documents=DOCS) == len(DOCS)
    return engine


def test_an_analysed_word_matches_every_clitic_form(engine_with_docs):
    assert ids(engine_with_docs, term("للرئيس")) == {1, 2, 4, 5}
    assert ids(engine_with_docs, term("الرئيس", "title")) == {5}
    assert ids(engine_with_docs, term("العلاقات")) == {1, 2}
    assert ids(engine_with_docs, term("زلزال")) == set()


def test_a_phrase_needs_its_words_together_and_in_order(engine_with_docs):
    assert ids(engine_with_docs, Phrase(tuple(analyze("الرئيس الروسي")))) == {1}
    assert ids(engine_with_docs, Phrase(tuple(analyze("الروسي الرئيس")))) == set()
    assert ids(engine_with_docs, Phrase(tuple(analyze("بكين لبحث")))) == {2}


def test_and_or_not(engine_with_docs):
    putin, president, russian = term("بوتين"), term("الرئيس"), term("الروسي")
    assert ids(engine_with_docs, And((putin, president))) == {1}
    assert ids(engine_with_docs, Or((putin, term("لافروف")))) == {1, 2}
    assert ids(engine_with_docs, And((president, Not(russian)))) == {2, 5}
    assert ids(engine_with_docs, Not(president)) == {3}
    assert ids(engine_with_docs, Or((And((president, russian)), term("الاقتصاد")))) == {1, 3, 4}


def test_prefix(engine_with_docs):
    assert ids(engine_with_docs, Prefix(prefix_form("الاقتصا"))) == {3}
    assert ids(engine_with_docs, Prefix(prefix_form("لافر"), ("title",))) == {2}
    assert ids(engine_with_docs, Prefix("zzz")) == set()
    found = engine_with_docs.expand_prefix(prefix=prefix_form("الاقتصا"), limit=10)
    assert analyze("الاقتصاد")[0] in found and len(found) <= 10


def test_query_bounds(engine_with_docs):
    with pytest.raises(QueryTooBroad):
        engine_with_docs.search(SearchRequest(query=Prefix("اقتصا"), max_prefix_terms=0))
    with pytest.raises(QueryTooBroad):
        engine_with_docs.search(SearchRequest(query=term("الرئيس"), budget_s=-1.0))


def test_keyword_filters(engine_with_docs):
    assert ids(engine_with_docs, filters=(AnyOf("source", ("bbc", "reuters")),)) == {2, 3, 5}
    assert ids(engine_with_docs, filters=(AnyOf("actors", ("vladimir-putin",)),)) == {1, 4}
    both = AllOf("actors", ("vladimir-putin", "xi-jinping"))
    assert ids(engine_with_docs, filters=(both,)) == {1}
    assert ids(engine_with_docs, filters=(AnyOf("source", ("nowhere",)),)) == set()
    two = (AnyOf("source", ("aljazeera",)), AnyOf("actors", ("vladimir-putin",)))
    assert ids(engine_with_docs, term("الرئيس"), filters=two) == {1, 4}


def test_date_ranges_on_single_and_multi_valued_dates(engine_with_docs):
    march = DateRange("published_on", datetime.date(2024, 3, 1), datetime.date(2024, 3, 21))
    assert ids(engine_with_docs, filters=(march,)) == {1, 2}
    until = DateRange("published_on", end=datetime.date(2023, 12, 31))
    assert ids(engine_with_docs, filters=(until,)) == {3}
    since = DateRange("published_on", start=datetime.date(2024, 3, 22))
    assert ids(engine_with_docs, filters=(since,)) == {5}
    events = DateRange("event_dates", start=datetime.date(2024, 1, 1))
    assert ids(engine_with_docs, filters=(events,)) == {1, 3}
    one_day = DateRange("event_dates", datetime.date(2023, 10, 1), datetime.date(2023, 10, 1))
    assert ids(engine_with_docs, filters=(one_day,)) == {3}


def test_facets_are_counted_under_the_query_and_filters(engine_with_docs):
    everything = engine_with_docs.search(
        SearchRequest(facets=("source", "actors", "year"), limit=0)
    )
    assert everything.total == 5 and everything.hits == []
    assert everything.facets["source"] == {"aljazeera": 2, "bbc": 2, "reuters": 1}
    assert everything.facets["actors"] == {"vladimir-putin": 2, "xi-jinping": 1, "sergey-lavrov": 1}
    assert everything.facets["year"] == {"2024": 3, "2023": 1}
    narrowed = engine_with_docs.search(
        SearchRequest(
            query=term("العلاقات"), filters=(AnyOf("source", ("bbc",)),), facets=("actors",)
        )
    )
    assert narrowed.total == 1 and narrowed.facets["actors"] == {"sergey-lavrov": 1}


def test_histogram_by_day_month_and_year(engine_with_docs):
    def histogram(interval: str, **request):
        found = engine_with_docs.search(
            SearchRequest(histogram=Histogram("published_on", interval), limit=0, **request)
        )
        return found.histogram

    assert histogram("month") == [("2023-11", 1), ("2024-03", 3)]
    assert histogram("year") == [("2023", 1), ("2024", 3)]
    assert histogram("day", query=term("الرئيس")) == [
        ("2024-03-05", 1),
        ("2024-03-21", 1),
        ("2024-03-22", 1),
    ]


def test_sort_orders(engine_with_docs):
    assert ordered(engine_with_docs, sort="date") == [5, 1, 2, 3, 4]  # undated last
    assert ordered(engine_with_docs, sort="date_asc") == [3, 2, 1, 5, 4]
    assert ordered(engine_with_docs, term("الرئيس"), sort="date") == [5, 1, 2, 4]


def test_relevance_weighs_the_title_above_the_body(engine):
    engine.index(
        documents=[
            doc(10, "اجتماع في المدينة", "عقد مؤتمر الطاقة أمس بحضور الوزراء."),
            doc(11, "مؤتمر الطاقة", "عقد اجتماع في المدينة أمس بحضور الوزراء."),
            doc(12, "خبر", "لا شيء هنا عن ذلك الموضوع."),
        ]
    )
    hits = engine.search(SearchRequest(query=term("الطاقة"))).hits
    assert [h.id for h in hits] == [11, 10]
    assert hits[0].score > hits[1].score > 0


FILLER = " ".join(["وقالت المصادر إن الاجتماعات ستستمر طوال الأسبوع في العاصمة."] * 8)


def test_a_boost_ranks_the_documents_it_matches_first(engine):
    """The actor a query names: the article the matcher attributes to him outranks a namesake's
    article with the same words, and a boost matches nothing by itself."""
    engine.index(
        documents=[
            doc(20, "فوز ميدفيديف", "فاز لاعب التنس دانييل ميدفيديف بالمباراة. " + FILLER),
            doc(21, "تصريح", "قال رئيس الوزراء ميدفيديف إن الميزانية جاهزة. " + FILLER,
                actors=("dmitry-medvedev",)),
            doc(22, "خبر", "لا ذكر لأحد هنا. " + FILLER, actors=("dmitry-medvedev",)),
        ]
    )  # fmt: skip
    word = term("ميدفيديف")
    assert ordered(engine, word) == [20, 21]  # the namesake's headline
    boosted = ordered(engine, word, boosts=(AnyOf("actors", ("dmitry-medvedev",)),))
    assert boosted == [21, 20]


def test_a_word_in_the_lead_ranks_above_the_same_word_late(engine):
    """News puts the subject first: the same words, once in the lead, once after it."""
    early = "أعلنت الحكومة خطة الطاقة الجديدة اليوم. " + FILLER
    late = FILLER + " أعلنت الحكومة خطة الطاقة الجديدة اليوم."
    engine.index(documents=[doc(30, "خبر", late), doc(31, "خبر", early)])
    assert ordered(engine, term("الطاقة")) == [31, 30]


def test_an_or_scores_its_best_alternative_not_their_sum(engine):
    """Alternatives (an actor's spellings, a synonym's phrases): the article that says one of
    them three times outranks the one that says each once (summing the alternatives would
    reward writing both)."""
    engine.index(
        documents=[
            doc(40, "خبر", "المونديال الأولمبياد " + FILLER),
            doc(41, "خبر", "المونديال المونديال المونديال " + FILLER),
            doc(42, "خبر", "الأولمبياد " + FILLER),
        ]
    )
    either = Or((term("المونديال"), term("الأولمبياد")))
    assert ordered(engine, either)[0] == 41


def test_a_phrase_scores_how_often_it_occurs(engine):
    """A phrase counts as one term whose frequency is how often the words stand together: three
    times together outranks four times each but together once."""
    engine.index(
        documents=[
            doc(50, "خبر", "مجلس الأمن اجتمع مجلس الأمن اجتمع مجلس الأمن اجتمع " + FILLER),
            doc(51, "خبر", "مجلس مجلس مجلس مجلس الأمن الأمن الأمن الأمن " + FILLER),
        ]
    )
    council = Phrase(tuple(analyze("مجلس الأمن")))
    assert ordered(engine, council) == [50, 51]


def test_a_headline_saying_part_of_the_query_counts_part_of_its_score(engine, monkeypatch):
    """A title with the query's common word only («قمة» of «قمة بريكس») counts
    TITLE_PARTIAL_SHARE of its score; a title saying the whole query counts all of it (and the
    headline bonus); the opening bonus («قمة» and «قمة بريكس» open with a query word) is set aside."""
    monkeypatch.setattr(scoring, "TITLE_OPENING_BONUS", 0.0)
    body = "اجتمع القادة في قمة دول بريكس في جوهانسبرغ. " + FILLER
    engine.index(
        documents=[doc(70, "قمة", body), doc(71, "تقرير", body), doc(72, "قمة بريكس", body)]
    )
    summit = And((term("قمة"), term("بريكس")))
    monkeypatch.setattr(scoring, "TITLE_PARTIAL_SHARE", 0.0)
    scores = {hit.id: hit.score for hit in engine.search(SearchRequest(query=summit)).hits}
    assert scores[70] == pytest.approx(scores[71], rel=1e-3)
    assert scores[72] > scores[70]
    monkeypatch.setattr(scoring, "TITLE_PARTIAL_SHARE", 0.5)
    assert ordered(engine, summit) == [72, 70, 71]


def test_a_headline_opening_with_a_query_word_gets_the_opening_bonus(engine, monkeypatch):
    """The same title words, the query's word first or last: the headline that opens with it
    scores TITLE_OPENING_BONUS more; without the bonus the two tie (the higher id first)."""
    body = "تعتمد أوروبا على الغاز الروسي في التدفئة والصناعة. " + FILLER
    engine.index(
        documents=[
            doc(80, "الغاز ورقة ضغط روسية في أوروبا", body),
            doc(81, "ورقة ضغط روسية في أوروبا الغاز", body),
        ]
    )
    gas = term("الغاز")
    scores = {hit.id: hit.score for hit in engine.search(SearchRequest(query=gas)).hits}
    assert scores[80] - scores[81] == pytest.approx(scoring.TITLE_OPENING_BONUS, rel=1e-3)
    assert ordered(engine, gas) == [80, 81]
    monkeypatch.setattr(scoring, "TITLE_OPENING_BONUS", 0.0)
    assert ordered(engine, gas) == [81, 80]


def test_paging_keeps_the_total(engine_with_docs):
    page = engine_with_docs.search(SearchRequest(sort="date", offset=1, limit=2))
    assert page.total == 5 and [h.id for h in page.hits] == [1, 2]
    beyond = engine_with_docs.search(SearchRequest(sort="date", offset=10, limit=2))
    assert beyond.total == 5 and beyond.hits == []
    assert ordered(engine_with_docs, sort="date", limit=3) + ordered(
        engine_with_docs, sort="date", offset=3, limit=3
    ) == ordered(engine_with_docs, sort="date", limit=10)


def test_edits_and_deletes_are_visible_when_the_call_returns(engine_with_docs):
    engine_with_docs.index(documents=[doc(2, "لافروف في بكين", "تناول اللقاء ملف الطاقة والنفط.")])
    assert 2 in ids(engine_with_docs, term("النفط"))
    assert 2 not in ids(engine_with_docs, term("العلاقات"))
    assert engine_with_docs.count() == 5
    engine_with_docs.remove(ids=[2, 999])  # an unknown id is ignored
    assert ids(engine_with_docs, term("النفط")) == set()
    assert engine_with_docs.count() == 4
    engine_with_docs.clear()
    assert engine_with_docs.count() == 0 and ids(engine_with_docs) == set()


def test_reading_the_hashes_of_no_index_says_so_and_makes_none(engine):
    for _ in range(2):  # the first read made nothing the second could find
        with pytest.raises(IndexMissing):
            engine.content_hashes()
    engine.index(documents=DOCS[:1])
    assert engine.content_hashes() == {DOCS[0]["id"]: DOCS[0]["content_hash"]}


def test_content_hashes_and_term_statistics(engine_with_docs):
    assert engine_with_docs.content_hashes() == {d["id"]: d["content_hash"] for d in DOCS}
    edited = doc(3, "الاقتصاد الصيني", "نص آخر تماماً.", source="bbc", day="2023-11-02")
    engine_with_docs.index(documents=[edited])
    assert engine_with_docs.content_hashes()[3] == edited["content_hash"] != DOCS[2]["content_hash"]
    frequencies = engine_with_docs.document_frequencies(
        terms=[analyze("الرئيس")[0], analyze("لافروف")[0], "غيرموجود"]
    )
    assert frequencies == {analyze("الرئيس")[0]: 4, analyze("لافروف")[0]: 1, "غيرموجود": 0}


def test_rebuild_swaps_without_an_empty_window(engine_with_docs):
    seen: list[int] = []
    stop = threading.Event()

    def search_all_the_time() -> None:
        while not stop.is_set():
            seen.append(engine_with_docs.search(SearchRequest(limit=0)).total)

    def slow_documents():
        for n in range(40):
            time.sleep(0.01)
            yield doc(100 + n, f"خبر {n}", f"نص جديد رقم {n} عن الطاقة.", day="2025-01-01")

    watcher = threading.Thread(target=search_all_the_time)
    watcher.start()
    try:
        assert engine_with_docs.rebuild(documents=slow_documents()) == 40
    finally:
        stop.set()
        watcher.join()
    assert seen and 0 not in seen
    assert set(seen) <= {5, 40}
    assert engine_with_docs.count() == 40
    assert ids(engine_with_docs, term("الرئيس")) == set()


def test_writes_made_during_a_rebuild_are_not_lost(engine_with_docs):
    started = threading.Event()

    def slow_documents():
        for n in range(30):
            if n == 5:
                started.set()
            time.sleep(0.01)
            yield doc(100 + n, f"خبر {n}", f"نص جديد رقم {n}.", day="2025-01-01")

    rebuild = threading.Thread(target=lambda: engine_with_docs.rebuild(documents=slow_documents()))
    rebuild.start()
    started.wait(10)
    engine_with_docs.index(documents=[doc(999, "خبر عاجل", "زلزال في المدينة.", day="2025-02-01")])
    engine_with_docs.remove(ids=[100])
    rebuild.join()
    assert ids(engine_with_docs, term("زلزال")) == {999}
    assert 100 not in ids(engine_with_docs) and 101 in ids(engine_with_docs)
    assert engine_with_docs.count() == 30
