"""FieldTerms groups a text field's postings as the field indexes each document's terms.

The reference is ``AnalysedText.index`` (Whoosh's per-document postings: term bytes, weight,
encoded positions) gathered per term in docnum order; the documents are made to reach every
encoding branch: deltas of one, two and four bytes, postings past pickle's 1,000-item batch,
empty documents, boosts, and many term ranges.
"""

from __future__ import annotations

import random

import pytest

from articles.engines.whoosh import field_terms
from articles.engines.whoosh.field_terms import FieldTerms
from articles.engines.whoosh.schema import AnalysedText


def documents() -> list[list[str]]:
    rng = random.Random(11)
    words = ["سلام", "قمة", "a", "b", "z", "é", "دمشق", "x" * 30, "ـ", "1", "10", "9"]
    docs = [[rng.choice(words) for _n in range(rng.randint(0, 60))] for _d in range(40)]
    docs[3] = []
    docs[5] = ["a"] * 1500 + ["b"]  # past the pickle batch: one posting of 1,500 positions
    docs[7] = ["b"] + ["filler"] * 70_000 + ["b", "a"]  # a delta past 65,535, one past 255
    docs[9] = ["a"] + ["filler"] * 300 + ["a"]
    docs[11] = ["c"] + ["filler"] * 255 + ["c"] + ["filler"] * 65_534 + ["c"]  # 256, 65,535
    return docs


def expected(field: AnalysedText, docs: list[list[str]], boosts: list[float]) -> list[tuple]:
    found: dict[bytes, list] = {}
    for docnum, (terms, boost) in enumerate(zip(docs, boosts, strict=True)):
        for btext, _freq, weight, value in field.index(terms):
            found.setdefault(btext, []).append((docnum, weight * boost, value))
    return [(btext, found[btext]) for btext in sorted(found)]


@pytest.mark.parametrize("chunk_tokens", [1 << 18, 7])
def test_groups_are_the_fields_postings_per_term_in_docnum_order(monkeypatch, chunk_tokens):
    monkeypatch.setattr(field_terms, "CHUNK_TOKENS", chunk_tokens)
    field = AnalysedText()
    docs = documents()
    boosts = [1.0 if n % 4 else 1.5 for n in range(len(docs))]
    terms = FieldTerms()
    for docnum, (doc, boost) in enumerate(zip(docs, boosts, strict=True)):
        terms.add(docnum=docnum, terms=doc, boost=boost)
    grouped = [
        (btext, list(zip(docnums, weights, values, strict=True)))
        for btext, (docnums, weights, values) in terms.groups(
            field_boost=field.format.field_boost, encode=field.encode_positions
        )
    ]
    want = expected(field, docs, boosts)
    assert [btext for btext, _postings in grouped] == [btext for btext, _postings in want]
    assert grouped == want
    widest = max(len(value) for _btext, postings in want for _d, _w, value in postings)
    assert widest > 3000  # the 1,500-position posting is among them
