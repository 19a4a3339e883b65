"""Search: URL parameters, the Whoosh query, facets, and Arabic-aware snippets.

Views and the API call ``parse_params`` then ``run_search``; the reading page calls ``hit_spans``.
Everything goes through the one Arabic analyzer, so a query for الرئيس finds and marks والرئيس,
للرئيس and الرئيس alike. For speed: facets and the exact count come from one unscored pass with
Whoosh's grouping; relevance ranking scores only what can reach the page (block-quality skipping);
database rows are fetched for the page only.
"""

from __future__ import annotations

import datetime
import functools
import math
import re
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

import numpy as np
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from whoosh import query
from whoosh.qparser import (
    GroupPlugin,
    OperatorsPlugin,
    PhrasePlugin,
    QueryParser,
    WhitespacePlugin,
    WildcardPlugin,
)

from articles import query_input
from articles.actor_queries import ActorOffer, actor_offers, expand_actor_aliases
from articles.highlight import HitSpan, render_snippet
from articles.models import Article, Entity, Source
from articles.query_marks import QueryTerms, find_hits, positive_terms
from articles.search_backend import (
    BM25_B,
    BM25_K1,
    IndexSnapshot,
    PrefixTooBroad,
    searcher,
    snapshot,
)
from articles.selectors import event_article_ids, title_mentions_prefetch

PER_PAGE = 20
MAX_QUERY_CHARS = 500
MIN_PREFIX_CHARS = 2
MAX_PREFIX_TERMS = 2000  # index terms one word* may expand to
QUERY_BUDGET_S = 0.8  # matching and ranking; past it the query is refused as too broad
ACTOR_FACET_SIZE = 25
SNIPPET_CHARS = 240
SORTS = ("relevance", "date")
OPERATORS = frozenset({"AND", "OR", "NOT"})


class SearchInputError(ValueError):
    """A parameter or query the user can fix; the message is a translatable English msgid."""

    def __init__(self, message, **values: object) -> None:
        super().__init__(message)
        self.message = message
        self.values = values

    def text(self, *, language: str | None = None) -> str:
        if language is None:
            return str(self.message) % self.values
        with translation.override(language):
            return str(self.message) % self.values

    def bilingual(self) -> str:
        """Arabic and English in one line, for the JSON API."""
        return f"{self.text(language='ar')} / {self.text(language='en')}"


@dataclass(frozen=True)
class SearchParams:
    """The whole state of a search, as it is in the URL."""

    q: str = ""
    actors: tuple[str, ...] = ()
    source: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    event_from: datetime.date | None = None  # articles that talk about a day in this range
    event_to: datetime.date | None = None
    sort: str = "relevance"
    page: int = 1

    @property
    def effective_sort(self) -> str:
        """Browsing without words has nothing to rank by relevance: newest first."""
        return self.sort if self.q else "date"

    def query_items(self, **changes: object) -> list[tuple[str, str]]:
        """URL parameters for this state with ``changes`` applied (page 1 unless given)."""
        state = {
            "q": self.q,
            "actors": self.actors,
            "source": self.source,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "event_from": self.event_from,
            "event_to": self.event_to,
            "sort": self.sort,
            "page": 1,
        } | changes
        items: list[tuple[str, str]] = []
        if state["q"]:
            items.append(("q", state["q"]))
        items += [("actor", slug) for slug in state["actors"]]
        if state["source"]:
            items.append(("source", state["source"]))
        if state["date_from"]:
            items.append(("from", state["date_from"].isoformat()))
        if state["date_to"]:
            items.append(("to", state["date_to"].isoformat()))
        if state["event_from"]:
            items.append(("event_from", state["event_from"].isoformat()))
        if state["event_to"]:
            items.append(("event_to", state["event_to"].isoformat()))
        if state["sort"] != "relevance":
            items.append(("sort", state["sort"]))
        if state["page"] != 1:
            items.append(("page", str(state["page"])))
        return items

    def url(self, **changes: object) -> str:
        items = self.query_items(**changes)
        return "?" + urlencode(items) if items else "?"


def _date_param(value: str, *, name: str) -> datetime.date | None:
    if not value:
        return None
    try:
        if len(value) == 10:
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    raise SearchInputError(
        _("The date “%(value)s” for “%(name)s” is not a date of the form YYYY-MM-DD."),
        value=value,
        name=name,
    )


