"""The query tree, filters, facets and the histogram on one :class:`IndexSnapshot`.

Matching is set algebra on numpy boolean masks; where a phrase of several words occurs is kept per
snapshot, beside the decoded postings. Ordering the matched documents is ``ranking``'s.
"""

from __future__ import annotations

import functools
import math
import time

import numpy as np

from articles import index_fields
from articles.engines.base import (
    AllOf,
    And,
    AnyOf,
    DateRange,
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


def fields_of(node) -> tuple[str, ...]:
    """The text fields a query node searches."""
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
        return _any_field(snap, fields_of(node), node.text)
    if isinstance(node, Prefix):
        mask = np.zeros(snap.size, dtype=bool)
        for term in work.expand(snap, fields_of(node), node.text):
            mask |= _any_field(snap, fields_of(node), term)
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
    for name in fields_of(node):
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
