"""One term's postings in one segment, decoded from Whoosh's W3 blocks.

Uses Whoosh-Reloaded's private W3 layout (a segment reader's ``_terms``: its terms reader, whose
``term_info`` gives where a term's postings lie in ``_postfile``; each block's length, header and
data), pinned by tests/engine_contract/test_whoosh_internals.py and test_whoosh_blocks.py. A
term's postings are read in one piece, without Whoosh's matcher: ids and weights of every block
in vector passes (``blocks``), positions (for phrases) by unpickling each block with
``bytes`` in place of the ``_codecs.encode`` its values are pickled through (the same bytes,
made by a cheaper call) and reading the values' positions in vector passes.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from itertools import chain

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermsReader
from whoosh.reading import TermNotFound

from . import blocks

EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)

_BLOCK_LENGTH = struct.Struct("!i")  # W3: a block's byte length, negative for the last one
# Protocol 2 pickles bytes as _codecs.encode(text, "latin1"); bytes(text, "latin1") is the same
_ENCODE, _BYTES = b"c_codecs\nencode\n", b"cbuiltins\nbytes\n"


def leaf_postings(reader, fieldname: str, text: str, *, values: bool = False):
    """(ids, weights, values) of one term in one segment (deleted documents included: the
    caller masks them); ``values``: each posting's encoded positions too, else ``[]``."""
    try:
        raw = _term_postings(reader, fieldname, text)
    except TermNotFound:
        return EMPTY_IDS, EMPTY_WEIGHTS, []
    if raw is None:  # another codec, or postings inlined in the term info
        return _public_postings(reader, fieldname, text)
    starts, ends, counts, compressed = _blocks(raw)
    if not len(counts):
        return EMPTY_IDS, EMPTY_WEIGHTS, []
    if values or compressed:
        return _unpickled(raw, starts, ends, counts, compressed=compressed)
    ids, weights = blocks.term_ids_and_weights(raw, starts=starts, ends=ends, counts=counts)
    return ids, weights, []


def _term_postings(reader, fieldname: str, text: str) -> bytes | None:
    """The bytes of a term's W3 postings (its blocks, after the header tag); None: not a W3
    segment, or the postings are inlined; TermNotFound: no such term."""
    terms = getattr(reader, "_terms", None)
    if not isinstance(terms, W3TermsReader):
        return None
    info = terms.term_info(fieldname, reader._text_to_bytes(fieldname, text))
    if info.is_inlined():
        return None
    offset, length = info.extent()
    if isinstance(length, tuple):  # W3TermInfo.from_bytes keeps struct's 1-tuple
        (length,) = length
    raw = terms._postfile.get(offset, length)
    if raw[: len(WHOOSH3_HEADER_MAGIC)] != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"not a W3 postings list: {fieldname}:{text!r}")
    return raw


def _blocks(raw: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Where each block's data lies in ``raw`` (start, end), its posting count, and whether
    any block is compressed: its length, then its pickled header (count, last id, max weight,
    compression, min and max length bytes), then the data."""
    stream = io.BytesIO(raw)
    position = len(WHOOSH3_HEADER_MAGIC)
    starts, ends, counts = [], [], []
    compressed = False
    while position < len(raw):
        (length,) = _BLOCK_LENGTH.unpack_from(raw, position)
        end = position + _BLOCK_LENGTH.size + abs(length)
        stream.seek(position + _BLOCK_LENGTH.size)
        count, _max_id, _max_weight, compression, _min, _max = pickle.load(stream)  # noqa: S301 - the index's own
        starts.append(stream.tell())
        ends.append(end)
        counts.append(count)
        compressed = compressed or bool(compression)
        position = end
        if length < 0:
            break
    return (
        np.array(starts, dtype=np.int64),
        np.array(ends, dtype=np.int64),
        np.array(counts, dtype=np.int64),
        compressed,
    )


def _unpickled(raw: bytes, starts, ends, counts, *, compressed: bool):
    """(ids, weights, values) with every block unpickled whole."""
    id_blocks, weight_blocks, values = [], [], []
    for start, end, count in zip(starts.tolist(), ends.tolist(), counts.tolist(), strict=True):
        data = raw[start:end]
        if compressed:
            data = zlib.decompress(data)
        deltas, weights, block_values = pickle.loads(data.replace(_ENCODE, _BYTES, 1))  # noqa: S301 - the index's own
        id_blocks.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
        if weights is None or isinstance(weights, float):
            weight_blocks.append(np.full(count, weights or 1.0, dtype=np.float32))
        else:
            weight_blocks.append(np.asarray(weights, dtype=np.float32))
        values.extend(block_values or ())
    return np.concatenate(id_blocks), np.concatenate(weight_blocks), values


def _public_postings(reader, fieldname: str, text: str):
    """Ids (weights 1.0, no values) through Whoosh's public matcher: the slow way."""
    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        return EMPTY_IDS, EMPTY_WEIGHTS, []
    leaf = getattr(matcher, "child", matcher)
    ids = np.fromiter(leaf.all_ids(), dtype=np.int64)
    return ids, np.ones(len(ids), dtype=np.float32), []


VECTOR_VALUES = 64  # fewer values are decoded one distinct value at a time


def positions_of(values: list[bytes], decode) -> tuple[np.ndarray, np.ndarray]:
    """Every position the encoded ``values`` hold (in order) and how many each holds: in
    vector passes (``blocks.positions``), or ``decode`` once per distinct value for a few
    values or another layout (most postings hold one position: values repeat)."""
    if len(values) >= VECTOR_VALUES:
        found = blocks.positions(values)
        if found is not None:
            return found
    decoded = {value: decode(value) for value in dict.fromkeys(values)}
    lists = list(map(decoded.__getitem__, values))
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))
    return flat, counts
