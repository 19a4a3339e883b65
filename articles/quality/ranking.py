"""Ranking quality: nDCG@k against the judged query set, for any engine and for PostgreSQL.

The judged set (``tests/data/judged_queries.tsv``) grades articles by a stable key — the
article's source URL, kept in ``Article.url`` — never by database ids, so it holds for any import
of the ANT corpus. A ranked article nobody judged counts as grade 0.

nDCG@k uses the exponential gain: DCG = Σ_{i=1..k} (2^grade_i − 1) / log2(i + 1), divided by the
DCG of the ideal ranking, which is every judged grade of the query sorted from best to worst.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from django.conf import settings

JUDGED_QUERIES = Path(settings.BASE_DIR) / "tests" / "data" / "judged_queries.tsv"
# 10 queries written after the ranking rules were chosen, to check they hold on untuned queries
HELD_OUT_QUERIES = JUDGED_QUERIES.with_name("judged_heldout.tsv")
CUTOFF = 10

Judgements = dict[str, dict[str, int]]  # query -> article key -> grade 0/1/2


def load_judged(*, path: Path = JUDGED_QUERIES) -> Judgements:
    """query -> {article key: grade}, in the file's query order; ``#`` lines are comments."""
    judged: Judgements = {}
    with path.open(encoding="utf-8", newline="") as rows:
        lines = (line for line in rows if not line.startswith("#"))
        for row in csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not row or row[0] == "query":
                continue
            query, key, grade = row[0], row[1], int(row[2])
            if grade not in (0, 1, 2):
                raise ValueError(f"grade {grade} for {query!r} is not 0, 1 or 2")
            judged.setdefault(query, {})[key] = grade
    return judged


def dcg(*, grades: Sequence[int], k: int = CUTOFF) -> float:
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades[:k]))


def ndcg(*, ranked: Sequence[str], grades: Mapping[str, int], k: int = CUTOFF) -> float:
    """nDCG@k of ``ranked`` keys; unjudged keys count 0; 0.0 when the query has no relevant key."""
    ideal = dcg(grades=sorted(grades.values(), reverse=True), k=k)
    if not ideal:
        return 0.0
    return dcg(grades=[grades.get(key, 0) for key in ranked], k=k) / ideal


def mean_ndcg(
    *, judged: Judgements, rank: Callable[[str], Sequence[str]], k: int = CUTOFF
) -> tuple[float, dict[str, float]]:
    """The mean nDCG@k over the judged queries and each query's figure; ``rank`` maps a query
    to the article keys in ranked order."""
    per_query = {
        query: ndcg(ranked=rank(query), grades=grades, k=k) for query, grades in judged.items()
    }
    return sum(per_query.values()) / len(per_query), per_query


def article_keys(*, ids: Iterable[int]) -> list[str]:
    """The judged-set keys (source URLs) of articles ``ids``, in that order (unknown ids dropped)."""
    from articles.models import Article

    ids = list(ids)
    urls = dict(Article.objects.filter(pk__in=ids).values_list("pk", "url"))
    return [urls[pk] for pk in ids if pk in urls]


def backend_ranking(*, backend, query: str, k: int = CUTOFF) -> list[str]:
    """Keys of ``backend``'s top ``k`` for ``query`` by relevance (any SearchBackend)."""
    from articles.engines.base import SearchRequest
    from articles.search import SearchInputError, parse_query

    try:
        parsed = parse_query(query)
    except SearchInputError:
        return []
    hits = backend.search(SearchRequest(query=parsed.query, boosts=parsed.boosts, limit=k)).hits
    return article_keys(ids=[hit.id for hit in hits])


def ndcg_figures(
    *, backends: Mapping[str, object], postgres_cursor=None, judged: Judgements | None = None
) -> dict[str, tuple[float, dict[str, float]]]:
    """``ndcg10_<name>`` -> (mean nDCG@10, per query) for each backend (any SearchBackend; None
    is left out) and, given a cursor on a :func:`postgres_fill` database, ``ndcg10_postgres``."""
    judged = load_judged() if judged is None else judged
    figures = {
        f"ndcg10_{name}": mean_ndcg(
            judged=judged, rank=lambda q, b=backend: backend_ranking(backend=b, query=q)
        )
        for name, backend in backends.items()
        if backend is not None
    }
    if postgres_cursor is not None:
        figures["ndcg10_postgres"] = mean_ndcg(
            judged=judged, rank=lambda q: postgres_ranking(cursor=postgres_cursor, query=q)
        )
    return figures


# PostgreSQL: a table of the articles' `arabic` tsvectors (title weighted A), ranked by ts_rank_cd.
POSTGRES_SCHEMA = (
    "CREATE TABLE marsad_fts (id bigint PRIMARY KEY, url text NOT NULL, tsv tsvector)",
    "CREATE INDEX marsad_fts_tsv ON marsad_fts USING gin (tsv)",
)
POSTGRES_INSERT = (
    "INSERT INTO marsad_fts (id, url, tsv) VALUES (%s, %s, "
    "setweight(to_tsvector('arabic', %s), 'A') || to_tsvector('arabic', %s))"
)
POSTGRES_TOP = (
    "SELECT id, url FROM marsad_fts, websearch_to_tsquery('arabic', %s) q "
    "WHERE tsv @@ q ORDER BY ts_rank_cd(tsv, q) DESC, id LIMIT %s"
)
POSTGRES_COUNT = (
    "SELECT count(*) FROM marsad_fts, websearch_to_tsquery('arabic', %s) q WHERE tsv @@ q"
)


def postgres_fill(*, cursor, rows: Iterable[tuple[int, str, str, str]]) -> None:
    """Create the table and load ``(id, url, title, body)`` rows into it."""
    for statement in POSTGRES_SCHEMA:
        cursor.execute(statement)
    cursor.executemany(POSTGRES_INSERT, rows)


def postgres_ranking(*, cursor, query: str, k: int = CUTOFF) -> list[str]:
    """Keys of PostgreSQL's top ``k`` by ``ts_rank_cd`` (``cursor``: a DB-API cursor on a database
    filled by :func:`postgres_fill`)."""
    cursor.execute(POSTGRES_TOP, (query, k))
    return [url for _id, url in cursor.fetchall()]
