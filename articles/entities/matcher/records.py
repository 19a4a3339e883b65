"""What the matcher finds (:class:`MentionSpan`) and what it works with on the way."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .vocabulary import Field, Via


@dataclass(frozen=True, slots=True)
class MentionSpan:
    """One mention. ``start``/``end`` index the ORIGINAL text; ``text`` is ``text[start:end]``.

    ``via`` is "name" when a name is written (also when an office phrase precedes it, then
    ``role_phrase`` is that phrase) and "role" when only the office phrase identifies the actor.
    """

    slug: str
    kind: str
    start: int
    end: int
    text: str
    via: Via
    role_phrase: str | None = None
    field: Field = "body"


@dataclass(frozen=True, slots=True)
class Pattern:
    """What one automaton key stands for."""

    length: int
    what: int  # NAME / ROLE / BLOCK
    ref: str  # entity slug (name), normalized phrase (role), "" (block)
    proclitics: frozenset[str]
    suffixes: tuple[str, ...]
    ambiguous: bool = False
    period: tuple[datetime.date | None, datetime.date | None] | None = None  # dated alias


@dataclass(slots=True)
class Candidate:
    start: int  # collapsed-text index, proclitic included
    end: int
    what: int
    ref: str
    clitic: str
    ambiguous: bool = False
    period: tuple[datetime.date | None, datetime.date | None] | None = None
    slug: str = ""
    via: Via = "name"
    role_phrase: str | None = None
