"""Relevance scoring as pure numpy functions over postings and field lengths (engine-neutral).

The score of a document is the sum, over the text fields of ``articles.index_fields``, of the
field's weight times BM25 of the query terms in that field alone (title and body are separate
fields with their own document frequencies, average lengths and ``b`` — what OpenSearch computes
for a term boosted per field, so both engines rank alike; the body's lead, its first terms, is a
third such field). A phrase scores as one term (its frequency: how often its words stand
together; its idf: the sum of its words'), an AND sums its parts and an OR scores its best
alternative (``best_of``, OpenSearch's ``dis_max``: an actor's spellings or a synonym's phrases
are one thing, so writing two of them earns no more than writing one). Plus:

- **a headline that says it all**: a document whose title alone satisfies the whole query
  (``title_only``) gets TITLE_MATCH_BONUS — a researcher's "about" is mostly the headline; a
  title that says only part of the query counts TITLE_PARTIAL_SHARE of its BM25 (``title_split``:
  «قمة» alone in a headline does not outrank «بريكس» in a body);
- **the actors the query names**: each request boost a document matches (``SearchRequest.
  boosts``: the matcher attributed that actor to it) adds BOOST_BONUS, so a namesake's story
  ranks below the actor's;
- **proximity**: every pair of query words typed next to each other that stand together, in
  order, counts as one more term — its frequency in the field is how often the pair occurs, its
  idf the sum of its words' idfs, as a phrase query scores. It is computed for the best
  candidates only (``RERANK_DEPTH``), from positions, in the fields that ask for it.
- **a headline that opens with the query**: a document whose title's first
  TITLE_OPENING_TERMS terms hold one of the query's words (``query_words``) gets
  TITLE_OPENING_BONUS — a headline names its subject first («العقوبات الأميركية طالت
  "عمالقة"»), one about something else names the query's word late («مقتل ضابط ... بالضفة
  الغربية» for «العقوبات الغربية»);
- **no reward for stubs**: BM25 favours short texts; a body of fewer than ``STUB_TERMS`` terms
  (a video caption, a one-line brief) has its score multiplied by ``STUB_FACTOR``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .base import And, Node, Not, Or, Phrase, Prefix, Term

# Tuned on tests/data/judged_queries.tsv (see README, "Ranking").
K1 = 1.2
# length normalisation per field: titles vary little; every lead is the body's first terms
B = {"title": 0.3, "body": 0.5, "lead": 0.0}
TITLE_MATCH_BONUS = 10.0
BOOST_BONUS = 30.0  # per request boost matched (an actor the query names): above a headline match
PROXIMITY_WEIGHT = 1.0  # a pair standing together weighs as much as a term
TITLE_OPENING_TERMS = 3  # a query word among the title's first terms ...
TITLE_OPENING_BONUS = 2.0  # ... adds this: the headline opens with the query's subject
STUB_TERMS = 50  # analysed body terms: about 300 characters
STUB_FACTOR = 0.3
RERANK_DEPTH = 50
# an OR's alternatives (an actor's spellings, a synonym's phrases): the best one's score plus this
# share of the others' (OpenSearch's dis_max tie_breaker), so spelling a name twice earns little
OR_TIE_BREAKER = 0.0
# a title that says only part of the query: this share of its BM25 (all of it when the title alone
# satisfies the query), so a headline holding the query's common word does not outrank a story
# whose body holds its rare one
TITLE_PARTIAL_SHARE = 0.75

Postings = tuple[np.ndarray, np.ndarray]  # (docnums, term frequencies in one field)


@dataclass(frozen=True)
class FieldStats:
    """One text field: its weight, per-document lengths (terms) and live average length."""

    name: str
    weight: float
    lengths: np.ndarray
    average: float


def idf(*, doc_freq: int, doc_count: int) -> float:
    """BM25's idf (Lucene's form), never negative."""
    return math.log(1 + (doc_count - doc_freq + 0.5) / (doc_freq + 0.5))


def length_norms(*, fields: Sequence[FieldStats]) -> dict[str, np.ndarray]:
    """Per field and document, ``k1·(1 - b + b·len/avg)``: the denominator's length part (a
    missing length counts as 0, a missing average is taken from the lengths)."""
    norms = {}
    for stats in fields:
        lengths = np.nan_to_num(stats.lengths.astype(np.float32))
        average = stats.average if math.isfinite(stats.average) else float(lengths.mean())
        b = B[stats.name]
        norms[stats.name] = (K1 * (1 - b + b * lengths / (average or 1.0))).astype(np.float32)
    return norms


def saturated(*, tf: np.ndarray, norm: np.ndarray) -> np.ndarray:
    """BM25's term-frequency part ``tf·(k1+1)/(tf + norm)``."""
    return tf * (K1 + 1) / (tf + norm)


