"""The corpus: outlets, articles (with their verbatim originals), actors and their mentions."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _


class Source(models.Model):
    """A news outlet ("الجزيرة", "بي بي سي عربي")."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    homepage = models.URLField(_("homepage"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:source_detail", kwargs={"slug": self.slug})


class UploadBatch(models.Model):
    """One upload or import run: who sent which files and what became of each."""

    class Channel(models.TextChoices):
        ADMIN = "admin", _("admin upload")
        COMMAND = "command", _("import command")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    imported_count = models.PositiveIntegerField(_("imported"), default=0)
    duplicate_count = models.PositiveIntegerField(_("duplicates"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    # Who runs an import command's batch (host, pid, the process's start time), so that a
    # batch whose process ended before finishing it is told from one still being imported.
    owner_host = models.CharField(_("host"), max_length=255, blank=True)
    owner_pid = models.PositiveIntegerField(_("process"), null=True, blank=True)
    owner_started = models.FloatField(_("process start time"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("upload batch")
        verbose_name_plural = _("upload batches")

    def __str__(self) -> str:
        """ "#3 admin upload 2025-06-12 14:05", the time in the site's zone (TIME_ZONE)."""
        return (
            f"#{self.pk} {self.get_channel_display()} {localtime(self.created_at):%Y-%m-%d %H:%M}"
        )


class UploadedFile(models.Model):
    """A file of a batch, its bytes kept verbatim, and its outcome."""

    class Outcome(models.TextChoices):
        IMPORTED = "imported", _("imported")
        DUPLICATE = "duplicate", _("duplicate")
        FAILED = "failed", _("failed")
        PARTIAL = "partial", _("partly imported")

    batch = models.ForeignKey(
        UploadBatch, verbose_name=_("upload batch"), related_name="files", on_delete=models.CASCADE
    )
    name = models.CharField(_("file name"), max_length=500)
    stored = models.FileField(
        _("stored file"), upload_to="uploads/%Y/%m/", max_length=500, blank=True
    )
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    message = models.TextField(_("details"), blank=True)

    class Meta:
        ordering = ["batch", "id"]
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    """A news article: cleaned body for reading and search, original text kept verbatim."""

    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("body"))
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        related_name="articles",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    published_on = models.DateField(_("published on"), null=True, blank=True, db_index=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    original = models.TextField(_("original text"), blank=True)
    original_name = models.CharField(_("original file name"), max_length=500, blank=True)
    original_file = models.ForeignKey(
        UploadedFile,
        verbose_name=_("uploaded file"),
        null=True,
        blank=True,
        related_name="articles",
        on_delete=models.SET_NULL,
    )
    content_hash = models.CharField(_("content hash"), max_length=64, unique=True)
    metadata_origin = models.JSONField(_("where the metadata came from"), default=dict, blank=True)
    ingest_warnings = models.JSONField(_("import warnings"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = [F("published_on").desc(nulls_last=True), "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["url"])]
        constraints = [
            # Two imports racing with the same URL: the second insert fails and counts as a duplicate.
            models.UniqueConstraint(
                fields=["url"], condition=~models.Q(url=""), name="unique_article_url"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:article_detail", kwargs={"pk": self.pk})


class Entity(models.Model):
    """An actor: a person, organization, country or place."""

    class Kind(models.TextChoices):
        PERSON = "person", _("person")
        ORGANIZATION = "organization", _("organization")
        COUNTRY = "country", _("country")
        PLACE = "place", _("place")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_ar = models.CharField(_("Arabic name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")

    def __str__(self) -> str:
        return f"{self.name_ar} ({self.name_en})"

    def get_absolute_url(self) -> str:
        return reverse("articles:actor_detail", kwargs={"slug": self.slug})


class Alias(models.Model):
    """A surface form of an actor's name; ambiguous ones count only beside the full name."""

    entity = models.ForeignKey(Entity, related_name="aliases", on_delete=models.CASCADE)
    text = models.CharField(_("surface form"), max_length=200)
    ambiguous = models.BooleanField(
        _("short or ambiguous"),
        default=False,
        help_text=_("Counted only in articles that also name the actor in full."),
    )
    # A dated alias is a form several actors share (the bare "بوش"), read as this actor for
    # articles published in [valid_from, valid_to).
    valid_from = models.DateField(_("used from"), null=True, blank=True)
    valid_to = models.DateField(_("used until"), null=True, blank=True)

    class Meta:
        ordering = ["entity", "text"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "text"], name="unique_alias_per_entity")
        ]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")

    def __str__(self) -> str:
        return self.text


class Role(models.Model):
    """An office title ("الرئيس الأمريكي") and who held it over which dates."""

    holder = models.ForeignKey(Entity, related_name="roles", on_delete=models.CASCADE)
    phrase = models.CharField(_("title phrase"), max_length=200)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["phrase", "valid_from"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return f"{self.phrase}: {self.holder.name_ar}"


class Mention(models.Model):
    """Where an actor is named in an article: offsets into Article.title or Article.body."""

    class Via(models.TextChoices):
        NAME = "name", _("name")
        ROLE = "role", _("role")

    class Field(models.TextChoices):
        TITLE = "title", _("title")
        BODY = "body", _("body")

    article = models.ForeignKey(Article, related_name="mentions", on_delete=models.CASCADE)
    entity = models.ForeignKey(Entity, related_name="mentions", on_delete=models.CASCADE)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField(max_length=300)
    via = models.CharField(max_length=10, choices=Via.choices)
    field = models.CharField(max_length=5, choices=Field.choices, default=Field.BODY)

    class Meta:
        ordering = ["article", "-field", "start"]
        indexes = [models.Index(fields=["entity", "article"])]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")

    def __str__(self) -> str:
        return f"{self.text} [{self.start}:{self.end}]"


class EventDate(models.Model):
    """A date the article's body talks about: ``body[start:end]`` names the days first..last
    (one day, a week, a month, a year), resolved against the publication day."""

    article = models.ForeignKey(Article, related_name="event_dates", on_delete=models.CASCADE)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField(max_length=200)
    first = models.DateField(_("first day"))
    last = models.DateField(_("last day"))

    class Meta:
        ordering = ["article", "start"]
        indexes = [models.Index(fields=["first", "last"])]
        verbose_name = _("event date")
        verbose_name_plural = _("event dates")

    def __str__(self) -> str:
        return f"{self.text} [{self.first}..{self.last}]"


def _feed_token() -> str:
    return secrets.token_urlsafe(24)


class SavedSearch(models.Model):
    """A researcher's named search (the search page's URL state) and when they last looked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="saved_searches", on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=200)
    query = models.CharField(_("search"), max_length=2000)  # the URL's query string, no "?"
    feed_token = models.CharField(max_length=64, unique=True, default=_feed_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_visit_at = models.DateTimeField(_("last visit"))
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self) -> str:
        return self.name


class IndexOperation(models.Model):
    """The outbox: an index change owed for an article, written in the article's own transaction.

    The indexer (articles.services.index) applies queued operations in batches and deletes the
    rows it applied; a process killed at any moment leaves the rest queued for the next run.
    """

    class Op(models.TextChoices):
        INDEX = "index", _("index")
        REMOVE = "remove", _("remove")

    article_id = models.BigIntegerField(db_index=True)  # not a key: removals outlive the article
    op = models.CharField(max_length=6, choices=Op.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("index operation")
        verbose_name_plural = _("index operations")

    def __str__(self) -> str:
        return f"{self.op} #{self.article_id}"


from articles.models_jobs import Job  # noqa: E402, F401 - models of this app, split by concern
from articles.models_uploads import PendingFile, PendingUpload, UploadDraft  # noqa: E402, F401
