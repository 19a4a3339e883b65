"""The admin's upload → preview → confirm, one way: bytes staged once, parsed once into drafts
(articles.models_uploads), corrections written to those drafts, confirm saving from them.

An upload of more than MARSAD_JOB_MIN_ARTICLES articles is read by a background job (its preview
shows the job's progress until the drafts are persisted), and a confirm of more than that many
is saved by one (articles.jobs).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import shutil
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import File
from django.db import DatabaseError, transaction
from django.utils import timezone

from articles.ingest.drafts import ArticleDraft
from articles.ingest.errors import IngestError
from articles.ingest.readers import size_error
from articles.models import (
    Job,
    PendingFile,
    PendingUpload,
    UploadBatch,
    UploadDraft,
    UploadedFile,
)
from articles.models_uploads import OPEN_STATES
from articles.services.articles import SaveOutcome
from articles.services.bulk_import import environment_cause
from articles.services.import_stops import (
    StoppedFile,
    record_stopped_import,
    settle_stopped_imports,
)
from articles.services.imports import (
    FileReport,
    ImportReport,
    ReviewedResult,
    Skipped,
    finish_batch,
    record_file_outcome,
    save_drafts,
    start_batch,
    store_uploaded_file,
    upload_limits,
)
from articles.services.index import held_indexing
from articles.services.upload_drafts import (
    PendingUploadMissing,
    bytes_path,
    expected_articles,
    parse_upload,
    pending_dir,
    valid_token,
)

PASTED_TEXT_NAME = "pasted text.txt"
PENDING_MAX_AGE = datetime.timedelta(hours=24)


def pending_upload(*, token: str, uploaded_by: AbstractBaseUser) -> PendingUpload:
    """The reviewer's own upload still being read or in review, or PendingUploadMissing."""
    upload = (
        PendingUpload.objects.select_related("job")
        .filter(token=token, uploaded_by_id=uploaded_by.pk, state__in=OPEN_STATES)
        .first()
    )
    if upload is None or not valid_token(token=token):
        raise PendingUploadMissing(token)
    return upload


def discard_stale_uploads() -> None:
    """Uploads left being read or in review for a day: their rows, drafts and bytes."""
    cutoff = timezone.now() - PENDING_MAX_AGE
    for upload in PendingUpload.objects.filter(state__in=OPEN_STATES, created_at__lt=cutoff):
        discard_upload(upload=upload)


def discard_upload(*, upload: PendingUpload) -> None:
    shutil.rmtree(pending_dir(token=upload.token), ignore_errors=True)
    upload.delete()


class UploadNotKept(Exception):
    """The environment failed under an upload (a full disk, a read-only folder, the database
    down), named by `cause`: a staged upload left nothing behind; a confirm is back in review,
    what it saved stays saved, and confirming again continues its batch."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


def stage_upload(
    *, files: Iterable[File], pasted_text: str = "", uploaded_by: AbstractBaseUser
) -> str:
    """Keep an upload's bytes on disk and parse each file once into drafts; returns its token.

    Files over the size limit, and a second copy of a file already in the upload, are recorded
    as refused without their bytes. When the files hold more than MARSAD_JOB_MIN_ARTICLES
    articles (estimated without reading them whole), a background job parses them.
    UploadNotKept when the environment fails.
    """
    try:
        discard_stale_uploads()
        upload = PendingUpload.objects.create(
            token=secrets.token_urlsafe(18), uploaded_by=uploaded_by
        )
    except (OSError, DatabaseError) as exc:
        raise UploadNotKept(environment_cause(exc)) from exc
    try:
        _stage(upload=upload, files=files, pasted_text=pasted_text)
    except (OSError, DatabaseError) as exc:
        with suppress(DatabaseError):  # the bytes go first, so a database down leaves none
            discard_upload(upload=upload)
        raise UploadNotKept(environment_cause(exc)) from exc
    return upload.token


def _stage(*, upload: PendingUpload, files: Iterable[File], pasted_text: str) -> None:
    limits = upload_limits()
    folder = pending_dir(token=upload.token)
    folder.mkdir(parents=True)
    seen: dict[str, str] = {}

    def keep(name: str, chunks: Iterable[bytes], size: int) -> None:
        pending = PendingFile(upload=upload, ordinal=upload.files.count(), name=name, size=size)
        if too_big := size_error(name=name, size=size, limits=limits):
            pending.refused = too_big.reason
            pending.save()
            return
        digest = hashlib.sha256()
        with bytes_path(pending_file=pending).open("wb") as out:
            for chunk in chunks:
                digest.update(chunk)
                out.write(chunk)
        pending.sha256 = digest.hexdigest()
        if pending.sha256 in seen:
            pending.refused = f"The same file is already in this upload as {seen[pending.sha256]}."
            bytes_path(pending_file=pending).unlink()
        seen.setdefault(pending.sha256, name)
        pending.save()

    if pasted_text.strip():
        data = pasted_text.encode("utf-8")
        keep(PASTED_TEXT_NAME, [data], len(data))
    for file in files:
        keep(Path(file.name or "file").name, file.chunks(), file.size or 0)
    expected = expected_articles(upload=upload)
    if expected <= settings.MARSAD_JOB_MIN_ARTICLES:
        parse_upload(upload=upload)
        return
    from articles.jobs import start_job

    with transaction.atomic():
        job = start_job(
            kind=Job.Kind.PREVIEW,
            params={"upload_id": upload.pk},
            created_by=upload.uploaded_by,
            total=expected,
        )
        PendingUpload.objects.filter(pk=upload.pk).update(
            state=PendingUpload.State.READING, job=job
        )


@dataclass(frozen=True)
class Correction:
    """The reviewer's word on one draft: corrected title, date and outlet, or skip it."""

    title: str
    published_on: datetime.date | None
    source_name: str
    skip: bool = False


