"""The one contract every search engine meets: a query tree, a request, a result, a backend.

Everything above this seam (``articles.search``, near-duplicates, services, commands) sees only
these types. Text arrives already analysed: a document's text fields are lists of the Arabic
analyzer's terms (``articles.arabic.analysis``), and query leaves carry analysed terms, so every
engine matches exactly the same words. Engine modules (``articles.engines.whoosh``,
``articles.engines.opensearch``) are the only places that import an engine library.

A document is a dict built from the one field declaration (``articles.index_fields``)::

    {"id": 17,                                   # Article.pk
     "title": ["بوتين", "زار", ...],             # analysed terms, positions = list order
     "body": [...],
     "actors": ["putin", "xi-jinping"],          # keyword fields: lists of strings
     "source": "aljazeera",
     "published_on": datetime.date(2024, 5, 8),  # or None
     "event_dates": [datetime.date(...), ...],   # date lists filter like dates
     "length": 812,                              # body terms, for length normalisation
     "content_hash": "…"}                        # what check_index compares
"""

from __future__ import annotations

import abc
import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field


class EngineUnavailable(RuntimeError):
    """The engine cannot answer (down, timeout, refused): the page says so, the API gives 503."""


class IndexMissing(LookupError):
    """There is no index to read (never built, or deleted); its message is where it should be.
    Raised by the read-only reads (``content_hashes``), which never make one."""


class QueryTooBroad(ValueError):
    """The query would take longer than its ``budget_s`` or a prefix expands to more than
    ``max_prefix_terms`` terms: the user is asked for a narrower query (HTTP 400)."""


# --- the query tree -------------------------------------------------------------------------
# ``fields`` empty means every text field, each with its declared weight.


@dataclass(frozen=True)
class Term:
    text: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Prefix:
    text: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Phrase:
    terms: tuple[str, ...]
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class MatchAll:
    pass


Node = Term | Prefix | Phrase | And | Or | Not | MatchAll


# --- filters, request, result ---------------------------------------------------------------


@dataclass(frozen=True)
class AnyOf:
    """Keyword field holds at least one of ``values`` (OR within one facet group)."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class AllOf:
    """Keyword field holds every one of ``values`` (actors chosen one after another)."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class DateRange:
    """Date (or date-list) field has a day within [start, end], either end open."""

    field: str
    start: datetime.date | None = None
    end: datetime.date | None = None


Filter = AnyOf | AllOf | DateRange


@dataclass(frozen=True)
class Histogram:
    field: str = "published_on"
    interval: str = "month"  # "day" | "month" | "year"


@dataclass(frozen=True)
class SearchRequest:
    query: Node = MatchAll()
    filters: tuple[Filter, ...] = ()
    sort: str = "relevance"  # "relevance" | "date" (newest first) | "date_asc"
    offset: int = 0
    limit: int = 20
    facets: tuple[str, ...] = ()  # keyword fields to count under the request's filters
    histogram: Histogram | None = None
    budget_s: float | None = None  # matching and ranking time; past it: QueryTooBroad
    max_prefix_terms: int = 2000  # index terms one Prefix may expand to; past it: QueryTooBroad
    # Ranking only: a document matching one of these scores ``scoring.BOOST_BONUS`` more for
    # each (the actors a query names, so the matcher's attribution outranks a namesake).
    boosts: tuple[Filter, ...] = ()


@dataclass(frozen=True)
class Hit:
    id: int
    score: float


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # (period, count) in time order; period is "YYYY", "YYYY-MM" or "YYYY-MM-DD" by interval
    histogram: list[tuple[str, int]] = field(default_factory=list)


class SearchBackend(abc.ABC):
    """One implementation per engine; the contract suite runs against each."""

    name: str

    @abc.abstractmethod
    def index(self, *, documents: Iterable[dict]) -> int:
        """Add or replace these documents (by id); visible to searches once this returns."""

    def index_later(self, *, documents: Iterable[dict]) -> Callable[[], int]:
        """Begin indexing these documents while the caller works on; the returned call finishes
        (like ``index``: visible once it returns). Here the whole work waits for that call."""
        documents = list(documents)
        return lambda: self.index(documents=documents)

    @abc.abstractmethod
    def remove(self, *, ids: Iterable[int]) -> None:
        """Drop these ids; unknown ids are ignored."""

    @abc.abstractmethod
    def rebuild(self, *, documents: Iterable[dict]) -> int:
        """Write a whole new index beside the live one and swap it in atomically:
        searches keep answering from the old index until the swap."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Empty the index."""

    @abc.abstractmethod
    def search(self, request: SearchRequest) -> SearchResult:
        """Ids and scores of one page, the exact total, facet counts and the histogram.
        Raises EngineUnavailable when the engine cannot answer."""

    def is_current(self) -> bool:
        """False when another analyzer (or index layout) version wrote the index: its terms
        are stale and ``ensure_index`` rebuilds it without reading it."""
        return True

    @abc.abstractmethod
    def count(self) -> int:
        """Documents in the index."""

    @abc.abstractmethod
    def content_hashes(self) -> dict[int, str]:
        """id -> content_hash of every indexed document (check_index compares these). Read-only:
        raises IndexMissing when there is no index, instead of making one."""

    @abc.abstractmethod
    def expand_prefix(self, *, prefix: str, limit: int) -> list[str]:
        """Indexed text terms starting with ``prefix``, at most ``limit`` (most frequent first)."""

    @abc.abstractmethod
    def document_frequencies(self, *, terms: Sequence[str]) -> dict[str, int]:
        """How many documents hold each term in any text field (near-duplicate candidates
        are looked up by their rarest terms)."""
