"""The project's query tree and filters as OpenSearch query DSL, and the index's mapping.

Text fields hold the Arabic analyzer's terms joined by spaces, indexed with the ``whitespace``
analyzer (positions kept), so a Term is an exact ``term`` query and a Phrase a ``match_phrase``:
both engines match the same words. ``terms`` is a keyword field of every distinct text term of a
document; prefix expansion and document frequencies are aggregations over it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from articles.arabic import analyzer_version
from articles.engines import scoring
from articles.engines.base import (
    AllOf,
    And,
    AnyOf,
    DateRange,
    Filter,
    Histogram,
    MatchAll,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    SearchRequest,
    Term,
)

TERMS_FIELD = "terms"
TOMBSTONE_FIELD = "tombstone"  # a removal written into an index being rebuilt
SIMILARITY = "marsad_bm25"
MAX_RESULT_WINDOW = 1_000_000
FACET_PAGE = 10_000  # composite-aggregation buckets a request; more are paged


@dataclass(frozen=True)
class Ranking:
    """The index's BM25 settings per text field, from ``articles.engines.scoring`` (``b``: one
    length normalisation for every field instead; an index made otherwise is not current). The
    query-time parts of the ranking are read from ``scoring`` itself (:func:`relevance`)."""

    k1: float = scoring.K1
    b: float | None = None

    def b_for(self, field: str) -> float:
        return self.b if self.b is not None else scoring.B.get(field, 0.75)


@dataclass(frozen=True)
class Fields:
    """Which document keys are text (with weights; ``proximity``: those where adjacent query
    words are rewarded), keywords and dates."""

    text: Mapping[str, float]
    keywords: tuple[str, ...]
    dates: tuple[str, ...]
    proximity: tuple[str, ...] = ()


def index_body(*, fields: Fields, ranking: Ranking, shards: int, replicas: int) -> dict:
    text = {"type": "text", "analyzer": "whitespace", "norms": True}
    properties: dict[str, dict] = {
        "id": {"type": "long"},
        TERMS_FIELD: {"type": "keyword", "index_options": "docs"},
        TOMBSTONE_FIELD: {"type": "boolean"},
        "length": {"type": "integer"},
        "content_hash": {"type": "keyword", "index": False},
    }
    properties |= {name: text | {"similarity": f"{SIMILARITY}_{name}"} for name in fields.text}
    properties |= {name: {"type": "keyword"} for name in fields.keywords}
    properties |= {name: {"type": "date", "format": "yyyy-MM-dd"} for name in fields.dates}
    body = {
        "settings": {
            "index": {
                "number_of_shards": shards,
                "number_of_replicas": replicas,
                "max_result_window": MAX_RESULT_WINDOW,
                "similarity": {
                    f"{SIMILARITY}_{name}": {
                        "type": "BM25",
                        "k1": ranking.k1,
                        "b": ranking.b_for(name),
                    }
                    for name in fields.text
                },
            }
        },
        "mappings": {"dynamic": False, "properties": properties},
    }
    body["mappings"]["_meta"] = {"layout": layout_version(body), "analyzer": analyzer_version()}
    return body


def layout_version(body: dict) -> str:
    """A digest of the index settings (less shard and replica counts) and the mapping: an
    index made with other ones is not current."""
    index = {
        key: value
        for key, value in body["settings"]["index"].items()
        if key not in ("number_of_shards", "number_of_replicas")
    }
    shape = {"index": index, "properties": body["mappings"]["properties"]}
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:16]


def source(document: dict, *, fields: Fields) -> dict:
    """The indexed form of one contract document."""
    body: dict = {"id": int(document["id"])}
    every_term: set[str] = set()
    for name in fields.text:
        terms = document.get(name) or []
        body[name] = " ".join(terms)
        every_term.update(terms)
    body[TERMS_FIELD] = sorted(every_term)
    for name in fields.keywords:
        value = document.get(name)
        if value is not None and value != []:
            body[name] = value
    for name in fields.dates:
        value = document.get(name)
        if isinstance(value, datetime.date):
            body[name] = value.isoformat()
        elif value:
            body[name] = [day.isoformat() for day in value]
    body["length"] = int(document.get("length") or 0)
    body["content_hash"] = document.get("content_hash", "")
    return body


def _targets(node_fields: tuple[str, ...], weights: Mapping[str, float]) -> list[tuple[str, float]]:
    names = node_fields or tuple(weights)
    return [(name, weights[name]) for name in names]


def _any_field(clauses: list[dict]) -> dict:
    return (
        clauses[0]
        if len(clauses) == 1
        else {"bool": {"should": clauses, "minimum_should_match": 1}}
    )


def query(node: Node, *, weights: Mapping[str, float]) -> dict:
    """One query-tree node as a scoring query (BM25 per field, times the field's weight; an OR
    scores its best alternative)."""
    if isinstance(node, MatchAll):
        return {"match_all": {}}
    if isinstance(node, Term):
        return _any_field(
            [
                {"term": {f: {"value": node.text, "boost": w}}}
                for f, w in _targets(node.fields, weights)
            ]
        )
    if isinstance(node, Prefix):
        return _any_field(
            [
                {"prefix": {f: {"value": node.text, "boost": w}}}
                for f, w in _targets(node.fields, weights)
            ]
        )
    if isinstance(node, Phrase):
        text = " ".join(node.terms)
        return _any_field(
            [
                {"match_phrase": {f: {"query": text, "boost": w}}}
                for f, w in _targets(node.fields, weights)
            ]
        )
    if isinstance(node, And):
        must = [query(c, weights=weights) for c in node.children if not isinstance(c, Not)]
        must_not = [query(c.child, weights=weights) for c in node.children if isinstance(c, Not)]
        return {"bool": {"must": must or [{"match_all": {}}], "must_not": must_not}}
    if isinstance(node, Or):  # the best alternative, as scoring.best_of
        return {
            "dis_max": {
                "queries": [query(c, weights=weights) for c in node.children],
                "tie_breaker": scoring.OR_TIE_BREAKER,
            }
        }
    if isinstance(node, Not):
        return {
            "bool": {"must": [{"match_all": {}}], "must_not": [query(node.child, weights=weights)]}
        }
    raise TypeError(f"not a query-tree node: {node!r}")


def prefixes(node: Node) -> list[str]:
    """Every Prefix's text in a query tree."""
    if isinstance(node, Prefix):
        return [node.text]
    if isinstance(node, And | Or):
        return [text for child in node.children for text in prefixes(child)]
    if isinstance(node, Not):
        return prefixes(node.child)
    return []