def correct_drafts(*, upload: PendingUpload, corrections: dict[str, Correction]) -> int:
    """Write the reviewer's corrections into the upload's drafts; changed fields are recorded
    as coming from "admin". Returns how many drafts changed."""
    changed = []
    for draft in upload.drafts.filter(key__in=list(corrections)):
        correction = corrections[draft.key]
        values = {
            "title": correction.title.strip() or draft.title,
            "published_on": correction.published_on,
            "source_name": correction.source_name.strip(),
        }
        before = (draft.title, draft.published_on, draft.source_name, draft.skip)
        for attribute, origin_key in (
            ("title", "title"),
            ("published_on", "date"),
            ("source_name", "source"),
        ):
            if values[attribute] == getattr(draft, attribute):
                continue
            setattr(draft, attribute, values[attribute])
            if values[attribute]:
                draft.metadata_origin[origin_key] = "admin"
            else:
                draft.metadata_origin.pop(origin_key, None)
        draft.skip = correction.skip
        if before != (draft.title, draft.published_on, draft.source_name, draft.skip):
            changed.append(draft)
    UploadDraft.objects.bulk_update(
        changed, ["title", "published_on", "source_name", "skip", "metadata_origin"]
    )
    return len(changed)


@dataclass(frozen=True)
class Confirmation:
    """A confirmed upload: saved now (`report`), or queued as a job (`job`)."""

    report: ImportReport | None = None
    job: Job | None = None


def confirm_upload(*, upload: PendingUpload) -> Confirmation:
    """Save a reviewed upload from its drafts: here when small, as a background job when it has
    more than MARSAD_JOB_MIN_ARTICLES articles to save. A second confirm finds nothing."""
    taken = PendingUpload.objects.filter(pk=upload.pk, state=PendingUpload.State.REVIEW)
    if not taken.update(state=PendingUpload.State.SAVING):
        raise PendingUploadMissing(upload.token)
    to_save = upload.drafts.filter(error="", skip=False).count()
    if to_save <= settings.MARSAD_JOB_MIN_ARTICLES:
        try:
            return Confirmation(report=save_pending_upload(upload=upload))
        except (OSError, DatabaseError) as exc:
            with suppress(DatabaseError):  # in review again: a second confirm continues it
                PendingUpload.objects.filter(pk=upload.pk).update(state=PendingUpload.State.REVIEW)
            raise UploadNotKept(environment_cause(exc)) from exc
    from articles.jobs import start_job

    with transaction.atomic():
        job = start_job(
            kind=Job.Kind.UPLOAD,
            params={"upload_id": upload.pk},
            created_by=upload.uploaded_by,
            total=upload.drafts.count(),
        )
        PendingUpload.objects.filter(pk=upload.pk).update(job=job)
    return Confirmation(job=job)


