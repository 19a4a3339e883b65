"""A field's terms written as W3 postings blocks and terms-table rows, the bytes W3FieldWriter's
start_term / add per posting / finish_term write (the same blocks, statistics and hash table
entries), in one pass per block and buffered writes.

Terms are taken a batch of about BATCH_POSTINGS postings at a time: each block's statistics
(its last id, top weight, shortest and longest field, whether its weights are all one value),
each term's totals and its terms-table row are computed for the whole batch in vector passes;
only the two pickles of each block are made one at a time.
"""

from __future__ import annotations

import pickle
import struct
import zlib
from array import array
from collections.abc import Iterable, Iterator

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.system import pack_int
from whoosh.util.numeric import _length_byte_cache

Group = tuple[array, array, list]  # docnums, weights, encoded values of one term


def empty_group() -> Group:
    return (array("I"), array("f"), [])


ROW_LENGTHS = struct.Struct("!ii")  # before each key and value of a hash file (filetables)
FLUSH_PIECES = 30_000  # pieces of postings buffered between writes
BATCH_POSTINGS = 1 << 16  # postings whose statistics are computed together
# a terms-table row: W3TermInfo's struct ("!BfIBBfII"), then the postings' offset and length
ROW = np.dtype(
    [
        ("inlined", "u1"),
        ("weight", ">f4"),
        ("docs", ">u4"),
        ("min_length", "u1"),
        ("max_length", "u1"),
        ("max_weight", ">f4"),
        ("min_id", ">u4"),
        ("max_id", ">u4"),
        ("offset", ">i8"),
        ("length", ">i4"),
    ]
)
assert ROW.itemsize == W3TermInfo._struct.size + 12
_LENGTH_BYTES = np.asarray(_length_byte_cache, dtype=np.int64)
_NO_LENGTH = np.iinfo(np.int64).max


def _length_bytes(lengths: np.ndarray) -> np.ndarray:
    """``length_to_byte`` of each length (_NO_LENGTH standing for None: 0)."""
    found = np.where(lengths >= 106374, 255, np.searchsorted(_LENGTH_BYTES, lengths, "left"))
    return np.where(lengths == _NO_LENGTH, 0, found)


def _batches(terms: Iterable[tuple[bytes, Group]]) -> Iterator[tuple[list[bytes], list, Group]]:
    """(term bytes, each term's posting count, all their postings joined) of about
    BATCH_POSTINGS postings each."""
    words: list[bytes] = []
    counts: list[int] = []
    joined = empty_group()
    for btext, (docnums, weights, values) in terms:
        words.append(btext)
        counts.append(len(docnums))
        joined[0].extend(docnums)
        joined[1].extend(weights)
        joined[2].extend(values)
        if len(joined[2]) >= BATCH_POSTINGS:
            yield words, counts, joined
            words, counts, joined = [], [], empty_group()
    if words:
        yield words, counts, joined


