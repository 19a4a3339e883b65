"""Arrays over one index generation, shared by every thread of the process.

Built once per index change from per-segment arrays (read once per process per segment, so a
commit costs only its new segments): live documents, the pk of each docnum, field lengths, days,
and one (docnum, value code) column per facet. Queries then run on numpy masks and vectorised
BM25 instead of Whoosh's per-document Python loops. Postings, and the term positions phrases
need, are decoded by ``postings`` and kept in bounded LRU caches (per snapshot, and per segment
across snapshots: ``segment_postings``). Whoosh's readers are not thread-safe: every read of
them holds ``self.lock``; the arrays themselves are read-only.
"""

from __future__ import annotations

import datetime
import threading
import time
from dataclasses import dataclass
from functools import partial

import numpy as np
from whoosh import columns
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import _length_byte_cache as _LENGTH_OF_BYTE

from articles import index_fields

from .postings import EMPTY_IDS, EMPTY_WEIGHTS, leaf_postings, positions_of
from .schema import PK
from .segment_postings import ArrayLRU

POSTINGS_CACHE_BYTES = 64 * 2**20  # decoded postings kept per index generation
POSITIONS_KEPT = 100_000  # (term, document) positions kept for proximity ranking
DAY_USECS = 86_400_000_000
EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()


class PrefixTooBroad(Exception):
    """A prefix matches more index terms than a query may expand to, or takes too long."""


def _ordinals(raw) -> np.ndarray:
    """Proleptic day ordinals of DATETIME column values (0 where the column holds no date)."""
    raw = np.asarray(raw, dtype=np.uint64)
    missing = raw >= np.uint64(2**63)
    days = (raw // np.uint64(DAY_USECS)).astype(np.int64) + 1  # datetime.min is ordinal 1
    days[missing] = 0
    return days


@dataclass(frozen=True)
class FacetColumn:
    """One keyword field's values per live document, as parallel arrays sorted by docnum:
    document ``docs[i]`` holds value ``vocab[codes[i]]``; ``starts[d]:starts[d + 1]`` are the
    rows of docnum ``d``. Counting a result set's values is a gather and a ``bincount`` over
    the result's rows, or over the other live documents' rows when those are fewer."""

    vocab: tuple[str, ...]
    docs: np.ndarray  # int64, sorted
    codes: np.ndarray  # int32
    starts: np.ndarray  # int64, one more than the documents
    live: np.ndarray  # the snapshot's live documents
    totals: np.ndarray  # each value's count over every live document
    # one value per document at most (a single-valued field): docnum -> its code, len(vocab)
    # for none; else None
    doc_codes: np.ndarray | None

    def counts(self, mask: np.ndarray, matched: np.ndarray | None = None) -> dict[str, int]:
        """Value -> number of documents of ``mask`` holding it (values they hold only);
        ``matched``: ``np.flatnonzero(mask)`` when the caller has it."""
        matched = np.flatnonzero(mask) if matched is None else matched
        if 2 * len(matched) > len(self.live):  # most documents: count the others, subtract
            found = self.totals - self._bincount(np.flatnonzero(self.live & ~mask))
        else:
            found = self._bincount(matched)
        return {self.vocab[c]: int(found[c]) for c in np.flatnonzero(found)}

    def _bincount(self, docnums: np.ndarray) -> np.ndarray:
        values = len(self.vocab)
        if self.doc_codes is not None:
            return np.bincount(self.doc_codes[docnums], minlength=values + 1)[:values]
        first = self.starts[docnums]
        lengths = self.starts[docnums + 1] - first
        rows = np.repeat(first - np.cumsum(lengths) + lengths, lengths)
        return np.bincount(self.codes[rows + np.arange(len(rows))], minlength=values)


@dataclass(frozen=True)
class SegmentArrays:
    """What one segment gives every snapshot that holds it (read once per process: a segment's
    documents never change, only their deletion)."""

    pks: np.ndarray
    lengths: dict[str, np.ndarray]
    days: np.ndarray
    # field -> its values, and (docnum, value code) rows sorted by docnum
    facets: dict[str, tuple[list[str], np.ndarray, np.ndarray]]

    @classmethod
    def read(cls, leaf) -> SegmentArrays:
        count = leaf.doc_count_all()
        pks = np.zeros(count, dtype=np.int64)
        if leaf.has_column(PK):
            pks[:] = _column(leaf.column_reader(PK, translate=False), count)
        lengths = {name: _lengths(leaf, name, count) for name in index_fields.TEXT_NAMES}
        days = np.zeros(count, dtype=np.int64)
        if leaf.has_column("published_on"):
            days[:] = _ordinals(_column(leaf.column_reader("published_on", translate=False), count))
        facets = {}
        for name in index_fields.FACET_NAMES:
            values = sorted(leaf.field_terms(name))
            docs = [leaf_postings(leaf, name, value)[0] for value in values]
            codes = [np.full(len(ids), n, dtype=np.int32) for n, ids in enumerate(docs)]
            docs = np.concatenate(docs) if docs else EMPTY_IDS
            codes = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int32)
            order = np.argsort(docs, kind="stable")  # by docnum, once per segment
            facets[name] = (values, docs[order], codes[order])
        return cls(pks=pks, lengths=lengths, days=days, facets=facets)