def parse_params(data: Mapping) -> SearchParams:
    """Read and check the URL parameters (a QueryDict); raises SearchInputError."""
    q = " ".join(data.get("q", "").split())
    if len(q) > MAX_QUERY_CHARS:
        raise SearchInputError(
            _("The query is too long (at most %(limit)s characters)."), limit=MAX_QUERY_CHARS
        )
    sort = data.get("sort", "") or "relevance"
    if sort not in SORTS:
        raise SearchInputError(
            _("Unknown sort order “%(value)s”: use relevance or date."), value=sort
        )
    raw_page = data.get("page", "") or "1"
    if not raw_page.isascii() or not raw_page.isdigit() or int(raw_page) < 1:
        raise SearchInputError(
            _("The page “%(value)s” is not a page number (1, 2, 3 …)."), value=raw_page
        )
    date_from = _date_param(data.get("from", "").strip(), name="from")
    date_to = _date_param(data.get("to", "").strip(), name="to")
    if date_from and date_to and date_from > date_to:
        raise SearchInputError(_("The start date is after the end date."))
    event_from = _date_param(data.get("event_from", "").strip(), name="event_from")
    event_to = _date_param(data.get("event_to", "").strip(), name="event_to")
    if event_from and event_to and event_from > event_to:
        raise SearchInputError(_("The start date is after the end date."))
    actors = tuple(dict.fromkeys(a.strip() for a in data.getlist("actor") if a.strip()))
    known = set(Entity.objects.filter(slug__in=actors).values_list("slug", flat=True))
    for slug in actors:
        if slug not in known:
            raise SearchInputError(_("There is no actor “%(value)s”."), value=slug)
    source = data.get("source", "").strip()
    if source and not Source.objects.filter(slug=source).exists():
        raise SearchInputError(_("There is no outlet “%(value)s”."), value=source)
    return SearchParams(
        q=q,
        actors=actors,
        source=source,
        date_from=date_from,
        date_to=date_to,
        event_from=event_from,
        event_to=event_to,
        sort=sort,
        page=int(raw_page),
    )


# --- query parsing ----------------------------------------------------------------------------


@functools.cache
def _parser() -> QueryParser:
    """Words, "phrases", (groups), AND/OR/NOT and a trailing * — no field names or ranges."""
    return QueryParser(
        "text",
        schema=searcher().schema,
        plugins=[
            WhitespacePlugin(),
            WildcardPlugin(),
            PhrasePlugin(),
            GroupPlugin(),
            OperatorsPlugin(),
        ],
    )


_BARE = re.compile(r'"[^"]*"|[^\s"()]+|[()]')


def _check_syntax(text: str) -> None:
    """Reject what Whoosh would silently read as something else (a lone AND becomes a word)."""
    if text.count('"') % 2:
        raise SearchInputError(_("A quotation mark is not closed."))
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
    if depth:
        raise SearchInputError(_("A parenthesis is not closed or not opened."))
    pieces = [p for p in _BARE.findall(text) if p not in "()"]
    for i, piece in enumerate(pieces):
        if piece not in OPERATORS:
            _check_wildcards(piece)
            if ("*" in piece.rstrip("*") or "?" in piece) and not piece.startswith('"'):
                raise SearchInputError(
                    _("Use * only at the end of a word, as in “%(example)s”."), example="اقتصاد*"
                )
            continue
        before = pieces[i - 1] if i else None
        after = pieces[i + 1] if i + 1 < len(pieces) else None
        binary = piece != "NOT"  # NOT needs only a word after it ("a AND NOT b" is fine)
        followers = {"AND", "OR"} if binary else OPERATORS
        if after is None or after in followers or (binary and before in {None, *OPERATORS}):
            raise SearchInputError(_("%(operator)s needs a word on each side."), operator=piece)


def _check_wildcards(piece: str) -> None:
    """A lone *, ** or ab** would scan the whole lexicon (Whoosh's Wildcard, Every): refused."""
    if piece.startswith('"') or "*" not in piece:
        return
    if not piece.strip("*?"):
        raise _short_prefix()
    if piece.endswith("**"):
        raise SearchInputError(
            _("Use * only at the end of a word, as in “%(example)s”."), example="اقتصاد*"
        )


def _check_nodes(node: query.Query) -> None:
    """Nothing the parser made may scan the lexicon: only words, prefixes, phrases, operators."""
    if isinstance(node, (query.Wildcard, query.Every)) and not isinstance(node, query.Prefix):
        raise _short_prefix()
    for child in node.children():
        _check_nodes(child)


