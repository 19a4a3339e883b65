"""Importing files as a recorded batch (upload or command): reading, saving, reporting."""

from __future__ import annotations

import gzip
import hashlib
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext

from articles.ingest.drafts import ArticleDraft
from articles.ingest.errors import IngestError
from articles.ingest.readers import (
    SourceFile,
    UploadLimits,
    read_upload,
    size_error,
    walk_path,
)
from articles.models import (
    UploadBatch,
    UploadedFile,
)
from articles.processes import ProcessOwner
from articles.selectors import entity_matcher
from articles.services.articles import SaveOutcome
from articles.services.index import held_indexing, try_drain_index_queue
from articles.services.pipeline import SAVE_BATCH, PendingDraft, drafted_of, save_batch


def start_batch(
    *, channel: str, uploaded_by: AbstractBaseUser | None = None, owner: ProcessOwner | None = None
) -> UploadBatch:
    """A new batch; `owner`: the process that runs it (a batch whose owner ended unfinished is
    settled by the next import, see `import_stops.settle_dead_imports`)."""
    user = uploaded_by if uploaded_by and uploaded_by.is_authenticated else None
    owned = (
        {"owner_host": owner.host, "owner_pid": owner.pid, "owner_started": owner.started}
        if owner
        else {}
    )
    return UploadBatch.objects.create(channel=channel, uploaded_by=user, **owned)


@dataclass
class FileReport:
    """What became of one uploaded file and each article found in it."""

    name: str
    saved: list[SaveOutcome] = field(default_factory=list)
    duplicates: list[SaveOutcome] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    skipped: list[ArticleDraft] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if self.errors and (self.saved or self.duplicates or self.skipped):
            return UploadedFile.Outcome.PARTIAL
        if self.errors:
            return UploadedFile.Outcome.FAILED
        if self.skipped:  # the reviewer left some (or all) of it out
            return UploadedFile.Outcome.PARTIAL
        if self.saved:
            return UploadedFile.Outcome.IMPORTED
        return UploadedFile.Outcome.DUPLICATE

    def message(self) -> str:
        counts = {"imported": len(self.saved), "duplicates": len(self.duplicates)}
        if self.skipped:  # whole sentences with their numbers: a translation orders them itself
            counts["skipped"] = len(self.skipped)
            line = gettext(
                "Imported: %(imported)s, duplicates: %(duplicates)s, "
                "skipped by the reviewer: %(skipped)s"
            )
        else:
            line = gettext("Imported: %(imported)s, duplicates: %(duplicates)s")
        lines = [line % counts]
        lines += [
            f"{d.name or self.name}: duplicate of #{d.article.pk} ({d.duplicate_reason}): "
            f"{d.article.title}"
            for d in self.duplicates
        ]
        lines += [str(error) for error in self.errors]
        return "\n".join(lines)


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    batch: UploadBatch | None = None
    resumed: int = 0  # index operations finished for articles an earlier run saved
    index_error: str = ""  # why the index could not be updated (the operations stay queued)
    unindexed: int = 0  # index operations still queued at the end

    @property
    def imported(self) -> int:
        return sum(len(f.saved) for f in self.files)

    @property
    def duplicates(self) -> int:
        return sum(len(f.duplicates) for f in self.files)

    @property
    def failed(self) -> int:
        return sum(len(f.errors) for f in self.files)

    @property
    def failed_files(self) -> list[str]:
        """The files nothing of which could be saved (unreadable, refused, every record bad)."""
        return [f.name for f in self.files if f.outcome == UploadedFile.Outcome.FAILED]

    def totals(self) -> dict[str, int]:
        """The batch record's totals, as `record_batch_totals` takes them."""
        return {"imported": self.imported, "duplicates": self.duplicates, "failed": self.failed}

    def summary(self) -> str:
        line = f"imported {self.imported}, duplicates {self.duplicates}, failed {self.failed}"
        return f"{line}, resumed {self.resumed}" if self.resumed else line


def store_uploaded_file(*, batch: UploadBatch, name: str, data: bytes) -> UploadedFile:
    """Keep the uploaded bytes verbatim, whatever became of them."""
    digest = hashlib.sha256(data).hexdigest()
    record = UploadedFile(
        batch=batch, name=name, size=len(data), sha256=digest, outcome=UploadedFile.Outcome.FAILED
    )
    suffix = Path(name.split("#")[0]).suffix.lower()[:10]
    record.stored.save(f"{digest}{suffix}", ContentFile(data), save=False)
    try:
        record.save()
    except BaseException:  # the database gone: no original without its record
        record.stored.storage.delete(record.stored.name)
        raise
    return record


