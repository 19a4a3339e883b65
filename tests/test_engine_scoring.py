"""The engine-neutral ranking functions against hand-computed BM25 values."""

import math

import numpy as np
import pytest

from articles import index_fields
from articles.engines import scoring
from articles.engines.base import And, Not, Or, Phrase, Prefix, Term


def _fields():
    return [
        scoring.FieldStats("title", 2.0, np.array([2, 4, 2], dtype=np.float32), 8 / 3),
        scoring.FieldStats("body", 1.0, np.array([10, 20, 30], dtype=np.float32), 20.0),
    ]


def test_idf_is_lucenes_and_never_negative():
    assert scoring.idf(doc_freq=1, doc_count=3) == pytest.approx(math.log(1 + 2.5 / 1.5))
    assert scoring.idf(doc_freq=3, doc_count=3) == pytest.approx(math.log(1 + 0.5 / 3.5))
    assert scoring.idf(doc_freq=3, doc_count=3) > 0


def test_fields_bm25_sums_weighted_per_field_scores():
    fields = _fields()
    norms = scoring.length_norms(fields=fields)
    # title norm of doc 0: 1.2 * (1 - 0.3 + 0.3 * 2 / (8/3)) = 1.11
    assert norms["title"][0] == pytest.approx(1.11)
    # body norm of doc 2: 1.2 * (1 - 0.5 + 0.5 * 30/20) = 1.5
    assert norms["body"][2] == pytest.approx(1.5)
    postings = {
        "x": {
            "title": (np.array([0]), np.array([1.0], dtype=np.float32)),
            "body": (np.array([0, 2]), np.array([2.0, 1.0], dtype=np.float32)),
        }
    }
    scores = scoring.fields_bm25(
        size=3, doc_count=3, term_postings=postings, fields=fields, norms=norms
    )
    title_idf, body_idf = math.log(1 + 2.5 / 1.5), math.log(1 + 1.5 / 2.5)
    body_norm_0 = 1.2 * (1 - 0.5 + 0.5 * 10 / 20)  # 0.9
    doc0 = 2.0 * title_idf * 1 * 2.2 / (1 + 1.11) + body_idf * 2 * 2.2 / (2 + body_norm_0)
    doc2 = body_idf * 1 * 2.2 / (1 + 1.5)
    assert scores.tolist() == pytest.approx([doc0, 0.0, doc2], rel=1e-5)


def test_stubs_are_damped_not_dropped():
    factors = scoring.stub_factors(body_lengths=np.array([5, 49, 50, 800], dtype=np.float32))
    assert factors.tolist() == pytest.approx([0.3, 0.3, 1.0, 1.0])


def test_proximity_counts_pairs_in_order_and_saturates():
    fields = _fields()
    norms = scoring.length_norms(fields=fields)
    docs = np.array([0, 1, 2])
    pairs = [
        {
            "title": (3.0, {0: [0]}, {0: [1]}),  # doc 0: "a b" in the title
            "body": (3.0, {1: [4, 9], 2: [3]}, {1: [5, 10], 2: [2]}),  # doc 2: "b a" only
        }
    ]
    bonus = scoring.proximity_scores(docs=docs, pairs=pairs, fields=fields, norms=norms)
    body_norm_1 = 1.2 * (1 - 0.5 + 0.5 * 20 / 20)
    assert bonus[0] == pytest.approx(2.0 * 3.0 * 2.2 / (1 + 1.11), rel=1e-5)
    assert bonus[1] == pytest.approx(3.0 * 2 * 2.2 / (2 + body_norm_1), rel=1e-5)
    assert bonus[2] == 0.0


def test_top_breaks_ties_by_docnum_highest_first():
    candidates = np.array([3, 7, 5, 9])
    scores = np.array([1.0, 2.0, 2.0, 0.5], dtype=np.float32)
    assert scoring.top(candidates=candidates, scores=scores, limit=3).tolist() == [7, 5, 3]


def test_title_only_restricts_every_leaf_but_keeps_exclusions_global():
    tree = And((Term("بوتين"), Or((Phrase(("قمة", "هلسنكي")), Term("ترامب"))), Not(Term("x"))))
    assert scoring.title_only(tree) == And(
        (
            Term("بوتين", ("title",)),
            Or((Phrase(("قمة", "هلسنكي"), ("title",)), Term("ترامب", ("title",)))),
            Not(Term("x")),
        )
    )


def test_adjacent_pairs_of_plain_words():
    words = And((Term("رسوم"), Term("جمركي"), Term("صين")))
    assert scoring.adjacent_pairs(words) == [("رسوم", "جمركي"), ("جمركي", "صين")]
    aliases = Or((Phrase(("فلاديمير", "بوتين")), Term("بوتين")))
    assert scoring.adjacent_pairs(aliases) == []  # a phrase matches only where it stands
    mixed = And((Term("رسوم"), Term("جمركي"), Or((Term("الصين"), Term("china")))))
    assert scoring.adjacent_pairs(mixed) == [("رسوم", "جمركي")]  # alternatives break no pair
    assert scoring.adjacent_pairs(And((Term("a"), Term("b"), Not(Term("c"))))) == [("a", "b")]
    assert scoring.adjacent_pairs(And((Term("a"), Not(Term("c")), Term("b")))) == []


def test_query_words_are_every_word_looked_for_outside_not_parts():
    tree = And(
        (
            Term("قمه"),
            Or((Phrase(("جين", "بينغ")), Term("xi"), Prefix("شي"))),
            Not(Term("تنس")),
            Term("قمه"),
        )
    )
    assert scoring.query_words(tree) == ["قمه", "جين", "بينغ", "xi"]
    assert scoring.query_words(Not(Term("a"))) == []


def test_title_split_moves_the_titles_rest_to_the_headline_clause(monkeypatch):
    monkeypatch.setattr(scoring, "TITLE_PARTIAL_SHARE", 0.75)
    whole, headline = scoring.title_split({"title": 2.0, "body": 1.0, "lead": 0.5})
    assert whole == {"title": 1.5, "body": 1.0, "lead": 0.5}
    assert headline == {"title": 0.5}
    assert scoring.title_split({"body": 1.0}) == ({"body": 1.0}, {})


def test_the_lead_is_the_bodys_first_terms_without_a_second_analysis():
    body = " ".join(f"كلمة{n}" for n in range(index_fields.LEAD_TERMS + 20))
    row = {"pk": 1, "title": "عنوان", "body": body, "source__slug": "s", "published_on": None,
           "actors": [], "event_dates": []}  # fmt: skip
    document = index_fields.document(row)
    assert document["lead"] == document["body"][: index_fields.LEAD_TERMS]
    assert len(document["body"]) == index_fields.LEAD_TERMS + 20 == document["length"]
    assert "lead" not in index_fields.PROXIMITY_NAMES


def test_an_or_scores_its_best_alternative_plus_the_tie_breakers_share(monkeypatch):
    spellings = [np.array([3.0, 0.0, 1.0], dtype=np.float32), np.array([1.0, 2.0, 0.0])]
    assert scoring.best_of(scores=spellings).tolist() == [3.0, 2.0, 1.0]
    monkeypatch.setattr(scoring, "OR_TIE_BREAKER", 0.5)
    assert scoring.best_of(scores=spellings).tolist() == [3.5, 2.0, 1.0]