def write_field_terms(fieldwriter, terms: Iterable[tuple[bytes, Group]], lengths) -> None:
    """Write ``terms`` (term bytes and postings, in order) as the open field's; ``lengths``:
    each document's length in this field (None: not scorable)."""
    postwriter = fieldwriter._postwriter
    if postwriter._inlinelimit > 1:
        raise NotImplementedError("inlined postings are not written here")
    limit, compression = postwriter._blocklimit, postwriter._compression
    fixed_size = fieldwriter._format.fixed_value_size()
    field_key = struct.pack("!H", fieldwriter._fieldid)
    postfile, tindex = fieldwriter._postfile, fieldwriter._tindex
    hashfn, buckets, index_append = tindex.hashfn, tindex.buckets, tindex.index.append
    doc_lengths = np.asarray([n or 0 for n in lengths], dtype=np.int64) if lengths else None
    post_at, row_at = postfile.tell(), tindex.dbfile.tell()
    posts: list[bytes] = []
    rows: list[bytes] = []
    last_key = tindex.lastkey
    for words, counts, (docnums, weights, values) in _batches(terms):
        term_counts = np.asarray(counts, dtype=np.int64)
        ids = np.frombuffer(docnums, dtype=np.uint32).astype(np.int64)
        floats = np.frombuffer(weights, dtype=np.float32)
        term_first = np.cumsum(term_counts) - term_counts
        blocks_of = -(-term_counts // limit)
        block_term = np.repeat(np.arange(len(words)), blocks_of)
        term_block = np.cumsum(blocks_of) - blocks_of  # each term's first block
        starts = term_first[block_term] + limit * (
            np.arange(len(block_term)) - term_block[block_term]
        )
        ends = np.minimum(starts + limit, (term_first + term_counts)[block_term])
        tops = np.maximum.reduceat(floats, starts)
        same = np.minimum.reduceat(floats, starts) == tops  # every weight of the block one value
        if doc_lengths is not None:
            found = doc_lengths[ids]
            shortest = np.minimum.reduceat(np.where(found > 0, found, _NO_LENGTH), starts)
            longest = np.maximum.reduceat(found, starts)
        else:
            shortest = np.full(len(starts), _NO_LENGTH)
            longest = np.zeros(len(starts), dtype=np.int64)
        whole = floats.astype(np.float64)
        if (whole == np.floor(whole)).all() and np.abs(whole).sum() < 2**53:
            totals = np.add.reduceat(whole, term_first)  # whole numbers: exact in any order
        else:  # added in the order the writer adds them: each block's sum, then the blocks
            totals = np.zeros(len(words))
            for block, (a, b) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
                totals[block_term[block]] += sum(weights[a:b])
        block_info = zip(
            (ends - starts).tolist(),
            ids[ends - 1].tolist(),
            tops.tolist(),
            _length_bytes(shortest).tolist(),
            _length_bytes(longest).tolist(),
            strict=True,
        )
        # each term's statistics over its blocks
        rows_of = np.zeros(len(words), dtype=ROW)
        rows_of["weight"] = totals
        rows_of["docs"] = term_counts
        term_shortest = np.minimum.reduceat(shortest, term_block)
        rows_of["min_length"] = _length_bytes(term_shortest)
        rows_of["max_length"] = _length_bytes(np.maximum.reduceat(longest, term_block))
        rows_of["max_weight"] = np.maximum(np.maximum.reduceat(tops, term_block), 0)
        rows_of["min_id"] = ids[term_first]
        rows_of["max_id"] = ids[term_first + term_counts - 1]
        deltas = np.diff(ids, prepend=0)
        deltas[starts] = ids[starts]  # a block's first id absolute
        deltas = deltas.tolist()
        floats = floats.tolist()
        heads = same.tolist()
        if fixed_size == 0:
            values = None
        every_value = values is not None and all(values)  # none empty: no filtering
        block_at = 0
        extents = []
        for term_blocks in blocks_of.tolist():
            term_start = post_at
            for block in range(block_at, block_at + term_blocks):
                a, b = int(starts[block]), int(ends[block])
                head = floats[a]
                if heads[block]:
                    mini_weights = None if head == 1.0 else head
                else:
                    mini_weights = tuple(floats[a:b])
                if values is None:
                    mini_values = None
                elif every_value and (fixed_size is None or fixed_size < 0):
                    mini_values = tuple(values[a:b])
                elif fixed_size is None or fixed_size < 0:
                    mini_values = tuple(value for value in values[a:b] if value)
                else:
                    mini_values = b"".join(value for value in values[a:b] if value)
                data = pickle.dumps((tuple(deltas[a:b]), mini_weights, mini_values), 2)
                if compression:
                    data = zlib.compress(data, compression)
                count, last, top, short, long_ = next(block_info)
                info = pickle.dumps(
                    (count, last, top if top > 0 else 0, compression, short, long_), 2
                )
                size = len(info) + len(data)
                if block == block_at:  # a term's postings begin with the header
                    posts.append(WHOOSH3_HEADER_MAGIC)
                    post_at += len(WHOOSH3_HEADER_MAGIC)
                last_block = block == block_at + term_blocks - 1
                posts += (pack_int(-size if last_block else size), info, data)
                post_at += 4 + size
            block_at += term_blocks
            extents.append((term_start, post_at - term_start))
            if len(posts) > FLUSH_PIECES:
                postfile.write(b"".join(posts))
                posts.clear()
        rows_of["offset"], rows_of["length"] = np.asarray(extents, dtype=np.int64).T
        row_bytes = rows_of.tobytes()
        for n, btext in enumerate(words):
            key = field_key + btext
            if key <= last_key:
                raise ValueError(f"Keys must increase: {last_key!r}..{key!r}")
            index_append(row_at)
            rows += (ROW_LENGTHS.pack(len(key), ROW.itemsize), key)
            rows.append(row_bytes[n * ROW.itemsize : (n + 1) * ROW.itemsize])
            digest = hashfn(key)
            buckets[digest & 255].append((digest, row_at))
            row_at += 8 + len(key) + ROW.itemsize
            last_key = key
        tindex.dbfile.write(b"".join(rows))
        rows.clear()
    postfile.write(b"".join(posts))
    tindex.lastkey = last_key
