"""A W3 block's ids and weights read from its pickle (articles/engines/whoosh/blocks.py) are
exactly what unpickling the block gives, for every layout pickle writes; anything else falls
back to unpickling."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from articles.engines.whoosh import WhooshBackend
from articles.engines.whoosh.blocks import ids_and_weights
from articles.engines.whoosh.postings import _ids_and_weights

from .conftest import doc

POSITIONS = (b"\x00\x00\x00\x01\x80\x02]q\x00K)a.", b"\x00\x00\x00\x02\x80\x02]q\x00(K\x0bK)e.")


def block(ids, weights, values=None) -> bytes:
    """A block's data as W3PostingsWriter._write_block pickles it."""
    values = tuple(values) if values is not None else tuple(POSITIONS[n % 2] for n in ids)
    return pickle.dumps((tuple(ids), weights, values), 2)


def same(raw: bytes, count: int) -> None:
    deltas, weights, _values = pickle.loads(raw)  # noqa: S301 - made here
    found = ids_and_weights(raw, count)
    assert found is not None
    assert found[0].tolist() == list(deltas)
    if weights is None or isinstance(weights, float):
        assert found[1] == weights
    else:
        assert found[1].dtype == np.float32
        assert found[1].tolist() == np.asarray(weights, dtype=np.float32).tolist()


@pytest.mark.parametrize(
    "ids",
    [
        [0],
        [3, 1],
        [7, 1, 200],
        list(range(128)),  # one byte each
        [5, 300, 1, 70_000, 2, 255, 256, 65_535, 65_536, 9] * 12,  # BININT1, BININT2, BININT
    ],
)
@pytest.mark.parametrize("weights", ["none", "one", "each"])
def test_every_layout_reads_as_unpickled(ids, weights):
    count = len(ids)
    given = {
        "none": None,
        "one": 2.0,
        "each": tuple(float(np.float32(1.5 + n % 4)) for n in range(count)),
    }[weights]
    if weights == "each" and count == 1:
        given = 1.5  # Whoosh writes one weight alone as a float
    same(block(ids, given), count)


def test_values_of_any_kind_are_left_alone():
    same(block([1, 2, 3, 4], None, values=None), 4)
    same(pickle.dumps(((1, 2, 3, 4), None, None), 2), 4)
    same(pickle.dumps(((1, 2, 3, 4), 1.0, b"abcd"), 2), 4)
    same(pickle.dumps(((-1, 2, 3, 4), None, None), 2), 4)  # BININT is signed


def test_an_unknown_layout_is_refused():
    assert ids_and_weights(pickle.dumps(([1, 2, 3, 4], None, None), 2), 4) is None  # a list
    assert ids_and_weights(pickle.dumps(((1, 2, 3, 4), None, None), 4), 4) is None  # protocol
    assert ids_and_weights(pickle.dumps(((2**40, 2, 3, 4), None, None), 2), 4) is None  # LONG1
    assert ids_and_weights(block([1, 2, 3, 4], None)[:8], 4) is None  # cut short


def test_every_block_of_a_real_index_reads_as_unpickled(tmp_path):
    backend = WhooshBackend(path=tmp_path / "ix")
    backend.index(
        documents=[
            doc(n, f"عنوان {n % 7}", " ".join(["الرئيس"] * (n % 3 + 1) + [f"كلمة{n % 50}"]))
            for n in range(1, 700)
        ]
    )
    snap = backend.snapshot()
    checked = 0
    for leaf, _offset in snap.leaves:
        for field in ("title", "body", "lead", "source", "year"):
            for term in leaf.field_terms(field):
                unpickled = leaf.postings(field, term)
                unpickled = getattr(unpickled, "child", unpickled)
                read = leaf.postings(field, term)
                for deltas, weights in _ids_and_weights(getattr(read, "child", read)):
                    unpickled._read_data()
                    expected_deltas, expected_weights, _values = unpickled._data
                    assert deltas.tolist() == list(expected_deltas)
                    if expected_weights is None or isinstance(expected_weights, float):
                        assert weights == expected_weights
                    else:
                        assert weights.tolist() == np.asarray(expected_weights, np.float32).tolist()
                    checked += 1
                    unpickled._next_block()
                assert not unpickled.is_active()  # as many blocks
    assert checked > 100
