"""The import command's path: files of any size streamed through the bulk pipeline.

Records are saved a batch at a time and indexed after each batch; re-running an interrupted
import skips what it saved as duplicates and first finishes the index operations it left.
A disk, database or index failure stops the import with one message per file naming the cause;
each file's record says which of its records were saved.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.db import DatabaseError, reset_queries

from articles.ingest.errors import IngestError
from articles.ingest.readers import UploadLimits, size_error, walk_path
from articles.ingest.streaming import CommandLimits, Unit, streamed_kind, units_of_path
from articles.models import Article, UploadBatch, UploadedFile
from articles.processes import this_process
from articles.services.import_stops import (
    UNFINISHED,
    StoppedFile,
    record_stopped_import,
    settle_stopped_imports,
)
from articles.services.imports import FileReport, ImportReport, record_batch_totals, start_batch
from articles.services.index import (
    IndexDrain,
    drain_index_queue,
    held_indexing,
    pending_index_operations,
    start_index_drain,
)
from articles.services.pipeline import SAVE_BATCH, WORKERS, PendingDraft, drafted_units, save_batch

COMMAND_MAX_WHOLE_FILE_BYTES = 256 * 1024 * 1024  # a .txt/.html (or small .json) read whole
INDEX_EVERY = 5000  # articles saved between index drains: each drain writes one segment
END_SPLIT_MIN = 2000  # a rest this big at the end is written as two segments at once
FULL_COLLECTION_SPACING = 10  # an import runs full cycle collections this many times less often
_importing = {"count": 0, "lock": threading.Lock(), "thresholds": gc.get_threshold()}


class ImportStopped(Exception):
    """The environment failed (disk full, read-only folder, database down): the import stopped.
    `recorded`: the batch record says so already (else a stop note waits for the database)."""

    def __init__(self, cause: str, *, recorded: bool = True) -> None:
        super().__init__(cause)
        self.cause = cause
        self.recorded = recorded


def environment_cause(exc: BaseException) -> str:
    """What went wrong, in words, for an OSError or a database error."""
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        where = f": {exc.filename}" if exc.filename else ""
        text = f"{exc.strerror}{where}"
    lowered = text.lower()
    if "full" in lowered or "no space" in lowered or "file too large" in lowered:
        return f"the disk is full ({text})"
    if "read-only" in lowered or "readonly" in lowered or "permission denied" in lowered:
        return f"a folder is read-only ({text})"
    if isinstance(exc, DatabaseError):
        return f"the database failed ({text})"
    return text


def command_limits() -> CommandLimits:
    upload = UploadLimits(
        max_file_bytes=COMMAND_MAX_WHOLE_FILE_BYTES,
        max_zip_total_bytes=settings.MARSAD_MAX_ZIP_TOTAL_BYTES,  # the zip-bomb guard stays
        max_zip_entries=settings.MARSAD_MAX_ZIP_ENTRIES,
        max_article_chars=settings.MARSAD_MAX_ARTICLE_CHARS,
    )
    return CommandLimits(upload=upload)


def store_file_from_path(
    *, batch: UploadBatch, name: str, path: Path, limits: CommandLimits
) -> UploadedFile:
    """Keep a file's bytes verbatim, copied as a stream; nothing is left behind when it fails.

    A file refused for its size is recorded without its bytes.
    """
    size = path.stat().st_size
    record = UploadedFile(
        batch=batch,
        name=name,
        size=size,
        outcome=UploadedFile.Outcome.FAILED,
        message=UNFINISHED,
    )
    if not streamed_kind(name) and size_error(name=name, size=size, limits=limits.upload):
        record.save()
        return record
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(1024 * 1024):
            digest.update(chunk)
    record.sha256 = digest.hexdigest()
    suffix = "".join(Path(name).suffixes[-2:]).lower()[:10]
    try:
        with path.open("rb") as source:
            record.stored.save(f"{record.sha256}{suffix}", File(source), save=False)
        record.save()
    except BaseException:
        if record.stored.name:
            record.stored.storage.delete(record.stored.name)
        raise
    return record


@contextlib.contextmanager
def rare_full_collections() -> Iterator[None]:
    """Full cycle collections FULL_COLLECTION_SPACING times less often while imports run (Python's
    pace is restored after the last one): each walks the whole heap, and at the default pace
    they took a tenth of the import process's CPU."""
    with _importing["lock"]:
        if not _importing["count"]:
            _importing["thresholds"] = young, middle, full = gc.get_threshold()
            gc.set_threshold(young, middle, full * FULL_COLLECTION_SPACING)
        _importing["count"] += 1
    try:
        yield
    finally:
        with _importing["lock"]:
            _importing["count"] -= 1
            if not _importing["count"]:
                gc.set_threshold(*_importing["thresholds"])


