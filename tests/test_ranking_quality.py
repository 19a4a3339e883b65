"""nDCG@10 against hand-computed values, the shipped judged set, and PostgreSQL's ts_rank_cd."""

import math

import pytest
from django.db import connection

from articles.quality import ranking

LOG2_3 = math.log2(3)


def test_dcg_uses_exponential_gain_and_log_discount():
    # (2^2-1)/log2(2) + (2^1-1)/log2(3) + 0 = 3 + 0.6309
    assert ranking.dcg(grades=[2, 1, 0]) == pytest.approx(3 + 1 / LOG2_3)
    assert ranking.dcg(grades=[0, 0, 2]) == pytest.approx(3 / 2)  # rank 3: log2(4) = 2


def test_ndcg_divides_by_the_ideal_order_of_every_judged_grade():
    grades = {"a": 2, "b": 1, "c": 0}
    assert ranking.ndcg(ranked=["a", "b", "c"], grades=grades) == pytest.approx(1.0)
    # b then a: (1 + 3/log2 3) / (3 + 1/log2 3)
    expected = (1 + 3 / LOG2_3) / (3 + 1 / LOG2_3)
    assert ranking.ndcg(ranked=["b", "a"], grades=grades) == pytest.approx(expected)
    assert expected == pytest.approx(0.7967, abs=1e-4)


def test_unjudged_results_count_as_zero():
    # x unjudged: 0 + 3/log2(3), ideal 3
    assert ranking.ndcg(ranked=["x", "a"], grades={"a": 2}) == pytest.approx(1 / LOG2_3)


def test_ideal_includes_judged_articles_the_ranking_missed():
    # only "a" found; the ideal also holds "b": 3 / (3 + 1/log2 3)
    got = ranking.ndcg(ranked=["a"], grades={"a": 2, "b": 1})
    assert got == pytest.approx(3 / (3 + 1 / LOG2_3))


def test_cutoff_ignores_rank_eleven_and_no_relevant_gives_zero():
    ranked = [f"n{i}" for i in range(10)] + ["a"]
    assert ranking.ndcg(ranked=ranked, grades={"a": 2}) == 0.0
    assert ranking.ndcg(ranked=ranked, grades={"a": 2}, k=11) == pytest.approx(1 / math.log2(12))
    assert ranking.ndcg(ranked=["a"], grades={"a": 0}) == 0.0


def test_mean_ndcg_averages_per_query():
    judged = {"q1": {"a": 2}, "q2": {"b": 1}}
    mean, per_query = ranking.mean_ndcg(judged=judged, rank=lambda q: ["a"] if q == "q1" else [])
    assert per_query == {"q1": pytest.approx(1.0), "q2": 0.0}
    assert mean == pytest.approx(0.5)


def test_the_shipped_judged_set_has_thirty_queries_graded_by_url():
    judged = ranking.load_judged()
    assert len(judged) == 30
    assert '"الحرب التجارية"' in judged  # a quoted phrase stays quoted
    for query, grades in judged.items():
        assert set(grades.values()) <= {0, 1, 2}
        assert any(grades.values()), f"{query}: nothing relevant judged"
        assert all(key.startswith("http") for key in grades)
    assert sum(len(g) for g in judged.values()) > 1000


def test_the_held_out_set_has_ten_other_queries_graded_by_url():
    held_out = ranking.load_judged(path=ranking.HELD_OUT_QUERIES)
    assert len(held_out) == 10
    assert not set(held_out) & set(ranking.load_judged())  # never a query the rules were tuned on
    for query, grades in held_out.items():
        assert any(grades.values()), f"{query}: nothing relevant judged"
        assert all(key.startswith("http") for key in grades)


def test_a_grade_outside_zero_to_two_is_refused(tmp_path):
    path = tmp_path / "judged.tsv"
    path.write_text("# comment\nquery\tkey\tgrade\nبوتين\thttp://x\t3\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not 0, 1 or 2"):
        ranking.load_judged(path=path)


@pytest.mark.django_db
def test_postgres_ranking_orders_by_ts_rank_cd():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's `arabic` configuration needs DATABASE_URL on PostgreSQL")
    rows = [
        (1, "http://a", "الاقتصاد الروسي", "تقرير عن الزراعة في مصر والاقتصاد"),
        (2, "http://b", "روسيا والصين", "قال إن الاقتصاد ينمو"),
        (3, "http://c", "كرة القدم", "مباراة في الدوري"),
    ]
    with connection.cursor() as cursor:
        ranking.postgres_fill(cursor=cursor, rows=rows)
        found = ranking.postgres_ranking(cursor=cursor, query="الاقتصاد", k=10)
    assert found == ["http://a", "http://b"]  # the title's weight A ranks first