def save_drafts(
    *,
    results: list[ArticleDraft | IngestError],
    report: FileReport,
    uploaded_by: AbstractBaseUser | None = None,
    uploaded_file: UploadedFile | None = None,
    on_result: Callable[[], None] | None = None,
) -> FileReport:
    """Save every draft, SAVE_BATCH per transaction, and collect the errors, in the file's order."""
    matcher, _ids = entity_matcher()
    pending: list[PendingDraft] = []

    def flush() -> None:
        for outcome in save_batch(pending=pending, uploaded_by=uploaded_by):
            (report.saved if outcome.created else report.duplicates).append(outcome)
        pending.clear()

    for result in results:
        if isinstance(result, IngestError):
            report.errors.append(result)
        elif isinstance(result, Skipped):
            report.skipped.append(result.draft)
        else:
            drafted = drafted_of(result, matcher=matcher)
            pending.append(PendingDraft(drafted=drafted, uploaded_file=uploaded_file))
            if len(pending) >= SAVE_BATCH:
                flush()
        if on_result:
            on_result()
    flush()
    return report


def import_source_files(
    *,
    files: Iterable[SourceFile | RefusedFile],
    channel: str,
    uploaded_by: AbstractBaseUser | None = None,
    limits: UploadLimits | None = None,
    on_file: Callable[[FileReport], None] | None = None,
    on_result: Callable[[], None] | None = None,
    review: Review | None = None,
) -> ImportReport:
    """Import files (upload or command) as one recorded batch, indexing once at the end.

    `files` may be a generator: each file is read, saved and dropped before the next one.
    A file whose every article fails leaves no article behind; its bytes stay in the batch record.
    `review(file_index, results)` lets the admin upload apply the reviewer's corrections and skips.
    """
    limits = limits or upload_limits()
    batch = start_batch(channel=channel, uploaded_by=uploaded_by)
    report = ImportReport(batch=batch)
    with held_indexing():
        for index, source in enumerate(files):
            if isinstance(source, RefusedFile):
                stored = record_refused_file(batch=batch, refused=source)
                results: list = [IngestError(source.name, source.reason)]
            else:
                stored = store_uploaded_file(batch=batch, name=source.name, data=source.data)
                results = read_upload(
                    name=source.name, data=source.data, limits=limits, curated=source.curated
                )
            if review:
                results = review(index, results)
            file_report = save_drafts(
                results=results,
                report=FileReport(name=source.name),
                uploaded_by=uploaded_by,
                uploaded_file=stored,
                on_result=on_result,
            )
            record_file_outcome(
                stored=stored, file_report=file_report, report=report, on_file=on_file
            )
    finish_batch(report=report)
    return report


def record_file_outcome(
    *,
    stored: UploadedFile,
    file_report: FileReport,
    report: ImportReport,
    on_file: Callable[[FileReport], None] | None = None,
) -> None:
    """A file's outcome and message on its batch record, and the file in the import's report."""
    stored.outcome = file_report.outcome
    stored.message = file_report.message()
    stored.save(update_fields=["outcome", "message"])
    report.files.append(file_report)
    if on_file:
        on_file(file_report)


def finish_batch(*, report: ImportReport) -> None:
    """The batch's totals from the report, then the index operations it queued applied."""
    record_batch_totals(batch=report.batch, **report.totals())
    try_drain_index_queue()


def record_batch_totals(*, batch: UploadBatch, imported: int, duplicates: int, failed: int) -> None:
    """The one writer of a batch's totals (every import path ends here): the batch is finished."""
    batch.imported_count, batch.duplicate_count, batch.failed_count = imported, duplicates, failed
    batch.finished_at = timezone.now()
    batch.save(update_fields=["imported_count", "duplicate_count", "failed_count", "finished_at"])


def upload_limits() -> UploadLimits:
    return UploadLimits(
        max_file_bytes=settings.MARSAD_MAX_FILE_BYTES,
        max_zip_total_bytes=settings.MARSAD_MAX_ZIP_TOTAL_BYTES,
        max_zip_entries=settings.MARSAD_MAX_ZIP_ENTRIES,
        max_article_chars=settings.MARSAD_MAX_ARTICLE_CHARS,
    )


