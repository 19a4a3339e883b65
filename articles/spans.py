"""Marks found by position in logarithmic time, so marking a text stays linear in its length.

Mentions and query hits are each non-overlapping runs (the matcher keeps the longest match, a hit
is one word), so sorted by start they are also sorted by end, and a bisect on the ends finds the
one span that can touch a position. Without this, marking every word or segment against every
span made a long article's page and PDF quadratic (issue 12).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Generic, Protocol, TypeVar


class Span(Protocol):
    start: int
    end: int


S = TypeVar("S", bound=Span)


class SpanLookup(Generic[S]):
    """Non-overlapping spans, sorted once; queried by position."""

    def __init__(self, spans: Iterable[S]) -> None:
        self.spans: list[S] = sorted(spans, key=lambda s: (s.start, s.end))
        self._ends = [s.end for s in self.spans]

    def __bool__(self) -> bool:
        return bool(self.spans)

    def overlapping(self, start: int, end: int) -> list[S]:
        """The spans that share at least one character with ``[start, end)``."""
        found = []
        for i in range(bisect.bisect_right(self._ends, start), len(self.spans)):
            if self.spans[i].start >= end:
                break
            found.append(self.spans[i])
        return found

    def first_overlapping(self, start: int, end: int) -> S | None:
        i = bisect.bisect_right(self._ends, start)
        if i < len(self.spans) and self.spans[i].start < end:
            return self.spans[i]
        return None

    def containing(self, start: int, end: int) -> S | None:
        """The span that covers all of ``[start, end)``, if one does."""
        span = self.first_overlapping(start, end)
        return span if span is not None and span.start <= start and end <= span.end else None