@dataclass
class OpenFile:
    """A file being imported: its record, its report, and whether all its units were read."""

    record: UploadedFile
    report: FileReport
    ended: bool = False


def _units(
    files: list[tuple[Path, str, dict | None]], *, limits: CommandLimits
) -> Iterator[tuple[int, Unit]]:
    for index, (path, name, curated) in enumerate(files):
        yield index, Unit(kind="begin", name=name, payload=None)
        try:
            for unit in units_of_path(path=path, name=name, curated=curated, limits=limits):
                yield index, unit
        except OSError as exc:
            yield index, Unit(kind="error", name=name, payload=f"The file cannot be read: {exc}.")
        except Exception as exc:  # noqa: BLE001 - a corrupt archive or stream is one file's error
            yield index, Unit(kind="error", name=name, payload=f"The file cannot be read: {exc}.")


@rare_full_collections()
def import_paths(
    *,
    paths: Iterable[Path],
    uploaded_by: AbstractBaseUser | None = None,
    workers: int = WORKERS,
    on_file: Callable[[FileReport], None] | None = None,
    on_result: Callable[[], None] | None = None,
    on_batch: Callable[[UploadBatch], None] | None = None,
    on_error: Callable[[IngestError], None] | None = None,
) -> ImportReport:
    """Import files and folders as one command batch; raises ImportStopped when the environment
    fails (after recording, per file, which records were saved). `on_batch` hears of the batch
    before anything is saved into it (a job keeps it, so what it saved stays findable)."""
    limits = command_limits()
    files = [found for path in paths for found in walk_path(path)]
    settle_stopped_imports()  # records earlier runs could not write: database gone, killed
    batch = start_batch(
        channel=UploadBatch.Channel.COMMAND, uploaded_by=uploaded_by, owner=this_process()
    )
    if on_batch:
        on_batch(batch)
    report = ImportReport(batch=batch)
    try:
        report.resumed = drain_index_queue()  # what an interrupted run saved but did not index
    except Exception as exc:  # noqa: BLE001 - the operations stay queued in the database
        report.index_error = environment_cause(exc)
    opened: dict[int, OpenFile] = {}
    pending: list[tuple[OpenFile, PendingDraft]] = []
    analysed: dict[bytes, tuple[str, ...]] = {}  # saved articles' terms, from the workers
    indexing: list[IndexDrain] = []  # index drains under way, oldest first

    def finish_ended() -> None:
        for index in [i for i, f in opened.items() if f.ended]:
            finish_file(opened[index])
            del opened[index]  # only once recorded: a stop records it otherwise

    def finish_file(open_file: OpenFile) -> None:
        file_report = open_file.report
        open_file.record.outcome = file_report.outcome
        open_file.record.message = file_report.message()
        open_file.record.save(update_fields=["outcome", "message"])
        report.files.append(file_report)
        if on_file:
            on_file(file_report)

    def flush(*, index_every: int = INDEX_EVERY) -> None:
        reset_queries()  # with DEBUG on, Django keeps every query (each batch's text) otherwise
        if pending:
            with held_indexing():
                outcomes = save_batch(
                    pending=[item for _f, item in pending], uploaded_by=uploaded_by
                )
            for (open_file, item), outcome in zip(pending, outcomes, strict=True):
                # Keep what the report shows (id, title), not every saved article's text.
                outcome.article = Article(pk=outcome.article.pk, title=outcome.article.title)
                if outcome.created:
                    if item.drafted.analysed and not report.index_error:
                        key, terms = item.drafted.analysed
                        analysed[key] = terms
                    open_file.report.saved.append(outcome)
                else:
                    open_file.report.duplicates.append(outcome)
            pending.clear()
        at_end = index_every == 1
        if not report.index_error and (at_end or untaken() >= index_every):
            try:
                if not at_end:
                    finish_indexing()
                # A segment written by another process while the next batches are saved. At the
                # end, the rest, written while the drain under way finishes (joined after it):
                # a big rest in two halves at once, as nothing else is left for the cores to do
                # (the second once the drain under way is done: two segments in memory at most).
                if at_end and untaken() >= END_SPLIT_MIN:
                    start_drain(batch_size=(untaken() + 1) // 2)
                    if len(indexing) > 1:
                        indexing.pop(0).finish()
                start_drain(batch_size=pending_index_operations())  # each has its terms here
                if at_end:
                    finish_indexing()
                    drain_index_queue(batch_size=INDEX_EVERY)  # what others queued meanwhile
            except Exception as exc:  # noqa: BLE001 - the operations stay queued in the database
                report.index_error = environment_cause(exc)
            analysed.clear()  # the drain took the whole queue: what it did not use is not needed
        finish_ended()

    def untaken() -> int:
        """Queued operations no drain under way has taken."""
        return pending_index_operations() - sum(drain.rows for drain in indexing)

    def start_drain(*, batch_size: int) -> None:
        drain = start_index_drain(
            batch_size=batch_size,
            after=indexing[-1].last_row if indexing else 0,
            analysed=analysed,
        )
        if drain is not None:
            indexing.append(drain)

    def finish_indexing() -> None:
        """Finish the drains under way, in the order they began."""
        while indexing:
            indexing.pop(0).finish()

    drafted_stream = _drafted(files, limits=limits, workers=workers)
    try:
        for index, drafted_list in drafted_stream:
            if index not in opened:
                for open_file in opened.values():
                    open_file.ended = True
                path, name, _curated = files[index]
                opened[index] = OpenFile(
                    record=store_file_from_path(batch=batch, name=name, path=path, limits=limits),
                    report=FileReport(name=name),
                )
            open_file = opened[index]
            for drafted in drafted_list:
                if isinstance(drafted.result, IngestError):
                    open_file.report.errors.append(drafted.result)
                    if on_error:  # a job shows it at once, not when its file ends
                        on_error(drafted.result)
                else:
                    pending.append(
                        (open_file, PendingDraft(drafted=drafted, uploaded_file=open_file.record))
                    )
                if on_result:
                    on_result()
            if len(pending) >= SAVE_BATCH:
                flush()
        for open_file in opened.values():
            open_file.ended = True
        flush(index_every=1)
    except (OSError, DatabaseError) as exc:
        drafted_stream.close()  # stop the workers now
        with contextlib.suppress(Exception):  # what fails here stays queued in the database
            finish_indexing()
        cause = environment_cause(exc)
        pending.clear()
        stopped = [StoppedFile(record=f.record, report=f.report) for f in opened.values()]
        recorded = record_stopped_import(
            report=report, stopped=stopped, cause=cause, on_file=on_file
        )
        raise ImportStopped(cause, recorded=recorded) from exc
    record_batch_totals(batch=batch, **report.totals())
    report.unindexed = pending_index_operations()
    return report


def _drafted(files, *, limits: CommandLimits, workers: int):
    """(file index, drafts of one unit) in order; a file's "begin" unit yields no drafts."""
    indexed_units = _units(files, limits=limits)
    order: deque[int] = deque()

    def units() -> Iterator[Unit]:
        for index, unit in indexed_units:
            order.append(index)
            yield unit

    for drafted_list in drafted_units(units(), limits=limits.upload, workers=workers, analyse=True):
        yield order.popleft(), drafted_list