def fields_bm25(
    *,
    size: int,
    doc_count: int,
    term_postings: Mapping[str, Mapping[str, Postings]],
    fields: Sequence[FieldStats],
    norms: Mapping[str, np.ndarray],
    scores: np.ndarray | None = None,
) -> np.ndarray:
    """Scores of every docnum: Σ_fields weight·Σ_terms idf_field(term)·saturated(tf), added to
    ``scores`` when given.

    ``term_postings[term][field]`` are the term's postings in that field; each field has its own
    document frequency, as a per-field index does.
    """
    scores = np.zeros(size, dtype=np.float32) if scores is None else scores
    for per_field in term_postings.values():
        for stats in fields:
            ids, tf = per_field.get(stats.name, (None, None))
            if ids is None or not len(ids):
                continue
            weight = stats.weight * idf(doc_freq=len(ids), doc_count=doc_count)
            scores[ids] += weight * saturated(tf=tf, norm=norms[stats.name][ids])
    return scores


def phrase_bm25(
    *,
    size: int,
    doc_count: int,
    occurrences: Mapping[str, Postings],
    doc_freqs: Mapping[str, Sequence[int]],
    fields: Sequence[FieldStats],
    norms: Mapping[str, np.ndarray],
    scores: np.ndarray | None = None,
) -> np.ndarray:
    """Scores of every docnum for a phrase, scored as one term (as a phrase query is): per field,
    weight · the sum of its words' idfs · saturated(how often the phrase occurs there), added
    to ``scores`` when given. ``occurrences[field]``: (docnums, phrase frequencies);
    ``doc_freqs[field]``: each word's."""
    scores = np.zeros(size, dtype=np.float32) if scores is None else scores
    for stats in fields:
        ids, tf = occurrences.get(stats.name, (None, None))
        if ids is None or not len(ids):
            continue
        phrase_idf = sum(idf(doc_freq=f, doc_count=doc_count) for f in doc_freqs[stats.name])
        scores[ids] += stats.weight * phrase_idf * saturated(tf=tf, norm=norms[stats.name][ids])
    return scores


def best_of(*, scores: Sequence[np.ndarray]) -> np.ndarray:
    """An OR's score from its alternatives' (each 0 where it does not match): the best, plus
    OR_TIE_BREAKER times the rest."""
    best = scores[0].copy()
    for other in scores[1:]:
        np.maximum(best, other, out=best)
    if not OR_TIE_BREAKER or len(scores) == 1:
        return best
    return best + OR_TIE_BREAKER * (functools.reduce(np.add, scores) - best)


def pair_count(*, first: Sequence[int], second: Sequence[int]) -> int:
    """How many positions of ``second`` directly follow a position of ``first``."""
    after = {p + 1 for p in first}
    return sum(1 for p in second if p in after)