_NUMERIC = {"B": ">u1", "H": ">u2", "I": ">u4", "Q": ">u8"}  # unsigned struct codes, as numpy


def _column(reader, count: int):
    """Every document's value of a numeric column: its fixed-size big-endian values read in one
    piece (Whoosh-Reloaded's ``NumericColumn.Reader``: ``_dbfile``, ``_basepos``, ``_count``,
    ``_typecode``, ``_default`` past ``_count``), else one document at a time."""
    if not isinstance(reader, columns.NumericColumn.Reader) or reader._typecode not in _NUMERIC:
        return [reader[d] for d in range(count)]
    stored = min(reader._count, count)
    raw = reader._dbfile.get(reader._basepos, stored * reader._fixedlen)
    values = np.full(count, reader._default, dtype=np.uint64)
    values[:stored] = np.frombuffer(raw, dtype=_NUMERIC[reader._typecode])
    return values


def _lengths(leaf, name: str, count: int) -> np.ndarray:
    """Each document's length of text field ``name`` as ``doc_field_length`` gives it (None,
    hence NaN, for a length byte 0), from the segment's length column read in one piece."""
    perdoc = getattr(leaf, "_perdoc", None)
    if not hasattr(perdoc, "_cached_reader"):  # not a segment's reader
        return np.array([leaf.doc_field_length(d, name, 0) for d in range(count)], np.float32)
    reader = perdoc._cached_reader(_lenfield(name), LENGTHS_COLUMN)
    if reader is None:
        return np.zeros(count, dtype=np.float32)
    table = np.array(_LENGTH_OF_BYTE, dtype=np.float32)
    table[0] = np.nan
    return table[np.asarray(_column(reader, count), dtype=np.int64)]


def _facet_column(parts: list[tuple[int, tuple[list[str], np.ndarray, np.ndarray]]], live, size):
    """The snapshot's FacetColumn from each segment's (offset, (values, docnums, codes))."""
    vocab = sorted({v for _offset, (values, _d, _c) in parts for v in values})
    code_of = {v: n for n, v in enumerate(vocab)}
    docs, codes = [EMPTY_IDS], [np.zeros(0, dtype=np.int32)]
    for offset, (values, local_docs, local_codes) in parts:
        if values:
            docs.append(local_docs + offset)
            codes.append(np.array([code_of[v] for v in values], dtype=np.int32)[local_codes])
    docs, codes = np.concatenate(docs), np.concatenate(codes)  # sorted: segments in order
    keep = live[docs]
    docs, codes = docs[keep], codes[keep]
    starts = np.searchsorted(docs, np.arange(size + 1))
    totals = np.bincount(codes, minlength=len(vocab))
    doc_codes = None
    if not (np.diff(docs) == 0).any():  # a value per document at most (docs are sorted)
        doc_codes = np.full(size, len(vocab), dtype=np.int32)
        doc_codes[docs] = codes
    for array in (docs, codes, starts, totals, doc_codes):
        if array is not None:
            array.setflags(write=False)
    return FacetColumn(
        vocab=tuple(vocab),
        docs=docs,
        codes=codes,
        starts=starts,
        live=live,
        totals=totals,
        doc_codes=doc_codes,
    )


