"""The ids and weights of a W3 postings block, read from its pickle without unpickling the rest.

A W3 block's data is ``pickle.dumps((id_deltas, weights, values), 2)``. Protocol 2 has no bytes
opcode, so each of the block's values (a posting's encoded positions) comes back through a
``_codecs.encode`` call: most of the time of ``pickle.loads`` goes to values that postings
never read. :func:`ids_and_weights` walks the pickle's opcodes for the first two items only (the
layouts ``pickle`` writes for tuples of ints and of floats, None or one float) and says None for
anything else, where the caller unpickles the block as Whoosh does.
"""

from __future__ import annotations

import pickle
import struct

import numpy as np

_PROTO = b"\x80\x02"
_MARK, _TUPLE, _EMPTY_TUPLE, _NONE = ord("("), ord("t"), ord(")"), ord("N")
_TUPLE_N = {0x85: 1, 0x86: 2, 0x87: 3}  # TUPLE1..TUPLE3
_BININT1, _BININT2, _BININT, _BINFLOAT = ord("K"), ord("M"), ord("J"), ord("G")
_BINPUT, _LONG_BINPUT = ord("q"), ord("r")
_FLOAT_RECORD = np.dtype([("op", "u1"), ("value", ">f8")])
_INT32 = struct.Struct("<i")
_FLOAT = struct.Struct(">d")


class _Layout(Exception):
    """Not a layout this reader knows: unpickle the block."""


def ids_and_weights(raw, count: int) -> tuple[np.ndarray, object] | None:
    """(id deltas as int64, weights as None, a float or a float32 array) of a block holding
    ``count`` postings, as ``pickle.loads(raw)[:2]`` gives them; None: another layout."""
    if raw[:2] != _PROTO:
        return None
    try:
        deltas, pos = _ints(raw, 2, count)
        pos = _put(raw, pos)
        weights, pos = _weights(raw, pos, count)
    except (_Layout, IndexError, ValueError, struct.error):
        return None
    return deltas, weights


def _put(raw, pos: int) -> int:
    """Past the memo put pickle writes after a tuple."""
    op = raw[pos]
    if op == _BINPUT:
        return pos + 2
    if op == _LONG_BINPUT:
        return pos + 5
    raise _Layout


def _ints(raw, pos: int, count: int) -> tuple[np.ndarray, int]:
    """A tuple of ``count`` non-negative ints at ``pos``: (values, position after it)."""
    op = raw[pos]
    if op == _EMPTY_TUPLE and count == 0:
        return np.zeros(0, dtype=np.int64), pos + 1
    if op == _MARK and count > 3:
        first, start = _int_ops(raw, pos + 1, 1)  # the block's first id, absolute: often large
        end = start + 2 * (count - 1)  # every later delta one byte (BININT1): one vector read
        codes = np.frombuffer(raw, dtype=np.uint8, count=2 * (count - 1), offset=start)
        if raw[end] == _TUPLE and (codes[0::2] == _BININT1).all():
            values = np.empty(count, dtype=np.int64)
            values[0] = first[0]
            values[1:] = codes[1::2]
            return values, end + 1
        values, pos = _int_ops(raw, pos + 1, count)
        if raw[pos] != _TUPLE:
            raise _Layout
        return values, pos + 1
    if _TUPLE_N.get(op) is None and 1 <= count <= 3:
        values, pos = _int_ops(raw, pos, count)
        if _TUPLE_N.get(raw[pos]) != count:
            raise _Layout
        return values, pos + 1
    raise _Layout


def _int_ops(raw, pos: int, count: int) -> tuple[np.ndarray, int]:
    values = np.empty(count, dtype=np.int64)
    for n in range(count):
        op = raw[pos]
        if op == _BININT1:
            values[n] = raw[pos + 1]
            pos += 2
        elif op == _BININT2:
            values[n] = raw[pos + 1] | raw[pos + 2] << 8
            pos += 3
        elif op == _BININT:
            values[n] = _INT32.unpack_from(raw, pos + 1)[0]
            pos += 5
        else:
            raise _Layout
    return values, pos


