"""The query tree, filters, ranking, facets and the histogram on one :class:`IndexSnapshot`.

Matching is set algebra on numpy boolean masks; ranking is ``articles.engines.scoring`` (BM25 per
text field, weighted as ``index_fields`` declares, the headline and opening bonuses, stub damping and
phrase-pair proximity on the best candidates), computed in vector passes over the matched documents only
(:class:`Candidates`) and cut with ``argpartition``. Where a phrase of several words occurs is
kept per snapshot, beside the decoded postings.
"""

from __future__ import annotations

import functools
import math
import time
import weakref

import numpy as np

from articles import index_fields
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
    QueryTooBroad,
    SearchRequest,
    Term,
)

from .. import scoring
from .snapshot import IndexSnapshot, PrefixTooBroad

HISTOGRAM_SPAN = 100_000  # periods counted with one bincount (past it: np.unique)
EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_COUNTS = np.zeros(0, dtype=np.float32)


class Work:
    """One request's time budget and the prefix expansions made so far."""

    def __init__(self, request: SearchRequest) -> None:
        budget = request.budget_s
        self.deadline = math.inf if budget is None else time.monotonic() + budget
        self.max_prefix_terms = request.max_prefix_terms
        self.prefixes: dict[tuple[tuple[str, ...], str], list[str]] = {}
        self.masks: dict[Node, np.ndarray] = {}  # what each node matched (read-only arrays)
        self.phrases: dict[Phrase, dict] = {}  # where each phrase occurs, per field

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise QueryTooBroad("time budget")

    def expand(self, snap: IndexSnapshot, fields: tuple[str, ...], prefix: str) -> list[str]:
        key = (fields, prefix)
        if key not in self.prefixes:
            try:
                self.prefixes[key] = snap.expand_prefix(
                    fields, prefix, limit=self.max_prefix_terms, deadline=self.deadline
                )
            except PrefixTooBroad as exc:
                raise QueryTooBroad(prefix) from exc
        return self.prefixes[key]


def _fields(node) -> tuple[str, ...]:
    return node.fields or index_fields.TEXT_NAMES


def match(node: Node, snap: IndexSnapshot, work: Work) -> np.ndarray:
    """Boolean mask of the documents ``node`` matches (once per request and node: the caller
    must not change it)."""
    found = work.masks.get(node)
    if found is None:
        found = work.masks[node] = _match(node, snap, work)
    return found


def _match(node: Node, snap: IndexSnapshot, work: Work) -> np.ndarray:
    work.check()
    if isinstance(node, MatchAll):
        return snap.live.copy()
    if isinstance(node, Term):
        return _any_field(snap, _fields(node), node.text)
    if isinstance(node, Prefix):
        mask = np.zeros(snap.size, dtype=bool)
        for term in work.expand(snap, _fields(node), node.text):
            mask |= _any_field(snap, _fields(node), term)
            work.check()
        return mask
    if isinstance(node, Phrase):
        return _phrase(snap, node, work)
    if isinstance(node, And):
        positive = [c for c in node.children if not isinstance(c, Not)]
        mask = (
            functools.reduce(np.logical_and, (match(c, snap, work) for c in positive))
            if positive
            else snap.live.copy()
        )
        for child in node.children:
            if isinstance(child, Not):
                mask = mask & ~match(child.child, snap, work)
        return mask
    if isinstance(node, Or):
        return functools.reduce(np.logical_or, (match(c, snap, work) for c in node.children))
    if isinstance(node, Not):
        return snap.live & ~match(node.child, snap, work)
    raise TypeError(f"not a query node: {node!r}")


def _any_field(snap: IndexSnapshot, fields: tuple[str, ...], term: str) -> np.ndarray:
    mask = np.zeros(snap.size, dtype=bool)
    for name in fields:
        mask[snap.postings(name, term)[0]] = True
    return mask


POSITION_STRIDE = 1 << 32  # docnum * stride + position: one sortable key per occurrence


def _phrase(snap: IndexSnapshot, node: Phrase, work: Work) -> np.ndarray:
    """Documents with the terms at consecutive positions within one text field."""
    result = np.zeros(snap.size, dtype=bool)
    for docs, _counts in phrase_frequencies(snap, node, work).values():
        result[docs] = True
    return result