@dataclass(frozen=True)
class RefusedFile:
    """A file refused before its bytes were read (over the size limit, unreadable): recorded only."""

    name: str
    size: int
    reason: str


@dataclass(frozen=True)
class Skipped:
    """A draft the reviewer chose not to import."""

    draft: ArticleDraft


ReviewedResult = ArticleDraft | IngestError | Skipped
Review = Callable[[int, list], list[ReviewedResult]]


def record_refused_file(*, batch: UploadBatch, refused: RefusedFile) -> UploadedFile:
    """A refused file's row in the batch: its name, size and reason, without its bytes."""
    return UploadedFile.objects.create(
        batch=batch,
        name=refused.name,
        size=refused.size,
        outcome=UploadedFile.Outcome.FAILED,
        message=refused.reason,
    )


def iter_import_files(
    *, paths: Iterable[Path], limits: UploadLimits | None = None
) -> Iterator[SourceFile | RefusedFile]:
    """Files under `paths`, read one at a time; files over the limit are refused unread."""
    limits = limits or upload_limits()
    for path in paths:
        for file_path, name, curated in walk_path(path):
            size = file_path.stat().st_size
            if too_big := size_error(name=name, size=size, limits=limits):
                yield RefusedFile(name=name, size=size, reason=too_big.reason)
                continue
            try:
                data = file_path.read_bytes()
            except OSError as exc:
                yield RefusedFile(
                    name=name, size=size, reason=f"The file cannot be read: {exc.strerror}."
                )
                continue
            yield SourceFile(name=name, data=data, curated=curated)


def estimate_articles(*, paths: Iterable[Path]) -> int:
    """About how many articles `paths` hold, for a progress bar, without reading whole files."""
    return sum(
        estimate_file_articles(path=file_path, name=name)
        for path in paths
        for file_path, name, _curated in walk_path(path)
    )


SAMPLE_BYTES = 256 * 1024
COUNTED_KINDS = {".jsonl", ".csv", ".json"}


def estimate_file_articles(*, path: Path, name: str) -> int:
    """About how many articles the file at `path` (named `name`) holds: JSONL/CSV lines and JSON
    list elements extrapolated from the first SAMPLE_BYTES, a zip's entries each so; 1 for a
    text or HTML file, and for a file that cannot be read (its reader will say why)."""
    lowered = name.lower()
    try:
        if lowered.endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                return sum(
                    _estimate_stream(name=info.filename, size=info.file_size, opener=archive.open)
                    for info in archive.infolist()
                    if not info.is_dir()
                )
        size = path.stat().st_size
        if lowered.endswith(".gz"):  # the gzip trailer holds the inflated size (modulo 4 GiB)
            with path.open("rb") as raw:
                raw.seek(-4, 2)
                size = int.from_bytes(raw.read(4), "little")
            return _estimate_stream(
                name=lowered.removesuffix(".gz"), size=size, opener=lambda _n: gzip.open(path, "rb")
            )
        return _estimate_stream(name=lowered, size=size, opener=lambda _n: path.open("rb"))
    except (OSError, EOFError, zipfile.BadZipFile, gzip.BadGzipFile):
        return 1


def _estimate_stream(*, name: str, size: int, opener: Callable) -> int:
    kind = Path(name.lower()).suffix
    if kind not in COUNTED_KINDS:
        return 1
    with opener(name) as stream:
        sample = stream.read(SAMPLE_BYTES)
    if kind == ".json":
        records = _json_list_elements_begun(sample)
    else:
        records = sample.count(b"\n") + (not sample.endswith(b"\n")) - (kind == ".csv")
    if len(sample) < SAMPLE_BYTES or not sample:
        return max(1, records)
    return max(1, round(records * size / len(sample)))


def _json_list_elements_begun(sample: bytes) -> int:
    """Elements of a top-level JSON list begun in `sample` (strings and nesting skipped)."""
    depth, in_string, escaped, elements, waiting = 0, False, False, 0, False
    for byte in sample:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
            continue
        if byte in b" \t\r\n":
            continue
        if depth == 1 and waiting and byte != 0x5D:
            elements, waiting = elements + 1, False
        if byte == 0x22:
            in_string = True
        elif byte in b"[{":
            depth += 1
            waiting = waiting or (depth == 1 and byte == 0x5B)
        elif byte in b"]}":
            depth -= 1
        elif byte == 0x2C and depth == 1:
            waiting = True
    return elements
