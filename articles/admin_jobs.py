"""Admin "Jobs": each background job's progress (articles done / total, rate, errors) and result,
and buttons that start a rebuild or a re-extraction as a job."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from articles import jobs
from articles.models import Job
from articles.models_jobs import FINISHED_STATES
from articles.upload_selectors import upload_read_by

STARTABLE = {"rebuild": Job.Kind.REBUILD, "reextract": Job.Kind.REEXTRACT}


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "state",
        "progress",
        "speed",
        "error_count",
        "started_at",
        "finished_at",
    ]
    list_filter = ["kind", "state"]
    fields = [
        "kind",
        "state",
        "progress",
        "speed",
        "error_count",
        "error_list",
        "result",
        "upload",
        "batches",
        "created_by",
        "created_at",
        "started_at",
        "heartbeat_at",
        "finished_at",
        "attempts",
        "worker",
    ]
    readonly_fields = fields

    def get_fields(self, request, obj=None):
        """The link back to the upload on the jobs that read one only."""
        if obj is not None and obj.kind == Job.Kind.PREVIEW:
            return self.fields
        return [name for name in self.fields if name != "upload"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        """A queued or running job stays until it ends: its worker still writes to it."""
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_finished)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            actions["delete_selected"] = (
                JobAdmin.delete_finished,
                "delete_selected",
                delete_selected.short_description,
            )
        return actions

    def delete_finished(self, request: HttpRequest, queryset):
        """Django's "delete selected", for the finished jobs among those selected only."""
        unfinished = queryset.exclude(state__in=FINISHED_STATES).count()
        if unfinished:
            self.message_user(
                request,
                ngettext(
                    "%(count)d queued or running job was left: its worker still writes to it.",
                    "%(count)d queued or running jobs were left: their workers still write to them.",
                    unfinished,
                )
                % {"count": unfinished},
                messages.WARNING,
            )
        finished = queryset.filter(state__in=FINISHED_STATES)
        if finished.exists():
            return delete_selected(self, request, finished)
        return None

    @admin.display(description=_("progress"))
    def progress(self, job: Job) -> str:
        return format_html(
            '<progress class="job-progress" max="100" value="{}"></progress> '
            '<span class="job-count">{} / {}</span> ({}%)',
            job.percent,
            job.done,
            job.total or "?",
            job.percent,
        )

    @admin.display(description=_("articles per second"))
    def speed(self, job: Job) -> str:
        return f"{job.rate:.1f}"

    @admin.display(description=_("first errors"))
    def error_list(self, job: Job) -> str:
        items = format_html_join("", "<li><bdi>{}</bdi></li>", ((e,) for e in job.errors))
        return format_html('<ul class="job-errors">{}</ul>', items) if job.errors else "—"

    @admin.display(description=_("upload in review"))
    def upload(self, job: Job) -> str:
        """The upload a reading job read, while it waits for its review."""
        pending = upload_read_by(job=job)
        if pending is None:
            return "—"
        url = reverse("admin:articles_article_upload_preview", args=[pending.token])
        return format_html('<a href="{}" id="job-upload">{}</a>', url, _("Review the upload"))

    @admin.display(description=_("upload batches"))
    def batches(self, job: Job) -> str:
        links = format_html_join(
            mark_safe(", "),  # noqa: S308 - a literal, no user data
            '<a href="{}">#{}</a>',
            ((reverse("admin:articles_uploadbatch_change", args=[pk]), pk) for pk in job.batch_ids),
        )
        return links or "—"

    def get_urls(self):
        start = self.admin_site.admin_view(require_POST(self.start_view))
        return [path("start/<str:kind>/", start, name="articles_job_start"), *super().get_urls()]

    def start_view(self, request: HttpRequest, kind: str) -> HttpResponse:
        if kind not in STARTABLE or not request.user.has_perm("articles.change_article"):
            raise PermissionDenied
        job = jobs.start_job(kind=STARTABLE[kind], params={}, created_by=request.user)
        messages.success(request, _("The job was queued; a worker runs it."))
        return redirect("admin:articles_job_change", job.pk)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        job = self.get_object(request, object_id) if object_id else None
        extra = {"refresh": job is not None and not job.is_finished, **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, extra)