def phrase_frequencies(
    snap: IndexSnapshot, node: Phrase, work: Work
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per text field, the docnums where the phrase occurs and how often (once per request
    and phrase; a phrase of several words once per snapshot, in its LRU)."""
    found = work.phrases.get(node)
    if found is not None:
        return found
    found = {}
    for name in _fields(node):
        if len(node.terms) < 2:
            docs, counts = snap.postings(name, node.terms[0])
        else:
            docs, counts = snap.cached(
                ("phrase", name, node.terms),
                functools.partial(_phrase_in_field, snap, name, node.terms, work),
            )
        if len(docs):
            found[name] = (docs, counts)
    work.phrases[node] = found
    return found


def _phrase_in_field(
    snap: IndexSnapshot, name: str, terms: tuple[str, ...], work: Work
) -> tuple[np.ndarray, np.ndarray]:
    """The docnums where ``terms`` stand at consecutive positions of field ``name`` and how
    often: the keys (docnum, position - i) of each i-th term's occurrences (sorted, as the
    occurrences are), intersected."""
    mask = functools.reduce(np.logical_and, (snap.term_mask(name, term) for term in terms))
    if not mask.any():
        return EMPTY_IDS, EMPTY_COUNTS
    count = len(terms)
    starts = None
    for i, term in enumerate(terms):
        docs, positions = snap.occurrences(name, term)
        keep = mask[docs]
        keys = docs[keep] * POSITION_STRIDE + (positions[keep] + count - i)
        starts = keys if starts is None else _common(starts, keys)
        work.check()
        if not len(starts):
            return EMPTY_IDS, EMPTY_COUNTS
    where = starts // POSITION_STRIDE  # sorted: each document's starts are one block
    firsts = np.flatnonzero(np.r_[True, where[1:] != where[:-1]])
    counts = np.diff(np.r_[firsts, len(where)]).astype(np.float32)
    return where[firsts], counts


def _common(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The values in both sorted arrays of distinct keys (a binary search of the shorter one's
    values in the longer: no concatenation, no sort)."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return a
    where = np.minimum(np.searchsorted(b, a), len(b) - 1)
    return a[b[where] == a]


def filter_mask(filters, snap: IndexSnapshot) -> np.ndarray:
    mask = snap.live.copy()
    for found in filters:
        if isinstance(found, AnyOf):
            mask &= _keyword(snap, found)
        elif isinstance(found, AllOf):
            for value in found.values:
                mask &= _keyword(snap, AnyOf(found.field, (value,)))
        elif isinstance(found, DateRange):
            mask &= _date_range(snap, found)
    return mask


def _keyword(snap: IndexSnapshot, found: AnyOf) -> np.ndarray:
    either = np.zeros(snap.size, dtype=bool)
    for value in found.values:
        either[snap.postings(found.field, value)[0]] = True
    return either


def _date_range(snap: IndexSnapshot, found: DateRange) -> np.ndarray:
    if not index_fields.date_field(found.field).multi:
        mask = snap.has_date.copy()
        if found.start:
            mask &= snap.days >= found.start.toordinal()
        if found.end:
            mask &= snap.days <= found.end.toordinal()
        return mask
    start = found.start.isoformat() if found.start else "0000-00-00"
    end = found.end.isoformat() if found.end else "9999-99-99"
    mask = np.zeros(snap.size, dtype=bool)
    for day in snap.terms_between(found.field, start, end):
        mask |= snap.term_mask(found.field, day)
    return mask


class Candidates:
    """Where a request's scores are kept: one slot per matched document (in docnum order) and
    one last slot that takes every other document's share, so a term's postings keep their
    length (its document frequency) and nothing is computed over the whole index."""

    def __init__(self, snap: IndexSnapshot, docnums: np.ndarray) -> None:
        self.docnums = docnums
        self.size = len(docnums) + 1
        self._slot = np.full(snap.size, len(docnums), dtype=np.int32)
        self._slot[docnums] = np.arange(len(docnums), dtype=np.int32)

    def slots(self, docnums: np.ndarray) -> np.ndarray:
        return self._slot[docnums]

    def postings(self, found: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, values) with each docnum as its slot."""
        return self._slot[found[0]], found[1]

    def take(self, per_doc: np.ndarray, rest=0) -> np.ndarray:
        """The candidates' values of a per-docnum array, ``rest`` in the last slot."""
        return np.append(per_doc[self.docnums], np.asarray(rest, dtype=per_doc.dtype))


