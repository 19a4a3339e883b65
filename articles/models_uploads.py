"""A staged admin upload: its files, parsed once into drafts the reviewer corrects and confirms.

The bytes wait in a folder under MARSAD_DATA_DIR named by the upload's token; the drafts live
here, keyed by the file's digest and the record's ordinal in it, so preview, corrections and
confirm all read the same rows and nothing is parsed twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingUpload(models.Model):
    """One upload between "preview" and "saved"."""

    class State(models.TextChoices):
        READING = "reading", _("being read")
        REVIEW = "review", _("in review")
        SAVING = "saving", _("saving")
        SAVED = "saved", _("saved")

    token = models.CharField(max_length=64, unique=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.REVIEW)
    job = models.ForeignKey("articles.Job", null=True, blank=True, on_delete=models.SET_NULL)
    batch = models.ForeignKey(
        "articles.UploadBatch", null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("upload in review")
        verbose_name_plural = _("uploads in review")

    def __str__(self) -> str:
        return f"upload {self.token[:8]}"


OPEN_STATES = (PendingUpload.State.READING, PendingUpload.State.REVIEW)  # not yet confirmed


class PendingFile(models.Model):
    """A file of a pending upload: where its bytes wait, or why it was refused unread."""

    upload = models.ForeignKey(PendingUpload, related_name="files", on_delete=models.CASCADE)
    ordinal = models.PositiveIntegerField()
    name = models.CharField(max_length=500)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    refused = models.TextField(blank=True)

    class Meta:
        ordering = ["upload", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["upload", "ordinal"], name="unique_pending_file")
        ]

    def __str__(self) -> str:
        return self.name


class UploadDraft(models.Model):
    """One record of a pending file: an article draft (with the reviewer's corrections) or the
    reason it was refused. `key` is the file's digest and the record's ordinal in the file."""

    file = models.ForeignKey(PendingFile, related_name="drafts", on_delete=models.CASCADE)
    upload = models.ForeignKey(PendingUpload, related_name="drafts", on_delete=models.CASCADE)
    ordinal = models.PositiveIntegerField()
    key = models.CharField(max_length=40)
    error_name = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    title = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True)
    source_name = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    original = models.TextField(blank=True)
    original_name = models.CharField(max_length=500, blank=True)
    encoding = models.CharField(max_length=40, blank=True)
    metadata_origin = models.JSONField(default=dict, blank=True)
    metadata_lines = models.JSONField(default=dict, blank=True)  # field -> the line that gave it
    warnings = models.JSONField(default=list, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    actors = models.JSONField(default=list, blank=True)
    duplicate_of = models.ForeignKey(
        "articles.Article", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    duplicate_reason = models.CharField(max_length=40, blank=True)
    duplicate_in_upload = models.CharField(max_length=500, blank=True)
    skip = models.BooleanField(default=False)

    class Meta:
        ordering = ["upload", "file__ordinal", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["upload", "key"], name="unique_draft_key"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def is_error(self) -> bool:
        return bool(self.error)

    @property
    def is_duplicate(self) -> bool:
        return bool(self.duplicate_of_id or self.duplicate_in_upload)