def relevance(
    node: Node,
    *,
    weights: Mapping[str, float],
    proximity: Sequence[str] = (),
    boosts: Sequence[Filter] = (),
) -> dict:
    """The scoring query: the tree's per-field BM25, plus the headline bonus (the whole query
    inside the title), plus each request boost a document matches (an actor the query names),
    plus the opening bonus (a query word among the title's first terms: a ``span_first``),
    plus each adjacent word pair as a phrase in each ``proximity`` field, all times the stub
    factor for short bodies — what ``articles.engines.scoring`` computes on Whoosh (there the
    pairs are scored for the best RERANK_DEPTH candidates; here for every match)."""
    should: list[dict] = []
    whole, headline_weights = scoring.title_split(weights)
    headline = scoring.title_only(node)
    if scoring.TITLE_MATCH_BONUS and "title" in weights:
        matched = query(headline, weights=weights)
        should.append({"constant_score": {"filter": matched, "boost": scoring.TITLE_MATCH_BONUS}})
    if any(headline_weights.values()):
        should.append(query(headline, weights=headline_weights))
    for boost in boosts:
        clauses = {"bool": {"filter": filter_clause(boost)}}
        should.append({"constant_score": {"filter": clauses, "boost": scoring.BOOST_BONUS}})
    words = scoring.query_words(node)
    if scoring.TITLE_OPENING_BONUS and words and "title" in weights:
        spans = [{"span_term": {"title": word}} for word in words]
        opening = {
            "span_first": {
                "match": {"span_or": {"clauses": spans}},
                "end": scoring.TITLE_OPENING_TERMS,
            }
        }
        should.append({"constant_score": {"filter": opening, "boost": scoring.TITLE_OPENING_BONUS}})
    for first, second in scoring.adjacent_pairs(node):
        should += [
            {
                "match_phrase": {
                    f: {"query": f"{first} {second}", "boost": w * scoring.PROXIMITY_WEIGHT}
                }
            }
            for f, w in weights.items()
            if f in proximity
        ]
    scored = query(node, weights=whole)
    if should:
        scored = {"bool": {"must": [scored], "should": should}}
    if scoring.STUB_FACTOR == 1:
        return scored
    stub = {"range": {"length": {"lt": scoring.STUB_TERMS}}}
    return {
        "function_score": {
            "query": scored,
            "functions": [{"filter": stub, "weight": scoring.STUB_FACTOR}],
            "score_mode": "multiply",
            "boost_mode": "multiply",
        }
    }


