"""The bulk import pipeline: draft and match in worker processes, save and index in batches.

Units (articles.ingest.streaming) are drafted, hashed, matched against the gazetteer, searched
for event dates and (for the import command) analysed for the index in a pool of worker
processes (``drafting_workers``); the parent saves them SAVE_BATCH at a time — articles,
mentions and index operations in one transaction — and drains the index queue after each
batch. A batch that fails leaves nothing behind; the batches before it stay saved and queued.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q

from articles import index_fields
from articles.arabic.event_dates import DateMention, find_event_dates
from articles.entities.matcher import EntityMatcher
from articles.ingest.drafts import ArticleDraft
from articles.ingest.errors import IngestError
from articles.ingest.readers import UploadLimits
from articles.ingest.streaming import Unit, read_unit
from articles.models import Article, EventDate, IndexOperation, Mention, Source, UploadedFile
from articles.selectors import entity_matcher
from articles.services.articles import (
    SaveOutcome,
    article_from_draft,
    content_hash,
    get_or_create_source,
    save_article,
)
from articles.services.drafting_workers import start_worker, worker_context
from articles.services.event_dates import EVENT_DATE_FIELDS, event_date_rows
from articles.services.index import queue_index_operations
from articles.services.row_inserts import insert_rows

WORKERS = 2
SAVE_BATCH = 500
IN_FLIGHT_UNITS = 1000  # units read ahead of the workers: bounds the parent's memory
POOL_CHUNK = 16
MENTION_TEXT_CHARS = Mention._meta.get_field("text").max_length
MENTION_FIELDS = ("article_id", "entity_id", "start", "end", "text", "via", "field")


@dataclass
class Drafted:
    """A unit's result as the workers hand it back: a draft with its hash, matched spans, event
    dates and (when asked) its text fields analysed for the index."""

    result: ArticleDraft | IngestError
    digest: str = ""
    spans: list[tuple] = field(default_factory=list)  # (slug, start, end, text, via, field)
    dates: list[DateMention] | None = None  # None: not searched yet
    analysed: index_fields.Analysed | None = None


worker_state: dict = {}  # the matcher, limits and whether to analyse, in a worker or inline


def drafted_of(draft: ArticleDraft, *, matcher: EntityMatcher, analyse: bool = False) -> Drafted:
    """A draft with its content hash, the gazetteer's matches in its title and body, the dates
    its body talks about and (``analyse``) the index terms of its text fields."""
    spans = matcher.find_article(
        title=draft.title, body=draft.body, published_on=draft.published_on
    )
    return Drafted(
        result=draft,
        digest=content_hash(body=draft.body),
        spans=[(s.slug, s.start, s.end, s.text, s.via, s.field) for s in spans],
        dates=find_event_dates(draft.body, published=draft.published_on)
        if draft.published_on
        else [],
        analysed=index_fields.analyse_ahead({"title": draft.title, "body": draft.body})
        if analyse
        else None,
    )


def draft_unit(unit: Unit) -> list[Drafted]:
    """Read, clean, hash and match one unit (in a worker process, or inline)."""
    return [
        Drafted(result=result)
        if isinstance(result, IngestError)
        else drafted_of(result, matcher=worker_state["matcher"], analyse=worker_state["analyse"])
        for result in read_unit(unit, limits=worker_state["limits"])
    ]


def draft_units(units: list[Unit]) -> list[list[Drafted]]:
    """``draft_unit`` of each of a chunk of units (one task of a worker)."""
    return [draft_unit(unit) for unit in units]


def drafted_units(
    units: Iterable[Unit], *, limits: UploadLimits, workers: int = WORKERS, analyse: bool = False
) -> Iterator[list[Drafted]]:
    """Each unit's drafts, in order; `workers` > 1 drafts in a pool of processes started by a
    fork server (safe from a caller running other threads: a web server, a job's heartbeat).

    Chunks of POOL_CHUNK units are handed out while IN_FLIGHT_UNITS units are unconsumed, so a
    file of any size is read only as fast as it is saved. (A ``multiprocessing.Pool`` wakes its
    worker-minding thread for every result waiting in its pipe: a tenth of this process's CPU.)
    """
    matcher, _ids = entity_matcher()
    state = {"matcher": matcher, "limits": limits, "analyse": analyse}
    if workers <= 1:
        worker_state.update(state)
        yield from map(draft_unit, units)
        return
    rest = iter(units)
    chunks = iter(lambda: list(islice(rest, POOL_CHUNK)), [])
    in_flight: deque[Future] = deque()
    with ProcessPoolExecutor(
        workers, mp_context=worker_context(), initializer=start_worker, initargs=(state,)
    ) as pool:
        try:
            while True:
                while len(in_flight) * POOL_CHUNK < IN_FLIGHT_UNITS and (
                    chunk := next(chunks, None)
                ):
                    in_flight.append(pool.submit(draft_units, chunk))
                if not in_flight:
                    return
                yield from in_flight.popleft().result()
        finally:  # stopped early: what was not begun is not drafted
            for future in in_flight:
                future.cancel()


@dataclass
class PendingDraft:
    drafted: Drafted
    uploaded_file: UploadedFile | None


def save_batch(
    *, pending: list[PendingDraft], uploaded_by: AbstractBaseUser | None = None
) -> list[SaveOutcome]:
    """Save drafts as one transaction (articles, mentions, index operations); duplicates of the
    corpus or of an earlier draft in the batch are not saved. When another writer saved some of
    the same articles meanwhile, the batch is saved one draft at a time instead."""
    try:
        with transaction.atomic():
            return _insert_batch(pending=pending, uploaded_by=uploaded_by)
    except IntegrityError:
        return [
            save_article(
                draft=item.drafted.result, uploaded_by=uploaded_by, uploaded_file=item.uploaded_file
            )
            for item in pending
        ]


def _insert_batch(
    *, pending: list[PendingDraft], uploaded_by: AbstractBaseUser | None
) -> list[SaveOutcome]:
    _matcher, entity_ids = entity_matcher()
    hashes = {item.drafted.digest for item in pending}
    urls = {item.drafted.result.url for item in pending if item.drafted.result.url}
    by_hash: dict[str, Article] = {}
    by_url: dict[str, Article] = {}
    for article in Article.objects.filter(Q(content_hash__in=hashes) | Q(url__in=urls)).only(
        "pk", "title", "content_hash", "url"
    ):
        by_hash[article.content_hash] = article
        if article.url:
            by_url.setdefault(article.url, article)
    sources: dict[str, Source | None] = {}
    outcomes: list[SaveOutcome | None] = []
    new: list[tuple[int, Article, Drafted]] = []
    for item in pending:
        draft, digest = item.drafted.result, item.drafted.digest
        existing, reason = by_hash.get(digest), "same text"
        if existing is None and draft.url:
            existing, reason = by_url.get(draft.url), "same URL"
        if existing is not None:
            outcomes.append(
                SaveOutcome(
                    article=existing,
                    created=False,
                    duplicate_reason=reason,
                    name=draft.original_name,
                )
            )
            continue
        if draft.source_name not in sources:
            sources[draft.source_name] = get_or_create_source(name=draft.source_name)
        article = article_from_draft(
            draft=draft,
            digest=digest,
            source=sources[draft.source_name],
            uploaded_by=uploaded_by,
            uploaded_file=item.uploaded_file,
        )
        by_hash[digest] = article
        if draft.url:
            by_url[draft.url] = article
        new.append((len(outcomes), article, item.drafted))
        outcomes.append(None)
    Article.objects.bulk_create([article for _n, article, _d in new])
    insert_rows(
        model=Mention,
        fields=MENTION_FIELDS,
        rows=(
            (article.pk, entity_ids[slug], start, end, text[:MENTION_TEXT_CHARS], via, where)
            for _n, article, drafted in new
            for slug, start, end, text, via, where in drafted.spans
            if slug in entity_ids  # an actor deleted since the workers matched
        ),
    )
    insert_rows(
        model=EventDate,
        fields=EVENT_DATE_FIELDS,
        rows=(
            row
            for _n, article, drafted in new
            for row in event_date_rows(article_id=article.pk, found=drafted.dates or [])
        ),
    )
    queue_index_operations(
        article_ids=[article.pk for _n, article, _d in new], op=IndexOperation.Op.INDEX
    )
    for position, article, drafted in new:
        outcomes[position] = SaveOutcome(
            article=article,
            created=True,
            warnings=list(drafted.result.warnings),
            name=drafted.result.original_name,
        )
    return outcomes
