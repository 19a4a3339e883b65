"""Writes: the only place that creates or changes articles, sources and mentions."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from articles.arabic import normalize
from articles.entities.gazetteer import RoleSpec, load_gazetteer, validate_roles
from articles.ingest.drafts import ArticleDraft
from articles.ingest.errors import IngestError
from articles.ingest.readers import SourceFile, UploadLimits, read_upload
from articles.models import (
    Alias,
    Article,
    Entity,
    Mention,
    Role,
    Source,
    UploadBatch,
    UploadedFile,
)
from articles.outlets import KNOWN_OUTLETS
from articles.selectors import GAZETTEER_VERSION_KEY, entity_matcher, gazetteer_version
from articles.signals import deferred_indexing, queue_article

_SPACE = re.compile(r"\s+")


def content_hash(*, body: str) -> str:
    """Hash of the normalized body: the same text with other diacritics or spacing is a duplicate."""
    canonical = _SPACE.sub(" ", normalize(body)).strip()
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def get_or_create_source(*, name: str) -> Source | None:
    """The outlet named `name`, created on first sight, with a Latin slug when it is a known one."""
    name = _SPACE.sub(" ", name).strip()
    if not name:
        return None
    canonical, slug = KNOWN_OUTLETS.get(name, (name, ""))
    existing = Source.objects.filter(name=canonical).first()
    if existing:
        return existing
    slug = slug or slugify(canonical, allow_unicode=True) or "source"
    candidate, n = slug, 2
    while Source.objects.filter(slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return Source.objects.create(name=canonical, slug=candidate)


@dataclass
class SaveOutcome:
    """What became of one draft: the saved article, or the existing one it duplicates."""

    article: Article
    created: bool
    duplicate_reason: str = ""
    warnings: list[str] = field(default_factory=list)


def find_duplicate(*, body: str, url: str) -> tuple[Article | None, str]:
    """An existing article with the same normalized body or the same URL, and which it was."""
    match = Article.objects.filter(content_hash=content_hash(body=body)).first()
    if match:
        return match, "same text"
    if url:
        match = Article.objects.filter(url=url).first()
        if match:
            return match, "same URL"
    return None, ""


def replace_mentions(*, article: Article) -> int:
    """Match the gazetteer against the article body and store the mentions (once, at save)."""
    matcher, entity_ids = entity_matcher()
    spans = matcher.find(article.body, published_on=article.published_on)
    article.mentions.all().delete()
    Mention.objects.bulk_create(
        Mention(
            article=article,
            entity_id=entity_ids[span.slug],
            start=span.start,
            end=span.end,
            text=span.text,
            via=span.via,
        )
        for span in spans
    )
    return len(spans)


def save_article(
    *,
    draft: ArticleDraft,
    uploaded_by: AbstractBaseUser | None = None,
    uploaded_file: UploadedFile | None = None,
) -> SaveOutcome:
    """Save one draft in one transaction: article, outlet and mentions, or nothing at all.

    Duplicates (same normalized body or same URL) are not saved; the existing article is returned.
    The search index is updated after the transaction commits (see articles.signals).
    """
    existing, reason = find_duplicate(body=draft.body, url=draft.url)
    if existing:
        return SaveOutcome(article=existing, created=False, duplicate_reason=reason)
    with transaction.atomic():
        article = Article.objects.create(
            title=draft.title,
            body=draft.body,
            source=get_or_create_source(name=draft.source_name),
            published_on=draft.published_on,
            url=draft.url,
            original=draft.original,
            original_name=draft.original_name,
            original_file=uploaded_file,
            content_hash=content_hash(body=draft.body),
            metadata_origin=draft.metadata_origin,
            ingest_warnings=draft.warnings,
            uploaded_by=uploaded_by if uploaded_by and uploaded_by.is_authenticated else None,
        )
        replace_mentions(article=article)
    return SaveOutcome(article=article, created=True, warnings=list(draft.warnings))


def start_batch(*, channel: str, uploaded_by: AbstractBaseUser | None = None) -> UploadBatch:
    user = uploaded_by if uploaded_by and uploaded_by.is_authenticated else None
    return UploadBatch.objects.create(channel=channel, uploaded_by=user)


def role_term_errors(*, holder: Entity, terms: list[dict]) -> list[str]:
    """Overlapping or contradictory terms of office, checked against every other holder's."""
    others = Role.objects.exclude(holder_id=holder.pk) if holder.pk else Role.objects.all()
    roles = [
        (role.holder.slug, RoleSpec(phrase=role.phrase, valid_from=role.valid_from, valid_to=role.valid_to))
        for role in others.select_related("holder")
    ]
    roles += [
        (
            holder.slug or "(new)",
            RoleSpec(phrase=t["phrase"], valid_from=t.get("valid_from"), valid_to=t.get("valid_to")),
        )
        for t in terms
    ]
    return validate_roles(roles)


def rematch_articles(*, article_ids: list[int]) -> int:
    """Recompute mentions for these articles and reindex them in one batch."""
    count = 0
    with deferred_indexing():
        for article in Article.objects.filter(pk__in=article_ids).iterator():
            with transaction.atomic():
                replace_mentions(article=article)
                queue_article(pk=article.pk, keep=True)
            count += 1
    return count


def gazetteer_changed(*, entity: Entity) -> int:
    """After an admin edit: rebuild the matcher everywhere, re-match the articles it may touch."""
    cache.set(GAZETTEER_VERSION_KEY, gazetteer_version() + 1, timeout=None)
    phrases = [a.text for a in entity.aliases.all()] + [r.phrase for r in entity.roles.all()]
    affected = Q(mentions__entity=entity)
    for phrase in phrases:
        affected |= Q(body__contains=phrase)
    ids = list(Article.objects.filter(affected).values_list("pk", flat=True).distinct())
    return rematch_articles(article_ids=ids)


