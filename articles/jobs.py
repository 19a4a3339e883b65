"""Run long work as background jobs: queue it, report its progress, take over a dead worker's.

The task library (django-tasks with its database backend) only carries a job's id to a worker
(`articles.tasks.run_job_task`); everything the admin sees lives on `Job`. Every kind of job is
idempotent — an import or upload run again skips the articles already saved as duplicates, a
rebuild or re-extraction simply runs again — so a job whose worker died is resumed by the next
worker that starts, up to MAX_ATTEMPTS times, and then reported as interrupted with what it saved.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.db.models import F
from django.utils import timezone

from articles.ingest.errors import IngestError
from articles.models import Article, Job
from articles.models_jobs import MAX_KEPT_ERRORS
from articles.processes import ProcessOwner, process_ended

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# How often a running job writes its progress (and proves its worker alive), in seconds.
REPORT_EVERY_S = 1.0
HEARTBEAT_EVERY_S = 5.0


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def start_job(
    *, kind: str, params: dict, created_by: AbstractBaseUser | None = None, total: int = 0
) -> Job:
    """Record a queued job and hand it to the task library once the transaction commits."""
    user = created_by if created_by and created_by.is_authenticated else None
    job = Job.objects.create(kind=kind, params=params, created_by=user, total=total)
    transaction.on_commit(lambda: enqueue(job=job))
    return job


def enqueue(*, job: Job) -> None:
    from articles.tasks import run_job_task

    result = run_job_task.enqueue(job_id=job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))


class JobProgress:
    """What a running job tells the admin: articles done, the total, errors, the batches it wrote.

    Writes are throttled to one every REPORT_EVERY_S; `flush()` writes what is pending.
    """

    def __init__(self, *, job: Job) -> None:
        self.job = job
        self._started = time.monotonic()
        self._written = 0.0

    def set_total(self, total: int) -> None:
        self.job.total = total
        self.flush()

    def advance(self, count: int = 1, *, errors: Iterable[object] = ()) -> None:
        """`count` more records done, `errors` among them (those are written at once)."""
        self.job.done += count
        if self._keep_errors(errors) or time.monotonic() - self._written >= REPORT_EVERY_S:
            self.flush()

    def add_errors(self, errors: Iterable[object]) -> None:
        """Errors met: written at once while fewer than MAX_KEPT_ERRORS, then with the counts."""
        if self._keep_errors(errors) or time.monotonic() - self._written >= REPORT_EVERY_S:
            self.flush()

    def _keep_errors(self, errors: Iterable[object]) -> bool:
        """Count `errors` and keep the first MAX_KEPT_ERRORS; True when a kept one is new."""
        texts = [str(error) for error in errors]
        self.job.error_count += len(texts)
        kept = texts[: max(MAX_KEPT_ERRORS - len(self.job.errors), 0)]
        self.job.errors = [*self.job.errors, *kept]
        return bool(kept)

    def add_batch(self, batch_id: int) -> None:
        """A batch this job writes into: what it saved stays findable if the worker dies."""
        if batch_id not in self.job.batch_ids:
            self.job.batch_ids = [*self.job.batch_ids, batch_id]
        self.flush()

    def flush(self) -> None:
        elapsed = time.monotonic() - self._started
        self.job.rate = round(self.job.done / elapsed, 1) if elapsed > 0 else 0.0
        self.job.heartbeat_at = timezone.now()
        self._written = time.monotonic()
        Job.objects.filter(pk=self.job.pk).update(
            done=self.job.done,
            total=self.job.total,
            error_count=self.job.error_count,
            errors=self.job.errors,
            rate=self.job.rate,
            batch_ids=self.job.batch_ids,
            heartbeat_at=self.job.heartbeat_at,
        )


Runner = Callable[[Job, JobProgress], str]


def _run_import(job: Job, progress: JobProgress) -> str:
    from pathlib import Path

    from articles.services.bulk_import import import_paths
    from articles.services.imports import estimate_articles

    paths = [Path(p) for p in job.params["paths"]]
    progress.set_total(estimate_articles(paths=paths))
    report = import_paths(
        paths=paths,
        uploaded_by=job.created_by,
        on_batch=lambda batch: progress.add_batch(batch.pk),
        on_error=lambda error: progress.add_errors([error]),
        on_result=progress.advance,
    )
    return resumed_summary(job=job, report=report)


def _run_preview(job: Job, progress: JobProgress) -> str:
    from articles.models import PendingUpload
    from articles.services.upload_drafts import parse_upload

    upload = PendingUpload.objects.get(pk=job.params["upload_id"])

    def stored(drafts) -> None:
        refused = [IngestError(d.error_name, d.error) for d in drafts if d.error]
        progress.advance(len(drafts), errors=refused)

    parse_upload(upload=upload, on_drafts=stored)
    progress.set_total(progress.job.done)
    errors = progress.job.error_count
    return (
        f"read {progress.job.done} records: {progress.job.done - errors} articles, {errors} refused"
    )


def _run_upload(job: Job, progress: JobProgress) -> str:
    from articles.models import PendingUpload
    from articles.services.uploads import save_pending_upload

    upload = PendingUpload.objects.get(pk=job.params["upload_id"])
    progress.set_total(upload.drafts.count())
    refused = upload.drafts.exclude(error="").order_by("file__ordinal", "ordinal")
    progress.add_errors(IngestError(d.error_name, d.error) for d in refused)  # read at preview
    report = save_pending_upload(
        upload=upload,
        on_batch=lambda batch: progress.add_batch(batch.pk),
        on_result=progress.advance,
    )
    return report.summary()


def _run_rebuild(job: Job, progress: JobProgress) -> str:
    from articles.indexing import rebuild_index

    progress.set_total(Article.objects.count())
    indexed = rebuild_index()
    progress.advance(indexed)
    return f"indexed {indexed} of {progress.job.total} articles"


def _run_reextract(job: Job, progress: JobProgress) -> str:
    from articles.services.gazetteer import rematch_articles

    ids = job.params.get("article_ids") or list(Article.objects.values_list("pk", flat=True))
    progress.set_total(len(ids))
    count = rematch_articles(article_ids=ids, on_result=progress.advance)
    return f"re-matched {count} articles"


RUNNERS: dict[str, Runner] = {
    Job.Kind.IMPORT: _run_import,
    Job.Kind.PREVIEW: _run_preview,
    Job.Kind.UPLOAD: _run_upload,
    Job.Kind.REBUILD: _run_rebuild,
    Job.Kind.REEXTRACT: _run_reextract,
}


def resumed_summary(*, job: Job, report) -> str:
    """The import summary, plus how many "duplicates" are this job's own earlier attempts."""
    summary = report.summary()
    earlier = [pk for pk in job.batch_ids if report.batch is None or pk != report.batch.pk]
    if earlier:
        ids = [d.article.pk for f in report.files for d in f.duplicates]
        own = Article.objects.filter(pk__in=ids, original_file__batch_id__in=earlier).count()
        summary += f"; {own} of the duplicates were saved by an earlier attempt of this job"
    return summary


