"""A bounded memo for the analyzer's pure functions of one word (a stem, a cue test).

A plain dict read through ``map(dict.get, words)`` costs a fraction of a call per word, where an
``lru_cache`` hit costs a call and the reordering of its list: news repeats a vocabulary of a few
hundred thousand forms millions of times. Past ``size`` distinct words the memo is emptied and
fills again, so its memory stays bounded. Every step is one dict operation, atomic under the GIL,
so threads of a web server share one memo safely (two threads may both compute a missing word,
with the same result).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

V = TypeVar("V")


class WordMemo(Generic[V]):
    """``function`` (pure, never returning None) of each word, remembered for ``size`` words."""

    def __init__(self, function: Callable[[str], V], *, size: int) -> None:
        self.function = function
        self.size = size
        self._values: dict[str, V] = {}
        self.__doc__ = function.__doc__

    def __call__(self, word: str) -> V:
        value = self._values.get(word)
        return self._remember(word) if value is None else value

    def map(self, words: Iterable[str]) -> list[V]:
        """``[self(word) for word in words]``, with one C-level pass when every word is known."""
        words = list(words)
        values = list(map(self._values.get, words))
        if None in values:
            values = [  # self(word): a word new twice in ``words`` is computed once
                self(word) if value is None else value
                for word, value in zip(words, values, strict=True)
            ]
        return values

    def cache_clear(self) -> None:
        self._values.clear()

    def _remember(self, word: str) -> V:
        value = self.function(word)
        if len(self._values) >= self.size:
            self._values.clear()
        self._values[word] = value
        return value