def _short_prefix() -> SearchInputError:
    return SearchInputError(
        _("A word ending in * needs at least %(count)s letters before the *."),
        count=MIN_PREFIX_CHARS,
    )


def _too_broad() -> SearchInputError:
    return SearchInputError(
        _("The query is too broad to answer quickly: add letters before the * or more words.")
    )


class _Work(dict):
    """Postings read so far by one query, and the time it may still take (QUERY_BUDGET_S)."""

    def __init__(self) -> None:
        super().__init__()
        self.deadline = time.monotonic() + QUERY_BUDGET_S

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise _too_broad()

    def prefix_terms(self, snap: IndexSnapshot, prefix: str) -> list[str]:
        """The index terms of ``prefix*``, at most MAX_PREFIX_TERMS, within the time left."""
        key = ("*", prefix)
        if key not in self:
            try:
                self[key] = snap.expand_prefix(
                    prefix, limit=MAX_PREFIX_TERMS, deadline=self.deadline
                )
            except PrefixTooBroad as exc:
                raise _too_broad() from exc
        return self[key]


@dataclass(frozen=True)
class ParsedQuery:
    query: query.Query
    terms: QueryTerms
    actors: tuple[str, ...] = ()  # actors the query names by an alias, outside NOT parts


def parse_query(text: str) -> ParsedQuery:
    """The Whoosh query for the user's words; raises SearchInputError when it cannot be searched."""
    text = query_input.prepare(text)
    _check_syntax(text)
    try:
        parsed = _parser().parse(text)
    except Exception as exc:  # Whoosh's parser has corner cases of its own; never a 500
        raise SearchInputError(_("The query could not be read; check its operators.")) from exc
    parsed = query_input.without_empty_words(parsed, text)
    if parsed is query.NullQuery or isinstance(parsed, type(query.NullQuery)):
        raise SearchInputError(
            _("The query has no words to search for (only very common words or signs).")
        )
    _check_nodes(parsed)
    expanded = expand_actor_aliases(parsed)
    terms = positive_terms(expanded.marks)
    if any(len(p) < MIN_PREFIX_CHARS for p in terms.prefixes):
        raise _short_prefix()
    return ParsedQuery(query=expanded.query, terms=terms, actors=expanded.actors)


def hits_for_query(body: str, *, q: str) -> list[HitSpan]:
    """What the reading page marks when opened from a search result (``?q=``)."""
    return hit_spans(body, terms=query_terms(q))


def query_terms(text: str) -> QueryTerms:
    """Terms to mark for ``?q=`` on the reading page; an unusable query marks nothing."""
    try:
        return parse_query(" ".join(text.split())[:MAX_QUERY_CHARS]).terms
    except SearchInputError:
        return QueryTerms()


# --- snippets and hit marks -------------------------------------------------------------------


def _lead(body: str, *, chars: int) -> SafeString:
    if len(body) <= chars:
        return mark_safe(escape(body))  # noqa: S308 - escaped
    cut = body.rfind(" ", 0, chars)
    return mark_safe(escape(body[: cut if cut > 0 else chars]) + " …")  # noqa: S308 - escaped


def _hits(body: str, *, terms: QueryTerms) -> list[tuple[int, int, str]]:
    """(start, end, query part) of every word and phrase of ``body`` the query marks, in order."""
    return find_hits(body, terms=terms)


def hit_spans(body: str, *, terms: QueryTerms) -> list[HitSpan]:
    """Every word of ``body`` that the query matched (any clitic or spelling form), whole words."""
    return [HitSpan(start, end) for start, end, _key in _hits(body, terms=terms)] if terms else []


def _best_window(hits: list[tuple[int, int, str]], *, chars: int) -> int:
    """Index of the hit that opens the ``chars`` stretch with the most distinct query terms (then
    the most hits): one sliding window over the hits, linear however long the article is."""
    best, best_score = 0, (0, 0)
    keys: Counter[str] = Counter()
    stop = 0
    for n, (first, _end, _key) in enumerate(hits):
        while stop < len(hits) and hits[stop][1] - first <= chars:
            keys[hits[stop][2]] += 1
            stop += 1
        score = (len(keys), stop - n)
        if score > best_score:
            best, best_score = n, score
        if stop > n:
            keys[hits[n][2]] -= 1
            if not keys[hits[n][2]]:
                del keys[hits[n][2]]
        else:
            stop = n + 1
    return best