def proximity_scores(
    *,
    docs: np.ndarray,
    pairs: Sequence[
        Mapping[str, tuple[float, Mapping[int, Sequence[int]], Mapping[int, Sequence[int]]]]
    ],
    fields: Sequence[FieldStats],
    norms: Mapping[str, np.ndarray],
) -> np.ndarray:
    """Bonus of each of ``docs`` for adjacent query-word pairs, scored as phrase terms.

    ``pairs`` holds, per pair of adjacent query words and per field, the pair's idf in that field
    (the sum of its words', as a phrase query has) and the two words' positions by docnum.
    """
    bonus = np.zeros(len(docs), dtype=np.float32)
    doc_list = docs.tolist()
    for per_field in pairs:
        for stats in fields:
            if stats.name not in per_field:
                continue
            pair_idf, first, second = per_field[stats.name]
            counts = np.array(
                [pair_count(first=first.get(d, ()), second=second.get(d, ())) for d in doc_list],
                dtype=np.float32,
            )
            if counts.any():
                weight = PROXIMITY_WEIGHT * stats.weight * pair_idf
                bonus += weight * saturated(tf=counts, norm=norms[stats.name][docs])
    return bonus


def title_split(weights: Mapping[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """The text fields' weights for the whole query (the title's cut to TITLE_PARTIAL_SHARE) and
    for the headline clause (the title's rest, scored only where the title satisfies the query)."""
    whole = dict(weights)
    if "title" not in whole:
        return whole, {}
    title = whole["title"]
    whole["title"] = title * TITLE_PARTIAL_SHARE
    return whole, {"title": title * (1 - TITLE_PARTIAL_SHARE)}


def stub_factors(*, body_lengths: np.ndarray) -> np.ndarray:
    """STUB_FACTOR for bodies shorter than STUB_TERMS terms, 1 otherwise."""
    return np.where(body_lengths < STUB_TERMS, STUB_FACTOR, 1.0).astype(np.float32)


def top(*, candidates: np.ndarray, scores: np.ndarray, limit: int) -> np.ndarray:
    """The ``limit`` ``candidates`` (docnums) with the best ``scores`` (one per candidate), best
    first; ties by docnum, highest first."""
    if limit < len(candidates):
        best = np.argpartition(-scores, limit - 1)[:limit]
        candidates, scores = candidates[best], scores[best]
    return candidates[np.lexsort((-candidates, -scores))]


# --- on the query tree (both engines use these) ----------------------------------------------


def title_only(node: Node, *, field: str = "title") -> Node:
    """``node`` with every word, prefix and phrase restricted to ``field``."""
    if isinstance(node, (Term, Prefix, Phrase)):
        return replace(node, fields=(field,))
    if isinstance(node, (And, Or)):
        return type(node)(tuple(title_only(c, field=field) for c in node.children))
    if isinstance(node, Not):
        return Not(node.child)  # an excluded word stays excluded from every field
    return node


def query_words(node: Node) -> list[str]:
    """The words a query looks for — its words, its phrases' words, every OR alternative's —
    outside NOT parts, each once, in query order (prefixes are left out): those a headline's
    opening rewards."""
    found: dict[str, None] = {}

    def walk(part: Node) -> None:
        if isinstance(part, Term):
            found[part.text] = None
        elif isinstance(part, Phrase):
            found.update(dict.fromkeys(part.terms))
        elif isinstance(part, (And, Or)):
            for child in part.children:
                walk(child)

    walk(node)
    return list(found)


def adjacent_pairs(node: Node) -> list[tuple[str, str]]:
    """Pairs of query words that a proximity boost rewards for standing together: plain words
    of an AND typed next to each other (an actor's alternatives or a NOT between two words
    breaks the pair), outside NOT parts; each pair once. (A phrase needs no boost: it matches
    only where its words stand together.)"""
    found: dict[tuple[str, str], None] = {}

    def walk(part: Node) -> None:
        if isinstance(part, And):
            children = part.children
            found.update(
                dict.fromkeys(
                    (first.text, second.text)
                    for first, second in zip(children, children[1:], strict=False)
                    if isinstance(first, Term) and isinstance(second, Term)
                )
            )
            for child in children:
                walk(child)
        elif isinstance(part, Or):
            for child in part.children:
                walk(child)

    walk(node)
    return list(found)
