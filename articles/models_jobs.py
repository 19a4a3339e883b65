"""Background jobs: long imports, previews and confirms of big uploads, rebuilds and re-extractions.

A Job is what the admin watches (progress, rate, errors, result); the task library's own record
only carries the job's id to a worker (see articles.jobs).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_KEPT_ERRORS = 50


class Job(models.Model):
    """One piece of long work, its progress as the worker reports it, and its outcome."""

    class Kind(models.TextChoices):
        IMPORT = "import", _("import files")
        PREVIEW = "preview", _("read an admin upload")
        UPLOAD = "upload", _("save an admin upload")
        REBUILD = "rebuild", _("rebuild the search index")
        REEXTRACT = "reextract", _("re-extract actors")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        INTERRUPTED = "interrupted", _("interrupted")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.QUEUED, db_index=True
    )
    params = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last report"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    done = models.PositiveIntegerField(_("articles done"), default=0)
    total = models.PositiveIntegerField(_("articles in all"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("first errors"), default=list, blank=True)
    rate = models.FloatField(_("articles per second"), default=0.0)
    result = models.TextField(_("result"), blank=True)
    batch_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def percent(self) -> int:
        if self.is_finished and self.state == self.State.DONE:
            return 100
        return min(100, round(100 * self.done / self.total)) if self.total else 0


FINISHED_STATES = (Job.State.DONE, Job.State.FAILED, Job.State.INTERRUPTED)