def snippet(body: str, *, terms: QueryTerms, chars: int = SNIPPET_CHARS) -> SafeString:
    """About ``chars`` characters around the stretch with the most distinct query terms (then the
    most hits), every matched form marked on whole words."""
    hits = _hits(body, terms=terms) if terms else []
    if not hits:
        return _lead(body, chars=chars)
    best = _best_window(hits, chars=chars)
    first = hits[best][0]
    if first <= chars // 6:  # some words of context before the first hit, cut at a space
        start = 0
    else:
        space = body.rfind(" ", 0, first - chars // 6)
        start = space + 1 if space >= 0 and first - space <= chars // 3 else first
    end = len(body) if start + chars >= len(body) else body.rfind(" ", first, start + chars)
    end = max(end, hits[best][1])
    spans = [HitSpan(s, e) for s, e, _key in hits if start <= s and e <= end]
    html = render_snippet(body[start:end], offset=start, hits=spans)
    prefix = "… " if start else ""
    suffix = " …" if end < len(body) else ""
    return mark_safe(prefix + html + suffix)  # noqa: S308 - render_snippet escapes the text


# --- running a search -------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetValue:
    key: str
    name: str
    count: int
    selected: bool
    url: str


@dataclass
class SearchHit:
    article: Article
    actors: list[str]
    snippet: SafeString


@dataclass
class SearchPage:
    params: SearchParams
    count: int
    hits: list[SearchHit]
    actors: list[FacetValue] = field(default_factory=list)
    sources: list[FacetValue] = field(default_factory=list)
    years: list[FacetValue] = field(default_factory=list)
    actor_suggestions: list[ActorOffer] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / PER_PAGE))

    @property
    def previous_url(self) -> str | None:
        return self.params.url(page=self.params.page - 1) if self.params.page > 1 else None

    @property
    def next_url(self) -> str | None:
        page = self.params.page
        return self.params.url(page=page + 1) if page < self.num_pages else None


def _match(node: query.Query, snap: IndexSnapshot, cache: _Work):
    """Boolean mask of the documents a parsed query matches (set algebra on numpy masks)."""
    cache.check()
    if isinstance(node, query.Term):
        return _term_mask(snap, node.text, cache)
    if isinstance(node, query.And):
        return functools.reduce(np.logical_and, (_match(c, snap, cache) for c in node.subqueries))
    if isinstance(node, query.Or):
        return functools.reduce(np.logical_or, (_match(c, snap, cache) for c in node.subqueries))
    if isinstance(node, query.Not):
        return snap.live & ~_match(node.query, snap, cache)
    if isinstance(node, query.AndNot):
        return _match(node.a, snap, cache) & ~_match(node.b, snap, cache)
    if isinstance(node, query.Prefix):
        mask = np.zeros(snap.size, dtype=bool)
        for term in cache.prefix_terms(snap, node.text):
            mask |= _term_mask(snap, term, cache)
            cache.check()
        return mask
    if isinstance(node, query.Phrase):
        return _phrase_mask(node.words, snap, cache)
    if isinstance(node, query.Every):
        return snap.live.copy()
    mask = np.zeros(snap.size, dtype=bool)  # anything else: Whoosh's own matcher
    mask[list(snap.searcher.docs_for_query(node))] = True
    return mask


def _term_mask(snap: IndexSnapshot, term: str, cache: dict):
    if term not in cache:
        cache[term] = snap.postings("text", term)
    mask = np.zeros(snap.size, dtype=bool)
    mask[cache[term][0]] = True
    return mask


def _phrase_mask(words: list[str], snap: IndexSnapshot, cache: _Work):
    """Documents with the words at consecutive positions (stop words were dropped at both ends)."""
    mask = functools.reduce(np.logical_and, (_term_mask(snap, w, cache) for w in words))
    if len(words) < 2 or not mask.any():
        return mask
    decode = snap.searcher.schema["text"].format.decode_positions
    shifted: list[dict[int, set[int]]] = []
    for i, word in enumerate(words):
        ids, _weights, values = snap.postings("text", word, values=True)
        wanted = mask[ids]
        shifted.append(
            {
                int(doc): {p - i for p in decode(value)}
                for doc, value, keep in zip(ids, values, wanted, strict=True)
                if keep
            }
        )
    result = np.zeros(snap.size, dtype=bool)
    for n, doc in enumerate(np.flatnonzero(mask)):
        if not n % 1000:
            cache.check()
        starts = shifted[0][doc]
        for positions in shifted[1:]:
            starts = starts & positions[doc]
            if not starts:
                break
        result[doc] = bool(starts)
    return result


