"""One term's postings in one segment, decoded from Whoosh's W3 blocks.

Uses Whoosh-Reloaded's private ``W3LeafMatcher`` layout (``_postfile``, ``_baseoffset``, the
blocks' length, header and data), pinned by tests/engine_contract/test_whoosh_internals.py and
test_whoosh_blocks.py: a block is read in one piece; ids and weights without unpickling the
values (``blocks``), positions (for phrases) by unpickling the block whole.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from itertools import chain

import numpy as np
from whoosh.reading import TermNotFound

from . import blocks

EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)


def leaf_postings(reader, fieldname: str, text: str, *, values: bool = False):
    """(ids, weights, values) of one term in one segment, decoded a block at a time.

    Each W3-codec block is a pickled tuple of delta-encoded ids, weights and values; deleted
    documents are masked out by the caller. Without ``values`` each block is read in one piece
    (:func:`_ids_and_weights`).
    """
    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        return EMPTY_IDS, EMPTY_WEIGHTS, []
    leaf = getattr(matcher, "child", matcher)
    if not hasattr(leaf, "_read_data"):  # another codec: the slow, public way
        ids = np.fromiter(leaf.all_ids(), dtype=np.int64)
        return ids, np.ones(len(ids), dtype=np.float32), []
    id_blocks, weight_blocks, vals = [], [], []
    found = _ids_and_weights(leaf) if not values else _unpickled_blocks(leaf, vals)
    for deltas, weights in found:
        id_blocks.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
        if weights is None or isinstance(weights, float):
            weight_blocks.append(np.full(len(deltas), weights or 1.0, dtype=np.float32))
        else:
            weight_blocks.append(np.asarray(weights, dtype=np.float32))
    if not id_blocks:
        return EMPTY_IDS, EMPTY_WEIGHTS, []
    return np.concatenate(id_blocks), np.concatenate(weight_blocks), vals


_BLOCK_LENGTH = struct.Struct("!i")  # W3: a block's byte length, negative for the last one


def _raw_blocks(leaf):
    """(posting count, data bytes) of each block of a W3 leaf matcher, read from its postings
    file in one piece per block (Whoosh's own ``_goto`` unpickles the block header a few bytes
    per read call)."""
    postfile = leaf._postfile
    position = leaf._baseoffset
    last = False
    while not last:
        (length,) = _BLOCK_LENGTH.unpack(postfile.get(position, _BLOCK_LENGTH.size))
        last = length < 0
        length = abs(length)
        block = io.BytesIO(postfile.get(position + _BLOCK_LENGTH.size, length))
        count, _max_id, _max_weight, compression, _min_length, _max_length = pickle.load(block)  # noqa: S301
        raw = block.read()
        yield count, zlib.decompress(raw) if compression else raw
        position += _BLOCK_LENGTH.size + length


def _unpickled_blocks(leaf, values: list):
    """Each block's (id deltas, weights), unpickled whole, its values added to ``values``."""
    for _count, raw in _raw_blocks(leaf):
        deltas, weights, block_values = pickle.loads(raw)  # noqa: S301 - the index's own
        values.extend(block_values or ())
        yield deltas, weights


def _ids_and_weights(leaf):
    """Each block's (id deltas, weights) without unpickling the values (``blocks``; another
    layout: unpickled)."""
    for count, raw in _raw_blocks(leaf):
        found = blocks.ids_and_weights(raw, count)
        yield found if found is not None else pickle.loads(raw)[:2]  # noqa: S301 - the index's


def positions_of(values: list[bytes], decode) -> tuple[np.ndarray, np.ndarray]:
    """Every position the encoded ``values`` hold (in order) and how many each holds. Values
    repeat (most postings hold one position, a few hundred distinct ones): each distinct one
    is decoded once."""
    decoded = {value: decode(value) for value in dict.fromkeys(values)}
    lists = list(map(decoded.__getitem__, values))
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))
    return flat, counts