def _article_draft(*, draft: UploadDraft) -> ArticleDraft:
    return ArticleDraft(
        title=draft.title,
        body=draft.body,
        source_name=draft.source_name,
        published_on=draft.published_on,
        url=draft.url,
        original=draft.original,
        original_name=draft.original_name,
        original_bytes=b"",
        encoding=draft.encoding,
        warnings=list(draft.warnings),
        metadata_origin=dict(draft.metadata_origin),
        metadata_lines=dict(draft.metadata_lines),
    )


def save_pending_upload(
    *,
    upload: PendingUpload,
    on_batch: Callable[[UploadBatch], None] | None = None,
    on_file: Callable[[FileReport], None] | None = None,
    on_result: Callable[[], None] | None = None,
) -> ImportReport:
    """Save an upload's drafts as one batch (one transaction per article), then drop the drafts.

    Run again after an interruption it continues the same batch: files already stored are
    reused and the articles saved before count as saved, not as duplicates. Duplicates are
    checked again (the corpus may have changed since the preview); near-duplicates are saved
    with a warning naming the article they resemble.
    """
    from articles.near_duplicates import NearDuplicateFinder, index_searcher

    settle_stopped_imports()  # records earlier runs could not write: database gone, killed
    if upload.batch is None:
        upload.batch = start_batch(
            channel=UploadBatch.Channel.ADMIN, uploaded_by=upload.uploaded_by
        )
        upload.save(update_fields=["batch"])
    batch = upload.batch
    if on_batch:
        on_batch(batch)
    report = ImportReport(batch=batch)
    resuming = batch.files.exists()
    with index_searcher() as searcher, held_indexing():
        finder = NearDuplicateFinder(searcher=searcher)
        stored_files = list(batch.files.order_by("pk"))
        for pending in upload.files.all():
            if pending.ordinal < len(stored_files):
                stored = stored_files[pending.ordinal]
            else:
                stored = _store_file(batch=batch, pending=pending)
            # Records an earlier run of this confirm saved count as saved, not as duplicates.
            saved_before = {a.original_name: a for a in stored.articles.all()} if resuming else {}
            file_report = FileReport(name=pending.name)
            results: list[ReviewedResult] = []
            for draft in pending.drafts.order_by("ordinal").iterator():
                if draft.error:
                    results.append(IngestError(draft.error_name, draft.error))
                    continue
                article_draft = _article_draft(draft=draft)
                if draft.skip:
                    results.append(Skipped(draft=article_draft))
                    continue
                earlier = saved_before.get(draft.original_name)
                if earlier and earlier.content_hash == draft.content_hash:
                    file_report.saved.append(
                        SaveOutcome(article=earlier, created=True, name=draft.original_name)
                    )
                    if on_result:
                        on_result()
                    continue
                for near in finder.find(body=draft.body):
                    article_draft.warnings.append(
                        f"near duplicate of #{near.article_id} ({near.similarity:.0%} similar)"
                    )
                results.append(article_draft)
            try:
                save_drafts(
                    results=results,
                    report=file_report,
                    uploaded_by=upload.uploaded_by,
                    uploaded_file=stored,
                    on_result=on_result,
                )
            except (OSError, DatabaseError) as exc:  # the record says what was saved, and why
                record_stopped_import(
                    report=report,
                    stopped=[StoppedFile(record=stored, report=file_report)],
                    cause=environment_cause(exc),
                    on_file=on_file,
                )
                raise
            record_file_outcome(
                stored=stored, file_report=file_report, report=report, on_file=on_file
            )
    finish_batch(report=report)  # drains this run's index operations, and any an earlier left
    discard_upload(upload=upload)
    return report


def _store_file(*, batch: UploadBatch, pending: PendingFile) -> UploadedFile:
    """The batch's record of a pending file: its bytes kept verbatim, or why it was refused."""
    if pending.refused:
        return UploadedFile.objects.create(
            batch=batch,
            name=pending.name,
            size=pending.size,
            sha256=pending.sha256,
            outcome=UploadedFile.Outcome.FAILED,
            message=pending.refused,
        )
    data = bytes_path(pending_file=pending).read_bytes()
    return store_uploaded_file(batch=batch, name=pending.name, data=data)