def _filter_mask(params: SearchParams, snap: IndexSnapshot):
    mask = snap.live.copy()
    for slug in params.actors:
        mask &= snap.facets["actors"].get(slug, False)
    if params.source:
        mask &= snap.facets["source"].get(params.source, False)
    if params.date_from or params.date_to:
        mask &= snap.has_date
        if params.date_from:
            mask &= snap.dates >= snap.date_key(params.date_from)
        if params.date_to:
            mask &= snap.dates <= snap.date_key(params.date_to)
    if params.event_from or params.event_to:
        talking = np.zeros(snap.size, dtype=bool)
        for pk in event_article_ids(start=params.event_from, end=params.event_to):
            talking[snap.postings("django_id", str(pk))[0]] = True
        mask &= talking
    return mask


def _ranked(snap: IndexSnapshot, mask, *, parsed: ParsedQuery, cache: _Work, limit: int):
    """Top ``limit`` docnums by BM25 over the query's positive terms, computed in one vector pass."""
    scores = np.zeros(snap.size, dtype=np.float32)
    terms = set(parsed.terms.terms)
    for prefix in parsed.terms.prefixes:
        terms.update(cache.prefix_terms(snap, prefix))
    for term in terms:
        if term not in cache:
            cache[term] = snap.postings("text", term)
        ids, tf = cache[term]
        if not len(ids):
            continue
        idf = math.log(1 + (snap.doc_count - len(ids) + 0.5) / (len(ids) + 0.5))
        norm = BM25_K1 * (1 - BM25_B + BM25_B * snap.lengths[ids] / snap.avg_length)
        scores[ids] += idf * tf * (BM25_K1 + 1) / (tf + norm)
    candidates = np.flatnonzero(mask)
    found = scores[candidates]
    if limit < len(candidates):
        top = np.argpartition(-found, limit - 1)[:limit]
        candidates, found = candidates[top], found[top]
    return candidates[np.lexsort((-candidates, -found))]


def _newest(snap: IndexSnapshot, mask, *, limit: int):
    candidates = np.flatnonzero(mask)
    dates = np.where(snap.has_date[candidates], snap.dates[candidates], -1)
    return candidates[np.lexsort((-candidates, -dates))][:limit]


def _facet_values(params: SearchParams, counts: dict[str, dict[str, int]]) -> dict:
    """Facet rows with names and the URL that toggles each filter, keeping the rest of the state."""
    actor_counts = counts["actors"]
    top = sorted(actor_counts, key=lambda s: (-actor_counts[s], s))[:ACTOR_FACET_SIZE]
    shown_actors = list(dict.fromkeys([*params.actors, *top]))
    names = dict(Entity.objects.filter(slug__in=shown_actors).values_list("slug", "name_ar"))
    actors = [
        FacetValue(
            key=slug,
            name=names.get(slug, slug),
            count=actor_counts.get(slug, 0),
            selected=slug in params.actors,
            url=params.url(
                actors=tuple(a for a in params.actors if a != slug)
                if slug in params.actors
                else (*params.actors, slug)
            ),
        )
        for slug in shown_actors
    ]
    source_counts = counts["source"]
    shown_sources = sorted(source_counts, key=lambda s: (-source_counts[s], s))
    if params.source and params.source not in source_counts:
        shown_sources.insert(0, params.source)
    source_names = dict(Source.objects.filter(slug__in=shown_sources).values_list("slug", "name"))
    sources = [
        FacetValue(
            key=slug,
            name=source_names.get(slug, slug),
            count=source_counts.get(slug, 0),
            selected=slug == params.source,
            url=params.url(source="" if slug == params.source else slug),
        )
        for slug in shown_sources
    ]
    years = []
    for year in sorted(counts["year"], reverse=True):
        first, last = datetime.date(int(year), 1, 1), datetime.date(int(year), 12, 31)
        selected = (params.date_from, params.date_to) == (first, last)
        years.append(
            FacetValue(
                key=year,
                name=year,
                count=counts["year"][year],
                selected=selected,
                url=params.url(
                    date_from=None if selected else first, date_to=None if selected else last
                ),
            )
        )
    return {"actors": actors, "sources": sources, "years": years}


def _matching(params: SearchParams):
    """The snapshot, parsed query, postings read so far and the mask of matching documents."""
    parsed = parse_query(params.q) if params.q else None
    snap = snapshot()
    cache = _Work()
    mask = _filter_mask(params, snap)
    if parsed:
        mask &= _match(parsed.query, snap, cache)
    return snap, parsed, cache, mask


