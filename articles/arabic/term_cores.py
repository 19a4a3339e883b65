"""Which words of a text may give an index term, without stemming them: a test on letters.

The stemmer (:mod:`.stem`) makes a term from a normalized, lowercased word by steps that each
keep a run of the word's letters: proclitics and the article come off the front (adding back at
most an alef, للرئيس → الرئيس), suffixes come off the back (adding at most a ه — حكومته →
حكومه — or keeping the ي of a nisba; the نج → نغ fold changes a last ج to غ), and the curated
variants table replaces a whole word. So a term is a run of the word it came from, give or take
a first ا and a last ه or غ, and every word giving ``term`` holds that run — or, when the
variants table replaced a word on the way, the run of a table key whose value holds one of
these. :func:`term_cores` is that closed set; a word holding none of them never gives the term.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .lexicon import variants
from .normalize import DEFAULT_NORMALIZER, normalize

# A character that reading a word changes: normalizing it, or _ (words() reads it as a space).
_CHANGED_BY_READING = re.compile(
    "[" + "".join(map(re.escape, [*DEFAULT_NORMALIZER.table, "_"])) + "]"
)


def _core(text: str) -> str:
    """The run of a word that ``text`` (a term, or a table key on the way to one) keeps."""
    return text[text.startswith("ا") : len(text) - text.endswith(("ه", "غ"))]


@lru_cache(maxsize=4096)
def term_cores(term: str) -> frozenset[str]:
    """Letter runs one of which every word whose analysis gives ``term`` holds (in the form
    :func:`searched_form` gives); an empty run (a term such as اه) holds for any word."""
    cores = {_core(term)}
    table = variants()
    grown = True
    while grown:
        grown = False
        for key, value in table.items():
            core = _core(key)
            if core not in cores and any(held in value for held in cores):
                cores.add(core)
                grown = True
    return frozenset(cores)


def searched_form(word: str) -> str:
    """``word`` (a word of normalized text) as the analyzer reads it: lowercased, normalized."""
    lowered = word.lower()
    if _CHANGED_BY_READING.search(lowered) is None and lowered.lower() == lowered:
        return lowered
    return normalize(lowered).lower().replace("_", " ")


def searched_forms(words: Sequence[str]) -> list[str]:
    """:func:`searched_form` of each word (of normalized text, none holding a line break): one
    lowercasing of them all, line-separated (a line break bounds a word's casing context as the
    word's own ends do), when none then needs normalizing."""
    if not words:
        return []
    lowered = "\n".join(words).lower()
    if _CHANGED_BY_READING.search(lowered) is None and lowered.lower() == lowered:
        return lowered.split("\n")
    return [searched_form(word) for word in words]
