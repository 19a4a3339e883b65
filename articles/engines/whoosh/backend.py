"""The embedded engine: Whoosh files in the data dir, searched through shared numpy snapshots.

One instance per process (``articles.engines.get_backend``). Its snapshot of the live index —
searcher, arrays, postings cache — is shared by every thread and replaced only when a commit or
a swap changed the index, so runserver's thread per request reuses it.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent import futures
from itertools import islice
from pathlib import Path

import numpy as np

from articles import index_fields
from articles.engines.base import (
    EngineUnavailable,
    Hit,
    IndexMissing,
    MatchAll,
    QueryTooBroad,
    SearchBackend,
    SearchRequest,
    SearchResult,
)

from . import matching, ranking, segment_process
from .schema import ARTICLE_CT, DOC_KEY, whoosh_fields
from .segment_postings import ArrayLRU
from .snapshot import IndexSnapshot
from .store import IndexStore, write_lock

log = logging.getLogger(__name__)

BATCH_SIZE = 5000  # documents per writer (one segment each, held in memory until written)
# A rebuild writes segments of this many documents and merges none: few segments (a cold term
# is decoded once per segment), each a bounded writer's memory, and no merge pass over the
# whole index (Whoosh merges in Python, a posting at a time: longer than the build at 300k).
REBUILD_SEGMENT_DOCS = 25_000
SEGMENT_PROCESS_MIN = 1000  # fewer documents are written in place, not by a helper process


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _key(pk: int) -> str:
    return f"{ARTICLE_CT}.{int(pk)}"


class WhooshBackend(SearchBackend):
    name = "whoosh"

    def __init__(self, *, path: Path | str) -> None:
        self.store = IndexStore(Path(path))
        self._lock = threading.Lock()
        self._snapshot: IndexSnapshot | None = None
        self._indexes: dict[str, object] = {}
        self._segments: dict[str, object] = {}  # segment id -> its SegmentArrays
        self._postings = ArrayLRU()  # decoded postings per segment
        self._seen = False  # this process had an index: one that vanished is refilled, loudly

    # --- the live index ------------------------------------------------------------------

    @property
    def path(self) -> Path:
        return self.store.root

    def _index(self, name: str):
        found = self._indexes.get(name)
        if found is None:
            found = self._indexes[name] = self.store.open(name)
        return found

    def _live(self, *, create: bool = True) -> str:
        """The live directory's name, making an empty index first when there is none, or
        refilling it from the database when an index vanished: one this process saw, or any
        process made here (its lock file stays beside it), so a worker that never searched
        cannot swap in an empty index while the others wait to refill it. Without ``create``
        a missing index raises IndexMissing (nothing is made, not even the folder)."""
        name = self.store.live_name()
        if name:
            self._seen = True
            return name
        if not create:
            if self.store.root.exists() and not self.store.root.is_dir():  # a broken layout
                raise NotADirectoryError(f"the index folder is not a folder: {self.store.root}")
            raise IndexMissing(str(self.store.root))
        self.store.root.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.store.root.with_name(self.store.root.name + ".rebuild-lock")
        vanished = self._seen or lock_path.exists()
        with open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                name = self.store.live_name()
                if name is None:
                    name, _ix = self.store.new_directory()
                    if vanished:
                        log.error(
                            "The search index at %s is missing; rebuilding it from the database.",
                            self.store.root,
                        )
                        self._fill(name, index_fields.documents(ids=index_fields.all_ids()))
                    self.store.swap(name)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        self._seen = True
        return name

    def live_index(self):
        """The live directory's Whoosh index (for tests pinning the write lock)."""
        return self._index(self._live())

    def snapshot(self, *, create: bool = True) -> IndexSnapshot:
        """The arrays of the live index, shared by every thread of the process (``create``:
        as ``_live``)."""
        name = self._live(create=create)
        try:
            key = (name, self._index(name).latest_generation())
        except OSError:  # the directory went away under us: look again, once
            self._indexes.pop(name, None)
            name = self._live(create=create)
            key = (name, self._index(name).latest_generation())
        current = self._snapshot
        if current is not None and current.key == key:
            return current
        with self._lock:
            current = self._snapshot
            if current is None or current.key != key:
                current = self._snapshot = IndexSnapshot(
                    self._index(name).searcher(),
                    key=key,
                    segments=self._segments,
                    postings=self._postings,
                )
                for gone in self._segments.keys() - current.segment_ids:
                    del self._segments[gone]  # merged away or another directory's
                self._postings.keep_only(current.segment_ids)
                for other in [n for n in self._indexes if n != name]:
                    self._indexes.pop(other, None)  # a swapped-out directory is not reopened
            return current

    def forget(self) -> None:
        """Drop the snapshot (after a failed read), so the next search opens the index again."""
        with self._lock:
            self._snapshot = None
            self._indexes.clear()
            self._segments.clear()
            self._postings.clear()

    def is_current(self) -> bool:
        return self.store.recorded_version() == self.store.version()

    # --- writing -------------------------------------------------------------------------

    @contextlib.contextmanager
    def _live_writer(self):
        """A writer on the live index, taken again if a rebuild swapped while we waited."""
        while True:
            name = self._live()
            with write_lock(self._index(name)) as writer:
                if self.store.live_name() == name:
                    yield writer
                    return
                writer.cancel()

    def index(self, *, documents: Iterable[dict]) -> int:
        count = 0
        for chunk in _chunks(documents, BATCH_SIZE):
            with self._live_writer() as writer:
                for doc in chunk:
                    writer.update_document(**whoosh_fields(doc))
                self.store.journal(action="index", payload=chunk)
            count += len(chunk)
        return count

    def index_later(self, *, documents: Iterable[dict]) -> Callable[[], int]:
        """A helper process writes the documents as one segment meanwhile; the returned call
        waits for it and adds it to the live index (older copies of its documents deleted)."""
        ids: list[int] = []
        fields: list[dict] = []
        for doc in documents:  # one document's lists of terms at a time
            ids.append(int(doc["id"]))
            fields.append(segment_process.compact(whoosh_fields(doc)))
        if len(fields) < SEGMENT_PROCESS_MIN:

            def write_here() -> int:
                with self._live_writer() as writer:
                    for item in fields:
                        writer.update_document(**segment_process.expanded(item))
                    self._journal_ids(ids)
                return len(ids)

            return write_here
        self._live()
        folder, future = segment_process.start_segment(root=self.store.root, fields=fields)
        fields.clear()  # pickled into the segment's folder

        def finish() -> int:
            try:
                segment = future.result()
                with self._live_writer() as writer:
                    for pk in ids:
                        writer.delete_by_term(DOC_KEY, _key(pk))
                    segment_process.move_segment(
                        segment=segment, folder=folder, into=Path(writer.storage.folder)
                    )
                    writer.join_segment(segment)
                    self._journal_ids(ids)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            return len(ids)

        return finish

    def _journal_ids(self, ids: list[int]) -> None:
        """Journal these documents for a running rebuild, as the database has them now."""
        if self.store.rebuilding():
            self.store.journal(action="index", payload=list(index_fields.documents(ids=ids)))

    def remove(self, *, ids: Iterable[int]) -> None:
        ids = [int(pk) for pk in ids]
        if not ids:
            return
        with self._live_writer() as writer:
            for pk in ids:
                writer.delete_by_term(DOC_KEY, _key(pk))
            self.store.journal(action="remove", payload=ids)

    def _fill(self, name: str, documents: Iterable[dict], *, procs: int = 1) -> int:
        """Write ``documents`` into the index ``name`` as segments of REBUILD_SEGMENT_DOCS, in
        their order (docnums follow it); ``procs`` > 1: that many helper processes write
        segments while this one reads and analyses the next documents."""
        if procs > 1:
            return self._fill_in_helpers(name, documents, procs=procs)
        ix = self._index(name)
        count = 0
        for chunk in _chunks(documents, REBUILD_SEGMENT_DOCS):
            with write_lock(ix, merge=False) as writer:
                for doc in chunk:
                    writer.add_document(**whoosh_fields(doc))
            count += len(chunk)
        return count

    def _fill_in_helpers(self, name: str, documents: Iterable[dict], *, procs: int) -> int:
        """``_fill`` with helper processes (``segment_process``): at most ``procs`` segments
        written at a time, then all joined in order by one commit."""
        started: list[
            tuple[Path, futures.Future]
        ] = []  # (folder, future segment) in document order
        fields: list[dict] = []
        count = 0

        def start() -> None:
            running = [future for _folder, future in started if not future.done()]
            if len(running) >= procs:
                futures.wait(running, return_when=futures.FIRST_COMPLETED)
            started.append(segment_process.start_segment(root=self.store.root, fields=fields))
            fields.clear()  # pickled into the segment's folder

        try:
            for doc in documents:
                fields.append(segment_process.compact(whoosh_fields(doc)))
                count += 1
                if len(fields) == REBUILD_SEGMENT_DOCS:
                    start()
            if fields:
                start()
            with write_lock(self._index(name), merge=False) as writer:
                into = Path(writer.storage.folder)
                for folder, future in started:
                    segment = future.result()
                    segment_process.move_segment(segment=segment, folder=folder, into=into)
                    writer.join_segment(segment)
        finally:
            for folder, future in started:
                if not future.cancel():
                    future.exception()  # a helper still writing into its folder: wait for it
                shutil.rmtree(folder, ignore_errors=True)
        return count

    def rebuild(self, *, documents: Iterable[dict], procs: int = 1) -> int:
        """Fill a new directory, replay what was written meanwhile, swap it in atomically."""
        self._live()
        name, _ix = self.store.new_directory()
        self.store.start_rebuild(name)
        try:
            count = self._fill(name, documents, procs=procs)
            self._swap_in(name)
        except BaseException:
            shutil.rmtree(self.store.root / name, ignore_errors=True)
            raise
        finally:
            self.store.end_rebuild(name)
        return count

    def _swap_in(self, name: str) -> None:
        """Hold the live index's lock (writers wait), replay the journal, swap."""
        live = self.store.live_name()
        if live is None or not self.is_current():  # an index of another version: never opened
            self._replay(name)
            self.store.swap(name)
            return
        with write_lock(self._index(live)) as held:
            self._replay(name)
            self.store.swap(name)
            held.cancel()

    def _replay(self, name: str) -> None:
        writes = list(self.store.replay(name))
        if not writes:
            return
        with write_lock(self._index(name)) as writer:
            for action, payload in writes:
                for item in payload:
                    if action == "index":
                        writer.update_document(**whoosh_fields(item))
                    else:
                        writer.delete_by_term(DOC_KEY, _key(item))

    def clear(self) -> None:
        name, _ix = self.store.new_directory()
        self._swap_in(name)

    # --- reading -------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        try:
            return self._search(request)
        except (QueryTooBroad, TypeError):
            raise
        except Exception as exc:  # noqa: BLE001 - a broken reader: reopen, else say so
            self.forget()
            try:
                return self._search(request)
            except QueryTooBroad:
                raise
            except Exception as again:  # noqa: BLE001
                raise EngineUnavailable(f"the Whoosh index cannot be read: {again}") from exc

    def _search(self, request: SearchRequest) -> SearchResult:
        snap = self.snapshot()
        work = matching.Work(request)
        mask = matching.filter_mask(request.filters, snap)
        scored = not isinstance(request.query, MatchAll)
        if scored:
            mask &= matching.match(request.query, snap, work)
        total = int(np.count_nonzero(mask))
        wanted = min(total, request.offset + request.limit)
        hits: list[Hit] = []
        if wanted > request.offset:
            if request.sort == "relevance" and scored:
                docnums, scores = ranking.ranked(
                    snap, mask, node=request.query, work=work, limit=wanted, boosts=request.boosts
                )
            else:
                docnums = ranking.by_date(
                    snap, mask, newest_first=request.sort != "date_asc", limit=wanted
                )
                scores = np.zeros(len(docnums), dtype=np.float32)
            page = slice(request.offset, wanted)
            hits = [
                Hit(id=int(snap.pks[d]), score=float(s))
                for d, s in zip(docnums[page], scores[page], strict=True)
            ]
        everything = not scored and not request.filters
        result = SearchResult(
            total=total,
            hits=hits,
            facets=matching.facet_counts(snap, mask, request.facets, everything=everything),
        )
        if request.histogram:
            result.histogram = matching.histogram(snap, mask, interval=request.histogram.interval)
        return result

    def count(self) -> int:
        return self.snapshot().doc_count

    def content_hashes(self) -> dict[int, str]:
        snap = self.snapshot(create=False)
        with snap.lock:
            return {
                int(fields["django_id"]): fields.get("content_hash", "")
                for _docnum, fields in snap.searcher.reader().iter_docs()
            }

    def expand_prefix(self, *, prefix: str, limit: int) -> list[str]:
        snap = self.snapshot()
        found = snap.expand_prefix(
            index_fields.TEXT_NAMES, prefix, limit=10**9, deadline=float("inf")
        )
        frequencies = self.document_frequencies(terms=sorted(found))
        return sorted(found, key=lambda t: (-frequencies[t], t))[:limit]

    def document_frequencies(self, *, terms: Sequence[str]) -> dict[str, int]:
        snap = self.snapshot()
        found = {}
        for term in terms:
            ids = [snap.postings(name, term)[0] for name in index_fields.TEXT_NAMES]
            found[term] = len(np.unique(np.concatenate(ids))) if ids else 0
        return found
