"""Admin "Upload articles": upload → preview (nothing saved) → confirm → result, or a job.

Thin views over articles.services.uploads (writes) and articles.upload_selectors (reads): each
file is parsed once when it is uploaded (by a background job for a big upload, whose progress
the preview shows meanwhile), its drafts persisted; the preview pages through them, corrections
are written to them, and confirm saves from them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from articles.models import PendingUpload, UploadBatch
from articles.services.uploads import (
    Correction,
    PendingUploadMissing,
    UploadNotKept,
    confirm_upload,
    correct_drafts,
    pending_upload,
    stage_upload,
)
from articles.upload_selectors import upload_preview

SESSION_KEY = "marsad_pending_uploads"
ACCEPTED = ".txt,.html,.htm,.json,.jsonl,.csv,.zip"


# One sentence with its numbers in it, so a translation orders them with its own words.
UPLOAD_SUMMARY = _("Imported: %(imported)s, duplicates: %(duplicates)s, failed: %(failed)s")
NOT_KEPT = _("The upload could not be kept, and nothing of it was: %(cause)s.")
NOT_SAVED = _(
    "The upload could not be saved to the end: %(cause)s. The articles saved before it stay "
    "saved; confirm again to finish."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's documented pattern for <input type="file" multiple>."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED}))
        kwargs.setdefault("allow_empty_file", True)  # the reader names it ("The text is empty.")
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    text = forms.CharField(
        label=_("Paste an article"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80, "dir": "auto"}),
        help_text=_("The headline on the first line, then the text."),
    )
    files = MultipleFileField(
        label=_("Or choose files"),
        required=False,
        help_text=_(".txt, .html, .htm, .json, .jsonl, .csv, or a .zip of these; several at once."),
    )

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("text") or "").strip() and not cleaned.get("files"):
            raise forms.ValidationError(_("Paste some text or choose at least one file."))
        return cleaned


class ReviewForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=500)
    published_on = forms.DateField(
        label=_("Date"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    source_name = forms.CharField(label=_("Outlet"), max_length=200, required=False)
    skip = forms.BooleanField(label=_("Skip"), required=False)

    def correction(self) -> Correction:
        data = self.cleaned_data
        return Correction(
            title=data["title"],
            published_on=data["published_on"],
            source_name=data["source_name"],
            skip=data["skip"],
        )


ReviewFormSet = forms.formset_factory(ReviewForm, extra=0)


def upload_permission(view: Callable) -> Callable:
    """Staff with articles.add_article only. Anonymous GETs go to the login page; any other
    request (a non-staff user, or a POST without a staff session) is refused with 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated and request.method == "GET":
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not (user.is_active and user.is_staff and user.has_perm("articles.add_article")):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def upload_urls(model_admin) -> list:
    """URLs for ArticleAdmin.get_urls(), ahead of the admin's catch-all object URLs."""
    site = model_admin.admin_site

    def wrap(view):
        return upload_permission(
            site.admin_view(lambda request, **kw: view(model_admin, request, **kw))
        )

    return [
        path("upload/", wrap(upload_view), name="articles_article_upload"),
        path("upload/<str:token>/", wrap(preview_view), name="articles_article_upload_preview"),
        path(
            "upload/done/<int:batch_id>/",
            wrap(result_view),
            name="articles_article_upload_result",
        ),
    ]


def _context(model_admin, request: HttpRequest, **extra) -> dict:
    opts = model_admin.model._meta
    return {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "app_label": opts.app_label,
        "has_view_permission": model_admin.has_view_permission(request),
        **extra,
    }


def upload_view(model_admin, request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            token = stage_upload(
                files=form.cleaned_data["files"],
                pasted_text=form.cleaned_data["text"],
                uploaded_by=request.user,
            )
        except UploadNotKept as failure:
            form.add_error(None, NOT_KEPT % {"cause": failure.cause})
        else:
            request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, []), token][-20:]
            return redirect("admin:articles_article_upload_preview", token=token)
    context = _context(model_admin, request, title=_("Upload articles"), form=form)
    return TemplateResponse(request, "admin/articles/article/upload.html", context)


def preview_view(model_admin, request: HttpRequest, token: str) -> HttpResponse:
    if token not in request.session.get(SESSION_KEY, []):
        raise Http404("No such upload.")
    try:
        upload = pending_upload(token=token, uploaded_by=request.user)
    except PendingUploadMissing as exc:
        raise Http404("No such upload.") from exc
    if upload.state == PendingUpload.State.READING:
        if request.method == "POST":  # nothing to correct or confirm until it is read
            return redirect("admin:articles_article_upload_preview", token=token)
        return reading_view(model_admin, request, upload=upload)
    page_number = request.POST.get("page") or request.GET.get("page") or 1
    preview = upload_preview(
        upload=upload, page_number=page_number, details=request.method != "POST"
    )
    initial = [
        {
            "key": d.key,
            "title": d.draft.title,
            "published_on": d.draft.published_on,
            "source_name": d.draft.source_name,
            "skip": d.draft.skip,
        }
        for d in preview.importable
    ]
    formset = ReviewFormSet(request.POST or None, initial=initial, prefix="review")
    if request.method == "POST":
        if formset.is_valid():
            correct_drafts(
                upload=upload,
                corrections={form.cleaned_data["key"]: form.correction() for form in formset},
            )
            if goto := request.POST.get("goto"):
                url = reverse("admin:articles_article_upload_preview", kwargs={"token": token})
                return redirect(f"{url}?page={int(goto) if goto.isdigit() else 1}")
            try:
                confirmation = confirm_upload(upload=upload)
            except PendingUploadMissing as exc:
                raise Http404("No such upload.") from exc
            except UploadNotKept as failure:
                messages.error(request, NOT_SAVED % {"cause": failure.cause})
                return redirect("admin:articles_article_upload_preview", token=token)
            request.session[SESSION_KEY] = [t for t in request.session[SESSION_KEY] if t != token]
            if confirmation.job:
                messages.info(
                    request, _("The upload is being saved by a background job; its progress:")
                )
                return redirect("admin:articles_job_change", confirmation.job.pk)
            report = confirmation.report
            counts = {"imported": report.imported, "duplicates": report.duplicates}
            messages.success(request, UPLOAD_SUMMARY % {**counts, "failed": report.failed})
            return redirect(
                "admin:articles_article_upload_result", batch_id=confirmation.report.batch.pk
            )
        preview = upload_preview(upload=upload, page_number=page_number)
    drafts = {d.key: d for d in preview.importable}
    rows = [
        (form, drafts[form["key"].value()]) for form in formset if form["key"].value() in drafts
    ]
    context = _context(
        model_admin,
        request,
        title=_("Review the upload"),
        preview=preview,
        formset=formset,
        rows=rows,
    )
    return TemplateResponse(request, "admin/articles/article/upload_preview.html", context)


def reading_view(model_admin, request: HttpRequest, *, upload: PendingUpload) -> HttpResponse:
    """A big upload while its job reads it: progress, errors so far, and the job's end."""
    context = _context(
        model_admin,
        request,
        title=_("Reading the upload"),
        upload=upload,
        job=upload.job,
        files=upload.files.all(),
    )
    return TemplateResponse(request, "admin/articles/article/upload_reading.html", context)


def result_view(model_admin, request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_object_or_404(UploadBatch.objects.prefetch_related("files__articles"), pk=batch_id)
    context = _context(model_admin, request, title=_("Upload saved"), batch=batch)
    return TemplateResponse(request, "admin/articles/article/upload_result.html", context)
