"""A W3 block's ids and weights read from its pickle (articles/engines/whoosh/blocks.py), one
block or every block of a term at once, and the positions read from its values, are exactly
what unpickling gives, for every layout pickle writes; anything else falls back to unpickling."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from articles.engines.whoosh import WhooshBackend
from articles.engines.whoosh.blocks import ids_and_weights, positions, term_ids_and_weights
from articles.engines.whoosh.postings import leaf_postings, positions_of
from articles.engines.whoosh.schema import AnalysedText

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


def test_a_term_of_mixed_blocks_reads_as_unpickled_block_by_block():
    """Fast-layout blocks and others (few postings, two-byte deltas, a float each, one float,
    an unknown layout) side by side: every id and weight as unpickling each block gives."""
    given = [
        (list(range(3, 131)), None),
        ([9, 2, 2], (1.0, 2.0, 3.0)),
        ([300, *([1] * 20)], 2.0),
        ([5, 300, 1, 70_000] * 8, tuple(float(1 + n % 3) for n in range(32))),
        (list(range(1, 60)), tuple(float(1 + n % 4) for n in range(59))),
        ([1, 2, 3, 4, 5], None),
    ]
    datas = [block(ids, weights) for ids, weights in given]
    datas.append(pickle.dumps(([1, 2, 3, 4], None, None), 2))  # a list: unpickled
    raw = b"".join(datas)
    ends = np.cumsum([len(d) for d in datas])
    counts = np.array([len(ids) for ids, _w in given] + [4])
    ids, weights = term_ids_and_weights(
        raw, starts=ends - [len(d) for d in datas], ends=ends, counts=counts
    )
    expected_ids, expected_weights = [], []
    for data, count in zip(datas, counts, strict=True):
        deltas, block_weights, _values = pickle.loads(data)  # noqa: S301 - made here
        expected_ids += np.cumsum(deltas).tolist()
        if block_weights is None or isinstance(block_weights, float):
            block_weights = [block_weights or 1.0] * count
        expected_weights += np.asarray(block_weights, np.float32).tolist()
    assert ids.tolist() == expected_ids
    assert weights.dtype == np.float32 and weights.tolist() == expected_weights


@pytest.mark.parametrize(
    "lists",
    [
        [[0]] * 70,
        [[n, n + 3, n + 300, n + 301] for n in range(80)],  # a delta past 255 (BININT2)
        [[70_000 + n, 70_001 + n] for n in range(70)],  # BININT: four bytes
        [[n] if n % 2 else list(range(n, n + n % 17)) or [n] for n in range(90)],
    ],
)
def test_positions_read_as_whoosh_decodes_them(lists):
    field = AnalysedText()
    values = [field.encode_positions(p) for p in lists]
    flat, counts = positions(values)
    assert counts.tolist() == [len(p) for p in lists]
    assert flat.tolist() == [p for found in lists for p in found]
    assert [field.format.decode_positions(v) for v in values] == lists


def test_positions_of_another_layout_fall_back_to_the_format():
    field = AnalysedText()
    values = [field.encode_positions([n, n + 1]) for n in range(70)]
    values[5] = values[5][:4] + pickle.dumps([5, 1], 4)  # another protocol: not read here
    assert positions(values) is None
    flat, counts = positions_of(values, field.format.decode_positions)
    assert counts.tolist() == [2] * 70 and flat[:2].tolist() == [0, 1]


def test_every_term_of_a_real_index_reads_as_whoosh_reads_it(tmp_path):
    backend = WhooshBackend(path=tmp_path / "ix")
    backend.index(
        documents=[
            doc(
                n,
                f"عنوان {n % 7}",
                " ".join(["الرئيس"] * (n % 3 + 1) + [f"كلمة{n % 50}"] + ["حشو"] * (n % 300)),
            )
            for n in range(1, 1500)
        ]
    )
    snap = backend.snapshot()
    checked = 0
    for leaf, _offset in snap.leaves:
        for field in ("title", "body", "lead", "source", "year"):
            for term in leaf.field_terms(field):
                public = leaf.postings(field, term)
                expected_ids, expected_weights, expected_positions = [], [], []
                while public.is_active():
                    expected_ids.append(public.id())
                    expected_weights.append(public.weight())
                    if field in ("title", "body", "lead"):
                        expected_positions += public.value_as("positions")
                    public.next()
                ids, weights, _values = leaf_postings(leaf, field, term)
                assert ids.tolist() == expected_ids
                assert weights.tolist() == np.asarray(expected_weights, np.float32).tolist()
                if field in ("title", "body", "lead"):
                    with_values = leaf_postings(leaf, field, term, values=True)
                    assert with_values[0].tolist() == expected_ids
                    flat, _counts = positions_of(
                        with_values[2], leaf.schema[field].format.decode_positions
                    )
                    assert flat.tolist() == expected_positions
                checked += 1
    assert checked > 100