def add_scores(
    node: Node,
    snap: IndexSnapshot,
    work: Work,
    *,
    space: Candidates,
    fields,
    norms,
    scores: np.ndarray,
) -> None:
    """Add to ``scores`` (one per slot of ``space``; ``norms`` too) the relevance of ``node``:
    BM25 per text field of each word and prefix expansion (``scoring.fields_bm25``) and of each
    phrase as one term (``scoring.phrase_bm25``), summed over an AND's parts, the best of an
    OR's alternatives (``scoring.best_of``: each alternative where it matches); NOT parts add
    nothing."""
    work.check()
    common = {"size": space.size, "doc_count": snap.doc_count, "norms": norms, "scores": scores}
    if isinstance(node, Phrase) and len(node.terms) > 1:
        scoring.phrase_bm25(
            occurrences={
                name: space.postings(found)
                for name, found in phrase_frequencies(snap, node, work).items()
            },
            doc_freqs={
                name: [len(snap.postings(name, term)[0]) for term in node.terms]
                for name in _fields(node)
            },
            fields=fields,
            **common,
        )
    elif isinstance(node, (Term, Phrase, Prefix)):
        if isinstance(node, Term):
            terms = [node.text]
        elif isinstance(node, Phrase):
            terms = list(node.terms)
        else:
            terms = work.expand(snap, _fields(node), node.text)
        wanted = set(_fields(node))
        scoring.fields_bm25(
            term_postings={
                t: {n: space.postings(snap.postings(n, t)) for n in wanted} for t in terms
            },
            fields=[f for f in fields if f.name in wanted],
            **common,
        )
    elif isinstance(node, And):
        for child in node.children:
            add_scores(child, snap, work, space=space, fields=fields, norms=norms, scores=scores)
    elif isinstance(node, Or):
        parts = []
        for child in node.children:
            part = np.zeros(space.size, dtype=np.float32)
            add_scores(child, snap, work, space=space, fields=fields, norms=norms, scores=part)
            if not isinstance(child, Term):  # a word scores only where it is; the rest may not
                part *= space.take(match(child, snap, work), False)
            parts.append(part)
        scores += scoring.best_of(scores=parts)


def ranked(
    snap: IndexSnapshot,
    mask,
    *,
    node: Node,
    work: Work,
    limit: int,
    boosts: tuple[Filter, ...] = (),
) -> np.ndarray:
    """Top ``limit`` docnums and scores by ``articles.engines.scoring`` (ties: newer first),
    scored on the matched documents only (``Candidates``)."""

    def stats(weights) -> list[scoring.FieldStats]:
        return [
            scoring.FieldStats(name, weight, snap.lengths[name], snap.avg_lengths[name])
            for name, weight in weights.items()
        ]

    fields = stats(index_fields.WEIGHTS)
    norms, stub = _length_parts(snap, fields)
    whole, headline_weights = scoring.title_split(index_fields.WEIGHTS)
    candidates = np.flatnonzero(mask)
    space = Candidates(snap, candidates)
    slot_norms = {name: space.take(norm, 1.0) for name, norm in norms.items()}
    scores = np.zeros(space.size, dtype=np.float32)
    add_scores(node, snap, work, space=space, fields=stats(whole), norms=slot_norms, scores=scores)
    headline = scoring.title_only(node)
    in_title = space.take(match(headline, snap, work))
    if any(headline_weights.values()):
        part = np.zeros(space.size, dtype=np.float32)
        add_scores(
            headline,
            snap,
            work,
            space=space,
            fields=stats(headline_weights),
            norms=slot_norms,
            scores=part,
        )
        scores += part * in_title
    scores += scoring.TITLE_MATCH_BONUS * in_title
    for boost in boosts:
        scores += scoring.BOOST_BONUS * space.take(filter_mask((boost,), snap))
    if scoring.TITLE_OPENING_BONUS and "title" in index_fields.WEIGHTS:
        opening = _title_opening(snap, scoring.query_words(node))
        scores += scoring.TITLE_OPENING_BONUS * space.take(opening)
    depth = max(limit, scoring.RERANK_DEPTH)
    best = scoring.top(candidates=candidates, scores=scores[:-1] * stub[candidates], limit=depth)
    pairs = scoring.adjacent_pairs(node)
    if pairs and len(best):
        head = best[: scoring.RERANK_DEPTH]
        wanted, decoded = set(head.tolist()), {}
        bonus = scoring.proximity_scores(
            docs=head,
            pairs=[_pair_positions(snap, pair, wanted, decoded) for pair in pairs],
            fields=fields,
            norms=norms,
        )
        work.check()
        final = (scores[space.slots(head)] + bonus) * stub[head]
        order = np.lexsort((-head, -final))
        best = np.concatenate([head[order], best[scoring.RERANK_DEPTH :]])
        scores[space.slots(head)] += bonus
    best = best[:limit]
    return best, scores[space.slots(best)] * stub[best]