class _Heartbeat(threading.Thread):
    """Proves the worker alive while a step reports no progress (a rebuild, a big file's read)."""

    def __init__(self, *, job_id: int) -> None:
        super().__init__(daemon=True, name=f"job-{job_id}-heartbeat")
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(HEARTBEAT_EVERY_S):
                try:
                    Job.objects.filter(pk=self.job_id, state=Job.State.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:  # the database busy or away for a moment: beat next time
                    log.warning("job %s: heartbeat skipped, database busy", self.job_id)
        finally:
            connection.close()


def run_job(*, job_id: int) -> str:
    """Run a queued job to its end in this process; a job another worker holds is left alone."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING,
        started_at=now,
        heartbeat_at=now,
        finished_at=None,
        attempts=F("attempts") + 1,
        worker=worker_name(),
        done=0,
        rate=0.0,
        error_count=0,  # each attempt runs the whole job again, and reports its errors again
        errors=[],
    )
    if not claimed:
        return f"job {job_id} is not queued"
    job = Job.objects.select_related("created_by").get(pk=job_id)
    progress = JobProgress(job=job)
    heartbeat = _Heartbeat(job_id=job_id)
    heartbeat.start()
    try:
        result = RUNNERS[job.kind](job, progress)
    except Exception as exc:
        result = failure_result(job=job, exc=exc)
        state = Job.State.FAILED
    else:
        state = Job.State.DONE
    finally:
        heartbeat.stopped.set()
        heartbeat.join()
    try:
        progress.flush()
        Job.objects.filter(pk=job_id).update(state=state, result=result, finished_at=timezone.now())
    except DatabaseError as exc:  # still "running": once its heartbeat is stale it runs again
        log.error(
            "job %s: its result is not recorded, the database failed (%s): %s", job_id, exc, result
        )
    return result


def failure_result(*, job: Job, exc: Exception) -> str:
    """What a failed job says: the environment's cause in words (disk full, database down), or
    the error with its traceback in the log; and how many articles it saved, if that can be read."""
    from articles.services.bulk_import import environment_cause

    if isinstance(exc, (OSError, OperationalError, InterfaceError)):  # the environment failed
        cause = f"{type(exc).__name__}: {environment_cause(exc)}"
        log.error("job %s stopped: %s", job.pk, cause)
    else:
        cause = f"{type(exc).__name__}: {exc}"
        log.exception("job %s failed", job.pk)
    saved = ""
    with suppress(DatabaseError):
        connection.close_if_unusable_or_obsolete()
        saved = f" ({saved_articles(job=job)} saved)"
    return f"failed after {job.done} of {job.total} articles{saved}: {cause}"


@dataclass(frozen=True)
class Recovery:
    job: Job
    resumed: bool

    def __str__(self) -> str:
        verb = "resumed" if self.resumed else "interrupted"
        return f"job #{self.job.pk} ({self.job.kind}) {verb}: {self.job.result}"


def recover_stale_jobs() -> list[Recovery]:
    """Jobs left running by a worker that stopped reporting: queue them again, or after
    MAX_ATTEMPTS mark them interrupted with what they saved. Safe on several machines at once:
    each job is taken over by one worker only (a conditional update)."""
    close_old_connections()
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.MARSAD_JOB_STALE_SECONDS)
    recoveries = []
    # Queued, but the process that queued it died before handing it to the task library.
    for job in Job.objects.filter(state=Job.State.QUEUED, task_id="", created_at__lt=cutoff):
        if Job.objects.filter(pk=job.pk, task_id="").update(task_id="pending"):
            enqueue(job=job)
            recoveries.append(Recovery(job=job, resumed=True))
    running = Job.objects.filter(state=Job.State.RUNNING)
    for job in running:
        if job.heartbeat_at and job.heartbeat_at >= cutoff and worker_alive(name=job.worker):
            continue
        resumed = job.attempts < MAX_ATTEMPTS
        saved = saved_articles(job=job)
        note = (
            f"worker {job.worker} stopped after {job.done} of {job.total} articles "
            f"(attempt {job.attempts}); {saved} articles saved so far"
        )
        state = Job.State.QUEUED if resumed else Job.State.INTERRUPTED
        taken = Job.objects.filter(
            pk=job.pk, state=Job.State.RUNNING, heartbeat_at=job.heartbeat_at
        )
        if not taken.update(
            state=state, result=note, finished_at=None if resumed else timezone.now()
        ):
            continue  # another worker took it over first
        abandon_task(task_id=job.task_id)
        job.state, job.result = state, note
        if resumed:
            enqueue(job=job)
        recoveries.append(Recovery(job=job, resumed=resumed))
    return recoveries


def worker_alive(*, name: str) -> bool:
    """False only when the worker ran on this machine and its process is gone."""
    host, _, pid = name.rpartition(":")
    return not pid.isdigit() or not process_ended(ProcessOwner(host=host, pid=int(pid)))


def saved_articles(*, job: Job) -> int:
    """Articles saved into the batches this job wrote (imports and uploads)."""
    if not job.batch_ids:
        return 0
    return Article.objects.filter(original_file__batch_id__in=job.batch_ids).count()


def abandon_task(*, task_id: str) -> None:
    """The task library's record of a task whose worker died says so (it would stay "running")."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if task_id:
        DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            traceback="The worker stopped; the job was taken over by another worker.",
        )