def _weights(raw, pos: int, count: int) -> tuple[object, int]:
    """None, one float, or a tuple of ``count`` floats (as float32, as Whoosh's array("f"))."""
    op = raw[pos]
    if op == _NONE:
        return None, pos + 1
    if op == _MARK and count > 3:
        records = np.frombuffer(raw, dtype=_FLOAT_RECORD, count=count, offset=pos + 1)
        end = pos + 1 + 9 * count
        if raw[end] != _TUPLE or not (records["op"] == _BINFLOAT).all():
            raise _Layout
        return records["value"].astype(np.float32), _put(raw, end + 1)
    if op != _BINFLOAT:
        raise _Layout
    if not (2 <= count <= 3 and raw[pos + 9] == _BINFLOAT):
        return _FLOAT.unpack_from(raw, pos + 1)[0], pos + 9  # one weight for every posting
    floats = []
    for _n in range(count):
        if raw[pos] != _BINFLOAT:
            raise _Layout
        floats.append(_FLOAT.unpack_from(raw, pos + 1)[0])
        pos += 9
    if _TUPLE_N.get(raw[pos]) != count:
        raise _Layout
    return np.array(floats, dtype=np.float32), _put(raw, pos + 1)


# --- every block of a term at once -------------------------------------------------------------

_WIDTH = np.zeros(256, dtype=np.int64)  # an int opcode's size with its argument (0: not one)
_WIDTH[[_BININT1, _BININT2, _BININT]] = (2, 3, 5)
_MANY_IDS = 4  # fewer postings pickle as TUPLE1..3 (read one block at a time)
FEW_BLOCKS = 4  # a term of fewer blocks is read a block at a time (vector passes cost more)


