"""The ids and weights of a W3 postings block, read from its pickle without unpickling the rest.

A W3 block's data is ``pickle.dumps((id_deltas, weights, values), 2)``. Protocol 2 has no bytes
opcode, so each of the block's values (a posting's encoded positions) comes back through a
``_codecs.encode`` call: most of the time of ``pickle.loads`` goes to values that postings
never read. :func:`ids_and_weights` walks the pickle's opcodes for the first two items only (the
layouts ``pickle`` writes for tuples of ints and of floats, None or one float) and says None for
anything else, where the caller unpickles the block as Whoosh does.
"""

from __future__ import annotations

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
