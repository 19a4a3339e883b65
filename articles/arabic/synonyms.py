"""Query-side synonyms: the names news gives one thing (المونديال and كأس العالم), from the
curated ``data/synonyms.tsv``, each phrase as the analyzer's terms.

Only queries are expanded (the index keeps every word as written), so the table is no part of the
analyzer version an index records: editing it needs no rebuild.
"""

from __future__ import annotations

import functools

from .analysis import analyze
from .lexicon import DATA_DIR, _data_lines

SYNONYMS_FILE = DATA_DIR / "synonyms.tsv"

Phrase = tuple[str, ...]


@functools.cache
def synonym_groups() -> dict[Phrase, tuple[Phrase, ...]]:
    """Each phrase of the table (as index terms) -> every phrase of its group, itself first."""
    groups: dict[Phrase, tuple[Phrase, ...]] = {}
    for line in _data_lines(SYNONYMS_FILE):
        phrases = tuple(
            dict.fromkeys(p for p in (tuple(analyze(t)) for t in line.split("\t")) if p)
        )
        for phrase in phrases:
            groups[phrase] = (phrase, *(other for other in phrases if other != phrase))
    return groups


@functools.cache
def longest_synonym() -> int:
    """The most index terms one phrase of the table has."""
    return max((len(phrase) for phrase in synonym_groups()), default=1)
