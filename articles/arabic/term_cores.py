"""Which words of a text may give an index term, without stemming them: a test on letters.

The stemmer (:mod:`.stem`) makes a term from a normalized, lowercased word by steps that each
keep a run of the word's letters: proclitics and the article come off the front (adding at most
one alef back, للرئيس → الرئيس), suffixes come off the back (adding at most one ه or keeping the
ي of a nisba, and the نج → نغ fold changes the last letter), and the curated variants table
replaces a whole word. So a term loses at most one letter at each end from a run of the word it
came from, and every word giving ``term`` holds ``term[1:-1]`` — or, when the variants table
replaced a word on the way, the inner letters of a table key whose value holds one of these.
:func:`term_cores` is that closed set; a word holding none of them never gives the term.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from .lexicon import variants
from .normalize import DEFAULT_NORMALIZER, normalize

_CHANGED_BY_READING = frozenset(DEFAULT_NORMALIZER.table) | {"_"}  # words() reads _ as a space


def _inner(text: str) -> str:
    return text[1:-1]


@lru_cache(maxsize=4096)
def term_cores(term: str) -> frozenset[str]:
    """Letter runs one of which every word whose analysis gives ``term`` holds (in the form
    :func:`searched_form` gives); an empty run (a term of two letters or fewer) holds for any
    word."""
    cores = {_inner(term)}
    table = variants()
    grown = True
    while grown:
        grown = False
        for key, value in table.items():
            core = _inner(key)
            if core not in cores and any(held in value for held in cores):
                cores.add(core)
                grown = True
    return frozenset(cores)


def searched_form(word: str) -> str:
    """``word`` (a word of normalized text) as the analyzer reads it: lowercased, normalized."""
    lowered = word.lower()
    if _CHANGED_BY_READING.isdisjoint(lowered) and lowered.lower() == lowered:
        return lowered
    return normalize(lowered).lower().replace("_", " ")


def searched_forms(words: Sequence[str]) -> list[str]:
    """:func:`searched_form` of each word (of normalized text, none holding a line break): one
    lowercasing of them all, line-separated (a line break bounds a word's casing context as the
    word's own ends do), when none then needs normalizing."""
    if not words:
        return []
    lowered = "\n".join(words).lower()
    if _CHANGED_BY_READING.isdisjoint(lowered) and lowered.lower() == lowered:
        return lowered.split("\n")
    return [searched_form(word) for word in words]