def filter_clause(item: Filter) -> list[dict]:
    if isinstance(item, AnyOf):
        return [{"terms": {item.field: list(item.values)}}]
    if isinstance(item, AllOf):
        return [{"term": {item.field: value}} for value in item.values]
    if isinstance(item, DateRange):
        bounds = {}
        if item.start is not None:
            bounds["gte"] = item.start.isoformat()
        if item.end is not None:
            bounds["lte"] = item.end.isoformat()
        return [{"range": {item.field: bounds}}] if bounds else [{"exists": {"field": item.field}}]
    raise TypeError(f"not a filter: {item!r}")


def live_documents(scoring: dict, filters: Sequence[Filter] = ()) -> dict:
    """``scoring`` restricted by the filters, never matching a rebuild's tombstones."""
    return {
        "bool": {
            "must": [scoring],
            "filter": [clause for item in filters for clause in filter_clause(item)],
            "must_not": [{"term": {TOMBSTONE_FIELD: True}}],
        }
    }


HISTOGRAM_FORMATS = {"day": "yyyy-MM-dd", "month": "yyyy-MM", "year": "yyyy"}


def sort_clause(sort: str, *, scored: bool) -> list:
    """Relevance (ties: higher id first); dates newest or oldest first, undated last."""
    if sort == "relevance" and scored:
        return [{"_score": "desc"}, {"id": "desc"}]
    if sort == "date_asc":
        return [{"published_on": {"order": "asc", "missing": "_last"}}, {"id": "asc"}]
    return [{"published_on": {"order": "desc", "missing": "_last"}}, {"id": "desc"}]


def regex_literal(text: str) -> str:
    """``text`` escaped for a Lucene regular expression (a terms aggregation's ``include``)."""
    special = set('.?+*|{}[]()"\\#@&<>~')
    return "".join("\\" + ch if ch in special else ch for ch in text)


def composite(name: str, after: Mapping | None = None) -> dict:
    """Every value of a keyword field with its document count, FACET_PAGE at a time."""
    body: dict = {"size": FACET_PAGE, "sources": [{"value": {"terms": {"field": name}}}]}
    if after:
        body["after"] = dict(after)
    return {"composite": body}


def histogram_agg(histogram: Histogram) -> dict:
    """Documents per day, month or year; empty periods are left out."""
    return {
        "date_histogram": {
            "field": histogram.field,
            "calendar_interval": histogram.interval,
            "format": HISTOGRAM_FORMATS[histogram.interval],
            "min_doc_count": 1,
        }
    }


def search_body(
    request: SearchRequest, *, weights: Mapping[str, float], proximity: Sequence[str] = ()
) -> dict:
    """One search request: the page, the exact total, facets, histogram, the time budget."""
    scored = not isinstance(request.query, MatchAll)
    relevant = (
        relevance(request.query, weights=weights, proximity=proximity, boosts=request.boosts)
        if scored
        else query(request.query, weights=weights)
    )
    body: dict = {
        "query": live_documents(relevant, request.filters),
        "from": request.offset,
        "size": request.limit,
        "sort": sort_clause(request.sort, scored=scored),
        "track_total_hits": True,
        "track_scores": scored and request.sort == "relevance",
        "_source": False,
    }
    aggs = {f"facet_{name}": composite(name) for name in request.facets}
    if request.histogram:
        aggs["histogram"] = histogram_agg(request.histogram)
    if aggs:
        body["aggs"] = aggs
    if request.budget_s is not None:
        body["timeout"] = f"{max(1, round(request.budget_s * 1000))}ms"
    return body


def expansions_body(prefix: str, *, size: int) -> dict:
    """The index terms starting with ``prefix``, most documents first."""
    agg = {
        "terms": {
            "field": TERMS_FIELD,
            "include": regex_literal(prefix) + ".*",
            "size": size,
            "shard_size": max(size, 1000),
            "order": [{"_count": "desc"}, {"_key": "asc"}],
        }
    }
    return {"size": 0, "query": {"prefix": {TERMS_FIELD: prefix}}, "aggs": {"t": agg}}


def frequency_searches(terms: Sequence[str]) -> list[dict]:
    """``_msearch`` lines counting, for each term, the documents holding it."""
    lines: list[dict] = []
    for term in terms:
        lines += [{}, {"size": 0, "track_total_hits": True, "query": {"term": {TERMS_FIELD: term}}}]
    return lines