def _ordered(params: SearchParams, snap: IndexSnapshot, parsed, cache: _Work, mask, *, limit: int):
    if params.effective_sort == "date":
        return _newest(snap, mask, limit=limit)
    return _ranked(snap, mask, parsed=parsed, cache=cache, limit=limit)


def result_ids(*, params: SearchParams, limit: int | None = None) -> tuple[int, list[int]]:
    """The count and the article ids of a whole result set in page order, up to ``limit``
    (exports, feeds, KWIC take exactly what the search page lists). Raises SearchInputError."""
    snap, parsed, cache, mask = _matching(params)
    total = int(np.count_nonzero(mask))
    wanted = total if limit is None else min(limit, total)
    if not wanted:
        return total, []
    docnums = _ordered(params, snap, parsed, cache, mask, limit=wanted)
    stored = snap.searcher.stored_fields
    return total, [int(stored(int(docnum))["django_id"]) for docnum in docnums]


def run_search(params: SearchParams) -> SearchPage:
    """One page of results with the exact count and facets; raises SearchInputError."""
    snap, parsed, cache, mask = _matching(params)
    limit = params.page * PER_PAGE
    docnums = _ordered(params, snap, parsed, cache, mask, limit=limit)
    counts = {
        name: {value: n for value, vm in values.items() if (n := int(np.count_nonzero(mask & vm)))}
        for name, values in snap.facets.items()
    }
    return SearchPage(
        params=params,
        count=int(np.count_nonzero(mask)),
        hits=_page_hits(
            snap.searcher,
            [int(d) for d in docnums[limit - PER_PAGE : limit]],
            terms=parsed.terms if parsed else QueryTerms(),
        ),
        **_facet_values(params, counts),
        actor_suggestions=_actor_suggestions(params, parsed, snap),
    )


def _actor_suggestions(params: SearchParams, parsed, snap: IndexSnapshot) -> list[ActorOffer]:
    """The actors the words name, offered as filters counted under the other filters."""
    if not parsed or not parsed.actors:
        return []
    base = _filter_mask(params, snap)
    masks = snap.facets["actors"]
    return actor_offers(
        params,
        parsed.actors,
        count_for=lambda slug: int(np.count_nonzero(base & masks[slug])) if slug in masks else 0,
    )


def _page_hits(s, docnums: list[int], *, terms: QueryTerms) -> list[SearchHit]:
    """Database rows for the page only, in ranking order, with their snippets."""
    stored = [s.stored_fields(docnum) for docnum in docnums]
    pks = [int(fields["django_id"]) for fields in stored]
    articles = (
        Article.objects.select_related("source")
        .only("id", "title", "body", "published_on", "source__name", "source__slug")
        .prefetch_related(title_mentions_prefetch())
        .in_bulk(pks)
    )
    hits = []
    for pk, fields in zip(pks, stored, strict=True):
        article = articles.get(pk)
        if article is None:  # deleted, index update still queued
            continue
        actors = [a for a in fields.get("actors", "").split(",") if a]
        hits.append(
            SearchHit(article=article, actors=actors, snippet=snippet(article.body, terms=terms))
        )
    return hits


def api_payload(page: SearchPage, *, build_url) -> dict:
    """The JSON body of /api/search/ (``build_url`` makes a path absolute)."""
    return {
        "count": page.count,
        "results": [
            {
                "id": hit.article.pk,
                "title": hit.article.title,
                "url": build_url(hit.article.get_absolute_url()),
                "source": hit.article.source.slug if hit.article.source else None,
                "published_on": hit.article.published_on.isoformat()
                if hit.article.published_on
                else None,
                "actors": hit.actors,
                "snippet": str(hit.snippet),
            }
            for hit in page.hits
        ],
        "facets": {
            "actors": [{"slug": v.key, "name": v.name, "count": v.count} for v in page.actors],
            "sources": [{"slug": v.key, "name": v.name, "count": v.count} for v in page.sources],
            "years": [{"year": int(v.key), "count": v.count} for v in page.years],
        },
        "actor_suggestions": [
            {
                "slug": offer.slug,
                "name": offer.name,
                "count": offer.count,
                "url": build_url(reverse("articles:search") + offer.url),
                "api_url": build_url(reverse("articles:api_search") + offer.url),
            }
            for offer in page.actor_suggestions
        ],
    }
