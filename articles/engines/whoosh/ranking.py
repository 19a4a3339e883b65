"""Ordering a request's matched documents on one :class:`IndexSnapshot`: by relevance or by date.

Relevance is ``articles.engines.scoring`` (BM25 per text field, weighted as ``index_fields``
declares, the headline and opening bonuses, stub damping and phrase-pair proximity on the best
candidates), computed in vector passes over the matched documents only (:class:`Candidates`) and
cut with ``argpartition``.
"""

from __future__ import annotations

import weakref

import numpy as np

from articles import index_fields
from articles.engines.base import And, Filter, Node, Or, Phrase, Prefix, Term

from .. import scoring
from .matching import Work, fields_of, filter_mask, match, phrase_frequencies
from .snapshot import IndexSnapshot


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
                for name in fields_of(node)
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
            terms = work.expand(snap, fields_of(node), node.text)
        wanted = set(fields_of(node))
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
