"""The analyzer's bounded word memo (articles/arabic/memo.py): the function's values, each word
computed once while remembered, memory bounded by its size."""

from __future__ import annotations

import importlib

from articles.arabic.memo import WordMemo
from articles.arabic.tokenize import words

stem_module = importlib.import_module("articles.arabic.stem")


def test_values_are_the_functions_and_each_word_is_computed_once() -> None:
    calls: list[str] = []

    def shout(word: str) -> str:
        calls.append(word)
        return word.upper()

    memo = WordMemo(shout, size=10)
    assert memo.map(["a", "b", "a"]) == ["A", "B", "A"]
    assert memo("b") == "B"
    assert memo.map(iter(["c", "a"])) == ["C", "A"]
    assert calls == ["a", "b", "c"]


def test_past_its_size_the_memo_empties_and_fills_again() -> None:
    memo = WordMemo(str.upper, size=3)
    assert memo.map(["a", "b", "c", "d", "e"]) == ["A", "B", "C", "D", "E"]
    assert len(memo._values) <= 3
    assert memo.map(["a", "e"]) == ["A", "E"]
    assert len(memo._values) <= 3


def test_the_stem_memo_gives_the_stemmers_terms() -> None:
    text = "قال الرئيس الأمريكي لوسائل الإعلام إن الحكومات والبلدين ستعقدان اجتماعاتهما في واشنطن"
    found = words(text)
    stem_module.stem.cache_clear()
    assert stem_module.stem.map(found) == [stem_module._stem(word) for word in found]
    assert [stem_module.stem(word) for word in found] == [stem_module._stem(w) for w in found]
