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
from articles.engines.base import (
    AllOf,
    And,
    AnyOf,
    DateRange,
    Filter,
    MatchAll,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Term,
)

TERMS_FIELD = "terms"
TOMBSTONE_FIELD = "tombstone"  # a removal written into an index being rebuilt
SIMILARITY = "marsad_bm25"
MAX_RESULT_WINDOW = 1_000_000


@dataclass(frozen=True)
class Ranking:
    """BM25 parameters (``b``: length normalisation) and the proximity boost of a query whose
    words stand together (a ``match_phrase`` with ``slop`` per text field, weighted ``boost``)."""

    k1: float = 1.2
    b: float = 0.75
    proximity_slop: int = 3
    proximity_boost: float = 1.0


@dataclass(frozen=True)
class Fields:
    """Which document keys are text (with weights), keywords and dates."""

    text: Mapping[str, float]
    keywords: tuple[str, ...]
    dates: tuple[str, ...]


def index_body(*, fields: Fields, ranking: Ranking, shards: int, replicas: int) -> dict:
    text = {
        "type": "text",
        "analyzer": "whitespace",
        "similarity": SIMILARITY,
        "norms": True,
    }
    properties: dict[str, dict] = {
        "id": {"type": "long"},
        TERMS_FIELD: {"type": "keyword", "index_options": "docs"},
        TOMBSTONE_FIELD: {"type": "boolean"},
        "length": {"type": "integer"},
        "content_hash": {"type": "keyword", "index": False},
    }
    properties |= {name: dict(text) for name in fields.text}
    properties |= {name: {"type": "keyword"} for name in fields.keywords}
    properties |= {name: {"type": "date", "format": "yyyy-MM-dd"} for name in fields.dates}
    body = {
        "settings": {
            "index": {
                "number_of_shards": shards,
                "number_of_replicas": replicas,
                "max_result_window": MAX_RESULT_WINDOW,
                "similarity": {SIMILARITY: {"type": "BM25", "k1": ranking.k1, "b": ranking.b}},
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
    """One query-tree node as a scoring query (BM25 per field, times the field's weight)."""
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
    if isinstance(node, Or):
        return {
            "bool": {
                "should": [query(c, weights=weights) for c in node.children],
                "minimum_should_match": 1,
            }
        }
    if isinstance(node, Not):
        return {
            "bool": {"must": [{"match_all": {}}], "must_not": [query(node.child, weights=weights)]}
        }
    raise TypeError(f"not a query-tree node: {node!r}")


def adjacent_words(node: Node) -> list[str]:
    """The plain words of a query that is one word list (``a b c`` or And of Terms): the ones a
    proximity boost rewards for standing together. Other shapes get no boost."""
    if isinstance(node, And):
        children = [c for c in node.children if not isinstance(c, Not)]
        if len(children) > 1 and all(isinstance(c, Term) and not c.fields for c in children):
            return [c.text for c in children]
    return []


def proximity(
    words: Sequence[str], *, weights: Mapping[str, float], ranking: Ranking
) -> list[dict]:
    if len(words) < 2 or ranking.proximity_boost <= 0:
        return []
    text = " ".join(words)
    return [
        {
            "match_phrase": {
                f: {
                    "query": text,
                    "slop": ranking.proximity_slop,
                    "boost": w * ranking.proximity_boost,
                }
            }
        }
        for f, w in weights.items()
    ]


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