def _argument(buf: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The non-negative argument of the int opcode at each of ``at`` (BININT1, BININT2, or
    BININT, little-endian and signed)."""
    op = buf[at]
    b = [buf[np.minimum(at + k, len(buf) - 1)].astype(np.int64) for k in range(1, 5)]
    four = b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24
    four = np.where(four >= 2**31, four - 2**32, four)
    return np.where(op == _BININT1, b[0], np.where(op == _BININT2, b[0] | b[1] << 8, four))


def _runs(lengths: np.ndarray) -> np.ndarray:
    """0..n-1 within each run of ``lengths`` (concatenated)."""
    ends = np.cumsum(lengths)
    return np.arange(int(ends[-1]) if len(ends) else 0) - np.repeat(ends - lengths, lengths)


def term_ids_and_weights(
    raw: bytes, *, starts: np.ndarray, ends: np.ndarray, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(ids, weights as float32) of a term's uncompressed blocks, whose data pickles are
    ``raw[starts[i]:ends[i]]`` holding ``counts[i]`` postings. The layout most blocks have (more
    than three postings: a first id, one-byte deltas after it, then weights None, one float or a
    float each) is read for every block in a few vector passes; the other blocks one at a time
    (:func:`ids_and_weights`, else unpickled)."""
    offsets = np.cumsum(counts) - counts
    deltas = np.empty(int(counts.sum()), dtype=np.int64)
    weights = np.empty(len(deltas), dtype=np.float32)
    if len(counts) <= FEW_BLOCKS:
        for block in range(len(counts)):
            _read_block(raw, starts, ends, counts, offsets, block, deltas, weights)
        return _absolute(deltas, offsets, counts), weights
    buf = np.frombuffer(raw, dtype=np.uint8)
    last = len(buf) - 1
    blocks = np.arange(len(counts))
    fast = (counts >= _MANY_IDS) & (ends - starts > 4)
    fast &= (buf[starts] == _PROTO[0]) & (buf[starts + 1] == _PROTO[1])
    fast &= buf[np.minimum(starts + 2, last)] == _MARK
    first_at = starts + 3
    at = first_at + _WIDTH[buf[np.minimum(first_at, last)]]  # the one-byte deltas
    fast &= at > first_at
    rest = np.where(fast, counts - 1, 0)
    delta_at = np.repeat(at, rest) + 2 * _runs(rest)
    fast[np.repeat(blocks, rest)[buf[np.minimum(delta_at, last)] != _BININT1]] = False
    end = np.minimum(at + 2 * (counts - 1), ends - 1)  # the TUPLE closing the ids
    fast &= (buf[end] == _TUPLE) & (buf[np.minimum(end + 1, last)] == _BINPUT)
    weight_at = np.minimum(end + 3, ends - 1)
    weight_op = buf[weight_at]
    each = fast & (weight_op == _MARK)
    records = np.where(each, counts, 0)
    record_at = np.repeat(weight_at + 1, records) + 9 * _runs(records)
    each[np.repeat(blocks, records)[buf[np.minimum(record_at, last)] != _BINFLOAT]] = False
    each &= buf[np.minimum(weight_at + 1 + 9 * counts, last)] == _TUPLE
    one = fast & (weight_op == _BINFLOAT)
    none = fast & (weight_op == _NONE)
    fast &= each | one | none
    # the fast blocks, all at once
    rest = np.where(fast, counts - 1, 0)
    deltas[offsets[fast]] = _argument(buf, first_at[fast])
    deltas[np.repeat(offsets + 1, rest) + _runs(rest)] = buf[
        np.repeat(at, rest) + 2 * _runs(rest) + 1
    ]
    weights[np.repeat(none, counts)] = 1.0
    if one.any():
        single = _doubles(buf, weight_at[one] + 1).astype(np.float32)
        weights[np.repeat(one, counts)] = np.repeat(single, counts[one])
    if each.any():
        record_at = np.repeat(weight_at[each] + 2, counts[each]) + 9 * _runs(counts[each])
        weights[np.repeat(each, counts)] = _doubles(buf, record_at).astype(np.float32)
    for block in np.flatnonzero(~fast).tolist():  # the others, one block at a time
        _read_block(raw, starts, ends, counts, offsets, block, deltas, weights)
    return _absolute(deltas, offsets, counts), weights


def _read_block(raw, starts, ends, counts, offsets, block, deltas, weights) -> None:
    """One block's id deltas and weights into ``deltas`` and ``weights`` at its offset."""
    data = raw[int(starts[block]) : int(ends[block])]
    count = int(counts[block])
    found = ids_and_weights(data, count)
    if found is None:
        found = pickle.loads(data)[:2]  # noqa: S301 - the index's own
    where = slice(int(offsets[block]), int(offsets[block]) + count)
    deltas[where] = found[0]
    weights[where] = 1.0 if found[1] is None else found[1]


def _absolute(deltas: np.ndarray, offsets: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Ids from each block's deltas (its first id absolute, the others after the one before)."""
    sums = np.cumsum(deltas)
    return sums - np.repeat(sums[offsets] - deltas[offsets], counts)


def _doubles(buf: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The big-endian doubles (BINFLOAT arguments) starting at each of ``at``."""
    return buf[at[:, None] + np.arange(8)].copy().view(">f8").ravel()


# --- the positions a Positions value holds -------------------------------------------------------

_VALUE_HEAD = np.frombuffer(b"\x80\x02]q\x00", dtype=np.uint8)  # a pickled list, memo 0
_APPEND, _APPENDS = ord("a"), ord("e")


def positions(values: list[bytes]) -> tuple[np.ndarray, np.ndarray] | None:
    """Every position the encoded ``values`` hold (in order) and how many each holds, as
    ``whoosh.formats.Positions.decode_positions`` reads them, in vector passes over the values
    joined; None: a value of another layout. A value is its count (4 bytes, big-endian) and
    ``pickle.dumps(deltas, 2)``: one int appended, or a MARK, the ints, APPENDS; each an int
    opcode (most deltas one byte)."""
    count = len(values)
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=count)
    buf = np.frombuffer(b"".join(values), dtype=np.uint8)
    if (lengths < 11).any():
        return None
    last = len(buf) - 1
    starts = np.cumsum(lengths) - lengths
    head = buf[starts[:, None] + np.arange(9)].astype(np.int64)
    held = head[:, 0] << 24 | head[:, 1] << 16 | head[:, 2] << 8 | head[:, 3]
    if not ((head[:, 4:] == _VALUE_HEAD).all() and (held > 0).all()):
        return None
    many = held > 1
    if not (buf[starts[many] + 9] == _MARK).all():
        return None
    at = starts + 9 + many  # the first int: the first position, absolute (often past 255)
    out = np.empty(int(held.sum()), dtype=np.int64)
    offsets = np.cumsum(held) - held
    width = _WIDTH[buf[at]]
    if not width.all():
        return None
    out[offsets] = _argument(buf, at)
    at = at + width
    rest = held - 1
    one_byte = np.ones(count, dtype=bool)  # every later delta one byte (BININT1): one gather
    where = np.repeat(at, rest) + 2 * _runs(rest)
    one_byte[np.repeat(np.arange(count), rest)[buf[np.minimum(where, last)] != _BININT1]] = False
    rest_fast = np.where(one_byte, rest, 0)
    out[np.repeat(offsets + 1, rest_fast) + _runs(rest_fast)] = buf[
        np.repeat(at, rest_fast) + 2 * _runs(rest_fast) + 1
    ]
    at[one_byte] += 2 * rest[one_byte]
    slow = np.flatnonzero(~one_byte)  # a delta past 255: an int at a time, all such values
    for k in range(1, int(held[slow].max()) if len(slow) else 1):
        slow = slow[held[slow] > k]
        width = _WIDTH[buf[np.minimum(at[slow], last)]]
        if not width.all():
            return None
        out[offsets[slow] + k] = _argument(buf, at[slow])
        at[slow] += width
    if not (buf[np.minimum(at, last)] == np.where(many, _APPENDS, _APPEND)).all():
        return None
    sums = np.cumsum(out)  # positions from the deltas, each value on its own
    return sums - np.repeat(sums[offsets] - out[offsets], held), held
