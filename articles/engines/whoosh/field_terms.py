"""A text field's analysed terms, kept as term ids until the segment is written, then grouped
into postings in a few vector passes (sorts and gathers) instead of per-posting Python.

Each document's terms are appended to one array of term ids (a vocabulary numbers the terms as
they come). At the flush a stable sort by each term's rank in byte order puts every term's
tokens together in (document, position) order, so a posting is a run of equal (term, document)
and its positions are the run's positions: the postings Whoosh's writer makes from
``AnalysedText.index`` for each document, in the order it writes them.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Sequence

import numpy as np

from .schema import single_position
from .term_blocks import Group

CHUNK_TOKENS = 1 << 18  # tokens grouped at a time


class _Vocabulary(dict):
    """term -> id, a new term taking the next id when first looked up."""

    def __missing__(self, term: str) -> int:
        self[term] = found = len(self)
        return found


class FieldTerms:
    """The terms one text field holds in the documents added so far, in document order."""

    def __init__(self) -> None:
        self.vocabulary = _Vocabulary()
        self.term_ids = array("i")
        self.docnums = array("I")  # each document with terms
        self.counts = array("I")  # its number of terms
        self.boosts = array("d")  # its field boost times document boost

    def add(self, *, docnum: int, terms: list[str], boost: float) -> None:
        if terms:
            self.term_ids.extend(map(self.vocabulary.__getitem__, terms))
            self.docnums.append(docnum)
            self.counts.append(len(terms))
            self.boosts.append(boost)

    def __bool__(self) -> bool:
        return bool(self.docnums)

    def groups(
        self, *, field_boost: float, encode: Callable[[Sequence[int]], bytes]
    ) -> Iterator[tuple[bytes, Group]]:
        """(term bytes, its postings) in byte order, each term's postings in docnum order: the
        docnums, the weights (as float32, like the writer's arrays) and the encoded positions
        (``single_position`` for one, else ``encode``). Terms are grouped a range of about
        CHUNK_TOKENS tokens at a time (what is held beside the segment's postings)."""
        words = [word.encode("utf-8") for word in self.vocabulary]
        by_bytes = sorted(range(len(words)), key=words.__getitem__)
        del self.vocabulary
        rank = np.empty(len(words), dtype=np.int32)
        rank[by_bytes] = np.arange(len(words), dtype=np.int32)
        token_rank = rank[np.frombuffer(self.term_ids, dtype=np.int32)]
        del self.term_ids, rank
        counts = np.frombuffer(self.counts, dtype=np.uint32).astype(np.int64)
        token_doc = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
        firsts = np.repeat((np.cumsum(counts) - counts).astype(np.int32), counts)
        position = np.arange(len(token_rank), dtype=np.int32) - firsts
        del firsts
        tokens_to = np.cumsum(np.bincount(token_rank, minlength=len(words)))  # ranks <= r
        low = 0
        while low < len(words):
            below = int(tokens_to[low - 1]) if low else 0
            high = max(int(np.searchsorted(tokens_to, below + CHUNK_TOKENS, "right")), low + 1)
            taken = np.flatnonzero((token_rank >= low) & (token_rank < high))  # document order
            order = taken[np.argsort(token_rank[taken], kind="stable")]
            del taken
            yield from self._grouped(
                words=[words[at] for at in by_bytes[low:high]],
                token_rank=token_rank[order],
                token_doc=token_doc[order],
                position=position[order],
                field_boost=field_boost,
                encode=encode,
            )
            low = high

    def _grouped(
        self,
        *,
        words: list[bytes],
        token_rank: np.ndarray,
        token_doc: np.ndarray,
        position: np.ndarray,
        field_boost: float,
        encode: Callable[[Sequence[int]], bytes],
    ) -> Iterator[tuple[bytes, Group]]:
        """The postings of ``words``, whose tokens are given in (term, document, position)
        order."""
        starts = np.flatnonzero(
            np.concatenate(
                ([True], (token_rank[1:] != token_rank[:-1]) | (token_doc[1:] != token_doc[:-1]))
            )
        )
        freqs = np.diff(np.append(starts, len(token_rank)))
        post_rank, post_doc = token_rank[starts], token_doc[starts]
        del token_rank, token_doc
        values = _values(position=position, starts=starts, freqs=freqs, encode=encode)
        del position
        boosts = np.frombuffer(self.boosts, dtype=np.float64)[post_doc]
        weights = array("f", (freqs * field_boost * boosts).astype(np.float32).tobytes())
        docnums = array("I", np.frombuffer(self.docnums, dtype=np.uint32)[post_doc].tobytes())
        del post_doc, boosts, freqs, starts
        bounds = (np.flatnonzero(np.diff(post_rank)) + 1).tolist()
        for word, first, last in zip(words, [0, *bounds], [*bounds, len(post_rank)], strict=True):
            yield word, (docnums[first:last], weights[first:last], values[first:last])


def _values(
    *,
    position: np.ndarray,
    starts: np.ndarray,
    freqs: np.ndarray,
    encode: Callable[[Sequence[int]], bytes],
) -> list[bytes]:
    """Each posting's encoded positions (its run of ``position`` from its start)."""
    values = np.empty(len(starts), dtype=object)
    once = freqs == 1
    singles = _ints(position[starts[once]])  # an array: its ints made one at a time
    values[once] = np.fromiter(map(single_position, singles), dtype=object, count=len(singles))
    many = np.flatnonzero(~once)
    if len(many):
        lengths = freqs[many]
        ends = np.cumsum(lengths)
        firsts = ends - lengths
        runs = np.arange(int(ends[-1])) - np.repeat(firsts, lengths)
        held = position[np.repeat(starts[many], lengths) + runs].astype(np.int64)
        deltas = np.diff(held, prepend=0)
        deltas[firsts] = held[firsts]  # each posting's first position, absolute
        values[many] = np.fromiter(
            _encoded(deltas=deltas, lengths=lengths, firsts=firsts, encode=encode),
            dtype=object,
            count=len(many),
        )
    return values.tolist()


_LIST_HEAD = np.frombuffer(b"\x80\x02]q\x00(", dtype=np.uint8)  # a pickled list, memo 0, MARK
_BININT1, _BININT2, _BININT, _APPENDS, _STOP = b"KMJe."
PICKLE_BATCH = 1000  # pickle appends a list's items in MARK ... APPENDS runs of this many


def _encoded(
    *,
    deltas: np.ndarray,
    lengths: np.ndarray,
    firsts: np.ndarray,
    encode: Callable[[Sequence[int]], bytes],
) -> Iterator[bytes]:
    """Each posting's positions as ``Positions.encode`` gives them (their count, 4 bytes
    big-endian, and ``pickle.dumps(deltas, 2)``), made for all at once; ``lengths`` (each above
    1) deltas from ``firsts``. A posting of more than PICKLE_BATCH positions is ``encode``d."""
    width = np.where(deltas < 256, 2, np.where(deltas < 65536, 3, 5))
    width_to = np.cumsum(width)
    sizes = 4 + len(_LIST_HEAD) + width_to[firsts + lengths - 1] - width_to[firsts] + width[firsts]
    sizes += 2  # APPENDS, STOP
    at = np.cumsum(sizes) - sizes
    buf = np.zeros(int(sizes.sum()), dtype=np.uint8)
    for byte in range(4):
        buf[at + byte] = lengths >> (24 - 8 * byte) & 255
    buf[at[:, None] + 4 + np.arange(len(_LIST_HEAD))] = _LIST_HEAD
    op_at = np.repeat(at + 4 + len(_LIST_HEAD) - (width_to[firsts] - width[firsts]), lengths)
    op_at += width_to - width
    buf[op_at] = np.where(width == 2, _BININT1, np.where(width == 3, _BININT2, _BININT))
    for byte in range(4):
        wide = width > byte + 1
        buf[op_at[wide] + 1 + byte] = deltas[wide] >> (8 * byte) & 255
    buf[at + sizes - 2] = _APPENDS
    buf[at + sizes - 1] = _STOP
    raw = buf.tobytes()
    for start, size, first, length in zip(
        at.tolist(), sizes.tolist(), firsts.tolist(), lengths.tolist(), strict=True
    ):
        if length > PICKLE_BATCH:
            yield encode(np.cumsum(deltas[first : first + length]).tolist())
        else:
            yield raw[start : start + size]


def _ints(values: np.ndarray) -> array:
    return array("i", values.astype(np.int32).tobytes())
