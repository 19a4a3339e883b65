"""Nisba adjectives and the places they name: «الروسي» (index term روسي) is said of «روسيا»,
«الصيني» of «الصين». The analyzer keeps the two apart (a story about Russian gas is not every story
naming Russia), so a query's adjective only *credits* its place: ``nisba_places`` gives the place
names, a query adds them as score-only forms (``articles.actor_queries.with_related_forms``).
"""

from __future__ import annotations

import functools

from .analysis import analyze
from .lexicon import protected_names

MIN_NISBA_CHARS = 4  # روسي، صيني، مصري: three letters of a stem and the ي


@functools.cache
def nisba_places(term: str) -> tuple[str, ...]:
    """Index terms of the place names (protected names) whose nisba adjective is the index term
    ``term``: روسي → روسيا, صيني → الصين, مصري → مصر, امريكي → امريكا; () for other words."""
    if len(term) < MIN_NISBA_CHARS or not term.endswith("ي"):
        return ()
    stem = term[:-1]
    names = protected_names()
    found: dict[str, None] = {}
    for place in (stem + "يا", stem + "ا", "ال" + stem, stem):
        terms = analyze(place) if place in names else []
        if len(terms) == 1 and terms[0] != term:
            found[terms[0]] = None
    return tuple(found)