def _joined(parts: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


class IndexSnapshot:
    """One searcher generation as arrays; ``key`` says which (directory, generation) it is.

    ``segments`` (segment id -> SegmentArrays) is the process's cache of segment arrays, and
    ``postings`` its decoded postings per segment: a commit reads only the segments it wrote,
    so a new generation is searchable quickly and the terms asked before stay decoded.
    """

    def __init__(
        self,
        searcher,
        *,
        key,
        segments: dict | None = None,
        postings: ArrayLRU | None = None,
    ) -> None:
        self.searcher = searcher
        self._segment_postings = ArrayLRU() if postings is None else postings
        self.key = key
        self.lock = threading.RLock()
        self.size = searcher.doc_count_all()
        self._cache = ArrayLRU(max_bytes=POSTINGS_CACHE_BYTES)
        self._positions: dict[tuple[str, str], dict[int, list[int] | None]] = {}
        self._positions_count = 0
        self._all_counts: dict[str, dict[str, int]] = {}
        self.leaves = list(searcher.reader().leaf_readers())
        segments = {} if segments is None else segments
        arrays = []
        self.segment_ids: set[str] = set()
        self._leaf_ids: list[str | None] = []  # each leaf's segment id
        self.live = np.ones(self.size, dtype=bool)
        for leaf, offset in self.leaves:
            segment = leaf.segment()  # None: an empty index's reader
            self._leaf_ids.append(segment and segment.segment_id())
            if segment is None:
                arrays.append(SegmentArrays.read(leaf))
                continue
            key = segment.segment_id()
            if key not in segments:
                segments[key] = SegmentArrays.read(leaf)
            arrays.append(segments[key])
            self.segment_ids.add(key)
            if segment.has_deletions():
                self.live[np.fromiter(segment.deleted_docs(), dtype=np.int64) + offset] = False
        self.pks = _joined([a.pks for a in arrays], np.int64)
        self.lengths = {
            name: _joined([a.lengths[name] for a in arrays], np.float32)
            for name in index_fields.TEXT_NAMES
        }
        self.days = _joined([a.days for a in arrays], np.int64)  # day ordinal, 0: none
        self.doc_count = int(self.live.sum())
        self.avg_lengths = {
            name: float(lengths[self.live].mean()) if self.doc_count else 1.0
            for name, lengths in self.lengths.items()
        }
        offsets = [offset for _leaf, offset in self.leaves]
        self.facets = {
            name: _facet_column(
                [(o, a.facets[name]) for o, a in zip(offsets, arrays, strict=True)],
                self.live,
                self.size,
            )
            for name in index_fields.FACET_NAMES
        }
        self.has_date = self.live & (self.days > 0)
        self._periods: dict[str, np.ndarray] = {}
        self._pk_order = np.argsort(self.pks[self.live])
        self._live_docnums = np.flatnonzero(self.live)

    def all_counts(self, fieldname: str) -> dict[str, int]:
        """Value counts of a facet over every live document, once per snapshot."""
        with self.lock:
            if fieldname not in self._all_counts:
                column = self.facets.get(fieldname)
                self._all_counts[fieldname] = column.counts(self.live) if column else {}
            return dict(self._all_counts[fieldname])

    def periods(self, unit: str) -> np.ndarray:
        """Each document's published day as a numpy datetime64 ``unit`` count (``D``, ``M``,
        ``Y``; meaningless where ``has_date`` is False), once per snapshot."""
        with self.lock:
            found = self._periods.get(unit)
            if found is None:
                days = (self.days - EPOCH_ORDINAL).astype("datetime64[D]")
                found = self._periods[unit] = days.astype(f"datetime64[{unit}]").astype(np.int64)
                found.setflags(write=False)
            return found

    def postings(self, fieldname: str, text: str):
        """Global docnums (live only) and weights of a term, from a bounded LRU cache: a term
        researchers keep asking for is decoded once per index generation, not per request."""
        return self._cached((fieldname, text), lambda: self._decode(fieldname, text))

    def occurrences(self, fieldname: str, text: str):
        """Every occurrence of a term in live documents as two arrays, docnum and position
        (phrase matching), from the same LRU cache as the postings."""
        return self._cached(
            ("positions", fieldname, text), lambda: self._decode_positions(fieldname, text)
        )

    def cached(self, key: tuple, compute) -> tuple[np.ndarray, ...]:
        """``compute()`` (read-only arrays that depend on this generation only, e.g. where a
        phrase occurs), kept in the same LRU as the decoded postings under ``key``."""
        return self._cached(key, compute)

    def _cached(self, key: tuple, decode) -> tuple[np.ndarray, np.ndarray]:
        with self.lock:  # decode() reads Whoosh's readers
            return self._cache.get(key, decode)

    def _in_segments(self, kind: str, fieldname: str, text: str, decode) -> list:
        """``decode(leaf)`` of every leaf with its offset, from the per-segment cache."""
        found = []
        for (leaf, offset), segment_id in zip(self.leaves, self._leaf_ids, strict=True):
            if segment_id is None:
                found.append((decode(leaf), offset))
            else:
                key = (segment_id, kind, fieldname, text)
                found.append((self._segment_postings.get(key, partial(decode, leaf)), offset))
        return found

    def _decode_positions(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        decode = self.searcher.schema[fieldname].format.decode_positions

        def occurrences(leaf) -> tuple[np.ndarray, np.ndarray]:
            ids, _weights, values = leaf_postings(leaf, fieldname, text, values=True)
            positions, counts = positions_of(values, decode)
            return np.repeat(ids, counts), positions

        docs, positions = [EMPTY_IDS], [EMPTY_IDS]
        for (local, found), offset in self._in_segments("positions", fieldname, text, occurrences):
            keep = self.live[local + offset]
            docs.append(local[keep] + offset)
            positions.append(found[keep])
        return np.concatenate(docs), np.concatenate(positions)

    def positions_in(self, fieldname: str, text: str, docs: set[int]) -> dict[int, list[int]]:
        """Docnum -> positions of a term in a few ``docs`` (proximity ranking): the matcher skips
        to each one instead of decoding the whole posting list, and what it read is kept (up to
        POSITIONS_KEPT documents per snapshot) for the next query ranking the same articles."""
        with self.lock:
            known = self._positions.setdefault((fieldname, text), {})
            missing = [d for d in docs if d not in known]
            if missing:
                found = self._skip_to_positions(fieldname, text, missing)
                known.update((d, found.get(d)) for d in missing)
                self._positions_count += len(missing)
                if self._positions_count > POSITIONS_KEPT:
                    self._positions = {(fieldname, text): known}
                    self._positions_count = len(known)
            return {d: known[d] for d in docs if known[d] is not None}

    def _skip_to_positions(self, fieldname: str, text: str, docs: list[int]) -> dict:
        found: dict[int, list[int]] = {}
        for leaf, offset in self.leaves:
            wanted = sorted(d - offset for d in docs if offset <= d < offset + leaf.doc_count_all())
            if not wanted:
                continue
            try:
                matcher = leaf.postings(fieldname, text)
            except TermNotFound:
                continue
            for local in wanted:
                if not matcher.is_active():
                    break
                if matcher.id() < local:
                    matcher.skip_to(local)
                if matcher.is_active() and matcher.id() == local:
                    found[local + offset] = matcher.value_as("positions")
        return found

    def _decode(self, fieldname: str, text: str):
        def postings(leaf) -> tuple[np.ndarray, np.ndarray]:
            ids, weights, _values = leaf_postings(leaf, fieldname, text)
            return ids, weights

        parts = [
            (ids + offset, weights)
            for (ids, weights), offset in self._in_segments("postings", fieldname, text, postings)
        ]
        if not parts:
            return EMPTY_IDS.copy(), EMPTY_WEIGHTS.copy()
        ids = np.concatenate([p[0] for p in parts])
        weights = np.concatenate([p[1] for p in parts])
        keep = self.live[ids]
        return ids[keep], weights[keep]

    def term_mask(self, fieldname: str, text: str) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        mask[self.postings(fieldname, text)[0]] = True
        return mask

    def terms_between(self, fieldname: str, start: str, end: str) -> list[str]:
        """Indexed terms of a keyword field within [start, end] (ISO days sort as text)."""
        with self.lock:
            found = set()
            for leaf, _o in self.leaves:
                for term in leaf.field_terms(fieldname):
                    if start <= term <= end:
                        found.add(term)
            return sorted(found)

    def expand_prefix(self, fieldnames, prefix: str, *, limit: int, deadline: float) -> list[str]:
        """Terms starting with ``prefix`` in these fields; PrefixTooBroad past ``limit`` terms or
        the ``deadline`` (time.monotonic()): a short prefix must not walk the whole lexicon."""
        terms: set[str] = set()
        with self.lock:
            for fieldname in fieldnames:
                for leaf, _o in self.leaves:
                    for n, term in enumerate(leaf.expand_prefix(fieldname, prefix)):
                        terms.add(term.decode("utf-8") if isinstance(term, bytes) else term)
                        if len(terms) > limit or (not n % 256 and time.monotonic() > deadline):
                            raise PrefixTooBroad(prefix)
        return sorted(terms)

    def frequency(self, fieldname: str, text: str) -> int:
        with self.lock:
            return self.searcher.reader().doc_frequency(fieldname, text)

    def docnums_of(self, pks: list[int]) -> np.ndarray:
        """Docnums of live documents with these pks."""
        live_pks = self.pks[self._live_docnums][self._pk_order]
        where = np.searchsorted(live_pks, pks)
        where = np.clip(where, 0, max(len(live_pks) - 1, 0))
        if not len(live_pks):
            return EMPTY_IDS
        hit = live_pks[where] == np.asarray(pks)
        return self._live_docnums[self._pk_order[where[hit]]]

    @staticmethod
    def ordinal(day: datetime.date) -> int:
        return day.toordinal()