def _title_opening(snap: IndexSnapshot, words: list[str]) -> np.ndarray:
    """Mask of the documents whose title holds one of ``words`` among its first
    TITLE_OPENING_TERMS terms (every occurrence in titles, from the snapshot's LRU)."""
    mask = np.zeros(snap.size, dtype=bool)
    for word in words:
        docs, positions = snap.occurrences("title", word)
        mask[docs[positions < scoring.TITLE_OPENING_TERMS]] = True
    return mask


_LENGTH_PARTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _length_parts(snap: IndexSnapshot, fields) -> tuple[dict, np.ndarray]:
    """BM25's length norms per field and the stub factors, once per snapshot (read-only)."""
    found = _LENGTH_PARTS.get(snap)
    if found is None:
        found = (
            scoring.length_norms(fields=fields),
            scoring.stub_factors(body_lengths=snap.lengths["body"]),
        )
        _LENGTH_PARTS[snap] = found
    return found


def _pair_positions(
    snap: IndexSnapshot, pair: tuple[str, str], docs: set[int], decoded: dict
) -> dict:
    """Per text field: the pair's idf (its words' summed) and both words' positions in ``docs``
    (``decoded``: positions already read for this request, by field and term)."""
    found = {}
    for name in index_fields.PROXIMITY_NAMES:
        frequencies = [len(snap.postings(name, term)[0]) for term in pair]
        if not all(frequencies):
            continue
        pair_idf = sum(scoring.idf(doc_freq=f, doc_count=snap.doc_count) for f in frequencies)
        for term in pair:
            if (name, term) not in decoded:
                decoded[name, term] = snap.positions_in(name, term, docs)
        first, second = (decoded[name, term] for term in pair)
        found[name] = (pair_idf, first, second)
    return found


def by_date(snap: IndexSnapshot, mask, *, newest_first: bool, limit: int) -> np.ndarray:
    """Docnums by published day (undated last), ties by docnum in the same direction."""
    candidates = np.flatnonzero(mask)
    if newest_first:
        days = np.where(snap.has_date[candidates], snap.days[candidates], -1)
        order = np.lexsort((-candidates, -days))
    else:
        days = np.where(snap.has_date[candidates], snap.days[candidates], np.iinfo(np.int64).max)
        order = np.lexsort((candidates, days))
    return candidates[order][:limit]


def facet_counts(snap: IndexSnapshot, mask, names, *, everything: bool = False) -> dict:
    """Value counts of ``mask`` per facet; ``everything``: the mask is every live document,
    whose counts the snapshot keeps (browsing, and the actor offers' unfiltered counts)."""
    if everything:
        return {name: snap.all_counts(name) for name in names}
    matched = np.flatnonzero(mask) if names else None
    return {
        name: snap.facets[name].counts(mask, matched) if name in snap.facets else {}
        for name in names
    }


def histogram(snap: IndexSnapshot, mask, *, interval: str) -> list[tuple[str, int]]:
    """(period, count) of the matched documents' published days, in time order."""
    unit = {"day": "D", "month": "M", "year": "Y"}[interval]
    periods = snap.periods(unit)[mask & snap.has_date]
    if not len(periods):
        return []
    first = int(periods.min())
    if int(periods.max()) - first > HISTOGRAM_SPAN:  # a stray far date: sort instead
        values, counts = np.unique(periods, return_counts=True)
    else:  # a count per period of the span, no sort
        counts = np.bincount(periods - first)
        values = np.flatnonzero(counts)
        counts, values = counts[values], values + first
    return [(str(np.datetime64(int(v), unit)), int(c)) for v, c in zip(values, counts, strict=True)]