def load_gazetteer_file(*, path: Path | None = None) -> tuple[int, int]:
    """Upsert the shipped gazetteer into the database (idempotent); returns (entities, new ones).

    Aliases and roles in the file are added; ones an admin added by hand are kept.
    """
    created_count = 0
    specs = load_gazetteer(path)
    with transaction.atomic():
        for spec in specs:
            entity, created = Entity.objects.update_or_create(
                slug=spec.slug,
                defaults={"kind": spec.kind, "name_ar": spec.name_ar, "name_en": spec.name_en},
            )
            created_count += created
            for alias in spec.aliases:
                Alias.objects.update_or_create(
                    entity=entity, text=alias.text, defaults={"ambiguous": alias.ambiguous}
                )
            for role in spec.roles:
                Role.objects.get_or_create(
                    holder=entity,
                    phrase=role.phrase,
                    valid_from=role.valid_from,
                    defaults={"valid_to": role.valid_to},
                )
    cache.set(GAZETTEER_VERSION_KEY, gazetteer_version() + 1, timeout=None)
    return len(specs), created_count


def ensure_index() -> tuple[int, int, bool]:
    """Rebuild the index if its document count differs from the database's (fast when it agrees)."""
    from articles.search_backend import indexed_count, rebuild_index

    in_db = Article.objects.count()
    indexed = indexed_count()
    if indexed == in_db:
        return indexed, in_db, False
    rebuild_index()
    return indexed_count(), in_db, True


@dataclass
class FileReport:
    """What became of one uploaded file and each article found in it."""

    name: str
    saved: list[SaveOutcome] = field(default_factory=list)
    duplicates: list[SaveOutcome] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if self.errors and (self.saved or self.duplicates):
            return UploadedFile.Outcome.PARTIAL
        if self.errors:
            return UploadedFile.Outcome.FAILED
        if self.saved:
            return UploadedFile.Outcome.IMPORTED
        return UploadedFile.Outcome.DUPLICATE

    def message(self) -> str:
        lines = [f"{len(self.saved)} imported, {len(self.duplicates)} duplicates"]
        lines += [
            f"duplicate of #{d.article.pk} ({d.duplicate_reason}): {d.article.title}"
            for d in self.duplicates
        ]
        lines += [str(error) for error in self.errors]
        return "\n".join(lines)


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return sum(len(f.saved) for f in self.files)

    @property
    def duplicates(self) -> int:
        return sum(len(f.duplicates) for f in self.files)

    @property
    def failed(self) -> int:
        return sum(len(f.errors) for f in self.files)

    def summary(self) -> str:
        return f"imported {self.imported}, duplicates {self.duplicates}, failed {self.failed}"


def store_uploaded_file(*, batch: UploadBatch, name: str, data: bytes) -> UploadedFile:
    """Keep the uploaded bytes verbatim, whatever became of them."""
    digest = hashlib.sha256(data).hexdigest()
    record = UploadedFile(
        batch=batch, name=name, size=len(data), sha256=digest, outcome=UploadedFile.Outcome.FAILED
    )
    suffix = Path(name.split("#")[0]).suffix.lower()[:10]
    record.stored.save(f"{digest}{suffix}", ContentFile(data), save=False)
    record.save()
    return record


def save_drafts(
    *,
    results: list[ArticleDraft | IngestError],
    report: FileReport,
    uploaded_by: AbstractBaseUser | None = None,
    uploaded_file: UploadedFile | None = None,
) -> FileReport:
    """Save every draft (one transaction each) and collect the errors, in the file's order."""
    for result in results:
        if isinstance(result, IngestError):
            report.errors.append(result)
            continue
        outcome = save_article(draft=result, uploaded_by=uploaded_by, uploaded_file=uploaded_file)
        (report.saved if outcome.created else report.duplicates).append(outcome)
    return report


def import_source_files(
    *,
    files: Iterable[SourceFile],
    channel: str,
    uploaded_by: AbstractBaseUser | None = None,
    limits: UploadLimits | None = None,
    on_file: Callable[[FileReport], None] | None = None,
) -> ImportReport:
    """Import files (upload or command) as one recorded batch, indexing once at the end.

    A file whose every article fails leaves no article behind; its bytes stay in the batch record.
    """
    limits = limits or upload_limits()
    batch = start_batch(channel=channel, uploaded_by=uploaded_by)
    report = ImportReport()
    with deferred_indexing():
        for source in files:
            stored = store_uploaded_file(batch=batch, name=source.name, data=source.data)
            results = read_upload(
                name=source.name, data=source.data, limits=limits, curated=source.curated
            )
            file_report = save_drafts(
                results=results,
                report=FileReport(name=source.name),
                uploaded_by=uploaded_by,
                uploaded_file=stored,
            )
            stored.outcome = file_report.outcome
            stored.message = file_report.message()
            stored.save(update_fields=["outcome", "message"])
            report.files.append(file_report)
            if on_file:
                on_file(file_report)
    batch.imported_count = report.imported
    batch.duplicate_count = report.duplicates
    batch.failed_count = report.failed
    batch.save(update_fields=["imported_count", "duplicate_count", "failed_count"])
    return report


def upload_limits() -> UploadLimits:
    return UploadLimits(
        max_file_bytes=settings.MARSAD_MAX_FILE_BYTES,
        max_zip_total_bytes=settings.MARSAD_MAX_ZIP_TOTAL_BYTES,
        max_zip_entries=settings.MARSAD_MAX_ZIP_ENTRIES,
    )
